// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: the release token into the kernel's .hrot keyring.
 *
 * The module checks the token again, with the TPM (signature against a
 * trust anchor, this device's AK, the qualifying data of its latest
 * quote, expiry): a token that userspace accepted but the kernel refuses
 * stops the unlock.  The keyring's serial is in securityfs; a module
 * without it (older than the keyring) means no kernel check, which is a
 * failure unless the operator said --no-keyring.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keyutils.h>
#include <openssl/x509.h>

#include <hrot/hex.h>
#include <hrot/token.h>

#include "unlock.h"

static int read_serial(const char *path, key_serial_t *out, char *err,
		       size_t err_size)
{
	char buf[32] = "", *end = NULL;
	FILE *f = fopen(path, "re");
	long v;

	if (!f) {
		int ret = -errno;

		snprintf(err, err_size,
			 "%s: %s (module without the .hrot keyring; "
			 "--no-keyring skips the kernel check)", path,
			 strerror(errno));
		return ret;
	}
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n') || v <= 0 ||
	    v > INT32_MAX) {
		snprintf(err, err_size, "%s: not a key serial", path);
		return -EPROTO;
	}
	*out = (key_serial_t)v;
	return 0;
}

static const char *why_refused(int e)
{
	switch (e) {
	case EKEYREJECTED:
		return "refused (signature, device or quote binding)";
	case EKEYEXPIRED:
		return "refused: expired";
	case ENOKEY:
		return "refused: no trust anchor for its signer";
	case ENODEV:
		return "refused: no TPM";
	default:
		return strerror(e);
	}
}

/*
 * The verifier's token key as a trust anchor (SubjectPublicKeyInfo DER),
 * described by its signer id.  Adding it again replaces it.
 */
static int add_anchor(key_serial_t ring, const char *path, char *err,
		      size_t err_size)
{
	char desc[HROT_HEX_SIZE(HROT_SIGNER_ID_SIZE)];
	uint8_t id[HROT_SIGNER_ID_SIZE];
	unsigned char *der = NULL;
	EVP_PKEY *key = unlock_read_pubkey(path, err, err_size);
	int len, ret;

	if (!key)
		return -EINVAL;
	len = i2d_PUBKEY(key, &der);
	if (len <= 0 || hrot_signer_id(key, id)) {
		snprintf(err, err_size, "token key %s: cannot encode it", path);
		ret = -EINVAL;
		goto out;
	}
	hrot_hex_encode(id, sizeof(id), desc, sizeof(desc));
	ret = add_key("hrot_anchor", desc, der, (size_t)len, ring) < 0 ?
		-errno : 0;
	if (ret)
		snprintf(err, err_size, "kernel keyring: trust anchor %s: %s",
			 desc, strerror(-ret));
out:
	OPENSSL_free(der);
	EVP_PKEY_free(key);
	return ret;
}

int unlock_keyring_add(const struct hrot_token *t, const char *anchor,
		       const char *serial_path, char *err, size_t err_size)
{
	char desc[HROT_HEX_SIZE(HROT_TOKEN_ID_SIZE)];
	key_serial_t ring = 0, key;
	int ret;

	ret = read_serial(serial_path ? serial_path : UNLOCK_KEYRING_PATH,
			  &ring, err, err_size);
	if (!ret)
		ret = add_anchor(ring, anchor, err, err_size);
	if (ret)
		return ret;
	hrot_hex_encode(t->token_id, sizeof(t->token_id), desc, sizeof(desc));
	key = add_key("hrot_token", desc, t, sizeof(*t), ring);
	if (key < 0) {
		ret = -errno;
		snprintf(err, err_size, "kernel keyring: token %s %s", desc,
			 why_refused(errno));
		return ret;
	}
	return key;
}

/* "hrot_token;uid;gid;perm;desc": the key is a token. */
static bool is_token(key_serial_t key)
{
	char *desc = NULL;
	bool yes;

	if (keyctl_describe_alloc(key, &desc) < 0)
		return false;
	yes = strncmp(desc, "hrot_token;", strlen("hrot_token;")) == 0;
	free(desc);
	return yes;
}

int unlock_keyring_revoke_tokens(const char *serial_path,
				 void (*revoked)(int32_t key, void *arg),
				 void *arg, char *err, size_t err_size)
{
	key_serial_t ring = 0, *keys = NULL;
	int n = 0, len, i, ret;

	ret = read_serial(serial_path ? serial_path : UNLOCK_KEYRING_PATH,
			  &ring, err, err_size);
	if (ret)
		return ret;
	len = keyctl_read_alloc(ring, (void **)&keys);
	if (len < 0) {
		ret = -errno;
		snprintf(err, err_size, "kernel keyring: %s", strerror(errno));
		return ret;
	}
	for (i = 0; i < len / (int)sizeof(*keys); i++) {
		if (!is_token(keys[i]))
			continue;
		if (keyctl_revoke(keys[i])) {
			/* the last failure is the one reported */
			ret = -errno;
			snprintf(err, err_size, "kernel keyring: token key %d: %s",
				 keys[i], strerror(errno));
			continue;
		}
		n++;
		if (revoked)
			revoked(keys[i], arg);
	}
	free(keys);
	return ret ? ret : n;
}
