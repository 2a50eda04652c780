// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the request parsers of hrot-verifierd (verifier/server/
 * request.c).  Good bodies parse into the right values; every field
 * missing, of the wrong type, too long or out of range is refused with
 * 400 bad_request and a detail that names the field (checked word for
 * word: it is what a client reads).
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

#include <json-c/json.h>

#include <hrot/device.h>
#include <hrot/evidence.h>
#include <hrot/hex.h>

#include "request.h"

/* 0x000b + SHA-256: an AK name */
#define DEV_HEX "000b" \
	"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define DEV_BAD_HEX "000b" \
	"00112233445566778899aabbccddeeff00112233445566778899aabbccddeefg"
#define TOKEN_HEX "0123456789abcdef0123456789abcdef"
/* base64 of 16 bytes 0x01.., of 32 bytes 0x02.. */
#define AID_B64 "AQEBAQEBAQEBAQEBAQEBAQ=="
#define SECRET_B64 "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI="
#define SHA_HEX "ab" \
	"cdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"

struct bad_case {
	const char *body;
	const char *detail;
};

static void assert_refused(int ret, const struct req_error *err,
			   const char *detail)
{
	assert_int_equal(ret, -EINVAL);
	assert_int_equal(err->status, 400);
	assert_string_equal(err->reason, "bad_request");
	assert_string_equal(err->detail, detail);
}

static void assert_device(const uint8_t *id)
{
	uint8_t want[HROT_DEVICE_NAME_SIZE];

	assert_int_equal(hrot_hex_decode(DEV_HEX, want, sizeof(want)), 0);
	assert_memory_equal(id, want, sizeof(want));
}

/* A string of @n copies of @c (malloc'ed). */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* printf into a malloc'ed string */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	assert_true(vasprintf(&s, f, ap) >= 0);
	va_end(ap);
	return s;
}

/* ---- body ---- */

static void test_body_not_object(void **state)
{
	static const char *const bodies[] = {
		"", "{", "[]", "\"device\"", "42", "null", "{} {}", "{}x",
		"{\"device\": }", "{\"a\":1",
	};
	struct req_challenge c;
	struct req_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		assert_refused(req_challenge_parse(bodies[i], strlen(bodies[i]),
						   &c, &err),
			       &err, "body is not a JSON object");
	/* the length is the body's, not up to a NUL */
	assert_refused(req_challenge_parse("{}\0{}", 5, &c, &err), &err,
		       "body is not a JSON object");
}

/* ---- challenge ---- */

static void test_challenge(void **state)
{
	static const struct bad_case bad[] = {
		{ "{}", "device: missing" },
		{ "{\"device\": null}", "device: missing" },
		{ "{\"Device\": \"" DEV_HEX "\"}", "device: missing" },
		{ "{\"device\": 12}", "device: not a string" },
		{ "{\"device\": [\"" DEV_HEX "\"]}", "device: not a string" },
		{ "{\"device\": \"\"}",
		  "device: want 68 hex digits (an AK name)" },
		{ "{\"device\": \"" DEV_HEX "00\"}",
		  "device: want 68 hex digits (an AK name)" },
		{ "{\"device\": \"" DEV_BAD_HEX "\"}",
		  "device: want 68 hex digits (an AK name)" },
		/* read as a C string it would be just "000b" */
		{ "{\"device\": \"000b\\u0000" DEV_HEX "\"}",
		  "device: holds a NUL" },
	};
	const char *good = "{\"device\": \"" DEV_HEX "\", \"extra\": 1}";
	struct req_challenge c;
	struct req_error err;
	size_t i;

	(void)state;
	assert_int_equal(req_challenge_parse(good, strlen(good), &c, &err), 0);
	assert_device(c.device);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused(req_challenge_parse(bad[i].body,
						   strlen(bad[i].body), &c,
						   &err), &err, bad[i].detail);
}

/* ---- activate ---- */

static void test_activate_good(void **state)
{
	const char *step1 = "{\"device\": \"" DEV_HEX "\"}";
	const char *step2 = "{\"device\": \"" DEV_HEX "\", \"activation_id\": \""
			    AID_B64 "\", \"secret\": \"" SECRET_B64 "\"}";
	const char *csr = "{\"device\": \"" DEV_HEX "\", \"activation_id\": \""
			  AID_B64 "\", \"secret\": \"" SECRET_B64
			  "\", \"csr\": \"PEM\"}";
	static const uint8_t zero[HROT_SECRET_SIZE];
	uint8_t want[HROT_SECRET_SIZE];
	struct req_activate a;
	struct req_error err;

	(void)state;
	assert_int_equal(req_activate_parse(step1, strlen(step1), &a, &err), 0);
	assert_device(a.device);
	assert_false(a.step2);
	assert_null(a.csr);
	req_activate_free(&a);

	assert_int_equal(req_activate_parse(step2, strlen(step2), &a, &err), 0);
	assert_device(a.device);
	assert_true(a.step2);
	memset(want, 0x01, HROT_ACTIVATION_ID_SIZE);
	assert_memory_equal(a.activation_id, want, HROT_ACTIVATION_ID_SIZE);
	memset(want, 0x02, sizeof(want));
	assert_memory_equal(a.secret, want, sizeof(want));
	assert_null(a.csr);
	req_activate_free(&a);
	/* the secret does not outlive the request */
	assert_memory_equal(a.secret, zero, sizeof(zero));

	assert_int_equal(req_activate_parse(csr, strlen(csr), &a, &err), 0);
	assert_non_null(a.csr);
	assert_string_equal(a.csr, "PEM");
	assert_false(a.has_instance);
	req_activate_free(&a);
	assert_null(a.csr);
}

/* Step 2's optional "instance": an instance made ahead, 32 hex digits. */
static void test_activate_instance(void **state)
{
	const char *good = "{\"device\": \"" DEV_HEX "\", \"activation_id\": \""
			   AID_B64 "\", \"secret\": \"" SECRET_B64
			   "\", \"instance\": \"" TOKEN_HEX "\"}";
	const char *null = "{\"device\": \"" DEV_HEX "\", \"activation_id\": \""
			   AID_B64 "\", \"secret\": \"" SECRET_B64
			   "\", \"instance\": null}";
	/* step 1 does not look at it */
	const char *step1 = "{\"device\": \"" DEV_HEX "\", \"instance\": 5}";
#define S2 "{\"device\": \"" DEV_HEX "\", \"activation_id\": \"" AID_B64 \
	   "\", \"secret\": \"" SECRET_B64 "\", "
	static const struct bad_case bad[] = {
		{ S2 "\"instance\": 7}", "instance: not a string" },
		{ S2 "\"instance\": \"0123\"}", "instance: want 32 hex digits" },
		{ S2 "\"instance\": \"" TOKEN_HEX "00\"}",
		  "instance: want 32 hex digits" },
		{ S2 "\"instance\": \"0123456789abcdef0123456789abcdeg\"}",
		  "instance: want 32 hex digits" },
	};
#undef S2
	uint8_t want[HROT_INSTANCE_ID_SIZE];
	struct req_activate a;
	struct req_error err;
	size_t i;

	(void)state;
	assert_int_equal(req_activate_parse(good, strlen(good), &a, &err), 0);
	assert_true(a.has_instance);
	assert_int_equal(hrot_hex_decode(TOKEN_HEX, want, sizeof(want)), 0);
	assert_memory_equal(a.instance, want, sizeof(want));
	req_activate_free(&a);
	assert_int_equal(req_activate_parse(null, strlen(null), &a, &err), 0);
	assert_false(a.has_instance);
	req_activate_free(&a);
	assert_int_equal(req_activate_parse(step1, strlen(step1), &a, &err), 0);
	assert_false(a.step2);
	assert_false(a.has_instance);
	req_activate_free(&a);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused(req_activate_parse(bad[i].body,
						  strlen(bad[i].body), &a, &err),
			       &err, bad[i].detail);
}

/* POST /v1/admin/instances: no body, or any object. */
static void test_instance_create(void **state)
{
	static const char *const good[] = { "", "{}", "{\"note\": 1}" };
	static const char *const bad[] = { "[]", "x", "{", "{} {}" };
	struct req_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(req_instance_create_parse(good[i],
							   strlen(good[i]),
							   &err), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused(req_instance_create_parse(bad[i], strlen(bad[i]),
							 &err),
			       &err, "body is not a JSON object");
}

static void test_activate_bad(void **state)
{
#define DEV "\"device\": \"" DEV_HEX "\", "
	static const struct bad_case bad[] = {
		{ "{\"activation_id\": \"" AID_B64 "\"}", "device: missing" },
		{ "{\"device\": true}", "device: not a string" },
		{ "{\"device\": \"00\"}",
		  "device: want 68 hex digits (an AK name)" },
		/* "activation_id" present at all: step 2 */
		{ "{" DEV "\"activation_id\": null}", "activation_id: missing" },
		{ "{" DEV "\"activation_id\": 7, \"secret\": \"" SECRET_B64
		  "\"}", "activation_id: not a string" },
		{ "{" DEV "\"activation_id\": \"" AID_B64 "\"}",
		  "secret: missing" },
		{ "{" DEV "\"activation_id\": \"" AID_B64 "\", \"secret\": {}}",
		  "secret: not a string" },
		{ "{" DEV "\"activation_id\": \"" AID_B64 "\", \"secret\": \""
		  SECRET_B64 "\", \"csr\": 1}", "csr: not a string" },
		{ "{" DEV "\"activation_id\": \"AQEB\", \"secret\": \""
		  SECRET_B64 "\"}", "activation_id: want base64 of 16 bytes" },
		{ "{" DEV "\"activation_id\": \"" AID_B64 "AQ==\", \"secret\": \""
		  SECRET_B64 "\"}", "activation_id: want base64 of 16 bytes" },
		{ "{" DEV "\"activation_id\": \"!!\", \"secret\": \""
		  SECRET_B64 "\"}", "activation_id: want base64 of 16 bytes" },
		{ "{" DEV "\"activation_id\": \"" AID_B64 "\", \"secret\": \""
		  AID_B64 "\"}", "secret: want base64 of 32 bytes" },
		{ "{" DEV "\"activation_id\": \"" AID_B64 "\", \"secret\": \""
		  "not base64 at all\"}", "secret: want base64 of 32 bytes" },
		/* types are checked before the decoding */
		{ "{" DEV "\"activation_id\": \"x\", \"secret\": 1}",
		  "secret: not a string" },
	};
#undef DEV
	struct req_activate a;
	struct req_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_refused(req_activate_parse(bad[i].body,
						  strlen(bad[i].body), &a, &err),
			       &err, bad[i].detail);
		assert_null(a.csr);
	}
}

/* ---- admin: device actions ---- */

static void test_device_action_path(void **state)
{
	static const char *const names[] = {
		"approve", "revoke", "fingerprint", "policy", "floors-reset",
	};
	static const char *const no_endpoint[] = {
		"", DEV_HEX, DEV_HEX "/", DEV_HEX "/approved", DEV_HEX "/Approve",
		DEV_HEX "/approve/", DEV_HEX "0/approve", "00/approve",
		"/approve", DEV_HEX "/revoke/x",
	};
	enum req_device_action action;
	uint8_t id[HROT_DEVICE_NAME_SIZE];
	struct req_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *tail = fmt("%s/%s", DEV_HEX, names[i]);

		assert_int_equal(req_device_action_path(tail, id, &action, &err),
				 0);
		assert_int_equal(action, (enum req_device_action)i);
		assert_string_equal(req_device_action_name(action), names[i]);
		assert_device(id);
		free(tail);
	}
	for (i = 0; i < sizeof(no_endpoint) / sizeof(no_endpoint[0]); i++)
		assert_int_equal(req_device_action_path(no_endpoint[i], id,
							&action, &err),
				 -ENOENT);
	assert_refused(req_device_action_path(DEV_BAD_HEX "/revoke", id,
					      &action, &err),
		       &err, "device in path: want 68 hex digits (an AK name)");
}

static void test_device_body_policy(void **state)
{
	static const char *const approve_bad[][2] = {
		{ "{\"policy\": 1}", "policy: not a string" },
		{ "{\"policy\": false}", "policy: not a string" },
		{ "[]", "body is not a JSON object" },
		{ "{", "body is not a JSON object" },
	};
	struct req_device_body b;
	struct req_error err;
	size_t i;
	char *body, *name;

	(void)state;
	/* approve: an empty body, an empty object, a null policy */
	assert_int_equal(req_device_body_parse(REQ_APPROVE, "", 0, &b, &err), 0);
	assert_null(b.policy);
	assert_int_equal(req_device_body_parse(REQ_APPROVE, "{}", 2, &b, &err),
			 0);
	assert_null(b.policy);
	body = fmt("{\"policy\": null}");
	assert_int_equal(req_device_body_parse(REQ_APPROVE, body, strlen(body),
					       &b, &err), 0);
	assert_null(b.policy);
	free(body);
	body = fmt("{\"policy\": \"base\"}");
	assert_int_equal(req_device_body_parse(REQ_APPROVE, body, strlen(body),
					       &b, &err), 0);
	assert_string_equal(b.policy, "base");
	req_device_body_free(&b);
	assert_null(b.policy);
	free(body);
	for (i = 0; i < sizeof(approve_bad) / sizeof(approve_bad[0]); i++)
		assert_refused(req_device_body_parse(REQ_APPROVE,
						     approve_bad[i][0],
						     strlen(approve_bad[i][0]),
						     &b, &err),
			       &err, approve_bad[i][1]);

	/* bind: the policy is required */
	assert_refused(req_device_body_parse(REQ_BIND, "", 0, &b, &err), &err,
		       "policy: missing");
	assert_refused(req_device_body_parse(REQ_BIND, "{\"policy\": null}",
					     16, &b, &err),
		       &err, "policy: missing");
	assert_refused(req_device_body_parse(REQ_BIND, "{\"policy\": [1]}",
					     15, &b, &err),
		       &err, "policy: not a string");
	/* a long name is looked up as it is (and not found) */
	name = repeat('p', 4000);
	body = fmt("{\"policy\": \"%s\"}", name);
	assert_int_equal(req_device_body_parse(REQ_BIND, body, strlen(body),
					       &b, &err), 0);
	assert_string_equal(b.policy, name);
	req_device_body_free(&b);
	free(body);
	free(name);
}

static void test_device_body_revoke(void **state)
{
	struct req_device_body b;
	struct req_error err;
	char *body, *reason;

	(void)state;
	assert_int_equal(req_device_body_parse(REQ_REVOKE, "", 0, &b, &err), 0);
	assert_string_equal(b.reason, REQ_REVOKE_DEFAULT);
	assert_int_equal(req_device_body_parse(REQ_REVOKE, "{\"reason\": null}",
					       16, &b, &err), 0);
	assert_string_equal(b.reason, REQ_REVOKE_DEFAULT);
	body = fmt("{\"reason\": \"stolen\"}");
	assert_int_equal(req_device_body_parse(REQ_REVOKE, body, strlen(body),
					       &b, &err), 0);
	assert_string_equal(b.reason, "stolen");
	free(body);
	/* an over-long reason is cut to what the store keeps */
	reason = repeat('r', (size_t)3 * STORE_DETAIL_MAX);
	body = fmt("{\"reason\": \"%s\"}", reason);
	assert_int_equal(req_device_body_parse(REQ_REVOKE, body, strlen(body),
					       &b, &err), 0);
	assert_int_equal(strlen(b.reason), STORE_DETAIL_MAX - 1);
	assert_memory_equal(b.reason, reason, STORE_DETAIL_MAX - 1);
	free(body);
	free(reason);
	assert_refused(req_device_body_parse(REQ_REVOKE, "{\"reason\": 3}", 13,
					     &b, &err),
		       &err, "reason: not a string");
}

static void test_device_body_floors_reset(void **state)
{
	static const char one[] = "{\"component\": \"/boot/vmlinuz\"}";
	static const char all[] = "{\"component\": \"*\"}";
	struct req_device_body b;
	struct req_error err;
	char *body;

	(void)state;
	assert_int_equal(req_device_body_parse(REQ_FLOORS_RESET, one,
					       strlen(one), &b, &err), 0);
	assert_string_equal(b.component, "/boot/vmlinuz");
	assert_int_equal(req_device_body_parse(REQ_FLOORS_RESET, all,
					       strlen(all), &b, &err), 0);
	assert_string_equal(b.component, "");
	assert_refused(req_device_body_parse(REQ_FLOORS_RESET, "", 0, &b, &err),
		       &err, "component: missing");
	assert_refused(req_device_body_parse(REQ_FLOORS_RESET,
					     "{\"component\": \"\"}", 17, &b,
					     &err),
		       &err, "component: want 1..127 bytes, or \"*\"");
	body = fmt("{\"component\": \"%0*d\"}", STORE_NAME_MAX, 0);
	assert_refused(req_device_body_parse(REQ_FLOORS_RESET, body,
					     strlen(body), &b, &err),
		       &err, "component: want 1..127 bytes, or \"*\"");
	free(body);
}

static void test_policy_keep_previous(void **state)
{
	static const char yes[] = "{\"keep_previous\": true}";
	static const char bad[] = "{\"keep_previous\": 1}";
	struct req_error err;
	bool keep = true;

	(void)state;
	assert_int_equal(req_policy_keep_previous("{}", 2, &keep, &err), 0);
	assert_false(keep);
	assert_int_equal(req_policy_keep_previous(yes, strlen(yes), &keep,
						  &err), 0);
	assert_true(keep);
	assert_refused(req_policy_keep_previous(bad, strlen(bad), &keep, &err),
		       &err, "keep_previous: not a boolean");
}

/* A fingerprint's JSON with one component, its digest right. */
static char *fingerprint_json(void)
{
	struct hrot_fingerprint fp;
	struct json_object *o;
	char *s;

	memset(&fp, 0, sizeof(fp));
	fp.size = sizeof(fp);
	fp.version = HROT_STRUCT_VERSION;
	fp.nr_components = 1;
	fp.components[0].id = HROT_FP_SYS_VENDOR;
	fp.components[0].flags = HROT_FP_PRESENT;
	memset(fp.components[0].digest, 0x5a, HROT_SHA256_SIZE);
	snprintf(fp.components[0].value, sizeof(fp.components[0].value),
		 "QEMU");
	assert_int_equal(hrot_fingerprint_digest(&fp, fp.digest), 0);
	o = hrot_fingerprint_to_json(&fp);
	assert_non_null(o);
	s = fmt("{\"fingerprint\": %s}", json_object_to_json_string(o));
	json_object_put(o);
	return s;
}

static void test_device_body_fingerprint(void **state)
{
	struct req_device_body b;
	struct req_error err;
	char *good = fingerprint_json(), *bad, *p;

	(void)state;
	assert_int_equal(req_device_body_parse(REQ_FINGERPRINT, good,
					       strlen(good), &b, &err), 0);
	assert_int_equal(b.fp.nr_components, 1);
	assert_int_equal(b.fp.components[0].id, HROT_FP_SYS_VENDOR);
	assert_string_equal(b.fp.components[0].value, "QEMU");

	assert_refused(req_device_body_parse(REQ_FINGERPRINT, "", 0, &b, &err),
		       &err, "fingerprint: missing");
	assert_refused(req_device_body_parse(REQ_FINGERPRINT,
					     "{\"fingerprint\": 1}", 18, &b,
					     &err),
		       &err, "fingerprint: not an object");
	/* one digit of a component changed: the overall digest is wrong */
	bad = strdup(good);
	assert_non_null(bad);
	p = strstr(bad, "5a5a");
	assert_non_null(p);
	p[0] = '6';
	assert_int_equal(req_device_body_parse(REQ_FINGERPRINT, bad,
					       strlen(bad), &b, &err), -EINVAL);
	assert_string_equal(err.detail,
			    "fingerprint.digest_hex: does not match the "
			    "components");
	free(bad);
	free(good);
}

/* ---- admin: token revocation ---- */

static void test_token_path(void **state)
{
	static const char *const no_endpoint[] = {
		"", TOKEN_HEX, TOKEN_HEX "/", TOKEN_HEX "/revok",
		TOKEN_HEX "/revoke/", TOKEN_HEX "0/revoke", "01/revoke",
		"/revoke",
	};
	uint8_t id[HROT_TOKEN_ID_SIZE], want[HROT_TOKEN_ID_SIZE];
	struct req_error err;
	size_t i;

	(void)state;
	assert_int_equal(req_token_revoke_path(TOKEN_HEX "/revoke", id, &err),
			 0);
	assert_int_equal(hrot_hex_decode(TOKEN_HEX, want, sizeof(want)), 0);
	assert_memory_equal(id, want, sizeof(want));
	for (i = 0; i < sizeof(no_endpoint) / sizeof(no_endpoint[0]); i++)
		assert_int_equal(req_token_revoke_path(no_endpoint[i], id, &err),
				 -ENOENT);
	assert_refused(req_token_revoke_path("0123456789abcdef0123456789abcdeX"
					     "/revoke", id, &err),
		       &err, "token id: want 32 hex digits");
}

/* ---- admin: policies ---- */

static void test_policy_good(void **state)
{
	const char *body =
		"{\"name\": \"base\", \"version\": \"1\", \"entries\": ["
		"{\"component\": \"kernel\", \"version\": \"6.1\", "
		"\"sha256_hex\": \"" SHA_HEX "\"},"
		"{\"component\": \"*\", \"sha256_hex\": \"" SHA_HEX "\"}]}";
	const char *empty = "{\"name\": \"n\", \"version\": \"\", "
			    "\"require_physical\": false, \"entries\": []}";
	uint8_t digest[HROT_SHA256_SIZE];
	struct store_policy p;
	struct req_error err;

	(void)state;
	assert_int_equal(req_policy_parse(body, strlen(body), &p, &err), 0);
	assert_string_equal(p.name, "base");
	assert_string_equal(p.version, "1");
	assert_true(p.require_physical);
	assert_int_equal(p.nr_entries, 2);
	assert_string_equal(p.entries[0].component, "kernel");
	assert_string_equal(p.entries[0].version, "6.1");
	assert_string_equal(p.entries[1].component, "*");
	assert_string_equal(p.entries[1].version, "");
	assert_int_equal(hrot_hex_decode(SHA_HEX, digest, sizeof(digest)), 0);
	assert_memory_equal(p.entries[1].digest, digest, sizeof(digest));
	assert_int_equal(p.id, 0);
	assert_int_equal(p.created_at, 0);
	req_policy_free(&p);
	assert_null(p.entries);

	assert_int_equal(req_policy_parse(empty, strlen(empty), &p, &err), 0);
	assert_false(p.require_physical);
	assert_int_equal(p.nr_entries, 0);
	assert_string_equal(p.version, "");
	req_policy_free(&p);
}

static void test_policy_bad(void **state)
{
#define NV "\"name\": \"n\", \"version\": \"1\", "
#define ENTRY(x) "{" NV "\"entries\": [" x "]}"
	static const struct bad_case bad[] = {
		{ "[]", "body is not a JSON object" },
		{ "{\"version\": \"1\", \"entries\": []}", "name: missing" },
		{ "{\"name\": 1, \"version\": \"1\", \"entries\": []}",
		  "name: not a string" },
		{ "{\"name\": \"\", \"version\": \"1\", \"entries\": []}",
		  "name: empty" },
		{ "{\"name\": \"a\\u0000b\", \"version\": \"1\", "
		  "\"entries\": []}", "name: holds a NUL" },
		{ "{\"name\": \"n\", \"entries\": []}", "version: missing" },
		{ "{\"name\": \"n\", \"version\": 1.5, \"entries\": []}",
		  "version: not a string" },
		{ "{" NV "\"require_physical\": 1, \"entries\": []}",
		  "require_physical: not a boolean" },
		{ "{" NV "\"require_physical\": null, \"entries\": []}",
		  "require_physical: not a boolean" },
		{ "{" NV "\"require_physical\": \"true\", \"entries\": []}",
		  "require_physical: not a boolean" },
		{ "{" NV "}", "entries: missing or not an array" },
		{ "{" NV "\"entries\": {}}", "entries: missing or not an array" },
		{ ENTRY("1"), "entries: an entry is not an object" },
		{ ENTRY("{\"component\": \"k\", \"sha256_hex\": \"" SHA_HEX
			"\"}, []"), "entries: an entry is not an object" },
		{ ENTRY("{\"sha256_hex\": \"" SHA_HEX "\"}"),
		  "component: missing" },
		{ ENTRY("{\"component\": 5, \"sha256_hex\": \"" SHA_HEX "\"}"),
		  "component: not a string" },
		{ ENTRY("{\"component\": \"k\", \"version\": 5, "
			"\"sha256_hex\": \"" SHA_HEX "\"}"),
		  "version: not a string" },
		{ ENTRY("{\"component\": \"k\"}"), "sha256_hex: missing" },
		{ ENTRY("{\"component\": \"k\", \"sha256_hex\": 0}"),
		  "sha256_hex: not a string" },
		{ ENTRY("{\"component\": \"k\", \"sha256_hex\": \"abcd\"}"),
		  "entries: sha256_hex: want 64 hex digits" },
		{ ENTRY("{\"component\": \"k\", \"sha256_hex\": \"" SHA_HEX
			"00\"}"), "entries: sha256_hex: want 64 hex digits" },
	};
#undef ENTRY
#undef NV
	struct store_policy p;
	struct req_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_refused(req_policy_parse(bad[i].body, strlen(bad[i].body),
						&p, &err), &err, bad[i].detail);
		assert_null(p.entries);
	}
}

static void test_policy_lengths(void **state)
{
	char *ok = repeat('a', STORE_NAME_MAX - 1);
	char *big = repeat('a', STORE_NAME_MAX);
	struct store_policy p;
	struct req_error err;
	char *body;

	(void)state;
	body = fmt("{\"name\": \"%s\", \"version\": \"%s\", \"entries\": "
		   "[{\"component\": \"%s\", \"version\": \"%s\", "
		   "\"sha256_hex\": \"%s\"}]}", ok, ok, ok, ok, SHA_HEX);
	assert_int_equal(req_policy_parse(body, strlen(body), &p, &err), 0);
	assert_string_equal(p.name, ok);
	assert_string_equal(p.entries[0].version, ok);
	req_policy_free(&p);
	free(body);

	body = fmt("{\"name\": \"%s\", \"version\": \"1\", \"entries\": []}",
		   big);
	assert_refused(req_policy_parse(body, strlen(body), &p, &err), &err,
		       "name: over 127 bytes");
	free(body);
	body = fmt("{\"name\": \"n\", \"version\": \"%s\", \"entries\": []}",
		   big);
	assert_refused(req_policy_parse(body, strlen(body), &p, &err), &err,
		       "version: over 127 bytes");
	free(body);
	body = fmt("{\"name\": \"n\", \"version\": \"1\", \"entries\": "
		   "[{\"component\": \"%s\", \"sha256_hex\": \"%s\"}]}", big,
		   SHA_HEX);
	assert_refused(req_policy_parse(body, strlen(body), &p, &err), &err,
		       "component: over 127 bytes");
	free(body);
	body = fmt("{\"name\": \"n\", \"version\": \"1\", \"entries\": "
		   "[{\"component\": \"c\", \"version\": \"%s\", "
		   "\"sha256_hex\": \"%s\"}]}", big, SHA_HEX);
	assert_refused(req_policy_parse(body, strlen(body), &p, &err), &err,
		       "version: over 127 bytes");
	free(body);
	free(ok);
	free(big);
}

/* Too many entries is refused before any of them is looked at. */
static void test_policy_too_many(void **state)
{
	size_t n = REQ_POLICY_MAX_ENTRIES + 1, i, off;
	const char *head = "{\"name\": \"n\", \"version\": \"1\", \"entries\": [";
	size_t size = strlen(head) + 2 * n + 3;
	char *body = malloc(size);
	struct store_policy p;
	struct req_error err;

	(void)state;
	assert_non_null(body);
	off = (size_t)sprintf(body, "%s", head);
	for (i = 0; i < n; i++)
		off += (size_t)sprintf(body + off, "%s0", i ? "," : "");
	off += (size_t)sprintf(body + off, "]}");
	assert_true(off < size);
	assert_refused(req_policy_parse(body, off, &p, &err), &err,
		       "entries: over 65536");
	/* one fewer: the count passes, the first entry does not */
	body[strlen(head)] = ' ';
	body[strlen(head) + 1] = ' ';
	assert_refused(req_policy_parse(body, off, &p, &err), &err,
		       "entries: an entry is not an object");
	free(body);
}

/* ---- admin: audit query ---- */

static void test_audit(void **state)
{
	static const char *const since_bad[] = {
		"", "-1", "x", "12x", "1 ", "1.5", "99999999999999999999",
		"0x10",
	};
	static const char *const limit_bad[] = { "0", "1001", "-5", "", "10 " };
	struct req_audit q;
	struct req_error err;
	size_t i;

	(void)state;
	assert_int_equal(req_audit_parse(NULL, NULL, NULL, &q, &err), 0);
	assert_int_equal(q.since, 0);
	assert_int_equal(q.limit, REQ_AUDIT_DEFAULT);
	assert_false(q.has_device);

	assert_int_equal(req_audit_parse("9223372036854775807", "1000", DEV_HEX,
					 &q, &err), 0);
	assert_int_equal(q.since, INT64_MAX);
	assert_int_equal(q.limit, 1000);
	assert_true(q.has_device);
	assert_device(q.device);
	assert_int_equal(req_audit_parse("0", "1", NULL, &q, &err), 0);
	assert_int_equal(q.limit, 1);

	for (i = 0; i < sizeof(since_bad) / sizeof(since_bad[0]); i++)
		assert_refused(req_audit_parse(since_bad[i], NULL, NULL, &q,
					       &err),
			       &err,
			       "since: want a number in 0..9223372036854775807");
	for (i = 0; i < sizeof(limit_bad) / sizeof(limit_bad[0]); i++)
		assert_refused(req_audit_parse(NULL, limit_bad[i], NULL, &q,
					       &err),
			       &err, "limit: want a number in 1..1000");
	assert_refused(req_audit_parse("1", "2", "abc", &q, &err), &err,
		       "device: want 68 hex digits (an AK name)");
	assert_refused(req_audit_parse("1", "2", DEV_BAD_HEX, &q, &err), &err,
		       "device: want 68 hex digits (an AK name)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body_not_object),
		cmocka_unit_test(test_challenge),
		cmocka_unit_test(test_activate_good),
		cmocka_unit_test(test_activate_bad),
		cmocka_unit_test(test_activate_instance),
		cmocka_unit_test(test_instance_create),
		cmocka_unit_test(test_device_action_path),
		cmocka_unit_test(test_device_body_policy),
		cmocka_unit_test(test_device_body_revoke),
		cmocka_unit_test(test_device_body_floors_reset),
		cmocka_unit_test(test_policy_keep_previous),
		cmocka_unit_test(test_device_body_fingerprint),
		cmocka_unit_test(test_token_path),
		cmocka_unit_test(test_policy_good),
		cmocka_unit_test(test_policy_bad),
		cmocka_unit_test(test_policy_lengths),
		cmocka_unit_test(test_policy_too_many),
		cmocka_unit_test(test_audit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
