// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: bounded attempts.  A pause between attempts that doubles
 * (capped at 30 s), and one deadline for everything: no attempt starts,
 * and no pause lasts, past it.
 */
#include <errno.h>
#include <time.h>

#include "unlock.h"

#define BACKOFF_CAP_MS	30000L

int64_t unlock_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void unlock_clock_start(struct unlock_clock *clk, long deadline_ms)
{
	clk->start_ms = unlock_now_ms();
	clk->deadline_ms = clk->start_ms + deadline_ms;
}

long unlock_clock_left(const struct unlock_clock *clk)
{
	int64_t left = clk->deadline_ms - unlock_now_ms();

	return left > 0 ? (long)left : 0;
}

long unlock_backoff(const struct unlock_config *cfg, unsigned int n)
{
	long ms = cfg->backoff_ms;
	unsigned int i;

	for (i = 2; i < n && ms < BACKOFF_CAP_MS; i++)
		ms *= 2;
	return ms < BACKOFF_CAP_MS ? ms : BACKOFF_CAP_MS;
}

bool unlock_pause(const struct unlock_clock *clk, long ms)
{
	long left = unlock_clock_left(clk);
	struct timespec ts;

	if (ms >= left)
		return false;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	return unlock_clock_left(clk) > 0;
}
