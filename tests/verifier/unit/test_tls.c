// SPDX-License-Identifier: GPL-2.0
/*
 * test_tls.c - the real hrot-verifierd on loopback: TLS 1.3 only, client
 * certificates and their roles.  OpenSSL client code, plus the openssl
 * s_client CLI as an independent check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "pki.h"
#include "srv_client.h"
#include "support_srv.h"

static struct srv server;

static int group_setup(void **state)
{
	static const char *const extra[] = { "--threads", "2", NULL };

	(void)state;
	return srv_start(&server, extra);
}

static int group_teardown(void **state)
{
	(void)state;
	return srv_stop(&server) == 0 ? 0 : -1;
}

static SSL_CTX *ctx_with(const char *cert, const char *key, int min, int max)
{
	char ca[400], c[400], k[400];

	return cli_ctx(srv_path(&server, "ca.pem", ca, sizeof(ca)),
		       cert ? srv_path(&server, cert, c, sizeof(c)) : NULL,
		       key ? srv_path(&server, key, k, sizeof(k)) : NULL,
		       min, max);
}

static void test_tls13_works(void **state)
{
	SSL_CTX *ctx = ctx_with(NULL, NULL, TLS1_3_VERSION, TLS1_3_VERSION);
	char body[512];
	struct cli c;

	(void)state;
	assert_non_null(ctx);
	assert_int_equal(cli_connect(&c, ctx, server.port), 0);
	assert_int_equal(SSL_version(c.ssl), TLS1_3_VERSION);
	assert_int_equal(cli_request(&c, "GET", "/v1/revocations", NULL, body,
				     sizeof(body)), 200);
	assert_non_null(strstr(body, "\"devices\""));
	cli_close(&c);
	SSL_CTX_free(ctx);
}

static void test_tls12_refused(void **state)
{
	SSL_CTX *ctx = ctx_with(NULL, NULL, TLS1_VERSION, TLS1_2_VERSION);
	struct cli c;

	(void)state;
	assert_non_null(ctx);
	assert_int_equal(cli_connect(&c, ctx, server.port), -1);
	SSL_CTX_free(ctx);
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd); /* NOLINT(cert-env33-c): the CLI is the oracle */
}

/* The openssl CLI as an independent client. */
static void test_s_client(void **state)
{
	char ca[400];

	(void)state;
	srv_path(&server, "ca.pem", ca, sizeof(ca));
	assert_int_not_equal(run("timeout 10 openssl s_client -connect "
				 "127.0.0.1:%u -tls1_2 -CAfile %s </dev/null "
				 ">/dev/null 2>&1", server.port, ca), 0);
	assert_int_equal(run("timeout 10 openssl s_client -connect 127.0.0.1:%u "
			     "-tls1_3 -CAfile %s -verify_return_error "
			     "</dev/null 2>/dev/null | grep -q 'TLSv1.3'",
			     server.port, ca), 0);
}

static void test_operator_role(void **state)
{
	SSL_CTX *op = ctx_with("operator.pem", "operator.key", TLS1_3_VERSION,
			       TLS1_3_VERSION);
	SSL_CTX *anon = ctx_with(NULL, NULL, TLS1_3_VERSION, TLS1_3_VERSION);
	char body[512];

	(void)state;
	assert_non_null(op);
	assert_non_null(anon);
	assert_int_equal(cli_once(anon, server.port, "GET", "/v1/admin/devices",
				  NULL, body, sizeof(body)), 401);
	assert_non_null(strstr(body, "\"error\":\"unauthorized\""));
	assert_int_equal(cli_once(op, server.port, "GET", "/v1/admin/devices",
				  NULL, body, sizeof(body)), 200);
	assert_non_null(strstr(body, "\"devices\""));
	/* /metrics is the operator's too */
	assert_int_equal(cli_once(anon, server.port, "GET", "/metrics", NULL,
				  NULL, 0), 401);
	assert_int_equal(cli_once(op, server.port, "GET", "/metrics", NULL,
				  body, sizeof(body)), 200);
	assert_non_null(strstr(body, "hrot_attestations_total"));
	SSL_CTX_free(op);
	SSL_CTX_free(anon);
}

/* A certificate from another CA: the handshake fails, nothing answers. */
static void test_foreign_ca_refused(void **state)
{
	char a0[] = "x", a1[] = "--config", a2[] = "/dev/null";
	char *argv[] = { a0, a1, a2, NULL };
	char ca[400], cert[600], key[600];
	struct config cfg;
	struct pki other;
	SSL_CTX *ctx;
	struct cli c;
	int status = -1;

	(void)state;
	assert_int_equal(config_load(&cfg, 3, argv), 0);
	snprintf(cfg.state_dir, sizeof(cfg.state_dir), "%s/other", server.dir);
	assert_int_equal(pki_init(&cfg, &other), 0);
	pki_free(&other);
	snprintf(cert, sizeof(cert), "%s/other/operator.pem", server.dir);
	snprintf(key, sizeof(key), "%s/other/operator.key", server.dir);
	ctx = cli_ctx(srv_path(&server, "ca.pem", ca, sizeof(ca)), cert, key,
		      TLS1_3_VERSION, TLS1_3_VERSION);
	assert_non_null(ctx);
	/* TLS 1.3: the server's refusal arrives after the client finished */
	if (cli_connect(&c, ctx, server.port) == 0) {
		status = cli_request(&c, "GET", "/v1/admin/devices", NULL,
				     NULL, 0);
		cli_close(&c);
	}
	assert_int_equal(status, -1);
	SSL_CTX_free(ctx);
}

/* An agent certificate is not an operator's. */
static void test_agent_role_not_operator(void **state)
{
	char a0[] = "x", a1[] = "--config", a2[] = "/dev/null";
	char *argv[] = { a0, a1, a2, NULL };
	char ca[400], path[700], cert[700], err[160], *csr = NULL, *pem = NULL;
	struct config cfg;
	struct pki p;
	SSL_CTX *ctx;
	FILE *fp;
	long len;

	(void)state;
	assert_int_equal(config_load(&cfg, 3, argv), 0);
	snprintf(cfg.state_dir, sizeof(cfg.state_dir), "%s", server.state);
	assert_int_equal(pki_init(&cfg, &p), 0);	/* loads, makes nothing */
	assert_int_equal(run("cd %s && openssl req -new -newkey ec -pkeyopt "
			     "ec_paramgen_curve:P-256 -nodes -keyout agent.key "
			     "-subj /CN=a -out agent.csr 2>/dev/null",
			     server.dir), 0);
	snprintf(path, sizeof(path), "%s/agent.csr", server.dir);
	fp = fopen(path, "r");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	csr = calloc(1, (size_t)len + 1);
	assert_non_null(csr);
	assert_int_equal(fread(csr, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	assert_int_equal(pki_issue_agent_cert(&p, csr, "agent", &pem, err,
					      sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/agent.pem", server.dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(pem, fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/agent.key", server.dir);
	snprintf(cert, sizeof(cert), "%s/agent.pem", server.dir);
	ctx = cli_ctx(srv_path(&server, "ca.pem", ca, sizeof(ca)), cert, path,
		      TLS1_3_VERSION, TLS1_3_VERSION);
	assert_non_null(ctx);
	/* the handshake succeeds (device endpoints), admin does not */
	assert_int_equal(cli_once(ctx, server.port, "GET", "/v1/revocations",
				  NULL, NULL, 0), 200);
	assert_int_equal(cli_once(ctx, server.port, "GET", "/v1/admin/devices",
				  NULL, NULL, 0), 401);
	SSL_CTX_free(ctx);
	free(csr);
	free(pem);
	pki_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tls13_works),
		cmocka_unit_test(test_tls12_refused),
		cmocka_unit_test(test_s_client),
		cmocka_unit_test(test_operator_role),
		cmocka_unit_test(test_foreign_ca_refused),
		cmocka_unit_test(test_agent_role_not_operator),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
