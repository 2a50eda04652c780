// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: POST /v1/physical (seed 003) in JSON, both ways.
 */
#include <errno.h>

#include "evidence_json.h"

static int physical_fields(struct json_object *top, void *out,
			   const struct ev_err *e)
{
	struct hrot_physical_req *r = out;
	int ret;

	ret = ev_hex_exact(top, "", "device", r->device, sizeof(r->device), e);
	if (ret == 0)
		ret = ev_b64_exact(top, "", "nonce", r->nonce,
				   sizeof(r->nonce), e);
	if (ret == 0)
		ret = ev_fingerprint_member(top, &r->fingerprint, e);
	if (ret == 0)
		ret = ev_quote_from_json(top, &r->quote, e);
	return ret;
}

static void physical_free(void *out)
{
	hrot_physical_req_free(out);
}

int hrot_physical_req_from_json(const char *json, size_t len,
				struct hrot_physical_req *out, char *err,
				size_t err_size)
{
	return ev_decode(json, len, out, sizeof(*out), physical_fields,
			 physical_free, err, err_size);
}

int hrot_physical_req_to_json(const struct hrot_physical_req *r, char **out)
{
	struct json_object *o = json_object_new_object();
	int ret = o ? 0 : -ENOMEM;

	if (ret == 0)
		ret = ev_add_hex(o, "device", r->device, sizeof(r->device));
	if (ret == 0)
		ret = ev_add_b64(o, "nonce", r->nonce, sizeof(r->nonce));
	if (ret == 0)
		ret = ev_add(o, "fingerprint",
			     hrot_fingerprint_to_json(&r->fingerprint));
	if (ret == 0)
		ret = ev_add(o, "quote", ev_quote_to_json(&r->quote));
	return ev_finish(o, ret, out);
}

void hrot_physical_req_free(struct hrot_physical_req *r)
{
	ev_quote_free(&r->quote);
}
