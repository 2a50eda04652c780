// SPDX-License-Identifier: GPL-2.0
/*
 * store_floor.c - the floors table of the SQLite backend (schema 3): per
 * device, policy name and component, the newest version (and its digest)
 * it has passed with.  Whether a
 * version is newer is the caller's to say (version.c): the store only
 * keeps what it is told, inside the commit that records the pass.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

static const char SQL_FLOORS_GET[] =
	"SELECT policy, component, version, digest, set_at FROM floors"
	" WHERE device = ?1 AND (?2 IS NULL OR policy = ?2)"
	" ORDER BY policy, component";
static const char SQL_FLOOR_SET[] =
	"INSERT INTO floors (device, policy, component, version, digest, set_at)"
	" VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (device, policy, component)"
	" DO UPDATE SET version = excluded.version, digest = excluded.digest,"
	" set_at = excluded.set_at";
static const char SQL_FLOORS_RESET_ONE[] =
	"DELETE FROM floors WHERE device = ? AND component = ?";
static const char SQL_FLOORS_RESET_ALL[] =
	"DELETE FROM floors WHERE device = ?";

/* Grow @a by one; NULL on failure (@a unchanged). */
static struct store_floor *floor_push(struct store_floor **a, size_t *n)
{
	struct store_floor *grown = realloc(*a, (*n + 1) * sizeof(**a));

	if (!grown)
		return NULL;
	*a = grown;
	memset(&grown[*n], 0, sizeof(grown[*n]));
	return &grown[(*n)++];
}

static int floor_from_row(sqlite3_stmt *s, struct store_floor *f)
{
	int err = store_col_text(s, 0, f->policy, sizeof(f->policy),
				 "floors.policy");

	if (!err)
		err = store_col_text(s, 1, f->component, sizeof(f->component),
				     "floors.component");
	if (!err)
		err = store_col_text(s, 2, f->version, sizeof(f->version),
				     "floors.version");
	if (!err)
		err = store_col_fixed(s, 3, f->digest, sizeof(f->digest),
				      "floors.digest");
	f->set_at = sqlite3_column_int64(s, 4);
	return err;
}

static int floors_read(struct store_conn *c, const uint8_t *device,
		       const char *policy, struct store_floor **out, size_t *n)
{
	sqlite3_stmt *s;
	int err, rc;

	*out = NULL;
	*n = 0;
	if (!device)
		return -EINVAL;
	err = store_prepare(c, SQL_FLOORS_GET, &s);
	if (err)
		return err;
	rc = sqlite3_bind_blob(s, 1, device, HROT_DEVICE_NAME_SIZE,
			       SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = policy ? sqlite3_bind_text(s, 2, policy, -1, SQLITE_STATIC) :
			      sqlite3_bind_null(s, 2);
	while (!err && rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_floor *f = floor_push(out, n);

		err = f ? floor_from_row(s, f) : -ENOMEM;
		rc = SQLITE_OK;
	}
	if (!err && rc != SQLITE_DONE)
		err = store_error(c, rc, "floors get");
	store_finish(s);
	if (err) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return err;
}

int store_floors_get(struct store_reader *r, const uint8_t *device,
		     const char *policy, struct store_floor **out, size_t *n)
{
	return floors_read(&r->conn, device, policy, out, n);
}

int store_tx_floors_get(struct store_tx *tx, const uint8_t *device,
			const char *policy, struct store_floor **out,
			size_t *n)
{
	return floors_read(store_tx_conn(tx), device, policy, out, n);
}

int store_tx_floor_set(struct store_tx *tx, const uint8_t *device,
		       const struct store_floor *f, int64_t now)
{
	struct store_conn *c = store_tx_conn(tx);
	sqlite3_stmt *s;
	int err;

	if (!device || !f || !f->policy[0] || !f->component[0] ||
	    !f->version[0] || !store_text_fits(f->policy, sizeof(f->policy)) ||
	    !store_text_fits(f->component, sizeof(f->component)) ||
	    !store_text_fits(f->version, sizeof(f->version)))
		return -EINVAL;
	err = store_prepare(c, SQL_FLOOR_SET, &s);
	if (err)
		return err;
	if (sqlite3_bind_blob(s, 1, device, HROT_DEVICE_NAME_SIZE,
			      SQLITE_STATIC) ||
	    store_bind_text(s, 2, f->policy) ||
	    store_bind_text(s, 3, f->component) ||
	    store_bind_text(s, 4, f->version) ||
	    sqlite3_bind_blob(s, 5, f->digest, sizeof(f->digest),
			      SQLITE_STATIC) ||
	    sqlite3_bind_int64(s, 6, now)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "floor set");
	}
	return store_step_write(c, s, "floor set");
}

int store_tx_floors_reset(struct store_tx *tx, const uint8_t *device,
			  const char *component, int *removed)
{
	struct store_conn *c = store_tx_conn(tx);
	sqlite3_stmt *s;
	int err;

	*removed = 0;
	if (!device)
		return -EINVAL;
	err = store_prepare(c, component ? SQL_FLOORS_RESET_ONE :
				 SQL_FLOORS_RESET_ALL, &s);
	if (err)
		return err;
	if (sqlite3_bind_blob(s, 1, device, HROT_DEVICE_NAME_SIZE,
			      SQLITE_STATIC) ||
	    (component && store_bind_text(s, 2, component))) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "floors reset");
	}
	err = store_step_write(c, s, "floors reset");
	if (!err)
		*removed = sqlite3_changes(c->db);
	return err;
}
