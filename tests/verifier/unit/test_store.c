// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the SQLite store (store.h) on a real database in a
 * temporary directory: every call, its -EEXIST/-ENOENT/-EINVAL paths,
 * migrations, reader isolation, and refusal of rows that do not fit.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <endian.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "store.h"
#include "store_fixture.h"
#include "support_tmpdir.h"

static uint8_t ek_pub[] = { 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef };
static uint8_t ak_pub[] = { 0x00, 0x03, 0x01, 0x02, 0x03 };
static uint8_t ek_der[] = { 0x30, 0x82, 0x00, 0x01, 0x05 };

static void device_id(uint8_t seed, uint8_t *id)
{
	memset(id, seed, HROT_DEVICE_NAME_SIZE);
	id[0] = 0x00;
	id[1] = 0x0b;
}

static void make_device(uint8_t seed, struct store_device *d)
{
	memset(d, 0, sizeof(*d));
	device_id(seed, d->id);
	d->state = STORE_DEV_PENDING;
	d->ek_public = ek_pub;
	d->ek_public_len = sizeof(ek_pub);
	d->ak_public = ak_pub;
	d->ak_public_len = sizeof(ak_pub);
	if (seed & 1) {
		d->ek_cert = ek_der;
		d->ek_cert_len = sizeof(ek_der);
	}
	d->fingerprint.size = sizeof(d->fingerprint);
	d->fingerprint.nr_components = 2;
	d->fingerprint.digest[0] = seed;
	d->fingerprint.components[1].id = HROT_FP_PRODUCT_UUID;
	snprintf(d->fingerprint.components[1].value, HROT_FP_VALUE_MAX,
		 "uuid-%u", seed);
	d->meta_json = (char *)"{\"hostname\":\"node\"}";
	d->registered_at = 1000 + seed;
}

static int do_insert(struct store_tx *tx, void *arg)
{
	return store_tx_device_insert(tx, arg);
}

static void insert_device(struct fixture *f, uint8_t seed)
{
	struct store_device d;

	make_device(seed, &d);
	assert_int_equal(in_tx(f->st, do_insert, &d), 0);
}

/* ---- schema ---- */

static int64_t schema_version(const char *db)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	int64_t v = -1;

	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h,
		"SELECT max(version), count(*) FROM schema_version", -1, &s,
		NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	/* One row per applied migration. */
	assert_int_equal(sqlite3_column_int64(s, 1),
			 sqlite3_column_int64(s, 0));
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}

static void sql_exec(const char *db, const char *sql)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static void test_migrate_fresh_and_reopen(void **state)
{
	struct fixture *f = *state;
	struct store_device d;
	uint8_t id[HROT_DEVICE_NAME_SIZE];

	assert_int_equal(schema_version(f->db), STORE_SCHEMA_VERSION);
	insert_device(f, 7);
	store_reader_close(f->r);
	store_close(f->st);
	/* Reopening migrates nothing and keeps the data. */
	assert_int_equal(store_open(f->db, &f->st), 0);
	assert_int_equal(store_reader_open(f->st, &f->r), 0);
	assert_int_equal(schema_version(f->db), STORE_SCHEMA_VERSION);
	device_id(7, id);
	assert_int_equal(store_device_get(f->r, id, &d), 0);
	store_device_free(&d);
	assert_int_equal(store_integrity_check(f->st), 0);
}

static void test_schema_newer_refused(void **state)
{
	struct fixture *f = *state;
	struct store *st2 = (struct store *)1;

	sql_exec(f->db, "INSERT INTO schema_version VALUES (99, 0)");
	assert_int_equal(store_open(f->db, &st2), -EIO);
	assert_null(st2);
}

static void test_wal_mode(void **state)
{
	struct fixture *f = *state;
	sqlite3 *h;
	sqlite3_stmt *s;

	assert_int_equal(sqlite3_open_v2(f->db, &h, SQLITE_OPEN_READONLY,
					 NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &s,
					    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	sqlite3_close(h);
}

/* ---- devices ---- */

static void test_device_round_trip(void **state)
{
	struct fixture *f = *state;
	struct store_device in, out;

	make_device(3, &in);
	assert_int_equal(in_tx(f->st, do_insert, &in), 0);
	assert_int_equal(store_device_get(f->r, in.id, &out), 0);
	assert_memory_equal(out.id, in.id, sizeof(in.id));
	assert_int_equal(out.state, STORE_DEV_PENDING);
	assert_int_equal(out.ek_public_len, sizeof(ek_pub));
	assert_memory_equal(out.ek_public, ek_pub, sizeof(ek_pub));
	assert_int_equal(out.ek_cert_len, sizeof(ek_der));
	assert_memory_equal(out.ek_cert, ek_der, sizeof(ek_der));
	assert_memory_equal(out.ak_public, ak_pub, sizeof(ak_pub));
	assert_memory_equal(&out.fingerprint, &in.fingerprint,
			    sizeof(in.fingerprint));
	assert_string_equal(out.meta_json, in.meta_json);
	assert_int_equal(out.registered_at, 1003);
	assert_int_equal(out.policy_id, 0);
	assert_false(out.enrolled);
	assert_false(out.has_counters);
	assert_int_equal(out.last_seen, 0);
	assert_string_equal(out.revoke_reason, "");
	store_device_free(&out);

	/* Even seeds have no EK certificate. */
	make_device(4, &in);
	assert_int_equal(in_tx(f->st, do_insert, &in), 0);
	assert_int_equal(store_device_get(f->r, in.id, &out), 0);
	assert_null(out.ek_cert);
	assert_int_equal(out.ek_cert_len, 0);
	store_device_free(&out);
}

static void test_device_errors(void **state)
{
	struct fixture *f = *state;
	struct store_device d, out;

	make_device(5, &d);
	assert_int_equal(in_tx(f->st, do_insert, &d), 0);
	assert_int_equal(in_tx(f->st, do_insert, &d), -EEXIST);
	device_id(6, d.id);
	assert_int_equal(store_device_get(f->r, d.id, &out), -ENOENT);
	d.ak_public = NULL;
	assert_int_equal(in_tx(f->st, do_insert, &d), -EINVAL);
	make_device(6, &d);
	d.sealed_secret_len = STORE_SEALED_MAX + 1;
	assert_int_equal(in_tx(f->st, do_insert, &d), -EINVAL);
	make_device(6, &d);
	memset(d.last_reason, 'x', sizeof(d.last_reason));
	assert_int_equal(in_tx(f->st, do_insert, &d), -EINVAL);
	make_device(6, &d);
	d.state = (enum store_device_state)9;
	assert_int_equal(in_tx(f->st, do_insert, &d), -EINVAL);
	make_device(6, &d);
	d.policy_id = 42;	/* no such policy: the foreign key */
	assert_int_equal(in_tx(f->st, do_insert, &d), -ENOENT);
	assert_int_equal(store_device_get(f->r, d.id, &out), -ENOENT);
}

struct update {
	uint8_t id[HROT_DEVICE_NAME_SIZE];
	int step;
	int64_t policy;
	struct hrot_fingerprint fp;
};

static const uint8_t instance[HROT_INSTANCE_ID_SIZE] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
};
static const uint8_t sealed[40] = { 1, 0xaa, 0xbb };

static int do_update(struct store_tx *tx, void *arg)
{
	struct update *u = arg;

	switch (u->step) {
	case 0:
		return store_tx_device_set_state(tx, u->id, STORE_DEV_APPROVED,
						 "ignored");
	case 1:
		return store_tx_device_enroll(tx, u->id, instance, 5555,
					      sealed, sizeof(sealed));
	case 2:
		return store_tx_device_set_policy(tx, u->id, u->policy);
	case 3:
		return store_tx_device_set_fingerprint(tx, u->id, &u->fp);
	case 4:
		return store_tx_device_seen(tx, u->id, 7000, true, "", true,
					    3, 4, 0xfedcba9876543210ull);
	case 5:
		return store_tx_device_seen(tx, u->id, 8000, false,
					    "pcr_mismatch", false, 0, 0, 0);
	case 6:
		return store_tx_device_seen(tx, u->id, 8000, false, "x", true,
					    1, 1, 1);
	default:
		return store_tx_device_set_state(tx, u->id, STORE_DEV_REVOKED,
						 "stolen laptop");
	}
}

static int do_policy_insert(struct store_tx *tx, void *arg);

static void test_device_updates(void **state)
{
	struct fixture *f = *state;
	struct update u = { .step = 0 };
	struct store_device d;
	struct store_policy p = { .name = "base", .version = "1" };
	int64_t pid = 0;
	void *parg[2] = { &p, &pid };

	insert_device(f, 9);
	device_id(9, u.id);
	assert_int_equal(in_tx(f->st, do_update, &u), 0);
	assert_int_equal(store_device_get(f->r, u.id, &d), 0);
	assert_int_equal(d.state, STORE_DEV_APPROVED);
	assert_string_equal(d.revoke_reason, "");
	store_device_free(&d);

	u.step = 1;
	assert_int_equal(in_tx(f->st, do_update, &u), 0);
	assert_int_equal(store_device_get(f->r, u.id, &d), 0);
	assert_int_equal(d.state, STORE_DEV_ENROLLED);
	assert_true(d.enrolled);
	assert_memory_equal(d.instance, instance, sizeof(instance));
	assert_int_equal(d.created_at, 5555);
	assert_int_equal(d.sealed_secret_len, sizeof(sealed));
	assert_memory_equal(d.sealed_secret, sealed, sizeof(sealed));
	store_device_free(&d);

	u.step = 2;
	u.policy = 77;
	assert_int_equal(in_tx(f->st, do_update, &u), -ENOENT);
	assert_int_equal(in_tx(f->st, do_policy_insert, parg), 0);
	u.policy = pid;
	assert_int_equal(in_tx(f->st, do_update, &u), 0);
	assert_int_equal(store_device_get(f->r, u.id, &d), 0);
	assert_int_equal(d.policy_id, pid);
	store_device_free(&d);
	u.policy = 0;
	assert_int_equal(in_tx(f->st, do_update, &u), 0);
	assert_int_equal(store_device_get(f->r, u.id, &d), 0);
	assert_int_equal(d.policy_id, 0);
	store_device_free(&d);

	u.step = 3;
	memset(&u.fp, 0x5a, sizeof(u.fp));
	assert_int_equal(in_tx(f->st, do_update, &u), 0);
	assert_int_equal(store_device_get(f->r, u.id, &d), 0);
	assert_memory_equal(&d.fingerprint, &u.fp, sizeof(u.fp));
	store_device_free(&d);

	u.step = 4;
	assert_int_equal(in_tx(f->st, do_update, &u), 0);
	u.step = 5;	/* a failure keeps the counters of the last pass */
	assert_int_equal(in_tx(f->st, do_update, &u), 0);
	assert_int_equal(store_device_get(f->r, u.id, &d), 0);
	assert_int_equal(d.last_seen, 8000);
	assert_false(d.last_pass);
	assert_string_equal(d.last_reason, "pcr_mismatch");
	assert_true(d.has_counters);
	assert_int_equal(d.reset_count, 3);
	assert_int_equal(d.restart_count, 4);
	assert_true(d.clock == 0xfedcba9876543210ull);
	store_device_free(&d);
	u.step = 6;	/* counters of a failed quote: refused */
	assert_int_equal(in_tx(f->st, do_update, &u), -EINVAL);

	u.step = 7;
	assert_int_equal(in_tx(f->st, do_update, &u), 0);
	assert_int_equal(store_device_get(f->r, u.id, &d), 0);
	assert_int_equal(d.state, STORE_DEV_REVOKED);
	assert_string_equal(d.revoke_reason, "stolen laptop");
	store_device_free(&d);

	/* Every update of an unknown device: -ENOENT. */
	device_id(10, u.id);
	for (u.step = 0; u.step <= 7; u.step++) {
		if (u.step == 6)
			continue;
		assert_int_equal(in_tx(f->st, do_update, &u), -ENOENT);
	}
}

static void test_device_list(void **state)
{
	struct fixture *f = *state;
	struct store_device *list;
	uint8_t id[HROT_DEVICE_NAME_SIZE];
	size_t n = 99;

	assert_int_equal(store_device_list(f->r, &list, &n), 0);
	assert_int_equal(n, 0);
	store_devices_free(list, n);
	/* Registration order, not key order. */
	insert_device(f, 0x30);
	insert_device(f, 0x10);
	insert_device(f, 0x20);
	assert_int_equal(store_device_list(f->r, &list, &n), 0);
	assert_int_equal(n, 3);
	device_id(0x30, id);
	assert_memory_equal(list[0].id, id, sizeof(id));
	device_id(0x10, id);
	assert_memory_equal(list[1].id, id, sizeof(id));
	device_id(0x20, id);
	assert_memory_equal(list[2].id, id, sizeof(id));
	assert_memory_equal(list[2].ak_public, ak_pub, sizeof(ak_pub));
	store_devices_free(list, n);
}

static void test_device_corrupt_row(void **state)
{
	struct fixture *f = *state;
	struct store_device d;
	uint8_t id[HROT_DEVICE_NAME_SIZE];

	insert_device(f, 0x41);
	device_id(0x41, id);
	/* A sealed secret longer than STORE_SEALED_MAX. */
	sql_exec(f->db, "UPDATE devices SET sealed_secret = zeroblob(129),"
			" instance = zeroblob(16)");
	assert_int_equal(store_device_get(f->r, id, &d), -EIO);
	assert_null(d.ek_public);
	sql_exec(f->db, "UPDATE devices SET sealed_secret = zeroblob(128)");
	assert_int_equal(store_device_get(f->r, id, &d), 0);
	assert_true(d.enrolled);
	assert_int_equal(d.sealed_secret_len, STORE_SEALED_MAX);
	store_device_free(&d);
	/* A fingerprint that is not a struct hrot_fingerprint. */
	sql_exec(f->db, "UPDATE devices SET fingerprint = x'0011'");
	assert_int_equal(store_device_get(f->r, id, &d), -EIO);
	assert_null(d.ek_public);
	/* An empty fingerprint blob. */
	sql_exec(f->db, "UPDATE devices SET fingerprint = zeroblob(0)");
	assert_int_equal(store_device_get(f->r, id, &d), -EIO);
}

/* ---- policies ---- */

static int do_policy_insert(struct store_tx *tx, void *arg)
{
	void **a = arg;

	return store_tx_policy_insert(tx, a[0], a[1]);
}

static int64_t insert_policy(struct fixture *f, const char *name,
			     const char *version, size_t nr, int expect)
{
	struct store_policy_entry e[3] = { 0 };
	struct store_policy p = { .require_physical = true,
				  .created_at = 42, .nr_entries = nr,
				  .entries = e };
	int64_t id = -1;
	void *arg[2] = { &p, &id };
	size_t i;

	snprintf(p.name, sizeof(p.name), "%s", name);
	snprintf(p.version, sizeof(p.version), "%s", version);
	for (i = 0; i < 3; i++) {
		snprintf(e[i].component, sizeof(e[i].component), "comp%zu", i);
		snprintf(e[i].version, sizeof(e[i].version), "v%zu", i);
		memset(e[i].digest, (int)i + 1, sizeof(e[i].digest));
	}
	assert_int_equal(in_tx(f->st, do_policy_insert, arg), expect);
	return id;
}

static void test_policies(void **state)
{
	struct fixture *f = *state;
	struct store_policy p, *list;
	int64_t a, b, c;
	size_t n;

	a = insert_policy(f, "fleet", "1.0", 3, 0);
	b = insert_policy(f, "other", "1", 0, 0);
	c = insert_policy(f, "fleet", "0.9", 1, 0);	/* newest = last made */
	assert_true(a > 0 && b > a && c > b);
	insert_policy(f, "fleet", "1.0", 2, -EEXIST);
	insert_policy(f, "", "1", 0, -EINVAL);

	assert_int_equal(store_policy_get(f->r, a, &p), 0);
	assert_int_equal(p.id, a);
	assert_string_equal(p.name, "fleet");
	assert_string_equal(p.version, "1.0");
	assert_true(p.require_physical);
	assert_int_equal(p.created_at, 42);
	assert_int_equal(p.nr_entries, 3);
	assert_string_equal(p.entries[2].component, "comp2");
	assert_string_equal(p.entries[2].version, "v2");
	assert_int_equal(p.entries[2].digest[31], 3);
	store_policy_free(&p);

	assert_int_equal(store_policy_find(f->r, "fleet", &p), 0);
	assert_int_equal(p.id, c);
	assert_int_equal(p.nr_entries, 1);
	store_policy_free(&p);
	assert_int_equal(store_policy_get(f->r, c + 100, &p), -ENOENT);
	assert_int_equal(store_policy_find(f->r, "none", &p), -ENOENT);
	{
		bool phys = false;

		/* the flag alone, as a challenge reads it */
		assert_int_equal(store_policy_requires_physical(f->r, a, &phys), 0);
		assert_true(phys);
		assert_int_equal(store_policy_requires_physical(f->r, c + 100,
								&phys), -ENOENT);
		assert_false(phys);
	}

	assert_int_equal(store_policy_list(f->r, &list, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(list[0].id, a);
	assert_int_equal(list[0].nr_entries, 3);
	assert_int_equal(list[1].nr_entries, 0);
	assert_string_equal(list[2].version, "0.9");
	store_policies_free(list, n);
}

/* ---- tokens and revocations ---- */

static void make_token(uint8_t seed, uint8_t dev_seed, struct hrot_token *t)
{
	memset(t, 0, sizeof(*t));
	memset(t->token_id, seed, sizeof(t->token_id));
	device_id(dev_seed, t->device);
	t->kind = HROT_TOKEN_KIND_RELEASE;
	t->issued_at = htole64(100);
	t->expires_at = htole64(160);
}

static int do_token(struct store_tx *tx, void *arg)
{
	return store_tx_token_insert(tx, arg);
}

static int do_token_revoke(struct store_tx *tx, void *arg)
{
	return store_tx_token_revoke(tx, arg);
}

static void test_tokens(void **state)
{
	struct fixture *f = *state;
	struct hrot_token t;
	uint8_t other[HROT_TOKEN_ID_SIZE];

	insert_device(f, 0x51);
	make_token(0xa1, 0x51, &t);
	assert_int_equal(in_tx(f->st, do_token, &t), 0);
	assert_int_equal(in_tx(f->st, do_token, &t), -EEXIST);
	assert_int_equal(store_token_revoked(f->r, t.token_id), 0);
	assert_int_equal(in_tx(f->st, do_token_revoke, t.token_id), 0);
	assert_int_equal(store_token_revoked(f->r, t.token_id), 1);
	/* Revoking twice is not an error. */
	assert_int_equal(in_tx(f->st, do_token_revoke, t.token_id), 0);
	memset(other, 0xee, sizeof(other));
	assert_int_equal(store_token_revoked(f->r, other), 0);
	assert_int_equal(in_tx(f->st, do_token_revoke, other), -ENOENT);
	/* A token for a device never registered. */
	make_token(0xa2, 0x52, &t);
	assert_int_equal(in_tx(f->st, do_token, &t), -ENOENT);
}

static int do_revoke_device(struct store_tx *tx, void *arg)
{
	return store_tx_device_set_state(tx, arg, STORE_DEV_REVOKED, NULL);
}

static void test_revocations(void **state)
{
	struct fixture *f = *state;
	uint8_t (*devs)[HROT_DEVICE_NAME_SIZE], (*toks)[HROT_TOKEN_ID_SIZE];
	uint8_t id[HROT_DEVICE_NAME_SIZE];
	struct hrot_token t1, t2, t3;
	size_t nd = 9, nt = 9;

	assert_int_equal(store_revocations(f->r, &devs, &nd, &toks, &nt), 0);
	assert_int_equal(nd, 0);
	assert_int_equal(nt, 0);
	free(devs);
	free(toks);

	insert_device(f, 0x61);
	insert_device(f, 0x62);
	make_token(0xc3, 0x61, &t1);
	make_token(0xc1, 0x61, &t2);
	make_token(0xc2, 0x62, &t3);
	assert_int_equal(in_tx(f->st, do_token, &t1), 0);
	assert_int_equal(in_tx(f->st, do_token, &t2), 0);
	assert_int_equal(in_tx(f->st, do_token, &t3), 0);
	assert_int_equal(in_tx(f->st, do_token_revoke, t1.token_id), 0);
	assert_int_equal(in_tx(f->st, do_token_revoke, t2.token_id), 0);
	device_id(0x62, id);
	assert_int_equal(in_tx(f->st, do_revoke_device, id), 0);

	assert_int_equal(store_revocations(f->r, &devs, &nd, &toks, &nt), 0);
	assert_int_equal(nd, 1);
	assert_memory_equal(devs[0], id, sizeof(id));
	assert_int_equal(nt, 2);
	assert_memory_equal(toks[0], t2.token_id, HROT_TOKEN_ID_SIZE);
	assert_memory_equal(toks[1], t1.token_id, HROT_TOKEN_ID_SIZE);
	free(devs);
	free(toks);
}

/* ---- audit ---- */

static int do_audit(struct store_tx *tx, void *arg)
{
	return store_tx_audit(tx, arg);
}

static void add_audit(struct fixture *f, uint8_t dev, const char *action,
		      bool ok, int expect)
{
	struct store_audit a = { .time = 500, .ok = ok };

	if (dev)
		device_id(dev, a.device);
	snprintf(a.action, sizeof(a.action), "%s", action);
	snprintf(a.reason, sizeof(a.reason), "%s", ok ? "" : "nonce_replay");
	snprintf(a.detail, sizeof(a.detail), "detail of %s", action);
	assert_int_equal(in_tx(f->st, do_audit, &a), expect);
}

static void test_audit(void **state)
{
	struct fixture *f = *state;
	struct store_audit *list;
	uint8_t id[HROT_DEVICE_NAME_SIZE], zero[HROT_DEVICE_NAME_SIZE] = { 0 };
	int64_t first;
	size_t n;

	add_audit(f, 0x71, "register", true, 0);
	add_audit(f, 0, "init", true, 0);
	add_audit(f, 0x71, "attest", false, 0);
	add_audit(f, 0x72, "attest", true, 0);
	add_audit(f, 0x71, "", true, -EINVAL);

	assert_int_equal(store_audit_list(f->r, 0, NULL, 100, &list, &n), 0);
	assert_int_equal(n, 4);
	assert_true(list[0].id < list[1].id && list[2].id < list[3].id);
	assert_string_equal(list[0].action, "register");
	assert_memory_equal(list[1].device, zero, sizeof(zero));
	assert_false(list[2].ok);
	assert_string_equal(list[2].reason, "nonce_replay");
	assert_string_equal(list[2].detail, "detail of attest");
	assert_int_equal(list[3].time, 500);
	free(list);

	device_id(0x71, id);
	assert_int_equal(store_audit_list(f->r, 0, id, 100, &list, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[1].action, "attest");
	first = list[0].id;
	free(list);
	assert_int_equal(store_audit_list(f->r, first, id, 100, &list, &n), 0);
	assert_int_equal(n, 1);
	assert_true(list[0].id > first);
	free(list);

	assert_int_equal(store_audit_list(f->r, 0, NULL, 2, &list, &n), 0);
	assert_int_equal(n, 2);
	free(list);
	assert_int_equal(store_audit_list(f->r, 0, NULL, 0, &list, &n), 0);
	assert_int_equal(n, 0);
	free(list);
}

/* ---- transactions ---- */

static void test_reader_sees_committed_only(void **state)
{
	struct fixture *f = *state;
	struct store_device d, out;
	struct store_tx *tx, *tx2;

	make_device(0x81, &d);
	assert_int_equal(store_tx_begin(f->st, &tx), 0);
	assert_int_equal(store_tx_begin(f->st, &tx2), -EBUSY);
	assert_int_equal(store_tx_device_insert(tx, &d), 0);
	/* The writer sees its own write, the reader not yet. */
	assert_int_equal(store_tx_device_get(tx, d.id, &out), 0);
	store_device_free(&out);
	assert_int_equal(store_device_get(f->r, d.id, &out), -ENOENT);
	assert_int_equal(store_tx_commit(tx), 0);
	assert_int_equal(store_device_get(f->r, d.id, &out), 0);
	store_device_free(&out);

	/* Aborted: never visible. */
	make_device(0x82, &d);
	assert_int_equal(store_tx_begin(f->st, &tx), 0);
	assert_int_equal(store_tx_device_insert(tx, &d), 0);
	store_tx_abort(tx);
	assert_int_equal(store_device_get(f->r, d.id, &out), -ENOENT);
	assert_int_equal(store_integrity_check(f->st), 0);
}

static void test_savepoints(void **state)
{
	struct fixture *f = *state;
	struct store_device a, b, out;
	struct store_tx *tx;

	make_device(0x91, &a);
	make_device(0x92, &b);
	assert_int_equal(store_tx_begin(f->st, &tx), 0);
	assert_int_equal(store_tx_savepoint(tx), 0);
	assert_int_equal(store_tx_device_insert(tx, &a), 0);
	assert_int_equal(store_tx_release(tx), 0);
	assert_int_equal(store_tx_savepoint(tx), 0);
	assert_int_equal(store_tx_device_insert(tx, &b), 0);
	assert_int_equal(store_tx_device_insert(tx, &a), -EEXIST);
	assert_int_equal(store_tx_rollback_to(tx), 0);
	assert_int_equal(store_tx_release(tx), 0);
	assert_int_equal(store_tx_commit(tx), 0);
	assert_int_equal(store_device_get(f->r, a.id, &out), 0);
	store_device_free(&out);
	assert_int_equal(store_device_get(f->r, b.id, &out), -ENOENT);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(store_device_state_name(STORE_DEV_PENDING),
			    "pending");
	assert_string_equal(store_device_state_name(STORE_DEV_APPROVED),
			    "approved");
	assert_string_equal(store_device_state_name(STORE_DEV_ENROLLED),
			    "enrolled");
	assert_string_equal(store_device_state_name(STORE_DEV_REVOKED),
			    "revoked");
	assert_string_equal(store_device_state_name(
		(enum store_device_state)17), "unknown");
}

static void test_open_errors(void **state)
{
	struct fixture *f = *state;
	struct store *st = (struct store *)1;
	char *bad = support_path(f->dir, "missing/hrot.db");

	assert_int_equal(store_open(bad, &st), -ENOENT);
	assert_null(st);
	assert_int_equal(store_open("", &st), -EINVAL);
	free(bad);
	/* A file that is not a database. */
	bad = support_path(f->dir, "junk.db");
	{
		FILE *fp = fopen(bad, "w");

		assert_non_null(fp);
		fputs("this is not an SQLite database, not at all.....", fp);
		fclose(fp);
	}
	assert_int_equal(store_open(bad, &st), -EIO);
	free(bad);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_migrate_fresh_and_reopen),
		T(test_schema_newer_refused),
		T(test_wal_mode),
		T(test_device_round_trip),
		T(test_device_errors),
		T(test_device_updates),
		T(test_device_list),
		T(test_device_corrupt_row),
		T(test_policies),
		T(test_tokens),
		T(test_revocations),
		T(test_audit),
		T(test_reader_sees_committed_only),
		T(test_savepoints),
		T(test_state_names),
		T(test_open_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
