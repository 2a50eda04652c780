// SPDX-License-Identifier: GPL-2.0
/*
 * hrotctl: printing digests, names and JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "hrotctl.h"

void print_hex(FILE *f, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(f, "%02x", p[i]);
}

/* The characters GNU coreutils' *sum escape in file names (9.1). */
static bool sum_needs_escape(const char *name)
{
	return strpbrk(name, "\\\n\r") != NULL;
}

static void print_sum_name(FILE *f, const char *name)
{
	for (; *name; name++) {
		if (*name == '\\')
			fputs("\\\\", f);
		else if (*name == '\n')
			fputs("\\n", f);
		else if (*name == '\r')
			fputs("\\r", f);
		else
			fputc(*name, f);
	}
}

void print_checksum_line(FILE *f, const uint8_t *digest, size_t len,
			 const char *name)
{
	bool escape = sum_needs_escape(name);

	if (escape)
		fputc('\\', f);
	print_hex(f, digest, len);
	fputs("  ", f);
	if (escape)
		print_sum_name(f, name);
	else
		fputs(name, f);
	fputc('\n', f);
}

void print_text_n(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\\' || p[i] < ' ' || p[i] >= 0x7f)
			fprintf(f, "\\%03o", p[i]);
		else
			fputc(p[i], f);
	}
}

void print_text(FILE *f, const char *s)
{
	print_text_n(f, s, strlen(s));
}

struct json_object *json_hex(const void *p, size_t len)
{
	struct json_object *obj;
	size_t size = HROT_HEX_SIZE(len);
	char *hex;

	hex = malloc(size);
	if (!hex)
		return NULL;
	hrot_hex_encode(p, len, hex, size);
	obj = json_object_new_string(hex);
	free(hex);
	return obj;
}

struct json_object *json_name(const char *name, size_t len)
{
	struct json_object *obj;
	char *escaped;

	/* json-c would copy invalid UTF-8 through into invalid JSON. */
	if (hrot_utf8_valid(name, len) && len <= INT32_MAX)
		return json_object_new_string_len(name, (int)len);
	escaped = hrot_escape_name(name, len);
	if (!escaped)
		return NULL;
	obj = json_object_new_string(escaped);
	free(escaped);
	return obj;
}

bool json_add(struct json_object *obj, const char *key,
	      struct json_object *val)
{
	if (!val)
		return false;
	if (json_object_object_add(obj, key, val) != 0) {
		json_object_put(val);
		return false;
	}
	return true;
}

int json_print(struct json_object *obj)
{
	const char *s;

	s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
					   JSON_C_TO_STRING_SPACED |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s) {
		json_object_put(obj);
		errmsg("out of memory");
		return EXIT_FAIL;
	}
	puts(s);
	json_object_put(obj);
	return EXIT_OK;
}
