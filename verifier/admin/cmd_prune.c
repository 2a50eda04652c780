// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin prune --older-than DAYS: retention (POST /v1/admin/prune).
 * The verifier forgets expired tokens and passing runtime and component
 * verdicts older than that (Documentation/agent.md, "Limits"); refusals
 * and operator actions stay.
 */
#include <stdio.h>

#include <json-c/json.h>

#include "admin.h"

#define PRUNE_MAX_DAYS	36500

static const struct option prune_options[] = {
	{ "older-than", required_argument, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};

int cmd_prune_parse(int argc, char **argv, struct admin_request *req,
		    char *err, size_t err_size)
{
	const char *values[1] = { NULL };
	char **words;
	int nwords, ret;
	long days;

	ret = admin_getopt("prune", argc, argv, prune_options, values, &words,
			   &nwords, err, err_size);
	if (ret)
		return ret;
	if (nwords != 0 || !values[0])
		return admin_err(err, err_size, ADMIN_USAGE,
				 "usage: prune --older-than DAYS");
	if (!admin_parse_long(values[0], 0, PRUNE_MAX_DAYS, &days))
		return admin_err(err, err_size, ADMIN_USAGE,
				 "prune: --older-than '%s' is not a number of days in 0..%d",
				 values[0], PRUNE_MAX_DAYS);
	snprintf(req->what, sizeof(req->what), "prune records older than %ld days",
		 days);
	snprintf(req->path, sizeof(req->path), "/v1/admin/prune");
	req->method = "POST";
	req->format = ADMIN_FMT_PRUNE;
	req->body = json_object_new_object();
	if (!req->body ||
	    json_object_object_add(req->body, "older_than_days",
				   json_object_new_int64(days)))
		return admin_err(err, err_size, ADMIN_FAIL, "out of memory");
	return ADMIN_OK;
}
