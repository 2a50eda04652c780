// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: quote verification with quotes built and signed here with
 * OpenSSL (EC P-256, ECDSA-SHA256); each kind of tampering gives its own
 * status.
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
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <hrot/hrot.h>

struct quote {
	EVP_PKEY *key;
	uint8_t nonce[32];
	struct hrot_pcr_selection sel;
	uint8_t pcrs[3 * 32];
	uint8_t attest[512];
	size_t attest_len;
	uint8_t sig[256];
	size_t sig_len;
};

static void sign(struct quote *q)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char der[128];
	const unsigned char *p = der;
	size_t n = sizeof(der);
	struct hrot_tpm_signature s;
	ECDSA_SIG *es;
	int len;

	assert_int_equal(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL,
					    q->key), 1);
	assert_int_equal(EVP_DigestSign(ctx, der, &n, q->attest,
					q->attest_len), 1);
	EVP_MD_CTX_free(ctx);
	es = d2i_ECDSA_SIG(NULL, &p, (long)n);
	assert_non_null(es);
	memset(&s, 0, sizeof(s));
	s.sig_alg = HROT_TPM_ALG_ECDSA;
	s.hash = HROT_ALG_SHA256;
	s.r_size = s.s_size = 32;
	assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_r(es), s.r, 32), 32);
	assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_s(es), s.s, 32), 32);
	ECDSA_SIG_free(es);
	len = hrot_tpm_signature_marshal(&s, q->sig, sizeof(q->sig));
	assert_true(len > 0);
	q->sig_len = (size_t)len;
}

static void build(struct quote *q, uint32_t magic)
{
	struct hrot_tpm_attest a;
	int n;

	memset(&a, 0, sizeof(a));
	a.magic = magic;
	a.type = HROT_TPM_ST_ATTEST_QUOTE;
	a.signer_size = 34;
	a.extra_size = sizeof(q->nonce);
	memcpy(a.extra, q->nonce, sizeof(q->nonce));
	a.clock = 1000;
	a.reset_count = 7;
	a.restart_count = 8;
	a.safe = 1;
	a.firmware_version = 42;
	a.pcr_select = q->sel;
	a.pcr_digest_size = 32;
	assert_int_equal(hrot_digest(HROT_ALG_SHA256, q->pcrs, sizeof(q->pcrs),
				     a.pcr_digest, 32), 32);
	n = hrot_tpm_attest_marshal(&a, q->attest, sizeof(q->attest));
	assert_true(n > 0);
	q->attest_len = (size_t)n;
	sign(q);
}

static int setup(void **state)
{
	struct quote *q = calloc(1, sizeof(*q));
	size_t i;

	if (!q)
		return -1;
	q->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	memset(q->nonce, 0x6e, sizeof(q->nonce));
	for (i = 0; i < sizeof(q->pcrs); i++)
		q->pcrs[i] = (uint8_t)(i * 7);
	hrot_pcr_selection_parse("0,1,13", &q->sel);
	*state = q;
	return q->key ? 0 : -1;
}

static int teardown(void **state)
{
	struct quote *q = *state;

	EVP_PKEY_free(q->key);
	free(q);
	return 0;
}

static enum hrot_quote_status verify(struct quote *q,
				     struct hrot_quote_result *res)
{
	return hrot_quote_verify(q->key, q->attest, q->attest_len, q->sig,
				 q->sig_len, q->nonce, sizeof(q->nonce),
				 &q->sel, q->pcrs, sizeof(q->pcrs), res);
}

static void test_ok(void **state)
{
	struct quote *q = *state;
	struct hrot_quote_result res;

	build(q, HROT_TPM_GENERATED_VALUE);
	assert_int_equal(verify(q, &res), HROT_QUOTE_OK);
	assert_string_equal(res.msg, "quote OK");
	assert_int_equal(res.attest.clock, 1000);
	assert_int_equal(res.attest.reset_count, 7);
	assert_int_equal(res.attest.restart_count, 8);
	assert_int_equal(res.attest.firmware_version, 42);
}

/* Every bit of the message: a bad signature (or malformed). */
static void test_flip_message(void **state)
{
	struct quote *q = *state;
	struct hrot_quote_result res;
	size_t bit;

	build(q, HROT_TPM_GENERATED_VALUE);
	for (bit = 0; bit < q->attest_len * 8; bit++) {
		enum hrot_quote_status st;

		q->attest[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		st = verify(q, &res);
		q->attest[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (st != HROT_QUOTE_BAD_SIGNATURE && st != HROT_QUOTE_MALFORMED)
			fail_msg("bit %zu: %d %s", bit, st, res.msg);
	}
}

static void test_flip_signature(void **state)
{
	struct quote *q = *state;
	struct hrot_quote_result res;
	size_t bit;

	build(q, HROT_TPM_GENERATED_VALUE);
	/* r and s only: the header bits make it malformed or another scheme */
	for (bit = (size_t)6 * 8; bit < q->sig_len * 8; bit++) {
		enum hrot_quote_status st;

		if (bit / 8 == 38 || bit / 8 == 39)
			continue;	/* s's size */
		q->sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		st = verify(q, &res);
		q->sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (st != HROT_QUOTE_BAD_SIGNATURE)
			fail_msg("bit %zu: %d %s", bit, st, res.msg);
	}
	q->sig_len--;
	assert_int_equal(verify(q, &res), HROT_QUOTE_MALFORMED);
}

static void test_flip_pcrs(void **state)
{
	struct quote *q = *state;
	struct hrot_quote_result res;
	size_t bit;

	build(q, HROT_TPM_GENERATED_VALUE);
	for (bit = 0; bit < sizeof(q->pcrs) * 8; bit += 5) {
		q->pcrs[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_equal(verify(q, &res), HROT_QUOTE_PCR_DIGEST_MISMATCH);
		q->pcrs[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	assert_int_equal(hrot_quote_verify(q->key, q->attest, q->attest_len,
					   q->sig, q->sig_len, q->nonce,
					   sizeof(q->nonce), &q->sel, q->pcrs,
					   64, &res),
			 HROT_QUOTE_PCR_DIGEST_MISMATCH);
}

static void test_flip_nonce(void **state)
{
	struct quote *q = *state;
	struct hrot_quote_result res;
	size_t bit;

	build(q, HROT_TPM_GENERATED_VALUE);
	for (bit = 0; bit < sizeof(q->nonce) * 8; bit++) {
		q->nonce[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_equal(verify(q, &res), HROT_QUOTE_NONCE_MISMATCH);
		q->nonce[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	assert_int_equal(hrot_quote_verify(q->key, q->attest, q->attest_len,
					   q->sig, q->sig_len, q->nonce, 31,
					   &q->sel, q->pcrs, sizeof(q->pcrs),
					   &res), HROT_QUOTE_NONCE_MISMATCH);
}

static void test_selection(void **state)
{
	struct quote *q = *state;
	struct hrot_quote_result res;
	struct hrot_pcr_selection other;

	build(q, HROT_TPM_GENERATED_VALUE);
	hrot_pcr_selection_parse("0,1,14", &other);
	assert_int_equal(hrot_quote_verify(q->key, q->attest, q->attest_len,
					   q->sig, q->sig_len, q->nonce,
					   sizeof(q->nonce), &other, q->pcrs,
					   sizeof(q->pcrs), &res),
			 HROT_QUOTE_PCR_SELECTION_MISMATCH);
}

static void test_magic(void **state)
{
	struct quote *q = *state;
	struct hrot_quote_result res;

	build(q, 0xff544348);
	assert_int_equal(verify(q, &res), HROT_QUOTE_BAD_MAGIC);
	assert_non_null(strstr(res.msg, "0xff544348"));
}

static void test_wrong_key(void **state)
{
	struct quote *q = *state;
	struct hrot_quote_result res;
	EVP_PKEY *good = q->key;

	build(q, HROT_TPM_GENERATED_VALUE);
	q->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	assert_int_equal(verify(q, &res), HROT_QUOTE_BAD_SIGNATURE);
	EVP_PKEY_free(q->key);
	q->key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	assert_int_equal(verify(q, &res), HROT_QUOTE_BAD_KEY);
	EVP_PKEY_free(q->key);
	q->key = good;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_flip_message),
		cmocka_unit_test(test_flip_signature),
		cmocka_unit_test(test_flip_pcrs),
		cmocka_unit_test(test_flip_nonce),
		cmocka_unit_test(test_selection),
		cmocka_unit_test(test_magic),
		cmocka_unit_test(test_wrong_key),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
