// SPDX-License-Identifier: GPL-2.0
/*
 * store_device.c - the devices table of the SQLite backend.
 *
 * Reads build a struct store_device from one row and refuse a row that
 * does not fit it; writes validate their arguments first (-EINVAL) so a
 * constraint of the schema is the last line, not the only one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite.h"

#define DEVICE_COLUMNS \
	"id, state, ek_public, ek_cert, ak_public, fingerprint, meta_json," \
	" registered_at, policy, instance, created_at, sealed_secret," \
	" last_seen, last_pass, last_reason, reset_count, restart_count," \
	" clock, revoke_reason"

enum {
	COL_ID, COL_STATE, COL_EK_PUBLIC, COL_EK_CERT, COL_AK_PUBLIC,
	COL_FINGERPRINT, COL_META, COL_REGISTERED_AT, COL_POLICY,
	COL_INSTANCE, COL_CREATED_AT, COL_SEALED, COL_LAST_SEEN,
	COL_LAST_PASS, COL_LAST_REASON, COL_RESET, COL_RESTART, COL_CLOCK,
	COL_REVOKE_REASON, COL_NR
};

static const char SQL_DEVICE_GET[] =
	"SELECT " DEVICE_COLUMNS " FROM devices WHERE id = ?";
static const char SQL_DEVICE_LIST[] =
	"SELECT " DEVICE_COLUMNS " FROM devices ORDER BY rowid";
static const char SQL_DEVICE_INSERT[] =
	"INSERT INTO devices (" DEVICE_COLUMNS ") VALUES"
	" (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_DEVICE_SET_STATE[] =
	"UPDATE devices SET state = ?, revoke_reason = ? WHERE id = ?";
static const char SQL_DEVICE_ENROLL[] =
	"UPDATE devices SET instance = ?, created_at = ?, sealed_secret = ?,"
	" state = 2 WHERE id = ?";
static const char SQL_DEVICE_SET_POLICY[] =
	"UPDATE devices SET policy = ? WHERE id = ?";
static const char SQL_DEVICE_SET_FP[] =
	"UPDATE devices SET fingerprint = ? WHERE id = ?";
static const char SQL_DEVICE_SEEN[] =
	"UPDATE devices SET last_seen = ?, last_pass = ?, last_reason = ?"
	" WHERE id = ?";
static const char SQL_DEVICE_SEEN_COUNTERS[] =
	"UPDATE devices SET last_seen = ?, last_pass = ?, last_reason = ?,"
	" reset_count = ?, restart_count = ?, clock = ? WHERE id = ?";

_Static_assert(STORE_DEV_ENROLLED == 2, "SQL_DEVICE_ENROLL's state");

void store_device_free(struct store_device *d)
{
	if (!d)
		return;
	free(d->ek_public);
	free(d->ek_cert);
	free(d->ak_public);
	free(d->meta_json);
	explicit_bzero(d->sealed_secret, sizeof(d->sealed_secret));
	memset(d, 0, sizeof(*d));
}

void store_devices_free(struct store_device *d, size_t n)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < n; i++)
		store_device_free(&d[i]);
	free(d);
}

/* ---- rows ---- */

static int row_identity(sqlite3_stmt *s, struct store_device *d)
{
	int64_t state = sqlite3_column_int64(s, COL_STATE);
	int err;

	if (state < STORE_DEV_PENDING || state > STORE_DEV_REVOKED)
		return store_corrupt("devices.state");
	d->state = (enum store_device_state)state;
	err = store_col_fixed(s, COL_ID, d->id, sizeof(d->id), "devices.id");
	if (!err)
		err = store_col_fixed(s, COL_FINGERPRINT, &d->fingerprint,
				      sizeof(d->fingerprint),
				      "devices.fingerprint");
	d->registered_at = sqlite3_column_int64(s, COL_REGISTERED_AT);
	d->policy_id = sqlite3_column_int64(s, COL_POLICY);
	return err;
}

static int row_keys(sqlite3_stmt *s, struct store_device *d)
{
	int err = store_col_dup(s, COL_EK_PUBLIC, &d->ek_public,
				&d->ek_public_len);

	if (!err)
		err = store_col_dup(s, COL_EK_CERT, &d->ek_cert,
				    &d->ek_cert_len);
	if (!err)
		err = store_col_dup(s, COL_AK_PUBLIC, &d->ak_public,
				    &d->ak_public_len);
	if (!err)
		err = store_col_text_dup(s, COL_META, &d->meta_json);
	return err;
}

static int row_instance(sqlite3_stmt *s, struct store_device *d)
{
	size_t n;
	int err;

	d->enrolled = sqlite3_column_type(s, COL_INSTANCE) != SQLITE_NULL;
	if (!d->enrolled)
		return 0;
	err = store_col_fixed(s, COL_INSTANCE, d->instance,
			      sizeof(d->instance), "devices.instance");
	if (err)
		return err;
	d->created_at = sqlite3_column_int64(s, COL_CREATED_AT);
	n = (size_t)sqlite3_column_bytes(s, COL_SEALED);
	if (n > sizeof(d->sealed_secret))
		return store_corrupt("devices.sealed_secret");
	if (n)
		memcpy(d->sealed_secret, sqlite3_column_blob(s, COL_SEALED), n);
	d->sealed_secret_len = n;
	return 0;
}

static int row_seen(sqlite3_stmt *s, struct store_device *d)
{
	int err;

	d->last_seen = sqlite3_column_int64(s, COL_LAST_SEEN);
	d->last_pass = sqlite3_column_int64(s, COL_LAST_PASS) != 0;
	d->has_counters = sqlite3_column_type(s, COL_RESET) != SQLITE_NULL;
	if (d->has_counters) {
		d->reset_count = (uint32_t)sqlite3_column_int64(s, COL_RESET);
		d->restart_count =
			(uint32_t)sqlite3_column_int64(s, COL_RESTART);
		d->clock = (uint64_t)sqlite3_column_int64(s, COL_CLOCK);
	}
	err = store_col_text(s, COL_LAST_REASON, d->last_reason,
			     sizeof(d->last_reason), "devices.last_reason");
	if (!err)
		err = store_col_text(s, COL_REVOKE_REASON, d->revoke_reason,
				     sizeof(d->revoke_reason),
				     "devices.revoke_reason");
	return err;
}

static int device_from_row(sqlite3_stmt *s, struct store_device *d)
{
	int err;

	memset(d, 0, sizeof(*d));
	err = row_identity(s, d);
	if (!err)
		err = row_keys(s, d);
	if (!err)
		err = row_instance(s, d);
	if (!err)
		err = row_seen(s, d);
	if (err)
		store_device_free(d);
	return err;
}

static int device_get(struct store_conn *c, const uint8_t *id,
		      struct store_device *out)
{
	sqlite3_stmt *s;
	int err, rc;

	memset(out, 0, sizeof(*out));
	if (!id)
		return -EINVAL;
	err = store_prepare(c, SQL_DEVICE_GET, &s);
	if (err)
		return err;
	rc = sqlite3_bind_blob(s, 1, id, HROT_DEVICE_NAME_SIZE, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		err = device_from_row(s, out);
	else if (rc == SQLITE_DONE)
		err = -ENOENT;
	else
		err = store_error(c, rc, "device get");
	store_finish(s);
	return err;
}

int store_device_get(struct store_reader *r, const uint8_t *id,
		     struct store_device *out)
{
	return device_get(&r->conn, id, out);
}

int store_tx_device_get(struct store_tx *tx, const uint8_t *id,
			struct store_device *out)
{
	return device_get(store_tx_conn(tx), id, out);
}

static int device_list_push(sqlite3_stmt *s, struct store_device **arr,
			    size_t *n, size_t *cap)
{
	int err;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct store_device *p = reallocarray(*arr, ncap, sizeof(*p));

		if (!p)
			return -ENOMEM;
		*arr = p;
		*cap = ncap;
	}
	err = device_from_row(s, &(*arr)[*n]);
	if (!err)
		(*n)++;
	return err;
}

int store_device_list(struct store_reader *r, struct store_device **out,
		      size_t *n)
{
	struct store_device *arr = NULL;
	size_t nr = 0, cap = 0;
	sqlite3_stmt *s;
	int err, rc = SQLITE_DONE;

	*out = NULL;
	*n = 0;
	err = store_prepare(&r->conn, SQL_DEVICE_LIST, &s);
	if (err)
		return err;
	while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW)
		err = device_list_push(s, &arr, &nr, &cap);
	if (!err && rc != SQLITE_DONE)
		err = store_error(&r->conn, rc, "device list");
	store_finish(s);
	if (err) {
		store_devices_free(arr, nr);
		return err;
	}
	*out = arr;
	*n = nr;
	return 0;
}

/* ---- writes ---- */

static bool device_valid(const struct store_device *d)
{
	return d->ek_public && d->ek_public_len && d->ak_public &&
	       d->ak_public_len && (d->ek_cert || !d->ek_cert_len) &&
	       d->state >= STORE_DEV_PENDING && d->state <= STORE_DEV_REVOKED &&
	       d->policy_id >= 0 &&
	       d->sealed_secret_len <= sizeof(d->sealed_secret) &&
	       store_text_fits(d->last_reason, sizeof(d->last_reason)) &&
	       store_text_fits(d->revoke_reason, sizeof(d->revoke_reason));
}

static int bind_opt_blob(sqlite3_stmt *s, int col, const void *p, size_t n)
{
	if (!p || !n)
		return sqlite3_bind_null(s, col);
	return sqlite3_bind_blob64(s, col, p, n, SQLITE_STATIC);
}

static int bind_policy(sqlite3_stmt *s, int col, int64_t policy_id)
{
	if (!policy_id)
		return sqlite3_bind_null(s, col);
	return sqlite3_bind_int64(s, col, policy_id);
}

/* Statement parameters count from 1, columns from 0. */
#define P(col) ((col) + 1)

static int bind_identity(sqlite3_stmt *s, const struct store_device *d)
{
	return sqlite3_bind_blob(s, P(COL_ID), d->id, sizeof(d->id),
				 SQLITE_STATIC) ||
	       sqlite3_bind_int(s, P(COL_STATE), (int)d->state) ||
	       bind_opt_blob(s, P(COL_EK_PUBLIC), d->ek_public,
			     d->ek_public_len) ||
	       bind_opt_blob(s, P(COL_EK_CERT), d->ek_cert, d->ek_cert_len) ||
	       bind_opt_blob(s, P(COL_AK_PUBLIC), d->ak_public,
			     d->ak_public_len) ||
	       sqlite3_bind_blob(s, P(COL_FINGERPRINT), &d->fingerprint,
				 sizeof(d->fingerprint), SQLITE_STATIC) ||
	       (d->meta_json ? store_bind_text(s, P(COL_META), d->meta_json) :
		sqlite3_bind_null(s, P(COL_META))) ||
	       sqlite3_bind_int64(s, P(COL_REGISTERED_AT), d->registered_at) ||
	       bind_policy(s, P(COL_POLICY), d->policy_id);
}

static int bind_instance(sqlite3_stmt *s, const struct store_device *d)
{
	if (!d->enrolled)
		return 0;	/* unbound parameters are NULL */
	return sqlite3_bind_blob(s, P(COL_INSTANCE), d->instance,
				 sizeof(d->instance), SQLITE_STATIC) ||
	       sqlite3_bind_int64(s, P(COL_CREATED_AT), d->created_at) ||
	       bind_opt_blob(s, P(COL_SEALED), d->sealed_secret,
			     d->sealed_secret_len);
}

static int bind_seen(sqlite3_stmt *s, const struct store_device *d)
{
	int rc = sqlite3_bind_int64(s, P(COL_LAST_SEEN), d->last_seen) ||
		 sqlite3_bind_int(s, P(COL_LAST_PASS), d->last_pass) ||
		 store_bind_text(s, P(COL_LAST_REASON), d->last_reason) ||
		 store_bind_text(s, P(COL_REVOKE_REASON), d->revoke_reason);

	if (rc || !d->has_counters)
		return rc;
	return sqlite3_bind_int64(s, P(COL_RESET), d->reset_count) ||
	       sqlite3_bind_int64(s, P(COL_RESTART), d->restart_count) ||
	       sqlite3_bind_int64(s, P(COL_CLOCK), (int64_t)d->clock);
}

int store_tx_device_insert(struct store_tx *tx, const struct store_device *d)
{
	struct store_conn *c = store_tx_conn(tx);
	sqlite3_stmt *s;
	int err;

	if (!d || !device_valid(d))
		return -EINVAL;
	err = store_prepare(c, SQL_DEVICE_INSERT, &s);
	if (err)
		return err;
	if (bind_identity(s, d) || bind_instance(s, d) || bind_seen(s, d)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "device insert");
	}
	return store_step_write(c, s, "device insert");
}

int store_tx_device_set_state(struct store_tx *tx, const uint8_t *id,
			      enum store_device_state state,
			      const char *reason)
{
	struct store_conn *c = store_tx_conn(tx);
	sqlite3_stmt *s;
	int err;

	if (!id || state < STORE_DEV_PENDING || state > STORE_DEV_REVOKED ||
	    (reason && !store_text_fits(reason, STORE_DETAIL_MAX)))
		return -EINVAL;
	err = store_prepare(c, SQL_DEVICE_SET_STATE, &s);
	if (err)
		return err;
	/* Only a revocation keeps its reason. */
	if (sqlite3_bind_int(s, 1, (int)state) ||
	    store_bind_text(s, 2, state == STORE_DEV_REVOKED ? reason : "") ||
	    sqlite3_bind_blob(s, 3, id, HROT_DEVICE_NAME_SIZE, SQLITE_STATIC)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "device state");
	}
	return store_step_update(c, s, "device state");
}

int store_tx_device_enroll(struct store_tx *tx, const uint8_t *id,
			   const uint8_t *instance, int64_t created_at,
			   const uint8_t *sealed, size_t sealed_len)
{
	struct store_conn *c = store_tx_conn(tx);
	sqlite3_stmt *s;
	int err;

	if (!id || !instance || !sealed || !sealed_len ||
	    sealed_len > STORE_SEALED_MAX)
		return -EINVAL;
	err = store_prepare(c, SQL_DEVICE_ENROLL, &s);
	if (err)
		return err;
	if (sqlite3_bind_blob(s, 1, instance, HROT_INSTANCE_ID_SIZE,
			      SQLITE_STATIC) ||
	    sqlite3_bind_int64(s, 2, created_at) ||
	    sqlite3_bind_blob(s, 3, sealed, (int)sealed_len, SQLITE_STATIC) ||
	    sqlite3_bind_blob(s, 4, id, HROT_DEVICE_NAME_SIZE, SQLITE_STATIC)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "device enroll");
	}
	return store_step_update(c, s, "device enroll");
}

int store_tx_device_set_policy(struct store_tx *tx, const uint8_t *id,
			       int64_t policy_id)
{
	struct store_conn *c = store_tx_conn(tx);
	sqlite3_stmt *s;
	int err;

	if (!id || policy_id < 0)
		return -EINVAL;
	err = store_prepare(c, SQL_DEVICE_SET_POLICY, &s);
	if (err)
		return err;
	if (bind_policy(s, 1, policy_id) ||
	    sqlite3_bind_blob(s, 2, id, HROT_DEVICE_NAME_SIZE, SQLITE_STATIC)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "device policy");
	}
	return store_step_update(c, s, "device policy");
}

int store_tx_device_set_fingerprint(struct store_tx *tx, const uint8_t *id,
				    const struct hrot_fingerprint *fp)
{
	struct store_conn *c = store_tx_conn(tx);
	sqlite3_stmt *s;
	int err;

	if (!id || !fp)
		return -EINVAL;
	err = store_prepare(c, SQL_DEVICE_SET_FP, &s);
	if (err)
		return err;
	if (sqlite3_bind_blob(s, 1, fp, sizeof(*fp), SQLITE_STATIC) ||
	    sqlite3_bind_blob(s, 2, id, HROT_DEVICE_NAME_SIZE, SQLITE_STATIC)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db),
				   "device fingerprint");
	}
	return store_step_update(c, s, "device fingerprint");
}

static int bind_counters(sqlite3_stmt *s, uint32_t reset_count,
			 uint32_t restart_count, uint64_t clock)
{
	return sqlite3_bind_int64(s, 4, reset_count) ||
	       sqlite3_bind_int64(s, 5, restart_count) ||
	       sqlite3_bind_int64(s, 6, (int64_t)clock);
}

int store_tx_device_seen(struct store_tx *tx, const uint8_t *id, int64_t now,
			 bool pass, const char *reason, bool counters_valid,
			 uint32_t reset_count, uint32_t restart_count,
			 uint64_t clock)
{
	struct store_conn *c = store_tx_conn(tx);
	const char *sql = counters_valid ? SQL_DEVICE_SEEN_COUNTERS :
					   SQL_DEVICE_SEEN;
	sqlite3_stmt *s;
	int err;

	/* Counters of a failed quote must never become the reference. */
	if (!id || (counters_valid && !pass) ||
	    (reason && !store_text_fits(reason, STORE_REASON_MAX)))
		return -EINVAL;
	err = store_prepare(c, sql, &s);
	if (err)
		return err;
	if (sqlite3_bind_int64(s, 1, now) || sqlite3_bind_int(s, 2, pass) ||
	    store_bind_text(s, 3, reason) ||
	    (counters_valid &&
	     bind_counters(s, reset_count, restart_count, clock)) ||
	    sqlite3_bind_blob(s, counters_valid ? 7 : 4, id,
			      HROT_DEVICE_NAME_SIZE, SQLITE_STATIC)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), "device seen");
	}
	return store_step_update(c, s, "device seen");
}
