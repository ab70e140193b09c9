"""Registries on loopback for the registry tests: Debian's docker-registry in the set-ups
the tests need (plain HTTP, TLS with a CA made here, htpasswd Basic auth, Bearer tokens from
a small token server), a request-logging proxy, and helpers to push images with skopeo.

Everything listens on 127.0.0.1 on ports the kernel picks, and is stopped by the fixture
that started it (by its own process object, never by name)."""

import base64
import contextlib
import datetime
import http.server
import json
import os
import pathlib
import shutil
import socket
import socketserver
import subprocess
import threading
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc=None, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def make_ca(d, days=2):
    """A CA and a server certificate for 127.0.0.1 signed by it (openssl), valid for days.
    Returns paths."""
    d = pathlib.Path(d)
    d.mkdir(parents=True, exist_ok=True)
    ca_key, ca = d / "ca.key", d / "ca.crt"
    key, csr, crt = d / "server.key", d / "server.csr", d / "server.crt"
    run = lambda *a: subprocess.run(a, check=True, capture_output=True)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", str(days), "-subj",
        "/CN=bulwark test CA", "-keyout", str(ca_key), "-out", str(ca))
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout",
        str(key), "-out", str(csr))
    ext = d / "ext.cnf"
    ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n")
    run("openssl", "x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key),
        "-CAcreateserial", "-days", str(days), "-extfile", str(ext), "-out", str(crt))
    # a client certificate for mutual TLS, signed by the same CA
    ckey, ccsr, ccrt = d / "client.key", d / "client.csr", d / "client.cert"
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=bulwark test client", "-keyout",
        str(ckey), "-out", str(ccsr))
    cext = d / "client-ext.cnf"
    cext.write_text("extendedKeyUsage=clientAuth\n")
    run("openssl", "x509", "-req", "-in", str(ccsr), "-CA", str(ca), "-CAkey", str(ca_key),
        "-CAcreateserial", "-days", "2", "-extfile", str(cext), "-out", str(ccrt))
    return {"ca": ca, "ca_key": ca_key, "key": key, "crt": crt, "client_key": ckey, "client_cert": ccrt}


class Registry:
    """docker-registry serve on 127.0.0.1:port with its access log in .log."""

    def __init__(self, root, tls=None, htpasswd=None, token=None, client_ca=None, delete=True, extra=None):
        self.root = pathlib.Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.tls = tls
        cfg = {
            "version": 0.1,
            "log": {"level": "info", "accesslog": {"disabled": False}},
            "storage": {"filesystem": {"rootdirectory": str(self.root / "data")},
                        "delete": {"enabled": delete}},
            "http": {"addr": self.host, "secret": "bulwark-test-secret"},
        }
        if tls:
            cfg["http"]["tls"] = {"certificate": str(tls["crt"]), "key": str(tls["key"])}
            if client_ca:
                cfg["http"]["tls"]["clientcas"] = [str(client_ca)]
        if htpasswd:
            cfg["auth"] = {"htpasswd": {"realm": "bulwark-test", "path": str(htpasswd)}}
        if token:
            cfg["auth"] = {"token": token}
        for key, value in (extra or {}).items():  # top-level sections merged one level deep
            cfg[key] = {**cfg.get(key, {}), **value} if isinstance(value, dict) else value
        (self.root / "config.yml").write_text(json.dumps(cfg))  # YAML is a superset of JSON
        self.logpath = self.root / "registry.log"
        self.logf = open(self.logpath, "wb")
        self.proc = subprocess.Popen(["docker-registry", "serve", str(self.root / "config.yml")],
                                     stdout=self.logf, stderr=subprocess.STDOUT)
        wait_port(self.port, self.proc)

    def log(self):
        return self.logpath.read_text(errors="replace")

    def blob_gets(self, repo):
        """Digests of the blobs the access log shows fetched with GET from repo."""
        out = []
        for line in self.log().splitlines():
            marker = f'"GET /v2/{repo}/blobs/'
            if marker in line:
                out.append(line.split(marker, 1)[1].split(" ", 1)[0])
        return out

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.logf.close()


def skopeo_push(src, dest, fmt=None, creds=None, cert_dir=None, tls_verify=False, all_=False):
    """skopeo copy src docker://dest; fmt 'v2s2' or 'oci' chooses the manifest type."""
    cmd = ["skopeo", "copy", "--quiet"]
    if all_:
        cmd.append("--all")
    if fmt:
        cmd += ["--format", fmt]
    if cert_dir:
        cmd += ["--dest-cert-dir", str(cert_dir)]
    else:
        cmd.append(f"--dest-tls-verify={'true' if tls_verify else 'false'}")
    if creds:
        cmd += ["--dest-creds", creds]
    cmd += [src, f"docker://{dest}"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=600)


def manifest_digest(dest, cert_dir=None, creds=None):
    cmd = ["skopeo", "inspect", "--raw"]
    cmd += ["--cert-dir", str(cert_dir)] if cert_dir else ["--tls-verify=false"]
    if creds:
        cmd += ["--creds", creds]
    raw = subprocess.run(cmd + [f"docker://{dest}"], check=True, capture_output=True).stdout
    import hashlib
    return "sha256:" + hashlib.sha256(raw).hexdigest(), json.loads(raw)


# ---- a token server (Bearer) ------------------------------------------------

def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


class TokenServer:
    """A minimal Docker token server on loopback: GET /token?service=&scope= with optional
    Basic credentials answers a JWT signed with RS256 whose x5c is a certificate the
    registry trusts (rootcertbundle). Every request is logged in .requests."""

    def __init__(self, d, users):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID
        d = pathlib.Path(d)
        d.mkdir(parents=True, exist_ok=True)
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bulwark token issuer")])
        now = datetime.datetime.utcnow()
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(self.key.public_key()).serial_number(1)
                .not_valid_before(now - datetime.timedelta(days=1))
                .not_valid_after(now + datetime.timedelta(days=2)).sign(self.key, hashes.SHA256()))
        self.cert_der = cert.public_bytes(serialization.Encoding.DER)
        self.bundle = d / "token-ca.pem"
        self.bundle.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        self.users = users
        self.requests = []
        self.issued = 0
        self.port = free_port()
        self.realm = f"http://127.0.0.1:{self.port}/token"
        srv = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                srv.requests.append({"path": self.path, "auth": self.headers.get("Authorization")})
                from urllib.parse import parse_qs, urlsplit
                q = parse_qs(urlsplit(self.path).query)
                user = None
                auth = self.headers.get("Authorization")
                if auth and auth.startswith("Basic "):
                    u, _, p = base64.b64decode(auth[6:]).decode().partition(":")
                    if srv.users.get(u) != p:
                        self.send_response(401)
                        self.end_headers()
                        return
                    user = u
                access = []
                for sc in q.get("scope", []):
                    parts = sc.split(":")
                    if len(parts) == 3 and parts[0] == "repository":
                        # anonymous users may pull "public/*" only
                        if user or parts[1].startswith("public/"):
                            access.append({"type": "repository", "name": parts[1],
                                           "actions": parts[2].split(",")})
                body = json.dumps({"token": srv.sign(q.get("service", [""])[0], user, access),
                                   "expires_in": 300}).encode()
                srv.issued += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), H)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def sign(self, service, user, access):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        now = int(time.time())
        header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(self.cert_der).decode()]}
        claims = {"iss": "bulwark-test-issuer", "sub": user or "", "aud": service, "exp": now + 300,
                  "nbf": now - 10, "iat": now, "jti": f"{now}-{self.issued}", "access": access}
        signing = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
        sig = self.key.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signing + "." + b64url(sig)

    def registry_config(self):
        return {"realm": self.realm, "service": "bulwark-test-registry",
                "issuer": "bulwark-test-issuer", "rootcertbundle": str(self.bundle)}

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# ---- a request-logging server for hostile answers -----------------------------

class Hostile:
    """A loopback HTTP server whose handler is a function (handler, method) -> None.
    .requests holds (method, path, headers dict) of every request."""

    def __init__(self, respond):
        self.requests = []
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        srv = self

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def handle_one(self, method):
                srv.requests.append((method, self.path, dict(self.headers)))
                try:
                    respond(self, method)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):
                self.handle_one("GET")

            def do_HEAD(self):
                self.handle_one("HEAD")

        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), H)
        self.httpd.daemon_threads = True
        self.httpd.allow_reuse_address = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def send(h, status, body=b"", headers=None, ctype="application/json"):
    h.send_response(status)
    if ctype:
        h.send_header("Content-Type", ctype)
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if body:
        h.wfile.write(body)
