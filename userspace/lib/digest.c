// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: hashing through OpenSSL's EVP interface.
 */
#include <errno.h>
#include <string.h>
#include <openssl/evp.h>

#include <hrot/alg.h>

int hrot_digest(uint16_t alg, const void *data, size_t len, uint8_t *out,
		size_t out_size)
{
	const struct hrot_alg *a = hrot_alg_find(alg);
	static const uint8_t empty;
	unsigned int n = 0;
	EVP_MD *md;
	int ok;

	if (!a)
		return -EOPNOTSUPP;
	if (out_size < a->digest_size)
		return -ENOSPC;
	/* Fetched per call: no global state, and a provider may lack it. */
	md = EVP_MD_fetch(NULL, a->evp_name, NULL);
	if (!md)
		return -EOPNOTSUPP;
	/* OpenSSL wants a pointer even for no bytes. */
	ok = EVP_Digest(len ? data : &empty, len, out, &n, md, NULL);
	EVP_MD_free(md);
	if (!ok || n != a->digest_size)
		return -EIO;
	return (int)n;
}

int hrot_pcr_extend(uint16_t alg, uint8_t *pcr, const uint8_t *digest)
{
	const struct hrot_alg *a = hrot_alg_find(alg);
	uint8_t buf[2 * HROT_MAX_DIGEST_SIZE];
	int ret;

	if (!a)
		return -EOPNOTSUPP;
	memcpy(buf, pcr, a->digest_size);
	memcpy(buf + a->digest_size, digest, a->digest_size);
	ret = hrot_digest(alg, buf, 2 * (size_t)a->digest_size, pcr,
			  a->digest_size);
	return ret < 0 ? ret : 0;
}
