// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: TPMS_ATTEST (Part 2, 10.12.12), with the TPMS_QUOTE_INFO of a
 * quote, both ways.
 */
#include <errno.h>
#include <string.h>

#include "tpm_buf.h"

int rd_pcr_selection(struct tpm_rd *r, struct hrot_pcr_selection *s);
void wr_pcr_selection(struct tpm_wr *w, const struct hrot_pcr_selection *s);

static int rd_clock(struct tpm_rd *r, struct hrot_tpm_attest *a)
{
	int ret = rd_u64(r, "clockInfo.clock", &a->clock);

	if (!ret)
		ret = rd_u32(r, "clockInfo.resetCount", &a->reset_count);
	if (!ret)
		ret = rd_u32(r, "clockInfo.restartCount", &a->restart_count);
	if (!ret)
		ret = rd_u8(r, "clockInfo.safe", &a->safe);
	if (!ret && a->safe > 1) {
		r->off--;
		ret = rd_fail(r, -HROT_TPM_EFORMAT,
			      "clockInfo.safe: %u is not a boolean", a->safe);
	}
	return ret;
}

static int rd_header(struct tpm_rd *r, struct hrot_tpm_attest *a)
{
	int ret = rd_u32(r, "magic", &a->magic);

	if (!ret)
		ret = rd_u16(r, "type", &a->type);
	if (!ret)
		ret = rd_2b(r, "qualifiedSigner", a->signer, HROT_TPM_MAX_NAME,
			    &a->signer_size);
	if (!ret)
		ret = rd_2b(r, "extraData", a->extra, HROT_TPM_MAX_DIGEST,
			    &a->extra_size);
	if (!ret)
		ret = rd_clock(r, a);
	if (!ret)
		ret = rd_u64(r, "firmwareVersion", &a->firmware_version);
	return ret;
}

int hrot_tpm_attest_unmarshal(const void *buf, size_t len,
			      struct hrot_tpm_attest *out,
			      struct hrot_tpm_diag *diag)
{
	struct tpm_rd r;
	int ret;

	memset(out, 0, sizeof(*out));
	rd_init(&r, buf, len, diag);
	ret = rd_header(&r, out);
	if (ret || out->type != HROT_TPM_ST_ATTEST_QUOTE)
		return ret;
	ret = rd_pcr_selection(&r, &out->pcr_select);
	if (!ret)
		ret = rd_2b(&r, "quote.pcrDigest", out->pcr_digest,
			    HROT_TPM_MAX_DIGEST, &out->pcr_digest_size);
	return ret ? ret : rd_end(&r, "TPMS_ATTEST");
}

static bool attest_valid(const struct hrot_tpm_attest *a)
{
	return a->signer_size <= HROT_TPM_MAX_NAME &&
	       a->extra_size <= HROT_TPM_MAX_DIGEST &&
	       a->pcr_digest_size <= HROT_TPM_MAX_DIGEST &&
	       a->pcr_select.count <= HROT_TPM_MAX_BANKS &&
	       a->type == HROT_TPM_ST_ATTEST_QUOTE;
}

/* Only quotes: the other attestation types' unions are not kept. */
int hrot_tpm_attest_marshal(const struct hrot_tpm_attest *a, uint8_t *buf,
			    size_t size)
{
	struct tpm_wr w;

	if (!attest_valid(a))
		return -EINVAL;
	wr_init(&w, buf, size);
	wr_u32(&w, a->magic);
	wr_u16(&w, a->type);
	wr_2b(&w, a->signer, a->signer_size);
	wr_2b(&w, a->extra, a->extra_size);
	wr_u64(&w, a->clock);
	wr_u32(&w, a->reset_count);
	wr_u32(&w, a->restart_count);
	wr_u8(&w, a->safe);
	wr_u64(&w, a->firmware_version);
	wr_pcr_selection(&w, &a->pcr_select);
	wr_2b(&w, a->pcr_digest, a->pcr_digest_size);
	return wr_done(&w);
}
