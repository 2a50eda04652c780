// SPDX-License-Identifier: GPL-2.0
/* Shared code of the in-guest test helpers; see tcommon.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "tcommon.h"

/* ---- SHA-256 (FIPS 180-4) --------------------------------------------- */
static const uint32_t K256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR32(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ROR32(w[i - 15], 7) ^ ROR32(w[i - 15], 18) ^
			      (w[i - 15] >> 3);
		uint32_t s1 = ROR32(w[i - 2], 17) ^ ROR32(w[i - 2], 19) ^
			      (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (i = 0; i < 64; i++) {
		t1 = hh + (ROR32(e, 6) ^ ROR32(e, 11) ^ ROR32(e, 25)) +
		     ((e & f) ^ (~e & g)) + K256[i] + w[i];
		t2 = (ROR32(a, 2) ^ ROR32(a, 13) ^ ROR32(a, 22)) +
		     ((a & b) ^ (a & c) ^ (b & c));
		hh = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

void t_sha256_init(struct t_sha256 *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->nbuf = 0;
}

void t_sha256_update(struct t_sha256 *c, const void *data, size_t len)
{
	const uint8_t *p = data;

	c->len += len;
	if (c->nbuf) {
		size_t n = 64 - c->nbuf;

		if (n > len)
			n = len;
		memcpy(c->buf + c->nbuf, p, n);
		c->nbuf += n;
		p += n;
		len -= n;
		if (c->nbuf == 64) {
			sha256_block(c->h, c->buf);
			c->nbuf = 0;
		}
	}
	while (len >= 64) {
		sha256_block(c->h, p);
		p += 64;
		len -= 64;
	}
	if (len) {
		memcpy(c->buf, p, len);
		c->nbuf = len;
	}
}

void t_sha256_final(struct t_sha256 *c, uint8_t out[32])
{
	uint64_t bits = c->len * 8;
	uint8_t pad[72];
	size_t padlen = (c->nbuf < 56) ? 56 - c->nbuf : 120 - c->nbuf;
	int i;

	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (i = 0; i < 8; i++)
		pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
	t_sha256_update(c, pad, padlen + 8);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
}

void t_sha256(const void *data, size_t len, uint8_t out[32])
{
	struct t_sha256 c;

	t_sha256_init(&c);
	t_sha256_update(&c, data, len);
	t_sha256_final(&c, out);
}

int t_sha256_file(const char *path, uint8_t out[32], uint64_t *size)
{
	static uint8_t buf[1 << 16];
	struct t_sha256 c;
	uint64_t total = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	t_sha256_init(&c);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		t_sha256_update(&c, buf, (size_t)n);
		total += (uint64_t)n;
	}
	close(fd);
	if (n < 0)
		return -1;
	t_sha256_final(&c, out);
	if (size)
		*size = total;
	return 0;
}

/* ---- misc ------------------------------------------------------------- */
char *t_hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = 0;
	return out;
}

uint8_t *t_read_all(const char *path, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap), *nb;
	ssize_t r;
	int fd, saved;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		saved = errno;
		free(buf);
		errno = saved;
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				close(fd);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			free(buf);
			close(fd);
			errno = saved;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return buf;
}

int t_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t r;

	while (len) {
		r = write(fd, p, len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

uint64_t t_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

const char *t_alg_name(uint16_t alg)
{
	switch (alg) {
	case HROT_ALG_SHA1: return "sha1";
	case HROT_ALG_SHA256: return "sha256";
	case HROT_ALG_SHA384: return "sha384";
	case HROT_ALG_SHA512: return "sha512";
	case HROT_ALG_SM3_256: return "sm3_256";
	default: return "unknown";
	}
}

unsigned t_alg_size(uint16_t alg)
{
	switch (alg) {
	case HROT_ALG_SHA1: return 20;
	case HROT_ALG_SHA256: return 32;
	case HROT_ALG_SHA384: return 48;
	case HROT_ALG_SHA512: return 64;
	case HROT_ALG_SM3_256: return 32;
	default: return 0;
	}
}

/* ---- results ---------------------------------------------------------- */
int t_failures;
int t_passes;

void t_pass(const char *name)
{
	t_passes++;
	printf("RESULT PASS %s\n", name);
	fflush(stdout);
}

static void t_vfail(const char *name, const char *fmt, va_list ap)
{
	char reason[1024];

	vsnprintf(reason, sizeof(reason), fmt, ap);
	/* one line per result */
	for (char *p = reason; *p; p++)
		if (*p == '\n')
			*p = ' ';
	t_failures++;
	printf("RESULT FAIL %s %s\n", name, reason);
	fflush(stdout);
}

void t_fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	t_vfail(name, fmt, ap);
	va_end(ap);
}

void t_check(int cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (cond) {
		t_pass(name);
		return;
	}
	va_start(ap, fmt);
	t_vfail(name, fmt, ap);
	va_end(ap);
}

/* ---- raw ioctls ------------------------------------------------------- */
int t_info(int fd, struct hrot_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->version = HROT_STRUCT_VERSION;
	return ioctl(fd, HROT_IOC_INFO, info);
}

int t_extend(int fd, uint32_t type, const char *desc, size_t len,
	     const uint8_t *digest, uint64_t *index)
{
	struct hrot_extend e;
	int ret;

	memset(&e, 0, sizeof(e));
	e.size = sizeof(e);
	e.version = HROT_STRUCT_VERSION;
	e.event_type = type;
	if (digest)
		memcpy(e.digest, digest, 32);
	else
		t_sha256(desc, len, e.digest);
	e.desc_len = (uint32_t)len;
	e.desc_ptr = (uint64_t)(uintptr_t)desc;
	ret = ioctl(fd, HROT_IOC_EXTEND, &e);
	if (!ret && index)
		*index = e.index;
	return ret;
}

int t_measure_fd(int fd, int file_fd, uint8_t digest[32], uint64_t *size,
		 uint64_t *index)
{
	struct hrot_measure_fd m;
	int ret;

	memset(&m, 0, sizeof(m));
	m.size = sizeof(m);
	m.version = HROT_STRUCT_VERSION;
	m.fd = file_fd;
	ret = ioctl(fd, HROT_IOC_MEASURE_FD, &m);
	if (!ret) {
		if (digest)
			memcpy(digest, m.digest, 32);
		if (size)
			*size = m.file_size;
		if (index)
			*index = m.index;
	}
	return ret;
}

/* ---- the binary event log --------------------------------------------- */
static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

#define PERR(...) do { snprintf(err, errlen, __VA_ARGS__); goto bad; } while (0)

int t_log_parse(struct t_log *lg, const uint8_t *buf, size_t len,
		char *err, size_t errlen)
{
	size_t off, cap = 0, ev_size;
	uint32_t nalg, i;
	const uint8_t *p;

	memset(lg, 0, sizeof(*lg));
	lg->buf = buf;
	lg->len = len;

	/* Spec ID event: TCG_PCClientPCREvent with TCG_EfiSpecIDEventStruct */
	if (len < 32)
		PERR("log of %zu bytes is shorter than a Spec ID event", len);
	if (le32(buf) != 0 || le32(buf + 4) != HROT_EV_NO_ACTION)
		PERR("first record is pcr %u type %u, not a Spec ID event",
		     le32(buf), le32(buf + 4));
	for (i = 0; i < 20; i++)
		if (buf[8 + i])
			PERR("Spec ID event digest not zero");
	ev_size = le32(buf + 28);
	if (ev_size > len - 32)
		PERR("Spec ID event size %zu overruns the log (%zu)", ev_size, len);
	p = buf + 32;
	if (ev_size < 29 || memcmp(p, "Spec ID Event03\0", 16) != 0)
		PERR("bad Spec ID signature");
	if (p[21] != 2)
		PERR("specVersionMajor %u != 2", p[21]);
	nalg = le32(p + 24);
	if (nalg == 0 || nalg > HROT_MAX_BANKS)
		PERR("numberOfAlgorithms %u", nalg);
	if (ev_size < 28 + 4 * (size_t)nalg + 1)
		PERR("Spec ID event too short for %u algorithms", nalg);
	for (i = 0; i < nalg; i++) {
		lg->banks[i].alg = le16(p + 28 + 4 * i);
		lg->banks[i].size = le16(p + 30 + 4 * i);
		if (t_alg_size(lg->banks[i].alg) != lg->banks[i].size)
			PERR("bank %u: alg 0x%04x with digest size %u", i,
			     lg->banks[i].alg, lg->banks[i].size);
	}
	lg->nbanks = nalg;
	if (ev_size != 28 + 4 * (size_t)nalg + 1 + p[28 + 4 * nalg])
		PERR("Spec ID event size %zu != its contents", ev_size);
	lg->hdr_len = 32 + ev_size;

	/* TCG_PCR_EVENT2 records tile the rest exactly */
	off = lg->hdr_len;
	while (off < len) {
		struct t_rec r;
		size_t o = off;
		uint32_t count;

		memset(&r, 0, sizeof(r));
		r.off = off;
		if (len - o < 12)
			PERR("record %zu at %zu: torn header (%zu bytes left)",
			     lg->nrec, off, len - o);
		r.pcr = le32(buf + o);
		r.type = le32(buf + o + 4);
		count = le32(buf + o + 8);
		o += 12;
		if (r.type == HROT_EV_NO_ACTION)
			PERR("record %zu: EV_NO_ACTION after the header", lg->nrec);
		if (count != nalg)
			PERR("record %zu at %zu: %u digests, header says %u",
			     lg->nrec, off, count, nalg);
		for (i = 0; i < count; i++) {
			if (len - o < 2)
				PERR("record %zu: torn digest", lg->nrec);
			if (le16(buf + o) != lg->banks[i].alg)
				PERR("record %zu: digest %u is alg 0x%04x, header bank is 0x%04x",
				     lg->nrec, i, le16(buf + o), lg->banks[i].alg);
			o += 2;
			if (len - o < lg->banks[i].size)
				PERR("record %zu: torn digest", lg->nrec);
			r.digest[i] = buf + o;
			o += lg->banks[i].size;
		}
		if (len - o < 4)
			PERR("record %zu: torn event size", lg->nrec);
		r.event_len = le32(buf + o);
		o += 4;
		if (r.event_len > len - o)
			PERR("record %zu at %zu: event of %u bytes overruns the log by %zu",
			     lg->nrec, off, r.event_len, r.event_len - (len - o));
		r.event = buf + o;
		o += r.event_len;
		r.len = o - off;

		/* the HROT event */
		if (r.event_len < HROT_EVENT_HDR_SIZE ||
		    memcmp(r.event, HROT_EVENT_MAGIC, 4) != 0)
			PERR("record %zu: event is not an HROT event", lg->nrec);
		if (le16(r.event + 4) != HROT_EVENT_FORMAT)
			PERR("record %zu: event format %u", lg->nrec,
			     le16(r.event + 4));
		r.kind = le16(r.event + 6);
		if (r.kind != HROT_EVENT_EXTEND && r.kind != HROT_EVENT_FILE)
			PERR("record %zu: event kind %u", lg->nrec, r.kind);
		if (le16(r.event + 8) != HROT_ALG_SHA256 ||
		    le16(r.event + 10) != 32)
			PERR("record %zu: content hash alg 0x%04x size %u",
			     lg->nrec, le16(r.event + 8), le16(r.event + 10));
		r.content = r.event + 12;
		r.file_size = le64(r.event + 44);
		r.name_len = le32(r.event + 56);
		/* format 2 binds the record's eventType in the event data */
		if (le32(r.event + 52) != r.type)
			PERR("record %zu: event data binds type 0x%08x, record says 0x%08x",
			     lg->nrec, le32(r.event + 52), r.type);
		r.name = (const char *)r.event + HROT_EVENT_HDR_SIZE;
		if (r.name_len < 1 || r.name_len > HROT_NAME_MAX)
			PERR("record %zu: name length %u", lg->nrec, r.name_len);
		if ((size_t)HROT_EVENT_HDR_SIZE + r.name_len != r.event_len)
			PERR("record %zu: event size %u != 60 + name length %u",
			     lg->nrec, r.event_len, r.name_len);
		if (r.kind == HROT_EVENT_EXTEND && r.file_size != 0)
			PERR("record %zu: EXTEND with file size %llu", lg->nrec,
			     (unsigned long long)r.file_size);
		if (r.kind == HROT_EVENT_FILE && r.type != HROT_EV_IPL)
			PERR("record %zu: file record with event type 0x%x",
			     lg->nrec, r.type);
		/* the SHA-256 bank is the SHA-256 of the event data */
		for (i = 0; i < nalg; i++) {
			uint8_t d[32];

			if (lg->banks[i].alg != HROT_ALG_SHA256)
				continue;
			t_sha256(r.event, r.event_len, d);
			if (memcmp(d, r.digest[i], 32) != 0)
				PERR("record %zu: sha256 bank digest is not SHA-256 of the event data",
				     lg->nrec);
		}

		if (lg->nrec == cap) {
			struct t_rec *nr;

			cap = cap ? cap * 2 : 256;
			nr = realloc(lg->recs, cap * sizeof(*nr));
			if (!nr)
				PERR("out of memory");
			lg->recs = nr;
		}
		lg->recs[lg->nrec++] = r;
		off = o;
	}
	return 0;
bad:
	free(lg->recs);
	lg->recs = NULL;
	return -1;
}

void t_log_free(struct t_log *lg)
{
	free(lg->recs);
	lg->recs = NULL;
	lg->nrec = 0;
}

size_t t_log_rec_size(const struct t_log *lg, size_t name_len)
{
	size_t n = 12 + 4 + HROT_EVENT_HDR_SIZE + name_len;
	unsigned i;

	for (i = 0; i < lg->nbanks; i++)
		n += 2 + lg->banks[i].size;
	return n;
}

size_t t_info_rec_size(const struct hrot_info *info, size_t name_len)
{
	size_t n = 12 + 4 + HROT_EVENT_HDR_SIZE + name_len;
	unsigned i;

	for (i = 0; i < info->nr_banks && i < HROT_MAX_BANKS; i++)
		n += 2 + t_alg_size(info->banks[i]);
	return n;
}
