// SPDX-License-Identifier: GPL-2.0
/*
 * store_audit.c - the audit log, issued tokens and revocations in the
 * SQLite backend.
 *
 * Tokens are recorded by id with their device, kind and lifetime (not the
 * signed bytes: the device holds those); revocation flips one flag.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

static const char SQL_TOKEN_INSERT[] =
	"INSERT INTO tokens (token_id, device, kind, issued_at, expires_at)"
	" VALUES (?, ?, ?, ?, ?)";
static const char SQL_TOKEN_REVOKE[] =
	"UPDATE tokens SET revoked = 1 WHERE token_id = ?";
static const char SQL_TOKEN_REVOKED[] =
	"SELECT revoked FROM tokens WHERE token_id = ?";
static const char SQL_REVOKED_DEVICES[] =
	"SELECT id FROM devices WHERE state = 3 ORDER BY rowid";
static const char SQL_REVOKED_TOKENS[] =
	"SELECT token_id FROM tokens WHERE revoked = 1 ORDER BY token_id";
static const char SQL_AUDIT_INSERT[] =
	"INSERT INTO audit (time, device, action, ok, reason, detail)"
	" VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_AUDIT_LIST[] =
	"SELECT id, time, device, action, ok, reason, detail FROM audit"
	" WHERE id > ? ORDER BY id LIMIT ?";
static const char SQL_AUDIT_LIST_DEVICE[] =
	"SELECT id, time, device, action, ok, reason, detail FROM audit"
	" WHERE id > ? AND device = ? ORDER BY id LIMIT ?";

_Static_assert(STORE_DEV_REVOKED == 3, "SQL_REVOKED_DEVICES' state");

/* ---- tokens ---- */

int store_tx_token_insert(struct store_tx *tx, const struct hrot_token *t)
{
	struct store_conn *c = store_tx_conn(tx);
	sqlite3_stmt *s;
	int err;

	if (!t)
		return -EINVAL;
	err = store_prepare(c, SQL_TOKEN_INSERT, &s);
	if (err)
		return err;
	if (sqlite3_bind_blob(s, 1, t->token_id, sizeof(t->token_id),
			      SQLITE_STATIC) ||
	    sqlite3_bind_blob(s, 2, t->device, sizeof(t->device),
			      SQLITE_STATIC) ||
	    sqlite3_bind_int(s, 3, t->kind) ||
	    sqlite3_bind_int64(s, 4, (int64_t)le64toh(t->issued_at)) ||
	    sqlite3_bind_int64(s, 5, (int64_t)le64toh(t->expires_at))) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "token insert");
	}
	return store_step_write(c, s, "token insert");
}

int store_tx_token_revoke(struct store_tx *tx, const uint8_t *token_id)
{
	struct store_conn *c = store_tx_conn(tx);
	sqlite3_stmt *s;
	int err;

	if (!token_id)
		return -EINVAL;
	err = store_prepare(c, SQL_TOKEN_REVOKE, &s);
	if (err)
		return err;
	if (sqlite3_bind_blob(s, 1, token_id, HROT_TOKEN_ID_SIZE,
			      SQLITE_STATIC)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "token revoke");
	}
	return store_step_update(c, s, "token revoke");
}

int store_token_revoked(struct store_reader *r, const uint8_t *token_id)
{
	struct store_conn *c = &r->conn;
	sqlite3_stmt *s;
	int err, rc;

	if (!token_id)
		return -EINVAL;
	err = store_prepare(c, SQL_TOKEN_REVOKED, &s);
	if (err)
		return err;
	rc = sqlite3_bind_blob(s, 1, token_id, HROT_TOKEN_ID_SIZE,
			       SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		err = sqlite3_column_int(s, 0) ? 1 : 0;
	else if (rc == SQLITE_DONE)
		err = 0;
	else
		err = store_error(c, rc, "token revoked");
	store_finish(s);
	return err;
}

/* Every row of @sql: one blob of @size bytes each, into a new array. */
static int id_column(struct store_conn *c, const char *sql, size_t size,
		     uint8_t **out, size_t *n)
{
	uint8_t *arr = NULL, *p;
	size_t nr = 0, cap = 0;
	sqlite3_stmt *s;
	int err = store_prepare(c, sql, &s);
	int rc = SQLITE_DONE;

	if (err)
		return err;
	while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (nr == cap) {
			cap = cap ? cap * 2 : 16;
			p = reallocarray(arr, cap, size);
			if (!p) {
				err = -ENOMEM;
				break;
			}
			arr = p;
		}
		err = store_col_fixed(s, 0, arr + nr * size, size,
				      "revoked id");
		nr++;
	}
	if (!err && rc != SQLITE_DONE)
		err = store_error(c, rc, "revocations");
	store_finish(s);
	if (err) {
		free(arr);
		return err;
	}
	*out = arr;
	*n = nr;
	return 0;
}

int store_revocations(struct store_reader *r,
		      uint8_t (**devices)[HROT_DEVICE_NAME_SIZE],
		      size_t *nr_devices,
		      uint8_t (**tokens)[HROT_TOKEN_ID_SIZE], size_t *nr_tokens)
{
	uint8_t *dev = NULL, *tok = NULL;
	int err;

	*devices = NULL;
	*tokens = NULL;
	*nr_devices = *nr_tokens = 0;
	err = store_read_begin(&r->conn);
	if (err)
		return err;
	err = id_column(&r->conn, SQL_REVOKED_DEVICES, HROT_DEVICE_NAME_SIZE,
			&dev, nr_devices);
	if (!err)
		err = id_column(&r->conn, SQL_REVOKED_TOKENS,
				HROT_TOKEN_ID_SIZE, &tok, nr_tokens);
	store_read_end(&r->conn);
	if (err) {
		free(dev);
		*nr_devices = *nr_tokens = 0;
		return err;
	}
	*devices = (uint8_t (*)[HROT_DEVICE_NAME_SIZE])dev;
	*tokens = (uint8_t (*)[HROT_TOKEN_ID_SIZE])tok;
	return 0;
}

/* ---- audit ---- */

static bool audit_valid(const struct store_audit *a)
{
	return store_text_fits(a->action, sizeof(a->action)) && a->action[0] &&
	       store_text_fits(a->reason, sizeof(a->reason)) &&
	       store_text_fits(a->detail, sizeof(a->detail));
}

static int bind_audit(sqlite3_stmt *s, const struct store_audit *a)
{
	int rc = sqlite3_bind_int64(s, 1, a->time);

	if (!rc && !store_all_zero(a->device, sizeof(a->device)))
		rc = sqlite3_bind_blob(s, 2, a->device, sizeof(a->device),
				       SQLITE_STATIC);
	return rc || store_bind_text(s, 3, a->action) ||
	       sqlite3_bind_int(s, 4, a->ok) ||
	       store_bind_text(s, 5, a->reason) ||
	       store_bind_text(s, 6, a->detail);
}

/* @a->id is ignored: the database numbers the records. */
int store_tx_audit(struct store_tx *tx, const struct store_audit *a)
{
	struct store_conn *c = store_tx_conn(tx);
	sqlite3_stmt *s;
	int err;

	if (!a || !audit_valid(a))
		return -EINVAL;
	err = store_prepare(c, SQL_AUDIT_INSERT, &s);
	if (err)
		return err;
	if (bind_audit(s, a)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "audit insert");
	}
	return store_step_write(c, s, "audit insert");
}

static int audit_from_row(sqlite3_stmt *s, struct store_audit *a)
{
	int err = 0;

	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(s, 0);
	a->time = sqlite3_column_int64(s, 1);
	if (sqlite3_column_type(s, 2) != SQLITE_NULL)
		err = store_col_fixed(s, 2, a->device, sizeof(a->device),
				      "audit.device");
	a->ok = sqlite3_column_int64(s, 4) != 0;
	if (!err)
		err = store_col_text(s, 3, a->action, sizeof(a->action),
				     "audit.action");
	if (!err)
		err = store_col_text(s, 5, a->reason, sizeof(a->reason),
				     "audit.reason");
	if (!err)
		err = store_col_text(s, 6, a->detail, sizeof(a->detail),
				     "audit.detail");
	return err;
}

static int audit_bind_list(sqlite3_stmt *s, int64_t after_id,
			   const uint8_t *device, size_t limit)
{
	int64_t lim = limit > INT64_MAX ? INT64_MAX : (int64_t)limit;

	if (sqlite3_bind_int64(s, 1, after_id))
		return -1;
	if (!device)
		return sqlite3_bind_int64(s, 2, lim);
	return sqlite3_bind_blob(s, 2, device, HROT_DEVICE_NAME_SIZE,
				 SQLITE_STATIC) ||
	       sqlite3_bind_int64(s, 3, lim);
}

static int audit_rows(struct store_conn *c, sqlite3_stmt *s, size_t limit,
		      struct store_audit **out, size_t *n)
{
	struct store_audit *arr = NULL, *p;
	size_t nr = 0, cap = 0;
	int err = 0, rc = SQLITE_DONE;

	while (!err && nr < limit && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (nr == cap) {
			cap = cap ? cap * 2 : 32;
			p = reallocarray(arr, cap, sizeof(*p));
			if (!p) {
				err = -ENOMEM;
				break;
			}
			arr = p;
		}
		err = audit_from_row(s, &arr[nr]);
		nr++;
	}
	if (!err && rc != SQLITE_DONE && rc != SQLITE_ROW)
		err = store_error(c, rc, "audit list");
	if (err) {
		free(arr);
		return err;
	}
	*out = arr;
	*n = nr;
	return 0;
}

/* Oldest first. */
int store_audit_list(struct store_reader *r, int64_t after_id,
		     const uint8_t *device, size_t limit,
		     struct store_audit **out, size_t *n)
{
	struct store_conn *c = &r->conn;
	sqlite3_stmt *s;
	int err;

	*out = NULL;
	*n = 0;
	err = store_prepare(c, device ? SQL_AUDIT_LIST_DEVICE : SQL_AUDIT_LIST,
			    &s);
	if (err)
		return err;
	if (audit_bind_list(s, after_id, device, limit)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "audit list");
	}
	err = audit_rows(c, s, limit, out, n);
	store_finish(s);
	return err;
}
