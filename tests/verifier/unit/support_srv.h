/* SPDX-License-Identifier: GPL-2.0 */
/*
 * support_srv.h - run the real hrot-verifierd ($BUILD/bin/hrot-verifierd)
 * on 127.0.0.1 with a random port and a fresh state directory, for the
 * server's unit tests.  libc only: linked into every verifier unit test.
 */
#ifndef HROT_TEST_SUPPORT_SRV_H
#define HROT_TEST_SUPPORT_SRV_H

#include <sys/types.h>

struct srv {
	pid_t pid;
	unsigned int port;
	char dir[256];		/* temporary directory, removed by srv_stop */
	char state[300];	/* dir/state */
};

/*
 * Start the server with @extra (NULL-terminated, may be NULL) after the
 * standard options; wait (at most 15 s) for its port file.  0 or -1.
 */
int srv_start(struct srv *s, const char *const *extra);
/* SIGTERM, wait (at most 10 s, then SIGKILL); exit status or -1. */
int srv_stop(struct srv *s);
/* Path of @name in the server's state directory. */
const char *srv_path(const struct srv *s, const char *name, char *buf,
		     size_t size);

#endif /* HROT_TEST_SUPPORT_SRV_H */
