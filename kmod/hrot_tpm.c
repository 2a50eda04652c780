// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: the TPM the module is bound to.
 *
 * The module binds to the default TPM once, at load, and keeps a reference
 * until unload.  The PCR banks it measures into are the chip's allocated
 * banks at that moment; without a TPM 2.0 chip the log carries a single
 * SHA-256 bank and nothing is extended anywhere.
 */
#include <linux/device.h>
#include <linux/tpm.h>
#include <crypto/sha2.h>

#include "hrot.h"

bool hrot_tpm_present(const struct hrot_dev *dev)
{
	return dev->chip;
}

static void hrot_tpm_sha256_only(struct hrot_dev *dev)
{
	dev->nr_banks = 1;
	dev->banks[0].alg_id = TPM_ALG_SHA256;
	dev->banks[0].digest_size = SHA256_DIGEST_SIZE;
}

/**
 * hrot_tpm_init() - bind the default TPM 2.0 chip and copy its banks
 * @dev: the device
 *
 * Return: 0, also when there is no TPM (the module then logs without one).
 */
int hrot_tpm_init(struct hrot_dev *dev)
{
	struct tpm_chip *chip;
	int i;

	chip = tpm_default_chip();
	if (!chip) {
		pr_info("hrot: no TPM found, measuring into the log only\n");
		hrot_tpm_sha256_only(dev);
		return 0;
	}
	if (!(chip->flags & TPM_CHIP_FLAG_TPM2)) {
		pr_info("hrot: TPM is not TPM 2.0, measuring into the log only\n");
		put_device(&chip->dev);
		hrot_tpm_sha256_only(dev);
		return 0;
	}
	if (chip->nr_allocated_banks == 0 ||
	    chip->nr_allocated_banks > HROT_MAX_BANKS) {
		pr_err("hrot: TPM reports %u PCR banks\n", chip->nr_allocated_banks);
		put_device(&chip->dev);
		return -EINVAL;
	}

	dev->chip = chip;
	dev->nr_banks = chip->nr_allocated_banks;
	for (i = 0; i < dev->nr_banks; i++) {
		dev->banks[i].alg_id = chip->allocated_banks[i].alg_id;
		dev->banks[i].digest_size = chip->allocated_banks[i].digest_size;
	}
	return 0;
}

void hrot_tpm_exit(struct hrot_dev *dev)
{
	if (dev->chip)
		put_device(&dev->chip->dev);
	dev->chip = NULL;
}

/**
 * hrot_tpm_extend() - extend the mirrored PCR in every bank
 * @dev:     the device, lock held
 * @digests: one digest per bank, in bank order
 *
 * Return: 0 (also without a TPM), -errno, or -EIO for a TPM error code
 * (which is logged with the response code).
 */
int hrot_tpm_extend(struct hrot_dev *dev,
		    const u8 digests[][TPM2_MAX_DIGEST_SIZE])
{
	struct tpm_digest d[HROT_MAX_BANKS];
	int i, rc;

	lockdep_assert_held(&dev->lock);
	if (!dev->chip)
		return 0;

	for (i = 0; i < dev->nr_banks; i++) {
		d[i].alg_id = dev->banks[i].alg_id;
		memcpy(d[i].digest, digests[i], dev->banks[i].digest_size);
	}
	rc = tpm_pcr_extend(dev->chip, dev->pcr, d);
	if (rc > 0) {
		pr_err("hrot: TPM2_PCR_Extend of PCR %u failed, TPM rc 0x%x\n",
		       dev->pcr, rc);
		return -EIO;
	}
	if (rc < 0)
		pr_err("hrot: TPM2_PCR_Extend of PCR %u failed: %d\n",
		       dev->pcr, rc);
	return rc;
}
