"""`bulwark sbom scan FILE` and the target `sbom:FILE`: a CycloneDX (1.2-1.6) or SPDX (2.2,
2.3) JSON SBOM made by any tool, vulnerability-scanned by package URL with the report, formats
and gates of an image scan.

Two kinds of input: SBOMs bulwark writes of a real root filesystem (the debootstrap bookworm
the suite builds, and a small hand-made one), whose findings must be those of scanning the
directory itself; and documents shaped as Syft, Trivy and cdxgen write them (their fields
copied from those tools' output: Syft's `upstream=` and `distro=debian-12` qualifiers, Trivy's
`aquasecurity:trivy:Src*` properties, bare `distro=3.19.1` and SPDX `sourceInfo`, cdxgen's
project components of every language ecosystem), whose findings are checked by hand against
the advisories below. Hostile documents fail with exit 3 naming the file."""

import json

import pytest

from test_vuln import stanza

OS_RELEASE_12 = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n'


def record(id_, eco, name, fixed, introduced="0", kind="ECOSYSTEM"):
    return {"schema_version": "1.6.0", "id": id_, "modified": "2024-01-01T00:00:00Z",
            "summary": f"{id_} in {name}",
            "affected": [{"package": {"ecosystem": eco, "name": name},
                          "ranges": [{"type": kind,
                                      "events": [{"introduced": introduced}, {"fixed": fixed}]}]}]}


RECORDS = [
    record("BW-SB-GLIBC", "Debian:12", "glibc", "2.36-9+deb12u4"),
    record("BW-SB-DEBSSL", "Debian:12", "openssl", "3.0.13-1~deb12u1"),
    record("BW-SB-APKSSL", "Alpine:v3.19", "openssl", "3.1.4-r6"),
    record("BW-SB-NPM", "npm", "left-pad", "1.3.0"),
    record("BW-SB-BABEL", "npm", "@babel/traverse", "7.23.2"),
    record("BW-SB-PYPI", "PyPI", "django", "3.2.25"),
    record("BW-SB-GO", "Go", "github.com/gin-gonic/gin", "1.9.1", kind="SEMVER"),
    record("BW-SB-GOSTD", "Go", "stdlib", "1.21.5", kind="SEMVER"),
    record("BW-SB-MAVEN", "Maven", "org.apache.logging.log4j:log4j-core", "2.15.0", "2.0"),
    record("BW-SB-GEM", "RubyGems", "rack", "2.2.8"),
    record("BW-SB-CARGO", "crates.io", "time", "0.2.23"),
    record("BW-SB-NUGET", "NuGet", "Newtonsoft.Json", "13.0.1"),
    record("BW-SB-PHP", "Packagist", "guzzlehttp/guzzle", "7.4.5"),
]


@pytest.fixture(scope="module")
def db(bulwark, tmp_path_factory):
    d = tmp_path_factory.mktemp("sbomscan")
    recs = d / "records"
    recs.mkdir()
    for r in RECORDS:
        (recs / (r["id"] + ".json")).write_text(json.dumps(r))
    rc, out, err = bulwark.run(["db", "import", "--db", d / "db.sqlite", recs])
    assert rc == 0, err
    return d / "db.sqlite"


def scan_json(bulwark, db, path, *args, expect=0, cmd=("sbom", "scan")):
    rc, out, err = bulwark.run([*cmd, "--db", db, "--db-max-age", "0", "-f", "json", *args, path])
    assert rc == expect, err
    return json.loads(out), err


def found(doc):
    return sorted((f["id"], f["package"]["name"], f["installed_version"], f.get("fixed_version"))
                  for f in doc["findings"] if f["kind"] == "vulnerability")


def lower(found_):
    return [(i, n.lower(), v, f) for i, n, v, f in found_]


def write(tmp_path, name, doc):
    p = tmp_path / name
    p.write_text(json.dumps(doc))
    return p


# ------------------------------------------------------------- bulwark's own SBOMs


def small_root(root):
    (root / "etc").mkdir(parents=True)
    (root / "etc/os-release").write_text(OS_RELEASE_12)
    (root / "var/lib/dpkg").mkdir(parents=True)
    (root / "var/lib/dpkg/status").write_text(
        stanza("libc6", "2.36-9", "glibc") + stanza("libssl3", "3.0.11-1~deb12u2", "openssl")
        + stanza("zlib1g", "1:1.2.13.dfsg-1", "zlib"))
    pkg = root / "usr/lib/node_modules/left-pad"
    pkg.mkdir(parents=True)
    (pkg / "package.json").write_text('{"name": "left-pad", "version": "1.1.0"}')
    meta = root / "usr/local/lib/python3.11/site-packages/Django-3.2.0.dist-info"
    meta.mkdir(parents=True)
    (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: Django\nVersion: 3.2.0\n")
    return root


def test_bulwark_sboms_scan_as_the_directory_does(bulwark, db, tmp_path):
    root = small_root(tmp_path / "root")
    direct, _ = scan_json(bulwark, db, root, cmd=("fs",), expect=0)
    want = found(direct)
    assert want == [("BW-SB-DEBSSL", "libssl3", "3.0.11-1~deb12u2", "3.0.13-1~deb12u1"),
                    ("BW-SB-GLIBC", "libc6", "2.36-9", "2.36-9+deb12u4"),
                    ("BW-SB-NPM", "left-pad", "1.1.0", "1.3.0"),
                    ("BW-SB-PYPI", "django", "3.2.0", "3.2.25")]
    for fmt in ("cyclonedx", "spdx"):
        sb = tmp_path / f"root.{fmt}.json"
        rc, _, err = bulwark.run(["sbom", "-f", fmt, "-o", sb, f"dir:{root}"])
        assert rc == 0, err
        doc, err = scan_json(bulwark, db, sb)
        # (bulwark's SBOMs name a PyPI package as its purl does: "django")
        assert lower(found(doc)) == lower(want), fmt
        assert doc["target"] == {"type": "sbom", "name": str(sb)}
        assert doc["os"]["id"] == "debian" and doc["os"]["version"] == "12"
        assert doc["coverage"]["complete"] is True, doc["coverage"]
        assert not doc.get("warnings"), doc.get("warnings")
        # the epoch survives the purl's "epoch" qualifier
        inv, _ = scan_json(bulwark, db, sb, "--list-packages")
        pk = {p["name"]: p for p in inv["packages"]}
        assert pk["zlib1g"]["version"] == "1:1.2.13.dfsg-1" and pk["libc6"]["ecosystem"] == "Debian"
        assert pk["libssl3"]["source_name"] == "openssl"
        # the target sbom:FILE reads the same with `image`
        doc2, _ = scan_json(bulwark, db, f"sbom:{sb}", cmd=("image",))
        assert lower(found(doc2)) == lower(want) and doc2["target"]["type"] == "sbom"


def test_sbom_of_the_debootstrap_rootfs_scans_as_the_rootfs(bulwark, debian_rootfs, tmp_path):
    """A real bookworm: every binary package of glibc and openssl found through the SBOM, as
    through the directory (the advisories' fixed versions are above any bookworm version)."""
    recs = tmp_path / "records"
    recs.mkdir()
    for r in (record("BW-SB-RGLIBC", "Debian:12", "glibc", "2.37-1"),
              record("BW-SB-RZLIB", "Debian:12", "zlib", "1:1.3.dfsg-1")):
        (recs / (r["id"] + ".json")).write_text(json.dumps(r))
    db = tmp_path / "db.sqlite"
    rc, _, err = bulwark.run(["db", "import", "--db", db, recs])
    assert rc == 0, err
    direct, _ = scan_json(bulwark, db, debian_rootfs.dir, "--scanners", "vuln", cmd=("fs",))
    pkgs = debian_rootfs.packages()
    assert {(f[1], f[2]) for f in found(direct)} >= {("libc6", pkgs["libc6"]), ("zlib1g", pkgs["zlib1g"])}
    for fmt in ("spdx",):  # (CycloneDX: the small root's test)
        sb = tmp_path / f"bookworm.{fmt}.json"
        rc, _, err = bulwark.run(["sbom", "-f", fmt, "-o", sb, f"dir:{debian_rootfs.dir}"])
        assert rc == 0, err
        via, _ = scan_json(bulwark, db, sb)
        assert found(via) == found(direct), fmt
        assert via["coverage"]["complete"] is True


# ------------------------------------------------------------- other tools' shapes


def syft_cyclonedx():
    def comp(name, version, purl, **props):
        return {"bom-ref": purl + "&package-id=1", "type": "library", "name": name, "version": version,
                "cpe": f"cpe:2.3:a:{name}:{name}:{version}:*:*:*:*:*:*:*", "purl": purl,
                "properties": [{"name": "syft:package:foundBy", "value": "dpkg-db-cataloger"},
                               {"name": "syft:package:type", "value": "deb"},
                               {"name": "syft:location:0:path", "value": "/var/lib/dpkg/status"}]
                + [{"name": k.replace("_", ":"), "value": v} for k, v in props.items()]}

    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json", "bomFormat": "CycloneDX",
        "specVersion": "1.5", "serialNumber": "urn:uuid:6c0b3e7b-8c5e-4a0e-9d1c-1e2b3c4d5e6f", "version": 1,
        "metadata": {"timestamp": "2024-03-01T10:00:00Z",
                     "tools": {"components": [{"type": "application", "author": "anchore", "name": "syft",
                                               "version": "1.0.1"}]},
                     "component": {"bom-ref": "c1", "type": "container", "name": "debian:12",
                                   "version": "sha256:1111111111111111111111111111111111111111111111111111111111111111"}},
        "components": [
            comp("libc6", "2.36-9", "pkg:deb/debian/libc6@2.36-9?arch=amd64&upstream=glibc&distro=debian-12"),
            comp("libssl3", "3.0.11-1~deb12u2",
                 "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&upstream=openssl&distro=debian-12"),
            comp("libc-bin", "2.36-9", "pkg:deb/debian/libc-bin@2.36-9?arch=amd64&upstream=glibc%402.36-9&distro=debian-12"),
            {"bom-ref": "os", "type": "operating-system", "name": "debian", "version": "12",
             "description": "Debian GNU/Linux 12 (bookworm)",
             "properties": [{"name": "syft:distro:id", "value": "debian"},
                            {"name": "syft:distro:versionID", "value": "12"}]},
        ]}


def test_syft_cyclonedx(bulwark, db, tmp_path):
    doc, _ = scan_json(bulwark, db, write(tmp_path, "syft.cdx.json", syft_cyclonedx()))
    assert found(doc) == [("BW-SB-DEBSSL", "libssl3", "3.0.11-1~deb12u2", "3.0.13-1~deb12u1"),
                          ("BW-SB-GLIBC", "libc-bin", "2.36-9", "2.36-9+deb12u4"),
                          ("BW-SB-GLIBC", "libc6", "2.36-9", "2.36-9+deb12u4")]
    assert doc["os"] == {"id": "debian", "version": "12"}
    paths = {f["package"]["name"]: f["location"].get("path") for f in doc["findings"]}
    assert paths["libc6"] == "/var/lib/dpkg/status"


def test_syft_spdx_rpm_and_os_from_the_distro_qualifier(bulwark, db, tmp_path):
    spdx = {
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
        "name": "registry.access.redhat.com/ubi9", "documentNamespace": "https://anchore.com/syft/image/x",
        "creationInfo": {"creators": ["Organization: Anchore, Inc", "Tool: syft-1.0.1"],
                         "created": "2024-03-01T10:00:00Z"},
        "packages": [
            {"name": "ubi9", "SPDXID": "SPDXRef-DocumentRoot-Image-ubi9", "versionInfo": "sha256:22",
             "primaryPackagePurpose": "CONTAINER", "downloadLocation": "NOASSERTION",
             "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                               "referenceLocator": "pkg:oci/ubi9@sha256%3A22"}]},
            {"name": "openssl-libs", "SPDXID": "SPDXRef-Package-rpm-openssl-libs-1", "versionInfo": "1:3.0.7-24.el9",
             "downloadLocation": "NOASSERTION", "sourceInfo": "acquired package info from RPM DB: /var/lib/rpm/rpmdb.sqlite",
             "externalRefs": [{"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
                               "referenceLocator": "cpe:2.3:a:openssl-libs:openssl-libs:1\\:3.0.7-24.el9:*:*:*:*:*:*:*"},
                              {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                               "referenceLocator": "pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&epoch=1"
                                                   "&upstream=openssl-3.0.7-24.el9.src.rpm&distro=rhel-9.3"}]},
        ],
        "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relatedSpdxElement": "SPDXRef-DocumentRoot-Image-ubi9",
                           "relationshipType": "DESCRIBES"}]}
    doc, _ = scan_json(bulwark, db, write(tmp_path, "syft.spdx.json", spdx), "--list-packages")
    assert doc["os"] == {"id": "rhel", "version": "9.3"}
    assert [(p["name"], p["version"], p["ecosystem"], p.get("source_name"), p.get("source_version"))
            for p in doc["packages"]] == [("openssl-libs", "1:3.0.7-24.el9", "Red Hat", "openssl", "3.0.7-24.el9")]
    # no package of the database's: the release is named as unchecked, never a silent pass
    assert doc["coverage"]["complete"] is False
    assert not any("not checked: no package URL" in w for w in doc.get("warnings", []))


def trivy_cyclonedx():
    def apk(name, ver, src):
        purl = f"pkg:apk/alpine/{name}@{ver}?arch=x86_64&distro=3.19.1"
        return {"bom-ref": purl, "type": "library", "name": name, "version": ver, "purl": purl,
                "properties": [{"name": "aquasecurity:trivy:PkgID", "value": f"{name}@{ver}"},
                               {"name": "aquasecurity:trivy:PkgType", "value": "alpine"},
                               {"name": "aquasecurity:trivy:SrcName", "value": src},
                               {"name": "aquasecurity:trivy:SrcVersion", "value": ver},
                               {"name": "aquasecurity:trivy:LayerDiffID",
                                "value": "sha256:" + "ab" * 32}]}

    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json", "bomFormat": "CycloneDX",
        "specVersion": "1.6", "serialNumber": "urn:uuid:0c7f0f39-9d3c-4e42-8f5c-5bfa3a0d3b11", "version": 1,
        "metadata": {"timestamp": "2024-03-01T10:00:00+00:00",
                     "tools": {"components": [{"type": "application", "group": "aquasecurity", "name": "trivy",
                                               "version": "0.50.0"}]},
                     "component": {"bom-ref": "pkg:oci/alpine@sha256%3Acc", "type": "container", "name": "alpine:3.19",
                                   "purl": "pkg:oci/alpine@sha256%3Acc?arch=amd64&repository_url=index.docker.io%2Flibrary%2Falpine",
                                   "properties": [{"name": "aquasecurity:trivy:SchemaVersion", "value": "2"}]}},
        "components": [
            {"bom-ref": "os-1", "type": "operating-system", "name": "alpine", "version": "3.19.1",
             "properties": [{"name": "aquasecurity:trivy:Class", "value": "os-pkgs"},
                            {"name": "aquasecurity:trivy:Type", "value": "alpine"}]},
            apk("libcrypto3", "3.1.4-r5", "openssl"), apk("libssl3", "3.1.4-r5", "openssl"),
            apk("musl", "1.2.4_git20230717-r4", "musl"),
        ],
        "dependencies": [{"ref": "os-1", "dependsOn": []}]}


def test_trivy_cyclonedx_and_the_gates(bulwark, db, tmp_path):
    path = write(tmp_path, "trivy.cdx.json", trivy_cyclonedx())
    doc, _ = scan_json(bulwark, db, path)
    assert found(doc) == [("BW-SB-APKSSL", "libcrypto3", "3.1.4-r5", "3.1.4-r6"),
                          ("BW-SB-APKSSL", "libssl3", "3.1.4-r5", "3.1.4-r6")]
    assert doc["os"] == {"id": "alpine", "version": "3.19.1"}
    assert doc["findings"][0]["location"]["layer"] == "sha256:" + "ab" * 32
    base = ["sbom", "scan", "--db", db, "--db-max-age", "0", "-q"]
    rc, out, _ = bulwark.run([*base, "--exit-code", "5", path])
    assert rc == 5 and "BW-SB-APKSSL" in out
    # the findings are UNKNOWN: below --severity HIGH nothing remains
    rc, _, _ = bulwark.run([*base, "--exit-code", "5", "--severity", "HIGH", path])
    assert rc == 0
    ignore = tmp_path / "ignore"
    ignore.write_text("BW-SB-APKSSL\n")
    rc, _, _ = bulwark.run([*base, "--exit-code", "5", "--ignorefile", ignore, path])
    assert rc == 0
    vex = write(tmp_path, "vex.json", {
        "@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1", "author": "t",
        "timestamp": "2024-03-01T00:00:00Z", "version": 1,
        "statements": [{"vulnerability": {"name": "BW-SB-APKSSL"},
                        "products": [{"@id": "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=3.19.1"},
                                     {"@id": "pkg:apk/alpine/libssl3@3.1.4-r5?arch=x86_64&distro=3.19.1"}],
                        "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]})
    rc, _, err = bulwark.run([*base, "--exit-code", "5", "--vex", vex, path])
    assert rc == 0, err
    rc, out, err = bulwark.run([*base, "-f", "sarif", path])
    assert rc == 0, err
    sarif = json.loads(out)
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"BW-SB-APKSSL"}
    # a release the database has nothing for fails the gate unless allowed
    cdx = trivy_cyclonedx()
    cdx["components"].append({"type": "library", "name": "left-pad", "version": "1.1.0",
                              "purl": "pkg:npm/left-pad@1.1.0"})
    cdx["components"].append({"type": "library", "name": "zlib", "version": "1.3",
                              "purl": "pkg:conan/zlib@1.3"})
    p2 = write(tmp_path, "trivy2.cdx.json", cdx)
    doc, err = scan_json(bulwark, db, p2, "--ignorefile", ignore)
    assert [f["id"] for f in doc["findings"] if f["status"] != "suppressed"] == ["BW-SB-NPM"]
    assert any("1 component not checked: no package URL" in w and "pkg:conan/zlib@1.3" in w
               for w in doc["warnings"]), doc["warnings"]
    assert "pkg:conan/zlib@1.3" in err


def test_trivy_spdx(bulwark, db, tmp_path):
    spdx = {
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "debian:12",
        "documentNamespace": "http://aquasecurity.github.io/trivy/container_image/debian:12-x",
        "creationInfo": {"creators": ["Organization: aquasecurity", "Tool: trivy-0.50.0"],
                         "created": "2024-03-01T10:00:00Z"},
        "packages": [
            {"name": "debian:12", "SPDXID": "SPDXRef-ContainerImage-1", "versionInfo": "sha256:33",
             "primaryPackagePurpose": "CONTAINER", "downloadLocation": "NONE",
             "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                               "referenceLocator": "pkg:oci/debian@sha256%3A33?arch=amd64"}]},
            {"name": "debian", "SPDXID": "SPDXRef-OperatingSystem-2", "versionInfo": "12.5",
             "downloadLocation": "NONE", "primaryPackagePurpose": "OPERATING-SYSTEM"},
            {"name": "libc6", "SPDXID": "SPDXRef-Package-3", "versionInfo": "2.36-9",
             "downloadLocation": "NONE", "sourceInfo": "built package from: glibc 2.36-9",
             "primaryPackagePurpose": "LIBRARY",
             "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                               "referenceLocator": "pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12.5"}]},
            {"name": "Python", "SPDXID": "SPDXRef-Application-4", "downloadLocation": "NONE",
             "primaryPackagePurpose": "APPLICATION"},
            {"name": "Django", "SPDXID": "SPDXRef-Package-5", "versionInfo": "3.2.0", "downloadLocation": "NONE",
             "primaryPackagePurpose": "LIBRARY",
             "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                               "referenceLocator": "pkg:pypi/django@3.2.0"}]},
        ],
        "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relatedSpdxElement": "SPDXRef-ContainerImage-1",
                           "relationshipType": "DESCRIBES"}]}
    path = write(tmp_path, "trivy.spdx.json", spdx)
    doc, _ = scan_json(bulwark, db, path)
    assert found(doc) == [("BW-SB-GLIBC", "libc6", "2.36-9", "2.36-9+deb12u4"),
                          ("BW-SB-PYPI", "Django", "3.2.0", "3.2.25")]
    assert doc["os"] == {"id": "debian", "version": "12.5"}
    assert not doc.get("warnings")
    # SPDX 2.2 (no primaryPackagePurpose): the OS comes from the purl's distro qualifier
    spdx["spdxVersion"] = "SPDX-2.2"
    for p in spdx["packages"]:
        p.pop("primaryPackagePurpose", None)
    spdx["packages"].pop(1)
    doc, _ = scan_json(bulwark, db, write(tmp_path, "trivy22.spdx.json", spdx))
    assert doc["os"] == {"id": "debian", "version": "12.5"}
    assert [f[0] for f in found(doc)] == ["BW-SB-GLIBC", "BW-SB-PYPI"]


def test_cdxgen_project_of_every_language(bulwark, db, tmp_path):
    def lib(purl, name, version, group=None, **kw):
        c = {"type": "library", "name": name, "version": version, "purl": purl, "bom-ref": purl, **kw}
        if group:
            c["group"] = group
        return c

    cdx = {
        "bomFormat": "CycloneDX", "specVersion": "1.4", "serialNumber": "urn:uuid:1", "version": 1,
        "metadata": {"timestamp": "2024-03-01T10:00:00Z",
                     "tools": [{"vendor": "cyclonedx", "name": "cdxgen", "version": "10.2.1"}],
                     "component": {"type": "application", "name": "myapp", "version": "1.0.0",
                                   "purl": "pkg:npm/myapp@1.0.0", "bom-ref": "pkg:npm/myapp@1.0.0"}},
        "components": [
            lib("pkg:npm/left-pad@1.1.0", "left-pad", "1.1.0"),
            lib("pkg:npm/%40babel/traverse@7.22.0", "traverse", "7.22.0", "@babel"),
            lib("pkg:pypi/django@3.2.0", "django", "3.2.0"),
            lib("pkg:golang/github.com/gin-gonic/gin@v1.9.0", "gin", "v1.9.0", "github.com/gin-gonic"),
            lib("pkg:golang/stdlib@go1.21.0", "stdlib", "go1.21.0"),
            lib("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar", "log4j-core", "2.14.1",
                "org.apache.logging.log4j",
                components=[lib("pkg:gem/rack@2.2.3", "rack", "2.2.3")]),
            lib("pkg:cargo/time@0.2.22", "time", "0.2.22"),
            lib("pkg:nuget/Newtonsoft.Json@12.0.3", "Newtonsoft.Json", "12.0.3"),
            lib("pkg:composer/guzzlehttp/guzzle@7.4.0", "guzzle", "7.4.0", "guzzlehttp"),
            lib("pkg:npm/left-pad@1.3.0", "left-pad", "1.3.0"),
        ]}
    doc, _ = scan_json(bulwark, db, write(tmp_path, "cdxgen.json", cdx))
    assert found(doc) == [
        ("BW-SB-BABEL", "@babel/traverse", "7.22.0", "7.23.2"),
        ("BW-SB-CARGO", "time", "0.2.22", "0.2.23"),
        ("BW-SB-GEM", "rack", "2.2.3", "2.2.8"),
        ("BW-SB-GO", "github.com/gin-gonic/gin", "v1.9.0", "1.9.1"),
        ("BW-SB-GOSTD", "stdlib", "v1.21.0", "1.21.5"),
        ("BW-SB-MAVEN", "org.apache.logging.log4j:log4j-core", "2.14.1", "2.15.0"),
        ("BW-SB-NPM", "left-pad", "1.1.0", "1.3.0"),
        ("BW-SB-NUGET", "Newtonsoft.Json", "12.0.3", "13.0.1"),
        ("BW-SB-PHP", "guzzlehttp/guzzle", "7.4.0", "7.4.5"),
        ("BW-SB-PYPI", "django", "3.2.0", "3.2.25"),
    ]
    assert "os" not in doc and doc["coverage"]["complete"] is True
    # CycloneDX 1.2 reads the same
    cdx["specVersion"] = "1.2"
    doc12, _ = scan_json(bulwark, db, write(tmp_path, "cdxgen12.json", cdx))
    assert found(doc12) == found(doc)


# ------------------------------------------------------------- usage and hostile input


def test_usage_and_hostile_documents(bulwark, db, tmp_path):
    ok = write(tmp_path, "ok.json", trivy_cyclonedx())
    rc, _, err = bulwark.run(["sbom", "scan", "--db", db, "--scanners", "secret", ok])
    assert rc == 2 and "packages and vuln only" in err
    rc, _, err = bulwark.run(["sbom", "--db", db, ok])
    assert rc == 2 and "--db goes with 'sbom scan'" in err
    rc, _, err = bulwark.run(["image", "files", f"sbom:{ok}"])
    assert rc == 2 and "not files" in err
    rc, _, err = bulwark.run(["sbom", "scan", "--db", db])
    assert rc == 2 and "missing FILE" in err
    missing = tmp_path / "nope.json"
    rc, _, err = bulwark.run(["sbom", "scan", "--db", db, missing])
    assert rc == 3 and str(missing) in err
    deep = {"components": []}
    cur = deep
    for _ in range(40):
        nxt = {"type": "library", "name": "x", "version": "1", "components": []}
        cur["components"].append(nxt)
        cur = nxt
    hostile = {
        "notjson.json": b"{\"bomFormat\": \"CycloneDX\", ",
        "array.json": b"[1, 2, 3]",
        "other.json": b"{\"hello\": \"world\"}",
        "comps.json": json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": {"a": 1}}).encode(),
        "comp.json": json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [7]}).encode(),
        "deep.json": json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", **deep}).encode(),
        "cdx2.json": json.dumps({"bomFormat": "CycloneDX", "specVersion": "2.0"}).encode(),
        "spdx3.json": json.dumps({"spdxVersion": "SPDX-3.0"}).encode(),
        "spdxpk.json": json.dumps({"spdxVersion": "SPDX-2.3", "packages": "x"}).encode(),
        "nul.json": b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": "
                    b"[{\"purl\": \"pkg:npm/a%00b@1\", \"version\": \"1\"}]}\x00",
    }
    for name, data in hostile.items():
        p = tmp_path / name
        p.write_bytes(data)
        rc, out, err = bulwark.run(["sbom", "scan", "--db", db, "-f", "json", p])
        assert rc == 3, (name, rc, err)
        assert str(p) in err and out == "", (name, err)
    # odd purls are counted, never a crash: bad escapes, no version, no name
    odd = {"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
        {"type": "library", "name": "a", "version": "1", "purl": p}
        for p in ("pkg:npm/%zz@1", "pkg:npm/a%00b@1", "pkg:npm/x", "pkg:/@1", "pkg:npm/@1", "nonsense",
                  "pkg:deb/debian/" + "a" * 9000 + "@1", "pkg:npm/a@1?&&=&x=%2&distro=#sub/../x")]}
    doc, err = scan_json(bulwark, db, write(tmp_path, "odd.json", odd), "--list-packages")
    names = sorted(p["name"] for p in doc["packages"])
    assert names == ["%zz", "a"], names
    assert any("6 components not checked" in w for w in doc["warnings"]), doc["warnings"]
