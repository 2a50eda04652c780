// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-soft-attester: tpm2-tools through posix_spawn (no shell), and the
 * state directory's files.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "soft.h"

const char *soft_path(const struct soft_ctx *s, const char *name, char *buf,
		      size_t size)
{
	snprintf(buf, size, "%s/%s", s->state, name);
	return buf;
}

static int spawn(const struct soft_ctx *s, const char *const argv[],
		 bool quiet)
{
	posix_spawn_file_actions_t fa;
	char log[4096];
	pid_t pid;
	int st, ret;

	soft_path(s, "tools.log", log, sizeof(log));
	if (posix_spawn_file_actions_init(&fa))
		return -ENOMEM;
	posix_spawn_file_actions_addopen(&fa, 1, log,
					 O_WRONLY | O_CREAT | O_APPEND, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	/* posix_spawnp's argv is not const-qualified; it does not write it. */
	ret = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv,
			   environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret)
		return -ret;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		if (quiet)
			return -EIO;
		fprintf(stderr, "hrot-soft-attester: %s failed (see %s)\n",
			argv[0], log);
		return -EIO;
	}
	return 0;
}

int soft_run(const struct soft_ctx *s, const char *const argv[])
{
	return spawn(s, argv, false);
}

int soft_try(const struct soft_ctx *s, const char *const argv[])
{
	return spawn(s, argv, true);
}

int soft_read_file(const char *path, uint8_t **buf, size_t *len)
{
	struct stat sb;
	uint8_t *p;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) || sb.st_size < 0 || sb.st_size > (16 << 20)) {
		close(fd);
		return -EFBIG;
	}
	p = malloc((size_t)sb.st_size + 1);
	if (!p) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, p, (size_t)sb.st_size);
	close(fd);
	if (n != sb.st_size) {
		free(p);
		return -EIO;
	}
	*buf = p;
	*len = (size_t)n;
	return 0;
}

int soft_write_file(const char *path, const void *buf, size_t len)
{
	char tmp[4200];
	int fd, ret = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) != (ssize_t)len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -EIO;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}
