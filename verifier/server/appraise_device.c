// SPDX-License-Identifier: GPL-2.0
/*
 * appraise_device.c - checks on who is asking: the device is registered,
 * not revoked, enrolled (approved by an operator and through credential
 * activation), and answers a challenge that was issued to it.
 */
#include <string.h>

#include "appraise_checks.h"

static const char *dev_hex(const uint8_t *id, char *out, size_t size)
{
	return appraise_hex(id, HROT_DEVICE_NAME_SIZE, out, size);
}

enum appraise_reason appraise_check_registered(struct appraise_run *run)
{
	const struct store_device *dev = run->ctx->dev;
	char h[2 * HROT_DEVICE_NAME_SIZE + 1];

	if (!dev)
		return appraise_fail(run, APPRAISE_DEVICE_UNKNOWN,
				     "device %s is not registered",
				     dev_hex(run->device, h, sizeof(h)));
	/* the caller looked the record up by the request's id: be sure */
	if (memcmp(dev->id, run->device, HROT_DEVICE_NAME_SIZE) != 0)
		return appraise_fail(run, APPRAISE_DEVICE_UNKNOWN,
				     "device %s: the record is another device's",
				     dev_hex(run->device, h, sizeof(h)));
	return APPRAISE_PASS;
}

enum appraise_reason appraise_check_not_revoked(struct appraise_run *run)
{
	const struct store_device *dev = run->ctx->dev;

	if (dev->state == STORE_DEV_REVOKED)
		return appraise_fail(run, APPRAISE_DEVICE_REVOKED,
				     "device revoked: %s",
				     dev->revoke_reason[0] ? dev->revoke_reason :
				     "no reason given");
	return APPRAISE_PASS;
}

enum appraise_reason appraise_check_enrolled(struct appraise_run *run)
{
	const struct store_device *dev = run->ctx->dev;

	if (dev->state != STORE_DEV_ENROLLED)
		return appraise_fail(run, APPRAISE_DEVICE_PENDING,
				     "device is %s, not enrolled",
				     store_device_state_name(dev->state));
	if (!dev->enrolled)
		return appraise_fail(run, APPRAISE_DEVICE_PENDING,
				     "device has no instance yet (activation not done)");
	return APPRAISE_PASS;
}

/*
 * Taken here, before the expensive checks: whatever follows, this
 * challenge cannot be answered twice.
 */
enum appraise_reason appraise_check_nonce(struct appraise_run *run)
{
	struct appraise_ctx *ctx = run->ctx;

	switch (nonce_consume(ctx->nonces, run->nonce, ctx->dev->id, ctx->now,
			      NULL)) {
	case NONCE_OK:
		return APPRAISE_PASS;
	case NONCE_EXPIRED:
		return appraise_fail(run, APPRAISE_NONCE_EXPIRED,
				     "nonce expired (lifetime over); ask for a new challenge");
	case NONCE_WRONG_DEVICE:
		return appraise_fail(run, APPRAISE_NONCE_WRONG_DEVICE,
				     "nonce was issued to another device");
	case NONCE_UNKNOWN:
	default:
		return appraise_fail(run, APPRAISE_NONCE_UNKNOWN,
				     "nonce was never issued or is already used");
	}
}
