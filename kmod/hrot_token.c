// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: the "hrot_token" key type, a verifier token the kernel checked.
 *
 * add_key("hrot_token", HEXID, token, 292, keyring) instantiates a key only
 * if the token (struct hrot_token, uapi/linux/hrot_token.h):
 *   - is well formed: magic, version, size, verdict PASS, flags and
 *     reserved zero (else -EINVAL), of kind RELEASE or RUNTIME (a pass
 *     verdict, of a boot or of the running system) or COMPONENT (a pass
 *     that names one executable, seed 002), with a component exactly when
 *     it is of kind COMPONENT (else -EKEYREJECTED);
 *   - was signed by an anchor in ".hrot": the anchor whose id is the
 *     token's signer (-ENOKEY when there is none) verifies the ECDSA P-256
 *     signature over SHA-256 of the first 228 bytes, in the TPM
 *     (hrot_tpm2_verify.c; -ENODEV without a TPM, -EKEYREJECTED when bad);
 *   - is current: now < expires_at (else -EKEYEXPIRED), issued_at not more
 *     than HROT_TOKEN_MAX_SKEW in the future, and a lifetime of at most
 *     HROT_TOKEN_MAX_LIFETIME (else -EKEYREJECTED);
 *   - names this device, its AK's TPM name, and the qualifying data of the
 *     module's latest QUOTE (else -EKEYREJECTED).
 * Every refusal writes one "hrot: token ... refused: why" line.
 *
 * An accepted token uses up that quote: the module forgets the qualifying
 * data, so the same token (or another for the same quote) cannot be added
 * again, e.g. after `keyctl revoke`; a new token needs a new quote.
 *
 * The key expires by itself at expires_at; `keyctl revoke` works; reading
 * it gives its claims as one line of text, nothing secret (a token holds no
 * secret).  Its description is the token id in hex: a caller that names
 * one must name that.  There is no update: adding a token with the id of a
 * key already in the keyring makes a new key, checked in full, that
 * replaces the old one's link.  Adding tokens needs CAP_SYS_ADMIN, because
 * each attempt runs TPM commands and only root can quote anyway.
 *
 * INFO's HROT_INFO_TOKEN_VALID is set while any hrot_token key, in any
 * keyring, is instantiated, unexpired, unrevoked and still referenced.
 * Adding a token, revoking it and its own expiry are announced to the
 * netlink family's listeners (hrot_netlink.c).
 */
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/key-type.h>
#include <linux/list.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <crypto/algapi.h>
#include <crypto/sha2.h>

#include <uapi/linux/hrot_netlink.h>

#include "hrot.h"

/* How far in the future issued_at may be: clocks of verifier and device. */
#define HROT_TOKEN_MAX_SKEW	300
/* The verifier's longest token lifetime (its token-lifetime option). */
#define HROT_TOKEN_MAX_LIFETIME	86400

/* Longest claims text of .read, with room to spare. */
#define HROT_TOKEN_CLAIMS_MAX	512

/**
 * struct hrot_token_key - an hrot_token key's payload
 * @link: in hrot_tokens, for INFO and the expiry work
 * @key:  the key, set at instantiation
 * @done: its end was announced (expired or revoked); under hrot_tokens_lock
 * @tok:  the token as verified
 */
struct hrot_token_key {
	struct list_head link;
	struct key *key;
	bool done;
	struct hrot_token tok;
};

static LIST_HEAD(hrot_tokens);
static DEFINE_SPINLOCK(hrot_tokens_lock);

static void hrot_token_expiry_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(hrot_token_expiry_work, hrot_token_expiry_fn);

#define hrot_token_refuse(tok, fmt, ...) \
	pr_notice("hrot: token %*phN refused: " fmt "\n", \
		  HROT_TOKEN_ID_SIZE, (tok)->token_id, ##__VA_ARGS__)

static bool hrot_all_zero(const u8 *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

/* Layout and kind: what needs no key and no TPM. */
static int hrot_token_check_layout(const struct hrot_token *tok)
{
	bool named, component;

	if (memcmp(tok->magic, HROT_TOKEN_MAGIC, sizeof(tok->magic)) ||
	    le16_to_cpu(tok->version) != HROT_SIGNED_VERSION ||
	    le16_to_cpu(tok->size) != HROT_TOKEN_SIZE) {
		hrot_token_refuse(tok, "bad magic, version or size");
		return -EINVAL;
	}
	if (tok->verdict != HROT_VERDICT_PASS || tok->flags ||
	    !hrot_all_zero(tok->reserved0, sizeof(tok->reserved0))) {
		hrot_token_refuse(tok, "verdict %u, flags 0x%x or reserved bytes not as issued",
				  tok->verdict, le16_to_cpu(tok->flags));
		return -EINVAL;
	}
	if (tok->kind != HROT_TOKEN_KIND_RELEASE &&
	    tok->kind != HROT_TOKEN_KIND_RUNTIME &&
	    tok->kind != HROT_TOKEN_KIND_COMPONENT) {
		hrot_token_refuse(tok, "kind %u is not a release, runtime or component token",
				  tok->kind);
		return -EKEYREJECTED;
	}
	named = !hrot_all_zero(tok->component, sizeof(tok->component));
	component = tok->kind == HROT_TOKEN_KIND_COMPONENT;
	if (named != component) {
		hrot_token_refuse(tok, "kind %u %s a component", tok->kind,
				  named ? "names" : "does not name");
		return -EKEYREJECTED;
	}
	return 0;
}

static int hrot_token_check_time(const struct hrot_token *tok)
{
	s64 issued = le64_to_cpu(tok->issued_at);
	s64 expires = le64_to_cpu(tok->expires_at);
	s64 now = ktime_get_real_seconds();

	/* Beyond S64_MAX the subtraction below would wrap. */
	if (issued < 0 || expires < 0) {
		hrot_token_refuse(tok, "times out of range");
		return -EKEYREJECTED;
	}
	if (expires <= now) {
		hrot_token_refuse(tok, "expired at %lld, now %lld", expires,
				  now);
		return -EKEYEXPIRED;
	}
	if (issued > now + HROT_TOKEN_MAX_SKEW) {
		hrot_token_refuse(tok, "issued at %lld, in the future (now %lld)",
				  issued, now);
		return -EKEYREJECTED;
	}
	if (expires <= issued || expires - issued > HROT_TOKEN_MAX_LIFETIME) {
		hrot_token_refuse(tok, "lifetime %lld s out of range",
				  expires - issued);
		return -EKEYREJECTED;
	}
	return 0;
}

/* Device and quote binding, the device lock held. */
static int hrot_token_check_binding(struct hrot_dev *dev,
				    const struct hrot_ident *id,
				    const struct hrot_token *tok)
{
	BUILD_BUG_ON(sizeof(id->ak_name) != sizeof(tok->device));
	if (memcmp(tok->device, id->ak_name, sizeof(tok->device))) {
		hrot_token_refuse(tok, "issued to device %*phN, this is %*phN",
				  HROT_DEVICE_NAME_SIZE, tok->device,
				  HROT_DEVICE_NAME_SIZE, id->ak_name);
		return -EKEYREJECTED;
	}
	if (dev->last_qualifying_len != sizeof(tok->qualifying) ||
	    crypto_memneq(tok->qualifying, dev->last_qualifying,
			  sizeof(tok->qualifying))) {
		hrot_token_refuse(tok, "not for this module's latest quote%s",
				  dev->last_qualifying_len ? "" :
				  " (there is none, or it was used)");
		return -EKEYREJECTED;
	}
	return 0;
}

/*
 * Signature, time and binding, under the device lock so that no quote
 * changes the latest qualifying data in between; an accepted token uses
 * that quote up.
 */
static int hrot_token_verify(struct hrot_dev *dev,
			     const struct hrot_token *tok,
			     const struct hrot_p256_point *anchor)
{
	u8 digest[SHA256_DIGEST_SIZE];
	const struct hrot_ident *id;
	int rc;

	rc = hrot_sha256(tok, HROT_TOKEN_SIGNED_SIZE, digest);
	if (rc)
		return rc;
	mutex_lock(&dev->lock);
	rc = hrot_identity_get(dev, &id);
	if (rc) {
		hrot_token_refuse(tok, "no TPM identity (%d)", rc);
		goto out;
	}
	rc = hrot_tpm2_verify_p256(dev->chip, anchor, digest, tok->sig_r,
				   tok->sig_s);
	if (rc == -EBADMSG) {
		hrot_token_refuse(tok, "its anchor is not a P-256 point");
		rc = -EKEYREJECTED;
	} else if (rc) {
		hrot_token_refuse(tok, "%s", rc == -EKEYREJECTED ?
				  "bad signature" : "the TPM could not verify it");
	}
	if (rc)
		goto out;
	rc = hrot_token_check_time(tok);
	if (!rc)
		rc = hrot_token_check_binding(dev, id, tok);
	if (!rc) {
		memzero_explicit(dev->last_qualifying,
				 sizeof(dev->last_qualifying));
		dev->last_qualifying_len = 0;
	}
out:
	mutex_unlock(&dev->lock);
	return rc;
}

/* A caller's description must be the token id in hex; none gets it. */
static int hrot_token_description(struct key_preparsed_payload *prep,
				  const struct hrot_token *tok)
{
	char *hex;

	hex = hrot_kzalloc(2 * HROT_TOKEN_ID_SIZE + 1);
	if (!hex)
		return -ENOMEM;
	bin2hex(hex, tok->token_id, HROT_TOKEN_ID_SIZE);
	if (prep->orig_description && strcmp(prep->orig_description, hex)) {
		hrot_token_refuse(tok, "description \"%s\" is not its id",
				  prep->orig_description);
		hrot_kfree(hex);
		return -EINVAL;
	}
	prep->description = hex;
	return 0;
}

static int hrot_token_preparse(struct key_preparsed_payload *prep)
{
	const struct hrot_token *tok = prep->data;
	struct hrot_p256_point anchor;
	struct hrot_token_key *tk;
	int rc;

	BUILD_BUG_ON(sizeof(struct hrot_token) != HROT_TOKEN_SIZE);
	BUILD_BUG_ON(offsetof(struct hrot_token, sig_r) !=
		     HROT_TOKEN_SIGNED_SIZE);
	if (!capable(CAP_SYS_ADMIN)) {
		pr_notice_ratelimited("hrot: token refused: the caller lacks CAP_SYS_ADMIN\n");
		return -EPERM;
	}
	if (prep->datalen != HROT_TOKEN_SIZE) {
		pr_notice("hrot: token refused: %zu bytes, a token is %d\n",
			  prep->datalen, HROT_TOKEN_SIZE);
		return -EINVAL;
	}
	rc = hrot_token_check_layout(tok);
	if (rc)
		return rc;
	rc = hrot_token_description(prep, tok);
	if (rc)
		return rc;
	if (!hrot_tpm_present(&hrot)) {
		hrot_token_refuse(tok, "no TPM to verify it");
		return -ENODEV;
	}
	rc = hrot_anchor_find(tok->signer, &anchor);
	if (rc) {
		hrot_token_refuse(tok, "no anchor %*phN in .hrot (%d)",
				  HROT_SIGNER_ID_SIZE, tok->signer, rc);
		return rc;
	}
	rc = hrot_token_verify(&hrot, tok, &anchor);
	if (rc)
		return rc;

	tk = hrot_kzalloc(sizeof(*tk));
	if (!tk)
		return -ENOMEM;
	INIT_LIST_HEAD(&tk->link);
	memcpy(&tk->tok, tok, sizeof(*tok));
	prep->payload.data[0] = tk;
	prep->quotalen = sizeof(*tk);
	prep->expiry = le64_to_cpu(tok->expires_at);
	pr_info("hrot: token %*phN accepted, expires at %lld\n",
		HROT_TOKEN_ID_SIZE, tok->token_id, prep->expiry);
	return 0;
}

static void hrot_token_free_preparse(struct key_preparsed_payload *prep)
{
	hrot_kfree(prep->description);
	hrot_kfree(prep->payload.data[0]);
}

/* The token's own expiry: the key's may be changed (keyctl timeout). */
static bool hrot_token_expired(const struct hrot_token_key *tk)
{
	return (s64)le64_to_cpu(tk->tok.expires_at) <=
	       ktime_get_real_seconds();
}

/*
 * Run the expiry work when the earliest unannounced token expires.  Keys
 * expire by themselves; this only tells netlink listeners.  A timer that
 * far ahead may fire an eighth of its delay late (the timer wheel's
 * granularity), so a long one is armed for seven eighths and re-armed
 * when it wakes; the last stretch (at most 8 s) is armed a quarter second
 * past the expiry, so that the token has expired when the work looks.
 * Armed under the lock, so that a token added meanwhile cannot have its
 * earlier expiry overwritten by a later one.
 */
static void hrot_token_expiry_schedule(void)
{
	struct hrot_token_key *tk;
	s64 next = S64_MAX, left;
	unsigned long delay;

	spin_lock(&hrot_tokens_lock);
	list_for_each_entry(tk, &hrot_tokens, link)
		if (!tk->done)
			next = min_t(s64, next, le64_to_cpu(tk->tok.expires_at));
	if (next != S64_MAX) {
		left = next - ktime_get_real_seconds();
		if (left <= 0)
			delay = 0;
		else if (left > 8)
			delay = (unsigned long)(left - left / 8) * HZ;
		else
			delay = (unsigned long)left * HZ + HZ / 4;
		mod_delayed_work(system_wq, &hrot_token_expiry_work, delay);
	}
	spin_unlock(&hrot_tokens_lock);
}

/* Announce each token whose expires_at passed, once. */
static void hrot_token_expiry_fn(struct work_struct *work)
{
	u8 id[HROT_TOKEN_ID_SIZE];
	struct hrot_token_key *tk;
	key_serial_t serial;
	u64 expires;
	bool found;

	do {
		found = false;
		spin_lock(&hrot_tokens_lock);
		list_for_each_entry(tk, &hrot_tokens, link) {
			if (tk->done || !hrot_token_expired(tk))
				continue;
			tk->done = true;
			memcpy(id, tk->tok.token_id, sizeof(id));
			serial = tk->key->serial;
			expires = le64_to_cpu(tk->tok.expires_at);
			found = true;
			break;
		}
		spin_unlock(&hrot_tokens_lock);
		if (found)
			hrot_notify_token(HROT_GENL_CMD_TOKEN_EXPIRED, serial,
					  id, expires);
	} while (found);
	hrot_token_expiry_schedule();
}

static int hrot_token_instantiate(struct key *key,
				  struct key_preparsed_payload *prep)
{
	struct hrot_token_key *tk = prep->payload.data[0];
	int rc;

	rc = generic_key_instantiate(key, prep);
	if (rc)
		return rc;
	hrot_key_owner_perm(key);
	tk->key = key;
	spin_lock(&hrot_tokens_lock);
	list_add(&tk->link, &hrot_tokens);
	spin_unlock(&hrot_tokens_lock);
	hrot_notify_token(HROT_GENL_CMD_TOKEN_ADDED, key->serial,
			  tk->tok.token_id, le64_to_cpu(tk->tok.expires_at));
	hrot_token_expiry_schedule();
	return 0;
}

/* keyctl revoke: announced once; a revoked token's expiry is not. */
static void hrot_token_revoke(struct key *key)
{
	struct hrot_token_key *tk = key->payload.data[0];
	bool announce;

	if (!tk)
		return;
	spin_lock(&hrot_tokens_lock);
	announce = !tk->done;
	tk->done = true;
	spin_unlock(&hrot_tokens_lock);
	if (announce)
		hrot_notify_token(HROT_GENL_CMD_TOKEN_REVOKED, key->serial,
				  tk->tok.token_id, 0);
}

/*
 * The garbage collector reaps an expired key at its expiry, often before
 * the expiry work runs: then its expiry is announced here (the collector
 * runs in process context).  A token removed before it expired (unlinked,
 * invalidated, replaced) is not announced.
 */
static void hrot_token_destroy(struct key *key)
{
	struct hrot_token_key *tk = key->payload.data[0];
	bool announce;

	if (!tk)
		return;
	spin_lock(&hrot_tokens_lock);
	list_del(&tk->link);
	announce = !tk->done && hrot_token_expired(tk);
	spin_unlock(&hrot_tokens_lock);
	if (announce)
		hrot_notify_token(HROT_GENL_CMD_TOKEN_EXPIRED, key->serial,
				  tk->tok.token_id,
				  le64_to_cpu(tk->tok.expires_at));
	hrot_kfree(tk);
	key->payload.data[0] = NULL;
}

/*
 * /proc/keys calls this under RCU alone, while the garbage collector may
 * free the payload of a dying key: the description only (the expiry shows
 * in /proc/keys' own timeout column).
 */
static void hrot_token_describe(const struct key *key, struct seq_file *m)
{
	seq_puts(m, key->description);
}

static const char *hrot_token_kind_name(u8 kind)
{
	switch (kind) {
	case HROT_TOKEN_KIND_RUNTIME:
		return "runtime";
	case HROT_TOKEN_KIND_COMPONENT:
		return "component";
	default:
		return "release";
	}
}

/*
 * The claims as key=value text, no newline (keyctl print shows a payload
 * with one as hex); returns the length, as .read wants.
 */
static long hrot_token_read(const struct key *key, char *buffer,
			    size_t buflen)
{
	const struct hrot_token_key *tk = key->payload.data[0];
	const struct hrot_token *t;
	char text[HROT_TOKEN_CLAIMS_MAX];
	int len;

	if (!tk)
		return -EKEYREVOKED;
	if (hrot_token_expired(tk))
		return -EKEYEXPIRED;
	t = &tk->tok;
	len = scnprintf(text, sizeof(text),
			"token=%*phN kind=%s device=%*phN instance=%*phN policy=%u component=%*phN issued=%llu expires=%llu signer=%*phN",
			HROT_TOKEN_ID_SIZE, t->token_id,
			hrot_token_kind_name(t->kind),
			HROT_DEVICE_NAME_SIZE, t->device,
			HROT_INSTANCE_ID_SIZE, t->instance,
			le32_to_cpu(t->policy_id),
			HROT_NONCE_SIZE, t->component,
			le64_to_cpu(t->issued_at), le64_to_cpu(t->expires_at),
			HROT_SIGNER_ID_SIZE, t->signer);
	if (buffer && buflen)
		memcpy(buffer, text, min_t(size_t, buflen, len));
	return len;
}

struct key_type hrot_key_type_token = {
	.name = "hrot_token",
	.flags = KEY_TYPE_INSTANT_REAP,
	.preparse = hrot_token_preparse,
	.free_preparse = hrot_token_free_preparse,
	.instantiate = hrot_token_instantiate,
	.revoke = hrot_token_revoke,
	.destroy = hrot_token_destroy,
	.describe = hrot_token_describe,
	.read = hrot_token_read,
};

/*
 * Usable now: instantiated, referenced, unexpired (by the key's expiry and
 * by the token's own, which a changed key timeout cannot extend), neither
 * revoked nor invalidated.
 */
static bool hrot_token_usable(const struct hrot_token_key *tk)
{
	return refcount_read(&tk->key->usage) && key_is_positive(tk->key) &&
	       !key_validate(tk->key) && !hrot_token_expired(tk);
}

/**
 * hrot_token_valid() - is a valid token present?
 *
 * Return: true while some hrot_token key is usable.
 */
bool hrot_token_valid(void)
{
	struct hrot_token_key *tk;
	bool valid = false;

	spin_lock(&hrot_tokens_lock);
	list_for_each_entry(tk, &hrot_tokens, link) {
		if (hrot_token_usable(tk)) {
			valid = true;
			break;
		}
	}
	spin_unlock(&hrot_tokens_lock);
	return valid;
}

/**
 * hrot_token_valid_for_component() - may this executable use the TPM?
 * @component: its SHA-256
 *
 * Return: true while a usable token of kind COMPONENT names @component.
 */
bool hrot_token_valid_for_component(const u8 *component)
{
	struct hrot_token_key *tk;
	bool valid = false;

	spin_lock(&hrot_tokens_lock);
	list_for_each_entry(tk, &hrot_tokens, link) {
		if (tk->tok.kind == HROT_TOKEN_KIND_COMPONENT &&
		    !crypto_memneq(tk->tok.component, component,
				   sizeof(tk->tok.component)) &&
		    hrot_token_usable(tk)) {
			valid = true;
			break;
		}
	}
	spin_unlock(&hrot_tokens_lock);
	return valid;
}

int hrot_token_init(void)
{
	return register_key_type(&hrot_key_type_token);
}

/*
 * Waits until every hrot_token key, in any keyring, is destroyed; then no
 * token is left for the expiry work to reschedule itself for.
 */
void hrot_token_exit(void)
{
	unregister_key_type(&hrot_key_type_token);
	cancel_delayed_work_sync(&hrot_token_expiry_work);
}
