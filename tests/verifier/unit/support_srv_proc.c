// SPDX-License-Identifier: GPL-2.0
/*
 * support_srv_proc.c - start and stop the real server for a test.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support_srv.h"

#define SRV_MAX_ARGS	32

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

const char *srv_path(const struct srv *s, const char *name, char *buf,
		     size_t size)
{
	snprintf(buf, size, "%s/%s", s->state, name);
	return buf;
}

static int build_argv(const struct srv *s, const char *bin,
		      const char *port_file,
		      const char *const *extra, const char **argv)
{
	int n = 0;

	argv[n++] = bin;
	argv[n++] = "--state";
	argv[n++] = s->state;
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "--port-file";
	argv[n++] = port_file;
	argv[n++] = "--foreground";
	argv[n++] = "--config";
	argv[n++] = "/dev/null";
	while (extra && *extra && n < SRV_MAX_ARGS - 1)
		argv[n++] = *extra++;
	argv[n] = NULL;
	return n;
}

static int read_port(const char *path, unsigned int *port)
{
	FILE *f = fopen(path, "r");
	unsigned long v = 0;
	char line[32], *end = NULL;

	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f))
		v = strtoul(line, &end, 10);
	fclose(f);
	if (!end || end == line || *end != '\n' || v == 0 || v > 65535)
		return -1;
	*port = (unsigned int)v;
	return 0;
}

static int wait_port(struct srv *s, const char *port_file)
{
	int i, status;

	for (i = 0; i < 1500; i++) {
		if (read_port(port_file, &s->port) == 0)
			return 0;
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			return -1;
		}
		sleep_ms(10);
	}
	return -1;
}

int srv_start(struct srv *s, const char *const *extra)
{
	const char *build = getenv("BUILD");
	const char *argv[SRV_MAX_ARGS];
	char bin[512], port_file[320];

	memset(s, 0, sizeof(*s));
	/* a server closing a connection must not kill the test */
	signal(SIGPIPE, SIG_IGN);
	snprintf(bin, sizeof(bin), "%s/bin/hrot-verifierd",
		 build ? build : "build");
	snprintf(s->dir, sizeof(s->dir), "/tmp/hrot-srv-test.XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	snprintf(s->state, sizeof(s->state), "%s/state", s->dir);
	snprintf(port_file, sizeof(port_file), "%s/port", s->dir);
	build_argv(s, bin, port_file, extra, argv);
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		/* never outlive the test, even when it crashes */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execv(bin, (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	if (wait_port(s, port_file)) {
		srv_stop(s);
		return -1;
	}
	return 0;
}

static int wait_exit(pid_t pid, int *status)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return 0;
		sleep_ms(10);
	}
	return -1;
}

int srv_stop(struct srv *s)
{
	int status = 0, ret = -1;

	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		if (wait_exit(s->pid, &status)) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, &status, 0);
		} else if (WIFEXITED(status)) {
			ret = WEXITSTATUS(status);
		}
		s->pid = 0;
	}
	if (s->dir[0] && strncmp(s->dir, "/tmp/hrot-srv-test.", 19) == 0) {
		char cmd[400];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
		if (system(cmd) != 0) /* NOLINT(cert-env33-c) */
			fprintf(stderr, "cannot remove %s\n", s->dir);
		s->dir[0] = '\0';
	}
	return ret;
}
