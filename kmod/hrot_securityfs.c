// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: the log in securityfs, like IMA's and the firmware's:
 *   /sys/kernel/security/hrot/binary_measurements  TCG crypto-agile log
 *   /sys/kernel/security/hrot/ascii_measurements   one line per record
 *   /sys/kernel/security/hrot/keyring              serial of ".hrot"
 * seq_file position 0 is the Spec ID event, position n is record n-1; each
 * show() emits a whole record or nothing, so a reader never sees a torn one.
 */
#include <linux/fs.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/string_helpers.h>
#include <asm/unaligned.h>

#include "hrot.h"

#define HROT_HEADER_TOKEN	((void *)1)

static struct dentry *hrot_dir;
static struct dentry *hrot_binary;
static struct dentry *hrot_ascii;
static struct dentry *hrot_keyring_file;

static void *hrot_seq_at(loff_t pos)
{
	if (pos == 0)
		return HROT_HEADER_TOKEN;
	return (void *)hrot_log_get(&hrot.log, pos - 1);
}

static void *hrot_seq_start(struct seq_file *m, loff_t *pos)
{
	return hrot_seq_at(*pos);
}

static void *hrot_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return hrot_seq_at(*pos);
}

static void hrot_seq_stop(struct seq_file *m, void *v)
{
}

static int hrot_binary_show(struct seq_file *m, void *v)
{
	const struct hrot_record *rec = v;

	if (v == HROT_HEADER_TOKEN)
		seq_write(m, hrot.log.header, hrot.log.header_len);
	else
		seq_write(m, rec->data, rec->len);
	return 0;
}

/* The digest of the first bank, as the ASCII view's record digest. */
static void hrot_ascii_bank_digest(struct seq_file *m,
				   const struct hrot_record *rec)
{
	const char *name = hrot_alg_name(hrot.banks[0].alg_id);

	seq_printf(m, "%s:%*phN", name ? name : "unknown",
		   hrot.banks[0].digest_size, &rec->data[12 + 2]);
}

static int hrot_ascii_show(struct seq_file *m, void *v)
{
	const struct hrot_record *rec = v;
	const u8 *ev;
	u32 name_len;
	u16 kind;

	if (v == HROT_HEADER_TOKEN)
		return 0;

	ev = &rec->data[rec->event_off];
	kind = get_unaligned_le16(ev + 6);
	name_len = get_unaligned_le32(ev + 56);

	seq_printf(m, "%u 0x%08x ", hrot.pcr, rec->type);
	hrot_ascii_bank_digest(m, rec);
	seq_printf(m, " %s sha256:%*phN %llu ",
		   kind == HROT_EVENT_FILE ? "file" : "extend",
		   HROT_SHA256_SIZE, ev + 12, get_unaligned_le64(ev + 44));
	/* Non-printables, space and backslash as octal: one line a record. */
	seq_escape_mem(m, ev + HROT_EVENT_HDR_SIZE, name_len,
		       ESCAPE_OCTAL | ESCAPE_NP | ESCAPE_APPEND, " \\");
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations hrot_binary_seqops = {
	.start = hrot_seq_start,
	.next = hrot_seq_next,
	.stop = hrot_seq_stop,
	.show = hrot_binary_show,
};

static const struct seq_operations hrot_ascii_seqops = {
	.start = hrot_seq_start,
	.next = hrot_seq_next,
	.stop = hrot_seq_stop,
	.show = hrot_ascii_show,
};

static int hrot_binary_open(struct inode *inode, struct file *file)
{
	return seq_open(file, &hrot_binary_seqops);
}

static int hrot_ascii_open(struct inode *inode, struct file *file)
{
	return seq_open(file, &hrot_ascii_seqops);
}

static const struct file_operations hrot_binary_fops = {
	.owner = THIS_MODULE,
	.open = hrot_binary_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release,
};

static const struct file_operations hrot_ascii_fops = {
	.owner = THIS_MODULE,
	.open = hrot_ascii_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release,
};

/* The serial of ".hrot" in decimal, one line, so userspace can find it. */
static ssize_t hrot_keyring_read(struct file *file, char __user *buf,
				 size_t count, loff_t *ppos)
{
	char line[16];
	int len;

	len = scnprintf(line, sizeof(line), "%d\n", hrot_keyring_serial());
	return simple_read_from_buffer(buf, count, ppos, line, len);
}

static const struct file_operations hrot_keyring_fops = {
	.owner = THIS_MODULE,
	.read = hrot_keyring_read,
	.llseek = generic_file_llseek,
};

int hrot_securityfs_init(void)
{
	int ret;

	hrot_dir = securityfs_create_dir(HROT_SECURITYFS_DIR, NULL);
	if (IS_ERR(hrot_dir))
		return PTR_ERR(hrot_dir);

	hrot_binary = securityfs_create_file("binary_measurements", 0440,
					     hrot_dir, NULL, &hrot_binary_fops);
	if (IS_ERR(hrot_binary)) {
		ret = PTR_ERR(hrot_binary);
		goto err_dir;
	}
	hrot_ascii = securityfs_create_file("ascii_measurements", 0440,
					    hrot_dir, NULL, &hrot_ascii_fops);
	if (IS_ERR(hrot_ascii)) {
		ret = PTR_ERR(hrot_ascii);
		goto err_binary;
	}
	hrot_keyring_file = securityfs_create_file("keyring", 0444, hrot_dir,
						   NULL, &hrot_keyring_fops);
	if (IS_ERR(hrot_keyring_file)) {
		ret = PTR_ERR(hrot_keyring_file);
		goto err_ascii;
	}
	return 0;

err_ascii:
	securityfs_remove(hrot_ascii);
err_binary:
	securityfs_remove(hrot_binary);
err_dir:
	securityfs_remove(hrot_dir);
	return ret;
}

void hrot_securityfs_exit(void)
{
	securityfs_remove(hrot_keyring_file);
	securityfs_remove(hrot_ascii);
	securityfs_remove(hrot_binary);
	securityfs_remove(hrot_dir);
}
