// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: checking that each bank digest of an HROT record is the hash of
 * its event data, which is what binds the name and content digest in the
 * log to the PCR the TPM quotes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hrot/alg.h>
#include <hrot/eventlog.h>
#include <hrot/hex.h>

/* What the module logs for a bank it cannot hash itself. */
static bool is_padded_sha256(const struct hrot_log_digest *d,
			     const uint8_t sha256[HROT_SHA256_SIZE])
{
	uint8_t want[HROT_MAX_DIGEST_SIZE] = { 0 };
	size_t n = d->size < HROT_SHA256_SIZE ? d->size : HROT_SHA256_SIZE;

	memcpy(want, sha256, n);
	return memcmp(want, d->bytes, d->size) == 0;
}

/*
 * Return: 0 when @d is a digest the module could have logged for @event,
 * -HROT_LOG_EMISMATCH when not, another -errno when it cannot be told.
 */
static int check_digest(const struct hrot_log_digest *d,
			const struct hrot_log_record *r,
			const uint8_t sha256[HROT_SHA256_SIZE])
{
	const struct hrot_alg *alg = hrot_alg_find(d->alg);

	if (alg && (alg->kernel_hashes || hrot_alg_available(d->alg))) {
		uint8_t md[HROT_MAX_DIGEST_SIZE];
		int n = hrot_digest(d->alg, r->event, r->event_size, md,
				    sizeof(md));

		if (n < 0)
			return n;
		if ((size_t)n == d->size && memcmp(md, d->bytes, d->size) == 0)
			return 0;
	}
	if (alg && alg->kernel_hashes)
		return -HROT_LOG_EMISMATCH;
	return is_padded_sha256(d, sha256) ? 0 : -HROT_LOG_EMISMATCH;
}

static void describe(struct hrot_log_diag *diag, const struct hrot_log *log,
		     size_t i, const struct hrot_log_digest *d, int err)
{
	const struct hrot_log_record *r = &log->records[i];
	char bank[HROT_ALG_LABEL_SIZE];
	char *name;

	if (!diag)
		return;
	diag->record = i;
	diag->offset = r->offset;
	name = hrot_escape_name(r->hrot.name, r->hrot.name_len);
	snprintf(diag->msg, sizeof(diag->msg),
		 "record %zu at offset %zu (%s \"%.64s\"): %s digest %s", i,
		 r->offset, hrot_event_kind_name(r->hrot.kind),
		 name ? name : "?", hrot_alg_label(d->alg, bank),
		 err == -HROT_LOG_EMISMATCH ?
		 "does not match the event data" : "cannot be computed here");
	free(name);
}

int hrot_log_verify_record(const struct hrot_log *log, size_t i,
			   struct hrot_log_diag *diag)
{
	const struct hrot_log_record *r;
	uint8_t sha256[HROT_SHA256_SIZE];
	uint32_t k;
	int ret;

	if (i >= log->nr_records)
		return -EINVAL;
	r = &log->records[i];
	if (!r->is_hrot)
		return 0;
	ret = hrot_digest(HROT_ALG_SHA256, r->event, r->event_size, sha256,
			  sizeof(sha256));
	if (ret < 0)
		return ret;
	for (k = 0; k < r->nr_digests; k++) {
		ret = check_digest(&r->digests[k], r, sha256);
		if (ret) {
			describe(diag, log, i, &r->digests[k], ret);
			return ret;
		}
	}
	return 0;
}

int hrot_log_verify(const struct hrot_log *log, struct hrot_log_diag *diag)
{
	size_t i;

	for (i = 0; i < log->nr_records; i++) {
		int ret = hrot_log_verify_record(log, i, diag);

		if (ret)
			return ret;
	}
	return 0;
}
