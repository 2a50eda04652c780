/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nonce.h - single-use challenges, in memory.
 *
 * A challenge is 32 random bytes bound to one device, with an expiry, and
 * optionally a 32-byte payload (the credential secret of an activation).
 * It lives only in memory: a restart of the verifier invalidates every
 * outstanding challenge (Documentation/protocol.md).  The table is bounded
 * (@max entries; expired ones are evicted first, then issuing fails with
 * -EBUSY) and safe to use from every worker thread.
 */
#ifndef HROT_VERIFIER_NONCE_H
#define HROT_VERIFIER_NONCE_H

#include <stddef.h>
#include <stdint.h>

#include <linux/hrot_token.h>

enum nonce_result {
	NONCE_OK = 0,
	NONCE_UNKNOWN,		/* never issued, or already used */
	NONCE_EXPIRED,
	NONCE_WRONG_DEVICE,	/* issued to another device: left in place */
};

struct nonce_table;

int nonce_table_new(unsigned int lifetime_s, size_t max,
		    struct nonce_table **out);
void nonce_table_free(struct nonce_table *t);

/* New challenge for @device at time @now; @payload may be NULL. */
int nonce_issue(struct nonce_table *t, const uint8_t *device, int64_t now,
		const uint8_t *payload, uint8_t nonce[HROT_NONCE_SIZE]);

/*
 * Take the challenge: it is removed whatever the outcome except
 * NONCE_WRONG_DEVICE, so a nonce is used at most once.  @payload (may be
 * NULL) receives the payload on NONCE_OK.
 */
enum nonce_result nonce_consume(struct nonce_table *t,
				const uint8_t nonce[HROT_NONCE_SIZE],
				const uint8_t *device, int64_t now,
				uint8_t *payload);

size_t nonce_table_count(struct nonce_table *t);

#endif /* HROT_VERIFIER_NONCE_H */
