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

#include "api.h"
#include "log.h"
#include "metrics.h"
#include "request.h"

enum admin_action {
	ADMIN_APPROVE,
	ADMIN_REVOKE,
	ADMIN_FINGERPRINT,
	ADMIN_BIND,
	ADMIN_TOKEN_REVOKE,
	ADMIN_POLICY_CREATE,
	ADMIN_FLOORS_RESET,
	ADMIN_PRUNE,
};

static const char *const action_names[] = {
	[ADMIN_APPROVE] = "approve",
	[ADMIN_REVOKE] = "revoke",
	[ADMIN_FINGERPRINT] = "fingerprint",
	[ADMIN_BIND] = "policy",
	[ADMIN_TOKEN_REVOKE] = "token_revoke",
	[ADMIN_POLICY_CREATE] = "policy_create",
	[ADMIN_FLOORS_RESET] = "floors_reset",
	[ADMIN_PRUNE] = "prune",
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
	char component[STORE_NAME_MAX];		/* floors: "" for all */
	int removed;				/* floors reset; tokens pruned */
	int removed_audit;			/* audit records pruned */
	int64_t days;				/* prune: older than */
	enum store_device_state state;		/* after the job */
};

/* ---- jobs ---- */

static void admin_audit(struct admin_job *aj, const char *detail,
			struct store_audit *a)
{
	api_audit_init(a, aj->action == ADMIN_TOKEN_REVOKE ||
			  aj->action == ADMIN_POLICY_CREATE ||
			  aj->action == ADMIN_PRUNE ? NULL : aj->id,
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
	case ADMIN_FLOORS_RESET:
		/* a downgrade an operator means: the next pass sets them */
		snprintf(aj->reason, sizeof(aj->reason), "floors of %.200s",
			 aj->component[0] ? aj->component : "every component");
		return store_tx_floors_reset(tx, aj->id,
					     aj->component[0] ? aj->component :
					     NULL, &aj->removed);
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
	} else if (aj->action == ADMIN_PRUNE) {
		ret = store_tx_prune(tx, api_now() - aj->days * 86400,
				     &aj->removed, &aj->removed_audit);
		snprintf(detail, sizeof(detail),
			 "older than %lld days: %d tokens, %d runtime audit records",
			 (long long)aj->days, aj->removed, aj->removed_audit);
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
	} else if (aj->action == ADMIN_PRUNE) {
		ok = ok && api_add_int(o, "tokens_removed", aj->removed) &&
		     api_add_int(o, "audit_removed", aj->removed_audit);
	} else if (aj->action == ADMIN_POLICY_CREATE) {
		ok = ok && api_add_string(o, "name", aj->policy.name) &&
		     api_add_string(o, "version", aj->policy.version) &&
		     api_add_int(o, "id", aj->policy_id);
	} else {
		ok = ok && api_add_hex(o, "device", aj->id, sizeof(aj->id)) &&
		     api_add_string(o, "state",
				    store_device_state_name(aj->state)) &&
		     (aj->action != ADMIN_FLOORS_RESET ||
		      api_add_int(o, "floors_removed", aj->removed));
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
static int named_policy(struct http_request *r, const char *name,
			struct admin_job *aj)
{
	struct store_policy p;
	int ret;

	if (!name)
		return 0;
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

static enum admin_action admin_action_of(enum req_device_action a)
{
	switch (a) {
	case REQ_APPROVE:
		return ADMIN_APPROVE;
	case REQ_REVOKE:
		return ADMIN_REVOKE;
	case REQ_FINGERPRINT:
		return ADMIN_FINGERPRINT;
	case REQ_FLOORS_RESET:
		return ADMIN_FLOORS_RESET;
	default:
		return ADMIN_BIND;
	}
}

/* The job of a parsed device action: 0, or -1 after answering. */
static int device_action_job(struct http_request *r,
			     const struct req_device_body *body,
			     struct admin_job *aj)
{
	switch (aj->action) {
	case ADMIN_REVOKE:
		snprintf(aj->reason, sizeof(aj->reason), "%s", body->reason);
		return 0;
	case ADMIN_FINGERPRINT:
		aj->fp = body->fp;
		return 0;
	case ADMIN_FLOORS_RESET:
		memcpy(aj->component, body->component, sizeof(aj->component));
		return 0;
	default:
		return named_policy(r, body->policy, aj);
	}
}

void api_admin_device_post(struct http_request *r)
{
	enum req_device_action action;
	struct req_device_body body;
	struct req_error err;
	struct admin_job *aj;
	uint8_t id[HROT_DEVICE_NAME_SIZE];
	int ret;

	ret = req_device_action_path(r->tail, id, &action, &err);
	if (!ret)
		ret = req_device_body_parse(action, r->body, r->body_len, &body,
					    &err);
	if (ret == -ENOENT) {
		http_reply_error(r, 404, "not_found", "no endpoint %s", r->path);
		return;
	}
	if (ret) {
		api_reply_req_error(r, &err);
		return;
	}
	aj = admin_job_new(r, admin_action_of(action));
	if (aj) {
		memcpy(aj->id, id, sizeof(id));
		if (device_action_job(r, &body, aj))
			admin_release(&aj->base);
		else
			api_submit(r, &aj->base);
	}
	req_device_body_free(&body);
}

/* ---- POST /v1/admin/prune ---- */

void api_admin_prune(struct http_request *r)
{
	struct req_error err;
	struct admin_job *aj;
	int64_t days;

	if (req_prune_parse(r->body, r->body_len, &days, &err)) {
		api_reply_req_error(r, &err);
		return;
	}
	aj = admin_job_new(r, ADMIN_PRUNE);
	if (!aj)
		return;
	aj->days = days;
	api_submit(r, &aj->base);
}

/* ---- POST /v1/admin/tokens/HEX/revoke ---- */

void api_admin_token_post(struct http_request *r)
{
	uint8_t token_id[HROT_TOKEN_ID_SIZE];
	struct req_error err;
	struct admin_job *aj;
	int ret;

	ret = req_token_revoke_path(r->tail, token_id, &err);
	if (ret == -ENOENT) {
		http_reply_error(r, 404, "not_found", "no endpoint %s", r->path);
		return;
	}
	if (ret) {
		api_reply_req_error(r, &err);
		return;
	}
	aj = admin_job_new(r, ADMIN_TOKEN_REVOKE);
	if (!aj)
		return;
	memcpy(aj->token_id, token_id, sizeof(token_id));
	api_submit(r, &aj->base);
}

/* ---- policies ---- */

static int entry_cmp(const void *a, const void *b)
{
	const struct store_policy_entry *x = a, *y = b;
	int c = strcmp(x->component, y->component);

	/*
	 * Not the component_key mark: the new version's entry for a file,
	 * marked or not, is the one that counts (an unmarking must hold).
	 */
	return c ? c : memcmp(x->digest, y->digest, sizeof(x->digest));
}

/*
 * keep_previous: the entries the newest earlier version has under its own
 * version (not what it kept in turn: a rollout allows the last version,
 * not every one before it) that the new one lacks.  0, or -1 after
 * answering.
 */
static int keep_previous(struct http_request *r, struct store_policy *p)
{
	struct store_policy_entry *all;
	struct store_policy prev;
	size_t i, n;
	int ret;

	memset(&prev, 0, sizeof(prev));
	ret = store_policy_find(api_reader(r), p->name, &prev);
	if (ret) {
		if (ret == -ENOENT)
			http_reply_error(r, 404, "not_found",
					 "keep_previous: no earlier version of policy '%s'",
					 p->name);
		else
			http_reply_error(r, 500, "internal", "store read failed");
		return -1;
	}
	all = realloc(p->entries, (p->nr_entries + prev.nr_entries + 1) *
				  sizeof(*all));
	if (!all) {
		store_policy_free(&prev);
		http_reply_error(r, 500, "internal", "out of memory");
		return -1;
	}
	p->entries = all;
	n = p->nr_entries;
	qsort(all, n, sizeof(*all), entry_cmp);
	for (i = 0; i < prev.nr_entries; i++) {
		const struct store_policy_entry *e = &prev.entries[i];

		if (!strcmp(e->version, prev.version) &&
		    !bsearch(e, all, n, sizeof(*all), entry_cmp))
			all[p->nr_entries++] = *e;
	}
	store_policy_free(&prev);
	if (p->nr_entries > REQ_POLICY_MAX_ENTRIES) {
		http_reply_error(r, 400, "bad_request",
				 "entries: %zu with the kept ones, more than %d",
				 p->nr_entries, REQ_POLICY_MAX_ENTRIES);
		return -1;
	}
	return 0;
}

void api_admin_policies_post(struct http_request *r)
{
	struct req_error err;
	struct admin_job *aj;
	bool keep = false;

	aj = admin_job_new(r, ADMIN_POLICY_CREATE);
	if (!aj)
		return;
	if (req_policy_parse(r->body, r->body_len, &aj->policy, &err) ||
	    req_policy_keep_previous(r->body, r->body_len, &keep, &err)) {
		admin_release(&aj->base);
		api_reply_req_error(r, &err);
		return;
	}
	if (keep && keep_previous(r, &aj->policy)) {
		admin_release(&aj->base);
		return;
	}
	aj->policy.created_at = api_now();
	api_submit(r, &aj->base);
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
				 sizeof(p->entries[i].digest)) ||
		    (p->entries[i].component_key &&
		     json_object_object_add(e, "component_key",
					    json_object_new_boolean(1))))
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

/* "floors": [{policy, component, version, sha256_hex, set_at}] (seed 004). */
static bool add_floors(struct json_object *o, struct store_reader *rd,
		       const uint8_t *id)
{
	struct json_object *arr = json_object_new_array();
	struct store_floor *f = NULL;
	size_t n = 0, i;
	bool ok = arr && !store_floors_get(rd, id, NULL, &f, &n);

	for (i = 0; ok && i < n; i++) {
		struct json_object *e = json_object_new_object();

		ok = e && api_add_string(e, "policy", f[i].policy) &&
		     api_add_string(e, "component", f[i].component) &&
		     api_add_string(e, "version", f[i].version) &&
		     api_add_hex(e, "sha256_hex", f[i].digest,
				 sizeof(f[i].digest)) &&
		     api_add_int(e, "set_at", f[i].set_at) &&
		     !json_object_array_add(arr, e);
		if (!ok)
			json_object_put(e);
	}
	free(f);
	if (ok && !json_object_object_add(o, "floors", arr))
		return true;
	json_object_put(arr);
	return false;
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
	if (o && add_details(o, &d) && add_floors(o, api_reader(r), id))
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

void api_admin_audit(struct http_request *r)
{
	struct store_audit *a = NULL;
	struct req_audit q;
	struct req_error err;
	size_t n = 0;

	if (req_audit_parse(http_query(r, "since"), http_query(r, "limit"),
			    http_query(r, "device"), &q, &err)) {
		api_reply_req_error(r, &err);
		return;
	}
	if (store_audit_list(api_reader(r), q.since,
			     q.has_device ? q.device : NULL, q.limit, &a, &n)) {
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
