// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: error messages into a caller's buffer.
 */
#include <stdarg.h>
#include <stdio.h>

#include "errbuf.h"

void hrot_errbuf_set(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (!err || size == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
}
