// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the protocol's JSON (hrot/evidence.h).  Requests are encoded,
 * decoded and compared; then each field is removed, given the wrong type
 * or the wrong size in the encoded text (edited with json-c), and the
 * decoder must refuse it with a message that names the field.
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

static uint8_t event_log[300], firmware_log[100], attest[145], sig[72];
static uint8_t ek_pub[120], ak_pub[90], ek_cert[500];

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 31);
}

static void make_fingerprint(struct hrot_fingerprint *fp)
{
	static const uint32_t ids[] = { HROT_FP_SYS_VENDOR,
		HROT_FP_PRODUCT_UUID, HROT_FP_TPM_EK };
	size_t i;

	memset(fp, 0, sizeof(*fp));
	fp->size = sizeof(*fp);
	fp->version = HROT_STRUCT_VERSION;
	fp->nr_components = 3;
	for (i = 0; i < 3; i++) {
		fp->components[i].id = ids[i];
		fp->components[i].flags = HROT_FP_PRESENT;
		fill(fp->components[i].digest, 32, (uint8_t)(i + 1));
		snprintf(fp->components[i].value, HROT_FP_VALUE_MAX,
			 "value \"%zu\" \\ é", i);
	}
	assert_int_equal(hrot_fingerprint_digest(fp, fp->digest), 0);
}

static void make_quote(struct hrot_wire_quote *q)
{
	memset(q, 0, sizeof(*q));
	fill(attest, sizeof(attest), 3);
	fill(sig, sizeof(sig), 4);
	q->attest = attest;
	q->attest_len = sizeof(attest);
	q->signature = sig;
	q->signature_len = sizeof(sig);
	q->pcr_mask = 1u << 0 | 1u << 13 | 1u << 23;
	fill(q->pcrs[0], 32, 10);
	fill(q->pcrs[13], 32, 11);
	fill(q->pcrs[23], 32, 12);
}

static void make_attest(struct hrot_attest_req *r, int optional)
{
	memset(r, 0, sizeof(*r));
	fill(r->device, sizeof(r->device), 1);
	fill(r->nonce, sizeof(r->nonce), 2);
	fill((uint8_t *)&r->metadata, sizeof(r->metadata), 5);
	fill(r->ephemeral_key, sizeof(r->ephemeral_key), 6);
	r->ephemeral_key[0] = 0x04;
	make_quote(&r->quote);
	fill(event_log, sizeof(event_log), 7);
	r->event_log = event_log;
	r->event_log_len = sizeof(event_log);
	make_fingerprint(&r->fingerprint);
	if (optional) {
		r->purpose = HROT_ATTEST_RUNTIME;
		r->has_physical_token = true;
		fill((uint8_t *)&r->physical_token, sizeof(r->physical_token),
		     8);
		fill(firmware_log, sizeof(firmware_log), 9);
		r->firmware_log = firmware_log;
		r->firmware_log_len = sizeof(firmware_log);
	}
}

static void make_register(struct hrot_register_req *r, int cert)
{
	memset(r, 0, sizeof(*r));
	fill(ek_pub, sizeof(ek_pub), 20);
	fill(ak_pub, sizeof(ak_pub), 21);
	r->ek_public = ek_pub;
	r->ek_public_len = sizeof(ek_pub);
	r->ak_public = ak_pub;
	r->ak_public_len = sizeof(ak_pub);
	if (cert) {
		fill(ek_cert, sizeof(ek_cert), 22);
		r->ek_cert = ek_cert;
		r->ek_cert_len = sizeof(ek_cert);
	}
	make_fingerprint(&r->fingerprint);
	r->nr_meta = 2;
	strcpy(r->meta_key[0], "hostname");
	strcpy(r->meta_value[0], "node-1");
	strcpy(r->meta_key[1], "rack");
	strcpy(r->meta_value[1], "b/7 \"west\"");
}

static void assert_quote_equal(const struct hrot_wire_quote *a,
			       const struct hrot_wire_quote *b)
{
	assert_int_equal(a->attest_len, b->attest_len);
	assert_memory_equal(a->attest, b->attest, a->attest_len);
	assert_int_equal(a->signature_len, b->signature_len);
	assert_memory_equal(a->signature, b->signature, a->signature_len);
	assert_int_equal(a->pcr_mask, b->pcr_mask);
	assert_memory_equal(a->pcrs, b->pcrs, sizeof(a->pcrs));
}

static void assert_attest_equal(const struct hrot_attest_req *a,
				const struct hrot_attest_req *b)
{
	assert_int_equal(a->purpose, b->purpose);
	assert_memory_equal(a->device, b->device, sizeof(a->device));
	assert_memory_equal(a->nonce, b->nonce, sizeof(a->nonce));
	assert_memory_equal(&a->metadata, &b->metadata, sizeof(a->metadata));
	assert_memory_equal(a->ephemeral_key, b->ephemeral_key, 65);
	assert_quote_equal(&a->quote, &b->quote);
	assert_int_equal(a->event_log_len, b->event_log_len);
	assert_memory_equal(a->event_log, b->event_log, a->event_log_len);
	assert_memory_equal(&a->fingerprint, &b->fingerprint,
			    sizeof(a->fingerprint));
	assert_int_equal(a->has_physical_token, b->has_physical_token);
	assert_memory_equal(&a->physical_token, &b->physical_token,
			    sizeof(a->physical_token));
	assert_int_equal(a->firmware_log_len, b->firmware_log_len);
	assert_int_equal(!a->firmware_log, !b->firmware_log);
	if (a->firmware_log)
		assert_memory_equal(a->firmware_log, b->firmware_log,
				    a->firmware_log_len);
}

/* ---- decoders behind one signature ------------------------------------- */

typedef int (*decode_fn)(const char *json, char *err, size_t n);

static int decode_attest(const char *json, char *err, size_t n)
{
	struct hrot_attest_req r;
	int ret = hrot_attest_req_from_json(json, strlen(json), &r, err, n);

	hrot_attest_req_free(&r);
	return ret;
}

static int decode_physical(const char *json, char *err, size_t n)
{
	struct hrot_physical_req r;
	int ret = hrot_physical_req_from_json(json, strlen(json), &r, err, n);

	hrot_physical_req_free(&r);
	return ret;
}

static int decode_register(const char *json, char *err, size_t n)
{
	struct hrot_register_req r;
	int ret = hrot_register_req_from_json(json, strlen(json), &r, err, n);

	hrot_register_req_free(&r);
	return ret;
}

static char *attest_json(int optional)
{
	struct hrot_attest_req r;
	char *s = NULL;

	make_attest(&r, optional);
	assert_int_equal(hrot_attest_req_to_json(&r, &s), 0);
	return s;
}

/* ---- round trips ------------------------------------------------------- */

static void test_attest_round_trip(void **state)
{
	struct hrot_attest_req in, out;
	char err[HROT_EVIDENCE_ERR_SIZE];
	int optional;
	char *s;

	(void)state;
	for (optional = 0; optional < 2; optional++) {
		make_attest(&in, optional);
		assert_int_equal(hrot_attest_req_to_json(&in, &s), 0);
		assert_int_equal(hrot_attest_req_from_json(s, strlen(s), &out,
							   err, sizeof(err)),
				 0);
		assert_string_equal(err, "");
		assert_attest_equal(&in, &out);
		hrot_attest_req_free(&out);
		/* Freeing twice, or a zeroed request, is harmless. */
		hrot_attest_req_free(&out);
		free(s);
	}
}

static void test_physical_round_trip(void **state)
{
	struct hrot_physical_req in, out;
	char err[HROT_EVIDENCE_ERR_SIZE];
	char *s;

	(void)state;
	memset(&in, 0, sizeof(in));
	fill(in.device, sizeof(in.device), 40);
	fill(in.nonce, sizeof(in.nonce), 41);
	make_fingerprint(&in.fingerprint);
	make_quote(&in.quote);
	assert_int_equal(hrot_physical_req_to_json(&in, &s), 0);
	assert_int_equal(hrot_physical_req_from_json(s, strlen(s), &out, err,
						     sizeof(err)), 0);
	assert_memory_equal(in.device, out.device, sizeof(in.device));
	assert_memory_equal(in.nonce, out.nonce, sizeof(in.nonce));
	assert_memory_equal(&in.fingerprint, &out.fingerprint,
			    sizeof(in.fingerprint));
	assert_quote_equal(&in.quote, &out.quote);
	hrot_physical_req_free(&out);
	free(s);
}

static void test_register_round_trip(void **state)
{
	struct hrot_register_req in, out;
	char err[HROT_EVIDENCE_ERR_SIZE];
	int cert;
	char *s;

	(void)state;
	for (cert = 0; cert < 2; cert++) {
		make_register(&in, cert);
		assert_int_equal(hrot_register_req_to_json(&in, &s), 0);
		assert_int_equal(hrot_register_req_from_json(s, strlen(s),
							     &out, err,
							     sizeof(err)), 0);
		assert_int_equal(out.ek_public_len, in.ek_public_len);
		assert_memory_equal(out.ek_public, in.ek_public,
				    in.ek_public_len);
		assert_int_equal(out.ak_public_len, in.ak_public_len);
		assert_memory_equal(out.ak_public, in.ak_public,
				    in.ak_public_len);
		assert_int_equal(out.ek_cert_len, in.ek_cert_len);
		assert_int_equal(!out.ek_cert, !in.ek_cert);
		if (cert)
			assert_memory_equal(out.ek_cert, in.ek_cert,
					    in.ek_cert_len);
		assert_memory_equal(&out.fingerprint, &in.fingerprint,
				    sizeof(in.fingerprint));
		assert_int_equal(out.nr_meta, 2);
		assert_string_equal(out.meta_key[0], "hostname");
		assert_string_equal(out.meta_value[0], "node-1");
		assert_string_equal(out.meta_key[1], "rack");
		assert_string_equal(out.meta_value[1], "b/7 \"west\"");
		hrot_register_req_free(&out);
		free(s);
	}
}

/* The encoding itself, against protocol.md's names and forms. */
static void test_attest_wire_names(void **state)
{
	struct json_object *o, *v, *pcrs;
	char *s = attest_json(1);

	(void)state;
	o = json_tokener_parse(s);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "device", &v));
	assert_int_equal(json_object_get_string_len(v), 68);
	assert_memory_equal(json_object_get_string(v), "0120", 4);
	assert_true(json_object_object_get_ex(o, "ephemeral_key", &v));
	assert_int_equal(json_object_get_string_len(v), 88);	/* 65 bytes */
	assert_true(json_object_object_get_ex(o, "quote", &v));
	assert_true(json_object_object_get_ex(v, "pcrs", &pcrs));
	assert_int_equal(json_object_array_length(pcrs), 3);
	v = json_object_array_get_idx(pcrs, 1);
	assert_true(json_object_object_get_ex(v, "index", &v));
	assert_int_equal(json_object_get_int(v), 13);
	assert_true(json_object_object_get_ex(o, "fingerprint", &v));
	assert_true(json_object_object_get_ex(v, "components", &v));
	v = json_object_array_get_idx(v, 1);
	assert_true(json_object_object_get_ex(v, "name", &v));
	assert_string_equal(json_object_get_string(v), "product_uuid");
	assert_true(json_object_object_get_ex(o, "physical_token", &v));
	assert_true(json_object_object_get_ex(o, "firmware_log", &v));
	json_object_put(o);
	free(s);
	/* Without the optional members, they are absent. */
	s = attest_json(0);
	o = json_tokener_parse(s);
	assert_false(json_object_object_get_ex(o, "physical_token", &v));
	assert_false(json_object_object_get_ex(o, "firmware_log", &v));
	json_object_put(o);
	free(s);
}

/* ---- editing the encoded text ------------------------------------------ */

/* The member or element at @path ("quote.pcrs.1.index"): parent and key. */
static struct json_object *walk(struct json_object *o, const char *path,
				char *last, size_t last_size)
{
	char buf[128], *save = NULL, *tok, *next;

	snprintf(buf, sizeof(buf), "%s", path);
	tok = strtok_r(buf, ".", &save);
	while ((next = strtok_r(NULL, ".", &save))) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)strtoul(tok, NULL, 10));
		else
			assert_true(json_object_object_get_ex(o, tok, &o));
		assert_non_null(o);
		tok = next;
	}
	snprintf(last, last_size, "%s", tok);
	return o;
}

/* @json with @path replaced by @value (JSON text), or deleted if NULL. */
static char *edit(const char *json, const char *path, const char *value)
{
	struct json_object *o = json_tokener_parse(json), *parent, *v = NULL;
	int is_null = value && !strcmp(value, "null");
	char key[96];
	char *out;

	assert_non_null(o);
	parent = walk(o, path, key, sizeof(key));
	if (value && !is_null) {
		v = json_tokener_parse(value);
		assert_non_null(v);
	}
	if (json_object_is_type(parent, json_type_array)) {
		assert_int_equal(json_object_array_put_idx(parent,
							   (size_t)strtoul(key, NULL, 10),
							   v), 0);
	} else if (v || is_null) {
		assert_int_equal(json_object_object_add(parent, key, v), 0);
	} else {
		json_object_object_del(parent, key);
	}
	out = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return out;
}

/* Decoding @json edited at @path must fail with a message @want starts. */
static void expect_error(decode_fn decode, const char *json, const char *path,
			 const char *value, const char *want)
{
	char err[HROT_EVIDENCE_ERR_SIZE];
	char *bad = edit(json, path, value);

	err[0] = '\0';
	if (decode(bad, err, sizeof(err)) != -EINVAL)
		fail_msg("%s = %s: accepted", path, value ? value : "(deleted)");
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("%s = %s: got \"%s\", want \"%s...\"", path,
			 value ? value : "(deleted)", err, want);
	free(bad);
}

static const char *const attest_required[] = {
	"device", "nonce", "metadata", "ephemeral_key", "quote", "event_log",
	"fingerprint", "quote.attest", "quote.signature", "quote.pcrs",
	"quote.pcrs.0.index", "quote.pcrs.2.sha256_hex",
	"fingerprint.digest_hex", "fingerprint.components",
	"fingerprint.components.0.id", "fingerprint.components.1.flags",
	"fingerprint.components.2.digest_hex",
	"fingerprint.components.0.value",
};

/* "quote.pcrs.0.index" is named "quote.pcrs[0].index" in messages. */
static void field_name(const char *path, char *out, size_t size)
{
	size_t n = 0;
	const char *p;

	for (p = path; *p && n + 3 < size; p++) {
		if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
			out[n++] = '[';
			for (p++; *p >= '0' && *p <= '9'; p++)
				out[n++] = *p;
			out[n++] = ']';
			p--;
			continue;
		}
		out[n++] = *p;
	}
	out[n] = '\0';
}

static void test_attest_missing_and_wrong_type(void **state)
{
	char *json = attest_json(1);
	char name[96], want[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(attest_required) / sizeof(*attest_required);
	     i++) {
		const char *path = attest_required[i];
		int is_obj = !strcmp(path, "quote") ||
			     !strcmp(path, "fingerprint");
		int is_arr = !strcmp(path, "quote.pcrs") ||
			     !strcmp(path, "fingerprint.components");
		int is_int = strstr(path, ".index") || strstr(path, ".id") ||
			     strstr(path, ".flags");

		field_name(path, name, sizeof(name));
		snprintf(want, sizeof(want), "%s: missing", name);
		expect_error(decode_attest, json, path, NULL, want);
		snprintf(want, sizeof(want), "%s: not %s", name,
			 is_obj ? "an object" : is_arr ? "an array" :
			 is_int ? "an integer" : "a string");
		expect_error(decode_attest, json, path,
			     is_int ? "\"1\"" : "5", want);
		/* null counts as absent. */
		snprintf(want, sizeof(want), "%s: missing", name);
		expect_error(decode_attest, json, path, "null", want);
	}
	free(json);
}

/* @n bytes of @buf as a JSON string of base64 into @out. */
static void quoted_b64(char *out, size_t size, const void *buf, size_t n)
{
	char *s = hrot_b64_encode(buf, n);

	assert_non_null(s);
	snprintf(out, size, "\"%s\"", s);
	free(s);
}

static void test_attest_wrong_size(void **state)
{
	char *json = attest_json(1);
	/* 31, 33, 64, 163 and 291 bytes of base64. */
	char b31[64], b33[64], b64[128], b163[256], b291[512];
	uint8_t zero[300] = { 0 };

	(void)state;
	quoted_b64(b31, sizeof(b31), zero, 31);
	quoted_b64(b33, sizeof(b33), zero, 33);
	quoted_b64(b64, sizeof(b64), zero, 64);
	quoted_b64(b163, sizeof(b163), zero, 163);
	quoted_b64(b291, sizeof(b291), zero, 291);
	expect_error(decode_attest, json, "nonce", b31,
		     "nonce: 31 bytes, want 32");
	expect_error(decode_attest, json, "nonce", b33,
		     "nonce: 33 bytes, want 32");
	expect_error(decode_attest, json, "ephemeral_key", b64,
		     "ephemeral_key: 64 bytes, want 65");
	expect_error(decode_attest, json, "metadata", b163,
		     "metadata: 163 bytes, want 164");
	expect_error(decode_attest, json, "physical_token", b291,
		     "physical_token: 291 bytes, want 292");
	expect_error(decode_attest, json, "device", "\"000b\"",
		     "device: want 68 hex digits");
	expect_error(decode_attest, json, "nonce", "\"not base64!\"",
		     "nonce: not base64");
	expect_error(decode_attest, json, "nonce", "\"\"",
		     "nonce: 0 bytes, want 32");
	expect_error(decode_attest, json, "event_log", "\"\"",
		     "event_log: 0 bytes, want 1 to");
	expect_error(decode_attest, json, "firmware_log", "\"@@@@\"",
		     "firmware_log: not base64");
	expect_error(decode_attest, json, "firmware_log", "7",
		     "firmware_log: not a string");
	expect_error(decode_attest, json, "quote.attest", "\"AAAA=\"",
		     "quote.attest: not base64");
	free(json);
}

/* "purpose": absent is unlock; "unlock" or "runtime", nothing else. */
static void test_attest_purpose(void **state)
{
	char *unlock = attest_json(0), *runtime = attest_json(1);
	char err[HROT_EVIDENCE_ERR_SIZE];
	struct hrot_attest_req r;
	char *s;

	(void)state;
	assert_null(strstr(unlock, "\"purpose\""));
	assert_non_null(strstr(runtime, "\"purpose\":\"runtime\""));
	s = edit(runtime, "purpose", "\"unlock\"");
	assert_int_equal(hrot_attest_req_from_json(s, strlen(s), &r, err,
						   sizeof(err)), 0);
	assert_int_equal(r.purpose, HROT_ATTEST_UNLOCK);
	hrot_attest_req_free(&r);
	free(s);
	expect_error(decode_attest, runtime, "purpose", "\"boot\"",
		     "purpose: not \"unlock\", \"runtime\" or \"component\"");
	expect_error(decode_attest, runtime, "purpose", "\"Runtime\"",
		     "purpose: not \"unlock\", \"runtime\" or \"component\"");
	expect_error(decode_attest, runtime, "purpose", "1", "purpose: ");
	free(unlock);
	free(runtime);
}

/* "component": with exactly 64 hex digits of "component_hex". */
static void test_attest_component(void **state)
{
	struct hrot_attest_req in, out;
	char err[HROT_EVIDENCE_ERR_SIZE];
	char *s, *bad;

	(void)state;
	make_attest(&in, 0);
	in.purpose = HROT_ATTEST_COMPONENT;
	fill(in.component, sizeof(in.component), 77);
	assert_int_equal(hrot_attest_req_to_json(&in, &s), 0);
	assert_int_equal(hrot_attest_req_from_json(s, strlen(s), &out, err,
						   sizeof(err)), 0);
	assert_int_equal(out.purpose, HROT_ATTEST_COMPONENT);
	assert_memory_equal(out.component, in.component, sizeof(in.component));
	hrot_attest_req_free(&out);
	expect_error(decode_attest, s, "component_hex", NULL,
		     "component_hex: missing");
	expect_error(decode_attest, s, "component_hex", "\"abcd\"",
		     "component_hex: want 64 hex digits");
	expect_error(decode_attest, s, "component_hex",
		     "\"0000000000000000000000000000000000000000000000000000000000000000\"",
		     "component_hex: all zero");
	/* named without the purpose that uses it */
	bad = edit(s, "purpose", "\"runtime\"");
	expect_error(decode_attest, bad, "purpose", "\"runtime\"",
		     "component_hex: only with purpose \"component\"");
	free(bad);
	free(s);
}

static void test_attest_bad_values(void **state)
{
	char *json = attest_json(0);
	char zeros65[128], *s;
	uint8_t point[65] = { 0x02 };

	(void)state;
	s = hrot_b64_encode(point, sizeof(point));
	snprintf(zeros65, sizeof(zeros65), "\"%s\"", s);
	free(s);
	expect_error(decode_attest, json, "ephemeral_key", zeros65,
		     "ephemeral_key: not an uncompressed point");
	expect_error(decode_attest, json, "quote.pcrs.1.index", "24",
		     "quote.pcrs[1].index: out of range 0..23");
	expect_error(decode_attest, json, "quote.pcrs.1.index", "-1",
		     "quote.pcrs[1].index: out of range");
	expect_error(decode_attest, json, "quote.pcrs.1.index", "13.0",
		     "quote.pcrs[1].index: not an integer");
	expect_error(decode_attest, json, "quote.pcrs.1.index", "0",
		     "quote.pcrs[1].index: PCR 0 listed twice");
	expect_error(decode_attest, json, "quote.pcrs.1", "7",
		     "quote.pcrs[1]: not an object");
	expect_error(decode_attest, json, "quote.pcrs.2.sha256_hex",
		     "\"abcd\"", "quote.pcrs[2].sha256_hex: want 64 hex");
	expect_error(decode_attest, json, "quote.pcrs", "[]",
		     "quote.pcrs: 0 entries");
	expect_error(decode_attest, json, "fingerprint.digest_hex",
		     "\"0000000000000000000000000000000000000000000000000000000000000000\"",
		     "fingerprint.digest_hex: does not match the components");
	expect_error(decode_attest, json, "fingerprint.components.1.flags",
		     "0", "fingerprint.digest_hex: does not match");
	expect_error(decode_attest, json, "fingerprint.components.1.id",
		     "1", "fingerprint.components: id 1 out of ascending");
	expect_error(decode_attest, json, "fingerprint.components.1.id",
		     "4294967296", "fingerprint.components[1].id: out of range");
	expect_error(decode_attest, json, "fingerprint.components.0.value",
		     "\"0123456789012345678901234567890123456789012345678901234567890123\"",
		     "fingerprint.components[0].value: longer than 63");
	expect_error(decode_attest, json, "fingerprint.components.0.value",
		     "\"a\\u0000b\"",
		     "fingerprint.components[0].value: holds a NUL");
	expect_error(decode_attest, json, "fingerprint.components.0.name",
		     "3", "fingerprint.components[0].name: not a string");
	expect_error(decode_attest, json, "fingerprint.components.2", "[]",
		     "fingerprint.components[2]: not an object");
	free(json);
}

static void test_physical_fields(void **state)
{
	struct hrot_physical_req r;
	char *json;

	(void)state;
	memset(&r, 0, sizeof(r));
	make_fingerprint(&r.fingerprint);
	make_quote(&r.quote);
	assert_int_equal(hrot_physical_req_to_json(&r, &json), 0);
	expect_error(decode_physical, json, "device", NULL, "device: missing");
	expect_error(decode_physical, json, "nonce", "[]",
		     "nonce: not a string");
	expect_error(decode_physical, json, "fingerprint", NULL,
		     "fingerprint: missing");
	expect_error(decode_physical, json, "quote.signature", NULL,
		     "quote.signature: missing");
	free(json);
}

static void test_register_fields(void **state)
{
	struct hrot_register_req r;
	char long_value[300], *json;

	(void)state;
	make_register(&r, 1);
	assert_int_equal(hrot_register_req_to_json(&r, &json), 0);
	expect_error(decode_register, json, "ek_public", NULL,
		     "ek_public: missing");
	expect_error(decode_register, json, "ak_public", "{}",
		     "ak_public: not a string");
	expect_error(decode_register, json, "ek_cert", "\"AA\"",
		     "ek_cert: not base64");
	expect_error(decode_register, json, "fingerprint.components",
		     "{}", "fingerprint.components: not an array");
	expect_error(decode_register, json, "metadata", "[]",
		     "metadata: not an object");
	expect_error(decode_register, json, "metadata.rack", "3",
		     "metadata.rack: not a string");
	/* A quoted string of 256 bytes. */
	memset(long_value, 'x', sizeof(long_value));
	long_value[0] = '"';
	long_value[257] = '"';
	long_value[258] = '\0';
	expect_error(decode_register, json, "metadata.rack", long_value,
		     "metadata.rack: longer than 255");
	expect_error(decode_register, json,
		     "metadata.a_key_much_longer_than_the_sixty_three_bytes_"
		     "that_fit_in_the_structure", "\"v\"",
		     "metadata: a key of 70 bytes, want 1 to 63");
	/* Absent metadata and ek_cert are fine. */
	free(json);
	r.ek_cert = NULL;
	r.nr_meta = 0;
	assert_int_equal(hrot_register_req_to_json(&r, &json), 0);
	{
		char *bare = edit(json, "metadata", NULL);
		char err[HROT_EVIDENCE_ERR_SIZE];

		assert_int_equal(decode_register(bare, err, sizeof(err)), 0);
		free(bare);
	}
	free(json);
}

static void test_register_too_many_meta(void **state)
{
	char json[2048], err[HROT_EVIDENCE_ERR_SIZE];
	struct hrot_register_req r;
	char *base, *p;
	size_t i, n;

	(void)state;
	make_register(&r, 0);
	r.nr_meta = 0;
	assert_int_equal(hrot_register_req_to_json(&r, &base), 0);
	/* Replace "metadata":{} by 17 members. */
	p = strstr(base, "\"metadata\":{}");
	assert_non_null(p);
	n = (size_t)(p - base);
	memcpy(json, base, n);
	n += (size_t)sprintf(json + n, "\"metadata\":{");
	for (i = 0; i < 17; i++)
		n += (size_t)sprintf(json + n, "%s\"k%zu\":\"v\"", i ? "," : "",
				     i);
	sprintf(json + n, "}%s", p + strlen("\"metadata\":{}"));
	assert_int_equal(decode_register(json, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "metadata: 17 members, at most 16");
	free(base);
}

/* ---- the body as a whole ----------------------------------------------- */

static void test_truncated_and_trailing(void **state)
{
	char err[HROT_EVIDENCE_ERR_SIZE];
	struct hrot_attest_req r;
	char *json = attest_json(1);
	size_t len = strlen(json), n;
	char *longer;

	(void)state;
	for (n = 0; n < len; n++) {
		assert_int_equal(hrot_attest_req_from_json(json, n, &r, err,
							   sizeof(err)),
				 -EINVAL);
		assert_null(r.event_log);
		assert_null(r.quote.attest);
	}
	longer = malloc(len + 8);
	assert_non_null(longer);
	sprintf(longer, "%s \n", json);
	assert_int_equal(hrot_attest_req_from_json(longer, len + 2, &r, err,
						   sizeof(err)), 0);
	hrot_attest_req_free(&r);
	sprintf(longer, "%s x", json);
	assert_int_equal(hrot_attest_req_from_json(longer, len + 2, &r, err,
						   sizeof(err)), -EINVAL);
	assert_memory_equal(err, "body: ", 6);
	sprintf(longer, "%s{}", json);
	assert_int_equal(hrot_attest_req_from_json(longer, len + 2, &r, err,
						   sizeof(err)), -EINVAL);
	/* A NUL inside the body. */
	memcpy(longer, json, len);
	longer[len / 2] = '\0';
	assert_int_equal(hrot_attest_req_from_json(longer, len, &r, err,
						   sizeof(err)), -EINVAL);
	assert_memory_equal(err, "body: holds a NUL", 17);
	free(longer);
	assert_int_equal(decode_attest("[1,2]", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "body: not a JSON object");
	assert_int_equal(decode_attest("{'a':1}", err, sizeof(err)), -EINVAL);
	assert_int_equal(decode_attest("{\"a\":1,}", err, sizeof(err)), -EINVAL);
	assert_int_equal(decode_attest("{\"x\":\"\xff\"}", err, sizeof(err)),
			 -EINVAL);
	assert_memory_equal(err, "body: ", 6);
	/* Nesting deeper than any request is refused by the parser. */
	assert_int_equal(decode_attest("{\"a\":[[[[[[[[[[[[]]]]]]]]]]]]}", err,
				       sizeof(err)), -EINVAL);
	assert_memory_equal(err, "body: ", 6);
	free(json);
}

static void test_oversized(void **state)
{
	char err[HROT_EVIDENCE_ERR_SIZE];
	struct hrot_attest_req r;
	size_t n = HROT_EVIDENCE_MAX_BLOB + 3;	/* a multiple of 3 */
	uint8_t *big = calloc(1, n);
	char *b64, *json, *edited, *quoted;

	(void)state;
	assert_non_null(big);
	b64 = hrot_b64_encode(big, n);
	assert_non_null(b64);
	quoted = malloc(strlen(b64) + 3);
	assert_non_null(quoted);
	sprintf(quoted, "\"%s\"", b64);
	json = attest_json(0);
	edited = edit(json, "event_log", quoted);
	assert_int_equal(hrot_attest_req_from_json(edited, strlen(edited), &r,
						   err, sizeof(err)), -EINVAL);
	assert_memory_equal(err, "event_log: 8388611 bytes, want 1 to",
			    strlen("event_log: 8388611 bytes, want 1 to"));
	/* A body over the limit is refused before it is parsed. */
	assert_int_equal(hrot_attest_req_from_json(edited,
						   HROT_EVIDENCE_MAX_JSON + 1,
						   &r, err, sizeof(err)),
			 -EINVAL);
	assert_memory_equal(err, "body: over", 10);
	free(edited);
	free(json);
	free(quoted);
	free(b64);
	free(big);
}

/* ---- base64 ------------------------------------------------------------ */

static void test_b64(void **state)
{
	uint8_t out[8], *buf = NULL;
	size_t len = 0;
	char *s;

	(void)state;
	s = hrot_b64_encode("ABCD", 4);
	assert_string_equal(s, "QUJDRA==");
	free(s);
	s = hrot_b64_encode("", 0);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(hrot_b64_decode_exact("QUJD", out, 3), 0);
	assert_memory_equal(out, "ABC", 3);
	assert_int_equal(hrot_b64_decode_exact("QUI=", out, 2), 0);
	assert_memory_equal(out, "AB", 2);
	assert_int_equal(hrot_b64_decode_exact("QQ==", out, 1), 0);
	assert_int_equal(out[0], 'A');
	/* Wrong length, padding, alphabet, non-canonical bits, blanks. */
	assert_int_equal(hrot_b64_decode_exact("QUJD", out, 2), -EINVAL);
	assert_int_equal(hrot_b64_decode_exact("QUI", out, 2), -EINVAL);
	assert_int_equal(hrot_b64_decode_exact("QUJ=", out, 2), -EINVAL);
	assert_int_equal(hrot_b64_decode_exact("QR==", out, 1), -EINVAL);
	assert_int_equal(hrot_b64_decode_exact("Q===", out, 1), -EINVAL);
	assert_int_equal(hrot_b64_decode_exact("Q=I=", out, 1), -EINVAL);
	assert_int_equal(hrot_b64_decode_exact(" QUJD", out, 3), -EINVAL);
	assert_int_equal(hrot_b64_decode_exact("QU\nJD", out, 3), -EINVAL);
	assert_int_equal(hrot_b64_decode_exact("QUJ-", out, 3), -EINVAL);
	assert_int_equal(hrot_b64_decode_alloc("QUJDRA==", &buf, &len, 4), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(buf, "ABCD", 4);
	free(buf);
	assert_int_equal(hrot_b64_decode_alloc("QUJDRA==", &buf, &len, 3),
			 -EINVAL);
	assert_int_equal(hrot_b64_decode_alloc("", &buf, &len, 3), 0);
	assert_int_equal(len, 0);
	free(buf);
}

static void test_fingerprint_json(void **state)
{
	struct hrot_fingerprint fp, out;
	char err[HROT_EVIDENCE_ERR_SIZE];
	struct json_object *o;

	(void)state;
	make_fingerprint(&fp);
	o = hrot_fingerprint_to_json(&fp);
	assert_non_null(o);
	assert_int_equal(hrot_fingerprint_from_json(o, &out, err, sizeof(err)),
			 0);
	assert_memory_equal(&fp, &out, sizeof(fp));
	json_object_put(o);
	assert_int_equal(hrot_fingerprint_from_json(NULL, &out, err,
						    sizeof(err)), -EINVAL);
	assert_string_equal(err, "fingerprint: not an object");
	fp.nr_components = HROT_FP_MAX_COMPONENTS + 1;
	assert_null(hrot_fingerprint_to_json(&fp));
	/* No components at all is a valid (if useless) fingerprint. */
	make_fingerprint(&fp);
	fp.nr_components = 0;
	memset(fp.components, 0, sizeof(fp.components));
	assert_int_equal(hrot_fingerprint_digest(&fp, fp.digest), 0);
	o = hrot_fingerprint_to_json(&fp);
	assert_int_equal(hrot_fingerprint_from_json(o, &out, err, sizeof(err)),
			 0);
	assert_int_equal(out.nr_components, 0);
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attest_round_trip),
		cmocka_unit_test(test_physical_round_trip),
		cmocka_unit_test(test_register_round_trip),
		cmocka_unit_test(test_attest_wire_names),
		cmocka_unit_test(test_attest_missing_and_wrong_type),
		cmocka_unit_test(test_attest_wrong_size),
		cmocka_unit_test(test_attest_bad_values),
		cmocka_unit_test(test_attest_purpose),
		cmocka_unit_test(test_attest_component),
		cmocka_unit_test(test_physical_fields),
		cmocka_unit_test(test_register_fields),
		cmocka_unit_test(test_register_too_many_meta),
		cmocka_unit_test(test_truncated_and_trailing),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_b64),
		cmocka_unit_test(test_fingerprint_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
