// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: hrot-unlock's keyslot KDF (Documentation/unlock.md).  The
 * independent oracle is `openssl kdf ... HKDF` with the documented salt
 * (instance id || le64 created_at) and info ("hrot luks2 keyslot v1").
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/rand.h>

#include <hrot/hex.h>

#include "unlock.h"

/* The oracle: "AB:CD:..." from the openssl CLI, as bytes. */
static int openssl_hkdf(const uint8_t *secret, const uint8_t *salt,
			size_t salt_len, uint8_t out[32])
{
	char ikm[65], s[2 * 24 + 1], cmd[512], line[256];
	unsigned int i;
	FILE *p;
	char *c;

	hrot_hex_encode(secret, 32, ikm, sizeof(ikm));
	hrot_hex_encode(salt, salt_len, s, sizeof(s));
	snprintf(cmd, sizeof(cmd),
		 "openssl kdf -keylen 32 -kdfopt digest:SHA256 "
		 "-kdfopt hexkey:%s -kdfopt hexsalt:%s "
		 "-kdfopt 'info:hrot luks2 keyslot v1' HKDF", ikm, s);
	/* NOLINTNEXTLINE(cert-env33-c): the CLI is the oracle; hex only */
	p = popen(cmd, "r");
	if (!p)
		return -1;
	c = fgets(line, sizeof(line), p);
	if (pclose(p) != 0 || !c)
		return -1;
	for (i = 0; i < 32; i++) {
		char byte[3] = { line[3 * (size_t)i], line[3 * (size_t)i + 1],
				 '\0' };
		char *end = NULL;
		unsigned long v = strtoul(byte, &end, 16);

		if (*end || end != byte + 2)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

static void salt_of(const uint8_t inst[16], int64_t t, uint8_t salt[24])
{
	unsigned int i;

	memcpy(salt, inst, 16);
	for (i = 0; i < 8; i++)
		salt[16 + i] = (uint8_t)((uint64_t)t >> (8 * i));
}

static void check_vector(int64_t created_at)
{
	uint8_t secret[32], inst[16], salt[24], ours[32], theirs[32];

	assert_int_equal(RAND_bytes(secret, sizeof(secret)), 1);
	assert_int_equal(RAND_bytes(inst, sizeof(inst)), 1);
	salt_of(inst, created_at, salt);
	assert_int_equal(unlock_kdf(secret, sizeof(secret), inst, created_at,
				    ours), 0);
	assert_int_equal(openssl_hkdf(secret, salt, sizeof(salt), theirs), 0);
	assert_memory_equal(ours, theirs, 32);
}

static void test_matches_openssl(void **state)
{
	(void)state;
	check_vector(1700000000);
	check_vector(0);
	check_vector(INT64_C(0x0102030405060708));
	check_vector(4102444800);	/* 2100: past 32 bits */
}

/* A fixed vector, so a change of labels or salt layout shows. */
static void test_fixed_vector(void **state)
{
	uint8_t secret[32], inst[16], salt[24], ours[32], theirs[32];
	unsigned int i;

	(void)state;
	for (i = 0; i < 32; i++)
		secret[i] = (uint8_t)i;
	for (i = 0; i < 16; i++)
		inst[i] = (uint8_t)(0xa0 + i);
	salt_of(inst, 1700000000, salt);
	assert_int_equal(unlock_kdf(secret, 32, inst, 1700000000, ours), 0);
	assert_int_equal(openssl_hkdf(secret, salt, sizeof(salt), theirs), 0);
	assert_memory_equal(ours, theirs, 32);
}

static void test_inputs_matter(void **state)
{
	uint8_t secret[32] = { 1 }, inst[16] = { 2 }, a[32], b[32];

	(void)state;
	assert_int_equal(unlock_kdf(secret, 32, inst, 100, a), 0);
	assert_int_equal(unlock_kdf(secret, 32, inst, 101, b), 0);
	assert_memory_not_equal(a, b, 32);
	inst[15] ^= 1;
	assert_int_equal(unlock_kdf(secret, 32, inst, 100, b), 0);
	assert_memory_not_equal(a, b, 32);
	inst[15] ^= 1;
	secret[31] ^= 1;
	assert_int_equal(unlock_kdf(secret, 32, inst, 100, b), 0);
	assert_memory_not_equal(a, b, 32);
}

static void test_bad_secret(void **state)
{
	uint8_t secret[33] = { 0 }, inst[16] = { 0 }, key[32];

	(void)state;
	assert_int_equal(unlock_kdf(secret, 31, inst, 1, key), -EINVAL);
	assert_int_equal(unlock_kdf(secret, 33, inst, 1, key), -EINVAL);
	assert_int_equal(unlock_kdf(NULL, 32, inst, 1, key), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_openssl),
		cmocka_unit_test(test_fixed_vector),
		cmocka_unit_test(test_inputs_matter),
		cmocka_unit_test(test_bad_secret),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
