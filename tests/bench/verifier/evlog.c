// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-verifier-loadgen: the pre-made event log, in the module's format
 * (Documentation/log-format.md), SHA-256 bank only, measuring a handful of
 * boot files into PCR 13 as the module does.  Every device reports the same
 * log (one reference machine); the policy is imported from it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hrot/event.h>

#include "bench.h"

#define EV_NO_ACTION	3u
#define EV_IPL		0x0Du
#define ALG_SHA256	0x000Bu
#define SHA256_SIZE	32

static size_t put_le(uint8_t *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	return n;
}

/* The Spec ID event: one bank, SHA-256. */
static size_t spec_id(uint8_t *p)
{
	size_t n = 0;

	n += put_le(p + n, 0, 4);			/* pcrIndex */
	n += put_le(p + n, EV_NO_ACTION, 4);
	memset(p + n, 0, 20);				/* SHA-1 digest */
	n += 20;
	n += put_le(p + n, 16 + 4 + 4 + 4 + 4 + 1, 4);
	memcpy(p + n, "Spec ID Event03", 16);
	n += 16;
	n += put_le(p + n, 0, 4);			/* platformClass */
	p[n++] = 0;					/* minor */
	p[n++] = 2;					/* major */
	p[n++] = 0;					/* errata */
	p[n++] = 2;					/* uintnSize */
	n += put_le(p + n, 1, 4);			/* one bank */
	n += put_le(p + n, ALG_SHA256, 2);
	n += put_le(p + n, SHA256_SIZE, 2);
	p[n++] = 0;					/* vendorInfoSize */
	return n;
}

/* One file record; extends @pcr as TPM2_PCR_Extend would. */
static int file_record(unsigned int i, uint8_t *p, size_t room, size_t *used,
		       uint8_t pcr[SHA256_SIZE])
{
	uint8_t content[SHA256_SIZE], digest[SHA256_SIZE], ext[64];
	uint8_t ev[HROT_EVENT_HDR_SIZE + 64];
	char name[48];
	ssize_t ev_len;
	size_t n = 0;
	int len;

	len = snprintf(name, sizeof(name), "/boot/bench-file-%02u", i);
	if (sha256(name, (size_t)len, content))
		return -EIO;
	ev_len = hrot_event_encode(HROT_EVENT_FILE, HROT_EV_IPL, content,
				   (uint64_t)(1u << 20) + i, name, (size_t)len,
				   ev, sizeof(ev));
	if (ev_len < 0)
		return (int)ev_len;
	if (room < 4 + 4 + 4 + 2 + SHA256_SIZE + 4 + (size_t)ev_len)
		return -ENOSPC;
	if (sha256(ev, (size_t)ev_len, digest))
		return -EIO;
	n += put_le(p + n, BENCH_PCR, 4);
	n += put_le(p + n, EV_IPL, 4);
	n += put_le(p + n, 1, 4);
	n += put_le(p + n, ALG_SHA256, 2);
	memcpy(p + n, digest, SHA256_SIZE);
	n += SHA256_SIZE;
	n += put_le(p + n, (uint64_t)ev_len, 4);
	memcpy(p + n, ev, (size_t)ev_len);
	n += (size_t)ev_len;
	*used = n;
	memcpy(ext, pcr, SHA256_SIZE);
	memcpy(ext + SHA256_SIZE, digest, SHA256_SIZE);
	return sha256(ext, sizeof(ext), pcr);
}

int bench_log_make(unsigned int events, struct bench_log *out)
{
	size_t room = 128 + (size_t)events * 256, n, used = 0;
	unsigned int i;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->buf = malloc(room);
	if (!out->buf)
		return -ENOMEM;
	n = spec_id(out->buf);
	for (i = 0; !ret && i < events; i++) {
		ret = file_record(i, out->buf + n, room - n, &used, out->pcr);
		n += used;
	}
	out->len = n;
	if (ret)
		bench_log_free(out);
	return ret;
}

void bench_log_free(struct bench_log *log)
{
	free(log->buf);
	memset(log, 0, sizeof(*log));
}
