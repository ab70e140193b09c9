"""`bulwark verify --dct`: Docker Content Trust (Notary v1) against Debian's real
notary-signer and notary-server on loopback beside docker-registry, the tags published
with the real notary client (init, addhash, publish; a targets/releases delegation as
`docker trust signer add` makes). What the server signed verifies; an unsigned tag, a
wrong target hash, tampered metadata (served from copies), a rollback to older metadata,
and metadata made here that a real server would not serve (expired, a threshold not met, a
key id collision, a root for another repository) are denied naming the role and why."""

import hashlib
import json
import shutil
import subprocess

import pytest

from notaryutil import PASS, MetadataServer, Notary, TufRepo, canonical
from registryutil import Registry, skopeo_push
from test_trust_sign import oci_layout, raw

pytestmark = pytest.mark.skipif(
    not all(shutil.which(c) for c in ("docker-registry", "skopeo", "notary", "notary-server", "notary-signer")),
    reason="docker-registry, skopeo and notary (client, server, signer) are needed")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A registry with app:v1, app:v2 and rel:v1 pushed; a notary server where app:v1 is
    signed in targets, rel:v1 by a targets/releases delegation, and tag v3 of app for another
    manifest (the registry's app:v3 is app:v1's)."""
    reg = Registry(tmp_path_factory.mktemp("reg-dct"))
    n = Notary(tmp_path_factory.mktemp("notary"))
    try:
        man = {}
        for name, tag in (("app", "v1"), ("app", "v2"), ("rel", "v1")):
            d = tmp_path_factory.mktemp(f"oci-dct-{name}-{tag}")
            oci_layout(d, f"dct {name} {tag}\n".encode())
            skopeo_push(f"oci:{d}:latest", f"{reg.host}/{name}:{tag}")
            man[f"{name}:{tag}"] = raw(reg, f"{name}:{tag}")
        subprocess.run(["skopeo", "copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false",
                        f"docker://{reg.host}/app:v1", f"docker://{reg.host}/app:v3"], check=True,
                       capture_output=True)
        gun = f"{reg.host}/app"
        m = man["app:v1"]
        n.publish(gun, "v1", len(m), hashlib.sha256(m).hexdigest())
        old = {r: n.metadata(gun, r) for r in ("root", "timestamp", "snapshot", "targets")}
        n.publish(gun, "v3", len(m) + 1, hashlib.sha256(b"another").hexdigest())  # v3: not app:v1
        # a delegation: a key and certificate of our own, as `docker trust signer add` does
        rgun = f"{reg.host}/rel"
        kd = n.root / "deleg"
        kd.mkdir()
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-days", "30", "-subj", "/CN=releaser", "-keyout", str(kd / "d.key"),
                        "-out", str(kd / "d.crt")], check=True, capture_output=True)
        n.client("init", rgun)
        n.client("delegation", "add", rgun, "targets/releases", kd / "d.crt", "--all-paths")
        n.client("publish", rgun)
        n.client("key", "import", kd / "d.key", "--role", "targets/releases", "--gun", rgun)
        r = man["rel:v1"]
        n.publish(rgun, "v1", len(r), hashlib.sha256(r).hexdigest(), role="targets/releases")
        yield {"reg": reg, "notary": n, "man": man, "old": old}
    finally:
        n.stop()
        reg.stop()


def dct(bulwark, env, target, *extra, server=None, cache=None):
    return bulwark.run(["verify", "--dct", "--trust-server", server or env["notary"].url, "--registry-ca",
                        env["notary"].tls["ca"], "--insecure-registry", env["reg"].host, *map(str, extra),
                        f"{env['reg'].host}/{target}"], env={"XDG_CACHE_HOME": str(cache)} if cache else None)


def test_signed_tag_verifies_and_root_is_pinned(bulwark, env):
    rc, out, err = dct(bulwark, env, "app:v1", "-f", "json")
    assert rc == 0, err
    doc = json.loads(out)
    m = env["man"]["app:v1"]
    assert doc["verified"] and doc["digest"] == "sha256:" + hashlib.sha256(m).hexdigest()
    assert doc["dct"]["role"] == "targets" and doc["dct"]["root_pinned_now"]
    assert doc["findings"] == []
    assert "pinned on first use" in err
    # the second time the pinned root is used
    rc, out, err = dct(bulwark, env, "app:v1")
    assert rc == 0 and "signed by targets" in out and "pinned" not in err, err


def test_delegation_targets_releases(bulwark, env):
    # the server from Docker's variable, as DOCKER_CONTENT_TRUST_SERVER names it to docker
    rc, out, err = bulwark.run(["verify", "--dct", "--registry-ca", env["notary"].tls["ca"], "--insecure-registry",
                                env["reg"].host, f"{env['reg'].host}/rel:v1"],
                               env={"DOCKER_CONTENT_TRUST_SERVER": env["notary"].url})
    assert rc == 0, err
    assert f"signed by targets/releases (Docker Content Trust, {env['notary'].url})" in out


def test_unsigned_tag_wrong_hash_and_no_trust_data(bulwark, env, tmp_path):
    rc, out, err = dct(bulwark, env, "app:v2", "-f", "json")
    assert rc == 1 and "targets: no signed target for tag v2" in err, err
    doc = json.loads(out)
    assert not doc["verified"] and doc["reason"].startswith("targets: no signed target for tag v2")
    assert [(f["kind"], f["id"]) for f in doc["findings"]] == [("supply-chain", "BW-SC-003")]
    assert doc["reason"] in doc["findings"][0]["title"]
    rc, _, err = dct(bulwark, env, "app:v3")
    assert rc == 1 and "targets: tag v3 is signed for sha256:" in err and "but the registry serves" in err, err
    # a repository never initialised on the trust server
    s = MetadataServer(tmp_path / "empty")
    try:
        rc, _, err = dct(bulwark, env, "app:v1", server=s.url)
    finally:
        s.stop()
    assert rc == 1 and "no trust data" in err, err


def serve(tmp_path, gun, files):
    s = MetadataServer(tmp_path / "srv")
    for role, data in files.items():
        s.put(gun, role, data)
    return s


def current(env, gun):
    return {r: env["notary"].metadata(gun, r) for r in ("root", "timestamp", "snapshot", "targets")}


def tamper(b, old, new):
    assert old in b
    return b.replace(old, new, 1)


def test_tampered_metadata_is_denied(bulwark, env, tmp_path):
    gun = f"{env['reg'].host}/app"
    files = current(env, gun)
    cases = {
        # the tag moved to another length: targets' bytes no longer those snapshot signed
        "targets": ("targets: ", "not the"),
        # a signed field changed: the signature no longer verifies
        "timestamp": ("timestamp: 0 of the 1 required signatures verify", ""),
    }
    for role, (want, also) in cases.items():
        f = dict(files)
        if role == "targets":
            doc = json.loads(f["targets"])
            doc["signed"]["targets"]["v1"]["length"] += 1
            f["targets"] = canonical(doc)
        else:
            doc = json.loads(f["timestamp"])
            doc["signed"]["version"] += 5
            f["timestamp"] = canonical(doc)
        s = serve(tmp_path / role, gun, f)
        try:
            rc, _, err = dct(bulwark, env, "app:v1", server=s.url)
        finally:
            s.stop()
        assert rc == 1 and want in err and also in err, (role, err)
    # the untampered copies verify from the same kind of server
    s = serve(tmp_path / "good", gun, files)
    try:
        rc, _, err = dct(bulwark, env, "app:v1", server=s.url)
    finally:
        s.stop()
    assert rc == 0, err


def test_rollback_to_older_metadata_is_denied(bulwark, env, tmp_path):
    gun = f"{env['reg'].host}/app"
    rc, _, err = dct(bulwark, env, "app:v1")  # remembers the current versions
    assert rc == 0, err
    s = serve(tmp_path, gun, env["old"])  # what the server signed before v3 was added
    try:
        rc, _, err = dct(bulwark, env, "app:v1", server=s.url)
    finally:
        s.stop()
    assert rc == 1 and "seen before (a rollback)" in err, err


def synthetic(env, tmp_path, bulwark, edit):
    """app:v1 signed in metadata made here, edited by edit(TufRepo), with a cache of its own
    (nothing pinned)."""
    gun = f"{env['reg'].host}/app"
    m = env["man"]["app:v1"]
    t = TufRepo(gun)
    t.add_target("v1", len(m), hashlib.sha256(m).hexdigest())
    files = edit(t)
    s = serve(tmp_path, gun, files)
    try:
        return dct(bulwark, env, "app:v1", server=s.url, cache=tmp_path / "cache")
    finally:
        s.stop()


def test_metadata_a_server_would_not_serve(bulwark, env, tmp_path):
    # (metadata made here that is not edited verifies: see the --dct-root case below)
    def expired(t):
        t.expires["timestamp"] = "2020-01-01T00:00:00Z"
        return t.files()
    rc, _, err = synthetic(env, tmp_path / "exp", bulwark, expired)
    assert rc == 1 and "timestamp: expired on 2020-01-01T00:00:00Z" in err, err

    def threshold(t):
        t.roles["targets"]["threshold"] = 2
        t.roles["targets"]["keyids"].append(t.priv["snapshot"][0])
        return t.files()
    rc, _, err = synthetic(env, tmp_path / "thr", bulwark, threshold)
    assert rc == 1 and "targets: 1 of the 2 required signatures verify" in err, err

    def collision(t):
        # the targets key id now names the snapshot key
        kid = t.priv["targets"][0]
        t.keys[kid] = t.keys[t.priv["snapshot"][0]]
        return t.files()
    rc, _, err = synthetic(env, tmp_path / "col", bulwark, collision)
    assert rc == 1 and "does not match the key it names (a key id collision)" in err, err

    def other_repo(t):
        other = TufRepo("127.0.0.1:1/elsewhere")  # a root whose certificate names another repository
        t.keys.pop(t.priv["root"][0])
        t.priv["root"] = other.priv["root"]
        t.keys[other.priv["root"][0]] = other.keys[other.priv["root"][0]]
        t.roles["root"] = {"keyids": [other.priv["root"][0]], "threshold": 1}
        return t.files()
    rc, _, err = synthetic(env, tmp_path / "oth", bulwark, other_repo)
    assert rc == 1 and "root: key" in err and "does not name the repository" in err, err


def test_pinned_root_refuses_a_new_root_it_did_not_sign(bulwark, env, tmp_path):
    gun = f"{env['reg'].host}/app"
    rc, _, err = dct(bulwark, env, "app:v1")  # pins the real root
    assert rc == 0, err
    # a whole new repository's metadata for the same name: a valid chain, but not the pinned root
    m = env["man"]["app:v1"]
    t = TufRepo(gun)
    t.add_target("v1", len(m), hashlib.sha256(m).hexdigest())
    s = serve(tmp_path, gun, t.files())
    try:
        rc, _, err = dct(bulwark, env, "app:v1", server=s.url)
        assert rc == 1 and "root: version 1 differs from the pinned root" in err, err
        # given as the root to trust, it verifies
        (tmp_path / "root.json").write_bytes((s.root / "v2" / gun / "_trust" / "tuf" / "root.json").read_bytes())
        rc, _, err = dct(bulwark, env, "app:v1", "--dct-root", tmp_path / "root.json", server=s.url)
    finally:
        s.stop()
    assert rc == 0, err


@pytest.mark.parametrize("args,code,msg", [
    (["--dct", "--key", "k.pub", "x/y:1"], 2, "--dct goes without --key"),
    (["--trust-server", "https://n", "x/y:1"], 2, "go with --dct"),
    (["--dct", "--trust-server", "ftp://n", "127.0.0.1:1/y:1"], 3, None),
])
def test_dct_usage(bulwark, args, code, msg):
    rc, _, err = bulwark.run(["verify", *args])
    assert rc == code, err
    if msg:
        assert msg in err
