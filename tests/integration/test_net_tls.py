"""bulwark net tls: certificates and keys inside images (made here with python3-
cryptography, in a root filesystem directory and in an OCI layout whose upper layer
deletes a key), the engine's TCP socket from daemon.json and from probes of real
servers on the loopback (plain HTTP, TLS without client verification, TLS that
requires a client certificate), and the TLS rules of compose files and manifests."""
import datetime
import http.server
import json
import ssl
import threading

import pytest

crypto = pytest.importorskip("cryptography")
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, rsa  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

UTC = datetime.timezone.utc


def key_rsa(bits=2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def cert(subject, key, issuer=None, issuer_key=None, hash_alg=None, not_after=None, ca=False):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    iss = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]) if issuer else name
    b = (x509.CertificateBuilder().subject_name(name).issuer_name(iss).public_key(key.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(datetime.datetime(2015, 1, 1, tzinfo=UTC))
         .not_valid_after(not_after or datetime.datetime(2099, 1, 1, tzinfo=UTC)))
    if ca:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    return b.sign(issuer_key or key, hash_alg or hashes.SHA256())


def pem(c):
    return c.public_bytes(serialization.Encoding.PEM)


def key_pem(k):
    return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                           serialization.NoEncryption())


@pytest.fixture(scope="module")
def material():
    ca_key = key_rsa()
    ca = cert("Corp Root CA", ca_key, ca=True)
    leaf_key = key_rsa()
    expired_sha1 = cert("old.corp.example", leaf_key, issuer="Corp Root CA", issuer_key=ca_key,
                        hash_alg=hashes.SHA1(), not_after=datetime.datetime(2020, 6, 1, tzinfo=UTC))
    weak_key = key_rsa(1024)
    weak = cert("weak.corp.example", weak_key, issuer="Corp Root CA", issuer_key=ca_key)
    ec_key = ec.generate_private_key(ec.SECP192R1())
    weak_ec = cert("ec.corp.example", ec_key, issuer="Corp Root CA", issuer_key=ca_key)
    good_key = key_rsa()
    good = cert("good.corp.example", good_key, issuer="Corp Root CA", issuer_key=ca_key)
    bundle = b"".join(pem(cert(f"expired root {i}", key_rsa(), not_after=datetime.datetime(2019, 1, 1, tzinfo=UTC)))
                      for i in range(7))
    return dict(ca=pem(ca), expired_sha1=pem(expired_sha1), weak=pem(weak), weak_ec=pem(weak_ec), good=pem(good),
                good_key=key_pem(good_key), bundle=bundle, ca_key=ca_key, ca_cert=ca)


def by_id(report):
    out = {}
    for f in report["findings"]:
        out.setdefault(f["id"], []).append(f)
    return out


def test_certificates_in_a_root_filesystem(bulwark, tmp_path, material):
    root = tmp_path / "root"
    for d in ("usr/local/share/ca-certificates", "srv/tls", "opt/app/certs", "usr/lib/python3/certifi",
              "usr/share/ca-certificates/mozilla"):
        (root / d).mkdir(parents=True)
    (root / "usr/local/share/ca-certificates/corp.crt").write_bytes(material["ca"])
    (root / "srv/tls/old.pem").write_bytes(material["expired_sha1"])
    (root / "srv/tls/weak.crt").write_bytes(material["weak"])
    (root / "srv/tls/ec.cer").write_bytes(material["weak_ec"])
    (root / "opt/app/certs/good.crt").write_bytes(material["good"])
    (root / "opt/app/certs/good.key").write_bytes(material["good_key"])
    (root / "usr/lib/python3/certifi/cacert.pem").write_bytes(material["bundle"])
    (root / "usr/share/ca-certificates/mozilla/Old_Root.crt").write_bytes(material["expired_sha1"])
    rep = bulwark.json(["net", "tls", "-f", "json", "--image", f"dir:{root}"])
    got = {(f["id"], f["location"]["path"]) for f in rep["findings"]}
    assert got == {
        ("BW-TLS-006", "/usr/local/share/ca-certificates/corp.crt"),
        ("BW-TLS-003", "/srv/tls/old.pem"),
        ("BW-TLS-005", "/srv/tls/old.pem"),
        ("BW-TLS-004", "/srv/tls/weak.crt"),
        ("BW-TLS-004", "/srv/tls/ec.cer"),
        ("BW-TLS-007", "/opt/app/certs/good.key"),
    }, got
    ev = {f["id"] + f["location"]["path"]: f["evidence"] for f in rep["findings"]}
    assert "expired on Jun  1 00:00:00 2020 GMT" in ev["BW-TLS-003/srv/tls/old.pem"]
    assert "sha1WithRSAEncryption" in ev["BW-TLS-005/srv/tls/old.pem"]
    assert "192-bit EC key" in ev["BW-TLS-004/srv/tls/ec.cer"]
    assert "1024-bit RSA key" in ev["BW-TLS-004/srv/tls/weak.crt"]


def test_a_key_a_later_layer_deletes_still_ships(bulwark, tmp_path, material):
    from imagegen import E, OciImage, layer_tar
    low = layer_tar([E("srv", "dir"), E("srv/tls", "dir"), E("srv/tls/site.crt", data=material["good"]),
                     E("srv/tls/site.key", data=material["good_key"])])
    high = layer_tar([E("srv/tls/.wh.site.key")])
    img = OciImage([low, high])
    target = f"oci:{img.write_dir(tmp_path / 'oci')}"
    rep = bulwark.json(["net", "tls", "-f", "json", "--image", target])
    keys = by_id(rep)["BW-TLS-007"]
    assert len(keys) == 1
    loc = keys[0]["location"]
    assert loc["path"] == "/srv/tls/site.key" and loc["in_final_image"] is False
    assert loc["layer"].startswith("sha256:")


class _Ping(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"OK")

    def log_message(self, *a):
        pass


@pytest.fixture
def servers(tmp_path, material):
    """A plain HTTP server, a TLS server without client verification and one that
    requires a client certificate, on the loopback."""
    skey = key_rsa()
    scert = cert("localhost", skey, issuer="Corp Root CA", issuer_key=material["ca_key"])
    (tmp_path / "s.crt").write_bytes(pem(scert))
    (tmp_path / "s.key").write_bytes(key_pem(skey))
    (tmp_path / "ca.crt").write_bytes(pem(material["ca_cert"]))
    made = {}
    for name in ("plain", "tls", "mtls"):
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ping)
        if name != "plain":
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(tmp_path / "s.crt", tmp_path / "s.key")
            if name == "mtls":
                ctx.verify_mode = ssl.CERT_REQUIRED
                ctx.load_verify_locations(tmp_path / "ca.crt")
            srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=True)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        made[name] = srv
    yield {k: f"127.0.0.1:{v.server_address[1]}" for k, v in made.items()}
    for v in made.values():
        v.shutdown()
        v.server_close()


def test_engine_probe(bulwark, servers, tmp_path):
    empty = tmp_path / "daemon.json"
    empty.write_text("{}")
    common = ["net", "tls", "-f", "json", "--no-processes", "--daemon-config", str(empty), "--probe"]
    rep = bulwark.json(common + [servers["plain"]])
    assert [f["id"] for f in rep["findings"]] == ["BW-TLS-001"]
    assert "answers without TLS" in rep["findings"][0]["evidence"]
    rep = bulwark.json(common + [servers["tls"]])
    assert [f["id"] for f in rep["findings"]] == ["BW-TLS-002"]
    rep = bulwark.json(common + [servers["mtls"]])
    assert rep["findings"] == []
    rc, out, err = bulwark.run(["net", "tls", "--no-processes", "--daemon-config", empty, "--probe", "127.0.0.1:1"])
    assert rc == 3 and "cannot connect to 127.0.0.1:1" in err


@pytest.mark.parametrize("conf,want", [
    ({"hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"]}, ["BW-TLS-001"]),
    ({"hosts": ["tcp://0.0.0.0:2376"], "tls": True}, ["BW-TLS-002"]),
    ({"hosts": ["tcp://0.0.0.0:2376"], "tls": True, "tlsverify": True}, []),
    ({"hosts": ["unix:///var/run/docker.sock"]}, []),
])
def test_engine_daemon_json(bulwark, tmp_path, conf, want):
    f = tmp_path / "daemon.json"
    f.write_text(json.dumps(conf))
    rep = bulwark.json(["net", "tls", "-f", "json", "--no-processes", "--daemon-config", f],
                       env={"DOCKER_HOST": "unix:///nonexistent.sock"})
    assert [x["id"] for x in rep["findings"]] == want
    for x in rep["findings"]:
        assert "CIS-2.6" in x["equivalent"] and str(f) in x["evidence"]


def test_engine_command_lines(bulwark, tmp_path):
    proc = tmp_path / "proc"
    (proc / "4242").mkdir(parents=True)
    (proc / "4242" / "cmdline").write_bytes(b"/usr/bin/dockerd\0-H\0tcp://0.0.0.0:2375\0--iptables=false\0")
    (proc / "77").mkdir()
    (proc / "77" / "cmdline").write_bytes(b"/usr/sbin/sshd\0-D\0")
    (proc / "88").mkdir()
    (proc / "88" / "cmdline").write_bytes(b"dockerd\0--host=tcp://127.0.0.1:2376\0--tls\0")
    (proc / "99").mkdir()
    (proc / "99" / "cmdline").write_bytes(b"dockerd\0-H\0tcp://0.0.0.0:2376\0--tlsverify\0")
    empty = tmp_path / "daemon.json"
    empty.write_text("{}")
    rep = bulwark.json(["net", "tls", "-f", "json", "--proc", proc, "--daemon-config", empty],
                       env={"DOCKER_HOST": "unix:///nonexistent.sock"})
    got = sorted((f["id"], f["evidence"]) for f in rep["findings"])
    assert got == [("BW-TLS-001", "dockerd (pid 4242): the engine listens on tcp://0.0.0.0:2375 without TLS"),
                   ("BW-TLS-002", "dockerd (pid 88): the engine listens on tcp://127.0.0.1:2376 with TLS but "
                                  "does not verify clients (no tlsverify)")], got


def test_tls_rules_of_compose_and_manifests(bulwark, tmp_path):
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: nginx:1\n    privileged: true\n    ports: ['80:80', '127.0.0.1:6379:6379']\n"
        "    environment: {DATABASE_URL: 'postgres://u:p@db/x'}\n")
    (tmp_path / "ing.yaml").write_text(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: w, namespace: s}\n"
        "spec: {rules: [{host: a.example}]}\n")
    rep = bulwark.json(["net", "tls", "-f", "json", tmp_path])
    got = sorted((f["id"], f["location"]["line"]) for f in rep["findings"])
    assert got == [("BW-COMPOSE-025", 5), ("BW-COMPOSE-026", 6), ("BW-K8S-047", 4)], got
