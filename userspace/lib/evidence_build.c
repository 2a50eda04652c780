// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: building the protocol's JSON objects.  Every helper either adds
 * its member or leaves the object as it was and says -ENOMEM, so the
 * encoders chain them and check once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hrot/hex.h>
#include "evidence_json.h"

int ev_add(struct json_object *obj, const char *key, struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_object_add(obj, key, val) < 0) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

int ev_add_b64(struct json_object *obj, const char *key, const void *buf,
	       size_t len)
{
	char *s = hrot_b64_encode(buf, len);
	int ret;

	if (!s)
		return -ENOMEM;
	ret = ev_add(obj, key, json_object_new_string(s));
	free(s);
	return ret;
}

int ev_add_hex(struct json_object *obj, const char *key, const void *buf,
	       size_t len)
{
	char *s = malloc(HROT_HEX_SIZE(len));
	int ret;

	if (!s)
		return -ENOMEM;
	ret = hrot_hex_encode(buf, len, s, HROT_HEX_SIZE(len));
	if (ret == 0)
		ret = ev_add(obj, key, json_object_new_string(s));
	free(s);
	return ret;
}

int ev_add_int(struct json_object *obj, const char *key, int64_t v)
{
	return ev_add(obj, key, json_object_new_int64(v));
}

int ev_add_string(struct json_object *obj, const char *key, const char *s,
		  size_t len)
{
	return ev_add(obj, key, json_object_new_string_len(s, (int)len));
}

int ev_finish(struct json_object *obj, int ret, char **out)
{
	const char *text;

	if (ret == 0 && obj) {
		text = json_object_to_json_string_ext(obj,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		*out = text ? strdup(text) : NULL;
		ret = *out ? 0 : -ENOMEM;
	} else if (ret == 0) {
		ret = -ENOMEM;
	}
	json_object_put(obj);
	return ret;
}
