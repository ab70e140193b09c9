"""Independent implementations the supply-chain tests check bulwark against: cosign's
encrypted private-key format (python3-nacl's secretbox and python3-cryptography's scrypt),
DSSE's pre-authentication encoding, ECDSA verification of payloads (openssl dgst), and a
Go encoding/json-compatible encoder for cosign's simple-signing payload. None of this calls
bulwark's code."""

import base64
import hashlib
import json
import os
import pathlib
import subprocess

PEM_ENCRYPTED = "ENCRYPTED SIGSTORE PRIVATE KEY"


def pem_body(text, kind=None):
    lines = text.strip().splitlines()
    assert lines[0].startswith("-----BEGIN ") and lines[-1].startswith("-----END "), text[:80]
    if kind:
        assert lines[0] == f"-----BEGIN {kind}-----", lines[0]
    return base64.b64decode("".join(lines[1:-1]))


def pem_wrap(kind, der):
    b = base64.b64encode(der).decode()
    return f"-----BEGIN {kind}-----\n" + "".join(b[i:i + 64] + "\n" for i in range(0, len(b), 64)) + \
        f"-----END {kind}-----\n"


def decrypt_key(pem_text, password):
    """The PKCS#8 DER inside a cosign encrypted key, opened with nacl + scrypt."""
    import nacl.secret
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
    doc = json.loads(pem_body(pem_text, PEM_ENCRYPTED))
    assert doc["kdf"]["name"] == "scrypt" and doc["cipher"]["name"] == "nacl/secretbox"
    p = doc["kdf"]["params"]
    key = Scrypt(salt=base64.b64decode(doc["kdf"]["salt"]), length=32, n=p["N"], r=p["r"],
                 p=p["p"]).derive(password.encode())
    return nacl.secret.SecretBox(key).decrypt(base64.b64decode(doc["ciphertext"]),
                                              base64.b64decode(doc["cipher"]["nonce"])), doc


def encrypt_key(der, password, n=32768):
    """A cosign encrypted key around der (the format cosign's Go code writes)."""
    import nacl.secret
    import nacl.utils
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
    salt = os.urandom(32)
    nonce = nacl.utils.random(24)
    key = Scrypt(salt=salt, length=32, n=n, r=8, p=1).derive(password.encode())
    box = nacl.secret.SecretBox(key).encrypt(der, nonce).ciphertext
    doc = {"kdf": {"name": "scrypt", "params": {"N": n, "r": 8, "p": 1},
                   "salt": base64.b64encode(salt).decode()},
           "cipher": {"name": "nacl/secretbox", "nonce": base64.b64encode(nonce).decode()},
           "ciphertext": base64.b64encode(box).decode()}
    return pem_wrap(PEM_ENCRYPTED, json.dumps(doc, separators=(",", ":")).encode())


def new_key_pair(d, name="py", curve="P-256", password=None):
    """A key pair made by python3-cryptography: NAME.key (encrypted with password, else plain
    PKCS#8) and NAME.pub. Returns (key path, pub path)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519
    if curve == "Ed25519":
        k = ed25519.Ed25519PrivateKey.generate()
    else:
        k = ec.generate_private_key({"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}[curve])
    der = k.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption())
    d = pathlib.Path(d)
    kp, pp = d / f"{name}.key", d / f"{name}.pub"
    if password is not None:
        kp.write_text(encrypt_key(der, password))
    else:
        kp.write_text(pem_wrap("PRIVATE KEY", der))
    pp.write_bytes(k.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo))
    return kp, pp


def openssl_verify(pub, payload, sig_der, tmp, md="-sha256"):
    """openssl dgst -verify: True when sig_der is a valid signature of payload."""
    tmp = pathlib.Path(tmp)
    (tmp / "ossl.payload").write_bytes(payload)
    (tmp / "ossl.sig").write_bytes(sig_der)
    p = subprocess.run(["openssl", "dgst", md, "-verify", str(pub), "-signature", str(tmp / "ossl.sig"),
                        str(tmp / "ossl.payload")], capture_output=True, text=True)
    return p.returncode == 0 and "Verified OK" in p.stdout


def go_json_str(s):
    """A JSON string as Go's encoding/json writes it (HTML-safe escapes)."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\n\r\t\b\f":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}[ch])
        elif o < 0x20 or ch in "<>&":
            out.append("\\u%04x" % o)
        elif o in (0x2028, 0x2029):
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def cosign_payload(reference, digest, annotations=None):
    """cosign's simple-signing payload, byte for byte (json.Marshal of
    payload.SimpleContainerImage: struct fields in order, map keys sorted)."""
    opt = "null"
    if annotations:
        opt = "{" + ",".join(f"{go_json_str(k)}:{go_json_str(v)}" for k, v in sorted(annotations.items())) + "}"
    return ('{"critical":{"identity":{"docker-reference":' + go_json_str(reference) +
            '},"image":{"docker-manifest-digest":' + go_json_str(digest) +
            '},"type":"cosign container image signature"},"optional":' + opt + '}').encode()


def pae(payload_type, payload):
    """DSSE v1 pre-authentication encoding."""
    t = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)


def sha256_digest(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()
