// SPDX-License-Identifier: GPL-2.0
/*
 * appraise_component.c - a component attestation names an executable this
 * boot measured (seed 002).
 *
 * A token of kind COMPONENT lets the module ask the TPM for that
 * executable (HROT_IOC_COMPONENT_KEY), so the verifier issues one only for
 * a file the module hashed itself (a MEASURE_FD record, kind FILE) whose
 * digest is the one named, and only when the policy marks that file, under
 * that name, as a program that may have keys ("component_key"): the
 * kernel, an interpreter or any other measured file is not one by being
 * measured.  Other attestations pass here.
 */
#include <string.h>

#include "appraise_checks.h"

/* An exact entry for the record's name and digest that allows keys. */
static bool key_allowed(const struct store_policy *p,
			const struct hrot_event_data *ev)
{
	size_t i;

	for (i = 0; p && i < p->nr_entries; i++) {
		const struct store_policy_entry *e = &p->entries[i];

		if (e->component_key &&
		    strnlen(e->component, sizeof(e->component)) == ev->name_len &&
		    memcmp(e->component, ev->name, ev->name_len) == 0 &&
		    memcmp(e->digest, ev->content_digest, HROT_SHA256_SIZE) == 0)
			return true;
	}
	return false;
}

enum appraise_reason appraise_check_component(struct appraise_run *run)
{
	const struct hrot_log *log = run->log;
	char h[2 * HROT_SHA256_SIZE + 1];
	bool measured = false;
	size_t i;

	if (!run->attest || run->attest->purpose != HROT_ATTEST_COMPONENT)
		return APPRAISE_PASS;
	for (i = 0; i < log->nr_records; i++) {
		const struct hrot_event_data *ev = &log->records[i].hrot;

		if (ev->kind != HROT_EVENT_FILE ||
		    memcmp(ev->content_digest, run->attest->component,
			   HROT_SHA256_SIZE) != 0)
			continue;
		measured = true;
		if (key_allowed(run->ctx->policy, ev))
			return APPRAISE_PASS;
	}
	appraise_hex(run->attest->component, HROT_SHA256_SIZE, h, sizeof(h));
	if (!measured)
		return appraise_fail(run, APPRAISE_COMPONENT_NOT_ALLOWED,
				     "component %s is no file this boot measured",
				     h);
	return appraise_fail(run, APPRAISE_COMPONENT_NOT_ALLOWED,
			     "component %s: no entry of policy '%s' allows it component keys",
			     h, run->ctx->policy ? run->ctx->policy->name : "");
}
