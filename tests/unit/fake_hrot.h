/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test support: a stand-in for hrot.ko, linked into a program with
 * -Wl,--wrap=ioctl.  hrot ioctls (type HROT_IOC_MAGIC) on any fd are
 * answered as the module would, with its checks on the structure header;
 * every other ioctl goes to the real one.  Driven by the environment, so
 * that it works the same in a test process and in hrotctl-fake:
 *
 *   HROT_FAKE_ERRNO=N    every hrot ioctl fails with errno N
 *   HROT_FAKE_LOG=PATH   EXTEND and MEASURE_FD append their record to the
 *                        crypto-agile log at PATH (created with its Spec ID
 *                        event), and the index is its position there
 *   HROT_FAKE_BANKS=N    INFO reports N banks (to test libhrot's checks)
 *   HROT_FAKE_FP_COUNT=N FINGERPRINT reports N components
 *   HROT_FAKE_FP_BAD=1   FINGERPRINT's overall digest is wrong
 *
 * The banks are testlog's tl_banks, the PCR is FAKE_PCR.
 */
#ifndef HROT_FAKE_H
#define HROT_FAKE_H

#define FAKE_PCR	13
#define FAKE_LOG_MAX	(8u << 20)

/* The last hrot ioctl's structure size and version, for header checks. */
extern unsigned int fake_last_size;
extern unsigned int fake_last_version;

#endif /* HROT_FAKE_H */
