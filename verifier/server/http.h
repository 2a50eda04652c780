/* SPDX-License-Identifier: GPL-2.0 */
/*
 * http.h - the HTTPS front end: libevent evhttp over OpenSSL bufferevents,
 * N worker threads (each its own event_base and evhttp) accepting on one
 * listening socket, a routing table with roles, JSON replies in the error
 * format of Documentation/protocol.md, and deferred replies.
 *
 * A handler gets a struct http_request and must answer it exactly once:
 * with one of the http_reply_* functions, or later.  To answer later (after
 * a commit job) it calls http_defer() and returns; whoever finishes the
 * work calls http_resume() from any thread, and @resume then runs on the
 * request's worker and replies.  The request and its body stay valid until
 * the reply.  If the client went away meanwhile, the reply is dropped.
 */
#ifndef HROT_VERIFIER_HTTP_H
#define HROT_VERIFIER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "tls.h"

struct json_object;
struct evbuffer;
struct evhttp_request;
struct evkeyvalq;
struct event;
struct http_worker;

struct http_request {
	struct evhttp_request *req;
	struct http_worker *worker;
	void *app;		/* http_config.app */
	void *local;		/* this worker's, from worker_init */
	enum tls_role role;
	const char *path;	/* without the query */
	const char *tail;	/* the path after a prefix route's prefix */
	char *body;		/* NUL-terminated copy of the body */
	size_t body_len;
	struct evkeyvalq *query;	/* parsed ?a=b&c=d */
	/* private */
	double start;
	struct event *wake;
	void (*resume)(struct http_request *r, void *arg);
	void *resume_arg;
};

typedef void (*http_handler_fn)(struct http_request *r);

struct http_route {
	const char *method;	/* "GET", "POST" */
	const char *path;	/* exact, or a prefix when it ends with '/' */
	enum tls_role role;	/* TLS_ROLE_OPERATOR: operator only */
	http_handler_fn fn;
};

struct http_config {
	const char *host;
	unsigned int port;	/* 0: any free port */
	unsigned int threads;
	size_t max_body;
	unsigned int timeout;	/* seconds without progress on a connection */
	SSL_CTX *ssl;
	const struct http_route *routes;
	size_t nr_routes;
	void *app;
	/* per worker thread, on that thread: 0 or -errno */
	int (*worker_init)(void *app, void **local);
	void (*worker_fini)(void *app, void *local);
};

struct http_server;

/* Bind, listen and start the workers: 0, or -errno after logging. */
int http_server_start(const struct http_config *cfg, struct http_server **out);
/* The port actually bound (useful with port 0). */
unsigned int http_server_port(const struct http_server *s);
/* Stop accepting new connections; requests in flight go on. */
void http_server_quiesce(struct http_server *s);
/* Give the workers @grace_ms to flush replies, join and free. */
void http_server_stop(struct http_server *s, unsigned int grace_ms);

/* Replies: each sends and releases @r. */
void http_reply_json(struct http_request *r, int code,
		     struct json_object *obj);	/* takes @obj */
void http_reply_error(struct http_request *r, int code, const char *reason,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void http_reply_text(struct http_request *r, int code,
		     const char *content_type, struct evbuffer *body);

/* Park @r; @resume runs on its worker after http_resume(). 0 or -ENOMEM. */
int http_defer(struct http_request *r,
	       void (*resume)(struct http_request *r, void *arg), void *arg);
/* Any thread; once per http_defer(). */
void http_resume(struct http_request *r);

/* A query parameter or NULL. */
const char *http_query(const struct http_request *r, const char *name);

#endif /* HROT_VERIFIER_HTTP_H */
