// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: the "serialized" PCR file of tpm2_quote -o / tpm2_checkquote -f:
 * the TSS's TPML_PCR_SELECTION and TPML_DIGEST structures as they lie in
 * memory on a little-endian host.
 *
 *   TPMS_PCR_SELECTION: u16 hash, u8 sizeofSelect, u8 pcrSelect[4], pad
 *   TPML_PCR_SELECTION: u32 count, 16 of those          = 132 bytes
 *   u32 number of TPML_DIGEST lists
 *   TPM2B_DIGEST: u16 size, u8 buffer[64]
 *   TPML_DIGEST: u32 count, 8 of those                  = 532 bytes
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hrot/alg.h>
#include <hrot/quote.h>

#include "le.h"
#include "tpm_buf.h"

#define SEL_ENTRY	((size_t)8)
#define DIGEST_ENTRY	((size_t)66)

/* Digest size of each selected PCR, in order; the count, or -EINVAL. */
static int digest_sizes(const struct hrot_pcr_selection *sel,
			uint16_t *sizes, size_t max)
{
	size_t n = 0;
	uint32_t i, pcr;

	if (sel->count > HROT_TPM_MAX_BANKS)
		return -EINVAL;
	for (i = 0; i < sel->count; i++) {
		const struct hrot_alg *alg = hrot_alg_find(sel->banks[i].hash);

		if (!alg)
			return -EINVAL;
		for (pcr = 0; pcr < 32; pcr++) {
			if (!(sel->banks[i].mask & (1u << pcr)))
				continue;
			if (n == max)
				return -EINVAL;
			sizes[n++] = alg->digest_size;
		}
	}
	return (int)n;
}

#define MAX_DIGESTS	((size_t)HROT_PCRS_FILE_PER_LIST * HROT_PCRS_FILE_MAX_LISTS)

static void put_selection(uint8_t *p, const struct hrot_pcr_selection *sel)
{
	uint32_t i;

	put_le32(p, sel->count);
	for (i = 0; i < sel->count; i++) {
		uint8_t *e = p + 4 + SEL_ENTRY * i;

		put_le16(e, sel->banks[i].hash);
		e[2] = sel->banks[i].size_of_select;
		put_le32(e + 3, sel->banks[i].mask);
	}
}

static void put_digests(uint8_t *p, const uint8_t *values,
			const uint16_t *sizes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t *list = p + HROT_PCRS_FILE_LIST_SIZE *
				    (i / HROT_PCRS_FILE_PER_LIST);
		uint8_t *d = list + 4 + DIGEST_ENTRY *
				 (i % HROT_PCRS_FILE_PER_LIST);

		put_le32(list, get_le32(list) + 1);
		put_le16(d, sizes[i]);
		memcpy(d + 2, values, sizes[i]);
		values += sizes[i];
	}
}

int hrot_pcrs_file_write(const struct hrot_pcr_selection *sel,
			 const void *values, size_t values_len, uint8_t **out,
			 size_t *out_len)
{
	uint16_t sizes[MAX_DIGESTS];
	size_t total = 0, lists, len;
	int n = digest_sizes(sel, sizes, MAX_DIGESTS), i;

	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		total += sizes[i];
	if (total != values_len)
		return -EINVAL;
	lists = ((size_t)n + HROT_PCRS_FILE_PER_LIST - 1) /
		HROT_PCRS_FILE_PER_LIST;
	len = HROT_PCRS_FILE_SEL_SIZE + 4 + lists * HROT_PCRS_FILE_LIST_SIZE;
	*out = calloc(1, len);
	if (!*out)
		return -ENOMEM;
	put_selection(*out, sel);
	put_le32(*out + HROT_PCRS_FILE_SEL_SIZE, (uint32_t)lists);
	put_digests(*out + HROT_PCRS_FILE_SEL_SIZE + 4, values, sizes,
		    (size_t)n);
	*out_len = len;
	return 0;
}

static int read_selection(struct tpm_rd *r, struct hrot_pcr_selection *sel)
{
	uint32_t i;

	sel->count = get_le32(r->p);
	if (sel->count > HROT_TPM_MAX_BANKS)
		return rd_fail(r, -HROT_TPM_ETOOBIG,
			       "pcrSelections.count: %u over %u", sel->count,
			       HROT_TPM_MAX_BANKS);
	for (i = 0; i < sel->count; i++) {
		const uint8_t *e = r->p + 4 + SEL_ENTRY * i;

		sel->banks[i].hash = get_le16(e);
		sel->banks[i].size_of_select = e[2];
		sel->banks[i].mask = get_le32(e + 3);
		if (e[2] > HROT_TPM_PCR_SELECT_MAX) {
			r->off = 4 + SEL_ENTRY * i + 2;
			return rd_fail(r, -HROT_TPM_ETOOBIG,
				       "pcrSelections[%u].sizeofSelect: %u over %u",
				       i, e[2], HROT_TPM_PCR_SELECT_MAX);
		}
		if (e[2] < 4)
			sel->banks[i].mask &= (1u << (8 * e[2])) - 1;
	}
	return 0;
}

struct values_out {
	uint8_t *p;
	size_t size;
	size_t len;
	size_t n;	/* digests read */
};

static int read_list(struct tpm_rd *r, const uint16_t *sizes, int want,
		     struct values_out *v)
{
	const uint8_t *list = r->p + r->off;
	uint32_t count = get_le32(list), k;

	if (count > HROT_PCRS_FILE_PER_LIST || v->n + count > (size_t)want)
		return rd_fail(r, -HROT_TPM_ETOOBIG,
			       "TPML_DIGEST.count: %u is more than the selection has left",
			       count);
	for (k = 0; k < count; k++, v->n++) {
		const uint8_t *d = list + 4 + DIGEST_ENTRY * k;

		if (get_le16(d) != sizes[v->n]) {
			r->off += 4 + DIGEST_ENTRY * k;
			return rd_fail(r, -HROT_TPM_EFORMAT,
				       "digest %zu: size %u, its bank's is %u",
				       v->n, get_le16(d), sizes[v->n]);
		}
		if (v->size - v->len < sizes[v->n])
			return rd_fail(r, -HROT_TPM_ETOOBIG,
				       "PCR values: more than %zu bytes",
				       v->size);
		memcpy(v->p + v->len, d + 2, sizes[v->n]);
		v->len += sizes[v->n];
	}
	r->off += HROT_PCRS_FILE_LIST_SIZE;
	return 0;
}

static int read_lists(struct tpm_rd *r, const uint16_t *sizes, int want,
		      struct values_out *v)
{
	uint32_t lists, i;
	int ret = 0;

	r->off = HROT_PCRS_FILE_SEL_SIZE;
	if (r->len - r->off < 4)
		return rd_fail(r, -HROT_TPM_ETRUNCATED,
			       "number of TPML_DIGEST lists: file ends");
	lists = get_le32(r->p + r->off);
	if (lists > HROT_PCRS_FILE_MAX_LISTS)
		return rd_fail(r, -HROT_TPM_ETOOBIG,
			       "number of TPML_DIGEST lists: %u over %u", lists,
			       HROT_PCRS_FILE_MAX_LISTS);
	r->off += 4;
	if ((r->len - r->off) / HROT_PCRS_FILE_LIST_SIZE < lists)
		return rd_fail(r, -HROT_TPM_ETRUNCATED,
			       "%u TPML_DIGEST lists need %zu bytes, %zu left",
			       lists, (size_t)lists * HROT_PCRS_FILE_LIST_SIZE,
			       r->len - r->off);
	for (i = 0; i < lists && !ret; i++)
		ret = read_list(r, sizes, want, v);
	return ret;
}

int hrot_pcrs_file_read(const void *buf, size_t len,
			struct hrot_pcr_selection *sel, uint8_t *values,
			size_t values_size, size_t *values_len,
			struct hrot_tpm_diag *diag)
{
	uint16_t sizes[MAX_DIGESTS];
	struct values_out v = { values, values_size, 0, 0 };
	struct tpm_rd r;
	int want, ret;

	memset(sel, 0, sizeof(*sel));
	if (values_size)
		memset(values, 0, values_size);
	rd_init(&r, buf, len, diag);
	if (len < HROT_PCRS_FILE_SEL_SIZE)
		return rd_fail(&r, -HROT_TPM_ETRUNCATED,
			       "TPML_PCR_SELECTION: %zu bytes, needs %d", len,
			       HROT_PCRS_FILE_SEL_SIZE);
	ret = read_selection(&r, sel);
	if (ret)
		return ret;
	want = digest_sizes(sel, sizes, MAX_DIGESTS);
	if (want < 0)
		return rd_fail(&r, -HROT_TPM_EFORMAT,
			       "TPML_PCR_SELECTION: an unknown bank");
	ret = read_lists(&r, sizes, want, &v);
	if (ret)
		return ret;
	if (v.n != (size_t)want)
		return rd_fail(&r, -HROT_TPM_EFORMAT,
			       "%zu PCR values for %d selected PCRs", v.n, want);
	*values_len = v.len;
	return rd_end(&r, "the PCR file");
}
