// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin init: nothing is created and nothing is sent.  The verifier
 * makes its PKI at its first start (Documentation/verifier.md, "First
 * start"); this reports what is there, with the fingerprints an operator
 * compares out of band, or says how to get there.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "admin.h"

static const struct option init_options[] = {
	{ "state", required_argument, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};

int cmd_init_parse(int argc, char **argv, const struct admin_opts *o,
		   struct admin_request *req, char *err, size_t err_size)
{
	const char *values[1] = { NULL };
	const char *state;
	char **words;
	int nwords, ret;

	ret = admin_getopt("init", argc, argv, init_options, values, &words,
			   &nwords, err, err_size);
	if (ret)
		return ret;
	if (nwords)
		return admin_err(err, err_size, ADMIN_USAGE,
				 "init: unexpected argument '%s' (usage: init [--state DIR])",
				 words[0]);
	state = values[0] ? values[0] : o->state;
	if (!*state || strlen(state) + 32 >= sizeof(req->init_state))
		return admin_err(err, err_size, ADMIN_USAGE,
				 "init: --state: want a directory name");
	snprintf(req->init_state, sizeof(req->init_state), "%s", state);
	snprintf(req->what, sizeof(req->what), "init");
	req->local_init = true;
	return ADMIN_OK;
}

/* SHA-256 of DER bytes as "AB:CD:..." (openssl x509 -fingerprint) or hex. */
static int sha256_text(const unsigned char *der, int len, bool colons,
		       char *out, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen, i;
	size_t o = 0;

	if (len <= 0 || !EVP_Digest(der, (size_t)len, md, &mdlen, EVP_sha256(), NULL))
		return -EIO;
	for (i = 0; i < mdlen && o + 4 <= n; i++)
		o += (size_t)snprintf(out + o, n - o, colons ? "%s%02X" : "%s%02x",
				      colons && i ? ":" : "", md[i]);
	return 0;
}

static int cert_fingerprint(const char *path, char *out, size_t n,
			    char *subject, size_t subject_size)
{
	unsigned char *der = NULL;
	FILE *f = fopen(path, "re");
	X509 *x;
	int len, ret;

	if (!f)
		return -errno;
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!x)
		return -EBADMSG;
	X509_NAME_oneline(X509_get_subject_name(x), subject, (int)subject_size);
	len = i2d_X509(x, &der);
	ret = sha256_text(der, len, true, out, n);
	OPENSSL_free(der);
	X509_free(x);
	return ret;
}

static int pubkey_fingerprint(const char *path, char *out, size_t n)
{
	unsigned char *der = NULL;
	FILE *f = fopen(path, "re");
	EVP_PKEY *k;
	int len, ret;

	if (!f)
		return -errno;
	k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (!k)
		return -EBADMSG;
	len = i2d_PUBKEY(k, &der);
	ret = sha256_text(der, len, false, out, n);
	OPENSSL_free(der);
	EVP_PKEY_free(k);
	return ret;
}

static int not_started(const char *state, const char *missing, char *err,
		       size_t err_size)
{
	return admin_err(err, err_size, ADMIN_FAIL,
			 "init: %s%s%s: not there: the verifier has not started with this state directory yet; "
			 "start it once (hrot-verifierd --state %s, or systemctl start hrot-verifierd): "
			 "its first start creates ca.pem, operator.pem, operator.key and token.pub.pem there",
			 state, *missing ? "/" : "", missing, state);
}

static int report_cert(FILE *out, const char *state, const char *name,
		       const char *label, char *err, size_t err_size)
{
	char path[ADMIN_PATH_MAX], fp[128] = "", subject[256] = "";
	int ret;

	snprintf(path, sizeof(path), "%s/%s", state, name);
	ret = cert_fingerprint(path, fp, sizeof(fp), subject, sizeof(subject));
	if (ret == -ENOENT)
		return not_started(state, name, err, err_size);
	if (ret)
		return admin_err(err, err_size, ADMIN_FAIL, "init: %s: %s", path,
				 ret == -EBADMSG ? "not a PEM certificate" : strerror(-ret));
	fprintf(out, "%-18s %s\n%-18s %s\n%-18s %s\n", label, path,
		"  subject", subject, "  SHA-256", fp);
	return ADMIN_OK;
}

static int report_key(FILE *out, const char *state, char *err,
		      size_t err_size)
{
	char path[ADMIN_PATH_MAX];

	snprintf(path, sizeof(path), "%s/operator.key", state);
	if (access(path, F_OK))
		return not_started(state, "operator.key", err, err_size);
	fprintf(out, "%-18s %s (%s)\n", "operator key", path,
		access(path, R_OK) ? "not readable by this user: run as its owner, or copy it with the certificate" :
		"readable");
	return ADMIN_OK;
}

static int report_token_key(FILE *out, const char *state, char *err,
			    size_t err_size)
{
	char path[ADMIN_PATH_MAX], fp[128] = "";
	int ret;

	snprintf(path, sizeof(path), "%s/token.pub.pem", state);
	ret = pubkey_fingerprint(path, fp, sizeof(fp));
	if (ret == -ENOENT)
		return not_started(state, "token.pub.pem", err, err_size);
	if (ret)
		return admin_err(err, err_size, ADMIN_FAIL, "init: %s: %s", path,
				 ret == -EBADMSG ? "not a PEM public key" : strerror(-ret));
	fprintf(out, "%-18s %s\n%-18s %s\n", "token key", path,
		"  SHA-256 (SPKI)", fp);
	return ADMIN_OK;
}

int cmd_init_run(const char *state, FILE *out, char *err, size_t err_size)
{
	int ret;

	if (access(state, F_OK))
		return not_started(state, "", err, err_size);
	fprintf(out, "%-18s %s\n", "state directory", state);
	ret = report_cert(out, state, "ca.pem", "CA certificate", err, err_size);
	if (!ret)
		ret = report_cert(out, state, "operator.pem", "operator cert", err,
				  err_size);
	if (!ret)
		ret = report_key(out, state, err, err_size);
	if (!ret)
		ret = report_token_key(out, state, err, err_size);
	if (!ret)
		fprintf(out, "\nCompare the CA fingerprint with the one devices and agents are given.\n"
			"Then: hrot-admin --state %s device list\n", state);
	return ret;
}
