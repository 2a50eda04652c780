/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot internal: typed, bounded access to the fields of the protocol's
 * JSON objects, each failure naming the field as "PREFIX" "KEY" ("quote."
 * "attest: not base64").
 *
 * The getters return 0; -ENOENT when the field is absent or null (with a
 * "missing" message, which callers of optional fields ignore); -EINVAL
 * for a wrong type, syntax or size; -ENOMEM.
 */
#ifndef HROT_EVIDENCE_JSON_H
#define HROT_EVIDENCE_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include <hrot/evidence.h>

/* What the decoder of one request needs: where messages go. */
struct ev_err {
	char *buf;
	size_t size;
};

void ev_fail(const struct ev_err *e, const char *pfx, const char *key,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* @json[0, @len) as one JSON object and nothing else. */
int ev_parse_object(const char *json, size_t len, struct json_object **out,
		    const struct ev_err *e);

int ev_get(struct json_object *obj, const char *pfx, const char *key,
	   enum json_type type, struct json_object **out,
	   const struct ev_err *e);
int ev_b64_exact(struct json_object *obj, const char *pfx, const char *key,
		 void *out, size_t len, const struct ev_err *e);
/* A non-empty blob of at most @max bytes, malloc'ed. */
int ev_b64_alloc(struct json_object *obj, const char *pfx, const char *key,
		 uint8_t **out, size_t *len, size_t max,
		 const struct ev_err *e);
int ev_hex_exact(struct json_object *obj, const char *pfx, const char *key,
		 void *out, size_t len, const struct ev_err *e);
int ev_uint(struct json_object *obj, const char *pfx, const char *key,
	    uint64_t max, uint64_t *out, const struct ev_err *e);
/* A string of fewer than @size bytes with no NUL, copied terminated. */
int ev_string(struct json_object *obj, const char *pfx, const char *key,
	      char *out, size_t size, const struct ev_err *e);
/* The same check for a string value already in hand. */
int ev_string_value(struct json_object *val, const char *pfx, const char *key,
		    char *out, size_t size, const struct ev_err *e);

/* Encoding: each 0 or -ENOMEM (then @obj is unchanged). */
int ev_add(struct json_object *obj, const char *key, struct json_object *val);
int ev_add_b64(struct json_object *obj, const char *key, const void *buf,
	       size_t len);
int ev_add_hex(struct json_object *obj, const char *key, const void *buf,
	       size_t len);
int ev_add_int(struct json_object *obj, const char *key, int64_t v);
int ev_add_string(struct json_object *obj, const char *key, const char *s,
		  size_t len);
/* The text of @obj (always put): 0 and a malloc'ed string, or -ENOMEM. */
int ev_finish(struct json_object *obj, int ret, char **out);

/* The quote object, both ways (evidence_quote.c). */
int ev_quote_from_json(struct json_object *top, struct hrot_wire_quote *q,
		       const struct ev_err *e);
struct json_object *ev_quote_to_json(const struct hrot_wire_quote *q);
void ev_quote_free(struct hrot_wire_quote *q);

/* The "fingerprint" member of a request (evidence_fp.c). */
int ev_fingerprint_member(struct json_object *top, struct hrot_fingerprint *fp,
			  const struct ev_err *e);

/* Decode one request: parse, zero @out, run @fields, free on failure. */
int ev_decode(const char *json, size_t len, void *out, size_t out_size,
	      int (*fields)(struct json_object *top, void *out,
			    const struct ev_err *e),
	      void (*free_out)(void *out), char *err, size_t err_size);

#endif /* HROT_EVIDENCE_JSON_H */
