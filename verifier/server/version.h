/* SPDX-License-Identifier: GPL-2.0 */
/*
 * version.h - ordering component versions (rollback floors, seed 004).
 *
 * Versions are strings as operators write them ("6.1.0-56", "2.11",
 * "1.2.3rc1"): compared run by run, a run of digits numerically (leading
 * zeros ignored) and any other run byte by byte, as dpkg's verrevcmp does
 * for the part after the epoch ("1.10" > "1.9",
 * "1.2" < "1.2.1").  In a non-digit run, letters sort before other bytes
 * ("1.0rc1" < "1.0.1"); where one has a non-digit byte and the other a
 * digit or its end, the non-digit is newer ("1.0a" > "1.0"), but "~",
 * which is older than anything, even the end ("1.0~rc1" < "1.0").
 */
#ifndef HROT_VERIFIER_VERSION_H
#define HROT_VERIFIER_VERSION_H

/* < 0, 0, > 0 as @a is older than, the same as, newer than @b. */
int version_cmp(const char *a, const char *b);

#endif /* HROT_VERIFIER_VERSION_H */
