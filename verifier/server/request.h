/* SPDX-License-Identifier: GPL-2.0 */
/*
 * request.h - the bodies (and path and query parts) of hrot-verifierd's own
 * endpoints, parsed without a connection or a store: text in, a typed
 * struct out, or an error whose detail names the field first.  Kept apart
 * from the handlers so that unit tests and a fuzzer can drive every parser
 * directly.  (The evidence bodies of register/attest/physical are
 * libhrot's: hrot_*_req_from_json.)
 *
 * Every function returns 0, -EINVAL for bad input (@err: 400 bad_request),
 * -ENOMEM (@err: 500 internal), or for the path parsers -ENOENT when the
 * path names no endpoint (the caller answers 404 with its path).
 */
#ifndef HROT_VERIFIER_REQUEST_H
#define HROT_VERIFIER_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hrot/evidence.h>
#include <linux/hrot_token.h>

#include "store.h"

struct json_object;

#define REQ_DETAIL_SIZE		256
#define REQ_POLICY_MAX_ENTRIES	65536
#define REQ_AUDIT_DEFAULT	100
#define REQ_AUDIT_MAX		1000

/* What to answer when a parser fails. */
struct req_error {
	int status;			/* 400, or 500 when out of memory */
	const char *reason;		/* "bad_request", "internal" */
	char detail[REQ_DETAIL_SIZE];	/* "FIELD: what is wrong" */
};

/* ---- building blocks, shared with the other handlers ---- */

/* The body as a JSON object (the caller puts it), or NULL and @err. */
struct json_object *req_body_object(const char *json, size_t len,
				    struct req_error *err);

/*
 * String member @name of @obj into @out: 0 (@out NULL when absent or null
 * and not @required), or -EINVAL when missing but required, not a string
 * or holding a NUL.  @out points into @obj.
 */
int req_string(struct json_object *obj, const char *name, bool required,
	       const char **out, struct req_error *err);

/* A device id (AK name) from exactly 64 hex digits; @field for the error. */
int req_device_id(const char *hex, const char *field,
		  uint8_t id[HROT_DEVICE_NAME_SIZE], struct req_error *err);

/* ---- POST /v1/challenge {"device"} ---- */

struct req_challenge {
	uint8_t device[HROT_DEVICE_NAME_SIZE];
};

int req_challenge_parse(const char *json, size_t len,
			struct req_challenge *out, struct req_error *err);

/*
 * ---- POST /v1/activate ----
 * Step 1 {"device"}; step 2 (when "activation_id" is present at all)
 * {"device", "activation_id", "secret", "csr"?, "instance"?}: "instance",
 * 32 hex digits, names an instance an operator made for this device
 * (POST /v1/admin/instances) to enroll with instead of a new one.
 */
struct req_activate {
	uint8_t device[HROT_DEVICE_NAME_SIZE];
	bool step2;
	uint8_t activation_id[HROT_ACTIVATION_ID_SIZE];	/* step 2 */
	uint8_t secret[HROT_SECRET_SIZE];		/* step 2 */
	char *csr;				/* step 2: PEM, or NULL */
	bool has_instance;			/* step 2: "instance" given */
	uint8_t instance[HROT_INSTANCE_ID_SIZE];
};

int req_activate_parse(const char *json, size_t len, struct req_activate *out,
		       struct req_error *err);
/* Frees the CSR and wipes the secret; safe on a failed parse. */
void req_activate_free(struct req_activate *a);

/*
 * ---- POST /v1/admin/instances ----
 * No parameters: an empty body or a JSON object (members ignored, room
 * for later ones).
 */
int req_instance_create_parse(const char *json, size_t len,
			      struct req_error *err);

/* ---- POST /v1/admin/devices/HEX/ACTION ---- */

enum req_device_action {
	REQ_APPROVE,		/* {"policy"?}: approve, maybe bind */
	REQ_REVOKE,		/* {"reason"?} */
	REQ_FINGERPRINT,	/* {"fingerprint"}: re-registration */
	REQ_BIND,		/* {"policy"} */
	REQ_FLOORS_RESET,	/* {"component"}: "*" for all (seed 004) */
};

/* "approve", "revoke", "fingerprint", "policy", "floors-reset". */
const char *req_device_action_name(enum req_device_action action);

/* The path after /v1/admin/devices/: "HEX/ACTION". */
int req_device_action_path(const char *tail, uint8_t id[HROT_DEVICE_NAME_SIZE],
			   enum req_device_action *action,
			   struct req_error *err);

#define REQ_REVOKE_DEFAULT	"revoked by an operator"

struct req_device_body {
	char *policy;			/* approve, bind: name or NULL */
	char reason[STORE_DETAIL_MAX];	/* revoke: truncated to fit */
	struct hrot_fingerprint fp;	/* fingerprint */
	char component[STORE_NAME_MAX];	/* floors-reset: "" for all */
};

/* The body of @action; an empty body is an empty object. */
int req_device_body_parse(enum req_device_action action, const char *json,
			  size_t len, struct req_device_body *out,
			  struct req_error *err);
void req_device_body_free(struct req_device_body *b);

/* ---- POST /v1/admin/tokens/HEX/revoke (no body) ---- */

int req_token_revoke_path(const char *tail, uint8_t id[HROT_TOKEN_ID_SIZE],
			  struct req_error *err);

/*
 * ---- POST /v1/admin/policies ----
 * {"name", "version", "require_physical"? (true), "entries": [{"component",
 * "version"?, "sha256_hex"}]} into @p (created_at and id left 0); the
 * entries are malloc'ed: free with req_policy_free() (or store_policy_free).
 */
int req_policy_parse(const char *json, size_t len, struct store_policy *p,
		     struct req_error *err);
/*
 * "keep_previous": true (default false) asks for the entries of the
 * newest existing version of the same name to be kept in the new one (a
 * rollout: both versions allowed; the rollback floors keep a device from
 * going back once it passed with the new one).
 */
/* POST /v1/admin/prune: {"older_than_days": 0..REQ_PRUNE_MAX_DAYS}. */
#define REQ_PRUNE_MAX_DAYS	36500
int req_prune_parse(const char *json, size_t len, int64_t *days,
		    struct req_error *err);

int req_policy_keep_previous(const char *json, size_t len, bool *out,
			     struct req_error *err);
void req_policy_free(struct store_policy *p);

/* ---- GET /v1/admin/audit?since=N&limit=N&device=HEX ---- */

struct req_audit {
	int64_t since;			/* 0 */
	size_t limit;			/* REQ_AUDIT_DEFAULT */
	bool has_device;
	uint8_t device[HROT_DEVICE_NAME_SIZE];
};

/* The three query values, each NULL when absent. */
int req_audit_parse(const char *since, const char *limit, const char *device,
		    struct req_audit *out, struct req_error *err);

#endif /* HROT_VERIFIER_REQUEST_H */
