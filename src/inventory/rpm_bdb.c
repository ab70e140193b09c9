/* rpm_bdb: the BerkeleyDB "Packages" file of rpm <= 4.15 (RHEL/CentOS <= 8,
 * Amazon Linux 2, Fedora <= 32), read from memory.
 *
 * rpm keeps one record per installed package in a Berkeley DB 4.x/5.x
 * database: the key is the package's instance number (4 bytes in the
 * byte order of the machine that wrote it), the value its header blob.
 * Key 0 holds no header but the next free instance number (rpm's iterator
 * skips it, and so do we), and rpm ignores keys that are not 4 bytes long.
 * rpm creates Packages with the Hash access method; it opens a BTree one as
 * well (db3.c accepts either, bdb_ro.c reads either), so both are read here.
 *
 * The file is an array of pages of one size. Numbers are in the byte order
 * of the writer, which the magic number tells (either order is read).
 *
 * Page 0, the metadata page (at least 512 bytes):
 *     0   8  LSN                      24  1  encryption algorithm (0: none)
 *     8   4  page number (0)          25  1  page type: 8 hash, 9 btree meta
 *    12   4  magic: 0x061561 hash,    26  1  metaflags (1: page checksums)
 *            0x053162 btree           32  4  last page number
 *    16   4  version (hash 8-10,
 *            btree 9-10)
 *    20   4  page size (512 .. 65536, a power of two)
 *   hash:   72 max_bucket, 76 high_mask, 80 low_mask, 96..223 spares[32]
 *   btree:  88 root page number
 *
 * Every other page starts with a 26-byte header:
 *     0   8  LSN                      20  2  entries (items on the page)
 *     8   4  this page's number       22  2  hf_offset (overflow pages: the
 *    12   4  previous page                   bytes of data on this page)
 *    16   4  next page (0: none)      24  1  btree level
 *                                     25  1  type: 2/13 hash, 3 btree internal,
 *                                               5 btree leaf, 7 overflow
 * With page checksums (metaflags 1) 6 more bytes follow (32 in all); an
 * encrypted database is not read. Then comes the item index: `entries`
 * 2-byte offsets of items, which are packed from the end of the page down.
 *
 * Hash: bucket B's first page is B + spares[ceil(log2(B + 1))]; a bucket's
 * further pages follow from next-page numbers. A bucket page of all zeros
 * was never written: an empty bucket (rpm --initdb leaves one so). Items come in pairs (key,
 * value); item i spans [index[i], index[i-1]) (item 0 runs to the page's
 * end). Its first byte is its type:
 *   1 H_KEYDATA    the bytes follow
 *   2 H_DUPLICATE  several values for one key: (2-byte length, bytes,
 *                  2-byte length) repeated
 *   3 H_OFFPAGE    3 unused bytes, 4-byte first overflow page, 4-byte length
 *   4 H_OFFDUP     a tree of duplicates on other pages (never in Packages)
 * BTree: internal pages (type 3) hold items of {2-byte length, type, 1
 * unused, 4-byte child page, 4-byte record count, key}; the leftmost child
 * of each level leads to the first leaf, and leaves (type 5) are chained by
 * next-page numbers. Leaf items are pairs of {2-byte length, type, bytes}
 * (type 1) or {2 unused, type 3, 1 unused, 4-byte page, 4-byte length};
 * type bit 0x80 marks a deleted item.
 * Overflow pages (type 7) carry hf_offset bytes of a big value after the
 * page header, chained by next-page numbers; rpm headers, some 10 KiB to
 * several MiB, mostly live there.
 *
 * Every page number is checked against the metadata's last page and the
 * file's size, and must match the number stored in the page; a page is
 * used at most once in a walk (a bitmap), which stops loops and bounds the
 * bytes handed on to the size of the file. A bad page or item is reported
 * with its page number and the walk goes on with the next bucket or item.
 */
#include <inttypes.h>

#include "inventory-int.h"

#include "core/banned.h"

enum {
	META_MIN = 512,
	PAGE_HDR = 26,
	PAGE_HDR_CHKSUM = 32,
	P_HASH_UNSORTED = 2,
	P_IBTREE = 3,
	P_LBTREE = 5,
	P_OVERFLOW = 7,
	P_HASHMETA = 8,
	P_BTREEMETA = 9,
	P_HASH = 13,
	H_KEYDATA = 1,
	H_DUPLICATE = 2,
	H_OFFPAGE = 3,
	H_OFFDUP = 4,
	B_KEYDATA = 1,
	B_DUPLICATE = 2,
	B_OVERFLOW = 3,
	B_DELETE = 0x80,
};

struct bdb {
	struct inv_rpm_sink *s;
	const unsigned char *d;
	size_t len;
	bool be; /* written big-endian */
	uint32_t pagesize;
	uint32_t last;	     /* the last page number that lies in the file too */
	size_t hdr;	     /* page header bytes before the item index */
	unsigned char *seen; /* a bit per page */
	size_t out;	     /* value bytes handed on so far */
	struct bw_buf ov;    /* an overflow value being put together */
};

static uint32_t rd32(const struct bdb *db, const unsigned char *p)
{
	return db->be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		      : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t rd16(const struct bdb *db, const unsigned char *p)
{
	return db->be ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
}

/* Page pgno, checked and marked as used; NULL after a problem naming it. */
static const unsigned char *page(struct bdb *db, uint32_t pgno, const char *what)
{
	if (pgno == 0 || pgno > db->last) {
		inv_rpm_problem(db->s, "page %" PRIu32 " (%s): past the last page, %" PRIu32, pgno, what,
				db->last);
		return NULL;
	}
	if (db->seen[pgno / 8] & (1u << (pgno % 8))) {
		inv_rpm_problem(db->s, "page %" PRIu32 " (%s): reached a second time, a loop", pgno, what);
		return NULL;
	}
	db->seen[pgno / 8] |= (unsigned char)(1u << (pgno % 8));
	const unsigned char *p = db->d + (size_t)pgno * db->pagesize;
	if (rd32(db, p + 8) != pgno) {
		inv_rpm_problem(db->s, "page %" PRIu32 " (%s): holds page number %" PRIu32, pgno, what,
				rd32(db, p + 8));
		return NULL;
	}
	return p;
}

static void emit(struct bdb *db, uint32_t pgno, const unsigned char *v, size_t n)
{
	if (n > db->len - db->out) { /* cannot happen while pages are used once; a cheap guard */
		inv_rpm_problem(db->s, "page %" PRIu32 ": more value bytes than the file holds", pgno);
		return;
	}
	db->out += n;
	if (!inv_rpm_blob(db->s, v, n))
		inv_rpm_problem(db->s, "page %" PRIu32 ": a record that is not a valid package header", pgno);
}

/* A value of tlen bytes on the overflow pages from pgno on (referenced from page `from`). */
static void overflow(struct bdb *db, uint32_t from, uint32_t pgno, uint32_t tlen)
{
	if (tlen == 0 || tlen > db->len) {
		inv_rpm_problem(db->s,
				"page %" PRIu32 ": an overflow value of %" PRIu32 " bytes (the file has %zu)",
				from, tlen, db->len);
		return;
	}
	bw_buf_reset(&db->ov);
	size_t room = db->pagesize - db->hdr;
	while (db->ov.len < tlen) {
		if (pgno == 0) {
			inv_rpm_problem(
			    db->s, "page %" PRIu32 ": its overflow chain ends after %zu of %" PRIu32 " bytes",
			    from, db->ov.len, tlen);
			return;
		}
		const unsigned char *p = page(db, pgno, "overflow");
		if (!p)
			return;
		if (p[25] != P_OVERFLOW) {
			inv_rpm_problem(db->s, "page %" PRIu32 " (overflow): a page of type %u", pgno, p[25]);
			return;
		}
		size_t n = rd16(db, p + 22);
		if (n == 0 || n > room || n > tlen - db->ov.len) {
			inv_rpm_problem(
			    db->s, "page %" PRIu32 " (overflow): holds %zu bytes of the %zu still wanted",
			    pgno, n, tlen - db->ov.len);
			return;
		}
		if (bw_buf_add(&db->ov, p + db->hdr, n) < 0) {
			inv_rpm_problem(db->s, "page %" PRIu32 ": an overflow value too large", from);
			return;
		}
		pgno = rd32(db, p + 16);
	}
	emit(db, from, (const unsigned char *)db->ov.data, db->ov.len);
}

/* Is this key a package number other than 0? Reports other key shapes. */
static bool package_key(struct bdb *db, uint32_t pgno, const unsigned char *k, size_t n, bool inline_key)
{
	if (inline_key && n == 4)
		return k[0] | k[1] | k[2] | k[3]; /* key 0: the next instance number */
	inv_rpm_problem(db->s, "page %" PRIu32 ": a key of %zu bytes is not a package number", pgno, n);
	return false;
}

/* ---- Hash ---- */

static void hash_value(struct bdb *db, uint32_t pgno, const unsigned char *v, size_t n)
{
	switch (v[0]) {
	case H_KEYDATA:
		emit(db, pgno, v + 1, n - 1);
		break;
	case H_OFFPAGE:
		if (n < 12) {
			inv_rpm_problem(db->s, "page %" PRIu32 ": an overflow reference of %zu bytes", pgno,
					n);
			break;
		}
		overflow(db, pgno, rd32(db, v + 4), rd32(db, v + 8));
		break;
	case H_DUPLICATE:
		for (size_t o = 1; o < n;) {
			size_t e = n - o >= 2 ? rd16(db, v + o) : SIZE_MAX;
			if (e > n - o || n - o - e < 4 || rd16(db, v + o + 2 + e) != e) {
				inv_rpm_problem(db->s, "page %" PRIu32 ": a broken list of duplicates", pgno);
				break;
			}
			emit(db, pgno, v + o + 2, e);
			o += e + 4;
		}
		break;
	case H_OFFDUP:
		inv_rpm_problem(db->s, "page %" PRIu32 ": off-page duplicates, which rpm never writes", pgno);
		break;
	default:
		inv_rpm_problem(db->s, "page %" PRIu32 ": an item of unknown type %u", pgno, v[0]);
		break;
	}
}

static void hash_page(struct bdb *db, uint32_t pgno, const unsigned char *p)
{
	size_t n = rd16(db, p + 20);
	size_t lo = db->hdr + 2 * n;
	if (lo > db->pagesize) {
		inv_rpm_problem(db->s, "page %" PRIu32 ": %zu items do not fit in the page", pgno, n);
		return;
	}
	if (n % 2)
		inv_rpm_problem(db->s, "page %" PRIu32 ": an odd number of items (%zu)", pgno, n);
	/* item i spans [index[i], index[i-1]): offsets fall strictly, so items never overlap */
	size_t end = db->pagesize;
	for (size_t i = 0; i + 1 < n; i += 2) {
		size_t ko = rd16(db, p + db->hdr + 2 * i), vo = rd16(db, p + db->hdr + 2 * i + 2);
		if (ko < lo || ko >= end || vo < lo || vo >= ko) {
			inv_rpm_problem(db->s,
					"page %" PRIu32 ": item %zu lies outside its place in the page", pgno,
					ko < lo || ko >= end ? i : i + 1);
			return; /* the rest of the index cannot be trusted */
		}
		const unsigned char *k = p + ko, *v = p + vo;
		size_t kn = end - ko, vn = ko - vo;
		end = vo;
		if (k[0] != H_KEYDATA && k[0] != H_OFFPAGE) {
			inv_rpm_problem(db->s, "page %" PRIu32 ": a key item of type %u", pgno, k[0]);
			continue;
		}
		if (package_key(db, pgno, k + 1, kn - 1, k[0] == H_KEYDATA))
			hash_value(db, pgno, v, vn);
	}
}

/* All zeros: a page the file has room for but BerkeleyDB never wrote (a
 * freshly made rpm database leaves bucket 0 so; reads see an empty page). */
static bool never_written(const struct bdb *db, uint32_t pgno)
{
	const unsigned char *p = db->d + (size_t)pgno * db->pagesize;
	for (size_t i = 0; i < db->pagesize; i++)
		if (p[i])
			return false;
	return true;
}

static int log2_ceil(uint32_t n)
{
	int i = 0;
	for (uint64_t lim = 1; lim < n; lim <<= 1)
		i++;
	return i;
}

static void read_hash(struct bdb *db, const unsigned char *meta)
{
	uint32_t max_bucket = rd32(db, meta + 72);
	if (max_bucket >= db->last) { /* each bucket has a page of its own */
		inv_rpm_problem(db->s, "page 0: %" PRIu64 " buckets in a file of %" PRIu64 " pages",
				(uint64_t)max_bucket + 1, (uint64_t)db->last + 1);
		max_bucket = db->last - 1;
	}
	for (uint32_t b = 0; b <= max_bucket; b++) {
		int sp = log2_ceil(b + 1);
		uint64_t pgno = sp < 32 ? (uint64_t)b + rd32(db, meta + 96 + 4 * sp) : UINT64_MAX;
		if (pgno == 0 || pgno > UINT32_MAX) {
			inv_rpm_problem(db->s, "page 0: bucket %" PRIu32 " maps to page %" PRIu64, b, pgno);
			continue;
		}
		/* the bucket's first page, then its chain of further pages */
		if (pgno <= db->last && never_written(db, (uint32_t)pgno))
			continue; /* an empty bucket BerkeleyDB allocated but never wrote */
		while (pgno) {
			const unsigned char *p = page(db, (uint32_t)pgno, "hash bucket");
			if (!p)
				break;
			if (p[25] != P_HASH && p[25] != P_HASH_UNSORTED) {
				inv_rpm_problem(
				    db->s, "page %" PRIu64 " (hash bucket %" PRIu32 "): a page of type %u",
				    pgno, b, p[25]);
				break;
			}
			hash_page(db, (uint32_t)pgno, p);
			pgno = rd32(db, p + 16);
		}
	}
}

/* ---- BTree ---- */

/* A leaf item at off: its bytes (type 1) or its overflow reference (type 3). */
static bool btree_item(struct bdb *db, uint32_t pgno, const unsigned char *p, size_t off, size_t lo,
		       size_t *used, const unsigned char **v, size_t *vn)
{
	if (off < lo || off > db->pagesize - 3) {
		inv_rpm_problem(db->s, "page %" PRIu32 ": an item offset %zu outside the page", pgno, off);
		return false;
	}
	size_t n = (p[off + 2] & 0x7f) == B_KEYDATA ? 3 + rd16(db, p + off) : 12;
	if (n > db->pagesize - off || n > db->pagesize - *used) {
		inv_rpm_problem(
		    db->s, "page %" PRIu32 ": an item of %zu bytes past the page's end or overlapping others",
		    pgno, n);
		return false;
	}
	*used += n; /* items may lie anywhere: their total bounds the work a page can make */
	*v = p + off;
	*vn = n;
	return true;
}

static void btree_leaf(struct bdb *db, uint32_t pgno, const unsigned char *p)
{
	size_t n = rd16(db, p + 20);
	size_t lo = db->hdr + 2 * n, used = lo;
	if (lo > db->pagesize) {
		inv_rpm_problem(db->s, "page %" PRIu32 ": %zu items do not fit in the page", pgno, n);
		return;
	}
	if (n % 2)
		inv_rpm_problem(db->s, "page %" PRIu32 ": an odd number of items (%zu)", pgno, n);
	for (size_t i = 0; i + 1 < n; i += 2) {
		const unsigned char *k, *v;
		size_t kn, vn;
		if (!btree_item(db, pgno, p, rd16(db, p + db->hdr + 2 * i), lo, &used, &k, &kn) ||
		    !btree_item(db, pgno, p, rd16(db, p + db->hdr + 2 * i + 2), lo, &used, &v, &vn))
			return;
		if ((k[2] | v[2]) & B_DELETE)
			continue;
		if (!package_key(db, pgno, k + 3, kn - 3, k[2] == B_KEYDATA))
			continue;
		if (v[2] == B_KEYDATA)
			emit(db, pgno, v + 3, vn - 3);
		else if (v[2] == B_OVERFLOW)
			overflow(db, pgno, rd32(db, v + 4), rd32(db, v + 8));
		else
			inv_rpm_problem(db->s, "page %" PRIu32 ": a value item of type %u", pgno, v[2]);
	}
}

static void read_btree(struct bdb *db, const unsigned char *meta)
{
	uint32_t pgno = rd32(db, meta + 88);
	const unsigned char *p;
	/* down the leftmost children to the first leaf */
	for (;;) {
		if (!(p = page(db, pgno, "btree")))
			return;
		if (p[25] == P_LBTREE)
			break;
		if (p[25] != P_IBTREE) {
			inv_rpm_problem(db->s, "page %" PRIu32 " (btree): a page of type %u", pgno, p[25]);
			return;
		}
		size_t n = rd16(db, p + 20), off = n ? rd16(db, p + db->hdr) : 0;
		if (n == 0 || off < db->hdr + 2 * n || off > db->pagesize - 12) {
			inv_rpm_problem(db->s, "page %" PRIu32 " (btree internal): no first child", pgno);
			return;
		}
		pgno = rd32(db, p + off + 4);
	}
	/* along the leaves */
	for (;;) {
		btree_leaf(db, pgno, p);
		if (!(pgno = rd32(db, p + 16)))
			return;
		if (!(p = page(db, pgno, "btree leaf")))
			return;
		if (p[25] != P_LBTREE) {
			inv_rpm_problem(db->s, "page %" PRIu32 " (btree leaf): a page of type %u", pgno,
					p[25]);
			return;
		}
	}
}

void inv_rpm_read_bdb(struct inv_rpm_sink *s, const unsigned char *d, size_t len)
{
	if (len < META_MIN) {
		inv_rpm_problem(s, "%zu bytes, too short for a BerkeleyDB metadata page", len);
		return;
	}
	struct bdb db = {.s = s, .d = d, .len = len};
	const uint32_t le = (uint32_t)d[15] << 24 | (uint32_t)d[14] << 16 | (uint32_t)d[13] << 8 | d[12];
	const uint32_t be = (uint32_t)d[12] << 24 | (uint32_t)d[13] << 16 | (uint32_t)d[14] << 8 | d[15];
	bool hash = le == 0x061561 || be == 0x061561;
	if (!hash && le != 0x053162 && be != 0x053162) {
		inv_rpm_problem(s, "page 0: magic 0x%08" PRIx32 " is not a BerkeleyDB hash or btree", le);
		return;
	}
	db.be = le != 0x061561 && le != 0x053162;
	uint32_t version = rd32(&db, d + 16);
	if (hash ? version < 8 || version > 10 : version < 9 || version > 10) {
		inv_rpm_problem(s, "page 0: %s version %" PRIu32 " is not one of BerkeleyDB 4.x to 6.x",
				hash ? "hash" : "btree", version);
		return;
	}
	if (d[25] != (hash ? P_HASHMETA : P_BTREEMETA)) {
		inv_rpm_problem(s, "page 0: a metadata page of type %u", d[25]);
		return;
	}
	if (d[24]) {
		inv_rpm_problem(s, "page 0: an encrypted database");
		return;
	}
	db.pagesize = rd32(&db, d + 20);
	if (db.pagesize < 512 || db.pagesize > 65536 || (db.pagesize & (db.pagesize - 1))) {
		inv_rpm_problem(s, "page 0: page size %" PRIu32, db.pagesize);
		return;
	}
	db.hdr = d[26] & 1 ? PAGE_HDR_CHKSUM : PAGE_HDR;
	uint32_t last = rd32(&db, d + 32);
	size_t in_file = len / db.pagesize; /* whole pages */
	if (in_file == 0) {
		inv_rpm_problem(s, "page 0: page size %" PRIu32 " in a file of %zu bytes", db.pagesize, len);
		return;
	}
	if (len % db.pagesize || (uint64_t)last + 1 > in_file)
		inv_rpm_problem(s, "page 0: the file has %zu bytes, the metadata says %" PRIu64 ": truncated",
				len, ((uint64_t)last + 1) * db.pagesize);
	db.last = (uint64_t)last + 1 > in_file ? (uint32_t)(in_file - 1) : last;
	if (db.last == 0)
		return; /* nothing but the metadata page */
	db.seen = bw_calloc(1, db.last / 8 + 1);
	bw_buf_init(&db.ov, len);
	if (hash)
		read_hash(&db, d);
	else
		read_btree(&db, d);
	bw_buf_release(&db.ov);
	free(db.seen);
}
