/* Tar archives of images: "docker save" output (legacy layout and the OCI
 * layout engines >= 25 write) and oci-archive tars.
 *
 * An uncompressed archive file is seekable: open() reads only the member
 * headers (seeking over the data), keeps the small JSON members in memory
 * and parses the metadata; each layer is later read by its own worker,
 * which reopens the file and seeks to its member, so layers are walked in
 * parallel. A compressed archive (docker save | gzip) or a pipe cannot
 * seek: it is walked in one streaming pass (stream.c), like the engine
 * source.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "image-int.h"

#define OUTER_BLOCK (1u << 20)

static struct archive *outer_new(void)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_bzip2(a);
	return a;
}

/* Clean a member name: "./blobs/sha256/x" -> "blobs/sha256/x". */
static int member_name(const char *raw, char *out, size_t outlen, struct bw_error *err, const char *where)
{
	if (!raw || strlen(raw) >= outlen)
		return bw_error_set(err, BW_EINPUT, "%s: a member name is missing or too long", where);
	bool esc, abs;
	bw_path_clean(raw, out, &esc, &abs);
	if (esc)
		return bw_error_set(err, BW_EINPUT, "%s: member '%s' climbs out with '..'", where, raw);
	return 0;
}

static bool metadata_name(const char *name)
{
	size_t n = strlen(name);
	return strcmp(name, "manifest.json") == 0 || strcmp(name, "index.json") == 0 ||
	       strcmp(name, "oci-layout") == 0 || strcmp(name, "repositories") == 0 ||
	       (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

int bw_archive_read_member(struct archive *a, const char *name, const char *prefix, size_t prefix_len,
			   char **data, size_t *len, struct bw_error *err)
{
	struct bw_buf b;
	bw_buf_init(&b, BW_IMG_MAX_META);
	if (prefix_len)
		bw_buf_add(&b, prefix, prefix_len);
	char chunk[65536];
	for (;;) {
		la_ssize_t n = archive_read_data(a, chunk, sizeof(chunk));
		if (n < 0) {
			bw_buf_release(&b);
			return bw_error_set(err, BW_EINPUT, "%s: %s", name, archive_error_string(a));
		}
		if (n == 0)
			break;
		if (bw_buf_add(&b, chunk, (size_t)n) < 0) {
			bw_buf_release(&b);
			return bw_error_set(err, BW_ELIMIT, "%s: larger than %u bytes", name,
					    BW_IMG_MAX_META);
		}
	}
	*data = bw_buf_detach(&b, len);
	return 0;
}

/* The archive's bytes: its file, or standard input (a copy of fd 0, read
 * once from where it stands). */
static int open_archive(const struct bw_image *img)
{
	if (img->from_stdin)
		return fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
	return open(img->location, O_RDONLY | O_CLOEXEC);
}

static int index_pass(struct bw_image *img, struct bw_error *err)
{
	if (img->from_stdin) {
		img->streaming = true; /* no seeking on standard input, whatever it is */
		return 0;
	}
	bw_autoclose int fd = open(img->location, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bw_error_sys(err, errno == ENOENT ? BW_ENOTFOUND : BW_EIO, "%s: cannot open",
				    img->location);
	struct stat st;
	if (fstat(fd, &st) < 0)
		return bw_error_sys(err, BW_EIO, "%s: cannot stat", img->location);
	if (S_ISDIR(st.st_mode))
		return bw_error_set(err, BW_EINPUT,
				    "%s: is a directory, not an archive (use oci:%s or dir:%s)",
				    img->location, img->location, img->location);
	if (!S_ISREG(st.st_mode)) {
		img->streaming = true; /* a pipe or device: one pass */
		return 0;
	}
	struct archive *a = outer_new();
	int rc = 0;
	if (archive_read_open_fd(a, fd, OUTER_BLOCK) != ARCHIVE_OK) {
		rc = bw_error_set(err, BW_EINPUT, "%s: not a tar archive: %s", img->location,
				  archive_error_string(a));
		goto out;
	}
	bool first = true;
	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			rc = bw_error_set(err, BW_EINPUT, "%s: %s: %s", img->location,
					  first ? "not a readable tar archive" : "broken archive",
					  archive_error_string(a));
			goto out;
		}
		if (first) {
			first = false;
			if (archive_filter_count(a) > 1) {
				img->streaming = true; /* compressed outer archive: no seeking */
				goto out;
			}
		}
		if (img->n_members >= BW_IMG_MAX_MEMBERS) {
			rc = bw_error_set(err, BW_ELIMIT, "%s: more than %d members", img->location,
					  BW_IMG_MAX_MEMBERS);
			goto out;
		}
		char name[BW_IMG_MAX_PATH + 1];
		rc = member_name(archive_entry_pathname(e), name, sizeof(name), err, img->location);
		if (rc < 0)
			goto out;
		int type = archive_entry_filetype(e);
		if (type == AE_IFLNK || type == AE_IFREG || archive_entry_hardlink(e)) {
			rc = bw_image_check_member(img, name, err);
			if (rc < 0)
				goto out;
		}
		if (type == AE_IFLNK) {
			bw_image_add_member_link(
			    img, name, archive_entry_symlink(e) ? archive_entry_symlink(e) : "", false);
			continue;
		}
		if (archive_entry_hardlink(e)) {
			bw_image_add_member_link(img, name, archive_entry_hardlink(e), true);
			continue;
		}
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		struct member *m = bw_image_add_member(img, name);
		m->size = archive_entry_size(e);
		bool small = m->size >= 0 && m->size <= (int64_t)BW_IMG_MAX_META;
		bool want = small && metadata_name(name);
		char peek[1] = {0};
		size_t plen = 0;
		if (!want && small && strncmp(name, "blobs/", 6) == 0) {
			la_ssize_t n = archive_read_data(a, peek, 1);
			if (n == 1) {
				plen = 1;
				want = peek[0] == '{';
			}
		}
		if (want) {
			char *data;
			size_t len;
			rc = bw_archive_read_member(a, name, peek, plen, &data, &len, err);
			if (rc < 0) {
				bw_error_prefix(err, "%s: ", img->location);
				goto out;
			}
			rc = bw_image_add_blob(img, name, data, len, err);
			if (rc < 0)
				goto out;
		}
	}
	if (first)
		rc = bw_error_set(err, BW_EINPUT, "%s: an empty archive", img->location);
out:
	archive_read_free(a);
	return rc;
}

static int archive_open(struct bw_image *img, struct bw_error *err)
{
	int rc = index_pass(img, err);
	if (rc < 0 || img->streaming)
		return rc;
	return bw_meta_load(img, err);
}

struct member_reader {
	struct archive *a;
	int fd;
};

static ssize_t member_read(void *ctx, void *buf, size_t n, struct bw_error *err)
{
	struct member_reader *mr = ctx;
	la_ssize_t r = archive_read_data(mr->a, buf, n);
	if (r < 0)
		return bw_error_set(err, BW_EINPUT, "reading the archive: %s", archive_error_string(mr->a));
	return r;
}

static int archive_open_layer(struct bw_image *img, size_t i, struct bw_reader *rd, void **handle,
			      struct bw_error *err)
{
	const char *want = bw_image_member_target(img, img->refs[i].member);
	if (!want || !bw_image_find_member(img, want))
		return bw_error_set(err, BW_ENOTFOUND, "layer %zu: blob %s is missing from %s", i,
				    img->refs[i].member, img->location);
	struct member_reader *mr = bw_calloc(1, sizeof(*mr));
	mr->fd = open(img->location, O_RDONLY | O_CLOEXEC);
	if (mr->fd < 0) {
		free(mr);
		return bw_error_sys(err, BW_EIO, "%s: cannot open", img->location);
	}
	mr->a = outer_new();
	if (archive_read_open_fd(mr->a, mr->fd, OUTER_BLOCK) != ARCHIVE_OK)
		goto fail;
	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(mr->a, &e);
		if (r == ARCHIVE_EOF || r < ARCHIVE_WARN)
			goto fail;
		char name[BW_IMG_MAX_PATH + 1];
		if (member_name(archive_entry_pathname(e), name, sizeof(name), NULL, "") < 0)
			continue;
		if (strcmp(name, want) == 0 && archive_entry_filetype(e) == AE_IFREG)
			break;
	}
	rd->read = member_read;
	rd->ctx = mr;
	rd->name = img->refs[i].member;
	*handle = mr;
	return 0;
fail:
	bw_error_set(err, BW_EINPUT, "layer %zu: cannot find blob %s in %s again: %s", i, want, img->location,
		     archive_error_string(mr->a) ? archive_error_string(mr->a) : "not found");
	archive_read_free(mr->a);
	close(mr->fd);
	free(mr);
	return err ? err->code : BW_EINPUT;
}

static int archive_layer_file(struct bw_image *img, size_t i)
{
	(void)i; /* every member lives in the one archive file */
	return open(img->location, O_PATH | O_CLOEXEC);
}

static int archive_handle_fd(void *handle)
{
	return ((struct member_reader *)handle)->fd;
}

static void archive_close_layer(void *handle)
{
	struct member_reader *mr = handle;
	if (!mr)
		return;
	archive_read_free(mr->a);
	close(mr->fd);
	free(mr);
}

/* The outer archive's bytes, copied to the spool as they are read. */
struct tee {
	int fd, spool;
	char *buf;
	bool failed; /* the copy could not be written: kept nothing */
};

static la_ssize_t tee_read(struct archive *a, void *ud, const void **out)
{
	struct tee *t = ud;
	ssize_t n;
	do
		n = read(t->fd, t->buf, OUTER_BLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "read failed: %s", strerror(errno));
		return -1;
	}
	for (ssize_t done = 0; n > 0 && !t->failed && done < n;) {
		ssize_t w = write(t->spool, t->buf + done, (size_t)(n - done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			t->failed = true;
		else
			done += w;
	}
	*out = t->buf;
	return n;
}

/* An unlinked temporary file, or -1. */
static int spool_open(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || strcmp(dir, "/tmp") == 0)
		return fd;
	return open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

static int archive_stream(struct bw_image *img, struct walk_ctx *wc, struct bw_error *err)
{
	/* an archive read once (standard input, a pipe) and kept: read the copy again */
	bool again = img->spool_fd >= 0;
	bw_autoclose int fd = again ? fcntl(img->spool_fd, F_DUPFD_CLOEXEC, 0) : open_archive(img);
	if (fd < 0)
		return bw_error_sys(err, BW_EIO, "%s: cannot open", img->location);
	if (again && lseek(fd, 0, SEEK_SET) < 0)
		return bw_error_sys(err, BW_EIO, "%s: cannot read the kept copy again", img->location);
	struct stat st;
	struct tee t = {.fd = fd, .spool = -1};
	if (!again && img->opts.keep_stream &&
	    (img->from_stdin || (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)))) {
		t.spool = spool_open();
		if (t.spool < 0)
			return bw_error_sys(err, BW_EIO,
					    "%s: cannot make a temporary file to keep the stream in",
					    img->location);
		t.buf = bw_malloc(OUTER_BLOCK);
	}
	struct archive *a = outer_new();
	int rc;
	int orc = t.spool >= 0 ? archive_read_open(a, &t, NULL, tee_read, NULL)
			       : archive_read_open_fd(a, fd, OUTER_BLOCK);
	if (orc != ARCHIVE_OK)
		rc = bw_error_set(err, BW_EINPUT, "%s: not a tar archive: %s", img->location,
				  archive_error_string(a));
	else
		rc = bw_archive_stream_walk(img, a, wc, err);
	archive_read_free(a);
	free(t.buf);
	if (t.spool >= 0) {
		if (rc == 0 && t.failed)
			rc = bw_error_sys(err, BW_EIO,
					  "%s: the temporary copy of the stream could not be written",
					  img->location);
		if (rc == 0)
			img->spool_fd = t.spool;
		else
			close(t.spool);
	}
	if (rc < 0 || img->cat_member)
		return rc;
	return bw_stream_finish(img, wc, err);
}

/* Any existing file that is not a directory: a tar, compressed or not. */
static int archive_probe(const char *target, const struct stat *st)
{
	return st && !S_ISDIR(st->st_mode) ? 10 : 0;
}

const struct source_ops bw_source_docker_archive = {
    .name = "archive",
    .prefixes = (const char *const[]){"docker-archive:", "oci-archive:", NULL},
    .has_ref = true,
    .probe = archive_probe,
    .open = archive_open,
    .open_layer = archive_open_layer,
    .close_layer = archive_close_layer,
    .layer_file = archive_layer_file,
    .handle_fd = archive_handle_fd,
    .stream = archive_stream,
};
