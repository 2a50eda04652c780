/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrot-verifier-loadgen: the load generator of `make bench-verifier`
 * (Documentation/performance.md, "Verifier").
 *
 * Each simulated device has a software TPM: an ECC P-256 EK and a
 * restricted-signing ECC P-256 AK whose private keys this process holds.
 * Nonces are issued by the server per request, so quotes cannot be made
 * in advance on swtpm; instead every quote is a TPMS_ATTEST built and
 * ECDSA-signed here exactly as a TPM would (TPM_GENERATED_VALUE,
 * TPM_ST_ATTEST_QUOTE, extraData = SHA-256(nonce || ephemeral key),
 * sha256:13, pcrDigest of the value the pre-made log replays to), so the
 * verifier does for it exactly the work it does for a real quote.
 */
#ifndef HROT_BENCH_H
#define HROT_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include <hrot/client.h>
#include <hrot/tpm.h>

#define BENCH_PCR		13
#define BENCH_LOG_EVENTS	16	/* files measured by the pre-made log */

/* ---- evlog.c: the pre-made event log (the same for every device) ------- */

struct bench_log {
	uint8_t *buf;			/* binary_measurements, module format */
	size_t len;
	uint8_t pcr[32];		/* the PCR 13 value it replays to */
};

int bench_log_make(unsigned int events, struct bench_log *out);
void bench_log_free(struct bench_log *log);

/* ---- softtpm.c: EK, AK, quote, ActivateCredential in software --------- */

struct soft_tpm {
	EVP_PKEY *ek;			/* private: ECC P-256 */
	EVP_PKEY *ak;			/* private: ECC P-256, ECDSA */
	struct hrot_tpm_public ek_pub;	/* the TCG default EK template */
	struct hrot_tpm_public ak_pub;	/* restricted signing, ECDSA/SHA-256 */
	uint8_t ak_name[HROT_DEVICE_NAME_SIZE];
	const struct bench_log *log;
	struct hrot_fingerprint fp;
};

/* Fill in the publics, the AK name and the fingerprint from the keys. */
int soft_tpm_init(struct soft_tpm *t, EVP_PKEY *ek, EVP_PKEY *ak,
		  const struct bench_log *log);
void soft_tpm_free(struct soft_tpm *t);

/* TPM2_Quote of sha256:13 over @qual into @out (attest, signature,
 * reported PCRs), as the TPM would. */
int soft_tpm_quote(struct soft_tpm *t, const uint8_t *qual, size_t qual_len,
		   struct hrot_wire_quote *out);

/* TPM2_ActivateCredential of a tpm2_makecredential file for @name. */
int soft_tpm_activate(EVP_PKEY *ek, const struct hrot_tpm_public *ek_pub,
		      const uint8_t *name, size_t name_len, const uint8_t *cred,
		      size_t cred_len, uint8_t *secret, size_t size,
		      size_t *secret_len);

/* The attester backend of libhrot-client over a struct soft_tpm. */
void soft_tpm_attester(struct soft_tpm *t, struct hrot_attester *out);

/* ---- devices.c: the simulated devices' state in a directory ------------ */

/* devN.pem: EK then AK private key (PEM); devN.meta: signed metadata. */
int device_create(const char *dir, unsigned int i);
int device_load(const char *dir, unsigned int i, const struct bench_log *log,
		struct soft_tpm *t);
int device_save_metadata(const char *dir, unsigned int i,
			 const struct hrot_metadata *m);
int device_load_metadata(const char *dir, unsigned int i,
			 struct hrot_metadata *m);
int write_file(const char *path, const void *buf, size_t len);
int read_file(const char *path, uint8_t **buf, size_t *len);

/* ---- load.c: N clients doing challenge + attest ------------------------ */

struct load_opts {
	const char *url, *ca, *token_pub, *dir;
	unsigned int clients;
	double duration, warmup;	/* seconds */
	double interval;		/* per client; 0: closed loop */
	bool new_connection;		/* one TLS connection per request */
	bool physical;			/* fetch a physical token first */
};

struct load_result {
	uint64_t ok, failed;
	double seconds;
	double per_s, p50_ms, p99_ms, max_ms;
	char first_error[400];
};

int load_run(const struct load_opts *o, const struct bench_log *log,
	     struct load_result *r);

/* ---- crypto_bound.c: only the cryptography of both sides --------------- */

/* Iterations per second of @threads threads for @seconds. */
int crypto_bound_run(unsigned int threads, double seconds,
		     const struct bench_log *log, double *per_s);

/* ---- helpers ------------------------------------------------------------ */

double now_s(void);
int sha256(const void *p, size_t len, uint8_t out[32]);

#endif /* HROT_BENCH_H */
