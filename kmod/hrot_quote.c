// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: quotes.  TPM2_Quote by the AK over SHA-256 PCRs, returned with the
 * PCR values it covers.  The values are read after the quote; an extend
 * by someone else in between (IMA, /dev/tpmrm0) would make them disagree
 * with the quote's pcrDigest, so the pair is checked and made again.
 */
#include <linux/bitops.h>
#include <linux/tpm.h>
#include <crypto/sha2.h>

#include "hrot.h"

/* Quote again at most this often when PCRs move under the quote. */
#define HROT_QUOTE_TRIES	3

static int hrot_quote_once(struct hrot_dev *dev, const u8 *q, u16 q_len,
			   u32 mask, u8 *attest, u16 *attest_len, u8 *sig,
			   u16 *sig_len, u8 *pcrs)
{
	struct tpm_chip *chip = dev->chip;
	u8 *pub;
	size_t len;
	u32 ak;
	int rc;

	pub = hrot_kzalloc(HROT_PUB_MAX);
	if (!pub)
		return -ENOMEM;
	rc = tpm_try_get_ops(chip);
	if (rc)
		goto out_free;
	rc = hrot_tpm2_create_ak(chip, &ak, pub, HROT_PUB_MAX, &len);
	if (rc)
		goto out_ops;
	rc = hrot_tpm2_quote(chip, ak, q, q_len, mask, attest, attest_len, sig,
			     sig_len);
	hrot_tpm2_flush(chip, ak);
	if (!rc)
		rc = hrot_tpm2_pcr_read(chip, mask, pcrs);
out_ops:
	tpm_put_ops(chip);
out_free:
	hrot_kfree(pub);
	return rc;
}

/* Do the values hash to the quote's pcrDigest? */
static int hrot_quote_consistent(const u8 *attest, u16 attest_len,
				 const u8 *pcrs, u32 mask)
{
	u8 quoted[SHA256_DIGEST_SIZE], digest[SHA256_DIGEST_SIZE];
	int rc;

	rc = hrot_tpm2_attest_pcr_digest(attest, attest_len, quoted);
	if (rc)
		return rc;
	rc = hrot_sha256(pcrs, SHA256_DIGEST_SIZE * hweight32(mask), digest);
	if (rc)
		return rc;
	return memcmp(quoted, digest, sizeof(digest)) ? -EAGAIN : 0;
}

/**
 * hrot_quote() - a quote and the PCR values it covers
 * @dev:        the device
 * @q:          qualifying data, @q_len bytes (at most HROT_QUALIFYING_MAX)
 * @q_len:      its length
 * @mask:       SHA-256 PCRs to quote, not empty, below HROT_PCR_COUNT
 * @attest:     out: TPMS_ATTEST (PAGE_SIZE of room)
 * @attest_len: out
 * @sig:        out: TPMT_SIGNATURE (PAGE_SIZE of room)
 * @sig_len:    out
 * @pcrs:       out: 32 bytes per PCR in @mask, ascending
 *
 * Holding the device lock keeps hrot's own extends out of the window.
 * The qualifying data of a successful quote is remembered for the token
 * key type, which accepts only a token answering the latest quote.
 *
 * Return: 0, -ENODEV without a TPM, -EAGAIN when PCRs kept moving, -errno.
 */
int hrot_quote(struct hrot_dev *dev, const u8 *q, u16 q_len, u32 mask,
	       u8 *attest, u16 *attest_len, u8 *sig, u16 *sig_len, u8 *pcrs)
{
	const struct hrot_ident *id;
	int i, rc;

	mutex_lock(&dev->lock);
	/* A token must answer this quote from now on, whatever its outcome. */
	dev->last_qualifying_len = 0;
	rc = hrot_identity_get(dev, &id);
	for (i = 0; !rc && i < HROT_QUOTE_TRIES; i++) {
		rc = hrot_quote_once(dev, q, q_len, mask, attest, attest_len,
				     sig, sig_len, pcrs);
		if (!rc)
			rc = hrot_quote_consistent(attest, *attest_len, pcrs,
						   mask);
		if (rc != -EAGAIN)
			break;
		rc = 0;
	}
	if (i == HROT_QUOTE_TRIES) {
		pr_err("hrot: PCRs changed under %d quotes in a row\n", i);
		rc = -EAGAIN;
	}
	if (!rc) {
		memcpy(dev->last_qualifying, q, q_len);
		dev->last_qualifying_len = q_len;
	}
	mutex_unlock(&dev->lock);
	return rc;
}
