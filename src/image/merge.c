/* The final view: layers merged top-down with their whiteouts, and path
 * resolution in it.
 *
 * Going from the top layer down, an entry is visible unless
 *  - a higher layer already gave the same path (the higher one wins; within
 *    one layer the later entry wins),
 *  - a higher layer whited it out (".wh.NAME") or whited out an ancestor,
 *  - a higher layer made an ancestor opaque (".wh..wh..opq"), or
 *  - a higher layer replaced an ancestor directory with a non-directory.
 * A layer's own whiteouts apply only to the layers below it.
 */
#include "image-int.h"
#include "pathmap.h"

enum { HIDE_WHITEOUT = 1, HIDE_OPAQUE = 2 };

/* The directories above the entries, as nodes that know their parent:
 * whether an entry is hidden by what happened to an ancestor is a walk up
 * these nodes, with the answer kept per directory, never a look-up of
 * every prefix of its path (2,000 directories deep, that rehashed up to
 * 4 KB 2,000 times for each of its entries). A node is made once per
 * directory, with one look-up of its path.
 *
 * A directory hides what is below it ("own") when a higher layer whited
 * it out, made it opaque, or gave its path to a non-directory. Both only
 * grow during the merge, so a node found hidden stays hidden; one found
 * visible is so for the generation it was checked in, and the generation
 * moves on whenever an existing node becomes hidden. */
#define NO_NODE SIZE_MAX

struct dirnode {
	size_t parent; /* NO_NODE for a top-level directory ("/a") */
	bool own;
	bool hidden;	  /* own, or an ancestor's own: never unset */
	unsigned visible; /* generation in which neither was found */
};

struct dirs {
	struct bw_pathmap map; /* path -> node index */
	struct dirnode *nodes;
	size_t n, cap;
	unsigned gen;
	size_t *stack; /* one slot a level: BW_IMG_MAX_PATH / 2 + 2 */
	struct bw_arena arena;
	const struct bw_pathmap *seen, *hidden;
	struct bw_file **final;
};

static void dirs_init(struct dirs *d, const struct bw_pathmap *seen, const struct bw_pathmap *hidden,
		      struct bw_file **final)
{
	memset(d, 0, sizeof(*d));
	bw_pathmap_init(&d->map);
	bw_arena_init(&d->arena);
	d->gen = 1;
	d->stack = bw_malloc((BW_IMG_MAX_PATH / 2 + 2) * sizeof(size_t));
	d->seen = seen;
	d->hidden = hidden;
	d->final = final;
}

static void dirs_release(struct dirs *d)
{
	bw_pathmap_release(&d->map);
	bw_arena_release(&d->arena);
	free(d->nodes);
	free(d->stack);
}

/* Does the path itself hide what is below it? */
static bool hides_below(const struct dirs *d, const char *path)
{
	size_t v;
	if (bw_pathmap_get(d->hidden, path, &v))
		return true;
	return bw_pathmap_get(d->seen, path, &v) && d->final[v]->type != BW_FILE_DIR;
}

/* The node of the directory path[0..len) ("/a/b"), made with those of its
 * ancestors that are missing. tmp holds BW_IMG_MAX_PATH + 2 bytes. */
static size_t dirs_node(struct dirs *d, const char *path, size_t len, char *tmp)
{
	memcpy(tmp, path, len);
	tmp[len] = '\0';
	size_t depth = 0, found = NO_NODE;
	/* up to the deepest ancestor that has a node: the missing ones on the stack */
	for (;;) {
		if (bw_pathmap_get(&d->map, tmp, &found))
			break;
		found = NO_NODE;
		d->stack[depth++] = len;
		char *slash = strrchr(tmp, '/');
		if (slash == tmp)
			break; /* a top-level directory: no parent node */
		len = (size_t)(slash - tmp);
		*slash = '\0';
	}
	/* and down again, making them */
	size_t parent = found;
	while (depth > 0) {
		len = d->stack[--depth];
		tmp[len] = '\0';
		memcpy(tmp, path, len);
		if (d->n == d->cap) {
			d->cap = d->cap ? d->cap * 2 : 256;
			d->nodes = bw_realloc(d->nodes, d->cap * sizeof(*d->nodes));
		}
		char *key = bw_arena_strndup(&d->arena, path, len);
		d->nodes[d->n] = (struct dirnode){.parent = parent, .own = hides_below(d, key)};
		bw_pathmap_put(&d->map, key, d->n);
		parent = d->n++;
	}
	return parent;
}

/* Path became a whiteout target, an opaque directory or a non-directory:
 * the node there, if any, now hides what is below it. */
static void dirs_mark(struct dirs *d, const char *path)
{
	size_t k;
	if (bw_pathmap_get(&d->map, path, &k) && !d->nodes[k].own) {
		d->nodes[k].own = true;
		d->gen++; /* what was found visible may not be any more */
	}
}

static bool dirs_hidden(struct dirs *d, size_t k)
{
	size_t depth = 0;
	while (k != NO_NODE && !d->nodes[k].hidden && !d->nodes[k].own && d->nodes[k].visible != d->gen) {
		d->stack[depth++] = k;
		k = d->nodes[k].parent;
	}
	bool hidden = k != NO_NODE && (d->nodes[k].hidden || d->nodes[k].own);
	if (k != NO_NODE && hidden)
		d->nodes[k].hidden = true;
	while (depth > 0) {
		struct dirnode *n = &d->nodes[d->stack[--depth]];
		if (hidden)
			n->hidden = true;
		else
			n->visible = d->gen;
	}
	return hidden;
}

/* Is an ancestor of path (not the root) hidden? */
static bool ancestor_hidden(struct dirs *d, const char *path, char *tmp)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return false; /* a top-level entry */
	return dirs_hidden(d, dirs_node(d, path, (size_t)(slash - path), tmp));
}

static int cmp_path(const void *a, const void *b)
{
	const struct bw_file *fa = *(const struct bw_file *const *)a;
	const struct bw_file *fb = *(const struct bw_file *const *)b;
	return strcmp(fa->path, fb->path);
}

/* The view below a layer, for check_dangling: what the layers applied so
 * far removed, and in which layer. Per path, "at" holds 1 + the highest
 * layer that whited it out and "below" 1 + the highest layer that removed
 * what is under it (a whiteout, an opaque marker or a non-directory there).
 * Whether an ancestor of a target was cut above its entry's layer is a walk
 * up directory nodes, as in struct dirs: each keeps the highest such layer
 * of itself and its ancestors, valid for a generation that moves on once a
 * layer, when the layer cut below an existing node (at most 1,024 times). */
struct cutnode {
	size_t parent;	/* NO_NODE for a top-level directory */
	int own;	/* highest layer that cut below this directory, -1 none */
	int up;		/* the highest own of it and its ancestors (and the root) */
	unsigned valid; /* generation in which up was found */
};

struct cuts {
	struct bw_pathmap at, below, map;
	struct cutnode *nodes;
	size_t n, cap;
	unsigned gen;
	bool changed;
	int root;      /* highest layer that made the root opaque, -1 none */
	size_t *stack; /* one slot a level: BW_IMG_MAX_PATH / 2 + 2 */
	struct bw_arena arena;
};

static void cuts_init(struct cuts *c)
{
	memset(c, 0, sizeof(*c));
	bw_pathmap_init(&c->at);
	bw_pathmap_init(&c->below);
	bw_pathmap_init(&c->map);
	bw_arena_init(&c->arena);
	c->gen = 1;
	c->root = -1;
	c->stack = bw_malloc((BW_IMG_MAX_PATH / 2 + 2) * sizeof(size_t));
}

static void cuts_release(struct cuts *c)
{
	bw_pathmap_release(&c->at);
	bw_pathmap_release(&c->below);
	bw_pathmap_release(&c->map);
	bw_arena_release(&c->arena);
	free(c->nodes);
	free(c->stack);
}

static int cut_layer(const struct bw_pathmap *m, const char *path)
{
	size_t v = 0;
	bw_pathmap_get(m, path, &v);
	return (int)v - 1;
}

/* Layer l removed path (at) or what is below it (below); path outlives c. */
static void cuts_put(struct cuts *c, bool at, const char *path, size_t l)
{
	struct bw_pathmap *m = at ? &c->at : &c->below;
	if (cut_layer(m, path) >= (int)l)
		return;
	bw_pathmap_put(m, path, l + 1);
	size_t k;
	if (!at && bw_pathmap_get(&c->map, path, &k)) {
		c->nodes[k].own = (int)l;
		c->changed = true;
	}
}

/* The node of the directory path[0..len), made with its missing
 * ancestors; tmp holds BW_IMG_MAX_PATH + 2 bytes. */
static size_t cuts_node(struct cuts *c, const char *path, size_t len, char *tmp)
{
	memcpy(tmp, path, len);
	tmp[len] = '\0';
	size_t depth = 0, found = NO_NODE;
	for (;;) {
		if (bw_pathmap_get(&c->map, tmp, &found))
			break;
		found = NO_NODE;
		c->stack[depth++] = len;
		char *slash = strrchr(tmp, '/');
		if (slash == tmp)
			break;
		len = (size_t)(slash - tmp);
		*slash = '\0';
	}
	size_t parent = found;
	while (depth > 0) {
		len = c->stack[--depth];
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 256;
			c->nodes = bw_realloc(c->nodes, c->cap * sizeof(*c->nodes));
		}
		char *key = bw_arena_strndup(&c->arena, path, len);
		c->nodes[c->n] = (struct cutnode){.parent = parent, .own = cut_layer(&c->below, key)};
		bw_pathmap_put(&c->map, key, c->n);
		parent = c->n++;
	}
	return parent;
}

/* The highest layer that removed path, as applied so far, or -1. */
static int cuts_removed(struct cuts *c, const char *path, char *tmp)
{
	int cut = cut_layer(&c->at, path);
	const char *slash = strrchr(path, '/');
	size_t k = slash && slash != path ? cuts_node(c, path, (size_t)(slash - path), tmp) : NO_NODE;
	size_t depth = 0;
	while (k != NO_NODE && c->nodes[k].valid != c->gen) {
		c->stack[depth++] = k;
		k = c->nodes[k].parent;
	}
	int up = k == NO_NODE ? c->root : c->nodes[k].up;
	while (depth > 0) {
		struct cutnode *n = &c->nodes[c->stack[--depth]];
		if (n->own > up)
			up = n->own;
		n->up = up;
		n->valid = c->gen;
	}
	return up > cut ? up : cut;
}

/* What layer l removes from the view below it. */
static void cuts_apply(struct cuts *c, const struct layer_result *res, size_t l)
{
	for (size_t i = 0; i < res->n_files; i++) {
		const struct bw_file *f = &res->files[i];
		if (f->type == BW_FILE_WHITEOUT) {
			cuts_put(c, true, f->link, l);
			cuts_put(c, false, f->link, l);
		} else if (f->type == BW_FILE_OPAQUE) {
			const char *slash = strrchr(f->path, '/');
			if (slash == f->path) {
				c->root = (int)l;
				c->changed = true;
			} else {
				cuts_put(c, false,
					 bw_arena_strndup(&c->arena, f->path, (size_t)(slash - f->path)), l);
			}
		} else if (f->type != BW_FILE_DIR) {
			cuts_put(c, false, f->path, l);
		}
	}
	if (c->changed)
		c->gen++;
	c->changed = false;
}

#define LAYER_SHIFT 40
#define INDEX_MASK ((1ull << LAYER_SHIFT) - 1)

/* Hard links whose target is not earlier in their own layer must point at
 * something the view below their layer has (moby and containerd apply the
 * layer over that view: link() fails there). Each one's size is the
 * target's, and where its bytes are goes to dangling_src. */
static int check_dangling(struct bw_image *img, struct bw_error *err)
{
	size_t n = img->info.n_layers;
	bool any = false;
	for (size_t l = 0; l < n; l++)
		any |= img->results[l]->n_dangling > 0;
	if (!any)
		return 0;
	struct bw_pathmap all, src; /* path -> layer << 40 | index (in files, in dangling) */
	bw_pathmap_init(&all);
	bw_pathmap_init(&src);
	struct cuts cuts;
	cuts_init(&cuts);
	char *tmp = bw_malloc(BW_IMG_MAX_PATH + 2);
	int rc = 0;
	for (size_t l = 0; l < n && rc == 0; l++) {
		struct layer_result *res = img->results[l];
		const char *digest = img->info.layers[l]->digest ? img->info.layers[l]->digest : "?";
		if (res->n_dangling)
			res->dangling_src =
			    bw_realloc(res->dangling_src, res->n_dangling * sizeof(*res->dangling_src));
		for (size_t d = 0; d < res->n_dangling; d++) {
			struct bw_file *f = &res->files[res->dangling[d]];
			size_t v;
			if (!bw_pathmap_get(&all, f->link, &v)) {
				rc = bw_error_set(
				    err, BW_EINPUT,
				    "layer %zu (%s): hard link %s points to %s, which is not in the image", l,
				    digest, f->path, f->link);
				break;
			}
			size_t tl = v >> LAYER_SHIFT;
			const struct bw_file *t = &img->results[tl]->files[v & INDEX_MASK];
			int cut = cuts_removed(&cuts, f->link, tmp);
			if (cut > (int)tl) {
				rc = bw_error_set(err, BW_EINPUT,
						  "layer %zu (%s): hard link %s points to %s, which layer %d "
						  "removed",
						  l, digest, f->path, f->link, cut);
				break;
			}
			f->size = t->size;
			struct bw_hlink_src s = {.path = t->type == BW_FILE_HARDLINK ? t->link : t->path,
						 .at = t,
						 .layer = (int)tl};
			size_t w;
			if (t->type == BW_FILE_HARDLINK && bw_pathmap_get(&src, t->path, &w) &&
			    w >> LAYER_SHIFT == tl) {
				/* t is itself a link to a lower layer's entry */
				const struct layer_result *tr = img->results[tl];
				if (tr->dangling[w & INDEX_MASK] == (v & INDEX_MASK))
					s = tr->dangling_src[w & INDEX_MASK];
			}
			res->dangling_src[d] = s;
		}
		if (rc < 0)
			break;
		for (size_t i = 0; i < res->n_files; i++)
			if (res->files[i].type != BW_FILE_WHITEOUT && res->files[i].type != BW_FILE_OPAQUE)
				bw_pathmap_put(&all, res->files[i].path, ((size_t)l << LAYER_SHIFT) | i);
		for (size_t d = 0; d < res->n_dangling; d++)
			bw_pathmap_put(&src, res->files[res->dangling[d]].path,
				       ((size_t)l << LAYER_SHIFT) | d);
		cuts_apply(&cuts, res, l);
	}
	free(tmp);
	cuts_release(&cuts);
	bw_pathmap_release(&src);
	bw_pathmap_release(&all);
	return rc;
}

/* A layer may list "a/b/c/file" (or a whiteout "b/.wh.c") without entries
 * for its parents; the engine creates the missing ones when it applies the
 * layer (root-owned; 0755 since moby 23 and in containerd, 0600 in moby
 * 20.10), and they stay unless a higher layer removes them. They are part of
 * the final view, marked implied, from the lowest layer that needed them;
 * a directory some layer lists wins over an implied one. Found going up
 * from each entry while the merge knows what the layers above hide. */
struct implied {
	struct bw_pathmap map; /* path -> index in dirs */
	struct bw_file *dirs;
	size_t n, cap;
	char *up; /* BW_IMG_MAX_PATH + 2 bytes of scratch */
};

static void note_parents(struct dirs *d, struct implied *im, struct bw_image *img, const struct bw_file *f,
			 char *tmp)
{
	size_t len = (size_t)(strrchr(f->path, '/') - f->path);
	while (len > 0) {
		memcpy(tmp, f->path, len);
		tmp[len] = '\0';
		size_t v;
		if (bw_pathmap_get(d->seen, tmp, &v))
			return; /* listed by some layer at or above this one */
		if (bw_pathmap_get(&im->map, tmp, &v)) {
			if (f->layer < im->dirs[v].layer)
				im->dirs[v].layer = f->layer;
			return; /* its own parents were noted with it */
		}
		bool gone = bw_pathmap_get(d->hidden, tmp, &v) && (v & HIDE_WHITEOUT);
		memcpy(im->up, tmp, len + 1);
		bool above = ancestor_hidden(d, im->up, tmp);
		if (above)
			return; /* a higher layer removed it with an ancestor */
		if (!gone) {	/* made here and never removed */
			BW_ALLOC_GROW(im->dirs, im->n + 1, im->cap);
			char *path = bw_arena_strndup(&img->arena, f->path, len);
			im->dirs[im->n] = (struct bw_file){.path = path,
							   .type = BW_FILE_DIR,
							   .mode = 0755,
							   .layer = f->layer,
							   .implied = true};
			bw_pathmap_put(&im->map, path, im->n++);
		}
		char *slash = memrchr(f->path, '/', len);
		len = slash ? (size_t)(slash - f->path) : 0;
	}
}

/* The implied directories no layer lists, into the final view. */
static void add_implied(struct bw_image *img, struct implied *im, const struct bw_pathmap *seen)
{
	for (size_t i = 0; i < im->n; i++) {
		size_t v;
		if (bw_pathmap_get(seen, im->dirs[i].path, &v))
			continue;
		struct bw_file *dir = bw_arena_alloc(&img->arena, sizeof(*dir));
		*dir = im->dirs[i];
		if (img->n_final == img->cap_final) {
			img->cap_final = img->cap_final * 2 + 16;
			img->final = bw_realloc(img->final, img->cap_final * sizeof(*img->final));
		}
		img->final[img->n_final++] = dir;
	}
}

int bw_merge_final(struct bw_image *img, struct bw_error *err)
{
	int rc = check_dangling(img, err);
	if (rc < 0)
		return rc;

	struct bw_pathmap seen, hidden;
	bw_pathmap_init(&seen);
	bw_pathmap_init(&hidden);
	size_t cap = 0;
	for (size_t l = 0; l < img->info.n_layers; l++)
		cap += img->results[l]->n_files;
	img->cap_final = cap ? cap : 1;
	img->final = bw_malloc(img->cap_final * sizeof(*img->final));
	img->n_final = 0;
	char *tmp = bw_malloc(BW_IMG_MAX_PATH + 2);
	struct dirs dirs;
	dirs_init(&dirs, &seen, &hidden, img->final);
	struct implied im = {.up = bw_malloc(BW_IMG_MAX_PATH + 2)};
	bw_pathmap_init(&im.map);

	bool root_opaque = false;
	for (size_t l = img->info.n_layers; l-- > 0;) {
		struct layer_result *res = img->results[l];
		for (size_t i = res->n_files; i-- > 0;) {
			struct bw_file *f = &res->files[i];
			size_t v;
			if (f->type == BW_FILE_WHITEOUT || f->type == BW_FILE_OPAQUE)
				continue;
			note_parents(&dirs, &im, img, f, tmp);
			if (bw_pathmap_get(&seen, f->path, &v)) {
				/* a higher layer's directory replaced this non-directory,
				 * which had removed what lower layers had below it */
				if (f->type != BW_FILE_DIR) {
					size_t h = 0;
					bw_pathmap_get(&hidden, f->path, &h);
					bw_pathmap_put(&hidden, f->path, h | HIDE_OPAQUE);
					dirs_mark(&dirs, f->path);
				}
				continue;
			}
			if (bw_pathmap_get(&hidden, f->path, &v) && (v & HIDE_WHITEOUT))
				continue;
			if (ancestor_hidden(&dirs, f->path, tmp))
				continue;
			bw_pathmap_put(&seen, f->path, img->n_final);
			img->final[img->n_final++] = f;
			if (f->type != BW_FILE_DIR)
				dirs_mark(&dirs, f->path);
		}
		for (size_t i = 0; i < res->n_files; i++) {
			struct bw_file *f = &res->files[i];
			size_t v = 0;
			if (f->type == BW_FILE_WHITEOUT || f->type == BW_FILE_OPAQUE)
				note_parents(&dirs, &im, img, f, tmp);
			if (f->type == BW_FILE_WHITEOUT) {
				bw_pathmap_get(&hidden, f->link, &v);
				bw_pathmap_put(&hidden, f->link, v | HIDE_WHITEOUT);
				dirs_mark(&dirs, f->link);
			} else if (f->type == BW_FILE_OPAQUE) {
				/* the marker sits inside the directory it makes opaque */
				char *dir = bw_arena_strdup(&res->arena, f->path);
				char *slash = strrchr(dir, '/');
				if (slash == dir)
					slash[1] = '\0';
				else
					*slash = '\0';
				bw_pathmap_get(&hidden, dir, &v);
				bw_pathmap_put(&hidden, dir, v | HIDE_OPAQUE);
				dirs_mark(&dirs, dir);
				root_opaque |= dir[1] == '\0';
			}
		}
		if (root_opaque)
			break; /* an opaque root hides every lower layer whole */
	}
	dirs_release(&dirs);
	add_implied(img, &im, &seen);
	bw_pathmap_release(&im.map);
	free(im.dirs);
	free(im.up);
	free(tmp);
	bw_pathmap_release(&hidden);
	bw_pathmap_release(&seen);

	qsort(img->final, img->n_final, sizeof(*img->final), cmp_path);

	img->final_bytes = 0;
	struct bw_pathmap *fm = bw_calloc(1, sizeof(*fm));
	bw_pathmap_init(fm);
	for (size_t i = 0; i < img->n_final; i++) {
		bw_pathmap_put(fm, img->final[i]->path, i);
		if (img->final[i]->type == BW_FILE_REG)
			img->final_bytes += img->final[i]->size;
	}
	img->final_map = fm;
	return 0;
}

const struct bw_file *bw_image_lookup(const struct bw_image *img, const char *path)
{
	if (!img->final_map)
		return NULL;
	size_t v;
	if (!bw_pathmap_get(img->final_map, path, &v))
		return NULL;
	return img->final[v];
}

#define MAX_HOPS 40

int bw_image_resolve(const struct bw_image *img, const char *path, const struct bw_file **out,
		     struct bw_error *err)
{
	/* cur: the resolved prefix ("" = root); rest: the components to go */
	struct bw_buf cur, rest;
	bw_buf_init(&cur, BW_IMG_MAX_PATH * 4);
	bw_buf_init(&rest, BW_IMG_MAX_PATH * 4);
	int rc = 0, hops = 0;
	const struct bw_file *f = NULL;
	*out = NULL;
	bw_buf_addstr(&rest, path);
	bw_buf_addstr(&cur, "");

	while (rest.len) {
		/* pop the first component of rest */
		size_t s = 0;
		while (s < rest.len && rest.data[s] == '/')
			s++;
		size_t e = s;
		while (e < rest.len && rest.data[e] != '/')
			e++;
		char comp[BW_IMG_MAX_PATH + 1];
		size_t cl = e - s;
		if (cl > BW_IMG_MAX_PATH) {
			rc = bw_error_set(err, BW_ELIMIT, "%s: path component too long", path);
			goto out;
		}
		memcpy(comp, rest.data + s, cl);
		comp[cl] = '\0';
		memmove(rest.data, rest.data + e, rest.len - e + 1);
		rest.len -= e;
		if (cl == 0 || strcmp(comp, ".") == 0) {
			continue;
		}
		if (strcmp(comp, "..") == 0) {
			char *sl = strrchr(cur.data, '/');
			cur.len = sl ? (size_t)(sl - cur.data) : 0;
			cur.data[cur.len] = '\0';
			f = NULL;
			continue;
		}
		size_t before = cur.len;
		if (bw_buf_addstr(&cur, "/") < 0 || bw_buf_addstr(&cur, comp) < 0) {
			rc = bw_error_set(err, BW_ELIMIT, "%s: path too long while resolving", path);
			goto out;
		}
		f = bw_image_lookup(img, cur.data);
		if (!f)
			goto out; /* does not exist: *out stays NULL */
		if (f->type == BW_FILE_SYMLINK) {
			if (++hops > MAX_HOPS) {
				rc = bw_error_set(err, BW_EINPUT,
						  "%s: too many levels of symbolic links (a loop at %s)",
						  path, cur.data);
				goto out;
			}
			/* replace the component by the link target */
			struct bw_buf nr;
			bw_buf_init(&nr, BW_IMG_MAX_PATH * 4);
			if (bw_buf_addstr(&nr, f->link) < 0 || bw_buf_addstr(&nr, "/") < 0 ||
			    bw_buf_add(&nr, rest.data, rest.len) < 0) {
				bw_buf_release(&nr);
				rc = bw_error_set(err, BW_ELIMIT, "%s: path too long while resolving", path);
				goto out;
			}
			bw_buf_release(&rest);
			rest = nr;
			if (f->link[0] == '/')
				cur.len = 0;
			else
				cur.len = before;
			cur.data[cur.len] = '\0';
			f = NULL;
			continue;
		}
		if (f->type != BW_FILE_DIR) {
			/* a non-directory with components left: does not exist */
			size_t k = 0;
			while (k < rest.len && rest.data[k] == '/')
				k++;
			if (k < rest.len) {
				f = NULL;
				goto out;
			}
		}
	}
	/* after "..", "." or a link the last entry stood on is cur's own (the
	 * root, "", is none) */
	if (!f && cur.len)
		f = bw_image_lookup(img, cur.data);
	*out = f;
out:
	bw_buf_release(&cur);
	bw_buf_release(&rest);
	return rc;
}

void bw_image_totals(const struct bw_image *img, uint64_t *files, uint64_t *bytes)
{
	*files = img->n_final;
	*bytes = img->final_bytes;
}
