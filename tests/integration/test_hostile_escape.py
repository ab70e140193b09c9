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

from fakeengine import FakeEngine, reply
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


# ------------------------------------------------- 2. an OCI layout reading outside it


HOST_SECRET = b"hostsecret-c0ffee:$6$salt$notarealhash:19000:0:99999:7:::\n"


def outside_files(tmp_path):
    """Files next to (not in) the layout: what a hostile manifest.json points at."""
    out = tmp_path / "host"
    out.mkdir()
    layer = layer_tar([E("root/", "dir"), E("root/.ssh/", "dir"), E("root/.ssh/id_rsa", data=rsa_key_pem())])
    (out / "layer.tar").write_bytes(layer)
    cfg = canonical(config_json([sha256(layer)]))
    (out / "config.json").write_bytes(cfg)
    (out / "shadow").write_bytes(HOST_SECRET)
    return out, layer, cfg


def layout_with_manifest_json(tmp_path, config, layers, name="layout"):
    d = tmp_path / name
    (d / "blobs" / "sha256").mkdir(parents=True)
    (d / "oci-layout").write_bytes(b'{"imageLayoutVersion":"1.0.0"}')
    (d / "manifest.json").write_bytes(canonical([{"Config": config, "RepoTags": ["x/y:1"], "Layers": layers}]))
    return d


def assert_nothing_of(text, *needles):
    for n in needles:
        assert n not in text, f"output quotes {n!r} from a file outside the input: {text[-2000:]}"


@pytest.mark.parametrize("how", ["dotdot", "absolute", "inner-dotdot"])
def test_oci_manifest_json_members_climbing_out_are_refused(bulwark, tmp_path, how):
    out, layer, cfg = outside_files(tmp_path)
    if how == "dotdot":
        c, l = "../host/config.json", "../host/layer.tar"
    elif how == "absolute":
        c, l = str(out / "config.json"), str(out / "layer.tar")
    else:
        c, l = "blobs/../../host/config.json", "blobs/../../host/layer.tar"
    d = layout_with_manifest_json(tmp_path, c, [l])
    for args in (["image", "--scanners", "secret", "-f", "json", f"oci:{d}"],
                 ["image", "cat", f"oci:{d}", "/root/.ssh/id_rsa"]):
        rc, stdout, err = bulwark.run(args, timeout=120)
        assert rc == 3, f"{args}: exit {rc}\n{stdout[-1500:]}\n{err[-1500:]}"
        assert "BEGIN RSA" not in stdout and "BW-SEC-PK" not in stdout
        assert c in err, err


def test_oci_manifest_json_error_never_quotes_a_host_file(bulwark, tmp_path):
    out, _, _ = outside_files(tmp_path)
    d = layout_with_manifest_json(tmp_path, "../host/shadow", ["../host/layer.tar"])
    rc, stdout, err = bulwark.run(["image", "inspect", f"oci:{d}"], timeout=120)
    assert rc == 3, err
    assert_nothing_of(stdout + err, "hostsecret", "c0ffee")
    # A link inside the layout that leads out of it: refused when followed.
    d2 = layout_with_manifest_json(tmp_path, "cfg/shadow", ["cfg/layer.tar"], name="linked")
    (d2 / "cfg").symlink_to(out)
    rc, stdout, err = bulwark.run(["image", "inspect", f"oci:{d2}"], timeout=120)
    assert rc == 3, err
    assert_nothing_of(stdout + err, "hostsecret", "c0ffee")
    assert "cfg/shadow" in err


def test_oci_layout_blobs_symlinked_out_of_the_layout_are_refused(bulwark, tmp_path):
    """index.json names blobs by digest; the blobs directory itself leads outside."""
    img = OciImage([benign_layer(), key_layer()])
    real = tmp_path / "elsewhere"
    img.write_dir(real)
    d = tmp_path / "layout"
    d.mkdir()
    for name in ("oci-layout", "index.json"):
        (d / name).write_bytes((real / name).read_bytes())
    (d / "blobs").symlink_to(real / "blobs")
    rc, stdout, err = bulwark.run(["image", "--scanners", "secret", "-f", "json", f"oci:{d}"], timeout=120)
    assert rc == 3, f"exit {rc}: {err[-2000:]}"
    assert "BW-SEC-PK" not in stdout
    assert "blobs/sha256/" in err, err
    # The same layout with its blobs inside scans (and finds the key).
    rc, stdout, err = bulwark.run(["image", "--scanners", "secret", "-f", "json", f"oci:{real}"], timeout=120)
    assert rc == 0 and "BW-SEC-PK-001" in stdout, err


# ------------------------------------------------- 3. a warm cache vouching for other bytes


def error_lines(err):
    return [l for l in err.splitlines() if l.startswith(ERROR_PREFIX)]


def assert_same_error_as_no_cache(bulwark, target, *names):
    """With the cache warm and with --no-cache: exit 3, the same error, naming names."""
    args = ["image", "--scanners", "packages,secret,config", "-f", "json", target]
    rc, out, err = bulwark.run(args, timeout=120)
    rc_nc, out_nc, err_nc = bulwark.run(args[:-1] + ["--no-cache", target], timeout=120)
    assert rc_nc == 3, f"--no-cache: exit {rc_nc}: {err_nc[-1500:]}"
    assert rc == 3, f"cached: exit {rc} (want 3, as --no-cache)\nstdout: {out[-1500:]}\nstderr: {err[-1500:]}"
    assert "BW-SEC-PK" not in out
    assert error_lines(err) == error_lines(err_nc), (err, err_nc)
    text = "\n".join(error_lines(err))
    for n in names:
        assert n in text, f"error does not name {n}: {text}"


def test_warm_cache_does_not_vouch_for_a_docker_archive_layer_claiming_a_cached_diff_id(bulwark, tmp_path):
    benign = benign_layer()
    a = tmp_path / "benign.tar"
    a.write_bytes(tar_bytes(list(docker_archive_files([benign]).items())))
    rc, out, err = bulwark.run(["image", "--scanners", "packages,secret,config", f"docker-archive:{a}"], timeout=120)
    assert rc == 0, err
    # The config claims the benign layer's diff_id; the layer holds a key.
    fl = docker_archive_files([key_layer()], config=config_json([sha256(benign)]))
    member = json.loads(fl["manifest.json"])[0]["Layers"][0]
    b = tmp_path / "evil.tar"
    b.write_bytes(tar_bytes(list(fl.items())))
    assert_same_error_as_no_cache(bulwark, f"docker-archive:{b}", member, hexof(sha256(benign)))


def test_warm_cache_does_not_vouch_for_an_oci_blob_that_is_not_its_digest(bulwark, tmp_path):
    good = OciImage([benign_layer()])
    a = good.write_dir(tmp_path / "benign")
    rc, out, err = bulwark.run(["image", "--scanners", "packages,secret,config", f"oci:{a}"], timeout=120)
    assert rc == 0, err
    # Digest, size and diff_id of the benign layer; the blob under that name holds a key.
    evil = OciImage([key_layer()])
    evil.config["rootfs"]["diff_ids"] = [sha256(good.layers[0]["tar"])]
    evil.layers[0]["digest"] = sha256(good.layers[0]["blob"])
    evil.layers[0]["size"] = len(good.layers[0]["blob"])
    b = evil.write_dir(tmp_path / "evil")
    assert_same_error_as_no_cache(bulwark, f"oci:{b}", hexof(sha256(good.layers[0]["blob"])))


def test_warm_cache_does_not_vouch_for_a_blob_replaced_in_place(bulwark, tmp_path):
    img = OciImage([benign_layer()])
    d = img.write_dir(tmp_path / "oci")
    rc, out, err = bulwark.run(["image", "--scanners", "packages,secret,config", f"oci:{d}"], timeout=120)
    assert rc == 0, err
    blob = d / "blobs" / "sha256" / hexof(sha256(img.layers[0]["blob"]))
    blob.write_bytes(gzip_bytes(key_layer()))
    assert_same_error_as_no_cache(bulwark, f"oci:{d}", hexof(sha256(img.layers[0]["blob"])))


# --------------------------------------------------------------- 4. terminal injection

# ESC/CSI (clear screen, colour), OSC (window title, ended by BEL), CR and BS (overwrite
# a line), DEL, a C1 CSI (U+009B) and a byte that is not UTF-8.
NASTY = "\x1b[2J\x1b[31m\x1b]0;pwned\x07\r\x08\x7f\u009b1m\xff"


def assert_terminal_safe(what, data):
    """No byte that drives a terminal: C0 but \\n and \\t, DEL, C1, invalid UTF-8."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise AssertionError(f"{what}: not UTF-8 at byte {e.start}: {data[max(0, e.start - 40):e.start + 40]!r}")
    bad = [(i, c) for i, c in enumerate(text)
           if (ord(c) < 0x20 and c not in "\n\t") or ord(c) == 0x7f or 0x80 <= ord(c) <= 0x9f]
    assert not bad, f"{what}: control characters {[(i, hex(ord(c))) for i, c in bad[:10]]} in " \
                    f"{text[max(0, bad[0][0] - 60):bad[0][0] + 60]!r}"


def nasty_image(tmp_path):
    n = NASTY
    dpkg_status = (f"Package: evil{n}pkg\nStatus: install ok installed\nArchitecture: amd64\n"
                   f"Version: 1.0{n}\nDescription: x\n\n").encode() + b"Package: bad\xfe\xffutf8\n"
    layer = layer_tar([
        E("etc/", "dir"), E("etc/os-release", data='ID=debian\nVERSION_ID="12"\n'),
        E("var/", "dir"), E("var/lib/", "dir"), E("var/lib/dpkg/", "dir"),
        E("var/lib/dpkg/status", data=dpkg_status),
        E("app/", "dir"), E("app/node_modules/", "dir"), E("app/node_modules/left-pad/", "dir"),
        E("app/node_modules/left-pad/package.json",
          data=json.dumps({"name": "left-pad", "version": "1.0.0", "license": f"MIT{n}"})),
        E(f"app/link{n}", "symlink", link=f"/target{n}"),
        E(f"app/keys{n}.pem", data=rsa_key_pem()),
    ])
    img = OciImage([layer], config={
        "Env": ["PATH=/usr/bin", f"GREETING=hi{n}", f"DB_PASSWORD=s3cr3t-{n}-value"],
        "Labels": {f"label{n}": f"value{n}"},
        "User": f"root{n}",
        "Cmd": ["/bin/sh"],
    }, history=[{"created": "2023-11-14T22:13:20Z", "created_by": f"RUN echo {n}"}])
    return img.write_dir(tmp_path / "nasty")


def nasty_osv(tmp_path):
    rec = {"schema_version": "1.6.0", "id": "GHSA-evil-evil-evil", "modified": "2024-01-01T00:00:00Z",
           "summary": f"prototype pollution{NASTY} in left-pad", "aliases": [f"CVE-2099-9{NASTY}"],
           "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
                         "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
    p = tmp_path / "osv"
    p.mkdir()
    (p / "GHSA-evil-evil-evil.json").write_text(json.dumps(rec))
    return p


def test_table_and_stderr_carry_no_terminal_control_from_an_image(bulwark, tmp_path):
    d = nasty_image(tmp_path)
    db = tmp_path / "vuln.db"
    rc, out, err = bulwark.run(["db", "import", "--db", db, nasty_osv(tmp_path)], timeout=120)
    assert rc == 0, err
    assert_terminal_safe("db import stdout", out)
    assert_terminal_safe("db import stderr", err)
    args = ["image", "--db", db, "--list-packages", f"oci:{d}"]
    rc, doc, err = bulwark.run(args[:1] + ["-f", "json"] + args[1:], timeout=120)
    assert rc == 0, err
    doc = json.loads(doc)
    # the bytes reach the report (escaped in JSON): the table below has them to show
    names = " ".join(p["name"] for p in doc["packages"])
    assert "\x1b" in names, names
    paths = " ".join(f.get("location", {}).get("path", "") for f in doc["findings"])
    assert "\x1b" in paths, paths
    assert any(f["kind"] == "vulnerability" and "\x1b" in f.get("title", "") for f in doc["findings"])
    rc, out, err = bulwark.run_bytes(args, timeout=120)
    assert rc == 0, err
    assert_terminal_safe("image table", out)
    assert_terminal_safe("image stderr", err)
    assert b"\\x1b" in out  # shown, escaped
    for cmd in (["image", "inspect"], ["image", "files"]):
        rc, out, err = bulwark.run_bytes(cmd + [f"oci:{d}"], timeout=120)
        assert rc == 0, err
        assert_terminal_safe(" ".join(cmd), out)
        assert_terminal_safe(" ".join(cmd) + " stderr", err)


def test_error_messages_carry_no_terminal_control(bulwark, tmp_path):
    """A path that climbs out, named in the error: escaped on stderr."""
    layer = layer_tar([E("app/", "dir"), E(f"app/{NASTY}/../../../escape", data="x")])
    d = OciImage([layer]).write_dir(tmp_path / "oci")
    rc, out, err = bulwark.run_bytes(["image", f"oci:{d}"], timeout=120)
    assert rc == 3, err
    assert "escape" in err
    assert_terminal_safe("error on stderr", err)
    rc, out, err = bulwark.run_bytes(["image", f"docker-archive:{tmp_path}/no{NASTY}such"], timeout=120)
    assert rc == 3
    assert_terminal_safe("error naming the target", err)


# ------------------------------------------------- 5. names that are paths to the engine


@pytest.mark.parametrize("name", [".", "..", "library/../alpine", "./alpine", "a/./b", "a//b", "/alpine",
                                  "alpine/", "%2e%2e", "%2e", "a%2f..%2fb", "..%2fjson"])
def test_docker_names_that_are_path_segments_are_refused_before_any_request(bulwark, tmp_path, name):
    with FakeEngine(tmp_path / "engine.sock", lambda m, p: None) as eng:
        rc, out, err = bulwark.run(["image", "inspect", f"docker:{name}"], env={"DOCKER_HOST": eng.host},
                                   timeout=60)
    assert rc == 2, f"docker:{name}: exit {rc}: {err}"
    assert name in err, err
    assert eng.requests == [], eng.requests


def test_engine_requests_keep_dot_segments_as_they_are(bulwark, tmp_path):
    """A hostile engine lists a container whose id is '..': the inspect request must go to
    /containers/../json as written, not be folded into another endpoint (/v1.41/json)."""
    def answer(method, path):
        if path.endswith("/containers/json?all=1"):
            return reply(200, [{"Id": ".."}, {"Id": "."}])
        if "/info" in path:
            return reply(200, {"ServerVersion": "fake"})
        return None

    with FakeEngine(tmp_path / "engine.sock", answer) as eng:
        rc, out, err = bulwark.run(["audit", "-f", "json", "--host-root", tmp_path, "--check", "5"],
                                   env={"DOCKER_HOST": eng.host}, timeout=60)
    paths = eng.paths()
    assert "/v1.41/containers/../json" in paths and "/v1.41/containers/./json" in paths, paths
    # nothing folded: /v1.41/json (../) and a second /v1.41/containers/json (./)
    assert "/v1.41/json" not in paths and "/v1.41/containers/json" not in paths, paths
