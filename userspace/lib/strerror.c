// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot: error messages that say what an errno means for /dev/hrot
 * (Documentation/uapi.md, "Errors").
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <hrot/device.h>
#include "array.h"

/* What an errno means for one operation, where strerror() does not say. */
static const struct {
	enum hrot_op op;
	int err;
	const char *hint;
} op_hints[] = {
	{ HROT_OP_OPEN, ENOENT, "is the hrot module loaded?" },
	{ HROT_OP_OPEN, ENXIO, "is the hrot module loaded?" },
	{ HROT_OP_OPEN, ENODEV, "is the hrot module loaded?" },
	{ HROT_OP_OPEN, EACCES, "/dev/hrot is for root" },
	{ HROT_OP_EXTEND, EINVAL,
	  "description must be 1..4096 bytes and the type not EV_NO_ACTION" },
	{ HROT_OP_EXTEND, EPERM, "EXTEND needs CAP_SYS_ADMIN" },
	{ HROT_OP_MEASURE, EINVAL, "not a regular file" },
	{ HROT_OP_MEASURE, EPERM, "MEASURE_FD needs CAP_SYS_ADMIN" },
	{ HROT_OP_MEASURE, EBADF, "the file is not open for reading" },
	{ HROT_OP_READ_LOG, ENOENT,
	  "is the hrot module loaded and securityfs mounted?" },
	{ HROT_OP_READ_LOG, EACCES, "the log is for root" },
	{ HROT_OP_IDENTITY, ENODEV, "no TPM 2.0 chip is bound" },
	{ HROT_OP_QUOTE, ENODEV, "no TPM 2.0 chip is bound" },
	{ HROT_OP_ACTIVATE, ENODEV, "no TPM 2.0 chip is bound" },
	{ HROT_OP_IDENTITY, ENOSPC, "the module's answer keeps growing" },
	{ HROT_OP_QUOTE, ENOSPC, "the module's answer keeps growing" },
	{ HROT_OP_ACTIVATE, ENOSPC, "the recovered secret is too long" },
	{ HROT_OP_ACTIVATE, EPERM, "ACTIVATE_CREDENTIAL needs CAP_SYS_ADMIN" },
	{ HROT_OP_QUOTE, EINVAL, "bad PCR selection or qualifying data" },
	{ HROT_OP_ACTIVATE, EINVAL,
	  "malformed credential or secret, or not for this TPM's EK and AK" },
};

/* What an errno means whatever the operation. */
static const struct {
	int err;
	const char *hint;
} any_hints[] = {
	{ ENOTTY, "not an hrot device, or a module without this command" },
	{ E2BIG, "the module is older than libhrot and refuses its request" },
	{ EPROTO, "the module's answer is inconsistent" },
	{ ENOSPC, "the hrot event log is full (module parameter log_max_bytes)" },
	{ EIO, "the module or the TPM failed; see the kernel log" },
};

static const char *find_hint(enum hrot_op op, int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(op_hints); i++)
		if (op_hints[i].op == op && op_hints[i].err == err)
			return op_hints[i].hint;
	for (i = 0; i < ARRAY_SIZE(any_hints); i++)
		if (any_hints[i].err == err)
			return any_hints[i].hint;
	return NULL;
}

const char *hrot_strerror(enum hrot_op op, int err, char *buf, size_t size)
{
	int e = err < 0 ? -err : err;
	const char *hint, *msg;
	char sys[128];

	hint = find_hint(op, e);
	/* The GNU strerror_r: thread-safe, returns the string to use. */
	msg = strerror_r(e, sys, sizeof(sys));

	if (hint)
		snprintf(buf, size, "%s (%s)", msg, hint);
	else
		snprintf(buf, size, "%s", msg);
	return buf;
}
