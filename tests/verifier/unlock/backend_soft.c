// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock-soft: hrot-unlock with the service tests' software attester
 * (swtpm through tpm2-tools) in place of /dev/hrot.  Linked only into the
 * test binary $(BUILD)/tests/verifier/hrot-unlock-soft; the production
 * tool has no such switch.  The device is HROT_SOFT_STATE (the attester's
 * state directory) on the TPM of TPM2TOOLS_TCTI.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "soft.h"
#include "unlock.h"

static struct soft_ctx soft;

static int soft_ctx_init(void)
{
	const char *state = getenv("HROT_SOFT_STATE");

	if (!state || !*state)
		return -ENODEV;
	soft.state = state;
	snprintf(soft.ak_handle, sizeof(soft.ak_handle), "%s",
		 SOFT_AK_HANDLE);
	return 0;
}

int unlock_backend_open(struct hrot_attester *a)
{
	int ret = soft_ctx_init();

	if (!ret)
		soft_attester(&soft, a);
	return ret;
}

/* The soft device measures files: the description goes into one. */
int unlock_measure(const char *desc)
{
	char path[4096];
	int ret = soft_ctx_init();

	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/unlock-measure.txt", soft.state);
	ret = soft_write_file(path, desc, strlen(desc));
	if (!ret)
		ret = soft_measure(&soft, desc, path);
	unlink(path);
	return ret;
}
