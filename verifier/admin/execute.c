// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin: send a parsed request and print the answer, or the one-line
 * error "<what failed>: <reason code>: <detail>".
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "admin.h"

/* An object, or NULL: the server answers objects only. */
static struct json_object *parse_object(const char *text, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *obj = NULL;

	if (!tok)
		return NULL;
	obj = json_tokener_parse_ex(tok, text, (int)len);
	if (obj && (json_tokener_get_error(tok) != json_tokener_success ||
		    tok->char_offset != (int)len ||
		    !json_object_is_type(obj, json_type_object))) {
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

static const char *string_member(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (obj && json_object_object_get_ex(obj, key, &v) &&
	    json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return NULL;
}

/* The first line of a body that is not the protocol's error object. */
static void first_line(const char *body, char *buf, size_t n)
{
	snprintf(buf, n, "%.*s", (int)strcspn(body, "\r\n"), body);
	if (!buf[0])
		snprintf(buf, n, "(no detail)");
}

static int refused(const struct admin_request *req,
		   const struct admin_response *resp, char *err,
		   size_t err_size)
{
	struct json_object *obj = parse_object(resp->body, resp->len);
	const char *code = string_member(obj, "error");
	const char *detail = string_member(obj, "detail");
	char line[200], status[32];

	snprintf(status, sizeof(status), "http_%ld", resp->status);
	if (!detail) {
		first_line(resp->body, line, sizeof(line));
		detail = line;
	}
	admin_err(err, err_size, ADMIN_FAIL, "%s: %s: %s", req->what,
		  code ? code : status, detail);
	json_object_put(obj);
	return ADMIN_FAIL;
}

static int print_answer(const struct admin_opts *o,
			const struct admin_request *req,
			const struct admin_response *resp, FILE *out,
			char *err, size_t err_size)
{
	struct json_object *obj;
	int ret;

	/* /metrics is Prometheus text, with or without --json. */
	if (req->format == ADMIN_FMT_TEXT) {
		fputs(resp->body, out);
		return ADMIN_OK;
	}
	obj = parse_object(resp->body, resp->len);
	if (!obj)
		return admin_err(err, err_size, ADMIN_FAIL,
				 "%s: bad_response: the answer is not a JSON object",
				 req->what);
	if (req->format == ADMIN_FMT_INSTANCE_CREATED) {
		ret = cmd_instance_save(req, obj, out, err, err_size);
	} else if (o->json) {
		fprintf(out, "%s\n", json_object_to_json_string_ext(obj,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		ret = ADMIN_OK;
	} else {
		ret = admin_format(req->format, req->what, obj, out);
		if (ret)
			admin_err(err, err_size, ret,
				  "%s: bad_response: the answer lacks the fields to print (try --json)",
				  req->what);
	}
	json_object_put(obj);
	return ret;
}

int admin_execute(const struct admin_opts *o, struct admin_request *req,
		  FILE *out, char *err, size_t err_size)
{
	struct admin_response resp;
	const char *body = NULL;
	char why[ADMIN_ERR_SIZE];
	int ret;

	if (req->local_init)
		return cmd_init_run(req->init_state, out, err, err_size);
	if (req->body)
		body = json_object_to_json_string_ext(req->body, JSON_C_TO_STRING_PLAIN);
	ret = admin_http(o, req->method, req->path, body, &resp, why, sizeof(why));
	if (ret)
		return admin_err(err, err_size, ret, "%s: transport: %s",
				 req->what, why);
	if (resp.status < 200 || resp.status > 299)
		ret = refused(req, &resp, err, err_size);
	else
		ret = print_answer(o, req, &resp, out, err, err_size);
	admin_response_free(&resp);
	return ret;
}
