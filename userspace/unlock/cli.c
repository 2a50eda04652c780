// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: what the commands share: configuration, messages, opening
 * the volume.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libcryptsetup.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("hrot-unlock: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The console line of an attempt: stderr, which the initramfs shows. */
void cli_say(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "%s\n", line);
	fflush(stderr);
}

static int override(struct unlock_config *cfg, const char *key,
		    const char *value)
{
	char err[UNLOCK_ERR_MAX];

	if (!value || !unlock_config_set(cfg, key, value, err, sizeof(err)))
		return 0;
	cli_error("--%s: %s", key, err);
	return -EINVAL;
}

int cli_config(struct unlock_opts *o, bool cmdline)
{
	char err[UNLOCK_ERR_MAX];

	if (unlock_config_read(&o->cfg, o->config,
			       cmdline ? UNLOCK_CMDLINE_PATH : NULL, err,
			       sizeof(err))) {
		cli_error("%s", err);
		return -EINVAL;
	}
	if (override(&o->cfg, "verifier", o->verifier) ||
	    override(&o->cfg, "ca", o->ca) ||
	    override(&o->cfg, "token_key", o->token_key))
		return -EINVAL;
	if (o->recovery)
		o->cfg.recovery = true;
	return 0;
}

int cli_load(const char *device, struct crypt_device **cd)
{
	int ret = crypt_init(cd, device);

	if (ret < 0) {
		cli_error("%s: %s", device, strerror(-ret));
		return ret;
	}
	ret = crypt_load(*cd, CRYPT_LUKS2, NULL);
	if (ret < 0) {
		cli_error("%s: not a LUKS2 volume (%s)", device,
			  strerror(-ret));
		crypt_free(*cd);
		*cd = NULL;
	}
	return ret;
}
