// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin token revoke TOKEN_ID: POST /v1/admin/tokens/HEX/revoke.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "admin.h"

static const struct option no_options[] = { { NULL, 0, NULL, 0 } };

int cmd_token_parse(int argc, char **argv, struct admin_request *req,
		    char *err, size_t err_size)
{
	const char *values[1] = { NULL };
	char id[33], **words;
	int nwords, ret;

	if (argc < 2 || strcmp(argv[1], "revoke") != 0)
		return admin_err(err, err_size, ADMIN_USAGE,
				 argc < 2 ? "token: missing subcommand (revoke)" :
				 "token: unknown subcommand (want: token revoke TOKEN_ID)");
	ret = admin_getopt("token revoke", argc - 1, argv + 1, no_options,
			   values, &words, &nwords, err, err_size);
	if (ret)
		return ret;
	if (nwords != 1)
		return admin_err(err, err_size, ADMIN_USAGE,
				 "token revoke: wrong number of arguments (usage: token revoke TOKEN_ID)");
	if (!admin_parse_token_id(words[0], id))
		return admin_err(err, err_size, ADMIN_USAGE,
				 "token revoke: '%s' is not a token id (32 hex digits)",
				 words[0]);
	snprintf(req->what, sizeof(req->what), "revoke token %s", id);
	snprintf(req->path, sizeof(req->path), "/v1/admin/tokens/%s/revoke", id);
	req->method = "POST";
	req->format = ADMIN_FMT_TOKEN_REVOKE;
	req->body = json_object_new_object();
	return req->body ? ADMIN_OK :
	       admin_err(err, err_size, ADMIN_FAIL, "out of memory");
}
