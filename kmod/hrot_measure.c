// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: measuring.  Both EXTEND and MEASURE_FD end here: the measurement
 * becomes event data (the HROT event, see uapi/linux/hrot.h), each PCR bank
 * gets its own hash of that event data, the PCR is extended and the record
 * is appended to the log, in that order and under one lock.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include <asm/unaligned.h>
#include <crypto/sha2.h>

#include "hrot.h"

/* Build the HROT event data; the caller frees it with hrot_kfree(). */
static u8 *hrot_event_build(u32 type, u16 kind, const u8 *digest,
			    u64 file_size, const char *name, u32 name_len,
			    u32 *len)
{
	u8 *ev;

	ev = hrot_kzalloc(HROT_EVENT_HDR_SIZE + name_len);
	if (!ev)
		return NULL;
	memcpy(ev, HROT_EVENT_MAGIC, 4);
	put_unaligned_le16(HROT_EVENT_FORMAT, ev + 4);
	put_unaligned_le16(kind, ev + 6);
	put_unaligned_le16(HROT_ALG_SHA256, ev + 8);
	put_unaligned_le16(SHA256_DIGEST_SIZE, ev + 10);
	memcpy(ev + 12, digest, SHA256_DIGEST_SIZE);
	put_unaligned_le64(file_size, ev + 44);
	put_unaligned_le32(type, ev + 52);
	put_unaligned_le32(name_len, ev + 56);
	memcpy(ev + HROT_EVENT_HDR_SIZE, name, name_len);
	*len = HROT_EVENT_HDR_SIZE + name_len;
	return ev;
}

/* Every bank's digest of the event data. */
static int hrot_event_digests(struct hrot_dev *dev, const u8 *ev, u32 len,
			      u8 digests[][TPM2_MAX_DIGEST_SIZE])
{
	u8 sha256[SHA256_DIGEST_SIZE];
	int i, ret;

	ret = hrot_sha256(ev, len, sha256);
	if (ret)
		return ret;
	for (i = 0; i < dev->nr_banks; i++) {
		ret = hrot_hash_bank(&dev->banks[i], sha256, ev, len, digests[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Extend the PCR and append the record, as one step; listeners hear of it
 * under the same lock, so in log order.
 */
static int hrot_log_and_extend(struct hrot_dev *dev, struct hrot_record *rec,
			       const u8 digests[][TPM2_MAX_DIGEST_SIZE],
			       u16 kind, const u8 *digest, const char *name,
			       u32 name_len, u64 *index)
{
	struct sk_buff *note = hrot_notify_measurement_prepare(name_len);
	int ret;

	mutex_lock(&dev->lock);
	ret = hrot_log_reserve(&dev->log, rec->len);
	if (ret)
		goto unlock;
	ret = hrot_tpm_extend(dev, digests);
	if (ret) {
		hrot_log_cancel(&dev->log);
		goto unlock;
	}
	*index = hrot_log_commit(&dev->log, rec);
	hrot_notify_measurement(note, dev, *index, rec->type, kind, digest,
				name, name_len);
	note = NULL;
unlock:
	mutex_unlock(&dev->lock);
	hrot_notify_discard(note);
	return ret;
}

static int hrot_measure(struct hrot_dev *dev, u32 type, u16 kind,
			const u8 *digest, u64 file_size, const char *name,
			u32 name_len, u64 *index)
{
	u8 (*digests)[TPM2_MAX_DIGEST_SIZE];
	struct hrot_record *rec = NULL;
	u32 ev_len;
	u8 *ev;
	int ret;

	ev = hrot_event_build(type, kind, digest, file_size, name, name_len,
			      &ev_len);
	if (!ev)
		return -ENOMEM;
	digests = hrot_kzalloc(HROT_MAX_BANKS * TPM2_MAX_DIGEST_SIZE);
	if (!digests) {
		ret = -ENOMEM;
		goto out_ev;
	}
	ret = hrot_event_digests(dev, ev, ev_len, digests);
	if (ret)
		goto out_digests;

	rec = hrot_record_build(dev, type, digests, ev, ev_len);
	if (!rec) {
		ret = -ENOMEM;
		goto out_digests;
	}
	ret = hrot_log_and_extend(dev, rec, digests, kind, digest, name,
				  name_len, index);
	if (ret)
		hrot_kfree(rec);
out_digests:
	hrot_kfree(digests);
out_ev:
	hrot_kfree(ev);
	return ret;
}

/**
 * hrot_measure_extend() - log and extend a digest the caller computed
 * @dev:      the device
 * @type:     TCG event type
 * @digest:   SHA-256 of what was measured
 * @name:     description
 * @name_len: its length, 1..HROT_NAME_MAX
 * @index:    out: the record's position
 *
 * Return: 0 or -errno; on error neither the log nor the PCR changed.
 */
int hrot_measure_extend(struct hrot_dev *dev, u32 type, const u8 *digest,
			const char *name, u32 name_len, u64 *index)
{
	return hrot_measure(dev, type, HROT_EVENT_EXTEND, digest, 0, name,
			    name_len, index);
}

/**
 * hrot_measure_file() - hash a file in the kernel, then log and extend it
 * @dev:    the device
 * @file:   a regular file open for reading
 * @digest: out: SHA-256 of its contents
 * @size:   out: its length
 * @index:  out: the record's position
 *
 * Return: 0 or -errno; on error neither the log nor the PCR changed.
 */
int hrot_measure_file(struct hrot_dev *dev, struct file *file, u8 *digest,
		      u64 *size, u64 *index)
{
	static const char unknown[] = "(unreachable)";
	const char *path;
	char *buf;
	int ret;

	ret = hrot_hash_file(file, digest, size);
	if (ret)
		return ret;

	buf = hrot_kzalloc(HROT_NAME_MAX);
	if (!buf)
		return -ENOMEM;
	path = d_path(&file->f_path, buf, HROT_NAME_MAX);
	if (IS_ERR(path))
		path = unknown;
	ret = hrot_measure(dev, HROT_EV_IPL, HROT_EVENT_FILE, digest, *size,
			   path, strlen(path), index);
	hrot_kfree(buf);
	return ret;
}
