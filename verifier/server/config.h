/* SPDX-License-Identifier: GPL-2.0 */
/*
 * config.h - hrot-verifierd's settings: built-in defaults, then
 * /etc/hrot/verifierd.conf ("key = value", the long option names without
 * dashes), then the command line, each overriding the one before.
 */
#ifndef HROT_VERIFIER_CONFIG_H
#define HROT_VERIFIER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "log.h"

#define CONFIG_DEFAULT_FILE	"/etc/hrot/verifierd.conf"
#define CONFIG_DEFAULT_STATE	"/var/lib/hrot-verifier"
#define CONFIG_MAX_HOSTNAMES	16
#define CONFIG_PATH_MAX		4096

struct config {
	char state_dir[CONFIG_PATH_MAX];
	char listen_host[256];		/* "0.0.0.0", "::1", ... */
	unsigned int listen_port;	/* 0: any free port */
	char port_file[CONFIG_PATH_MAX];	/* "" : none */
	unsigned int threads;
	size_t nr_hostnames;
	char hostnames[CONFIG_MAX_HOSTNAMES][256];
	unsigned int nonce_lifetime;	/* seconds */
	unsigned int token_lifetime;
	unsigned int physical_lifetime;
	size_t max_body;		/* bytes */
	unsigned int read_timeout;	/* seconds */
	char ek_ca[CONFIG_PATH_MAX];	/* "" : no bundle */
	bool require_ek_cert;
	/* bring your own PKI; "" : the state directory's */
	char ca[CONFIG_PATH_MAX];
	char cert[CONFIG_PATH_MAX];
	char key[CONFIG_PATH_MAX];
	char client_ca[CONFIG_PATH_MAX];
	unsigned int hrot_pcr;
	bool foreground;
	enum log_level log_level;
};

/*
 * Fill @cfg from defaults, the configuration file (--config FILE, or the
 * default one when it exists) and @argv.  Return 0; 1 when --help or
 * --version was printed (exit 0); -1 after printing an error naming the
 * option (exit 2).
 */
int config_load(struct config *cfg, int argc, char **argv);

/* Path of @name in the state directory into @buf: 0 or -1 (too long). */
int config_state_path(const struct config *cfg, const char *name, char *buf,
		      size_t size);

#endif /* HROT_VERIFIER_CONFIG_H */
