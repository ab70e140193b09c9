/* rpm_ndb: rpm's own "ndb" package database, Packages.db (SUSE and
 * openSUSE since 2020; rpm 4.15 and later, lib/backend/ndb/rpmpkg.c),
 * read from memory.
 *
 * Every number is a 32-bit little-endian integer. The file is made of
 * 16-byte blocks; its start is a run of 4096-byte slot pages.
 *
 * The header, the first 32 bytes of slot page 0:
 *     0  magic "RpmP"            12  slot pages (slotnpages, >= 1)
 *     4  version (0)             16  next package index
 *     8  generation              20  12 unused bytes
 *
 * Then 16-byte slots, to the end of the slot pages (slot numbers count
 * from 2, after the header's two slots):
 *     0  magic "Slot"             8  blkoff: first block of the blob (0: free slot)
 *     4  package index (> 0)     12  blkcnt: blocks of the blob
 * A used slot's blob lies past the slot pages, inside the file.
 *
 * A blob, at byte blkoff * 16, filling blkcnt blocks exactly:
 *     0  magic "BlbS"             8  generation it was written in
 *     4  package index            12  bloblen
 *    16  bloblen bytes: the package's rpm header blob; zeros to the block end
 *   and in its last 12 bytes the tail:
 *     0  adler32 (RFC 1950) of everything before the tail
 *     4  bloblen again            8  magic "BlbE"
 * so blkcnt = ceil((16 + bloblen + 12) / 16). rpm itself checks the
 * checksum only when verifying; we check it on every blob.
 *
 * Each slot is checked on its own (a bad one is reported by its number and
 * skipped); blobs of two slots may not overlap, so the bytes handed on are
 * bounded by the file's size.
 */
#include <inttypes.h>

#include "inventory-int.h"

#include "core/banned.h"

#define NDB_PAGE 4096u
#define NDB_BLK 16u
#define NDB_SLOT 16u
#define NDB_HEAD 16u
#define NDB_TAIL 12u

struct ndb_slot {
	uint32_t no, pkgidx, blkoff, blkcnt;
};

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t adler32(const unsigned char *p, size_t n)
{
	uint32_t a = 1, b = 0;
	while (n) {
		size_t k = n < 5552 ? n : 5552; /* the largest run without overflow (zlib's NMAX) */
		n -= k;
		while (k--) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return b << 16 | a;
}

static int by_blkoff(const void *x, const void *y)
{
	const struct ndb_slot *a = x, *b = y;
	return a->blkoff < b->blkoff ? -1 : a->blkoff > b->blkoff ? 1 : (a->no > b->no) - (a->no < b->no);
}

static void read_blob(struct inv_rpm_sink *s, const unsigned char *d, const struct ndb_slot *sl)
{
	const unsigned char *b = d + (size_t)sl->blkoff * NDB_BLK;
	size_t span = (size_t)sl->blkcnt * NDB_BLK;
	if (span < NDB_HEAD + NDB_TAIL) {
		inv_rpm_problem(
		    s, "slot %" PRIu32 " (package %" PRIu32 "): %" PRIu32 " blocks cannot hold a blob",
		    sl->no, sl->pkgidx, sl->blkcnt);
		return;
	}
	if (memcmp(b, "BlbS", 4) != 0 || le32(b + 4) != sl->pkgidx) {
		inv_rpm_problem(
		    s, "slot %" PRIu32 " (package %" PRIu32 "): no blob of this package at block %" PRIu32,
		    sl->no, sl->pkgidx, sl->blkoff);
		return;
	}
	uint64_t bloblen = le32(b + 12);
	if ((NDB_HEAD + bloblen + NDB_TAIL + NDB_BLK - 1) / NDB_BLK != sl->blkcnt) {
		inv_rpm_problem(s,
				"slot %" PRIu32 " (package %" PRIu32 "): a blob of %" PRIu64
				" bytes in %" PRIu32 " blocks",
				sl->no, sl->pkgidx, bloblen, sl->blkcnt);
		return;
	}
	const unsigned char *tail = b + span - NDB_TAIL;
	if (le32(tail + 4) != bloblen || memcmp(tail + 8, "BlbE", 4) != 0) {
		inv_rpm_problem(s, "slot %" PRIu32 " (package %" PRIu32 "): the blob's tail is damaged",
				sl->no, sl->pkgidx);
		return;
	}
	if (adler32(b, span - NDB_TAIL) != le32(tail)) {
		inv_rpm_problem(s,
				"slot %" PRIu32 " (package %" PRIu32 "): the blob's checksum does not match",
				sl->no, sl->pkgidx);
		return;
	}
	if (!inv_rpm_blob(s, b + NDB_HEAD, (size_t)bloblen))
		inv_rpm_problem(s, "slot %" PRIu32 " (package %" PRIu32 "): not a valid package header",
				sl->no, sl->pkgidx);
}

void inv_rpm_read_ndb(struct inv_rpm_sink *s, const unsigned char *d, size_t len)
{
	if (len < 32) {
		inv_rpm_problem(s, "%zu bytes, too short for an ndb header", len);
		return;
	}
	if (memcmp(d, "RpmP", 4) != 0) {
		inv_rpm_problem(s, "no \"RpmP\" magic: not an ndb database");
		return;
	}
	if (le32(d + 4) != 0) {
		inv_rpm_problem(s, "ndb version %" PRIu32 ", not 0", le32(d + 4));
		return;
	}
	uint32_t npages = le32(d + 12);
	if (npages == 0) {
		inv_rpm_problem(s, "the header declares no slot pages");
		return;
	}
	if (len % NDB_BLK)
		inv_rpm_problem(s, "%zu bytes, not a whole number of 16-byte blocks: truncated", len);
	size_t fileblks = len / NDB_BLK;
	uint64_t slot_bytes = (uint64_t)npages * NDB_PAGE;
	size_t slot_end = slot_bytes > len ? len / NDB_SLOT * NDB_SLOT : (size_t)slot_bytes;
	if (slot_end < slot_bytes)
		inv_rpm_problem(s,
				"%" PRIu32 " slot pages declared, the file ends within page %zu: truncated",
				npages, len / NDB_PAGE);
	uint64_t first_blob = slot_bytes / NDB_BLK; /* the block after the slot pages */

	size_t nslots = slot_end / NDB_SLOT, n = 0, cap = 0;
	struct ndb_slot *sl = NULL; /* the used slots: no more than the slot pages hold */
	for (size_t i = 32 / NDB_SLOT; i < nslots; i++) {
		const unsigned char *p = d + i * NDB_SLOT;
		struct ndb_slot t = {(uint32_t)i, le32(p + 4), le32(p + 8), le32(p + 12)};
		if (memcmp(p, "Slot", 4) != 0) {
			inv_rpm_problem(s, "slot %zu: no \"Slot\" magic", i);
			continue;
		}
		if (t.blkoff == 0)
			continue; /* free */
		if (t.pkgidx == 0 || t.blkcnt == 0 || t.blkoff < first_blob) {
			inv_rpm_problem(
			    s, "slot %zu: package %" PRIu32 " at block %" PRIu32 " (%" PRIu32 " blocks)", i,
			    t.pkgidx, t.blkoff, t.blkcnt);
			continue;
		}
		if ((uint64_t)t.blkoff + t.blkcnt > fileblks) {
			inv_rpm_problem(
			    s, "slot %zu (package %" PRIu32 "): its blob ends past the end of the file", i,
			    t.pkgidx);
			continue;
		}
		BW_ALLOC_GROW(sl, n + 1, cap);
		sl[n++] = t;
	}
	/* in file order, as rpm lists them; a blob overlapping the one before it is not read */
	if (n > 1)
		qsort(sl, n, sizeof(*sl), by_blkoff);
	uint64_t end = 0;
	for (size_t i = 0; i < n; i++) {
		if (sl[i].blkoff < end) {
			inv_rpm_problem(
			    s, "slot %" PRIu32 " (package %" PRIu32 "): its blob overlaps another one",
			    sl[i].no, sl[i].pkgidx);
			continue;
		}
		end = (uint64_t)sl[i].blkoff + sl[i].blkcnt;
		read_blob(s, d, &sl[i]);
	}
	free(sl);
}
