/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot internal: the key agreement of hrot/seal.h, ECDH P-256 then
 * HKDF-SHA256, apart from the AEAD that uses its key.
 */
#ifndef HROT_SEAL_KEY_H
#define HROT_SEAL_KEY_H

#include <stdint.h>

#include <openssl/evp.h>

#include <hrot/seal.h>

#define SEAL_KEY_SIZE	32	/* AES-256 */

/* A P-256 public key from an uncompressed point on the curve, or NULL. */
EVP_PKEY *seal_point_to_pkey(const uint8_t pub[HROT_SEAL_POINT_SIZE]);

/* @key's public point, uncompressed: 0 or -EIO. */
int seal_pkey_to_point(EVP_PKEY *key, uint8_t pub[HROT_SEAL_POINT_SIZE]);

/*
 * K = HKDF-SHA256(salt, ECDH(@priv, @peer), "hrot seal v1" || @v || @e),
 * where @v is the verifier's point and @e the device's, whichever of the
 * two @priv is.  0, or -EIO; @k is wiped on failure.
 */
int seal_derive_key(EVP_PKEY *priv, EVP_PKEY *peer,
		    const uint8_t v[HROT_SEAL_POINT_SIZE],
		    const uint8_t e[HROT_SEAL_POINT_SIZE],
		    const uint8_t salt[HROT_SEAL_SALT_SIZE],
		    uint8_t k[SEAL_KEY_SIZE]);

#endif /* HROT_SEAL_KEY_H */
