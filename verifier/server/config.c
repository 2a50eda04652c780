// SPDX-License-Identifier: GPL-2.0
/*
 * config.c - one table of options drives both the command line
 * (getopt_long) and the configuration file, so they cannot drift apart.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

enum opt_kind {
	OPT_PATH,	/* string into a CONFIG_PATH_MAX buffer */
	OPT_UINT,	/* unsigned int, bounded */
	OPT_SIZE,	/* size_t, bounded */
	OPT_FLAG,	/* bool set to true, no argument */
	OPT_LISTEN,	/* ADDR:PORT */
	OPT_HOSTNAME,	/* appended to the SAN list */
	OPT_LOGLEVEL,
	OPT_CONFIG,	/* only on the command line */
	OPT_HELP,
	OPT_VERSION,
};

struct opt_desc {
	const char *name;
	enum opt_kind kind;
	size_t offset;
	unsigned long long min, max;
	const char *help;
};

#define OFF(f)	offsetof(struct config, f)

static const struct opt_desc opts[] = {
	{ "state", OPT_PATH, OFF(state_dir), 0, 0, "state directory" },
	{ "listen", OPT_LISTEN, 0, 0, 0, "ADDR:PORT to listen on (port 0: any)" },
	{ "port-file", OPT_PATH, OFF(port_file), 0, 0,
	  "write the bound port to FILE" },
	{ "threads", OPT_UINT, OFF(threads), 1, 256, "worker threads" },
	{ "hostname", OPT_HOSTNAME, 0, 0, 0, "server certificate name (repeat)" },
	{ "nonce-lifetime", OPT_UINT, OFF(nonce_lifetime), 1, 3600,
	  "challenge lifetime, seconds" },
	{ "token-lifetime", OPT_UINT, OFF(token_lifetime), 1, 86400,
	  "release token lifetime, seconds" },
	{ "physical-lifetime", OPT_UINT, OFF(physical_lifetime), 1, 86400,
	  "physical attestation token lifetime, seconds" },
	{ "max-body", OPT_SIZE, OFF(max_body), 1024, 64u << 20,
	  "largest request body, bytes" },
	{ "read-timeout", OPT_UINT, OFF(read_timeout), 1, 3600,
	  "idle connection timeout, seconds" },
	{ "ek-ca", OPT_PATH, OFF(ek_ca), 0, 0, "EK CA bundle (PEM)" },
	{ "require-ek-cert", OPT_FLAG, OFF(require_ek_cert), 0, 0,
	  "refuse registrations without an EK certificate" },
	{ "ca", OPT_PATH, OFF(ca), 0, 0, "CA certificate (bring your own)" },
	{ "cert", OPT_PATH, OFF(cert), 0, 0, "server certificate" },
	{ "key", OPT_PATH, OFF(key), 0, 0, "server key" },
	{ "client-ca", OPT_PATH, OFF(client_ca), 0, 0,
	  "CA of client certificates" },
	{ "hrot-pcr", OPT_UINT, OFF(hrot_pcr), 0, 23, "the module's PCR" },
	{ "foreground", OPT_FLAG, OFF(foreground), 0, 0, "do not daemonize" },
	{ "log-level", OPT_LOGLEVEL, 0, 0, 0, "error, warn, info or debug" },
	{ "config", OPT_CONFIG, 0, 0, 0, "configuration file" },
	{ "help", OPT_HELP, 0, 0, 0, "this text" },
	{ "version", OPT_VERSION, 0, 0, 0, "print the version" },
};

#define NR_OPTS	(sizeof(opts) / sizeof(opts[0]))

static void config_defaults(struct config *cfg)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->state_dir, sizeof(cfg->state_dir), "%s",
		 CONFIG_DEFAULT_STATE);
	snprintf(cfg->listen_host, sizeof(cfg->listen_host), "0.0.0.0");
	cfg->listen_port = 8443;
	cfg->threads = n > 0 && n <= 256 ? (unsigned int)n : 1;
	cfg->nonce_lifetime = 30;
	cfg->token_lifetime = 120;
	cfg->physical_lifetime = 60;
	cfg->max_body = 1u << 20;
	cfg->read_timeout = 10;
	cfg->hrot_pcr = 13;
	cfg->log_level = LOG_LVL_INFO;
}

static int parse_ull(const char *s, unsigned long long min,
		     unsigned long long max, unsigned long long *out)
{
	char *end;

	if (*s == '\0' || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || *end != '\0' || *out < min || *out > max)
		return -1;
	return 0;
}

/* "host:port", "[v6]:port"; the host must be a literal address. */
static int parse_listen(struct config *cfg, const char *s)
{
	const char *colon = strrchr(s, ':');
	const char *host = s;
	size_t host_len;
	unsigned long long port;

	if (!colon || parse_ull(colon + 1, 0, 65535, &port))
		return -1;
	host_len = (size_t)(colon - s);
	if (host_len >= 2 && s[0] == '[' && s[host_len - 1] == ']') {
		host++;
		host_len -= 2;
	}
	if (host_len == 0 || host_len >= sizeof(cfg->listen_host))
		return -1;
	memcpy(cfg->listen_host, host, host_len);
	cfg->listen_host[host_len] = '\0';
	cfg->listen_port = (unsigned int)port;
	return 0;
}

static int set_path(char *dst, const char *value)
{
	size_t len = strlen(value);

	if (len == 0 || len >= CONFIG_PATH_MAX)
		return -1;
	memcpy(dst, value, len + 1);
	return 0;
}

static int set_number(const struct opt_desc *o, void *field, const char *value)
{
	unsigned long long v;

	if (parse_ull(value, o->min, o->max, &v))
		return -1;
	if (o->kind == OPT_UINT)
		*(unsigned int *)field = (unsigned int)v;
	else
		*(size_t *)field = (size_t)v;
	return 0;
}

static int add_hostname(struct config *cfg, const char *value)
{
	size_t len = strlen(value);

	if (cfg->nr_hostnames >= CONFIG_MAX_HOSTNAMES || len == 0 ||
	    len >= sizeof(cfg->hostnames[0]))
		return -1;
	memcpy(cfg->hostnames[cfg->nr_hostnames++], value, len + 1);
	return 0;
}

/* Apply one option with its value (NULL for a flag): 0 or -1. */
static int apply(struct config *cfg, const struct opt_desc *o,
		 const char *value)
{
	void *field = (char *)cfg + o->offset;

	switch (o->kind) {
	case OPT_PATH:
		return set_path(field, value);
	case OPT_UINT:
	case OPT_SIZE:
		return set_number(o, field, value);
	case OPT_FLAG:
		*(bool *)field = true;
		return 0;
	case OPT_LISTEN:
		return parse_listen(cfg, value);
	case OPT_HOSTNAME:
		return add_hostname(cfg, value);
	case OPT_LOGLEVEL:
		return log_level_parse(value, &cfg->log_level);
	default:
		return -1;
	}
}

static const struct opt_desc *find_opt(const char *name)
{
	size_t i;

	for (i = 0; i < NR_OPTS; i++)
		if (strcmp(opts[i].name, name) == 0)
			return &opts[i];
	return NULL;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static bool is_true(const char *v)
{
	return !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1");
}

/* One "key = value" line (comments and blank lines already skipped). */
static int config_line(struct config *cfg, const char *file, unsigned int n,
		       char *line)
{
	char *eq = strchr(line, '=');
	const struct opt_desc *o;
	char *key, *value;

	if (eq)
		*eq = '\0';
	key = trim(line);
	value = eq ? trim(eq + 1) : NULL;
	o = find_opt(key);
	if (!o || o->kind >= OPT_CONFIG) {
		fprintf(stderr, "hrot-verifierd: %s:%u: unknown option '%s'\n",
			file, n, key);
		return -1;
	}
	if (o->kind == OPT_FLAG && value && !is_true(value)) {
		fprintf(stderr, "hrot-verifierd: %s:%u: %s: want true, yes or 1\n",
			file, n, key);
		return -1;
	}
	if ((o->kind != OPT_FLAG && !value) || apply(cfg, o, value)) {
		fprintf(stderr, "hrot-verifierd: %s:%u: bad value for %s\n",
			file, n, key);
		return -1;
	}
	return 0;
}

static int config_file(struct config *cfg, const char *path, bool must_exist)
{
	FILE *f = fopen(path, "re");
	char line[CONFIG_PATH_MAX + 64];
	unsigned int n = 0;
	int ret = 0;

	if (!f) {
		if (!must_exist && errno == ENOENT)
			return 0;
		fprintf(stderr, "hrot-verifierd: --config %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	while (ret == 0 && fgets(line, sizeof(line), f)) {
		char *s = trim(line);

		n++;
		if (*s == '\0' || *s == '#')
			continue;
		ret = config_line(cfg, path, n, s);
	}
	fclose(f);
	return ret;
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: hrot-verifierd [options]\n");
	for (i = 0; i < NR_OPTS; i++)
		fprintf(out, "  --%-20s %s\n", opts[i].name, opts[i].help);
}

static void build_longopts(struct option *lo)
{
	size_t i;

	for (i = 0; i < NR_OPTS; i++) {
		bool no_arg = opts[i].kind == OPT_FLAG ||
			      opts[i].kind == OPT_HELP ||
			      opts[i].kind == OPT_VERSION;

		lo[i].name = opts[i].name;
		lo[i].has_arg = no_arg ? no_argument : required_argument;
		lo[i].flag = NULL;
		lo[i].val = 256 + (int)i;
	}
	memset(&lo[NR_OPTS], 0, sizeof(struct option));
}

/* The configuration file named by --config, or the default one. */
static int config_file_pass(struct config *cfg, int argc, char **argv,
			    const struct option *lo)
{
	const char *path = CONFIG_DEFAULT_FILE;
	bool explicit = false;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c >= 256 && opts[c - 256].kind == OPT_CONFIG) {
			path = optarg;
			explicit = true;
		}
	}
	return config_file(cfg, path, explicit);
}

static int command_line_pass(struct config *cfg, int argc, char **argv,
			     const struct option *lo)
{
	int c;

	opterr = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		const struct opt_desc *o;

		if (c < 256) {
			usage(stderr);
			return -1;
		}
		o = &opts[c - 256];
		if (o->kind == OPT_HELP) {
			usage(stdout);
			return 1;
		}
		if (o->kind == OPT_VERSION) {
			printf("hrot-verifierd %s\n", HROT_VERSION);
			return 1;
		}
		if (o->kind != OPT_CONFIG && apply(cfg, o, optarg)) {
			fprintf(stderr, "hrot-verifierd: bad value for --%s: '%s'\n",
				o->name, optarg ? optarg : "");
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hrot-verifierd: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

static int config_check(const struct config *cfg)
{
	bool byo = cfg->cert[0] || cfg->key[0];

	if (byo && !(cfg->cert[0] && cfg->key[0])) {
		fprintf(stderr, "hrot-verifierd: --cert and --key go together\n");
		return -1;
	}
	if (cfg->ca[0] && !cfg->cert[0]) {
		fprintf(stderr, "hrot-verifierd: --ca needs --cert and --key "
			"(no CA key to issue a server certificate)\n");
		return -1;
	}
	if (cfg->require_ek_cert && !cfg->ek_ca[0]) {
		fprintf(stderr,
			"hrot-verifierd: --require-ek-cert needs --ek-ca\n");
		return -1;
	}
	return 0;
}

int config_load(struct config *cfg, int argc, char **argv)
{
	struct option lo[NR_OPTS + 1];
	int ret;

	config_defaults(cfg);
	build_longopts(lo);
	if (config_file_pass(cfg, argc, argv, lo))
		return -1;
	ret = command_line_pass(cfg, argc, argv, lo);
	if (ret)
		return ret;
	return config_check(cfg);
}

int config_state_path(const struct config *cfg, const char *name, char *buf,
		      size_t size)
{
	int n = snprintf(buf, size, "%s/%s", cfg->state_dir, name);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}
