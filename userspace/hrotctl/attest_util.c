// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl: files, hex arguments and keys shared by the attestation
 * commands (identity, quote, verify-quote, makecredential,
 * activate-credential).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "attest.h"

void opts_restart(void)
{
	optind = 0;
	opterr = 0;
}

int read_all(const char *command, const char *path, size_t max,
	     uint8_t **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r = 1;

	*buf = NULL;
	if (fd < 0 || !(*buf = malloc(max + 1))) {
		errmsg("%s: %s: %s", command, path, strerror(fd < 0 ? errno : ENOMEM));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (r > 0 && n <= max) {
		r = read(fd, *buf + n, max + 1 - n);
		if (r > 0)
			n += (size_t)r;
	}
	close(fd);
	if (r < 0 || n > max) {
		errmsg("%s: %s: %s", command, path,
		       r < 0 ? strerror(errno) : "file too big");
		free(*buf);
		*buf = NULL;
		return -1;
	}
	*len = n;
	return 0;
}

int write_all(const char *command, const char *dir, const char *name,
	      const void *p, size_t len)
{
	char path[4096];
	FILE *f;
	bool ok;

	if (dir)
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	else
		snprintf(path, sizeof(path), "%s", name);
	f = fopen(path, "wbe");
	if (!f) {
		errmsg("%s: %s: %s", command, path, strerror(errno));
		return -1;
	}
	ok = fwrite(p, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	if (!ok) {
		errmsg("%s: %s: write failed", command, path);
		return -1;
	}
	return 0;
}

int parse_hex_var(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(s);

	if (n % 2 || n / 2 > max || hrot_hex_decode(s, out, n / 2))
		return -EINVAL;
	*len = n / 2;
	return 0;
}

static bool is_pem(const uint8_t *p, size_t len)
{
	return len > 10 && memcmp(p, "-----BEGIN", 10) == 0;
}

EVP_PKEY *load_ak(const char *command, const char *path)
{
	struct hrot_tpm_public pub;
	struct hrot_tpm_diag diag;
	EVP_PKEY *pk = NULL;
	uint8_t *buf;
	size_t len;
	int ret;

	if (read_all(command, path, 65536, &buf, &len))
		return NULL;
	if (is_pem(buf, len) || (len > 0 && buf[0] == 0x30)) {
		ret = hrot_pkey_from_pem_or_der(buf, len, &pk);
		if (ret)
			errmsg("%s: %s: not a PEM or DER public key", command,
			       path);
	} else {
		ret = hrot_tpm2b_public_unmarshal(buf, len, &pub, &diag);
		if (ret)
			errmsg("%s: %s: not a TPM2B_PUBLIC: offset %zu: %s",
			       command, path, diag.offset, diag.msg);
		else if (hrot_tpm_public_to_pkey(&pub, &pk))
			errmsg("%s: %s: not a usable key", command, path);
	}
	free(buf);
	return pk;
}

int write_pem(const char *command, const char *dir, const char *name,
	      EVP_PKEY *pk)
{
	char *pem;
	int ret;

	if (hrot_pkey_to_pem(pk, &pem)) {
		errmsg("%s: cannot write the key as PEM", command);
		return -1;
	}
	ret = write_all(command, dir, name, pem, strlen(pem));
	free(pem);
	return ret;
}
