/* SPDX-License-Identifier: GPL-2.0 */
/*
 * store_sqlite.h - internals of the SQLite backend of store.h, shared by
 * store_sqlite.c (connections, transactions), store_schema.c (migrations),
 * store_util.c (statement cache, column helpers) and the table files
 * store_device.c, store_policy.c, store_audit.c.  Nothing outside the
 * backend includes it.
 *
 * A connection is used by one thread at a time (SQLITE_OPEN_NOMUTEX): the
 * writer connection by the commit thread, each reader by its worker.  Its
 * prepared statements are cached by the address of their SQL text, so
 * every statement is a static string defined next to the code using it.
 */
#ifndef HROT_VERIFIER_STORE_SQLITE_H
#define HROT_VERIFIER_STORE_SQLITE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Distinct SQL statements a connection may cache. */
#define STORE_STMT_MAX	64
/* How long a connection waits for a lock held by another one, in ms. */
#define STORE_BUSY_TIMEOUT_MS	5000

struct store_stmt_slot {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct store_conn {
	sqlite3 *db;
	size_t nr_stmts;
	struct store_stmt_slot stmts[STORE_STMT_MAX];
};

struct store_tx {
	struct store *st;
	bool active;
};

struct store {
	struct store_conn writer;	/* the commit thread's */
	struct store_tx tx;		/* at most one at a time */
	char *path;
};

struct store_reader {
	struct store_conn conn;
};

static inline struct store_conn *store_tx_conn(struct store_tx *tx)
{
	return &tx->st->writer;
}

/* store_util.c: connections and statements */
int store_conn_open(struct store_conn *c, const char *path, bool readonly);
void store_conn_close(struct store_conn *c);
int store_conn_exec(struct store_conn *c, const char *sql, const char *what);
int store_prepare(struct store_conn *c, const char *sql, sqlite3_stmt **out);
void store_finish(sqlite3_stmt *s);
int store_error(struct store_conn *c, int rc, const char *what);
int store_corrupt(const char *what);
int store_step_write(struct store_conn *c, sqlite3_stmt *s, const char *what);
int store_step_update(struct store_conn *c, sqlite3_stmt *s, const char *what);
int store_read_begin(struct store_conn *c);
void store_read_end(struct store_conn *c);

/* store_util.c: values */
bool store_text_fits(const char *s, size_t size);
bool store_all_zero(const void *p, size_t n);
int store_bind_text(sqlite3_stmt *s, int col, const char *text);
int store_col_fixed(sqlite3_stmt *s, int col, void *dst, size_t size,
		    const char *what);
int store_col_dup(sqlite3_stmt *s, int col, uint8_t **dst, size_t *len);
int store_col_text(sqlite3_stmt *s, int col, char *dst, size_t size,
		   const char *what);
int store_col_text_dup(sqlite3_stmt *s, int col, char **dst);

/* store_schema.c */
int store_migrate(struct store_conn *c);

#endif /* HROT_VERIFIER_STORE_SQLITE_H */
