"""Hostile or broken inputs that used to be accepted quietly (issue 18, "Data and
honesty"): a document that holds nothing valid must not replace good data, an unreadable
file must not be skipped in silence, and an error must name its real cause."""

import json
import os
import pathlib
import subprocess

import pytest

KEV_GOOD = {"title": "CISA Catalog of Known Exploited Vulnerabilities", "catalogVersion": "2025.08.25",
            "dateReleased": "2025-08-25T00:00:00.000Z", "count": 2,
            "vulnerabilities": [{"cveID": "CVE-2021-44228", "dateAdded": "2021-12-10"},
                                {"cveID": "CVE-2021-45046", "dateAdded": "2021-12-14"}]}
EPSS_GOOD = ("#model_version:v2023.03.01,score_date:2024-10-25T00:00:00+0000\n"
             "cve,epss,percentile\nCVE-2021-44228,0.97565,0.99996\nCVE-2021-45046,0.97334,0.99946\n"
             "CVE-2022-34668,0.01200,0.80000\n")


def db_info(bulwark, db):
    rc, out, err = bulwark.run(["db", "info", "--db", db, "-f", "json"])
    assert rc == 0, err
    return json.loads(out)


def enrichment(bulwark, db):
    info = db_info(bulwark, db)
    c = info.get("counts", info)
    return c["kev"], c["epss"]


# ----------------------------------------------------- 15. KEV / EPSS without a valid row


@pytest.fixture
def enriched_db(bulwark, tmp_path):
    db = tmp_path / "v.db"
    (tmp_path / "kev.json").write_text(json.dumps(KEV_GOOD))
    (tmp_path / "epss.csv").write_text(EPSS_GOOD)
    rc, out, err = bulwark.run(["db", "import", "--db", db, tmp_path / "kev.json", tmp_path / "epss.csv"])
    assert rc == 0, err
    assert enrichment(bulwark, db) == (2, 3)
    return db


@pytest.mark.parametrize("name,text", [
    ("kev-bad-ids.json", json.dumps({**KEV_GOOD, "vulnerabilities": [{"cveID": "not-a-cve"}, {"x": 1}]})),
    ("kev-empty.json", json.dumps({**KEV_GOOD, "vulnerabilities": []})),
    ("epss-truncated.csv", "#model_version:v2023.03.01,score_date:2024-10-25T00:00:00+0000\ncve,epss,percentile\n"),
    ("epss-html.csv", "cve,epss,percentile\n<html><body>503 Service Unavailable</body></html>\n"),
])
def test_enrichment_document_without_a_valid_row_is_refused_and_keeps_the_data(bulwark, tmp_path, enriched_db,
                                                                                name, text):
    bad = tmp_path / name
    bad.write_text(text)
    rc, out, err = bulwark.run(["db", "import", "--db", enriched_db, bad])
    assert rc == 3, f"exit {rc}: {out}{err}"
    assert name in err, err
    assert enrichment(bulwark, enriched_db) == (2, 3)


def test_enrichment_import_states_what_it_replaced(bulwark, tmp_path, enriched_db):
    kev = dict(KEV_GOOD, vulnerabilities=KEV_GOOD["vulnerabilities"] + [{"cveID": "CVE-2022-34668"}])
    (tmp_path / "kev2.json").write_text(json.dumps(kev))
    rc, out, err = bulwark.run(["db", "import", "--db", enriched_db, "-f", "json", tmp_path / "kev2.json"])
    assert rc == 0, err
    doc = json.loads(out)
    assert (doc["kev"], doc["kev_replaced"]) == (3, 2), doc
    assert doc.get("epss_replaced") is None, doc  # not imported: nothing replaced
    rc, out, err = bulwark.run(["db", "import", "--db", enriched_db, tmp_path / "epss.csv"])
    assert rc == 0, err
    assert "EPSS 3 (replacing 3)" in out, out


# ------------------------------------------ 16. files a scan cannot read, or should not


NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
GH_TOKEN = "ghp_" + "q7Zr2XwP9sLm4VnB8cKd1TfH6yJg3QeA5uRo"


@pytest.fixture
def world_dir():
    """A directory the unprivileged user can reach (pytest's own tmp is root's, 0700)."""
    import shutil
    import tempfile
    d = pathlib.Path(tempfile.mkdtemp(prefix="bw-fs-", dir="/tmp"))
    d.chmod(0o755)
    yield d
    for p in d.rglob("*"):
        if p.is_dir() and not p.is_symlink():
            p.chmod(0o755)
    shutil.rmtree(d)


def run_as_nobody(bulwark, args):
    if os.geteuid() != 0:
        pytest.skip("needs root to run bulwark as another user")
    env = dict(os.environ, XDG_CACHE_HOME="/nonexistent", ASAN_OPTIONS="detect_leaks=0:halt_on_error=1")
    p = subprocess.run(NOBODY + [str(bulwark.path)] + [str(a) for a in args], capture_output=True,
                       env=env, timeout=300)
    return p.returncode, p.stdout.decode(errors="surrogateescape"), p.stderr.decode(errors="surrogateescape")


def test_fs_names_what_it_cannot_read_and_strict_makes_it_an_error(bulwark, world_dir):
    root = world_dir / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "hostname").write_text("box\n")
    (root / "etc" / "token.env").write_text(f"GITHUB_TOKEN={GH_TOKEN}\n")
    (root / "etc" / "token.env").chmod(0)
    (root / "locked").mkdir()
    (root / "locked" / "inside").write_text("x\n")
    (root / "locked").chmod(0)
    for p in root.rglob("*"):
        if p.is_dir() and p.name != "locked":
            p.chmod(0o755)
    root.chmod(0o755)
    args = ["fs", "--scanners", "secret", "-f", "json", root]
    rc, out, err = run_as_nobody(bulwark, args)
    assert rc == 0, err
    warns = "\n".join(json.loads(out).get("warnings", []))
    assert "/etc/token.env" in warns and "/locked" in warns, warns
    assert "permission denied" in warns.lower(), warns
    rc, out, err = run_as_nobody(bulwark, args[:1] + ["--strict"] + args[1:])
    assert rc == 3, f"exit {rc}: {err}"
    assert json.loads(out).get("warnings"), out  # the report is still written
    assert "could not be read" in err, err


def test_fs_names_the_first_unreadable_paths_then_counts_the_rest(bulwark, world_dir):
    root = world_dir / "root"
    root.mkdir(mode=0o755)
    for i in range(30):
        f = root / f"secret-{i:02d}.txt"
        f.write_text("x\n")
        f.chmod(0)
    rc, out, err = run_as_nobody(bulwark, ["fs", "--scanners", "secret", "-f", "json", root])
    assert rc == 0, err
    warns = json.loads(out).get("warnings", [])
    named = [w for w in warns if "secret-" in w]
    assert len(named) == 20, warns
    assert any("10 more" in w for w in warns), warns


@pytest.mark.skipif(not os.path.exists("/usr/bin/strace"), reason="strace is not installed")
def test_fs_never_reads_a_file_no_analyzer_would_take(bulwark, tmp_path):
    """A 1 TiB sparse file (truncate(2)): larger than every analyzer's limit, so it is
    listed but never opened — reading its holes would take minutes."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "small.txt").write_text(f"GITHUB_TOKEN={GH_TOKEN}\n")
    huge = root / "huge.bin"
    with open(huge, "wb") as f:
        f.truncate(1 << 40)
    log = tmp_path / "strace.log"
    p = subprocess.run(["strace", "-f", "-qq", "-e", "trace=open,openat,openat2", "-o", str(log),
                        str(bulwark.path), "fs", "-f", "json", "--scanners", "secret,packages,config", str(root)],
                       capture_output=True, timeout=120,
                       env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0:halt_on_error=1"))
    assert p.returncode == 0, p.stderr.decode(errors="replace")[-2000:]
    doc = json.loads(p.stdout)
    assert any(f["id"] == "BW-SEC-GH-001" for f in doc["findings"])  # the small file was read
    assert any("huge.bin" in w and "larger than" in w for w in doc["warnings"]), doc["warnings"]
    opened = [l for l in log.read_text().splitlines() if "huge.bin" in l]
    assert not opened, opened
