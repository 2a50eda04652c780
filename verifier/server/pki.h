/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pki.h - the verifier's keys and certificates (Documentation/verifier.md,
 * "First start").
 *
 * pki_init() makes what is missing in the state directory, never replaces
 * what is there: ca.pem/ca.key (ECDSA P-256, 10 years, CA:TRUE),
 * server.pem/server.key (serverAuth, SANs: --hostname names, localhost,
 * 127.0.0.1, ::1), token.key/token.pub.pem (signs tokens and metadata),
 * operator.pem/operator.key (OU=operator, clientAuth).  Every file is 0600,
 * written to a temporary name and renamed, in a 0700 directory.
 *
 * With --ca (bring your own PKI) no CA and no operator certificate are
 * made; --cert/--key replace server.pem/server.key.
 */
#ifndef HROT_VERIFIER_PKI_H
#define HROT_VERIFIER_PKI_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "config.h"

#define PKI_OU_OPERATOR	"operator"
#define PKI_OU_AGENT	"agent"
#define PKI_AGENT_DAYS	365

struct pki {
	X509 *ca;		/* issuer of agent certificates, or NULL */
	EVP_PKEY *ca_key;	/* NULL with a CA of the operator's own */
	EVP_PKEY *token_key;	/* ECDSA P-256 */
	char server_cert[CONFIG_PATH_MAX];
	char server_key[CONFIG_PATH_MAX];
	char client_ca[CONFIG_PATH_MAX];	/* verifies client certificates */
};

/* 0, or -1 after logging what failed. */
int pki_init(const struct config *cfg, struct pki *p);
void pki_free(struct pki *p);

/*
 * pki_issue_agent_cert() - an OU=agent client certificate for the key of
 * a PEM certificate request, CN = @cn (the device id in hex)
 * @pem:  receives a malloc'ed NUL-terminated PEM certificate
 * @err:  what was wrong with the request
 *
 * The request's subject is ignored: the verifier names the agent.  Return
 * 0, -EINVAL (bad request: its signature, its key type), -EOPNOTSUPP (no
 * CA key to sign with), -ENOMEM / -EIO.
 */
int pki_issue_agent_cert(const struct pki *p, const char *csr_pem,
			 const char *cn, char **pem, char *err,
			 size_t err_size);

/* Write @len bytes as @dir/@name, mode 0600, atomically: 0 or -errno. */
int pki_write_private_file(const char *dir, const char *name,
			   const void *buf, size_t len);

#endif /* HROT_VERIFIER_PKI_H */
