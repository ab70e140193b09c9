/* Unit tests of the walker's ownership of analyzer states: one state per
 * layer, handed back by layer index after the walk (bw_image_layer_states),
 * each freed exactly once by bw_image_free(), whether the layers were read
 * in parallel from a seekable archive, streamed from a compressed one (the
 * manifest last, so layers are walked before their index is known, and a
 * stray member that is no layer, whose state goes early), or served by a
 * layer cache. The images
 * are docker-archive tars written here with libarchive. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <unistd.h>

#include "image/image.h"

/* ---- building images ---- */

struct mem {
	char *data;
	size_t len;
};

static void add_entry(struct archive *a, const char *name, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	if (len)
		assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
	archive_entry_free(e);
}

/* A layer tar holding the files "/layerN/fileK" for K < files. */
static struct mem make_layer(int n, int files)
{
	struct mem m = {0};
	size_t cap = 1 << 20;
	m.data = bw_malloc(cap);
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	archive_write_set_bytes_in_last_block(a, 1);
	assert_int_equal(archive_write_open_memory(a, m.data, cap, &m.len), ARCHIVE_OK);
	for (int k = 0; k < files; k++) {
		char name[64], body[64];
		snprintf(name, sizeof(name), "layer%d/file%d", n, k);
		snprintf(body, sizeof(body), "layer %d file %d\n", n, k);
		add_entry(a, name, body, strlen(body));
	}
	archive_write_close(a);
	archive_write_free(a);
	return m;
}

/* A docker-archive of `layers` layers (layer i has i + 1 files); the
 * manifest first or last; gzip-compressed or not; with a stray member. */
static char *make_archive(const char *dir, int layers, bool manifest_last, bool gzip, bool stray)
{
	char *path = bw_asprintf("%s/image-%d-%d-%d-%d.tar%s", dir, layers, manifest_last, gzip, stray,
				 gzip ? ".gz" : "");
	struct mem ls[8];
	char ids[8][BW_DIGEST_STR_MAX];
	for (int i = 0; i < layers; i++) {
		ls[i] = make_layer(i, i + 1);
		bw_sha256_str(ls[i].data, ls[i].len, ids[i]);
	}
	struct bw_buf cfg, man;
	bw_buf_init(&cfg, 1 << 16);
	bw_buf_init(&man, 1 << 16);
	bw_buf_printf(&cfg, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
			    "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
	bw_buf_printf(&man, "[{\"Config\":\"config.json\",\"RepoTags\":[\"t:1\"],\"Layers\":[");
	for (int i = 0; i < layers; i++) {
		bw_buf_printf(&cfg, "%s\"%s\"", i ? "," : "", ids[i]);
		bw_buf_printf(&man, "%s\"l%d/layer.tar\"", i ? "," : "", i);
	}
	bw_buf_printf(&cfg, "]},\"history\":[]}");
	bw_buf_printf(&man, "]}]");

	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	if (gzip)
		archive_write_add_filter_gzip(a);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	if (!manifest_last) {
		add_entry(a, "manifest.json", man.data, man.len);
		add_entry(a, "config.json", cfg.data, cfg.len);
	}
	if (stray) {
		struct mem s = make_layer(7, 2); /* a tar no manifest names */
		add_entry(a, "stray/layer.tar", s.data, s.len);
		free(s.data);
	}
	for (int i = 0; i < layers; i++) {
		char name[32];
		snprintf(name, sizeof(name), "l%d/layer.tar", i);
		add_entry(a, name, ls[i].data, ls[i].len);
		free(ls[i].data);
	}
	if (manifest_last) {
		add_entry(a, "config.json", cfg.data, cfg.len);
		add_entry(a, "manifest.json", man.data, man.len);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	bw_buf_release(&cfg);
	bw_buf_release(&man);
	return path;
}

/* ---- a counting analyzer ---- */

struct counts {
	int begun, ended, loaded, freed;
};

struct state {
	struct counts *c;
	char first[64]; /* the first file of the layer, "/layerN/file0" */
	int files;
	bool ended;
};

static void *st_begin(void *ud, const struct bw_image_layer *layer)
{
	struct counts *c = ud;
	__atomic_add_fetch(&c->begun, 1, __ATOMIC_RELAXED);
	struct state *s = bw_calloc(1, sizeof(*s));
	s->c = c;
	return s;
}

static int st_file(void *state, const struct bw_file *f, const void *data, size_t len, struct bw_error *err)
{
	struct state *s = state;
	if (!s->files++)
		snprintf(s->first, sizeof(s->first), "%s", f->path);
	return 0;
}

static void st_end(void *state)
{
	struct state *s = state;
	s->ended = true;
	__atomic_add_fetch(&s->c->ended, 1, __ATOMIC_RELAXED);
}

static void st_free(void *state)
{
	struct state *s = state;
	__atomic_add_fetch(&s->c->freed, 1, __ATOMIC_RELAXED);
	free(s);
}

static int st_save(void *state, struct bw_buf *out)
{
	const struct state *s = state;
	return bw_buf_printf(out, "%d %s", s->files, s->first);
}

static void *st_load(void *ud, const struct bw_image_layer *layer, const void *data, size_t len)
{
	struct counts *c = ud;
	struct state *s = bw_calloc(1, sizeof(*s));
	s->c = c;
	char text[128];
	snprintf(text, sizeof(text), "%.*s", (int)len, (const char *)data);
	if (sscanf(text, "%d %63s", &s->files, s->first) != 2) {
		free(s);
		return NULL;
	}
	s->ended = true;
	__atomic_add_fetch(&c->loaded, 1, __ATOMIC_RELAXED);
	return s;
}

static struct bw_analyzer counting(struct counts *c, bool cached)
{
	return (struct bw_analyzer){
	    .name = "counting",
	    .version = 1,
	    .layer_begin = st_begin,
	    .file = st_file,
	    .layer_end = st_end,
	    .layer_free = st_free,
	    .save = cached ? st_save : NULL,
	    .load = cached ? st_load : NULL,
	    .ud = c,
	};
}

/* An in-memory layer cache of a few records. */
struct memcache {
	char *keys[64], *vals[64];
	size_t lens[64], n;
};

static int mc_get(void *ud, const char *key, struct bw_buf *out, bool *hit)
{
	struct memcache *mc = ud;
	*hit = false;
	for (size_t i = 0; i < mc->n; i++)
		if (!strcmp(mc->keys[i], key)) {
			*hit = bw_buf_add(out, mc->vals[i], mc->lens[i]) == 0;
			return 0;
		}
	return 0;
}

static int mc_put(void *ud, const char *key, const void *data, size_t len)
{
	struct memcache *mc = ud;
	if (mc->n == 64)
		return BW_ELIMIT;
	mc->keys[mc->n] = bw_strdup(key);
	mc->vals[mc->n] = bw_malloc(len ? len : 1);
	memcpy(mc->vals[mc->n], data, len);
	mc->lens[mc->n++] = len;
	return 0;
}

static void mc_release(struct memcache *mc)
{
	for (size_t i = 0; i < mc->n; i++) {
		free(mc->keys[i]);
		free(mc->vals[i]);
	}
}

/* ---- the checks ---- */

static char tmpdir[64];

/* Walk path with two counting analyzers; every layer's state is the one
 * made for that layer, and every state is freed once. */
static void walk_and_check(const char *path, int layers, const struct bw_layer_cache *cache, int jobs,
			   struct counts *c1)
{
	struct counts c2 = {0};
	struct bw_analyzer a1 = counting(c1, cache != NULL), a2 = counting(&c2, false);
	a2.name = "counting-2";
	const struct bw_analyzer *an[] = {&a1, &a2};
	struct bw_image_opts o = {.cache = cache, .jobs = jobs};
	struct bw_image *img = NULL;
	struct bw_error err = BW_ERROR_INIT;
	char *target = bw_asprintf("docker-archive:%s", path);
	assert_int_equal(bw_image_open(target, &o, &img, &err), 0);
	int rc = bw_image_walk(img, an, 2, NULL, NULL, &err);
	if (rc < 0)
		fail_msg("%s: %s", path, err.msg);
	for (int k = 0; k < 2; k++) {
		size_t n;
		void *const *states = bw_image_layer_states(img, an[k], &n);
		assert_int_equal(n, (size_t)layers);
		for (int i = 0; i < layers; i++) {
			const struct state *s = states[i];
			assert_non_null(s);
			assert_true(s->ended);
			char want[64];
			snprintf(want, sizeof(want), "/layer%d/file0", i);
			assert_string_equal(s->first, want);
			assert_int_equal(s->files, i + 1);
		}
	}
	/* an analyzer that was not on the walk has no states */
	struct counts c3 = {0};
	struct bw_analyzer other = counting(&c3, false);
	size_t n;
	void *const *none = bw_image_layer_states(img, &other, &n);
	for (size_t i = 0; i < n; i++)
		assert_null(none[i]);
	/* alive until the image goes: one state a layer; a stray member's went
	 * when it was known not to be a layer */
	assert_int_equal(c1->freed, c1->begun + c1->loaded - layers);
	bw_image_free(img);
	/* everything made was freed exactly once, by the image */
	assert_int_equal(c1->freed, c1->begun + c1->loaded);
	assert_int_equal(c2.freed, c2.begun);
	assert_int_equal(c2.ended, c2.begun);
	free(target);
}

static void test_states_indexed(void **st)
{
	char *path = make_archive(tmpdir, 5, false, false, false);
	for (int jobs = 1; jobs <= 3; jobs++) {
		struct counts c = {0};
		walk_and_check(path, 5, NULL, jobs, &c);
		assert_int_equal(c.begun, 5);
	}
	free(path);
}

static void test_states_streamed(void **st)
{
	/* gzip: not seekable, walked in archive order with the manifest last;
	 * the stray member is walked too, and its state freed as soon as the
	 * manifest shows it is no layer */
	char *path = make_archive(tmpdir, 4, true, true, true);
	struct counts c = {0};
	walk_and_check(path, 4, NULL, 0, &c);
	assert_int_equal(c.begun, 5);
	free(path);
}

static void test_states_cached(void **st)
{
	char *path = make_archive(tmpdir, 3, false, false, false);
	struct memcache mc = {0};
	struct bw_layer_cache cache = {mc_get, mc_put, &mc};
	struct counts cold = {0}, warm = {0};
	walk_and_check(path, 3, &cache, 2, &cold);
	assert_int_equal(cold.begun, 3);
	assert_int_equal(cold.loaded, 0);
	/* the second walk is served by the cache: states come from load() */
	walk_and_check(path, 3, &cache, 2, &warm);
	assert_int_equal(warm.begun, 0);
	assert_int_equal(warm.loaded, 3);
	mc_release(&mc);
	free(path);
}

static void test_too_many_analyzers(void **st)
{
	char *path = make_archive(tmpdir, 1, false, false, false);
	char *target = bw_asprintf("docker-archive:%s", path);
	struct counts c = {0};
	struct bw_analyzer a = counting(&c, false);
	const struct bw_analyzer *an[BW_IMAGE_MAX_ANALYZERS + 1];
	for (size_t i = 0; i < BW_ARRAY_SIZE(an); i++)
		an[i] = &a;
	struct bw_image *img = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_image_open(target, NULL, &img, &err), 0);
	assert_int_equal(bw_image_walk(img, an, BW_ARRAY_SIZE(an), NULL, NULL, &err), BW_EUSAGE);
	assert_non_null(strstr(err.msg, "analyzers"));
	bw_image_free(img);
	assert_int_equal(c.begun, 0);
	free(target);
	free(path);
}

static int setup(void **st)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/bw-states-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **st)
{
	char *cmd = bw_asprintf("rm -rf '%s'", tmpdir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_states_indexed),
	    cmocka_unit_test(test_states_streamed),
	    cmocka_unit_test(test_states_cached),
	    cmocka_unit_test(test_too_many_analyzers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
