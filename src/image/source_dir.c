/* A root filesystem directory (`bulwark fs DIR`, `dir:PATH`): one pseudo
 * layer, walked without following symlinks. Files are opened relative to
 * their directory with O_NOFOLLOW, so a symlink planted in the tree can
 * never redirect a read, and only when an analyzer takes them (a 1 TiB
 * sparse file past every size limit is listed, never opened). A file an
 * analyzer wanted but that cannot be opened, or a directory that cannot be
 * entered, is recorded in the image's "unreadable" list: never skipped in
 * silence. Scanning "/" skips /proc, /sys and /dev. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include "image-int.h"
#include "pathmap.h"

#define MAX_DEPTH 512

struct dir_walk {
	struct bw_image *img;
	struct walk_ctx *wc;
	struct layer_result *res;
	struct bw_pathmap inodes; /* "dev:ino" -> entry index, for hard links */
	bool is_root;
	uint64_t bytes;
	const char **unreadable; /* the first BW_IMAGE_UNREADABLE_NAMED, in the image's arena */
	size_t n_unreadable;
};

static void unreadable(struct dir_walk *w, const char *path, int errnum)
{
	if (w->n_unreadable < BW_IMAGE_UNREADABLE_NAMED) {
		char *msg = bw_asprintf("%s: %s", path[0] ? path : "/", strerror(errnum));
		w->unreadable[w->n_unreadable] = bw_img_str(w->img, msg);
		free(msg);
	}
	w->n_unreadable++;
}

struct fd_chunk {
	int fd;
	const char *path;
};

static ssize_t fd_chunk_read(void *ctx, void *buf, size_t n, struct bw_error *err)
{
	struct fd_chunk *c = ctx;
	for (;;) {
		ssize_t k = read(c->fd, buf, n);
		if (k >= 0)
			return k;
		if (errno != EINTR)
			return bw_error_sys(err, BW_EIO, "%s: read failed", c->path);
	}
}

/* path ("/a/b") matches one of the NULL-terminated patterns (bw_image_opts.skip_dirs) */
static bool skipped(const char *const *pat, const char *path)
{
	const char *rel = path[0] == '/' ? path + 1 : path;
	for (; *pat; pat++) {
		const char *p = *pat;
		if (p[0] == '.' && p[1] == '/')
			p += 2;
		while (p[0] == '/')
			p++;
		if (fnmatch(p, rel, FNM_PATHNAME) == 0)
			return true;
		if (strncmp(p, "**/", 3) != 0)
			continue;
		for (const char *s = rel; s; s = strchr(s, '/')) {
			if (*s == '/')
				s++;
			if (fnmatch(p + 3, s, FNM_PATHNAME) == 0)
				return true;
		}
	}
	return false;
}

static int walk_dir(struct dir_walk *w, int dfd, const char *prefix, int depth, struct bw_error *err)
{
	if (depth > MAX_DEPTH)
		return bw_error_set(err, BW_ELIMIT, "%s: directories nested deeper than %d", prefix,
				    MAX_DEPTH);
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return bw_error_sys(err, BW_EIO, "%s: cannot read directory", prefix[0] ? prefix : "/");
	}
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		const char *n = de->d_name;
		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
			continue;
		if (w->is_root && depth == 0 &&
		    (strcmp(n, "proc") == 0 || strcmp(n, "sys") == 0 || strcmp(n, "dev") == 0))
			continue;
		size_t pl = strlen(prefix) + 1 + strlen(n);
		if (pl > BW_IMG_MAX_PATH) {
			bw_error_set(err, BW_ELIMIT, "%s/%s: path longer than %d bytes", prefix, n,
				     BW_IMG_MAX_PATH);
			rc = BW_ELIMIT;
			break;
		}
		struct stat st;
		char *path = bw_arena_alloc(&w->res->arena, pl + 1);
		snprintf(path, pl + 1, "%s/%s", prefix, n);
		if (fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT) /* else vanished while walking */
				unreadable(w, path, errno);
			continue;
		}
		const char *const *skip =
		    S_ISDIR(st.st_mode) ? w->img->opts.skip_dirs : w->img->opts.skip_files;
		if (skip && skipped(skip, path))
			continue;
		struct bw_file f = {
		    .path = path, .mode = st.st_mode & 07777, .uid = st.st_uid, .gid = st.st_gid};
		switch (st.st_mode & S_IFMT) {
		case S_IFDIR:
			f.type = BW_FILE_DIR;
			break;
		case S_IFLNK: {
			f.type = BW_FILE_SYMLINK;
			char t[BW_IMG_MAX_PATH + 1];
			ssize_t k = readlinkat(dirfd(d), n, t, sizeof(t) - 1);
			t[k < 0 ? 0 : k] = '\0';
			f.link = bw_arena_strdup(&w->res->arena, t);
			break;
		}
		case S_IFCHR:
			f.type = BW_FILE_CHAR;
			break;
		case S_IFBLK:
			f.type = BW_FILE_BLOCK;
			break;
		case S_IFIFO:
			f.type = BW_FILE_FIFO;
			break;
		case S_IFSOCK:
			continue;
		default:
			f.type = BW_FILE_REG;
			f.size = (uint64_t)st.st_size;
			break;
		}
		if (f.type == BW_FILE_REG && st.st_nlink > 1) {
			char key[64];
			snprintf(key, sizeof(key), "%llx:%llx", (unsigned long long)st.st_dev,
				 (unsigned long long)st.st_ino);
			size_t idx;
			if (bw_pathmap_get(&w->inodes, key, &idx)) {
				f.type = BW_FILE_HARDLINK;
				f.link = w->res->files[idx].path;
			} else {
				bw_pathmap_put(&w->inodes, bw_arena_strdup(&w->res->arena, key),
					       w->res->n_files);
			}
		}
		bw_layer_result_add(w->res, &f);
		if (f.type == BW_FILE_REG) {
			w->bytes += f.size;
			struct bw_walk_wanted want[BW_IMAGE_MAX_ANALYZERS];
			size_t nw = bw_walk_wanted(w->wc, w->res->astate, NULL, &f, want);
			if (nw == 0)
				continue; /* no analyzer takes it: not even opened */
			int fd = openat(dirfd(d), n, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
			if (fd < 0) {
				int e = errno;
				if (e == ENOENT)
					continue;	/* vanished while walking */
				unreadable(w, path, e); /* one warning for every analyzer */
				continue;
			}
			struct fd_chunk c = {fd, path};
			rc = bw_walk_feed(want, nw, &f, fd_chunk_read, &c, err);
			close(fd);
			if (rc < 0)
				break;
		} else if (f.type == BW_FILE_DIR) {
			int sub = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				/* listed, not entered: what it holds is not scanned */
				if (errno != ENOENT)
					unreadable(w, path, errno);
				continue;
			}
			rc = walk_dir(w, sub, path, depth + 1, err);
			if (rc < 0)
				break;
		}
	}
	closedir(d);
	return rc;
}

static int dir_open(struct bw_image *img, struct bw_error *err)
{
	struct stat st;
	if (stat(img->location, &st) < 0)
		return bw_error_sys(err, errno == ENOENT ? BW_ENOTFOUND : BW_EIO, "%s", img->location);
	if (!S_ISDIR(st.st_mode))
		return bw_error_set(err, BW_EINPUT, "%s: not a directory", img->location);
	img->streaming = true;
	img->info.target_type = "dir";
	bw_image_alloc_layers(img, 1);
	img->refs[0].member = bw_img_str(img, img->location);
	return 0;
}

static int dir_stream(struct bw_image *img, struct walk_ctx *wc, struct bw_error *err)
{
	struct dir_walk w = {.img = img, .wc = wc};
	w.unreadable = bw_arena_alloc(&img->arena, BW_IMAGE_UNREADABLE_NAMED * sizeof(char *));
	w.res = bw_image_new_result(img);
	img->results[0] = w.res;
	char real[PATH_MAX];
	w.is_root = realpath(img->location, real) && strcmp(real, "/") == 0;
	bw_pathmap_init(&w.inodes);
	struct bw_image_layer *layer = img->layer_ptrs[0];
	bw_walk_begin_states(wc, w.res, layer, NULL);
	int rc;
	int fd = open(img->location, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		rc = bw_error_sys(err, BW_EIO, "%s: cannot open", img->location);
	else
		rc = walk_dir(&w, fd, "", 0, err);
	bw_walk_end_states(wc, w.res, NULL);
	bw_pathmap_release(&w.inodes);
	layer->files = w.res->n_files;
	layer->size = (int64_t)w.bytes;
	w.res->walked = rc == 0;
	img->info.unreadable = w.unreadable;
	img->info.n_unreadable_named =
	    w.n_unreadable < BW_IMAGE_UNREADABLE_NAMED ? w.n_unreadable : BW_IMAGE_UNREADABLE_NAMED;
	img->info.n_unreadable = w.n_unreadable;
	return rc;
}

/* Any directory (an OCI layout bids higher). */
static int dir_probe(const char *target, const struct stat *st)
{
	return st && S_ISDIR(st->st_mode) ? 10 : 0;
}

const struct source_ops bw_source_dir = {
    .name = "dir",
    .prefixes = (const char *const[]){"dir:", NULL},
    .probe = dir_probe,
    .open = dir_open,
    .stream = dir_stream,
};
