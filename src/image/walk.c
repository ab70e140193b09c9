/* The layer walker: one pass over one layer's tar stream.
 *
 * A layer is a tar archive (OCI image-spec "layer.md"): regular files,
 * directories, symlinks, hard links (to an entry earlier in the same
 * archive), devices and FIFOs, plus whiteouts — an empty file ".wh.NAME"
 * deletes NAME of the layers below; ".wh..wh..opq" in a directory hides
 * everything the lower layers had in it. Other ".wh..wh.*" names are AUFS
 * bookkeeping and are ignored.
 *
 * Every path is cleaned; one that is absolute or climbs above the root with
 * ".." is hostile (no builder writes it) and fails the walk, naming the
 * path. Nothing is extracted: entries are recorded in the layer's arena and
 * the bytes of files an analyzer asked for are handed over as they stream.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>

#include "decompress.h"
#include "pathmap.h"

#define DATA_CHUNK (128u << 10)
#define DEFAULT_MAX_WHOLE (16u << 20)

struct walk_state {
	struct walk_ctx *wc;
	struct bw_decomp *dc;
	struct bw_error derr; /* the decompressor's error, kept apart from libarchive's */
	int drc;
	struct layer_result *res; /* res->astate: the analyzers' states */
	struct bw_image_layer *layer;
	const bool *skip;	/* per analyzer: served from the layer cache, not fed; or NULL */
	struct bw_pathmap seen; /* path -> entry index, for hard links */
	uint64_t progress_mark;
};

static la_ssize_t la_read(struct archive *a, void *ud, const void **buf)
{
	struct walk_state *ws = ud;
	ssize_t n = bw_decomp_read(ws->dc, buf, &ws->derr);
	if (n < 0) {
		ws->drc = (int)n;
		archive_set_error(a, EIO, "%s", ws->derr.msg);
		return -1;
	}
	if (ws->wc->progress) {
		uint64_t done = __atomic_add_fetch(&ws->wc->bytes_done, (uint64_t)n, __ATOMIC_RELAXED);
		if (done - ws->progress_mark > (8u << 20)) {
			ws->progress_mark = done;
			ws->wc->progress(ws->wc->progress_ud, done,
					 __atomic_load_n(&ws->wc->layers_done, __ATOMIC_RELAXED),
					 ws->wc->n_layers);
		}
	}
	return n;
}

void bw_layer_result_add(struct layer_result *res, const struct bw_file *f)
{
	BW_ALLOC_GROW(res->files, res->n_files + 1, res->cap_files);
	res->files[res->n_files++] = *f;
}

static enum bw_file_type entry_type(struct archive_entry *e)
{
	if (archive_entry_hardlink(e))
		return BW_FILE_HARDLINK;
	switch (archive_entry_filetype(e)) {
	case AE_IFDIR:
		return BW_FILE_DIR;
	case AE_IFLNK:
		return BW_FILE_SYMLINK;
	case AE_IFCHR:
		return BW_FILE_CHAR;
	case AE_IFBLK:
		return BW_FILE_BLOCK;
	case AE_IFIFO:
		return BW_FILE_FIFO;
	default:
		return BW_FILE_REG;
	}
}

/* Clean a tar path into "/a/b" in the arena; hostile forms are errors. */
static int clean_path(struct layer_result *res, const char *raw, const char *what, char **out,
		      struct bw_error *err)
{
	size_t n = strlen(raw);
	if (n > BW_IMG_MAX_PATH)
		return bw_error_set(err, BW_ELIMIT, "%s '%.64s…' is longer than %d bytes", what, raw,
				    BW_IMG_MAX_PATH);
	char tmp[BW_IMG_MAX_PATH + 2];
	bool escapes, absolute;
	bw_path_clean(raw, tmp + 1, &escapes, &absolute);
	if (escapes)
		return bw_error_set(err, BW_EINPUT, "%s '%s' climbs out of the image root with '..'", what,
				    raw);
	if (absolute)
		return bw_error_set(err, BW_EINPUT, "%s '%s' is an absolute path", what, raw);
	tmp[0] = '/';
	*out = bw_arena_strdup(&res->arena, tmp);
	return 0;
}

size_t bw_walk_wanted(struct walk_ctx *wc, void **astate, const bool *skip, const struct bw_file *f,
		      struct bw_walk_wanted *w)
{
	size_t nw = 0;
	for (size_t i = 0; i < wc->n_analyzers; i++) {
		const struct bw_analyzer *an = wc->analyzers[i];
		if (skip && skip[i])
			continue;
		enum bw_want want = an->wants ? an->wants(an->ud, f) : BW_WANT_WHOLE;
		if (want == BW_WANT_NONE)
			continue;
		size_t max = an->max_whole ? an->max_whole : DEFAULT_MAX_WHOLE;
		if ((want == BW_WANT_WHOLE && f->size > max) ||
		    (want == BW_WANT_STREAM && an->max_stream && f->size > an->max_stream)) {
			if (an->skipped)
				an->skipped(astate[i], f, "larger than the analyzer's size limit");
			continue;
		}
		w[nw].an = an;
		w[nw].state = astate[i];
		w[nw].want = want;
		w[nw].max = max;
		nw++;
	}
	return nw;
}

int bw_walk_feed(struct bw_walk_wanted *w, size_t nw, const struct bw_file *f, bw_chunk_read_fn rd,
		 void *rd_ctx, struct bw_error *err)
{
	if (nw == 0)
		return 0;
	struct bw_buf bufs[BW_IMAGE_MAX_ANALYZERS];
	bool failed[BW_IMAGE_MAX_ANALYZERS] = {false};
	for (size_t k = 0; k < nw; k++)
		bw_buf_init(&bufs[k], w[k].max);
	int rc = 0;
	char *chunk = bw_malloc(DATA_CHUNK);
	for (;;) {
		ssize_t n = rd(rd_ctx, chunk, DATA_CHUNK, err);
		if (n < 0) {
			rc = (int)n;
			break;
		}
		for (size_t k = 0; k < nw; k++) {
			if (w[k].want == BW_WANT_STREAM) {
				if (!failed[k]) {
					rc = w[k].an->chunk(w[k].state, f, chunk, (size_t)n, n == 0, err);
					if (rc < 0)
						break;
				}
			} else if (n > 0 && !failed[k] && bw_buf_add(&bufs[k], chunk, (size_t)n) < 0) {
				/* the header lied about the size */
				failed[k] = true;
				if (w[k].an->skipped)
					w[k].an->skipped(w[k].state, f,
							 "larger than the analyzer's size limit");
			}
		}
		if (rc < 0 || n == 0)
			break;
	}
	for (size_t k = 0; k < nw; k++) {
		if (rc == 0 && w[k].want == BW_WANT_WHOLE && !failed[k]) {
			if (!bufs[k].data)
				bw_buf_add(&bufs[k], "", 0);
			rc = w[k].an->file(w[k].state, f, bufs[k].data, bufs[k].len, err);
		}
		bw_buf_release(&bufs[k]);
	}
	free(chunk);
	return rc;
}

int bw_walk_deliver(struct walk_ctx *wc, void **astate, const bool *skip, const struct bw_file *f,
		    bw_chunk_read_fn rd, void *rd_ctx, struct bw_error *err)
{
	struct bw_walk_wanted w[BW_IMAGE_MAX_ANALYZERS];
	size_t nw = bw_walk_wanted(wc, astate, skip, f, w);
	return bw_walk_feed(w, nw, f, rd, rd_ctx, err);
}

struct arch_chunk_ctx {
	struct archive *a;
	struct walk_state *ws;
	const char *path;
};

static ssize_t arch_chunk(void *ctx, void *buf, size_t n, struct bw_error *err)
{
	struct arch_chunk_ctx *c = ctx;
	la_ssize_t r = archive_read_data(c->a, buf, n);
	if (r < 0) {
		if (c->ws->drc)
			return bw_error_set(err, c->ws->drc, "%s", c->ws->derr.msg);
		return bw_error_set(err, BW_EINPUT, "reading %s: %s", c->path, archive_error_string(c->a));
	}
	return r;
}

static int handle_entry(struct walk_state *ws, struct archive *a, struct archive_entry *e,
			struct bw_error *err)
{
	struct layer_result *res = ws->res;
	const char *raw = archive_entry_pathname(e);
	if (!raw)
		raw = archive_entry_pathname_utf8(e);
	if (!raw)
		return bw_error_set(err, BW_EINPUT, "an entry has no readable name");
	char *path;
	int rc = clean_path(res, raw, "path", &path, err);
	if (rc < 0)
		return rc;
	if (path[1] == '\0')
		return 0; /* the root directory itself */
	if (res->n_files >= BW_IMG_MAX_ENTRIES)
		return bw_error_set(err, BW_ELIMIT, "more than %d entries", BW_IMG_MAX_ENTRIES);
	size_t cost = BW_IMG_LISTING_COST(strlen(path));
	if (__atomic_add_fetch(&ws->wc->listing_bytes, cost, __ATOMIC_RELAXED) > BW_IMG_MAX_LISTING)
		return bw_error_set(err, BW_ELIMIT,
				    "the image's layers list more than %u MiB of entries in all (%zu in "
				    "this layer so far): more files than bulwark holds in one scan",
				    BW_IMG_MAX_LISTING >> 20, res->n_files);

	struct bw_file f = {0};
	f.path = path;
	f.layer = ws->layer->index;
	f.mode = (uint32_t)(archive_entry_perm(e) & 07777);
	la_int64_t uid = archive_entry_uid(e), gid = archive_entry_gid(e);
	f.uid = uid < 0 ? 0 : uid > UINT32_MAX ? UINT32_MAX : (uint32_t)uid;
	f.gid = gid < 0 ? 0 : gid > UINT32_MAX ? UINT32_MAX : (uint32_t)gid;

	const char *base = strrchr(path, '/') + 1;
	/* AUFS metadata (".wh..wh.plnk/", ".wh..wh.aufs") is no file of the
	 * image, and nor is anything inside such a directory */
	const char *aufs = strstr(path, "/.wh..wh.");
	if (aufs && aufs + 1 < base)
		return 0;
	if (strncmp(base, ".wh.", 4) == 0) {
		if (strcmp(base, ".wh..wh..opq") == 0) {
			f.type = BW_FILE_OPAQUE;
		} else if (strncmp(base, ".wh..wh.", 8) == 0) {
			return 0; /* AUFS metadata */
		} else if (base[4] == '\0') {
			/* the spec: a whiteout names what it deletes; SHOULD fail */
			return bw_error_set(err, BW_EINPUT,
					    "%s: a whiteout (.wh.) without the name it deletes", path);
		} else {
			f.type = BW_FILE_WHITEOUT;
			size_t dir = (size_t)(base - path);
			char *target = bw_arena_alloc(&res->arena, strlen(path));
			memcpy(target, path, dir);
			memcpy(target + dir, base + 4, strlen(base + 4) + 1);
			f.link = target; /* the path it deletes */
		}
		bw_layer_result_add(res, &f);
		return 0;
	}

	f.type = entry_type(e);
	if (f.type == BW_FILE_HARDLINK) {
		char *target;
		rc = clean_path(res, archive_entry_hardlink(e), "hard link target", &target, err);
		if (rc < 0)
			return bw_error_prefix(err, "%s: ", path);
		f.link = target;
		size_t idx;
		if (bw_pathmap_get(&ws->seen, target, &idx)) {
			f.size = res->files[idx].size;
		} else {
			BW_ALLOC_GROW(res->dangling, res->n_dangling + 1, res->cap_dangling);
			res->dangling[res->n_dangling++] = res->n_files;
		}
	} else if (f.type == BW_FILE_SYMLINK) {
		const char *t = archive_entry_symlink(e);
		if (!t)
			t = archive_entry_symlink_utf8(e);
		if (!t)
			t = "";
		if (strlen(t) > BW_IMG_MAX_PATH)
			return bw_error_set(err, BW_ELIMIT, "%s: symlink target longer than %d bytes", path,
					    BW_IMG_MAX_PATH);
		f.link = bw_arena_strdup(&res->arena, t);
	} else if (f.type == BW_FILE_REG) {
		la_int64_t sz = archive_entry_size(e);
		f.size = sz < 0 ? 0 : (uint64_t)sz;
	}
	bw_pathmap_put(&ws->seen, path, res->n_files);
	bw_layer_result_add(res, &f);

	if (f.type == BW_FILE_REG && ws->wc->n_analyzers) {
		struct arch_chunk_ctx cc = {a, ws, path};
		rc = bw_walk_deliver(ws->wc, ws->res->astate, ws->skip, &f, arch_chunk, &cc, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void bw_walk_begin_states(struct walk_ctx *wc, struct layer_result *res, const struct bw_image_layer *layer,
			  const bool *skip)
{
	bw_layer_result_states(res, wc);
	for (size_t i = 0; i < wc->n_analyzers; i++)
		if ((!skip || !skip[i]) && wc->analyzers[i]->layer_begin)
			res->astate[i] = wc->analyzers[i]->layer_begin(wc->analyzers[i]->ud, layer);
}

void bw_walk_end_states(struct walk_ctx *wc, struct layer_result *res, const bool *skip)
{
	for (size_t i = 0; i < wc->n_analyzers; i++)
		if ((!skip || !skip[i]) && wc->analyzers[i]->layer_end)
			wc->analyzers[i]->layer_end(res->astate[i]);
}

int bw_walk_layer(struct walk_ctx *wc, struct bw_reader *rd, struct bw_image_layer *layer,
		  struct layer_result *res, const bool *skip, struct bw_error *err)
{
	struct walk_state ws = {.wc = wc, .res = res, .layer = layer, .skip = skip};
	int rc = bw_decomp_new(rd, &ws.dc, err);
	if (rc < 0)
		return rc;
	res->compression = bw_compression_name(bw_decomp_kind(ws.dc));
	bw_pathmap_init(&ws.seen);
	bw_walk_begin_states(wc, res, layer, skip);

	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	if (archive_read_open(a, &ws, NULL, la_read, NULL) != ARCHIVE_OK) {
		rc = ws.drc ? bw_error_set(err, ws.drc, "%s", ws.derr.msg)
			    : bw_error_set(err, BW_EINPUT, "%s: not a tar archive: %s", rd->name,
					   archive_error_string(a));
		goto out;
	}
	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			if (ws.drc)
				rc = bw_error_set(err, ws.drc, "%s", ws.derr.msg);
			else
				rc = bw_error_set(err, BW_EINPUT, "%s: %s%s", rd->name,
						  res->n_files ? "broken tar entry after "
							       : "not a tar archive: ",
						  res->n_files ? res->files[res->n_files - 1].path
							       : archive_error_string(a));
			if (res->n_files && !ws.drc) {
				size_t l = strlen(err->msg);
				snprintf(err->msg + l, sizeof(err->msg) - l, " (%s)",
					 archive_error_string(a));
			}
			goto out;
		}
		rc = handle_entry(&ws, a, e, err);
		if (rc < 0) {
			bw_error_prefix(err, "%s: ", rd->name);
			goto out;
		}
	}
	/* the digests cover every byte, including padding after the end marker */
	rc = bw_decomp_drain(ws.dc, err);
	if (rc < 0)
		goto out;
	bw_decomp_digests(ws.dc, res->blob_digest, res->diff_id, &res->raw_bytes, &res->tar_bytes);
	res->walked = true;
	layer->size = (int64_t)res->tar_bytes;
	layer->files = 0;
	for (size_t i = 0; i < res->n_files; i++) {
		if (res->files[i].type == BW_FILE_WHITEOUT || res->files[i].type == BW_FILE_OPAQUE)
			layer->whiteouts++;
		else
			layer->files++;
	}
out:
	bw_walk_end_states(wc, res, skip);
	archive_read_free(a);
	bw_decomp_free(ws.dc);
	bw_pathmap_release(&ws.seen);
	/* a stream's member that is no layer (a VERSION file) is not one done */
	if (rc == 0)
		__atomic_add_fetch(&wc->layers_done, 1, __ATOMIC_RELAXED);
	return rc;
}

void bw_layer_result_init(struct layer_result *r)
{
	memset(r, 0, sizeof(*r));
	bw_arena_init(&r->arena);
}

void bw_layer_result_states(struct layer_result *r, const struct walk_ctx *wc)
{
	if (r->astate)
		return;
	r->analyzers = wc->analyzers;
	r->n_astate = wc->n_analyzers;
	r->astate = bw_calloc(wc->n_analyzers ? wc->n_analyzers : 1, sizeof(void *));
}

void bw_layer_result_drop_states(struct layer_result *r)
{
	for (size_t i = 0; i < r->n_astate; i++)
		if (r->astate[i] && r->analyzers[i]->layer_free)
			r->analyzers[i]->layer_free(r->astate[i]);
	free(r->astate);
	r->astate = NULL;
	r->analyzers = NULL;
	r->n_astate = 0;
}

void bw_layer_result_drop_listing(struct layer_result *r, struct walk_ctx *wc)
{
	if (wc) {
		size_t cost = 0;
		for (size_t i = 0; i < r->n_files; i++)
			cost += BW_IMG_LISTING_COST(strlen(r->files[i].path));
		__atomic_sub_fetch(&wc->listing_bytes, cost, __ATOMIC_RELAXED);
	}
	bw_layer_result_drop_states(r);
	free(r->files);
	free(r->dangling);
	free(r->dangling_src);
	r->files = NULL;
	r->dangling = NULL;
	r->dangling_src = NULL;
	r->n_files = r->cap_files = r->n_dangling = r->cap_dangling = 0;
	/* the identities live in the arena; compression names are static */
	r->n_identities = 0;
	bw_arena_release(&r->arena);
	bw_arena_init(&r->arena);
}

void bw_layer_result_release(struct layer_result *r)
{
	bw_layer_result_drop_states(r);
	free(r->files);
	free(r->dangling);
	free(r->dangling_src);
	bw_arena_release(&r->arena);
	memset(r, 0, sizeof(*r));
}
