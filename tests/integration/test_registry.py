"""Images straight from real registries: Debian's docker-registry on loopback in four
set-ups (plain HTTP, TLS with a CA made here, TLS with htpasswd Basic auth, Bearer tokens
from a token server written for the tests). Images are pushed with skopeo in Docker v2s2
and OCI forms and as a multi-platform index; `bulwark image registry:…` must report the same
packages, findings and digests as the `docker save` archive of the same image, and a second
scan must fetch no layer blob (the registry's access log says which blobs were fetched)."""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

from registryutil import (Registry, TokenServer, make_ca, manifest_digest, skopeo_push)

pytestmark = pytest.mark.skipif(not shutil.which("docker-registry") or not shutil.which("skopeo"),
                                reason="docker-registry and skopeo are needed")

DOCKERFILE = r"""FROM tiny:1
RUN mkdir -p /var/lib/dpkg /root/.aws && \
    printf 'Package: bw-registry-test\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\nMaintainer: t <t@example.org>\nDescription: x\n\n' > /var/lib/dpkg/status && \
    printf '[default]\naws_access_key_id = %s%s\naws_secret_access_key = %s%s\n' AKIA ZQ3DPLXW7HN2KT5M wJalrXUtnFEMI/K7MDENG/bPxRfiCY ZQ3DPLXW7HN2KT5M > /root/.aws/credentials
RUN echo second > /etc/motd
ENV PATH=/bin
"""

SCAN = ["--format", "json", "--list-packages", "--scanners", "packages,secret,config"]


@pytest.fixture(scope="session")
def reg_image(tiny_image, build_image, tmp_path_factory):
    d = tmp_path_factory.mktemp("regimg")
    (d / "Dockerfile").write_text(DOCKERFILE)
    return build_image("bwtest/registry-app:1", d)


@pytest.fixture(scope="session")
def reg_archive(reg_image, save):
    return save(reg_image)


@pytest.fixture(scope="session")
def plain_registry(tmp_path_factory, reg_archive):
    r = Registry(tmp_path_factory.mktemp("reg-plain"))
    skopeo_push(f"docker-archive:{reg_archive}", f"{r.host}/app:v2s2", fmt="v2s2")
    skopeo_push(f"docker-archive:{reg_archive}", f"{r.host}/app:oci", fmt="oci")
    yield r
    r.stop()


def normal(doc, inspect):
    """A report with layer digests replaced by layer indexes (an archive stores layers
    uncompressed, a registry compressed: the blob digests differ, the diff_ids do not)."""
    index = {}
    for i, l in enumerate(inspect["layers"]):
        for k in ("digest", "diff_id"):
            if l.get(k):
                index[l[k]] = i
    pk = sorted((p["name"], p["version"], p.get("ecosystem"), p.get("purl"), index.get(p.get("layer")),
                 p.get("path")) for p in doc.get("packages", []))
    fs = sorted((f["kind"], f["id"], f.get("severity"), f.get("title"),
                 json.dumps({k: v for k, v in (f.get("location") or {}).items() if k != "layer"},
                            sort_keys=True),
                 index.get((f.get("location") or {}).get("layer")))
                for f in doc["findings"])
    return pk, fs


def facts(bulwark, target, *extra, env=None):
    scan = bulwark.json(["image", *SCAN, *extra, target], env=env)
    ins = bulwark.json(["image", "inspect", "--format", "json", *extra, target], env=env)
    return scan, ins


def assert_same_image(bulwark, archive, target, *extra, env=None, same_config=True):
    """Same packages, findings and diff_ids; the same config digest too unless skopeo
    rewrote the configuration (a conversion to OCI does)."""
    a_scan, a_ins = facts(bulwark, f"docker-archive:{archive}")
    r_scan, r_ins = facts(bulwark, target, *extra, env=env)
    assert normal(r_scan, r_ins) == normal(a_scan, a_ins)
    if same_config:
        assert r_ins["config_digest"] == a_ins["config_digest"]
    assert [l["diff_id"] for l in r_ins["layers"]] == [l["diff_id"] for l in a_ins["layers"]]
    return r_scan, r_ins


@pytest.mark.parametrize("tag", ["v2s2", "oci"])
def test_plain_registry_same_as_docker_save(bulwark, plain_registry, reg_archive, tag):
    r = plain_registry
    target = f"registry:{r.host}/app:{tag}"
    scan, ins = assert_same_image(bulwark, reg_archive, target, "--insecure-registry", r.host,
                                  same_config=tag == "v2s2")
    digest, manifest = manifest_digest(f"{r.host}/app:{tag}")
    assert ins["digest"] == digest and scan["target"]["digest"] == digest
    assert ins["config_digest"] == manifest["config"]["digest"]
    assert [l["digest"] for l in ins["layers"]] == [l["digest"] for l in manifest["layers"]]
    assert any(p["name"] == "bw-registry-test" for p in scan["packages"])
    assert any(f["kind"] == "secret" for f in scan["findings"])


def test_second_scan_fetches_no_layer_blob(bulwark, plain_registry, tmp_path):
    r = plain_registry
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    target = f"registry:{r.host}/app:oci"
    _, manifest = manifest_digest(f"{r.host}/app:oci")
    layers = {l["digest"] for l in manifest["layers"]}
    before = len(r.blob_gets("app"))
    first = bulwark.json(["image", *SCAN, "--insecure-registry", r.host, target], env=env)
    fetched = r.blob_gets("app")[before:]
    assert layers <= set(fetched)
    mid = len(r.blob_gets("app"))
    second = bulwark.json(["image", *SCAN, "--insecure-registry", r.host, target], env=env)
    again = r.blob_gets("app")[mid:]
    assert not layers & set(again), f"the second scan fetched layers {again}"
    assert manifest["config"]["digest"] in again  # the config is always read
    assert first["packages"] == second["packages"] and first["findings"] == second["findings"]


def test_bare_reference_not_in_engine_is_read_from_its_registry(bulwark, plain_registry):
    r = plain_registry
    name = f"{r.host}/app:v2s2"
    ins = bulwark.json(["image", "inspect", "--format", "json", "--insecure-registry", r.host, name])
    assert ins["target"]["type"] == "registry"
    ins2 = bulwark.json(["image", "inspect", "--format", "json", "--image-src", "registry",
                         "--insecure-registry", r.host, name])
    assert ins2["config_digest"] == ins["config_digest"]
    rc, _, err = bulwark.run(["image", "inspect", "--image-src", "engine", "--insecure-registry", r.host, name])
    assert rc == 3 and "not found in the Docker Engine" in err
    rc, _, err = bulwark.run(["image", "inspect", "--image-src", "engine,ftp", name])
    assert rc == 2 and "--image-src" in err


def test_files_cat_and_sbom_read_registry_targets(bulwark, plain_registry):
    r = plain_registry
    t = f"registry:{r.host}/app:oci"
    rc, out, err = bulwark.run(["image", "cat", "--insecure-registry", r.host, t, "/etc/motd"])
    assert rc == 0 and out == "second\n", err
    files = bulwark.run(["image", "files", "--insecure-registry", r.host, t])[1]
    assert "/root/.aws/credentials" in files
    sbom = bulwark.json(["sbom", "--insecure-registry", r.host, t])
    assert any(c.get("name") == "bw-registry-test" for c in sbom.get("components", []))


def test_registry_ls_lists_repositories_and_tags(bulwark, plain_registry):
    r = plain_registry
    doc = bulwark.json(["registry", "ls", "-f", "json", "--insecure-registry", r.host, r.host])
    assert doc["schema"] == "bulwark.registry-ls/v1" and "app" in doc["repositories"]
    tags = bulwark.json(["registry", "ls", "-f", "json", "--insecure-registry", r.host, f"{r.host}/app"])
    assert sorted(tags["tags"]) == ["oci", "v2s2"]
    rc, out, _ = bulwark.run(["registry", "ls", "--insecure-registry", r.host, f"{r.host}/app"])
    assert rc == 0 and sorted(out.split()) == ["oci", "v2s2"]
    rc, _, err = bulwark.run(["registry", "ls", "--insecure-registry", r.host, f"{r.host}/nope"])
    assert rc == 3 and r.host in err and "nope" in err


def test_missing_tag_names_the_tag(bulwark, plain_registry):
    r = plain_registry
    rc, _, err = bulwark.run(["image", "inspect", "--insecure-registry", r.host, f"registry:{r.host}/app:nope"])
    assert rc == 3 and "manifest unknown" in err and "'nope'" in err and f"{r.host}" in err and "app" in err


def test_plain_http_is_refused_unless_named_insecure(bulwark, plain_registry):
    r = plain_registry
    rc, _, err = bulwark.run(["image", "inspect", f"registry:{r.host}/app:oci"])
    assert rc == 3 and "TLS" in err and r.host in err


def test_multi_platform_index(bulwark, plain_registry, reg_archive, tiny_image, save, tmp_path):
    """An OCI index of two images (amd64: the app, arm64: tiny) pushed with skopeo --all;
    --platform chooses, and each matches its own docker save archive."""
    r = plain_registry
    lay = tmp_path / "layout"
    tiny_archive = save(tiny_image)
    subprocess.run(["skopeo", "copy", "--quiet", f"docker-archive:{reg_archive}", f"oci:{lay}:app"], check=True)
    subprocess.run(["skopeo", "copy", "--quiet", f"docker-archive:{tiny_archive}", f"oci:{lay}:tiny"], check=True)
    idx = json.loads((lay / "index.json").read_text())
    by_ref = {m["annotations"]["org.opencontainers.image.ref.name"]: m for m in idx["manifests"]}
    manifests = []
    for ref, plat in (("app", {"os": "linux", "architecture": "amd64"}),
                      ("tiny", {"os": "linux", "architecture": "arm64", "variant": "v8"})):
        m = {k: by_ref[ref][k] for k in ("mediaType", "digest", "size")}
        m["platform"] = plat
        manifests.append(m)
    import hashlib
    index = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                        "manifests": manifests}).encode()
    dg = hashlib.sha256(index).hexdigest()
    (lay / "blobs" / "sha256" / dg).write_bytes(index)
    idx["manifests"].append({"mediaType": "application/vnd.oci.image.index.v1+json",
                             "digest": "sha256:" + dg, "size": len(index),
                             "annotations": {"org.opencontainers.image.ref.name": "multi"}})
    (lay / "index.json").write_text(json.dumps(idx))
    skopeo_push(f"oci:{lay}:multi", f"{r.host}/multi:1", all_=True)
    t = f"registry:{r.host}/multi:1"
    assert_same_image(bulwark, reg_archive, t, "--insecure-registry", r.host, "--platform", "linux/amd64",
                      same_config=False)
    assert_same_image(bulwark, tiny_archive, t, "--insecure-registry", r.host, "--platform", "linux/arm64",
                      same_config=False)
    rc, _, err = bulwark.run(["image", "inspect", "--insecure-registry", r.host, "--platform", "linux/s390x", t])
    assert rc == 3 and "linux/s390x" in err and "linux/arm64" in err


# ---- TLS ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def tls_registry(tmp_path_factory, reg_archive):
    d = tmp_path_factory.mktemp("reg-tls")
    pki = make_ca(d / "pki")
    r = Registry(d / "reg", tls=pki)
    certs = d / "push-certs"
    certs.mkdir()
    shutil.copy(pki["ca"], certs / "ca.crt")
    skopeo_push(f"docker-archive:{reg_archive}", f"{r.host}/app:1", fmt="oci", cert_dir=certs)
    r.pki = pki
    yield r
    r.stop()


def test_tls_with_registry_ca(bulwark, tls_registry, reg_archive):
    r = tls_registry
    assert_same_image(bulwark, reg_archive, f"registry:{r.host}/app:1", "--registry-ca", str(r.pki["ca"]),
                      same_config=False)


def test_tls_untrusted_ca_is_an_error(bulwark, tls_registry):
    r = tls_registry
    rc, _, err = bulwark.run(["image", "inspect", f"registry:{r.host}/app:1"])
    assert rc == 3 and "TLS" in err and r.host in err and "--registry-ca" in err


def test_tls_trust_from_certs_d(bulwark, tls_registry, tmp_path):
    r = tls_registry
    d = tmp_path / "certs.d" / r.host
    d.mkdir(parents=True)
    shutil.copy(r.pki["ca"], d / "ca.crt")
    env = {"BW_REGISTRY_CERTS_D": str(tmp_path / "certs.d")}
    ins = bulwark.json(["image", "inspect", "--format", "json", f"registry:{r.host}/app:1"], env=env)
    assert ins["layers"]


def test_mutual_tls_from_certs_d(bulwark, reg_archive, tmp_path):
    pki = make_ca(tmp_path / "pki")
    r = Registry(tmp_path / "reg", tls=pki, client_ca=pki["ca"])
    try:
        push = tmp_path / "push-certs"
        push.mkdir()
        shutil.copy(pki["ca"], push / "ca.crt")
        shutil.copy(pki["client_cert"], push / "client.cert")
        shutil.copy(pki["client_key"], push / "client.key")
        skopeo_push(f"docker-archive:{reg_archive}", f"{r.host}/app:1", fmt="v2s2", cert_dir=push)
        d = tmp_path / "certs.d" / r.host
        d.mkdir(parents=True)
        shutil.copy(pki["ca"], d / "ca.crt")
        env = {"BW_REGISTRY_CERTS_D": str(tmp_path / "certs.d")}
        rc, _, err = bulwark.run(["image", "inspect", f"registry:{r.host}/app:1"], env=env)
        assert rc == 3 and r.host in err  # no client certificate: the handshake is refused
        shutil.copy(pki["client_cert"], d / "client.cert")
        shutil.copy(pki["client_key"], d / "client.key")
        assert_same_image(bulwark, reg_archive, f"registry:{r.host}/app:1", env=env)
    finally:
        r.stop()


# ---- Basic auth (htpasswd) over TLS ------------------------------------------

@pytest.fixture(scope="session")
def basic_registry(tmp_path_factory, reg_archive):
    d = tmp_path_factory.mktemp("reg-basic")
    pki = make_ca(d / "pki")
    ht = d / "htpasswd"
    ht.write_text(subprocess.run(["htpasswd", "-Bbn", "alice", "s3cret-pw"], check=True,
                                 capture_output=True, text=True).stdout)
    r = Registry(d / "reg", tls=pki, htpasswd=ht)
    certs = d / "push-certs"
    certs.mkdir()
    shutil.copy(pki["ca"], certs / "ca.crt")
    skopeo_push(f"docker-archive:{reg_archive}", f"{r.host}/app:1", fmt="v2s2", cert_dir=certs,
                creds="alice:s3cret-pw")
    r.pki = pki
    yield r
    r.stop()


def test_basic_auth_required(bulwark, basic_registry):
    r = basic_registry
    rc, _, err = bulwark.run(["image", "inspect", "--registry-ca", str(r.pki["ca"]), f"registry:{r.host}/app:1"],
                             env={"DOCKER_CONFIG": "/nonexistent", "REGISTRY_AUTH_FILE": ""})
    assert rc == 3
    assert f"authentication required for {r.host}/app: run docker login {r.host} or pass --username" in err


def test_basic_auth_with_password_stdin(bulwark, basic_registry, reg_archive):
    r = basic_registry
    t = f"registry:{r.host}/app:1"
    args = ["image", "inspect", "--format", "json", "--registry-ca", str(r.pki["ca"]),
            "--username", "alice", "--password-stdin", t]
    rc, out, err = bulwark.run(args, input="s3cret-pw\n", env={"DOCKER_CONFIG": "/nonexistent"})
    assert rc == 0, err
    assert json.loads(out)["layers"]
    rc, _, err = bulwark.run(args, input="wrong\n", env={"DOCKER_CONFIG": "/nonexistent"})
    assert rc == 3 and r.host in err and "s3cret" not in err and "wrong" not in err
    rc, _, err = bulwark.run(["image", "inspect", "--username", "alice", t])
    assert rc == 2 and "--password-stdin" in err


def test_docker_login_config_and_credential_helper(bulwark, basic_registry, docker, tmp_path):
    r = basic_registry
    cfg = tmp_path / "docker-config"
    cfg.mkdir()
    p = subprocess.run(["docker", "login", "--username", "alice", "--password-stdin", r.host],
                       input="s3cret-pw", text=True, capture_output=True, env={**os.environ, **docker.env, "DOCKER_CONFIG": str(cfg)})
    if p.returncode != 0:
        pytest.skip(f"docker login failed: {p.stderr}")
    conf = json.loads((cfg / "config.json").read_text())
    assert r.host in conf["auths"]
    t = f"registry:{r.host}/app:1"
    base = ["image", "inspect", "--format", "json", "--registry-ca", str(r.pki["ca"]), t]
    rc, _, err = bulwark.run(base, env={"DOCKER_CONFIG": str(cfg)})
    assert rc == 0, err

    # the same credentials through a credential helper (credsStore) on PATH
    bindir = tmp_path / "bin"
    bindir.mkdir()
    seen = tmp_path / "helper-stdin"
    helper = bindir / "docker-credential-bwtest"
    helper.write_text("#!/bin/sh\n[ \"$1\" = get ] || exit 1\ncat > %s\n"
                      "printf '{\"ServerURL\":\"%%s\",\"Username\":\"alice\",\"Secret\":\"s3cret-pw\"}' \"$(cat %s)\"\n"
                      % (seen, seen))
    helper.chmod(0o755)
    cfg2 = tmp_path / "helper-config"
    cfg2.mkdir()
    (cfg2 / "config.json").write_text(json.dumps({"credsStore": "bwtest"}))
    env = {"DOCKER_CONFIG": str(cfg2), "PATH": f"{bindir}:{os.environ['PATH']}"}
    rc, _, err = bulwark.run(base, env=env)
    assert rc == 0, err
    assert seen.read_text() == r.host
    # credHelpers for this host wins over an auths entry with a wrong password
    (cfg2 / "config.json").write_text(json.dumps({
        "auths": {r.host: {"auth": "YWxpY2U6d3Jvbmc="}}, "credHelpers": {r.host: "bwtest"}}))
    rc, _, err = bulwark.run(base, env=env)
    assert rc == 0, err

    # containers' auth.json
    authfile = tmp_path / "auth.json"
    import base64
    authfile.write_text(json.dumps({"auths": {r.host: {"auth": base64.b64encode(b"alice:s3cret-pw").decode()}}}))
    rc, _, err = bulwark.run(base, env={"DOCKER_CONFIG": "/nonexistent", "REGISTRY_AUTH_FILE": str(authfile)})
    assert rc == 0, err


# ---- Bearer tokens ---------------------------------------------------------------

@pytest.fixture(scope="session")
def token_registry(tmp_path_factory, reg_archive):
    d = tmp_path_factory.mktemp("reg-token")
    ts = TokenServer(d / "token", {"bob": "t0ken-pw"})
    r = Registry(d / "reg", token=ts.registry_config())
    for repo in ("app", "public/app"):
        skopeo_push(f"docker-archive:{reg_archive}", f"{r.host}/{repo}:1", fmt="oci", creds="bob:t0ken-pw")
    r.ts = ts
    yield r
    r.stop()
    ts.stop()


def test_bearer_anonymous_pull(bulwark, token_registry, reg_archive):
    r = token_registry
    n = len(r.ts.requests)
    assert_same_image(bulwark, reg_archive, f"registry:{r.host}/public/app:1", "--insecure-registry", r.host,
                      env={"DOCKER_CONFIG": "/nonexistent"}, same_config=False)
    reqs = r.ts.requests[n:]
    assert reqs and all(q["auth"] is None for q in reqs)
    assert any("scope=repository%3Apublic%2Fapp%3Apull" in q["path"] for q in reqs)


def test_bearer_with_credentials(bulwark, token_registry):
    r = token_registry
    t = f"registry:{r.host}/app:1"
    rc, _, err = bulwark.run(["image", "inspect", "--insecure-registry", r.host, t],
                             env={"DOCKER_CONFIG": "/nonexistent"})
    assert rc == 3 and f"authentication required for {r.host}/app" in err
    n = len(r.ts.requests)
    rc, out, err = bulwark.run(["image", "--format", "json", "--scanners", "secret", "--insecure-registry", r.host,
                                "--username", "bob", "--password-stdin", t], input="t0ken-pw")
    assert rc == 0, err
    reqs = r.ts.requests[n:]
    assert reqs and all(q["auth"] and q["auth"].startswith("Basic ") for q in reqs)
    # one token for the repository's scope serves the manifest, the config and every layer
    assert len(reqs) == 1, reqs


# ---- the probe and raw requests (the registry hardening audit builds on them) ----

def probe_tool(bulwark):
    p = bulwark.path.parents[2] / "tests" / "unit" / "registry" / "bw-registry-probe"
    if not p.exists():
        pytest.skip(f"{p} not built")
    return p


def test_probe_describes_tls_and_challenge(bulwark, basic_registry):
    r = basic_registry
    tool = probe_tool(bulwark)
    p = subprocess.run([tool, r.host], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["tls"] and d["tls_version"] in ("TLSv1.2", "TLSv1.3") and d["cipher"]
    assert "127.0.0.1" in d["subject"] and "bulwark test CA" in d["issuer"]
    assert d["key_bits"] == 2048 and not d["self_signed"] and not d["verified"]
    assert d["status"] == 401 and d["auth_scheme"] == "basic" and d["api_version"] == "registry/2.0"
    p = subprocess.run([tool, r.host], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "BW_PROBE_CA": str(r.pki["ca"])})
    assert json.loads(p.stdout)["verified"]


def test_raw_requests_report_any_status(bulwark, plain_registry, token_registry):
    tool = probe_tool(bulwark)
    env = {**os.environ, "BW_PROBE_INSECURE": "1"}
    r = plain_registry
    p = subprocess.run([tool, r.host, "raw", "DELETE", f"/v2/app/manifests/sha256:{'0' * 64}", "repository:app:delete"],
                       capture_output=True, text=True, timeout=60, env=env)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["status"] in (202, 404, 405)
    p = subprocess.run([tool, r.host, "raw", "GET", "/v2/"], capture_output=True, text=True, timeout=60, env=env)
    d = json.loads(p.stdout)
    assert d["status"] == 200 and d["api_version"] == "registry/2.0"
    # with a scope, the Bearer challenge is answered (anonymously: pull of public/* only)
    t = token_registry
    p = subprocess.run([tool, t.host, "raw", "GET", "/v2/public/app/tags/list", "repository:public/app:pull"],
                       capture_output=True, text=True, timeout=60, env=env)
    assert json.loads(p.stdout)["status"] == 200, p.stdout + p.stderr
    p = subprocess.run([tool, t.host, "raw", "GET", "/v2/public/app/tags/list"],
                       capture_output=True, text=True, timeout=60, env=env)
    assert json.loads(p.stdout)["status"] == 401
