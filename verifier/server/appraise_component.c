// SPDX-License-Identifier: GPL-2.0
/*
 * appraise_component.c - a component attestation names an executable this
 * boot measured (seed 002).
 *
 * A token of kind COMPONENT lets the module ask the TPM for that
 * executable (HROT_IOC_COMPONENT_KEY), so the verifier issues one only for
 * a file the module hashed itself (a MEASURE_FD record, kind FILE) whose
 * digest is the one named; the policy check before this one already
 * allowed every record, that one included.  Other attestations pass here.
 */
#include <string.h>

#include "appraise_checks.h"

enum appraise_reason appraise_check_component(struct appraise_run *run)
{
	const struct hrot_log *log = run->log;
	char h[2 * HROT_SHA256_SIZE + 1];
	size_t i;

	if (!run->attest || run->attest->purpose != HROT_ATTEST_COMPONENT)
		return APPRAISE_PASS;
	for (i = 0; i < log->nr_records; i++) {
		const struct hrot_event_data *ev = &log->records[i].hrot;

		if (ev->kind == HROT_EVENT_FILE &&
		    !memcmp(ev->content_digest, run->attest->component,
			    HROT_SHA256_SIZE))
			return APPRAISE_PASS;
	}
	return appraise_fail(run, APPRAISE_COMPONENT_UNMEASURED,
			     "component %s is no file this boot measured",
			     appraise_hex(run->attest->component,
					  HROT_SHA256_SIZE, h, sizeof(h)));
}
