/* SPDX-License-Identifier: GPL-2.0 */
/*
 * log.h - one line per event on stderr, "hrot-verifierd: ...", filtered by
 * --log-level.  journald adds the time stamp, so none is printed here.
 */
#ifndef HROT_VERIFIER_LOG_H
#define HROT_VERIFIER_LOG_H

enum log_level {
	LOG_LVL_ERROR = 0,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

void log_set_level(enum log_level level);
/* "error", "warn", "info", "debug": 0 and the level, or -1. */
int log_level_parse(const char *s, enum log_level *out);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)	log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif /* HROT_VERIFIER_LOG_H */
