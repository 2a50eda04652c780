/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhrot: TPM2_MakeCredential in software (TPM 2.0 Part 1, 24 "Credential
 * Protection", and the secret sharing of Annex B.10.3 and C.6.1), its key
 * derivation functions KDFa and KDFe (Part 1, 11.4.10), and the file
 * tpm2_makecredential writes.
 */
#ifndef HROT_CREDENTIAL_H
#define HROT_CREDENTIAL_H

#include <stddef.h>
#include <stdint.h>

#include <hrot/tpm.h>

#define HROT_CREDENTIAL_MAX	64	/* TPM2B_DIGEST: the credential */
#define HROT_ID_OBJECT_MAX	256	/* TPM2B_ID_OBJECT body */
#define HROT_ENC_SECRET_MAX	512	/* TPM2B_ENCRYPTED_SECRET body */

/* tpm2_makecredential's output: BE magic, BE version, then the two. */
#define HROT_CREDFILE_MAGIC	0xBADCC0DEu
#define HROT_CREDFILE_VERSION	1

/**
 * struct hrot_credential - what MakeCredential makes, each with its u16
 * size prefix, ready for TPM2_ActivateCredential
 * @id_object: TPM2B_ID_OBJECT (credentialBlob), @id_object_len bytes
 * @secret:    TPM2B_ENCRYPTED_SECRET, @secret_len bytes
 */
struct hrot_credential {
	size_t id_object_len;
	uint8_t id_object[2 + HROT_ID_OBJECT_MAX];
	size_t secret_len;
	uint8_t secret[2 + HROT_ENC_SECRET_MAX];
};

/**
 * hrot_kdfa() - KDFa: SP 800-108 counter mode with HMAC-@hash,
 *   K(i) = HMAC(key, [i]32 || label || 0x00 || contextU || contextV || [bits]32)
 * @label: without its terminating NUL (it is added)
 * @bits:  a multiple of 8; @out receives @bits / 8 bytes
 *
 * Return: 0, -EOPNOTSUPP for an unknown @hash, -EINVAL, -EIO.
 */
int hrot_kdfa(uint16_t hash, const void *key, size_t key_len,
	      const char *label, const void *u, size_t u_len, const void *v,
	      size_t v_len, uint32_t bits, uint8_t *out);

/**
 * hrot_kdfe() - KDFe: SP 800-56A concatenation KDF with @hash,
 *   K(i) = H([i]32 || Z || label || 0x00 || PartyUInfo || PartyVInfo)
 * Return: as hrot_kdfa().
 */
int hrot_kdfe(uint16_t hash, const void *z, size_t z_len, const char *label,
	      const void *u, size_t u_len, const void *v, size_t v_len,
	      uint32_t bits, uint8_t *out);

/**
 * hrot_make_credential() - TPM2_MakeCredential without a TPM
 * @ek:       the EK (RSA with AES-CFB, or ECC on P-256/P-384 with AES-CFB)
 * @name:     the name of the key the credential is for (the AK)
 * @cred:     the credential, 1..HROT_CREDENTIAL_MAX bytes
 * @out:      the blob and the encrypted seed
 *
 * RSA EK: a random seed, RSA-OAEP(nameAlg, label "IDENTITY") encrypted.
 * ECC EK: seed = KDFe(nameAlg, Z, "IDENTITY", ephemeral x, EK x) with an
 * ephemeral ECDH key, whose point is the encrypted secret.
 *
 * Return: 0, -EINVAL for a bad argument or an EK it cannot use,
 * -EOPNOTSUPP, -ENOMEM, -EIO (OpenSSL).
 */
int hrot_make_credential(const struct hrot_tpm_public *ek, const void *name,
			 size_t name_len, const void *cred, size_t cred_len,
			 struct hrot_credential *out);

/* The file of tpm2_makecredential: 0, -ENOMEM; @out to free(). */
int hrot_credential_file_write(const struct hrot_credential *c, uint8_t **out,
			       size_t *out_len);

/* Parse it: 0, -HROT_TPM_E* with @diag. */
int hrot_credential_file_read(const void *buf, size_t len,
			      struct hrot_credential *out,
			      struct hrot_tpm_diag *diag);

#endif /* HROT_CREDENTIAL_H */
