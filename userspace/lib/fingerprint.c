// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: the hardware fingerprint's overall digest and component names.
 */
#include <errno.h>
#include <openssl/evp.h>

#include <hrot/device.h>
#include "array.h"
#include "le.h"

static const char *const component_names[] = {
	[HROT_FP_SYS_VENDOR] = "sys_vendor",
	[HROT_FP_PRODUCT_NAME] = "product_name",
	[HROT_FP_PRODUCT_UUID] = "product_uuid",
	[HROT_FP_PRODUCT_SERIAL] = "product_serial",
	[HROT_FP_BOARD_VENDOR] = "board_vendor",
	[HROT_FP_BOARD_NAME] = "board_name",
	[HROT_FP_BOARD_SERIAL] = "board_serial",
	[HROT_FP_CHASSIS_SERIAL] = "chassis_serial",
	[HROT_FP_CPU_VENDOR] = "cpu_vendor",
	[HROT_FP_CPU_SIGNATURE] = "cpu_signature",
	[HROT_FP_TPM_EK] = "tpm_ek",
};

const char *hrot_fp_component_name(uint32_t id)
{
	if (id >= ARRAY_SIZE(component_names))
		return NULL;
	return component_names[id];
}

/* The bytes each component contributes: le32 id, le32 flags, digest. */
static int hash_component(EVP_MD_CTX *ctx, const struct hrot_fp_component *c)
{
	uint8_t hdr[8];

	put_le32(hdr, c->id);
	put_le32(hdr + 4, c->flags);
	return EVP_DigestUpdate(ctx, hdr, sizeof(hdr)) &&
	       EVP_DigestUpdate(ctx, c->digest, HROT_SHA256_SIZE);
}

int hrot_fingerprint_digest(const struct hrot_fingerprint *fp,
			    uint8_t out[HROT_SHA256_SIZE])
{
	EVP_MD_CTX *ctx;
	uint32_t i;
	int ok;

	if (fp->nr_components > HROT_FP_MAX_COMPONENTS)
		return -EINVAL;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (i = 0; ok && i < fp->nr_components; i++)
		ok = hash_component(ctx, &fp->components[i]);
	if (ok)
		ok = EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -EIO;
}
