// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the verifier's request decoders (register, physical,
 * attest JSON) and the signed-object parsers (struct hrot_token, struct
 * hrot_metadata), all on every input.  What decodes must encode, and the
 * encoding must decode to the same request.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hrot/evidence.h>
#include <hrot/token.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static int same_blob(const uint8_t *a, size_t alen, const uint8_t *b,
		     size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

static int same_quote(const struct hrot_wire_quote *a,
		      const struct hrot_wire_quote *b)
{
	return same_blob(a->attest, a->attest_len, b->attest, b->attest_len) &&
	       same_blob(a->signature, a->signature_len, b->signature,
			 b->signature_len) &&
	       a->pcr_mask == b->pcr_mask &&
	       memcmp(a->pcrs, b->pcrs, sizeof(a->pcrs)) == 0;
}

static void fuzz_attest(const char *json, size_t len)
{
	struct hrot_attest_req a, b;
	char err[HROT_EVIDENCE_ERR_SIZE];
	char *text;

	if (hrot_attest_req_from_json(json, len, &a, err, sizeof(err)) != 0)
		return;
	check(hrot_attest_req_to_json(&a, &text) == 0);
	check(hrot_attest_req_from_json(text, strlen(text), &b, err,
					sizeof(err)) == 0);
	check(memcmp(a.device, b.device, sizeof(a.device)) == 0 &&
	      memcmp(&a.metadata, &b.metadata, sizeof(a.metadata)) == 0 &&
	      memcmp(&a.fingerprint, &b.fingerprint,
		     sizeof(a.fingerprint)) == 0 &&
	      same_quote(&a.quote, &b.quote) &&
	      same_blob(a.event_log, a.event_log_len, b.event_log,
			b.event_log_len) &&
	      a.has_physical_token == b.has_physical_token);
	free(text);
	hrot_attest_req_free(&a);
	hrot_attest_req_free(&b);
}

static void fuzz_physical(const char *json, size_t len)
{
	struct hrot_physical_req a, b;
	char err[HROT_EVIDENCE_ERR_SIZE];
	char *text;

	if (hrot_physical_req_from_json(json, len, &a, err, sizeof(err)) != 0)
		return;
	check(hrot_physical_req_to_json(&a, &text) == 0);
	check(hrot_physical_req_from_json(text, strlen(text), &b, err,
					  sizeof(err)) == 0);
	check(memcmp(a.nonce, b.nonce, sizeof(a.nonce)) == 0 &&
	      memcmp(&a.fingerprint, &b.fingerprint,
		     sizeof(a.fingerprint)) == 0 &&
	      same_quote(&a.quote, &b.quote));
	free(text);
	hrot_physical_req_free(&a);
	hrot_physical_req_free(&b);
}

static void fuzz_register(const char *json, size_t len)
{
	struct hrot_register_req a, b;
	char err[HROT_EVIDENCE_ERR_SIZE];
	char *text;

	if (hrot_register_req_from_json(json, len, &a, err, sizeof(err)) != 0)
		return;
	check(hrot_register_req_to_json(&a, &text) == 0);
	check(hrot_register_req_from_json(text, strlen(text), &b, err,
					  sizeof(err)) == 0);
	check(same_blob(a.ek_public, a.ek_public_len, b.ek_public,
			b.ek_public_len) &&
	      same_blob(a.ak_public, a.ak_public_len, b.ak_public,
			b.ak_public_len) &&
	      a.nr_meta == b.nr_meta &&
	      memcmp(&a.fingerprint, &b.fingerprint,
		     sizeof(a.fingerprint)) == 0);
	free(text);
	hrot_register_req_free(&a);
	hrot_register_req_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hrot_token t;
	struct hrot_metadata m;
	char err[128];

	fuzz_attest((const char *)data, size);
	fuzz_physical((const char *)data, size);
	fuzz_register((const char *)data, size);
	if (hrot_token_parse(data, size, &t, err, sizeof(err)) == 0)
		check(memcmp(&t, data, sizeof(t)) == 0);
	if (hrot_metadata_parse(data, size, &m, err, sizeof(err)) == 0)
		check(memcmp(&m, data, sizeof(m)) == 0);
	return 0;
}
