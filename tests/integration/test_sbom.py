"""bulwark sbom: CycloneDX 1.6 and SPDX 2.3 documents validated with python3-jsonschema
against the official schemas in tests/schemas, on the debootstrap image and on images
with npm, Go and Maven packages; purls, the image as root, dependency relations;
package hashes (the .debs' SHA-256 as `dpkg --print-avail` and the .deb file itself
give it; lock-file integrity, Cargo.lock checksums, jar SHA-1s; apk's Q1 and Go's h1
as properties, never as hashes)."""

import base64
import hashlib
import json
import pathlib
import shutil
import subprocess

import jsonschema
import pytest
from jsonschema import validators

from test_inventory import scan

SCHEMAS = pathlib.Path(__file__).resolve().parents[1] / "schemas"


def _extras_msg(extras):
    """jsonschema 4.10 (Debian 12) sorts the extra items of an additionalItems
    error to word it, and dicts do not sort: CycloneDX's licenseChoice (a oneOf
    whose second branch is a one-item tuple) made it raise TypeError for any
    valid list of three licences or more. The same words, unsorted."""
    return ", ".join(repr(e) for e in extras), "was" if len(extras) == 1 else "were"


jsonschema._validators.extras_msg = _extras_msg


def cyclonedx_validator():
    schema = json.loads((SCHEMAS / "cyclonedx-bom-1.6.schema.json").read_text())
    store = {}
    for name in ("spdx.schema.json", "jsf-0.82.schema.json"):
        sub = json.loads((SCHEMAS / f"cyclonedx-{name}").read_text())
        store[name] = sub
        store["http://cyclonedx.org/schema/" + name] = sub
    cls = validators.validator_for(schema)
    resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    return cls(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())


def spdx_validator():
    schema = json.loads((SCHEMAS / "spdx-schema-2.3.json").read_text())
    return validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())


def assert_valid(validator, doc):
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message[:300]}" for e in errors[:10])


@pytest.fixture(scope="session")
def cdx():
    return cyclonedx_validator()


@pytest.fixture(scope="session")
def spdx():
    return spdx_validator()


def sbom(bulwark, target, fmt):
    return bulwark.json(["sbom", "-f", fmt, str(target)])


def print_avail_sha256(rootfs):
    """name -> SHA256 of the .deb, as `dpkg --print-avail` reads the rootfs's available file."""
    names = sorted(rootfs.packages())
    out = subprocess.run(["dpkg", f"--admindir={rootfs.dir}/var/lib/dpkg", "--print-avail", *names],
                         stdout=subprocess.PIPE, text=True, check=True).stdout
    want = {}
    for st in out.split("\n\n"):
        f = dict(l.split(": ", 1) for l in st.splitlines() if ": " in l and not l.startswith(" "))
        if "SHA256" in f:
            want[f["Package"]] = f["SHA256"]
    return want


def test_cyclonedx_debootstrap(bulwark, debian_rootfs, save, cdx):
    tar = save(debian_rootfs.image)
    doc = sbom(bulwark, tar, "cyclonedx")
    assert_valid(cdx, doc)
    assert doc["specVersion"] == "1.6" and doc["bomFormat"] == "CycloneDX"
    assert doc["metadata"]["component"]["type"] == "container"
    libs = [c for c in doc["components"] if c["type"] == "library"]
    assert {(c["name"], c["version"]) for c in libs} == set(debian_rootfs.packages().items())
    assert [c for c in doc["components"] if c["type"] == "operating-system"][0]["name"] == "debian"
    refs = {c["bom-ref"] for c in doc["components"]}
    assert len(refs) == len(doc["components"])
    deps = {d["ref"]: d["dependsOn"] for d in doc["dependencies"]}
    # dpkg Depends: apt depends on libapt-pkg6.0 and others
    apt = next(c["bom-ref"] for c in libs if c["name"] == "apt")
    assert any("libapt-pkg" in d for d in deps[apt])
    assert all(t in refs for ds in deps.values() for t in ds)
    assert deps["bulwark:target"]
    # every .deb's SHA-256, as debootstrap recorded it in /var/lib/dpkg/available
    sha = print_avail_sha256(debian_rootfs)
    assert len(sha) == len(libs)
    assert {c["name"]: c.get("hashes") for c in libs} == {n: [{"alg": "SHA-256", "content": h}] for n, h in sha.items()}


def test_spdx_debootstrap(bulwark, debian_rootfs, save, spdx):
    doc = sbom(bulwark, save(debian_rootfs.image), "spdx")
    assert_valid(spdx, doc)
    assert doc["spdxVersion"] == "SPDX-2.3"
    pk = [p for p in doc["packages"] if p.get("primaryPackagePurpose") == "LIBRARY"]
    assert {(p["name"], p["versionInfo"]) for p in pk} == set(debian_rootfs.packages().items())
    assert all(p["externalRefs"][0]["referenceLocator"].startswith("pkg:deb/debian/") for p in pk)
    ids = {p["SPDXID"] for p in doc["packages"]}
    assert all(r["relatedSpdxElement"] in ids for r in doc["relationships"] if r["relationshipType"] != "DESCRIBES")
    assert sum(r["relationshipType"] == "DEPENDS_ON" for r in doc["relationships"]) > 50
    sha = print_avail_sha256(debian_rootfs)
    assert {p["name"]: p.get("checksums") for p in pk} == \
        {n: [{"algorithm": "SHA256", "checksumValue": h}] for n, h in sha.items()}


def test_deb_sha256_is_that_of_the_deb_file(bulwark, debian_rootfs, tmp_path):
    """The digest is the .deb's: download one from the mirror and hash it."""
    pkgs = debian_rootfs.packages()
    name = "libacl1" if "libacl1" in pkgs else sorted(pkgs)[0]
    p = subprocess.run(["apt-get", "download", f"{name}={pkgs[name]}"], cwd=tmp_path, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=300)
    debs = list(tmp_path.glob(f"{name}_*.deb"))
    if p.returncode != 0 or len(debs) != 1:
        pytest.skip(f"apt-get download {name}={pkgs[name]} failed: {p.stdout[-300:]}")
    want = subprocess.run(["sha256sum", str(debs[0])], stdout=subprocess.PIPE, text=True, check=True).stdout.split()[0]
    r = bulwark.json(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(debian_rootfs.dir)])
    got = next(x for x in r["packages"] if x["name"] == name)
    assert got["hashes"] == [{"algorithm": "sha256", "value": want}]


def test_sbom_of_alpine_and_languages(bulwark, docker, tiny_image, save, cdx, spdx, tmp_path, request):
    """Many ecosystems in one image: both formats validate, every package has a purl."""
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    (ctx / "m").mkdir()
    (ctx / "m/package.json").write_text('{"name":"@scope/a","version":"1.0.0","license":"(MIT OR Apache-2.0)",'
                                        '"dependencies":{"b":"^2"}}')
    (ctx / "b").mkdir()
    (ctx / "b/package.json").write_text('{"name":"b","version":"2.1.0","license":"ISC"}')
    di = ctx / "x.dist-info"
    di.mkdir()
    (di / "METADATA").write_text("Metadata-Version: 2.1\nName: Some_Pkg\nVersion: 0.1\nLicense: GPL v2 or later\n\n")
    (ctx / "Dockerfile").write_text(
        f"FROM {tiny_image}\nCOPY m /app/node_modules/@scope/a/\nCOPY b /app/node_modules/b/\n"
        "COPY x.dist-info /usr/lib/python3/site-packages/some_pkg-0.1.dist-info/\n")
    tar = save(docker.build_image("bwtest/inventory-sbom:1", ctx))
    c = sbom(bulwark, tar, "cyclonedx")
    assert_valid(cdx, c)
    s = sbom(bulwark, tar, "spdx")
    assert_valid(spdx, s)
    purls = {x["purl"] for x in c["components"] if x["type"] == "library"}
    assert purls == {"pkg:npm/%40scope/a@1.0.0", "pkg:npm/b@2.1.0", "pkg:pypi/some-pkg@0.1"}
    deps = {d["ref"]: d["dependsOn"] for d in c["dependencies"]}
    assert deps["pkg:npm/%40scope/a@1.0.0"] == ["pkg:npm/b@2.1.0"]
    lic = {p["name"]: p["licenseDeclared"] for p in s["packages"] if p.get("primaryPackagePurpose") == "LIBRARY"}
    assert lic == {"@scope/a": "(MIT OR Apache-2.0)", "b": "ISC", "some-pkg": "NOASSERTION"}
    # CycloneDX: an SPDX id as license.id, an SPDX expression as expression, prose as a name
    cl = {x["name"]: x["licenses"] for x in c["components"] if x["type"] == "library"}
    assert cl == {"@scope/a": [{"expression": "(MIT OR Apache-2.0)"}], "b": [{"license": {"id": "ISC"}}],
                  "some-pkg": [{"license": {"name": "GPL v2 or later"}}]}


def q1(b):
    return "Q1" + base64.b64encode(b).decode()


def test_sbom_hashes_of_lock_files_and_os_identifiers(bulwark, docker, tiny_image, save, cdx, spdx, tmp_path):
    """Lock-file digests become CycloneDX hashes and SPDX checksums, hex of what the file
    says; apk's Q1 (a digest of the control segment) is a property and a comment, never a
    hash; both documents validate against the official schemas; a bad value is a warning."""
    left_pad = "XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQEPTfn3KFZ+nJ93ovVzhsPSmb5XYyCrEvi44yqVrfjJuXuA=="
    ms_sha1 = hashlib.sha1(b"ms-2.1.3.tgz").digest()
    ctx = tmp_path / "ctx"
    (ctx / "app").mkdir(parents=True)
    (ctx / "app/package-lock.json").write_text(json.dumps({"name": "app", "lockfileVersion": 3, "packages": {
        "": {"name": "app"},
        "node_modules/left-pad": {"version": "1.3.0", "integrity": "sha512-" + left_pad},
        "node_modules/ms": {"version": "2.1.3", "integrity": "sha1-" + base64.b64encode(ms_sha1).decode()},
        "node_modules/bad": {"version": "1.0.0", "integrity": "sha512-notbase64!"}}}))
    crate = "af150ab688ff2122fcef229be89cb50dd66af9e01a4ff320cc137eecc9bacc38"
    (ctx / "app/Cargo.lock").write_text('version = 3\n\n[[package]]\nname = "itoa"\nversion = "1.0.9"\n'
                                        'source = "registry+https://github.com/rust-lang/crates.io-index"\n'
                                        f'checksum = "{crate}"\n')
    control = hashlib.sha1(b"the control segment of musl-1.2.5-r0.apk").digest()
    (ctx / "installed").write_text(f"C:{q1(control)}\nP:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\no:musl\n\n")
    (ctx / "Dockerfile").write_text(f"FROM {tiny_image}\nCOPY app /app/\nCOPY installed /lib/apk/db/installed\n")
    tar = save(docker.build_image("bwtest/sbom-hashes:1", ctx))
    c = sbom(bulwark, tar, "cyclonedx")
    assert_valid(cdx, c)
    s = sbom(bulwark, tar, "spdx")
    assert_valid(spdx, s)
    want = {"left-pad": [("SHA-512", base64.b64decode(left_pad).hex())], "ms": [("SHA-1", ms_sha1.hex())],
            "itoa": [("SHA-256", crate)], "bad": [], "musl": []}
    libs = {x["name"]: x for x in c["components"] if x["type"] == "library"}
    assert {n: [(h["alg"], h["content"]) for h in x.get("hashes", [])] for n, x in libs.items()} == want
    props = {p["name"]: p["value"] for p in libs["musl"]["properties"]}
    assert props["bulwark:apk:checksum"] == q1(control)
    pk = {x["name"]: x for x in s["packages"] if x.get("primaryPackagePurpose") == "LIBRARY"}
    spdx_alg = {"SHA-1": "SHA1", "SHA-256": "SHA256", "SHA-512": "SHA512"}
    assert {n: [(h["algorithm"], h["checksumValue"]) for h in x.get("checksums", [])] for n, x in pk.items()} == \
        {n: [(spdx_alg[a], v) for a, v in hs] for n, hs in want.items()}
    assert q1(control) in pk["musl"]["comment"]
    rc, out, err = bulwark.run(["image", "--scanners", "packages", "--list-packages", "-f", "json", str(tar)])
    r = json.loads(out)
    assert {p["name"]: p.get("hashes") for p in r["packages"]}["musl"] == [{"algorithm": "apk-q1", "value": control.hex()}]
    assert [w for w in r["warnings"] if "/app/package-lock.json" in w and "bad 1.0.0" in w]


def test_sbom_of_directory_and_usage(bulwark, debian_rootfs, cdx):
    doc = bulwark.json(["sbom", f"dir:{debian_rootfs.dir}"])
    assert_valid(cdx, doc)
    assert doc["metadata"]["component"]["type"] == "file"
    rc, out, err = bulwark.run(["sbom", "-f", "sarif", "x"])
    assert rc == 2
    rc, out, err = bulwark.run(["sbom"])
    assert rc == 2


def test_image_scan_writes_cyclonedx_too(bulwark, debian_rootfs, save, cdx):
    doc = bulwark.json(["image", "--scanners", "packages", "-f", "cyclonedx", str(save(debian_rootfs.image))])
    assert_valid(cdx, doc)
    assert len(doc["components"]) == 89


def test_debian_licences_from_copyright_files_and_suppliers(bulwark, tmp_path, cdx, spdx):
    """/usr/share/doc/PACKAGE/copyright of real Debian packages (this machine's): a
    machine-readable file gives its Files paragraphs' licences as SPDX ids and
    expressions, a prose one only the versioned /usr/share/common-licenses texts it
    names; the Maintainer is the supplier. CycloneDX: license.id, or one
    expression; SPDX: licenseDeclared, supplier."""
    want = {"zlib1g": None, "libssl3": None, "avahi-utils": None}
    root = tmp_path / "root"
    (root / "var/lib/dpkg").mkdir(parents=True)
    (root / "etc").mkdir()
    (root / "etc/os-release").write_text('ID=debian\nVERSION_ID="12"\n')
    status = []
    for name in want:
        doc = pathlib.Path("/usr/share/doc") / name / "copyright"
        st = subprocess.run(["dpkg-query", "-s", name], stdout=subprocess.PIPE, text=True)
        if not doc.is_file() or st.returncode != 0:
            continue
        (root / "usr/share/doc" / name).mkdir(parents=True)
        shutil.copy(doc, root / "usr/share/doc" / name / "copyright")
        status.append(st.stdout.strip() + "\n")
        want[name] = doc.read_text(errors="replace")
    if not want["zlib1g"] or not want["libssl3"]:
        pytest.skip("zlib1g and libssl3 (their copyright files and dpkg status) needed")
    (root / "var/lib/dpkg/status").write_text("\n".join(status))
    r = bulwark.json(["fs", "--scanners", "packages", "--list-packages", "-f", "json", str(root)])
    by = {p["name"]: p for p in r["packages"]}
    assert want["zlib1g"].startswith("Format:") and by["zlib1g"]["licenses"] == ["Zlib"]
    # openssl 3: "Apache-2.0" and (the perl scripts) "Artistic or GPL-1+"
    assert by["libssl3"]["licenses"] == ["Apache-2.0", "Artistic-1.0-Perl OR GPL-1.0-or-later"]
    if want["avahi-utils"] and not want["avahi-utils"].startswith("Format:"):
        assert sorted(by["avahi-utils"]["licenses"]) == ["GPL-2", "LGPL-2.1"]
    maint = subprocess.run(["dpkg-query", "-W", "-f", "${Maintainer}", "zlib1g"], stdout=subprocess.PIPE,
                           text=True, check=True).stdout
    name, email = maint.split(" <")
    doc = bulwark.json(["sbom", "-f", "cyclonedx", f"dir:{root}"])
    assert_valid(cdx, doc)
    comp = {c["name"]: c for c in doc["components"]}
    assert comp["zlib1g"]["licenses"] == [{"license": {"id": "Zlib"}}]
    assert comp["libssl3"]["licenses"] == [{"expression": "Apache-2.0 AND (Artistic-1.0-Perl OR GPL-1.0-or-later)"}]
    assert comp["zlib1g"]["supplier"] == {"name": name, "contact": [{"email": email.rstrip(">")}]}
    doc = bulwark.json(["sbom", "-f", "spdx", f"dir:{root}"])
    assert_valid(spdx, doc)
    pk = {p["name"]: p for p in doc["packages"]}
    assert pk["zlib1g"]["licenseDeclared"] == "Zlib" and pk["zlib1g"]["licenseConcluded"] == "NOASSERTION"
    assert pk["libssl3"]["licenseDeclared"] == "(Apache-2.0) AND (Artistic-1.0-Perl OR GPL-1.0-or-later)"
    assert pk["zlib1g"]["supplier"] == f"Person: {name} ({email.rstrip('>')})"
