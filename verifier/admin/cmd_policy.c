// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin policy import|list: POST and GET /v1/admin/policies.  The
 * entries of an import come from a reference log or a list
 * (policy_import.c).
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "admin.h"

enum { IMP_VERSION, IMP_FROM_LOG, IMP_FROM_LIST, IMP_NO_PHYSICAL,
	IMP_KEEP_PREVIOUS, IMP_COMPONENTS, IMP_NR };

static const struct option import_options[] = {
	{ "version", required_argument, NULL, IMP_VERSION },
	{ "from-log", required_argument, NULL, IMP_FROM_LOG },
	{ "from-list", required_argument, NULL, IMP_FROM_LIST },
	{ "no-physical", no_argument, NULL, IMP_NO_PHYSICAL },
	{ "keep-previous", no_argument, NULL, IMP_KEEP_PREVIOUS },
	{ "component-list", required_argument, NULL, IMP_COMPONENTS },
	{ NULL, 0, NULL, 0 },
};

static const struct option no_options[] = { { NULL, 0, NULL, 0 } };

#define IMPORT_USAGE \
	"usage: policy import NAME --version V [--from-log FILE] [--from-list FILE] [--no-physical] [--keep-previous] [--component-list FILE]"

static int import_check(char **words, int nwords, const char **v, char *err,
			size_t err_size)
{
	if (nwords != 1)
		return admin_err(err, err_size, ADMIN_USAGE,
				 "policy import: wrong number of arguments (" IMPORT_USAGE ")");
	if (!admin_name_ok(words[0]))
		return admin_err(err, err_size, ADMIN_USAGE,
				 "policy import: name '%s': want 1..%d printable UTF-8 bytes",
				 words[0], ADMIN_NAME_MAX);
	if (!v[IMP_VERSION])
		return admin_err(err, err_size, ADMIN_USAGE,
				 "policy import: --version is required");
	if (!admin_name_ok(v[IMP_VERSION]))
		return admin_err(err, err_size, ADMIN_USAGE,
				 "policy import: --version '%s': want 1..%d printable UTF-8 bytes",
				 v[IMP_VERSION], ADMIN_NAME_MAX);
	if (!v[IMP_FROM_LOG] && !v[IMP_FROM_LIST] && !v[IMP_COMPONENTS])
		return admin_err(err, err_size, ADMIN_USAGE,
				 "policy import: give --from-log, --from-list, --component-list or some of them");
	return ADMIN_OK;
}

static struct json_object *import_body(const char *name, const char *version,
				       struct json_object *entries,
				       bool physical, bool keep_previous)
{
	struct json_object *b = json_object_new_object();

	if (!b)
		return NULL;
	if (json_object_object_add(b, "name", json_object_new_string(name)) ||
	    json_object_object_add(b, "version", json_object_new_string(version)) ||
	    json_object_object_add(b, "entries", json_object_get(entries)) ||
	    json_object_object_add(b, "require_physical",
				   json_object_new_boolean(physical)) ||
	    (keep_previous &&
	     json_object_object_add(b, "keep_previous",
				    json_object_new_boolean(1)))) {
		json_object_put(b);
		return NULL;
	}
	return b;
}

/*
 * The reference log's entries, then the list's that it lacks: a list adds
 * what the reference machine did not measure (another allowed kernel
 * command line, the next kernel) to the same policy.
 */
/*
 * --component-list: programs that may get component keys (seed 002), in
 * the sha256sum format of --from-list, marked in the entries (added when
 * the log or list did not have them).
 */
static int import_components(const char **v, struct json_object **entries,
			     char *err, size_t err_size)
{
	struct json_object *programs = NULL;
	int ret;

	if (!*entries)
		*entries = json_object_new_array();
	if (!*entries)
		return admin_err(err, err_size, ADMIN_FAIL, "out of memory");
	ret = admin_policy_entries_from_list(v[IMP_COMPONENTS], v[IMP_VERSION],
					     &programs, err, err_size);
	if (!ret && admin_policy_entries_mark_keys(*entries, programs))
		ret = admin_err(err, err_size, ADMIN_FAIL, "out of memory");
	json_object_put(programs);
	return ret;
}

static int import_sources(const char **v, struct json_object **entries,
			  char *err, size_t err_size)
{
	struct json_object *more = NULL;
	int ret;

	if (!v[IMP_FROM_LOG])
		return admin_policy_entries_from_list(v[IMP_FROM_LIST],
						      v[IMP_VERSION], entries,
						      err, err_size);
	ret = admin_policy_entries_from_log(v[IMP_FROM_LOG], v[IMP_VERSION],
					    entries, err, err_size);
	if (ret || !v[IMP_FROM_LIST])
		return ret;
	ret = admin_policy_entries_from_list(v[IMP_FROM_LIST], v[IMP_VERSION],
					     &more, err, err_size);
	if (!ret && admin_policy_entries_merge(*entries, more))
		ret = admin_err(err, err_size, ADMIN_FAIL, "out of memory");
	json_object_put(more);
	if (ret) {
		json_object_put(*entries);
		*entries = NULL;
	}
	return ret;
}

static int import_entries(const char **v, struct json_object **entries,
			  char *err, size_t err_size)
{
	int ret = ADMIN_OK;

	if (v[IMP_FROM_LOG] || v[IMP_FROM_LIST])
		ret = import_sources(v, entries, err, err_size);
	if (!ret && v[IMP_COMPONENTS])
		ret = import_components(v, entries, err, err_size);
	if (ret) {
		json_object_put(*entries);
		*entries = NULL;
	}
	return ret;
}

static int parse_import(int argc, char **argv, struct admin_request *req,
			char *err, size_t err_size)
{
	const char *v[IMP_NR] = { NULL };
	struct json_object *entries = NULL;
	char **words;
	int nwords, ret;

	ret = admin_getopt("policy import", argc, argv, import_options, v,
			   &words, &nwords, err, err_size);
	if (!ret)
		ret = import_check(words, nwords, v, err, err_size);
	if (ret)
		return ret;
	ret = import_entries(v, &entries, err, err_size);
	if (ret)
		return ret;
	snprintf(req->what, sizeof(req->what), "import policy %s version %s",
		 words[0], v[IMP_VERSION]);
	snprintf(req->path, sizeof(req->path), "/v1/admin/policies");
	req->method = "POST";
	req->format = ADMIN_FMT_POLICY_CREATED;
	req->body = import_body(words[0], v[IMP_VERSION], entries,
				!v[IMP_NO_PHYSICAL], v[IMP_KEEP_PREVIOUS]);
	json_object_put(entries);
	return req->body ? ADMIN_OK :
	       admin_err(err, err_size, ADMIN_FAIL, "out of memory");
}

static int parse_list(int argc, char **argv, struct admin_request *req,
		      char *err, size_t err_size)
{
	const char *values[1] = { NULL };
	char **words;
	int nwords, ret;

	ret = admin_getopt("policy list", argc, argv, no_options, values,
			   &words, &nwords, err, err_size);
	if (ret)
		return ret;
	if (nwords)
		return admin_err(err, err_size, ADMIN_USAGE,
				 "policy list: unexpected argument '%s'", words[0]);
	snprintf(req->what, sizeof(req->what), "list policies");
	snprintf(req->path, sizeof(req->path), "/v1/admin/policies");
	req->method = "GET";
	req->format = ADMIN_FMT_POLICY_LIST;
	return ADMIN_OK;
}

int cmd_policy_parse(int argc, char **argv, struct admin_request *req,
		     char *err, size_t err_size)
{
	if (argc < 2)
		return admin_err(err, err_size, ADMIN_USAGE,
				 "policy: missing subcommand (import, list)");
	if (strcmp(argv[1], "import") == 0)
		return parse_import(argc - 1, argv + 1, req, err, err_size);
	if (strcmp(argv[1], "list") == 0)
		return parse_list(argc - 1, argv + 1, req, err, err_size);
	return admin_err(err, err_size, ADMIN_USAGE,
			 "policy: unknown subcommand '%s'", argv[1]);
}
