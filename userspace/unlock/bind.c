// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: binding a LUKS2 volume to a verifier instance (one
 * keyslot, one hrot token naming it), unbinding, status.
 *
 * The keyslot's passphrase is a 32-byte HKDF output: high entropy, so
 * PBKDF2 at libcryptsetup's minimum (1000 iterations, no benchmark) costs
 * an attacker nothing they could not do against the key itself, and saves
 * the boot the second of Argon2.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libcryptsetup.h>

#include <hrot/hex.h>

#include "unlock.h"

#define MIN_PBKDF2_ITERATIONS	1000

static int already_bound(struct crypt_device *cd, char *err, size_t err_size)
{
	struct unlock_binding b;
	char why[UNLOCK_ERR_MAX];
	int token = -1, ret;

	ret = unlock_token_find(cd, &token, &b, why, sizeof(why));
	if (ret == -ENOENT)
		return 0;
	if (token >= 0)
		snprintf(err, err_size,
			 "already bound (hrot token %d): unbind first", token);
	else
		snprintf(err, err_size, "already bound (%s): unbind first",
			 why);
	return -EEXIST;
}

int unlock_bind(struct crypt_device *cd, const void *old, size_t old_len,
		const uint8_t key[UNLOCK_KEY_SIZE], struct unlock_binding *b,
		char *err, size_t err_size)
{
	struct crypt_pbkdf_type pbkdf = {
		.type = CRYPT_KDF_PBKDF2,
		.hash = "sha256",
		.iterations = MIN_PBKDF2_ITERATIONS,
		.flags = CRYPT_PBKDF_NO_BENCHMARK,
	};
	int slot, token, ret;

	ret = already_bound(cd, err, err_size);
	if (ret)
		return ret;
	ret = crypt_set_pbkdf_type(cd, &pbkdf);
	if (ret) {
		snprintf(err, err_size, "PBKDF2 parameters refused: %s",
			 strerror(-ret));
		return ret;
	}
	slot = crypt_keyslot_add_by_passphrase(cd, CRYPT_ANY_SLOT, old,
					       old_len, (const char *)key,
					       UNLOCK_KEY_SIZE);
	if (slot < 0) {
		snprintf(err, err_size, "adding the keyslot: %s",
			 slot == -EPERM ?
			 "the existing passphrase opens no keyslot" :
			 strerror(-slot));
		return slot;
	}
	b->keyslot = slot;
	token = unlock_token_write(cd, b);
	if (token < 0) {
		/* No keyslot without its token: nothing would name it. */
		if (crypt_keyslot_destroy(cd, slot) < 0)
			snprintf(err, err_size,
				 "writing the hrot token: %s; keyslot %d, which the derived key opens, is left: remove it (cryptsetup luksKillSlot)",
				 strerror(-token), slot);
		else
			snprintf(err, err_size, "writing the hrot token: %s",
				 strerror(-token));
		return token;
	}
	return slot;
}

/* A keyslot holding the volume key (not an unbound one, not empty). */
bool unlock_keyslot_active(struct crypt_device *cd, int slot)
{
	crypt_keyslot_info ki = crypt_keyslot_status(cd, slot);

	return ki == CRYPT_SLOT_ACTIVE || ki == CRYPT_SLOT_ACTIVE_LAST;
}

static bool other_keyslot(struct crypt_device *cd, int slot)
{
	int i, max = crypt_keyslot_max(CRYPT_LUKS2);

	for (i = 0; i < max; i++)
		if (i != slot && unlock_keyslot_active(cd, i))
			return true;
	return false;
}

int unlock_unbind(struct crypt_device *cd, char *err, size_t err_size)
{
	struct unlock_binding b;
	int token = -1, ret;

	ret = unlock_token_find(cd, &token, &b, err, err_size);
	if (ret && token < 0)
		return ret;
	if (ret)
		b.keyslot = -1;
	if (!ret && !other_keyslot(cd, b.keyslot)) {
		snprintf(err, err_size,
			 "keyslot %d is the only keyslot: add a passphrase first",
			 b.keyslot);
		return -EBUSY;
	}
	ret = crypt_token_json_set(cd, token, NULL);
	if (ret < 0) {
		snprintf(err, err_size, "removing token %d: %s", token,
			 strerror(-ret));
		return ret;
	}
	/* A token that did not parse names no keyslot we could trust. */
	if (b.keyslot >= 0 && unlock_keyslot_active(cd, b.keyslot)) {
		ret = crypt_keyslot_destroy(cd, b.keyslot);
		if (ret < 0) {
			snprintf(err, err_size, "removing keyslot %d: %s",
				 b.keyslot, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static void print_hex(FILE *out, const char *label, const void *p, size_t n)
{
	char hex[HROT_HEX_SIZE(HROT_DEVICE_NAME_SIZE)];

	hrot_hex_encode(p, n, hex, sizeof(hex));
	fprintf(out, "%s: %s\n", label, hex);
}

void unlock_status_print(FILE *out, const struct unlock_binding *b)
{
	fprintf(out, "keyslot: %d\n", b->keyslot);
	fprintf(out, "verifier: %s\n", b->verifier);
	print_hex(out, "ca_sha256", b->ca_sha256, sizeof(b->ca_sha256));
	print_hex(out, "token_key_sha256", b->token_key_sha256,
		  sizeof(b->token_key_sha256));
	if (b->sealed)
		fprintf(out, "device: none yet (sealed image: the machine that enrols with --instance claims it)\n");
	else
		print_hex(out, "device", b->device, sizeof(b->device));
	print_hex(out, "instance", b->instance, sizeof(b->instance));
	fprintf(out, "created_at: %lld\n", (long long)b->created_at);
}
