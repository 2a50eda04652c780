// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: group commit (commit.h) on a real SQLite store: concurrent
 * submitters all committed in fewer transactions than jobs, max_batch
 * respected, a failing job undone alone while the rest of its batch
 * commits, submission order kept, commit_stop draining the queue.
 *
 * A "gate" job holds the writer inside a transaction so that the jobs
 * submitted meanwhile are known to form the next batches: the batch
 * counts asserted are then exact, not a matter of timing.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "commit.h"
#include "store.h"
#include "support_tmpdir.h"

/* Longest any wait in these tests may take before it is a failure. */
#define WAIT_S 60

struct fixture {
	char *dir;
	struct store *st;
	struct store_reader *r;
	struct committer *c;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int done, ok;
	bool gate_started, gate_open;
};

enum job_kind { JOB_AUDIT, JOB_FAIL_AFTER_WRITE, JOB_DUP_DEVICE,
		JOB_POSITIVE, JOB_NESTED_SYNC };

struct tjob {
	struct commit_job job;
	struct fixture *f;
	enum job_kind kind;
	int thread, seq;
	int result;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char *db;

	assert_non_null(f);
	f->dir = support_tmpdir_make();
	assert_non_null(f->dir);
	db = support_path(f->dir, "hrot.db");
	assert_int_equal(store_open(db, &f->st), 0);
	free(db);
	assert_int_equal(store_reader_open(f->st, &f->r), 0);
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	commit_stop(f->c);
	store_reader_close(f->r);
	store_close(f->st);
	pthread_cond_destroy(&f->cond);
	pthread_mutex_destroy(&f->lock);
	support_tmpdir_remove(f->dir);
	free(f);
	return 0;
}

static int audit(struct store_tx *tx, const char *action, int thread, int seq)
{
	struct store_audit a = { .time = seq, .ok = true };

	snprintf(a.action, sizeof(a.action), "%s", action);
	snprintf(a.detail, sizeof(a.detail), "%d %d", thread, seq);
	return store_tx_audit(tx, &a);
}

static int job_run(struct store_tx *tx, void *arg)
{
	struct tjob *j = arg;
	struct store_device d = { .ek_public = (uint8_t *)"e",
				  .ek_public_len = 1,
				  .ak_public = (uint8_t *)"a",
				  .ak_public_len = 1 };
	int err = audit(tx, j->kind == JOB_AUDIT ? "job" : "undone",
			j->thread, j->seq);

	if (err)
		return err;
	switch (j->kind) {
	case JOB_FAIL_AFTER_WRITE:
		return -EINVAL;
	case JOB_DUP_DEVICE:
		err = store_tx_device_insert(tx, &d);
		return err ? err : store_tx_device_insert(tx, &d);
	case JOB_POSITIVE:
		return 1;
	case JOB_NESTED_SYNC:
		return commit_run_sync(j->f->c, job_run, j) == -EDEADLK ?
			-EDEADLK : -EINVAL;
	default:
		return 0;
	}
}

static void job_done(struct commit_job *job, int result)
{
	struct tjob *j = (struct tjob *)job;
	struct fixture *f = j->f;

	j->result = result;
	pthread_mutex_lock(&f->lock);
	f->done++;
	f->ok += result == 0;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

static void submit(struct fixture *f, struct tjob *j, enum job_kind kind,
		   int thread, int seq)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->kind = kind;
	j->thread = thread;
	j->seq = seq;
	j->result = 1;
	j->job.run = job_run;
	j->job.done = job_done;
	j->job.arg = j;
	commit_submit(f->c, &j->job);
}

static void deadline(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += WAIT_S;
}

/* Wait until @n jobs have completed. */
static void wait_done(struct fixture *f, int n)
{
	struct timespec ts;
	int rc = 0;

	deadline(&ts);
	pthread_mutex_lock(&f->lock);
	while (f->done < n && rc == 0)
		rc = pthread_cond_timedwait(&f->cond, &f->lock, &ts);
	pthread_mutex_unlock(&f->lock);
	assert_int_equal(rc, 0);
}

/* ---- the gate ---- */

static int gate_run(struct store_tx *tx, void *arg)
{
	struct fixture *f = arg;
	struct timespec ts;

	(void)tx;
	deadline(&ts);
	pthread_mutex_lock(&f->lock);
	f->gate_started = true;
	pthread_cond_broadcast(&f->cond);
	while (!f->gate_open)
		if (pthread_cond_timedwait(&f->cond, &f->lock, &ts))
			break;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static void gate_done(struct commit_job *job, int result)
{
	(void)job;
	(void)result;
}

static struct commit_job gate_job = { .run = gate_run, .done = gate_done };

static void gate_close(struct fixture *f)
{
	struct timespec ts;
	int rc = 0;

	gate_job.arg = f;
	commit_submit(f->c, &gate_job);
	deadline(&ts);
	pthread_mutex_lock(&f->lock);
	while (!f->gate_started && rc == 0)
		rc = pthread_cond_timedwait(&f->cond, &f->lock, &ts);
	pthread_mutex_unlock(&f->lock);
	assert_int_equal(rc, 0);
}

static void gate_open(struct fixture *f)
{
	pthread_mutex_lock(&f->lock);
	f->gate_open = true;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

/* ---- tests ---- */

#define THREADS	8
#define PER_THREAD 250
#define TOTAL 2000
_Static_assert(TOTAL == THREADS * PER_THREAD, "TOTAL");

struct submitter {
	struct fixture *f;
	int thread;
	struct tjob jobs[PER_THREAD];
};

static void *submit_main(void *arg)
{
	struct submitter *s = arg;
	int i;

	for (i = 0; i < PER_THREAD; i++)
		submit(s->f, &s->jobs[i], JOB_AUDIT, s->thread, i);
	return NULL;
}

/* Every record of @action; checks each thread's order of submission. */
static size_t check_audit_order(struct fixture *f, const char *action)
{
	long last[THREADS];
	struct store_audit *list;
	size_t n, i, count = 0;

	for (i = 0; i < THREADS; i++)
		last[i] = -1;
	assert_int_equal(store_audit_list(f->r, 0, NULL, (size_t)TOTAL * 10,
					  &list, &n), 0);
	for (i = 0; i < n; i++) {
		char *end;
		long t, seq;

		if (strcmp(list[i].action, action) != 0)
			continue;
		t = strtol(list[i].detail, &end, 10);
		assert_true(*end == ' ');
		seq = strtol(end + 1, &end, 10);
		assert_true(*end == '\0');
		assert_in_range(t, 0, THREADS - 1);
		assert_true(seq > last[t]);
		last[t] = seq;
		count++;
	}
	free(list);
	return count;
}

static void test_threads_batched(void **state)
{
	struct fixture *f = *state;
	struct submitter *subs = calloc(THREADS, sizeof(*subs));
	pthread_t th[THREADS];
	struct commit_stats stats;
	int i, j;

	assert_non_null(subs);
	assert_int_equal(commit_start(f->st, 0, &f->c), 0);
	for (i = 0; i < THREADS; i++) {
		subs[i].f = f;
		subs[i].thread = i;
		assert_int_equal(pthread_create(&th[i], NULL, submit_main,
						&subs[i]), 0);
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	wait_done(f, TOTAL);
	assert_int_equal(f->ok, TOTAL);
	for (i = 0; i < THREADS; i++)
		for (j = 0; j < PER_THREAD; j++)
			assert_int_equal(subs[i].jobs[j].result, 0);
	commit_get_stats(f->c, &stats);
	assert_int_equal(stats.jobs, TOTAL);
	assert_true(stats.batches >= TOTAL / 256);
	/* Group commit happened: fewer transactions than jobs. */
	assert_true(stats.batches < TOTAL);
	printf("  %d jobs in %llu transactions\n", TOTAL, stats.batches);
	assert_int_equal(check_audit_order(f, "job"), TOTAL);
	assert_int_equal(store_integrity_check(f->st), 0);
	free(subs);
}

static void test_max_batch(void **state)
{
	struct fixture *f = *state;
	struct tjob *jobs = calloc(TOTAL, sizeof(*jobs));
	struct commit_stats stats;
	int i;

	assert_non_null(jobs);
	assert_int_equal(commit_start(f->st, 64, &f->c), 0);
	gate_close(f);
	for (i = 0; i < TOTAL; i++)
		submit(f, &jobs[i], JOB_AUDIT, i % THREADS, i);
	gate_open(f);
	wait_done(f, TOTAL);
	assert_int_equal(f->ok, TOTAL);
	commit_get_stats(f->c, &stats);
	/* The gate's own batch, then 2000 jobs 64 at a time. */
	assert_int_equal(stats.jobs, TOTAL + 1);
	assert_int_equal(stats.batches, 1 + (TOTAL + 63) / 64);
	assert_int_equal(check_audit_order(f, "job"), TOTAL);
	free(jobs);
}

static void test_failure_undoes_only_itself(void **state)
{
	struct fixture *f = *state;
	struct tjob j[7];
	struct commit_stats stats;
	struct store_audit *list;
	size_t n;

	assert_int_equal(commit_start(f->st, 0, &f->c), 0);
	gate_close(f);
	submit(f, &j[0], JOB_AUDIT, 0, 0);
	submit(f, &j[1], JOB_FAIL_AFTER_WRITE, 0, 1);
	submit(f, &j[2], JOB_AUDIT, 0, 2);
	submit(f, &j[3], JOB_DUP_DEVICE, 0, 3);
	submit(f, &j[4], JOB_POSITIVE, 0, 4);
	submit(f, &j[5], JOB_NESTED_SYNC, 0, 5);
	submit(f, &j[6], JOB_AUDIT, 0, 6);
	gate_open(f);
	wait_done(f, 7);
	assert_int_equal(j[0].result, 0);
	assert_int_equal(j[1].result, -EINVAL);
	assert_int_equal(j[2].result, 0);
	assert_int_equal(j[3].result, -EEXIST);
	assert_int_equal(j[4].result, -EINVAL);
	assert_int_equal(j[5].result, -EDEADLK);
	assert_int_equal(j[6].result, 0);
	commit_get_stats(f->c, &stats);
	assert_int_equal(stats.batches, 2);	/* gate, then all seven */

	/* Only the successful jobs' writes are there, in order. */
	assert_int_equal(store_audit_list(f->r, 0, NULL, 100, &list, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].detail, "0 0");
	assert_string_equal(list[1].detail, "0 2");
	assert_string_equal(list[2].detail, "0 6");
	free(list);
	{
		struct store_device *devs;

		assert_int_equal(store_device_list(f->r, &devs, &n), 0);
		assert_int_equal(n, 0);
		store_devices_free(devs, n);
	}
}

static int sync_run(struct store_tx *tx, void *arg)
{
	int *v = arg;

	return *v ? -ENOENT : audit(tx, "sync", 0, 0);
}

static void test_run_sync(void **state)
{
	struct fixture *f = *state;
	struct store_audit *list;
	struct commit_stats stats;
	int fail = 0;
	size_t n;

	assert_int_equal(commit_start(f->st, 0, &f->c), 0);
	assert_int_equal(commit_run_sync(f->c, sync_run, &fail), 0);
	/* Durable and visible on return. */
	assert_int_equal(store_audit_list(f->r, 0, NULL, 10, &list, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].action, "sync");
	free(list);
	fail = 1;
	assert_int_equal(commit_run_sync(f->c, sync_run, &fail), -ENOENT);
	assert_int_equal(commit_run_sync(f->c, NULL, NULL), -EINVAL);
	commit_get_stats(f->c, &stats);
	assert_int_equal(stats.jobs, 3);
	assert_int_equal(stats.batches, 3);
}

static void test_stop_drains(void **state)
{
	struct fixture *f = *state;
	struct tjob jobs[100];
	size_t n;
	struct store_audit *list;
	int i;

	assert_int_equal(commit_start(f->st, 8, &f->c), 0);
	for (i = 0; i < 100; i++)
		submit(f, &jobs[i], JOB_AUDIT, 0, i);
	commit_stop(f->c);
	f->c = NULL;
	/* No waiting: stop returned after every job completed. */
	assert_int_equal(f->done, 100);
	assert_int_equal(f->ok, 100);
	assert_int_equal(store_audit_list(f->r, 0, NULL, 1000, &list, &n), 0);
	assert_int_equal(n, 100);
	free(list);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_threads_batched),
		T(test_max_batch),
		T(test_failure_undoes_only_itself),
		T(test_run_sync),
		T(test_stop_drains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
