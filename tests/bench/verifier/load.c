// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-verifier-loadgen: the load.  One thread per client, each an
 * enrolled simulated device with its own libhrot-client (one libcurl easy
 * handle: TLS 1.3, keep-alive), doing the whole attestation in a loop:
 * challenge, ephemeral key, quote, POST /v1/attest, token checked against
 * the token key, secret unsealed.  In new-connection mode every request
 * (challenge and attest alike) opens its own TCP + TLS connection with a
 * full handshake (no session resumption): a device booting.
 *
 * Latency is that of one whole attestation (both requests and the device
 * work); throughput counts the attestations that completed inside the
 * measuring window (after the warm-up).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client_int.h"	/* the curl handle, for the connection policy */
#include "bench.h"

struct worker {
	const struct load_opts *o;
	const struct bench_log *log;
	unsigned int idx;
	pthread_barrier_t *ready;
	const double *start;		/* set by the main thread after @ready */
	int setup_err;
	double *lat;
	size_t nlat, cap;
	uint64_t ok, failed;
	char err[400];
};

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void record(struct worker *w, double ms)
{
	double *p;

	if (w->nlat == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 1024;
		p = realloc(w->lat, w->cap * sizeof(*p));
		if (!p)
			return;		/* keep what we have */
		w->lat = p;
	}
	w->lat[w->nlat++] = ms;
}

static int new_client(const struct load_opts *o, struct hrot_client **c)
{
	const struct hrot_client_config cfg = {
		.url = o->url, .ca_file = o->ca, .timeout_ms = 30000,
	};
	int ret = hrot_client_new(&cfg, c);

	if (ret || !o->new_connection)
		return ret;
	if (curl_easy_setopt((*c)->curl, CURLOPT_FORBID_REUSE, 1L) ||
	    curl_easy_setopt((*c)->curl, CURLOPT_SSL_SESSIONID_CACHE, 0L)) {
		hrot_client_free(*c);
		return -EINVAL;
	}
	return 0;
}

static void failed(struct worker *w, struct hrot_client *c, int ret)
{
	const struct hrot_client_error *e = hrot_client_error(c);

	w->failed++;
	if (!w->err[0])
		snprintf(w->err, sizeof(w->err), "%s (%d, http %ld): %s",
			 e->reason, ret, e->http_status, e->detail);
}

/*
 * Closed loop (@interval 0): the next attestation starts when the last
 * ends.  Paced: at fixed times, and the latency counts from the time it was
 * due, so a slow server is not hidden by clients that wait for it
 * (coordinated omission).
 */
static double pace(double interval, double *next)
{
	double now = now_s(), due = *next;
	struct timespec ts;

	if (interval <= 0)
		return now;
	if (due > now) {
		ts.tv_sec = (time_t)(due - now);
		ts.tv_nsec = (long)((due - now - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
	*next = due + interval;
	return due;
}

static void attest_loop(struct worker *w, struct hrot_client *c,
			struct hrot_attester *a, const struct soft_tpm *t,
			const struct hrot_metadata *meta)
{
	const struct hrot_attest_opts opts = {
		.pcr_mask = 1u << BENCH_PCR,
		.physical = w->o->physical ? HROT_PHYSICAL_ALWAYS :
					     HROT_PHYSICAL_NEVER,
		.token_pub = w->o->token_pub,
	};
	double t_meas = *w->start + w->o->warmup;
	double t_end = t_meas + w->o->duration, t0, next;
	struct hrot_release rel;

	/* Paced clients start spread over one interval. */
	next = *w->start + w->o->interval * w->idx / w->o->clients;
	while ((t0 = pace(w->o->interval, &next)) < t_end) {
		int ret = hrot_client_attest(c, a, t->ak_name, meta, &opts,
					     &rel);
		double t1 = now_s();

		hrot_release_free(&rel);
		if (t1 < t_meas || t1 > t_end)
			continue;
		if (ret)
			failed(w, c, ret);
		else
			w->ok++, record(w, (t1 - t0) * 1e3);
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct hrot_client *c = NULL;
	struct hrot_metadata meta;
	struct hrot_attester a;
	struct soft_tpm t;
	int ret;

	ret = device_load(w->o->dir, w->idx, w->log, &t);
	if (!ret) {
		ret = device_load_metadata(w->o->dir, w->idx, &meta);
		if (ret)
			soft_tpm_free(&t);
	}
	if (!ret) {
		ret = new_client(w->o, &c);
		if (ret)
			soft_tpm_free(&t);
	}
	w->setup_err = ret;
	pthread_barrier_wait(w->ready);
	pthread_barrier_wait(w->ready);		/* *w->start is set */
	if (ret)
		return NULL;
	soft_tpm_attester(&t, &a);
	attest_loop(w, c, &a, &t, &meta);
	hrot_client_free(c);
	soft_tpm_free(&t);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double percentile(const double *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0;
	i = (size_t)(p * (double)n + 0.999999);
	return v[(i ? i : 1) - 1];
}

static int summarize(struct worker *w, unsigned int n,
		     const struct load_opts *o, struct load_result *r)
{
	size_t total = 0, k = 0;
	unsigned int i;
	double *all;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < n; i++) {
		total += w[i].nlat;
		r->ok += w[i].ok;
		r->failed += w[i].failed;
		if (!r->first_error[0] && w[i].err[0])
			snprintf(r->first_error, sizeof(r->first_error), "%s",
				 w[i].err);
	}
	all = malloc((total ? total : 1) * sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (w[i].nlat)
			memcpy(all + k, w[i].lat, w[i].nlat * sizeof(*all));
		k += w[i].nlat;
	}
	qsort(all, total, sizeof(*all), cmp_double);
	r->seconds = o->duration;
	r->per_s = (double)r->ok / o->duration;
	r->p50_ms = percentile(all, total, 0.50);
	r->p99_ms = percentile(all, total, 0.99);
	r->max_ms = total ? all[total - 1] : 0;
	free(all);
	return 0;
}

int load_run(const struct load_opts *o, const struct bench_log *log,
	     struct load_result *r)
{
	unsigned int i, n = o->clients;
	struct worker *w = calloc(n, sizeof(*w));
	pthread_t *tid = calloc(n, sizeof(*tid));
	pthread_barrier_t ready;
	double start = 0;
	int ret = 0;

	if (!w || !tid || pthread_barrier_init(&ready, NULL, n + 1)) {
		free(w);
		free(tid);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		w[i] = (struct worker){ .o = o, .log = log, .idx = i,
					.ready = &ready, .start = &start };
		if (pthread_create(&tid[i], NULL, worker_main, &w[i]))
			abort();	/* the barrier would wait forever */
	}
	pthread_barrier_wait(&ready);
	start = now_s();
	pthread_barrier_wait(&ready);
	for (i = 0; i < n; i++) {
		pthread_join(tid[i], NULL);
		if (w[i].setup_err && !ret) {
			fprintf(stderr, "loadgen: client %u: setup: %s\n", i,
				strerror(-w[i].setup_err));
			ret = w[i].setup_err;
		}
	}
	if (!ret)
		ret = summarize(w, n, o, r);
	for (i = 0; i < n; i++)
		free(w[i].lat);
	pthread_barrier_destroy(&ready);
	free(w);
	free(tid);
	return ret;
}
