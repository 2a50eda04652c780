// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: sealing a secret to an ephemeral key (hrot/seal.h).  The key
 * schedule is checked against the openssl command line (pkeyutl -derive
 * for ECDH, kdf HKDF) so that the documented scheme, not just this
 * implementation's agreement with itself, is what is tested.
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
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <hrot/hex.h>
#include <hrot/seal.h>

struct fixture {
	EVP_PKEY *e;			/* the device's ephemeral key */
	uint8_t e_pub[HROT_SEAL_POINT_SIZE];
	uint8_t salt[HROT_SEAL_SALT_SIZE];
	uint8_t aad[292];
	uint8_t secret[32];
	uint8_t *blob;
	size_t blob_len;
};

static void fixture_free(struct fixture *f)
{
	EVP_PKEY_free(f->e);
	free(f->blob);
	free(f);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	size_t i;

	if (!f)
		return -1;
	if (hrot_ephemeral_keygen(&f->e, f->e_pub) != 0) {
		fixture_free(f);
		return -1;
	}
	for (i = 0; i < sizeof(f->salt); i++)
		f->salt[i] = (uint8_t)(i * 7 + 1);
	for (i = 0; i < sizeof(f->aad); i++)
		f->aad[i] = (uint8_t)(i ^ 0x5a);
	for (i = 0; i < sizeof(f->secret); i++)
		f->secret[i] = (uint8_t)(0xc0 + i);
	if (hrot_seal(f->e_pub, f->salt, f->aad, sizeof(f->aad), f->secret,
		      sizeof(f->secret), &f->blob, &f->blob_len) != 0) {
		fixture_free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

/* hrot_unseal() into a 64-byte buffer. */
static int unseal(EVP_PKEY *key, const uint8_t *salt, const uint8_t *aad,
		  size_t aad_len, const uint8_t *blob, size_t blob_len,
		  uint8_t *out, size_t *out_len)
{
	return hrot_unseal(key, salt, aad, aad_len, blob, blob_len, out, 64,
			   out_len);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	uint8_t out[64];
	size_t len = 0;

	assert_int_equal(f->blob_len, 1 + 65 + 12 + 16 + 32);
	assert_int_equal(f->blob[0], 1);
	assert_int_equal(f->blob[1], 0x04);
	assert_memory_not_equal(f->blob + HROT_SEAL_OVERHEAD, f->secret, 32);
	assert_int_equal(unseal(f->e, f->salt, f->aad, sizeof(f->aad),
				f->blob, f->blob_len, out, &len), 0);
	assert_int_equal(len, 32);
	assert_memory_equal(out, f->secret, 32);
}

static void test_fresh_each_time(void **state)
{
	struct fixture *f = *state;
	uint8_t *blob2;
	size_t len2;

	assert_int_equal(hrot_seal(f->e_pub, f->salt, f->aad, sizeof(f->aad),
				   f->secret, sizeof(f->secret), &blob2,
				   &len2), 0);
	assert_int_equal(len2, f->blob_len);
	/* A fresh V and iv: nothing after the version byte repeats. */
	assert_memory_not_equal(blob2 + 1, f->blob + 1, 65);
	assert_memory_not_equal(blob2 + 66, f->blob + 66, 12);
	free(blob2);
}

static void test_wrong_inputs(void **state)
{
	struct fixture *f = *state;
	uint8_t out[64], salt[32], aad[292], pub[65];
	EVP_PKEY *other;
	size_t len;

	memset(out, 0xee, sizeof(out));
	memcpy(salt, f->salt, sizeof(salt));
	salt[31] ^= 1;
	assert_int_equal(unseal(f->e, salt, f->aad, sizeof(f->aad),
				f->blob, f->blob_len, out, &len), -EBADMSG);
	memcpy(aad, f->aad, sizeof(aad));
	aad[100] ^= 0x80;
	assert_int_equal(unseal(f->e, f->salt, aad, sizeof(aad), f->blob,
				f->blob_len, out, &len), -EBADMSG);
	assert_int_equal(unseal(f->e, f->salt, f->aad, sizeof(f->aad) - 1,
				f->blob, f->blob_len, out, &len), -EBADMSG);
	assert_int_equal(hrot_ephemeral_keygen(&other, pub), 0);
	assert_int_equal(unseal(other, f->salt, f->aad, sizeof(f->aad),
				f->blob, f->blob_len, out, &len), -EBADMSG);
	EVP_PKEY_free(other);
	/* Nothing was written on any failure. */
	for (len = 0; len < sizeof(out); len++)
		assert_int_equal(out[len], 0xee);
}

/* Any flipped bit of the blob: refused, nothing written. */
static void test_every_bit(void **state)
{
	struct fixture *f = *state;
	uint8_t *bad = malloc(f->blob_len);
	uint8_t out[64];
	size_t bit, len;

	assert_non_null(bad);
	memset(out, 0xee, sizeof(out));
	for (bit = 0; bit < 8 * f->blob_len; bit++) {
		int rc;

		memcpy(bad, f->blob, f->blob_len);
		bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		rc = unseal(f->e, f->salt, f->aad, sizeof(f->aad), bad,
			    f->blob_len, out, &len);
		if (bit / 8 == 0 || bit / 8 == 1)
			assert_int_equal(rc, -EINVAL);	/* version, 0x04 */
		else if (bit / 8 < 1 + 65)
			assert_true(rc == -EINVAL || rc == -EBADMSG);
		else
			assert_int_equal(rc, -EBADMSG);
	}
	for (len = 0; len < sizeof(out); len++)
		assert_int_equal(out[len], 0xee);
	free(bad);
}

static void test_malformed_blob(void **state)
{
	struct fixture *f = *state;
	uint8_t out[64], *bad;
	size_t len;

	assert_int_equal(unseal(f->e, f->salt, f->aad, sizeof(f->aad),
				f->blob, HROT_SEAL_OVERHEAD, out, &len),
			 -EINVAL);
	assert_int_equal(unseal(f->e, f->salt, f->aad, sizeof(f->aad),
				f->blob, 10, out, &len), -EINVAL);
	assert_int_equal(unseal(f->e, f->salt, f->aad, sizeof(f->aad),
				f->blob, 0, out, &len), -EINVAL);
	/* Truncated ciphertext: the tag no longer matches. */
	assert_int_equal(unseal(f->e, f->salt, f->aad, sizeof(f->aad),
				f->blob, f->blob_len - 1, out, &len),
			 -EBADMSG);
	bad = malloc(f->blob_len);
	assert_non_null(bad);
	memcpy(bad, f->blob, f->blob_len);
	bad[0] = 2;
	assert_int_equal(unseal(f->e, f->salt, f->aad, sizeof(f->aad), bad,
				f->blob_len, out, &len), -EINVAL);
	/* V off the curve: y + 1. */
	memcpy(bad, f->blob, f->blob_len);
	bad[65] ^= 1;
	assert_int_equal(unseal(f->e, f->salt, f->aad, sizeof(f->aad), bad,
				f->blob_len, out, &len), -EINVAL);
	free(bad);
	assert_int_equal(hrot_unseal(f->e, f->salt, f->aad, sizeof(f->aad),
				     f->blob, f->blob_len, out, 31, &len),
			 -ENOSPC);
}

static void test_point_not_on_curve(void **state)
{
	struct fixture *f = *state;
	uint8_t pub[65], *blob = NULL;
	size_t len;

	memcpy(pub, f->e_pub, sizeof(pub));
	pub[64] ^= 1;
	assert_int_equal(hrot_seal(pub, f->salt, NULL, 0, f->secret, 32,
				   &blob, &len), -EINVAL);
	memset(pub, 0, sizeof(pub));
	pub[0] = 0x04;
	assert_int_equal(hrot_seal(pub, f->salt, NULL, 0, f->secret, 32,
				   &blob, &len), -EINVAL);
	memcpy(pub, f->e_pub, sizeof(pub));
	pub[0] = 0x02;		/* compressed: not the format */
	assert_int_equal(hrot_seal(pub, f->salt, NULL, 0, f->secret, 32,
				   &blob, &len), -EINVAL);
	assert_null(blob);
	assert_int_equal(hrot_seal(f->e_pub, f->salt, NULL, 0, f->secret, 0,
				   &blob, &len), -EINVAL);
	assert_int_equal(hrot_seal(f->e_pub, f->salt, NULL, 0, f->secret,
				   HROT_SEAL_MAX_SECRET + 1, &blob, &len),
			 -EINVAL);
}

/* ---- the key schedule against the openssl command line ---------------- */

static void write_pem(const char *path, EVP_PKEY *key, int priv)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	if (priv)
		assert_int_equal(PEM_write_PrivateKey(fp, key, NULL, NULL, 0,
						      NULL, NULL), 1);
	else
		assert_int_equal(PEM_write_PUBKEY(fp, key), 1);
	fclose(fp);
}

/* V as a SubjectPublicKeyInfo DER: the fixed P-256 prefix and the point. */
static void write_point_der(const char *path, const uint8_t *point)
{
	static const uint8_t spki_prefix[] = {
		0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce,
		0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
		0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
	};
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(spki_prefix, 1, sizeof(spki_prefix), fp),
			 sizeof(spki_prefix));
	assert_int_equal(fwrite(point, 1, 65, fp), 65);
	fclose(fp);
}

/* openssl with @argv[1..] (argv[0] is set here): its exit status. */
static int run_openssl(const char **argv)
{
	pid_t pid;
	int st;

	argv[0] = "openssl";
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(127);
		execvp("openssl", (char *const *)argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static size_t read_file(const char *path, uint8_t *buf, size_t size)
{
	FILE *fp = fopen(path, "rb");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, size, fp);
	fclose(fp);
	return n;
}

static void gcm_open(const uint8_t *k, const struct fixture *f, uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	const uint8_t *iv = f->blob + 66, *tag = f->blob + 78;
	uint8_t tagbuf[16];
	int n;

	memcpy(tagbuf, tag, 16);
	assert_non_null(ctx);
	assert_int_equal(EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, k,
					    iv), 1);
	assert_int_equal(EVP_DecryptUpdate(ctx, NULL, &n, f->aad,
					   (int)sizeof(f->aad)), 1);
	assert_int_equal(EVP_DecryptUpdate(ctx, out, &n, f->blob + 94, 32), 1);
	assert_int_equal(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16,
					     tagbuf), 1);
	assert_int_equal(EVP_DecryptFinal_ex(ctx, out + n, &n), 1);
	EVP_CIPHER_CTX_free(ctx);
}

static void test_key_schedule_oracle(void **state)
{
	static const uint8_t label[12] = "hrot seal v1";	/* no NUL */
	struct fixture *f = *state;
	char dir[] = "/tmp/hrot-test-seal-XXXXXX";
	char e_pem[64], v_der[64], z_bin[64], k_bin[64];
	char key_opt[80], salt_opt[80], info_opt[2 * 142 + 16];
	char salt_hex[65], info_hex[2 * 142 + 1], z_hex[65];
	uint8_t info[142], z[33], k[33], out[32];

	assert_non_null(mkdtemp(dir));
	snprintf(e_pem, sizeof(e_pem), "%s/e.pem", dir);
	snprintf(v_der, sizeof(v_der), "%s/v.der", dir);
	snprintf(z_bin, sizeof(z_bin), "%s/z.bin", dir);
	snprintf(k_bin, sizeof(k_bin), "%s/k.bin", dir);
	write_pem(e_pem, f->e, 1);
	write_point_der(v_der, f->blob + 1);
	{
		const char *argv[] = { NULL, "pkeyutl", "-derive", "-inkey", e_pem,
      				 "-peerkey", v_der, "-peerform", "DER", "-out",
      				 z_bin, NULL };

		assert_int_equal(run_openssl(argv), 0);
	}
	assert_int_equal(read_file(z_bin, z, sizeof(z)), 32);

	memcpy(info, label, sizeof(label));
	memcpy(info + 12, f->blob + 1, 65);
	memcpy(info + 77, f->e_pub, 65);
	assert_int_equal(hrot_hex_encode(info, sizeof(info), info_hex,
					 sizeof(info_hex)), 0);
	assert_int_equal(hrot_hex_encode(f->salt, 32, salt_hex,
					 sizeof(salt_hex)), 0);
	assert_int_equal(hrot_hex_encode(z, 32, z_hex, sizeof(z_hex)), 0);
	snprintf(key_opt, sizeof(key_opt), "hexkey:%s", z_hex);
	snprintf(salt_opt, sizeof(salt_opt), "hexsalt:%s", salt_hex);
	snprintf(info_opt, sizeof(info_opt), "hexinfo:%s", info_hex);
	{
		const char *argv[] = { NULL, "kdf", "-keylen", "32", "-binary",
      				 "-out", k_bin, "-kdfopt", "digest:SHA256",
      				 "-kdfopt", key_opt, "-kdfopt", salt_opt,
				 "-kdfopt", info_opt, "HKDF", NULL };

		assert_int_equal(run_openssl(argv), 0);
	}
	assert_int_equal(read_file(k_bin, k, sizeof(k)), 32);
	gcm_open(k, f, out);
	assert_memory_equal(out, f->secret, 32);

	unlink(e_pem);
	unlink(v_der);
	unlink(z_bin);
	unlink(k_bin);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_fresh_each_time),
		cmocka_unit_test(test_wrong_inputs),
		cmocka_unit_test(test_every_bit),
		cmocka_unit_test(test_malformed_blob),
		cmocka_unit_test(test_point_not_on_curve),
		cmocka_unit_test(test_key_schedule_oracle),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
