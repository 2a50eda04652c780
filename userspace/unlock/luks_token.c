// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: the LUKS2 token of type "hrot".
 *
 *   {"type": "hrot", "keyslots": ["N"],
 *    "verifier": "https://...", "ca_sha256": HEX, "token_key_sha256": HEX,
 *    "device": HEX, "instance": HEX, "created_at": N,
 *    "metadata": B64(struct hrot_metadata)}
 *
 * Exactly one keyslot.  The identity fields repeat what the signed
 * metadata says, for people reading luksDump; parsing refuses a token
 * whose fields and metadata disagree.
 *
 * A token written by seal-image has neither "device" nor "metadata": the
 * image was sealed before its machine enrolled.  Both are absent or both
 * present; a sealed binding is completed at open from the metadata the
 * device kept when it claimed the instance (unlock_binding_claimed()).
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <libcryptsetup.h>

#include <hrot/evidence.h>
#include <hrot/hex.h>
#include <hrot/token.h>

#include "unlock.h"

#define HEX_FIELD_MAX	HROT_HEX_SIZE(HROT_DEVICE_NAME_SIZE)

void unlock_binding_from_metadata(struct unlock_binding *b,
				  const struct hrot_metadata *m)
{
	b->metadata = *m;
	memcpy(b->device, m->device, sizeof(b->device));
	memcpy(b->instance, m->instance, sizeof(b->instance));
	memcpy(b->token_key_sha256, m->signer, sizeof(b->token_key_sha256));
	b->created_at = (int64_t)le64toh(m->created_at);
}

static int add_hex(struct json_object *o, const char *field, const void *p,
		   size_t n)
{
	char hex[HEX_FIELD_MAX];

	if (hrot_hex_encode(p, n, hex, sizeof(hex)) < 0)
		return -EINVAL;
	return json_object_object_add(o, field, json_object_new_string(hex));
}

static int add_fields(struct json_object *o, const struct unlock_binding *b)
{
	char slot[16];
	char *meta = hrot_b64_encode(&b->metadata, sizeof(b->metadata));
	struct json_object *slots = json_object_new_array();
	int ret = meta && slots ? 0 : -ENOMEM;

	snprintf(slot, sizeof(slot), "%d", b->keyslot);
	if (!ret)
		ret = json_object_array_add(slots, json_object_new_string(slot));
	if (!ret) {
		ret = json_object_object_add(o, "keyslots", slots);
		slots = NULL;
	}
	ret = ret ? ret : json_object_object_add(o, "verifier",
				json_object_new_string(b->verifier));
	ret = ret ? ret : add_hex(o, "ca_sha256", b->ca_sha256, 32);
	ret = ret ? ret : add_hex(o, "token_key_sha256", b->token_key_sha256,
				  HROT_SIGNER_ID_SIZE);
	ret = ret || b->sealed ? ret : add_hex(o, "device", b->device,
					       HROT_DEVICE_NAME_SIZE);
	ret = ret ? ret : add_hex(o, "instance", b->instance,
				  HROT_INSTANCE_ID_SIZE);
	ret = ret ? ret : json_object_object_add(o, "created_at",
				json_object_new_int64(b->created_at));
	ret = ret || b->sealed ? ret : json_object_object_add(o, "metadata",
				json_object_new_string(meta));
	json_object_put(slots);
	free(meta);
	return ret ? -ENOMEM : 0;
}

int unlock_binding_to_json(const struct unlock_binding *b, char **json)
{
	struct json_object *o = json_object_new_object();
	int ret = o ? 0 : -ENOMEM;

	*json = NULL;
	if (!ret)
		ret = json_object_object_add(o, "type",
				json_object_new_string(UNLOCK_TOKEN_TYPE));
	if (!ret)
		ret = add_fields(o, b);
	if (!ret) {
		*json = strdup(json_object_to_json_string_ext(o,
					JSON_C_TO_STRING_PLAIN));
		ret = *json ? 0 : -ENOMEM;
	}
	json_object_put(o);
	return ret ? -ENOMEM : 0;
}

/* ---- parsing ------------------------------------------------------------- */

struct parse {
	struct json_object *o;
	char *err;
	size_t err_size;
};

static const char *get_string(struct parse *p, const char *field)
{
	struct json_object *v;

	if (!json_object_object_get_ex(p->o, field, &v) ||
	    !json_object_is_type(v, json_type_string)) {
		snprintf(p->err, p->err_size,
			 "hrot token: '%s' missing or not a string", field);
		return NULL;
	}
	return json_object_get_string(v);
}

static int get_hex(struct parse *p, const char *field, void *out, size_t n)
{
	const char *s = get_string(p, field);

	if (!s)
		return -EINVAL;
	if (hrot_hex_decode(s, out, n)) {
		snprintf(p->err, p->err_size,
			 "hrot token: '%s' is not %zu bytes of hex", field, n);
		return -EINVAL;
	}
	return 0;
}

static int get_keyslot(struct parse *p, int *slot)
{
	struct json_object *a, *v;
	const char *s;
	char *end = NULL;
	long n;

	if (!json_object_object_get_ex(p->o, "keyslots", &a) ||
	    !json_object_is_type(a, json_type_array) ||
	    json_object_array_length(a) != 1) {
		snprintf(p->err, p->err_size,
			 "hrot token: 'keyslots' must name exactly one keyslot");
		return -EINVAL;
	}
	v = json_object_array_get_idx(a, 0);
	s = json_object_is_type(v, json_type_string) ?
		json_object_get_string(v) : "";
	n = strtol(s, &end, 10);
	if (!*s || *end || n < 0 || n > 31) {
		snprintf(p->err, p->err_size,
			 "hrot token: 'keyslots' entry '%s' is not a keyslot",
			 s);
		return -EINVAL;
	}
	*slot = (int)n;
	return 0;
}

static int get_scalars(struct parse *p, struct unlock_binding *b)
{
	struct json_object *v;
	const char *url = get_string(p, "verifier");

	if (!url)
		return -EINVAL;
	if (strncmp(url, "https://", 8) != 0 ||
	    strlen(url) >= sizeof(b->verifier)) {
		snprintf(p->err, p->err_size,
			 "hrot token: 'verifier' is not an https URL");
		return -EINVAL;
	}
	memcpy(b->verifier, url, strlen(url) + 1);
	if (!json_object_object_get_ex(p->o, "created_at", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 0) {
		snprintf(p->err, p->err_size,
			 "hrot token: 'created_at' missing or not a time");
		return -EINVAL;
	}
	b->created_at = json_object_get_int64(v);
	return 0;
}

static int get_metadata(struct parse *p, struct unlock_binding *b)
{
	const char *s = get_string(p, "metadata");
	uint8_t raw[HROT_METADATA_SIZE];
	char why[128] = "";

	if (!s)
		return -EINVAL;
	if (hrot_b64_decode_exact(s, raw, sizeof(raw)) ||
	    hrot_metadata_parse(raw, sizeof(raw), &b->metadata, why,
				sizeof(why))) {
		snprintf(p->err, p->err_size,
			 "hrot token: 'metadata' is not signed metadata%s%s",
			 why[0] ? ": " : "", why);
		return -EINVAL;
	}
	return 0;
}

/* The readable fields must say what the signed metadata says. */
static int check_consistent(struct parse *p, const struct unlock_binding *b)
{
	const struct hrot_metadata *m = &b->metadata;
	const char *field = NULL;

	if (memcmp(m->instance, b->instance, sizeof(b->instance)) != 0)
		field = "instance";
	else if (memcmp(m->device, b->device, sizeof(b->device)) != 0)
		field = "device";
	else if ((int64_t)le64toh(m->created_at) != b->created_at)
		field = "created_at";
	else if (memcmp(m->signer, b->token_key_sha256,
			sizeof(b->token_key_sha256)) != 0)
		field = "token_key_sha256";
	if (!field)
		return 0;
	snprintf(p->err, p->err_size,
		 "hrot token: '%s' differs from the signed metadata", field);
	return -EINVAL;
}

static int parse_fields(struct parse *p, struct unlock_binding *b)
{
	const char *type = get_string(p, "type");

	if (!type)
		return -EINVAL;
	if (strcmp(type, UNLOCK_TOKEN_TYPE) != 0) {
		snprintf(p->err, p->err_size, "token type '%s', not 'hrot'",
			 type);
		return -EINVAL;
	}
	if (get_keyslot(p, &b->keyslot) || get_scalars(p, b) ||
	    get_hex(p, "ca_sha256", b->ca_sha256, 32) ||
	    get_hex(p, "token_key_sha256", b->token_key_sha256,
		    HROT_SIGNER_ID_SIZE) ||
	    get_hex(p, "instance", b->instance, HROT_INSTANCE_ID_SIZE))
		return -EINVAL;
	b->sealed = !json_object_object_get_ex(p->o, "device", NULL) &&
		    !json_object_object_get_ex(p->o, "metadata", NULL);
	if (b->sealed)
		return 0;
	if (get_hex(p, "device", b->device, HROT_DEVICE_NAME_SIZE) ||
	    get_metadata(p, b))
		return -EINVAL;
	return check_consistent(p, b);
}

int unlock_binding_from_json(const char *json, struct unlock_binding *b,
			     char *err, size_t err_size)
{
	struct parse p = { .err = err, .err_size = err_size };
	int ret;

	memset(b, 0, sizeof(*b));
	p.o = json ? json_tokener_parse(json) : NULL;
	if (!p.o || !json_object_is_type(p.o, json_type_object)) {
		snprintf(err, err_size, "hrot token: not a JSON object");
		json_object_put(p.o);
		return -EINVAL;
	}
	ret = parse_fields(&p, b);
	json_object_put(p.o);
	return ret;
}

/* ---- on the volume ------------------------------------------------------- */

int unlock_token_find(struct crypt_device *cd, int *token,
		      struct unlock_binding *b, char *err, size_t err_size)
{
	int i, found = -1, max = crypt_token_max(CRYPT_LUKS2);
	const char *type, *json = NULL;

	for (i = 0; i < max; i++) {
		crypt_token_info st = crypt_token_status(cd, i, &type);

		if ((st == CRYPT_TOKEN_EXTERNAL ||
		     st == CRYPT_TOKEN_EXTERNAL_UNKNOWN) &&
		    type && !strcmp(type, UNLOCK_TOKEN_TYPE)) {
			if (found >= 0) {
				snprintf(err, err_size,
					 "tokens %d and %d are both hrot tokens",
					 found, i);
				return -ENOTUNIQ;
			}
			found = i;
		}
	}
	if (found < 0) {
		snprintf(err, err_size, "no hrot token: the volume is not bound");
		return -ENOENT;
	}
	*token = found;
	if (crypt_token_json_get(cd, found, &json) < 0) {
		snprintf(err, err_size, "token %d: cannot read it", found);
		return -EIO;
	}
	return unlock_binding_from_json(json, b, err, err_size);
}

int unlock_binding_claimed(struct unlock_binding *b, const char *metadata_path,
			   char *err, size_t err_size)
{
	struct hrot_metadata m;
	const char *field = NULL;
	int ret;

	if (!b->sealed)
		return 0;
	ret = unlock_metadata_load(metadata_path, &m, err, err_size);
	if (ret == -ENOENT) {
		char hex[HROT_HEX_SIZE(HROT_INSTANCE_ID_SIZE)];

		hrot_hex_encode(b->instance, sizeof(b->instance), hex,
				sizeof(hex));
		snprintf(err, err_size,
			 "a sealed image, and this machine did not claim the image's instance %s: no %s (hrot-unlock enroll --instance %s)",
			 hex, metadata_path, hex);
	}
	if (ret)
		return ret;
	if (memcmp(m.instance, b->instance, sizeof(b->instance)) != 0)
		field = "instance";
	else if ((int64_t)le64toh(m.created_at) != b->created_at)
		field = "created_at";
	else if (memcmp(m.signer, b->token_key_sha256,
			sizeof(b->token_key_sha256)) != 0)
		field = "token_key_sha256";
	if (field) {
		snprintf(err, err_size,
			 "%s: its '%s' is not the sealed image's: this machine did not claim the image's instance",
			 metadata_path, field);
		return -EKEYREJECTED;
	}
	unlock_binding_from_metadata(b, &m);
	b->sealed = false;
	return 0;
}

int unlock_token_write(struct crypt_device *cd, const struct unlock_binding *b)
{
	char *json = NULL;
	int ret = unlock_binding_to_json(b, &json);

	if (!ret)
		ret = crypt_token_json_set(cd, CRYPT_ANY_TOKEN, json);
	free(json);
	return ret;
}
