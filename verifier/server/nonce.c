// SPDX-License-Identifier: GPL-2.0
/*
 * nonce.c - the in-memory table of single-use challenges (nonce.h).
 *
 * Layout: a pool of @max entries allocated once (so issuing never
 * allocates under the lock and the table can never grow past its bound),
 * a bucket array of chains keyed by the nonce's first bytes (the nonces
 * are random, so they hash themselves), and a list of live entries in
 * issue order.  Every entry lives the same lifetime, so issue order is
 * expiry order and evicting the expired ones is popping the list's head.
 *
 * An entry leaves the table on consumption (whatever the outcome except
 * a wrong device), on expiry eviction, or when the table is freed; each
 * time its bytes, payload included, are wiped.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "nonce.h"

#define NONCE_PAYLOAD_SIZE	32
#define NONCE_MAX_ENTRIES	(1u << 24)
#define NIL			UINT32_MAX

struct nonce_entry {
	uint8_t nonce[HROT_NONCE_SIZE];
	uint8_t device[HROT_DEVICE_NAME_SIZE];
	bool has_payload;
	uint8_t payload[NONCE_PAYLOAD_SIZE];
	int64_t expires_at;
	uint32_t chain;		/* next in the bucket, or next free */
	uint32_t older, newer;	/* issue-order list of live entries */
};

struct nonce_table {
	pthread_mutex_t lock;
	unsigned int lifetime_s;
	uint32_t max;
	uint32_t count;
	uint32_t nr_buckets;	/* a power of two */
	uint32_t *buckets;
	struct nonce_entry *pool;
	uint32_t free_head;
	uint32_t oldest, newest;
};

static uint32_t bucket_of(const struct nonce_table *t,
			  const uint8_t nonce[HROT_NONCE_SIZE])
{
	uint32_t h;

	memcpy(&h, nonce, sizeof(h));
	return h & (t->nr_buckets - 1);
}

int nonce_table_new(unsigned int lifetime_s, size_t max,
		    struct nonce_table **out)
{
	struct nonce_table *t;
	uint32_t i;

	*out = NULL;
	if (max == 0 || max > NONCE_MAX_ENTRIES)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->lifetime_s = lifetime_s;
	t->max = (uint32_t)max;
	t->nr_buckets = 16;
	while (t->nr_buckets < t->max)
		t->nr_buckets <<= 1;
	t->buckets = malloc(t->nr_buckets * sizeof(*t->buckets));
	t->pool = calloc(t->max, sizeof(*t->pool));
	if (!t->buckets || !t->pool || pthread_mutex_init(&t->lock, NULL)) {
		free(t->buckets);
		free(t->pool);
		free(t);
		return -ENOMEM;
	}
	for (i = 0; i < t->nr_buckets; i++)
		t->buckets[i] = NIL;
	for (i = 0; i < t->max; i++)
		t->pool[i].chain = i + 1 < t->max ? i + 1 : NIL;
	t->free_head = 0;
	t->oldest = NIL;
	t->newest = NIL;
	*out = t;
	return 0;
}

void nonce_table_free(struct nonce_table *t)
{
	if (!t)
		return;
	/* the payloads are credential secrets: wipe them all */
	explicit_bzero(t->pool, t->max * sizeof(*t->pool));
	pthread_mutex_destroy(&t->lock);
	free(t->pool);
	free(t->buckets);
	free(t);
}

/* Index of the live entry for @nonce, and what points at it. */
static uint32_t find(const struct nonce_table *t,
		     const uint8_t nonce[HROT_NONCE_SIZE], uint32_t **link)
{
	uint32_t *l = &t->buckets[bucket_of(t, nonce)];

	while (*l != NIL) {
		struct nonce_entry *e = &t->pool[*l];

		/* memcmp: the nonce is not a secret once sent to the device */
		if (memcmp(e->nonce, nonce, HROT_NONCE_SIZE) == 0) {
			*link = l;
			return *l;
		}
		l = &e->chain;
	}
	return NIL;
}

/* Unlink entry @i (found through @link) everywhere, wipe it, free it. */
static void remove_entry(struct nonce_table *t, uint32_t *link, uint32_t i)
{
	struct nonce_entry *e = &t->pool[i];

	*link = e->chain;
	if (e->older != NIL)
		t->pool[e->older].newer = e->newer;
	else
		t->oldest = e->newer;
	if (e->newer != NIL)
		t->pool[e->newer].older = e->older;
	else
		t->newest = e->older;
	explicit_bzero(e, sizeof(*e));
	e->chain = t->free_head;
	t->free_head = i;
	t->count--;
}

static bool expired(const struct nonce_entry *e, int64_t now)
{
	return now > e->expires_at;
}

/* Drop the expired entries: they are the oldest ones. */
static void evict_expired(struct nonce_table *t, int64_t now)
{
	while (t->oldest != NIL && expired(&t->pool[t->oldest], now)) {
		uint32_t i = t->oldest;
		uint32_t *link = NULL;

		if (find(t, t->pool[i].nonce, &link) != i)
			abort();	/* the two structures disagree */
		remove_entry(t, link, i);
	}
}

/* A fresh random nonce that no live entry has. */
static int fresh_nonce(const struct nonce_table *t,
		       uint8_t nonce[HROT_NONCE_SIZE])
{
	uint32_t *link;
	int tries;

	for (tries = 0; tries < 4; tries++) {
		if (RAND_bytes(nonce, HROT_NONCE_SIZE) != 1)
			return -EIO;
		if (find(t, nonce, &link) == NIL)
			return 0;
	}
	return -EIO;	/* 2^-256 four times over: the RNG is broken */
}

static void insert_entry(struct nonce_table *t, const uint8_t *device,
			 int64_t now, const uint8_t *payload,
			 const uint8_t nonce[HROT_NONCE_SIZE])
{
	uint32_t i = t->free_head;
	struct nonce_entry *e = &t->pool[i];
	uint32_t *head = &t->buckets[bucket_of(t, nonce)];

	t->free_head = e->chain;
	memcpy(e->nonce, nonce, HROT_NONCE_SIZE);
	memcpy(e->device, device, HROT_DEVICE_NAME_SIZE);
	e->has_payload = payload != NULL;
	if (payload)
		memcpy(e->payload, payload, NONCE_PAYLOAD_SIZE);
	e->expires_at = now + (int64_t)t->lifetime_s;
	e->chain = *head;
	*head = i;
	e->newer = NIL;
	e->older = t->newest;
	if (t->newest != NIL)
		t->pool[t->newest].newer = i;
	else
		t->oldest = i;
	t->newest = i;
	t->count++;
}

int nonce_issue(struct nonce_table *t, const uint8_t *device, int64_t now,
		const uint8_t *payload, uint8_t nonce[HROT_NONCE_SIZE])
{
	int ret;

	if (!t || !device || !nonce)
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	evict_expired(t, now);
	if (t->count >= t->max) {
		ret = -EBUSY;
		goto out;
	}
	ret = fresh_nonce(t, nonce);
	if (ret == 0)
		insert_entry(t, device, now, payload, nonce);
out:
	pthread_mutex_unlock(&t->lock);
	return ret;
}

enum nonce_result nonce_consume(struct nonce_table *t,
				const uint8_t nonce[HROT_NONCE_SIZE],
				const uint8_t *device, int64_t now,
				uint8_t *payload)
{
	enum nonce_result res = NONCE_OK;
	struct nonce_entry *e;
	uint32_t *link = NULL;
	uint32_t i;

	if (!t || !nonce || !device)
		return NONCE_UNKNOWN;
	pthread_mutex_lock(&t->lock);
	i = find(t, nonce, &link);
	if (i == NIL) {
		res = NONCE_UNKNOWN;
		goto out;
	}
	e = &t->pool[i];
	/*
	 * Someone else's nonce stays: taking it would let any device burn
	 * another's challenge.
	 */
	if (memcmp(e->device, device, HROT_DEVICE_NAME_SIZE) != 0) {
		res = NONCE_WRONG_DEVICE;
		goto out;
	}
	if (expired(e, now))
		res = NONCE_EXPIRED;
	else if (payload && e->has_payload)
		memcpy(payload, e->payload, NONCE_PAYLOAD_SIZE);
	else if (payload)
		memset(payload, 0, NONCE_PAYLOAD_SIZE);
	remove_entry(t, link, i);
out:
	pthread_mutex_unlock(&t->lock);
	return res;
}

size_t nonce_table_count(struct nonce_table *t)
{
	size_t n;

	pthread_mutex_lock(&t->lock);
	n = t->count;
	pthread_mutex_unlock(&t->lock);
	return n;
}
