/* SPDX-License-Identifier: GPL-2.0 */
/* support_admin_testlog.c: tests/unit/testlog.h, for the verifier tests. */
#include "../../unit/testlog.h"
