/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrot/token.h - the verifier's signed objects (struct hrot_token, struct
 * hrot_metadata of <linux/hrot_token.h>): signing, parsing, verifying.
 *
 * The structures are the wire bytes: fixed size, packed, little-endian,
 * signed with ECDSA P-256 over SHA-256 of every byte before @sig_r, the
 * signature stored as raw big-endian r || s.  One implementation serves the
 * verifier (which signs) and the device side (which checks what it was
 * given before passing it to the module).
 *
 * Parsing checks the structure only (length, magic, version, size, known
 * kind and verdict, zero flags and reserved bytes).  Verifying checks the
 * structure again, then the signer, the signature and the times.
 */
#ifndef HROT_TOKEN_H
#define HROT_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include <linux/hrot_token.h>

/*
 * Clocks of the verifier and its clients are not in lock-step: an object
 * issued up to this many seconds "in the future" is still accepted.  Kept
 * small since a token lives seconds to minutes.
 */
#define HROT_TOKEN_CLOCK_SKEW	30

/* Why a signed object was refused; 0 is HROT_SIGNED_OK. */
enum hrot_signed_status {
	HROT_SIGNED_OK = 0,
	HROT_SIGNED_MALFORMED = -1,	/* layout, magic, version, fields */
	HROT_SIGNED_WRONG_SIGNER = -2,	/* @signer is not the anchor's id */
	HROT_SIGNED_BAD_SIGNATURE = -3,	/* r || s does not verify */
	HROT_SIGNED_EXPIRED = -4,	/* now >= expires_at */
	HROT_SIGNED_NOT_YET_VALID = -5,	/* issued after now + skew */
	HROT_SIGNED_INTERNAL = -6,	/* out of memory, crypto failure */
};

/* "malformed", "wrong signer", ... for messages and logs. */
const char *hrot_signed_status_name(int status);

/*
 * hrot_signer_id() - SHA-256 of @key's SubjectPublicKeyInfo (DER)
 * Return: 0, or -EINVAL (no public key), -EIO (crypto failure).
 */
int hrot_signer_id(EVP_PKEY *key, uint8_t out[HROT_SIGNER_ID_SIZE]);

/*
 * hrot_token_sign() - complete and sign a token
 * @t:   the claims (kind, verdict, policy_id, token_id, device, instance,
 *       nonce, qualifying, component, issued_at, expires_at) in place;
 *       magic, version, size, flags, reserved0, signer, sig_r and sig_s are
 *       set here
 * @key: an ECDSA P-256 private key
 *
 * Return: 0, -EINVAL (not a P-256 key, or claims that hrot_token_parse()
 * would refuse), -EIO (crypto failure).
 */
int hrot_token_sign(struct hrot_token *t, EVP_PKEY *key);

/*
 * hrot_token_parse() - a token from bytes, its structure checked
 * @buf, @len: exactly HROT_TOKEN_SIZE bytes
 * @out:       receives the token (the same bytes)
 * @err:       receives what was wrong (may be NULL)
 *
 * Return: HROT_SIGNED_OK or HROT_SIGNED_MALFORMED.
 */
int hrot_token_parse(const void *buf, size_t len, struct hrot_token *out,
		     char *err, size_t err_size);

/*
 * hrot_token_verify() - is @t a valid token signed by @anchor at @now?
 * @now: Unix seconds; valid when issued_at <= now + HROT_TOKEN_CLOCK_SKEW
 *       and now < expires_at
 *
 * Return: one of enum hrot_signed_status; @err says what was wrong.
 */
int hrot_token_verify(const struct hrot_token *t, EVP_PKEY *anchor,
		      int64_t now, char *err, size_t err_size);

/* The same for the signed instance metadata (seed 000). */
int hrot_metadata_sign(struct hrot_metadata *m, EVP_PKEY *key);
int hrot_metadata_parse(const void *buf, size_t len, struct hrot_metadata *out,
			char *err, size_t err_size);
/*
 * Metadata does not expire: valid when the signature is the anchor's and
 * created_at <= now + HROT_TOKEN_CLOCK_SKEW.
 */
int hrot_metadata_verify(const struct hrot_metadata *m, EVP_PKEY *anchor,
			 int64_t now, char *err, size_t err_size);

/*
 * hrot_qualifying_data() - SHA-256(@nonce || @data), the extraData a quote
 * must carry (data: the ephemeral key for attest, the fingerprint digest
 * for physical).
 * Return: 0 or -EIO.
 */
int hrot_qualifying_data(const void *nonce, size_t nonce_len,
			 const void *data, size_t len,
			 uint8_t out[HROT_NONCE_SIZE]);

#endif /* HROT_TOKEN_H */
