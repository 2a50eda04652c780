// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot-client: one JSON POST over the client's curl handle, and the
 * verifier's error body turned into c->err.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hrot/evidence.h>
#include <hrot/hex.h>

#include "client_int.h"

/* Protocol limit on a body (protocol.md): an answer over it is refused. */
#define CLIENT_MAX_REPLY	(1u << 20)

struct reply_buf {
	char *data;
	size_t len;
	bool too_big;
};

void client_fail(struct hrot_client *c, const char *reason,
		 const char *fmt, ...)
{
	va_list ap;

	c->err.http_status = 0;
	snprintf(c->err.reason, sizeof(c->err.reason), "%s", reason);
	va_start(ap, fmt);
	vsnprintf(c->err.detail, sizeof(c->err.detail), fmt, ap);
	va_end(ap);
}

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct reply_buf *r = arg;
	size_t n = size * nmemb;
	char *p;

	if (r->len + n > CLIENT_MAX_REPLY) {
		r->too_big = true;
		return 0;		/* aborts the transfer */
	}
	p = realloc(r->data, r->len + n + 1);
	if (!p)
		return 0;
	memcpy(p + r->len, ptr, n);
	r->data = p;
	r->len += n;
	r->data[r->len] = '\0';
	return n;
}

/* A non-2xx answer: its {"error", "detail"} into c->err. */
static int refusal(struct hrot_client *c, long status, struct json_object *obj)
{
	struct json_object *v;

	c->err.http_status = status;
	snprintf(c->err.reason, sizeof(c->err.reason), "%s",
		 obj && json_object_object_get_ex(obj, "error", &v) &&
		 json_object_is_type(v, json_type_string) ?
		 json_object_get_string(v) : "protocol");
	snprintf(c->err.detail, sizeof(c->err.detail), "%s",
		 obj && json_object_object_get_ex(obj, "detail", &v) &&
		 json_object_is_type(v, json_type_string) ?
		 json_object_get_string(v) : "HTTP error without a reason");
	return -EACCES;
}

static struct json_object *parse_reply(const struct reply_buf *r)
{
	struct json_tokener *tok;
	struct json_object *obj;

	if (!r->data)
		return NULL;
	tok = json_tokener_new();
	if (!tok)
		return NULL;
	obj = json_tokener_parse_ex(tok, r->data, (int)r->len);
	if (obj && (json_tokener_get_error(tok) != json_tokener_success ||
		    !json_object_is_type(obj, json_type_object))) {
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* This request's timeouts: the configured ones, cut to the deadline. */
static int request_timeouts(struct hrot_client *c, const char *path)
{
	long connect = c->connect_timeout_ms, total = c->timeout_ms;

	if (c->deadline_ms) {
		int64_t left = c->deadline_ms - monotonic_ms();

		if (left <= 0) {
			client_fail(c, "transport", "%s%s: deadline reached",
				    c->url, path);
			return -ETIMEDOUT;
		}
		if (left < total)
			total = (long)left;
		if (left < connect)
			connect = (long)left;
	}
	if (curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS, connect) ||
	    curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, total)) {
		client_fail(c, "transport", "cannot set the timeouts");
		return -EINVAL;
	}
	return 0;
}

static int perform(struct hrot_client *c, const char *path, const char *body,
		   struct reply_buf *r, long *status)
{
	struct curl_slist *hdrs = NULL;
	char url[1024];
	CURLcode rc;
	int ret;

	if (snprintf(url, sizeof(url), "%s%s", c->url, path) >=
	    (int)sizeof(url)) {
		client_fail(c, "transport", "URL too long");
		return -EINVAL;
	}
	ret = request_timeouts(c, path);
	if (ret)
		return ret;
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	if (!hdrs) {
		client_fail(c, "transport", "out of memory");
		return -ENOMEM;
	}
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, r);
	rc = curl_easy_perform(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
	if (rc != CURLE_OK) {
		client_fail(c, "transport", "%s%s: %s", c->url, path,
			    r->too_big ? "answer over 1 MiB" :
			    curl_easy_strerror(rc));
		return -EIO;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, status);
	return 0;
}

int client_post(struct hrot_client *c, const char *path,
		struct json_object *body, struct json_object **reply)
{
	int ret;

	if (!body) {
		client_fail(c, "transport", "out of memory");
		return -ENOMEM;
	}
	ret = client_post_text(c, path, json_object_to_json_string_ext(body,
				JSON_C_TO_STRING_PLAIN), reply);
	json_object_put(body);
	return ret;
}

int client_post_text(struct hrot_client *c, const char *path,
		     const char *body, struct json_object **reply)
{
	struct reply_buf r = { 0 };
	struct json_object *obj;
	long status = 0;
	int ret;

	*reply = NULL;
	memset(&c->err, 0, sizeof(c->err));
	ret = perform(c, path, body, &r, &status);
	if (ret) {
		free(r.data);
		return ret;
	}
	obj = parse_reply(&r);
	free(r.data);
	if (status < 200 || status > 299) {
		ret = refusal(c, status, obj);
		json_object_put(obj);
		return ret;
	}
	if (!obj) {
		client_fail(c, "protocol", "%s: answer is not a JSON object",
			    path);
		c->err.http_status = status;
		return -EPROTO;
	}
	*reply = obj;
	return 0;
}

static struct json_object *field_of(struct hrot_client *c,
				    struct json_object *obj, const char *field,
				    enum json_type type)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, field, &v) ||
	    !json_object_is_type(v, type)) {
		client_fail(c, "protocol", "answer: %s missing or of the wrong type",
			    field);
		return NULL;
	}
	return v;
}

const char *client_get_string(struct hrot_client *c, struct json_object *obj,
			      const char *field)
{
	struct json_object *v = field_of(c, obj, field, json_type_string);

	return v ? json_object_get_string(v) : NULL;
}

int client_get_int(struct hrot_client *c, struct json_object *obj,
		   const char *field, int64_t *out)
{
	struct json_object *v = field_of(c, obj, field, json_type_int);

	if (!v)
		return -EPROTO;
	*out = json_object_get_int64(v);
	return 0;
}

int client_get_b64(struct hrot_client *c, struct json_object *obj,
		   const char *field, void *out, size_t len)
{
	const char *s = client_get_string(c, obj, field);

	if (!s)
		return -EPROTO;
	if (hrot_b64_decode_exact(s, out, len)) {
		client_fail(c, "protocol", "answer: %s is not %zu bytes of base64",
			    field, len);
		return -EPROTO;
	}
	return 0;
}

int client_get_b64_alloc(struct hrot_client *c, struct json_object *obj,
			 const char *field, uint8_t **out, size_t *len,
			 size_t max)
{
	const char *s = client_get_string(c, obj, field);

	if (!s)
		return -EPROTO;
	if (hrot_b64_decode_alloc(s, out, len, max)) {
		client_fail(c, "protocol", "answer: %s is not base64 (at most %zu bytes)",
			    field, max);
		return -EPROTO;
	}
	return 0;
}

int client_add_b64(struct json_object *obj, const char *field,
		   const void *buf, size_t len)
{
	char *s = hrot_b64_encode(buf, len);
	int ret;

	if (!s)
		return -ENOMEM;
	ret = json_object_object_add(obj, field, json_object_new_string(s));
	free(s);
	return ret ? -ENOMEM : 0;
}

int client_add_device(struct json_object *obj,
		      const uint8_t device[HROT_DEVICE_NAME_SIZE])
{
	char hex[2 * HROT_DEVICE_NAME_SIZE + 1];

	hrot_hex_encode(device, HROT_DEVICE_NAME_SIZE, hex, sizeof(hex));
	return json_object_object_add(obj, "device",
				      json_object_new_string(hex)) ? -ENOMEM : 0;
}
