// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: verifying a TPM2_Quote against the AK, the verifier's nonce,
 * the PCR selection it asked for and the PCR values it was given.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/ecdsa.h>
#include <openssl/rsa.h>

#include <hrot/alg.h>
#include <hrot/quote.h>
#include <hrot/tpm_key.h>

static enum hrot_quote_status say(struct hrot_quote_result *res,
				  enum hrot_quote_status st,
				  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum hrot_quote_status say(struct hrot_quote_result *res,
				  enum hrot_quote_status st,
				  const char *fmt, ...)
{
	va_list ap;

	res->status = st;
	va_start(ap, fmt);
	vsnprintf(res->msg, sizeof(res->msg), fmt, ap);
	va_end(ap);
	return st;
}

const char *hrot_quote_status_name(enum hrot_quote_status status)
{
	static const char *const names[] = {
		[HROT_QUOTE_OK] = "ok",
		[HROT_QUOTE_MALFORMED] = "malformed",
		[HROT_QUOTE_BAD_KEY] = "bad key",
		[HROT_QUOTE_BAD_SIGNATURE] = "bad signature",
		[HROT_QUOTE_BAD_MAGIC] = "bad magic",
		[HROT_QUOTE_BAD_TYPE] = "bad type",
		[HROT_QUOTE_NONCE_MISMATCH] = "nonce mismatch",
		[HROT_QUOTE_PCR_SELECTION_MISMATCH] = "PCR selection mismatch",
		[HROT_QUOTE_PCR_DIGEST_MISMATCH] = "PCR digest mismatch",
		[HROT_QUOTE_ERROR] = "internal error",
	};

	if ((unsigned int)status >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[status];
}

/* ECDSA r, s as the DER SEQUENCE OpenSSL verifies. */
static int ecdsa_der(const struct hrot_tpm_signature *s, unsigned char **der)
{
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(s->r, s->r_size, NULL);
	BIGNUM *sv = BN_bin2bn(s->s, s->s_size, NULL);
	int n = -1;

	if (es && r && sv && ECDSA_SIG_set0(es, r, sv) == 1) {
		r = NULL;
		sv = NULL;
		*der = NULL;
		n = i2d_ECDSA_SIG(es, der);
	}
	BN_free(r);
	BN_free(sv);
	ECDSA_SIG_free(es);
	return n;
}

/* 1 valid, 0 not, -1 the key and scheme disagree or OpenSSL failed. */
static int verify_raw(EVP_PKEY *ak, const struct hrot_tpm_signature *s,
		      const EVP_MD *md, const void *msg, size_t len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	unsigned char *der = NULL;
	int n = -1, ok = -1;

	if (s->sig_alg == HROT_TPM_ALG_ECDSA) {
		if (EVP_PKEY_is_a(ak, "EC"))
			n = ecdsa_der(s, &der);
	} else if (EVP_PKEY_is_a(ak, "RSA")) {
		n = s->r_size;
	}
	if (ctx && n > 0 &&
	    EVP_DigestVerifyInit(ctx, &pctx, md, NULL, ak) == 1 &&
	    (s->sig_alg != HROT_TPM_ALG_RSAPSS ||
	     EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1))
		ok = EVP_DigestVerify(ctx, der ? der : s->r, (size_t)n, msg,
				      len) == 1;
	OPENSSL_free(der);
	EVP_MD_CTX_free(ctx);
	return ok;
}

static enum hrot_quote_status check_signature(EVP_PKEY *ak,
					      const struct hrot_tpm_signature *s,
					      const void *msg, size_t len,
					      struct hrot_quote_result *res)
{
	const struct hrot_alg *alg = hrot_alg_find(s->hash);
	const EVP_MD *md;
	int ok;

	if (s->sig_alg != HROT_TPM_ALG_ECDSA &&
	    s->sig_alg != HROT_TPM_ALG_RSASSA &&
	    s->sig_alg != HROT_TPM_ALG_RSAPSS)
		return say(res, HROT_QUOTE_BAD_KEY,
			   "signature scheme 0x%04x is not ECDSA, RSASSA or RSAPSS",
			   s->sig_alg);
	md = alg ? EVP_get_digestbyname(alg->evp_name) : NULL;
	if (!md)
		return say(res, HROT_QUOTE_BAD_KEY,
			   "signature hash 0x%04x is not available", s->hash);
	ok = verify_raw(ak, s, md, msg, len);
	if (ok < 0)
		return say(res, HROT_QUOTE_BAD_KEY,
			   "the AK cannot check a signature of scheme 0x%04x",
			   s->sig_alg);
	if (!ok)
		return say(res, HROT_QUOTE_BAD_SIGNATURE,
			   "the signature is not the AK's over the attest bytes");
	return HROT_QUOTE_OK;
}

static enum hrot_quote_status check_fields(const struct hrot_tpm_attest *a,
					   const void *nonce, size_t nonce_len,
					   const struct hrot_pcr_selection *want,
					   struct hrot_quote_result *res)
{
	if (a->magic != HROT_TPM_GENERATED_VALUE)
		return say(res, HROT_QUOTE_BAD_MAGIC,
			   "magic is 0x%08x, not TPM_GENERATED_VALUE 0x%08x",
			   a->magic, HROT_TPM_GENERATED_VALUE);
	if (a->type != HROT_TPM_ST_ATTEST_QUOTE)
		return say(res, HROT_QUOTE_BAD_TYPE,
			   "type is 0x%04x, not TPM_ST_ATTEST_QUOTE 0x%04x",
			   a->type, HROT_TPM_ST_ATTEST_QUOTE);
	if (a->extra_size != nonce_len ||
	    (nonce_len && memcmp(a->extra, nonce, nonce_len) != 0))
		return say(res, HROT_QUOTE_NONCE_MISMATCH,
			   "extraData (%u bytes) is not the expected qualifying data (%zu bytes)",
			   a->extra_size, nonce_len);
	if (want && !hrot_pcr_selection_equal(&a->pcr_select, want))
		return say(res, HROT_QUOTE_PCR_SELECTION_MISMATCH,
			   "the quote selects other PCRs than the ones expected");
	return HROT_QUOTE_OK;
}

/* Bytes of PCR values a selection needs, or 0 for an unknown bank. */
static size_t values_size(const struct hrot_pcr_selection *sel)
{
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < sel->count && i < HROT_TPM_MAX_BANKS; i++) {
		const struct hrot_alg *alg = hrot_alg_find(sel->banks[i].hash);

		if (!alg)
			return 0;
		n += (size_t)__builtin_popcount(sel->banks[i].mask) *
		     alg->digest_size;
	}
	return n;
}

static enum hrot_quote_status check_digest(const struct hrot_tpm_attest *a,
					   uint16_t hash, const void *pcrs,
					   size_t len,
					   struct hrot_quote_result *res)
{
	uint8_t d[HROT_MAX_DIGEST_SIZE];
	size_t want = values_size(&a->pcr_select);
	int n;

	if (want == 0 || len != want)
		return say(res, HROT_QUOTE_PCR_DIGEST_MISMATCH,
			   "%zu bytes of PCR values given, the selection needs %zu",
			   len, want);
	n = hrot_digest(hash, pcrs, len, d, sizeof(d));
	if (n < 0)
		return say(res, HROT_QUOTE_ERROR, "cannot hash the PCR values");
	if (a->pcr_digest_size != (size_t)n ||
	    memcmp(a->pcr_digest, d, (size_t)n) != 0)
		return say(res, HROT_QUOTE_PCR_DIGEST_MISMATCH,
			   "pcrDigest is not the hash of the PCR values");
	return HROT_QUOTE_OK;
}

static enum hrot_quote_status parse(const void *attest, size_t attest_len,
				    const void *sig, size_t sig_len,
				    struct hrot_tpm_signature *s,
				    struct hrot_quote_result *res)
{
	struct hrot_tpm_diag diag;

	if (hrot_tpm_signature_unmarshal(sig, sig_len, s, &diag))
		return say(res, HROT_QUOTE_MALFORMED,
			   "TPMT_SIGNATURE at offset %zu: %s", diag.offset,
			   diag.msg);
	if (hrot_tpm_attest_unmarshal(attest, attest_len, &res->attest, &diag))
		return say(res, HROT_QUOTE_MALFORMED,
			   "TPMS_ATTEST at offset %zu: %s", diag.offset,
			   diag.msg);
	return HROT_QUOTE_OK;
}

enum hrot_quote_status
hrot_quote_verify(EVP_PKEY *ak, const void *attest, size_t attest_len,
		  const void *sig, size_t sig_len, const void *nonce,
		  size_t nonce_len, const struct hrot_pcr_selection *expected,
		  const void *pcrs, size_t pcrs_len,
		  struct hrot_quote_result *res)
{
	struct hrot_tpm_signature s;
	enum hrot_quote_status st;

	memset(res, 0, sizeof(*res));
	st = parse(attest, attest_len, sig, sig_len, &s, res);
	if (!st)
		st = check_signature(ak, &s, attest, attest_len, res);
	if (!st)
		st = check_fields(&res->attest, nonce, nonce_len, expected,
				  res);
	if (!st)
		st = check_digest(&res->attest, s.hash, pcrs, pcrs_len, res);
	if (!st)
		say(res, HROT_QUOTE_OK, "quote OK");
	return st;
}

enum hrot_quote_status
hrot_quote_verify_tpm(const struct hrot_tpm_public *ak, const void *attest,
		      size_t attest_len, const void *sig, size_t sig_len,
		      const void *nonce, size_t nonce_len,
		      const struct hrot_pcr_selection *expected,
		      const void *pcrs, size_t pcrs_len,
		      struct hrot_quote_result *res)
{
	EVP_PKEY *pkey;
	enum hrot_quote_status st;

	if (hrot_tpm_public_to_pkey(ak, &pkey)) {
		memset(res, 0, sizeof(*res));
		return say(res, HROT_QUOTE_BAD_KEY,
			   "the AK's TPMT_PUBLIC is not a usable key");
	}
	st = hrot_quote_verify(pkey, attest, attest_len, sig, sig_len, nonce,
			       nonce_len, expected, pcrs, pcrs_len, res);
	EVP_PKEY_free(pkey);
	return st;
}
