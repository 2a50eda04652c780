/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot: TPM 2.0 structures (Part 2), big-endian, as the TPM marshals
 * them: TPMT_PUBLIC, TPM2B_PUBLIC, TPMS_ATTEST, TPMT_SIGNATURE,
 * TPML_PCR_SELECTION; names; public keys as OpenSSL EVP_PKEYs.
 *
 * Every unmarshal function is a pure function of a byte buffer: each size
 * is checked against what is left and against the limit of its type before
 * it is used (they are fuzzed).  Values are copied out, so the results do
 * not point into the input.  Errors are negative errno values, distinct by
 * kind, with a struct hrot_tpm_diag naming the field:
 *   ETRUNCATED  the input ends inside a structure
 *   ETOOBIG     a size or count over the type's limit
 *   EFORMAT     a value the type does not allow, one libhrot does not do,
 *               or bytes left over after the structure
 */
#ifndef HROT_TPM_H
#define HROT_TPM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HROT_TPM_ETRUNCATED	ENODATA
#define HROT_TPM_ETOOBIG	E2BIG
#define HROT_TPM_EFORMAT	EBADMSG

/* TPM_ALG_ID values used here (the hashes are HROT_ALG_* of linux/hrot.h) */
#define HROT_TPM_ALG_RSA	0x0001
#define HROT_TPM_ALG_HMAC	0x0005
#define HROT_TPM_ALG_AES	0x0006
#define HROT_TPM_ALG_NULL	0x0010
#define HROT_TPM_ALG_RSASSA	0x0014
#define HROT_TPM_ALG_RSAES	0x0015
#define HROT_TPM_ALG_RSAPSS	0x0016
#define HROT_TPM_ALG_OAEP	0x0017
#define HROT_TPM_ALG_ECDSA	0x0018
#define HROT_TPM_ALG_ECDH	0x0019
#define HROT_TPM_ALG_ECDAA	0x001A
#define HROT_TPM_ALG_SM2	0x001B
#define HROT_TPM_ALG_ECSCHNORR	0x001C
#define HROT_TPM_ALG_ECC	0x0023
#define HROT_TPM_ALG_CFB	0x0043

#define HROT_TPM_ECC_NIST_P256	0x0003
#define HROT_TPM_ECC_NIST_P384	0x0004

#define HROT_TPM_GENERATED_VALUE	0xff544347u
#define HROT_TPM_ST_ATTEST_QUOTE	0x8018

/* Limits of the reference implementation's types. */
#define HROT_TPM_MAX_RSA_BYTES	512	/* TPM2B_PUBLIC_KEY_RSA, 4096 bits */
#define HROT_TPM_MAX_ECC_BYTES	66	/* P-521 coordinate */
#define HROT_TPM_MAX_NAME	(2 + 64)	/* TPM2B_NAME body */
#define HROT_TPM_MAX_DIGEST	64
#define HROT_TPM_MAX_PUBLIC	1024	/* TPMT_PUBLIC marshalled */
#define HROT_TPM_PCR_SELECT_MAX	4	/* TSS's, 32 PCRs */
#define HROT_TPM_MAX_BANKS	16	/* TPML_PCR_SELECTION count */

/**
 * struct hrot_tpm_diag - where and why a structure was refused
 * @offset: byte offset of the offending field in the input
 * @msg:    one line naming the field
 */
struct hrot_tpm_diag {
	size_t offset;
	char msg[192];
};

/**
 * struct hrot_tpm_public - TPMT_PUBLIC of an RSA or ECC key
 * @type, @name_alg, @attributes: as marshalled
 * @auth_policy, @auth_policy_size: TPM2B_DIGEST
 * @sym_alg:    TPMT_SYM_DEF_OBJECT algorithm (HROT_TPM_ALG_NULL: none);
 *              @sym_bits and @sym_mode are meaningful when it is not NULL
 * @scheme:     RSA or ECC scheme (NULL: none); @scheme_hash when not NULL,
 *              @scheme_count for ECDAA
 * @rsa_bits, @exponent: RSA parameters (exponent 0 means 65537)
 * @curve, @kdf, @kdf_hash: ECC parameters
 * @unique:     RSA modulus, or ECC x; @unique_size bytes
 * @y, @y_size: ECC y
 */
struct hrot_tpm_public {
	uint16_t type;
	uint16_t name_alg;
	uint32_t attributes;
	uint16_t auth_policy_size;
	uint8_t auth_policy[HROT_TPM_MAX_DIGEST];
	uint16_t sym_alg, sym_bits, sym_mode;
	uint16_t scheme, scheme_hash, scheme_count;
	uint16_t rsa_bits;
	uint32_t exponent;
	uint16_t curve, kdf, kdf_hash;
	uint16_t unique_size;
	uint8_t unique[HROT_TPM_MAX_RSA_BYTES];
	uint16_t y_size;
	uint8_t y[HROT_TPM_MAX_ECC_BYTES];
};

/* One bank of a TPML_PCR_SELECTION, as a bit mask (bit n = PCR n). */
struct hrot_pcr_bank_sel {
	uint16_t hash;
	uint8_t size_of_select;
	uint32_t mask;
};

struct hrot_pcr_selection {
	uint32_t count;
	struct hrot_pcr_bank_sel banks[HROT_TPM_MAX_BANKS];
};

/**
 * struct hrot_tpm_attest - TPMS_ATTEST; the quote fields are filled in
 * only when @type is HROT_TPM_ST_ATTEST_QUOTE (other types are accepted,
 * their attested union is left unparsed)
 */
struct hrot_tpm_attest {
	uint32_t magic;
	uint16_t type;
	uint16_t signer_size;
	uint8_t signer[HROT_TPM_MAX_NAME];
	uint16_t extra_size;
	uint8_t extra[HROT_TPM_MAX_DIGEST];
	uint64_t clock;
	uint32_t reset_count;
	uint32_t restart_count;
	uint8_t safe;
	uint64_t firmware_version;
	struct hrot_pcr_selection pcr_select;
	uint16_t pcr_digest_size;
	uint8_t pcr_digest[HROT_TPM_MAX_DIGEST];
};

/**
 * struct hrot_tpm_signature - TPMT_SIGNATURE (RSASSA, RSAPSS, ECDSA and
 * the other ECC schemes, or NULL)
 * @r, @r_size: ECC r, or the RSA signature
 * @s, @s_size: ECC s
 */
struct hrot_tpm_signature {
	uint16_t sig_alg;
	uint16_t hash;
	uint16_t r_size;
	uint8_t r[HROT_TPM_MAX_RSA_BYTES];
	uint16_t s_size;
	uint8_t s[HROT_TPM_MAX_ECC_BYTES];
};

/* Each: 0, -HROT_TPM_ETRUNCATED, -HROT_TPM_ETOOBIG, -HROT_TPM_EFORMAT. */
int hrot_tpm_public_unmarshal(const void *buf, size_t len,
			      struct hrot_tpm_public *out,
			      struct hrot_tpm_diag *diag);
/* TPM2B_PUBLIC: u16 size, then exactly that many bytes of TPMT_PUBLIC. */
int hrot_tpm2b_public_unmarshal(const void *buf, size_t len,
				struct hrot_tpm_public *out,
				struct hrot_tpm_diag *diag);
int hrot_tpm_attest_unmarshal(const void *buf, size_t len,
			      struct hrot_tpm_attest *out,
			      struct hrot_tpm_diag *diag);
int hrot_tpm_signature_unmarshal(const void *buf, size_t len,
				 struct hrot_tpm_signature *out,
				 struct hrot_tpm_diag *diag);
int hrot_pcr_selection_unmarshal(const void *buf, size_t len,
				 struct hrot_pcr_selection *out,
				 struct hrot_tpm_diag *diag);

/*
 * Marshalling: each writes into @buf (room @size) and returns the bytes
 * written, -ENOSPC when it does not fit, -EINVAL for a value it cannot
 * write (a size over its limit, a type it does not know).
 */
int hrot_tpm_public_marshal(const struct hrot_tpm_public *pub, uint8_t *buf,
			    size_t size);
int hrot_tpm2b_public_marshal(const struct hrot_tpm_public *pub, uint8_t *buf,
			      size_t size);
int hrot_tpm_attest_marshal(const struct hrot_tpm_attest *at, uint8_t *buf,
			    size_t size);
int hrot_tpm_signature_marshal(const struct hrot_tpm_signature *sig,
			       uint8_t *buf, size_t size);
int hrot_pcr_selection_marshal(const struct hrot_pcr_selection *sel,
			       uint8_t *buf, size_t size);

/**
 * hrot_tpm_name() - nameAlg || H_nameAlg(TPMT_PUBLIC)
 * @pub:  the key
 * @name: receives the name
 * @size: room, at least 2 + the digest size
 *
 * Return: bytes written, -EOPNOTSUPP for a nameAlg libhrot cannot hash,
 * -ENOSPC, -EINVAL, -EIO.
 */
int hrot_tpm_name(const struct hrot_tpm_public *pub, uint8_t *name,
		  size_t size);

/*
 * PCR selection helpers: parse "0,1,13" or "sha256:0,1,13" (SHA-256 only)
 * into a one-bank selection (0 or -EINVAL); number of PCRs selected.
 */
int hrot_pcr_selection_parse(const char *s, struct hrot_pcr_selection *out);
unsigned int hrot_pcr_selection_count(const struct hrot_pcr_selection *sel);
bool hrot_pcr_selection_equal(const struct hrot_pcr_selection *a,
			      const struct hrot_pcr_selection *b);

#endif /* HROT_TPM_H */
