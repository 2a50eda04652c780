// SPDX-License-Identifier: GPL-2.0
/*
 * api_admin.c - the operator API (/v1/admin/..., /metrics).  The router lets
 * only OU=operator connections in.  Reads use the worker's connection;
 * every change is one commit job with its audit record, answered after
 * the commit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <json-c/json.h>

#include <hrot/evidence.h>
#include <hrot/hex.h>

#include "api.h"
#include "log.h"
#include "metrics.h"

#define ADMIN_AUDIT_DEFAULT	100
#define ADMIN_AUDIT_MAX		1000
#define ADMIN_POLICY_MAX_ENTRIES	65536

enum admin_action {
	ADMIN_APPROVE,
	ADMIN_REVOKE,
	ADMIN_FINGERPRINT,
	ADMIN_BIND,
	ADMIN_TOKEN_REVOKE,
	ADMIN_POLICY_CREATE,
};

static const char *const action_names[] = {
	[ADMIN_APPROVE] = "approve",
	[ADMIN_REVOKE] = "revoke",
	[ADMIN_FINGERPRINT] = "fingerprint",
	[ADMIN_BIND] = "policy",
	[ADMIN_TOKEN_REVOKE] = "token_revoke",
	[ADMIN_POLICY_CREATE] = "policy_create",
};

struct admin_job {
	struct api_job base;
	enum admin_action action;
	uint8_t id[HROT_DEVICE_NAME_SIZE];	/* device */
	uint8_t token_id[HROT_TOKEN_ID_SIZE];
	int64_t policy_id;			/* 0: leave as is */
	char policy_name[STORE_NAME_MAX];
	char reason[STORE_DETAIL_MAX];
	struct hrot_fingerprint fp;
	struct store_policy policy;		/* ADMIN_POLICY_CREATE */
	enum store_device_state state;		/* after the job */
};

/* ---- jobs ---- */

static void admin_audit(struct admin_job *aj, const char *detail,
			struct store_audit *a)
{
	api_audit_init(a, aj->action == ADMIN_TOKEN_REVOKE ||
			  aj->action == ADMIN_POLICY_CREATE ? NULL : aj->id,
		       action_names[aj->action], true, NULL, detail);
}

static int device_change(struct store_tx *tx, struct admin_job *aj)
{
	switch (aj->action) {
	case ADMIN_APPROVE:
		if (aj->state == STORE_DEV_REVOKED)
			return -EPERM;
		if (aj->state == STORE_DEV_PENDING)
			aj->state = STORE_DEV_APPROVED;
		return store_tx_device_set_state(tx, aj->id, aj->state, NULL);
	case ADMIN_REVOKE:
		aj->state = STORE_DEV_REVOKED;
		return store_tx_device_set_state(tx, aj->id, aj->state,
						 aj->reason);
	case ADMIN_FINGERPRINT:
		return store_tx_device_set_fingerprint(tx, aj->id, &aj->fp);
	default:
		return 0;
	}
}

static int device_job(struct store_tx *tx, struct admin_job *aj)
{
	struct store_device d;
	struct store_audit a;
	char detail[STORE_DETAIL_MAX];
	int ret;

	memset(&d, 0, sizeof(d));
	ret = store_tx_device_get(tx, aj->id, &d);
	if (ret)
		return ret;
	aj->state = d.state;
	store_device_free(&d);
	ret = device_change(tx, aj);
	if (!ret && aj->policy_id)
		ret = store_tx_device_set_policy(tx, aj->id, aj->policy_id);
	if (ret)
		return ret;
	snprintf(detail, sizeof(detail), "%s%.127s%.300s",
		 aj->policy_id ? "policy " : "",
		 aj->policy_id ? aj->policy_name : "", aj->reason);
	admin_audit(aj, detail, &a);
	return store_tx_audit(tx, &a);
}

static int admin_run(struct store_tx *tx, struct api_job *j)
{
	struct admin_job *aj = (struct admin_job *)j;
	struct store_audit a;
	char detail[STORE_DETAIL_MAX];
	int ret;

	if (aj->action == ADMIN_TOKEN_REVOKE) {
		ret = store_tx_token_revoke(tx, aj->token_id);
		api_hex(aj->token_id, sizeof(aj->token_id), detail,
			sizeof(detail));
	} else if (aj->action == ADMIN_POLICY_CREATE) {
		ret = store_tx_policy_insert(tx, &aj->policy, &aj->policy_id);
		snprintf(detail, sizeof(detail), "%s version %s",
			 aj->policy.name, aj->policy.version);
	} else {
		return device_job(tx, aj);
	}
	if (ret)
		return ret;
	admin_audit(aj, detail, &a);
	return store_tx_audit(tx, &a);
}

static struct json_object *admin_result(const struct admin_job *aj)
{
	struct json_object *o = json_object_new_object();
	bool ok = o != NULL;

	if (aj->action == ADMIN_TOKEN_REVOKE) {
		ok = ok && api_add_hex(o, "token", aj->token_id,
				       sizeof(aj->token_id)) &&
		     api_add_string(o, "state", "revoked");
	} else if (aj->action == ADMIN_POLICY_CREATE) {
		ok = ok && api_add_string(o, "name", aj->policy.name) &&
		     api_add_string(o, "version", aj->policy.version) &&
		     api_add_int(o, "id", aj->policy_id);
	} else {
		ok = ok && api_add_hex(o, "device", aj->id, sizeof(aj->id)) &&
		     api_add_string(o, "state",
				    store_device_state_name(aj->state));
	}
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static void admin_reply(struct http_request *r, struct api_job *j)
{
	struct admin_job *aj = (struct admin_job *)j;
	struct json_object *o;

	if (j->result == -ENOENT) {
		http_reply_error(r, 404, "not_found", "no such %s",
				 aj->action == ADMIN_TOKEN_REVOKE ? "token" :
				 "device");
	} else if (j->result == -EPERM) {
		http_reply_error(r, 409, "device_revoked",
				 "a revoked device cannot be approved");
	} else if (j->result == -EEXIST) {
		http_reply_error(r, 409, "bad_request",
				 "policy %s version %s exists", aj->policy.name,
				 aj->policy.version);
	} else if (j->result) {
		http_reply_error(r, 500, "internal", "store write failed");
	} else {
		o = admin_result(aj);
		log_info("admin: %s done", action_names[aj->action]);
		if (o)
			http_reply_json(r, aj->action == ADMIN_POLICY_CREATE ?
					201 : 200, o);
		else
			http_reply_error(r, 500, "internal", "out of memory");
	}
}

static void admin_release(struct api_job *j)
{
	struct admin_job *aj = (struct admin_job *)j;

	store_policy_free(&aj->policy);
	free(aj);
}

static struct admin_job *admin_job_new(struct http_request *r,
				       enum admin_action action)
{
	struct admin_job *aj = calloc(1, sizeof(*aj));

	if (!aj) {
		http_reply_error(r, 500, "internal", "out of memory");
		return NULL;
	}
	aj->action = action;
	aj->base.run = admin_run;
	aj->base.reply = admin_reply;
	aj->base.release = admin_release;
	return aj;
}

/* ---- POST /v1/admin/devices/HEX/ACTION ---- */

/* "policy": NAME → its newest version's id: 0, or -1 after answering. */
static int named_policy(struct http_request *r, struct json_object *body,
			bool required, struct admin_job *aj)
{
	struct store_policy p;
	const char *name;
	bool answered;
	int ret;

	name = api_string(r, body, "policy", required, &answered);
	if (!name)
		return answered ? -1 : 0;
	memset(&p, 0, sizeof(p));
	ret = store_policy_find(api_reader(r), name, &p);
	if (ret == -ENOENT) {
		http_reply_error(r, 404, "not_found", "no policy named '%s'",
				 name);
		return -1;
	}
	if (ret) {
		http_reply_error(r, 500, "internal", "store read failed");
		return -1;
	}
	aj->policy_id = p.id;
	snprintf(aj->policy_name, sizeof(aj->policy_name), "%s", p.name);
	store_policy_free(&p);
	return 0;
}

static int revoke_reason(struct http_request *r, struct json_object *body,
			 struct admin_job *aj)
{
	const char *reason;
	bool answered;

	reason = api_string(r, body, "reason", false, &answered);
	if (answered)
		return -1;
	snprintf(aj->reason, sizeof(aj->reason), "%s",
		 reason ? reason : "revoked by an operator");
	return 0;
}

static int new_fingerprint(struct http_request *r, struct json_object *body,
			   struct admin_job *aj)
{
	struct json_object *fp;
	char err[HROT_EVIDENCE_ERR_SIZE];

	if (!json_object_object_get_ex(body, "fingerprint", &fp)) {
		http_reply_error(r, 400, "bad_request", "fingerprint: missing");
		return -1;
	}
	if (hrot_fingerprint_from_json(fp, &aj->fp, err, sizeof(err))) {
		http_reply_error(r, 400, "bad_request", "%s", err);
		return -1;
	}
	return 0;
}

static int action_of(const char *name, enum admin_action *out)
{
	static const enum admin_action device_actions[] = {
		ADMIN_APPROVE, ADMIN_REVOKE, ADMIN_FINGERPRINT, ADMIN_BIND,
	};
	size_t i;

	for (i = 0; i < sizeof(device_actions) / sizeof(device_actions[0]); i++) {
		if (strcmp(name, action_names[device_actions[i]]) == 0) {
			*out = device_actions[i];
			return 0;
		}
	}
	return -1;
}

static int device_action_body(struct http_request *r, struct json_object *body,
			      struct admin_job *aj)
{
	switch (aj->action) {
	case ADMIN_APPROVE:
		return named_policy(r, body, false, aj);
	case ADMIN_REVOKE:
		return revoke_reason(r, body, aj);
	case ADMIN_FINGERPRINT:
		return new_fingerprint(r, body, aj);
	default:
		return named_policy(r, body, true, aj);
	}
}

/* "HEX/ACTION" of the path: 0, or -1 after answering. */
static int split_tail(struct http_request *r, uint8_t *id,
		      enum admin_action *action)
{
	const char *slash = strchr(r->tail, '/');
	char hex[2 * HROT_DEVICE_NAME_SIZE + 1];
	size_t len = slash ? (size_t)(slash - r->tail) : 0;

	if (!slash || len != (size_t)2 * HROT_DEVICE_NAME_SIZE ||
	    action_of(slash + 1, action)) {
		http_reply_error(r, 404, "not_found", "no endpoint %s", r->path);
		return -1;
	}
	memcpy(hex, r->tail, len);
	hex[len] = '\0';
	return api_device_id(r, hex, "device in path", id);
}

void api_admin_device_post(struct http_request *r)
{
	enum admin_action action;
	struct json_object *body;
	struct admin_job *aj;
	uint8_t id[HROT_DEVICE_NAME_SIZE];

	if (split_tail(r, id, &action))
		return;
	/* an empty body is an empty object here */
	body = r->body_len ? api_body_object(r) : json_object_new_object();
	if (!body)
		return;
	aj = admin_job_new(r, action);
	if (aj) {
		memcpy(aj->id, id, sizeof(id));
		if (device_action_body(r, body, aj))
			admin_release(&aj->base);
		else
			api_submit(r, &aj->base);
	}
	json_object_put(body);
}

/* ---- POST /v1/admin/tokens/HEX/revoke ---- */

void api_admin_token_post(struct http_request *r)
{
	const char *slash = strchr(r->tail, '/');
	char hex[2 * HROT_TOKEN_ID_SIZE + 1];
	struct admin_job *aj;

	if (!slash || strcmp(slash, "/revoke") != 0 ||
	    (size_t)(slash - r->tail) != (size_t)2 * HROT_TOKEN_ID_SIZE) {
		http_reply_error(r, 404, "not_found", "no endpoint %s", r->path);
		return;
	}
	memcpy(hex, r->tail, sizeof(hex) - 1);
	hex[sizeof(hex) - 1] = '\0';
	aj = admin_job_new(r, ADMIN_TOKEN_REVOKE);
	if (!aj)
		return;
	if (hrot_hex_decode(hex, aj->token_id, sizeof(aj->token_id))) {
		http_reply_error(r, 400, "bad_request",
				 "token id: want %d hex digits",
				 2 * HROT_TOKEN_ID_SIZE);
		admin_release(&aj->base);
		return;
	}
	api_submit(r, &aj->base);
}

/* ---- policies ---- */

static int copy_name(struct http_request *r, struct json_object *o,
		     const char *field, bool required, char *dst, size_t size)
{
	bool answered;
	const char *s = api_string(r, o, field, required, &answered);

	if (answered)
		return -1;
	if (s && strlen(s) >= size) {
		http_reply_error(r, 400, "bad_request", "%s: over %zu bytes",
				 field, size - 1);
		return -1;
	}
	snprintf(dst, size, "%s", s ? s : "");
	return 0;
}

static int policy_entry(struct http_request *r, struct json_object *item,
			struct store_policy_entry *e)
{
	const char *hex;
	bool answered;

	if (!json_object_is_type(item, json_type_object)) {
		http_reply_error(r, 400, "bad_request",
				 "entries: an entry is not an object");
		return -1;
	}
	if (copy_name(r, item, "component", true, e->component,
		      sizeof(e->component)) ||
	    copy_name(r, item, "version", false, e->version,
		      sizeof(e->version)))
		return -1;
	hex = api_string(r, item, "sha256_hex", true, &answered);
	if (!hex)
		return -1;
	if (hrot_hex_decode(hex, e->digest, sizeof(e->digest))) {
		http_reply_error(r, 400, "bad_request",
				 "entries: sha256_hex: want 64 hex digits");
		return -1;
	}
	return 0;
}

static int policy_entries(struct http_request *r, struct json_object *body,
			  struct store_policy *p)
{
	struct json_object *arr;
	size_t i, n;

	if (!json_object_object_get_ex(body, "entries", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		http_reply_error(r, 400, "bad_request",
				 "entries: missing or not an array");
		return -1;
	}
	n = json_object_array_length(arr);
	if (n > ADMIN_POLICY_MAX_ENTRIES) {
		http_reply_error(r, 400, "bad_request",
				 "entries: over %d", ADMIN_POLICY_MAX_ENTRIES);
		return -1;
	}
	p->entries = calloc(n ? n : 1, sizeof(*p->entries));
	if (!p->entries) {
		http_reply_error(r, 500, "internal", "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (policy_entry(r, json_object_array_get_idx(arr, i),
				 &p->entries[i]))
			return -1;
		p->nr_entries++;
	}
	return 0;
}

static int policy_from_body(struct http_request *r, struct json_object *body,
			    struct store_policy *p)
{
	struct json_object *rp;

	if (copy_name(r, body, "name", true, p->name, sizeof(p->name)) ||
	    copy_name(r, body, "version", true, p->version,
		      sizeof(p->version)))
		return -1;
	if (!p->name[0]) {
		http_reply_error(r, 400, "bad_request", "name: empty");
		return -1;
	}
	p->require_physical = true;
	if (json_object_object_get_ex(body, "require_physical", &rp)) {
		if (!json_object_is_type(rp, json_type_boolean)) {
			http_reply_error(r, 400, "bad_request",
					 "require_physical: not a boolean");
			return -1;
		}
		p->require_physical = json_object_get_boolean(rp);
	}
	p->created_at = api_now();
	return policy_entries(r, body, p);
}

void api_admin_policies_post(struct http_request *r)
{
	struct json_object *body = api_body_object(r);
	struct admin_job *aj;

	if (!body)
		return;
	aj = admin_job_new(r, ADMIN_POLICY_CREATE);
	if (aj) {
		if (policy_from_body(r, body, &aj->policy))
			admin_release(&aj->base);
		else
			api_submit(r, &aj->base);
	}
	json_object_put(body);
}

static struct json_object *policy_object(const struct store_policy *p)
{
	struct json_object *o = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	size_t i;

	if (!o || !arr || !api_add_string(o, "name", p->name) ||
	    !api_add_string(o, "version", p->version) ||
	    !api_add_int(o, "id", p->id) ||
	    json_object_object_add(o, "require_physical",
				   json_object_new_boolean(p->require_physical)))
		goto fail;
	for (i = 0; i < p->nr_entries; i++) {
		struct json_object *e = json_object_new_object();

		if (!e || json_object_array_add(arr, e)) {
			json_object_put(e);
			goto fail;
		}
		if (!api_add_string(e, "component", p->entries[i].component) ||
		    !api_add_string(e, "version", p->entries[i].version) ||
		    !api_add_hex(e, "sha256_hex", p->entries[i].digest,
				 sizeof(p->entries[i].digest)))
			goto fail;
	}
	if (json_object_object_add(o, "entries", arr))
		goto fail;
	return o;
fail:
	json_object_put(arr);
	json_object_put(o);
	return NULL;
}

/* Reply {"@key": [...]} with the objects of @n items made by @make. */
static void reply_list(struct http_request *r, const char *key,
		       const void *items, size_t n, size_t item_size,
		       struct json_object *(*make)(const void *item, void *arg),
		       void *arg)
{
	struct json_object *o = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	size_t i;

	if (!o || !arr)
		goto fail;
	for (i = 0; i < n; i++) {
		struct json_object *e = make((const char *)items + i * item_size,
					     arg);

		if (!e || json_object_array_add(arr, e)) {
			json_object_put(e);
			goto fail;
		}
	}
	if (json_object_object_add(o, key, arr))
		goto fail;
	http_reply_json(r, 200, o);
	return;
fail:
	json_object_put(arr);
	json_object_put(o);
	http_reply_error(r, 500, "internal", "out of memory");
}

static struct json_object *make_policy(const void *item, void *arg)
{
	(void)arg;
	return policy_object(item);
}

void api_admin_policies_get(struct http_request *r)
{
	struct store_policy *p = NULL;
	size_t n = 0;

	if (store_policy_list(api_reader(r), &p, &n)) {
		http_reply_error(r, 500, "internal", "store read failed");
		return;
	}
	reply_list(r, "policies", p, n, sizeof(*p), make_policy, NULL);
	store_policies_free(p, n);
}

/* ---- devices ---- */

static bool add_policy_name(struct json_object *o, struct store_reader *rd,
			    int64_t policy_id)
{
	struct store_policy p;
	bool ok;

	if (!policy_id)
		return !json_object_object_add(o, "policy", NULL);
	memset(&p, 0, sizeof(p));
	if (store_policy_get(rd, policy_id, &p))
		return !json_object_object_add(o, "policy", NULL);
	ok = api_add_string(o, "policy", p.name) &&
	     api_add_string(o, "policy_version", p.version);
	store_policy_free(&p);
	return ok;
}

static struct json_object *device_summary(const void *item, void *arg)
{
	const struct store_device *d = item;
	struct json_object *o = json_object_new_object();
	const char *verdict = !d->last_seen ? "" : d->last_pass ? "pass" : "fail";

	if (o && api_add_hex(o, "device", d->id, sizeof(d->id)) &&
	    api_add_string(o, "state", store_device_state_name(d->state)) &&
	    api_add_int(o, "registered_at", d->registered_at) &&
	    api_add_int(o, "last_seen", d->last_seen) &&
	    api_add_string(o, "last_verdict", verdict) &&
	    api_add_string(o, "last_reason", d->last_reason) &&
	    add_policy_name(o, arg, d->policy_id))
		return o;
	json_object_put(o);
	return NULL;
}

void api_admin_devices(struct http_request *r)
{
	struct store_device *d = NULL;
	size_t n = 0;

	if (store_device_list(api_reader(r), &d, &n)) {
		http_reply_error(r, 500, "internal", "store read failed");
		return;
	}
	reply_list(r, "devices", d, n, sizeof(*d), device_summary,
		   api_reader(r));
	store_devices_free(d, n);
}

static bool add_details(struct json_object *o, const struct store_device *d)
{
	struct json_object *fp = hrot_fingerprint_to_json(&d->fingerprint);
	struct json_object *meta = d->meta_json ? json_tokener_parse(d->meta_json)
						: json_object_new_object();

	if (!fp || json_object_object_add(o, "fingerprint", fp)) {
		json_object_put(fp);
		json_object_put(meta);
		return false;
	}
	if (!meta || json_object_object_add(o, "metadata", meta)) {
		json_object_put(meta);
		return false;
	}
	return (!d->enrolled ||
		(api_add_hex(o, "instance_hex", d->instance,
			     sizeof(d->instance)) &&
		 api_add_int(o, "created_at", d->created_at))) &&
	       api_add_int(o, "reset_count", d->has_counters ? d->reset_count : 0) &&
	       api_add_int(o, "restart_count",
			   d->has_counters ? d->restart_count : 0) &&
	       api_add_string(o, "revoke_reason", d->revoke_reason) &&
	       api_add_b64(o, "ek_public", d->ek_public, d->ek_public_len) &&
	       api_add_b64(o, "ak_public", d->ak_public, d->ak_public_len);
}

void api_admin_device_get(struct http_request *r)
{
	uint8_t id[HROT_DEVICE_NAME_SIZE];
	struct json_object *o;
	struct store_device d;
	int ret;

	if (strchr(r->tail, '/') || api_device_id(r, r->tail, "device in path", id))
		return;
	memset(&d, 0, sizeof(d));
	ret = store_device_get(api_reader(r), id, &d);
	if (ret == -ENOENT) {
		http_reply_error(r, 404, "not_found", "no device %s", r->tail);
		return;
	}
	if (ret) {
		http_reply_error(r, 500, "internal", "store read failed");
		return;
	}
	o = device_summary(&d, api_reader(r));
	if (o && add_details(o, &d))
		http_reply_json(r, 200, o);
	else {
		json_object_put(o);
		http_reply_error(r, 500, "internal", "out of memory");
	}
	store_device_free(&d);
}

/* ---- audit ---- */

static struct json_object *audit_object(const void *item, void *arg)
{
	const struct store_audit *a = item;
	static const uint8_t zero[HROT_DEVICE_NAME_SIZE];
	struct json_object *o = json_object_new_object();

	(void)arg;
	if (o && api_add_int(o, "id", a->id) && api_add_int(o, "time", a->time) &&
	    (memcmp(a->device, zero, sizeof(zero)) ?
		     api_add_hex(o, "device", a->device, sizeof(a->device)) :
		     !json_object_object_add(o, "device", NULL)) &&
	    api_add_string(o, "action", a->action) &&
	    api_add_string(o, "result", a->ok ? "ok" : "fail") &&
	    api_add_string(o, "reason", a->reason) &&
	    api_add_string(o, "detail", a->detail))
		return o;
	json_object_put(o);
	return NULL;
}

static int query_number(struct http_request *r, const char *name,
			long long min, long long max, long long *out)
{
	const char *s = http_query(r, name);
	char *end;

	if (!s)
		return 0;
	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno || end == s || *end || *out < min || *out > max) {
		http_reply_error(r, 400, "bad_request",
				 "%s: want a number in %lld..%lld", name, min,
				 max);
		return -1;
	}
	return 0;
}

void api_admin_audit(struct http_request *r)
{
	long long since = 0, limit = ADMIN_AUDIT_DEFAULT;
	uint8_t id[HROT_DEVICE_NAME_SIZE];
	const char *dev = http_query(r, "device");
	struct store_audit *a = NULL;
	size_t n = 0;

	if (query_number(r, "since", 0, INT64_MAX, &since) ||
	    query_number(r, "limit", 1, ADMIN_AUDIT_MAX, &limit))
		return;
	if (dev && api_device_id(r, dev, "device", id))
		return;
	if (store_audit_list(api_reader(r), since, dev ? id : NULL,
			     (size_t)limit, &a, &n)) {
		http_reply_error(r, 500, "internal", "store read failed");
		return;
	}
	reply_list(r, "records", a, n, sizeof(*a), audit_object, NULL);
	free(a);
}

/* ---- metrics ---- */

void api_metrics(struct http_request *r)
{
	struct verifierd *v = api_app(r);
	struct evbuffer *buf = evbuffer_new();

	if (!buf || metrics_render(buf, v->committer, v->nonces)) {
		if (buf)
			evbuffer_free(buf);
		http_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	http_reply_text(r, 200, "text/plain; version=0.0.4", buf);
	evbuffer_free(buf);
}
