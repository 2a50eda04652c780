// SPDX-License-Identifier: GPL-2.0
/*
 * tls.c - the TLS 1.3 server context and client-certificate roles.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "log.h"
#include "pki.h"
#include "tls.h"

const char *tls_last_error(char *buf, size_t size)
{
	unsigned long e = ERR_peek_last_error();

	if (e)
		ERR_error_string_n(e, buf, size);
	else
		snprintf(buf, size, "unknown error");
	ERR_clear_error();
	return buf;
}

static int load_client_ca(SSL_CTX *ctx, const char *client_ca)
{
	STACK_OF(X509_NAME) *names;

	if (!SSL_CTX_load_verify_locations(ctx, client_ca, NULL))
		return -1;
	/* tell clients which CA to pick a certificate for */
	names = SSL_load_client_CA_file(client_ca);
	if (!names)
		return -1;
	SSL_CTX_set_client_CA_list(ctx, names);
	return 0;
}

SSL_CTX *tls_server_ctx_new(const char *cert, const char *key,
			    const char *client_ca)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	char err[256];

	if (!ctx)
		goto fail;
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION))
		goto fail;
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1)
		goto fail;
	if (load_client_ca(ctx, client_ca))
		goto fail;
	/* requested, optional; one that is sent must verify */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_verify_depth(ctx, 4);
	/* no session tickets: each connection proves its certificate anew */
	SSL_CTX_set_num_tickets(ctx, 0);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	return ctx;
fail:
	log_err("TLS context (%s, %s, %s): %s", cert, key, client_ca,
		tls_last_error(err, sizeof(err)));
	SSL_CTX_free(ctx);
	return NULL;
}

static bool has_client_auth(X509 *peer)
{
	uint32_t xku = X509_get_extended_key_usage(peer);

	return (xku & XKU_SSL_CLIENT) != 0;
}

enum tls_role tls_peer_role(SSL *ssl)
{
	X509 *peer = ssl ? SSL_get0_peer_certificate(ssl) : NULL;
	char ou[64];
	int len;

	if (!peer || SSL_get_verify_result(ssl) != X509_V_OK ||
	    !has_client_auth(peer))
		return TLS_ROLE_NONE;
	len = X509_NAME_get_text_by_NID(X509_get_subject_name(peer),
					NID_organizationalUnitName, ou,
					sizeof(ou));
	if (len <= 0 || (size_t)len >= sizeof(ou))
		return TLS_ROLE_NONE;
	if (strcmp(ou, PKI_OU_OPERATOR) == 0)
		return TLS_ROLE_OPERATOR;
	if (strcmp(ou, PKI_OU_AGENT) == 0)
		return TLS_ROLE_AGENT;
	return TLS_ROLE_NONE;
}

const char *tls_role_name(enum tls_role role)
{
	switch (role) {
	case TLS_ROLE_OPERATOR:
		return "operator";
	case TLS_ROLE_AGENT:
		return "agent";
	default:
		return "none";
	}
}
