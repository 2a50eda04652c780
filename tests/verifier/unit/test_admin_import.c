// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: hrot-admin policy import (verifier/admin/policy_import.c).
 * Reference logs are written by tests/unit/testlog.c, the independent
 * writer of the log format; lists by coreutils' own sha256sum; expected
 * digests are computed by OpenSSL here, not read back through libhrot.
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

#include <hrot/hex.h>

#include "admin.h"
#include "support_admin_testlog.h"
#include "support_tmpdir.h"

/* The odd name of tl_standard_log()'s record 4. */
#define ODD_NAME "name with space\\and\nnewline \xc3\xa9"

struct fixture {
	char *dir;
	char err[ADMIN_ERR_SIZE];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->dir = support_tmpdir_make();
	*state = f;
	return f->dir ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	support_tmpdir_remove(f->dir);
	free(f);
	return 0;
}

static char *write_bytes(const struct fixture *f, const char *name,
			 const void *data, size_t len)
{
	char *path = support_path(f->dir, name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void hex_of(const uint8_t d[32], char out[65])
{
	assert_int_equal(hrot_hex_encode(d, 32, out, 65), 0);
}

/* Entry @i is {@component, @version, @hex}. */
static void expect_entry(struct json_object *entries, size_t i,
			 const char *component, const char *version,
			 const char *hex)
{
	struct json_object *e = json_object_array_get_idx(entries, i), *v;

	assert_non_null(e);
	assert_true(json_object_object_get_ex(e, "component", &v));
	assert_string_equal(json_object_get_string(v), component);
	assert_true(json_object_object_get_ex(e, "version", &v));
	assert_string_equal(json_object_get_string(v), version);
	assert_true(json_object_object_get_ex(e, "sha256_hex", &v));
	assert_string_equal(json_object_get_string(v), hex);
}

/* The content digest testlog gave a record named @name, as hex. */
static void content_hex(const char *name, char out[65])
{
	uint8_t d[32];

	tl_content_digest(name, d);
	hex_of(d, out);
}

static void test_standard_log(void **state)
{
	struct fixture *f = *state;
	struct json_object *entries;
	struct tl_buf b = { 0 };
	char hex[65], *path;

	tl_standard_log(&b, NULL);
	path = write_bytes(f, "std.log", b.data, b.len);
	tl_free(&b);
	assert_int_equal(admin_policy_entries_from_log(path, "v1", &entries, f->err,
						       sizeof(f->err)), ADMIN_OK);
	/* records 2 (EV_NO_ACTION) and 3 (not hrot) give no entry */
	assert_int_equal(json_object_array_length(entries), 3);
	content_hex("boot-config", hex);
	expect_entry(entries, 0, "boot-config", "v1", hex);
	content_hex("/boot/vmlinuz", hex);
	expect_entry(entries, 1, "/boot/vmlinuz", "v1", hex);
	/* a name with a newline cannot be a component: "any", same digest */
	content_hex(ODD_NAME, hex);
	expect_entry(entries, 2, "*", "v1", hex);
	json_object_put(entries);
	free(path);
}

/* --from-log and --from-list together: the list adds what the log lacks. */
static void test_merge(void **state)
{
	struct fixture *f = *state;
	struct json_object *entries, *more;
	struct tl_buf b = { 0 };
	char hex[65], line[200], *path, *list;

	tl_standard_log(&b, NULL);
	path = write_bytes(f, "std.log", b.data, b.len);
	tl_free(&b);
	/* one entry the log has already, one it lacks */
	content_hex("/boot/vmlinuz", hex);
	snprintf(line, sizeof(line), "%s  /boot/vmlinuz\n%s  kernel command line\n",
		 hex, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
	list = write_bytes(f, "list", line, strlen(line));
	assert_int_equal(admin_policy_entries_from_log(path, "v1", &entries, f->err,
						       sizeof(f->err)), ADMIN_OK);
	assert_int_equal(admin_policy_entries_from_list(list, "v1", &more, f->err,
							sizeof(f->err)), ADMIN_OK);
	assert_int_equal(admin_policy_entries_merge(entries, more), 0);
	assert_int_equal(json_object_array_length(entries), 4);
	expect_entry(entries, 1, "/boot/vmlinuz", "v1", hex);
	expect_entry(entries, 3, "kernel command line", "v1",
		     "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
	json_object_put(more);
	json_object_put(entries);
	free(path);
	free(list);
}

/* A log of HROT records named @names (file records of @size bytes). */
static char *names_log(const struct fixture *f, const char *file,
		       const char *const *names, size_t n)
{
	struct tl_buf b = { 0 };
	char *path;
	size_t i;

	tl_spec_id(&b, tl_banks, TL_NR_BANKS);
	for (i = 0; i < n; i++)
		tl_hrot_record(&b, 13, 0x0d, tl_banks, TL_NR_BANKS, 2, names[i], 4096);
	path = write_bytes(f, file, b.data, b.len);
	tl_free(&b);
	return path;
}

static void test_duplicates_and_long_names(void **state)
{
	struct fixture *f = *state;
	char long_name[200], fits[ADMIN_NAME_MAX + 1], hex[65], *path;
	const char *names[5];
	struct json_object *entries;

	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[0] = '/';
	long_name[sizeof(long_name) - 1] = '\0';
	memset(fits, 'y', sizeof(fits) - 1);
	fits[0] = '/';
	fits[sizeof(fits) - 1] = '\0';
	names[0] = "/usr/bin/a";
	names[1] = long_name;
	names[2] = "/usr/bin/a";	/* measured twice: one entry */
	names[3] = fits;		/* exactly ADMIN_NAME_MAX bytes */
	names[4] = "/usr/bin/b";
	path = names_log(f, "dup.log", names, 5);
	assert_int_equal(admin_policy_entries_from_log(path, "2", &entries, f->err,
						       sizeof(f->err)), ADMIN_OK);
	assert_int_equal(json_object_array_length(entries), 4);
	content_hex("/usr/bin/a", hex);
	expect_entry(entries, 0, "/usr/bin/a", "2", hex);
	content_hex(long_name, hex);
	expect_entry(entries, 1, "*", "2", hex);
	content_hex(fits, hex);
	expect_entry(entries, 2, fits, "2", hex);
	content_hex("/usr/bin/b", hex);
	expect_entry(entries, 3, "/usr/bin/b", "2", hex);
	json_object_put(entries);
	free(path);
}

static void expect_log_refused(struct fixture *f, const char *file,
			       const void *data, size_t len, const char *needle)
{
	struct json_object *entries = (struct json_object *)1;
	char *path = write_bytes(f, file, data, len);

	assert_int_equal(admin_policy_entries_from_log(path, "1", &entries, f->err,
						       sizeof(f->err)), ADMIN_FAIL);
	assert_null(entries);
	if (!strstr(f->err, path) || !strstr(f->err, needle))
		fail_msg("error \"%s\" lacks \"%s\"", f->err, needle);
	free(path);
}

static void test_damaged_logs(void **state)
{
	struct fixture *f = *state;
	size_t ends[TL_STD_RECORDS + 1];
	struct tl_buf b = { 0 };
	uint8_t *copy;

	tl_standard_log(&b, ends);
	copy = malloc(b.len);
	assert_non_null(copy);

	/* record 1's SHA-256 bank digest: after pcr, type, count, sha1 */
	memcpy(copy, b.data, b.len);
	copy[ends[1] + 12 + 2 + 20 + 2] ^= 0x01;
	expect_log_refused(f, "digest.log", copy, b.len, "record 1");

	/* record 0's content digest (event data offset 12) */
	memcpy(copy, b.data, b.len);
	copy[ends[1] - (56 + strlen("boot-config")) + 12] ^= 0x80;
	expect_log_refused(f, "content.log", copy, b.len, "record 0");

	expect_log_refused(f, "short.log", b.data, b.len - 3, "");
	expect_log_refused(f, "header.log", b.data, ends[0] - 1, "");
	free(copy);
	tl_free(&b);

	/* a log with nothing measured */
	tl_spec_id(&b, tl_banks, TL_NR_BANKS);
	expect_log_refused(f, "empty.log", b.data, b.len, "no measured records");
	tl_free(&b);
	expect_log_refused(f, "text.log", "hello\n", 6, "");
}

static void test_missing_log(void **state)
{
	struct fixture *f = *state;
	struct json_object *entries;

	assert_int_equal(admin_policy_entries_from_log("/nonexistent/log", "1", &entries,
						       f->err, sizeof(f->err)),
			 ADMIN_FAIL);
	assert_non_null(strstr(f->err, "/nonexistent/log: No such file or directory"));
}

static char *file_sha256_hex(const char *data, char out[65])
{
	uint8_t d[32];

	tl_sha256(data, strlen(data), d);
	hex_of(d, out);
	return out;
}

/* Shell @args (sha256sum runs) in the fixture's directory, into "list". */
static char *run_sha256sum(struct fixture *f, const char *args)
{
	char cmd[512], *list = support_path(f->dir, "list");

	snprintf(cmd, sizeof(cmd), "cd '%s' && { %s; } > list", f->dir, args);
	/* NOLINTNEXTLINE(cert-env33-c): coreutils is the oracle */
	assert_int_equal(system(cmd), 0);
	return list;
}

static void test_list_from_sha256sum(void **state)
{
	struct fixture *f = *state;
	struct json_object *entries;
	char hex[65], *files[2], *list;

	files[0] = write_bytes(f, "vmlinuz", "kernel bytes", 12);
	files[1] = write_bytes(f, "we\\ird", "odd name", 8);
	/* text mode, and binary mode ("*NAME"); the backslash is escaped */
	list = run_sha256sum(f, "sha256sum vmlinuz 'we\\ird'; sha256sum -b vmlinuz");
	assert_int_equal(admin_policy_entries_from_list(list, "9", &entries, f->err,
							sizeof(f->err)), ADMIN_OK);
	/* the -b line repeats the first: one entry */
	assert_int_equal(json_object_array_length(entries), 2);
	expect_entry(entries, 0, "vmlinuz", "9", file_sha256_hex("kernel bytes", hex));
	expect_entry(entries, 1, "we\\ird", "9", file_sha256_hex("odd name", hex));
	json_object_put(entries);
	free(files[0]);
	free(files[1]);
	free(list);
}

static void expect_list(struct fixture *f, const char *text, int ret,
			const char *needle, size_t nr_entries)
{
	char *path = write_bytes(f, "l", text, strlen(text));
	struct json_object *entries;

	assert_int_equal(admin_policy_entries_from_list(path, "1", &entries, f->err,
							sizeof(f->err)), ret);
	if (ret) {
		assert_null(entries);
		if (!strstr(f->err, needle))
			fail_msg("error \"%s\" lacks \"%s\"", f->err, needle);
	} else {
		assert_int_equal(json_object_array_length(entries), nr_entries);
		json_object_put(entries);
	}
	free(path);
}

#define H64 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

static void test_list_errors(void **state)
{
	struct fixture *f = *state;
	struct json_object *entries;
	char *path;

	expect_list(f, "# comment\n\n" H64 "  /a\r\n" H64 "  /b\n", ADMIN_OK, "", 2);
	expect_list(f, "", ADMIN_FAIL, "no entries", 0);
	expect_list(f, "# only a comment\n", ADMIN_FAIL, "no entries", 0);
	expect_list(f, H64 "  /a\n" H64 " /b\n", ADMIN_FAIL, "line 2: not", 0);
	expect_list(f, "\n\n" "9f86d0" "  /a\n", ADMIN_FAIL, "line 3: not", 0);
	expect_list(f, "zz86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  /a\n",
		    ADMIN_FAIL, "line 1: not", 0);
	expect_list(f, H64 "  \n", ADMIN_FAIL, "line 1: name", 0);
	expect_list(f, H64 "  a\tb\n", ADMIN_FAIL, "line 1: name", 0);
	/* an escaped newline is a control character in a component */
	expect_list(f, "\\" H64 "  new\\nline\n", ADMIN_FAIL, "line 1: name", 0);
	expect_list(f, "\\" H64 "  bad\\qescape\n", ADMIN_FAIL, "line 1: not", 0);

	/* upper-case hex is accepted and normalised */
	path = write_bytes(f, "upper",
			   "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08  /x\n",
			   strlen(H64) + 5);
	assert_int_equal(admin_policy_entries_from_list(path, "1", &entries, f->err,
							sizeof(f->err)), ADMIN_OK);
	expect_entry(entries, 0, "/x", "1", H64);
	json_object_put(entries);
	free(path);

	path = write_bytes(f, "nul", H64 "  /a\0b\n", strlen(H64) + 7);
	assert_int_equal(admin_policy_entries_from_list(path, "1", &entries, f->err,
							sizeof(f->err)), ADMIN_FAIL);
	assert_non_null(strstr(f->err, "NUL"));
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_standard_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_and_long_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_logs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_from_sha256sum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
