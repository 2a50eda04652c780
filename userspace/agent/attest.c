// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-agent: one runtime attestation (purpose "runtime": the verifier
 * appraises it like a boot's and answers with a token, never the volume
 * secret), and the kernel token that says so.
 *
 * A pass puts the new token into the .hrot keyring (the module checks it
 * again, with the TPM) and drops the previous one, so INFO's "token valid"
 * means "this machine passed its latest attestation, and that token has
 * not expired".  A refusal revokes every token in the keyring at once
 * (ours, the boot's, another agent's): the machine is not what the policy
 * allows, and whatever relies on a token (seed 002's enforcement) must
 * stop now, not at its expiry.  An attestation that got
 * no answer changes nothing: the token runs out by itself.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <keyutils.h>

#include <hrot/device.h>
#include <hrot/hex.h>

#include "agent.h"

/*
 * The module hashes the component itself (MEASURE_FD) and logs it, so the
 * verifier sees it in the log it appraises and can name it in a token.
 */
int agent_measure_component(struct agent *ag)
{
	char hex[HROT_HEX_SIZE(32)];
	uint64_t size, index;
	int fd = hrot_dev_open(NULL), ret;

	if (fd < 0) {
		agent_say("--component: /dev/hrot: %s", strerror(-fd));
		return -1;
	}
	ret = hrot_dev_measure_path(fd, ag->o->component, ag->component,
				    &size, &index);
	hrot_dev_close(fd);
	if (ret) {
		agent_say("--component %s: not measured: %s", ag->o->component,
			  strerror(-ret));
		return -1;
	}
	ag->has_component = true;
	hrot_hex_encode(ag->component, sizeof(ag->component), hex, sizeof(hex));
	agent_say("component %s measured: sha256 %s (log record %llu)",
		  ag->o->component, hex, (unsigned long long)index);
	return 0;
}

void agent_say(const char *fmt, ...)
{
	va_list ap;

	fputs("hrot-agent: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* The previous pass's token, replaced: gone at once, no "revoked" event. */
static void token_replaced(struct agent *ag)
{
	if (ag->token_key && keyctl_invalidate(ag->token_key))
		agent_say("kernel token %d: %s", ag->token_key,
			  strerror(errno));
	ag->token_key = 0;
}

static void said_revoked(int32_t key, void *arg)
{
	(void)arg;
	agent_say("kernel token %d revoked", key);
}

static void revoke_own(struct agent *ag)
{
	if (ag->token_key && !ag->o->no_keyring && !keyctl_revoke(ag->token_key))
		said_revoked(ag->token_key, NULL);
	ag->token_key = 0;
}

void agent_tokens_revoke(struct agent *ag)
{
	char err[UNLOCK_ERR_MAX] = "";

	ag->token_key = 0;
	if (!ag->o->no_keyring &&
	    unlock_keyring_revoke_tokens(ag->o->keyring_path, said_revoked,
					 NULL, err, sizeof(err)) < 0)
		agent_say("revoking the kernel tokens: %s", err);
}

/* The new token into the kernel, the old one out. */
static enum agent_result keep_token(struct agent *ag,
				    const struct hrot_release *r)
{
	char id[HROT_HEX_SIZE(HROT_TOKEN_ID_SIZE)], err[UNLOCK_ERR_MAX] = "";
	int64_t expires;
	int key;

	hrot_hex_encode(r->token.token_id, sizeof(r->token.token_id), id,
			sizeof(id));
	expires = (int64_t)le64toh(r->token.expires_at);
	if (ag->o->no_keyring) {
		ag->token_expires = expires;
		agent_say("pass: token %s until %lld", id, (long long)expires);
		return AGENT_PASS;
	}
	key = unlock_keyring_add(&r->token, ag->cfg.token_key,
				 ag->o->keyring_path, err, sizeof(err));
	if (key < 0) {
		/*
		 * The verifier said yes and the kernel no: not a pass.  Most
		 * likely another quote came between ours and the token (the
		 * kernel takes a token for its latest quote only): the next
		 * round will do; the previous token stays what it was.
		 */
		agent_say("pass, but %s", err);
		return AGENT_ERROR;
	}
	token_replaced(ag);
	ag->token_key = key;
	ag->token_expires = expires;
	agent_say("pass: token %s until %lld (kernel key %d)", id,
		  (long long)expires, key);
	return AGENT_PASS;
}

static enum agent_result failed(struct agent *ag, struct hrot_client *c,
				int ret)
{
	const struct hrot_client_error *e = hrot_client_error(c);
	const char *reason = e->reason[0] ? e->reason : "local";
	const char *detail = e->detail[0] ? e->detail : strerror(-ret);

	/*
	 * Only the verifier's verdict revokes: a 500, a 503, a challenge lost
	 * to a restart are no verdict on this machine.
	 */
	if (ret != -EACCES || e->http_status != 403 ||
	    unlock_reason_transient(reason)) {
		agent_say("no verdict: %s: %s", reason, detail);
		return AGENT_ERROR;
	}
	agent_say("refused: %s: %s", reason, detail);
	/*
	 * A component the policy does not (or no longer) mark: the verdict is
	 * on the program, not the machine; only its token goes.
	 */
	if (!strcmp(reason, "component_not_allowed"))
		revoke_own(ag);
	else
		agent_tokens_revoke(ag);
	return AGENT_REFUSED;
}

enum agent_result agent_attest(struct agent *ag)
{
	struct hrot_client_config cc = {
		.url = ag->cfg.verifier, .ca_file = ag->cfg.ca,
		.connect_timeout_ms = ag->cfg.connect_timeout_ms,
		.timeout_ms = ag->cfg.timeout_ms,
		.deadline_ms = unlock_now_ms() + ag->cfg.deadline_ms,
	};
	struct hrot_attest_opts ao = {
		.physical = HROT_PHYSICAL_AUTO, .token_pub = ag->cfg.token_key,
		.runtime = true,
		.component = ag->has_component ? ag->component : NULL,
	};
	struct hrot_attester a = { 0 };
	struct hrot_client *c = NULL;
	struct hrot_release r;
	enum agent_result res;
	int ret;

	ag->rounds++;
	ret = hrot_client_new(&cc, &c);
	if (ret) {
		agent_say("no verdict: client: %s", strerror(-ret));
		return AGENT_ERROR;
	}
	ret = unlock_backend_open(&a);
	if (ret) {
		agent_say("no verdict: /dev/hrot: %s", strerror(-ret));
		hrot_client_free(c);
		return AGENT_ERROR;
	}
	ret = hrot_client_attest(c, &a, ag->metadata.device, &ag->metadata,
				 &ao, &r);
	res = ret ? failed(ag, c, ret) : keep_token(ag, &r);
	if (!ret)
		hrot_release_free(&r);
	hrot_attester_close(&a);
	hrot_client_free(c);
	return res;
}
