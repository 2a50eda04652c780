// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the event-log parser and everything that runs on what
 * it accepts (verification, replay, HROT event decoding).  Invariants of
 * a parsed log are checked, so a parser that accepts garbage it then
 * describes wrongly is caught, not only one that crashes.
 */
#include <stdint.h>
#include <stdlib.h>

#include <hrot/eventlog.h>
#include <hrot/replay.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_record(const struct hrot_log *log,
			 const struct hrot_log_record *r)
{
	const uint8_t *end = log->data + log->size;
	const uint8_t *name = (const uint8_t *)r->hrot.name;
	uint32_t k;

	if (r->offset + r->length > log->size)
		abort();
	if (r->nr_digests > log->spec_id.nr_algs)
		abort();
	for (k = 0; k < r->nr_digests; k++)
		if (r->digests[k].bytes + r->digests[k].size > end)
			abort();
	if (r->event + r->event_size > end)
		abort();
	if (r->is_hrot && (r->hrot.name_len == 0 ||
			   r->hrot.name_len > HROT_NAME_MAX ||
			   name + r->hrot.name_len > end))
		abort();
}

static void check_log(const struct hrot_log *log, size_t size)
{
	size_t i, covered = log->header_size;

	if (log->size != size || log->spec_id.nr_algs == 0 ||
	    log->spec_id.nr_algs > HROT_LOG_MAX_ALGS)
		abort();
	for (i = 0; i < log->nr_records; i++) {
		check_record(log, &log->records[i]);
		/* Records tile the log after the header, in order. */
		if (log->records[i].offset != covered)
			abort();
		covered += log->records[i].length;
	}
	if (covered != size)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hrot_log_diag diag;
	struct hrot_replay *rp;
	struct hrot_log *log;

	if (hrot_log_parse(data, size, &log, &diag))
		return 0;
	check_log(log, size);
	hrot_log_verify(log, &diag);
	if (!hrot_log_replay(log, &rp))
		hrot_replay_free(rp);
	hrot_log_free(log);
	return 0;
}
