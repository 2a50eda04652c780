// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: hardware-rooted attestation device.
 *
 * This file holds the module's parameters, its life cycle and /dev/hrot:
 * the ioctls copy their extensible structures in and out and call into the
 * measuring, fingerprint and TPM code.  See Documentation/uapi.md.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <crypto/sha2.h>

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
	if (hrot_token_valid())
		info.flags |= HROT_INFO_TOKEN_VALID;
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
 * Copy variable-length output to a caller's struct hrot_buf.  A buffer too
 * small is not an error yet: its len says what is needed and @short is set,
 * so every short buffer is reported in one -ENOSPC.
 */
static int hrot_buf_out(struct hrot_buf *b, const void *data, u32 len,
			bool *short_buf)
{
	if (b->reserved)
		return -EINVAL;
	if (b->len < len) {
		b->len = len;
		*short_buf = true;
		return 0;
	}
	b->len = len;
	if (len && copy_to_user(u64_to_user_ptr(b->ptr), data, len))
		return -EFAULT;
	return 0;
}

/* Copy in a variable-length input of at most @max bytes. */
static void *hrot_buf_in(const struct hrot_buf *b, u32 max)
{
	void *p;

	if (b->reserved || b->len == 0 || b->len > max)
		return ERR_PTR(-EINVAL);
	p = hrot_kzalloc(b->len);
	if (!p)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(p, u64_to_user_ptr(b->ptr), b->len)) {
		hrot_kfree(p);
		return ERR_PTR(-EFAULT);
	}
	return p;
}

/* The struct back to the caller, and -ENOSPC if a buffer was short. */
static int hrot_finish_out(void __user *uarg, const void *k, size_t ksize,
			   u32 usize, bool short_buf)
{
	int ret = hrot_copy_out(uarg, k, ksize, usize);

	return ret ? ret : (short_buf ? -ENOSPC : 0);
}

static long hrot_ioctl_identity(void __user *uarg)
{
	const struct hrot_ident *id;
	struct hrot_identity ident;
	bool short_buf = false;
	u32 usize;
	int ret;

	ret = hrot_copy_in(&ident, sizeof(ident), uarg, &usize);
	if (ret)
		return ret;

	mutex_lock(&hrot.lock);
	ret = hrot_identity_get(&hrot, &id);
	if (ret)
		goto unlock;
	ident.flags = id->ek_cert ? HROT_ID_EK_CERT : 0;
	ident.ek_template = id->ek_template;
	ident.ek_cert_index = id->ek_cert_index;
	ident.ak_name_len = sizeof(id->ak_name);
	memcpy(ident.ak_name, id->ak_name, sizeof(id->ak_name));
	memset(ident.pad, 0, sizeof(ident.pad));
	ret = hrot_buf_out(&ident.ek_public, id->ek_pub, id->ek_pub_len,
			   &short_buf);
	if (!ret)
		ret = hrot_buf_out(&ident.ek_cert, id->ek_cert,
				   id->ek_cert_len, &short_buf);
	if (!ret)
		ret = hrot_buf_out(&ident.ak_public, id->ak_pub,
				   id->ak_pub_len, &short_buf);
	if (!ret)
		ret = hrot_buf_out(&ident.ak_spki, id->ak_spki,
				   sizeof(id->ak_spki), &short_buf);
unlock:
	mutex_unlock(&hrot.lock);
	if (ret)
		return ret;
	return hrot_finish_out(uarg, &ident, sizeof(ident), usize, short_buf);
}

/* Quote buffers: TPMS_ATTEST and TPMT_SIGNATURE each fit in a response. */
struct hrot_quote_out {
	u8 attest[PAGE_SIZE];
	u8 sig[PAGE_SIZE];
	u8 pcrs[HROT_PCR_COUNT * SHA256_DIGEST_SIZE];
};

static int hrot_quote_check(const struct hrot_quote *q)
{
	if (q->qualifying_len > HROT_QUALIFYING_MAX)
		return -E2BIG;
	if (q->bank != HROT_ALG_SHA256 || !q->pcr_mask ||
	    q->pcr_mask >= BIT(HROT_PCR_COUNT))
		return -EINVAL;
	if (q->attest.reserved || q->signature.reserved || q->pcrs.reserved)
		return -EINVAL;
	return 0;
}

static long hrot_ioctl_quote(void __user *uarg)
{
	struct hrot_quote_out *out;
	struct hrot_quote q;
	bool short_buf = false;
	u16 attest_len, sig_len;
	u32 usize;
	int ret;

	ret = hrot_copy_in(&q, sizeof(q), uarg, &usize);
	if (ret)
		return ret;
	ret = hrot_quote_check(&q);
	if (ret)
		return ret;

	out = hrot_kvmalloc(sizeof(*out));
	if (!out)
		return -ENOMEM;
	ret = hrot_quote(&hrot, q.qualifying, q.qualifying_len, q.pcr_mask,
			 out->attest, &attest_len, out->sig, &sig_len,
			 out->pcrs);
	if (!ret)
		ret = hrot_buf_out(&q.attest, out->attest, attest_len,
				   &short_buf);
	if (!ret)
		ret = hrot_buf_out(&q.signature, out->sig, sig_len, &short_buf);
	if (!ret)
		ret = hrot_buf_out(&q.pcrs, out->pcrs, SHA256_DIGEST_SIZE *
				   hweight32(q.pcr_mask), &short_buf);
	if (!ret)
		ret = hrot_finish_out(uarg, &q, sizeof(q), usize, short_buf);
	hrot_kvfree(out);
	return ret;
}

/* Largest credential blob and encrypted secret accepted (RSA-4096 EK). */
#define HROT_CRED_BLOB_MAX	512
#define HROT_CRED_SECRET_MAX	(2 + 512)

static long hrot_ioctl_activate(void __user *uarg)
{
	u8 cred[HROT_QUALIFYING_MAX];
	struct hrot_activate act;
	bool short_buf = false;
	u8 *blob, *secret;
	u16 cred_len;
	u32 usize;
	int ret;

	ret = hrot_copy_in(&act, sizeof(act), uarg, &usize);
	if (ret)
		return ret;
	if (act.cert_info.reserved)
		return -EINVAL;
	blob = hrot_buf_in(&act.credential, HROT_CRED_BLOB_MAX);
	if (IS_ERR(blob))
		return PTR_ERR(blob);
	secret = hrot_buf_in(&act.secret, HROT_CRED_SECRET_MAX);
	if (IS_ERR(secret)) {
		ret = PTR_ERR(secret);
		goto out_blob;
	}
	ret = hrot_activate(&hrot, blob, act.credential.len, secret,
			    act.secret.len, cred, &cred_len);
	if (!ret)
		ret = hrot_buf_out(&act.cert_info, cred, cred_len, &short_buf);
	if (!ret)
		ret = hrot_finish_out(uarg, &act, sizeof(act), usize, short_buf);
	memzero_explicit(cred, sizeof(cred));
	hrot_kfree(secret);
out_blob:
	hrot_kfree(blob);
	return ret;
}

static long hrot_ioctl_component_key(void __user *uarg)
{
	struct hrot_component_key ck;
	u32 usize;
	int ret;

	ret = hrot_copy_in(&ck, sizeof(ck), uarg, &usize);
	if (ret)
		return ret;
	if (ck.flags || !ck.label_len || ck.label_len > HROT_LABEL_MAX)
		return -EINVAL;
	ret = hrot_component_key(&hrot, ck.label, ck.label_len, ck.component,
				 ck.key);
	if (!ret)
		ret = hrot_copy_out(uarg, &ck, sizeof(ck), usize);
	memzero_explicit(ck.key, sizeof(ck.key));
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
	case _IOC_NR(HROT_IOC_IDENTITY):
		return hrot_ioctl_identity(uarg);
	case _IOC_NR(HROT_IOC_QUOTE):
		return hrot_ioctl_quote(uarg);
	case _IOC_NR(HROT_IOC_ACTIVATE_CREDENTIAL):
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		return hrot_ioctl_activate(uarg);
	case _IOC_NR(HROT_IOC_COMPONENT_KEY):
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		return hrot_ioctl_component_key(uarg);
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
	ret = hrot_netlink_init();
	if (ret)
		goto err_log;
	ret = hrot_keyring_init();
	if (ret)
		goto err_netlink;
	ret = hrot_token_init();
	if (ret)
		goto err_keyring;
	ret = hrot_securityfs_init();
	if (ret)
		goto err_token;
	/*
	 * Last before the device exists, so that nobody can extend before it
	 * and no later init step can fail after the PCR moved.  No parameter
	 * turns it off: modprobe applies "hrot.x=y" from the very command
	 * line it would hide.
	 */
	ret = hrot_measure_cmdline(&hrot);
	if (ret)
		goto err_securityfs;
	ret = misc_register(&hrot_misc);
	if (ret)
		goto err_securityfs;

	pr_info("hrot: ready, PCR %u, %u bank(s), %s\n", hrot.pcr,
		hrot.nr_banks, hrot.chip ? "TPM 2.0" : "no TPM");
	return 0;

err_securityfs:
	hrot_securityfs_exit();
err_token:
	hrot_token_exit();
	/* a token added meanwhile may have read the identity */
	hrot_identity_exit(&hrot);
err_keyring:
	hrot_keyring_exit();
err_netlink:
	hrot_netlink_exit();
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
	hrot_token_exit();
	hrot_keyring_exit();
	hrot_identity_exit(&hrot);
	hrot_netlink_exit();
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
