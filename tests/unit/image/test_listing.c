/* The walker's layer listing record (layercache.c: what the layer cache
 * keeps of a walked layer): the listings of real layers — every entry type,
 * odd modes and owners, whiteouts, opaque markers, dangling hard links,
 * uncompressed, gzip and zstd blobs — survive encode and decode field for
 * field and byte for byte; and hostile records (every truncation, wrong
 * counts, values out of range, paths that are not absolute and clean,
 * dangling-link indexes out of range, every single-byte change) decode to
 * false or to a listing that keeps every invariant, never a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "image/image-int.h"
#include "tarimage.h"

static char tmpdir[] = "/tmp/bw-listing-test-XXXXXX";
static struct bw_image *img; /* three real layers, walked */

/* ---- the real layers -------------------------------------------------- */

static char long_target[4001], long_path[1100];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	memset(long_target, 'x', sizeof(long_target) - 1);
	long_target[0] = '/';
	size_t n = (size_t)snprintf(long_path, sizeof(long_path), "deep/");
	while (n + 12 < sizeof(long_path))
		n += (size_t)snprintf(long_path + n, sizeof(long_path) - n, "directory%zu/", n % 10);
	snprintf(long_path + n, sizeof(long_path) - n, "f");

	struct tar_layer l[3];
	tar_layer_begin(&l[0], TAR_NONE);
	tar_layer_add(&l[0], "etc/", BW_FILE_DIR, NULL, NULL, 0755, 0, 0);
	tar_layer_add(&l[0], "etc/shadow", BW_FILE_REG, NULL, "root:*:19000::::::\n", 0640, 0, 42);
	tar_layer_add(&l[0], "bin/", BW_FILE_DIR, NULL, NULL, 0755, 0, 0);
	tar_layer_add(&l[0], "bin/su", BW_FILE_REG, NULL, "\177ELF", 04755, 0, 0);
	tar_layer_add(&l[0], "bin/sg", BW_FILE_HARDLINK, "bin/su", NULL, 04755, 0, 0);
	tar_layer_add(&l[0], "bin/sh", BW_FILE_SYMLINK, "dash", NULL, 0777, 0, 0);
	tar_layer_add(&l[0], "tmp/", BW_FILE_DIR, NULL, NULL, 01777, 0, 0);
	tar_layer_add(&l[0], "dev/null", BW_FILE_CHAR, NULL, NULL, 0666, 0, 0);
	tar_layer_add(&l[0], "dev/loop0", BW_FILE_BLOCK, NULL, NULL, 0660, 0, 6);
	tar_layer_add(&l[0], "run/initctl", BW_FILE_FIFO, NULL, NULL, 0600, 0, 0);
	tar_layer_add(&l[0], "home/nobody/big-ids", BW_FILE_REG, NULL, "x", 02711, 4000000000u, 4294967295u);
	tar_layer_begin(&l[1], TAR_GZIP);
	tar_layer_add(&l[1], "etc/.wh.shadow", BW_FILE_REG, NULL, NULL, 0644, 0, 0);
	tar_layer_add(&l[1], "var/cache/", BW_FILE_DIR, NULL, NULL, 0755, 0, 0);
	tar_layer_add(&l[1], "var/cache/.wh..wh..opq", BW_FILE_REG, NULL, NULL, 0644, 0, 0);
	tar_layer_add(&l[1], "usr/bin/su-link", BW_FILE_HARDLINK, "bin/su", NULL, 0755, 0, 0);
	tar_layer_add(&l[1], "usr/bin/local", BW_FILE_REG, NULL, "local bytes", 0755, 1, 1);
	tar_layer_add(&l[1], "usr/bin/again", BW_FILE_HARDLINK, "usr/bin/local", NULL, 0755, 1, 1);
	tar_layer_add(&l[1], "usr/bin/twice", BW_FILE_HARDLINK, "etc/shadow", NULL, 0640, 0, 0);
	tar_layer_begin(&l[2], TAR_ZSTD);
	tar_layer_add(&l[2], long_path, BW_FILE_REG, NULL, "deep", 0644, 0, 0);
	tar_layer_add(&l[2], "opt/far", BW_FILE_SYMLINK, long_target, NULL, 0777, 0, 0);
	tar_layer_add(&l[2], "opt/name with space\tand tab", BW_FILE_REG, NULL, "", 0644, 0, 0);
	tar_layer_add(&l[2], "opt/caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac", BW_FILE_REG, NULL, "utf-8", 0644, 0,
		      0);
	tar_layer_add(&l[2], "opt/empty-link", BW_FILE_SYMLINK, "", NULL, 0777, 0, 0);
	tar_layer_add(&l[2], ".wh.opt-gone", BW_FILE_REG, NULL, NULL, 0644, 0, 0);
	for (int i = 0; i < 3; i++)
		tar_layer_end(&l[i]);
	char path[128];
	snprintf(path, sizeof(path), "%s/image.tar", tmpdir);
	tar_image_write(path, l, 3);
	for (int i = 0; i < 3; i++)
		tar_layer_release(&l[i]);
	struct bw_error err = BW_ERROR_INIT;
	int rc = tar_image_open_walk(path, &img, &err);
	unlink(path);
	if (rc)
		fprintf(stderr, "walk: %s\n", err.msg);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	bw_image_free(img);
	return rmdir(tmpdir);
}

static const struct layer_result *layer(size_t i)
{
	assert_true(i < img->info.n_layers);
	return img->results[i];
}

static const struct bw_file *entry(const struct layer_result *r, const char *path)
{
	for (size_t i = 0; i < r->n_files; i++)
		if (strcmp(r->files[i].path, path) == 0)
			return &r->files[i];
	fail_msg("%s is not in the listing", path);
	return NULL;
}

/* The walker recorded what the tars hold (so the round trip below carries
 * every type, not only the easy ones). */
static void test_walker_listings(void **state)
{
	(void)state;
	assert_int_equal(img->info.n_layers, 3);
	const struct layer_result *r0 = layer(0), *r1 = layer(1), *r2 = layer(2);
	assert_string_equal(r0->compression, "none");
	assert_string_equal(r1->compression, "gzip");
	assert_string_equal(r2->compression, "zstd");
	assert_true(r0->raw_bytes == r0->tar_bytes);
	assert_true(r1->raw_bytes < r1->tar_bytes);
	assert_string_equal(r0->blob_digest, r0->diff_id);
	assert_string_not_equal(r1->blob_digest, r1->diff_id);

	bool seen[BW_FILE_OPAQUE + 1] = {0};
	for (size_t l = 0; l < 3; l++)
		for (size_t i = 0; i < layer(l)->n_files; i++)
			seen[layer(l)->files[i].type] = true;
	for (int t = 0; t <= BW_FILE_OPAQUE; t++)
		if (!seen[t])
			fail_msg("no %s entry in the test layers", bw_file_type_name(t));

	const struct bw_file *f = entry(r0, "/home/nobody/big-ids");
	assert_int_equal(f->mode, 02711);
	assert_true(f->uid == 4000000000u && f->gid == 4294967295u);
	f = entry(r0, "/bin/sg");
	assert_int_equal(f->type, BW_FILE_HARDLINK);
	assert_string_equal(f->link, "/bin/su");
	assert_int_equal(f->size, 4);
	assert_int_equal(entry(r0, "/tmp")->mode, 01777);
	assert_int_equal(r0->n_dangling, 0);
	f = entry(r1, "/etc/.wh.shadow");
	assert_int_equal(f->type, BW_FILE_WHITEOUT);
	assert_string_equal(f->link, "/etc/shadow");
	assert_int_equal(entry(r1, "/var/cache/.wh..wh..opq")->type, BW_FILE_OPAQUE);
	/* two hard links to an earlier layer's files, one to an entry of its own */
	assert_int_equal(r1->n_dangling, 2);
	assert_string_equal(r1->files[r1->dangling[0]].path, "/usr/bin/su-link");
	assert_string_equal(r1->files[r1->dangling[1]].path, "/usr/bin/twice");
	assert_int_equal(entry(r1, "/usr/bin/again")->size, 11);
	assert_string_equal(entry(r2, "/opt/far")->link, long_target);
	assert_string_equal(entry(r2, "/opt/empty-link")->link, "");
}

static void assert_same_listing(const struct layer_result *a, const struct layer_result *b, int layer_no)
{
	assert_string_equal(a->blob_digest, b->blob_digest);
	assert_string_equal(a->diff_id, b->diff_id);
	assert_string_equal(a->compression, b->compression);
	assert_true(a->raw_bytes == b->raw_bytes && a->tar_bytes == b->tar_bytes);
	assert_int_equal(a->n_files, b->n_files);
	for (size_t i = 0; i < a->n_files; i++) {
		const struct bw_file *x = &a->files[i], *y = &b->files[i];
		assert_string_equal(x->path, y->path);
		if (x->link || y->link) {
			assert_non_null(x->link);
			assert_non_null(y->link);
			assert_string_equal(x->link, y->link);
		}
		assert_int_equal(x->type, y->type);
		assert_int_equal(x->mode, y->mode);
		assert_true(x->uid == y->uid && x->gid == y->gid && x->size == y->size);
		assert_int_equal(x->implied, y->implied);
		assert_int_equal(y->layer, layer_no);
	}
	assert_int_equal(a->n_dangling, b->n_dangling);
	for (size_t i = 0; i < a->n_dangling; i++)
		assert_int_equal(a->dangling[i], b->dangling[i]);
}

static void encode(const struct layer_result *r, struct bw_buf *b)
{
	bw_buf_init(b, BW_IMAGE_CACHE_MAX_RECORD);
	assert_int_equal(bw_layer_listing_encode(r, b), 0);
}

static bool decodes(const void *data, size_t len)
{
	struct layer_result r;
	bw_layer_result_init(&r);
	bool ok = bw_layer_listing_decode(&r, 0, data, len);
	bw_layer_result_release(&r);
	return ok;
}

/* Decode, compare field by field, encode again: the same bytes. */
static void test_round_trip_real_layers(void **state)
{
	(void)state;
	for (size_t l = 0; l < img->info.n_layers; l++) {
		struct bw_buf b, again;
		encode(layer(l), &b);
		struct layer_result back;
		bw_layer_result_init(&back);
		assert_true(bw_layer_listing_decode(&back, 7, b.data, b.len));
		assert_same_listing(layer(l), &back, 7);
		encode(&back, &again);
		assert_int_equal(again.len, b.len);
		assert_memory_equal(again.data, b.data, b.len);
		bw_layer_result_release(&back);
		bw_buf_release(&again);
		bw_buf_release(&b);
	}
}

/* ---- hand-made records -------------------------------------------------- */

/* A record as raw fields, so that any of them can be out of range. */
struct raw_entry {
	uint64_t type, mode, uid, gid, size, implied;
	const char *path, *link;
};

struct raw_record {
	uint64_t format;
	const char *blob, *diff_id, *compression;
	uint64_t raw_bytes, tar_bytes;
	struct raw_entry e[8];
	size_t n;	      /* entries written */
	int64_t n_claimed;    /* the count written: -1 for n */
	uint64_t dangling[4]; /* indexes written */
	size_t nd;
	int64_t nd_claimed;
	const char *trailer; /* bytes after the record */
};

static const char *const D1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
static const char *const D2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

static struct raw_record baseline(void)
{
	struct raw_record r = {
	    .format = 1,
	    .blob = D1,
	    .diff_id = D2,
	    .compression = "gzip",
	    .raw_bytes = 100,
	    .tar_bytes = 10240,
	    .e =
		{
		    {BW_FILE_DIR, 0755, 0, 0, 0, 1, "/etc", NULL},
		    {BW_FILE_REG, 0644, 0, 0, 1234, 0, "/etc/passwd", NULL},
		    {BW_FILE_SYMLINK, 0777, 0, 0, 0, 0, "/bin/sh", "../usr/bin/dash"},
		    {BW_FILE_HARDLINK, 0755, 0, 0, 9, 0, "/bin/ln", "/bin/x"},
		    {BW_FILE_WHITEOUT, 0644, 0, 0, 0, 0, "/tmp/.wh.gone", "/tmp/gone"},
		    {BW_FILE_OPAQUE, 0644, 0, 0, 0, 0, "/var/.wh..wh..opq", NULL},
		    {BW_FILE_FIFO, 0600, 1, 2, 0, 0, "/run/p", NULL},
		    {BW_FILE_BLOCK, 0660, 0, 6, 0, 0, "/dev/sda", NULL},
		},
	    .n = 8,
	    .n_claimed = -1,
	    .dangling = {3},
	    .nd = 1,
	    .nd_claimed = -1,
	};
	return r;
}

static void write_record(const struct raw_record *r, struct bw_buf *b)
{
	bw_buf_init(b, 1 << 20);
	int rc = bw_enc_u64(b, r->format);
	rc |= bw_enc_str(b, r->blob);
	rc |= bw_enc_str(b, r->diff_id);
	rc |= bw_enc_str(b, r->compression);
	rc |= bw_enc_u64(b, r->raw_bytes);
	rc |= bw_enc_u64(b, r->tar_bytes);
	rc |= bw_enc_u64(b, r->n_claimed >= 0 ? (uint64_t)r->n_claimed : r->n);
	for (size_t i = 0; i < r->n; i++) {
		const struct raw_entry *e = &r->e[i];
		rc |= bw_enc_u64(b, e->type);
		rc |= bw_enc_u64(b, e->mode);
		rc |= bw_enc_u64(b, e->uid);
		rc |= bw_enc_u64(b, e->gid);
		rc |= bw_enc_u64(b, e->size);
		rc |= bw_enc_u64(b, e->implied);
		rc |= bw_enc_str(b, e->path);
		rc |= bw_enc_str(b, e->link);
	}
	rc |= bw_enc_u64(b, r->nd_claimed >= 0 ? (uint64_t)r->nd_claimed : r->nd);
	for (size_t i = 0; i < r->nd; i++)
		rc |= bw_enc_u64(b, r->dangling[i]);
	if (r->trailer)
		rc |= bw_buf_addstr(b, r->trailer);
	assert_int_equal(rc, 0);
}

static char too_long_path[BW_IMG_MAX_PATH + 3];
static char longest_path[BW_IMG_MAX_PATH + 2];
static char too_long_link[BW_IMG_MAX_PATH + 2];

/* Changes to the baseline record, "FIELD=VALUE …" (fields: format, blob,
 * diff_id, compression, n and nd (the counts written), entries and ndang
 * (how many are written), eK.type|mode|uid|gid|size|implied|path|link,
 * dangK, trailer; values: numbers, strings, NULL, or @name of a long
 * string), and whether the record must still decode. */
static const struct {
	const char *what, *set;
	bool decodes;
} mutations[] = {
    {"the baseline", "", true},
    {"format 0", "format=0", false},
    {"format 2", "format=2", false},
    {"no blob digest", "blob=NULL", false},
    {"a blob digest one digit short",
     "blob=sha256:111111111111111111111111111111111111111111111111111111111111111", false},
    {"a blob digest in upper case",
     "blob=sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false},
    {"an md5 blob digest", "blob=md5:11111111111111111111111111111111", false},
    {"an empty diff_id", "diff_id=", false},
    {"no compression", "compression=NULL", false},
    {"compression bzip2", "compression=bzip2", false},
    {"compression GZIP", "compression=GZIP", false},
    {"compression none", "compression=none", true},
    {"compression zstd", "compression=zstd", true},
    {"a type one past opaque", "e1.type=9", false},
    {"type 2^64-1", "e1.type=18446744073709551615", false},
    {"a mode with type bits", "e1.mode=0100644", false},
    {"mode 07777", "e1.mode=07777", true},
    {"uid 2^32", "e1.uid=4294967296", false},
    {"gid 2^64-1", "e1.gid=18446744073709551615", false},
    {"uid 2^32-1", "e1.uid=4294967295", true},
    {"size 2^64-1", "e1.size=18446744073709551615", true},
    {"implied 2", "e0.implied=2", false},
    {"no path", "e1.path=NULL", false},
    {"an empty path", "e1.path=", false},
    {"the root as a path", "e1.path=/", false},
    {"a relative path", "e1.path=etc/passwd", false},
    {"a path with a trailing slash", "e1.path=/etc/", false},
    {"a path with //", "e1.path=/etc//passwd", false},
    {"a path with /./", "e1.path=/etc/./passwd", false},
    {"a path with /../ inside", "e1.path=/etc/../passwd", false},
    {"a path climbing out", "e1.path=/../etc/passwd", false},
    {"a path ending in /.", "e1.path=/etc/.", false},
    {"a path longer than the walker writes", "e1.path=@too_long_path", false},
    {"the longest path the walker writes", "e1.path=@longest_path", true},
    {"a name of three dots", "e1.path=/etc/...", true},
    {"a regular file with a link", "e1.link=/etc/x", false},
    {"a directory with an empty link", "e0.link=", false},
    {"an opaque marker with a link", "e5.link=/var", false},
    {"a fifo with a link", "e6.link=x", false},
    {"a symlink without a target", "e2.link=NULL", false},
    {"a symlink with an empty target", "e2.link=", true},
    {"a symlink with an absolute target", "e2.link=/usr/bin/dash", true},
    {"a symlink whose target climbs (resolution stops at the root)", "e2.link=../../../../../x", true},
    {"a symlink target longer than the walker writes", "e2.link=@too_long_link", false},
    {"a hard link without a target", "e3.link=NULL", false},
    {"a hard link to a relative path", "e3.link=bin/x", false},
    {"a hard link target climbing out", "e3.link=/bin/../../x", false},
    {"a hard link to the root", "e3.link=/", false},
    {"a whiteout naming nothing", "e4.link=NULL", false},
    {"a whiteout naming a relative path", "e4.link=tmp/gone", false},
    {"a whiteout naming an unclean path", "e4.link=/tmp/./gone", false},
    {"one entry more claimed than written", "n=9", false},
    {"one entry fewer claimed than written", "n=7", false},
    {"no entries claimed", "n=0", false},
    {"2^63-1 entries claimed", "n=9223372036854775807", false},
    {"more entries claimed than a layer may have", "n=20000001", false},
    {"one dangling link more claimed than written", "nd=2", false},
    {"no dangling links claimed", "nd=0", false},
    {"2^63-1 dangling links claimed", "nd=9223372036854775807", false},
    {"a dangling-link index one past the entries", "dang0=8", false},
    {"a dangling-link index 2^64-1", "dang0=18446744073709551615", false},
    {"a dangling-link index of a regular file", "dang0=1", false},
    {"a dangling-link index of a whiteout", "dang0=4", false},
    {"the same dangling link twice", "ndang=2 nd=2 dang1=3", true},
    {"a dangling link without entries", "entries=0 n=0", false},
    {"no entries and no dangling links", "entries=0 n=0 ndang=0 nd=0", true},
    {"a byte after the record", "trailer=x", false},
};

static const char *value_of(const char *v)
{
	if (strcmp(v, "NULL") == 0)
		return NULL;
	if (strcmp(v, "@too_long_path") == 0)
		return too_long_path;
	if (strcmp(v, "@longest_path") == 0)
		return longest_path;
	if (strcmp(v, "@too_long_link") == 0)
		return too_long_link;
	return v;
}

static uint64_t number(const char *v)
{
	char *end;
	errno = 0;
	uint64_t n = strtoull(v, &end, 0);
	if (errno || *end || !*v)
		fail_msg("mutation value '%s' is not a number", v);
	return n;
}

/* Apply "FIELD=VALUE …" to r; strings point into arena a. */
static void mutate(struct raw_record *r, const char *set, struct bw_arena *a)
{
	char *copy = bw_arena_strdup(a, set);
	for (char *f = copy; f && *f;) {
		char *next = strchr(f, ' ');
		if (next)
			*next++ = '\0';
		char *eq = strchr(f, '=');
		if (!eq)
			fail_msg("mutation '%s' lacks '='", f);
		*eq = '\0';
		const char *v = eq + 1;
		unsigned k = 0;
		char sub[16] = "";
		if (strcmp(f, "format") == 0)
			r->format = number(v);
		else if (strcmp(f, "blob") == 0)
			r->blob = value_of(v);
		else if (strcmp(f, "diff_id") == 0)
			r->diff_id = value_of(v);
		else if (strcmp(f, "compression") == 0)
			r->compression = value_of(v);
		else if (strcmp(f, "n") == 0)
			r->n_claimed = (int64_t)number(v);
		else if (strcmp(f, "nd") == 0)
			r->nd_claimed = (int64_t)number(v);
		else if (strcmp(f, "entries") == 0)
			r->n = (size_t)number(v);
		else if (strcmp(f, "ndang") == 0)
			r->nd = (size_t)number(v);
		else if (strcmp(f, "trailer") == 0)
			r->trailer = value_of(v);
		else if (sscanf(f, "dang%u", &k) == 1 && k < BW_ARRAY_SIZE(r->dangling))
			r->dangling[k] = number(v);
		else if (sscanf(f, "e%u.%15s", &k, sub) == 2 && k < BW_ARRAY_SIZE(r->e)) {
			struct raw_entry *e = &r->e[k];
			if (strcmp(sub, "path") == 0)
				e->path = value_of(v);
			else if (strcmp(sub, "link") == 0)
				e->link = value_of(v);
			else if (strcmp(sub, "type") == 0)
				e->type = number(v);
			else if (strcmp(sub, "mode") == 0)
				e->mode = number(v);
			else if (strcmp(sub, "uid") == 0)
				e->uid = number(v);
			else if (strcmp(sub, "gid") == 0)
				e->gid = number(v);
			else if (strcmp(sub, "size") == 0)
				e->size = number(v);
			else if (strcmp(sub, "implied") == 0)
				e->implied = number(v);
			else
				fail_msg("unknown entry field '%s'", sub);
		} else {
			fail_msg("unknown mutation field '%s'", f);
		}
		f = next;
	}
}

static void test_hand_made_records(void **state)
{
	(void)state;
	too_long_path[0] = '/';
	memset(too_long_path + 1, 'p', sizeof(too_long_path) - 2);
	longest_path[0] = '/';
	memset(longest_path + 1, 'p', sizeof(longest_path) - 2);
	memset(too_long_link, 'l', sizeof(too_long_link) - 1);
	struct bw_arena a;
	bw_arena_init(&a);
	int wrong = 0;
	for (size_t i = 0; i < BW_ARRAY_SIZE(mutations); i++) {
		struct raw_record r = baseline();
		mutate(&r, mutations[i].set, &a);
		struct bw_buf b;
		write_record(&r, &b);
		struct layer_result back;
		bw_layer_result_init(&back);
		bool ok = bw_layer_listing_decode(&back, 2, b.data, b.len);
		if (ok != mutations[i].decodes) {
			fprintf(stderr, "%s (%s): decoded %s, want %s\n", mutations[i].what, mutations[i].set,
				ok ? "true" : "false", mutations[i].decodes ? "true" : "false");
			wrong++;
		}
		if (ok) {
			/* what decodes is what was written */
			assert_int_equal(back.n_files, r.n);
			for (size_t k = 0; k < r.n; k++) {
				assert_string_equal(back.files[k].path, r.e[k].path);
				assert_int_equal(back.files[k].type, r.e[k].type);
				assert_true(back.files[k].size == r.e[k].size);
				assert_true(back.files[k].uid == r.e[k].uid);
				assert_int_equal(back.files[k].implied, r.e[k].implied == 1);
				assert_int_equal(back.files[k].layer, 2);
			}
			assert_int_equal(back.n_dangling, r.nd);
		}
		bw_layer_result_release(&back);
		/* every truncation of a sound record is a miss */
		for (size_t n = 0; mutations[i].decodes && n < b.len; n++)
			if (decodes(b.data, n)) {
				fprintf(stderr, "%s: decoded cut to %zu of %zu bytes\n", mutations[i].what, n,
					b.len);
				wrong++;
				break;
			}
		bw_buf_release(&b);
	}
	bw_arena_release(&a);
	assert_int_equal(wrong, 0);
}

/* ---- damage to real records ---------------------------------------------- */

static bool clean_absolute(const char *p)
{
	if (!p || p[0] != '/' || !p[1] || strlen(p) > BW_IMG_MAX_PATH + 1)
		return false;
	char tmp[BW_IMG_MAX_PATH + 2];
	bool escapes, absolute;
	bw_path_clean(p + 1, tmp, &escapes, &absolute);
	return !escapes && !absolute && strcmp(tmp, p + 1) == 0;
}

/* Everything the merge and the cache rely on in a decoded listing. */
static bool listing_sound(const struct layer_result *r)
{
	if (!bw_digest_valid(r->blob_digest) || !bw_digest_valid(r->diff_id) || !r->compression)
		return false;
	if (r->n_files > r->cap_files || r->n_dangling > r->cap_dangling)
		return false;
	for (size_t i = 0; i < r->n_files; i++) {
		const struct bw_file *f = &r->files[i];
		if (!clean_absolute(f->path) || (unsigned)f->type > BW_FILE_OPAQUE || f->mode > 07777)
			return false;
		bool needs_clean_link = f->type == BW_FILE_HARDLINK || f->type == BW_FILE_WHITEOUT;
		if (needs_clean_link && !clean_absolute(f->link))
			return false;
		if (f->type == BW_FILE_SYMLINK && (!f->link || strlen(f->link) > BW_IMG_MAX_PATH))
			return false;
		if (!needs_clean_link && f->type != BW_FILE_SYMLINK && f->link)
			return false;
	}
	for (size_t i = 0; i < r->n_dangling; i++)
		if (r->dangling[i] >= r->n_files || r->files[r->dangling[i]].type != BW_FILE_HARDLINK)
			return false;
	return true;
}

/* Every truncation of a real record is a miss; every single-byte change
 * (each bit flipped, and 0x00, 0x7f, 0x80, 0xff) is a miss or a listing
 * that keeps every invariant. */
static void test_damaged_real_records(void **state)
{
	(void)state;
	static const unsigned char values[] = {0x00, 0x7f, 0x80, 0xff};
	size_t decoded = 0, tried = 0;
	for (size_t l = 0; l < img->info.n_layers; l++) {
		struct bw_buf b;
		encode(layer(l), &b);
		for (size_t n = 0; n < b.len; n++)
			if (decodes(b.data, n))
				fail_msg("layer %zu: decoded cut to %zu of %zu bytes", l, n, b.len);
		unsigned char *p = (unsigned char *)b.data;
		for (size_t i = 0; i < b.len; i++) {
			unsigned char orig = p[i];
			for (size_t v = 0; v < 8 + BW_ARRAY_SIZE(values); v++) {
				p[i] = v < 8 ? (unsigned char)(orig ^ (1u << v)) : values[v - 8];
				if (p[i] == orig)
					continue;
				struct layer_result r;
				bw_layer_result_init(&r);
				tried++;
				if (bw_layer_listing_decode(&r, 0, p, b.len)) {
					decoded++;
					if (!listing_sound(&r))
						fail_msg(
						    "layer %zu: byte %zu set to 0x%02x decodes to an unsound "
						    "listing",
						    l, i, p[i]);
				}
				bw_layer_result_release(&r);
			}
			p[i] = orig;
		}
		bw_buf_release(&b);
	}
	fprintf(stderr, "%zu damaged records, %zu still decoded (all sound)\n", tried, decoded);
	assert_true(tried > 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walker_listings),
	    cmocka_unit_test(test_round_trip_real_layers),
	    cmocka_unit_test(test_hand_made_records),
	    cmocka_unit_test(test_damaged_real_records),
	};
	return cmocka_run_group_tests_name("image-listing", tests, setup, teardown);
}
