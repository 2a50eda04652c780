// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: replay, against PCR values computed here with OpenSSL
 * straight from the digests testlog wrote.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hrot/replay.h>

#include "testlog.h"

static const struct tl_bank sha256_bank = { 0x000B, 32, "SHA256", "SHA256" };

static void test_replay_standard(void **state)
{
	struct hrot_replay *rp;
	struct hrot_log *log;
	struct tl_buf b = { 0 };
	uint8_t want[64];
	size_t i, k;

	(void)state;
	tl_standard_log(&b, NULL);
	assert_int_equal(hrot_log_parse(b.data, b.len, &log, NULL), 0);
	assert_int_equal(hrot_log_replay(log, &rp), 0);
	/* PCR 0 only has EV_NO_ACTION: not replayed. */
	assert_int_equal(rp->nr_pcrs, 2);
	assert_int_equal(rp->nr_banks, TL_NR_BANKS);
	assert_int_equal(rp->pcrs[0].pcr, 13);
	assert_int_equal(rp->pcrs[1].pcr, 14);
	assert_null(hrot_replay_find(rp, 0));
	assert_null(hrot_replay_find(rp, 12));
	for (i = 0; i < rp->nr_pcrs; i++) {
		const struct hrot_replay_pcr *p = &rp->pcrs[i];

		assert_ptr_equal(hrot_replay_find(rp, p->pcr), p);
		for (k = 0; k < TL_NR_BANKS; k++) {
			const struct hrot_replay_bank *bank = &p->banks[k];

			/* SM3 may be missing from this OpenSSL. */
			if (bank->status == HROT_REPLAY_UNSUPPORTED &&
			    !hrot_alg_available(bank->alg))
				continue;
			assert_int_equal(bank->status, HROT_REPLAY_OK);
			assert_int_equal(bank->alg, tl_banks[k].alg);
			assert_int_equal(bank->size, tl_banks[k].size);
			tl_standard_pcr(p->pcr, k, want);
			assert_memory_equal(bank->value, want, bank->size);
		}
	}
	hrot_replay_free(rp);
	hrot_log_free(log);
	tl_free(&b);
}

/* A PCR value computed once outside this code, so nothing is circular. */
static void test_replay_known_value(void **state)
{
	static const struct tl_bank sha256 = { 0x000B, 32, "SHA256", "SHA256" };
	/*
	 * SHA-256(32 zero bytes || SHA-256("abc")), by Python's hashlib: the
	 * event data is "abc", not HROT, so its digest is SHA-256("abc").
	 */
	static const uint8_t want[32] = {
		0x58, 0x9f, 0x9f, 0xfe, 0xd4, 0xc4, 0x77, 0x96,
		0x6b, 0xfb, 0x8d, 0x41, 0xf3, 0x78, 0x95, 0xb0,
		0x8c, 0x69, 0x04, 0x7d, 0xf8, 0xf9, 0x11, 0xd6,
		0xf3, 0xb5, 0x7f, 0xbe, 0x08, 0xfa, 0xee, 0x8d,
	};
	struct hrot_replay *rp;
	struct hrot_log *log;
	struct tl_buf b = { 0 };

	(void)state;
	tl_spec_id(&b, &sha256, 1);
	tl_record(&b, 7, 5, &sha256, 1, "abc", 3, 0);
	assert_int_equal(hrot_log_parse(b.data, b.len, &log, NULL), 0);
	assert_int_equal(hrot_log_replay(log, &rp), 0);
	assert_int_equal(rp->nr_pcrs, 1);
	assert_int_equal(rp->pcrs[0].pcr, 7);
	assert_memory_equal(rp->pcrs[0].banks[0].value, want, 32);
	hrot_replay_free(rp);
	hrot_log_free(log);
	tl_free(&b);
}

static void test_replay_empty(void **state)
{
	struct hrot_replay *rp;
	struct hrot_log *log;
	struct tl_buf b = { 0 };

	(void)state;
	tl_spec_id(&b, tl_banks, TL_NR_BANKS);
	assert_int_equal(hrot_log_parse(b.data, b.len, &log, NULL), 0);
	assert_int_equal(hrot_log_replay(log, &rp), 0);
	assert_int_equal(rp->nr_pcrs, 0);
	assert_null(hrot_replay_find(rp, 13));
	hrot_replay_free(rp);
	hrot_log_free(log);
	tl_free(&b);
}

/* Banks that cannot be replayed say why, and the others still are. */
static void test_replay_statuses(void **state)
{
	static const struct tl_bank banks[] = {
		{ 0x000B, 32, "SHA256", "SHA256" },
		{ 0x7777, 32, NULL, NULL },
		{ 0x000C, 48, "SHA384", "SHA384" },
	};
	struct hrot_replay *rp;
	struct hrot_log *log;
	struct tl_buf b = { 0 };
	uint8_t want[32] = { 0 }, digest[32];

	(void)state;
	tl_spec_id(&b, banks, 3);
	tl_record(&b, 5, 5, banks, 3, "a", 1, 0);
	/* A record with only the first two banks' digests. */
	tl_record(&b, 5, 5, banks, 2, "b", 1, 0);
	assert_int_equal(hrot_log_parse(b.data, b.len, &log, NULL), 0);
	assert_int_equal(hrot_log_replay(log, &rp), 0);
	assert_int_equal(rp->pcrs[0].banks[0].status, HROT_REPLAY_OK);
	assert_int_equal(rp->pcrs[0].banks[1].status, HROT_REPLAY_UNSUPPORTED);
	assert_int_equal(rp->pcrs[0].banks[2].status, HROT_REPLAY_INCOMPLETE);
	tl_sha256("a", 1, digest);
	tl_pcr_extend(&sha256_bank, want, digest);
	tl_sha256("b", 1, digest);
	tl_pcr_extend(&sha256_bank, want, digest);
	assert_memory_equal(rp->pcrs[0].banks[0].value, want, 32);
	hrot_replay_free(rp);
	hrot_log_free(log);
	tl_free(&b);
}

/* Many distinct PCR indices, in no order: found and sorted. */
static void test_replay_many_pcrs(void **state)
{
	static const struct tl_bank sha256 = { 0x000B, 32, "SHA256", "SHA256" };
	struct hrot_replay *rp;
	struct hrot_log *log;
	struct tl_buf b = { 0 };
	uint32_t i;

	(void)state;
	tl_spec_id(&b, &sha256, 1);
	for (i = 0; i < 1000; i++)
		tl_record(&b, (i * 7919u) % 1000u + 0xfffff000u, 5, &sha256, 1,
			  "e", 1, 0);
	assert_int_equal(hrot_log_parse(b.data, b.len, &log, NULL), 0);
	assert_int_equal(hrot_log_replay(log, &rp), 0);
	assert_int_equal(rp->nr_pcrs, 1000);
	for (i = 1; i < rp->nr_pcrs; i++)
		assert_true(rp->pcrs[i - 1].pcr < rp->pcrs[i].pcr);
	assert_non_null(hrot_replay_find(rp, 0xfffff000u + 999));
	hrot_replay_free(rp);
	hrot_log_free(log);
	tl_free(&b);
}

static void test_pcr_extend(void **state)
{
	uint8_t pcr[32] = { 0 }, digest[32], want[32] = { 0 };

	(void)state;
	tl_sha256("x", 1, digest);
	tl_pcr_extend(&sha256_bank, want, digest);
	assert_int_equal(hrot_pcr_extend(0x000B, pcr, digest), 0);
	assert_memory_equal(pcr, want, 32);
	assert_int_equal(hrot_pcr_extend(0x7777, pcr, digest), -EOPNOTSUPP);
}

static void test_digest(void **state)
{
	uint8_t out[64], want[32];

	(void)state;
	tl_sha256("abc", 3, want);
	assert_int_equal(hrot_digest(0x000B, "abc", 3, out, sizeof(out)), 32);
	assert_memory_equal(out, want, 32);
	assert_int_equal(hrot_digest(0x000B, "abc", 3, out, 31), -ENOSPC);
	assert_int_equal(hrot_digest(0x7777, "abc", 3, out, 64), -EOPNOTSUPP);
	tl_sha256("", 0, want);
	assert_int_equal(hrot_digest(0x000B, NULL, 0, out, sizeof(out)), 32);
	assert_memory_equal(out, want, 32);
	assert_int_equal(hrot_digest(0x0004, "abc", 3, out, sizeof(out)), 20);
	assert_int_equal(hrot_digest(0x000D, "abc", 3, out, sizeof(out)), 64);
}

static void test_alg_table(void **state)
{
	char label[HROT_ALG_LABEL_SIZE];

	(void)state;
	assert_string_equal(hrot_alg_name(0x0004), "sha1");
	assert_string_equal(hrot_alg_name(0x000B), "sha256");
	assert_string_equal(hrot_alg_name(0x0012), "sm3_256");
	assert_null(hrot_alg_name(0x7777));
	assert_string_equal(hrot_alg_label(0x000C, label), "sha384");
	assert_string_equal(hrot_alg_label(0x7777, label), "0x7777");
	assert_ptr_equal(hrot_alg_label(0xabcd, label), label);
	assert_int_equal(hrot_alg_find_name("sha384")->id, 0x000C);
	assert_int_equal(hrot_alg_find_name("sha512")->digest_size, 64);
	assert_null(hrot_alg_find_name("md5"));
	assert_true(hrot_alg_find(0x000B)->kernel_hashes);
	assert_false(hrot_alg_find(0x0012)->kernel_hashes);
	assert_true(hrot_alg_available(0x000B));
	assert_false(hrot_alg_available(0x7777));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_standard),
		cmocka_unit_test(test_replay_known_value),
		cmocka_unit_test(test_replay_empty),
		cmocka_unit_test(test_replay_statuses),
		cmocka_unit_test(test_replay_many_pcrs),
		cmocka_unit_test(test_pcr_extend),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_alg_table),
	};

	return cmocka_run_group_tests_name("replay", tests, NULL, NULL);
}
