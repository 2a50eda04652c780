// SPDX-License-Identifier: GPL-2.0
/*
 * release.c - token issue and secret sealing after a pass.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <hrot/evidence.h>
#include <hrot/seal.h>
#include <hrot/token.h>

#include "release.h"
#include "vault.h"

int release_token(struct hrot_token *t, const struct release_claims *c,
		  EVP_PKEY *key)
{
	memset(t, 0, sizeof(*t));
	t->kind = c->kind;
	t->verdict = HROT_VERDICT_PASS;
	t->policy_id = htole32(c->policy_id);
	if (RAND_bytes(t->token_id, sizeof(t->token_id)) != 1)
		return -EIO;
	memcpy(t->device, c->device, sizeof(t->device));
	if (c->instance)
		memcpy(t->instance, c->instance, sizeof(t->instance));
	memcpy(t->nonce, c->nonce, sizeof(t->nonce));
	memcpy(t->qualifying, c->qualifying, sizeof(t->qualifying));
	if (c->component)
		memcpy(t->component, c->component, sizeof(t->component));
	t->issued_at = htole64((uint64_t)c->now);
	t->expires_at = htole64((uint64_t)(c->now + c->lifetime));
	return hrot_token_sign(t, key);
}

int release_seal_secret(struct vault *v, const uint8_t *device,
			const uint8_t *sealed, size_t sealed_len,
			const uint8_t *ephemeral, const uint8_t *qualifying,
			const struct hrot_token *t, uint8_t **blob,
			size_t *blob_len)
{
	uint8_t secret[VAULT_SECRET_MAX];
	size_t len = 0;
	int ret;

	*blob = NULL;
	ret = vault_open_secret(v, device, sealed, sealed_len, secret,
				sizeof(secret), &len);
	if (!ret)
		ret = hrot_seal(ephemeral, qualifying, t, sizeof(*t), secret,
				len, blob, blob_len);
	OPENSSL_cleanse(secret, sizeof(secret));
	return ret;
}
