// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: names from the log as text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <hrot/hex.h>

/* Bytes that stand for themselves in an escaped name. */
static int is_plain(unsigned char c)
{
	return c > ' ' && c < 0x7f && c != '\\';
}

char *hrot_escape_name(const void *name, size_t len)
{
	const unsigned char *p = name;
	size_t i, n = 0;
	char *out;

	/* Every byte takes at most 4 characters; refuse sizes that wrap. */
	if (len > (SIZE_MAX - 1) / 4)
		return NULL;
	out = malloc(4 * len + 1);
	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		if (is_plain(p[i])) {
			out[n++] = (char)p[i];
			continue;
		}
		/* 4 characters and the NUL; "\ooo" of a byte fits in 4. */
		snprintf(out + n, 5, "\\%03o", p[i]);
		n += 4;
	}
	out[n] = '\0';
	return out;
}

/* Bytes in the UTF-8 sequence led by @c, or 0 when @c cannot lead one. */
static size_t utf8_seq_len(unsigned char c)
{
	if (c >= 0x01 && c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/*
 * The second byte's range rules out overlong forms, surrogates and code
 * points past U+10FFFF (RFC 3629, section 4).
 */
static int utf8_second_ok(unsigned char lead, unsigned char c)
{
	if (lead == 0xe0)
		return c >= 0xa0 && c <= 0xbf;
	if (lead == 0xed)
		return c >= 0x80 && c <= 0x9f;
	if (lead == 0xf0)
		return c >= 0x90 && c <= 0xbf;
	if (lead == 0xf4)
		return c >= 0x80 && c <= 0x8f;
	return c >= 0x80 && c <= 0xbf;
}

bool hrot_utf8_valid(const void *s, size_t len)
{
	const unsigned char *p = s;
	size_t i = 0, k;

	while (i < len) {
		size_t n = utf8_seq_len(p[i]);

		if (n == 0 || n > len - i)
			return false;
		if (n > 1 && !utf8_second_ok(p[i], p[i + 1]))
			return false;
		for (k = 2; k < n; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
		i += n;
	}
	return true;
}
