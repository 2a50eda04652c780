// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: the kernel command line, measured at load as the log's first record.
 *
 * What the initramfs does with an unlocked root depends on the command line
 * ("rd.break" or "init=/bin/sh" end in a root shell on it), and on a machine
 * without measured boot nothing before hrot records it.  Measured here, at
 * load, it cannot be skipped: whoever wants /dev/hrot loads the module, and
 * the verifier's policy then sees a changed command line as an unknown
 * digest, like any other unexpected record (Documentation/threat-model.md).
 *
 * The command line is read from a procfs instance of the module's own, not
 * from whatever "/proc/cmdline" names in the loading process: a process
 * with a root shell could mount another file over that path before it
 * loads the module.  The modules cannot reach saved_command_line.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <crypto/sha2.h>

#include "hrot.h"

/* COMMAND_LINE_SIZE is 2048 on x86; room for any architecture's. */
#define HROT_CMDLINE_MAX	4096

static const char hrot_cmdline_name[] = "kernel command line";

/* The command line from a private procfs mount: its length or -errno. */
static ssize_t hrot_cmdline_read(char *buf, size_t size)
{
	struct file_system_type *proc;
	struct vfsmount *mnt;
	struct file *file;
	loff_t pos = 0;
	ssize_t len;

	/* procfs is built in: its type holds no module reference to drop */
	proc = get_fs_type("proc");
	if (!proc)
		return -ENOENT;
	mnt = kern_mount(proc);
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	file = file_open_root_mnt(mnt, "cmdline", O_RDONLY, 0);
	if (IS_ERR(file)) {
		len = PTR_ERR(file);
		goto out_mnt;
	}
	len = kernel_read(file, buf, size, &pos);
	fput(file);
	if (len >= (ssize_t)size)
		len = -E2BIG;
out_mnt:
	kern_unmount(mnt);
	return len;
}

/**
 * hrot_measure_cmdline() - log and extend SHA-256 of the kernel command line
 * @dev: the device, before anyone else can extend
 *
 * The digest covers the command line as the kernel holds it, without the
 * newline /proc/cmdline ends it with: `printf %s "$(cat /proc/cmdline)" |
 * sha256sum` gives the same.
 *
 * Return: 0 or -errno.
 */
int hrot_measure_cmdline(struct hrot_dev *dev)
{
	u8 digest[SHA256_DIGEST_SIZE];
	ssize_t len;
	u64 index;
	char *buf;
	int ret;

	buf = hrot_kzalloc(HROT_CMDLINE_MAX);
	if (!buf)
		return -ENOMEM;
	len = hrot_cmdline_read(buf, HROT_CMDLINE_MAX);
	if (len < 0) {
		ret = len;
		pr_err("hrot: cannot read the kernel command line: %zd\n", len);
		goto out;
	}
	if (len && buf[len - 1] == '\n')
		len--;
	ret = hrot_sha256(buf, len, digest);
	if (!ret)
		ret = hrot_measure_extend(dev, HROT_EV_IPL, digest,
					  hrot_cmdline_name,
					  sizeof(hrot_cmdline_name) - 1,
					  &index);
out:
	hrot_kfree(buf);
	return ret;
}
