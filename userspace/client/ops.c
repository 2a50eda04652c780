// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot-client: register, activate, challenge, physical.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hrot/device.h>
#include <hrot/hex.h>
#include <hrot/token.h>

#include "client_int.h"

#define HROT_MODULE_PCR_MASK	(1u << 13)

void hrot_attester_identity_free(struct hrot_attester_identity *id)
{
	free(id->ek_public);
	free(id->ek_cert);
	free(id->ak_public);
	memset(id, 0, sizeof(*id));
}

void hrot_attester_close(struct hrot_attester *a)
{
	if (a && a->ops && a->ops->close)
		a->ops->close(a->ctx);
	if (a)
		memset(a, 0, sizeof(*a));
}

void hrot_enrollment_free(struct hrot_enrollment *e)
{
	free(e->agent_cert);
	memset(e, 0, sizeof(*e));
}

/* A backend failure, named for the console. */
static int backend_fail(struct hrot_client *c, const char *what, int err)
{
	client_fail(c, "backend", "%s: %s", what, strerror(-err));
	return err;
}

static int build_register(struct hrot_attester *a,
			  const struct hrot_attester_identity *id,
			  const char *const *keys, const char *const *values,
			  size_t n, struct hrot_register_req *req)
{
	size_t i;
	int ret;

	memset(req, 0, sizeof(*req));
	if (n > HROT_META_MAX_PAIRS)
		return -E2BIG;
	ret = a->ops->fingerprint(a->ctx, &req->fingerprint);
	if (ret)
		return ret;
	/* Borrowed: not freed through req. */
	req->ek_public = id->ek_public;
	req->ek_public_len = id->ek_public_len;
	req->ek_cert = id->ek_cert;
	req->ek_cert_len = id->ek_cert_len;
	req->ak_public = id->ak_public;
	req->ak_public_len = id->ak_public_len;
	for (i = 0; i < n; i++) {
		if (strlen(keys[i]) >= HROT_META_KEY_MAX ||
		    strlen(values[i]) >= HROT_META_VALUE_MAX)
			return -E2BIG;
		snprintf(req->meta_key[i], HROT_META_KEY_MAX, "%s", keys[i]);
		snprintf(req->meta_value[i], HROT_META_VALUE_MAX, "%s",
			 values[i]);
	}
	req->nr_meta = n;
	return 0;
}

int hrot_client_register(struct hrot_client *c, struct hrot_attester *a,
			 const char *const *keys, const char *const *values,
			 size_t n, uint8_t device[HROT_DEVICE_NAME_SIZE],
			 char *state, size_t state_size)
{
	struct hrot_attester_identity id = { 0 };
	struct hrot_register_req req;
	struct json_object *reply;
	const char *dev_hex, *st;
	char *body = NULL;
	int ret;

	ret = a->ops->identity(a->ctx, &id);
	if (ret)
		return backend_fail(c, "identity", ret);
	ret = build_register(a, &id, keys, values, n, &req);
	if (ret) {
		hrot_attester_identity_free(&id);
		return backend_fail(c, "fingerprint or metadata", ret);
	}
	memcpy(device, id.ak_name, HROT_DEVICE_NAME_SIZE);
	ret = hrot_register_req_to_json(&req, &body);
	hrot_attester_identity_free(&id);
	if (ret)
		return backend_fail(c, "encoding the registration", ret);
	ret = client_post_text(c, "/v1/register", body, &reply);
	free(body);
	if (ret)
		return ret;
	dev_hex = client_get_string(c, reply, "device");
	st = client_get_string(c, reply, "state");
	if (!dev_hex || !st) {
		ret = -EPROTO;
	} else {
		uint8_t got[HROT_DEVICE_NAME_SIZE];

		if (hrot_hex_decode(dev_hex, got, sizeof(got)) ||
		    memcmp(got, device, sizeof(got)) != 0) {
			client_fail(c, "protocol",
				    "verifier names another device: %s", dev_hex);
			ret = -EPROTO;
		} else if (state) {
			snprintf(state, state_size, "%s", st);
		}
	}
	json_object_put(reply);
	return ret;
}

/* Step 1: the credential and the activation id. */
static int activate_step1(struct hrot_client *c,
			  const uint8_t device[HROT_DEVICE_NAME_SIZE],
			  uint8_t **cred, size_t *cred_len,
			  uint8_t act_id[HROT_ACTIVATION_ID_SIZE])
{
	struct json_object *body = json_object_new_object();
	struct json_object *reply;
	int ret;

	if (!body || client_add_device(body, device)) {
		json_object_put(body);
		return -ENOMEM;
	}
	ret = client_post(c, "/v1/activate", body, &reply);
	if (ret)
		return ret;
	ret = client_get_b64_alloc(c, reply, "credential", cred, cred_len,
				   4096);
	if (!ret)
		ret = client_get_b64(c, reply, "activation_id", act_id,
				     HROT_ACTIVATION_ID_SIZE);
	json_object_put(reply);
	return ret;
}

static int parse_enrollment(struct hrot_client *c, struct json_object *reply,
			    const uint8_t device[HROT_DEVICE_NAME_SIZE],
			    struct hrot_enrollment *out)
{
	struct json_object *v;
	const char *s;
	char err[128];

	s = client_get_string(c, reply, "state");
	if (!s)
		return -EPROTO;
	if (strcmp(s, "enrolled") != 0) {
		client_fail(c, "protocol", "state after activation: %s", s);
		return -EPROTO;
	}
	if (client_get_b64(c, reply, "metadata", &out->metadata,
			   sizeof(out->metadata)) ||
	    client_get_int(c, reply, "created_at", &out->created_at))
		return -EPROTO;
	s = client_get_string(c, reply, "instance_hex");
	if (!s || hrot_hex_decode(s, out->instance, sizeof(out->instance))) {
		client_fail(c, "protocol", "answer: instance_hex");
		return -EPROTO;
	}
	if (hrot_metadata_parse(&out->metadata, sizeof(out->metadata),
				&out->metadata, err, sizeof(err)) ||
	    memcmp(out->metadata.device, device, HROT_DEVICE_NAME_SIZE) != 0 ||
	    memcmp(out->metadata.instance, out->instance,
		   HROT_INSTANCE_ID_SIZE) != 0) {
		client_fail(c, "protocol", "metadata: malformed or not ours");
		return -EPROTO;
	}
	if (json_object_object_get_ex(reply, "agent_cert", &v) &&
	    json_object_is_type(v, json_type_string)) {
		out->agent_cert = strdup(json_object_get_string(v));
		if (!out->agent_cert)
			return -ENOMEM;
	}
	return 0;
}

static int activate_step2(struct hrot_client *c,
			  const uint8_t device[HROT_DEVICE_NAME_SIZE],
			  const uint8_t act_id[HROT_ACTIVATION_ID_SIZE],
			  const uint8_t *secret, size_t secret_len,
			  const char *csr_pem, const uint8_t *instance,
			  struct hrot_enrollment *out)
{
	struct json_object *body = json_object_new_object();
	char hex[HROT_HEX_SIZE(HROT_INSTANCE_ID_SIZE)];
	struct json_object *reply;
	int ret;

	if (instance)
		hrot_hex_encode(instance, HROT_INSTANCE_ID_SIZE, hex,
				sizeof(hex));
	if (!body || client_add_device(body, device) ||
	    (instance && json_object_object_add(body, "instance",
				json_object_new_string(hex))) ||
	    client_add_b64(body, "activation_id", act_id,
			   HROT_ACTIVATION_ID_SIZE) ||
	    client_add_b64(body, "secret", secret, secret_len) ||
	    (csr_pem && json_object_object_add(body, "csr",
				json_object_new_string(csr_pem)))) {
		json_object_put(body);
		return -ENOMEM;
	}
	ret = client_post(c, "/v1/activate", body, &reply);
	if (ret)
		return ret;
	ret = parse_enrollment(c, reply, device, out);
	json_object_put(reply);
	if (!ret && instance &&
	    memcmp(out->instance, instance, HROT_INSTANCE_ID_SIZE) != 0) {
		client_fail(c, "protocol", "enrolled with another instance");
		ret = -EPROTO;
	}
	if (ret)
		hrot_enrollment_free(out);
	return ret;
}

int hrot_client_activate(struct hrot_client *c, struct hrot_attester *a,
			 const uint8_t device[HROT_DEVICE_NAME_SIZE],
			 const char *csr_pem, struct hrot_enrollment *out)
{
	return hrot_client_activate_instance(c, a, device, csr_pem, NULL, out);
}

int hrot_client_activate_instance(struct hrot_client *c,
				  struct hrot_attester *a,
				  const uint8_t device[HROT_DEVICE_NAME_SIZE],
				  const char *csr_pem,
				  const uint8_t *instance,
				  struct hrot_enrollment *out)
{
	uint8_t act_id[HROT_ACTIVATION_ID_SIZE];
	uint8_t secret[64];
	uint8_t *cred = NULL;
	size_t cred_len = 0, secret_len = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = activate_step1(c, device, &cred, &cred_len, act_id);
	if (ret)
		return ret;
	ret = a->ops->activate_credential(a->ctx, cred, cred_len, secret,
					  sizeof(secret), &secret_len);
	free(cred);
	if (ret)
		return backend_fail(c, "credential activation", ret);
	ret = activate_step2(c, device, act_id, secret, secret_len, csr_pem,
			     instance, out);
	explicit_bzero(secret, sizeof(secret));
	return ret;
}

int hrot_client_challenge(struct hrot_client *c,
			  const uint8_t device[HROT_DEVICE_NAME_SIZE],
			  struct hrot_challenge *out)
{
	struct json_object *body = json_object_new_object();
	struct json_object *reply, *v;
	int64_t exp = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!body || client_add_device(body, device)) {
		json_object_put(body);
		return -ENOMEM;
	}
	ret = client_post(c, "/v1/challenge", body, &reply);
	if (ret)
		return ret;
	ret = client_get_b64(c, reply, "nonce", out->nonce, HROT_NONCE_SIZE);
	if (!ret && json_object_object_get_ex(reply, "expires_in", NULL))
		ret = client_get_int(c, reply, "expires_in", &exp);
	/* An older verifier does not say: then assume a PAT is wanted. */
	out->physical_required = true;
	if (!ret && json_object_object_get_ex(reply, "physical_required", &v)) {
		if (json_object_is_type(v, json_type_boolean)) {
			out->physical_required = json_object_get_boolean(v);
		} else {
			client_fail(c, "protocol",
				    "challenge: physical_required is not a boolean");
			ret = -EPROTO;
		}
	}
	json_object_put(reply);
	out->expires_in = (long)exp;
	return ret;
}

/* The test hook, if there is one, sees every nonce before it is used. */
void client_nonce_hook(struct hrot_client *c, const char *what,
		       uint8_t nonce[HROT_NONCE_SIZE])
{
	if (c->hooks.after_challenge)
		c->hooks.after_challenge(c->hooks.arg, what, nonce);
}

/* Build the physical request: fingerprint, quote over SHA-256(nonce || fp). */
static int build_physical(struct hrot_client *c, struct hrot_attester *a,
			  const uint8_t device[HROT_DEVICE_NAME_SIZE],
			  const uint8_t nonce[HROT_NONCE_SIZE],
			  struct hrot_physical_req *req)
{
	uint8_t qual[HROT_NONCE_SIZE];
	int ret;

	memset(req, 0, sizeof(*req));
	memcpy(req->device, device, HROT_DEVICE_NAME_SIZE);
	memcpy(req->nonce, nonce, HROT_NONCE_SIZE);
	client_nonce_hook(c, "physical", req->nonce);
	ret = a->ops->fingerprint(a->ctx, &req->fingerprint);
	if (ret)
		return backend_fail(c, "fingerprint", ret);
	if (hrot_qualifying_data(req->nonce, HROT_NONCE_SIZE,
				 req->fingerprint.digest, HROT_SHA256_SIZE,
				 qual))
		return backend_fail(c, "qualifying data", -EIO);
	ret = a->ops->quote(a->ctx, HROT_MODULE_PCR_MASK, qual, sizeof(qual),
			    &req->quote);
	if (ret)
		return backend_fail(c, "quote", ret);
	return 0;
}

int client_physical(struct hrot_client *c, struct hrot_attester *a,
		    const uint8_t device[HROT_DEVICE_NAME_SIZE],
		    const uint8_t nonce[HROT_NONCE_SIZE], struct hrot_token *token)
{
	struct hrot_physical_req req;
	struct json_object *reply;
	char *body = NULL, err[128];
	int ret;

	ret = build_physical(c, a, device, nonce, &req);
	if (!ret && c->hooks.before_physical)
		c->hooks.before_physical(c->hooks.arg, &req);
	if (!ret) {
		ret = hrot_physical_req_to_json(&req, &body);
		if (ret)
			backend_fail(c, "encoding the physical request", ret);
	}
	hrot_physical_req_free(&req);
	if (ret)
		return ret;
	ret = client_post_text(c, "/v1/physical", body, &reply);
	free(body);
	if (ret)
		return ret;
	ret = client_get_b64(c, reply, "token", token, sizeof(*token));
	json_object_put(reply);
	if (!ret && hrot_token_parse(token, sizeof(*token), token, err,
				     sizeof(err))) {
		client_fail(c, "token_invalid", "physical token: %s", err);
		ret = -EPROTO;
	}
	return ret;
}

int hrot_client_physical(struct hrot_client *c, struct hrot_attester *a,
			 const uint8_t device[HROT_DEVICE_NAME_SIZE],
			 struct hrot_token *token)
{
	struct hrot_challenge ch;
	int ret = hrot_client_challenge(c, device, &ch);

	if (!ret)
		ret = client_physical(c, a, device, ch.nonce, token);
	return ret;
}
