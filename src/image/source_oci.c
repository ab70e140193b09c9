/* OCI image layout directories (image-spec "image-layout.md"): oci-layout,
 * index.json and blobs/<alg>/<hex>, or the "docker save" fallback
 * (manifest.json naming its members). Every file is opened below a
 * descriptor of the layout directory that cannot be left (beneath.c: no
 * "..", no absolute path, no symlink out of it, no final symlink), without
 * waiting (O_NONBLOCK: a FIFO never blocks), and must be a regular file;
 * names come from validated digests or from metadata names checked to be
 * clean relative paths (metadata.c). */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "image-int.h"

struct oci_src {
	int dirfd; /* the layout directory */
};

static int open_blob_file(struct bw_image *img, const char *name, int *fd_out, struct bw_error *err)
{
	const struct oci_src *s = img->source_state;
	/* O_NONBLOCK: a FIFO planted in the layout must not wait for a writer */
	int fd = bw_openat_beneath(s->dirfd, name, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT)
			return bw_error_set(err, BW_ENOTFOUND, "blob %s is missing from %s", name,
					    img->location);
		if (e == EXDEV)
			return bw_error_set(err, BW_EINPUT,
					    "%s: %s leads out of the layout (through '..', an absolute "
					    "path or a symlink): not read",
					    img->location, name);
		if (e == ELOOP)
			return bw_error_set(err, BW_EINPUT, "%s: %s is a symlink: not followed",
					    img->location, name);
		errno = e;
		return bw_error_sys(err, BW_EIO, "%s: cannot open %s", img->location, name);
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return bw_error_set(err, BW_EINPUT, "%s: %s is not a regular file", img->location, name);
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		close(fd);
		return bw_error_sys(err, BW_EIO, "%s: %s", img->location, name);
	}
	*fd_out = fd;
	return 0;
}

static int oci_get(struct bw_image *img, const char *name, struct bw_buf *out, struct bw_error *err)
{
	int fd = -1;
	int rc = open_blob_file(img, name, &fd, err);
	if (rc < 0)
		return rc;
	rc = bw_buf_read_fd(out, fd, name, err);
	close(fd);
	return rc;
}

static int oci_open(struct bw_image *img, struct bw_error *err)
{
	struct oci_src *s = bw_calloc(1, sizeof(*s));
	img->source_state = s;
	s->dirfd = open(img->location, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0) {
		if (errno == ENOTDIR)
			return bw_error_set(
			    err, BW_EINPUT,
			    "%s: an OCI layout must be a directory (use oci-archive: for a tar)",
			    img->location);
		return bw_error_sys(err, errno == ENOENT ? BW_ENOTFOUND : BW_EIO, "%s", img->location);
	}
	return bw_meta_load_with(img, oci_get, err);
}

static void oci_close(struct bw_image *img)
{
	struct oci_src *s = img->source_state;
	if (!s)
		return;
	if (s->dirfd >= 0)
		close(s->dirfd);
	free(s);
	img->source_state = NULL;
}

struct fd_reader {
	int fd;
};

static ssize_t fd_read(void *ctx, void *buf, size_t n, struct bw_error *err)
{
	struct fd_reader *r = ctx;
	for (;;) {
		ssize_t k = read(r->fd, buf, n);
		if (k >= 0)
			return k;
		if (errno != EINTR)
			return bw_error_sys(err, BW_EIO, "read failed");
	}
}

static int oci_open_layer(struct bw_image *img, size_t i, struct bw_reader *rd, void **handle,
			  struct bw_error *err)
{
	int fd = -1;
	int rc = open_blob_file(img, img->refs[i].member, &fd, err);
	if (rc < 0)
		return bw_error_prefix(err, "layer %zu: ", i);
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	struct fd_reader *r = bw_malloc(sizeof(*r));
	r->fd = fd;
	rd->read = fd_read;
	rd->ctx = r;
	rd->name = img->refs[i].member;
	*handle = r;
	return 0;
}

static int oci_layer_file(struct bw_image *img, size_t i)
{
	const struct oci_src *s = img->source_state;
	return bw_openat_beneath(s->dirfd, img->refs[i].member, O_PATH);
}

static int oci_handle_fd(void *handle)
{
	return ((struct fd_reader *)handle)->fd;
}

static void oci_close_layer(void *handle)
{
	struct fd_reader *r = handle;
	if (r) {
		close(r->fd);
		free(r);
	}
}

/* A directory with an index.json: outbids the plain directory. */
static int oci_probe(const char *target, const struct stat *st)
{
	if (!st || !S_ISDIR(st->st_mode))
		return 0;
	char *p = bw_asprintf("%s/index.json", target);
	bool oci = access(p, F_OK) == 0;
	free(p);
	return oci ? 20 : 0;
}

const struct source_ops bw_source_oci = {
    .name = "oci",
    .prefixes = (const char *const[]){"oci:", NULL},
    .has_ref = true,
    .probe = oci_probe,
    .open = oci_open,
    .open_layer = oci_open_layer,
    .close_layer = oci_close_layer,
    .layer_file = oci_layer_file,
    .handle_fd = oci_handle_fd,
    .close = oci_close,
};
