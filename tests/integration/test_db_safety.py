"""The vulnerability database never lies about what it holds.

- A failed `db update` leaves the previous database byte for byte as it was, at every stage it
  can fail (the server unreachable on loopback, a download cut short, a file that is no
  archive, a server error; for OSV archives and for NVD), and never creates a database that a
  later scan takes for a valid, empty one.
- `db import` reads .tar.zst, .tar.gz and .zip archives of OSV records and gzip-compressed
  files directly, and a named input that imports nothing fails the import, naming the input.
- An Alpine secdb source is dated by its file, not by the import.
- The schema upgrade (2 to 3) happens inside the first write transaction: an import that fails
  leaves an old file byte for byte as it was; one that succeeds upgrades it."""

import base64
import gzip
import hashlib
import http.server
import io
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import tarfile
import threading
import zipfile

import pytest

from test_db import DATA, db_json, import_, npm_record, write_zip


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Server:
    """A tiny HTTP server on 127.0.0.1: routes map a path (without the query) to a function
    (handler, query) that answers."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        srv = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                path, _, query = self.path.partition("?")
                srv.requests.append((path, query, dict(self.headers)))
                fn = srv.routes.get(path)
                if fn is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                fn(self, query)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def whole(body, md5=True):
    def answer(h, query):
        h.send_response(200)
        h.send_header("Content-Length", str(len(body)))
        if md5:
            h.send_header("x-goog-hash", "md5=" + base64.b64encode(hashlib.md5(body).digest()).decode())
        h.end_headers()
        h.wfile.write(body)
    return answer


def cut_short(body):
    """Announce the whole body, send half of it, hang up."""
    def answer(h, query):
        h.send_response(200)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body[: len(body) // 2])
        h.wfile.flush()
        h.close_connection = True
        h.connection.shutdown(socket.SHUT_RDWR)
    return answer


def status(code):
    def answer(h, query):
        h.send_response(code)
        h.send_header("Content-Length", "0")
        h.end_headers()
    return answer


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    return port


def zip_bytes(records):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for r in records:
            zf.writestr(r["id"] + ".json", json.dumps(r))
    return buf.getvalue()


NVD_PAGE = (DATA / "cve" / "nvdcve-2.0-page.json").read_bytes()

STAGES = {
    "unreachable": None,
    "cut-short": lambda body: cut_short(body),
    "not-an-archive": lambda body: whole(b"PK\x03\x04 this is no zip archive at all" * 40),
    "server-error": lambda body: status(500),
}


@pytest.mark.parametrize("stage", sorted(STAGES))
@pytest.mark.parametrize("source", ["osv", "nvd"])
def test_failed_update_leaves_the_database_byte_for_byte(bulwark, tmp_path, server, stage, source):
    db = tmp_path / "v.db"
    import_(bulwark, db, DATA / "records", DATA / "distro")
    # a first update that works, so validators and progress are there to be kept
    good = zip_bytes([npm_record(i) for i in range(3)])
    server.routes["/npm/all.zip"] = whole(good)
    server.routes["/nvd"] = whole(NVD_PAGE.replace(b'"NVD_CVE"', b'"NVD_CVE"'))
    args = ["db", "update", "--db", db, "--base-url", server.url, "--nvd-url", server.url + "/nvd", "-f", "json"]
    rc, out, err = bulwark.run(args + ["--ecosystem", "npm" if source == "osv" else "NVD"])
    assert rc == 0, err
    before = sha(db)
    changed = zip_bytes([npm_record(i, "4.0.0") for i in range(5)])
    body = changed if source == "osv" else NVD_PAGE.replace(b"2024-03-01T10:00:00.000", b"2024-04-01T10:00:00.000")
    route = "/npm/all.zip" if source == "osv" else "/nvd"
    url = server.url
    if STAGES[stage] is None:
        url = f"http://127.0.0.1:{closed_port()}"
    else:
        server.routes[route] = STAGES[stage](body)
    eco = "npm" if source == "osv" else "NVD"
    rc, out, err = bulwark.run(["db", "update", "--db", db, "--base-url", url, "--nvd-url", url + "/nvd",
                                "--ecosystem", eco, "-f", "json"])
    assert rc == 3, (stage, out, err)
    res = json.loads(out)[0]
    assert res["status"] == "failed" and res["message"], res
    assert sha(db) == before, f"{stage}: the database changed"
    assert not [p for p in tmp_path.iterdir() if ".download-" in p.name]  # no temporary file left


@pytest.mark.parametrize("stage", sorted(STAGES))
@pytest.mark.parametrize("source", ["osv", "nvd"])
def test_failed_first_update_creates_no_database(bulwark, tmp_path, server, stage, source):
    db = tmp_path / "cache" / "fresh.db"
    body = zip_bytes([npm_record(1)]) if source == "osv" else NVD_PAGE
    url = server.url
    if STAGES[stage] is None:
        url = f"http://127.0.0.1:{closed_port()}"
    else:
        server.routes["/npm/all.zip" if source == "osv" else "/nvd"] = STAGES[stage](body)
    rc, out, err = bulwark.run(["db", "update", "--db", db, "--base-url", url, "--nvd-url", url + "/nvd",
                                "--ecosystem", "npm" if source == "osv" else "NVD"])
    assert rc == 3, (stage, out, err)
    assert not db.exists(), f"{stage}: an empty database was left behind"
    # so a later scan knows it has nothing: it fails the gate instead of passing silently
    root = tmp_path / "root"
    pkg = root / "usr/lib/node_modules/upd-1"
    pkg.mkdir(parents=True)
    (pkg / "package.json").write_text('{"name": "upd-1", "version": "1.0.0"}')
    rc, out, err = bulwark.run(["fs", "--db", db, "--exit-code", "1", root])
    assert rc == 1 and "vulnerabilities not scanned" in out


def test_named_input_that_imports_nothing_fails_naming_it(bulwark, tmp_path):
    db = tmp_path / "v.db"
    import_(bulwark, db, DATA / "records")
    before = sha(db)
    empty = tmp_path / "empty"
    empty.mkdir()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "README.txt").write_text("not advisories\n")
    (docs / "notes.json").write_text('{"hello": "world"}')
    kev = tmp_path / "kev.json"
    kev.write_text(json.dumps({"catalogVersion": "2024.01.01", "vulnerabilities": [{"cveID": "nope"}]}))
    for bad in (empty, docs, kev):
        rc, out, err = bulwark.run(["db", "import", "--db", db, DATA / "update", bad])
        assert rc == 3, (bad, err)
        assert f"{bad}: nothing imported" in err and "unchanged" in err
        assert sha(db) == before
    # a new database is not even created
    fresh = tmp_path / "fresh.db"
    rc, _, err = bulwark.run(["db", "import", "--db", fresh, empty])
    assert rc == 3 and not fresh.exists()
    # records already stored count as imported (idempotence is not emptiness)
    assert import_(bulwark, db, DATA / "records")["unchanged"] == 19


def make_archives(tmp_path):
    src = DATA / "records"
    out = {}
    for name, mode in (("osv.tar.gz", "w:gz"), ("osv.tar", "w")):
        p = tmp_path / name
        with tarfile.open(p, mode) as t:
            t.add(src, arcname="osv-records")
        out[name] = p
    zst = tmp_path / "osv.tar.zst"
    subprocess.run(["tar", "--zstd", "-cf", zst, "-C", src.parent, "records"], check=True)
    out["osv.tar.zst"] = zst
    z = tmp_path / "osv.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(src.glob("*.json")):
            zf.write(f, "nested/dir/" + f.name)
    out["osv.zip"] = z
    return out


@pytest.mark.parametrize("name", ["osv.tar.gz", "osv.tar.zst", "osv.zip", "osv.tar"])
def test_import_reads_archives_directly(bulwark, tmp_path, name):
    archive = make_archives(tmp_path)[name]
    st = import_(bulwark, tmp_path / "a.db", archive)
    assert st["inserted"] == 19 and st["files"] == 19
    info = db_json(bulwark, "info", "--db", tmp_path / "a.db")
    assert info["counts"]["advisories"] == 19
    assert any(s["location"] == str(archive) for s in info["sources"])


def test_compressed_files_and_broken_archives(bulwark, tmp_path):
    db = tmp_path / "c.db"
    # an EPSS .csv.gz and a gzip-compressed NVD page, read as the files they hold
    epss = tmp_path / "epss.csv.gz"
    epss.write_bytes(gzip.compress((DATA / "enrich" / "epss.csv").read_bytes()))
    nvd = tmp_path / "nvdcve-2.0-2099.json.gz"
    nvd.write_bytes(gzip.compress(NVD_PAGE))
    st = import_(bulwark, db, epss, nvd)
    assert st["epss"] == 3 and st["cves"] == 5
    before = sha(db)
    # a tar.gz cut short, a zstd stream of garbage: the import fails, naming the file
    arch = make_archives(tmp_path)
    cut = tmp_path / "cut.tar.gz"
    data = arch["osv.tar.gz"].read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    garbage = tmp_path / "junk.tar.zst"
    garbage.write_bytes(b"\x28\xb5\x2f\xfd" + os.urandom(4096))
    for bad in (cut, garbage):
        rc, out, err = bulwark.run(["db", "import", "--db", db, bad])
        assert rc == 3, (bad, err)
        assert str(bad) in err
        assert sha(db) == before


def test_secdb_data_date_comes_from_the_file(bulwark, tmp_path):
    secdb = tmp_path / "v3.19-main.json"
    shutil.copy(DATA / "distro" / "v3.19-main.json", secdb)
    when = 1714996800  # 2024-05-06T12:00:00Z
    os.utime(secdb, (when, when))
    db = tmp_path / "s.db"
    import_(bulwark, db, secdb)
    src = {s["name"]: s for s in db_json(bulwark, "info", "--db", db)["sources"]}
    assert src["alpine-secdb:v3.19-main"]["data_date"] == "2024-05-06T12:00:00Z"
    assert src["alpine-secdb:v3.19-main"]["age_days"] > 300  # not the import time
    # inside an archive: the entry's time
    t = tmp_path / "secdb.tar.gz"
    with tarfile.open(t, "w:gz") as tf:
        info = tf.gettarinfo(secdb, "v3.19-main.json")
        info.mtime = 1609502400  # 2021-01-01T12:00:00Z
        with open(secdb, "rb") as f:
            tf.addfile(info, f)
    db2 = tmp_path / "s2.db"
    import_(bulwark, db2, t)
    src = {s["name"]: s for s in db_json(bulwark, "info", "--db", db2)["sources"]}
    assert src["alpine-secdb:v3.19-main"]["data_date"] == "2021-01-01T12:00:00Z"


def as_schema_2(db):
    """What bulwark with schema 2 wrote: no references, no per-CVE or coverage tables, the
    best vector's rating stored as the advisory's severity, and its old source names."""
    con = sqlite3.connect(db)
    for sql in ("ALTER TABLE advisories DROP COLUMN has_refs", "DROP TABLE refs", "DROP TABLE cves",
                "DROP TABLE coverage",
                "UPDATE advisories SET severity_source = 'vendor'"
                " WHERE severity_source IN ('redhat', 'ubuntu_priority')",
                "UPDATE advisories SET severity_source = 'database' WHERE severity_source = 'ghsa'",
                "UPDATE advisories SET severity = 5, severity_source = 'cvss_v3' WHERE id = 'GHSA-test-pypi-0001'",
                "UPDATE sources SET etag = 'x' WHERE name LIKE 'osv:%'", "PRAGMA user_version = 2"):
        con.execute(sql)
    con.commit()
    con.close()


def test_schema_2_upgrade_happens_with_the_first_import_that_commits(bulwark, tmp_path):
    db = tmp_path / "old.db"
    import_(bulwark, db, DATA / "records", DATA / "distro")
    as_schema_2(db)
    before = sha(db)
    empty = tmp_path / "empty"
    empty.mkdir()
    rc, _, err = bulwark.run(["db", "import", "--db", db, empty])
    assert rc == 3
    assert sha(db) == before  # still schema 2, byte for byte
    st = import_(bulwark, db, DATA / "enrich")
    assert st["kev"] == 1
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 3
    src = dict(con.execute("SELECT id, severity_source FROM advisories"
                           " WHERE id IN ('BW-TEST-ALMA-1', 'BW-TEST-DEB-2', 'BW-TEST-PYPI-1', 'GHSA-test-pypi-0001')"))
    assert src == {"BW-TEST-ALMA-1": "redhat", "BW-TEST-DEB-2": "ubuntu_priority", "BW-TEST-PYPI-1": "database",
                   "GHSA-test-pypi-0001": None}  # it has vectors: scored when a finding is made
    assert con.execute("SELECT advisories FROM coverage WHERE ecosystem = 'Debian:11'").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM sources WHERE etag IS NOT NULL").fetchone()[0] == 0
    con.close()
