/* SPDX-License-Identifier: GPL-2.0 */
/*
 * appraise.h - the appraisal pipeline: evidence in, a verdict with one
 * reason code out.
 *
 * The pipeline is an ordered table of small named checks (appraise.c); the
 * first that fails decides the reason, which goes back to the device and
 * into the audit log.  The checks are pure: they read the request, the
 * device record, its policy and the nonce table, and write nothing to the
 * store.  What must be re-checked against the latest state at commit time
 * (counters, revocation) is re-checked by the caller's commit job with
 * appraise_counters_ok().
 */
#ifndef HROT_VERIFIER_APPRAISE_H
#define HROT_VERIFIER_APPRAISE_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/evp.h>

#include <hrot/evidence.h>
#include <hrot/tpm.h>

#include "nonce.h"
#include "store.h"

/* Reason codes of Documentation/protocol.md, as enum and as string. */
enum appraise_reason {
	APPRAISE_PASS = 0,
	APPRAISE_DEVICE_UNKNOWN,
	APPRAISE_DEVICE_PENDING,
	APPRAISE_DEVICE_REVOKED,
	APPRAISE_NONCE_UNKNOWN,
	APPRAISE_NONCE_EXPIRED,
	APPRAISE_NONCE_WRONG_DEVICE,
	APPRAISE_METADATA_INVALID,
	APPRAISE_QUOTE_MALFORMED,
	APPRAISE_QUOTE_SIGNATURE,
	APPRAISE_QUOTE_NOT_TPM,
	APPRAISE_QUALIFYING_DATA,
	APPRAISE_PCR_SELECTION,
	APPRAISE_PCR_DIGEST,
	APPRAISE_LOG_MALFORMED,
	APPRAISE_LOG_REPLAY,
	APPRAISE_POLICY_MISSING,
	APPRAISE_POLICY_UNKNOWN_DIGEST,
	APPRAISE_FINGERPRINT_MISMATCH,
	APPRAISE_PHYSICAL_TOKEN,
	APPRAISE_COUNTERS_BACKWARDS,
	APPRAISE_ROLLBACK,
	APPRAISE_COMPONENT_NOT_ALLOWED,
	APPRAISE_INTERNAL,
	APPRAISE_NR_REASONS,
};

/* "nonce_unknown", ... (protocol.md); "pass" for APPRAISE_PASS. */
const char *appraise_reason_code(enum appraise_reason r);

/* Callback: is this token id revoked? 1 yes, 0 no, < 0 error. */
typedef int (*appraise_revoked_fn)(void *arg, const uint8_t *token_id);

struct appraise_ctx {
	/* inputs */
	const struct store_device *dev;		/* NULL: not registered */
	const struct store_policy *policy;	/* NULL: bound to none */
	struct nonce_table *nonces;
	EVP_PKEY *signer;		/* verifier's token key: metadata, PAT */
	appraise_revoked_fn token_revoked;
	void *token_revoked_arg;
	unsigned int hrot_pcr;		/* the module's PCR (13) */
	int64_t now;
	/* the device's rollback floors under its policy's name */
	const struct store_floor *floors;
	size_t nr_floors;
	/* outputs */
	enum appraise_reason reason;
	char check[32];			/* name of the check that decided */
	char detail[256];		/* what exactly was wrong */
	struct hrot_tpm_attest attest;	/* the parsed quote, on pass */
	uint8_t qualifying[HROT_SHA256_SIZE];
	/*
	 * On pass: the versioned components the log showed (component,
	 * version, digest, once per distinct triple; policy left empty), for
	 * the commit to raise the floors; owned, appraise_ctx_release().
	 */
	struct store_floor *seen;
	size_t nr_seen;
};

/* What a run left in @ctx that it owns. */
void appraise_ctx_release(struct appraise_ctx *ctx);

/* POST /v1/attest: the verdict (also in ctx->reason). */
enum appraise_reason appraise_attest(struct appraise_ctx *ctx,
				     const struct hrot_attest_req *req);
/* POST /v1/physical (seed 003): device state, nonce, quote, fingerprint. */
enum appraise_reason appraise_physical(struct appraise_ctx *ctx,
				       const struct hrot_physical_req *req);

/*
 * The counter rule, also used at commit time against the freshest record:
 * true when @at does not go backwards from what @dev last accepted
 * (resetCount never decreases; within one reset, restartCount never
 * decreases; within one reset and restart, clock never decreases).
 */
bool appraise_counters_ok(const struct store_device *dev,
			  const struct hrot_tpm_attest *at, char *detail,
			  size_t detail_size);

/*
 * The rollback rule (seed 004), also used at commit time against the
 * freshest floors: true when no component @seen is older than the floor
 * @floors (of the device's policy name) hold for it (version_cmp()),
 * unless it is the floor's very digest.
 */
bool appraise_floors_ok(const struct store_floor *seen, size_t nr_seen,
			const struct store_floor *floors, size_t nr_floors,
			char *detail, size_t detail_size);

#endif /* HROT_VERIFIER_APPRAISE_H */
