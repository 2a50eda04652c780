// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the vault (vault.h): key file creation and refusal, seal and
 * open round trips, the byte layout checked by decrypting it independently
 * with the key file's bytes, and every tampering rejected.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "store.h"
#include "vault.h"
#include "support_tmpdir.h"

struct fixture {
	char *dir;
	char *key;
	struct vault *v;
};

static const uint8_t secret[32] = {
	0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24
};

static void dev(uint8_t seed, uint8_t *id)
{
	memset(id, seed, HROT_DEVICE_NAME_SIZE);
	id[0] = 0;
	id[1] = 0x0b;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->dir = support_tmpdir_make();
	assert_non_null(f->dir);
	f->key = support_path(f->dir, "vault.key");
	assert_int_equal(vault_open(f->key, true, &f->v), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vault_close(f->v);
	free(f->key);
	support_tmpdir_remove(f->dir);
	free(f);
	return 0;
}

static void test_key_created(void **state)
{
	struct fixture *f = *state;
	struct stat sb;

	assert_int_equal(stat(f->key, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, VAULT_KEY_SIZE);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	uint8_t id[HROT_DEVICE_NAME_SIZE], a[STORE_SEALED_MAX],
		b[STORE_SEALED_MAX], out[64];
	size_t alen, blen, olen;
	struct vault *again;

	dev(1, id);
	assert_int_equal(vault_seal(f->v, id, secret, sizeof(secret), a,
				    sizeof(a), &alen), 0);
	assert_int_equal(alen, sizeof(secret) + VAULT_OVERHEAD);
	assert_int_equal(a[0], VAULT_VERSION);
	assert_int_equal(vault_seal(f->v, id, secret, sizeof(secret), b,
				    sizeof(b), &blen), 0);
	/* A fresh iv each time. */
	assert_memory_not_equal(a + 1, b + 1, VAULT_IV_SIZE);
	assert_int_equal(vault_open_secret(f->v, id, a, alen, out, sizeof(out),
					   &olen), 0);
	assert_int_equal(olen, sizeof(secret));
	assert_memory_equal(out, secret, sizeof(secret));

	/* The key file is reused, not replaced. */
	assert_int_equal(vault_open(f->key, true, &again), 0);
	memset(out, 0, sizeof(out));
	assert_int_equal(vault_open_secret(again, id, b, blen, out,
					   sizeof(out), &olen), 0);
	assert_memory_equal(out, secret, sizeof(secret));
	vault_close(again);
	assert_int_equal(vault_open(f->key, false, &again), 0);
	vault_close(again);
}

/* The layout of vault.h, decrypted without the vault. */
static void test_layout_independent(void **state)
{
	struct fixture *f = *state;
	uint8_t id[HROT_DEVICE_NAME_SIZE], sealed[STORE_SEALED_MAX], key[32];
	uint8_t out[sizeof(secret)], tag[VAULT_TAG_SIZE];
	size_t len;
	EVP_CIPHER_CTX *ctx;
	int n, fd;

	dev(2, id);
	assert_int_equal(vault_seal(f->v, id, secret, sizeof(secret), sealed,
				    sizeof(sealed), &len), 0);
	fd = open(f->key, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, key, sizeof(key)), sizeof(key));
	close(fd);
	memcpy(tag, sealed + 1 + VAULT_IV_SIZE, sizeof(tag));
	ctx = EVP_CIPHER_CTX_new();
	assert_non_null(ctx);
	assert_int_equal(EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key,
					    sealed + 1), 1);
	assert_int_equal(EVP_DecryptUpdate(ctx, NULL, &n, id, sizeof(id)), 1);
	assert_int_equal(EVP_DecryptUpdate(ctx, out, &n,
					   sealed + VAULT_OVERHEAD,
					   (int)(len - VAULT_OVERHEAD)), 1);
	assert_int_equal(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG,
					     VAULT_TAG_SIZE, tag), 1);
	assert_int_equal(EVP_DecryptFinal_ex(ctx, out + n, &n), 1);
	EVP_CIPHER_CTX_free(ctx);
	assert_memory_equal(out, secret, sizeof(secret));
}

static void test_tamper(void **state)
{
	struct fixture *f = *state;
	uint8_t id[HROT_DEVICE_NAME_SIZE], other[HROT_DEVICE_NAME_SIZE];
	uint8_t sealed[STORE_SEALED_MAX], out[64], zero[64] = { 0 };
	size_t len, olen, i;
	int bit;

	dev(3, id);
	dev(4, other);
	assert_int_equal(vault_seal(f->v, id, secret, sizeof(secret), sealed,
				    sizeof(sealed), &len), 0);
	/* Every bit of every byte. */
	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			sealed[i] ^= (uint8_t)(1u << bit);
			memset(out, 0xcc, sizeof(out));
			assert_int_equal(vault_open_secret(f->v, id, sealed,
							   len, out,
							   sizeof(out), &olen),
					 -EBADMSG);
			assert_int_equal(olen, 0);
			sealed[i] ^= (uint8_t)(1u << bit);
		}
	}
	/* Wrong device: the additional data. */
	memset(out, 0xcc, sizeof(out));
	assert_int_equal(vault_open_secret(f->v, other, sealed, len, out,
					   sizeof(out), &olen), -EBADMSG);
	assert_memory_equal(out, zero, sizeof(secret));
	/* Truncated, extended, empty. */
	assert_int_equal(vault_open_secret(f->v, id, sealed, len - 1, out,
					   sizeof(out), &olen), -EBADMSG);
	sealed[len] = 0;
	assert_int_equal(vault_open_secret(f->v, id, sealed, len + 1, out,
					   sizeof(out), &olen), -EBADMSG);
	assert_int_equal(vault_open_secret(f->v, id, sealed, VAULT_OVERHEAD,
					   out, sizeof(out), &olen), -EBADMSG);
	assert_int_equal(vault_open_secret(f->v, id, sealed, 0, out,
					   sizeof(out), &olen), -EBADMSG);
	/* Still opens untouched. */
	assert_int_equal(vault_open_secret(f->v, id, sealed, len, out,
					   sizeof(out), &olen), 0);
}

static void test_other_key(void **state)
{
	struct fixture *f = *state;
	uint8_t id[HROT_DEVICE_NAME_SIZE], sealed[STORE_SEALED_MAX], out[64];
	char *path = support_path(f->dir, "other.key");
	struct vault *v2;
	size_t len, olen;

	dev(5, id);
	assert_int_equal(vault_open(path, true, &v2), 0);
	assert_int_equal(vault_seal(f->v, id, secret, sizeof(secret), sealed,
				    sizeof(sealed), &len), 0);
	assert_int_equal(vault_open_secret(v2, id, sealed, len, out,
					   sizeof(out), &olen), -EBADMSG);
	vault_close(v2);
	free(path);
}

static void test_limits(void **state)
{
	struct fixture *f = *state;
	uint8_t id[HROT_DEVICE_NAME_SIZE], big[VAULT_SECRET_MAX + 1];
	uint8_t sealed[STORE_SEALED_MAX + 8], out[VAULT_SECRET_MAX];
	size_t len, olen;

	dev(6, id);
	memset(big, 0x77, sizeof(big));
	assert_int_equal(vault_seal(f->v, id, big, 0, sealed, sizeof(sealed),
				    &len), -EINVAL);
	assert_int_equal(vault_seal(f->v, id, big, sizeof(big), sealed,
				    sizeof(sealed), &len), -EINVAL);
	assert_int_equal(vault_seal(f->v, id, big, VAULT_SECRET_MAX, sealed,
				    STORE_SEALED_MAX - 1, &len), -ENOSPC);
	assert_int_equal(vault_seal(f->v, id, big, VAULT_SECRET_MAX, sealed,
				    sizeof(sealed), &len), 0);
	assert_int_equal(len, STORE_SEALED_MAX);
	assert_int_equal(vault_open_secret(f->v, id, sealed, len, out,
					   sizeof(out) - 1, &olen), -ENOSPC);
	assert_int_equal(vault_open_secret(f->v, id, sealed, len, out,
					   sizeof(out), &olen), 0);
	assert_int_equal(olen, VAULT_SECRET_MAX);
	assert_memory_equal(out, big, VAULT_SECRET_MAX);
}

static void write_file(const char *path, size_t size, mode_t mode)
{
	uint8_t buf[64] = { 0 };
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, size), (ssize_t)size);
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

static void test_key_refused(void **state)
{
	struct fixture *f = *state;
	char *path = support_path(f->dir, "bad.key");
	char *link = support_path(f->dir, "link.key");
	struct vault *v = (struct vault *)1;

	write_file(path, 32, 0640);
	assert_int_equal(vault_open(path, true, &v), -EPERM);
	assert_null(v);
	write_file(path, 32, 0602);
	assert_int_equal(vault_open(path, false, &v), -EPERM);
	write_file(path, 31, 0600);
	assert_int_equal(vault_open(path, false, &v), -EINVAL);
	write_file(path, 33, 0600);
	assert_int_equal(vault_open(path, true, &v), -EINVAL);
	write_file(path, 32, 0400);
	assert_int_equal(vault_open(path, false, &v), 0);
	vault_close(v);
	/* A symlink is not followed, even to a good key. */
	assert_int_equal(symlink(f->key, link), 0);
	assert_int_equal(vault_open(link, false, &v), -ELOOP);
	/* Missing, and not to be made. */
	unlink(path);
	assert_int_equal(vault_open(path, false, &v), -ENOENT);
	assert_int_equal(access(path, F_OK), -1);
	/* A directory. */
	assert_int_equal(vault_open(f->dir, false, &v), -EINVAL);
	assert_int_equal(vault_open("", true, &v), -EINVAL);
	free(path);
	free(link);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_key_created),
		T(test_round_trip),
		T(test_layout_independent),
		T(test_tamper),
		T(test_other_key),
		T(test_limits),
		T(test_key_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
