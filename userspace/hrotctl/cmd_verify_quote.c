// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl verify-quote --ak FILE --msg FILE --sig FILE --pcrs FILE
 *                      --nonce HEX [--pcr-list LIST]
 * Check a quote as tpm2_checkquote does: "quote OK" and the counters, or
 * "quote REJECTED: <reason>" and exit status 1.  The AK is PEM, SPKI DER
 * or TPM2B_PUBLIC; the PCR selection expected is --pcr-list, else the PCR
 * file's.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "attest.h"

#define MAX_FILE	(1u << 16)
#define MAX_VALUES	((size_t)HROT_TPM_MAX_BANKS * 32 * HROT_MAX_DIGEST_SIZE)

struct vq_args {
	const char *ak, *msg, *sig, *pcrs;
	uint8_t nonce[HROT_QUALIFYING_MAX];
	size_t nonce_len;
	bool have_nonce, have_list;
	struct hrot_pcr_selection list;
};

struct vq_files {
	uint8_t *msg, *sig, *pcrs, *values;
	size_t msg_len, sig_len, pcrs_len, values_len;
	struct hrot_pcr_selection sel;
};

static int vq_option(int c, const char *arg, struct vq_args *a)
{
	switch (c) {
	case 'a':
		a->ak = arg;
		return 0;
	case 'm':
		a->msg = arg;
		return 0;
	case 's':
		a->sig = arg;
		return 0;
	case 'p':
		a->pcrs = arg;
		return 0;
	case 'n':
		a->have_nonce = true;
		if (!parse_hex_var(arg, a->nonce, sizeof(a->nonce), &a->nonce_len))
			return 0;
		break;
	case 'l':
		a->have_list = true;
		if (!hrot_pcr_selection_parse(arg, &a->list))
			return 0;
		break;
	default:
		break;
	}
	return usage_error("verify-quote", "bad option or value: '%s'",
			   arg ? arg : "");
}

static int parse_vq_args(int argc, char **argv, struct vq_args *a)
{
	static const struct option opts[] = {
		{ "ak", required_argument, NULL, 'a' },
		{ "msg", required_argument, NULL, 'm' },
		{ "sig", required_argument, NULL, 's' },
		{ "pcrs", required_argument, NULL, 'p' },
		{ "nonce", required_argument, NULL, 'n' },
		{ "pcr-list", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	opts_restart();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int ret = vq_option(c, c == '?' ? argv[optind - 1] : optarg, a);
		if (ret)
			return ret;
	}
	if (optind != argc || !a->ak || !a->msg || !a->sig || !a->pcrs ||
	    !a->have_nonce)
		return usage_error("verify-quote",
				   "needs --ak, --msg, --sig, --pcrs and --nonce");
	return 0;
}

static void free_files(struct vq_files *f)
{
	free(f->msg);
	free(f->sig);
	free(f->pcrs);
	free(f->values);
}

static int load_files(const struct vq_args *a, struct vq_files *f)
{
	struct hrot_tpm_diag diag;

	if (read_all("verify-quote", a->msg, MAX_FILE, &f->msg, &f->msg_len) ||
	    read_all("verify-quote", a->sig, MAX_FILE, &f->sig, &f->sig_len) ||
	    read_all("verify-quote", a->pcrs, MAX_FILE, &f->pcrs,
		     &f->pcrs_len))
		return -1;
	f->values = malloc(MAX_VALUES);
	if (!f->values) {
		errmsg("verify-quote: out of memory");
		return -1;
	}
	if (hrot_pcrs_file_read(f->pcrs, f->pcrs_len, &f->sel, f->values,
				MAX_VALUES, &f->values_len, &diag)) {
		errmsg("verify-quote: %s: offset %zu: %s", a->pcrs,
		       diag.offset, diag.msg);
		return -1;
	}
	return 0;
}

static int report(const struct hrot_quote_result *res)
{
	const struct hrot_tpm_attest *at = &res->attest;

	if (res->status != HROT_QUOTE_OK) {
		printf("quote REJECTED: %s: %s\n",
		       hrot_quote_status_name(res->status), res->msg);
		return EXIT_FAIL;
	}
	printf("quote OK\nclock %" PRIu64 "\nreset_count %" PRIu32
	       "\nrestart_count %" PRIu32 "\nsafe %u\nfirmware_version 0x%016"
	       PRIx64 "\n", at->clock, at->reset_count, at->restart_count,
	       at->safe, at->firmware_version);
	return EXIT_OK;
}

/* The PCR file's values must be for the PCRs the quote selects. */
static int verify(const struct vq_args *a, const struct vq_files *f,
		  EVP_PKEY *ak)
{
	const struct hrot_pcr_selection *want = a->have_list ? &a->list :
							       &f->sel;
	struct hrot_quote_result res;

	hrot_quote_verify(ak, f->msg, f->msg_len, f->sig, f->sig_len,
			  a->nonce, a->nonce_len, want, f->values,
			  f->values_len, &res);
	if (res.status == HROT_QUOTE_OK &&
	    !hrot_pcr_selection_equal(&f->sel, &res.attest.pcr_select)) {
		res.status = HROT_QUOTE_PCR_SELECTION_MISMATCH;
		snprintf(res.msg, sizeof(res.msg),
			 "the PCR file holds other PCRs than the quote's");
	}
	return report(&res);
}

int cmd_verify_quote(const struct global_opts *g, int argc, char **argv)
{
	struct vq_files f;
	struct vq_args a;
	EVP_PKEY *ak;
	int ret;

	(void)g;
	ret = parse_vq_args(argc, argv, &a);
	if (ret)
		return ret;
	memset(&f, 0, sizeof(f));
	ak = load_ak("verify-quote", a.ak);
	ret = EXIT_FAIL;
	if (ak && load_files(&a, &f) == 0)
		ret = verify(&a, &f, ak);
	free_files(&f);
	EVP_PKEY_free(ak);
	return ret;
}
