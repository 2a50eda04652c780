/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared code of the in-guest test helpers: a self-contained SHA-256, a
 * strict parser of the hrot binary event log, raw INFO, and result lines.
 *
 * Nothing here comes from libhrot or the module: the helpers are an
 * independent check of both.  Result lines are "RESULT PASS name" and
 * "RESULT FAIL name reason"; the test scripts turn them into lib.sh's
 * pass/fail calls.
 */
#ifndef HROT_TCOMMON_H
#define HROT_TCOMMON_H

#include <stddef.h>
#include <stdint.h>
#include <linux/hrot.h>

#define HROT_DEV_PATH	"/dev/hrot"
#define HROT_BIN_LOG	"/sys/kernel/security/hrot/binary_measurements"
#define HROT_ASCII_LOG	"/sys/kernel/security/hrot/ascii_measurements"

/* ---- SHA-256 ---------------------------------------------------------- */
struct t_sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t nbuf;
};

void t_sha256_init(struct t_sha256 *c);
void t_sha256_update(struct t_sha256 *c, const void *data, size_t len);
void t_sha256_final(struct t_sha256 *c, uint8_t out[32]);
void t_sha256(const void *data, size_t len, uint8_t out[32]);
/* SHA-256 of a whole file; -1 (errno set) on error. */
int t_sha256_file(const char *path, uint8_t out[32], uint64_t *size);

/* ---- misc ------------------------------------------------------------- */
/* Lower-case hex of @n bytes into @out (2n+1 bytes). Returns @out. */
char *t_hex(const uint8_t *p, size_t n, char *out);
/* Read a whole file (until EOF) into a malloc'ed buffer; NULL on error. */
uint8_t *t_read_all(const char *path, size_t *len);
/* Write all of @len bytes; -1 on error. */
int t_write_all(int fd, const void *buf, size_t len);
/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t t_now_ns(void);
const char *t_alg_name(uint16_t alg);
/* Digest size of a TPM_ALG_ID, 0 if unknown. */
unsigned t_alg_size(uint16_t alg);

/* ---- results ---------------------------------------------------------- */
extern int t_failures;
extern int t_passes;
void t_pass(const char *name);
void t_fail(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* PASS if cond, else FAIL with the formatted reason. */
void t_check(int cond, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- raw ioctls ------------------------------------------------------- */
int t_info(int fd, struct hrot_info *info);
/* EXTEND with desc; digest = SHA-256(desc) when @digest is NULL. */
int t_extend(int fd, uint32_t type, const char *desc, size_t len,
	     const uint8_t *digest, uint64_t *index);
int t_measure_fd(int fd, int file_fd, uint8_t digest[32], uint64_t *size,
		 uint64_t *index);

/* ---- the binary event log --------------------------------------------- */
struct t_bank {
	uint16_t alg;
	uint16_t size;
};

struct t_rec {
	size_t off;		/* offset of the record in the buffer */
	size_t len;		/* its length */
	uint32_t pcr;
	uint32_t type;
	const uint8_t *digest[HROT_MAX_BANKS];	/* in spec-header bank order */
	const uint8_t *event;
	uint32_t event_len;
	/* decoded HROT event */
	uint16_t kind;
	const uint8_t *content;	/* 32 bytes */
	uint64_t file_size;
	const char *name;	/* not NUL-terminated */
	uint32_t name_len;
};

struct t_log {
	const uint8_t *buf;
	size_t len;
	size_t hdr_len;
	unsigned nbanks;
	struct t_bank banks[HROT_MAX_BANKS];
	size_t nrec;		/* records after the Spec ID event */
	struct t_rec *recs;
};

/*
 * Parse and validate a whole log: the Spec ID event, then records whose
 * sizes exactly tile the buffer, each with one digest per bank in header
 * order, a well-formed HROT event and a SHA-256 bank digest equal to the
 * SHA-256 of its event data.  Returns 0, or -1 with a reason in @err.
 */
int t_log_parse(struct t_log *lg, const uint8_t *buf, size_t len,
		char *err, size_t errlen);
void t_log_free(struct t_log *lg);
/* Size of a record with a @name_len byte name, for this log's banks. */
size_t t_log_rec_size(const struct t_log *lg, size_t name_len);
/* Same from INFO's banks. */
size_t t_info_rec_size(const struct hrot_info *info, size_t name_len);

#endif
