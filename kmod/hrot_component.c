// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: component keys (seed 002, "the HSM refuses operations without a
 * trust token").  A process asks for a key; the kernel hashes the
 * executable that process runs, and asks the TPM for the key only if a
 * verifier token of kind COMPONENT naming that digest is in a keyring,
 * checked and current (hrot_token.c).  The key is an HMAC of the caller's
 * label by a TPM primary key the digest selects (hrot_tpm2_cmd.c): the
 * same executable on the same TPM gets the same key, boot after boot, and
 * nothing is stored; another executable, or this one once its token is
 * revoked or has expired, gets nothing.
 *
 * The identity is the executable's content, hashed now from the file the
 * process was started from (a running executable cannot be written to).
 * A script's executable is its interpreter: components are programs.  It
 * is not more than that: a process with CAP_SYS_ADMIN (which the ioctl
 * needs anyway) can point its mm's executable at another file, and
 * preloaded or injected code runs under the genuine one's name
 * (Documentation/uapi.md, COMPONENT_KEY, says what follows from it).
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <crypto/sha2.h>

#include "hrot.h"

/* The calling process's executable, referenced; NULL when it has none. */
static struct file *hrot_current_exe(void)
{
	struct file *exe = NULL;

	if (!current->mm)
		return NULL;
	rcu_read_lock();
	exe = rcu_dereference(current->mm->exe_file);
	if (exe && !get_file_rcu(exe))
		exe = NULL;
	rcu_read_unlock();
	return exe;
}

/**
 * hrot_component_key() - the caller's component key for @label
 * @dev:       the device
 * @label:     what the key is for, @label_len bytes
 * @label_len: 1..HROT_LABEL_MAX
 * @component: out: SHA-256 of the caller's executable
 * @key:       out: 32 bytes
 *
 * Return: 0; -ENODEV without a TPM; -EACCES without a usable component
 * token naming the executable; -errno.
 */
int hrot_component_key(struct hrot_dev *dev, const u8 *label, u32 label_len,
		       u8 *component, u8 *key)
{
	struct file *exe;
	u64 size;
	int rc;

	if (!dev->chip)
		return -ENODEV;
	exe = hrot_current_exe();
	if (!exe)
		return -ENOEXEC;
	/*
	 * prctl(PR_SET_MM_EXE_FILE) can make it any file, even one opened
	 * without read access: hash only what MEASURE_FD would.
	 */
	if (!S_ISREG(file_inode(exe)->i_mode) || !(exe->f_mode & FMODE_READ))
		rc = -EACCES;
	else
		rc = hrot_hash_file(exe, component, &size);
	fput(exe);
	if (rc)
		return rc;
	if (!hrot_token_valid_for_component(component)) {
		pr_notice("hrot: component key refused: no valid token for %*phN (%s)\n",
			  SHA256_DIGEST_SIZE, component, current->comm);
		return -EACCES;
	}
	rc = tpm_try_get_ops(dev->chip);
	if (rc)
		return rc;
	rc = hrot_tpm2_component_hmac(dev->chip, component, label,
				      (u16)label_len, key);
	tpm_put_ops(dev->chip);
	return rc;
}
