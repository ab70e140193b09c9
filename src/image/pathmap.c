/* String -> index map with linear probing. */
#include "pathmap.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h ^ (h >> 29);
}

void bw_pathmap_init(struct bw_pathmap *m)
{
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->n = 0;
}

void bw_pathmap_release(struct bw_pathmap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->n = 0;
}

static void grow(struct bw_pathmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	const char **keys = bw_calloc(cap, sizeof(*keys));
	size_t *vals = bw_malloc(cap * sizeof(*vals));
	size_t n = 0;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = hash(m->keys[i]) & (cap - 1);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
		n++;
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	m->n = n;
}

void bw_pathmap_put(struct bw_pathmap *m, const char *key, size_t val)
{
	if ((m->n + 1) * 4 >= m->cap * 3)
		grow(m);
	size_t j = hash(key) & (m->cap - 1);
	while (m->keys[j]) {
		if (strcmp(m->keys[j], key) == 0) {
			m->vals[j] = val;
			return;
		}
		j = (j + 1) & (m->cap - 1);
	}
	m->n++;
	m->keys[j] = key;
	m->vals[j] = val;
}

static size_t find(const struct bw_pathmap *m, const char *key)
{
	if (!m->cap)
		return SIZE_MAX;
	size_t j = hash(key) & (m->cap - 1);
	while (m->keys[j]) {
		if (strcmp(m->keys[j], key) == 0)
			return j;
		j = (j + 1) & (m->cap - 1);
	}
	return SIZE_MAX;
}

bool bw_pathmap_get(const struct bw_pathmap *m, const char *key, size_t *val)
{
	size_t j = find(m, key);
	if (j == SIZE_MAX)
		return false;
	if (val)
		*val = m->vals[j];
	return true;
}
