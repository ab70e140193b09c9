"""bulwark sbom: CycloneDX 1.6 and SPDX 2.3 documents validated with python3-jsonschema
against the official schemas in tests/schemas, on the debootstrap image and on images
with npm, Go and Maven packages; purls, the image as root, dependency relations."""

import json
import pathlib
import shutil

import jsonschema
import pytest
from jsonschema import validators

from test_inventory import scan

SCHEMAS = pathlib.Path(__file__).resolve().parents[1] / "schemas"


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
