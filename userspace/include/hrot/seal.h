/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrot/seal.h - a secret encrypted to a device's ephemeral key
 * (Documentation/verifier.md, "Secret release").
 *
 * The verifier makes a fresh P-256 key V and computes
 *
 *   Z = ECDH(V, E)                                  32 bytes
 *   K = HKDF-SHA256(salt = qualifying data, ikm = Z,
 *                   info = "hrot seal v1" || V || E)  32 bytes
 *   C, T = AES-256-GCM(K, iv, aad, secret)
 *
 * where E is the device's ephemeral public key (65-byte uncompressed
 * point, bound by the quote) and "hrot seal v1" is those 12 bytes, no NUL.
 * The blob is
 *
 *   0x01 || V (65) || iv (12) || T (16) || C
 *
 * Only the holder of E's private key opens it, and only with the same salt
 * and aad (the release token's 292 bytes).
 */
#ifndef HROT_SEAL_H
#define HROT_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define HROT_SEAL_VERSION	1
#define HROT_SEAL_POINT_SIZE	65	/* 0x04 || x || y */
#define HROT_SEAL_SALT_SIZE	32
#define HROT_SEAL_IV_SIZE	12
#define HROT_SEAL_TAG_SIZE	16
#define HROT_SEAL_OVERHEAD	(1 + HROT_SEAL_POINT_SIZE + HROT_SEAL_IV_SIZE + \
				 HROT_SEAL_TAG_SIZE)
#define HROT_SEAL_MAX_SECRET	4096

/*
 * hrot_ephemeral_keygen() - a fresh P-256 key and its public point
 * Return: 0 with *@priv to EVP_PKEY_free(), or -ENOMEM / -EIO.
 */
int hrot_ephemeral_keygen(EVP_PKEY **priv, uint8_t pub[HROT_SEAL_POINT_SIZE]);

/*
 * hrot_seal() - encrypt @secret to the point @pub
 * @blob: receives a malloc'ed blob of @secret_len + HROT_SEAL_OVERHEAD bytes
 *
 * Return: 0, -EINVAL (@pub not a point on P-256, @secret_len 0 or over
 * HROT_SEAL_MAX_SECRET), -ENOMEM, -EIO.
 */
int hrot_seal(const uint8_t pub[HROT_SEAL_POINT_SIZE],
	      const uint8_t salt[HROT_SEAL_SALT_SIZE], const void *aad,
	      size_t aad_len, const void *secret, size_t secret_len,
	      uint8_t **blob, size_t *blob_len);

/*
 * hrot_unseal() - open a blob with the ephemeral private key
 * @secret:      receives the plaintext (@secret_size bytes of room)
 * @secret_len:  receives its length
 *
 * Return: 0; -EINVAL for a malformed blob (short, wrong version, V not on
 * the curve); -EBADMSG when it does not open (wrong key, salt, aad, or any
 * changed byte); -ENOSPC when @secret_size is too small; -ENOMEM, -EIO.
 * On failure nothing is written to @secret.
 */
int hrot_unseal(EVP_PKEY *priv, const uint8_t salt[HROT_SEAL_SALT_SIZE],
		const void *aad, size_t aad_len, const void *blob,
		size_t blob_len, uint8_t *secret, size_t secret_size,
		size_t *secret_len);

#endif /* HROT_SEAL_H */
