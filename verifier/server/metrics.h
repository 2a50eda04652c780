/* SPDX-License-Identifier: GPL-2.0 */
/*
 * metrics.h - counters and the request latency histogram, rendered in the
 * Prometheus text format for GET /metrics.  Updates are relaxed atomic
 * increments: cheap on every request, consistent enough for monitoring.
 */
#ifndef HROT_VERIFIER_METRICS_H
#define HROT_VERIFIER_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "appraise.h"

struct committer;
struct nonce_table;
struct evbuffer;

/* An appraisal verdict (attest or physical). */
void metrics_attestation(enum appraise_reason reason);
/* Latency of one request, from its arrival to its reply. */
void metrics_request_duration(double seconds);

/* The exposition text; @c and @n may be NULL. 0 or -ENOMEM. */
int metrics_render(struct evbuffer *out, struct committer *c,
		   struct nonce_table *n);

#endif /* HROT_VERIFIER_METRICS_H */
