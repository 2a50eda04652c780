// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: HROT event data encoder and decoder, against the layout
 * testlog writes from the offsets in <linux/hrot.h>.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hrot/event.h>

#include "testlog.h"

static const char name[] = "/boot/vmlinuz-6.1";

static void digest_of(uint8_t d[32])
{
	tl_sha256(name, strlen(name), d);
}

static void test_encode_matches_layout(void **state)
{
	uint8_t digest[32], buf[HROT_EVENT_SIZE(sizeof(name))];
	struct tl_buf want = { 0 };
	ssize_t n;

	(void)state;
	digest_of(digest);
	tl_hrot_event(&want, HROT_EVENT_FILE, HROT_EV_IPL, digest,
		      0x1122334455667788ULL, name, strlen(name));
	n = hrot_event_encode(HROT_EVENT_FILE, HROT_EV_IPL, digest,
			      0x1122334455667788ULL, name, strlen(name), buf,
			      sizeof(buf));
	assert_int_equal(n, want.len);
	assert_int_equal(n, HROT_EVENT_HDR_SIZE + strlen(name));
	assert_memory_equal(buf, want.data, want.len);
	tl_free(&want);
}

static void test_decode_round_trip(void **state)
{
	uint8_t digest[32], buf[HROT_EVENT_SIZE(sizeof(name))];
	struct hrot_event_data ev;
	ssize_t n;

	(void)state;
	digest_of(digest);
	n = hrot_event_encode(HROT_EVENT_EXTEND, 0x12345678, digest, 0, name,
			      strlen(name), buf, sizeof(buf));
	assert_true(n > 0);
	assert_true(hrot_event_has_magic(buf, (size_t)n));
	assert_int_equal(hrot_event_decode(buf, (size_t)n, &ev, NULL), 0);
	assert_int_equal(ev.version, HROT_EVENT_FORMAT);
	assert_int_equal(ev.kind, HROT_EVENT_EXTEND);
	assert_int_equal(ev.content_alg, HROT_ALG_SHA256);
	assert_memory_equal(ev.content_digest, digest, 32);
	assert_int_equal(ev.file_size, 0);
	assert_int_equal(ev.event_type, 0x12345678);
	assert_int_equal(ev.name_len, strlen(name));
	assert_memory_equal(ev.name, name, strlen(name));
	/* The name points into the buffer, not into a copy. */
	assert_ptr_equal(ev.name, (const char *)buf + HROT_EVENT_HDR_SIZE);
}

static void test_encode_rejects(void **state)
{
	static char big[HROT_NAME_MAX + 1];
	uint8_t digest[32] = { 0 }, buf[HROT_EVENT_SIZE(HROT_NAME_MAX + 1)];

	(void)state;
	assert_int_equal(hrot_event_encode(3, HROT_EV_EVENT_TAG, digest, 0, "x", 1, buf,
					   sizeof(buf)), -EINVAL);
	assert_int_equal(hrot_event_encode(0, HROT_EV_EVENT_TAG, digest, 0, "x", 1, buf,
					   sizeof(buf)), -EINVAL);
	assert_int_equal(hrot_event_encode(HROT_EVENT_FILE, HROT_EV_IPL, digest, 0, "x", 0,
					   buf, sizeof(buf)), -EINVAL);
	assert_int_equal(hrot_event_encode(HROT_EVENT_FILE, HROT_EV_IPL, digest, 0, big,
					   sizeof(big), buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(hrot_event_encode(HROT_EVENT_EXTEND, HROT_EV_EVENT_TAG, digest, 5, "x",
					   1, buf, sizeof(buf)), -EINVAL);
	/* a file record is EV_IPL, as the module logs it */
	assert_int_equal(hrot_event_encode(HROT_EVENT_FILE, HROT_EV_EVENT_TAG,
					   digest, 1, "x", 1, buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(hrot_event_encode(HROT_EVENT_FILE, HROT_EV_IPL, digest, 0, "xy", 2,
					   buf, HROT_EVENT_HDR_SIZE + 1),
			 -ENOSPC);
	/* The longest name is fine. */
	memset(big, 'a', sizeof(big));
	assert_int_equal(hrot_event_encode(HROT_EVENT_FILE, HROT_EV_IPL, digest, 0, big,
					   HROT_NAME_MAX, buf, sizeof(buf)),
			 HROT_EVENT_SIZE(HROT_NAME_MAX));
}

/* Encode "abc", apply @patch at @off, decode: expect @err and @why. */
static void decode_patched(size_t off, const void *patch, size_t n,
			   size_t len_delta, int err, const char *why_part)
{
	uint8_t digest[32] = { 0 }, buf[HROT_EVENT_SIZE(16)] = { 0 };
	struct hrot_event_data ev;
	const char *why = NULL;
	ssize_t len;

	len = hrot_event_encode(HROT_EVENT_FILE, HROT_EV_IPL, digest, 9, "abc", 3, buf,
				sizeof(buf));
	assert_true(len > 0);
	if (patch)
		memcpy(buf + off, patch, n);
	assert_int_equal(hrot_event_decode(buf, (size_t)len + len_delta, &ev,
					   &why), err);
	assert_non_null(why);
	assert_non_null(strstr(why, why_part));
}

static void test_decode_rejects(void **state)
{
	static const uint8_t one[] = { 1, 0 }, nine[] = { 9, 0 };
	static const uint8_t sha1[] = { 4, 0 }, size20[] = { 20, 0 };
	static const uint8_t zero32[] = { 0, 0, 0, 0 };
	static const uint8_t four[] = { 4, 0, 0, 0 };
	static const uint8_t huge[] = { 0x01, 0x10, 0, 0 };	/* 4097 */

	(void)state;
	decode_patched(0, "HROX", 4, 0, -ENOMSG, "magic");
	decode_patched(4, one, 2, 0, -EBADMSG, "version");	/* format 1 */
	decode_patched(6, nine, 2, 0, -EBADMSG, "kind");
	decode_patched(8, sha1, 2, 0, -EBADMSG, "SHA-256");
	decode_patched(10, size20, 2, 0, -EBADMSG, "SHA-256");
	decode_patched(52, four, 4, 0, -EBADMSG, "EV_IPL");
	decode_patched(56, zero32, 4, 0, -EBADMSG, "empty");
	decode_patched(56, four, 4, 0, -ENODATA, "past");
	decode_patched(56, huge, 4, 0, -E2BIG, "HROT_NAME_MAX");
	decode_patched(0, NULL, 0, (size_t)-1, -ENODATA, "past");
	decode_patched(0, NULL, 0, 1, -EBADMSG, "after");
}

static void test_decode_short(void **state)
{
	uint8_t digest[32] = { 0 }, buf[HROT_EVENT_SIZE(3)];
	struct hrot_event_data ev;
	const char *why = NULL;
	size_t len;

	(void)state;
	assert_true(hrot_event_encode(HROT_EVENT_FILE, HROT_EV_IPL, digest, 1, "abc", 3,
				      buf, sizeof(buf)) > 0);
	/* Every length short of the whole is refused, never read past. */
	for (len = 0; len < sizeof(buf); len++) {
		int ret = hrot_event_decode(buf, len, &ev, &why);

		assert_int_equal(ret, len < 4 ? -ENOMSG : -ENODATA);
	}
}

static void test_extend_with_size_rejected(void **state)
{
	struct tl_buf b = { 0 };
	uint8_t digest[32] = { 0 };
	struct hrot_event_data ev;
	const char *why = NULL;

	(void)state;
	tl_hrot_event(&b, HROT_EVENT_EXTEND, HROT_EV_EVENT_TAG, digest, 1, "x",
		      1);
	assert_int_equal(hrot_event_decode(b.data, b.len, &ev, &why), -EBADMSG);
	assert_non_null(strstr(why, "file size"));
	tl_free(&b);
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(hrot_event_kind_name(HROT_EVENT_EXTEND), "extend");
	assert_string_equal(hrot_event_kind_name(HROT_EVENT_FILE), "file");
	assert_null(hrot_event_kind_name(0));
	assert_null(hrot_event_kind_name(3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_matches_layout),
		cmocka_unit_test(test_decode_round_trip),
		cmocka_unit_test(test_encode_rejects),
		cmocka_unit_test(test_decode_rejects),
		cmocka_unit_test(test_decode_short),
		cmocka_unit_test(test_extend_with_size_rejected),
		cmocka_unit_test(test_kind_names),
	};

	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
