/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot internal: a message into a caller's optional error buffer.
 */
#ifndef HROT_ERRBUF_H
#define HROT_ERRBUF_H

#include <stddef.h>

/* printf into @err (@size bytes) when @err is not NULL; always terminated. */
void hrot_errbuf_set(char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* HROT_ERRBUF_H */
