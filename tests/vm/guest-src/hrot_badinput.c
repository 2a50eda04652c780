// SPDX-License-Identifier: GPL-2.0
/*
 * hrot_badinput: raw ioctls with bad input, one RESULT line per case.
 *
 *   hrot_badinput            every bad-input case (see main_cases())
 *   hrot_badinput cap MAX    the log cap: the module must be loaded with
 *                            log_max_bytes=MAX and an empty log
 *
 * Every case checks the errno and that the log did not change: the whole
 * of binary_measurements, and INFO's log_entries and log_bytes, are the
 * same before and after (or grew by exactly one record, for the few cases
 * that must succeed).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "tcommon.h"

#define PAGE		4096
#define TESTFILE	"/tmp/hrot_badinput.dat"
#define KERNEL_PTR	((void *)0xffffffff81000000UL)
#define NOBODY		65534

static int devfd;

/* ---- log snapshots ------------------------------------------------------ */
struct snap {
	uint8_t *buf;
	size_t len;
	uint64_t entries;
	uint64_t bytes;
	int info_errno;
	int read_errno;
};

static void snap_take(struct snap *s)
{
	struct hrot_info info;

	memset(s, 0, sizeof(*s));
	s->buf = t_read_all(HROT_BIN_LOG, &s->len);
	if (!s->buf)
		s->read_errno = errno;
	if (t_info(devfd, &info))
		s->info_errno = errno;
	s->entries = info.log_entries;
	s->bytes = info.log_bytes;
}

static void snap_free(struct snap *s)
{
	free(s->buf);
	s->buf = NULL;
}

static const char *ename(int e)
{
	const char *n;

	if (e == 0)
		return "success";
	n = strerrorname_np(e);
	return n ? n : "?";
}

/*
 * Judge one case: @got is 0 or the errno; @want and @want2 are the
 * accepted results (0 = success); @delta is how many records a success adds.
 */
static void judge2(const char *name, int got, int want, int want2, int delta,
		   struct snap *s0)
{
	char err[256];
	struct snap s1;
	struct t_log lg;

	memset(&lg, 0, sizeof(lg));
	snap_take(&s1);
	if (got != want && got != want2) {
		if (want2 != want)
			t_fail(name, "got %s, want %s or %s", ename(got),
			       ename(want), ename(want2));
		else
			t_fail(name, "got %s, want %s", ename(got), ename(want));
	} else if (!s0->buf || !s1.buf || s0->info_errno || s1.info_errno) {
		t_fail(name, "cannot snapshot the log: read %s/%s, INFO %s/%s",
		       ename(s0->read_errno), ename(s1.read_errno),
		       ename(s0->info_errno), ename(s1.info_errno));
	} else if (s1.bytes != s1.len) {
		t_fail(name, "INFO log_bytes %llu != binary_measurements length %zu",
		       (unsigned long long)s1.bytes, s1.len);
	} else if (got != 0 || delta == 0) {
		if (s1.len != s0->len || memcmp(s1.buf, s0->buf, s0->len) ||
		    s1.entries != s0->entries || s1.bytes != s0->bytes)
			t_fail(name, "%s but the log changed: %zu -> %zu bytes, %llu -> %llu entries",
			       ename(got), s0->len, s1.len,
			       (unsigned long long)s0->entries,
			       (unsigned long long)s1.entries);
		else
			t_pass(name);
	} else {
		if (s1.entries != s0->entries + (uint64_t)delta ||
		    s1.len <= s0->len || memcmp(s1.buf, s0->buf, s0->len))
			t_fail(name, "success must append %d record(s): %zu -> %zu bytes, %llu -> %llu entries",
			       delta, s0->len, s1.len,
			       (unsigned long long)s0->entries,
			       (unsigned long long)s1.entries);
		else if (t_log_parse(&lg, s1.buf, s1.len, err, sizeof(err)))
			t_fail(name, "log invalid after the new record: %s", err);
		else if (lg.nrec != s1.entries)
			t_fail(name, "log has %zu records, INFO says %llu", lg.nrec,
			       (unsigned long long)s1.entries);
		else
			t_pass(name);
		if (lg.recs)
			t_log_free(&lg);
	}
	snap_free(s0);
	snap_free(&s1);
}

static void judge(const char *name, int got, int want, int delta,
		  struct snap *s0)
{
	judge2(name, got, want, want, delta, s0);
}

/* Run EXPR (an ioctl-like call) and judge it. */
#define CASE2(name, want, want2, delta, expr) do {			\
		struct snap s0_;					\
		int e_;							\
		snap_take(&s0_);					\
		errno = 0;						\
		e_ = (expr) < 0 ? errno : 0;				\
		judge2(name, e_, want, want2, delta, &s0_);		\
	} while (0)
#define CASE(name, want, delta, expr) CASE2(name, want, want, delta, expr)

/* ---- memory with holes -------------------------------------------------- */
static uint8_t *page_rw;	/* a page followed by an unmapped page */
static uint8_t *page_hole;	/* the unmapped page */
static uint8_t *page_ro;	/* a read-only page */

static void setup_memory(void)
{
	uint8_t *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	page_rw = p;
	page_hole = p + PAGE;
	page_ro = p + 2 * PAGE;
	if (munmap(page_hole, PAGE)) {
		perror("munmap");
		exit(1);
	}
}

/* ---- valid structures --------------------------------------------------- */
enum { C_INFO, C_EXTEND, C_MEASURE, C_FP, C_NR };

static const char *const cname[C_NR] = { "info", "extend", "measure_fd",
					 "fingerprint" };
static const unsigned long ccmd[C_NR] = {
	HROT_IOC_INFO, HROT_IOC_EXTEND, HROT_IOC_MEASURE_FD, HROT_IOC_FINGERPRINT,
};
static const size_t csize[C_NR] = {
	sizeof(struct hrot_info), sizeof(struct hrot_extend),
	sizeof(struct hrot_measure_fd), sizeof(struct hrot_fingerprint),
};
/* records a success appends */
static const int cdelta[C_NR] = { 0, 1, 1, 0 };

static const char desc_ok[] = "badinput: a valid description";
static int file_fd;

/* Fill @buf (at least @room bytes, zeroed) with a valid struct of kind @c. */
static void make_valid(int c, void *buf, size_t room)
{
	memset(buf, 0, room);
	switch (c) {
	case C_INFO: {
		struct hrot_info *i = buf;

		i->size = sizeof(*i);
		i->version = HROT_STRUCT_VERSION;
		break;
	}
	case C_EXTEND: {
		struct hrot_extend *e = buf;

		e->size = sizeof(*e);
		e->version = HROT_STRUCT_VERSION;
		e->event_type = HROT_EV_EVENT_TAG;
		t_sha256(desc_ok, strlen(desc_ok), e->digest);
		e->desc_len = (uint32_t)strlen(desc_ok);
		e->desc_ptr = (uint64_t)(uintptr_t)desc_ok;
		break;
	}
	case C_MEASURE: {
		struct hrot_measure_fd *m = buf;

		m->size = sizeof(*m);
		m->version = HROT_STRUCT_VERSION;
		m->fd = file_fd;
		break;
	}
	case C_FP: {
		struct hrot_fingerprint *f = buf;

		f->size = sizeof(*f);
		f->version = HROT_STRUCT_VERSION;
		break;
	}
	}
}

/* Both prefix fields are the first two __u32 of every structure. */
static void set_hdr(void *buf, uint32_t size, uint32_t version)
{
	uint32_t *h = buf;

	h[0] = size;
	h[1] = version;
}

/* ---- the generic cases, for each of the four ioctls --------------------- */
static void generic_cases(int c)
{
	static uint8_t big[2 * PAGE] __attribute__((aligned(64)));
	size_t sz = csize[c];
	char name[128];
	uint8_t *p;

#define N(suffix) (snprintf(name, sizeof(name), "%s_%s", cname[c], suffix), name)

	/* bad pointers */
	CASE(N("ptr_null"), EFAULT, 0, ioctl(devfd, ccmd[c], NULL));
	CASE(N("ptr_1"), EFAULT, 0, ioctl(devfd, ccmd[c], (void *)1));
	CASE(N("ptr_unmapped"), EFAULT, 0, ioctl(devfd, ccmd[c], page_hole));
	CASE(N("ptr_kernel"), EFAULT, 0, ioctl(devfd, ccmd[c], KERNEL_PTR));
	/* the size/version header itself straddles into the hole */
	p = page_hole - 4;
	memset(p, 0, 4);
	*(uint32_t *)p = (uint32_t)sz;
	CASE(N("header_straddles_hole"), EFAULT, 0, ioctl(devfd, ccmd[c], p));

	/* size and version */
	make_valid(c, big, sizeof(big));
	set_hdr(big, 0, HROT_STRUCT_VERSION);
	CASE(N("size_0"), EINVAL, 0, ioctl(devfd, ccmd[c], big));
	make_valid(c, big, sizeof(big));
	set_hdr(big, 8, HROT_STRUCT_VERSION);
	CASE(N("size_8"), EINVAL, 0, ioctl(devfd, ccmd[c], big));
	make_valid(c, big, sizeof(big));
	set_hdr(big, (uint32_t)sz - 1, HROT_STRUCT_VERSION);
	CASE(N("size_v1_minus_1"), EINVAL, 0, ioctl(devfd, ccmd[c], big));
	make_valid(c, big, sizeof(big));
	set_hdr(big, (uint32_t)sz, 0);
	CASE(N("version_0"), EINVAL, 0, ioctl(devfd, ccmd[c], big));
	make_valid(c, big, sizeof(big));
	set_hdr(big, (uint32_t)sz, 2);
	CASE(N("version_2"), EINVAL, 0, ioctl(devfd, ccmd[c], big));
	make_valid(c, big, sizeof(big));
	set_hdr(big, (uint32_t)sz, 0xffffffffu);
	CASE(N("version_max"), EINVAL, 0, ioctl(devfd, ccmd[c], big));

	/* a bigger structure: its unknown tail must be zero */
	make_valid(c, big, sizeof(big));
	set_hdr(big, (uint32_t)sz + 8, HROT_STRUCT_VERSION);
	big[sz + 7] = 1;
	CASE(N("tail_nonzero"), E2BIG, 0, ioctl(devfd, ccmd[c], big));
	make_valid(c, big, sizeof(big));
	set_hdr(big, (uint32_t)sz + 1, HROT_STRUCT_VERSION);
	big[sz] = 0x80;
	CASE(N("tail_nonzero_first_byte"), E2BIG, 0, ioctl(devfd, ccmd[c], big));
	if (sz < PAGE) {
		make_valid(c, big, sizeof(big));
		set_hdr(big, PAGE, HROT_STRUCT_VERSION);
		big[PAGE - 1] = 0xff;
		CASE(N("tail_nonzero_at_page_end"), E2BIG, 0,
		     ioctl(devfd, ccmd[c], big));
		make_valid(c, big, sizeof(big));
		set_hdr(big, PAGE, HROT_STRUCT_VERSION);
		CASE(N("size_page_zero_tail"), 0, cdelta[c],
		     ioctl(devfd, ccmd[c], big));
	}
	make_valid(c, big, sizeof(big));
	set_hdr(big, (uint32_t)sz + 8, HROT_STRUCT_VERSION);
	CASE(N("tail_zero"), 0, cdelta[c], ioctl(devfd, ccmd[c], big));
	/* the caller's size is not changed on output */
	if (c == C_INFO && ((uint32_t *)big)[0] != sz + 8)
		t_fail("info_size_unchanged", "size %u after INFO, was %zu",
		       ((uint32_t *)big)[0], sz + 8);
	else if (c == C_INFO)
		t_pass("info_size_unchanged");

	/* the structure is mapped, its zero tail runs into the hole */
	p = page_hole - sz;
	make_valid(c, p, sz);
	set_hdr(p, (uint32_t)sz + 64, HROT_STRUCT_VERSION);
	CASE(N("tail_in_hole"), EFAULT, 0, ioctl(devfd, ccmd[c], p));

	/* a size no caller can have: refused, one way or the other */
	make_valid(c, big, sizeof(big));
	set_hdr(big, 0xffffffffu, HROT_STRUCT_VERSION);
	CASE2(N("size_max"), E2BIG, EFAULT, 0, ioctl(devfd, ccmd[c], big));
#undef N
}

/* ---- INFO output -------------------------------------------------------- */
static void info_cases(void)
{
	static uint8_t buf[sizeof(struct hrot_info) + 64];
	struct hrot_info *i = (struct hrot_info *)buf;
	size_t k, bad = 0;
	uint8_t *log;
	size_t len;

	memset(buf, 0xaa, sizeof(buf));
	memset(i, 0, sizeof(*i));
	i->size = sizeof(*i);
	i->version = HROT_STRUCT_VERSION;
	if (ioctl(devfd, HROT_IOC_INFO, i)) {
		t_fail("info_exact_size", "INFO: %s", ename(errno));
		return;
	}
	for (k = sizeof(*i); k < sizeof(buf); k++)
		bad += buf[k] != 0xaa;
	t_check(bad == 0, "info_writes_no_more_than_size",
		"%zu bytes past the structure were overwritten", bad);
	t_check(i->abi_version == HROT_ABI_VERSION && i->hash_alg ==
		HROT_ALG_SHA256 && i->nr_banks >= 1 &&
		i->nr_banks <= HROT_MAX_BANKS && i->pcr_index < 24 &&
		i->log_max_bytes >= i->log_bytes,
		"info_fields_sane",
		"abi %u hash 0x%x banks %u pcr %u bytes %llu max %llu",
		i->abi_version, i->hash_alg, i->nr_banks, i->pcr_index,
		(unsigned long long)i->log_bytes,
		(unsigned long long)i->log_max_bytes);
	log = t_read_all(HROT_BIN_LOG, &len);
	t_check(log && len == i->log_bytes, "info_log_bytes_is_file_size",
		"INFO says %llu, file has %zu",
		(unsigned long long)i->log_bytes, log ? len : 0);
	free(log);
}

/* ---- unknown commands --------------------------------------------------- */
static void unknown_cases(void)
{
	struct hrot_info info;

	make_valid(C_INFO, &info, sizeof(info));
	CASE("ioctl_unknown_nr_8", ENOTTY, 0,
	     ioctl(devfd, _IOWR(HROT_IOC_MAGIC, 0x08, struct hrot_info), &info));
	CASE("ioctl_unknown_nr_0x7f", ENOTTY, 0,
	     ioctl(devfd, _IOWR(HROT_IOC_MAGIC, 0x7f, struct hrot_info), &info));
	CASE("ioctl_unknown_nr_0xff", ENOTTY, 0,
	     ioctl(devfd, _IOWR(HROT_IOC_MAGIC, 0xff, struct hrot_info), &info));
	CASE("ioctl_wrong_magic", ENOTTY, 0,
	     ioctl(devfd, _IOWR('x', 0x00, struct hrot_info), &info));
	CASE("ioctl_tcgets", ENOTTY, 0, ioctl(devfd, TCGETS, &info));
	/* commands are told apart by number: another size/direction is INFO */
	make_valid(C_INFO, &info, sizeof(info));
	CASE("ioctl_dispatch_by_nr", 0, 0,
	     ioctl(devfd, _IOR(HROT_IOC_MAGIC, 0x00, char[8]), &info));
}

/* ---- EXTEND ------------------------------------------------------------- */
static int do_extend(struct hrot_extend *e)
{
	return ioctl(devfd, HROT_IOC_EXTEND, e);
}

static void extend_cases(void)
{
	static char desc4096[HROT_NAME_MAX + 1];
	struct hrot_extend e;
	struct hrot_info info;
	uint64_t before;
	char *p;

	memset(desc4096, 'x', sizeof(desc4096));

	make_valid(C_EXTEND, &e, sizeof(e));
	e.flags = 1;
	CASE("extend_flags_1", EINVAL, 0, do_extend(&e));
	make_valid(C_EXTEND, &e, sizeof(e));
	e.flags = 0x80000000u;
	CASE("extend_flags_high", EINVAL, 0, do_extend(&e));
	make_valid(C_EXTEND, &e, sizeof(e));
	e.reserved = 1;
	CASE("extend_reserved_1", EINVAL, 0, do_extend(&e));
	make_valid(C_EXTEND, &e, sizeof(e));
	e.event_type = HROT_EV_NO_ACTION;
	CASE("extend_event_type_no_action", EINVAL, 0, do_extend(&e));

	make_valid(C_EXTEND, &e, sizeof(e));
	e.desc_len = 0;
	CASE("extend_desc_len_0", EINVAL, 0, do_extend(&e));
	make_valid(C_EXTEND, &e, sizeof(e));
	e.desc_len = HROT_NAME_MAX + 1;
	e.desc_ptr = (uint64_t)(uintptr_t)desc4096;
	CASE("extend_desc_len_4097", EINVAL, 0, do_extend(&e));
	make_valid(C_EXTEND, &e, sizeof(e));
	e.desc_len = 0xffffffffu;
	CASE("extend_desc_len_max", EINVAL, 0, do_extend(&e));
	make_valid(C_EXTEND, &e, sizeof(e));
	e.desc_len = HROT_NAME_MAX;
	e.desc_ptr = (uint64_t)(uintptr_t)desc4096;
	CASE("extend_desc_len_4096", 0, 1, do_extend(&e));

	make_valid(C_EXTEND, &e, sizeof(e));
	e.desc_ptr = 0;
	CASE("extend_desc_ptr_null", EFAULT, 0, do_extend(&e));
	make_valid(C_EXTEND, &e, sizeof(e));
	e.desc_ptr = 1;
	CASE("extend_desc_ptr_1", EFAULT, 0, do_extend(&e));
	make_valid(C_EXTEND, &e, sizeof(e));
	e.desc_ptr = (uint64_t)(uintptr_t)page_hole;
	CASE("extend_desc_ptr_unmapped", EFAULT, 0, do_extend(&e));
	make_valid(C_EXTEND, &e, sizeof(e));
	e.desc_ptr = (uint64_t)(uintptr_t)KERNEL_PTR;
	CASE("extend_desc_ptr_kernel", EFAULT, 0, do_extend(&e));
	make_valid(C_EXTEND, &e, sizeof(e));
	e.desc_ptr = ~0ull;
	CASE("extend_desc_ptr_all_ones", EFAULT, 0, do_extend(&e));
	/* 50 bytes mapped, 50 in the hole */
	p = (char *)page_hole - 50;
	memset(p, 'y', 50);
	make_valid(C_EXTEND, &e, sizeof(e));
	e.desc_ptr = (uint64_t)(uintptr_t)p;
	e.desc_len = 100;
	CASE("extend_desc_crosses_hole", EFAULT, 0, do_extend(&e));

	/* an _IOWR structure the kernel cannot write back: refused whole */
	mprotect(page_ro, PAGE, PROT_READ | PROT_WRITE);
	make_valid(C_EXTEND, page_ro, sizeof(e));
	mprotect(page_ro, PAGE, PROT_READ);
	CASE("extend_struct_read_only", EFAULT, 0,
	     ioctl(devfd, HROT_IOC_EXTEND, page_ro));

	/* a valid EXTEND: the index it returns is the record's position */
	t_info(devfd, &info);
	before = info.log_entries;
	make_valid(C_EXTEND, &e, sizeof(e));
	e.index = 12345;
	CASE("extend_valid", 0, 1, do_extend(&e));
	t_check(e.index == before, "extend_index_is_position",
		"index %llu, log had %llu entries",
		(unsigned long long)e.index, (unsigned long long)before);
	make_valid(C_EXTEND, &e, sizeof(e));
	e.event_type = 0x7fffffffu;
	CASE("extend_event_type_other", 0, 1, do_extend(&e));
	/* EFI event types would make tpm2_eventlog reject the whole log */
	make_valid(C_EXTEND, &e, sizeof(e));
	e.event_type = 0x80000001u;
	CASE("extend_event_type_efi", EINVAL, 0, do_extend(&e));
	make_valid(C_EXTEND, &e, sizeof(e));
	e.event_type = 0xffffffffu;
	CASE("extend_event_type_efi_max", EINVAL, 0, do_extend(&e));

	/* a description is bytes: NUL, newline, control and high bytes */
	{
		static const char bin[] = "a\0b\nc\\d e\x01\xff";
		size_t blen = sizeof(bin) - 1;
		struct t_log lg;
		char err[256];
		uint8_t *buf, *ascii;
		size_t len, alen, lines = 0, k;

		make_valid(C_EXTEND, &e, sizeof(e));
		e.desc_ptr = (uint64_t)(uintptr_t)bin;
		e.desc_len = (uint32_t)blen;
		CASE("extend_desc_binary", 0, 1, do_extend(&e));
		buf = t_read_all(HROT_BIN_LOG, &len);
		ascii = t_read_all(HROT_ASCII_LOG, &alen);
		if (!buf || !ascii || t_log_parse(&lg, buf, len, err, sizeof(err))) {
			t_fail("extend_desc_binary_logged", "cannot read the logs");
		} else {
			const struct t_rec *r = &lg.recs[lg.nrec - 1];

			t_check(r->name_len == blen && !memcmp(r->name, bin, blen),
				"extend_desc_binary_logged",
				"last record's name is %u bytes, not the %zu sent",
				r->name_len, blen);
			for (k = 0; k < alen; k++)
				lines += ascii[k] == '\n';
			t_check(lines == lg.nrec, "ascii_escapes_newlines",
				"ascii_measurements has %zu lines for %zu records",
				lines, lg.nrec);
			t_log_free(&lg);
		}
		free(buf);
		free(ascii);
	}
}

/* ---- MEASURE_FD --------------------------------------------------------- */
static int measure(int fd, struct hrot_measure_fd *out)
{
	struct hrot_measure_fd m;
	int ret;

	make_valid(C_MEASURE, &m, sizeof(m));
	m.fd = fd;
	ret = ioctl(devfd, HROT_IOC_MEASURE_FD, &m);
	if (out)
		*out = m;
	return ret;
}

static void measure_cases(void)
{
	struct hrot_measure_fd m;
	int fds[2], sv[2], fd, closed_fd;
	uint8_t want[32];
	char h1[65], h2[65];
	uint64_t size;
	off_t pos;

	make_valid(C_MEASURE, &m, sizeof(m));
	m.flags = 1;
	CASE("measure_fd_flags_1", EINVAL, 0,
	     ioctl(devfd, HROT_IOC_MEASURE_FD, &m));

	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	CASE("measure_fd_directory", EINVAL, 0, measure(fd, NULL));
	close(fd);
	if (pipe(fds) == 0) {
		if (write(fds[1], "abc", 3) != 3)
			perror("write");
		CASE("measure_fd_pipe", EINVAL, 0, measure(fds[0], NULL));
		close(fds[0]);
		close(fds[1]);
	} else {
		t_fail("measure_fd_pipe", "pipe: %s", ename(errno));
	}
	fd = open("/dev/null", O_RDONLY);
	CASE("measure_fd_dev_null", EINVAL, 0, measure(fd, NULL));
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	CASE("measure_fd_dev_zero", EINVAL, 0, measure(fd, NULL));
	close(fd);
	CASE("measure_fd_dev_hrot", EINVAL, 0, measure(devfd, NULL));
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0) {
		CASE("measure_fd_socket", EINVAL, 0, measure(sv[0], NULL));
		close(sv[0]);
		close(sv[1]);
	} else {
		t_fail("measure_fd_socket", "socketpair: %s", ename(errno));
	}
	fd = eventfd(0, 0);
	CASE("measure_fd_eventfd", EINVAL, 0, measure(fd, NULL));
	close(fd);

	CASE("measure_fd_9999", EBADF, 0, measure(9999, NULL));
	CASE("measure_fd_minus_1", EBADF, 0, measure(-1, NULL));
	closed_fd = open(TESTFILE, O_RDONLY);
	close(closed_fd);
	CASE("measure_fd_closed", EBADF, 0, measure(closed_fd, NULL));
	fd = open(TESTFILE, O_WRONLY);
	CASE("measure_fd_write_only", EBADF, 0, measure(fd, NULL));
	close(fd);
	fd = open(TESTFILE, O_PATH);
	CASE("measure_fd_o_path", EBADF, 0, measure(fd, NULL));
	close(fd);

	mprotect(page_ro, PAGE, PROT_READ | PROT_WRITE);
	make_valid(C_MEASURE, page_ro, sizeof(m));
	mprotect(page_ro, PAGE, PROT_READ);
	CASE("measure_fd_struct_read_only", EFAULT, 0,
	     ioctl(devfd, HROT_IOC_MEASURE_FD, page_ro));

	/* valid: the whole file is hashed whatever the fd's offset */
	if (t_sha256_file(TESTFILE, want, &size)) {
		t_fail("measure_fd_offset", "cannot hash %s", TESTFILE);
		return;
	}
	fd = open(TESTFILE, O_RDONLY);
	lseek(fd, 1000, SEEK_SET);
	CASE("measure_fd_at_offset", 0, 1, measure(fd, &m));
	pos = lseek(fd, 0, SEEK_CUR);
	t_check(!memcmp(m.digest, want, 32) && m.file_size == size,
		"measure_fd_hashes_whole_file", "got %s size %llu, want %s size %llu",
		t_hex(m.digest, 32, h1), (unsigned long long)m.file_size,
		t_hex(want, 32, h2), (unsigned long long)size);
	t_check(pos == 1000, "measure_fd_offset_unchanged",
		"fd offset %lld after MEASURE_FD, was 1000", (long long)pos);
	close(fd);
	fd = open(TESTFILE, O_RDWR);
	CASE("measure_fd_read_write", 0, 1, measure(fd, NULL));
	close(fd);

	/*
	 * The log measuring itself.  It is a regular file, but a seq_file with
	 * .read and no .read_iter, which kernel_read() refuses in 6.1 (EINVAL):
	 * so either the digest is that of the log before, or a clean refusal.
	 */
	{
		uint8_t *before;
		size_t blen;
		int e;

		before = t_read_all(HROT_BIN_LOG, &blen);
		fd = open(HROT_BIN_LOG, O_RDONLY);
		memset(&m, 0, sizeof(m));
		{
			struct snap s0;

			snap_take(&s0);
			e = measure(fd, &m) < 0 ? errno : 0;
			judge2("measure_fd_own_log", e, 0, EINVAL, e ? 0 : 1, &s0);
		}
		close(fd);
		if (before && !e) {
			t_sha256(before, blen, want);
			t_check(!memcmp(m.digest, want, 32) && m.file_size == blen,
				"measure_fd_own_log_digest",
				"got %s size %llu, want %s size %zu",
				t_hex(m.digest, 32, h1),
				(unsigned long long)m.file_size,
				t_hex(want, 32, h2), blen);
			free(before);
		}
	}
	/* a deleted file is still a regular file open for reading */
	fd = open("/tmp/hrot_badinput.del", O_CREAT | O_TRUNC | O_RDWR, 0600);
	if (fd >= 0 && write(fd, "gone", 4) == 4) {
		unlink("/tmp/hrot_badinput.del");
		CASE("measure_fd_deleted_file", 0, 1, measure(fd, &m));
		t_sha256("gone", 4, want);
		t_check(!memcmp(m.digest, want, 32), "measure_fd_deleted_file_digest",
			"got %s", t_hex(m.digest, 32, h1));
	}
	if (fd >= 0)
		close(fd);
	/* memfd: regular, anonymous */
	fd = memfd_create("hrot-badinput", 0);
	if (fd >= 0 && write(fd, "memfd", 5) == 5) {
		CASE("measure_fd_memfd", 0, 1, measure(fd, &m));
		t_sha256("memfd", 5, want);
		t_check(!memcmp(m.digest, want, 32), "measure_fd_memfd_digest",
			"got %s", t_hex(m.digest, 32, h1));
	}
	if (fd >= 0)
		close(fd);
}

/* ---- privileges --------------------------------------------------------- */
enum { AS_NO_SYS_ADMIN, AS_NOBODY };
enum { OP_EXTEND, OP_MEASURE, OP_INFO, OP_FP, OP_OPEN_RDWR, OP_OPEN_RDONLY,
       OP_READ_LOG };

static int drop_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];
	int i;

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	i = CAP_SYS_ADMIN / 32;
	data[i].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
	data[i].permitted &= ~(1u << (CAP_SYS_ADMIN % 32));
	data[i].inheritable &= ~(1u << (CAP_SYS_ADMIN % 32));
	if (syscall(SYS_capset, &hdr, data))
		return -1;
	/* check it took */
	if (syscall(SYS_capget, &hdr, data))
		return -1;
	return (data[i].effective & (1u << (CAP_SYS_ADMIN % 32))) ? -1 : 0;
}

static int become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	return getuid() == NOBODY ? 0 : -1;
}

/* Run @op in a child as @who; return 0 or the errno it got (255: setup). */
static int in_child(int who, int op)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 254;
	if (pid == 0) {
		struct hrot_fingerprint *fp;
		struct hrot_info info;
		int fd, r = 0;

		if ((who == AS_NO_SYS_ADMIN ? drop_sys_admin() : become_nobody()))
			_exit(255);
		errno = 0;
		switch (op) {
		case OP_EXTEND:
			r = t_extend(devfd, HROT_EV_EVENT_TAG, desc_ok,
				     strlen(desc_ok), NULL, NULL);
			break;
		case OP_MEASURE:
			r = t_measure_fd(devfd, file_fd, NULL, NULL, NULL);
			break;
		case OP_INFO:
			r = t_info(devfd, &info);
			break;
		case OP_FP:
			fp = calloc(1, sizeof(*fp));
			make_valid(C_FP, fp, sizeof(*fp));
			r = ioctl(devfd, HROT_IOC_FINGERPRINT, fp);
			break;
		case OP_OPEN_RDWR:
		case OP_OPEN_RDONLY:
			fd = open(HROT_DEV_PATH,
				  op == OP_OPEN_RDWR ? O_RDWR : O_RDONLY);
			r = fd < 0 ? -1 : 0;
			break;
		case OP_READ_LOG:
			fd = open(HROT_BIN_LOG, O_RDONLY);
			r = fd < 0 ? -1 : 0;
			break;
		}
		_exit(r < 0 ? (errno & 0xff) : 0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 253;
	return WEXITSTATUS(st);
}

static void priv_case(const char *name, int who, int op, int want, int delta)
{
	struct snap s0;
	int got;

	snap_take(&s0);
	got = in_child(who, op);
	if (got >= 253) {
		snap_free(&s0);
		t_fail(name, "child setup failed (%d)", got);
		return;
	}
	judge(name, got, want, delta, &s0);
}

static void priv_cases(void)
{
	priv_case("extend_without_cap_sys_admin", AS_NO_SYS_ADMIN, OP_EXTEND,
		  EPERM, 0);
	priv_case("measure_fd_without_cap_sys_admin", AS_NO_SYS_ADMIN,
		  OP_MEASURE, EPERM, 0);
	priv_case("info_without_cap_sys_admin", AS_NO_SYS_ADMIN, OP_INFO, 0, 0);
	priv_case("fingerprint_without_cap_sys_admin", AS_NO_SYS_ADMIN, OP_FP,
		  0, 0);
	priv_case("extend_as_nobody_inherited_fd", AS_NOBODY, OP_EXTEND, EPERM,
		  0);
	priv_case("measure_fd_as_nobody_inherited_fd", AS_NOBODY, OP_MEASURE,
		  EPERM, 0);
	priv_case("open_dev_as_nobody_rdwr", AS_NOBODY, OP_OPEN_RDWR, EACCES, 0);
	priv_case("open_dev_as_nobody_rdonly", AS_NOBODY, OP_OPEN_RDONLY,
		  EACCES, 0);
	priv_case("read_log_as_nobody", AS_NOBODY, OP_READ_LOG, EACCES, 0);
}

static int make_testfile(void)
{
	uint8_t buf[8192];
	size_t i;
	int fd;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + (i >> 8));
	fd = open(TESTFILE, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0 || t_write_all(fd, buf, sizeof(buf)))
		return -1;
	close(fd);
	return 0;
}

static int main_cases(void)
{
	struct snap s0, s1;
	int c;

	if (make_testfile()) {
		perror(TESTFILE);
		return 1;
	}
	file_fd = open(TESTFILE, O_RDONLY);
	setup_memory();
	snap_take(&s0);

	unknown_cases();
	info_cases();
	for (c = 0; c < C_NR; c++)
		generic_cases(c);
	extend_cases();
	measure_cases();
	priv_cases();

	/* the whole run: the log is still valid and only grew */
	snap_take(&s1);
	if (s0.buf && s1.buf) {
		char err[256];
		struct t_log lg;
		int bad = t_log_parse(&lg, s1.buf, s1.len, err, sizeof(err));

		t_check(!bad && s1.len >= s0.len &&
			!memcmp(s0.buf, s1.buf, s0.len) && lg.nrec == s1.entries,
			"log_valid_after_all_cases", "%s",
			bad ? err : "log shrank, changed or miscounted");
		if (!bad)
			t_log_free(&lg);
	}
	snap_free(&s0);
	snap_free(&s1);
	unlink(TESTFILE);
	return 0;
}

/* ---- the log cap -------------------------------------------------------- */
static int cap_cases(unsigned long long max)
{
	struct hrot_info info;
	char desc[200], err[256], name[64];
	uint64_t index, expect_index = 1;	/* after the command line */
	size_t rec100, rec1, i, nok = 0, big_ok = 0;
	uint8_t *buf;
	size_t len;
	struct t_log lg;
	struct snap s0;
	int ret, e, guard;

	if (t_info(devfd, &info)) {
		t_fail("cap_info", "INFO: %s", ename(errno));
		return 1;
	}
	t_check(info.log_max_bytes == max, "cap_info_reports_max",
		"log_max_bytes %llu, loaded with %llu",
		(unsigned long long)info.log_max_bytes, max);
	/* the module's own first record: the kernel command line */
	t_check(info.log_entries == 1, "cap_starts_with_cmdline",
		"%llu entries", (unsigned long long)info.log_entries);
	rec100 = t_info_rec_size(&info, 100);
	rec1 = t_info_rec_size(&info, 1);

	/* 100-byte descriptions until the cap refuses one */
	for (guard = 0; guard < 100000; guard++) {
		t_info(devfd, &info);
		snprintf(desc, sizeof(desc), "cap-big-%05zu-%0*d", nok,
			 100 - 14, 0);
		ret = t_extend(devfd, HROT_EV_EVENT_TAG, desc, 100, NULL, &index);
		e = ret ? errno : 0;
		if (e == 0) {
			if (info.log_bytes + rec100 > max) {
				t_fail("cap_never_exceeded",
				       "EXTEND succeeded at %llu bytes + %zu > %llu",
				       (unsigned long long)info.log_bytes, rec100,
				       max);
				return 1;
			}
			if (index != expect_index) {
				t_fail("cap_index_sequential", "index %llu, want %llu",
				       (unsigned long long)index,
				       (unsigned long long)expect_index);
				return 1;
			}
			expect_index++;
			nok++;
			big_ok++;
			continue;
		}
		if (e != ENOSPC) {
			t_fail("cap_enospc", "EXTEND failed with %s, want ENOSPC",
			       ename(e));
			return 1;
		}
		t_check(info.log_bytes + rec100 > max, "cap_enospc_only_when_full",
			"ENOSPC at %llu bytes with a %zu-byte record, cap %llu",
			(unsigned long long)info.log_bytes, rec100, max);
		break;
	}
	t_check(big_ok > 0, "cap_some_records_fit", "no record fitted in %llu",
		max);

	/* refused again, and refusing changes nothing */
	CASE("cap_extend_refused_again", ENOSPC, 0,
	     t_extend(devfd, HROT_EV_EVENT_TAG, desc, 100, NULL, NULL));

	/* smallest records fill what is left, then are refused too */
	for (guard = 0; guard < 100000; guard++) {
		t_info(devfd, &info);
		snprintf(desc, sizeof(desc), "%c", 'a' + (int)(nok % 26));
		ret = t_extend(devfd, HROT_EV_EVENT_TAG, desc, 1, NULL, &index);
		e = ret ? errno : 0;
		if (e == 0) {
			if (info.log_bytes + rec1 > max || index != expect_index) {
				t_fail("cap_small_records",
				       "EXTEND at %llu bytes (+%zu, cap %llu) gave index %llu, want %llu",
				       (unsigned long long)info.log_bytes, rec1,
				       max, (unsigned long long)index,
				       (unsigned long long)expect_index);
				return 1;
			}
			expect_index++;
			nok++;
			continue;
		}
		t_check(e == ENOSPC && info.log_bytes + rec1 > max,
			"cap_fills_to_the_last_byte",
			"%s at %llu bytes, a %zu-byte record, cap %llu",
			ename(e), (unsigned long long)info.log_bytes, rec1, max);
		break;
	}
	snprintf(desc, sizeof(desc), "x");
	CASE("cap_small_extend_refused", ENOSPC, 0,
	     t_extend(devfd, HROT_EV_EVENT_TAG, desc, 1, NULL, NULL));
	if (make_testfile() == 0) {
		file_fd = open(TESTFILE, O_RDONLY);
		CASE("cap_measure_fd_refused", ENOSPC, 0,
		     t_measure_fd(devfd, file_fd, NULL, NULL, NULL));
		close(file_fd);
		unlink(TESTFILE);
	}
	/* reading is not affected by the cap */
	snap_take(&s0);
	t_check(s0.buf != NULL, "cap_log_readable", "read: %s",
		ename(s0.read_errno));
	snap_free(&s0);

	/* every record is still there, in order */
	t_info(devfd, &info);
	buf = t_read_all(HROT_BIN_LOG, &len);
	if (!buf) {
		t_fail("cap_log_intact", "read: %s", ename(errno));
		return 1;
	}
	if (t_log_parse(&lg, buf, len, err, sizeof(err))) {
		t_fail("cap_log_intact", "invalid log: %s", err);
		free(buf);
		return 1;
	}
	/* + 1: the command line record the load made */
	t_check(lg.nrec == nok + 1 && info.log_entries == nok + 1,
		"cap_count_matches_info",
		"log has %zu records, INFO %llu, %zu EXTENDs succeeded", lg.nrec,
		(unsigned long long)info.log_entries, nok);
	t_check(len == info.log_bytes && len <= max, "cap_size_within_cap",
		"file %zu bytes, INFO %llu, cap %llu", len,
		(unsigned long long)info.log_bytes, max);
	for (i = 0; i + 1 < lg.nrec && i < nok; i++) {
		const struct t_rec *r = &lg.recs[i + 1];

		if (i < big_ok) {
			snprintf(desc, sizeof(desc), "cap-big-%05zu-%0*d", i,
				 100 - 14, 0);
			if (r->name_len != 100 || memcmp(r->name, desc, 100))
				break;
		} else {
			if (r->name_len != 1 || r->name[0] != 'a' + (int)(i % 26))
				break;
		}
	}
	snprintf(name, sizeof(name), "cap_records_in_order");
	t_check(i == nok, name, "record %zu is not what was extended", i);
	t_log_free(&lg);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	devfd = open(HROT_DEV_PATH, O_RDWR);
	if (devfd < 0) {
		t_fail("open_dev", "%s: %s", HROT_DEV_PATH, ename(errno));
		return 1;
	}
	if (argc == 3 && !strcmp(argv[1], "cap"))
		ret = cap_cases(strtoull(argv[2], NULL, 0));
	else if (argc == 1)
		ret = main_cases();
	else {
		fprintf(stderr, "usage: hrot_badinput [cap MAX_BYTES]\n");
		return 2;
	}
	printf("SUMMARY passed=%d failed=%d\n", t_passes, t_failures);
	return ret ? ret : (t_failures ? 1 : 0);
}
