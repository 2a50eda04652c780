// SPDX-License-Identifier: GPL-2.0
/*
 * api_device.c - POST /v1/register, POST /v1/challenge,
 * GET /v1/revocations.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <hrot/evidence.h>
#include <hrot/tpm.h>
#include <hrot/tpm_key.h>

#include "api.h"
#include "appraise.h"
#include "log.h"
#include "metrics.h"
#include "nonce.h"
#include "request.h"

/* TPMA_OBJECT bits (TPM 2.0 Part 2, 8.3) */
#define TPMA_FIXED_TPM		(1u << 1)
#define TPMA_FIXED_PARENT	(1u << 4)
#define TPMA_SENSITIVE_ORIGIN	(1u << 5)
#define TPMA_RESTRICTED		(1u << 16)
#define TPMA_DECRYPT		(1u << 17)
#define TPMA_SIGN		(1u << 18)

#define AK_REQUIRED_ATTRS	(TPMA_FIXED_TPM | TPMA_FIXED_PARENT | \
				 TPMA_SENSITIVE_ORIGIN | TPMA_RESTRICTED | \
				 TPMA_SIGN)

/* ---- register ---- */

struct register_job {
	struct api_job base;
	struct store_device dev;	/* what to insert; buffers borrowed */
	struct hrot_register_req req;	/* owns them */
	char *meta_json;
	bool existed;			/* idempotent re-registration */
	enum store_device_state state;	/* of the existing record */
};

/* "ak_public: ..." when the AK is not a restricted P-256 ECDSA key */
static int check_ak(const struct hrot_tpm_public *ak, char *err, size_t size)
{
	if (ak->type != HROT_TPM_ALG_ECC || ak->curve != HROT_TPM_ECC_NIST_P256)
		snprintf(err, size, "ak_public: not an ECC P-256 key");
	else if ((ak->attributes & AK_REQUIRED_ATTRS) != AK_REQUIRED_ATTRS ||
		 (ak->attributes & TPMA_DECRYPT))
		snprintf(err, size, "ak_public: not a restricted signing key "
			 "made in the TPM (attributes 0x%08x)", ak->attributes);
	else if (ak->scheme != HROT_TPM_ALG_ECDSA ||
		 ak->scheme_hash != HROT_ALG_SHA256)
		snprintf(err, size, "ak_public: scheme is not ECDSA-SHA256");
	else if (ak->name_alg != HROT_ALG_SHA256)
		snprintf(err, size, "ak_public: nameAlg is not SHA-256");
	else
		return 0;
	return -1;
}

static int ek_cert_chains(X509_STORE *store, X509 *cert, char *err,
			  size_t size)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok = ctx && X509_STORE_CTX_init(ctx, store, cert, NULL) == 1 &&
		 X509_verify_cert(ctx) == 1;

	if (!ok)
		snprintf(err, size, "ek_cert: does not chain to the EK CA bundle (%s)",
			 ctx ? X509_verify_cert_error_string(
				       X509_STORE_CTX_get_error(ctx)) : "no memory");
	X509_STORE_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* The EK certificate: 0, or the reason code with @err. */
static const char *check_ek_cert(const struct verifierd *v,
				 const struct hrot_register_req *req,
				 const struct hrot_tpm_public *ek, char *err,
				 size_t size)
{
	const unsigned char *p = req->ek_cert;
	EVP_PKEY *ek_key = NULL;
	const char *reason = NULL;
	X509 *cert;

	if (!req->ek_cert) {
		if (!v->cfg->require_ek_cert)
			return NULL;
		snprintf(err, size, "ek_cert: required by this verifier");
		return "ek_cert_untrusted";
	}
	cert = d2i_X509(NULL, &p, (long)req->ek_cert_len);
	if (!cert || p != req->ek_cert + req->ek_cert_len) {
		snprintf(err, size, "ek_cert: not one DER certificate");
		reason = "bad_request";
	} else if (v->ek_store && ek_cert_chains(v->ek_store, cert, err, size)) {
		reason = "ek_cert_untrusted";
	} else if (hrot_tpm_public_to_pkey(ek, &ek_key) ||
		   EVP_PKEY_eq(ek_key, X509_get0_pubkey(cert)) != 1) {
		snprintf(err, size, "ek_cert: its key is not ek_public");
		reason = "ek_cert_mismatch";
	}
	EVP_PKEY_free(ek_key);
	X509_free(cert);
	return reason;
}

static char *metadata_json(const struct hrot_register_req *req)
{
	struct json_object *o = json_object_new_object();
	char *s = NULL;
	size_t i;

	if (!o)
		return NULL;
	for (i = 0; i < req->nr_meta; i++)
		if (!api_add_string(o, req->meta_key[i], req->meta_value[i]))
			goto out;
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
out:
	json_object_put(o);
	return s;
}

static bool same_blob(const uint8_t *a, size_t alen, const uint8_t *b,
		      size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

static bool same_registration(const struct store_device *a,
			      const struct store_device *b)
{
	return same_blob(a->ek_public, a->ek_public_len, b->ek_public,
			 b->ek_public_len) &&
	       same_blob(a->ak_public, a->ak_public_len, b->ak_public,
			 b->ak_public_len) &&
	       same_blob(a->ek_cert, a->ek_cert_len, b->ek_cert,
			 b->ek_cert_len) &&
	       !memcmp(a->fingerprint.digest, b->fingerprint.digest,
		       sizeof(a->fingerprint.digest));
}

static int register_run(struct store_tx *tx, struct api_job *j)
{
	struct register_job *rj = (struct register_job *)j;
	struct store_device old;
	struct store_audit a;
	int ret;

	memset(&old, 0, sizeof(old));
	ret = store_tx_device_get(tx, rj->dev.id, &old);
	if (ret == 0) {
		rj->existed = true;
		rj->state = old.state;
		ret = same_registration(&old, &rj->dev) ? 0 : -EEXIST;
		store_device_free(&old);
		return ret;
	}
	if (ret != -ENOENT)
		return ret;
	ret = store_tx_device_insert(tx, &rj->dev);
	if (ret)
		return ret;
	api_audit_init(&a, rj->dev.id, "register", true, NULL,
		       "registered, pending approval");
	return store_tx_audit(tx, &a);
}

static void register_reply(struct http_request *r, struct api_job *j)
{
	struct register_job *rj = (struct register_job *)j;
	char hex[API_DEVICE_HEX_SIZE];
	struct json_object *o;

	api_hex(rj->dev.id, sizeof(rj->dev.id), hex, sizeof(hex));
	if (j->result == -EEXIST) {
		http_reply_error(r, 409, "already_registered",
				 "device %s is registered with other keys or "
				 "fingerprint", hex);
		return;
	}
	if (j->result) {
		http_reply_error(r, 500, "internal", "store write failed");
		return;
	}
	o = json_object_new_object();
	if (o && api_add_string(o, "device", hex) &&
	    api_add_string(o, "state", store_device_state_name(
				   rj->existed ? rj->state : STORE_DEV_PENDING))) {
		if (!rj->existed)
			log_info("registered device %s", hex);
		http_reply_json(r, rj->existed ? 200 : 201, o);
		return;
	}
	json_object_put(o);
	http_reply_error(r, 500, "internal", "out of memory");
}

static void register_release(struct api_job *j)
{
	struct register_job *rj = (struct register_job *)j;

	hrot_register_req_free(&rj->req);
	free(rj->meta_json);
	free(rj);
}

/* Check the request, fill @rj->dev: 0, or -1 after answering. */
static int register_prepare(struct http_request *r, struct register_job *rj)
{
	struct hrot_tpm_public ak, ek;
	struct hrot_tpm_diag diag;
	const char *reason;
	char err[HROT_EVIDENCE_ERR_SIZE + 64];

	if (hrot_register_req_from_json(r->body, r->body_len, &rj->req, err,
					sizeof(err))) {
		http_reply_error(r, 400, "bad_request", "%s", err);
		return -1;
	}
	if (hrot_tpm2b_public_unmarshal(rj->req.ak_public,
					rj->req.ak_public_len, &ak, &diag)) {
		http_reply_error(r, 400, "bad_ak", "ak_public: %s", diag.msg);
		return -1;
	}
	if (check_ak(&ak, err, sizeof(err))) {
		http_reply_error(r, 400, "bad_ak", "%s", err);
		return -1;
	}
	if (hrot_tpm2b_public_unmarshal(rj->req.ek_public,
					rj->req.ek_public_len, &ek, &diag)) {
		http_reply_error(r, 400, "bad_request", "ek_public: %s",
				 diag.msg);
		return -1;
	}
	reason = check_ek_cert(api_app(r), &rj->req, &ek, err, sizeof(err));
	if (reason) {
		http_reply_error(r, 400, reason, "%s", err);
		return -1;
	}
	if (hrot_tpm_name(&ak, rj->dev.id, sizeof(rj->dev.id)) !=
	    HROT_DEVICE_NAME_SIZE) {
		http_reply_error(r, 400, "bad_ak", "ak_public: no SHA-256 name");
		return -1;
	}
	return 0;
}

void api_register(struct http_request *r)
{
	struct register_job *rj = calloc(1, sizeof(*rj));

	if (!rj) {
		http_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	rj->base.run = register_run;
	rj->base.reply = register_reply;
	rj->base.release = register_release;
	if (register_prepare(r, rj)) {
		register_release(&rj->base);
		return;
	}
	rj->meta_json = metadata_json(&rj->req);
	if (!rj->meta_json) {
		register_release(&rj->base);
		http_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	rj->dev.state = STORE_DEV_PENDING;
	rj->dev.ek_public = rj->req.ek_public;
	rj->dev.ek_public_len = rj->req.ek_public_len;
	rj->dev.ek_cert = rj->req.ek_cert;
	rj->dev.ek_cert_len = rj->req.ek_cert_len;
	rj->dev.ak_public = rj->req.ak_public;
	rj->dev.ak_public_len = rj->req.ak_public_len;
	rj->dev.fingerprint = rj->req.fingerprint;
	rj->dev.meta_json = rj->meta_json;
	rj->dev.registered_at = api_now();
	api_submit(r, &rj->base);
}

/* ---- challenge ---- */

static void challenge_reply(struct http_request *r, const uint8_t *nonce,
			    bool physical_required)
{
	struct json_object *o = json_object_new_object();

	if (o && api_add_b64(o, "nonce", nonce, HROT_NONCE_SIZE) &&
	    api_add_int(o, "expires_in", api_app(r)->cfg->nonce_lifetime) &&
	    !json_object_object_add(o, "physical_required",
				    json_object_new_boolean(physical_required))) {
		http_reply_json(r, 200, o);
		return;
	}
	json_object_put(o);
	http_reply_error(r, 500, "internal", "out of memory");
}

/*
 * A device that may not attest (unknown, pending, revoked) is refused at
 * its challenge, before any appraisal: the refusal is an attestation
 * refused all the same, so it is counted and audited like one.
 */
static void refuse_challenge(struct http_request *r,
			     const struct store_device *dev,
			     const uint8_t *id, const char *hex)
{
	enum appraise_reason reason = APPRAISE_DEVICE_UNKNOWN;
	char detail[160];
	struct store_audit a;

	if (!dev) {
		snprintf(detail, sizeof(detail), "device %s is not registered",
			 hex);
	} else if (dev->state == STORE_DEV_REVOKED) {
		reason = APPRAISE_DEVICE_REVOKED;
		snprintf(detail, sizeof(detail), "device %s is revoked", hex);
	} else {
		reason = APPRAISE_DEVICE_PENDING;
		snprintf(detail, sizeof(detail), "device %s is %s", hex,
			 store_device_state_name(dev->state));
	}
	metrics_attestation(reason);
	log_info("challenge refused: device %s: %s", hex,
		 appraise_reason_code(reason));
	/* an unknown device's id is not recorded as a device reference */
	api_audit_init(&a, dev ? id : NULL, "challenge", false,
		       appraise_reason_code(reason), detail);
	api_submit_audit(r, &a, 403,
			 api_error_object(appraise_reason_code(reason), detail,
					  false));
}

/*
 * Whether the device's policy asks for a physical attestation token: the
 * device fetches one only then, saving a quote and two requests per
 * attestation.  It is a hint, not a check: the appraisal of the attest
 * request enforces the policy as it is then.  0 or -EIO.
 */
static int physical_required(struct http_request *r,
			     const struct store_device *dev, bool *required)
{
	int ret;

	*required = false;
	if (!dev->policy_id)
		return 0;
	/* the flag alone: a challenge does not load the policy's entries */
	ret = store_policy_requires_physical(api_reader(r), dev->policy_id,
					     required);
	return ret == -ENOENT ? 0 : ret;
}

void api_challenge(struct http_request *r)
{
	uint8_t nonce[HROT_NONCE_SIZE];
	bool physical;
	char hex[API_DEVICE_HEX_SIZE];
	struct req_challenge req;
	struct store_device dev;
	struct req_error err;
	int ret;

	if (req_challenge_parse(r->body, r->body_len, &req, &err)) {
		api_reply_req_error(r, &err);
		return;
	}
	api_hex(req.device, sizeof(req.device), hex, sizeof(hex));
	memset(&dev, 0, sizeof(dev));
	ret = store_device_get(api_reader(r), req.device, &dev);
	if (ret || dev.state != STORE_DEV_ENROLLED) {
		if (ret && ret != -ENOENT)
			api_reply_device_state(r, &dev, ret, hex);
		else
			refuse_challenge(r, ret ? NULL : &dev, req.device, hex);
		store_device_free(&dev);
		return;
	}
	ret = physical_required(r, &dev, &physical);
	store_device_free(&dev);
	if (ret) {
		http_reply_error(r, 500, "internal", "cannot read the policy");
		return;
	}
	ret = nonce_issue(api_app(r)->nonces, req.device, api_now(), NULL, nonce);
	if (ret == -EBUSY) {
		http_reply_error(r, 503, "internal",
				 "too many outstanding challenges");
		return;
	}
	if (ret) {
		http_reply_error(r, 500, "internal", "cannot issue a challenge");
		return;
	}
	challenge_reply(r, nonce, physical);
}

/* ---- revocations ---- */

static struct json_object *hex_array(const uint8_t *ids, size_t n,
				     size_t size)
{
	struct json_object *a = json_object_new_array();
	char hex[2 * HROT_DEVICE_NAME_SIZE + 1];
	size_t i;

	for (i = 0; a && i < n; i++) {
		struct json_object *s;

		api_hex(ids + i * size, size, hex, sizeof(hex));
		s = json_object_new_string(hex);
		if (!s || json_object_array_add(a, s)) {
			json_object_put(s);
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

void api_revocations(struct http_request *r)
{
	uint8_t (*devs)[HROT_DEVICE_NAME_SIZE] = NULL;
	uint8_t (*toks)[HROT_TOKEN_ID_SIZE] = NULL;
	struct json_object *o, *d, *t;
	size_t nd = 0, nt = 0;

	if (store_revocations(api_reader(r), &devs, &nd, &toks, &nt)) {
		http_reply_error(r, 500, "internal", "store read failed");
		return;
	}
	o = json_object_new_object();
	d = hex_array(devs ? devs[0] : NULL, nd, HROT_DEVICE_NAME_SIZE);
	t = hex_array(toks ? toks[0] : NULL, nt, HROT_TOKEN_ID_SIZE);
	free(devs);
	free(toks);
	if (!o || !d || !t || json_object_object_add(o, "devices", d))
		goto oom;
	d = NULL;
	if (json_object_object_add(o, "tokens", t))
		goto oom;
	t = NULL;
	if (!api_add_int(o, "generated_at", api_now()))
		goto oom;
	http_reply_json(r, 200, o);
	return;
oom:
	json_object_put(d);
	json_object_put(t);
	json_object_put(o);
	http_reply_error(r, 500, "internal", "out of memory");
}
