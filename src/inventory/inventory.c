/* The inventory: which files the analyzers want, their per-layer records,
 * and the merge into the report once the final view is known. */
#include "inventory-int.h"

/* The caps of the three analyzers below; each takes the ecosystem rows
 * (ecosystems.c) whose max_whole is its own (0: the streamed one). */
#define MAX_META INV_MAX_META
#define MAX_ARCHIVE INV_MAX_ARCHIVE

enum inv_analyzer_id { AN_META, AN_ARCHIVE, AN_BINARY, AN__COUNT };

struct bw_inventory {
	struct bw_analyzer an[AN__COUNT];
	const struct bw_analyzer *anp[AN__COUNT];
};

/* ---- which files ---- */

static enum bw_want want_whole(const struct bw_file *f, size_t max_whole)
{
	const struct inv_ecosystem *e = inv_match(f->path, f->mode, f->size);
	return e && e->max_whole == max_whole ? BW_WANT_WHOLE : BW_WANT_NONE;
}

static enum bw_want want_meta(void *ud, const struct bw_file *f)
{
	return want_whole(f, MAX_META);
}

static enum bw_want want_archive(void *ud, const struct bw_file *f)
{
	return want_whole(f, MAX_ARCHIVE);
}

static enum bw_want want_binary(void *ud, const struct bw_file *f)
{
	const struct inv_ecosystem *e = inv_match(f->path, f->mode, f->size);
	return e && e->max_whole == 0 ? BW_WANT_STREAM : BW_WANT_NONE;
}

/* ---- per-layer callbacks ---- */

static void *layer_begin(void *ud, const struct bw_image_layer *layer)
{
	struct inv_layer *l = bw_calloc(1, sizeof(*l));
	bw_arena_init(&l->arena);
	return l;
}

static void parse(struct inv_layer *l, const struct inv_ecosystem *e, const char *path, const char *data,
		  size_t len)
{
	struct inv_record *rec = inv_record_new(l, e->kind, path);
	if (e->parse)
		e->parse(l, rec, data, len);
}

static int on_file(void *state, const struct bw_file *f, const void *data, size_t len, struct bw_error *err)
{
	struct inv_layer *l = state;
	const struct inv_ecosystem *e = inv_match(f->path, f->mode, f->size);
	if (e)
		parse(l, e, f->path, data, len);
	return 0;
}

static int on_chunk(void *state, const struct bw_file *f, const void *data, size_t len, bool last,
		    struct bw_error *err)
{
	struct inv_layer *l = state;
	if (!l->bin)
		l->bin = inv_binary_begin(l, f->path, f->size);
	if (len)
		inv_binary_chunk(l->bin, data, len);
	if (last) {
		inv_binary_end(l->bin);
		l->bin = NULL;
	}
	return 0;
}

static void on_skipped(void *state, const struct bw_file *f, const char *why)
{
	struct inv_layer *l = state;
	const struct inv_ecosystem *e = inv_match(f->path, f->mode, f->size);
	if (!e || e->max_whole == 0)
		return;
	struct inv_record *rec = inv_record_new(l, e->kind, f->path);
	inv_record_note(l, rec, "%s: not read (%llu bytes): %s", f->path, (unsigned long long)f->size, why);
}

static void layer_end(void *state)
{
	struct inv_layer *l = state;
	if (l->bin) { /* a stream cut short */
		inv_binary_end(l->bin);
		l->bin = NULL;
	}
}

static void *layer_load(void *ud, const struct bw_image_layer *layer, const void *data, size_t len)
{
	return inv_layer_decode(data, len);
}

static void layer_free(void *state)
{
	struct inv_layer *l = state;
	free(l->recs);
	bw_arena_release(&l->arena);
	free(l);
}

int bw_inventory_new(struct bw_inventory **out, struct bw_error *err)
{
	struct bw_inventory *inv = bw_calloc(1, sizeof(*inv));
	static const char *const names[AN__COUNT] = {"inventory", "inventory-archives", "inventory-binaries"};
	for (int i = 0; i < AN__COUNT; i++) {
		struct bw_analyzer *a = &inv->an[i];
		a->name = names[i];
		a->version = BW_INVENTORY_VERSION;
		a->layer_begin = layer_begin;
		a->skipped = on_skipped;
		a->layer_end = layer_end;
		a->layer_free = layer_free;
		a->save = inv_layer_save;
		a->load = layer_load;
		a->ud = inv;
		inv->anp[i] = a;
	}
	inv->an[AN_META].wants = want_meta;
	inv->an[AN_META].max_whole = MAX_META;
	inv->an[AN_META].file = on_file;
	inv->an[AN_ARCHIVE].wants = want_archive;
	inv->an[AN_ARCHIVE].max_whole = MAX_ARCHIVE;
	inv->an[AN_ARCHIVE].file = on_file;
	inv->an[AN_BINARY].wants = want_binary;
	inv->an[AN_BINARY].chunk = on_chunk;
	*out = inv;
	return 0;
}

const struct bw_analyzer *const *bw_inventory_analyzers(struct bw_inventory *inv, size_t *n)
{
	*n = AN__COUNT;
	return inv->anp;
}

void bw_inventory_free(struct bw_inventory *inv)
{
	free(inv);
}

/* ---- the merge ---- */

struct fin_layer {
	int index;
	const char *diff_id;
	struct inv_map recs; /* path -> record */
};

/* A package emitted into the report, and what declared it. */
struct emitted {
	const struct inv_record *rec;
	const struct inv_pkg *pkg;
	size_t idx; /* in r->packages */
};

/* The merge of every layer's records into the report, in named passes
 * (bw_inventory_finish). Maps are keyed with pkg_key(): one format for a
 * package's identity everywhere. */
struct fin {
	struct bw_report *r;
	struct bw_arena arena;
	struct fin_layer *layers; /* by index */
	size_t n_layers;
	struct inv_os os;
	bool have_os;
	/* the records of the final view, in layer order, and their layers */
	struct inv_record **recs;
	int *rec_layer;
	size_t n_recs, cap_recs, cap_rec_layer;
	struct inv_map declared;    /* pkg_key(LAYER\tPATH, p): every package of every layer */
	struct inv_map owned;	    /* paths of files OS packages own */
	struct inv_map available;   /* pkg_key(ARCH, p) -> the .deb's SHA-256 hex (dpkg's available) */
	struct inv_map copyright;   /* PACKAGE -> its /usr/share/doc/PACKAGE/copyright record */
	struct inv_map npm_seen;    /* pkg_key("", p) of node_modules packages */
	struct inv_map lock_hashes; /* pkg_key(DIR, p) -> the inv_pkg of DIR's lock files with hashes */
	struct emitted *em;
	size_t n_em, cap_em;
};

/* The one key of a package's identity in the merge: "SCOPE\tNAME\tVERSION"
 * (the scope says where: a layer and file, a directory, an architecture);
 * in fn's arena. */
static const char *pkg_key(struct fin *fn, const char *scope, const char *name, const char *version)
{
	char *k = bw_asprintf("%s\t%s\t%s", scope, name ? name : "", version ? version : "");
	const char *a = bw_arena_strdup(&fn->arena, k);
	free(k);
	return a;
}

static const char *layer_scope(struct fin *fn, int layer, const char *path)
{
	char *k = bw_asprintf("%d\t%s", layer, path);
	const char *a = bw_arena_strdup(&fn->arena, k);
	free(k);
	return a;
}

static struct inv_record *final_record(struct fin *fn, const char *path, const struct bw_file *f)
{
	if (!f || f->layer < 0 || (size_t)f->layer >= fn->n_layers)
		return NULL;
	return inv_map_get(&fn->layers[f->layer].recs, path);
}

static void detect_os(struct fin *fn, struct bw_image *img)
{
	static const char *const cand[] = {
	    "/etc/os-release",	   "/usr/lib/os-release", "/etc/alpine-release", "/etc/debian_version",
	    "/etc/redhat-release", "/etc/centos-release", "/etc/rocky-release",	 "/etc/almalinux-release",
	    "/etc/fedora-release", "/etc/oracle-release", "/etc/system-release"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cand); i++) {
		const struct bw_file *f = NULL;
		struct bw_error e = BW_ERROR_INIT;
		if (bw_image_resolve(img, cand[i], &f, &e) < 0 || !f || f->type != BW_FILE_REG)
			continue;
		struct inv_record *rec = final_record(fn, f->path, f);
		if (!rec || rec->kind != INV_OSRELEASE)
			continue;
		struct inv_os os;
		inv_os_from_record(rec, &os);
		if (!os.id)
			continue;
		fn->os = os;
		if (os.version == os.version_buf) {
			/* the struct moved: point at its own copy */
			fn->os.version = fn->os.version_buf;
		}
		fn->have_os = true;
		/* Debian's os-release gives the major only; debian_version the point release */
		return;
	}
}

static bool record_in_final(struct bw_image *img, const struct inv_record *rec, int index)
{
	const struct bw_file *f = bw_image_lookup(img, rec->path);
	return f && f->layer == index && (f->type == BW_FILE_REG || f->type == BW_FILE_HARDLINK);
}

static const char *split_epoch(struct fin *fn, const char *version, const char **epoch)
{
	*epoch = NULL;
	const char *c = strchr(version, ':');
	if (!c)
		return version;
	for (const char *p = version; p < c; p++)
		if (!bw_isdigit(*p))
			return version;
	*epoch = bw_arena_strndup(&fn->arena, version, (size_t)(c - version));
	return c + 1;
}

static void copy_hashes(struct bw_report *r, struct bw_package *bp, const struct inv_pkg *p)
{
	if (!p->n_hashes)
		return;
	struct bw_hash *h = bw_arena_alloc(&r->arena, p->n_hashes * sizeof(*h));
	for (size_t i = 0; i < p->n_hashes; i++) {
		h[i].alg = p->hashes[i].alg;
		h[i].hex = bw_report_str(r, p->hashes[i].hex);
	}
	bp->hashes = h;
	bp->n_hashes = p->n_hashes;
}

static size_t emit_pkg(struct fin *fn, const struct inv_record *rec, const struct inv_pkg *p, int intro)
{
	struct bw_report *r = fn->r;
	const char *eco = p->ecosystem;
	const char *os_id = fn->have_os ? fn->os.id : NULL;
	/* an OS package of another family than the OS's (an rpm database in
	 * a Debian image) keeps its own ecosystem, namespace and no distro */
	const char *family = inv_os_family(os_id);
	bool own_os = p->is_os && (!family || strcmp(family, p->purl_type) == 0);
	if (p->is_os) {
		const char *fallback = strcmp(p->purl_type, "deb") == 0	  ? "Debian"
				       : strcmp(p->purl_type, "apk") == 0 ? "Alpine"
									  : "rpm";
		eco = own_os ? inv_os_ecosystem(os_id, fallback) : fallback;
	}
	size_t idx = bw_report_add_package(r);
	struct bw_package *bp = &r->packages[idx];
	bp->name = bw_report_str(r, p->name);
	bp->version = bw_report_str(r, p->version);
	bp->ecosystem = bw_report_str(r, eco);
	bp->source_name = bw_report_str(r, p->source_name);
	bp->source_version = bw_report_str(r, p->source_version);
	if (p->n_licenses) {
		const char **lic = bw_arena_alloc(&r->arena, p->n_licenses * sizeof(char *));
		for (size_t i = 0; i < p->n_licenses; i++)
			lic[i] = bw_report_str(r, p->licenses[i]);
		bp->licenses = lic;
		bp->n_licenses = p->n_licenses;
	}
	bp->path = bw_report_str(r, p->path ? p->path : rec->path);
	bp->origin = bw_report_str(r, p->origin);
	copy_hashes(r, bp, p);
	bp->application = p->application;
	bp->supplier = bw_report_str(r, p->supplier);
	bp->author = bw_report_str(r, p->author);
	bp->supplier_org = p->supplier_org;
	bp->layer =
	    intro >= 0 && (size_t)intro < fn->n_layers ? bw_report_str(r, fn->layers[intro].diff_id) : NULL;

	if (p->is_os) {
		const char *fallback = strcmp(p->purl_type, "deb") == 0	  ? "debian"
				       : strcmp(p->purl_type, "apk") == 0 ? "alpine"
									  : "rpm";
		const char *ns = p->purl_ns ? p->purl_ns
				 : own_os   ? inv_os_purl_ns(os_id, fallback)
					    : fallback;
		char distro[128] = "";
		if (fn->have_os && own_os)
			snprintf(distro, sizeof(distro), "%s-%s", fn->os.id,
				 fn->os.version ? fn->os.version : "");
		const char *epoch = p->epoch;
		const char *ver = p->version;
		if (!epoch && strcmp(p->purl_type, "apk") != 0)
			ver = split_epoch(fn, p->version, &epoch);
		const char *q[] = {"arch",  p->arch, "distro",		distro[0] ? distro : NULL,
				   "epoch", epoch,   "modularitylabel", p->modularity,
				   NULL};
		bp->purl = inv_purl(r, p->purl_type, ns, p->name, ver, q);
	} else {
		bp->purl = inv_purl(r, p->purl_type, p->purl_ns, p->purl_name ? p->purl_name : p->name,
				    p->version, NULL);
	}
	return idx;
}

/* Relations: a dependency name resolves to the package of that name the
 * same record declares (dpkg status, lock files, Go binaries, …), or, for
 * node_modules, to the package Node's resolution would load: the nearest
 * node_modules/NAME walking up from the dependent's directory. */
static void add_depend(struct bw_report *r, struct bw_package *bp, const char *purl)
{
	for (size_t i = 0; i < bp->n_depends; i++)
		if (strcmp(bp->depends[i], purl) == 0)
			return;
	const char **nd = bw_arena_alloc(&r->arena, (bp->n_depends + 1) * sizeof(char *));
	if (bp->n_depends)
		memcpy(nd, bp->depends, bp->n_depends * sizeof(char *));
	nd[bp->n_depends++] = purl;
	bp->depends = nd;
}

static void resolve_depends(struct fin *fn, struct emitted *em, size_t n)
{
	struct bw_report *r = fn->r;
	struct inv_map by_rec_name = {0}, by_path = {0};
	struct bw_arena a;
	bw_arena_init(&a);
	for (size_t i = 0; i < n; i++) {
		char *k = bw_asprintf("%p\t%s", (const void *)em[i].rec, em[i].pkg->name);
		inv_map_put(&by_rec_name, bw_arena_strdup(&a, k), &em[i]);
		free(k);
		/* and "name version", for records holding several versions of a name */
		k = bw_asprintf("%p\t%s %s", (const void *)em[i].rec, em[i].pkg->name,
				em[i].pkg->version ? em[i].pkg->version : "");
		inv_map_put(&by_rec_name, bw_arena_strdup(&a, k), &em[i]);
		free(k);
		if (em[i].rec->kind == INV_NPM_PKG)
			inv_map_put(&by_path, em[i].rec->path, &em[i]);
	}
	for (size_t i = 0; i < n; i++) {
		const struct inv_pkg *p = em[i].pkg;
		for (size_t d = 0; d < p->n_depends; d++) {
			struct emitted *t = NULL;
			if (em[i].rec->kind == INV_NPM_PKG) {
				/* ".../node_modules/A/package.json": try A/node_modules/DEP, then upwards */
				char *dir = bw_strdup(em[i].rec->path);
				char *slash = strrchr(dir, '/');
				if (slash)
					*slash = '\0';
				for (;;) {
					char *cand = bw_asprintf("%s/node_modules/%s/package.json", dir,
								 p->depends[d]);
					t = inv_map_get(&by_path, cand);
					free(cand);
					if (t)
						break;
					char *nm = strstr(dir, "/node_modules/") ? dir : NULL;
					char *last = NULL;
					for (char *s = nm ? strstr(dir, "/node_modules/") : NULL; s;
					     s = strstr(s + 1, "/node_modules/"))
						last = s;
					if (!last)
						break;
					*last = '\0';
				}
				free(dir);
			} else {
				char *k = bw_asprintf("%p\t%s", (const void *)em[i].rec, p->depends[d]);
				t = inv_map_get(&by_rec_name, k);
				free(k);
			}
			if (t && t != &em[i])
				add_depend(r, &r->packages[em[i].idx], r->packages[t->idx].purl);
		}
	}
	inv_map_release(&by_rec_name);
	inv_map_release(&by_path);
	bw_arena_release(&a);
}

/* A package whose own file records no digest may take one from another file
 * of the final view: a dpkg status package the .deb's SHA-256 from
 * /var/lib/dpkg/available (same name, version and architecture), a
 * node_modules package the integrity its application's lock file gives the
 * same name and version (the lock in the directory holding the outermost
 * node_modules). */
static void borrow_hashes(struct fin *fn, const struct emitted *em, size_t n)
{
	struct bw_report *r = fn->r;
	for (size_t i = 0; i < n; i++) {
		struct bw_package *bp = &r->packages[em[i].idx];
		const struct inv_pkg *p = em[i].pkg;
		if (bp->n_hashes || !p->name || !p->version)
			continue;
		if (em[i].rec->kind == INV_DPKG_STATUS && p->arch && fn->available.n) {
			const char *hex =
			    inv_map_get(&fn->available, pkg_key(fn, p->arch, p->name, p->version));
			if (hex) {
				struct bw_hash *h = bw_arena_alloc(&r->arena, sizeof(*h));
				h->alg = BW_HASH_SHA256;
				h->hex = bw_report_str(r, hex);
				bp->hashes = h;
				bp->n_hashes = 1;
			}
		} else if (em[i].rec->kind == INV_NPM_PKG && fn->lock_hashes.n) {
			const char *path = em[i].rec->path;
			const char *nm = strstr(path, "/node_modules/");
			if (!nm)
				continue;
			char *dir = bw_strndup(path, (size_t)(nm - path));
			const struct inv_pkg *lp =
			    inv_map_get(&fn->lock_hashes, pkg_key(fn, dir, p->name, p->version));
			free(dir);
			if (lp)
				copy_hashes(r, bp, lp);
		}
	}
}

static int cmp_pkg(const void *a, const void *b)
{
	const struct bw_package *x = a, *y = b;
	int c = strcmp(x->ecosystem ? x->ecosystem : "", y->ecosystem ? y->ecosystem : "");
	if (!c)
		c = strcmp(x->name ? x->name : "", y->name ? y->name : "");
	if (!c)
		c = strcmp(x->version ? x->version : "", y->version ? y->version : "");
	if (!c)
		c = strcmp(x->path ? x->path : "", y->path ? y->path : "");
	return c;
}

static bool is_lock(enum inv_kind k)
{
	return k == INV_NPM_LOCK || k == INV_YARN_LOCK || k == INV_PNPM_LOCK;
}

/* Pass 1: every record of every layer of the image, by layer and path, and
 * the packages each declares. */
static void index_layers(struct fin *fn, struct bw_inventory *inv, struct bw_image *img)
{
	for (int a = 0; a < AN__COUNT; a++) {
		size_t nl;
		void *const *states = bw_image_layer_states(img, &inv->an[a], &nl);
		for (size_t idx = 0; idx < nl && idx < fn->n_layers; idx++) {
			const struct inv_layer *l = states[idx];
			for (size_t i = 0; l && i < l->n_recs; i++) {
				struct inv_record *rec = l->recs[i];
				inv_map_put(&fn->layers[idx].recs, rec->path, rec);
				const char *scope = layer_scope(fn, (int)idx, rec->path);
				for (size_t k = 0; k < rec->n_pkgs; k++)
					inv_map_put(
					    &fn->declared,
					    pkg_key(fn, scope, rec->pkgs[k].name, rec->pkgs[k].version),
					    (void *)1);
			}
		}
	}
}

/* Pass 2: the operating system, from the final view's release files. */
static void report_os(struct fin *fn, struct bw_image *img)
{
	detect_os(fn, img);
	if (fn->have_os) {
		fn->r->os.id = bw_report_str(fn->r, fn->os.id);
		fn->r->os.version = bw_report_str(fn->r, fn->os.version);
		fn->r->os.codename = bw_report_str(fn->r, fn->os.codename);
	}
}

/* Pass 3: the records whose file is in the final view, in layer order. */
static void collect_final(struct fin *fn, struct bw_image *img)
{
	for (size_t li = 0; li < fn->n_layers; li++) {
		struct inv_map *m = &fn->layers[li].recs;
		for (size_t s = 0; s < m->cap; s++) {
			struct inv_record *rec = m->keys[s] ? m->vals[s] : NULL;
			if (!rec || !record_in_final(img, rec, (int)li))
				continue;
			BW_ALLOC_GROW(fn->recs, fn->n_recs + 1, fn->cap_recs);
			BW_ALLOC_GROW(fn->rec_layer, fn->n_recs + 1, fn->cap_rec_layer);
			fn->recs[fn->n_recs] = rec;
			fn->rec_layer[fn->n_recs++] = (int)li;
		}
	}
}

/* A dpkg package's licences are those of /usr/share/doc/NAME/copyright in
 * the final view (the status file has none). */
static void borrow_licenses(struct fin *fn, const struct emitted *em, size_t n)
{
	struct bw_report *r = fn->r;
	if (!fn->copyright.n)
		return;
	for (size_t i = 0; i < n; i++) {
		struct bw_package *bp = &r->packages[em[i].idx];
		const struct inv_pkg *p = em[i].pkg;
		enum inv_kind k = em[i].rec->kind;
		if (bp->n_licenses || !p->name || (k != INV_DPKG_STATUS && k != INV_DPKG_STATUSD))
			continue;
		const struct inv_record *c = inv_map_get(&fn->copyright, p->name);
		if (!c)
			continue;
		const char **lic = bw_arena_alloc(&r->arena, (c->n_kv / 2) * sizeof(char *));
		for (size_t j = 0; j + 1 < c->n_kv; j += 2)
			lic[j / 2] = bw_report_str(r, c->kv[j + 1]);
		bp->licenses = lic;
		bp->n_licenses = c->n_kv / 2;
	}
}

/* Pass 4: what the final view says about other files: the files OS
 * packages own, the .deb digests of dpkg's available, the licences of
 * Debian packages' copyright files, the packages node_modules holds. */
static void index_final(struct fin *fn)
{
	for (size_t i = 0; i < fn->n_recs; i++) {
		const struct inv_record *rec = fn->recs[i];
		for (size_t k = 0; k < rec->n_owned; k++)
			inv_map_put(&fn->owned, rec->owned[k], (void *)1);
	}
	for (size_t i = 0; i < fn->n_recs; i++) {
		const struct inv_record *rec = fn->recs[i];
		if (rec->kind != INV_DPKG_AVAILABLE)
			continue;
		/* kv: "NAME VERSION ARCH", SHA-256 hex */
		for (size_t k = 0; k + 1 < rec->n_kv; k += 2) {
			char name[256], version[256], arch[64];
			if (sscanf(rec->kv[k], "%255s %255s %63s", name, version, arch) != 3)
				continue;
			const char *key = pkg_key(fn, arch, name, version);
			if (!inv_map_get(&fn->available, key))
				inv_map_put(&fn->available, key, (void *)rec->kv[k + 1]);
		}
	}
	for (size_t i = 0; i < fn->n_recs; i++) {
		const struct inv_record *rec = fn->recs[i];
		if (rec->kind != INV_DEB_COPYRIGHT || !rec->n_kv)
			continue;
		/* "/usr/share/doc/NAME/copyright" */
		const char *name = rec->path + strlen("/usr/share/doc/");
		const char *sl = strchr(name, '/');
		if (sl)
			inv_map_put(&fn->copyright, bw_arena_strndup(&fn->arena, name, (size_t)(sl - name)),
				    (void *)rec);
	}
	for (size_t i = 0; i < fn->n_recs; i++) {
		const struct inv_record *rec = fn->recs[i];
		if (rec->kind == INV_NPM_PKG)
			for (size_t k = 0; k < rec->n_pkgs; k++)
				inv_map_put(&fn->npm_seen,
					    pkg_key(fn, "", rec->pkgs[k].name, rec->pkgs[k].version),
					    (void *)1);
	}
}

/* The lowest layer from which the same file kept declaring package p. */
static int introducing_layer(struct fin *fn, const struct inv_record *rec, int layer, const struct inv_pkg *p)
{
	int intro = layer;
	for (int j = layer - 1; j >= 0; j--) {
		if (!inv_map_get(&fn->layers[j].recs, rec->path))
			continue;
		if (!inv_map_get(&fn->declared,
				 pkg_key(fn, layer_scope(fn, j, rec->path), p->name, p->version)))
			break;
		intro = j;
	}
	return intro;
}

/* A lock-file package node_modules lists too is reported from there; the
 * lock may still hold the digest the installed copy lacks. */
static bool listed_from_node_modules(struct fin *fn, const struct inv_record *rec, const struct inv_pkg *p)
{
	if (!is_lock(rec->kind) || !inv_map_get(&fn->npm_seen, pkg_key(fn, "", p->name, p->version)))
		return false;
	const char *slash = strrchr(rec->path, '/');
	char *dir = bw_strndup(rec->path, slash ? (size_t)(slash - rec->path) : 0);
	const char *key = pkg_key(fn, dir, p->name, p->version);
	free(dir);
	if (p->n_hashes && !inv_map_get(&fn->lock_hashes, key))
		inv_map_put(&fn->lock_hashes, key, (void *)p);
	return true;
}

/* Pass 5: the packages of the final view into the report, with the layer
 * that introduced each, leaving out language packages whose files an OS
 * package owns; each record's note becomes a warning. */
static void emit_packages(struct fin *fn)
{
	for (size_t i = 0; i < fn->n_recs; i++) {
		const struct inv_record *rec = fn->recs[i];
		if (rec->note)
			bw_report_warn(fn->r, "%s", rec->note);
		if (!rec->n_pkgs)
			continue;
		bool os_db = rec->kind == INV_DPKG_STATUS || rec->kind == INV_DPKG_STATUSD ||
			     rec->kind == INV_APK || rec->kind == INV_RPMDB;
		if (!os_db && inv_map_get(&fn->owned, rec->path))
			continue; /* installed by the OS package manager */
		for (size_t k = 0; k < rec->n_pkgs; k++) {
			const struct inv_pkg *p = &rec->pkgs[k];
			if (listed_from_node_modules(fn, rec, p))
				continue;
			int intro = introducing_layer(fn, rec, fn->rec_layer[i], p);
			BW_ALLOC_GROW(fn->em, fn->n_em + 1, fn->cap_em);
			fn->em[fn->n_em++] = (struct emitted){rec, p, emit_pkg(fn, rec, p, intro)};
		}
	}
}

static void fin_init(struct fin *fn, struct bw_report *r, const struct bw_image_info *info)
{
	memset(fn, 0, sizeof(*fn));
	fn->r = r;
	bw_arena_init(&fn->arena);
	fn->n_layers = info->n_layers ? info->n_layers : 1;
	fn->layers = bw_calloc(fn->n_layers, sizeof(*fn->layers));
	for (size_t i = 0; i < fn->n_layers; i++) {
		fn->layers[i].index = (int)i;
		fn->layers[i].diff_id = i < info->n_layers ? info->layers[i]->diff_id : NULL;
	}
}

static void fin_release(struct fin *fn)
{
	for (size_t i = 0; i < fn->n_layers; i++)
		inv_map_release(&fn->layers[i].recs);
	free(fn->layers);
	free(fn->recs);
	free(fn->rec_layer);
	free(fn->em);
	inv_map_release(&fn->declared);
	inv_map_release(&fn->owned);
	inv_map_release(&fn->available);
	inv_map_release(&fn->copyright);
	inv_map_release(&fn->npm_seen);
	inv_map_release(&fn->lock_hashes);
	bw_arena_release(&fn->arena);
}

int bw_inventory_finish(struct bw_inventory *inv, struct bw_image *img, struct bw_report *r,
			struct bw_error *err)
{
	struct fin fn;
	fin_init(&fn, r, bw_image_info(img));
	index_layers(&fn, inv, img);
	report_os(&fn, img);
	collect_final(&fn, img);
	index_final(&fn);
	emit_packages(&fn);
	resolve_depends(&fn, fn.em, fn.n_em); /* pass 6: relations between the packages */
	borrow_hashes(&fn, fn.em, fn.n_em);   /* pass 7: digests other files give */
	borrow_licenses(&fn, fn.em, fn.n_em); /* and licences */
	if (r->n_packages > 1)		      /* pass 8: by ecosystem, name, version, path */
		qsort(r->packages, r->n_packages, sizeof(*r->packages), cmp_pkg);
	fin_release(&fn);
	return 0;
}

/* ---- one file, for tests and fuzzing ---- */

void bw_inventory_parse_file(const char *path, const void *data, size_t len, const char *os_id,
			     struct bw_report *r)
{
	struct inv_layer l = {0};
	bw_arena_init(&l.arena);
	const struct inv_ecosystem *e = inv_match(path, 0755, len);
	if (e && e->max_whole == 0) {
		struct inv_binary *b = inv_binary_begin(&l, path, len);
		/* in uneven chunks, as a stream would come */
		size_t off = 0, step = 4093;
		while (off < len) {
			size_t n = len - off < step ? len - off : step;
			inv_binary_chunk(b, (const char *)data + off, n);
			off += n;
		}
		inv_binary_end(b);
	} else if (e) {
		parse(&l, e, path, data, len);
	}
	struct fin fn = {.r = r};
	bw_arena_init(&fn.arena);
	fn.n_layers = 1;
	struct fin_layer fl = {.index = 0, .diff_id = NULL};
	fn.layers = &fl;
	if (os_id) {
		fn.have_os = true;
		fn.os.id = os_id;
		fn.os.version = "";
	}
	for (size_t i = 0; i < l.n_recs; i++) {
		if (l.recs[i]->note)
			bw_report_warn(r, "%s", l.recs[i]->note);
		for (size_t k2 = 0; k2 < l.recs[i]->n_pkgs; k2++)
			emit_pkg(&fn, l.recs[i], &l.recs[i]->pkgs[k2], 0);
	}
	bw_arena_release(&fn.arena);
	free(l.recs);
	bw_arena_release(&l.arena);
}
