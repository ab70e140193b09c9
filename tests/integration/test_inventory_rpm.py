"""rpm databases in their BerkeleyDB and ndb shapes, read by bulwark's own readers.

The packages are real: rpmbuild makes them (a package with thousands of files,
whose header needs many overflow pages, packages with an epoch, an arch and
subpackages of one source rpm, and 120 small subpackages), `rpm -i --justdb`
installs them into an rpmdb.sqlite, and their header blobs are taken from its
Packages table.

- BerkeleyDB: db5.3_load writes real Berkeley DB 5.3 `Packages` files from
  those blobs (keys: the package numbers as 4-byte integers in the file's
  byte order, plus rpm's key 0), as Hash (4096- and 512-byte pages, a high fill
  factor for chains of bucket pages, big-endian) and as BTree. The oracle is
  Debian's rpm reading the same file through its read-only BerkeleyDB backend
  (`--define '_db_backend bdb_ro'`): bulwark's (name, [epoch:]version-release,
  arch, source rpm) set must equal rpm's. One of them goes into an image built
  by the Docker engine, checked through `image --list-packages -f json` and
  both SBOMs.
- ndb: no Debian tool writes it, so rpmndb.py (next to this file) does, from
  the same blobs; bulwark must read back exactly the packages of those blobs,
  the same set as through sqlite and BerkeleyDB.
- Damage done to a real BerkeleyDB file (an overflow page overwritten, the
  file cut) and to an ndb file (a checksum) is a warning naming the file and
  the page or slot; the other packages are still listed.
"""

import json
import os
import shutil
import sqlite3
import struct
import subprocess
import urllib.parse

import pytest

import rpmndb
from test_inventory import scan
from test_sbom import assert_valid, cdx, sbom, spdx  # noqa: F401 (fixtures)

QF = "%{NAME}\t%{EPOCH}\t%{VERSION}-%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n"

SPEC = """Name: {name}
Version: {version}
Release: {release}
{epoch}Summary: a test package
License: {license}
BuildArch: {arch}
%description
test
{subpackages}
%install
mkdir -p %{{buildroot}}/usr/share/{name}
for i in $(seq 1 {nfiles}); do echo $i > %{{buildroot}}/usr/share/{name}/a-file-with-a-rather-long-name-$i; done
{subinstall}
%files
/usr/share/{name}
{subfiles}
"""


def spec(name, version="1.0", release="1", epoch=None, arch="noarch", license="MIT", nfiles=1, subs=()):
    sp = "".join(f"%package {s}\nSummary: sub {s}\n%description {s}\nsub\n" for s in subs)
    si = "".join(f"mkdir -p %{{buildroot}}/usr/share/{name}-{s} && echo {s} > %{{buildroot}}/usr/share/{name}-{s}/f\n"
                 for s in subs)
    sf = "".join(f"%files {s}\n/usr/share/{name}-{s}\n" for s in subs)
    return SPEC.format(name=name, version=version, release=release, epoch=f"Epoch: {epoch}\n" if epoch else "",
                       arch=arch, license=license, nfiles=nfiles, subpackages=sp, subinstall=si, subfiles=sf)


SPECS = {
    "bwbig": spec("bwbig", "3.1.4", "2.el8", nfiles=3000, license="GPL-2.0-or-later"),
    "bwepoch": spec("bwepoch", "0.9", "5.el8_2", epoch=3, arch="x86_64", subs=("libs", "devel")),
    "bwmany": spec("bwmany", "7", "1", subs=tuple(f"s{i:03d}" for i in range(120))),
}


def need(*tools):
    for t in tools:
        if not shutil.which(t):
            pytest.skip(f"{t} needed (rpm, db5.3-util)")


@pytest.fixture(scope="session")
def rpm_blobs(tmp_path_factory):
    """(the header blobs of the installed packages in hnum order, rpm's own package set)."""
    need("rpm", "rpmbuild")
    d = tmp_path_factory.mktemp("rpm-blobs")
    (d / "top/SPECS").mkdir(parents=True)
    for name, text in SPECS.items():
        sp = d / f"top/SPECS/{name}.spec"
        sp.write_text(text)
        subprocess.run(["rpmbuild", "--define", f"_topdir {d / 'top'}", "-bb", str(sp)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = d / "db"
    db.mkdir()
    subprocess.run(["rpm", "--initdb", "--dbpath", str(db)], check=True)
    rpms = sorted(str(p) for p in (d / "top/RPMS").rglob("*.rpm"))
    subprocess.run(["rpm", "-i", "--nodeps", "--justdb", "--ignorearch", "--dbpath", str(db)] + rpms, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    con = sqlite3.connect(str(db / "rpmdb.sqlite"))
    rows = list(con.execute("SELECT hnum, blob FROM Packages ORDER BY hnum"))
    con.close()
    want = rpm_qa(db, "sqlite")
    assert len(rows) == len(want) == 1 + 3 + 121
    assert max(len(b) for _, b in rows) > 200_000  # bwbig's header spans many overflow pages
    return rows, want, db / "rpmdb.sqlite"


def rpm_qa(dbdir, backend):
    """rpm's own answer: {(name, [epoch:]version-release, arch, sourcerpm)}."""
    out = subprocess.run(["rpm", "-qa", "--dbpath", str(dbdir), "--define", f"_db_backend {backend}", "--qf", QF],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=True).stdout
    got = set()
    for line in out.splitlines():
        n, e, vr, a, s = line.split("\t")
        got.add((n, vr if e == "(none)" else f"{e}:{vr}", a, s))
    return got


def write_bdb(path, rows, kind="hash", pagesize=4096, ffactor=None, big_endian=False, chksum=False):
    """A real Berkeley DB 5.3 Packages file from (hnum, blob) rows, by db5.3_load."""
    need("db5.3_load")
    order = ">I" if big_endian else "<I"
    head = ["VERSION=3", "format=bytevalue", f"type={kind}", f"db_pagesize={pagesize}"]
    if big_endian:
        head.append("db_lorder=4321")
    if ffactor:
        head.append(f"h_ffactor={ffactor}")
    if chksum:
        head.append("chksum=1")
    lines = head + ["HEADER=END"]
    # key 0: the next free package number, as rpm keeps it
    lines += [" " + struct.pack(order, 0).hex(), " " + struct.pack(order, len(rows) + 1).hex()]
    for hnum, blob in rows:
        lines += [" " + struct.pack(order, hnum).hex(), " " + blob.hex()]
    lines.append("DATA=END")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    subprocess.run(["db5.3_load", "-f", "/dev/stdin", str(path)], input="\n".join(lines) + "\n", text=True,
                   check=True)
    return path


def db_stat(path):
    """db5.3_stat -d as {description: number}."""
    out = subprocess.run(["db5.3_stat", "-d", str(path)], stdout=subprocess.PIPE, text=True, check=True).stdout
    stat = {}
    for line in out.splitlines():
        num, _, what = line.partition("\t")
        if num.strip().isdigit():
            stat[what.strip()] = int(num)
    return stat


def bulwark_set(report, path=None):
    """bulwark's packages as (name, version, arch, source rpm)."""
    got = set()
    for p in report["packages"]:
        if path and p["path"] != path:
            continue
        q = dict(urllib.parse.parse_qsl(p["purl"].split("?", 1)[1]))
        got.add((p["name"], p["version"], q.get("arch"), f"{p['source_name']}-{p['source_version']}.src.rpm"))
    return got


def fs_scan(bulwark, root):
    return bulwark.json(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(root)])


@pytest.fixture
def run_tags(docker):
    """Per-run image tags, removed at the end."""
    made = []

    def tag(name):
        t = f"bwtest/{name}:run{os.getpid()}"
        made.append(t)
        return t

    yield tag
    for t in made:
        docker.cli("rmi", "-f", t, check=False)


# ----------------------------------------------------------------------------- BerkeleyDB

# name: (db5.3_load options, {db5.3_stat -d line: least value}) -- each shape makes
# the reader walk another part of the format
BDB_SHAPES = {
    "hash-4k": (dict(), {"Number of overflow pages": 200}),
    "hash-512": (dict(pagesize=512), {"Number of hash buckets": 4, "Number of bucket overflow pages": 1,
                                       "Number of overflow pages": 1000}),
    "hash-512-many-buckets": (dict(pagesize=512, ffactor=1), {"Number of hash buckets": 64}),
    # small headers fit on the page (H_KEYDATA values), buckets grow chains of pages
    "hash-8k-inline": (dict(pagesize=8192), {"Number of hash buckets": 16, "Number of bucket overflow pages": 4}),
    "hash-64k": (dict(pagesize=65536), {"Number of bucket overflow pages": 1}),
    "hash-1k-big-endian": (dict(pagesize=1024, big_endian=True), {"Number of overflow pages": 500}),
    "btree-512": (dict(kind="btree", pagesize=512), {"Number of tree overflow pages": 1000}),
    "btree-8k-big-endian": (dict(kind="btree", pagesize=8192, big_endian=True), {"Number of tree leaf pages": 4}),
}


@pytest.mark.parametrize("shape", sorted(BDB_SHAPES))
def test_bdb_packages_equal_rpm_bdb_ro(bulwark, rpm_blobs, tmp_path, shape):
    rows, want, _ = rpm_blobs
    opts, least = BDB_SHAPES[shape]
    root = tmp_path / "root"
    f = write_bdb(root / "var/lib/rpm/Packages", rows, **opts)
    stat = db_stat(f)
    assert stat["Underlying database page size"] == opts.get("pagesize", 4096)
    for what, n in least.items():
        assert stat[what] >= n, (what, stat)
    # the oracle: Debian's rpm through its read-only BerkeleyDB backend
    oracle = rpm_qa(f.parent, "bdb_ro")
    assert oracle == want
    r = fs_scan(bulwark, root)
    assert bulwark_set(r) == oracle
    assert not r.get("warnings")
    big = next(p for p in r["packages"] if p["name"] == "bwbig")
    assert big["licenses"] == ["GPL-2.0-or-later"]


def test_bdb_with_page_checksums(bulwark, rpm_blobs, tmp_path):
    """Page checksums move the item index 6 bytes down. rpm never enables them and its
    bdb_ro backend then reads nothing; db5.3_dump is the oracle of what the file holds."""
    rows, want, _ = rpm_blobs
    root = tmp_path / "root"
    f = write_bdb(root / "var/lib/rpm/Packages", rows, pagesize=2048, chksum=True)
    assert f.read_bytes()[26] & 1
    dump = subprocess.run(["db5.3_dump", str(f)], stdout=subprocess.PIPE, text=True, check=True).stdout
    body = dump.split("HEADER=END\n", 1)[1].split("DATA=END", 1)[0].split()
    values = {bytes.fromhex(body[i + 1]) for i in range(0, len(body), 2) if body[i] != "00000000"}
    assert values == {b for _, b in rows}
    r = fs_scan(bulwark, root)
    assert bulwark_set(r) == want
    assert not r.get("warnings")


def test_bdb_in_image_list_packages_and_sbom(bulwark, rpm_blobs, tiny_image, docker, save, cdx, spdx, tmp_path,
                                             run_tags):
    rows, want, _ = rpm_blobs
    ctx = tmp_path / "ctx"
    write_bdb(ctx / "Packages", rows, "hash", 4096)
    assert rpm_qa(ctx, "bdb_ro") == want
    (ctx / "os-release").write_text('NAME="CentOS Linux"\nID="centos"\nVERSION_ID="8"\n')
    (ctx / "Dockerfile").write_text(f"FROM {tiny_image}\nCOPY Packages /var/lib/rpm/Packages\n"
                                    "COPY os-release /etc/os-release\n")
    tar = save(docker.build_image(run_tags("inventory-rpm-bdb"), ctx))
    r = scan(bulwark, tar)
    assert bulwark_set(r) == want
    assert not r.get("warnings")
    assert {p["path"] for p in r["packages"]} == {"/var/lib/rpm/Packages"}
    e = next(p for p in r["packages"] if p["name"] == "bwepoch-libs")
    assert e["ecosystem"] == "CentOS"
    assert e["purl"] == "pkg:rpm/centos/bwepoch-libs@0.9-5.el8_2?arch=x86_64&distro=centos-8&epoch=3"
    assert (e["source_name"], e["source_version"]) == ("bwepoch", "0.9-5.el8_2")

    doc = sbom(bulwark, tar, "cyclonedx")
    assert_valid(cdx, doc)
    purls = {c["purl"] for c in doc["components"] if c.get("purl", "").startswith("pkg:rpm/")}
    assert purls == {p["purl"] for p in r["packages"]} and len(purls) == len(want)
    s = sbom(bulwark, tar, "spdx")
    assert_valid(spdx, s)
    refs = {x["referenceLocator"] for p in s["packages"] for x in p.get("externalRefs", [])
            if x["referenceType"] == "purl" and x["referenceLocator"].startswith("pkg:rpm/")}
    assert refs == purls


def test_damaged_bdb_warns_names_page_and_reads_the_rest(bulwark, rpm_blobs, tmp_path):
    rows, want, _ = rpm_blobs
    root = tmp_path / "root"
    f = write_bdb(root / "var/lib/rpm/Packages", rows, "hash", 4096)
    good = bytearray(f.read_bytes())
    pagesize = 4096
    # an overflow page in the middle of bwbig's header (its file names are its own)
    victim = good.index(b"a-file-with-a-rather-long-name-1500\0") // pagesize
    assert good[victim * pagesize + 25] == 7
    data = bytearray(good)
    data[victim * pagesize + 25] = 0x55  # no longer an overflow page
    f.write_bytes(bytes(data))
    r = fs_scan(bulwark, root)
    names = {p[0] for p in bulwark_set(r)}
    assert "bwbig" not in names and names == {p[0] for p in want} - {"bwbig"}
    w = [x for x in r.get("warnings", []) if "/var/lib/rpm/Packages" in x]
    assert len(w) == 1 and f"page {victim}" in w[0], w

    # the file cut in the middle: what lies before the cut is still read
    f.write_bytes(bytes(good[: len(good) // 2 // pagesize * pagesize + 100]))
    rc, out, err = bulwark.run(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(root)])
    assert rc == 0, err
    r = json.loads(out)
    assert any("/var/lib/rpm/Packages" in x and "truncated" in x for x in r.get("warnings", []))
    assert 0 < len(r["packages"]) < len(want)

    # not a Berkeley DB at all
    f.write_bytes(b"\x00" * 12 + b"NOPE" + b"\x00" * 4096)
    r = fs_scan(bulwark, root)
    assert r["packages"] == []
    assert any("/var/lib/rpm/Packages" in x and "magic" in x for x in r.get("warnings", []))


# ----------------------------------------------------------------------------- ndb


def test_ndb_reads_back_the_blobs_and_matches_sqlite_and_bdb(bulwark, rpm_blobs, tmp_path):
    rows, want, sqlite_db = rpm_blobs
    blobs = [b for _, b in rows]
    sets = {}
    for name, kw in {"plain": {}, "scattered": {"slot_pages": 3, "reverse": True, "free_every": 3, "gap_blocks": 5}}.items():
        root = tmp_path / name
        (root / "usr/lib/sysimage/rpm").mkdir(parents=True)
        rpmndb.write_ndb(root / "usr/lib/sysimage/rpm/Packages.db", blobs, **kw)
        r = fs_scan(bulwark, root)
        assert not r.get("warnings")
        sets[f"ndb-{name}"] = bulwark_set(r)
    root = tmp_path / "sqlite"
    (root / "usr/lib/sysimage/rpm").mkdir(parents=True)
    shutil.copy(sqlite_db, root / "usr/lib/sysimage/rpm/rpmdb.sqlite")
    sets["sqlite"] = bulwark_set(fs_scan(bulwark, root))
    root = tmp_path / "bdb"
    write_bdb(root / "var/lib/rpm/Packages", rows)
    sets["bdb"] = bulwark_set(fs_scan(bulwark, root))
    for k, v in sets.items():
        assert v == want, k


def test_ndb_in_image(bulwark, rpm_blobs, tiny_image, docker, save, tmp_path, run_tags):
    rows, want, _ = rpm_blobs
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    rpmndb.write_ndb(ctx / "Packages.db", [b for _, b in rows], slot_pages=2, free_every=4)
    (ctx / "os-release").write_text('NAME="openSUSE Leap"\nID="opensuse-leap"\nVERSION_ID="15.5"\n')
    (ctx / "Dockerfile").write_text(f"FROM {tiny_image}\nCOPY Packages.db /usr/lib/sysimage/rpm/Packages.db\n"
                                    "COPY os-release /etc/os-release\n")
    r = scan(bulwark, save(docker.build_image(run_tags("inventory-rpm-ndb"), ctx)))
    assert bulwark_set(r) == want
    assert not r.get("warnings")
    big = next(p for p in r["packages"] if p["name"] == "bwbig")
    assert big["purl"] == "pkg:rpm/opensuse/bwbig@3.1.4-2.el8?arch=noarch&distro=opensuse-leap-15.5"


def test_damaged_ndb_warns_names_slot_and_reads_the_rest(bulwark, rpm_blobs, tmp_path):
    rows, want, _ = rpm_blobs
    blobs = [b for _, b in rows[:5]]
    root = tmp_path / "root"
    (root / "usr/lib/sysimage/rpm").mkdir(parents=True)
    f = root / "usr/lib/sysimage/rpm/Packages.db"
    data = bytearray(rpmndb.write_ndb(f, blobs))
    # flip a byte inside the third blob's header data: its checksum no longer matches
    off = struct.unpack_from("<I", data, 32 + 2 * 16 + 8)[0] * 16
    data[off + 16 + 40] ^= 0xFF
    f.write_bytes(bytes(data))
    r = fs_scan(bulwark, root)
    assert len(r["packages"]) == 4
    w = [x for x in r.get("warnings", []) if "/usr/lib/sysimage/rpm/Packages.db" in x]
    assert len(w) == 1 and "slot 4 (package 3)" in w[0] and "checksum" in w[0], w
