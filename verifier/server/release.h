/* SPDX-License-Identifier: GPL-2.0 */
/*
 * release.h - what a pass gives: a signed token, and for a release the
 * instance's volume secret sealed to the device's ephemeral key
 * (Documentation/verifier.md, "Secret release").
 */
#ifndef HROT_VERIFIER_RELEASE_H
#define HROT_VERIFIER_RELEASE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include <linux/hrot_token.h>

struct vault;

struct release_claims {
	uint8_t kind;				/* HROT_TOKEN_KIND_* */
	const uint8_t *device;			/* AK name */
	const uint8_t *instance;		/* NULL: zero */
	const uint8_t *nonce;
	const uint8_t *qualifying;
	const uint8_t *component;		/* NULL: zero (seed 002) */
	uint32_t policy_id;
	int64_t now;
	unsigned int lifetime;			/* seconds */
};

/* A fresh token id, the claims, signed with @key: 0 or -errno. */
int release_token(struct hrot_token *t, const struct release_claims *c,
		  EVP_PKEY *key);

/*
 * Open the vault-sealed volume secret of @device and seal it to
 * @ephemeral with salt = @qualifying and aad = the token's bytes.  The
 * plaintext is wiped before return.  0 with a malloc'ed @blob, or -errno.
 */
int release_seal_secret(struct vault *v, const uint8_t *device,
			const uint8_t *sealed, size_t sealed_len,
			const uint8_t *ephemeral, const uint8_t *qualifying,
			const struct hrot_token *t, uint8_t **blob,
			size_t *blob_len);

#endif /* HROT_VERIFIER_RELEASE_H */
