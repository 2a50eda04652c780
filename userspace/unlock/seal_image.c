// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: seal a plain disk image (seed 001).
 *
 * The image is encrypted in place, offline, the way `cryptsetup reencrypt
 * --encrypt --reduce-device-size` does it, through libcryptsetup's
 * reencryption API: a LUKS2 header is formatted into a temporary header
 * file with its data offset at half the reduction, the reencryption is
 * initialised there (CRYPT_REENCRYPT_ENCRYPT, "datashift" resilience,
 * CRYPT_REENCRYPT_MOVE_FIRST_SEGMENT: the first data_shift bytes of the
 * payload move to the end), the header is restored to the head of the
 * image, and the reencryption runs to the end.  Offline reencryption
 * encrypts through the kernel crypto API in userspace (AF_ALG), not
 * device-mapper, so it works on a plain file on a host.
 *
 * The reduction would cost the last UNLOCK_SEAL_REDUCE bytes of a block
 * device; an image file is simply grown by that much first, so nothing of
 * the input is lost: the LUKS2 payload is the input image followed by
 * UNLOCK_SEAL_REDUCE / 2 zero bytes (the other half holds the header).
 * Growing by less is refused by libcryptsetup (the moved first segment
 * needs twice the data shift).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libcryptsetup.h>

#include "unlock.h"

#define MIN_PBKDF2_ITERATIONS	1000
#define SECTOR			512
#define COPY_CHUNK		(1 << 20)

/* The open input image, which must be a regular file of whole 4 KiB. */
static int open_input(const char *in, off_t *size, char *err, size_t err_size)
{
	int fd = open(in, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0 || fstat(fd, &st)) {
		int ret = -errno;

		snprintf(err, err_size, "%s: %s", in, strerror(errno));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size % 4096) {
		close(fd);
		snprintf(err, err_size,
			 "%s: want a regular image file, a multiple of 4096 bytes",
			 in);
		return -EINVAL;
	}
	*size = st.st_size;
	return fd;
}

/* All of @ifd into @ofd, then @ofd grown to @size and synced. */
static int copy_fd(int ifd, int ofd, off_t size)
{
	static char buf[COPY_CHUNK];
	ssize_t n;

	while ((n = read(ifd, buf, sizeof(buf))) > 0) {
		ssize_t w = write(ofd, buf, (size_t)n);

		if (w != n)
			return w < 0 ? -errno : -ENOSPC;	/* short: full */
	}
	if (n < 0 || ftruncate(ofd, size) || fsync(ofd))
		return -errno;
	return 0;
}

/* Copy @in to a new @out and grow it by @extra zero bytes. */
static int copy_grown(const char *in, const char *out, off_t extra,
		      char *err, size_t err_size)
{
	off_t size = 0;
	int ifd, ofd, ret;

	ifd = open_input(in, &size, err, err_size);
	if (ifd < 0)
		return ifd;
	ofd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (ofd < 0) {
		ret = -errno;
		snprintf(err, err_size, "%s: %s", out, strerror(errno));
		close(ifd);
		return ret;
	}
	ret = copy_fd(ifd, ofd, size + extra);
	if (close(ofd) && !ret)
		ret = -EIO;
	close(ifd);
	if (ret) {
		snprintf(err, err_size, "copying %s to %s: %s", in, out,
			 strerror(-ret));
		unlink(out);
	}
	return ret;
}

/* An empty temporary header file beside @out. */
static int temp_header(const char *out, char *path, size_t size,
		       char *err, size_t err_size)
{
	int fd, ret;

	if (snprintf(path, size, "%s.luks2-header.XXXXXX", out) >= (int)size) {
		snprintf(err, err_size, "%s: path too long", out);
		return -ENAMETOOLONG;
	}
	fd = mkstemp(path);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return ret;
	}
	/* posix_fallocate() returns its error, it does not set errno */
	ret = -posix_fallocate(fd, 0, 4096);
	close(fd);
	if (ret) {
		snprintf(err, err_size, "%s: %s", path, strerror(-ret));
		unlink(path);
	}
	return ret;
}

static int set_pbkdf(struct crypt_device *cd)
{
	struct crypt_pbkdf_type pbkdf = {
		.type = CRYPT_KDF_PBKDF2,
		.hash = "sha256",
		.iterations = MIN_PBKDF2_ITERATIONS,
		.flags = CRYPT_PBKDF_NO_BENCHMARK,
	};

	return crypt_set_pbkdf_type(cd, &pbkdf);
}

static void reencrypt_params(struct crypt_params_reencrypt *p,
			     const struct crypt_params_luks2 *luks2,
			     uint32_t flags)
{
	memset(p, 0, sizeof(*p));
	p->mode = CRYPT_REENCRYPT_ENCRYPT;
	/* as cryptsetup: a reduced device is encrypted from its end */
	p->direction = CRYPT_REENCRYPT_BACKWARD;
	p->resilience = "datashift";
	p->hash = NULL;	/* datashift keeps no checksums */
	p->data_shift = UNLOCK_SEAL_REDUCE / 2 / SECTOR;
	p->luks2 = luks2;
	p->flags = CRYPT_REENCRYPT_MOVE_FIRST_SEGMENT | flags;
}

/* Format the header in @header for @out's data; the keyslot or -errno. */
static int format_header(const char *header, const char *out,
			 const uint8_t *key, char *err, size_t err_size)
{
	const struct crypt_params_luks2 luks2 = { .sector_size = SECTOR };
	struct crypt_params_reencrypt params;
	struct crypt_device *cd = NULL;
	const char *what = "init";
	int ret, slot = -1;

	ret = crypt_init_data_device(&cd, header, out);
	if (!ret) {
		what = "format";
		ret = crypt_set_data_offset(cd, UNLOCK_SEAL_REDUCE / 2 / SECTOR);
	}
	if (!ret)
		ret = set_pbkdf(cd);
	if (!ret)
		ret = crypt_format(cd, CRYPT_LUKS2, "aes", "xts-plain64", NULL,
				   NULL, 64, (void *)&luks2);
	if (!ret) {
		what = "keyslot";
		ret = slot = crypt_keyslot_add_by_volume_key(cd, CRYPT_ANY_SLOT,
					NULL, 0, (const char *)key,
					UNLOCK_KEY_SIZE);
	}
	if (ret >= 0) {
		what = "reencryption init";
		reencrypt_params(&params, &luks2,
				 CRYPT_REENCRYPT_INITIALIZE_ONLY);
		ret = crypt_reencrypt_init_by_passphrase(cd, NULL,
				(const char *)key, UNLOCK_KEY_SIZE,
				CRYPT_ANY_SLOT, slot, crypt_get_cipher(cd),
				crypt_get_cipher_mode(cd), &params);
	}
	crypt_free(cd);
	if (ret < 0) {
		snprintf(err, err_size, "LUKS2 %s: %s", what, strerror(-ret));
		return ret;
	}
	return slot;
}

/* Header to the head of @out, then encrypt the whole payload. */
static int run_encryption(const char *header, const char *out,
			  const uint8_t *key, struct unlock_binding *b,
			  char *err, size_t err_size)
{
	const struct crypt_params_luks2 luks2 = { .sector_size = SECTOR };
	struct crypt_params_reencrypt params;
	struct crypt_device *cd = NULL;
	const char *what = "header restore";
	int ret;

	ret = crypt_init(&cd, out);
	if (!ret)
		ret = crypt_header_restore(cd, CRYPT_LUKS2, header);
	if (!ret) {
		what = "reencryption";
		reencrypt_params(&params, &luks2, 0);
		ret = crypt_reencrypt_init_by_passphrase(cd, NULL,
				(const char *)key, UNLOCK_KEY_SIZE,
				CRYPT_ANY_SLOT, b->keyslot, NULL, NULL, &params);
	}
	if (ret >= 0)
		ret = crypt_reencrypt_run(cd, NULL, NULL);
	if (ret >= 0) {
		what = "hrot token";
		ret = unlock_token_write(cd, b);
	}
	crypt_free(cd);
	if (ret < 0) {
		snprintf(err, err_size, "%s: %s: %s", out, what,
			 strerror(-ret));
		return ret;
	}
	return 0;
}

int unlock_seal_image(const char *in, const char *out,
		      const uint8_t key[UNLOCK_KEY_SIZE],
		      struct unlock_binding *b, char *err, size_t err_size)
{
	char header[PATH_MAX];
	int ret;

	if (!b->sealed) {
		snprintf(err, err_size, "seal-image: the binding must be sealed");
		return -EINVAL;
	}
	ret = copy_grown(in, out, (off_t)UNLOCK_SEAL_REDUCE, err, err_size);
	if (ret)
		return ret;
	ret = temp_header(out, header, sizeof(header), err, err_size);
	if (!ret) {
		ret = format_header(header, out, key, err, err_size);
		if (ret >= 0) {
			b->keyslot = ret;
			ret = run_encryption(header, out, key, b, err,
					     err_size);
		}
		unlink(header);
	}
	if (ret < 0) {
		unlink(out);
		return ret;
	}
	return b->keyslot;
}
