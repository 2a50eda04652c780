// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: POST /v1/attest (Documentation/protocol.md) in JSON, both ways.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evidence_json.h"

static int ephemeral_from_json(struct json_object *top,
			       struct hrot_attest_req *r,
			       const struct ev_err *e)
{
	int ret;

	ret = ev_b64_exact(top, "", "ephemeral_key", r->ephemeral_key,
			   sizeof(r->ephemeral_key), e);
	if (ret == 0 && r->ephemeral_key[0] != 0x04) {
		ev_fail(e, "", "ephemeral_key", "not an uncompressed point");
		ret = -EINVAL;
	}
	return ret;
}

static int purpose_from_json(struct json_object *top,
			     struct hrot_attest_req *r, const struct ev_err *e)
{
	char purpose[16];
	int ret;

	ret = ev_string(top, "", "purpose", purpose, sizeof(purpose), e);
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return ret;
	if (strcmp(purpose, "runtime") == 0) {
		r->purpose = HROT_ATTEST_RUNTIME;
	} else if (strcmp(purpose, "component") == 0) {
		r->purpose = HROT_ATTEST_COMPONENT;
	} else if (strcmp(purpose, "unlock") != 0) {
		ev_fail(e, "", "purpose",
			"not \"unlock\", \"runtime\" or \"component\"");
		return -EINVAL;
	}
	return 0;
}

/* "component_hex": there exactly for purpose component. */
static int component_from_json(struct json_object *top,
			       struct hrot_attest_req *r,
			       const struct ev_err *e)
{
	int ret = ev_hex_exact(top, "", "component_hex", r->component,
			       sizeof(r->component), e);

	if (ret == 0 && r->purpose == HROT_ATTEST_COMPONENT) {
		static const uint8_t zero[sizeof(r->component)];

		if (!memcmp(r->component, zero, sizeof(zero))) {
			ev_fail(e, "", "component_hex", "all zero: names nothing");
			return -EINVAL;
		}
		return 0;
	}
	if (r->purpose == HROT_ATTEST_COMPONENT || (ret && ret != -ENOENT))
		return ret;
	if (ret == 0) {
		ev_fail(e, "", "component_hex", "only with purpose \"component\"");
		return -EINVAL;
	}
	return 0;
}

static int optional_from_json(struct json_object *top,
			      struct hrot_attest_req *r,
			      const struct ev_err *e)
{
	int ret;

	ret = purpose_from_json(top, r, e);
	if (!ret)
		ret = component_from_json(top, r, e);
	if (ret)
		return ret;
	ret = ev_b64_exact(top, "", "physical_token", &r->physical_token,
			   sizeof(r->physical_token), e);
	if (ret == 0)
		r->has_physical_token = true;
	else if (ret != -ENOENT)
		return ret;
	ret = ev_b64_alloc(top, "", "firmware_log", &r->firmware_log,
			   &r->firmware_log_len, HROT_EVIDENCE_MAX_BLOB, e);
	return ret == -ENOENT ? 0 : ret;
}

static int attest_fields(struct json_object *top, void *out,
			 const struct ev_err *e)
{
	struct hrot_attest_req *r = out;
	int ret;

	ret = ev_hex_exact(top, "", "device", r->device, sizeof(r->device), e);
	if (ret == 0)
		ret = ev_b64_exact(top, "", "nonce", r->nonce,
				   sizeof(r->nonce), e);
	if (ret == 0)
		ret = ev_b64_exact(top, "", "metadata", &r->metadata,
				   sizeof(r->metadata), e);
	if (ret == 0)
		ret = ephemeral_from_json(top, r, e);
	if (ret == 0)
		ret = ev_quote_from_json(top, &r->quote, e);
	if (ret == 0)
		ret = ev_b64_alloc(top, "", "event_log", &r->event_log,
				   &r->event_log_len, HROT_EVIDENCE_MAX_BLOB, e);
	if (ret == 0)
		ret = ev_fingerprint_member(top, &r->fingerprint, e);
	if (ret == 0)
		ret = optional_from_json(top, r, e);
	return ret;
}

static void attest_free(void *out)
{
	hrot_attest_req_free(out);
}

int hrot_attest_req_from_json(const char *json, size_t len,
			      struct hrot_attest_req *out, char *err,
			      size_t err_size)
{
	return ev_decode(json, len, out, sizeof(*out), attest_fields,
			 attest_free, err, err_size);
}

static int optional_to_json(struct json_object *o,
			    const struct hrot_attest_req *r)
{
	int ret = 0;

	/* absent means unlock: an unlock request is what it always was */
	if (r->purpose == HROT_ATTEST_RUNTIME)
		ret = ev_add_string(o, "purpose", "runtime", strlen("runtime"));
	if (r->purpose == HROT_ATTEST_COMPONENT) {
		ret = ev_add_string(o, "purpose", "component",
				    strlen("component"));
		if (ret == 0)
			ret = ev_add_hex(o, "component_hex", r->component,
					 sizeof(r->component));
	}
	if (ret == 0 && r->has_physical_token)
		ret = ev_add_b64(o, "physical_token", &r->physical_token,
				 sizeof(r->physical_token));
	if (ret == 0 && r->firmware_log)
		ret = ev_add_b64(o, "firmware_log", r->firmware_log,
				 r->firmware_log_len);
	return ret;
}

int hrot_attest_req_to_json(const struct hrot_attest_req *r, char **out)
{
	struct json_object *o = json_object_new_object();
	int ret = o ? 0 : -ENOMEM;

	if (ret == 0)
		ret = ev_add_hex(o, "device", r->device, sizeof(r->device));
	if (ret == 0)
		ret = ev_add_b64(o, "nonce", r->nonce, sizeof(r->nonce));
	if (ret == 0)
		ret = ev_add_b64(o, "metadata", &r->metadata,
				 sizeof(r->metadata));
	if (ret == 0)
		ret = ev_add_b64(o, "ephemeral_key", r->ephemeral_key,
				 sizeof(r->ephemeral_key));
	if (ret == 0)
		ret = ev_add(o, "quote", ev_quote_to_json(&r->quote));
	if (ret == 0)
		ret = ev_add_b64(o, "event_log", r->event_log,
				 r->event_log_len);
	if (ret == 0)
		ret = ev_add(o, "fingerprint",
			     hrot_fingerprint_to_json(&r->fingerprint));
	if (ret == 0)
		ret = optional_to_json(o, r);
	return ev_finish(o, ret, out);
}

void hrot_attest_req_free(struct hrot_attest_req *r)
{
	ev_quote_free(&r->quote);
	free(r->event_log);
	free(r->firmware_log);
	r->event_log = NULL;
	r->firmware_log = NULL;
	r->event_log_len = 0;
	r->firmware_log_len = 0;
}
