/* OCI image layout directories (image-spec "image-layout.md"): oci-layout,
 * index.json and blobs/<alg>/<hex>. Blob files are opened without following
 * a final symlink and must be regular files; names are built only from
 * validated digests, so a hostile index cannot point outside blobs/. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "image-int.h"

static int open_blob_file(struct bw_image *img, const char *name, int *fd_out, struct bw_error *err)
{
	char *p = bw_asprintf("%s/%s", img->location, name);
	int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		int e = errno;
		int rc = e == ENOENT ? bw_error_set(err, BW_ENOTFOUND, "blob %s is missing from %s", name,
						    img->location)
				     : bw_error_sys(err, BW_EIO, "%s: cannot open", p);
		free(p);
		return rc;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		int rc = bw_error_set(err, BW_EINPUT, "%s: not a regular file", p);
		free(p);
		return rc;
	}
	free(p);
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
	struct stat st;
	if (stat(img->location, &st) < 0)
		return bw_error_sys(err, errno == ENOENT ? BW_ENOTFOUND : BW_EIO, "%s", img->location);
	if (!S_ISDIR(st.st_mode))
		return bw_error_set(err, BW_EINPUT,
				    "%s: an OCI layout must be a directory (use oci-archive: for a tar)",
				    img->location);
	return bw_meta_load_with(img, oci_get, err);
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
};
