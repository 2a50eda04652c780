/* SPDX-License-Identifier: GPL-2.0 */
/*
 * commit.h - group commit: one writer thread owns every write.
 *
 * A job is queued with commit_submit(); the writer takes every job queued,
 * runs each one's @run under its own savepoint in one transaction, commits
 * (durable on return) and then calls each job's @done with the job's result:
 * the result of @run, or -EIO if the COMMIT itself failed (then every job
 * of that batch failed).  @done runs on the writer thread: it must only
 * hand the result back (event_active() to the request's worker), never
 * block.  Jobs run in the order they were submitted.
 */
#ifndef HROT_VERIFIER_COMMIT_H
#define HROT_VERIFIER_COMMIT_H

#include <stddef.h>

struct store;
struct store_tx;

struct commit_job {
	/* In the transaction: 0 keeps the job's writes, < 0 undoes them. */
	int (*run)(struct store_tx *tx, void *arg);
	/* After the commit (or its failure): @result as described above. */
	void (*done)(struct commit_job *job, int result);
	void *arg;
	struct commit_job *next;	/* the queue's; not for callers */
};

struct committer;

/* @max_batch: most jobs per transaction (0: default 256). */
int commit_start(struct store *st, size_t max_batch, struct committer **out);
/* Runs what is queued, then stops the thread. */
void commit_stop(struct committer *c);
void commit_submit(struct committer *c, struct commit_job *job);
/* Submit and wait (for the admin API, start-up and tests): the result. */
int commit_run_sync(struct committer *c,
		    int (*run)(struct store_tx *tx, void *arg), void *arg);

struct commit_stats {
	unsigned long long jobs;
	unsigned long long batches;	/* = transactions = fsyncs */
};
void commit_get_stats(struct committer *c, struct commit_stats *out);

#endif /* HROT_VERIFIER_COMMIT_H */
