// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-agent: continuous attestation of the running system
 * (Documentation/agent.md).
 *
 *   hrot-agent [--config F] [--metadata F] [--interval T] [--settle T]
 *              [--once | --count N] [--no-keyring] [--no-events]
 *              [--component PROGRAM]
 *
 * --component (seed 002): the module measures PROGRAM at start, and every
 * attestation asks for a token of kind COMPONENT naming it, with which
 * that program (and no other) gets its keys from the TPM
 * (HROT_IOC_COMPONENT_KEY).
 *
 * T: seconds ("300", "300s") or milliseconds ("500ms").  One line per
 * attestation on stdout.  --once is one attestation: exit 0 on a pass, 1
 * otherwise; without it the agent runs until SIGTERM or SIGINT (exit 0).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"

#define DEFAULT_INTERVAL_MS	(60L * 1000L)
#define DEFAULT_SETTLE_MS	2000L

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: hrot-agent [--config F] [--metadata F] [--interval T] [--settle T]\n"
		"                  [--once | --count N] [--no-keyring] [--no-events]\n"
		"                  [--component PROGRAM]\n"
		"T: seconds (60, 60s) or milliseconds (500ms); defaults: --interval 60,\n"
		"--settle 2; --config " UNLOCK_CONF_PATH ", --metadata " UNLOCK_METADATA_PATH "\n");
}

static int bad(const char *opt, const char *value)
{
	fprintf(stderr, "hrot-agent: %s: bad value '%s'\n", opt, value);
	usage(stderr);
	return AGENT_EXIT_USAGE;
}

static int parse_count(const char *s, unsigned int *out)
{
	char *end = NULL;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || v == 0 || v > 1000000)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

/* What getopt cannot say: the operands and the options together. */
static int check_args(int argc, char **argv, struct agent_opts *o)
{
	if (o->once && o->count) {
		fprintf(stderr, "hrot-agent: --once and --count exclude each other\n");
		return AGENT_EXIT_USAGE;
	}
	if (o->once)
		o->count = 1;
	if (optind != argc) {
		fprintf(stderr, "hrot-agent: unexpected argument '%s'\n",
			argv[optind]);
		return AGENT_EXIT_USAGE;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct agent_opts *o)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "metadata", required_argument, NULL, 'm' },
		{ "keyring-file", required_argument, NULL, 'y' },
		{ "interval", required_argument, NULL, 'i' },
		{ "settle", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "once", no_argument, NULL, '1' },
		{ "no-keyring", no_argument, NULL, 'K' },
		{ "no-events", no_argument, NULL, 'E' },
		{ "component", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	*o = (struct agent_opts){ .interval_ms = DEFAULT_INTERVAL_MS,
				  .settle_ms = DEFAULT_SETTLE_MS };
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': o->config = optarg; break;
		case 'm': o->metadata = optarg; break;
		case 'y': o->keyring_path = optarg; break;
		case 'i':
			if (unlock_parse_time(optarg, &o->interval_ms))
				return bad("--interval", optarg);
			break;
		case 's':
			if (unlock_parse_time(optarg, &o->settle_ms))
				return bad("--settle", optarg);
			break;
		case 'n':
			if (parse_count(optarg, &o->count))
				return bad("--count", optarg);
			break;
		case '1': o->once = true; break;
		case 'K': o->no_keyring = true; break;
		case 'E': o->no_events = true; break;
		case 'P': o->component = optarg; break;
		case 'h': usage(stdout); exit(AGENT_EXIT_OK);
		default: usage(stderr); return AGENT_EXIT_USAGE;
		}
	}
	return check_args(argc, argv, o);
}

/* Configuration and enrolled metadata, checked before the first round. */
static int setup(struct agent *ag)
{
	const struct agent_opts *o = ag->o;
	const char *conf = o->config ? o->config : UNLOCK_CONF_PATH;
	const char *meta = o->metadata ? o->metadata : UNLOCK_METADATA_PATH;
	char err[UNLOCK_ERR_MAX] = "";

	unlock_config_defaults(&ag->cfg);
	if (unlock_config_load(&ag->cfg, conf, err, sizeof(err)) ||
	    unlock_metadata_load(meta, &ag->metadata, err, sizeof(err)) ||
	    unlock_metadata_check(&ag->metadata, ag->cfg.token_key, err,
				  sizeof(err))) {
		fprintf(stderr, "hrot-agent: %s\n", err);
		return -1;
	}
	if (!ag->cfg.verifier[0]) {
		fprintf(stderr, "hrot-agent: %s: no verifier (verifier = https://HOST:PORT)\n",
			conf);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct agent_opts o;
	struct agent ag = { .o = &o, .last = AGENT_ERROR };
	sigset_t stops;
	int ret;

	ret = parse_args(argc, argv, &o);
	if (ret)
		return ret;
	if (setup(&ag) || (o.component && agent_measure_component(&ag)))
		return AGENT_EXIT_FAIL;
	/*
	 * The stop signals are blocked but while waiting (ppoll), so one that
	 * comes during a round ends the wait that follows at once.
	 */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&stops);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGINT);
	sigprocmask(SIG_BLOCK, &stops, &ag.waitmask);
	sigdelset(&ag.waitmask, SIGTERM);
	sigdelset(&ag.waitmask, SIGINT);
	return agent_run(&ag, &stop);
}
