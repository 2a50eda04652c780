// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: the hardware fingerprint (seed 003's physical attestation).
 *
 * A digest over identifiers the platform cannot change without changing
 * hardware: DMI system and board identity, the CPU signature and the TPM's
 * endorsement key.  Firmware versions and microcode revisions are left out
 * on purpose: they change with updates and would make every update look
 * like a hardware swap.  Each component is returned with its own digest so
 * a verifier can say which part changed.
 */
#include <linux/dmi.h>
#include <linux/kernel.h>
#include <linux/tpm.h>
#include <asm/unaligned.h>
#include <crypto/sha2.h>
#ifdef CONFIG_X86
#include <asm/processor.h>
#endif

#include "hrot.h"

static const struct {
	enum hrot_fp_component_id id;
	int dmi_field;
} hrot_fp_dmi[] = {
	{ HROT_FP_SYS_VENDOR, DMI_SYS_VENDOR },
	{ HROT_FP_PRODUCT_NAME, DMI_PRODUCT_NAME },
	{ HROT_FP_PRODUCT_UUID, DMI_PRODUCT_UUID },
	{ HROT_FP_PRODUCT_SERIAL, DMI_PRODUCT_SERIAL },
	{ HROT_FP_BOARD_VENDOR, DMI_BOARD_VENDOR },
	{ HROT_FP_BOARD_NAME, DMI_BOARD_NAME },
	{ HROT_FP_BOARD_SERIAL, DMI_BOARD_SERIAL },
	{ HROT_FP_CHASSIS_SERIAL, DMI_CHASSIS_SERIAL },
};

/* A component from a string value; an empty or missing value is absent. */
static int hrot_fp_set_string(struct hrot_fp_component *c, u32 id,
			      const char *value)
{
	c->id = id;
	if (!value || !*value)
		return 0;
	c->flags = HROT_FP_PRESENT;
	strscpy(c->value, value, sizeof(c->value));
	return hrot_sha256(value, strlen(value), c->digest);
}

static int hrot_fp_cpu(struct hrot_fingerprint *fp)
{
	struct hrot_fp_component *vendor = &fp->components[fp->nr_components++];
	struct hrot_fp_component *sig = &fp->components[fp->nr_components++];
	char buf[HROT_FP_VALUE_MAX] = "";
	int ret;

#ifdef CONFIG_X86
	ret = hrot_fp_set_string(vendor, HROT_FP_CPU_VENDOR,
				 boot_cpu_data.x86_vendor_id);
	if (ret)
		return ret;
	snprintf(buf, sizeof(buf), "family %u model %u stepping %u",
		 boot_cpu_data.x86, boot_cpu_data.x86_model,
		 boot_cpu_data.x86_stepping);
#else
	ret = hrot_fp_set_string(vendor, HROT_FP_CPU_VENDOR, NULL);
	if (ret)
		return ret;
#endif
	return hrot_fp_set_string(sig, HROT_FP_CPU_SIGNATURE, buf);
}

static const char *const hrot_ek_names[] = {
	[HROT_EK_L1_RSA2048] = "rsa-2048",
	[HROT_EK_L2_ECC_P256] = "ecc-nist-p256",
	[HROT_EK_H3_ECC_P384] = "ecc-nist-p384",
};

/* The EK component: SHA-256 of the identity EK's TPMT_PUBLIC. */
static int hrot_fp_ek(struct hrot_dev *dev, struct hrot_fingerprint *fp)
{
	struct hrot_fp_component *c = &fp->components[fp->nr_components++];
	const struct hrot_ident *id;
	int ret;

	c->id = HROT_FP_TPM_EK;
	if (!dev->chip)
		return 0;

	mutex_lock(&dev->lock);
	ret = hrot_identity_get(dev, &id);
	if (!ret) {
		c->flags = HROT_FP_PRESENT;
		strscpy(c->value, hrot_ek_names[id->ek_template],
			sizeof(c->value));
		ret = hrot_sha256(id->ek_pub, id->ek_pub_len, c->digest);
	}
	mutex_unlock(&dev->lock);
	return ret;
}

static int hrot_fp_digest(struct hrot_fingerprint *fp)
{
	u8 buf[HROT_FP_MAX_COMPONENTS * (8 + SHA256_DIGEST_SIZE)];
	u8 *p = buf;
	u32 i;

	for (i = 0; i < fp->nr_components; i++) {
		put_unaligned_le32(fp->components[i].id, p);
		put_unaligned_le32(fp->components[i].flags, p + 4);
		memcpy(p + 8, fp->components[i].digest, SHA256_DIGEST_SIZE);
		p += 8 + SHA256_DIGEST_SIZE;
	}
	return hrot_sha256(buf, p - buf, fp->digest);
}

/**
 * hrot_fingerprint() - collect every component and the overall digest
 * @dev: the device
 * @fp:  out, zeroed by the caller
 *
 * Return: 0 or -errno (a TPM failure while reading the EK is an error: a
 * fingerprint without the EK on a machine that has a TPM would not match).
 */
int hrot_fingerprint(struct hrot_dev *dev, struct hrot_fingerprint *fp)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(hrot_fp_dmi); i++) {
		ret = hrot_fp_set_string(&fp->components[fp->nr_components++],
					 hrot_fp_dmi[i].id,
					 dmi_get_system_info(hrot_fp_dmi[i].dmi_field));
		if (ret)
			return ret;
	}
	ret = hrot_fp_cpu(fp);
	if (ret)
		return ret;
	ret = hrot_fp_ek(dev, fp);
	if (ret)
		return ret;
	return hrot_fp_digest(fp);
}
