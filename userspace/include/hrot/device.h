/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot: /dev/hrot.
 *
 * Thin wrappers over the ioctls of <linux/hrot.h> that fill in the size and
 * version of each structure and check what the module answers.  Every
 * function returns 0 (or an fd) on success and a negative errno on failure;
 * hrot_strerror() turns that into a message that says what it means here.
 * The device is a plain fd, so callers may poll, dup or pass it around.
 */
#ifndef HROT_DEVICE_H
#define HROT_DEVICE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/hrot.h>

#define HROT_DEV_PATH	"/dev/" HROT_DEVICE_NAME

/* What was being done when an error happened, for hrot_strerror(). */
enum hrot_op {
	HROT_OP_OPEN,
	HROT_OP_INFO,
	HROT_OP_EXTEND,
	HROT_OP_MEASURE,
	HROT_OP_FINGERPRINT,
	HROT_OP_READ_LOG,	/* reading HROT_LOG_PATH */
	HROT_OP_IDENTITY,
	HROT_OP_QUOTE,
	HROT_OP_ACTIVATE,
};

/**
 * hrot_dev_open() - open the device
 * @path: NULL for HROT_DEV_PATH
 *
 * Return: an fd (close-on-exec) or -errno.
 */
int hrot_dev_open(const char *path);

void hrot_dev_close(int fd);

/**
 * hrot_dev_info() - HROT_IOC_INFO
 * @fd:   the device
 * @info: filled in
 *
 * Return: 0, -EPROTO when the module reports more banks than the structure
 * holds, or the ioctl's -errno.
 */
int hrot_dev_info(int fd, struct hrot_info *info);

/**
 * hrot_dev_extend() - HROT_IOC_EXTEND: log a digest the caller computed
 * @fd:         the device
 * @event_type: TCG event type (HROT_EV_EVENT_TAG is the usual one)
 * @digest:     SHA-256 of what is measured
 * @desc:       description, @desc_len bytes (1..HROT_NAME_MAX), no NUL
 * @desc_len:   its length; the module checks it
 * @index:      if not NULL, the new record's position in the log
 *
 * Return: 0 or the ioctl's -errno (see Documentation/uapi.md).
 */
int hrot_dev_extend(int fd, uint32_t event_type,
		    const uint8_t digest[HROT_SHA256_SIZE], const void *desc,
		    size_t desc_len, uint64_t *index);

/**
 * hrot_dev_measure_fd() - HROT_IOC_MEASURE_FD: the kernel hashes a file
 * @fd:        the device
 * @file_fd:   a regular file open for reading
 * @digest:    if not NULL, receives the SHA-256 of the file
 * @file_size: if not NULL, receives the bytes hashed
 * @index:     if not NULL, receives the record's position in the log
 *
 * Return: 0 or the ioctl's -errno.
 */
int hrot_dev_measure_fd(int fd, int file_fd, uint8_t digest[HROT_SHA256_SIZE],
			uint64_t *file_size, uint64_t *index);

/**
 * hrot_dev_measure_path() - open @path read-only and hrot_dev_measure_fd() it
 * @fd:        the device
 * @path:      the file
 * @digest:    as hrot_dev_measure_fd()
 * @file_size: as hrot_dev_measure_fd()
 * @index:     as hrot_dev_measure_fd()
 *
 * Something other than a regular file is refused before the ioctl
 * (-EISDIR, -EINVAL), so a FIFO cannot block the caller.
 *
 * Return: 0, -errno of open(), or as hrot_dev_measure_fd().
 */
int hrot_dev_measure_path(int fd, const char *path,
			  uint8_t digest[HROT_SHA256_SIZE], uint64_t *file_size,
			  uint64_t *index);

/**
 * hrot_dev_fingerprint() - HROT_IOC_FINGERPRINT
 * @fd: the device
 * @fp: filled in; every component's value is NUL-terminated
 *
 * Return: 0, -EPROTO when the module reports more components than the
 * structure holds, or the ioctl's -errno.
 */
int hrot_dev_fingerprint(int fd, struct hrot_fingerprint *fp);

/**
 * hrot_fingerprint_digest() - recompute a fingerprint's overall digest
 * @fp:  as returned by hrot_dev_fingerprint()
 * @out: SHA-256 over (le32 id || le32 flags || digest) of each component,
 *       which must equal @fp->digest
 *
 * Return: 0, -EINVAL when nr_components is out of range, -EIO.
 */
int hrot_fingerprint_digest(const struct hrot_fingerprint *fp,
			    uint8_t out[HROT_SHA256_SIZE]);

/* "sys_vendor", "tpm_ek", ... for enum hrot_fp_component_id; NULL if unknown. */
const char *hrot_fp_component_name(uint32_t id);

/**
 * struct hrot_identity_info - HROT_IOC_IDENTITY, with buffers of the right
 * size (to release with hrot_identity_info_free())
 * @flags, @ek_template, @ek_cert_index: as struct hrot_identity
 * @ak_name: the AK's name, @ak_name_len bytes
 * @ek_public, @ak_public: TPMT_PUBLIC, no size prefix
 * @ek_cert: DER, @ek_cert_len 0 when none
 * @ak_spki: SubjectPublicKeyInfo DER
 */
struct hrot_identity_info {
	uint32_t flags;
	uint32_t ek_template;
	uint32_t ek_cert_index;
	size_t ak_name_len;
	uint8_t ak_name[HROT_NAME_SIZE];
	uint8_t *ek_public, *ek_cert, *ak_public, *ak_spki;
	size_t ek_public_len, ek_cert_len, ak_public_len, ak_spki_len;
};

/*
 * hrot_dev_identity() - HROT_IOC_IDENTITY, growing the buffers as the
 * module asks.  Return: 0, -EPROTO for an inconsistent answer, -ENOMEM, or
 * the ioctl's -errno.
 */
int hrot_dev_identity(int fd, struct hrot_identity_info *out);
void hrot_identity_info_free(struct hrot_identity_info *id);

/* HROT_IOC_QUOTE's output, to release with hrot_quote_out_free(). */
struct hrot_quote_out {
	uint8_t *attest, *sig, *pcrs;
	size_t attest_len, sig_len, pcrs_len;
};

/*
 * hrot_dev_quote() - HROT_IOC_QUOTE of @pcr_mask in the SHA-256 bank with
 * @nonce (at most HROT_QUALIFYING_MAX bytes) as qualifying data.
 * Return: 0, -EINVAL, -ENOMEM, or the ioctl's -errno.
 */
int hrot_dev_quote(int fd, uint32_t pcr_mask, const void *nonce,
		   size_t nonce_len, struct hrot_quote_out *out);
void hrot_quote_out_free(struct hrot_quote_out *q);

/*
 * hrot_dev_activate() - HROT_IOC_ACTIVATE_CREDENTIAL: @cred is a
 * TPM2B_ID_OBJECT and @secret a TPM2B_ENCRYPTED_SECRET, both with their
 * size prefix; the recovered secret goes to @out (room @size, 64 is
 * enough), its length to @out_len.
 * Return: 0, -EINVAL, or the ioctl's -errno.
 */
int hrot_dev_activate(int fd, const void *cred, size_t cred_len,
		      const void *secret, size_t secret_len, uint8_t *out,
		      size_t size, size_t *out_len);

/**
 * hrot_strerror() - what an error of the library means
 * @op:   what was being done
 * @err:  the negative errno it returned
 * @buf:  receives the message
 * @size: room in @buf
 *
 * The message is strerror()'s, followed by what it means for hrot where
 * that is not obvious: "Operation not permitted (EXTEND needs
 * CAP_SYS_ADMIN)".  Callers put the object in front of it.
 *
 * Return: @buf.
 */
const char *hrot_strerror(enum hrot_op op, int err, char *buf, size_t size);

#endif /* HROT_DEVICE_H */
