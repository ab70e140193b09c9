"""bulwark's own Debian package and container image, built once for the packaging tests
(test_package.py, test_container.py) from the repository's Dockerfile and debian/.

No registry is reachable here, so the Dockerfile's two bases (build args BASE and
RUNTIME_BASE; debian:12 for users) are Debian 12 root filesystems made by debootstrap, the
way conftest.py makes ref/bookworm:12, cached in BW_TEST_CACHE and imported into the engine:

  ref/bulwark-build:12    minbase + build-essential, dpkg-dev and debian/control's
                          Build-Depends (what `scripts/install-deps.sh --package` installs),
                          so the build stage's apt-get has nothing to fetch
  ref/bulwark-runtime:12  minbase + the Depends of the package the build stage made

The build stage runs dpkg-buildpackage on the tree (`docker build --target build`): that
package is the one test_package.py checks (lintian, contents), so the project is compiled
once for both tests. Then the whole Dockerfile is built, the build stage coming from the
engine's cache.

Cost (2 cores, measured on the development machine): the build base ~5 min the first time
(debootstrap downloads ~165 MB; the tarball is cached), the runtime base ~1 min (from the
same package cache), the build stage ~3 min (a release build without unit tests), the
final stage and the rest well under a minute. With the bases cached: ~4 min.

So the build happens only with BW_LONG=1. Both images carry a label with the hash of the
build context (source_hash), and a run without BW_LONG reuses them when the engine holds a
pair built from this very tree, and skips otherwise: CI runs the cheap tests of
test_package.py and test_container.py (the source package, the Dockerfile, the install
layout), a BW_LONG=1 run the whole of them.

source_package() makes the source package (dpkg-source -b, seconds) for lintian."""

import fnmatch
import functools
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import types

import pytest

import conftest

BUILD_TAG = "ref/bulwark-build:12"
RUNTIME_TAG = "ref/bulwark-runtime:12"
BUILD_STAGE_TAG = "bulwark-test/build:1"
IMAGE_TAG = "bulwark-test/bulwark:1"
SOURCE_LABEL_KEY = "org.bulwark.test-source"

LONG = os.environ.get("BW_LONG") == "1"
LONG_REASON = "builds bulwark's Debian package and container image (minutes): BW_LONG=1 runs it"


def context_files(repo):
    """The files of the tree a package or image is built from: what git tracks or would
    track (untracked files not ignored), without build directories, sorted."""
    p = subprocess.run(["git", "-C", str(repo), "ls-files", "-z", "-c", "-o", "--exclude-standard"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if p.returncode == 0:
        names = {n for n in p.stdout.decode().split("\0") if n}
    else:  # not a git checkout (an unpacked source package): every file but caches
        names = {str(f.relative_to(repo)) for f in repo.rglob("*")
                 if f.is_file() and not {".git", "__pycache__", ".pytest_cache"} & set(f.relative_to(repo).parts)}
    return sorted(n for n in names
                  if not n.split("/", 1)[0].startswith(("build", "obj-")) and (repo / n).is_file())


def _dockerignored(repo):
    """A predicate: is this path (or a directory above it) matched by .dockerignore?"""
    patterns = [line.strip() for line in (repo / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.lstrip().startswith("#")]

    def ignored(name):
        parts = name.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        return any(fnmatch.fnmatchcase(p, pat) for pat in patterns for p in prefixes)

    return ignored


def source_hash(repo):
    """sha256 over the names and bytes of the Dockerfile's build context (context_files()
    without what .dockerignore leaves out)."""
    h = hashlib.sha256()
    ignored = _dockerignored(repo)
    for n in (n for n in context_files(repo) if not ignored(n)):
        h.update(n.encode() + b"\0" + (repo / n).read_bytes() + b"\0")
    return h.hexdigest()[:24]


def source_package(repo, dest):
    """dpkg-source -b of a copy of the tree (context_files) in dest: returns the .dsc (its
    tarball is the .dsc's name with .tar.gz)."""
    text = (repo / "debian" / "changelog").read_text()
    m = re.match(r"(\S+) \(([^)]+)\)", text)
    assert m, "debian/changelog: no first entry"
    src = dest / f"{m.group(1)}-{m.group(2)}"
    for n in context_files(repo):
        (src / n).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / n, src / n)
    # gzip -1 rather than dpkg-source's xz: the same checks, a fifth of a second instead of seconds
    p = subprocess.run(["dpkg-source", "-Zgzip", "-z1", "-b", src.name], cwd=dest, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=600)
    assert p.returncode == 0, p.stdout
    return dest / f"{m.group(1)}_{m.group(2)}.dsc"


def package_build_deps(repo):
    """The packages `scripts/install-deps.sh --package` installs (it prints nothing but
    installs; the same rules are applied here to debian/control)."""
    text = (repo / "debian" / "control").read_text()
    m = re.search(r"^Build-Depends:(.*?)(?=^\S)", text, re.M | re.S)
    assert m, "debian/control has no Build-Depends"
    names = ["build-essential", "dpkg-dev"]
    for item in m.group(1).split(","):
        item = re.sub(r"\([^)]*\)|<[^>]*>|\[[^\]]*\]", "", item).strip()
        if item:
            names.append("debhelper" if item == "debhelper-compat" else item)
    return names


def deb_depends(deb):
    """Package names of a .deb's Depends (versions dropped, the first of alternatives)."""
    out = subprocess.run(["dpkg-deb", "-f", str(deb), "Depends"], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    return [re.sub(r"\(.*?\)|:any", "", alt.split("|")[0]).strip() for alt in out.split(",") if alt.strip()]


def debootstrap_image(docker, tag, include):
    """A minbase bookworm with `include`, imported as `tag` (cached by the package list)."""
    if shutil.which("debootstrap") is None:
        pytest.fail("debootstrap is not installed (scripts/install-deps.sh)")
    key = hashlib.sha256(json.dumps(sorted(include)).encode()).hexdigest()[:16]
    slug = re.sub(r"[^A-Za-z0-9]+", "-", tag)
    cache = conftest._cache_dir()
    tar = cache / f"{slug}-{key}.tar"
    label = f"{slug}-{key}"
    debs = cache / "debootstrap-debs"
    debs.mkdir(exist_ok=True)
    with conftest._locked(cache / f"{slug}.lock"):
        if not tar.is_file():
            work = cache / f"{slug}.tmp"
            shutil.rmtree(work, ignore_errors=True)
            mirror = conftest.debian_mirror()
            p = subprocess.run(["debootstrap", "--variant=minbase", f"--include={','.join(include)}",
                                f"--cache-dir={debs}", "bookworm", str(work), mirror],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=3600)
            if p.returncode != 0:
                pytest.fail(f"debootstrap of {tag} from {mirror} failed:\n{p.stdout[-3000:]}")
            for f in (work / "var/cache/apt/archives").glob("*.deb"):
                f.unlink()
            tmp = cache / f"{slug}.tar.tmp"
            subprocess.run(["tar", "-C", str(work), "--numeric-owner", "-cf", str(tmp), "."], check=True)
            shutil.rmtree(work)
            for old in cache.glob(f"{slug}-*.tar"):
                old.unlink()
            tmp.rename(tar)
        if conftest._fixture_label(docker, tag) != label:
            docker.cli("import", "-c", f"LABEL {conftest.FIXTURE_LABEL_KEY}={label}", "-c", 'CMD ["/bin/bash"]',
                       tar, tag, timeout=1800)
    return tag


def _image_id(docker, tag):
    p = docker.cli("image", "inspect", "--format", "{{.Id}}", tag, check=False)
    return p.stdout.strip() if p.returncode == 0 else None


def _build(docker, tag, repo, args, target=None, label=None):
    """docker build of the repository's Dockerfile; the previous image of `tag`, when
    this build replaces it, is removed with the layers only it used (vfs copies every
    layer whole: a build base is ~1 GB a layer)."""
    old = _image_id(docker, tag)
    cmd = ["build", "--network", "none", "--force-rm", "-t", tag]
    for k, v in args.items():
        cmd += ["--build-arg", f"{k}={v}"]
    if target:
        cmd += ["--target", target]
    if label:
        cmd += ["--label", f"{SOURCE_LABEL_KEY}={label}"]
    p = docker.cli(*cmd, str(repo), check=False, timeout=3600)
    assert p.returncode == 0, f"docker build {tag} failed:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}"
    new = _image_id(docker, tag)
    if old and old != new:
        docker.cli("rmi", old, check=False)
    return p.stdout


def _source_label(docker, tag):
    p = docker.cli("image", "inspect", "--format", f'{{{{index .Config.Labels "{SOURCE_LABEL_KEY}"}}}}', tag,
                   check=False)
    return p.stdout.strip() if p.returncode == 0 else None


@functools.lru_cache(maxsize=None)
def bulwark_image(docker, repo):
    """Build once per session (BW_LONG=1), or reuse the pair of images the engine holds
    when they were built from this tree; skip otherwise. Returns .image (tag), .deb (the
    package), .debs (its directory), .built (False when reused)."""
    repo = pathlib.Path(repo)
    label = source_hash(repo)
    reuse = all(_source_label(docker, t) == label for t in (BUILD_STAGE_TAG, IMAGE_TAG))
    if not reuse:
        if not LONG:
            pytest.skip(LONG_REASON)
        build_base = debootstrap_image(docker, BUILD_TAG, package_build_deps(repo))
        _build(docker, BUILD_STAGE_TAG, repo, {"BASE": build_base}, target="build", label=label)
    out = pathlib.Path(tempfile.mkdtemp(prefix="bulwark-deb-"))
    cid = docker.cli("create", "--network", "none", BUILD_STAGE_TAG, "/bin/true").stdout.strip()
    try:
        docker.cli("cp", f"{cid}:/out/.", str(out))
    finally:
        docker.cli("rm", "-f", cid, check=False)
    debs = sorted(out.glob("bulwark_*.deb"))
    assert len(debs) == 1, f"the build stage's /out holds {[d.name for d in out.iterdir()]}"
    if not reuse:
        runtime_base = debootstrap_image(docker, RUNTIME_TAG, deb_depends(debs[0]))
        _build(docker, IMAGE_TAG, repo, {"BASE": build_base, "RUNTIME_BASE": runtime_base}, label=label)
    return types.SimpleNamespace(image=IMAGE_TAG, deb=debs[0], debs=out, built=not reuse)
