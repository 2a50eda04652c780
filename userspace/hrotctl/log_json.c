// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl log --json: the whole log, every field of every record.
 *
 * Containers are attached to their parent before they are filled, so that
 * on any failure releasing the root releases everything exactly once.
 */
#include "hrotctl.h"

static struct json_object *int_json(int64_t v)
{
	return json_object_new_int64(v);
}

static bool add_null(struct json_object *o, const char *key)
{
	return json_object_object_add(o, key, NULL) == 0;
}

static bool array_add(struct json_object *arr, struct json_object *val)
{
	if (!val)
		return false;
	if (json_object_array_add(arr, val)) {
		json_object_put(val);
		return false;
	}
	return true;
}

/* Name, TPM_ALG_ID and digest size of a bank, into @o. */
static bool add_alg(struct json_object *o, uint16_t alg, uint16_t size)
{
	char buf[HROT_ALG_LABEL_SIZE];

	return json_add(o, "alg", json_object_new_string(hrot_alg_label(alg, buf))) &&
	       json_add(o, "alg_id", int_json(alg)) &&
	       json_add(o, "digest_size", int_json(size));
}

static bool add_algs(struct json_object *arr, const struct hrot_log_spec_id *s)
{
	uint32_t i;

	for (i = 0; i < s->nr_algs; i++) {
		struct json_object *o = json_object_new_object();

		if (!array_add(arr, o) ||
		    !add_alg(o, s->algs[i].id, s->algs[i].digest_size))
			return false;
	}
	return true;
}

static bool add_spec_id(struct json_object *root, const struct hrot_log *log)
{
	const struct hrot_log_spec_id *s = &log->spec_id;
	struct json_object *o = json_object_new_object();
	struct json_object *algs = json_object_new_array();

	if (!json_add(root, "spec_id", o)) {
		json_object_put(algs);
		return false;
	}
	return json_add(o, "algorithms", algs) && add_algs(algs, s) &&
	       json_add(o, "platform_class", int_json(s->platform_class)) &&
	       json_add(o, "spec_version_major", int_json(s->version_major)) &&
	       json_add(o, "spec_version_minor", int_json(s->version_minor)) &&
	       json_add(o, "spec_errata", int_json(s->errata)) &&
	       json_add(o, "uintn_size", int_json(s->uintn_size)) &&
	       json_add(o, "vendor_info",
			json_hex(s->vendor_info, s->vendor_info_size)) &&
	       json_add(o, "size", int_json((int64_t)log->header_size));
}

static bool add_digests(struct json_object *rec,
			const struct hrot_log_record *r)
{
	struct json_object *arr = json_object_new_array();
	uint32_t k;

	if (!json_add(rec, "digests", arr))
		return false;
	for (k = 0; k < r->nr_digests; k++) {
		const struct hrot_log_digest *d = &r->digests[k];
		struct json_object *o = json_object_new_object();

		if (!array_add(arr, o) || !add_alg(o, d->alg, d->size) ||
		    !json_add(o, "digest", json_hex(d->bytes, d->size)))
			return false;
	}
	return true;
}

static bool add_hrot(struct json_object *rec, const struct hrot_event_data *ev)
{
	struct json_object *o = json_object_new_object();
	char buf[HROT_ALG_LABEL_SIZE];

	return json_add(rec, "hrot", o) &&
	       json_add(o, "version", int_json(ev->version)) &&
	       json_add(o, "kind", json_object_new_string(
				hrot_event_kind_name(ev->kind))) &&
	       json_add(o, "content_alg", json_object_new_string(
				hrot_alg_label(ev->content_alg, buf))) &&
	       json_add(o, "content_digest",
			json_hex(ev->content_digest, HROT_SHA256_SIZE)) &&
	       json_add(o, "file_size", json_object_new_uint64(ev->file_size)) &&
	       json_add(o, "name", json_name(ev->name, ev->name_len)) &&
	       json_add(o, "name_hex", json_hex(ev->name, ev->name_len));
}

static bool add_type(struct json_object *o, uint32_t type)
{
	const char *name = hrot_event_type_name(type);

	if (!json_add(o, "event_type", int_json(type)))
		return false;
	if (!name)
		return add_null(o, "event_type_name");
	return json_add(o, "event_type_name", json_object_new_string(name));
}

static bool add_record(struct json_object *arr, const struct hrot_log *log,
		       size_t i)
{
	const struct hrot_log_record *r = &log->records[i];
	struct json_object *o = json_object_new_object();

	if (!array_add(arr, o) ||
	    !json_add(o, "index", json_object_new_uint64(i)) ||
	    !json_add(o, "offset", json_object_new_uint64(r->offset)) ||
	    !json_add(o, "pcr", int_json(r->pcr)) || !add_type(o, r->event_type) ||
	    !add_digests(o, r) ||
	    !json_add(o, "event_size", int_json(r->event_size)) ||
	    !json_add(o, "event", json_hex(r->event, r->event_size)))
		return false;
	return r->is_hrot ? add_hrot(o, &r->hrot) : add_null(o, "hrot");
}

int print_log_json(const struct hrot_log *log)
{
	struct json_object *root = json_object_new_object();
	bool ok = root && add_spec_id(root, log);
	struct json_object *records = NULL;
	size_t i;

	if (ok) {
		records = json_object_new_array();
		ok = json_add(root, "records", records);
	}
	for (i = 0; ok && i < log->nr_records; i++)
		ok = add_record(records, log, i);
	if (!ok) {
		json_object_put(root);
		errmsg("log: out of memory");
		return EXIT_FAIL;
	}
	return json_print(root);
}
