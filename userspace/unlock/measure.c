// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: measuring what the unlock did ("unlocked <UUID>", "recovery
 * passphrase used <UUID>") into the module's log with EXTEND, so the next
 * attestation shows it.  The digest is SHA-256 of the description.
 */
#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

#include <hrot/device.h>

#include "unlock.h"

int unlock_measure_dev(const char *dev_path, const char *desc)
{
	uint8_t digest[HROT_SHA256_SIZE];
	unsigned int n = 0;
	size_t len = strlen(desc);
	int fd, ret;

	if (!len || len > HROT_NAME_MAX)
		return -EINVAL;
	if (EVP_Digest(desc, len, digest, &n, EVP_sha256(), NULL) != 1)
		return -EIO;
	fd = hrot_dev_open(dev_path);
	if (fd < 0)
		return fd;
	ret = hrot_dev_extend(fd, HROT_EV_EVENT_TAG, digest, desc, len, NULL);
	hrot_dev_close(fd);
	return ret;
}
