// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: ECDH P-256 and HKDF-SHA256 for sealing a secret to an
 * ephemeral key (Documentation/verifier.md, "Secret release").
 */
#include <errno.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "seal_key.h"

#define SEAL_INFO_LABEL		"hrot seal v1"
#define SEAL_INFO_LABEL_LEN	(sizeof(SEAL_INFO_LABEL) - 1)
#define SEAL_Z_SIZE		32

int hrot_ephemeral_keygen(EVP_PKEY **priv, uint8_t pub[HROT_SEAL_POINT_SIZE])
{
	EVP_PKEY *key = EVP_EC_gen("P-256");

	if (!key)
		return -EIO;
	if (seal_pkey_to_point(key, pub) < 0) {
		EVP_PKEY_free(key);
		return -EIO;
	}
	*priv = key;
	return 0;
}

/* Decoding checks the point is on the curve; the public check says so. */
static int public_key_valid(EVP_PKEY *key)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	int ok;

	if (!ctx)
		return 0;
	ok = EVP_PKEY_public_check(ctx) == 1;
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

EVP_PKEY *seal_point_to_pkey(const uint8_t pub[HROT_SEAL_POINT_SIZE])
{
	char group[] = "prime256v1";
	uint8_t point[HROT_SEAL_POINT_SIZE];
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point,
					sizeof(point)),
		OSSL_PARAM_END,
	};
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *key = NULL;

	/* Only the uncompressed form: the layout has no room for others. */
	if (pub[0] != 0x04)
		return NULL;
	memcpy(point, pub, sizeof(point));
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx)
		return NULL;
	if (EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	if (key && !public_key_valid(key)) {
		EVP_PKEY_free(key);
		key = NULL;
	}
	return key;
}

int seal_pkey_to_point(EVP_PKEY *key, uint8_t pub[HROT_SEAL_POINT_SIZE])
{
	size_t len = 0;

	if (EVP_PKEY_get_octet_string_param(key,
					    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
					    pub, HROT_SEAL_POINT_SIZE,
					    &len) != 1 ||
	    len != HROT_SEAL_POINT_SIZE || pub[0] != 0x04)
		return -EIO;
	return 0;
}

static int ecdh(EVP_PKEY *priv, EVP_PKEY *peer, uint8_t z[SEAL_Z_SIZE])
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, priv, NULL);
	size_t len = SEAL_Z_SIZE;
	int ok;

	if (!ctx)
		return -ENOMEM;
	/* set_peer validates @peer (on the curve, same group). */
	ok = EVP_PKEY_derive_init(ctx) == 1 &&
	     EVP_PKEY_derive_set_peer(ctx, peer) == 1 &&
	     EVP_PKEY_derive(ctx, z, &len) == 1 && len == SEAL_Z_SIZE;
	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : -EIO;
}

static int hkdf(uint8_t z[SEAL_Z_SIZE], const uint8_t salt[HROT_SEAL_SALT_SIZE],
		uint8_t *info, size_t info_len, uint8_t k[SEAL_KEY_SIZE])
{
	char digest[] = "SHA256";
	uint8_t salt_copy[HROT_SEAL_SALT_SIZE];
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
		OSSL_PARAM_octet_string(OSSL_KDF_PARAM_KEY, z, SEAL_Z_SIZE),
		OSSL_PARAM_octet_string(OSSL_KDF_PARAM_SALT, salt_copy,
					sizeof(salt_copy)),
		OSSL_PARAM_octet_string(OSSL_KDF_PARAM_INFO, info, info_len),
		OSSL_PARAM_END,
	};
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	int ok;

	memcpy(salt_copy, salt, sizeof(salt_copy));
	ok = ctx && EVP_KDF_derive(ctx, k, SEAL_KEY_SIZE, params) == 1;
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return ok ? 0 : -EIO;
}

int seal_derive_key(EVP_PKEY *priv, EVP_PKEY *peer,
		    const uint8_t v[HROT_SEAL_POINT_SIZE],
		    const uint8_t e[HROT_SEAL_POINT_SIZE],
		    const uint8_t salt[HROT_SEAL_SALT_SIZE],
		    uint8_t k[SEAL_KEY_SIZE])
{
	uint8_t info[SEAL_INFO_LABEL_LEN + HROT_SEAL_POINT_SIZE +
		     HROT_SEAL_POINT_SIZE];
	uint8_t z[SEAL_Z_SIZE];
	int ret;

	memcpy(info, SEAL_INFO_LABEL, SEAL_INFO_LABEL_LEN);
	memcpy(info + SEAL_INFO_LABEL_LEN, v, HROT_SEAL_POINT_SIZE);
	memcpy(info + SEAL_INFO_LABEL_LEN + HROT_SEAL_POINT_SIZE, e,
	       HROT_SEAL_POINT_SIZE);
	ret = ecdh(priv, peer, z);
	if (ret == 0)
		ret = hkdf(z, salt, info, sizeof(info), k);
	explicit_bzero(z, sizeof(z));
	if (ret < 0)
		explicit_bzero(k, SEAL_KEY_SIZE);
	return ret;
}
