// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: the "quote" member of the attest and physical requests,
 * {"attest": B64, "signature": B64, "pcrs": [{"index", "sha256_hex"}]}.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "evidence_json.h"

#define QUOTE_PFX	"quote."

static int pcr_from_json(struct json_object *item, size_t i,
			 struct hrot_wire_quote *q, const struct ev_err *e)
{
	char pfx[32];
	uint64_t index;
	int ret;

	if (!json_object_is_type(item, json_type_object)) {
		snprintf(pfx, sizeof(pfx), QUOTE_PFX "pcrs[%zu]", i);
		ev_fail(e, pfx, "", "not an object");
		return -EINVAL;
	}
	snprintf(pfx, sizeof(pfx), QUOTE_PFX "pcrs[%zu].", i);
	ret = ev_uint(item, pfx, "index", HROT_PCR_COUNT - 1, &index, e);
	if (ret < 0)
		return -EINVAL;
	if (q->pcr_mask & (1u << index)) {
		ev_fail(e, pfx, "index", "PCR %u listed twice",
			(unsigned int)index);
		return -EINVAL;
	}
	ret = ev_hex_exact(item, pfx, "sha256_hex", q->pcrs[index],
			   HROT_SHA256_SIZE, e);
	if (ret < 0)
		return -EINVAL;
	q->pcr_mask |= 1u << index;
	return 0;
}

static int pcrs_from_json(struct json_object *quote, struct hrot_wire_quote *q,
			  const struct ev_err *e)
{
	struct json_object *arr;
	size_t i, n;
	int ret;

	ret = ev_get(quote, QUOTE_PFX, "pcrs", json_type_array, &arr, e);
	if (ret < 0)
		return -EINVAL;
	n = json_object_array_length(arr);
	if (n == 0 || n > HROT_PCR_COUNT) {
		ev_fail(e, QUOTE_PFX, "pcrs", "%zu entries, want 1 to %u", n,
			HROT_PCR_COUNT);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		ret = pcr_from_json(json_object_array_get_idx(arr, i), i, q, e);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int ev_quote_from_json(struct json_object *top, struct hrot_wire_quote *q,
		       const struct ev_err *e)
{
	struct json_object *quote;
	int ret;

	ret = ev_get(top, "", "quote", json_type_object, &quote, e);
	if (ret < 0)
		return -EINVAL;
	ret = ev_b64_alloc(quote, QUOTE_PFX, "attest", &q->attest,
			   &q->attest_len, HROT_EVIDENCE_MAX_TPM_BLOB, e);
	if (ret == 0)
		ret = ev_b64_alloc(quote, QUOTE_PFX, "signature", &q->signature,
				   &q->signature_len,
				   HROT_EVIDENCE_MAX_TPM_BLOB, e);
	if (ret == 0)
		ret = pcrs_from_json(quote, q, e);
	return ret == -ENOENT ? -EINVAL : ret;
}

static struct json_object *pcr_to_json(const struct hrot_wire_quote *q,
				       unsigned int i)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (ev_add_int(o, "index", i) < 0 ||
	    ev_add_hex(o, "sha256_hex", q->pcrs[i], HROT_SHA256_SIZE) < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *pcrs_to_json(const struct hrot_wire_quote *q)
{
	struct json_object *arr = json_object_new_array();
	struct json_object *o;
	unsigned int i;

	if (!arr)
		return NULL;
	for (i = 0; i < HROT_PCR_COUNT; i++) {
		if (!(q->pcr_mask & (1u << i)))
			continue;
		o = pcr_to_json(q, i);
		if (!o || json_object_array_add(arr, o) < 0) {
			json_object_put(o);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

struct json_object *ev_quote_to_json(const struct hrot_wire_quote *q)
{
	struct json_object *o = json_object_new_object();
	int ret;

	if (!o)
		return NULL;
	ret = ev_add_b64(o, "attest", q->attest, q->attest_len);
	if (ret == 0)
		ret = ev_add_b64(o, "signature", q->signature,
				 q->signature_len);
	if (ret == 0)
		ret = ev_add(o, "pcrs", pcrs_to_json(q));
	if (ret < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

void ev_quote_free(struct hrot_wire_quote *q)
{
	free(q->attest);
	free(q->signature);
	q->attest = NULL;
	q->signature = NULL;
	q->attest_len = 0;
	q->signature_len = 0;
}
