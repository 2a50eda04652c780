// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: the name of a TPM object (Part 1, 16): nameAlg || H(TPMT_PUBLIC).
 */
#include <errno.h>
#include <stdlib.h>

#include <hrot/alg.h>
#include <hrot/tpm.h>

#include "tpm_buf.h"

int hrot_tpm_name(const struct hrot_tpm_public *pub, uint8_t *name,
		  size_t size)
{
	const struct hrot_alg *alg = hrot_alg_find(pub->name_alg);
	uint8_t *buf;
	int n, ret;

	if (!alg)
		return -EOPNOTSUPP;
	if (size < 2u + alg->digest_size)
		return -ENOSPC;
	buf = malloc(HROT_TPM_MAX_PUBLIC);
	if (!buf)
		return -ENOMEM;
	n = hrot_tpm_public_marshal(pub, buf, HROT_TPM_MAX_PUBLIC);
	ret = n;
	if (n >= 0)
		ret = hrot_digest(pub->name_alg, buf, (size_t)n, name + 2,
				  size - 2);
	free(buf);
	if (ret < 0)
		return ret;
	put_be16(name, pub->name_alg);
	return ret + 2;
}
