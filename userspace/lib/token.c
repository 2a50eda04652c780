// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: struct hrot_token, the verifier's release and physical
 * attestation tokens (<linux/hrot_token.h>).
 */
#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <hrot/token.h>
#include "errbuf.h"
#include "signed.h"

_Static_assert(sizeof(struct hrot_token) == HROT_TOKEN_SIZE,
	       "struct hrot_token is 292 bytes");
_Static_assert(offsetof(struct hrot_token, sig_r) == HROT_TOKEN_SIGNED_SIZE,
	       "the signature follows the signed bytes");

static int token_fields_ok(const struct hrot_token *t, char *err, size_t n)
{
	int64_t issued = (int64_t)le64toh(t->issued_at);
	int64_t expires = (int64_t)le64toh(t->expires_at);

	if (t->kind != HROT_TOKEN_KIND_RELEASE &&
	    t->kind != HROT_TOKEN_KIND_PHYSICAL &&
	    t->kind != HROT_TOKEN_KIND_RUNTIME &&
	    t->kind != HROT_TOKEN_KIND_COMPONENT) {
		hrot_errbuf_set(err, n, "kind: %u is not a known kind",
				t->kind);
		return 0;
	}
	if (t->verdict != HROT_VERDICT_PASS) {
		hrot_errbuf_set(err, n, "verdict: %u, want pass", t->verdict);
		return 0;
	}
	if ((t->kind == HROT_TOKEN_KIND_COMPONENT) !=
	    !!signed_any_nonzero(t->component, sizeof(t->component))) {
		hrot_errbuf_set(err, n, "component: %s in a kind %u token",
				t->kind == HROT_TOKEN_KIND_COMPONENT ?
				"none" : "set", t->kind);
		return 0;
	}
	if (t->kind == HROT_TOKEN_KIND_PHYSICAL && t->policy_id != 0) {
		hrot_errbuf_set(err, n, "policy_id: not 0 in a physical token");
		return 0;
	}
	if (issued < 0 || expires <= issued) {
		hrot_errbuf_set(err, n, "expires_at: not after issued_at");
		return 0;
	}
	return 1;
}

/* The structure alone: what the kernel checks before the signature. */
static int token_check(const struct hrot_token *t, char *err, size_t n)
{
	if (memcmp(t->magic, HROT_TOKEN_MAGIC, sizeof(t->magic)) != 0) {
		hrot_errbuf_set(err, n, "magic: not \"HRTK\"");
		return HROT_SIGNED_MALFORMED;
	}
	if (le16toh(t->version) != HROT_SIGNED_VERSION) {
		hrot_errbuf_set(err, n, "version: %u, want %u",
				le16toh(t->version), HROT_SIGNED_VERSION);
		return HROT_SIGNED_MALFORMED;
	}
	if (le16toh(t->size) != HROT_TOKEN_SIZE) {
		hrot_errbuf_set(err, n, "size: %u, want %u", le16toh(t->size),
				HROT_TOKEN_SIZE);
		return HROT_SIGNED_MALFORMED;
	}
	if (t->flags != 0 ||
	    signed_any_nonzero(t->reserved0, sizeof(t->reserved0))) {
		hrot_errbuf_set(err, n, "flags, reserved0: not zero");
		return HROT_SIGNED_MALFORMED;
	}
	return token_fields_ok(t, err, n) ? HROT_SIGNED_OK :
					    HROT_SIGNED_MALFORMED;
}

int hrot_token_sign(struct hrot_token *t, EVP_PKEY *key)
{
	int ret;

	memcpy(t->magic, HROT_TOKEN_MAGIC, sizeof(t->magic));
	t->version = htole16(HROT_SIGNED_VERSION);
	t->size = htole16(HROT_TOKEN_SIZE);
	t->flags = 0;
	memset(t->reserved0, 0, sizeof(t->reserved0));
	if (token_check(t, NULL, 0) != HROT_SIGNED_OK)
		return -EINVAL;
	ret = hrot_signer_id(key, t->signer);
	if (ret < 0)
		return ret;
	return signed_sign((const uint8_t *)t, HROT_TOKEN_SIGNED_SIZE, key,
			   t->sig_r, t->sig_s);
}

int hrot_token_parse(const void *buf, size_t len, struct hrot_token *out,
		     char *err, size_t err_size)
{
	if (len != HROT_TOKEN_SIZE) {
		hrot_errbuf_set(err, err_size, "token: %zu bytes, want %u",
				len, HROT_TOKEN_SIZE);
		return HROT_SIGNED_MALFORMED;
	}
	memmove(out, buf, HROT_TOKEN_SIZE);	/* @out may be @buf */
	return token_check(out, err, err_size);
}

int hrot_token_verify(const struct hrot_token *t, EVP_PKEY *anchor,
		      int64_t now, char *err, size_t err_size)
{
	const struct signed_view v = {
		.bytes = (const uint8_t *)t,
		.signed_len = HROT_TOKEN_SIGNED_SIZE,
		.signer = t->signer,
		.sig_r = t->sig_r,
		.sig_s = t->sig_s,
	};
	int rc;

	rc = token_check(t, err, err_size);
	if (rc == HROT_SIGNED_OK)
		rc = signed_check(&v, anchor, err, err_size);
	if (rc != HROT_SIGNED_OK)
		return rc;
	/* token_check() made both times non-negative: no overflow here. */
	if ((int64_t)le64toh(t->issued_at) - HROT_TOKEN_CLOCK_SKEW > now) {
		hrot_errbuf_set(err, err_size, "issued_at: in the future");
		return HROT_SIGNED_NOT_YET_VALID;
	}
	if (now >= (int64_t)le64toh(t->expires_at)) {
		hrot_errbuf_set(err, err_size, "expires_at: expired");
		return HROT_SIGNED_EXPIRED;
	}
	return HROT_SIGNED_OK;
}
