// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: TPM 2.0 commands the module marshals itself, with the kernel's
 * tpm_buf helpers and tpm_transmit_cmd().  Every function here runs inside
 * a tpm_try_get_ops()/tpm_put_ops() section owned by the caller, which also
 * flushes every transient object it created before leaving that section,
 * so userspace TPM users (/dev/tpmrm0) never see our objects.
 */
#include <linux/tpm.h>
#include <asm/unaligned.h>

#include "hrot.h"

/* Not in the 6.1 <linux/tpm.h>. */
#define HROT_TPM_RH_ENDORSEMENT	0x4000000B
#define HROT_TPM_ALG_AES	0x0006
#define HROT_TPM_ALG_CFB	0x0043
#define HROT_TPM_ECC_NIST_P256	0x0003

/*
 * TCG EK Credential Profile, templates L-1 (RSA 2048) and L-2 (ECC NIST
 * P-256): fixedTPM, fixedParent, sensitiveDataOrigin, adminWithPolicy,
 * restricted, decrypt; the policy is PolicySecret(TPM_RH_ENDORSEMENT).
 */
#define HROT_EK_ATTRIBUTES	0x000300B2
static const u8 hrot_ek_policy[32] = {
	0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xB3, 0xF8,
	0x1A, 0x90, 0xCC, 0x8D, 0x46, 0xA5, 0xD7, 0x24,
	0xFD, 0x52, 0xD7, 0x6E, 0x06, 0x52, 0x0B, 0x64,
	0xF2, 0xA1, 0xDA, 0x1B, 0x33, 0x14, 0x69, 0xAA,
};

static void hrot_buf_append_zeros(struct tpm_buf *buf, u16 n)
{
	static const u8 zeros[64];

	while (n) {
		u16 k = min_t(u16, n, sizeof(zeros));

		tpm_buf_append(buf, zeros, k);
		n -= k;
	}
}

/* A password session with an empty password, as TPMS_AUTH_COMMAND. */
static void hrot_buf_append_empty_auth(struct tpm_buf *buf)
{
	tpm_buf_append_u32(buf, 9);		/* authorizationSize */
	tpm_buf_append_u32(buf, TPM2_RS_PW);
	tpm_buf_append_u16(buf, 0);		/* nonce */
	tpm_buf_append_u8(buf, 0);		/* session attributes */
	tpm_buf_append_u16(buf, 0);		/* hmac (password) */
}

/* TPMT_PUBLIC of an EK template, as TPM2B_PUBLIC. */
static void hrot_buf_append_ek_template(struct tpm_buf *buf, u16 alg)
{
	u32 size_off = tpm_buf_length(buf);

	tpm_buf_append_u16(buf, 0);	/* size, patched below */
	tpm_buf_append_u16(buf, alg);
	tpm_buf_append_u16(buf, TPM_ALG_SHA256);
	tpm_buf_append_u32(buf, HROT_EK_ATTRIBUTES);
	tpm_buf_append_u16(buf, sizeof(hrot_ek_policy));
	tpm_buf_append(buf, hrot_ek_policy, sizeof(hrot_ek_policy));
	tpm_buf_append_u16(buf, HROT_TPM_ALG_AES);
	tpm_buf_append_u16(buf, 128);
	tpm_buf_append_u16(buf, HROT_TPM_ALG_CFB);
	tpm_buf_append_u16(buf, TPM_ALG_NULL);		/* scheme */
	if (alg == HROT_TPM_ALG_ECC) {
		tpm_buf_append_u16(buf, HROT_TPM_ECC_NIST_P256);
		tpm_buf_append_u16(buf, TPM_ALG_NULL);	/* kdf */
		tpm_buf_append_u16(buf, 32);		/* unique.x */
		hrot_buf_append_zeros(buf, 32);
		tpm_buf_append_u16(buf, 32);		/* unique.y */
		hrot_buf_append_zeros(buf, 32);
	} else {
		tpm_buf_append_u16(buf, 2048);		/* keyBits */
		tpm_buf_append_u32(buf, 0);		/* exponent */
		tpm_buf_append_u16(buf, 256);		/* unique */
		hrot_buf_append_zeros(buf, 256);
	}
	put_unaligned_be16(tpm_buf_length(buf) - size_off - 2,
			   &buf->data[size_off]);
}

/*
 * Turn tpm_transmit_cmd()'s result into an errno, saying in one line what
 * the TPM answered.
 */
static int hrot_tpm2_result(ssize_t rc, const char *what)
{
	if (rc > 0) {
		pr_err("hrot: %s: TPM error 0x%03zx\n", what, rc);
		return -EIO;
	}
	if (rc < 0)
		pr_err("hrot: %s: %zd\n", what, rc);
	return rc;
}

static int hrot_tpm2_create_primary_ek(struct tpm_chip *chip, u16 alg,
				       u32 *handle, u8 *pub, size_t pub_max,
				       size_t *pub_len)
{
	struct tpm_buf buf;
	u32 resp_len, off;
	u16 size;
	ssize_t rc;

	rc = tpm_buf_init(&buf, TPM2_ST_SESSIONS, TPM2_CC_CREATE_PRIMARY);
	if (rc)
		return rc;
	tpm_buf_append_u32(&buf, HROT_TPM_RH_ENDORSEMENT);
	hrot_buf_append_empty_auth(&buf);
	tpm_buf_append_u16(&buf, 4);	/* TPM2B_SENSITIVE_CREATE */
	tpm_buf_append_u16(&buf, 0);	/* userAuth */
	tpm_buf_append_u16(&buf, 0);	/* data */
	hrot_buf_append_ek_template(&buf, alg);
	tpm_buf_append_u16(&buf, 0);	/* outsideInfo */
	tpm_buf_append_u32(&buf, 0);	/* creationPCR */
	if (buf.flags & TPM_BUF_OVERFLOW) {
		rc = -E2BIG;
		goto out;
	}

	rc = tpm_transmit_cmd(chip, &buf, 4 + 4 + 2, "creating the EK");
	rc = hrot_tpm2_result(rc, "TPM2_CreatePrimary(EK)");
	if (rc)
		goto out;

	/* handle, parameterSize, then TPM2B_PUBLIC outPublic */
	resp_len = get_unaligned_be32(&buf.data[2]);
	off = TPM_HEADER_SIZE;
	*handle = get_unaligned_be32(&buf.data[off]);
	off += 8;
	size = get_unaligned_be16(&buf.data[off]);
	off += 2;
	if (off + size > resp_len || size > pub_max) {
		pr_err("hrot: TPM2_CreatePrimary(EK): bad outPublic size %u\n",
		       size);
		hrot_tpm2_flush(chip, *handle);
		rc = -EIO;
		goto out;
	}
	memcpy(pub, &buf.data[off], size);
	*pub_len = size;
out:
	tpm_buf_destroy(&buf);
	return rc;
}

/**
 * hrot_tpm2_create_ek() - re-create the endorsement key from its template
 * @chip:    the chip, ops held
 * @handle:  out: transient handle, to be flushed by the caller
 * @pub:     out: the EK's TPMT_PUBLIC
 * @pub_max: room in @pub
 * @pub_len: out: bytes in @pub
 * @alg:     out: TPM_ALG_ECC or TPM_ALG_RSA
 *
 * ECC NIST P-256 first; RSA 2048 when the TPM refuses it.
 *
 * Return: 0 or -errno.
 */
int hrot_tpm2_create_ek(struct tpm_chip *chip, u32 *handle, u8 *pub,
			size_t pub_max, size_t *pub_len, u16 *alg)
{
	int rc;

	*alg = HROT_TPM_ALG_ECC;
	rc = hrot_tpm2_create_primary_ek(chip, *alg, handle, pub, pub_max,
					 pub_len);
	if (rc != -EIO)
		return rc;
	*alg = HROT_TPM_ALG_RSA;
	return hrot_tpm2_create_primary_ek(chip, *alg, handle, pub, pub_max,
					   pub_len);
}

/**
 * hrot_tpm2_flush() - TPM2_FlushContext
 * @chip:   the chip, ops held
 * @handle: a transient object or session
 *
 * Return: 0 or -errno.
 */
int hrot_tpm2_flush(struct tpm_chip *chip, u32 handle)
{
	struct tpm_buf buf;
	int rc;

	rc = tpm_buf_init(&buf, TPM2_ST_NO_SESSIONS, TPM2_CC_FLUSH_CONTEXT);
	if (rc)
		return rc;
	tpm_buf_append_u32(&buf, handle);
	rc = tpm_transmit_cmd(chip, &buf, 0, "flushing a context");
	tpm_buf_destroy(&buf);
	return hrot_tpm2_result(rc, "TPM2_FlushContext");
}
