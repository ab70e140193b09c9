"""Docker Content Trust on loopback for the DCT tests: Debian's notary-signer and
notary-server (memory storage, TLS from a CA made here) and the notary client publishing
tags, as ../shared/REAL-COMPONENTS.md describes; and a plain HTTP server that serves
metadata files from a directory (tampered copies of what the real server signed).

Everything listens on 127.0.0.1 on ports the kernel picks and is stopped by whoever
started it (its own process objects, never by name)."""

import hashlib
import http.server
import json
import os
import pathlib
import subprocess
import threading
import urllib.request
import ssl

from registryutil import free_port, make_ca, wait_port

PASS = {"NOTARY_ROOT_PASSPHRASE": "rootpw", "NOTARY_TARGETS_PASSPHRASE": "targetspw",
        "NOTARY_SNAPSHOT_PASSPHRASE": "snapshotpw", "NOTARY_DELEGATION_PASSPHRASE": "delegpw"}


class Notary:
    """notary-signer, then notary-server, and a notary client configuration."""

    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.tls = make_ca(self.root / "tls")
        self.procs = []
        self.logs = []
        sport, nport = free_port(), free_port()
        self.url = f"https://127.0.0.1:{nport}"
        t = self.tls
        signer = {"server": {"grpc_addr": f"127.0.0.1:{sport}", "tls_cert_file": str(t["crt"]),
                             "tls_key_file": str(t["key"]), "client_ca_file": str(t["ca"])},
                  "storage": {"backend": "memory", "default_alias": "pass"}}
        server = {"server": {"http_addr": f"127.0.0.1:{nport}", "tls_cert_file": str(t["crt"]),
                             "tls_key_file": str(t["key"])},
                  "trust_service": {"type": "remote", "hostname": "127.0.0.1", "port": str(sport),
                                    "key_algorithm": "ecdsa", "tls_ca_file": str(t["ca"]),
                                    "tls_client_cert": str(t["client_cert"]),
                                    "tls_client_key": str(t["client_key"])},
                  "storage": {"backend": "memory"}}
        (self.root / "signer.json").write_text(json.dumps(signer))
        (self.root / "server.json").write_text(json.dumps(server))
        try:
            self._start(["notary-signer", "-config", str(self.root / "signer.json")], "signer",
                        {"NOTARY_SIGNER_PASS": "signerpw"})
            wait_port(sport, self.procs[-1], timeout=60)  # a loaded machine starts Go binaries slowly
            self._start(["notary-server", "-config", str(self.root / "server.json")], "server", {})
            wait_port(nport, self.procs[-1], timeout=60)
        except BaseException:
            self.stop()  # nothing started here outlives a failed start
            raise
        self.cfg = self.root / "client.json"
        self.cfg.write_text(json.dumps({"trust_dir": str(self.root / "trust"),
                                        "remote_server": {"url": self.url, "root_ca": str(t["ca"])}}))

    def _start(self, cmd, name, env):
        logf = open(self.root / f"{name}.log", "wb")
        self.logs.append(logf)
        self.procs.append(subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT,
                                           env={**os.environ, **env}))

    def client(self, *args, check=True):
        p = subprocess.run(["notary", "-c", str(self.cfg), *map(str, args)], capture_output=True, text=True,
                           env={**os.environ, **PASS}, timeout=120)
        if check and p.returncode != 0:
            raise RuntimeError(f"notary {' '.join(map(str, args))}: {p.stdout}{p.stderr}")
        return p

    def publish(self, gun, tag, size, sha256_hex, role=None):
        """Add tag (a manifest of size bytes and digest sha256_hex) to gun and publish; the
        first call for a gun initialises it (the server keeps the timestamp key)."""
        if not (self.root / "trust" / "tuf" / gun).exists():
            self.client("init", gun)
        extra = ["--roles", role] if role else []
        self.client("addhash", gun, tag, size, "--sha256", sha256_hex, *extra)
        self.client("publish", gun)

    def metadata(self, gun, role):
        """The metadata file of role as the server serves it (bytes)."""
        ctx = ssl.create_default_context(cafile=str(self.tls["ca"]))
        with urllib.request.urlopen(f"{self.url}/v2/{gun}/_trust/tuf/{role}.json", context=ctx,
                                    timeout=10) as r:
            return r.read()

    def stop(self):
        for p in reversed(self.procs):
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for f in self.logs:
            f.close()


class MetadataServer:
    """Serves root/v2/GUN/_trust/tuf/ROLE.json from files over plain HTTP on loopback."""

    def __init__(self, root):
        self.root = pathlib.Path(root)
        files = self.root

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                p = files / self.path.lstrip("/")
                if ".." in self.path or not p.is_file():
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                b = p.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(b)))
                self.end_headers()
                self.wfile.write(b)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def put(self, gun, role, data):
        p = self.root / "v2" / gun / "_trust" / "tuf" / f"{role}.json"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def canonical(obj):
    """Canonical JSON as Notary signs it (keys sorted, no blanks)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class TufRepo:
    """TUF metadata for one repository made here with python3-cryptography, in Notary's
    format (ECDSA P-256 keys, r||s signatures over canonical JSON, an x509 root key whose
    certificate names the repository), so a test can make what a real server would never
    serve: expired roles, thresholds not met, key id collisions, rollbacks."""

    def __init__(self, gun):
        import datetime
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
        self.gun = gun
        self.priv = {}
        self.keys = {}
        now = datetime.datetime.now(datetime.timezone.utc)
        for role in ("root", "targets", "snapshot", "timestamp"):
            k = ec.generate_private_key(ec.SECP256R1())
            if role == "root":
                name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, gun)])
                cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                        .public_key(k.public_key()).serial_number(x509.random_serial_number())
                        .not_valid_before(now - datetime.timedelta(days=1))
                        .not_valid_after(now + datetime.timedelta(days=3650)).sign(k, hashes.SHA256()))
                pub = cert.public_bytes(serialization.Encoding.PEM)
                key = {"keytype": "ecdsa-x509", "keyval": {"private": None, "public": b64(pub)}}
            else:
                der = k.public_key().public_bytes(serialization.Encoding.DER,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)
                key = {"keytype": "ecdsa", "keyval": {"private": None, "public": b64(der)}}
            kid = hashlib.sha256(canonical(key)).hexdigest()
            self.priv[role] = (kid, k)
            self.keys[kid] = key
        self.roles = {r: {"keyids": [self.priv[r][0]], "threshold": 1} for r in self.priv}
        self.targets = {}
        self.versions = {"root": 1, "targets": 1, "snapshot": 1, "timestamp": 1}
        self.expires = {r: "2099-01-01T00:00:00Z" for r in self.priv}

    def sign(self, signed, role):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
        kid, k = self.priv[role]
        r, s = decode_dss_signature(k.sign(canonical(signed), ec.ECDSA(hashes.SHA256())))
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        return canonical({"signed": signed, "signatures": [{"keyid": kid, "method": "ecdsa", "sig": b64(sig)}]})

    def add_target(self, tag, size, sha256_hex):
        self.targets[tag] = {"hashes": {"sha256": b64(bytes.fromhex(sha256_hex))}, "length": size}

    def files(self, root_signed=None):
        """{role: bytes}, each signed by its role's key; root_signed edits root's signed part."""
        root = {"_type": "Root", "consistent_snapshot": False, "expires": self.expires["root"],
                "keys": self.keys, "roles": self.roles, "version": self.versions["root"]}
        if root_signed:
            root_signed(root)
        out = {"root": self.sign(root, "root")}
        out["targets"] = self.sign({"_type": "Targets", "delegations": {"keys": {}, "roles": []},
                                    "expires": self.expires["targets"], "targets": self.targets,
                                    "version": self.versions["targets"]}, "targets")
        out["snapshot"] = self.sign({"_type": "Snapshot", "expires": self.expires["snapshot"],
                                     "meta": {r: meta(out[r]) for r in ("root", "targets")},
                                     "version": self.versions["snapshot"]}, "snapshot")
        out["timestamp"] = self.sign({"_type": "Timestamp", "expires": self.expires["timestamp"],
                                      "meta": {"snapshot": meta(out["snapshot"])},
                                      "version": self.versions["timestamp"]}, "timestamp")
        return out


def b64(b):
    import base64
    return base64.b64encode(b).decode()


def meta(b):
    return {"hashes": {"sha256": b64(hashlib.sha256(b).digest()), "sha512": b64(hashlib.sha512(b).digest())},
            "length": len(b)}
