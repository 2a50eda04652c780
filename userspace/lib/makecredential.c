// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: TPM2_MakeCredential in software (Part 1, 24.4-24.5; seeds per
 * Annex B.10.3 for RSA and C.6.1 for ECC).
 *
 *   symKey   = KDFa(nameAlg, seed, "STORAGE", name, -, EK symmetric bits)
 *   encId    = AES-CFB(symKey, IV 0, u16 size || credential)
 *   hmacKey  = KDFa(nameAlg, seed, "INTEGRITY", -, -, digest bits)
 *   blob     = TPM2B(HMAC(hmacKey, encId || name)) || encId
 */
#include <errno.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <hrot/alg.h>
#include <hrot/credential.h>
#include <hrot/tpm_key.h>

#include "tpm_buf.h"

#define LABEL_IDENTITY	"IDENTITY"

struct seed {
	uint8_t bytes[HROT_MAX_DIGEST_SIZE];
	size_t len;
};

static int rsa_seed(EVP_PKEY *ek, const struct hrot_alg *alg, struct seed *s,
		    struct hrot_credential *out)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(ek, NULL);
	const EVP_MD *md = EVP_get_digestbyname(alg->evp_name);
	unsigned char *label = OPENSSL_memdup(LABEL_IDENTITY,
					      sizeof(LABEL_IDENTITY));
	size_t n = HROT_ENC_SECRET_MAX;
	int ret = -EIO;

	s->len = alg->digest_size;
	if (ctx && md && label && RAND_bytes(s->bytes, (int)s->len) == 1 &&
	    EVP_PKEY_encrypt_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
	    EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md) == 1 &&
	    EVP_PKEY_CTX_set0_rsa_oaep_label(ctx, label,
					     sizeof(LABEL_IDENTITY)) == 1) {
		label = NULL;	/* the context owns it now */
		if (EVP_PKEY_encrypt(ctx, out->secret + 2, &n, s->bytes,
				     s->len) == 1) {
			put_be16(out->secret, (uint16_t)n);
			out->secret_len = n + 2;
			ret = 0;
		}
	}
	OPENSSL_free(label);
	EVP_PKEY_CTX_free(ctx);
	return ret;
}

/* An ephemeral key on the EK's curve, its x and y, and Z with the EK. */
static int ecdh(EVP_PKEY *ek, const char *curve, size_t n, uint8_t *point,
		uint8_t *z)
{
	EVP_PKEY *eph = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
	EVP_PKEY_CTX *ctx = eph ? EVP_PKEY_CTX_new(eph, NULL) : NULL;
	size_t plen = 0, zlen = n;
	int ret = -EIO;

	if (ctx &&
	    EVP_PKEY_get_octet_string_param(eph, OSSL_PKEY_PARAM_PUB_KEY,
					    point, 1 + 2 * n, &plen) == 1 &&
	    plen == 1 + 2 * n && point[0] == 0x04 &&
	    EVP_PKEY_derive_init(ctx) == 1 &&
	    EVP_PKEY_derive_set_peer(ctx, ek) == 1 &&
	    EVP_PKEY_derive(ctx, z, &zlen) == 1 && zlen == n)
		ret = 0;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(eph);
	return ret;
}

static int ecc_seed(EVP_PKEY *ek, const struct hrot_tpm_public *pub,
		    const struct hrot_alg *alg, struct seed *s,
		    struct hrot_credential *out)
{
	size_t n = hrot_tpm_curve_size(pub->curve);
	uint8_t point[1 + 2 * HROT_TPM_MAX_ECC_BYTES];
	uint8_t z[HROT_TPM_MAX_ECC_BYTES];
	struct tpm_wr w;
	int ret;

	ret = ecdh(ek, hrot_tpm_curve_name(pub->curve), n, point, z);
	if (ret)
		return ret;
	s->len = alg->digest_size;
	ret = hrot_kdfe(pub->name_alg, z, n, LABEL_IDENTITY, point + 1, n,
			pub->unique, pub->unique_size, (uint32_t)s->len * 8,
			s->bytes);
	OPENSSL_cleanse(z, sizeof(z));
	if (ret)
		return ret;
	wr_init(&w, out->secret, sizeof(out->secret));
	wr_u16(&w, (uint16_t)(4 + 2 * n));
	wr_2b(&w, point + 1, (uint16_t)n);
	wr_2b(&w, point + 1 + n, (uint16_t)n);
	ret = wr_done(&w);
	if (ret < 0)
		return ret;
	out->secret_len = (size_t)ret;
	return 0;
}

static int aes_cfb(uint16_t bits, const uint8_t *key, const uint8_t *in,
		   size_t len, uint8_t *out)
{
	static const uint8_t iv[16];
	const EVP_CIPHER *c = bits == 128 ? EVP_aes_128_cfb128() :
			      bits == 256 ? EVP_aes_256_cfb128() : NULL;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, f = 0, ret = -EIO;

	if (!c)
		ret = -EINVAL;
	else if (ctx && EVP_EncryptInit_ex(ctx, c, NULL, key, iv) == 1 &&
		 EVP_EncryptUpdate(ctx, out, &n, in, (int)len) == 1 &&
		 EVP_EncryptFinal_ex(ctx, out + n, &f) == 1 &&
		 (size_t)n + (size_t)f == len)
		ret = 0;
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

struct wrap_in {
	const struct hrot_tpm_public *ek;
	const struct hrot_alg *alg;
	const uint8_t *name;
	size_t name_len;
	const uint8_t *cred;
	size_t cred_len;
};

/* HMAC(hmacKey, encIdentity || name) */
static int outer_hmac(const struct wrap_in *in, const uint8_t *key,
		      const uint8_t *enc, size_t enc_len, uint8_t *out,
		      unsigned int *len)
{
	uint8_t msg[2 + HROT_CREDENTIAL_MAX + HROT_TPM_MAX_NAME];

	memcpy(msg, enc, enc_len);
	memcpy(msg + enc_len, in->name, in->name_len);
	if (!HMAC(EVP_get_digestbyname(in->alg->evp_name), key,
		  in->alg->digest_size, msg, enc_len + in->name_len, out, len) ||
	    *len != in->alg->digest_size)
		return -EIO;
	return 0;
}

/* encIdentity and the outer HMAC into the TPM2B_ID_OBJECT. */
static int wrap(const struct wrap_in *in, const struct seed *s,
		struct hrot_credential *out)
{
	uint8_t sym[32], hkey[HROT_MAX_DIGEST_SIZE], plain[2 + 64];
	uint8_t *hmac = out->id_object + 4;
	uint8_t *enc = hmac + in->alg->digest_size;
	size_t enc_len = 2 + in->cred_len;
	unsigned int hlen = 0;
	int ret;

	ret = hrot_kdfa(in->ek->name_alg, s->bytes, s->len, "STORAGE",
			in->name, in->name_len, NULL, 0, in->ek->sym_bits, sym);
	if (!ret)
		ret = hrot_kdfa(in->ek->name_alg, s->bytes, s->len, "INTEGRITY",
				NULL, 0, NULL, 0,
				8u * in->alg->digest_size, hkey);
	put_be16(plain, (uint16_t)in->cred_len);
	memcpy(plain + 2, in->cred, in->cred_len);
	if (!ret)
		ret = aes_cfb(in->ek->sym_bits, sym, plain, enc_len, enc);
	OPENSSL_cleanse(sym, sizeof(sym));
	if (ret)
		return ret;
	ret = outer_hmac(in, hkey, enc, enc_len, hmac, &hlen);
	OPENSSL_cleanse(hkey, sizeof(hkey));
	put_be16(out->id_object + 2, (uint16_t)hlen);
	put_be16(out->id_object, (uint16_t)(2 + hlen + enc_len));
	out->id_object_len = 4 + hlen + enc_len;
	return ret;
}

static int ek_usable(const struct hrot_tpm_public *ek)
{
	if (ek->sym_alg != HROT_TPM_ALG_AES || ek->sym_mode != HROT_TPM_ALG_CFB ||
	    (ek->sym_bits != 128 && ek->sym_bits != 256))
		return -EINVAL;
	if (ek->type == HROT_TPM_ALG_ECC && !hrot_tpm_curve_name(ek->curve))
		return -EOPNOTSUPP;
	return 0;
}

int hrot_make_credential(const struct hrot_tpm_public *ek, const void *name,
			 size_t name_len, const void *cred, size_t cred_len,
			 struct hrot_credential *out)
{
	const struct wrap_in in = { ek, hrot_alg_find(ek->name_alg), name,
				    name_len, cred, cred_len };
	struct seed s;
	EVP_PKEY *pk;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!in.alg)
		return -EOPNOTSUPP;
	if (cred_len == 0 || cred_len > HROT_CREDENTIAL_MAX || name_len < 2 ||
	    name_len > HROT_TPM_MAX_NAME)
		return -EINVAL;
	ret = ek_usable(ek);
	if (ret)
		return ret;
	ret = hrot_tpm_public_to_pkey(ek, &pk);
	if (ret)
		return ret;
	ret = ek->type == HROT_TPM_ALG_RSA ? rsa_seed(pk, in.alg, &s, out) :
					     ecc_seed(pk, ek, in.alg, &s, out);
	EVP_PKEY_free(pk);
	if (!ret)
		ret = wrap(&in, &s, out);
	OPENSSL_cleanse(&s, sizeof(s));
	return ret;
}
