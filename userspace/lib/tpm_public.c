// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: TPMT_PUBLIC and TPM2B_PUBLIC of RSA and ECC keys (Part 2,
 * 12.2.4 and 12.2.5), both ways.
 */
#include <errno.h>
#include <string.h>

#include "tpm_buf.h"

/* TPMT_SYM_DEF_OBJECT: algorithm, and keyBits and mode unless NULL. */
static int rd_sym(struct tpm_rd *r, struct hrot_tpm_public *p)
{
	int ret = rd_u16(r, "symmetric.algorithm", &p->sym_alg);

	if (ret || p->sym_alg == HROT_TPM_ALG_NULL)
		return ret;
	ret = rd_u16(r, "symmetric.keyBits", &p->sym_bits);
	return ret ? ret : rd_u16(r, "symmetric.mode", &p->sym_mode);
}

/* TPMT_RSA_SCHEME / TPMT_ECC_SCHEME: scheme, hashAlg, ECDAA's count. */
static int rd_scheme(struct tpm_rd *r, struct hrot_tpm_public *p)
{
	int ret = rd_u16(r, "scheme.scheme", &p->scheme);

	if (ret || p->scheme == HROT_TPM_ALG_NULL)
		return ret;
	ret = rd_u16(r, "scheme.hashAlg", &p->scheme_hash);
	if (ret || p->scheme != HROT_TPM_ALG_ECDAA)
		return ret;
	return rd_u16(r, "scheme.count", &p->scheme_count);
}

static int rd_rsa(struct tpm_rd *r, struct hrot_tpm_public *p)
{
	int ret = rd_u16(r, "rsa.keyBits", &p->rsa_bits);

	if (!ret)
		ret = rd_u32(r, "rsa.exponent", &p->exponent);
	if (!ret)
		ret = rd_2b(r, "unique.rsa", p->unique, HROT_TPM_MAX_RSA_BYTES,
			    &p->unique_size);
	return ret;
}

static int rd_ecc(struct tpm_rd *r, struct hrot_tpm_public *p)
{
	int ret = rd_u16(r, "ecc.curveID", &p->curve);

	if (!ret)
		ret = rd_u16(r, "ecc.kdf.scheme", &p->kdf);
	if (!ret && p->kdf != HROT_TPM_ALG_NULL)
		ret = rd_u16(r, "ecc.kdf.hashAlg", &p->kdf_hash);
	if (!ret)
		ret = rd_2b(r, "unique.ecc.x", p->unique, HROT_TPM_MAX_ECC_BYTES,
			    &p->unique_size);
	if (!ret)
		ret = rd_2b(r, "unique.ecc.y", p->y, HROT_TPM_MAX_ECC_BYTES,
			    &p->y_size);
	return ret;
}

static int rd_public(struct tpm_rd *r, struct hrot_tpm_public *p)
{
	int ret;

	memset(p, 0, sizeof(*p));
	ret = rd_u16(r, "type", &p->type);
	if (ret)
		return ret;
	if (p->type != HROT_TPM_ALG_RSA && p->type != HROT_TPM_ALG_ECC)
		return rd_fail(r, -HROT_TPM_EFORMAT,
			       "type: 0x%04x is neither RSA nor ECC", p->type);
	ret = rd_u16(r, "nameAlg", &p->name_alg);
	if (!ret)
		ret = rd_u32(r, "objectAttributes", &p->attributes);
	if (!ret)
		ret = rd_2b(r, "authPolicy", p->auth_policy,
			    HROT_TPM_MAX_DIGEST, &p->auth_policy_size);
	if (!ret)
		ret = rd_sym(r, p);
	if (!ret)
		ret = rd_scheme(r, p);
	if (ret)
		return ret;
	return p->type == HROT_TPM_ALG_RSA ? rd_rsa(r, p) : rd_ecc(r, p);
}

int hrot_tpm_public_unmarshal(const void *buf, size_t len,
			      struct hrot_tpm_public *out,
			      struct hrot_tpm_diag *diag)
{
	struct tpm_rd r;
	int ret;

	rd_init(&r, buf, len, diag);
	ret = rd_public(&r, out);
	return ret ? ret : rd_end(&r, "TPMT_PUBLIC");
}

int hrot_tpm2b_public_unmarshal(const void *buf, size_t len,
				struct hrot_tpm_public *out,
				struct hrot_tpm_diag *diag)
{
	struct tpm_rd r, inner;
	uint16_t size;
	int ret;

	rd_init(&r, buf, len, diag);
	ret = rd_u16(&r, "TPM2B_PUBLIC.size", &size);
	if (ret)
		return ret;
	if (size != len - 2)
		return rd_fail(&r, size > len - 2 ? -HROT_TPM_ETRUNCATED :
			       -HROT_TPM_EFORMAT,
			       "TPM2B_PUBLIC.size: %u, but %zu bytes follow",
			       size, len - 2);
	rd_init(&inner, (const uint8_t *)buf + 2, size, diag);
	ret = rd_public(&inner, out);
	if (!ret)
		ret = rd_end(&inner, "TPMT_PUBLIC");
	if (ret && diag)
		diag->offset += 2;
	return ret;
}

static void wr_sym_scheme(struct tpm_wr *w, const struct hrot_tpm_public *p)
{
	wr_u16(w, p->sym_alg);
	if (p->sym_alg != HROT_TPM_ALG_NULL) {
		wr_u16(w, p->sym_bits);
		wr_u16(w, p->sym_mode);
	}
	wr_u16(w, p->scheme);
	if (p->scheme != HROT_TPM_ALG_NULL)
		wr_u16(w, p->scheme_hash);
	if (p->scheme == HROT_TPM_ALG_ECDAA)
		wr_u16(w, p->scheme_count);
}

static bool public_valid(const struct hrot_tpm_public *p)
{
	if (p->auth_policy_size > HROT_TPM_MAX_DIGEST)
		return false;
	if (p->type == HROT_TPM_ALG_RSA)
		return p->unique_size <= HROT_TPM_MAX_RSA_BYTES;
	return p->type == HROT_TPM_ALG_ECC &&
	       p->unique_size <= HROT_TPM_MAX_ECC_BYTES &&
	       p->y_size <= HROT_TPM_MAX_ECC_BYTES;
}

int hrot_tpm_public_marshal(const struct hrot_tpm_public *p, uint8_t *buf,
			    size_t size)
{
	struct tpm_wr w;

	if (!public_valid(p))
		return -EINVAL;
	wr_init(&w, buf, size);
	wr_u16(&w, p->type);
	wr_u16(&w, p->name_alg);
	wr_u32(&w, p->attributes);
	wr_2b(&w, p->auth_policy, p->auth_policy_size);
	wr_sym_scheme(&w, p);
	if (p->type == HROT_TPM_ALG_RSA) {
		wr_u16(&w, p->rsa_bits);
		wr_u32(&w, p->exponent);
		wr_2b(&w, p->unique, p->unique_size);
	} else {
		wr_u16(&w, p->curve);
		wr_u16(&w, p->kdf);
		if (p->kdf != HROT_TPM_ALG_NULL)
			wr_u16(&w, p->kdf_hash);
		wr_2b(&w, p->unique, p->unique_size);
		wr_2b(&w, p->y, p->y_size);
	}
	return wr_done(&w);
}

int hrot_tpm2b_public_marshal(const struct hrot_tpm_public *p, uint8_t *buf,
			      size_t size)
{
	int n;

	if (size < 2)
		return public_valid(p) ? -ENOSPC : -EINVAL;
	n = hrot_tpm_public_marshal(p, buf + 2, size - 2);
	if (n < 0)
		return n;
	put_be16(buf, (uint16_t)n);
	return n + 2;
}
