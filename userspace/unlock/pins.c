// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: the verifier's identity.  A bound volume records the
 * SHA-256 of the verifier's CA certificate and of its token key; the
 * files of the initramfs must match them, so a swapped CA or key cannot
 * redirect the unlock to another verifier.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <hrot/token.h>

#include "unlock.h"

/*
 * The one certificate of a CA file, read the way libcurl's OpenSSL reads
 * it (PEM_X509_INFO_read: "CERTIFICATE" and "TRUSTED CERTIFICATE" blocks
 * alike): the pin covers one certificate, and curl would trust every one
 * in the file, so a second one would ride on the first one's pin.
 */
static X509 *only_certificate(const char *path, char *err, size_t err_size)
{
	STACK_OF(X509_INFO) *infos;
	X509 *cert = NULL;
	int i, n = 0;
	FILE *f = fopen(path, "re");

	if (!f) {
		snprintf(err, err_size, "CA %s: %s", path, strerror(errno));
		return NULL;
	}
	infos = PEM_X509_INFO_read(f, NULL, NULL, NULL);
	fclose(f);
	for (i = 0; infos && i < sk_X509_INFO_num(infos); i++) {
		X509_INFO *xi = sk_X509_INFO_value(infos, i);

		if (xi->x509 && n++ == 0 && X509_up_ref(xi->x509))
			cert = xi->x509;
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	ERR_clear_error();
	if (n != 1) {
		snprintf(err, err_size, n ?
			 "CA %s: more than one certificate (the volume pins one CA)" :
			 "CA %s: not a PEM certificate", path);
		X509_free(cert);
		return NULL;
	}
	if (!cert)
		snprintf(err, err_size, "CA %s: out of memory", path);
	return cert;
}

int unlock_ca_sha256(const char *path, uint8_t out[32], char *err,
		     size_t err_size)
{
	unsigned char *der = NULL;
	unsigned int n = 0;
	X509 *cert = only_certificate(path, err, err_size);
	int len, ret = -EINVAL;

	if (!cert)
		return -EINVAL;
	len = i2d_X509(cert, &der);
	if (len > 0 && EVP_Digest(der, (size_t)len, out, &n, EVP_sha256(),
				  NULL) == 1 && n == 32)
		ret = 0;
	else
		snprintf(err, err_size, "CA %s: cannot hash it", path);
	OPENSSL_free(der);
	X509_free(cert);
	return ret;
}

EVP_PKEY *unlock_read_pubkey(const char *path, char *err, size_t err_size)
{
	EVP_PKEY *key = NULL;
	FILE *f = fopen(path, "re");

	if (!f) {
		snprintf(err, err_size, "token key %s: %s", path,
			 strerror(errno));
		return NULL;
	}
	key = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (!key)
		snprintf(err, err_size, "token key %s: not a PEM public key",
			 path);
	return key;
}

int unlock_key_sha256(const char *path, uint8_t out[HROT_SIGNER_ID_SIZE],
		      char *err, size_t err_size)
{
	EVP_PKEY *key = unlock_read_pubkey(path, err, err_size);
	int ret;

	if (!key)
		return -EINVAL;
	ret = hrot_signer_id(key, out);
	if (ret)
		snprintf(err, err_size, "token key %s: no signer id", path);
	EVP_PKEY_free(key);
	return ret;
}

int unlock_metadata_check(const struct hrot_metadata *m, const char *path,
			  char *err, size_t err_size)
{
	EVP_PKEY *key = unlock_read_pubkey(path, err, err_size);
	char why[128] = "";
	int st;

	if (!key)
		return -EINVAL;
	st = hrot_metadata_verify(m, key, (int64_t)time(NULL), why,
				  sizeof(why));
	EVP_PKEY_free(key);
	if (st != HROT_SIGNED_OK) {
		snprintf(err, err_size, "signed metadata: %s (%s)",
			 hrot_signed_status_name(st), why);
		return -EKEYREJECTED;
	}
	return 0;
}

int unlock_metadata_load(const char *path, struct hrot_metadata *m,
			 char *err, size_t err_size)
{
	uint8_t buf[HROT_METADATA_SIZE + 1];
	char why[128] = "";
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f) {
		int ret = -errno;

		snprintf(err, err_size, "metadata %s: %s", path,
			 strerror(errno));
		return ret;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (hrot_metadata_parse(buf, n, m, why, sizeof(why))) {
		snprintf(err, err_size, "metadata %s: %s", path, why);
		return -EINVAL;
	}
	return 0;
}
