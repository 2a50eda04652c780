// SPDX-License-Identifier: GPL-2.0
/*
 * appraise_quote.c - the quote: signed by the device's enrolled AK, made
 * by a TPM (TPM_GENERATED_VALUE, a quote), bound to this challenge and to
 * what the device presents with it (qualifying data SHA-256(nonce ||
 * ephemeral key) or SHA-256(nonce || fingerprint digest)), over exactly
 * the SHA-256 PCRs the request reports, whose values hash to its
 * pcrDigest.  libhrot's hrot_quote_verify_tpm() does the work; this maps
 * its verdict to the protocol's reasons.
 */
#include <string.h>

#include <hrot/quote.h>
#include <hrot/token.h>

#include "appraise_checks.h"

static enum appraise_reason quote_reason(enum hrot_quote_status st)
{
	switch (st) {
	case HROT_QUOTE_OK:
		return APPRAISE_PASS;
	case HROT_QUOTE_MALFORMED:
		return APPRAISE_QUOTE_MALFORMED;
	case HROT_QUOTE_BAD_KEY:
	case HROT_QUOTE_BAD_SIGNATURE:
		return APPRAISE_QUOTE_SIGNATURE;
	case HROT_QUOTE_BAD_MAGIC:
	case HROT_QUOTE_BAD_TYPE:
		return APPRAISE_QUOTE_NOT_TPM;
	case HROT_QUOTE_NONCE_MISMATCH:
		return APPRAISE_QUALIFYING_DATA;
	case HROT_QUOTE_PCR_SELECTION_MISMATCH:
		return APPRAISE_PCR_SELECTION;
	case HROT_QUOTE_PCR_DIGEST_MISMATCH:
		return APPRAISE_PCR_DIGEST;
	case HROT_QUOTE_ERROR:
	default:
		return APPRAISE_INTERNAL;
	}
}

/* The reported values, ascending PCR index: what pcrDigest hashes. */
static size_t reported_values(const struct hrot_wire_quote *q,
			      uint8_t out[HROT_PCR_COUNT][HROT_SHA256_SIZE])
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < HROT_PCR_COUNT; i++)
		if (q->pcr_mask & (1u << i))
			memcpy(out[n++], q->pcrs[i], HROT_SHA256_SIZE);
	return n;
}

static enum appraise_reason verify(struct appraise_run *run,
				   const struct hrot_tpm_public *ak)
{
	const struct hrot_wire_quote *q = run->quote;
	uint8_t values[HROT_PCR_COUNT][HROT_SHA256_SIZE];
	struct hrot_pcr_selection sel = { .count = 1 };
	struct hrot_quote_result res;
	enum appraise_reason r;
	size_t n;

	sel.banks[0].hash = HROT_ALG_SHA256;
	sel.banks[0].size_of_select = 3;
	sel.banks[0].mask = q->pcr_mask;
	n = reported_values(q, values);
	hrot_quote_verify_tpm(ak, q->attest, q->attest_len, q->signature,
			      q->signature_len, run->ctx->qualifying,
			      HROT_SHA256_SIZE, &sel, values,
			      n * HROT_SHA256_SIZE, &res);
	r = quote_reason(res.status);
	if (r == APPRAISE_QUALIFYING_DATA)
		return appraise_fail(run, r,
				     "quote extraData is not SHA-256(nonce || %s): %s",
				     run->binding_name, res.msg);
	if (r != APPRAISE_PASS)
		return appraise_fail(run, r, "quote: %s: %s",
				     hrot_quote_status_name(res.status),
				     res.msg);
	run->ctx->attest = res.attest;
	return APPRAISE_PASS;
}

enum appraise_reason appraise_check_quote(struct appraise_run *run)
{
	struct appraise_ctx *ctx = run->ctx;
	const struct hrot_wire_quote *q = run->quote;
	struct hrot_tpm_diag diag = { 0 };
	struct hrot_tpm_public ak;

	if (!q->attest || !q->signature || !q->attest_len || !q->signature_len)
		return appraise_fail(run, APPRAISE_QUOTE_MALFORMED,
				     "quote: attest or signature missing");
	if (!q->pcr_mask || (q->pcr_mask >> HROT_PCR_COUNT))
		return appraise_fail(run, APPRAISE_PCR_SELECTION,
				     "quote: reported PCR mask 0x%x is not a selection of PCRs 0..%d",
				     q->pcr_mask, HROT_PCR_COUNT - 1);
	/* the store holds only AKs registration accepted: failing is ours */
	if (hrot_tpm2b_public_unmarshal(ctx->dev->ak_public,
					ctx->dev->ak_public_len, &ak, &diag))
		return appraise_fail(run, APPRAISE_INTERNAL,
				     "stored AK does not parse: %s", diag.msg);
	if (hrot_qualifying_data(run->nonce, HROT_NONCE_SIZE, run->binding,
				 run->binding_len, ctx->qualifying))
		return appraise_fail(run, APPRAISE_INTERNAL,
				     "cannot compute the qualifying data");
	return verify(run, &ak);
}

/* The module's PCR must be among those the quote vouches for. */
enum appraise_reason appraise_check_hrot_pcr(struct appraise_run *run)
{
	unsigned int pcr = run->ctx->hrot_pcr;

	if (pcr >= HROT_PCR_COUNT || !(run->quote->pcr_mask & (1u << pcr)))
		return appraise_fail(run, APPRAISE_PCR_SELECTION,
				     "quote does not include PCR %u (the hrot PCR); selection mask 0x%06x",
				     pcr, run->quote->pcr_mask);
	return APPRAISE_PASS;
}
