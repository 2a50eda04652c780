// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: from attestation to the keyslot key, shared by the tool
 * and the cryptsetup token plugin.
 *
 *   pins: the CA and token key files are the ones the volume was bound to
 *   attempt: challenge, ephemeral key, quote, POST /v1/attest, token
 *            checked (libhrot-client), token names our instance, token
 *            added to the kernel keyring (the kernel checks it again),
 *            secret unsealed, KDF
 *
 * Attempts are bounded (retries, backoff, deadline); each prints one
 * line.  A refusal by the verifier on the merits (policy, revocation...)
 * or by the kernel ends the attempts at once: asking again gives the same
 * answer.  Nothing but the key leaves here, and only on success.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <hrot/hex.h>

#include "unlock.h"

bool unlock_reason_transient(const char *reason)
{
	static const char *const again[] = {
		"transport", "protocol", "internal", "nonce_expired",
		"nonce_unknown", "backend", "seal", "token_invalid",
	};
	size_t i;

	for (i = 0; i < sizeof(again) / sizeof(again[0]); i++)
		if (!strcmp(reason, again[i]))
			return true;
	return false;
}

static void set_fail(struct unlock_failure *f, const char *what,
		     const char *reason, const char *detail, bool final)
{
	f->what = what;
	snprintf(f->reason, sizeof(f->reason), "%s", reason);
	snprintf(f->detail, sizeof(f->detail), "%s", detail);
	f->final = final;
}

static void client_failure(struct hrot_client *c, int ret,
			   struct unlock_failure *fail)
{
	const struct hrot_client_error *e = hrot_client_error(c);
	const char *reason = e->reason[0] ? e->reason : "local";

	set_fail(fail, ret == -EACCES ? "verifier refused" : "attest",
		 reason, e->detail[0] ? e->detail : strerror(-ret),
		 ret == -EACCES && !unlock_reason_transient(reason));
}

int unlock_attest_once(const struct unlock_config *cfg, long budget_ms,
		       const struct hrot_metadata *metadata,
		       struct hrot_release *out, struct unlock_failure *fail)
{
	struct hrot_client_config cc = {
		.url = cfg->verifier, .ca_file = cfg->ca,
		.connect_timeout_ms = cfg->connect_timeout_ms,
		.timeout_ms = cfg->timeout_ms,
		/* cuts each request's timeouts to what is left of the attempt */
		.deadline_ms = unlock_now_ms() + budget_ms,
	};
	struct hrot_attest_opts ao = {
		.physical = HROT_PHYSICAL_AUTO, .token_pub = cfg->token_key,
	};
	struct hrot_attester a = { 0 };
	struct hrot_client *c = NULL;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = hrot_client_new(&cc, &c);
	if (ret) {
		set_fail(fail, "config", "client", strerror(-ret), true);
		return ret;
	}
	ret = unlock_backend_open(&a);
	if (ret) {
		/* /dev/hrot may come up after the first attempt: retried */
		set_fail(fail, "device", "backend", strerror(-ret), false);
		hrot_client_free(c);
		return ret;
	}
	ret = hrot_client_attest(c, &a, metadata->device, metadata, &ao, out);
	if (ret)
		client_failure(c, ret, fail);
	hrot_attester_close(&a);
	hrot_client_free(c);
	return ret;
}

int unlock_check_pins(const struct unlock_config *cfg,
		      const struct unlock_binding *b, char *err,
		      size_t err_size)
{
	uint8_t ca[32], key[HROT_SIGNER_ID_SIZE];
	int ret;

	ret = unlock_ca_sha256(cfg->ca, ca, err, err_size);
	if (!ret && memcmp(ca, b->ca_sha256, sizeof(ca)) != 0) {
		snprintf(err, err_size,
			 "CA %s is not the one the volume was bound to",
			 cfg->ca);
		ret = -EKEYREJECTED;
	}
	if (!ret)
		ret = unlock_key_sha256(cfg->token_key, key, err, err_size);
	if (!ret && memcmp(key, b->token_key_sha256, sizeof(key)) != 0) {
		snprintf(err, err_size,
			 "token key %s is not the one the volume was bound to",
			 cfg->token_key);
		ret = -EKEYREJECTED;
	}
	if (!ret)
		ret = unlock_metadata_check(&b->metadata, cfg->token_key, err,
					    err_size);
	return ret;
}

/* The accepted token, for whoever asked (--token-out); it is no secret. */
static int save_token(const char *path, const struct hrot_token *t,
		      struct unlock_failure *fail)
{
	FILE *f = fopen(path, "we");
	bool ok = f && fwrite(t, sizeof(*t), 1, f) == 1;

	if (f && fclose(f))
		ok = false;
	if (!ok) {
		set_fail(fail, "token", "local", "cannot write --token-out",
			 true);
		return -EIO;
	}
	return 0;
}

/* The release must be for the volume's instance; then kernel, then KDF. */
static int use_release(const struct unlock_request *req,
		       const struct hrot_release *r,
		       uint8_t key[UNLOCK_KEY_SIZE],
		       struct unlock_failure *fail)
{
	const struct unlock_binding *b = req->binding;
	char why[UNLOCK_ERR_MAX];
	int kr;

	if (memcmp(r->token.instance, b->instance, sizeof(b->instance)) != 0) {
		set_fail(fail, "token", "token_invalid",
			 "release token names another instance", true);
		return -EKEYREJECTED;
	}
	if (r->secret_len != UNLOCK_SECRET_SIZE) {
		set_fail(fail, "secret", "seal", "volume secret is not 32 bytes",
			 true);
		return -EPROTO;
	}
	kr = req->no_keyring ? 0 :
	     unlock_keyring_add(&r->token, req->cfg->token_key,
				req->keyring_path, why, sizeof(why));
	if (kr < 0) {
		/*
		 * A rejection is retried: the module takes a token for its
		 * latest quote only, and another program (hrot-agent, for a
		 * volume opened late) may have quoted in between.  No keyring,
		 * no anchor, no TPM: final.
		 */
		set_fail(fail, "keyring", "keyring_refused", why,
			 kr != -EKEYREJECTED);
		return -EKEYREJECTED;
	}
	if (req->token_out && save_token(req->token_out, &r->token, fail))
		return -EIO;
	if (unlock_kdf(r->secret, r->secret_len, b->instance, b->created_at,
		       key)) {
		set_fail(fail, "kdf", "internal", "HKDF failed", true);
		return -EIO;
	}
	return 0;
}

static int attempt(const struct unlock_request *req, long budget_ms,
		   uint8_t key[UNLOCK_KEY_SIZE], struct unlock_failure *fail)
{
	struct hrot_release r;
	int ret;

	ret = unlock_attest_once(req->cfg, budget_ms, &req->binding->metadata,
				 &r, fail);
	if (!ret)
		ret = use_release(req, &r, key, fail);
	hrot_release_free(&r);
	return ret;
}

static void say(const struct unlock_request *req, unsigned int n,
		unsigned int m, const struct unlock_failure *f)
{
	char line[UNLOCK_ERR_MAX + 160];

	if (f)
		snprintf(line, sizeof(line),
			 "hrot-unlock: attempt %u/%u: %s: %s: %s", n, m,
			 f->what, f->reason, f->detail);
	else
		snprintf(line, sizeof(line),
			 "hrot-unlock: attempt %u/%u: attested: key released",
			 n, m);
	if (req->say)
		req->say(req->say_arg, line);
}

static bool next_attempt(const struct unlock_request *req,
			 const struct unlock_clock *clk, unsigned int n,
			 unsigned int m)
{
	struct unlock_failure late;

	if (n == 1)
		return true;
	if (unlock_pause(clk, unlock_backoff(req->cfg, n)))
		return true;
	set_fail(&late, "deadline", "deadline",
		 "no time left for another attempt", true);
	say(req, n, m, &late);
	return false;
}

int unlock_obtain_key(const struct unlock_request *req,
		      uint8_t key[UNLOCK_KEY_SIZE],
		      struct unlock_failure *fail)
{
	unsigned int n, m = req->cfg->retries + 1;
	char why[UNLOCK_ERR_MAX];
	struct unlock_clock clk;
	int ret;

	memset(fail, 0, sizeof(*fail));
	ret = unlock_check_pins(req->cfg, req->binding, why, sizeof(why));
	if (ret) {
		set_fail(fail, "configuration", "pin_mismatch", why, true);
		say(req, 1, m, fail);
		return ret;
	}
	unlock_clock_start(&clk, req->cfg->deadline_ms);
	ret = -ETIMEDOUT;
	for (n = 1; n <= m && next_attempt(req, &clk, n, m); n++) {
		ret = attempt(req, unlock_clock_left(&clk), key, fail);
		say(req, n, m, ret ? fail : NULL);
		if (!ret || fail->final || !unlock_clock_left(&clk))
			break;
	}
	if (ret)
		explicit_bzero(key, UNLOCK_KEY_SIZE);
	return ret;
}
