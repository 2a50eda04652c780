// SPDX-License-Identifier: GPL-2.0
/*
 * appraise_rollback.c - no component older than this device has already
 * passed with (seed 004: rollback prevention).
 *
 * A policy may allow several versions of a component at once (a rollout:
 * the new kernel and the old one); a device that has passed with the new
 * one must not be taken back to the old one, whose flaw may be why the new
 * one exists.  The floors are, per policy name and versioned component,
 * the newest version a pass of this device showed (the oldest of that
 * pass's records, so that a boot which loaded both stays passable; raised
 * at commit, api_attest.c).  A record whose allowing entry names an older
 * version is refused, unless it is the very file (digest) of the floor.
 * Floors of another policy name are not compared: its versions are another
 * scheme.  An operator lowers a floor on purpose with hrot-admin device
 * floors-reset.
 */
#include <stdio.h>
#include <string.h>

#include "appraise_checks.h"
#include "version.h"

static const struct store_floor *floor_of(const struct store_floor *floors,
					  size_t n, const char *component)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(floors[i].component, component))
			return &floors[i];
	return NULL;
}

bool appraise_floors_ok(const struct store_floor *seen, size_t nr_seen,
			const struct store_floor *floors, size_t nr_floors,
			char *detail, size_t detail_size)
{
	size_t i;

	for (i = 0; i < nr_seen; i++) {
		const struct store_floor *f =
			floor_of(floors, nr_floors, seen[i].component);

		/* the very file the device passed with is no rollback */
		if (!f || !memcmp(seen[i].digest, f->digest, sizeof(f->digest)))
			continue;
		if (version_cmp(seen[i].version, f->version) < 0) {
			snprintf(detail, detail_size,
				 "component %.96s version %.32s is older than version %.32s, which this device passed with",
				 seen[i].component, seen[i].version, f->version);
			return false;
		}
	}
	return true;
}

enum appraise_reason appraise_check_rollback(struct appraise_run *run)
{
	struct appraise_ctx *ctx = run->ctx;

	if (appraise_floors_ok(ctx->seen, ctx->nr_seen, ctx->floors,
			       ctx->nr_floors, ctx->detail,
			       sizeof(ctx->detail)))
		return APPRAISE_PASS;
	return APPRAISE_ROLLBACK;
}
