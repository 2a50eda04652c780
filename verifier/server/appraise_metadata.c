// SPDX-License-Identifier: GPL-2.0
/*
 * appraise_metadata.c - the signed instance metadata (seed 000): signed by
 * this verifier's token key, and naming this device and the instance the
 * verifier made for it at enrollment.  A copy from another device, or from
 * an earlier enrollment of this one, is refused.
 */
#include <endian.h>
#include <string.h>

#include <hrot/token.h>

#include "appraise_checks.h"

static enum appraise_reason metadata_names_device(struct appraise_run *run,
						  const struct hrot_metadata *m)
{
	const struct store_device *dev = run->ctx->dev;
	int64_t created = (int64_t)le64toh(m->created_at);

	if (memcmp(m->device, dev->id, HROT_DEVICE_NAME_SIZE) != 0)
		return appraise_fail(run, APPRAISE_METADATA_INVALID,
				     "metadata names another device");
	if (memcmp(m->instance, dev->instance, HROT_INSTANCE_ID_SIZE) != 0) {
		char h[2 * HROT_INSTANCE_ID_SIZE + 1];

		return appraise_fail(run, APPRAISE_METADATA_INVALID,
				     "metadata instance %s is not the device's instance",
				     appraise_hex(m->instance, HROT_INSTANCE_ID_SIZE,
						  h, sizeof(h)));
	}
	if (created != dev->created_at)
		return appraise_fail(run, APPRAISE_METADATA_INVALID,
				     "metadata created_at %lld, instance created at %lld",
				     (long long)created,
				     (long long)dev->created_at);
	return APPRAISE_PASS;
}

enum appraise_reason appraise_check_metadata(struct appraise_run *run)
{
	struct appraise_ctx *ctx = run->ctx;
	struct hrot_metadata m;
	char err[160] = "";
	int st;

	st = hrot_metadata_parse(&run->attest->metadata,
				 sizeof(run->attest->metadata), &m, err,
				 sizeof(err));
	if (st == HROT_SIGNED_OK)
		st = hrot_metadata_verify(&m, ctx->signer, ctx->now, err,
					  sizeof(err));
	if (st == HROT_SIGNED_INTERNAL)
		return appraise_fail(run, APPRAISE_INTERNAL,
				     "metadata: cannot verify: %s", err);
	if (st != HROT_SIGNED_OK)
		return appraise_fail(run, APPRAISE_METADATA_INVALID,
				     "metadata %s: %s",
				     hrot_signed_status_name(st), err);
	return metadata_names_device(run, &m);
}
