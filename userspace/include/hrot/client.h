/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrot/client.h - the device side of the verifier protocol
 * (Documentation/protocol.md), libhrot-client.a.  Link with
 * -lhrot-client -lhrot -lcurl -ljson-c -lcrypto.
 *
 * A struct hrot_client is one verifier: its URL, the CA its server
 * certificate must chain to (and optionally a pinned server key), an
 * optional client certificate (agents), timeouts.  It keeps one libcurl
 * handle so consecutive calls reuse the TLS connection (TLS 1.3 only).
 *
 * The TPM side is an attester backend, a table of functions: the /dev/hrot
 * backend of hrot_dev_attester_open() for real devices, a swtpm one in the
 * tests.  Every operation returns 0 or a negative errno; when the verifier
 * refused, the return is -EACCES and hrot_client_error() has its reason
 * code and detail, so a boot console can print why.
 */
#ifndef HROT_CLIENT_H
#define HROT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/hrot.h>
#include <linux/hrot_token.h>

#include <hrot/evidence.h>

struct hrot_client_config {
	const char *url;		/* "https://host:port", no path */
	const char *ca_file;		/* PEM: the verifier's CA */
	const char *pinned_key;		/* curl pin "sha256//..." or PEM/DER
					 * file of the server key; NULL: none */
	const char *cert_file;		/* client certificate (agent); NULL */
	const char *key_file;
	long connect_timeout_ms;	/* 0: 5000 */
	long timeout_ms;		/* whole request; 0: 30000 */
	/*
	 * CLOCK_MONOTONIC milliseconds after which no request starts and
	 * none runs on (each request's timeouts are cut to what is left);
	 * 0: none.  An attestation is several requests: this bounds all.
	 */
	int64_t deadline_ms;
};

/*
 * The last failure.  @reason is the verifier's code ("nonce_expired") when
 * it answered one, else one of the client's own: "transport" (no answer),
 * "protocol" (an answer that does not parse), "backend" (the TPM side
 * failed), "token_invalid" (the verifier's token does not check out),
 * "seal" (the secret does not open).
 */
struct hrot_client_error {
	long http_status;		/* 0 when there was no HTTP answer */
	char reason[48];
	char detail[256];
};

/* ---- attester backend ---------------------------------------------------- */

struct hrot_attester_identity {
	uint8_t *ek_public;		/* TPM2B_PUBLIC (size-prefixed) */
	size_t ek_public_len;
	uint8_t *ek_cert;		/* DER, NULL when none */
	size_t ek_cert_len;
	uint8_t *ak_public;		/* TPM2B_PUBLIC */
	size_t ak_public_len;
	uint8_t ak_name[HROT_DEVICE_NAME_SIZE];
};

void hrot_attester_identity_free(struct hrot_attester_identity *id);

/*
 * Each returns 0 or a negative errno.  Buffers handed out are malloc'ed
 * and become the caller's.
 */
struct hrot_attester_ops {
	int (*identity)(void *ctx, struct hrot_attester_identity *out);
	int (*fingerprint)(void *ctx, struct hrot_fingerprint *out);
	/* TPM2_Quote of @pcr_mask (SHA-256 bank) over @qual; @out->attest,
	 * ->signature malloc'ed, ->pcr_mask and ->pcrs filled in. */
	int (*quote)(void *ctx, uint32_t pcr_mask, const uint8_t *qual,
		     size_t qual_len, struct hrot_wire_quote *out);
	/* TPM2_ActivateCredential of a tpm2_makecredential file. */
	int (*activate_credential)(void *ctx, const uint8_t *cred,
				   size_t cred_len, uint8_t *secret,
				   size_t size, size_t *secret_len);
	int (*event_log)(void *ctx, uint8_t **buf, size_t *len);
	void (*close)(void *ctx);
};

struct hrot_attester {
	const struct hrot_attester_ops *ops;
	void *ctx;
};

/* /dev/hrot (@path NULL for the default) and the module's log. */
int hrot_dev_attester_open(const char *path, struct hrot_attester *out);
void hrot_attester_close(struct hrot_attester *a);

/* ---- the client ---------------------------------------------------------- */

struct hrot_client;

/*
 * Test hooks (the attack catalogue): called with the nonce just received
 * (may overwrite it) and with the request just before it is encoded (may
 * alter it).  NULL in production.
 */
struct hrot_client_hooks {
	void (*after_challenge)(void *arg, const char *what,
				uint8_t nonce[HROT_NONCE_SIZE]);
	void (*before_physical)(void *arg, struct hrot_physical_req *req);
	void (*before_attest)(void *arg, struct hrot_attest_req *req);
	void *arg;
};

int hrot_client_new(const struct hrot_client_config *cfg,
		    struct hrot_client **out);
void hrot_client_free(struct hrot_client *c);
void hrot_client_set_hooks(struct hrot_client *c,
			   const struct hrot_client_hooks *hooks);
const struct hrot_client_error *hrot_client_error(const struct hrot_client *c);

/* POST /v1/register with the backend's identity and fingerprint and the
 * metadata pairs (@keys/@values, @n of them).  @state gets "pending". */
int hrot_client_register(struct hrot_client *c, struct hrot_attester *a,
			 const char *const *keys, const char *const *values,
			 size_t n, uint8_t device[HROT_DEVICE_NAME_SIZE],
			 char *state, size_t state_size);

struct hrot_enrollment {
	struct hrot_metadata metadata;
	uint8_t instance[HROT_INSTANCE_ID_SIZE];
	int64_t created_at;
	char *agent_cert;		/* PEM when a CSR was sent, else NULL */
};

/* POST /v1/activate, both steps, the backend activating the credential. */
int hrot_client_activate(struct hrot_client *c, struct hrot_attester *a,
			 const uint8_t device[HROT_DEVICE_NAME_SIZE],
			 const char *csr_pem, struct hrot_enrollment *out);
/*
 * The same, enrolling with the instance @instance an operator made ahead
 * (POST /v1/admin/instances; NULL: a new one, as hrot_client_activate).
 */
int hrot_client_activate_instance(struct hrot_client *c,
				  struct hrot_attester *a,
				  const uint8_t device[HROT_DEVICE_NAME_SIZE],
				  const char *csr_pem,
				  const uint8_t *instance,
				  struct hrot_enrollment *out);
void hrot_enrollment_free(struct hrot_enrollment *e);

/* What POST /v1/challenge answers. */
struct hrot_challenge {
	uint8_t nonce[HROT_NONCE_SIZE];
	long expires_in;		/* seconds */
	bool physical_required;		/* the device's policy wants a PAT */
};

int hrot_client_challenge(struct hrot_client *c,
			  const uint8_t device[HROT_DEVICE_NAME_SIZE],
			  struct hrot_challenge *out);

/* POST /v1/physical: challenge, quote over SHA-256(nonce || fp digest). */
int hrot_client_physical(struct hrot_client *c, struct hrot_attester *a,
			 const uint8_t device[HROT_DEVICE_NAME_SIZE],
			 struct hrot_token *token);

/* When hrot_client_attest() fetches a physical attestation token first. */
enum hrot_physical_mode {
	HROT_PHYSICAL_AUTO,	/* when the challenge says the policy wants one */
	HROT_PHYSICAL_ALWAYS,
	HROT_PHYSICAL_NEVER,
};

struct hrot_attest_opts {
	uint32_t pcr_mask;		/* 0: 1 << 13 */
	enum hrot_physical_mode physical;
	const char *token_pub;		/* PEM: the verifier's token key */
	/*
	 * A running system's check (hrot-agent): purpose "runtime", the
	 * token only; an answer that carries a secret is a protocol error.
	 */
	bool runtime;
	/*
	 * Seed 002: the SHA-256 of an executable this boot measured; the
	 * token is then of kind COMPONENT and names it (HROT_IOC_COMPONENT_KEY
	 * for that program).  Implies runtime.  NULL: none.
	 */
	const uint8_t *component;
};

/* What a pass gives: the release token and the volume secret, the latter
 * in locked memory, wiped by hrot_release_free() (no secret: runtime). */
struct hrot_release {
	struct hrot_token token;
	uint8_t *secret;
	size_t secret_len;
	int64_t expires_at;
};

/*
 * The whole attestation: challenge, ephemeral key, quote bound to both,
 * POST /v1/attest, then the token checked against the pinned token key
 * (signature, device, nonce, qualifying data) and the secret unsealed.
 */
int hrot_client_attest(struct hrot_client *c, struct hrot_attester *a,
		       const uint8_t device[HROT_DEVICE_NAME_SIZE],
		       const struct hrot_metadata *metadata,
		       const struct hrot_attest_opts *opts,
		       struct hrot_release *out);
void hrot_release_free(struct hrot_release *r);

#endif /* HROT_CLIENT_H */
