// SPDX-License-Identifier: GPL-2.0
/*
 * vault.c - volume secrets encrypted at rest (vault.h), AES-256-GCM with
 * OpenSSL's EVP interface.
 *
 * The key lives in a page of its own, locked (never swapped), left out of
 * core dumps, and wiped on close.  The key file is trusted only when no
 * one but its owner can read or write it: a key others can read protects
 * nothing, and one others can write could be swapped for theirs.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "vault.h"

struct vault {
	uint8_t key[VAULT_KEY_SIZE];
};

_Static_assert(VAULT_SECRET_MAX + VAULT_OVERHEAD == 128,
	       "a sealed secret fits STORE_SEALED_MAX");

static int read_full(int fd, uint8_t *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t r = read(fd, buf + off, len - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EINVAL;
		off += (size_t)r;
	}
	return 0;
}

static int write_full(int fd, const uint8_t *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t r = write(fd, buf + off, len - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		off += (size_t)r;
	}
	return 0;
}

static int key_read_fd(int fd, const char *path, uint8_t *key)
{
	struct stat sb;
	int err;

	if (fstat(fd, &sb)) {
		err = -errno;
		fprintf(stderr, "vault: %s: %s\n", path, strerror(errno));
		return err;
	}
	if (!S_ISREG(sb.st_mode)) {
		fprintf(stderr, "vault: %s: not a regular file\n", path);
		return -EINVAL;
	}
	if (sb.st_mode & 077) {
		fprintf(stderr,
			"vault: %s: key file is accessible by group or others (mode %04o); refusing it (chmod 600)\n",
			path, (unsigned int)(sb.st_mode & 07777));
		return -EPERM;
	}
	if (sb.st_size != VAULT_KEY_SIZE) {
		fprintf(stderr, "vault: %s: key file has %lld bytes, not %d\n",
			path, (long long)sb.st_size, VAULT_KEY_SIZE);
		return -EINVAL;
	}
	err = read_full(fd, key, VAULT_KEY_SIZE);
	if (err)
		fprintf(stderr, "vault: %s: short read\n", path);
	return err;
}

/* Make the new key file's directory entry durable too. */
static void sync_parent(const char *path)
{
	char buf[PATH_MAX];
	int fd;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return;
	fd = open(dirname(buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* 0, or -EEXIST when another process made it first. */
static int key_create(const char *path, uint8_t *key)
{
	int fd, err;

	if (RAND_priv_bytes(key, VAULT_KEY_SIZE) != 1) {
		fprintf(stderr, "vault: no random bytes for a key\n");
		return -EIO;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		err = -errno;
		if (err != -EEXIST)
			fprintf(stderr, "vault: create %s: %s\n", path,
				strerror(errno));
		return err;
	}
	err = write_full(fd, key, VAULT_KEY_SIZE);
	if (!err && fsync(fd))
		err = -errno;
	close(fd);
	if (err) {
		fprintf(stderr, "vault: write %s: %s\n", path, strerror(-err));
		unlink(path);
		return err;
	}
	sync_parent(path);
	return 0;
}

static int key_load(const char *path, bool create, uint8_t *key)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int err;

	if (fd < 0 && errno == ENOENT && create) {
		err = key_create(path, key);
		if (err != -EEXIST)
			return err;
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		err = -errno;
		fprintf(stderr, "vault: %s: %s\n", path, strerror(errno));
		return err;
	}
	err = key_read_fd(fd, path, key);
	close(fd);
	return err;
}

static struct vault *vault_alloc(void)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t size = page > 0 ? (size_t)page : 4096;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* Best effort: a low RLIMIT_MEMLOCK must not stop the service. */
	if (mlock(p, size))
		fprintf(stderr, "vault: mlock: %s (key may be swapped)\n",
			strerror(errno));
	madvise(p, size, MADV_DONTDUMP);
	return p;
}

void vault_close(struct vault *v)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t size = page > 0 ? (size_t)page : 4096;

	if (!v)
		return;
	explicit_bzero(v, sizeof(*v));
	munlock(v, size);
	munmap(v, size);
}

int vault_open(const char *key_path, bool create, struct vault **out)
{
	struct vault *v;
	int err;

	*out = NULL;
	if (!key_path || !*key_path)
		return -EINVAL;
	v = vault_alloc();
	if (!v)
		return -ENOMEM;
	err = key_load(key_path, create, v->key);
	if (err) {
		vault_close(v);
		return err;
	}
	*out = v;
	return 0;
}

/* ---- AES-256-GCM ---- */

static int gcm_seal(const struct vault *v, const uint8_t *aad,
		    const uint8_t *iv, const uint8_t *in, size_t len,
		    uint8_t *ct, uint8_t *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n, ok;

	if (!ctx)
		return -ENOMEM;
	ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, v->key, iv) &&
	     EVP_EncryptUpdate(ctx, NULL, &n, aad, HROT_DEVICE_NAME_SIZE) &&
	     EVP_EncryptUpdate(ctx, ct, &n, in, (int)len) &&
	     (size_t)n == len && EVP_EncryptFinal_ex(ctx, ct + n, &n) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, VAULT_TAG_SIZE,
				 tag);
	EVP_CIPHER_CTX_free(ctx);
	if (!ok) {
		fprintf(stderr, "vault: AES-256-GCM encryption failed\n");
		return -EIO;
	}
	return 0;
}

static int gcm_open(const struct vault *v, const uint8_t *aad,
		    const uint8_t *iv, const uint8_t *ct, size_t len,
		    const uint8_t *tag, uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t tagbuf[VAULT_TAG_SIZE];
	int n, ok;

	if (!ctx)
		return -ENOMEM;
	memcpy(tagbuf, tag, sizeof(tagbuf));	/* the ctrl wants non-const */
	ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, v->key, iv) &&
	     EVP_DecryptUpdate(ctx, NULL, &n, aad, HROT_DEVICE_NAME_SIZE) &&
	     EVP_DecryptUpdate(ctx, out, &n, ct, (int)len) &&
	     (size_t)n == len &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, VAULT_TAG_SIZE,
				 tagbuf) &&
	     EVP_DecryptFinal_ex(ctx, out + n, &n) > 0;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -EBADMSG;
}

int vault_seal(struct vault *v, const uint8_t *device_id,
	       const uint8_t *secret, size_t len, uint8_t *out,
	       size_t out_size, size_t *out_len)
{
	uint8_t *iv, *tag;
	int err;

	*out_len = 0;
	if (!v || !device_id || !secret || !out || !len ||
	    len > VAULT_SECRET_MAX)
		return -EINVAL;
	if (out_size < len + VAULT_OVERHEAD)
		return -ENOSPC;
	iv = out + 1;
	tag = iv + VAULT_IV_SIZE;
	out[0] = VAULT_VERSION;
	if (RAND_bytes(iv, VAULT_IV_SIZE) != 1) {
		fprintf(stderr, "vault: no random bytes for an iv\n");
		return -EIO;
	}
	err = gcm_seal(v, device_id, iv, secret, len, tag + VAULT_TAG_SIZE,
		       tag);
	if (err) {
		explicit_bzero(out, len + VAULT_OVERHEAD);
		return err;
	}
	*out_len = len + VAULT_OVERHEAD;
	return 0;
}

int vault_open_secret(struct vault *v, const uint8_t *device_id,
		      const uint8_t *sealed, size_t sealed_len, uint8_t *out,
		      size_t out_size, size_t *out_len)
{
	const uint8_t *iv, *tag;
	size_t len;
	int err;

	*out_len = 0;
	if (!v || !device_id || !sealed || !out)
		return -EINVAL;
	if (sealed_len <= VAULT_OVERHEAD ||
	    sealed_len > VAULT_SECRET_MAX + VAULT_OVERHEAD ||
	    sealed[0] != VAULT_VERSION)
		return -EBADMSG;
	len = sealed_len - VAULT_OVERHEAD;
	if (out_size < len)
		return -ENOSPC;
	iv = sealed + 1;
	tag = iv + VAULT_IV_SIZE;
	err = gcm_open(v, device_id, iv, tag + VAULT_TAG_SIZE, len, tag, out);
	if (err) {
		explicit_bzero(out, len);
		return err;
	}
	*out_len = len;
	return 0;
}
