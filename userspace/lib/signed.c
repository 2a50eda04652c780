// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: the signature shared by tokens and metadata, ECDSA P-256 over
 * SHA-256 of the signed prefix, kept as fixed-size big-endian r || s (as
 * TPMS_SIGNATURE_ECDSA, which the kernel hands to TPM2_VerifySignature)
 * rather than OpenSSL's DER, so the layout has no variable part.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <hrot/token.h>
#include "array.h"
#include "errbuf.h"
#include "signed.h"

static const char *const status_names[] = {
	"ok", "malformed", "wrong signer", "bad signature", "expired",
	"not yet valid", "internal error",
};

const char *hrot_signed_status_name(int status)
{
	if (status > 0 || (size_t)-status >= ARRAY_SIZE(status_names))
		return "unknown";
	return status_names[-status];
}

int signed_any_nonzero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;

	while (len--)
		acc |= *p++;
	return acc != 0;
}

int signed_key_is_p256(EVP_PKEY *key)
{
	char group[32];

	if (!key || !EVP_PKEY_is_a(key, "EC"))
		return 0;
	if (!EVP_PKEY_get_group_name(key, group, sizeof(group), NULL))
		return 0;
	return strcmp(group, "prime256v1") == 0;
}

int hrot_signer_id(EVP_PKEY *key, uint8_t out[HROT_SIGNER_ID_SIZE])
{
	unsigned char *der = NULL;
	int len, ok;

	if (!key)
		return -EINVAL;
	len = i2d_PUBKEY(key, &der);
	if (len <= 0)
		return -EINVAL;
	ok = EVP_Digest(der, (size_t)len, out, NULL, EVP_sha256(), NULL);
	OPENSSL_free(der);
	return ok ? 0 : -EIO;
}

/* DER ECDSA-Sig-Value to fixed r || s. */
static int der_to_raw(const unsigned char *der, size_t len,
		      uint8_t r[HROT_ECDSA_P256_COORD],
		      uint8_t s[HROT_ECDSA_P256_COORD])
{
	const unsigned char *p = der;
	const BIGNUM *br, *bs;
	ECDSA_SIG *sig;
	int ok;

	sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
	if (!sig)
		return -EIO;
	ECDSA_SIG_get0(sig, &br, &bs);
	ok = BN_bn2binpad(br, r, HROT_ECDSA_P256_COORD) == HROT_ECDSA_P256_COORD &&
	     BN_bn2binpad(bs, s, HROT_ECDSA_P256_COORD) == HROT_ECDSA_P256_COORD;
	ECDSA_SIG_free(sig);
	return ok ? 0 : -EIO;
}

int signed_sign(const uint8_t *bytes, size_t len, EVP_PKEY *key,
		uint8_t r[HROT_ECDSA_P256_COORD],
		uint8_t s[HROT_ECDSA_P256_COORD])
{
	unsigned char *der = NULL;
	EVP_MD_CTX *ctx;
	size_t der_len = 0;
	int ret = -EIO;

	if (!signed_key_is_p256(key))
		return -EINVAL;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -ENOMEM;
	if (EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(ctx, NULL, &der_len, bytes, len) != 1)
		goto out;
	der = malloc(der_len);
	if (!der) {
		ret = -ENOMEM;
		goto out;
	}
	if (EVP_DigestSign(ctx, der, &der_len, bytes, len) == 1)
		ret = der_to_raw(der, der_len, r, s);
out:
	free(der);
	EVP_MD_CTX_free(ctx);
	return ret;
}

/* Fixed r || s to DER: the length, or -1. */
static int raw_to_der(const uint8_t *r, const uint8_t *s, unsigned char **der)
{
	BIGNUM *br = BN_bin2bn(r, HROT_ECDSA_P256_COORD, NULL);
	BIGNUM *bs = BN_bin2bn(s, HROT_ECDSA_P256_COORD, NULL);
	ECDSA_SIG *sig = ECDSA_SIG_new();
	int len = -1;

	if (!br || !bs || !sig || !ECDSA_SIG_set0(sig, br, bs)) {
		BN_free(br);
		BN_free(bs);
		ECDSA_SIG_free(sig);
		return -1;
	}
	len = i2d_ECDSA_SIG(sig, der);
	ECDSA_SIG_free(sig);	/* frees br, bs */
	return len;
}

static int signature_ok(const struct signed_view *v, EVP_PKEY *anchor)
{
	unsigned char *der = NULL;
	EVP_MD_CTX *ctx;
	int len, rc;

	len = raw_to_der(v->sig_r, v->sig_s, &der);
	if (len <= 0)
		return HROT_SIGNED_INTERNAL;
	ctx = EVP_MD_CTX_new();
	if (!ctx) {
		OPENSSL_free(der);
		return HROT_SIGNED_INTERNAL;
	}
	rc = EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, anchor);
	if (rc == 1)
		rc = EVP_DigestVerify(ctx, der, (size_t)len, v->bytes,
				      v->signed_len);
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	/* 0 is a wrong signature; < 0 includes r or s out of range. */
	return rc == 1 ? HROT_SIGNED_OK : HROT_SIGNED_BAD_SIGNATURE;
}

int signed_check(const struct signed_view *v, EVP_PKEY *anchor, char *err,
		 size_t err_size)
{
	uint8_t id[HROT_SIGNER_ID_SIZE];
	int rc;

	if (!signed_key_is_p256(anchor)) {
		hrot_errbuf_set(err, err_size, "anchor is not a P-256 key");
		return HROT_SIGNED_INTERNAL;
	}
	if (hrot_signer_id(anchor, id) < 0) {
		hrot_errbuf_set(err, err_size, "cannot hash the anchor's key");
		return HROT_SIGNED_INTERNAL;
	}
	if (memcmp(id, v->signer, sizeof(id)) != 0) {
		hrot_errbuf_set(err, err_size,
				"signer: not the anchor's key id");
		return HROT_SIGNED_WRONG_SIGNER;
	}
	rc = signature_ok(v, anchor);
	if (rc == HROT_SIGNED_BAD_SIGNATURE)
		hrot_errbuf_set(err, err_size, "signature: does not verify");
	else if (rc != HROT_SIGNED_OK)
		hrot_errbuf_set(err, err_size, "signature: cannot be checked");
	return rc;
}
