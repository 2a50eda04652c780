// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: the ".hrot" keyring and its trust anchors.
 *
 * The module owns one keyring, ".hrot", made at load and revoked at
 * unload.  Its serial is in /sys/kernel/security/hrot/keyring.  It holds
 * two types of key only (a link restriction refuses every other type, and
 * keyrings): "hrot_anchor", a verifier's token public key, and
 * "hrot_token", a verifier token checked by the TPM (hrot_token.c).
 *
 * The keyring belongs to root (uid 0) with view, read, write and search
 * for that user and nothing for anyone else; it cannot be linked into
 * another keyring.  It is not KEY_FLAG_KEEP, because the keys in a "keep"
 * keyring inherit the flag and could then not be revoked.  An anchor is
 * only accepted from a caller with CAP_SYS_ADMIN, whatever keyring it is
 * added to; only anchors in ".hrot" are ever used to check a token.
 *
 * An anchor's payload is the public key as SubjectPublicKeyInfo DER, ECDSA
 * P-256 with an uncompressed point (91 bytes).  Its id is SHA-256 of that
 * DER, which is what a token's signer field names: keyring_search() for
 * description "id:<64 hex digits>" finds the anchor by id, any other
 * description matches the anchor's description exactly.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/key-type.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/sha2.h>

#include "hrot.h"

#define HROT_KEYRING_NAME	".hrot"
#define HROT_ANCHOR_ID_PREFIX	"id:"

/* DER of SubjectPublicKeyInfo { id-ecPublicKey, prime256v1 }, BIT STRING 04 */
static const u8 hrot_anchor_spki_prefix[] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
	0x42, 0x00, 0x04,
};

/**
 * struct hrot_anchor - an hrot_anchor key's payload
 * @id:    SHA-256 of @spki, what tokens name as their signer
 * @point: the public key
 * @spki:  the SubjectPublicKeyInfo DER as added
 */
struct hrot_anchor {
	u8 id[HROT_SIGNER_ID_SIZE];
	struct hrot_p256_point point;
	u8 spki[HROT_SPKI_P256_SIZE];
};

static struct key *hrot_keyring;

/**
 * hrot_key_owner_perm() - let a new key's owner read, find and revoke it
 * @key: a key being instantiated, not yet linked anywhere
 *
 * add_key(2) gives read and revoke (setattr) to the possessor only, and
 * nobody possesses a key in ".hrot", which is linked nowhere: the owner
 * (root, who alone can add to ".hrot") gets them too, so that
 * `keyctl print` and `keyctl revoke` work on an anchor or a token.
 */
void hrot_key_owner_perm(struct key *key)
{
	WRITE_ONCE(key->perm, key->perm | KEY_USR_VIEW | KEY_USR_READ |
		   KEY_USR_SEARCH | KEY_USR_SETATTR);
}

static int hrot_anchor_instantiate(struct key *key,
				   struct key_preparsed_payload *prep)
{
	int rc = generic_key_instantiate(key, prep);

	if (!rc)
		hrot_key_owner_perm(key);
	return rc;
}

static int hrot_anchor_preparse(struct key_preparsed_payload *prep)
{
	struct hrot_anchor *a;
	const u8 *der = prep->data;
	int rc;

	if (!capable(CAP_SYS_ADMIN)) {
		pr_notice_ratelimited("hrot: anchor refused: the caller lacks CAP_SYS_ADMIN\n");
		return -EPERM;
	}
	BUILD_BUG_ON(sizeof(hrot_anchor_spki_prefix) + 2 * HROT_ECDSA_P256_COORD !=
		     HROT_SPKI_P256_SIZE);
	if (prep->datalen != HROT_SPKI_P256_SIZE ||
	    memcmp(der, hrot_anchor_spki_prefix,
		   sizeof(hrot_anchor_spki_prefix))) {
		pr_notice("hrot: anchor refused: not a P-256 SubjectPublicKeyInfo with an uncompressed point (%zu bytes)\n",
			  prep->datalen);
		return -EINVAL;
	}

	a = hrot_kzalloc(sizeof(*a));
	if (!a)
		return -ENOMEM;
	memcpy(a->spki, der, HROT_SPKI_P256_SIZE);
	der += sizeof(hrot_anchor_spki_prefix);
	memcpy(a->point.x, der, HROT_ECDSA_P256_COORD);
	memcpy(a->point.y, der + HROT_ECDSA_P256_COORD, HROT_ECDSA_P256_COORD);
	rc = hrot_sha256(a->spki, sizeof(a->spki), a->id);
	if (rc) {
		hrot_kfree(a);
		return rc;
	}
	prep->payload.data[0] = a;
	prep->quotalen = sizeof(*a);
	return 0;
}

static void hrot_anchor_free_preparse(struct key_preparsed_payload *prep)
{
	hrot_kfree(prep->payload.data[0]);
}

static void hrot_anchor_destroy(struct key *key)
{
	hrot_kfree(key->payload.data[0]);
	key->payload.data[0] = NULL;
}

/* The description only: see hrot_token_describe(). */
static void hrot_anchor_describe(const struct key *key, struct seq_file *m)
{
	seq_puts(m, key->description);
}

/* Reading an anchor gives back its SubjectPublicKeyInfo DER. */
static long hrot_anchor_read(const struct key *key, char *buffer,
			     size_t buflen)
{
	const struct hrot_anchor *a = key->payload.data[0];

	if (!a)
		return -EKEYREVOKED;
	if (buffer && buflen)
		memcpy(buffer, a->spki, min_t(size_t, buflen, sizeof(a->spki)));
	return sizeof(a->spki);
}

static bool hrot_anchor_cmp_id(const struct key *key,
			       const struct key_match_data *match)
{
	const struct hrot_anchor *a = key->payload.data[0];

	return key_is_positive(key) && a &&
	       !memcmp(a->id, match->preparsed, HROT_SIGNER_ID_SIZE);
}

/* "id:HEX" searches by anchor id; anything else by description. */
static int hrot_anchor_match_preparse(struct key_match_data *match)
{
	const char *s = match->raw_data;
	u8 *id;

	if (strncmp(s, HROT_ANCHOR_ID_PREFIX, strlen(HROT_ANCHOR_ID_PREFIX)))
		return 0;
	s += strlen(HROT_ANCHOR_ID_PREFIX);
	if (strlen(s) != 2 * HROT_SIGNER_ID_SIZE)
		return -EINVAL;
	id = hrot_kzalloc(HROT_SIGNER_ID_SIZE);
	if (!id)
		return -ENOMEM;
	if (hex2bin(id, s, HROT_SIGNER_ID_SIZE)) {
		hrot_kfree(id);
		return -EINVAL;
	}
	match->preparsed = id;
	match->cmp = hrot_anchor_cmp_id;
	match->lookup_type = KEYRING_SEARCH_LOOKUP_ITERATE;
	return 0;
}

static void hrot_anchor_match_free(struct key_match_data *match)
{
	hrot_kfree(match->preparsed);
}

struct key_type hrot_key_type_anchor = {
	.name = "hrot_anchor",
	.preparse = hrot_anchor_preparse,
	.free_preparse = hrot_anchor_free_preparse,
	.instantiate = hrot_anchor_instantiate,
	.match_preparse = hrot_anchor_match_preparse,
	.match_free = hrot_anchor_match_free,
	.destroy = hrot_anchor_destroy,
	.describe = hrot_anchor_describe,
	.read = hrot_anchor_read,
};

/**
 * hrot_anchor_find() - the public key of the anchor in ".hrot" with an id
 * @id:    SHA-256 of the anchor's SubjectPublicKeyInfo
 * @point: out: its public key
 *
 * Revoked, expired and invalidated anchors are not found.
 *
 * Return: 0, -ENOKEY when ".hrot" holds no usable anchor with that id, or
 * -ENOMEM.
 */
int hrot_anchor_find(const u8 *id, struct hrot_p256_point *point)
{
	char desc[sizeof(HROT_ANCHOR_ID_PREFIX) + 2 * HROT_SIGNER_ID_SIZE];
	const struct hrot_anchor *a;
	key_ref_t ref;
	struct key *key;
	int rc = 0;

	snprintf(desc, sizeof(desc), HROT_ANCHOR_ID_PREFIX "%*phN",
		 HROT_SIGNER_ID_SIZE, id);
	/* Possessed: the module owns the keyring, whoever is calling. */
	ref = keyring_search(make_key_ref(hrot_keyring, true),
			     &hrot_key_type_anchor, desc, false);
	if (IS_ERR(ref)) {
		rc = PTR_ERR(ref);
		/* Not found, or found revoked or expired: none usable. */
		return rc == -ENOMEM ? rc : -ENOKEY;
	}
	key = key_ref_to_ptr(ref);
	down_read(&key->sem);
	a = key->payload.data[0];
	if (key_validate(key) || !key_is_positive(key) || !a)
		rc = -ENOKEY;
	else
		*point = a->point;
	up_read(&key->sem);
	key_put(key);
	return rc;
}

/* Only anchors and tokens go into ".hrot". */
static int hrot_keyring_restrict(struct key *keyring,
				 const struct key_type *type,
				 const union key_payload *payload,
				 struct key *restriction_key)
{
	if (type == &hrot_key_type_anchor || type == &hrot_key_type_token)
		return 0;
	return -EPERM;
}

/**
 * hrot_keyring_serial() - the serial of ".hrot", for securityfs
 *
 * Return: the serial, or 0 before init.
 */
key_serial_t hrot_keyring_serial(void)
{
	return hrot_keyring ? hrot_keyring->serial : 0;
}

/**
 * hrot_keyring_init() - register hrot_anchor and make ".hrot"
 *
 * Return: 0 or -errno.
 */
int hrot_keyring_init(void)
{
	struct key_restriction *restriction;
	struct key *keyring;
	int rc;

	rc = register_key_type(&hrot_key_type_anchor);
	if (rc)
		return rc;
	/* Freed by the keyring's destroy (kfree), so not counted as ours. */
	restriction = kzalloc(sizeof(*restriction), GFP_KERNEL);
	if (!restriction) {
		rc = -ENOMEM;
		goto err_type;
	}
	restriction->check = hrot_keyring_restrict;
	keyring = keyring_alloc(HROT_KEYRING_NAME, GLOBAL_ROOT_UID,
				GLOBAL_ROOT_GID, current_cred(),
				KEY_POS_VIEW | KEY_POS_READ | KEY_POS_WRITE |
				KEY_POS_SEARCH | KEY_USR_VIEW | KEY_USR_READ |
				KEY_USR_WRITE | KEY_USR_SEARCH,
				KEY_ALLOC_NOT_IN_QUOTA,
				restriction, NULL);
	if (IS_ERR(keyring)) {
		kfree(restriction);
		rc = PTR_ERR(keyring);
		goto err_type;
	}
	hrot_keyring = keyring;
	return 0;

err_type:
	unregister_key_type(&hrot_key_type_anchor);
	return rc;
}

/*
 * Revoking the keyring first unlinks every key in it and, under the
 * keyring's lock, stops any add or link from reaching the restriction
 * check, which is module code.  The keyring itself may outlive the module
 * for a moment (the garbage collector frees it); nothing of ours runs then.
 */
void hrot_keyring_exit(void)
{
	key_revoke(hrot_keyring);
	key_put(hrot_keyring);
	hrot_keyring = NULL;
	/* Waits until every hrot_anchor key is destroyed. */
	unregister_key_type(&hrot_key_type_anchor);
}
