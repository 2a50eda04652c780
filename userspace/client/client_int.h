/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot-client internals: the client structure and its HTTP exchange.
 */
#ifndef HROT_CLIENT_INT_H
#define HROT_CLIENT_INT_H

#include <curl/curl.h>
#include <json-c/json.h>
#include <openssl/evp.h>

#include <hrot/client.h>

struct hrot_client {
	CURL *curl;			/* one handle: keep-alive reuse */
	char *url;
	struct hrot_client_error err;
	struct hrot_client_hooks hooks;
	EVP_PKEY *anchor;		/* the token key, parsed once */
	char *anchor_path;
	long connect_timeout_ms, timeout_ms;
	int64_t deadline_ms;		/* CLOCK_MONOTONIC; 0: none */
};

/* Record a failure of the client's own (not the verifier's). */
void client_fail(struct hrot_client *c, const char *reason,
		 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * POST @body (a JSON object, consumed) to @path.  On a 2xx answer with a
 * JSON object body, 0 and the object in @reply (json_object_put() it).
 * On a refusal, -EACCES with the verifier's reason and detail in c->err;
 * -EIO without an answer; -EPROTO for an answer that is not JSON.
 */
int client_post(struct hrot_client *c, const char *path,
		struct json_object *body, struct json_object **reply);

/* The same with a body already encoded (not consumed). */
int client_post_text(struct hrot_client *c, const char *path,
		     const char *body, struct json_object **reply);

/* Typed fields of a reply, each failing with "protocol" naming the field. */
int client_get_b64(struct hrot_client *c, struct json_object *obj,
		   const char *field, void *out, size_t len);
int client_get_b64_alloc(struct hrot_client *c, struct json_object *obj,
			 const char *field, uint8_t **out, size_t *len,
			 size_t max);
const char *client_get_string(struct hrot_client *c, struct json_object *obj,
			      const char *field);
int client_get_int(struct hrot_client *c, struct json_object *obj,
		   const char *field, int64_t *out);

/* Add a base64 member: 0 or -ENOMEM. */
int client_add_b64(struct json_object *obj, const char *field,
		   const void *buf, size_t len);
/* Add the device id as hex. */
int client_add_device(struct json_object *obj,
		      const uint8_t device[HROT_DEVICE_NAME_SIZE]);

/* Show a nonce about to be used for WHAT to the test hook, if any. */
void client_nonce_hook(struct hrot_client *c, const char *what,
		       uint8_t nonce[HROT_NONCE_SIZE]);

/* POST /v1/physical with a nonce already challenged for. */
int client_physical(struct hrot_client *c, struct hrot_attester *a,
		    const uint8_t device[HROT_DEVICE_NAME_SIZE],
		    const uint8_t nonce[HROT_NONCE_SIZE], struct hrot_token *token);

#endif /* HROT_CLIENT_INT_H */
