// SPDX-License-Identifier: GPL-2.0
/*
 * libcryptsetup-token-hrot.so: the LUKS2 token type "hrot" for
 * libcryptsetup (ABI CRYPTSETUP_TOKEN_1.0), so that `cryptsetup open
 * --token-only` and systemd-cryptsetup unlock an hrot-bound volume.
 *
 * It runs hrot-unlock's own code (unlock_obtain_key(): pins, bounded
 * attestation through /dev/hrot, kernel keyring, KDF) with the same
 * configuration (/etc/hrot/unlock.conf, rd.hrot.*), measures "unlocked
 * <UUID>" and hands libcryptsetup the keyslot key, which it tries on the
 * token's one keyslot.  No PIN: there is nothing a user could type.
 * Recovery is not the plugin's: cryptsetup without --token-only falls back
 * to a passphrase by itself.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libcryptsetup.h>

#include <hrot/hex.h>

#include "unlock.h"

/* The exported ABI (hrot.map); declared here, libcryptsetup has no header. */
const char *cryptsetup_token_version(void);
int cryptsetup_token_open(struct crypt_device *cd, int token, char **buffer,
			  size_t *buffer_len, void *usrptr);
void cryptsetup_token_buffer_free(void *buffer, size_t buffer_len);
int cryptsetup_token_validate(struct crypt_device *cd, const char *json);
void cryptsetup_token_dump(struct crypt_device *cd, const char *json);

const char *cryptsetup_token_version(void)
{
	return HROT_VERSION;
}

static void plugin_say(void *arg, const char *line)
{
	crypt_logf(arg, CRYPT_LOG_ERROR, "%s\n", line);
}

static int load(struct crypt_device *cd, int token, struct unlock_config *cfg,
		struct unlock_binding *b)
{
	char err[UNLOCK_ERR_MAX];
	const char *json = NULL;
	int ret;

	ret = crypt_token_json_get(cd, token, &json);
	if (ret < 0)
		return ret;
	/* a sealed image (seed 001): this machine's metadata, if it claimed it */
	if (unlock_binding_from_json(json, b, err, sizeof(err)) ||
	    unlock_binding_claimed(b, UNLOCK_METADATA_PATH, err, sizeof(err)) ||
	    unlock_config_read(cfg, NULL, UNLOCK_CMDLINE_PATH, err,
			       sizeof(err))) {
		crypt_logf(cd, CRYPT_LOG_ERROR, "hrot-unlock: %s\n", err);
		return -EINVAL;
	}
	if (!cfg->verifier[0])
		memcpy(cfg->verifier, b->verifier, strlen(b->verifier) + 1);
	return 0;
}

int cryptsetup_token_open(struct crypt_device *cd, int token, char **buffer,
			  size_t *buffer_len, void *usrptr)
{
	struct unlock_config cfg;
	struct unlock_binding b;
	struct unlock_failure fail;
	struct unlock_request req = {
		.cfg = &cfg, .binding = &b, .say = plugin_say, .say_arg = cd,
	};
	uint8_t *key;
	int ret;

	(void)usrptr;
	ret = load(cd, token, &cfg, &b);
	if (ret)
		return ret;
	key = unlock_secmem_alloc(UNLOCK_KEY_SIZE);
	if (!key)
		return -ENOMEM;
	ret = unlock_obtain_key(&req, key, &fail);
	/* Measured before the key leaves: unmeasured, no key. */
	if (!ret)
		ret = unlock_measure_volume(cd, "unlocked");
	if (ret) {
		unlock_secmem_free(key, UNLOCK_KEY_SIZE);
		return ret < 0 ? ret : -EIO;
	}
	*buffer = (char *)key;
	*buffer_len = UNLOCK_KEY_SIZE;
	return 0;
}

void cryptsetup_token_buffer_free(void *buffer, size_t buffer_len)
{
	unlock_secmem_free(buffer, buffer_len);
}

int cryptsetup_token_validate(struct crypt_device *cd, const char *json)
{
	struct unlock_binding b;
	char err[UNLOCK_ERR_MAX];

	if (unlock_binding_from_json(json, &b, err, sizeof(err))) {
		crypt_logf(cd, CRYPT_LOG_ERROR, "%s\n", err);
		return -EINVAL;
	}
	return 0;
}

static void dump_hex(struct crypt_device *cd, const char *label,
		     const void *p, size_t n)
{
	char hex[HROT_HEX_SIZE(HROT_DEVICE_NAME_SIZE)];

	hrot_hex_encode(p, n, hex, sizeof(hex));
	crypt_logf(cd, CRYPT_LOG_NORMAL, "\t%-17s%s\n", label, hex);
}

void cryptsetup_token_dump(struct crypt_device *cd, const char *json)
{
	struct unlock_binding b;
	char err[UNLOCK_ERR_MAX];

	if (unlock_binding_from_json(json, &b, err, sizeof(err))) {
		crypt_logf(cd, CRYPT_LOG_ERROR, "\t%s\n", err);
		return;
	}
	crypt_logf(cd, CRYPT_LOG_NORMAL, "\t%-17s%s\n", "verifier:",
		   b.verifier);
	dump_hex(cd, "ca_sha256:", b.ca_sha256, sizeof(b.ca_sha256));
	dump_hex(cd, "token_key:", b.token_key_sha256,
		 sizeof(b.token_key_sha256));
	if (b.sealed)
		crypt_logf(cd, CRYPT_LOG_NORMAL, "\t%-17s%s\n", "device:",
			   "none yet (sealed image)");
	else
		dump_hex(cd, "device:", b.device, sizeof(b.device));
	dump_hex(cd, "instance:", b.instance, sizeof(b.instance));
	crypt_logf(cd, CRYPT_LOG_NORMAL, "\t%-17s%lld\n", "created_at:",
		   (long long)b.created_at);
}
