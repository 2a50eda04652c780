// SPDX-License-Identifier: GPL-2.0
/*
 * appraise_policy.c - every measured component is allowed (seed 002).
 *
 * Runs after the log check, so the records it reads are the ones the TPM
 * was extended with.  A record is allowed when the device's policy has an
 * entry whose component is the event's name (byte for byte), or "*", and
 * whose digest is the event's content digest (the SHA-256 of the measured
 * file, or of what was extended; Documentation/log-format.md).  The first
 * record that is not allowed decides, named in the detail.  The versions
 * the allowing entries give are kept for the rollback check.
 */
#include <stdlib.h>
#include <string.h>

#include "appraise_checks.h"
#include "version.h"

#define WILDCARD	"*"

static bool entry_names(const struct store_policy_entry *e,
			const struct hrot_event_data *ev)
{
	size_t len = strnlen(e->component, sizeof(e->component));

	if (len == 1 && e->component[0] == WILDCARD[0])
		return true;
	return len == ev->name_len && memcmp(e->component, ev->name, len) == 0;
}

/* @e is a better reason to allow than @best: exact name, newest version. */
static bool better(const struct store_policy_entry *e,
		   const struct store_policy_entry *best)
{
	bool e_exact = strcmp(e->component, WILDCARD) != 0;
	bool b_exact = strcmp(best->component, WILDCARD) != 0;

	if (e_exact != b_exact)
		return e_exact;
	return version_cmp(e->version, best->version) > 0;
}

/*
 * The entry that allows @ev, or NULL: of several, one naming it exactly
 * before a wildcard, and of those the newest version, so that neither the
 * entries' order nor a wildcard decides which version a record has.
 */
static const struct store_policy_entry *
allowed(const struct store_policy *p, const struct hrot_event_data *ev)
{
	const struct store_policy_entry *best = NULL;
	size_t i;

	for (i = 0; i < p->nr_entries; i++) {
		const struct store_policy_entry *e = &p->entries[i];

		if (entry_names(e, ev) &&
		    memcmp(e->digest, ev->content_digest, HROT_SHA256_SIZE) == 0 &&
		    (!best || better(e, best)))
			best = e;
	}
	return best;
}

/*
 * The component, version and digest an entry that names the record
 * exactly gives it, for the rollback floors, once per distinct triple (a
 * file measured again adds nothing); a wildcard or unversioned entry gives
 * none.  Return: 0, or -1 when out of memory.
 */
static int note_version(struct appraise_ctx *ctx,
			const struct store_policy_entry *e)
{
	struct store_floor *grown, *f;
	size_t i;

	if (!e->version[0] || !strcmp(e->component, WILDCARD))
		return 0;
	for (i = 0; i < ctx->nr_seen; i++)
		if (!strcmp(ctx->seen[i].component, e->component) &&
		    !strcmp(ctx->seen[i].version, e->version) &&
		    !memcmp(ctx->seen[i].digest, e->digest, sizeof(e->digest)))
			return 0;
	grown = realloc(ctx->seen, (ctx->nr_seen + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	ctx->seen = grown;
	f = &grown[ctx->nr_seen++];
	memset(f, 0, sizeof(*f));
	memcpy(f->component, e->component, sizeof(f->component));
	memcpy(f->version, e->version, sizeof(f->version));
	memcpy(f->digest, e->digest, sizeof(f->digest));
	return 0;
}

enum appraise_reason appraise_check_policy(struct appraise_run *run)
{
	const struct store_policy *p = run->ctx->policy;
	const struct hrot_log *log = run->log;
	char name[96], h[2 * HROT_SHA256_SIZE + 1];
	size_t i;

	if (!p || !run->ctx->dev->policy_id)
		return appraise_fail(run, APPRAISE_POLICY_MISSING,
				     "device is bound to no policy");
	if (p->id != run->ctx->dev->policy_id)
		return appraise_fail(run, APPRAISE_INTERNAL,
				     "policy %lld given, device is bound to %lld",
				     (long long)p->id,
				     (long long)run->ctx->dev->policy_id);
	for (i = 0; i < log->nr_records; i++) {
		const struct hrot_event_data *ev = &log->records[i].hrot;
		const struct store_policy_entry *e = allowed(p, ev);

		if (e && note_version(run->ctx, e))
			return appraise_fail(run, APPRAISE_INTERNAL,
					     "out of memory");
		if (e)
			continue;
		return appraise_fail(run, APPRAISE_POLICY_UNKNOWN_DIGEST,
				     "component %s digest %s not in policy '%s' v%s",
				     appraise_name(ev->name, ev->name_len, name,
						   sizeof(name)),
				     appraise_hex(ev->content_digest,
						  HROT_SHA256_SIZE, h, sizeof(h)),
				     p->name, p->version);
	}
	return APPRAISE_PASS;
}
