// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: version_cmp() (version.h), the order of the rollback floors,
 * and the floors table of the store (schema 3) on a real database: set,
 * raise, reset one and all, per device; and the store's retention
 * (store_tx_prune): expired tokens and passing runtime verdicts go,
 * everything else stays.
 */
#include <endian.h>
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store.h"
#include "store_fixture.h"
#include "version.h"

struct order {
	const char *older, *newer;
};

static void test_order(void **state)
{
	static const struct order cases[] = {
		{ "1.9", "1.10" }, { "1.2", "1.2.1" }, { "1.0~rc1", "1.0" },
		{ "1.0", "1.0a" }, { "6.1.0-55", "6.1.0-56" },
		{ "6.1.0-9", "6.1.0-10" }, { "2", "10" }, { "1.1", "1.a" },
		{ "0.9", "1" }, { "1.0~rc1", "1.0~rc2" }, { "", "0.1" },
		{ "1.2.3", "1.2.10" }, { "abc", "abd" },
		/* dpkg: letters before other bytes in a non-digit run */
		{ "1.0rc1", "1.0.1" }, { "2.0beta", "2.0.1" }, { "1.0a", "1.0+" },
		{ "1.0-", "1.0.1" }, { "1.0~~", "1.0~" }, { "1.0~", "1.0~a" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (version_cmp(cases[i].older, cases[i].newer) >= 0 ||
		    version_cmp(cases[i].newer, cases[i].older) <= 0)
			fail_msg("want \"%s\" < \"%s\"", cases[i].older,
				 cases[i].newer);
	}
	/* leading zeros do not count; equal is equal */
	assert_int_equal(version_cmp("1.01", "1.1"), 0);
	assert_int_equal(version_cmp("1.0", "1.00"), 0);
	assert_int_equal(version_cmp("6.1.0-56", "6.1.0-56"), 0);
	assert_int_equal(version_cmp("", ""), 0);
	/* numbers longer than any integer type */
	assert_true(version_cmp("99999999999999999999999",
				"100000000000000000000000") < 0);
}

static uint8_t dev_a[HROT_DEVICE_NAME_SIZE] = { 0x00, 0x0b, 0xaa };
static uint8_t dev_b[HROT_DEVICE_NAME_SIZE] = { 0x00, 0x0b, 0xbb };
static int do_devices(struct store_tx *tx, void *arg)
{
	int err = fixture_device_insert(tx, dev_a);

	(void)arg;
	return err ? err : fixture_device_insert(tx, dev_b);
}

struct set {
	const uint8_t *dev;
	struct store_floor f;
};

static int do_set(struct store_tx *tx, void *arg)
{
	const struct set *s = arg;

	return store_tx_floor_set(tx, s->dev, &s->f, 2000);
}

static void set_floor(struct fixture *f, const uint8_t *dev,
		      const char *policy, const char *component,
		      const char *version, int want)
{
	struct set s = { .dev = dev };

	snprintf(s.f.policy, sizeof(s.f.policy), "%s", policy);
	snprintf(s.f.component, sizeof(s.f.component), "%s", component);
	snprintf(s.f.version, sizeof(s.f.version), "%s", version);
	memset(s.f.digest, version[0], sizeof(s.f.digest));
	assert_int_equal(in_tx(f->st, do_set, &s), want);
}

static int removed;
static const char *reset_component;

static int do_reset(struct store_tx *tx, void *arg)
{
	return store_tx_floors_reset(tx, arg, reset_component, &removed);
}

/* "policy/component=version@digest[0] ..." of @dev under @policy */
static void floors_of(struct store_reader *r, const uint8_t *dev,
		      const char *policy, char *out, size_t size)
{
	struct store_floor *f = NULL;
	size_t n = 0, i, len = 0;

	assert_int_equal(store_floors_get(r, dev, policy, &f, &n), 0);
	out[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, size - len, "%s/%s=%s@%c ",
					f[i].policy, f[i].component,
					f[i].version, f[i].digest[0]);
	free(f);
}

static void test_floors(void **state)
{
	struct fixture *f = *state;
	char got[512];

	assert_int_equal(in_tx(f->st, do_devices, NULL), 0);
	floors_of(f->r, dev_a, NULL, got, sizeof(got));
	assert_string_equal(got, "");
	set_floor(f, dev_a, "web", "/boot/vmlinuz", "6.1.0-55", 0);
	set_floor(f, dev_a, "web", "fw", "1.9", 0);
	set_floor(f, dev_a, "base", "fw", "3", 0);
	set_floor(f, dev_b, "web", "fw", "2.0", 0);
	set_floor(f, dev_a, "web", "/boot/vmlinuz", "6.1.0-56", 0);
	set_floor(f, dev_a, "web", "fw", "", -EINVAL);
	set_floor(f, dev_a, "", "fw", "1", -EINVAL);
	floors_of(f->r, dev_a, NULL, got, sizeof(got));
	assert_string_equal(got, "base/fw=3@3 web//boot/vmlinuz=6.1.0-56@6 web/fw=1.9@1 ");
	floors_of(f->r, dev_a, "web", got, sizeof(got));
	assert_string_equal(got, "web//boot/vmlinuz=6.1.0-56@6 web/fw=1.9@1 ");
	floors_of(f->r, dev_b, NULL, got, sizeof(got));
	assert_string_equal(got, "web/fw=2.0@2 ");

	/* a reset names a component under every policy name */
	reset_component = "fw";
	assert_int_equal(in_tx(f->st, do_reset, dev_a), 0);
	assert_int_equal(removed, 2);
	floors_of(f->r, dev_a, NULL, got, sizeof(got));
	assert_string_equal(got, "web//boot/vmlinuz=6.1.0-56@6 ");
	floors_of(f->r, dev_b, NULL, got, sizeof(got));
	assert_string_equal(got, "web/fw=2.0@2 ");
	reset_component = NULL;
	assert_int_equal(in_tx(f->st, do_reset, dev_a), 0);
	assert_int_equal(removed, 1);
	floors_of(f->r, dev_a, NULL, got, sizeof(got));
	assert_string_equal(got, "");
	reset_component = "nothing";
	assert_int_equal(in_tx(f->st, do_reset, dev_b), 0);
	assert_int_equal(removed, 0);
}

struct prune_arg {
	int64_t cutoff;
	int tokens, audit;
};

static int do_history(struct store_tx *tx, void *arg)
{
	static const struct {
		const char *action;
		bool ok;
		int64_t time;
	} rows[] = {
		{ "runtime", true, 100 }, { "runtime", true, 5000 },
		{ "component", true, 100 }, { "runtime", false, 100 },
		{ "attest", true, 100 }, { "revoke", true, 100 },
	};
	struct hrot_token t;
	struct store_audit a;
	size_t i;
	int err;

	(void)arg;
	for (i = 0; i < 3; i++) {
		memset(&t, 0, sizeof(t));
		memset(t.token_id, (int)i + 1, sizeof(t.token_id));
		memcpy(t.device, dev_a, sizeof(t.device));
		t.kind = HROT_TOKEN_KIND_RUNTIME;
		t.issued_at = htole64(10);
		/*
		 * expired at 500 (gone), at 800 (kept: within the 300 s of
		 * clock skew before the cutoff), and not before 9000 (kept)
		 */
		t.expires_at = htole64(i == 0 ? 500 : i == 1 ? 800 : 9000);
		err = store_tx_token_insert(tx, &t);
		if (err)
			return err;
	}
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&a, 0, sizeof(a));
		a.time = rows[i].time;
		memcpy(a.device, dev_a, sizeof(a.device));
		snprintf(a.action, sizeof(a.action), "%s", rows[i].action);
		a.ok = rows[i].ok;
		err = store_tx_audit(tx, &a);
		if (err)
			return err;
	}
	return 0;
}

static int do_prune(struct store_tx *tx, void *arg)
{
	struct prune_arg *p = arg;

	return store_tx_prune(tx, p->cutoff, &p->tokens, &p->audit);
}

static void test_prune(void **state)
{
	struct fixture *f = *state;
	struct prune_arg p = { .cutoff = 1000 };
	struct store_audit *a = NULL;
	size_t n = 0, i;
	char got[256] = "";

	assert_int_equal(in_tx(f->st, do_devices, NULL), 0);
	assert_int_equal(in_tx(f->st, do_history, NULL), 0);
	assert_int_equal(in_tx(f->st, do_prune, &p), 0);
	assert_int_equal(p.tokens, 1);
	assert_int_equal(p.audit, 2);
	assert_int_equal(store_audit_list(f->r, 0, NULL, 100, &a, &n), 0);
	for (i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s:%d:%lld ",
			 a[i].action, a[i].ok, (long long)a[i].time);
	free(a);
	assert_string_equal(got, "runtime:1:5000 runtime:0:100 attest:1:100 revoke:1:100 ");
	/* again: nothing left to forget */
	assert_int_equal(in_tx(f->st, do_prune, &p), 0);
	assert_int_equal(p.tokens + p.audit, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
		cmocka_unit_test_setup_teardown(test_floors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
