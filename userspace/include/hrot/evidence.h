/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrot/evidence.h - the JSON wire format between device and verifier
 * (Documentation/protocol.md), decoded into fixed structures.
 *
 * One implementation for both sides: the device encodes with the *_to_json
 * functions, the verifier decodes with the *_from_json ones.  Decoding is
 * defensive: every field is checked for presence, type, base64/hex syntax
 * and size, and a failure names the field in @err ("quote.attest: not
 * base64", "ephemeral_key: 64 bytes, want 65").  Buffers owned by a decoded
 * structure are released by its *_free function, which also accepts a
 * zeroed structure.
 */
#ifndef HROT_EVIDENCE_H
#define HROT_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/hrot.h>
#include <linux/hrot_token.h>

#define HROT_EVIDENCE_ERR_SIZE	160
#define HROT_EPHEMERAL_KEY_SIZE	65	/* uncompressed P-256 point */
#define HROT_SECRET_SIZE	32	/* volume secret, credential secret */
#define HROT_ACTIVATION_ID_SIZE	16
#define HROT_EVIDENCE_MAX_BLOB	(8u << 20)	/* one log, one cert */
#define HROT_EVIDENCE_MAX_TPM_BLOB 4096	/* TPMS_ATTEST, TPM2B_PUBLIC, ... */
#define HROT_EVIDENCE_MAX_JSON	(32u << 20)	/* a body, two logs in base64 */

/* The reported values of the quoted PCRs, SHA-256 bank, ascending index. */
struct hrot_wire_quote {
	uint8_t *attest;		/* TPMS_ATTEST */
	size_t attest_len;
	uint8_t *signature;		/* TPMT_SIGNATURE */
	size_t signature_len;
	uint32_t pcr_mask;		/* bit i: PCR i reported */
	uint8_t pcrs[HROT_PCR_COUNT][HROT_SHA256_SIZE];	/* by index */
};

/*
 * What an attestation is for ("purpose"; absent: unlock).  A runtime one
 * (hrot-agent, on the running system) is appraised the same way and gets
 * a token, never the volume secret; a component one also names, in
 * "component_hex", the executable its token is to name (seed 002).
 */
enum hrot_attest_purpose {
	HROT_ATTEST_UNLOCK,
	HROT_ATTEST_RUNTIME,
	HROT_ATTEST_COMPONENT,	/* seed 002: a token naming @component */
};

/* POST /v1/attest */
struct hrot_attest_req {
	enum hrot_attest_purpose purpose;
	uint8_t component[HROT_SHA256_SIZE];	/* HROT_ATTEST_COMPONENT */
	uint8_t device[HROT_DEVICE_NAME_SIZE];
	uint8_t nonce[HROT_NONCE_SIZE];
	struct hrot_metadata metadata;
	uint8_t ephemeral_key[HROT_EPHEMERAL_KEY_SIZE];
	struct hrot_wire_quote quote;
	uint8_t *event_log;
	size_t event_log_len;
	struct hrot_fingerprint fingerprint;
	bool has_physical_token;
	struct hrot_token physical_token;
	uint8_t *firmware_log;		/* NULL when absent */
	size_t firmware_log_len;
};

/* POST /v1/physical */
struct hrot_physical_req {
	uint8_t device[HROT_DEVICE_NAME_SIZE];
	uint8_t nonce[HROT_NONCE_SIZE];
	struct hrot_fingerprint fingerprint;
	struct hrot_wire_quote quote;
};

#define HROT_META_MAX_PAIRS	16
#define HROT_META_KEY_MAX	64
#define HROT_META_VALUE_MAX	256

/* POST /v1/register */
struct hrot_register_req {
	uint8_t *ek_public;		/* TPM2B_PUBLIC */
	size_t ek_public_len;
	uint8_t *ek_cert;		/* DER; NULL when absent */
	size_t ek_cert_len;
	uint8_t *ak_public;		/* TPM2B_PUBLIC */
	size_t ak_public_len;
	struct hrot_fingerprint fingerprint;
	size_t nr_meta;
	char meta_key[HROT_META_MAX_PAIRS][HROT_META_KEY_MAX];
	char meta_value[HROT_META_MAX_PAIRS][HROT_META_VALUE_MAX];
};

/*
 * Each returns 0, or -EINVAL with @err naming the field and what was
 * wrong, or -ENOMEM.  @out is zeroed first and, on error, freed again.
 *
 * The signed objects (metadata, physical_token) are decoded by size only:
 * hrot_metadata_verify() and hrot_token_verify() (hrot/token.h) check
 * their structure with their signature, so that a bad one is refused with
 * its own reason rather than as a malformed request.  Unknown members are
 * ignored; a null member counts as absent.  @json need not be terminated.
 */
int hrot_attest_req_from_json(const char *json, size_t len,
			      struct hrot_attest_req *out, char *err,
			      size_t err_size);
int hrot_physical_req_from_json(const char *json, size_t len,
				struct hrot_physical_req *out, char *err,
				size_t err_size);
int hrot_register_req_from_json(const char *json, size_t len,
				struct hrot_register_req *out, char *err,
				size_t err_size);

/* Encode: 0 and a malloc'ed NUL-terminated string in @out, or -errno. */
int hrot_attest_req_to_json(const struct hrot_attest_req *req, char **out);
int hrot_physical_req_to_json(const struct hrot_physical_req *req,
			      char **out);
int hrot_register_req_to_json(const struct hrot_register_req *req,
			      char **out);

void hrot_attest_req_free(struct hrot_attest_req *req);
void hrot_physical_req_free(struct hrot_physical_req *req);
void hrot_register_req_free(struct hrot_register_req *req);

/*
 * Helpers for the smaller bodies, shared by both sides: base64 of a
 * buffer (malloc'ed string) and the exact-length decode of a base64 or hex
 * string (-EINVAL when the syntax or the decoded length is wrong).
 */
char *hrot_b64_encode(const void *buf, size_t len);
int hrot_b64_decode_alloc(const char *s, uint8_t **out, size_t *out_len,
			  size_t max_len);
int hrot_b64_decode_exact(const char *s, void *out, size_t len);

/* The fingerprint as {"digest_hex", "components": [...]}, both ways. */
struct json_object;
struct json_object *hrot_fingerprint_to_json(const struct hrot_fingerprint *fp);
int hrot_fingerprint_from_json(struct json_object *obj,
			       struct hrot_fingerprint *fp, char *err,
			       size_t err_size);

#endif /* HROT_EVIDENCE_H */
