// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: libcryptsetup-token-hrot.so as libcryptsetup loads it:
 * dlopen, the CRYPTSETUP_TOKEN_1.0 symbols by version, nothing else
 * exported; validate and dump on good and bad token JSON; open fails
 * closed (no key handed out) on a host without /dev/hrot or trust anchors.
 */
#include <dlfcn.h>
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

#include <libcryptsetup.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <hrot/token.h>

#include "unlock.h"

#define ABI	"CRYPTSETUP_TOKEN_1.0"

typedef int (*open_fn)(struct crypt_device *, int, char **, size_t *,
		       void *);
typedef int (*validate_fn)(struct crypt_device *, const char *);
typedef void (*dump_fn)(struct crypt_device *, const char *);
typedef const char *(*version_fn)(void);

static void *plugin(void)
{
	const char *path = getenv("HROT_TOKEN_PLUGIN");
	void *h;

	if (!path)
		path = "../../build/lib/libcryptsetup-token-hrot.so";
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		fail_msg("dlopen %s: %s", path, dlerror());
	return h;
}

static char *good_json(void)
{
	struct unlock_binding b = { .keyslot = 1 };
	struct hrot_metadata m = { 0 };
	EVP_PKEY *k = EVP_EC_gen("P-256");
	char *json = NULL;

	assert_non_null(k);
	RAND_bytes(m.instance, sizeof(m.instance));
	m.device[1] = 0x0b;
	m.created_at = htole64(1700000000);
	assert_int_equal(hrot_metadata_sign(&m, k), 0);
	EVP_PKEY_free(k);
	unlock_binding_from_metadata(&b, &m);
	strcpy(b.verifier, "https://127.0.0.1:1");
	assert_int_equal(unlock_binding_to_json(&b, &json), 0);
	return json;
}

static void test_symbols(void **state)
{
	static const char *const abi[] = {
		"cryptsetup_token_open", "cryptsetup_token_buffer_free",
		"cryptsetup_token_validate", "cryptsetup_token_dump",
		"cryptsetup_token_version",
	};
	void *h = plugin();
	version_fn version;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(abi) / sizeof(abi[0]); i++)
		if (!dlvsym(h, abi[i], ABI))
			fail_msg("%s@%s missing", abi[i], ABI);
	/* The shared code stays inside. */
	assert_null(dlsym(h, "unlock_obtain_key"));
	assert_null(dlsym(h, "unlock_kdf"));
	assert_null(dlsym(h, "hrot_client_attest"));
	version = (version_fn)dlvsym(h, "cryptsetup_token_version", ABI);
	assert_string_equal(version(), HROT_VERSION);
	dlclose(h);
}

static void test_validate(void **state)
{
	void *h = plugin();
	validate_fn validate = (validate_fn)dlvsym(h,
				"cryptsetup_token_validate", ABI);
	dump_fn dump = (dump_fn)dlvsym(h, "cryptsetup_token_dump", ABI);
	char *json = good_json();
	char *bad = strdup(json);
	char *p = strstr(bad, "\"instance\":\"");

	(void)state;
	assert_non_null(p);
	p += strlen("\"instance\":\"");
	*p = *p == '0' ? '1' : '0';
	assert_int_equal(validate(NULL, json), 0);
	assert_int_equal(validate(NULL, bad), -EINVAL);
	assert_int_equal(validate(NULL, "{\"type\":\"hrot\"}"), -EINVAL);
	assert_int_equal(validate(NULL, "not json"), -EINVAL);
	dump(NULL, json);	/* must not crash on either */
	dump(NULL, bad);
	free(json);
	free(bad);
	dlclose(h);
}

/* No /dev/hrot, no /etc/hrot on the build host: no key comes out. */
static void test_open_fails_closed(void **state)
{
	char dir[] = "/tmp/hrot-test-plugin-XXXXXX", img[64];
	struct crypt_pbkdf_type pbkdf = {
		.type = CRYPT_KDF_PBKDF2, .hash = "sha256",
		.iterations = 1000, .flags = CRYPT_PBKDF_NO_BENCHMARK,
	};
	struct crypt_device *cd = NULL;
	void *h = plugin();
	open_fn op = (open_fn)dlvsym(h, "cryptsetup_token_open", ABI);
	char *json = good_json(), *buf = NULL;
	size_t len = 0;
	int fd, token;

	(void)state;
	if (access("/etc/hrot/ca.pem", F_OK) == 0 ||
	    access("/dev/hrot", F_OK) == 0)
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(img, sizeof(img), "%s/img", dir);
	fd = open(img, O_CREAT | O_RDWR, 0600);
	assert_true(fd >= 0 && ftruncate(fd, 20 << 20) == 0);
	close(fd);
	assert_int_equal(crypt_init(&cd, img), 0);
	assert_int_equal(crypt_set_pbkdf_type(cd, &pbkdf), 0);
	assert_int_equal(crypt_format(cd, CRYPT_LUKS2, "aes", "xts-plain64",
				      NULL, NULL, 64, NULL), 0);
	assert_int_equal(crypt_keyslot_add_by_volume_key(cd, 1, NULL, 0, "x",
							 1), 1);
	token = crypt_token_json_set(cd, CRYPT_ANY_TOKEN, json);
	assert_true(token >= 0);
	assert_true(op(cd, token, &buf, &len, NULL) < 0);
	assert_null(buf);
	assert_int_equal(len, 0);
	crypt_free(cd);
	unlink(img);
	rmdir(dir);
	free(json);
	dlclose(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symbols),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_open_fails_closed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
