// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: HROT event data, the byte format of <linux/hrot.h>.
 */
#include <errno.h>
#include <string.h>

#include <hrot/event.h>
#include "le.h"

/* Offsets of the fields, from the layout comment in <linux/hrot.h>. */
#define OFF_MAGIC		0
#define OFF_VERSION		4
#define OFF_KIND		6
#define OFF_CONTENT_ALG		8
#define OFF_CONTENT_SIZE	10
#define OFF_CONTENT_DIGEST	12
#define OFF_FILE_SIZE		44
#define OFF_EVENT_TYPE		52
#define OFF_NAME_LEN		56
#define OFF_NAME		HROT_EVENT_HDR_SIZE

#define MAGIC_SIZE		4

_Static_assert(OFF_NAME_LEN + 4 == HROT_EVENT_HDR_SIZE,
	       "event header layout disagrees with <linux/hrot.h>");
_Static_assert(OFF_CONTENT_DIGEST + HROT_SHA256_SIZE == OFF_FILE_SIZE,
	       "content digest is not SHA-256 sized");

bool hrot_event_has_magic(const void *data, size_t len)
{
	return len >= MAGIC_SIZE &&
	       memcmp(data, HROT_EVENT_MAGIC, MAGIC_SIZE) == 0;
}

const char *hrot_event_kind_name(uint16_t kind)
{
	switch (kind) {
	case HROT_EVENT_EXTEND:
		return "extend";
	case HROT_EVENT_FILE:
		return "file";
	default:
		return NULL;
	}
}

static int reject(const char **why, const char *reason, int err)
{
	if (why)
		*why = reason;
	return err;
}

static void decode_header(const uint8_t *p, struct hrot_event_data *ev)
{
	ev->version = get_le16(p + OFF_VERSION);
	ev->kind = get_le16(p + OFF_KIND);
	ev->content_alg = get_le16(p + OFF_CONTENT_ALG);
	memcpy(ev->content_digest, p + OFF_CONTENT_DIGEST, HROT_SHA256_SIZE);
	ev->file_size = get_le64(p + OFF_FILE_SIZE);
	ev->event_type = get_le32(p + OFF_EVENT_TYPE);
	ev->name_len = get_le32(p + OFF_NAME_LEN);
	ev->name = (const char *)p + OFF_NAME;
}

static int check_header(const uint8_t *p, const struct hrot_event_data *ev,
			const char **why)
{
	if (ev->version != HROT_EVENT_FORMAT)
		return reject(why, "unsupported format version", -EBADMSG);
	if (!hrot_event_kind_name(ev->kind))
		return reject(why, "unknown kind", -EBADMSG);
	if (ev->content_alg != HROT_ALG_SHA256 ||
	    get_le16(p + OFF_CONTENT_SIZE) != HROT_SHA256_SIZE)
		return reject(why, "content hash is not SHA-256", -EBADMSG);
	if (ev->kind == HROT_EVENT_EXTEND && ev->file_size != 0)
		return reject(why, "EXTEND event with a file size", -EBADMSG);
	if (ev->kind == HROT_EVENT_FILE && ev->event_type != HROT_EV_IPL)
		return reject(why, "FILE event whose event type is not EV_IPL",
			      -EBADMSG);
	if (ev->name_len == 0)
		return reject(why, "empty name", -EBADMSG);
	if (ev->name_len > HROT_NAME_MAX)
		return reject(why, "name longer than HROT_NAME_MAX", -E2BIG);
	return 0;
}

int hrot_event_decode(const void *data, size_t len, struct hrot_event_data *ev,
		      const char **why)
{
	const uint8_t *p = data;
	int ret;

	if (!hrot_event_has_magic(data, len))
		return reject(why, "no HROT magic", -ENOMSG);
	if (len < HROT_EVENT_HDR_SIZE)
		return reject(why, "shorter than the HROT event header",
			      -ENODATA);
	decode_header(p, ev);
	ret = check_header(p, ev, why);
	if (ret)
		return ret;
	if (len - HROT_EVENT_HDR_SIZE < ev->name_len)
		return reject(why, "name runs past the event data", -ENODATA);
	if (len - HROT_EVENT_HDR_SIZE > ev->name_len)
		return reject(why, "bytes after the name", -EBADMSG);
	return 0;
}

ssize_t hrot_event_encode(uint16_t kind, uint32_t event_type,
			  const uint8_t digest[HROT_SHA256_SIZE],
			  uint64_t file_size, const void *name, size_t name_len,
			  void *buf, size_t size)
{
	uint8_t *p = buf;

	if (!hrot_event_kind_name(kind) || name_len == 0 ||
	    name_len > HROT_NAME_MAX)
		return -EINVAL;
	/* What hrot_event_decode() would refuse is not written either. */
	if (kind == HROT_EVENT_EXTEND && file_size != 0)
		return -EINVAL;
	if (kind == HROT_EVENT_FILE && event_type != HROT_EV_IPL)
		return -EINVAL;
	if (size < HROT_EVENT_SIZE(name_len))
		return -ENOSPC;
	memcpy(p + OFF_MAGIC, HROT_EVENT_MAGIC, MAGIC_SIZE);
	put_le16(p + OFF_VERSION, HROT_EVENT_FORMAT);
	put_le16(p + OFF_KIND, kind);
	put_le16(p + OFF_CONTENT_ALG, HROT_ALG_SHA256);
	put_le16(p + OFF_CONTENT_SIZE, HROT_SHA256_SIZE);
	memcpy(p + OFF_CONTENT_DIGEST, digest, HROT_SHA256_SIZE);
	put_le64(p + OFF_FILE_SIZE, file_size);
	put_le32(p + OFF_EVENT_TYPE, event_type);
	put_le32(p + OFF_NAME_LEN, (uint32_t)name_len);
	memcpy(p + OFF_NAME, name, name_len);
	return (ssize_t)HROT_EVENT_SIZE(name_len);
}
