// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: TPM 2.0 commands the module marshals itself, with the kernel's
 * tpm_buf helpers and tpm_transmit_cmd().  Every function here runs inside
 * a tpm_try_get_ops()/tpm_put_ops() section owned by the caller, which also
 * flushes every transient object and session it created before leaving
 * that section, so userspace TPM users (/dev/tpmrm0) never see ours.
 *
 * Responses are read through struct hrot_rsp, which checks every length
 * against what the TPM actually returned.
 */
#include <linux/bitops.h>
#include <linux/random.h>
#include <linux/tpm.h>
#include <asm/unaligned.h>
#include <crypto/sha2.h>

#include "hrot.h"

/* Not in the 6.1 <linux/tpm.h>. */
#define HROT_TPM_RH_OWNER		0x40000001
#define HROT_TPM_RH_ENDORSEMENT		0x4000000B
#define HROT_TPM_ALG_HMAC		0x0005
#define HROT_TPM_ALG_KEYEDHASH		0x0008
#define HROT_TPM2_CC_HMAC		0x0155
#define HROT_TPM_ALG_AES		0x0006
#define HROT_TPM_ALG_CFB		0x0043
#define HROT_TPM_SE_POLICY		0x01
#define HROT_TPM2_CC_ACTIVATE_CREDENTIAL 0x0147
#define HROT_TPM2_CC_POLICY_SECRET	0x0151
#define HROT_TPM2_CC_QUOTE		0x0158
#define HROT_TPM2_CC_NV_READ_PUBLIC	0x0169
#define HROT_TPM2_CC_START_AUTH_SESSION	0x0176

/* NV reads in pieces every TPM accepts (TPM_PT_NV_BUFFER_MAX >= 512). */
#define HROT_NV_CHUNK			512

/*
 * TCG EK Credential Profile policies: PolicyA (PolicySecret(EH)) in SHA-256
 * for the low-range templates, PolicyB (PolicyOR(PolicyA, PolicyC)) in
 * SHA-384 for H-3.
 */
static const u8 hrot_policy_a_sha256[32] = {
	0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xB3, 0xF8,
	0x1A, 0x90, 0xCC, 0x8D, 0x46, 0xA5, 0xD7, 0x24,
	0xFD, 0x52, 0xD7, 0x6E, 0x06, 0x52, 0x0B, 0x64,
	0xF2, 0xA1, 0xDA, 0x1B, 0x33, 0x14, 0x69, 0xAA,
};

static const u8 hrot_policy_b_sha384[48] = {
	0xB2, 0x6E, 0x7D, 0x28, 0xD1, 0x1A, 0x50, 0xBC,
	0x53, 0xD8, 0x82, 0xBC, 0xF5, 0xFD, 0x3A, 0x1A,
	0x07, 0x41, 0x48, 0xBB, 0x35, 0xD3, 0xB4, 0xE4,
	0xCB, 0x1C, 0x0A, 0xD9, 0xBD, 0xE4, 0x19, 0xCA,
	0xCB, 0x47, 0xBA, 0x09, 0x69, 0x96, 0x46, 0x15,
	0x0F, 0x9F, 0xC0, 0x00, 0xF3, 0xF8, 0x0E, 0x12,
};

/* The unique field of the AK template: makes it hrot's own primary key. */
static const u8 hrot_ak_unique[32] = "hrot attestation key v1";

/**
 * struct hrot_template - a primary key's TPMT_PUBLIC, as data
 * @type:       TPM_ALG_RSA or TPM_ALG_ECC
 * @name_alg:   nameAlg
 * @attributes: TPMA_OBJECT
 * @policy:     authPolicy, @policy_len bytes
 * @sym_bits:   AES key bits of the symmetric definition, 0 for TPM_ALG_NULL
 * @scheme:     signing scheme (TPM_ALG_ECDSA) or TPM_ALG_NULL
 * @curve:      ECC curve, or the RSA key bits
 * @unique_len: bytes of each unique coordinate (or the RSA modulus)
 * @unique:     their contents (zeros when NULL)
 */
struct hrot_template {
	u16 type;
	u16 name_alg;
	u32 attributes;
	const u8 *policy;
	u16 policy_len;
	u16 sym_bits;
	u16 scheme;
	u16 curve;
	u16 unique_len;
	const u8 *unique;
};

static const struct hrot_template hrot_templates[] = {
	[HROT_EK_L1_RSA2048] = {
		HROT_TPM_ALG_RSA, TPM_ALG_SHA256, 0x000300B2,
		hrot_policy_a_sha256, 32, 128, TPM_ALG_NULL, 2048, 256, NULL },
	[HROT_EK_L2_ECC_P256] = {
		HROT_TPM_ALG_ECC, TPM_ALG_SHA256, 0x000300B2,
		hrot_policy_a_sha256, 32, 128, TPM_ALG_NULL,
		HROT_TPM_ECC_NIST_P256, 32, NULL },
	[HROT_EK_H3_ECC_P384] = {
		HROT_TPM_ALG_ECC, TPM_ALG_SHA384, 0x000300F2,
		hrot_policy_b_sha384, 48, 256, TPM_ALG_NULL,
		HROT_TPM_ECC_NIST_P384, 0, NULL },
};

/*
 * The AK: fixedTPM, fixedParent, sensitiveDataOrigin, userWithAuth, noDA,
 * restricted, sign; ECDSA P-256 with SHA-256; no policy.  noDA because its
 * authValue is empty (there is nothing to guess) and every use would
 * otherwise count for dictionary-attack protection: after a few power
 * losses following a quote (each raises failedTries) the TPM refuses every
 * quote with TPM_RC_LOCKOUT until it heals, and the machine cannot attest.
 */
static const struct hrot_template hrot_ak_template = {
	HROT_TPM_ALG_ECC, TPM_ALG_SHA256, 0x00050472, NULL, 0, 0,
	HROT_TPM_ALG_ECDSA, HROT_TPM_ECC_NIST_P256, 32, hrot_ak_unique,
};

/* A cursor over a response body, bounded by what the TPM returned. */
struct hrot_rsp {
	const u8 *p;
	u32 left;
	bool bad;
};

static void hrot_rsp_init_mem(struct hrot_rsp *r, const u8 *p, u32 len)
{
	r->p = p;
	r->left = len;
	r->bad = false;
}

static void hrot_rsp_init(struct hrot_rsp *r, struct tpm_buf *buf)
{
	u32 len = get_unaligned_be32(&buf->data[2]);

	hrot_rsp_init_mem(r, &buf->data[TPM_HEADER_SIZE],
			  len > TPM_HEADER_SIZE ? len - TPM_HEADER_SIZE : 0);
}

static const u8 *hrot_rsp_take(struct hrot_rsp *r, u32 n)
{
	const u8 *p = r->p;

	if (r->bad || n > r->left) {
		r->bad = true;
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return p;
}

static u16 hrot_rsp_u16(struct hrot_rsp *r)
{
	const u8 *p = hrot_rsp_take(r, 2);

	return p ? get_unaligned_be16(p) : 0;
}

static u32 hrot_rsp_u32(struct hrot_rsp *r)
{
	const u8 *p = hrot_rsp_take(r, 4);

	return p ? get_unaligned_be32(p) : 0;
}

/* A TPM2B: returns its body, @len its size. */
static const u8 *hrot_rsp_tpm2b(struct hrot_rsp *r, u16 *len)
{
	*len = hrot_rsp_u16(r);
	return hrot_rsp_take(r, *len);
}

static void hrot_buf_append_zeros(struct tpm_buf *buf, u16 n)
{
	static const u8 zeros[64];

	while (n) {
		u16 k = min_t(u16, n, sizeof(zeros));

		tpm_buf_append(buf, zeros, k);
		n -= k;
	}
}

static void hrot_buf_append_tpm2b(struct tpm_buf *buf, const u8 *data, u16 len)
{
	tpm_buf_append_u16(buf, len);
	if (len)
		tpm_buf_append(buf, data, len);
}

/* One TPMS_AUTH_COMMAND of a password (or policy) session, empty auth. */
static void hrot_buf_append_session(struct tpm_buf *buf, u32 handle)
{
	tpm_buf_append_u32(buf, handle);
	tpm_buf_append_u16(buf, 0);		/* nonce */
	tpm_buf_append_u8(buf, 0);		/* attributes */
	tpm_buf_append_u16(buf, 0);		/* hmac (password) */
}

static void hrot_buf_append_empty_auth(struct tpm_buf *buf)
{
	tpm_buf_append_u32(buf, 9);		/* authorizationSize */
	hrot_buf_append_session(buf, TPM2_RS_PW);
}

static void hrot_buf_append_unique(struct tpm_buf *buf,
				   const struct hrot_template *t)
{
	tpm_buf_append_u16(buf, t->unique_len);
	if (t->unique)
		tpm_buf_append(buf, t->unique, t->unique_len);
	else
		hrot_buf_append_zeros(buf, t->unique_len);
}

/* A template as TPM2B_PUBLIC. */
static void hrot_buf_append_public(struct tpm_buf *buf,
				   const struct hrot_template *t)
{
	u32 size_off = tpm_buf_length(buf);

	tpm_buf_append_u16(buf, 0);	/* size, patched below */
	tpm_buf_append_u16(buf, t->type);
	tpm_buf_append_u16(buf, t->name_alg);
	tpm_buf_append_u32(buf, t->attributes);
	hrot_buf_append_tpm2b(buf, t->policy, t->policy_len);
	if (t->sym_bits) {
		tpm_buf_append_u16(buf, HROT_TPM_ALG_AES);
		tpm_buf_append_u16(buf, t->sym_bits);
		tpm_buf_append_u16(buf, HROT_TPM_ALG_CFB);
	} else {
		tpm_buf_append_u16(buf, TPM_ALG_NULL);
	}
	tpm_buf_append_u16(buf, t->scheme);
	if (t->scheme != TPM_ALG_NULL)
		tpm_buf_append_u16(buf, TPM_ALG_SHA256);
	if (t->type == HROT_TPM_ALG_ECC) {
		tpm_buf_append_u16(buf, t->curve);
		tpm_buf_append_u16(buf, TPM_ALG_NULL);	/* kdf */
		hrot_buf_append_unique(buf, t);		/* x */
		tpm_buf_append_u16(buf, t->unique_len);	/* y */
		hrot_buf_append_zeros(buf, t->unique_len);
	} else {
		tpm_buf_append_u16(buf, t->curve);	/* keyBits */
		tpm_buf_append_u32(buf, 0);		/* exponent */
		hrot_buf_append_unique(buf, t);
	}
	put_unaligned_be16(tpm_buf_length(buf) - size_off - 2,
			   &buf->data[size_off]);
}

/*
 * Turn tpm_transmit_cmd()'s result into an errno, saying in one line what
 * the TPM answered.
 */
int hrot_tpm2_result(ssize_t rc, const char *what)
{
	if (rc > 0) {
		pr_err("hrot: %s: TPM error 0x%03zx\n", what, rc);
		return -EIO;
	}
	if (rc < 0)
		pr_err("hrot: %s: %zd\n", what, rc);
	return rc;
}

static int hrot_tpm2_send(struct tpm_chip *chip, struct tpm_buf *buf,
			  size_t min_body, const char *what)
{
	if (buf->flags & TPM_BUF_OVERFLOW)
		return -E2BIG;
	return hrot_tpm2_result(tpm_transmit_cmd(chip, buf, min_body, NULL),
				what);
}

static int hrot_tpm2_create_primary(struct tpm_chip *chip,
				    const struct hrot_template *t, u32 *handle,
				    u8 *pub, size_t pub_max, size_t *pub_len)
{
	struct tpm_buf buf;
	struct hrot_rsp r;
	const u8 *out;
	u16 size;
	int rc;

	rc = tpm_buf_init(&buf, TPM2_ST_SESSIONS, TPM2_CC_CREATE_PRIMARY);
	if (rc)
		return rc;
	tpm_buf_append_u32(&buf, HROT_TPM_RH_ENDORSEMENT);
	hrot_buf_append_empty_auth(&buf);
	tpm_buf_append_u16(&buf, 4);	/* TPM2B_SENSITIVE_CREATE */
	tpm_buf_append_u16(&buf, 0);	/* userAuth */
	tpm_buf_append_u16(&buf, 0);	/* data */
	hrot_buf_append_public(&buf, t);
	tpm_buf_append_u16(&buf, 0);	/* outsideInfo */
	tpm_buf_append_u32(&buf, 0);	/* creationPCR */

	rc = hrot_tpm2_send(chip, &buf, 4 + 4 + 2, "TPM2_CreatePrimary");
	if (rc)
		goto out;

	hrot_rsp_init(&r, &buf);
	*handle = hrot_rsp_u32(&r);
	hrot_rsp_u32(&r);		/* parameterSize */
	out = hrot_rsp_tpm2b(&r, &size);
	if (r.bad || size > pub_max) {
		pr_err("hrot: TPM2_CreatePrimary: bad outPublic (%u bytes)\n",
		       size);
		hrot_tpm2_flush(chip, *handle);
		rc = -EIO;
		goto out;
	}
	memcpy(pub, out, size);
	*pub_len = size;
out:
	tpm_buf_destroy(&buf);
	return rc;
}

/**
 * hrot_tpm2_create_ek() - re-create an endorsement key from its template
 * @chip:     the chip, ops held
 * @template: HROT_EK_*
 * @handle:   out: transient handle, to be flushed by the caller
 * @pub:      out: the EK's TPMT_PUBLIC
 * @pub_max:  room in @pub
 * @pub_len:  out: bytes in @pub
 *
 * Return: 0 or -errno (-EIO for a TPM error, e.g. an unsupported curve).
 */
int hrot_tpm2_create_ek(struct tpm_chip *chip, u32 template, u32 *handle,
			u8 *pub, size_t pub_max, size_t *pub_len)
{
	if (template < HROT_EK_L1_RSA2048 || template > HROT_EK_H3_ECC_P384)
		return -EINVAL;
	return hrot_tpm2_create_primary(chip, &hrot_templates[template],
					handle, pub, pub_max, pub_len);
}

/**
 * hrot_tpm2_create_ak() - re-create the attestation key from its template
 * @chip:    the chip, ops held
 * @handle:  out: transient handle, to be flushed by the caller
 * @pub:     out: the AK's TPMT_PUBLIC
 * @pub_max: room in @pub
 * @pub_len: out: bytes in @pub
 *
 * A primary key of the endorsement hierarchy: derived from the TPM's
 * endorsement seed and this template, so the same key on every boot and
 * nothing to store.
 *
 * Return: 0 or -errno.
 */
int hrot_tpm2_create_ak(struct tpm_chip *chip, u32 *handle, u8 *pub,
			size_t pub_max, size_t *pub_len)
{
	return hrot_tpm2_create_primary(chip, &hrot_ak_template, handle, pub,
					pub_max, pub_len);
}

/*
 * A component key (seed 002): a keyed-hash primary key of the owner
 * hierarchy, HMAC-SHA256; fixedTPM, fixedParent, sensitiveDataOrigin,
 * userWithAuth, noDA, sign; no policy; its unique field is the component's
 * digest, so each executable has its own key and a cleared TPM (a new
 * owner) gives every one a new key.  Nothing is stored: re-created on use.
 */
#define HROT_COMPONENT_KEY_ATTRS	0x00040472

static void hrot_buf_append_hmac_public(struct tpm_buf *buf, const u8 *unique)
{
	u32 size_off = tpm_buf_length(buf);

	tpm_buf_append_u16(buf, 0);	/* size, patched below */
	tpm_buf_append_u16(buf, HROT_TPM_ALG_KEYEDHASH);
	tpm_buf_append_u16(buf, TPM_ALG_SHA256);
	tpm_buf_append_u32(buf, HROT_COMPONENT_KEY_ATTRS);
	tpm_buf_append_u16(buf, 0);			/* authPolicy */
	tpm_buf_append_u16(buf, HROT_TPM_ALG_HMAC);	/* scheme */
	tpm_buf_append_u16(buf, TPM_ALG_SHA256);	/* its hash */
	hrot_buf_append_tpm2b(buf, unique, SHA256_DIGEST_SIZE);
	put_unaligned_be16(tpm_buf_length(buf) - size_off - 2,
			   &buf->data[size_off]);
}

static int hrot_tpm2_create_component_key(struct tpm_chip *chip,
					  const u8 *component, u32 *handle)
{
	struct tpm_buf buf;
	struct hrot_rsp r;
	int rc;

	rc = tpm_buf_init(&buf, TPM2_ST_SESSIONS, TPM2_CC_CREATE_PRIMARY);
	if (rc)
		return rc;
	tpm_buf_append_u32(&buf, HROT_TPM_RH_OWNER);
	hrot_buf_append_empty_auth(&buf);
	tpm_buf_append_u16(&buf, 4);	/* TPM2B_SENSITIVE_CREATE */
	tpm_buf_append_u16(&buf, 0);	/* userAuth */
	tpm_buf_append_u16(&buf, 0);	/* data */
	hrot_buf_append_hmac_public(&buf, component);
	tpm_buf_append_u16(&buf, 0);	/* outsideInfo */
	tpm_buf_append_u32(&buf, 0);	/* creationPCR */
	rc = hrot_tpm2_send(chip, &buf, 4, "TPM2_CreatePrimary (component key)");
	if (!rc) {
		hrot_rsp_init(&r, &buf);
		*handle = hrot_rsp_u32(&r);
		rc = r.bad ? -EIO : 0;
	}
	tpm_buf_destroy(&buf);
	return rc;
}

static int hrot_tpm2_hmac(struct tpm_chip *chip, u32 key, const u8 *data,
			  u16 len, u8 *out)
{
	struct tpm_buf buf;
	struct hrot_rsp r;
	const u8 *mac;
	u16 size;
	int rc;

	rc = tpm_buf_init(&buf, TPM2_ST_SESSIONS, HROT_TPM2_CC_HMAC);
	if (rc)
		return rc;
	tpm_buf_append_u32(&buf, key);
	hrot_buf_append_empty_auth(&buf);
	hrot_buf_append_tpm2b(&buf, data, len);
	tpm_buf_append_u16(&buf, TPM_ALG_SHA256);
	rc = hrot_tpm2_send(chip, &buf, 4 + 2, "TPM2_HMAC");
	if (rc)
		goto out;
	hrot_rsp_init(&r, &buf);
	hrot_rsp_u32(&r);		/* parameterSize */
	mac = hrot_rsp_tpm2b(&r, &size);
	if (r.bad || size != SHA256_DIGEST_SIZE) {
		pr_err("hrot: TPM2_HMAC: %u bytes, want %u\n", size,
		       SHA256_DIGEST_SIZE);
		rc = -EIO;
		goto out;
	}
	memcpy(out, mac, SHA256_DIGEST_SIZE);
out:
	/* the response held the key's output */
	memzero_explicit(buf.data, PAGE_SIZE);
	tpm_buf_destroy(&buf);
	return rc;
}

/**
 * hrot_tpm2_component_hmac() - HMAC by a component's key
 * @chip:      the chip, ops held
 * @component: the component's SHA-256, selecting its key
 * @data:      what to MAC, @len bytes (at most HROT_LABEL_MAX)
 * @len:       its length
 * @out:       out: 32 bytes
 *
 * Return: 0 or -errno (-EIO for a TPM error, e.g. an owner password set).
 */
int hrot_tpm2_component_hmac(struct tpm_chip *chip, const u8 *component,
			     const u8 *data, u16 len, u8 *out)
{
	u32 key;
	int rc;

	rc = hrot_tpm2_create_component_key(chip, component, &key);
	if (rc)
		return rc;
	rc = hrot_tpm2_hmac(chip, key, data, len, out);
	hrot_tpm2_flush(chip, key);
	return rc;
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
	rc = hrot_tpm2_send(chip, &buf, 0, "TPM2_FlushContext");
	tpm_buf_destroy(&buf);
	return rc;
}

/**
 * hrot_tpm2_nv_size() - the data size of an NV index, if it exists
 * @chip:  the chip, ops held
 * @index: NV index
 * @size:  out: its dataSize
 *
 * Return: 0, -ENOENT when the TPM has no such index, or -errno.
 */
int hrot_tpm2_nv_size(struct tpm_chip *chip, u32 index, u16 *size)
{
	struct tpm_buf buf;
	struct hrot_rsp r;
	ssize_t rc;
	u16 len;

	rc = tpm_buf_init(&buf, TPM2_ST_NO_SESSIONS, HROT_TPM2_CC_NV_READ_PUBLIC);
	if (rc)
		return rc;
	tpm_buf_append_u32(&buf, index);
	/* An absent index is an answer here, not an error worth a log line. */
	rc = tpm_transmit_cmd(chip, &buf, 2, NULL);
	if (rc > 0) {
		rc = -ENOENT;
		goto out;
	}
	if (rc < 0)
		goto out;

	/* TPM2B_NV_PUBLIC: nvIndex, nameAlg, attributes, authPolicy, dataSize */
	hrot_rsp_init(&r, &buf);
	hrot_rsp_u16(&r);
	hrot_rsp_take(&r, 4 + 2 + 4);
	hrot_rsp_tpm2b(&r, &len);
	*size = hrot_rsp_u16(&r);
	rc = r.bad ? -EIO : 0;
out:
	tpm_buf_destroy(&buf);
	return rc;
}

static int hrot_tpm2_nv_read_chunk(struct tpm_chip *chip, u32 index, u8 *out,
				   u16 size, u16 offset)
{
	struct tpm_buf buf;
	struct hrot_rsp r;
	const u8 *data;
	u16 len;
	int rc;

	rc = tpm_buf_init(&buf, TPM2_ST_SESSIONS, TPM2_CC_NV_READ);
	if (rc)
		return rc;
	tpm_buf_append_u32(&buf, index);	/* authHandle: the index */
	tpm_buf_append_u32(&buf, index);
	hrot_buf_append_empty_auth(&buf);
	tpm_buf_append_u16(&buf, size);
	tpm_buf_append_u16(&buf, offset);
	rc = hrot_tpm2_send(chip, &buf, 4 + 2, "TPM2_NV_Read");
	if (rc)
		goto out;

	hrot_rsp_init(&r, &buf);
	hrot_rsp_u32(&r);		/* parameterSize */
	data = hrot_rsp_tpm2b(&r, &len);
	if (r.bad || len != size) {
		rc = -EIO;
		goto out;
	}
	memcpy(out, data, size);
out:
	tpm_buf_destroy(&buf);
	return rc;
}

/**
 * hrot_tpm2_nv_read() - read a whole NV index, authorized by itself
 * @chip:  the chip, ops held
 * @index: NV index
 * @out:   @size bytes
 * @size:  the index's data size
 *
 * Return: 0 or -errno.
 */
int hrot_tpm2_nv_read(struct tpm_chip *chip, u32 index, u8 *out, u16 size)
{
	u16 off, n;
	int rc;

	for (off = 0; off < size; off += n) {
		n = min_t(u16, size - off, HROT_NV_CHUNK);
		rc = hrot_tpm2_nv_read_chunk(chip, index, out + off, n, off);
		if (rc)
			return rc;
	}
	return 0;
}

static void hrot_buf_append_pcr_selection(struct tpm_buf *buf, u32 mask)
{
	tpm_buf_append_u32(buf, 1);		/* count */
	tpm_buf_append_u16(buf, TPM_ALG_SHA256);
	tpm_buf_append_u8(buf, TPM2_PCR_SELECT_MIN);
	tpm_buf_append_u8(buf, mask & 0xff);
	tpm_buf_append_u8(buf, (mask >> 8) & 0xff);
	tpm_buf_append_u8(buf, (mask >> 16) & 0xff);
}

/**
 * hrot_tpm2_quote() - TPM2_Quote of SHA-256 PCRs by the AK
 * @chip:     the chip, ops held
 * @ak:       the AK's handle
 * @q:        qualifying data, @q_len bytes
 * @q_len:    at most HROT_QUALIFYING_MAX
 * @mask:     PCRs
 * @attest:   out: TPMS_ATTEST, @attest_len bytes (room: PAGE_SIZE)
 * @attest_len: out
 * @sig:      out: TPMT_SIGNATURE, @sig_len bytes (room: PAGE_SIZE)
 * @sig_len:  out
 *
 * Return: 0 or -errno.
 */
int hrot_tpm2_quote(struct tpm_chip *chip, u32 ak, const u8 *q, u16 q_len,
		    u32 mask, u8 *attest, u16 *attest_len, u8 *sig,
		    u16 *sig_len)
{
	const u8 *a, *s;
	struct tpm_buf buf;
	struct hrot_rsp r;
	u16 alg, rl, sl;
	int rc;

	rc = tpm_buf_init(&buf, TPM2_ST_SESSIONS, HROT_TPM2_CC_QUOTE);
	if (rc)
		return rc;
	tpm_buf_append_u32(&buf, ak);
	hrot_buf_append_empty_auth(&buf);
	hrot_buf_append_tpm2b(&buf, q, q_len);
	tpm_buf_append_u16(&buf, HROT_TPM_ALG_ECDSA);
	tpm_buf_append_u16(&buf, TPM_ALG_SHA256);
	hrot_buf_append_pcr_selection(&buf, mask);
	rc = hrot_tpm2_send(chip, &buf, 4 + 2, "TPM2_Quote");
	if (rc)
		goto out;

	hrot_rsp_init(&r, &buf);
	hrot_rsp_u32(&r);		/* parameterSize */
	a = hrot_rsp_tpm2b(&r, attest_len);
	/* TPMT_SIGNATURE (ECDSA): sigAlg, hash, r, s */
	s = r.p;
	alg = hrot_rsp_u16(&r);
	hrot_rsp_u16(&r);
	hrot_rsp_tpm2b(&r, &rl);
	hrot_rsp_tpm2b(&r, &sl);
	if (r.bad || alg != HROT_TPM_ALG_ECDSA) {
		pr_err("hrot: TPM2_Quote: malformed response\n");
		rc = -EIO;
		goto out;
	}
	*sig_len = 2 + 2 + 2 + rl + 2 + sl;
	memcpy(attest, a, *attest_len);
	memcpy(sig, s, *sig_len);
out:
	tpm_buf_destroy(&buf);
	return rc;
}

/* PCRs named in a returned TPML_PCR_SELECTION (SHA-256 bank only). */
static u32 hrot_rsp_pcr_selection(struct hrot_rsp *r)
{
	u32 count = hrot_rsp_u32(r), mask = 0, i, j;
	const u8 *sel;
	u16 alg;
	u8 n;

	for (i = 0; i < count && !r->bad; i++) {
		alg = hrot_rsp_u16(r);
		sel = hrot_rsp_take(r, 1);
		n = sel ? *sel : 0;
		sel = hrot_rsp_take(r, n);
		if (!sel || alg != TPM_ALG_SHA256)
			continue;
		for (j = 0; j < n && j < 3; j++)
			mask |= (u32)sel[j] << (8 * j);
	}
	return mask;
}

/**
 * hrot_tpm2_pcr_read() - read SHA-256 PCRs, several commands if need be
 * @chip:   the chip, ops held
 * @mask:   PCRs wanted
 * @values: out: 32 bytes per PCR, ascending order
 *
 * A TPM returns at most eight digests per TPM2_PCR_Read; ask again for the
 * rest until every PCR is read.
 *
 * Return: 0 or -errno.
 */
int hrot_tpm2_pcr_read(struct tpm_chip *chip, u32 mask, u8 *values)
{
	u32 left = mask, got, pcr;
	const u8 *d;
	struct tpm_buf buf;
	struct hrot_rsp r;
	u32 count;
	u16 len;
	int rc;

	while (left) {
		rc = tpm_buf_init(&buf, TPM2_ST_NO_SESSIONS, TPM2_CC_PCR_READ);
		if (rc)
			return rc;
		hrot_buf_append_pcr_selection(&buf, left);
		rc = hrot_tpm2_send(chip, &buf, 8, "TPM2_PCR_Read");
		if (rc)
			goto out;

		hrot_rsp_init(&r, &buf);
		hrot_rsp_u32(&r);		/* pcrUpdateCounter */
		got = hrot_rsp_pcr_selection(&r) & left;
		count = hrot_rsp_u32(&r);
		if (r.bad || !got || count != hweight32(got)) {
			pr_err("hrot: TPM2_PCR_Read: malformed response\n");
			rc = -EIO;
			goto out;
		}
		for (pcr = 0; pcr < HROT_PCR_COUNT; pcr++) {
			if (!(got & BIT(pcr)))
				continue;
			d = hrot_rsp_tpm2b(&r, &len);
			if (!d || len != SHA256_DIGEST_SIZE) {
				rc = -EIO;
				goto out;
			}
			memcpy(values + SHA256_DIGEST_SIZE *
			       hweight32(mask & (BIT(pcr) - 1)), d, len);
		}
		left &= ~got;
		tpm_buf_destroy(&buf);
	}
	return 0;
out:
	tpm_buf_destroy(&buf);
	return rc;
}

/**
 * hrot_tpm2_ek_policy_session() - a policy session satisfying the EK policy
 * @chip:    the chip, ops held
 * @session: out: the session handle, flushed by the caller on error
 *
 * StartAuthSession (policy, SHA-256, unbound, unsalted), then
 * PolicySecret(TPM_RH_ENDORSEMENT): the low-range EK templates' policy.
 *
 * Return: 0 or -errno.
 */
int hrot_tpm2_ek_policy_session(struct tpm_chip *chip, u32 *session)
{
	u8 nonce[SHA256_DIGEST_SIZE];
	struct tpm_buf buf;
	struct hrot_rsp r;
	int rc;

	get_random_bytes(nonce, sizeof(nonce));
	rc = tpm_buf_init(&buf, TPM2_ST_NO_SESSIONS,
			  HROT_TPM2_CC_START_AUTH_SESSION);
	if (rc)
		return rc;
	tpm_buf_append_u32(&buf, HROT_TPM_RH_NULL);	/* tpmKey */
	tpm_buf_append_u32(&buf, HROT_TPM_RH_NULL);	/* bind */
	hrot_buf_append_tpm2b(&buf, nonce, sizeof(nonce));
	tpm_buf_append_u16(&buf, 0);			/* encryptedSalt */
	tpm_buf_append_u8(&buf, HROT_TPM_SE_POLICY);
	tpm_buf_append_u16(&buf, TPM_ALG_NULL);		/* symmetric */
	tpm_buf_append_u16(&buf, TPM_ALG_SHA256);	/* authHash */
	rc = hrot_tpm2_send(chip, &buf, 4, "TPM2_StartAuthSession");
	if (rc)
		goto out;
	hrot_rsp_init(&r, &buf);
	*session = hrot_rsp_u32(&r);

	tpm_buf_reset(&buf, TPM2_ST_SESSIONS, HROT_TPM2_CC_POLICY_SECRET);
	tpm_buf_append_u32(&buf, HROT_TPM_RH_ENDORSEMENT);
	tpm_buf_append_u32(&buf, *session);
	hrot_buf_append_empty_auth(&buf);
	tpm_buf_append_u16(&buf, 0);	/* nonceTPM */
	tpm_buf_append_u16(&buf, 0);	/* cpHashA */
	tpm_buf_append_u16(&buf, 0);	/* policyRef */
	tpm_buf_append_u32(&buf, 0);	/* expiration */
	rc = hrot_tpm2_send(chip, &buf, 0, "TPM2_PolicySecret");
out:
	tpm_buf_destroy(&buf);
	return rc;
}

/**
 * hrot_tpm2_activate_credential() - TPM2_ActivateCredential
 * @chip:     the chip, ops held
 * @ak:       activateHandle: the AK (password authorization, empty)
 * @ek:       keyHandle: the EK
 * @ek_auth:  the EK's authorization: a policy session, or TPM2_RS_PW for
 *            an EK template with userWithAuth (H-3)
 * @blob:     TPM2B_ID_OBJECT with its size prefix, @blob_len bytes
 * @blob_len: length
 * @secret:   TPM2B_ENCRYPTED_SECRET with its size prefix
 * @secret_len: length
 * @out:      out: certInfo, at most HROT_QUALIFYING_MAX bytes
 * @out_len:  out: its length
 *
 * A policy session passed in @ek_auth is used up by the command.
 *
 * Return: 0 or -errno (-EIO when the TPM refuses the credential).
 */
int hrot_tpm2_activate_credential(struct tpm_chip *chip, u32 ak, u32 ek,
				  u32 ek_auth, const u8 *blob, u16 blob_len,
				  const u8 *secret, u16 secret_len, u8 *out,
				  u16 *out_len)
{
	struct tpm_buf buf;
	struct hrot_rsp r;
	const u8 *d;
	int rc;

	rc = tpm_buf_init(&buf, TPM2_ST_SESSIONS,
			  HROT_TPM2_CC_ACTIVATE_CREDENTIAL);
	if (rc)
		return rc;
	tpm_buf_append_u32(&buf, ak);
	tpm_buf_append_u32(&buf, ek);
	tpm_buf_append_u32(&buf, 2 * 9);	/* authorizationSize */
	hrot_buf_append_session(&buf, TPM2_RS_PW);
	hrot_buf_append_session(&buf, ek_auth);
	tpm_buf_append(&buf, blob, blob_len);
	tpm_buf_append(&buf, secret, secret_len);
	rc = hrot_tpm2_send(chip, &buf, 4 + 2, "TPM2_ActivateCredential");
	if (rc)
		goto out;

	hrot_rsp_init(&r, &buf);
	hrot_rsp_u32(&r);		/* parameterSize */
	d = hrot_rsp_tpm2b(&r, out_len);
	if (r.bad || *out_len > HROT_QUALIFYING_MAX) {
		rc = -EIO;
		goto out;
	}
	memcpy(out, d, *out_len);
out:
	tpm_buf_destroy(&buf);
	return rc;
}

/**
 * hrot_tpm2_attest_pcr_digest() - the pcrDigest of a quote's TPMS_ATTEST
 * @attest: TPMS_ATTEST bytes
 * @len:    their length
 * @digest: out: SHA256_DIGEST_SIZE bytes
 *
 * Return: 0, or -EIO when @attest is not a well-formed SHA-256 quote.
 */
int hrot_tpm2_attest_pcr_digest(const u8 *attest, u16 len, u8 *digest)
{
	struct hrot_rsp r;
	const u8 *d;
	u16 n;

	hrot_rsp_init_mem(&r, attest, len);
	hrot_rsp_take(&r, 4 + 2);		/* magic, type */
	hrot_rsp_tpm2b(&r, &n);			/* qualifiedSigner */
	hrot_rsp_tpm2b(&r, &n);			/* extraData */
	hrot_rsp_take(&r, 8 + 4 + 4 + 1 + 8);	/* clockInfo, firmwareVersion */
	hrot_rsp_pcr_selection(&r);
	d = hrot_rsp_tpm2b(&r, &n);
	if (r.bad || n != SHA256_DIGEST_SIZE)
		return -EIO;
	memcpy(digest, d, n);
	return 0;
}
