// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: hrot_make_credential(), unwrapped by an ActivateCredential
 * written here in software (test only: libhrot never holds an EK's
 * private key) for ECC P-256, P-384 and RSA-2048 EKs.  The byte-exact
 * check against a real TPM is makecredential_swtpm.sh.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <hrot/hrot.h>

static const uint8_t name[34] = { 0x00, 0x0b, 1, 2, 3, 4, 5, 6, 7, 8 };

static void ek_from_key(EVP_PKEY *k, struct hrot_tpm_public *p,
			uint16_t name_alg, uint16_t bits)
{
	memset(p, 0, sizeof(*p));
	p->name_alg = name_alg;
	p->sym_alg = HROT_TPM_ALG_AES;
	p->sym_bits = bits;
	p->sym_mode = HROT_TPM_ALG_CFB;
	p->scheme = HROT_TPM_ALG_NULL;
	p->kdf = HROT_TPM_ALG_NULL;
	if (EVP_PKEY_is_a(k, "RSA")) {
		BIGNUM *n = NULL;

		p->type = HROT_TPM_ALG_RSA;
		p->rsa_bits = 2048;
		assert_int_equal(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N,
						       &n), 1);
		p->unique_size = 256;
		assert_int_equal(BN_bn2binpad(n, p->unique, 256), 256);
		BN_free(n);
	} else {
		uint8_t pt[1 + 2 * 48];
		size_t len = 0, c;

		p->type = HROT_TPM_ALG_ECC;
		assert_int_equal(EVP_PKEY_get_octet_string_param(
				k, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt), &len), 1);
		c = (len - 1) / 2;
		p->curve = c == 32 ? HROT_TPM_ECC_NIST_P256 :
				     HROT_TPM_ECC_NIST_P384;
		p->unique_size = p->y_size = (uint16_t)c;
		memcpy(p->unique, pt + 1, c);
		memcpy(p->y, pt + 1 + c, c);
	}
}

/* The seed, as the TPM recovers it with the EK's private key. */
static size_t rsa_seed(EVP_PKEY *ek, const struct hrot_credential *c,
		       uint8_t *seed)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(ek, NULL);
	unsigned char *label = OPENSSL_memdup("IDENTITY", 9);
	uint8_t out[256];
	size_t n = sizeof(out);

	assert_int_equal(EVP_PKEY_decrypt_init(ctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx,
						      RSA_PKCS1_OAEP_PADDING), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()), 1);
	assert_int_equal(EVP_PKEY_CTX_set0_rsa_oaep_label(ctx, label, 9), 1);
	assert_int_equal(EVP_PKEY_decrypt(ctx, out, &n, c->secret + 2,
					  c->secret_len - 2), 1);
	EVP_PKEY_CTX_free(ctx);
	assert_int_equal(n, 32);
	memcpy(seed, out, n);
	return n;
}

static EVP_PKEY *peer_key(const char *curve, const uint8_t *pt, size_t len)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	OSSL_PARAM *params;
	EVP_PKEY *k = NULL;

	OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					curve, 0);
	OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt, len);
	params = OSSL_PARAM_BLD_to_param(bld);
	assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
	assert_int_equal(EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY,
					   params), 1);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	return k;
}

static size_t ecc_seed(EVP_PKEY *ek, const struct hrot_tpm_public *pub,
		       const struct hrot_credential *c, uint8_t *seed)
{
	size_t n = hrot_tpm_curve_size(pub->curve), zlen = n;
	const uint8_t *s = c->secret + 2;
	uint8_t pt[1 + 2 * 48], z[48];
	size_t dsize = pub->name_alg == HROT_ALG_SHA384 ? 48 : 32;
	EVP_PKEY *eph;
	EVP_PKEY_CTX *ctx;

	/* TPMS_ECC_POINT: x and y, each with its size */
	assert_int_equal(c->secret_len, 2 + 4 + 2 * n);
	assert_int_equal(s[0] << 8 | s[1], n);
	assert_int_equal(s[2 + n] << 8 | s[3 + n], n);
	pt[0] = 4;
	memcpy(pt + 1, s + 2, n);
	memcpy(pt + 1 + n, s + 4 + n, n);
	eph = peer_key(hrot_tpm_curve_name(pub->curve), pt, 1 + 2 * n);
	ctx = EVP_PKEY_CTX_new(ek, NULL);
	assert_int_equal(EVP_PKEY_derive_init(ctx), 1);
	assert_int_equal(EVP_PKEY_derive_set_peer(ctx, eph), 1);
	assert_int_equal(EVP_PKEY_derive(ctx, z, &zlen), 1);
	assert_int_equal(hrot_kdfe(pub->name_alg, z, n, "IDENTITY", pt + 1, n,
				   pub->unique, n, (uint32_t)dsize * 8, seed), 0);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(eph);
	return dsize;
}

/* Check the HMAC, decrypt, and return the credential's length. */
static size_t unwrap(const struct hrot_tpm_public *pub, const uint8_t *seed,
		     size_t seed_len, const struct hrot_credential *c,
		     uint8_t *cred)
{
	const EVP_MD *md = pub->name_alg == HROT_ALG_SHA384 ? EVP_sha384() :
							      EVP_sha256();
	size_t d = (size_t)EVP_MD_get_size(md);
	const uint8_t *blob = c->id_object + 2, *enc = blob + 2 + d;
	size_t enc_len = c->id_object_len - 4 - d;
	uint8_t sym[32], hkey[48], mac[48], msg[256], plain[128];
	unsigned int mlen = 0;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0;

	assert_int_equal(blob[0] << 8 | blob[1], d);
	assert_int_equal(hrot_kdfa(pub->name_alg, seed, seed_len, "INTEGRITY",
				   NULL, 0, NULL, 0, (uint32_t)d * 8, hkey), 0);
	memcpy(msg, enc, enc_len);
	memcpy(msg + enc_len, name, sizeof(name));
	HMAC(md, hkey, (int)d, msg, enc_len + sizeof(name), mac, &mlen);
	assert_memory_equal(mac, blob + 2, d);
	assert_int_equal(hrot_kdfa(pub->name_alg, seed, seed_len, "STORAGE",
				   name, sizeof(name), NULL, 0, pub->sym_bits,
				   sym), 0);
	assert_int_equal(EVP_DecryptInit_ex(ctx, pub->sym_bits == 128 ?
					    EVP_aes_128_cfb128() :
					    EVP_aes_256_cfb128(), NULL, sym,
					    (const uint8_t[16]){ 0 }), 1);
	assert_int_equal(EVP_DecryptUpdate(ctx, plain, &n, enc, (int)enc_len), 1);
	EVP_CIPHER_CTX_free(ctx);
	assert_int_equal((plain[0] << 8 | plain[1]) + 2, enc_len);
	memcpy(cred, plain + 2, enc_len - 2);
	return enc_len - 2;
}

static void roundtrip(EVP_PKEY *k, uint16_t name_alg, uint16_t bits)
{
	struct hrot_tpm_public pub;
	struct hrot_credential c;
	uint8_t secret[40], seed[64], got[64];
	size_t seed_len, len;

	memset(secret, 0x3c, sizeof(secret));
	ek_from_key(k, &pub, name_alg, bits);
	assert_int_equal(hrot_make_credential(&pub, name, sizeof(name), secret,
					      sizeof(secret), &c), 0);
	seed_len = pub.type == HROT_TPM_ALG_RSA ? rsa_seed(k, &c, seed) :
						 ecc_seed(k, &pub, &c, seed);
	len = unwrap(&pub, seed, seed_len, &c, got);
	assert_int_equal(len, sizeof(secret));
	assert_memory_equal(got, secret, len);
}

static void test_ecc_p256(void **state)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");

	(void)state;
	roundtrip(k, HROT_ALG_SHA256, 128);
	EVP_PKEY_free(k);
}

static void test_ecc_p384(void **state)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");

	(void)state;
	roundtrip(k, HROT_ALG_SHA384, 256);
	EVP_PKEY_free(k);
}

static void test_rsa(void **state)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);

	(void)state;
	roundtrip(k, HROT_ALG_SHA256, 128);
	EVP_PKEY_free(k);
}

static void test_bad_args(void **state)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	struct hrot_tpm_public pub;
	struct hrot_credential c;
	uint8_t secret[65] = { 0 };

	(void)state;
	ek_from_key(k, &pub, HROT_ALG_SHA256, 128);
	assert_int_equal(hrot_make_credential(&pub, name, sizeof(name), secret,
					      65, &c), -EINVAL);
	assert_int_equal(hrot_make_credential(&pub, name, sizeof(name), secret,
					      0, &c), -EINVAL);
	assert_int_equal(hrot_make_credential(&pub, name, 1, secret, 1, &c),
			 -EINVAL);
	pub.sym_bits = 192;
	assert_int_equal(hrot_make_credential(&pub, name, sizeof(name), secret,
					      1, &c), -EINVAL);
	pub.sym_bits = 128;
	pub.curve = 0x0005;
	assert_int_equal(hrot_make_credential(&pub, name, sizeof(name), secret,
					      1, &c), -EOPNOTSUPP);
	pub.curve = HROT_TPM_ECC_NIST_P256;
	pub.unique[0] ^= 1;	/* off the curve */
	assert_int_equal(hrot_make_credential(&pub, name, sizeof(name), secret,
					      1, &c), -EINVAL);
	EVP_PKEY_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ecc_p256),
		cmocka_unit_test(test_ecc_p384),
		cmocka_unit_test(test_rsa),
		cmocka_unit_test(test_bad_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
