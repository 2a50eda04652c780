// SPDX-License-Identifier: GPL-2.0
/*
 * http.c - evhttp workers over TLS, routing, replies, deferred replies.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <event2/util.h>
#include <json-c/json.h>

#include "http.h"
#include "log.h"
#include "metrics.h"

struct http_worker {
	struct http_server *server;
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct event *quiesce_ev;
	pthread_t thread;
	bool started;
	void *local;
	int init_result;
};

struct http_server {
	struct http_config cfg;
	int listen_fd;
	unsigned int port;
	unsigned int nr_workers;
	struct http_worker *workers;
	pthread_mutex_t lock;		/* start-up handshake */
	pthread_cond_t cond;
	unsigned int nr_ready;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- replies ---- */

static void request_free(struct http_request *r)
{
	if (r->wake)
		event_free(r->wake);
	if (r->query) {
		evhttp_clear_headers(r->query);
		free(r->query);
	}
	free(r->body);
	free(r);
}

static void send_and_free(struct http_request *r, int code,
			  struct evbuffer *body)
{
	evhttp_send_reply(r->req, code, NULL, body);
	metrics_request_duration(now_seconds() - r->start);
	request_free(r);
}

void http_reply_text(struct http_request *r, int code,
		     const char *content_type, struct evbuffer *body)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(r->req);

	evhttp_add_header(h, "Content-Type", content_type);
	evhttp_add_header(h, "Cache-Control", "no-store");
	send_and_free(r, code, body);
}

/* Out of memory while answering: a fixed body, no JSON library. */
static void reply_oom(struct http_request *r)
{
	static const char oom[] = "{\"error\":\"internal\",\"detail\":\"out of memory\"}\n";
	struct evbuffer *buf = evbuffer_new();

	if (buf)
		evbuffer_add_reference(buf, oom, sizeof(oom) - 1, NULL, NULL);
	http_reply_text(r, 500, "application/json", buf);
	if (buf)
		evbuffer_free(buf);
}

void http_reply_json(struct http_request *r, int code, struct json_object *obj)
{
	struct evbuffer *buf = evbuffer_new();
	const char *s = obj ? json_object_to_json_string_ext(
				obj, JSON_C_TO_STRING_PLAIN |
					JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;

	if (!buf || !s || evbuffer_add(buf, s, strlen(s)) ||
	    evbuffer_add(buf, "\n", 1)) {
		if (buf)
			evbuffer_free(buf);
		json_object_put(obj);
		reply_oom(r);
		return;
	}
	json_object_put(obj);
	http_reply_text(r, code, "application/json", buf);
	evbuffer_free(buf);
}

static struct json_object *error_object(const char *reason, const char *detail)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (json_object_object_add(o, "error", json_object_new_string(reason)) ||
	    json_object_object_add(o, "detail", json_object_new_string(detail))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

void http_reply_error(struct http_request *r, int code, const char *reason,
		      const char *fmt, ...)
{
	char detail[512];
	struct json_object *o;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	o = error_object(reason, detail);
	if (o)
		http_reply_json(r, code, o);
	else
		reply_oom(r);
}

/* ---- deferred replies ---- */

static void wake_cb(evutil_socket_t fd, short what, void *arg)
{
	struct http_request *r = arg;

	(void)fd;
	(void)what;
	r->resume(r, r->resume_arg);
}

int http_defer(struct http_request *r,
	       void (*resume)(struct http_request *r, void *arg), void *arg)
{
	if (!r->wake) {
		r->wake = event_new(r->worker->base, -1, 0, wake_cb, r);
		if (!r->wake)
			return -ENOMEM;
	}
	r->resume = resume;
	r->resume_arg = arg;
	return 0;
}

void http_resume(struct http_request *r)
{
	/* thread-safe under evthread_use_pthreads(); wakes the worker */
	event_active(r->wake, EV_READ, 0);
}

const char *http_query(const struct http_request *r, const char *name)
{
	return r->query ? evhttp_find_header(r->query, name) : NULL;
}

/* ---- dispatch ---- */

static const char *method_name(enum evhttp_cmd_type t)
{
	switch (t) {
	case EVHTTP_REQ_GET:
		return "GET";
	case EVHTTP_REQ_POST:
		return "POST";
	case EVHTTP_REQ_PUT:
		return "PUT";
	case EVHTTP_REQ_DELETE:
		return "DELETE";
	case EVHTTP_REQ_HEAD:
		return "HEAD";
	default:
		return "OTHER";
	}
}

static bool path_matches(const struct http_route *rt, const char *path,
			 const char **tail)
{
	size_t len = strlen(rt->path);

	if (len && rt->path[len - 1] == '/') {
		if (strncmp(path, rt->path, len) != 0 || path[len] == '\0')
			return false;
		*tail = path + len;
		return true;
	}
	*tail = "";
	return strcmp(path, rt->path) == 0;
}

/* The route for @r, or NULL with the status to answer (404 / 405). */
static const struct http_route *find_route(const struct http_server *s,
					   struct http_request *r,
					   const char *method, int *status)
{
	bool path_known = false;
	size_t i;

	for (i = 0; i < s->cfg.nr_routes; i++) {
		const struct http_route *rt = &s->cfg.routes[i];
		const char *tail;

		if (!path_matches(rt, r->path, &tail))
			continue;
		path_known = true;
		if (strcmp(rt->method, method) == 0) {
			r->tail = tail;
			return rt;
		}
	}
	*status = path_known ? 405 : 404;
	return NULL;
}

static enum tls_role request_role(struct evhttp_request *req)
{
	struct evhttp_connection *con = evhttp_request_get_connection(req);
	struct bufferevent *bev = con ? evhttp_connection_get_bufferevent(con)
				      : NULL;

	return bev ? tls_peer_role(bufferevent_openssl_get_ssl(bev))
		   : TLS_ROLE_NONE;
}

static int parse_uri(struct http_request *r)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(r->req);
	const char *q;

	r->path = uri ? evhttp_uri_get_path(uri) : NULL;
	if (!r->path || !*r->path)
		return -EINVAL;
	q = evhttp_uri_get_query(uri);
	if (!q)
		return 0;
	r->query = calloc(1, sizeof(*r->query));
	if (!r->query)
		return -ENOMEM;
	/* evhttp_parse_query_str() initializes the list */
	return evhttp_parse_query_str(q, r->query) ? -EINVAL : 0;
}

static int copy_body(struct http_request *r, size_t max)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r->req);
	size_t len = evbuffer_get_length(in);

	if (len > max)
		return -E2BIG;
	r->body = malloc(len + 1);
	if (!r->body)
		return -ENOMEM;
	if (len && evbuffer_copyout(in, r->body, len) != (ev_ssize_t)len)
		return -EIO;
	r->body[len] = '\0';
	r->body_len = len;
	return 0;
}

static int request_prepare(struct http_worker *w, struct http_request *r)
{
	int ret = parse_uri(r);

	if (ret == -EINVAL) {
		http_reply_error(r, 400, "bad_request", "malformed request URI");
		return -1;
	}
	if (!ret)
		ret = copy_body(r, w->server->cfg.max_body);
	if (ret == -E2BIG) {
		http_reply_error(r, 413, "body_too_large",
				 "body over %zu bytes", w->server->cfg.max_body);
		return -1;
	}
	if (ret) {
		http_reply_error(r, 500, "internal", "out of memory");
		return -1;
	}
	return 0;
}

static void dispatch(struct http_worker *w, struct http_request *r)
{
	const char *method = method_name(evhttp_request_get_command(r->req));
	const struct http_route *rt;
	int status = 404;

	rt = find_route(w->server, r, method, &status);
	if (!rt) {
		if (status == 405)
			http_reply_error(r, 405, "bad_request",
					 "%s not allowed on %s", method, r->path);
		else
			http_reply_error(r, 404, "not_found",
					 "no endpoint %s", r->path);
		return;
	}
	if (rt->role == TLS_ROLE_OPERATOR && r->role != TLS_ROLE_OPERATOR) {
		http_reply_error(r, 401, "unauthorized",
				 "%s needs an operator client certificate "
				 "(connection role: %s)", r->path,
				 tls_role_name(r->role));
		return;
	}
	rt->fn(r);
}

static void on_request(struct evhttp_request *req, void *arg)
{
	struct http_worker *w = arg;
	struct http_request *r = calloc(1, sizeof(*r));

	if (!r) {
		evhttp_send_error(req, 500, "out of memory");
		return;
	}
	r->start = now_seconds();
	r->req = req;
	r->worker = w;
	r->app = w->server->cfg.app;
	r->local = w->local;
	r->role = request_role(req);
	if (request_prepare(w, r) == 0)
		dispatch(w, r);
}

/* ---- connections ---- */

static struct bufferevent *make_bev(struct event_base *base, void *arg)
{
	struct http_worker *w = arg;
	SSL *ssl = SSL_new(w->server->cfg.ssl);
	struct bufferevent *bev;

	if (!ssl)
		return NULL;
	bev = bufferevent_openssl_socket_new(base, -1, ssl,
					     BUFFEREVENT_SSL_ACCEPTING,
					     BEV_OPT_CLOSE_ON_FREE);
	if (bev)
		bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return bev;
}

static unsigned int bound_port(const struct sockaddr_storage *ss)
{
	struct sockaddr_in6 sin6;
	struct sockaddr_in sin;

	if (ss->ss_family == AF_INET6) {
		memcpy(&sin6, ss, sizeof(sin6));
		return ntohs(sin6.sin6_port);
	}
	memcpy(&sin, ss, sizeof(sin));
	return ntohs(sin.sin_port);
}

static int open_listener(struct http_server *s)
{
	struct addrinfo hints = { .ai_flags = AI_PASSIVE | AI_NUMERICHOST |
					      AI_NUMERICSERV,
				  .ai_socktype = SOCK_STREAM };
	struct sockaddr_storage ss = { 0 };
	socklen_t sslen = sizeof(ss);
	struct addrinfo *ai = NULL;
	char port[8];
	int fd = -1, one = 1;

	snprintf(port, sizeof(port), "%u", s->cfg.port);
	if (getaddrinfo(s->cfg.host, port, &hints, &ai)) {
		log_err("--listen: '%s' is not an IP address", s->cfg.host);
		return -EINVAL;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	/*
	 * TCP_NODELAY (inherited by accepted sockets): evhttp writes headers
	 * and body separately, and Nagle would hold the body for the client's
	 * delayed ACK, 40 ms a response.
	 */
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 1024) ||
	    getsockname(fd, (struct sockaddr *)&ss, &sslen)) {
		int err = errno;

		log_err("cannot listen on %s:%s: %s", s->cfg.host, port,
			strerror(err));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -err;
	}
	freeaddrinfo(ai);
	s->listen_fd = fd;
	s->port = bound_port(&ss);
	return 0;
}

static void quiesce_cb(evutil_socket_t fd, short what, void *arg)
{
	struct http_worker *w = arg;

	(void)fd;
	(void)what;
	if (w->bound) {
		evhttp_del_accept_socket(w->http, w->bound);
		w->bound = NULL;
	}
}

static int worker_setup(struct http_worker *w)
{
	const struct http_config *cfg = &w->server->cfg;
	int fd;

	w->base = event_base_new();
	w->http = w->base ? evhttp_new(w->base) : NULL;
	w->quiesce_ev = w->base ? event_new(w->base, -1, 0, quiesce_cb, w) : NULL;
	if (!w->http || !w->quiesce_ev)
		return -ENOMEM;
	evhttp_set_bevcb(w->http, make_bev, w);
	evhttp_set_gencb(w->http, on_request, w);
	evhttp_set_max_body_size(w->http, (ev_ssize_t)cfg->max_body);
	evhttp_set_max_headers_size(w->http, 16384);
	evhttp_set_timeout(w->http, (int)cfg->timeout);
	evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
	/* each evhttp closes its listener's fd when freed: give it its own */
	fd = dup(w->server->listen_fd);
	if (fd < 0)
		return -errno;
	w->bound = evhttp_accept_socket_with_handle(w->http, fd);
	if (!w->bound) {
		close(fd);
		return -EIO;
	}
	return 0;
}

static void signal_ready(struct http_worker *w, int result)
{
	struct http_server *s = w->server;

	pthread_mutex_lock(&s->lock);
	w->init_result = result;
	s->nr_ready++;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static void *worker_main(void *arg)
{
	struct http_worker *w = arg;
	const struct http_config *cfg = &w->server->cfg;
	int ret = 0;

	if (cfg->worker_init)
		ret = cfg->worker_init(cfg->app, &w->local);
	signal_ready(w, ret);
	if (ret)
		return NULL;
	/* parked requests keep no event pending: do not exit when idle */
	event_base_loop(w->base, EVLOOP_NO_EXIT_ON_EMPTY);
	if (cfg->worker_fini)
		cfg->worker_fini(cfg->app, w->local);
	return NULL;
}

static void worker_free(struct http_worker *w)
{
	if (w->http)
		evhttp_free(w->http);
	if (w->quiesce_ev)
		event_free(w->quiesce_ev);
	if (w->base)
		event_base_free(w->base);
}

static int wait_ready(struct http_server *s)
{
	unsigned int i;

	pthread_mutex_lock(&s->lock);
	while (s->nr_ready < s->nr_workers)
		pthread_cond_wait(&s->cond, &s->lock);
	pthread_mutex_unlock(&s->lock);
	for (i = 0; i < s->nr_workers; i++)
		if (s->workers[i].init_result)
			return s->workers[i].init_result;
	return 0;
}

static int start_workers(struct http_server *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_workers; i++) {
		struct http_worker *w = &s->workers[i];
		int ret;

		w->server = s;
		ret = worker_setup(w);
		if (!ret && pthread_create(&w->thread, NULL, worker_main, w))
			ret = -EAGAIN;
		if (ret) {
			worker_free(w);
			memset(w, 0, sizeof(*w));
			/* the ones started still report in */
			s->nr_workers = i;
			wait_ready(s);
			return ret;
		}
		w->started = true;
	}
	return wait_ready(s);
}

static int evthread_result;

static void evthread_init(void)
{
	evthread_result = evthread_use_pthreads();
}

/* Before any event_base exists, once per process. */
static int evthread_once(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, evthread_init);
	return evthread_result;
}

static void server_free(struct http_server *s)
{
	unsigned int i;

	for (i = 0; s->workers && i < s->nr_workers; i++)
		worker_free(&s->workers[i]);
	free(s->workers);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}

static void stop_workers(struct http_server *s, unsigned int grace_ms)
{
	struct timeval tv = { grace_ms / 1000,
			      (suseconds_t)(grace_ms % 1000) * 1000 };
	unsigned int i;

	for (i = 0; i < s->nr_workers; i++)
		if (s->workers[i].started)
			event_base_loopexit(s->workers[i].base, &tv);
	for (i = 0; i < s->nr_workers; i++)
		if (s->workers[i].started)
			pthread_join(s->workers[i].thread, NULL);
}

int http_server_start(const struct http_config *cfg, struct http_server **out)
{
	struct http_server *s;
	int ret;

	*out = NULL;
	if (evthread_once()) {
		log_err("libevent has no pthreads support");
		return -ENOSYS;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->cfg = *cfg;
	s->listen_fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	s->nr_workers = cfg->threads ? cfg->threads : 1;
	s->workers = calloc(s->nr_workers, sizeof(*s->workers));
	ret = s->workers ? open_listener(s) : -ENOMEM;
	if (!ret)
		ret = start_workers(s);
	if (ret) {
		stop_workers(s, 0);
		server_free(s);
		return ret;
	}
	*out = s;
	return 0;
}

unsigned int http_server_port(const struct http_server *s)
{
	return s->port;
}

void http_server_quiesce(struct http_server *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_workers; i++)
		event_active(s->workers[i].quiesce_ev, EV_READ, 0);
}

void http_server_stop(struct http_server *s, unsigned int grace_ms)
{
	if (!s)
		return;
	stop_workers(s, grace_ms);
	server_free(s);
}
