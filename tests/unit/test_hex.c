// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: hex and text helpers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hrot/hex.h>

static void test_encode(void **state)
{
	static const uint8_t in[] = { 0x00, 0x01, 0xab, 0xff, 0x7f };
	char out[HROT_HEX_SIZE(sizeof(in))];

	(void)state;
	assert_int_equal(hrot_hex_encode(in, sizeof(in), out, sizeof(out)), 0);
	assert_string_equal(out, "0001abff7f");
}

static void test_encode_empty(void **state)
{
	char out[1] = { 'x' };

	(void)state;
	assert_int_equal(hrot_hex_encode(NULL, 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

static void test_encode_too_small(void **state)
{
	static const uint8_t in[] = { 1, 2, 3 };
	char out[6] = "xxxxx";

	(void)state;
	/* 3 bytes need 7: the NUL counts. */
	assert_int_equal(hrot_hex_encode(in, sizeof(in), out, sizeof(out)),
			 -ENOSPC);
	assert_string_equal(out, "");
	assert_int_equal(hrot_hex_encode(in, sizeof(in), out, 0), -ENOSPC);
	/* A length whose doubling wraps must not pass the check. */
	assert_int_equal(hrot_hex_encode(in, SIZE_MAX / 2 + 1, out,
					 sizeof(out)), -ENOSPC);
}

static void test_decode(void **state)
{
	uint8_t out[4];

	(void)state;
	assert_int_equal(hrot_hex_decode("00aBcDff", out, sizeof(out)), 0);
	assert_int_equal(out[0], 0x00);
	assert_int_equal(out[1], 0xab);
	assert_int_equal(out[2], 0xcd);
	assert_int_equal(out[3], 0xff);
}

static void test_decode_rejects(void **state)
{
	static const char *const bad[] = {
		"", "00", "00aabb", "00aabbccd", "00aabbccdd", "00aabbcg",
		" 0aabbcc", "0xaabbcc", "00aabb-c", "00aa bcc", "00aabbc\n",
	};
	uint8_t out[4];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(hrot_hex_decode(bad[i], out, sizeof(out)),
				 -EINVAL);
}

static void test_round_trip(void **state)
{
	uint8_t in[256], out[256];
	char hex[HROT_HEX_SIZE(sizeof(in))];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	assert_int_equal(hrot_hex_encode(in, sizeof(in), hex, sizeof(hex)), 0);
	assert_int_equal(hrot_hex_decode(hex, out, sizeof(out)), 0);
	assert_memory_equal(in, out, sizeof(in));
}

static void test_escape_name(void **state)
{
	static const char name[] = "a b\\c\n\x7f\xc3\xa9/ok";
	char *s;

	(void)state;
	s = hrot_escape_name(name, sizeof(name) - 1);
	assert_non_null(s);
	assert_string_equal(s, "a\\040b\\134c\\012\\177\\303\\251/ok");
	free(s);
	/* A NUL in the middle is a byte like any other. */
	s = hrot_escape_name("x\0y", 3);
	assert_non_null(s);
	assert_string_equal(s, "x\\000y");
	free(s);
	s = hrot_escape_name("", 0);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void test_utf8(void **state)
{
	(void)state;
	assert_true(hrot_utf8_valid("plain", 5));
	assert_true(hrot_utf8_valid("", 0));
	assert_true(hrot_utf8_valid("\xc3\xa9", 2));		/* é */
	assert_true(hrot_utf8_valid("\xe2\x82\xac", 3));	/* € */
	assert_true(hrot_utf8_valid("\xf0\x9f\x98\x80", 4));	/* emoji */
	assert_false(hrot_utf8_valid("a\0b", 3));		/* NUL */
	assert_false(hrot_utf8_valid("\xc3", 1));		/* cut short */
	assert_false(hrot_utf8_valid("\xc0\xaf", 2));		/* overlong */
	assert_false(hrot_utf8_valid("\xe0\x80\xaf", 3));	/* overlong */
	assert_false(hrot_utf8_valid("\xed\xa0\x80", 3));	/* surrogate */
	assert_false(hrot_utf8_valid("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	assert_false(hrot_utf8_valid("\xe2\x82", 2));		/* cut short */
	assert_false(hrot_utf8_valid("\xe2\x28\xa1", 3));	/* bad 2nd */
	assert_false(hrot_utf8_valid("\xff", 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_encode_empty),
		cmocka_unit_test(test_encode_too_small),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_rejects),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_escape_name),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests_name("hex", tests, NULL, NULL);
}
