// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl measure: the kernel hashes and logs each file (HROT_IOC_MEASURE_FD);
 * the output is sha256sum's, so the two can be compared line for line.
 */
#include "hrotctl.h"

/* Return: whether @path was measured (if not, it was said why). */
static bool measure_one(int fd, const char *path)
{
	uint8_t digest[HROT_SHA256_SIZE];
	int ret;

	ret = hrot_dev_measure_path(fd, path, digest, NULL, NULL);
	if (ret) {
		char msg[256];

		/* Flush first: the error goes after the lines before it. */
		fflush(stdout);
		errmsg("measure %s: %s", path,
		       hrot_strerror(HROT_OP_MEASURE, ret, msg, sizeof(msg)));
		return false;
	}
	print_checksum_line(stdout, digest, sizeof(digest), path);
	return true;
}

int cmd_measure(const struct global_opts *g, int argc, char **argv)
{
	struct measure_args a;
	int fd, i, ret, status = EXIT_OK;

	ret = parse_measure_args(argc, argv, &a);
	if (ret)
		return ret;
	fd = open_device(g, "measure");
	if (fd < 0)
		return EXIT_FAIL;
	for (i = 0; i < a.nr_files; i++)
		if (!measure_one(fd, a.files[i]))
			status = EXIT_FAIL;
	hrot_dev_close(fd);
	return status;
}
