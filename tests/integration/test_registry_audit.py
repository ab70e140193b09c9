"""`bulwark audit registry URL [--config FILE]`: the registry hardening audit (BW-REG-NNN)
against Debian's docker-registry on loopback in the set-ups of issue #14 (plain HTTP; TLS with
a CA made here; TLS with htpasswd; deletion enabled or not), a small server for the header and
Basic-over-HTTP checks, and hostile config.yml files. Each check fires on the bad set-up and
not on the hardened one."""

import json
import os
import shutil
import subprocess

import pytest

from registryutil import Hostile, Registry, TokenServer, free_port, make_ca, send, wait_port

pytestmark = pytest.mark.skipif(not shutil.which("docker-registry"), reason="docker-registry is needed")


def audit(bulwark, *args, env=None):
    rc, out, err = bulwark.run(["audit", "registry", "--format", "json", *map(str, args)], env=env)
    assert rc == 0, err
    doc = json.loads(out)
    assert all(f["kind"] == "audit" and f["status"] == "fail" for f in doc["findings"])
    return {f["id"]: f for f in doc["findings"]}, doc


def repos_on_disk(root):
    base = root / "data" / "docker" / "registry" / "v2" / "repositories"
    return sorted(p.relative_to(base).as_posix() for p in base.rglob("*") if p.name in ("_layers", "_manifests"))


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    """Plain HTTP, no auth, deletion enabled, debug logs."""
    r = Registry(tmp_path_factory.mktemp("audit-bad"), delete=True, extra={"log": {"level": "debug"}})
    yield r
    r.stop()


@pytest.fixture(scope="module")
def tls_open(tmp_path_factory):
    """TLS with a CA made here (a 2-day certificate), no auth, deletion disabled."""
    d = tmp_path_factory.mktemp("audit-tls")
    pki = make_ca(d / "pki")
    r = Registry(d / "reg", tls=pki, delete=False)
    r.pki = pki
    yield r
    r.stop()


@pytest.fixture(scope="module")
def hardened(tmp_path_factory):
    """TLS (a year's certificate from the test CA), htpasswd, deletion disabled, health checks."""
    d = tmp_path_factory.mktemp("audit-hard")
    pki = make_ca(d / "pki", days=365)
    ht = d / "htpasswd"
    ht.write_text(subprocess.run(["htpasswd", "-Bbn", "alice", "s3cret-pw"], check=True,
                                 capture_output=True, text=True).stdout)
    r = Registry(d / "reg", tls=pki, htpasswd=ht, delete=False,
                 extra={"health": {"storagedriver": {"enabled": True, "interval": "10s", "threshold": 3}}})
    r.pki = pki
    yield r
    r.stop()


LIVE_BAD = {"BW-REG-001", "BW-REG-010", "BW-REG-011", "BW-REG-012", "BW-REG-013"}
CONFIG_BAD = {"BW-REG-030", "BW-REG-031", "BW-REG-032", "BW-REG-035", "BW-REG-036"}


def test_plain_open_registry_fails_every_access_check(bulwark, bad):
    found, doc = audit(bulwark, f"http://{bad.host}", "--config", bad.root / "config.yml")
    assert LIVE_BAD | CONFIG_BAD <= set(found), sorted(found)
    assert doc["target"] == {"type": "registry", "name": f"http://{bad.host}"}
    assert "405" in found["BW-REG-013"]["evidence"] and found["BW-REG-001"]["equivalent"] == ["BW-TLS-008"]
    assert found["BW-REG-032"]["location"]["path"].endswith("config.yml")
    # neither the TLS nor the header nor the hardened-config checks fire here
    assert not {"BW-REG-004", "BW-REG-005", "BW-REG-007", "BW-REG-020", "BW-REG-021", "BW-REG-033"} & set(found)


def test_anonymous_push_probe_writes_nothing(bulwark, bad):
    audit(bulwark, bad.host)
    log = bad.log()
    post = [l for l in log.splitlines() if '"POST /v2/' in l and "/blobs/uploads/" in l]
    cancel = [l for l in log.splitlines() if '"DELETE /v2/' in l and "/blobs/uploads/" in l]
    assert post and cancel and all('" 204 ' in l for l in cancel), log[-2000:]
    # no blob, no manifest, no repository in the catalog
    assert repos_on_disk(bad.root) == []
    assert subprocess.run(["curl", "-s", f"http://{bad.host}/v2/_catalog"], capture_output=True,
                          text=True).stdout.strip() == '{"repositories":[]}'


def test_tls_registry_with_private_ca_and_short_certificate(bulwark, tls_open):
    found, _ = audit(bulwark, tls_open.host)
    assert {"BW-REG-005", "BW-REG-007", "BW-REG-010", "BW-REG-011", "BW-REG-012"} <= set(found), sorted(found)
    assert "bulwark test CA" in found["BW-REG-007"]["evidence"]
    # TLS, delete disabled (405), a certificate for 127.0.0.1 with a 2048-bit key
    assert not {"BW-REG-001", "BW-REG-004", "BW-REG-006", "BW-REG-008", "BW-REG-013"} & set(found), sorted(found)
    # the CA its clients are given: trusted, no finding about it
    found, _ = audit(bulwark, f"https://{tls_open.host}", "--registry-ca", tls_open.pki["ca"])
    assert "BW-REG-007" not in found


def test_hardened_registry_has_no_finding(bulwark, hardened):
    found, doc = audit(bulwark, hardened.host, "--registry-ca", hardened.pki["ca"], "--config",
                       hardened.root / "config.yml")
    assert found == {}, found
    assert not doc.get("warnings"), doc.get("warnings")
    # without the CA the certificate is judged a private CA's, nothing else changes
    found, _ = audit(bulwark, hardened.host)
    assert set(found) == {"BW-REG-007"}


def test_hardened_registry_refuses_the_probes_and_nothing_is_written(bulwark, hardened):
    audit(bulwark, hardened.host, "--registry-ca", hardened.pki["ca"])
    probes = [l for l in hardened.log().splitlines() if '"bulwark/' in l and ('"POST /v2/' in l or '"DELETE /v2/' in l)]
    assert probes and all('" 401 ' in l for l in probes), probes
    assert repos_on_disk(hardened.root) == []


def test_token_realm_over_plain_http(bulwark, tmp_path):
    ts = TokenServer(tmp_path / "token", {"bob": "t0ken-pw"})
    r = Registry(tmp_path / "reg", token=ts.registry_config(), delete=False)
    try:
        found, _ = audit(bulwark, r.host)
        assert "BW-REG-014" in found and ts.realm in found["BW-REG-014"]["evidence"]
        # anonymous tokens grant pull of public/* only: no push, no catalog, no pull elsewhere
        assert not {"BW-REG-010", "BW-REG-011", "BW-REG-012", "BW-REG-013"} & set(found), sorted(found)
    finally:
        r.stop()
        ts.stop()


def test_basic_over_plain_http_and_headers(bulwark):
    def respond(h, method):
        send(h, 401, b'{"errors":[]}', {"WWW-Authenticate": 'Basic realm="r"', "X-Powered-By": "Express"})

    srv = Hostile(respond)
    try:
        found, _ = audit(bulwark, srv.host)
        assert {"BW-REG-001", "BW-REG-015", "BW-REG-020", "BW-REG-021"} <= set(found), sorted(found)
        assert "Python/" in found["BW-REG-021"]["evidence"]
        assert not {"BW-REG-010", "BW-REG-011", "BW-REG-013"} & set(found)
    finally:
        srv.stop()


def test_old_tls_and_weak_ciphers(bulwark, tls_open, tmp_path):
    # docker-registry itself offers only TLS 1.2+ with ECDHE and AES-GCM (tls_open: neither fires);
    # openssl s_server at security level 0 offers everything
    found, _ = audit(bulwark, tls_open.host)
    assert not {"BW-REG-002", "BW-REG-003"} & set(found)
    port = free_port()
    pki = tls_open.pki
    srv = subprocess.Popen(["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", str(pki["crt"]),
                            "-key", str(pki["key"]), "-www", "-cipher", "ALL:@SECLEVEL=0", "-quiet"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port, srv)
        # s_server answers GET only: the push and delete probes wait for the --timeout
        found, _ = audit(bulwark, f"127.0.0.1:{port}", "--timeout", "3")
        assert {"BW-REG-002", "BW-REG-003"} <= set(found), sorted(found)
        assert "TLS 1.0" in found["BW-REG-002"]["evidence"]
        assert "BW-REG-001" not in found
    finally:
        srv.terminate()
        srv.wait(10)


@pytest.mark.parametrize("fmt", ["table", "sarif"])
def test_every_format(bulwark, bad, fmt):
    rc, out, err = bulwark.run(["audit", "registry", "--format", fmt, bad.host])
    assert rc == 0, err
    if fmt == "sarif":
        ids = {r["ruleId"] for run in json.loads(out)["runs"] for r in run["results"]}
        assert LIVE_BAD <= ids
    else:
        assert all(i in out for i in LIVE_BAD)
    rc, _, _ = bulwark.run(["audit", "registry", "--exit-code", "4", "--severity", "HIGH", bad.host])
    assert rc == 4


def test_list_and_usage(bulwark):
    rc, out, _ = bulwark.run(["audit", "registry", "--list", "--format", "json"])
    rules = json.loads(out)
    assert rc == 0 and len(rules) >= 20 and all(r["id"].startswith("BW-REG-") for r in rules)
    assert len({r["id"] for r in rules}) == len(rules)
    assert bulwark.run(["audit", "registry"])[0] == 2
    assert bulwark.run(["audit", "registry", "ftp://x"])[0] == 2
    assert bulwark.run(["audit", "registry", "--format", "spdx", "127.0.0.1:1"])[0] == 2
    assert bulwark.run(["audit", "--config", "x"])[0] == 2
    rc, _, err = bulwark.run(["audit", "registry", "127.0.0.1:1"])
    assert rc == 3 and "127.0.0.1:1" in err


# ---- config.yml alone ------------------------------------------------------------

GOOD_CONFIG = """\
version: 0.1
log:
  level: info
storage:
  s3:
    bucket: images
    region: eu-west-1
    encrypt: true
  delete:
    enabled: false
http:
  addr: :5000
  secret: 9f2c6d1e0b7a4c3f
  tls:
    certificate: /certs/registry.crt
    key: /certs/registry.key
    minimumtls: tls1.2
auth:
  htpasswd:
    realm: registry
    path: /auth/htpasswd
health:
  storagedriver:
    enabled: true
"""

BAD_CONFIG = """\
version: 0.1
log:
  level: debug
storage:
  s3:
    bucket: images
  delete:
    enabled: true
http:
  addr: :5000
  tls:
    certificate: /certs/registry.crt
    key: /certs/registry.key
    minimumtls: tls1.0
auth:
  silly:
    realm: x
    service: y
proxy:
  remoteurl: https://registry-1.docker.io
  username: u
  password: p
validation:
  manifests:
    urls:
      allow:
        - ^https?://([^/]+\\.)*example\\.com/
"""


def test_config_only_bad_and_good(bulwark, tmp_path):
    good, bad_ = tmp_path / "good.yml", tmp_path / "bad.yml"
    good.write_text(GOOD_CONFIG)
    bad_.write_text(BAD_CONFIG)
    found, _ = audit(bulwark, "--offline", "--config", good)
    assert found == {}
    found, _ = audit(bulwark, "--offline", "--config", bad_)
    assert set(found) == {"BW-REG-031", "BW-REG-032", "BW-REG-033", "BW-REG-034", "BW-REG-035", "BW-REG-036",
                          "BW-REG-037", "BW-REG-038", "BW-REG-039"}, sorted(found)
    assert found["BW-REG-032"]["location"]["line"] == 8
    assert found["BW-REG-039"]["location"]["line"] == 14
    assert found["BW-REG-035"]["location"]["line"] == 3


@pytest.mark.parametrize("text", [
    "version: 0.1\nhttp: [unclosed\n",
    "a: &a [*a]\n",
    "- just\n- a list\n",
    "services:\n  web:\n    image: nginx\n",
    "\tversion: 0.1\n",
    "version: 0.1\nversion: 0.2\n",
    "k0: &k0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"k{i}: &k{i} [*k{i - 1}, *k{i - 1}, *k{i - 1}, *k{i - 1}, *k{i - 1}, *k{i - 1}, *k{i - 1}, *k{i - 1}]\n"
        for i in range(1, 9)),
    "version: 0.1\nlog: {level: \xff}\n",
])
def test_hostile_config_exits_3_naming_the_file(bulwark, tmp_path, text):
    p = tmp_path / "config.yml"
    p.write_bytes(text.encode("latin-1") if "\xff" in text else text.encode())
    rc, out, err = bulwark.run(["audit", "registry", "--offline", "--config", str(p)])
    assert rc == 3 and str(p) in err and out == "", err


def test_config_size_and_kind_bounds(bulwark, tmp_path):
    big = tmp_path / "big.yml"
    big.write_text("version: 0.1\n" + "#" * (2 << 20) + "\n")
    rc, _, err = bulwark.run(["audit", "registry", "--offline", "--config", str(big)])
    assert rc == 3 and str(big) in err
    fifo = tmp_path / "fifo.yml"
    os.mkfifo(fifo)
    rc, _, err = bulwark.run(["audit", "registry", "--offline", "--config", str(fifo)], timeout=30)
    assert rc == 3 and str(fifo) in err
    rc, _, err = bulwark.run(["audit", "registry", "--offline", "--config", str(tmp_path)])
    assert rc == 3 and str(tmp_path) in err
    rc, _, err = bulwark.run(["audit", "registry", "--offline", "--config", str(tmp_path / "none.yml")])
    assert rc == 3 and "none.yml" in err


def test_rule_reference_is_generated_from_the_table(bulwark, repo_root):
    """docs/rules/registry.md is what gen_registry_md.py makes of `audit registry --list`."""
    import sys
    gen = subprocess.run([sys.executable, str(repo_root / "docs/rules/gen_registry_md.py"), str(bulwark.path)],
                         capture_output=True, text=True, check=True).stdout
    assert gen == (repo_root / "docs/rules/registry.md").read_text()
    rc, out, err = bulwark.run(["audit", "registry", "--list", "-f", "json"])
    assert rc == 0, err
    ids = [r["id"] for r in json.loads(out)]
    assert len(ids) >= 25 and all(f"## {i}\n" in gen for i in ids)
