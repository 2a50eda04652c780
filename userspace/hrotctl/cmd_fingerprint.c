// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl fingerprint: the platform identifiers the module hashes into one
 * digest (HROT_IOC_FINGERPRINT):
 *
 *   digest HEX
 *   NAME present|absent HEX VALUE
 *
 * The overall digest is recomputed from the components and must match.
 */
#include <string.h>

#include "hrotctl.h"

static bool present(const struct hrot_fp_component *c)
{
	return c->flags & HROT_FP_PRESENT;
}

static const char *component_name(uint32_t id, char buf[16])
{
	const char *name = hrot_fp_component_name(id);

	if (name)
		return name;
	snprintf(buf, 16, "id%u", id);
	return buf;
}

static void print_fp_text(const struct hrot_fingerprint *fp)
{
	char buf[16];
	uint32_t i;

	fputs("digest ", stdout);
	print_hex(stdout, fp->digest, sizeof(fp->digest));
	putchar('\n');
	for (i = 0; i < fp->nr_components; i++) {
		const struct hrot_fp_component *c = &fp->components[i];

		printf("%s %s ", component_name(c->id, buf),
		       present(c) ? "present" : "absent");
		print_hex(stdout, c->digest, sizeof(c->digest));
		putchar(' ');
		print_text(stdout, c->value);
		putchar('\n');
	}
}

static bool add_component(struct json_object *arr,
			  const struct hrot_fp_component *c)
{
	struct json_object *o = json_object_new_object();
	char buf[16];

	if (!o || json_object_array_add(arr, o)) {
		json_object_put(o);
		return false;
	}
	return json_add(o, "id", json_object_new_int64(c->id)) &&
	       json_add(o, "name", json_object_new_string(
				component_name(c->id, buf))) &&
	       json_add(o, "present", json_object_new_boolean(present(c))) &&
	       json_add(o, "digest", json_hex(c->digest, sizeof(c->digest))) &&
	       json_add(o, "value", json_name(c->value, strlen(c->value)));
}

static int print_fp_json(const struct hrot_fingerprint *fp)
{
	struct json_object *root = json_object_new_object();
	struct json_object *arr = NULL;
	bool ok;
	uint32_t i;

	ok = root && json_add(root, "digest",
			      json_hex(fp->digest, sizeof(fp->digest)));
	if (ok) {
		arr = json_object_new_array();
		ok = json_add(root, "components", arr);
	}
	for (i = 0; ok && i < fp->nr_components; i++)
		ok = add_component(arr, &fp->components[i]);
	if (!ok) {
		json_object_put(root);
		errmsg("fingerprint: out of memory");
		return EXIT_FAIL;
	}
	return json_print(root);
}

/* The module's overall digest must be the one its components give. */
static bool check_digest(const struct hrot_fingerprint *fp)
{
	uint8_t want[HROT_SHA256_SIZE];

	if (hrot_fingerprint_digest(fp, want)) {
		errmsg("fingerprint: cannot compute SHA-256");
		return false;
	}
	if (memcmp(want, fp->digest, sizeof(want)) != 0) {
		errmsg("fingerprint: the module's digest does not match its components");
		return false;
	}
	return true;
}

int cmd_fingerprint(const struct global_opts *g, int argc, char **argv)
{
	struct hrot_fingerprint fp;
	bool json;
	int fd, ret;

	ret = parse_json_only(argc, argv, &json);
	if (ret)
		return ret;
	fd = open_device(g, "fingerprint");
	if (fd < 0)
		return EXIT_FAIL;
	ret = hrot_dev_fingerprint(fd, &fp);
	hrot_dev_close(fd);
	if (ret) {
		dev_error(g, "fingerprint", HROT_OP_FINGERPRINT, ret);
		return EXIT_FAIL;
	}
	if (!check_digest(&fp))
		return EXIT_FAIL;
	if (json)
		return print_fp_json(&fp);
	print_fp_text(&fp);
	return EXIT_OK;
}
