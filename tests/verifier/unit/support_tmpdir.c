// SPDX-License-Identifier: GPL-2.0
/*
 * support_tmpdir.c - temporary directories for the verifier unit tests.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support_tmpdir.h"

char *support_tmpdir_make(void)
{
	const char *base = getenv("TMPDIR");
	char *dir;

	if (!base || !*base)
		base = "/tmp";
	if (asprintf(&dir, "%s/hrot-test-XXXXXX", base) < 0)
		return NULL;
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		free(dir);
		return NULL;
	}
	return dir;
}

static int remove_one(const char *path, const struct stat *sb, int type,
		      struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	if (remove(path))
		perror(path);
	return 0;
}

void support_tmpdir_remove(char *dir)
{
	if (!dir)
		return;
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

char *support_path(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		abort();
	return p;
}
