/* SPDX-License-Identifier: GPL-2.0 */
/*
 * table.h - aligned text tables for hrot-admin's human output.
 *
 * Cells are copied and made safe to print: the server's strings may hold
 * anything, and a control character must not reach the operator's
 * terminal, so bytes below 0x20 and DEL are shown as \xNN.
 */
#ifndef HROT_ADMIN_TABLE_H
#define HROT_ADMIN_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct table {
	size_t ncols;
	const char *const *headers;
	size_t nrows;
	size_t cap;
	char **cells;		/* nrows * ncols, row-major */
	int failed;		/* an allocation failed: print refuses */
};

void table_init(struct table *t, const char *const *headers, size_t ncols);
/* @cells has ncols entries; NULL prints as "-". */
void table_add_row(struct table *t, const char *const *cells);
/* Header line, then the rows; columns two spaces apart. -ENOMEM or 0. */
int table_print(const struct table *t, FILE *out);
void table_free(struct table *t);

/* The printable copy of @s (to free()), as a cell would hold it. */
char *table_sanitize(const char *s);
/* Characters on screen of UTF-8 @s (continuation bytes do not count). */
size_t table_width(const char *s);

#endif /* HROT_ADMIN_TABLE_H */
