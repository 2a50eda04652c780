/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot internal: strict base64 (standard alphabet, padded, canonical).
 */
#ifndef HROT_B64_H
#define HROT_B64_H

#include <stddef.h>
#include <stdint.h>

/*
 * Check @n characters at @s: a multiple of 4, only the alphabet, "=" only
 * as the last one or two, and no bits set past the data.  0 with the
 * decoded length in *@decoded, or -EINVAL.
 */
int b64_check(const char *s, size_t n, size_t *decoded);

/* Decode what b64_check() accepted into @out (its decoded length): 0/-errno. */
int b64_decode_checked(const char *s, size_t n, uint8_t *out,
		       size_t decoded);

#endif /* HROT_B64_H */
