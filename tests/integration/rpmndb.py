"""A writer of rpm's ndb package database (Packages.db), for tests.

No tool on Debian writes ndb (Debian's librpm has no ndb backend), so the tests
make their own from rpm header blobs, following rpm's lib/backend/ndb/rpmpkg.c:

- all numbers are 32-bit little-endian; the file is made of 16-byte blocks;
- slot pages of 4096 bytes come first; the first 32 bytes of page 0 are the
  header: b"RpmP", version 0, generation, number of slot pages, next package
  index, 12 zero bytes;
- then 16-byte slots: b"Slot", package index, first block of its blob
  (0: a free slot), number of blocks;
- each blob lies past the slot pages, block-aligned, and fills its blocks
  exactly: head b"BlbS", package index, generation, blob length; the header
  blob; zero padding; tail (adler32 of everything before it, blob length,
  b"BlbE") in the last 12 bytes.

write_ndb() makes such a file; its options place blobs out of slot order,
leave free slots and gaps, and spread slots over several pages, as a database
that rpm has been changing for a while looks.
"""

import struct
import zlib

PAGE = 4096
BLK = 16
SLOTS_PER_PAGE = PAGE // 16


def blob_record(pkgidx, blob, generation=1):
    """The bytes of one blob record (head, data, padding, tail)."""
    nblk = (16 + len(blob) + 12 + BLK - 1) // BLK
    head = b"BlbS" + struct.pack("<III", pkgidx, generation, len(blob))
    body = head + blob + bytes(nblk * BLK - 16 - len(blob) - 12)
    tail = struct.pack("<II", zlib.adler32(body) & 0xFFFFFFFF, len(blob)) + b"BlbE"
    return body + tail


def write_ndb(path, blobs, slot_pages=1, reverse=False, free_every=0, gap_blocks=0, generation=7):
    """Write Packages.db holding `blobs` (a list of header blobs) as packages 1..n.

    slot_pages: slot pages to declare (more than needed leaves free slots).
    reverse: place the blobs in the file in the opposite order of their slots.
    free_every: leave every n-th slot free before a used one.
    gap_blocks: free blocks between blobs (space rpm left after deleting one).
    """
    nslots = slot_pages * SLOTS_PER_PAGE - 2
    needed = len(blobs) + (len(blobs) // free_every if free_every else 0)
    if needed > nslots:
        raise ValueError("not enough slots: raise slot_pages")
    order = list(range(len(blobs)))
    placed = {}
    blk = slot_pages * PAGE // BLK
    data = bytearray()
    for i in reversed(order) if reverse else order:
        rec = blob_record(i + 1, blobs[i], generation)
        placed[i] = (blk, len(rec) // BLK)
        data += rec + bytes(gap_blocks * BLK)
        blk += len(rec) // BLK + gap_blocks
    slots = bytearray()
    used = 0
    for i in order:
        if free_every and used % free_every == free_every - 1:
            slots += b"Slot" + bytes(12)
        off, cnt = placed[i]
        slots += b"Slot" + struct.pack("<III", i + 1, off, cnt)
        used += 1
    while len(slots) < nslots * 16:
        slots += b"Slot" + bytes(12)
    header = b"RpmP" + struct.pack("<IIII", 0, generation, slot_pages, len(blobs) + 1) + bytes(12)
    out = header + slots + data
    assert len(out) % BLK == 0 and len(header + slots) == slot_pages * PAGE
    with open(path, "wb") as f:
        f.write(out)
    return out
