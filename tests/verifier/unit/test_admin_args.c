// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: hrot-admin's command line (verifier/admin/args.c and the
 * cmd_*.c parsers): the request each command builds (method, path, body)
 * and every usage error, with its exit code and message.
 */
#include <setjmp.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "admin.h"
#include "support_tmpdir.h"

#define DEV "000b0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define DEV_UPPER "000B0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
#define TOKEN "00112233445566778899aabbccddeeff"

static const char *fake_url;

static char *fake_getenv(const char *name)
{
	if (strcmp(name, ADMIN_URL_ENV) == 0)
		return (char *)fake_url;
	return NULL;
}

struct parsed {
	int ret;
	struct admin_opts o;
	struct admin_request req;
	char err[ADMIN_ERR_SIZE];
	char *argv[32];
};

/* Parse a NULL-terminated list of words after "hrot-admin". */
static void parse_words(struct parsed *p, const char *const *words)
{
	int argc = 0;

	memset(p, 0, sizeof(*p));
	p->argv[argc++] = strdup("hrot-admin");
	for (; *words; words++) {
		assert_true(argc < 31);
		p->argv[argc++] = strdup(*words);
	}
	p->ret = admin_parse(argc, p->argv, fake_getenv, &p->o, &p->req, p->err,
			     sizeof(p->err));
}

static void parsed_free(struct parsed *p)
{
	size_t i;

	admin_request_free(&p->req);
	for (i = 0; i < 32; i++)
		free(p->argv[i]);
}

#define PARSE(p, ...) \
	parse_words((p), (const char *const[]){ __VA_ARGS__, NULL })

/* A usage error whose message contains @needle. */
static void expect_error(int code, const char *needle,
			 const char *const *words)
{
	struct parsed p;

	parse_words(&p, words);
	if (p.ret != code || !strstr(p.err, needle))
		fail_msg("%s...: got %d \"%s\", want %d with \"%s\"", words[0],
			 p.ret, p.err, code, needle);
	parsed_free(&p);
}

#define USAGE(needle, ...) \
	expect_error(ADMIN_USAGE, (needle), (const char *const[]){ __VA_ARGS__, NULL })
#define FAILS(needle, ...) \
	expect_error(ADMIN_FAIL, (needle), (const char *const[]){ __VA_ARGS__, NULL })

static const char *body_string(const struct parsed *p, const char *key)
{
	struct json_object *v;

	if (!p->req.body || !json_object_object_get_ex(p->req.body, key, &v))
		return NULL;
	return json_object_get_string(v);
}

static void test_defaults(void **state)
{
	struct parsed p;

	(void)state;
	fake_url = NULL;
	PARSE(&p, "device", "list");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.o.url, ADMIN_DEFAULT_URL);
	assert_string_equal(p.o.ca, ADMIN_DEFAULT_STATE "/ca.pem");
	assert_string_equal(p.o.cert, ADMIN_DEFAULT_STATE "/operator.pem");
	assert_string_equal(p.o.key, ADMIN_DEFAULT_STATE "/operator.key");
	assert_int_equal(p.o.timeout, ADMIN_DEFAULT_TIMEOUT);
	assert_false(p.o.json);
	assert_string_equal(p.req.method, "GET");
	assert_string_equal(p.req.path, "/v1/admin/devices");
	assert_int_equal(p.req.format, ADMIN_FMT_DEVICE_LIST);
	assert_null(p.req.body);
	parsed_free(&p);
}

static void test_state_and_files(void **state)
{
	struct parsed p;

	(void)state;
	fake_url = "https://env.example:9443/";
	PARSE(&p, "--state", "/srv/v", "--key", "/k.pem", "--json",
	      "--timeout", "7", "device", "list");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.o.url, "https://env.example:9443/");
	assert_string_equal(p.o.ca, "/srv/v/ca.pem");
	assert_string_equal(p.o.cert, "/srv/v/operator.pem");
	assert_string_equal(p.o.key, "/k.pem");
	assert_true(p.o.json);
	assert_int_equal(p.o.timeout, 7);
	parsed_free(&p);

	/* --verifier beats the environment */
	PARSE(&p, "--verifier", "https://10.0.0.1:8443", "--ca", "/c",
	      "--cert", "/o", "metrics");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.o.url, "https://10.0.0.1:8443");
	assert_string_equal(p.o.ca, "/c");
	assert_string_equal(p.o.cert, "/o");
	assert_string_equal(p.req.path, "/metrics");
	assert_int_equal(p.req.format, ADMIN_FMT_TEXT);
	parsed_free(&p);
	fake_url = NULL;
}

static void test_global_errors(void **state)
{
	(void)state;
	fake_url = NULL;
	USAGE("no command given", "--json");
	USAGE("unknown command 'frobnicate'", "frobnicate");
	USAGE("unknown option '--bogus'", "--bogus", "device", "list");
	USAGE("unknown option '-x'", "-x", "device", "list");
	USAGE("option '--ca' needs a value", "--ca");
	USAGE("--timeout: '0'", "--timeout", "0", "metrics");
	USAGE("--timeout: '-3'", "--timeout", "-3", "metrics");
	USAGE("--timeout: '3601'", "--timeout", "3601", "metrics");
	USAGE("--timeout: '5s'", "--timeout", "5s", "metrics");
	USAGE("not an https:// URL", "--verifier", "http://127.0.0.1:8443", "metrics");
	USAGE("not an https:// URL", "--verifier", "https://", "metrics");
	USAGE("--state: empty", "--state", "", "metrics");
	USAGE("--key: empty", "--key", "", "metrics");
	fake_url = "ftp://x";
	USAGE("'ftp://x' is not an https:// URL", "metrics");
	fake_url = NULL;
}

static void test_help(void **state)
{
	struct parsed p;

	(void)state;
	PARSE(&p, "--help");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_true(p.o.help);
	parsed_free(&p);
	PARSE(&p, "help");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_true(p.o.help);
	parsed_free(&p);
	PARSE(&p, "--version");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_true(p.o.version);
	parsed_free(&p);
}

static void test_device_requests(void **state)
{
	struct parsed p;

	(void)state;
	PARSE(&p, "device", "show", DEV_UPPER);
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.req.method, "GET");
	assert_string_equal(p.req.path, "/v1/admin/devices/" DEV);
	assert_int_equal(p.req.format, ADMIN_FMT_DEVICE_SHOW);
	parsed_free(&p);

	/* options may come before or after the id */
	PARSE(&p, "device", "approve", "--policy", "web-v1", DEV);
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.req.method, "POST");
	assert_string_equal(p.req.path, "/v1/admin/devices/" DEV "/approve");
	assert_string_equal(body_string(&p, "policy"), "web-v1");
	assert_non_null(strstr(p.req.what, "approve device " DEV));
	parsed_free(&p);

	PARSE(&p, "device", "approve", DEV);
	assert_int_equal(p.ret, ADMIN_OK);
	assert_non_null(p.req.body);
	assert_null(body_string(&p, "policy"));
	parsed_free(&p);

	PARSE(&p, "device", "revoke", DEV, "--reason", "stolen laptop");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.req.path, "/v1/admin/devices/" DEV "/revoke");
	assert_string_equal(body_string(&p, "reason"), "stolen laptop");
	parsed_free(&p);

	PARSE(&p, "device", "revoke", DEV);
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(body_string(&p, "reason"), "revoked by operator");
	parsed_free(&p);

	PARSE(&p, "device", "bind", DEV, "db-servers");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.req.path, "/v1/admin/devices/" DEV "/policy");
	assert_string_equal(body_string(&p, "policy"), "db-servers");
	assert_int_equal(p.req.format, ADMIN_FMT_DEVICE_STATE);
	parsed_free(&p);
}

static void test_device_errors(void **state)
{
	char bad_name[ADMIN_NAME_MAX + 2];

	(void)state;
	memset(bad_name, 'a', sizeof(bad_name) - 1);
	bad_name[sizeof(bad_name) - 1] = '\0';
	USAGE("device: missing subcommand", "device");
	USAGE("device: unknown subcommand 'remove'", "device", "remove", DEV);
	USAGE("device list: wrong number of arguments", "device", "list", DEV);
	USAGE("device show: wrong number of arguments", "device", "show");
	USAGE("device show: wrong number of arguments", "device", "show", DEV, DEV);
	USAGE("is not a device id", "device", "show", DEV "0");
	USAGE("is not a device id", "device", "show", "000b0123");
	USAGE("'zz0b0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' is not a device id",
	      "device", "show",
	      "zz0b0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	USAGE("device approve: option '--policy' needs a value", "device", "approve", DEV, "--policy");
	USAGE("device approve: option '--policy' given twice", "device", "approve", DEV,
	      "--policy", "a", "--policy", "b");
	USAGE("device approve: unknown option '--reason'", "device", "approve", DEV, "--reason", "x");
	USAGE("policy name ''", "device", "approve", DEV, "--policy", "");
	USAGE("want 1..127", "device", "approve", DEV, "--policy", bad_name);
	USAGE("policy name 'a\tb'", "device", "bind", DEV, "a\tb");
	USAGE("device bind: wrong number of arguments", "device", "bind", DEV);
	USAGE("device revoke: unknown option '--policy'", "device", "revoke", DEV, "--policy", "p");
	USAGE("device fingerprint: wrong number of arguments", "device", "fingerprint", DEV);
	FAILS("/nonexistent/fp.json: No such file or directory", "device", "fingerprint", DEV,
	      "/nonexistent/fp.json");
}

static char *write_file(const char *dir, const char *name, const char *text)
{
	char *path = support_path(dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void test_device_fingerprint(void **state)
{
	char *dir = support_tmpdir_make();
	char *bare, *wrapped, *notjson, *notfp;
	struct json_object *fp, *v;
	struct parsed p;

	(void)state;
	assert_non_null(dir);
	bare = write_file(dir, "bare.json",
			  "{\"digest_hex\": \"ab\", \"components\": [{\"id\": 1, \"flags\": 1, \"digest_hex\": \"cd\"}]}");
	wrapped = write_file(dir, "wrapped.json",
			     "{\"fingerprint\": {\"digest_hex\": \"ef\", \"components\": []}}");
	notjson = write_file(dir, "notjson.json", "{\"digest_hex\": ");
	notfp = write_file(dir, "notfp.json", "{\"digest_hex\": \"ab\"}");

	PARSE(&p, "device", "fingerprint", DEV, bare);
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.req.path, "/v1/admin/devices/" DEV "/fingerprint");
	assert_true(json_object_object_get_ex(p.req.body, "fingerprint", &fp));
	assert_true(json_object_object_get_ex(fp, "digest_hex", &v));
	assert_string_equal(json_object_get_string(v), "ab");
	assert_true(json_object_object_get_ex(fp, "components", &v));
	assert_int_equal(json_object_array_length(v), 1);
	parsed_free(&p);

	PARSE(&p, "device", "fingerprint", DEV, wrapped);
	assert_int_equal(p.ret, ADMIN_OK);
	assert_true(json_object_object_get_ex(p.req.body, "fingerprint", &fp));
	assert_true(json_object_object_get_ex(fp, "digest_hex", &v));
	assert_string_equal(json_object_get_string(v), "ef");
	parsed_free(&p);

	FAILS("notjson.json: not JSON", "device", "fingerprint", DEV, notjson);
	FAILS("notfp.json: not a fingerprint", "device", "fingerprint", DEV, notfp);
	free(bare);
	free(wrapped);
	free(notjson);
	free(notfp);
	support_tmpdir_remove(dir);
}

static void test_token(void **state)
{
	struct parsed p;

	(void)state;
	PARSE(&p, "token", "revoke", "00112233445566778899AABBCCDDEEFF");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.req.method, "POST");
	assert_string_equal(p.req.path, "/v1/admin/tokens/" TOKEN "/revoke");
	assert_int_equal(p.req.format, ADMIN_FMT_TOKEN_REVOKE);
	parsed_free(&p);
	USAGE("token: missing subcommand", "token");
	USAGE("token: unknown subcommand", "token", "list");
	USAGE("token revoke: wrong number of arguments", "token", "revoke");
	USAGE("token revoke: wrong number of arguments", "token", "revoke", TOKEN, TOKEN);
	USAGE("is not a token id (32 hex digits)", "token", "revoke", TOKEN "00");
	USAGE("token revoke: unknown option '--force'", "token", "revoke", "--force", TOKEN);
}

static void test_instance(void **state)
{
	struct parsed p;

	(void)state;
	PARSE(&p, "instance", "create");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.req.method, "POST");
	assert_string_equal(p.req.path, "/v1/admin/instances");
	assert_int_equal(p.req.format, ADMIN_FMT_INSTANCE_CREATED);
	assert_string_equal(p.req.out_file, "");
	assert_non_null(p.req.body);
	parsed_free(&p);
	PARSE(&p, "instance", "create", "--out", "/tmp/x.json");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.req.out_file, "/tmp/x.json");
	parsed_free(&p);
	USAGE("instance: missing subcommand", "instance");
	USAGE("instance: unknown subcommand", "instance", "list");
	USAGE("instance create: unexpected argument 'x'", "instance", "create", "x");
	USAGE("instance create: --out: empty", "instance", "create", "--out", "");
	USAGE("instance create: unknown option '--force'", "instance", "create", "--force");
}

/* The answer goes to --out, 0600, whole; a malformed one is not written. */
static void test_instance_save(void **state)
{
	static const char good[] =
		"{\"instance_hex\": \"00112233445566778899aabbccddeeff\","
		" \"created_at\": 1700000000, \"secret\": \"c2VjcmV0\"}";
	static const char *const bad[] = {
		"{\"created_at\": 1, \"secret\": \"c2VjcmV0\"}",
		"{\"instance_hex\": \"0011\", \"created_at\": 1, \"secret\": \"eA==\"}",
		"{\"instance_hex\": \"00112233445566778899AABBCCDDEEFF\","
		" \"created_at\": 1, \"secret\": \"eA==\"}",
		"{\"instance_hex\": \"00112233445566778899aabbccddeeff\","
		" \"created_at\": -1, \"secret\": \"eA==\"}",
		"{\"instance_hex\": \"00112233445566778899aabbccddeeff\","
		" \"created_at\": 1}",
	};
	struct admin_request req;
	struct json_object *resp, *back;
	char *dir = support_tmpdir_make(), *path, err[ADMIN_ERR_SIZE];
	FILE *out = tmpfile();
	struct stat st;
	size_t i;

	(void)state;
	assert_non_null(dir);
	assert_non_null(out);
	path = support_path(dir, "instance.json");
	memset(&req, 0, sizeof(req));
	snprintf(req.what, sizeof(req.what), "create instance");
	snprintf(req.out_file, sizeof(req.out_file), "%s", path);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		resp = json_tokener_parse(bad[i]);
		assert_non_null(resp);
		assert_int_equal(cmd_instance_save(&req, resp, out, err,
						   sizeof(err)), ADMIN_FAIL);
		assert_non_null(strstr(err, "bad_response"));
		assert_int_equal(stat(path, &st), -1);
		json_object_put(resp);
	}
	resp = json_tokener_parse(good);
	assert_int_equal(cmd_instance_save(&req, resp, out, err, sizeof(err)),
			 ADMIN_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	back = json_object_from_file(path);
	assert_non_null(back);
	assert_true(json_object_equal(back, resp));
	json_object_put(back);
	json_object_put(resp);
	fclose(out);
	free(path);
	support_tmpdir_remove(dir);
}

static void test_audit(void **state)
{
	struct parsed p;

	(void)state;
	PARSE(&p, "audit");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.req.path, "/v1/admin/audit");
	assert_int_equal(p.req.format, ADMIN_FMT_AUDIT);
	parsed_free(&p);
	PARSE(&p, "audit", "--limit", "20", "--device", DEV_UPPER, "--since", "41");
	assert_int_equal(p.ret, ADMIN_OK);
	/* a fixed order whatever the command line's */
	assert_string_equal(p.req.path,
			    "/v1/admin/audit?device=" DEV "&since=41&limit=20");
	parsed_free(&p);
	USAGE("audit: --device 'abc' is not a device id", "audit", "--device", "abc");
	USAGE("audit: --since '-1'", "audit", "--since", "-1");
	USAGE("audit: --since 'x'", "audit", "--since", "x");
	USAGE("audit: --limit '0'", "audit", "--limit", "0");
	USAGE("audit: --limit '100001'", "audit", "--limit", "100001");
	USAGE("audit: unexpected argument 'now'", "audit", "now");
	USAGE("audit: option '--limit' given twice", "audit", "--limit", "1", "--limit", "2");
}

static void test_bare_commands(void **state)
{
	struct parsed p;

	(void)state;
	PARSE(&p, "revocations");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.req.method, "GET");
	assert_string_equal(p.req.path, "/v1/revocations");
	assert_int_equal(p.req.format, ADMIN_FMT_REVOCATIONS);
	parsed_free(&p);
	PARSE(&p, "policy", "list");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.req.path, "/v1/admin/policies");
	assert_int_equal(p.req.format, ADMIN_FMT_POLICY_LIST);
	parsed_free(&p);
	USAGE("revocations: unexpected argument 'all'", "revocations", "all");
	USAGE("metrics: unknown option '--json'", "metrics", "--json");
	USAGE("policy list: unexpected argument 'x'", "policy", "list", "x");
	USAGE("policy: missing subcommand", "policy");
	USAGE("policy: unknown subcommand 'show'", "policy", "show");
}

static void test_policy_import_args(void **state)
{
	char *dir = support_tmpdir_make();
	char *list;
	struct parsed p;
	struct json_object *v;

	(void)state;
	assert_non_null(dir);
	list = write_file(dir, "list",
			  "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  /boot/vmlinuz\n");
	USAGE("policy import: --version is required", "policy", "import", "p", "--from-list", list);
	USAGE("give --from-log, --from-list, --component-list or some of them", "policy", "import", "p",
	      "--version", "1");
	USAGE("policy import: wrong number of arguments", "policy", "import",
	      "--version", "1", "--from-list", list);
	USAGE("policy import: name ''", "policy", "import", "", "--version", "1",
	      "--from-list", list);
	USAGE("--version 'a\nb'", "policy", "import", "p", "--version", "a\nb",
	      "--from-list", list);
	USAGE("unknown option '--physical'", "policy", "import", "p", "--version", "1",
	      "--from-list", list, "--physical");
	FAILS("/nonexistent: No such file", "policy", "import", "p", "--version", "1",
	      "--from-list", "/nonexistent");

	PARSE(&p, "policy", "import", "web", "--version", "2024.1", "--from-list", list);
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.req.method, "POST");
	assert_string_equal(p.req.path, "/v1/admin/policies");
	assert_string_equal(body_string(&p, "name"), "web");
	assert_string_equal(body_string(&p, "version"), "2024.1");
	assert_true(json_object_object_get_ex(p.req.body, "require_physical", &v));
	assert_true(json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(p.req.body, "entries", &v));
	assert_int_equal(json_object_array_length(v), 1);
	parsed_free(&p);

	PARSE(&p, "policy", "import", "web", "--no-physical", "--version", "3",
	      "--from-list", list);
	assert_int_equal(p.ret, ADMIN_OK);
	assert_true(json_object_object_get_ex(p.req.body, "require_physical", &v));
	assert_false(json_object_get_boolean(v));
	parsed_free(&p);
	free(list);
	support_tmpdir_remove(dir);
}

static void test_init_args(void **state)
{
	struct parsed p;

	(void)state;
	PARSE(&p, "--state", "/a", "init");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_true(p.req.local_init);
	assert_string_equal(p.req.init_state, "/a");
	parsed_free(&p);
	PARSE(&p, "--state", "/a", "init", "--state", "/b");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.req.init_state, "/b");
	parsed_free(&p);
	PARSE(&p, "init");
	assert_int_equal(p.ret, ADMIN_OK);
	assert_string_equal(p.req.init_state, ADMIN_DEFAULT_STATE);
	parsed_free(&p);
	USAGE("init: unexpected argument 'now'", "init", "now");
	USAGE("init: option '--state' needs a value", "init", "--state");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_state_and_files),
		cmocka_unit_test(test_global_errors),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_device_requests),
		cmocka_unit_test(test_device_errors),
		cmocka_unit_test(test_device_fingerprint),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_instance),
		cmocka_unit_test(test_instance_save),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_bare_commands),
		cmocka_unit_test(test_policy_import_args),
		cmocka_unit_test(test_init_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
