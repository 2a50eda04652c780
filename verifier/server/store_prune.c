// SPDX-License-Identifier: GPL-2.0
/*
 * store_prune.c - retention (hrot-admin prune): what the store may forget.
 *
 * A machine under hrot-agent passes a runtime attestation about once a
 * minute, each pass a token row and an audit row.  An expired token is
 * refused whatever the store says about it, so its row only serves the
 * revocation list, where an expired id is no use either; a passing runtime
 * or component verdict is repeated by the next one.  Refusals and every
 * operator action are history and stay.
 */
#include <errno.h>

#include "store_sqlite.h"

static const char SQL_PRUNE_TOKENS[] =
	"DELETE FROM tokens WHERE expires_at < ?";

/*
 * A revoked token stays listed until even a device whose clock is behind
 * by the skew tokens allow sees it expired.
 */
#define PRUNE_TOKEN_SKEW	300
static const char SQL_PRUNE_AUDIT[] =
	"DELETE FROM audit WHERE ok = 1 AND action IN ('runtime', 'component')"
	" AND time < ?";

static int prune(struct store_conn *c, const char *sql, int64_t cutoff,
		 int *removed, const char *what)
{
	sqlite3_stmt *s;
	int err = store_prepare(c, sql, &s);

	if (err)
		return err;
	if (sqlite3_bind_int64(s, 1, cutoff)) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), what);
	}
	err = store_step_write(c, s, what);
	if (!err)
		*removed = sqlite3_changes(c->db);
	return err;
}

int store_tx_prune(struct store_tx *tx, int64_t cutoff, int *tokens,
		   int *audit)
{
	struct store_conn *c = store_tx_conn(tx);
	int err;

	*tokens = 0;
	*audit = 0;
	err = prune(c, SQL_PRUNE_TOKENS, cutoff - PRUNE_TOKEN_SKEW, tokens,
		    "prune tokens");
	if (!err)
		err = prune(c, SQL_PRUNE_AUDIT, cutoff, audit, "prune audit");
	return err;
}
