"""The Engine API client (src/engine) through bw-engine-probe: DOCKER_HOST and
the TLS environment as the docker CLI reads them, against the real engine
and against a real TLS server (openssl s_server) standing in for a
TLS-protected engine."""

import json
import os
import pathlib
import shutil
import socket
import subprocess
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def probe():
    bulwark = pathlib.Path(os.environ.get("BULWARK") or REPO / "build/src/cli/bulwark")
    if not bulwark.is_absolute():
        bulwark = REPO / bulwark
    p = bulwark.parents[2] / "tests/unit/engine/bw-engine-probe"
    if not p.exists():
        pytest.skip(f"{p} not built")

    def run(*args, env=None, timeout=60):
        e = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_")}
        e.update(env or {})
        r = subprocess.run([str(p)] + list(args), capture_output=True, text=True, env=e, timeout=timeout)
        return r.returncode, r.stdout, r.stderr

    return run


def test_docker_host_env_reaches_the_real_engine(probe, docker, tiny_image):
    cid = docker.create(tiny_image)
    try:
        rc, out, err = probe("get", "/containers/json?all=1", env={"DOCKER_HOST": docker.host})
        assert rc == 0, err
        assert err.startswith("api 1.")
        assert cid in {c["Id"] for c in json.loads(out)}
        rc, out, err = probe("get", f"/containers/{cid}/json", env={"DOCKER_HOST": docker.host})
        assert rc == 0, err
        assert json.loads(out)["HostConfig"]["NetworkMode"] == "none"
    finally:
        docker.cli("rm", "-f", cid, check=False)
    rc, out, err = probe("get", f"/containers/{cid}/json", env={"DOCKER_HOST": docker.host})
    assert rc == 3 and "error not-found: No such container" in err


def test_unreachable_host_is_named(probe, tmp_path):
    rc, out, err = probe("get", "/info", env={"DOCKER_HOST": f"unix://{tmp_path}/none.sock"})
    assert rc == 3
    assert f"cannot reach the Docker Engine at unix://{tmp_path}/none.sock: no such file or directory" in err
    rc, out, err = probe("get", "/info", env={"DOCKER_HOST": "ssh://user@host"})
    assert rc == 3 and "unsupported" in err


def _openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def tls_engine(tmp_path_factory):
    """openssl s_server on 127.0.0.1 that demands a client certificate and serves
    /version and /v1.41/info as files (-WWW), like a TLS-protected engine."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    d = tmp_path_factory.mktemp("tls")
    certs, other, www = d / "certs", d / "other", d / "www"
    for p in (certs, other, www / "v1.41"):
        p.mkdir(parents=True)
    for name in ("ca", "otherca"):
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
                 "-keyout", f"{name}.key", "-out", f"{name}.pem", cwd=d)
    for name, ext in (("server", "subjectAltName=IP:127.0.0.1"), ("client", "extendedKeyUsage=clientAuth")):
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}", "-keyout", f"{name}.key",
                 "-out", f"{name}.csr", cwd=d)
        (d / f"{name}.ext").write_text(ext + "\n")
        _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                 "-days", "2", "-extfile", f"{name}.ext", "-out", f"{name}.pem", cwd=d)
    shutil.copy(d / "ca.pem", certs / "ca.pem")
    shutil.copy(d / "client.pem", certs / "cert.pem")
    shutil.copy(d / "client.key", certs / "key.pem")
    shutil.copy(d / "otherca.pem", other / "ca.pem")
    (www / "version").write_text(json.dumps({"ApiVersion": "1.41", "MinAPIVersion": "1.12"}))
    (www / "v1.41" / "info").write_text(json.dumps({"ServerVersion": "tls-fake", "Driver": "none"}))

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    srv = subprocess.Popen(["openssl", "s_server", "-quiet", "-accept", f"127.0.0.1:{port}", "-cert",
                            str(d / "server.pem"), "-key", str(d / "server.key"), "-CAfile", str(d / "ca.pem"),
                            "-Verify", "1", "-WWW"], cwd=www, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield {"host": f"tcp://127.0.0.1:{port}", "certs": certs, "other": other, "dir": d}
    srv.terminate()
    srv.wait(timeout=10)


def test_tls_verify_with_client_certificate(probe, tls_engine):
    env = {"DOCKER_HOST": tls_engine["host"], "DOCKER_TLS_VERIFY": "1",
           "DOCKER_CERT_PATH": str(tls_engine["certs"])}
    rc, out, err = probe("get", "/info", env=env)
    assert rc == 0, err
    assert json.loads(out)["ServerVersion"] == "tls-fake"
    assert "api 1.41 host " + tls_engine["host"] in err


def test_tls_verify_rejects_a_server_from_another_ca(probe, tls_engine):
    other = tls_engine["other"]
    for f in ("cert.pem", "key.pem"):
        shutil.copy(tls_engine["certs"] / f, other / f)
    env = {"DOCKER_HOST": tls_engine["host"], "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(other)}
    rc, out, err = probe("get", "/info", env=env)
    assert rc == 3
    assert "error remote: TLS with the Docker Engine at " + tls_engine["host"] in err


def test_tls_without_client_certificate_is_refused(probe, tls_engine, tmp_path):
    shutil.copy(tls_engine["certs"] / "ca.pem", tmp_path / "ca.pem")
    env = {"DOCKER_HOST": tls_engine["host"], "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(tmp_path)}
    rc, out, err = probe("get", "/info", env=env)
    assert rc == 3 and "error remote:" in err and tls_engine["host"] in err


def test_tls_verify_without_ca_is_an_error(probe, tls_engine, tmp_path):
    env = {"DOCKER_HOST": tls_engine["host"], "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(tmp_path)}
    rc, out, err = probe("get", "/info", env=env)
    assert rc == 3 and "ca.pem cannot be read" in err


def test_plain_http_to_a_tls_engine_fails_cleanly(probe, tls_engine):
    rc, out, err = probe("--timeout", "3000", "get", "/info", env={"DOCKER_HOST": tls_engine["host"]})
    assert rc == 3 and "error remote:" in err and tls_engine["host"] in err
