// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: hrotctl's argument parsing and output formats, driven
 * directly (linked with hrotctl's objects but its main()).
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
#include <unistd.h>
#include <cmocka.h>

#include "hrotctl.h"

/*
 * getopt may reorder argv, and -Wwrite-strings makes literals const: the
 * parsers get writable copies of the words.
 */
struct args {
	int argc;
	char *argv[16];
};

static struct args *args_new(const char *const *words)
{
	struct args *a = calloc(1, sizeof(*a));

	assert_non_null(a);
	for (; *words; words++) {
		assert_true(a->argc < 15);
		a->argv[a->argc] = strdup(*words);
		assert_non_null(a->argv[a->argc]);
		a->argc++;
	}
	return a;
}

static void args_free(struct args *a)
{
	int i;

	for (i = 0; i < a->argc; i++)
		free(a->argv[i]);
	free(a);
}

#define WORDS(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* Usage errors go to stderr: keep them out of the test report. */
static int saved_stderr = -1;

static void quiet(void)
{
	int null = open("/dev/null", O_WRONLY);

	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	dup2(null, STDERR_FILENO);
	close(null);
}

static void loud(void)
{
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
}

/* SHA-256("abc"), a digest to pass to --digest. */
static const char abc_sha256[] =
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static void test_parse_u32(void **state)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "1x", "0x", "0x-1", "0x 1",
		"4294967296", "0x100000000", "99999999999999999999999", "x1",
		"0x0x1",
	};
	uint32_t v;
	size_t i;

	(void)state;
	assert_int_equal(parse_u32("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_u32("13", &v), 0);
	assert_int_equal(v, 13);
	/* Not octal: a leading zero is decimal. */
	assert_int_equal(parse_u32("010", &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(parse_u32("0x0d", &v), 0);
	assert_int_equal(v, 13);
	assert_int_equal(parse_u32("0XfFfFfFfF", &v), 0);
	assert_int_equal(v, UINT32_MAX);
	assert_int_equal(parse_u32("4294967295", &v), 0);
	assert_int_equal(v, UINT32_MAX);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse_u32(bad[i], &v) != -EINVAL)
			fail_msg("\"%s\" accepted", bad[i]);
}

static void test_parse_sha256(void **state)
{
	uint8_t d[HROT_SHA256_SIZE];

	(void)state;
	assert_int_equal(parse_sha256(abc_sha256, d), 0);
	assert_int_equal(d[0], 0xba);
	assert_int_equal(d[31], 0xad);
	assert_int_equal(parse_sha256("ba7816bf", d), -EINVAL);
	assert_int_equal(parse_sha256("ba7816bf8f01cfea414140de5dae2223"
				      "b00361a396177a9cb410ff61f20015ad00", d),
			 -EINVAL);
}

static void test_extend_args(void **state)
{
	struct args *w = args_new(WORDS("extend", "a description"));
	struct args *w2 = args_new(WORDS("extend", "--type", "0x80000001",
					 "--digest", abc_sha256, "--", "-dash"));
	struct extend_args a;

	(void)state;
	assert_int_equal(parse_extend_args(w->argc, w->argv, &a), 0);
	assert_int_equal(a.type, HROT_EV_EVENT_TAG);
	assert_false(a.have_digest);
	assert_string_equal(a.desc, "a description");
	assert_int_equal(parse_extend_args(w2->argc, w2->argv, &a), 0);
	assert_int_equal(a.type, 0x80000001);
	assert_true(a.have_digest);
	assert_int_equal(a.digest[0], 0xba);
	assert_string_equal(a.desc, "-dash");
	args_free(w);
	args_free(w2);
}

/* Parse @words with @parse (quietly); expect a usage error. */
#define EXPECT_USAGE(parse, out, ...)					\
	do {								\
		struct args *w_ = args_new(WORDS(__VA_ARGS__));		\
		int ret_;						\
									\
		quiet();						\
		ret_ = parse(w_->argc, w_->argv, out);			\
		loud();							\
		args_free(w_);						\
		assert_int_equal(ret_, EXIT_USAGE);			\
	} while (0)

static void test_extend_args_bad(void **state)
{
	static char long_desc[HROT_NAME_MAX + 2];
	struct extend_args a;

	(void)state;
	memset(long_desc, 'x', HROT_NAME_MAX + 1);
	EXPECT_USAGE(parse_extend_args, &a, "extend");
	EXPECT_USAGE(parse_extend_args, &a, "extend", "a", "b");
	EXPECT_USAGE(parse_extend_args, &a, "extend", "");
	EXPECT_USAGE(parse_extend_args, &a, "extend", "--type", "3", "x");
	EXPECT_USAGE(parse_extend_args, &a, "extend", "--type", "six", "x");
	EXPECT_USAGE(parse_extend_args, &a, "extend", "--digest", "abcd", "x");
	EXPECT_USAGE(parse_extend_args, &a, "extend", "x", "--type");
	EXPECT_USAGE(parse_extend_args, &a, "extend", "--json", "x");
	EXPECT_USAGE(parse_extend_args, &a, "extend", "-d", abc_sha256, "x");
	EXPECT_USAGE(parse_extend_args, &a, "extend", long_desc);
}

static void test_log_args(void **state)
{
	struct args *plain = args_new(WORDS("log"));
	struct args *all = args_new(WORDS("log", "--json", "--file", "/x",
					  "--no-verify"));
	struct log_args a;

	(void)state;
	assert_int_equal(parse_log_args(plain->argc, plain->argv, &a), 0);
	assert_false(a.json);
	assert_true(a.verify);
	assert_null(a.file);
	assert_int_equal(parse_log_args(all->argc, all->argv, &a), 0);
	assert_true(a.json);
	assert_false(a.verify);
	assert_string_equal(a.file, "/x");
	args_free(plain);
	args_free(all);
	EXPECT_USAGE(parse_log_args, &a, "log", "stray");
	/* An unambiguous prefix of --file, missing its argument. */
	EXPECT_USAGE(parse_log_args, &a, "log", "--fil");
	EXPECT_USAGE(parse_log_args, &a, "log", "--verbose");
}

static void test_measure_args(void **state)
{
	struct args *files = args_new(WORDS("measure", "a", "b c"));
	struct measure_args a;

	(void)state;
	assert_int_equal(parse_measure_args(files->argc, files->argv, &a), 0);
	assert_int_equal(a.nr_files, 2);
	assert_string_equal(a.files[0], "a");
	assert_string_equal(a.files[1], "b c");
	args_free(files);
	EXPECT_USAGE(parse_measure_args, &a, "measure");
	EXPECT_USAGE(parse_measure_args, &a, "measure", "--json", "a");
}

static void test_json_only(void **state)
{
	struct args *plain = args_new(WORDS("info"));
	struct args *json = args_new(WORDS("info", "--json"));
	bool j;

	(void)state;
	assert_int_equal(parse_json_only(plain->argc, plain->argv, &j), 0);
	assert_false(j);
	assert_int_equal(parse_json_only(json->argc, json->argv, &j), 0);
	assert_true(j);
	args_free(plain);
	args_free(json);
	EXPECT_USAGE(parse_json_only, &j, "info", "--json", "x");
	EXPECT_USAGE(parse_json_only, &j, "info", "-x");
}

static void test_monitor_args(void **state)
{
	struct args *plain = args_new(WORDS("monitor"));
	struct args *all = args_new(WORDS("monitor", "--json", "--count", "4",
					  "--timeout", "0x3c"));
	struct monitor_args a;

	(void)state;
	assert_int_equal(parse_monitor_args(plain->argc, plain->argv, &a), 0);
	assert_false(a.json);
	assert_int_equal(a.count, 0);
	assert_int_equal(a.timeout_s, 0);
	assert_int_equal(parse_monitor_args(all->argc, all->argv, &a), 0);
	assert_true(a.json);
	assert_int_equal(a.count, 4);
	assert_int_equal(a.timeout_s, 60);
	args_free(plain);
	args_free(all);
	EXPECT_USAGE(parse_monitor_args, &a, "monitor", "--count", "-1");
	EXPECT_USAGE(parse_monitor_args, &a, "monitor", "--timeout", "1s");
	EXPECT_USAGE(parse_monitor_args, &a, "monitor", "--count");
	EXPECT_USAGE(parse_monitor_args, &a, "monitor", "stray");
}

/* print_text_n() prints NULs and the bytes after them. */
static void test_print_text_n(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	print_text_n(f, "a\0b c", 5);
	fclose(f);
	assert_string_equal(buf, "a\\000b c");
	free(buf);
}

/* print_checksum_line() of a 2-byte digest, as a string to free(). */
static char *capture_line(const uint8_t *digest, const char *name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	print_checksum_line(f, digest, 2, name);
	fclose(f);
	return buf;
}

/* The lines GNU sha256sum 9.1 prints for such names. */
static void test_checksum_line(void **state)
{
	static const uint8_t d[2] = { 0xab, 0x01 };
	char *s;

	(void)state;
	s = capture_line(d, "plain name");
	assert_string_equal(s, "ab01  plain name\n");
	free(s);
	s = capture_line(d, "back\\slash");
	assert_string_equal(s, "\\ab01  back\\\\slash\n");
	free(s);
	s = capture_line(d, "new\nline");
	assert_string_equal(s, "\\ab01  new\\nline\n");
	free(s);
	s = capture_line(d, "cr\rx");
	assert_string_equal(s, "\\ab01  cr\\rx\n");
	free(s);
}

static void test_print_text(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	print_text(f, "Standard PC (Q35)\t\\\x7f\xc3");
	fclose(f);
	assert_string_equal(buf, "Standard PC (Q35)\\011\\134\\177\\303");
	free(buf);
}

static void test_commands(void **state)
{
	(void)state;
	assert_ptr_equal(find_command("log")->run, cmd_log);
	assert_ptr_equal(find_command("measure")->run, cmd_measure);
	assert_ptr_equal(find_command("monitor")->run, cmd_monitor);
	assert_null(find_command("lo"));
	assert_null(find_command(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u32),
		cmocka_unit_test(test_parse_sha256),
		cmocka_unit_test(test_extend_args),
		cmocka_unit_test(test_extend_args_bad),
		cmocka_unit_test(test_log_args),
		cmocka_unit_test(test_measure_args),
		cmocka_unit_test(test_json_only),
		cmocka_unit_test(test_monitor_args),
		cmocka_unit_test(test_print_text_n),
		cmocka_unit_test(test_checksum_line),
		cmocka_unit_test(test_print_text),
		cmocka_unit_test(test_commands),
	};

	return cmocka_run_group_tests_name("args", tests, NULL, NULL);
}
