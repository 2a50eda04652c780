// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot-client: the /dev/hrot attester backend, what hrot-unlock and
 * hrot-agent use on a real device.  The module holds the EK and AK; the
 * log is its securityfs file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hrot/credential.h>
#include <hrot/device.h>
#include <hrot/eventlog.h>

#include "client_int.h"

#define HROT_LOG_FILE	"/sys/kernel/security/" HROT_SECURITYFS_DIR \
			"/binary_measurements"

struct dev_backend {
	int fd;
};

/* TPMT_PUBLIC as the module gives it, made a TPM2B_PUBLIC (u16 BE size). */
static int to_tpm2b(const uint8_t *pub, size_t len, uint8_t **out,
		    size_t *out_len)
{
	uint8_t *p;

	if (len > 0xffff)
		return -EPROTO;
	p = malloc(len + 2);
	if (!p)
		return -ENOMEM;
	p[0] = (uint8_t)(len >> 8);
	p[1] = (uint8_t)len;
	memcpy(p + 2, pub, len);
	*out = p;
	*out_len = len + 2;
	return 0;
}

static int dev_identity(void *ctx, struct hrot_attester_identity *out)
{
	struct dev_backend *b = ctx;
	struct hrot_identity_info info = { 0 };
	int ret;

	memset(out, 0, sizeof(*out));
	ret = hrot_dev_identity(b->fd, &info);
	if (ret)
		return ret;
	if (info.ak_name_len != HROT_DEVICE_NAME_SIZE) {
		ret = -EPROTO;
		goto out;
	}
	memcpy(out->ak_name, info.ak_name, HROT_DEVICE_NAME_SIZE);
	ret = to_tpm2b(info.ek_public, info.ek_public_len, &out->ek_public,
		       &out->ek_public_len);
	if (!ret)
		ret = to_tpm2b(info.ak_public, info.ak_public_len,
			       &out->ak_public, &out->ak_public_len);
	if (!ret && info.ek_cert_len) {
		out->ek_cert = malloc(info.ek_cert_len);
		if (!out->ek_cert) {
			ret = -ENOMEM;
		} else {
			memcpy(out->ek_cert, info.ek_cert, info.ek_cert_len);
			out->ek_cert_len = info.ek_cert_len;
		}
	}
out:
	hrot_identity_info_free(&info);
	if (ret)
		hrot_attester_identity_free(out);
	return ret;
}

static int dev_fingerprint(void *ctx, struct hrot_fingerprint *out)
{
	struct dev_backend *b = ctx;

	return hrot_dev_fingerprint(b->fd, out);
}

static int dev_quote(void *ctx, uint32_t pcr_mask, const uint8_t *qual,
		     size_t qual_len, struct hrot_wire_quote *out)
{
	struct dev_backend *b = ctx;
	struct hrot_quote_out q = { 0 };
	size_t off = 0;
	unsigned int i;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = hrot_dev_quote(b->fd, pcr_mask, qual, qual_len, &q);
	if (ret)
		return ret;
	/* The values come in ascending PCR order, one per selected PCR. */
	if (q.pcrs_len != (size_t)__builtin_popcount(pcr_mask) *
			  HROT_SHA256_SIZE) {
		hrot_quote_out_free(&q);
		return -EPROTO;
	}
	for (i = 0; i < HROT_PCR_COUNT; i++) {
		if (!(pcr_mask & (1u << i)))
			continue;
		memcpy(out->pcrs[i], q.pcrs + off, HROT_SHA256_SIZE);
		off += HROT_SHA256_SIZE;
	}
	out->pcr_mask = pcr_mask;
	out->attest = q.attest;
	out->attest_len = q.attest_len;
	out->signature = q.sig;
	out->signature_len = q.sig_len;
	q.attest = NULL;
	q.sig = NULL;
	hrot_quote_out_free(&q);
	return 0;
}

static int dev_activate(void *ctx, const uint8_t *cred, size_t cred_len,
			uint8_t *secret, size_t size, size_t *secret_len)
{
	struct dev_backend *b = ctx;
	struct hrot_credential c;
	struct hrot_tpm_diag diag;
	int ret;

	ret = hrot_credential_file_read(cred, cred_len, &c, &diag);
	if (ret)
		return -EINVAL;
	return hrot_dev_activate(b->fd, c.id_object, c.id_object_len,
				 c.secret, c.secret_len, secret, size,
				 secret_len);
}

static int dev_event_log(void *ctx, uint8_t **buf, size_t *len)
{
	(void)ctx;
	return hrot_log_read_file(HROT_LOG_FILE, buf, len);
}

static void dev_close(void *ctx)
{
	struct dev_backend *b = ctx;

	hrot_dev_close(b->fd);
	free(b);
}

static const struct hrot_attester_ops dev_ops = {
	.identity = dev_identity,
	.fingerprint = dev_fingerprint,
	.quote = dev_quote,
	.activate_credential = dev_activate,
	.event_log = dev_event_log,
	.close = dev_close,
};

int hrot_dev_attester_open(const char *path, struct hrot_attester *out)
{
	struct dev_backend *b = calloc(1, sizeof(*b));

	memset(out, 0, sizeof(*out));
	if (!b)
		return -ENOMEM;
	b->fd = hrot_dev_open(path);
	if (b->fd < 0) {
		int ret = b->fd;

		free(b);
		return ret;
	}
	out->ops = &dev_ops;
	out->ctx = b;
	return 0;
}
