/* The inventory's per-layer records in the layer cache (image.h's
 * bw_analyzer save/load).
 *
 * Format 3 (varints and strings as core.h's codec):
 *   format · n records · n × { kind · path · note · n pkgs · n × pkg ·
 *   n owned · owned paths · n kv · kv strings }
 *   pkg: name · version · ecosystem · purl_type · purl_ns · purl_name ·
 *   arch · epoch · modularity · source_name · source_version · n licenses ·
 *   licenses · n depends · depends · path · n hashes · n × { algorithm ·
 *   hex } · origin · flags (1 is_os, 2 dev, 4 application, 8 supplier_org) ·
 *   supplier · author
 * A hash of an unknown algorithm, of the wrong length, or a second one of
 * an algorithm makes the record bad (the writers trust the hex).
 * Change it, and bump BW_INVENTORY_VERSION. */
#include "inventory-int.h"

#define FORMAT 3

static int enc_strs(struct bw_buf *b, const char *const *v, size_t n)
{
	int rc = bw_enc_u64(b, n);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc |= bw_enc_str(b, v[i]);
	return rc;
}

static int enc_pkg(struct bw_buf *b, const struct inv_pkg *p)
{
	const char *s[] = {p->name, p->version, p->ecosystem,  p->purl_type,   p->purl_ns,	 p->purl_name,
			   p->arch, p->epoch,	p->modularity, p->source_name, p->source_version};
	int rc = 0;
	for (size_t i = 0; i < BW_ARRAY_SIZE(s); i++)
		rc |= bw_enc_str(b, s[i]);
	rc |= enc_strs(b, p->licenses, p->n_licenses);
	rc |= enc_strs(b, p->depends, p->n_depends);
	rc |= bw_enc_str(b, p->path);
	rc |= bw_enc_u64(b, p->n_hashes);
	for (size_t i = 0; i < p->n_hashes; i++) {
		rc |= bw_enc_u64(b, (uint64_t)p->hashes[i].alg);
		rc |= bw_enc_str(b, p->hashes[i].hex);
	}
	rc |= bw_enc_str(b, p->origin);
	rc |= bw_enc_u64(b, (p->is_os ? 1u : 0u) | (p->dev ? 2u : 0u) | (p->application ? 4u : 0u) |
				(p->supplier_org ? 8u : 0u));
	rc |= bw_enc_str(b, p->supplier);
	rc |= bw_enc_str(b, p->author);
	return rc;
}

int inv_layer_save(void *state, struct bw_buf *out)
{
	const struct inv_layer *l = state;
	int rc = bw_enc_u64(out, FORMAT);
	rc |= bw_enc_u64(out, l->n_recs);
	for (size_t r = 0; r < l->n_recs && rc == 0; r++) {
		const struct inv_record *rec = l->recs[r];
		rc |= bw_enc_u64(out, (uint64_t)rec->kind);
		rc |= bw_enc_str(out, rec->path);
		rc |= bw_enc_str(out, rec->note);
		rc |= bw_enc_u64(out, rec->n_pkgs);
		for (size_t i = 0; i < rec->n_pkgs && rc == 0; i++)
			rc |= enc_pkg(out, &rec->pkgs[i]);
		rc |= enc_strs(out, rec->owned, rec->n_owned);
		rc |= enc_strs(out, rec->kv, rec->n_kv);
	}
	return rc ? BW_ELIMIT : 0;
}

/* n strings (none NULL) into an arena array. */
static const char **dec_strs(struct bw_dec *d, struct bw_arena *a, size_t *n)
{
	*n = bw_dec_count(d);
	const char **v = bw_arena_alloc(a, (*n ? *n : 1) * sizeof(char *));
	for (size_t i = 0; i < *n && !d->bad; i++) {
		v[i] = bw_dec_str(d, a);
		if (!v[i])
			d->bad = true;
	}
	return v;
}

static void dec_pkg(struct bw_dec *d, struct bw_arena *a, struct inv_pkg *p)
{
	const char **s[] = {&p->name,	    &p->version,     &p->ecosystem,	&p->purl_type,
			    &p->purl_ns,    &p->purl_name,   &p->arch,		&p->epoch,
			    &p->modularity, &p->source_name, &p->source_version};
	for (size_t i = 0; i < BW_ARRAY_SIZE(s); i++)
		*s[i] = bw_dec_str(d, a);
	p->licenses = dec_strs(d, a, &p->n_licenses);
	p->depends = dec_strs(d, a, &p->n_depends);
	p->path = bw_dec_str(d, a);
	size_t nh = bw_dec_count(d);
	if (nh > BW_HASH__COUNT)
		d->bad = true;
	p->hashes = NULL;
	p->n_hashes = 0;
	for (size_t i = 0; i < nh && !d->bad; i++) {
		enum bw_hash_alg alg = (enum bw_hash_alg)bw_dec_max(d, BW_HASH__COUNT - 1);
		const char *hex = bw_dec_str(d, a);
		if (!hex || !bw_hash_hex_valid(alg, hex, strlen(hex))) {
			d->bad = true;
			break;
		}
		for (size_t k = 0; k < p->n_hashes; k++)
			if (p->hashes[k].alg == alg)
				d->bad = true;
		if (!p->hashes)
			p->hashes = bw_arena_alloc(a, BW_HASH__COUNT * sizeof(*p->hashes));
		p->hashes[p->n_hashes].alg = alg;
		p->hashes[p->n_hashes++].hex = hex;
	}
	p->origin = bw_dec_str(d, a);
	uint64_t flags = bw_dec_max(d, 15);
	p->is_os = flags & 1;
	p->dev = flags & 2;
	p->application = flags & 4;
	p->supplier_org = flags & 8;
	p->supplier = bw_dec_str(d, a);
	p->author = bw_dec_str(d, a);
}

struct inv_layer *inv_layer_decode(const void *data, size_t len)
{
	struct inv_layer *l = bw_calloc(1, sizeof(*l));
	bw_arena_init(&l->arena);
	struct bw_dec d;
	bw_dec_init(&d, data, len);
	if (bw_dec_u64(&d) != FORMAT)
		d.bad = true;
	size_t n = bw_dec_count(&d);
	if (!d.bad) {
		l->recs = bw_calloc(n ? n : 1, sizeof(*l->recs));
		l->cap_recs = n ? n : 1;
	}
	for (size_t r = 0; r < n && !d.bad; r++) {
		struct inv_record *rec = bw_arena_alloc(&l->arena, sizeof(*rec));
		rec->kind = (enum inv_kind)bw_dec_max(&d, INV__COUNT - 1);
		rec->path = bw_dec_str(&d, &l->arena);
		rec->note = bw_dec_str(&d, &l->arena);
		if (!rec->path || rec->kind == INV_NONE)
			d.bad = true;
		rec->n_pkgs = rec->cap_pkgs = bw_dec_count(&d);
		rec->pkgs = bw_arena_alloc(&l->arena, (rec->n_pkgs ? rec->n_pkgs : 1) * sizeof(*rec->pkgs));
		for (size_t i = 0; i < rec->n_pkgs && !d.bad; i++)
			dec_pkg(&d, &l->arena, &rec->pkgs[i]);
		rec->owned = dec_strs(&d, &l->arena, &rec->n_owned);
		rec->cap_owned = rec->n_owned;
		rec->kv = dec_strs(&d, &l->arena, &rec->n_kv);
		rec->cap_kv = rec->n_kv;
		if (rec->n_kv % 2)
			d.bad = true;
		l->recs[l->n_recs++] = rec;
	}
	if (!bw_dec_done(&d)) {
		free(l->recs);
		bw_arena_release(&l->arena);
		free(l);
		return NULL;
	}
	return l;
}
