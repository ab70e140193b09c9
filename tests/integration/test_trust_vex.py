"""`bulwark image TARGET --vex-from-attestations --key K.pub`: OpenVEX statements attested
with `bulwark attest --type openvex` (cosign's .att image, or a referrer) are verified and
applied to the scan as --vex applies a file; an attestation signed with another key, or of
another image, is ignored with a warning and suppresses nothing."""

import hashlib
import io
import json
import shutil
import tarfile

import pytest

from registryutil import Registry, skopeo_push
from test_vuln import DATA, by_pkg_id, debian11_root
from trustutil import new_key_pair

pytestmark = pytest.mark.skipif(not shutil.which("docker-registry") or not shutil.which("skopeo"),
                                reason="docker-registry and skopeo are needed")

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def oci_from_dir(d, root):
    """A one-layer OCI layout in d holding the files under root."""
    blobs = d / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)

    def put(b):
        (blobs / hashlib.sha256(b).hexdigest()).write_bytes(b)
        return "sha256:" + hashlib.sha256(b).hexdigest()

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for p in sorted(root.rglob("*")):
            t.add(p, str(p.relative_to(root)), recursive=False)
    layer = buf.getvalue()
    ld = put(layer)
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [ld]},
                      "config": {}}).encode()
    man = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": len(cfg),
                                 "digest": put(cfg)},
                      "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": len(layer),
                                  "digest": ld}]}).encode()
    md = put(man)
    (d / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    (d / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": OCI_MANIFEST, "size": len(man), "digest": md,
         "annotations": {"org.opencontainers.image.ref.name": "latest"}}]}))


@pytest.fixture(scope="module")
def setup(bulwark, tmp_path_factory):
    reg = Registry(tmp_path_factory.mktemp("reg-vex"))
    try:
        d = tmp_path_factory.mktemp("vex")
        db = d / "project.db"
        rc, _, err = bulwark.run(["db", "import", "--db", db, DATA / "records", DATA / "distro", DATA / "enrich"])
        assert rc == 0, err
        root = debian11_root(d / "root", [("xserver-common", "2:1.20.11-1+deb11u5", "xorg-server", "all"),
                                          ("dino-im", "0.2.0-3")])
        for name in ("app", "app2"):
            (root / "name").write_text(name)  # two images, two digests
            oci_from_dir(d / f"oci-{name}", root)
            skopeo_push(f"oci:{d / f'oci-{name}'}:latest", f"{reg.host}/{name}:v1")
        key, pub = new_key_pair(d, "k")
        other_key, _ = new_key_pair(d, "other")
        yield {"reg": reg, "db": db, "d": d, "key": key, "pub": pub, "other_key": other_key}
    finally:
        reg.stop()


def vex_doc(cve):
    return {"@context": "https://openvex.dev/ns/v0.2.0", "@id": f"https://example.test/vex/{cve}",
            "author": "tests", "timestamp": "2024-01-01T00:00:00Z", "version": 1,
            "statements": [{"vulnerability": {"name": cve},
                            "products": [{"@id": "pkg:oci/app",
                                          "subcomponents": [{"@id": "pkg:deb/debian/xserver-common"}]}],
                            "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
                            "impact_statement": f"{cve}: no X server runs"}]}


def attest(bulwark, s, image, key, cve, *extra):
    p = s["d"] / f"{cve}.json"
    p.write_text(json.dumps(vex_doc(cve)))
    rc, _, err = bulwark.run(["attest", "--key", key, "--type", "openvex", "--predicate", p, "--insecure-registry",
                              s["reg"].host, *extra, f"{s['reg'].host}/{image}"])
    assert rc == 0, err


def scan(bulwark, s, image, *extra):
    rc, out, err = bulwark.run(["image", "--db", s["db"], "--scanners", "vuln", "-f", "json", "--insecure-registry",
                                s["reg"].host, *map(str, extra), f"{s['reg'].host}/{image}"])
    assert rc == 0, err
    return by_pkg_id(json.loads(out)), err


def test_signed_openvex_attestations_are_applied(bulwark, setup):
    s = setup
    f, _ = scan(bulwark, s, "app:v1")
    assert f[("xserver-common", "DSA-9001-1")]["status"] == "fail"
    attest(bulwark, s, "app:v1", s["key"], "CVE-2099-1002")  # DSA-9001-1's alias, in the .att tag
    attest(bulwark, s, "app:v1", s["other_key"], "CVE-2099-1000", "--registry-referrers-mode", "oci-1-1")
    f, err = scan(bulwark, s, "app:v1", "--vex-from-attestations", "--key", s["pub"])
    x = f[("xserver-common", "DSA-9001-1")]
    assert x["status"] == "suppressed", x
    assert x["suppressed_by"].startswith("OpenVEX attestation ") and \
        "CVE-2099-1002: no X server runs" in x["suppressed_by"]
    # the other key's statement is ignored with a warning
    assert f[("dino-im", "CVE-2099-1000")]["status"] == "fail"
    assert "attestation ignored" in err and "1 verified OpenVEX attestation applied" in err


def test_attestations_of_another_image_and_usage(bulwark, setup):
    s = setup
    f, err = scan(bulwark, s, "app2:v1", "--vex-from-attestations", "--key", s["pub"])
    assert f[("xserver-common", "DSA-9001-1")]["status"] == "fail"
    assert "0 verified OpenVEX attestations applied" in err
    rc, _, err = bulwark.run(["image", "--vex-from-attestations", f"{s['reg'].host}/app:v1"])
    assert rc == 2 and "go together" in err
