// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock open DEVICE NAME: attestation, then the hrot token's
 * keyslot and no other, then the measurement "unlocked <UUID>".  On any
 * failure the volume stays locked, unless the operator asked for recovery
 * (rd.hrot.recovery or --recovery): then the use of the passphrase is
 * measured before it is asked for.
 *
 * --test-passphrase checks that the key opens the keyslot without
 * activating anything (and measures nothing).  --token-out F writes the
 * release token the kernel accepted (public claims; tests replay it).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libcryptsetup.h>

#include "cli.h"

static uint32_t activate_flags(const struct unlock_opts *o)
{
	return o->readonly ? CRYPT_ACTIVATE_READONLY : 0;
}

/*
 * Measured before the keyslot opens, as the plugin does before its key
 * leaves: a failed EXTEND stops the unlock, and an unlock never goes
 * unmeasured.  (An activation that then fails leaves an "unlocked" record
 * too many, which the next attestation shows; never one too few.)
 */
static int activate(struct unlock_opts *o, struct crypt_device *cd,
		    const struct unlock_binding *b, const uint8_t *key)
{
	const char *name = o->test_passphrase ? NULL : o->args[1];
	int ret;

	if (name) {
		ret = unlock_measure_volume(cd, "unlocked");
		if (ret) {
			cli_error("measure: %s: %s stays locked",
				  strerror(-ret), name);
			return ret;
		}
	}
	ret = crypt_activate_by_passphrase(cd, name, b->keyslot,
					   (const char *)key, UNLOCK_KEY_SIZE,
					   activate_flags(o));
	if (ret < 0) {
		cli_error("keyslot %d: %s: %s", b->keyslot,
			  ret == -EPERM ? "key_rejected" : "activation",
			  ret == -EPERM ? "the derived key does not open it" :
			  strerror(-ret));
		return ret;
	}
	return 0;
}

static int attested(struct unlock_opts *o, struct crypt_device *cd)
{
	struct unlock_binding b;
	struct unlock_failure fail;
	struct unlock_request req = {
		.cfg = &o->cfg, .binding = &b, .no_keyring = o->no_keyring,
		.keyring_path = o->keyring_path, .token_out = o->token_out,
		.say = cli_say,
	};
	char err[UNLOCK_ERR_MAX];
	uint8_t *key;
	int token, ret;

	ret = unlock_token_find(cd, &token, &b, err, sizeof(err));
	/* a sealed image: this machine's metadata, if it claimed it */
	if (!ret)
		ret = unlock_binding_claimed(&b, o->metadata ? o->metadata :
					     UNLOCK_METADATA_PATH, err,
					     sizeof(err));
	if (ret) {
		cli_error("%s: %s", o->args[0], err);
		return ret;
	}
	if (!o->cfg.verifier[0])
		memcpy(o->cfg.verifier, b.verifier, strlen(b.verifier) + 1);
	key = unlock_secmem_alloc(UNLOCK_KEY_SIZE);
	if (!key)
		return -ENOMEM;
	ret = unlock_obtain_key(&req, key, &fail);
	if (!ret)
		ret = activate(o, cd, &b, key);
	unlock_secmem_free(key, UNLOCK_KEY_SIZE);
	return ret;
}

static int recover(struct unlock_opts *o, struct crypt_device *cd)
{
	char err[UNLOCK_ERR_MAX];
	int ret;

	cli_error("recovery requested: measuring it, then asking for the passphrase");
	ret = unlock_recovery(cd, o->test_passphrase ? NULL : o->args[1],
			      o->recovery_key_file, activate_flags(o), err,
			      sizeof(err));
	if (ret)
		cli_error("%s", err);
	return ret;
}

int cmd_open(struct unlock_opts *o)
{
	struct crypt_device *cd = NULL;
	int ret;

	if (cli_config(o, true))
		return UNLOCK_EXIT_USAGE;
	if (cli_load(o->args[0], &cd) < 0)
		return UNLOCK_EXIT_FAILED;
	ret = attested(o, cd);
	if (ret && o->cfg.recovery)
		ret = recover(o, cd);
	crypt_free(cd);
	if (ret) {
		cli_error("%s stays locked", o->args[0]);
		return UNLOCK_EXIT_FAILED;
	}
	if (o->test_passphrase)
		cli_error("%s: key checked (--test-passphrase, nothing activated)",
			  o->args[0]);
	else
		cli_error("%s unlocked as %s", o->args[0], o->args[1]);
	return UNLOCK_EXIT_OK;
}
