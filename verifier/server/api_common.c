// SPDX-License-Identifier: GPL-2.0
/*
 * api_common.c - what every handler needs: answers to the request
 * parsers' errors (request.c), audit records, commit jobs that answer
 * parked requests.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include <hrot/evidence.h>
#include <hrot/hex.h>

#include "api.h"
#include "log.h"
#include "request.h"

int64_t api_now(void)
{
	return (int64_t)time(NULL);
}

void api_reply_req_error(struct http_request *r, const struct req_error *err)
{
	http_reply_error(r, err->status, err->reason, "%s", err->detail);
}

int api_device_id(struct http_request *r, const char *hex, const char *field,
		  uint8_t id[HROT_DEVICE_NAME_SIZE])
{
	struct req_error err;

	if (req_device_id(hex, field, id, &err)) {
		api_reply_req_error(r, &err);
		return -1;
	}
	return 0;
}

void api_hex(const void *buf, size_t len, char *out, size_t out_size)
{
	if (hrot_hex_encode(buf, len, out, out_size) && out_size)
		out[0] = '\0';
}

bool api_add_string(struct json_object *o, const char *name, const char *v)
{
	struct json_object *s = json_object_new_string(v ? v : "");

	if (!s || json_object_object_add(o, name, s)) {
		json_object_put(s);
		return false;
	}
	return true;
}

bool api_add_int(struct json_object *o, const char *name, int64_t v)
{
	struct json_object *i = json_object_new_int64(v);

	if (!i || json_object_object_add(o, name, i)) {
		json_object_put(i);
		return false;
	}
	return true;
}

bool api_add_b64(struct json_object *o, const char *name, const void *buf,
		 size_t len)
{
	char *s = hrot_b64_encode(buf, len);
	bool ok = s && api_add_string(o, name, s);

	free(s);
	return ok;
}

bool api_add_hex(struct json_object *o, const char *name, const void *buf,
		 size_t len)
{
	char *s = malloc(2 * len + 1);
	bool ok = s && !hrot_hex_encode(buf, len, s, 2 * len + 1) &&
		  api_add_string(o, name, s);

	free(s);
	return ok;
}

void api_audit_init(struct store_audit *a, const uint8_t *device,
		    const char *action, bool ok, const char *reason,
		    const char *detail)
{
	memset(a, 0, sizeof(*a));
	a->time = api_now();
	if (device)
		memcpy(a->device, device, HROT_DEVICE_NAME_SIZE);
	snprintf(a->action, sizeof(a->action), "%s", action);
	a->ok = ok;
	snprintf(a->reason, sizeof(a->reason), "%s", reason ? reason : "");
	snprintf(a->detail, sizeof(a->detail), "%s", detail ? detail : "");
}

void api_reply_device_state(struct http_request *r,
			    const struct store_device *dev, int get_result,
			    const char *device_hex)
{
	if (get_result == -ENOENT) {
		http_reply_error(r, 403, "device_unknown",
				 "device %s is not registered", device_hex);
	} else if (get_result) {
		http_reply_error(r, 500, "internal", "store read failed (%s)",
				 strerror(-get_result));
	} else if (dev->state == STORE_DEV_REVOKED) {
		http_reply_error(r, 403, "device_revoked",
				 "device %s is revoked", device_hex);
	} else {
		http_reply_error(r, 403, "device_pending",
				 "device %s is %s", device_hex,
				 store_device_state_name(dev->state));
	}
}

struct json_object *api_error_object(const char *reason, const char *detail,
				     bool verdict)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if ((verdict && !api_add_string(o, "verdict", "fail")) ||
	    !api_add_string(o, "error", reason) ||
	    !api_add_string(o, "detail", detail)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* ---- commit jobs ---- */

static int job_run(struct store_tx *tx, void *arg)
{
	struct api_job *j = arg;

	return j->run(tx, j);
}

/* On the writer thread: hand the result back to the worker. */
static void job_done(struct commit_job *job, int result)
{
	struct api_job *j = job->arg;

	j->result = result;
	http_resume(j->r);
}

static void job_resume(struct http_request *r, void *arg)
{
	struct api_job *j = arg;

	j->reply(r, j);
	j->release(j);
}

void api_submit(struct http_request *r, struct api_job *j)
{
	j->r = r;
	j->job.run = job_run;
	j->job.done = job_done;
	j->job.arg = j;
	j->job.next = NULL;
	if (http_defer(r, job_resume, j)) {
		http_reply_error(r, 500, "internal", "out of memory");
		j->release(j);
		return;
	}
	commit_submit(api_app(r)->committer, &j->job);
}

static int audit_run(struct store_tx *tx, struct api_job *j)
{
	struct api_audit_job *a = (struct api_audit_job *)j;

	return store_tx_audit(tx, &a->audit);
}

static void audit_reply(struct http_request *r, struct api_job *j)
{
	struct api_audit_job *a = (struct api_audit_job *)j;

	if (j->result) {
		log_err("audit record '%s' not written: %s", a->audit.action,
			strerror(-j->result));
		/* a refusal stays a refusal; a success must not be claimed */
		if (a->code < 300) {
			http_reply_error(r, 500, "internal",
					 "store write failed");
			return;
		}
	}
	http_reply_json(r, a->code, a->body);
	a->body = NULL;
}

static void audit_release(struct api_job *j)
{
	struct api_audit_job *a = (struct api_audit_job *)j;

	json_object_put(a->body);
	free(a);
}

void api_submit_audit(struct http_request *r, const struct store_audit *audit,
		      int code, struct json_object *body)
{
	struct api_audit_job *a = calloc(1, sizeof(*a));

	if (!a || !body) {
		free(a);
		json_object_put(body);
		http_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	a->audit = *audit;
	a->code = code;
	a->body = body;
	a->base.run = audit_run;
	a->base.reply = audit_reply;
	a->base.release = audit_release;
	api_submit(r, &a->base);
}
