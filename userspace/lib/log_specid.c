// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: the Spec ID event, the legacy-format first event of a
 * crypto-agile log that names its banks and their digest sizes
 * (TCG PC Client Platform Firmware Profile, TCG_EfiSpecIDEventStruct).
 */
#include <string.h>

#include <hrot/alg.h>
#include "log_parser.h"

#define SPEC_ID_SIGNATURE	"Spec ID Event03"	/* and its NUL: 16 */
#define SPEC_ID_SIG_SIZE	16
#define LEGACY_DIGEST_SIZE	20	/* TCG_PCClientPCREvent: SHA-1 */
#define UINTN_SIZE_32		1
#define UINTN_SIZE_64		2

int hrotp_bank(const struct hrot_log_spec_id *spec, uint16_t alg)
{
	uint32_t i;

	for (i = 0; i < spec->nr_algs; i++)
		if (spec->algs[i].id == alg)
			return (int)i;
	return -1;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* The legacy TCG_PCClientPCREvent around the Spec ID structure. */
static int parse_legacy_header(struct parser *p, uint32_t *event_size)
{
	const uint8_t *digest;
	uint32_t pcr, type;
	int ret;

	ret = hrotp_u32(p, "pcrIndex", &pcr);
	if (!ret)
		ret = hrotp_u32(p, "eventType", &type);
	if (!ret)
		ret = hrotp_bytes(p, LEGACY_DIGEST_SIZE, "digest", &digest);
	if (!ret)
		ret = hrotp_u32(p, "eventSize", event_size);
	if (ret)
		return ret;
	if (pcr != 0 || type != HROT_EV_NO_ACTION ||
	    !all_zero(digest, LEGACY_DIGEST_SIZE))
		return hrotp_fail(p, -HROT_LOG_EFORMAT, 0,
				  "first event is not a Spec ID event (PCR %u, type 0x%x)",
				  pcr, type);
	if (*event_size > HROT_LOG_MAX_EVENT_SIZE)
		return hrotp_fail(p, -HROT_LOG_ETOOBIG, p->cur.off - 4,
				  "event size %u over the limit %u",
				  *event_size, HROT_LOG_MAX_EVENT_SIZE);
	return 0;
}

/* The fixed fields before the algorithm list; false when too few bytes. */
static bool read_fixed(struct cursor *c, struct hrot_log_spec_id *s,
		       const uint8_t **sig)
{
	return cursor_take(c, SPEC_ID_SIG_SIZE, sig) &&
	       hrotp_cursor_u32(c, &s->platform_class) &&
	       hrotp_cursor_u8(c, &s->version_minor) &&
	       hrotp_cursor_u8(c, &s->version_major) &&
	       hrotp_cursor_u8(c, &s->errata) &&
	       hrotp_cursor_u8(c, &s->uintn_size) &&
	       hrotp_cursor_u32(c, &s->nr_algs);
}

static int check_fixed(struct parser *p, const struct hrot_log_spec_id *s,
		       const uint8_t *sig, size_t base)
{
	if (memcmp(sig, SPEC_ID_SIGNATURE, SPEC_ID_SIG_SIZE) != 0)
		return hrotp_fail(p, -HROT_LOG_EFORMAT, base,
				  "signature is not \"%s\"", SPEC_ID_SIGNATURE);
	if (s->version_major != 2 || s->version_minor != 0)
		return hrotp_fail(p, -HROT_LOG_EFORMAT, base + 20,
				  "spec version %u.%u, not 2.0",
				  s->version_major, s->version_minor);
	if (s->uintn_size != UINTN_SIZE_32 && s->uintn_size != UINTN_SIZE_64)
		return hrotp_fail(p, -HROT_LOG_EFORMAT, base + 23,
				  "uintnSize %u is neither 1 nor 2",
				  s->uintn_size);
	if (s->nr_algs == 0)
		return hrotp_fail(p, -HROT_LOG_EFORMAT, base + 24,
				  "no algorithms");
	if (s->nr_algs > HROT_LOG_MAX_ALGS)
		return hrotp_fail(p, -HROT_LOG_ETOOBIG, base + 24,
				  "%u algorithms, over the limit %u",
				  s->nr_algs, HROT_LOG_MAX_ALGS);
	return 0;
}

/*
 * A bank must have the size its algorithm has; a bank libhrot does not
 * know is taken at its word, within what TPM 2.0 digests can be.
 */
static int check_alg(struct parser *p, const struct hrot_log_spec_id *s,
		     uint32_t i, size_t offset)
{
	const struct hrot_log_alg *a = &s->algs[i];
	const struct hrot_alg *known = hrot_alg_find(a->id);

	if (hrotp_bank(s, a->id) != (int)i)
		return hrotp_fail(p, -HROT_LOG_EFORMAT, offset,
				  "algorithm 0x%04x listed twice", a->id);
	if (known && a->digest_size != known->digest_size)
		return hrotp_fail(p, -HROT_LOG_EFORMAT, offset,
				  "%s digest size %u, not %u", known->name,
				  a->digest_size, known->digest_size);
	if (a->digest_size == 0)
		return hrotp_fail(p, -HROT_LOG_EFORMAT, offset,
				  "algorithm 0x%04x has digest size 0", a->id);
	if (a->digest_size > HROT_MAX_DIGEST_SIZE)
		return hrotp_fail(p, -HROT_LOG_ETOOBIG, offset,
				  "algorithm 0x%04x digest size %u, over the limit %u",
				  a->id, a->digest_size, HROT_MAX_DIGEST_SIZE);
	return 0;
}

static int parse_algs(struct parser *p, struct cursor *c, size_t base)
{
	struct hrot_log_spec_id *s = &p->log->spec_id;
	uint32_t i;

	for (i = 0; i < s->nr_algs; i++) {
		size_t offset = base + c->off;
		struct hrot_log_alg *a = &s->algs[i];
		int ret;

		if (!hrotp_cursor_u16(c, &a->id) ||
		    !hrotp_cursor_u16(c, &a->digest_size))
			return hrotp_fail(p, -HROT_LOG_EFORMAT, offset,
					  "event too short for %u algorithms",
					  s->nr_algs);
		ret = check_alg(p, s, i, offset);
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_vendor_info(struct parser *p, struct cursor *c, size_t base)
{
	struct hrot_log_spec_id *s = &p->log->spec_id;

	if (!hrotp_cursor_u8(c, &s->vendor_info_size) ||
	    !cursor_take(c, s->vendor_info_size, &s->vendor_info))
		return hrotp_fail(p, -HROT_LOG_EFORMAT, base + c->off,
				  "event too short for its vendor info");
	if (cursor_left(c))
		return hrotp_fail(p, -HROT_LOG_EFORMAT, base + c->off,
				  "%zu bytes after the vendor info",
				  cursor_left(c));
	return 0;
}

/*
 * The structure is read from its own cursor over eventSize bytes, which
 * are known to be in the buffer: running out of them means eventSize
 * disagrees with the contents, a malformed log rather than a short one.
 */
int hrotp_spec_id(struct parser *p)
{
	struct hrot_log_spec_id *s = &p->log->spec_id;
	struct cursor c = { 0 };
	const uint8_t *sig;
	uint32_t size;
	size_t base;
	int ret;

	ret = parse_legacy_header(p, &size);
	if (ret)
		return ret;
	base = p->cur.off;
	ret = hrotp_bytes(p, size, "Spec ID structure", &c.buf);
	if (ret)
		return ret;
	c.len = size;
	if (!read_fixed(&c, s, &sig))
		return hrotp_fail(p, -HROT_LOG_EFORMAT, base,
				  "event size %u too small", size);
	ret = check_fixed(p, s, sig, base);
	if (!ret)
		ret = parse_algs(p, &c, base);
	if (!ret)
		ret = parse_vendor_info(p, &c, base);
	return ret;
}
