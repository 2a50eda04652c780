// SPDX-License-Identifier: GPL-2.0
/*
 * pki.c - first start: the CA, the server and operator certificates and
 * the token key, made with OpenSSL's X509 API; agent certificates from
 * certificate requests at activation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "log.h"
#include "pki.h"

#define PKI_CA_DAYS	3650
#define PKI_LEAF_DAYS	825

enum cert_kind { CERT_CA, CERT_SERVER, CERT_CLIENT };

/* ---- files ---- */

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int pki_write_private_file(const char *dir, const char *name,
			   const void *buf, size_t len)
{
	char tmp[CONFIG_PATH_MAX], path[CONFIG_PATH_MAX];
	int fd, ret;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = fchmod(fd, 0600) ? -errno : 0;
	if (!ret)
		ret = write_all(fd, buf, len);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -EIO;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	else
		fsync_dir(dir);
	return ret;
}

static bool file_exists(const char *dir, const char *name)
{
	char path[CONFIG_PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return false;
	return stat(path, &st) == 0;
}

/* PEM of a certificate or a private key into the 0600 file @name. */
static int save_pem(const char *dir, const char *name, X509 *cert,
		    EVP_PKEY *key, bool public_only)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long len;
	int ok, ret;

	if (!bio)
		return -ENOMEM;
	if (cert)
		ok = PEM_write_bio_X509(bio, cert);
	else if (public_only)
		ok = PEM_write_bio_PUBKEY(bio, key);
	else
		ok = PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL);
	len = BIO_get_mem_data(bio, &data);
	ret = ok && len > 0 ?
		pki_write_private_file(dir, name, data, (size_t)len) : -EIO;
	/* private keys passed through this buffer */
	if (len > 0)
		OPENSSL_cleanse(data, (size_t)len);
	BIO_free(bio);
	if (ret)
		log_err("cannot write %s/%s: %s", dir, name, strerror(-ret));
	return ret;
}

static X509 *load_cert(const char *path)
{
	BIO *bio = BIO_new_file(path, "r");
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	if (!x)
		log_err("cannot read certificate %s", path);
	return x;
}

static EVP_PKEY *load_key(const char *path)
{
	BIO *bio = BIO_new_file(path, "r");
	EVP_PKEY *k = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	if (!k)
		log_err("cannot read private key %s", path);
	return k;
}

/* ---- certificates ---- */

static EVP_PKEY *new_p256_key(void)
{
	return EVP_EC_gen("P-256");
}

static int set_random_serial(X509 *x)
{
	BIGNUM *bn = BN_new();
	ASN1_INTEGER *serial = NULL;
	int ok = bn && BN_rand(bn, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);

	if (ok)
		serial = BN_to_ASN1_INTEGER(bn, NULL);
	ok = serial && X509_set_serialNumber(x, serial);
	ASN1_INTEGER_free(serial);
	BN_free(bn);
	return ok ? 0 : -EIO;
}

static X509_NAME *make_name(const char *ou, const char *cn)
{
	X509_NAME *n = X509_NAME_new();
	int ok = n != NULL;

	ok = ok && X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8,
					      (const unsigned char *)"hrot",
					      -1, -1, 0);
	if (ok && ou)
		ok = X509_NAME_add_entry_by_txt(n, "OU", MBSTRING_UTF8,
						(const unsigned char *)ou,
						-1, -1, 0);
	ok = ok && X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
					      (const unsigned char *)cn,
					      -1, -1, 0);
	if (!ok) {
		X509_NAME_free(n);
		return NULL;
	}
	return n;
}

static int add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	int ok = ext && X509_add_ext(x, ext, -1);

	X509_EXTENSION_free(ext);
	return ok ? 0 : -EIO;
}

/* An address is named by an IP SAN: clients match an IP URL only to one. */
static bool is_ip_address(const char *name)
{
	unsigned char addr[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, name, addr) == 1 ||
	       inet_pton(AF_INET6, name, addr) == 1;
}

/* "DNS:a,IP:10.0.2.2,DNS:localhost,IP:127.0.0.1,IP:::1" */
static int server_sans(const struct config *cfg, char *buf, size_t size)
{
	size_t i, used = 0;
	int n;

	for (i = 0; i < cfg->nr_hostnames; i++) {
		n = snprintf(buf + used, size - used, "%s:%s,",
			     is_ip_address(cfg->hostnames[i]) ? "IP" : "DNS",
			     cfg->hostnames[i]);
		if (n < 0 || (size_t)n >= size - used)
			return -ENAMETOOLONG;
		used += (size_t)n;
	}
	n = snprintf(buf + used, size - used,
		     "DNS:localhost,IP:127.0.0.1,IP:::1");
	return n < 0 || (size_t)n >= size - used ? -ENAMETOOLONG : 0;
}

static int add_kind_exts(X509 *x, X509V3_CTX *ctx, enum cert_kind kind,
			 const char *sans)
{
	int ret;

	switch (kind) {
	case CERT_CA:
		ret = add_ext(x, ctx, NID_basic_constraints, "critical,CA:TRUE");
		return ret ? ret : add_ext(x, ctx, NID_key_usage,
					   "critical,keyCertSign,cRLSign");
	case CERT_SERVER:
		ret = add_ext(x, ctx, NID_ext_key_usage, "serverAuth");
		return ret ? ret : add_ext(x, ctx, NID_subject_alt_name, sans);
	case CERT_CLIENT:
	default:
		return add_ext(x, ctx, NID_ext_key_usage, "clientAuth");
	}
}

static int add_exts(X509 *x, X509 *issuer, enum cert_kind kind,
		    const char *sans)
{
	X509V3_CTX ctx;
	int ret;

	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	ret = add_kind_exts(x, &ctx, kind, sans);
	if (!ret && kind != CERT_CA)
		ret = add_ext(x, &ctx, NID_basic_constraints, "critical,CA:FALSE");
	if (!ret && kind != CERT_CA)
		ret = add_ext(x, &ctx, NID_key_usage,
			      "critical,digitalSignature");
	if (!ret)
		ret = add_ext(x, &ctx, NID_subject_key_identifier, "hash");
	if (!ret)
		ret = add_ext(x, &ctx, NID_authority_key_identifier,
			      "keyid:always");
	return ret;
}

struct cert_spec {
	enum cert_kind kind;
	const char *ou;
	const char *cn;
	int days;
	const char *sans;	/* CERT_SERVER */
};

static int fill_cert(X509 *x, EVP_PKEY *key, X509 *issuer,
		     const struct cert_spec *spec)
{
	X509_NAME *name = make_name(spec->ou, spec->cn);
	int ok = name != NULL;

	ok = ok && X509_set_version(x, 2) && !set_random_serial(x);
	ok = ok && X509_set_subject_name(x, name);
	ok = ok && X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer)
						  : name);
	ok = ok && X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	ok = ok && X509_time_adj_ex(X509_getm_notAfter(x), spec->days, 0, NULL);
	ok = ok && X509_set_pubkey(x, key);
	X509_NAME_free(name);
	return ok ? 0 : -EIO;
}

/* A certificate for @key, signed by @issuer_key (itself when no issuer). */
static X509 *make_cert(EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
		       const struct cert_spec *spec)
{
	X509 *x = X509_new();

	if (!x || fill_cert(x, key, issuer, spec) ||
	    add_exts(x, issuer, spec->kind, spec->sans) ||
	    !X509_sign(x, issuer_key, EVP_sha256())) {
		log_err("cannot make the %s certificate", spec->cn);
		X509_free(x);
		return NULL;
	}
	return x;
}

/* Make @cert_name/@key_name (a key and its certificate) when missing. */
static int ensure_cert(const char *dir, const char *cert_name,
		       const char *key_name, X509 *issuer, EVP_PKEY *issuer_key,
		       const struct cert_spec *spec)
{
	EVP_PKEY *key;
	X509 *x;
	int ret;

	if (file_exists(dir, cert_name))
		return 0;
	key = new_p256_key();
	x = key ? make_cert(key, issuer, issuer ? issuer_key : key, spec) : NULL;
	ret = x ? save_pem(dir, key_name, NULL, key, false) : -EIO;
	if (!ret)
		ret = save_pem(dir, cert_name, x, NULL, false);
	if (!ret)
		log_info("created %s/%s", dir, cert_name);
	X509_free(x);
	EVP_PKEY_free(key);
	return ret;
}

static int ensure_token_key(const char *dir)
{
	EVP_PKEY *key;
	int ret;

	if (file_exists(dir, "token.key"))
		return 0;
	key = new_p256_key();
	if (!key)
		return -EIO;
	ret = save_pem(dir, "token.key", NULL, key, false);
	if (!ret)
		ret = save_pem(dir, "token.pub.pem", NULL, key, true);
	if (!ret)
		log_info("created %s/token.key", dir);
	EVP_PKEY_free(key);
	return ret;
}

static int ensure_state_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) && errno != EEXIST) {
		log_err("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		log_err("%s is not a directory", dir);
		return -1;
	}
	if ((st.st_mode & 077) && chmod(dir, 0700)) {
		log_err("cannot make %s 0700: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* Our own CA: make it, the operator certificate, load it as issuer. */
static int own_ca(const struct config *cfg, struct pki *p)
{
	const char *dir = cfg->state_dir;
	const struct cert_spec ca_spec = { CERT_CA, NULL, "hrot verifier CA",
					   PKI_CA_DAYS, NULL };
	const struct cert_spec op_spec = { CERT_CLIENT, PKI_OU_OPERATOR,
					   "hrot operator", PKI_LEAF_DAYS, NULL };
	char path[CONFIG_PATH_MAX];

	if (ensure_cert(dir, "ca.pem", "ca.key", NULL, NULL, &ca_spec))
		return -1;
	config_state_path(cfg, "ca.pem", path, sizeof(path));
	p->ca = load_cert(path);
	config_state_path(cfg, "ca.key", path, sizeof(path));
	p->ca_key = p->ca ? load_key(path) : NULL;
	if (!p->ca_key)
		return -1;
	return ensure_cert(dir, "operator.pem", "operator.key", p->ca,
			   p->ca_key, &op_spec) ? -1 : 0;
}

static int server_cert(const struct config *cfg, struct pki *p)
{
	struct cert_spec spec = { CERT_SERVER, NULL, "hrot-verifierd",
				  PKI_LEAF_DAYS, NULL };
	char sans[CONFIG_MAX_HOSTNAMES * 262 + 64];

	if (cfg->cert[0]) {
		snprintf(p->server_cert, sizeof(p->server_cert), "%s", cfg->cert);
		snprintf(p->server_key, sizeof(p->server_key), "%s", cfg->key);
		return 0;
	}
	config_state_path(cfg, "server.pem", p->server_cert,
			  sizeof(p->server_cert));
	config_state_path(cfg, "server.key", p->server_key,
			  sizeof(p->server_key));
	if (cfg->nr_hostnames)
		spec.cn = cfg->hostnames[0];
	if (server_sans(cfg, sans, sizeof(sans)))
		return -1;
	spec.sans = sans;
	return ensure_cert(cfg->state_dir, "server.pem", "server.key", p->ca,
			   p->ca_key, &spec) ? -1 : 0;
}

int pki_init(const struct config *cfg, struct pki *p)
{
	char path[CONFIG_PATH_MAX];

	memset(p, 0, sizeof(*p));
	if (ensure_state_dir(cfg->state_dir))
		return -1;
	if (cfg->ca[0]) {
		p->ca = load_cert(cfg->ca);
		if (!p->ca)
			goto fail;
	} else if (own_ca(cfg, p)) {
		goto fail;
	}
	if (server_cert(cfg, p) || ensure_token_key(cfg->state_dir))
		goto fail;
	config_state_path(cfg, "token.key", path, sizeof(path));
	p->token_key = load_key(path);
	if (!p->token_key)
		goto fail;
	if (cfg->client_ca[0])
		snprintf(p->client_ca, sizeof(p->client_ca), "%s", cfg->client_ca);
	else if (cfg->ca[0])
		snprintf(p->client_ca, sizeof(p->client_ca), "%s", cfg->ca);
	else
		config_state_path(cfg, "ca.pem", p->client_ca,
				  sizeof(p->client_ca));
	return 0;
fail:
	pki_free(p);
	return -1;
}

void pki_free(struct pki *p)
{
	X509_free(p->ca);
	EVP_PKEY_free(p->ca_key);
	EVP_PKEY_free(p->token_key);
	p->ca = NULL;
	p->ca_key = NULL;
	p->token_key = NULL;
}

/* ---- agent certificates ---- */

/* An agent key: EC P-256/P-384 or RSA of at least 2048 bits. */
static bool agent_key_ok(EVP_PKEY *key)
{
	char group[32];
	size_t len;

	if (EVP_PKEY_is_a(key, "RSA"))
		return EVP_PKEY_get_bits(key) >= 2048;
	if (!EVP_PKEY_is_a(key, "EC") ||
	    !EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof(group),
					    &len))
		return false;
	return !strcmp(group, "prime256v1") || !strcmp(group, "secp384r1");
}

static X509_REQ *parse_csr(const char *csr_pem, EVP_PKEY **key, char *err,
			   size_t err_size)
{
	BIO *bio = BIO_new_mem_buf(csr_pem, -1);
	X509_REQ *req = bio ? PEM_read_bio_X509_REQ(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	*key = req ? X509_REQ_get_pubkey(req) : NULL;
	if (!*key) {
		snprintf(err, err_size, "csr: not a PEM certificate request");
	} else if (X509_REQ_verify(req, *key) != 1) {
		snprintf(err, err_size, "csr: its signature does not verify");
	} else if (!agent_key_ok(*key)) {
		snprintf(err, err_size,
			 "csr: key must be EC P-256/P-384 or RSA >= 2048");
	} else {
		return req;
	}
	ERR_clear_error();
	EVP_PKEY_free(*key);
	*key = NULL;
	X509_REQ_free(req);
	return NULL;
}

static int cert_to_pem(X509 *x, char **pem)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	int ret = -EIO;

	if (bio && PEM_write_bio_X509(bio, x)) {
		long len = BIO_get_mem_data(bio, &data);
		*pem = len > 0 ? strndup(data, (size_t)len) : NULL;
		ret = *pem ? 0 : -ENOMEM;
	}
	BIO_free(bio);
	return ret;
}

int pki_issue_agent_cert(const struct pki *p, const char *csr_pem,
			 const char *cn, char **pem, char *err,
			 size_t err_size)
{
	const struct cert_spec spec = { CERT_CLIENT, PKI_OU_AGENT, cn,
					PKI_AGENT_DAYS, NULL };
	EVP_PKEY *key;
	X509_REQ *req;
	X509 *x;
	int ret;

	*pem = NULL;
	if (!p->ca || !p->ca_key) {
		snprintf(err, err_size, "no CA key to issue agent certificates");
		return -EOPNOTSUPP;
	}
	req = parse_csr(csr_pem, &key, err, err_size);
	if (!req)
		return -EINVAL;
	x = make_cert(key, p->ca, p->ca_key, &spec);
	ret = x ? cert_to_pem(x, pem) : -EIO;
	if (ret)
		snprintf(err, err_size, "cannot issue the agent certificate");
	X509_free(x);
	X509_REQ_free(req);
	EVP_PKEY_free(key);
	return ret;
}
