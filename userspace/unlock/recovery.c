// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: the recovery passphrase.  Only when the operator booted
 * with rd.hrot.recovery (or gave --recovery on a running system), and only
 * after the use has been measured ("recovery passphrase used <UUID>"): a
 * machine unlocked this way shows it in its next attestation.  If the
 * measurement fails, no passphrase is asked for.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libcryptsetup.h>

#include "unlock.h"

int unlock_recovery(struct crypt_device *cd, const char *name,
		    const char *key_file, uint32_t flags, char *err,
		    size_t err_size)
{
	uint8_t *pass = NULL;
	size_t len = 0, alloc = 0;
	int ret;

	ret = unlock_measure_volume(cd, "recovery passphrase used");
	if (ret) {
		snprintf(err, err_size,
			 "cannot measure the recovery (%s): not asking",
			 strerror(-ret));
		return ret;
	}
	ret = unlock_read_passphrase(key_file, "Recovery passphrase: ", &pass,
				     &len, &alloc);
	if (ret) {
		snprintf(err, err_size, "no recovery passphrase: %s",
			 strerror(-ret));
		return ret;
	}
	ret = crypt_activate_by_passphrase(cd, name, CRYPT_ANY_SLOT,
					   (const char *)pass, len, flags);
	unlock_secmem_free(pass, alloc);
	if (ret < 0)
		snprintf(err, err_size, "recovery passphrase: %s",
			 ret == -EPERM ? "opens no keyslot" : strerror(-ret));
	return ret < 0 ? ret : 0;
}
