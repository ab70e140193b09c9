"""bulwark db: import (OSV files, directories, all.zip, distro lists, KEV, EPSS), idempotence,
malformed records, db info, an import killed mid-way (old database intact), corrupt / locked /
newer-schema databases (exit 3 naming the file), and db update against a local HTTP server on
127.0.0.1 (conditional requests, checksums, atomic replacement)."""

import base64
import hashlib
import http.server
import json
import os
import pathlib
import signal
import sqlite3
import subprocess
import threading
import time
import zipfile

import pytest

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "osv"


def db_json(bulwark, *args, env=None):
    rc, out, err = bulwark.run(["db", *args, "-f", "json"], env=env)
    assert rc == 0, err
    return json.loads(out)


def import_(bulwark, db, *paths, env=None):
    return db_json(bulwark, "import", "--db", db, *paths, env=env)


def test_import_counts_idempotence_and_info(bulwark, tmp_path):
    db = tmp_path / "v.db"
    st = import_(bulwark, db, DATA / "records", DATA / "distro", DATA / "enrich")
    assert st["inserted"] >= 19 + 4 + 3
    assert st["kev"] == 1 and st["epss"] == 3
    assert st["withdrawn"] == 1
    again = import_(bulwark, db, DATA / "records")
    assert again["inserted"] == 0 and again["unchanged"] == 19
    upd = import_(bulwark, db, DATA / "update")
    assert upd["updated"] == 1 and upd["unchanged"] == 1
    info = db_json(bulwark, "info", "--db", db, "--max-age", "0")
    assert info["schema"] == 3
    assert info["counts"]["kev"] == 1 and info["counts"]["epss"] == 3
    names = {s["name"]: s for s in info["sources"]}
    assert {"osv:npm", "osv:PyPI", "debian-tracker:DSA", "alpine-secdb:v3.19-main", "kev", "epss"} <= set(names)
    assert names["kev"]["data_date"] == "2024-01-02"
    assert names["epss"]["data_date"] == "2024-10-25"
    assert info["ecosystems"]["Debian:11"] >= 1
    # table output and the age warning
    rc, out, err = bulwark.run(["db", "info", "--db", db, "--max-age", "30"])
    assert rc == 0
    assert "advisories:" in out and "debian-tracker:DSA" in out
    assert "days old" in err


def test_malformed_records_are_counted_not_fatal(bulwark, tmp_path):
    db = tmp_path / "m.db"
    rc, out, err = bulwark.run(["db", "import", "--db", db, DATA / "malformed", DATA / "records"])
    assert rc == 0, err
    assert "4 skipped as malformed" in out
    assert "skipped:" in out  # sample reasons
    st = import_(bulwark, db, DATA / "malformed")
    assert st["skipped"] == 4 and len(st["skip_samples"]) >= 4


def test_osv_all_zip(bulwark, tmp_path):
    z = tmp_path / "all.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted((DATA / "records").glob("*.json")):
            zf.write(f, f.name)
        zf.writestr("README.txt", "not an advisory")
    st = import_(bulwark, tmp_path / "z.db", z)
    assert st["inserted"] == 19 and st["files"] == 19
    # a corrupt archive fails the import and leaves the database as it was
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 this is not a zip")
    rc, out, err = bulwark.run(["db", "import", "--db", tmp_path / "z.db", bad])
    assert rc == 3 and "bad.zip" in err and "unchanged" in err
    assert db_json(bulwark, "info", "--db", tmp_path / "z.db")["counts"]["advisories"] == 19


def many_records(d, n):
    d.mkdir()
    for i in range(n):
        rec = {
            "id": f"BW-KILL-{i:06d}", "modified": "2024-01-01T00:00:00Z", "summary": "x" * 200,
            "aliases": [f"CVE-2098-{i:06d}"],
            "affected": [{"package": {"ecosystem": "npm", "name": f"pkg-{i % 500}"},
                          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "9.9.9"}]}],
                          "versions": [f"1.{k}.0" for k in range(20)]}],
        }
        (d / f"BW-KILL-{i:06d}.json").write_text(json.dumps(rec))


def test_import_killed_midway_leaves_old_database(bulwark, tmp_path):
    db = tmp_path / "k.db"
    import_(bulwark, db, DATA / "records", DATA / "distro")
    before = db_json(bulwark, "info", "--db", db)["counts"]
    big = tmp_path / "big"
    many_records(big, 30000)
    p = subprocess.Popen([str(bulwark.path), "db", "import", "--db", str(db), str(big)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = pathlib.Path(str(db) + "-journal")
    deadline = time.time() + 60
    # wait until the import has written into its transaction, then kill it
    while time.time() < deadline and p.poll() is None:
        if journal.exists() and journal.stat().st_size > 0:
            time.sleep(0.3)
            break
        time.sleep(0.01)
    assert p.poll() is None, "import finished before it could be killed; make the input larger"
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    assert journal.exists()  # a hot journal: the transaction never committed
    after = db_json(bulwark, "info", "--db", db)["counts"]
    assert after == before
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM advisories WHERE id LIKE 'BW-KILL-%'").fetchone()[0] == 0
    con.close()
    # and the next import completes
    st = import_(bulwark, db, big)
    assert st["inserted"] == 30000


def test_corrupt_database_exit_3_names_file(bulwark, tmp_path):
    db = tmp_path / "corrupt.db"
    db.write_bytes(b"garbage " * 4096)
    for args in (["db", "info", "--db", db], ["db", "import", "--db", db, DATA / "records"],
                 ["fs", "--db", db, "--scanners", "vuln", tmp_path]):
        rc, out, err = bulwark.run(args)
        assert rc == 3, (args, err)
        assert str(db) in err and "corrupt" in err
    # truncated real database
    good = tmp_path / "good.db"
    import_(bulwark, good, DATA / "records")
    data = good.read_bytes()
    trunc = tmp_path / "trunc.db"
    trunc.write_bytes(data[: len(data) // 2] + b"\0" * 10 + data[len(data) // 2 + 10:][:100])
    rc, out, err = bulwark.run(["db", "info", "--db", trunc])
    assert rc == 3 and str(trunc) in err


def test_newer_schema_refused(bulwark, tmp_path):
    db = tmp_path / "newer.db"
    import_(bulwark, db, DATA / "records")
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version = 7")
    con.commit()
    con.close()
    for args in (["db", "info", "--db", db], ["db", "import", "--db", db, DATA / "records"]):
        rc, out, err = bulwark.run(args)
        assert rc == 3
        assert str(db) in err and "newer bulwark" in err


def test_locked_database_exit_3(bulwark, tmp_path):
    db = tmp_path / "locked.db"
    import_(bulwark, db, DATA / "records")
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN EXCLUSIVE")
    try:
        env = {"BULWARK_DB_BUSY_TIMEOUT_MS": "200"}
        for args in (["db", "import", "--db", db, DATA / "update"], ["db", "info", "--db", db]):
            rc, out, err = bulwark.run(args, env=env)
            assert rc == 3, (args, err)
            assert str(db) in err and "locked" in err
    finally:
        con.execute("ROLLBACK")
        con.close()
    assert db_json(bulwark, "info", "--db", db)["counts"]["advisories"] == 19


def test_missing_database(bulwark, tmp_path):
    missing = tmp_path / "nope.db"
    rc, out, err = bulwark.run(["db", "info", "--db", missing])
    assert rc == 3 and str(missing) in err
    # a default scan (every scanner) warns and goes on; asking for vuln fails
    (tmp_path / "root" / "etc").mkdir(parents=True)
    rc, out, err = bulwark.run(["fs", "--db", missing, "-f", "json", tmp_path / "root"])
    assert rc == 0, err
    assert any("vulnerabilities not scanned" in w for w in json.loads(out).get("warnings", [])) or \
        "vulnerabilities not scanned" in err
    rc, out, err = bulwark.run(["fs", "--db", missing, "--scanners", "vuln", tmp_path / "root"])
    assert rc == 3 and str(missing) in err


def test_default_path_in_cache_dir(bulwark, tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    rc, out, err = bulwark.run(["db", "import", DATA / "records"], env=env)
    assert rc == 0, err
    assert (tmp_path / "cache" / "bulwark" / "db.sqlite").is_file()


def test_usage_errors(bulwark, tmp_path):
    assert bulwark.run(["db"])[0] == 2
    assert bulwark.run(["db", "frobnicate"])[0] == 2
    assert bulwark.run(["db", "import", "--db", tmp_path / "x.db"])[0] == 2
    assert bulwark.run(["db", "info", "--ecosystem", "PyPI", "--db", tmp_path / "x.db"])[0] == 2
    assert bulwark.run(["db", "update", "--db", tmp_path / "x.db"])[0] == 2  # nothing to update yet
    assert bulwark.run(["db", "update", "--db", tmp_path / "x.db", "--ecosystem", "PyPI",
                        "--base-url", "ftp://127.0.0.1/"])[0] == 2


# ---------------------------------------------------------------------------- db update


class Mirror:
    """OSV's bucket layout on 127.0.0.1: /ECOSYSTEM/all.zip with ETag, Last-Modified and
    x-goog-hash md5, answering conditional requests with 304."""

    def __init__(self, root):
        self.root = root
        self.requests = []
        self.bad_md5 = False
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                mirror.requests.append((self.path, dict(self.headers)))
                f = mirror.root / self.path.lstrip("/").replace("%20", " ")
                if not f.is_file():
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = f.read_bytes()
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                lm = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(int(f.stat().st_mtime)))
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                md5 = hashlib.md5(body if not mirror.bad_md5 else body + b"x").digest()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", lm)
                self.send_header("x-goog-hash", "crc32c=AAAAAA==")
                self.send_header("x-goog-hash", "md5=" + base64.b64encode(md5).decode())
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def mirror(tmp_path):
    m = Mirror(tmp_path / "bucket")
    yield m
    m.close()


def write_zip(path, records):
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for r in records:
            zf.writestr(r["id"] + ".json", json.dumps(r))


def npm_record(i, fixed="2.0.0"):
    return {"id": f"BW-UPD-{i}", "modified": f"2024-01-0{1 + i % 9}T00:00:00Z", "aliases": [f"CVE-2097-{i:04d}"],
            "affected": [{"package": {"ecosystem": "npm", "name": f"upd-{i}"},
                          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]}


def update(bulwark, db, mirror, *ecos):
    args = ["db", "update", "--db", db, "--base-url", mirror.url, "-f", "json"]
    for e in ecos:
        args += ["--ecosystem", e]
    rc, out, err = bulwark.run(args)
    return rc, (json.loads(out) if out.strip() else None), err


def test_update_conditional_checksum_atomic(bulwark, tmp_path, mirror):
    db = tmp_path / "u.db"
    write_zip(mirror.root / "npm" / "all.zip", [npm_record(i) for i in range(5)])
    write_zip(mirror.root / "Rocky Linux" / "all.zip", [])
    rc, res, err = update(bulwark, db, mirror, "npm")
    assert rc == 0, err
    assert res[0]["status"] == "updated" and res[0]["import"]["inserted"] == 5

    # unchanged on the server: a conditional request answered 304
    rc, res, err = update(bulwark, db, mirror, "npm")
    assert rc == 0 and res[0]["status"] == "not_modified"
    assert mirror.requests[-1][1].get("If-None-Match")

    # the archive changes: the ecosystem's data is replaced as a whole
    write_zip(mirror.root / "npm" / "all.zip", [npm_record(i, "3.0.0") for i in range(1, 4)])
    rc, res, err = update(bulwark, db, mirror, "npm")
    assert rc == 0 and res[0]["status"] == "updated"
    con = sqlite3.connect(db)
    ids = sorted(r[0] for r in con.execute("SELECT id FROM advisories WHERE source = 'osv:npm'"))
    con.close()
    assert ids == ["BW-UPD-1", "BW-UPD-2", "BW-UPD-3"]

    # a checksum mismatch: exit 3, the database keeps the previous data
    write_zip(mirror.root / "npm" / "all.zip", [npm_record(i) for i in range(9)])
    mirror.bad_md5 = True
    rc, res, err = update(bulwark, db, mirror, "npm")
    assert rc == 3 and res[0]["status"] == "failed" and "MD5" in res[0]["message"]
    mirror.bad_md5 = False
    assert db_json(bulwark, "info", "--db", db)["counts"]["advisories"] == 3

    # missing archive: exit 3, named; a space in the ecosystem is URL-encoded
    rc, res, err = update(bulwark, db, mirror, "NoSuchEcosystem", "Rocky Linux")
    assert rc == 3
    assert res[0]["status"] == "failed" and "404" in res[0]["message"]
    assert res[1]["status"] == "updated"
    assert any(p == "/Rocky%20Linux/all.zip" for p, _ in mirror.requests)

    # no --ecosystem: the ones downloaded before
    rc, res, err = update(bulwark, db, mirror)
    assert {r["ecosystem"] for r in res} >= {"npm"}


def test_update_unreachable_server(bulwark, tmp_path):
    rc, out, err = bulwark.run(["db", "update", "--db", tmp_path / "u.db", "--ecosystem", "PyPI",
                                "--base-url", "http://127.0.0.1:9/"])
    assert rc == 3 and "PyPI" in err
    assert not (tmp_path / "u.db").exists()  # no empty database a later scan could take for data
