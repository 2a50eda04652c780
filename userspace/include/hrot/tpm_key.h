/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot: TPM public keys as OpenSSL keys, and keys as PEM and DER.
 */
#ifndef HROT_TPM_KEY_H
#define HROT_TPM_KEY_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

#include <hrot/tpm.h>

/**
 * hrot_tpm_public_to_pkey() - the key of a TPMT_PUBLIC
 * @pub: RSA, or ECC on NIST P-256 or P-384
 * @out: the key, to EVP_PKEY_free()
 *
 * Return: 0, -EOPNOTSUPP for another curve, -EINVAL when OpenSSL refuses
 * the key (a point not on the curve, a coordinate of the wrong size),
 * -ENOMEM.
 */
int hrot_tpm_public_to_pkey(const struct hrot_tpm_public *pub,
			    EVP_PKEY **out);

/* SubjectPublicKeyInfo DER, to free(): 0, -EINVAL, -ENOMEM. */
int hrot_pkey_to_spki(EVP_PKEY *pkey, uint8_t **der, size_t *len);

/* "-----BEGIN PUBLIC KEY-----" PEM, NUL-terminated, to free(). */
int hrot_pkey_to_pem(EVP_PKEY *pkey, char **pem);

/* A public key from PEM or SPKI DER: 0, -EINVAL, -ENOMEM. */
int hrot_pkey_from_pem_or_der(const void *buf, size_t len, EVP_PKEY **out);

/* OpenSSL curve name ("P-256") of a TPM_ECC_CURVE, or NULL. */
const char *hrot_tpm_curve_name(uint16_t curve);

/* Coordinate size of a TPM_ECC_CURVE in bytes, or 0. */
size_t hrot_tpm_curve_size(uint16_t curve);

#endif /* HROT_TPM_KEY_H */
