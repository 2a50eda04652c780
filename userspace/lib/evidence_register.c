// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: POST /v1/register (Documentation/protocol.md) in JSON, both
 * ways, with its free-form "metadata" object of strings.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evidence_json.h"

static int meta_pair(const char *key, struct json_object *val,
		     struct hrot_register_req *r, const struct ev_err *e)
{
	size_t klen = strlen(key);

	if (klen == 0 || klen >= HROT_META_KEY_MAX) {
		ev_fail(e, "", "metadata", "a key of %zu bytes, want 1 to %u",
			klen, HROT_META_KEY_MAX - 1);
		return -EINVAL;
	}
	if (!json_object_is_type(val, json_type_string)) {
		ev_fail(e, "metadata.", key, "not a string");
		return -EINVAL;
	}
	if (ev_string_value(val, "metadata.", key, r->meta_value[r->nr_meta],
			    HROT_META_VALUE_MAX, e) < 0)
		return -EINVAL;
	memcpy(r->meta_key[r->nr_meta], key, klen + 1);
	r->nr_meta++;
	return 0;
}

static int meta_from_json(struct json_object *top, struct hrot_register_req *r,
			  const struct ev_err *e)
{
	struct json_object_iterator it, end;
	struct json_object *meta;
	int ret;

	ret = ev_get(top, "", "metadata", json_type_object, &meta, e);
	if (ret < 0)
		return ret == -ENOENT ? 0 : ret;
	if (json_object_object_length(meta) > HROT_META_MAX_PAIRS) {
		ev_fail(e, "", "metadata", "%d members, at most %u",
			json_object_object_length(meta), HROT_META_MAX_PAIRS);
		return -EINVAL;
	}
	it = json_object_iter_begin(meta);
	end = json_object_iter_end(meta);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		ret = meta_pair(json_object_iter_peek_name(&it),
				json_object_iter_peek_value(&it), r, e);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int register_fields(struct json_object *top, void *out,
			   const struct ev_err *e)
{
	struct hrot_register_req *r = out;
	int ret;

	ret = ev_b64_alloc(top, "", "ek_public", &r->ek_public,
			   &r->ek_public_len, HROT_EVIDENCE_MAX_TPM_BLOB, e);
	if (ret == 0) {
		ret = ev_b64_alloc(top, "", "ek_cert", &r->ek_cert,
				   &r->ek_cert_len, HROT_EVIDENCE_MAX_BLOB, e);
		if (ret == -ENOENT)
			ret = 0;
	}
	if (ret == 0)
		ret = ev_b64_alloc(top, "", "ak_public", &r->ak_public,
				   &r->ak_public_len,
				   HROT_EVIDENCE_MAX_TPM_BLOB, e);
	if (ret == 0)
		ret = ev_fingerprint_member(top, &r->fingerprint, e);
	if (ret == 0)
		ret = meta_from_json(top, r, e);
	return ret;
}

static void register_free(void *out)
{
	hrot_register_req_free(out);
}

int hrot_register_req_from_json(const char *json, size_t len,
				struct hrot_register_req *out, char *err,
				size_t err_size)
{
	return ev_decode(json, len, out, sizeof(*out), register_fields,
			 register_free, err, err_size);
}

static struct json_object *meta_to_json(const struct hrot_register_req *r)
{
	struct json_object *o = json_object_new_object();
	size_t i;

	if (!o || r->nr_meta > HROT_META_MAX_PAIRS) {
		json_object_put(o);
		return NULL;
	}
	for (i = 0; i < r->nr_meta; i++) {
		const char *v = r->meta_value[i];

		if (ev_add_string(o, r->meta_key[i], v,
				  strnlen(v, HROT_META_VALUE_MAX - 1)) < 0) {
			json_object_put(o);
			return NULL;
		}
	}
	return o;
}

int hrot_register_req_to_json(const struct hrot_register_req *r, char **out)
{
	struct json_object *o = json_object_new_object();
	int ret = o ? 0 : -ENOMEM;

	if (ret == 0)
		ret = ev_add_b64(o, "ek_public", r->ek_public,
				 r->ek_public_len);
	if (ret == 0 && r->ek_cert)
		ret = ev_add_b64(o, "ek_cert", r->ek_cert, r->ek_cert_len);
	if (ret == 0)
		ret = ev_add_b64(o, "ak_public", r->ak_public,
				 r->ak_public_len);
	if (ret == 0)
		ret = ev_add(o, "fingerprint",
			     hrot_fingerprint_to_json(&r->fingerprint));
	if (ret == 0)
		ret = ev_add(o, "metadata", meta_to_json(r));
	return ev_finish(o, ret, out);
}

void hrot_register_req_free(struct hrot_register_req *r)
{
	free(r->ek_public);
	free(r->ek_cert);
	free(r->ak_public);
	r->ek_public = NULL;
	r->ek_cert = NULL;
	r->ak_public = NULL;
	r->ek_public_len = 0;
	r->ek_cert_len = 0;
	r->ak_public_len = 0;
}
