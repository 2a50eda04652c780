// SPDX-License-Identifier: GPL-2.0
/*
 * commit.c - group commit: the one thread that writes the store.
 *
 * Submitters append jobs to a FIFO under a mutex and signal a condition
 * variable.  The writer takes everything queued (at most max_batch jobs),
 * runs them in one transaction, each under its own savepoint, commits, and
 * only then completes them.  While it commits (one fsync), new jobs queue
 * up and form the next batch: under load the batch grows and the cost of
 * the fsync per job falls.
 *
 * If the transaction itself breaks (BEGIN, a savepoint, or COMMIT fails,
 * or SQLite rolls back on an I/O error), every job of the batch completes
 * with -EIO: none of their writes may be assumed durable.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commit.h"
#include "store.h"

#define COMMIT_DEFAULT_BATCH	256

struct committer {
	struct store *st;
	size_t max_batch;
	int *results;			/* max_batch, the writer's */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct commit_job *head, *tail;	/* under lock */
	bool stopping;			/* under lock */
	struct commit_stats stats;	/* under lock */
};

/* Take up to max_batch jobs off the queue; NULL when stopped and empty. */
static struct commit_job *take_batch(struct committer *c, size_t *n)
{
	struct commit_job *first, *last;
	size_t k = 1;

	pthread_mutex_lock(&c->lock);
	while (!c->head && !c->stopping)
		pthread_cond_wait(&c->wake, &c->lock);
	first = c->head;
	if (!first) {
		pthread_mutex_unlock(&c->lock);
		return NULL;
	}
	for (last = first; last->next && k < c->max_batch; last = last->next)
		k++;
	c->head = last->next;
	if (!c->head)
		c->tail = NULL;
	last->next = NULL;
	pthread_mutex_unlock(&c->lock);
	*n = k;
	return first;
}

/* One job under its savepoint; false when the transaction broke. */
static bool run_job(struct store_tx *tx, struct commit_job *job, int *result)
{
	int r;

	if (store_tx_savepoint(tx))
		return false;
	r = job->run ? job->run(tx, job->arg) : -EINVAL;
	if (r > 0)
		r = -EINVAL;	/* not a documented result: fail closed */
	*result = r;
	if (r && store_tx_rollback_to(tx))
		return false;
	return store_tx_release(tx) == 0;
}

/* The batch's results, or -EIO for each when the transaction failed. */
static void run_batch(struct committer *c, struct commit_job *jobs, size_t n)
{
	struct store_tx *tx;
	struct commit_job *job;
	bool ok = store_tx_begin(c->st, &tx) == 0;
	size_t i = 0;

	for (job = jobs; ok && job; job = job->next)
		ok = run_job(tx, job, &c->results[i++]);
	if (ok)
		ok = store_tx_commit(tx) == 0;
	else if (tx)
		store_tx_abort(tx);
	if (!ok) {
		for (i = 0; i < n; i++)
			c->results[i] = -EIO;
	}
}

static void complete_batch(struct committer *c, struct commit_job *jobs,
			   size_t n)
{
	struct commit_job *job, *next;
	size_t i = 0;

	pthread_mutex_lock(&c->lock);
	c->stats.jobs += n;
	c->stats.batches++;
	pthread_mutex_unlock(&c->lock);
	/* @done may free or requeue its job: read next first. */
	for (job = jobs; job; job = next) {
		next = job->next;
		job->next = NULL;
		if (job->done)
			job->done(job, c->results[i]);
		i++;
	}
}

static void *writer_main(void *arg)
{
	struct committer *c = arg;
	struct commit_job *jobs;
	size_t n = 0;

	while ((jobs = take_batch(c, &n))) {
		run_batch(c, jobs, n);
		complete_batch(c, jobs, n);
	}
	return NULL;
}

/* The writer takes no signal: they belong to the main thread. */
static int start_thread(struct committer *c)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&c->thread, NULL, writer_main, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -err;
}

int commit_start(struct store *st, size_t max_batch, struct committer **out)
{
	struct committer *c;
	int err;

	*out = NULL;
	if (!st)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->st = st;
	c->max_batch = max_batch ? max_batch : COMMIT_DEFAULT_BATCH;
	c->results = calloc(c->max_batch, sizeof(*c->results));
	if (!c->results) {
		free(c);
		return -ENOMEM;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	err = start_thread(c);
	if (err) {
		fprintf(stderr, "commit: writer thread: %s\n", strerror(-err));
		pthread_cond_destroy(&c->wake);
		pthread_mutex_destroy(&c->lock);
		free(c->results);
		free(c);
		return err;
	}
	*out = c;
	return 0;
}

void commit_stop(struct committer *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stopping = true;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_cond_destroy(&c->wake);
	pthread_mutex_destroy(&c->lock);
	free(c->results);
	free(c);
}

void commit_submit(struct committer *c, struct commit_job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&c->lock);
	if (c->tail)
		c->tail->next = job;
	else
		c->head = job;
	c->tail = job;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
}

struct sync_wait {
	struct commit_job job;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	int result;
};

static void sync_done(struct commit_job *job, int result)
{
	struct sync_wait *w = (struct sync_wait *)job;

	pthread_mutex_lock(&w->lock);
	w->result = result;
	w->done = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

int commit_run_sync(struct committer *c,
		    int (*run)(struct store_tx *tx, void *arg), void *arg)
{
	struct sync_wait w = {
		.job = { .run = run, .done = sync_done, .arg = arg },
	};

	/* From a job, waiting for the writer would wait for ourselves. */
	if (pthread_equal(pthread_self(), c->thread))
		return -EDEADLK;
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	commit_submit(c, &w.job);
	pthread_mutex_lock(&w.lock);
	while (!w.done)
		pthread_cond_wait(&w.cond, &w.lock);
	pthread_mutex_unlock(&w.lock);
	pthread_cond_destroy(&w.cond);
	pthread_mutex_destroy(&w.lock);
	return w.result;
}

void commit_get_stats(struct committer *c, struct commit_stats *out)
{
	pthread_mutex_lock(&c->lock);
	*out = c->stats;
	pthread_mutex_unlock(&c->lock);
}
