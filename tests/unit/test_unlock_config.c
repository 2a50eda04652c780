// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: hrot-unlock's configuration, /etc/hrot/unlock.conf and the
 * kernel command line's rd.hrot.* options; every error names the key.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "unlock.h"

static char path[64];

static void write_conf(const char *text)
{
	FILE *f;

	strcpy(path, "/tmp/hrot-test-conf-XXXXXX");
	assert_int_not_equal(mkstemp(path), -1);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int load(struct unlock_config *cfg, const char *text, char *err)
{
	int ret;

	unlock_config_defaults(cfg);
	write_conf(text);
	ret = unlock_config_load(cfg, path, err, UNLOCK_ERR_MAX);
	unlink(path);
	return ret;
}

static void test_defaults(void **state)
{
	struct unlock_config c;

	(void)state;
	unlock_config_defaults(&c);
	assert_string_equal(c.ca, "/etc/hrot/ca.pem");
	assert_string_equal(c.token_key, "/etc/hrot/token.pub.pem");
	assert_string_equal(c.verifier, "");
	assert_true(c.deadline_ms > c.timeout_ms);
	assert_false(c.recovery);
}

static void test_file(void **state)
{
	struct unlock_config c;
	char err[UNLOCK_ERR_MAX] = "";

	(void)state;
	assert_int_equal(load(&c,
		"# hrot\n\nverifier = https://10.0.2.2:8443\n"
		"ca=/x/ca.pem\n  token_key =  /x/k.pem  # pinned\n"
		"connect_timeout = 2\ntimeout = 1500ms\nretries = 7\n"
		"backoff = 3s\ndeadline = 60\n", err), 0);
	assert_string_equal(c.verifier, "https://10.0.2.2:8443");
	assert_string_equal(c.ca, "/x/ca.pem");
	assert_string_equal(c.token_key, "/x/k.pem");
	assert_int_equal(c.connect_timeout_ms, 2000);
	assert_int_equal(c.timeout_ms, 1500);
	assert_int_equal(c.retries, 7);
	assert_int_equal(c.backoff_ms, 3000);
	assert_int_equal(c.deadline_ms, 60000);
}

static void bad_file(const char *text, const char *want)
{
	struct unlock_config c;
	char err[UNLOCK_ERR_MAX] = "";

	assert_int_not_equal(load(&c, text, err), 0);
	if (!strstr(err, want))
		fail_msg("error '%s' does not name '%s'", err, want);
}

static void test_file_errors(void **state)
{
	(void)state;
	bad_file("verifer = https://x\n", "unknown key 'verifer'");
	bad_file("verifier = http://x\n", "'verifier'");
	bad_file("retries = -1\n", "'retries'");
	bad_file("retries = 1000\n", "'retries'");
	bad_file("timeout = 0\n", "'timeout'");
	bad_file("timeout = 5m\n", "'timeout'");
	bad_file("deadline = 99999999\n", "'deadline'");
	bad_file("backoff = x\n", "'backoff'");
	bad_file("ok\n", ":1:");
	bad_file("\n\nrecovery = 1\n", ":3: unknown key 'recovery'");
	bad_file("ca =\n", "'ca'");
}

static void test_missing_file(void **state)
{
	struct unlock_config c;
	char err[UNLOCK_ERR_MAX];

	(void)state;
	unlock_config_defaults(&c);
	assert_int_equal(unlock_config_load(&c, "/nonexistent/unlock.conf",
					    err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/unlock.conf"));
}

static void test_cmdline(void **state)
{
	struct unlock_config c;
	char err[UNLOCK_ERR_MAX] = "";

	(void)state;
	unlock_config_defaults(&c);
	assert_int_equal(unlock_config_cmdline(&c,
		"BOOT_IMAGE=/vmlinuz root=/dev/mapper/r rd.hrot.retries=2 "
		"rd.hrot.timeout=3 rd.hrot.deadline=20 quiet "
		"rd.hrot.verifier=https://v.example:8443 rd.hrot.recovery\n",
		err, sizeof(err)), 0);
	assert_int_equal(c.retries, 2);
	assert_int_equal(c.timeout_ms, 3000);
	assert_int_equal(c.deadline_ms, 20000);
	assert_string_equal(c.verifier, "https://v.example:8443");
	assert_true(c.recovery);
	assert_int_equal(unlock_config_cmdline(&c, "rd.hrot.recovery=0", err,
					       sizeof(err)), 0);
	assert_false(c.recovery);
	/* Not ours: ignored. */
	assert_int_equal(unlock_config_cmdline(&c, "rd.luks=0 hrot.x=1", err,
					       sizeof(err)), 0);
}

static void bad_cmdline(const char *line, const char *want)
{
	struct unlock_config c;
	char err[UNLOCK_ERR_MAX] = "";

	unlock_config_defaults(&c);
	assert_int_not_equal(unlock_config_cmdline(&c, line, err, sizeof(err)),
			     0);
	if (!strstr(err, want))
		fail_msg("error '%s' does not name '%s'", err, want);
}

static void test_cmdline_errors(void **state)
{
	(void)state;
	bad_cmdline("rd.hrot.retries=x", "bad value for 'rd.hrot.retries': 'x'");
	bad_cmdline("quiet rd.hrot.retires=2", "unknown option 'rd.hrot.retires'");
	bad_cmdline("rd.hrot.recovery=maybe", "rd.hrot.recovery");
	/* The trust anchors never come from the command line. */
	bad_cmdline("rd.hrot.ca=/tmp/evil.pem", "'rd.hrot.ca' is not an option");
	bad_cmdline("rd.hrot.token_key=/tmp/k", "'rd.hrot.token_key'");
	bad_cmdline("rd.hrot.timeout", "'rd.hrot.timeout' is not an option");
	bad_cmdline("rd.hrot.verifier=http://plain", "'rd.hrot.verifier'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_cmdline_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
