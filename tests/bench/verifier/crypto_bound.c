// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-verifier-loadgen: the crypto bound.  One iteration is the
 * cryptography of one attestation on both sides, with libhrot's own
 * functions (the ones the device client and the verifier call), and
 * nothing else: no TLS, no HTTP, no JSON, no store.
 *
 *   device: ephemeral P-256 key, qualifying data, quote (TPMS_ATTEST
 *           marshalled, ECDSA-signed by the AK), then the token verified
 *           and the secret unsealed (ECDH + HKDF + AES-256-GCM)
 *   server: metadata signature verified, quote verified (AK key from its
 *           TPMT_PUBLIC, ECDSA verify, SHA-256s), log parsed, each record's
 *           digest checked and replayed (SHA-256s), volume secret opened
 *           from the vault (AES-256-GCM), token signed (ECDSA), secret
 *           sealed to the ephemeral key (P-256 key, ECDH + HKDF + GCM)
 *
 * Each step's result is checked, so the loop cannot be faster by failing.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include <hrot/eventlog.h>
#include <hrot/quote.h>
#include <hrot/replay.h>
#include <hrot/seal.h>
#include <hrot/token.h>

#include "bench.h"

struct fixture {
	struct soft_tpm tpm;
	EVP_PKEY *token_key;		/* the verifier's signing key */
	struct hrot_metadata meta;
	uint8_t vault_key[32], vault_iv[12], sealed[32], tag[16];
	uint8_t secret[32];
	struct hrot_pcr_selection sel;
};

struct crypto_worker {
	const struct bench_log *log;
	double end;
	uint64_t iterations;
	int err;
};

static int gcm(bool enc, const uint8_t *key, const uint8_t *iv,
	       const uint8_t *aad, size_t aad_len, const uint8_t *in,
	       uint8_t *out, uint8_t tag[16])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, ok;

	ok = c && EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, key, iv,
				    enc) == 1 &&
	     (enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag)) &&
	     EVP_CipherUpdate(c, NULL, &n, aad, (int)aad_len) == 1 &&
	     EVP_CipherUpdate(c, out, &n, in, 32) == 1 &&
	     EVP_CipherFinal_ex(c, out + n, &n) == 1 &&
	     (!enc || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag));
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -EIO;
}

static int fixture_init(struct fixture *f, const struct bench_log *log)
{
	EVP_PKEY *ek = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	EVP_PKEY *ak = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");

	memset(f, 0, sizeof(*f));
	f->token_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (!ek || !ak || !f->token_key) {
		EVP_PKEY_free(ek);
		EVP_PKEY_free(ak);
		return -EIO;
	}
	if (soft_tpm_init(&f->tpm, ek, ak, log))
		return -EIO;
	memcpy(f->meta.device, f->tpm.ak_name, HROT_DEVICE_NAME_SIZE);
	f->meta.created_at = (int64_t)time(NULL);
	if (RAND_bytes(f->meta.instance, sizeof(f->meta.instance)) != 1 ||
	    RAND_bytes(f->vault_key, 32) != 1 ||
	    RAND_bytes(f->vault_iv, 12) != 1 ||
	    RAND_bytes(f->secret, 32) != 1 ||
	    hrot_metadata_sign(&f->meta, f->token_key) ||
	    gcm(true, f->vault_key, f->vault_iv, f->tpm.ak_name,
		HROT_DEVICE_NAME_SIZE, f->secret, f->sealed, f->tag))
		return -EIO;
	return hrot_pcr_selection_parse("sha256:13", &f->sel);
}

static void fixture_free(struct fixture *f)
{
	soft_tpm_free(&f->tpm);
	EVP_PKEY_free(f->token_key);
}

/* The server's log work: parse, per-record digests, replay. */
static int server_log(const struct bench_log *log)
{
	struct hrot_log *l = NULL;
	struct hrot_replay *rp = NULL;
	int ret;

	ret = hrot_log_parse(log->buf, log->len, &l, NULL);
	if (!ret)
		ret = hrot_log_verify(l, NULL);
	if (!ret)
		ret = hrot_log_replay(l, &rp);
	hrot_replay_free(rp);
	hrot_log_free(l);
	return ret;
}

static int server_release(struct fixture *f, const uint8_t *nonce,
			  const uint8_t *eph_pub, const uint8_t *qual,
			  struct hrot_token *tok, uint8_t **blob,
			  size_t *blob_len)
{
	int64_t now = (int64_t)time(NULL);
	uint8_t secret[32];

	memset(tok, 0, sizeof(*tok));
	tok->kind = HROT_TOKEN_KIND_RELEASE;
	tok->verdict = HROT_VERDICT_PASS;
	memcpy(tok->device, f->tpm.ak_name, HROT_DEVICE_NAME_SIZE);
	memcpy(tok->nonce, nonce, HROT_NONCE_SIZE);
	memcpy(tok->qualifying, qual, HROT_NONCE_SIZE);
	tok->issued_at = (uint64_t)now;
	tok->expires_at = (uint64_t)now + 300;
	if (RAND_bytes(tok->token_id, sizeof(tok->token_id)) != 1 ||
	    hrot_token_sign(tok, f->token_key) ||
	    gcm(false, f->vault_key, f->vault_iv, f->tpm.ak_name,
		HROT_DEVICE_NAME_SIZE, f->sealed, secret, f->tag))
		return -EIO;
	return hrot_seal(eph_pub, qual, tok, sizeof(*tok), secret, 32, blob,
			 blob_len);
}

static int server_appraise(struct fixture *f, const uint8_t *qual,
			   const struct hrot_wire_quote *q,
			   const struct bench_log *log)
{
	struct hrot_quote_result res;
	char err[128];

	if (hrot_metadata_verify(&f->meta, f->token_key, (int64_t)time(NULL),
				 err, sizeof(err)) != HROT_SIGNED_OK)
		return -EACCES;
	if (hrot_quote_verify_tpm(&f->tpm.ak_pub, q->attest, q->attest_len,
				  q->signature, q->signature_len, qual, 32,
				  &f->sel, q->pcrs[BENCH_PCR], 32,
				  &res) != HROT_QUOTE_OK)
		return -EACCES;
	return server_log(log);
}

static int device_finish(struct fixture *f, EVP_PKEY *eph, const uint8_t *qual,
			 const struct hrot_token *tok, const uint8_t *blob,
			 size_t blob_len)
{
	uint8_t secret[64];
	size_t len = 0;
	char err[128];

	if (hrot_token_verify(tok, f->token_key, (int64_t)time(NULL), err,
			      sizeof(err)) != HROT_SIGNED_OK)
		return -EACCES;
	if (hrot_unseal(eph, qual, tok, sizeof(*tok), blob, blob_len, secret,
			sizeof(secret), &len))
		return -EIO;
	return len == 32 && memcmp(secret, f->secret, 32) == 0 ? 0 : -EIO;
}

static int one_attestation(struct fixture *f, const struct bench_log *log)
{
	uint8_t nonce[HROT_NONCE_SIZE], pub[HROT_SEAL_POINT_SIZE], qual[32];
	struct hrot_wire_quote q;
	struct hrot_token tok;
	EVP_PKEY *eph = NULL;
	uint8_t *blob = NULL;
	size_t blob_len = 0;
	int ret;

	if (RAND_bytes(nonce, sizeof(nonce)) != 1 ||		/* server */
	    hrot_ephemeral_keygen(&eph, pub) ||			/* device */
	    hrot_qualifying_data(nonce, sizeof(nonce), pub, sizeof(pub), qual))
		ret = -EIO;
	else
		ret = soft_tpm_quote(&f->tpm, qual, sizeof(qual), &q);
	if (ret) {
		EVP_PKEY_free(eph);
		return ret;
	}
	ret = server_appraise(f, qual, &q, log);
	if (!ret)
		ret = server_release(f, nonce, pub, qual, &tok, &blob,
				     &blob_len);
	if (!ret)
		ret = device_finish(f, eph, qual, &tok, blob, blob_len);
	free(blob);
	free(q.attest);
	free(q.signature);
	EVP_PKEY_free(eph);
	return ret;
}

static void *crypto_main(void *arg)
{
	struct crypto_worker *w = arg;
	struct fixture f;

	w->err = fixture_init(&f, w->log);
	while (!w->err && now_s() < w->end) {
		w->err = one_attestation(&f, w->log);
		if (!w->err)
			w->iterations++;
	}
	fixture_free(&f);
	return NULL;
}

int crypto_bound_run(unsigned int threads, double seconds,
		     const struct bench_log *log, double *per_s)
{
	struct crypto_worker *w = calloc(threads, sizeof(*w));
	pthread_t *tid = calloc(threads, sizeof(*tid));
	double start = now_s(), end;
	uint64_t total = 0;
	unsigned int i;
	int ret = 0;

	if (!w || !tid) {
		free(w);
		free(tid);
		return -ENOMEM;
	}
	for (i = 0; i < threads; i++) {
		w[i] = (struct crypto_worker){ .log = log,
					       .end = start + seconds };
		if (pthread_create(&tid[i], NULL, crypto_main, &w[i]))
			abort();
	}
	for (i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		total += w[i].iterations;
		if (w[i].err && !ret)
			ret = w[i].err;
	}
	end = now_s();
	*per_s = (double)total / (end - start);
	free(w);
	free(tid);
	return ret;
}
