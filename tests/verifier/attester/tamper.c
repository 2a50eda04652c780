// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-soft-attester: tampering with the evidence.  Each tamper is the
 * smallest change that should trip exactly one check of the verifier.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <hrot/hex.h>
#include <hrot/seal.h>

#include "tamper.h"

static const char *value_of(const char *what, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(what, name, n) && what[n] == '=' ? what + n + 1 : NULL;
}

int tamper_parse(struct tamper *t, const char *what)
{
	const struct { const char *name; bool *flag; } flags[] = {
		{ "flip-attest", &t->flip_attest },
		{ "flip-sig", &t->flip_sig },
		{ "flip-pcr", &t->flip_pcr },
		{ "flip-log", &t->flip_log },
		{ "wrong-eph", &t->wrong_eph },
		{ "bad-metadata", &t->bad_metadata },
		{ "no-physical", &t->no_physical },
		{ "other-ak", &t->other_ak },
		{ "forge-quote", &t->forge_quote },
	};
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (!strcmp(what, flags[i].name)) {
			*flags[i].flag = true;
			return 0;
		}
	}
	if ((v = value_of(what, "replay-nonce")))
		t->replay_nonce = v;
	else if ((v = value_of(what, "save-nonce")))
		t->save_nonce = v;
	else if ((v = value_of(what, "other-device-nonce")))
		t->other_device = v;
	else if ((v = value_of(what, "save-request")))
		t->save_request = v;
	else if ((v = value_of(what, "physical-token")))
		t->physical_token = v;
	else if ((v = value_of(what, "delay")))
		t->delay = (unsigned int)strtoul(v, NULL, 10);
	else
		return -EINVAL;
	return 0;
}

static void replace_nonce(struct tamper_ctx *tc, uint8_t nonce[HROT_NONCE_SIZE])
{
	const struct tamper *t = tc->t;

	if (t->replay_nonce) {
		FILE *f = fopen(t->replay_nonce, "re");

		if (!f || fread(nonce, 1, HROT_NONCE_SIZE, f) != HROT_NONCE_SIZE)
			tc->failed = 1;
		if (f)
			fclose(f);
	}
	if (t->other_device) {
		uint8_t dev[HROT_DEVICE_NAME_SIZE];
		struct hrot_challenge ch;

		/* A real nonce, issued by this verifier, to someone else. */
		if (hrot_hex_decode(t->other_device, dev, sizeof(dev)) ||
		    hrot_client_challenge(tc->c, dev, &ch))
			tc->failed = 1;
		else
			memcpy(nonce, ch.nonce, HROT_NONCE_SIZE);
	}
}

static void after_challenge(void *arg, const char *what,
			    uint8_t nonce[HROT_NONCE_SIZE])
{
	struct tamper_ctx *tc = arg;
	const struct tamper *t = tc->t;

	if (strcmp(what, "attest") != 0)
		return;
	replace_nonce(tc, nonce);
	if (t->save_nonce &&
	    soft_write_file(t->save_nonce, nonce, HROT_NONCE_SIZE))
		tc->failed = 1;
	if (t->delay)
		sleep(t->delay);
	if (tc->failed)
		fprintf(stderr, "tamper: could not replace the nonce\n");
}

/* Another valid point on P-256: not the one the quote binds. */
static void other_point(struct tamper_ctx *tc, uint8_t *pub)
{
	EVP_PKEY *k = NULL;

	if (hrot_ephemeral_keygen(&k, pub))
		tc->failed = 1;
	EVP_PKEY_free(k);
}

/* A physical token of an earlier `physical`, instead of the fresh one. */
static void old_physical_token(struct tamper_ctx *tc,
			       struct hrot_attest_req *req)
{
	uint8_t *buf;
	size_t len;

	if (soft_read_file(tc->t->physical_token, &buf, &len)) {
		tc->failed = 1;
		return;
	}
	if (len == sizeof(req->physical_token)) {
		memcpy(&req->physical_token, buf, len);
		req->has_physical_token = true;
	} else {
		tc->failed = 1;
	}
	free(buf);
}

/* The body of POST /v1/attest as sent (after the tampers above), for a
 * test to send again with curl. */
static void save_request(struct tamper_ctx *tc,
			 const struct hrot_attest_req *req)
{
	char *json = NULL;

	if (hrot_attest_req_to_json(req, &json) ||
	    soft_write_file(tc->t->save_request, json, strlen(json)))
		tc->failed = 1;
	free(json);
}

static void before_attest(void *arg, struct hrot_attest_req *req)
{
	struct tamper_ctx *tc = arg;
	const struct tamper *t = tc->t;

	/* In the middle of TPMS_ATTEST: qualifiedSigner or extraData. */
	if (t->flip_attest && req->quote.attest_len)
		req->quote.attest[req->quote.attest_len / 2] ^= 0x01;
	/* The last byte of TPMT_SIGNATURE: the low bit of s. */
	if (t->flip_sig && req->quote.signature_len)
		req->quote.signature[req->quote.signature_len - 1] ^= 0x01;
	if (t->flip_pcr)
		req->quote.pcrs[SOFT_PCR][0] ^= 0x01;
	/* The last byte of the log: a byte of the last record's name. */
	if (t->flip_log && req->event_log_len)
		req->event_log[req->event_log_len - 1] ^= 0x01;
	if (t->wrong_eph)
		other_point(tc, req->ephemeral_key);
	if (t->physical_token)
		old_physical_token(tc, req);
	if (t->save_request)
		save_request(tc, req);
	if (tc->failed)
		fprintf(stderr, "tamper: could not change the request\n");
}

void tamper_install(struct tamper_ctx *tc, const struct tamper *t,
		    struct hrot_client *c, const struct soft_ctx *s)
{
	struct hrot_client_hooks h = {
		.after_challenge = after_challenge,
		.before_attest = before_attest,
		.arg = tc,
	};

	tc->t = t;
	tc->c = c;
	tc->s = s;
	tc->failed = 0;
	hrot_client_set_hooks(c, &h);
}
