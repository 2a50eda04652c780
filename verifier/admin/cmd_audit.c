// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin audit, revocations, metrics: the read-only views.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "admin.h"

#define AUDIT_MAX_LIMIT	100000

static const struct option no_options[] = { { NULL, 0, NULL, 0 } };

static const struct option audit_options[] = {
	{ "device", required_argument, NULL, 0 },
	{ "since", required_argument, NULL, 1 },
	{ "limit", required_argument, NULL, 2 },
	{ NULL, 0, NULL, 0 },
};

/* Append "&name=value" (or "?name=value" first) to the path. */
static void add_query(struct admin_request *req, const char *name,
		      const char *value)
{
	size_t len = strlen(req->path);

	snprintf(req->path + len, sizeof(req->path) - len, "%c%s=%s",
		 strchr(req->path, '?') ? '&' : '?', name, value);
}

static int audit_query(const char **values, struct admin_request *req,
		       char *err, size_t err_size)
{
	char num[24];
	long v;

	if (values[0]) {
		char id[69];

		if (!admin_parse_device_id(values[0], id))
			return admin_err(err, err_size, ADMIN_USAGE,
					 "audit: --device '%s' is not a device id (68 hex digits)",
					 values[0]);
		add_query(req, "device", id);
	}
	if (values[1]) {
		if (!admin_parse_long(values[1], 0, LONG_MAX, &v))
			return admin_err(err, err_size, ADMIN_USAGE,
					 "audit: --since '%s' is not a record id (0 or more)",
					 values[1]);
		snprintf(num, sizeof(num), "%ld", v);
		add_query(req, "since", num);
	}
	if (values[2]) {
		if (!admin_parse_long(values[2], 1, AUDIT_MAX_LIMIT, &v))
			return admin_err(err, err_size, ADMIN_USAGE,
					 "audit: --limit '%s' is not a count in 1..%d",
					 values[2], AUDIT_MAX_LIMIT);
		snprintf(num, sizeof(num), "%ld", v);
		add_query(req, "limit", num);
	}
	return ADMIN_OK;
}

int cmd_audit_parse(int argc, char **argv, struct admin_request *req,
		    char *err, size_t err_size)
{
	const char *values[3] = { NULL, NULL, NULL };
	char **words;
	int nwords, ret;

	ret = admin_getopt("audit", argc, argv, audit_options, values, &words,
			   &nwords, err, err_size);
	if (ret)
		return ret;
	if (nwords)
		return admin_err(err, err_size, ADMIN_USAGE,
				 "audit: unexpected argument '%s' (usage: audit [--device ID] [--since ID] [--limit N])",
				 words[0]);
	snprintf(req->what, sizeof(req->what), "read the audit log");
	snprintf(req->path, sizeof(req->path), "/v1/admin/audit");
	req->method = "GET";
	req->format = ADMIN_FMT_AUDIT;
	return audit_query(values, req, err, err_size);
}

/* A command without options or arguments. */
static int bare_command(const char *cmd, int argc, char **argv, char *err,
			size_t err_size)
{
	const char *values[1] = { NULL };
	char **words;
	int nwords, ret;

	ret = admin_getopt(cmd, argc, argv, no_options, values, &words,
			   &nwords, err, err_size);
	if (ret)
		return ret;
	if (nwords)
		return admin_err(err, err_size, ADMIN_USAGE,
				 "%s: unexpected argument '%s'", cmd, words[0]);
	return ADMIN_OK;
}

int cmd_revocations_parse(int argc, char **argv, struct admin_request *req,
			  char *err, size_t err_size)
{
	int ret = bare_command("revocations", argc, argv, err, err_size);

	if (ret)
		return ret;
	snprintf(req->what, sizeof(req->what), "read the revocation list");
	snprintf(req->path, sizeof(req->path), "/v1/revocations");
	req->method = "GET";
	req->format = ADMIN_FMT_REVOCATIONS;
	return ADMIN_OK;
}

int cmd_metrics_parse(int argc, char **argv, struct admin_request *req,
		      char *err, size_t err_size)
{
	int ret = bare_command("metrics", argc, argv, err, err_size);

	if (ret)
		return ret;
	snprintf(req->what, sizeof(req->what), "read the metrics");
	snprintf(req->path, sizeof(req->path), "/metrics");
	req->method = "GET";
	req->format = ADMIN_FMT_TEXT;
	return ADMIN_OK;
}
