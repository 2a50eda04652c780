// SPDX-License-Identifier: GPL-2.0
/*
 * store_policy.c - policies and their entries in the SQLite backend.
 *
 * A policy is immutable once inserted: a change is a new (name, version)
 * row, and "the newest version" of a name is the one inserted last
 * (largest id) — version strings are informative, not ordered.  A policy
 * and its entries are read in one snapshot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

#define POLICY_COLUMNS "id, name, version, require_physical, created_at"

static const char SQL_POLICY_GET[] =
	"SELECT " POLICY_COLUMNS " FROM policies WHERE id = ?";
static const char SQL_POLICY_FIND[] =
	"SELECT " POLICY_COLUMNS " FROM policies WHERE name = ?"
	" ORDER BY id DESC LIMIT 1";
static const char SQL_POLICY_PHYSICAL[] =
	"SELECT require_physical FROM policies WHERE id = ?";
static const char SQL_POLICY_LIST[] =
	"SELECT " POLICY_COLUMNS " FROM policies ORDER BY id";
static const char SQL_POLICY_ENTRIES[] =
	"SELECT component, version, digest, component_key FROM policy_entries"
	" WHERE policy = ? ORDER BY seq";
static const char SQL_POLICY_INSERT[] =
	"INSERT INTO policies (name, version, require_physical, created_at)"
	" VALUES (?, ?, ?, ?)";
static const char SQL_ENTRY_INSERT[] =
	"INSERT INTO policy_entries (policy, seq, component, version, digest,"
	" component_key) VALUES (?, ?, ?, ?, ?, ?)";

void store_policy_free(struct store_policy *p)
{
	if (!p)
		return;
	free(p->entries);
	memset(p, 0, sizeof(*p));
}

void store_policies_free(struct store_policy *p, size_t n)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < n; i++)
		store_policy_free(&p[i]);
	free(p);
}

/* ---- reads ---- */

static int entry_push(sqlite3_stmt *s, struct store_policy *p, size_t *cap)
{
	struct store_policy_entry *e;
	int err;

	if (p->nr_entries == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;

		e = reallocarray(p->entries, ncap, sizeof(*e));
		if (!e)
			return -ENOMEM;
		p->entries = e;
		*cap = ncap;
	}
	e = &p->entries[p->nr_entries];
	err = store_col_text(s, 0, e->component, sizeof(e->component),
			     "policy_entries.component");
	if (!err)
		err = store_col_text(s, 1, e->version, sizeof(e->version),
				     "policy_entries.version");
	if (!err)
		err = store_col_fixed(s, 2, e->digest, sizeof(e->digest),
				      "policy_entries.digest");
	e->component_key = sqlite3_column_int(s, 3) != 0;
	if (!err)
		p->nr_entries++;
	return err;
}

static int policy_entries(struct store_conn *c, struct store_policy *p)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int err = store_prepare(c, SQL_POLICY_ENTRIES, &s);
	int rc = SQLITE_DONE;

	if (err)
		return err;
	if (sqlite3_bind_int64(s, 1, p->id)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "policy entries");
	}
	while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW)
		err = entry_push(s, p, &cap);
	if (!err && rc != SQLITE_DONE)
		err = store_error(c, rc, "policy entries");
	store_finish(s);
	return err;
}

/* The current row of @s (POLICY_COLUMNS) and its entries. */
static int policy_from_row(struct store_conn *c, sqlite3_stmt *s,
			   struct store_policy *p)
{
	int err;

	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(s, 0);
	p->require_physical = sqlite3_column_int64(s, 3) != 0;
	p->created_at = sqlite3_column_int64(s, 4);
	err = store_col_text(s, 1, p->name, sizeof(p->name), "policies.name");
	if (!err)
		err = store_col_text(s, 2, p->version, sizeof(p->version),
				     "policies.version");
	if (!err)
		err = policy_entries(c, p);
	if (err)
		store_policy_free(p);
	return err;
}

/* @s has its parameter bound: its one row, or -ENOENT. */
static int policy_one(struct store_conn *c, sqlite3_stmt *s,
		      struct store_policy *out)
{
	int rc = sqlite3_step(s);
	int err;

	if (rc == SQLITE_ROW)
		err = policy_from_row(c, s, out);
	else if (rc == SQLITE_DONE)
		err = -ENOENT;
	else
		err = store_error(c, rc, "policy get");
	store_finish(s);
	return err;
}

int store_policy_get(struct store_reader *r, int64_t id,
		     struct store_policy *out)
{
	struct store_conn *c = &r->conn;
	sqlite3_stmt *s;
	int err;

	memset(out, 0, sizeof(*out));
	err = store_read_begin(c);
	if (err)
		return err;
	err = store_prepare(c, SQL_POLICY_GET, &s);
	if (!err && sqlite3_bind_int64(s, 1, id)) {
		store_finish(s);
		err = store_error(c, sqlite3_errcode(c->db), "policy get");
	} else if (!err) {
		err = policy_one(c, s, out);
	}
	store_read_end(c);
	return err;
}

int store_policy_requires_physical(struct store_reader *r, int64_t id,
				   bool *out)
{
	struct store_conn *c = &r->conn;
	sqlite3_stmt *s = NULL;
	int err, rc;

	*out = false;
	err = store_read_begin(c);
	if (err)
		return err;
	err = store_prepare(c, SQL_POLICY_PHYSICAL, &s);
	if (!err && sqlite3_bind_int64(s, 1, id)) {
		err = store_error(c, sqlite3_errcode(c->db), "policy physical");
	} else if (!err) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			*out = sqlite3_column_int64(s, 0) != 0;
		else if (rc == SQLITE_DONE)
			err = -ENOENT;
		else
			err = store_error(c, rc, "policy physical");
	}
	if (s)
		store_finish(s);
	store_read_end(c);
	return err;
}

int store_policy_find(struct store_reader *r, const char *name,
		      struct store_policy *out)
{
	struct store_conn *c = &r->conn;
	sqlite3_stmt *s;
	int err;

	memset(out, 0, sizeof(*out));
	if (!name || !store_text_fits(name, STORE_NAME_MAX))
		return -EINVAL;
	err = store_read_begin(c);
	if (err)
		return err;
	err = store_prepare(c, SQL_POLICY_FIND, &s);
	if (!err && store_bind_text(s, 1, name)) {
		store_finish(s);
		err = store_error(c, sqlite3_errcode(c->db), "policy find");
	} else if (!err) {
		err = policy_one(c, s, out);
	}
	store_read_end(c);
	return err;
}

static int policy_list_push(struct store_conn *c, sqlite3_stmt *s,
			    struct store_policy **arr, size_t *n, size_t *cap)
{
	int err;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct store_policy *p = reallocarray(*arr, ncap, sizeof(*p));

		if (!p)
			return -ENOMEM;
		*arr = p;
		*cap = ncap;
	}
	err = policy_from_row(c, s, &(*arr)[*n]);
	if (!err)
		(*n)++;
	return err;
}

static int policy_list_rows(struct store_conn *c, struct store_policy **arr,
			    size_t *n)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int err = store_prepare(c, SQL_POLICY_LIST, &s);
	int rc = SQLITE_DONE;

	if (err)
		return err;
	while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW)
		err = policy_list_push(c, s, arr, n, &cap);
	if (!err && rc != SQLITE_DONE)
		err = store_error(c, rc, "policy list");
	store_finish(s);
	return err;
}

int store_policy_list(struct store_reader *r, struct store_policy **out,
		      size_t *n)
{
	struct store_policy *arr = NULL;
	size_t nr = 0;
	int err;

	*out = NULL;
	*n = 0;
	err = store_read_begin(&r->conn);
	if (err)
		return err;
	err = policy_list_rows(&r->conn, &arr, &nr);
	store_read_end(&r->conn);
	if (err) {
		store_policies_free(arr, nr);
		return err;
	}
	*out = arr;
	*n = nr;
	return 0;
}

/* ---- writes ---- */

static bool policy_valid(const struct store_policy *p)
{
	size_t i;

	if (!store_text_fits(p->name, sizeof(p->name)) || !p->name[0] ||
	    !store_text_fits(p->version, sizeof(p->version)) ||
	    (p->nr_entries && !p->entries))
		return false;
	for (i = 0; i < p->nr_entries; i++) {
		const struct store_policy_entry *e = &p->entries[i];

		if (!store_text_fits(e->component, sizeof(e->component)) ||
		    !e->component[0] ||
		    !store_text_fits(e->version, sizeof(e->version)))
			return false;
	}
	return true;
}

static int entry_insert(struct store_conn *c, int64_t policy, size_t seq,
			const struct store_policy_entry *e)
{
	sqlite3_stmt *s;
	int err = store_prepare(c, SQL_ENTRY_INSERT, &s);

	if (err)
		return err;
	if (sqlite3_bind_int64(s, 1, policy) ||
	    sqlite3_bind_int64(s, 2, (int64_t)seq) ||
	    store_bind_text(s, 3, e->component) ||
	    store_bind_text(s, 4, e->version) ||
	    sqlite3_bind_blob(s, 5, e->digest, sizeof(e->digest),
			      SQLITE_STATIC) ||
	    sqlite3_bind_int(s, 6, e->component_key ? 1 : 0)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "policy entry");
	}
	return store_step_write(c, s, "policy entry");
}

int store_tx_policy_insert(struct store_tx *tx, const struct store_policy *p,
			   int64_t *id)
{
	struct store_conn *c = store_tx_conn(tx);
	sqlite3_stmt *s;
	int64_t pid;
	size_t i;
	int err;

	if (!p || !id || !policy_valid(p))
		return -EINVAL;
	err = store_prepare(c, SQL_POLICY_INSERT, &s);
	if (err)
		return err;
	if (store_bind_text(s, 1, p->name) ||
	    store_bind_text(s, 2, p->version) ||
	    sqlite3_bind_int(s, 3, p->require_physical) ||
	    sqlite3_bind_int64(s, 4, p->created_at)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "policy insert");
	}
	err = store_step_write(c, s, "policy insert");
	if (err)
		return err;
	pid = sqlite3_last_insert_rowid(c->db);
	for (i = 0; !err && i < p->nr_entries; i++)
		err = entry_insert(c, pid, i, &p->entries[i]);
	if (!err)
		*id = pid;
	return err;
}
