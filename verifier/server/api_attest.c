// SPDX-License-Identifier: GPL-2.0
/*
 * api_attest.c - POST /v1/physical and POST /v1/attest.
 *
 * The worker decodes the evidence and runs the appraisal pipeline against
 * its read connection.  Every verdict then goes through a commit job: a
 * refusal is audited and recorded as the device's last verdict; a pass is
 * re-checked against the freshest record (not revoked since, counters
 * still not backwards against an attestation that committed meanwhile),
 * then recorded with its token.  Only after the commit does the worker
 * answer, so no token leaves before it is durable and revocable.  A
 * runtime attestation (purpose "runtime", hrot-agent) is appraised the
 * same way and answered with its token alone: the volume secret is
 * released only to a boot that unlocks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include <hrot/evidence.h>
#include <hrot/token.h>

#include "api.h"
#include "appraise.h"
#include "log.h"
#include "metrics.h"
#include "release.h"
#include "version.h"

struct verdict_job {
	struct api_job base;
	bool physical;
	struct hrot_attest_req attest;
	struct hrot_physical_req phys;
	const uint8_t *device;		/* into attest or phys */
	bool known;			/* the device is registered */
	struct store_device dev;	/* as the worker read it */
	struct store_policy policy;
	struct store_floor *floors;	/* its rollback floors, as read */
	size_t nr_floors;
	struct appraise_ctx ctx;	/* verdict, detail, quote */
	struct hrot_token token;	/* on pass */
	uint8_t sealed[STORE_SEALED_MAX];	/* fresh, from the commit */
	size_t sealed_len;
};

static const char *reason_code(const struct verdict_job *v)
{
	return appraise_reason_code(v->ctx.reason);
}

/*
 * A running system's check (hrot-agent), also one that asks for a
 * component token (seed 002): a token, never the secret.
 */
static bool runtime(const struct verdict_job *v)
{
	return !v->physical && v->attest.purpose != HROT_ATTEST_UNLOCK;
}

static bool component(const struct verdict_job *v)
{
	return !v->physical && v->attest.purpose == HROT_ATTEST_COMPONENT;
}

/* The audit's action: what was asked for. */
static const char *action(const struct verdict_job *v)
{
	if (v->physical)
		return "physical";
	if (component(v))
		return "component";
	return runtime(v) ? "runtime" : "attest";
}

/* The floors now, against what the log showed: a pass raced ahead. */
static bool floors_still_ok(struct store_tx *tx, struct verdict_job *v,
			    int *err)
{
	struct store_floor *floors = NULL;
	size_t n = 0;
	bool ok;

	*err = v->ctx.nr_seen ?
	       store_tx_floors_get(tx, v->device, v->policy.name, &floors, &n) :
	       0;
	if (*err)
		return false;
	ok = appraise_floors_ok(v->ctx.seen, v->ctx.nr_seen, floors, n,
				v->ctx.detail, sizeof(v->ctx.detail));
	if (!ok) {
		v->ctx.reason = APPRAISE_ROLLBACK;
		snprintf(v->ctx.check, sizeof(v->ctx.check), "rollback");
	}
	free(floors);
	return ok;
}

/* Is @seen[i] its component's oldest (first of equals) in @seen? */
static bool oldest_of(const struct store_floor *seen, size_t n, size_t i)
{
	size_t j;

	for (j = 0; j < n; j++) {
		int c;

		if (j == i || strcmp(seen[j].component, seen[i].component) != 0)
			continue;
		c = version_cmp(seen[j].version, seen[i].version);
		if (c < 0 || (c == 0 && j < i))
			return false;
	}
	return true;
}

static bool above_floor(const struct store_floor *s,
			const struct store_floor *floors, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (!strcmp(floors[j].component, s->component))
			return version_cmp(s->version, floors[j].version) > 0;
	return true;
}

/*
 * A pass raises each component's floor to the oldest version this pass
 * showed of it: a boot that loaded both the old and the new one (an
 * update in place, measured again) must stay passable.
 */
static int raise_floors(struct store_tx *tx, struct verdict_job *v)
{
	const struct store_floor *seen = v->ctx.seen;
	struct store_floor *floors = NULL, f;
	size_t n = 0, i;
	int ret;

	if (!v->ctx.nr_seen)
		return 0;
	ret = store_tx_floors_get(tx, v->device, v->policy.name, &floors, &n);
	for (i = 0; !ret && i < v->ctx.nr_seen; i++) {
		if (!oldest_of(seen, v->ctx.nr_seen, i) ||
		    !above_floor(&seen[i], floors, n))
			continue;
		f = seen[i];
		snprintf(f.policy, sizeof(f.policy), "%s", v->policy.name);
		ret = store_tx_floor_set(tx, v->device, &f, v->ctx.now);
	}
	free(floors);
	return ret;
}

/* Commit-time checks against the latest record; false sets the verdict. */
static bool still_passes(struct verdict_job *v, const struct store_device *d)
{
	if (d->state != STORE_DEV_ENROLLED) {
		v->ctx.reason = d->state == STORE_DEV_REVOKED ?
			APPRAISE_DEVICE_REVOKED : APPRAISE_DEVICE_PENDING;
		snprintf(v->ctx.detail, sizeof(v->ctx.detail),
			 "device is %s", store_device_state_name(d->state));
		return false;
	}
	if (!appraise_counters_ok(d, &v->ctx.attest, v->ctx.detail,
				  sizeof(v->ctx.detail))) {
		v->ctx.reason = APPRAISE_COUNTERS_BACKWARDS;
		return false;
	}
	/*
	 * The secret released is the commit's; the appraisal used the record
	 * the worker read.  A policy bound or an instance claimed in between
	 * means the appraisal was of another record: ask again (internal is
	 * retried by devices).
	 */
	if (d->policy_id != v->dev.policy_id || d->enrolled != v->dev.enrolled ||
	    memcmp(d->instance, v->dev.instance, sizeof(d->instance)) != 0 ||
	    d->created_at != v->dev.created_at) {
		v->ctx.reason = APPRAISE_INTERNAL;
		snprintf(v->ctx.detail, sizeof(v->ctx.detail),
			 "the device record changed during the appraisal; attest again");
		return false;
	}
	return true;
}

static int record_pass(struct store_tx *tx, struct verdict_job *v)
{
	const struct hrot_tpm_attest *at = &v->ctx.attest;
	char detail[128], id[2 * HROT_TOKEN_ID_SIZE + 1];
	struct store_audit a;
	int ret = store_tx_device_seen(tx, v->device, v->ctx.now, true, "", true,
				   at->reset_count, at->restart_count,
				   at->clock);
	if (!ret)
		ret = store_tx_token_insert(tx, &v->token);
	if (ret)
		return ret;
	api_hex(v->token.token_id, sizeof(v->token.token_id), id, sizeof(id));
	snprintf(detail, sizeof(detail), "%s token %s",
		 v->physical ? "physical" : component(v) ? "component" :
		 runtime(v) ? "runtime" : "release", id);
	if (component(v)) {
		size_t len = strlen(detail);

		/* what the token lets have keys */
		snprintf(detail + len, sizeof(detail) - len, " for ");
		len = strlen(detail);
		api_hex(v->attest.component, sizeof(v->attest.component),
			detail + len, sizeof(detail) - len);
	}
	api_audit_init(&a, v->device, action(v), true, NULL, detail);
	return store_tx_audit(tx, &a);
}

static int record_fail(struct store_tx *tx, struct verdict_job *v)
{
	struct store_audit a;

	if (v->known) {
		int ret = store_tx_device_seen(tx, v->device, v->ctx.now, false,
					   reason_code(v), false, 0, 0, 0);
		if (ret && ret != -ENOENT)
			return ret;
	}
	/* an unknown device's id is not recorded as a device reference */
	api_audit_init(&a, v->known ? v->device : NULL, action(v), false,
		       reason_code(v), v->ctx.detail);
	return store_tx_audit(tx, &a);
}

static int verdict_run(struct store_tx *tx, struct api_job *j)
{
	struct verdict_job *v = (struct verdict_job *)j;
	struct store_device fresh;
	int ret;

	if (v->ctx.reason != APPRAISE_PASS)
		return record_fail(tx, v);
	memset(&fresh, 0, sizeof(fresh));
	ret = store_tx_device_get(tx, v->device, &fresh);
	if (ret)
		return ret;
	if (still_passes(v, &fresh) && floors_still_ok(tx, v, &ret)) {
		if (!runtime(v)) {
			memcpy(v->sealed, fresh.sealed_secret,
			       fresh.sealed_secret_len);
			v->sealed_len = fresh.sealed_secret_len;
		}
		ret = record_pass(tx, v);
		if (!ret)
			ret = raise_floors(tx, v);
	} else if (!ret) {
		ret = record_fail(tx, v);
	}
	store_device_free(&fresh);
	return ret;
}

static void reply_fail(struct http_request *r, struct verdict_job *v)
{
	char hex[API_DEVICE_HEX_SIZE];

	api_hex(v->device, HROT_DEVICE_NAME_SIZE, hex, sizeof(hex));
	log_warn("%s refused: device %s: %s (%s: %s)",
		 v->physical ? "physical attestation" :
		 component(v) ? "component attestation" :
		 runtime(v) ? "runtime attestation" : "attestation", hex,
		 reason_code(v), v->ctx.check, v->ctx.detail);
	if (v->ctx.reason == APPRAISE_INTERNAL) {
		http_reply_error(r, 500, "internal", "%s", v->ctx.detail);
		return;
	}
	http_reply_json(r, 403, api_error_object(reason_code(v), v->ctx.detail,
						 true));
}

static void reply_physical(struct http_request *r, struct verdict_job *v)
{
	struct json_object *o = json_object_new_object();

	if (o && api_add_b64(o, "token", &v->token, sizeof(v->token))) {
		http_reply_json(r, 200, o);
		return;
	}
	json_object_put(o);
	http_reply_error(r, 500, "internal", "out of memory");
}

/* A runtime pass: the verdict and its token, nothing sealed. */
static void reply_runtime(struct http_request *r, struct verdict_job *v)
{
	struct json_object *o = json_object_new_object();

	if (o && api_add_string(o, "verdict", "pass") &&
	    api_add_b64(o, "token", &v->token, sizeof(v->token)) &&
	    api_add_int(o, "expires_at",
			(int64_t)le64toh(v->token.expires_at))) {
		http_reply_json(r, 200, o);
		return;
	}
	json_object_put(o);
	http_reply_error(r, 500, "internal", "out of memory");
}

static void reply_release(struct http_request *r, struct verdict_job *v)
{
	struct verifierd *app = api_app(r);
	struct json_object *o = NULL;
	uint8_t *blob = NULL;
	size_t blob_len = 0;
	int ret;

	ret = release_seal_secret(app->vault, v->device, v->sealed,
				  v->sealed_len, v->attest.ephemeral_key,
				  v->ctx.qualifying, &v->token, &blob,
				  &blob_len);
	if (!ret)
		o = json_object_new_object();
	if (o && api_add_string(o, "verdict", "pass") &&
	    api_add_b64(o, "token", &v->token, sizeof(v->token)) &&
	    api_add_b64(o, "secret", blob, blob_len) &&
	    api_add_int(o, "expires_at",
			(int64_t)le64toh(v->token.expires_at))) {
		http_reply_json(r, 200, o);
		o = NULL;
	} else {
		log_err("cannot seal the volume secret: %s",
			ret ? strerror(-ret) : "out of memory");
		http_reply_error(r, 500, "internal", "cannot seal the secret");
	}
	json_object_put(o);
	free(blob);
}

static void verdict_reply(struct http_request *r, struct api_job *j)
{
	struct verdict_job *v = (struct verdict_job *)j;

	if (j->result) {
		log_err("verdict not recorded: %s", strerror(-j->result));
		http_reply_error(r, 500, "internal", "store write failed");
		return;
	}
	metrics_attestation(v->ctx.reason);
	if (v->ctx.reason != APPRAISE_PASS)
		reply_fail(r, v);
	else if (v->physical)
		reply_physical(r, v);
	else if (runtime(v))
		reply_runtime(r, v);
	else
		reply_release(r, v);
}

static void verdict_release(struct api_job *j)
{
	struct verdict_job *v = (struct verdict_job *)j;

	hrot_attest_req_free(&v->attest);
	hrot_physical_req_free(&v->phys);
	store_device_free(&v->dev);
	store_policy_free(&v->policy);
	free(v->floors);
	appraise_ctx_release(&v->ctx);
	OPENSSL_cleanse(v->sealed, sizeof(v->sealed));
	free(v);
}

static int token_revoked(void *arg, const uint8_t *token_id)
{
	return store_token_revoked(arg, token_id);
}

/* Device record and policy as this worker sees them: 0 or -EIO. */
static int load_state(struct http_request *r, struct verdict_job *v)
{
	int ret = store_device_get(api_reader(r), v->device, &v->dev);

	if (ret == -ENOENT)
		return 0;
	if (ret)
		return ret;
	v->known = true;
	if (!v->dev.policy_id)
		return 0;
	ret = store_policy_get(api_reader(r), v->dev.policy_id, &v->policy);
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return ret;
	return store_floors_get(api_reader(r), v->device, v->policy.name,
				&v->floors, &v->nr_floors);
}

static void appraise(struct http_request *r, struct verdict_job *v)
{
	struct verifierd *app = api_app(r);
	struct appraise_ctx *ctx = &v->ctx;

	ctx->dev = v->known ? &v->dev : NULL;
	ctx->policy = v->policy.id ? &v->policy : NULL;
	ctx->nonces = app->nonces;
	ctx->signer = app->pki->token_key;
	ctx->token_revoked = token_revoked;
	ctx->token_revoked_arg = api_reader(r);
	ctx->hrot_pcr = app->cfg->hrot_pcr;
	ctx->now = api_now();
	ctx->floors = v->floors;
	ctx->nr_floors = v->nr_floors;
	if (v->physical)
		appraise_physical(ctx, &v->phys);
	else
		appraise_attest(ctx, &v->attest);
}

/* After a pass: the token to record and, after the commit, to send. */
static int make_token(struct http_request *r, struct verdict_job *v)
{
	const struct config *cfg = api_app(r)->cfg;
	const struct release_claims c = {
		.kind = v->physical ? HROT_TOKEN_KIND_PHYSICAL :
			component(v) ? HROT_TOKEN_KIND_COMPONENT :
			runtime(v) ? HROT_TOKEN_KIND_RUNTIME :
				     HROT_TOKEN_KIND_RELEASE,
		.component = component(v) ? v->attest.component : NULL,
		.device = v->device,
		.instance = v->dev.enrolled ? v->dev.instance : NULL,
		.nonce = v->physical ? v->phys.nonce : v->attest.nonce,
		.qualifying = v->ctx.qualifying,
		.policy_id = v->physical ? 0 : (uint32_t)v->policy.id,
		.now = v->ctx.now,
		.lifetime = v->physical ? cfg->physical_lifetime
					: cfg->token_lifetime,
	};

	return release_token(&v->token, &c, api_app(r)->pki->token_key);
}

static int decode(struct http_request *r, struct verdict_job *v)
{
	char err[HROT_EVIDENCE_ERR_SIZE];
	int ret;

	if (v->physical)
		ret = hrot_physical_req_from_json(r->body, r->body_len,
						  &v->phys, err, sizeof(err));
	else
		ret = hrot_attest_req_from_json(r->body, r->body_len,
						&v->attest, err, sizeof(err));
	if (ret == -ENOMEM) {
		http_reply_error(r, 500, "internal", "out of memory");
		return -1;
	}
	if (ret) {
		http_reply_error(r, 400, "bad_request", "%s", err);
		return -1;
	}
	v->device = v->physical ? v->phys.device : v->attest.device;
	return 0;
}

static void handle(struct http_request *r, bool physical)
{
	struct verdict_job *v = calloc(1, sizeof(*v));

	if (!v) {
		http_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	v->physical = physical;
	v->base.run = verdict_run;
	v->base.reply = verdict_reply;
	v->base.release = verdict_release;
	if (decode(r, v))
		goto drop;
	if (load_state(r, v)) {
		http_reply_error(r, 500, "internal", "store read failed");
		goto drop;
	}
	appraise(r, v);
	if (v->ctx.reason == APPRAISE_PASS && make_token(r, v)) {
		v->ctx.reason = APPRAISE_INTERNAL;
		snprintf(v->ctx.detail, sizeof(v->ctx.detail),
			 "cannot sign the token");
	}
	api_submit(r, &v->base);
	return;
drop:
	verdict_release(&v->base);
}

void api_physical(struct http_request *r)
{
	handle(r, true);
}

void api_attest(struct http_request *r)
{
	handle(r, false);
}
