// SPDX-License-Identifier: GPL-2.0
/*
 * metrics.c - what /metrics shows.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>

#include <event2/buffer.h>

#include "commit.h"
#include "metrics.h"
#include "nonce.h"

/* Upper bounds of the latency buckets, seconds (then +Inf). */
static const double buckets[] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
};

#define NR_BUCKETS	(sizeof(buckets) / sizeof(buckets[0]))

static atomic_ullong attestations[APPRAISE_NR_REASONS];
static atomic_ullong bucket_count[NR_BUCKETS + 1];	/* last: +Inf */
static atomic_ullong duration_count;
static atomic_ullong duration_sum_us;

void metrics_attestation(enum appraise_reason reason)
{
	if ((unsigned int)reason >= APPRAISE_NR_REASONS)
		reason = APPRAISE_INTERNAL;
	atomic_fetch_add_explicit(&attestations[reason], 1,
				  memory_order_relaxed);
}

void metrics_request_duration(double seconds)
{
	size_t i = 0;

	if (seconds < 0)
		seconds = 0;
	while (i < NR_BUCKETS && seconds > buckets[i])
		i++;
	/* non-cumulative here; render adds them up */
	atomic_fetch_add_explicit(&bucket_count[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&duration_count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&duration_sum_us,
				  (unsigned long long)(seconds * 1e6),
				  memory_order_relaxed);
}

static int render_attestations(struct evbuffer *out)
{
	unsigned int r;
	int ret = 0;

	ret |= evbuffer_add_printf(out,
		"# HELP hrot_attestations_total Appraisal verdicts by reason.\n"
		"# TYPE hrot_attestations_total counter\n") < 0;
	for (r = 0; r < APPRAISE_NR_REASONS; r++) {
		unsigned long long v = atomic_load_explicit(&attestations[r],
							    memory_order_relaxed);

		ret |= evbuffer_add_printf(out,
			"hrot_attestations_total{result=\"%s\",reason=\"%s\"} %llu\n",
			r == APPRAISE_PASS ? "pass" : "fail",
			appraise_reason_code((enum appraise_reason)r), v) < 0;
	}
	return ret;
}

static int render_histogram(struct evbuffer *out)
{
	unsigned long long cumulative = 0;
	size_t i;
	int ret = 0;

	ret |= evbuffer_add_printf(out,
		"# HELP hrot_request_duration_seconds Request latency.\n"
		"# TYPE hrot_request_duration_seconds histogram\n") < 0;
	for (i = 0; i <= NR_BUCKETS; i++) {
		cumulative += atomic_load_explicit(&bucket_count[i],
						   memory_order_relaxed);
		if (i < NR_BUCKETS)
			ret |= evbuffer_add_printf(out,
				"hrot_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
				buckets[i], cumulative) < 0;
		else
			ret |= evbuffer_add_printf(out,
				"hrot_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
				cumulative) < 0;
	}
	ret |= evbuffer_add_printf(out,
		"hrot_request_duration_seconds_sum %.6f\n"
		"hrot_request_duration_seconds_count %llu\n",
		(double)atomic_load(&duration_sum_us) / 1e6,
		atomic_load(&duration_count)) < 0;
	return ret;
}

static int render_gauges(struct evbuffer *out, struct committer *c,
			 struct nonce_table *n)
{
	struct commit_stats st = { 0, 0 };

	if (c)
		commit_get_stats(c, &st);
	return evbuffer_add_printf(out,
		"# HELP hrot_commit_batches_total Store transactions (fsyncs).\n"
		"# TYPE hrot_commit_batches_total counter\n"
		"hrot_commit_batches_total %llu\n"
		"# HELP hrot_commit_jobs_total Writes committed.\n"
		"# TYPE hrot_commit_jobs_total counter\n"
		"hrot_commit_jobs_total %llu\n"
		"# HELP hrot_nonces_outstanding Challenges issued, not used.\n"
		"# TYPE hrot_nonces_outstanding gauge\n"
		"hrot_nonces_outstanding %zu\n",
		st.batches, st.jobs, n ? nonce_table_count(n) : 0) < 0;
}

int metrics_render(struct evbuffer *out, struct committer *c,
		   struct nonce_table *n)
{
	if (render_attestations(out) || render_histogram(out) ||
	    render_gauges(out, c, n))
		return -ENOMEM;
	return 0;
}
