/* SPDX-License-Identifier: GPL-2.0 */
/*
 * support_tmpdir.h - temporary directories for the verifier unit tests,
 * removed with everything in them.
 */
#ifndef HROT_TEST_SUPPORT_TMPDIR_H
#define HROT_TEST_SUPPORT_TMPDIR_H

/* A new 0700 directory under $TMPDIR (or /tmp); NULL on failure. */
char *support_tmpdir_make(void);
/* Remove @dir and its contents, and free it. */
void support_tmpdir_remove(char *dir);
/* "@dir/@name", malloc'ed; aborts on allocation failure. */
char *support_path(const char *dir, const char *name);

#endif /* HROT_TEST_SUPPORT_TMPDIR_H */
