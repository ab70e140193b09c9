"""Hostile inputs sized to take time (issue 18, "Time"): nothing an attacker sizes is
quadratic, nothing waits forever. Each test runs bulwark under a subprocess timeout far
above what the work needs — a hang guard, not a timing assertion: a quadratic or blocking
path overruns it by orders of magnitude. bench/hostile/run.sh records the times.
"""

import json
import os
import pathlib
import sqlite3
import subprocess

import pytest

from fakeengine import FakeEngine, reply
import hostilegen
from hostilegen import deep_paths_layout
from imagegen import E, OciImage, hexof, layer_tar, sha256

HANG_GUARD = 300  # seconds; the work below takes a few seconds under ASan


def run_guarded(bulwark, args, guard=HANG_GUARD, **kw):
    try:
        return bulwark.run(args, timeout=guard, **kw)
    except subprocess.TimeoutExpired:
        pytest.fail(f"bulwark {' '.join(map(str, args))} still running after {guard} s")


# ------------------------------------------------------------------ 10. deep paths


def test_deep_paths_merge_in_bounded_time(bulwark, tmp_path):
    """40,000 files 2,040 directories deep (a 1.7 MB layer): every ancestor lookup of the
    merge used to rehash every prefix of every path."""
    n, depth = 40000, 2040
    d = deep_paths_layout(tmp_path / "deep", n_files=n, depth=depth)
    rc, out, err = run_guarded(bulwark, ["image", "inspect", "-f", "json", f"oci:{d}"])
    assert rc == 0, err[-2000:]
    doc = json.loads(out)
    # the files, and the directories the engine would make for them
    assert doc["totals"]["files"] == n + depth, doc["totals"]


# ------------------------------------------------------------ 11. FIFOs in a layout


@pytest.mark.parametrize("where", ["index.json", "manifest.json", "oci-layout", "layer", "config"])
def test_fifo_in_an_oci_layout_never_blocks(bulwark, tmp_path, where):
    """Nobody writes to these FIFOs: an open() that waits for a writer waits forever."""
    img = OciImage([layer_tar([E("etc/", "dir"), E("etc/hostname", data="x\n")])])
    d = img.write_dir(tmp_path / "oci")
    name = {"layer": "blobs/sha256/" + hexof(sha256(img.layers[0]["blob"])),
            "config": "blobs/sha256/" + hexof(sha256(img.config_blob()))}.get(where, where)
    p = d / name
    if p.exists():
        p.unlink()
    os.mkfifo(p)
    rc, out, err = bulwark.run(["image", "files", f"oci:{d}"], timeout=60)
    if where == "oci-layout":
        assert rc == 0, err  # not needed to read the image: never opened
        return
    assert rc == 3, f"exit {rc}: {err}"
    assert name in err and "not a regular file" in err, err


# ------------------------------------------------------- 12. engines that stall


def stall_forever(engine):
    """An answer that never comes (until the fake engine stops)."""
    def talk(conn):
        engine.stopped.wait(600)
    return talk


def stall_after_headers(engine):
    def talk(conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nConnection: close\r\n\r\n")
        engine.stopped.wait(600)
    return talk


IMAGE_ID = "sha256:" + "e" * 64


def inspect_doc(cid, name, image=IMAGE_ID):
    return {"Id": cid, "Name": "/" + name, "Image": image, "Config": {"Image": "x:1", "User": "app"},
            "HostConfig": {"Privileged": False}, "State": {"Running": True, "Status": "running"},
            "Mounts": [], "ExecIDs": None}


def test_audit_stops_at_its_deadline_and_names_what_it_did_not_check(bulwark, tmp_path):
    """Three containers whose inspect never answers: with a 5 s deadline the audit ends
    in about 5 s (not three request timeouts), names each container it could not check,
    and exits 3 — the audit is incomplete."""
    ids = [c * 64 for c in "abc"]
    holder = {}

    def answer(method, path):
        if path.endswith("/containers/json?all=1"):
            return reply(200, [{"Id": i} for i in ids])
        if "/containers/" in path:
            return stall_forever(holder["e"])
        if path.endswith("/info"):
            return reply(200, {"ServerVersion": "stalling", "Swarm": {"LocalNodeState": "inactive"}})
        if "/images/json" in path:
            return reply(200, [])
        return None

    with FakeEngine(tmp_path / "engine.sock", answer) as eng:
        holder["e"] = eng
        rc, out, err = run_guarded(bulwark, ["audit", "-f", "json", "--timeout", "5", "--host-root", tmp_path],
                                   env={"DOCKER_HOST": eng.host})
    assert rc == 3, f"exit {rc}: {err[-2000:]}"
    rep = json.loads(out)
    w = "\n".join(rep["warnings"])
    for i in ids:
        assert f"container {i[:12]} not checked" in w, w
    assert "audit" in err and "time" in err, err


def test_audit_deadline_covers_the_image_export(bulwark, tmp_path):
    """Section 4 reads a container's image through GET /images/ID/get: an export that
    stalls after its headers stops at the deadline too."""
    cid = "d" * 64
    holder = {}

    def answer(method, path):
        if path.endswith("/containers/json?all=1"):
            return reply(200, [{"Id": cid}])
        if f"/containers/{cid}/json" in path:
            return reply(200, inspect_doc(cid, "web"))
        if "/images/json" in path:
            return reply(200, [{"Id": IMAGE_ID, "RepoTags": ["stall/img:1"]}])
        if path.endswith(f"/images/{IMAGE_ID.replace(':', '%3A')}/json"):
            return reply(200, {"Id": IMAGE_ID, "RepoDigests": []})
        if "/get" in path:
            return stall_after_headers(holder["e"])
        if path.endswith("/info"):
            return reply(200, {"ServerVersion": "stalling"})
        return None

    with FakeEngine(tmp_path / "engine.sock", answer) as eng:
        holder["e"] = eng
        rc, out, err = run_guarded(bulwark, ["audit", "-f", "json", "--timeout", "5", "--check", "4",
                                             "--host-root", tmp_path], env={"DOCKER_HOST": eng.host})
    assert rc == 3, f"exit {rc}: {err[-2000:]}"
    w = "\n".join(json.loads(out)["warnings"])
    assert "image stall/img:1 not checked" in w, w
    assert any("/get" in p for p in eng.paths()), eng.paths()


def stalling_engine(tmp_path):
    holder = {}

    def answer(method, path):
        if path.endswith("/images/stall/json"):
            return reply(200, {"Id": IMAGE_ID})
        if path.endswith("/images/stall/get"):
            return stall_after_headers(holder["e"])
        return None

    eng = FakeEngine(tmp_path / "engine.sock", answer)
    holder["e"] = eng
    return eng


@pytest.mark.skipif(os.environ.get("BW_LONG") != "1", reason="waits out the 60 s low-speed limit: BW_LONG=1 runs it")
def test_image_export_that_stalls_fails_instead_of_waiting(bulwark, tmp_path):
    """docker:NAME whose export sends its headers and then nothing: the low-speed limit
    (under 1 KiB/s for 60 s, as `db update`) ends it with exit 3 naming the request."""
    with stalling_engine(tmp_path) as eng:
        rc, out, err = run_guarded(bulwark, ["image", "files", "docker:stall"], env={"DOCKER_HOST": eng.host})
    assert rc == 3, f"exit {rc}: {err[-2000:]}"
    assert "/images/stall/get" in err, err


@pytest.mark.parametrize("cmd", [["image", "files"], ["image", "-f", "json"]])
def test_timeout_bounds_a_stalled_image_export(bulwark, tmp_path, cmd):
    """--timeout is the whole read's deadline for an engine image as for a registry one:
    a stalled export ends at it with exit 3 naming the request."""
    with stalling_engine(tmp_path) as eng:
        # the guard (under the 60 s low-speed limit) fails the test when --timeout is ignored
        rc, out, err = run_guarded(bulwark, [*cmd, "--timeout", "3s", "docker:stall"], env={"DOCKER_HOST": eng.host}, guard=45)
    assert rc == 3, f"exit {rc}: {err[-2000:]}"
    assert "/images/stall/get" in err, err


# --------------------------------------------- 13. VEX references, OSV aliases


def test_cyclonedx_vex_refs_resolve_in_bounded_time(bulwark, tmp_path):
    """80,000 components and as many vulnerabilities each affecting one of them by
    bom-ref (11 MB): each ref used to walk every component (12 minutes)."""
    vex = tmp_path / "vex.json"
    vex.write_text(hostilegen.cyclonedx_vex_many_refs(80000))
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY a /a\n")
    rc, out, err = run_guarded(bulwark, ["lint", "-f", "json", "--vex", vex, tmp_path / "Dockerfile"], guard=120)
    assert rc == 0, err[-2000:]


def test_osv_record_with_300000_aliases_imports_in_bounded_time(bulwark, tmp_path):
    """One 4 MB OSV record naming 150,000 aliases, each twice: de-duplicating them pair by
    pair took minutes."""
    osv = tmp_path / "osv"
    osv.mkdir()
    (osv / "GHSA-many-many-alia.json").write_text(hostilegen.osv_many_aliases(150000, repeat=2))
    db = tmp_path / "v.db"
    rc, out, err = run_guarded(bulwark, ["db", "import", "--db", db, osv], guard=120)
    assert rc == 0, err[-2000:]
    con = sqlite3.connect(str(db))
    assert con.execute("SELECT count(*) FROM aliases").fetchone()[0] == 150000


# ----------------------------------------------------- 14. a config of empty strings

GH_TOKEN = "ghp_" + "q7Zr2XwP9sLm4VnB8cKd1TfH6yJg3QeA5uRo"


def test_config_with_a_million_empty_env_strings_scans_in_bounded_time(bulwark, tmp_path):
    """1,390,000 empty Env strings (all a 4 MiB configuration holds) and one secret after
    them: a scanner was allocated per string (70 s)."""
    n = 1390000
    env = [""] * n + [f"GITHUB_TOKEN={GH_TOKEN}"]
    img = OciImage([layer_tar([E("etc/", "dir"), E("etc/hostname", data="x\n")])],
                   config={"Env": env, "Cmd": ["/bin/sh"]})
    assert len(img.config_blob()) < 4 << 20
    d = img.write_dir(tmp_path / "oci")
    rc, out, err = run_guarded(bulwark, ["image", "--scanners", "secret", "-f", "json", f"oci:{d}"], guard=120)
    assert rc == 0, err[-2000:]
    hits = [f for f in json.loads(out)["findings"] if f["location"].get("path") == "config:Env"]
    assert [(f["id"], f["location"]["line"]) for f in hits] == [("BW-SEC-GH-001", n + 1)], hits
