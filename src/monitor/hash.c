/* A small chained hash map (monitor-int.h): the process table, the
 * containers, the images and the learned profiles all key on a number or a
 * string. */
#include "monitor-int.h"

struct bw_mon_hentry {
	uint64_t key;
	char *skey; /* string keys: the string (the key is its hash) */
	void *val;
	struct bw_mon_hentry *next;
};

uint64_t bw_mon_strhash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static size_t slot(const struct bw_mon_hash *h, uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return (size_t)(key & (h->cap - 1));
}

static void grow(struct bw_mon_hash *h)
{
	size_t ncap = h->cap ? h->cap * 2 : 64;
	struct bw_mon_hentry **nb = bw_calloc(ncap, sizeof(*nb));
	struct bw_mon_hash tmp = {nb, 0, ncap};
	for (size_t i = 0; i < h->cap; i++) {
		for (struct bw_mon_hentry *e = h->b[i], *next; e; e = next) {
			next = e->next;
			size_t s = slot(&tmp, e->key);
			e->next = nb[s];
			nb[s] = e;
		}
	}
	free(h->b);
	h->b = nb;
	h->cap = ncap;
}

static struct bw_mon_hentry *find(const struct bw_mon_hash *h, uint64_t key, const char *skey)
{
	if (!h->cap)
		return NULL;
	for (struct bw_mon_hentry *e = h->b[slot(h, key)]; e; e = e->next)
		if (e->key == key && (!skey || (e->skey && strcmp(e->skey, skey) == 0)))
			return e;
	return NULL;
}

static void put(struct bw_mon_hash *h, uint64_t key, const char *skey, void *val)
{
	struct bw_mon_hentry *e = find(h, key, skey);
	if (e) {
		e->val = val;
		return;
	}
	if (h->n + 1 > h->cap * 3 / 4)
		grow(h);
	e = bw_calloc(1, sizeof(*e));
	e->key = key;
	e->skey = skey ? bw_strdup(skey) : NULL;
	e->val = val;
	size_t s = slot(h, key);
	e->next = h->b[s];
	h->b[s] = e;
	h->n++;
}

static void *del(struct bw_mon_hash *h, uint64_t key, const char *skey)
{
	if (!h->cap)
		return NULL;
	for (struct bw_mon_hentry **pp = &h->b[slot(h, key)]; *pp; pp = &(*pp)->next) {
		struct bw_mon_hentry *e = *pp;
		if (e->key == key && (!skey || (e->skey && strcmp(e->skey, skey) == 0))) {
			void *v = e->val;
			*pp = e->next;
			free(e->skey);
			free(e);
			h->n--;
			return v;
		}
	}
	return NULL;
}

void *bw_mon_hash_get(const struct bw_mon_hash *h, uint64_t key)
{
	struct bw_mon_hentry *e = find(h, key, NULL);
	return e ? e->val : NULL;
}

void bw_mon_hash_put(struct bw_mon_hash *h, uint64_t key, void *val)
{
	put(h, key, NULL, val);
}

void *bw_mon_hash_del(struct bw_mon_hash *h, uint64_t key)
{
	return del(h, key, NULL);
}

void *bw_mon_hash_sget(const struct bw_mon_hash *h, const char *key)
{
	struct bw_mon_hentry *e = find(h, bw_mon_strhash(key, strlen(key)), key);
	return e ? e->val : NULL;
}

void bw_mon_hash_sput(struct bw_mon_hash *h, const char *key, void *val)
{
	put(h, bw_mon_strhash(key, strlen(key)), key, val);
}

void *bw_mon_hash_sdel(struct bw_mon_hash *h, const char *key)
{
	return del(h, bw_mon_strhash(key, strlen(key)), key);
}

void bw_mon_hash_sweep(struct bw_mon_hash *h, bool (*fn)(void *ud, uint64_t key, void *val), void *ud)
{
	for (size_t i = 0; i < h->cap; i++) {
		for (struct bw_mon_hentry **pp = &h->b[i]; *pp;) {
			struct bw_mon_hentry *e = *pp;
			if (fn(ud, e->key, e->val)) {
				*pp = e->next;
				free(e->skey);
				free(e);
				h->n--;
			} else {
				pp = &e->next;
			}
		}
	}
}

void bw_mon_hash_release(struct bw_mon_hash *h)
{
	for (size_t i = 0; i < h->cap; i++) {
		for (struct bw_mon_hentry *e = h->b[i], *next; e; e = next) {
			next = e->next;
			free(e->skey);
			free(e);
		}
	}
	free(h->b);
	memset(h, 0, sizeof(*h));
}
