// SPDX-License-Identifier: GPL-2.0
/*
 * request.c - the request parsers of hrot-verifierd's own endpoints
 * (request.h).  Pure: no connection, no store, no clock; what they accept
 * is what the handlers act on, and their error details are what the
 * client reads, so each one names the field first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include <hrot/hex.h>

#include "request.h"

static int fail(struct req_error *err, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Fill @err for @ret (-EINVAL: 400 bad_request, else 500 internal). */
static int fail(struct req_error *err, int ret, const char *fmt, ...)
{
	va_list ap;

	err->status = ret == -EINVAL ? 400 : 500;
	err->reason = ret == -EINVAL ? "bad_request" : "internal";
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
	return ret;
}

static int out_of_memory(struct req_error *err)
{
	return fail(err, -ENOMEM, "out of memory");
}

/* ---- building blocks ---- */

struct json_object *req_body_object(const char *json, size_t len,
				    struct req_error *err)
{
	struct json_tokener *tok = NULL;
	struct json_object *obj = NULL;

	/* json-c takes an int length; the tokener must use all of it */
	if (len <= (size_t)INT32_MAX)
		tok = json_tokener_new();
	if (tok) {
		obj = json_tokener_parse_ex(tok, json, (int)len);
		if (json_tokener_get_error(tok) != json_tokener_success ||
		    json_tokener_get_parse_end(tok) != len) {
			json_object_put(obj);
			obj = NULL;
		}
		json_tokener_free(tok);
	}
	if (!obj || !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		fail(err, -EINVAL, "body is not a JSON object");
		return NULL;
	}
	return obj;
}

int req_string(struct json_object *obj, const char *name, bool required,
	       const char **out, struct req_error *err)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(obj, name, &v) ||
	    json_object_is_type(v, json_type_null)) {
		if (!required)
			return 0;
		return fail(err, -EINVAL, "%s: missing", name);
	}
	if (!json_object_is_type(v, json_type_string))
		return fail(err, -EINVAL, "%s: not a string", name);
	/* "a\u0000b" would be read as "a" */
	if (strlen(json_object_get_string(v)) !=
	    (size_t)json_object_get_string_len(v))
		return fail(err, -EINVAL, "%s: holds a NUL", name);
	*out = json_object_get_string(v);
	return 0;
}

int req_device_id(const char *hex, const char *field,
		  uint8_t id[HROT_DEVICE_NAME_SIZE], struct req_error *err)
{
	if (!hex || hrot_hex_decode(hex, id, HROT_DEVICE_NAME_SIZE))
		return fail(err, -EINVAL, "%s: want %d hex digits (an AK name)",
			    field, 2 * HROT_DEVICE_NAME_SIZE);
	return 0;
}

/* The required "device" member of @body. */
static int body_device(struct json_object *body,
		       uint8_t id[HROT_DEVICE_NAME_SIZE], struct req_error *err)
{
	const char *hex;
	int ret = req_string(body, "device", true, &hex, err);

	return ret ? ret : req_device_id(hex, "device", id, err);
}

/* ---- challenge ---- */

int req_challenge_parse(const char *json, size_t len,
			struct req_challenge *out, struct req_error *err)
{
	struct json_object *body = req_body_object(json, len, err);
	int ret;

	memset(out, 0, sizeof(*out));
	if (!body)
		return -EINVAL;
	ret = body_device(body, out->device, err);
	json_object_put(body);
	return ret;
}

/* ---- activate ---- */

/*
 * Step 2's fields.  Presence and type of all three first, then the
 * decoding: a client sees the same first error as before the parsers
 * moved here.
 */
static int activate_step2(struct json_object *body, struct req_activate *out,
			  struct req_error *err)
{
	const char *aid, *secret, *csr, *instance;

	if (req_string(body, "activation_id", true, &aid, err) ||
	    req_string(body, "secret", true, &secret, err) ||
	    req_string(body, "csr", false, &csr, err) ||
	    req_string(body, "instance", false, &instance, err))
		return -EINVAL;
	if (hrot_b64_decode_exact(aid, out->activation_id,
				  sizeof(out->activation_id)))
		return fail(err, -EINVAL,
			    "activation_id: want base64 of %d bytes",
			    HROT_ACTIVATION_ID_SIZE);
	if (hrot_b64_decode_exact(secret, out->secret, sizeof(out->secret)))
		return fail(err, -EINVAL, "secret: want base64 of %d bytes",
			    HROT_SECRET_SIZE);
	out->has_instance = instance != NULL;
	if (instance && hrot_hex_decode(instance, out->instance,
					sizeof(out->instance)))
		return fail(err, -EINVAL, "instance: want %d hex digits",
			    2 * HROT_INSTANCE_ID_SIZE);
	if (csr) {
		out->csr = strdup(csr);
		if (!out->csr)
			return out_of_memory(err);
	}
	return 0;
}

int req_activate_parse(const char *json, size_t len, struct req_activate *out,
		       struct req_error *err)
{
	struct json_object *body = req_body_object(json, len, err);
	int ret;

	memset(out, 0, sizeof(*out));
	if (!body)
		return -EINVAL;
	ret = body_device(body, out->device, err);
	if (!ret) {
		/* any "activation_id", even null, makes it step 2 */
		out->step2 = json_object_object_get_ex(body, "activation_id",
						       NULL);
		if (out->step2)
			ret = activate_step2(body, out, err);
	}
	json_object_put(body);
	if (ret)
		req_activate_free(out);
	return ret;
}

void req_activate_free(struct req_activate *a)
{
	free(a->csr);
	a->csr = NULL;
	OPENSSL_cleanse(a->secret, sizeof(a->secret));
}

/* ---- admin: instances ---- */

int req_instance_create_parse(const char *json, size_t len,
			      struct req_error *err)
{
	struct json_object *body;

	if (!len)
		return 0;
	body = req_body_object(json, len, err);
	if (!body)
		return -EINVAL;
	json_object_put(body);
	return 0;
}

/* ---- admin: device actions ---- */

static const char *const device_action_names[] = {
	[REQ_APPROVE] = "approve",
	[REQ_REVOKE] = "revoke",
	[REQ_FINGERPRINT] = "fingerprint",
	[REQ_BIND] = "policy",
	[REQ_FLOORS_RESET] = "floors-reset",
};

#define NR_DEVICE_ACTIONS \
	(sizeof(device_action_names) / sizeof(device_action_names[0]))

const char *req_device_action_name(enum req_device_action action)
{
	return (size_t)action < NR_DEVICE_ACTIONS ?
		device_action_names[action] : "?";
}

int req_device_action_path(const char *tail, uint8_t id[HROT_DEVICE_NAME_SIZE],
			   enum req_device_action *action,
			   struct req_error *err)
{
	const char *slash = strchr(tail, '/');
	char hex[2 * HROT_DEVICE_NAME_SIZE + 1];
	size_t i;

	if (!slash || (size_t)(slash - tail) != sizeof(hex) - 1)
		return -ENOENT;
	for (i = 0; i < NR_DEVICE_ACTIONS; i++)
		if (strcmp(slash + 1, device_action_names[i]) == 0)
			break;
	if (i == NR_DEVICE_ACTIONS)
		return -ENOENT;
	*action = (enum req_device_action)i;
	memcpy(hex, tail, sizeof(hex) - 1);
	hex[sizeof(hex) - 1] = '\0';
	return req_device_id(hex, "device in path", id, err);
}

/* "policy": a name, or NULL when absent and not @required. */
static int body_policy(struct json_object *body, bool required,
		       struct req_device_body *out, struct req_error *err)
{
	const char *name;

	if (req_string(body, "policy", required, &name, err))
		return -EINVAL;
	if (name) {
		out->policy = strdup(name);
		if (!out->policy)
			return out_of_memory(err);
	}
	return 0;
}

static int body_reason(struct json_object *body, struct req_device_body *out,
		       struct req_error *err)
{
	const char *reason;

	if (req_string(body, "reason", false, &reason, err))
		return -EINVAL;
	/* an over-long reason is kept, cut to what the store holds */
	snprintf(out->reason, sizeof(out->reason), "%s",
		 reason ? reason : REQ_REVOKE_DEFAULT);
	return 0;
}

static int body_fingerprint(struct json_object *body,
			    struct req_device_body *out, struct req_error *err)
{
	struct json_object *fp;
	char msg[HROT_EVIDENCE_ERR_SIZE];

	if (!json_object_object_get_ex(body, "fingerprint", &fp))
		return fail(err, -EINVAL, "fingerprint: missing");
	if (hrot_fingerprint_from_json(fp, &out->fp, msg, sizeof(msg)))
		return fail(err, -EINVAL, "%s", msg);
	return 0;
}

/* "component": a name, or "*" for every floor of the device. */
static int body_component(struct json_object *body,
			  struct req_device_body *out, struct req_error *err)
{
	const char *c;

	if (req_string(body, "component", true, &c, err) || !c)
		return -EINVAL;
	if (!*c || strlen(c) >= sizeof(out->component))
		return fail(err, -EINVAL, "component: want 1..%zu bytes, or \"*\"",
			    sizeof(out->component) - 1);
	if (strcmp(c, "*") != 0)
		memcpy(out->component, c, strlen(c) + 1);
	return 0;
}

static int device_body(enum req_device_action action, struct json_object *body,
		       struct req_device_body *out, struct req_error *err)
{
	switch (action) {
	case REQ_APPROVE:
		return body_policy(body, false, out, err);
	case REQ_REVOKE:
		return body_reason(body, out, err);
	case REQ_FINGERPRINT:
		return body_fingerprint(body, out, err);
	case REQ_BIND:
		return body_policy(body, true, out, err);
	case REQ_FLOORS_RESET:
		return body_component(body, out, err);
	}
	return fail(err, -EINVAL, "action: unknown");
}

int req_device_body_parse(enum req_device_action action, const char *json,
			  size_t len, struct req_device_body *out,
			  struct req_error *err)
{
	struct json_object *body;
	int ret;

	memset(out, 0, sizeof(*out));
	body = len ? req_body_object(json, len, err) : json_object_new_object();
	if (!body)
		return len ? -EINVAL : out_of_memory(err);
	ret = device_body(action, body, out, err);
	json_object_put(body);
	if (ret)
		req_device_body_free(out);
	return ret;
}

void req_device_body_free(struct req_device_body *b)
{
	free(b->policy);
	b->policy = NULL;
}

/* ---- admin: token revocation ---- */

int req_token_revoke_path(const char *tail, uint8_t id[HROT_TOKEN_ID_SIZE],
			  struct req_error *err)
{
	const char *slash = strchr(tail, '/');
	char hex[2 * HROT_TOKEN_ID_SIZE + 1];

	if (!slash || strcmp(slash, "/revoke") != 0 ||
	    (size_t)(slash - tail) != sizeof(hex) - 1)
		return -ENOENT;
	memcpy(hex, tail, sizeof(hex) - 1);
	hex[sizeof(hex) - 1] = '\0';
	if (hrot_hex_decode(hex, id, HROT_TOKEN_ID_SIZE))
		return fail(err, -EINVAL, "token id: want %d hex digits",
			    2 * HROT_TOKEN_ID_SIZE);
	return 0;
}

/* ---- admin: policies ---- */

/* String @field of @o into @dst (of @size, "" when absent). */
static int copy_name(struct json_object *o, const char *field, bool required,
		     char *dst, size_t size, struct req_error *err)
{
	const char *s;

	if (req_string(o, field, required, &s, err))
		return -EINVAL;
	if (s && strlen(s) >= size)
		return fail(err, -EINVAL, "%s: over %zu bytes", field,
			    size - 1);
	snprintf(dst, size, "%s", s ? s : "");
	return 0;
}

/* "component_key": true marks a program that may get component keys. */
static int entry_component_key(struct json_object *item,
			       struct store_policy_entry *e,
			       struct req_error *err)
{
	struct json_object *v;

	if (!json_object_object_get_ex(item, "component_key", &v))
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return fail(err, -EINVAL,
			    "entries: component_key: not a boolean");
	e->component_key = json_object_get_boolean(v);
	if (e->component_key && !strcmp(e->component, "*"))
		return fail(err, -EINVAL,
			    "entries: component_key: a program is named, not \"*\"");
	return 0;
}

static int policy_entry(struct json_object *item, struct store_policy_entry *e,
			struct req_error *err)
{
	const char *hex;

	if (!json_object_is_type(item, json_type_object))
		return fail(err, -EINVAL, "entries: an entry is not an object");
	if (copy_name(item, "component", true, e->component,
		      sizeof(e->component), err) ||
	    copy_name(item, "version", false, e->version, sizeof(e->version),
		      err) ||
	    req_string(item, "sha256_hex", true, &hex, err))
		return -EINVAL;
	if (hrot_hex_decode(hex, e->digest, sizeof(e->digest)))
		return fail(err, -EINVAL,
			    "entries: sha256_hex: want %d hex digits",
			    2 * (int)sizeof(e->digest));
	return entry_component_key(item, e, err);
}

static int policy_entries(struct json_object *body, struct store_policy *p,
			  struct req_error *err)
{
	struct json_object *arr;
	size_t i, n;

	if (!json_object_object_get_ex(body, "entries", &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return fail(err, -EINVAL, "entries: missing or not an array");
	n = json_object_array_length(arr);
	if (n > REQ_POLICY_MAX_ENTRIES)
		return fail(err, -EINVAL, "entries: over %d",
			    REQ_POLICY_MAX_ENTRIES);
	p->entries = calloc(n ? n : 1, sizeof(*p->entries));
	if (!p->entries)
		return out_of_memory(err);
	for (i = 0; i < n; i++) {
		if (policy_entry(json_object_array_get_idx(arr, i),
				 &p->entries[i], err))
			return -EINVAL;
		p->nr_entries++;
	}
	return 0;
}

static int policy_from_body(struct json_object *body, struct store_policy *p,
			    struct req_error *err)
{
	struct json_object *rp;

	if (copy_name(body, "name", true, p->name, sizeof(p->name), err) ||
	    copy_name(body, "version", true, p->version, sizeof(p->version),
		      err))
		return -EINVAL;
	if (!p->name[0])
		return fail(err, -EINVAL, "name: empty");
	p->require_physical = true;
	if (json_object_object_get_ex(body, "require_physical", &rp)) {
		if (!json_object_is_type(rp, json_type_boolean))
			return fail(err, -EINVAL,
				    "require_physical: not a boolean");
		p->require_physical = json_object_get_boolean(rp);
	}
	return policy_entries(body, p, err);
}

int req_policy_parse(const char *json, size_t len, struct store_policy *p,
		     struct req_error *err)
{
	struct json_object *body = req_body_object(json, len, err);
	int ret;

	memset(p, 0, sizeof(*p));
	if (!body)
		return -EINVAL;
	ret = policy_from_body(body, p, err);
	json_object_put(body);
	if (ret)
		req_policy_free(p);
	return ret;
}

int req_prune_parse(const char *json, size_t len, int64_t *days,
		    struct req_error *err)
{
	struct json_object *body = req_body_object(json, len, err), *v;
	int ret = 0;

	if (!body)
		return -EINVAL;
	if (!json_object_object_get_ex(body, "older_than_days", &v))
		ret = fail(err, -EINVAL, "older_than_days: missing");
	else if (!json_object_is_type(v, json_type_int) ||
		 json_object_get_int64(v) < 0 ||
		 json_object_get_int64(v) > REQ_PRUNE_MAX_DAYS)
		ret = fail(err, -EINVAL, "older_than_days: want 0..%d",
			   REQ_PRUNE_MAX_DAYS);
	else
		*days = json_object_get_int64(v);
	json_object_put(body);
	return ret;
}

int req_policy_keep_previous(const char *json, size_t len, bool *out,
			     struct req_error *err)
{
	struct json_object *body = req_body_object(json, len, err), *v;
	int ret = 0;

	*out = false;
	if (!body)
		return -EINVAL;
	if (json_object_object_get_ex(body, "keep_previous", &v)) {
		if (json_object_is_type(v, json_type_boolean))
			*out = json_object_get_boolean(v);
		else
			ret = fail(err, -EINVAL, "keep_previous: not a boolean");
	}
	json_object_put(body);
	return ret;
}

void req_policy_free(struct store_policy *p)
{
	free(p->entries);
	memset(p, 0, sizeof(*p));
}

/* ---- admin: audit query ---- */

static int query_number(const char *s, const char *name, long long min,
			long long max, long long *out, struct req_error *err)
{
	char *end;

	if (!s)
		return 0;
	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno || end == s || *end || *out < min || *out > max)
		return fail(err, -EINVAL, "%s: want a number in %lld..%lld",
			    name, min, max);
	return 0;
}

int req_audit_parse(const char *since, const char *limit, const char *device,
		    struct req_audit *out, struct req_error *err)
{
	long long s = 0, l = REQ_AUDIT_DEFAULT;

	memset(out, 0, sizeof(*out));
	if (query_number(since, "since", 0, INT64_MAX, &s, err) ||
	    query_number(limit, "limit", 1, REQ_AUDIT_MAX, &l, err))
		return -EINVAL;
	if (device && req_device_id(device, "device", out->device, err))
		return -EINVAL;
	out->since = (int64_t)s;
	out->limit = (size_t)l;
	out->has_device = device != NULL;
	return 0;
}
