"""The README's main job, scripts/run-demo.sh, from the sample image on (not the apt
part: --no-deps; the binary under test instead of a build of its own): it must find what
examples/sample-app plants, with a database it makes by itself, with and without a network.

- Offline (`unshare -n`: no network at all, the engine still answers on its unix socket)
  the demo imports the committed snapshot examples/vulndb.
- Online it runs `bulwark db update --ecosystem PyPI` against OSV; here the bucket is a
  mirror on 127.0.0.1 (BW_DEMO_OSV_URL) serving an all.zip made of the same records, so
  the update path runs for real without reaching the Internet.

The snapshot itself is checked against the PyPA advisory database it was taken from
(../shared/data), byte for byte, and for completeness: every record of that database
that affects the sample's packages is in it."""

import functools
import http.server
import json
import os
import pathlib
import re
import shutil
import subprocess
import tarfile
import threading
import zipfile

import pytest

SAMPLE = {"pyyaml": "5.3.1", "requests": "2.19.1", "urllib3": "1.23"}
CONFIG_FINDINGS = {"BW-IMG-001", "BW-IMG-002", "BW-IMG-012", "BW-IMG-015"}


def run_demo(repo_root, bulwark, docker, out, env=None, offline=False):
    e = dict(os.environ, BW_DEMO_BULWARK=str(bulwark.path), BW_DEMO_OUT=str(out), DOCKER_HOST=docker.host)
    e.update(env or {})
    cmd = ["bash", "scripts/run-demo.sh", "--no-deps"]
    if offline:
        if shutil.which("unshare") is None:
            pytest.fail("unshare (util-linux) is missing")
        cmd = ["unshare", "-n"] + cmd
    p = subprocess.run(cmd, cwd=repo_root, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=1800)
    assert p.returncode == 0, f"run-demo.sh exited {p.returncode}:\n{p.stderr[-4000:]}"
    return p


def check_findings(out):
    report = json.loads((out / "report.json").read_text())
    findings = report["findings"]
    by_id = {}
    for f in findings:
        by_id.setdefault(f["id"], []).append(f)

    vulns = [f for f in findings if f["kind"] == "vulnerability"]
    assert vulns and all(f.get("fixed_version") for f in vulns), vulns
    assert {f["package"]["name"] for f in vulns} == set(SAMPLE)
    for f in vulns:
        assert f["installed_version"] == SAMPLE[f["package"]["name"]]
    pyyaml = [f for f in vulns if f["package"]["name"] == "pyyaml"]
    assert [(f["id"], f["fixed_version"]) for f in pyyaml] == [("CVE-2020-14343", "5.4")]
    ids = {f["id"] for f in vulns}
    assert {"CVE-2018-18074", "CVE-2023-32681", "CVE-2023-43804"} <= ids, ids

    aws = by_id.get("BW-SEC-AWS-001")
    assert aws and aws[0]["location"]["path"] == "/srv/app/settings.py", aws
    assert aws[0]["location"].get("in_final_image", True) is True
    gh = by_id.get("BW-SEC-GH-001")
    assert gh and gh[0]["location"]["path"] == "/root/.git-credentials", gh
    assert gh[0]["location"]["in_final_image"] is False
    # ... and the layer named is the one that added the file, not the one that deleted it
    assert gh[0]["location"]["layer"].startswith("sha256:")
    creds = by_id.get("BW-IMG-006")
    assert creds and creds[0]["location"]["in_final_image"] is False

    misconf = {f["id"] for f in findings if f["kind"] == "misconfiguration"}
    assert CONFIG_FINDINGS <= misconf, misconf

    sbom = json.loads((out / "sbom.cdx.json").read_text())
    purls = {c.get("purl") for c in sbom.get("components", [])}
    assert {f"pkg:pypi/{n}@{v}" for n, v in SAMPLE.items()} <= purls, purls
    return report


def check_table(stdout, report):
    """Standard output ends with the scan's table, whose totals line agrees with the JSON."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    while lines and lines[-1].startswith("warning: "):  # the table's warnings follow its totals
        lines.pop()
    # the table's coverage block: the database's data per ecosystem of the image (PyPI
    # only: the sample's three packages, the snapshot's ten records, served by the mirror too)
    assert "vulnerability data (coverage):" in lines, lines[-6:]
    rows = [line.split() for line in lines[lines.index("vulnerability data (coverage):") + 2:]]
    assert rows and rows[0][:3] == ["PyPI", str(len(SAMPLE)), "10"], rows[:1]
    n = len(report["findings"])
    assert lines and lines[-1].startswith(f"{n} findings"), lines[-3:]
    assert "CVE-2020-14343" in stdout and "BW-SEC-GH-001" in stdout


def check_html(out, report):
    """report.html: one self-contained page (nothing fetched at view time) of the same
    scan: every finding of the JSON report is named in it."""
    html = (out / "report.html").read_text()
    assert html.lstrip().lower().startswith("<!doctype html>"), html[:200]
    assert not re.search(r"""<(script|img|iframe)\b[^>]*\bsrc\s*=\s*["']?(https?:)?//""", html, re.I)
    assert not re.search(r"""<link\b[^>]*\bhref\s*=\s*["']?(https?:)?//""", html, re.I)
    ids = {f["id"] for f in report["findings"]}
    assert {"CVE-2020-14343", "BW-SEC-GH-001", "BW-SEC-AWS-001"} <= ids
    missing = sorted(i for i in ids if i not in html)
    assert not missing, missing


def test_demo_offline_uses_the_snapshot(repo_root, bulwark, docker, tmp_path):
    out = tmp_path / "demo"
    p = run_demo(repo_root, bulwark, docker, out, offline=True)
    assert "importing examples/vulndb" in p.stderr
    assert "db update" not in p.stderr.replace("does not answer", "")
    report = check_findings(out)
    check_table(p.stdout, report)
    check_html(out, report)
    assert (out / "sample-app.tar").is_file() and (out / "db.sqlite").is_file()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def test_demo_online_runs_db_update(repo_root, bulwark, docker, tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "PyPI").mkdir(parents=True)
    with zipfile.ZipFile(mirror / "PyPI" / "all.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted((repo_root / "examples" / "vulndb").glob("*.json")):
            z.write(f, f.name)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=str(mirror)))
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        out = tmp_path / "demo"
        url = f"http://127.0.0.1:{server.server_address[1]}"
        p = run_demo(repo_root, bulwark, docker, out, env={"BW_DEMO_OSV_URL": url})
    finally:
        server.shutdown()
    assert f"{url} answers: bulwark db update --ecosystem PyPI" in p.stderr, p.stderr[-2000:]
    assert "importing examples/vulndb" not in p.stderr
    info = bulwark.json(["db", "info", "--db", out / "db.sqlite", "--format", "json"])
    assert [s["location"] for s in info["sources"] if s["name"] == "osv:PyPI"] == [f"{url}/PyPI/all.zip"], info
    report = check_findings(out)
    check_table(p.stdout, report)


def test_demo_falls_back_to_the_snapshot_when_the_update_fails(repo_root, bulwark, docker, tmp_path):
    """The bucket answers the probe but serves no archive: the update fails, and the
    demo still has its database."""
    mirror = tmp_path / "mirror"
    (mirror / "PyPI").mkdir(parents=True)
    (mirror / "PyPI" / "all.zip").write_bytes(b"not a zip archive")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=str(mirror)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        out = tmp_path / "demo"
        p = run_demo(repo_root, bulwark, docker, out,
                     env={"BW_DEMO_OSV_URL": f"http://127.0.0.1:{server.server_address[1]}"})
    finally:
        server.shutdown()
    assert "db update failed: falling back to the snapshot" in p.stderr
    check_findings(out)


def in_range(v, events):
    """OSV ECOSYSTEM events: is v in some [introduced, fixed) interval?"""
    from packaging.version import Version

    lo = None
    for ev in events:
        if "introduced" in ev:
            lo = Version("0") if ev["introduced"] == "0" else Version(ev["introduced"])
        elif "fixed" in ev and lo is not None:
            if lo <= v < Version(ev["fixed"]):
                return True
            lo = None
        elif "last_affected" in ev and lo is not None:
            if lo <= v <= Version(ev["last_affected"]):
                return True
            lo = None
    return lo is not None and lo <= v


def test_snapshot_is_the_pypa_records_of_the_sample_packages(repo_root, shared_data, tmp_path):
    snap = {f.name: f.read_bytes() for f in (repo_root / "examples" / "vulndb").glob("*.json")}
    archive = shared_data / "osv" / "pypa" / "pypa-osv.tar.zst"
    tar = tmp_path / "pypa.tar"
    subprocess.run(["zstd", "-q", "-d", "-o", str(tar), str(archive)], check=True)
    from packaging.version import Version

    affecting = {}
    with tarfile.open(tar) as t:
        for m in t:
            if not m.isfile() or not m.name.endswith(".json"):
                continue
            data = t.extractfile(m).read()
            name = pathlib.PurePosixPath(m.name).name
            if name in snap:
                assert snap[name] == data, f"{name} differs from the PyPA record"
            rec = json.loads(data)
            if rec.get("withdrawn"):
                continue
            for a in rec.get("affected", []):
                pkg = a["package"]["name"].lower()
                if pkg in SAMPLE and SAMPLE[pkg] in a.get("versions", []):
                    affecting[name] = pkg
                    continue
                for r in a.get("ranges", []):
                    if r["type"] == "ECOSYSTEM" and pkg in SAMPLE and in_range(Version(SAMPLE[pkg]), r["events"]):
                        affecting[name] = pkg
    assert set(snap) == set(affecting), (sorted(set(snap) - set(affecting)), sorted(set(affecting) - set(snap)))
    readme = (repo_root / "examples" / "vulndb" / "README.md").read_text()
    assert "CC-BY-4.0" in readme or "CC BY 4.0" in readme
    for name in snap:
        assert name[:-5] in readme, f"README does not list {name}"
