/* Images in a local Docker Engine: GET /images/{name}/json to check that it
 * exists, then GET /images/{name}/get, the "docker save" tar, streamed
 * through a pipe into one streaming pass (stream.c). Nothing is written to
 * disk. DOCKER_HOST is honoured by the engine client. */
#include <archive.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>

#include "image-int.h"
#include "engine/engine.h"

struct engine_src {
	struct bw_engine *engine;
	char *escaped;
	size_t n_layers; /* RootFS.Layers: the total for progress before the stream says */
};

/* An image name or id, as the engine's API takes it in a path segment:
 * "[registry[:port]/]path[:tag][@digest]" or an id. Anything that an HTTP
 * stack could take for a path ("." or ".." components, empty ones, a
 * percent sign, a control byte) is no name: refused before any request. */
static int check_name(const char *name, struct bw_error *err)
{
	const char *why = NULL;
	if (!name[0])
		why = "it is empty";
	for (const char *c = name; !why && *c; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7f || *c == '%' || *c == '\\' || *c == '?' ||
		    *c == '#')
			why = "it holds a character no image name has";
	for (const char *c = name; !why; c++) {
		size_t n = strcspn(c, "/");
		if (n == 0)
			why = "it has an empty path component";
		else if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			why = "it has a '.' or '..' component";
		c += n;
		if (!*c)
			break;
	}
	if (why)
		return bw_error_set(err, BW_EUSAGE, "docker:%s is not an image name: %s", name, why);
	return 0;
}

static int engine_open(struct bw_image *img, struct bw_error *err)
{
	int rc = check_name(img->location, err);
	if (rc < 0)
		return rc;
	struct engine_src *s = bw_calloc(1, sizeof(*s));
	img->source_state = s;
	img->streaming = true;
	struct bw_engine_opts eo = {.host = img->opts.docker_host, .deadline = img->opts.deadline};
	rc = bw_engine_open(&eo, &s->engine, err);
	if (rc < 0)
		return rc;
	s->escaped = bw_engine_escape(img->location);
	char *path = bw_asprintf("/images/%s/json", s->escaped);
	json_t *j = NULL;
	rc = bw_engine_get_json(s->engine, path, 0, &j, err);
	free(path);
	if (rc == BW_ENOTFOUND)
		return bw_error_set(err, BW_ENOTFOUND, "image '%s' not found in the Docker Engine at %s",
				    img->location, bw_engine_host(s->engine));
	if (rc < 0)
		return rc;
	json_t *rd = json_array_get(json_object_get(j, "RepoDigests"), 0);
	const char *at = json_is_string(rd) ? strchr(json_string_value(rd), '@') : NULL;
	if (at && bw_digest_valid(at + 1))
		img->info.digest = bw_img_str(img, at + 1);
	json_t *layers = json_object_get(json_object_get(j, "RootFS"), "Layers");
	s->n_layers = json_is_array(layers) ? json_array_size(layers) : 0;
	json_decref(j);
	return 0;
}

struct pump {
	struct engine_src *s;
	char *path;
	int wfd;
	int rc;
	struct bw_error err;
	bool reader_gone; /* the walk stopped reading: its error is the cause */
};

static int pump_chunk(void *ud, const void *data, size_t len, struct bw_error *err)
{
	struct pump *p = ud;
	const char *c = data;
	while (len) {
		ssize_t n = write(p->wfd, c, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			p->reader_gone = true;
			return bw_error_set(err, BW_EIO, "the reader stopped");
		}
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

static void *pump_main(void *arg)
{
	struct pump *p = arg;
	p->rc = bw_engine_get_stream(p->s->engine, p->path, pump_chunk, p, &p->err);
	close(p->wfd);
	return NULL;
}

static int engine_stream(struct bw_image *img, struct walk_ctx *wc, struct bw_error *err)
{
	struct engine_src *s = img->source_state;
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return bw_error_sys(err, BW_EIO, "pipe");
	signal(SIGPIPE, SIG_IGN);
	/* the tar names its layers at its end (manifest.json): progress counts
	 * against what the engine said beforehand */
	if (!wc->n_layers)
		wc->n_layers = s->n_layers;
	struct pump p = {.s = s, .path = bw_asprintf("/images/%s/get", s->escaped), .wfd = fds[1]};
	pthread_t t;
	if (pthread_create(&t, NULL, pump_main, &p) != 0) {
		close(fds[0]);
		close(fds[1]);
		free(p.path);
		return bw_error_set(err, BW_EIO, "cannot start the engine reader thread");
	}
	struct archive *a = archive_read_new();
	archive_read_support_format_tar(a);
	int rc;
	if (archive_read_open_fd(a, fds[0], 1u << 20) != ARCHIVE_OK)
		rc = bw_error_set(err, BW_EINPUT, "image '%s' from the engine: not a tar stream: %s",
				  img->location, archive_error_string(a));
	else
		rc = bw_archive_stream_walk(img, a, wc, err);
	archive_read_free(a);
	close(fds[0]);
	pthread_join(t, NULL);
	free(p.path);
	if (p.rc < 0 && !p.reader_gone) {
		/* the engine's failure explains a truncated stream better; when
		 * the walk stopped first, its own error is the cause */
		*err = p.err;
		return bw_error_prefix(err, "image '%s': ", img->location);
	}
	if (rc < 0 || img->cat_member)
		return rc;
	return bw_stream_finish(img, wc, err);
}

static void engine_close(struct bw_image *img)
{
	struct engine_src *s = img->source_state;
	if (!s)
		return;
	bw_engine_free(s->engine);
	free(s->escaped);
	free(s);
}

/* Anything that is not a file, unless it is an absolute path (then it is a
 * file that is missing): an image name, the weakest guess. */
static int engine_probe(const char *target, const struct stat *st)
{
	return !st && target[0] != '/' ? 1 : 0;
}

const struct source_ops bw_source_engine = {
    .name = "docker",
    .prefixes = (const char *const[]){"docker:", NULL},
    .probe = engine_probe,
    .by_name = true,
    .open = engine_open,
    .stream = engine_stream,
    .close = engine_close,
};
