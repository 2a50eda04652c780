// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: the TPM hash algorithms it knows.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/evp.h>
#include <linux/hrot.h>

#include <hrot/alg.h>
#include "array.h"

/* TPM 2.0 Part 2, TPM_ALG_ID, for the SHA-3 banks the uapi does not name. */
#define TPM_ALG_SHA3_256	0x0027
#define TPM_ALG_SHA3_384	0x0028
#define TPM_ALG_SHA3_512	0x0029

/* kernel_hashes follows hrot_hash_init() in kmod/hrot_hash.c. */
static const struct hrot_alg hrot_algs[] = {
	{ .id = HROT_ALG_SHA1, .name = "sha1", .evp_name = "SHA1",
	  .digest_size = 20, .kernel_hashes = true },
	{ .id = HROT_ALG_SHA256, .name = "sha256", .evp_name = "SHA256",
	  .digest_size = 32, .kernel_hashes = true },
	{ .id = HROT_ALG_SHA384, .name = "sha384", .evp_name = "SHA384",
	  .digest_size = 48, .kernel_hashes = true },
	{ .id = HROT_ALG_SHA512, .name = "sha512", .evp_name = "SHA512",
	  .digest_size = 64, .kernel_hashes = true },
	{ .id = HROT_ALG_SM3_256, .name = "sm3_256", .evp_name = "SM3",
	  .digest_size = 32, .kernel_hashes = false },
	{ .id = TPM_ALG_SHA3_256, .name = "sha3_256", .evp_name = "SHA3-256",
	  .digest_size = 32, .kernel_hashes = false },
	{ .id = TPM_ALG_SHA3_384, .name = "sha3_384", .evp_name = "SHA3-384",
	  .digest_size = 48, .kernel_hashes = false },
	{ .id = TPM_ALG_SHA3_512, .name = "sha3_512", .evp_name = "SHA3-512",
	  .digest_size = 64, .kernel_hashes = false },
};

const struct hrot_alg *hrot_alg_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hrot_algs); i++)
		if (hrot_algs[i].id == id)
			return &hrot_algs[i];
	return NULL;
}

const struct hrot_alg *hrot_alg_find_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hrot_algs); i++)
		if (strcmp(hrot_algs[i].name, name) == 0)
			return &hrot_algs[i];
	return NULL;
}

const char *hrot_alg_name(uint16_t id)
{
	const struct hrot_alg *alg = hrot_alg_find(id);

	return alg ? alg->name : NULL;
}

const char *hrot_alg_label(uint16_t id, char buf[HROT_ALG_LABEL_SIZE])
{
	const char *name = hrot_alg_name(id);

	if (name)
		return name;
	snprintf(buf, HROT_ALG_LABEL_SIZE, "0x%04x", id);
	return buf;
}

bool hrot_alg_available(uint16_t id)
{
	const struct hrot_alg *alg = hrot_alg_find(id);
	EVP_MD *md;

	if (!alg)
		return false;
	md = EVP_MD_fetch(NULL, alg->evp_name, NULL);
	EVP_MD_free(md);
	return md != NULL;
}
