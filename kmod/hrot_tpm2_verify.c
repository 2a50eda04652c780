// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: ECDSA P-256 signatures checked by the TPM.
 *
 * Debian's 6.1 kernel has no in-kernel ECDSA (CONFIG_CRYPTO_ECDSA is not
 * set), but every TPM 2.0 with ECC verifies P-256 signatures.  The token key
 * type therefore loads the trust anchor's public key into the TPM's null
 * hierarchy (TPM2_LoadExternal), asks TPM2_VerifySignature about the
 * token's digest and flushes the object, all inside one
 * tpm_try_get_ops()/tpm_put_ops() section so that no transient object of
 * ours outlives it and nobody else's command runs in between.
 *
 * The commands are marshalled with the kernel's tpm_buf helpers, like those
 * of hrot_tpm2_cmd.c.  Inside the section nothing may call tpm_pcr_*,
 * tpm_get_random or tpm_is_tpm2: they take the chip lock again.
 */
#include <linux/tpm.h>
#include <asm/unaligned.h>
#include <crypto/sha2.h>

#include "hrot.h"

/* Not in the 6.1 <linux/tpm.h>. */
#define HROT_TPM2_CC_LOAD_EXTERNAL	0x0167

/* TPMA_OBJECT of a public-only verification key: userWithAuth | sign. */
#define HROT_EXT_KEY_ATTRS		0x00040040

/*
 * Format-one response codes (TPM 2.0 Part 2, 6.6.3): bit 7 set, the error
 * in bits 0..5, the failing handle/parameter in bits 8..11.
 */
#define HROT_TPM_RC_FMT1		0x080
#define HROT_TPM_RC_FMT1_ERROR		0x03f
#define HROT_TPM_RC_SIGNATURE		0x01b
#define HROT_TPM_RC_ECC_POINT		0x027

/* The format-one error number of a response code, or 0 for other codes. */
static u32 hrot_tpm_rc_fmt1(ssize_t rc)
{
	if (rc <= 0 || !(rc & HROT_TPM_RC_FMT1))
		return 0;
	return rc & HROT_TPM_RC_FMT1_ERROR;
}

static void hrot_buf_append_coord(struct tpm_buf *buf, const u8 *v)
{
	tpm_buf_append_u16(buf, HROT_ECDSA_P256_COORD);
	tpm_buf_append(buf, v, HROT_ECDSA_P256_COORD);
}

/* TPM2B_PUBLIC of an ECDSA/SHA-256 P-256 verification key. */
static void hrot_buf_append_p256_public(struct tpm_buf *buf,
					const struct hrot_p256_point *key)
{
	u32 size_off = tpm_buf_length(buf);

	tpm_buf_append_u16(buf, 0);		/* size, patched below */
	tpm_buf_append_u16(buf, HROT_TPM_ALG_ECC);
	tpm_buf_append_u16(buf, TPM_ALG_SHA256);	/* nameAlg */
	tpm_buf_append_u32(buf, HROT_EXT_KEY_ATTRS);
	tpm_buf_append_u16(buf, 0);		/* authPolicy */
	tpm_buf_append_u16(buf, TPM_ALG_NULL);	/* symmetric */
	tpm_buf_append_u16(buf, HROT_TPM_ALG_ECDSA);
	tpm_buf_append_u16(buf, TPM_ALG_SHA256);
	tpm_buf_append_u16(buf, HROT_TPM_ECC_NIST_P256);
	tpm_buf_append_u16(buf, TPM_ALG_NULL);	/* kdf */
	hrot_buf_append_coord(buf, key->x);
	hrot_buf_append_coord(buf, key->y);
	put_unaligned_be16(tpm_buf_length(buf) - size_off - 2,
			   &buf->data[size_off]);
}

static int hrot_tpm2_load_external(struct tpm_chip *chip,
				   const struct hrot_p256_point *key,
				   u32 *handle)
{
	struct tpm_buf buf;
	ssize_t rc;

	rc = tpm_buf_init(&buf, TPM2_ST_NO_SESSIONS, HROT_TPM2_CC_LOAD_EXTERNAL);
	if (rc)
		return rc;
	tpm_buf_append_u16(&buf, 0);		/* inPrivate: none */
	hrot_buf_append_p256_public(&buf, key);
	tpm_buf_append_u32(&buf, HROT_TPM_RH_NULL);	/* hierarchy */
	if (buf.flags & TPM_BUF_OVERFLOW) {
		rc = -E2BIG;
		goto out;
	}
	rc = tpm_transmit_cmd(chip, &buf, 4, NULL);
	if (hrot_tpm_rc_fmt1(rc) == HROT_TPM_RC_ECC_POINT)
		rc = -EBADMSG;		/* the caller says which key */
	else
		rc = hrot_tpm2_result(rc, "TPM2_LoadExternal");
	if (!rc)
		*handle = get_unaligned_be32(&buf.data[TPM_HEADER_SIZE]);
out:
	tpm_buf_destroy(&buf);
	return rc;
}

/* 0 when the TPM says the signature is good, -EKEYREJECTED when bad. */
static int hrot_tpm2_verify_signature(struct tpm_chip *chip, u32 handle,
				      const u8 *digest, const u8 *r,
				      const u8 *s)
{
	struct tpm_buf buf;
	ssize_t rc;

	rc = tpm_buf_init(&buf, TPM2_ST_NO_SESSIONS, TPM2_CC_VERIFY_SIGNATURE);
	if (rc)
		return rc;
	tpm_buf_append_u32(&buf, handle);
	tpm_buf_append_u16(&buf, SHA256_DIGEST_SIZE);
	tpm_buf_append(&buf, digest, SHA256_DIGEST_SIZE);
	tpm_buf_append_u16(&buf, HROT_TPM_ALG_ECDSA);	/* TPMT_SIGNATURE */
	tpm_buf_append_u16(&buf, TPM_ALG_SHA256);
	hrot_buf_append_coord(&buf, r);
	hrot_buf_append_coord(&buf, s);
	if (buf.flags & TPM_BUF_OVERFLOW) {
		rc = -E2BIG;
		goto out;
	}
	/* TPMT_TK_VERIFIED: tag, hierarchy, an empty digest at least */
	rc = tpm_transmit_cmd(chip, &buf, 2 + 4 + 2, NULL);
	if (hrot_tpm_rc_fmt1(rc) == HROT_TPM_RC_SIGNATURE)
		rc = -EKEYREJECTED;
	else
		rc = hrot_tpm2_result(rc, "TPM2_VerifySignature");
out:
	tpm_buf_destroy(&buf);
	return rc;
}

/**
 * hrot_tpm2_verify_p256() - have the TPM check an ECDSA P-256 signature
 * @chip:   the chip (ops not held: this takes them)
 * @key:    the public key
 * @digest: SHA-256 digest that was signed
 * @r:      signature r, 32 bytes big-endian
 * @s:      signature s, 32 bytes big-endian
 *
 * Return: 0 for a good signature, -EKEYREJECTED for a bad one, -EBADMSG
 * when the TPM refuses @key as a P-256 point, -EIO for any other TPM error,
 * or -errno.
 */
int hrot_tpm2_verify_p256(struct tpm_chip *chip,
			  const struct hrot_p256_point *key, const u8 *digest,
			  const u8 *r, const u8 *s)
{
	u32 handle;
	int rc;

	rc = tpm_try_get_ops(chip);
	if (rc)
		return -ENODEV;
	rc = hrot_tpm2_load_external(chip, key, &handle);
	if (!rc) {
		rc = hrot_tpm2_verify_signature(chip, handle, digest, r, s);
		hrot_tpm2_flush(chip, handle);
	}
	tpm_put_ops(chip);
	return rc;
}
