/* SPDX-License-Identifier: GPL-2.0 */
/*
 * store.h - the verifier's persistent state, behind one interface so that
 * another backend (PostgreSQL) can follow the embedded SQLite one.
 *
 * Two kinds of access:
 *  - readers: one struct store_reader per worker thread, read-only, never
 *    blocked by the writer (SQLite WAL);
 *  - writes: only inside a transaction owned by the commit thread
 *    (commit.h), through the store_tx_* functions.  The commit thread runs
 *    each job under its own savepoint, so a failing job rolls back alone,
 *    and completes the jobs only after COMMIT returned (synchronous=FULL).
 *
 * Every function returns 0 or a negative errno: -ENOENT (no such row),
 * -EEXIST (unique key taken), -EIO (the backend failed; it has logged
 * why), -ENOMEM, -EINVAL (argument out of range).
 */
#ifndef HROT_VERIFIER_STORE_H
#define HROT_VERIFIER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/hrot.h>
#include <linux/hrot_token.h>

#define STORE_SCHEMA_VERSION	3
#define STORE_REASON_MAX	48
#define STORE_DETAIL_MAX	512
#define STORE_NAME_MAX		128
#define STORE_SEALED_MAX	128	/* vault-encrypted volume secret */

enum store_device_state {
	STORE_DEV_PENDING = 0,	/* registered, waiting for an operator */
	STORE_DEV_APPROVED,	/* approved, credential activation not done */
	STORE_DEV_ENROLLED,	/* activation proved AK and EK share a TPM */
	STORE_DEV_REVOKED,
};

const char *store_device_state_name(enum store_device_state s);

/* One device.  Buffers are owned; release with store_device_free(). */
struct store_device {
	uint8_t id[HROT_DEVICE_NAME_SIZE];	/* AK name */
	enum store_device_state state;
	uint8_t *ek_public;			/* TPM2B_PUBLIC */
	size_t ek_public_len;
	uint8_t *ek_cert;			/* DER or NULL */
	size_t ek_cert_len;
	uint8_t *ak_public;			/* TPM2B_PUBLIC */
	size_t ak_public_len;
	struct hrot_fingerprint fingerprint;
	char *meta_json;			/* registration metadata */
	int64_t registered_at;
	int64_t policy_id;			/* 0: bound to none */
	bool enrolled;				/* instance fields valid */
	uint8_t instance[HROT_INSTANCE_ID_SIZE];
	int64_t created_at;
	uint8_t sealed_secret[STORE_SEALED_MAX];	/* vault.c's format */
	size_t sealed_secret_len;
	/* last attestation, for operators and for the counter check */
	int64_t last_seen;			/* 0: never */
	bool last_pass;
	char last_reason[STORE_REASON_MAX];
	bool has_counters;			/* from the last accepted quote */
	uint32_t reset_count;
	uint32_t restart_count;
	uint64_t clock;
	char revoke_reason[STORE_DETAIL_MAX];
};

void store_device_free(struct store_device *d);

struct store_policy_entry {
	char component[STORE_NAME_MAX];		/* event name, or "*" */
	char version[STORE_NAME_MAX];		/* informative, may be "" */
	uint8_t digest[HROT_SHA256_SIZE];
	bool component_key;	/* this program may get component keys
				 * (seed 002); schema 3 */
};

struct store_policy {
	int64_t id;
	char name[STORE_NAME_MAX];
	char version[STORE_NAME_MAX];
	bool require_physical;			/* release needs a PAT */
	int64_t created_at;
	size_t nr_entries;
	struct store_policy_entry *entries;	/* owned */
};

void store_policy_free(struct store_policy *p);

/*
 * An instance an operator made ahead of its device (seal-image): its id,
 * creation time and volume secret (sealed by the vault for the instance,
 * see instance.h), and, once a device enrolled with it, that device.
 * Immutable but for the claim, which happens once.
 */
struct store_instance {
	uint8_t id[HROT_INSTANCE_ID_SIZE];
	int64_t created_at;
	uint8_t sealed_secret[STORE_SEALED_MAX];
	size_t sealed_secret_len;
	bool claimed;
	uint8_t device[HROT_DEVICE_NAME_SIZE];	/* when claimed */
	int64_t claimed_at;			/* when claimed */
};

/*
 * A rollback floor (seed 004, schema 3): per device, policy name and
 * component, the newest version (and its digest) this device has passed
 * with; another digest of an older version is refused from then on.
 * Versions of different policy names are not compared.
 */
struct store_floor {
	char policy[STORE_NAME_MAX];
	char component[STORE_NAME_MAX];
	char version[STORE_NAME_MAX];
	uint8_t digest[HROT_SHA256_SIZE];
	int64_t set_at;
};

struct store_audit {
	int64_t id;
	int64_t time;
	uint8_t device[HROT_DEVICE_NAME_SIZE];	/* zero when none */
	char action[STORE_REASON_MAX];		/* "register", "attest", ... */
	bool ok;
	char reason[STORE_REASON_MAX];		/* reason code, "" on success */
	char detail[STORE_DETAIL_MAX];
};

struct store;
struct store_reader;
struct store_tx;

/* Open (creating and migrating as needed) the database at @path. */
int store_open(const char *path, struct store **out);
void store_close(struct store *st);
/* PRAGMA integrity_check: 0 when "ok", -EIO otherwise. */
int store_integrity_check(struct store *st);

int store_reader_open(struct store *st, struct store_reader **out);
void store_reader_close(struct store_reader *r);

int store_device_get(struct store_reader *r, const uint8_t *id,
		     struct store_device *out);
/* All devices, registration order; @out to free with store_devices_free. */
int store_device_list(struct store_reader *r, struct store_device **out,
		      size_t *n);
void store_devices_free(struct store_device *d, size_t n);
int store_policy_get(struct store_reader *r, int64_t id,
		     struct store_policy *out);
/* Policy @id's require_physical alone (no entries): 0, -ENOENT or -EIO. */
int store_policy_requires_physical(struct store_reader *r, int64_t id,
				   bool *out);
/* The newest version of the policy named @name. */
int store_policy_find(struct store_reader *r, const char *name,
		      struct store_policy *out);
int store_policy_list(struct store_reader *r, struct store_policy **out,
		      size_t *n);
void store_policies_free(struct store_policy *p, size_t n);
/* 1 when revoked, 0 when not (or unknown), negative errno on failure. */
int store_token_revoked(struct store_reader *r, const uint8_t *token_id);
/* Revoked device ids and token ids (malloc'ed arrays). */
int store_revocations(struct store_reader *r, uint8_t (**devices)[HROT_DEVICE_NAME_SIZE],
		      size_t *nr_devices,
		      uint8_t (**tokens)[HROT_TOKEN_ID_SIZE], size_t *nr_tokens);
int store_instance_get(struct store_reader *r, const uint8_t *id,
		       struct store_instance *out);
/*
 * The device's floors under policy name @policy (NULL: all), by policy and
 * component (malloc'ed; none: NULL, 0).
 */
int store_floors_get(struct store_reader *r, const uint8_t *device,
		     const char *policy, struct store_floor **out, size_t *n);
/* Audit records with id > @after_id (and of @device when not NULL), at most @limit. */
int store_audit_list(struct store_reader *r, int64_t after_id,
		     const uint8_t *device, size_t limit,
		     struct store_audit **out, size_t *n);

/* ---- writes: only from a commit job (commit.h) ---- */

int store_tx_device_insert(struct store_tx *tx, const struct store_device *d);
/* Read inside the transaction: the latest state, for commit-time checks. */
int store_tx_device_get(struct store_tx *tx, const uint8_t *id,
			struct store_device *out);
int store_tx_device_set_state(struct store_tx *tx, const uint8_t *id,
			      enum store_device_state state,
			      const char *reason);
/* Sets the instance fields and the state to STORE_DEV_ENROLLED. */
int store_tx_device_enroll(struct store_tx *tx, const uint8_t *id,
			   const uint8_t *instance, int64_t created_at,
			   const uint8_t *sealed, size_t sealed_len);
int store_tx_device_set_policy(struct store_tx *tx, const uint8_t *id,
			       int64_t policy_id);
int store_tx_device_set_fingerprint(struct store_tx *tx, const uint8_t *id,
				    const struct hrot_fingerprint *fp);
/*
 * Record an attestation outcome.  @counters_valid: also store the quote's
 * counters (only for a pass).
 */
int store_tx_device_seen(struct store_tx *tx, const uint8_t *id, int64_t now,
			 bool pass, const char *reason, bool counters_valid,
			 uint32_t reset_count, uint32_t restart_count,
			 uint64_t clock);
int store_tx_token_insert(struct store_tx *tx, const struct hrot_token *t);
/* The device's floors as the transaction sees them (store_floors_get). */
int store_tx_floors_get(struct store_tx *tx, const uint8_t *device,
			const char *policy, struct store_floor **out,
			size_t *n);
/* Set the device's floor @f (policy, component: its key); the caller raises. */
int store_tx_floor_set(struct store_tx *tx, const uint8_t *device,
		       const struct store_floor *f, int64_t now);
/*
 * Retention: drop tokens that expired before @cutoff, less the clock skew
 * tokens allow (revoked ones too: an expired token is refused anyway) and the audit records of passing
 * runtime and component attestations made before it (the verdicts that
 * hrot-agent repeats every minute; every refusal and every other action
 * stays).  How many of each in @tokens, @audit.
 */
int store_tx_prune(struct store_tx *tx, int64_t cutoff, int *tokens,
		   int *audit);
/* Drop the floors of @component (NULL: all), under every policy name. */
int store_tx_floors_reset(struct store_tx *tx, const uint8_t *device,
			  const char *component, int *removed);
int store_tx_token_revoke(struct store_tx *tx, const uint8_t *token_id);
/* New policy (name, version unique); its id in @id. */
int store_tx_policy_insert(struct store_tx *tx, const struct store_policy *p,
			   int64_t *id);
int store_tx_audit(struct store_tx *tx, const struct store_audit *a);
/* A new unclaimed instance (its claim fields are ignored). */
int store_tx_instance_insert(struct store_tx *tx,
			     const struct store_instance *in);
/*
 * Claim the unclaimed instance @id for @device: 0, -ENOENT (no such
 * instance, or @device is not registered) or -EALREADY (claimed before,
 * by this device or another).
 */
int store_tx_instance_claim(struct store_tx *tx, const uint8_t *id,
			    const uint8_t *device, int64_t now);

/* Used by commit.c only. */
int store_tx_begin(struct store *st, struct store_tx **out);
int store_tx_savepoint(struct store_tx *tx);
int store_tx_release(struct store_tx *tx);	/* job succeeded */
int store_tx_rollback_to(struct store_tx *tx);	/* job failed: undo it */
int store_tx_commit(struct store_tx *tx);	/* durable on return 0 */
void store_tx_abort(struct store_tx *tx);

#endif /* HROT_VERIFIER_STORE_H */
