/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot internal: what struct hrot_token and struct hrot_metadata share,
 * an ECDSA P-256 / SHA-256 signature stored as raw r || s over a prefix of
 * the structure, and the signer id inside that prefix.
 */
#ifndef HROT_SIGNED_H
#define HROT_SIGNED_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include <linux/hrot_token.h>

/* The signed part of one object and where its signer and signature are. */
struct signed_view {
	const uint8_t *bytes;	/* the object's first byte */
	size_t signed_len;	/* bytes covered by the signature */
	const uint8_t *signer;	/* HROT_SIGNER_ID_SIZE bytes */
	const uint8_t *sig_r;	/* HROT_ECDSA_P256_COORD bytes */
	const uint8_t *sig_s;
};

/* True when @key is an EC key on P-256. */
int signed_key_is_p256(EVP_PKEY *key);

/* Sign @bytes[0, @len) with @key into @r, @s: 0, -EINVAL or -EIO. */
int signed_sign(const uint8_t *bytes, size_t len, EVP_PKEY *key,
		uint8_t r[HROT_ECDSA_P256_COORD],
		uint8_t s[HROT_ECDSA_P256_COORD]);

/* Signer, then signature: an enum hrot_signed_status, @err on failure. */
int signed_check(const struct signed_view *v, EVP_PKEY *anchor, char *err,
		 size_t err_size);

/* Nonzero when any of @len bytes at @p is not zero. */
int signed_any_nonzero(const uint8_t *p, size_t len);

#endif /* HROT_SIGNED_H */
