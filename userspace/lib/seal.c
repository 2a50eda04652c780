// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: seal and unseal a secret to an ephemeral P-256 key, AES-256-GCM
 * under the key of seal_key.c (Documentation/verifier.md, "Secret
 * release").  The blob is 0x01 || V (65) || iv (12) || tag (16) || C.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "seal_key.h"

#define OFF_V	1
#define OFF_IV	(OFF_V + HROT_SEAL_POINT_SIZE)
#define OFF_TAG	(OFF_IV + HROT_SEAL_IV_SIZE)
#define OFF_C	(OFF_TAG + HROT_SEAL_TAG_SIZE)

/* What one GCM operation needs besides its direction. */
struct gcm_args {
	const uint8_t *key;
	const uint8_t *iv;
	const void *aad;
	size_t aad_len;
	const uint8_t *in;
	size_t len;		/* in and out */
	uint8_t *out;
	uint8_t *tag;		/* out when encrypting, in when decrypting */
};

static int gcm_start(EVP_CIPHER_CTX *ctx, const struct gcm_args *a, int enc)
{
	int n;

	return EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL,
				 enc) == 1 &&
	       EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN,
				   HROT_SEAL_IV_SIZE, NULL) == 1 &&
	       EVP_CipherInit_ex(ctx, NULL, NULL, a->key, a->iv, enc) == 1 &&
	       (a->aad_len == 0 ||
		EVP_CipherUpdate(ctx, NULL, &n, a->aad, (int)a->aad_len) == 1);
}

static int gcm_encrypt(const struct gcm_args *a)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n, m, ok;

	if (!ctx)
		return -ENOMEM;
	ok = gcm_start(ctx, a, 1) &&
	     EVP_EncryptUpdate(ctx, a->out, &n, a->in, (int)a->len) == 1 &&
	     EVP_EncryptFinal_ex(ctx, a->out + n, &m) == 1 &&
	     (size_t)n + (size_t)m == a->len &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG,
				 HROT_SEAL_TAG_SIZE, a->tag) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -EIO;
}

/* -EBADMSG when the tag does not match: any changed input. */
static int gcm_decrypt(const struct gcm_args *a)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n, m, ret = -EIO;

	if (!ctx)
		return -ENOMEM;
	if (gcm_start(ctx, a, 0) &&
	    EVP_DecryptUpdate(ctx, a->out, &n, a->in, (int)a->len) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, HROT_SEAL_TAG_SIZE,
				a->tag) == 1)
		ret = EVP_DecryptFinal_ex(ctx, a->out + n, &m) == 1 ? 0 :
								       -EBADMSG;
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

/* The fresh key V, its point into the blob, and K. */
static int seal_key_for(const uint8_t pub[HROT_SEAL_POINT_SIZE],
			const uint8_t salt[HROT_SEAL_SALT_SIZE], uint8_t *blob,
			uint8_t k[SEAL_KEY_SIZE])
{
	EVP_PKEY *peer, *v = NULL;
	int ret;

	peer = seal_point_to_pkey(pub);
	if (!peer)
		return -EINVAL;
	ret = hrot_ephemeral_keygen(&v, blob + OFF_V);
	if (ret == 0)
		ret = seal_derive_key(v, peer, blob + OFF_V, pub, salt, k);
	EVP_PKEY_free(v);
	EVP_PKEY_free(peer);
	return ret;
}

int hrot_seal(const uint8_t pub[HROT_SEAL_POINT_SIZE],
	      const uint8_t salt[HROT_SEAL_SALT_SIZE], const void *aad,
	      size_t aad_len, const void *secret, size_t secret_len,
	      uint8_t **blob, size_t *blob_len)
{
	uint8_t k[SEAL_KEY_SIZE];
	struct gcm_args a;
	uint8_t *b;
	int ret;

	if (secret_len == 0 || secret_len > HROT_SEAL_MAX_SECRET ||
	    aad_len > INT_MAX)
		return -EINVAL;
	b = malloc(HROT_SEAL_OVERHEAD + secret_len);
	if (!b)
		return -ENOMEM;
	b[0] = HROT_SEAL_VERSION;
	ret = seal_key_for(pub, salt, b, k);
	if (ret == 0 && RAND_bytes(b + OFF_IV, HROT_SEAL_IV_SIZE) != 1)
		ret = -EIO;
	if (ret == 0) {
		a = (struct gcm_args){
			.key = k, .iv = b + OFF_IV, .aad = aad,
			.aad_len = aad_len, .in = secret, .len = secret_len,
			.out = b + OFF_C, .tag = b + OFF_TAG,
		};
		ret = gcm_encrypt(&a);
	}
	explicit_bzero(k, sizeof(k));
	if (ret < 0) {
		free(b);
		return ret;
	}
	*blob = b;
	*blob_len = HROT_SEAL_OVERHEAD + secret_len;
	return 0;
}

/* K from the blob's V and our own key's point. */
static int unseal_key(EVP_PKEY *priv, const uint8_t *blob,
		      const uint8_t salt[HROT_SEAL_SALT_SIZE],
		      uint8_t k[SEAL_KEY_SIZE])
{
	uint8_t e[HROT_SEAL_POINT_SIZE];
	EVP_PKEY *peer;
	int ret;

	if (seal_pkey_to_point(priv, e) < 0)
		return -EINVAL;
	peer = seal_point_to_pkey(blob + OFF_V);
	if (!peer)
		return -EINVAL;
	ret = seal_derive_key(priv, peer, blob + OFF_V, e, salt, k);
	EVP_PKEY_free(peer);
	return ret;
}

static int unseal_check(size_t blob_len, const uint8_t *b, size_t aad_len)
{
	if (blob_len <= HROT_SEAL_OVERHEAD ||
	    blob_len - HROT_SEAL_OVERHEAD > HROT_SEAL_MAX_SECRET ||
	    aad_len > INT_MAX || b[0] != HROT_SEAL_VERSION)
		return -EINVAL;
	return 0;
}

int hrot_unseal(EVP_PKEY *priv, const uint8_t salt[HROT_SEAL_SALT_SIZE],
		const void *aad, size_t aad_len, const void *blob,
		size_t blob_len, uint8_t *secret, size_t secret_size,
		size_t *secret_len)
{
	uint8_t k[SEAL_KEY_SIZE], plain[HROT_SEAL_MAX_SECRET];
	uint8_t tag[HROT_SEAL_TAG_SIZE];
	const uint8_t *b = blob;
	struct gcm_args a;
	size_t len;
	int ret;

	ret = unseal_check(blob_len, b, aad_len);
	if (ret < 0)
		return ret;
	len = blob_len - HROT_SEAL_OVERHEAD;
	if (secret_size < len)
		return -ENOSPC;
	memcpy(tag, b + OFF_TAG, sizeof(tag));
	/* V is not under the tag but under K: HKDF's info holds it. */
	ret = unseal_key(priv, b, salt, k);
	if (ret == 0) {
		a = (struct gcm_args){
			.key = k, .iv = b + OFF_IV, .aad = aad,
			.aad_len = aad_len, .in = b + OFF_C, .len = len,
			.out = plain, .tag = tag,
		};
		ret = gcm_decrypt(&a);
	}
	if (ret == 0) {
		memcpy(secret, plain, len);
		*secret_len = len;
	}
	explicit_bzero(k, sizeof(k));
	explicit_bzero(plain, sizeof(plain));
	return ret;
}
