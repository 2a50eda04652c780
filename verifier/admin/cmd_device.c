// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin device list|show|approve|revoke|bind|fingerprint|floors-reset:
 * the requests of the /v1/admin/devices endpoints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "admin.h"

/* Fingerprint files are small: 16 components of a few hundred bytes. */
#define FINGERPRINT_FILE_MAX	(1u << 20)

struct device_sub {
	const char *name;
	const char *usage;
	int nr_words;
	bool last_optional;		/* the last word may be left out */
	const struct option *opts;
	int (*build)(const char *id, char **words, const char **values,
		     struct admin_request *req, char *err, size_t err_size);
};

static void set_request(struct admin_request *req, const char *method,
			const char *id, const char *action,
			enum admin_format fmt)
{
	req->method = method;
	req->format = fmt;
	if (action)
		snprintf(req->path, sizeof(req->path), "/v1/admin/devices/%s/%s",
			 id, action);
	else if (id)
		snprintf(req->path, sizeof(req->path), "/v1/admin/devices/%s", id);
	else
		snprintf(req->path, sizeof(req->path), "/v1/admin/devices");
}

/* The signature of device_sub.build, though these two do not fail. */
/* NOLINTBEGIN(readability-non-const-parameter) */
static int build_list(const char *id, char **words, const char **values,
		      struct admin_request *req, char *err, size_t err_size)
{
	(void)id, (void)words, (void)values, (void)err, (void)err_size;
	snprintf(req->what, sizeof(req->what), "list devices");
	set_request(req, "GET", NULL, NULL, ADMIN_FMT_DEVICE_LIST);
	return ADMIN_OK;
}

static int build_show(const char *id, char **words, const char **values,
		      struct admin_request *req, char *err, size_t err_size)
{
	(void)words, (void)values, (void)err, (void)err_size;
	snprintf(req->what, sizeof(req->what), "show device %s", id);
	set_request(req, "GET", id, NULL, ADMIN_FMT_DEVICE_SHOW);
	return ADMIN_OK;
}
/* NOLINTEND(readability-non-const-parameter) */

/* A body of one string field, or an empty object when @value is NULL. */
static struct json_object *string_body(const char *field, const char *value)
{
	struct json_object *body = json_object_new_object();

	if (body && value &&
	    json_object_object_add(body, field, json_object_new_string(value))) {
		json_object_put(body);
		return NULL;
	}
	return body;
}

static int policy_name_error(const char *name, char *err, size_t err_size)
{
	return admin_err(err, err_size, ADMIN_USAGE,
			 "policy name '%s': want 1..%d printable UTF-8 bytes",
			 name, ADMIN_NAME_MAX);
}

static int build_approve(const char *id, char **words, const char **values,
			 struct admin_request *req, char *err, size_t err_size)
{
	(void)words;
	if (values[0] && !admin_name_ok(values[0]))
		return policy_name_error(values[0], err, err_size);
	snprintf(req->what, sizeof(req->what), "approve device %s", id);
	set_request(req, "POST", id, "approve", ADMIN_FMT_DEVICE_STATE);
	req->body = string_body("policy", values[0]);
	return req->body ? ADMIN_OK :
	       admin_err(err, err_size, ADMIN_FAIL, "out of memory");
}

static int build_revoke(const char *id, char **words, const char **values,
			struct admin_request *req, char *err, size_t err_size)
{
	const char *reason = values[0] ? values[0] : "revoked by operator";

	(void)words;
	snprintf(req->what, sizeof(req->what), "revoke device %s", id);
	set_request(req, "POST", id, "revoke", ADMIN_FMT_DEVICE_STATE);
	req->body = string_body("reason", reason);
	return req->body ? ADMIN_OK :
	       admin_err(err, err_size, ADMIN_FAIL, "out of memory");
}

static int build_bind(const char *id, char **words, const char **values,
		      struct admin_request *req, char *err, size_t err_size)
{
	(void)values;
	if (!admin_name_ok(words[0]))
		return policy_name_error(words[0], err, err_size);
	snprintf(req->what, sizeof(req->what), "bind device %s", id);
	set_request(req, "POST", id, "policy", ADMIN_FMT_DEVICE_STATE);
	req->body = string_body("policy", words[0]);
	return req->body ? ADMIN_OK :
	       admin_err(err, err_size, ADMIN_FAIL, "out of memory");
}

/* COMPONENT, or --all: "*" (the server's word for every floor). */
static int build_floors_reset(const char *id, char **words,
			      const char **values, struct admin_request *req,
			      char *err, size_t err_size)
{
	const char *component = values[0] ? "*" : words[0];

	if (!component || (values[0] && words[0]))
		return admin_err(err, err_size, ADMIN_USAGE,
				 "device floors-reset: name one COMPONENT, or --all");
	if (!values[0] && !strcmp(component, "*"))
		return admin_err(err, err_size, ADMIN_USAGE,
				 "device floors-reset: '*' is no component; --all resets every floor");
	if (!admin_name_ok(component))
		return admin_err(err, err_size, ADMIN_USAGE,
				 "component '%s': want 1..%d printable UTF-8 bytes",
				 component, ADMIN_NAME_MAX);
	snprintf(req->what, sizeof(req->what), "reset rollback floors of device %s",
		 id);
	set_request(req, "POST", id, "floors-reset", ADMIN_FMT_DEVICE_STATE);
	req->body = string_body("component", component);
	return req->body ? ADMIN_OK :
	       admin_err(err, err_size, ADMIN_FAIL, "out of memory");
}

/* The fingerprint object of @obj: itself, or its "fingerprint" member. */
static struct json_object *fingerprint_of(struct json_object *obj)
{
	struct json_object *inner;

	if (json_object_object_get_ex(obj, "fingerprint", &inner))
		obj = inner;
	if (!json_object_is_type(obj, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(obj, "components", &inner) ||
	    !json_object_is_type(inner, json_type_array))
		return NULL;
	if (!json_object_object_get_ex(obj, "digest_hex", &inner) ||
	    !json_object_is_type(inner, json_type_string))
		return NULL;
	return obj;
}

static struct json_object *read_json_file(const char *path, char *err,
					  size_t err_size)
{
	struct json_object *obj;
	size_t len;
	char *text = admin_read_file(path, FINGERPRINT_FILE_MAX, &len, err,
				     err_size);

	if (!text)
		return NULL;
	obj = json_tokener_parse(text);
	free(text);
	if (!obj)
		admin_err(err, err_size, ADMIN_FAIL, "%s: not JSON", path);
	return obj;
}

static int build_fingerprint(const char *id, char **words, const char **values,
			     struct admin_request *req, char *err,
			     size_t err_size)
{
	struct json_object *file, *fp;

	(void)values;
	file = read_json_file(words[0], err, err_size);
	if (!file)
		return ADMIN_FAIL;
	fp = fingerprint_of(file);
	if (!fp) {
		json_object_put(file);
		return admin_err(err, err_size, ADMIN_FAIL,
				 "%s: not a fingerprint (want {\"digest_hex\": ..., \"components\": [...]})",
				 words[0]);
	}
	snprintf(req->what, sizeof(req->what), "set the fingerprint of device %s", id);
	set_request(req, "POST", id, "fingerprint", ADMIN_FMT_DEVICE_STATE);
	req->body = json_object_new_object();
	if (!req->body ||
	    json_object_object_add(req->body, "fingerprint", json_object_get(fp))) {
		json_object_put(file);
		return admin_err(err, err_size, ADMIN_FAIL, "out of memory");
	}
	json_object_put(file);
	return ADMIN_OK;
}

static const struct option no_options[] = { { NULL, 0, NULL, 0 } };
static const struct option approve_options[] = {
	{ "policy", required_argument, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};
static const struct option revoke_options[] = {
	{ "reason", required_argument, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};
static const struct option floors_options[] = {
	{ "all", no_argument, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};

/* nr_words counts the words after the device id. */
static const struct device_sub subs[] = {
	{ "list", "device list", -1, false, no_options, build_list },
	{ "show", "device show ID", 0, false, no_options, build_show },
	{ "approve", "device approve ID [--policy NAME]", 0, false,
	  approve_options, build_approve },
	{ "revoke", "device revoke ID [--reason TEXT]", 0, false,
	  revoke_options, build_revoke },
	{ "bind", "device bind ID POLICY", 1, false, no_options, build_bind },
	{ "fingerprint", "device fingerprint ID FILE.json", 1, false,
	  no_options, build_fingerprint },
	{ "floors-reset", "device floors-reset ID COMPONENT|--all", 1, true,
	  floors_options, build_floors_reset },
};

static const struct device_sub *find_sub(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(subs[i].name, name) == 0)
			return &subs[i];
	return NULL;
}

static int run_sub(const struct device_sub *s, int argc, char **argv,
		   struct admin_request *req, char *err, size_t err_size)
{
	const char *values[2] = { NULL, NULL };
	char cmd[32], id[69] = "";
	char **words;
	int nwords, ret, want = s->nr_words < 0 ? 0 : s->nr_words + 1;

	snprintf(cmd, sizeof(cmd), "device %s", s->name);
	ret = admin_getopt(cmd, argc, argv, s->opts, values, &words, &nwords,
			   err, err_size);
	if (ret)
		return ret;
	if (nwords != want && !(s->last_optional && nwords == want - 1))
		return admin_err(err, err_size, ADMIN_USAGE,
				 "%s: wrong number of arguments (usage: %s)",
				 cmd, s->usage);
	if (want && !admin_parse_device_id(words[0], id))
		return admin_err(err, err_size, ADMIN_USAGE,
				 "%s: '%s' is not a device id (68 hex digits)",
				 cmd, words[0]);
	/* a left-out last word reads as NULL, not as whatever follows */
	if (nwords < want) {
		static char *none[] = { NULL };

		return s->build(id, none, values, req, err, err_size);
	}
	return s->build(id, want ? words + 1 : words, values, req, err, err_size);
}

int cmd_device_parse(int argc, char **argv, struct admin_request *req,
		     char *err, size_t err_size)
{
	const struct device_sub *s;

	if (argc < 2)
		return admin_err(err, err_size, ADMIN_USAGE,
				 "device: missing subcommand (list, show, approve, revoke, bind, fingerprint, floors-reset)");
	s = find_sub(argv[1]);
	if (!s)
		return admin_err(err, err_size, ADMIN_USAGE,
				 "device: unknown subcommand '%s'", argv[1]);
	return run_sub(s, argc - 1, argv + 1, req, err, err_size);
}
