"""`bulwark sign` and `bulwark verify` with keys, against Debian's docker-registry on
loopback: the simple-signing payload byte for byte as cosign writes it (trustutil's
independent encoder), the signature checked by `openssl dgst -verify` on the bytes pulled
back with skopeo, cosign's signature image layout (the sha256-<hex>.sig tag, appended to,
go-containerregistry's configuration) and the OCI 1.1 referrers layout, and every way a
signature must fail: another key, another image's signature replayed, another
repository, a tampered payload or signature, corrupted base64, a missing annotation."""

import base64
import hashlib
import json
import os
import shutil
import subprocess

import pytest

from registryutil import Registry, skopeo_push
from trustutil import cosign_payload, new_key_pair, openssl_verify

pytestmark = pytest.mark.skipif(not shutil.which("docker-registry") or not shutil.which("skopeo"),
                                reason="docker-registry and skopeo are needed")

PW = {"BULWARK_PASSWORD": "pw"}
SIG_MT = "application/vnd.dev.cosign.simplesigning.v1+json"
SIG_ANN = "dev.cosignproject.cosign/signature"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def oci_layout(d, content):
    """A one-layer OCI image layout in d; returns its manifest digest."""
    blobs = d / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)

    def put(b):
        (blobs / hashlib.sha256(b).hexdigest()).write_bytes(b)
        return sha(b)

    import io
    import tarfile
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        info = tarfile.TarInfo("hello.txt")
        info.size = len(content)
        t.addfile(info, io.BytesIO(content))
    layer = buf.getvalue()
    ld = put(layer)
    cfg = json.dumps({"architecture": "amd64", "os": "linux",
                      "rootfs": {"type": "layers", "diff_ids": [ld]}, "config": {}}).encode()
    cd = put(cfg)
    man = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": len(cfg),
                                 "digest": cd},
                      "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": len(layer),
                                  "digest": ld}]}).encode()
    md = put(man)
    (d / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    (d / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": OCI_MANIFEST, "size": len(man), "digest": md,
         "annotations": {"org.opencontainers.image.ref.name": "latest"}}]}))
    return md


@pytest.fixture(scope="module")
def reg(tmp_path_factory):
    r = Registry(tmp_path_factory.mktemp("reg-trust"))
    yield r
    r.stop()


@pytest.fixture(scope="module")
def images(reg, tmp_path_factory):
    """Two images pushed: app:v1 and other:v1 (distinct content); their digests."""
    out = {}
    for name in ("app", "other", "app2"):
        d = tmp_path_factory.mktemp(f"oci-{name}")
        oci_layout(d, f"image {name}\n".encode())
        skopeo_push(f"oci:{d}:latest", f"{reg.host}/{name}:v1")
        out[name] = sha(raw(reg, f"{name}:v1"))  # skopeo compresses the layer: a new digest
    return out


@pytest.fixture(scope="module")
def keys(tmp_path_factory, bulwark):
    d = tmp_path_factory.mktemp("keys")
    rc, _, err = bulwark.run(["key", "generate", "--output-key-prefix", d / "k"], env=PW)
    assert rc == 0, err
    other_key, other_pub = new_key_pair(d, "other")
    return {"key": d / "k.key", "pub": d / "k.pub", "other_key": other_key, "other_pub": other_pub}


def copy(reg, src, dest):
    subprocess.run(["skopeo", "copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false",
                    f"docker://{reg.host}/{src}", f"docker://{reg.host}/{dest}"], check=True, capture_output=True)


def insecure(reg):
    return ["--insecure-registry", reg.host]


def raw(reg, ref):
    p = subprocess.run(["skopeo", "inspect", "--raw", "--tls-verify=false", f"docker://{reg.host}/{ref}"],
                       capture_output=True)
    return p.stdout if p.returncode == 0 else None


def blob(reg, repo, digest):
    import urllib.request
    with urllib.request.urlopen(f"http://{reg.host}/v2/{repo}/blobs/{digest}") as r:
        return r.read()


def sig_tag(digest):
    return digest.replace(":", "-") + ".sig"


def sign(bulwark, reg, target, key, *extra, check=True):
    rc, out, err = bulwark.run(["sign", "--key", key, *insecure(reg), *map(str, extra), target], env=PW)
    if check:
        assert rc == 0, err
    return rc, out, err


def verify(bulwark, reg, target, pub, *extra):
    return bulwark.run(["verify", "--key", pub, *insecure(reg), *map(str, extra), target])


def test_sign_pushes_cosign_layout_and_verifies(bulwark, reg, images, keys, tmp_path):
    digest = images["app"]
    rc, out, err = sign(bulwark, reg, f"{reg.host}/app:v1", keys["key"])
    assert sig_tag(digest) in err
    man_bytes = raw(reg, f"app:{sig_tag(digest)}")
    man = json.loads(man_bytes)
    assert man["mediaType"] == OCI_MANIFEST and man["schemaVersion"] == 2
    assert len(man["layers"]) == 1
    layer = man["layers"][0]
    assert layer["mediaType"] == SIG_MT and set(layer["annotations"]) == {SIG_ANN}
    payload = blob(reg, "app", layer["digest"])
    # byte for byte what cosign writes for this reference and digest
    assert payload == cosign_payload(f"{reg.host}/app", digest)
    # the signature verifies independently with openssl
    sig = base64.b64decode(layer["annotations"][SIG_ANN])
    assert openssl_verify(keys["pub"], payload, sig, tmp_path)
    # go-containerregistry's configuration: diff_ids are the layer digests
    cfg = json.loads(blob(reg, "app", man["config"]["digest"]))
    assert cfg["rootfs"] == {"type": "layers", "diff_ids": [layer["digest"]]}
    assert man["config"]["mediaType"] == "application/vnd.oci.image.config.v1+json"

    rc, out, err = verify(bulwark, reg, f"{reg.host}/app:v1", keys["pub"])
    assert rc == 0, err
    payloads = json.loads(out)
    assert payloads == [json.loads(payload)]
    # by digest too, and with the release build's json form
    rc, out, err = verify(bulwark, reg, f"{reg.host}/app@{digest}", keys["pub"], "-f", "json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["schema"] == "bulwark.verify/v1" and doc["verified"] and doc["digest"] == digest
    assert doc["signatures"][0]["verified"] and doc["signatures"][0]["payload"]["critical"]["image"] == \
        {"docker-manifest-digest": digest}


def test_second_key_appends_and_same_key_is_not_duplicated(bulwark, reg, images, keys):
    digest = images["app2"]
    t = f"{reg.host}/app2:v1"
    sign(bulwark, reg, t, keys["key"], "-a", "env=prod", "-a", "team=a&b")
    sign(bulwark, reg, t, keys["other_key"])
    rc, _, err = sign(bulwark, reg, t, keys["key"], "-a", "env=prod", "-a", "team=a&b")
    assert "already holds" in err
    man = json.loads(raw(reg, f"app2:{sig_tag(digest)}"))
    assert len(man["layers"]) == 2
    first = blob(reg, "app2", man["layers"][0]["digest"])
    assert first == cosign_payload(f"{reg.host}/app2", digest, {"env": "prod", "team": "a&b"})
    cfg = json.loads(blob(reg, "app2", man["config"]["digest"]))
    assert cfg["rootfs"]["diff_ids"] == [l["digest"] for l in man["layers"]]
    assert len(cfg["history"]) == 2
    # each key verifies its own; the other signature is a failure named on stderr
    rc, out, err = verify(bulwark, reg, t, keys["other_pub"])
    assert rc == 0, err
    assert len(json.loads(out)) == 1 and "does not verify" in err
    rc, out, err = verify(bulwark, reg, t, keys["pub"], "-a", "env=prod")
    assert rc == 0, err
    assert json.loads(out)[0]["optional"] == {"env": "prod", "team": "a&b"}
    rc, out, err = verify(bulwark, reg, t, keys["pub"], "-a", "env=dev")
    assert rc == 1 and out == "" and "annotation env=dev" in err


def test_unsigned_and_wrong_key(bulwark, reg, images, keys, tmp_path):
    rc, out, err = verify(bulwark, reg, f"{reg.host}/other:v1", keys["pub"])
    assert rc == 1 and out == "" and "no signature verified (0 found)" in err
    sign(bulwark, reg, f"{reg.host}/other:v1", keys["key"])
    _, pub3 = new_key_pair(tmp_path, "third", curve="P-384")
    rc, out, err = verify(bulwark, reg, f"{reg.host}/other:v1", pub3)
    assert rc == 1 and "does not verify" in err
    # the failure as a finding of kind supply-chain, naming why
    rc, out, err = verify(bulwark, reg, f"{reg.host}/other:v1", pub3, "-f", "json")
    doc = json.loads(out)
    assert rc == 1 and not doc["verified"]
    f = doc["findings"]
    assert [(x["kind"], x["id"], x["severity"], x["status"]) for x in f] == \
        [("supply-chain", "BW-SC-001", "HIGH", "fail")]
    assert "signature not verified" in f[0]["title"] and "does not verify" in f[0]["title"]
    assert f[0]["evidence"] == doc["signatures"][0]["source"]
    # a verified image has none
    rc, out, err = verify(bulwark, reg, f"{reg.host}/other:v1", keys["pub"], "-f", "json")
    assert rc == 0 and json.loads(out)["findings"] == []


def test_replayed_signature_from_another_image_fails(bulwark, reg, images, keys, tmp_path):
    """The signature image of app copied under other's .sig tag: the signature is genuine
    but names app's digest."""
    sign(bulwark, reg, f"{reg.host}/app:v1", keys["key"])
    copy(reg, f"app:{sig_tag(images['app'])}", f"replay:{sig_tag(images['other'])}")
    copy(reg, "other:v1", "replay:v1")
    rc, out, err = verify(bulwark, reg, f"{reg.host}/replay:v1", keys["pub"])
    assert rc == 1, err
    assert "a signature of another image" in err


def test_tampered_payload_signature_and_base64(bulwark, reg, images, keys, tmp_path):
    """Signature images written by hand (the registry checks blob digests, so tampering
    is a new blob under the old signature)."""
    digest = images["other"]
    good = cosign_payload(f"{reg.host}/tamper", digest)
    sign_out = tmp_path / "sig"
    copy(reg, "other:v1", "tamper:v1")
    rc, _, err = sign(bulwark, reg, f"{reg.host}/tamper:v1", keys["key"], "--no-upload", "--output-signature",
                      sign_out, "--output-payload", tmp_path / "payload")
    assert (tmp_path / "payload").read_bytes() == good
    sig_b64 = sign_out.read_text()
    assert openssl_verify(keys["pub"], good, base64.b64decode(sig_b64), tmp_path)
    assert raw(reg, f"tamper:{sig_tag(digest)}") is None  # --no-upload pushed nothing

    tampered = good.replace(b'"optional":null', b'"optional":{"x":"y"}')
    corrupt = sig_b64[:10] + "!!" + sig_b64[12:]
    flipped = base64.b64encode(bytes([base64.b64decode(sig_b64)[0]]) + base64.b64decode(sig_b64)[1:-1] +
                               bytes([base64.b64decode(sig_b64)[-1] ^ 1])).decode()
    cases = [(tampered, sig_b64, "does not verify"), (good, corrupt, "not valid base64"),
             (good, flipped, "does not verify"), (good, "", "no signature")]
    for i, (payload, sig, why) in enumerate(cases):
        (tmp_path / "p").write_bytes(payload)
        (tmp_path / "s").write_text(sig)
        rc, out, err = verify(bulwark, reg, f"{reg.host}/tamper:v1", keys["pub"], "--signature", tmp_path / "s",
                              "--payload", tmp_path / "p")
        assert rc == 1 and why in err, (i, err)
    (tmp_path / "p").write_bytes(good)
    (tmp_path / "s").write_text(sig_b64 + "\n")
    rc, out, err = verify(bulwark, reg, f"{reg.host}/tamper:v1", keys["pub"], "--signature", tmp_path / "s",
                          "--payload", tmp_path / "p")
    assert rc == 0 and json.loads(out) == [json.loads(good)], err


def test_payload_for_another_repository_and_strictness(bulwark, reg, images, keys, tmp_path):
    digest = images["other"]
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    k = serialization.load_pem_private_key(keys["other_key"].read_bytes(), None)

    def check(payload, why):
        (tmp_path / "p").write_bytes(payload)
        (tmp_path / "s").write_text(base64.b64encode(k.sign(payload, ec.ECDSA(hashes.SHA256()))).decode())
        rc, out, err = verify(bulwark, reg, f"{reg.host}/other:v1", keys["other_pub"], "--signature",
                              tmp_path / "s", "--payload", tmp_path / "p")
        assert rc == 1 and why in err, err

    check(cosign_payload(f"{reg.host}/elsewhere", digest), "claims the repository")
    # the signer's words never reach the terminal as control bytes
    check(cosign_payload(f"{reg.host}/else\x1b[2Jwhere", digest), "[2Jwhere")
    assert "\x1b" not in verify(bulwark, reg, f"{reg.host}/other:v1", keys["other_pub"], "--signature",
                                 tmp_path / "s", "--payload", tmp_path / "p")[2]
    check(cosign_payload("docker.io/library/other", digest), "claims the repository")
    good = cosign_payload(f"{reg.host}/other", digest)
    check(good.replace(b'{"critical":', b'{"critical":{},"critical":'), "duplicate")
    check(good.replace(b'"optional":null', b'"optional":null,"extra":1'), "unexpected member")
    check(good.replace(b"cosign container image signature", b"atomic container signature"), "critical.type")
    check(b"[" * 10000 + b"]" * 10000, "")
    check(b"not json", "")


def test_referrers_mode(bulwark, reg, images, keys):
    copy(reg, "other:v1", "refs:v1")
    digest = images["other"]
    sign(bulwark, reg, f"{reg.host}/refs:v1", keys["key"], "--registry-referrers-mode", "oci-1-1")
    assert raw(reg, f"refs:{sig_tag(digest)}") is None
    # the registry has no referrers API: the referrers tag schema's index lists it
    idx = json.loads(raw(reg, f"refs:{digest.replace(':', '-')}"))
    assert [m["artifactType"] for m in idx["manifests"]] == ["application/vnd.dev.cosign.artifact.sig.v1+json"]
    man = json.loads(raw(reg, f"refs@{idx['manifests'][0]['digest']}"))
    assert man["subject"]["digest"] == digest
    assert man["layers"][0]["mediaType"] == SIG_MT
    rc, out, err = verify(bulwark, reg, f"{reg.host}/refs:v1", keys["pub"])
    assert rc == 0, err
    assert json.loads(out)[0]["critical"]["image"]["docker-manifest-digest"] == digest


def test_local_oci_layout(bulwark, reg, keys, tmp_path):
    d = tmp_path / "layout"
    md = oci_layout(d, b"local\n")
    rc, out, err = bulwark.run(["sign", "--key", keys["key"], f"oci:{d}", "--reference", "example.com/local",
                                "--output-signature", tmp_path / "sig", "--output-payload", tmp_path / "pl"],
                               env=PW)
    assert rc == 0, err
    assert (tmp_path / "pl").read_bytes() == cosign_payload("example.com/local", md)
    rc, out, err = bulwark.run(["verify", "--key", keys["pub"], f"oci:{d}", "--signature", tmp_path / "sig",
                                "--payload", tmp_path / "pl"])
    assert rc == 0, err
    # a local image claims no repository unless told which
    rc, out, err = bulwark.run(["sign", "--key", keys["key"], f"oci:{d}", "--output-signature", tmp_path / "s"],
                               env=PW)
    assert rc == 2 and "--reference" in err


@pytest.mark.parametrize("args,msg", [
    (["sign", "x"], "--key is required"),
    (["sign", "--key", "k"], "missing TARGET"),
    (["sign", "--key", "k", "-a", "novalue", "x"], "not KEY=VALUE"),
    (["sign", "--key", "k", "--registry-referrers-mode", "v2", "x"], "legacy or oci-1-1"),
    (["verify", "x"], "--key is required"),
    (["verify", "--key", "k", "--signature", "s", "x"], "go together"),
    (["verify", "--key", "k", "-f", "sarif", "x"], "table or json"),
])
def test_usage_errors(bulwark, args, msg):
    rc, _, err = bulwark.run(args)
    assert rc == 2 and msg in err, err


def test_public_key_cannot_sign_and_unreachable_registry(bulwark, keys, reg):
    rc, _, err = bulwark.run(["sign", "--key", keys["pub"], "127.0.0.1:1/x:v1"])
    assert rc == 2 and "public key" in err
    rc, _, err = bulwark.run(["verify", "--key", keys["pub"], "--insecure-registry", "127.0.0.1:1",
                              "127.0.0.1:1/x:v1"])
    assert rc == 3, err


# ---- attestations ------------------------------------------------------------------

DSSE_MT = "application/vnd.dsse.envelope.v1+json"


def test_attest_pushes_a_dsse_envelope_cosign_reads(bulwark, reg, images, keys, tmp_path):
    from trustutil import pae
    copy(reg, "app:v1", "att:v1")
    digest = images["app"]
    pred = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"name": "zlib", "version": "1.3"}]}
    (tmp_path / "bom.json").write_text(json.dumps(pred))
    rc, _, err = bulwark.run(["attest", "--key", keys["key"], "--type", "cyclonedx", "--predicate",
                              tmp_path / "bom.json", *insecure(reg), f"{reg.host}/att:v1"], env=PW)
    assert rc == 0, err
    man = json.loads(raw(reg, f"att:{digest.replace(':', '-')}.att"))
    layer = man["layers"][0]
    assert layer["mediaType"] == DSSE_MT
    assert layer["annotations"] == {SIG_ANN: "", "predicateType": "https://cyclonedx.org/bom"}
    env = json.loads(blob(reg, "att", layer["digest"]))
    assert env["payloadType"] == "application/vnd.in-toto+json" and len(env["signatures"]) == 1
    payload = base64.b64decode(env["payload"])
    # the signature is over DSSE's PAE, checked by openssl
    assert openssl_verify(keys["pub"], pae(env["payloadType"], payload),
                          base64.b64decode(env["signatures"][0]["sig"]), tmp_path)
    st = json.loads(payload)
    assert st["_type"] == "https://in-toto.io/Statement/v1"
    assert st["subject"] == [{"name": f"{reg.host}/att", "digest": {"sha256": digest.split(":")[1]}}]
    assert st["predicateType"] == "https://cyclonedx.org/bom" and st["predicate"] == pred

    rc, out, err = bulwark.run(["verify-attestation", "--key", keys["pub"], "--type", "cyclonedx",
                                *insecure(reg), f"{reg.host}/att:v1"])
    assert rc == 0, err
    assert [json.loads(line) for line in out.splitlines()] == [st]
    rc, out, err = bulwark.run(["verify-attestation", "--key", keys["pub"], "--type", "spdx", *insecure(reg),
                                f"{reg.host}/att:v1"])
    assert rc == 1 and "predicate type" in err
    rc, out, err = bulwark.run(["verify-attestation", "--key", keys["other_pub"], *insecure(reg),
                                f"{reg.host}/att:v1", "-f", "json"])
    assert rc == 1 and "no signature of the envelope verifies" in json.loads(out)["attestations"][0]["reason"]
    f = json.loads(out)["findings"]
    assert f and {(x["kind"], x["id"]) for x in f} == {("supply-chain", "BW-SC-002")}


def test_attestation_replayed_and_tampered(bulwark, reg, images, keys, tmp_path):
    copy(reg, "app:v1", "att2:v1")
    copy(reg, "other:v1", "att2:other")
    (tmp_path / "p.json").write_text('{"a":1}')
    rc, _, err = bulwark.run(["attest", "--key", keys["key"], "--predicate", tmp_path / "p.json",
                              *insecure(reg), f"{reg.host}/att2:v1"], env=PW)
    assert rc == 0, err
    # the attestation of app under other's .att tag: genuine, but about another digest
    copy(reg, f"att2:{images['app'].replace(':', '-')}.att", f"att2:{images['other'].replace(':', '-')}.att")
    rc, _, err = bulwark.run(["verify-attestation", "--key", keys["pub"], *insecure(reg), f"{reg.host}/att2:other"])
    assert rc == 1 and "another image" in err
    # an envelope whose payload was changed after signing
    rc, env, err = bulwark.run(["attest", "--key", keys["key"], "--predicate", tmp_path / "p.json",
                                "--no-upload", *insecure(reg), f"{reg.host}/att2:v1"], env=PW)
    assert rc == 0, err
    e = json.loads(env)
    st = json.loads(base64.b64decode(e["payload"]))
    st["predicate"] = {"a": 2}
    e["payload"] = base64.b64encode(json.dumps(st).encode()).decode()
    tool = bulwark.path.parents[2] / "tests" / "unit" / "registry" / "bw-registry-push"
    if not tool.exists():
        return
    envb = json.dumps(e).encode()
    (tmp_path / "env").write_bytes(envb)
    tag = f"{images['app'].replace(':', '-')}.att"
    man = json.loads(raw(reg, f"att2:{tag}"))
    man["layers"][0].update(digest=sha(envb), size=len(envb))
    (tmp_path / "man").write_bytes(json.dumps(man).encode())
    penv = dict(os.environ, BW_PROBE_INSECURE="1")
    for args in (["blob", "att2", tmp_path / "env"], ["manifest", "att2", tag, OCI_MANIFEST, tmp_path / "man"]):
        p = subprocess.run([str(tool), reg.host, *map(str, args)], capture_output=True, text=True, env=penv)
        assert p.returncode == 0, p.stderr
    rc, _, err = bulwark.run(["verify-attestation", "--key", keys["pub"], *insecure(reg), f"{reg.host}/att2:v1"])
    assert rc == 1 and "no signature of the envelope verifies" in err, err


def test_attest_referrers_mode_and_usage(bulwark, reg, images, keys, tmp_path):
    copy(reg, "other:v1", "att3:v1")
    (tmp_path / "p.json").write_text('{"vulnerabilities":[]}')
    rc, _, err = bulwark.run(["attest", "--key", keys["key"], "--type", "openvex", "--predicate",
                              tmp_path / "p.json", "--registry-referrers-mode", "oci-1-1", *insecure(reg),
                              f"{reg.host}/att3:v1"], env=PW)
    assert rc == 0, err
    rc, out, err = bulwark.run(["verify-attestation", "--key", keys["pub"], "--type", "openvex",
                                *insecure(reg), f"{reg.host}/att3:v1"])
    assert rc == 0, err
    assert json.loads(out)["predicateType"] == "https://openvex.dev/ns"
    (tmp_path / "bad.json").write_text("[1]")
    rc, _, err = bulwark.run(["attest", "--key", keys["key"], "--predicate", tmp_path / "bad.json",
                              *insecure(reg), f"{reg.host}/att3:v1"], env=PW)
    assert rc == 3 and "not a JSON object" in err
    rc, _, err = bulwark.run(["attest", "--key", keys["key"], "--type", "nonsense", "--predicate", "x", "t"])
    assert rc == 2 and "predicate type" in err


def test_attest_scan_makes_the_sbom_of_the_digest(bulwark, reg, images, keys):
    """--scan: scan, attest and sign in one command; the SBOM is of the digest attested."""
    copy(reg, "app:v1", "scanatt:v1")
    rc, _, err = bulwark.run(["attest", "--key", keys["key"], "--type", "cyclonedx", "--scan", *insecure(reg),
                              f"{reg.host}/scanatt:v1"], env=PW)
    assert rc == 0, err
    rc, out, err = bulwark.run(["verify-attestation", "--key", keys["pub"], "--type", "cyclonedx",
                                *insecure(reg), f"{reg.host}/scanatt:v1"])
    assert rc == 0, err
    st = json.loads(out)
    assert st["predicate"]["bomFormat"] == "CycloneDX"
    assert st["subject"][0]["digest"]["sha256"] == images["app"].split(":")[1]
    rc, _, err = bulwark.run(["attest", "--key", keys["key"], "--type", "openvex", "--scan", "x"])
    assert rc == 2 and "--scan makes" in err
    rc, _, err = bulwark.run(["attest", "--key", keys["key"], "x"])
    assert rc == 2 and "one of --predicate and --scan" in err


def test_trust_policy(bulwark, reg, images, keys, tmp_path):
    copy(reg, "app:v1", "pol:v1")
    copy(reg, "other:v1", "polx:v1")
    sign(bulwark, reg, f"{reg.host}/pol:v1", keys["key"], "-a", "env=prod")
    (tmp_path / "p.json").write_text('{"bomFormat":"CycloneDX"}')
    rc, _, err = bulwark.run(["attest", "--key", keys["key"], "--type", "cyclonedx", "--predicate",
                              tmp_path / "p.json", *insecure(reg), f"{reg.host}/pol:v1"], env=PW)
    assert rc == 0, err
    shutil.copy(keys["pub"], tmp_path / "release.pub")
    shutil.copy(keys["other_pub"], tmp_path / "other.pub")
    (tmp_path / "policy.yaml").write_text(f"""
default: deny
policies:
  - name: releases
    images: ["{reg.host}/pol"]
    keys: [release.pub]
    annotations: {{env: prod}}
    attestations: [cyclonedx]
  - name: strict
    images: ["{reg.host}/polx*"]
    keys: [other.pub]
  - name: needs-vex
    images: ["{reg.host}/app"]
    keys: [release.pub, other.pub]
    attestations: [openvex]
""")

    def decide(image, *extra):
        return bulwark.run(["verify", "--policy", tmp_path / "policy.yaml", *insecure(reg), *extra,
                            f"{reg.host}/{image}"])

    rc, out, err = decide("pol:v1")
    assert rc == 0, (out, err)
    assert out.startswith("allow ") and "(policy releases)" in out and "a cyclonedx attestation verifies" in out
    rc, out, err = decide("polx:v1", "-f", "json")
    doc = json.loads(out)
    assert rc == 1 and doc["decision"] == "deny" and doc["policy"] == "strict"
    rc, out, err = decide("app:v1")  # signed by earlier tests, but no openvex attestation
    assert rc == 1 and "no openvex attestation verifies" in out
    rc, out, err = decide("other:v1")
    assert rc == 1 and "no policy names" in out and "deny" in out
    (tmp_path / "bad.yaml").write_text("policies:\n  - images: [x]\n    keys: [release.pub]\n    requires: [y]\n")
    rc, _, err = bulwark.run(["verify", "--policy", tmp_path / "bad.yaml", "x/y:1"])
    assert rc == 3 and "bad.yaml:4:5" in err and "unknown policy member" in err


def test_trust_policy_max_age(bulwark, reg, images, keys, tmp_path):
    import datetime
    copy(reg, "app:v1", "polage:v1")
    target = f"{reg.host}/polage:v1"
    # the plain PKCS#8 key: no scrypt to open it, the test stays quick
    sign(bulwark, reg, target, keys["other_key"])
    shutil.copy(keys["other_pub"], tmp_path / "release.pub")
    (tmp_path / "policy.yaml").write_text(f"""
policies:
  - name: fresh
    images: ["{reg.host}/polage"]
    keys: [release.pub]
    attestations: [cyclonedx]
    max_age: 7d
""")

    def attest_at(when):
        (tmp_path / "p.json").write_text(json.dumps({"bomFormat": "CycloneDX", "metadata": {"timestamp": when}}))
        rc, _, err = bulwark.run(["attest", "--key", keys["other_key"], "--type", "cyclonedx", "--predicate",
                                  tmp_path / "p.json", *insecure(reg), target])
        assert rc == 0, err

    def decide():
        return bulwark.run(["verify", "--policy", tmp_path / "policy.yaml", *insecure(reg), target])

    attest_at("2020-01-01T00:00:00Z")
    rc, out, err = decide()
    assert rc == 1 and "1 cyclonedx attestation verifies, but none states a time within max_age (604800 s)" in out
    attest_at(datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    rc, out, err = decide()
    assert rc == 0 and "a cyclonedx attestation verifies" in out, out + err
    (tmp_path / "bad.yaml").write_text(f"""
policies:
  - images: ["x"]
    keys: [release.pub]
    max_age: 7d
""")
    rc, _, err = bulwark.run(["verify", "--policy", tmp_path / "bad.yaml", "x/y:1"])
    assert rc == 3 and "bad.yaml:5:14: max_age judges attestations" in err, err
