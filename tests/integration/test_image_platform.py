"""Multi-platform image indexes: --platform selection, nested indexes, refs.

A real image (tiny:1, built by the engine) is converted by skopeo to an OCI
layout; the test then adds a second platform to its index the way registries
and buildx lay them out: a config with another architecture and a manifest
that points at it, both as real blobs with real digests. Every blob stays
verifiable, so bulwark must pick the right manifest, not merely parse one.
"""

import hashlib
import json
import pathlib
import shutil
import subprocess

import pytest

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def _put_blob(layout, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    (layout / "blobs" / "sha256" / digest[7:]).write_bytes(data)
    return digest, len(data)


def _read_blob(layout, digest):
    return (layout / "blobs" / "sha256" / digest.split(":", 1)[1]).read_bytes()


@pytest.fixture(scope="module")
def tiny_oci(tmp_path_factory, docker, tiny_image, save):
    archive = save(tiny_image)
    base = tmp_path_factory.mktemp("platform")
    layout = base / "single"
    subprocess.run(["skopeo", "copy", "-q", f"docker-archive:{archive}", f"oci:{layout}:1"], check=True)
    return layout


def _multi(tiny_oci, dest, nested=False, ref_names=("1",)):
    """Copy the layout and give its index an amd64 and an arm64/v8 manifest."""
    shutil.copytree(tiny_oci, dest)
    index = json.loads((dest / "index.json").read_text())
    amd = index["manifests"][0]
    manifest = json.loads(_read_blob(dest, amd["digest"]))
    config = json.loads(_read_blob(dest, manifest["config"]["digest"]))
    config["architecture"] = "arm64"
    config["variant"] = "v8"
    cdg, csz = _put_blob(dest, json.dumps(config).encode())
    manifest["config"] = dict(manifest["config"], digest=cdg, size=csz)
    mdg, msz = _put_blob(dest, json.dumps(manifest).encode())
    amd = dict(amd, platform={"os": "linux", "architecture": "amd64"})
    arm = {"mediaType": OCI_MANIFEST, "digest": mdg, "size": msz,
           "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}}
    # a BuildKit-style attestation manifest must be ignored
    att = {"mediaType": OCI_MANIFEST, "digest": mdg, "size": msz,
           "platform": {"os": "unknown", "architecture": "unknown"}}
    manifests = [arm, att, amd]
    if nested:
        inner = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": manifests}
        idg, isz = _put_blob(dest, json.dumps(inner).encode())
        top = [{"mediaType": OCI_INDEX, "digest": idg, "size": isz,
                "annotations": {"org.opencontainers.image.ref.name": r}} for r in ref_names]
        index["manifests"] = top
    else:
        for m in manifests:
            m["annotations"] = {"org.opencontainers.image.ref.name": ref_names[0]}
        index["manifests"] = manifests
    (dest / "index.json").write_text(json.dumps(index))
    return dest


def _arch(bulwark, target, *extra):
    rc, out, err = bulwark.run(["image", "inspect", "--format", "json", *extra, target])
    assert rc == 0, err
    j = json.loads(out)
    return j["platform"]["architecture"], j["platform"]["variant"], j


def test_default_platform_is_the_hosts(bulwark, tiny_oci, tmp_path):
    layout = _multi(tiny_oci, tmp_path / "m")
    arch, variant, j = _arch(bulwark, f"oci:{layout}")
    assert arch == "amd64" and variant is None
    # the chosen manifest's digest is reported
    index = json.loads((layout / "index.json").read_text())
    amd = [m for m in index["manifests"] if m["platform"]["architecture"] == "amd64"][0]
    assert j["digest"] == amd["digest"]


def test_platform_flag_picks_another_manifest(bulwark, tiny_oci, tmp_path):
    layout = _multi(tiny_oci, tmp_path / "m")
    arch, variant, j = _arch(bulwark, f"oci:{layout}", "--platform", "linux/arm64/v8")
    assert (arch, variant) == ("arm64", "v8")
    arch, variant, _ = _arch(bulwark, f"oci:{layout}", "--platform", "linux/arm64")
    assert arch == "arm64"
    # the files are the same layers either way
    rc1, a, _ = bulwark.run(["image", "files", "--format", "json", "--platform", "linux/arm64", f"oci:{layout}"])
    rc2, b, _ = bulwark.run(["image", "files", "--format", "json", f"oci:{layout}"])
    assert rc1 == rc2 == 0
    assert json.loads(a)["files"] == json.loads(b)["files"]


def test_missing_platform_names_what_exists(bulwark, tiny_oci, tmp_path):
    layout = _multi(tiny_oci, tmp_path / "m")
    rc, out, err = bulwark.run(["image", "inspect", "--platform", "linux/s390x", f"oci:{layout}"])
    assert rc == 3, err
    assert "linux/s390x" in err and "linux/amd64" in err and "linux/arm64/v8" in err


def test_bad_platform_syntax_is_a_usage_error(bulwark, tiny_oci, tmp_path):
    layout = _multi(tiny_oci, tmp_path / "m")
    rc, _, err = bulwark.run(["image", "inspect", "--platform", "amd64", f"oci:{layout}"])
    assert rc == 2, err


def test_nested_index_and_ref_selection(bulwark, tiny_oci, tmp_path):
    layout = _multi(tiny_oci, tmp_path / "n", nested=True, ref_names=("1", "stable"))
    arch, _, _ = _arch(bulwark, f"oci:{layout}:stable", "--platform", "linux/arm64")
    assert arch == "arm64"
    arch, _, _ = _arch(bulwark, f"oci:{layout}:1")
    assert arch == "amd64"
    rc, _, err = bulwark.run(["image", "inspect", f"oci:{layout}:nope"])
    assert rc == 3 and "nope" in err


def test_tampered_nested_index_is_an_integrity_error(bulwark, tiny_oci, tmp_path):
    layout = _multi(tiny_oci, tmp_path / "t", nested=True)
    index = json.loads((layout / "index.json").read_text())
    inner = index["manifests"][0]["digest"]
    path = layout / "blobs" / "sha256" / inner[7:]
    data = json.loads(path.read_text())
    data["annotations"] = {"tampered": "yes"}
    path.write_text(json.dumps(data))
    rc, _, err = bulwark.run(["image", "inspect", f"oci:{layout}"])
    assert rc == 3
    assert inner in err  # names the blob and its expected digest
