"""`bulwark verify --bundle`: Sigstore bundles verified offline, against Sigstore's own
implementation as the oracle. ../shared/sigstore-oracle signs an artifact and an in-toto
statement with @sigstore/sign through mock Fulcio, Rekor and TSA services on loopback,
writes v0.2 and v0.3 bundles, a trusted root and 38 cases (tampered bundles, wrong trust
roots, wrong policies), each with the answer a strict verifier must give ("expect"; it
differs from sigstore-js's own in three documented cases). bulwark must give every one.

The oracle's npm packages are installed once into BW_TEST_CACHE; without node and npm, or
without ../shared/sigstore-oracle (BW_SIGSTORE_ORACLE), the suite is skipped."""

import hashlib
import json
import os
import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def oracle(tmp_path_factory):
    src = pathlib.Path(os.environ.get("BW_SIGSTORE_ORACLE") or (REPO.parent / "shared" / "sigstore-oracle"))
    if not (src / "oracle.js").exists():
        pytest.skip(f"the Sigstore oracle is not at {src}")
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node and npm are needed for the Sigstore oracle")
    lock = (src / "package-lock.json").read_bytes()
    cache = pathlib.Path(os.environ.get("BW_TEST_CACHE") or (REPO / "build" / "test-cache"))
    mods = cache / ("npm-sigstore-oracle-" + hashlib.sha256(lock).hexdigest()[:16])
    if not (mods / "node_modules" / "@sigstore" / "sign").exists():
        mods.mkdir(parents=True, exist_ok=True)
        shutil.copy(src / "package.json", mods)
        shutil.copy(src / "package-lock.json", mods)
        p = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=mods, capture_output=True, text=True,
                           timeout=600)
        if p.returncode != 0:
            pytest.skip(f"npm could not install the Sigstore oracle: {p.stderr[-300:]}")
    work = tmp_path_factory.mktemp("sigstore")
    for f in src.glob("*.js"):
        shutil.copy(f, work)
    (work / "node_modules").symlink_to(mods / "node_modules")
    p = subprocess.run(["node", "oracle.js", "out"], cwd=work, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    out = work / "out"
    cases = json.loads((out / "cases.json").read_text())
    assert len(cases) >= 38
    return out, cases


def run_case(bulwark, out, c, *extra):
    args = ["verify", "--bundle", out / c["bundle"], "--trusted-root", out / c["trusted_root"],
            "--certificate-identity", c["policy"]["san"], "--certificate-oidc-issuer", c["policy"]["issuer"],
            *extra]
    if c.get("artifact"):
        args.append(out / c["artifact"])
    return bulwark.run(args)


def test_every_oracle_case(bulwark, oracle):
    out, cases = oracle
    wrong = []
    for c in cases:
        rc, _, err = run_case(bulwark, out, c)
        assert rc in (0, 1), (c["name"], rc, err)
        got = "ok" if rc == 0 else "fail"
        if got != c["expect"]:
            wrong.append((c["name"], c["expect"], got, err.strip()[-300:]))
        elif got == "fail":
            assert "not verified: " in err, (c["name"], err)
    assert not wrong, wrong
    # both answers occur: the cases are not all one way
    assert {c["expect"] for c in cases} == {"ok", "fail"}


def test_dsse_payload_and_json(bulwark, oracle):
    out, cases = oracle
    c = next(c for c in cases if c["name"] == "dsse-v03-ok")
    rc, stdout, err = run_case(bulwark, out, c)
    assert rc == 0, err
    assert json.loads(stdout) == json.loads((out / "statement.json").read_text())
    rc, stdout, err = run_case(bulwark, out, c, "-f", "json")
    doc = json.loads(stdout)
    assert doc["verified"] and doc["identity"] == c["policy"]["san"] and doc["issuer"] == c["policy"]["issuer"]
    assert doc["payload_type"] == "application/vnd.in-toto+json"
    m = next(c for c in cases if c["name"] == "msg-policy-wrong-san")
    rc, stdout, err = run_case(bulwark, out, m, "-f", "json")
    doc = json.loads(stdout)
    assert rc == 1 and not doc["verified"] and "identity" in doc["reason"]
    assert [(f["kind"], f["id"]) for f in doc["findings"]] == [("supply-chain", "BW-SC-004")]
    assert doc["reason"] in doc["findings"][0]["title"]


def test_bad_input_fails_closed(bulwark, oracle, tmp_path):
    out, cases = oracle
    c = next(c for c in cases if c["name"] == "msg-v03-ok")
    bundle = json.loads((out / c["bundle"]).read_text())
    pol = ["--certificate-identity", c["policy"]["san"], "--certificate-oidc-issuer", c["policy"]["issuer"]]

    def verify(doc, root=out / c["trusted_root"], artifact=out / "artifact.txt"):
        p = tmp_path / "b.json"
        p.write_text(doc if isinstance(doc, str) else json.dumps(doc))
        return bulwark.run(["verify", "--bundle", p, "--trusted-root", root, *pol, artifact])

    assert verify(bundle)[0] == 0
    assert verify("not json")[0] == 3
    assert verify("[" * 5000 + "]" * 5000)[0] == 3
    assert verify(dict(bundle, mediaType="application/vnd.dev.sigstore.bundle.v9+json"))[0] == 3
    corrupt = json.loads(json.dumps(bundle))
    corrupt["verificationMaterial"]["certificate"]["rawBytes"] = "!!!"
    assert verify(corrupt)[0] == 3
    # a duplicated key is refused, not resolved either way
    text = json.dumps(bundle)
    assert verify(text.replace('"messageSignature": {', '"messageSignature": {"signature": "AAAA", ', 1))[0] != 0
    # a trusted root that is not one
    (tmp_path / "root.json").write_text("{}")
    assert verify(bundle, root=tmp_path / "root.json")[0] == 1
    # a message bundle needs its artifact
    p = tmp_path / "b.json"
    p.write_text(json.dumps(bundle))
    rc, _, err = bulwark.run(["verify", "--bundle", p, "--trusted-root", out / c["trusted_root"], *pol])
    assert rc == 2 and "artifact" in err


@pytest.mark.parametrize("args,msg", [
    (["verify", "--bundle", "b"], "--trusted-root"),
    (["verify", "--bundle", "b", "--trusted-root", "t", "--certificate-identity", "i",
      "--certificate-oidc-issuer", "u", "--key", "k"], "without --key"),
    (["verify", "--bundle", "b", "--trusted-root", "t", "--certificate-identity", "i",
      "--certificate-oidc-issuer", "u", "a1", "a2"], "too many"),
])
def test_bundle_usage_errors(bulwark, args, msg):
    rc, _, err = bulwark.run(args)
    assert rc == 2 and msg in err, err
