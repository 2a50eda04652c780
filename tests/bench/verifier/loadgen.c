// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-verifier-loadgen: the load generator of `make bench-verifier`; the
 * driver (tests/bench/verifier/run) calls its phases in turn:
 *
 *   register  --dir D --url U --ca F --devices N   keys, POST /v1/register;
 *             D/devices.txt gets the ids (for hrot-admin device approve),
 *             D/log.bin the reference log (for hrot-admin policy import)
 *   activate  --dir D --url U --ca F --devices N   POST /v1/activate, both
 *             steps, the credential opened by the software TPM
 *   run       --dir D --url U --ca F --token-pub F --clients N
 *             --duration S [--warmup S] [--mode keep-alive|new-connection]
 *             [--physical] [--interval S]
 *   crypto    --threads N --duration S             the crypto bound alone
 *   activate-file --ek-key PEM --ek-pub TPM2B --name HEX --cred FILE
 *             the software ActivateCredential of one credential file, the
 *             secret in hex (the driver compares it with swtpm's)
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <hrot/hex.h>

#include "bench.h"

struct args {
	struct load_opts load;
	unsigned int devices, threads;
	const char *mode, *ek_key, *ek_pub, *name, *cred;
};

int sha256(const void *p, size_t len, uint8_t out[32])
{
	return EVP_Digest(p, len, out, NULL, EVP_sha256(), NULL) ? 0 : -EIO;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: hrot-verifier-loadgen register|activate|run|crypto|activate-file [options]\n"
		"  --dir D --url URL --ca FILE --token-pub FILE --devices N\n"
		"  --clients N --duration S --warmup S --mode keep-alive|new-connection\n"
		"  --physical --interval S (paced clients) --threads N\n"
		"  --ek-key PEM --ek-pub TPM2B_PUBLIC --name HEX --cred FILE\n");
	return 2;
}

/* A whole positive number, or -EINVAL. */
static int num(const char *s, double max, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || *out < 0 || *out > max)
		return -EINVAL;
	return 0;
}

static int count(const char *s, unsigned int *out)
{
	double d;

	if (num(s, 100000, &d) || d != (double)(unsigned int)d)
		return -EINVAL;
	*out = (unsigned int)d;
	return 0;
}

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "url", required_argument, NULL, 'u' },
		{ "ca", required_argument, NULL, 'c' },
		{ "token-pub", required_argument, NULL, 't' },
		{ "devices", required_argument, NULL, 'n' },
		{ "clients", required_argument, NULL, 'C' },
		{ "duration", required_argument, NULL, 'D' },
		{ "warmup", required_argument, NULL, 'W' },
		{ "mode", required_argument, NULL, 'm' },
		{ "physical", no_argument, NULL, 'p' },
		{ "interval", required_argument, NULL, 'i' },
		{ "threads", required_argument, NULL, 'T' },
		{ "ek-key", required_argument, NULL, 'k' },
		{ "ek-pub", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'N' },
		{ "cred", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int o, bad = 0;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd': a->load.dir = optarg; break;
		case 'u': a->load.url = optarg; break;
		case 'c': a->load.ca = optarg; break;
		case 't': a->load.token_pub = optarg; break;
		case 'n': bad |= count(optarg, &a->devices); break;
		case 'C': bad |= count(optarg, &a->load.clients); break;
		case 'D': bad |= num(optarg, 86400, &a->load.duration); break;
		case 'W': bad |= num(optarg, 3600, &a->load.warmup); break;
		case 'm': a->mode = optarg; break;
		case 'p': a->load.physical = true; break;
		case 'i': bad |= num(optarg, 3600, &a->load.interval); break;
		case 'T': bad |= count(optarg, &a->threads); break;
		case 'k': a->ek_key = optarg; break;
		case 'e': a->ek_pub = optarg; break;
		case 'N': a->name = optarg; break;
		case 'r': a->cred = optarg; break;
		default: return -EINVAL;
		}
	}
	if (bad || (strcmp(a->mode, "keep-alive") != 0 &&
		    strcmp(a->mode, "new-connection") != 0))
		return -EINVAL;
	a->load.new_connection = strcmp(a->mode, "new-connection") == 0;
	return 0;
}

static int client_for(const struct args *a, struct hrot_client **c)
{
	const struct hrot_client_config cfg = {
		.url = a->load.url, .ca_file = a->load.ca,
	};

	if (!a->load.url || !a->load.ca || !a->load.dir) {
		fprintf(stderr, "loadgen: --url, --ca and --dir are needed\n");
		return -EINVAL;
	}
	return hrot_client_new(&cfg, c);
}

static void client_said(struct hrot_client *c, const char *what,
			unsigned int i, int ret)
{
	const struct hrot_client_error *e = hrot_client_error(c);

	fprintf(stderr, "loadgen: device %u: %s: %s (%d, http %ld): %s\n", i,
		what, e->reason, ret, e->http_status, e->detail);
}

static int register_one(const struct args *a, struct hrot_client *c,
			const struct bench_log *log, unsigned int i, FILE *ids)
{
	const char *keys[] = { "hostname" };
	char host[32], state[32], hex[2 * HROT_DEVICE_NAME_SIZE + 1];
	const char *values[] = { host };
	uint8_t dev[HROT_DEVICE_NAME_SIZE];
	struct hrot_attester att;
	struct soft_tpm t;
	int ret;

	snprintf(host, sizeof(host), "bench-%u", i);
	ret = device_create(a->load.dir, i);
	if (!ret)
		ret = device_load(a->load.dir, i, log, &t);
	if (ret) {
		fprintf(stderr, "loadgen: device %u: keys: %s\n", i,
			strerror(-ret));
		return ret;
	}
	soft_tpm_attester(&t, &att);
	ret = hrot_client_register(c, &att, keys, values, 1, dev, state,
				   sizeof(state));
	if (ret)
		client_said(c, "register", i, ret);
	else if (hrot_hex_encode(dev, sizeof(dev), hex, sizeof(hex)) >= 0)
		fprintf(ids, "%s\n", hex);
	soft_tpm_free(&t);
	return ret;
}

static int cmd_register(const struct args *a, const struct bench_log *log)
{
	struct hrot_client *c = NULL;
	char path[4096];
	unsigned int i;
	FILE *ids;
	int ret;

	ret = client_for(a, &c);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/log.bin", a->load.dir);
	ret = write_file(path, log->buf, log->len);
	snprintf(path, sizeof(path), "%s/devices.txt", a->load.dir);
	ids = ret ? NULL : fopen(path, "we");
	for (i = 0; ids && !ret && i < a->devices; i++)
		ret = register_one(a, c, log, i, ids);
	if (!ids || fclose(ids))
		ret = ret ? ret : -EIO;
	hrot_client_free(c);
	return ret;
}

static int cmd_activate(const struct args *a, const struct bench_log *log)
{
	struct hrot_client *c = NULL;
	struct hrot_enrollment e;
	struct hrot_attester att;
	struct soft_tpm t;
	unsigned int i;
	int ret;

	ret = client_for(a, &c);
	for (i = 0; !ret && i < a->devices; i++) {
		ret = device_load(a->load.dir, i, log, &t);
		if (ret)
			break;
		soft_tpm_attester(&t, &att);
		ret = hrot_client_activate(c, &att, t.ak_name, NULL, &e);
		if (ret) {
			client_said(c, "activate", i, ret);
		} else {
			ret = device_save_metadata(a->load.dir, i, &e.metadata);
			hrot_enrollment_free(&e);
		}
		soft_tpm_free(&t);
	}
	hrot_client_free(c);
	return ret;
}

static int cmd_run(struct args *a, const struct bench_log *log)
{
	struct load_result r;
	int ret;

	if (!a->load.url || !a->load.ca || !a->load.dir ||
	    !a->load.token_pub || !a->load.clients || a->load.duration <= 0)
		return usage();
	ret = load_run(&a->load, log, &r);
	if (ret)
		return ret;
	printf("mode=%s clients=%u physical=%d interval_s=%g attest_per_s=%.0f "
	       "p50_ms=%.1f p99_ms=%.1f max_ms=%.1f ok=%llu failed=%llu\n",
	       a->mode, a->load.clients, a->load.physical, a->load.interval,
	       r.per_s, r.p50_ms, r.p99_ms,
	       r.max_ms, (unsigned long long)r.ok,
	       (unsigned long long)r.failed);
	if (r.failed)
		fprintf(stderr, "loadgen: first failure: %s\n", r.first_error);
	/* Every attestation must pass: a failing one is not a benchmark. */
	return r.failed || !r.ok ? -EPROTO : 0;
}

static int cmd_crypto(const struct args *a, const struct bench_log *log)
{
	double per_s = 0;
	int ret;

	ret = crypto_bound_run(a->threads ? a->threads : 2,
			       a->load.duration > 0 ? a->load.duration : 5,
			       log, &per_s);
	if (ret) {
		fprintf(stderr, "loadgen: crypto loop: %s\n", strerror(-ret));
		return ret;
	}
	printf("crypto_bound_per_s=%.0f threads=%u\n", per_s,
	       a->threads ? a->threads : 2);
	return 0;
}

static int cmd_activate_file(const struct args *a)
{
	uint8_t name[HROT_TPM_MAX_NAME], secret[64], *pub = NULL, *cred = NULL;
	size_t name_len, pub_len = 0, cred_len = 0, len = 0, i;
	struct hrot_tpm_public ek_pub;
	struct hrot_tpm_diag diag;
	EVP_PKEY *ek = NULL;
	FILE *f;
	int ret = -EINVAL;

	if (!a->ek_key || !a->ek_pub || !a->name || !a->cred ||
	    strlen(a->name) % 2 || strlen(a->name) / 2 > sizeof(name))
		return usage();
	name_len = strlen(a->name) / 2;
	f = fopen(a->ek_key, "re");
	if (f) {
		ek = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
	}
	if (ek && !hrot_hex_decode(a->name, name, name_len) &&
	    !read_file(a->ek_pub, &pub, &pub_len) &&
	    !read_file(a->cred, &cred, &cred_len) &&
	    !hrot_tpm2b_public_unmarshal(pub, pub_len, &ek_pub, &diag))
		ret = soft_tpm_activate(ek, &ek_pub, name, name_len, cred,
					cred_len, secret, sizeof(secret), &len);
	for (i = 0; !ret && i < len; i++)
		printf("%02x", secret[i]);
	if (!ret)
		printf("\n");
	EVP_PKEY_free(ek);
	free(pub);
	free(cred);
	return ret;
}

int main(int argc, char **argv)
{
	struct args a = { .load = { .warmup = 2 }, .mode = "keep-alive" };
	struct bench_log log;
	const char *cmd;
	int ret;

	if (argc < 2)
		return usage();
	cmd = argv[1];
	if (parse(argc - 1, argv + 1, &a))
		return usage();
	if (strcmp(cmd, "activate-file") == 0)
		return cmd_activate_file(&a) ? 1 : 0;
	ret = bench_log_make(BENCH_LOG_EVENTS, &log);
	if (ret) {
		fprintf(stderr, "loadgen: log: %s\n", strerror(-ret));
		return 1;
	}
	if (strcmp(cmd, "register") == 0)
		ret = cmd_register(&a, &log);
	else if (strcmp(cmd, "activate") == 0)
		ret = cmd_activate(&a, &log);
	else if (strcmp(cmd, "run") == 0)
		ret = cmd_run(&a, &log);
	else if (strcmp(cmd, "crypto") == 0)
		ret = cmd_crypto(&a, &log);
	else
		ret = usage();
	bench_log_free(&log);
	return ret ? 1 : 0;
}
