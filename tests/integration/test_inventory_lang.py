"""Language packages against their package managers' answers: a Go binary built
with Debian's golang-go (`go version -m`), node_modules installed with npm from
the npm registry (`npm ls --all --json`), Python packages installed by dpkg (owned
by the OS, so not PyPI packages) and a hand-made dist-info, and a war assembled
with zip from Debian's Maven-built jars (their pom.properties).

Package hashes against the files themselves: a jar's SHA-1 equals `sha1sum` of
that jar (nested ones too), an npm package's equals the integrity npm wrote in
package-lock.json (and, for a tarball npm installed from disk, the SHA-512 of that
tarball), Cargo.lock checksums, composer dist shasums, deps.json sha512s."""

import base64
import hashlib
import io
import json
import os
import pathlib
import shutil
import subprocess
import zipfile

import pytest

from test_inventory import pkgset, scan


def have(tool):
    return shutil.which(tool) is not None


def sha1sum(path):
    """`sha1sum FILE`: the real tool, not Python's hashlib."""
    return subprocess.run(["sha1sum", str(path)], stdout=subprocess.PIPE, text=True, check=True).stdout.split()[0]


def hashes(p):
    return {h["algorithm"]: h["value"] for h in p.get("hashes", [])}


def sri_hex(integrity):
    """npm's integrity ("sha512-BASE64 sha1-…") as {algorithm: hex}."""
    out = {}
    for tok in integrity.split():
        alg, b64 = tok.split("-", 1)
        out.setdefault(alg, base64.b64decode(b64.split("?")[0], validate=True).hex())
    return out


# ------------------------------------------------------------------------------- Go

GO_MAIN = """package main

import (
\t"fmt"

\t"github.com/google/uuid"
\t"golang.org/x/text/cases"
\t"golang.org/x/text/language"
)

func main() {
\tfmt.Println(cases.Title(language.English).String("hello"), uuid.NewString())
}
"""


def go_version_m(binary):
    out = subprocess.run(["go", "version", "-m", str(binary)], stdout=subprocess.PIPE, text=True, check=True).stdout
    lines = out.splitlines()
    want = {("stdlib", "v" + lines[0].split(": go", 1)[1].split()[0])}
    last = None
    for line in lines[1:]:
        f = line.strip("\t").split("\t")
        if f[0] == "dep":
            last = (f[1], f[2])
            want.add(last)
        elif f[0] == "=>" and last and len(f) > 2 and f[2]:
            want.discard(last)
            want.add((f[1], f[2]))
        elif f[0] == "mod":
            # a local build's "(devel)" main module too: the application
            want.add((f[1], f[2]))
    return want


def build_go_app(d, goarch=None):
    """GO_MAIN with its two modules vendored, built in directory d (for GOARCH goarch,
    pure Go, so any Debian golang-go can cross-compile it); returns the binary's path."""
    src = pathlib.Path("/usr/share/gocode/src")
    if not have("go") or not (src / "golang.org/x/text").is_dir() or not (src / "github.com/google/uuid").is_dir():
        pytest.skip("golang-go, golang-golang-x-text-dev, golang-github-google-uuid-dev needed")
    (d / "go.mod").write_text("module example.com/bwapp\n\ngo 1.19\n\nrequire (\n"
                              "\tgithub.com/google/uuid v1.3.0\n\tgolang.org/x/text v0.7.0\n)\n")
    (d / "main.go").write_text(GO_MAIN)
    shutil.copytree(src / "github.com/google/uuid", d / "vendor/github.com/google/uuid", symlinks=False)
    shutil.copytree(src / "golang.org/x/text", d / "vendor/golang.org/x/text", symlinks=False)
    (d / "vendor/modules.txt").write_text(
        "# github.com/google/uuid v1.3.0\n## explicit\ngithub.com/google/uuid\n"
        "# golang.org/x/text v0.7.0\n## explicit; go 1.17\n" + "".join(
            f"golang.org/x/text/{p}\n" for p in ["cases", "internal", "internal/language", "internal/language/compact",
                                                 "internal/tag", "language", "transform", "unicode/norm"]))
    env = dict(os.environ, GOFLAGS="-mod=vendor", GOPROXY="off", CGO_ENABLED="0", GOCACHE=str(d / ".cache"))
    if goarch:
        env["GOARCH"] = goarch
    subprocess.run(["go", "build", "-o", "bwapp", "."], cwd=d, env=env, check=True)
    return d / "bwapp"


@pytest.fixture(scope="session")
def go_binary(tmp_path_factory):
    return build_go_app(tmp_path_factory.mktemp("goapp"))


def test_go_binary_equals_go_version_m(bulwark, tiny_image, docker, save, go_binary, tmp_path):
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    shutil.copy(go_binary, ctx / "bwapp")
    gofmt = pathlib.Path("/usr/lib/go/bin/gofmt").resolve()
    shutil.copy(gofmt, ctx / "gofmt")
    (ctx / "Dockerfile").write_text(f"FROM {tiny_image}\nCOPY bwapp /usr/local/bin/bwapp\nCOPY gofmt /opt/gofmt\n")
    r = scan(bulwark, save(docker.build_image("bwtest/inventory-go:1", ctx)))
    got = {(p["name"], p["version"]) for p in r["packages"] if p["path"] == "/usr/local/bin/bwapp"}
    assert got == go_version_m(go_binary)
    assert {(p["name"], p["version"]) for p in r["packages"] if p["path"] == "/opt/gofmt"} == go_version_m(gofmt)
    assert all(p["ecosystem"] == "Go" for p in r["packages"])
    uuid = next(p for p in r["packages"] if p["name"] == "github.com/google/uuid")
    assert uuid["purl"] == "pkg:golang/github.com/google/uuid@v1.3.0"


def test_go_devel_main_module_is_the_application_never_matched(bulwark, go_binary, tmp_path):
    """A local build's main module, "(devel)", is kept as the application
    component (as Syft keeps it) and never looked up in advisories."""
    root = tmp_path / "root/usr/local/bin"
    root.mkdir(parents=True)
    shutil.copy(go_binary, root / "bwapp")
    records = tmp_path / "osv"
    records.mkdir()
    (records / "GO-2099-0001.json").write_text(json.dumps({
        "schema_version": "1.6.0", "id": "GO-2099-0001", "modified": "2024-01-01T00:00:00Z",
        "summary": "every version of the test's own module", "affected": [{
            "package": {"ecosystem": "Go", "name": "example.com/bwapp"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}))
    db = tmp_path / "db.sqlite"
    rc, _, err = bulwark.run(["db", "import", "--db", db, records])
    assert rc == 0, err
    r = bulwark.json(["fs", "--scanners", "vuln", "--list-packages", "--db", db, "-f", "json", tmp_path / "root"])
    app = [p for p in r["packages"] if p["name"] == "example.com/bwapp"]
    assert [(p["version"], p["ecosystem"]) for p in app] == [("(devel)", "Go")]
    assert [f for f in r["findings"] if f["kind"] == "vulnerability"] == []
    cdx = bulwark.json(["sbom", "-f", "cyclonedx", f"dir:{tmp_path / 'root'}"])
    c = next(c for c in cdx["components"] if c["name"] == "example.com/bwapp")
    assert c["type"] == "application" and c["version"] == "(devel)"
    spdx = bulwark.json(["sbom", "-f", "spdx", f"dir:{tmp_path / 'root'}"])
    p = next(p for p in spdx["packages"] if p["name"] == "example.com/bwapp")
    assert p["primaryPackagePurpose"] == "APPLICATION"


def go_sums(binary):
    """(module, version) -> its h1: sum, as `go version -m` prints the build info (=> applied)."""
    out = subprocess.run(["go", "version", "-m", str(binary)], stdout=subprocess.PIPE, text=True, check=True).stdout
    want, last = {}, None
    for line in out.splitlines()[1:]:
        f = line.strip("\t").split("\t")
        if f[0] in ("dep", "mod") and len(f) > 2 and f[2] != "(devel)":
            last = (f[1], f[2])
            want[last] = f[3] if len(f) > 3 else None
        elif f[0] == "=>" and last and len(f) > 2 and f[2]:
            del want[last]
            last = (f[1], f[2])
            want[last] = f[3] if len(f) > 3 else None
    return want


@pytest.fixture(scope="session")
def go_binary_with_sums(tmp_path_factory):
    """A module-mode build (go.sum, h1: sums in the build info) from a file:// module proxy
    holding Debian's github.com/google/uuid as v1.3.0 and v1.3.1, the second replacing the
    first (no network: GOPROXY is that directory, GOSUMDB off)."""
    src = pathlib.Path("/usr/share/gocode/src/github.com/google/uuid")
    if not have("go") or not src.is_dir():
        pytest.skip("golang-go and golang-github-google-uuid-dev needed")
    d = tmp_path_factory.mktemp("gosums")
    mod = "github.com/google/uuid"
    vd = d / "proxy" / mod / "@v"
    vd.mkdir(parents=True)
    (vd / "list").write_text("v1.3.0\nv1.3.1\n")
    for ver in ("v1.3.0", "v1.3.1"):
        (vd / f"{ver}.info").write_text(json.dumps({"Version": ver, "Time": "2021-07-12T22:33:52Z"}))
        (vd / f"{ver}.mod").write_text(f"module {mod}\n")
        with zipfile.ZipFile(vd / f"{ver}.zip", "w") as z:
            for f in sorted(src.rglob("*")):
                if f.is_file() and not f.is_symlink() and f.name != "go.mod":
                    z.write(f, f"{mod}@{ver}/{f.relative_to(src)}")
            z.writestr(f"{mod}@{ver}/go.mod", f"module {mod}\n")
    app = d / "app"
    app.mkdir()
    (app / "go.mod").write_text("module example.com/bwsum\n\ngo 1.19\n\nrequire github.com/google/uuid v1.3.0\n\n"
                                "replace github.com/google/uuid v1.3.0 => github.com/google/uuid v1.3.1\n")
    (app / "main.go").write_text('package main\n\nimport (\n\t"fmt"\n\n\t"github.com/google/uuid"\n)\n\n'
                                 "func main() { fmt.Println(uuid.NewString()) }\n")
    env = dict(os.environ, GOPROXY=f"file://{d / 'proxy'}", GOSUMDB="off", GOFLAGS="-mod=mod", CGO_ENABLED="0",
               GOMODCACHE=str(d / "modcache"), GOCACHE=str(d / "cache"))
    subprocess.run(["go", "build", "-o", "bwsum", "."], cwd=app, env=env, check=True, timeout=600)
    return app / "bwsum"


def test_go_module_sums_equal_go_version_m(bulwark, go_binary_with_sums, tmp_path):
    """The h1: sums of the build info, replacements applied, as `go version -m` shows them:
    a property in CycloneDX and words in the SPDX comment, never a file hash."""
    from test_sbom import assert_valid, cyclonedx_validator, spdx_validator
    want = go_sums(go_binary_with_sums)
    assert want == {("github.com/google/uuid", "v1.3.1"): want[("github.com/google/uuid", "v1.3.1")]}
    assert want[("github.com/google/uuid", "v1.3.1")].startswith("h1:")
    root = tmp_path / "root/usr/bin"
    root.mkdir(parents=True)
    shutil.copy(go_binary_with_sums, root / "bwsum")
    r = bulwark.json(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(tmp_path / "root")])
    got = {(p["name"], p["version"]): p.get("hashes") for p in r["packages"]
           if p["name"] != "stdlib" and p["version"] != "(devel)"}
    assert got == {k: [{"algorithm": "go-h1", "value": base64.b64decode(v[3:]).hex()}] for k, v in want.items()}
    cdx = bulwark.json(["sbom", "-f", "cyclonedx", f"dir:{tmp_path / 'root'}"])
    assert_valid(cyclonedx_validator(), cdx)
    uuid = next(c for c in cdx["components"] if c["name"] == "github.com/google/uuid")
    assert "hashes" not in uuid
    assert {p["name"]: p["value"] for p in uuid["properties"]}["bulwark:go:h1"] == want[("github.com/google/uuid", "v1.3.1")]
    spdx = bulwark.json(["sbom", "-f", "spdx", f"dir:{tmp_path / 'root'}"])
    assert_valid(spdx_validator(), spdx)
    p = next(p for p in spdx["packages"] if p["name"] == "github.com/google/uuid")
    assert "checksums" not in p and "go.sum " + want[("github.com/google/uuid", "v1.3.1")] in p["comment"]


def test_go_binary_truncated_and_corrupt(bulwark, go_binary, tmp_path):
    d = tmp_path / "root/bin"
    d.mkdir(parents=True)
    data = go_binary.read_bytes()
    magic = data.index(b"\xff Go buildinf:")
    for i, cut in enumerate([100, magic + 20, magic + 40, magic + 200, len(data) // 2]):
        (d / f"cut{i}").write_bytes(data[:cut])
        os.chmod(d / f"cut{i}", 0o755)
    bad = bytearray(data)
    bad[magic + 32] = 0xFF  # the version's length: an endless varint
    bad[magic + 33:magic + 45] = b"\xff" * 12
    (d / "badlen").write_bytes(bytes(bad))
    os.chmod(d / "badlen", 0o755)
    rc, out, err = bulwark.run(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(tmp_path / "root")])
    assert rc == 0, err
    r = json.loads(out)
    # the copy cut after the whole build info still lists the modules; none crashes
    assert {p["path"] for p in r["packages"]} <= {f"/bin/cut{i}" for i in range(5)} | {"/bin/badlen"}


# ----------------------------------------------------------------------------- npm

NPM_DEPS = {"express": "4.19.2", "@types/node": "20.11.30", "lodash": "4.17.21", "debug": "2.6.9"}
# left-pad 1.3.0 as the npm registry lists it (dist.integrity, dist.shasum)
LEFT_PAD_SHA512 = "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQEPTfn3KFZ+nJ93ovVzhsPSmb5XYyCrEvi44yqVrfjJuXuA=="
LEFT_PAD_SHA1 = "5b8a3a7765dfe001261dde915589e782f8c94d1e"


@pytest.fixture(scope="session")
def npm_app(tmp_path_factory):
    if not have("npm"):
        pytest.skip("npm not installed")
    d = tmp_path_factory.mktemp("nodeapp") / "app"
    d.mkdir()
    (d / "package.json").write_text(json.dumps({"name": "bw-node-app", "version": "1.0.0", "private": True,
                                                "dependencies": NPM_DEPS}))
    p = subprocess.run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=d,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    if p.returncode != 0:
        pytest.skip(f"npm install failed (registry unreachable?): {p.stdout[-500:]}")
    return d


def npm_ls(d):
    out = subprocess.run(["npm", "ls", "--all", "--json"], cwd=d, stdout=subprocess.PIPE, text=True).stdout
    want = set()

    def walk(deps):
        for name, v in (deps or {}).items():
            if "version" in v:
                want.add((name, v["version"]))
            walk(v.get("dependencies"))

    walk(json.loads(out).get("dependencies"))
    return want


def test_node_modules_equal_npm_ls(bulwark, tiny_image, docker, save, npm_app, tmp_path):
    ctx = tmp_path / "ctx"
    shutil.copytree(npm_app, ctx / "app", symlinks=True)
    (ctx / "Dockerfile").write_text(f"FROM {tiny_image}\nCOPY app /srv/app\n")
    r = scan(bulwark, save(docker.build_image("bwtest/inventory-node:1", ctx)))
    want = npm_ls(npm_app)
    assert len(want) > 50
    # node_modules and the lock file agree; the lock adds nothing npm did not install
    assert pkgset(r, "npm") == want
    types = next(p for p in r["packages"] if p["name"] == "@types/node")
    assert types["purl"].startswith("pkg:npm/%40types/node@")
    assert types["licenses"] == ["MIT"]


def lock_integrity(d):
    """(name, version) -> {algorithm: hex} from package-lock.json's "packages"."""
    lock = json.loads((d / "package-lock.json").read_text())
    out = {}
    for key, v in lock["packages"].items():
        if "node_modules/" in key and "integrity" in v:
            name = v.get("name") or key.rsplit("node_modules/", 1)[1]
            out.setdefault((name, v["version"]), sri_hex(v["integrity"]))
    return out


def test_node_hashes_equal_lock_integrity(bulwark, tiny_image, docker, save, npm_app, tmp_path):
    """node_modules packages carry the integrity npm recorded for them in the
    application's package-lock.json; a package npm installed from a tarball on
    disk carries the SHA-512 of that very tarball."""
    ctx = tmp_path / "ctx"
    shutil.copytree(npm_app, ctx / "app", symlinks=True)
    (ctx / "Dockerfile").write_text(f"FROM {tiny_image}\nCOPY app /srv/app\n")
    r = scan(bulwark, save(docker.build_image("bwtest/inventory-node:1", ctx)))
    want = lock_integrity(npm_app)
    assert len(want) > 50
    npm = [p for p in r["packages"] if p["ecosystem"] == "npm"]
    assert all(p["path"].startswith("/srv/app/node_modules/") for p in npm)
    for p in npm:
        assert hashes(p) == want[(p["name"], p["version"])], p["name"]
    assert all(len(hashes(p).get("sha512", "")) == 128 for p in npm)


@pytest.fixture(scope="session")
def npm_local_tarball(tmp_path_factory):
    """A package packed with `npm pack` and installed from that file (offline)."""
    if not have("npm"):
        pytest.skip("npm not installed")
    d = tmp_path_factory.mktemp("npmtgz")
    (d / "bw-local").mkdir()
    (d / "bw-local/package.json").write_text(json.dumps({"name": "bw-local", "version": "0.3.1", "license": "MIT"}))
    (d / "bw-local/index.js").write_text("module.exports = 42;\n")
    subprocess.run(["npm", "pack", "--silent"], cwd=d / "bw-local", check=True, stdout=subprocess.PIPE, timeout=300)
    tgz = d / "bw-local/bw-local-0.3.1.tgz"
    app = d / "app"
    app.mkdir()
    (app / "package.json").write_text(json.dumps({"name": "app", "version": "1.0.0", "private": True}))
    p = subprocess.run(["npm", "install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", str(tgz)],
                       cwd=app, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    if p.returncode != 0:
        pytest.skip(f"npm install of a local tarball failed: {p.stdout[-500:]}")
    return app, tgz


def test_local_tarball_integrity_is_its_sha512(bulwark, npm_local_tarball, tmp_path):
    app, tgz = npm_local_tarball
    root = tmp_path / "root/srv"
    shutil.copytree(app, root / "app", symlinks=True)
    r = bulwark.json(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(tmp_path / "root")])
    p = next(p for p in r["packages"] if p["name"] == "bw-local")
    assert p["path"] == "/srv/app/node_modules/bw-local/package.json"
    assert hashes(p) == {"sha512": hashlib.sha512(tgz.read_bytes()).hexdigest()}
    assert not r.get("warnings")


def test_lock_files_without_node_modules(bulwark, npm_app, tmp_path):
    root = tmp_path / "root/srv/app"
    root.mkdir(parents=True)
    shutil.copy(npm_app / "package-lock.json", root / "package-lock.json")
    (root.parent / "y").mkdir()
    (root.parent / "y/yarn.lock").write_text(
        '# yarn lockfile v1\n\n"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":\n'
        '  version "7.12.13"\n  resolved "https://registry.yarnpkg.com/x"\n'
        f'  integrity {LEFT_PAD_SHA512}\n  dependencies:\n'
        '    "@babel/highlight" "^7.12.13"\n\nleft-pad@1.3.0:\n  version "1.3.0"\n'
        f'  resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#{LEFT_PAD_SHA1}"\n')
    (root.parent / "p").mkdir()
    (root.parent / "p/pnpm-lock.yaml").write_text(
        "lockfileVersion: '6.0'\n\ndependencies:\n  ms:\n    specifier: ^2.1.3\n    version: 2.1.3\n\n"
        "packages:\n\n  /ms@2.1.3:\n    resolution: {integrity: sha512-x}\n    dev: false\n\n"
        f"  /@scope/pkg@1.0.0(react@18.0.0):\n    resolution: {{integrity: {LEFT_PAD_SHA512}}}\n    dev: true\n")
    r = bulwark.json(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(tmp_path / "root")])
    got = pkgset(r, "npm")
    assert npm_ls(npm_app) <= got
    assert {("@babel/code-frame", "7.12.13"), ("left-pad", "1.3.0"), ("ms", "2.1.3"), ("@scope/pkg", "1.0.0")} <= got
    # hashes: each package as its lock file says, and a warning for the broken one
    by = {(p["name"], p["path"]): hashes(p) for p in r["packages"]}
    lock = lock_integrity(npm_app)
    for p in r["packages"]:
        if p["path"] == "/srv/app/package-lock.json":
            assert hashes(p) == lock.get((p["name"], p["version"]), {}), p["name"]
    assert by[("@babel/code-frame", "/srv/y/yarn.lock")] == sri_hex(LEFT_PAD_SHA512)
    assert by[("left-pad", "/srv/y/yarn.lock")] == {"sha1": LEFT_PAD_SHA1}
    assert by[("@scope/pkg", "/srv/p/pnpm-lock.yaml")] == sri_hex(LEFT_PAD_SHA512)
    assert by[("ms", "/srv/p/pnpm-lock.yaml")] == {}
    assert [w for w in r["warnings"] if "/srv/p/pnpm-lock.yaml" in w and "ms 2.1.3" in w]


def test_hostile_package_json(bulwark, tmp_path):
    nm = tmp_path / "root/app/node_modules"
    (nm / "big").mkdir(parents=True)
    (nm / "big/package.json").write_text('{"name":"big","version":"1.0.0","description":"' + "x" * (50 << 20) + '"}')
    (nm / "bad").mkdir()
    (nm / "bad/package.json").write_text('{"name": "bad", "version": ')
    (nm / "ok").mkdir()
    (nm / "ok/package.json").write_text('{"name":"ok","version":"2.0.0","license":{"type":"MIT"}}')
    (nm / "ok/lib").mkdir()
    (nm / "ok/lib/package.json").write_text('{"type":"module","name":"notapackage","version":"9"}')
    os.symlink("../..", nm / "loop")  # a symlink loop in node_modules
    r = bulwark.json(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(tmp_path / "root")])
    assert pkgset(r) == {("ok", "2.0.0")}
    w = "\n".join(r.get("warnings", []))
    assert "/app/node_modules/big/package.json" in w and "/app/node_modules/bad/package.json" in w


# --------------------------------------------------------------------------- Python

DIST_INFO = """Metadata-Version: 2.1
Name: Hand_Made.Pkg
Version: 1.2.3
Summary: written by hand
License: UNKNOWN
Classifier: License :: OSI Approved :: MIT License
Classifier: Programming Language :: Python

Long description: Name: not-this
"""


def test_python_dpkg_owned_and_hand_made(bulwark, docker, debian_rootfs, save, tmp_path):
    if not have("apt-get"):
        pytest.skip("apt-get needed to fetch python3-six")
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    p = subprocess.run(["apt-get", "download", "python3-six"], cwd=ctx, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        pytest.skip(f"apt-get download failed: {p.stdout[-300:]}")
    deb = next(ctx.glob("python3-six_*.deb")).name
    di = ctx / "hand_made.pkg-1.2.3.dist-info"
    di.mkdir()
    (di / "METADATA").write_text(DIST_INFO)
    (ctx / "Dockerfile").write_text(
        f"FROM {debian_rootfs.image}\nCOPY {deb} /tmp/\n"
        f"RUN dpkg --force-depends -i /tmp/{deb} && rm /tmp/{deb}\n"
        "COPY hand_made.pkg-1.2.3.dist-info /usr/local/lib/python3.11/site-packages/hand_made.pkg-1.2.3.dist-info\n")
    tag = docker.build_image("bwtest/inventory-python:1", ctx)
    r = scan(bulwark, save(tag))
    from test_inventory import dpkg_installed
    assert pkgset(r, "Debian") == dpkg_installed(docker, tag)
    assert "python3-six" in {p["name"] for p in r["packages"]}
    py = [p for p in r["packages"] if p["ecosystem"] == "PyPI"]
    assert [(p["name"], p["version"]) for p in py] == [("hand-made-pkg", "1.2.3")]
    assert py[0]["purl"] == "pkg:pypi/hand-made-pkg@1.2.3" and py[0]["licenses"] == ["MIT License"]


# ----------------------------------------------------------------------------- Java

JARS = ["commons-io.jar", "commons-lang3.jar", "guava.jar", "slf4j-api.jar", "plexus-utils2.jar"]


def pom_properties(data, name):
    """Every pom.properties in a zip, nested to any depth (zipfile, not bulwark's code)."""
    out = set()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for n in z.namelist():
            if n.startswith("META-INF/maven/") and n.endswith("/pom.properties"):
                props = dict(l.split("=", 1) for l in z.read(n).decode().splitlines() if "=" in l and not l.startswith("#"))
                out.add((props["groupId"].strip() + ":" + props["artifactId"].strip(), props["version"].strip()))
            elif n.endswith((".jar", ".war", ".ear")):
                out |= pom_properties(z.read(n), n)
    return out


def test_war_with_nested_and_shaded_jars(bulwark, tiny_image, docker, save, tmp_path):
    java = pathlib.Path("/usr/share/java")
    jars = [java / j for j in JARS if (java / j).exists()]
    if len(jars) < 3 or not have("zip"):
        pytest.skip("Debian's maven jars and zip needed")
    w = tmp_path / "war"
    (w / "WEB-INF/lib").mkdir(parents=True)
    for j in jars[:2]:
        shutil.copy(j.resolve(), w / "WEB-INF/lib" / j.name)
    # a shaded jar: two artifacts' classes and pom.properties in one jar
    shaded = tmp_path / "shaded"
    for j in jars[2:4]:
        with zipfile.ZipFile(j) as z:
            for n in z.namelist():
                if n.startswith("META-INF/maven/"):
                    z.extract(n, shaded)
    subprocess.run(["zip", "-qr", str(w / "WEB-INF/lib/shaded-1.0.jar"), "META-INF"], cwd=shaded, check=True)
    # a jar inside a jar inside the war
    inner = tmp_path / "inner"
    (inner / "lib").mkdir(parents=True)
    shutil.copy(jars[-1].resolve(), inner / "lib" / jars[-1].name)
    subprocess.run(["zip", "-qr", str(w / "WEB-INF/lib/outer.jar"), "lib"], cwd=inner, check=True)
    # no pom.properties: the manifest, then the file name
    mf = tmp_path / "mf"
    (mf / "META-INF").mkdir(parents=True)
    (mf / "META-INF/MANIFEST.MF").write_text("Manifest-Version: 1.0\nImplementation-Title: handmade\n"
                                             "Implementation-Version: 0.9.1\nImplementation-Vendor-Id: org.example\n")
    subprocess.run(["zip", "-qr", str(w / "WEB-INF/lib/handmade.jar"), "META-INF"], cwd=mf, check=True)
    (tmp_path / "named").mkdir()
    (tmp_path / "named/x.txt").write_text("x")
    subprocess.run(["zip", "-q", str(w / "WEB-INF/lib/nameonly-4.5.6.jar"), "x.txt"], cwd=tmp_path / "named", check=True)
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    subprocess.run(["zip", "-qr", str(ctx / "app.war"), "WEB-INF"], cwd=w, check=True)
    (ctx / "Dockerfile").write_text(f"FROM {tiny_image}\nCOPY app.war /srv/app.war\n")
    r = scan(bulwark, save(docker.build_image("bwtest/inventory-java:1", ctx)))
    want = pom_properties((ctx / "app.war").read_bytes(), "app.war")
    want |= {("org.example:handmade", "0.9.1"), ("nameonly", "4.5.6")}
    assert pkgset(r, "Maven") == want
    assert len(want) >= 7
    g = next(p for p in r["packages"] if p["name"].endswith(":guava"))
    assert g["purl"].startswith("pkg:maven/com.google.guava/guava@")
    assert g["path"] == "/srv/app.war!/WEB-INF/lib/shaded-1.0.jar"
    # SHA-1: each jar's own bytes (sha1sum of the file zip put in the war), nested to any depth;
    # the artifacts bundled in the shaded jar are not that file: none
    by_path = {}
    for p in r["packages"]:
        by_path.setdefault(p["path"], []).append(p)
    want_sha1 = {f"/srv/app.war!/WEB-INF/lib/{j.name}": sha1sum(j) for j in jars[:2]}
    want_sha1[f"/srv/app.war!/WEB-INF/lib/outer.jar!/lib/{jars[-1].name}"] = sha1sum(jars[-1])
    want_sha1["/srv/app.war!/WEB-INF/lib/handmade.jar"] = sha1sum(w / "WEB-INF/lib/handmade.jar")
    want_sha1["/srv/app.war!/WEB-INF/lib/nameonly-4.5.6.jar"] = sha1sum(w / "WEB-INF/lib/nameonly-4.5.6.jar")
    for path, sha in want_sha1.items():
        assert [hashes(p) for p in by_path[path]] == [{"sha1": sha}] * len(by_path[path]), path
    assert all(not p.get("hashes") for p in by_path["/srv/app.war!/WEB-INF/lib/shaded-1.0.jar"])
    assert sum(1 for p in r["packages"] if p.get("hashes")) == len(want) - 2


def test_jar_sha1_in_sboms_equals_sha1sum(bulwark, tiny_image, docker, save, tmp_path):
    """CycloneDX hashes and SPDX checksums of jars: `sha1sum` of each jar; both
    documents valid against the official schemas."""
    from test_sbom import assert_valid, cyclonedx_validator, spdx_validator
    java = pathlib.Path("/usr/share/java")
    jars = [(java / j).resolve() for j in JARS if (java / j).exists()]
    if len(jars) < 2:
        pytest.skip("Debian's maven jars needed")
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    for j in jars:
        shutil.copy(j, ctx / j.name)
    (ctx / "Dockerfile").write_text(f"FROM {tiny_image}\nCOPY *.jar /opt/lib/\n")
    tar = save(docker.build_image("bwtest/inventory-jar-hash:1", ctx))
    cdx = bulwark.json(["sbom", "-f", "cyclonedx", str(tar)])
    assert_valid(cyclonedx_validator(), cdx)
    spdx = bulwark.json(["sbom", "-f", "spdx", str(tar)])
    assert_valid(spdx_validator(), spdx)
    want = {f"/opt/lib/{j.name}": sha1sum(ctx / j.name) for j in jars}
    got = {}
    for c in cdx["components"]:
        path = next((p["value"] for p in c.get("properties", []) if p["name"] == "bulwark:path"), None)
        if path in want:
            got.setdefault(path, set()).add(tuple((h["alg"], h["content"]) for h in c.get("hashes", [])))
    assert got == {path: {(("SHA-1", sha),)} for path, sha in want.items()}
    sums = {(p["name"], p["versionInfo"]): p.get("checksums") for p in spdx["packages"]
            if p.get("primaryPackagePurpose") == "LIBRARY"}
    comps = {(c["name"], c["version"]): c for c in cdx["components"] if c["type"] == "library"}
    assert sums.keys() == comps.keys()
    for key, c in comps.items():
        assert sums[key] == [{"algorithm": "SHA1", "checksumValue": c["hashes"][0]["content"]}]


def test_zip_bomb_in_jar(bulwark, tmp_path):
    root = tmp_path / "root/srv"
    root.mkdir(parents=True)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.jar", b"\0" * (100 << 20))  # 100 MiB of zeros, ~100 KB compressed
        z.writestr("META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n")
    (root / "bomb.jar").write_bytes(inner.getvalue())
    (root / "broken.jar").write_bytes(b"PK\x03\x04garbage" * 100)
    rc, out, err = bulwark.run(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(tmp_path / "root")])
    assert rc == 0, err
    r = json.loads(out)
    w = "\n".join(r.get("warnings", []))
    assert "/srv/bomb.jar" in w and "/srv/broken.jar" in w


# ------------------------------------------------- Ruby, Rust, PHP, .NET (files by hand)

GEMSPEC = """# -*- encoding: utf-8 -*-
# stub: rake 13.0.6 ruby lib

Gem::Specification.new do |s|
  s.name = "rake".freeze
  s.version = "13.0.6"

  s.required_rubygems_version = Gem::Requirement.new(">= 1.3.2".freeze) if s.respond_to? :required_rubygems_version=
  s.authors = ["Hiroshi SHIBATA".freeze]
  s.licenses = ["MIT".freeze]
  s.summary = "Rake is a Make-like program implemented in Ruby".freeze
end
"""

CARGO_LOCK = """# This file is automatically @generated by Cargo.
version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "serde",
 "itoa 1.0.9",
]

[[package]]
name = "itoa"
version = "1.0.9"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "af150ab688ff2122fcef229be89cb50dd66af9e01a4ff320cc137eecc9bacc38"

[[package]]
name = "serde"
version = "1.0.188"
source = "registry+https://github.com/rust-lang/crates.io-index"
"""

COMPOSER = {"packages": [
    {"name": "monolog/monolog", "version": "3.4.0", "license": ["MIT"], "require": {"php": ">=8.1", "psr/log": "^2"},
     "dist": {"type": "zip", "url": "https://example.org/monolog-3.4.0.zip", "reference": "e2392369686d420ca32df3803de28b5d6f76867d",
              "shasum": "6f4e1c3b4c2a0b4d9f7e0e3c2d1b0a9988776655"}},
    {"name": "psr/log", "version": "3.0.0", "license": ["MIT"],
     "dist": {"type": "zip", "url": "https://api.github.com/repos/php-fig/log/zipball/fe5ea30", "shasum": ""}}],
    "dev": True}
NUPKG_SHA512 = base64.b64encode(hashlib.sha512(b"newtonsoft.json.13.0.1.nupkg").digest()).decode()

DEPS_JSON = {"runtimeTarget": {"name": ".NETCoreApp,Version=v6.0"},
             "targets": {".NETCoreApp,Version=v6.0": {
                 "app/1.0.0": {"dependencies": {"Newtonsoft.Json": "13.0.1"}},
                 "Newtonsoft.Json/13.0.1": {"runtime": {"lib/net6.0/Newtonsoft.Json.dll": {}}}}},
             "libraries": {"app/1.0.0": {"type": "project", "serviceable": False, "sha512": ""},
                           "Newtonsoft.Json/13.0.1": {"type": "package", "serviceable": True,
                                                      "sha512": "sha512-" + NUPKG_SHA512,
                                                      "path": "newtonsoft.json/13.0.1"},
                           "Broken.Hash/1.0.0": {"type": "package", "sha512": "sha512-x"}}}


def test_ruby_rust_php_dotnet(bulwark, tmp_path):
    root = tmp_path / "root"
    spec = root / "usr/lib/ruby/gems/3.1.0/specifications"
    spec.mkdir(parents=True)
    (spec / "rake-13.0.6.gemspec").write_text(GEMSPEC)
    (root / "src/app").mkdir(parents=True)
    (root / "src/app/Cargo.lock").write_text(CARGO_LOCK)
    (root / "var/www/vendor/composer").mkdir(parents=True)
    (root / "var/www/vendor/composer/installed.json").write_text(json.dumps(COMPOSER))
    (root / "app").mkdir()
    (root / "app/app.deps.json").write_text(json.dumps(DEPS_JSON))
    r = bulwark.json(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(root)])
    got = {(p["ecosystem"], p["name"], p["version"], p["purl"]) for p in r["packages"]}
    assert got == {
        ("RubyGems", "rake", "13.0.6", "pkg:gem/rake@13.0.6"),
        ("crates.io", "itoa", "1.0.9", "pkg:cargo/itoa@1.0.9"),
        ("crates.io", "serde", "1.0.188", "pkg:cargo/serde@1.0.188"),
        ("Packagist", "monolog/monolog", "3.4.0", "pkg:composer/monolog/monolog@3.4.0"),
        ("Packagist", "psr/log", "3.0.0", "pkg:composer/psr/log@3.0.0"),
        ("NuGet", "Newtonsoft.Json", "13.0.1", "pkg:nuget/Newtonsoft.Json@13.0.1"),
        ("NuGet", "Broken.Hash", "1.0.0", "pkg:nuget/Broken.Hash@1.0.0"),
    }
    assert next(p for p in r["packages"] if p["name"] == "rake")["licenses"] == ["MIT"]
    # hashes as each file records them; none invented (gems, empty shasums)
    h = {p["name"]: hashes(p) for p in r["packages"]}
    assert h == {
        "rake": {},
        "itoa": {"sha256": "af150ab688ff2122fcef229be89cb50dd66af9e01a4ff320cc137eecc9bacc38"},
        "serde": {},
        "monolog/monolog": {"sha1": COMPOSER["packages"][0]["dist"]["shasum"]},
        "psr/log": {},
        "Newtonsoft.Json": {"sha512": hashlib.sha512(b"newtonsoft.json.13.0.1.nupkg").hexdigest()},
        "Broken.Hash": {},
    }
    assert [w for w in r["warnings"] if "/app/app.deps.json" in w and "Broken.Hash" in w]
