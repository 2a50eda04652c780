// SPDX-License-Identifier: GPL-2.0
/*
 * test_http.c - the real hrot-verifierd on loopback: routing, JSON errors,
 * keep-alive, body limit, garbage connections, slow clients.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "srv_client.h"
#include "support_srv.h"

#define READ_TIMEOUT	2

static struct srv server;
static SSL_CTX *anon;
static SSL_CTX *op;

static int group_setup(void **state)
{
	static const char *const extra[] = { "--threads", "2",
					      "--read-timeout", "2", NULL };
	char ca[400], c[400], k[400];

	(void)state;
	if (srv_start(&server, extra))
		return -1;
	srv_path(&server, "ca.pem", ca, sizeof(ca));
	anon = cli_ctx(ca, NULL, NULL, TLS1_3_VERSION, TLS1_3_VERSION);
	op = cli_ctx(ca, srv_path(&server, "operator.pem", c, sizeof(c)),
		     srv_path(&server, "operator.key", k, sizeof(k)),
		     TLS1_3_VERSION, TLS1_3_VERSION);
	return anon && op ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	SSL_CTX_free(anon);
	SSL_CTX_free(op);
	/* exit status 0: a clean shutdown */
	return srv_stop(&server) == 0 ? 0 : -1;
}

static void test_routing_errors(void **state)
{
	char body[1024];

	(void)state;
	assert_int_equal(cli_once(anon, server.port, "GET", "/nowhere", NULL,
				  body, sizeof(body)), 404);
	assert_non_null(strstr(body, "\"error\":\"not_found\""));
	assert_non_null(strstr(body, "\"detail\":"));
	assert_int_equal(cli_once(anon, server.port, "GET", "/v1/register", NULL,
				  body, sizeof(body)), 405);
	assert_int_equal(cli_once(anon, server.port, "POST", "/v1/challenge",
				  "{not json", body, sizeof(body)), 400);
	assert_non_null(strstr(body, "\"error\":\"bad_request\""));
	assert_int_equal(cli_once(anon, server.port, "POST", "/v1/challenge",
				  "{\"device\": 7}", body, sizeof(body)), 400);
	assert_non_null(strstr(body, "device"));
	assert_int_equal(cli_once(anon, server.port, "POST", "/v1/register",
				  "{}", body, sizeof(body)), 400);
}

static void test_unknown_device(void **state)
{
	char req[256], body[1024];

	(void)state;
	snprintf(req, sizeof(req), "{\"device\": \"000b%064d\"}", 0);
	assert_int_equal(cli_once(anon, server.port, "POST", "/v1/challenge",
				  req, body, sizeof(body)), 403);
	assert_non_null(strstr(body, "\"error\":\"device_unknown\""));
	assert_int_equal(cli_once(op, server.port, "GET",
				  "/v1/admin/devices/000b00", NULL, body,
				  sizeof(body)), 400);
	assert_int_equal(cli_once(op, server.port, "POST",
				  "/v1/admin/policies",
				  "{\"name\": \"p\", \"version\": \"1\", "
				  "\"entries\": [{\"component\": \"x\", "
				  "\"sha256_hex\": \"zz\"}]}", body,
				  sizeof(body)), 400);
	assert_non_null(strstr(body, "sha256_hex"));
}

static void test_keep_alive(void **state)
{
	struct cli c;
	int i;

	(void)state;
	assert_int_equal(cli_connect(&c, anon, server.port), 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(cli_request(&c, "GET", "/v1/revocations", NULL,
					     NULL, 0), 200);
	cli_close(&c);
}

/* Content-Length over the limit: 413 before the body is sent. */
static void test_body_too_large(void **state)
{
	static const char req[] = "POST /v1/register HTTP/1.1\r\n"
				  "Host: localhost\r\n"
				  "Content-Type: application/json\r\n"
				  "Content-Length: 2097152\r\n\r\n";
	struct cli c;

	(void)state;
	assert_int_equal(cli_connect(&c, anon, server.port), 0);
	assert_int_equal(cli_write(&c, req, sizeof(req) - 1), 0);
	assert_int_equal(cli_response(&c, NULL, 0), 413);
	cli_close(&c);
}

static void garbage_tcp(unsigned int port, unsigned int seed)
{
	unsigned char junk[512];
	int fd = cli_tcp(port, 2);
	size_t i;

	if (fd < 0)
		return;
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)((size_t)seed * 131 + i * 7);
	if (write(fd, junk, sizeof(junk)) < 0)
		fprintf(stderr, "garbage write failed\n");
	close(fd);
}

static void garbage_http(unsigned int port)
{
	static const char junk[] = "GARBAGE / HTTP/9.9\r\n\x01\x02\r\n\r\n";
	struct cli c;

	if (cli_connect(&c, anon, port))
		return;
	cli_write(&c, junk, sizeof(junk) - 1);
	cli_response(&c, NULL, 0);
	cli_close(&c);
}

static void test_garbage_connections(void **state)
{
	char body[256];
	unsigned int i;

	(void)state;
	for (i = 0; i < 50; i++) {
		if (i % 2)
			garbage_tcp(server.port, i);
		else
			garbage_http(server.port);
	}
	assert_int_equal(cli_once(anon, server.port, "GET", "/v1/revocations",
				  NULL, body, sizeof(body)), 200);
	assert_int_equal(cli_once(op, server.port, "GET", "/v1/admin/devices",
				  NULL, body, sizeof(body)), 200);
}

/* Half a request, then silence: closed after the read timeout. */
static void test_slow_client(void **state)
{
	static const char half[] = "POST /v1/challenge HTTP/1.1\r\n"
				   "Host: localhost\r\nContent-Length: 100\r\n"
				   "\r\n{\"dev";
	struct timespec t0, t1;
	struct cli c;
	double waited;

	(void)state;
	assert_int_equal(cli_connect(&c, anon, server.port), 0);
	assert_int_equal(cli_write(&c, half, sizeof(half) - 1), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* the client's own receive timeout is 8 s: the server must act first */
	assert_int_equal(cli_response(&c, NULL, 0), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	waited = (double)(t1.tv_sec - t0.tv_sec) +
		 (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(waited >= READ_TIMEOUT - 0.5);
	assert_true(waited < 7.0);
	cli_close(&c);
	/* and the server still answers others */
	assert_int_equal(cli_once(anon, server.port, "GET", "/v1/revocations",
				  NULL, NULL, 0), 200);
}

static void test_metrics_count_requests(void **state)
{
	static char body[1 << 15];
	const char *count;

	(void)state;
	assert_int_equal(cli_once(op, server.port, "GET", "/metrics", NULL,
				  body, sizeof(body)), 200);
	assert_non_null(strstr(body, "hrot_request_duration_seconds_bucket{le=\"0.001\"}"));
	assert_non_null(strstr(body, "hrot_commit_batches_total"));
	assert_non_null(strstr(body, "hrot_nonces_outstanding 0"));
	count = strstr(body, "hrot_request_duration_seconds_count ");
	assert_non_null(count);
	/* the requests of the tests before this one */
	assert_true(strtoul(count + 36, NULL, 10) >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routing_errors),
		cmocka_unit_test(test_unknown_device),
		cmocka_unit_test(test_keep_alive),
		cmocka_unit_test(test_body_too_large),
		cmocka_unit_test(test_garbage_connections),
		cmocka_unit_test(test_slow_client),
		cmocka_unit_test(test_metrics_count_requests),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
