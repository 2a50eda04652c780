// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: hardware-rooted attestation device.
 *
 * This file holds the module's parameters, its life cycle and /dev/hrot:
 * the ioctls copy their extensible structures in and out and call into the
 * measuring, fingerprint and TPM code.  See Documentation/uapi.md.
 */
#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hrot.h"

/*
 * PCR 13: not used by firmware (0-7), GRUB and the EFI stub (8, 9), IMA (10),
 * systemd-stub (11, 12) in a Debian boot without a unified kernel image,
 * shim (14) or systemd's own measurements (15), and not resettable from
 * locality 0 as 16 and 23 are.  See Documentation/architecture.md.
 */
static unsigned int pcr = 13;
module_param(pcr, uint, 0444);
MODULE_PARM_DESC(pcr, "PCR every measurement is mirrored into (default 13)");

static unsigned long log_max_bytes = 8UL << 20;
module_param(log_max_bytes, ulong, 0444);
MODULE_PARM_DESC(log_max_bytes,
		 "Cap on the binary event log in bytes (default 8 MiB)");

struct hrot_dev hrot;

static atomic_long_t hrot_allocs = ATOMIC_LONG_INIT(0);

void hrot_count_alloc(void)
{
	atomic_long_inc(&hrot_allocs);
}

void hrot_count_free(void)
{
	atomic_long_dec(&hrot_allocs);
}

long hrot_allocs_outstanding(void)
{
	return atomic_long_read(&hrot_allocs);
}

void *hrot_kzalloc(size_t size)
{
	void *p = kzalloc(size, GFP_KERNEL);

	if (p)
		hrot_count_alloc();
	return p;
}

void *hrot_kvmalloc(size_t size)
{
	void *p = kvmalloc(size, GFP_KERNEL);

	if (p)
		hrot_count_alloc();
	return p;
}

void hrot_kfree(const void *p)
{
	if (p)
		hrot_count_free();
	kfree(p);
}

void hrot_kvfree(const void *p)
{
	if (p)
		hrot_count_free();
	kvfree(p);
}

/*
 * Copy in an extensible ioctl structure: the caller's size and version come
 * first; bytes the module does not know must be zero.  @usize gets the
 * caller's size, to copy back no more than it has room for.
 */
static int hrot_copy_in(void *kstruct, size_t ksize, const void __user *uarg,
			u32 *usize)
{
	u32 hdr[2];

	if (copy_from_user(hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	/* Every structure is at version 1: nothing smaller exists. */
	if (hdr[0] < ksize)
		return -EINVAL;
	if (hdr[1] != HROT_STRUCT_VERSION)
		return -EINVAL;
	if (hdr[0] > PAGE_SIZE)
		return -E2BIG;
	*usize = hdr[0];
	return copy_struct_from_user(kstruct, ksize, uarg, hdr[0]);
}

static int hrot_copy_out(void __user *uarg, const void *kstruct, size_t ksize,
			 u32 usize)
{
	if (copy_to_user(uarg, kstruct, min_t(size_t, ksize, usize)))
		return -EFAULT;
	return 0;
}

/*
 * Write the caller's structure back unchanged before a measurement, so a
 * structure the kernel can read but not write fails with -EFAULT before the
 * log and the PCR move rather than after.
 */
static int hrot_check_writable(void __user *uarg, const void *kstruct,
			       size_t ksize, u32 usize)
{
	return hrot_copy_out(uarg, kstruct, ksize, usize);
}

static long hrot_ioctl_info(void __user *uarg)
{
	struct hrot_info info;
	u32 usize;
	int i, ret;

	ret = hrot_copy_in(&info, sizeof(info), uarg, &usize);
	if (ret)
		return ret;

	info.abi_version = HROT_ABI_VERSION;
	info.flags = hrot_tpm_present(&hrot) ? HROT_INFO_TPM_PRESENT : 0;
	info.pcr_index = hrot.pcr;
	info.hash_alg = HROT_ALG_SHA256;
	info.nr_banks = hrot.nr_banks;
	for (i = 0; i < hrot.nr_banks; i++)
		info.banks[i] = hrot.banks[i].alg_id;
	mutex_lock(&hrot.lock);
	info.log_entries = hrot.log.nr;
	info.log_bytes = hrot.log.bytes;
	mutex_unlock(&hrot.lock);
	info.log_max_bytes = hrot.log.max_bytes;
	return hrot_copy_out(uarg, &info, sizeof(info), usize);
}

/*
 * EV_NO_ACTION is skipped by replay, and the EFI event types (0x80000000
 * and up) are parsed as UEFI structures by tpm2_eventlog, so a record of
 * either kind would hide from replay or make the log unreadable to the
 * standard tools.
 */
static bool hrot_event_type_allowed(u32 type)
{
	return type != HROT_EV_NO_ACTION && type < HROT_EV_EFI_BASE;
}

static long hrot_ioctl_extend(void __user *uarg)
{
	struct hrot_extend ext;
	char *desc;
	u32 usize;
	int ret;

	ret = hrot_copy_in(&ext, sizeof(ext), uarg, &usize);
	if (ret)
		return ret;
	if (ext.flags || ext.reserved || !hrot_event_type_allowed(ext.event_type))
		return -EINVAL;
	if (ext.desc_len == 0 || ext.desc_len > HROT_NAME_MAX)
		return -EINVAL;

	ret = hrot_check_writable(uarg, &ext, sizeof(ext), usize);
	if (ret)
		return ret;
	desc = hrot_kzalloc(ext.desc_len);
	if (!desc)
		return -ENOMEM;
	if (copy_from_user(desc, u64_to_user_ptr(ext.desc_ptr), ext.desc_len)) {
		ret = -EFAULT;
		goto out;
	}
	ret = hrot_measure_extend(&hrot, ext.event_type, ext.digest, desc,
				  ext.desc_len, &ext.index);
	if (!ret)
		ret = hrot_copy_out(uarg, &ext, sizeof(ext), usize);
out:
	hrot_kfree(desc);
	return ret;
}

static long hrot_ioctl_measure_fd(void __user *uarg)
{
	struct hrot_measure_fd mfd;
	struct fd f;
	u32 usize;
	int ret;

	ret = hrot_copy_in(&mfd, sizeof(mfd), uarg, &usize);
	if (ret)
		return ret;
	if (mfd.flags)
		return -EINVAL;
	ret = hrot_check_writable(uarg, &mfd, sizeof(mfd), usize);
	if (ret)
		return ret;

	f = fdget(mfd.fd);
	if (!f.file)
		return -EBADF;
	if (!(f.file->f_mode & FMODE_READ)) {
		ret = -EBADF;
		goto out;
	}
	if (!S_ISREG(file_inode(f.file)->i_mode)) {
		ret = -EINVAL;
		goto out;
	}
	ret = hrot_measure_file(&hrot, f.file, mfd.digest, &mfd.file_size,
				&mfd.index);
	if (!ret)
		ret = hrot_copy_out(uarg, &mfd, sizeof(mfd), usize);
out:
	fdput(f);
	return ret;
}

static long hrot_ioctl_fingerprint(void __user *uarg)
{
	struct hrot_fingerprint *fp;
	u32 usize;
	int ret;

	fp = hrot_kzalloc(sizeof(*fp));
	if (!fp)
		return -ENOMEM;
	ret = hrot_copy_in(fp, sizeof(*fp), uarg, &usize);
	if (ret)
		goto out;
	/* Output only: what the caller passed beyond the header is ignored. */
	memset(fp, 0, sizeof(*fp));
	fp->size = usize;
	fp->version = HROT_STRUCT_VERSION;
	ret = hrot_fingerprint(&hrot, fp);
	if (!ret)
		ret = hrot_copy_out(uarg, fp, sizeof(*fp), usize);
out:
	hrot_kfree(fp);
	return ret;
}

/*
 * Commands are told apart by number alone: the structure's size lives in
 * the structure, so a grown structure does not make a new command.
 */
static long hrot_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if (_IOC_TYPE(cmd) != HROT_IOC_MAGIC)
		return -ENOTTY;

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(HROT_IOC_INFO):
		return hrot_ioctl_info(uarg);
	case _IOC_NR(HROT_IOC_EXTEND):
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		return hrot_ioctl_extend(uarg);
	case _IOC_NR(HROT_IOC_MEASURE_FD):
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		return hrot_ioctl_measure_fd(uarg);
	case _IOC_NR(HROT_IOC_FINGERPRINT):
		return hrot_ioctl_fingerprint(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations hrot_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = hrot_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice hrot_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = HROT_DEVICE_NAME,
	.fops = &hrot_fops,
	.mode = 0600,
};

static int __init hrot_init(void)
{
	int ret;

	if (pcr >= TPM2_PLATFORM_PCR) {
		pr_err("hrot: pcr=%u is not a PCR (0..%d)\n", pcr,
		       TPM2_PLATFORM_PCR - 1);
		return -EINVAL;
	}
	mutex_init(&hrot.lock);
	hrot.pcr = pcr;

	ret = hrot_tpm_init(&hrot);
	if (ret)
		return ret;
	ret = hrot_hash_init(&hrot);
	if (ret)
		goto err_tpm;
	ret = hrot_log_init(&hrot.log, &hrot, log_max_bytes);
	if (ret)
		goto err_hash;
	ret = hrot_securityfs_init();
	if (ret)
		goto err_log;
	ret = misc_register(&hrot_misc);
	if (ret)
		goto err_securityfs;

	pr_info("hrot: ready, PCR %u, %u bank(s), %s\n", hrot.pcr,
		hrot.nr_banks, hrot.chip ? "TPM 2.0" : "no TPM");
	return 0;

err_securityfs:
	hrot_securityfs_exit();
err_log:
	hrot_log_exit(&hrot.log);
err_hash:
	hrot_hash_exit(&hrot);
err_tpm:
	hrot_tpm_exit(&hrot);
	return ret;
}

static void __exit hrot_exit(void)
{
	misc_deregister(&hrot_misc);
	hrot_securityfs_exit();
	hrot_log_exit(&hrot.log);
	hrot_hash_exit(&hrot);
	hrot_tpm_exit(&hrot);
	pr_info("hrot: unloaded, %ld allocations outstanding\n",
		hrot_allocs_outstanding());
}

module_init(hrot_init);
module_exit(hrot_exit);

MODULE_DESCRIPTION("hrot: hardware-rooted attestation and measurement device");
MODULE_AUTHOR("The hrot authors");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1.0");
MODULE_SOFTDEP("pre: sha256_ssse3 sha512_ssse3 sha512_generic");
