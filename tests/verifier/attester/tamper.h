/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrot-soft-attester: the attack catalogue, as changes made to honest
 * evidence just before it is sent (libhrot-client's test hooks).
 */
#ifndef HROT_SOFT_TAMPER_H
#define HROT_SOFT_TAMPER_H

#include <stdbool.h>

#include <hrot/client.h>

#include "soft.h"

struct tamper {
	bool flip_attest, flip_sig, flip_pcr, flip_log, wrong_eph;
	bool bad_metadata, no_physical, other_ak, forge_quote;
	const char *replay_nonce;	/* file: use that nonce instead */
	const char *save_nonce;		/* file: keep the nonce used */
	const char *other_device;	/* hex: use a nonce issued to it */
	const char *physical_token;	/* file: send that physical token */
	const char *save_request;	/* file: keep the attest body sent */
	unsigned int delay;		/* seconds between challenge and quote */
};

struct tamper_ctx {
	const struct tamper *t;
	struct hrot_client *c;
	const struct soft_ctx *s;
	int failed;			/* a hook could not do its part */
};

/* "flip-attest", "replay-nonce=FILE", ...: 0 or -EINVAL. */
int tamper_parse(struct tamper *t, const char *what);
void tamper_install(struct tamper_ctx *tc, const struct tamper *t,
		    struct hrot_client *c, const struct soft_ctx *s);

#endif /* HROT_SOFT_TAMPER_H */
