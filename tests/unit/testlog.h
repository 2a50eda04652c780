/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test support: build TCG crypto-agile logs byte by byte, independently of
 * libhrot's parser and encoder, with bank digests computed by OpenSSL
 * directly, so that tests compare libhrot against a second implementation
 * of the format rather than against itself.
 */
#ifndef HROT_TESTLOG_H
#define HROT_TESTLOG_H

#include <stddef.h>
#include <stdint.h>

/* A growing byte buffer; allocation failure aborts (this is test code). */
struct tl_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

void tl_free(struct tl_buf *b);
void tl_bytes(struct tl_buf *b, const void *p, size_t n);
void tl_u8(struct tl_buf *b, uint8_t v);
void tl_u16(struct tl_buf *b, uint16_t v);
void tl_u32(struct tl_buf *b, uint32_t v);
void tl_u64(struct tl_buf *b, uint64_t v);

/*
 * A PCR bank: TPM_ALG_ID, digest size, the OpenSSL name of the algorithm of
 * its digests in the log, or NULL for a bank the module fills with the
 * zero-padded SHA-256 (SM3 and banks it does not know,
 * Documentation/log-format.md), and the OpenSSL name of the algorithm the
 * TPM extends the bank with (for replay; may be NULL when unused).
 */
struct tl_bank {
	uint16_t alg;
	uint16_t size;
	const char *evp;
	const char *tpm_evp;
};

/* The banks of tl_standard_log(): sha1, sha256, sha384 and sm3_256. */
extern const struct tl_bank tl_banks[];
#define TL_NR_BANKS	4

/* The legacy Spec ID event naming @n banks. */
void tl_spec_id(struct tl_buf *b, const struct tl_bank *banks, size_t n);

/* HROT event data, laid out from the offsets in <linux/hrot.h>. */
void tl_hrot_event(struct tl_buf *b, uint16_t kind, uint32_t event_type,
		   const uint8_t digest[32], uint64_t file_size,
		   const void *name, size_t name_len);

/* @bank's digest of @len bytes at @data, into @out (bank->size bytes). */
void tl_bank_digest(const struct tl_bank *bank, const void *data, size_t len,
		    uint8_t *out);

/*
 * A TCG_PCR_EVENT2 with one digest per bank, each the bank's digest of the
 * event data (or zero when @zero_digests, as EV_NO_ACTION records carry).
 */
void tl_record(struct tl_buf *b, uint32_t pcr, uint32_t type,
	       const struct tl_bank *banks, size_t n, const void *event,
	       size_t len, int zero_digests);

/* A record whose event is HROT event data with these fields. */
void tl_hrot_record(struct tl_buf *b, uint32_t pcr, uint32_t type,
		    const struct tl_bank *banks, size_t n, uint16_t kind,
		    const char *name, uint64_t file_size);

/* SHA-256 of @len bytes at @data, by OpenSSL. */
void tl_sha256(const void *data, size_t len, uint8_t out[32]);

/*
 * The log most tests use, in tl_banks:
 *   0  PCR 13 EV_EVENT_TAG  extend "boot-config"
 *   1  PCR 13 EV_IPL        file "/boot/vmlinuz", 1234 bytes
 *   2  PCR 0  EV_NO_ACTION  "StartupLocality" style, not HROT, zero digests
 *   3  PCR 14 EV_ACTION     not HROT ("plain event")
 *   4  PCR 13 EV_EVENT_TAG  extend "name with space\\and\nnewline é"
 * @ends, if not NULL, receives the offset just past the header (ends[0])
 * and past each record (ends[1..5]).
 */
#define TL_STD_RECORDS	5
void tl_standard_log(struct tl_buf *b, size_t ends[TL_STD_RECORDS + 1]);

/* The content digest tl_hrot_record() gives a record: SHA-256 of its name. */
void tl_content_digest(const char *name, uint8_t out[32]);

/* PCR = H(PCR || digest) in @bank, by OpenSSL (bank->tpm_evp). */
void tl_pcr_extend(const struct tl_bank *bank, uint8_t *pcr,
		   const uint8_t *digest);

/*
 * What PCR @pcr (13 or 14) of tl_standard_log() is in tl_banks[@bank],
 * computed from the events themselves, not from the log's bytes.
 */
void tl_standard_pcr(uint32_t pcr, size_t bank, uint8_t *out);

#endif /* HROT_TESTLOG_H */
