// SPDX-License-Identifier: GPL-2.0
/*
 * activation.c - a small mutex-protected array; a lookup is a scan, fine
 * for the few activations in flight at any time.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "activation.h"

struct activation_entry {
	bool used;
	int64_t expires;
	uint8_t id[HROT_ACTIVATION_ID_SIZE];
	uint8_t device[HROT_DEVICE_NAME_SIZE];
	uint8_t secret[HROT_SECRET_SIZE];
};

struct activation_table {
	pthread_mutex_t lock;
	unsigned int lifetime;
	size_t max;
	struct activation_entry *e;
};

int activation_table_new(unsigned int lifetime_s, size_t max,
			 struct activation_table **out)
{
	struct activation_table *t = calloc(1, sizeof(*t));

	if (!t || !max)
		goto fail;
	t->e = calloc(max, sizeof(*t->e));
	if (!t->e)
		goto fail;
	pthread_mutex_init(&t->lock, NULL);
	t->lifetime = lifetime_s;
	t->max = max;
	*out = t;
	return 0;
fail:
	free(t);
	return max ? -ENOMEM : -EINVAL;
}

void activation_table_free(struct activation_table *t)
{
	if (!t)
		return;
	OPENSSL_cleanse(t->e, t->max * sizeof(*t->e));
	free(t->e);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static void entry_clear(struct activation_entry *e)
{
	OPENSSL_cleanse(e, sizeof(*e));
}

/* A free slot, evicting expired entries on the way; NULL when full. */
static struct activation_entry *free_slot(struct activation_table *t,
					  int64_t now)
{
	struct activation_entry *slot = NULL;
	size_t i;

	for (i = 0; i < t->max; i++) {
		struct activation_entry *e = &t->e[i];

		if (e->used && now >= e->expires)
			entry_clear(e);
		if (!e->used && !slot)
			slot = e;
	}
	return slot;
}

int activation_put(struct activation_table *t, const uint8_t *device,
		   const uint8_t secret[HROT_SECRET_SIZE], int64_t now,
		   uint8_t id[HROT_ACTIVATION_ID_SIZE])
{
	struct activation_entry *e;

	if (RAND_bytes(id, HROT_ACTIVATION_ID_SIZE) != 1)
		return -EIO;
	pthread_mutex_lock(&t->lock);
	e = free_slot(t, now);
	if (e) {
		e->used = true;
		e->expires = now + t->lifetime;
		memcpy(e->id, id, HROT_ACTIVATION_ID_SIZE);
		memcpy(e->device, device, HROT_DEVICE_NAME_SIZE);
		memcpy(e->secret, secret, HROT_SECRET_SIZE);
	}
	pthread_mutex_unlock(&t->lock);
	return e ? 0 : -EBUSY;
}

int activation_take(struct activation_table *t,
		    const uint8_t id[HROT_ACTIVATION_ID_SIZE],
		    const uint8_t *device, int64_t now,
		    uint8_t secret[HROT_SECRET_SIZE])
{
	int ret = -ENOENT;
	size_t i;

	pthread_mutex_lock(&t->lock);
	for (i = 0; i < t->max; i++) {
		struct activation_entry *e = &t->e[i];

		if (!e->used ||
		    CRYPTO_memcmp(e->id, id, HROT_ACTIVATION_ID_SIZE))
			continue;
		if (now < e->expires &&
		    !memcmp(e->device, device, HROT_DEVICE_NAME_SIZE)) {
			memcpy(secret, e->secret, HROT_SECRET_SIZE);
			ret = 0;
		}
		entry_clear(e);
		break;
	}
	pthread_mutex_unlock(&t->lock);
	return ret;
}
