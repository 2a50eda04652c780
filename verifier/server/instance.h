/* SPDX-License-Identifier: GPL-2.0 */
/*
 * instance.h - instances made by an operator ahead of their device
 * (POST /v1/admin/instances, claimed by /v1/activate's "instance").
 *
 * Until it is claimed, an instance's volume secret is sealed by the vault
 * for a pseudo device id: 0x0000 (TPM_ALG_ERROR, which starts no real AK
 * name: those start with their name algorithm, 0x000b) || instance id ||
 * zeros.  A sealed instance secret therefore opens for no device, and a
 * device's sealed secret opens for no instance.  The claim re-seals it
 * for the device that enrolled, into the device's row, so release.c
 * handles both kinds of instance alike.
 */
#ifndef HROT_VERIFIER_INSTANCE_H
#define HROT_VERIFIER_INSTANCE_H

#include <stddef.h>
#include <stdint.h>

#include <hrot/evidence.h>
#include <linux/hrot_token.h>

#include "store.h"

struct vault;

/* The vault's additional data for an unclaimed instance's secret. */
void instance_vault_id(const uint8_t instance[HROT_INSTANCE_ID_SIZE],
		       uint8_t out[HROT_DEVICE_NAME_SIZE]);

/*
 * A new instance: random id and HROT_SECRET_SIZE-byte secret, @now as
 * its creation time, the secret sealed into @in and also copied to
 * @secret (for the operator, once).  0 or -errno.
 */
int instance_make(struct vault *v, int64_t now, struct store_instance *in,
		  uint8_t secret[HROT_SECRET_SIZE]);

/* The secret of @in sealed for @device instead: 0 or -errno. */
int instance_reseal(struct vault *v, const struct store_instance *in,
		    const uint8_t *device, uint8_t *out, size_t out_size,
		    size_t *out_len);

#endif /* HROT_VERIFIER_INSTANCE_H */
