// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: typed, bounded access to JSON fields for the protocol decoders,
 * and the small builders their encoders share.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hrot/hex.h>
#include "b64.h"
#include "evidence_json.h"

/* Deep enough for every request of the protocol (four levels). */
#define EV_JSON_DEPTH	8

void ev_fail(const struct ev_err *e, const char *pfx, const char *key,
	     const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!e->buf || e->size == 0)
		return;
	/* An array element is named by @pfx alone, with @key "". */
	n = snprintf(e->buf, e->size, "%s%s: ", pfx, key);
	if (n < 0 || (size_t)n >= e->size)
		return;
	va_start(ap, fmt);
	vsnprintf(e->buf + n, e->size - (size_t)n, fmt, ap);
	va_end(ap);
}

static int only_blanks(const char *s, size_t len)
{
	for (; len; s++, len--)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

int ev_parse_object(const char *json, size_t len, struct json_object **out,
		    const struct ev_err *e)
{
	struct json_tokener *tok;
	struct json_object *obj;
	size_t end;

	if (len > HROT_EVIDENCE_MAX_JSON || memchr(json, '\0', len)) {
		ev_fail(e, "", "body", len > HROT_EVIDENCE_MAX_JSON ?
			"over %u bytes" : "holds a NUL (limit %u)",
			HROT_EVIDENCE_MAX_JSON);
		return -EINVAL;
	}
	tok = json_tokener_new_ex(EV_JSON_DEPTH);
	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
				    JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, json, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (!obj || json_tokener_get_error(tok) != json_tokener_success ||
	    !only_blanks(json + end, len - end)) {
		ev_fail(e, "", "body", "not one JSON value (%s)",
			json_tokener_error_desc(json_tokener_get_error(tok)));
		json_object_put(obj);
		json_tokener_free(tok);
		return -EINVAL;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(obj, json_type_object)) {
		ev_fail(e, "", "body", "not a JSON object");
		json_object_put(obj);
		return -EINVAL;
	}
	*out = obj;
	return 0;
}

static const char *type_name(enum json_type type)
{
	switch (type) {
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	case json_type_int:
		return "an integer";
	default:
		return json_type_to_name(type);
	}
}

int ev_get(struct json_object *obj, const char *pfx, const char *key,
	   enum json_type type, struct json_object **out,
	   const struct ev_err *e)
{
	struct json_object *val = NULL;

	if (!json_object_object_get_ex(obj, key, &val) || !val) {
		ev_fail(e, pfx, key, "missing");
		return -ENOENT;
	}
	if (!json_object_is_type(val, type)) {
		ev_fail(e, pfx, key, "not %s", type_name(type));
		return -EINVAL;
	}
	*out = val;
	return 0;
}

int ev_b64_exact(struct json_object *obj, const char *pfx, const char *key,
		 void *out, size_t len, const struct ev_err *e)
{
	struct json_object *val;
	size_t n, decoded;
	int ret;

	ret = ev_get(obj, pfx, key, json_type_string, &val, e);
	if (ret < 0)
		return ret;
	n = (size_t)json_object_get_string_len(val);
	if (b64_check(json_object_get_string(val), n, &decoded) < 0) {
		ev_fail(e, pfx, key, "not base64");
		return -EINVAL;
	}
	if (decoded != len) {
		ev_fail(e, pfx, key, "%zu bytes, want %zu", decoded, len);
		return -EINVAL;
	}
	return b64_decode_checked(json_object_get_string(val), n, out, len);
}

int ev_b64_alloc(struct json_object *obj, const char *pfx, const char *key,
		 uint8_t **out, size_t *len, size_t max,
		 const struct ev_err *e)
{
	struct json_object *val;
	size_t n, decoded;
	uint8_t *buf;
	int ret;

	ret = ev_get(obj, pfx, key, json_type_string, &val, e);
	if (ret < 0)
		return ret;
	n = (size_t)json_object_get_string_len(val);
	if (b64_check(json_object_get_string(val), n, &decoded) < 0) {
		ev_fail(e, pfx, key, "not base64");
		return -EINVAL;
	}
	if (decoded == 0 || decoded > max) {
		ev_fail(e, pfx, key, "%zu bytes, want 1 to %zu", decoded, max);
		return -EINVAL;
	}
	buf = malloc(decoded);
	if (!buf)
		return -ENOMEM;
	ret = b64_decode_checked(json_object_get_string(val), n, buf, decoded);
	if (ret < 0) {
		free(buf);
		return ret;
	}
	*out = buf;
	*len = decoded;
	return 0;
}

int ev_hex_exact(struct json_object *obj, const char *pfx, const char *key,
		 void *out, size_t len, const struct ev_err *e)
{
	struct json_object *val;
	int ret;

	ret = ev_get(obj, pfx, key, json_type_string, &val, e);
	if (ret < 0)
		return ret;
	if ((size_t)json_object_get_string_len(val) != 2 * len ||
	    hrot_hex_decode(json_object_get_string(val), out, len) < 0) {
		ev_fail(e, pfx, key, "want %zu hex digits", 2 * len);
		return -EINVAL;
	}
	return 0;
}

int ev_uint(struct json_object *obj, const char *pfx, const char *key,
	    uint64_t max, uint64_t *out, const struct ev_err *e)
{
	struct json_object *val;
	int64_t v;
	int ret;

	ret = ev_get(obj, pfx, key, json_type_int, &val, e);
	if (ret < 0)
		return ret;
	/* Past INT64_MAX json-c saturates: still out of any range here. */
	v = json_object_get_int64(val);
	if (v < 0 || (uint64_t)v > max) {
		ev_fail(e, pfx, key, "out of range 0..%" PRIu64, max);
		return -EINVAL;
	}
	*out = (uint64_t)v;
	return 0;
}

int ev_string_value(struct json_object *val, const char *pfx, const char *key,
		    char *out, size_t size, const struct ev_err *e)
{
	size_t n = (size_t)json_object_get_string_len(val);
	const char *s = json_object_get_string(val);

	if (n >= size) {
		ev_fail(e, pfx, key, "longer than %zu bytes", size - 1);
		return -EINVAL;
	}
	if (strlen(s) != n) {
		ev_fail(e, pfx, key, "holds a NUL");
		return -EINVAL;
	}
	memcpy(out, s, n + 1);
	return 0;
}

int ev_string(struct json_object *obj, const char *pfx, const char *key,
	      char *out, size_t size, const struct ev_err *e)
{
	struct json_object *val;
	int ret;

	ret = ev_get(obj, pfx, key, json_type_string, &val, e);
	if (ret < 0)
		return ret;
	return ev_string_value(val, pfx, key, out, size, e);
}

int ev_decode(const char *json, size_t len, void *out, size_t out_size,
	      int (*fields)(struct json_object *top, void *out,
			    const struct ev_err *e),
	      void (*free_out)(void *out), char *err, size_t err_size)
{
	const struct ev_err e = { err, err_size };
	struct json_object *top;
	int ret;

	memset(out, 0, out_size);
	if (err && err_size)
		err[0] = '\0';
	ret = ev_parse_object(json, len, &top, &e);
	if (ret < 0)
		return ret;
	ret = fields(top, out, &e);
	json_object_put(top);
	/* An absent required member is a malformed request like any other. */
	if (ret == -ENOENT)
		ret = -EINVAL;
	if (ret < 0)
		free_out(out);
	else if (err && err_size)
		err[0] = '\0';	/* no "missing" left from an optional member */
	return ret;
}
