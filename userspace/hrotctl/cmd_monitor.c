// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl monitor: print the module's netlink events as they come, one
 * line each (or one JSON object per line), until --count events were
 * printed or --timeout seconds passed.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include <hrot/events.h>

#include "hrotctl.h"

struct monitor_state {
	const struct monitor_args *a;
	uint32_t printed;
};

static void print_event_text(const struct hrot_event_msg *m)
{
	printf("%s", hrot_event_name(m->event));
	if (m->event == HROT_GENL_CMD_MEASUREMENT) {
		printf(" index=%" PRIu64 " pcr=%u type=0x%08x kind=%s sha256=",
		       m->log_index, m->pcr, m->event_type,
		       m->kind == HROT_EVENT_FILE ? "file" : "extend");
		print_hex(stdout, m->digest, sizeof(m->digest));
		/* the name last: it may hold spaces; escaped as in `log` */
		printf(" name=");
		print_text_n(stdout, (const char *)m->desc, m->desc_len);
	} else {
		printf(" token=");
		print_hex(stdout, m->token_id, sizeof(m->token_id));
		printf(" key=%d", m->key_serial);
		if (m->event != HROT_GENL_CMD_TOKEN_REVOKED)
			printf(" expires=%" PRIu64, m->expires_at);
	}
	putchar('\n');
}

static int print_event_json(const struct hrot_event_msg *m)
{
	struct json_object *o = json_object_new_object();
	bool ok = o && json_add(o, "event",
				json_object_new_string(hrot_event_name(m->event)));

	if (ok && m->event == HROT_GENL_CMD_MEASUREMENT)
		ok = json_add(o, "index", json_object_new_uint64(m->log_index)) &&
		     json_add(o, "pcr", json_object_new_int64(m->pcr)) &&
		     json_add(o, "type", json_object_new_int64(m->event_type)) &&
		     json_add(o, "kind", json_object_new_string(
				m->kind == HROT_EVENT_FILE ? "file" : "extend")) &&
		     json_add(o, "sha256", json_hex(m->digest, sizeof(m->digest))) &&
		     json_add(o, "name", json_name((const char *)m->desc,
						   m->desc_len));
	else if (ok)
		ok = json_add(o, "token", json_hex(m->token_id,
						   sizeof(m->token_id))) &&
		     json_add(o, "key", json_object_new_int64(m->key_serial)) &&
		     (m->event == HROT_GENL_CMD_TOKEN_REVOKED ||
		      json_add(o, "expires", json_object_new_uint64(m->expires_at)));
	if (!ok) {
		json_object_put(o);
		return -ENOMEM;
	}
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return 0;
}

/* Stops the read (returns 1) once --count events are out. */
static int on_event(const struct hrot_event_msg *m, void *arg)
{
	struct monitor_state *s = arg;

	if (s->a->json) {
		if (print_event_json(m))
			return -ENOMEM;
	} else {
		print_event_text(m);
	}
	fflush(stdout);
	s->printed++;
	return s->a->count && s->printed >= s->a->count;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* poll()'s timeout for the deadline (-1: none); 0 once it has passed. */
static int wait_ms(int64_t deadline)
{
	int64_t left;

	if (deadline < 0)
		return -1;
	left = deadline - now_ms();
	if (left <= 0)
		return 0;
	return left > INT32_MAX ? INT32_MAX : (int)left;
}

/*
 * Read what is waiting.  Return: 1 when --count is reached, 0 to go on,
 * -1 on failure (said).
 */
static int read_events(struct hrot_events *ev, struct monitor_state *s)
{
	int ret = hrot_events_read(ev, on_event, s);

	if (ret == 1)
		return 1;
	if (ret == -ENOBUFS) {
		/* the kernel dropped some: say so and go on */
		errmsg("monitor: events were lost (socket buffer full); the log has them all");
		return 0;
	}
	if (ret) {
		errmsg("monitor: reading events: %s", strerror(-ret));
		return -1;
	}
	return 0;
}

/* Wait for events until the deadline (-1: none).  Return: EXIT_*. */
static int monitor_loop(struct hrot_events *ev, struct monitor_state *s,
			int64_t deadline)
{
	struct pollfd p = { .fd = hrot_events_fd(ev), .events = POLLIN };

	for (;;) {
		int wait = wait_ms(deadline), ret;

		if (wait == 0)
			return EXIT_OK;
		ret = poll(&p, 1, wait);
		if (ret < 0 && errno != EINTR) {
			errmsg("monitor: poll: %s", strerror(errno));
			return EXIT_FAIL;
		}
		if (ret <= 0)
			continue;
		ret = read_events(ev, s);
		if (ret)
			return ret > 0 ? EXIT_OK : EXIT_FAIL;
	}
}

int cmd_monitor(const struct global_opts *g, int argc, char **argv)
{
	struct monitor_state s = { 0 };
	struct monitor_args a;
	struct hrot_events *ev;
	char err[256] = "";
	int ret;

	(void)g;
	ret = parse_monitor_args(argc, argv, &a);
	if (ret)
		return ret;
	s.a = &a;
	ret = hrot_events_open(&ev, err, sizeof(err));
	if (ret) {
		errmsg("monitor: %s", err[0] ? err : strerror(-ret));
		return EXIT_FAIL;
	}
	/* on stderr, so a script can wait for it before causing events */
	errmsg("monitor: listening");
	ret = monitor_loop(ev, &s, a.timeout_s ?
			   now_ms() + (int64_t)a.timeout_s * 1000 : -1);
	hrot_events_close(ev);
	if (ret == EXIT_OK && a.count && s.printed < a.count) {
		errmsg("monitor: %u of %u events before the timeout",
		       s.printed, a.count);
		return EXIT_FAIL;
	}
	return ret;
}
