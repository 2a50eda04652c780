/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vault.h - volume secrets encrypted at rest.
 *
 * One 32-byte AES-256 key in a file of its own (vault.key, mode 0600),
 * held in locked memory while open.  A sealed secret is
 *
 *   version (1 byte, VAULT_VERSION) || iv (12) || tag (16) || ciphertext
 *
 * made with AES-256-GCM and the device id (its AK name) as additional
 * data, so a sealed secret copied to another device's row does not open.
 * A sealed secret fits STORE_SEALED_MAX (store.h): secrets up to
 * VAULT_SECRET_MAX bytes.  Thread-safe: every call has its own cipher
 * context and the key is only read.
 */
#ifndef HROT_VERIFIER_VAULT_H
#define HROT_VERIFIER_VAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/hrot_token.h>

#define VAULT_VERSION		1
#define VAULT_KEY_SIZE		32
#define VAULT_IV_SIZE		12
#define VAULT_TAG_SIZE		16
#define VAULT_OVERHEAD		(1 + VAULT_IV_SIZE + VAULT_TAG_SIZE)
#define VAULT_SECRET_MAX	(128 - VAULT_OVERHEAD)	/* STORE_SEALED_MAX */

struct vault;

/*
 * Load the key at @key_path.  When it does not exist and @create is true,
 * make one (32 random bytes, 0600, O_EXCL).  A key file readable or
 * writable by group or others, not a regular file, or not exactly 32
 * bytes is refused (-EPERM, -EINVAL) with a message on stderr.
 */
int vault_open(const char *key_path, bool create, struct vault **out);
/* Wipe the key and free. */
void vault_close(struct vault *v);

/*
 * Encrypt @len bytes of @secret (1..VAULT_SECRET_MAX) for @device_id
 * (HROT_DEVICE_NAME_SIZE bytes) into @out; @out_len gets the sealed size,
 * @len + VAULT_OVERHEAD.  -ENOSPC when @out_size is too small.
 */
int vault_seal(struct vault *v, const uint8_t *device_id,
	       const uint8_t *secret, size_t len, uint8_t *out,
	       size_t out_size, size_t *out_len);
/*
 * The inverse: -EBADMSG when @sealed is malformed, was sealed under
 * another key or for another device, or was altered; @out is wiped then.
 */
int vault_open_secret(struct vault *v, const uint8_t *device_id,
		      const uint8_t *sealed, size_t sealed_len, uint8_t *out,
		      size_t out_size, size_t *out_len);

#endif /* HROT_VERIFIER_VAULT_H */
