// SPDX-License-Identifier: GPL-2.0
/*
 * appraise_physical.c - the physical attestation token (seed 003) a
 * release requires when the device's policy says so: a token of kind
 * PHYSICAL, signed by this verifier, for this device, unexpired and not
 * revoked.  It proves a recent /v1/physical of this hardware.
 */
#include <string.h>

#include <hrot/token.h>

#include "appraise_checks.h"

static enum appraise_reason token_revoked(struct appraise_run *run,
					  const struct hrot_token *t)
{
	struct appraise_ctx *ctx = run->ctx;
	int ret;

	if (!ctx->token_revoked)
		return APPRAISE_PASS;
	ret = ctx->token_revoked(ctx->token_revoked_arg, t->token_id);
	if (ret < 0)
		return appraise_fail(run, APPRAISE_INTERNAL,
				     "physical token: cannot read revocations");
	if (ret > 0) {
		char h[2 * HROT_TOKEN_ID_SIZE + 1];

		return appraise_fail(run, APPRAISE_PHYSICAL_TOKEN,
				     "physical token %s is revoked",
				     appraise_hex(t->token_id, HROT_TOKEN_ID_SIZE,
						  h, sizeof(h)));
	}
	return APPRAISE_PASS;
}

enum appraise_reason appraise_check_physical_token(struct appraise_run *run)
{
	const struct hrot_attest_req *req = run->attest;
	struct appraise_ctx *ctx = run->ctx;
	struct hrot_token t;
	char err[160] = "";
	int st;

	if (!ctx->policy || !ctx->policy->require_physical)
		return APPRAISE_PASS;
	if (!req->has_physical_token)
		return appraise_fail(run, APPRAISE_PHYSICAL_TOKEN,
				     "policy '%s' requires a physical attestation token; none given",
				     ctx->policy->name);
	st = hrot_token_parse(&req->physical_token,
			      sizeof(req->physical_token), &t, err,
			      sizeof(err));
	if (st == HROT_SIGNED_OK)
		st = hrot_token_verify(&t, ctx->signer, ctx->now, err,
				       sizeof(err));
	if (st == HROT_SIGNED_INTERNAL)
		return appraise_fail(run, APPRAISE_INTERNAL,
				     "physical token: cannot verify: %s", err);
	if (st != HROT_SIGNED_OK)
		return appraise_fail(run, APPRAISE_PHYSICAL_TOKEN,
				     "physical token %s: %s",
				     hrot_signed_status_name(st), err);
	if (t.kind != HROT_TOKEN_KIND_PHYSICAL)
		return appraise_fail(run, APPRAISE_PHYSICAL_TOKEN,
				     "token of kind %u is not a physical attestation token",
				     t.kind);
	if (memcmp(t.device, ctx->dev->id, HROT_DEVICE_NAME_SIZE) != 0)
		return appraise_fail(run, APPRAISE_PHYSICAL_TOKEN,
				     "physical token is another device's");
	return token_revoked(run, &t);
}
