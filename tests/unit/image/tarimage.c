/* Images for the image tests: real tar layers and docker-archives made in
 * memory with libarchive (see tarimage.h). */
#include "tarimage.h"

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>

#define TAR_MAX (64u << 20)

static la_ssize_t to_buf(struct archive *a, void *ud, const void *data, size_t n)
{
	(void)a;
	return bw_buf_add(ud, data, n) < 0 ? -1 : (la_ssize_t)n;
}

static void check(int r, struct archive *a, const char *what)
{
	if (r < ARCHIVE_WARN) {
		fprintf(stderr, "tarimage: %s: %s\n", what, archive_error_string(a));
		abort();
	}
}

void tar_layer_begin(struct tar_layer *l, enum tar_compression comp)
{
	bw_buf_init(&l->tar, TAR_MAX);
	bw_buf_init(&l->blob, TAR_MAX);
	l->comp = comp;
	l->a = archive_write_new();
	check(archive_write_set_format_pax_restricted(l->a), l->a, "pax");
	check(archive_write_open(l->a, &l->tar, NULL, to_buf, NULL), l->a, "open");
}

void tar_layer_add(struct tar_layer *l, const char *name, enum bw_file_type type, const char *link,
		   const char *data, unsigned mode, unsigned uid, unsigned gid)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_perm(e, mode);
	archive_entry_set_uid(e, uid);
	archive_entry_set_gid(e, gid);
	archive_entry_set_mtime(e, 1700000000, 0);
	size_t size = 0;
	switch (type) {
	case BW_FILE_DIR:
		archive_entry_set_filetype(e, AE_IFDIR);
		break;
	case BW_FILE_SYMLINK:
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_symlink(e, link);
		break;
	case BW_FILE_HARDLINK:
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_hardlink(e, link);
		break;
	case BW_FILE_CHAR:
	case BW_FILE_BLOCK:
		archive_entry_set_filetype(e, type == BW_FILE_CHAR ? AE_IFCHR : AE_IFBLK);
		archive_entry_set_rdevmajor(e, 1);
		archive_entry_set_rdevminor(e, 3);
		break;
	case BW_FILE_FIFO:
		archive_entry_set_filetype(e, AE_IFIFO);
		break;
	default:
		archive_entry_set_filetype(e, AE_IFREG);
		size = data ? strlen(data) : 0;
		break;
	}
	archive_entry_set_size(e, (la_int64_t)size);
	check(archive_write_header(l->a, e), l->a, name);
	if (size && archive_write_data(l->a, data, size) != (la_ssize_t)size)
		check(ARCHIVE_FATAL, l->a, name);
	archive_entry_free(e);
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

bool tar_layer_add_spec(struct tar_layer *l, const char *spec)
{
	char *s = bw_strdup(spec);
	char *name = trim(s);
	bool ok = *name != '\0';
	char *arrow, *eq, *sp;
	if ((arrow = strstr(name, " -> ")) || (arrow = strstr(name, " => "))) {
		enum bw_file_type t = arrow[1] == '-' ? BW_FILE_SYMLINK : BW_FILE_HARDLINK;
		*arrow = '\0';
		tar_layer_add(l, trim(name), t, trim(arrow + 4), NULL, t == BW_FILE_SYMLINK ? 0777 : 0644, 0,
			      0);
	} else if ((eq = strchr(name, '='))) {
		*eq = '\0';
		tar_layer_add(l, name, BW_FILE_REG, NULL, eq + 1, 0644, 0, 0);
	} else if ((sp = strchr(name, ' '))) {
		*sp = '\0';
		const char *kind = trim(sp + 1);
		enum bw_file_type t = strcmp(kind, "fifo") == 0	   ? BW_FILE_FIFO
				      : strcmp(kind, "char") == 0  ? BW_FILE_CHAR
				      : strcmp(kind, "block") == 0 ? BW_FILE_BLOCK
								   : BW_FILE_WHITEOUT;
		ok = t != BW_FILE_WHITEOUT;
		if (ok)
			tar_layer_add(l, name, t, NULL, NULL, 0644, 0, 0);
	} else if (name[strlen(name) - 1] == '/') {
		tar_layer_add(l, name, BW_FILE_DIR, NULL, NULL, 0755, 0, 0);
	} else if (ok) {
		tar_layer_add(l, name, BW_FILE_REG, NULL, NULL, 0644, 0, 0);
	}
	free(s);
	return ok;
}

void tar_layer_end(struct tar_layer *l)
{
	check(archive_write_close(l->a), l->a, "close");
	archive_write_free(l->a);
	l->a = NULL;
	if (l->comp == TAR_NONE) {
		bw_buf_add(&l->blob, l->tar.data, l->tar.len);
		return;
	}
	/* the blob: the tar through a compressor, as a registry stores it */
	struct archive *a = archive_write_new();
	check(archive_write_set_format_raw(a), a, "raw");
	check(l->comp == TAR_GZIP ? archive_write_add_filter_gzip(a) : archive_write_add_filter_zstd(a), a,
	      "filter");
	check(archive_write_set_bytes_in_last_block(a, 1), a, "block");
	check(archive_write_open(a, &l->blob, NULL, to_buf, NULL), a, "open");
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, "layer");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_size(e, (la_int64_t)l->tar.len);
	check(archive_write_header(a, e), a, "header");
	if (archive_write_data(a, l->tar.data, l->tar.len) != (la_ssize_t)l->tar.len)
		check(ARCHIVE_FATAL, a, "data");
	archive_entry_free(e);
	check(archive_write_close(a), a, "close");
	archive_write_free(a);
}

void tar_layer_release(struct tar_layer *l)
{
	if (l->a)
		archive_write_free(l->a);
	bw_buf_release(&l->tar);
	bw_buf_release(&l->blob);
}

static void add_member(struct archive *a, const char *name, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	check(archive_write_header(a, e), a, name);
	if (len && archive_write_data(a, data, len) != (la_ssize_t)len)
		check(ARCHIVE_FATAL, a, name);
	archive_entry_free(e);
}

void tar_image_write(const char *path, const struct tar_layer *layers, size_t n)
{
	json_t *ids = json_array(), *members = json_array();
	for (size_t i = 0; i < n; i++) {
		char d[BW_DIGEST_STR_MAX], m[64];
		bw_sha256_str(layers[i].tar.data ? layers[i].tar.data : "", layers[i].tar.len, d);
		json_array_append_new(ids, json_string(d));
		snprintf(m, sizeof(m), "layer%zu/layer.tar", i);
		json_array_append_new(members, json_string(m));
	}
	json_t *config = json_pack("{s:s, s:s, s:{s:s, s:o}}", "architecture", "amd64", "os", "linux",
				   "rootfs", "type", "layers", "diff_ids", ids);
	json_t *manifest = json_pack("[{s:s, s:[s], s:o}]", "Config", "config.json", "RepoTags",
				     "test/image:1", "Layers", members);
	char *cj = json_dumps(config, JSON_COMPACT), *mj = json_dumps(manifest, JSON_COMPACT);

	struct archive *a = archive_write_new();
	check(archive_write_set_format_pax_restricted(a), a, "pax");
	check(archive_write_open_filename(a, path), a, path);
	for (size_t i = 0; i < n; i++) {
		char m[64];
		snprintf(m, sizeof(m), "layer%zu/layer.tar", i);
		add_member(a, m, layers[i].blob.data, layers[i].blob.len);
	}
	add_member(a, "config.json", cj, strlen(cj));
	add_member(a, "manifest.json", mj, strlen(mj));
	check(archive_write_close(a), a, "close");
	archive_write_free(a);
	free(cj);
	free(mj);
	json_decref(config);
	json_decref(manifest);
}

int tar_image_open_walk(const char *path, struct bw_image **out, struct bw_error *err)
{
	char *target = bw_asprintf("docker-archive:%s", path);
	struct bw_image_opts opts = {.jobs = 2};
	*out = NULL;
	int rc = bw_image_open(target, &opts, out, err);
	free(target);
	if (rc == 0)
		rc = bw_image_walk(*out, NULL, 0, NULL, NULL, err);
	return rc;
}
