/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot: TPM hash algorithms and hashing.
 *
 * Algorithms are named by TPM_ALG_ID (HROT_ALG_* in <linux/hrot.h>) because
 * that is what the event log and the module speak; the names are the ones
 * tpm2-tools uses, so output of the two can be compared.
 */
#ifndef HROT_ALG_H
#define HROT_ALG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest digest of any TPM algorithm (SHA-512, SHA3-512). */
#define HROT_MAX_DIGEST_SIZE	64

/**
 * struct hrot_alg - a TPM hash algorithm libhrot knows
 * @name:          tpm2-tools name: "sha1", "sha256", "sm3_256", ...
 * @evp_name:      OpenSSL's name for it
 * @id:            TPM_ALG_ID
 * @digest_size:   bytes
 * @kernel_hashes: hrot.ko hashes event data with this algorithm itself;
 *                 for any other bank it logs the event data's SHA-256
 *                 zero-padded to the bank's size (Documentation/log-format.md)
 */
struct hrot_alg {
	const char *name;
	const char *evp_name;
	uint16_t id;
	uint16_t digest_size;
	bool kernel_hashes;
};

/* The algorithm with TPM_ALG_ID @id, or NULL when libhrot does not know it. */
const struct hrot_alg *hrot_alg_find(uint16_t id);

/* The algorithm called @name ("sha256"), or NULL. */
const struct hrot_alg *hrot_alg_find_name(const char *name);

/* The name of @id, or NULL when unknown. */
const char *hrot_alg_name(uint16_t id);

/* Room for any hrot_alg_label(). */
#define HROT_ALG_LABEL_SIZE	16

/*
 * The name of @id for printing: its name, or "0x%04x" (written into @buf)
 * when libhrot does not know it.
 */
const char *hrot_alg_label(uint16_t id, char buf[HROT_ALG_LABEL_SIZE]);

/* True when OpenSSL can compute @id here (SM3 may be disabled, say). */
bool hrot_alg_available(uint16_t id);

/**
 * hrot_digest() - one-shot hash of a buffer
 * @alg:      TPM_ALG_ID
 * @data:     bytes to hash (may be NULL when @len is 0)
 * @len:      their number
 * @out:      receives the digest
 * @out_size: room in @out, at least the algorithm's digest size
 *
 * Return: the digest size, -EOPNOTSUPP for an algorithm libhrot or OpenSSL
 * lacks, -ENOSPC when @out is too small, -EIO when OpenSSL fails.
 */
int hrot_digest(uint16_t alg, const void *data, size_t len, uint8_t *out,
		size_t out_size);

/**
 * hrot_pcr_extend() - what TPM2_PCR_Extend does to one bank
 * @alg:    the bank's TPM_ALG_ID
 * @pcr:    the PCR value, digest size bytes; replaced by H(pcr || digest)
 * @digest: the measurement, digest size bytes
 *
 * Return: 0, -EOPNOTSUPP, -EIO.
 */
int hrot_pcr_extend(uint16_t alg, uint8_t *pcr, const uint8_t *digest);

#endif /* HROT_ALG_H */
