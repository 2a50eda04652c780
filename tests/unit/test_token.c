// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the verifier's signed objects (hrot/token.h).  The openssl
 * command line is the independent oracle: it must accept what
 * hrot_token_sign() signs (converted to DER) and hrot_token_verify() must
 * accept what `openssl dgst -sign` signs (converted to r || s).
 */
#include <endian.h>
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

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <hrot/token.h>

#define NOW	1700000000

struct fixture {
	EVP_PKEY *key;
	EVP_PKEY *other;
	char dir[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->key = EVP_EC_gen("P-256");
	f->other = EVP_EC_gen("P-256");
	strcpy(f->dir, "/tmp/hrot-test-token-XXXXXX");
	if (!f->key || !f->other || !mkdtemp(f->dir)) {
		EVP_PKEY_free(f->key);
		EVP_PKEY_free(f->other);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static void remove_file(const struct fixture *f, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	unlink(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = {
		"pub.pem", "priv.pem", "data", "sig.der", "pub.der", "id",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		remove_file(f, names[i]);
	rmdir(f->dir);
	EVP_PKEY_free(f->key);
	EVP_PKEY_free(f->other);
	free(f);
	return 0;
}

static void make_token(struct hrot_token *t, uint8_t kind)
{
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->verdict = HROT_VERDICT_PASS;
	t->policy_id = htole32(kind == HROT_TOKEN_KIND_RELEASE ? 7 : 0);
	memset(t->token_id, 0x11, sizeof(t->token_id));
	t->device[0] = 0x00;
	t->device[1] = 0x0b;
	memset(t->device + 2, 0x22, sizeof(t->device) - 2);
	memset(t->instance, 0x33, sizeof(t->instance));
	memset(t->nonce, 0x44, sizeof(t->nonce));
	memset(t->qualifying, 0x55, sizeof(t->qualifying));
	t->issued_at = htole64(NOW);
	t->expires_at = htole64(NOW + 60);
}

static void make_metadata(struct hrot_metadata *m)
{
	memset(m, 0, sizeof(*m));
	memset(m->instance, 0x66, sizeof(m->instance));
	m->device[1] = 0x0b;
	memset(m->device + 2, 0x77, sizeof(m->device) - 2);
	m->created_at = htole64(NOW - 1000);
}

static void write_file(const struct fixture *f, const char *name,
		       const void *buf, size_t len)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static size_t read_file(const struct fixture *f, const char *name,
			uint8_t *buf, size_t size)
{
	char path[128];
	size_t n;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	n = fread(buf, 1, size, fp);
	fclose(fp);
	return n;
}

static void write_keys(const struct fixture *f)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/pub.pem", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(PEM_write_PUBKEY(fp, f->key), 1);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/priv.pem", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(PEM_write_PrivateKey(fp, f->key, NULL, NULL, 0, NULL,
					      NULL), 1);
	fclose(fp);
}

/*
 * Exit status of openssl with @args (space-separated, no quoting) run in
 * the fixture's directory; exec'd directly, no shell.
 */
static int run(const struct fixture *f, const char *args)
{
	char buf[512], *argv[16], *save = NULL;
	size_t argc = 1;
	pid_t pid;
	int st;

	snprintf(buf, sizeof(buf), "%s", args);
	argv[0] = (char *)"openssl";
	for (argv[argc] = strtok_r(buf, " ", &save); argv[argc];
	     argv[argc] = strtok_r(NULL, " ", &save))
		assert_true(++argc < sizeof(argv) / sizeof(argv[0]));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null < 0 || chdir(f->dir) < 0 || dup2(null, 1) < 0 ||
		    dup2(null, 2) < 0)
			_exit(127);
		execvp("openssl", argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_not_equal(WEXITSTATUS(st), 127);
	return WEXITSTATUS(st);
}

static void raw_to_der_file(const struct fixture *f, const uint8_t *r,
			    const uint8_t *s)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	unsigned char *der = NULL;
	int len;

	assert_non_null(sig);
	assert_int_equal(ECDSA_SIG_set0(sig, BN_bin2bn(r, 32, NULL),
					BN_bin2bn(s, 32, NULL)), 1);
	len = i2d_ECDSA_SIG(sig, &der);
	assert_true(len > 0);
	write_file(f, "sig.der", der, (size_t)len);
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
}

static void der_file_to_raw(const struct fixture *f, uint8_t *r, uint8_t *s)
{
	uint8_t der[128];
	const unsigned char *p = der;
	const BIGNUM *br, *bs;
	ECDSA_SIG *sig;
	size_t n;

	n = read_file(f, "sig.der", der, sizeof(der));
	sig = d2i_ECDSA_SIG(NULL, &p, (long)n);
	assert_non_null(sig);
	ECDSA_SIG_get0(sig, &br, &bs);
	assert_int_equal(BN_bn2binpad(br, r, 32), 32);
	assert_int_equal(BN_bn2binpad(bs, s, 32), 32);
	ECDSA_SIG_free(sig);
}

static void test_sign_layout(void **state)
{
	struct fixture *f = *state;
	struct hrot_token t, parsed;
	char err[128];

	make_token(&t, HROT_TOKEN_KIND_RELEASE);
	assert_int_equal(hrot_token_sign(&t, f->key), 0);
	assert_memory_equal(t.magic, "HRTK", 4);
	assert_int_equal(le16toh(t.version), 1);
	assert_int_equal(le16toh(t.size), 292);
	assert_int_equal(hrot_token_parse(&t, sizeof(t), &parsed, err,
					  sizeof(err)), HROT_SIGNED_OK);
	assert_memory_equal(&t, &parsed, sizeof(t));
	assert_int_equal(hrot_token_verify(&parsed, f->key, NOW, err,
					   sizeof(err)), HROT_SIGNED_OK);
}

/* The signer id is SHA-256 of the DER SubjectPublicKeyInfo, per openssl. */
static void test_signer_id_oracle(void **state)
{
	struct fixture *f = *state;
	uint8_t id[32], want[64];

	write_keys(f);
	assert_int_equal(run(f, "pkey -pubin -in pub.pem -outform DER "
				"-out pub.der"), 0);
	assert_int_equal(run(f, "dgst -sha256 -binary -out id pub.der"), 0);
	assert_int_equal(read_file(f, "id", want, sizeof(want)), 32);
	assert_int_equal(hrot_signer_id(f->key, id), 0);
	assert_memory_equal(id, want, 32);
}

/* openssl verifies what we sign, and refuses it with one bit changed. */
static void test_openssl_verifies_ours(void **state)
{
	struct fixture *f = *state;
	struct hrot_token t;
	struct hrot_metadata m;

	write_keys(f);
	make_token(&t, HROT_TOKEN_KIND_PHYSICAL);
	assert_int_equal(hrot_token_sign(&t, f->key), 0);
	write_file(f, "data", &t, HROT_TOKEN_SIGNED_SIZE);
	raw_to_der_file(f, t.sig_r, t.sig_s);
	assert_int_equal(run(f, "dgst -sha256 -verify pub.pem -signature "
				"sig.der data"), 0);
	t.nonce[5] ^= 0x10;
	write_file(f, "data", &t, HROT_TOKEN_SIGNED_SIZE);
	assert_int_not_equal(run(f, "dgst -sha256 -verify pub.pem -signature "
				    "sig.der data"), 0);

	make_metadata(&m);
	assert_int_equal(hrot_metadata_sign(&m, f->key), 0);
	write_file(f, "data", &m, HROT_METADATA_SIGNED_SIZE);
	raw_to_der_file(f, m.sig_r, m.sig_s);
	assert_int_equal(run(f, "dgst -sha256 -verify pub.pem -signature "
				"sig.der data"), 0);
}

/* We verify what openssl signs. */
static void test_we_verify_openssls(void **state)
{
	struct fixture *f = *state;
	struct hrot_token t;
	struct hrot_metadata m;
	char err[128];

	write_keys(f);
	make_token(&t, HROT_TOKEN_KIND_RELEASE);
	/* Sign with the library first only to fill the fixed fields. */
	assert_int_equal(hrot_token_sign(&t, f->other), 0);
	assert_int_equal(hrot_signer_id(f->key, t.signer), 0);
	memset(t.sig_r, 0, 32);
	memset(t.sig_s, 0, 32);
	write_file(f, "data", &t, HROT_TOKEN_SIGNED_SIZE);
	assert_int_equal(run(f, "dgst -sha256 -sign priv.pem -out sig.der "
				"data"), 0);
	der_file_to_raw(f, t.sig_r, t.sig_s);
	assert_int_equal(hrot_token_verify(&t, f->key, NOW, err, sizeof(err)),
			 HROT_SIGNED_OK);
	t.sig_s[31] ^= 1;
	assert_int_equal(hrot_token_verify(&t, f->key, NOW, err, sizeof(err)),
			 HROT_SIGNED_BAD_SIGNATURE);

	make_metadata(&m);
	assert_int_equal(hrot_metadata_sign(&m, f->key), 0);
	write_file(f, "data", &m, HROT_METADATA_SIGNED_SIZE);
	assert_int_equal(run(f, "dgst -sha256 -sign priv.pem -out sig.der "
				"data"), 0);
	der_file_to_raw(f, m.sig_r, m.sig_s);
	assert_int_equal(hrot_metadata_verify(&m, f->key, NOW, err,
					      sizeof(err)), HROT_SIGNED_OK);
}

/* Every bit of the token matters: none can change and still verify. */
static void test_every_bit(void **state)
{
	struct fixture *f = *state;
	struct hrot_token t, bad;
	size_t bit;

	make_token(&t, HROT_TOKEN_KIND_RELEASE);
	assert_int_equal(hrot_token_sign(&t, f->key), 0);
	for (bit = 0; bit < 8 * sizeof(t); bit++) {
		int rc;

		bad = t;
		((uint8_t *)&bad)[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		rc = hrot_token_verify(&bad, f->key, NOW, NULL, 0);
		assert_true(rc < 0);
		if (bit / 8 >= offsetof(struct hrot_token, sig_r))
			assert_int_equal(rc, HROT_SIGNED_BAD_SIGNATURE);
		else if (bit / 8 >= offsetof(struct hrot_token, signer))
			assert_int_equal(rc, HROT_SIGNED_WRONG_SIGNER);
	}
}

static void test_metadata_every_bit(void **state)
{
	struct fixture *f = *state;
	struct hrot_metadata m, bad;
	size_t bit;

	make_metadata(&m);
	assert_int_equal(hrot_metadata_sign(&m, f->key), 0);
	assert_int_equal(hrot_metadata_verify(&m, f->key, NOW, NULL, 0),
			 HROT_SIGNED_OK);
	for (bit = 0; bit < 8 * sizeof(m); bit++) {
		bad = m;
		((uint8_t *)&bad)[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_true(hrot_metadata_verify(&bad, f->key, NOW, NULL, 0) <
			    0);
	}
}

static void test_wrong_anchor(void **state)
{
	struct fixture *f = *state;
	struct hrot_token t;
	struct hrot_metadata m;
	char err[128];

	make_token(&t, HROT_TOKEN_KIND_RELEASE);
	assert_int_equal(hrot_token_sign(&t, f->key), 0);
	assert_int_equal(hrot_token_verify(&t, f->other, NOW, err,
					   sizeof(err)),
			 HROT_SIGNED_WRONG_SIGNER);
	assert_non_null(strstr(err, "signer"));
	/* The right id with another key's signature: still refused. */
	make_token(&t, HROT_TOKEN_KIND_RELEASE);
	assert_int_equal(hrot_token_sign(&t, f->other), 0);
	assert_int_equal(hrot_signer_id(f->key, t.signer), 0);
	assert_int_equal(hrot_token_verify(&t, f->key, NOW, err, sizeof(err)),
			 HROT_SIGNED_BAD_SIGNATURE);

	make_metadata(&m);
	assert_int_equal(hrot_metadata_sign(&m, f->key), 0);
	assert_int_equal(hrot_metadata_verify(&m, f->other, NOW, err,
					      sizeof(err)),
			 HROT_SIGNED_WRONG_SIGNER);
}

static void test_times(void **state)
{
	struct fixture *f = *state;
	struct hrot_token t;
	struct hrot_metadata m;
	char err[128];

	make_token(&t, HROT_TOKEN_KIND_RELEASE);
	assert_int_equal(hrot_token_sign(&t, f->key), 0);
	assert_int_equal(hrot_token_verify(&t, f->key, NOW + 59, err,
					   sizeof(err)), HROT_SIGNED_OK);
	assert_int_equal(hrot_token_verify(&t, f->key, NOW + 60, err,
					   sizeof(err)), HROT_SIGNED_EXPIRED);
	assert_string_equal(hrot_signed_status_name(HROT_SIGNED_EXPIRED),
			    "expired");
	assert_int_equal(hrot_token_verify(&t, f->key,
					   NOW - HROT_TOKEN_CLOCK_SKEW, err,
					   sizeof(err)), HROT_SIGNED_OK);
	assert_int_equal(hrot_token_verify(&t, f->key,
					   NOW - HROT_TOKEN_CLOCK_SKEW - 1,
					   err, sizeof(err)),
			 HROT_SIGNED_NOT_YET_VALID);

	make_metadata(&m);
	assert_int_equal(hrot_metadata_sign(&m, f->key), 0);
	assert_int_equal(hrot_metadata_verify(&m, f->key, INT64_MAX, err,
					      sizeof(err)), HROT_SIGNED_OK);
	assert_int_equal(hrot_metadata_verify(&m, f->key,
					      NOW - 1000 -
					      HROT_TOKEN_CLOCK_SKEW - 1,
					      err, sizeof(err)),
			 HROT_SIGNED_NOT_YET_VALID);
}

/* One malformation of a signed token: what to change, what err says. */
static void expect_malformed(struct hrot_token *t, const char *what)
{
	struct hrot_token out;
	char err[128];

	assert_int_equal(hrot_token_parse(t, sizeof(*t), &out, err,
					  sizeof(err)), HROT_SIGNED_MALFORMED);
	assert_non_null(strstr(err, what));
}

static void test_parse_malformed(void **state)
{
	struct fixture *f = *state;
	struct hrot_token good, t, out;
	char err[128];

	make_token(&good, HROT_TOKEN_KIND_RELEASE);
	assert_int_equal(hrot_token_sign(&good, f->key), 0);
	assert_int_equal(hrot_token_parse(&good, sizeof(good) - 1, &out, err,
					  sizeof(err)), HROT_SIGNED_MALFORMED);
	assert_non_null(strstr(err, "291 bytes"));
	assert_int_equal(hrot_token_parse(&good, sizeof(good) + 1, &out, err,
					  sizeof(err)), HROT_SIGNED_MALFORMED);
	t = good;
	t.magic[0] = 'X';
	expect_malformed(&t, "magic");
	t = good;
	t.version = htole16(2);
	expect_malformed(&t, "version");
	t = good;
	t.size = htole16(291);
	expect_malformed(&t, "size");
	t = good;
	t.kind = HROT_TOKEN_KIND_COMPONENT + 1;
	expect_malformed(&t, "kind");
	/* a component exactly in a component token, as the kernel wants */
	t = good;
	t.kind = HROT_TOKEN_KIND_COMPONENT;
	expect_malformed(&t, "component");
	t = good;
	t.component[0] = 1;
	expect_malformed(&t, "component");
	t = good;
	t.kind = 0;
	expect_malformed(&t, "kind");
	t = good;
	t.verdict = 0;
	expect_malformed(&t, "verdict");
	t = good;
	t.flags = htole16(1);
	expect_malformed(&t, "flags");
	t = good;
	t.reserved0[1] = 1;
	expect_malformed(&t, "reserved0");
	t = good;
	t.kind = HROT_TOKEN_KIND_PHYSICAL;
	expect_malformed(&t, "policy_id");
	t = good;
	t.expires_at = t.issued_at;
	expect_malformed(&t, "expires_at");
	t = good;
	t.issued_at = htole64((uint64_t)-5);
	expect_malformed(&t, "expires_at");
	/* Claims the parser refuses are not signed either. */
	t = good;
	t.verdict = 2;
	assert_int_equal(hrot_token_sign(&t, f->key), -EINVAL);
}

static void test_metadata_parse(void **state)
{
	struct fixture *f = *state;
	struct hrot_metadata m, bad, out;
	char err[128];

	make_metadata(&m);
	assert_int_equal(hrot_metadata_sign(&m, f->key), 0);
	assert_memory_equal(m.magic, "HRMD", 4);
	assert_int_equal(le16toh(m.size), 164);
	assert_int_equal(hrot_metadata_parse(&m, sizeof(m), &out, err,
					     sizeof(err)), HROT_SIGNED_OK);
	assert_memory_equal(&m, &out, sizeof(m));
	assert_int_equal(hrot_metadata_parse(&m, 163, &out, err, sizeof(err)),
			 HROT_SIGNED_MALFORMED);
	bad = m;
	bad.magic[3] = 'X';
	assert_int_equal(hrot_metadata_parse(&bad, sizeof(bad), &out, err,
					     sizeof(err)),
			 HROT_SIGNED_MALFORMED);
	assert_non_null(strstr(err, "magic"));
	bad = m;
	bad.reserved0[0] = 1;
	assert_int_equal(hrot_metadata_parse(&bad, sizeof(bad), &out, err,
					     sizeof(err)),
			 HROT_SIGNED_MALFORMED);
	assert_non_null(strstr(err, "reserved0"));
	bad = m;
	bad.version = htole16(0);
	assert_int_equal(hrot_metadata_parse(&bad, sizeof(bad), &out, err,
					     sizeof(err)),
			 HROT_SIGNED_MALFORMED);
}

static void test_non_p256_key(void **state)
{
	struct hrot_token t;
	EVP_PKEY *p384 = EVP_EC_gen("P-384");

	(void)state;
	assert_non_null(p384);
	make_token(&t, HROT_TOKEN_KIND_RELEASE);
	assert_int_equal(hrot_token_sign(&t, p384), -EINVAL);
	assert_int_equal(hrot_token_verify(&t, p384, NOW, NULL, 0),
			 HROT_SIGNED_INTERNAL);
	EVP_PKEY_free(p384);
}

/* SHA-256("abc"), split anywhere, is the FIPS 180-2 example. */
static void test_qualifying_data(void **state)
{
	static const uint8_t abc[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	uint8_t out[32];

	(void)state;
	assert_int_equal(hrot_qualifying_data("a", 1, "bc", 2, out), 0);
	assert_memory_equal(out, abc, 32);
	assert_int_equal(hrot_qualifying_data("ab", 2, "c", 1, out), 0);
	assert_memory_equal(out, abc, 32);
	assert_int_equal(hrot_qualifying_data("ab", 2, "C", 1, out), 0);
	assert_memory_not_equal(out, abc, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_layout),
		cmocka_unit_test(test_signer_id_oracle),
		cmocka_unit_test(test_openssl_verifies_ours),
		cmocka_unit_test(test_we_verify_openssls),
		cmocka_unit_test(test_every_bit),
		cmocka_unit_test(test_metadata_every_bit),
		cmocka_unit_test(test_wrong_anchor),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_metadata_parse),
		cmocka_unit_test(test_non_p256_key),
		cmocka_unit_test(test_qualifying_data),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
