/* Records, small parsing helpers and a string map shared by the analyzers. */
#include <jansson.h>

#include "inventory-int.h"

#define INV_NOTE_MAX 512

/* Records are arena objects whose arrays grow in the arena (BW_ARENA_GROW). */
struct inv_record *inv_record_new(struct inv_layer *l, enum inv_kind kind, const char *path)
{
	struct inv_record *rec = bw_arena_alloc(&l->arena, sizeof(*rec));
	rec->kind = kind;
	rec->path = bw_arena_strdup(&l->arena, path);
	BW_ALLOC_GROW(l->recs, l->n_recs + 1, l->cap_recs);
	l->recs[l->n_recs++] = rec;
	return rec;
}

size_t inv_record_add_pkg(struct inv_layer *l, struct inv_record *rec)
{
	BW_ARENA_GROW(&l->arena, rec->pkgs, rec->n_pkgs + 1, rec->n_pkgs, rec->cap_pkgs);
	memset(&rec->pkgs[rec->n_pkgs], 0, sizeof(rec->pkgs[0]));
	return rec->n_pkgs++;
}

void inv_record_own(struct inv_layer *l, struct inv_record *rec, const char *path, size_t len)
{
	BW_ARENA_GROW(&l->arena, rec->owned, rec->n_owned + 1, rec->n_owned, rec->cap_owned);
	rec->owned[rec->n_owned++] = bw_arena_strndup(&l->arena, path, len);
}

void inv_record_kv(struct inv_layer *l, struct inv_record *rec, const char *k, size_t kl, const char *v,
		   size_t vl)
{
	BW_ARENA_GROW(&l->arena, rec->kv, rec->n_kv + 2, rec->n_kv, rec->cap_kv);
	rec->kv[rec->n_kv++] = bw_arena_strndup(&l->arena, k, kl);
	rec->kv[rec->n_kv++] = bw_arena_strndup(&l->arena, v, vl);
}

void inv_record_note(struct inv_layer *l, struct inv_record *rec, const char *fmt, ...)
{
	if (rec->note)
		return; /* the first problem of a file is the one worth reading */
	char buf[INV_NOTE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rec->note = bw_arena_strdup(&l->arena, buf);
}

json_t *inv_json_load(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	json_error_t je;
	bool too_big = false;
	json_t *j = bw_json_loadb(data, len, 0, BW_JSON_TREE_MAX, &je, &too_big);
	if (too_big)
		inv_record_note(l, rec, "%s: takes more than %zu MiB once parsed", rec->path,
				BW_JSON_TREE_MAX >> 20);
	else if (!j)
		inv_record_note(l, rec, "%s: line %d: not JSON: %s", rec->path, je.line, je.text);
	return j;
}

char *inv_strndup(struct inv_layer *l, const char *s, size_t n)
{
	struct bw_slice t = inv_trim((struct bw_slice){s, n});
	char *out = bw_arena_strndup(&l->arena, t.ptr, t.len);
	/* reports are JSON: no NULs (strndup stopped there) and valid UTF-8 only */
	size_t len = strlen(out);
	if (!bw_utf8_valid(out, len))
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)out[i] >= 0x80)
				out[i] = '?';
	return out;
}

char *inv_strdup(struct inv_layer *l, const char *s)
{
	return s ? bw_arena_strdup(&l->arena, s) : NULL;
}

void inv_pkg_add_license(struct inv_layer *l, struct inv_pkg *p, const char *s, size_t n)
{
	struct bw_slice t = inv_trim((struct bw_slice){s, n});
	if (!t.len || p->n_licenses >= 64)
		return;
	for (size_t i = 0; i < p->n_licenses; i++)
		if (bw_slice_eq(t, p->licenses[i]))
			return;
	BW_ARENA_GROW(&l->arena, p->licenses, p->n_licenses + 1, p->n_licenses, p->cap_licenses);
	p->licenses[p->n_licenses++] = bw_arena_strndup(&l->arena, t.ptr, t.len);
}

void inv_pkg_add_depend(struct inv_layer *l, struct inv_pkg *p, const char *s, size_t n)
{
	struct bw_slice t = inv_trim((struct bw_slice){s, n});
	if (!t.len || p->n_depends >= 4096)
		return;
	BW_ARENA_GROW(&l->arena, p->depends, p->n_depends + 1, p->n_depends, p->cap_depends);
	p->depends[p->n_depends++] = bw_arena_strndup(&l->arena, t.ptr, t.len);
}

/* ---- hashes ---- */

bool inv_pkg_add_hash(struct inv_layer *l, struct inv_pkg *p, enum bw_hash_alg alg, const char *hex, size_t n)
{
	size_t size = bw_hash_alg_size(alg);
	if (!size || n != 2 * size)
		return false;
	char low[2 * 64 + 1];
	for (size_t i = 0; i < n; i++)
		low[i] = (char)bw_tolower(hex[i]);
	low[n] = '\0';
	if (!bw_hash_hex_valid(alg, low, n))
		return false;
	for (size_t i = 0; i < p->n_hashes; i++)
		if (p->hashes[i].alg == alg)
			return true; /* the first one stays */
	/* at most BW_HASH__COUNT: allocate them all at once */
	if (!p->hashes)
		p->hashes = bw_arena_alloc(&l->arena, BW_HASH__COUNT * sizeof(*p->hashes));
	p->hashes[p->n_hashes].alg = alg;
	p->hashes[p->n_hashes++].hex = bw_arena_strndup(&l->arena, low, n);
	return true;
}

bool inv_pkg_add_digest(struct inv_layer *l, struct inv_pkg *p, enum bw_hash_alg alg, const unsigned char *d,
			size_t n)
{
	if (n != bw_hash_alg_size(alg) || n > 64)
		return false;
	char hex[2 * 64 + 1];
	bw_hex_encode(d, n, hex);
	return inv_pkg_add_hash(l, p, alg, hex, 2 * n);
}

bool inv_pkg_add_base64(struct inv_layer *l, struct inv_pkg *p, enum bw_hash_alg alg, const char *b64,
			size_t n)
{
	unsigned char d[64];
	int len = bw_base64_decode(b64, n, d, sizeof(d));
	return len > 0 && inv_pkg_add_digest(l, p, alg, d, (size_t)len);
}

bool inv_pkg_add_sri(struct inv_layer *l, struct inv_pkg *p, const char *s, size_t n)
{
	static const struct {
		const char *prefix;
		enum bw_hash_alg alg;
	} algs[] = {{"sha1-", BW_HASH_SHA1},
		    {"sha256-", BW_HASH_SHA256},
		    {"sha384-", BW_HASH_SHA384},
		    {"sha512-", BW_HASH_SHA512}};
	bool any = false, bad = false;
	size_t i = 0;
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
			i++;
		size_t b = i;
		while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			i++;
		if (i == b)
			break;
		struct bw_slice t = {s + b, i - b};
		const char *q = memchr(t.ptr, '?', t.len); /* options: none are defined */
		if (q)
			t.len = (size_t)(q - t.ptr);
		size_t k;
		for (k = 0; k < BW_ARRAY_SIZE(algs); k++)
			if (bw_slice_has_prefix(t, algs[k].prefix))
				break;
		if (k == BW_ARRAY_SIZE(algs)) {
			bad = true; /* SRI would skip an unknown algorithm; npm writes none */
			continue;
		}
		size_t pl = strlen(algs[k].prefix);
		if (inv_pkg_add_base64(l, p, algs[k].alg, t.ptr + pl, t.len - pl))
			any = true;
		else
			bad = true;
	}
	return any && !bad;
}

void inv_hash_note(struct inv_layer *l, struct inv_record *rec, const struct inv_pkg *p, const char *what)
{
	inv_record_note(l, rec, "%s: package %s %s: %s is not a valid hash; ignored", rec->path,
			p->name ? p->name : "?", p->version ? p->version : "?", what);
}

bool inv_next_line(const char **p, const char *end, const char **line, size_t *len)
{
	if (*p >= end)
		return false;
	const char *s = *p;
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	const char *e = nl ? nl : end;
	*p = nl ? nl + 1 : end;
	if (e > s && e[-1] == '\r')
		e--;
	*line = s;
	*len = (size_t)(e - s);
	return true;
}

struct bw_slice inv_trim(struct bw_slice s)
{
	while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t' || s.ptr[0] == '\r' || s.ptr[0] == '\n')) {
		s.ptr++;
		s.len--;
	}
	while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t' || s.ptr[s.len - 1] == '\r' ||
			 s.ptr[s.len - 1] == '\n'))
		s.len--;
	return s;
}

bool inv_slice_ieq(struct bw_slice a, const char *s)
{
	size_t n = strlen(s);
	if (a.len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (bw_tolower(a.ptr[i]) != bw_tolower(s[i]))
			return false;
	return true;
}

/* ---- map ---- */

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void map_grow(struct inv_map *m)
{
	struct inv_map old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->keys = bw_calloc(m->cap, sizeof(char *));
	m->vals = bw_calloc(m->cap, sizeof(void *));
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i])
			inv_map_put(m, old.keys[i], old.vals[i]);
	free(old.keys);
	free(old.vals);
}

void inv_map_put(struct inv_map *m, const char *key, void *val)
{
	if ((m->n + 1) * 2 > m->cap)
		map_grow(m);
	size_t i = hash_str(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (strcmp(m->keys[i], key) == 0) {
			m->vals[i] = val;
			return;
		}
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
}

void *inv_map_get(const struct inv_map *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t i = hash_str(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (strcmp(m->keys[i], key) == 0)
			return m->vals[i];
		i = (i + 1) & (m->cap - 1);
	}
	return NULL;
}

void inv_map_release(struct inv_map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
