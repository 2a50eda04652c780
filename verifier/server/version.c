// SPDX-License-Identifier: GPL-2.0
/*
 * version.c - ordering component versions (version.h).
 */
#include <stdbool.h>
#include <string.h>

#include "version.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A digit run: more significant digits win, then the digits themselves. */
static int cmp_digits(const char **pa, const char **pb)
{
	const char *a = *pa, *b = *pb;
	size_t la, lb;
	int c;

	while (*a == '0')
		a++;
	while (*b == '0')
		b++;
	la = strspn(a, "0123456789");
	lb = strspn(b, "0123456789");
	*pa = a + la;
	*pb = b + lb;
	if (la != lb)
		return la < lb ? -1 : 1;
	c = memcmp(a, b, la);
	return c < 0 ? -1 : c > 0;
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * The weight of one byte of a non-digit run, dpkg's: "~" before the run's
 * end (0), letters before every other byte.
 */
static int weight(char c)
{
	if (c == '~')
		return -1;
	if (c == '\0' || is_digit(c))
		return 0;
	if (is_letter(c))
		return (unsigned char)c;
	return (unsigned char)c + 256;
}

static int cmp_text(const char **pa, const char **pb)
{
	const char *a = *pa, *b = *pb;

	while ((*a && !is_digit(*a)) || (*b && !is_digit(*b))) {
		int wa = weight(*a), wb = weight(*b);

		if (wa != wb)
			return wa < wb ? -1 : 1;
		a++;
		b++;
	}
	*pa = a;
	*pb = b;
	return 0;
}

int version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		int c = cmp_text(&a, &b);

		if (c)
			return c;
		c = cmp_digits(&a, &b);
		if (c)
			return c;
	}
	return 0;
}
