"""The registry client's pushes and referrers (src/registry/push.c), through the
bw-registry-push test tool, against Debian's docker-registry on loopback: blobs uploaded
once (a second push of the same bytes is a HEAD only, as the access log shows), manifests
pushed by tag and by digest and read back by skopeo, the referrers tag schema (the
registry has no referrers API) read and written, and pushes with Bearer tokens asking for
the push scope."""

import hashlib
import json
import shutil
import subprocess

import pytest

from registryutil import Registry, TokenServer

pytestmark = pytest.mark.skipif(not shutil.which("docker-registry") or not shutil.which("skopeo"),
                                reason="docker-registry and skopeo are needed")

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"


@pytest.fixture(scope="module")
def tool(bulwark):
    p = bulwark.path.parents[2] / "tests" / "unit" / "registry" / "bw-registry-push"
    if not p.exists():
        pytest.skip(f"{p} is not built")
    return p


def push(tool, host, *args, env=None, check=True):
    import os
    e = dict(os.environ, BW_PROBE_INSECURE="1")
    e.update(env or {})
    p = subprocess.run([str(tool), host, *map(str, args)], capture_output=True, text=True, env=e, timeout=120)
    if check:
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout)
    return p


@pytest.fixture(scope="module")
def reg(tmp_path_factory):
    r = Registry(tmp_path_factory.mktemp("reg-push"))
    yield r
    r.stop()


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def small_image(tool, host, repo, tmp, tag="v1", payload=b"layer bytes\n"):
    """A one-layer OCI image pushed by the tool; returns (digest, manifest bytes)."""
    cfg = b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{}}'
    (tmp / "cfg").write_bytes(cfg)
    (tmp / "layer").write_bytes(payload)
    assert push(tool, host, "blob", repo, tmp / "cfg")["digest"] == sha(cfg)
    assert push(tool, host, "blob", repo, tmp / "layer")["digest"] == sha(payload)
    m = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": len(cfg),
                               "digest": sha(cfg)},
                    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": len(payload),
                                "digest": sha(payload)}]}, separators=(",", ":")).encode()
    (tmp / "manifest").write_bytes(m)
    out = push(tool, host, "manifest", repo, tag, OCI_MANIFEST, tmp / "manifest")
    assert out["digest"] == sha(m)
    return out["digest"], m


def test_blob_upload_once_and_exists(tool, reg, tmp_path):
    data = b"x" * 100000 + b"unique-1"
    (tmp_path / "b").write_bytes(data)
    d = sha(data)
    assert push(tool, reg.host, "exists", "up/one", d) == {"exists": False}
    assert push(tool, reg.host, "blob", "up/one", tmp_path / "b") == {"digest": d}
    assert push(tool, reg.host, "exists", "up/one", d) == {"exists": True}
    posts = reg.log().count('"POST /v2/up/one/blobs/uploads/')
    assert push(tool, reg.host, "blob", "up/one", tmp_path / "b") == {"digest": d}
    assert reg.log().count('"POST /v2/up/one/blobs/uploads/') == posts, "the second push uploaded again"
    # the bytes read back are the bytes sent
    got = subprocess.run(["curl", "-sf", f"http://{reg.host}/v2/up/one/blobs/{d}"], capture_output=True).stdout
    assert got == data


def test_manifest_by_tag_and_digest_read_back(tool, reg, tmp_path):
    digest, m = small_image(tool, reg.host, "up/img", tmp_path)
    raw = subprocess.run(["skopeo", "inspect", "--raw", "--tls-verify=false", f"docker://{reg.host}/up/img:v1"],
                         capture_output=True, check=True).stdout
    assert raw == m
    # by digest, and a digest that is not the bytes' is refused before anything is sent
    (tmp_path / "m2").write_bytes(m)
    assert push(tool, reg.host, "manifest", "up/img", digest, OCI_MANIFEST, tmp_path / "m2")["digest"] == digest
    p = push(tool, reg.host, "manifest", "up/img", "sha256:" + "0" * 64, OCI_MANIFEST, tmp_path / "m2",
             check=False)
    assert p.returncode == 3 and "not sha256:0000" in p.stderr
    # a manifest naming a blob the registry lacks: the registry's own words
    bad = json.loads(m)
    bad["layers"][0]["digest"] = "sha256:" + "1" * 64
    (tmp_path / "bad").write_bytes(json.dumps(bad).encode())
    p = push(tool, reg.host, "manifest", "up/img", "broken", OCI_MANIFEST, tmp_path / "bad", check=False)
    assert p.returncode == 3 and "up/img" in p.stderr and "MANIFEST_BLOB_UNKNOWN" in p.stderr


def test_referrers_tag_schema(tool, reg, tmp_path):
    subject, _ = small_image(tool, reg.host, "up/ref", tmp_path)
    listed = push(tool, reg.host, "referrers", "up/ref", subject)
    assert listed == {"api": False, "manifests": []}
    # two referrers of different artifact types, the second added twice
    descs = []
    for i, at in enumerate(["application/vnd.example.sig", "application/vnd.example.att"]):
        d = tmp_path / f"r{i}"
        d.mkdir()
        dg, m = small_image(tool, reg.host, "up/ref", d, tag=f"r{i}", payload=f"referrer {i}".encode())
        descs.append({"mediaType": OCI_MANIFEST, "size": len(m), "digest": dg, "artifactType": at})
    for desc in descs + descs[1:]:
        push(tool, reg.host, "referrers-add", "up/ref", subject, json.dumps(desc))
    idx = json.loads(subprocess.run(["skopeo", "inspect", "--raw", "--tls-verify=false",
                                     f"docker://{reg.host}/up/ref:sha256-{subject[7:]}"],
                                    capture_output=True, check=True).stdout)
    assert idx["mediaType"] == OCI_INDEX and [m["digest"] for m in idx["manifests"]] == [d["digest"] for d in descs]
    assert push(tool, reg.host, "referrers", "up/ref", subject)["manifests"] == descs
    only = push(tool, reg.host, "referrers", "up/ref", subject, "application/vnd.example.att")
    assert only == {"api": False, "manifests": [descs[1]]}


def test_push_with_bearer_tokens_asks_for_push(tool, tmp_path):
    ts = TokenServer(tmp_path / "token", {"bob": "t0ken-pw"})
    r = Registry(tmp_path / "reg", token=ts.registry_config())
    try:
        (tmp_path / "b").write_bytes(b"token pushed blob")
        env = {"BW_PUSH_USER": "bob", "BW_PUSH_PASSWORD": "t0ken-pw"}
        assert push(tool, r.host, "blob", "team/app", tmp_path / "b", env=env)["digest"] == sha(b"token pushed blob")
        scopes = [q["path"] for q in ts.requests]
        assert any("repository%3Ateam%2Fapp%3Apull%2Cpush" in s or "repository:team/app:pull,push" in s
                   for s in scopes), scopes
        # anonymous users get no push access: the registry's refusal, naming the repository
        p = push(tool, r.host, "blob", "team/app2", tmp_path / "b", check=False)
        assert p.returncode == 3 and "team/app2" in p.stderr
    finally:
        r.stop()
        ts.stop()
