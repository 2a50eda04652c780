// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl quote --nonce HEX --pcrs LIST --out DIR: a TPM2_Quote by the AK
 * (HROT_IOC_QUOTE), written as tpm2_quote writes it: quote.msg (TPMS_ATTEST),
 * quote.sig (TPMT_SIGNATURE), quote.pcrs (serialized PCR file), and ak.pem.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "attest.h"

struct quote_args {
	uint8_t nonce[HROT_QUALIFYING_MAX];
	size_t nonce_len;
	struct hrot_pcr_selection sel;
	const char *out;
};

static int quote_option(int c, const char *arg, struct quote_args *a,
			unsigned int *seen)
{
	if (c == 'n' && !parse_hex_var(arg, a->nonce, sizeof(a->nonce),
					&a->nonce_len)) {
		*seen |= 1;
		return 0;
	}
	if (c == 'p' && !hrot_pcr_selection_parse(arg, &a->sel)) {
		*seen |= 2;
		return 0;
	}
	if (c == 'o') {
		a->out = arg;
		*seen |= 4;
		return 0;
	}
	return usage_error("quote", "bad option or value: '%s'", arg ? arg : "");
}

static int parse_quote_args(int argc, char **argv, struct quote_args *a)
{
	static const struct option opts[] = {
		{ "nonce", required_argument, NULL, 'n' },
		{ "pcrs", required_argument, NULL, 'p' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int seen = 0;
	int c;

	memset(a, 0, sizeof(*a));
	opts_restart();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int ret = quote_option(c, c == '?' ? argv[optind - 1] : optarg, a,
				   &seen);
		if (ret)
			return ret;
	}
	if (optind != argc || seen != 7)
		return usage_error("quote", "needs --nonce, --pcrs and --out");
	return 0;
}

static int write_quote(const struct quote_args *a,
		       const struct hrot_quote_out *q, EVP_PKEY *ak)
{
	uint8_t *pcrs;
	size_t len;
	int ret;

	if (hrot_pcrs_file_write(&a->sel, q->pcrs, q->pcrs_len, &pcrs, &len)) {
		errmsg("quote: the module returned %zu bytes of PCR values for %u PCRs",
		       q->pcrs_len, hrot_pcr_selection_count(&a->sel));
		return -1;
	}
	ret = write_all("quote", a->out, "quote.msg", q->attest, q->attest_len);
	if (!ret)
		ret = write_all("quote", a->out, "quote.sig", q->sig, q->sig_len);
	if (!ret)
		ret = write_all("quote", a->out, "quote.pcrs", pcrs, len);
	if (!ret)
		ret = write_pem("quote", a->out, "ak.pem", ak);
	free(pcrs);
	return ret;
}

static EVP_PKEY *device_ak(const struct global_opts *g, int fd)
{
	struct hrot_identity_info id;
	struct hrot_tpm_public pub;
	EVP_PKEY *pk = NULL;
	int ret = hrot_dev_identity(fd, &id);

	if (ret) {
		dev_error(g, "quote", HROT_OP_IDENTITY, ret);
		return NULL;
	}
	if (hrot_tpm_public_unmarshal(id.ak_public, id.ak_public_len, &pub,
				      NULL) ||
	    hrot_tpm_public_to_pkey(&pub, &pk))
		errmsg("quote: the module's AK is not a usable key");
	hrot_identity_info_free(&id);
	return pk;
}

int cmd_quote(const struct global_opts *g, int argc, char **argv)
{
	struct hrot_quote_out q;
	struct quote_args a;
	EVP_PKEY *ak;
	int fd, ret;

	ret = parse_quote_args(argc, argv, &a);
	if (ret)
		return ret;
	/* Like tpm2-tools' output options, the directory is made if missing. */
	if (!a.out || (mkdir(a.out, 0700) && errno != EEXIST)) {
		errmsg("quote: %s: %s", a.out ? a.out : "--out", strerror(errno));
		return EXIT_FAIL;
	}
	fd = open_device(g, "quote");
	if (fd < 0)
		return EXIT_FAIL;
	ak = device_ak(g, fd);
	if (!ak) {
		hrot_dev_close(fd);
		return EXIT_FAIL;
	}
	ret = hrot_dev_quote(fd, a.sel.banks[0].mask, a.nonce, a.nonce_len,
			     &q);
	hrot_dev_close(fd);
	if (ret) {
		dev_error(g, "quote", HROT_OP_QUOTE, ret);
	} else {
		ret = write_quote(&a, &q, ak);
		hrot_quote_out_free(&q);
	}
	EVP_PKEY_free(ak);
	return ret ? EXIT_FAIL : EXIT_OK;
}
