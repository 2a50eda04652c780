// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl: parsing each command's arguments.  Kept apart from running the
 * commands so that the unit tests can drive it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "hrotctl.h"

int parse_u32(const char *s, uint32_t *out)
{
	const char *digits = "0123456789";
	unsigned long long v;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		digits = "0123456789abcdefABCDEF";
		s += 2;
	}
	/*
	 * Only digits: strtoull would also take spaces, a sign, and a second
	 * "0x".  Ten decimal digits or eight hex ones are the most 32 bits
	 * need, so anything longer is out of range without converting.
	 */
	if (!*s || s[strspn(s, digits)] || strlen(s) > 10)
		return -EINVAL;
	v = strtoull(s, NULL, base);
	if (v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int parse_sha256(const char *s, uint8_t out[HROT_SHA256_SIZE])
{
	return hrot_hex_decode(s, out, HROT_SHA256_SIZE);
}

/* getopt keeps state between calls: start over for each command. */
static void getopt_reset(void)
{
	optind = 0;
	opterr = 0;
}

static int bad_option(const char *command, char **argv)
{
	return usage_error(command, "bad option or missing argument: '%s'",
			   argv[optind - 1]);
}

int parse_json_only(int argc, char **argv, bool *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*json = false;
	getopt_reset();
	while ((c = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		if (c != 'j')
			return bad_option(argv[0], argv);
		*json = true;
	}
	if (optind != argc)
		return usage_error(argv[0], "unexpected argument '%s'",
				   argv[optind]);
	return 0;
}

static int extend_option(int c, const char *arg, struct extend_args *a)
{
	switch (c) {
	case 't':
		if (parse_u32(arg, &a->type))
			return usage_error("extend", "--type '%s' is not a 32-bit number",
					   arg);
		if (a->type == HROT_EV_NO_ACTION)
			return usage_error("extend", "--type %u (EV_NO_ACTION) is not extended into a PCR",
					   a->type);
		return 0;
	case 'd':
		if (parse_sha256(arg, a->digest))
			return usage_error("extend", "--digest needs 64 hex digits (SHA-256)");
		a->have_digest = true;
		return 0;
	default:
		return -1;
	}
}

int parse_extend_args(int argc, char **argv, struct extend_args *a)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "digest", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	size_t len;
	int c;

	memset(a, 0, sizeof(*a));
	a->type = HROT_EV_EVENT_TAG;
	getopt_reset();
	/* Long options only: -d is already the global --device. */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int ret = extend_option(c, optarg, a);


		if (ret < 0)
			return bad_option(argv[0], argv);
		if (ret)
			return ret;
	}
	if (argc - optind != 1)
		return usage_error(argv[0], "needs exactly one DESCRIPTION");
	a->desc = argv[optind];
	len = strlen(a->desc);
	if (len == 0 || len > HROT_NAME_MAX)
		return usage_error(argv[0], "DESCRIPTION must be 1..%d bytes, not %zu",
				   HROT_NAME_MAX, len);
	return 0;
}

int parse_measure_args(int argc, char **argv, struct measure_args *a)
{
	static const struct option opts[] = {
		{ NULL, 0, NULL, 0 },
	};

	getopt_reset();
	if (getopt_long(argc, argv, "", opts, NULL) != -1)
		return bad_option(argv[0], argv);
	if (optind >= argc)
		return usage_error(argv[0], "needs at least one FILE");
	a->nr_files = argc - optind;
	a->files = argv + optind;
	return 0;
}

int parse_log_args(int argc, char **argv, struct log_args *a)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "file", required_argument, NULL, 'f' },
		{ "no-verify", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*a = (struct log_args){ .verify = true };
	getopt_reset();
	while ((c = getopt_long(argc, argv, "jf:", opts, NULL)) != -1) {
		if (c == 'j')
			a->json = true;
		else if (c == 'f')
			a->file = optarg;
		else if (c == 'n')
			a->verify = false;
		else
			return bad_option(argv[0], argv);
	}
	if (optind != argc)
		return usage_error(argv[0], "unexpected argument '%s'",
				   argv[optind]);
	return 0;
}

int parse_monitor_args(int argc, char **argv, struct monitor_args *a)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*a = (struct monitor_args){ 0 };
	getopt_reset();
	while ((c = getopt_long(argc, argv, "jc:t:", opts, NULL)) != -1) {
		if (c == 'j')
			a->json = true;
		else if (c == 'c' && parse_u32(optarg, &a->count))
			return usage_error(argv[0], "--count: not a number: '%s'",
					   optarg);
		else if (c == 't' && parse_u32(optarg, &a->timeout_s))
			return usage_error(argv[0],
					   "--timeout: not a number of seconds: '%s'",
					   optarg);
		else if (c != 'c' && c != 't')
			return bad_option(argv[0], argv);
	}
	if (optind != argc)
		return usage_error(argv[0], "unexpected argument '%s'",
				   argv[optind]);
	return 0;
}
