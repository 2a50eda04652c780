/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrot-agent: continuous attestation of the running system
 * (Documentation/agent.md).
 *
 *   main.c    options, configuration, signals
 *   attest.c  one runtime attestation and the kernel token it leaves
 *   loop.c    when to attest: every --interval, and soon after the module
 *             announces a measurement (netlink), so a change is reported
 *             in seconds, not at the next period
 *
 * It shares hrot-unlock's configuration (/etc/hrot/unlock.conf: verifier,
 * CA, token key, timeouts), its enrolled metadata and its keyring code.
 */
#ifndef HROT_AGENT_H
#define HROT_AGENT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <hrot/client.h>

#include "../unlock/unlock.h"

#define AGENT_EXIT_OK		0
#define AGENT_EXIT_FAIL		1	/* refused or could not attest */
#define AGENT_EXIT_USAGE	2

struct agent_opts {
	const char *config;		/* NULL: UNLOCK_CONF_PATH */
	const char *metadata;		/* NULL: UNLOCK_METADATA_PATH */
	const char *keyring_path;	/* NULL: UNLOCK_KEYRING_PATH */
	long interval_ms;		/* between attestations */
	long settle_ms;			/* quiet time after a measurement */
	unsigned int count;		/* stop after this many; 0: never */
	bool once;			/* --once: count 1 */
	bool no_keyring;
	bool no_events;
	const char *component;		/* seed 002: its path, or NULL */
};

/* What the last attestation gave. */
enum agent_result {
	AGENT_PASS,
	AGENT_REFUSED,			/* the verifier said no */
	AGENT_ERROR,			/* no answer: transport, device, ... */
};

struct agent {
	const struct agent_opts *o;
	struct unlock_config cfg;
	struct hrot_metadata metadata;
	int32_t token_key;		/* our token in the kernel; 0: none */
	int64_t token_expires;		/* the last pass's token (epoch s) */
	enum agent_result last;
	unsigned int rounds;
	sigset_t waitmask;		/* while waiting: the stop signals pass */
	bool has_component;
	uint8_t component[32];		/* its SHA-256, as the module hashed it */
};

/* Have the module measure --component; its digest in @ag.  0 or -1. */
int agent_measure_component(struct agent *ag);

/* One attestation; says one line; keeps the kernel token current. */
enum agent_result agent_attest(struct agent *ag);

/* Revoke every token in the .hrot keyring, saying so for each. */
void agent_tokens_revoke(struct agent *ag);

/* Until a signal or --count.  Return: an AGENT_EXIT_* status. */
int agent_run(struct agent *ag, const volatile sig_atomic_t *stop);

/* "hrot-agent: ..." on stdout, flushed (the journal's line). */
void agent_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* HROT_AGENT_H */
