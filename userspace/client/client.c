// SPDX-License-Identifier: GPL-2.0
/*
 * libhrot-client: the client object, one curl handle per verifier.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "client_int.h"

#define DEFAULT_CONNECT_MS	5000L
#define DEFAULT_TOTAL_MS	30000L

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

/* curl_global_init() is not thread-safe on every libcurl: once. */
static void curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int configure_long(CURL *h, const struct hrot_client_config *cfg)
{
	const struct { CURLoption opt; long val; } opts[] = {
		{ CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_3 },
		{ CURLOPT_SSL_VERIFYPEER, 1L },
		{ CURLOPT_SSL_VERIFYHOST, 2L },
		{ CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms > 0 ?
			cfg->connect_timeout_ms : DEFAULT_CONNECT_MS },
		{ CURLOPT_TIMEOUT_MS, cfg->timeout_ms > 0 ?
			cfg->timeout_ms : DEFAULT_TOTAL_MS },
		{ CURLOPT_NOSIGNAL, 1L },
		{ CURLOPT_TCP_KEEPALIVE, 1L },
		{ CURLOPT_FOLLOWLOCATION, 0L },
	};
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (curl_easy_setopt(h, opts[i].opt, opts[i].val) != CURLE_OK)
			return -EINVAL;
	return 0;
}

/* TLS 1.3 only, the verifier's CA, its name checked; optional pin and
 * client certificate. */
static int configure(CURL *h, const struct hrot_client_config *cfg)
{
	const struct { CURLoption opt; const char *val; } opts[] = {
		{ CURLOPT_CAINFO, cfg->ca_file },
		{ CURLOPT_PROTOCOLS_STR, "https" },
		{ CURLOPT_PINNEDPUBLICKEY, cfg->pinned_key },
		{ CURLOPT_SSLCERT, cfg->cert_file },
		{ CURLOPT_SSLKEY, cfg->key_file ? cfg->key_file :
						  cfg->cert_file },
	};
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (opts[i].val &&
		    curl_easy_setopt(h, opts[i].opt, opts[i].val) != CURLE_OK)
			return -EINVAL;
	/* Only the verifier's CA: not also libcurl's built-in CA directory
	 * (Debian's: /etc/ssl/certs), where any public CA would do. */
	if (curl_easy_setopt(h, CURLOPT_CAPATH, NULL) != CURLE_OK)
		return -EINVAL;
	return configure_long(h, cfg);
}

int hrot_client_new(const struct hrot_client_config *cfg,
		    struct hrot_client **out)
{
	struct hrot_client *c;

	*out = NULL;
	if (!cfg || !cfg->url || !cfg->ca_file ||
	    strncmp(cfg->url, "https://", 8) != 0)
		return -EINVAL;
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK)
		return -EIO;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->url = strdup(cfg->url);
	c->curl = curl_easy_init();
	if (!c->url || !c->curl) {
		hrot_client_free(c);
		return -ENOMEM;
	}
	if (configure(c->curl, cfg)) {
		hrot_client_free(c);
		return -EINVAL;
	}
	c->connect_timeout_ms = cfg->connect_timeout_ms > 0 ?
				cfg->connect_timeout_ms : DEFAULT_CONNECT_MS;
	c->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms :
					      DEFAULT_TOTAL_MS;
	c->deadline_ms = cfg->deadline_ms;
	/* No trailing slash: paths start with one. */
	if (c->url[0] && c->url[strlen(c->url) - 1] == '/')
		c->url[strlen(c->url) - 1] = '\0';
	*out = c;
	return 0;
}

void hrot_client_free(struct hrot_client *c)
{
	if (!c)
		return;
	if (c->curl)
		curl_easy_cleanup(c->curl);
	free(c->url);
	EVP_PKEY_free(c->anchor);
	free(c->anchor_path);
	free(c);
}

void hrot_client_set_hooks(struct hrot_client *c,
			   const struct hrot_client_hooks *hooks)
{
	if (hooks)
		c->hooks = *hooks;
	else
		memset(&c->hooks, 0, sizeof(c->hooks));
}

const struct hrot_client_error *hrot_client_error(const struct hrot_client *c)
{
	return &c->err;
}
