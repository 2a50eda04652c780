// SPDX-License-Identifier: GPL-2.0
/*
 * appraise_counters.c - the TPM's resetCount, restartCount and clock do
 * not go backwards against the last accepted quote.  A quote that does
 * is older than one already accepted (a replay of old evidence), or its
 * TPM was rolled back (a restored swtpm state).
 */
#include <inttypes.h>
#include <stdio.h>

#include "appraise_checks.h"

bool appraise_counters_ok(const struct store_device *dev,
			  const struct hrot_tpm_attest *at, char *detail,
			  size_t detail_size)
{
	if (!dev->has_counters)
		return true;
	if (at->reset_count < dev->reset_count) {
		snprintf(detail, detail_size,
			 "resetCount %" PRIu32 " < %" PRIu32 " of the last accepted quote",
			 at->reset_count, dev->reset_count);
		return false;
	}
	if (at->reset_count > dev->reset_count)
		return true;
	if (at->restart_count < dev->restart_count) {
		snprintf(detail, detail_size,
			 "restartCount %" PRIu32 " < %" PRIu32 " of the last accepted quote (same resetCount %" PRIu32 ")",
			 at->restart_count, dev->restart_count,
			 at->reset_count);
		return false;
	}
	if (at->restart_count > dev->restart_count)
		return true;
	if (at->clock < dev->clock) {
		snprintf(detail, detail_size,
			 "clock %" PRIu64 " < %" PRIu64 " of the last accepted quote (same resetCount and restartCount)",
			 at->clock, dev->clock);
		return false;
	}
	return true;
}

enum appraise_reason appraise_check_counters(struct appraise_run *run)
{
	struct appraise_ctx *ctx = run->ctx;

	if (!appraise_counters_ok(ctx->dev, &ctx->attest, ctx->detail,
				  sizeof(ctx->detail)))
		return APPRAISE_COUNTERS_BACKWARDS;
	return APPRAISE_PASS;
}
