// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl: messages and the steps several commands share.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hrotctl.h"

void errmsg(const char *fmt, ...)
{
	va_list ap;

	fputs("hrotctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void print_usage(FILE *f, const struct command *cmd)
{
	fprintf(f, "usage: hrotctl [--device PATH] %s %s\n", cmd->name,
		cmd->args);
}

int usage_error(const char *command, const char *fmt, ...)
{
	const struct command *cmd = find_command(command);
	va_list ap;

	fprintf(stderr, "hrotctl %s: ", command);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd)
		print_usage(stderr, cmd);
	return EXIT_USAGE;
}

int open_device(const struct global_opts *g, const char *command)
{
	int fd = hrot_dev_open(g->device);

	if (fd < 0) {
		dev_error(g, command, HROT_OP_OPEN, fd);
		return -1;
	}
	return fd;
}

void dev_error(const struct global_opts *g, const char *command,
	       enum hrot_op op, int err)
{
	char msg[256];

	errmsg("%s: %s: %s", command, g->device ? g->device : HROT_DEV_PATH,
	       hrot_strerror(op, err, msg, sizeof(msg)));
}

/* A read error, with what the limit is when that was the problem. */
static void say_read_error(const char *command, const char *path,
			   bool default_path, int err)
{
	char msg[256];

	if (err == -EFBIG)
		errmsg("%s: %s: larger than %u MiB, the most hrotctl reads",
		       command, path, HROT_LOG_MAX_BYTES >> 20);
	else if (default_path)
		errmsg("%s: %s: %s", command, path,
		       hrot_strerror(HROT_OP_READ_LOG, err, msg, sizeof(msg)));
	else
		errmsg("%s: %s: %s", command, path, strerror(-err));
}

static struct hrot_log *parse_log(const char *command, const char *path,
				  const uint8_t *buf, size_t len)
{
	struct hrot_log_diag diag = { 0 };
	struct hrot_log *log;

	if (hrot_log_parse(buf, len, &log, &diag)) {
		errmsg("%s: %s: invalid log: %s", command, path, diag.msg);
		return NULL;
	}
	return log;
}

static bool verify_log(const char *command, const char *path,
		       const struct hrot_log *log)
{
	struct hrot_log_diag diag = { 0 };
	int ret;

	ret = hrot_log_verify(log, &diag);
	if (!ret)
		return true;
	if (diag.msg[0])
		errmsg("%s: %s: %s", command, path, diag.msg);
	else
		errmsg("%s: %s: cannot check digests: %s", command, path,
		       strerror(-ret));
	return false;
}

struct hrot_log *load_log(const char *command, const struct log_args *a)
{
	const char *path = a->file ? a->file : HROT_LOG_PATH;
	struct hrot_log *log;
	uint8_t *buf;
	size_t len;
	int ret;

	ret = hrot_log_read_file(path, &buf, &len);
	if (ret) {
		say_read_error(command, path, !a->file, ret);
		return NULL;
	}
	log = parse_log(command, path, buf, len);
	free(buf);
	if (log && a->verify && !verify_log(command, path, log)) {
		hrot_log_free(log);
		return NULL;
	}
	return log;
}
