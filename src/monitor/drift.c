/* Drift against the image: is a container's executable one of its image's
 * files? The image's final view comes from the layer walk (image/): read
 * once per image, by one of two worker threads, through the engine (docker:ID). A
 * program is "not in the image" when its path does not resolve to a
 * regular file of the final view, or when it is a memfd. (A file of the
 * image replaced in place keeps its path: that is the one case only an
 * overlay file system's upper layer tells; file times do not, since
 * storage drivers copy layers when a container starts.) Records that
 * need an answer while the image is still being read wait here (bounded),
 * and are matched again when it is ready; an image that cannot be read
 * makes the check "in the image" (no alert), once warned. */
#include "monitor-int.h"
#include "image/image.h"

#define MAX_PENDING_RECORDS 10000
/* Images are read by this many threads at once, so that a small image's
 * containers do not wait behind a large image being read. */
#define DRIFT_WORKERS 2
#define MAX_PENDING_BYTES (64u << 20)

struct pending {
	void *rec;
	size_t len;
};

struct img {
	char *id;
	int state; /* 0 queued or loading, 1 ready, 2 failed */
	struct bw_image *image;
	char err[1024];
	bool warned;
	struct pending *pend;
	size_t npend;
};

struct bw_mon_drift {
	struct bw_mon *m;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t worker[DRIFT_WORKERS];
	int started;
	bool stop;
	struct bw_mon_hash imgs; /* image id -> struct img */
	struct img **queue;
	size_t nqueue;
	size_t pending_bytes;
	uint64_t dropped;
};

static void *worker(void *arg)
{
	struct bw_mon_drift *d = arg;
	pthread_mutex_lock(&d->mu);
	while (!d->stop) {
		if (!d->nqueue) {
			pthread_cond_wait(&d->cv, &d->mu);
			continue;
		}
		struct img *im = d->queue[0];
		memmove(d->queue, d->queue + 1, (d->nqueue - 1) * sizeof(*d->queue));
		d->nqueue--;
		char *target = bw_asprintf("docker:%s", im->id);
		pthread_mutex_unlock(&d->mu);
		struct bw_image_opts io = {.docker_host = d->m->o->docker_host, .jobs = 1};
		struct bw_image *image = NULL;
		struct bw_error err = BW_ERROR_INIT;
		int rc = bw_image_open(target, &io, &image, &err);
		if (rc == 0)
			rc = bw_image_walk(image, NULL, 0, NULL, NULL, &err);
		free(target);
		pthread_mutex_lock(&d->mu);
		if (rc == 0) {
			im->image = image;
			im->state = 1;
		} else {
			bw_image_free(image);
			snprintf(im->err, sizeof(im->err), "%s", err.msg);
			im->state = 2;
		}
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

int bw_mon_drift_new(struct bw_mon *m, struct bw_mon_drift **out)
{
	struct bw_mon_drift *d = bw_calloc(1, sizeof(*d));
	d->m = m;
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->cv, NULL);
	for (int i = 0; i < DRIFT_WORKERS; i++)
		if (pthread_create(&d->worker[d->started], NULL, worker, d) == 0)
			d->started++;
	*out = d;
	return 0;
}

static bool free_img(void *ud, uint64_t k, void *v)
{
	struct img *im = v;
	bw_image_free(im->image);
	for (size_t i = 0; i < im->npend; i++)
		free(im->pend[i].rec);
	free(im->pend);
	free(im->id);
	free(im);
	return true;
}

void bw_mon_drift_free(struct bw_mon_drift *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = true;
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
	/* images being read are finished first (each is bounded by the image) */
	for (int i = 0; i < d->started; i++)
		pthread_join(d->worker[i], NULL);
	bw_mon_hash_sweep(&d->imgs, free_img, NULL);
	bw_mon_hash_release(&d->imgs);
	free(d->queue);
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	free(d);
}

/* The image's entry (made and queued on first sight); the lock is held. */
static struct img *image_of(struct bw_mon_drift *d, const char *id)
{
	struct img *im = bw_mon_hash_sget(&d->imgs, id);
	if (im)
		return im;
	im = bw_calloc(1, sizeof(*im));
	im->id = bw_strdup(id);
	bw_mon_hash_sput(&d->imgs, id, im);
	d->queue = bw_realloc(d->queue, (d->nqueue + 1) * sizeof(*d->queue));
	d->queue[d->nqueue++] = im;
	pthread_cond_signal(&d->cv);
	return im;
}

int bw_mon_drift_check(struct bw_mon_drift *d, struct bw_mon_container *c, struct bw_mon_proc *p)
{
	if (p->drift >= 0)
		return p->drift;
	if (c->host || !c->image_id || !*c->image_id || !p->exepath)
		return 0; /* no image to compare with */
	pthread_mutex_lock(&d->mu);
	struct img *im = image_of(d, c->image_id);
	int state = im->state;
	pthread_mutex_unlock(&d->mu);
	if (state == 0)
		return -1;
	if (state == 2) {
		if (!im->warned) {
			im->warned = true;
			bw_mon_log(d->m, 1,
				   "image %s of container %s could not be read, executables are not checked "
				   "against its layers: %s",
				   im->id, c->name ? c->name : c->id, im->err);
		}
		p->drift = 0;
		return 0;
	}
	int drift = 0;
	if (p->exe_flags & BW_EXEF_MEMFD) {
		drift = 1;
	} else {
		const struct bw_file *f = NULL;
		struct bw_error err = BW_ERROR_INIT;
		if (bw_image_resolve(im->image, p->exepath, &f, &err) != 0 || !f || f->type != BW_FILE_REG)
			drift = 1;
	}
	p->drift = drift;
	return drift;
}

void bw_mon_drift_defer(struct bw_mon_drift *d, struct bw_mon_container *c, const void *rec, size_t len)
{
	if (!c->image_id)
		return;
	pthread_mutex_lock(&d->mu);
	struct img *im = image_of(d, c->image_id);
	if (im->npend >= MAX_PENDING_RECORDS || d->pending_bytes + len > MAX_PENDING_BYTES) {
		d->dropped++;
	} else {
		im->pend = bw_realloc(im->pend, (im->npend + 1) * sizeof(*im->pend));
		/* 8-byte aligned, as the ring buffer's records */
		void *copy = aligned_alloc(8, (len + 7) & ~(size_t)7);
		if (copy) {
			memcpy(copy, rec, len);
			im->pend[im->npend].rec = copy;
			im->pend[im->npend].len = len;
			im->npend++;
			d->pending_bytes += len;
		}
	}
	pthread_mutex_unlock(&d->mu);
}

struct ready_ud {
	struct bw_mon_drift *d;
	struct img **list;
	size_t n;
};

static bool collect_ready(void *ud, uint64_t k, void *v)
{
	struct ready_ud *r = ud;
	struct img *im = v;
	if (im->state != 0 && im->npend) {
		r->list = bw_realloc(r->list, (r->n + 1) * sizeof(*r->list));
		r->list[r->n++] = im;
	}
	return false;
}

void bw_mon_drift_ready(struct bw_mon_drift *d, void (*fn)(void *ud, const void *rec, size_t len), void *ud)
{
	struct ready_ud r = {d, NULL, 0};
	pthread_mutex_lock(&d->mu);
	bw_mon_hash_sweep(&d->imgs, collect_ready, &r);
	struct pending *all = NULL;
	size_t nall = 0;
	for (size_t i = 0; i < r.n; i++) {
		struct img *im = r.list[i];
		all = bw_realloc(all, (nall + im->npend) * sizeof(*all));
		memcpy(all + nall, im->pend, im->npend * sizeof(*all));
		nall += im->npend;
		free(im->pend);
		im->pend = NULL;
		im->npend = 0;
	}
	free(r.list);
	for (size_t i = 0; i < nall; i++)
		d->pending_bytes -= all[i].len;
	pthread_mutex_unlock(&d->mu);
	for (size_t i = 0; i < nall; i++) {
		fn(ud, all[i].rec, all[i].len);
		free(all[i].rec);
	}
	free(all);
}

bool bw_mon_drift_pending(struct bw_mon_drift *d)
{
	bool any = false;
	pthread_mutex_lock(&d->mu);
	any = d->pending_bytes > 0;
	pthread_mutex_unlock(&d->mu);
	return any;
}
