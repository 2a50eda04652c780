// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: the output file of tpm2_makecredential (and the input of
 * tpm2_activatecredential -i): big-endian u32 magic 0xBADCC0DE, u32
 * version 1, TPM2B_ID_OBJECT, TPM2B_ENCRYPTED_SECRET.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hrot/credential.h>

#include "tpm_buf.h"

int hrot_credential_file_write(const struct hrot_credential *c, uint8_t **out,
			       size_t *out_len)
{
	size_t len = 8 + c->id_object_len + c->secret_len;
	struct tpm_wr w;
	int ret;

	if (c->id_object_len > sizeof(c->id_object) ||
	    c->secret_len > sizeof(c->secret))
		return -EINVAL;
	*out = malloc(len);
	if (!*out)
		return -ENOMEM;
	wr_init(&w, *out, len);
	wr_u32(&w, HROT_CREDFILE_MAGIC);
	wr_u32(&w, HROT_CREDFILE_VERSION);
	wr_bytes(&w, c->id_object, c->id_object_len);
	wr_bytes(&w, c->secret, c->secret_len);
	ret = wr_done(&w);
	if (ret < 0) {
		free(*out);
		*out = NULL;
		return ret;
	}
	*out_len = (size_t)ret;
	return 0;
}

static int rd_sized(struct tpm_rd *r, const char *field, uint8_t *out,
		    size_t max, size_t *len)
{
	uint16_t n;
	int ret = rd_2b(r, field, out + 2, max, &n);

	if (ret)
		return ret;
	put_be16(out, n);
	*len = 2u + n;
	return 0;
}

int hrot_credential_file_read(const void *buf, size_t len,
			      struct hrot_credential *out,
			      struct hrot_tpm_diag *diag)
{
	uint32_t magic = 0, version = 0;
	struct tpm_rd r;
	int ret;

	memset(out, 0, sizeof(*out));
	rd_init(&r, buf, len, diag);
	ret = rd_u32(&r, "magic", &magic);
	if (!ret && magic != HROT_CREDFILE_MAGIC) {
		r.off = 0;
		return rd_fail(&r, -HROT_TPM_EFORMAT,
			       "magic: 0x%08x, not 0x%08x", magic,
			       HROT_CREDFILE_MAGIC);
	}
	if (!ret)
		ret = rd_u32(&r, "version", &version);
	if (!ret && version != HROT_CREDFILE_VERSION) {
		r.off = 4;
		return rd_fail(&r, -HROT_TPM_EFORMAT, "version: %u, not %u",
			       version, HROT_CREDFILE_VERSION);
	}
	if (!ret)
		ret = rd_sized(&r, "TPM2B_ID_OBJECT", out->id_object,
			       HROT_ID_OBJECT_MAX, &out->id_object_len);
	if (!ret)
		ret = rd_sized(&r, "TPM2B_ENCRYPTED_SECRET", out->secret,
			       HROT_ENC_SECRET_MAX, &out->secret_len);
	return ret ? ret : rd_end(&r, "the credential file");
}
