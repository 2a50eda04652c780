/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tls.h - the server's TLS context and the role of a client certificate.
 *
 * TLS 1.3 only.  A client certificate is requested but optional (devices
 * in the initramfs have none); when one is sent it must chain to the
 * client CA or the handshake fails.  Its role is its subject's OU.
 */
#ifndef HROT_VERIFIER_TLS_H
#define HROT_VERIFIER_TLS_H

#include <openssl/ssl.h>

enum tls_role {
	TLS_ROLE_NONE = 0,	/* no (verified) client certificate */
	TLS_ROLE_AGENT,		/* OU=agent */
	TLS_ROLE_OPERATOR,	/* OU=operator */
};

/* NULL after logging the OpenSSL error. */
SSL_CTX *tls_server_ctx_new(const char *cert, const char *key,
			    const char *client_ca);

/* The role of @ssl's verified peer certificate. */
enum tls_role tls_peer_role(SSL *ssl);
const char *tls_role_name(enum tls_role role);

/* One line of OpenSSL's error queue (emptied) for a log message. */
const char *tls_last_error(char *buf, size_t size);

#endif /* HROT_VERIFIER_TLS_H */
