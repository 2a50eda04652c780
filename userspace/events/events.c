// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot-events: the module's netlink events.  libnl-genl-3 resolves the
 * family and its group and parses the messages; the socket is read with
 * recv() directly so that ENOBUFS (the kernel dropped events for a full
 * buffer) reaches the caller as itself: libnl folds it into "out of
 * memory".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include <hrot/events.h>

#include "../lib/errbuf.h"

/* Room for the largest event: a 4096-byte description and headers. */
#define EVENTS_BUF_SIZE		((size_t)64 * 1024)

struct hrot_events {
	struct nl_sock *sk;
	int family;
	uint8_t *buf;
};

static struct nla_policy event_policy[HROT_GENL_A_MAX + 1] = {
	[HROT_GENL_A_LOG_INDEX] = { .type = NLA_U64 },
	[HROT_GENL_A_PCR] = { .type = NLA_U32 },
	[HROT_GENL_A_EVENT_TYPE] = { .type = NLA_U32 },
	[HROT_GENL_A_KIND] = { .type = NLA_U32 },
	[HROT_GENL_A_DIGEST] = { .minlen = 32, .maxlen = 32 },
	[HROT_GENL_A_DESCRIPTION] = { .maxlen = 4096 },
	[HROT_GENL_A_TOKEN_ID] = { .minlen = 16, .maxlen = 16 },
	[HROT_GENL_A_KEY_SERIAL] = { .type = NLA_U32 },
	[HROT_GENL_A_EXPIRES_AT] = { .type = NLA_U64 },
};

static int nl_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOMEM:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

int hrot_events_open(struct hrot_events **out, char *err, size_t size)
{
	struct hrot_events *ev;
	int grp, ret;

	*out = NULL;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	ev->buf = malloc(EVENTS_BUF_SIZE);
	ev->sk = nl_socket_alloc();
	if (!ev->buf || !ev->sk) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = genl_connect(ev->sk);
	if (ret < 0) {
		hrot_errbuf_set(err, size, "generic netlink: %s",
				nl_geterror(ret));
		ret = nl_to_errno(ret);
		goto fail;
	}
	ev->family = genl_ctrl_resolve(ev->sk, HROT_GENL_NAME);
	grp = ev->family < 0 ? ev->family :
	      genl_ctrl_resolve_grp(ev->sk, HROT_GENL_NAME,
				    HROT_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		hrot_errbuf_set(err, size,
				"no netlink family \"%s\" (is hrot.ko loaded?)",
				HROT_GENL_NAME);
		ret = -ENOENT;
		goto fail;
	}
	ret = nl_socket_add_membership(ev->sk, grp);
	if (ret < 0) {
		hrot_errbuf_set(err, size, "joining \"%s\" events: %s",
				HROT_GENL_NAME, nl_geterror(ret));
		ret = nl_to_errno(ret);
		goto fail;
	}
	*out = ev;
	return 0;
fail:
	hrot_events_close(ev);
	return ret;
}

int hrot_events_fd(const struct hrot_events *ev)
{
	return nl_socket_get_fd(ev->sk);
}

/* @cmd is the event; its attributes must all be there. */
static int decode(uint8_t cmd, struct nlattr **tb, struct hrot_event_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->event = cmd;
	if (cmd < HROT_GENL_CMD_MEASUREMENT || cmd > HROT_GENL_CMD_MAX)
		return -EINVAL;
	if (cmd == HROT_GENL_CMD_MEASUREMENT) {
		if (!tb[HROT_GENL_A_LOG_INDEX] || !tb[HROT_GENL_A_PCR] ||
		    !tb[HROT_GENL_A_EVENT_TYPE] || !tb[HROT_GENL_A_KIND] ||
		    !tb[HROT_GENL_A_DIGEST] || !tb[HROT_GENL_A_DESCRIPTION])
			return -EINVAL;
		m->log_index = nla_get_u64(tb[HROT_GENL_A_LOG_INDEX]);
		m->pcr = nla_get_u32(tb[HROT_GENL_A_PCR]);
		m->event_type = nla_get_u32(tb[HROT_GENL_A_EVENT_TYPE]);
		m->kind = nla_get_u32(tb[HROT_GENL_A_KIND]);
		memcpy(m->digest, nla_data(tb[HROT_GENL_A_DIGEST]), 32);
		m->desc = nla_data(tb[HROT_GENL_A_DESCRIPTION]);
		m->desc_len = (size_t)nla_len(tb[HROT_GENL_A_DESCRIPTION]);
		return 0;
	}
	if (!tb[HROT_GENL_A_TOKEN_ID] || !tb[HROT_GENL_A_KEY_SERIAL])
		return -EINVAL;
	memcpy(m->token_id, nla_data(tb[HROT_GENL_A_TOKEN_ID]), 16);
	m->key_serial = (int32_t)nla_get_u32(tb[HROT_GENL_A_KEY_SERIAL]);
	if (tb[HROT_GENL_A_EXPIRES_AT])
		m->expires_at = nla_get_u64(tb[HROT_GENL_A_EXPIRES_AT]);
	return 0;
}

int hrot_events_read(struct hrot_events *ev, hrot_event_fn fn, void *arg)
{
	struct nlattr *tb[HROT_GENL_A_MAX + 1];
	struct hrot_event_msg m;
	struct nlmsghdr *nlh;
	ssize_t n;
	int len, ret;

	do {
		n = recv(hrot_events_fd(ev), ev->buf, EVENTS_BUF_SIZE, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	len = (int)n;
	for (nlh = (struct nlmsghdr *)ev->buf; nlmsg_ok(nlh, len);
	     nlh = nlmsg_next(nlh, &len)) {
		/* anything but a well-formed event of ours is skipped */
		if (nlh->nlmsg_type != ev->family ||
		    genlmsg_parse(nlh, 0, tb, HROT_GENL_A_MAX, event_policy) ||
		    decode(((struct genlmsghdr *)nlmsg_data(nlh))->cmd, tb, &m))
			continue;
		ret = fn(&m, arg);
		if (ret)
			return ret;
	}
	return 0;
}

/* On a socket of its own: a reply on ours would be read as an event. */
bool hrot_events_alive(const struct hrot_events *ev)
{
	struct nl_sock *sk = nl_socket_alloc();
	bool alive = false;

	if (sk && genl_connect(sk) == 0)
		alive = genl_ctrl_resolve(sk, HROT_GENL_NAME) == ev->family;
	nl_socket_free(sk);
	return alive;
}

void hrot_events_close(struct hrot_events *ev)
{
	if (!ev)
		return;
	nl_socket_free(ev->sk);
	free(ev->buf);
	free(ev);
}

const char *hrot_event_name(uint32_t event)
{
	switch (event) {
	case HROT_GENL_CMD_MEASUREMENT:
		return "measurement";
	case HROT_GENL_CMD_TOKEN_ADDED:
		return "token-added";
	case HROT_GENL_CMD_TOKEN_REVOKED:
		return "token-revoked";
	case HROT_GENL_CMD_TOKEN_EXPIRED:
		return "token-expired";
	default:
		return "unknown";
	}
}
