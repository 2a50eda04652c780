// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin: the HTTPS client (libcurl).
 *
 * TLS 1.3 only, the verifier's certificate checked against its CA and
 * its name, and the operator certificate presented: the admin API knows
 * operators by nothing else.  No redirects, no other protocol.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "admin.h"

struct sink {
	char *buf;
	size_t len;
	size_t cap;
	bool too_big;
};

static size_t sink_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;

	if (s->len + n > ADMIN_RESPONSE_MAX) {
		s->too_big = true;
		return 0;	/* curl aborts the transfer */
	}
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		char *buf;

		while (cap < s->len + n + 1)
			cap *= 2;
		buf = realloc(s->buf, cap);
		if (!buf)
			return 0;
		s->buf = buf;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
	return n;
}

/* A clear word before curl's: which file, and which option names it. */
static int check_readable(const char *path, const char *what,
			  const char *opt, char *err, size_t err_size)
{
	if (access(path, R_OK) == 0)
		return ADMIN_OK;
	return admin_err(err, err_size, ADMIN_FAIL,
			 "cannot read the %s %s: %s (see %s or --state)", what,
			 path, strerror(errno), opt);
}

static int check_files(const struct admin_opts *o, char *err, size_t err_size)
{
	int ret = check_readable(o->ca, "verifier's CA certificate", "--ca",
				 err, err_size);

	if (!ret)
		ret = check_readable(o->cert, "operator certificate", "--cert",
				     err, err_size);
	if (!ret)
		ret = check_readable(o->key, "operator key", "--key", err,
				     err_size);
	return ret;
}

static bool set_tls(CURL *c, const struct admin_opts *o)
{
	return !curl_easy_setopt(c, CURLOPT_SSLVERSION,
				 (long)CURL_SSLVERSION_TLSv1_3) &&
	       !curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) &&
	       !curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) &&
	       !curl_easy_setopt(c, CURLOPT_CAINFO, o->ca) &&
	       /* only the verifier's CA, not libcurl's built-in directory */
	       !curl_easy_setopt(c, CURLOPT_CAPATH, NULL) &&
	       !curl_easy_setopt(c, CURLOPT_SSLCERT, o->cert) &&
	       !curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM") &&
	       !curl_easy_setopt(c, CURLOPT_SSLKEY, o->key) &&
	       !curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
}

static bool set_transfer(CURL *c, const struct admin_opts *o,
			 const char *url, struct sink *s, char *errbuf)
{
	return !curl_easy_setopt(c, CURLOPT_URL, url) &&
	       !curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https") &&
	       !curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) &&
	       !curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) &&
	       !curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout) &&
	       !curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->timeout) &&
	       !curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf) &&
	       !curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write) &&
	       !curl_easy_setopt(c, CURLOPT_WRITEDATA, s) &&
	       !curl_easy_setopt(c, CURLOPT_USERAGENT, "hrot-admin/" HROT_VERSION);
}

static bool set_method(CURL *c, const char *method, const char *body,
		       struct curl_slist **headers)
{
	*headers = curl_slist_append(NULL, "Accept: application/json");
	if (body && *headers)
		*headers = curl_slist_append(*headers, "Content-Type: application/json");
	if (!*headers || curl_easy_setopt(c, CURLOPT_HTTPHEADER, *headers))
		return false;
	if (strcmp(method, "POST") == 0)
		return !curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "") &&
		       !curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE,
					 (long)(body ? strlen(body) : 0));
	return !curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
}

static int perform(CURL *c, const char *url, struct sink *s,
		   const char *errbuf, struct admin_response *resp, char *err,
		   size_t err_size)
{
	CURLcode rc = curl_easy_perform(c);

	if (s->too_big)
		return admin_err(err, err_size, ADMIN_FAIL,
				 "%s: answer over %u bytes", url, ADMIN_RESPONSE_MAX);
	if (rc != CURLE_OK)
		return admin_err(err, err_size, ADMIN_FAIL, "%s: %s", url,
				 errbuf[0] ? errbuf : curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	resp->body = s->buf ? s->buf : strdup("");
	resp->len = s->len;
	s->buf = NULL;
	return resp->body ? ADMIN_OK :
	       admin_err(err, err_size, ADMIN_FAIL, "out of memory");
}

static int build_url(const struct admin_opts *o, const char *path,
		     char **url)
{
	size_t n = strlen(o->url);

	/* "https://host:port/" and "https://host:port" both work. */
	while (n && o->url[n - 1] == '/')
		n--;
	return asprintf(url, "%.*s%s", (int)n, o->url, path) < 0 ? -ENOMEM : 0;
}

int admin_http(const struct admin_opts *o, const char *method,
	       const char *path, const char *body, struct admin_response *resp,
	       char *err, size_t err_size)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = NULL;
	struct sink s = { NULL, 0, 0, false };
	char *url = NULL;
	CURL *c;
	int ret;

	memset(resp, 0, sizeof(*resp));
	ret = check_files(o, err, err_size);
	if (ret)
		return ret;
	if (build_url(o, path, &url))
		return admin_err(err, err_size, ADMIN_FAIL, "out of memory");
	c = curl_easy_init();
	if (!c || !set_tls(c, o) || !set_transfer(c, o, url, &s, errbuf) ||
	    !set_method(c, method, body, &headers))
		ret = admin_err(err, err_size, ADMIN_FAIL,
				"libcurl refused an option (built without TLS 1.3?)");
	else
		ret = perform(c, url, &s, errbuf, resp, err, err_size);
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	free(s.buf);
	free(url);
	return ret;
}

void admin_response_free(struct admin_response *resp)
{
	free(resp->body);
	memset(resp, 0, sizeof(*resp));
}
