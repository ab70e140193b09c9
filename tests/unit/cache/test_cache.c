/* Unit tests of the layer cache: core's record codec (varints, strings,
 * bounds), the walker's listing record (round trip, every truncation and
 * flipped byte is a miss or a valid decode, never a crash), and the SQLite
 * store (put/get, record bound, version mismatch and corrupt files ignored
 * and rebuilt, stats, clean). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <sys/stat.h>

#include "cache/cache.h"
#include "image/image-int.h"

static char tmpdir[64];

static void test_codec_round_trip(void **st)
{
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	uint64_t vals[] = {0, 1, 127, 128, 300, UINT32_MAX, UINT64_MAX};
	int rc = 0;
	for (size_t i = 0; i < BW_ARRAY_SIZE(vals); i++)
		rc |= bw_enc_u64(&b, vals[i]);
	rc |= bw_enc_str(&b, NULL);
	rc |= bw_enc_str(&b, "");
	rc |= bw_enc_str(&b, "/etc/passwd");
	assert_int_equal(rc, 0);
	struct bw_arena a;
	bw_arena_init(&a);
	struct bw_dec d;
	bw_dec_init(&d, b.data, b.len);
	for (size_t i = 0; i < BW_ARRAY_SIZE(vals); i++)
		assert_true(bw_dec_u64(&d) == vals[i]);
	assert_null(bw_dec_str(&d, &a));
	assert_string_equal(bw_dec_str(&d, &a), "");
	assert_string_equal(bw_dec_str(&d, &a), "/etc/passwd");
	assert_true(bw_dec_done(&d));
	/* every truncation is bad, never a crash */
	for (size_t n = 0; n < b.len; n++) {
		bw_dec_init(&d, b.data, n);
		for (size_t i = 0; i < BW_ARRAY_SIZE(vals); i++)
			bw_dec_u64(&d);
		bw_dec_str(&d, &a);
		bw_dec_str(&d, &a);
		bw_dec_str(&d, &a);
		assert_false(bw_dec_done(&d));
	}
	bw_arena_release(&a);
	bw_buf_release(&b);
}

static void test_codec_hostile(void **st)
{
	struct bw_arena a;
	bw_arena_init(&a);
	struct bw_dec d;
	/* an 11-byte varint, a string longer than the input, a NUL inside, a count */
	static const unsigned char longv[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
	bw_dec_init(&d, longv, sizeof(longv));
	bw_dec_u64(&d);
	assert_true(d.bad);
	static const unsigned char longs[] = {0x10, 'a', 'b'};
	bw_dec_init(&d, longs, sizeof(longs));
	assert_null(bw_dec_str(&d, &a));
	assert_true(d.bad);
	static const unsigned char nul[] = {0x04, 'a', 0, 'b'};
	bw_dec_init(&d, nul, sizeof(nul));
	assert_null(bw_dec_str(&d, &a));
	assert_true(d.bad);
	static const unsigned char count[] = {0x7f, 1, 2};
	bw_dec_init(&d, count, sizeof(count));
	bw_dec_count(&d);
	assert_true(d.bad);
	bw_arena_release(&a);
}

static void make_listing(struct layer_result *r)
{
	bw_layer_result_init(r);
	static const struct bw_file files[] = {
	    {.path = "/etc", .type = BW_FILE_DIR, .mode = 0755},
	    {.path = "/etc/passwd", .type = BW_FILE_REG, .mode = 0644, .size = 1234},
	    {.path = "/bin/sh", .link = "dash", .type = BW_FILE_SYMLINK, .mode = 0777},
	    {.path = "/bin/ln", .link = "/bin/x", .type = BW_FILE_HARDLINK, .size = 9},
	    {.path = "/tmp/.wh.gone", .link = "/tmp/gone", .type = BW_FILE_WHITEOUT},
	};
	r->files = bw_calloc(BW_ARRAY_SIZE(files), sizeof(struct bw_file));
	memcpy(r->files, files, sizeof(files));
	r->n_files = r->cap_files = BW_ARRAY_SIZE(files);
	r->dangling = bw_calloc(1, sizeof(size_t));
	r->dangling[0] = 3;
	r->n_dangling = r->cap_dangling = 1;
	bw_sha256_str("blob", 4, r->blob_digest);
	bw_sha256_str("tar", 3, r->diff_id);
	r->compression = "gzip";
	r->raw_bytes = 100;
	r->tar_bytes = 10240;
}

static void test_listing_round_trip_and_damage(void **st)
{
	struct layer_result r;
	make_listing(&r);
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	assert_int_equal(bw_layer_listing_encode(&r, &b), 0);
	struct layer_result back;
	bw_layer_result_init(&back);
	assert_true(bw_layer_listing_decode(&back, 3, b.data, b.len));
	assert_int_equal(back.n_files, r.n_files);
	for (size_t i = 0; i < r.n_files; i++) {
		assert_string_equal(back.files[i].path, r.files[i].path);
		assert_int_equal(back.files[i].type, r.files[i].type);
		assert_int_equal(back.files[i].layer, 3);
		assert_true(back.files[i].size == r.files[i].size);
	}
	assert_string_equal(back.blob_digest, r.blob_digest);
	assert_string_equal(back.compression, "gzip");
	assert_int_equal(back.n_dangling, 1);
	bw_layer_result_release(&back);
	/* every truncation is a miss; every flipped byte a miss or a clean decode */
	for (size_t n = 0; n < b.len; n++) {
		bw_layer_result_init(&back);
		assert_false(bw_layer_listing_decode(&back, 0, b.data, n));
		bw_layer_result_release(&back);
	}
	for (size_t i = 0; i < b.len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			b.data[i] ^= (char)(1 << bit);
			bw_layer_result_init(&back);
			if (bw_layer_listing_decode(&back, 0, b.data, b.len))
				for (size_t k = 0; k < back.n_files; k++)
					assert_true(back.files[k].path[0] == '/');
			bw_layer_result_release(&back);
			b.data[i] ^= (char)(1 << bit);
		}
	}
	/* a path that climbs out is refused */
	r.files[1].path = "/etc/../../x";
	bw_buf_reset(&b);
	assert_int_equal(bw_layer_listing_encode(&r, &b), 0);
	bw_layer_result_init(&back);
	assert_false(bw_layer_listing_decode(&back, 0, b.data, b.len));
	bw_layer_result_release(&back);
	r.files[1].path = "/etc/passwd";
	bw_layer_result_release(&r);
	bw_buf_release(&b);
}

static char *dir_for(const char *name)
{
	return bw_asprintf("%s/%s", tmpdir, name);
}

static void test_store(void **st)
{
	char *dir = dir_for("store");
	struct bw_cache *c = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_cache_open(dir, &c, &err), 0);
	assert_non_null(c);
	struct bw_buf b;
	bw_buf_init(&b, BW_CACHE_MAX_RECORD);
	bool hit = true;
	assert_int_equal(bw_cache_get(c, "sha256:a/sha256:b/x:1", &b, &hit), 0);
	assert_false(hit);
	assert_int_equal(bw_cache_put(c, "sha256:a/sha256:b/x:1", "hello", 5), 0);
	assert_int_equal(bw_cache_put(c, "sha256:a/sha256:b/walker:1", "", 0), 0);
	assert_int_equal(bw_cache_get(c, "sha256:a/sha256:b/x:1", &b, &hit), 0);
	assert_true(hit);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "hello", 5);
	assert_int_equal(bw_cache_put(c, "k", "", (size_t)BW_CACHE_MAX_RECORD + 1), BW_ELIMIT);
	/* clean refuses while the cache is open */
	uint64_t freed;
	assert_int_equal(bw_cache_clean(dir, &freed, &err), BW_EIO);
	bw_cache_free(c);

	struct bw_cache_stats s;
	assert_int_equal(bw_cache_stats(dir, &s, &err), 0);
	assert_true(s.exists);
	assert_int_equal(s.schema, BW_CACHE_SCHEMA);
	assert_int_equal(s.entries, 2);
	assert_int_equal(s.layers, 1);
	assert_int_equal(s.n_by_analyzer, 2);
	bw_cache_stats_release(&s);

	assert_int_equal(bw_cache_clean(dir, &freed, &err), 0);
	assert_true(freed > 0);
	assert_int_equal(bw_cache_stats(dir, &s, &err), 0);
	assert_false(s.exists);
	bw_cache_stats_release(&s);
	bw_buf_release(&b);
	free(dir);
}

static void put_one(const char *dir)
{
	struct bw_cache *c = NULL;
	assert_int_equal(bw_cache_open(dir, &c, NULL), 0);
	assert_non_null(c);
	assert_int_equal(bw_cache_put(c, "key", "value", 5), 0);
	bw_cache_free(c);
}

static bool has_key(const char *dir)
{
	struct bw_cache *c = NULL;
	assert_int_equal(bw_cache_open(dir, &c, NULL), 0);
	assert_non_null(c);
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	bool hit = false;
	bw_cache_get(c, "key", &b, &hit);
	bw_buf_release(&b);
	bw_cache_free(c);
	return hit;
}

static void test_other_version_and_corrupt(void **st)
{
	char *dir = dir_for("versions");
	put_one(dir);
	assert_true(has_key(dir));
	char *path = bw_asprintf("%s/layers.sqlite", dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "UPDATE meta SET value='0.0.0-old' WHERE key='bulwark'", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_false(has_key(dir)); /* ignored and rebuilt empty */
	put_one(dir);
	assert_true(has_key(dir));

	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fputs("not a database at all\n", f);
	fclose(f);
	assert_false(has_key(dir));
	put_one(dir);
	assert_true(has_key(dir));
	free(path);
	free(dir);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/bw-cache-unit-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_codec_round_trip),
	    cmocka_unit_test(test_codec_hostile),
	    cmocka_unit_test(test_listing_round_trip_and_damage),
	    cmocka_unit_test(test_store),
	    cmocka_unit_test(test_other_version_and_corrupt),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char *cmd = bw_asprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	free(cmd);
	return rc;
}
