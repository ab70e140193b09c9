/* cache — the layer-analysis cache: per-layer results of the walker and of
 * every analyzer that can save them, keyed by layer digests and analyzer
 * version (src/scan/ hands it to the walker as image.h's struct
 * bw_layer_cache; this module knows no image), kept in one SQLite file,
 * $XDG_CACHE_HOME/bulwark/layers.sqlite (~/.cache/bulwark/…).
 *
 * The file carries its schema version and the bulwark version that wrote
 * it: a file from another version, or one that is not a readable database,
 * is set aside and made anew, never read. Records are opaque bytes (at most
 * BW_CACHE_MAX_RECORD); the analyzers that wrote them check them
 * again when they load them. Several processes may use the file at once
 * (WAL, busy timeout, every write its own transaction); within a process,
 * calls are serialised by a mutex, so the walker's threads may share it.
 * A cache that cannot be opened or written never fails a scan: it is
 * simply not used.
 *
 * Ownership: struct bw_cache is opaque, made by bw_cache_open() and
 * released by bw_cache_free().
 */
#ifndef BW_CACHE_H
#define BW_CACHE_H

#include <stdio.h>

#include "core/core.h"

#define BW_CACHE_SCHEMA 1
/* The largest record stored or read back (the walker's
 * BW_IMAGE_CACHE_MAX_RECORD is the same). */
#define BW_CACHE_MAX_RECORD (64u << 20)

struct bw_cache;

/* The default directory: $XDG_CACHE_HOME/bulwark when XDG_CACHE_HOME is
 * absolute, else $HOME/.cache/bulwark. Caller frees. */
char *bw_cache_default_dir(void);

/* Open (creating dir and file as needed) the cache in dir (NULL: the
 * default). Fails only when the directory cannot be made or the file
 * cannot be opened at all; *out is NULL (and 0 returned) when another
 * process holds a cache of another version that this one may not replace. */
int bw_cache_open(const char *dir, struct bw_cache **out, struct bw_error *err);
void bw_cache_free(struct bw_cache *c);

const char *bw_cache_path(const struct bw_cache *c);

/* Look a key up (a miss is 0 with *hit false) and store one. */
int bw_cache_get(struct bw_cache *c, const char *key, struct bw_buf *out, bool *hit);
int bw_cache_put(struct bw_cache *c, const char *key, const void *data, size_t len);

/* Learned runtime profiles (src/monitor/), kept in the same file in their
 * own table, keyed by image id, each with the schema number of its record
 * (the monitor's, independent of BW_CACHE_SCHEMA). They survive the file
 * being made anew for another bulwark version (they are carried over);
 * `cache clean` removes them with the rest. A get of a record written with
 * another schema is a miss. */
int bw_cache_profile_get(struct bw_cache *c, const char *image_id, int schema, struct bw_buf *out, bool *hit);
int bw_cache_profile_put(struct bw_cache *c, const char *image_id, int schema, const void *data, size_t len);

/* What `bulwark cache info` shows. Strings are owned by the struct;
 * release with bw_cache_stats_release(). */
struct bw_cache_analyzer_stats {
	char *name; /* "inventory:1", "walker:1", … */
	uint64_t entries, bytes;
};
struct bw_cache_stats {
	char *path;
	bool exists;
	char *bulwark_version;	 /* of the file; NULL when it has none */
	int schema;		 /* 0 when unknown */
	uint64_t entries, bytes; /* records and their bytes */
	uint64_t file_bytes;	 /* database file with its WAL */
	uint64_t layers;	 /* distinct layers */
	struct bw_cache_analyzer_stats *by_analyzer;
	size_t n_by_analyzer;
};
/* Read-only: never creates or repairs anything. */
int bw_cache_stats(const char *dir, struct bw_cache_stats *st, struct bw_error *err);
void bw_cache_stats_release(struct bw_cache_stats *st);
/* The stats as `bulwark cache info` writes them: {path, exists, usable
 * (this bulwark reads it), schema, bulwark_version, layers, entries, bytes,
 * file_bytes, by_analyzer: {NAME: {entries, bytes}}}, a new reference the
 * caller releases (json_decref); and as a table, write errors left on out. */
json_t *bw_cache_stats_json(const struct bw_cache_stats *st);
void bw_cache_stats_write_table(const struct bw_cache_stats *st, FILE *out);

/* Remove the cache file (and its WAL); *freed gets the bytes it held.
 * BW_EIO naming the file when another process is using it. */
int bw_cache_clean(const char *dir, uint64_t *freed, struct bw_error *err);

#endif
