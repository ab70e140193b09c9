/* The decompressing, digesting byte pipeline under each layer walk.
 *
 * stored bytes ──sha256 (blob digest)──> gzip (ISA-L igzip) | zstd | none
 *              ──sha256 (diff_id)──> tar parser (libarchive, format only)
 *
 * The compression is sniffed from the magic bytes, not trusted from a media
 * type. ISA-L inflates several times faster than zlib and verifies the gzip
 * CRC and length; concatenated gzip members are accepted, and so is zero
 * padding after the last one. zstd frames are decoded with the library's
 * default window limit (128 MiB), which bounds memory against hostile
 * frames.
 */
#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include "decompress.h"

#define IN_CHUNK (256u << 10)
#define OUT_CHUNK (256u << 10)

struct bw_decomp {
	struct bw_reader *src;
	struct bw_sha256 *raw_hash, *tar_hash;
	enum bw_compression kind;
	unsigned char *in;
	size_t in_len, in_pos;
	bool in_eof;
	unsigned char *out;
	struct inflate_state *gz;
	bool gz_member_done;
	ZSTD_DCtx *zd;
	bool zstd_frame_open;
	uint64_t raw_bytes, tar_bytes;
};

static int refill(struct bw_decomp *d, struct bw_error *err)
{
	if (d->in_pos < d->in_len) {
		memmove(d->in, d->in + d->in_pos, d->in_len - d->in_pos);
		d->in_len -= d->in_pos;
	} else {
		d->in_len = 0;
	}
	d->in_pos = 0;
	while (!d->in_eof && d->in_len < IN_CHUNK) {
		ssize_t n = d->src->read(d->src->ctx, d->in + d->in_len, IN_CHUNK - d->in_len, err);
		if (n < 0)
			return (int)n;
		if (n == 0) {
			d->in_eof = true;
			break;
		}
		bw_sha256_update(d->raw_hash, d->in + d->in_len, (size_t)n);
		d->raw_bytes += (uint64_t)n;
		d->in_len += (size_t)n;
		if (d->in_len >= IN_CHUNK / 4)
			break;
	}
	return 0;
}

/* 1 when unread input is buffered, 0 at the end of the input, or an error. */
static int want_input(struct bw_decomp *d, struct bw_error *err)
{
	if (d->in_pos < d->in_len)
		return 1;
	int rc = refill(d, err);
	return rc < 0 ? rc : d->in_len > 0;
}

int bw_decomp_new(struct bw_reader *src, struct bw_decomp **out, struct bw_error *err)
{
	struct bw_decomp *d = bw_calloc(1, sizeof(*d));
	d->src = src;
	d->raw_hash = bw_sha256_new();
	d->tar_hash = bw_sha256_new();
	d->in = bw_malloc(IN_CHUNK);
	d->out = bw_malloc(OUT_CHUNK);
	int rc = refill(d, err);
	if (rc < 0) {
		bw_decomp_free(d);
		return rc;
	}
	const unsigned char *p = d->in;
	if (d->in_len >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		d->kind = BW_COMP_GZIP;
		d->gz = bw_calloc(1, sizeof(*d->gz));
		isal_inflate_init(d->gz);
		d->gz->crc_flag = ISAL_GZIP;
	} else if (d->in_len >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd) {
		d->kind = BW_COMP_ZSTD;
		d->zd = ZSTD_createDCtx();
		if (!d->zd)
			BW_BUG("ZSTD_createDCtx failed");
	} else if (d->in_len >= 3 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h') {
		bw_decomp_free(d);
		return bw_error_set(err, BW_EUNSUPPORTED, "%s: bzip2-compressed layers are not supported",
				    src->name);
	} else if (d->in_len >= 6 && memcmp(p,
					    "\xfd"
					    "7zXZ",
					    5) == 0) {
		bw_decomp_free(d);
		return bw_error_set(err, BW_EUNSUPPORTED, "%s: xz-compressed layers are not supported",
				    src->name);
	} else {
		d->kind = BW_COMP_NONE;
	}
	*out = d;
	return 0;
}

void bw_decomp_free(struct bw_decomp *d)
{
	if (!d)
		return;
	bw_sha256_free(d->raw_hash);
	bw_sha256_free(d->tar_hash);
	free(d->in);
	free(d->out);
	free(d->gz);
	if (d->zd)
		ZSTD_freeDCtx(d->zd);
	free(d);
}

enum bw_compression bw_decomp_kind(const struct bw_decomp *d)
{
	return d->kind;
}

const char *bw_compression_name(enum bw_compression c)
{
	switch (c) {
	case BW_COMP_GZIP:
		return "gzip";
	case BW_COMP_ZSTD:
		return "zstd";
	default:
		return "none";
	}
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static ssize_t read_gzip(struct bw_decomp *d, struct bw_error *err)
{
	for (;;) {
		if (d->gz_member_done) {
			/* after a member: another member, zero padding, or garbage */
			int have = want_input(d, err);
			if (have <= 0)
				return have;
			const unsigned char *p = d->in + d->in_pos;
			size_t avail = d->in_len - d->in_pos;
			if (avail < 2 && !d->in_eof) {
				int rc = refill(d, err);
				if (rc < 0)
					return rc;
				continue;
			}
			if (avail >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
				isal_inflate_reset(d->gz);
				d->gz->crc_flag = ISAL_GZIP;
				d->gz_member_done = false;
			} else if (all_zero(p, avail)) {
				d->in_pos = d->in_len;
				continue;
			} else {
				return bw_error_set(
				    err, BW_EINPUT,
				    "%s: corrupt gzip stream: garbage after the end of the data",
				    d->src->name);
			}
		}
		int have = want_input(d, err);
		if (have < 0)
			return have;
		if (have == 0)
			return bw_error_set(err, BW_EINPUT, "%s: truncated gzip stream", d->src->name);
		d->gz->next_in = d->in + d->in_pos;
		d->gz->avail_in = (uint32_t)(d->in_len - d->in_pos);
		d->gz->next_out = d->out;
		d->gz->avail_out = OUT_CHUNK;
		int ret = isal_inflate(d->gz);
		d->in_pos = d->in_len - d->gz->avail_in;
		size_t produced = OUT_CHUNK - d->gz->avail_out;
		if (ret < 0)
			return bw_error_set(err, BW_EINPUT, "%s: corrupt gzip stream (%s)", d->src->name,
					    ret == ISAL_INCORRECT_CHECKSUM ? "checksum mismatch"
					    : ret == ISAL_INVALID_WRAPPER  ? "bad gzip header"
									   : "invalid deflate data");
		if (d->gz->block_state == ISAL_BLOCK_FINISH)
			d->gz_member_done = true;
		if (produced)
			return (ssize_t)produced;
		if (!d->gz_member_done && d->in_pos == d->in_len && d->in_eof)
			return bw_error_set(err, BW_EINPUT, "%s: truncated gzip stream", d->src->name);
	}
}

static ssize_t read_zstd(struct bw_decomp *d, struct bw_error *err)
{
	for (;;) {
		int have = want_input(d, err);
		if (have < 0)
			return have;
		if (have == 0) {
			if (d->zstd_frame_open)
				return bw_error_set(err, BW_EINPUT, "%s: truncated zstd stream",
						    d->src->name);
			return 0;
		}
		ZSTD_inBuffer in = {d->in, d->in_len, d->in_pos};
		ZSTD_outBuffer out = {d->out, OUT_CHUNK, 0};
		size_t ret = ZSTD_decompressStream(d->zd, &out, &in);
		d->in_pos = in.pos;
		if (ZSTD_isError(ret))
			return bw_error_set(err, BW_EINPUT, "%s: corrupt zstd stream (%s)", d->src->name,
					    ZSTD_getErrorName(ret));
		d->zstd_frame_open = (ret != 0);
		if (out.pos)
			return (ssize_t)out.pos;
	}
}

/* Uncompressed: hand out the input buffer itself, no copy. It stays valid
 * until the next read, as the tar parser's read callback requires. */
static ssize_t read_none(struct bw_decomp *d, const unsigned char **outp, struct bw_error *err)
{
	int have = want_input(d, err);
	if (have <= 0)
		return have;
	size_t n = d->in_len - d->in_pos;
	*outp = d->in + d->in_pos;
	d->in_pos += n;
	return (ssize_t)n;
}

ssize_t bw_decomp_read(struct bw_decomp *d, const void **buf, struct bw_error *err)
{
	ssize_t n;
	const unsigned char *p = d->out;
	switch (d->kind) {
	case BW_COMP_GZIP:
		n = read_gzip(d, err);
		break;
	case BW_COMP_ZSTD:
		n = read_zstd(d, err);
		break;
	default:
		n = read_none(d, &p, err);
		break;
	}
	if (n > 0) {
		bw_sha256_update(d->tar_hash, p, (size_t)n);
		d->tar_bytes += (uint64_t)n;
		*buf = p;
	}
	return n;
}

int bw_decomp_drain(struct bw_decomp *d, struct bw_error *err)
{
	const void *buf;
	ssize_t n;
	while ((n = bw_decomp_read(d, &buf, err)) > 0)
		;
	return n < 0 ? (int)n : 0;
}

void bw_decomp_digests(struct bw_decomp *d, char *blob_digest, char *diff_id, uint64_t *raw_bytes,
		       uint64_t *tar_bytes)
{
	bw_sha256_final_str(d->raw_hash, blob_digest);
	bw_sha256_final_str(d->tar_hash, diff_id);
	*raw_bytes = d->raw_bytes;
	*tar_bytes = d->tar_bytes;
}
