// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl makecredential --ek ek.pub --name HEX --secret FILE --out FILE
 *   TPM2_MakeCredential in software for the EK (TPM2B_PUBLIC, tpm2-tools
 *   "tss" format) and the name of the AK; the file is tpm2_makecredential's.
 * hrotctl activate-credential --in FILE [--out FILE]
 *   HROT_IOC_ACTIVATE_CREDENTIAL on such a file: the secret as hex on
 *   stdout, or raw into --out.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "attest.h"

struct mc_args {
	const char *ek, *secret, *out;
	uint8_t name[HROT_TPM_MAX_NAME];
	size_t name_len;
	bool have_name;
};

static int mc_option(int c, const char *arg, struct mc_args *a)
{
	if (c == 'e')
		a->ek = arg;
	else if (c == 's')
		a->secret = arg;
	else if (c == 'o')
		a->out = arg;
	else if (c == 'n' && !parse_hex_var(arg, a->name, sizeof(a->name),
					     &a->name_len))
		a->have_name = true;
	else
		return usage_error("makecredential",
				   "bad option or value: '%s'", arg ? arg : "");
	return 0;
}

static int parse_mc_args(int argc, char **argv, struct mc_args *a)
{
	static const struct option opts[] = {
		{ "ek", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "secret", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	opts_restart();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int ret = mc_option(c, c == '?' ? argv[optind - 1] : optarg, a);
		if (ret)
			return ret;
	}
	if (optind != argc || !a->ek || !a->secret || !a->out || !a->have_name)
		return usage_error("makecredential",
				   "needs --ek, --name, --secret and --out");
	return 0;
}

static int load_ek(const char *path, struct hrot_tpm_public *ek)
{
	struct hrot_tpm_diag diag;
	uint8_t *buf;
	size_t len;
	int ret;

	if (read_all("makecredential", path, 4096, &buf, &len))
		return -1;
	ret = hrot_tpm2b_public_unmarshal(buf, len, ek, &diag);
	free(buf);
	if (ret)
		errmsg("makecredential: %s: not a TPM2B_PUBLIC: offset %zu: %s",
		       path, diag.offset, diag.msg);
	return ret ? -1 : 0;
}

static int make(const struct mc_args *a, const struct hrot_tpm_public *ek,
		const uint8_t *secret, size_t secret_len)
{
	struct hrot_credential c;
	uint8_t *file;
	size_t len;
	int ret;

	ret = hrot_make_credential(ek, a->name, a->name_len, secret,
				   secret_len, &c);
	if (ret) {
		errmsg("makecredential: %s", ret == -EINVAL ?
		       "the secret must be 1..64 bytes, the name 2..66 and the EK's symmetric AES-128/256-CFB" :
		       ret == -EOPNOTSUPP ? "the EK's curve or nameAlg is not supported" :
		       "OpenSSL failed");
		return EXIT_FAIL;
	}
	if (hrot_credential_file_write(&c, &file, &len)) {
		errmsg("makecredential: out of memory");
		return EXIT_FAIL;
	}
	ret = write_all("makecredential", NULL, a->out, file, len);
	free(file);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int cmd_makecredential(const struct global_opts *g, int argc, char **argv)
{
	struct hrot_tpm_public ek;
	struct mc_args a;
	uint8_t *secret;
	size_t len;
	int ret;

	(void)g;
	ret = parse_mc_args(argc, argv, &a);
	if (ret)
		return ret;
	if (load_ek(a.ek, &ek) ||
	    read_all("makecredential", a.secret, HROT_CREDENTIAL_MAX, &secret,
		     &len))
		return EXIT_FAIL;
	ret = make(&a, &ek, secret, len);
	free(secret);
	return ret;
}

static int parse_ac_args(int argc, char **argv, const char **in,
			 const char **out)
{
	static const struct option opts[] = {
		{ "in", required_argument, NULL, 'i' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*in = NULL;
	*out = NULL;
	opts_restart();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'i')
			*in = optarg;
		else if (c == 'o')
			*out = optarg;
		else
			return usage_error("activate-credential",
					   "bad option '%s'", argv[optind - 1]);
	}
	if (optind != argc || !*in)
		return usage_error("activate-credential", "needs --in FILE");
	return 0;
}

static int load_cred(const char *path, struct hrot_credential *c)
{
	struct hrot_tpm_diag diag;
	uint8_t *buf;
	size_t len;
	int ret;

	if (read_all("activate-credential", path, 4096, &buf, &len))
		return -1;
	ret = hrot_credential_file_read(buf, len, c, &diag);
	free(buf);
	if (ret)
		errmsg("activate-credential: %s: offset %zu: %s", path,
		       diag.offset, diag.msg);
	return ret ? -1 : 0;
}

int cmd_activate_credential(const struct global_opts *g, int argc,
			    char **argv)
{
	struct hrot_credential c;
	uint8_t secret[HROT_CREDENTIAL_MAX];
	const char *in, *out;
	size_t len = 0;
	int fd, ret;

	ret = parse_ac_args(argc, argv, &in, &out);
	if (ret)
		return ret;
	if (load_cred(in, &c))
		return EXIT_FAIL;
	fd = open_device(g, "activate-credential");
	if (fd < 0)
		return EXIT_FAIL;
	ret = hrot_dev_activate(fd, c.id_object, c.id_object_len, c.secret,
				c.secret_len, secret, sizeof(secret), &len);
	hrot_dev_close(fd);
	if (ret) {
		dev_error(g, "activate-credential", HROT_OP_ACTIVATE, ret);
		return EXIT_FAIL;
	}
	if (out)
		return write_all("activate-credential", NULL, out, secret,
				 len) ? EXIT_FAIL : EXIT_OK;
	print_hex(stdout, secret, len);
	putchar('\n');
	return EXIT_OK;
}
