// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin instance create [--out FILE]: POST /v1/admin/instances, an
 * instance made ahead of its device, for hrot-unlock seal-image.
 *
 * The answer holds the instance's volume secret: it goes to FILE (0600,
 * written beside it and renamed, so no reader sees half of it and no
 * other mode is ever visible), or to stdout when there is no --out.
 * Nothing else in hrot-admin prints a secret.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "admin.h"

enum { OPT_OUT, NR_OPTS };

static const struct option instance_options[] = {
	[OPT_OUT] = { "out", required_argument, NULL, OPT_OUT },
	{ NULL, 0, NULL, 0 },
};

int cmd_instance_parse(int argc, char **argv, struct admin_request *req,
		       char *err, size_t err_size)
{
	const char *values[NR_OPTS] = { NULL };
	char **words;
	int nwords, ret;

	if (argc < 2 || strcmp(argv[1], "create") != 0)
		return admin_err(err, err_size, ADMIN_USAGE,
				 argc < 2 ? "instance: missing subcommand (create)" :
				 "instance: unknown subcommand (want: instance create [--out FILE])");
	ret = admin_getopt("instance create", argc - 1, argv + 1,
			   instance_options, values, &words, &nwords, err,
			   err_size);
	if (ret)
		return ret;
	if (nwords != 0)
		return admin_err(err, err_size, ADMIN_USAGE,
				 "instance create: unexpected argument '%s' (usage: instance create [--out FILE])",
				 words[0]);
	if (values[OPT_OUT]) {
		if (!*values[OPT_OUT] ||
		    strlen(values[OPT_OUT]) >= sizeof(req->out_file) - 8)
			return admin_err(err, err_size, ADMIN_USAGE,
					 "instance create: --out: empty or too long a file name");
		snprintf(req->out_file, sizeof(req->out_file), "%s",
			 values[OPT_OUT]);
	}
	snprintf(req->what, sizeof(req->what), "create instance");
	snprintf(req->path, sizeof(req->path), "/v1/admin/instances");
	req->method = "POST";
	req->format = ADMIN_FMT_INSTANCE_CREATED;
	req->body = json_object_new_object();
	return req->body ? ADMIN_OK :
	       admin_err(err, err_size, ADMIN_FAIL, "out of memory");
}

static const char *member_string(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return NULL;
}

/* The three fields seal-image needs, in the shapes it needs. */
static bool answer_ok(struct json_object *resp)
{
	const char *hex = member_string(resp, "instance_hex");
	const char *secret = member_string(resp, "secret");
	struct json_object *v;

	return hex && strlen(hex) == 32 &&
	       strspn(hex, "0123456789abcdef") == 32 && secret && *secret &&
	       json_object_object_get_ex(resp, "created_at", &v) &&
	       json_object_is_type(v, json_type_int) &&
	       json_object_get_int64(v) >= 0;
}

static int write_private(const char *path, const char *text)
{
	char tmp[ADMIN_PATH_MAX];
	size_t len = strlen(text);
	int fd, ret = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0600) || write(fd, text, len) != (ssize_t)len ||
	    write(fd, "\n", 1) != 1 || fsync(fd))
		ret = errno ? -errno : -EIO;
	if (close(fd) && !ret)
		ret = -EIO;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

int cmd_instance_save(const struct admin_request *req,
		      struct json_object *resp, FILE *out, char *err,
		      size_t err_size)
{
	const char *text;
	int ret;

	if (!answer_ok(resp))
		return admin_err(err, err_size, ADMIN_FAIL,
				 "%s: bad_response: want instance_hex, created_at and secret",
				 req->what);
	text = json_object_to_json_string_ext(resp, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!req->out_file[0]) {
		fprintf(out, "%s\n", text);
		return ADMIN_OK;
	}
	ret = write_private(req->out_file, text);
	if (ret)
		return admin_err(err, err_size, ADMIN_FAIL, "%s: %s: %s",
				 req->what, req->out_file, strerror(-ret));
	fprintf(out, "instance %s created; its secret is in %s (mode 0600)\n",
		member_string(resp, "instance_hex"), req->out_file);
	return ADMIN_OK;
}
