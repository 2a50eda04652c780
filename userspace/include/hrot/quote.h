/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot: verifying a TPM2_Quote, and the PCR file of tpm2_quote -o.
 *
 * hrot_quote_verify() is a pure function of byte buffers and a key.  It
 * checks, in this order, and reports the first failure as its own status
 * with a message: the structures parse, the signature is the AK's over the
 * attest bytes, magic is TPM_GENERATED_VALUE, type is TPM_ST_ATTEST_QUOTE,
 * extraData is the expected qualifying data, the quoted PCR selection is
 * the expected one, and pcrDigest is the hash of the given PCR values.
 */
#ifndef HROT_QUOTE_H
#define HROT_QUOTE_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

#include <hrot/tpm.h>

enum hrot_quote_status {
	HROT_QUOTE_OK = 0,
	HROT_QUOTE_MALFORMED,		/* attest or signature do not parse */
	HROT_QUOTE_BAD_KEY,		/* key and signature scheme disagree */
	HROT_QUOTE_BAD_SIGNATURE,	/* not the AK's signature */
	HROT_QUOTE_BAD_MAGIC,		/* magic != TPM_GENERATED_VALUE */
	HROT_QUOTE_BAD_TYPE,		/* not TPM_ST_ATTEST_QUOTE */
	HROT_QUOTE_NONCE_MISMATCH,	/* extraData != qualifying data */
	HROT_QUOTE_PCR_SELECTION_MISMATCH,
	HROT_QUOTE_PCR_DIGEST_MISMATCH,	/* pcrDigest != H(PCR values) */
	HROT_QUOTE_ERROR,		/* out of memory, OpenSSL failed */
};

/**
 * struct hrot_quote_result - what a quote said and why it was refused
 * @status: HROT_QUOTE_*
 * @attest: the parsed TPMS_ATTEST (clock, resetCount, restartCount,
 *          firmwareVersion...), valid from HROT_QUOTE_BAD_KEY on
 * @msg:    one line: why, or "quote OK"
 */
struct hrot_quote_result {
	enum hrot_quote_status status;
	struct hrot_tpm_attest attest;
	char msg[256];
};

/**
 * hrot_quote_verify() - check a quote
 * @ak:         the AK's public key (EC or RSA)
 * @attest:     TPMS_ATTEST bytes, as signed
 * @sig:        TPMT_SIGNATURE bytes
 * @nonce:      expected qualifying data (extraData)
 * @expected:   the PCR selection asked for
 * @pcrs:       the PCR values, in the order of @expected (bank order,
 *              ascending PCR), each the size of its bank's digest
 * @res:        receives the outcome
 *
 * Return: @res->status.
 */
enum hrot_quote_status
hrot_quote_verify(EVP_PKEY *ak, const void *attest, size_t attest_len,
		  const void *sig, size_t sig_len, const void *nonce,
		  size_t nonce_len, const struct hrot_pcr_selection *expected,
		  const void *pcrs, size_t pcrs_len,
		  struct hrot_quote_result *res);

/* The same with the AK as a TPMT_PUBLIC. */
enum hrot_quote_status
hrot_quote_verify_tpm(const struct hrot_tpm_public *ak, const void *attest,
		      size_t attest_len, const void *sig, size_t sig_len,
		      const void *nonce, size_t nonce_len,
		      const struct hrot_pcr_selection *expected,
		      const void *pcrs, size_t pcrs_len,
		      struct hrot_quote_result *res);

/* "bad signature" and the like. */
const char *hrot_quote_status_name(enum hrot_quote_status status);

/*
 * The PCR file of tpm2_quote -o and tpm2_checkquote -f ("serialized"): the
 * TSS's C structures, little-endian: TPML_PCR_SELECTION (132 bytes), a u32
 * count of TPML_DIGEST lists, then those lists (532 bytes each, at most 8
 * digests each).
 */
#define HROT_PCRS_FILE_SEL_SIZE		132
#define HROT_PCRS_FILE_LIST_SIZE	532
#define HROT_PCRS_FILE_PER_LIST		8
#define HROT_PCRS_FILE_MAX_LISTS	64

/**
 * hrot_pcrs_file_write() - serialize a selection and its values
 * @sel:    the selection
 * @values: digests in selection order, each its bank's digest size
 * @out:    receives the bytes, to free()
 *
 * Return: 0, -EINVAL when @values_len does not fit @sel or a bank is not
 * known, -ENOMEM.
 */
int hrot_pcrs_file_write(const struct hrot_pcr_selection *sel,
			 const void *values, size_t values_len, uint8_t **out,
			 size_t *out_len);

/**
 * hrot_pcrs_file_read() - parse that file
 * @values:      receives the digests, in order
 * @values_size: room at @values
 * @values_len:  bytes written
 *
 * Return: 0, -HROT_TPM_ETRUNCATED, -HROT_TPM_ETOOBIG (also when @values is
 * too small), -HROT_TPM_EFORMAT, with @diag saying where.
 */
int hrot_pcrs_file_read(const void *buf, size_t len,
			struct hrot_pcr_selection *sel, uint8_t *values,
			size_t values_size, size_t *values_len,
			struct hrot_tpm_diag *diag);

#endif /* HROT_QUOTE_H */
