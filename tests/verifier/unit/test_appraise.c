// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the appraisal pipeline (verifier/server/appraise*.c) against
 * real evidence.  The group setup runs tests/verifier/fixtures/
 * make_evidence.sh: a log in the module's format written by testlog.c (not
 * libhrot), and quotes by a software TPM (swtpm + tpm2-tools) over a PCR 13
 * extended with that log's digests, bound to nonces issued by the real
 * challenge table.  Then every attack of the catalogue must be refused with
 * its own reason, and the good evidence must pass.
 *
 * The challenge table draws nonces from RAND_bytes(); to answer the same
 * quote more than once (every flipped bit is an attestation of its own),
 * this test defines RAND_bytes() and, only when armed, hands the table the
 * nonce the TPM quoted.  Unarmed it is OpenSSL's RAND_bytes_ex().
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <hrot/device.h>
#include <hrot/eventlog.h>
#include <hrot/hex.h>
#include <hrot/quote.h>
#include <hrot/token.h>

#include "appraise.h"

#define T0		1700000000
#define HROT_PCR	13
#define DEV_POLICY_ID	7

/* ---- RAND_bytes with a nonce to hand out ---------------------------- */

static const uint8_t *armed_nonce;

int RAND_bytes(unsigned char *buf, int num)
{
	if (armed_nonce && num == HROT_NONCE_SIZE) {
		memcpy(buf, armed_nonce, HROT_NONCE_SIZE);
		armed_nonce = NULL;
		return 1;
	}
	return RAND_bytes_ex(NULL, buf, (size_t)num, 0);
}

/* ---- the fixture ---------------------------------------------------- */

struct quote {
	uint8_t *msg, *sig;
	size_t msg_len, sig_len;
	uint32_t mask;
	uint8_t pcrs[HROT_PCR_COUNT][HROT_SHA256_SIZE];
};

struct blob {
	uint8_t *data;
	size_t len;
};

static struct {
	char dir[64];
	bool have_tpm;
	EVP_PKEY *signer, *other_signer;
	struct nonce_table *nonces;
	struct store_device dev;
	uint8_t dev_b[HROT_DEVICE_NAME_SIZE];
	struct store_policy policy;
	struct store_policy_entry entries[8];
	struct hrot_fingerprint fp;
	struct hrot_metadata meta;
	struct hrot_token pat;
	uint8_t eph[2][HROT_EPHEMERAL_KEY_SIZE];
	uint8_t n_good[HROT_NONCE_SIZE], n_multi[HROT_NONCE_SIZE];
	uint8_t n_phys[HROT_NONCE_SIZE];
	struct quote good, multi, other, nohrot, phys, forged;
	struct blob log, log_short, fw, fw_bad, ak_pub, key_pub;
} fx;

static void load(const char *name, struct blob *b)
{
	char path[256];
	FILE *f;
	long n = -1;

	snprintf(path, sizeof(path), "%s/%s", fx.dir, name);
	f = fopen(path, "rb");
	if (f && !fseek(f, 0, SEEK_END))
		n = ftell(f);
	if (!f || n < 0 || fseek(f, 0, SEEK_SET))
		fail_msg("cannot read %s", path);
	b->len = (size_t)n;
	b->data = malloc(b->len ? b->len : 1);
	assert_non_null(b->data);
	assert_int_equal(fread(b->data, 1, b->len, f), b->len);
	fclose(f);
}

static void sha256(const void *a, size_t alen, const void *b, size_t blen,
		   uint8_t out[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	assert_non_null(c);
	assert_true(EVP_DigestInit_ex(c, EVP_sha256(), NULL) &&
		    EVP_DigestUpdate(c, a, alen) &&
		    EVP_DigestUpdate(c, b, blen) &&
		    EVP_DigestFinal_ex(c, out, NULL));
	EVP_MD_CTX_free(c);
}

static void tohex(const uint8_t *b, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void load_quote(const char *name, struct quote *q)
{
	uint8_t values[HROT_PCR_COUNT * HROT_SHA256_SIZE];
	struct hrot_pcr_selection sel;
	struct hrot_tpm_diag diag;
	struct blob b;
	char file[64];
	size_t vlen, k = 0;
	unsigned int i;

	snprintf(file, sizeof(file), "%s.msg", name);
	load(file, &b);
	q->msg = b.data;
	q->msg_len = b.len;
	snprintf(file, sizeof(file), "%s.sig", name);
	load(file, &b);
	q->sig = b.data;
	q->sig_len = b.len;
	snprintf(file, sizeof(file), "%s.pcrs", name);
	load(file, &b);
	assert_int_equal(hrot_pcrs_file_read(b.data, b.len, &sel, values,
					     sizeof(values), &vlen, &diag), 0);
	free(b.data);
	assert_int_equal(sel.count, 1);
	assert_int_equal(sel.banks[0].hash, HROT_ALG_SHA256);
	q->mask = sel.banks[0].mask;
	for (i = 0; i < HROT_PCR_COUNT; i++)
		if (q->mask & (1u << i))
			memcpy(q->pcrs[i], values + 32 * k++, 32);
	assert_int_equal(vlen, 32 * k);
}

static void ec_point(uint8_t out[HROT_EPHEMERAL_KEY_SIZE])
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	size_t n = 0;

	assert_non_null(k);
	assert_true(EVP_PKEY_get_octet_string_param(k,
			OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out,
			HROT_EPHEMERAL_KEY_SIZE, &n));
	assert_int_equal(n, HROT_EPHEMERAL_KEY_SIZE);
	EVP_PKEY_free(k);
}

/* Run @argv (no shell); its exit status, or -1. */
static int run(const char *const argv[])
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* execvp() does not write to them; its type predates const */
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* make_evidence.sh STEP, next to this file's directory, bounded. */
static int run_script(const char *step)
{
	char script[1024], src[] = __FILE__;
	const char *argv[] = { "timeout", "120", script, step, fx.dir, NULL };

	snprintf(script, sizeof(script), "%s/../fixtures/make_evidence.sh",
		 dirname(src));
	return run(argv);
}

static void quote_line(FILE *f, const char *name, const char *key,
		       const char *pcrs, const uint8_t *nonce,
		       const void *binding, size_t len)
{
	uint8_t q[32];
	char h[65];

	sha256(nonce, HROT_NONCE_SIZE, binding, len, q);
	tohex(q, 32, h);
	fprintf(f, "%s %s %s %s\n", name, key, pcrs, h);
}

/* The quotes, their nonces issued first (as a verifier would). */
static void make_quotes(void)
{
	char path[128];
	FILE *f;

	assert_int_equal(RAND_bytes(fx.n_good, 32), 1);
	assert_int_equal(RAND_bytes(fx.n_multi, 32), 1);
	assert_int_equal(RAND_bytes(fx.n_phys, 32), 1);
	ec_point(fx.eph[0]);
	ec_point(fx.eph[1]);
	snprintf(path, sizeof(path), "%s/quotes.txt", fx.dir);
	f = fopen(path, "w");
	assert_non_null(f);
	/* the first one is also what the forgery copies */
	quote_line(f, "good", "ak", "sha256:13", fx.n_good, fx.eph[0], 65);
	quote_line(f, "multi", "ak", "sha256:0,7,13,16", fx.n_multi,
		   fx.eph[0], 65);
	quote_line(f, "other", "ak2", "sha256:13", fx.n_good, fx.eph[0], 65);
	quote_line(f, "nohrot", "ak", "sha256:0,16", fx.n_good, fx.eph[0], 65);
	quote_line(f, "phys", "ak", "sha256:13", fx.n_phys, fx.fp.digest, 32);
	assert_int_equal(fclose(f), 0);
}

static void load_policy(void)
{
	char path[128], line[512], h[65], name[128];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/components.txt", fx.dir);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct store_policy_entry *e = &fx.entries[n++];
		assert_true(n <= 8);
		assert_int_equal(sscanf(line, "%64s %127s", h, name), 2);
		memcpy(e->component, name, sizeof(name));
		snprintf(e->version, sizeof(e->version), "1.0");
		assert_int_equal(hrot_hex_decode(h, e->digest, 32), 0);
	}
	fclose(f);
	assert_int_equal(n, 3);
	fx.policy.id = DEV_POLICY_ID;
	snprintf(fx.policy.name, sizeof(fx.policy.name), "prod");
	snprintf(fx.policy.version, sizeof(fx.policy.version), "3");
	fx.policy.require_physical = true;
	fx.policy.nr_entries = n;
	fx.policy.entries = fx.entries;
}

static void load_fingerprint(void)
{
	struct blob fp;

	load("fp.bin", &fp);
	assert_int_equal(fp.len, sizeof(fx.fp));
	memcpy(&fx.fp, fp.data, sizeof(fx.fp));
	free(fp.data);
}

static void make_device(void)
{
	struct blob name;

	load("ak.name", &name);
	assert_int_equal(name.len, HROT_DEVICE_NAME_SIZE);
	memcpy(fx.dev.id, name.data, HROT_DEVICE_NAME_SIZE);
	free(name.data);
	load("ak2.name", &name);
	memcpy(fx.dev_b, name.data, HROT_DEVICE_NAME_SIZE);
	free(name.data);
	fx.dev.state = STORE_DEV_ENROLLED;
	fx.dev.enrolled = true;
	fx.dev.fingerprint = fx.fp;
	fx.dev.policy_id = DEV_POLICY_ID;
	assert_int_equal(RAND_bytes(fx.dev.instance, HROT_INSTANCE_ID_SIZE), 1);
	fx.dev.created_at = T0 - 1000;
}

static void sign_metadata(struct hrot_metadata *m, EVP_PKEY *key,
			  const uint8_t *device, const uint8_t *instance)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->instance, instance, HROT_INSTANCE_ID_SIZE);
	memcpy(m->device, device, HROT_DEVICE_NAME_SIZE);
	m->created_at = htole64((uint64_t)fx.dev.created_at);
	assert_int_equal(hrot_metadata_sign(m, key), 0);
}

static void sign_pat(struct hrot_token *t, EVP_PKEY *key, uint8_t kind,
		     const uint8_t *device, int64_t expires)
{
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->verdict = HROT_VERDICT_PASS;
	assert_int_equal(RAND_bytes(t->token_id, HROT_TOKEN_ID_SIZE), 1);
	memcpy(t->device, device, HROT_DEVICE_NAME_SIZE);
	memcpy(t->nonce, fx.n_phys, HROT_NONCE_SIZE);
	t->issued_at = htole64(T0);
	t->expires_at = htole64((uint64_t)expires);
	assert_int_equal(hrot_token_sign(t, key), 0);
}

/* tpm2_sign over the quote with its magic zeroed; PCRs as the quote's */
static void load_forged(void)
{
	struct blob b;

	load("forged.msg", &b);
	fx.forged.msg = b.data;
	fx.forged.msg_len = b.len;
	load("forged.sig", &b);
	fx.forged.sig = b.data;
	fx.forged.sig_len = b.len;
	fx.forged.mask = fx.good.mask;
	memcpy(fx.forged.pcrs, fx.good.pcrs, sizeof(fx.good.pcrs));
}

static int group_teardown(void **state);

static int setup_fixture(void)
{
	int rc;

	snprintf(fx.dir, sizeof(fx.dir), "/tmp/hrot-appraise.XXXXXX");
	if (!mkdtemp(fx.dir))
		return -1;
	if (run_script("log"))
		return -1;
	fx.signer = EVP_EC_gen("P-256");
	fx.other_signer = EVP_EC_gen("P-256");
	if (!fx.signer || !fx.other_signer)
		return -1;
	load_fingerprint();	/* it binds the physical quote */
	make_quotes();
	rc = run_script("tpm");
	if (rc == 77) {
		print_message("SKIP: swtpm or tpm2-tools missing: no real evidence, the TPM tests are skipped\n");
		return 0;
	}
	if (rc)
		return -1;
	load("ak.pub", &fx.ak_pub);
	load("key.pub", &fx.key_pub);
	load("log.bin", &fx.log);
	load("log_short.bin", &fx.log_short);
	load("fw.bin", &fx.fw);
	load("fw_bad.bin", &fx.fw_bad);
	load_quote("good", &fx.good);
	load_quote("multi", &fx.multi);
	load_quote("other", &fx.other);
	load_quote("nohrot", &fx.nohrot);
	load_quote("phys", &fx.phys);
	load_forged();
	make_device();
	fx.dev.ak_public = fx.ak_pub.data;
	fx.dev.ak_public_len = fx.ak_pub.len;
	load_policy();
	sign_metadata(&fx.meta, fx.signer, fx.dev.id, fx.dev.instance);
	sign_pat(&fx.pat, fx.signer, HROT_TOKEN_KIND_PHYSICAL, fx.dev.id,
		 T0 + 60);
	if (nonce_table_new(30, 64, &fx.nonces))
		return -1;
	fx.have_tpm = true;
	return 0;
}

/* A setup that fails is torn down here: cmocka does not call teardown. */
static int group_setup(void **state)
{
	int rc = setup_fixture();

	if (rc)
		group_teardown(state);
	return rc;
}

static void free_quote(struct quote *q)
{
	free(q->msg);
	free(q->sig);
}

static int group_teardown(void **state)
{
	(void)state;
	free_quote(&fx.good);
	free_quote(&fx.multi);
	free_quote(&fx.other);
	free_quote(&fx.nohrot);
	free_quote(&fx.phys);
	free_quote(&fx.forged);
	free(fx.log.data);
	free(fx.log_short.data);
	free(fx.fw.data);
	free(fx.fw_bad.data);
	free(fx.ak_pub.data);
	free(fx.key_pub.data);
	nonce_table_free(fx.nonces);
	EVP_PKEY_free(fx.signer);
	EVP_PKEY_free(fx.other_signer);
	if (fx.dir[0]) {
		const char *argv[] = { "rm", "-rf", fx.dir, NULL };

		if (run(argv))
			print_error("cannot remove %s\n", fx.dir);
	}
	return 0;
}

/* ---- one attestation ------------------------------------------------ */

/* Revoked token ids for the revocation callback. */
static uint8_t revoked_token[HROT_TOKEN_ID_SIZE];
static bool have_revoked;

static int token_revoked(void *arg, const uint8_t *id)
{
	(void)arg;
	return have_revoked && !memcmp(id, revoked_token, HROT_TOKEN_ID_SIZE);
}

static void need_tpm(void)
{
	if (!fx.have_tpm)
		skip();
}

static void init_ctx(struct appraise_ctx *ctx, const struct store_device *dev)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->dev = dev;
	ctx->policy = &fx.policy;
	ctx->nonces = fx.nonces;
	ctx->signer = fx.signer;
	ctx->token_revoked = token_revoked;
	ctx->hrot_pcr = HROT_PCR;
	ctx->now = T0 + 5;
}

/* The good request for @q: the eph key and nonce it was made for. */
static void init_req(struct hrot_attest_req *req, const struct quote *q,
		     const uint8_t *nonce)
{
	memset(req, 0, sizeof(*req));
	memcpy(req->device, fx.dev.id, HROT_DEVICE_NAME_SIZE);
	memcpy(req->nonce, nonce, HROT_NONCE_SIZE);
	req->metadata = fx.meta;
	memcpy(req->ephemeral_key, fx.eph[0], HROT_EPHEMERAL_KEY_SIZE);
	req->quote.attest = q->msg;
	req->quote.attest_len = q->msg_len;
	req->quote.signature = q->sig;
	req->quote.signature_len = q->sig_len;
	req->quote.pcr_mask = q->mask;
	memcpy(req->quote.pcrs, q->pcrs, sizeof(q->pcrs));
	req->event_log = fx.log.data;
	req->event_log_len = fx.log.len;
	req->fingerprint = fx.fp;
	req->has_physical_token = true;
	req->physical_token = fx.pat;
}

/* Put @nonce in the table for @device, as nonce_issue() gives it. */
static void issue(const uint8_t *device, const uint8_t *nonce, int64_t now)
{
	uint8_t got[HROT_NONCE_SIZE];

	armed_nonce = nonce;
	assert_int_equal(nonce_issue(fx.nonces, device, now, NULL, got), 0);
	assert_null(armed_nonce);
	assert_memory_equal(got, nonce, HROT_NONCE_SIZE);
}

/* The verdict; what a pass leaves for the commit is not looked at here. */
static enum appraise_reason attest(struct appraise_ctx *ctx,
				   const struct hrot_attest_req *req)
{
	enum appraise_reason r;

	issue(req->device, req->nonce, T0);
	r = appraise_attest(ctx, req);
	appraise_ctx_release(ctx);
	return r;
}

#define assert_reason(ctx, got, want) do {				\
	if ((got) != (want))						\
		fail_msg("reason %s (check %s: %s), want %s",		\
			 appraise_reason_code(got), (ctx)->check,	\
			 (ctx)->detail, appraise_reason_code(want));	\
	assert_int_equal((ctx)->reason, (want));			\
} while (0)

static void expect(const struct hrot_attest_req *req,
		   const struct store_device *dev, enum appraise_reason want)
{
	struct appraise_ctx ctx;
	enum appraise_reason r;

	init_ctx(&ctx, dev);
	r = attest(&ctx, req);
	assert_reason(&ctx, r, want);
}

/* ---- the good evidence ---------------------------------------------- */

static void test_good_passes(void **state)
{
	struct hrot_attest_req req;
	struct appraise_ctx ctx;
	uint8_t q[32];

	(void)state;
	need_tpm();
	init_req(&req, &fx.good, fx.n_good);
	init_ctx(&ctx, &fx.dev);
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_PASS);
	assert_string_equal(appraise_reason_code(ctx.reason), "pass");
	sha256(fx.n_good, 32, fx.eph[0], 65, q);
	assert_memory_equal(ctx.qualifying, q, 32);
	assert_int_equal(ctx.attest.magic, HROT_TPM_GENERATED_VALUE);
	assert_int_equal(ctx.attest.extra_size, 32);
	assert_memory_equal(ctx.attest.extra, q, 32);
	/* the challenge is spent */
	assert_int_equal(nonce_table_count(fx.nonces), 0);
}

static void test_more_pcrs_pass(void **state)
{
	struct hrot_attest_req req;

	(void)state;
	need_tpm();
	init_req(&req, &fx.multi, fx.n_multi);
	expect(&req, &fx.dev, APPRAISE_PASS);
	/* with the firmware log that extends PCR 16 */
	req.firmware_log = fx.fw.data;
	req.firmware_log_len = fx.fw.len;
	expect(&req, &fx.dev, APPRAISE_PASS);
}

/* ---- nonces ---------------------------------------------------------- */

static void test_replayed_nonce(void **state)
{
	struct hrot_attest_req req;
	struct appraise_ctx ctx;

	(void)state;
	need_tpm();
	init_req(&req, &fx.good, fx.n_good);
	init_ctx(&ctx, &fx.dev);
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_PASS);
	/* the same evidence again, without a new challenge */
	init_ctx(&ctx, &fx.dev);
	assert_reason(&ctx, appraise_attest(&ctx, &req), APPRAISE_NONCE_UNKNOWN);
	assert_string_equal(ctx.check, "nonce");
}

static void test_expired_nonce(void **state)
{
	struct hrot_attest_req req;
	struct appraise_ctx ctx;

	(void)state;
	need_tpm();
	init_req(&req, &fx.good, fx.n_good);
	init_ctx(&ctx, &fx.dev);
	ctx.now = T0 + 31;	/* lifetime 30 s */
	/* the token and metadata are still valid then: only the nonce is not */
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_NONCE_EXPIRED);
	assert_int_equal(nonce_table_count(fx.nonces), 0);
}

static void test_nonce_of_another_device(void **state)
{
	struct hrot_attest_req req;
	struct appraise_ctx ctx;

	(void)state;
	need_tpm();
	init_req(&req, &fx.good, fx.n_good);
	issue(fx.dev_b, fx.n_good, T0);
	init_ctx(&ctx, &fx.dev);
	assert_reason(&ctx, appraise_attest(&ctx, &req),
		      APPRAISE_NONCE_WRONG_DEVICE);
	/* B's challenge is left for B */
	assert_int_equal(nonce_consume(fx.nonces, fx.n_good, fx.dev_b, T0,
				       NULL), NONCE_OK);
}

/* ---- device state ------------------------------------------------------ */

/* Refused before the nonce check: the challenge is still there. */
static void expect_unspent(const struct hrot_attest_req *req,
			   const struct store_device *dev,
			   enum appraise_reason want, const char *detail)
{
	struct appraise_ctx ctx;

	init_ctx(&ctx, dev);
	assert_reason(&ctx, attest(&ctx, req), want);
	if (detail)
		assert_non_null(strstr(ctx.detail, detail));
	assert_int_equal(nonce_consume(fx.nonces, req->nonce, req->device, T0,
				       NULL), NONCE_OK);
}

static void test_device_states(void **state)
{
	struct store_device dev = fx.dev;
	struct hrot_attest_req req;

	(void)state;
	need_tpm();
	init_req(&req, &fx.good, fx.n_good);
	dev.state = STORE_DEV_PENDING;
	expect_unspent(&req, &dev, APPRAISE_DEVICE_PENDING, "pending");
	dev.state = STORE_DEV_APPROVED;
	expect_unspent(&req, &dev, APPRAISE_DEVICE_PENDING, "approved");
	dev.state = STORE_DEV_ENROLLED;
	dev.enrolled = false;
	expect_unspent(&req, &dev, APPRAISE_DEVICE_PENDING, "activation");
	dev.enrolled = true;
	dev.state = STORE_DEV_REVOKED;
	snprintf(dev.revoke_reason, sizeof(dev.revoke_reason), "stolen");
	expect_unspent(&req, &dev, APPRAISE_DEVICE_REVOKED, "stolen");
	expect_unspent(&req, NULL, APPRAISE_DEVICE_UNKNOWN, "not registered");
	assert_int_equal(nonce_table_count(fx.nonces), 0);
}

/* ---- metadata --------------------------------------------------------- */

static void test_metadata(void **state)
{
	struct hrot_attest_req req;
	uint8_t other[HROT_INSTANCE_ID_SIZE] = { 1, 2, 3 };

	(void)state;
	need_tpm();
	init_req(&req, &fx.good, fx.n_good);
	/* signed by another key */
	sign_metadata(&req.metadata, fx.other_signer, fx.dev.id,
		      fx.dev.instance);
	expect(&req, &fx.dev, APPRAISE_METADATA_INVALID);
	/* another device's, signed by the verifier */
	sign_metadata(&req.metadata, fx.signer, fx.dev_b, fx.dev.instance);
	expect(&req, &fx.dev, APPRAISE_METADATA_INVALID);
	/* an earlier instance of this device */
	sign_metadata(&req.metadata, fx.signer, fx.dev.id, other);
	expect(&req, &fx.dev, APPRAISE_METADATA_INVALID);
	/* a flipped signature bit */
	req.metadata = fx.meta;
	req.metadata.sig_s[5] ^= 0x10;
	expect(&req, &fx.dev, APPRAISE_METADATA_INVALID);
}

/* ---- the quote -------------------------------------------------------- */

static void test_other_ak(void **state)
{
	struct hrot_attest_req req;
	struct appraise_ctx ctx;

	(void)state;
	need_tpm();
	/* same qualifying data, same PCRs: only the AK differs */
	init_req(&req, &fx.other, fx.n_good);
	init_ctx(&ctx, &fx.dev);
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_QUOTE_SIGNATURE);
	assert_string_equal(ctx.check, "quote");
}

static void test_forged_quote(void **state)
{
	struct store_device dev = fx.dev;
	struct hrot_attest_req req;

	(void)state;
	need_tpm();
	/* an unrestricted TPM key registered as the AK signs a fake attest */
	dev.ak_public = fx.key_pub.data;
	dev.ak_public_len = fx.key_pub.len;
	init_req(&req, &fx.forged, fx.n_good);
	expect(&req, &dev, APPRAISE_QUOTE_NOT_TPM);
	/* the real AK does not vouch for the fake */
	expect(&req, &fx.dev, APPRAISE_QUOTE_SIGNATURE);
}

static void test_ephemeral_key_not_quoted(void **state)
{
	struct hrot_attest_req req;
	struct appraise_ctx ctx;

	(void)state;
	need_tpm();
	init_req(&req, &fx.good, fx.n_good);
	memcpy(req.ephemeral_key, fx.eph[1], HROT_EPHEMERAL_KEY_SIZE);
	init_ctx(&ctx, &fx.dev);
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_QUALIFYING_DATA);
	assert_non_null(strstr(ctx.detail, "ephemeral key"));
}

static void test_hrot_pcr_not_quoted(void **state)
{
	struct hrot_attest_req req;
	struct appraise_ctx ctx;

	(void)state;
	need_tpm();
	init_req(&req, &fx.nohrot, fx.n_good);
	init_ctx(&ctx, &fx.dev);
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_PCR_SELECTION);
	assert_non_null(strstr(ctx.detail, "PCR 13"));
	/* reporting a PCR the quote does not cover */
	init_req(&req, &fx.good, fx.n_good);
	req.quote.pcr_mask |= 1u << 16;
	expect(&req, &fx.dev, APPRAISE_PCR_SELECTION);
}

/* Flip every bit of @buf in turn; each attestation must fail with one of @ok. */
static void flip_all(struct hrot_attest_req *req, uint8_t *buf, size_t len,
		     const enum appraise_reason *ok, size_t nr_ok,
		     size_t *counts)
{
	size_t i, k;
	int bit;

	for (i = 0; i < len; i++)
		for (bit = 0; bit < 8; bit++) {
			struct appraise_ctx ctx;
			enum appraise_reason r;

			buf[i] ^= (uint8_t)(1u << bit);
			init_ctx(&ctx, &fx.dev);
			r = attest(&ctx, req);
			buf[i] ^= (uint8_t)(1u << bit);
			for (k = 0; k < nr_ok && ok[k] != r; k++)
				;
			if (k == nr_ok) {
				fail_msg("byte %zu bit %d: %s (%s)", i, bit,
					 appraise_reason_code(r), ctx.detail);
				return;
			}
			counts[k]++;
		}
}

static void test_flipped_attest_and_signature(void **state)
{
	static const enum appraise_reason ok[] = {
		APPRAISE_QUOTE_SIGNATURE, APPRAISE_QUOTE_MALFORMED,
	};
	struct hrot_attest_req req;
	size_t counts[2] = { 0 };
	uint8_t *msg, *sig;

	(void)state;
	need_tpm();
	msg = malloc(fx.good.msg_len);
	sig = malloc(fx.good.sig_len);
	assert_non_null(msg);
	assert_non_null(sig);
	memcpy(msg, fx.good.msg, fx.good.msg_len);
	memcpy(sig, fx.good.sig, fx.good.sig_len);
	init_req(&req, &fx.good, fx.n_good);
	req.quote.attest = msg;
	flip_all(&req, msg, fx.good.msg_len, ok, 2, counts);
	/* most bits are covered by the signature only */
	assert_true(counts[0] > counts[1]);
	req.quote.attest = fx.good.msg;
	req.quote.signature = sig;
	flip_all(&req, sig, fx.good.sig_len, ok, 2, counts);
	free(msg);
	free(sig);
	/* and the untouched evidence still passes */
	init_req(&req, &fx.good, fx.n_good);
	expect(&req, &fx.dev, APPRAISE_PASS);
}

static void test_flipped_pcr_value(void **state)
{
	static const enum appraise_reason ok[] = { APPRAISE_PCR_DIGEST };
	struct hrot_attest_req req;
	size_t counts[1] = { 0 };

	(void)state;
	need_tpm();
	init_req(&req, &fx.multi, fx.n_multi);
	flip_all(&req, req.quote.pcrs[13], 32, ok, 1, counts);
	flip_all(&req, req.quote.pcrs[0], 4, ok, 1, counts);
	assert_int_equal(counts[0], 8 * 36);
}

/* ---- the event log ---------------------------------------------------- */

static void test_flipped_log(void **state)
{
	struct hrot_attest_req req;
	size_t counts[2] = { 0 }, i;
	uint8_t *log;
	int bit;

	(void)state;
	need_tpm();
	log = malloc(fx.log.len);
	assert_non_null(log);
	memcpy(log, fx.log.data, fx.log.len);
	init_req(&req, &fx.good, fx.n_good);
	req.event_log = log;
	for (i = 0; i < fx.log.len; i++)
		for (bit = 0; bit < 8; bit++) {
			struct appraise_ctx ctx;
			enum appraise_reason r;

			log[i] ^= (uint8_t)(1u << bit);
			init_ctx(&ctx, &fx.dev);
			r = attest(&ctx, &req);
			log[i] ^= (uint8_t)(1u << bit);
			if (r == APPRAISE_LOG_MALFORMED)
				counts[0]++;
			else if (r == APPRAISE_LOG_REPLAY)
				counts[1]++;
			else	/* every bit counts, eventType too (format 2) */
				fail_msg("log byte %zu bit %d: %s (%s)", i, bit,
					 appraise_reason_code(r), ctx.detail);
		}
	print_message("log flips: %zu log_malformed, %zu log_replay\n",
		      counts[0], counts[1]);
	assert_true(counts[0] > 0 && counts[1] > 0);
	free(log);
}

static void test_log_not_replaying(void **state)
{
	struct hrot_attest_req req;
	struct appraise_ctx ctx;
	char want[128], h[65];

	(void)state;
	need_tpm();
	init_req(&req, &fx.good, fx.n_good);
	req.event_log = fx.log_short.data;
	req.event_log_len = fx.log_short.len;
	init_ctx(&ctx, &fx.dev);
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_LOG_REPLAY);
	tohex(fx.good.pcrs[13], 32, h);
	snprintf(want, sizeof(want), "quote reports %s", h);
	assert_non_null(strstr(ctx.detail, "PCR 13: log replays to "));
	assert_non_null(strstr(ctx.detail, want));
	/* no log at all */
	req.event_log = NULL;
	req.event_log_len = 0;
	expect(&req, &fx.dev, APPRAISE_LOG_MALFORMED);
}

static void test_firmware_log_not_replaying(void **state)
{
	struct hrot_attest_req req;
	struct appraise_ctx ctx;

	(void)state;
	need_tpm();
	init_req(&req, &fx.multi, fx.n_multi);
	req.firmware_log = fx.fw_bad.data;
	req.firmware_log_len = fx.fw_bad.len;
	init_ctx(&ctx, &fx.dev);
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_LOG_REPLAY);
	assert_non_null(strstr(ctx.detail, "firmware log: PCR 16"));
	/* PCR 16 not quoted: nothing vouches for it, nothing to compare */
	init_req(&req, &fx.good, fx.n_good);
	req.firmware_log = fx.fw_bad.data;
	req.firmware_log_len = fx.fw_bad.len;
	expect(&req, &fx.dev, APPRAISE_PASS);
	req.firmware_log_len = 7;
	expect(&req, &fx.dev, APPRAISE_LOG_MALFORMED);
}

/* ---- policy -------------------------------------------------------------- */

static void test_unknown_component_digest(void **state)
{
	struct store_policy p = fx.policy;
	struct store_policy_entry e[8];
	struct hrot_attest_req req;
	struct appraise_ctx ctx;
	char h[65], want[200];

	(void)state;
	need_tpm();
	memcpy(e, fx.entries, sizeof(e));
	p.entries = e;
	e[1].digest[0] ^= 1;	/* /boot/vmlinuz: another build allowed */
	init_req(&req, &fx.good, fx.n_good);
	init_ctx(&ctx, &fx.dev);
	ctx.policy = &p;
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_POLICY_UNKNOWN_DIGEST);
	tohex(fx.entries[1].digest, 32, h);
	snprintf(want, sizeof(want),
		 "component /boot/vmlinuz digest %s not in policy 'prod' v3", h);
	assert_string_equal(ctx.detail, want);
	/* the digest under another component's name does not count */
	snprintf(e[1].component, sizeof(e[1].component), "/boot/vmlinuz.old");
	e[1].digest[0] ^= 1;
	init_ctx(&ctx, &fx.dev);
	ctx.policy = &p;
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_POLICY_UNKNOWN_DIGEST);
	/* "*" allows the digest under any name */
	snprintf(e[1].component, sizeof(e[1].component), "*");
	init_ctx(&ctx, &fx.dev);
	ctx.policy = &p;
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_PASS);
	/* bound to no policy */
	init_ctx(&ctx, &fx.dev);
	ctx.policy = NULL;
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_POLICY_MISSING);
}

/* ---- rollback floors (seed 004) ------------------------------------------- */

/* The good evidence appraised against @floors; its detail in @detail. */
static enum appraise_reason with_floors(const struct store_floor *floors,
					size_t n, char *detail, size_t size)
{
	struct hrot_attest_req req;
	struct appraise_ctx ctx;
	enum appraise_reason r;

	init_req(&req, &fx.good, fx.n_good);
	init_ctx(&ctx, &fx.dev);
	ctx.floors = floors;
	ctx.nr_floors = n;
	issue(req.device, req.nonce, T0);
	r = appraise_attest(&ctx, &req);
	snprintf(detail, size, "%s", ctx.detail);
	/* a refusal leaves nothing to commit */
	if (r != APPRAISE_PASS)
		assert_null(ctx.seen);
	appraise_ctx_release(&ctx);
	return r;
}

static void test_rollback_seen(void **state)
{
	struct hrot_attest_req req;
	struct appraise_ctx ctx;
	size_t i;

	(void)state;
	need_tpm();
	/* a pass reports each versioned component the policy matched */
	init_req(&req, &fx.good, fx.n_good);
	init_ctx(&ctx, &fx.dev);
	issue(req.device, req.nonce, T0);
	assert_reason(&ctx, appraise_attest(&ctx, &req), APPRAISE_PASS);
	assert_true(ctx.nr_seen >= 1);
	for (i = 0; i < ctx.nr_seen; i++)
		assert_string_equal(ctx.seen[i].version, "1.0");
	appraise_ctx_release(&ctx);
	assert_null(ctx.seen);
}

static void test_rollback_floors(void **state)
{
	struct store_floor floors[2];
	char detail[256];

	(void)state;
	need_tpm();
	/* floors: an older one, an equal one, another component: pass */
	memset(floors, 0, sizeof(floors));
	snprintf(floors[0].component, sizeof(floors[0].component), "%s",
		 fx.entries[1].component);
	snprintf(floors[0].version, sizeof(floors[0].version), "0.9");
	snprintf(floors[1].component, sizeof(floors[1].component), "/nowhere");
	snprintf(floors[1].version, sizeof(floors[1].version), "99");
	assert_int_equal(with_floors(floors, 2, detail, sizeof(detail)),
			 APPRAISE_PASS);
	snprintf(floors[0].version, sizeof(floors[0].version), "1.0");
	assert_int_equal(with_floors(floors, 2, detail, sizeof(detail)),
			 APPRAISE_PASS);

	/* a newer floor: rollback, naming both */
	snprintf(floors[0].version, sizeof(floors[0].version), "1.0.1");
	assert_int_equal(with_floors(floors, 2, detail, sizeof(detail)),
			 APPRAISE_ROLLBACK);
	assert_non_null(strstr(detail, "version 1.0 is older than version 1.0.1"));
	assert_non_null(strstr(detail, fx.entries[1].component));

	/* the floor's very file is no rollback, whatever its version says */
	memcpy(floors[0].digest, fx.entries[1].digest, sizeof(floors[0].digest));
	assert_int_equal(with_floors(floors, 2, detail, sizeof(detail)),
			 APPRAISE_PASS);
}

/* Of two entries allowing one record, the newest version, in any order. */
static void test_rollback_entry_choice(void **state)
{
	struct store_policy p = fx.policy;
	struct store_policy_entry e[8];
	struct hrot_attest_req req;
	struct appraise_ctx ctx;
	size_t i, k, n = fx.policy.nr_entries;

	(void)state;
	need_tpm();
	init_req(&req, &fx.good, fx.n_good);
	for (k = 0; k < 2; k++) {
		memcpy(e, fx.entries, sizeof(e));
		/* the same file again, as 1.2 first (k = 0) or last (k = 1) */
		e[n] = e[1];
		snprintf(e[n].version, sizeof(e[n].version), "1.2");
		if (k == 0) {
			struct store_policy_entry t = e[1];

			e[1] = e[n];
			e[n] = t;
		}
		/* a wildcard for it too: an exact entry still decides */
		e[n + 1] = e[1];
		snprintf(e[n + 1].component, sizeof(e[n + 1].component), "*");
		snprintf(e[n + 1].version, sizeof(e[n + 1].version), "9");
		p.entries = e;
		p.nr_entries = n + 2;
		init_ctx(&ctx, &fx.dev);
		ctx.policy = &p;
		issue(req.device, req.nonce, T0);
		assert_reason(&ctx, appraise_attest(&ctx, &req), APPRAISE_PASS);
		for (i = 0; i < ctx.nr_seen; i++)
			if (!strcmp(ctx.seen[i].component, fx.entries[1].component))
				assert_string_equal(ctx.seen[i].version, "1.2");
		appraise_ctx_release(&ctx);
	}
}

/* ---- fingerprint ----------------------------------------------------------- */

static void set_component(struct hrot_fingerprint *fp, uint32_t id,
			  const char *value)
{
	uint32_t i;

	for (i = 0; i < fp->nr_components; i++)
		if (fp->components[i].id == id)
			sha256(value, strlen(value), "", 0,
			       fp->components[i].digest);
}

static void test_fingerprint_changed(void **state)
{
	struct hrot_attest_req req;
	struct appraise_ctx ctx;

	(void)state;
	need_tpm();
	init_req(&req, &fx.good, fx.n_good);
	/* new serial and TPM, digest recomputed: consistent, but not ours */
	set_component(&req.fingerprint, HROT_FP_PRODUCT_SERIAL, "SN-999");
	set_component(&req.fingerprint, HROT_FP_TPM_EK, "rsa2048");
	assert_int_equal(hrot_fingerprint_digest(&req.fingerprint,
						 req.fingerprint.digest), 0);
	init_ctx(&ctx, &fx.dev);
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_FINGERPRINT_MISMATCH);
	assert_string_equal(ctx.detail,
			    "components changed: product_serial, tpm_ek");
	/* the registered digest claimed over other components */
	memcpy(req.fingerprint.digest, fx.fp.digest, 32);
	expect(&req, &fx.dev, APPRAISE_FINGERPRINT_MISMATCH);
}

/* ---- physical attestation token ------------------------------------------- */

static void test_physical_token(void **state)
{
	struct hrot_attest_req req;
	struct appraise_ctx ctx;

	(void)state;
	need_tpm();
	init_req(&req, &fx.good, fx.n_good);
	req.has_physical_token = false;
	expect(&req, &fx.dev, APPRAISE_PHYSICAL_TOKEN);
	req.has_physical_token = true;
	sign_pat(&req.physical_token, fx.signer, HROT_TOKEN_KIND_PHYSICAL,
		 fx.dev.id, T0 + 3);	/* expired at T0 + 5 */
	expect(&req, &fx.dev, APPRAISE_PHYSICAL_TOKEN);
	sign_pat(&req.physical_token, fx.signer, HROT_TOKEN_KIND_PHYSICAL,
		 fx.dev_b, T0 + 60);
	expect(&req, &fx.dev, APPRAISE_PHYSICAL_TOKEN);
	sign_pat(&req.physical_token, fx.signer, HROT_TOKEN_KIND_RELEASE,
		 fx.dev.id, T0 + 60);
	expect(&req, &fx.dev, APPRAISE_PHYSICAL_TOKEN);
	sign_pat(&req.physical_token, fx.other_signer,
		 HROT_TOKEN_KIND_PHYSICAL, fx.dev.id, T0 + 60);
	expect(&req, &fx.dev, APPRAISE_PHYSICAL_TOKEN);
	/* revoked */
	req.physical_token = fx.pat;
	memcpy(revoked_token, fx.pat.token_id, HROT_TOKEN_ID_SIZE);
	have_revoked = true;
	init_ctx(&ctx, &fx.dev);
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_PHYSICAL_TOKEN);
	assert_non_null(strstr(ctx.detail, "revoked"));
	have_revoked = false;
	/* a policy that does not require one */
	{
		struct store_policy p = fx.policy;

		p.require_physical = false;
		req.has_physical_token = false;
		init_ctx(&ctx, &fx.dev);
		ctx.policy = &p;
		assert_reason(&ctx, attest(&ctx, &req), APPRAISE_PASS);
	}
}

/* ---- counters -------------------------------------------------------------- */

static void test_counters_backwards(void **state)
{
	struct store_device dev = fx.dev;
	struct hrot_attest_req req;
	struct appraise_ctx ctx;
	struct hrot_tpm_attest at;

	(void)state;
	need_tpm();
	init_req(&req, &fx.good, fx.n_good);
	init_ctx(&ctx, &fx.dev);
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_PASS);
	at = ctx.attest;
	dev.has_counters = true;
	dev.reset_count = at.reset_count;
	dev.restart_count = at.restart_count;
	dev.clock = at.clock;
	expect(&req, &dev, APPRAISE_PASS);	/* equal is not backwards */
	dev.reset_count = at.reset_count + 1;
	init_ctx(&ctx, &dev);
	assert_reason(&ctx, attest(&ctx, &req), APPRAISE_COUNTERS_BACKWARDS);
	assert_non_null(strstr(ctx.detail, "resetCount"));
	dev.reset_count = at.reset_count;
	dev.restart_count = at.restart_count + 1;
	expect(&req, &dev, APPRAISE_COUNTERS_BACKWARDS);
	dev.restart_count = at.restart_count;
	dev.clock = at.clock + 1;
	expect(&req, &dev, APPRAISE_COUNTERS_BACKWARDS);
	/* a later reset passes, whatever the clock said before it */
	if (at.reset_count > 0) {
		dev.reset_count = at.reset_count - 1;
		dev.clock = UINT64_MAX;
		expect(&req, &dev, APPRAISE_PASS);
	}
}

static void test_counters_rule(void **state)
{
	struct store_device dev = { .has_counters = true, .reset_count = 5,
				    .restart_count = 3, .clock = 1000 };
	struct hrot_tpm_attest at = { .reset_count = 5, .restart_count = 3,
				      .clock = 1000 };
	char d[128];

	(void)state;
	assert_true(appraise_counters_ok(&dev, &at, d, sizeof(d)));
	at.clock = 999;
	assert_false(appraise_counters_ok(&dev, &at, d, sizeof(d)));
	assert_non_null(strstr(d, "clock 999 < 1000"));
	at.restart_count = 4;	/* a restart may reset the clock's view */
	assert_true(appraise_counters_ok(&dev, &at, d, sizeof(d)));
	at.reset_count = 6;
	at.restart_count = 0;
	at.clock = 0;
	assert_true(appraise_counters_ok(&dev, &at, d, sizeof(d)));
	at.reset_count = 4;
	at.restart_count = 9;
	at.clock = 99999;
	assert_false(appraise_counters_ok(&dev, &at, d, sizeof(d)));
	dev.has_counters = false;	/* first attestation */
	assert_true(appraise_counters_ok(&dev, &at, d, sizeof(d)));
}

/* ---- /v1/physical ---------------------------------------------------------- */

static void init_phys(struct hrot_physical_req *req, const struct quote *q,
		      const uint8_t *nonce)
{
	memset(req, 0, sizeof(*req));
	memcpy(req->device, fx.dev.id, HROT_DEVICE_NAME_SIZE);
	memcpy(req->nonce, nonce, HROT_NONCE_SIZE);
	req->fingerprint = fx.fp;
	req->quote.attest = q->msg;
	req->quote.attest_len = q->msg_len;
	req->quote.signature = q->sig;
	req->quote.signature_len = q->sig_len;
	req->quote.pcr_mask = q->mask;
	memcpy(req->quote.pcrs, q->pcrs, sizeof(q->pcrs));
}

static enum appraise_reason physical(struct appraise_ctx *ctx,
				     const struct store_device *dev,
				     const struct hrot_physical_req *req)
{
	init_ctx(ctx, dev);
	issue(req->device, req->nonce, T0);
	return appraise_physical(ctx, req);
}

static void test_physical_endpoint(void **state)
{
	struct hrot_physical_req req;
	struct appraise_ctx ctx;
	uint8_t q[32];

	(void)state;
	need_tpm();
	init_phys(&req, &fx.phys, fx.n_phys);
	assert_reason(&ctx, physical(&ctx, &fx.dev, &req), APPRAISE_PASS);
	sha256(fx.n_phys, 32, fx.fp.digest, 32, q);
	assert_memory_equal(ctx.qualifying, q, 32);
	/* replay */
	init_ctx(&ctx, &fx.dev);
	assert_reason(&ctx, appraise_physical(&ctx, &req), APPRAISE_NONCE_UNKNOWN);
}

static void test_physical_endpoint_attacks(void **state)
{
	struct store_device dev = fx.dev;
	struct hrot_physical_req req;
	struct appraise_ctx ctx;

	(void)state;
	need_tpm();
	/* a quote bound to an ephemeral key, not to the fingerprint */
	init_phys(&req, &fx.good, fx.n_good);
	assert_reason(&ctx, physical(&ctx, &fx.dev, &req),
		      APPRAISE_QUALIFYING_DATA);
	assert_non_null(strstr(ctx.detail, "fingerprint digest"));
	/* registered hardware differs */
	init_phys(&req, &fx.phys, fx.n_phys);
	set_component(&dev.fingerprint, HROT_FP_BOARD_SERIAL, "BRD-78");
	assert_int_equal(hrot_fingerprint_digest(&dev.fingerprint,
						 dev.fingerprint.digest), 0);
	assert_reason(&ctx, physical(&ctx, &dev, &req),
		      APPRAISE_FINGERPRINT_MISMATCH);
	assert_string_equal(ctx.detail, "components changed: board_serial");
	/* another AK */
	init_phys(&req, &fx.other, fx.n_good);
	assert_reason(&ctx, physical(&ctx, &fx.dev, &req),
		      APPRAISE_QUOTE_SIGNATURE);
	dev = fx.dev;
	dev.state = STORE_DEV_REVOKED;
	init_phys(&req, &fx.phys, fx.n_phys);
	assert_reason(&ctx, physical(&ctx, &dev, &req), APPRAISE_DEVICE_REVOKED);
	assert_int_equal(nonce_consume(fx.nonces, fx.n_phys, fx.dev.id, T0,
				       NULL), NONCE_OK);
}

/* ---- reason codes ---------------------------------------------------------- */

static void test_reason_codes(void **state)
{
	int i, j;

	(void)state;
	assert_string_equal(appraise_reason_code(APPRAISE_PASS), "pass");
	assert_string_equal(appraise_reason_code(APPRAISE_QUOTE_NOT_TPM),
			    "quote_not_tpm");
	assert_string_equal(appraise_reason_code(APPRAISE_NR_REASONS),
			    "internal");
	for (i = 0; i < APPRAISE_NR_REASONS; i++)
		for (j = i + 1; j < APPRAISE_NR_REASONS; j++)
			assert_string_not_equal(appraise_reason_code(i),
						appraise_reason_code(j));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reason_codes),
		cmocka_unit_test(test_counters_rule),
		cmocka_unit_test(test_good_passes),
		cmocka_unit_test(test_rollback_seen),
		cmocka_unit_test(test_rollback_floors),
		cmocka_unit_test(test_rollback_entry_choice),
		cmocka_unit_test(test_more_pcrs_pass),
		cmocka_unit_test(test_replayed_nonce),
		cmocka_unit_test(test_expired_nonce),
		cmocka_unit_test(test_nonce_of_another_device),
		cmocka_unit_test(test_device_states),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_other_ak),
		cmocka_unit_test(test_forged_quote),
		cmocka_unit_test(test_ephemeral_key_not_quoted),
		cmocka_unit_test(test_hrot_pcr_not_quoted),
		cmocka_unit_test(test_flipped_attest_and_signature),
		cmocka_unit_test(test_flipped_pcr_value),
		cmocka_unit_test(test_flipped_log),
		cmocka_unit_test(test_log_not_replaying),
		cmocka_unit_test(test_firmware_log_not_replaying),
		cmocka_unit_test(test_unknown_component_digest),
		cmocka_unit_test(test_fingerprint_changed),
		cmocka_unit_test(test_physical_token),
		cmocka_unit_test(test_counters_backwards),
		cmocka_unit_test(test_physical_endpoint),
		cmocka_unit_test(test_physical_endpoint_attacks),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
