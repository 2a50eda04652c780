// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: hexadecimal.
 */
#include <errno.h>
#include <string.h>

#include <hrot/hex.h>

int hrot_hex_encode(const void *in, size_t len, char *out, size_t out_size)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = in;
	size_t i;

	/* Written so that a huge @len cannot wrap the size check. */
	if (out_size == 0 || len > (out_size - 1) / 2) {
		if (out_size)
			out[0] = '\0';
		return -ENOSPC;
	}
	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
	out[2 * len] = '\0';
	return 0;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hrot_hex_decode(const char *hex, void *out, size_t out_len)
{
	unsigned char *p = out;
	size_t i;

	/* strnlen: do not walk a long string past what could be valid. */
	if (strnlen(hex, 2 * out_len + 1) != 2 * out_len)
		return -EINVAL;
	for (i = 0; i < out_len; i++) {
		int hi = hex_value(hex[2 * i]);
		int lo = hex_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		p[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}
