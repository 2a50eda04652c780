// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl: command-line front end of libhrot.
 *
 *   hrotctl [--device PATH] COMMAND [ARGS]
 *
 * Global options come before the command; each command parses the rest.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "hrotctl.h"

static void print_help(FILE *f)
{
	const struct command *c;

	fprintf(f, "usage: hrotctl [--device PATH] COMMAND [ARGS]\n\n"
		   "commands:\n");
	for (c = hrotctl_commands; c->name; c++)
		fprintf(f, "  %s %s\n      %s\n", c->name, c->args, c->summary);
	fprintf(f, "\noptions:\n"
		   "  -d, --device PATH  the device (default %s)\n"
		   "  -h, --help         this text\n"
		   "  -V, --version      the version\n"
		   "\nlog and replay read %s unless --file is given.\n",
		HROT_DEV_PATH, HROT_LOG_PATH);
}

/*
 * Global options.  The leading '+' stops at the first non-option, the
 * command, so its options are left to it.
 * Return: -1 to go on, else the exit status.
 */
static int parse_global(int argc, char **argv, struct global_opts *g)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+d:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			g->device = optarg;
			break;
		case 'h':
			print_help(stdout);
			return EXIT_OK;
		case 'V':
			printf("hrotctl %s (ABI %d)\n", HROT_VERSION,
			       HROT_ABI_VERSION);
			return EXIT_OK;
		default:
			errmsg("bad option '%s'", argv[optind - 1]);
			print_help(stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}

/* As coreutils: output that could not be written is a failure. */
static int flush_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		errmsg("write error: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct global_opts g = { NULL };
	const struct command *cmd;
	int ret;

	ret = parse_global(argc, argv, &g);
	if (ret >= 0)
		return flush_stdout(ret);
	if (optind >= argc) {
		errmsg("no command");
		print_help(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[optind]);
	if (!cmd) {
		errmsg("unknown command '%s'", argv[optind]);
		print_help(stderr);
		return EXIT_USAGE;
	}
	return flush_stdout(cmd->run(&g, argc - optind, argv + optind));
}
