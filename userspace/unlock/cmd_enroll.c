// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock enroll: provisioning.  Register this device (EK, AK,
 * fingerprint), wait until an operator approves it (polling, bounded by
 * --wait), activate the credential, and keep the verifier's signed
 * instance metadata (checked against the token key) for bind.
 *
 * --instance HEX claims the instance an operator made ahead for an image
 * sealed with seal-image: the metadata kept then is what open completes
 * that image's token with.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hrot/hex.h>

#include "cli.h"

struct enroll {
	struct unlock_opts *o;
	struct hrot_client *c;
	struct hrot_attester a;
	uint8_t device[HROT_DEVICE_NAME_SIZE];
	const uint8_t *instance;	/* --instance, or NULL */
	uint8_t instance_buf[HROT_INSTANCE_ID_SIZE];
};

static int refused(struct enroll *e, const char *what, int ret)
{
	const struct hrot_client_error *err = hrot_client_error(e->c);

	cli_error("%s: %s: %s", what, err->reason[0] ? err->reason : "local",
		  err->detail[0] ? err->detail : strerror(-ret));
	return ret;
}

static int do_register(struct enroll *e)
{
	char host[64] = "", state[32] = "";
	char hex[HROT_HEX_SIZE(HROT_DEVICE_NAME_SIZE)];
	const char *keys[] = { "hostname" };
	const char *values[] = { host };
	int ret;

	if (e->o->hostname)
		snprintf(host, sizeof(host), "%s", e->o->hostname);
	else if (gethostname(host, sizeof(host) - 1))
		snprintf(host, sizeof(host), "unknown");
	ret = hrot_client_register(e->c, &e->a, keys, values, 1, e->device,
				   state, sizeof(state));
	if (ret)
		return refused(e, "register", ret);
	hrot_hex_encode(e->device, sizeof(e->device), hex, sizeof(hex));
	printf("registered device %s (%s)\n", hex, state);
	fflush(stdout);
	return 0;
}

/* Atomically: a reader never sees half a file. */
static int save_metadata(const char *path, const struct hrot_metadata *m)
{
	char tmp[PATH_MAX];
	int fd, ret = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, m, sizeof(*m)) != (ssize_t)sizeof(*m) || fsync(fd))
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -EIO;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

static int keep(struct enroll *e, const struct hrot_enrollment *en)
{
	const char *path = e->o->metadata ? e->o->metadata :
					    UNLOCK_METADATA_PATH;
	char err[UNLOCK_ERR_MAX] = "", inst[HROT_HEX_SIZE(HROT_INSTANCE_ID_SIZE)];
	int ret;

	if (!unlock_metadata_check(&en->metadata, e->o->cfg.token_key, err,
				   sizeof(err)) &&
	    memcmp(en->metadata.device, e->device, sizeof(e->device)) != 0)
		snprintf(err, sizeof(err), "it names another device");
	if (err[0]) {
		cli_error("activate: the verifier's metadata does not check out: %s",
			  err);
		return -EKEYREJECTED;
	}
	ret = save_metadata(path, &en->metadata);
	if (ret) {
		cli_error("%s: %s", path, strerror(-ret));
		return ret;
	}
	hrot_hex_encode(en->metadata.instance, HROT_INSTANCE_ID_SIZE, inst,
			sizeof(inst));
	printf("enrolled: instance %s, metadata in %s\n", inst, path);
	return 0;
}

/* --poll may be a day: more than usleep() takes. */
static void poll_wait(long ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static bool pending(struct enroll *e, int ret)
{
	return ret == -EACCES &&
	       !strcmp(hrot_client_error(e->c)->reason, "device_pending");
}

static int do_activate(struct enroll *e)
{
	int64_t end = unlock_now_ms() + e->o->wait_ms;
	struct hrot_enrollment en;
	bool told = false;
	int ret;

	for (;;) {
		ret = hrot_client_activate_instance(e->c, &e->a, e->device,
						    NULL, e->instance, &en);
		if (!ret)
			break;
		if (!pending(e, ret) || unlock_now_ms() + e->o->poll_ms > end)
			return refused(e, "activate", ret);
		if (!told)
			printf("waiting for an operator to approve it\n");
		fflush(stdout);
		told = true;
		poll_wait(e->o->poll_ms);
	}
	ret = keep(e, &en);
	hrot_enrollment_free(&en);
	return ret;
}

int cmd_enroll(struct unlock_opts *o)
{
	struct hrot_client_config cc = { 0 };
	struct enroll e = { .o = o };
	int ret;

	if (cli_config(o, false))
		return UNLOCK_EXIT_USAGE;
	if (o->instance) {
		if (hrot_hex_decode(o->instance, e.instance_buf,
				    sizeof(e.instance_buf))) {
			cli_error("--instance: want %d hex digits",
				  2 * HROT_INSTANCE_ID_SIZE);
			return UNLOCK_EXIT_USAGE;
		}
		e.instance = e.instance_buf;
	}
	cc.url = o->cfg.verifier;
	cc.ca_file = o->cfg.ca;
	cc.connect_timeout_ms = o->cfg.connect_timeout_ms;
	cc.timeout_ms = o->cfg.timeout_ms;
	if (!o->cfg.verifier[0] || hrot_client_new(&cc, &e.c)) {
		cli_error("no usable verifier URL and CA (--verifier, --ca)");
		return UNLOCK_EXIT_USAGE;
	}
	ret = unlock_backend_open(&e.a);
	if (ret)
		cli_error("device: %s", strerror(-ret));
	if (!ret)
		ret = do_register(&e);
	if (!ret)
		ret = do_activate(&e);
	hrot_attester_close(&e.a);
	hrot_client_free(e.c);
	return ret ? UNLOCK_EXIT_FAILED : UNLOCK_EXIT_OK;
}
