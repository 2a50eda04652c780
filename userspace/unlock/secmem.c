// SPDX-License-Identifier: GPL-2.0
/*
 * hrot-unlock: memory for keys and secrets.  Whole pages, locked so they
 * are never swapped, excluded from core dumps, wiped before release.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "unlock.h"

static size_t round_pages(size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t p = page > 0 ? (size_t)page : 4096;

	return (size + p - 1) / p * p;
}

void *unlock_secmem_alloc(size_t size)
{
	size_t n = round_pages(size ? size : 1);
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/*
	 * mlock can fail for an unprivileged user over RLIMIT_MEMLOCK (the
	 * tests); root in the initramfs has the room.  The wipe still holds.
	 */
	(void)mlock(p, n);
	(void)madvise(p, n, MADV_DONTDUMP);
	return p;
}

void unlock_secmem_free(void *p, size_t size)
{
	size_t n;

	if (!p)
		return;
	n = round_pages(size ? size : 1);
	explicit_bzero(p, n);
	munlock(p, n);
	munmap(p, n);
}
