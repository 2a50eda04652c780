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

/*
 * Event data of every log record (little-endian, packed).  Described here
 * as offsets because it is a byte format, not a C ABI:
 *
 *   0  u8[4]  magic "HROT"
 *   4  u16    format version (1)
 *   6  u16    kind: HROT_EVENT_EXTEND or HROT_EVENT_FILE
 *   8  u16    content hash algorithm (HROT_ALG_SHA256)
 *  10  u16    content digest size (32)
 *  12  u8[32] content digest: EXTEND's digest or the file's SHA-256
 *  44  u64    file size in bytes (0 for EXTEND)
 *  52  u32    name length n (1..HROT_NAME_MAX)
 *  56  u8[n]  description (EXTEND) or path (MEASURE_FD), no NUL
 */
#define HROT_EVENT_MAGIC	"HROT"
#define HROT_EVENT_FORMAT	1
#define HROT_EVENT_EXTEND	1
#define HROT_EVENT_FILE		2
#define HROT_EVENT_HDR_SIZE	56

#define HROT_IOC_MAGIC		0xB8

#define HROT_IOC_INFO		_IOWR(HROT_IOC_MAGIC, 0x00, struct hrot_info)
#define HROT_IOC_EXTEND		_IOWR(HROT_IOC_MAGIC, 0x01, struct hrot_extend)
#define HROT_IOC_MEASURE_FD	_IOWR(HROT_IOC_MAGIC, 0x02, struct hrot_measure_fd)
#define HROT_IOC_FINGERPRINT	_IOWR(HROT_IOC_MAGIC, 0x03, struct hrot_fingerprint)

#endif /* _UAPI_LINUX_HROT_H */
