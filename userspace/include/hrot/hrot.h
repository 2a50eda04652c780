/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot: the whole library.  Link with -lhrot -lcrypto.
 */
#ifndef HROT_HROT_H
#define HROT_HROT_H

#include <hrot/alg.h>
#include <hrot/device.h>
#include <hrot/event.h>
#include <hrot/eventlog.h>
#include <hrot/hex.h>
#include <hrot/replay.h>
#include <hrot/tpm.h>
#include <hrot/tpm_key.h>
#include <hrot/quote.h>
#include <hrot/credential.h>

#endif /* HROT_HROT_H */
