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

static bool ancestor_hidden(const char *path, const struct bw_pathmap *hidden, const struct bw_pathmap *seen,
			    struct bw_file **final, char *tmp)
{
	size_t len = strlen(path);
	memcpy(tmp, path, len + 1);
	for (size_t i = len; i > 1; i--) {
		if (tmp[i - 1] != '/' || i == 1)
			continue;
		tmp[i - 1] = '\0';
		if (tmp[0] == '\0')
			break;
		size_t v;
		if (bw_pathmap_get(hidden, tmp, &v))
			return true;
		if (bw_pathmap_get(seen, tmp, &v) && final[v]->type != BW_FILE_DIR)
			return true;
	}
	return false;
}

static int cmp_path(const void *a, const void *b)
{
	const struct bw_file *fa = *(const struct bw_file *const *)a;
	const struct bw_file *fb = *(const struct bw_file *const *)b;
	return strcmp(fa->path, fb->path);
}

/* Hard links whose target is not earlier in their own layer must point at
 * something a lower layer has. */
static int check_dangling(struct bw_image *img, struct bw_error *err)
{
	size_t n = img->info.n_layers;
	bool any = false;
	for (size_t l = 0; l < n; l++)
		any |= img->results[l]->n_dangling > 0;
	if (!any)
		return 0;
	struct bw_pathmap all;
	bw_pathmap_init(&all);
	int rc = 0;
	for (size_t l = 0; l < n && rc == 0; l++) {
		struct layer_result *res = img->results[l];
		for (size_t d = 0; d < res->n_dangling; d++) {
			struct bw_file *f = &res->files[res->dangling[d]];
			size_t v;
			if (!bw_pathmap_get(&all, f->link, &v)) {
				rc = bw_error_set(
				    err, BW_EINPUT,
				    "layer %zu (%s): hard link %s points to %s, which is not in the image", l,
				    img->info.layers[l]->digest ? img->info.layers[l]->digest : "?", f->path,
				    f->link);
				break;
			}
			/* v encodes layer << 40 | index */
			const struct bw_file *t = &img->results[v >> 40]->files[v & ((1ull << 40) - 1)];
			f->size = t->size;
		}
		for (size_t i = 0; i < res->n_files; i++)
			if (res->files[i].type != BW_FILE_WHITEOUT && res->files[i].type != BW_FILE_OPAQUE)
				bw_pathmap_put(&all, res->files[i].path, ((size_t)l << 40) | i);
	}
	bw_pathmap_release(&all);
	return rc;
}

/* A layer may list "a/b/c/file" without entries for a, a/b, a/b/c; the
 * engine creates them when it applies the layer (root-owned; 0755 since
 * moby 23 and in containerd, 0600 in moby 20.10). They are part of the
 * final view, marked implied. */
static void add_implied_parents(struct bw_image *img, struct bw_pathmap *seen, char *tmp)
{
	size_t n = img->n_final;
	for (size_t i = 0; i < n; i++) {
		const struct bw_file *f = img->final[i];
		size_t len = strlen(f->path);
		memcpy(tmp, f->path, len + 1);
		for (size_t k = len; k > 1; k--) {
			if (tmp[k - 1] != '/')
				continue;
			tmp[k - 1] = '\0';
			if (tmp[0] == '\0')
				break;
			size_t v;
			if (bw_pathmap_get(seen, tmp, &v)) {
				struct bw_file *p = img->final[v];
				if (p->implied && f->layer < p->layer)
					p->layer = f->layer;
				break; /* its own ancestors were handled when it was added */
			}
			struct bw_file *d = bw_arena_alloc(&img->arena, sizeof(*d));
			d->path = bw_arena_strdup(&img->arena, tmp);
			d->type = BW_FILE_DIR;
			d->mode = 0755;
			d->layer = f->layer;
			d->implied = true;
			bw_pathmap_put(seen, d->path, img->n_final);
			if (img->n_final == img->cap_final) {
				img->cap_final = img->cap_final * 2 + 16;
				img->final = bw_realloc(img->final, img->cap_final * sizeof(*img->final));
			}
			img->final[img->n_final++] = d;
		}
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

	for (size_t l = img->info.n_layers; l-- > 0;) {
		struct layer_result *res = img->results[l];
		for (size_t i = res->n_files; i-- > 0;) {
			struct bw_file *f = &res->files[i];
			size_t v;
			if (f->type == BW_FILE_WHITEOUT || f->type == BW_FILE_OPAQUE)
				continue;
			if (bw_pathmap_get(&seen, f->path, &v))
				continue;
			if (bw_pathmap_get(&hidden, f->path, &v) && (v & HIDE_WHITEOUT))
				continue;
			if (ancestor_hidden(f->path, &hidden, &seen, img->final, tmp))
				continue;
			bw_pathmap_put(&seen, f->path, img->n_final);
			img->final[img->n_final++] = f;
		}
		for (size_t i = 0; i < res->n_files; i++) {
			struct bw_file *f = &res->files[i];
			size_t v = 0;
			if (f->type == BW_FILE_WHITEOUT) {
				bw_pathmap_get(&hidden, f->link, &v);
				bw_pathmap_put(&hidden, f->link, v | HIDE_WHITEOUT);
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
			}
		}
	}
	add_implied_parents(img, &seen, tmp);
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
	if (!f && cur.len == 0)
		f = NULL; /* the root */
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
