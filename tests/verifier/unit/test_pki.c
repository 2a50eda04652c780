// SPDX-License-Identifier: GPL-2.0
/*
 * test_pki.c - first start of the PKI: what it makes, with which modes,
 * checked by the openssl CLI as an independent oracle; a second start
 * keeps everything; agent certificates from certificate requests.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "config.h"
#include "pki.h"
#include "support_tmpdir.h"

struct fixture {
	char *dir;
	struct config cfg;
};

static const char *const made_files[] = {
	"ca.pem", "ca.key", "server.pem", "server.key", "token.key",
	"token.pub.pem", "operator.pem", "operator.key",
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char a0[] = "hrot-verifierd", a1[] = "--config", a2[] = "/dev/null";
	char *argv[] = { a0, a1, a2, NULL };

	assert_non_null(f);
	f->dir = support_tmpdir_make();
	assert_non_null(f->dir);
	assert_int_equal(config_load(&f->cfg, 3, argv), 0);
	snprintf(f->cfg.state_dir, sizeof(f->cfg.state_dir), "%s/state",
		 f->dir);
	snprintf(f->cfg.hostnames[0], sizeof(f->cfg.hostnames[0]),
		 "verifier.example");
	/* an address given as a hostname becomes an IP SAN (a guest's 10.0.2.2) */
	snprintf(f->cfg.hostnames[1], sizeof(f->cfg.hostnames[1]), "10.0.2.2");
	f->cfg.nr_hostnames = 2;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	support_tmpdir_remove(f->dir);
	free(f);
	return 0;
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

static X509 *read_cert(const char *dir, const char *name)
{
	char path[CONFIG_PATH_MAX + 32];
	FILE *fp;
	X509 *x;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "r");
	assert_non_null(fp);
	x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	assert_non_null(x);
	return x;
}

static void test_first_start_files(void **state)
{
	struct fixture *f = *state;
	struct pki p;
	struct stat st;
	size_t i;

	assert_int_equal(pki_init(&f->cfg, &p), 0);
	assert_non_null(p.token_key);
	assert_non_null(p.ca_key);
	assert_int_equal(stat(f->cfg.state_dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	for (i = 0; i < sizeof(made_files) / sizeof(made_files[0]); i++) {
		char path[CONFIG_PATH_MAX + 32];

		snprintf(path, sizeof(path), "%s/%s", f->cfg.state_dir,
			 made_files[i]);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
	}
	pki_free(&p);
}

static void test_openssl_verifies(void **state)
{
	struct fixture *f = *state;
	const char *d = f->cfg.state_dir;
	struct pki p;

	assert_int_equal(pki_init(&f->cfg, &p), 0);
	pki_free(&p);
	assert_int_equal(run("openssl verify -CAfile %s/ca.pem %s/server.pem "
			     "%s/operator.pem >/dev/null", d, d, d), 0);
	/* the server certificate is for servers, the operator's for clients */
	assert_int_equal(run("openssl verify -purpose sslserver -CAfile %s/ca.pem "
			     "%s/server.pem >/dev/null", d, d), 0);
	assert_int_not_equal(run("openssl verify -purpose sslserver -CAfile "
				 "%s/ca.pem %s/operator.pem >/dev/null 2>&1",
				 d, d), 0);
	assert_int_equal(run("openssl verify -purpose sslclient -CAfile %s/ca.pem "
			     "%s/operator.pem >/dev/null", d, d), 0);
	/* keys match their certificates */
	assert_int_equal(run("test \"$(openssl x509 -in %s/server.pem -noout -pubkey)\" = "
			     "\"$(openssl pkey -in %s/server.key -pubout)\"", d, d), 0);
	assert_int_equal(run("test \"$(openssl pkey -in %s/token.key -pubout)\" = "
			     "\"$(cat %s/token.pub.pem)\"", d, d), 0);
}

static void test_certificate_contents(void **state)
{
	struct fixture *f = *state;
	const char *d = f->cfg.state_dir;
	X509 *ca, *srv, *op;
	char ou[64];
	struct pki p;

	assert_int_equal(pki_init(&f->cfg, &p), 0);
	pki_free(&p);
	ca = read_cert(d, "ca.pem");
	srv = read_cert(d, "server.pem");
	op = read_cert(d, "operator.pem");
	assert_int_equal(X509_check_ca(ca), 1);
	assert_int_equal(X509_check_ca(srv), 0);
	assert_true(X509_get_key_usage(ca) & KU_KEY_CERT_SIGN);
	assert_true(X509_get_extended_key_usage(srv) & XKU_SSL_SERVER);
	assert_true(X509_get_extended_key_usage(op) & XKU_SSL_CLIENT);
	assert_int_equal(X509_check_host(srv, "verifier.example", 0, 0, NULL), 1);
	assert_int_equal(X509_check_host(srv, "other.example", 0, 0, NULL), 0);
	assert_int_equal(X509_check_ip_asc(srv, "127.0.0.1", 0), 1);
	assert_int_equal(X509_check_ip_asc(srv, "::1", 0), 1);
	assert_int_equal(X509_check_ip_asc(srv, "10.0.2.2", 0), 1);
	assert_int_equal(X509_check_host(srv, "10.0.2.2", 0, 0, NULL), 0);
	assert_true(X509_NAME_get_text_by_NID(X509_get_subject_name(op),
					      NID_organizationalUnitName, ou,
					      sizeof(ou)) > 0);
	assert_string_equal(ou, "operator");
	assert_true(EVP_PKEY_is_a(X509_get0_pubkey(ca), "EC"));
	X509_free(ca);
	X509_free(srv);
	X509_free(op);
}

static void test_rerun_keeps_files(void **state)
{
	struct fixture *f = *state;
	const char *d = f->cfg.state_dir;
	struct pki p;

	assert_int_equal(pki_init(&f->cfg, &p), 0);
	pki_free(&p);
	assert_int_equal(run("cd %s && cat ca.pem ca.key server.pem token.key "
			     "operator.pem | sha256sum > ../sum1", d), 0);
	assert_int_equal(pki_init(&f->cfg, &p), 0);
	pki_free(&p);
	assert_int_equal(run("cd %s && cat ca.pem ca.key server.pem token.key "
			     "operator.pem | sha256sum | cmp -s - ../sum1", d), 0);
	/* a lost server certificate is made again under the same CA */
	assert_int_equal(run("rm %s/server.pem", d), 0);
	assert_int_equal(pki_init(&f->cfg, &p), 0);
	pki_free(&p);
	assert_int_equal(run("openssl verify -CAfile %s/ca.pem %s/server.pem "
			     ">/dev/null", d, d), 0);
}

static char *make_csr(const char *dir, const char *algo_opts)
{
	char path[CONFIG_PATH_MAX + 32];
	char *pem;
	long len;
	FILE *fp;

	assert_int_equal(run("cd %s && openssl req -new -newkey %s -nodes "
			     "-keyout agent.key -subj /CN=someone/OU=operator "
			     "-out agent.csr 2>/dev/null", dir, algo_opts), 0);
	snprintf(path, sizeof(path), "%s/agent.csr", dir);
	fp = fopen(path, "r");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	pem = calloc(1, (size_t)len + 1);
	assert_non_null(pem);
	assert_int_equal(fread(pem, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	return pem;
}

static void write_text(const char *dir, const char *name, const char *text)
{
	char path[CONFIG_PATH_MAX + 32];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_agent_cert(void **state)
{
	struct fixture *f = *state;
	char err[160], *pem = NULL, *csr;
	struct pki p;

	assert_int_equal(pki_init(&f->cfg, &p), 0);
	csr = make_csr(f->dir, "ec -pkeyopt ec_paramgen_curve:P-256");
	assert_int_equal(pki_issue_agent_cert(&p, csr, "000bdeadbeef", &pem,
					      err, sizeof(err)), 0);
	assert_non_null(pem);
	write_text(f->dir, "agent.pem", pem);
	assert_int_equal(run("openssl verify -purpose sslclient -CAfile "
			     "%s/ca.pem %s/agent.pem >/dev/null",
			     f->cfg.state_dir, f->dir), 0);
	/* the verifier names the agent: OU=agent whatever the CSR said */
	assert_int_equal(run("openssl x509 -in %s/agent.pem -noout -subject | "
			     "grep -q 'OU *= *agent'", f->dir), 0);
	assert_int_equal(run("openssl x509 -in %s/agent.pem -noout -subject | "
			     "grep -q 'CN *= *000bdeadbeef'", f->dir), 0);
	free(pem);
	pem = NULL;
	/* a request whose signature does not verify is refused */
	csr[strlen(csr) / 2] ^= 0x01;
	assert_int_not_equal(pki_issue_agent_cert(&p, csr, "x", &pem, err,
						  sizeof(err)), 0);
	assert_null(pem);
	assert_int_equal(pki_issue_agent_cert(&p, "not a csr", "x", &pem, err,
					      sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "csr"));
	free(csr);
	/* weak keys are refused */
	csr = make_csr(f->dir, "rsa:1024");
	assert_int_equal(pki_issue_agent_cert(&p, csr, "x", &pem, err,
					      sizeof(err)), -EINVAL);
	free(csr);
	pki_free(&p);
}

static void test_private_file_is_atomic(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	char path[CONFIG_PATH_MAX + 32];

	assert_int_equal(pki_write_private_file(f->dir, "x", "abc", 3), 0);
	assert_int_equal(pki_write_private_file(f->dir, "x", "defg", 4), 0);
	snprintf(path, sizeof(path), "%s/x", f->dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 4);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* no temporary files left behind */
	assert_int_equal(run("test -z \"$(ls -A %s | grep '^\\.x\\.')\"",
			     f->dir), 0);
	assert_int_not_equal(pki_write_private_file("/nonexistent/dir", "x",
						    "a", 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_start_files, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_openssl_verifies, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_certificate_contents,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rerun_keeps_files, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_agent_cert, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_private_file_is_atomic,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
