/* Unit tests of the layer cache: core's record codec (varints, strings,
 * bounds) and the SQLite store (put/get, record bound, version mismatch and
 * corrupt files ignored and rebuilt, stats, clean). The walker's listing
 * record is tested with the image module (tests/unit/image/test_listing.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <sys/stat.h>

#include "cache/cache.h"
#include "image/image.h"

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
