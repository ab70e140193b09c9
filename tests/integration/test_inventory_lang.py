"""Language packages against their package managers' answers: a Go binary built
with Debian's golang-go (`go version -m`), node_modules installed with npm from
the npm registry (`npm ls --all --json`), Python packages installed by dpkg (owned
by the OS, so not PyPI packages) and a hand-made dist-info, and a war assembled
with zip from Debian's Maven-built jars (their pom.properties)."""

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
        elif f[0] == "mod" and f[2] != "(devel)":
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


def test_lock_files_without_node_modules(bulwark, npm_app, tmp_path):
    root = tmp_path / "root/srv/app"
    root.mkdir(parents=True)
    shutil.copy(npm_app / "package-lock.json", root / "package-lock.json")
    (root.parent / "y").mkdir()
    (root.parent / "y/yarn.lock").write_text(
        '# yarn lockfile v1\n\n"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":\n'
        '  version "7.12.13"\n  resolved "https://registry.yarnpkg.com/x"\n  dependencies:\n'
        '    "@babel/highlight" "^7.12.13"\n\nleft-pad@1.3.0:\n  version "1.3.0"\n')
    (root.parent / "p").mkdir()
    (root.parent / "p/pnpm-lock.yaml").write_text(
        "lockfileVersion: '6.0'\n\ndependencies:\n  ms:\n    specifier: ^2.1.3\n    version: 2.1.3\n\n"
        "packages:\n\n  /ms@2.1.3:\n    resolution: {integrity: sha512-x}\n    dev: false\n\n"
        "  /@scope/pkg@1.0.0(react@18.0.0):\n    dev: true\n")
    r = bulwark.json(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(tmp_path / "root")])
    got = pkgset(r, "npm")
    assert npm_ls(npm_app) <= got
    assert {("@babel/code-frame", "7.12.13"), ("left-pad", "1.3.0"), ("ms", "2.1.3"), ("@scope/pkg", "1.0.0")} <= got


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
    {"name": "monolog/monolog", "version": "3.4.0", "license": ["MIT"], "require": {"php": ">=8.1", "psr/log": "^2"}},
    {"name": "psr/log", "version": "3.0.0", "license": ["MIT"]}], "dev": True}

DEPS_JSON = {"runtimeTarget": {"name": ".NETCoreApp,Version=v6.0"},
             "targets": {".NETCoreApp,Version=v6.0": {
                 "app/1.0.0": {"dependencies": {"Newtonsoft.Json": "13.0.1"}},
                 "Newtonsoft.Json/13.0.1": {"runtime": {"lib/net6.0/Newtonsoft.Json.dll": {}}}}},
             "libraries": {"app/1.0.0": {"type": "project", "serviceable": False, "sha512": ""},
                           "Newtonsoft.Json/13.0.1": {"type": "package", "serviceable": True,
                                                      "sha512": "sha512-x", "path": "newtonsoft.json/13.0.1"}}}


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
    }
    assert next(p for p in r["packages"] if p["name"] == "rake")["licenses"] == ["MIT"]
