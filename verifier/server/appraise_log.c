// SPDX-License-Identifier: GPL-2.0
/*
 * appraise_log.c - the event logs against the quoted PCRs.
 *
 * The hrot log: it must parse (libhrot), hold only what the module writes
 * (HROT event data on the module's PCR, nothing that replay skips), every
 * record's SHA-256 digest must be the hash of its event data (so the
 * names and content digests the policy check reads are the ones that were
 * extended), and its SHA-256 replay must equal the quoted value of the
 * module's PCR.  Only then is the parsed log handed to the policy check.
 *
 * The firmware log (optional, binary_bios_measurements): libhrot's parser
 * takes any TCG crypto-agile log, so it is parsed and replayed, and every
 * PCR it extends that the quote covers (other than the module's) must
 * replay to the quoted SHA-256 value.  Its events are not appraised
 * against a policy (there is no firmware policy yet), and PCRs the quote
 * does not cover are not looked at: nothing vouches for them.  Replay
 * starts PCR 0 at zero, so a platform whose firmware starts at another
 * locality (StartupLocality 3) fails here; hrot devices send it only when
 * asked for.
 */
#include <string.h>

#include <hrot/replay.h>

#include "appraise_checks.h"

#define HEXLEN	(2 * HROT_SHA256_SIZE + 1)

static enum appraise_reason parse(struct appraise_run *run, const char *what,
				  const uint8_t *buf, size_t len,
				  struct hrot_log **out)
{
	struct hrot_log_diag diag = { .msg = "" };
	size_t i;
	int ret;

	if (!buf || !len)
		return appraise_fail(run, APPRAISE_LOG_MALFORMED,
				     "%s: missing or empty", what);
	ret = hrot_log_parse(buf, len, out, &diag);
	if (ret == -ENOMEM)
		return appraise_fail(run, APPRAISE_INTERNAL,
				     "%s: out of memory", what);
	if (ret)
		return appraise_fail(run, APPRAISE_LOG_MALFORMED,
				     "%s does not parse: %s", what, diag.msg);
	for (i = 0; i < (*out)->spec_id.nr_algs; i++)
		if ((*out)->spec_id.algs[i].id == HROT_ALG_SHA256)
			return APPRAISE_PASS;
	return appraise_fail(run, APPRAISE_LOG_MALFORMED,
			     "%s has no SHA-256 bank", what);
}

/*
 * The Spec ID header as the module writes it (Documentation/log-format.md):
 * nothing in it is measured, so anything else is not the module's log.
 */
static enum appraise_reason module_header(struct appraise_run *run,
					  const struct hrot_log_spec_id *s)
{
	if (s->platform_class != 0 || s->version_major != 2 ||
	    s->version_minor != 0 || s->errata != 0 || s->uintn_size != 2 ||
	    s->vendor_info_size != 0)
		return appraise_fail(run, APPRAISE_LOG_MALFORMED,
				     "event log header is not hrot's (class %u, version %u.%u errata %u, uintn %u, vendor info %u bytes)",
				     s->platform_class, s->version_major,
				     s->version_minor, s->errata, s->uintn_size,
				     s->vendor_info_size);
	return APPRAISE_PASS;
}

/* What the module writes, and nothing else. */
static enum appraise_reason module_records(struct appraise_run *run,
					   const struct hrot_log *log)
{
	unsigned int pcr = run->ctx->hrot_pcr;
	size_t i;

	for (i = 0; i < log->nr_records; i++) {
		const struct hrot_log_record *r = &log->records[i];

		if (r->pcr != pcr)
			return appraise_fail(run, APPRAISE_LOG_MALFORMED,
					     "event log record %zu extends PCR %u, not the hrot PCR %u",
					     i, r->pcr, pcr);
		if (!r->is_hrot)
			return appraise_fail(run, APPRAISE_LOG_MALFORMED,
					     "event log record %zu is not an hrot event",
					     i);
		if (r->event_type == HROT_EV_NO_ACTION ||
		    r->event_type >= HROT_EV_EFI_BASE)
			return appraise_fail(run, APPRAISE_LOG_MALFORMED,
					     "event log record %zu has event type 0x%x, which hrot never logs",
					     i, r->event_type);
		/* MEASURE_FD records are EV_IPL; only EXTEND picks its type */
		if (r->hrot.kind == HROT_EVENT_FILE &&
		    r->event_type != HROT_EV_IPL)
			return appraise_fail(run, APPRAISE_LOG_MALFORMED,
					     "event log record %zu measures a file but has event type 0x%x, not EV_IPL",
					     i, r->event_type);
	}
	return APPRAISE_PASS;
}

static enum appraise_reason digests_match_events(struct appraise_run *run,
						 const struct hrot_log *log)
{
	struct hrot_log_diag diag = { .msg = "" };
	int ret = hrot_log_verify(log, &diag);

	if (ret == -HROT_LOG_EMISMATCH)
		return appraise_fail(run, APPRAISE_LOG_REPLAY,
				     "event log: %s", diag.msg);
	if (ret)
		return appraise_fail(run, APPRAISE_INTERNAL,
				     "event log: cannot check digests: %s",
				     diag.msg);
	return APPRAISE_PASS;
}

/* The SHA-256 bank of PCR @pcr as @log predicts it (zero if untouched). */
static enum appraise_reason predict(struct appraise_run *run, const char *what,
				    const struct hrot_replay *rp, unsigned int pcr,
				    uint8_t out[HROT_SHA256_SIZE])
{
	const struct hrot_replay_pcr *p = hrot_replay_find(rp, pcr);
	uint32_t b;

	memset(out, 0, HROT_SHA256_SIZE);
	if (!p)
		return APPRAISE_PASS;
	for (b = 0; b < rp->nr_banks; b++) {
		const struct hrot_replay_bank *bank = &p->banks[b];

		if (bank->alg != HROT_ALG_SHA256)
			continue;
		if (bank->status != HROT_REPLAY_OK)
			break;
		memcpy(out, bank->value, HROT_SHA256_SIZE);
		return APPRAISE_PASS;
	}
	return appraise_fail(run, APPRAISE_LOG_REPLAY,
			     "%s: PCR %u: a record has no SHA-256 digest", what,
			     pcr);
}

static enum appraise_reason compare(struct appraise_run *run, const char *what,
				    const struct hrot_replay *rp,
				    unsigned int pcr)
{
	uint8_t want[HROT_SHA256_SIZE];
	const uint8_t *got = run->quote->pcrs[pcr];
	enum appraise_reason r = predict(run, what, rp, pcr, want);

	if (r != APPRAISE_PASS)
		return r;
	if (memcmp(want, got, HROT_SHA256_SIZE) != 0) {
		char a[HEXLEN], b[HEXLEN];

		return appraise_fail(run, APPRAISE_LOG_REPLAY,
				     "%s: PCR %u: log replays to %s, quote reports %s",
				     what, pcr,
				     appraise_hex(want, sizeof(want), a, sizeof(a)),
				     appraise_hex(got, HROT_SHA256_SIZE, b, sizeof(b)));
	}
	return APPRAISE_PASS;
}

static enum appraise_reason replay_pcr(struct appraise_run *run,
				       const char *what,
				       const struct hrot_log *log,
				       unsigned int pcr)
{
	struct hrot_replay *rp = NULL;
	enum appraise_reason r;

	if (hrot_log_replay(log, &rp))
		return appraise_fail(run, APPRAISE_INTERNAL,
				     "%s: replay failed", what);
	r = compare(run, what, rp, pcr);
	hrot_replay_free(rp);
	return r;
}

enum appraise_reason appraise_check_event_log(struct appraise_run *run)
{
	const struct hrot_attest_req *req = run->attest;
	enum appraise_reason r;

	r = parse(run, "event log", req->event_log, req->event_log_len,
		  &run->log);
	if (r == APPRAISE_PASS)
		r = module_header(run, &run->log->spec_id);
	if (r == APPRAISE_PASS)
		r = module_records(run, run->log);
	if (r == APPRAISE_PASS)
		r = digests_match_events(run, run->log);
	if (r == APPRAISE_PASS)
		r = replay_pcr(run, "event log", run->log, run->ctx->hrot_pcr);
	return r;
}

static enum appraise_reason firmware_pcrs(struct appraise_run *run,
					  const struct hrot_replay *rp)
{
	enum appraise_reason r = APPRAISE_PASS;
	size_t i;

	for (i = 0; i < rp->nr_pcrs && r == APPRAISE_PASS; i++) {
		uint32_t pcr = rp->pcrs[i].pcr;

		if (pcr >= HROT_PCR_COUNT || pcr == run->ctx->hrot_pcr ||
		    !(run->quote->pcr_mask & (1u << pcr)))
			continue;
		r = compare(run, "firmware log", rp, pcr);
	}
	return r;
}

enum appraise_reason appraise_check_firmware_log(struct appraise_run *run)
{
	const struct hrot_attest_req *req = run->attest;
	struct hrot_replay *rp = NULL;
	struct hrot_log *log = NULL;
	enum appraise_reason r;

	if (!req->firmware_log)
		return APPRAISE_PASS;
	r = parse(run, "firmware log", req->firmware_log,
		  req->firmware_log_len, &log);
	if (r == APPRAISE_PASS && hrot_log_replay(log, &rp))
		r = appraise_fail(run, APPRAISE_INTERNAL,
				  "firmware log: replay failed");
	if (r == APPRAISE_PASS)
		r = firmware_pcrs(run, rp);
	hrot_replay_free(rp);
	hrot_log_free(log);
	return r;
}
