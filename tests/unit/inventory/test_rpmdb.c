/* Unit tests of the BerkeleyDB and ndb rpm database readers (rpm_bdb.c,
 * rpm_ndb.c): tiny databases laid out here page by page, holding header
 * blobs made with librpm's header API, handed over as the walker would hand
 * /var/lib/rpm/Packages and /usr/lib/sysimage/rpm/Packages.db. Good files in
 * both byte orders, with and without page checksums, Hash and BTree; then
 * hostile ones: truncated, pages past the end, loops, huge lengths, wrong
 * magic, zero page size, bad checksums. Each must give a warning naming the
 * file (and the page or slot), no crash, and the other packages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <rpm/header.h>
#include <rpm/rpmtag.h>

#include "inventory/inventory.h"

#define BDB_PATH "/var/lib/rpm/Packages"
#define NDB_PATH "/usr/lib/sysimage/rpm/Packages.db"

/* ---- header blobs ---- */

struct blob {
	unsigned char *d;
	size_t n;
};

/* A header of package `name` with `nfiles` owned files (to make it big). */
static struct blob make_header(const char *name, unsigned nfiles)
{
	Header h = headerNew();
	headerPutString(h, RPMTAG_NAME, name);
	headerPutString(h, RPMTAG_VERSION, "1.0");
	headerPutString(h, RPMTAG_RELEASE, "3.el8");
	headerPutString(h, RPMTAG_ARCH, "x86_64");
	headerPutString(h, RPMTAG_LICENSE, "MIT");
	char srpm[64];
	snprintf(srpm, sizeof(srpm), "%s-1.0-3.el8.src.rpm", name);
	headerPutString(h, RPMTAG_SOURCERPM, srpm);
	if (nfiles) {
		uint32_t zero = 0;
		headerPutString(h, RPMTAG_DIRNAMES, "/usr/share/x/");
		for (unsigned i = 0; i < nfiles; i++) {
			char b[64];
			snprintf(b, sizeof(b), "a-file-with-a-long-name-%u", i);
			headerPutString(h, RPMTAG_BASENAMES, b);
			headerPutUint32(h, RPMTAG_DIRINDEXES, &zero, 1);
		}
	}
	unsigned n = 0;
	struct blob b = {headerExport(h, &n), 0};
	b.n = n;
	headerFree(h);
	assert_non_null(b.d);
	return b;
}

static struct bw_report *parse(const char *path, const void *d, size_t n)
{
	struct bw_report *r = bw_report_new("filesystem", "unit");
	bw_inventory_parse_file(path, d, n, "centos", r);
	return r;
}

static bool has_pkg(const struct bw_report *r, const char *name)
{
	for (size_t i = 0; i < r->n_packages; i++)
		if (strcmp(r->packages[i].name, name) == 0)
			return true;
	return false;
}

/* Exactly one warning, naming path and containing every one of the words. */
static void assert_warning(const struct bw_report *r, const char *path, ...)
{
	assert_int_equal(r->n_warnings, 1);
	const char *w = r->warnings[0];
	if (strncmp(w, path, strlen(path)) != 0)
		fail_msg("warning does not name %s: %s", path, w);
	va_list ap;
	va_start(ap, path);
	for (const char *s; (s = va_arg(ap, const char *));)
		if (!strstr(w, s))
			fail_msg("warning lacks \"%s\": %s", s, w);
	va_end(ap);
}

/* ---- BerkeleyDB pages ---- */

struct bdb {
	unsigned char *d;
	size_t pagesize, npages;
	bool be;
	size_t hdr; /* page header bytes: 26, or 32 with checksums */
};

static void put32(const struct bdb *db, unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[db->be ? 3 - i : i] = (unsigned char)(v >> (8 * i));
}

static void put16(const struct bdb *db, unsigned char *p, uint32_t v)
{
	p[db->be ? 1 : 0] = (unsigned char)v;
	p[db->be ? 0 : 1] = (unsigned char)(v >> 8);
}

static unsigned char *pg(const struct bdb *db, size_t n)
{
	return db->d + n * db->pagesize;
}

static uint32_t new_page(struct bdb *db, unsigned type)
{
	uint32_t n = (uint32_t)db->npages++;
	db->d = bw_realloc(db->d, db->npages * db->pagesize);
	unsigned char *p = pg(db, n);
	memset(p, 0, db->pagesize);
	put32(db, p + 8, n);
	put16(db, p + 22, (uint32_t)db->pagesize);
	p[24] = 1;
	p[25] = (unsigned char)type;
	return n;
}

static void set_next(struct bdb *db, uint32_t page, uint32_t next)
{
	put32(db, pg(db, page) + 16, next);
}

/* Append an item to a hash or btree page; items grow down from the end. */
static void add_item(struct bdb *db, uint32_t page, const void *item, size_t n)
{
	unsigned char *p = pg(db, page);
	unsigned ent = (unsigned)(p[db->be ? 21 : 20] | p[db->be ? 20 : 21] << 8);
	unsigned hi = (unsigned)(p[db->be ? 23 : 22] | p[db->be ? 22 : 23] << 8);
	if (hi == 0)
		hi = 65536 & (unsigned)db->pagesize;
	assert_true(hi >= n && hi - n >= db->hdr + 2 * (ent + 1));
	hi -= (unsigned)n;
	memcpy(p + hi, item, n);
	put16(db, p + db->hdr + 2 * ent, hi);
	put16(db, p + 20, ent + 1);
	put16(db, p + 22, hi);
}

/* Overflow pages holding v; returns the first page. */
static uint32_t overflow(struct bdb *db, const unsigned char *v, size_t n)
{
	uint32_t first = 0, prev = 0;
	size_t room = db->pagesize - db->hdr;
	for (size_t o = 0; o < n; o += room) {
		uint32_t p = new_page(db, 7);
		size_t k = n - o < room ? n - o : room;
		memcpy(pg(db, p) + db->hdr, v + o, k);
		put16(db, pg(db, p) + 22, (uint32_t)k);
		if (prev)
			set_next(db, prev, p);
		else
			first = p;
		prev = p;
	}
	return first;
}

static void hash_keydata(struct bdb *db, uint32_t page, const void *d, size_t n)
{
	unsigned char *it = bw_malloc(n + 1);
	it[0] = 1; /* H_KEYDATA */
	memcpy(it + 1, d, n);
	add_item(db, page, it, n + 1);
	free(it);
}

static void key(struct bdb *db, unsigned char out[4], uint32_t k)
{
	put32(db, out, k);
}

/* A pair: key k, value v inline or (when big) on overflow pages. Returns the
 * first overflow page, or 0. */
static uint32_t hash_pair(struct bdb *db, uint32_t page, uint32_t k, struct blob v, bool offpage)
{
	unsigned char kb[4];
	key(db, kb, k);
	hash_keydata(db, page, kb, 4);
	if (!offpage) {
		hash_keydata(db, page, v.d, v.n);
		return 0;
	}
	uint32_t first = overflow(db, v.d, v.n);
	unsigned char ref[12] = {3}; /* H_OFFPAGE */
	put32(db, ref + 4, first);
	put32(db, ref + 8, (uint32_t)v.n);
	add_item(db, page, ref, sizeof(ref));
	return first;
}

static void meta(struct bdb *db, bool btree, bool chksum)
{
	new_page(db, btree ? 9 : 8);
	unsigned char *m = pg(db, 0);
	put32(db, m + 12, btree ? 0x053162 : 0x061561);
	put32(db, m + 16, 9);
	put32(db, m + 20, (uint32_t)db->pagesize);
	m[24] = 0; /* encrypt_alg where other pages have their level */
	m[26] = chksum ? 1 : 0;
}

static void finish(struct bdb *db)
{
	put32(db, pg(db, 0) + 32, (uint32_t)db->npages - 1);
}

/* The test database: bucket 0 on page 1 holds key 0, "small" (inline) and
 * "big" (overflow pages from big_first on, 3 or more, the file's last);
 * bucket 1 on page 2 holds "other" (on page 3) and a duplicate list of
 * "dup1" and "dup2". */
struct hashdb {
	struct bdb db;
	uint32_t big_first;
	size_t big_pages;
};

static struct hashdb make_hash(size_t pagesize, bool be, bool chksum)
{
	struct hashdb h = {{NULL, pagesize, 0, be, chksum ? 32 : 26}, 0, 0};
	struct bdb *db = &h.db;
	meta(db, false, chksum);
	put32(db, pg(db, 0) + 72, 1); /* max_bucket */
	put32(db, pg(db, 0) + 76, 1);
	put32(db, pg(db, 0) + 96, 1);  /* spares[0]: bucket 0 -> page 1 */
	put32(db, pg(db, 0) + 100, 1); /* spares[1]: bucket 1 -> page 2 */
	uint32_t b0 = new_page(db, 13), b1 = new_page(db, 13);
	unsigned char zero[4] = {0}, next[4];
	key(db, next, 9);
	hash_keydata(db, b0, zero, 4);
	hash_keydata(db, b0, next, 4);
	struct blob small = make_header("small", 0), big = make_header("big", 600),
		    other = make_header("other", 0);
	hash_pair(db, b0, 1, small, false);
	hash_pair(db, b1, 3, other, true); /* its overflow page comes before big's */
	size_t before = db->npages;
	h.big_first = hash_pair(db, b0, 2, big, true);
	h.big_pages = db->npages - before;
	assert_true(h.big_pages >= 3);
	/* duplicates: (len, bytes, len) twice after the type byte */
	struct blob d1 = make_header("dup1", 0), d2 = make_header("dup2", 0);
	size_t dn = 1 + 4 + d1.n + 4 + d2.n;
	unsigned char *dup = bw_malloc(dn);
	dup[0] = 2; /* H_DUPLICATE */
	put16(db, dup + 1, (uint32_t)d1.n);
	memcpy(dup + 3, d1.d, d1.n);
	put16(db, dup + 3 + d1.n, (uint32_t)d1.n);
	put16(db, dup + 5 + d1.n, (uint32_t)d2.n);
	memcpy(dup + 7 + d1.n, d2.d, d2.n);
	put16(db, dup + 7 + d1.n + d2.n, (uint32_t)d2.n);
	unsigned char kb[4];
	key(db, kb, 4);
	hash_keydata(db, b1, kb, 4);
	add_item(db, b1, dup, dn);
	free(dup);
	free(small.d);
	free(big.d);
	free(other.d);
	free(d1.d);
	free(d2.d);
	finish(db);
	return h;
}

/* The offset of item i on page n. */
static unsigned item_off(const struct bdb *db, uint32_t n, unsigned i)
{
	const unsigned char *p = pg(db, n) + db->hdr + 2 * i;
	return db->be ? (unsigned)(p[0] << 8 | p[1]) : (unsigned)(p[1] << 8 | p[0]);
}

static const char *const ALL[] = {"small", "big", "other", "dup1", "dup2"};

static void assert_all_but(const struct bw_report *r, const char *missing)
{
	for (size_t i = 0; i < BW_ARRAY_SIZE(ALL); i++)
		if (!missing || strcmp(ALL[i], missing) != 0)
			if (!has_pkg(r, ALL[i]))
				fail_msg("package %s was not read", ALL[i]);
	if (missing)
		assert_false(has_pkg(r, missing));
}

static void test_bdb_hash_good(void **state)
{
	for (int v = 0; v < 8; v++) {
		struct hashdb h = make_hash(v & 4 ? 4096 : 512, v & 1, v & 2);
		struct bw_report *r = parse(BDB_PATH, h.db.d, h.db.npages * h.db.pagesize);
		assert_int_equal(r->n_warnings, 0);
		assert_int_equal(r->n_packages, 5);
		assert_all_but(r, NULL);
		const struct bw_package *p = NULL;
		for (size_t i = 0; i < r->n_packages; i++)
			if (strcmp(r->packages[i].name, "big") == 0)
				p = &r->packages[i];
		assert_string_equal(p->version, "1.0-3.el8");
		assert_string_equal(p->source_name, "big");
		assert_string_equal(p->source_version, "1.0-3.el8");
		bw_report_free(r);
		/* a file named Packages.db holding a BerkeleyDB is still read as one (by its magic) */
		r = parse(NDB_PATH, h.db.d, h.db.npages * h.db.pagesize);
		assert_int_equal(r->n_packages, 5);
		bw_report_free(r);
		free(h.db.d);
	}
}

typedef void (*damage_fn)(struct hashdb *h, size_t *len);

static void check_damage(damage_fn f, const char *missing, const char *w1, const char *w2)
{
	for (int be = 0; be < 2; be++) {
		struct hashdb h = make_hash(512, be, false);
		size_t len = h.db.npages * h.db.pagesize;
		f(&h, &len);
		struct bw_report *r = parse(BDB_PATH, h.db.d, len);
		assert_warning(r, BDB_PATH, w1, w2, NULL);
		if (missing && strcmp(missing, "*") == 0)
			assert_int_equal(r->n_packages, 0);
		else
			assert_all_but(r, missing);
		bw_report_free(r);
		free(h.db.d);
	}
}

static void dmg_truncated(struct hashdb *h, size_t *len)
{
	*len = (h->big_first + 1) * h->db.pagesize + 100;
}
/* "big"'s overflow reference is item 5 of page 1 */
static void dmg_past_eof(struct hashdb *h, size_t *len)
{
	put32(&h->db, pg(&h->db, 1) + item_off(&h->db, 1, 5) + 4, 999);
}
static void dmg_loop(struct hashdb *h, size_t *len)
{
	set_next(&h->db, h->big_first + 1, h->big_first);
}
static void dmg_huge_len(struct hashdb *h, size_t *len)
{
	put32(&h->db, pg(&h->db, 1) + item_off(&h->db, 1, 5) + 8, 0xfffffff0u);
}
static void dmg_magic(struct hashdb *h, size_t *len)
{
	put32(&h->db, pg(&h->db, 0) + 12, 0x12345678);
}
static void dmg_zero_pagesize(struct hashdb *h, size_t *len)
{
	put32(&h->db, pg(&h->db, 0) + 20, 0);
}
static void dmg_odd_pagesize(struct hashdb *h, size_t *len)
{
	put32(&h->db, pg(&h->db, 0) + 20, 1000);
}
static void dmg_overflow_type(struct hashdb *h, size_t *len)
{
	pg(&h->db, h->big_first + 1)[25] = 13;
}
static void dmg_overflow_len(struct hashdb *h, size_t *len)
{
	put16(&h->db, pg(&h->db, h->big_first) + 22, 60000);
}
static void dmg_pgno(struct hashdb *h, size_t *len)
{
	put32(&h->db, pg(&h->db, h->big_first) + 8, 77);
}
static void dmg_bucket_loop(struct hashdb *h, size_t *len)
{
	set_next(&h->db, 2, 1);
}
static void dmg_last_page(struct hashdb *h, size_t *len)
{
	put32(&h->db, pg(&h->db, 0) + 32, 0x7fffffff);
}
static void dmg_max_bucket(struct hashdb *h, size_t *len)
{
	put32(&h->db, pg(&h->db, 0) + 72, 0xffffffffu);
}
static void dmg_spares(struct hashdb *h, size_t *len)
{
	put32(&h->db, pg(&h->db, 0) + 100, 0xfffffff0u);
}
static void dmg_spares_wrap(struct hashdb *h, size_t *len)
{
	put32(&h->db, pg(&h->db, 0) + 100, 0xffffffffu);
}
static void dmg_entries(struct hashdb *h, size_t *len)
{
	put16(&h->db, pg(&h->db, 2) + 20, 0xffff);
}
static void dmg_item_offset(struct hashdb *h, size_t *len)
{
	put16(&h->db, pg(&h->db, 2) + 26, 0xfff0);
}
static void dmg_header_blob(struct hashdb *h, size_t *len)
{
	/* "small"'s header (item 3 of page 1): index and data lengths far beyond its bytes */
	memset(pg(&h->db, 1) + item_off(&h->db, 1, 3) + 1, 0x7f, 8);
}
static void dmg_dup_len(struct hashdb *h, size_t *len)
{
	/* the duplicate list is item 3 of page 2, ending where item 2 begins: the
	 * second element's closing length no longer matches */
	put16(&h->db, pg(&h->db, 2) + item_off(&h->db, 2, 2) - 2, 0x1234);
}

static void test_bdb_hash_hostile(void **state)
{
	check_damage(dmg_truncated, "big", "truncated", "page");
	check_damage(dmg_past_eof, "big", "page 999", "past the last page");
	check_damage(dmg_loop, "big", "page", "loop");
	check_damage(dmg_huge_len, "big", "page 1", "4294967280 bytes");
	check_damage(dmg_magic, "*", "magic", NULL);
	check_damage(dmg_zero_pagesize, "*", "page size 0", NULL);
	check_damage(dmg_odd_pagesize, "*", "page size 1000", NULL);
	check_damage(dmg_overflow_type, "big", "(overflow): a page of type 13", NULL);
	check_damage(dmg_overflow_len, "big", "(overflow)", "60000 bytes");
	check_damage(dmg_pgno, "big", "holds page number 77", NULL);
	check_damage(dmg_bucket_loop, NULL, "page 1 (hash bucket)", "loop");
	check_damage(dmg_last_page, NULL, "truncated", NULL);
	check_damage(dmg_max_bucket, NULL, "buckets in a file of", NULL);
	check_damage(dmg_header_blob, "small", "page 1", "not a valid package header");
	check_damage(dmg_dup_len, "dup2", "page 2", "duplicates");
	/* bucket 1 gone: its two records and the duplicates are lost, bucket 0 is read */
	static const damage_fn lose_bucket1[] = {dmg_spares, dmg_spares_wrap, dmg_entries, dmg_item_offset};
	for (size_t i = 0; i < BW_ARRAY_SIZE(lose_bucket1); i++)
		for (int be = 0; be < 2; be++) {
			struct hashdb h = make_hash(512, be, false);
			size_t len = h.db.npages * h.db.pagesize;
			lose_bucket1[i](&h, &len);
			struct bw_report *r = parse(BDB_PATH, h.db.d, len);
			assert_warning(r, BDB_PATH, "page", NULL);
			assert_true(has_pkg(r, "small") && has_pkg(r, "big"));
			assert_false(has_pkg(r, "other") || has_pkg(r, "dup2"));
			bw_report_free(r);
			free(h.db.d);
		}
	/* bucket 0 mapped onto the metadata page: bucket 1 is still read */
	for (int be = 0; be < 2; be++) {
		struct hashdb h = make_hash(512, be, false);
		put32(&h.db, pg(&h.db, 0) + 96, 0);
		struct bw_report *r = parse(BDB_PATH, h.db.d, h.db.npages * h.db.pagesize);
		assert_warning(r, BDB_PATH, "bucket 0 maps to page 0", NULL);
		assert_true(has_pkg(r, "other") && has_pkg(r, "dup1") && has_pkg(r, "dup2"));
		assert_int_equal(r->n_packages, 3);
		bw_report_free(r);
		free(h.db.d);
	}
	/* an empty bucket BerkeleyDB never wrote (all zeros, as rpm --initdb leaves bucket 0) is no problem
	 */
	for (int be = 0; be < 2; be++) {
		struct hashdb h = make_hash(512, be, false);
		memset(pg(&h.db, 2), 0, h.db.pagesize);
		struct bw_report *r = parse(BDB_PATH, h.db.d, h.db.npages * h.db.pagesize);
		assert_int_equal(r->n_warnings, 0);
		assert_true(has_pkg(r, "small") && has_pkg(r, "big"));
		assert_int_equal(r->n_packages, 2);
		bw_report_free(r);
		free(h.db.d);
	}
	/* short files and empty ones */
	static const size_t cut[] = {0, 1, 16, 511, 512, 513, 4000};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cut); i++) {
		struct hashdb h = make_hash(4096, false, false);
		struct bw_report *r = parse(BDB_PATH, h.db.d, cut[i]);
		assert_int_equal(r->n_packages, 0);
		assert_warning(r, BDB_PATH, NULL);
		bw_report_free(r);
		free(h.db.d);
	}
}

/* ---- BTree: root (internal, page 1) -> leaves 2 and 3; "big" on overflow pages ---- */

static void btree_pair(struct bdb *db, uint32_t leaf, uint32_t k, struct blob v, bool offpage, bool deleted)
{
	unsigned char kb[7];
	put16(db, kb, 4);
	kb[2] = (unsigned char)(1 | (deleted ? 0x80 : 0));
	key(db, kb + 3, k);
	add_item(db, leaf, kb, sizeof(kb));
	if (offpage) {
		unsigned char ref[12] = {0, 0, 3};
		put32(db, ref + 4, overflow(db, v.d, v.n));
		put32(db, ref + 8, (uint32_t)v.n);
		add_item(db, leaf, ref, sizeof(ref));
	} else {
		unsigned char *it = bw_malloc(v.n + 3);
		put16(db, it, (uint32_t)v.n);
		it[2] = 1;
		memcpy(it + 3, v.d, v.n);
		add_item(db, leaf, it, v.n + 3);
		free(it);
	}
}

static struct bdb make_btree(bool be)
{
	struct bdb db = {NULL, 4096, 0, be, 26};
	meta(&db, true, false);
	put32(&db, pg(&db, 0) + 88, 1); /* root */
	uint32_t root = new_page(&db, 3), l1 = new_page(&db, 5), l2 = new_page(&db, 5);
	unsigned char bi[12] = {0};
	bi[2] = 1;
	put32(&db, bi + 4, l1);
	add_item(&db, root, bi, sizeof(bi));
	put32(&db, bi + 4, l2);
	add_item(&db, root, bi, sizeof(bi));
	set_next(&db, l1, l2);
	struct blob a = make_header("small", 0), b = make_header("big", 300), c = make_header("other", 0),
		    gone = make_header("deleted", 0);
	unsigned char z[4] = {0};
	btree_pair(&db, l1, 0, (struct blob){z, 4}, false, false);
	btree_pair(&db, l1, 1, a, false, false);
	btree_pair(&db, l1, 2, b, true, false);
	btree_pair(&db, l2, 3, c, false, false);
	btree_pair(&db, l2, 5, gone, false, true);
	free(a.d);
	free(b.d);
	free(c.d);
	free(gone.d);
	finish(&db);
	return db;
}

static void test_bdb_btree(void **state)
{
	for (int be = 0; be < 2; be++) {
		struct bdb db = make_btree(be);
		size_t len = db.npages * db.pagesize;
		struct bw_report *r = parse(BDB_PATH, db.d, len);
		assert_int_equal(r->n_warnings, 0);
		assert_int_equal(r->n_packages, 3);
		assert_true(has_pkg(r, "small") && has_pkg(r, "big") && has_pkg(r, "other"));
		bw_report_free(r);

		/* the leaf chain loops back to itself */
		unsigned char *copy = bw_malloc(len);
		memcpy(copy, db.d, len);
		put32(&db, copy + 2 * db.pagesize + 16, 2);
		r = parse(BDB_PATH, copy, len);
		assert_warning(r, BDB_PATH, "page 2", "loop", NULL);
		assert_int_equal(r->n_packages, 2);
		bw_report_free(r);

		/* every index entry of leaf 3 points at the same big item: the page's bytes bound the work */
		memcpy(copy, db.d, len);
		unsigned char *leaf = copy + 3 * db.pagesize;
		unsigned k = item_off(&db, 3, 0), v = item_off(&db, 3, 1);
		unsigned n = (v - 26) / 2 & ~1u;
		put16(&db, leaf + 20, n);
		for (unsigned i = 0; i < n; i++)
			put16(&db, leaf + 26 + 2 * i, i % 2 ? v : k); /* key then value */
		r = parse(BDB_PATH, copy, len);
		assert_true(r->n_packages <= 3);
		assert_int_equal(r->n_warnings, 1);
		assert_non_null(strstr(r->warnings[0], BDB_PATH));
		bw_report_free(r);

		/* the root's child past the end */
		memcpy(copy, db.d, len);
		put32(&db, copy + db.pagesize + db.pagesize - 12 + 4, 4242);
		r = parse(BDB_PATH, copy, len);
		assert_warning(r, BDB_PATH, "page 4242", NULL);
		assert_int_equal(r->n_packages, 0);
		bw_report_free(r);
		free(copy);
		free(db.d);
	}
}

/* ---- ndb ---- */

static void le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t adler32(const unsigned char *p, size_t n)
{
	uint32_t a = 1, b = 0;
	for (size_t i = 0; i < n; i++) {
		a = (a + p[i]) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

/* Slot page 0 (slots 2..), then the blobs of "small", "big", "other" as
 * packages 1, 2, 3 in slots 2, 4, 5 (slot 3 free); blob i starts at *off[i]. */
struct ndb {
	unsigned char *d;
	size_t len;
	size_t off[3];
};

static struct ndb make_ndb(void)
{
	struct blob b[3] = {make_header("small", 0), make_header("big", 200), make_header("other", 0)};
	struct ndb n = {NULL, 4096, {0}};
	n.d = bw_calloc(1, 4096);
	memcpy(n.d, "RpmP", 4);
	le32(n.d + 8, 5);
	le32(n.d + 12, 1);
	le32(n.d + 16, 4);
	for (size_t s = 2; s < 256; s++)
		memcpy(n.d + 16 * s, "Slot", 4);
	static const size_t slot[] = {2, 4, 5};
	for (size_t i = 0; i < 3; i++) {
		size_t blk = (16 + b[i].n + 12 + 15) / 16;
		n.off[i] = n.len;
		n.d = bw_realloc(n.d, n.len + blk * 16);
		unsigned char *p = n.d + n.len;
		memset(p, 0, blk * 16);
		memcpy(p, "BlbS", 4);
		le32(p + 4, (uint32_t)i + 1);
		le32(p + 8, 5);
		le32(p + 12, (uint32_t)b[i].n);
		memcpy(p + 16, b[i].d, b[i].n);
		unsigned char *t = p + blk * 16 - 12;
		le32(t, adler32(p, blk * 16 - 12));
		le32(t + 4, (uint32_t)b[i].n);
		memcpy(t + 8, "BlbE", 4);
		unsigned char *sl = n.d + 16 * slot[i];
		le32(sl + 4, (uint32_t)i + 1);
		le32(sl + 8, (uint32_t)(n.len / 16));
		le32(sl + 12, (uint32_t)blk);
		n.len += blk * 16;
		free(b[i].d);
	}
	return n;
}

static void test_ndb_good(void **state)
{
	struct ndb n = make_ndb();
	struct bw_report *r = parse(NDB_PATH, n.d, n.len);
	assert_int_equal(r->n_warnings, 0);
	assert_int_equal(r->n_packages, 3);
	assert_true(has_pkg(r, "small") && has_pkg(r, "big") && has_pkg(r, "other"));
	bw_report_free(r);
	/* under the BerkeleyDB name, still read as ndb (by its magic) */
	r = parse("/var/lib/rpm/Packages", n.d, n.len);
	assert_int_equal(r->n_packages, 3);
	bw_report_free(r);
	free(n.d);
}

typedef void (*ndb_damage_fn)(struct ndb *n);
static void nd_checksum(struct ndb *n)
{
	n->d[n->off[1] + 16 + 30] ^= 1;
}
static void nd_slot_magic(struct ndb *n)
{
	n->d[16 * 4] = 'X';
}
static void nd_past_eof(struct ndb *n)
{
	le32(n->d + 16 * 4 + 8, 0x7ffffff0);
}
static void nd_huge_blkcnt(struct ndb *n)
{
	le32(n->d + 16 * 4 + 12, 0xffffffffu);
}
static void nd_in_slot_area(struct ndb *n)
{
	le32(n->d + 16 * 4 + 8, 3);
}
static void nd_blob_magic(struct ndb *n)
{
	n->d[n->off[1]] = 'X';
}
static void nd_blob_pkgidx(struct ndb *n)
{
	le32(n->d + n->off[1] + 4, 9);
}
static void nd_blob_len(struct ndb *n)
{
	le32(n->d + n->off[1] + 12, 0xfffffff0u);
}
static void nd_tail(struct ndb *n)
{
	memcpy(n->d + n->off[2] - 4, "BlbX", 4);
}
static void nd_overlap(struct ndb *n)
{
	/* slot 5 ("other") claims the blocks of "big" too */
	le32(n->d + 16 * 5 + 8, (uint32_t)(n->off[1] / 16));
}
static void nd_header(struct ndb *n)
{
	/* a header blob librpm refuses, with a matching checksum */
	unsigned char *p = n->d + n->off[1];
	size_t span = n->off[2] - n->off[1];
	memset(p + 16, 0x7f, 8);
	le32(p + span - 12, adler32(p, span - 12));
}

static void test_ndb_hostile(void **state)
{
	static const struct {
		ndb_damage_fn f;
		const char *w1, *w2;
	} cases[] = {
	    {nd_checksum, "slot 4 (package 2)", "checksum"},
	    {nd_slot_magic, "slot 4", "magic"},
	    {nd_past_eof, "slot 4 (package 2)", "past the end"},
	    {nd_huge_blkcnt, "slot 4 (package 2)", "past the end"},
	    {nd_in_slot_area, "slot 4", "at block 3"},
	    {nd_blob_magic, "slot 4 (package 2)", "no blob"},
	    {nd_blob_pkgidx, "slot 4 (package 2)", "no blob"},
	    {nd_blob_len, "slot 4 (package 2)", "4294967280 bytes"},
	    {nd_tail, "slot 4 (package 2)", "tail"},
	    {nd_overlap, "package", "overlaps"},
	    {nd_header, "slot 4 (package 2)", "not a valid package header"},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cases); i++) {
		struct ndb n = make_ndb();
		cases[i].f(&n);
		struct bw_report *r = parse(NDB_PATH, n.d, n.len);
		assert_warning(r, NDB_PATH, cases[i].w1, cases[i].w2, NULL);
		assert_true(has_pkg(r, "small"));
		assert_int_equal(r->n_packages, 2);
		bw_report_free(r);
		free(n.d);
	}
	/* truncated in the last blob, and short of its slot page */
	struct ndb n = make_ndb();
	struct bw_report *r = parse(NDB_PATH, n.d, n.len - 20);
	assert_warning(r, NDB_PATH, "truncated", NULL);
	assert_int_equal(r->n_packages, 2);
	bw_report_free(r);
	r = parse(NDB_PATH, n.d, 1000);
	assert_warning(r, NDB_PATH, "truncated", NULL);
	assert_int_equal(r->n_packages, 0);
	bw_report_free(r);
	/* header problems: magic, version, no slot pages, a slot page count past any file */
	static const struct {
		size_t off;
		uint32_t v;
		const char *w;
	} hdr[] = {{0, 0x50506d52, "magic"},
		   {4, 1, "version 1"},
		   {12, 0, "no slot pages"},
		   {12, 0xffffffffu, "truncated"}};
	for (size_t i = 0; i < BW_ARRAY_SIZE(hdr); i++) {
		unsigned char *c = bw_malloc(n.len);
		memcpy(c, n.d, n.len);
		le32(c + hdr[i].off, hdr[i].v);
		r = parse(NDB_PATH, c, n.len);
		assert_warning(r, NDB_PATH, hdr[i].w, NULL);
		assert_int_equal(r->n_packages, 0);
		bw_report_free(r);
		free(c);
	}
	static const size_t cut[] = {0, 3, 31, 32};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cut); i++) {
		r = parse(NDB_PATH, n.d, cut[i]);
		assert_int_equal(r->n_packages, 0);
		assert_int_equal(r->n_warnings, 1);
		bw_report_free(r);
	}
	free(n.d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bdb_hash_good), cmocka_unit_test(test_bdb_hash_hostile),
	    cmocka_unit_test(test_bdb_btree),	  cmocka_unit_test(test_ndb_good),
	    cmocka_unit_test(test_ndb_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
