// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: parsing a whole crypto-agile event log.
 *
 * The records are walked twice: once to check everything and count the
 * records and digests, once to store them into arrays of exactly that
 * size.  Both walks run the same code on the same bytes, so the second
 * cannot fail where the first did not, and nothing is ever reallocated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hrot/alg.h>
#include "log_parser.h"

/* One {hashAlg, digest}; @seen has a bit set for each bank already read. */
static int parse_digest(struct parser *p, struct hrot_log_digest *d,
			uint32_t seen)
{
	const struct hrot_log_spec_id *s = &p->log->spec_id;
	size_t offset = p->cur.off;
	int ret, bank;

	ret = hrotp_u16(p, "digest algorithm", &d->alg);
	if (ret)
		return ret;
	bank = hrotp_bank(s, d->alg);
	if (bank < 0)
		return hrotp_fail(p, -HROT_LOG_EFORMAT, offset,
				  "unknown algorithm 0x%04x (not in the Spec ID event)",
				  d->alg);
	if (seen & (1u << bank)) {
		char buf[HROT_ALG_LABEL_SIZE];

		return hrotp_fail(p, -HROT_LOG_EFORMAT, offset, "two %s digests",
				  hrot_alg_label(d->alg, buf));
	}
	d->size = s->algs[bank].digest_size;
	return hrotp_bytes(p, d->size, "digest", &d->bytes);
}

static int parse_digests(struct parser *p, struct hrot_log_record *r,
			 struct hrot_log_digest *digests)
{
	uint32_t nr_algs = p->log->spec_id.nr_algs;
	size_t offset = p->cur.off;
	uint32_t i, seen = 0;
	int ret;

	ret = hrotp_u32(p, "digest count", &r->nr_digests);
	if (ret)
		return ret;
	if (r->nr_digests > nr_algs)
		return hrotp_fail(p, -HROT_LOG_ETOOBIG, offset,
				  "%u digests but %u banks", r->nr_digests,
				  nr_algs);
	for (i = 0; i < r->nr_digests; i++) {
		ret = parse_digest(p, &digests[i], seen);
		if (ret)
			return ret;
		seen |= 1u << hrotp_bank(&p->log->spec_id, digests[i].alg);
	}
	r->digests = digests;
	return 0;
}

/* Decode HROT event data; other event data is left to the caller. */
static int decode_hrot(struct parser *p, struct hrot_log_record *r,
		       size_t offset)
{
	const char *why = "";
	int ret;

	r->is_hrot = hrot_event_has_magic(r->event, r->event_size);
	if (!r->is_hrot)
		return 0;
	ret = hrot_event_decode(r->event, r->event_size, &r->hrot, &why);
	if (ret == -E2BIG)
		return hrotp_fail(p, -HROT_LOG_ETOOBIG, offset,
				  "HROT event data: %s", why);
	if (ret)
		return hrotp_fail(p, -HROT_LOG_EFORMAT, offset,
				  "HROT event data: %s", why);
	/* The record's eventType is covered by no digest; the event data's is. */
	if (r->hrot.event_type != r->event_type)
		return hrotp_fail(p, -HROT_LOG_EFORMAT, offset,
				  "eventType 0x%08x, but the HROT event data binds 0x%08x",
				  r->event_type, r->hrot.event_type);
	return 0;
}

static int parse_event(struct parser *p, struct hrot_log_record *r)
{
	size_t offset = p->cur.off;
	int ret;

	ret = hrotp_u32(p, "event size", &r->event_size);
	if (ret)
		return ret;
	if (r->event_size > HROT_LOG_MAX_EVENT_SIZE)
		return hrotp_fail(p, -HROT_LOG_ETOOBIG, offset,
				  "event size %u over the limit %u",
				  r->event_size, HROT_LOG_MAX_EVENT_SIZE);
	ret = hrotp_bytes(p, r->event_size, "event data", &r->event);
	if (ret)
		return ret;
	return decode_hrot(p, r, offset + 4);
}

/* One TCG_PCR_EVENT2; @digests has room for every bank. */
static int parse_record(struct parser *p, struct hrot_log_record *r,
			struct hrot_log_digest *digests)
{
	int ret;

	memset(r, 0, sizeof(*r));
	r->offset = p->cur.off;
	ret = hrotp_u32(p, "PCR index", &r->pcr);
	if (!ret)
		ret = hrotp_u32(p, "event type", &r->event_type);
	if (!ret)
		ret = parse_digests(p, r, digests);
	if (!ret)
		ret = parse_event(p, r);
	r->length = p->cur.off - r->offset;
	return ret;
}

/*
 * Walk every record after the header.  With @store false, check them and
 * count them into @nr_records and @nr_digests; with @store true, also fill
 * p->log->records and p->log->digest_pool, which have room for the counts.
 */
static int walk_records(struct parser *p, bool store, size_t *nr_records,
			size_t *nr_digests)
{
	struct hrot_log_digest scratch[HROT_LOG_MAX_ALGS] = { 0 };
	struct hrot_log *log = p->log;
	struct hrot_log_record r;

	*nr_records = 0;
	*nr_digests = 0;
	p->cur.off = log->header_size;
	while (cursor_left(&p->cur)) {
		struct hrot_log_digest *d = store ?
			log->digest_pool + *nr_digests : scratch;
		int ret;

		p->record = *nr_records;
		p->start = p->cur.off;
		ret = parse_record(p, &r, d);
		if (ret)
			return ret;
		if (store)
			log->records[*nr_records] = r;
		(*nr_records)++;
		*nr_digests += r.nr_digests;
	}
	return 0;
}

static int store_records(struct parser *p, size_t nr_records,
			 size_t nr_digests)
{
	struct hrot_log *log = p->log;
	size_t n, d;

	/* At least one element each, so no pointer is ever NULL + 0. */
	log->records = calloc(nr_records ? nr_records : 1,
			      sizeof(*log->records));
	log->digest_pool = calloc(nr_digests ? nr_digests : 1,
				  sizeof(*log->digest_pool));
	if (!log->records || !log->digest_pool)
		return hrotp_fail(p, -ENOMEM, 0, "out of memory");
	log->nr_records = nr_records;
	return walk_records(p, true, &n, &d);
}

void hrot_log_free(struct hrot_log *log)
{
	if (!log)
		return;
	free(log->records);
	free(log->digest_pool);
	free(log->data);
	free(log);
}

static int parse_all(struct parser *p)
{
	size_t nr_records, nr_digests;
	int ret;

	p->record = HROT_LOG_NO_RECORD;
	p->start = 0;
	ret = hrotp_spec_id(p);
	if (ret)
		return ret;
	p->log->header_size = p->cur.off;
	ret = walk_records(p, false, &nr_records, &nr_digests);
	if (ret)
		return ret;
	return store_records(p, nr_records, nr_digests);
}

int hrotp_parse_owned(uint8_t *data, size_t len, struct hrot_log **out,
		    struct hrot_log_diag *diag)
{
	struct parser p = { .diag = diag, .record = HROT_LOG_NO_RECORD };
	struct hrot_log *log;
	int ret;

	*out = NULL;
	log = calloc(1, sizeof(*log));
	if (!log) {
		free(data);
		return hrotp_fail(&p, -ENOMEM, 0, "out of memory");
	}
	log->data = data;
	log->size = len;
	p.log = log;
	p.cur = (struct cursor){ .buf = data, .len = len };
	ret = parse_all(&p);
	if (ret) {
		hrot_log_free(log);
		return ret;
	}
	*out = log;
	return 0;
}

int hrot_log_parse(const void *buf, size_t len, struct hrot_log **out,
		   struct hrot_log_diag *diag)
{
	struct parser p = { .diag = diag, .record = HROT_LOG_NO_RECORD };
	uint8_t *data;

	*out = NULL;
	if (len > HROT_LOG_MAX_BYTES)
		return hrotp_fail(&p, -HROT_LOG_ETOOBIG, 0,
				  "log of %zu bytes, over the limit %u", len,
				  HROT_LOG_MAX_BYTES);
	/* A copy, so the log does not depend on the caller's buffer. */
	data = malloc(len ? len : 1);
	if (!data)
		return hrotp_fail(&p, -ENOMEM, 0, "out of memory");
	if (len)
		memcpy(data, buf, len);
	return hrotp_parse_owned(data, len, out, diag);
}
