// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: a quote's qualifying data, SHA-256(nonce || data), which binds
 * the quote to the verifier's challenge and to what the device presents
 * with it (its ephemeral key, or its fingerprint digest).
 */
#include <errno.h>

#include <openssl/evp.h>

#include <hrot/token.h>

int hrot_qualifying_data(const void *nonce, size_t nonce_len,
			 const void *data, size_t len,
			 uint8_t out[HROT_NONCE_SIZE])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	if (!ctx)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(ctx, nonce, nonce_len) &&
	     EVP_DigestUpdate(ctx, data, len) &&
	     EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -EIO;
}
