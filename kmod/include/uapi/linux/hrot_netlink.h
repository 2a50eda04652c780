/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hrot: the generic netlink family "hrot", user API.
 *
 * The module multicasts what happens to the machine's evidence, so a
 * daemon (hrot-agent) can attest again as soon as something was measured
 * instead of waiting for its next period, and can see its token come and
 * go.  One multicast group, "events"; joining it needs CAP_SYS_ADMIN (the
 * messages name measured files, like binary_measurements, which is
 * root-only).  The family exists in the initial network namespace only.
 *
 * Each event is a command of its own, with these attributes:
 *
 *   MEASUREMENT    LOG_INDEX (u64), PCR (u32), EVENT_TYPE (u32, TCG type),
 *                  KIND (u32, HROT_EVENT_EXTEND or HROT_EVENT_FILE),
 *                  DIGEST (32 bytes: SHA-256 of what was measured),
 *                  DESCRIPTION (the record's name bytes, not
 *                  NUL-terminated, as in the log)
 *   TOKEN_ADDED    TOKEN_ID (16 bytes), KEY_SERIAL (u32), EXPIRES_AT (u64,
 *                  seconds since the epoch); sent as the key is
 *                  instantiated, just before it is linked into its keyring
 *   TOKEN_REVOKED  TOKEN_ID, KEY_SERIAL
 *   TOKEN_EXPIRED  TOKEN_ID, KEY_SERIAL, EXPIRES_AT: the token's own
 *                  expires_at passed; at most once per token, not for a
 *                  revoked one, nor for one removed before it expired;
 *                  within about a second (up to an eighth of its lifetime
 *                  more, past 8 s, is the timer's slack bound).  When the
 *                  key was already reaped, KEY_SERIAL may name a new key.
 *
 * Measurement events are sent under the lock that orders the log, so they
 * arrive in log order; LOG_INDEX lets a reader that overran its socket
 * buffer (ENOBUFS) see what it missed and re-read the log.  Attributes may
 * be added at the end of the list; readers ignore those they do not know.
 */
#ifndef _UAPI_LINUX_HROT_NETLINK_H
#define _UAPI_LINUX_HROT_NETLINK_H

#define HROT_GENL_NAME		"hrot"
#define HROT_GENL_VERSION	1
#define HROT_GENL_MCGRP_EVENTS	"events"

enum hrot_genl_cmd {
	HROT_GENL_CMD_UNSPEC,
	HROT_GENL_CMD_MEASUREMENT,
	HROT_GENL_CMD_TOKEN_ADDED,
	HROT_GENL_CMD_TOKEN_REVOKED,
	HROT_GENL_CMD_TOKEN_EXPIRED,
	__HROT_GENL_CMD_MAX,
};

#define HROT_GENL_CMD_MAX	(__HROT_GENL_CMD_MAX - 1)

enum hrot_genl_attr {
	HROT_GENL_A_UNSPEC,
	HROT_GENL_A_PAD,
	HROT_GENL_A_LOG_INDEX,		/* u64 */
	HROT_GENL_A_PCR,		/* u32 */
	HROT_GENL_A_EVENT_TYPE,		/* u32 */
	HROT_GENL_A_KIND,		/* u32 */
	HROT_GENL_A_DIGEST,		/* binary, 32 bytes */
	HROT_GENL_A_DESCRIPTION,	/* binary, 1..HROT_NAME_MAX bytes */
	HROT_GENL_A_TOKEN_ID,		/* binary, 16 bytes */
	HROT_GENL_A_KEY_SERIAL,		/* u32 */
	HROT_GENL_A_EXPIRES_AT,		/* u64 */
	__HROT_GENL_A_MAX,
};

#define HROT_GENL_A_MAX		(__HROT_GENL_A_MAX - 1)

#endif /* _UAPI_LINUX_HROT_NETLINK_H */
