// SPDX-License-Identifier: GPL-2.0
/*
 * api_instance.c - POST /v1/admin/instances: an instance made ahead of its
 * device, for an image sealed before the machine that will boot it
 * exists (hrot-unlock seal-image; Documentation/protocol.md).
 *
 * The reply carries the volume secret, once: the operator's tool needs it
 * to make the image's keyslot.  Only an OU=operator connection reaches
 * this handler (api_routes.c), and the secret is in no log or audit
 * record.  The store keeps it sealed by the vault for the instance
 * (instance.h) until a device claims it at activation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "api.h"
#include "instance.h"
#include "log.h"
#include "request.h"

struct instance_job {
	struct api_job base;
	struct store_instance in;
	uint8_t secret[HROT_SECRET_SIZE];
	char hex[2 * HROT_INSTANCE_ID_SIZE + 1];
};

static int instance_run(struct store_tx *tx, struct api_job *j)
{
	struct instance_job *ij = (struct instance_job *)j;
	char detail[64];
	struct store_audit a;
	int ret;

	ret = store_tx_instance_insert(tx, &ij->in);
	if (ret)
		return ret;
	snprintf(detail, sizeof(detail), "instance %s", ij->hex);
	api_audit_init(&a, NULL, "instance_create", true, NULL, detail);
	return store_tx_audit(tx, &a);
}

static void instance_reply(struct http_request *r, struct api_job *j)
{
	struct instance_job *ij = (struct instance_job *)j;
	struct json_object *o;

	if (j->result) {
		http_reply_error(r, 500, "internal", "store write failed");
		return;
	}
	o = json_object_new_object();
	if (o && api_add_string(o, "instance_hex", ij->hex) &&
	    api_add_int(o, "created_at", ij->in.created_at) &&
	    api_add_b64(o, "secret", ij->secret, sizeof(ij->secret))) {
		log_info("admin: instance %s created", ij->hex);
		http_reply_json(r, 201, o);
		return;
	}
	json_object_put(o);
	http_reply_error(r, 500, "internal", "out of memory");
}

static void instance_release(struct api_job *j)
{
	struct instance_job *ij = (struct instance_job *)j;

	OPENSSL_cleanse(ij, sizeof(*ij));
	free(ij);
}

void api_admin_instances_post(struct http_request *r)
{
	struct instance_job *ij;
	struct req_error err;

	if (req_instance_create_parse(r->body, r->body_len, &err)) {
		api_reply_req_error(r, &err);
		return;
	}
	ij = calloc(1, sizeof(*ij));
	if (!ij) {
		http_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	ij->base.run = instance_run;
	ij->base.reply = instance_reply;
	ij->base.release = instance_release;
	if (instance_make(api_app(r)->vault, api_now(), &ij->in, ij->secret)) {
		instance_release(&ij->base);
		http_reply_error(r, 500, "internal", "cannot make the instance");
		return;
	}
	api_hex(ij->in.id, sizeof(ij->in.id), ij->hex, sizeof(ij->hex));
	api_submit(r, &ij->base);
}
