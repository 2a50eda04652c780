/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot: hexadecimal and text helpers for printing what the log holds.
 */
#ifndef HROT_HEX_H
#define HROT_HEX_H

#include <stdbool.h>
#include <stddef.h>

/* Room for the lower-case hex of @n bytes and its NUL. */
#define HROT_HEX_SIZE(n)	(2 * (n) + 1)

/**
 * hrot_hex_encode() - lower-case hex of a byte string
 * @in:       bytes
 * @len:      their number
 * @out:      receives 2 * @len digits and a NUL
 * @out_size: room in @out
 *
 * Return: 0, or -ENOSPC when @out_size < HROT_HEX_SIZE(@len) (@out is then
 * the empty string when it has room for one).
 */
int hrot_hex_encode(const void *in, size_t len, char *out, size_t out_size);

/**
 * hrot_hex_decode() - bytes from a hex string of exactly known length
 * @hex:     NUL-terminated, 2 * @out_len digits of either case, nothing else
 * @out:     receives @out_len bytes
 * @out_len: bytes expected
 *
 * Return: 0, or -EINVAL for a wrong length or a character that is not a
 * hex digit (@out is then unspecified).
 */
int hrot_hex_decode(const char *hex, void *out, size_t out_len);

/**
 * hrot_escape_name() - printable form of a name from the log
 * @name: bytes, not NUL-terminated, may hold anything
 * @len:  their number
 *
 * Spaces, backslashes and bytes outside printable ASCII become a backslash
 * and three octal digits ("\040"), as in ascii_measurements, so a name is
 * one field of a space-separated line.
 *
 * Return: a NUL-terminated string to free(), or NULL when out of memory.
 */
char *hrot_escape_name(const void *name, size_t len);

/* True when @s[0..@len) is well-formed UTF-8 with no NUL. */
bool hrot_utf8_valid(const void *s, size_t len);

#endif /* HROT_HEX_H */
