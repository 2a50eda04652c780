/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot: the module's netlink events (uapi/linux/hrot_netlink.h), read
 * with libnl-genl-3.  A program that uses them links -lnl-genl-3 -lnl-3.
 */
#ifndef HROT_EVENTS_H
#define HROT_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/hrot_netlink.h>

/**
 * struct hrot_event_msg - one event, as decoded
 * @event:      HROT_GENL_CMD_*
 * @log_index:  MEASUREMENT: the record's position in the log
 * @pcr:        MEASUREMENT: the PCR extended
 * @event_type: MEASUREMENT: TCG event type
 * @kind:       MEASUREMENT: HROT_EVENT_EXTEND or HROT_EVENT_FILE
 * @digest:     MEASUREMENT: SHA-256 of what was measured
 * @desc:       MEASUREMENT: the description, @desc_len bytes, not
 *              terminated; valid only during the callback
 * @token_id:   TOKEN_*: the token's id
 * @key_serial: TOKEN_*: its key in the kernel keyring
 * @expires_at: TOKEN_ADDED, TOKEN_EXPIRED: the token's expiry (epoch s)
 */
struct hrot_event_msg {
	uint32_t event;
	uint64_t log_index;
	uint32_t pcr;
	uint32_t event_type;
	uint32_t kind;
	uint8_t digest[32];
	const uint8_t *desc;
	size_t desc_len;
	uint8_t token_id[16];
	int32_t key_serial;
	uint64_t expires_at;
};

struct hrot_events;

/*
 * Called for each event; a non-zero return stops hrot_events_read() and
 * becomes its return value.
 */
typedef int (*hrot_event_fn)(const struct hrot_event_msg *m, void *arg);

/**
 * hrot_events_open() - join the module's "events" group
 * @out:  the subscription
 * @err:  optional message buffer, @size bytes
 *
 * Return: 0; -ENOENT when the family is not registered (hrot.ko not
 * loaded); -EPERM without CAP_SYS_ADMIN; another -errno otherwise.
 */
int hrot_events_open(struct hrot_events **out, char *err, size_t size);

/* The socket, for poll(); readable when events wait. */
int hrot_events_fd(const struct hrot_events *ev);

/**
 * hrot_events_read() - read what is waiting (blocks when nothing is)
 * @ev:  the subscription
 * @fn:  called per well-formed event of this family; others are skipped
 * @arg: for @fn
 *
 * Return: 0; @fn's non-zero value; -ENOBUFS when the kernel dropped
 * events because the socket buffer was full (the subscription stays
 * usable: re-read the log to catch up); another -errno on failure.
 */
int hrot_events_read(struct hrot_events *ev, hrot_event_fn fn, void *arg);

/*
 * Is the family the subscription joined still there (the same one)?  A
 * module reload makes a new family, and the old membership hears nothing.
 */
bool hrot_events_alive(const struct hrot_events *ev);

void hrot_events_close(struct hrot_events *ev);

/* "measurement", "token-added", ... or "unknown". */
const char *hrot_event_name(uint32_t event);

#endif /* HROT_EVENTS_H */
