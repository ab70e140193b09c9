"""bulwark's Debian package (debian/ in the repository).

dpkg-buildpackage runs in the Dockerfile's build stage on a Debian 12 that has nothing but
minbase and the Build-Depends (debimages.py: the compile is shared with test_container.py;
the cost is written there, and it runs only with BW_LONG=1 or when the engine holds the
images of this very tree). The package must be lintian clean (every override in
debian/bulwark.lintian-overrides says why), install /usr/bin/bulwark, a man page per
command and the bash, zsh and fish completions, and its Build-Depends must name every
library the meson build asks pkg-config for.

Cheap, in every run: the source package (dpkg-source -b) is lintian clean, the
Build-Depends, and `meson install` of the release build (what dh_auto_install runs) puts
the binary, the pages and the completions where the package ships them."""

import json
import os
import pathlib
import re
import subprocess

import pytest

import debimages

# What the package ships, relative to the prefix (/usr); a page per command besides.
SHIPPED = ["bin/bulwark", "share/bash-completion/completions/bulwark", "share/zsh/vendor-completions/_bulwark",
           "share/fish/vendor_completions.d/bulwark.fish"]


def commands(bulwark):
    """The commands `bulwark --help` lists (help itself has no page of its own)."""
    rc, out, _ = bulwark.run(["--help"])
    assert rc == 0
    block = out.split("commands:\n", 1)[1].split("\n\n", 1)[0]
    names = [line.split()[0] for line in block.splitlines() if line.startswith("  ")]
    names.remove("help")
    return names


def lintian(target):
    """lintian at --pedantic on a .dsc or .changes: (output, tags not overridden). Every
    override in force must be one debian/bulwark.lintian-overrides explains. (With
    --show-overrides, lintian 2.116 exits 2 for an overridden error as well: the tags
    decide, and exit 1, lintian's own failure, fails.)"""
    p = subprocess.run(["lintian", "--display-info", "--pedantic", "--show-overrides", str(target)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    assert p.returncode in (0, 2), f"lintian failed (exit {p.returncode}):\n{p.stdout}"
    tags = [line for line in p.stdout.splitlines() if re.match(r"^[EWIPXCO]: ", line)]
    assert tags or p.returncode == 0, p.stdout
    overrides = (pathlib.Path(__file__).resolve().parents[2] / "debian" / "bulwark.lintian-overrides").read_text()
    for line in tags:
        if line.startswith("O: "):
            assert line.split()[2] in overrides, line
    return p.stdout, [t for t in tags if not t.startswith("O: ")]


@pytest.fixture(scope="module")
def built(docker, repo_root):
    return debimages.bulwark_image(docker, repo_root)


def test_source_package_is_lintian_clean(repo_root, tmp_path):
    dsc = debimages.source_package(repo_root, tmp_path)
    out, unjustified = lintian(dsc)
    assert not unjustified, out
    # the source package is the tree, without build directories
    listing = subprocess.run(["tar", "-tzf", str(dsc.with_suffix(".tar.gz"))], stdout=subprocess.PIPE, text=True,
                             check=True).stdout.split()
    top = {n.split("/")[1] for n in listing if n.count("/") >= 1 and n.split("/")[1]}
    assert {"debian", "src", "meson.build", "Dockerfile"} <= top, sorted(top)
    assert not {n for n in top if n.startswith(("build", "obj-"))}, sorted(top)


def test_meson_install_puts_what_the_package_ships(bulwark_release, tmp_path):
    """dh_auto_install is `meson install` into debian/tmp; the same from the release build
    (already compiled: --no-rebuild) installs the binary, a page per command, the three
    completions, each under the prefix where the package has it."""
    build = bulwark_release.path.parents[2]
    assert (build / "meson-private").is_dir(), f"{build} is not a meson build directory"
    dest = tmp_path / "dest"
    p = subprocess.run(["meson", "install", "-C", str(build), "--no-rebuild", "--destdir", str(dest)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    assert p.returncode == 0, p.stdout
    prefix = subprocess.run(["meson", "introspect", "--buildoptions", str(build)], stdout=subprocess.PIPE,
                            text=True, check=True).stdout
    prefix = next(o["value"] for o in json.loads(prefix) if o["name"] == "prefix")
    root = dest / prefix.lstrip("/")
    files = {str(f.relative_to(root)) for f in root.rglob("*") if f.is_file()}
    want = set(SHIPPED) | {"share/man/man1/bulwark.1"}
    want |= {f"share/man/man1/bulwark-{c}.1" for c in commands(bulwark_release)}
    assert want <= files, sorted(want - files)
    assert not files - want, f"installed but not expected in the package: {sorted(files - want)}"


@pytest.mark.slow
def test_lintian_is_clean(built):
    changes = sorted(built.debs.glob("*.changes"))
    assert len(changes) == 1, list(built.debs.iterdir())
    out, unjustified = lintian(changes[0])
    assert not unjustified, out


@pytest.mark.slow
def test_package_contents(bulwark, built, tmp_path):
    listing = subprocess.run(["dpkg-deb", "-c", str(built.deb)], stdout=subprocess.PIPE, text=True,
                             check=True).stdout
    files = {line.split()[-1].lstrip(".") for line in listing.splitlines()}
    cmds = commands(bulwark)
    want = {f"/usr/{f}" for f in SHIPPED} | {"/usr/share/man/man1/bulwark.1.gz", "/usr/share/doc/bulwark/copyright"}
    want |= {f"/usr/share/man/man1/bulwark-{c}.1.gz" for c in cmds}
    assert want <= files, sorted(want - files)
    # built with the hardening flags (PIE, full RELRO) debian/rules asks for
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(built.deb), str(root)], check=True)
    dyn = subprocess.run(["readelf", "-d", "-h", str(root / "usr/bin/bulwark")], stdout=subprocess.PIPE,
                         text=True, check=True).stdout
    assert "DYN (Position-Independent Executable" in dyn and "BIND_NOW" in dyn, dyn
    # the packaged binary runs on this Debian 12, and its pages render
    p = subprocess.run([str(root / "usr/bin/bulwark"), "--version"], stdout=subprocess.PIPE, text=True)
    assert p.returncode == 0 and p.stdout.startswith("bulwark ")
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
    for c in ["bulwark"] + [f"bulwark-{c}" for c in cmds]:
        m = subprocess.run(["man", "--warnings=w", "-l", str(root / f"usr/share/man/man1/{c}.1.gz")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=60)
        assert m.returncode == 0 and m.stderr == b"", (c, m.stderr)


@pytest.mark.slow
def test_package_depends_on_the_libraries(built):
    depends = set(debimages.deb_depends(built.deb))
    assert {"libc6", "libarchive13", "libcurl4", "libsqlite3-0", "libvectorscan5"} <= depends, depends


def test_build_depends_name_every_pkg_config_dependency(repo_root):
    """Each dependency('name') of the meson files is a pkg-config module; the -dev package
    that ships its .pc file must be in debian/control's Build-Depends (cmocka only for the
    unit tests: <!nocheck>)."""
    control = (repo_root / "debian" / "control").read_text()
    build_depends = set(debimages.package_build_deps(repo_root))
    assert re.search(r"libcmocka-dev <!nocheck>", control)
    modules = set()
    for f in repo_root.rglob("meson.build"):
        if any(part.startswith("build") for part in f.relative_to(repo_root).parts[:-1]):
            continue
        modules |= set(re.findall(r"dependency\('([^']+)'", f.read_text()))
    modules.discard("threads")
    assert modules, "no dependency() found"
    for mod in sorted(modules):
        pcdir = subprocess.run(["pkg-config", "--variable=pcfiledir", mod], stdout=subprocess.PIPE,
                               text=True).stdout.strip()
        assert pcdir, f"pkg-config does not know {mod} (scripts/install-deps.sh)"
        owner = subprocess.run(["dpkg", "-S", f"{pcdir}/{mod}.pc"], stdout=subprocess.PIPE,
                               text=True).stdout
        pkgs = {o.split(":")[0].strip() for o in owner.split(",")} if owner else set()
        if not pkgs:  # a .pc reached through a symlinked directory
            real = os.path.realpath(f"{pcdir}/{mod}.pc")
            owner = subprocess.run(["dpkg", "-S", real], stdout=subprocess.PIPE, text=True).stdout
            pkgs = {owner.split(":")[0].strip()} if owner else set()
        assert pkgs & build_depends, f"{mod}.pc comes from {pkgs or '?'}, not in Build-Depends"
