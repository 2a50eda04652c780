// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: every request parser of hrot-verifierd's own endpoints
 * (verifier/server/request.c).  The first byte picks the parser, the rest
 * is its input.  Besides what ASan/UBSan catch, it checks:
 *  - a refusal is 400 bad_request (or 500 for memory) with a detail that
 *    starts with the name of a field of that request;
 *  - what parses encodes again to a body that parses to the same values.
 * (The evidence bodies are fuzz_evidence's.)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include <hrot/evidence.h>
#include <hrot/hex.h>

#include "request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum target {
	T_CHALLENGE,
	T_ACTIVATE,
	T_APPROVE,
	T_REVOKE,
	T_FINGERPRINT,
	T_BIND,
	T_POLICY,
	T_DEVICE_PATH,
	T_TOKEN_PATH,
	T_AUDIT,
	NR_TARGETS,
};

static void check(int ok)
{
	if (!ok)
		abort();
}

/* The refusal names one of @fields first ("FIELD:", "FIELD." or "FIELD "). */
static void check_refusal(int ret, const struct req_error *err,
			  const char *const *fields)
{
	if (ret == -ENOMEM) {
		check(err->status == 500 && !strcmp(err->reason, "internal"));
		return;
	}
	check(ret == -EINVAL && err->status == 400 &&
	      !strcmp(err->reason, "bad_request"));
	for (; *fields; fields++) {
		size_t n = strlen(*fields);

		if (!strncmp(err->detail, *fields, n) &&
		    (err->detail[n] == ':' || err->detail[n] == '.' ||
		     err->detail[n] == ' '))
			return;
	}
	abort();
}

/* ---- encoders, for the round trips ---- */

static void add_string(struct json_object *o, const char *name, const char *v)
{
	check(json_object_object_add(o, name, json_object_new_string(v)) == 0);
}

static void add_hex(struct json_object *o, const char *name, const void *buf,
		    size_t len)
{
	char hex[2 * HROT_DEVICE_NAME_SIZE + 1];

	check(2 * len < sizeof(hex));
	check(hrot_hex_encode(buf, len, hex, sizeof(hex)) == 0);
	add_string(o, name, hex);
}

static void add_b64(struct json_object *o, const char *name, const void *buf,
		    size_t len)
{
	char *s = hrot_b64_encode(buf, len);

	check(s != NULL);
	add_string(o, name, s);
	free(s);
}

/* @o as text (malloc'ed), @o put. */
static char *text_of(struct json_object *o)
{
	char *s = strdup(json_object_to_json_string_ext(o,
							JSON_C_TO_STRING_PLAIN));

	check(s != NULL);
	json_object_put(o);
	return s;
}

static const char *const body_fields[] = { "body", "device", NULL };

static void fuzz_challenge(const char *in, size_t len)
{
	struct req_challenge a, b;
	struct req_error err;
	struct json_object *o;
	char *text;
	int ret = req_challenge_parse(in, len, &a, &err);

	if (ret) {
		check_refusal(ret, &err, body_fields);
		return;
	}
	o = json_object_new_object();
	add_hex(o, "device", a.device, sizeof(a.device));
	text = text_of(o);
	check(req_challenge_parse(text, strlen(text), &b, &err) == 0);
	check(!memcmp(&a, &b, sizeof(a)));
	free(text);
}

static char *activate_text(const struct req_activate *a)
{
	struct json_object *o = json_object_new_object();

	add_hex(o, "device", a->device, sizeof(a->device));
	if (a->step2) {
		add_b64(o, "activation_id", a->activation_id,
			sizeof(a->activation_id));
		add_b64(o, "secret", a->secret, sizeof(a->secret));
		if (a->csr)
			add_string(o, "csr", a->csr);
		if (a->has_instance)
			add_hex(o, "instance", a->instance,
				sizeof(a->instance));
	}
	return text_of(o);
}

static void fuzz_activate(const char *in, size_t len)
{
	static const char *const fields[] = {
		"body", "device", "activation_id", "secret", "csr",
		"instance", NULL,
	};
	struct req_activate a, b;
	struct req_error err;
	char *text;
	int ret = req_activate_parse(in, len, &a, &err);

	if (ret) {
		check_refusal(ret, &err, fields);
		check(a.csr == NULL);
		return;
	}
	text = activate_text(&a);
	check(req_activate_parse(text, strlen(text), &b, &err) == 0);
	check(a.step2 == b.step2 &&
	      !memcmp(a.device, b.device, sizeof(a.device)) &&
	      !memcmp(a.activation_id, b.activation_id,
		      sizeof(a.activation_id)) &&
	      !memcmp(a.secret, b.secret, sizeof(a.secret)) &&
	      !a.csr == !b.csr && (!a.csr || !strcmp(a.csr, b.csr)) &&
	      a.has_instance == b.has_instance &&
	      !memcmp(a.instance, b.instance, sizeof(a.instance)));
	free(text);
	req_activate_free(&a);
	req_activate_free(&b);
}

static char *device_body_text(enum req_device_action action,
			      const struct req_device_body *d)
{
	struct json_object *o = json_object_new_object();
	struct json_object *fp;

	switch (action) {
	case REQ_REVOKE:
		add_string(o, "reason", d->reason);
		break;
	case REQ_FINGERPRINT:
		fp = hrot_fingerprint_to_json(&d->fp);
		check(fp && json_object_object_add(o, "fingerprint", fp) == 0);
		break;
	default:
		if (d->policy)
			add_string(o, "policy", d->policy);
		break;
	}
	return text_of(o);
}

static void fuzz_device_body(enum req_device_action action, const char *in,
			     size_t len)
{
	static const char *const fields[] = {
		"body", "policy", "reason", "fingerprint", NULL,
	};
	struct req_device_body a, b;
	struct req_error err;
	char *text;
	int ret = req_device_body_parse(action, in, len, &a, &err);

	if (ret) {
		check_refusal(ret, &err, fields);
		check(a.policy == NULL);
		return;
	}
	check(strlen(a.reason) < sizeof(a.reason));
	check(action == REQ_REVOKE || !a.reason[0]);
	check(action != REQ_BIND || a.policy);
	text = device_body_text(action, &a);
	check(req_device_body_parse(action, text, strlen(text), &b, &err) == 0);
	check(!strcmp(a.reason, b.reason) && !memcmp(&a.fp, &b.fp, sizeof(a.fp)) &&
	      !a.policy == !b.policy &&
	      (!a.policy || !strcmp(a.policy, b.policy)));
	free(text);
	req_device_body_free(&a);
	req_device_body_free(&b);
}

static char *policy_text(const struct store_policy *p)
{
	struct json_object *o = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	size_t i;

	check(o && arr);
	add_string(o, "name", p->name);
	add_string(o, "version", p->version);
	check(json_object_object_add(o, "require_physical",
		json_object_new_boolean(p->require_physical)) == 0);
	for (i = 0; i < p->nr_entries; i++) {
		struct json_object *e = json_object_new_object();

		check(e && json_object_array_add(arr, e) == 0);
		add_string(e, "component", p->entries[i].component);
		add_string(e, "version", p->entries[i].version);
		add_hex(e, "sha256_hex", p->entries[i].digest,
			sizeof(p->entries[i].digest));
	}
	check(json_object_object_add(o, "entries", arr) == 0);
	return text_of(o);
}

static void fuzz_policy(const char *in, size_t len)
{
	static const char *const fields[] = {
		"body", "name", "version", "require_physical", "entries",
		"component", "sha256_hex", NULL,
	};
	struct store_policy a, b;
	struct req_error err;
	char *text;
	size_t i;
	int ret = req_policy_parse(in, len, &a, &err);

	if (ret) {
		check_refusal(ret, &err, fields);
		check(a.entries == NULL && a.nr_entries == 0);
		return;
	}
	check(a.name[0] && a.nr_entries <= REQ_POLICY_MAX_ENTRIES);
	text = policy_text(&a);
	check(req_policy_parse(text, strlen(text), &b, &err) == 0);
	check(!strcmp(a.name, b.name) && !strcmp(a.version, b.version) &&
	      a.require_physical == b.require_physical &&
	      a.nr_entries == b.nr_entries);
	for (i = 0; i < a.nr_entries; i++)
		check(!memcmp(&a.entries[i], &b.entries[i],
			      sizeof(a.entries[i])));
	free(text);
	req_policy_free(&a);
	req_policy_free(&b);
}

/* The paths: what parses is the hex of what was decoded. */
static void fuzz_device_path(const char *tail)
{
	static const char *const fields[] = { "device in path", NULL };
	char hex[2 * HROT_DEVICE_NAME_SIZE + 1];
	uint8_t id[HROT_DEVICE_NAME_SIZE];
	enum req_device_action action;
	struct req_error err;
	int ret = req_device_action_path(tail, id, &action, &err);

	if (ret == -ENOENT)
		return;
	if (ret) {
		check_refusal(ret, &err, fields);
		return;
	}
	check(hrot_hex_encode(id, sizeof(id), hex, sizeof(hex)) == 0);
	check(!strncasecmp(tail, hex, sizeof(hex) - 1) &&
	      tail[sizeof(hex) - 1] == '/' &&
	      !strcmp(tail + sizeof(hex), req_device_action_name(action)));
}

static void fuzz_token_path(const char *tail)
{
	static const char *const fields[] = { "token id", NULL };
	char hex[2 * HROT_TOKEN_ID_SIZE + 1];
	uint8_t id[HROT_TOKEN_ID_SIZE];
	struct req_error err;
	int ret = req_token_revoke_path(tail, id, &err);

	if (ret == -ENOENT)
		return;
	if (ret) {
		check_refusal(ret, &err, fields);
		return;
	}
	check(hrot_hex_encode(id, sizeof(id), hex, sizeof(hex)) == 0);
	check(!strncasecmp(tail, hex, sizeof(hex) - 1) &&
	      !strcmp(tail + sizeof(hex) - 1, "/revoke"));
}

/*
 * The audit query: a byte whose low three bits say which of since, limit,
 * device are present, then their values separated by NULs.
 */
static void fuzz_audit(const char *in, size_t len)
{
	static const char *const fields[] = {
		"since", "limit", "device", NULL,
	};
	const char *v[3] = { NULL, NULL, NULL };
	const char *p = in + 1, *end = in + len;
	struct req_audit q;
	struct req_error err;
	int i, ret;

	if (!len)
		return;
	for (i = 0; i < 3; i++) {
		if (p > end)
			break;
		if (in[0] & (1 << i))
			v[i] = p;
		p += strlen(p) + 1;
	}
	ret = req_audit_parse(v[0], v[1], v[2], &q, &err);
	if (ret) {
		check_refusal(ret, &err, fields);
		return;
	}
	check(q.since >= 0 && q.limit >= 1 && q.limit <= REQ_AUDIT_MAX &&
	      q.has_device == (v[2] != NULL));
	check(v[1] || q.limit == REQ_AUDIT_DEFAULT);
}

static void fuzz_body(enum target t, const char *body, size_t len)
{
	switch (t) {
	case T_CHALLENGE:
		fuzz_challenge(body, len);
		break;
	case T_ACTIVATE:
		fuzz_activate(body, len);
		break;
	case T_APPROVE:
		fuzz_device_body(REQ_APPROVE, body, len);
		break;
	case T_REVOKE:
		fuzz_device_body(REQ_REVOKE, body, len);
		break;
	case T_FINGERPRINT:
		fuzz_device_body(REQ_FINGERPRINT, body, len);
		break;
	case T_BIND:
		fuzz_device_body(REQ_BIND, body, len);
		break;
	default:
		fuzz_policy(body, len);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum target t;
	size_t len;
	char *in;

	if (size < 1)
		return 0;
	t = (enum target)(data[0] % NR_TARGETS);
	len = size - 1;
	/*
	 * A body gets exactly its bytes (ASan sees a read past its end); a
	 * path or query is a C string, as the server hands it over.
	 */
	in = malloc(t < T_DEVICE_PATH ? (len ? len : 1) : len + 1);
	if (!in)
		return 0;
	memcpy(in, data + 1, len);
	if (t < T_DEVICE_PATH) {
		fuzz_body(t, in, len);
	} else {
		in[len] = '\0';
		if (t == T_DEVICE_PATH)
			fuzz_device_path(in);
		else if (t == T_TOKEN_PATH)
			fuzz_token_path(in);
		else
			fuzz_audit(in, len);
	}
	free(in);
	return 0;
}
