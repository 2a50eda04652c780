// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock seal-image IN OUT --instance-file F [--verifier URL --ca F
 * --token-key F] (seed 001): turn a plain disk image into a LUKS2 image
 * that opens only through an attestation of the machine that claims the
 * instance.
 *
 * The instance comes from the operator (`hrot-admin instance create
 * --out F`: id, creation time, volume secret); the keyslot's passphrase
 * is the same KDF the device derives after attestation, so the image and
 * the future device meet at the verifier's instance.  The token names the
 * instance and pins the verifier; device and metadata are filled in by
 * the machine that enrolls with `hrot-unlock enroll --instance HEX`.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include <hrot/evidence.h>
#include <hrot/hex.h>

#include "cli.h"

struct instance_file {
	uint8_t id[HROT_INSTANCE_ID_SIZE];
	int64_t created_at;
	uint8_t secret[UNLOCK_SECRET_SIZE];
};

static int read_instance(const char *path, struct instance_file *in)
{
	struct json_object *o = json_object_from_file(path), *v;
	const char *hex = NULL, *secret = NULL;
	int ret = -EINVAL;

	if (o && json_object_object_get_ex(o, "instance_hex", &v))
		hex = json_object_get_string(v);
	if (o && json_object_object_get_ex(o, "secret", &v))
		secret = json_object_get_string(v);
	if (!o)
		cli_error("%s: not a readable JSON file (%s)", path,
			  json_util_get_last_err());
	else if (!hex || hrot_hex_decode(hex, in->id, sizeof(in->id)))
		cli_error("%s: 'instance_hex' missing or not 32 hex digits", path);
	else if (!json_object_object_get_ex(o, "created_at", &v) ||
		 !json_object_is_type(v, json_type_int) ||
		 json_object_get_int64(v) < 0)
		cli_error("%s: 'created_at' missing or not a time", path);
	else if (!secret || hrot_b64_decode_exact(secret, in->secret,
						  sizeof(in->secret)))
		cli_error("%s: 'secret' missing or not base64 of %d bytes",
			  path, UNLOCK_SECRET_SIZE);
	else
		ret = 0;
	if (!ret)
		in->created_at = json_object_get_int64(v);
	/* the file's text held the secret too */
	if (o && json_object_object_get_ex(o, "secret", &v) &&
	    json_object_is_type(v, json_type_string))
		OPENSSL_cleanse((char *)json_object_get_string(v),
				(size_t)json_object_get_string_len(v));
	json_object_put(o);
	return ret;
}

static int sealed_binding(struct unlock_opts *o, const struct instance_file *in,
			  struct unlock_binding *b)
{
	char err[UNLOCK_ERR_MAX];

	memset(b, 0, sizeof(*b));
	b->sealed = true;
	if (!o->cfg.verifier[0] || strncmp(o->cfg.verifier, "https://", 8) != 0) {
		cli_error("no https verifier: --verifier URL or 'verifier =' in the configuration");
		return -EINVAL;
	}
	if (unlock_ca_sha256(o->cfg.ca, b->ca_sha256, err, sizeof(err)) ||
	    unlock_key_sha256(o->cfg.token_key, b->token_key_sha256, err,
			      sizeof(err))) {
		cli_error("%s", err);
		return -EINVAL;
	}
	memcpy(b->verifier, o->cfg.verifier, strlen(o->cfg.verifier) + 1);
	memcpy(b->instance, in->id, sizeof(b->instance));
	b->created_at = in->created_at;
	return 0;
}

int cmd_seal_image(struct unlock_opts *o)
{
	struct instance_file *in;
	struct unlock_binding b;
	char err[UNLOCK_ERR_MAX], hex[HROT_HEX_SIZE(HROT_INSTANCE_ID_SIZE)];
	uint8_t *key;
	int ret;

	if (cli_config(o, false))
		return UNLOCK_EXIT_USAGE;
	if (!o->instance_file) {
		cli_error("seal-image: --instance-file F is required (hrot-admin instance create --out F)");
		return UNLOCK_EXIT_USAGE;
	}
	in = unlock_secmem_alloc(sizeof(*in));
	key = unlock_secmem_alloc(UNLOCK_KEY_SIZE);
	ret = in && key ? 0 : -ENOMEM;
	if (!ret)
		ret = read_instance(o->instance_file, in);
	if (!ret)
		ret = sealed_binding(o, in, &b);
	if (!ret)
		ret = unlock_kdf(in->secret, sizeof(in->secret), in->id,
				 in->created_at, key);
	if (ret) {
		ret = UNLOCK_EXIT_USAGE;
	} else if (unlock_seal_image(o->args[0], o->args[1], key, &b, err,
				     sizeof(err)) < 0) {
		cli_error("seal-image: %s", err);
		ret = UNLOCK_EXIT_FAILED;
	}
	unlock_secmem_free(key, UNLOCK_KEY_SIZE);
	unlock_secmem_free(in, sizeof(*in));
	if (ret)
		return ret;
	hrot_hex_encode(b.instance, sizeof(b.instance), hex, sizeof(hex));
	printf("sealed %s into %s: keyslot %d, instance %s\n", o->args[0],
	       o->args[1], b.keyslot, hex);
	return UNLOCK_EXIT_OK;
}
