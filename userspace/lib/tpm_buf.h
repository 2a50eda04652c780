/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot internal: bounded big-endian reading and writing of TPM
 * structures.  A reader fails with a diag naming the field; a writer
 * remembers that it ran out of room and says so once, at the end.
 */
#ifndef HROT_TPM_BUF_H
#define HROT_TPM_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hrot/tpm.h>

struct tpm_rd {
	const uint8_t *p;
	size_t len;
	size_t off;
	struct hrot_tpm_diag *diag;
};

struct tpm_wr {
	uint8_t *p;
	size_t size;
	size_t off;
	bool overflow;
};

void rd_init(struct tpm_rd *r, const void *buf, size_t len,
	     struct hrot_tpm_diag *diag);
/* Record why at the current offset; returns @err (negative). */
int rd_fail(struct tpm_rd *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int rd_u8(struct tpm_rd *r, const char *field, uint8_t *v);
int rd_u16(struct tpm_rd *r, const char *field, uint16_t *v);
int rd_u32(struct tpm_rd *r, const char *field, uint32_t *v);
int rd_u64(struct tpm_rd *r, const char *field, uint64_t *v);
int rd_bytes(struct tpm_rd *r, const char *field, uint8_t *out, size_t n);
/* A TPM2B: u16 size (at most @max), then the bytes into @out. */
int rd_2b(struct tpm_rd *r, const char *field, uint8_t *out, size_t max,
	  uint16_t *size);
/* EFORMAT when bytes are left after @what. */
int rd_end(struct tpm_rd *r, const char *what);

void wr_init(struct tpm_wr *w, uint8_t *buf, size_t size);
void wr_u8(struct tpm_wr *w, uint8_t v);
void wr_u16(struct tpm_wr *w, uint16_t v);
void wr_u32(struct tpm_wr *w, uint32_t v);
void wr_u64(struct tpm_wr *w, uint64_t v);
void wr_bytes(struct tpm_wr *w, const void *p, size_t n);
void wr_2b(struct tpm_wr *w, const void *p, uint16_t n);
/* Bytes written, or -ENOSPC. */
int wr_done(const struct tpm_wr *w);

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

#endif /* HROT_TPM_BUF_H */
