"""Shared fixtures of bulwark's integration tests (pytest, Debian's /usr/bin/python3).

These names are a contract: other tests use them. Add, don't rename.

Environment (scripts/test.sh sets all of them):
  BULWARK              binary under test          [<repo>/build/src/cli/bulwark]
  BULWARK_RELEASE      release build (optional)   [<repo>/build/src/cli/bulwark]
  BW_SHARED_DATA       shared test data           [<repo>/../shared/data]
  BW_TEST_DOCKER_HOST  Docker Engine to use       [$DOCKER_HOST, else unix:///var/run/docker.sock]
  BW_TEST_CACHE        slow-to-make inputs (the debootstrap rootfs), kept between runs
                       [<repo>/build/test-cache]

Fixtures:
  repo_root        (session) pathlib.Path of the repository.
  bulwark          (session) Bulwark: .path; .run(args, input=None, env=None, timeout=600,
                   cwd=None) -> (rc, stdout, stderr) as str (undecodable bytes kept as
                   surrogates); .run_bytes(...) -> (rc, bytes, str); .json(args) -> parsed
                   stdout, asserting exit 0.
  bulwark_release  (session) the same for BULWARK_RELEASE (skips when absent).
  shared_data      (session) pathlib.Path of ../shared/data; pytest.skip when absent.
  docker           (session) Docker: .host, .env; .cli(*args, check=True, input=None,
                   timeout=600) -> CompletedProcess (text); .inspect(ref) -> dict;
                   .image_exists(ref); .build_image(tag, dir, buildargs=None) -> tag;
                   .save(ref, dest_dir) -> Path; .export(ref, dest) -> Path (docker create +
                   docker export of a never-started container); .history(ref) -> list of
                   dicts from `docker history --no-trunc --format '{{json .}}'`.
                   Skips with the reason when no engine answers (scripts/test.sh starts one).
  tiny_image       (session) "tiny:1": /bin/busybox (static) with its applets as symlinks,
                   /etc/passwd, /etc/group, /tmp. Imported with `docker import`.
  debian_rootfs    (session) DebianRootfs(tar, dir, image, mirror): debootstrap
                   --variant=minbase bookworm (cached in BW_TEST_CACHE), imported as
                   "ref/bookworm:12". .packages() -> {name: version} from dpkg-query.
  build_image      (session) build_image(tag, dockerfile_dir, buildargs=None) -> tag:
                   DOCKER_BUILDKIT=0 docker build --network none; cached per (tag, dir
                   content) in the session.
  save             (session) save(tag) -> Path of `docker save` output (legacy layout on
                   engine 20.10) in a session tmp dir; cached per image id.
  images_dir       (session) <repo>/tests/images (Dockerfiles of the test images).

Every test runs with its own empty XDG_CACHE_HOME (autouse fixture _private_cache_home).

Markers: slow (still in the default run; deselect with -m "not slow").

Rules: never pull (no registry is reachable); every container gets --network none.
"""

import collections
import contextlib
import fcntl
import glob
import hashlib
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import tarfile
import tempfile

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]

TINY_TAG = "tiny:1"
TINY_LABEL = "tiny-v1"
BOOKWORM_TAG = "ref/bookworm:12"
BOOKWORM_LABEL = "bookworm-minbase-v1"
FIXTURE_LABEL_KEY = "org.bulwark.test-fixture"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes long; still part of the default run")


@pytest.fixture(autouse=True)
def _private_cache_home(tmp_path_factory, monkeypatch):
    """Every test gets its own empty XDG_CACHE_HOME: bulwark never touches the user's
    cache (layer cache, default vulnerability DB), and every first scan is cold, so a
    test that tampers with an archive sees its digest error, not a cached layer."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


# --------------------------------------------------------------------------- bulwark


def _decode(b):
    return b.decode("utf-8", errors="surrogateescape")


class Bulwark:
    """Runs the bulwark binary. run() never raises on a non-zero exit."""

    def __init__(self, path):
        self.path = pathlib.Path(path)

    def run_bytes(self, args, input=None, env=None, timeout=600, cwd=None):
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        if isinstance(input, str):
            input = input.encode()
        p = subprocess.run(
            [str(self.path)] + [str(a) for a in args],
            input=input,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=full_env,
            timeout=timeout,
            cwd=cwd,
        )
        return p.returncode, p.stdout, _decode(p.stderr)

    def run(self, args, input=None, env=None, timeout=600, cwd=None):
        rc, out, err = self.run_bytes(args, input=input, env=env, timeout=timeout, cwd=cwd)
        return rc, _decode(out), err

    def json(self, args, **kw):
        rc, out, err = self.run(args, **kw)
        assert rc == 0, f"bulwark {' '.join(map(str, args))} exited {rc}: {err}"
        try:
            return json.loads(out)
        except ValueError as e:
            raise AssertionError(f"bulwark {' '.join(map(str, args))}: stdout is not JSON ({e}): {out[:500]}")


def _bulwark_at(var, default):
    p = pathlib.Path(os.environ.get(var) or default)
    if not p.is_absolute():
        p = REPO / p
    return p


@pytest.fixture(scope="session")
def repo_root():
    return REPO


@pytest.fixture(scope="session")
def bulwark():
    p = _bulwark_at("BULWARK", "build/src/cli/bulwark")
    if not (p.is_file() and os.access(p, os.X_OK)):
        pytest.fail(f"bulwark binary {p} not built (set BULWARK or run scripts/test.sh)")
    return Bulwark(p)


@pytest.fixture(scope="session")
def bulwark_release():
    p = _bulwark_at("BULWARK_RELEASE", "build/src/cli/bulwark")
    if not (p.is_file() and os.access(p, os.X_OK)):
        pytest.skip(f"release binary {p} not built")
    return Bulwark(p)


@pytest.fixture(scope="session")
def shared_data():
    p = pathlib.Path(os.environ.get("BW_SHARED_DATA") or (REPO.parent / "shared" / "data"))
    if not p.is_dir():
        pytest.skip(f"shared test data not present at {p}")
    return p


@pytest.fixture(scope="session")
def images_dir():
    return REPO / "tests" / "images"


def _cache_dir():
    p = pathlib.Path(os.environ.get("BW_TEST_CACHE") or (REPO / "build" / "test-cache"))
    p.mkdir(parents=True, exist_ok=True)
    return p


@contextlib.contextmanager
def _locked(path):
    """An exclusive lock file, so parallel test runs share one slow set-up."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


# ---------------------------------------------------------------------------- docker


def _docker_client():
    if os.environ.get("BW_DOCKER"):
        return os.environ["BW_DOCKER"]
    # Debian's client matches Debian's 20.10 engine; prefer it to any other on PATH.
    if os.access("/usr/bin/docker", os.X_OK):
        return "/usr/bin/docker"
    return shutil.which("docker") or "docker"


class Docker:
    def __init__(self, host):
        self.host = host
        self.client = _docker_client()
        self.env = dict(os.environ, DOCKER_HOST=host, DOCKER_BUILDKIT="0")
        self.env.pop("DOCKER_CONTEXT", None)
        self._built = {}

    def cli(self, *args, check=True, input=None, timeout=600, env=None):
        e = self.env if env is None else dict(self.env, **env)
        p = subprocess.run(
            [self.client] + [str(a) for a in args],
            input=input,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="surrogateescape",
            env=e,
            timeout=timeout,
        )
        if check and p.returncode != 0:
            raise AssertionError(f"docker {' '.join(map(str, args))} exited {p.returncode}: {p.stderr.strip()}")
        return p

    def image_exists(self, ref):
        return self.cli("image", "inspect", ref, check=False).returncode == 0

    def inspect(self, ref):
        return json.loads(self.cli("image", "inspect", ref).stdout)[0]

    def image_id(self, ref):
        return self.inspect(ref)["Id"]

    def history(self, ref):
        out = self.cli("history", "--no-trunc", "--format", "{{json .}}", ref).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def build_image(self, tag, dockerfile_dir, buildargs=None):
        d = pathlib.Path(dockerfile_dir)
        h = hashlib.sha256()
        for f in sorted(d.rglob("*")):
            h.update(str(f.relative_to(d)).encode() + b"\0")
            if f.is_file() and not f.is_symlink():
                h.update(f.read_bytes())
        h.update(json.dumps(buildargs or {}, sort_keys=True).encode())
        key = (tag, h.hexdigest())
        if self._built.get(tag) == key and self.image_exists(tag):
            return tag
        args = ["build", "--network", "none", "--force-rm", "-t", tag]
        for k, v in (buildargs or {}).items():
            args += ["--build-arg", f"{k}={v}"]
        args.append(str(d))
        self.cli(*args, timeout=1200)
        self._built[tag] = key
        return tag

    def save(self, ref, dest_dir):
        dest_dir = pathlib.Path(dest_dir)
        dest_dir.mkdir(parents=True, exist_ok=True)
        out = dest_dir / (re.sub(r"[^A-Za-z0-9_.-]", "_", ref) + ".tar")
        self.cli("save", "-o", out, ref, timeout=1200)
        return out

    def create(self, ref):
        """A container that is never started (no network either)."""
        return self.cli("create", "--network", "none", ref, "/bulwark-never-started").stdout.strip()

    def export(self, ref, dest):
        cid = self.create(ref)
        try:
            self.cli("export", "-o", dest, cid, timeout=1200)
        finally:
            self.cli("rm", "-f", cid, check=False)
        return pathlib.Path(dest)


def _docker_host():
    return os.environ.get("BW_TEST_DOCKER_HOST") or os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"


@pytest.fixture(scope="session")
def docker():
    d = Docker(_docker_host())
    try:
        p = d.cli("info", "--format", "{{.ServerVersion}}", check=False, timeout=30)
    except (FileNotFoundError, subprocess.TimeoutExpired) as e:
        pytest.skip(f"no Docker Engine: {e} (scripts/test.sh starts one)")
    if p.returncode != 0:
        pytest.skip(f"no Docker Engine answers at {d.host}: {p.stderr.strip()} (scripts/test.sh starts one)")
    return d


def _fixture_label(docker, ref):
    try:
        cfg = docker.inspect(ref).get("Config") or {}
    except AssertionError:
        return None
    return (cfg.get("Labels") or {}).get(FIXTURE_LABEL_KEY)


@pytest.fixture(scope="session")
def tiny_image(docker):
    with _locked(_cache_dir() / "tiny.lock"):
        if _fixture_label(docker, TINY_TAG) == TINY_LABEL:
            return TINY_TAG
        busybox = "/bin/busybox"
        if not os.path.exists(busybox):
            pytest.fail("busybox-static is not installed (scripts/install-deps.sh)")
        applets = subprocess.run([busybox, "--list"], stdout=subprocess.PIPE, text=True, check=True).stdout.split()
        with tempfile.TemporaryDirectory() as tmp:
            tar_path = os.path.join(tmp, "tiny.tar")
            with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as t:

                def add(name, type_, mode, data=b"", link=""):
                    ti = tarfile.TarInfo(name)
                    ti.type, ti.mode, ti.uid, ti.gid, ti.mtime = type_, mode, 0, 0, 1700000000
                    ti.linkname = link
                    if type_ == tarfile.REGTYPE:
                        ti.size = len(data)
                        t.addfile(ti, io.BytesIO(data))
                    else:
                        t.addfile(ti)

                for d, m in (("bin", 0o755), ("etc", 0o755), ("tmp", 0o1777), ("root", 0o700)):
                    add(d, tarfile.DIRTYPE, m)
                add("bin/busybox", tarfile.REGTYPE, 0o755, open(busybox, "rb").read())
                for a in applets:
                    if a != "busybox":
                        add("bin/" + a, tarfile.SYMTYPE, 0o777, link="busybox")
                add("etc/passwd", tarfile.REGTYPE, 0o644,
                    b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
                add("etc/group", tarfile.REGTYPE, 0o644, b"root:x:0:\nnogroup:x:65534:\n")
            docker.cli("import", "-c", f"LABEL {FIXTURE_LABEL_KEY}={TINY_LABEL}", "-c", 'CMD ["/bin/sh"]',
                       tar_path, TINY_TAG)
        return TINY_TAG


# ---------------------------------------------------------------------- debian rootfs

DebianRootfsBase = collections.namedtuple("DebianRootfsBase", "tar dir image mirror")


class DebianRootfs(DebianRootfsBase):
    def packages(self):
        out = subprocess.run(
            ["dpkg-query", f"--admindir={self.dir}/var/lib/dpkg", "-W", "-f", "${Package}\t${Version}\n"],
            stdout=subprocess.PIPE, text=True, check=True).stdout
        return dict(line.split("\t", 1) for line in out.splitlines() if line)


def debian_mirror():
    """The Debian mirror apt uses (deb822 .sources, then one-line .list files)."""
    for f in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        for stanza in open(f, encoding="utf-8", errors="replace").read().split("\n\n"):
            fields = {}
            for line in stanza.splitlines():
                if ":" in line and not line.startswith(("#", " ")):
                    k, v = line.split(":", 1)
                    fields[k.strip().lower()] = v.strip()
            if fields.get("enabled", "yes").lower() == "no":
                continue
            if "deb" in fields.get("types", "").split() and "bookworm" in fields.get("suites", "").split():
                for uri in fields.get("uris", "").split():
                    return uri
    for f in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
        if not os.path.exists(f):
            continue
        for line in open(f, encoding="utf-8", errors="replace"):
            m = re.match(r"\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s", line)
            if m:
                return m.group(1)
    return "http://deb.debian.org/debian"


@pytest.fixture(scope="session")
def debian_rootfs(docker):
    cache = _cache_dir()
    tar_path = cache / "bookworm-rootfs.tar"
    rootfs = cache / "bookworm-rootfs"
    mirror = debian_mirror()
    with _locked(cache / "bookworm.lock"):
        if not (tar_path.is_file() and (rootfs / "var/lib/dpkg/status").is_file()):
            if shutil.which("debootstrap") is None:
                pytest.fail("debootstrap is not installed (scripts/install-deps.sh)")
            work = cache / "bookworm-rootfs.tmp"
            shutil.rmtree(work, ignore_errors=True)
            p = subprocess.run(["debootstrap", "--variant=minbase", "bookworm", str(work), mirror],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=1800)
            if p.returncode != 0:
                pytest.fail(f"debootstrap from {mirror} failed:\n{p.stdout[-3000:]}")
            tmp_tar = cache / "bookworm-rootfs.tar.tmp"
            subprocess.run(["tar", "-C", str(work), "--numeric-owner", "-cf", str(tmp_tar), "."], check=True)
            shutil.rmtree(rootfs, ignore_errors=True)
            os.rename(work, rootfs)
            os.rename(tmp_tar, tar_path)
        if _fixture_label(docker, BOOKWORM_TAG) != BOOKWORM_LABEL:
            docker.cli("import", "-c", f"LABEL {FIXTURE_LABEL_KEY}={BOOKWORM_LABEL}", "-c", 'CMD ["/bin/bash"]',
                       tar_path, BOOKWORM_TAG, timeout=1200)
    return DebianRootfs(tar_path, rootfs, BOOKWORM_TAG, mirror)


# ------------------------------------------------------------------ build and save


@pytest.fixture(scope="session")
def build_image(docker):
    def build(tag, dockerfile_dir, buildargs=None):
        return docker.build_image(tag, dockerfile_dir, buildargs)

    return build


@pytest.fixture(scope="session")
def save(docker, tmp_path_factory):
    saved = {}
    root = tmp_path_factory.mktemp("saved")

    def save_(tag):
        iid = docker.image_id(tag)
        if saved.get(tag, (None,))[0] != iid or not saved[tag][1].exists():
            d = root / hashlib.sha256(f"{tag}\0{iid}".encode()).hexdigest()[:16]
            saved[tag] = (iid, docker.save(tag, d))
        return saved[tag][1]

    return save_
