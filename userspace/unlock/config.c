// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: configuration.  /etc/hrot/unlock.conf holds "key = value"
 * lines ('#' starts a comment); the kernel command line's rd.hrot.* options
 * override them for one boot.  An unknown key or a bad value is an error
 * naming the key: a typo must not silently weaken the unlock.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unlock.h"

#define MAX_TIME_MS	(3600L * 1000L)
#define MAX_RETRIES	100
#define LINE_MAX_LEN	4096
#define CMDLINE_MAX	8192

void unlock_config_defaults(struct unlock_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->ca, sizeof(cfg->ca), "%s", UNLOCK_CA_PATH);
	snprintf(cfg->token_key, sizeof(cfg->token_key), "%s",
		 UNLOCK_TOKEN_KEY_PATH);
	cfg->connect_timeout_ms = 5000;
	cfg->timeout_ms = 15000;
	cfg->retries = 4;
	cfg->backoff_ms = 1000;
	cfg->deadline_ms = 90000;
}

int unlock_parse_time(const char *s, long *out)
{
	char *end = NULL;
	long v;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	v = strtol(s, &end, 10);
	if (errno || v <= 0)
		return -EINVAL;
	if (strcmp(end, "ms") == 0)
		;
	else if (*end == '\0' || strcmp(end, "s") == 0)
		v = v > MAX_TIME_MS / 1000 ? MAX_TIME_MS + 1 : v * 1000;
	else
		return -EINVAL;
	if (v > MAX_TIME_MS)
		return -ERANGE;
	*out = v;
	return 0;
}

static int parse_count(const char *s, unsigned int *out)
{
	char *end = NULL;
	long v;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > MAX_RETRIES)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

static int set_string(char *dst, size_t size, const char *value)
{
	if (!*value)
		return -EINVAL;
	if (strlen(value) >= size)
		return -ENAMETOOLONG;
	memcpy(dst, value, strlen(value) + 1);
	return 0;
}

static int set_url(struct unlock_config *cfg, const char *value)
{
	if (strncmp(value, "https://", 8) != 0 || !value[8] ||
	    strpbrk(value, " \t\"'"))
		return -EINVAL;
	return set_string(cfg->verifier, sizeof(cfg->verifier), value);
}

static int set_bool(bool *dst, const char *value)
{
	if (!strcmp(value, "1") || !strcmp(value, "yes") ||
	    !strcmp(value, "true"))
		*dst = true;
	else if (!strcmp(value, "0") || !strcmp(value, "no") ||
		 !strcmp(value, "false"))
		*dst = false;
	else
		return -EINVAL;
	return 0;
}

static int set_one(struct unlock_config *cfg, const char *key,
		   const char *value)
{
	if (!strcmp(key, "verifier"))
		return set_url(cfg, value);
	if (!strcmp(key, "ca"))
		return set_string(cfg->ca, sizeof(cfg->ca), value);
	if (!strcmp(key, "token_key"))
		return set_string(cfg->token_key, sizeof(cfg->token_key),
				  value);
	if (!strcmp(key, "connect_timeout"))
		return unlock_parse_time(value, &cfg->connect_timeout_ms);
	if (!strcmp(key, "timeout"))
		return unlock_parse_time(value, &cfg->timeout_ms);
	if (!strcmp(key, "backoff"))
		return unlock_parse_time(value, &cfg->backoff_ms);
	if (!strcmp(key, "deadline"))
		return unlock_parse_time(value, &cfg->deadline_ms);
	if (!strcmp(key, "retries"))
		return parse_count(value, &cfg->retries);
	return -ENOENT;
}

int unlock_config_set(struct unlock_config *cfg, const char *key,
		      const char *value, char *err, size_t err_size)
{
	int ret = set_one(cfg, key, value);

	if (ret == -ENOENT)
		snprintf(err, err_size, "unknown key '%s'", key);
	else if (ret)
		snprintf(err, err_size, "bad value for '%s': '%s'", key,
			 value);
	return ret == -ENOENT ? -EINVAL : ret;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* One line of the file; blank lines and comments pass. */
static int config_line(struct unlock_config *cfg, char *line, char *err,
		       size_t err_size)
{
	char *hash = strchr(line, '#'), *eq, *key;

	if (hash)
		*hash = '\0';
	key = trim(line);
	if (!*key)
		return 0;
	eq = strchr(key, '=');
	if (!eq) {
		snprintf(err, err_size, "'%s' is not 'key = value'", key);
		return -EINVAL;
	}
	*eq = '\0';
	return unlock_config_set(cfg, trim(key), trim(eq + 1), err, err_size);
}

static int config_stream(struct unlock_config *cfg, FILE *f, const char *path,
			 char *err, size_t err_size)
{
	char line[LINE_MAX_LEN], why[UNLOCK_ERR_MAX];
	unsigned int n = 0;
	int ret = 0;

	while (!ret && fgets(line, sizeof(line), f)) {
		n++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, err_size, "%s:%u: line too long", path,
				 n);
			return -EINVAL;
		}
		ret = config_line(cfg, line, why, sizeof(why));
		if (ret)
			snprintf(err, err_size, "%s:%u: %s", path, n, why);
	}
	if (!ret && ferror(f)) {
		snprintf(err, err_size, "%s: read error", path);
		ret = -EIO;
	}
	return ret;
}

int unlock_config_load(struct unlock_config *cfg, const char *path,
		       char *err, size_t err_size)
{
	FILE *f = fopen(path, "re");
	int ret;

	if (!f) {
		ret = -errno;
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return ret;
	}
	ret = config_stream(cfg, f, path, err, err_size);
	fclose(f);
	return ret;
}

/* rd.hrot.KEY[=VALUE]; other words are not ours. */
static int cmdline_word(struct unlock_config *cfg, char *word, char *err,
			size_t err_size)
{
	char *key = word + strlen("rd.hrot."), *eq;
	int ret;

	if (strncmp(word, "rd.hrot.", 8) != 0)
		return 0;
	eq = strchr(key, '=');
	if (eq)
		*eq = '\0';
	if (!strcmp(key, "recovery")) {
		if (!eq)
			cfg->recovery = true;
		else if (set_bool(&cfg->recovery, eq + 1)) {
			snprintf(err, err_size,
				 "bad value for 'rd.hrot.recovery': '%s'",
				 eq + 1);
			return -EINVAL;
		}
		return 0;
	}
	if (!eq || !strcmp(key, "ca") || !strcmp(key, "token_key")) {
		/* The trust anchors are the initramfs', never the command
		 * line's: whoever edits it must not choose the verifier's
		 * identity. */
		snprintf(err, err_size,
			 "kernel command line: 'rd.hrot.%s' is not an option",
			 key);
		return -EINVAL;
	}
	ret = set_one(cfg, key, eq + 1);
	if (ret == -ENOENT)
		snprintf(err, err_size,
			 "kernel command line: unknown option 'rd.hrot.%s'",
			 key);
	else if (ret)
		snprintf(err, err_size,
			 "kernel command line: bad value for 'rd.hrot.%s': '%s'",
			 key, eq + 1);
	return ret ? -EINVAL : 0;
}

int unlock_config_cmdline(struct unlock_config *cfg, const char *cmdline,
			  char *err, size_t err_size)
{
	char *copy, *save = NULL, *w;
	int ret = 0;

	if (strlen(cmdline) >= CMDLINE_MAX) {
		snprintf(err, err_size, "kernel command line too long");
		return -EINVAL;
	}
	copy = strdup(cmdline);
	if (!copy)
		return -ENOMEM;
	for (w = strtok_r(copy, " \t\n", &save); w && !ret;
	     w = strtok_r(NULL, " \t\n", &save))
		ret = cmdline_word(cfg, w, err, err_size);
	free(copy);
	return ret;
}

static int read_cmdline(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	return 0;
}

int unlock_config_read(struct unlock_config *cfg, const char *conf,
		       const char *cmdline_path, char *err, size_t err_size)
{
	char cmdline[CMDLINE_MAX];
	int ret;

	unlock_config_defaults(cfg);
	ret = unlock_config_load(cfg, conf ? conf : UNLOCK_CONF_PATH, err,
				 err_size);
	/* The default file is optional; one named explicitly is not. */
	if (ret == -ENOENT && !conf)
		ret = 0;
	if (ret || !cmdline_path)
		return ret;
	if (read_cmdline(cmdline_path, cmdline, sizeof(cmdline)))
		return 0;
	return unlock_config_cmdline(cfg, cmdline, err, err_size);
}
