/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrot: internal interfaces between the parts of the module.
 *
 *   hrot_main.c        module parameters, /dev/hrot and its ioctls
 *   hrot_measure.c     EXTEND and MEASURE_FD: event data, digests, log+PCR
 *   hrot_log.c         the in-kernel event log (TCG crypto-agile records)
 *   hrot_securityfs.c  binary_measurements and ascii_measurements
 *   hrot_hash.c        one shash per PCR bank, file hashing
 *   hrot_tpm.c         the bound TPM chip, its banks, PCR extend
 *   hrot_tpm2_cmd.c    TPM 2.0 commands marshalled by the module
 *   hrot_fingerprint.c the hardware fingerprint (seed 003)
 *   hrot_keyring.c     the ".hrot" keyring and the hrot_anchor key type
 *   hrot_token.c       the hrot_token key type (verifier tokens)
 *   hrot_tpm2_verify.c ECDSA P-256 verification by the TPM
 *   hrot_netlink.c     the generic netlink family: events for listeners
 *   hrot_component.c   component keys, for tokens that name the caller
 */
#ifndef _HROT_H
#define _HROT_H

#include <linux/types.h>
#include <linux/tpm.h>
#include <linux/mutex.h>
#include <linux/xarray.h>
#include <linux/key.h>
#include <uapi/linux/hrot.h>
#include <uapi/linux/hrot_token.h>

#define HROT_SPEC_ID_SIGNATURE	"Spec ID Event03"

/* TPM 2.0 values the 6.1 <linux/tpm.h> lacks. */
#define HROT_TPM_ALG_RSA	0x0001
#define HROT_TPM_ALG_ECDSA	0x0018
#define HROT_TPM_ALG_ECC	0x0023
#define HROT_TPM_ECC_NIST_P256	0x0003
#define HROT_TPM_ECC_NIST_P384	0x0004
#define HROT_TPM_RH_NULL	0x40000007

/**
 * struct hrot_bank - one PCR bank measured into
 * @alg_id:      TPM_ALG_ID
 * @digest_size: bytes
 * @tfm:         the kernel hash for it, or NULL when the kernel has none
 *               (the digest is then the SHA-256 digest, zero-padded or
 *               truncated to @digest_size; see Documentation/log-format.md)
 */
struct hrot_bank {
	u16 alg_id;
	u16 digest_size;
	struct crypto_shash *tfm;
};

/**
 * struct hrot_record - one TCG_PCR_EVENT2 record, serialized
 * @len:       bytes in @data
 * @type:      TCG event type
 * @event_off: offset of the event data (struct hrot_event bytes) in @data
 * @event_len: length of the event data
 * @data:      the record exactly as exported in binary_measurements
 */
struct hrot_record {
	u32 len;
	u32 type;
	u32 event_off;
	u32 event_len;
	u8 data[];
};

/**
 * struct hrot_log - the event log
 * @header:     the Spec ID event (legacy TCG_PCClientPCREvent), first record
 * @header_len: its length
 * @records:    index -> struct hrot_record, appended only
 * @nr:         records published (readers see 0..nr-1)
 * @bytes:      header_len + the length of every record
 * @max_bytes:  cap on @bytes
 */
struct hrot_log {
	u8 *header;
	u32 header_len;
	struct xarray records;
	unsigned long nr;
	size_t bytes;
	size_t max_bytes;
};

/**
 * struct hrot_dev - the module's single instance
 * @lock:     serialises every change of the log and of the PCR, so the
 *            order of the log is the order of the extends
 * @chip:     the TPM 2.0 chip, or NULL when there is none
 * @pcr:      the PCR mirrored
 * @nr_banks: banks in @banks (the TPM's allocated banks, or sha256 alone)
 * @banks:    in the TPM's order, as tpm_pcr_extend() wants them
 * @sha256:   the content hash (files), always allocated
 * @log:      the event log
 * @ident:    the TPM identity, once read (NULL before)
 * @last_qualifying:     qualifying data of the latest successful QUOTE,
 *                       what a token must name (hrot_token.c)
 * @last_qualifying_len: its length; 0 when there is none, or when a token
 *                       has used it up
 */
struct hrot_ident;

struct hrot_dev {
	struct mutex lock;	/* protects the log, the PCR, @ident and TPM use */
	struct tpm_chip *chip;
	u32 pcr;
	u32 nr_banks;
	struct hrot_bank banks[HROT_MAX_BANKS];
	struct crypto_shash *sha256;
	struct hrot_log log;
	struct hrot_ident *ident;
	u8 last_qualifying[HROT_QUALIFYING_MAX];
	u16 last_qualifying_len;
};

extern struct hrot_dev hrot;

/* Allocation accounting, so unload can prove nothing leaked. */
void *hrot_kzalloc(size_t size);
void *hrot_kvmalloc(size_t size);
void hrot_kfree(const void *p);
void hrot_kvfree(const void *p);
void hrot_count_alloc(void);
void hrot_count_free(void);
long hrot_allocs_outstanding(void);

/* hrot_hash.c */
int hrot_hash_init(struct hrot_dev *dev);
void hrot_hash_exit(struct hrot_dev *dev);
int hrot_hash_bank(const struct hrot_bank *bank, const u8 *sha256,
		   const void *data, size_t len, u8 *out);
int hrot_sha256(const void *data, size_t len, u8 *out);
struct crypto_shash *hrot_sha256_select(void);
void hrot_free_shash(struct crypto_shash *tfm);
int hrot_hash_file(struct file *file, u8 *digest, u64 *size);
const char *hrot_alg_name(u16 alg_id);

/* hrot_tpm.c */
int hrot_tpm_init(struct hrot_dev *dev);
void hrot_tpm_exit(struct hrot_dev *dev);
int hrot_tpm_extend(struct hrot_dev *dev, const u8 digests[][TPM2_MAX_DIGEST_SIZE]);
bool hrot_tpm_present(const struct hrot_dev *dev);

/* hrot_tpm2_cmd.c: must be called between tpm_try_get_ops/tpm_put_ops */
int hrot_tpm2_create_ek(struct tpm_chip *chip, u32 template, u32 *handle,
			u8 *pub, size_t pub_max, size_t *pub_len);
int hrot_tpm2_create_ak(struct tpm_chip *chip, u32 *handle, u8 *pub,
			size_t pub_max, size_t *pub_len);
int hrot_tpm2_flush(struct tpm_chip *chip, u32 handle);
int hrot_tpm2_result(ssize_t rc, const char *what);
int hrot_tpm2_nv_size(struct tpm_chip *chip, u32 index, u16 *size);
int hrot_tpm2_nv_read(struct tpm_chip *chip, u32 index, u8 *out, u16 size);
int hrot_tpm2_quote(struct tpm_chip *chip, u32 ak, const u8 *q, u16 q_len,
		    u32 mask, u8 *attest, u16 *attest_len, u8 *sig,
		    u16 *sig_len);
int hrot_tpm2_pcr_read(struct tpm_chip *chip, u32 mask, u8 *values);
int hrot_tpm2_attest_pcr_digest(const u8 *attest, u16 len, u8 *digest);
int hrot_tpm2_ek_policy_session(struct tpm_chip *chip, u32 *session);
int hrot_tpm2_component_hmac(struct tpm_chip *chip, const u8 *component,
			     const u8 *data, u16 len, u8 *out);
int hrot_tpm2_activate_credential(struct tpm_chip *chip, u32 ak, u32 ek,
				  u32 ek_auth, const u8 *blob, u16 blob_len,
				  const u8 *secret, u16 secret_len, u8 *out,
				  u16 *out_len);

/* hrot_identity.c */
#define HROT_PUB_MAX		512	/* a TPMT_PUBLIC up to RSA-2048 */
#define HROT_SPKI_P256_SIZE	91
#define HROT_EK_CERT_MAX	4096

/**
 * struct hrot_ident - the TPM identity, read once per load
 * @ek_template:   HROT_EK_*
 * @ek_cert_index: NV index of the EK certificate, 0 when none
 * @ek_pub:        the EK's TPMT_PUBLIC, @ek_pub_len bytes
 * @ek_cert:       the certificate (DER), @ek_cert_len bytes, or NULL
 * @ak_pub:        the AK's TPMT_PUBLIC, @ak_pub_len bytes
 * @ak_name:       nameAlg (SHA-256) || SHA-256(@ak_pub)
 * @ak_spki:       the AK as SubjectPublicKeyInfo DER
 */
struct hrot_ident {
	u32 ek_template;
	u32 ek_cert_index;
	u8 ek_pub[HROT_PUB_MAX];
	size_t ek_pub_len;
	u8 *ek_cert;
	u16 ek_cert_len;
	u8 ak_pub[HROT_PUB_MAX];
	size_t ak_pub_len;
	u8 ak_name[HROT_NAME_SIZE];
	u8 ak_spki[HROT_SPKI_P256_SIZE];
};

int hrot_identity_get(struct hrot_dev *dev, const struct hrot_ident **id);
void hrot_identity_exit(struct hrot_dev *dev);
int hrot_activate(struct hrot_dev *dev, const u8 *blob, u16 blob_len,
		  const u8 *secret, u16 secret_len, u8 *out, u16 *out_len);

/* hrot_quote.c */
int hrot_quote(struct hrot_dev *dev, const u8 *q, u16 q_len, u32 mask,
	       u8 *attest, u16 *attest_len, u8 *sig, u16 *sig_len, u8 *pcrs);

/* hrot_tpm2_verify.c: takes the chip's ops itself */
struct hrot_p256_point {
	u8 x[HROT_ECDSA_P256_COORD];
	u8 y[HROT_ECDSA_P256_COORD];
};

int hrot_tpm2_verify_p256(struct tpm_chip *chip,
			  const struct hrot_p256_point *key, const u8 *digest,
			  const u8 *r, const u8 *s);

/* hrot_keyring.c */
extern struct key_type hrot_key_type_anchor;
int hrot_keyring_init(void);
void hrot_keyring_exit(void);
key_serial_t hrot_keyring_serial(void);
int hrot_anchor_find(const u8 *id, struct hrot_p256_point *point);
void hrot_key_owner_perm(struct key *key);

/* hrot_token.c */
extern struct key_type hrot_key_type_token;
int hrot_token_init(void);
void hrot_token_exit(void);
bool hrot_token_valid(void);
bool hrot_token_valid_for_component(const u8 *component);

/* hrot_log.c */
int hrot_log_init(struct hrot_log *log, const struct hrot_dev *dev,
		  size_t max_bytes);
void hrot_log_exit(struct hrot_log *log);
int hrot_log_reserve(struct hrot_log *log, u32 len);
void hrot_log_cancel(struct hrot_log *log);
u64 hrot_log_commit(struct hrot_log *log, struct hrot_record *rec);
struct hrot_record *hrot_record_build(const struct hrot_dev *dev, u32 type,
				      const u8 digests[][TPM2_MAX_DIGEST_SIZE],
				      const void *event, u32 event_len);
unsigned long hrot_log_count(const struct hrot_log *log);
const struct hrot_record *hrot_log_get(const struct hrot_log *log,
				       unsigned long index);

/* hrot_measure.c */
int hrot_measure_extend(struct hrot_dev *dev, u32 type, const u8 *digest,
			const char *name, u32 name_len, u64 *index);
int hrot_measure_file(struct hrot_dev *dev, struct file *file, u8 *digest,
		      u64 *size, u64 *index);

/* hrot_component.c */
int hrot_component_key(struct hrot_dev *dev, const u8 *label, u32 label_len,
		       u8 *component, u8 *key);

/* hrot_cmdline.c */
int hrot_measure_cmdline(struct hrot_dev *dev);

/* hrot_securityfs.c */
int hrot_securityfs_init(void);
void hrot_securityfs_exit(void);

/* hrot_netlink.c */
int hrot_netlink_init(void);
void hrot_netlink_exit(void);
struct sk_buff;
struct sk_buff *hrot_notify_measurement_prepare(u32 name_len);
void hrot_notify_measurement(struct sk_buff *skb, const struct hrot_dev *dev,
			     u64 index, u32 type, u16 kind, const u8 *digest,
			     const char *name, u32 name_len);
void hrot_notify_discard(struct sk_buff *skb);
void hrot_notify_token(u8 cmd, key_serial_t serial, const u8 *token_id,
		       u64 expires_at);

/* hrot_fingerprint.c */
int hrot_fingerprint(struct hrot_dev *dev, struct hrot_fingerprint *fp);

#endif /* _HROT_H */
