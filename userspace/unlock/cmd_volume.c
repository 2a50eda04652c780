// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock bind, unbind, status.
 *
 * bind runs on an attested system (or in the provisioning flow): the
 * instance's signed metadata (from enroll) names the instance; one
 * attestation releases its secret; the derived key becomes a new keyslot,
 * added with an existing passphrase, and the hrot token names it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcryptsetup.h>

#include "cli.h"

/* The binding from the metadata file and the verifier's identity. */
static int prepare_binding(struct unlock_opts *o, struct unlock_binding *b)
{
	const char *path = o->metadata ? o->metadata : UNLOCK_METADATA_PATH;
	struct hrot_metadata m;
	char err[UNLOCK_ERR_MAX];

	memset(b, 0, sizeof(*b));
	if (!o->cfg.verifier[0]) {
		cli_error("no verifier: --verifier URL or 'verifier =' in the configuration");
		return -EINVAL;
	}
	if (unlock_metadata_load(path, &m, err, sizeof(err)) ||
	    unlock_metadata_check(&m, o->cfg.token_key, err, sizeof(err)) ||
	    unlock_ca_sha256(o->cfg.ca, b->ca_sha256, err, sizeof(err))) {
		cli_error("%s", err);
		return -EINVAL;
	}
	unlock_binding_from_metadata(b, &m);
	memcpy(b->verifier, o->cfg.verifier, strlen(o->cfg.verifier) + 1);
	return 0;
}

static int bind_with_key(struct unlock_opts *o, struct crypt_device *cd,
			 const uint8_t *key, struct unlock_binding *b)
{
	uint8_t *old = NULL;
	size_t len = 0, alloc = 0;
	char err[UNLOCK_ERR_MAX];
	int ret;

	ret = unlock_read_passphrase(o->key_file, "Existing passphrase: ",
				     &old, &len, &alloc);
	if (ret) {
		cli_error("existing passphrase: %s", strerror(-ret));
		return ret;
	}
	ret = unlock_bind(cd, old, len, key, b, err, sizeof(err));
	unlock_secmem_free(old, alloc);
	if (ret < 0)
		cli_error("%s: %s", crypt_get_device_name(cd), err);
	return ret;
}

int cmd_bind(struct unlock_opts *o)
{
	struct unlock_binding b;
	struct unlock_failure fail;
	struct unlock_request req = {
		.cfg = &o->cfg, .binding = &b, .no_keyring = true,
		.say = cli_say,
	};
	struct crypt_device *cd = NULL;
	uint8_t *key;
	int ret;

	if (cli_config(o, false) || prepare_binding(o, &b))
		return UNLOCK_EXIT_USAGE;
	if (cli_load(o->args[0], &cd) < 0)
		return UNLOCK_EXIT_FAILED;
	key = unlock_secmem_alloc(UNLOCK_KEY_SIZE);
	ret = key ? unlock_obtain_key(&req, key, &fail) : -ENOMEM;
	if (!ret)
		ret = bind_with_key(o, cd, key, &b);
	unlock_secmem_free(key, UNLOCK_KEY_SIZE);
	crypt_free(cd);
	if (ret < 0)
		return UNLOCK_EXIT_FAILED;
	printf("bound %s: keyslot %d, hrot token\n", o->args[0], b.keyslot);
	return UNLOCK_EXIT_OK;
}

int cmd_unbind(struct unlock_opts *o)
{
	struct crypt_device *cd = NULL;
	char err[UNLOCK_ERR_MAX];
	int ret;

	if (cli_load(o->args[0], &cd) < 0)
		return UNLOCK_EXIT_FAILED;
	ret = unlock_unbind(cd, err, sizeof(err));
	crypt_free(cd);
	if (ret) {
		cli_error("%s: %s", o->args[0], err);
		return UNLOCK_EXIT_FAILED;
	}
	printf("unbound %s\n", o->args[0]);
	return UNLOCK_EXIT_OK;
}

int cmd_status(struct unlock_opts *o)
{
	struct crypt_device *cd = NULL;
	struct unlock_binding b;
	char err[UNLOCK_ERR_MAX];
	char *json = NULL;
	int token = -1, ret;

	if (cli_load(o->args[0], &cd) < 0)
		return UNLOCK_EXIT_FAILED;
	ret = unlock_token_find(cd, &token, &b, err, sizeof(err));
	if (ret) {
		cli_error("%s: %s", o->args[0], err);
	} else if (o->json && !unlock_binding_to_json(&b, &json)) {
		printf("%s\n", json);
	} else {
		printf("token: %d\n", token);
		unlock_status_print(stdout, &b);
		printf("keyslot_active: %s\n",
		       unlock_keyslot_active(cd, b.keyslot) ? "yes" : "no");
	}
	free(json);
	crypt_free(cd);
	return ret ? UNLOCK_EXIT_FAILED : UNLOCK_EXIT_OK;
}
