// SPDX-License-Identifier: GPL-2.0
/*
 * hrot_bench: timing for the guest benchmark (busybox date has no %N).
 *
 *   hrot_bench now                    CLOCK_MONOTONIC in ns
 *   hrot_bench time REPS CMD [ARG...] run CMD REPS times (stdout to
 *                                     /dev/null); print "run=K ns=N" per
 *                                     run and "best_ns=N"; exit 1 if a run
 *                                     fails
 *   hrot_bench extends SECONDS        EXTEND in a loop for SECONDS; print
 *                                     "extends=N elapsed_ns=N extends_per_s=R"
 *                                     (stops early, and says so, at ENOSPC)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "tcommon.h"

static int cmd_time(int reps, char **argv)
{
	uint64_t best = UINT64_MAX;
	int r;

	for (r = 0; r < reps; r++) {
		uint64_t t0, t1;
		pid_t pid;
		int st;

		fflush(stdout);
		t0 = t_now_ns();
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);

			if (null >= 0)
				dup2(null, 1);
			execvp(argv[0], argv);
			fprintf(stderr, "hrot_bench: %s: %s\n", argv[0],
				strerror(errno));
			_exit(127);
		}
		if (waitpid(pid, &st, 0) != pid) {
			perror("waitpid");
			return 1;
		}
		t1 = t_now_ns();
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "hrot_bench: %s failed (status 0x%x)\n",
				argv[0], st);
			return 1;
		}
		printf("run=%d ns=%llu\n", r, (unsigned long long)(t1 - t0));
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	printf("best_ns=%llu\n", (unsigned long long)best);
	return 0;
}

static int cmd_extends(double seconds)
{
	uint64_t t0, now, n = 0, deadline;
	char desc[64];
	int fd = open(HROT_DEV_PATH, O_RDWR), stopped = 0;

	if (fd < 0) {
		perror(HROT_DEV_PATH);
		return 1;
	}
	t0 = t_now_ns();
	deadline = t0 + (uint64_t)(seconds * 1e9);
	do {
		int len = snprintf(desc, sizeof(desc), "bench extend %llu",
				   (unsigned long long)n);

		if (t_extend(fd, HROT_EV_EVENT_TAG, desc, (size_t)len, NULL,
			     NULL)) {
			if (errno == ENOSPC) {
				stopped = 1;
				break;
			}
			perror("EXTEND");
			return 1;
		}
		n++;
		now = t_now_ns();
	} while (now < deadline);
	now = t_now_ns();
	printf("extends=%llu elapsed_ns=%llu extends_per_s=%.1f%s\n",
	       (unsigned long long)n, (unsigned long long)(now - t0),
	       (double)n * 1e9 / (double)(now - t0),
	       stopped ? " stopped=ENOSPC" : "");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "now")) {
		printf("%llu\n", (unsigned long long)t_now_ns());
		return 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "time") && atoi(argv[2]) > 0)
		return cmd_time(atoi(argv[2]), argv + 3);
	if (argc == 3 && !strcmp(argv[1], "extends") && atof(argv[2]) > 0)
		return cmd_extends(atof(argv[2]));
	fprintf(stderr,
		"usage: hrot_bench now | time REPS CMD [ARG...] | extends SECONDS\n");
	return 2;
}
