/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hrot: the verifier's signed objects, byte by byte.
 *
 * Two fixed-layout objects leave hrot-verifierd signed with its token key
 * (ECDSA P-256, SHA-256):
 *
 *   struct hrot_token     the result of an appraisal: a release token
 *                         (kind HROT_TOKEN_RELEASE) that lets a device's
 *                         volume secret be used, or a physical attestation
 *                         token (kind HROT_TOKEN_PHYSICAL, seed 003) that
 *                         only says "this device runs on registered
 *                         hardware" and that the release step requires.
 *   struct hrot_metadata  the signed instance metadata of seed 000, made
 *                         once at enrollment and carried by the device.
 *
 * They are fixed-size, packed, little-endian, with no variable part, so
 * that the kernel (the token key type) checks them without a general
 * parser: check magic, version and size, then verify the signature over
 * every byte before @sig_r.  The signature is raw r || s (32 bytes each,
 * big-endian as in TPMS_SIGNATURE_ECDSA), which is what TPM2_VerifySignature
 * takes; @signer names the key (SHA-256 of its SubjectPublicKeyInfo DER),
 * so a verifier can rotate keys and a device can hold several anchors.
 *
 * Times are Unix seconds (UTC).  @device is the AK's TPM name (nameAlg
 * SHA-256, 0x000b, then the digest of its TPMT_PUBLIC).
 */
#ifndef _UAPI_LINUX_HROT_TOKEN_H
#define _UAPI_LINUX_HROT_TOKEN_H

#include <linux/types.h>

#define HROT_TOKEN_MAGIC	"HRTK"
#define HROT_METADATA_MAGIC	"HRMD"
#define HROT_SIGNED_VERSION	1

#define HROT_TOKEN_KIND_RELEASE		1	/* volume secret may be used */
#define HROT_TOKEN_KIND_PHYSICAL	2	/* seed 003: on registered hardware */
#define HROT_TOKEN_KIND_RUNTIME		3	/* running system passed; no secret */
#define HROT_TOKEN_KIND_COMPONENT	4	/* seed 002: @component may use the TPM */

#define HROT_VERDICT_PASS	1

#define HROT_TOKEN_ID_SIZE	16
#define HROT_INSTANCE_ID_SIZE	16	/* a UUID, binary */
#define HROT_DEVICE_NAME_SIZE	34	/* TPM name: 0x000b + SHA-256 */
#define HROT_NONCE_SIZE		32
#define HROT_SIGNER_ID_SIZE	32
#define HROT_ECDSA_P256_COORD	32

/**
 * struct hrot_token - a verifier token (292 bytes)
 * @magic:      "HRTK"
 * @version:    HROT_SIGNED_VERSION
 * @size:       sizeof(struct hrot_token)
 * @kind:       HROT_TOKEN_KIND_*
 * @verdict:    HROT_VERDICT_PASS (a failed appraisal issues nothing)
 * @flags:      zero
 * @policy_id:  the verifier's id of the policy the device was appraised by
 *              (0 for a physical attestation token)
 * @token_id:   random; what revocation names
 * @device:     the AK's TPM name
 * @reserved0:  zero
 * @instance:   the instance id of the signed metadata
 * @nonce:      the challenge this token answers
 * @qualifying: the quote's qualifying data, SHA-256(nonce || ephemeral
 *              public key), which the module can compare with its latest
 *              quote
 * @component:  seed 002: SHA-256 of the one runtime component this token
 *              authorises, or all zero when it authorises none
 * @issued_at:  issue time
 * @expires_at: expiry (seconds to minutes after @issued_at)
 * @signer:     SHA-256 of the signing key's SubjectPublicKeyInfo (DER)
 * @sig_r:      ECDSA P-256 signature over SHA-256 of bytes [0, offsetof
 * @sig_s:      (struct hrot_token, sig_r)), r and s big-endian
 */
struct hrot_token {
	__u8 magic[4];
	__le16 version;
	__le16 size;
	__u8 kind;
	__u8 verdict;
	__le16 flags;
	__le32 policy_id;
	__u8 token_id[HROT_TOKEN_ID_SIZE];
	__u8 device[HROT_DEVICE_NAME_SIZE];
	__u8 reserved0[2];
	__u8 instance[HROT_INSTANCE_ID_SIZE];
	__u8 nonce[HROT_NONCE_SIZE];
	__u8 qualifying[HROT_NONCE_SIZE];
	__u8 component[HROT_NONCE_SIZE];
	__le64 issued_at;
	__le64 expires_at;
	__u8 signer[HROT_SIGNER_ID_SIZE];
	__u8 sig_r[HROT_ECDSA_P256_COORD];
	__u8 sig_s[HROT_ECDSA_P256_COORD];
} __attribute__((packed));

#define HROT_TOKEN_SIZE		292
#define HROT_TOKEN_SIGNED_SIZE	228	/* offsetof(struct hrot_token, sig_r) */

/**
 * struct hrot_metadata - signed instance metadata (seed 000), 164 bytes
 * @magic:      "HRMD"
 * @version:    HROT_SIGNED_VERSION
 * @size:       sizeof(struct hrot_metadata)
 * @instance:   instance id (binary UUID), made by the verifier at enrollment
 * @device:     the AK's TPM name
 * @reserved0:  zero
 * @created_at: instance creation time
 * @signer:     SHA-256 of the signing key's SubjectPublicKeyInfo (DER)
 * @sig_r:      ECDSA P-256 over SHA-256 of the bytes before @sig_r
 * @sig_s:      as in struct hrot_token
 */
struct hrot_metadata {
	__u8 magic[4];
	__le16 version;
	__le16 size;
	__u8 instance[HROT_INSTANCE_ID_SIZE];
	__u8 device[HROT_DEVICE_NAME_SIZE];
	__u8 reserved0[2];
	__le64 created_at;
	__u8 signer[HROT_SIGNER_ID_SIZE];
	__u8 sig_r[HROT_ECDSA_P256_COORD];
	__u8 sig_s[HROT_ECDSA_P256_COORD];
} __attribute__((packed));

#define HROT_METADATA_SIZE		164
#define HROT_METADATA_SIGNED_SIZE	100

#endif /* _UAPI_LINUX_HROT_TOKEN_H */
