// SPDX-License-Identifier: GPL-2.0
/*
 * appraise.c - the appraisal pipeline: the reason codes, the two ordered
 * tables of named checks, and the loop that runs a table until the first
 * check fails.
 *
 * The order is part of the contract: cheap checks on the device's state
 * come before the nonce is taken (an unknown or revoked device does not
 * burn a challenge), the nonce is taken before anything expensive (a
 * replay costs no signature verification), and the quote is verified
 * before anything it vouches for (the log, the PCR values) is believed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hrot/eventlog.h>
#include <hrot/hex.h>

#include "appraise_checks.h"

static const char *const reason_codes[APPRAISE_NR_REASONS] = {
	[APPRAISE_PASS] = "pass",
	[APPRAISE_DEVICE_UNKNOWN] = "device_unknown",
	[APPRAISE_DEVICE_PENDING] = "device_pending",
	[APPRAISE_DEVICE_REVOKED] = "device_revoked",
	[APPRAISE_NONCE_UNKNOWN] = "nonce_unknown",
	[APPRAISE_NONCE_EXPIRED] = "nonce_expired",
	[APPRAISE_NONCE_WRONG_DEVICE] = "nonce_wrong_device",
	[APPRAISE_METADATA_INVALID] = "metadata_invalid",
	[APPRAISE_QUOTE_MALFORMED] = "quote_malformed",
	[APPRAISE_QUOTE_SIGNATURE] = "quote_signature",
	[APPRAISE_QUOTE_NOT_TPM] = "quote_not_tpm",
	[APPRAISE_QUALIFYING_DATA] = "qualifying_data",
	[APPRAISE_PCR_SELECTION] = "pcr_selection",
	[APPRAISE_PCR_DIGEST] = "pcr_digest",
	[APPRAISE_LOG_MALFORMED] = "log_malformed",
	[APPRAISE_LOG_REPLAY] = "log_replay",
	[APPRAISE_POLICY_MISSING] = "policy_missing",
	[APPRAISE_POLICY_UNKNOWN_DIGEST] = "policy_unknown_digest",
	[APPRAISE_FINGERPRINT_MISMATCH] = "fingerprint_mismatch",
	[APPRAISE_PHYSICAL_TOKEN] = "physical_token",
	[APPRAISE_COUNTERS_BACKWARDS] = "counters_backwards",
	[APPRAISE_ROLLBACK] = "rollback",
	[APPRAISE_COMPONENT_NOT_ALLOWED] = "component_not_allowed",
	[APPRAISE_INTERNAL] = "internal",
};

const char *appraise_reason_code(enum appraise_reason r)
{
	if ((unsigned int)r >= APPRAISE_NR_REASONS || !reason_codes[r])
		return "internal";
	return reason_codes[r];
}

/* POST /v1/attest */
static const struct appraise_check attest_checks[] = {
	{ "device_registered", appraise_check_registered },
	{ "device_not_revoked", appraise_check_not_revoked },
	{ "device_enrolled", appraise_check_enrolled },
	{ "nonce", appraise_check_nonce },
	{ "metadata", appraise_check_metadata },
	{ "quote", appraise_check_quote },
	{ "hrot_pcr_quoted", appraise_check_hrot_pcr },
	{ "event_log", appraise_check_event_log },
	{ "firmware_log", appraise_check_firmware_log },
	{ "policy", appraise_check_policy },
	{ "rollback", appraise_check_rollback },
	{ "component", appraise_check_component },
	{ "fingerprint", appraise_check_fingerprint },
	{ "physical_token", appraise_check_physical_token },
	{ "counters", appraise_check_counters },
};

/* POST /v1/physical: the hardware only, no software appraisal. */
static const struct appraise_check physical_checks[] = {
	{ "device_registered", appraise_check_registered },
	{ "device_not_revoked", appraise_check_not_revoked },
	{ "device_enrolled", appraise_check_enrolled },
	{ "nonce", appraise_check_nonce },
	{ "quote", appraise_check_quote },
	{ "fingerprint", appraise_check_fingerprint },
	{ "counters", appraise_check_counters },
};

enum appraise_reason appraise_fail(struct appraise_run *run,
				   enum appraise_reason reason,
				   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(run->ctx->detail, sizeof(run->ctx->detail), fmt, ap);
	va_end(ap);
	return reason;
}

const char *appraise_hex(const void *buf, size_t len, char *out,
			 size_t out_size)
{
	const uint8_t *b = buf;
	size_t i;

	if (!out_size)
		return "";
	out[0] = '\0';
	for (i = 0; i < len && 2 * i + 2 < out_size; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return out;
}

const char *appraise_name(const void *name, size_t len, char *out,
			  size_t out_size)
{
	char *esc = hrot_escape_name(name, len);

	if (!esc)
		snprintf(out, out_size, "(%zu-byte name)", len);
	else
		snprintf(out, out_size, "%s", esc);
	free(esc);
	return out;
}

static void run_start(struct appraise_ctx *ctx)
{
	ctx->reason = APPRAISE_INTERNAL;
	ctx->check[0] = '\0';
	ctx->detail[0] = '\0';
	memset(&ctx->attest, 0, sizeof(ctx->attest));
	memset(ctx->qualifying, 0, sizeof(ctx->qualifying));
	appraise_ctx_release(ctx);
}

void appraise_ctx_release(struct appraise_ctx *ctx)
{
	free(ctx->seen);
	ctx->seen = NULL;
	ctx->nr_seen = 0;
}

/*
 * Run @checks in order; the first failure decides.  On a failure the
 * outputs of a pass (attest, qualifying) are cleared, so no caller can
 * issue anything from a half-appraised run.
 */
static enum appraise_reason run_checks(struct appraise_run *run,
				       const struct appraise_check *checks,
				       size_t n)
{
	struct appraise_ctx *ctx = run->ctx;
	enum appraise_reason r = APPRAISE_PASS;
	size_t i;

	for (i = 0; i < n && r == APPRAISE_PASS; i++) {
		r = checks[i].fn(run);
		if (r != APPRAISE_PASS)
			snprintf(ctx->check, sizeof(ctx->check), "%s",
				 checks[i].name);
	}
	hrot_log_free(run->log);
	run->log = NULL;
	if (r != APPRAISE_PASS) {
		if (!ctx->detail[0])
			snprintf(ctx->detail, sizeof(ctx->detail), "%s failed",
				 ctx->check);
		memset(&ctx->attest, 0, sizeof(ctx->attest));
		memset(ctx->qualifying, 0, sizeof(ctx->qualifying));
		appraise_ctx_release(ctx);
	}
	ctx->reason = r;
	return r;
}

enum appraise_reason appraise_attest(struct appraise_ctx *ctx,
				     const struct hrot_attest_req *req)
{
	struct appraise_run run = {
		.ctx = ctx,
		.device = req->device,
		.nonce = req->nonce,
		.quote = &req->quote,
		.fingerprint = &req->fingerprint,
		.attest = req,
		.binding = req->ephemeral_key,
		.binding_len = sizeof(req->ephemeral_key),
		.binding_name = "ephemeral key",
	};

	run_start(ctx);
	return run_checks(&run, attest_checks,
			  sizeof(attest_checks) / sizeof(attest_checks[0]));
}

enum appraise_reason appraise_physical(struct appraise_ctx *ctx,
				       const struct hrot_physical_req *req)
{
	struct appraise_run run = {
		.ctx = ctx,
		.device = req->device,
		.nonce = req->nonce,
		.quote = &req->quote,
		.fingerprint = &req->fingerprint,
		.binding = req->fingerprint.digest,
		.binding_len = sizeof(req->fingerprint.digest),
		.binding_name = "fingerprint digest",
	};

	run_start(ctx);
	return run_checks(&run, physical_checks,
			  sizeof(physical_checks) / sizeof(physical_checks[0]));
}
