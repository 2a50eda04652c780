// SPDX-License-Identifier: GPL-2.0
/*
 * appraise_fingerprint.c - the hardware is the registered hardware
 * (seed 003): the presented fingerprint's digest is recomputed from its
 * components (a digest that does not match them is refused, whatever it
 * says) and must equal the registered one.  On a mismatch the detail
 * names the components that differ, so an operator can tell a replaced
 * board from a moved disk.
 */
#include <stdio.h>
#include <string.h>

#include <hrot/device.h>

#include "appraise_checks.h"

static const struct hrot_fp_component *
component(const struct hrot_fingerprint *fp, uint32_t id)
{
	uint32_t i, n = fp->nr_components;

	if (n > HROT_FP_MAX_COMPONENTS)
		n = HROT_FP_MAX_COMPONENTS;
	for (i = 0; i < n; i++)
		if (fp->components[i].id == id)
			return &fp->components[i];
	return NULL;
}

static bool component_differs(const struct hrot_fp_component *a,
			      const struct hrot_fp_component *b)
{
	if (!a || !b)
		return a != b;
	return a->flags != b->flags ||
	       memcmp(a->digest, b->digest, HROT_SHA256_SIZE) != 0;
}

/* "product_serial, tpm_ek" into @out; "" when no known component differs. */
static void list_changes(const struct hrot_fingerprint *a,
			 const struct hrot_fingerprint *b, char *out,
			 size_t size)
{
	size_t len = 0;
	uint32_t id;

	out[0] = '\0';
	for (id = 0; id <= HROT_FP_NR_IDS + 1 && len < size; id++) {
		const char *name = hrot_fp_component_name(id);
		int n;

		if (!component_differs(component(a, id), component(b, id)))
			continue;
		if (name)
			n = snprintf(out + len, size - len, "%s%s",
				     len ? ", " : "", name);
		else
			n = snprintf(out + len, size - len, "%scomponent %u",
				     len ? ", " : "", id);
		if (n < 0)
			break;
		len += (size_t)n;
	}
}

enum appraise_reason appraise_check_fingerprint(struct appraise_run *run)
{
	const struct hrot_fingerprint *fp = run->fingerprint;
	const struct hrot_fingerprint *reg = &run->ctx->dev->fingerprint;
	uint8_t digest[HROT_SHA256_SIZE];
	char changes[160];

	if (fp->nr_components > HROT_FP_MAX_COMPONENTS)
		return appraise_fail(run, APPRAISE_FINGERPRINT_MISMATCH,
				     "fingerprint has %u components, at most %d",
				     fp->nr_components, HROT_FP_MAX_COMPONENTS);
	if (hrot_fingerprint_digest(fp, digest))
		return appraise_fail(run, APPRAISE_INTERNAL,
				     "cannot hash the fingerprint");
	if (memcmp(digest, fp->digest, HROT_SHA256_SIZE) != 0)
		return appraise_fail(run, APPRAISE_FINGERPRINT_MISMATCH,
				     "fingerprint digest does not match its components");
	if (memcmp(fp->digest, reg->digest, HROT_SHA256_SIZE) == 0)
		return APPRAISE_PASS;
	list_changes(fp, reg, changes, sizeof(changes));
	if (!changes[0])
		snprintf(changes, sizeof(changes), "their order or number");
	return appraise_fail(run, APPRAISE_FINGERPRINT_MISMATCH,
			     "components changed: %s", changes);
}
