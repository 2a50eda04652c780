// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the instances of the SQLite store (schema 2, store.h's
 * store_instance_get / store_tx_instance_insert / store_tx_instance_claim)
 * on a real database: round trip, a claim happens once (-EALREADY after),
 * an unknown instance is -ENOENT, a claim names a registered device, and
 * the migrations from schema 1 run on a database that holds data.  Also the vault
 * binding of an unclaimed instance's secret (instance.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "instance.h"
#include "store.h"
#include "store_fixture.h"
#include "support_tmpdir.h"
#include "vault.h"

static void device_id(uint8_t seed, uint8_t *id)
{
	memset(id, seed, HROT_DEVICE_NAME_SIZE);
	id[0] = 0x00;
	id[1] = 0x0b;
}

static void make_instance(uint8_t seed, struct store_instance *in)
{
	memset(in, 0, sizeof(*in));
	memset(in->id, seed, sizeof(in->id));
	in->created_at = 1700000000 + seed;
	in->sealed_secret_len = 61;
	memset(in->sealed_secret, 0xa0 + seed, in->sealed_secret_len);
}

static int do_insert(struct store_tx *tx, void *arg)
{
	return store_tx_instance_insert(tx, arg);
}

struct claim {
	const uint8_t *id;
	const uint8_t *device;
	int64_t now;
};

static int do_claim(struct store_tx *tx, void *arg)
{
	const struct claim *c = arg;

	return store_tx_instance_claim(tx, c->id, c->device, c->now);
}

static void test_round_trip_and_claim(void **state)
{
	struct fixture *f = *state;
	uint8_t dev1[HROT_DEVICE_NAME_SIZE], dev2[HROT_DEVICE_NAME_SIZE];
	struct store_instance in, got;
	struct claim c;

	device_id(1, dev1);
	device_id(2, dev2);
	assert_int_equal(in_tx(f->st, fixture_device_insert, dev1), 0);
	assert_int_equal(in_tx(f->st, fixture_device_insert, dev2), 0);
	make_instance(7, &in);
	assert_int_equal(store_instance_get(f->r, in.id, &got), -ENOENT);
	assert_int_equal(in_tx(f->st, do_insert, &in), 0);
	/* the same id twice */
	assert_int_equal(in_tx(f->st, do_insert, &in), -EEXIST);

	assert_int_equal(store_instance_get(f->r, in.id, &got), 0);
	assert_memory_equal(got.id, in.id, sizeof(in.id));
	assert_int_equal(got.created_at, in.created_at);
	assert_int_equal(got.sealed_secret_len, in.sealed_secret_len);
	assert_memory_equal(got.sealed_secret, in.sealed_secret,
			    in.sealed_secret_len);
	assert_false(got.claimed);

	c = (struct claim){ .id = in.id, .device = dev1, .now = 1800000000 };
	assert_int_equal(in_tx(f->st, do_claim, &c), 0);
	assert_int_equal(store_instance_get(f->r, in.id, &got), 0);
	assert_true(got.claimed);
	assert_memory_equal(got.device, dev1, sizeof(dev1));
	assert_int_equal(got.claimed_at, 1800000000);

	/* once: not again, not by the same device, not by another */
	assert_int_equal(in_tx(f->st, do_claim, &c), -EALREADY);
	c.device = dev2;
	assert_int_equal(in_tx(f->st, do_claim, &c), -EALREADY);
	assert_int_equal(store_instance_get(f->r, in.id, &got), 0);
	assert_memory_equal(got.device, dev1, sizeof(dev1));
}

static void test_claim_errors(void **state)
{
	struct fixture *f = *state;
	uint8_t dev[HROT_DEVICE_NAME_SIZE], unknown_dev[HROT_DEVICE_NAME_SIZE];
	struct store_instance in, got;
	struct claim c;

	device_id(3, dev);
	device_id(4, unknown_dev);
	assert_int_equal(in_tx(f->st, fixture_device_insert, dev), 0);
	make_instance(9, &in);
	c = (struct claim){ .id = in.id, .device = dev, .now = 5 };
	assert_int_equal(in_tx(f->st, do_claim, &c), -ENOENT);
	assert_int_equal(in_tx(f->st, do_insert, &in), 0);
	/* a device that is not registered cannot hold it (foreign key) */
	c.device = unknown_dev;
	assert_int_equal(in_tx(f->st, do_claim, &c), -ENOENT);
	assert_int_equal(store_instance_get(f->r, in.id, &got), 0);
	assert_false(got.claimed);
	c.id = NULL;
	assert_int_equal(in_tx(f->st, do_claim, &c), -EINVAL);
	in.sealed_secret_len = 0;
	assert_int_equal(in_tx(f->st, do_insert, &in), -EINVAL);
	in.sealed_secret_len = STORE_SEALED_MAX + 1;
	assert_int_equal(in_tx(f->st, do_insert, &in), -EINVAL);
}

static void sql_exec(const char *db, const char *sql)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

/* A schema 1 database (with a device) is migrated to the latest on open. */
static void test_migration_1_to_latest(void **state)
{
	struct fixture *f = *state;
	uint8_t dev[HROT_DEVICE_NAME_SIZE];
	struct store_floor *floors = NULL;
	struct store_device d;
	struct store_instance in;
	size_t n = 1;

	device_id(5, dev);
	assert_int_equal(in_tx(f->st, fixture_device_insert, dev), 0);
	store_reader_close(f->r);
	store_close(f->st);
	sql_exec(f->db, "DROP TABLE instances; DROP TABLE floors;"
			" ALTER TABLE policy_entries DROP COLUMN component_key;"
			" DELETE FROM schema_version WHERE version >= 2;");
	assert_int_equal(store_open(f->db, &f->st), 0);
	assert_int_equal(store_reader_open(f->st, &f->r), 0);
	memset(&d, 0, sizeof(d));
	assert_int_equal(store_device_get(f->r, dev, &d), 0);
	store_device_free(&d);
	make_instance(1, &in);
	assert_int_equal(in_tx(f->st, do_insert, &in), 0);
	/* schema 3's floors table is there, and empty */
	assert_int_equal(store_floors_get(f->r, dev, NULL, &floors, &n), 0);
	assert_int_equal(n, 0);
	free(floors);
}

/* An unclaimed instance's secret opens for the instance, not a device. */
static void test_vault_binding(void **state)
{
	struct fixture *f = *state;
	char *key = support_path(f->dir, "vault.key");
	uint8_t secret[HROT_SECRET_SIZE], out[VAULT_SECRET_MAX];
	uint8_t dev[HROT_DEVICE_NAME_SIZE], vid[HROT_DEVICE_NAME_SIZE];
	uint8_t resealed[STORE_SEALED_MAX];
	struct store_instance in, other;
	struct vault *v;
	size_t len = 0, rlen = 0;

	assert_int_equal(vault_open(key, true, &v), 0);
	device_id(6, dev);
	assert_int_equal(instance_make(v, 42, &in, secret), 0);
	assert_int_equal(in.created_at, 42);
	instance_vault_id(in.id, vid);
	assert_int_equal(vid[0] | vid[1], 0);
	assert_int_equal(vault_open_secret(v, vid, in.sealed_secret,
					   in.sealed_secret_len, out,
					   sizeof(out), &len), 0);
	assert_int_equal(len, HROT_SECRET_SIZE);
	assert_memory_equal(out, secret, len);
	assert_int_equal(vault_open_secret(v, dev, in.sealed_secret,
					   in.sealed_secret_len, out,
					   sizeof(out), &len), -EBADMSG);
	/* re-sealed for the device: opens for it, not for the instance */
	assert_int_equal(instance_reseal(v, &in, dev, resealed,
					 sizeof(resealed), &rlen), 0);
	assert_int_equal(vault_open_secret(v, dev, resealed, rlen, out,
					   sizeof(out), &len), 0);
	assert_memory_equal(out, secret, HROT_SECRET_SIZE);
	assert_int_equal(vault_open_secret(v, vid, resealed, rlen, out,
					   sizeof(out), &len), -EBADMSG);
	/* another instance's pseudo id does not open it */
	assert_int_equal(instance_make(v, 43, &other, out), 0);
	assert_memory_not_equal(other.id, in.id, sizeof(in.id));
	memcpy(other.sealed_secret, in.sealed_secret, in.sealed_secret_len);
	other.sealed_secret_len = in.sealed_secret_len;
	assert_int_not_equal(instance_reseal(v, &other, dev, resealed,
					     sizeof(resealed), &rlen), 0);
	vault_close(v);
	free(key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_and_claim,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_migration_1_to_latest, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_vault_binding, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
