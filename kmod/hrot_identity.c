// SPDX-License-Identifier: GPL-2.0
/*
 * hrot: the TPM identity and credential activation.
 *
 * The EK is the one the manufacturer certified: the first of the TCG EK
 * Credential Profile templates whose certificate is in NV (ECC P-256 L-2,
 * RSA-2048 L-1, ECC P-384 H-3); with no certificate, L-2, or L-1 when the
 * TPM has no ECC.  The AK is a restricted ECC P-256 signing key, a primary
 * key of the endorsement hierarchy re-created from a fixed template: the
 * same key on every boot, nothing stored.  Both are re-created inside each
 * operation and flushed before it ends; their public parts are read once
 * per load and cached here.
 */
#include <linux/tpm.h>
#include <asm/unaligned.h>
#include <crypto/sha2.h>

#include "hrot.h"

static const struct {
	u32 nv_index;
	u32 template;
} hrot_ek_certs[] = {
	{ 0x01c0000a, HROT_EK_L2_ECC_P256 },
	{ 0x01c00002, HROT_EK_L1_RSA2048 },
	{ 0x01c00016, HROT_EK_H3_ECC_P384 },
};

/* DER of SubjectPublicKeyInfo { id-ecPublicKey, prime256v1 }, BIT STRING */
static const u8 hrot_spki_p256_prefix[] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
	0x42, 0x00, 0x04,
};

/* Offsets of unique.x and unique.y in the AK's TPMT_PUBLIC (our template). */
#define HROT_AK_X_OFF	20
#define HROT_AK_Y_OFF	(HROT_AK_X_OFF + 2 + 32)

/* The EK certificate, if the TPM has one of the known kinds. */
static int hrot_ident_read_ek_cert(struct tpm_chip *chip,
				   struct hrot_ident *id)
{
	u16 size;
	int i, rc;

	for (i = 0; i < ARRAY_SIZE(hrot_ek_certs); i++) {
		rc = hrot_tpm2_nv_size(chip, hrot_ek_certs[i].nv_index, &size);
		if (rc == -ENOENT)
			continue;
		if (rc)
			return rc;
		if (!size || size > HROT_EK_CERT_MAX)
			continue;
		id->ek_cert = hrot_kzalloc(size);
		if (!id->ek_cert)
			return -ENOMEM;
		rc = hrot_tpm2_nv_read(chip, hrot_ek_certs[i].nv_index,
				       id->ek_cert, size);
		if (rc) {
			hrot_kfree(id->ek_cert);
			id->ek_cert = NULL;
			return rc;
		}
		id->ek_cert_len = size;
		id->ek_cert_index = hrot_ek_certs[i].nv_index;
		id->ek_template = hrot_ek_certs[i].template;
		return 0;
	}
	id->ek_template = HROT_EK_L2_ECC_P256;
	return 0;
}

static int hrot_ident_read_ek(struct tpm_chip *chip, struct hrot_ident *id)
{
	u32 handle;
	int rc;

	rc = hrot_tpm2_create_ek(chip, id->ek_template, &handle, id->ek_pub,
				 sizeof(id->ek_pub), &id->ek_pub_len);
	if (rc == -EIO && !id->ek_cert &&
	    id->ek_template == HROT_EK_L2_ECC_P256) {
		/* No ECC and no certificate: the RSA template. */
		id->ek_template = HROT_EK_L1_RSA2048;
		rc = hrot_tpm2_create_ek(chip, id->ek_template, &handle,
					 id->ek_pub, sizeof(id->ek_pub),
					 &id->ek_pub_len);
	}
	if (rc)
		return rc;
	return hrot_tpm2_flush(chip, handle);
}

static int hrot_ident_read_ak(struct tpm_chip *chip, struct hrot_ident *id)
{
	const u8 *pub = id->ak_pub;
	u32 handle;
	int rc;

	rc = hrot_tpm2_create_ak(chip, &handle, id->ak_pub, sizeof(id->ak_pub),
				 &id->ak_pub_len);
	if (rc)
		return rc;
	rc = hrot_tpm2_flush(chip, handle);
	if (rc)
		return rc;

	if (id->ak_pub_len != HROT_AK_Y_OFF + 2 + 32 ||
	    get_unaligned_be16(pub + HROT_AK_X_OFF) != 32 ||
	    get_unaligned_be16(pub + HROT_AK_Y_OFF) != 32) {
		pr_err("hrot: the AK's public area is not ECC P-256\n");
		return -EIO;
	}
	memcpy(id->ak_spki, hrot_spki_p256_prefix,
	       sizeof(hrot_spki_p256_prefix));
	memcpy(id->ak_spki + sizeof(hrot_spki_p256_prefix),
	       pub + HROT_AK_X_OFF + 2, 32);
	memcpy(id->ak_spki + sizeof(hrot_spki_p256_prefix) + 32,
	       pub + HROT_AK_Y_OFF + 2, 32);

	put_unaligned_be16(TPM_ALG_SHA256, id->ak_name);
	return hrot_sha256(id->ak_pub, id->ak_pub_len, id->ak_name + 2);
}

static int hrot_ident_read(struct tpm_chip *chip, struct hrot_ident *id)
{
	int rc;

	rc = tpm_try_get_ops(chip);
	if (rc)
		return rc;
	rc = hrot_ident_read_ek_cert(chip, id);
	if (!rc)
		rc = hrot_ident_read_ek(chip, id);
	if (!rc)
		rc = hrot_ident_read_ak(chip, id);
	tpm_put_ops(chip);
	return rc;
}

static void hrot_ident_free(struct hrot_ident *id)
{
	if (!id)
		return;
	hrot_kfree(id->ek_cert);
	hrot_kfree(id);
}

/**
 * hrot_identity_get() - the TPM identity, read on first use
 * @dev: the device, lock held
 * @id:  out: valid until unload
 *
 * Return: 0, -ENODEV without a TPM, or -errno.
 */
int hrot_identity_get(struct hrot_dev *dev, const struct hrot_ident **id)
{
	struct hrot_ident *new;
	int rc;

	lockdep_assert_held(&dev->lock);
	if (!dev->chip) {
		pr_info("hrot: no TPM: no identity\n");
		return -ENODEV;
	}
	if (!dev->ident) {
		new = hrot_kzalloc(sizeof(*new));
		if (!new)
			return -ENOMEM;
		rc = hrot_ident_read(dev->chip, new);
		if (rc) {
			hrot_ident_free(new);
			return rc;
		}
		dev->ident = new;
	}
	*id = dev->ident;
	return 0;
}

void hrot_identity_exit(struct hrot_dev *dev)
{
	hrot_ident_free(dev->ident);
	dev->ident = NULL;
}

/* The EK's authorization for ActivateCredential, per its template. */
static int hrot_ek_auth(struct tpm_chip *chip, u32 template, u32 *auth)
{
	/* H-3 has userWithAuth: its empty password is enough. */
	if (template == HROT_EK_H3_ECC_P384) {
		*auth = TPM2_RS_PW;
		return 0;
	}
	return hrot_tpm2_ek_policy_session(chip, auth);
}

static int hrot_activate_locked(struct hrot_dev *dev,
				const struct hrot_ident *id, const u8 *blob,
				u16 blob_len, const u8 *secret, u16 secret_len,
				u8 *out, u16 *out_len)
{
	struct tpm_chip *chip = dev->chip;
	u32 ak, ek, auth = 0;
	size_t len;
	u8 *pub;
	int rc;

	pub = hrot_kzalloc(HROT_PUB_MAX);
	if (!pub)
		return -ENOMEM;
	rc = tpm_try_get_ops(chip);
	if (rc)
		goto out_free;
	rc = hrot_tpm2_create_ek(chip, id->ek_template, &ek, pub, HROT_PUB_MAX,
				 &len);
	if (rc)
		goto out_ops;
	rc = hrot_tpm2_create_ak(chip, &ak, pub, HROT_PUB_MAX, &len);
	if (rc)
		goto out_ek;
	rc = hrot_ek_auth(chip, id->ek_template, &auth);
	if (rc)
		goto out_session;
	rc = hrot_tpm2_activate_credential(chip, ak, ek, auth, blob, blob_len,
					   secret, secret_len, out, out_len);
	/* A policy session is used up by a successful command. */
	if (!rc)
		auth = 0;
out_session:
	if (auth && auth != TPM2_RS_PW)
		hrot_tpm2_flush(chip, auth);
	hrot_tpm2_flush(chip, ak);
out_ek:
	hrot_tpm2_flush(chip, ek);
out_ops:
	tpm_put_ops(chip);
out_free:
	hrot_kfree(pub);
	return rc;
}

/**
 * hrot_activate() - TPM2_ActivateCredential with the AK and the EK
 * @dev:        the device
 * @blob:       TPM2B_ID_OBJECT, with its size prefix
 * @blob_len:   its length
 * @secret:     TPM2B_ENCRYPTED_SECRET, with its size prefix
 * @secret_len: its length
 * @out:        out: the credential, HROT_QUALIFYING_MAX bytes of room
 * @out_len:    out: its length
 *
 * Return: 0, -ENODEV without a TPM, -EIO when the TPM refuses (a credential
 * for another AK or EK), or -errno.
 */
int hrot_activate(struct hrot_dev *dev, const u8 *blob, u16 blob_len,
		  const u8 *secret, u16 secret_len, u8 *out, u16 *out_len)
{
	const struct hrot_ident *id;
	int rc;

	mutex_lock(&dev->lock);
	rc = hrot_identity_get(dev, &id);
	if (!rc)
		rc = hrot_activate_locked(dev, id, blob, blob_len, secret,
					  secret_len, out, out_len);
	mutex_unlock(&dev->lock);
	return rc;
}
