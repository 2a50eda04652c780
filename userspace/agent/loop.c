// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-agent: when to attest.
 *
 * Every --interval, or sooner when a pass's token would run out first (at
 * three quarters of what was left of it); and --settle after the module
 * announces a measurement (netlink), the wait starting over with each
 * further one, so a burst of measurements (a package upgrade) costs one
 * attestation, not one each, yet never more than SETTLE_MAX_FACTOR settle
 * times after the first.  The end of our kernel token (expired, or revoked
 * by someone else) asks for a new one soon too.  An attestation without a
 * verdict (verifier down) is tried again after the configured backoff,
 * doubled each time up to the interval; a refusal waits a whole interval.
 *
 * Without the module's events (an older module, --no-events) the agent
 * attests by the interval alone, and says so once.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include <hrot/events.h>

#include "agent.h"

#define SETTLE_MAX_FACTOR	10

struct schedule {
	int64_t next;			/* the periodic attestation */
	int64_t settle_at;		/* 0: nothing measured since */
	int64_t settle_limit;		/* the latest settle_at may move to */
	int64_t not_before;		/* no event-driven round before */
	long retry_ms;			/* after a round without a verdict */
};

struct event_ctx {
	struct agent *ag;
	struct schedule *s;
};

static void soon(struct schedule *s, long settle_ms)
{
	int64_t now = unlock_now_ms();

	if (!s->settle_at)
		s->settle_limit = now + (int64_t)settle_ms * SETTLE_MAX_FACTOR;
	s->settle_at = now + settle_ms;
	if (s->settle_at > s->settle_limit)
		s->settle_at = s->settle_limit;
}

static int on_event(const struct hrot_event_msg *m, void *arg)
{
	struct event_ctx *e = arg;

	if (m->event == HROT_GENL_CMD_MEASUREMENT) {
		soon(e->s, e->ag->o->settle_ms);
	} else if ((m->event == HROT_GENL_CMD_TOKEN_EXPIRED ||
		    m->event == HROT_GENL_CMD_TOKEN_REVOKED) &&
		   m->key_serial == e->ag->token_key) {
		agent_say("kernel token %d %s", m->key_serial,
			  m->event == HROT_GENL_CMD_TOKEN_EXPIRED ?
			  "expired" : "was revoked");
		e->ag->token_key = 0;
		soon(e->s, 0);
	}
	return 0;
}

/* Join the module's events; @say: tell when they are not there. */
static struct hrot_events *events_open(const struct agent_opts *o, bool say)
{
	struct hrot_events *ev = NULL;
	char err[256] = "";
	int ret;

	if (o->no_events)
		return NULL;
	ret = hrot_events_open(&ev, err, sizeof(err));
	if (ret && say)
		agent_say("no measurement events (%s): attesting every %ld s only",
			  err[0] ? err : strerror(-ret), o->interval_ms / 1000);
	return ret ? NULL : ev;
}

/* Milliseconds until the next attestation is due (0: now). */
static int wait_ms(const struct schedule *s)
{
	int64_t due = s->next, left;

	if (s->settle_at) {
		int64_t soonest = s->settle_at > s->not_before ?
				  s->settle_at : s->not_before;

		if (soonest < due)
			due = soonest;
	}
	left = due - unlock_now_ms();
	if (left <= 0)
		return 0;
	return left > INT32_MAX ? INT32_MAX : (int)left;
}

/*
 * A pass's token should not run out before the next pass: renew it when
 * three quarters of what is left of it are gone, if that comes before
 * @delay.
 */
static long renewal_ms(const struct agent *ag, long delay)
{
	int64_t left = ag->token_expires - (int64_t)time(NULL);

	if (left <= 1)
		return 1000;
	if (left >= delay / 750 + 1)
		return delay;
	return (long)(left * 750);
}

/*
 * After a round: when the next one is due, and how soon a measurement may
 * bring the one after.  After a pass, a settle's gap; after no verdict, the
 * backoff (doubled each time, at most the interval); after a refusal, the
 * whole interval even for a measurement: the log only grows, so what was
 * refused stays refused until the operator changes the policy.
 */
static void reschedule(struct agent *ag, struct schedule *s,
		       enum agent_result res)
{
	long delay = ag->o->interval_ms, gap = delay;
	int64_t now = unlock_now_ms();

	if (res == AGENT_PASS) {
		delay = renewal_ms(ag, delay);
		gap = ag->o->settle_ms;
		s->retry_ms = 0;
	} else if (res == AGENT_ERROR) {
		s->retry_ms = s->retry_ms ? s->retry_ms * 2 : ag->cfg.backoff_ms;
		if (s->retry_ms > delay)
			s->retry_ms = delay;
		delay = gap = s->retry_ms;
	} else {
		s->retry_ms = 0;
	}
	s->next = now + delay;
	s->not_before = now + gap;
	s->settle_at = 0;
}

/* The module reloaded: its family (and our membership) is gone. */
static struct hrot_events *events_recheck(struct hrot_events *ev,
					  const struct agent_opts *o)
{
	if (o->no_events || (ev && hrot_events_alive(ev)))
		return ev;
	hrot_events_close(ev);
	return events_open(o, false);
}

/*
 * Wait for the due time or an event, with the stop signals let through
 * only here (so one that came during a round is not slept over).  Return:
 * -1 when the events cannot be read any more (said): the caller goes on by
 * the interval alone.
 */
static int wait_for_due(struct hrot_events *ev, struct event_ctx *e)
{
	struct pollfd p = { .fd = ev ? hrot_events_fd(ev) : -1,
			    .events = POLLIN };
	int ms = wait_ms(e->s);
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000L };
	int ret = ppoll(&p, 1, &ts, &e->ag->waitmask);

	if (ret < 0 && errno != EINTR)
		agent_say("poll: %s", strerror(errno));
	if (ret <= 0 || !ev)
		return 0;
	ret = hrot_events_read(ev, on_event, e);
	if (ret == -ENOBUFS) {
		/* some were dropped: one of them may be a measurement */
		soon(e->s, e->ag->o->settle_ms);
		return 0;
	}
	if (ret) {
		agent_say("reading the module's events: %s", strerror(-ret));
		return -1;
	}
	return 0;
}

int agent_run(struct agent *ag, const volatile sig_atomic_t *stop)
{
	struct schedule s = { 0 };
	struct event_ctx e = { ag, &s };
	/* the events first: a measurement during the first round counts */
	struct hrot_events *ev = events_open(ag->o, true);

	while (!*stop) {
		if (wait_ms(&s) == 0) {
			ev = events_recheck(ev, ag->o);
			ag->last = agent_attest(ag);
			reschedule(ag, &s, ag->last);
			if (ag->o->count && ag->rounds >= ag->o->count)
				break;
		} else if (wait_for_due(ev, &e)) {
			hrot_events_close(ev);
			ev = NULL;
		}
	}
	hrot_events_close(ev);
	if (!ag->o->count)
		return AGENT_EXIT_OK;
	return ag->last == AGENT_PASS ? AGENT_EXIT_OK : AGENT_EXIT_FAIL;
}
