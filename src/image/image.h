/* image — image sources, manifests and configurations, the streaming layer
 * walker and the whiteout merge that gives an image's final view.
 *
 * A target names an image (docker-archive:PATH, oci:DIR[:REF],
 * oci-archive:PATH[:REF], docker:NAME[:TAG], dir:PATH,
 * registry:HOST[:PORT]/REPO[:TAG|@DIGEST], or the same without prefix,
 * auto-detected; a bare image name is looked up in the sources of
 * bw_image_opts.image_src in turn, the local engine and then its registry
 * by default). bw_image_open() reads only the metadata (index,
 * manifest, configuration); bw_image_walk() reads every layer once, as a
 * stream, never extracting anything to disk: it checks the blob digest and
 * the diff_id while streaming, records each layer's entries, hands the bytes
 * of wanted files to the registered analyzers, and merges the layers top-down
 * into the final view. Layers of seekable sources are walked in parallel.
 *
 * Ownership: struct bw_image is opaque; bw_image_free() releases it and
 * everything it handed out (info, layers, file entries): those pointers stay
 * valid until then and must not be freed by the caller. The image also
 * owns the analyzers' per-layer states (see struct bw_analyzer) and frees
 * them in bw_image_free(), so the analyzers handed to bw_image_walk() must
 * outlive the image. The one exception: bw_image_inspect_json() returns a
 * document the caller releases.
 */
#ifndef BW_IMAGE_H
#define BW_IMAGE_H

#include "core/core.h"
#include "registry/registry.h"
#include "report/report.h"

struct bw_image;

enum bw_file_type {
	BW_FILE_REG = 0,
	BW_FILE_DIR,
	BW_FILE_SYMLINK,
	BW_FILE_HARDLINK,
	BW_FILE_CHAR,
	BW_FILE_BLOCK,
	BW_FILE_FIFO,
	BW_FILE_WHITEOUT, /* only in per-layer listings: ".wh.NAME" */
	BW_FILE_OPAQUE,	  /* only in per-layer listings: ".wh..wh..opq" */
};
const char *bw_file_type_name(enum bw_file_type t); /* "file", "dir", … */

/* One entry of a layer or of the final view. */
struct bw_file {
	const char *path; /* absolute, cleaned: "/etc/passwd" */
	const char *link; /* symlink target as stored, or hard-link target as an absolute path */
	uint64_t size;	  /* regular files (and hard links: the target's size) */
	uint32_t mode;	  /* permission bits incl. 07000, no type bits */
	uint32_t uid, gid;
	enum bw_file_type type;
	int layer;    /* 0-based index of the layer it comes from */
	bool implied; /* a parent directory no layer lists: made as engines do (root, 0755) */
};

/* "drwxr-sr-x" as ls(1) writes it (setuid/setgid/sticky included) into
 * out, which holds at least 11 bytes. */
void bw_file_mode_string(const struct bw_file *f, char *out);

/* A layer. Streaming sources (docker:, compressed archives) learn the
 * index and the expected digests only at the end of the stream (index is
 * -1 while a layer is walked); after bw_image_walk(), analyzers find their
 * states by layer with bw_image_layer_states(). */
struct bw_image_layer {
	int index;
	const char *digest;  /* blob digest as stored (compressed), "sha256:…" */
	const char *diff_id; /* digest of the uncompressed tar, from the config */
	const char *media_type;
	int64_t compressed_size;		    /* from the manifest; -1 unknown */
	int64_t size;				    /* uncompressed bytes; -1 until walked */
	const char *created_by, *created, *comment; /* the history entry of this layer */
	uint64_t files;				    /* entries in the layer (after walking) */
	uint64_t whiteouts;
};

struct bw_image_history {
	const char *created, *created_by, *comment, *author;
	bool empty_layer;
};

struct bw_image_info {
	const char *target_type; /* "docker-archive", "oci", "oci-archive", "docker", "dir", "registry" */
	const char *name;	 /* the target as the user gave it */
	const char *digest;	 /* manifest digest, or NULL when the source has none */
	const char *config_digest;
	const char *os, *architecture, *variant;
	const char *created, *author;
	json_t *config; /* the configuration blob (borrowed; NULL for dir) */
	const char **repo_tags;
	size_t n_repo_tags;
	struct bw_image_layer *const *layers; /* in order, bottom first */
	size_t n_layers;
	struct bw_image_history *history;
	size_t n_history;
	/* dir: what could not be read (an analyzer wanted a file it cannot
	 * open, a directory it cannot enter): the first BW_IMAGE_UNREADABLE_NAMED
	 * as "PATH: reason", and how many in all (after bw_image_walk()). */
	const char *const *unreadable;
	size_t n_unreadable_named, n_unreadable;
};
#define BW_IMAGE_UNREADABLE_NAMED 20

/* A store of per-layer analysis results the caller may hand to the walker
 * (src/cache/ keeps one in SQLite; image knows nothing of it). Called from
 * the walking threads: both must be thread-safe. get() sets *hit and fills
 * out (whose max it must respect); a store error is reported as a miss
 * (return 0), never as a failed walk. put() failures are ignored.
 *
 * Keys are "<diff_id>/<blob digest>/<name>:<version>", one per analyzer
 * and one for the walker's own listing ("walker:BW_IMAGE_WALKER_VERSION").
 * Only indexed sources (docker-archive and oci-archive files that can
 * seek, oci: layouts) use it, because only there both digests are known
 * before a layer is read. A cached listing is trusted only for bytes
 * already verified: it records the identity of the files it was verified
 * in (device, inode, size, mtime, ctime — as git's index does — and the
 * archive member), and when the listing and every analyzer hit for a file
 * it records, the layer is not read at all. For any other file (another
 * archive that claims the same digests, a blob replaced in place) the
 * blob is read and hashed — no tar walk, no analysis — and a digest,
 * diff_id or size mismatch fails exactly as without a cache. Streaming
 * sources (docker:, compressed or piped archives, dir:) always read
 * everything. Only a walked layer that passed verification is stored. */
struct bw_layer_cache {
	int (*get)(void *ud, const char *key, struct bw_buf *out, bool *hit);
	int (*put)(void *ud, const char *key, const void *data, size_t len);
	void *ud;
};

/* The version of the walker's cached listing: bump it whenever what the
 * walker records per layer (struct bw_file, digests, counts, the verified
 * files' identities) changes. */
#define BW_IMAGE_WALKER_VERSION 3
/* The largest record read back from or written to a layer cache. */
#define BW_IMAGE_CACHE_MAX_RECORD (64u << 20)

struct bw_image_opts {
	const char *platform;		    /* "os/arch[/variant]"; NULL: the host's */
	int jobs;			    /* parallel layer walkers; 0: number of CPUs */
	const char *docker_host;	    /* NULL: DOCKER_HOST or the default socket */
	const struct bw_layer_cache *cache; /* NULL: no cache (borrowed; outlives the image) */
	double deadline; /* docker: bw_now() time after which the engine is asked nothing more
			  * and a transfer in flight stops (engine.h); 0: none */
	/* registry: and bare names looked up in a registry (borrowed; NULL: defaults) */
	const struct bw_registry_opts *registry;
	/* Where a bare image name is looked for, in order: a comma list of
	 * "engine" (or "docker") and "registry" (or "remote"), as Trivy's
	 * --image-src. NULL: "engine,registry". A bad list is BW_EUSAGE. */
	const char *image_src;
	/* dir: targets: glob patterns of the directories not entered and of the
	 * files not looked at (--skip-dirs, --skip-files), NULL-terminated
	 * (borrowed; NULL: none). A pattern is matched with fnmatch(3) and
	 * FNM_PATHNAME against the path relative to the directory ("a/b/c",
	 * a leading "./" or "/" of the pattern ignored); "**" followed by "/"
	 * at its start also matches at any depth ("**" + "/node_modules"). */
	const char *const *skip_dirs, *const *skip_files;
	/* An archive that can be read only once (standard input "-", a pipe):
	 * copy its bytes to an unlinked temporary file (TMPDIR, else /tmp) as
	 * they stream, so that bw_image_read_file can read a layer again.
	 * Other streaming sources (compressed archives, docker:) are read
	 * again from their source without it. */
	bool keep_stream;
};

/* Open a target and read its metadata. Errors name the target, the file or
 * blob, and what is wrong (exit 3 class), BW_EUSAGE for a malformed target. */
int bw_image_open(const char *target, const struct bw_image_opts *opts, struct bw_image **out,
		  struct bw_error *err);
void bw_image_free(struct bw_image *img);
/* Complete after bw_image_walk(); before it, streaming sources have only
 * the target fields. */
const struct bw_image_info *bw_image_info(const struct bw_image *img);

/* ---- analyzers --------------------------------------------------------- */

enum bw_want {
	BW_WANT_NONE = 0,
	BW_WANT_WHOLE,	/* the whole file in one buffer (up to max_whole bytes) */
	BW_WANT_STREAM, /* chunks as they stream, any size */
};

/* At most this many analyzers on one walk. */
#define BW_IMAGE_MAX_ANALYZERS 32

/* An analyzer registers interest in files by path and receives their bytes;
 * it never opens files itself. Layers are walked in parallel: every callback
 * gets the per-layer state it created, so it needs no locking. The walker
 * keeps those states, one per layer, and hands them back by layer index
 * after the walk (bw_image_layer_states()); the image frees them with
 * layer_free. Callbacks return 0, or a negative BW_E* to abort the whole
 * walk (reserve that for broken invariants: a bad file should be a warning
 * in the analyzer's own results, not an abort). */
struct bw_analyzer {
	const char *name;
	unsigned version;
	/* Asked for every regular file: whether and how the analyzer wants it
	 * (it runs on every file of every layer, so it must be cheap). Default:
	 * BW_WANT_WHOLE. */
	enum bw_want (*wants)(void *ud, const struct bw_file *f);
	size_t max_whole; /* larger files are skipped with a warning; 0: 16 MiB */
	/* BW_WANT_STREAM: larger files are not read for it either, but told
	 * to skipped(); 0: any size. A file no analyzer takes is never read
	 * (dir: does not even open it). */
	uint64_t max_stream;
	void *(*layer_begin)(void *ud, const struct bw_image_layer *layer);
	/* BW_WANT_WHOLE: data/len is the whole file. */
	int (*file)(void *layer_state, const struct bw_file *f, const void *data, size_t len,
		    struct bw_error *err);
	/* BW_WANT_STREAM: one call per chunk; last=true on the final call
	 * (which may carry len 0). */
	int (*chunk)(void *layer_state, const struct bw_file *f, const void *data, size_t len, bool last,
		     struct bw_error *err);
	/* A wanted file that could not be delivered (too large, unreadable). */
	void (*skipped)(void *layer_state, const struct bw_file *f, const char *why);
	void (*layer_end)(void *layer_state);
	/* Free a state made by layer_begin or load (bw_image_free() calls it). */
	void (*layer_free)(void *layer_state);
	/* Optional, both or neither: the layer cache. save() (after layer_end)
	 * appends the layer's results to out in the analyzer's own versioned
	 * format; load() makes a state equivalent to one after layer_end from
	 * such bytes, which are untrusted: it checks every bound and returns
	 * NULL (a miss: the layer is read) for anything it does not fully
	 * understand. The state load() returns is owned as layer_begin's is.
	 * Bump `version` whenever what save() writes, or what the analyzer
	 * would find in the same bytes, changes. Analyzers without them are
	 * never served from a cache. */
	int (*save)(void *layer_state, struct bw_buf *out);
	void *(*load)(void *ud, const struct bw_image_layer *layer, const void *data, size_t len);
	void *ud;
};

/* Optional progress callback: called from the walking threads with a
 * snapshot of bytes done (uncompressed) and the layer count done. */
typedef void (*bw_image_progress_fn)(void *ud, uint64_t bytes, size_t layers_done, size_t layers);

/* Walk every layer once with n (at most BW_IMAGE_MAX_ANALYZERS) analyzers.
 * Verifies every digest; a mismatch is BW_EINTEGRITY naming the blob and
 * both digests. Afterwards the final view, per-layer listings and the
 * analyzers' states are available. Call at most once. */
int bw_image_walk(struct bw_image *img, const struct bw_analyzer *const *analyzers, size_t n,
		  bw_image_progress_fn progress, void *progress_ud, struct bw_error *err);
/* The states analyzer `an` (one of those given to bw_image_walk()) made,
 * by layer index, bottom first: *n is info->n_layers, and an entry is NULL
 * where it made none. The array is the image's (valid until
 * bw_image_free()); so are the states. */
void *const *bw_image_layer_states(struct bw_image *img, const struct bw_analyzer *an, size_t *n);

/* ---- results (after bw_image_walk) ------------------------------------ */

/* The final view, sorted by path (byte order). */
const struct bw_file *const *bw_image_final(const struct bw_image *img, size_t *n);
/* The entries of one layer in archive order, whiteouts included. */
const struct bw_file *bw_image_layer_files(const struct bw_image *img, int layer, size_t *n);
/* Look a path up in the final view without following symlinks; NULL if absent. */
const struct bw_file *bw_image_lookup(const struct bw_image *img, const char *path);
/* Resolve path in the final view following symlinks in every component
 * (at most 40 hops; a loop is BW_EINPUT naming the path). *out is NULL
 * (and 0 returned) when the path does not exist. */
int bw_image_resolve(const struct bw_image *img, const char *path, const struct bw_file **out,
		     struct bw_error *err);
/* Totals of the final view. */
void bw_image_totals(const struct bw_image *img, uint64_t *files, uint64_t *bytes);

/* Stream the content of a regular file of the final view (after resolving
 * symlinks) to cb. Re-reads the one layer that holds it: seekable sources
 * open that layer again, streaming ones (compressed archives, docker:,
 * standard input kept with opts.keep_stream) read their stream again up to
 * that layer's member, which must hash to the diff_id of the first pass
 * (BW_EINTEGRITY otherwise, after the bytes were handed to cb). */
typedef int (*bw_image_data_fn)(void *ud, const void *data, size_t len, struct bw_error *err);
int bw_image_read_file(struct bw_image *img, const char *path, bw_image_data_fn cb, void *ud,
		       struct bw_error *err);

/* ---- descriptions (after bw_image_walk) --------------------------------- */

/* The documents `bulwark image inspect` and `bulwark image files` write,
 * for every caller (the command line, a server). Their JSON shapes are
 * public contracts (docs/image.md): fields may be added, none renamed.
 * Tables show the image's strings through bw_report_put_text. The writers
 * leave write errors on out (ferror, fclose) for the caller, who owns out. */
#define BW_IMAGE_INSPECT_SCHEMA "bulwark.inspect/v1"
#define BW_IMAGE_FILES_SCHEMA "bulwark.files/v1"

/* The image as a "bulwark.inspect/v1" document: configuration, platform,
 * layers, history, totals. A new reference that holds copies (it outlives
 * img); the caller releases it with json_decref(). */
json_t *bw_image_inspect_json(const struct bw_image *img);
/* Write that document to out as indented JSON (BW_FORMAT_JSON) or as the
 * human table (BW_FORMAT_TABLE); any other format is BW_EUNSUPPORTED,
 * before anything is written. */
int bw_image_inspect_write(const struct bw_image *img, enum bw_format fmt, FILE *out, struct bw_error *err);
/* Write the final view (layer -1) or the entries of one layer (0 = the
 * bottom one; whiteouts and opaque markers included) as
 * "bulwark.files/v1" (BW_FORMAT_JSON, streamed one entry a line: a million
 * entries never become one tree) or as one ls-like line an entry
 * (BW_FORMAT_TABLE). Before anything is written: BW_EUNSUPPORTED for
 * another format, BW_EUSAGE naming the layer when the image has no such
 * layer. */
int bw_image_files_write(const struct bw_image *img, int layer, enum bw_format fmt, FILE *out,
			 struct bw_error *err);

#endif
