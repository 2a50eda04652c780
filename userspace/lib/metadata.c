// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: struct hrot_metadata, the signed instance metadata (seed 000)
 * the verifier makes at enrollment and the device carries.
 */
#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <hrot/token.h>
#include "errbuf.h"
#include "signed.h"

_Static_assert(sizeof(struct hrot_metadata) == HROT_METADATA_SIZE,
	       "struct hrot_metadata is 164 bytes");
_Static_assert(offsetof(struct hrot_metadata, sig_r) ==
	       HROT_METADATA_SIGNED_SIZE,
	       "the signature follows the signed bytes");

static int metadata_check(const struct hrot_metadata *m, char *err, size_t n)
{
	if (memcmp(m->magic, HROT_METADATA_MAGIC, sizeof(m->magic)) != 0) {
		hrot_errbuf_set(err, n, "magic: not \"HRMD\"");
		return HROT_SIGNED_MALFORMED;
	}
	if (le16toh(m->version) != HROT_SIGNED_VERSION) {
		hrot_errbuf_set(err, n, "version: %u, want %u",
				le16toh(m->version), HROT_SIGNED_VERSION);
		return HROT_SIGNED_MALFORMED;
	}
	if (le16toh(m->size) != HROT_METADATA_SIZE) {
		hrot_errbuf_set(err, n, "size: %u, want %u", le16toh(m->size),
				HROT_METADATA_SIZE);
		return HROT_SIGNED_MALFORMED;
	}
	if (signed_any_nonzero(m->reserved0, sizeof(m->reserved0))) {
		hrot_errbuf_set(err, n, "reserved0: not zero");
		return HROT_SIGNED_MALFORMED;
	}
	if ((int64_t)le64toh(m->created_at) < 0) {
		hrot_errbuf_set(err, n, "created_at: negative");
		return HROT_SIGNED_MALFORMED;
	}
	return HROT_SIGNED_OK;
}

int hrot_metadata_sign(struct hrot_metadata *m, EVP_PKEY *key)
{
	int ret;

	memcpy(m->magic, HROT_METADATA_MAGIC, sizeof(m->magic));
	m->version = htole16(HROT_SIGNED_VERSION);
	m->size = htole16(HROT_METADATA_SIZE);
	memset(m->reserved0, 0, sizeof(m->reserved0));
	if (metadata_check(m, NULL, 0) != HROT_SIGNED_OK)
		return -EINVAL;
	ret = hrot_signer_id(key, m->signer);
	if (ret < 0)
		return ret;
	return signed_sign((const uint8_t *)m, HROT_METADATA_SIGNED_SIZE, key,
			   m->sig_r, m->sig_s);
}

int hrot_metadata_parse(const void *buf, size_t len, struct hrot_metadata *out,
			char *err, size_t err_size)
{
	if (len != HROT_METADATA_SIZE) {
		hrot_errbuf_set(err, err_size, "metadata: %zu bytes, want %u",
				len, HROT_METADATA_SIZE);
		return HROT_SIGNED_MALFORMED;
	}
	memmove(out, buf, HROT_METADATA_SIZE);	/* @out may be @buf */
	return metadata_check(out, err, err_size);
}

int hrot_metadata_verify(const struct hrot_metadata *m, EVP_PKEY *anchor,
			 int64_t now, char *err, size_t err_size)
{
	const struct signed_view v = {
		.bytes = (const uint8_t *)m,
		.signed_len = HROT_METADATA_SIGNED_SIZE,
		.signer = m->signer,
		.sig_r = m->sig_r,
		.sig_s = m->sig_s,
	};
	int rc;

	rc = metadata_check(m, err, err_size);
	if (rc == HROT_SIGNED_OK)
		rc = signed_check(&v, anchor, err, err_size);
	if (rc != HROT_SIGNED_OK)
		return rc;
	if ((int64_t)le64toh(m->created_at) - HROT_TOKEN_CLOCK_SKEW > now) {
		hrot_errbuf_set(err, err_size, "created_at: in the future");
		return HROT_SIGNED_NOT_YET_VALID;
	}
	return HROT_SIGNED_OK;
}
