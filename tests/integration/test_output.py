"""Output a person reads: the table leads with the vulnerabilities and lists the package
inventory only with --list-packages (the JSON report has `packages` only then too, as
docs/report-schema.md says); --scanners packages alone is asking for the inventory."""

import json
import re

import pytest

from test_vuln import DATA, debian11_root

PACKAGES = [("xserver-common", "2:1.20.11-1+deb11u5", "xorg-server", "all"), ("dino-im", "0.2.0-3")]


@pytest.fixture(scope="module")
def vdb(bulwark, tmp_path_factory):
    db = tmp_path_factory.mktemp("vdb") / "output.db"
    rc, out, err = bulwark.run(["db", "import", "--db", db, DATA / "records", DATA / "distro", DATA / "enrich"])
    assert rc == 0, err
    return db


@pytest.fixture
def root(tmp_path):
    return debian11_root(tmp_path / "root", PACKAGES, python=[("Django_Example", "1.1")])


def fs(bulwark, vdb, root, *args, env=None):
    rc, out, err = bulwark.run(["fs", "--db", vdb, *args, root], env=env)
    assert rc == 0, err
    return out


# ------------------------------------------------------------------ the inventory on request


def test_packages_only_with_list_packages(bulwark, vdb, root):
    doc = json.loads(fs(bulwark, vdb, root, "-f", "json"))
    assert "packages" not in doc and doc["findings"]
    table = fs(bulwark, vdb, root)
    assert "packages:" not in table and "NAME" not in table
    assert table.index("vulnerability") < table.index("DSA-9001-1")

    doc = json.loads(fs(bulwark, vdb, root, "-f", "json", "--list-packages"))
    assert {p["name"] for p in doc["packages"]} == {"xserver-common", "dino-im", "django-example"}
    table = fs(bulwark, vdb, root, "--list-packages")
    # the vulnerabilities first, then the inventory, then the summary line
    assert table.index("DSA-9001-1") < table.index("packages: 3") < table.index("3 findings")
    assert "  dino-im         0.2.0-3" in table


def test_the_packages_scanner_alone_asks_for_the_inventory(bulwark, vdb, root):
    doc = json.loads(fs(bulwark, vdb, root, "-f", "json", "--scanners", "packages"))
    assert len(doc["packages"]) == 3 and doc["findings"] == []
    doc = json.loads(fs(bulwark, vdb, root, "-f", "json", "--scanners", "vuln"))
    assert "packages" not in doc and doc["findings"]
    assert "packages:" not in fs(bulwark, vdb, root, "--scanners", "vuln,packages")
    assert "packages: 3" in fs(bulwark, vdb, root, "--scanners", "vuln,packages", "--list-packages")


# ------------------------------------------------------------------ width

LONG = ("Überlänge: a heap overflow in the parser of crafted headers lets a remote attacker run "
        "code — ünd the title goes on well past any terminal's width")


@pytest.fixture(scope="module")
def long_db(bulwark, tmp_path_factory):
    d = tmp_path_factory.mktemp("long")
    for n, fixed in (("1", "1.1"), ("2", "1.2")):
        (d / f"BW-TEST-LONG-{n}.json").write_text(json.dumps({
            "schema_version": "1.6.0", "id": f"BW-TEST-LONG-{n}", "modified": "2024-01-01T00:00:00Z",
            "summary": f"{LONG} ({n})",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "longtitle"},
                          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}],
        }))
    rc, out, err = bulwark.run(["db", "import", "--db", d / "long.db", d])
    assert rc == 0, err
    return d / "long.db"


@pytest.fixture
def long_root(tmp_path):
    return debian11_root(tmp_path / "root", [], python=[("longtitle", "1.0")])


def finding_lines(table):
    """Each vulnerability's line, with the title of a continuation line joined to it."""
    lines = table.splitlines()
    out = []
    for i, l in enumerate(lines):
        if l.startswith("    UNKNOWN"):
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            cont = nxt.startswith(" " * 13) and not nxt.strip().startswith(("aliases:", "url:", "at:", "suppressed by:"))
            out.append((l, nxt if cont else None))
    return out


def test_titles_cut_to_the_terminal_width_whole_in_json(bulwark, long_db, long_root, tmp_path):
    doc = json.loads(fs(bulwark, long_db, long_root, "-f", "json"))
    assert sorted(f["title"] for f in doc["findings"]) == [f"{LONG} (1)", f"{LONG} (2)"]
    # no COLUMNS and not a terminal: whole titles
    whole = fs(bulwark, long_db, long_root, env={"COLUMNS": ""})
    assert f"{LONG} (1)" in whole and f"{LONG} (2)" in whole
    for cols in (150, 120, 90, 60):
        table = fs(bulwark, long_db, long_root, env={"COLUMNS": str(cols)})
        got = finding_lines(table)
        assert len(got) == 2, table
        assert all(cont for _, cont in got) == (cols < 110), table  # too narrow: a line of its own
        for first, cont in got:
            assert len((cont or first).rstrip()) <= cols, (cols, cont or first)
            text = (cont or first).rstrip()
            assert text.endswith("..."), (cols, text)
            kept = text[:-3].split("  ")[-1].strip()
            assert len(kept) >= 20 and LONG.startswith(kept), (cols, kept)
    # -o FILE: a file is no terminal, whatever COLUMNS says
    out = tmp_path / "table.txt"
    rc, _, err = bulwark.run(["fs", "--db", long_db, "-o", out, long_root], env={"COLUMNS": "60"})
    assert rc == 0, err
    assert f"{LONG} (2)" in out.read_text()


def test_a_package_path_is_shown_once_for_its_findings(bulwark, long_db, long_root):
    table = fs(bulwark, long_db, long_root)
    path = "/usr/local/lib/python3.9/site-packages/longtitle-1.0.dist-info/METADATA"
    assert table.count(path) == 1
    head = table.index("longtitle 1.0 (PyPI): 2 vulnerabilities")
    assert head < table.index(path) < table.index("BW-TEST-LONG-1")


# ------------------------------------------------------------------ help lists only what exists

FORMATS = ["table", "json", "sarif", "cyclonedx", "spdx", "junit", "gitlab", "gitlab-codequality",
           "compact", "html"]


def help_formats(bulwark, cmd):
    """The formats a command's --format line names (before a ';', which starts what a
    subcommand writes), or None when its help has no --format line."""
    rc, out, err = bulwark.run(["help", cmd])
    assert rc == 0, err
    lines = out.splitlines()
    at = next((i for i, l in enumerate(lines) if l.startswith("  -f, --format FMT")), None)
    if at is None:
        return None
    text = lines[at][len("  -f, --format FMT"):]
    for l in lines[at + 1:]:
        if not l.startswith(" " * 23):
            break
        text += " " + l
    text = text.split(";")[0]
    return {w for w in re.findall(r"[a-z]+(?:-[a-z]+)*", text) if w in FORMATS}


def test_help_names_exactly_the_formats_a_command_writes(bulwark, tmp_path, monkeypatch):
    from test_cli import _VALID, _commands, _validation_inputs

    monkeypatch.setenv("BULWARK_PASSWORD", "x")
    inputs = _validation_inputs(tmp_path)
    checked = 0
    for name in _commands(bulwark):
        named = help_formats(bulwark, name)
        if named is None:
            continue
        args = [str(tmp_path / "out") if a == "OUT" else inputs.get(a, a) for a in _VALID[name]]
        at = _VALID[name].index("OUT") + 1  # options before the operands (vercmp)
        for fmt in FORMATS:
            for f in tmp_path.glob("kp.*"):
                f.unlink()
            rc, _, err = bulwark.run([*args[:at], "-f", fmt, *args[at:]], input="")
            if fmt in named:
                assert rc != 2, (name, fmt, err)  # written (db info: exit 3, no database)
            else:
                assert rc == 2, (name, fmt, rc, err)  # a usage error, not ignored
            checked += 1
    assert checked >= 70


# ------------------------------------------------------------------ progress


def run_with_terminal_stderr(cmd, env):
    """Run cmd with standard error on a pseudo-terminal (progress is shown only there);
    returns (exit code, what the terminal got)."""
    import os
    import pty
    import subprocess

    master, slave = pty.openpty()
    p = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    got = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other end closed
            break
        if not chunk:
            break
        got += chunk
    os.close(master)
    return p.wait(timeout=600), got.decode(errors="replace")


def test_engine_image_progress_knows_the_layer_total(bulwark, docker, tiny_image, tmp_path):
    import os

    ctx = tmp_path / "ctx"
    ctx.mkdir()
    # more than the 8 MiB between two progress lines, in two layers above tiny's one
    (ctx / "a.bin").write_bytes(os.urandom(6 << 20))
    (ctx / "b.bin").write_bytes(os.urandom(6 << 20))
    (ctx / "Dockerfile").write_text(f"FROM {tiny_image}\nCOPY a.bin /a.bin\nCOPY b.bin /b.bin\n")
    tag = docker.build_image("bwtest/progress:1", ctx)
    n = len(docker.inspect(tag)["RootFS"]["Layers"])
    env = dict(os.environ, DOCKER_HOST=docker.host)
    rc, tty = run_with_terminal_stderr([bulwark.path, "image", "--scanners", "packages", "--no-cache",
                                        f"docker:{tag}"], env)
    assert rc == 0, tty
    seen = [(int(d), int(t)) for d, t in re.findall(r"reading layers: (\d+)/(\d+)", tty)]
    assert seen and {t for _, t in seen} == {n} and all(d <= n for d, _ in seen), tty


def test_audit_section_4_tells_which_image_of_how_many(bulwark, docker, tiny_image):
    import os

    name = f"bw-output-progress-{os.getpid()}"
    docker.cli("create", "--network", "none", "--name", name, tiny_image, "true")
    try:
        env = dict(os.environ, DOCKER_HOST=docker.host)
        rc, tty = run_with_terminal_stderr([bulwark.path, "audit", "--check", "4.1", "-f", "json"], env)
    finally:
        docker.cli("rm", "-f", name, check=False)
    assert rc == 0, tty
    seen = re.findall(r"section 4, image (\d+)/(\d+) \(([^)]*)\)", tty)
    assert seen and any(img == tiny_image for _, _, img in seen), tty
    total = int(seen[0][1])
    assert [int(d) for d, _, _ in seen] == list(range(1, total + 1)), tty
