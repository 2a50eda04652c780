// SPDX-License-Identifier: GPL-2.0
/*
 * store_schema.c - the SQLite schema and its migrations.
 *
 * migrations[i] takes the schema from version i to i + 1.  A new version
 * is one more string appended here and STORE_SCHEMA_VERSION raised by one
 * in store.h; never edit a migration that has shipped.  schema_version
 * holds one row per applied migration; the schema's version is the
 * largest.  All pending migrations run in one IMMEDIATE transaction, so a
 * crash half-way leaves the previous version intact.
 *
 * Representation choices:
 *  - devices.fingerprint is the raw bytes of struct hrot_fingerprint
 *    (host order, exactly sizeof bytes): it is compared and handed back
 *    whole, never queried by component, and its own @size/@version fields
 *    say what layout it has;
 *  - unsigned counters are stored as SQLite's signed 64-bit integers and
 *    cast back (clock's bit pattern round-trips);
 *  - a NULL devices.instance means "not enrolled", a NULL reset_count
 *    "no accepted quote yet", a NULL devices.policy "bound to none", a
 *    NULL audit.device "no device";
 *  - devices are never deleted, so rowid order is registration order;
 *  - a NULL instances.device means "not claimed yet" (schema 2);
 *  - floors holds one row per device, policy name and versioned component
 *    that device passed with; no row is no floor (schema 3).
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "store_sqlite.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const migrations[] = {
	/* 0 -> 1: the initial schema */
	"CREATE TABLE policies ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL,"
	"  version TEXT NOT NULL,"
	"  require_physical INTEGER NOT NULL"
	"    CHECK (require_physical IN (0, 1)),"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (name, version));"
	"CREATE TABLE policy_entries ("
	"  policy INTEGER NOT NULL REFERENCES policies(id),"
	"  seq INTEGER NOT NULL,"
	"  component TEXT NOT NULL,"
	"  version TEXT NOT NULL,"
	"  digest BLOB NOT NULL CHECK (length(digest) = 32),"
	"  PRIMARY KEY (policy, seq));"
	"CREATE TABLE devices ("
	"  id BLOB PRIMARY KEY CHECK (length(id) = 34),"
	"  state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 3),"
	"  ek_public BLOB NOT NULL,"
	"  ek_cert BLOB,"
	"  ak_public BLOB NOT NULL,"
	"  fingerprint BLOB NOT NULL,"
	"  meta_json TEXT,"
	"  registered_at INTEGER NOT NULL,"
	"  policy INTEGER REFERENCES policies(id),"
	"  instance BLOB CHECK (instance IS NULL OR length(instance) = 16),"
	"  created_at INTEGER,"
	"  sealed_secret BLOB,"
	"  last_seen INTEGER NOT NULL DEFAULT 0,"
	"  last_pass INTEGER NOT NULL DEFAULT 0,"
	"  last_reason TEXT NOT NULL DEFAULT '',"
	"  reset_count INTEGER,"
	"  restart_count INTEGER,"
	"  clock INTEGER,"
	"  revoke_reason TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX devices_state ON devices(state);"
	"CREATE TABLE tokens ("
	"  token_id BLOB PRIMARY KEY CHECK (length(token_id) = 16),"
	"  device BLOB NOT NULL REFERENCES devices(id),"
	"  kind INTEGER NOT NULL,"
	"  issued_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)));"
	"CREATE INDEX tokens_revoked ON tokens(token_id) WHERE revoked = 1;"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  time INTEGER NOT NULL,"
	"  device BLOB,"
	"  action TEXT NOT NULL,"
	"  ok INTEGER NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  detail TEXT NOT NULL);"
	"CREATE INDEX audit_device ON audit(device, id);",
	/* 1 -> 2: instances made by an operator ahead of their device */
	"CREATE TABLE instances ("
	"  id BLOB PRIMARY KEY CHECK (length(id) = 16),"
	"  created_at INTEGER NOT NULL,"
	"  sealed_secret BLOB NOT NULL,"
	"  device BLOB REFERENCES devices(id),"
	"  claimed_at INTEGER,"
	"  CHECK ((device IS NULL) = (claimed_at IS NULL)));",
	/* 2 -> 3: rollback floors, per device, policy name, component */
	"CREATE TABLE floors ("
	"  device BLOB NOT NULL REFERENCES devices(id),"
	"  policy TEXT NOT NULL,"
	"  component TEXT NOT NULL,"
	"  version TEXT NOT NULL,"
	"  digest BLOB NOT NULL CHECK (length(digest) = 32),"
	"  set_at INTEGER NOT NULL,"
	"  PRIMARY KEY (device, policy, component));"
	/* and which programs may get component keys (seed 002) */
	"ALTER TABLE policy_entries ADD COLUMN component_key INTEGER NOT NULL"
	"  DEFAULT 0 CHECK (component_key IN (0, 1));",
};

_Static_assert(ARRAY_SIZE(migrations) == STORE_SCHEMA_VERSION,
	       "one migration per schema version");

static const char SQL_VERSION_TABLE[] =
	"CREATE TABLE IF NOT EXISTS schema_version ("
	"  version INTEGER PRIMARY KEY,"
	"  applied_at INTEGER NOT NULL)";
static const char SQL_VERSION_GET[] =
	"SELECT coalesce(max(version), 0) FROM schema_version";
static const char SQL_VERSION_ADD[] =
	"INSERT INTO schema_version (version, applied_at) VALUES (?, ?)";

static int schema_version_get(struct store_conn *c, int64_t *version)
{
	sqlite3_stmt *s;
	int err = store_prepare(c, SQL_VERSION_GET, &s);
	int rc;

	if (err)
		return err;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int64(s, 0);
	else
		err = store_error(c, rc, "schema version");
	store_finish(s);
	return err;
}

static int schema_apply(struct store_conn *c, int64_t version)
{
	char what[48];
	sqlite3_stmt *s;
	int err;

	snprintf(what, sizeof(what), "migration to schema %lld",
		 (long long)version);
	err = store_conn_exec(c, migrations[version - 1], what);
	if (err)
		return err;
	err = store_prepare(c, SQL_VERSION_ADD, &s);
	if (err)
		return err;
	if (sqlite3_bind_int64(s, 1, version) ||
	    sqlite3_bind_int64(s, 2, (int64_t)time(NULL))) {
		store_finish(s);
		return store_error(c, sqlite3_errcode(c->db), what);
	}
	return store_step_write(c, s, what);
}

static int schema_upgrade(struct store_conn *c)
{
	int64_t v = 0;
	int err = schema_version_get(c, &v);

	if (err)
		return err;
	if (v < 0 || v > STORE_SCHEMA_VERSION) {
		fprintf(stderr,
			"store: database schema version %lld is not one this verifier knows (1..%d)\n",
			(long long)v, STORE_SCHEMA_VERSION);
		return -EIO;
	}
	while (!err && v < STORE_SCHEMA_VERSION)
		err = schema_apply(c, ++v);
	return err;
}

/* Bring the database on @c to STORE_SCHEMA_VERSION. */
int store_migrate(struct store_conn *c)
{
	int err = store_conn_exec(c, "BEGIN IMMEDIATE", "begin migration");

	if (err)
		return err;
	err = store_conn_exec(c, SQL_VERSION_TABLE, "schema_version table");
	if (!err)
		err = schema_upgrade(c);
	if (!err)
		return store_conn_exec(c, "COMMIT", "commit migration");
	store_conn_exec(c, "ROLLBACK", "roll back migration");
	return err;
}
