/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot internal: the state of hrot_log_parse() and its bounds-checked
 * reads, shared by the Spec ID and record parsers.
 */
#ifndef HROT_LOG_PARSER_H
#define HROT_LOG_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hrot/eventlog.h>

/**
 * struct cursor - a read position in a byte buffer
 * @buf: the bytes
 * @len: their number
 * @off: next byte to read; never more than @len
 */
struct cursor {
	const uint8_t *buf;
	size_t len;
	size_t off;
};

static inline size_t cursor_left(const struct cursor *c)
{
	return c->len - c->off;
}

/*
 * Take @n bytes, or nothing if fewer are left.  The comparison is against
 * what is left, so no sum can wrap.
 */
static inline bool cursor_take(struct cursor *c, size_t n, const uint8_t **p)
{
	if (n > cursor_left(c))
		return false;
	*p = c->buf + c->off;
	c->off += n;
	return true;
}

bool hrotp_cursor_u8(struct cursor *c, uint8_t *v);
bool hrotp_cursor_u16(struct cursor *c, uint16_t *v);
bool hrotp_cursor_u32(struct cursor *c, uint32_t *v);

/**
 * struct parser - hrot_log_parse() in progress
 * @cur:    position in the log (the parser's own copy)
 * @log:    what is being filled in
 * @diag:   where errors are described, or NULL
 * @record: the record being parsed, or HROT_LOG_NO_RECORD in the header
 * @start:  offset of that record
 */
struct parser {
	struct cursor cur;
	struct hrot_log *log;
	struct hrot_log_diag *diag;
	size_t record;
	size_t start;
};

/*
 * Record an error at byte @offset of the log and return @err (a negative
 * errno); the message gets the record number in front of it.
 */
int hrotp_fail(struct parser *p, int err, size_t offset, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Reads from the log that fail with -HROT_LOG_ETRUNCATED naming @what. */
int hrotp_bytes(struct parser *p, size_t n, const char *what,
		const uint8_t **out);
int hrotp_u16(struct parser *p, const char *what, uint16_t *v);
int hrotp_u32(struct parser *p, const char *what, uint32_t *v);

/* The Spec ID event that heads the log, into p->log->spec_id. */
int hrotp_spec_id(struct parser *p);

/* Index of bank @alg in the Spec ID event, or -1. */
int hrotp_bank(const struct hrot_log_spec_id *spec, uint16_t alg);

/*
 * hrot_log_parse() of a buffer it takes over: @data (from malloc) is freed
 * on failure and owned by the log on success.  @len is within the limit.
 */
int hrotp_parse_owned(uint8_t *data, size_t len, struct hrot_log **out,
		    struct hrot_log_diag *diag);

#endif /* HROT_LOG_PARSER_H */
