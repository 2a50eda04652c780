// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-soft-attester: a simulated device for the service tests.
 *
 *   hrot-soft-attester --state DIR --tcti swtpm:host=H,port=P
 *       --verifier https://127.0.0.1:PORT --ca CA.pem --token-pub KEY.pem
 *       [--ek-alg ecc|rsa|ecc384] [--tamper WHAT]... CMD [ARGS]
 *
 *   init | register | activate | measure NAME FILE | boot | physical |
 *   attest [--out-token F] [--out-secret F] [--runtime] [--component HEX] |
 *   challenge | device |
 *   fingerprint
 *
 * One line of result; exit 0 on success, 3 when the verifier refused
 * (the line names its reason code), 1 on any other failure.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include <hrot/evidence.h>
#include <hrot/hex.h>
#include <hrot/token.h>

#include "soft.h"
#include "tamper.h"

#define EXIT_REFUSED	3

struct opts {
	const char *state, *tcti, *verifier, *ca, *token_pub, *ek_alg;
	const char *out_token, *out_secret;
	bool runtime;
	const char *component;		/* HEX, or NULL */
	struct tamper tamper;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: hrot-soft-attester --state DIR --tcti TCTI --verifier URL --ca CA.pem\n"
		"       --token-pub KEY.pem [--ek-alg ecc|rsa|ecc384] [--tamper WHAT]...\n"
		"       [--out-token F] [--out-secret F] [--runtime] [--component HEX] CMD [ARGS]\n"
		"CMD: init | register | activate | measure NAME FILE | boot | physical |\n"
		"     attest | challenge | device | fingerprint\n");
	exit(1);
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "state", required_argument, NULL, 's' },
		{ "tcti", required_argument, NULL, 't' },
		{ "verifier", required_argument, NULL, 'v' },
		{ "ca", required_argument, NULL, 'c' },
		{ "token-pub", required_argument, NULL, 'k' },
		{ "ek-alg", required_argument, NULL, 'e' },
		{ "tamper", required_argument, NULL, 'T' },
		{ "out-token", required_argument, NULL, 'o' },
		{ "out-secret", required_argument, NULL, 'S' },
		{ "runtime", no_argument, NULL, 'R' },
		{ "component", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	o->ek_alg = "ecc";
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 's': o->state = optarg; break;
		case 't': o->tcti = optarg; break;
		case 'v': o->verifier = optarg; break;
		case 'c': o->ca = optarg; break;
		case 'k': o->token_pub = optarg; break;
		case 'e': o->ek_alg = optarg; break;
		case 'o': o->out_token = optarg; break;
		case 'S': o->out_secret = optarg; break;
		case 'R': o->runtime = true; break;
		case 'C': o->component = optarg; break;
		case 'T':
			if (tamper_parse(&o->tamper, optarg)) {
				fprintf(stderr, "unknown --tamper %s\n", optarg);
				usage();
			}
			break;
		default: usage();
		}
	}
	if (!o->state || optind >= argc)
		usage();
	if (strcmp(o->ek_alg, "ecc") != 0 && strcmp(o->ek_alg, "rsa") != 0 &&
	    strcmp(o->ek_alg, "ecc384") != 0)
		usage();
	if (o->tcti)
		setenv("TPM2TOOLS_TCTI", o->tcti, 1);
	return optind;
}

/* A failed operation: exit 3 for a refusal, 1 otherwise. */
static int report(struct hrot_client *c, const char *what, int ret)
{
	const struct hrot_client_error *e = hrot_client_error(c);

	if (ret == -EACCES) {
		printf("%s verdict=fail reason=%s http=%ld detail=%s\n", what,
		       e->reason, e->http_status, e->detail);
		return EXIT_REFUSED;
	}
	printf("%s error reason=%s detail=%s\n", what,
	       e->reason[0] ? e->reason : "local", e->detail[0] ? e->detail :
	       strerror(-ret));
	return 1;
}

static int load_device(const struct soft_ctx *s, uint8_t dev[HROT_DEVICE_NAME_SIZE])
{
	char path[4096];
	uint8_t *buf;
	size_t len;
	int ret = soft_read_file(soft_path(s, "ak.name", path, sizeof(path)),
				 &buf, &len);

	if (ret)
		return ret;
	if (len == HROT_DEVICE_NAME_SIZE)
		memcpy(dev, buf, len);
	else
		ret = -EPROTO;
	free(buf);
	return ret;
}

static int load_metadata(const struct soft_ctx *s, struct hrot_metadata *m)
{
	char path[4096];
	uint8_t *buf;
	size_t len;
	int ret;

	memset(m, 0, sizeof(*m));
	/* A device that never enrolled sends zeros: the verifier decides. */
	ret = soft_read_file(soft_path(s, "metadata.bin", path, sizeof(path)),
			     &buf, &len);
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	if (len == sizeof(*m))
		memcpy(m, buf, len);
	else
		ret = -EPROTO;
	free(buf);
	return ret;
}

static void print_hex(const char *label, const void *p, size_t n)
{
	char hex[2 * 64 + 1];

	hrot_hex_encode(p, n, hex, sizeof(hex));
	printf(" %s=%s", label, hex);
}

static int cmd_register(struct hrot_client *c, struct hrot_attester *a)
{
	char host[64], state[32];
	const char *keys[] = { "hostname" };
	const char *values[] = { host };
	uint8_t dev[HROT_DEVICE_NAME_SIZE];
	int ret;

	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "soft");
	host[sizeof(host) - 1] = '\0';
	ret = hrot_client_register(c, a, keys, values, 1, dev, state,
				   sizeof(state));
	if (ret)
		return report(c, "register", ret);
	printf("register ok state=%s", state);
	print_hex("device", dev, sizeof(dev));
	printf("\n");
	return 0;
}

static int cmd_activate(struct hrot_client *c, struct hrot_attester *a,
			const struct soft_ctx *s)
{
	struct hrot_enrollment e;
	uint8_t dev[HROT_DEVICE_NAME_SIZE];
	char path[4096];
	int ret;

	ret = load_device(s, dev);
	if (ret)
		return report(c, "activate", ret);
	ret = hrot_client_activate(c, a, dev, NULL, &e);
	if (ret)
		return report(c, "activate", ret);
	ret = soft_write_file(soft_path(s, "metadata.bin", path, sizeof(path)),
			      &e.metadata, sizeof(e.metadata));
	printf("activate %s state=enrolled", ret ? "store-failed" : "ok");
	print_hex("instance", e.instance, sizeof(e.instance));
	printf(" created_at=%lld\n", (long long)e.created_at);
	hrot_enrollment_free(&e);
	return ret ? 1 : 0;
}

static int write_out(const char *path, const void *p, size_t n)
{
	return path ? soft_write_file(path, p, n) : 0;
}

static int cmd_attest(struct hrot_client *c, struct hrot_attester *a,
		      const struct soft_ctx *s, const struct opts *o)
{
	struct hrot_attest_opts ao = {
		.physical = o->tamper.no_physical ? HROT_PHYSICAL_NEVER :
						  HROT_PHYSICAL_AUTO,
		.token_pub = o->token_pub,
		.runtime = o->runtime,
	};
	struct hrot_metadata meta;
	struct hrot_release r;
	uint8_t dev[HROT_DEVICE_NAME_SIZE], comp[HROT_SHA256_SIZE];
	int ret;

	if (o->component) {
		if (hrot_hex_decode(o->component, comp, sizeof(comp))) {
			fprintf(stderr, "--component: want 64 hex digits\n");
			return 1;
		}
		ao.component = comp;
	}
	ret = load_device(s, dev);
	if (!ret)
		ret = load_metadata(s, &meta);
	if (ret)
		return report(c, "attest", ret);
	if (o->tamper.bad_metadata)
		meta.sig_s[5] ^= 0x10;
	ret = hrot_client_attest(c, a, dev, &meta, &ao, &r);
	if (ret)
		return report(c, "attest", ret);
	ret = write_out(o->out_token, &r.token, sizeof(r.token));
	if (!ret)
		ret = write_out(o->out_secret, r.secret, r.secret_len);
	printf("attest verdict=pass");
	print_hex("token_id", r.token.token_id, sizeof(r.token.token_id));
	printf(" expires_at=%lld secret_len=%zu\n",
	       (long long)r.token.expires_at, r.secret_len);
	hrot_release_free(&r);
	return ret ? 1 : 0;
}

static int cmd_physical(struct hrot_client *c, struct hrot_attester *a,
			const struct soft_ctx *s, const struct opts *o)
{
	struct hrot_token t;
	uint8_t dev[HROT_DEVICE_NAME_SIZE];
	int ret;

	ret = load_device(s, dev);
	if (!ret)
		ret = hrot_client_physical(c, a, dev, &t);
	if (ret)
		return report(c, "physical", ret);
	if (write_out(o->out_token, &t, sizeof(t)))
		return 1;
	printf("physical verdict=pass");
	print_hex("token_id", t.token_id, sizeof(t.token_id));
	printf(" expires_at=%lld\n", (long long)t.expires_at);
	return 0;
}

static int cmd_challenge(struct hrot_client *c, const struct soft_ctx *s)
{
	uint8_t dev[HROT_DEVICE_NAME_SIZE];
	struct hrot_challenge ch;
	int ret;

	ret = load_device(s, dev);
	if (!ret)
		ret = hrot_client_challenge(c, dev, &ch);
	if (ret)
		return report(c, "challenge", ret);
	printf("challenge ok");
	print_hex("nonce", ch.nonce, sizeof(ch.nonce));
	printf(" expires_in=%ld physical_required=%d\n", ch.expires_in,
	       ch.physical_required);
	return 0;
}

/* Commands that talk to the verifier. */
static int remote(const char *cmd, struct soft_ctx *s, const struct opts *o)
{
	struct hrot_client_config cfg = {
		.url = o->verifier, .ca_file = o->ca,
		.connect_timeout_ms = 5000, .timeout_ms = 30000,
	};
	struct hrot_client *c;
	struct hrot_attester a;
	struct tamper_ctx tc;
	int ret;

	if (!o->verifier || !o->ca)
		usage();
	ret = hrot_client_new(&cfg, &c);
	if (ret) {
		fprintf(stderr, "client: %s\n", strerror(-ret));
		return 1;
	}
	soft_attester(s, &a);
	tamper_install(&tc, &o->tamper, c, s);
	if (!strcmp(cmd, "register"))
		ret = cmd_register(c, &a);
	else if (!strcmp(cmd, "activate"))
		ret = cmd_activate(c, &a, s);
	else if (!strcmp(cmd, "attest"))
		ret = cmd_attest(c, &a, s, o);
	else if (!strcmp(cmd, "physical"))
		ret = cmd_physical(c, &a, s, o);
	else if (!strcmp(cmd, "challenge"))
		ret = cmd_challenge(c, s);
	else
		usage();
	hrot_client_free(c);
	/* A tamper that did not happen: whatever the verifier said, it
	 * was not said to the tampered evidence. */
	if (tc.failed) {
		fprintf(stderr, "hrot-soft-attester: the tamper failed\n");
		return 1;
	}
	return ret;
}

static int local(int ret, const char *what)
{
	if (ret) {
		printf("%s error reason=local detail=%s\n", what,
		       strerror(-ret));
		return 1;
	}
	printf("%s ok\n", what);
	return 0;
}

/* The fingerprint object of the protocol, as register sends it: what an
 * operator gives `hrot-admin device fingerprint` after maintenance. */
static int cmd_fingerprint(const struct soft_ctx *s)
{
	struct hrot_fingerprint fp;
	struct json_object *o;
	int ret = soft_fingerprint(s, &fp);

	if (ret)
		return local(ret, "fingerprint");
	o = hrot_fingerprint_to_json(&fp);
	if (!o)
		return local(-ENOMEM, "fingerprint");
	printf("%s\n", json_object_to_json_string_ext(o,
						      JSON_C_TO_STRING_PRETTY));
	json_object_put(o);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct soft_ctx s = { 0 };
	int i = parse(argc, argv, &o);
	const char *cmd = argv[i];

	s.state = o.state;
	snprintf(s.ak_handle, sizeof(s.ak_handle), "%s", SOFT_AK_HANDLE);
	s.use_other_ak = o.tamper.other_ak;
	s.forge_quote = o.tamper.forge_quote;
	if (!strcmp(cmd, "init")) {
		if (mkdir(o.state, 0700) && errno != EEXIST)
			return local(-errno, "init");
		return local(soft_init(&s, o.ek_alg), "init");
	}
	if (soft_load_ek_alg(&s))
		return local(-EIO, "ek.alg");
	if (!strcmp(cmd, "measure")) {
		if (i + 2 >= argc)
			usage();
		return local(soft_measure(&s, argv[i + 1], argv[i + 2]),
			     "measure");
	}
	if (!strcmp(cmd, "boot"))
		return local(soft_boot(&s), "boot");
	if (!strcmp(cmd, "fingerprint"))
		return cmd_fingerprint(&s);
	if (!strcmp(cmd, "device")) {
		uint8_t dev[HROT_DEVICE_NAME_SIZE];
		char hex[2 * HROT_DEVICE_NAME_SIZE + 1];

		if (load_device(&s, dev))
			return 1;
		hrot_hex_encode(dev, sizeof(dev), hex, sizeof(hex));
		printf("%s\n", hex);
		return 0;
	}
	return remote(cmd, &s, &o);
}
