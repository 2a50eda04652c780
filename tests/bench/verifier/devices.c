// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-verifier-loadgen: the simulated devices' state, kept in the run's
 * temporary directory between the phases (register, activate, run): each
 * device's EK and AK private keys, and its signed metadata once enrolled.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/pem.h>

#include "bench.h"

int write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (close(fd) || n < 0 || (size_t)n != len)
		return -EIO;
	return 0;
}

int read_file(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rbe");
	long size;
	int ret = -EIO;

	*buf = NULL;
	*len = 0;
	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		*buf = malloc((size_t)size + 1);
		if (!*buf)
			ret = -ENOMEM;
		else if (fread(*buf, 1, (size_t)size, f) == (size_t)size)
			ret = 0;
		*len = (size_t)size;
	}
	fclose(f);
	if (ret) {
		free(*buf);
		*buf = NULL;
	}
	return ret;
}

static const char *dev_path(const char *dir, unsigned int i, const char *ext,
			    char *buf, size_t size)
{
	snprintf(buf, size, "%s/dev%u.%s", dir, i, ext);
	return buf;
}

int device_create(const char *dir, unsigned int i)
{
	EVP_PKEY *ek = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	EVP_PKEY *ak = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	char path[4096];
	FILE *f = NULL;
	int fd, ret = -EIO;

	fd = open(dev_path(dir, i, "pem", path, sizeof(path)),
		  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0)
		f = fdopen(fd, "w");
	if (ek && ak && f &&
	    PEM_write_PrivateKey(f, ek, NULL, NULL, 0, NULL, NULL) == 1 &&
	    PEM_write_PrivateKey(f, ak, NULL, NULL, 0, NULL, NULL) == 1)
		ret = 0;
	if (f) {
		if (fclose(f))
			ret = -EIO;
	} else if (fd >= 0) {
		close(fd);
	}
	EVP_PKEY_free(ek);
	EVP_PKEY_free(ak);
	return ret;
}

int device_load(const char *dir, unsigned int i, const struct bench_log *log,
		struct soft_tpm *t)
{
	EVP_PKEY *ek = NULL, *ak = NULL;
	char path[4096];
	FILE *f;

	f = fopen(dev_path(dir, i, "pem", path, sizeof(path)), "re");
	if (!f)
		return -errno;
	ek = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	ak = ek ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	fclose(f);
	if (!ek || !ak) {
		EVP_PKEY_free(ek);
		EVP_PKEY_free(ak);
		return -EINVAL;
	}
	/* soft_tpm_init() takes the keys, soft_tpm_free() releases them. */
	if (soft_tpm_init(t, ek, ak, log)) {
		soft_tpm_free(t);
		return -EIO;
	}
	return 0;
}

int device_save_metadata(const char *dir, unsigned int i,
			 const struct hrot_metadata *m)
{
	char path[4096];

	return write_file(dev_path(dir, i, "meta", path, sizeof(path)), m,
			  sizeof(*m));
}

int device_load_metadata(const char *dir, unsigned int i,
			 struct hrot_metadata *m)
{
	char path[4096];
	uint8_t *buf;
	size_t len;
	int ret;

	ret = read_file(dev_path(dir, i, "meta", path, sizeof(path)), &buf,
			&len);
	if (ret)
		return ret;
	if (len == sizeof(*m))
		memcpy(m, buf, len);
	else
		ret = -EINVAL;
	free(buf);
	return ret;
}
