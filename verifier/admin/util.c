// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin: checks of command-line values shared by the command parsers.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include <hrot/hex.h>
#include <linux/hrot_token.h>

#include "admin.h"

int admin_err(char *err, size_t err_size, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
	return code;
}

/* Exactly @n hex digits, lower-cased into @out (n + 1 bytes). */
static bool parse_hex_id(const char *s, size_t n, char *out)
{
	size_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return false;
		out[i] = (char)tolower((unsigned char)s[i]);
	}
	out[n] = '\0';
	return true;
}

bool admin_parse_device_id(const char *s, char out[69])
{
	return parse_hex_id(s, (size_t)2 * HROT_DEVICE_NAME_SIZE, out);
}

bool admin_parse_token_id(const char *s, char out[33])
{
	return parse_hex_id(s, (size_t)2 * HROT_TOKEN_ID_SIZE, out);
}

bool admin_name_ok(const char *s)
{
	size_t len = strlen(s), i;

	if (len == 0 || len > ADMIN_NAME_MAX || !hrot_utf8_valid(s, len))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

bool admin_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!*s || isspace((unsigned char)*s))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

void admin_getopt_reset(void)
{
	optind = 0;
	opterr = 0;
}

const char *admin_bad_option(char **argv, int optopt_c)
{
	const char *last = optind > 0 ? argv[optind - 1] : NULL;

	/* A long option: getopt has stepped past it, so it is the last word. */
	if (last && strncmp(last, "--", 2) == 0)
		return last;
	if (optopt_c > ' ' && optopt_c < 0x7f) {
		static char buf[3];

		buf[0] = '-';
		buf[1] = (char)optopt_c;
		buf[2] = '\0';
		return buf;
	}
	return last ? last : "?";
}

void admin_request_free(struct admin_request *req)
{
	json_object_put(req->body);
	req->body = NULL;
}

int admin_getopt(const char *cmd, int argc, char **argv,
		 const struct option *opts, const char **values, char ***pos, int *npos, char *err,
		 size_t err_size)
{
	int c;

	admin_getopt_reset();
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == '?')
			return admin_err(err, err_size, ADMIN_USAGE,
					 "%s: unknown option '%s'", cmd,
					 admin_bad_option(argv, optopt));
		if (c == ':')
			return admin_err(err, err_size, ADMIN_USAGE,
					 "%s: option '%s' needs a value", cmd,
					 admin_bad_option(argv, optopt));
		if (values[c])
			return admin_err(err, err_size, ADMIN_USAGE,
					 "%s: option '--%s' given twice", cmd,
					 opts[c].name);
		values[c] = optarg ? optarg : "";
	}
	*pos = argv + optind;
	*npos = argc - optind;
	return ADMIN_OK;
}

char *admin_read_file(const char *path, size_t max, size_t *len, char *err,
		      size_t err_size)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	if (!f) {
		admin_err(err, err_size, ADMIN_FAIL, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(max + 1);
	if (!buf) {
		fclose(f);
		admin_err(err, err_size, ADMIN_FAIL, "%s: out of memory", path);
		return NULL;
	}
	/* One byte more than allowed tells an oversized file apart. */
	n = fread(buf, 1, max + 1, f);
	if (ferror(f) || n > max) {
		admin_err(err, err_size, ADMIN_FAIL, "%s: %s", path,
			  ferror(f) ? "read error" : "file too large");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}
