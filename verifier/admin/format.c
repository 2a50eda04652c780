// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin: the server's answers as tables and lines for people.
 *
 * Each view names the fields it shows (Documentation/protocol.md); a field
 * the server left out prints as "-", one it added is only in --json.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "admin.h"
#include "table.h"

#define CELL_MAX	1024
#define MAX_COLS	8

enum cell_kind {
	CELL_TEXT,
	CELL_TIME,		/* Unix seconds, 0 = never */
	CELL_COUNT,		/* the length of an array */
	CELL_RESULT,		/* true/false as ok/fail */
};

struct column {
	const char *header;
	const char *key;
	enum cell_kind kind;
};

static void time_text(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || !gmtime_r(&tt, &tm) ||
	    !strftime(buf, n, "%Y-%m-%d %H:%M:%SZ", &tm))
		snprintf(buf, n, "%s", t <= 0 ? "-" : "?");
}

static void scalar_text(struct json_object *v, char *buf, size_t n)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		snprintf(buf, n, "-");
		break;
	case json_type_string:
		/* An empty cell would leave a hole in the columns. */
		snprintf(buf, n, "%s", json_object_get_string_len(v) ?
			 json_object_get_string(v) : "-");
		break;
	case json_type_int:
		snprintf(buf, n, "%" PRId64, json_object_get_int64(v));
		break;
	default:
		/* Booleans, doubles, objects: their compact JSON. */
		snprintf(buf, n, "%s",
			 json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
		break;
	}
}

static void cell_text(struct json_object *v, enum cell_kind kind, char *buf,
		      size_t n)
{
	if (!v) {
		snprintf(buf, n, "-");
		return;
	}
	if (kind == CELL_TIME && json_object_is_type(v, json_type_int)) {
		time_text(json_object_get_int64(v), buf, n);
	} else if (kind == CELL_COUNT && json_object_is_type(v, json_type_array)) {
		snprintf(buf, n, "%zu", json_object_array_length(v));
	} else if (kind == CELL_RESULT && json_object_is_type(v, json_type_boolean)) {
		snprintf(buf, n, "%s", json_object_get_boolean(v) ? "ok" : "fail");
	} else {
		scalar_text(v, buf, n);
	}
}

static struct json_object *member(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

static void add_object_row(struct table *t, struct json_object *item,
			   const struct column *cols, size_t ncols)
{
	char cells[MAX_COLS][CELL_MAX];
	const char *ptrs[MAX_COLS];
	size_t c;

	for (c = 0; c < ncols; c++) {
		cell_text(member(item, cols[c].key), cols[c].kind, cells[c], CELL_MAX);
		ptrs[c] = cells[c];
	}
	table_add_row(t, ptrs);
}

/* The array @key of @resp as a table, or @empty when it has no items. */
static int array_table(struct json_object *resp, const char *key,
		       const struct column *cols, size_t ncols,
		       const char *empty, FILE *out)
{
	struct json_object *arr = member(resp, key);
	const char *headers[MAX_COLS];
	struct table t;
	size_t i, n;
	int ret;

	if (!json_object_is_type(arr, json_type_array))
		return ADMIN_FAIL;
	n = json_object_array_length(arr);
	if (n == 0) {
		fprintf(out, "%s\n", empty);
		return ADMIN_OK;
	}
	for (i = 0; i < ncols; i++)
		headers[i] = cols[i].header;
	table_init(&t, headers, ncols);
	for (i = 0; i < n; i++)
		add_object_row(&t, json_object_array_get_idx(arr, i), cols, ncols);
	ret = table_print(&t, out);
	table_free(&t);
	return ret ? ADMIN_FAIL : ADMIN_OK;
}

static const struct column device_cols[] = {
	{ "DEVICE", "device", CELL_TEXT },
	{ "STATE", "state", CELL_TEXT },
	{ "POLICY", "policy", CELL_TEXT },
	{ "REGISTERED", "registered_at", CELL_TIME },
	{ "LAST SEEN", "last_seen", CELL_TIME },
	{ "VERDICT", "last_verdict", CELL_TEXT },
	{ "REASON", "last_reason", CELL_TEXT },
};

static const struct column policy_cols[] = {
	{ "NAME", "name", CELL_TEXT },
	{ "VERSION", "version", CELL_TEXT },
	{ "ID", "id", CELL_TEXT },
	{ "ENTRIES", "entries", CELL_COUNT },
	{ "PHYSICAL", "require_physical", CELL_TEXT },
	{ "CREATED", "created_at", CELL_TIME },
};

static const struct column audit_cols[] = {
	{ "ID", "id", CELL_TEXT },
	{ "TIME", "time", CELL_TIME },
	{ "DEVICE", "device", CELL_TEXT },
	{ "ACTION", "action", CELL_TEXT },
	{ "RESULT", "result", CELL_RESULT },
	{ "REASON", "reason", CELL_TEXT },
	{ "DETAIL", "detail", CELL_TEXT },
};

static const struct column component_cols[] = {
	{ "ID", "id", CELL_TEXT },
	{ "NAME", "name", CELL_TEXT },
	{ "FLAGS", "flags", CELL_TEXT },
	{ "VALUE", "value", CELL_TEXT },
	{ "DIGEST", "digest_hex", CELL_TEXT },
};

static const struct column floor_cols[] = {
	{ "POLICY", "policy", CELL_TEXT },
	{ "COMPONENT", "component", CELL_TEXT },
	{ "FLOOR", "version", CELL_TEXT },
	{ "SINCE", "set_at", CELL_TIME },
};

#define NCOLS(a)	(sizeof(a) / sizeof((a)[0]))

/* One "key  value" line of a record, made safe to print. */
static void print_pair(const char *key, struct json_object *v,
		       enum cell_kind kind, FILE *out)
{
	char buf[CELL_MAX];
	char *safe;

	cell_text(v, kind, buf, sizeof(buf));
	safe = table_sanitize(buf);
	fprintf(out, "%-14s %s\n", key, safe ? safe : "?");
	free(safe);
}

static bool is_time_key(const char *key)
{
	size_t n = strlen(key);

	return strcmp(key, "last_seen") == 0 || strcmp(key, "time") == 0 ||
	       (n > 3 && strcmp(key + n - 3, "_at") == 0);
}

static void print_fingerprint(struct json_object *fp, FILE *out)
{
	print_pair("fingerprint", member(fp, "digest_hex"), CELL_TEXT, out);
	if (json_object_is_type(member(fp, "components"), json_type_array))
		array_table(fp, "components", component_cols,
			    NCOLS(component_cols), "(no components)", out);
}

static void print_metadata(struct json_object *meta, FILE *out)
{
	fprintf(out, "metadata:\n");
	json_object_object_foreach(meta, key, val) {
		char *safe = table_sanitize(key);

		fprintf(out, "  ");
		print_pair(safe ? safe : "?", val, CELL_TEXT, out);
		free(safe);
	}
}

/* device show: every field, the fingerprint and metadata last. */
static int device_show(struct json_object *resp, FILE *out)
{
	struct json_object *fp = member(resp, "fingerprint");
	struct json_object *meta = member(resp, "metadata");
	struct json_object *floors = member(resp, "floors");

	if (!json_object_is_type(resp, json_type_object))
		return ADMIN_FAIL;
	json_object_object_foreach(resp, key, val) {
		char *safe;

		if (val == fp || val == meta || val == floors)
			continue;
		safe = table_sanitize(key);
		print_pair(safe ? safe : "?", val,
			   is_time_key(key) ? CELL_TIME : CELL_TEXT, out);
		free(safe);
	}
	if (json_object_is_type(meta, json_type_object))
		print_metadata(meta, out);
	if (json_object_is_type(fp, json_type_object))
		print_fingerprint(fp, out);
	if (json_object_is_type(floors, json_type_array)) {
		fprintf(out, "rollback floors:\n");
		array_table(resp, "floors", floor_cols, NCOLS(floor_cols),
			    "(none)", out);
	}
	return ADMIN_OK;
}

/* prune: what was forgotten. */
static int pruned(struct json_object *resp, FILE *out)
{
	char t[CELL_MAX], a[CELL_MAX];

	if (!member(resp, "tokens_removed") || !member(resp, "audit_removed"))
		return ADMIN_FAIL;
	cell_text(member(resp, "tokens_removed"), CELL_TEXT, t, sizeof(t));
	cell_text(member(resp, "audit_removed"), CELL_TEXT, a, sizeof(a));
	fprintf(out, "pruned: %s expired tokens, %s runtime audit records\n",
		t, a);
	return ADMIN_OK;
}

/* approve, revoke, bind, fingerprint, token revoke: one line. */
static int done_line(const char *what, struct json_object *resp, FILE *out)
{
	struct json_object *state = member(resp, "state");
	char buf[CELL_MAX];
	char *safe;

	if (!state) {
		fprintf(out, "%s: done\n", what);
		return ADMIN_OK;
	}
	cell_text(state, CELL_TEXT, buf, sizeof(buf));
	safe = table_sanitize(buf);
	fprintf(out, "%s: done, state %s", what, safe ? safe : "?");
	free(safe);
	if (member(resp, "floors_removed")) {
		cell_text(member(resp, "floors_removed"), CELL_TEXT, buf,
			  sizeof(buf));
		fprintf(out, ", floors removed %s", buf);
	}
	fputc('\n', out);
	return ADMIN_OK;
}

static int policy_created(const char *what, struct json_object *resp,
			  FILE *out)
{
	char id[CELL_MAX];

	cell_text(member(resp, "id"), CELL_TEXT, id, sizeof(id));
	fprintf(out, "%s: done, policy id %s\n", what, id);
	return ADMIN_OK;
}

static void print_id_list(const char *title, struct json_object *arr,
			  FILE *out)
{
	char buf[CELL_MAX];
	size_t i, n = json_object_is_type(arr, json_type_array) ?
		json_object_array_length(arr) : 0;

	fprintf(out, "%s (%zu)%s\n", title, n, n ? ":" : "");
	for (i = 0; i < n; i++) {
		char *safe;

		cell_text(json_object_array_get_idx(arr, i), CELL_TEXT, buf, sizeof(buf));
		safe = table_sanitize(buf);
		fprintf(out, "  %s\n", safe ? safe : "?");
		free(safe);
	}
}

static int revocations(struct json_object *resp, FILE *out)
{
	char when[64];

	print_id_list("revoked devices", member(resp, "devices"), out);
	print_id_list("revoked tokens", member(resp, "tokens"), out);
	cell_text(member(resp, "generated_at"), CELL_TIME, when, sizeof(when));
	fprintf(out, "generated at %s\n", when);
	return ADMIN_OK;
}

int admin_format(enum admin_format fmt, const char *what,
		 struct json_object *resp, FILE *out)
{
	switch (fmt) {
	case ADMIN_FMT_DEVICE_LIST:
		return array_table(resp, "devices", device_cols, NCOLS(device_cols),
				   "no devices", out);
	case ADMIN_FMT_DEVICE_SHOW:
		return device_show(resp, out);
	case ADMIN_FMT_POLICY_CREATED:
		return policy_created(what, resp, out);
	case ADMIN_FMT_POLICY_LIST:
		return array_table(resp, "policies", policy_cols, NCOLS(policy_cols),
				   "no policies", out);
	case ADMIN_FMT_AUDIT:
		return array_table(resp, "records", audit_cols, NCOLS(audit_cols),
				   "no audit records", out);
	case ADMIN_FMT_REVOCATIONS:
		return revocations(resp, out);
	case ADMIN_FMT_PRUNE:
		return pruned(resp, out);
	case ADMIN_FMT_TEXT:
		fputs(json_object_get_string(resp), out);
		return ADMIN_OK;
	default:
		return done_line(what, resp, out);
	}
}
