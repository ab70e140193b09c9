/* Opening a target, walking its layers (in parallel where the source can
 * seek), verifying them, and reading single files back. */
#include <errno.h>
#include <sys/stat.h>

#include "image-int.h"
#include "pathmap.h"

static const char *const type_names[] = {"file",  "dir",  "symlink",  "hardlink", "char",
					 "block", "fifo", "whiteout", "opaque"};

const char *bw_file_type_name(enum bw_file_type t)
{
	return (unsigned)t < BW_ARRAY_SIZE(type_names) ? type_names[t] : "?";
}

void bw_file_mode_string(const struct bw_file *f, char *s)
{
	static const char types[] = {'-', 'd', 'l', 'h', 'c', 'b', 'p', 'w', 'o'};
	s[0] = (unsigned)f->type < sizeof(types) ? types[f->type] : '?';
	static const char rwx[] = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		s[1 + i] = (f->mode & (1u << (8 - i))) ? rwx[i] : '-';
	if (f->mode & 04000)
		s[3] = (f->mode & 0100) ? 's' : 'S';
	if (f->mode & 02000)
		s[6] = (f->mode & 010) ? 's' : 'S';
	if (f->mode & 01000)
		s[9] = (f->mode & 01) ? 't' : 'T';
	s[10] = '\0';
}

const char *bw_img_str(struct bw_image *img, const char *s)
{
	return s ? bw_arena_strdup(&img->arena, s) : NULL;
}

int bw_image_add_blob(struct bw_image *img, const char *name, char *data, size_t len, struct bw_error *err)
{
	if (len > BW_IMG_MAX_KEPT_META - img->blob_bytes) {
		free(data);
		return bw_error_set(err, BW_ELIMIT,
				    "%s: the JSON members held as image metadata pass %u MiB in all (at "
				    "member %s): not an image archive bulwark reads",
				    img->location, BW_IMG_MAX_KEPT_META >> 20, name);
	}
	img->blob_bytes += len;
	BW_ALLOC_GROW(img->blobs, img->n_blobs + 1, img->cap_blobs);
	img->blobs[img->n_blobs++] = (struct small_blob){bw_img_str(img, name), data, len};
	return 0;
}

const struct small_blob *bw_image_find_blob(const struct bw_image *img, const char *name)
{
	name = bw_image_member_target(img, name);
	for (size_t i = 0; name && i < img->n_blobs; i++)
		if (strcmp(img->blobs[i].name, name) == 0)
			return &img->blobs[i];
	return NULL;
}

const char *bw_image_member_target(const struct bw_image *img, const char *name)
{
	/* docker save dedups identical layers with symlinks between members */
	for (int hop = 0; hop < 8; hop++) {
		struct member *m = bw_image_find_member((struct bw_image *)img, name);
		if (!m || !m->symlink)
			return name;
		name = m->symlink;
	}
	return NULL; /* a loop */
}

void bw_image_add_member_link(struct bw_image *img, const char *name, const char *target, bool absolute)
{
	char joined[2 * BW_IMG_MAX_PATH + 2], clean[2 * BW_IMG_MAX_PATH + 2];
	const char *slash = strrchr(name, '/');
	if (absolute || target[0] == '/')
		snprintf(joined, sizeof(joined), "%s", target);
	else
		snprintf(joined, sizeof(joined), "%.*s%s", slash ? (int)(slash - name + 1) : 0, name, target);
	bool esc, abs;
	bw_path_clean(joined, clean, &esc, &abs);
	struct member *m = bw_image_add_member(img, name);
	m->symlink = bw_img_str(img, clean);
}

struct member *bw_image_add_member(struct bw_image *img, const char *name)
{
	BW_ALLOC_GROW(img->members, img->n_members + 1, img->cap_members);
	struct member *m = &img->members[img->n_members++];
	memset(m, 0, sizeof(*m));
	m->name = bw_img_str(img, name);
	return m;
}

int bw_image_check_member(struct bw_image *img, const char *name, struct bw_error *err)
{
	static const char *const metadata[] = {"manifest.json", "index.json", "oci-layout", "repositories"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(metadata); i++)
		if (strcmp(name, metadata[i]) == 0 && bw_image_find_member(img, name))
			return bw_error_set(
			    err, BW_EINTEGRITY,
			    "%s: member %s appears twice (an engine loads the last one, so the "
			    "archive does not say which image it holds)",
			    img->location, name);
	return 0;
}

struct member *bw_image_find_member(struct bw_image *img, const char *name)
{
	for (size_t i = img->n_members; i-- > 0;)
		if (strcmp(img->members[i].name, name) == 0)
			return &img->members[i];
	return NULL;
}

struct layer_result *bw_image_new_result(struct bw_image *img)
{
	BW_ALLOC_GROW(img->all_results, img->n_all_results + 1, img->cap_all_results);
	struct layer_result *r = bw_malloc(sizeof(*r));
	bw_layer_result_init(r);
	img->all_results[img->n_all_results++] = r;
	return r;
}

static int open_with(const char *target, const struct bw_image_opts *opts, const struct source_ops *forced,
		     struct bw_image **out, struct bw_error *err)
{
	struct bw_image *img = bw_calloc(1, sizeof(*img));
	bw_arena_init(&img->arena);
	img->spool_fd = -1;
	if (opts)
		img->opts = *opts;
	img->info.name = bw_img_str(img, target);
	int rc = bw_source_select(img, target, forced, err);
	if (rc == 0)
		rc = img->ops->open(img, err);
	if (rc < 0) {
		bw_image_free(img);
		return rc;
	}
	*out = img;
	return 0;
}

int bw_image_open(const char *target, const struct bw_image_opts *opts, struct bw_image **out,
		  struct bw_error *err)
{
	*out = NULL;
	const struct source_ops *order[4];
	size_t n = 0;
	int rc =
	    bw_source_name_order(target, opts ? opts->image_src : NULL, order, BW_ARRAY_SIZE(order), &n, err);
	if (rc < 0)
		return rc;
	if (n == 0)
		return open_with(target, opts, NULL, out, err);
	/* a bare image name: each source of --image-src in turn; all their reasons if none has it */
	struct bw_error first = BW_ERROR_INIT;
	for (size_t i = 0; i < n; i++) {
		struct bw_error e = BW_ERROR_INIT;
		rc = open_with(target, opts, order[i], out, &e);
		if (rc == 0)
			return 0;
		if (rc == BW_EUSAGE) {
			*err = e;
			return rc;
		}
		if (i == 0) {
			first = e;
		} else {
			/* "; " and as much of e.msg as fits */
			size_t len = strlen(first.msg), add = strlen(e.msg);
			if (len + 3 < sizeof(first.msg)) {
				if (add > sizeof(first.msg) - len - 3)
					add = sizeof(first.msg) - len - 3;
				memcpy(first.msg + len, "; ", 2);
				memcpy(first.msg + len + 2, e.msg, add);
				first.msg[len + 2 + add] = '\0';
			}
		}
	}
	*err = first;
	return first.code;
}

void bw_image_free(struct bw_image *img)
{
	if (!img)
		return;
	if (img->ops && img->ops->close)
		img->ops->close(img);
	if (img->spool_fd >= 0)
		close(img->spool_fd);
	for (size_t i = 0; i < img->n_all_results; i++) {
		bw_layer_result_release(img->all_results[i]);
		free(img->all_results[i]);
	}
	free(img->all_results);
	for (size_t i = 0; i < img->n_blobs; i++)
		free(img->blobs[i].data);
	free(img->blobs);
	free(img->members);
	free(img->refs);
	free(img->results);
	free(img->layer_ptrs);
	free(img->final);
	if (img->final_map) {
		bw_pathmap_release(img->final_map);
		free(img->final_map);
	}
	json_decref(img->config);
	json_decref(img->manifest);
	json_decref(img->index);
	json_decref(img->keep);
	free(img->location);
	free(img->ref);
	bw_arena_release(&img->arena);
	free(img);
}

const struct bw_image_info *bw_image_info(const struct bw_image *img)
{
	return &img->info;
}

/* ---- verification ---- */

int bw_image_verify_layer(struct bw_image *img, size_t i, struct bw_error *err)
{
	struct layer_ref *ref = &img->refs[i];
	struct layer_result *res = img->results[i];
	struct bw_image_layer *l = img->layer_ptrs[i];
	if (res->rc < 0) {
		*err = res->err;
		return bw_error_prefix(err, "layer %zu (%s): ", i, ref->member);
	}
	if (ref->expect_digest && strncmp(ref->expect_digest, "sha256:", 7) == 0 &&
	    strcmp(ref->expect_digest, res->blob_digest) != 0)
		return bw_error_set(err, BW_EINTEGRITY,
				    "layer %zu: blob %s: digest mismatch: expected %s, got %s", i,
				    ref->member, ref->expect_digest, res->blob_digest);
	if (ref->expect_size >= 0 && (uint64_t)ref->expect_size != res->raw_bytes)
		return bw_error_set(
		    err, BW_EINTEGRITY, "layer %zu: blob %s: size mismatch: expected %lld bytes, got %llu", i,
		    ref->member, (long long)ref->expect_size, (unsigned long long)res->raw_bytes);
	if (ref->expect_diff_id && strncmp(ref->expect_diff_id, "sha256:", 7) == 0 &&
	    strcmp(ref->expect_diff_id, res->diff_id) != 0)
		return bw_error_set(err, BW_EINTEGRITY,
				    "layer %zu: blob %s: diff_id mismatch: the config expects %s, the "
				    "uncompressed layer is %s",
				    i, ref->member, ref->expect_diff_id, res->diff_id);
	if (!l->digest)
		l->digest = bw_img_str(img, res->blob_digest);
	if (!l->diff_id)
		l->diff_id = bw_img_str(img, res->diff_id);
	if (l->compressed_size < 0)
		l->compressed_size = (int64_t)res->raw_bytes;
	l->size = (int64_t)res->tar_bytes;
	if (!l->media_type)
		l->media_type = bw_img_str(img, strcmp(res->compression, "gzip") == 0
						    ? "application/vnd.oci.image.layer.v1.tar+gzip"
						: strcmp(res->compression, "zstd") == 0
						    ? "application/vnd.oci.image.layer.v1.tar+zstd"
						    : "application/vnd.oci.image.layer.v1.tar");
	return 0;
}

/* ---- the walk ---- */

struct pool {
	struct bw_image *img;
	struct walk_ctx *wc;
	size_t next; /* atomic */
	int rc;
	struct bw_error err;
	pthread_mutex_t lock;
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct bw_image *img = p->img;
	for (;;) {
		size_t i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
		if (i >= img->info.n_layers)
			break;
		pthread_mutex_lock(&p->lock);
		bool stop = p->rc < 0;
		pthread_mutex_unlock(&p->lock);
		if (stop)
			break;
		struct layer_result *res = img->results[i];
		struct bw_error err = BW_ERROR_INIT;
		const struct layer_ref *ref = &img->refs[i];
		int rc;
		if (img->opts.cache && ref->expect_diff_id && bw_digest_valid(ref->expect_diff_id) &&
		    (!ref->expect_digest || bw_digest_valid(ref->expect_digest))) {
			rc = bw_layer_cached_walk(img, p->wc, i, &err); /* verifies too */
		} else {
			struct bw_reader rd;
			void *h = NULL;
			rc = img->ops->open_layer(img, i, &rd, &h, &err);
			if (rc == 0) {
				rc = bw_walk_layer(p->wc, &rd, img->layer_ptrs[i], res, NULL, &err);
				img->ops->close_layer(h);
			}
			if (rc < 0) {
				res->rc = rc;
				res->err = err;
			}
			rc = bw_image_verify_layer(img, i, &err); /* also formats a walk error */
		}
		if (rc < 0) {
			pthread_mutex_lock(&p->lock);
			if (p->rc == 0) {
				p->rc = rc;
				p->err = err;
			}
			pthread_mutex_unlock(&p->lock);
		}
	}
	return NULL;
}

static int walk_indexed(struct bw_image *img, struct walk_ctx *wc, struct bw_error *err)
{
	for (size_t i = 0; i < img->info.n_layers; i++)
		img->results[i] = bw_image_new_result(img);
	struct pool p = {.img = img, .wc = wc};
	pthread_mutex_init(&p.lock, NULL);
	int jobs = img->opts.jobs > 0 ? img->opts.jobs : bw_ncpu();
	if ((size_t)jobs > img->info.n_layers)
		jobs = (int)img->info.n_layers;
	if (jobs <= 1) {
		worker(&p);
	} else {
		pthread_t *t = bw_calloc((size_t)jobs, sizeof(*t));
		int started = 0;
		for (int k = 0; k < jobs; k++)
			if (pthread_create(&t[k], NULL, worker, &p) == 0)
				started++;
			else
				break;
		if (started == 0)
			worker(&p);
		for (int k = 0; k < started; k++)
			pthread_join(t[k], NULL);
		free(t);
	}
	pthread_mutex_destroy(&p.lock);
	if (p.rc < 0) {
		*err = p.err;
		return p.rc;
	}
	return 0;
}

int bw_image_walk(struct bw_image *img, const struct bw_analyzer *const *analyzers, size_t n,
		  bw_image_progress_fn progress, void *progress_ud, struct bw_error *err)
{
	if (img->walked)
		return bw_error_set(err, BW_EUSAGE, "image walked twice");
	if (n > BW_IMAGE_MAX_ANALYZERS)
		return bw_error_set(err, BW_EUSAGE, "%zu analyzers on one walk (at most %d)", n,
				    BW_IMAGE_MAX_ANALYZERS);
	img->walked = true;
	/* the layers' states refer to the analyzers until bw_image_free() */
	img->analyzers = bw_arena_alloc(&img->arena, (n ? n : 1) * sizeof(*img->analyzers));
	for (size_t i = 0; i < n; i++)
		img->analyzers[i] = analyzers[i];
	img->n_analyzers = n;
	struct walk_ctx wc = {
	    .analyzers = img->analyzers,
	    .n_analyzers = n,
	    .progress = progress,
	    .progress_ud = progress_ud,
	    .n_layers = img->info.n_layers,
	    /* the configuration is held while the layers are listed */
	    .listing_bytes = img->config_tree,
	};
	int rc;
	if (img->streaming)
		rc = img->ops->stream(img, &wc, err);
	else
		rc = walk_indexed(img, &wc, err);
	if (rc < 0)
		return rc;
	return bw_merge_final(img, err);
}

void *const *bw_image_layer_states(struct bw_image *img, const struct bw_analyzer *an, size_t *n)
{
	size_t k = 0;
	while (k < img->n_analyzers && img->analyzers[k] != an)
		k++;
	size_t nl = img->results ? img->info.n_layers : 0;
	void **states = bw_arena_alloc(&img->arena, (nl ? nl : 1) * sizeof(void *));
	for (size_t i = 0; i < nl; i++) {
		const struct layer_result *res = img->results[i];
		states[i] = res && k < res->n_astate && res->analyzers[k] == an ? res->astate[k] : NULL;
	}
	*n = nl;
	return states;
}

const struct bw_file *const *bw_image_final(const struct bw_image *img, size_t *n)
{
	*n = img->n_final;
	return (const struct bw_file *const *)img->final;
}

const struct bw_file *bw_image_layer_files(const struct bw_image *img, int layer, size_t *n)
{
	if (layer < 0 || (size_t)layer >= img->info.n_layers || !img->results || !img->results[layer]) {
		*n = 0;
		return NULL;
	}
	*n = img->results[layer]->n_files;
	return img->results[layer]->files;
}

/* ---- reading one file back ---- */

struct cat_ctx {
	const char *path;
	size_t nth; /* which regular file of that path in the layer (from 1) */
	size_t count;
	bw_image_data_fn cb;
	void *ud;
	bool seen;
};

static enum bw_want cat_wants(void *ud, const struct bw_file *f)
{
	struct cat_ctx *c = ud;
	if (strcmp(f->path, c->path) != 0)
		return BW_WANT_NONE;
	return ++c->count == c->nth ? BW_WANT_STREAM : BW_WANT_NONE;
}

/* A path can be listed more than once in one layer; extraction keeps the
 * last copy written before f (f itself, or for a hard link the file it
 * names): which regular file of that path, counted from 1, it is. */
static size_t cat_nth(const struct layer_result *res, const struct bw_file *f, const char *path)
{
	size_t end = res->n_files;
	if (f >= res->files && f < res->files + res->n_files)
		end = (size_t)(f - res->files) + (f->type == BW_FILE_REG ? 1 : 0);
	size_t nth = 0;
	for (size_t k = 0; k < end; k++)
		if (res->files[k].type == BW_FILE_REG && strcmp(res->files[k].path, path) == 0)
			nth++;
	return nth ? nth : 1;
}

static void *cat_begin(void *ud, const struct bw_image_layer *layer)
{
	(void)layer;
	return ud;
}

static int cat_chunk(void *state, const struct bw_file *f, const void *data, size_t len, bool last,
		     struct bw_error *err)
{
	struct cat_ctx *c = state;
	(void)f;
	c->seen = true;
	if (len)
		return c->cb(c->ud, data, len, err);
	(void)last;
	return 0;
}

int bw_image_read_file(struct bw_image *img, const char *path, bw_image_data_fn cb, void *ud,
		       struct bw_error *err)
{
	const struct bw_file *f;
	int rc = bw_image_resolve(img, path, &f, err);
	if (rc < 0)
		return rc;
	if (!f)
		return bw_error_set(err, BW_ENOTFOUND, "%s: no such file in the image", path);
	if (f->type == BW_FILE_DIR)
		return bw_error_set(err, BW_EINPUT, "%s: is a directory", path);
	if (f->type != BW_FILE_REG && f->type != BW_FILE_HARDLINK)
		return bw_error_set(err, BW_EINPUT, "%s: not a regular file (%s)", path,
				    bw_file_type_name(f->type));
	if (img->streaming ? !img->ops->stream : !img->ops->open_layer)
		return bw_error_set(err, BW_EUNSUPPORTED, "%s: this source cannot read a layer again", path);
	if (img->from_stdin && img->spool_fd < 0)
		return bw_error_set(err, BW_EUNSUPPORTED,
				    "%s: standard input was read once and not kept (image cat keeps it)",
				    path);

	/* re-walk the one layer that holds it, wanting only that path: a hard
	 * link's target, in its own layer or where the merge found it (at: the
	 * entry whose place in that layer says which copy of the path) */
	const char *want = f->type == BW_FILE_HARDLINK ? f->link : f->path;
	const struct bw_file *at = f;
	size_t i = (size_t)f->layer;
	const struct layer_result *own = img->results ? img->results[i] : NULL;
	if (f->type == BW_FILE_HARDLINK && own && own->dangling_src) {
		uintptr_t p = (uintptr_t)f, first = (uintptr_t)own->files;
		size_t k = (p - first) / sizeof(*f);
		for (size_t d = 0; p >= first && k < own->n_files && d < own->n_dangling; d++)
			if (own->dangling[d] == k) {
				want = own->dangling_src[d].path;
				at = own->dangling_src[d].at;
				i = (size_t)own->dangling_src[d].layer;
				break;
			}
	}
	struct cat_ctx c = {.path = want, .cb = cb, .ud = ud};
	c.nth = img->results && img->results[i] ? cat_nth(img->results[i], at, want) : 1;
	struct bw_analyzer an = {
	    .name = "cat",
	    .wants = cat_wants,
	    .layer_begin = cat_begin,
	    .chunk = cat_chunk,
	    .ud = &c,
	};
	const struct bw_analyzer *ans[] = {&an};
	struct walk_ctx wc = {.analyzers = ans, .n_analyzers = 1, .n_layers = 1};
	struct layer_result *res = bw_image_new_result(img);
	struct bw_image_layer scratch = *img->layer_ptrs[i];
	if (img->streaming) {
		/* read the stream again, walking only the member of layer i */
		img->cat_member = bw_image_member_target(img, img->refs[i].member);
		img->cat_result = res;
		img->cat_layer = &scratch;
		rc = img->cat_member ? img->ops->stream(img, &wc, err)
				     : bw_error_set(err, BW_ENOTFOUND, "layer %zu: no blob", i);
		img->cat_member = NULL;
		bw_layer_result_drop_states(res);
		if (rc == 0 && img->results && img->results[i] &&
		    strcmp(res->diff_id, img->results[i]->diff_id) != 0)
			return bw_error_set(
			    err, BW_EINTEGRITY,
			    "%s: layer %zu read again is not the layer first read (diff_id %s, "
			    "then %s): the source changed",
			    img->location, i, img->results[i]->diff_id, res->diff_id);
	} else {
		struct bw_reader rd;
		void *h = NULL;
		rc = img->ops->open_layer(img, i, &rd, &h, err);
		if (rc < 0)
			return rc;
		rc = bw_walk_layer(&wc, &rd, &scratch, res, NULL, err);
		bw_layer_result_drop_states(res); /* they refer to the local analyzer */
		img->ops->close_layer(h);
	}
	if (rc == 0 && !c.seen)
		return bw_error_set(err, BW_EINPUT, "%s: its content was not found in layer %zu", path, i);
	return rc;
}
