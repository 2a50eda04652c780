// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin policy import: policy entries from a reference machine.
 *
 * The digest of an entry is what the verifier's policy check
 * (verifier/server/appraise_policy.c) compares: the event's content
 * digest, i.e. the SHA-256 of the measured file for a MEASURE_FD record
 * and the extended digest for an EXTEND record (HROT event data offset
 * 12, Documentation/log-format.md).  That is what `sha256sum FILE` and
 * `hrotctl measure FILE` print, so a --from-list file is sha256sum's
 * output for the files the machine measures.  The record's bank digests
 * (hashes of the whole event data) are checked here for consistency, so a
 * damaged reference log is refused, but they are not the policy digest.
 *
 * The component of an entry is the event's name (description or path),
 * which the check compares byte for byte.  A name that cannot be a
 * component (not UTF-8, control characters, over ADMIN_NAME_MAX bytes)
 * gets "*", the store's "any component"; its content digest still has to
 * match.  Records without HROT event data (not written by the module) and
 * EV_NO_ACTION records are skipped, with a note on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include <hrot/eventlog.h>
#include <hrot/hex.h>

#include "admin.h"

/* Lists are text; a million entries is far beyond any real policy. */
#define LIST_MAX_BYTES	(64u << 20)
#define SHA256_HEX_LEN	((size_t)2 * HROT_SHA256_SIZE)

static bool same_entry(struct json_object *e, const char *component,
		       const char *hex)
{
	struct json_object *c, *d;

	return json_object_object_get_ex(e, "component", &c) &&
	       json_object_object_get_ex(e, "sha256_hex", &d) &&
	       strcmp(json_object_get_string(c), component) == 0 &&
	       strcmp(json_object_get_string(d), hex) == 0;
}

/* Append {component, version, sha256_hex} unless it is there already. */
static int add_entry(struct json_object *entries, const char *component,
		     const char *version, const char *hex)
{
	struct json_object *e;
	size_t i, n = json_object_array_length(entries);

	for (i = 0; i < n; i++)
		if (same_entry(json_object_array_get_idx(entries, i), component, hex))
			return 0;
	e = json_object_new_object();
	if (!e)
		return -ENOMEM;
	if (json_object_object_add(e, "component", json_object_new_string(component)) ||
	    json_object_object_add(e, "version", json_object_new_string(version)) ||
	    json_object_object_add(e, "sha256_hex", json_object_new_string(hex)) ||
	    json_object_array_add(entries, e)) {
		json_object_put(e);
		return -ENOMEM;
	}
	return 0;
}

/* The component of a record: its name, or "*" (see the top). */
static char *record_component(const struct hrot_log_record *r)
{
	char *name;

	if (r->hrot.name_len > ADMIN_NAME_MAX)
		return strdup("*");
	name = strndup(r->hrot.name, r->hrot.name_len);
	if (name && (strlen(name) != r->hrot.name_len || !admin_name_ok(name))) {
		free(name);
		return strdup("*");
	}
	return name;
}

static int add_record(struct json_object *entries, const struct hrot_log *log,
		      size_t i, const char *version, char *err, size_t err_size)
{
	const struct hrot_log_record *r = &log->records[i];
	char hex[SHA256_HEX_LEN + 1];
	char *component;
	int ret;

	hrot_hex_encode(r->hrot.content_digest, sizeof(r->hrot.content_digest),
			hex, sizeof(hex));
	component = record_component(r);
	if (!component)
		return admin_err(err, err_size, ADMIN_FAIL, "out of memory");
	ret = add_entry(entries, component, version, hex);
	free(component);
	return ret ? admin_err(err, err_size, ADMIN_FAIL, "out of memory") : 0;
}

static int entries_of_log(const struct hrot_log *log, const char *version,
			  struct json_object *entries, char *err,
			  size_t err_size)
{
	size_t i;
	int ret;

	for (i = 0; i < log->nr_records; i++) {
		/* Never extended into a PCR, or not the module's: no entry. */
		if (log->records[i].event_type == HROT_EV_NO_ACTION ||
		    !log->records[i].is_hrot) {
			fprintf(stderr, "hrot-admin: note: record %zu is not an hrot event, skipped\n",
				i);
			continue;
		}
		ret = add_record(entries, log, i, version, err, err_size);
		if (ret)
			return ret;
	}
	return ADMIN_OK;
}

static int load_checked_log(const char *path, struct hrot_log **log,
			    char *err, size_t err_size)
{
	struct hrot_log_diag diag;
	int ret;

	diag.msg[0] = '\0';
	ret = hrot_log_load(path, log, &diag);
	if (ret)
		return admin_err(err, err_size, ADMIN_FAIL, "%s: %s", path,
				 diag.msg[0] ? diag.msg : strerror(-ret));
	/* A reference whose digests are not those of its events is no reference. */
	ret = hrot_log_verify(*log, &diag);
	if (ret) {
		hrot_log_free(*log);
		*log = NULL;
		return admin_err(err, err_size, ADMIN_FAIL, "%s: %s", path,
				 diag.msg[0] ? diag.msg : strerror(-ret));
	}
	return ADMIN_OK;
}

int admin_policy_entries_from_log(const char *path, const char *version,
				  struct json_object **entries, char *err,
				  size_t err_size)
{
	struct hrot_log *log = NULL;
	char why[ADMIN_ERR_SIZE];
	int ret;

	*entries = NULL;
	ret = load_checked_log(path, &log, err, err_size);
	if (ret || !log)
		return ADMIN_FAIL;
	*entries = json_object_new_array();
	ret = *entries ? entries_of_log(log, version, *entries, why, sizeof(why)) :
		admin_err(why, sizeof(why), ADMIN_FAIL, "out of memory");
	if (!ret && json_object_array_length(*entries) == 0)
		ret = admin_err(why, sizeof(why), ADMIN_FAIL,
				"no measured records");
	hrot_log_free(log);
	if (ret) {
		json_object_put(*entries);
		*entries = NULL;
		return admin_err(err, err_size, ret, "%s: %s", path, why);
	}
	return ADMIN_OK;
}

/*
 * GNU coreutils escapes a name holding a backslash, newline or carriage
 * return and marks the line with a leading backslash; undo it in place.
 */
static bool unescape_name(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*out++ = *s;
			continue;
		}
		s++;
		if (*s == '\\')
			*out++ = '\\';
		else if (*s == 'n')
			*out++ = '\n';
		else if (*s == 'r')
			*out++ = '\r';
		else
			return false;
	}
	*out = '\0';
	return true;
}

/* "HEX  NAME" or "HEX *NAME" (binary mode): the name, or NULL. */
static char *split_line(char *line, bool escaped)
{
	char *name;

	if (strlen(line) < SHA256_HEX_LEN + 2 || line[SHA256_HEX_LEN] != ' ')
		return NULL;
	if (line[SHA256_HEX_LEN + 1] != ' ' && line[SHA256_HEX_LEN + 1] != '*')
		return NULL;
	line[SHA256_HEX_LEN] = '\0';
	name = line + SHA256_HEX_LEN + 2;
	if (escaped && !unescape_name(name))
		return NULL;
	return name;
}

static int list_line(char *line, size_t lineno, const char *version,
		     struct json_object *entries, char *err, size_t err_size)
{
	uint8_t digest[HROT_SHA256_SIZE];
	char hex[SHA256_HEX_LEN + 1];
	bool escaped = line[0] == '\\';
	char *name;

	if (escaped)
		line++;
	name = split_line(line, escaped);
	if (!name || hrot_hex_decode(line, digest, sizeof(digest)))
		return admin_err(err, err_size, ADMIN_FAIL,
				 "line %zu: not \"SHA256HEX  NAME\"", lineno);
	if (!admin_name_ok(name))
		return admin_err(err, err_size, ADMIN_FAIL,
				 "line %zu: name: want 1..%d printable UTF-8 bytes",
				 lineno, ADMIN_NAME_MAX);
	hrot_hex_encode(digest, sizeof(digest), hex, sizeof(hex));
	if (add_entry(entries, name, version, hex))
		return admin_err(err, err_size, ADMIN_FAIL, "out of memory");
	return ADMIN_OK;
}

/* Skip blank lines and '#' comments, strip the line end. */
static bool list_line_empty(char *line)
{
	line[strcspn(line, "\r\n")] = '\0';
	return line[0] == '\0' || line[0] == '#';
}

static int entries_of_list(char *text, size_t len, const char *version,
			   struct json_object *entries, char *err,
			   size_t err_size)
{
	char *line = text, *next;
	size_t lineno;
	int ret;

	if (strlen(text) != len)
		return admin_err(err, err_size, ADMIN_FAIL, "holds a NUL byte");
	for (lineno = 1; line && *line; lineno++, line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (list_line_empty(line))
			continue;
		ret = list_line(line, lineno, version, entries, err, err_size);
		if (ret)
			return ret;
	}
	return ADMIN_OK;
}

int admin_policy_entries_from_list(const char *path, const char *version,
				   struct json_object **entries, char *err,
				   size_t err_size)
{
	char why[ADMIN_ERR_SIZE];
	size_t len;
	char *text;
	int ret;

	*entries = NULL;
	text = admin_read_file(path, LIST_MAX_BYTES, &len, err, err_size);
	if (!text)
		return ADMIN_FAIL;
	*entries = json_object_new_array();
	ret = *entries ? entries_of_list(text, len, version, *entries, why, sizeof(why)) :
		admin_err(why, sizeof(why), ADMIN_FAIL, "out of memory");
	if (!ret && json_object_array_length(*entries) == 0)
		ret = admin_err(why, sizeof(why), ADMIN_FAIL, "no entries");
	free(text);
	if (ret) {
		json_object_put(*entries);
		*entries = NULL;
		return admin_err(err, err_size, ret, "%s: %s", path, why);
	}
	return ADMIN_OK;
}

int admin_policy_entries_merge(struct json_object *into,
			       struct json_object *more)
{
	size_t i, n = json_object_array_length(more);

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(more, i);
		struct json_object *c, *v, *d;
		int ret;

		if (!json_object_object_get_ex(e, "component", &c) ||
		    !json_object_object_get_ex(e, "version", &v) ||
		    !json_object_object_get_ex(e, "sha256_hex", &d))
			continue;
		ret = add_entry(into, json_object_get_string(c),
				json_object_get_string(v),
				json_object_get_string(d));
		if (ret)
			return ret;
	}
	return 0;
}

/* The entry of @entries for @component and @hex, or NULL. */
static struct json_object *find_entry(struct json_object *entries,
				      const char *component, const char *hex)
{
	size_t i, n = json_object_array_length(entries);

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(entries, i);

		if (same_entry(e, component, hex))
			return e;
	}
	return NULL;
}

int admin_policy_entries_mark_keys(struct json_object *into,
				   struct json_object *programs)
{
	size_t i, n = json_object_array_length(programs);

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(programs, i);
		struct json_object *c, *d, *found;

		if (!json_object_object_get_ex(e, "component", &c) ||
		    !json_object_object_get_ex(e, "sha256_hex", &d))
			continue;
		found = find_entry(into, json_object_get_string(c),
				   json_object_get_string(d));
		if (!found) {
			found = json_object_get(e);
			if (json_object_array_add(into, found)) {
				json_object_put(found);
				return -ENOMEM;
			}
		}
		if (json_object_object_add(found, "component_key",
					   json_object_new_boolean(1)))
			return -ENOMEM;
	}
	return 0;
}
