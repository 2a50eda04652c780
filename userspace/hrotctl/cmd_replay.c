// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl replay: the PCR values the event log predicts, one line per PCR
 * and bank, to compare with tpm2_pcrread:
 *
 *   pcr13 sha256 HEX
 *
 * A bank that cannot be replayed is left out, with a warning on stderr.
 */
#include <string.h>

#include "hrotctl.h"

static const char *status_text(enum hrot_replay_status status)
{
	switch (status) {
	case HROT_REPLAY_UNSUPPORTED:
		return "its algorithm is not available here";
	case HROT_REPLAY_INCOMPLETE:
		return "a record has no digest for it";
	default:
		return "";
	}
}

static void warn_bank(const struct hrot_replay_pcr *p,
		      const struct hrot_replay_bank *b)
{
	char buf[HROT_ALG_LABEL_SIZE];

	errmsg("replay: pcr%u %s not replayed: %s", p->pcr,
	       hrot_alg_label(b->alg, buf), status_text(b->status));
}

static void print_replay_text(const struct hrot_replay *rp)
{
	char buf[HROT_ALG_LABEL_SIZE];
	size_t i;
	uint32_t k;

	for (i = 0; i < rp->nr_pcrs; i++) {
		const struct hrot_replay_pcr *p = &rp->pcrs[i];

		for (k = 0; k < rp->nr_banks; k++) {
			const struct hrot_replay_bank *b = &p->banks[k];

			if (b->status != HROT_REPLAY_OK) {
				warn_bank(p, b);
				continue;
			}
			printf("pcr%u %s ", p->pcr, hrot_alg_label(b->alg, buf));
			print_hex(stdout, b->value, b->size);
			putchar('\n');
		}
	}
}

/* {"pcr": N, "banks": {"sha256": HEX or null, ...}} */
static bool add_pcr(struct json_object *arr, const struct hrot_replay *rp,
		    const struct hrot_replay_pcr *p)
{
	struct json_object *o = json_object_new_object();
	struct json_object *banks = json_object_new_object();
	char buf[HROT_ALG_LABEL_SIZE];
	uint32_t k;

	if (!o || json_object_array_add(arr, o)) {
		json_object_put(o);
		json_object_put(banks);
		return false;
	}
	if (!json_add(o, "pcr", json_object_new_int64(p->pcr)) ||
	    !json_add(o, "banks", banks))
		return false;
	for (k = 0; k < rp->nr_banks; k++) {
		const struct hrot_replay_bank *b = &p->banks[k];
		const char *name = hrot_alg_label(b->alg, buf);
		struct json_object *value = NULL;

		if (b->status == HROT_REPLAY_OK) {
			value = json_hex(b->value, b->size);
			if (!value)
				return false;
		} else {
			warn_bank(p, b);
		}
		/* null for a bank that was not replayed */
		if (json_object_object_add(banks, name, value)) {
			json_object_put(value);
			return false;
		}
	}
	return true;
}

static int print_replay_json(const struct hrot_replay *rp)
{
	struct json_object *root = json_object_new_object();
	struct json_object *pcrs = json_object_new_array();
	bool ok;
	size_t i;

	if (!root) {
		json_object_put(pcrs);
		errmsg("replay: out of memory");
		return EXIT_FAIL;
	}
	ok = json_add(root, "pcrs", pcrs);
	for (i = 0; ok && i < rp->nr_pcrs; i++)
		ok = add_pcr(pcrs, rp, &rp->pcrs[i]);
	if (!ok) {
		json_object_put(root);
		errmsg("replay: out of memory");
		return EXIT_FAIL;
	}
	return json_print(root);
}

int cmd_replay(const struct global_opts *g, int argc, char **argv)
{
	struct hrot_replay *rp;
	struct hrot_log *log;
	struct log_args a;
	int ret;

	(void)g;
	ret = parse_log_args(argc, argv, &a);
	if (ret)
		return ret;
	log = load_log("replay", &a);
	if (!log)
		return EXIT_FAIL;
	ret = hrot_log_replay(log, &rp);
	hrot_log_free(log);
	if (ret) {
		errmsg("replay: %s", strerror(-ret));
		return EXIT_FAIL;
	}
	if (a.json) {
		ret = print_replay_json(rp);
	} else {
		print_replay_text(rp);
		ret = EXIT_OK;
	}
	hrot_replay_free(rp);
	return ret;
}
