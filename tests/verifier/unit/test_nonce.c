// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the challenge table (verifier/server/nonce.c): single use,
 * expiry, device binding, payloads, the bound and its eviction, and many
 * threads at once.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nonce.h"

static const uint8_t dev_a[HROT_DEVICE_NAME_SIZE] = { 0x00, 0x0b, 0xaa };
static const uint8_t dev_b[HROT_DEVICE_NAME_SIZE] = { 0x00, 0x0b, 0xbb };

static void test_single_use(void **state)
{
	struct nonce_table *t;
	uint8_t n[HROT_NONCE_SIZE];

	(void)state;
	assert_int_equal(nonce_table_new(30, 8, &t), 0);
	assert_int_equal(nonce_issue(t, dev_a, 1000, NULL, n), 0);
	assert_int_equal(nonce_table_count(t), 1);
	assert_int_equal(nonce_consume(t, n, dev_a, 1010, NULL), NONCE_OK);
	assert_int_equal(nonce_table_count(t), 0);
	/* a replay finds nothing */
	assert_int_equal(nonce_consume(t, n, dev_a, 1011, NULL), NONCE_UNKNOWN);
	nonce_table_free(t);
}

static void test_never_issued(void **state)
{
	struct nonce_table *t;
	uint8_t n[HROT_NONCE_SIZE], forged[HROT_NONCE_SIZE];

	(void)state;
	assert_int_equal(nonce_table_new(30, 8, &t), 0);
	assert_int_equal(nonce_issue(t, dev_a, 1000, NULL, n), 0);
	memcpy(forged, n, sizeof(forged));
	forged[HROT_NONCE_SIZE - 1] ^= 1;
	assert_int_equal(nonce_consume(t, forged, dev_a, 1000, NULL),
			 NONCE_UNKNOWN);
	/* the real one is untouched by the miss */
	assert_int_equal(nonce_consume(t, n, dev_a, 1000, NULL), NONCE_OK);
	nonce_table_free(t);
}

static void test_expiry(void **state)
{
	struct nonce_table *t;
	uint8_t n1[HROT_NONCE_SIZE], n2[HROT_NONCE_SIZE];

	(void)state;
	assert_int_equal(nonce_table_new(30, 8, &t), 0);
	assert_int_equal(nonce_issue(t, dev_a, 1000, NULL, n1), 0);
	assert_int_equal(nonce_issue(t, dev_a, 1000, NULL, n2), 0);
	/* the last second of its lifetime is still good */
	assert_int_equal(nonce_consume(t, n1, dev_a, 1030, NULL), NONCE_OK);
	assert_int_equal(nonce_consume(t, n2, dev_a, 1031, NULL), NONCE_EXPIRED);
	/* an expired one is gone too */
	assert_int_equal(nonce_consume(t, n2, dev_a, 1031, NULL), NONCE_UNKNOWN);
	assert_int_equal(nonce_table_count(t), 0);
	nonce_table_free(t);
}

static void test_wrong_device(void **state)
{
	struct nonce_table *t;
	uint8_t n[HROT_NONCE_SIZE];

	(void)state;
	assert_int_equal(nonce_table_new(30, 8, &t), 0);
	assert_int_equal(nonce_issue(t, dev_a, 1000, NULL, n), 0);
	assert_int_equal(nonce_consume(t, n, dev_b, 1000, NULL),
			 NONCE_WRONG_DEVICE);
	/* B could not burn A's challenge */
	assert_int_equal(nonce_table_count(t), 1);
	assert_int_equal(nonce_consume(t, n, dev_a, 1000, NULL), NONCE_OK);
	nonce_table_free(t);
}

static void test_payload(void **state)
{
	struct nonce_table *t;
	uint8_t n[HROT_NONCE_SIZE], secret[32], got[32], none[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(secret); i++)
		secret[i] = (uint8_t)(0xa0 + i);
	assert_int_equal(nonce_table_new(30, 8, &t), 0);
	assert_int_equal(nonce_issue(t, dev_a, 1000, secret, n), 0);
	memset(got, 0x55, sizeof(got));
	/* no payload on a refusal */
	assert_int_equal(nonce_consume(t, n, dev_b, 1000, got),
			 NONCE_WRONG_DEVICE);
	assert_memory_not_equal(got, secret, sizeof(got));
	assert_int_equal(nonce_consume(t, n, dev_a, 1000, got), NONCE_OK);
	assert_memory_equal(got, secret, sizeof(got));
	/* a challenge without payload gives zeros, not stale bytes */
	assert_int_equal(nonce_issue(t, dev_a, 1000, NULL, n), 0);
	memset(none, 0, sizeof(none));
	assert_int_equal(nonce_consume(t, n, dev_a, 1000, got), NONCE_OK);
	assert_memory_equal(got, none, sizeof(got));
	nonce_table_free(t);
}

static void test_bound_and_eviction(void **state)
{
	struct nonce_table *t;
	uint8_t n[4][HROT_NONCE_SIZE], extra[HROT_NONCE_SIZE];
	int i;

	(void)state;
	assert_int_equal(nonce_table_new(10, 4, &t), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(nonce_issue(t, dev_a, 1000 + i, NULL, n[i]), 0);
	/* full of live challenges: refused, nothing dropped */
	assert_int_equal(nonce_issue(t, dev_a, 1005, NULL, extra), -EBUSY);
	assert_int_equal(nonce_table_count(t), 4);
	/* at 1011 the first one (expires 1010) is evicted to make room */
	assert_int_equal(nonce_issue(t, dev_a, 1011, NULL, extra), 0);
	assert_int_equal(nonce_table_count(t), 4);
	assert_int_equal(nonce_consume(t, n[0], dev_a, 1011, NULL),
			 NONCE_UNKNOWN);
	assert_int_equal(nonce_consume(t, n[1], dev_a, 1011, NULL), NONCE_OK);
	assert_int_equal(nonce_consume(t, extra, dev_a, 1011, NULL), NONCE_OK);
	/* much later, everything old goes at once */
	assert_int_equal(nonce_issue(t, dev_b, 5000, NULL, extra), 0);
	assert_int_equal(nonce_table_count(t), 1);
	nonce_table_free(t);
}

static void test_distinct_and_args(void **state)
{
	struct nonce_table *t;
	uint8_t a[HROT_NONCE_SIZE], b[HROT_NONCE_SIZE];

	(void)state;
	assert_int_equal(nonce_table_new(30, 0, &t), -EINVAL);
	assert_null(t);
	assert_int_equal(nonce_table_new(30, 2, &t), 0);
	assert_int_equal(nonce_issue(t, dev_a, 1, NULL, a), 0);
	assert_int_equal(nonce_issue(t, dev_a, 1, NULL, b), 0);
	assert_memory_not_equal(a, b, HROT_NONCE_SIZE);
	assert_int_equal(nonce_issue(t, NULL, 1, NULL, b), -EINVAL);
	nonce_table_free(t);
	nonce_table_free(NULL);
}

#define THREADS		8
#define PER_THREAD	2000

struct worker {
	struct nonce_table *t;
	uint8_t dev[HROT_DEVICE_NAME_SIZE];
	int ok, bad;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	uint8_t n[HROT_NONCE_SIZE];
	int i;

	for (i = 0; i < PER_THREAD; i++) {
		enum nonce_result first, again;

		if (nonce_issue(w->t, w->dev, 1000, NULL, n)) {
			w->bad++;
			continue;
		}
		first = nonce_consume(w->t, n, w->dev, 1000, NULL);
		again = nonce_consume(w->t, n, w->dev, 1000, NULL);
		if (first == NONCE_OK && again == NONCE_UNKNOWN)
			w->ok++;
		else
			w->bad++;
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct worker w[THREADS];
	pthread_t th[THREADS];
	struct nonce_table *t;
	int i;

	(void)state;
	assert_int_equal(nonce_table_new(30, THREADS, &t), 0);
	for (i = 0; i < THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].t = t;
		w[i].dev[0] = (uint8_t)i;
		assert_int_equal(pthread_create(&th[i], NULL, worker_run, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(w[i].ok, PER_THREAD);
		assert_int_equal(w[i].bad, 0);
	}
	assert_int_equal(nonce_table_count(t), 0);
	nonce_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_use),
		cmocka_unit_test(test_never_issued),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_wrong_device),
		cmocka_unit_test(test_payload),
		cmocka_unit_test(test_bound_and_eviction),
		cmocka_unit_test(test_distinct_and_args),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
