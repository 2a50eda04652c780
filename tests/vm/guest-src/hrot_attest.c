// SPDX-License-Identifier: GPL-2.0
/*
 * hrot_attest: IDENTITY, QUOTE and ACTIVATE_CREDENTIAL by raw ioctl (no
 * libhrot), writing files in the formats tpm2-tools reads, as an
 * independent oracle for hrotctl in the guest tests.
 *
 *   hrot_attest identity DIR      IDENTITY; key=value lines (ek_template=,
 *                                 flags=, ek_cert_index=, ak_name=,
 *                                 ak_attrs=, ak_policy_len=...) and files:
 *                                 ek.tpmt ek.pub (u16 size + TPMT_PUBLIC)
 *                                 ek.crt (when there is one) ak.tpmt ak.pub
 *                                 ak.der (SPKI) ak.pem ak.name (hex)
 *   hrot_attest quote MASK NONCE DIR
 *                                 QUOTE of the sha256 PCRs in MASK (hex;
 *                                 bit n = PCR n) with NONCE (hex, may be
 *                                 empty "-"): quote.msg (TPMS_ATTEST),
 *                                 quote.sig (TPMT_SIGNATURE), quote.vals
 *                                 (PCR values, tpm2_pcrread -o format);
 *                                 checks the attest (magic, type, nonce,
 *                                 selection, pcrDigest = SHA-256(values))
 *                                 and prints RESULT lines
 *   hrot_attest badquote          invalid QUOTE/IDENTITY inputs: EINVAL,
 *                                 E2BIG, ENOSPC with the needed lengths,
 *                                 EFAULT (RESULT lines)
 *   hrot_attest activate [--drop-caps] CREDFILE OUT
 *                                 ACTIVATE_CREDENTIAL of a tpm2-tools
 *                                 credential file (0xBADCC0DE, 1,
 *                                 TPM2B_ID_OBJECT, TPM2B_ENCRYPTED_SECRET);
 *                                 writes the secret to OUT.  On failure
 *                                 prints "errno=NAME" and exits 2.
 *                                 --drop-caps: empty capability sets first
 *   hrot_attest stress THREADS ITERS
 *                                 THREADS threads, each with its own fd,
 *                                 ITERS quotes with distinct nonces and
 *                                 masks, each checked as in "quote"
 *
 * Exit status 0 on success, 1 on a failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "tcommon.h"

#define BUFSZ 4096

static const char *errname(int e)
{
	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EIO: return "EIO";
	case E2BIG: return "E2BIG";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ENODEV: return "ENODEV";
	case ENOTTY: return "ENOTTY";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	default: return "other";
	}
}

static int open_dev(void)
{
	int fd = open(HROT_DEV_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "hrot_attest: open %s: %s\n", HROT_DEV_PATH,
			strerror(errno));
		exit(1);
	}
	return fd;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int write_file(const char *dir, const char *name, const void *p,
		      size_t len)
{
	char path[4096];
	int fd, r;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "hrot_attest: %s: %s\n", path, strerror(errno));
		return -1;
	}
	r = t_write_all(fd, p, len);
	close(fd);
	return r;
}

static int hex_decode(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(s), i;

	if (!strcmp(s, "-")) {
		*len = 0;
		return 0;
	}
	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	*len = n / 2;
	return 0;
}

/* ---- identity ---------------------------------------------------------- */
static void pem(const uint8_t *der, size_t len, char *out)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, col = 0;
	char *o = out;

	o += sprintf(o, "-----BEGIN PUBLIC KEY-----\n");
	for (i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)der[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)der[i + 1] << 8;
		if (i + 2 < len)
			v |= der[i + 2];
		*o++ = b64[v >> 18 & 63];
		*o++ = b64[v >> 12 & 63];
		*o++ = i + 1 < len ? b64[v >> 6 & 63] : '=';
		*o++ = i + 2 < len ? b64[v & 63] : '=';
		col += 4;
		if (col == 64) {
			*o++ = '\n';
			col = 0;
		}
	}
	if (col)
		*o++ = '\n';
	sprintf(o, "-----END PUBLIC KEY-----\n");
}

static void set_buf(struct hrot_buf *b, void *p, uint32_t len)
{
	b->ptr = (uint64_t)(uintptr_t)p;
	b->len = len;
	b->reserved = 0;
}

static int cmd_identity(const char *dir)
{
	static uint8_t ekp[BUFSZ], ekc[BUFSZ], akp[BUFSZ], spki[BUFSZ];
	static uint8_t tss[BUFSZ + 2];
	static char pemtxt[BUFSZ * 2];
	struct hrot_identity id;
	char hex[2 * HROT_NAME_SIZE + 2];
	int fd = open_dev();

	memset(&id, 0, sizeof(id));
	id.size = sizeof(id);
	id.version = HROT_STRUCT_VERSION;
	set_buf(&id.ek_public, ekp, BUFSZ);
	set_buf(&id.ek_cert, ekc, BUFSZ);
	set_buf(&id.ak_public, akp, BUFSZ);
	set_buf(&id.ak_spki, spki, BUFSZ);
	if (ioctl(fd, HROT_IOC_IDENTITY, &id)) {
		printf("errno=%s\n", errname(errno));
		fprintf(stderr, "hrot_attest: IDENTITY: %s\n", strerror(errno));
		return 2;
	}
	close(fd);
	printf("ek_template=%u\nflags=%u\nek_cert_index=0x%08x\n",
	       id.ek_template, id.flags, id.ek_cert_index);
	printf("ak_name_len=%u\nak_name=%s\n", id.ak_name_len,
	       t_hex(id.ak_name, id.ak_name_len <= HROT_NAME_SIZE ?
		     id.ak_name_len : HROT_NAME_SIZE, hex));
	printf("ek_public_len=%u\nek_cert_len=%u\nak_public_len=%u\nak_spki_len=%u\n",
	       id.ek_public.len, id.ek_cert.len, id.ak_public.len,
	       id.ak_spki.len);
	/* TPMT_PUBLIC: type, nameAlg, objectAttributes, authPolicy... */
	if (id.ak_public.len >= 10) {
		printf("ak_type=0x%04x\nak_name_alg=0x%04x\nak_attrs=0x%08x\n",
		       be16(akp), be16(akp + 2), be32(akp + 4));
		printf("ak_policy_len=%u\n", be16(akp + 8));
	}
	if (id.ek_public.len >= 10)
		printf("ek_type=0x%04x\nek_attrs=0x%08x\n", be16(ekp),
		       be32(ekp + 4));
	if (write_file(dir, "ek.tpmt", ekp, id.ek_public.len) ||
	    write_file(dir, "ak.tpmt", akp, id.ak_public.len) ||
	    write_file(dir, "ak.der", spki, id.ak_spki.len))
		return 1;
	tss[0] = (uint8_t)(id.ek_public.len >> 8);
	tss[1] = (uint8_t)id.ek_public.len;
	memcpy(tss + 2, ekp, id.ek_public.len);
	if (write_file(dir, "ek.pub", tss, id.ek_public.len + 2))
		return 1;
	tss[0] = (uint8_t)(id.ak_public.len >> 8);
	tss[1] = (uint8_t)id.ak_public.len;
	memcpy(tss + 2, akp, id.ak_public.len);
	if (write_file(dir, "ak.pub", tss, id.ak_public.len + 2))
		return 1;
	if (id.ek_cert.len &&
	    write_file(dir, "ek.crt", ekc, id.ek_cert.len))
		return 1;
	pem(spki, id.ak_spki.len, pemtxt);
	if (write_file(dir, "ak.pem", pemtxt, strlen(pemtxt)))
		return 1;
	strcat(hex, "\n");
	if (write_file(dir, "ak.name", hex, strlen(hex)))
		return 1;
	return 0;
}

/* ---- quote ------------------------------------------------------------- */
struct qres {
	uint8_t attest[BUFSZ], sig[BUFSZ], pcrs[HROT_PCR_COUNT * 32];
	uint32_t attest_len, sig_len, pcrs_len;
};

static int do_quote(int fd, uint32_t mask, const uint8_t *nonce,
		    size_t nonce_len, struct qres *r)
{
	struct hrot_quote q;

	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.version = HROT_STRUCT_VERSION;
	q.pcr_mask = mask;
	q.bank = HROT_ALG_SHA256;
	q.qualifying_len = (uint16_t)nonce_len;
	memcpy(q.qualifying, nonce, nonce_len);
	set_buf(&q.attest, r->attest, sizeof(r->attest));
	set_buf(&q.signature, r->sig, sizeof(r->sig));
	set_buf(&q.pcrs, r->pcrs, sizeof(r->pcrs));
	if (ioctl(fd, HROT_IOC_QUOTE, &q))
		return -1;
	r->attest_len = q.attest.len;
	r->sig_len = q.signature.len;
	r->pcrs_len = q.pcrs.len;
	return 0;
}

/*
 * Check a quote's attest against what was asked: "" when it is right,
 * else the reason in @why.
 */
static int check_attest(const struct qres *r, uint32_t mask,
			const uint8_t *nonce, size_t nonce_len, char *why,
			size_t wl)
{
	const uint8_t *p = r->attest, *end = r->attest + r->attest_len;
	uint8_t sel[3] = { (uint8_t)mask, (uint8_t)(mask >> 8),
			   (uint8_t)(mask >> 16) };
	uint8_t d[32];
	unsigned n = (unsigned)__builtin_popcount(mask);
	uint16_t l;

#define NEED(k) do { if ((size_t)(end - p) < (size_t)(k)) { \
	snprintf(why, wl, "attest truncated at %td", p - r->attest); \
	return -1; } } while (0)
	NEED(6);
	if (be32(p) != 0xff544347) {
		snprintf(why, wl, "magic 0x%08x", be32(p));
		return -1;
	}
	if (be16(p + 4) != 0x8018) {
		snprintf(why, wl, "type 0x%04x, not ATTEST_QUOTE", be16(p + 4));
		return -1;
	}
	p += 6;
	NEED(2);
	l = be16(p);
	p += 2;
	NEED(l);
	p += l;				/* qualifiedSigner */
	NEED(2);
	l = be16(p);
	p += 2;
	NEED(l);
	if (l != nonce_len || memcmp(p, nonce, l)) {
		snprintf(why, wl, "extraData (%u bytes) is not the nonce (%zu)",
			 l, nonce_len);
		return -1;
	}
	p += l;
	NEED(17 + 8);
	p += 17 + 8;			/* clockInfo, firmwareVersion */
	NEED(4);
	if (be32(p) != 1) {
		snprintf(why, wl, "%u PCR selections", be32(p));
		return -1;
	}
	p += 4;
	NEED(3);
	if (be16(p) != HROT_ALG_SHA256 || p[2] < 3) {
		snprintf(why, wl, "selection bank 0x%04x size %u", be16(p), p[2]);
		return -1;
	}
	l = p[2];
	p += 3;
	NEED(l);
	if (memcmp(p, sel, 3)) {
		snprintf(why, wl, "selection %02x%02x%02x, asked %02x%02x%02x",
			 p[0], p[1], p[2], sel[0], sel[1], sel[2]);
		return -1;
	}
	p += l;
	NEED(2);
	l = be16(p);
	p += 2;
	NEED(l);
	if (l != 32) {
		snprintf(why, wl, "pcrDigest of %u bytes", l);
		return -1;
	}
	if (r->pcrs_len != 32 * n) {
		snprintf(why, wl, "pcrs len %u for %u PCRs", r->pcrs_len, n);
		return -1;
	}
	t_sha256(r->pcrs, r->pcrs_len, d);
	if (memcmp(d, p, 32)) {
		snprintf(why, wl, "pcrDigest != SHA-256 of the returned values");
		return -1;
	}
	p += 32;
	if (p != end) {
		snprintf(why, wl, "%td bytes after the quote info", end - p);
		return -1;
	}
	/* TPMT_SIGNATURE: ECDSA (0x0018), SHA-256, two TPM2B */
	if (r->sig_len < 8 || be16(r->sig) != 0x0018 ||
	    be16(r->sig + 2) != HROT_ALG_SHA256) {
		snprintf(why, wl, "signature is not ECDSA-SHA256 (%u bytes)",
			 r->sig_len);
		return -1;
	}
#undef NEED
	return 0;
}

static int cmd_quote(const char *mask_s, const char *nonce_s, const char *dir)
{
	static struct qres r;
	uint8_t nonce[256];
	size_t nl;
	char why[256], hex[65];
	uint32_t mask = (uint32_t)strtoul(mask_s, NULL, 16);
	unsigned i, k = 0;
	int fd = open_dev();

	if (hex_decode(nonce_s, nonce, sizeof(nonce), &nl) || nl > 64) {
		fprintf(stderr, "hrot_attest: bad nonce\n");
		return 1;
	}
	if (do_quote(fd, mask, nonce, nl, &r)) {
		printf("errno=%s\n", errname(errno));
		fprintf(stderr, "hrot_attest: QUOTE: %s\n", strerror(errno));
		return 2;
	}
	close(fd);
	if (write_file(dir, "quote.msg", r.attest, r.attest_len) ||
	    write_file(dir, "quote.sig", r.sig, r.sig_len) ||
	    write_file(dir, "quote.vals", r.pcrs, r.pcrs_len))
		return 1;
	for (i = 0; i < HROT_PCR_COUNT; i++)
		if (mask & 1u << i && (k + 1) * 32 <= r.pcrs_len)
			printf("pcr %u %s\n", i, t_hex(r.pcrs + 32 * k++, 32, hex));
	if (check_attest(&r, mask, nonce, nl, why, sizeof(why))) {
		printf("RESULT FAIL attest_%x %s\n", mask, why);
		return 1;
	}
	printf("RESULT PASS attest_%x\n", mask);
	return 0;
}

/* ---- bad inputs --------------------------------------------------------- */
static int quote_err(int fd, struct hrot_quote *q)
{
	return ioctl(fd, HROT_IOC_QUOTE, q) ? errno : 0;
}

static void quote_init(struct hrot_quote *q, struct qres *r)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->version = HROT_STRUCT_VERSION;
	q->pcr_mask = 0x1;
	q->bank = HROT_ALG_SHA256;
	q->qualifying_len = 8;
	memset(q->qualifying, 0xa5, 8);
	set_buf(&q->attest, r->attest, sizeof(r->attest));
	set_buf(&q->signature, r->sig, sizeof(r->sig));
	set_buf(&q->pcrs, r->pcrs, sizeof(r->pcrs));
}

static void expect_err(const char *name, int got, int want)
{
	t_check(got == want, name, "got %s (%d), want %s", errname(got), got,
		errname(want));
}

#define EXPECT_ERR(name, got, want) expect_err(name, got, want)

static int cmd_badquote(void)
{
	static struct qres r;
	struct hrot_quote q;
	struct hrot_identity id;
	uint32_t a_need, s_need, p_need;
	void *nomap;
	int fd = open_dev(), e;

	nomap = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	quote_init(&q, &r);
	EXPECT_ERR("quote_baseline_ok", quote_err(fd, &q), 0);

	quote_init(&q, &r);
	q.pcr_mask = 0;
	EXPECT_ERR("quote_empty_mask_einval", quote_err(fd, &q), EINVAL);
	quote_init(&q, &r);
	q.pcr_mask = 1u << 24;
	EXPECT_ERR("quote_pcr24_einval", quote_err(fd, &q), EINVAL);
	quote_init(&q, &r);
	q.pcr_mask = 0x80000001u;
	EXPECT_ERR("quote_pcr31_einval", quote_err(fd, &q), EINVAL);
	quote_init(&q, &r);
	q.bank = HROT_ALG_SHA1;
	EXPECT_ERR("quote_bank_sha1_einval", quote_err(fd, &q), EINVAL);
	quote_init(&q, &r);
	q.bank = HROT_ALG_SHA384;
	EXPECT_ERR("quote_bank_sha384_einval", quote_err(fd, &q), EINVAL);
	quote_init(&q, &r);
	q.attest.reserved = 1;
	EXPECT_ERR("quote_reserved_einval", quote_err(fd, &q), EINVAL);
	quote_init(&q, &r);
	q.pcrs.reserved = 1;
	EXPECT_ERR("quote_pcrs_reserved_einval", quote_err(fd, &q), EINVAL);
	quote_init(&q, &r);
	q.qualifying_len = 65;
	EXPECT_ERR("quote_qualifying_65_e2big", quote_err(fd, &q), E2BIG);
	quote_init(&q, &r);
	q.qualifying_len = 64;
	memset(q.qualifying, 0x3c, 64);
	EXPECT_ERR("quote_qualifying_64_ok", quote_err(fd, &q), 0);
	quote_init(&q, &r);
	q.qualifying_len = 0;
	EXPECT_ERR("quote_qualifying_0_ok", quote_err(fd, &q), 0);

	/* ENOSPC: every short buffer reports what it needs */
	quote_init(&q, &r);
	q.pcr_mask = 0x00ffffff;
	e = quote_err(fd, &q);
	EXPECT_ERR("quote_all24_ok", e, 0);
	a_need = q.attest.len;
	s_need = q.signature.len;
	p_need = q.pcrs.len;
	t_check(p_need == 24 * 32, "quote_all24_pcrs_len", "pcrs len %u", p_need);
	quote_init(&q, &r);
	q.pcr_mask = 0x00ffffff;
	q.attest.len = 0;
	q.signature.len = 0;
	q.pcrs.len = 0;
	EXPECT_ERR("quote_zero_buffers_enospc", quote_err(fd, &q), ENOSPC);
	/* attest size may differ between quotes only in no field: same PCRs,
	 * same nonce length, same AK */
	t_check(q.attest.len == a_need && q.signature.len >= 8 &&
		q.pcrs.len == p_need, "quote_enospc_lengths",
		"needed attest %u sig %u pcrs %u; a success wrote %u %u %u",
		q.attest.len, q.signature.len, q.pcrs.len, a_need, s_need,
		p_need);
	a_need = q.attest.len;
	s_need = q.signature.len;
	p_need = q.pcrs.len;
	quote_init(&q, &r);
	q.pcr_mask = 0x00ffffff;
	q.pcrs.len = p_need - 1;
	EXPECT_ERR("quote_pcrs_short_by_1_enospc", quote_err(fd, &q), ENOSPC);
	t_check(q.pcrs.len == p_need, "quote_pcrs_short_len", "len %u want %u",
		q.pcrs.len, p_need);
	quote_init(&q, &r);
	q.pcr_mask = 0x00ffffff;
	q.attest.len = a_need;
	q.signature.len = s_need;
	q.pcrs.len = p_need;
	e = quote_err(fd, &q);
	EXPECT_ERR("quote_needed_sizes_ok", e, 0);
	t_check(!e && q.attest.len == a_need && q.pcrs.len == p_need,
		"quote_needed_sizes_written", "wrote attest %u pcrs %u",
		q.attest.len, q.pcrs.len);

	/* EFAULT */
	quote_init(&q, &r);
	q.attest.ptr = (uint64_t)(uintptr_t)nomap;
	EXPECT_ERR("quote_attest_unmapped_efault", quote_err(fd, &q), EFAULT);
	quote_init(&q, &r);
	q.pcrs.ptr = 8;
	EXPECT_ERR("quote_pcrs_null_efault", quote_err(fd, &q), EFAULT);
	e = ioctl(fd, HROT_IOC_QUOTE, nomap) ? errno : 0;
	EXPECT_ERR("quote_struct_unmapped_efault", e, EFAULT);

	/* IDENTITY: ENOSPC then success with the sizes asked */
	memset(&id, 0, sizeof(id));
	id.size = sizeof(id);
	id.version = HROT_STRUCT_VERSION;
	e = ioctl(fd, HROT_IOC_IDENTITY, &id) ? errno : 0;
	EXPECT_ERR("identity_zero_buffers_enospc", e, ENOSPC);
	t_check(id.ek_public.len > 0 && id.ak_public.len > 0 &&
		id.ak_spki.len == 91, "identity_enospc_lengths",
		"ek_public %u ak_public %u ak_spki %u (P-256 SPKI is 91)",
		id.ek_public.len, id.ak_public.len, id.ak_spki.len);
	{
		static uint8_t b1[BUFSZ], b2[BUFSZ], b3[BUFSZ], b4[BUFSZ];
		uint32_t l1 = id.ek_public.len, l2 = id.ek_cert.len,
			 l3 = id.ak_public.len, l4 = id.ak_spki.len;

		set_buf(&id.ek_public, b1, l1);
		set_buf(&id.ek_cert, b2, l2);
		set_buf(&id.ak_public, b3, l3);
		set_buf(&id.ak_spki, b4, l4);
		e = ioctl(fd, HROT_IOC_IDENTITY, &id) ? errno : 0;
		EXPECT_ERR("identity_needed_sizes_ok", e, 0);
		t_check(!e && id.ek_public.len == l1 && id.ek_cert.len == l2 &&
			id.ak_public.len == l3 && id.ak_spki.len == l4,
			"identity_needed_sizes_written", "lens changed");
		set_buf(&id.ak_spki, nomap, 4096);
		e = ioctl(fd, HROT_IOC_IDENTITY, &id) ? errno : 0;
		EXPECT_ERR("identity_unmapped_efault", e, EFAULT);
		set_buf(&id.ak_spki, b4, l4);
		id.ek_cert.reserved = 7;
		e = ioctl(fd, HROT_IOC_IDENTITY, &id) ? errno : 0;
		EXPECT_ERR("identity_reserved_einval", e, EINVAL);
	}
	close(fd);
	return t_failures ? 1 : 0;
}

/* ---- activate ------------------------------------------------------------ */
static int drop_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	return (int)syscall(SYS_capset, &h, d);
}

static int cmd_activate(int argc, char **argv)
{
	struct hrot_activate a;
	uint8_t out[256];
	uint8_t *f;
	size_t len, o;
	int drop = 0, fd, dfd;
	uint16_t l1, l2;

	if (argc > 0 && !strcmp(argv[0], "--drop-caps")) {
		drop = 1;
		argc--;
		argv++;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: hrot_attest activate [--drop-caps] CRED OUT\n");
		return 1;
	}
	f = t_read_all(argv[0], &len);
	if (!f || len < 12 || be32(f) != 0xBADCC0DE || be32(f + 4) != 1) {
		fprintf(stderr, "hrot_attest: %s: not a credential file\n",
			argv[0]);
		return 1;
	}
	o = 8;
	l1 = be16(f + o);
	if (o + 2 + l1 + 2 > len) {
		fprintf(stderr, "hrot_attest: truncated credential\n");
		return 1;
	}
	l2 = be16(f + o + 2 + l1);
	if (o + 2 + l1 + 2 + l2 != len) {
		fprintf(stderr, "hrot_attest: credential file size mismatch\n");
		return 1;
	}
	fd = open_dev();
	if (drop && drop_caps()) {
		fprintf(stderr, "hrot_attest: capset: %s\n", strerror(errno));
		return 1;
	}
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.version = HROT_STRUCT_VERSION;
	set_buf(&a.credential, f + o, 2u + l1);
	set_buf(&a.secret, f + o + 2 + l1, 2u + l2);
	set_buf(&a.cert_info, out, sizeof(out));
	if (ioctl(fd, HROT_IOC_ACTIVATE_CREDENTIAL, &a)) {
		printf("errno=%s\n", errname(errno));
		fprintf(stderr, "hrot_attest: ACTIVATE_CREDENTIAL: %s\n",
			strerror(errno));
		return 2;
	}
	close(fd);
	dfd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (dfd < 0 || t_write_all(dfd, out, a.cert_info.len)) {
		fprintf(stderr, "hrot_attest: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	close(dfd);
	printf("cert_info_len=%u\n", a.cert_info.len);
	free(f);
	return 0;
}

/* ---- stress ---------------------------------------------------------------- */
struct worker {
	pthread_t t;
	int id, iters, ok, bad;
	char why[400];
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct qres *r = malloc(sizeof(*r));
	int fd = open(HROT_DEV_PATH, O_RDWR | O_CLOEXEC), i;

	if (fd < 0 || !r) {
		snprintf(w->why, sizeof(w->why), "open: %s", strerror(errno));
		w->bad = w->iters;
		free(r);
		return NULL;
	}
	for (i = 0; i < w->iters; i++) {
		uint8_t nonce[32];
		uint32_t mask;
		size_t nl = 1 + (size_t)((w->id + i) % 32);
		char why[160];
		int k;

		for (k = 0; k < 32; k++)
			nonce[k] = (uint8_t)(w->id * 31 + i * 7 + k);
		mask = (uint32_t)(((w->id + 1) * 0x9e3779b1u + (unsigned)i *
				   0x85ebca6bu) & 0x00ffffff);
		if (!mask)
			mask = 1;
		if (do_quote(fd, mask, nonce, nl, r)) {
			if (!w->bad)
				snprintf(w->why, sizeof(w->why),
					 "quote %d mask %x: %s", i, mask,
					 strerror(errno));
			w->bad++;
			continue;
		}
		if (check_attest(r, mask, nonce, nl, why, sizeof(why))) {
			if (!w->bad)
				snprintf(w->why, sizeof(w->why),
					 "quote %d mask %x: %s", i, mask, why);
			w->bad++;
			continue;
		}
		w->ok++;
	}
	close(fd);
	free(r);
	return NULL;
}

static int cmd_stress(int nthreads, int iters)
{
	struct worker *w = calloc((size_t)nthreads, sizeof(*w));
	int i, ok = 0, bad = 0;
	char name[64];
	uint64_t t0 = t_now_ns();

	if (!w)
		return 1;
	for (i = 0; i < nthreads; i++) {
		w[i].id = i;
		w[i].iters = iters;
		if (pthread_create(&w[i].t, NULL, work, &w[i])) {
			fprintf(stderr, "hrot_attest: pthread_create failed\n");
			return 1;
		}
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(w[i].t, NULL);
		snprintf(name, sizeof(name), "thread%d", i);
		t_check(!w[i].bad && w[i].ok == iters, name,
			"%d ok, %d failed; first: %s", w[i].ok, w[i].bad,
			w[i].why);
		ok += w[i].ok;
		bad += w[i].bad;
	}
	printf("quotes=%d failed=%d ms=%llu\n", ok, bad,
	       (unsigned long long)((t_now_ns() - t0) / 1000000));
	free(w);
	return t_failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "identity"))
		return cmd_identity(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "quote"))
		return cmd_quote(argv[2], argv[3], argv[4]);
	if (argc == 2 && !strcmp(argv[1], "badquote"))
		return cmd_badquote();
	if (argc >= 2 && !strcmp(argv[1], "activate"))
		return cmd_activate(argc - 2, argv + 2);
	if (argc == 4 && !strcmp(argv[1], "stress"))
		return cmd_stress(atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr,
		"usage: hrot_attest identity DIR | quote MASK NONCE DIR | badquote |\n"
		"       activate [--drop-caps] CRED OUT | stress THREADS ITERS\n");
	return 1;
}
