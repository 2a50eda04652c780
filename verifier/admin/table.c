// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-admin: aligned text tables.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

void table_init(struct table *t, const char *const *headers, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->headers = headers;
	t->ncols = ncols;
}

static bool needs_escape(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

char *table_sanitize(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 1;
	const unsigned char *p;
	char *out, *o;

	for (p = (const unsigned char *)s; *p; p++)
		n += needs_escape(*p) ? 4 : 1;
	out = malloc(n);
	if (!out)
		return NULL;
	for (o = out, p = (const unsigned char *)s; *p; p++) {
		if (!needs_escape(*p)) {
			*o++ = (char)*p;
			continue;
		}
		*o++ = '\\';
		*o++ = 'x';
		*o++ = hex[*p >> 4];
		*o++ = hex[*p & 0xf];
	}
	*o = '\0';
	return out;
}

size_t table_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static int grow(struct table *t)
{
	size_t cap = t->cap ? 2 * t->cap : 16;
	char **cells;

	cells = realloc(t->cells, cap * t->ncols * sizeof(*cells));
	if (!cells)
		return -ENOMEM;
	t->cells = cells;
	t->cap = cap;
	return 0;
}

void table_add_row(struct table *t, const char *const *cells)
{
	char **row;
	size_t i;

	if (t->failed || (t->nrows == t->cap && grow(t))) {
		t->failed = 1;
		return;
	}
	row = t->cells + t->nrows * t->ncols;
	for (i = 0; i < t->ncols; i++) {
		row[i] = table_sanitize(cells[i] ? cells[i] : "-");
		if (!row[i])
			t->failed = 1;
	}
	t->nrows++;
}

static void print_line(const char *const *cells, const size_t *widths,
		       size_t ncols, FILE *out)
{
	size_t i, pad;

	for (i = 0; i < ncols; i++) {
		fputs(cells[i] ? cells[i] : "?", out);
		if (i + 1 == ncols)
			break;
		/* The last column is not padded: no trailing blanks. */
		for (pad = table_width(cells[i] ? cells[i] : "?"); pad < widths[i] + 2; pad++)
			fputc(' ', out);
	}
	fputc('\n', out);
}

int table_print(const struct table *t, FILE *out)
{
	size_t *widths, r, c, w;

	if (t->failed)
		return -ENOMEM;
	widths = calloc(t->ncols, sizeof(*widths));
	if (!widths)
		return -ENOMEM;
	for (c = 0; c < t->ncols; c++)
		widths[c] = table_width(t->headers[c]);
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			w = table_width(t->cells[r * t->ncols + c] ? t->cells[r * t->ncols + c] : "?");
			if (w > widths[c])
				widths[c] = w;
		}
	print_line(t->headers, widths, t->ncols, out);
	for (r = 0; r < t->nrows; r++)
		print_line((const char *const *)(t->cells + r * t->ncols), widths,
			   t->ncols, out);
	free(widths);
	return 0;
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
