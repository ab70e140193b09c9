"""`bulwark key generate`: the key pair cosign's format describes, checked by an independent
implementation (python3-nacl's secretbox, python3-cryptography's scrypt and key parsing),
the password sources, file modes, and what it refuses."""

import os
import stat
import subprocess

import pytest

from trustutil import decrypt_key


def test_generated_key_opens_with_nacl_and_scrypt(bulwark, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    rc, out, err = bulwark.run(["key", "generate", "--output-key-prefix", tmp_path / "k"],
                               env={"BULWARK_PASSWORD": "correct horse"})
    assert rc == 0, err
    assert "k.key" in err and "k.pub" in err
    key_text = (tmp_path / "k.key").read_text()
    der, doc = decrypt_key(key_text, "correct horse")
    assert doc["kdf"]["params"] == {"N": 65536, "r": 8, "p": 1}
    import base64
    assert len(base64.b64decode(doc["kdf"]["salt"])) == 32
    assert len(base64.b64decode(doc["cipher"]["nonce"])) == 24
    priv = serialization.load_der_private_key(der, None)
    assert isinstance(priv, ec.EllipticCurvePrivateKey) and priv.curve.name == "secp256r1"
    pub = serialization.load_pem_public_key((tmp_path / "k.pub").read_bytes())
    assert pub.public_numbers() == priv.public_key().public_numbers()
    assert (tmp_path / "k.pub").read_text().startswith("-----BEGIN PUBLIC KEY-----\n")
    assert stat.S_IMODE(os.stat(tmp_path / "k.key").st_mode) == 0o600
    # a wrong password does not open it
    from nacl.exceptions import CryptoError
    with pytest.raises(CryptoError):
        decrypt_key(key_text, "wrong")


def test_cosign_password_and_empty_password(bulwark, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("BULWARK_PASSWORD", "COSIGN_PASSWORD")}
    env["COSIGN_PASSWORD"] = "from-cosign"
    p = subprocess.run([str(bulwark.path), "key", "generate", "--output-key-prefix", str(tmp_path / "c")],
                       env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    decrypt_key((tmp_path / "c.key").read_text(), "from-cosign")
    rc, _, err = bulwark.run(["key", "generate", "--output-key-prefix", tmp_path / "e"],
                             env={"BULWARK_PASSWORD": ""})
    assert rc == 0, err
    decrypt_key((tmp_path / "e.key").read_text(), "")


def test_default_prefix_and_no_overwrite(bulwark, tmp_path):
    rc, _, err = bulwark.run(["key", "generate"], env={"BULWARK_PASSWORD": "x"}, cwd=tmp_path)
    assert rc == 0, err
    assert (tmp_path / "cosign.key").exists() and (tmp_path / "cosign.pub").exists()
    before = (tmp_path / "cosign.key").read_bytes()
    rc, _, err = bulwark.run(["key", "generate"], env={"BULWARK_PASSWORD": "x"}, cwd=tmp_path)
    assert rc == 3 and "cosign.key already exists" in err
    assert (tmp_path / "cosign.key").read_bytes() == before


def test_no_password_without_a_terminal(bulwark, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("BULWARK_PASSWORD", "COSIGN_PASSWORD")}
    p = subprocess.run([str(bulwark.path), "key", "generate", "--output-key-prefix", str(tmp_path / "n")],
                       env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                       start_new_session=True)
    assert p.returncode == 3
    assert "BULWARK_PASSWORD" in p.stderr
    assert not (tmp_path / "n.key").exists()


@pytest.mark.parametrize("args,msg", [
    (["key"], "missing subcommand"),
    (["key", "make"], "unknown subcommand"),
    (["key", "generate", "extra"], "no operand"),
    (["key", "generate", "--output-key-prefix", ""], "needs a name"),
])
def test_usage_errors(bulwark, args, msg):
    rc, _, err = bulwark.run(args)
    assert rc == 2 and msg in err
