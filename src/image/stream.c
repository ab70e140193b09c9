/* One streaming pass over an image archive that cannot seek (the engine's
 * "docker save" stream, a compressed or piped archive).
 *
 * The metadata that says which member is which layer (manifest.json,
 * index.json) may come last, so every member is classified by its first
 * bytes as it arrives: small JSON documents are kept in memory, anything
 * else is walked as a layer at once (digests computed on the way). When the
 * stream ends, the metadata is parsed and the walked members are attached
 * to the layers it lists; a member that turns out not to be a layer — or
 * not to be referenced — only matters if the manifest references it.
 */
#include <archive.h>
#include <archive_entry.h>

#include "image-int.h"

struct peek_reader {
	struct archive *a;
	char head[512];
	size_t head_len, head_pos;
};

static ssize_t peek_read(void *ctx, void *buf, size_t n, struct bw_error *err)
{
	struct peek_reader *p = ctx;
	if (p->head_pos < p->head_len) {
		size_t k = p->head_len - p->head_pos;
		if (k > n)
			k = n;
		memcpy(buf, p->head + p->head_pos, k);
		p->head_pos += k;
		return (ssize_t)k;
	}
	la_ssize_t r = archive_read_data(p->a, buf, n);
	if (r < 0)
		return bw_error_set(err, BW_EINPUT, "reading the archive stream: %s",
				    archive_error_string(p->a));
	return r;
}

static bool looks_json(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t')
			continue;
		return p[i] == '{' || p[i] == '[';
	}
	return false;
}

/* bw_image_read_file's second pass: walk img->cat_member alone, then stop. */
static int stream_cat(struct bw_image *img, struct archive *a, struct walk_ctx *wc, struct bw_error *err)
{
	for (size_t count = 0;; count++) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN)
			return bw_error_set(err, BW_EINPUT, "%s: broken or truncated archive: %s",
					    img->location, archive_error_string(a));
		if (count >= BW_IMG_MAX_MEMBERS)
			return bw_error_set(err, BW_ELIMIT, "%s: more than %d members", img->location,
					    BW_IMG_MAX_MEMBERS);
		const char *raw = archive_entry_pathname(e);
		if (!raw || strlen(raw) > BW_IMG_MAX_PATH || archive_entry_filetype(e) != AE_IFREG ||
		    archive_entry_hardlink(e))
			continue;
		char name[BW_IMG_MAX_PATH + 1];
		bool esc, abs;
		bw_path_clean(raw, name, &esc, &abs);
		if (esc || strcmp(name, img->cat_member) != 0)
			continue;
		struct peek_reader pr = {.a = a};
		struct bw_reader rd = {peek_read, &pr, img->cat_member};
		return bw_walk_layer(wc, &rd, img->cat_layer, img->cat_result, NULL, err);
	}
	return bw_error_set(err, BW_EINPUT,
			    "%s: blob %s is not in the archive read again: the source changed", img->location,
			    img->cat_member);
}

int bw_archive_stream_walk(struct bw_image *img, struct archive *a, struct walk_ctx *wc, struct bw_error *err)
{
	if (img->cat_member)
		return stream_cat(img, a, wc, err);
	bool any = false;
	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN)
			return bw_error_set(err, BW_EINPUT, "%s: %s: %s", img->location,
					    any ? "broken or truncated archive"
						: "not a readable tar archive",
					    archive_error_string(a));
		any = true;
		if (img->n_members >= BW_IMG_MAX_MEMBERS)
			return bw_error_set(err, BW_ELIMIT, "%s: more than %d members", img->location,
					    BW_IMG_MAX_MEMBERS);
		const char *raw = archive_entry_pathname(e);
		if (!raw || strlen(raw) > BW_IMG_MAX_PATH)
			return bw_error_set(err, BW_EINPUT, "%s: a member name is missing or too long",
					    img->location);
		char name[BW_IMG_MAX_PATH + 1];
		bool esc, abs;
		bw_path_clean(raw, name, &esc, &abs);
		if (esc)
			return bw_error_set(err, BW_EINPUT, "%s: member '%s' climbs out with '..'",
					    img->location, raw);

		int type = archive_entry_filetype(e);
		if (type == AE_IFLNK || type == AE_IFREG || archive_entry_hardlink(e)) {
			int rc = bw_image_check_member(img, name, err);
			if (rc < 0)
				return rc;
		}
		if (archive_entry_filetype(e) == AE_IFLNK || archive_entry_hardlink(e)) {
			const char *t =
			    archive_entry_hardlink(e) ? archive_entry_hardlink(e) : archive_entry_symlink(e);
			bw_image_add_member_link(img, name, t ? t : "", archive_entry_hardlink(e) != NULL);
			continue;
		}
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;

		struct member *m = bw_image_add_member(img, name);
		m->size = archive_entry_size(e);
		struct peek_reader pr = {.a = a};
		la_ssize_t n = archive_read_data(a, pr.head, sizeof(pr.head));
		if (n < 0)
			return bw_error_set(err, BW_EINPUT, "%s: member %s: %s", img->location, name,
					    archive_error_string(a));
		pr.head_len = (size_t)n;
		if (n == 0)
			continue;
		bool small = m->size >= 0 && m->size <= (int64_t)BW_IMG_MAX_META;
		if (small && (looks_json(pr.head, pr.head_len) || strcmp(name, "oci-layout") == 0 ||
			      strcmp(name, "repositories") == 0)) {
			char *data;
			size_t len;
			int rc = bw_archive_read_member(a, name, pr.head, pr.head_len, &data, &len, err);
			if (rc < 0)
				return bw_error_prefix(err, "%s: ", img->location);
			rc = bw_image_add_blob(img, name, data, len, err);
			if (rc < 0)
				return rc;
			continue;
		}
		/* anything else may be a layer: walk it now */
		struct bw_image_layer *layer = bw_arena_alloc(&img->arena, sizeof(*layer));
		layer->index = -1;
		layer->compressed_size = -1;
		layer->size = -1;
		m->layer = layer;
		m->walked = bw_image_new_result(img);
		struct bw_reader rd = {peek_read, &pr, m->name};
		struct bw_error lerr = BW_ERROR_INIT;
		int rc = bw_walk_layer(wc, &rd, layer, m->walked, NULL, &lerr);
		if (rc < 0) {
			m->walked->rc = rc;
			m->walked->err = lerr;
			/* not a layer (or a broken one, which fails the scan if it
			 * is referenced): what its walk listed goes */
			bw_layer_result_drop_listing(m->walked, wc);
			/* the outer stream itself broke: nothing after this can be read */
			if (archive_errno(a) != 0 && strstr(lerr.msg, "reading the archive stream"))
				return bw_error_set(err, BW_EINPUT, "%s: %s", img->location, lerr.msg);
		}
	}
	if (!any)
		return bw_error_set(err, BW_EINPUT, "%s: an empty archive", img->location);
	return 0;
}

int bw_stream_finish(struct bw_image *img, struct walk_ctx *wc, struct bw_error *err)
{
	int rc = bw_meta_load(img, err);
	if (rc < 0)
		return rc;
	/* members walked that no layer names were not layers: their listings go
	 * before the layers are merged */
	bool *named = bw_calloc(img->n_members ? img->n_members : 1, sizeof(*named));
	for (size_t i = 0; i < img->info.n_layers; i++) {
		const char *want = bw_image_member_target(img, img->refs[i].member);
		struct member *m = want ? bw_image_find_member(img, want) : NULL;
		if (m)
			named[m - img->members] = true;
	}
	for (size_t k = 0; k < img->n_members; k++)
		if (img->members[k].walked && !named[k])
			bw_layer_result_drop_listing(img->members[k].walked, wc);
	free(named);
	/* the configuration, parsed last, is held with the layers' listings */
	if (wc->listing_bytes > BW_IMG_MAX_LISTING ||
	    img->config_tree > BW_IMG_MAX_LISTING - wc->listing_bytes)
		return bw_error_set(
		    err, BW_ELIMIT,
		    "%s: the image's layers list more than %u MiB of entries in all, with its "
		    "configuration (%zu MiB parsed): more than bulwark holds in one scan",
		    img->location, BW_IMG_MAX_LISTING >> 20, img->config_tree >> 20);
	for (size_t i = 0; i < img->info.n_layers; i++) {
		const char *want = bw_image_member_target(img, img->refs[i].member);
		struct member *m = want ? bw_image_find_member(img, want) : NULL;
		if (!m)
			return bw_error_set(err, BW_ENOTFOUND, "layer %zu: blob %s is missing from %s", i,
					    img->refs[i].member, img->location);
		if (!m->walked) {
			if (bw_image_find_blob(img, want))
				return bw_error_set(err, BW_EINPUT, "layer %zu: blob %s is JSON, not a layer",
						    i, img->refs[i].member);
			return bw_error_set(err, BW_EINPUT, "layer %zu: blob %s is empty", i,
					    img->refs[i].member);
		}
		/* the member's own layer record is the one analyzers hold */
		struct bw_image_layer *meta = img->layer_ptrs[i];
		struct bw_image_layer *l = m->layer;
		if (l->index >= 0) {
			/* the same blob twice in one image: a copy for the second place */
			l = bw_arena_alloc(&img->arena, sizeof(*l));
			*l = *m->layer;
		}
		l->index = (int)i;
		l->digest = meta->digest;
		l->diff_id = meta->diff_id;
		l->media_type = meta->media_type;
		l->compressed_size = meta->compressed_size;
		l->created_by = meta->created_by;
		l->created = meta->created;
		l->comment = meta->comment;
		img->layer_ptrs[i] = l;
		img->results[i] = m->walked;
		/* the walk stamped entries with index -1 */
		for (size_t k = 0; k < m->walked->n_files; k++)
			m->walked->files[k].layer = (int)i;
		rc = bw_image_verify_layer(img, i, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}
