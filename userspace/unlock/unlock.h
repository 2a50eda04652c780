/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrot-unlock: attested unlock of a LUKS2 volume (Documentation/unlock.md).
 *
 * Shared by the hrot-unlock tool and the cryptsetup token plugin
 * (libcryptsetup-token-hrot.so): both obtain the keyslot key through the
 * same code, unlock_obtain_key().  Every function returns 0 or a negative
 * errno and, where it takes @err, a sentence naming what was wrong.
 */
#ifndef HROT_UNLOCK_H
#define HROT_UNLOCK_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/hrot_token.h>
#include <openssl/evp.h>

#include <hrot/client.h>

struct crypt_device;

#define UNLOCK_KEY_SIZE		32	/* the keyslot's binary passphrase */
#define UNLOCK_SECRET_SIZE	32	/* the instance's volume secret */
#define UNLOCK_KDF_INFO		"hrot luks2 keyslot v1"
#define UNLOCK_TOKEN_TYPE	"hrot"
#define UNLOCK_URL_MAX		512
#define UNLOCK_ERR_MAX		320

#define UNLOCK_CONF_PATH	"/etc/hrot/unlock.conf"
#define UNLOCK_CA_PATH		"/etc/hrot/ca.pem"
#define UNLOCK_TOKEN_KEY_PATH	"/etc/hrot/token.pub.pem"
#define UNLOCK_METADATA_PATH	"/etc/hrot/metadata.bin"
#define UNLOCK_CMDLINE_PATH	"/proc/cmdline"
#define UNLOCK_KEYRING_PATH	"/sys/kernel/security/hrot/keyring"

/* ---- config.c: /etc/hrot/unlock.conf and rd.hrot.* ------------------------ */

struct unlock_config {
	char verifier[UNLOCK_URL_MAX];	/* "": the volume's token's */
	char ca[PATH_MAX];
	char token_key[PATH_MAX];
	long connect_timeout_ms;
	long timeout_ms;		/* one request, whole */
	unsigned int retries;		/* attempts after the first */
	long backoff_ms;		/* first pause; doubles, capped */
	long deadline_ms;		/* all attempts together */
	bool recovery;			/* rd.hrot.recovery: passphrase allowed */
};

void unlock_config_defaults(struct unlock_config *cfg);
/* "12" or "12s" (seconds), "500ms"; 0 < value <= an hour: 0 or -errno. */
int unlock_parse_time(const char *s, long *out);
/* One "key = value"; @err names the key.  -EINVAL, -ENAMETOOLONG. */
int unlock_config_set(struct unlock_config *cfg, const char *key,
		      const char *value, char *err, size_t err_size);
/* A whole file; -ENOENT when it does not exist (the caller decides). */
int unlock_config_load(struct unlock_config *cfg, const char *path,
		       char *err, size_t err_size);
/* A kernel command line: rd.hrot.* overrides, everything else ignored. */
int unlock_config_cmdline(struct unlock_config *cfg, const char *cmdline,
			  char *err, size_t err_size);
/* Both, from their usual places (@conf NULL: UNLOCK_CONF_PATH, optional). */
int unlock_config_read(struct unlock_config *cfg, const char *conf,
		       const char *cmdline_path, char *err, size_t err_size);

/* ---- kdf.c ---------------------------------------------------------------- */

/*
 * key = HKDF-SHA256(ikm = @secret, salt = @instance || le64(@created_at),
 *                   info = UNLOCK_KDF_INFO), UNLOCK_KEY_SIZE bytes.
 */
int unlock_kdf(const uint8_t *secret, size_t secret_len,
	       const uint8_t instance[HROT_INSTANCE_ID_SIZE], int64_t created_at,
	       uint8_t key[UNLOCK_KEY_SIZE]);

/* ---- secmem.c: locked, undumpable memory for keys ------------------------ */

void *unlock_secmem_alloc(size_t size);
void unlock_secmem_free(void *p, size_t size);	/* wipes first */

/* ---- luks_token.c: the LUKS2 token of type "hrot" ------------------------- */

struct unlock_binding {
	int keyslot;
	char verifier[UNLOCK_URL_MAX];
	uint8_t ca_sha256[32];
	uint8_t token_key_sha256[HROT_SIGNER_ID_SIZE];
	uint8_t device[HROT_DEVICE_NAME_SIZE];
	uint8_t instance[HROT_INSTANCE_ID_SIZE];
	int64_t created_at;
	struct hrot_metadata metadata;
	/*
	 * Sealed ahead (seal-image): no device and no metadata in the
	 * token yet; the device that claims the instance keeps them in
	 * UNLOCK_METADATA_PATH (unlock_binding_claimed()).
	 */
	bool sealed;
};

/* Fill the binding's identity fields from signed metadata. */
void unlock_binding_from_metadata(struct unlock_binding *b,
				  const struct hrot_metadata *m);
int unlock_binding_to_json(const struct unlock_binding *b, char **json);
int unlock_binding_from_json(const char *json, struct unlock_binding *b,
			     char *err, size_t err_size);
/*
 * The volume's one hrot token: its id, parsed.  -ENOENT when there is
 * none, -ENOTUNIQ when there are several, -EINVAL when it does not parse.
 */
int unlock_token_find(struct crypt_device *cd, int *token,
		      struct unlock_binding *b, char *err, size_t err_size);
/* A new token; returns its id or -errno. */
int unlock_token_write(struct crypt_device *cd, const struct unlock_binding *b);
/* A keyslot holding the volume key (CRYPT_SLOT_ACTIVE or _ACTIVE_LAST). */
bool unlock_keyslot_active(struct crypt_device *cd, int slot);
/*
 * Complete a sealed binding with this device's metadata (the file at
 * @metadata_path), which must name the token's instance, creation time
 * and token key.  The signature is checked later, with the pins.
 */
int unlock_binding_claimed(struct unlock_binding *b, const char *metadata_path,
			   char *err, size_t err_size);

/* ---- seal_image.c: seal-image (seed 001) ---------------------------------- */

/* Room made at the head of the image for the LUKS2 header (twice 16 MiB). */
#define UNLOCK_SEAL_REDUCE	(32ULL << 20)

/*
 * Copy the plain image @in to @out (which must not exist), grown by
 * UNLOCK_SEAL_REDUCE, then encrypt @out in place, offline, with
 * libcryptsetup's reencryption (data shift: the payload keeps the exact
 * size and content of @in): one keyslot opened by @key (PBKDF2, minimal
 * cost) and the hrot token of the sealed binding @b.  @out is removed on
 * failure.  Returns the keyslot or -errno.
 */
int unlock_seal_image(const char *in, const char *out,
		      const uint8_t key[UNLOCK_KEY_SIZE],
		      struct unlock_binding *b, char *err, size_t err_size);

/* ---- pins.c: the verifier's identity as the volume records it -------------- */

/* SHA-256 of the first certificate's DER in the PEM file @path. */
int unlock_ca_sha256(const char *path, uint8_t out[32], char *err,
		     size_t err_size);
/* SHA-256 of the SubjectPublicKeyInfo of the PEM public key @path. */
/* The token key file (PEM): the key, or NULL with @err naming the file. */
EVP_PKEY *unlock_read_pubkey(const char *path, char *err, size_t err_size);
int unlock_key_sha256(const char *path, uint8_t out[HROT_SIGNER_ID_SIZE],
		      char *err, size_t err_size);
/* The metadata verified against the token key at @path. */
int unlock_metadata_check(const struct hrot_metadata *m, const char *path,
			  char *err, size_t err_size);
int unlock_metadata_load(const char *path, struct hrot_metadata *m,
			 char *err, size_t err_size);

/* ---- bind.c ------------------------------------------------------------- */

/*
 * Add the hrot keyslot (PBKDF2, minimal cost) opened by @key and the token
 * naming it; @old unlocks an existing keyslot.  Undoes the keyslot if the
 * token cannot be written.  Returns the keyslot or -errno (-EEXIST when
 * the volume is already bound).
 */
int unlock_bind(struct crypt_device *cd, const void *old, size_t old_len,
		const uint8_t key[UNLOCK_KEY_SIZE], struct unlock_binding *b,
		char *err, size_t err_size);
/* Remove the hrot token and its keyslot. */
int unlock_unbind(struct crypt_device *cd, char *err, size_t err_size);
void unlock_status_print(FILE *out, const struct unlock_binding *b);

/* ---- backend.c (tests: another one): the device side --------------------- */

int unlock_backend_open(struct hrot_attester *a);
/* Extend "@desc" into the measurement log (SHA-256 of @desc as digest). */
int unlock_measure(const char *desc);

/* ---- measure.c: EXTEND through /dev/hrot ---------------------------------- */

int unlock_measure_dev(const char *dev_path, const char *desc);

/* ---- keyring.c ------------------------------------------------------------ */

/*
 * The token key @anchor (PEM) as an "hrot_anchor", then add_key("hrot_token")
 * into the .hrot keyring whose serial is in @serial_path (NULL: the
 * securityfs file).  Return: the token key's serial (> 0), or -errno with
 * @err saying why not.
 */
int unlock_keyring_add(const struct hrot_token *t, const char *anchor,
		       const char *serial_path, char *err, size_t err_size);
/*
 * Revoke every token in the .hrot keyring (the machine failed an
 * attestation: no token may say it passed), calling @revoked for each.
 * Return: how many, or -errno with @err (all are tried even then).
 */
int unlock_keyring_revoke_tokens(const char *serial_path,
				 void (*revoked)(int32_t key, void *arg),
				 void *arg, char *err, size_t err_size);

/* ---- retry.c: bounded attempts -------------------------------------------- */

struct unlock_clock {
	int64_t start_ms;
	int64_t deadline_ms;	/* absolute */
};

int64_t unlock_now_ms(void);
void unlock_clock_start(struct unlock_clock *clk, long deadline_ms);
long unlock_clock_left(const struct unlock_clock *clk);
/* The pause before attempt @n (2, 3, ...): backoff doubled, capped. */
long unlock_backoff(const struct unlock_config *cfg, unsigned int n);
/* Sleep @ms but never past the deadline; false when the deadline is hit. */
bool unlock_pause(const struct unlock_clock *clk, long ms);

/* ---- open.c: attestation to key ------------------------------------------ */

/* What one attempt gave: the reason code (the verifier's or ours). */
struct unlock_failure {
	const char *what;		/* "attest", "keyring", "keyslot" ... */
	char reason[48];
	char detail[UNLOCK_ERR_MAX];
	bool final;			/* retrying cannot help */
};

struct unlock_request {
	const struct unlock_config *cfg;
	const struct unlock_binding *binding;
	bool no_keyring;
	const char *keyring_path;	/* NULL: UNLOCK_KEYRING_PATH */
	/*
	 * NULL, or where to write the release token (292 bytes, public:
	 * signed claims) once the kernel accepted it (tests: replaying it).
	 */
	const char *token_out;
	/* One console line per attempt. */
	void (*say)(void *arg, const char *line);
	void *say_arg;
};

/*
 * A reason worth another attempt: no answer ("transport"), a garbled one,
 * the verifier's own failure ("internal"), a challenge lost (restart) or
 * expired, ...  Anything else is the verifier's verdict.
 */
bool unlock_reason_transient(const char *reason);

/* The pins of @b against the configured CA and token key files. */
int unlock_check_pins(const struct unlock_config *cfg,
		      const struct unlock_binding *b, char *err,
		      size_t err_size);

/*
 * Attest (bounded attempts), put the token into the kernel keyring and
 * derive the keyslot key into @key (locked memory of UNLOCK_KEY_SIZE
 * bytes).  The pins and metadata are checked first (no attempt then).
 */
int unlock_obtain_key(const struct unlock_request *req,
		      uint8_t key[UNLOCK_KEY_SIZE],
		      struct unlock_failure *fail);

/* One attestation, no retries: the release for @metadata. */
int unlock_attest_once(const struct unlock_config *cfg, long budget_ms,
		       const struct hrot_metadata *metadata,
		       struct hrot_release *out, struct unlock_failure *fail);

/* ---- recovery.c ----------------------------------------------------------- */

/*
 * The explicit recovery passphrase: measured first ("recovery passphrase
 * used <UUID>"), then read from @key_file or the terminal.
 */
int unlock_recovery(struct crypt_device *cd, const char *name,
		    const char *key_file, uint32_t flags, char *err,
		    size_t err_size);

/* ---- util.c --------------------------------------------------------------- */

/* A whole small file (at most @max bytes) into locked memory. */
int unlock_read_secret_file(const char *path, size_t max, uint8_t **buf,
			    size_t *len, size_t *alloc);
/* A passphrase from @key_file, else asked on the terminal (no echo). */
int unlock_read_passphrase(const char *key_file, const char *prompt,
			   uint8_t **buf, size_t *len, size_t *alloc);
/* "unlocked <UUID>" and the like, for unlock_measure(). */
int unlock_measure_volume(struct crypt_device *cd, const char *what);

#endif /* HROT_UNLOCK_H */
