// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: the ioctls of /dev/hrot.
 *
 * Each structure is zeroed and given its size and version here, so callers
 * never send the module stale bytes past what they set (which it would
 * refuse with -E2BIG once the structure grows).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <hrot/device.h>

#define HDR_INIT(s) \
	do { \
		memset(&(s), 0, sizeof(s)); \
		(s).size = sizeof(s); \
		(s).version = HROT_STRUCT_VERSION; \
	} while (0)

int hrot_dev_open(const char *path)
{
	/* Every ioctl works on a read-only open; ask for no more. */
	int fd = open(path ? path : HROT_DEV_PATH, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

void hrot_dev_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

static int dev_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

int hrot_dev_info(int fd, struct hrot_info *info)
{
	int ret;

	HDR_INIT(*info);
	ret = dev_ioctl(fd, HROT_IOC_INFO, info);
	if (ret)
		return ret;
	if (info->nr_banks > HROT_MAX_BANKS)
		return -EPROTO;
	return 0;
}

int hrot_dev_extend(int fd, uint32_t event_type,
		    const uint8_t digest[HROT_SHA256_SIZE], const void *desc,
		    size_t desc_len, uint64_t *index)
{
	struct hrot_extend ext;
	int ret;

	/* desc_len is 32 bits wide; a longer one must not be truncated. */
	if (desc_len > UINT32_MAX)
		return -EINVAL;
	HDR_INIT(ext);
	ext.event_type = event_type;
	memcpy(ext.digest, digest, HROT_SHA256_SIZE);
	ext.desc_len = (uint32_t)desc_len;
	ext.desc_ptr = (uint64_t)(uintptr_t)desc;
	ret = dev_ioctl(fd, HROT_IOC_EXTEND, &ext);
	if (!ret && index)
		*index = ext.index;
	return ret;
}

int hrot_dev_measure_fd(int fd, int file_fd, uint8_t digest[HROT_SHA256_SIZE],
			uint64_t *file_size, uint64_t *index)
{
	struct hrot_measure_fd m;
	int ret;

	HDR_INIT(m);
	m.fd = file_fd;
	ret = dev_ioctl(fd, HROT_IOC_MEASURE_FD, &m);
	if (ret)
		return ret;
	if (digest)
		memcpy(digest, m.digest, HROT_SHA256_SIZE);
	if (file_size)
		*file_size = m.file_size;
	if (index)
		*index = m.index;
	return 0;
}

/*
 * The file was opened O_NONBLOCK so that a FIFO could not block the open;
 * a regular file gets a plain read-only fd back.
 */
static int check_regular(int file_fd)
{
	struct stat st;
	int flags;

	if (fstat(file_fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	flags = fcntl(file_fd, F_GETFL);
	if (flags < 0 || fcntl(file_fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

int hrot_dev_measure_path(int fd, const char *path,
			  uint8_t digest[HROT_SHA256_SIZE], uint64_t *file_size,
			  uint64_t *index)
{
	int file_fd, ret;

	file_fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (file_fd < 0)
		return -errno;
	ret = check_regular(file_fd);
	if (!ret)
		ret = hrot_dev_measure_fd(fd, file_fd, digest, file_size,
					  index);
	close(file_fd);
	return ret;
}

int hrot_dev_fingerprint(int fd, struct hrot_fingerprint *fp)
{
	uint32_t i;
	int ret;

	HDR_INIT(*fp);
	ret = dev_ioctl(fd, HROT_IOC_FINGERPRINT, fp);
	if (ret)
		return ret;
	if (fp->nr_components > HROT_FP_MAX_COMPONENTS)
		return -EPROTO;
	/* Printing a value must not depend on the module terminating it. */
	for (i = 0; i < fp->nr_components; i++)
		fp->components[i].value[HROT_FP_VALUE_MAX - 1] = '\0';
	return 0;
}
