// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: TPMT_PUBLIC to EVP_PKEY (OpenSSL 3 params), and public keys to
 * and from PEM and SubjectPublicKeyInfo DER.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <hrot/tpm_key.h>

const char *hrot_tpm_curve_name(uint16_t curve)
{
	switch (curve) {
	case HROT_TPM_ECC_NIST_P256:
		return "P-256";
	case HROT_TPM_ECC_NIST_P384:
		return "P-384";
	default:
		return NULL;
	}
}

size_t hrot_tpm_curve_size(uint16_t curve)
{
	switch (curve) {
	case HROT_TPM_ECC_NIST_P256:
		return 32;
	case HROT_TPM_ECC_NIST_P384:
		return 48;
	default:
		return 0;
	}
}

static int pkey_from_params(const char *type, OSSL_PARAM_BLD *bld,
			    EVP_PKEY **out)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	int ret = -ENOMEM;

	*out = NULL;
	if (params && ctx) {
		ret = -EINVAL;
		if (EVP_PKEY_fromdata_init(ctx) == 1 &&
		    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY,
				      params) == 1)
			ret = 0;
	}
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return ret;
}

static int ecc_to_pkey(const struct hrot_tpm_public *pub, EVP_PKEY **out)
{
	const char *curve = hrot_tpm_curve_name(pub->curve);
	size_t n = hrot_tpm_curve_size(pub->curve);
	uint8_t point[1 + 2 * HROT_TPM_MAX_ECC_BYTES];
	OSSL_PARAM_BLD *bld;
	int ret = -ENOMEM;

	if (!curve)
		return -EOPNOTSUPP;
	if (pub->unique_size != n || pub->y_size != n)
		return -EINVAL;
	point[0] = 0x04;
	memcpy(point + 1, pub->unique, n);
	memcpy(point + 1 + n, pub->y, n);
	bld = OSSL_PARAM_BLD_new();
	if (bld &&
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    curve, 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					     point, 1 + 2 * n))
		ret = pkey_from_params("EC", bld, out);
	OSSL_PARAM_BLD_free(bld);
	return ret;
}

static int rsa_to_pkey(const struct hrot_tpm_public *pub, EVP_PKEY **out)
{
	BIGNUM *n = BN_bin2bn(pub->unique, pub->unique_size, NULL);
	BIGNUM *e = BN_new();
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	int ret = -ENOMEM;

	if (pub->unique_size == 0 ||
	    pub->unique_size * 8u != pub->rsa_bits) {
		ret = -EINVAL;
	} else if (n && e && bld &&
		   BN_set_word(e, pub->exponent ? pub->exponent : 65537) &&
		   OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
		   OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e)) {
		ret = pkey_from_params("RSA", bld, out);
	}
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return ret;
}

int hrot_tpm_public_to_pkey(const struct hrot_tpm_public *pub,
			    EVP_PKEY **out)
{
	*out = NULL;
	if (pub->type == HROT_TPM_ALG_ECC)
		return ecc_to_pkey(pub, out);
	if (pub->type == HROT_TPM_ALG_RSA)
		return rsa_to_pkey(pub, out);
	return -EOPNOTSUPP;
}

int hrot_pkey_to_spki(EVP_PKEY *pkey, uint8_t **der, size_t *len)
{
	unsigned char *p = NULL;
	int n = i2d_PUBKEY(pkey, &p);

	if (n <= 0)
		return -EINVAL;
	*der = malloc((size_t)n);
	if (!*der) {
		OPENSSL_free(p);
		return -ENOMEM;
	}
	memcpy(*der, p, (size_t)n);
	OPENSSL_free(p);
	*len = (size_t)n;
	return 0;
}

int hrot_pkey_to_pem(EVP_PKEY *pkey, char **pem)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long n;
	int ret = -ENOMEM;

	*pem = NULL;
	if (!bio)
		return ret;
	if (PEM_write_bio_PUBKEY(bio, pkey) != 1) {
		BIO_free(bio);
		return -EINVAL;
	}
	n = BIO_get_mem_data(bio, &data);
	if (n > 0) {
		*pem = malloc((size_t)n + 1);
		if (*pem) {
			memcpy(*pem, data, (size_t)n);
			(*pem)[n] = '\0';
			ret = 0;
		}
	}
	BIO_free(bio);
	return ret;
}

int hrot_pkey_from_pem_or_der(const void *buf, size_t len, EVP_PKEY **out)
{
	const unsigned char *p = buf;
	BIO *bio;

	if (len > INT32_MAX)
		return -EINVAL;
	*out = d2i_PUBKEY(NULL, &p, (long)len);
	if (*out)
		return 0;
	bio = BIO_new_mem_buf(buf, (int)len);
	if (!bio)
		return -ENOMEM;
	*out = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return *out ? 0 : -EINVAL;
}
