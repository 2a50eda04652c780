// SPDX-License-Identifier: GPL-2.0
/*
 * log.c - stderr lines for the operator.  One fprintf per line: stdio
 * locks the stream, so lines of concurrent workers do not interleave.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static atomic_int log_threshold = LOG_LVL_INFO;

void log_set_level(enum log_level level)
{
	atomic_store(&log_threshold, (int)level);
}

int log_level_parse(const char *s, enum log_level *out)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if ((int)level > atomic_load(&log_threshold))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "hrot-verifierd: %s\n", line);
}
