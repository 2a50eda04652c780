// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: TPMT_SIGNATURE (Part 2, 11.3.4) of the RSA and ECC schemes.
 */
#include <errno.h>
#include <string.h>

#include "tpm_buf.h"

static bool is_ecc_sig(uint16_t alg)
{
	return alg == HROT_TPM_ALG_ECDSA || alg == HROT_TPM_ALG_ECDAA ||
	       alg == HROT_TPM_ALG_SM2 || alg == HROT_TPM_ALG_ECSCHNORR;
}

static bool is_rsa_sig(uint16_t alg)
{
	return alg == HROT_TPM_ALG_RSASSA || alg == HROT_TPM_ALG_RSAPSS;
}

static int rd_signature(struct tpm_rd *r, struct hrot_tpm_signature *s)
{
	int ret = rd_u16(r, "sigAlg", &s->sig_alg);

	if (ret || s->sig_alg == HROT_TPM_ALG_NULL)
		return ret;
	if (!is_ecc_sig(s->sig_alg) && !is_rsa_sig(s->sig_alg)) {
		r->off -= 2;
		return rd_fail(r, -HROT_TPM_EFORMAT,
			       "sigAlg: 0x%04x is not an RSA or ECC scheme",
			       s->sig_alg);
	}
	ret = rd_u16(r, "signature.hash", &s->hash);
	if (ret)
		return ret;
	if (is_rsa_sig(s->sig_alg))
		return rd_2b(r, "signature.sig", s->r, HROT_TPM_MAX_RSA_BYTES,
			     &s->r_size);
	ret = rd_2b(r, "signature.signatureR", s->r, HROT_TPM_MAX_ECC_BYTES,
		    &s->r_size);
	return ret ? ret : rd_2b(r, "signature.signatureS", s->s,
				 HROT_TPM_MAX_ECC_BYTES, &s->s_size);
}

int hrot_tpm_signature_unmarshal(const void *buf, size_t len,
				 struct hrot_tpm_signature *out,
				 struct hrot_tpm_diag *diag)
{
	struct tpm_rd r;
	int ret;

	memset(out, 0, sizeof(*out));
	rd_init(&r, buf, len, diag);
	ret = rd_signature(&r, out);
	return ret ? ret : rd_end(&r, "TPMT_SIGNATURE");
}

int hrot_tpm_signature_marshal(const struct hrot_tpm_signature *s,
			       uint8_t *buf, size_t size)
{
	struct tpm_wr w;

	wr_init(&w, buf, size);
	wr_u16(&w, s->sig_alg);
	if (s->sig_alg == HROT_TPM_ALG_NULL)
		return wr_done(&w);
	if (is_rsa_sig(s->sig_alg) && s->r_size <= HROT_TPM_MAX_RSA_BYTES) {
		wr_u16(&w, s->hash);
		wr_2b(&w, s->r, s->r_size);
		return wr_done(&w);
	}
	if (!is_ecc_sig(s->sig_alg) || s->r_size > HROT_TPM_MAX_ECC_BYTES ||
	    s->s_size > HROT_TPM_MAX_ECC_BYTES)
		return -EINVAL;
	wr_u16(&w, s->hash);
	wr_2b(&w, s->r, s->r_size);
	wr_2b(&w, s->s, s->s_size);
	return wr_done(&w);
}
