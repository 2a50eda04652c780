/* SPDX-License-Identifier: GPL-2.0 */
/*
 * api.h - private to the API handlers (api_*.c, release.c, main.c): the
 * service's shared state, the route table, and the helpers every handler
 * uses (body parsing, device ids, commit jobs with deferred replies).
 */
#ifndef HROT_VERIFIER_API_H
#define HROT_VERIFIER_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include <linux/hrot_token.h>

#include "commit.h"
#include "config.h"
#include "http.h"
#include "pki.h"
#include "store.h"

struct json_object;
struct req_error;
struct nonce_table;
struct vault;
struct activation_table;

/* Everything a handler may use; read-only after start-up. */
struct verifierd {
	const struct config *cfg;
	struct pki *pki;
	struct store *store;
	struct committer *committer;
	struct nonce_table *nonces;		/* challenges */
	struct activation_table *activations;	/* MakeCredential secrets */
	struct vault *vault;
	X509_STORE *ek_store;			/* NULL: no EK CA bundle */
};

extern const struct http_route api_routes[];
extern const size_t api_nr_routes;

/* http_config.worker_init / worker_fini: the worker's store_reader. */
int api_worker_init(void *app, void **local);
void api_worker_fini(void *app, void *local);

static inline struct verifierd *api_app(const struct http_request *r)
{
	return r->app;
}

static inline struct store_reader *api_reader(const struct http_request *r)
{
	return r->local;
}

/* ---- handlers ---- */
void api_register(struct http_request *r);
void api_activate(struct http_request *r);
void api_challenge(struct http_request *r);
void api_physical(struct http_request *r);
void api_attest(struct http_request *r);
void api_revocations(struct http_request *r);
void api_admin_devices(struct http_request *r);		/* GET list */
void api_admin_device_get(struct http_request *r);	/* GET one */
void api_admin_device_post(struct http_request *r);	/* POST .../ACTION */
void api_admin_token_post(struct http_request *r);
void api_admin_policies_get(struct http_request *r);
void api_admin_policies_post(struct http_request *r);
void api_admin_audit(struct http_request *r);
void api_admin_prune(struct http_request *r);		/* POST retention */
void api_admin_instances_post(struct http_request *r);	/* api_instance.c */
void api_metrics(struct http_request *r);

/* ---- helpers (api_common.c) ---- */

int64_t api_now(void);

/* Answer a request parser's error (request.h). */
void api_reply_req_error(struct http_request *r, const struct req_error *err);

/* A device id from hex: 0, or -1 after answering 400 naming @field. */
int api_device_id(struct http_request *r, const char *hex, const char *field,
		  uint8_t id[HROT_DEVICE_NAME_SIZE]);

/* Lower-case hex of a device id / token id / any bytes. */
void api_hex(const void *buf, size_t len, char *out, size_t out_size);
#define API_DEVICE_HEX_SIZE	(2 * HROT_DEVICE_NAME_SIZE + 1)

/* Add a member; false when out of memory (the object is left valid). */
bool api_add_string(struct json_object *o, const char *name, const char *v);
bool api_add_int(struct json_object *o, const char *name, int64_t v);
bool api_add_b64(struct json_object *o, const char *name, const void *buf,
		 size_t len);
bool api_add_hex(struct json_object *o, const char *name, const void *buf,
		 size_t len);

/* Fill an audit record. */
void api_audit_init(struct store_audit *a, const uint8_t *device,
		    const char *action, bool ok, const char *reason,
		    const char *detail);

/* Answer 403 for a device that is not in the state a call needs. */
void api_reply_device_state(struct http_request *r,
			    const struct store_device *dev, int get_result,
			    const char *device_hex);

/*
 * A commit job whose completion answers a parked request.  Embed it first
 * in a bigger structure: @run runs in the writer's transaction, @reply on
 * the request's worker after the commit (with @result: @run's result or
 * the commit's failure) and must answer; then @release frees the whole.
 */
struct api_job {
	struct commit_job job;
	struct http_request *r;
	int result;
	int (*run)(struct store_tx *tx, struct api_job *j);
	void (*reply)(struct http_request *r, struct api_job *j);
	void (*release)(struct api_job *j);
};

/* Park @r and queue @j; on failure answers 500 and releases @j. */
void api_submit(struct http_request *r, struct api_job *j);

/* A job that writes one audit record and answers with a prepared reply. */
struct api_audit_job {
	struct api_job base;
	struct store_audit audit;
	int code;			/* HTTP status to answer */
	struct json_object *body;	/* the answer, owned */
};

/* Write @audit, then answer @code with @body (taken). */
void api_submit_audit(struct http_request *r, const struct store_audit *audit,
		      int code, struct json_object *body);

/* Error body object {"error", "detail"} (+ "verdict": "fail" when @verdict). */
struct json_object *api_error_object(const char *reason, const char *detail,
				     bool verdict);

#endif /* HROT_VERIFIER_API_H */
