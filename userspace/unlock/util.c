// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: small helpers, key files and volume measurements.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <libcryptsetup.h>

#include "unlock.h"

#define MEASURE_DESC_MAX	128
#define PASS_MAX		512

/* A key file, read whole into locked memory (@alloc bytes of it). */
int unlock_read_secret_file(const char *path, size_t max, uint8_t **buf,
			    size_t *len, size_t *alloc)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r = 1;
	uint8_t *p;

	if (fd < 0)
		return -errno;
	p = unlock_secmem_alloc(max + 1);
	if (!p) {
		close(fd);
		return -ENOMEM;
	}
	while (n <= max && r > 0) {
		r = read(fd, p + n, max + 1 - n);
		if (r > 0)
			n += (size_t)r;
		else if (r < 0 && errno == EINTR)
			r = 1;
	}
	close(fd);
	if (r < 0 || n > max || n == 0) {
		unlock_secmem_free(p, max + 1);
		return r < 0 ? -EIO : -EINVAL;
	}
	*buf = p;
	*len = n;
	*alloc = max + 1;
	return 0;
}

int unlock_measure_volume(struct crypt_device *cd, const char *what)
{
	char desc[MEASURE_DESC_MAX];
	const char *uuid = crypt_get_uuid(cd);

	if (!uuid)
		return -EINVAL;
	snprintf(desc, sizeof(desc), "%s %s", what, uuid);
	return unlock_measure(desc);
}

/*
 * The terminal to ask on: ours, or the console when there is none, as in
 * dracut's initqueue (the kernel never makes /dev/console a controlling
 * terminal, so /dev/tty fails there with ENXIO).
 */
static int open_terminal(void)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);

	if (fd < 0 && errno == ENXIO)
		fd = open("/dev/console", O_RDWR | O_CLOEXEC | O_NOCTTY);
	return fd;
}

/* One line from the terminal, echo off. */
static int ask(const char *prompt, uint8_t *buf, size_t size, size_t *len)
{
	struct termios old, quiet;
	int fd = open_terminal();
	bool restore;
	ssize_t r;

	if (fd < 0)
		return -errno;
	restore = tcgetattr(fd, &old) == 0;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &quiet);
	(void)!write(fd, prompt, strlen(prompt));
	r = read(fd, buf, size);
	(void)!write(fd, "\n", 1);
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	close(fd);
	if (r <= 0)
		return -EIO;
	*len = (size_t)r;
	if (buf[*len - 1] == '\n')
		(*len)--;
	return *len ? 0 : -EINVAL;
}

int unlock_read_passphrase(const char *key_file, const char *prompt,
			   uint8_t **buf, size_t *len, size_t *alloc)
{
	int ret;

	if (key_file)
		return unlock_read_secret_file(key_file, PASS_MAX, buf, len,
					       alloc);
	*alloc = PASS_MAX;
	*buf = unlock_secmem_alloc(*alloc);
	if (!*buf)
		return -ENOMEM;
	ret = ask(prompt, *buf, *alloc, len);
	if (ret) {
		unlock_secmem_free(*buf, *alloc);
		*buf = NULL;
	}
	return ret;
}
