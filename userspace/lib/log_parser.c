// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: bounds-checked reads and error reports for the log parser.
 */
#include <stdarg.h>
#include <stdio.h>

#include "le.h"
#include "log_parser.h"

bool hrotp_cursor_u8(struct cursor *c, uint8_t *v)
{
	const uint8_t *p;

	if (!cursor_take(c, 1, &p))
		return false;
	*v = *p;
	return true;
}

bool hrotp_cursor_u16(struct cursor *c, uint16_t *v)
{
	const uint8_t *p;

	if (!cursor_take(c, 2, &p))
		return false;
	*v = get_le16(p);
	return true;
}

bool hrotp_cursor_u32(struct cursor *c, uint32_t *v)
{
	const uint8_t *p;

	if (!cursor_take(c, 4, &p))
		return false;
	*v = get_le32(p);
	return true;
}

int hrotp_fail(struct parser *p, int err, size_t offset, const char *fmt, ...)
{
	struct hrot_log_diag *d = p->diag;
	va_list ap;
	int n;

	if (!d)
		return err;
	d->record = p->record;
	d->offset = offset;
	if (p->record == HROT_LOG_NO_RECORD)
		n = snprintf(d->msg, sizeof(d->msg), "Spec ID event: ");
	else
		n = snprintf(d->msg, sizeof(d->msg), "record %zu at offset %zu: ",
			     p->record, p->start);
	if (n < 0 || (size_t)n >= sizeof(d->msg))
		return err;
	va_start(ap, fmt);
	vsnprintf(d->msg + n, sizeof(d->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	return err;
}

int hrotp_bytes(struct parser *p, size_t n, const char *what,
		const uint8_t **out)
{
	size_t left = cursor_left(&p->cur);

	if (cursor_take(&p->cur, n, out))
		return 0;
	*out = NULL;
	hrotp_fail(p, -HROT_LOG_ETRUNCATED, p->cur.off,
		   "truncated: %s needs %zu bytes, %zu left", what, n, left);
	/* A constant, so the compiler sees that *out is set on success. */
	return -HROT_LOG_ETRUNCATED;
}

int hrotp_u16(struct parser *p, const char *what, uint16_t *v)
{
	const uint8_t *b;
	int ret = hrotp_bytes(p, 2, what, &b);

	if (!ret)
		*v = get_le16(b);
	return ret;
}

int hrotp_u32(struct parser *p, const char *what, uint32_t *v)
{
	const uint8_t *b;
	int ret = hrotp_bytes(p, 4, what, &b);

	if (!ret)
		*v = get_le32(b);
	return ret;
}
