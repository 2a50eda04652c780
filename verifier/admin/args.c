// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin: global options, their defaults, and the choice of command.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "admin.h"

enum {
	OPT_VERIFIER = 256,
	OPT_CA,
	OPT_CERT,
	OPT_KEY,
	OPT_STATE,
	OPT_JSON,
	OPT_TIMEOUT,
	OPT_VERSION,
};

static const struct option global_options[] = {
	{ "verifier", required_argument, NULL, OPT_VERIFIER },
	{ "ca", required_argument, NULL, OPT_CA },
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

void admin_usage(FILE *out)
{
	fputs("usage: hrot-admin [--verifier URL] [--ca FILE] [--cert FILE] [--key FILE]\n"
	      "                  [--state DIR] [--json] [--timeout S] COMMAND ...\n"
	      "commands:\n"
	      "  init [--state DIR]\n"
	      "  device list\n"
	      "  device show ID\n"
	      "  device approve ID [--policy NAME]\n"
	      "  device revoke ID [--reason TEXT]\n"
	      "  device bind ID POLICY\n"
	      "  device fingerprint ID FILE.json\n"
	      "  device floors-reset ID COMPONENT|--all\n"
	      "  token revoke TOKEN_ID\n"
	      "  instance create [--out FILE]\n"
	      "  policy import NAME --version V [--from-log FILE] [--from-list FILE]\n"
	      "                [--no-physical] [--keep-previous]\n"
	      "  policy list\n"
	      "  audit [--device ID] [--since ID] [--limit N]\n"
	      "  revocations\n"
	      "  prune --older-than DAYS\n"
	      "  metrics\n"
	      "defaults: --verifier $" ADMIN_URL_ENV " or " ADMIN_DEFAULT_URL
	      ", --state " ADMIN_DEFAULT_STATE ",\n"
	      "  --ca/--cert/--key STATE/ca.pem, STATE/operator.pem, STATE/operator.key\n",
	      out);
}

/* Hold one file option's value; the defaults come later. */
static int set_path(char *dst, const char *val, const char *opt, char *err,
		    size_t err_size)
{
	if (!*val)
		return admin_err(err, err_size, ADMIN_USAGE, "%s: empty file name", opt);
	if (strlen(val) >= ADMIN_PATH_MAX)
		return admin_err(err, err_size, ADMIN_USAGE, "%s: file name too long", opt);
	memcpy(dst, val, strlen(val) + 1);
	return ADMIN_OK;
}

static int global_option(int c, struct admin_opts *o, char *err,
			 size_t err_size)
{
	switch (c) {
	case OPT_VERIFIER:
		o->url = optarg;
		return ADMIN_OK;
	case OPT_CA:
		return set_path(o->ca, optarg, "--ca", err, err_size);
	case OPT_CERT:
		return set_path(o->cert, optarg, "--cert", err, err_size);
	case OPT_KEY:
		return set_path(o->key, optarg, "--key", err, err_size);
	case OPT_STATE:
		if (!*optarg)
			return admin_err(err, err_size, ADMIN_USAGE, "--state: empty directory name");
		o->state = optarg;
		return ADMIN_OK;
	case OPT_JSON:
		o->json = true;
		return ADMIN_OK;
	case OPT_TIMEOUT:
		if (!admin_parse_long(optarg, 1, ADMIN_MAX_TIMEOUT, &o->timeout))
			return admin_err(err, err_size, ADMIN_USAGE,
					 "--timeout: '%s' is not a number of seconds in 1..%d",
					 optarg, ADMIN_MAX_TIMEOUT);
		return ADMIN_OK;
	case 'h':
		o->help = true;
		return ADMIN_OK;
	case OPT_VERSION:
		o->version = true;
		return ADMIN_OK;
	default:
		return ADMIN_USAGE;
	}
}

/* STATE/NAME into @dst unless the option set it. */
static int default_path(char *dst, const char *state, const char *name,
			char *err, size_t err_size)
{
	int n;

	if (*dst)
		return ADMIN_OK;
	n = snprintf(dst, ADMIN_PATH_MAX, "%s/%s", state, name);
	if (n < 0 || n >= ADMIN_PATH_MAX)
		return admin_err(err, err_size, ADMIN_USAGE, "--state: directory name too long");
	return ADMIN_OK;
}

static int apply_defaults(struct admin_opts *o, admin_getenv_fn env,
			  char *err, size_t err_size)
{
	const char *url = o->url;
	int ret;

	if (!url && env)
		url = env(ADMIN_URL_ENV);
	if (!url || !*url)
		url = ADMIN_DEFAULT_URL;
	/* Mutual TLS or nothing: a plain-HTTP URL would send no certificate. */
	if (strncasecmp(url, "https://", 8) != 0 || !url[8])
		return admin_err(err, err_size, ADMIN_USAGE,
				 "--verifier: '%s' is not an https:// URL", url);
	o->url = url;
	if (!o->state)
		o->state = ADMIN_DEFAULT_STATE;
	ret = default_path(o->ca, o->state, "ca.pem", err, err_size);
	if (!ret)
		ret = default_path(o->cert, o->state, "operator.pem", err, err_size);
	if (!ret)
		ret = default_path(o->key, o->state, "operator.key", err, err_size);
	return ret;
}

int admin_parse_global(int argc, char **argv, admin_getenv_fn env,
		       struct admin_opts *o, int *next, char *err,
		       size_t err_size)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->timeout = ADMIN_DEFAULT_TIMEOUT;
	admin_getopt_reset();
	/* '+': stop at the command, whose own options come after it. */
	while ((c = getopt_long(argc, argv, "+:h", global_options, NULL)) != -1) {
		if (c == '?')
			return admin_err(err, err_size, ADMIN_USAGE, "unknown option '%s'",
					 admin_bad_option(argv, optopt));
		if (c == ':')
			return admin_err(err, err_size, ADMIN_USAGE, "option '%s' needs a value",
					 admin_bad_option(argv, optopt));
		int ret = global_option(c, o, err, err_size);

		if (ret)
			return ret;
	}
	*next = optind;
	return apply_defaults(o, env, err, err_size);
}

typedef int (*parse_fn)(int argc, char **argv, struct admin_request *req,
			char *err, size_t err_size);

static const struct {
	const char *name;
	parse_fn parse;
} commands[] = {
	{ "device", cmd_device_parse },
	{ "token", cmd_token_parse },
	{ "instance", cmd_instance_parse },
	{ "policy", cmd_policy_parse },
	{ "audit", cmd_audit_parse },
	{ "revocations", cmd_revocations_parse },
	{ "metrics", cmd_metrics_parse },
	{ "prune", cmd_prune_parse },
};

int admin_parse(int argc, char **argv, admin_getenv_fn env,
		struct admin_opts *o, struct admin_request *req, char *err,
		size_t err_size)
{
	int next = 0, ret;
	size_t i;

	memset(req, 0, sizeof(*req));
	*err = '\0';
	ret = admin_parse_global(argc, argv, env, o, &next, err, err_size);
	if (ret || o->help || o->version)
		return ret;
	if (next >= argc)
		return admin_err(err, err_size, ADMIN_USAGE, "no command given");
	if (strcmp(argv[next], "init") == 0)
		return cmd_init_parse(argc - next, argv + next, o, req, err, err_size);
	if (strcmp(argv[next], "help") == 0) {
		o->help = true;
		return ADMIN_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[next], commands[i].name) == 0)
			return commands[i].parse(argc - next, argv + next, req, err,
						 err_size);
	return admin_err(err, err_size, ADMIN_USAGE, "unknown command '%s'", argv[next]);
}
