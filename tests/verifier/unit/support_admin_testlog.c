// SPDX-License-Identifier: GPL-2.0
/*
 * The independent log writer of the libhrot tests (tests/unit/testlog.c),
 * built into the verifier unit tests: test_admin_import writes reference
 * logs with it, so policy import is checked against a second
 * implementation of the log format, not against libhrot alone.
 */
/* NOLINTNEXTLINE(bugprone-suspicious-include): one writer, two test trees */
#include "../../unit/testlog.c"
