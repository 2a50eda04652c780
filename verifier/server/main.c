// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - hrot-verifierd: options, start-up, signals, shutdown.
 *
 * Start-up order: configuration, PKI (first start makes it), the store
 * and its writer thread, the vault, the in-memory tables, TLS, then the
 * workers.  SIGTERM / SIGINT: stop accepting, let the writer finish what is
 * queued (every parked request gets its answer), give the workers a
 * moment to send, then close everything.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "activation.h"
#include "api.h"
#include "log.h"
#include "nonce.h"
#include "vault.h"

#define NONCE_TABLE_MAX		(1u << 20)
#define ACTIVATION_TABLE_MAX	4096
#define SHUTDOWN_GRACE_MS	1000

static int write_port_file(const char *path, unsigned int port)
{
	char tmp[CONFIG_PATH_MAX + 8];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -1;
	f = fopen(tmp, "we");
	if (!f)
		return -1;
	fprintf(f, "%u\n", port);
	if (fclose(f) || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static X509_STORE *load_ek_store(const char *path)
{
	X509_STORE *st = X509_STORE_new();

	if (st && X509_STORE_load_file(st, path) == 1)
		return st;
	log_err("--ek-ca %s: cannot load the EK CA bundle", path);
	X509_STORE_free(st);
	return NULL;
}

static int open_store(const struct config *cfg, struct verifierd *v)
{
	char path[CONFIG_PATH_MAX];
	int ret;

	if (config_state_path(cfg, "hrot.db", path, sizeof(path)))
		return -ENAMETOOLONG;
	ret = store_open(path, &v->store);
	if (ret) {
		log_err("cannot open the store %s: %s", path, strerror(-ret));
		return ret;
	}
	ret = commit_start(v->store, 0, &v->committer);
	if (ret) {
		log_err("cannot start the commit thread: %s", strerror(-ret));
		return ret;
	}
	if (config_state_path(cfg, "vault.key", path, sizeof(path)))
		return -ENAMETOOLONG;
	ret = vault_open(path, true, &v->vault);
	if (ret)
		log_err("cannot open the vault %s: %s", path, strerror(-ret));
	return ret;
}

static int open_tables(const struct config *cfg, struct verifierd *v)
{
	int ret = nonce_table_new(cfg->nonce_lifetime, NONCE_TABLE_MAX,
				  &v->nonces);

	if (!ret)
		ret = activation_table_new(cfg->nonce_lifetime,
					   ACTIVATION_TABLE_MAX,
					   &v->activations);
	if (ret)
		log_err("cannot make the challenge tables: %s", strerror(-ret));
	if (!ret && cfg->ek_ca[0]) {
		v->ek_store = load_ek_store(cfg->ek_ca);
		if (!v->ek_store)
			ret = -EINVAL;
	}
	return ret;
}

static void close_all(struct verifierd *v)
{
	if (v->committer)
		commit_stop(v->committer);
	if (v->vault)
		vault_close(v->vault);
	if (v->store)
		store_close(v->store);
	nonce_table_free(v->nonces);
	activation_table_free(v->activations);
	X509_STORE_free(v->ek_store);
}

static int start_http(const struct config *cfg, struct verifierd *v,
		      SSL_CTX *ssl, struct http_server **srv)
{
	const struct http_config hc = {
		.host = cfg->listen_host,
		.port = cfg->listen_port,
		.threads = cfg->threads,
		.max_body = cfg->max_body,
		.timeout = cfg->read_timeout,
		.ssl = ssl,
		.routes = api_routes,
		.nr_routes = api_nr_routes,
		.app = v,
		.worker_init = api_worker_init,
		.worker_fini = api_worker_fini,
	};
	int ret = http_server_start(&hc, srv);

	if (ret)
		return ret;
	if (cfg->port_file[0] &&
	    write_port_file(cfg->port_file, http_server_port(*srv))) {
		log_err("--port-file %s: %s", cfg->port_file, strerror(errno));
		return -EIO;
	}
	log_info("listening on %s port %u, %u threads, state %s",
		 cfg->listen_host, http_server_port(*srv), cfg->threads,
		 cfg->state_dir);
	return 0;
}

static int wait_for_signal(void)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	do {
		if (sigwait(&set, &sig))
			return -1;
	} while (sig == SIGHUP);	/* nothing to reload yet */
	return sig;
}

/* Signals go to sigwait() here; every thread started later inherits it. */
static void block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int run(const struct config *cfg)
{
	struct verifierd v = { .cfg = cfg };
	struct http_server *srv = NULL;
	struct pki pki;
	SSL_CTX *ssl = NULL;
	int ret;

	if (pki_init(cfg, &pki))
		return 1;
	v.pki = &pki;
	ret = open_store(cfg, &v);
	if (!ret)
		ret = open_tables(cfg, &v);
	if (!ret) {
		ssl = tls_server_ctx_new(pki.server_cert, pki.server_key,
					 pki.client_ca);
		ret = ssl ? start_http(cfg, &v, ssl, &srv) : -EINVAL;
	}
	if (!ret) {
		int sig = wait_for_signal();

		log_info("signal %d: shutting down", sig);
		http_server_quiesce(srv);
		/* answers every parked request before it returns */
		commit_stop(v.committer);
		v.committer = NULL;
	}
	http_server_stop(srv, SHUTDOWN_GRACE_MS);
	close_all(&v);
	SSL_CTX_free(ssl);
	pki_free(&pki);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct config cfg;
	int ret = config_load(&cfg, argc, argv);

	if (ret)
		return ret > 0 ? 0 : 2;
	log_set_level(cfg.log_level);
	if (!cfg.foreground && daemon(0, 1)) {
		log_err("cannot daemonize: %s", strerror(errno));
		return 1;
	}
	block_signals();
	return run(&cfg);
}
