// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin: the operator's command line for hrot-verifierd
 * (Documentation/hrot-admin.md).  Exit 0 on success, 1 when the call or a
 * file failed, 2 for a wrong command line.
 */
#include <stdio.h>
#include <stdlib.h>

#include <curl/curl.h>

#include "admin.h"

static int finish(int ret, const char *err)
{
	if (ret) {
		fflush(stdout);
		fprintf(stderr, "hrot-admin: %s\n", err);
		if (ret == ADMIN_USAGE)
			fputs("try 'hrot-admin --help'\n", stderr);
	}
	/* A full disk or closed pipe on stdout is a failure too. */
	if (fflush(stdout) || ferror(stdout)) {
		if (!ret)
			fputs("hrot-admin: writing the output failed\n", stderr);
		return ret ? ret : ADMIN_FAIL;
	}
	return ret;
}

int main(int argc, char **argv)
{
	char err[ADMIN_ERR_SIZE] = "";
	struct admin_request req;
	struct admin_opts o;
	int ret;

	ret = admin_parse(argc, argv, getenv, &o, &req, err, sizeof(err));
	if (ret == ADMIN_OK && o.help) {
		admin_usage(stdout);
	} else if (ret == ADMIN_OK && o.version) {
		printf("hrot-admin %s\n", HROT_VERSION);
	} else if (ret == ADMIN_OK) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
			admin_request_free(&req);
			return finish(ADMIN_FAIL, "libcurl failed to initialise");
		}
		ret = admin_execute(&o, &req, stdout, err, sizeof(err));
		curl_global_cleanup();
	}
	admin_request_free(&req);
	return finish(ret, err);
}
