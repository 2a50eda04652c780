// SPDX-License-Identifier: GPL-2.0
/*
 * instance.c - the secret of an instance made ahead of its device
 * (instance.h).
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <hrot/evidence.h>

#include "instance.h"
#include "vault.h"

void instance_vault_id(const uint8_t instance[HROT_INSTANCE_ID_SIZE],
		       uint8_t out[HROT_DEVICE_NAME_SIZE])
{
	memset(out, 0, HROT_DEVICE_NAME_SIZE);
	memcpy(out + 2, instance, HROT_INSTANCE_ID_SIZE);
}

int instance_make(struct vault *v, int64_t now, struct store_instance *in,
		  uint8_t secret[HROT_SECRET_SIZE])
{
	uint8_t vid[HROT_DEVICE_NAME_SIZE];
	int ret;

	memset(in, 0, sizeof(*in));
	in->created_at = now;
	if (RAND_bytes(in->id, sizeof(in->id)) != 1 ||
	    RAND_bytes(secret, HROT_SECRET_SIZE) != 1)
		return -EIO;
	instance_vault_id(in->id, vid);
	ret = vault_seal(v, vid, secret, HROT_SECRET_SIZE, in->sealed_secret,
			 sizeof(in->sealed_secret), &in->sealed_secret_len);
	if (ret)
		OPENSSL_cleanse(secret, HROT_SECRET_SIZE);
	return ret;
}

int instance_reseal(struct vault *v, const struct store_instance *in,
		    const uint8_t *device, uint8_t *out, size_t out_size,
		    size_t *out_len)
{
	uint8_t vid[HROT_DEVICE_NAME_SIZE];
	uint8_t secret[VAULT_SECRET_MAX];
	size_t len = 0;
	int ret;

	instance_vault_id(in->id, vid);
	ret = vault_open_secret(v, vid, in->sealed_secret,
				in->sealed_secret_len, secret, sizeof(secret),
				&len);
	if (!ret)
		ret = vault_seal(v, device, secret, len, out, out_size,
				 out_len);
	OPENSSL_cleanse(secret, sizeof(secret));
	return ret;
}
