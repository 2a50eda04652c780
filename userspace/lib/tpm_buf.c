// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: bounded big-endian reader and writer for TPM structures.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tpm_buf.h"

void rd_init(struct tpm_rd *r, const void *buf, size_t len,
	     struct hrot_tpm_diag *diag)
{
	r->p = buf;
	r->len = buf ? len : 0;
	r->off = 0;
	r->diag = diag;
}

int rd_fail(struct tpm_rd *r, int err, const char *fmt, ...)
{
	if (r->diag) {
		va_list ap;

		r->diag->offset = r->off;
		va_start(ap, fmt);
		vsnprintf(r->diag->msg, sizeof(r->diag->msg), fmt, ap);
		va_end(ap);
	}
	return err;
}

static int need(struct tpm_rd *r, const char *field, size_t n)
{
	if (r->len - r->off < n)
		return rd_fail(r, -HROT_TPM_ETRUNCATED,
			       "%s: needs %zu bytes at offset %zu, %zu left",
			       field, n, r->off, r->len - r->off);
	return 0;
}

static uint64_t take(struct tpm_rd *r, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v << 8 | r->p[r->off + i];
	r->off += n;
	return v;
}

int rd_u8(struct tpm_rd *r, const char *field, uint8_t *v)
{
	int ret = need(r, field, 1);

	if (!ret)
		*v = (uint8_t)take(r, 1);
	return ret;
}

int rd_u16(struct tpm_rd *r, const char *field, uint16_t *v)
{
	int ret = need(r, field, 2);

	if (!ret)
		*v = (uint16_t)take(r, 2);
	return ret;
}

int rd_u32(struct tpm_rd *r, const char *field, uint32_t *v)
{
	int ret = need(r, field, 4);

	if (!ret)
		*v = (uint32_t)take(r, 4);
	return ret;
}

int rd_u64(struct tpm_rd *r, const char *field, uint64_t *v)
{
	int ret = need(r, field, 8);

	if (!ret)
		*v = take(r, 8);
	return ret;
}

int rd_bytes(struct tpm_rd *r, const char *field, uint8_t *out, size_t n)
{
	int ret = need(r, field, n);

	if (ret)
		return ret;
	if (n)
		memcpy(out, r->p + r->off, n);
	r->off += n;
	return 0;
}

int rd_2b(struct tpm_rd *r, const char *field, uint8_t *out, size_t max,
	  uint16_t *size)
{
	uint16_t n;
	int ret = rd_u16(r, field, &n);

	if (ret)
		return ret;
	if (n > max) {
		r->off -= 2;
		return rd_fail(r, -HROT_TPM_ETOOBIG,
			       "%s: size %u over its limit of %zu", field, n,
			       max);
	}
	ret = rd_bytes(r, field, out, n);
	if (!ret)
		*size = n;
	return ret;
}

int rd_end(struct tpm_rd *r, const char *what)
{
	if (r->off != r->len)
		return rd_fail(r, -HROT_TPM_EFORMAT,
			       "%s: %zu bytes left over after it", what,
			       r->len - r->off);
	return 0;
}

void wr_init(struct tpm_wr *w, uint8_t *buf, size_t size)
{
	w->p = buf;
	w->size = buf ? size : 0;
	w->off = 0;
	w->overflow = false;
}

void wr_bytes(struct tpm_wr *w, const void *p, size_t n)
{
	if (w->overflow || w->size - w->off < n) {
		w->overflow = true;
		return;
	}
	if (n)
		memcpy(w->p + w->off, p, n);
	w->off += n;
}

static void wr_be(struct tpm_wr *w, uint64_t v, size_t n)
{
	uint8_t b[8];
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	wr_bytes(w, b, n);
}

void wr_u8(struct tpm_wr *w, uint8_t v)
{
	wr_be(w, v, 1);
}

void wr_u16(struct tpm_wr *w, uint16_t v)
{
	wr_be(w, v, 2);
}

void wr_u32(struct tpm_wr *w, uint32_t v)
{
	wr_be(w, v, 4);
}

void wr_u64(struct tpm_wr *w, uint64_t v)
{
	wr_be(w, v, 8);
}

void wr_2b(struct tpm_wr *w, const void *p, uint16_t n)
{
	wr_u16(w, n);
	wr_bytes(w, p, n);
}

int wr_done(const struct tpm_wr *w)
{
	if (w->overflow)
		return -ENOSPC;
	if (w->off > INT32_MAX)
		return -EINVAL;
	return (int)w->off;
}
