// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: TPML_PCR_SELECTION (Part 2, 10.9.7), marshalled, as a bit mask
 * per bank, and as the "sha256:0,1,13" lists of tpm2-tools.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/hrot.h>

#include "tpm_buf.h"

static int rd_bank(struct tpm_rd *r, struct hrot_pcr_bank_sel *b)
{
	uint8_t sel[HROT_TPM_PCR_SELECT_MAX] = { 0 };
	int ret = rd_u16(r, "pcrSelections.hash", &b->hash);
	unsigned int i;

	if (!ret)
		ret = rd_u8(r, "pcrSelections.sizeofSelect", &b->size_of_select);
	if (ret)
		return ret;
	if (b->size_of_select > HROT_TPM_PCR_SELECT_MAX) {
		r->off--;
		return rd_fail(r, -HROT_TPM_ETOOBIG,
			       "pcrSelections.sizeofSelect: %u over %u",
			       b->size_of_select, HROT_TPM_PCR_SELECT_MAX);
	}
	ret = rd_bytes(r, "pcrSelections.pcrSelect", sel, b->size_of_select);
	b->mask = 0;
	for (i = 0; i < b->size_of_select; i++)
		b->mask |= (uint32_t)sel[i] << (8 * i);
	return ret;
}

/* Shared with TPMS_ATTEST (tpm_attest.c). */
int rd_pcr_selection(struct tpm_rd *r, struct hrot_pcr_selection *s);

int rd_pcr_selection(struct tpm_rd *r, struct hrot_pcr_selection *s)
{
	int ret = rd_u32(r, "TPML_PCR_SELECTION.count", &s->count);
	uint32_t i;

	if (ret)
		return ret;
	if (s->count > HROT_TPM_MAX_BANKS) {
		r->off -= 4;
		return rd_fail(r, -HROT_TPM_ETOOBIG,
			       "TPML_PCR_SELECTION.count: %u over %u",
			       s->count, HROT_TPM_MAX_BANKS);
	}
	for (i = 0; i < s->count && !ret; i++)
		ret = rd_bank(r, &s->banks[i]);
	return ret;
}

int hrot_pcr_selection_unmarshal(const void *buf, size_t len,
				 struct hrot_pcr_selection *out,
				 struct hrot_tpm_diag *diag)
{
	struct tpm_rd r;
	int ret;

	memset(out, 0, sizeof(*out));
	rd_init(&r, buf, len, diag);
	ret = rd_pcr_selection(&r, out);
	return ret ? ret : rd_end(&r, "TPML_PCR_SELECTION");
}

/* Shared with TPMS_ATTEST (tpm_attest.c). */
void wr_pcr_selection(struct tpm_wr *w, const struct hrot_pcr_selection *s);

void wr_pcr_selection(struct tpm_wr *w, const struct hrot_pcr_selection *s)
{
	uint32_t i, k;

	wr_u32(w, s->count);
	for (i = 0; i < s->count && i < HROT_TPM_MAX_BANKS; i++) {
		const struct hrot_pcr_bank_sel *b = &s->banks[i];

		wr_u16(w, b->hash);
		wr_u8(w, b->size_of_select);
		for (k = 0; k < b->size_of_select; k++)
			wr_u8(w, (uint8_t)(b->mask >> (8 * k)));
	}
}

static bool selection_valid(const struct hrot_pcr_selection *s)
{
	uint32_t i;

	if (s->count > HROT_TPM_MAX_BANKS)
		return false;
	for (i = 0; i < s->count; i++)
		if (s->banks[i].size_of_select > HROT_TPM_PCR_SELECT_MAX)
			return false;
	return true;
}

int hrot_pcr_selection_marshal(const struct hrot_pcr_selection *sel,
			       uint8_t *buf, size_t size)
{
	struct tpm_wr w;

	if (!selection_valid(sel))
		return -EINVAL;
	wr_init(&w, buf, size);
	wr_pcr_selection(&w, sel);
	return wr_done(&w);
}

unsigned int hrot_pcr_selection_count(const struct hrot_pcr_selection *sel)
{
	unsigned int n = 0;
	uint32_t i;

	for (i = 0; i < sel->count && i < HROT_TPM_MAX_BANKS; i++)
		n += (unsigned int)__builtin_popcount(sel->banks[i].mask);
	return n;
}

/* Same banks in the same order selecting the same PCRs. */
bool hrot_pcr_selection_equal(const struct hrot_pcr_selection *a,
			      const struct hrot_pcr_selection *b)
{
	uint32_t i;

	if (a->count != b->count || a->count > HROT_TPM_MAX_BANKS)
		return false;
	for (i = 0; i < a->count; i++)
		if (a->banks[i].hash != b->banks[i].hash ||
		    a->banks[i].mask != b->banks[i].mask)
			return false;
	return true;
}

/* One PCR number 0..23 and what follows it. */
static int parse_pcr(const char *s, uint32_t *mask, const char **end)
{
	char *e;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	v = strtoul(s, &e, 10);
	if (v >= HROT_PCR_COUNT || e - s > 2)
		return -EINVAL;
	*mask |= 1u << v;
	*end = e;
	return 0;
}

int hrot_pcr_selection_parse(const char *s, struct hrot_pcr_selection *out)
{
	uint32_t mask = 0;

	memset(out, 0, sizeof(*out));
	if (strncmp(s, "sha256:", 7) == 0)
		s += 7;
	for (;;) {
		if (parse_pcr(s, &mask, &s))
			return -EINVAL;
		if (*s == '\0')
			break;
		if (*s++ != ',')
			return -EINVAL;
	}
	out->count = 1;
	out->banks[0].hash = HROT_ALG_SHA256;
	out->banks[0].size_of_select = 3;
	out->banks[0].mask = mask;
	return 0;
}
