"""Hostile inputs that tried to make bulwark see another image than the engine would
load, or read outside its input (issue 18, "Evasion and escape").

Every input is generated here. Each test asserts the behaviour a user relies on: the
exit code, the error naming the input, and nothing of the host leaking into the report.
"""

import base64
import hashlib
import io
import json
import tarfile

import pytest

from imagegen import (E, MTIME, OciImage, canonical, config_json, docker_archive_files, gzip_bytes, hexof,
                      layer_tar, sha256)

ERROR_PREFIX = "bulwark image: error:"


def rsa_key_pem(seed=b"bulwark-hostile"):
    """A PEM block the secret scanner reports as an RSA private key (the body is not a
    real key: deterministic bytes shaped as one)."""
    body = b"".join(hashlib.sha512(seed + bytes([i])).digest() for i in range(10))
    b64 = base64.b64encode(b"\x30\x82\x04\xa4\x02\x01\x00" + body).decode()
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return ("-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END RSA PRIVATE KEY-----\n").encode()


def benign_layer():
    return layer_tar([E("etc/", "dir"), E("etc/hostname", data="benign\n"), E("app/", "dir"),
                      E("app/readme", data="nothing to see\n")])


def key_layer():
    return layer_tar([E("root/", "dir"), E("root/.ssh/", "dir"), E("root/.ssh/id_rsa", data=rsa_key_pem())])


def tar_bytes(members):
    """A plain tar of [(name, bytes)] in the order given, duplicates kept."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, b in members:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mode, ti.mtime = len(b), 0o644, MTIME
            t.addfile(ti, io.BytesIO(b))
    return buf.getvalue()


def expect_error(bulwark, args, *names, input=None, cmd="image"):
    rc, out, err = bulwark.run(args, input=input, timeout=120)
    assert rc == 3, f"bulwark {' '.join(map(str, args))}: exit {rc} (want 3)\nstdout: {out[-2000:]}\nstderr: {err[-3000:]}"
    prefix = f"bulwark {cmd}: error:"
    lines = [l for l in err.splitlines() if l.startswith(prefix)]
    assert lines, f"no '{prefix}' line in stderr: {err[-2000:]}"
    text = "\n".join(lines)
    missing = [n for n in names if n not in text]
    assert not missing, f"error does not name {missing}: {text}"
    return text


# ------------------------------------------------------- 1. duplicated metadata members


def two_manifest_docker_archive():
    """A legacy docker-archive whose first manifest.json names a benign image and whose
    second (what `docker load` takes) names an image with an RSA key in its layer."""
    benign = docker_archive_files([benign_layer()], repo_tag="evil/app:1")
    evil = docker_archive_files([benign_layer(), key_layer()], repo_tag="evil/app:1")
    members = []
    seen = set()
    members.append(("manifest.json", benign.pop("manifest.json")))
    evil_manifest = evil.pop("manifest.json")
    for fl in (benign, evil):
        for name, b in fl.items():
            if name not in seen:
                seen.add(name)
                members.append((name, b))
    members.append(("manifest.json", evil_manifest))
    return tar_bytes(members)


def two_member_oci_archive(dup):
    """An oci-archive with the member `dup` twice: for index.json, the second names an
    image with an RSA key."""
    benign = OciImage([benign_layer()])
    evil = OciImage([benign_layer(), key_layer()])
    bf, ef = benign.files(), evil.files()
    members = [(dup, bf.pop(dup))]
    second = ef.pop(dup)
    seen = {dup}
    for fl in (bf, ef):
        for name, b in fl.items():
            if name not in seen:
                seen.add(name)
                members.append((name, b))
    members.append((dup, second))
    return tar_bytes(members)


@pytest.mark.parametrize("framing", ["plain", "gzip", "pipe"])
def test_docker_archive_with_two_manifest_json_is_an_integrity_error(bulwark, tmp_path, framing):
    raw = two_manifest_docker_archive()
    if framing == "gzip":
        raw = gzip_bytes(raw)
    p = tmp_path / ("two-manifests.tar" + (".gz" if framing == "gzip" else ""))
    p.write_bytes(raw)
    if framing == "pipe":
        args, inp = ["image", "--scanners", "secret", "docker-archive:/dev/stdin"], raw
    else:
        args, inp = ["image", "--scanners", "secret", f"docker-archive:{p}"], None
    expect_error(bulwark, args, "manifest.json", input=inp)


@pytest.mark.parametrize("dup", ["index.json", "oci-layout"])
@pytest.mark.parametrize("framing", ["plain", "gzip"])
def test_oci_archive_with_a_duplicated_metadata_member_is_an_integrity_error(bulwark, tmp_path, dup, framing):
    raw = two_member_oci_archive(dup)
    if framing == "gzip":
        raw = gzip_bytes(raw)
    p = tmp_path / "dup.tar"
    p.write_bytes(raw)
    expect_error(bulwark, ["image", "--scanners", "secret", f"oci-archive:{p}"], dup)


def test_docker_archive_with_two_repositories_members_is_an_integrity_error(bulwark, tmp_path):
    fl = docker_archive_files([benign_layer()])
    members = list(fl.items()) + [("./repositories", canonical({"evil/app": {"1": "0" * 64}}))]
    p = tmp_path / "two-repositories.tar"
    p.write_bytes(tar_bytes(members))
    expect_error(bulwark, ["image", "files", f"docker-archive:{p}"], "repositories")


def test_the_malicious_image_alone_is_found(bulwark, tmp_path):
    """The control: the second manifest's image, alone, reports the key."""
    fl = docker_archive_files([benign_layer(), key_layer()])
    p = tmp_path / "evil.tar"
    p.write_bytes(tar_bytes(list(fl.items())))
    rc, out, err = bulwark.run(["image", "--scanners", "secret", "-f", "json", f"docker-archive:{p}"], timeout=120)
    assert rc == 0, err
    ids = [f["id"] for f in json.loads(out)["findings"]]
    assert "BW-SEC-PK-001" in ids, ids
