// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: base64 for the verifier protocol.  OpenSSL's EVP_EncodeBlock
 * and EVP_DecodeBlock do the work; the checks around them make decoding
 * strict (EVP_DecodeBlock skips blanks and reports padding as zero bytes),
 * so that one value has exactly one encoding and the decoded length is
 * known before anything is allocated.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <hrot/evidence.h>
#include "b64.h"

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int b64_check(const char *s, size_t n, size_t *decoded)
{
	size_t i, pad = 0;

	if (n % 4 != 0 || n > INT_MAX)
		return -EINVAL;
	if (n >= 4 && s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	for (i = 0; i < n - pad; i++)
		if (b64_value(s[i]) < 0)
			return -EINVAL;
	/* The bits the padding leaves over must be zero: canonical form. */
	if (pad == 1 && (b64_value(s[n - 2]) & 0x3) != 0)
		return -EINVAL;
	if (pad == 2 && (b64_value(s[n - 3]) & 0xf) != 0)
		return -EINVAL;
	*decoded = n / 4 * 3 - pad;
	return 0;
}

int b64_decode_checked(const char *s, size_t n, uint8_t *out, size_t decoded)
{
	uint8_t *tmp;
	int ret = 0;

	if (n == 0)
		return 0;
	/* EVP_DecodeBlock writes the padding's zero bytes too. */
	tmp = malloc(n / 4 * 3);
	if (!tmp)
		return -ENOMEM;
	if (EVP_DecodeBlock(tmp, (const unsigned char *)s, (int)n) !=
	    (int)(n / 4 * 3))
		ret = -EINVAL;
	else
		memcpy(out, tmp, decoded);
	/* What is decoded may be a secret (activation, sealed values). */
	explicit_bzero(tmp, n / 4 * 3);
	free(tmp);
	return ret;
}

char *hrot_b64_encode(const void *buf, size_t len)
{
	size_t out_len;
	char *out;

	if (len > (size_t)INT_MAX / 4 * 3)
		return NULL;
	out_len = (len + 2) / 3 * 4;
	out = malloc(out_len + 1);
	if (!out)
		return NULL;
	if (EVP_EncodeBlock((unsigned char *)out, buf, (int)len) !=
	    (int)out_len) {
		free(out);
		return NULL;
	}
	out[out_len] = '\0';
	return out;
}

/* Characters that can encode at most @max bytes. */
static size_t b64_chars_for(size_t max)
{
	return (max + 2) / 3 * 4;
}

int hrot_b64_decode_alloc(const char *s, uint8_t **out, size_t *out_len,
			  size_t max_len)
{
	size_t n, decoded;
	uint8_t *buf;
	int ret;

	if (max_len > (size_t)INT_MAX / 4 * 3)
		max_len = (size_t)INT_MAX / 4 * 3;
	/* strnlen: a huge string is refused without being walked. */
	n = strnlen(s, b64_chars_for(max_len) + 1);
	if (b64_check(s, n, &decoded) < 0 || decoded > max_len)
		return -EINVAL;
	buf = malloc(decoded ? decoded : 1);
	if (!buf)
		return -ENOMEM;
	ret = b64_decode_checked(s, n, buf, decoded);
	if (ret < 0) {
		free(buf);
		return ret;
	}
	*out = buf;
	*out_len = decoded;
	return 0;
}

int hrot_b64_decode_exact(const char *s, void *out, size_t len)
{
	size_t n, decoded;

	if (len > (size_t)INT_MAX / 4 * 3)
		return -EINVAL;
	n = strnlen(s, b64_chars_for(len) + 1);
	if (b64_check(s, n, &decoded) < 0 || decoded != len)
		return -EINVAL;
	return b64_decode_checked(s, n, out, decoded);
}
