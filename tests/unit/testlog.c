// SPDX-License-Identifier: GPL-2.0
/*
 * Test support: an independent writer of TCG crypto-agile logs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "testlog.h"

const struct tl_bank tl_banks[] = {
	{ 0x0004, 20, "SHA1", "SHA1" },
	{ 0x000B, 32, "SHA256", "SHA256" },
	{ 0x000C, 48, "SHA384", "SHA384" },
	/* sm3_256: the module logs padded SHA-256, the TPM extends with SM3. */
	{ 0x0012, 32, NULL, "SM3" },
};

void tl_free(struct tl_buf *b)
{
	free(b->data);
	*b = (struct tl_buf){ 0 };
}

void tl_bytes(struct tl_buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (!b->data)
			abort();
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
}

void tl_u8(struct tl_buf *b, uint8_t v)
{
	tl_bytes(b, &v, 1);
}

void tl_u16(struct tl_buf *b, uint16_t v)
{
	uint8_t p[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	tl_bytes(b, p, 2);
}

void tl_u32(struct tl_buf *b, uint32_t v)
{
	tl_u16(b, (uint16_t)v);
	tl_u16(b, (uint16_t)(v >> 16));
}

void tl_u64(struct tl_buf *b, uint64_t v)
{
	tl_u32(b, (uint32_t)v);
	tl_u32(b, (uint32_t)(v >> 32));
}

void tl_spec_id(struct tl_buf *b, const struct tl_bank *banks, size_t n)
{
	static const uint8_t zero[20];
	size_t i;

	tl_u32(b, 0);			/* pcrIndex */
	tl_u32(b, 3);			/* EV_NO_ACTION */
	tl_bytes(b, zero, 20);		/* SHA-1 digest */
	tl_u32(b, (uint32_t)(16 + 4 + 4 + 4 + 4 * n + 1));
	tl_bytes(b, "Spec ID Event03", 16);
	tl_u32(b, 0);			/* platformClass */
	tl_u8(b, 0);			/* specVersionMinor */
	tl_u8(b, 2);			/* specVersionMajor */
	tl_u8(b, 0);			/* specErrata */
	tl_u8(b, 2);			/* uintnSize */
	tl_u32(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		tl_u16(b, banks[i].alg);
		tl_u16(b, banks[i].size);
	}
	tl_u8(b, 0);			/* vendorInfoSize */
}

void tl_hrot_event(struct tl_buf *b, uint16_t kind, uint32_t event_type,
		   const uint8_t digest[32], uint64_t file_size,
		   const void *name, size_t name_len)
{
	tl_bytes(b, "HROT", 4);
	tl_u16(b, 2);			/* format */
	tl_u16(b, kind);
	tl_u16(b, 0x000B);		/* SHA-256 */
	tl_u16(b, 32);
	tl_bytes(b, digest, 32);
	tl_u64(b, file_size);
	tl_u32(b, event_type);		/* the record's eventType, bound */
	tl_u32(b, (uint32_t)name_len);
	tl_bytes(b, name, name_len);
}

void tl_sha256(const void *data, size_t len, uint8_t out[32])
{
	unsigned int n = 0;

	if (!EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) || n != 32)
		abort();
}

void tl_bank_digest(const struct tl_bank *bank, const void *data, size_t len,
		    uint8_t *out)
{
	unsigned int n = 0;
	EVP_MD *md;

	if (!bank->evp) {
		uint8_t sha256[32];

		tl_sha256(data, len, sha256);
		memset(out, 0, bank->size);
		memcpy(out, sha256, bank->size < 32 ? bank->size : 32);
		return;
	}
	md = EVP_MD_fetch(NULL, bank->evp, NULL);
	if (!md || !EVP_Digest(data, len, out, &n, md, NULL) ||
	    n != bank->size)
		abort();
	EVP_MD_free(md);
}

void tl_record(struct tl_buf *b, uint32_t pcr, uint32_t type,
	       const struct tl_bank *banks, size_t n, const void *event,
	       size_t len, int zero_digests)
{
	uint8_t digest[64];
	size_t i;

	tl_u32(b, pcr);
	tl_u32(b, type);
	tl_u32(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		memset(digest, 0, sizeof(digest));
		if (!zero_digests)
			tl_bank_digest(&banks[i], event, len, digest);
		tl_u16(b, banks[i].alg);
		tl_bytes(b, digest, banks[i].size);
	}
	tl_u32(b, (uint32_t)len);
	tl_bytes(b, event, len);
}

void tl_content_digest(const char *name, uint8_t out[32])
{
	tl_sha256(name, strlen(name), out);
}

void tl_hrot_record(struct tl_buf *b, uint32_t pcr, uint32_t type,
		    const struct tl_bank *banks, size_t n, uint16_t kind,
		    const char *name, uint64_t file_size)
{
	struct tl_buf ev = { 0 };
	uint8_t digest[32];

	tl_content_digest(name, digest);
	tl_hrot_event(&ev, kind, type, digest, file_size, name, strlen(name));
	tl_record(b, pcr, type, banks, n, ev.data, ev.len, 0);
	tl_free(&ev);
}

/* The last name of tl_standard_log(): every kind of byte to escape. */
static const char odd_name[] = "name with space\\and\nnewline \xc3\xa9";

/* Note where the log ends so far, if the caller asked. */
static void mark(size_t *ends, size_t *k, const struct tl_buf *b)
{
	if (ends)
		ends[(*k)++] = b->len;
}

void tl_standard_log(struct tl_buf *b, size_t ends[TL_STD_RECORDS + 1])
{
	static const char locality[] = "StartupLocality";
	static const char plain[] = "plain event";
	size_t k = 0;

	tl_spec_id(b, tl_banks, TL_NR_BANKS);
	mark(ends, &k, b);
	tl_hrot_record(b, 13, 0x06, tl_banks, TL_NR_BANKS, 1, "boot-config", 0);
	mark(ends, &k, b);
	tl_hrot_record(b, 13, 0x0d, tl_banks, TL_NR_BANKS, 2, "/boot/vmlinuz",
		       1234);
	mark(ends, &k, b);
	tl_record(b, 0, 0x03, tl_banks, TL_NR_BANKS, locality,
		  sizeof(locality), 1);
	mark(ends, &k, b);
	tl_record(b, 14, 0x05, tl_banks, TL_NR_BANKS, plain, sizeof(plain) - 1,
		  0);
	mark(ends, &k, b);
	tl_hrot_record(b, 13, 0x06, tl_banks, TL_NR_BANKS, 1, odd_name, 0);
	mark(ends, &k, b);
}

void tl_pcr_extend(const struct tl_bank *bank, uint8_t *pcr,
		   const uint8_t *digest)
{
	size_t len = 2 * (size_t)bank->size;
	EVP_MD *md = EVP_MD_fetch(NULL, bank->tpm_evp, NULL);
	unsigned int n = 0;
	uint8_t buf[128];

	memcpy(buf, pcr, bank->size);
	memcpy(buf + bank->size, digest, bank->size);
	if (!md || !EVP_Digest(buf, len, pcr, &n, md, NULL) || n != bank->size)
		abort();
	EVP_MD_free(md);
}

/* Extend @pcr with @bank's digest of HROT event data for @name. */
static void extend_hrot(const struct tl_bank *bank, uint8_t *pcr,
			uint16_t kind, const char *name, uint64_t file_size)
{
	struct tl_buf ev = { 0 };
	uint8_t content[32], digest[64];
	/* tl_standard_log()'s types: EV_EVENT_TAG extends, EV_IPL files */
	uint32_t type = kind == 2 ? 0x0d : 0x06;

	tl_content_digest(name, content);
	tl_hrot_event(&ev, kind, type, content, file_size, name, strlen(name));
	tl_bank_digest(bank, ev.data, ev.len, digest);
	tl_pcr_extend(bank, pcr, digest);
	tl_free(&ev);
}

void tl_standard_pcr(uint32_t pcr, size_t bank, uint8_t *out)
{
	const struct tl_bank *b = &tl_banks[bank];

	memset(out, 0, b->size);
	if (pcr == 14) {
		uint8_t digest[64];

		tl_bank_digest(b, "plain event", 11, digest);
		tl_pcr_extend(b, out, digest);
		return;
	}
	extend_hrot(b, out, 1, "boot-config", 0);
	extend_hrot(b, out, 2, "/boot/vmlinuz", 1234);
	extend_hrot(b, out, 1, odd_name, 0);
}
