/* Private to src/image: the decompressing, digesting reader (decompress.c). */
#ifndef BW_IMAGE_DECOMPRESS_H
#define BW_IMAGE_DECOMPRESS_H

#include "image-int.h"

enum bw_compression { BW_COMP_NONE = 0, BW_COMP_GZIP, BW_COMP_ZSTD };

struct bw_decomp;

/* Wrap src (borrowed; must outlive the decomp). Reads the first bytes to
 * sniff the compression. */
int bw_decomp_new(struct bw_reader *src, struct bw_decomp **out, struct bw_error *err);
void bw_decomp_free(struct bw_decomp *d);
enum bw_compression bw_decomp_kind(const struct bw_decomp *d);
const char *bw_compression_name(enum bw_compression c);
/* Next block of uncompressed bytes (valid until the next call): count, 0 at
 * the end, or a negative BW_E*. */
ssize_t bw_decomp_read(struct bw_decomp *d, const void **buf, struct bw_error *err);
/* Consume the rest so that both digests cover every byte. */
int bw_decomp_drain(struct bw_decomp *d, struct bw_error *err);
void bw_decomp_digests(struct bw_decomp *d, char *blob_digest, char *diff_id, uint64_t *raw_bytes,
		       uint64_t *tar_bytes);

#endif
