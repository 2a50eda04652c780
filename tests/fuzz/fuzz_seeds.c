// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_seeds DIR: write seed logs for fuzz_eventlog, built by the unit
 * tests' independent log writer, so the fuzzer starts from valid logs.
 */
#include <stdio.h>
#include <stdlib.h>

#include "testlog.h"

static int write_seed(const char *dir, const char *name,
		      const struct tl_buf *b)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b->data, 1, b->len, f) != b->len) {
		perror(path);
		if (f)
			fclose(f);
		return 1;
	}
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	static const struct tl_bank sha256 = { 0x000B, 32, "SHA256", "SHA256" };
	struct tl_buf b = { 0 };
	int ret = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: fuzz_seeds DIR\n");
		return 2;
	}
	tl_standard_log(&b, NULL);
	ret |= write_seed(argv[1], "standard.log", &b);
	tl_free(&b);

	tl_spec_id(&b, &sha256, 1);
	ret |= write_seed(argv[1], "header-only.log", &b);
	tl_hrot_record(&b, 13, 0x0d, &sha256, 1, 2, "/etc/hostname", 7);
	ret |= write_seed(argv[1], "one-bank.log", &b);
	tl_free(&b);
	return ret;
}
