// SPDX-License-Identifier: GPL-2.0
/*
 * store_instance.c - the instances table of the SQLite backend (schema 2):
 * instances an operator made ahead of the device that will claim them.
 *
 * The claim is one conditional UPDATE ("... WHERE device IS NULL"), so two
 * enrollments racing for one instance cannot both win even if both
 * workers saw it unclaimed: the second finds no row to change.
 */
#include <errno.h>
#include <string.h>

#include "store_sqlite.h"

static const char SQL_INSTANCE_GET[] =
	"SELECT id, created_at, sealed_secret, device, claimed_at"
	" FROM instances WHERE id = ?";
static const char SQL_INSTANCE_INSERT[] =
	"INSERT INTO instances (id, created_at, sealed_secret) VALUES (?, ?, ?)";
static const char SQL_INSTANCE_CLAIM[] =
	"UPDATE instances SET device = ?, claimed_at = ?"
	" WHERE id = ? AND device IS NULL";
static const char SQL_INSTANCE_EXISTS[] =
	"SELECT 1 FROM instances WHERE id = ?";

static int instance_from_row(sqlite3_stmt *s, struct store_instance *in)
{
	size_t n = (size_t)sqlite3_column_bytes(s, 2);
	int err;

	err = store_col_fixed(s, 0, in->id, sizeof(in->id), "instances.id");
	if (err)
		return err;
	in->created_at = sqlite3_column_int64(s, 1);
	if (sqlite3_column_type(s, 2) != SQLITE_BLOB || !n ||
	    n > sizeof(in->sealed_secret))
		return store_corrupt("instances.sealed_secret");
	memcpy(in->sealed_secret, sqlite3_column_blob(s, 2), n);
	in->sealed_secret_len = n;
	in->claimed = sqlite3_column_type(s, 3) != SQLITE_NULL;
	if (!in->claimed)
		return 0;
	in->claimed_at = sqlite3_column_int64(s, 4);
	return store_col_fixed(s, 3, in->device, sizeof(in->device),
			       "instances.device");
}

int store_instance_get(struct store_reader *r, const uint8_t *id,
		       struct store_instance *out)
{
	struct store_conn *c = &r->conn;
	sqlite3_stmt *s;
	int err, rc;

	memset(out, 0, sizeof(*out));
	if (!id)
		return -EINVAL;
	err = store_prepare(c, SQL_INSTANCE_GET, &s);
	if (err)
		return err;
	rc = sqlite3_bind_blob(s, 1, id, HROT_INSTANCE_ID_SIZE, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		err = instance_from_row(s, out);
	else if (rc == SQLITE_DONE)
		err = -ENOENT;
	else
		err = store_error(c, rc, "instance get");
	store_finish(s);
	return err;
}

int store_tx_instance_insert(struct store_tx *tx,
			     const struct store_instance *in)
{
	struct store_conn *c = store_tx_conn(tx);
	sqlite3_stmt *s;
	int err;

	if (!in || !in->sealed_secret_len ||
	    in->sealed_secret_len > sizeof(in->sealed_secret) ||
	    in->created_at < 0)
		return -EINVAL;
	err = store_prepare(c, SQL_INSTANCE_INSERT, &s);
	if (err)
		return err;
	if (sqlite3_bind_blob(s, 1, in->id, sizeof(in->id), SQLITE_STATIC) ||
	    sqlite3_bind_int64(s, 2, in->created_at) ||
	    sqlite3_bind_blob(s, 3, in->sealed_secret,
			      (int)in->sealed_secret_len, SQLITE_STATIC)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "instance insert");
	}
	/* -EEXIST: the id is taken (16 random bytes twice) */
	return store_step_write(c, s, "instance insert");
}

/* After a claim changed nothing: -ENOENT or -EALREADY. */
static int claim_refusal(struct store_conn *c, const uint8_t *id)
{
	sqlite3_stmt *s;
	int err, rc;

	err = store_prepare(c, SQL_INSTANCE_EXISTS, &s);
	if (err)
		return err;
	rc = sqlite3_bind_blob(s, 1, id, HROT_INSTANCE_ID_SIZE, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		err = -EALREADY;
	else if (rc == SQLITE_DONE)
		err = -ENOENT;
	else
		err = store_error(c, rc, "instance claim");
	store_finish(s);
	return err;
}

int store_tx_instance_claim(struct store_tx *tx, const uint8_t *id,
			    const uint8_t *device, int64_t now)
{
	struct store_conn *c = store_tx_conn(tx);
	sqlite3_stmt *s;
	int err;

	if (!id || !device)
		return -EINVAL;
	err = store_prepare(c, SQL_INSTANCE_CLAIM, &s);
	if (err)
		return err;
	if (sqlite3_bind_blob(s, 1, device, HROT_DEVICE_NAME_SIZE,
			      SQLITE_STATIC) ||
	    sqlite3_bind_int64(s, 2, now) ||
	    sqlite3_bind_blob(s, 3, id, HROT_INSTANCE_ID_SIZE, SQLITE_STATIC)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "instance claim");
	}
	/* -ENOENT from the step itself: @device is not registered */
	err = store_step_write(c, s, "instance claim");
	if (!err && sqlite3_changes(c->db) == 0)
		err = claim_refusal(c, id);
	return err;
}
