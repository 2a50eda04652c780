// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: TPM structure (un)marshalling, the PCR file of tpm2_quote,
 * the credential file of tpm2_makecredential, and KDFa/KDFe against
 * OpenSSL's independent KBKDF and SSKDF.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>

#include <hrot/hrot.h>

static void ecc_public(struct hrot_tpm_public *p)
{
	memset(p, 0, sizeof(*p));
	p->type = HROT_TPM_ALG_ECC;
	p->name_alg = HROT_ALG_SHA256;
	p->attributes = 0x00050072;
	p->sym_alg = HROT_TPM_ALG_NULL;
	p->scheme = HROT_TPM_ALG_ECDSA;
	p->scheme_hash = HROT_ALG_SHA256;
	p->curve = HROT_TPM_ECC_NIST_P256;
	p->kdf = HROT_TPM_ALG_NULL;
	p->unique_size = 32;
	p->y_size = 32;
	memset(p->unique, 0x11, 32);
	memset(p->y, 0x22, 32);
}

static void rsa_public(struct hrot_tpm_public *p)
{
	memset(p, 0, sizeof(*p));
	p->type = HROT_TPM_ALG_RSA;
	p->name_alg = HROT_ALG_SHA256;
	p->attributes = 0x000300b2;
	p->auth_policy_size = 32;
	memset(p->auth_policy, 0x83, 32);
	p->sym_alg = HROT_TPM_ALG_AES;
	p->sym_bits = 128;
	p->sym_mode = HROT_TPM_ALG_CFB;
	p->scheme = HROT_TPM_ALG_NULL;
	p->rsa_bits = 2048;
	p->unique_size = 256;
	memset(p->unique, 0xa5, 256);
}

typedef int (*parse_fn)(const void *buf, size_t len, void *out,
			struct hrot_tpm_diag *diag);

/* Every proper prefix is refused as truncated; the whole parses. */
static void truncate_all(const uint8_t *buf, size_t len, parse_fn parse,
			 void *out)
{
	struct hrot_tpm_diag diag;
	size_t i;

	for (i = 0; i < len; i++) {
		int ret = parse(buf, i, out, &diag);

		if (ret != -HROT_TPM_ETRUNCATED)
			fail_msg("prefix of %zu bytes: %d (%s)", i, ret, diag.msg);
	}
	assert_int_equal(parse(buf, len, out, &diag), 0);
}

static void test_public_roundtrip(void **state)
{
	struct hrot_tpm_public p, q;
	uint8_t buf[1024], buf2[1024];
	int n;

	(void)state;
	ecc_public(&p);
	n = hrot_tpm_public_marshal(&p, buf, sizeof(buf));
	assert_true(n > 0);
	truncate_all(buf, (size_t)n, (parse_fn)hrot_tpm_public_unmarshal, &q);
	assert_int_equal(hrot_tpm_public_marshal(&q, buf2, sizeof(buf2)), n);
	assert_memory_equal(buf, buf2, (size_t)n);
	rsa_public(&p);
	n = hrot_tpm2b_public_marshal(&p, buf, sizeof(buf));
	assert_true(n > 0);
	truncate_all(buf + 2, (size_t)n - 2,
		     (parse_fn)hrot_tpm_public_unmarshal, &q);
	assert_int_equal(hrot_tpm2b_public_unmarshal(buf, (size_t)n, &q, NULL),
			 0);
	assert_int_equal(q.rsa_bits, 2048);
	assert_int_equal(hrot_tpm_public_marshal(&p, buf, 10), -ENOSPC);
}

static void test_public_bad(void **state)
{
	struct hrot_tpm_public p, q;
	struct hrot_tpm_diag diag;
	uint8_t buf[1024];
	int n;

	(void)state;
	ecc_public(&p);
	n = hrot_tpm_public_marshal(&p, buf, sizeof(buf));
	/* trailing byte */
	assert_int_equal(hrot_tpm_public_unmarshal(buf, (size_t)n + 1, &q,
						   &diag), -HROT_TPM_EFORMAT);
	/* y's size 0xffff */
	buf[n - 34] = 0xff;
	buf[n - 33] = 0xff;
	assert_int_equal(hrot_tpm_public_unmarshal(buf, (size_t)n, &q, &diag),
			 -HROT_TPM_ETOOBIG);
	assert_int_equal(diag.offset, (size_t)n - 34);
	assert_non_null(strstr(diag.msg, "unique.ecc.y"));
	/* a KEYEDHASH object */
	buf[0] = 0;
	buf[1] = 8;
	assert_int_equal(hrot_tpm_public_unmarshal(buf, (size_t)n, &q, &diag),
			 -HROT_TPM_EFORMAT);
	/* TPM2B size disagreeing with the length */
	buf[0] = 0;
	buf[1] = 200;
	assert_int_equal(hrot_tpm2b_public_unmarshal(buf, 50, &q, &diag),
			 -HROT_TPM_ETRUNCATED);
}

static void test_name(void **state)
{
	struct hrot_tpm_public p;
	uint8_t buf[1024], name[34], want[32];
	int n;

	(void)state;
	ecc_public(&p);
	n = hrot_tpm_public_marshal(&p, buf, sizeof(buf));
	assert_int_equal(hrot_tpm_name(&p, name, sizeof(name)), 34);
	assert_int_equal(hrot_digest(HROT_ALG_SHA256, buf, (size_t)n, want,
				     sizeof(want)), 32);
	assert_int_equal(name[0], 0x00);
	assert_int_equal(name[1], 0x0b);
	assert_memory_equal(name + 2, want, 32);
	assert_int_equal(hrot_tpm_name(&p, name, 33), -ENOSPC);
}

static void sample_attest(struct hrot_tpm_attest *a)
{
	memset(a, 0, sizeof(*a));
	a->magic = HROT_TPM_GENERATED_VALUE;
	a->type = HROT_TPM_ST_ATTEST_QUOTE;
	a->signer_size = 34;
	a->extra_size = 16;
	memset(a->extra, 0x5a, 16);
	a->clock = 123456789;
	a->reset_count = 3;
	a->restart_count = 4;
	a->safe = 1;
	a->firmware_version = 0x0102030405060708ull;
	assert_int_equal(hrot_pcr_selection_parse("sha256:0,1,13",
						  &a->pcr_select), 0);
	a->pcr_digest_size = 32;
}

static void test_attest(void **state)
{
	struct hrot_tpm_attest a, b;
	struct hrot_tpm_diag diag;
	uint8_t buf[512];
	int n;

	(void)state;
	sample_attest(&a);
	n = hrot_tpm_attest_marshal(&a, buf, sizeof(buf));
	assert_true(n > 0);
	truncate_all(buf, (size_t)n, (parse_fn)hrot_tpm_attest_unmarshal, &b);
	assert_int_equal(b.clock, a.clock);
	assert_int_equal(b.reset_count, 3);
	assert_int_equal(b.restart_count, 4);
	assert_int_equal(b.pcr_select.banks[0].mask, 0x2003);
	assert_true(hrot_pcr_selection_equal(&a.pcr_select, &b.pcr_select));
	/* extraData over 64 bytes: offset 4 + 2 + 2 + 34 */
	buf[42] = 0;
	buf[43] = 65;
	assert_int_equal(hrot_tpm_attest_unmarshal(buf, (size_t)n, &b, &diag),
			 -HROT_TPM_ETOOBIG);
	assert_int_equal(diag.offset, 42);
}

static void test_signature(void **state)
{
	struct hrot_tpm_signature s, t;
	uint8_t buf[1024];
	int n;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.sig_alg = HROT_TPM_ALG_ECDSA;
	s.hash = HROT_ALG_SHA256;
	s.r_size = s.s_size = 32;
	memset(s.r, 1, 32);
	memset(s.s, 2, 32);
	n = hrot_tpm_signature_marshal(&s, buf, sizeof(buf));
	assert_int_equal(n, 2 + 2 + 34 + 34);
	assert_int_equal(buf[0], 0x00);
	assert_int_equal(buf[1], 0x18);
	truncate_all(buf, (size_t)n, (parse_fn)hrot_tpm_signature_unmarshal, &t);
	assert_memory_equal(&s, &t, sizeof(s));
	s.sig_alg = HROT_TPM_ALG_RSASSA;
	s.r_size = 256;
	n = hrot_tpm_signature_marshal(&s, buf, sizeof(buf));
	truncate_all(buf, (size_t)n, (parse_fn)hrot_tpm_signature_unmarshal, &t);
	assert_int_equal(t.r_size, 256);
	buf[1] = 0x05;	/* HMAC: not done */
	assert_int_equal(hrot_tpm_signature_unmarshal(buf, (size_t)n, &t, NULL),
			 -HROT_TPM_EFORMAT);
}

static void test_selection_parse(void **state)
{
	struct hrot_pcr_selection s;

	(void)state;
	assert_int_equal(hrot_pcr_selection_parse("0,1,13", &s), 0);
	assert_int_equal(s.count, 1);
	assert_int_equal(s.banks[0].hash, HROT_ALG_SHA256);
	assert_int_equal(s.banks[0].mask, 0x2003);
	assert_int_equal(hrot_pcr_selection_count(&s), 3);
	assert_int_equal(hrot_pcr_selection_parse("sha256:23", &s), 0);
	assert_int_equal(s.banks[0].mask, 1u << 23);
	assert_int_equal(hrot_pcr_selection_parse("24", &s), -EINVAL);
	assert_int_equal(hrot_pcr_selection_parse("sha1:0", &s), -EINVAL);
	assert_int_equal(hrot_pcr_selection_parse("0,", &s), -EINVAL);
	assert_int_equal(hrot_pcr_selection_parse("", &s), -EINVAL);
	assert_int_equal(hrot_pcr_selection_parse("-1", &s), -EINVAL);
	assert_int_equal(hrot_pcr_selection_parse("007", &s), -EINVAL);
}

static void test_pcrs_file(void **state)
{
	struct hrot_pcr_selection s, t;
	uint8_t values[10 * 32], back[24 * 32], *file;
	size_t len, vlen, i;

	(void)state;
	for (i = 0; i < sizeof(values); i++)
		values[i] = (uint8_t)i;
	assert_int_equal(hrot_pcr_selection_parse("0,1,2,3,4,5,6,7,8,13", &s),
			 0);
	assert_int_equal(hrot_pcrs_file_write(&s, values, sizeof(values),
					      &file, &len), 0);
	assert_int_equal(len, 132 + 4 + 2 * 532);
	/* little-endian: count 1, sha256 0x000b, sizeofSelect 3 */
	assert_int_equal(file[0], 1);
	assert_int_equal(file[4], 0x0b);
	assert_int_equal(file[6], 3);
	assert_int_equal(file[132], 2);
	for (i = 0; i < len; i++)
		assert_int_not_equal(hrot_pcrs_file_read(file, i, &t, back,
							 sizeof(back), &vlen,
							 NULL), 0);
	assert_int_equal(hrot_pcrs_file_read(file, len, &t, back, sizeof(back),
					     &vlen, NULL), 0);
	assert_int_equal(vlen, sizeof(values));
	assert_memory_equal(back, values, sizeof(values));
	assert_true(hrot_pcr_selection_equal(&s, &t));
	file[132] = 0xff;	/* lists */
	assert_int_equal(hrot_pcrs_file_read(file, len, &t, back, sizeof(back),
					     &vlen, NULL), -HROT_TPM_ETOOBIG);
	file[132] = 2;
	file[136] = 9;		/* digests in the first list */
	assert_int_equal(hrot_pcrs_file_read(file, len, &t, back, sizeof(back),
					     &vlen, NULL), -HROT_TPM_ETOOBIG);
	file[136] = 8;
	file[140] = 20;		/* first digest's size */
	assert_int_equal(hrot_pcrs_file_read(file, len, &t, back, sizeof(back),
					     &vlen, NULL), -HROT_TPM_EFORMAT);
	free(file);
	assert_int_equal(hrot_pcrs_file_write(&s, values, 31, &file, &len),
			 -EINVAL);
}

static void test_credential_file(void **state)
{
	struct hrot_credential c, d;
	uint8_t *file;
	size_t len, i;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.id_object_len = 2 + 70;
	c.id_object[1] = 70;
	c.secret_len = 2 + 68;
	c.secret[1] = 68;
	assert_int_equal(hrot_credential_file_write(&c, &file, &len), 0);
	assert_int_equal(len, 8 + 72 + 70);
	assert_int_equal(file[0], 0xba);
	assert_int_equal(file[3], 0xde);
	assert_int_equal(file[7], 1);
	for (i = 0; i < len; i++)
		assert_int_equal(hrot_credential_file_read(file, i, &d, NULL),
				 -HROT_TPM_ETRUNCATED);
	assert_int_equal(hrot_credential_file_read(file, len, &d, NULL), 0);
	assert_memory_equal(&c, &d, sizeof(c));
	file[0] = 0;
	assert_int_equal(hrot_credential_file_read(file, len, &d, NULL),
			 -HROT_TPM_EFORMAT);
	file[0] = 0xba;
	file[8] = 0xff;
	assert_int_equal(hrot_credential_file_read(file, len, &d, NULL),
			 -HROT_TPM_ETOOBIG);
	free(file);
}

/* OpenSSL's KBKDF (SP 800-108 counter, HMAC) is KDFa. */
static void kbkdf(const uint8_t *key, size_t klen, const char *label,
		  const uint8_t *ctx, size_t clen, uint8_t *out, size_t n)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "KBKDF", NULL);
	EVP_KDF_CTX *kctx = EVP_KDF_CTX_new(kdf);
	OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_string(OSSL_KDF_PARAM_MAC, (char *)"HMAC", 0),
		OSSL_PARAM_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0),
		OSSL_PARAM_octet_string(OSSL_KDF_PARAM_KEY, (void *)key, klen),
		OSSL_PARAM_octet_string(OSSL_KDF_PARAM_SALT, (void *)label,
					strlen(label)),
		OSSL_PARAM_octet_string(OSSL_KDF_PARAM_INFO, (void *)ctx, clen),
		OSSL_PARAM_END,
	};

	assert_int_equal(EVP_KDF_derive(kctx, out, n, p), 1);
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
}

static void test_kdfa(void **state)
{
	uint8_t key[32], ctx[34], a[64], b[64];

	(void)state;
	memset(key, 7, sizeof(key));
	memset(ctx, 9, sizeof(ctx));
	assert_int_equal(hrot_kdfa(HROT_ALG_SHA256, key, 32, "STORAGE", ctx,
				   34, NULL, 0, 128, a), 0);
	kbkdf(key, 32, "STORAGE", ctx, 34, b, 16);
	assert_memory_equal(a, b, 16);
	assert_int_equal(hrot_kdfa(HROT_ALG_SHA256, key, 32, "INTEGRITY", NULL,
				   0, NULL, 0, 512, a), 0);
	kbkdf(key, 32, "INTEGRITY", NULL, 0, b, 64);
	assert_memory_equal(a, b, 64);
	assert_int_equal(hrot_kdfa(0x1234, key, 32, "X", NULL, 0, NULL, 0, 8,
				   a), -EOPNOTSUPP);
	assert_int_equal(hrot_kdfa(HROT_ALG_SHA256, key, 32, "X", NULL, 0,
				   NULL, 0, 7, a), -EINVAL);
}

/* OpenSSL's SSKDF (SP 800-56C single step, hash) is KDFe. */
static void test_kdfe(void **state)
{
	uint8_t z[32], info[9 + 64], a[48], b[48];
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "SSKDF", NULL);
	EVP_KDF_CTX *kctx = EVP_KDF_CTX_new(kdf);
	OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA384", 0),
		OSSL_PARAM_octet_string(OSSL_KDF_PARAM_KEY, z, sizeof(z)),
		OSSL_PARAM_octet_string(OSSL_KDF_PARAM_INFO, info, sizeof(info)),
		OSSL_PARAM_END,
	};

	(void)state;
	memset(z, 3, sizeof(z));
	memcpy(info, "IDENTITY", 9);
	memset(info + 9, 4, 32);
	memset(info + 41, 5, 32);
	assert_int_equal(hrot_kdfe(HROT_ALG_SHA384, z, 32, "IDENTITY",
				   info + 9, 32, info + 41, 32, 384, a), 0);
	assert_int_equal(EVP_KDF_derive(kctx, b, 48, p), 1);
	assert_memory_equal(a, b, 48);
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_public_roundtrip),
		cmocka_unit_test(test_public_bad),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_attest),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_selection_parse),
		cmocka_unit_test(test_pcrs_file),
		cmocka_unit_test(test_credential_file),
		cmocka_unit_test(test_kdfa),
		cmocka_unit_test(test_kdfe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
