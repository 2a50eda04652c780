// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the device API, against fake_hrot's stand-in for the module
 * (this program is linked with -Wl,--wrap=ioctl).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <hrot/hrot.h>

#include "fake_hrot.h"
#include "testlog.h"

struct fixture {
	int dev;
	char dir[64];
	char file[128];
	char log[128];
};

static int setup(void **state)
{
	static const char content[] = "measured content\n";
	struct fixture *f = calloc(1, sizeof(*f));
	FILE *fp;

	if (!f)
		return -1;
	*state = f;
	snprintf(f->dir, sizeof(f->dir), "/tmp/hrot-dev-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->file, sizeof(f->file), "%s/file", f->dir);
	snprintf(f->log, sizeof(f->log), "%s/log", f->dir);
	fp = fopen(f->file, "w");
	if (!fp)
		return -1;
	fputs(content, fp);
	if (fclose(fp))
		return -1;
	/* Any fd serves: the fake answers hrot ioctls on all of them. */
	f->dev = hrot_dev_open("/dev/null");
	return f->dev < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	hrot_dev_close(f->dev);
	unlink(f->file);
	unlink(f->log);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Every test starts with a clean environment for the fake. */
static int clean_env(void **state)
{
	(void)state;
	unsetenv("HROT_FAKE_ERRNO");
	unsetenv("HROT_FAKE_LOG");
	unsetenv("HROT_FAKE_BANKS");
	unsetenv("HROT_FAKE_FP_COUNT");
	unsetenv("HROT_FAKE_FP_BAD");
	return 0;
}

static void test_open_missing(void **state)
{
	(void)state;
	assert_int_equal(hrot_dev_open("/nonexistent/hrot"), -ENOENT);
}

static void test_info(void **state)
{
	const struct fixture *f = *state;
	struct hrot_info info;
	size_t i;

	memset(&info, 0xa5, sizeof(info));
	assert_int_equal(hrot_dev_info(f->dev, &info), 0);
	assert_int_equal(fake_last_size, sizeof(struct hrot_info));
	assert_int_equal(fake_last_version, HROT_STRUCT_VERSION);
	assert_int_equal(info.abi_version, HROT_ABI_VERSION);
	assert_true(info.flags & HROT_INFO_TPM_PRESENT);
	assert_int_equal(info.pcr_index, FAKE_PCR);
	assert_int_equal(info.nr_banks, TL_NR_BANKS);
	for (i = 0; i < TL_NR_BANKS; i++)
		assert_int_equal(info.banks[i], tl_banks[i].alg);
	assert_int_equal(info.log_max_bytes, FAKE_LOG_MAX);
}

static void test_info_inconsistent(void **state)
{
	const struct fixture *f = *state;
	struct hrot_info info;

	setenv("HROT_FAKE_BANKS", "9", 1);
	assert_int_equal(hrot_dev_info(f->dev, &info), -EPROTO);
}

static void test_extend(void **state)
{
	const struct fixture *f = *state;
	uint8_t digest[32];
	uint64_t index = 99;
	struct hrot_log *log;

	setenv("HROT_FAKE_LOG", f->log, 1);
	unlink(f->log);
	tl_sha256("d", 1, digest);
	assert_int_equal(hrot_dev_extend(f->dev, HROT_EV_EVENT_TAG, digest,
					 "first", 5, &index), 0);
	assert_int_equal(fake_last_size, sizeof(struct hrot_extend));
	assert_int_equal(index, 0);
	assert_int_equal(hrot_dev_extend(f->dev, 0x80000007, digest,
					 "second", 6, &index), 0);
	assert_int_equal(index, 1);
	/* What the module logged is what was asked. */
	assert_int_equal(hrot_log_load(f->log, &log, NULL), 0);
	assert_int_equal(log->nr_records, 2);
	assert_int_equal(log->records[1].event_type, 0x80000007);
	assert_int_equal(log->records[1].hrot.kind, HROT_EVENT_EXTEND);
	assert_memory_equal(log->records[1].hrot.name, "second", 6);
	assert_memory_equal(log->records[1].hrot.content_digest, digest, 32);
	assert_int_equal(hrot_log_verify(log, NULL), 0);
	hrot_log_free(log);
}

static void test_extend_rejected(void **state)
{
	const struct fixture *f = *state;
	uint8_t digest[32] = { 0 };

	assert_int_equal(hrot_dev_extend(f->dev, HROT_EV_NO_ACTION, digest,
					 "x", 1, NULL), -EINVAL);
	assert_int_equal(hrot_dev_extend(f->dev, 6, digest, "x", 0, NULL),
			 -EINVAL);
	/* A length the 32-bit field cannot hold is refused, not truncated. */
	assert_int_equal(hrot_dev_extend(f->dev, 6, digest, "x",
					 (size_t)UINT32_MAX + 2, NULL),
			 -EINVAL);
	setenv("HROT_FAKE_ERRNO", "1", 1);
	assert_int_equal(hrot_dev_extend(f->dev, 6, digest, "x", 1, NULL),
			 -EPERM);
}

static void test_measure_path(void **state)
{
	const struct fixture *f = *state;
	uint8_t digest[32], want[32];
	uint64_t size = 0, index = 7;

	tl_sha256("measured content\n", 17, want);
	assert_int_equal(hrot_dev_measure_path(f->dev, f->file, digest, &size,
					       &index), 0);
	assert_int_equal(fake_last_size, sizeof(struct hrot_measure_fd));
	assert_memory_equal(digest, want, 32);
	assert_int_equal(size, 17);
	assert_int_equal(index, 0);
	/* NULL outputs are allowed. */
	assert_int_equal(hrot_dev_measure_path(f->dev, f->file, NULL, NULL,
					       NULL), 0);
}

static void test_measure_fd(void **state)
{
	const struct fixture *f = *state;
	uint8_t digest[32], want[32];
	int fd;

	tl_sha256("measured content\n", 17, want);
	fd = open(f->file, O_RDONLY);
	assert_true(fd >= 0);
	/* The kernel reads from offset 0 whatever the fd's position. */
	assert_int_equal(lseek(fd, 5, SEEK_SET), 5);
	assert_int_equal(hrot_dev_measure_fd(f->dev, fd, digest, NULL, NULL),
			 0);
	assert_memory_equal(digest, want, 32);
	close(fd);
	fd = open(f->file, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(hrot_dev_measure_fd(f->dev, fd, digest, NULL, NULL),
			 -EBADF);
	close(fd);
}

static void test_measure_not_regular(void **state)
{
	const struct fixture *f = *state;
	char fifo[160];

	assert_int_equal(hrot_dev_measure_path(f->dev, f->dir, NULL, NULL,
					       NULL), -EISDIR);
	assert_int_equal(hrot_dev_measure_path(f->dev, "/dev/null", NULL,
					       NULL, NULL), -EINVAL);
	assert_int_equal(hrot_dev_measure_path(f->dev, "/nonexistent", NULL,
					       NULL, NULL), -ENOENT);
	/* A FIFO with no writer must not block. */
	snprintf(fifo, sizeof(fifo), "%s/fifo", f->dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(hrot_dev_measure_path(f->dev, fifo, NULL, NULL, NULL),
			 -EINVAL);
	unlink(fifo);
}

static void test_measure_logged(void **state)
{
	const struct fixture *f = *state;
	struct hrot_log *log;
	uint8_t digest[32];

	setenv("HROT_FAKE_LOG", f->log, 1);
	unlink(f->log);
	assert_int_equal(hrot_dev_measure_path(f->dev, f->file, digest, NULL,
					       NULL), 0);
	assert_int_equal(hrot_log_load(f->log, &log, NULL), 0);
	assert_int_equal(log->nr_records, 1);
	assert_int_equal(log->records[0].event_type, HROT_EV_IPL);
	assert_int_equal(log->records[0].hrot.kind, HROT_EVENT_FILE);
	assert_int_equal(log->records[0].hrot.file_size, 17);
	assert_int_equal(log->records[0].hrot.name_len, strlen(f->file));
	assert_memory_equal(log->records[0].hrot.name, f->file,
			    strlen(f->file));
	assert_memory_equal(log->records[0].hrot.content_digest, digest, 32);
	assert_int_equal(hrot_log_verify(log, NULL), 0);
	hrot_log_free(log);
}

static void test_fingerprint(void **state)
{
	const struct fixture *f = *state;
	struct hrot_fingerprint fp;
	uint8_t digest[32], want[32];
	uint32_t i;

	assert_int_equal(hrot_dev_fingerprint(f->dev, &fp), 0);
	assert_int_equal(fake_last_size, sizeof(struct hrot_fingerprint));
	assert_int_equal(fp.nr_components, HROT_FP_NR_IDS);
	for (i = 0; i < fp.nr_components; i++)
		assert_int_equal(fp.components[i].id, i + 1);
	assert_string_equal(fp.components[0].value, "QEMU");
	assert_true(fp.components[0].flags & HROT_FP_PRESENT);
	tl_sha256("QEMU", 4, want);
	assert_memory_equal(fp.components[0].digest, want, 32);
	assert_false(fp.components[HROT_FP_BOARD_SERIAL - 1].flags);
	assert_int_equal(hrot_fingerprint_digest(&fp, digest), 0);
	assert_memory_equal(digest, fp.digest, 32);
}

static void test_fingerprint_bad(void **state)
{
	const struct fixture *f = *state;
	struct hrot_fingerprint fp;
	uint8_t digest[32];

	setenv("HROT_FAKE_FP_BAD", "1", 1);
	assert_int_equal(hrot_dev_fingerprint(f->dev, &fp), 0);
	assert_int_equal(hrot_fingerprint_digest(&fp, digest), 0);
	assert_memory_not_equal(digest, fp.digest, 32);
	setenv("HROT_FAKE_FP_COUNT", "17", 1);
	assert_int_equal(hrot_dev_fingerprint(f->dev, &fp), -EPROTO);
	fp.nr_components = 17;
	assert_int_equal(hrot_fingerprint_digest(&fp, digest), -EINVAL);
}

static void test_identity(void **state)
{
	struct fixture *f = *state;
	struct hrot_identity_info id;

	assert_int_equal(hrot_dev_identity(f->dev, &id), 0);
	assert_int_equal(id.ek_template, HROT_EK_L2_ECC_P256);
	assert_int_equal(id.ak_name_len, HROT_NAME_SIZE);
	/* bigger than the first buffer: the -ENOSPC retry got it whole */
	assert_int_equal(id.ek_cert_len, 3000);
	assert_int_equal(id.ek_cert[2999], 0xce);
	assert_int_equal(id.ek_public_len, 90);
	assert_int_equal(id.ak_public_len, 88);
	assert_int_equal(id.ak_spki_len, 91);
	hrot_identity_info_free(&id);
}

static void test_quote_dev(void **state)
{
	struct fixture *f = *state;
	struct hrot_quote_out q;
	uint8_t nonce[65] = { 0 };

	assert_int_equal(hrot_dev_quote(f->dev, 0x2003, nonce, 32, &q), 0);
	assert_int_equal(q.attest_len, 145);
	assert_int_equal(q.sig_len, 72);
	assert_int_equal(q.pcrs_len, 96);
	hrot_quote_out_free(&q);
	assert_int_equal(hrot_dev_quote(f->dev, 0x2003, nonce, 65, &q),
			 -EINVAL);
	assert_int_equal(hrot_dev_quote(f->dev, 0, nonce, 1, &q), -EINVAL);
}

static void test_activate_dev(void **state)
{
	struct fixture *f = *state;
	uint8_t cred[20], secret[4] = { 1 }, out[64];
	size_t len = 0;

	memset(cred, 0x77, sizeof(cred));
	assert_int_equal(hrot_dev_activate(f->dev, cred, sizeof(cred), secret,
					   sizeof(secret), out, sizeof(out),
					   &len), 0);
	assert_int_equal(len, 16);
	assert_int_equal(out[15], 0x77);
	assert_int_equal(hrot_dev_activate(f->dev, cred, sizeof(cred), secret,
					   sizeof(secret), out, 8, &len),
			 -ENOSPC);
}

static void test_component_names(void **state)
{
	(void)state;
	assert_string_equal(hrot_fp_component_name(HROT_FP_SYS_VENDOR),
			    "sys_vendor");
	assert_string_equal(hrot_fp_component_name(HROT_FP_TPM_EK), "tpm_ek");
	assert_null(hrot_fp_component_name(0));
	assert_null(hrot_fp_component_name(HROT_FP_NR_IDS + 1));
}

static void test_strerror(void **state)
{
	char buf[256];

	(void)state;
	assert_string_equal(hrot_strerror(HROT_OP_EXTEND, -EPERM, buf,
					  sizeof(buf)),
			    "Operation not permitted (EXTEND needs CAP_SYS_ADMIN)");
	assert_string_equal(hrot_strerror(HROT_OP_MEASURE, -EINVAL, buf,
					  sizeof(buf)),
			    "Invalid argument (not a regular file)");
	assert_non_null(strstr(hrot_strerror(HROT_OP_OPEN, -ENOENT, buf,
					     sizeof(buf)), "module loaded"));
	assert_non_null(strstr(hrot_strerror(HROT_OP_INFO, -ENOTTY, buf,
					     sizeof(buf)), "not an hrot device"));
	assert_non_null(strstr(hrot_strerror(HROT_OP_EXTEND, -ENOSPC, buf,
					     sizeof(buf)), "log_max_bytes"));
	assert_string_equal(hrot_strerror(HROT_OP_MEASURE, -ENOENT, buf,
					  sizeof(buf)),
			    "No such file or directory");
	/* A short buffer gets a truncated, terminated message. */
	assert_int_equal(strlen(hrot_strerror(HROT_OP_EXTEND, -EPERM, buf, 8)),
			 7);
}

#define T(f)	cmocka_unit_test_setup(f, clean_env)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_missing),
		T(test_info),
		T(test_info_inconsistent),
		T(test_extend),
		T(test_extend_rejected),
		T(test_measure_path),
		T(test_measure_fd),
		T(test_measure_not_regular),
		T(test_measure_logged),
		T(test_fingerprint),
		T(test_fingerprint_bad),
		T(test_identity),
		T(test_quote_dev),
		T(test_activate_dev),
		T(test_component_names),
		T(test_strerror),
	};

	return cmocka_run_group_tests_name("device", tests, setup, teardown);
}
