/* Images for the image tests, built in memory as a builder would: each
 * layer a real tar stream (libarchive, pax), the image a "docker save"
 * archive (manifest.json, config with the layers' diff_ids, one member a
 * layer), written to a file the real source, walker and merge then read.
 *
 * Ownership: a struct tar_layer owns its bytes until tar_layer_release();
 * tar_image_write() only reads the layers. */
#ifndef BW_TEST_TARIMAGE_H
#define BW_TEST_TARIMAGE_H

#include "image/image.h"

enum tar_compression { TAR_NONE = 0, TAR_GZIP, TAR_ZSTD };

struct tar_layer {
	struct bw_buf tar;  /* the tar stream */
	struct bw_buf blob; /* as stored: tar compressed as asked (after tar_layer_end) */
	struct archive *a;
	enum tar_compression comp;
};

void tar_layer_begin(struct tar_layer *l, enum tar_compression comp);
/* One entry. type: BW_FILE_REG, _DIR, _SYMLINK, _HARDLINK (link: the target
 * member name), _CHAR, _BLOCK or _FIFO; data: a regular file's bytes. */
void tar_layer_add(struct tar_layer *l, const char *name, enum bw_file_type type, const char *link,
		   const char *data, unsigned mode, unsigned uid, unsigned gid);
/* One entry written as text: "a/" a directory, "a/x" an empty file,
 * "a/x=TEXT" a file holding TEXT, "a/l -> T" a symlink, "a/h => T" a hard
 * link, "a/p fifo", "a/c char", "a/b block". Whiteouts are plain files
 * named ".wh.NAME", as in a real layer. False when spec is malformed. */
bool tar_layer_add_spec(struct tar_layer *l, const char *spec);
void tar_layer_end(struct tar_layer *l);
void tar_layer_release(struct tar_layer *l);

/* Write a docker-archive of n layers (bottom first) to path. */
void tar_image_write(const char *path, const struct tar_layer *layers, size_t n);

/* Open and walk the archive at path; 0 or the first failing call's code. */
int tar_image_open_walk(const char *path, struct bw_image **out, struct bw_error *err);

#endif
