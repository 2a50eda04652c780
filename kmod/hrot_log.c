// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: the event log.
 *
 * Records are serialized once, when they are made, in the TCG PC Client
 * crypto-agile format (TCG_PCR_EVENT2), so reading the log is a copy.  They
 * are published in an xarray indexed by position: a reader looks a record
 * up under RCU and only ever sees records that are complete, because a
 * record is stored after it is fully written and is never changed or freed
 * until the module goes away (the securityfs files pin the module).
 */
#include <linux/slab.h>
#include <linux/xarray.h>
#include <asm/unaligned.h>

#include "hrot.h"

#define HROT_SPEC_ID_SIG_SIZE	16
#define HROT_LEGACY_DIGEST_SIZE	20

/*
 * The Spec ID event, in the legacy TCG_PCClientPCREvent form the
 * crypto-agile log must start with: pcrIndex 0, EV_NO_ACTION, a zero SHA-1
 * digest and TCG_EfiSpecIDEventStruct naming each bank and its size.
 */
static u8 *hrot_spec_id_build(const struct hrot_dev *dev, u32 *len)
{
	u32 event_len = HROT_SPEC_ID_SIG_SIZE + 4 + 4 + 4 + dev->nr_banks * 4 + 1;
	u32 total = 4 + 4 + HROT_LEGACY_DIGEST_SIZE + 4 + event_len;
	u8 *buf, *p;
	int i;

	buf = hrot_kzalloc(total);
	if (!buf)
		return NULL;

	p = buf;
	put_unaligned_le32(0, p);			/* pcrIndex */
	put_unaligned_le32(HROT_EV_NO_ACTION, p + 4);	/* eventType */
	p += 8 + HROT_LEGACY_DIGEST_SIZE;		/* digest: zero */
	put_unaligned_le32(event_len, p);
	p += 4;

	memcpy(p, HROT_SPEC_ID_SIGNATURE, sizeof(HROT_SPEC_ID_SIGNATURE));
	p += HROT_SPEC_ID_SIG_SIZE;
	put_unaligned_le32(0, p);	/* platformClass: client */
	p[4] = 0;			/* specVersionMinor */
	p[5] = 2;			/* specVersionMajor */
	p[6] = 0;			/* specErrata */
	p[7] = 2;			/* uintnSize: UINTN is 64-bit */
	put_unaligned_le32(dev->nr_banks, p + 8);
	p += 12;
	for (i = 0; i < dev->nr_banks; i++) {
		put_unaligned_le16(dev->banks[i].alg_id, p);
		put_unaligned_le16(dev->banks[i].digest_size, p + 2);
		p += 4;
	}
	*p = 0;				/* vendorInfoSize */

	*len = total;
	return buf;
}

int hrot_log_init(struct hrot_log *log, const struct hrot_dev *dev,
		  size_t max_bytes)
{
	log->header = hrot_spec_id_build(dev, &log->header_len);
	if (!log->header)
		return -ENOMEM;
	if (max_bytes < log->header_len) {
		pr_err("hrot: log_max_bytes %zu is below the log header (%u)\n",
		       max_bytes, log->header_len);
		hrot_kfree(log->header);
		log->header = NULL;
		return -EINVAL;
	}
	xa_init(&log->records);
	log->nr = 0;
	log->bytes = log->header_len;
	log->max_bytes = max_bytes;
	return 0;
}

void hrot_log_exit(struct hrot_log *log)
{
	struct hrot_record *rec;
	unsigned long i;

	xa_for_each(&log->records, i, rec)
		hrot_kfree(rec);
	xa_destroy(&log->records);
	hrot_kfree(log->header);
	log->header = NULL;
}

/**
 * hrot_record_build() - serialize one TCG_PCR_EVENT2
 * @dev:       for the PCR index and the banks
 * @type:      TCG event type
 * @digests:   one digest per bank, in bank order
 * @event:     event data
 * @event_len: its length
 *
 * Return: the record, or NULL when out of memory.
 */
struct hrot_record *hrot_record_build(const struct hrot_dev *dev, u32 type,
				      const u8 digests[][TPM2_MAX_DIGEST_SIZE],
				      const void *event, u32 event_len)
{
	struct hrot_record *rec;
	u32 len = 4 + 4 + 4 + 4 + event_len;
	u8 *p;
	int i;

	for (i = 0; i < dev->nr_banks; i++)
		len += 2 + dev->banks[i].digest_size;

	rec = hrot_kzalloc(struct_size(rec, data, len));
	if (!rec)
		return NULL;
	rec->len = len;
	rec->type = type;

	p = rec->data;
	put_unaligned_le32(dev->pcr, p);
	put_unaligned_le32(type, p + 4);
	put_unaligned_le32(dev->nr_banks, p + 8);
	p += 12;
	for (i = 0; i < dev->nr_banks; i++) {
		put_unaligned_le16(dev->banks[i].alg_id, p);
		memcpy(p + 2, digests[i], dev->banks[i].digest_size);
		p += 2 + dev->banks[i].digest_size;
	}
	put_unaligned_le32(event_len, p);
	p += 4;
	memcpy(p, event, event_len);
	rec->event_off = p - rec->data;
	rec->event_len = event_len;
	return rec;
}

/**
 * hrot_log_reserve() - make room for the next record before the PCR moves
 * @log: the log, device lock held
 * @len: the record's length
 *
 * The TPM extend happens between reserve and commit; reserving first means
 * the commit cannot fail, so the log never falls behind the PCR.
 *
 * Return: 0, -ENOSPC at the cap, -ENOMEM.
 */
int hrot_log_reserve(struct hrot_log *log, u32 len)
{
	if (log->bytes + len > log->max_bytes)
		return -ENOSPC;
	return xa_reserve(&log->records, log->nr, GFP_KERNEL);
}

/**
 * hrot_log_cancel() - give back the slot taken by hrot_log_reserve()
 * @log: the log, device lock held
 */
void hrot_log_cancel(struct hrot_log *log)
{
	xa_release(&log->records, log->nr);
}

/**
 * hrot_log_commit() - publish a record in the reserved slot
 * @log:   the log, device lock held
 * @rec:   the record; owned by the log from now on
 *
 * Return: the record's position.
 */
u64 hrot_log_commit(struct hrot_log *log, struct hrot_record *rec)
{
	u64 index = log->nr;

	/* The slot is reserved: storing into it does not allocate. */
	WARN_ON(xa_err(xa_store(&log->records, index, rec, GFP_NOWAIT)));
	log->bytes += rec->len;
	/* Pairs with hrot_log_count(): readers see nr only after the store. */
	smp_store_release(&log->nr, index + 1);
	return index;
}

unsigned long hrot_log_count(const struct hrot_log *log)
{
	/* Pairs with hrot_log_commit(): record n is stored before nr > n. */
	return smp_load_acquire(&log->nr);
}

/**
 * hrot_log_get() - a published record
 * @log:   the log
 * @index: position
 *
 * Return: the record (valid until unload), or NULL past the end.
 */
const struct hrot_record *hrot_log_get(const struct hrot_log *log,
				       unsigned long index)
{
	if (index >= hrot_log_count(log))
		return NULL;
	return xa_load((struct xarray *)&log->records, index);
}
