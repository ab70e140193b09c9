/* Private declarations of the image module. */
#ifndef BW_IMAGE_INT_H
#define BW_IMAGE_INT_H

#include <jansson.h>
#include <pthread.h>

#include "image.h"

struct walk_ctx;

/* ---- limits on untrusted input ---- */
#define BW_IMG_MAX_META (4u << 20) /* manifest, index, config: OCI says 4 MiB */
/* The tree of one such document once parsed: 32 times its largest text
 * (real ones take 3 to 6 times, a config of 1.39 million empty Env strings
 * 25 times, a document of "{}" elements 70 times). The configuration's
 * tree, kept while the layers are walked, counts in the listing budget. */
#define BW_IMG_MAX_META_TREE ((size_t)128 << 20)
/* every JSON member an archive's index pass or stream keeps, in all (the
 * metadata of a whole multi-platform archive is a few MiB) */
#define BW_IMG_MAX_KEPT_META (64u << 20)
#define BW_IMG_MAX_LAYERS 1024
#define BW_IMG_MAX_MEMBERS 100000   /* members of an outer archive */
#define BW_IMG_MAX_ENTRIES 20000000 /* entries of one layer */
/* the listings of all the layers of one walk, in bytes: an entry costs its
 * record, its path and its share of the indexes (BW_IMG_LISTING_COST) */
#define BW_IMG_MAX_LISTING (192u << 20)
#define BW_IMG_LISTING_COST(path_len) (sizeof(struct bw_file) + 112 + (path_len))
#define BW_IMG_MAX_PATH 4096
#define BW_IMG_MAX_NEST 4 /* nested indexes */

/* ---- a pull reader over untrusted bytes ---- */
struct bw_reader {
	/* Read up to n bytes; return count, 0 at end, or a negative BW_E*. */
	ssize_t (*read)(void *ctx, void *buf, size_t n, struct bw_error *err);
	void *ctx;
	const char *name; /* names the input in errors */
};

/* ---- one layer's walk result ---- */
#define BW_LAYER_MAX_IDENTITIES 8
struct layer_result {
	struct bw_arena arena;
	struct bw_file *files;
	size_t n_files, cap_files;
	char blob_digest[BW_DIGEST_STR_MAX]; /* sha256 of the bytes as stored */
	char diff_id[BW_DIGEST_STR_MAX];     /* sha256 of the uncompressed tar */
	uint64_t raw_bytes, tar_bytes;
	const char *compression; /* "gzip", "zstd", "none" */
	bool walked;
	int rc; /* walk failed: code and message */
	struct bw_error err;
	/* hard links whose target was not earlier in the same layer */
	size_t *dangling;
	size_t n_dangling, cap_dangling;
	/* where each dangling hard link's bytes are, set by the merge: the
	 * path, the layer that holds it and the entry there whose place says
	 * which copy of the path (one per dangling[]) */
	struct bw_hlink_src {
		const char *path;
		const struct bw_file *at;
		int layer;
	} * dangling_src;
	/* Layer cache: the local files (layer_identity) whose bytes were
	 * verified to be this layer, most recent first, in the arena. */
	const char *identities[BW_LAYER_MAX_IDENTITIES];
	size_t n_identities;
	/* The analyzers' states for this layer, one per analyzer of the walk
	 * that made them (layer_begin or the cache's load), owned here: freed
	 * with each analyzer's layer_free by bw_layer_result_release(). */
	void **astate;
	const struct bw_analyzer *const *analyzers;
	size_t n_astate;
};

void bw_layer_result_init(struct layer_result *r);
void bw_layer_result_release(struct layer_result *r);
/* Give r one (empty) state slot per analyzer of wc; a no-op when it has
 * them. wc's analyzer array must outlive r's states. */
void bw_layer_result_states(struct layer_result *r, const struct walk_ctx *wc);
/* Free r's analyzer states now (each with its analyzer's layer_free). */
void bw_layer_result_drop_states(struct layer_result *r);
/* Free r's listing and states, keeping its digests, sizes and error: the
 * walk of something known not to be a layer. With wc, its entries leave
 * the walk's listing budget. */
void bw_layer_result_drop_listing(struct layer_result *r, struct walk_ctx *wc);
/* A new result owned by the image. */
struct layer_result *bw_image_new_result(struct bw_image *img);
/* Check a walked layer against the digests and size the metadata expects. */
int bw_image_verify_layer(struct bw_image *img, size_t i, struct bw_error *err);
/* Hand the bytes of one file to the analyzers that want it (their states
 * in astate[], one per analyzer of wc), leaving out those with skip[i] set
 * (skip may be NULL); read(ctx,…) returns the next chunk (0 at the end,
 * negative on error). */
typedef ssize_t (*bw_chunk_read_fn)(void *ctx, void *buf, size_t n, struct bw_error *err);
int bw_walk_deliver(struct walk_ctx *wc, void **astate, const bool *skip, const struct bw_file *f,
		    bw_chunk_read_fn rd, void *rd_ctx, struct bw_error *err);
/* bw_walk_deliver in two steps, for a source that must not open a file no
 * analyzer takes (dir:): which analyzers want f, into w (room for
 * BW_IMAGE_MAX_ANALYZERS) — those whose size limit f passes are told
 * through skipped() and left out — then the bytes for them. */
struct bw_walk_wanted {
	const struct bw_analyzer *an;
	void *state;
	enum bw_want want;
	size_t max; /* BW_WANT_WHOLE: the buffer's bound */
};
size_t bw_walk_wanted(struct walk_ctx *wc, void **astate, const bool *skip, const struct bw_file *f,
		      struct bw_walk_wanted *w);
int bw_walk_feed(struct bw_walk_wanted *w, size_t nw, const struct bw_file *f, bw_chunk_read_fn rd,
		 void *rd_ctx, struct bw_error *err);
/* Start and end the analyzers' states of one layer in res (those with
 * skip[i] set are left alone: the cache served them). */
void bw_walk_begin_states(struct walk_ctx *wc, struct layer_result *res, const struct bw_image_layer *layer,
			  const bool *skip);
void bw_walk_end_states(struct walk_ctx *wc, struct layer_result *res, const bool *skip);

/* Where one layer's bytes are. */
struct layer_ref {
	const char *member;	   /* member name in an outer archive, or a blob file path */
	const char *expect_digest; /* manifest descriptor digest (compressed), or NULL */
	const char *expect_diff_id;
	int64_t expect_size; /* descriptor size, -1 unknown */
};

/* A small named blob held in memory (manifest.json, index.json, configs). */
struct small_blob {
	const char *name;
	char *data;
	size_t len;
};

/* Member of an outer archive seen by the index pass. */
struct member {
	const char *name;
	const char *symlink; /* cleaned target when the member is a symlink */
	int64_t size;
	struct layer_result *walked;  /* streaming mode: the result of walking it */
	struct bw_image_layer *layer; /* streaming mode: its layer record */
};

struct source_ops;
struct bw_pathmap;

struct bw_image {
	struct bw_arena arena;
	struct bw_image_info info;
	struct bw_image_opts opts;
	const struct source_ops *ops;
	char *location;	 /* file or directory path, or engine image name */
	char *ref;	 /* oci ":REF" */
	bool streaming;	 /* layers come in one pass, in archive order */
	bool from_stdin; /* the archive is standard input ("-"): read once, never reopened */
	/* An archive that can be read only once (standard input, a pipe) with
	 * opts.keep_stream: the unlinked temporary file its bytes were copied
	 * to as they streamed (-1: none), read again by bw_image_read_file. */
	int spool_fd;
	/* bw_image_read_file on a streaming source: the stream is read again
	 * and only the member cat_member walked, into cat_result as cat_layer
	 * (the stream functions then stop and do not finish the image). */
	const char *cat_member;
	struct layer_result *cat_result;
	struct bw_image_layer *cat_layer;
	bool walked;
	/* the analyzers of the walk (a copy of the caller's array, in the arena) */
	const struct bw_analyzer **analyzers;
	size_t n_analyzers;

	struct layer_ref *refs;	       /* n = info.n_layers */
	struct layer_result **results; /* n = info.n_layers; owned through all_results */
	struct layer_result **all_results;
	size_t n_all_results, cap_all_results;
	struct bw_image_layer **layer_ptrs;

	json_t *config, *manifest, *index;
	json_t *keep; /* nested indexes, kept alive for their descriptors */

	struct small_blob *blobs;
	size_t n_blobs, cap_blobs;
	size_t blob_bytes; /* held by blobs, at most BW_IMG_MAX_KEPT_META */
	/* the heap of the last metadata document parsed, and of the kept
	 * configuration's tree (counted in the walk's listing budget) */
	size_t last_meta_tree, config_tree;
	struct member *members;
	size_t n_members, cap_members;

	/* final view */
	struct bw_file **final;
	size_t n_final, cap_final;
	struct bw_pathmap *final_map; /* path -> index in final */
	uint64_t final_bytes;

	void *source_state; /* owned by the source; freed by ops->close */
};

/* A source backend: one row of the source table (source.c). Adding a source
 * is writing one of these and adding it to that table. */
struct stat;
struct source_ops {
	const char *name; /* the target type when the probe chose it: "archive", "oci", … */
	/* Prefixes that choose this source ("docker-archive:", "oci-archive:"),
	 * NULL-terminated; the target type is then the prefix without its ':'. */
	const char *const *prefixes;
	bool has_ref; /* the rest is "PATH[:REF]" */
	/* A bid for a target without a prefix (st: its stat(2), NULL when it
	 * does not exist): 0 for none; the highest bid wins. Nobody bidding is
	 * "no such file or directory". */
	int (*probe)(const char *target, const struct stat *st);
	/* A bare name this source bids for is an image name: the sources that
	 * bid for it are asked in bw_image_opts.image_src's order. */
	bool by_name;
	/* Read metadata (indexed sources) or prepare (streaming ones). */
	int (*open)(struct bw_image *img, struct bw_error *err);
	/* Indexed sources: a reader for layer i, released by close_reader. */
	int (*open_layer)(struct bw_image *img, size_t i, struct bw_reader *rd, void **handle,
			  struct bw_error *err);
	void (*close_layer)(void *handle);
	/* Indexed sources, optional, both or neither (the layer cache uses
	 * them to know a file it verified): layer_file opens the local file
	 * that holds layer i's bytes for fstat(2) only (the archive, the blob),
	 * returning -1 when it cannot; handle_fd is the file an open_layer
	 * handle reads. */
	int (*layer_file)(struct bw_image *img, size_t i);
	int (*handle_fd)(void *handle);
	/* Remote indexed sources whose layers are fetched by their blob digest
	 * and checked against it (registry:): no other bytes can pass for that
	 * digest, so a listing cached under it (made from verified bytes) is
	 * served without fetching the blob. */
	bool by_digest;
	/* Streaming sources: walk everything in one pass, then call
	 * bw_stream_finish(). */
	int (*stream)(struct bw_image *img, struct walk_ctx *wc, struct bw_error *err);
	void (*close)(struct bw_image *img);
};

extern const struct source_ops bw_source_docker_archive, bw_source_oci, bw_source_engine, bw_source_dir,
    bw_source_registry;
/* Choose img->ops for a target and set img->location, ref and
 * info.target_type; BW_EUSAGE for a malformed target. With forced set,
 * that source is used for the whole target. */
int bw_source_select(struct bw_image *img, const char *target, const struct source_ops *forced,
		     struct bw_error *err);
/* For a bare image name: the by-name sources that bid for it, in the order
 * of image_src (NULL: engine, registry), into order (at most max); *n is 0
 * when the target is not such a name. BW_EUSAGE for a bad image_src. */
int bw_source_name_order(const char *target, const char *image_src, const struct source_ops **order,
			 size_t max, size_t *n, struct bw_error *err);

/* ---- walking ---- */
struct walk_ctx {
	const struct bw_analyzer *const *analyzers;
	size_t n_analyzers;
	bw_image_progress_fn progress;
	void *progress_ud;
	uint64_t bytes_done; /* atomic */
	size_t layers_done;  /* atomic */
	size_t n_layers;
	/* What the listings of the walk's layers hold (entries and their
	 * paths, BW_IMG_LISTING_COST each), atomic: a layer stream can repeat
	 * one 512-byte header millions of times for a few bytes compressed. */
	size_t listing_bytes;
};

/* Walk one layer blob from rd into res, hashing both the stored and the
 * uncompressed bytes and handing wanted files to the analyzers without
 * skip[i] (skip may be NULL). Their states are left in res->astate, after
 * layer_end, for the layer cache to save and the analyzers to read. */
int bw_walk_layer(struct walk_ctx *wc, struct bw_reader *rd, struct bw_image_layer *layer,
		  struct layer_result *res, const bool *skip, struct bw_error *err);

/* ---- the layer cache (layercache.c) ---- */
/* The walker's own record of a layer: its entries, digests, byte counts,
 * compression, and the identities of the files verified to hold it.
 * decode fills a fresh result (layer index `layer` on every entry) and
 * returns false for anything malformed. */
int bw_layer_listing_encode(const struct layer_result *res, struct bw_buf *out);
bool bw_layer_listing_decode(struct layer_result *res, int layer, const void *data, size_t len);
/* Walk layer i of an indexed source through the cache in opts.cache:
 * served whole, partly, or not at all. Same contract as open_layer +
 * bw_walk_layer (errors in res->rc / res->err, verification left to the
 * caller). */
int bw_layer_cached_walk(struct bw_image *img, struct walk_ctx *wc, size_t i, struct bw_error *err);

/* Streaming walk of an outer tar archive (docker save or oci-archive) from
 * a libarchive handle already positioned before its first header. Walks
 * every layer-like member, keeps small JSON members, records symlinks. */
struct archive;
int bw_archive_stream_walk(struct bw_image *img, struct archive *a, struct walk_ctx *wc,
			   struct bw_error *err);
/* After a streaming pass: parse metadata, attach walked members to layers
 * and drop the listings of those that are none; the configuration's tree
 * joins wc's listing budget. */
int bw_stream_finish(struct bw_image *img, struct walk_ctx *wc, struct bw_error *err);

/* ---- metadata ---- */
/* Parse the image metadata from the small blobs (docker manifest.json, or
 * OCI index.json). Fills info, refs, config. */
int bw_meta_load(struct bw_image *img, struct bw_error *err);
/* Like bw_meta_load from an OCI directory (blobs read from files). */
typedef int (*bw_blob_get_fn)(struct bw_image *img, const char *name, struct bw_buf *out,
			      struct bw_error *err);
int bw_meta_load_with(struct bw_image *img, bw_blob_get_fn get, struct bw_error *err);
/* Fill info from a parsed config (platform, created, history → layers). */
int bw_meta_apply_config(struct bw_image *img, json_t *config, const char *config_name, struct bw_error *err);
/* Keep a small blob (data: heap, owned by the image from then on). The
 * blobs of one image hold at most BW_IMG_MAX_KEPT_META bytes in all: past
 * that, data is freed and BW_ELIMIT names the member and location. */
int bw_image_add_blob(struct bw_image *img, const char *name, char *data, size_t len, struct bw_error *err);
const struct small_blob *bw_image_find_blob(const struct bw_image *img, const char *name);
struct member *bw_image_add_member(struct bw_image *img, const char *name);
/* Before adding a member (file or link) of an outer archive: a second member
 * named as image metadata (manifest.json, index.json, oci-layout,
 * repositories) is BW_EINTEGRITY naming it — an engine loads the last one,
 * so the archive does not say which image it holds. */
int bw_image_check_member(struct bw_image *img, const char *name, struct bw_error *err);
struct member *bw_image_find_member(struct bw_image *img, const char *name);
/* The member a name stands for after following member symlinks (and hard
 * links); NULL for a loop. The result may name no member at all. */
const char *bw_image_member_target(const struct bw_image *img, const char *name);
/* Record a symlink (or, absolute=true, a hard link) member; a relative
 * target is taken from the member's directory. */
void bw_image_add_member_link(struct bw_image *img, const char *name, const char *target, bool absolute);
/* Read the current member of an outer archive into a new heap block of at
 * most BW_IMG_MAX_META bytes, after prefix (bytes already read from it). */
int bw_archive_read_member(struct archive *a, const char *name, const char *prefix, size_t prefix_len,
			   char **data, size_t *len, struct bw_error *err);
/* Append an entry to a layer's listing. */
void bw_layer_result_add(struct layer_result *res, const struct bw_file *f);
/* Member name for a blob digest in an OCI layout: "blobs/sha256/<hex>". */
char *bw_blob_member_name(const char *digest);
/* Allocate info.layers / refs / results for n layers. */
void bw_image_alloc_layers(struct bw_image *img, size_t n);

/* ---- files below a directory (beneath.c) ---- */
/* Open name, a relative path, below the directory dirfd without leaving
 * it (openat2 RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS; where the kernel
 * lacks it, bw_openat_walk). A final symlink is never followed. flags are
 * open(2)'s (O_CLOEXEC and O_NOFOLLOW are added). Returns the fd, or -1
 * with errno: EXDEV for a path that would leave the directory. */
int bw_openat_beneath(int dirfd, const char *name, int flags);
/* The fallback: one component at a time, each with O_NOFOLLOW, so no
 * symlink is followed anywhere; "..", an absolute or empty name: EXDEV. */
int bw_openat_walk(int dirfd, const char *name, int flags);

/* ---- merge ---- */
int bw_merge_final(struct bw_image *img, struct bw_error *err);

/* ---- helpers ---- */
const char *bw_img_str(struct bw_image *img, const char *s);
/* The running host's platform as OCI names it: linux/amd64, linux/arm64/v8. */
int bw_host_platform(char *os, size_t oslen, char *arch, size_t archlen, char *variant, size_t varlen);

#endif
