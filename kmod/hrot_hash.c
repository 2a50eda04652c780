// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: hashing.  One kernel shash per PCR bank, so every bank gets its
 * own algorithm's digest of the event data (what the TCG crypto-agile log
 * expects), and SHA-256 over file contents for MEASURE_FD.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <crypto/hash.h>
#include <crypto/hash_info.h>
#include <crypto/sha2.h>

#include "hrot.h"

/* Big enough to amortise the per-call cost, small enough for kvmalloc. */
#define HROT_READ_CHUNK		(256 * 1024)

static const struct {
	u16 alg_id;
	const char *name;
} hrot_algs[] = {
	{ TPM_ALG_SHA1, "sha1" },
	{ TPM_ALG_SHA256, "sha256" },
	{ TPM_ALG_SHA384, "sha384" },
	{ TPM_ALG_SHA512, "sha512" },
	{ TPM_ALG_SM3_256, "sm3" },
};

/**
 * hrot_alg_name() - kernel crypto name of a TPM hash algorithm
 * @alg_id: TPM_ALG_ID
 *
 * Return: the name, or NULL when the module does not know the algorithm.
 */
const char *hrot_alg_name(u16 alg_id)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(hrot_algs); i++)
		if (hrot_algs[i].alg_id == alg_id)
			return hrot_algs[i].name;
	return NULL;
}

static struct crypto_shash *hrot_alloc_shash(const char *name)
{
	struct crypto_shash *tfm = crypto_alloc_shash(name, 0, 0);

	if (!IS_ERR(tfm))
		hrot_count_alloc();
	return tfm;
}

void hrot_free_shash(struct crypto_shash *tfm)
{
	if (!tfm)
		return;
	crypto_free_shash(tfm);
	hrot_count_free();
}

/**
 * hrot_hash_init() - allocate the content hash and one hash per bank
 * @dev: the device, with @dev->banks filled in (alg_id, digest_size)
 *
 * A bank whose algorithm the kernel cannot hash (an unknown one, or SM3
 * when sm3 is not available) gets no tfm and a padded SHA-256 digest, as
 * IMA does; any other failure to allocate is an error, so a bank is never
 * silently measured wrongly.
 *
 * Return: 0 or -errno.
 */
int hrot_hash_init(struct hrot_dev *dev)
{
	struct crypto_shash *tfm;
	const char *name;
	int i;

	tfm = hrot_sha256_select();
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	dev->sha256 = tfm;

	for (i = 0; i < dev->nr_banks; i++) {
		struct hrot_bank *bank = &dev->banks[i];

		name = hrot_alg_name(bank->alg_id);
		tfm = name ? hrot_alloc_shash(name) : ERR_PTR(-ENOENT);
		if (IS_ERR(tfm) && (!name || bank->alg_id == TPM_ALG_SM3_256)) {
			pr_warn("hrot: PCR bank 0x%04x has no kernel hash, using padded sha256\n",
				bank->alg_id);
			continue;
		}
		if (IS_ERR(tfm)) {
			pr_err("hrot: cannot allocate %s for its PCR bank: %ld\n",
			       name, PTR_ERR(tfm));
			hrot_hash_exit(dev);
			return PTR_ERR(tfm);
		}
		if (crypto_shash_digestsize(tfm) != bank->digest_size) {
			pr_err("hrot: %s digest size %u, TPM bank says %u\n", name,
			       crypto_shash_digestsize(tfm), bank->digest_size);
			hrot_free_shash(tfm);
			hrot_hash_exit(dev);
			return -EINVAL;
		}
		bank->tfm = tfm;
	}
	return 0;
}

void hrot_hash_exit(struct hrot_dev *dev)
{
	int i;

	for (i = 0; i < dev->nr_banks; i++) {
		hrot_free_shash(dev->banks[i].tfm);
		dev->banks[i].tfm = NULL;
	}
	hrot_free_shash(dev->sha256);
	dev->sha256 = NULL;
}

static int hrot_shash_digest(struct crypto_shash *tfm, const void *data,
			     size_t len, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	int ret;

	desc->tfm = tfm;
	ret = crypto_shash_digest(desc, data, len, out);
	shash_desc_zero(desc);
	return ret;
}

int hrot_sha256(const void *data, size_t len, u8 *out)
{
	return hrot_shash_digest(hrot.sha256, data, len, out);
}

/**
 * hrot_hash_bank() - a bank's digest of event data
 * @bank:   the bank
 * @sha256: SHA-256 of the same data, used for banks without a kernel hash
 * @data:   event data
 * @len:    its length
 * @out:    @bank->digest_size bytes
 *
 * Return: 0 or -errno.
 */
int hrot_hash_bank(const struct hrot_bank *bank, const u8 *sha256,
		   const void *data, size_t len, u8 *out)
{
	size_t n;

	if (bank->tfm)
		return hrot_shash_digest(bank->tfm, data, len, out);

	n = min_t(size_t, bank->digest_size, SHA256_DIGEST_SIZE);
	memset(out, 0, bank->digest_size);
	memcpy(out, sha256, n);
	return 0;
}

/**
 * hrot_hash_file() - SHA-256 of a whole regular file, read by the kernel
 * @file:   open for reading
 * @digest: SHA256_DIGEST_SIZE bytes out
 * @size:   bytes hashed
 *
 * The file is read through kernel_read() from offset 0 to EOF regardless of
 * the fd's own position, so userspace cannot choose what is hashed.
 *
 * Return: 0, -EINTR on a fatal signal, or -errno from the read or hash.
 */
int hrot_hash_file(struct file *file, u8 *digest, u64 *size)
{
	SHASH_DESC_ON_STACK(desc, hrot.sha256);
	loff_t pos = 0;
	ssize_t n;
	void *buf;
	int ret;

	buf = hrot_kvmalloc(HROT_READ_CHUNK);
	if (!buf)
		return -ENOMEM;

	desc->tfm = hrot.sha256;
	ret = crypto_shash_init(desc);
	if (ret)
		goto out;

	for (;;) {
		n = kernel_read(file, buf, HROT_READ_CHUNK, &pos);
		if (n < 0) {
			ret = n;
			goto out;
		}
		if (n == 0)
			break;
		ret = crypto_shash_update(desc, buf, n);
		if (ret)
			goto out;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out;
		}
		cond_resched();
	}
	ret = crypto_shash_final(desc, digest);
	*size = pos;
out:
	shash_desc_zero(desc);
	hrot_kvfree(buf);
	return ret;
}
