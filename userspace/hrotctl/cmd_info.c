// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl info: what the module reports about itself (HROT_IOC_INFO).
 */
#include <inttypes.h>

#include "hrotctl.h"

static bool tpm_present(const struct hrot_info *info)
{
	return info->flags & HROT_INFO_TPM_PRESENT;
}

/* A verifier token is live in the kernel keyring (Documentation/keyring.md). */
static bool token_valid(const struct hrot_info *info)
{
	return info->flags & HROT_INFO_TOKEN_VALID;
}

static void print_info_text(const struct hrot_info *info)
{
	char buf[HROT_ALG_LABEL_SIZE];
	uint32_t i;

	printf("abi_version %u\n", info->abi_version);
	printf("tpm %s\n", tpm_present(info) ? "present" : "absent");
	printf("token %s\n", token_valid(info) ? "valid" : "none");
	printf("pcr %u\n", info->pcr_index);
	printf("content_hash %s\n", hrot_alg_label((uint16_t)info->hash_alg, buf));
	printf("banks");
	for (i = 0; i < info->nr_banks; i++)
		printf(" %s", hrot_alg_label(info->banks[i], buf));
	printf("\nlog_entries %" PRIu64 "\n", (uint64_t)info->log_entries);
	printf("log_bytes %" PRIu64 "\n", (uint64_t)info->log_bytes);
	printf("log_max_bytes %" PRIu64 "\n", (uint64_t)info->log_max_bytes);
}

static struct json_object *banks_json(const struct hrot_info *info)
{
	struct json_object *arr = json_object_new_array();
	char buf[HROT_ALG_LABEL_SIZE];
	uint32_t i;

	for (i = 0; arr && i < info->nr_banks; i++) {
		struct json_object *s;

		s = json_object_new_string(hrot_alg_label(info->banks[i], buf));
		if (!s || json_object_array_add(arr, s)) {
			json_object_put(s);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

static int print_info_json(const struct hrot_info *info)
{
	struct json_object *o = json_object_new_object();
	char buf[HROT_ALG_LABEL_SIZE];
	bool ok = o != NULL;

	ok = ok && json_add(o, "abi_version",
			    json_object_new_int64(info->abi_version));
	ok = ok && json_add(o, "flags", json_object_new_int64(info->flags));
	ok = ok && json_add(o, "tpm_present",
			    json_object_new_boolean(tpm_present(info)));
	ok = ok && json_add(o, "token_valid",
			    json_object_new_boolean(token_valid(info)));
	ok = ok && json_add(o, "pcr", json_object_new_int64(info->pcr_index));
	ok = ok && json_add(o, "content_hash", json_object_new_string(
			hrot_alg_label((uint16_t)info->hash_alg, buf)));
	ok = ok && json_add(o, "banks", banks_json(info));
	ok = ok && json_add(o, "log_entries",
			    json_object_new_uint64(info->log_entries));
	ok = ok && json_add(o, "log_bytes",
			    json_object_new_uint64(info->log_bytes));
	ok = ok && json_add(o, "log_max_bytes",
			    json_object_new_uint64(info->log_max_bytes));
	if (!ok) {
		json_object_put(o);
		errmsg("info: out of memory");
		return EXIT_FAIL;
	}
	return json_print(o);
}

int cmd_info(const struct global_opts *g, int argc, char **argv)
{
	struct hrot_info info;
	bool json;
	int fd, ret;

	ret = parse_json_only(argc, argv, &json);
	if (ret)
		return ret;
	fd = open_device(g, "info");
	if (fd < 0)
		return EXIT_FAIL;
	ret = hrot_dev_info(fd, &info);
	hrot_dev_close(fd);
	if (ret) {
		dev_error(g, "info", HROT_OP_INFO, ret);
		return EXIT_FAIL;
	}
	if (json)
		return print_info_json(&info);
	print_info_text(&info);
	return EXIT_OK;
}
