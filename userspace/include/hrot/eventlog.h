/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot: the TCG PC Client crypto-agile event log (binary_measurements).
 *
 * hrot_log_parse() is a pure function of a byte buffer: every count and
 * length is checked against what is left of the buffer and against the
 * limits below before it is used, so it is safe on anything (it is fuzzed).
 * Documentation/log-format.md describes the format.
 */
#ifndef HROT_EVENTLOG_H
#define HROT_EVENTLOG_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <hrot/event.h>

#define HROT_LOG_PATH \
	"/sys/kernel/security/" HROT_SECURITYFS_DIR "/binary_measurements"

/*
 * Limits.  A log over HROT_LOG_MAX_BYTES is refused before it is looked at:
 * the module caps its log at 8 MiB by default.  TPMs implement a handful of
 * banks; TPM 2.0 digests are at most 64 bytes; the module's own events are
 * at most HROT_EVENT_SIZE(HROT_NAME_MAX) bytes and firmware's (certificate
 * databases) tens of KiB.
 */
#define HROT_LOG_MAX_BYTES	(64u << 20)
#define HROT_LOG_MAX_ALGS	16
#define HROT_LOG_MAX_EVENT_SIZE	(1u << 20)

/*
 * Errors of hrot_log_parse(), hrot_log_load() and hrot_log_verify(), as
 * negative errno values, each with a struct hrot_log_diag saying where:
 *   ETRUNCATED  the input ends inside a structure
 *   ETOOBIG     a count or size is over a limit above
 *   EFORMAT     not a valid log
 *   EMISMATCH   a bank digest is not the hash of the event data
 */
#define HROT_LOG_ETRUNCATED	ENODATA
#define HROT_LOG_ETOOBIG	E2BIG
#define HROT_LOG_EFORMAT	EBADMSG
#define HROT_LOG_EMISMATCH	EKEYREJECTED

/* Record number of hrot_log_diag when the problem is not in a record. */
#define HROT_LOG_NO_RECORD	((size_t)-1)

/**
 * struct hrot_log_diag - why a log was refused
 * @record: index of the offending record (0 = first after the Spec ID
 *          event, as the module numbers them), or HROT_LOG_NO_RECORD
 * @offset: byte offset in the log of the offending field
 * @msg:    one line naming the record and what is wrong with it
 */
struct hrot_log_diag {
	size_t record;
	size_t offset;
	char msg[256];
};

/* One bank of the log, from the Spec ID event. */
struct hrot_log_alg {
	uint16_t id;
	uint16_t digest_size;
};

/**
 * struct hrot_log_spec_id - the TCG_EfiSpecIDEventStruct that heads the log
 * @platform_class:   0 client, 1 server
 * @version_minor:    0
 * @version_major:    2
 * @errata:           as written
 * @uintn_size:       1 (UINT32) or 2 (UINT64)
 * @nr_algs:          banks, 1..HROT_LOG_MAX_ALGS
 * @algs:             the banks, in the log's order
 * @vendor_info_size: bytes at @vendor_info
 * @vendor_info:      points into the log
 */
struct hrot_log_spec_id {
	uint32_t platform_class;
	uint8_t version_minor;
	uint8_t version_major;
	uint8_t errata;
	uint8_t uintn_size;
	uint32_t nr_algs;
	struct hrot_log_alg algs[HROT_LOG_MAX_ALGS];
	uint8_t vendor_info_size;
	const uint8_t *vendor_info;
};

/* One digest of a record: @size bytes at @bytes, in bank @alg. */
struct hrot_log_digest {
	uint16_t alg;
	uint16_t size;
	const uint8_t *bytes;
};

/**
 * struct hrot_log_record - one TCG_PCR_EVENT2
 * @offset:     where it starts in the log
 * @length:     its bytes
 * @pcr:        pcrIndex
 * @event_type: eventType
 * @nr_digests: entries in @digests, at most one per bank
 * @digests:    in the record's order
 * @event_size: eventSize
 * @event:      the event data, points into the log
 * @is_hrot:    the event data carries the HROT magic; @hrot is decoded
 * @hrot:       the decoded event data (name points into the log)
 */
struct hrot_log_record {
	size_t offset;
	size_t length;
	uint32_t pcr;
	uint32_t event_type;
	uint32_t nr_digests;
	const struct hrot_log_digest *digests;
	uint32_t event_size;
	const uint8_t *event;
	bool is_hrot;
	struct hrot_event_data hrot;
};

/**
 * struct hrot_log - a parsed log; pointers in it point into its own copy
 * of the input, so it outlives the buffer it was parsed from
 * @spec_id:     the header
 * @header_size: bytes of the Spec ID event
 * @size:        bytes of the whole log
 * @nr_records:  records after the header
 * @records:     them
 */
struct hrot_log {
	struct hrot_log_spec_id spec_id;
	size_t header_size;
	size_t size;
	size_t nr_records;
	struct hrot_log_record *records;
	/* private: the copy of the input and the digests of every record */
	uint8_t *data;
	struct hrot_log_digest *digest_pool;
};

/**
 * hrot_log_parse() - parse a whole binary log
 * @buf:  the log
 * @len:  its size
 * @out:  on success, the parsed log, to release with hrot_log_free()
 * @diag: on failure, where and why (may be NULL)
 *
 * The log must start with the Spec ID event and end exactly after its last
 * record.  Records whose event data carry the HROT magic are decoded and
 * must be well-formed.  Digests are not checked: see hrot_log_verify().
 *
 * Return: 0, -HROT_LOG_ETRUNCATED, -HROT_LOG_ETOOBIG, -HROT_LOG_EFORMAT
 * or -ENOMEM.
 */
int hrot_log_parse(const void *buf, size_t len, struct hrot_log **out,
		   struct hrot_log_diag *diag);

void hrot_log_free(struct hrot_log *log);

/**
 * hrot_log_read_file() - read a whole log file (securityfs files have no
 * size, so it reads to EOF)
 * @path: NULL for HROT_LOG_PATH
 * @buf:  on success, the bytes, to free()
 * @len:  their number
 *
 * Return: 0, -EFBIG past HROT_LOG_MAX_BYTES, -ENOMEM, or -errno of
 * open()/read().
 */
int hrot_log_read_file(const char *path, uint8_t **buf, size_t *len);

/**
 * hrot_log_load() - hrot_log_read_file() then hrot_log_parse()
 * @path: NULL for HROT_LOG_PATH
 * @out:  the parsed log
 * @diag: on a parse error, where and why (may be NULL)
 *
 * Return: what either returns.
 */
int hrot_log_load(const char *path, struct hrot_log **out,
		  struct hrot_log_diag *diag);

/**
 * hrot_log_verify_record() - check one record's bank digests
 * @log:  the log
 * @i:    the record
 * @diag: on a mismatch, which bank (may be NULL)
 *
 * For a record with HROT event data, each bank's digest must be that
 * bank's hash of the event data.  For banks the module does not hash
 * itself (struct hrot_alg.kernel_hashes), the zero-padded SHA-256 it logs
 * instead is accepted too.  Records of other origin are not checked: their
 * digests are over data the log does not hold.
 *
 * Return: 0, -HROT_LOG_EMISMATCH, -EIO when OpenSSL fails, -EINVAL for
 * a record @log does not have.
 */
int hrot_log_verify_record(const struct hrot_log *log, size_t i,
			   struct hrot_log_diag *diag);

/* hrot_log_verify_record() of every record; stops at the first failure. */
int hrot_log_verify(const struct hrot_log *log, struct hrot_log_diag *diag);

/* "EV_IPL" and the like, or NULL for a type without a TCG name. */
const char *hrot_event_type_name(uint32_t type);

#endif /* HROT_EVENTLOG_H */
