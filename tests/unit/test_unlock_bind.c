// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: hrot-unlock bind/unbind on a real LUKS2 image file formatted
 * here with libcryptsetup (no device-mapper needed).  The oracles are the
 * cryptsetup command line: `luksDump --dump-json-metadata` (read with
 * json-c) for the keyslots and tokens, and `open --test-passphrase
 * --key-slot N --key-file F` for whether the derived key opens the slot.
 */
#include <endian.h>
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

#include <json-c/json.h>
#include <libcryptsetup.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <hrot/evidence.h>
#include <hrot/token.h>

#include "unlock.h"

#define OLD_PASS	"old passphrase"

struct fixture {
	char dir[64];
	char img[96];
	struct crypt_device *cd;
	struct unlock_binding b;
	uint8_t key[UNLOCK_KEY_SIZE];
};

static void signed_metadata(struct hrot_metadata *m)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	assert_non_null(k);
	memset(m, 0, sizeof(*m));
	assert_int_equal(RAND_bytes(m->instance, sizeof(m->instance)), 1);
	assert_int_equal(RAND_bytes(m->device + 2, 32), 1);
	m->device[1] = 0x0b;
	m->created_at = htole64(1700000000);
	assert_int_equal(hrot_metadata_sign(m, k), 0);
	EVP_PKEY_free(k);
}

static int format_image(struct fixture *f)
{
	struct crypt_pbkdf_type pbkdf = {
		.type = CRYPT_KDF_PBKDF2, .hash = "sha256",
		.iterations = 1000, .flags = CRYPT_PBKDF_NO_BENCHMARK,
	};
	int fd = open(f->img, O_CREAT | O_RDWR | O_TRUNC, 0600);

	if (fd < 0 || ftruncate(fd, 20 << 20) || close(fd))
		return -1;
	if (crypt_init(&f->cd, f->img) < 0 ||
	    crypt_set_pbkdf_type(f->cd, &pbkdf) < 0 ||
	    crypt_format(f->cd, CRYPT_LUKS2, "aes", "xts-plain64", NULL, NULL,
			 64, NULL) < 0 ||
	    crypt_keyslot_add_by_volume_key(f->cd, CRYPT_ANY_SLOT, NULL, 0,
					    OLD_PASS, strlen(OLD_PASS)) != 0)
		return -1;
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct hrot_metadata m;
	uint8_t secret[32];

	if (!f)
		return -1;
	*state = f;
	strcpy(f->dir, "/tmp/hrot-test-bind-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->img, sizeof(f->img), "%s/img", f->dir);
	if (format_image(f))
		return -1;
	signed_metadata(&m);
	unlock_binding_from_metadata(&f->b, &m);
	strcpy(f->b.verifier, "https://10.0.2.2:8443");
	memset(f->b.ca_sha256, 0xca, sizeof(f->b.ca_sha256));
	RAND_bytes(secret, sizeof(secret));
	if (unlock_kdf(secret, 32, f->b.instance, f->b.created_at, f->key))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[128];

	crypt_free(f->cd);
	unlink(f->img);
	snprintf(path, sizeof(path), "%s/key", f->dir);
	unlink(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- oracles ------------------------------------------------------------- */

static struct json_object *dump_json(const struct fixture *f)
{
	char cmd[256];
	struct json_object *o;
	char *buf = malloc(1 << 20);
	size_t n;
	FILE *p;

	assert_non_null(buf);
	snprintf(cmd, sizeof(cmd),
		 "cryptsetup luksDump --dump-json-metadata %s", f->img);
	/* NOLINTNEXTLINE(cert-env33-c): the CLI is the oracle; a temp path */
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(buf, 1, (1 << 20) - 1, p);
	assert_int_equal(pclose(p), 0);
	buf[n] = '\0';
	o = json_tokener_parse(buf);
	free(buf);
	assert_non_null(o);
	return o;
}

static int count_members(struct json_object *o, const char *field)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(o, field, &v));
	return json_object_object_length(v);
}

static struct json_object *member(struct json_object *o, const char *a,
				  const char *b)
{
	struct json_object *x, *y;

	assert_true(json_object_object_get_ex(o, a, &x));
	assert_true(json_object_object_get_ex(x, b, &y));
	return y;
}

/* Does @key open keyslot @slot, according to the cryptsetup CLI? */
static int cli_opens(const struct fixture *f, int slot, const uint8_t *key,
		     size_t len)
{
	char path[128], cmd[512];
	FILE *k;

	snprintf(path, sizeof(path), "%s/key", f->dir);
	k = fopen(path, "w");
	assert_non_null(k);
	assert_int_equal(fwrite(key, 1, len, k), len);
	fclose(k);
	snprintf(cmd, sizeof(cmd),
		 "cryptsetup open --test-passphrase --key-slot %d "
		 "--key-file %s %s 2>/dev/null", slot, path, f->img);
	/* NOLINTNEXTLINE(cert-env33-c): the CLI is the oracle; temp paths */
	return system(cmd) == 0;
}

static int bind(struct fixture *f, const char *old, char *err)
{
	return unlock_bind(f->cd, old, strlen(old), f->key, &f->b, err,
			   UNLOCK_ERR_MAX);
}

/* ---- tests --------------------------------------------------------------- */

static void test_bind(void **state)
{
	struct fixture *f = *state;
	struct json_object *d, *tok, *slots, *kdf;
	char err[UNLOCK_ERR_MAX] = "", slot[8];
	int s;

	s = bind(f, OLD_PASS, err);
	assert_true(s > 0);
	d = dump_json(f);
	assert_int_equal(count_members(d, "keyslots"), 2);
	assert_int_equal(count_members(d, "tokens"), 1);
	tok = member(d, "tokens", "0");
	assert_string_equal(json_object_get_string(
		json_object_object_get(tok, "type")), "hrot");
	slots = json_object_object_get(tok, "keyslots");
	assert_int_equal(json_object_array_length(slots), 1);
	snprintf(slot, sizeof(slot), "%d", s);
	assert_string_equal(json_object_get_string(
		json_object_array_get_idx(slots, 0)), slot);
	kdf = json_object_object_get(member(d, "keyslots", slot), "kdf");
	assert_string_equal(json_object_get_string(
		json_object_object_get(kdf, "type")), "pbkdf2");
	assert_int_equal(json_object_get_int(
		json_object_object_get(kdf, "iterations")), 1000);
	json_object_put(d);
	/* The independent check: the derived key opens that slot. */
	assert_true(cli_opens(f, s, f->key, UNLOCK_KEY_SIZE));
	f->key[0] ^= 1;
	assert_false(cli_opens(f, s, f->key, UNLOCK_KEY_SIZE));
	f->key[0] ^= 1;
	assert_false(cli_opens(f, 0, f->key, UNLOCK_KEY_SIZE));
}

static void test_token_roundtrip(void **state)
{
	struct fixture *f = *state;
	struct unlock_binding got;
	char err[UNLOCK_ERR_MAX] = "";
	int token = -1, s;

	assert_int_equal(unlock_token_find(f->cd, &token, &got, err,
					   sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "not bound"));
	s = bind(f, OLD_PASS, err);
	assert_true(s > 0);
	/* A fresh handle: what is on disk, not what is cached. */
	crypt_free(f->cd);
	assert_int_equal(crypt_init(&f->cd, f->img), 0);
	assert_int_equal(crypt_load(f->cd, CRYPT_LUKS2, NULL), 0);
	assert_int_equal(unlock_token_find(f->cd, &token, &got, err,
					   sizeof(err)), 0);
	assert_int_equal(got.keyslot, s);
	assert_string_equal(got.verifier, f->b.verifier);
	assert_memory_equal(got.instance, f->b.instance, 16);
	assert_memory_equal(got.device, f->b.device, 34);
	assert_memory_equal(got.ca_sha256, f->b.ca_sha256, 32);
	assert_memory_equal(&got.metadata, &f->b.metadata,
			    sizeof(got.metadata));
	assert_int_equal(got.created_at, 1700000000);
	/* Only the token's keyslot is tried: by number. */
	assert_int_equal(crypt_activate_by_passphrase(f->cd, NULL, s,
		(const char *)f->key, UNLOCK_KEY_SIZE, 0), s);
	assert_int_equal(crypt_activate_by_passphrase(f->cd, NULL, 0,
		(const char *)f->key, UNLOCK_KEY_SIZE, 0), -EPERM);
}

static void test_wrong_old_passphrase(void **state)
{
	struct fixture *f = *state;
	struct json_object *d;
	char err[UNLOCK_ERR_MAX] = "";

	assert_int_equal(bind(f, "not it", err), -EPERM);
	assert_non_null(strstr(err, "opens no keyslot"));
	d = dump_json(f);
	assert_int_equal(count_members(d, "keyslots"), 1);
	assert_int_equal(count_members(d, "tokens"), 0);
	json_object_put(d);
}

static void test_bind_twice(void **state)
{
	struct fixture *f = *state;
	struct json_object *d;
	char err[UNLOCK_ERR_MAX] = "";

	assert_true(bind(f, OLD_PASS, err) > 0);
	assert_int_equal(bind(f, OLD_PASS, err), -EEXIST);
	assert_non_null(strstr(err, "unbind first"));
	d = dump_json(f);
	assert_int_equal(count_members(d, "keyslots"), 2);
	assert_int_equal(count_members(d, "tokens"), 1);
	json_object_put(d);
}

static void test_unbind(void **state)
{
	struct fixture *f = *state;
	struct json_object *d;
	char err[UNLOCK_ERR_MAX] = "";
	int s;

	s = bind(f, OLD_PASS, err);
	assert_true(s > 0);
	assert_int_equal(unlock_unbind(f->cd, err, sizeof(err)), 0);
	d = dump_json(f);
	assert_int_equal(count_members(d, "keyslots"), 1);
	assert_int_equal(count_members(d, "tokens"), 0);
	json_object_put(d);
	assert_false(cli_opens(f, s, f->key, UNLOCK_KEY_SIZE));
	assert_true(cli_opens(f, 0, (const uint8_t *)OLD_PASS,
			      strlen(OLD_PASS)));
	assert_int_equal(unlock_unbind(f->cd, err, sizeof(err)), -ENOENT);
}

static void test_unbind_last_keyslot(void **state)
{
	struct fixture *f = *state;
	struct json_object *d;
	char err[UNLOCK_ERR_MAX] = "";

	assert_true(bind(f, OLD_PASS, err) > 0);
	assert_int_equal(crypt_keyslot_destroy(f->cd, 0), 0);
	assert_int_equal(unlock_unbind(f->cd, err, sizeof(err)), -EBUSY);
	assert_non_null(strstr(err, "only keyslot"));
	d = dump_json(f);
	assert_int_equal(count_members(d, "keyslots"), 1);
	assert_int_equal(count_members(d, "tokens"), 1);
	json_object_put(d);
}

/* A token whose readable fields contradict the signed metadata. */
static void bad_json(struct fixture *f, const char *field, const char *value,
		     const char *want)
{
	struct unlock_binding got;
	struct json_object *o;
	char err[UNLOCK_ERR_MAX] = "";
	char *json = NULL;

	assert_int_equal(unlock_binding_to_json(&f->b, &json), 0);
	o = json_tokener_parse(json);
	free(json);
	assert_non_null(o);
	if (value)
		json_object_object_add(o, field, json_tokener_parse(value));
	else
		json_object_object_del(o, field);
	assert_int_equal(unlock_binding_from_json(
		json_object_to_json_string(o), &got, err, sizeof(err)),
		-EINVAL);
	json_object_put(o);
	if (!strstr(err, want))
		fail_msg("error '%s' does not name '%s'", err, want);
}

static void test_json_errors(void **state)
{
	struct fixture *f = *state;
	struct hrot_metadata m = f->b.metadata;
	char other[256];
	char *b64;

	f->b.keyslot = 1;
	bad_json(f, "type", "\"luks2-keyring\"", "not 'hrot'");
	bad_json(f, "keyslots", "[\"1\",\"2\"]", "exactly one keyslot");
	bad_json(f, "keyslots", "[\"x\"]", "'keyslots' entry 'x'");
	bad_json(f, "verifier", "\"http://x\"", "'verifier'");
	bad_json(f, "verifier", NULL, "'verifier' missing");
	bad_json(f, "ca_sha256", "\"abcd\"", "'ca_sha256' is not 32 bytes");
	bad_json(f, "device", "\"zz\"", "'device'");
	bad_json(f, "instance", "\"00000000000000000000000000000000\"",
		 "'instance' differs from the signed metadata");
	bad_json(f, "created_at", "1", "'created_at' differs");
	bad_json(f, "created_at", "\"1\"", "'created_at' missing or not");
	bad_json(f, "token_key_sha256",
		 "\"0000000000000000000000000000000000000000000000000000000000000000\"",
		 "'token_key_sha256' differs");
	bad_json(f, "metadata", "\"AAAA\"", "'metadata'");
	m.magic[0] ^= 1;
	b64 = hrot_b64_encode(&m, sizeof(m));
	snprintf(other, sizeof(other), "\"%s\"", b64);
	free(b64);
	bad_json(f, "metadata", other, "'metadata' is not signed metadata");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_roundtrip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wrong_old_passphrase,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_twice, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unbind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unbind_last_keyslot,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_errors, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
