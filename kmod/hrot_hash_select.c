// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: which SHA-256 implementation hashes file contents.
 *
 * The crypto API hands out the implementation with the highest priority,
 * which assumes the CPU runs its vector instructions natively.  Under
 * emulation (QEMU TCG) the AVX2 code is about three times slower than the
 * generic C one, and MEASURE_FD hashes whole files, so at load the module
 * times each SHA-256 implementation present on a small buffer and keeps
 * the fastest, as lib/raid6 picks its algorithm.  "sha256_driver=NAME"
 * forces one.  The event-data hashes of the PCR banks are tiny and keep the
 * crypto API's choice.
 */
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <crypto/hash.h>

#include "hrot.h"

static char *sha256_driver;
module_param(sha256_driver, charp, 0444);
MODULE_PARM_DESC(sha256_driver,
		 "SHA-256 driver for file contents (default: the fastest, timed at load)");

#define HROT_CAL_BYTES	(64 * 1024)
#define HROT_CAL_ROUNDS	3

/* Driver names of 6.1's SHA-256 implementations, any architecture. */
static const char * const hrot_sha256_drivers[] = {
	"sha256-ni", "sha256-avx2", "sha256-avx", "sha256-ssse3",
	"sha256-ce", "sha256-arm64-neon", "sha256-arm64", "sha256-generic",
};

/* Best time of a few digests of @buf, in ns; U64_MAX on failure. */
static u64 hrot_time_sha256(struct crypto_shash *tfm, const u8 *buf)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	u8 out[SHA256_DIGEST_SIZE];
	u64 best = U64_MAX, t;
	int i;

	desc->tfm = tfm;
	for (i = 0; i < HROT_CAL_ROUNDS; i++) {
		t = ktime_get_ns();
		if (crypto_shash_digest(desc, buf, HROT_CAL_BYTES, out)) {
			best = U64_MAX;
			break;
		}
		best = min(best, ktime_get_ns() - t);
	}
	shash_desc_zero(desc);
	return best;
}

static struct crypto_shash *hrot_alloc_driver(const char *name)
{
	struct crypto_shash *tfm = crypto_alloc_shash(name, 0, 0);

	if (IS_ERR(tfm))
		return tfm;
	if (crypto_shash_digestsize(tfm) != SHA256_DIGEST_SIZE) {
		crypto_free_shash(tfm);
		return ERR_PTR(-EINVAL);
	}
	hrot_count_alloc();
	return tfm;
}

/* Keep the faster of @best and @tfm; free the other. */
static void hrot_keep_faster(struct crypto_shash **best, u64 *best_ns,
			     struct crypto_shash *tfm, u64 ns)
{
	if (ns < *best_ns) {
		hrot_free_shash(*best);
		*best = tfm;
		*best_ns = ns;
	} else {
		hrot_free_shash(tfm);
	}
}

static struct crypto_shash *hrot_calibrate(u8 *buf)
{
	struct crypto_shash *best, *tfm;
	u64 best_ns, ns;
	int i;

	/* The crypto API's own choice first: it also loads the arch module. */
	best = hrot_alloc_driver("sha256");
	if (IS_ERR(best))
		return best;
	best_ns = hrot_time_sha256(best, buf);
	for (i = 0; i < ARRAY_SIZE(hrot_sha256_drivers); i++) {
		tfm = hrot_alloc_driver(hrot_sha256_drivers[i]);
		if (IS_ERR(tfm))
			continue;
		ns = hrot_time_sha256(tfm, buf);
		hrot_keep_faster(&best, &best_ns, tfm, ns);
	}
	pr_info("hrot: file contents hashed by %s (%llu MiB/s at load)\n",
		crypto_shash_driver_name(best),
		best_ns ? div64_u64((u64)HROT_CAL_BYTES * NSEC_PER_SEC,
				    best_ns * 1024 * 1024) : 0);
	return best;
}

/**
 * hrot_sha256_select() - the SHA-256 tfm for file contents
 *
 * Return: an allocated tfm (free with hrot_free_shash()), or an ERR_PTR.
 */
struct crypto_shash *hrot_sha256_select(void)
{
	struct crypto_shash *tfm;
	u8 *buf;

	if (sha256_driver && *sha256_driver) {
		tfm = hrot_alloc_driver(sha256_driver);
		if (IS_ERR(tfm))
			pr_err("hrot: sha256_driver=%s: not available (%ld)\n",
			       sha256_driver, PTR_ERR(tfm));
		return tfm;
	}
	buf = hrot_kzalloc(HROT_CAL_BYTES);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	tfm = hrot_calibrate(buf);
	hrot_kfree(buf);
	return tfm;
}
