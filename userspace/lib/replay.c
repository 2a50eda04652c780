// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: replaying a log into the PCR values it predicts.
 *
 * The set of PCRs is found first (sorted, so each record's PCR is found by
 * binary search), which keeps replay O(n log n) whatever PCR indices a log
 * uses, and lets the banks of every PCR live in one allocation.
 */
#include <stdlib.h>
#include <string.h>

#include <hrot/replay.h>

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static bool extends(const struct hrot_log_record *r)
{
	return r->event_type != HROT_EV_NO_ACTION;
}

/* Sorted distinct PCRs of the records that extend; NULL when out of memory. */
static uint32_t *distinct_pcrs(const struct hrot_log *log, size_t *nr)
{
	uint32_t *pcrs = malloc((log->nr_records ? log->nr_records : 1) *
				sizeof(*pcrs));
	size_t i, n = 0, k = 0;

	if (!pcrs)
		return NULL;
	for (i = 0; i < log->nr_records; i++)
		if (extends(&log->records[i]))
			pcrs[n++] = log->records[i].pcr;
	qsort(pcrs, n, sizeof(*pcrs), cmp_u32);
	for (i = 0; i < n; i++)
		if (k == 0 || pcrs[k - 1] != pcrs[i])
			pcrs[k++] = pcrs[i];
	*nr = k;
	return pcrs;
}

static void init_banks(struct hrot_replay_bank *banks,
		       const struct hrot_log_spec_id *spec)
{
	uint32_t i;

	for (i = 0; i < spec->nr_algs; i++) {
		banks[i].alg = spec->algs[i].id;
		banks[i].size = spec->algs[i].digest_size;
		banks[i].status = hrot_alg_available(banks[i].alg) ?
			HROT_REPLAY_OK : HROT_REPLAY_UNSUPPORTED;
	}
}

static struct hrot_replay *replay_alloc(const struct hrot_log *log)
{
	struct hrot_replay_bank template[HROT_LOG_MAX_ALGS] = { 0 };
	uint32_t nr_banks = log->spec_id.nr_algs;
	struct hrot_replay *rp;
	uint32_t *pcrs;
	size_t i, nr;

	rp = calloc(1, sizeof(*rp));
	pcrs = distinct_pcrs(log, &nr);
	if (!rp || !pcrs)
		goto fail;
	rp->nr_banks = nr_banks;
	rp->nr_pcrs = nr;
	rp->pcrs = calloc(nr ? nr : 1, sizeof(*rp->pcrs));
	/* calloc checks nr * nr_banks for overflow. */
	rp->bank_pool = calloc(nr ? nr : 1, nr_banks * sizeof(*rp->bank_pool));
	if (!rp->pcrs || !rp->bank_pool)
		goto fail;
	init_banks(template, &log->spec_id);
	for (i = 0; i < nr; i++) {
		rp->pcrs[i].pcr = pcrs[i];
		rp->pcrs[i].banks = rp->bank_pool + i * nr_banks;
		memcpy(rp->pcrs[i].banks, template,
		       nr_banks * sizeof(*template));
	}
	free(pcrs);
	return rp;
fail:
	free(pcrs);
	hrot_replay_free(rp);
	return NULL;
}

static int cmp_pcr(const void *key, const void *elem)
{
	return cmp_u32(key, &((const struct hrot_replay_pcr *)elem)->pcr);
}

static struct hrot_replay_pcr *find_pcr(const struct hrot_replay *replay,
					uint32_t pcr)
{
	if (!replay->nr_pcrs)
		return NULL;
	return bsearch(&pcr, replay->pcrs, replay->nr_pcrs,
		       sizeof(*replay->pcrs), cmp_pcr);
}

static const struct hrot_log_digest *
record_digest(const struct hrot_log_record *r, uint16_t alg)
{
	uint32_t i;

	for (i = 0; i < r->nr_digests; i++)
		if (r->digests[i].alg == alg)
			return &r->digests[i];
	return NULL;
}

/* Extend every bank of @pcr with @r's digest for it. */
static int extend_pcr(struct hrot_replay_pcr *pcr, uint32_t nr_banks,
		      const struct hrot_log_record *r)
{
	const struct hrot_log_digest *d;
	uint32_t i;
	int ret;

	for (i = 0; i < nr_banks; i++) {
		struct hrot_replay_bank *b = &pcr->banks[i];

		if (b->status != HROT_REPLAY_OK)
			continue;
		d = record_digest(r, b->alg);
		if (!d) {
			b->status = HROT_REPLAY_INCOMPLETE;
			continue;
		}
		ret = hrot_pcr_extend(b->alg, b->value, d->bytes);
		if (ret)
			return ret;
	}
	return 0;
}

int hrot_log_replay(const struct hrot_log *log, struct hrot_replay **out)
{
	struct hrot_replay *rp;
	size_t i;
	int ret;

	*out = NULL;
	rp = replay_alloc(log);
	if (!rp)
		return -ENOMEM;
	for (i = 0; i < log->nr_records; i++) {
		const struct hrot_log_record *r = &log->records[i];
		struct hrot_replay_pcr *pcr;

		if (!extends(r))
			continue;
		pcr = find_pcr(rp, r->pcr);
		ret = extend_pcr(pcr, rp->nr_banks, r);
		if (ret) {
			hrot_replay_free(rp);
			return ret;
		}
	}
	*out = rp;
	return 0;
}

const struct hrot_replay_pcr *hrot_replay_find(const struct hrot_replay *replay,
					       uint32_t pcr)
{
	return find_pcr(replay, pcr);
}

void hrot_replay_free(struct hrot_replay *replay)
{
	if (!replay)
		return;
	free(replay->pcrs);
	free(replay->bank_pool);
	free(replay);
}
