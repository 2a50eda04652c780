// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl extend: log a digest and a description (HROT_IOC_EXTEND).
 */
#include <inttypes.h>
#include <string.h>

#include "hrotctl.h"

int cmd_extend(const struct global_opts *g, int argc, char **argv)
{
	struct extend_args a;
	uint64_t index;
	int fd, ret;

	ret = parse_extend_args(argc, argv, &a);
	if (ret)
		return ret;
	/* Without --digest the description itself is what is measured. */
	if (!a.have_digest &&
	    hrot_digest(HROT_ALG_SHA256, a.desc, strlen(a.desc), a.digest,
			sizeof(a.digest)) < 0) {
		errmsg("extend: cannot compute SHA-256");
		return EXIT_FAIL;
	}
	fd = open_device(g, "extend");
	if (fd < 0)
		return EXIT_FAIL;
	ret = hrot_dev_extend(fd, a.type, a.digest, a.desc, strlen(a.desc),
			      &index);
	hrot_dev_close(fd);
	if (ret) {
		dev_error(g, "extend", HROT_OP_EXTEND, ret);
		return EXIT_FAIL;
	}
	printf("%" PRIu64 "\n", index);
	return EXIT_OK;
}
