// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl log: print the event log, one line per record:
 *
 *   INDEX PCR TYPE ALG:DIGEST... KIND sha256:CONTENT SIZE NAME
 *
 * KIND is "extend" or "file"; for a record without HROT event data KIND,
 * CONTENT, SIZE and NAME are "-".  NAME is escaped as in
 * ascii_measurements, so every field is free of spaces.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "hrotctl.h"

static void print_type(uint32_t type)
{
	const char *name = hrot_event_type_name(type);

	if (name)
		fputs(name, stdout);
	else
		printf("0x%08x", type);
}

static void print_hrot_fields(const struct hrot_event_data *ev)
{
	char *name = hrot_escape_name(ev->name, ev->name_len);

	printf(" %s sha256:", hrot_event_kind_name(ev->kind));
	print_hex(stdout, ev->content_digest, sizeof(ev->content_digest));
	printf(" %" PRIu64 " %s", ev->file_size, name ? name : "?");
	free(name);
}

static void print_record(const struct hrot_log *log, size_t i)
{
	const struct hrot_log_record *r = &log->records[i];
	char buf[HROT_ALG_LABEL_SIZE];
	uint32_t k;

	printf("%zu %u ", i, r->pcr);
	print_type(r->event_type);
	for (k = 0; k < r->nr_digests; k++) {
		printf(" %s:", hrot_alg_label(r->digests[k].alg, buf));
		print_hex(stdout, r->digests[k].bytes, r->digests[k].size);
	}
	if (r->is_hrot)
		print_hrot_fields(&r->hrot);
	else
		fputs(" - - - -", stdout);
	putchar('\n');
}

static void print_log_text(const struct hrot_log *log)
{
	size_t i;

	for (i = 0; i < log->nr_records; i++)
		print_record(log, i);
}

int cmd_log(const struct global_opts *g, int argc, char **argv)
{
	struct hrot_log *log;
	struct log_args a;
	int ret;

	(void)g;
	ret = parse_log_args(argc, argv, &a);
	if (ret)
		return ret;
	log = load_log("log", &a);
	if (!log)
		return EXIT_FAIL;
	if (a.json) {
		ret = print_log_json(log);
	} else {
		print_log_text(log);
		ret = EXIT_OK;
	}
	hrot_log_free(log);
	return ret;
}
