/* SPDX-License-Identifier: GPL-2.0 */
/*
 * activation.h - credential secrets between the two steps of
 * POST /v1/activate, in memory, keyed by a random 16-byte activation id.
 *
 * Like challenges they are single-use and expire with the nonce lifetime;
 * a restart forgets them (the device starts again at step 1).  The table
 * is small and bounded: activations are rare, an operator approves each.
 */
#ifndef HROT_VERIFIER_ACTIVATION_H
#define HROT_VERIFIER_ACTIVATION_H

#include <stddef.h>
#include <stdint.h>

#include <hrot/evidence.h>
#include <linux/hrot_token.h>

struct activation_table;

int activation_table_new(unsigned int lifetime_s, size_t max,
			 struct activation_table **out);
void activation_table_free(struct activation_table *t);

/* Remember @secret for @device; a fresh id in @id.  0, -EBUSY, -EIO. */
int activation_put(struct activation_table *t, const uint8_t *device,
		   const uint8_t secret[HROT_SECRET_SIZE], int64_t now,
		   uint8_t id[HROT_ACTIVATION_ID_SIZE]);

/*
 * Take the secret of @id for @device: 0 and @secret, or -ENOENT (unknown,
 * used, expired or another device's).  The entry is gone afterwards
 * whatever the outcome, so a guess costs the device its activation.
 */
int activation_take(struct activation_table *t,
		    const uint8_t id[HROT_ACTIVATION_ID_SIZE],
		    const uint8_t *device, int64_t now,
		    uint8_t secret[HROT_SECRET_SIZE]);

#endif /* HROT_VERIFIER_ACTIVATION_H */
