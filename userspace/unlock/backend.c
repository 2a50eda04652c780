// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: the device side is /dev/hrot, nothing else.  (The service
 * tests link another file in its place, into a separate test binary.)
 */
#include "unlock.h"

int unlock_backend_open(struct hrot_attester *a)
{
	return hrot_dev_attester_open(NULL, a);
}

int unlock_measure(const char *desc)
{
	return unlock_measure_dev(NULL, desc);
}
