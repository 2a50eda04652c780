// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: hrot-admin's human output (verifier/admin/format.c,
 * table.c) from canned server answers: alignment, missing fields, times,
 * and control characters from the server kept off the terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "admin.h"
#include "table.h"

#define DEV_A "000b1111111111111111111111111111111111111111111111111111111111111111"
#define DEV_B "000b2222222222222222222222222222222222222222222222222222222222222222"

/* What admin_format() prints for @json; @ret gets its return value. */
static char *render(enum admin_format fmt, const char *what,
		    const char *json, int *ret)
{
	struct json_object *obj = json_tokener_parse(json);
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	assert_non_null(obj);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	*ret = admin_format(fmt, what, obj, f);
	assert_int_equal(fclose(f), 0);
	json_object_put(obj);
	return text;
}

static void expect_output(enum admin_format fmt, const char *what,
			  const char *json, const char *want)
{
	int ret;
	char *got = render(fmt, what, json, &ret);

	assert_int_equal(ret, ADMIN_OK);
	assert_string_equal(got, want);
	free(got);
}

static void test_device_list(void **state)
{
	(void)state;
	expect_output(ADMIN_FMT_DEVICE_LIST, "list devices",
		"{\"devices\": ["
		"{\"device\": \"" DEV_A "\", \"state\": \"enrolled\", \"registered_at\": 1700000000,"
		" \"last_seen\": 1700003600, \"last_verdict\": \"pass\", \"last_reason\": \"\", \"policy\": \"web\"},"
		"{\"device\": \"" DEV_B "\", \"state\": \"pending\", \"registered_at\": 1700000001,"
		" \"last_seen\": 0, \"last_verdict\": null, \"policy\": null}]}",
		"DEVICE                                                                STATE     POLICY  REGISTERED            LAST SEEN             VERDICT  REASON\n"
		DEV_A "  enrolled  web     2023-11-14 22:13:20Z  2023-11-14 23:13:20Z  pass     -\n"
		DEV_B "  pending   -       2023-11-14 22:13:21Z  -                     -        -\n");
	expect_output(ADMIN_FMT_DEVICE_LIST, "list devices", "{\"devices\": []}",
		      "no devices\n");
}

static void test_missing_array_fails(void **state)
{
	int ret;
	char *got;

	(void)state;
	got = render(ADMIN_FMT_DEVICE_LIST, "list devices", "{\"device\": []}", &ret);
	assert_int_equal(ret, ADMIN_FAIL);
	assert_string_equal(got, "");
	free(got);
	got = render(ADMIN_FMT_AUDIT, "audit", "{\"records\": {}}", &ret);
	assert_int_equal(ret, ADMIN_FAIL);
	free(got);
}

static void test_control_characters(void **state)
{
	(void)state;
	/* an escape sequence in a reason must not reach the terminal */
	expect_output(ADMIN_FMT_AUDIT, "audit",
		"{\"records\": [{\"id\": 7, \"time\": 86400, \"device\": \"" DEV_A "\","
		" \"action\": \"attest\", \"result\": false, \"reason\": \"log_replay\","
		" \"detail\": \"bad\\u001b[2Jname\\nnext\"},"
		"{\"id\": 12, \"time\": 86401, \"action\": \"policy\", \"result\": true,"
		" \"reason\": \"\", \"detail\": \"caf\\u00e9\"}]}",
		"ID  TIME                  DEVICE                                                                ACTION  RESULT  REASON      DETAIL\n"
		"7   1970-01-02 00:00:00Z  " DEV_A "  attest  fail    log_replay  bad\\x1b[2Jname\\x0anext\n"
		"12  1970-01-02 00:00:01Z  -                                                                     policy  ok      -           caf\xc3\xa9\n");
}

static void test_utf8_width(void **state)
{
	struct table t;
	const char *headers[] = { "A", "B" };
	const char *r1[] = { "\xc3\xa9t\xc3\xa9", "x" };
	const char *r2[] = { "abcd", "y" };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	table_init(&t, headers, 2);
	table_add_row(&t, r1);
	table_add_row(&t, r2);
	assert_int_equal(table_print(&t, f), 0);
	table_free(&t);
	assert_int_equal(fclose(f), 0);
	/* "été" is three characters wide, not five bytes */
	assert_string_equal(text, "A     B\n\xc3\xa9t\xc3\xa9   x\nabcd  y\n");
	free(text);
	assert_int_equal(table_width("\xc3\xa9t\xc3\xa9"), 3);
}

static void test_policy_list(void **state)
{
	(void)state;
	expect_output(ADMIN_FMT_POLICY_LIST, "list policies",
		"{\"policies\": [{\"name\": \"web\", \"version\": \"1\", \"id\": 3,"
		" \"entries\": [{\"component\": \"a\"}, {\"component\": \"b\"}],"
		" \"require_physical\": true, \"created_at\": 1},"
		"{\"name\": \"database-servers\", \"version\": \"2024.10\", \"id\": 14,"
		" \"entries\": [], \"require_physical\": false}]}",
		"NAME              VERSION  ID  ENTRIES  PHYSICAL  CREATED\n"
		"web               1        3   2        true      1970-01-01 00:00:01Z\n"
		"database-servers  2024.10  14  0        false     -\n");
}

static void test_device_show(void **state)
{
	(void)state;
	expect_output(ADMIN_FMT_DEVICE_SHOW, "show device",
		"{\"device\": \"" DEV_A "\", \"state\": \"revoked\", \"registered_at\": 60,"
		" \"last_seen\": 0, \"policy\": \"web\", \"revoke_reason\": \"stolen\","
		" \"metadata\": {\"hostname\": \"db1\"},"
		" \"fingerprint\": {\"digest_hex\": \"abcd\", \"components\": ["
		"{\"id\": 1, \"flags\": 1, \"name\": \"product_uuid\", \"digest_hex\": \"01\", \"value\": \"u-1\"},"
		"{\"id\": 12, \"flags\": 0, \"name\": \"board_serial\", \"digest_hex\": \"02\"}]}}",
		"device         " DEV_A "\n"
		"state          revoked\n"
		"registered_at  1970-01-01 00:01:00Z\n"
		"last_seen      -\n"
		"policy         web\n"
		"revoke_reason  stolen\n"
		"metadata:\n"
		"  hostname       db1\n"
		"fingerprint    abcd\n"
		"ID  NAME          FLAGS  VALUE  DIGEST\n"
		"1   product_uuid  1      u-1    01\n"
		"12  board_serial  0      -      02\n");
}

static void test_state_lines(void **state)
{
	(void)state;
	expect_output(ADMIN_FMT_DEVICE_STATE, "approve device " DEV_A,
		      "{\"device\": \"" DEV_A "\", \"state\": \"approved\"}",
		      "approve device " DEV_A ": done, state approved\n");
	expect_output(ADMIN_FMT_TOKEN_REVOKE, "revoke token 00", "{}",
		      "revoke token 00: done\n");
	expect_output(ADMIN_FMT_POLICY_CREATED, "import policy web version 1",
		      "{\"name\": \"web\", \"version\": \"1\", \"id\": 5}",
		      "import policy web version 1: done, policy id 5\n");
}

static void test_revocations(void **state)
{
	(void)state;
	expect_output(ADMIN_FMT_REVOCATIONS, "revocations",
		      "{\"devices\": [\"" DEV_A "\"], \"tokens\": [], \"generated_at\": 0}",
		      "revoked devices (1):\n  " DEV_A "\n"
		      "revoked tokens (0)\n"
		      "generated at -\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_list),
		cmocka_unit_test(test_missing_array_fails),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_utf8_width),
		cmocka_unit_test(test_policy_list),
		cmocka_unit_test(test_device_show),
		cmocka_unit_test(test_state_lines),
		cmocka_unit_test(test_revocations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
