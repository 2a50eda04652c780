/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot: the HROT event data carried by every record the module logs.
 *
 * The byte layout is documented in <linux/hrot.h> (HROT_EVENT_*); this is
 * its one encoder and decoder in userspace, shared by hrotctl and the tests.
 */
#ifndef HROT_EVENT_H
#define HROT_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/hrot.h>

/* Size of the event data of a name of @n bytes. */
#define HROT_EVENT_SIZE(n)	(HROT_EVENT_HDR_SIZE + (size_t)(n))

/**
 * struct hrot_event_data - decoded HROT event data
 * @version:        format version (HROT_EVENT_FORMAT)
 * @kind:           HROT_EVENT_EXTEND or HROT_EVENT_FILE
 * @content_alg:    algorithm of @content_digest (HROT_ALG_SHA256)
 * @content_digest: EXTEND's digest, or the SHA-256 of the measured file
 * @file_size:      bytes the kernel hashed (0 for EXTEND)
 * @event_type:     the TCG eventType the event data binds; the record's own
 *                  eventType must equal it (hrot_log_verify_record())
 * @name:           description or path; points into the decoded buffer,
 *                  not NUL-terminated, may hold any byte
 * @name_len:       1..HROT_NAME_MAX
 */
struct hrot_event_data {
	uint16_t version;
	uint16_t kind;
	uint16_t content_alg;
	uint8_t content_digest[HROT_SHA256_SIZE];
	uint64_t file_size;
	uint32_t event_type;
	const char *name;
	uint32_t name_len;
};

/* True when @data starts with the HROT magic. */
bool hrot_event_has_magic(const void *data, size_t len);

/**
 * hrot_event_decode() - parse event data strictly
 * @data: the event data
 * @len:  its exact size (the record's eventSize)
 * @ev:   filled in on success; @ev->name points into @data
 * @why:  if not NULL, set to a static explanation on failure
 *
 * Return: 0; -ENOMSG without the HROT magic; -ENODATA when @len is short of
 * the header or the name; -E2BIG for a name longer than HROT_NAME_MAX;
 * -EBADMSG for anything else malformed (version, kind, content hash, empty
 * name, bytes after the name).
 */
int hrot_event_decode(const void *data, size_t len, struct hrot_event_data *ev,
		      const char **why);

/**
 * hrot_event_encode() - build event data as the module does
 * @kind:      HROT_EVENT_EXTEND or HROT_EVENT_FILE
 * @event_type: the record's TCG eventType (HROT_EV_IPL for a FILE event)
 * @digest:    content digest (SHA-256)
 * @file_size: for HROT_EVENT_FILE; must be 0 for HROT_EVENT_EXTEND
 * @name:      description or path, @name_len bytes, no NUL needed
 * @name_len:  1..HROT_NAME_MAX
 * @buf:       receives HROT_EVENT_SIZE(@name_len) bytes
 * @size:      room in @buf
 *
 * Return: bytes written, -EINVAL for a bad @kind, @event_type, @file_size or
 * @name_len,
 * -ENOSPC when @buf is too small.
 */
ssize_t hrot_event_encode(uint16_t kind, uint32_t event_type,
			  const uint8_t digest[HROT_SHA256_SIZE],
			  uint64_t file_size, const void *name, size_t name_len,
			  void *buf, size_t size);

/* "extend", "file", or NULL for another kind. */
const char *hrot_event_kind_name(uint16_t kind);

#endif /* HROT_EVENT_H */
