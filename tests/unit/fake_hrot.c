// SPDX-License-Identifier: GPL-2.0
/*
 * Test support: hrot.ko's ioctls in userspace (see fake_hrot.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/hrot.h>
#include <openssl/evp.h>

#include "fake_hrot.h"
#include "testlog.h"

unsigned int fake_last_size;
unsigned int fake_last_version;

int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);

static long env_long(const char *name, long def)
{
	const char *s = getenv(name);

	return s ? strtol(s, NULL, 0) : def;
}

/* ---- the log file --------------------------------------------------- */

static size_t record_size_at(const uint8_t *p)
{
	size_t off = 12, i;

	for (i = 0; i < TL_NR_BANKS; i++)
		off += 2 + tl_banks[i].size;
	return off + 4 + (p[off] | p[off + 1] << 8 | p[off + 2] << 16 |
			  (size_t)p[off + 3] << 24);
}

/* Records in the log file, and its size; a missing file is empty. */
static int log_count(const char *path, uint64_t *nr, uint64_t *bytes)
{
	struct tl_buf hdr = { 0 };
	uint8_t buf[1 << 16];
	size_t len, off;
	FILE *f;

	*nr = 0;
	*bytes = 0;
	f = fopen(path, "rb");
	if (!f)
		return 0;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	tl_spec_id(&hdr, tl_banks, TL_NR_BANKS);
	/* The file is the fake's own, so each record is whole. */
	for (off = hdr.len; off + 12 < len; off += record_size_at(buf + off))
		(*nr)++;
	*bytes = len;
	tl_free(&hdr);
	return 0;
}

static int log_append(uint32_t type, const struct tl_buf *event,
		      uint64_t *index)
{
	const char *path = getenv("HROT_FAKE_LOG");
	struct tl_buf b = { 0 };
	uint64_t bytes;
	FILE *f;

	*index = 0;
	if (!path)
		return 0;
	log_count(path, index, &bytes);
	if (bytes == 0)
		tl_spec_id(&b, tl_banks, TL_NR_BANKS);
	tl_record(&b, FAKE_PCR, type, tl_banks, TL_NR_BANKS, event->data,
		  event->len, 0);
	f = fopen(path, "ab");
	if (!f || fwrite(b.data, 1, b.len, f) != b.len) {
		if (f)
			fclose(f);
		tl_free(&b);
		return -EIO;
	}
	fclose(f);
	tl_free(&b);
	return 0;
}

/* ---- commands ---------------------------------------------------------- */

static int fake_info(struct hrot_info *info)
{
	uint64_t nr = 0, bytes = 0;
	const char *log = getenv("HROT_FAKE_LOG");
	size_t i;

	if (log)
		log_count(log, &nr, &bytes);
	info->abi_version = HROT_ABI_VERSION;
	info->flags = HROT_INFO_TPM_PRESENT;
	info->pcr_index = FAKE_PCR;
	info->hash_alg = HROT_ALG_SHA256;
	info->nr_banks = (uint32_t)env_long("HROT_FAKE_BANKS", TL_NR_BANKS);
	for (i = 0; i < TL_NR_BANKS; i++)
		info->banks[i] = tl_banks[i].alg;
	info->log_entries = nr;
	info->log_bytes = bytes;
	info->log_max_bytes = FAKE_LOG_MAX;
	return 0;
}

static int fake_extend(struct hrot_extend *ext)
{
	struct tl_buf ev = { 0 };
	const void *desc;
	uint64_t index;
	int err;

	if (ext->flags || ext->reserved ||
	    ext->event_type == HROT_EV_NO_ACTION ||
	    ext->desc_len == 0 || ext->desc_len > HROT_NAME_MAX)
		return -EINVAL;
	if (!ext->desc_ptr)
		return -EFAULT;
	/* The user pointer, as the module's copy_from_user() takes it. */
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	desc = (const void *)(uintptr_t)ext->desc_ptr;
	tl_hrot_event(&ev, HROT_EVENT_EXTEND, ext->event_type, ext->digest, 0,
		      desc, ext->desc_len);
	err = log_append(ext->event_type, &ev, &index);
	ext->index = index;
	tl_free(&ev);
	return err;
}

/* SHA-256 of the whole file from offset 0, as the kernel reads it. */
static int hash_file(int fd, uint8_t digest[32], uint64_t *size)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t buf[8192];
	off_t pos = 0;
	ssize_t n;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		abort();
	while ((n = pread(fd, buf, sizeof(buf), pos)) > 0) {
		EVP_DigestUpdate(ctx, buf, (size_t)n);
		pos += n;
	}
	EVP_DigestFinal_ex(ctx, digest, NULL);
	EVP_MD_CTX_free(ctx);
	*size = (uint64_t)pos;
	return n < 0 ? -errno : 0;
}

static int fake_measure(struct hrot_measure_fd *m)
{
	char proc_link[64], target[4096];
	struct tl_buf ev = { 0 };
	uint64_t size, index;
	struct stat st;
	ssize_t n;
	int flags, err;

	if (m->flags)
		return -EINVAL;
	flags = fcntl(m->fd, F_GETFL);
	if (flags < 0 || (flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (fstat(m->fd, &st) || !S_ISREG(st.st_mode))
		return -EINVAL;
	err = hash_file(m->fd, m->digest, &size);
	if (err)
		return err;
	m->file_size = size;
	/* The module logs the kernel's path of the file: d_path(). */
	snprintf(proc_link, sizeof(proc_link), "/proc/self/fd/%d", m->fd);
	n = readlink(proc_link, target, sizeof(target) - 1);
	if (n <= 0)
		return -EIO;
	tl_hrot_event(&ev, HROT_EVENT_FILE, HROT_EV_IPL, m->digest,
		      m->file_size, target, (size_t)n);
	err = log_append(HROT_EV_IPL, &ev, &index);
	m->index = index;
	tl_free(&ev);
	return err;
}

static const char *const fp_values[] = {
	[HROT_FP_SYS_VENDOR] = "QEMU",
	[HROT_FP_PRODUCT_NAME] = "Standard PC (Q35 + ICH9, 2009)",
	[HROT_FP_PRODUCT_UUID] = "6b1b8c4e-4c1f-4d7a-9a55-3f0c9e0e1d21",
	[HROT_FP_BOARD_VENDOR] = "QEMU",
	[HROT_FP_CPU_VENDOR] = "GenuineIntel",
	[HROT_FP_CPU_SIGNATURE] = "family 6 model 85 stepping 7",
	[HROT_FP_TPM_EK] = "ecc-nist-p256",
};

static void fp_component(struct hrot_fp_component *c, uint32_t id)
{
	const char *v = id < sizeof(fp_values) / sizeof(fp_values[0]) ?
		fp_values[id] : NULL;

	c->id = id;
	if (!v)
		return;
	c->flags = HROT_FP_PRESENT;
	tl_sha256(v, strlen(v), c->digest);
	snprintf(c->value, sizeof(c->value), "%s", v);
}

static int fake_fingerprint(struct hrot_fingerprint *fp)
{
	struct tl_buf all = { 0 };
	uint32_t i;

	fp->nr_components = HROT_FP_NR_IDS;
	for (i = 0; i < HROT_FP_NR_IDS; i++) {
		struct hrot_fp_component *c = &fp->components[i];

		fp_component(c, i + 1);
		tl_u32(&all, c->id);
		tl_u32(&all, c->flags);
		tl_bytes(&all, c->digest, sizeof(c->digest));
	}
	tl_sha256(all.data, all.len, fp->digest);
	tl_free(&all);
	if (env_long("HROT_FAKE_FP_BAD", 0))
		fp->digest[0] ^= 1;
	fp->nr_components = (uint32_t)env_long("HROT_FAKE_FP_COUNT",
					       HROT_FP_NR_IDS);
	return 0;
}

/* ---- attestation -------------------------------------------------------- */

/*
 * Output buffers are filled with a byte pattern of a fixed size; the EK
 * certificate (3000 bytes) is bigger than libhrot's first guess, so its
 * -ENOSPC retry is exercised.  Any buffer too small: every such len is set
 * to what is needed and the call fails with -ENOSPC, as the module does.
 */
#define FAKE_EK_CERT_SIZE	3000

static bool fits(struct hrot_buf *b, uint32_t need)
{
	if (b->len >= need)
		return true;
	b->len = need;
	return false;
}

/* A user pointer of the uapi, as the module's u64_to_user_ptr(). */
static void *buf_ptr(const struct hrot_buf *b)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	return (void *)(uintptr_t)b->ptr;
}

static void fill(struct hrot_buf *b, uint32_t n, uint8_t pattern)
{
	memset(buf_ptr(b), pattern, n);
	b->len = n;
}

static int fake_identity(struct hrot_identity *id)
{
	bool ok = fits(&id->ek_public, 90);

	ok = fits(&id->ek_cert, FAKE_EK_CERT_SIZE) && ok;
	ok = fits(&id->ak_public, 88) && ok;
	ok = fits(&id->ak_spki, 91) && ok;
	if (!ok)
		return -ENOSPC;
	fill(&id->ek_public, 90, 0xe1);
	fill(&id->ek_cert, FAKE_EK_CERT_SIZE, 0xce);
	fill(&id->ak_public, 88, 0xa1);
	fill(&id->ak_spki, 91, 0x5b);
	id->flags = HROT_ID_EK_CERT;
	id->ek_template = HROT_EK_L2_ECC_P256;
	id->ak_name_len = HROT_NAME_SIZE;
	memset(id->ak_name, 0xaa, HROT_NAME_SIZE);
	return 0;
}

static int fake_quote(struct hrot_quote *q)
{
	uint32_t pcrs = 32u * (uint32_t)__builtin_popcount(q->pcr_mask);
	bool ok;

	if (!q->pcr_mask || q->pcr_mask >> HROT_PCR_COUNT ||
	    q->bank != HROT_ALG_SHA256 || q->qualifying_len > HROT_QUALIFYING_MAX)
		return -EINVAL;
	ok = fits(&q->attest, 145);
	ok = fits(&q->signature, 72) && ok;
	ok = fits(&q->pcrs, pcrs) && ok;
	if (!ok)
		return -ENOSPC;
	fill(&q->attest, 145, 0x41);
	fill(&q->signature, 72, 0x51);
	fill(&q->pcrs, pcrs, 0x50);
	return 0;
}

/* The "secret" recovered is the credential's first bytes. */
static int fake_activate(struct hrot_activate *a)
{
	uint32_t n = a->credential.len < 16 ? a->credential.len : 16;

	if (!a->credential.len || !a->secret.len)
		return -EINVAL;
	if (!fits(&a->cert_info, n))
		return -ENOSPC;
	memcpy(buf_ptr(&a->cert_info), buf_ptr(&a->credential), n);
	a->cert_info.len = n;
	return 0;
}

/* ---- dispatch ----------------------------------------------------------- */

static const size_t struct_sizes[] = {
	[_IOC_NR(HROT_IOC_INFO)] = sizeof(struct hrot_info),
	[_IOC_NR(HROT_IOC_EXTEND)] = sizeof(struct hrot_extend),
	[_IOC_NR(HROT_IOC_MEASURE_FD)] = sizeof(struct hrot_measure_fd),
	[_IOC_NR(HROT_IOC_FINGERPRINT)] = sizeof(struct hrot_fingerprint),
	[_IOC_NR(HROT_IOC_IDENTITY)] = sizeof(struct hrot_identity),
	[_IOC_NR(HROT_IOC_QUOTE)] = sizeof(struct hrot_quote),
	[_IOC_NR(HROT_IOC_ACTIVATE_CREDENTIAL)] = sizeof(struct hrot_activate),
};

/* The module's checks on the size/version header (hrot_copy_in()). */
static int check_header(unsigned int nr, const uint32_t *hdr)
{
	fake_last_size = hdr[0];
	fake_last_version = hdr[1];
	if (hdr[0] < struct_sizes[nr] || hdr[1] != HROT_STRUCT_VERSION)
		return -EINVAL;
	return 0;
}

static int fake_ioctl(unsigned int nr, void *arg)
{
	int err;

	if (nr >= sizeof(struct_sizes) / sizeof(struct_sizes[0]))
		return -ENOTTY;
	err = check_header(nr, arg);
	if (err)
		return err;
	err = (int)env_long("HROT_FAKE_ERRNO", 0);
	if (err)
		return -err;
	switch (nr) {
	case _IOC_NR(HROT_IOC_INFO):
		return fake_info(arg);
	case _IOC_NR(HROT_IOC_EXTEND):
		return fake_extend(arg);
	case _IOC_NR(HROT_IOC_MEASURE_FD):
		return fake_measure(arg);
	case _IOC_NR(HROT_IOC_IDENTITY):
		return fake_identity(arg);
	case _IOC_NR(HROT_IOC_QUOTE):
		return fake_quote(arg);
	case _IOC_NR(HROT_IOC_ACTIVATE_CREDENTIAL):
		return fake_activate(arg);
	default:
		return fake_fingerprint(arg);
	}
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int err;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (_IOC_TYPE(req) != HROT_IOC_MAGIC)
		return __real_ioctl(fd, req, arg);
	err = fake_ioctl(_IOC_NR(req), arg);
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}
