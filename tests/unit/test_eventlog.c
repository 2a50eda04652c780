// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: parsing and verifying a valid log built by testlog.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <hrot/alg.h>
#include <hrot/eventlog.h>

#include "testlog.h"

struct fixture {
	struct tl_buf buf;
	size_t ends[TL_STD_RECORDS + 1];
	struct hrot_log *log;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct hrot_log_diag diag = { 0 };

	if (!f)
		return -1;
	tl_standard_log(&f->buf, f->ends);
	if (hrot_log_parse(f->buf.data, f->buf.len, &f->log, &diag)) {
		fprintf(stderr, "parse: %s\n", diag.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	hrot_log_free(f->log);
	tl_free(&f->buf);
	free(f);
	return 0;
}

static void test_spec_id(void **state)
{
	const struct fixture *f = *state;
	const struct hrot_log_spec_id *s = &f->log->spec_id;
	size_t i;

	assert_int_equal(f->log->header_size, f->ends[0]);
	assert_int_equal(f->log->size, f->buf.len);
	assert_int_equal(s->platform_class, 0);
	assert_int_equal(s->version_major, 2);
	assert_int_equal(s->version_minor, 0);
	assert_int_equal(s->uintn_size, 2);
	assert_int_equal(s->vendor_info_size, 0);
	assert_int_equal(s->nr_algs, TL_NR_BANKS);
	for (i = 0; i < TL_NR_BANKS; i++) {
		assert_int_equal(s->algs[i].id, tl_banks[i].alg);
		assert_int_equal(s->algs[i].digest_size, tl_banks[i].size);
	}
}

static void test_records(void **state)
{
	const struct fixture *f = *state;
	const struct hrot_log *log = f->log;
	size_t i;

	assert_int_equal(log->nr_records, TL_STD_RECORDS);
	for (i = 0; i < log->nr_records; i++) {
		const struct hrot_log_record *r = &log->records[i];

		assert_int_equal(r->offset, f->ends[i]);
		assert_int_equal(r->offset + r->length, f->ends[i + 1]);
		assert_int_equal(r->nr_digests, TL_NR_BANKS);
	}
	assert_int_equal(log->records[0].pcr, 13);
	assert_int_equal(log->records[0].event_type, 0x06);
	assert_int_equal(log->records[1].event_type, 0x0d);
	assert_int_equal(log->records[2].pcr, 0);
	assert_int_equal(log->records[2].event_type, HROT_EV_NO_ACTION);
	assert_int_equal(log->records[3].pcr, 14);
	assert_false(log->records[2].is_hrot);
	assert_false(log->records[3].is_hrot);
	assert_int_equal(log->records[3].event_size, strlen("plain event"));
	assert_memory_equal(log->records[3].event, "plain event", 11);
}

/* Each digest is what OpenSSL (or the module's padding) gives. */
static void test_record_digests(void **state)
{
	const struct fixture *f = *state;
	const struct hrot_log_record *r = &f->log->records[1];
	uint8_t want[64];
	size_t k;

	for (k = 0; k < TL_NR_BANKS; k++) {
		assert_int_equal(r->digests[k].alg, tl_banks[k].alg);
		assert_int_equal(r->digests[k].size, tl_banks[k].size);
		tl_bank_digest(&tl_banks[k], r->event, r->event_size, want);
		assert_memory_equal(r->digests[k].bytes, want,
				    tl_banks[k].size);
	}
}

static void test_hrot_events(void **state)
{
	const struct fixture *f = *state;
	const struct hrot_log_record *r0 = &f->log->records[0];
	const struct hrot_log_record *r1 = &f->log->records[1];
	const struct hrot_log_record *r4 = &f->log->records[4];
	static const char odd[] = "name with space\\and\nnewline \xc3\xa9";
	uint8_t want[32];

	assert_true(r0->is_hrot);
	assert_int_equal(r0->hrot.kind, HROT_EVENT_EXTEND);
	assert_int_equal(r0->hrot.name_len, strlen("boot-config"));
	assert_memory_equal(r0->hrot.name, "boot-config", r0->hrot.name_len);
	tl_content_digest("boot-config", want);
	assert_memory_equal(r0->hrot.content_digest, want, 32);

	assert_true(r1->is_hrot);
	assert_int_equal(r1->hrot.kind, HROT_EVENT_FILE);
	assert_int_equal(r1->hrot.file_size, 1234);
	assert_memory_equal(r1->hrot.name, "/boot/vmlinuz", 13);

	assert_true(r4->is_hrot);
	assert_int_equal(r4->hrot.name_len, strlen(odd));
	assert_memory_equal(r4->hrot.name, odd, strlen(odd));
}

/* The parsed log is a copy: the caller's buffer may go away. */
static void test_independent_of_input(void **state)
{
	const struct fixture *f = *state;
	struct hrot_log *log;
	uint8_t *copy = malloc(f->buf.len);

	(void)state;
	assert_non_null(copy);
	memcpy(copy, f->buf.data, f->buf.len);
	assert_int_equal(hrot_log_parse(copy, f->buf.len, &log, NULL), 0);
	memset(copy, 0xa5, f->buf.len);
	free(copy);
	assert_int_equal(log->nr_records, TL_STD_RECORDS);
	assert_memory_equal(log->records[1].hrot.name, "/boot/vmlinuz", 13);
	assert_int_equal(hrot_log_verify(log, NULL), 0);
	hrot_log_free(log);
}

static void test_verify_ok(void **state)
{
	const struct fixture *f = *state;
	struct hrot_log_diag diag = { 0 };

	assert_int_equal(hrot_log_verify(f->log, &diag), 0);
	assert_int_equal(hrot_log_verify_record(f->log, 1, &diag), 0);
	assert_int_equal(hrot_log_verify_record(f->log, TL_STD_RECORDS, &diag),
			 -EINVAL);
}

/* Flip one bit of bank @bank's digest in record @rec; verify must say so. */
static void check_tamper_digest(const struct fixture *f, size_t rec,
				size_t bank, const char *alg)
{
	struct hrot_log_diag diag = { 0 };
	struct hrot_log *log;
	struct tl_buf b = { 0 };
	size_t off;
	char want[64];

	tl_bytes(&b, f->buf.data, f->buf.len);
	off = (size_t)(f->log->records[rec].digests[bank].bytes - f->log->data);
	b.data[off + 3] ^= 0x10;
	assert_int_equal(hrot_log_parse(b.data, b.len, &log, NULL), 0);
	assert_int_equal(hrot_log_verify(log, &diag), -HROT_LOG_EMISMATCH);
	assert_int_equal(diag.record, rec);
	snprintf(want, sizeof(want), "record %zu at offset", rec);
	assert_non_null(strstr(diag.msg, want));
	snprintf(want, sizeof(want), "%s digest does not match", alg);
	assert_non_null(strstr(diag.msg, want));
	assert_int_equal(hrot_log_verify_record(log, rec, NULL),
			 -HROT_LOG_EMISMATCH);
	hrot_log_free(log);
	tl_free(&b);
}

static void test_verify_tampered_digest(void **state)
{
	const struct fixture *f = *state;
	size_t k;

	for (k = 0; k < TL_NR_BANKS; k++) {
		check_tamper_digest(f, 1, k, hrot_alg_name(tl_banks[k].alg));
		check_tamper_digest(f, 4, k, hrot_alg_name(tl_banks[k].alg));
	}
}

/* Changing the name changes what the bank digests must be. */
static void test_verify_tampered_name(void **state)
{
	const struct fixture *f = *state;
	struct hrot_log_diag diag = { 0 };
	struct hrot_log *log;
	struct tl_buf b = { 0 };
	size_t off;

	tl_bytes(&b, f->buf.data, f->buf.len);
	off = (size_t)((const uint8_t *)f->log->records[0].hrot.name -
		       f->log->data);
	b.data[off] = 'B';
	assert_int_equal(hrot_log_parse(b.data, b.len, &log, NULL), 0);
	assert_int_equal(hrot_log_verify(log, &diag), -HROT_LOG_EMISMATCH);
	assert_int_equal(diag.record, 0);
	assert_non_null(strstr(diag.msg, "Boot-config"));
	assert_non_null(strstr(diag.msg, "sha1 digest"));
	hrot_log_free(log);
	tl_free(&b);
}

/*
 * A bank the module hashes itself must carry its own algorithm: the
 * padded SHA-256 it uses for SM3 is not accepted for SHA-384.
 */
static void test_padded_sha256_only_for_sm3(void **state)
{
	static const struct tl_bank fake384[] = {
		{ 0x000C, 48, NULL, NULL },
	};
	struct hrot_log *log;
	struct tl_buf b = { 0 };

	(void)state;
	tl_spec_id(&b, fake384, 1);
	tl_hrot_record(&b, 13, 6, fake384, 1, 1, "x", 0);
	assert_int_equal(hrot_log_parse(b.data, b.len, &log, NULL), 0);
	assert_int_equal(hrot_log_verify(log, NULL), -HROT_LOG_EMISMATCH);
	hrot_log_free(log);
	tl_free(&b);
}

/* A real SM3 digest in the sm3_256 bank is accepted too. */
static void test_real_sm3_accepted(void **state)
{
	static const struct tl_bank sm3[] = {
		{ 0x0012, 32, "SM3", "SM3" },
	};
	struct hrot_log *log;
	struct tl_buf b = { 0 };

	(void)state;
	if (!hrot_alg_available(0x0012))
		skip();
	tl_spec_id(&b, sm3, 1);
	tl_hrot_record(&b, 13, 6, sm3, 1, 1, "x", 0);
	assert_int_equal(hrot_log_parse(b.data, b.len, &log, NULL), 0);
	assert_int_equal(hrot_log_verify(log, NULL), 0);
	hrot_log_free(log);
	tl_free(&b);
}

/* Only HROT records are checked: other digests are over other data. */
static void test_non_hrot_not_verified(void **state)
{
	const struct fixture *f = *state;
	struct hrot_log *log;
	struct tl_buf b = { 0 };
	size_t off;

	tl_bytes(&b, f->buf.data, f->buf.len);
	off = (size_t)(f->log->records[3].digests[1].bytes - f->log->data);
	b.data[off] ^= 0xff;
	assert_int_equal(hrot_log_parse(b.data, b.len, &log, NULL), 0);
	assert_int_equal(hrot_log_verify(log, NULL), 0);
	hrot_log_free(log);
	tl_free(&b);
}

/* A bank of an algorithm libhrot does not know: size from the header. */
static void test_unknown_bank_algorithm(void **state)
{
	static const struct tl_bank banks[] = {
		{ 0x000B, 32, "SHA256", "SHA256" },
		{ 0x7777, 24, NULL, NULL },
	};
	struct hrot_log *log;
	struct tl_buf b = { 0 };

	(void)state;
	tl_spec_id(&b, banks, 2);
	tl_hrot_record(&b, 13, 6, banks, 2, 1, "x", 0);
	assert_int_equal(hrot_log_parse(b.data, b.len, &log, NULL), 0);
	assert_int_equal(log->records[0].digests[1].alg, 0x7777);
	assert_int_equal(log->records[0].digests[1].size, 24);
	/* The module gives such a bank the truncated SHA-256. */
	assert_int_equal(hrot_log_verify(log, NULL), 0);
	hrot_log_free(log);
	tl_free(&b);
}

static void test_header_only(void **state)
{
	struct hrot_log *log;
	struct tl_buf b = { 0 };

	(void)state;
	tl_spec_id(&b, tl_banks, 2);
	assert_int_equal(hrot_log_parse(b.data, b.len, &log, NULL), 0);
	assert_int_equal(log->nr_records, 0);
	assert_int_equal(log->spec_id.nr_algs, 2);
	assert_int_equal(hrot_log_verify(log, NULL), 0);
	hrot_log_free(log);
	tl_free(&b);
}

static void test_read_file(void **state)
{
	const struct fixture *f = *state;
	char path[] = "/tmp/hrot-test-XXXXXX";
	struct hrot_log *log;
	uint8_t *buf;
	size_t len;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, f->buf.data, f->buf.len), f->buf.len);
	close(fd);
	assert_int_equal(hrot_log_read_file(path, &buf, &len), 0);
	assert_int_equal(len, f->buf.len);
	assert_memory_equal(buf, f->buf.data, len);
	free(buf);
	assert_int_equal(hrot_log_load(path, &log, NULL), 0);
	assert_int_equal(log->nr_records, TL_STD_RECORDS);
	hrot_log_free(log);
	unlink(path);
	assert_int_equal(hrot_log_read_file(path, &buf, &len), -ENOENT);
	assert_int_equal(hrot_log_load(path, &log, NULL), -ENOENT);
	assert_null(log);
}

/* A file over the limit is refused after reading one byte past it. */
static void test_read_file_too_big(void **state)
{
	char path[] = "/tmp/hrot-test-XXXXXX";
	struct hrot_log *log;
	uint8_t *buf = (uint8_t *)path;
	size_t len = 1;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	/* Sparse: reads as zeros, takes no disk. */
	assert_int_equal(ftruncate(fd, (off_t)HROT_LOG_MAX_BYTES + 1), 0);
	close(fd);
	assert_int_equal(hrot_log_read_file(path, &buf, &len), -EFBIG);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_int_equal(hrot_log_load(path, &log, NULL), -EFBIG);
	/* Exactly at the limit it is read (and then is no valid log). */
	assert_int_equal(truncate(path, HROT_LOG_MAX_BYTES), 0);
	assert_int_equal(hrot_log_read_file(path, &buf, &len), 0);
	assert_int_equal(len, HROT_LOG_MAX_BYTES);
	free(buf);
	unlink(path);
}

static void test_event_type_names(void **state)
{
	(void)state;
	assert_string_equal(hrot_event_type_name(0x03), "EV_NO_ACTION");
	assert_string_equal(hrot_event_type_name(0x06), "EV_EVENT_TAG");
	assert_string_equal(hrot_event_type_name(0x0d), "EV_IPL");
	assert_string_equal(hrot_event_type_name(0x80000001),
			    "EV_EFI_VARIABLE_DRIVER_CONFIG");
	assert_string_equal(hrot_event_type_name(0x800000e0),
			    "EV_EFI_VARIABLE_AUTHORITY");
	assert_null(hrot_event_type_name(0x13));
	assert_null(hrot_event_type_name(0x8000000d));
	assert_null(hrot_event_type_name(0x80000000));
	assert_null(hrot_event_type_name(0xffffffff));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_id),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_record_digests),
		cmocka_unit_test(test_hrot_events),
		cmocka_unit_test(test_independent_of_input),
		cmocka_unit_test(test_verify_ok),
		cmocka_unit_test(test_verify_tampered_digest),
		cmocka_unit_test(test_verify_tampered_name),
		cmocka_unit_test(test_padded_sha256_only_for_sm3),
		cmocka_unit_test(test_real_sm3_accepted),
		cmocka_unit_test(test_non_hrot_not_verified),
		cmocka_unit_test(test_unknown_bank_algorithm),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_read_file_too_big),
		cmocka_unit_test(test_event_type_names),
	};

	return cmocka_run_group_tests_name("eventlog", tests, setup, teardown);
}
