// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot-client: the whole attestation, from challenge to an unsealed
 * volume secret (or, for a runtime attestation, to the token alone).  Nothing is returned unless the token checks out against
 * the pinned token key and the secret opens with the ephemeral key the
 * quote bound.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <openssl/pem.h>

#include <hrot/seal.h>
#include <hrot/token.h>

#include "client_int.h"

#define HROT_MODULE_PCR_MASK	(1u << 13)

/* One locked, undumpable page for the secret; wiped on release. */
static uint8_t *secret_page(size_t *size)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	*size = page > 0 ? (size_t)page : 4096;
	p = mmap(NULL, *size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* Best effort: an unprivileged test may lack RLIMIT_MEMLOCK room. */
	(void)mlock(p, *size);
	(void)madvise(p, *size, MADV_DONTDUMP);
	return p;
}

void hrot_release_free(struct hrot_release *r)
{
	if (r->secret) {
		long page = sysconf(_SC_PAGESIZE);
		size_t size = page > 0 ? (size_t)page : 4096;

		explicit_bzero(r->secret, size);
		munlock(r->secret, size);
		munmap(r->secret, size);
	}
	memset(r, 0, sizeof(*r));
}

/*
 * The verifier's token key, parsed once per client and path: decoding a
 * PEM key takes OpenSSL 3's provider locks, which a device attesting in a
 * loop (hrot-agent) would pay every time.  A new reference each call.
 */
static EVP_PKEY *load_anchor(struct hrot_client *c, const char *path)
{
	EVP_PKEY *key = NULL;
	FILE *f;

	if (!path) {
		client_fail(c, "token_invalid", "no token key to check against");
		return NULL;
	}
	if (c->anchor && c->anchor_path && strcmp(c->anchor_path, path) == 0)
		return EVP_PKEY_up_ref(c->anchor) ? c->anchor : NULL;
	f = fopen(path, "re");
	if (f) {
		key = PEM_read_PUBKEY(f, NULL, NULL, NULL);
		fclose(f);
	}
	if (!key) {
		client_fail(c, "token_invalid", "%s: not a PEM public key", path);
		return NULL;
	}
	EVP_PKEY_free(c->anchor);
	free(c->anchor_path);
	c->anchor_path = strdup(path);
	c->anchor = c->anchor_path && EVP_PKEY_up_ref(key) ? key : NULL;
	return key;
}

/*
 * The attest nonce, and first the physical token if one goes with it.  The
 * first challenge's answer says whether the device's policy wants a PAT:
 * when it does not, its nonce serves the attestation itself, so a device
 * pays one challenge and one quote, not two of each.
 */
static int challenge_and_physical(struct hrot_client *c,
				  struct hrot_attester *a,
				  const uint8_t device[HROT_DEVICE_NAME_SIZE],
				  enum hrot_physical_mode mode,
				  struct hrot_attest_req *req)
{
	struct hrot_challenge ch;
	int ret;

	ret = hrot_client_challenge(c, device, &ch);
	if (ret)
		return ret;
	if (mode == HROT_PHYSICAL_ALWAYS ||
	    (mode == HROT_PHYSICAL_AUTO && ch.physical_required)) {
		ret = client_physical(c, a, device, ch.nonce,
				      &req->physical_token);
		if (!ret)
			ret = hrot_client_challenge(c, device, &ch);
		if (ret)
			return ret;
		req->has_physical_token = true;
	}
	memcpy(req->nonce, ch.nonce, HROT_NONCE_SIZE);
	client_nonce_hook(c, "attest", req->nonce);
	return 0;
}

/* The evidence: ephemeral key, quote, log, fingerprint, for req->nonce. */
static int build_attest(struct hrot_client *c, struct hrot_attester *a,
			const uint8_t device[HROT_DEVICE_NAME_SIZE],
			const struct hrot_metadata *metadata, uint32_t mask,
			EVP_PKEY **eph, uint8_t qual[HROT_NONCE_SIZE],
			struct hrot_attest_req *req)
{
	const char *step;
	int ret;

	memcpy(req->device, device, HROT_DEVICE_NAME_SIZE);
	memcpy(&req->metadata, metadata, sizeof(req->metadata));
	if (hrot_ephemeral_keygen(eph, req->ephemeral_key) ||
	    hrot_qualifying_data(req->nonce, HROT_NONCE_SIZE,
				 req->ephemeral_key, HROT_EPHEMERAL_KEY_SIZE,
				 qual)) {
		client_fail(c, "backend", "ephemeral key: crypto failure");
		return -EIO;
	}
	/* Each step named: "log: No such file" says securityfs is missing. */
	step = "quote";
	ret = a->ops->quote(a->ctx, mask, qual, HROT_NONCE_SIZE, &req->quote);
	if (!ret) {
		step = "measurement log";
		ret = a->ops->event_log(a->ctx, &req->event_log,
					&req->event_log_len);
	}
	if (!ret) {
		step = "fingerprint";
		ret = a->ops->fingerprint(a->ctx, &req->fingerprint);
	}
	if (ret)
		client_fail(c, "backend", "%s: %s", step, strerror(-ret));
	return ret;
}

static int send_attest(struct hrot_client *c, const struct hrot_attest_req *req,
		       struct json_object **reply)
{
	char *body = NULL;
	int ret;

	ret = hrot_attest_req_to_json(req, &body);
	if (ret) {
		client_fail(c, "backend", "encoding the evidence: %s",
			    strerror(-ret));
		return ret;
	}
	ret = client_post_text(c, "/v1/attest", body, reply);
	free(body);
	return ret;
}

/*
 * The token must be the pinned key's, of the kind asked for (release, or
 * runtime), for us, for this quote.
 */
static int check_token(struct hrot_client *c, const struct hrot_token *t,
		       const struct hrot_attest_req *req,
		       const uint8_t qual[HROT_NONCE_SIZE], const char *pub)
{
	static const unsigned int kinds[] = {
		[HROT_ATTEST_UNLOCK] = HROT_TOKEN_KIND_RELEASE,
		[HROT_ATTEST_RUNTIME] = HROT_TOKEN_KIND_RUNTIME,
		[HROT_ATTEST_COMPONENT] = HROT_TOKEN_KIND_COMPONENT,
	};
	unsigned int kind = kinds[req->purpose];
	EVP_PKEY *anchor = load_anchor(c, pub);
	char err[128] = "";
	int st;

	if (!anchor)
		return -EPROTO;
	st = hrot_token_verify(t, anchor, (int64_t)time(NULL), err,
			       sizeof(err));
	EVP_PKEY_free(anchor);
	if (st != HROT_SIGNED_OK) {
		client_fail(c, "token_invalid", "token: %s (%s)",
			    hrot_signed_status_name(st), err);
		return -EPROTO;
	}
	if (t->kind != kind || t->verdict != HROT_VERDICT_PASS) {
		client_fail(c, "token_invalid", "not a token of kind %u",
			    kind);
		return -EPROTO;
	}
	/* a component token names what was asked for; others name none */
	if (memcmp(t->component, req->component, sizeof(t->component)) != 0) {
		client_fail(c, "token_invalid",
			    "token names another component");
		return -EPROTO;
	}
	if (memcmp(t->device, req->device, HROT_DEVICE_NAME_SIZE) != 0 ||
	    memcmp(t->nonce, req->nonce, HROT_NONCE_SIZE) != 0 ||
	    memcmp(t->qualifying, qual, HROT_NONCE_SIZE) != 0) {
		client_fail(c, "token_invalid",
			    "token names another device, nonce or quote");
		return -EPROTO;
	}
	return 0;
}

static int open_secret(struct hrot_client *c, struct json_object *reply,
		       EVP_PKEY *eph, const uint8_t qual[HROT_NONCE_SIZE],
		       struct hrot_release *out)
{
	uint8_t *blob = NULL;
	size_t blob_len = 0, page = 0;
	int ret;

	ret = client_get_b64_alloc(c, reply, "secret", &blob, &blob_len,
				   HROT_SEAL_MAX_SECRET + HROT_SEAL_OVERHEAD);
	if (ret)
		return ret;
	out->secret = secret_page(&page);
	if (!out->secret) {
		free(blob);
		return -ENOMEM;
	}
	ret = hrot_unseal(eph, qual, &out->token, sizeof(out->token), blob,
			  blob_len, out->secret, page, &out->secret_len);
	free(blob);
	if (ret)
		client_fail(c, "seal", "the secret does not open: %s",
			    strerror(-ret));
	return ret;
}

/* A runtime answer must not carry the secret: nothing asked for it. */
static int no_secret(struct hrot_client *c, struct json_object *reply)
{
	if (!json_object_object_get_ex(reply, "secret", NULL))
		return 0;
	client_fail(c, "protocol",
		    "a runtime attestation was answered with a secret");
	return -EPROTO;
}

static int take_reply(struct hrot_client *c, struct json_object *reply,
		      const struct hrot_attest_req *req,
		      const uint8_t qual[HROT_NONCE_SIZE], EVP_PKEY *eph,
		      const char *token_pub, struct hrot_release *out)
{
	const char *verdict = client_get_string(c, reply, "verdict");
	int ret;

	if (!verdict)
		return -EPROTO;
	if (strcmp(verdict, "pass") != 0) {
		client_fail(c, "protocol", "verdict %s with a 2xx answer",
			    verdict);
		return -EPROTO;
	}
	ret = client_get_b64(c, reply, "token", &out->token,
			     sizeof(out->token));
	if (!ret)
		ret = check_token(c, &out->token, req, qual, token_pub);
	if (!ret && json_object_object_get_ex(reply, "expires_at", NULL))
		ret = client_get_int(c, reply, "expires_at", &out->expires_at);
	if (!ret && req->purpose != HROT_ATTEST_UNLOCK)
		return no_secret(c, reply);
	if (!ret)
		ret = open_secret(c, reply, eph, qual, out);
	return ret;
}

int hrot_client_attest(struct hrot_client *c, struct hrot_attester *a,
		       const uint8_t device[HROT_DEVICE_NAME_SIZE],
		       const struct hrot_metadata *metadata,
		       const struct hrot_attest_opts *opts,
		       struct hrot_release *out)
{
	uint32_t mask = opts->pcr_mask ? opts->pcr_mask : HROT_MODULE_PCR_MASK;
	struct hrot_attest_req req;
	uint8_t qual[HROT_NONCE_SIZE];
	struct json_object *reply = NULL;
	EVP_PKEY *eph = NULL;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	memset(&req, 0, sizeof(req));
	req.purpose = opts->component ? HROT_ATTEST_COMPONENT :
		      opts->runtime ? HROT_ATTEST_RUNTIME : HROT_ATTEST_UNLOCK;
	if (opts->component)
		memcpy(req.component, opts->component, sizeof(req.component));
	ret = challenge_and_physical(c, a, device, opts->physical, &req);
	if (!ret)
		ret = build_attest(c, a, device, metadata, mask, &eph, qual,
				   &req);
	if (!ret) {
		if (c->hooks.before_attest)
			c->hooks.before_attest(c->hooks.arg, &req);
		ret = send_attest(c, &req, &reply);
	}
	if (!ret)
		ret = take_reply(c, reply, &req, qual, eph, opts->token_pub,
				 out);
	json_object_put(reply);
	hrot_attest_req_free(&req);
	EVP_PKEY_free(eph);
	if (ret)
		hrot_release_free(out);
	return ret;
}
