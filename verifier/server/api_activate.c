// SPDX-License-Identifier: GPL-2.0
/*
 * api_activate.c - POST /v1/activate: credential activation, then
 * enrollment.
 *
 * Step 1 makes a credential (a fresh 32-byte secret) that only the TPM
 * holding the device's EK can open, and only for the device's AK name.
 * Step 2 gets the secret back: AK and EK share a TPM.  Then, in one commit
 * job, the device becomes enrolled with a new instance (id, creation time,
 * volume secret sealed by the vault), or with the instance an operator
 * made for it ahead ("instance": claimed in the same job, once), and the
 * reply carries the signed instance metadata and, for a CSR, an agent
 * certificate.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <hrot/credential.h>
#include <hrot/evidence.h>
#include <hrot/token.h>

#include "activation.h"
#include "api.h"
#include "instance.h"
#include "log.h"
#include "request.h"
#include "vault.h"

/* ---- step 1 ---- */

static int make_credential(const struct store_device *dev,
			   const uint8_t *secret, uint8_t **file,
			   size_t *file_len)
{
	struct hrot_credential cred;
	struct hrot_tpm_public ek;
	struct hrot_tpm_diag diag;
	int ret;

	ret = hrot_tpm2b_public_unmarshal(dev->ek_public, dev->ek_public_len,
					  &ek, &diag);
	if (!ret)
		ret = hrot_make_credential(&ek, dev->id, sizeof(dev->id),
					   secret, HROT_SECRET_SIZE, &cred);
	if (!ret)
		ret = hrot_credential_file_write(&cred, file, file_len);
	OPENSSL_cleanse(&cred, sizeof(cred));
	return ret;
}

static void step1_reply(struct http_request *r, const uint8_t *file,
			size_t file_len, const uint8_t *aid)
{
	struct json_object *o = json_object_new_object();

	if (o && api_add_b64(o, "credential", file, file_len) &&
	    api_add_b64(o, "activation_id", aid, HROT_ACTIVATION_ID_SIZE)) {
		http_reply_json(r, 200, o);
		return;
	}
	json_object_put(o);
	http_reply_error(r, 500, "internal", "out of memory");
}

/* The device record of an approved device: 0, or -1 after answering. */
static int approved_device(struct http_request *r, const uint8_t *id,
			   const char *hex, struct store_device *dev)
{
	int ret = store_device_get(api_reader(r), id, dev);

	if (!ret && dev->state == STORE_DEV_APPROVED)
		return 0;
	if (!ret && dev->state == STORE_DEV_ENROLLED)
		http_reply_error(r, 409, "already_registered",
				 "device %s is already enrolled", hex);
	else
		api_reply_device_state(r, dev, ret, hex);
	store_device_free(dev);
	return -1;
}

static void activate_step1(struct http_request *r, const uint8_t *id,
			   const char *hex)
{
	uint8_t secret[HROT_SECRET_SIZE], aid[HROT_ACTIVATION_ID_SIZE];
	struct store_device dev;
	uint8_t *file = NULL;
	size_t file_len = 0;
	int ret;

	memset(&dev, 0, sizeof(dev));
	if (approved_device(r, id, hex, &dev))
		return;
	ret = RAND_bytes(secret, sizeof(secret)) == 1 ? 0 : -EIO;
	if (!ret)
		ret = make_credential(&dev, secret, &file, &file_len);
	if (!ret)
		ret = activation_put(api_app(r)->activations, id, secret,
				     api_now(), aid);
	OPENSSL_cleanse(secret, sizeof(secret));
	store_device_free(&dev);
	if (ret) {
		log_err("device %s: cannot make a credential: %s", hex,
			strerror(-ret));
		http_reply_error(r, ret == -EBUSY ? 503 : 500, "internal",
				 "cannot make the credential");
	} else {
		step1_reply(r, file, file_len, aid);
	}
	free(file);
}

/* ---- step 2 ---- */

struct enroll_job {
	struct api_job base;
	uint8_t id[HROT_DEVICE_NAME_SIZE];
	uint8_t instance[HROT_INSTANCE_ID_SIZE];
	int64_t created_at;
	uint8_t sealed[STORE_SEALED_MAX];
	size_t sealed_len;
	struct hrot_metadata metadata;
	char *agent_cert;		/* PEM or NULL */
	enum store_device_state state;	/* when not approved any more */
	bool claim;			/* @instance was made ahead */
};

static int enroll_run(struct store_tx *tx, struct api_job *j)
{
	struct enroll_job *e = (struct enroll_job *)j;
	struct store_device dev;
	struct store_audit a;
	int ret;

	memset(&dev, 0, sizeof(dev));
	ret = store_tx_device_get(tx, e->id, &dev);
	if (ret)
		return ret;
	e->state = dev.state;
	store_device_free(&dev);
	/* revoked (or enrolled) since the worker looked */
	if (e->state != STORE_DEV_APPROVED)
		return -EPERM;
	/* -EALREADY: another enrollment claimed it since the worker looked */
	if (e->claim) {
		ret = store_tx_instance_claim(tx, e->instance, e->id,
					      api_now());
		if (ret)
			return ret;
	}
	ret = store_tx_device_enroll(tx, e->id, e->instance, e->created_at,
				     e->sealed, e->sealed_len);
	if (ret)
		return ret;
	api_audit_init(&a, e->id, "activate", true, NULL,
		       e->claim ? "credential activated, enrolled with an instance made ahead" :
		       "credential activated, enrolled");
	return store_tx_audit(tx, &a);
}

static struct json_object *enroll_object(const struct enroll_job *e)
{
	struct json_object *o = json_object_new_object();

	if (o && api_add_string(o, "state", "enrolled") &&
	    api_add_b64(o, "metadata", &e->metadata, sizeof(e->metadata)) &&
	    api_add_hex(o, "instance_hex", e->instance, sizeof(e->instance)) &&
	    api_add_int(o, "created_at", e->created_at) &&
	    (!e->agent_cert || api_add_string(o, "agent_cert", e->agent_cert)))
		return o;
	json_object_put(o);
	return NULL;
}

static void enroll_reply(struct http_request *r, struct api_job *j)
{
	struct enroll_job *e = (struct enroll_job *)j;
	char hex[API_DEVICE_HEX_SIZE];
	struct json_object *o;

	api_hex(e->id, sizeof(e->id), hex, sizeof(hex));
	if (j->result == -EPERM) {
		struct store_device d = { .state = e->state };

		api_reply_device_state(r, &d, 0, hex);
		return;
	}
	if (e->claim && (j->result == -EALREADY || j->result == -ENOENT)) {
		api_hex(e->instance, sizeof(e->instance), hex, sizeof(hex));
		http_reply_error(r, j->result == -ENOENT ? 404 : 409,
				 j->result == -ENOENT ? "instance_unknown" :
				 "instance_claimed",
				 "instance %s %s", hex,
				 j->result == -ENOENT ? "does not exist" :
				 "is claimed by another enrollment");
		return;
	}
	if (j->result) {
		http_reply_error(r, 500, "internal", "store write failed");
		return;
	}
	o = enroll_object(e);
	if (!o) {
		http_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	log_info("device %s enrolled", hex);
	http_reply_json(r, 200, o);
}

static void enroll_release(struct api_job *j)
{
	struct enroll_job *e = (struct enroll_job *)j;

	free(e->agent_cert);
	OPENSSL_cleanse(e, sizeof(*e));
	free(e);
}

/* The signed metadata of the instance in @e: 0 or -errno. */
static int sign_metadata(struct verifierd *v, struct enroll_job *e)
{
	memset(&e->metadata, 0, sizeof(e->metadata));
	memcpy(e->metadata.instance, e->instance, sizeof(e->instance));
	memcpy(e->metadata.device, e->id, sizeof(e->id));
	e->metadata.created_at = htole64((uint64_t)e->created_at);
	return hrot_metadata_sign(&e->metadata, v->pki->token_key);
}

/* Instance, sealed volume secret, signed metadata: 0 or -errno. */
static int make_instance(struct verifierd *v, struct enroll_job *e)
{
	uint8_t secret[HROT_SECRET_SIZE];
	int ret = 0;

	e->created_at = api_now();
	if (RAND_bytes(e->instance, sizeof(e->instance)) != 1 ||
	    RAND_bytes(secret, sizeof(secret)) != 1)
		return -EIO;
	ret = vault_seal(v->vault, e->id, secret, sizeof(secret), e->sealed,
			 sizeof(e->sealed), &e->sealed_len);
	OPENSSL_cleanse(secret, sizeof(secret));
	return ret ? ret : sign_metadata(v, e);
}

/* Refuse the claim of @instance (audited): always -1. */
static int claim_refused(struct http_request *r, const uint8_t *device,
			 const uint8_t *instance, int code, const char *reason,
			 const char *what)
{
	char hex[2 * HROT_INSTANCE_ID_SIZE + 1], detail[96];
	struct store_audit a;

	api_hex(instance, HROT_INSTANCE_ID_SIZE, hex, sizeof(hex));
	snprintf(detail, sizeof(detail), "instance %s %s", hex, what);
	log_warn("activation refused: %s", detail);
	api_audit_init(&a, device, "activate", false, reason, detail);
	api_submit_audit(r, &a, code, api_error_object(reason, detail, false));
	return -1;
}

/*
 * The instance an operator made ahead, its secret re-sealed for the
 * device: 0, or -1 after answering.  The claim itself is the commit
 * job's (enroll_run), so two racing enrollments cannot both have it.
 */
static int adopt_instance(struct http_request *r, struct enroll_job *e,
			  const uint8_t *instance)
{
	struct verifierd *v = api_app(r);
	struct store_instance in;
	int ret;

	ret = store_instance_get(api_reader(r), instance, &in);
	if (ret == -ENOENT)
		return claim_refused(r, e->id, instance, 404,
				     "instance_unknown", "does not exist");
	if (!ret && in.claimed) {
		OPENSSL_cleanse(&in, sizeof(in));
		return claim_refused(r, e->id, instance, 409,
				     "instance_claimed",
				     "is claimed by another enrollment");
	}
	if (!ret)
		ret = instance_reseal(v->vault, &in, e->id, e->sealed,
				      sizeof(e->sealed), &e->sealed_len);
	if (!ret) {
		memcpy(e->instance, in.id, sizeof(e->instance));
		e->created_at = in.created_at;
		e->claim = true;
		ret = sign_metadata(v, e);
	}
	OPENSSL_cleanse(&in, sizeof(in));
	if (!ret)
		return 0;
	log_err("instance: cannot adopt it: %s", strerror(-ret));
	http_reply_error(r, 500, "internal", "cannot adopt the instance");
	return -1;
}

static void activation_failed(struct http_request *r, const uint8_t *id,
			      const char *hex)
{
	const char *detail = "wrong credential secret or activation id";
	struct store_audit a;

	log_warn("device %s: activation refused: %s", hex, detail);
	api_audit_init(&a, id, "activate", false, "activation_failed", detail);
	api_submit_audit(r, &a, 403,
			 api_error_object("activation_failed", detail, false));
}

static int issue_agent_cert(struct http_request *r, struct enroll_job *e,
			    const char *csr, const char *hex)
{
	char err[160];
	int ret;

	if (!csr)
		return 0;
	ret = pki_issue_agent_cert(api_app(r)->pki, csr, hex, &e->agent_cert,
				   err, sizeof(err));
	if (ret == -EINVAL) {
		http_reply_error(r, 400, "bad_request", "%s", err);
		return -1;
	}
	/* without a CA key the agent certificate is left out */
	if (ret && ret != -EOPNOTSUPP) {
		http_reply_error(r, 500, "internal", "%s", err);
		return -1;
	}
	return 0;
}

static void activate_step2(struct http_request *r,
			   const struct req_activate *in, const char *hex)
{
	uint8_t expected[HROT_SECRET_SIZE];
	const uint8_t *id = in->device;
	struct store_device dev;
	struct enroll_job *e;
	bool ok;

	ok = activation_take(api_app(r)->activations, in->activation_id, id,
			     api_now(), expected) == 0 &&
	     CRYPTO_memcmp(expected, in->secret, sizeof(expected)) == 0;
	OPENSSL_cleanse(expected, sizeof(expected));
	if (!ok) {
		activation_failed(r, id, hex);
		return;
	}
	memset(&dev, 0, sizeof(dev));
	if (approved_device(r, id, hex, &dev))
		return;
	store_device_free(&dev);
	e = calloc(1, sizeof(*e));
	if (!e) {
		http_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	memcpy(e->id, id, sizeof(e->id));
	e->base.run = enroll_run;
	e->base.reply = enroll_reply;
	e->base.release = enroll_release;
	if (issue_agent_cert(r, e, in->csr, hex)) {
		enroll_release(&e->base);
		return;
	}
	if (in->has_instance) {
		if (adopt_instance(r, e, in->instance)) {
			enroll_release(&e->base);
			return;
		}
	} else if (make_instance(api_app(r), e)) {
		enroll_release(&e->base);
		http_reply_error(r, 500, "internal", "cannot make the instance");
		return;
	}
	api_submit(r, &e->base);
}

void api_activate(struct http_request *r)
{
	char hex[API_DEVICE_HEX_SIZE];
	struct req_activate req;
	struct req_error err;

	if (req_activate_parse(r->body, r->body_len, &req, &err)) {
		api_reply_req_error(r, &err);
		return;
	}
	api_hex(req.device, sizeof(req.device), hex, sizeof(hex));
	if (req.step2)
		activate_step2(r, &req, hex);
	else
		activate_step1(r, req.device, hex);
	req_activate_free(&req);
}
