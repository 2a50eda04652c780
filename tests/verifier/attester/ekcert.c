// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-soft-attester: the EK certificate a manufactured TPM keeps in NV
 * (TCG EK Credential Profile, 2.2.1.4: 0x01c00002 for the RSA-2048 EK of
 * template L-1, 0x01c0000a for the ECC P-256 one of L-2, 0x01c00016 for
 * the ECC P-384 one of H-3).  `swtpm_setup --create-ek-cert` writes them;
 * a plain swtpm has none, and the device then registers without one.
 *
 * init copies it to state/ek.cert (DER); register sends that file, so a
 * test may replace it with a certificate of its own making.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/x509.h>

#include "soft.h"

static const char *ek_cert_index(const char *ek_alg)
{
	if (!strcmp(ek_alg, "rsa"))
		return "0x01c00002";
	if (!strcmp(ek_alg, "ecc384"))
		return "0x01c00016";
	return "0x01c0000a";
}

/*
 * An NV index is read whole, and a TPM vendor may have padded the
 * certificate to the index's size: what goes to the verifier is the DER
 * certificate alone.  Bytes that do not parse are sent as they are, for
 * the verifier to refuse.
 */
static size_t der_length(const uint8_t *buf, size_t len)
{
	const unsigned char *p = buf;
	X509 *cert = d2i_X509(NULL, &p, (long)len);
	size_t n = cert ? (size_t)(p - buf) : len;

	X509_free(cert);
	return n;
}

int soft_ek_cert_init(const struct soft_ctx *s, const char *ek_alg)
{
	char nv_buf[4096], cert_buf[4096];
	const char *index = ek_cert_index(ek_alg);
	const char *probe[] = { "tpm2_nvreadpublic", index, NULL };
	const char *read[] = { "tpm2_nvread", index, "-C", "o",
		"-o", soft_path(s, "ek.cert.nv", nv_buf, sizeof(nv_buf)), NULL };
	uint8_t *buf;
	size_t len;
	int ret;

	soft_path(s, "ek.cert", cert_buf, sizeof(cert_buf));
	unlink(cert_buf);
	if (soft_try(s, probe))
		return 0;		/* not manufactured with certificates */
	ret = soft_run(s, read);
	if (!ret)
		ret = soft_read_file(nv_buf, &buf, &len);
	if (ret)
		return ret;
	ret = len ? soft_write_file(cert_buf, buf, der_length(buf, len)) :
		    -EPROTO;
	free(buf);
	unlink(nv_buf);
	return ret;
}

int soft_ek_cert(const struct soft_ctx *s, uint8_t **cert, size_t *len)
{
	char path[4096];
	int ret;

	*cert = NULL;
	*len = 0;
	ret = soft_read_file(soft_path(s, "ek.cert", path, sizeof(path)),
			     cert, len);
	return ret == -ENOENT ? 0 : ret;
}
