// SPDX-License-Identifier: GPL-2.0
/*
 * store_util.c - the SQLite backend's plumbing: connections, the cache of
 * prepared statements, SQLite result codes to errno, and column helpers
 * that refuse a row whose values do not fit the structures of store.h
 * (a corrupt or foreign database is -EIO, never a truncated value).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

int store_conn_open(struct store_conn *c, const char *path, bool readonly)
{
	int flags = SQLITE_OPEN_NOMUTEX | (readonly ? SQLITE_OPEN_READONLY :
			SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	int rc;

	memset(c, 0, sizeof(*c));
	rc = sqlite3_open_v2(path, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "store: open %s: %s\n", path,
			c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		sqlite3_close(c->db);
		c->db = NULL;
		return rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, STORE_BUSY_TIMEOUT_MS);
	return 0;
}

void store_conn_close(struct store_conn *c)
{
	size_t i;

	for (i = 0; i < c->nr_stmts; i++)
		sqlite3_finalize(c->stmts[i].stmt);
	c->nr_stmts = 0;
	if (c->db && sqlite3_close(c->db) != SQLITE_OK)
		fprintf(stderr, "store: close: %s\n", sqlite3_errmsg(c->db));
	c->db = NULL;
}

/* Statements without parameters run once: pragmas, migrations. */
int store_conn_exec(struct store_conn *c, const char *sql, const char *what)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);

	if (rc == SQLITE_OK)
		return 0;
	fprintf(stderr, "store: %s: %s\n", what,
		msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
}

/*
 * The statement for @sql, prepared on first use.  @sql must be a static
 * string: the cache compares addresses.  Release it with store_finish().
 */
int store_prepare(struct store_conn *c, const char *sql, sqlite3_stmt **out)
{
	struct store_stmt_slot *slot;
	size_t i;
	int rc;

	for (i = 0; i < c->nr_stmts; i++) {
		if (c->stmts[i].sql == sql) {
			*out = c->stmts[i].stmt;
			return 0;
		}
	}
	if (c->nr_stmts == STORE_STMT_MAX) {
		fprintf(stderr, "store: statement cache full (%d)\n",
			STORE_STMT_MAX);
		return -EIO;
	}
	slot = &c->stmts[c->nr_stmts];
	rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				&slot->stmt, NULL);
	if (rc != SQLITE_OK)
		return store_error(c, rc, "prepare");
	slot->sql = sql;
	c->nr_stmts++;
	*out = slot->stmt;
	return 0;
}

void store_finish(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/*
 * SQLite's result to errno.  Constraint violations are the caller's
 * (a key taken, a row referred to missing, a value out of range); every
 * other failure is the backend's, logged here once.
 */
int store_error(struct store_conn *c, int rc, const char *what)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_UNIQUE:
		return -EEXIST;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return -ENOENT;
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL:
		return -EINVAL;
	case SQLITE_NOMEM:
		return -ENOMEM;
	default:
		fprintf(stderr, "store: %s: %s (%s)\n", what,
			sqlite3_errmsg(c->db), sqlite3_errstr(rc));
		return -EIO;
	}
}

int store_corrupt(const char *what)
{
	fprintf(stderr, "store: corrupt row: %s\n", what);
	return -EIO;
}

/* Step a statement that returns no row, then release it. */
int store_step_write(struct store_conn *c, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	int err = rc == SQLITE_DONE ? 0 : store_error(c, rc, what);

	store_finish(s);
	return err;
}

/* As store_step_write(), for an UPDATE that must match a row. */
int store_step_update(struct store_conn *c, sqlite3_stmt *s, const char *what)
{
	int err = store_step_write(c, s, what);

	if (!err && sqlite3_changes(c->db) == 0)
		err = -ENOENT;
	return err;
}

static const char SQL_BEGIN[] = "BEGIN";
static const char SQL_END[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

static int store_simple(struct store_conn *c, const char *sql)
{
	sqlite3_stmt *s;
	int err = store_prepare(c, sql, &s);

	return err ? err : store_step_write(c, s, sql);
}

/* One snapshot for a read made of several statements. */
int store_read_begin(struct store_conn *c)
{
	return store_simple(c, SQL_BEGIN);
}

void store_read_end(struct store_conn *c)
{
	if (sqlite3_get_autocommit(c->db))
		return;
	if (store_simple(c, SQL_END))
		store_simple(c, SQL_ROLLBACK);
}

bool store_text_fits(const char *s, size_t size)
{
	return s && memchr(s, '\0', size);
}

bool store_all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc |= b[i];
	return acc == 0;
}

int store_bind_text(sqlite3_stmt *s, int col, const char *text)
{
	return sqlite3_bind_text(s, col, text ? text : "", -1, SQLITE_STATIC);
}

/* A blob of exactly @size bytes. */
int store_col_fixed(sqlite3_stmt *s, int col, void *dst, size_t size,
		    const char *what)
{
	if (sqlite3_column_type(s, col) != SQLITE_BLOB ||
	    (size_t)sqlite3_column_bytes(s, col) != size)
		return store_corrupt(what);
	memcpy(dst, sqlite3_column_blob(s, col), size);
	return 0;
}

/* A copy of a blob; NULL or empty gives NULL, 0. */
int store_col_dup(sqlite3_stmt *s, int col, uint8_t **dst, size_t *len)
{
	const void *p = sqlite3_column_blob(s, col);
	size_t n = (size_t)sqlite3_column_bytes(s, col);

	*dst = NULL;
	*len = 0;
	if (!p || n == 0)
		return 0;
	*dst = malloc(n);
	if (!*dst)
		return -ENOMEM;
	memcpy(*dst, p, n);
	*len = n;
	return 0;
}

/* Text into a fixed array (NULL gives ""); too long for it is corrupt. */
int store_col_text(sqlite3_stmt *s, int col, char *dst, size_t size,
		   const char *what)
{
	const unsigned char *p = sqlite3_column_text(s, col);
	size_t n = (size_t)sqlite3_column_bytes(s, col);

	if (!p) {
		dst[0] = '\0';
		return 0;
	}
	if (n >= size)
		return store_corrupt(what);
	memcpy(dst, p, n + 1);
	return 0;
}

int store_col_text_dup(sqlite3_stmt *s, int col, char **dst)
{
	const unsigned char *p = sqlite3_column_text(s, col);

	*dst = NULL;
	if (!p)
		return 0;
	*dst = strdup((const char *)p);
	return *dst ? 0 : -ENOMEM;
}
