/* The layer cache seen from the walker: its own listing record, and a walk
 * of one indexed layer that asks the cache first.
 *
 * Listing record (all integers LEB128 varints, strings as core.h's codec):
 *   format (2) · blob digest · diff_id · compression ("gzip"|"zstd"|"none")
 *   · raw bytes · tar bytes · n entries · n × { type · mode · uid · gid ·
 *   size · implied · path · link } · n dangling · n × entry index
 *   · n identities (at most 8) · n × identity
 * Every path is absolute and clean, every bound is checked: a record that
 * fails any check is a miss, and the layer is read.
 *
 * An identity names a local file verified to hold the layer's bytes:
 * "dev:ino:size:mtime:ctime:member" (the times in nanoseconds; member is
 * the blob or archive member name), as git's index knows a file is
 * unchanged. Writing the file changes its ctime, which no user can set
 * back, so a listing is served unread only for a file it lists; any
 * other file is hashed first. A registry's blob is fetched by its digest
 * and checked against it: its listing is served on the digest alone. */
#include <sys/stat.h>
#include <time.h>

#include "decompress.h"

#define LISTING_FORMAT 2
#define IDENTITY_MAX (BW_IMG_MAX_PATH + 160)

int bw_layer_listing_encode(const struct layer_result *res, struct bw_buf *out)
{
	int rc = bw_enc_u64(out, LISTING_FORMAT);
	rc |= bw_enc_str(out, res->blob_digest);
	rc |= bw_enc_str(out, res->diff_id);
	rc |= bw_enc_str(out, res->compression);
	rc |= bw_enc_u64(out, res->raw_bytes);
	rc |= bw_enc_u64(out, res->tar_bytes);
	rc |= bw_enc_u64(out, res->n_files);
	for (size_t i = 0; i < res->n_files && rc == 0; i++) {
		const struct bw_file *f = &res->files[i];
		rc |= bw_enc_u64(out, (uint64_t)f->type);
		rc |= bw_enc_u64(out, f->mode);
		rc |= bw_enc_u64(out, f->uid);
		rc |= bw_enc_u64(out, f->gid);
		rc |= bw_enc_u64(out, f->size);
		rc |= bw_enc_u64(out, f->implied ? 1 : 0);
		rc |= bw_enc_str(out, f->path);
		rc |= bw_enc_str(out, f->link);
	}
	rc |= bw_enc_u64(out, res->n_dangling);
	for (size_t i = 0; i < res->n_dangling && rc == 0; i++)
		rc |= bw_enc_u64(out, res->dangling[i]);
	rc |= bw_enc_u64(out, res->n_identities);
	for (size_t i = 0; i < res->n_identities && rc == 0; i++)
		rc |= bw_enc_str(out, res->identities[i]);
	return rc ? BW_ELIMIT : 0;
}

/* An absolute, clean path below the root, as the walker records them. */
static bool clean_abs(const char *p)
{
	if (!p || p[0] != '/' || !p[1])
		return false;
	size_t n = strlen(p);
	if (n > BW_IMG_MAX_PATH + 1)
		return false;
	char tmp[BW_IMG_MAX_PATH + 2];
	bool escapes, absolute;
	bw_path_clean(p + 1, tmp, &escapes, &absolute);
	return !escapes && !absolute && strcmp(tmp, p + 1) == 0;
}

static const char *compression_of(const char *s)
{
	static const enum bw_compression kinds[] = {BW_COMP_NONE, BW_COMP_GZIP, BW_COMP_ZSTD};
	for (size_t i = 0; s && i < BW_ARRAY_SIZE(kinds); i++)
		if (strcmp(s, bw_compression_name(kinds[i])) == 0)
			return bw_compression_name(kinds[i]);
	return NULL;
}

static bool digest_into(char *out, const char *s)
{
	if (!s || !bw_digest_valid(s) || strlen(s) >= BW_DIGEST_STR_MAX)
		return false;
	memcpy(out, s, strlen(s) + 1);
	return true;
}

bool bw_layer_listing_decode(struct layer_result *res, int layer, const void *data, size_t len)
{
	struct bw_dec d;
	bw_dec_init(&d, data, len);
	if (bw_dec_u64(&d) != LISTING_FORMAT)
		return false;
	if (!digest_into(res->blob_digest, bw_dec_str(&d, &res->arena)) ||
	    !digest_into(res->diff_id, bw_dec_str(&d, &res->arena)))
		return false;
	res->compression = compression_of(bw_dec_str(&d, &res->arena));
	if (!res->compression)
		return false;
	res->raw_bytes = bw_dec_u64(&d);
	res->tar_bytes = bw_dec_u64(&d);
	size_t n = bw_dec_count(&d);
	if (d.bad || n > BW_IMG_MAX_ENTRIES)
		return false;
	res->files = bw_calloc(n ? n : 1, sizeof(*res->files));
	res->cap_files = n ? n : 1;
	for (size_t i = 0; i < n; i++) {
		struct bw_file *f = &res->files[i];
		uint64_t type = bw_dec_max(&d, BW_FILE_OPAQUE);
		f->type = (enum bw_file_type)type;
		f->mode = (uint32_t)bw_dec_max(&d, 07777);
		f->uid = (uint32_t)bw_dec_max(&d, UINT32_MAX);
		f->gid = (uint32_t)bw_dec_max(&d, UINT32_MAX);
		f->size = bw_dec_u64(&d);
		f->implied = bw_dec_max(&d, 1) == 1;
		f->path = bw_dec_str(&d, &res->arena);
		f->link = bw_dec_str(&d, &res->arena);
		f->layer = layer;
		if (d.bad || !clean_abs(f->path))
			return false;
		switch (f->type) {
		case BW_FILE_WHITEOUT:
		case BW_FILE_HARDLINK:
			if (!clean_abs(f->link))
				return false;
			break;
		case BW_FILE_SYMLINK:
			if (!f->link || strlen(f->link) > BW_IMG_MAX_PATH)
				return false;
			break;
		default:
			if (f->link)
				return false;
		}
		res->n_files++;
	}
	size_t nd = bw_dec_count(&d);
	if (d.bad)
		return false;
	res->dangling = bw_calloc(nd ? nd : 1, sizeof(size_t));
	res->cap_dangling = nd ? nd : 1;
	for (size_t i = 0; i < nd; i++) {
		uint64_t k = bw_dec_max(&d, n ? n - 1 : 0);
		if (d.bad || n == 0 || res->files[k].type != BW_FILE_HARDLINK)
			return false;
		res->dangling[res->n_dangling++] = (size_t)k;
	}
	size_t ni = bw_dec_count(&d);
	if (d.bad || ni > BW_LAYER_MAX_IDENTITIES)
		return false;
	for (size_t i = 0; i < ni; i++) {
		const char *id = bw_dec_str(&d, &res->arena);
		if (d.bad || !id || strlen(id) >= IDENTITY_MAX)
			return false;
		res->identities[res->n_identities++] = id;
	}
	return bw_dec_done(&d);
}

static void reset_result(struct layer_result *res)
{
	bw_layer_result_release(res);
	bw_layer_result_init(res);
}

static char *cache_key(const char *prefix, const char *name, unsigned version)
{
	return bw_asprintf("%s%s:%u", prefix, name, version);
}

/* Look key up; true on a hit with its bytes in buf. */
static bool cache_get(const struct bw_layer_cache *c, const char *key, struct bw_buf *buf)
{
	bool hit = false;
	bw_buf_reset(buf);
	if (c->get(c->ud, key, buf, &hit) < 0)
		return false;
	return hit;
}

/* The identity of fd, the file that holds layer i, into out
 * (IDENTITY_MAX bytes); false when it cannot be known. With vouch, also
 * false for a file changed so recently that a write in the same clock
 * tick would leave its times as they are (git's "racily clean"): such a
 * file is hashed again next time rather than trusted. */
static bool layer_identity(struct bw_image *img, size_t i, int fd, bool vouch, char *out)
{
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	if (vouch) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		if (st.st_mtim.tv_sec >= now.tv_sec - 1 || st.st_ctim.tv_sec >= now.tv_sec - 1)
			return false;
	}
	const char *member = bw_image_member_target(img, img->refs[i].member);
	int n = snprintf(out, IDENTITY_MAX, "%llx:%llx:%lld:%lld.%09ld:%lld.%09ld:%s",
			 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino, (long long)st.st_size,
			 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
			 st.st_ctim.tv_nsec, member ? member : "");
	return n > 0 && n < IDENTITY_MAX;
}

/* Is the file that holds layer i now one the listing was verified in? */
static bool listing_vouches(struct bw_image *img, size_t i, const struct layer_result *res)
{
	if (img->ops->by_digest && img->refs[i].expect_digest)
		return true;
	if (!img->ops->layer_file || res->n_identities == 0)
		return false;
	int fd = img->ops->layer_file(img, i);
	char id[IDENTITY_MAX];
	bool known = layer_identity(img, i, fd, false, id);
	if (fd >= 0)
		close(fd);
	for (size_t k = 0; known && k < res->n_identities; k++)
		if (strcmp(res->identities[k], id) == 0)
			return true;
	return false;
}

/* Remember, most recent first, that the file with identity id holds the
 * layer of res; older identities of ids[0..n) follow. */
static void add_identity(struct layer_result *res, const char *id, const char *const *ids, size_t n)
{
	res->n_identities = 0;
	if (id)
		res->identities[res->n_identities++] = bw_arena_strdup(&res->arena, id);
	for (size_t k = 0; k < n && res->n_identities < BW_LAYER_MAX_IDENTITIES; k++)
		if (!id || strcmp(ids[k], id) != 0)
			res->identities[res->n_identities++] = bw_arena_strdup(&res->arena, ids[k]);
}

/* Read layer i through the walker's decompressing, digesting reader
 * without walking its tar: both digests and sizes into res, a failure in
 * res->rc / res->err as a walk's. *id gets the identity of the file read
 * when it can vouch for it. */
static void hash_layer(struct bw_image *img, size_t i, struct layer_result *res, char *id, bool *have_id)
{
	struct bw_reader rd;
	void *h = NULL;
	struct bw_error herr = BW_ERROR_INIT;
	int rc = img->ops->open_layer(img, i, &rd, &h, &herr);
	if (rc == 0) {
		*have_id = img->ops->handle_fd && layer_identity(img, i, img->ops->handle_fd(h), true, id);
		struct bw_decomp *dc;
		rc = bw_decomp_new(&rd, &dc, &herr);
		if (rc == 0) {
			rc = bw_decomp_drain(dc, &herr);
			if (rc == 0)
				bw_decomp_digests(dc, res->blob_digest, res->diff_id, &res->raw_bytes,
						  &res->tar_bytes);
			bw_decomp_free(dc);
		}
		img->ops->close_layer(h);
	}
	if (rc < 0) {
		res->rc = rc;
		res->err = herr;
	}
}

static void put_listing(const struct bw_layer_cache *c, const char *prefix, const struct layer_result *res,
			struct bw_buf *buf)
{
	bw_buf_reset(buf);
	if (bw_layer_listing_encode(res, buf) == 0) {
		char *key = cache_key(prefix, "walker", BW_IMAGE_WALKER_VERSION);
		c->put(c->ud, key, buf->data, buf->len);
		free(key);
	}
}

int bw_layer_cached_walk(struct bw_image *img, struct walk_ctx *wc, size_t i, struct bw_error *err)
{
	const struct bw_layer_cache *c = img->opts.cache;
	struct layer_ref *ref = &img->refs[i];
	struct layer_result *res = img->results[i];
	struct bw_image_layer *layer = img->layer_ptrs[i];
	size_t n = wc->n_analyzers;
	bool *served = bw_calloc(n + 1, sizeof(bool));
	void **astate = bw_calloc(n + 1, sizeof(void *));
	/* Without a blob digest (docker save's legacy "<id>/layer.tar"), only an
	 * uncompressed blob is keyed by its diff_id alone: its digest is the
	 * diff_id, so the listing is the same whichever archive stored it. */
	char *prefix =
	    bw_asprintf("%s/%s/", ref->expect_diff_id, ref->expect_digest ? ref->expect_digest : "-");
	const char *blob = ref->expect_digest ? ref->expect_digest : ref->expect_diff_id;
	struct bw_buf buf;
	bw_buf_init(&buf, BW_IMAGE_CACHE_MAX_RECORD);
	int rc = 0;
	bool identity_ops = img->ops->layer_file && img->ops->handle_fd;
	char id[IDENTITY_MAX];
	bool have_id = false;
	/* the files the listing was verified in, kept across a reset */
	char *old_ids[BW_LAYER_MAX_IDENTITIES];
	size_t n_old = 0;

	char *key = cache_key(prefix, "walker", BW_IMAGE_WALKER_VERSION);
	bool listing =
	    cache_get(c, key, &buf) && bw_layer_listing_decode(res, layer->index, buf.data, buf.len) &&
	    strcmp(res->blob_digest, blob) == 0 && strcmp(res->diff_id, ref->expect_diff_id) == 0 &&
	    (ref->expect_digest || strcmp(res->compression, "none") == 0);
	free(key);
	if (listing)
		for (size_t k = 0; k < res->n_identities; k++)
			old_ids[n_old++] = bw_strdup(res->identities[k]);
	bool all = listing;
	for (size_t k = 0; k < n; k++) {
		const struct bw_analyzer *a = wc->analyzers[k];
		if (a->save && a->load) {
			key = cache_key(prefix, a->name, a->version);
			if (cache_get(c, key, &buf))
				astate[k] = a->load(a->ud, layer, buf.data, buf.len);
			free(key);
			served[k] = astate[k] != NULL;
		}
		all &= served[k];
	}

	if (all && !listing_vouches(img, i, res)) {
		/* cached, but for other bytes than these may be: hash them */
		char listed_blob[BW_DIGEST_STR_MAX], listed_diff[BW_DIGEST_STR_MAX];
		memcpy(listed_blob, res->blob_digest, sizeof(listed_blob));
		memcpy(listed_diff, res->diff_id, sizeof(listed_diff));
		uint64_t listed_raw = res->raw_bytes, listed_tar = res->tar_bytes;
		hash_layer(img, i, res, id, &have_id);
		rc = bw_image_verify_layer(img, i, err);
		if (rc < 0) {
			for (size_t k = 0; k < n; k++)
				if (astate[k] && wc->analyzers[k]->layer_free)
					wc->analyzers[k]->layer_free(astate[k]);
			goto out;
		}
		if (strcmp(listed_blob, res->blob_digest) != 0 || strcmp(listed_diff, res->diff_id) != 0 ||
		    listed_raw != res->raw_bytes || listed_tar != res->tar_bytes) {
			/* the same tar stored otherwise (a legacy layer.tar compressed):
			 * the listing's byte counts are not these; walk it */
			all = false;
		} else if (have_id) {
			add_identity(res, id, (const char *const *)old_ids, n_old);
			put_listing(c, prefix, res, &buf);
		}
	}

	if (!all)
		reset_result(res); /* a listing decoded in part, or not for these bytes */
	/* the states the cache served; the walk makes the others */
	bw_layer_result_states(res, wc);
	memcpy(res->astate, astate, n * sizeof(void *));
	if (all) {
		res->walked = true;
		layer->size = (int64_t)res->tar_bytes;
		layer->files = layer->whiteouts = 0;
		for (size_t f = 0; f < res->n_files; f++) {
			if (res->files[f].type == BW_FILE_WHITEOUT || res->files[f].type == BW_FILE_OPAQUE)
				layer->whiteouts++;
			else
				layer->files++;
		}
		__atomic_add_fetch(&wc->layers_done, 1, __ATOMIC_RELAXED);
		rc = bw_image_verify_layer(img, i, err);
		goto out;
	}

	struct bw_reader rd;
	void *h = NULL;
	struct bw_error werr = BW_ERROR_INIT;
	rc = img->ops->open_layer(img, i, &rd, &h, &werr);
	if (rc == 0) {
		have_id = identity_ops && layer_identity(img, i, img->ops->handle_fd(h), true, id);
		rc = bw_walk_layer(wc, &rd, layer, res, served, &werr);
		img->ops->close_layer(h);
	}
	if (rc < 0) {
		res->rc = rc;
		res->err = werr;
	}
	rc = bw_image_verify_layer(img, i, err);
	if (rc < 0)
		goto out;
	/* verified: remember what was computed, and in which file */
	if (ref->expect_digest || strcmp(res->blob_digest, ref->expect_diff_id) == 0) {
		add_identity(res, have_id ? id : NULL, (const char *const *)old_ids, n_old);
		put_listing(c, prefix, res, &buf);
	}
	for (size_t k = 0; k < n; k++) {
		const struct bw_analyzer *a = wc->analyzers[k];
		if (served[k] || !a->save || !a->load)
			continue;
		bw_buf_reset(&buf);
		if (a->save(res->astate[k], &buf) < 0)
			continue;
		key = cache_key(prefix, a->name, a->version);
		c->put(c->ud, key, buf.data ? buf.data : "", buf.len);
		free(key);
	}
out:
	for (size_t k = 0; k < n_old; k++)
		free(old_ids[k]);
	bw_buf_release(&buf);
	free(prefix);
	free(astate);
	free(served);
	return rc;
}
