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

#endif /* HROT_HROT_H */
