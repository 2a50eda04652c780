/* SPDX-License-Identifier: GPL-2.0 */
/*
 * store_fixture.h - the store tests' fixture: a fresh database in a
 * temporary directory with one reader, and one transaction around a
 * function.  A header of static inline functions because support_*.c are
 * linked into every verifier test, also those without the store.
 */
#ifndef HROT_TEST_STORE_FIXTURE_H
#define HROT_TEST_STORE_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "support_tmpdir.h"

struct fixture {
	char *dir;
	char *db;
	struct store *st;
	struct store_reader *r;
};

static inline int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->dir = support_tmpdir_make();
	assert_non_null(f->dir);
	f->db = support_path(f->dir, "hrot.db");
	assert_int_equal(store_open(f->db, &f->st), 0);
	assert_int_equal(store_reader_open(f->st, &f->r), 0);
	*state = f;
	return 0;
}

static inline int teardown(void **state)
{
	struct fixture *f = *state;

	store_reader_close(f->r);
	store_close(f->st);
	free(f->db);
	support_tmpdir_remove(f->dir);
	free(f);
	return 0;
}

/*
 * in_tx()'s function inserting a registered device whose AK name is @arg
 * (HROT_DEVICE_NAME_SIZE bytes), with small stand-in publics.
 */
static inline int fixture_device_insert(struct store_tx *tx, void *arg)
{
	static uint8_t fixture_ek[] = { 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef };
	static uint8_t fixture_ak[] = { 0x00, 0x03, 0x01, 0x02, 0x03 };
	struct store_device d;

	memset(&d, 0, sizeof(d));
	memcpy(d.id, arg, sizeof(d.id));
	d.ek_public = fixture_ek;
	d.ek_public_len = sizeof(fixture_ek);
	d.ak_public = fixture_ak;
	d.ak_public_len = sizeof(fixture_ak);
	d.fingerprint.size = sizeof(d.fingerprint);
	d.registered_at = 1000;
	return store_tx_device_insert(tx, &d);
}

/* One transaction around @fn, committed when it returns 0. */
static inline int in_tx(struct store *st,
			int (*fn)(struct store_tx *, void *), void *arg)
{
	struct store_tx *tx;
	int err = store_tx_begin(st, &tx);

	if (err)
		return err;
	err = fn(tx, arg);
	if (err) {
		store_tx_abort(tx);
		return err;
	}
	return store_tx_commit(tx);
}

#endif /* HROT_TEST_STORE_FIXTURE_H */
