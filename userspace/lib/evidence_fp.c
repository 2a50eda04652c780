// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: the hardware fingerprint in JSON,
 * {"digest_hex": HEX, "components": [{"id", "flags", "name", "digest_hex",
 * "value"}, ...]}.  The decoder recomputes the overall digest from the
 * components and refuses a fingerprint whose digest_hex does not match, so
 * what is stored or compared is always self-consistent.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <hrot/device.h>
#include "evidence_json.h"

#define FP_PFX	"fingerprint."

static int component_from_json(struct json_object *item, size_t i,
			       struct hrot_fp_component *c,
			       const struct ev_err *e)
{
	struct json_object *name;
	uint64_t id = 0, flags = 0;
	char pfx[48];
	int ret;

	if (!json_object_is_type(item, json_type_object)) {
		snprintf(pfx, sizeof(pfx), FP_PFX "components[%zu]", i);
		ev_fail(e, pfx, "", "not an object");
		return -EINVAL;
	}
	snprintf(pfx, sizeof(pfx), FP_PFX "components[%zu].", i);
	ret = ev_uint(item, pfx, "id", UINT32_MAX, &id, e);
	if (ret == 0)
		ret = ev_uint(item, pfx, "flags", UINT32_MAX, &flags, e);
	if (ret == 0)
		ret = ev_hex_exact(item, pfx, "digest_hex", c->digest,
				   HROT_SHA256_SIZE, e);
	if (ret == 0)
		ret = ev_string(item, pfx, "value", c->value,
				sizeof(c->value), e);
	if (ret < 0)
		return -EINVAL;
	/* "name" is informative; only its type is checked. */
	ret = ev_get(item, pfx, "name", json_type_string, &name, e);
	if (ret == -EINVAL)
		return ret;
	c->id = (uint32_t)id;
	c->flags = (uint32_t)flags;
	return 0;
}

static int components_from_json(struct json_object *obj,
				struct hrot_fingerprint *fp,
				const struct ev_err *e)
{
	struct json_object *arr;
	size_t i, n;

	if (ev_get(obj, FP_PFX, "components", json_type_array, &arr, e) < 0)
		return -EINVAL;
	n = json_object_array_length(arr);
	if (n > HROT_FP_MAX_COMPONENTS) {
		ev_fail(e, FP_PFX, "components", "%zu entries, at most %u", n,
			HROT_FP_MAX_COMPONENTS);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		struct hrot_fp_component *c = &fp->components[i];

		if (component_from_json(json_object_array_get_idx(arr, i), i,
					c, e) < 0)
			return -EINVAL;
		/* Ascending ids, as the module reports them: no duplicates. */
		if (i > 0 && c->id <= fp->components[i - 1].id) {
			ev_fail(e, FP_PFX, "components",
				"id %u out of ascending order", c->id);
			return -EINVAL;
		}
	}
	fp->nr_components = (uint32_t)n;
	return 0;
}

int hrot_fingerprint_from_json(struct json_object *obj,
			       struct hrot_fingerprint *fp, char *err,
			       size_t err_size)
{
	const struct ev_err e = { err, err_size };
	uint8_t digest[HROT_SHA256_SIZE];

	if (err && err_size)
		err[0] = '\0';
	memset(fp, 0, sizeof(*fp));
	if (!obj || !json_object_is_type(obj, json_type_object)) {
		ev_fail(&e, "", "fingerprint", "not an object");
		return -EINVAL;
	}
	fp->size = sizeof(*fp);
	fp->version = HROT_STRUCT_VERSION;
	if (ev_hex_exact(obj, FP_PFX, "digest_hex", fp->digest,
			 HROT_SHA256_SIZE, &e) < 0 ||
	    components_from_json(obj, fp, &e) < 0)
		return -EINVAL;
	if (hrot_fingerprint_digest(fp, digest) < 0)
		return -ENOMEM;
	if (memcmp(digest, fp->digest, sizeof(digest)) != 0) {
		ev_fail(&e, FP_PFX, "digest_hex",
			"does not match the components");
		return -EINVAL;
	}
	return 0;
}

static struct json_object *component_to_json(const struct hrot_fp_component *c)
{
	struct json_object *o = json_object_new_object();
	const char *name = hrot_fp_component_name(c->id);
	int ret;

	if (!o)
		return NULL;
	ret = ev_add_int(o, "id", c->id);
	if (ret == 0)
		ret = ev_add_int(o, "flags", c->flags);
	if (ret == 0 && name)
		ret = ev_add_string(o, "name", name, strlen(name));
	if (ret == 0)
		ret = ev_add_hex(o, "digest_hex", c->digest, HROT_SHA256_SIZE);
	if (ret == 0)
		ret = ev_add_string(o, "value", c->value,
				    strnlen(c->value, sizeof(c->value) - 1));
	if (ret < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *components_to_json(const struct hrot_fingerprint *fp)
{
	struct json_object *arr = json_object_new_array();
	uint32_t i;

	for (i = 0; arr && i < fp->nr_components; i++) {
		struct json_object *o = component_to_json(&fp->components[i]);

		if (!o || json_object_array_add(arr, o) < 0) {
			json_object_put(o);
			json_object_put(arr);
			arr = NULL;
		}
	}
	return arr;
}

struct json_object *hrot_fingerprint_to_json(const struct hrot_fingerprint *fp)
{
	struct json_object *o;

	if (fp->nr_components > HROT_FP_MAX_COMPONENTS)
		return NULL;
	o = json_object_new_object();
	if (!o)
		return NULL;
	if (ev_add_hex(o, "digest_hex", fp->digest, HROT_SHA256_SIZE) < 0 ||
	    ev_add(o, "components", components_to_json(fp)) < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int ev_fingerprint_member(struct json_object *top, struct hrot_fingerprint *fp,
			  const struct ev_err *e)
{
	struct json_object *obj;

	if (ev_get(top, "", "fingerprint", json_type_object, &obj, e) < 0)
		return -EINVAL;
	return hrot_fingerprint_from_json(obj, fp, e->buf, e->size);
}
