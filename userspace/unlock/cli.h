/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrot-unlock: the command line (main.c) and its commands (cmd_*.c).
 */
#ifndef HROT_UNLOCK_CLI_H
#define HROT_UNLOCK_CLI_H

#include <stdbool.h>

#include "unlock.h"

/* Exit codes. */
#define UNLOCK_EXIT_OK		0
#define UNLOCK_EXIT_FAILED	1	/* refused, unreachable, wrong key */
#define UNLOCK_EXIT_USAGE	2	/* bad command line or configuration */

struct unlock_opts {
	const char *config;		/* --config (else UNLOCK_CONF_PATH) */
	const char *verifier, *ca, *token_key;
	const char *metadata;		/* --metadata */
	const char *key_file;		/* --key-file: an existing passphrase */
	const char *recovery_key_file;
	const char *keyring_path;	/* --keyring-file */
	const char *token_out;		/* --token-out */
	const char *hostname;		/* enroll */
	const char *instance;		/* enroll --instance HEX */
	const char *instance_file;	/* seal-image --instance-file */
	long poll_ms, wait_ms;		/* enroll */
	bool no_keyring, test_passphrase, recovery, readonly, json;
	struct unlock_config cfg;	/* after the file and the options */
	char *const *args;		/* positional, after the command */
	int nargs;
};

/* The configuration: file, kernel command line (open only), options. */
int cli_config(struct unlock_opts *o, bool cmdline);
/* "hrot-unlock: ..." on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_say(void *arg, const char *line);
/* crypt_init + crypt_load(LUKS2); 0 or -errno, message printed. */
int cli_load(const char *device, struct crypt_device **cd);

int cmd_bind(struct unlock_opts *o);
int cmd_unbind(struct unlock_opts *o);
int cmd_status(struct unlock_opts *o);
int cmd_open(struct unlock_opts *o);
int cmd_enroll(struct unlock_opts *o);
int cmd_seal_image(struct unlock_opts *o);

#endif /* HROT_UNLOCK_CLI_H */
