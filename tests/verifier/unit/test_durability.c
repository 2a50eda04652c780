// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: acknowledged writes survive kill -9.
 *
 * A child process opens the store and, from several threads, submits
 * commit jobs as fast as it can: each inserts an audit record, and every
 * fourth also a device.  When a job's done() reports success the child
 * writes the job's key to a pipe: that is the acknowledgement a client
 * would get.  The parent collects acknowledgements for a while, kills the
 * child with SIGKILL in the middle of its load, reopens the store and
 * checks that every acknowledged write is there and that the database
 * passes integrity_check.  Then once more on the recovered database.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "commit.h"
#include "store.h"
#include "support_tmpdir.h"

#define CHILD_THREADS	4
#define IN_FLIGHT	32	/* per thread */
#define LOAD_MS		1200	/* acknowledgements collected per round */
#define ROUNDS		2

struct ack {
	uint64_t key;
	uint32_t is_device;
};

/* ---- the child ---- */

struct load_thread {
	struct committer *c;
	int ack_fd;
	unsigned int index;
	unsigned int round;
	sem_t slots;
};

struct load_job {
	struct commit_job job;
	struct load_thread *t;
	struct ack ack;
};

static void device_id_of(uint64_t key, uint8_t *id)
{
	memset(id, 0xd0, HROT_DEVICE_NAME_SIZE);
	id[0] = 0x00;
	id[1] = 0x0b;
	memcpy(id + 2, &key, sizeof(key));
}

static int load_run(struct store_tx *tx, void *arg)
{
	struct load_job *j = arg;
	struct store_audit a = { .time = (int64_t)time(NULL), .ok = true };
	static uint8_t blob[] = { 0x00, 0x01, 0x02 };
	struct store_device d = { .ek_public = blob, .ek_public_len = 3,
				  .ak_public = blob, .ak_public_len = 3 };
	int err;

	snprintf(a.action, sizeof(a.action), "load");
	snprintf(a.detail, sizeof(a.detail), "k=%llu",
		 (unsigned long long)j->ack.key);
	err = store_tx_audit(tx, &a);
	if (err || !j->ack.is_device)
		return err;
	device_id_of(j->ack.key, d.id);
	d.registered_at = a.time;
	return store_tx_device_insert(tx, &d);
}

/* On the writer thread, after COMMIT returned: acknowledge. */
static void load_done(struct commit_job *job, int result)
{
	struct load_job *j = (struct load_job *)job;
	struct load_thread *t = j->t;

	if (result == 0 &&
	    write(t->ack_fd, &j->ack, sizeof(j->ack)) != sizeof(j->ack))
		_exit(3);
	free(j);
	sem_post(&t->slots);
}

static void *load_main(void *arg)
{
	struct load_thread *t = arg;
	uint64_t seq;

	for (seq = 0;; seq++) {
		struct load_job *j = calloc(1, sizeof(*j));

		if (!j)
			_exit(4);
		sem_wait(&t->slots);
		j->t = t;
		j->ack.key = (uint64_t)t->round << 56 |
			     (uint64_t)t->index << 48 | seq;
		j->ack.is_device = seq % 4 == 0;
		j->job.run = load_run;
		j->job.done = load_done;
		j->job.arg = j;
		commit_submit(t->c, &j->job);
	}
	return NULL;
}

static void child(const char *db, int ack_fd, unsigned int round)
{
	static struct load_thread threads[CHILD_THREADS];
	struct committer *c;
	struct store *st;
	pthread_t th;
	unsigned int i;

	/* Never outlive the test. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(30);
	if (store_open(db, &st) || commit_start(st, 0, &c))
		_exit(2);
	for (i = 0; i < CHILD_THREADS; i++) {
		threads[i].c = c;
		threads[i].ack_fd = ack_fd;
		threads[i].index = i;
		threads[i].round = round;
		sem_init(&threads[i].slots, 0, IN_FLIGHT);
		if (pthread_create(&th, NULL, load_main, &threads[i]))
			_exit(5);
	}
	for (;;)
		pause();
}

/* ---- the parent ---- */

struct acks {
	struct ack *a;
	size_t n, cap;
};

static void acks_push(struct acks *acks, const struct ack *a)
{
	if (acks->n == acks->cap) {
		acks->cap = acks->cap ? acks->cap * 2 : 4096;
		acks->a = realloc(acks->a, acks->cap * sizeof(*acks->a));
		assert_non_null(acks->a);
	}
	acks->a[acks->n++] = *a;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Read whole acknowledgements from @fd until @until_ms, or until EOF when
 * @until_ms is negative.  A pipe write of one ack is atomic.
 */
static void read_acks(int fd, int64_t until_ms, struct acks *acks)
{
	struct ack a;

	for (;;) {
		int64_t left = until_ms < 0 ? 5000 : until_ms - now_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (left <= 0)
			return;
		if (poll(&p, 1, (int)left) <= 0)
			return;
		r = read(fd, &a, sizeof(a));
		if (r == 0)
			return;
		assert_int_equal(r, sizeof(a));
		acks_push(acks, &a);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Every "load" audit key in the store, sorted; read a page at a time. */
static uint64_t *stored_keys(struct store_reader *r, size_t *n)
{
	struct store_audit *list;
	uint64_t *keys = NULL, *grown;
	size_t nr, i, total = 0;
	int64_t after = 0;

	do {
		assert_int_equal(store_audit_list(r, after, NULL, 8192, &list,
						  &nr), 0);
		grown = realloc(keys, (total + nr + 1) * sizeof(*keys));
		assert_non_null(grown);
		keys = grown;
		for (i = 0; i < nr; i++) {
			char *end;

			assert_string_equal(list[i].action, "load");
			assert_true(strncmp(list[i].detail, "k=", 2) == 0);
			keys[total++] = strtoull(list[i].detail + 2, &end, 10);
			assert_true(*end == '\0');
			after = list[i].id;
		}
		free(list);
	} while (nr);
	qsort(keys, total, sizeof(*keys), cmp_u64);
	*n = total;
	return keys;
}

static void check_acked(const char *db, const struct acks *acks)
{
	struct store *st;
	struct store_reader *r;
	struct store_device d;
	uint8_t id[HROT_DEVICE_NAME_SIZE];
	uint64_t *keys;
	size_t nkeys, i, devices = 0;

	assert_int_equal(store_open(db, &st), 0);
	assert_int_equal(store_integrity_check(st), 0);
	assert_int_equal(store_reader_open(st, &r), 0);
	keys = stored_keys(r, &nkeys);
	assert_true(nkeys >= acks->n);
	for (i = 0; i < acks->n; i++) {
		const struct ack *a = &acks->a[i];

		if (!bsearch(&a->key, keys, nkeys, sizeof(*keys), cmp_u64))
			fail_msg("acknowledged audit record %llx lost",
				 (unsigned long long)a->key);
		if (!a->is_device)
			continue;
		device_id_of(a->key, id);
		assert_int_equal(store_device_get(r, id, &d), 0);
		store_device_free(&d);
		devices++;
	}
	printf("  %zu acknowledged (%zu devices), %zu stored: all present\n",
	       acks->n, devices, nkeys);
	free(keys);
	store_reader_close(r);
	store_close(st);
}

/* What teardown cleans up even when an assertion failed half-way. */
struct fixture {
	char *dir;
	pid_t child;
	struct acks acks;
};

static void run_round(struct fixture *f, const char *db, unsigned int round)
{
	struct acks *acks = &f->acks;
	int fds[2], status;
	size_t before = acks->n;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		child(db, fds[1], round);
		_exit(1);
	}
	f->child = pid;
	close(fds[1]);
	read_acks(fds[0], now_ms() + LOAD_MS, acks);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	f->child = 0;
	/* Killed under load, not dead of its own accord. */
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	/* What was written to the pipe before the kill was acknowledged. */
	read_acks(fds[0], -1, acks);
	close(fds[0]);
	assert_true(acks->n - before >= 100);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->dir = support_tmpdir_make();
	assert_non_null(f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->child > 0) {
		kill(f->child, SIGKILL);
		waitpid(f->child, NULL, 0);
	}
	free(f->acks.a);
	support_tmpdir_remove(f->dir);
	free(f);
	return 0;
}

static void test_kill9_keeps_acknowledged(void **state)
{
	struct fixture *f = *state;
	char *db = support_path(f->dir, "hrot.db");
	unsigned int round;

	for (round = 0; round < ROUNDS; round++) {
		run_round(f, db, round);
		check_acked(db, &f->acks);
	}
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kill9_keeps_acknowledged,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
