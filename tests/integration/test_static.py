"""The mostly static build (-Dstatic_deps=true, docs/install.md): it builds, runs, scans,
and loads only the shared libraries docs/install.md lists, each with its reason.

Cost: one release build without unit tests in BW_STATIC_DIR (default <repo>/build-static),
~3 min on 2 cores the first time, incremental afterwards: it runs only with BW_LONG=1.

Cheap, in every run: `meson setup -Dstatic_deps=true` alone (seconds), and the link line
it writes for the binary takes each library docs/install.md calls static from its archive
and the others from their shared objects."""

import os
import pathlib
import re
import shlex
import subprocess

import pytest

from conftest import Bulwark

# The libraries -Dstatic_deps=true takes from their Debian static archives (docs/install.md),
# and those that stay shared (the table there, with the reasons).
STATIC = ["libarchive", "libjansson", "libsqlite3", "libzstd", "libyaml", "libpcre2-8", "libhs", "libsodium"]
SHARED = ["libcurl", "libcrypto", "libssl", "libisal", "libzip", "librpm", "libnetfilter_conntrack", "libmnl"]


def static_dir(repo_root):
    return pathlib.Path(os.environ.get("BW_STATIC_DIR") or (repo_root / "build-static"))


def test_static_configuration_links_the_archives(repo_root, tmp_path):
    d = tmp_path / "build-static"
    p = subprocess.run(["meson", "setup", str(d), "-Dbuildtype=release", "-Dstatic_deps=true", "-Dtests=false"],
                       cwd=repo_root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-4000:]
    ninja = (d / "build.ninja").read_text()
    m = re.search(r"^build src/cli/bulwark: c_LINKER .*\n LINK_ARGS = (.*)$", ninja, re.M)
    assert m, "no link statement of src/cli/bulwark in build.ninja"
    libs = {os.path.basename(a) for a in shlex.split(m.group(1)) if re.search(r"\.(a|so)(\.[\d.]+)?$", a)}
    for lib in STATIC:
        assert f"{lib}.a" in libs and f"{lib}.so" not in libs, (lib, sorted(libs))
    for lib in SHARED:
        assert f"{lib}.so" in libs and f"{lib}.a" not in libs, (lib, sorted(libs))
    # the default configuration links them all shared
    d2 = tmp_path / "build-shared"
    p = subprocess.run(["meson", "setup", str(d2), "-Dbuildtype=release", "-Dtests=false"], cwd=repo_root,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-4000:]
    m = re.search(r"^build src/cli/bulwark: c_LINKER .*\n LINK_ARGS = (.*)$", (d2 / "build.ninja").read_text(), re.M)
    assert m and not [a for a in shlex.split(m.group(1)) if a.endswith(".a") and a != "libbulwark.a"], m


@pytest.fixture(scope="module")
def static_bulwark(repo_root):
    d = static_dir(repo_root)
    if os.environ.get("BW_LONG") != "1":
        pytest.skip(f"builds bulwark with -Dstatic_deps=true in {d} (minutes): BW_LONG=1 runs it")
    opts = ["-Dbuildtype=release", "-Dstatic_deps=true", "-Dtests=false", "--werror"]
    if (d / "meson-private" / "coredata.dat").is_file():
        setup = ["meson", "setup", "--reconfigure", str(d)] + opts
    else:
        setup = ["meson", "setup", str(d)] + opts
    for cmd in (setup, ["ninja", "-C", str(d)]):
        p = subprocess.run(cmd, cwd=repo_root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=3600)
        assert p.returncode == 0, f"{' '.join(cmd)}:\n{p.stdout[-4000:]}"
    return Bulwark(d / "src" / "cli" / "bulwark")


def documented(repo_root):
    """(NEEDED sonames of the table, sonames of the ldd block) of docs/install.md."""
    text = (repo_root / "docs" / "install.md").read_text()
    section = text.split("## The mostly static build", 1)[1].split("\n## ", 1)[0]
    needed = set()
    for row in re.findall(r"^\| (`.*?`) \|", section, re.M):
        needed |= set(re.findall(r"`([^`]+\.so[.\d]*)`", row))
    block = re.search(r"`ldd build-static/src/cli/bulwark`.*?```\n(.*?)```", section, re.S)
    assert needed and block, "docs/install.md lost its static-build table or ldd block"
    return needed, set(block.group(1).split())


@pytest.mark.slow
def test_static_build_runs_and_scans(static_bulwark, repo_root, tiny_image, save, tmp_path):
    rc, out, err = static_bulwark.run(["--version"])
    assert rc == 0 and out.startswith("bulwark "), err
    db = tmp_path / "db.sqlite"
    rc, out, err = static_bulwark.run(["db", "import", "--db", db, repo_root / "examples" / "vulndb"])
    assert rc == 0, err
    report = static_bulwark.json(["image", "--db", db, "--format", "json", "--list-packages", save(tiny_image)])
    assert report["target"]["type"] == "image"


@pytest.mark.slow
def test_static_build_loads_only_the_documented_libraries(static_bulwark, repo_root):
    needed_doc, ldd_doc = documented(repo_root)
    dyn = subprocess.run(["readelf", "-d", str(static_bulwark.path)], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dyn))
    assert needed == needed_doc, (sorted(needed - needed_doc), sorted(needed_doc - needed))
    out = subprocess.run(["ldd", str(static_bulwark.path)], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    loaded = set()
    for line in out.splitlines():
        name = line.split()[0]
        if name.startswith("linux-vdso"):
            continue
        loaded.add(os.path.basename(name))
    assert loaded == ldd_doc, (sorted(loaded - ldd_doc), sorted(ldd_doc - loaded))
    # and what the static archives replaced is gone
    for gone in ("libarchive.so.13", "libjansson.so.4", "libyaml-0.so.2", "libpcre2-8.so.0", "libhs.so.5",
                 "libxml2.so.2"):
        assert gone not in loaded
