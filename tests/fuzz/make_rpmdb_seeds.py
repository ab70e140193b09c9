#!/usr/bin/env python3
"""Writes the rpm database seeds of fuzz_inventory: small BerkeleyDB files (Hash
and BTree, 512-byte pages, one header inline and one on an overflow page) made
by db5.3_load, and an ndb Packages.db made by tests/integration/rpmndb.py, from
tiny header blobs made with python3-rpm. The first byte of a seed picks the path
fuzz_inventory hands the rest over as (18: /var/lib/rpm/Packages, 19:
/usr/lib/sysimage/rpm/Packages.db). Run: /usr/bin/python3 tests/fuzz/make_rpmdb_seeds.py"""
import os
import struct
import subprocess
import sys
import tempfile

import rpm

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import rpmndb  # noqa: E402

BDB_PATH, NDB_PATH = 18, 19


def header(name, nfiles=0):
    h = rpm.hdr()
    h[rpm.RPMTAG_NAME] = name
    h[rpm.RPMTAG_VERSION] = "1.0"
    h[rpm.RPMTAG_RELEASE] = "1"
    h[rpm.RPMTAG_ARCH] = "noarch"
    h[rpm.RPMTAG_SOURCERPM] = f"{name}-1.0-1.src.rpm"
    if nfiles:
        h[rpm.RPMTAG_DIRNAMES] = ["/d/"]
        h[rpm.RPMTAG_BASENAMES] = [f"f{i}" for i in range(nfiles)]
        h[rpm.RPMTAG_DIRINDEXES] = [0] * nfiles
    return h.unload()


def bdb(kind, blobs):
    lines = ["VERSION=3", "format=bytevalue", f"type={kind}", "db_pagesize=512", "HEADER=END",
             " 00000000", " " + struct.pack("<I", len(blobs) + 1).hex()]
    for i, b in enumerate(blobs, 1):
        lines += [" " + struct.pack("<I", i).hex(), " " + b.hex()]
    lines.append("DATA=END")
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "Packages")
        subprocess.run(["db5.3_load", "-f", "/dev/stdin", path], input="\n".join(lines) + "\n", text=True,
                       check=True)
        return open(path, "rb").read()


def main():
    out = os.path.join(HERE, "corpus", "fuzz_inventory")
    blobs = [header("a"), header("b", 40)]
    assert len(blobs[0]) < 200 < len(blobs[1]) < 1024
    seeds = {
        "rpm-bdb-hash": bytes([BDB_PATH]) + bdb("hash", blobs),
        "rpm-bdb-btree": bytes([BDB_PATH]) + bdb("btree", blobs),
    }
    with tempfile.TemporaryDirectory() as d:
        seeds["rpm-ndb"] = bytes([NDB_PATH]) + rpmndb.write_ndb(os.path.join(d, "Packages.db"), blobs)
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
