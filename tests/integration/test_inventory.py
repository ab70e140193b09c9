"""Package inventory against the package managers' own answers.

OS packages: a debootstrapped Debian (dpkg-query -W inside the image), images
built on it (a package added by a later layer, a deleted status file, a
distroless-style status.d), the official Alpine minirootfs tarballs (the apk set
must equal lib/apk/db/installed), and hostile package databases.
"""

import base64
import json
import os
import pathlib
import shutil
import subprocess
import tarfile

import pytest

HERE = pathlib.Path(__file__).resolve().parent
IMAGES = HERE.parent / "images"


def scan(bulwark, target, *extra):
    return bulwark.json(["image", "--scanners", "packages", "--list-packages", "-f", "json", *extra, str(target)])


def pkgset(report, ecosystem=None):
    return {(p["name"], p["version"]) for p in report["packages"] if ecosystem is None or p["ecosystem"] == ecosystem}


def dpkg_installed(docker, image):
    out = docker.cli("run", "--rm", "--network", "none", image, "dpkg-query", "-W", "-f",
                     "${db:Status-Status}\t${Package}\t${Version}\n").stdout
    return {tuple(line.split("\t")[1:]) for line in out.splitlines() if line.startswith("installed\t")}


# ----------------------------------------------------------------------------- dpkg


def test_debootstrap_image_equals_dpkg_query(bulwark, debian_rootfs, save):
    r = scan(bulwark, save(debian_rootfs.image))
    want = set(debian_rootfs.packages().items())
    assert pkgset(r, "Debian") == want
    assert r["os"] == {"id": "debian", "version": "12", "codename": "bookworm"}
    assert all(p["ecosystem"] == "Debian" for p in r["packages"])
    libc = next(p for p in r["packages"] if p["name"] == "libc6")
    assert libc["source_name"] == "glibc"
    assert libc["purl"].startswith("pkg:deb/debian/libc6@") and "arch=amd64" in libc["purl"]
    assert "distro=debian-12" in libc["purl"]
    bsd = next(p for p in r["packages"] if p["name"] == "bsdutils")
    assert bsd["source_name"] == "util-linux"
    assert "epoch=1" in bsd["purl"] and "@2.38" in bsd["purl"]


def test_fs_rootfs_equals_dpkg_query(bulwark, debian_rootfs):
    r = bulwark.json(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(debian_rootfs.dir)])
    assert pkgset(r) == set(debian_rootfs.packages().items())
    assert r["os"]["id"] == "debian"


def test_package_added_in_later_layer(bulwark, docker, debian_rootfs, build_image, save):
    tag = build_image("bwtest/inventory-dpkg:1", IMAGES / "inventory-dpkg", {"BASE": debian_rootfs.image})
    r = scan(bulwark, save(tag))
    assert pkgset(r) == dpkg_installed(docker, tag)
    names = {p["name"] for p in r["packages"]}
    assert "bw-fake" in names and "bw-removed" not in names and "bw-half" not in names
    layers = [l["diff_id"] for l in bulwark.json(["image", "inspect", "-f", "json", str(save(tag))])["layers"]]
    fake = next(p for p in r["packages"] if p["name"] == "bw-fake")
    assert fake["layer"] == layers[-1]
    assert fake["source_name"] == "bw-fake-src" and fake["source_version"] == "2:2.0-1"
    # every other package was introduced by the base layer, though the status file was rewritten
    assert {p["layer"] for p in r["packages"] if p["name"] != "bw-fake"} == {layers[0]}
    # /var/lib/dpkg/available knows the base's .debs, not the one added by hand
    assert "hashes" not in fake
    assert all(p["hashes"][0]["algorithm"] == "sha256" for p in r["packages"] if p["name"] != "bw-fake")


def test_deb_sha256_only_for_the_version_available_lists(bulwark, debian_rootfs, build_image, save, tmp_path):
    """apt upgrades a package without touching /var/lib/dpkg/available: the digest there is
    the old .deb's, so the upgraded package gets none, and one available no longer lists
    none either."""
    (tmp_path / "Dockerfile").write_text(
        f"FROM {debian_rootfs.image}\n"
        "RUN sed -i '/^Package: libacl1$/,/^$/s/^Version: .*/Version: 9.9-9/' /var/lib/dpkg/status && "
        "sed -i '/^Package: adduser$/,/^$/d' /var/lib/dpkg/available\n")
    r = scan(bulwark, save(build_image("bwtest/inventory-dpkg-avail:1", tmp_path)))
    h = {p["name"]: p.get("hashes") for p in r["packages"]}
    assert len(h) == len(debian_rootfs.packages())
    assert h["libacl1"] is None and h["adduser"] is None
    assert sum(1 for v in h.values() if v) == len(h) - 2


def test_deleted_status_does_not_count(bulwark, debian_rootfs, build_image, save, tmp_path):
    (tmp_path / "Dockerfile").write_text(f"FROM {debian_rootfs.image}\nRUN rm /var/lib/dpkg/status\n")
    r = scan(bulwark, save(build_image("bwtest/inventory-nostatus:1", tmp_path)))
    assert r["packages"] == []
    assert r["os"]["id"] == "debian"


def test_table_groups_by_ecosystem_with_layer(bulwark, debian_rootfs, save):
    rc, out, err = bulwark.run(["image", "--scanners", "packages", "--list-packages", str(save(debian_rootfs.image))])
    assert rc == 0, err
    assert "Debian (88)" in out or "Debian (" in out
    assert "NAME" in out and "VERSION" in out and "LAYER" in out
    line = next(l for l in out.splitlines() if l.strip().startswith("libc6 "))
    assert "/var/lib/dpkg/status" in line


def _stanzas(status_text):
    out = {}
    for st in status_text.split("\n\n"):
        for line in st.splitlines():
            if line.startswith("Package: "):
                out[line[9:].strip()] = st.strip() + "\n"
    return out


def test_distroless_status_d(bulwark, debian_rootfs, docker, save, tmp_path):
    """Distroless images: one stanza per file in /var/lib/dpkg/status.d, no status file, no shell."""
    st = _stanzas((debian_rootfs.dir / "var/lib/dpkg/status").read_text())
    ctx = tmp_path / "ctx"
    (ctx / "status.d").mkdir(parents=True)
    chosen = ["base-files", "libc6", "tzdata", "netbase"]
    want = set()
    for name in chosen:
        if name not in st:
            continue
        text = "\n".join(l for l in st[name].splitlines() if not l.startswith("Status:")) + "\n"
        (ctx / "status.d" / name).write_text(text)
        (ctx / "status.d" / (name + ".md5sums")).write_text("d41d8cd98f00b204e9800998ecf8427e  usr/share/doc/x\n")
        ver = next(l[9:].strip() for l in text.splitlines() if l.startswith("Version: "))
        want.add((name, ver))
    shutil.copy(debian_rootfs.dir / "usr/lib/os-release", ctx / "os-release")
    (ctx / "Dockerfile").write_text("FROM scratch\nCOPY status.d /var/lib/dpkg/status.d/\n"
                                    "COPY os-release /etc/os-release\n")
    tag = docker.build_image("bwtest/inventory-distroless:1", ctx)
    r = scan(bulwark, save(tag))
    assert pkgset(r) == want
    assert r["os"]["id"] == "debian" and r["os"]["version"] == "12"
    assert {p["path"] for p in r["packages"]} == {f"/var/lib/dpkg/status.d/{n}" for n, _ in want}


def test_broken_status_warns_and_goes_on(bulwark, tmp_path):
    d = tmp_path / "root"
    (d / "var/lib/dpkg").mkdir(parents=True)
    (d / "var/lib/dpkg/status").write_text(
        "Package: good\nStatus: install ok installed\nVersion: 1.0\n\n"
        "Package: noversion\nStatus: install ok installed\n\n"
        "this line is garbage\n\n"
        "Status: install ok installed\nVersion: 3\n\n"
        "Package: good2\nStatus: install ok installed\nVersion: 2.0\nSource: src (\n")
    r = bulwark.json(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(d)])
    assert pkgset(r) == {("good", "1.0"), ("good2", "2.0")}
    assert any("/var/lib/dpkg/status" in w for w in r.get("warnings", []))


# ----------------------------------------------------------------------------- apk

ALPINE = ["3.9.6", "3.11.13", "3.20.3"]


def apk_db(text, checksums=None):
    """{(name, version)} of an installed database; checksums, when given, gets
    name -> the hex of its C: line's "Q1" base64 (SHA-1 of the control segment)."""
    pkgs, cur = set(), {}
    for line in text.splitlines() + [""]:
        if not line:
            if "P" in cur:
                pkgs.add((cur["P"], cur["V"]))
                if checksums is not None and cur.get("C", "").startswith("Q1"):
                    checksums[cur["P"]] = base64.b64decode(cur["C"][2:], validate=True).hex()
            cur = {}
        elif len(line) > 1 and line[1] == ":" and line[0] in "PVC":
            cur[line[0]] = line[2:]
    return pkgs


@pytest.fixture(scope="session")
def alpine_images(docker, shared_data):
    out = {}
    for v in ALPINE:
        tgz = shared_data / "images" / f"alpine-minirootfs-{v}-x86_64.tar.gz"
        if not tgz.exists():
            continue
        tag = f"bwtest/alpine:{v}"
        if not docker.image_exists(tag):
            docker.cli("import", tgz, tag)
        with tarfile.open(tgz) as t:
            db = t.extractfile("./lib/apk/db/installed").read().decode()
        sums = {}
        out[v] = (tag, apk_db(db, sums), sums)
    if not out:
        pytest.skip("no Alpine minirootfs tarballs")
    return out


@pytest.mark.parametrize("version", ALPINE)
def test_alpine_minirootfs_equals_installed_db(bulwark, alpine_images, save, version):
    if version not in alpine_images:
        pytest.skip(f"alpine {version} tarball absent")
    tag, want, sums = alpine_images[version]
    r = scan(bulwark, save(tag))
    assert pkgset(r, "Alpine") == want
    # C: is apk's own identifier (SHA-1 of the control segment), kept under its name, not as a file digest
    assert {p["name"]: p.get("hashes") for p in r["packages"]} == \
        {n: [{"algorithm": "apk-q1", "value": h}] for n, h in sums.items()}
    assert len(sums) == len(want)
    assert len(want) > 10
    assert r["os"]["id"] == "alpine" and r["os"]["version"] == version
    musl = next(p for p in r["packages"] if p["name"] == "musl")
    assert musl["purl"].startswith("pkg:apk/alpine/musl@") and f"distro=alpine-{version}" in musl["purl"]
    assert musl["licenses"]
    ssl = [p for p in r["packages"] if p["name"] in ("libssl1.1", "libssl3", "libssl1.0")]
    assert ssl and ssl[0]["source_name"] == "openssl"


def test_alpine_package_added_by_hand(bulwark, alpine_images, docker, save, tmp_path):
    """No apk tool or network here: a package's files and its stanza written in a later layer."""
    if "3.20.3" not in alpine_images:
        pytest.skip("alpine 3.20 tarball absent")
    tag, base, _ = alpine_images["3.20.3"]
    (tmp_path / "Dockerfile").write_text(
        f"FROM {tag}\n"
        "RUN mkdir -p /usr/share/bwdemo && echo hi > /usr/share/bwdemo/README && "
        "printf 'C:Q1abcdefghijklmnopqrstuvwxyzAB=\\nP:bwdemo\\nV:1.2.3-r4\\nA:x86_64\\nL:MIT AND Apache-2.0\\n"
        "o:bwdemo-src\\nF:usr/share/bwdemo\\nR:README\\n\\n' >> /lib/apk/db/installed\n")
    r = scan(bulwark, save(docker.build_image("bwtest/inventory-apk:1", tmp_path)))
    assert pkgset(r) == base | {("bwdemo", "1.2.3-r4")}
    p = next(p for p in r["packages"] if p["name"] == "bwdemo")
    assert p["source_name"] == "bwdemo-src" and p["licenses"] == ["MIT AND Apache-2.0"]
    base_layers = {x["layer"] for x in r["packages"] if x["name"] != "bwdemo"}
    assert len(base_layers) == 1 and p["layer"] not in base_layers
    # its C: line is not base64 of a SHA-1: no hash, and a warning naming the database
    assert "hashes" not in p
    assert [w for w in r["warnings"] if w.startswith("/lib/apk/db/installed: line ") and "C: checksum" in w]


def test_apk_db_hostile(bulwark, tmp_path):
    d = tmp_path / "root"
    (d / "lib/apk/db").mkdir(parents=True)
    (d / "lib/apk/db/installed").write_bytes(
        b"P:ok\nV:1-r0\n\nV:2-r0\n\nP:noversion\n\ngarbage\nP:\xff\xfe\nV:3\n\n" + b"X" * 100000 + b"\n")
    r = bulwark.json(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(d)])
    names = {p["name"] for p in r["packages"]}
    assert "ok" in names and "noversion" not in names
    assert any("/lib/apk/db/installed" in w for w in r.get("warnings", []))


# ----------------------------------------------------------------------------- rpm

SPEC = """Name: {name}
Version: 1.2.3
Release: 4.bw1
{epoch}Summary: a test package
License: MIT and BSD
BuildArch: noarch
%description
test
%install
mkdir -p %{{buildroot}}/usr/share/{name}
echo hi > %{{buildroot}}/usr/share/{name}/README
%files
/usr/share/{name}/README
"""


@pytest.fixture(scope="session")
def rpmdb(tmp_path_factory):
    if not (shutil.which("rpmbuild") and shutil.which("rpm")):
        pytest.skip("rpm and rpmbuild needed")
    d = tmp_path_factory.mktemp("rpm")
    (d / "top/SPECS").mkdir(parents=True)
    # bwother carries a Vendor tag, as distributions' packages do
    for name, epoch, vendor in (("bwdemo", "Epoch: 2\n", []), ("bwother", "", ["--define", "vendor Fedora Project"])):
        spec = d / f"top/SPECS/{name}.spec"
        spec.write_text(SPEC.format(name=name, epoch=epoch))
        subprocess.run(["rpmbuild", "--define", f"_topdir {d / 'top'}"] + vendor + ["-bb", str(spec)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = d / "db"
    db.mkdir()
    subprocess.run(["rpm", "--initdb", "--dbpath", str(db)], check=True)
    rpms = sorted(str(p) for p in (d / "top/RPMS").rglob("*.rpm"))
    subprocess.run(["rpm", "-i", "--nodeps", "--justdb", "--dbpath", str(db)] + rpms, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = subprocess.run(["rpm", "-qa", "--dbpath", str(db), "--qf", "%{NAME}\t%{EPOCH}:%{VERSION}-%{RELEASE}\n"],
                         stdout=subprocess.PIPE, text=True, check=True).stdout
    want = set()
    for line in out.splitlines():
        n, v = line.split("\t")
        want.add((n, v[len("(none):"):] if v.startswith("(none):") else v))
    return db / "rpmdb.sqlite", want


def test_rpmdb_sqlite_equals_rpm_qa(bulwark, tiny_image, docker, save, rpmdb, tmp_path):
    db, want = rpmdb
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    shutil.copy(db, ctx / "rpmdb.sqlite")
    (ctx / "os-release").write_text('NAME="AlmaLinux"\nID="almalinux"\nVERSION_ID="9.4"\n')
    (ctx / "Dockerfile").write_text(f"FROM {tiny_image}\nCOPY rpmdb.sqlite /var/lib/rpm/rpmdb.sqlite\n"
                                    "COPY os-release /etc/os-release\n")
    r = scan(bulwark, save(docker.build_image("bwtest/inventory-rpm:1", ctx)))
    assert pkgset(r) == want == {("bwdemo", "2:1.2.3-4.bw1"), ("bwother", "1.2.3-4.bw1")}
    demo = next(p for p in r["packages"] if p["name"] == "bwdemo")
    assert demo["ecosystem"] == "AlmaLinux"
    assert demo["purl"] == "pkg:rpm/almalinux/bwdemo@1.2.3-4.bw1?arch=noarch&distro=almalinux-9.4&epoch=2"
    assert demo["source_name"] == "bwdemo" and demo["source_version"] == "1.2.3-4.bw1"
    assert demo["licenses"] == ["MIT and BSD"]


def test_rpmdb_in_a_debian_image_keeps_rpm_ecosystem_and_vendor_namespace(bulwark, rpmdb, tmp_path):
    db, _ = rpmdb
    root = tmp_path / "root"
    (root / "var/lib/rpm").mkdir(parents=True)
    (root / "var/lib/dpkg").mkdir(parents=True)
    (root / "etc").mkdir()
    shutil.copy(db, root / "var/lib/rpm/rpmdb.sqlite")
    (root / "etc/os-release").write_text('ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n')
    (root / "var/lib/dpkg/status").write_text(
        "Package: bwdeb\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n\n")
    r = bulwark.json(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(root)])
    by = {p["name"]: p for p in r["packages"]}
    assert by["bwdeb"]["ecosystem"] == "Debian" and by["bwdeb"]["purl"].startswith("pkg:deb/debian/bwdeb@")
    # the Vendor tag names the namespace; no vendor: rpm's own; never the Debian release
    assert by["bwother"]["ecosystem"] == "rpm"
    assert by["bwother"]["purl"] == "pkg:rpm/fedora/bwother@1.2.3-4.bw1?arch=noarch"
    assert by["bwdemo"]["ecosystem"] == "rpm"
    assert by["bwdemo"]["purl"] == "pkg:rpm/rpm/bwdemo@1.2.3-4.bw1?arch=noarch&epoch=2"


def test_corrupt_rpmdb_warns(bulwark, rpmdb, tmp_path):
    db, _ = rpmdb
    root = tmp_path / "root/var/lib/rpm"
    root.mkdir(parents=True)
    data = bytearray(db.read_bytes())
    for i in range(4096, len(data), 997):
        data[i] ^= 0x5A
    (root / "rpmdb.sqlite").write_bytes(bytes(data))
    rc, out, err = bulwark.run(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(tmp_path / "root")])
    assert rc == 0, err
    (root / "rpmdb.sqlite").write_bytes(b"not a database at all" * 100)
    r = bulwark.json(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(tmp_path / "root")])
    assert r["packages"] == []
    assert any("/var/lib/rpm/rpmdb.sqlite" in w for w in r.get("warnings", []))
