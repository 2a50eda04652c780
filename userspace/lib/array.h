/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot internal: the number of elements of an array (not a pointer).
 */
#ifndef HROT_ARRAY_H
#define HROT_ARRAY_H

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* HROT_ARRAY_H */
