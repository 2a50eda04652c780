// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: logs the parser must refuse, each with its own error: cut
 * short anywhere, counts and sizes over the limits, a bad Spec ID event,
 * an algorithm the header does not declare.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hrot/eventlog.h>

#include "testlog.h"

/* Offsets in the Spec ID event (testlog's layout, <linux/hrot.h>). */
#define OFF_PCR			0
#define OFF_TYPE		4
#define OFF_DIGEST		8
#define OFF_EVENT_SIZE		28
#define OFF_SIGNATURE		32
#define OFF_VERSION_MINOR	52
#define OFF_VERSION_MAJOR	53
#define OFF_UINTN		55
#define OFF_NR_ALGS		56
#define OFF_ALGS		60

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Parse @len bytes of @buf; expect @err and, if given, @text in the message. */
static void expect_error(const uint8_t *buf, size_t len, int err,
			 const char *text)
{
	struct hrot_log_diag diag = { 0 };
	struct hrot_log sentinel, *log = &sentinel;

	assert_int_equal(hrot_log_parse(buf, len, &log, &diag), err);
	assert_null(log);
	assert_true(diag.msg[0] != '\0');
	if (text && !strstr(diag.msg, text))
		fail_msg("\"%s\" not in \"%s\"", text, diag.msg);
}

/*
 * Cut the standard log at every length: at a record boundary it is a
 * valid shorter log, anywhere else it is truncated, never anything else.
 */
static void test_truncated_everywhere(void **state)
{
	size_t ends[TL_STD_RECORDS + 1], len, k = 0;
	struct tl_buf b = { 0 };

	(void)state;
	tl_standard_log(&b, ends);
	for (len = 0; len < b.len; len++) {
		struct hrot_log *log;
		int ret;

		/* An exact copy, so ASan sees any read past the cut. */
		uint8_t *cut = malloc(len ? len : 1);

		assert_non_null(cut);
		memcpy(cut, b.data, len);
		ret = hrot_log_parse(cut, len, &log, NULL);
		if (k <= TL_STD_RECORDS && len == ends[k]) {
			assert_int_equal(ret, 0);
			assert_int_equal(log->nr_records, k);
			hrot_log_free(log);
			k++;
		} else if (ret != -HROT_LOG_ETRUNCATED) {
			fail_msg("cut at %zu: %d, not truncated", len, ret);
		}
		free(cut);
	}
	assert_int_equal(k, TL_STD_RECORDS);
	tl_free(&b);
}

static void test_truncated_message(void **state)
{
	size_t ends[TL_STD_RECORDS + 1];
	struct tl_buf b = { 0 };
	char want[64];

	(void)state;
	tl_standard_log(&b, ends);
	expect_error(b.data, 0, -HROT_LOG_ETRUNCATED, "Spec ID event: truncated");
	snprintf(want, sizeof(want), "record 2 at offset %zu: truncated",
		 ends[2]);
	expect_error(b.data, ends[3] - 1, -HROT_LOG_ETRUNCATED, want);
	tl_free(&b);
}

/* A whole log over the limit is refused before it is read. */
static void test_log_too_big(void **state)
{
	size_t len = (size_t)HROT_LOG_MAX_BYTES + 1;
	uint8_t *big = calloc(1, len);

	(void)state;
	assert_non_null(big);
	expect_error(big, len, -HROT_LOG_ETOOBIG, "over the limit");
	free(big);
}

/* Build a one-bank log with one record, then let the test break it. */
static void one_record_log(struct tl_buf *b)
{
	static const struct tl_bank sha256 = { 0x000B, 32, "SHA256", "SHA256" };

	tl_spec_id(b, &sha256, 1);
	tl_hrot_record(b, 13, 6, &sha256, 1, 1, "abc", 0);
}

/* Offsets in one_record_log()'s record. */
#define REC		(OFF_ALGS + 4 + 1)
#define REC_COUNT	(REC + 8)
#define REC_ALG		(REC + 12)
#define REC_EVENT_SIZE	(REC + 14 + 32)
#define REC_EVENT	(REC_EVENT_SIZE + 4)

static void test_record_layout(void **state)
{
	struct tl_buf b = { 0 };
	struct hrot_log *log;

	(void)state;
	one_record_log(&b);
	assert_int_equal(hrot_log_parse(b.data, b.len, &log, NULL), 0);
	assert_int_equal(log->records[0].offset, REC);
	assert_ptr_equal(log->records[0].event, log->data + REC_EVENT);
	hrot_log_free(log);
	tl_free(&b);
}

static void test_oversized_counts(void **state)
{
	struct tl_buf b = { 0 };

	(void)state;
	one_record_log(&b);
	put32(b.data + REC_COUNT, 2);
	expect_error(b.data, b.len, -HROT_LOG_ETOOBIG, "2 digests but 1 banks");
	put32(b.data + REC_COUNT, 0xffffffff);
	expect_error(b.data, b.len, -HROT_LOG_ETOOBIG, "digests");
	tl_free(&b);

	one_record_log(&b);
	put32(b.data + REC_EVENT_SIZE, HROT_LOG_MAX_EVENT_SIZE + 1);
	expect_error(b.data, b.len, -HROT_LOG_ETOOBIG, "event size");
	put32(b.data + REC_EVENT_SIZE, 0xffffffff);
	expect_error(b.data, b.len, -HROT_LOG_ETOOBIG, "event size");
	/* Within the limit but past the end of the log: truncated. */
	put32(b.data + REC_EVENT_SIZE, HROT_LOG_MAX_EVENT_SIZE);
	expect_error(b.data, b.len, -HROT_LOG_ETRUNCATED, "event data");
	tl_free(&b);

	one_record_log(&b);
	put32(b.data + OFF_NR_ALGS, HROT_LOG_MAX_ALGS + 1);
	expect_error(b.data, b.len, -HROT_LOG_ETOOBIG, "algorithms");
	put32(b.data + OFF_NR_ALGS, 0xffffffff);
	expect_error(b.data, b.len, -HROT_LOG_ETOOBIG, "algorithms");
	tl_free(&b);

	one_record_log(&b);
	put32(b.data + OFF_EVENT_SIZE, 0xfffffff0);
	expect_error(b.data, b.len, -HROT_LOG_ETOOBIG, "event size");
	tl_free(&b);
}

/* A bank of unknown algorithm larger than any TPM digest. */
static void test_oversized_digest_size(void **state)
{
	static const struct tl_bank odd = { 0x7777, 65, NULL, NULL };
	struct tl_buf b = { 0 };

	(void)state;
	tl_spec_id(&b, &odd, 1);
	expect_error(b.data, b.len, -HROT_LOG_ETOOBIG, "digest size 65");
	tl_free(&b);
}

/* An HROT name longer than the module allows. */
static void test_oversized_hrot_name(void **state)
{
	static const struct tl_bank sha256 = { 0x000B, 32, "SHA256", "SHA256" };
	static char name[HROT_NAME_MAX + 2];
	struct tl_buf b = { 0 };

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	tl_spec_id(&b, &sha256, 1);
	tl_hrot_record(&b, 13, 6, &sha256, 1, 1, name, 0);
	expect_error(b.data, b.len, -HROT_LOG_ETOOBIG, "HROT_NAME_MAX");
	tl_free(&b);
}

/* Change one thing about the Spec ID event; expect a format error. */
static void bad_spec(size_t off, const void *bytes, size_t n, const char *text)
{
	struct tl_buf b = { 0 };

	one_record_log(&b);
	memcpy(b.data + off, bytes, n);
	expect_error(b.data, b.len, -HROT_LOG_EFORMAT, text);
	tl_free(&b);
}

static void test_bad_spec_id(void **state)
{
	static const uint8_t one[] = { 1, 0, 0, 0 }, two[] = { 2, 0, 0, 0 };
	static const uint8_t zero[] = { 0, 0, 0, 0 }, three = 3, v1 = 1;
	static const uint8_t sha1_as_32[] = { 0x04, 0x00, 0x20, 0x00 };
	static const uint8_t sha256_as_20[] = { 0x0b, 0x00, 0x14, 0x00 };
	static const uint8_t size0[] = { 0x77, 0x77, 0x00, 0x00 };

	(void)state;
	bad_spec(OFF_PCR, one, 4, "not a Spec ID event");
	bad_spec(OFF_TYPE, two, 4, "not a Spec ID event");
	bad_spec(OFF_DIGEST + 7, one, 1, "not a Spec ID event");
	bad_spec(OFF_SIGNATURE, "Spec ID Event02", 15, "signature");
	bad_spec(OFF_SIGNATURE + 15, "!", 1, "signature");
	bad_spec(OFF_VERSION_MAJOR, &v1, 1, "spec version");
	bad_spec(OFF_VERSION_MINOR, &v1, 1, "spec version");
	bad_spec(OFF_UINTN, &three, 1, "uintnSize");
	bad_spec(OFF_NR_ALGS, zero, 4, "no algorithms");
	bad_spec(OFF_ALGS, sha1_as_32, 4, "sha1 digest size 32");
	bad_spec(OFF_ALGS, sha256_as_20, 4, "sha256 digest size 20");
	bad_spec(OFF_ALGS, size0, 4, "digest size 0");
	/* eventSize that disagrees with the algorithm count. */
	bad_spec(OFF_NR_ALGS, two, 4, "too short for 2 algorithms");
	bad_spec(OFF_EVENT_SIZE, (const uint8_t[]){ 27, 0, 0, 0 }, 4,
		 "too small");
}

static void test_spec_id_trailing_bytes(void **state)
{
	struct tl_buf b = { 0 };

	(void)state;
	one_record_log(&b);
	/* One more byte of event than the structure uses. */
	b.data[OFF_EVENT_SIZE]++;
	expect_error(b.data, b.len, -HROT_LOG_EFORMAT, "after the vendor info");
	tl_free(&b);
}

static void test_duplicate_bank(void **state)
{
	static const struct tl_bank twice[] = {
		{ 0x000B, 32, "SHA256", "SHA256" },
		{ 0x000B, 32, "SHA256", "SHA256" },
	};
	struct tl_buf b = { 0 };

	(void)state;
	tl_spec_id(&b, twice, 2);
	expect_error(b.data, b.len, -HROT_LOG_EFORMAT, "listed twice");
	tl_free(&b);
}

/* A record's algorithm must be one the Spec ID event declares. */
static void test_undeclared_algorithm(void **state)
{
	static const uint8_t sha1[] = { 0x04, 0x00 };
	struct tl_buf b = { 0 };

	(void)state;
	one_record_log(&b);
	memcpy(b.data + REC_ALG, sha1, 2);
	expect_error(b.data, b.len, -HROT_LOG_EFORMAT,
		     "unknown algorithm 0x0004 (not in the Spec ID event)");
	tl_free(&b);
}

static void test_duplicate_digest(void **state)
{
	static const struct tl_bank two[] = {
		{ 0x000B, 32, "SHA256", "SHA256" },
		{ 0x000C, 48, "SHA384", "SHA384" },
	};
	static const struct tl_bank sha256_twice[] = {
		{ 0x000B, 32, "SHA256", "SHA256" },
		{ 0x000B, 32, "SHA256", "SHA256" },
	};
	struct tl_buf b = { 0 };

	(void)state;
	tl_spec_id(&b, two, 2);
	tl_hrot_record(&b, 13, 6, sha256_twice, 2, 1, "x", 0);
	expect_error(b.data, b.len, -HROT_LOG_EFORMAT, "two sha256 digests");
	tl_free(&b);
}

static void test_malformed_hrot_event(void **state)
{
	struct tl_buf b = { 0 };

	(void)state;
	one_record_log(&b);
	b.data[REC_EVENT + 4] = 7;	/* format version */
	expect_error(b.data, b.len, -HROT_LOG_EFORMAT,
		     "HROT event data: unsupported format version");
	tl_free(&b);
	one_record_log(&b);
	b.data[REC_EVENT + 56] = 4;	/* name length 4, 3 bytes follow */
	expect_error(b.data, b.len, -HROT_LOG_EFORMAT, "name runs past");
	tl_free(&b);
}

/*
 * The record's eventType is covered by no digest; the event data repeats it
 * so the PCR binds it, and a record that disagrees with its event data is
 * refused, whichever of the two was changed.
 */
static void test_event_type_bound(void **state)
{
	struct tl_buf b = { 0 };

	(void)state;
	one_record_log(&b);
	b.data[REC + 4] ^= 0x01;	/* record eventType 6 -> 7 */
	expect_error(b.data, b.len, -HROT_LOG_EFORMAT,
		     "eventType 0x00000007, but the HROT event data binds 0x00000006");
	tl_free(&b);
	one_record_log(&b);
	b.data[REC_EVENT + 52] ^= 0x01;	/* event data's event type */
	expect_error(b.data, b.len, -HROT_LOG_EFORMAT,
		     "eventType 0x00000006, but the HROT event data binds 0x00000007");
	tl_free(&b);
}

/* Bytes after the last record are a record cut short. */
static void test_trailing_garbage(void **state)
{
	struct tl_buf b = { 0 };

	(void)state;
	one_record_log(&b);
	tl_u8(&b, 0);
	expect_error(b.data, b.len, -HROT_LOG_ETRUNCATED, "record 1");
	tl_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_truncated_message),
		cmocka_unit_test(test_log_too_big),
		cmocka_unit_test(test_record_layout),
		cmocka_unit_test(test_oversized_counts),
		cmocka_unit_test(test_oversized_digest_size),
		cmocka_unit_test(test_oversized_hrot_name),
		cmocka_unit_test(test_bad_spec_id),
		cmocka_unit_test(test_event_type_bound),
		cmocka_unit_test(test_spec_id_trailing_bytes),
		cmocka_unit_test(test_duplicate_bank),
		cmocka_unit_test(test_undeclared_algorithm),
		cmocka_unit_test(test_duplicate_digest),
		cmocka_unit_test(test_malformed_hrot_event),
		cmocka_unit_test(test_trailing_garbage),
	};

	return cmocka_run_group_tests_name("eventlog_bad", tests, NULL, NULL);
}
