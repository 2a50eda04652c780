/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hrot: hardware-rooted attestation device, user API.
 *
 * /dev/hrot is a misc character device (mode 0600).  Every ioctl takes a
 * pointer to one structure that starts with two fields:
 *
 *   __u32 size;     sizeof() the structure as the caller knows it
 *   __u32 version;  HROT_STRUCT_VERSION (1 for every structure below)
 *
 * The structures grow only at their end.  The kernel accepts a size that is
 * at least the size of version 1 of that structure; bytes beyond what the
 * kernel knows must be zero (-E2BIG otherwise).  On output the kernel writes
 * min(size, what it knows), so an older program keeps working with a newer
 * module and the other way round.  A size below version 1 or an unknown
 * version is -EINVAL.
 *
 * Event log: every EXTEND and MEASURE_FD appends one record to an in-kernel
 * log and extends the same measurement into one TPM PCR (module parameter
 * "pcr", see Documentation/uapi.md) in every allocated PCR bank.  The log is
 * exported in the TCG PC Client crypto-agile format at
 * /sys/kernel/security/hrot/binary_measurements.  The event data of each
 * record is a struct hrot_event (below) and the digest of each bank is that
 * bank's hash of the event data, so the description and path are bound to
 * the PCR, as IMA binds its template data.
 */
#ifndef _UAPI_LINUX_HROT_H
#define _UAPI_LINUX_HROT_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define HROT_ABI_VERSION	1
#define HROT_STRUCT_VERSION	1

#define HROT_DEVICE_NAME	"hrot"
#define HROT_SECURITYFS_DIR	"hrot"

#define HROT_SHA256_SIZE	32
/* Longest description (EXTEND) or path (MEASURE_FD) recorded, in bytes. */
#define HROT_NAME_MAX		4096
/* Number of PCR banks reported by INFO. */
#define HROT_MAX_BANKS		8

/* TPM algorithm identifiers (TPM 2.0 Part 2, TPM_ALG_ID). */
#define HROT_ALG_SHA1		0x0004
#define HROT_ALG_SHA256		0x000B
#define HROT_ALG_SHA384		0x000C
#define HROT_ALG_SHA512		0x000D
#define HROT_ALG_SM3_256	0x0012

/*
 * TCG event types used in the log.  EXTEND may use any type below
 * HROT_EV_EFI_BASE except HROT_EV_NO_ACTION.
 */
#define HROT_EV_NO_ACTION	0x00000003	/* Spec ID event only */
#define HROT_EV_EFI_BASE	0x80000000	/* EV_EFI_*: refused */
#define HROT_EV_IPL		0x0000000D	/* MEASURE_FD records */
#define HROT_EV_EVENT_TAG	0x00000006	/* default for EXTEND */

/* struct hrot_info.flags */
#define HROT_INFO_TPM_PRESENT	_BITUL(0)	/* a TPM 2.0 chip is bound */
/*
 * A verifier token the kernel checked is present: some "hrot_token" key
 * (Documentation/keyring.md) is instantiated, unexpired and not revoked.
 */
#define HROT_INFO_TOKEN_VALID	_BITUL(1)

/**
 * struct hrot_info - HROT_IOC_INFO output
 * @size:        in: sizeof(struct hrot_info); out: unchanged
 * @version:     in: HROT_STRUCT_VERSION
 * @abi_version: HROT_ABI_VERSION of the running module
 * @flags:       HROT_INFO_*
 * @pcr_index:   the PCR every measurement is mirrored into
 * @hash_alg:    the file/content hash (HROT_ALG_SHA256)
 * @nr_banks:    number of PCR banks in the log (and extended in the TPM)
 * @banks:       TPM_ALG_ID of each bank, in the TPM's order
 * @log_entries: records in the log, the Spec ID event not counted
 * @log_bytes:   size of binary_measurements, in bytes
 * @log_max_bytes: cap on log_bytes; EXTEND/MEASURE_FD fail with -ENOSPC
 *                 rather than exceed it
 */
struct hrot_info {
	__u32 size;
	__u32 version;
	__u32 abi_version;
	__u32 flags;
	__u32 pcr_index;
	__u32 hash_alg;
	__u32 nr_banks;
	__u16 banks[HROT_MAX_BANKS];
	__u32 reserved;
	__u64 log_entries;
	__u64 log_bytes;
	__u64 log_max_bytes;
};

/**
 * struct hrot_extend - HROT_IOC_EXTEND input (CAP_SYS_ADMIN)
 * @size:       sizeof(struct hrot_extend)
 * @version:    HROT_STRUCT_VERSION
 * @event_type: TCG event type of the record (not HROT_EV_NO_ACTION)
 * @flags:      must be 0
 * @digest:     SHA-256 of the thing measured
 * @desc_len:   length of the description, 1..HROT_NAME_MAX bytes
 * @reserved:   must be 0
 * @desc_ptr:   user pointer to the description (UTF-8, no NUL needed)
 * @index:      out: position of the new record in the log (0 = first)
 */
struct hrot_extend {
	__u32 size;
	__u32 version;
	__u32 event_type;
	__u32 flags;
	__u8 digest[HROT_SHA256_SIZE];
	__u32 desc_len;
	__u32 reserved;
	__u64 desc_ptr;
	__u64 index;
};

/**
 * struct hrot_measure_fd - HROT_IOC_MEASURE_FD (CAP_SYS_ADMIN)
 * @size:      sizeof(struct hrot_measure_fd)
 * @version:   HROT_STRUCT_VERSION
 * @fd:        in: an fd open for reading on a regular file
 * @flags:     must be 0
 * @digest:    out: SHA-256 of the file contents, computed by the kernel
 * @file_size: out: bytes hashed
 * @index:     out: position of the new record in the log
 */
struct hrot_measure_fd {
	__u32 size;
	__u32 version;
	__s32 fd;
	__u32 flags;
	__u8 digest[HROT_SHA256_SIZE];
	__u64 file_size;
	__u64 index;
};

/* Hardware fingerprint components (seed 003), in digest order. */
enum hrot_fp_component_id {
	HROT_FP_SYS_VENDOR = 1,
	HROT_FP_PRODUCT_NAME,
	HROT_FP_PRODUCT_UUID,
	HROT_FP_PRODUCT_SERIAL,
	HROT_FP_BOARD_VENDOR,
	HROT_FP_BOARD_NAME,
	HROT_FP_BOARD_SERIAL,
	HROT_FP_CHASSIS_SERIAL,
	HROT_FP_CPU_VENDOR,
	HROT_FP_CPU_SIGNATURE,
	HROT_FP_TPM_EK,
	HROT_FP_NR_IDS = HROT_FP_TPM_EK
};

#define HROT_FP_MAX_COMPONENTS	16
#define HROT_FP_VALUE_MAX	64

/* struct hrot_fp_component.flags */
#define HROT_FP_PRESENT		_BITUL(0)	/* the platform reports it */

/**
 * struct hrot_fp_component - one immutable platform identifier
 * @id:     enum hrot_fp_component_id
 * @flags:  HROT_FP_PRESENT when the platform reports a value
 * @digest: SHA-256 of the raw value (all zero when absent)
 * @value:  printable form, NUL-terminated, truncated to fit
 *          (for HROT_FP_TPM_EK: the EK algorithm, e.g. "ecc-nist-p256")
 */
struct hrot_fp_component {
	__u32 id;
	__u32 flags;
	__u8 digest[HROT_SHA256_SIZE];
	char value[HROT_FP_VALUE_MAX];
};

/**
 * struct hrot_fingerprint - HROT_IOC_FINGERPRINT output
 * @size:          sizeof(struct hrot_fingerprint)
 * @version:       HROT_STRUCT_VERSION
 * @nr_components: entries used in @components
 * @reserved:      0
 * @digest:        SHA-256 over (id as __le32 || flags as __le32 || digest)
 *                 of every component, in @components order
 * @components:    the components, by ascending id
 */
struct hrot_fingerprint {
	__u32 size;
	__u32 version;
	__u32 nr_components;
	__u32 reserved;
	__u8 digest[HROT_SHA256_SIZE];
	struct hrot_fp_component components[HROT_FP_MAX_COMPONENTS];
};

/**
 * struct hrot_buf - a caller's buffer for variable-length output or input
 * @ptr: user pointer
 * @len: in: room at @ptr (output) or bytes at @ptr (input);
 *       out: bytes written, or, with -ENOSPC, bytes needed
 * @reserved: 0
 */
struct hrot_buf {
	__u64 ptr;
	__u32 len;
	__u32 reserved;
};

/* struct hrot_identity.flags */
#define HROT_ID_EK_CERT		_BITUL(0)	/* @ek_cert holds the EK cert */

/* EK templates (TCG EK Credential Profile), struct hrot_identity.ek_template */
#define HROT_EK_L1_RSA2048	1	/* low range L-1, cert at 0x01c00002 */
#define HROT_EK_L2_ECC_P256	2	/* low range L-2, cert at 0x01c0000a */
#define HROT_EK_H3_ECC_P384	3	/* high range H-3, cert at 0x01c00016 */

#define HROT_NAME_SIZE		34	/* TPM2B_NAME body: nameAlg + SHA-256 */

/**
 * struct hrot_identity - HROT_IOC_IDENTITY: the TPM identity
 * @size, @version: as everywhere
 * @flags:       out: HROT_ID_*
 * @ek_template: out: HROT_EK_*, the EK in use (the one with a certificate,
 *               else L-2; L-1 when the TPM has no ECC)
 * @ek_cert_index: out: NV index the certificate came from, 0 when none
 * @ak_name_len: out: bytes in @ak_name
 * @ak_name:     out: the AK's TPM name (nameAlg || digest of TPMT_PUBLIC)
 * @ek_public:   out: the EK's TPMT_PUBLIC (marshalled, no size prefix)
 * @ek_cert:     out: the EK certificate (DER), len 0 when none
 * @ak_public:   out: the AK's TPMT_PUBLIC (marshalled, no size prefix)
 * @ak_spki:     out: the AK public key as SubjectPublicKeyInfo DER
 */
struct hrot_identity {
	__u32 size;
	__u32 version;
	__u32 flags;
	__u32 ek_template;
	__u32 ek_cert_index;
	__u32 ak_name_len;
	__u8 ak_name[HROT_NAME_SIZE];
	__u8 pad[6];
	struct hrot_buf ek_public;
	struct hrot_buf ek_cert;
	struct hrot_buf ak_public;
	struct hrot_buf ak_spki;
};

#define HROT_QUALIFYING_MAX	64
#define HROT_PCR_COUNT		24

/**
 * struct hrot_quote - HROT_IOC_QUOTE: TPM2_Quote by the AK
 * @size, @version: as everywhere
 * @pcr_mask:  in: PCRs to quote, bit n = PCR n (n < 24), not empty
 * @bank:      in: PCR bank, HROT_ALG_SHA256
 * @qualifying_len: in: bytes of @qualifying used, 0..HROT_QUALIFYING_MAX
 * @qualifying: in: qualifying data (the verifier's nonce, or its hash)
 * @attest:    out: TPMS_ATTEST as the TPM signed it (no size prefix)
 * @signature: out: TPMT_SIGNATURE (ECDSA, SHA-256)
 * @pcrs:      out: the quoted PCR values, 32 bytes each, ascending PCR
 *             order; their SHA-256 is the attest's pcrDigest
 */
struct hrot_quote {
	__u32 size;
	__u32 version;
	__u32 pcr_mask;
	__u16 bank;
	__u16 qualifying_len;
	__u8 qualifying[HROT_QUALIFYING_MAX];
	struct hrot_buf attest;
	struct hrot_buf signature;
	struct hrot_buf pcrs;
};

/**
 * struct hrot_activate - HROT_IOC_ACTIVATE_CREDENTIAL (CAP_SYS_ADMIN)
 * @size, @version: as everywhere
 * @credential: in: TPM2B_ID_OBJECT from MakeCredential for the AK's name,
 *              with its size prefix
 * @secret:     in: TPM2B_ENCRYPTED_SECRET for the EK, with its size prefix
 * @cert_info:  out: the recovered secret (at most 64 bytes)
 */
struct hrot_activate {
	__u32 size;
	__u32 version;
	struct hrot_buf credential;
	struct hrot_buf secret;
	struct hrot_buf cert_info;
};

/*
 * Event data of every log record (little-endian, packed).  Described here
 * as offsets because it is a byte format, not a C ABI:
 *
 *   0  u8[4]  magic "HROT"
 *   4  u16    format version (2)
 *   6  u16    kind: HROT_EVENT_EXTEND or HROT_EVENT_FILE
 *   8  u16    content hash algorithm (HROT_ALG_SHA256)
 *  10  u16    content digest size (32)
 *  12  u8[32] content digest: EXTEND's digest or the file's SHA-256
 *  44  u64    file size in bytes (0 for EXTEND)
 *  52  u32    event type: the record's TCG eventType, repeated here so
 *             that the PCR binds it (the TCG record's own field is not
 *             covered by any digest); HROT_EV_IPL for MEASURE_FD
 *  56  u32    name length n (1..HROT_NAME_MAX)
 *  60  u8[n]  description (EXTEND) or path (MEASURE_FD), no NUL
 */
/*
 * struct hrot_component_key - HROT_IOC_COMPONENT_KEY (CAP_SYS_ADMIN), seed 002
 * @size:      sizeof(struct hrot_component_key)
 * @version:   HROT_STRUCT_VERSION
 * @flags:     must be 0
 * @label_len: bytes of @label, 1..HROT_LABEL_MAX
 * @label:     what the key is for, as the component names it
 * @component: out: SHA-256 of the calling process's executable, hashed by
 *             the kernel from the file the process runs
 * @key:       out: HMAC-SHA256 of @label by the TPM, with a keyed-hash
 *             primary key of the owner hierarchy whose template holds
 *             @component: the same for the same TPM, executable and label,
 *             different for any other
 *
 * The TPM is asked only when a verifier token of kind COMPONENT naming
 * @component is in a keyring, checked and unexpired (uapi hrot_token.h,
 * Documentation/keyring.md): the verifier attested this machine with that
 * executable measured and allowed.  Otherwise -EACCES, and one kernel line.
 */
#define HROT_LABEL_MAX		64

struct hrot_component_key {
	__u32 size;
	__u32 version;
	__u32 flags;
	__u32 label_len;
	__u8 label[HROT_LABEL_MAX];
	__u8 component[HROT_SHA256_SIZE];
	__u8 key[HROT_SHA256_SIZE];
};

#define HROT_EVENT_MAGIC	"HROT"
#define HROT_EVENT_FORMAT	2
#define HROT_EVENT_EXTEND	1
#define HROT_EVENT_FILE		2
#define HROT_EVENT_HDR_SIZE	60

#define HROT_IOC_MAGIC		0xB8

#define HROT_IOC_INFO		_IOWR(HROT_IOC_MAGIC, 0x00, struct hrot_info)
#define HROT_IOC_EXTEND		_IOWR(HROT_IOC_MAGIC, 0x01, struct hrot_extend)
#define HROT_IOC_MEASURE_FD	_IOWR(HROT_IOC_MAGIC, 0x02, struct hrot_measure_fd)
#define HROT_IOC_FINGERPRINT	_IOWR(HROT_IOC_MAGIC, 0x03, struct hrot_fingerprint)
#define HROT_IOC_IDENTITY	_IOWR(HROT_IOC_MAGIC, 0x04, struct hrot_identity)
#define HROT_IOC_QUOTE		_IOWR(HROT_IOC_MAGIC, 0x05, struct hrot_quote)
#define HROT_IOC_ACTIVATE_CREDENTIAL \
	_IOWR(HROT_IOC_MAGIC, 0x06, struct hrot_activate)
#define HROT_IOC_COMPONENT_KEY \
	_IOWR(HROT_IOC_MAGIC, 0x07, struct hrot_component_key)

#endif /* _UAPI_LINUX_HROT_H */
