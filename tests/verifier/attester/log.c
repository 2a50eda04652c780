// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-soft-attester: the event log, in the module's format
 * (Documentation/log-format.md) with the SHA-256 bank only (the tests'
 * swtpm has only that bank), written here and extended into swtpm's PCR 13
 * as the module would.  extends.bin keeps the digests extended, so that
 * after a swtpm restart (PCRs back to zero) "boot" measures the same again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <hrot/event.h>
#include <hrot/hex.h>

#include "soft.h"

#define EV_NO_ACTION	3u
#define EV_IPL		0x0Du
#define ALG_SHA256	0x000Bu

static size_t put_le(uint8_t *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	return n;
}

int soft_log_init(const struct soft_ctx *s)
{
	uint8_t hdr[128] = { 0 };
	size_t n = 0;
	char path[4096];
	int ret;

	n += put_le(hdr + n, 0, 4);			/* pcrIndex */
	n += put_le(hdr + n, EV_NO_ACTION, 4);
	n += 20;					/* zero SHA-1 digest */
	n += put_le(hdr + n, 16 + 4 + 4 + 4 + 4 + 1, 4);
	memcpy(hdr + n, "Spec ID Event03", 16);
	n += 16;
	n += put_le(hdr + n, 0, 4);			/* platformClass */
	hdr[n++] = 0;					/* minor */
	hdr[n++] = 2;					/* major */
	hdr[n++] = 0;					/* errata */
	hdr[n++] = 2;					/* uintnSize */
	n += put_le(hdr + n, 1, 4);			/* one bank */
	n += put_le(hdr + n, ALG_SHA256, 2);
	n += put_le(hdr + n, HROT_SHA256_SIZE, 2);
	hdr[n++] = 0;					/* vendorInfoSize */
	ret = soft_write_file(soft_path(s, "log.bin", path, sizeof(path)),
			      hdr, n);
	if (!ret)
		ret = soft_write_file(soft_path(s, "extends.bin", path,
						sizeof(path)), "", 0);
	return ret;
}

static int sha256(const void *p, size_t len, uint8_t out[HROT_SHA256_SIZE])
{
	return EVP_Digest(p, len, out, NULL, EVP_sha256(), NULL) ? 0 : -EIO;
}

static int extend_pcr(const struct soft_ctx *s,
		      const uint8_t digest[HROT_SHA256_SIZE])
{
	char arg[128], hex[2 * HROT_SHA256_SIZE + 1];
	const char *argv[] = { "tpm2_pcrextend", arg, NULL };

	hrot_hex_encode(digest, HROT_SHA256_SIZE, hex, sizeof(hex));
	snprintf(arg, sizeof(arg), "%d:sha256=%s", SOFT_PCR, hex);
	return soft_run(s, argv);
}

/* Append @add to the file @name of the state directory. */
static int append(const struct soft_ctx *s, const char *name,
		  const void *add, size_t len)
{
	char path[4096];
	uint8_t *buf, *p;
	size_t n;
	int ret;

	ret = soft_read_file(soft_path(s, name, path, sizeof(path)), &buf, &n);
	if (ret)
		return ret;
	p = realloc(buf, n + len);
	if (!p) {
		free(buf);
		return -ENOMEM;
	}
	memcpy(p + n, add, len);
	ret = soft_write_file(path, p, n + len);
	free(p);
	return ret;
}

/* The record as the module writes it: one bank, SHA-256 of the event. */
static int append_record(const struct soft_ctx *s, const uint8_t *ev,
			 size_t ev_len, const uint8_t digest[HROT_SHA256_SIZE])
{
	size_t n = 0, len = 4 + 4 + 4 + 2 + HROT_SHA256_SIZE + 4 + ev_len;
	uint8_t *rec = malloc(len);
	int ret;

	if (!rec)
		return -ENOMEM;
	n += put_le(rec + n, SOFT_PCR, 4);
	n += put_le(rec + n, EV_IPL, 4);
	n += put_le(rec + n, 1, 4);
	n += put_le(rec + n, ALG_SHA256, 2);
	memcpy(rec + n, digest, HROT_SHA256_SIZE);
	n += HROT_SHA256_SIZE;
	n += put_le(rec + n, ev_len, 4);
	memcpy(rec + n, ev, ev_len);
	ret = append(s, "log.bin", rec, len);
	free(rec);
	return ret;
}

int soft_measure(const struct soft_ctx *s, const char *name,
		 const char *file)
{
	uint8_t content[HROT_SHA256_SIZE], digest[HROT_SHA256_SIZE];
	uint8_t ev[HROT_EVENT_HDR_SIZE + 1024], *data;
	size_t len;
	ssize_t ev_len;
	int ret;

	ret = soft_read_file(file, &data, &len);
	if (ret)
		return ret;
	ret = sha256(data, len, content);
	free(data);
	if (ret)
		return ret;
	ev_len = hrot_event_encode(HROT_EVENT_FILE, HROT_EV_IPL, content, len,
				   name, strlen(name), ev, sizeof(ev));
	if (ev_len < 0)
		return (int)ev_len;
	ret = sha256(ev, (size_t)ev_len, digest);
	/* PCR first: a log entry whose extend failed would never replay. */
	if (!ret)
		ret = extend_pcr(s, digest);
	if (!ret)
		ret = append_record(s, ev, (size_t)ev_len, digest);
	if (!ret)
		ret = append(s, "extends.bin", digest, sizeof(digest));
	return ret;
}

int soft_boot(const struct soft_ctx *s)
{
	char path[4096];
	uint8_t *buf;
	size_t len, off;
	int ret;

	ret = soft_read_file(soft_path(s, "extends.bin", path, sizeof(path)),
			     &buf, &len);
	if (ret)
		return ret;
	for (off = 0; !ret && off + HROT_SHA256_SIZE <= len;
	     off += HROT_SHA256_SIZE)
		ret = extend_pcr(s, buf + off);
	free(buf);
	return ret;
}
