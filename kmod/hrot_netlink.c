// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: the generic netlink family "hrot" (uapi/linux/hrot_netlink.h).
 *
 * Events only: each event is a command of the family (none may be sent
 * to it), multicast on one group that needs CAP_SYS_ADMIN to join.  A message is built
 * only when someone listens, so measuring costs nothing extra otherwise.
 * Sending is best effort: a listener whose buffer is full loses the
 * message (and sees ENOBUFS), never the measurement.
 */
#include <linux/key.h>
#include <net/genetlink.h>
#include <crypto/sha2.h>
#include <uapi/linux/hrot_netlink.h>

#include "hrot.h"

enum hrot_genl_mcgrp { HROT_GENL_MCGRP_EVENTS_ID };

static const struct genl_multicast_group hrot_genl_mcgrps[] = {
	[HROT_GENL_MCGRP_EVENTS_ID] = {
		.name = HROT_GENL_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_SYS_ADMIN,
	},
};

static struct genl_family hrot_genl_family __ro_after_init = {
	.module = THIS_MODULE,
	.name = HROT_GENL_NAME,
	.version = HROT_GENL_VERSION,
	.mcgrps = hrot_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(hrot_genl_mcgrps),
};

static bool hrot_genl_listening(void)
{
	return genl_has_listeners(&hrot_genl_family, &init_net,
				  HROT_GENL_MCGRP_EVENTS_ID);
}

static void hrot_genl_send(struct sk_buff *skb, void *hdr)
{
	genlmsg_end(skb, hdr);
	/* -ESRCH when the last listener just left: nothing to do */
	genlmsg_multicast(&hrot_genl_family, skb, 0,
			  HROT_GENL_MCGRP_EVENTS_ID, GFP_KERNEL);
}

static size_t hrot_measurement_size(u32 name_len)
{
	return nla_total_size_64bit(sizeof(u64)) +
	       3 * nla_total_size(sizeof(u32)) +
	       nla_total_size(SHA256_DIGEST_SIZE) + nla_total_size(name_len);
}

/**
 * hrot_notify_measurement_prepare() - a message for a measurement to come
 * @name_len: the length of its description
 *
 * Allocated before the log's lock is taken, so that the lock never waits
 * on memory reclaim for a listener.
 *
 * Return: the message to fill, or NULL when nobody listens (or no memory:
 * a listener then misses this one, and the log still has it).
 */
struct sk_buff *hrot_notify_measurement_prepare(u32 name_len)
{
	if (!hrot_genl_listening())
		return NULL;
	return genlmsg_new(hrot_measurement_size(name_len), GFP_KERNEL);
}

/**
 * hrot_notify_measurement() - multicast a record just committed to the log
 * @skb:      from hrot_notify_measurement_prepare() (consumed; may be NULL)
 * @dev:      the device (for its PCR)
 * @index:    the record's position in the log
 * @type:     TCG event type
 * @kind:     HROT_EVENT_EXTEND or HROT_EVENT_FILE
 * @digest:   SHA-256 of what was measured
 * @name:     the record's description
 * @name_len: its length
 *
 * Called with @dev->lock held, so events leave in log order.
 */
void hrot_notify_measurement(struct sk_buff *skb, const struct hrot_dev *dev,
			     u64 index, u32 type, u16 kind, const u8 *digest,
			     const char *name, u32 name_len)
{
	void *hdr;

	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &hrot_genl_family, 0,
			  HROT_GENL_CMD_MEASUREMENT);
	if (!hdr ||
	    nla_put_u64_64bit(skb, HROT_GENL_A_LOG_INDEX, index,
			      HROT_GENL_A_PAD) ||
	    nla_put_u32(skb, HROT_GENL_A_PCR, dev->pcr) ||
	    nla_put_u32(skb, HROT_GENL_A_EVENT_TYPE, type) ||
	    nla_put_u32(skb, HROT_GENL_A_KIND, kind) ||
	    nla_put(skb, HROT_GENL_A_DIGEST, SHA256_DIGEST_SIZE, digest) ||
	    nla_put(skb, HROT_GENL_A_DESCRIPTION, name_len, name)) {
		nlmsg_free(skb);
		return;
	}
	hrot_genl_send(skb, hdr);
}

/* A prepared message that will not be sent (the measurement failed). */
void hrot_notify_discard(struct sk_buff *skb)
{
	nlmsg_free(skb);
}

/**
 * hrot_notify_token() - multicast a token event
 * @cmd:        HROT_GENL_CMD_TOKEN_*
 * @serial:     the key's serial number
 * @token_id:   the token's id
 * @expires_at: the token's expires_at (not sent with TOKEN_REVOKED)
 */
void hrot_notify_token(u8 cmd, key_serial_t serial, const u8 *token_id,
		       u64 expires_at)
{
	struct sk_buff *skb;
	void *hdr;

	if (!hrot_genl_listening())
		return;
	skb = genlmsg_new(nla_total_size(HROT_TOKEN_ID_SIZE) +
			  nla_total_size(sizeof(u32)) +
			  nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &hrot_genl_family, 0, cmd);
	if (!hdr ||
	    nla_put(skb, HROT_GENL_A_TOKEN_ID, HROT_TOKEN_ID_SIZE, token_id) ||
	    nla_put_u32(skb, HROT_GENL_A_KEY_SERIAL, serial) ||
	    (cmd != HROT_GENL_CMD_TOKEN_REVOKED &&
	     nla_put_u64_64bit(skb, HROT_GENL_A_EXPIRES_AT, expires_at,
			       HROT_GENL_A_PAD))) {
		nlmsg_free(skb);
		return;
	}
	hrot_genl_send(skb, hdr);
}

/* Registered before anything can measure, unregistered after. */
int hrot_netlink_init(void)
{
	return genl_register_family(&hrot_genl_family);
}

void hrot_netlink_exit(void)
{
	genl_unregister_family(&hrot_genl_family);
}
