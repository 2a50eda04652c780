/* SPDX-License-Identifier: GPL-2.0 */
/*
 * appraise_checks.h - private to the appraisal pipeline: the state one run
 * of the pipeline carries from check to check, and the checks themselves
 * (appraise_*.c, one concern per file).  appraise.c orders them.
 */
#ifndef HROT_VERIFIER_APPRAISE_CHECKS_H
#define HROT_VERIFIER_APPRAISE_CHECKS_H

#include <stddef.h>
#include <stdint.h>

#include <hrot/eventlog.h>

#include "appraise.h"

/*
 * One run: the request's fields both endpoints share, what the quote is
 * bound to, and what earlier checks produced for later ones.
 */
struct appraise_run {
	struct appraise_ctx *ctx;
	const uint8_t *device;			/* the request's device id */
	const uint8_t *nonce;			/* HROT_NONCE_SIZE bytes */
	const struct hrot_wire_quote *quote;
	const struct hrot_fingerprint *fingerprint;
	const struct hrot_attest_req *attest;	/* NULL for /v1/physical */
	const uint8_t *binding;		/* ephemeral key, fingerprint digest */
	size_t binding_len;
	const char *binding_name;	/* for the detail: "ephemeral key" */
	struct hrot_log *log;		/* parsed hrot log, owned by the run */
};

typedef enum appraise_reason (*appraise_check_fn)(struct appraise_run *run);

struct appraise_check {
	const char *name;
	appraise_check_fn fn;
};

/* Record why the run fails and return @reason; printf-style detail. */
enum appraise_reason appraise_fail(struct appraise_run *run,
				   enum appraise_reason reason,
				   const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Lower-case hex of @len bytes into @out (NUL-terminated, truncated). */
const char *appraise_hex(const void *buf, size_t len, char *out,
			 size_t out_size);

/* A name from the log, printable and cut to fit @out. */
const char *appraise_name(const void *name, size_t len, char *out,
			  size_t out_size);

/* appraise_device.c */
enum appraise_reason appraise_check_registered(struct appraise_run *run);
enum appraise_reason appraise_check_not_revoked(struct appraise_run *run);
enum appraise_reason appraise_check_enrolled(struct appraise_run *run);
enum appraise_reason appraise_check_nonce(struct appraise_run *run);

/* appraise_metadata.c */
enum appraise_reason appraise_check_metadata(struct appraise_run *run);

/* appraise_quote.c */
enum appraise_reason appraise_check_quote(struct appraise_run *run);
enum appraise_reason appraise_check_hrot_pcr(struct appraise_run *run);

/* appraise_log.c */
enum appraise_reason appraise_check_event_log(struct appraise_run *run);
enum appraise_reason appraise_check_firmware_log(struct appraise_run *run);

/* appraise_policy.c */
enum appraise_reason appraise_check_policy(struct appraise_run *run);

/* appraise_rollback.c */
enum appraise_reason appraise_check_rollback(struct appraise_run *run);

/* appraise_component.c */
enum appraise_reason appraise_check_component(struct appraise_run *run);

/* appraise_fingerprint.c */
enum appraise_reason appraise_check_fingerprint(struct appraise_run *run);

/* appraise_physical.c */
enum appraise_reason appraise_check_physical_token(struct appraise_run *run);

/* appraise_counters.c */
enum appraise_reason appraise_check_counters(struct appraise_run *run);

#endif /* HROT_VERIFIER_APPRAISE_CHECKS_H */
