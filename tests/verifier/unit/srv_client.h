/* SPDX-License-Identifier: GPL-2.0 */
/*
 * srv_client.h - a small OpenSSL HTTPS client for the server tests
 * (test_tls.c, test_http.c).  Header-only on purpose: support_*.c objects
 * are linked into every verifier unit test, some of which do not link
 * libssl.  Every socket has a receive timeout, so no test can hang.
 */
#ifndef HROT_TEST_SRV_CLIENT_H
#define HROT_TEST_SRV_CLIENT_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

struct cli {
	int fd;
	SSL *ssl;
};

/* A client context trusting @ca; a client certificate when @cert. */
static inline SSL_CTX *cli_ctx(const char *ca, const char *cert,
			       const char *key, int min_version,
			       int max_version)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, min_version);
	SSL_CTX_set_max_proto_version(ctx, max_version);
	if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1 ||
	    (cert && (SSL_CTX_use_certificate_file(ctx, cert,
						   SSL_FILETYPE_PEM) != 1 ||
		      SSL_CTX_use_PrivateKey_file(ctx, key,
						  SSL_FILETYPE_PEM) != 1))) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	return ctx;
}

/* A TCP connection to 127.0.0.1:@port with @timeout_s receive timeout. */
static inline int cli_tcp(unsigned int port, int timeout_s)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port) };
	struct timeval tv = { timeout_s, 0 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static inline void cli_close(struct cli *c)
{
	if (c->ssl) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	if (c->fd >= 0)
		close(c->fd);
	c->ssl = NULL;
	c->fd = -1;
}

/* TLS handshake: 0, or -1 (connection closed again). */
static inline int cli_connect(struct cli *c, SSL_CTX *ctx, unsigned int port)
{
	c->ssl = NULL;
	c->fd = cli_tcp(port, 8);
	if (c->fd < 0)
		return -1;
	c->ssl = SSL_new(ctx);
	if (!c->ssl || !SSL_set_fd(c->ssl, c->fd) ||
	    !SSL_set_tlsext_host_name(c->ssl, "localhost") ||
	    SSL_connect(c->ssl) != 1) {
		ERR_clear_error();
		cli_close(c);
		return -1;
	}
	return 0;
}

static inline int cli_write(struct cli *c, const void *buf, size_t len)
{
	return SSL_write(c->ssl, buf, (int)len) == (int)len ? 0 : -1;
}

/* Status and body length of a complete header block: 0 or -1. */
static inline int cli_parse_head(const char *buf, int *status, size_t *need)
{
	const char *cl = strcasestr(buf, "\r\nContent-Length:");
	char *end;
	long st;

	if (strncmp(buf, "HTTP/1.", 7) != 0 || strlen(buf) < 12)
		return -1;
	st = strtol(buf + 9, &end, 10);
	if (end != buf + 12 || st < 100 || st > 599)
		return -1;
	*status = (int)st;
	*need = cl ? strtoul(cl + 17, NULL, 10) : 0;
	return 0;
}

static inline int cli_read_more(struct cli *c, char *buf, size_t size,
				size_t *have)
{
	int n;

	if (*have >= size - 1)
		return -1;
	n = SSL_read(c->ssl, buf + *have, (int)(size - 1 - *have));
	if (n <= 0) {
		ERR_clear_error();
		return -1;
	}
	*have += (size_t)n;
	buf[*have] = '\0';
	return 0;
}

/*
 * Read one response: its status, or -1 when the connection ended first.
 * The body (up to @size - 1 bytes, NUL-terminated) into @body if not NULL.
 */
static inline int cli_response(struct cli *c, char *body, size_t size)
{
	static char buf[1 << 16];
	size_t have = 0, need = 0, hdr_len = 0;
	int status = -1;
	char *end;

	buf[0] = '\0';
	while (!(end = strstr(buf, "\r\n\r\n")))
		if (cli_read_more(c, buf, sizeof(buf), &have))
			return -1;
	hdr_len = (size_t)(end - buf) + 4;
	if (cli_parse_head(buf, &status, &need))
		return -1;
	while (have < hdr_len + need)
		if (cli_read_more(c, buf, sizeof(buf), &have))
			return -1;
	if (body) {
		size_t len = need < size - 1 ? need : size - 1;

		memcpy(body, buf + hdr_len, len);
		body[len] = '\0';
	}
	return status;
}

/* One request on @c: the status, or -1. */
static inline int cli_request(struct cli *c, const char *method,
			      const char *path, const char *json, char *body,
			      size_t size)
{
	char req[4096];
	int n = snprintf(req, sizeof(req),
			 "%s %s HTTP/1.1\r\nHost: localhost\r\n"
			 "Content-Type: application/json\r\n"
			 "Content-Length: %zu\r\n\r\n%s",
			 method, path, json ? strlen(json) : 0,
			 json ? json : "");

	if (n < 0 || (size_t)n >= sizeof(req) || cli_write(c, req, (size_t)n))
		return -1;
	return cli_response(c, body, size);
}

/* Connect, one request, close: the status, or -1. */
static inline int cli_once(SSL_CTX *ctx, unsigned int port,
			   const char *method, const char *path,
			   const char *json, char *body, size_t size)
{
	struct cli c;
	int status;

	if (cli_connect(&c, ctx, port))
		return -1;
	status = cli_request(&c, method, path, json, body, size);
	cli_close(&c);
	return status;
}

#endif /* HROT_TEST_SRV_CLIENT_H */
