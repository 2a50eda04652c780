// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: reading a log file.  securityfs files report no size, so the
 * file is read to EOF into a buffer that doubles as it fills.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hrot/eventlog.h>
#include "log_parser.h"

#define READ_CHUNK	(64u << 10)

/* Make room for at least READ_CHUNK more bytes, up to one past the limit. */
static int grow(uint8_t **buf, size_t *cap, size_t len)
{
	size_t want = *cap ? *cap * 2 : READ_CHUNK;
	uint8_t *p;

	if (*cap - len >= READ_CHUNK)
		return 0;
	if (want > (size_t)HROT_LOG_MAX_BYTES + 1)
		want = (size_t)HROT_LOG_MAX_BYTES + 1;
	p = realloc(*buf, want);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = want;
	return 0;
}

/* Read @fd to EOF; one byte more than the limit is enough to know. */
static int read_all(int fd, uint8_t **buf, size_t *len)
{
	size_t cap = 0;
	ssize_t n;

	*buf = NULL;
	*len = 0;
	do {
		int ret = grow(buf, &cap, *len);

		if (ret)
			return ret;
		n = read(fd, *buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		*len += (size_t)n;
		if (*len > HROT_LOG_MAX_BYTES)
			return -EFBIG;
	} while (n > 0);
	return 0;
}

int hrot_log_read_file(const char *path, uint8_t **buf, size_t *len)
{
	int fd, ret;

	*buf = NULL;
	*len = 0;
	fd = open(path ? path : HROT_LOG_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = read_all(fd, buf, len);
	close(fd);
	if (ret) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return ret;
}

int hrot_log_load(const char *path, struct hrot_log **out,
		  struct hrot_log_diag *diag)
{
	uint8_t *buf;
	size_t len;
	int ret;

	*out = NULL;
	ret = hrot_log_read_file(path, &buf, &len);
	if (ret)
		return ret;
	/* The buffer is handed over rather than copied again. */
	return hrotp_parse_owned(buf, len, out, diag);
}
