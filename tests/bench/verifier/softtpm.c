// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-verifier-loadgen: a software TPM for the simulated devices.
 *
 * The publics follow the TCG templates a real device uses (EK: the default
 * ECC P-256 EK template; AK: restricted signing, ECDSA with SHA-256), so the
 * verifier's registration and AK checks see what they see from a TPM.
 * Quotes are TPMS_ATTEST structures marshalled by libhrot and signed with
 * the AK here; activation undoes libhrot's MakeCredential (ECDH with the
 * EK, KDFe, KDFa, HMAC check, AES-128-CFB), checked once against
 * tpm2_activatecredential on swtpm by `loadgen selfcheck`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>

#include <hrot/credential.h>
#include <hrot/device.h>
#include <hrot/hex.h>

#include "bench.h"

#define ATTR_FIXED_TPM		0x00000002u
#define ATTR_FIXED_PARENT	0x00000010u
#define ATTR_SENSITIVE_ORIGIN	0x00000020u
#define ATTR_USER_WITH_AUTH	0x00000040u
#define ATTR_ADMIN_WITH_POLICY	0x00000080u
#define ATTR_NO_DA		0x00000400u
#define ATTR_RESTRICTED		0x00010000u
#define ATTR_DECRYPT		0x00020000u
#define ATTR_SIGN		0x00040000u
#define P256			32

/* TPM2_PolicySecret(TPM_RH_ENDORSEMENT): the EK templates' authPolicy. */
static const uint8_t ek_policy[32] = {
	0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xb3, 0xf8, 0x1a, 0x90, 0xcc,
	0x8d, 0x46, 0xa5, 0xd7, 0x24, 0xfd, 0x52, 0xd7, 0x6e, 0x06, 0x52,
	0x0b, 0x64, 0xf2, 0xa1, 0xda, 0x1b, 0x33, 0x14, 0x69, 0xaa,
};

static int ec_point(EVP_PKEY *k, struct hrot_tpm_public *p)
{
	BIGNUM *x = NULL, *y = NULL;
	int ret = -EIO;

	if (EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
	    EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1 &&
	    BN_bn2binpad(x, p->unique, P256) == P256 &&
	    BN_bn2binpad(y, p->y, P256) == P256) {
		p->unique_size = P256;
		p->y_size = P256;
		ret = 0;
	}
	BN_free(x);
	BN_free(y);
	return ret;
}

static void ecc_template(struct hrot_tpm_public *p, uint32_t attributes)
{
	memset(p, 0, sizeof(*p));
	p->type = HROT_TPM_ALG_ECC;
	p->name_alg = HROT_ALG_SHA256;
	p->attributes = attributes;
	p->sym_alg = HROT_TPM_ALG_NULL;
	p->scheme = HROT_TPM_ALG_NULL;
	p->curve = HROT_TPM_ECC_NIST_P256;
	p->kdf = HROT_TPM_ALG_NULL;
}

static int make_publics(struct soft_tpm *t)
{
	ecc_template(&t->ek_pub, ATTR_FIXED_TPM | ATTR_FIXED_PARENT |
		     ATTR_SENSITIVE_ORIGIN | ATTR_ADMIN_WITH_POLICY |
		     ATTR_RESTRICTED | ATTR_DECRYPT);
	memcpy(t->ek_pub.auth_policy, ek_policy, sizeof(ek_policy));
	t->ek_pub.auth_policy_size = sizeof(ek_policy);
	t->ek_pub.sym_alg = HROT_TPM_ALG_AES;
	t->ek_pub.sym_bits = 128;
	t->ek_pub.sym_mode = HROT_TPM_ALG_CFB;
	ecc_template(&t->ak_pub, ATTR_FIXED_TPM | ATTR_FIXED_PARENT |
		     ATTR_SENSITIVE_ORIGIN | ATTR_USER_WITH_AUTH | ATTR_NO_DA |
		     ATTR_RESTRICTED | ATTR_SIGN);
	t->ak_pub.scheme = HROT_TPM_ALG_ECDSA;
	t->ak_pub.scheme_hash = HROT_ALG_SHA256;
	if (ec_point(t->ek, &t->ek_pub) || ec_point(t->ak, &t->ak_pub))
		return -EIO;
	if (hrot_tpm_name(&t->ak_pub, t->ak_name, sizeof(t->ak_name)) !=
	    HROT_DEVICE_NAME_SIZE)
		return -EIO;
	return 0;
}

static int add_component(struct hrot_fingerprint *fp, uint32_t id,
			 const char *value)
{
	struct hrot_fp_component *c = &fp->components[fp->nr_components++];

	c->id = id;
	c->flags = HROT_FP_PRESENT;
	snprintf(c->value, sizeof(c->value), "%s", value);
	return sha256(value, strlen(value), c->digest);
}

/* A machine of its own per device: its product UUID from the AK name. */
static int make_fingerprint(struct soft_tpm *t)
{
	struct hrot_fingerprint *fp = &t->fp;
	char uuid[33];
	int ret;

	memset(fp, 0, sizeof(*fp));
	fp->size = sizeof(*fp);
	fp->version = HROT_STRUCT_VERSION;
	hrot_hex_encode(t->ak_name + 2, 16, uuid, sizeof(uuid));
	ret = add_component(fp, HROT_FP_SYS_VENDOR, "hrot-bench");
	if (!ret)
		ret = add_component(fp, HROT_FP_PRODUCT_NAME, "soft-tpm-device");
	if (!ret)
		ret = add_component(fp, HROT_FP_PRODUCT_UUID, uuid);
	if (!ret)
		ret = add_component(fp, HROT_FP_TPM_EK, "ecc-nist-p256");
	if (!ret)
		ret = hrot_fingerprint_digest(fp, fp->digest);
	return ret;
}

int soft_tpm_init(struct soft_tpm *t, EVP_PKEY *ek, EVP_PKEY *ak,
		  const struct bench_log *log)
{
	int ret;

	memset(t, 0, sizeof(*t));
	t->ek = ek;
	t->ak = ak;
	t->log = log;
	ret = make_publics(t);
	if (!ret)
		ret = make_fingerprint(t);
	return ret;
}

void soft_tpm_free(struct soft_tpm *t)
{
	EVP_PKEY_free(t->ek);
	EVP_PKEY_free(t->ak);
	memset(t, 0, sizeof(*t));
}

/* ECDSA over SHA-256(@msg), r and s as the TPM returns them (32 bytes). */
static int ecdsa_sign(EVP_PKEY *key, const uint8_t *msg, size_t len,
		      struct hrot_tpm_signature *sig)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t der[80];
	const uint8_t *p = der;
	size_t der_len = sizeof(der);
	ECDSA_SIG *es = NULL;
	const BIGNUM *r, *s;
	int ret = -EIO;

	if (md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
	    EVP_DigestSign(md, der, &der_len, msg, len) == 1)
		es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	if (es) {
		ECDSA_SIG_get0(es, &r, &s);
		memset(sig, 0, sizeof(*sig));
		sig->sig_alg = HROT_TPM_ALG_ECDSA;
		sig->hash = HROT_ALG_SHA256;
		sig->r_size = P256;
		sig->s_size = P256;
		if (BN_bn2binpad(r, sig->r, P256) == P256 &&
		    BN_bn2binpad(s, sig->s, P256) == P256)
			ret = 0;
	}
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);
	return ret;
}

/* The TPM's clock: milliseconds, never going backwards across runs. */
static uint64_t tpm_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void fill_attest(const struct soft_tpm *t, const uint8_t *qual,
			size_t qual_len, struct hrot_tpm_attest *at)
{
	memset(at, 0, sizeof(*at));
	at->magic = HROT_TPM_GENERATED_VALUE;
	at->type = HROT_TPM_ST_ATTEST_QUOTE;
	/* qualifiedSigner: the AK's qualified name, the size of a name. */
	at->signer_size = HROT_DEVICE_NAME_SIZE;
	memcpy(at->signer, t->ak_name, HROT_DEVICE_NAME_SIZE);
	at->extra_size = (uint16_t)qual_len;
	memcpy(at->extra, qual, qual_len);
	at->clock = tpm_clock();
	at->reset_count = 1;
	at->restart_count = 0;
	at->safe = 1;
	at->firmware_version = 0x2019102400163636ull;
	at->pcr_select.count = 1;
	at->pcr_select.banks[0].hash = HROT_ALG_SHA256;
	at->pcr_select.banks[0].size_of_select = 3;
	at->pcr_select.banks[0].mask = 1u << BENCH_PCR;
	at->pcr_digest_size = 32;
}

int soft_tpm_quote(struct soft_tpm *t, const uint8_t *qual, size_t qual_len,
		   struct hrot_wire_quote *out)
{
	uint8_t attest[HROT_EVIDENCE_MAX_TPM_BLOB], sig[256];
	struct hrot_tpm_signature ts;
	struct hrot_tpm_attest at;
	int alen, slen;

	memset(out, 0, sizeof(*out));
	if (qual_len > HROT_TPM_MAX_DIGEST)
		return -EINVAL;
	fill_attest(t, qual, qual_len, &at);
	if (sha256(t->log->pcr, 32, at.pcr_digest))
		return -EIO;
	alen = hrot_tpm_attest_marshal(&at, attest, sizeof(attest));
	if (alen < 0)
		return alen;
	if (ecdsa_sign(t->ak, attest, (size_t)alen, &ts))
		return -EIO;
	slen = hrot_tpm_signature_marshal(&ts, sig, sizeof(sig));
	if (slen < 0)
		return slen;
	out->attest = malloc((size_t)alen);
	out->signature = malloc((size_t)slen);
	if (!out->attest || !out->signature) {
		free(out->attest);
		free(out->signature);
		memset(out, 0, sizeof(*out));
		return -ENOMEM;
	}
	memcpy(out->attest, attest, (size_t)alen);
	out->attest_len = (size_t)alen;
	memcpy(out->signature, sig, (size_t)slen);
	out->signature_len = (size_t)slen;
	out->pcr_mask = 1u << BENCH_PCR;
	memcpy(out->pcrs[BENCH_PCR], t->log->pcr, 32);
	return 0;
}

/* ---- TPM2_ActivateCredential ------------------------------------------ */

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The sender's ephemeral point of TPM2B_ENCRYPTED_SECRET as a key. */
static EVP_PKEY *secret_point(const struct hrot_credential *c)
{
	const uint8_t *p = c->secret;
	uint8_t pt[1 + 2 * P256];
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *key = NULL;

	/* u16 size, u16 x size, x, u16 y size, y */
	if (c->secret_len != 2 + 2 + P256 + 2 + P256 ||
	    be16(p) != 4 + 2 * P256 || be16(p + 2) != P256 ||
	    be16(p + 4 + P256) != P256)
		return NULL;
	pt[0] = 0x04;
	memcpy(pt + 1, p + 4, P256);
	memcpy(pt + 1 + P256, p + 6 + P256, P256);
	params[0] = OSSL_PARAM_construct_utf8_string(
		OSSL_PKEY_PARAM_GROUP_NAME, (char *)"P-256", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
						      pt, sizeof(pt));
	params[2] = OSSL_PARAM_construct_end();
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (ctx && EVP_PKEY_fromdata_init(ctx) == 1)
		(void)EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
	EVP_PKEY_CTX_free(ctx);
	return key;
}

/* seed = KDFe(SHA-256, Z, "IDENTITY", ephemeral x, EK x) */
static int credential_seed(EVP_PKEY *ek, const struct hrot_tpm_public *ek_pub,
			   const struct hrot_credential *c, uint8_t seed[32])
{
	EVP_PKEY *peer = secret_point(c);
	EVP_PKEY_CTX *ctx = peer ? EVP_PKEY_CTX_new(ek, NULL) : NULL;
	uint8_t z[P256];
	size_t zlen = sizeof(z);
	int ret = -EINVAL;

	if (ctx && EVP_PKEY_derive_init(ctx) == 1 &&
	    EVP_PKEY_derive_set_peer(ctx, peer) == 1 &&
	    EVP_PKEY_derive(ctx, z, &zlen) == 1 && zlen == P256)
		ret = hrot_kdfe(HROT_ALG_SHA256, z, P256, "IDENTITY",
				c->secret + 4, P256, ek_pub->unique,
				ek_pub->unique_size, 256, seed);
	OPENSSL_cleanse(z, sizeof(z));
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	return ret;
}

/* HMAC(INTEGRITY key, encIdentity || name) must match, then decrypt. */
static int open_id_object(const struct hrot_credential *c, const uint8_t *seed,
			  const uint8_t *name, size_t name_len, uint8_t *plain,
			  size_t *plain_len)
{
	static const uint8_t iv[16];
	const uint8_t *id = c->id_object;
	uint8_t hkey[32], sym[16], mac[32], msg[HROT_ID_OBJECT_MAX + 68];
	size_t enc_len;
	unsigned int mlen = 0;
	EVP_CIPHER_CTX *cx;
	int n = 0, ret = -EACCES;

	if (c->id_object_len < 4 + 32 + 2 || be16(id) != c->id_object_len - 2 ||
	    be16(id + 2) != 32 || name_len > 68)
		return -EINVAL;
	enc_len = c->id_object_len - 4 - 32;
	if (hrot_kdfa(HROT_ALG_SHA256, seed, 32, "INTEGRITY", NULL, 0, NULL, 0,
		      256, hkey) ||
	    hrot_kdfa(HROT_ALG_SHA256, seed, 32, "STORAGE", name, name_len,
		      NULL, 0, 128, sym))
		return -EIO;
	memcpy(msg, id + 36, enc_len);
	memcpy(msg + enc_len, name, name_len);
	if (HMAC(EVP_sha256(), hkey, 32, msg, enc_len + name_len, mac, &mlen) &&
	    mlen == 32 && CRYPTO_memcmp(mac, id + 4, 32) == 0)
		ret = 0;
	cx = ret ? NULL : EVP_CIPHER_CTX_new();
	if (!ret && !(cx && EVP_DecryptInit_ex(cx, EVP_aes_128_cfb128(), NULL,
					       sym, iv) == 1 &&
		      EVP_DecryptUpdate(cx, plain, &n, id + 36,
					(int)enc_len) == 1 &&
		      (size_t)n == enc_len))
		ret = -EIO;
	*plain_len = enc_len;
	EVP_CIPHER_CTX_free(cx);
	OPENSSL_cleanse(hkey, sizeof(hkey));
	OPENSSL_cleanse(sym, sizeof(sym));
	return ret;
}

int soft_tpm_activate(EVP_PKEY *ek, const struct hrot_tpm_public *ek_pub,
		      const uint8_t *name, size_t name_len, const uint8_t *cred,
		      size_t cred_len, uint8_t *secret, size_t size,
		      size_t *secret_len)
{
	struct hrot_credential c;
	struct hrot_tpm_diag diag;
	uint8_t seed[32], plain[HROT_ID_OBJECT_MAX];
	size_t plen = 0, n;
	int ret;

	ret = hrot_credential_file_read(cred, cred_len, &c, &diag);
	if (ret)
		return -EINVAL;
	ret = credential_seed(ek, ek_pub, &c, seed);
	if (!ret)
		ret = open_id_object(&c, seed, name, name_len, plain, &plen);
	OPENSSL_cleanse(seed, sizeof(seed));
	/* TPM2B_DIGEST: u16 size, the credential */
	if (!ret && (plen < 2 || (n = be16(plain)) != plen - 2 || n > size))
		ret = -EINVAL;
	if (!ret) {
		memcpy(secret, plain + 2, n);
		*secret_len = n;
	}
	OPENSSL_cleanse(plain, sizeof(plain));
	return ret;
}

/* ---- the attester backend ---------------------------------------------- */

static int op_identity(void *ctx, struct hrot_attester_identity *out)
{
	struct soft_tpm *t = ctx;
	uint8_t buf[HROT_TPM_MAX_PUBLIC + 2];
	int n;

	memset(out, 0, sizeof(*out));
	n = hrot_tpm2b_public_marshal(&t->ek_pub, buf, sizeof(buf));
	if (n > 0 && (out->ek_public = malloc((size_t)n)))
		memcpy(out->ek_public, buf, (size_t)n);
	out->ek_public_len = n > 0 ? (size_t)n : 0;
	n = hrot_tpm2b_public_marshal(&t->ak_pub, buf, sizeof(buf));
	if (n > 0 && (out->ak_public = malloc((size_t)n)))
		memcpy(out->ak_public, buf, (size_t)n);
	out->ak_public_len = n > 0 ? (size_t)n : 0;
	memcpy(out->ak_name, t->ak_name, sizeof(out->ak_name));
	if (!out->ek_public || !out->ak_public) {
		hrot_attester_identity_free(out);
		return -ENOMEM;
	}
	return 0;
}

static int op_fingerprint(void *ctx, struct hrot_fingerprint *out)
{
	const struct soft_tpm *t = ctx;

	memcpy(out, &t->fp, sizeof(*out));
	return 0;
}

static int op_quote(void *ctx, uint32_t pcr_mask, const uint8_t *qual,
		    size_t qual_len, struct hrot_wire_quote *out)
{
	if (pcr_mask != 1u << BENCH_PCR)
		return -EOPNOTSUPP;	/* the log extends PCR 13 only */
	return soft_tpm_quote(ctx, qual, qual_len, out);
}

static int op_activate(void *ctx, const uint8_t *cred, size_t cred_len,
		       uint8_t *secret, size_t size, size_t *secret_len)
{
	const struct soft_tpm *t = ctx;

	return soft_tpm_activate(t->ek, &t->ek_pub, t->ak_name,
				 sizeof(t->ak_name), cred, cred_len, secret,
				 size, secret_len);
}

static int op_event_log(void *ctx, uint8_t **buf, size_t *len)
{
	const struct soft_tpm *t = ctx;

	*buf = malloc(t->log->len);
	if (!*buf)
		return -ENOMEM;
	memcpy(*buf, t->log->buf, t->log->len);
	*len = t->log->len;
	return 0;
}

static void op_close(void *ctx)
{
	(void)ctx;	/* the device outlives its client */
}

static const struct hrot_attester_ops soft_ops = {
	.identity = op_identity,
	.fingerprint = op_fingerprint,
	.quote = op_quote,
	.activate_credential = op_activate,
	.event_log = op_event_log,
	.close = op_close,
};

void soft_tpm_attester(struct soft_tpm *t, struct hrot_attester *out)
{
	out->ops = &soft_ops;
	out->ctx = t;
}
