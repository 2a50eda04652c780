// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the hrot-admin binary ($BUILD/bin/hrot-admin) over real
 * TLS on loopback.
 *
 * The server is `openssl s_server -HTTP`, an implementation independent
 * of ours, serving canned answers with TLS 1.3 and a required client
 * certificate; the PKI is made by the openssl CLI.  That covers mutual
 * TLS, the refusal of TLS 1.2 and of unknown CAs, error lines and exit
 * codes, and `init` (fingerprints checked against openssl's).  When
 * $BUILD/bin/hrot-verifierd is built, the last test runs hrot-admin
 * against it too; otherwise it is skipped, saying so.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "support_admin_testlog.h"
#include "support_tmpdir.h"

#define DEV_A "000b1111111111111111111111111111111111111111111111111111111111111111"
#define RUN_TIMEOUT_S	30

struct fixture {
	char *dir;		/* PKI: ca.*, server.*, operator.*, token.* */
	char *docroot;		/* what s_server serves */
	char admin[1024];
	pid_t server;
	int port;
};

struct run {
	int status;
	char *out;
	char *err;
};

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	/* NOLINTNEXTLINE(cert-env33-c): the openssl CLI is the oracle */
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

static void make_pki(const char *d)
{
	const char *ec = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";

	sh("cd '%s' && printf 'subjectAltName=IP:127.0.0.1\\n' > san.ext && "
	   "openssl req -x509 %s -keyout ca.key -out ca.pem -subj /CN=test-ca -days 2 2>/dev/null && "
	   "openssl req %s -keyout server.key -out server.csr -subj /CN=127.0.0.1 2>/dev/null && "
	   "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
	   "-extfile san.ext -out server.pem -days 2 2>/dev/null && "
	   "openssl req %s -keyout operator.key -out operator.csr -subj /OU=operator/CN=op 2>/dev/null && "
	   "openssl x509 -req -in operator.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
	   "-out operator.pem -days 2 2>/dev/null && "
	   "openssl req -x509 %s -keyout other-ca.key -out other-ca.pem -subj /CN=other -days 2 2>/dev/null && "
	   "openssl req %s -keyout rogue.key -out rogue.csr -subj /OU=operator/CN=rogue 2>/dev/null && "
	   "openssl x509 -req -in rogue.csr -CA other-ca.pem -CAkey other-ca.key -CAcreateserial "
	   "-out rogue.pem -days 2 2>/dev/null && "
	   "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out token.key && "
	   "openssl pkey -in token.key -pubout -out token.pub.pem",
	   d, ec, ec, ec, ec, ec);
}

static void serve_file(const char *docroot, const char *path,
		       const char *status, const char *type, const char *body)
{
	char *full = support_path(docroot, path);
	char *slash = strrchr(full, '/');
	FILE *f;

	*slash = '\0';
	sh("mkdir -p '%s'", full);
	*slash = '/';
	f = fopen(full, "w");
	assert_non_null(f);
	fprintf(f, "HTTP/1.0 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n%s",
		status, type, strlen(body), body);
	assert_int_equal(fclose(f), 0);
	free(full);
}

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static bool port_open(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bool ok;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* openssl s_server in the docroot; @tls is "-tls1_3" or "-tls1_2". */
static void start_server(struct fixture *f, const char *tls)
{
	char accept_arg[32], cert[512], key[512], ca[512];
	int i;

	f->port = free_port();
	snprintf(accept_arg, sizeof(accept_arg), "127.0.0.1:%d", f->port);
	snprintf(cert, sizeof(cert), "%s/server.pem", f->dir);
	snprintf(key, sizeof(key), "%s/server.key", f->dir);
	snprintf(ca, sizeof(ca), "%s/ca.pem", f->dir);
	f->server = fork();
	assert_true(f->server >= 0);
	if (f->server == 0) {
		if (chdir(f->docroot) || !freopen("/dev/null", "w", stdout) ||
		    !freopen("/dev/null", "w", stderr))
			_exit(127);
		execlp("openssl", "openssl", "s_server", "-accept", accept_arg, tls,
		       "-cert", cert, "-key", key, "-CAfile", ca, "-Verify", "1",
		       "-verify_return_error",
		       "-HTTP", "-quiet", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100 && !port_open(f->port); i++)
		sleep_ms(50);
	assert_true(port_open(f->port));
}

static void stop(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGTERM);
		waitpid(*pid, NULL, 0);
	}
	*pid = 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return s;
}

/* Run hrot-admin with @argv (NULL-terminated, without the program). */
static struct run run_admin(const struct fixture *f, const char *const *argv)
{
	char *out = support_path(f->dir, "out"), *err = support_path(f->dir, "err");
	const char *args[40];
	struct run r;
	pid_t pid;
	int i, n = 0, status = 0;

	args[n++] = f->admin;
	while (*argv && n < 39)
		args[n++] = *argv++;
	args[n] = NULL;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
			_exit(127);
		execv(f->admin, (char *const *)args);
		_exit(127);
	}
	for (i = 0; i < RUN_TIMEOUT_S * 20 && waitpid(pid, &status, WNOHANG) == 0; i++)
		sleep_ms(50);
	if (i == RUN_TIMEOUT_S * 20) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		fail_msg("hrot-admin did not finish in %d s", RUN_TIMEOUT_S);
	}
	r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	r.out = slurp(out);
	r.err = slurp(err);
	free(out);
	free(err);
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

#define ADMIN(f, ...) run_admin((f), (const char *const[]){ __VA_ARGS__, NULL })

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *build = getenv("BUILD");

	if (!f)
		return -1;
	snprintf(f->admin, sizeof(f->admin), "%s/bin/hrot-admin",
		 build ? build : "build");
	f->dir = support_tmpdir_make();
	if (!f->dir) {
		free(f);
		return -1;
	}
	f->docroot = support_path(f->dir, "www");
	if (mkdir(f->docroot, 0700)) {
		free(f->docroot);
		support_tmpdir_remove(f->dir);
		free(f);
		return -1;
	}
	make_pki(f->dir);
	serve_file(f->docroot, "v1/admin/devices", "200 OK", "application/json",
		   "{\"devices\": [{\"device\": \"" DEV_A "\", \"state\": \"pending\","
		   " \"registered_at\": 1700000000, \"last_seen\": 0}]}");
	serve_file(f->docroot, "v1/admin/policies", "404 Not Found", "application/json",
		   "{\"error\": \"not_found\", \"detail\": \"no policy store here\"}");
	serve_file(f->docroot, "v1/revocations", "500 Internal Server Error", "text/plain",
		   "backend exploded\nsecond line\n");
	serve_file(f->docroot, "metrics", "200 OK", "text/plain",
		   "hrot_attestations_total{result=\"pass\"} 3\n");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	stop(&f->server);
	free(f->docroot);
	support_tmpdir_remove(f->dir);
	free(f);
	return 0;
}

static void url_of(const struct fixture *f, char *buf, size_t n)
{
	snprintf(buf, n, "https://127.0.0.1:%d", f->port);
}

static void test_mutual_tls13(void **state)
{
	struct fixture *f = *state;
	char url[64];
	struct run r;

	start_server(f, "-tls1_3");
	url_of(f, url, sizeof(url));
	r = ADMIN(f, "--verifier", url, "--state", f->dir, "device", "list");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_non_null(strstr(r.out, "DEVICE"));
	assert_non_null(strstr(r.out, DEV_A "  pending"));
	assert_non_null(strstr(r.out, "2023-11-14 22:13:20Z"));
	run_free(&r);

	r = ADMIN(f, "--json", "--verifier", url, "--state", f->dir, "device", "list");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"devices\":["));
	assert_non_null(strstr(r.out, "\"registered_at\":1700000000"));
	run_free(&r);

	r = ADMIN(f, "--verifier", url, "--state", f->dir, "metrics");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "hrot_attestations_total{result=\"pass\"} 3\n");
	run_free(&r);
	stop(&f->server);
}

static void test_error_lines(void **state)
{
	struct fixture *f = *state;
	char url[64];
	struct run r;

	start_server(f, "-tls1_3");
	url_of(f, url, sizeof(url));
	r = ADMIN(f, "--verifier", url, "--state", f->dir, "policy", "list");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err,
			    "hrot-admin: list policies: not_found: no policy store here\n");
	run_free(&r);

	/* not the protocol's error object: the status and the first line */
	r = ADMIN(f, "--verifier", url, "--state", f->dir, "revocations");
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err,
			    "hrot-admin: read the revocation list: http_500: backend exploded\n");
	run_free(&r);

	/* a usage error is exit 2 and sends nothing */
	r = ADMIN(f, "--verifier", url, "--state", f->dir, "device", "show", "nope");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "'nope' is not a device id"));
	run_free(&r);
	stop(&f->server);
}

static void test_refusals(void **state)
{
	struct fixture *f = *state;
	char url[64], ca[512], rogue[512], rogue_key[512], missing[512];
	struct run r;

	snprintf(ca, sizeof(ca), "%s/other-ca.pem", f->dir);
	snprintf(rogue, sizeof(rogue), "%s/rogue.pem", f->dir);
	snprintf(rogue_key, sizeof(rogue_key), "%s/rogue.key", f->dir);
	snprintf(missing, sizeof(missing), "%s/none.key", f->dir);

	/* TLS 1.2 only: hrot-admin does not go below 1.3 */
	start_server(f, "-tls1_2");
	url_of(f, url, sizeof(url));
	r = ADMIN(f, "--verifier", url, "--state", f->dir, "device", "list");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "hrot-admin: list devices: transport: https://127.0.0.1:"));
	assert_string_equal(r.out, "");
	run_free(&r);
	stop(&f->server);

	start_server(f, "-tls1_3");
	url_of(f, url, sizeof(url));
	/* a server certificate from a CA we were not told to trust */
	r = ADMIN(f, "--verifier", url, "--state", f->dir, "--ca", ca, "device", "list");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "list devices: transport:"));
	run_free(&r);
	/* an operator certificate the server's CA did not sign */
	r = ADMIN(f, "--verifier", url, "--state", f->dir, "--cert", rogue,
		  "--key", rogue_key, "device", "list");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "list devices: transport:"));
	assert_string_equal(r.out, "");
	run_free(&r);
	r = ADMIN(f, "--verifier", url, "--state", f->dir, "--key", missing, "device", "list");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "cannot read the operator key"));
	assert_non_null(strstr(r.err, "--key"));
	run_free(&r);
	stop(&f->server);

	/* nobody listening */
	r = ADMIN(f, "--verifier", url, "--state", f->dir, "--timeout", "5", "device", "list");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "list devices: transport:"));
	run_free(&r);
}

/* The first line of a command's output. */
static char *sh_line(const char *cmd)
{
	char line[512];
	/* NOLINTNEXTLINE(cert-env33-c): the openssl CLI is the oracle */
	FILE *p = popen(cmd, "r");

	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	assert_int_equal(pclose(p), 0);
	line[strcspn(line, "\n")] = '\0';
	return strdup(line);
}

static void test_init(void **state)
{
	struct fixture *f = *state;
	char cmd[1024], *ca_fp, *token_fp, *eq;
	struct run r;

	snprintf(cmd, sizeof(cmd),
		 "openssl x509 -in '%s/ca.pem' -noout -fingerprint -sha256", f->dir);
	ca_fp = sh_line(cmd);
	eq = strchr(ca_fp, '=');
	assert_non_null(eq);
	snprintf(cmd, sizeof(cmd),
		 "openssl pkey -pubin -in '%s/token.pub.pem' -outform DER | sha256sum | cut -d' ' -f1",
		 f->dir);
	token_fp = sh_line(cmd);

	r = ADMIN(f, "--state", f->dir, "init");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, eq + 1));
	assert_non_null(strstr(r.out, token_fp));
	assert_non_null(strstr(r.out, "OU=operator"));
	assert_non_null(strstr(r.out, "operator.key (readable)"));
	run_free(&r);

	snprintf(cmd, sizeof(cmd), "rm '%s/token.pub.pem'", f->dir);
	sh("%s", cmd);
	r = ADMIN(f, "init", "--state", f->dir);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "token.pub.pem: not there"));
	assert_non_null(strstr(r.err, "hrot-verifierd --state"));
	run_free(&r);
	free(ca_fp);
	free(token_fp);
}

/* The port in @path, or 0 while it is not (completely) written. */
static int read_port_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char buf[16];
	long port = 0;

	if (!fp)
		return 0;
	if (fgets(buf, sizeof(buf), fp))
		port = strtol(buf, NULL, 10);
	fclose(fp);
	return port > 0 && port <= 65535 ? (int)port : 0;
}

/* Wait for the daemon's port file; the port, or 0. */
static int wait_port_file(const char *path, pid_t pid)
{
	int i, port = 0;

	for (i = 0; i < 200 && !port; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return 0;
		port = read_port_file(path);
		if (!port)
			sleep_ms(50);
	}
	return port;
}

static pid_t start_daemon(const char *daemon, const char *state_dir,
			  const char *port_file)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execl(daemon, daemon, "--listen", "127.0.0.1:0", "--port-file",
		      port_file, "--state", state_dir, "--foreground", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static char *write_std_log(const char *dir)
{
	char *path = support_path(dir, "reference.log");
	struct tl_buf b = { 0 };
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	tl_standard_log(&b, NULL);
	assert_int_equal(fwrite(b.data, 1, b.len, fp), b.len);
	assert_int_equal(fclose(fp), 0);
	tl_free(&b);
	return path;
}

static void test_against_verifierd(void **state)
{
	struct fixture *f = *state;
	const char *build = getenv("BUILD");
	char daemon[1024], url[64], *vstate, *port_file, *log;
	struct run r;

	snprintf(daemon, sizeof(daemon), "%s/bin/hrot-verifierd", build ? build : "build");
	if (access(daemon, X_OK)) {
		print_message("skipped: %s is not built\n", daemon);
		skip();
	}
	vstate = support_path(f->dir, "vstate");
	port_file = support_path(f->dir, "port");
	log = write_std_log(f->dir);
	f->server = start_daemon(daemon, vstate, port_file);
	/* in the fixture, so that teardown stops it after a failure */
	f->port = wait_port_file(port_file, f->server);
	if (!f->port) {
		stop(&f->server);
		fail_msg("%s did not write %s", daemon, port_file);
	}
	url_of(f, url, sizeof(url));

	r = ADMIN(f, "--verifier", url, "--state", vstate, "device", "list");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "no devices\n");
	run_free(&r);
	r = ADMIN(f, "--verifier", url, "--state", vstate, "policy", "import", "ref",
		  "--version", "1", "--from-log", log);
	if (r.status)
		fail_msg("policy import: %s", r.err);
	assert_non_null(strstr(r.out, "import policy ref version 1: done"));
	run_free(&r);
	r = ADMIN(f, "--verifier", url, "--state", vstate, "policy", "list");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "ref "));
	run_free(&r);
	r = ADMIN(f, "--json", "--verifier", url, "--state", vstate, "audit");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"records\""));
	run_free(&r);
	r = ADMIN(f, "--verifier", url, "--state", vstate, "device", "show", DEV_A);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "show device " DEV_A ": not_found:"));
	run_free(&r);
	stop(&f->server);
	free(vstate);
	free(port_file);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutual_tls13),
		cmocka_unit_test(test_error_lines),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_against_verifierd),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
