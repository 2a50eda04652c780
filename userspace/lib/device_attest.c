// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: the attestation ioctls of /dev/hrot (IDENTITY, QUOTE,
 * ACTIVATE_CREDENTIAL).  Their outputs are struct hrot_bufs; when one is
 * too small the module answers -ENOSPC with the size it needs, and the
 * call is retried with buffers that big.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <hrot/device.h>

#define NR_TRIES	4
#define FIRST_SIZE	2048
#define MAX_SIZE	(1u << 20)

#define HDR_INIT(s) \
	do { \
		memset(&(s), 0, sizeof(s)); \
		(s).size = sizeof(s); \
		(s).version = HROT_STRUCT_VERSION; \
	} while (0)

/* One output buffer: what libhrot allocated and the hrot_buf it lends. */
struct outbuf {
	struct hrot_buf *hb;
	uint8_t *p;
	size_t room;
};

static int outbuf_grow(struct outbuf *o, size_t room)
{
	uint8_t *p;

	if (room > MAX_SIZE)
		return -EPROTO;
	if (room < 1)
		room = 1;
	p = realloc(o->p, room);
	if (!p)
		return -ENOMEM;
	o->p = p;
	o->room = room;
	return 0;
}

static void outbufs_arm(struct outbuf *o, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		o[i].hb->ptr = (uint64_t)(uintptr_t)o[i].p;
		o[i].hb->len = (uint32_t)o[i].room;
		o[i].hb->reserved = 0;
	}
}

/* After -ENOSPC: grow every buffer the module asked more for. */
static int outbufs_regrow(struct outbuf *o, size_t n)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++)
		if (o[i].hb->len > o[i].room)
			ret = outbuf_grow(&o[i], o[i].hb->len);
	return ret;
}

static int outbufs_check(const struct outbuf *o, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (o[i].hb->len > o[i].room)
			return -EPROTO;
	return 0;
}

static void outbufs_free(struct outbuf *o, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(o[i].p);
		o[i].p = NULL;
	}
}

/*
 * The ioctl on @arg with @n output buffers, retried while it says -ENOSPC.
 * On success every o[i].p holds o[i].hb->len bytes.
 */
static int ioctl_grow(int fd, unsigned long cmd, void *arg, struct outbuf *o,
		      size_t n)
{
	int tries, ret = 0;
	size_t i;

	for (i = 0; i < n && !ret; i++)
		ret = outbuf_grow(&o[i], FIRST_SIZE);
	for (tries = 0; !ret && tries < NR_TRIES; tries++) {
		outbufs_arm(o, n);
		ret = ioctl(fd, cmd, arg) < 0 ? -errno : 0;
		if (ret != -ENOSPC)
			break;
		/* The last try's -ENOSPC stands. */
		if (tries + 1 < NR_TRIES)
			ret = outbufs_regrow(o, n);
	}
	if (!ret)
		ret = outbufs_check(o, n);
	if (ret)
		outbufs_free(o, n);
	return ret;
}

void hrot_identity_info_free(struct hrot_identity_info *id)
{
	free(id->ek_public);
	free(id->ek_cert);
	free(id->ak_public);
	free(id->ak_spki);
	memset(id, 0, sizeof(*id));
}

int hrot_dev_identity(int fd, struct hrot_identity_info *out)
{
	struct hrot_identity id;
	struct outbuf o[] = {
		{ &id.ek_public, NULL, 0 }, { &id.ek_cert, NULL, 0 },
		{ &id.ak_public, NULL, 0 }, { &id.ak_spki, NULL, 0 },
	};
	int ret;

	memset(out, 0, sizeof(*out));
	HDR_INIT(id);
	ret = ioctl_grow(fd, HROT_IOC_IDENTITY, &id, o, 4);
	if (ret)
		return ret;
	if (id.ak_name_len > HROT_NAME_SIZE) {
		outbufs_free(o, 4);
		return -EPROTO;
	}
	out->flags = id.flags;
	out->ek_template = id.ek_template;
	out->ek_cert_index = id.ek_cert_index;
	out->ak_name_len = id.ak_name_len;
	memcpy(out->ak_name, id.ak_name, id.ak_name_len);
	out->ek_public = o[0].p;
	out->ek_public_len = id.ek_public.len;
	out->ek_cert = o[1].p;
	out->ek_cert_len = id.ek_cert.len;
	out->ak_public = o[2].p;
	out->ak_public_len = id.ak_public.len;
	out->ak_spki = o[3].p;
	out->ak_spki_len = id.ak_spki.len;
	return 0;
}

void hrot_quote_out_free(struct hrot_quote_out *q)
{
	free(q->attest);
	free(q->sig);
	free(q->pcrs);
	memset(q, 0, sizeof(*q));
}

int hrot_dev_quote(int fd, uint32_t pcr_mask, const void *nonce,
		   size_t nonce_len, struct hrot_quote_out *out)
{
	struct hrot_quote q;
	struct outbuf o[] = {
		{ &q.attest, NULL, 0 }, { &q.signature, NULL, 0 },
		{ &q.pcrs, NULL, 0 },
	};
	int ret;

	memset(out, 0, sizeof(*out));
	if (nonce_len > HROT_QUALIFYING_MAX)
		return -EINVAL;
	HDR_INIT(q);
	q.pcr_mask = pcr_mask;
	q.bank = HROT_ALG_SHA256;
	q.qualifying_len = (uint16_t)nonce_len;
	if (nonce_len)
		memcpy(q.qualifying, nonce, nonce_len);
	ret = ioctl_grow(fd, HROT_IOC_QUOTE, &q, o, 3);
	if (ret)
		return ret;
	out->attest = o[0].p;
	out->attest_len = q.attest.len;
	out->sig = o[1].p;
	out->sig_len = q.signature.len;
	out->pcrs = o[2].p;
	out->pcrs_len = q.pcrs.len;
	return 0;
}

int hrot_dev_activate(int fd, const void *cred, size_t cred_len,
		      const void *secret, size_t secret_len, uint8_t *out,
		      size_t size, size_t *out_len)
{
	struct hrot_activate a;

	if (cred_len > UINT16_MAX + 2u || secret_len > UINT16_MAX + 2u ||
	    size > UINT32_MAX)
		return -EINVAL;
	memset(out, 0, size);
	HDR_INIT(a);
	a.credential.ptr = (uint64_t)(uintptr_t)cred;
	a.credential.len = (uint32_t)cred_len;
	a.secret.ptr = (uint64_t)(uintptr_t)secret;
	a.secret.len = (uint32_t)secret_len;
	a.cert_info.ptr = (uint64_t)(uintptr_t)out;
	a.cert_info.len = (uint32_t)size;
	if (ioctl(fd, HROT_IOC_ACTIVATE_CREDENTIAL, &a) < 0)
		return -errno;
	if (a.cert_info.len > size)
		return -EPROTO;
	*out_len = a.cert_info.len;
	return 0;
}
