// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: the TPM's key derivation functions (Part 1, 11.4.10.2 KDFa and
 * 11.4.10.3 KDFe).  Labels are used with their terminating NUL octet, as
 * the specification requires.
 */
#include <errno.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <hrot/alg.h>
#include <hrot/credential.h>

#include "tpm_buf.h"

#define MAX_KDF_BITS	(8u * 1024u)
#define MAX_LABEL	32
#define MAX_PARTY	((size_t)2 * HROT_TPM_MAX_ECC_BYTES)
#define MSG_ROOM	(4 + HROT_TPM_MAX_ECC_BYTES + MAX_LABEL + 2 * MAX_PARTY + 4)

struct kdf_in {
	const EVP_MD *md;
	size_t md_size;
	bool hmac;		/* KDFa; else KDFe */
	const void *key;	/* KDFa key, or KDFe Z */
	size_t key_len;
	const char *label;
	const void *u, *v;
	size_t u_len, v_len;
	uint32_t bits;
};

static void put(uint8_t *buf, size_t *off, const void *p, size_t n)
{
	if (n)
		memcpy(buf + *off, p, n);
	*off += n;
}

/* The message of block @i: KDFa's HMAC input or KDFe's hash input. */
static size_t block_msg(const struct kdf_in *in, uint32_t i, uint8_t *buf)
{
	size_t off = 4;

	put_be32(buf, i);
	if (!in->hmac)
		put(buf, &off, in->key, in->key_len);
	put(buf, &off, in->label, strlen(in->label) + 1);
	put(buf, &off, in->u, in->u_len);
	put(buf, &off, in->v, in->v_len);
	if (in->hmac) {
		put_be32(buf + off, in->bits);
		off += 4;
	}
	return off;
}

static int block(const struct kdf_in *in, uint32_t i, uint8_t *out)
{
	uint8_t msg[MSG_ROOM];
	size_t n = block_msg(in, i, msg);
	unsigned int len = 0;

	if (in->hmac)
		return HMAC(in->md, in->key, (int)in->key_len, msg, n, out,
			    &len) ? 0 : -EIO;
	return EVP_Digest(msg, n, out, &len, in->md, NULL) == 1 ? 0 : -EIO;
}

static int kdf_run(const struct kdf_in *in, uint8_t *out)
{
	uint8_t b[EVP_MAX_MD_SIZE];
	size_t want = in->bits / 8, done = 0;
	uint32_t i;
	int ret = 0;

	for (i = 1; !ret && done < want; i++) {
		size_t n = want - done < in->md_size ? want - done :
						       in->md_size;

		ret = block(in, i, b);
		if (!ret)
			memcpy(out + done, b, n);
		done += n;
	}
	return ret;
}

static int kdf_check(struct kdf_in *in, uint16_t hash)
{
	const struct hrot_alg *alg = hrot_alg_find(hash);

	in->md = alg ? EVP_get_digestbyname(alg->evp_name) : NULL;
	if (!in->md)
		return -EOPNOTSUPP;
	in->md_size = alg->digest_size;
	if (in->bits == 0 || in->bits % 8 || in->bits > MAX_KDF_BITS ||
	    strlen(in->label) >= MAX_LABEL || in->u_len > MAX_PARTY ||
	    in->v_len > MAX_PARTY || in->key_len > INT32_MAX ||
	    (!in->hmac && in->key_len > HROT_TPM_MAX_ECC_BYTES))
		return -EINVAL;
	return 0;
}

int hrot_kdfa(uint16_t hash, const void *key, size_t key_len,
	      const char *label, const void *u, size_t u_len, const void *v,
	      size_t v_len, uint32_t bits, uint8_t *out)
{
	struct kdf_in in = {
		.hmac = true, .key = key, .key_len = key_len, .label = label,
		.u = u, .u_len = u_len, .v = v, .v_len = v_len, .bits = bits,
	};
	int ret = kdf_check(&in, hash);

	return ret ? ret : kdf_run(&in, out);
}

int hrot_kdfe(uint16_t hash, const void *z, size_t z_len, const char *label,
	      const void *u, size_t u_len, const void *v, size_t v_len,
	      uint32_t bits, uint8_t *out)
{
	struct kdf_in in = {
		.hmac = false, .key = z, .key_len = z_len, .label = label,
		.u = u, .u_len = u_len, .v = v, .v_len = v_len, .bits = bits,
	};
	int ret = kdf_check(&in, hash);

	return ret ? ret : kdf_run(&in, out);
}
