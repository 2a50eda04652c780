// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: attested unlock of LUKS2 volumes (Documentation/unlock.md).
 *
 *   hrot-unlock bind DEVICE [--metadata F] [--key-file F] [--verifier URL]
 *                           [--ca F] [--token-key F]
 *   hrot-unlock unbind DEVICE
 *   hrot-unlock status DEVICE [--json]
 *   hrot-unlock open DEVICE NAME [--test-passphrase] [--readonly]
 *                                [--no-keyring] [--recovery]
 *                                [--recovery-key-file F] [--token-out F]
 *   hrot-unlock enroll [--metadata F] [--hostname H] [--wait S] [--poll S]
 *                      [--instance HEX]
 *   hrot-unlock seal-image IN OUT --instance-file F [--verifier URL]
 *                                 [--ca F] [--token-key F]
 *
 * Common: --config F (default /etc/hrot/unlock.conf).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: hrot-unlock bind DEVICE [--metadata F] [--key-file F]\n"
		"                   [--verifier URL] [--ca F] [--token-key F]\n"
		"       hrot-unlock unbind DEVICE\n"
		"       hrot-unlock status DEVICE [--json]\n"
		"       hrot-unlock open DEVICE NAME [--test-passphrase] [--readonly]\n"
		"                   [--no-keyring] [--recovery] [--recovery-key-file F]\n"
		"                   [--keyring-file F] [--token-out F]\n"
		"       hrot-unlock enroll [--metadata F] [--hostname H] [--wait S] [--poll S]\n"
		"                   [--instance HEX]\n"
		"       hrot-unlock seal-image IN OUT --instance-file F [--verifier URL]\n"
		"                   [--ca F] [--token-key F]\n"
		"common: --config F (default " UNLOCK_CONF_PATH ")\n");
}

static const struct {
	const char *name;
	int (*run)(struct unlock_opts *o);
	int args;
} commands[] = {
	{ "bind", cmd_bind, 1 },
	{ "unbind", cmd_unbind, 1 },
	{ "status", cmd_status, 1 },
	{ "open", cmd_open, 2 },
	{ "enroll", cmd_enroll, 0 },
	{ "seal-image", cmd_seal_image, 2 },
};

static const struct option long_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "verifier", required_argument, NULL, 'v' },
	{ "ca", required_argument, NULL, 'C' },
	{ "token-key", required_argument, NULL, 'k' },
	{ "metadata", required_argument, NULL, 'm' },
	{ "key-file", required_argument, NULL, 'K' },
	{ "recovery-key-file", required_argument, NULL, 'R' },
	{ "keyring-file", required_argument, NULL, 'y' },
	{ "token-out", required_argument, NULL, 'T' },
	{ "hostname", required_argument, NULL, 'H' },
	{ "instance", required_argument, NULL, 'I' },
	{ "instance-file", required_argument, NULL, 'F' },
	{ "wait", required_argument, NULL, 'w' },
	{ "poll", required_argument, NULL, 'p' },
	{ "no-keyring", no_argument, NULL, 'n' },
	{ "test-passphrase", no_argument, NULL, 't' },
	{ "recovery", no_argument, NULL, 'r' },
	{ "readonly", no_argument, NULL, 'o' },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static long seconds(const char *s)
{
	char *end = NULL;
	long v = strtol(s, &end, 10);

	return *s && !*end && v > 0 && v <= 86400 ? v * 1000 : -1;
}

static int set_flag(struct unlock_opts *o, int ch)
{
	switch (ch) {
	case 'n': o->no_keyring = true; break;
	case 't': o->test_passphrase = true; break;
	case 'r': o->recovery = true; break;
	case 'o': o->readonly = true; break;
	case 'j': o->json = true; break;
	default: return -1;
	}
	return 0;
}

static int set_option(struct unlock_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'c': o->config = arg; break;
	case 'v': o->verifier = arg; break;
	case 'C': o->ca = arg; break;
	case 'k': o->token_key = arg; break;
	case 'm': o->metadata = arg; break;
	case 'K': o->key_file = arg; break;
	case 'R': o->recovery_key_file = arg; break;
	case 'y': o->keyring_path = arg; break;
	case 'T': o->token_out = arg; break;
	case 'H': o->hostname = arg; break;
	case 'I': o->instance = arg; break;
	case 'F': o->instance_file = arg; break;
	case 'w': o->wait_ms = seconds(arg); return o->wait_ms < 0 ? -1 : 0;
	case 'p': o->poll_ms = seconds(arg); return o->poll_ms < 0 ? -1 : 0;
	default: return set_flag(o, ch);
	}
	return 0;
}

static int parse(int argc, char **argv, struct unlock_opts *o)
{
	int ch, idx = 0;

	while ((ch = getopt_long(argc, argv, "h", long_opts, &idx)) != -1) {
		if (ch == 'h') {
			usage(stdout);
			exit(UNLOCK_EXIT_OK);
		}
		if (set_option(o, ch, optarg)) {
			if (ch != '?')
				cli_error("bad value for --%s: '%s'",
					  long_opts[idx].name,
					  optarg ? optarg : "");
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct unlock_opts o = { .poll_ms = 5000, .wait_ms = 600000 };
	const char *cmd;
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return UNLOCK_EXIT_USAGE;
	}
	cmd = argv[1];
	/* Options may come anywhere after the command (getopt permutes). */
	if (parse(argc - 1, argv + 1, &o))
		return UNLOCK_EXIT_USAGE;
	o.args = argv + 1 + optind;
	o.nargs = argc - 1 - optind;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(cmd, commands[i].name) != 0)
			continue;
		if (o.nargs != commands[i].args) {
			usage(stderr);
			return UNLOCK_EXIT_USAGE;
		}
		return commands[i].run(&o);
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return UNLOCK_EXIT_OK;
	}
	cli_error("unknown command '%s'", cmd);
	usage(stderr);
	return UNLOCK_EXIT_USAGE;
}
