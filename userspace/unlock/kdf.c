// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: the keyslot key from the volume secret.
 *
 *   key = HKDF-SHA256(ikm  = volume secret (32 bytes),
 *                     salt = instance id (16 bytes) || le64 created_at,
 *                     info = "hrot luks2 keyslot v1" (21 bytes, no NUL))
 *
 * The instance id and creation time come from the verifier's signed
 * metadata, so one secret gives a different key for every instance.
 */
#include <errno.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "unlock.h"

#define SALT_SIZE	(HROT_INSTANCE_ID_SIZE + 8)

static void make_salt(const uint8_t instance[HROT_INSTANCE_ID_SIZE],
		      int64_t created_at, uint8_t salt[SALT_SIZE])
{
	uint64_t t = (uint64_t)created_at;
	unsigned int i;

	memcpy(salt, instance, HROT_INSTANCE_ID_SIZE);
	for (i = 0; i < 8; i++)
		salt[HROT_INSTANCE_ID_SIZE + i] = (uint8_t)(t >> (8 * i));
}

int unlock_kdf(const uint8_t *secret, size_t secret_len,
	       const uint8_t instance[HROT_INSTANCE_ID_SIZE], int64_t created_at,
	       uint8_t key[UNLOCK_KEY_SIZE])
{
	uint8_t salt[SALT_SIZE];
	char digest[] = "SHA256";
	char info[] = UNLOCK_KDF_INFO;
	OSSL_PARAM params[5];
	EVP_KDF_CTX *ctx = NULL;
	EVP_KDF *kdf;
	int ret = -EIO;

	if (!secret || secret_len != UNLOCK_SECRET_SIZE)
		return -EINVAL;
	make_salt(instance, created_at, salt);
	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (kdf)
		ctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (!ctx)
		return -EIO;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						     digest, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						      (void *)secret,
						      secret_len);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
						      salt, sizeof(salt));
	params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
						      info, strlen(info));
	params[4] = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, key, UNLOCK_KEY_SIZE, params) == 1)
		ret = 0;
	else
		explicit_bzero(key, UNLOCK_KEY_SIZE);
	EVP_KDF_CTX_free(ctx);
	return ret;
}
