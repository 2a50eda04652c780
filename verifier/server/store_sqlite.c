// SPDX-License-Identifier: GPL-2.0
/*
 * store_sqlite.c - the SQLite backend of store.h: opening the database,
 * reader connections, and the writer's transaction with its savepoints.
 *
 * The database runs in WAL mode so readers never wait for the writer, with
 * synchronous=FULL so that COMMIT returns only once the transaction is on
 * disk (the durability commit.h promises), and foreign keys on.  Readers
 * open their own SQLITE_OPEN_READONLY connection: a bug in a read path
 * cannot write.  The tables live in store_device.c, store_policy.c and
 * store_audit.c; the schema in store_schema.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_sqlite.h"

const char *store_device_state_name(enum store_device_state s)
{
	switch (s) {
	case STORE_DEV_PENDING:
		return "pending";
	case STORE_DEV_APPROVED:
		return "approved";
	case STORE_DEV_ENROLLED:
		return "enrolled";
	case STORE_DEV_REVOKED:
		return "revoked";
	}
	return "unknown";
}

/* A pragma that answers with one value: check that it took. */
static int store_pragma(struct store_conn *c, const char *sql,
			const char *expect)
{
	sqlite3_stmt *s;
	const unsigned char *v;
	int rc = sqlite3_prepare_v2(c->db, sql, -1, &s, NULL);
	int err = 0;

	if (rc != SQLITE_OK)
		return store_error(c, rc, sql);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = store_error(c, rc, sql);
	v = rc == SQLITE_ROW ? sqlite3_column_text(s, 0) : NULL;
	if (!err && expect && (!v || strcmp((const char *)v, expect) != 0)) {
		fprintf(stderr, "store: %s: got %s, not %s\n", sql,
			v ? (const char *)v : "nothing", expect);
		err = -EIO;
	}
	sqlite3_finalize(s);
	return err;
}

static int store_configure(struct store_conn *c)
{
	int err = store_pragma(c, "PRAGMA journal_mode=WAL", "wal");

	if (!err)
		err = store_pragma(c, "PRAGMA synchronous=FULL", NULL);
	if (!err)
		err = store_pragma(c, "PRAGMA foreign_keys=ON", NULL);
	if (!err)
		err = store_pragma(c, "PRAGMA foreign_keys", "1");
	return err;
}

/* SQLite would create the file 0644 under a usual umask: make it 0600. */
static int store_create_file(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0) {
		int err = -errno;

		fprintf(stderr, "store: %s: %s\n", path, strerror(errno));
		return err;
	}
	close(fd);
	return 0;
}

int store_open(const char *path, struct store **out)
{
	struct store *st;
	int err;

	*out = NULL;
	if (!path || !*path)
		return -EINVAL;
	err = store_create_file(path);
	if (err)
		return err;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->path = strdup(path);
	st->tx.st = st;
	err = st->path ? store_conn_open(&st->writer, path, false) : -ENOMEM;
	if (!err)
		err = store_configure(&st->writer);
	if (!err)
		err = store_migrate(&st->writer);
	if (err) {
		store_close(st);
		return err;
	}
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (st->tx.active)
		store_tx_abort(&st->tx);
	store_conn_close(&st->writer);
	free(st->path);
	free(st);
}

static int integrity_rows(struct store_conn *c, sqlite3_stmt *s)
{
	int rows = 0, bad = 0, rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(s, 0);

		rows++;
		if (!v || strcmp((const char *)v, "ok") != 0) {
			fprintf(stderr, "store: integrity: %s\n",
				v ? (const char *)v : "(null)");
			bad++;
		}
	}
	if (rc != SQLITE_DONE)
		return store_error(c, rc, "integrity_check");
	return rows == 1 && !bad ? 0 : -EIO;
}

/* On a connection of its own, so any thread may call it. */
int store_integrity_check(struct store *st)
{
	struct store_conn c;
	sqlite3_stmt *s;
	int err = store_conn_open(&c, st->path, true);
	int rc;

	if (err)
		return err;
	rc = sqlite3_prepare_v2(c.db, "PRAGMA integrity_check", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		err = integrity_rows(&c, s);
		sqlite3_finalize(s);
	} else {
		err = store_error(&c, rc, "integrity_check");
	}
	store_conn_close(&c);
	return err;
}

int store_reader_open(struct store *st, struct store_reader **out)
{
	struct store_reader *r = calloc(1, sizeof(*r));
	int err;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	err = store_conn_open(&r->conn, st->path, true);
	if (err) {
		free(r);
		return err;
	}
	*out = r;
	return 0;
}

void store_reader_close(struct store_reader *r)
{
	if (!r)
		return;
	store_conn_close(&r->conn);
	free(r);
}

/* ---- the writer's transaction ---- */

static const char SQL_TX_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_TX_COMMIT[] = "COMMIT";
static const char SQL_TX_ROLLBACK[] = "ROLLBACK";
static const char SQL_TX_SAVEPOINT[] = "SAVEPOINT job";
static const char SQL_TX_RELEASE[] = "RELEASE job";
static const char SQL_TX_ROLLBACK_TO[] = "ROLLBACK TO job";

static int tx_exec(struct store_tx *tx, const char *sql)
{
	struct store_conn *c = store_tx_conn(tx);
	sqlite3_stmt *s;
	int err = store_prepare(c, sql, &s);

	return err ? err : store_step_write(c, s, sql);
}

/* Still inside the transaction?  SQLite ends it itself on some errors. */
static bool tx_alive(struct store_tx *tx)
{
	return !sqlite3_get_autocommit(store_tx_conn(tx)->db);
}

int store_tx_begin(struct store *st, struct store_tx **out)
{
	int err;

	*out = NULL;
	if (st->tx.active)
		return -EBUSY;
	err = tx_exec(&st->tx, SQL_TX_BEGIN);
	if (err)
		return err == -EIO ? err : -EIO;
	st->tx.active = true;
	*out = &st->tx;
	return 0;
}

int store_tx_savepoint(struct store_tx *tx)
{
	return tx_exec(tx, SQL_TX_SAVEPOINT);
}

int store_tx_release(struct store_tx *tx)
{
	return tx_exec(tx, SQL_TX_RELEASE);
}

/*
 * Undo the job's writes; the savepoint stays open (release it next).
 * -EIO when the transaction itself is gone: SQLite rolls the whole
 * transaction back on some errors (disk full, I/O), and then every job of
 * the batch is lost.
 */
int store_tx_rollback_to(struct store_tx *tx)
{
	int err;

	if (!tx_alive(tx)) {
		fprintf(stderr, "store: transaction rolled back by SQLite\n");
		return -EIO;
	}
	err = tx_exec(tx, SQL_TX_ROLLBACK_TO);
	return err ? -EIO : 0;
}

int store_tx_commit(struct store_tx *tx)
{
	int err;

	if (!tx_alive(tx)) {
		fprintf(stderr, "store: transaction rolled back by SQLite\n");
		tx->active = false;
		return -EIO;
	}
	err = tx_exec(tx, SQL_TX_COMMIT);
	if (err) {
		if (tx_alive(tx))
			tx_exec(tx, SQL_TX_ROLLBACK);
		err = -EIO;
	}
	tx->active = false;
	return err;
}

void store_tx_abort(struct store_tx *tx)
{
	if (tx_alive(tx))
		tx_exec(tx, SQL_TX_ROLLBACK);
	tx->active = false;
}
