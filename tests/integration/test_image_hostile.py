"""Hostile images: each must end with exit 3 and an error line that names the bad blob,
layer or path — never a crash (under ASan/UBSan a crash exits with another code).

The inputs are generated here (tarfile, gzip, zstd): small, deterministic, no engine.
Assertions are on the thing named (a digest, a file name, a path), not on wording.
"""

import json
import tarfile
import time

import pytest

from imagegen import (E, MT_LAYER_GZIP, MT_LAYER_TAR, MT_LAYER_ZSTD, OciImage, canonical, config_json,
                      docker_archive_files, gzip_bytes, hexof, layer_tar, sha256, write_tar)

ERROR_PREFIX = "bulwark image: error:"


def base_layers():
    return [
        layer_tar([E("bin/", "dir"), E("bin/sh", data=b"#!fake\n", mode=0o755), E("etc/", "dir"),
                   E("etc/passwd", data="root:x:0:0::/root:/bin/sh\n")]),
        layer_tar([E("app/", "dir"), E("app/main", data=b"\x7fELF" + bytes(range(256)) * 40, mode=0o755),
                   E("app/conf", data="k = v\n" * 100)]),
    ]


def expect_error(bulwark, args, *names, any_of=False):
    """Exit exactly 3; the error line names every one of names (or one, with any_of)."""
    rc, out, err = bulwark.run(args, timeout=60)
    assert rc == 3, f"bulwark {' '.join(map(str, args))}: exit {rc} (want 3)\nstderr: {err[-3000:]}"
    lines = [l for l in err.splitlines() if l.startswith(ERROR_PREFIX)]
    assert lines, f"no '{ERROR_PREFIX}' line in stderr: {err[-2000:]}"
    text = "\n".join(lines)
    found = [n for n in names if n in text]
    if any_of:
        assert found, f"error names none of {names}: {text}"
    else:
        assert found == list(names), f"error does not name {sorted(set(names) - set(found))}: {text}"
    return text


def files(target):
    return ["image", "files", str(target), "--format", "json"]


# ------------------------------------------------------------------ archive framing


def test_truncated_outer_tar(bulwark, tmp_path):
    fl = docker_archive_files(base_layers())
    full = tmp_path / "full.tar"
    write_tar(full, fl)
    size = full.stat().st_size
    # Cut inside the second layer's data: the archive ends in the middle of a member.
    layer2 = json.loads(fl["manifest.json"])[0]["Layers"][1]
    p = tmp_path / "truncated.tar"
    with tarfile.open(full) as tf:
        m = tf.getmember(layer2)
        cut = m.offset_data + m.size // 2
    p.write_bytes(full.read_bytes()[:cut])
    assert cut < size
    expect_error(bulwark, files(f"docker-archive:{p}"), p.name, layer2, layer2.split("/")[0][:12], any_of=True)


def test_truncated_layer(bulwark, tmp_path):
    """A gzip blob whose tar stream stops mid-file; its digests are those of the cut bytes,
    so only the tar reader can notice."""
    layers = base_layers()
    cut = layers[1][: len(layers[1]) // 2]
    img = OciImage([layers[0], cut])
    d = img.write_dir(tmp_path / "oci")
    blob = sha256(img.layers[1]["blob"])
    expect_error(bulwark, files(f"oci:{d}"), hexof(blob)[:12], hexof(sha256(cut))[:12], any_of=True)


def test_corrupt_gzip(bulwark, tmp_path):
    img = OciImage(base_layers())
    b = bytearray(img.layers[1]["blob"])
    for i in range(len(b) // 3, len(b) // 3 + 32):
        b[i] ^= 0x5A
    img.layers[1]["blob"] = bytes(b)  # the descriptor digest follows the corrupt bytes
    d = img.write_dir(tmp_path / "oci")
    expect_error(bulwark, files(f"oci:{d}"), hexof(sha256(bytes(b)))[:12])


def test_corrupt_zstd(bulwark, tmp_path):
    img = OciImage(base_layers(), media_type=MT_LAYER_ZSTD)
    b = bytearray(img.layers[1]["blob"])
    for i in range(len(b) // 2, len(b) // 2 + 32):
        b[i] ^= 0xA5
    img.layers[1]["blob"] = bytes(b)
    d = img.write_dir(tmp_path / "oci")
    expect_error(bulwark, files(f"oci:{d}"), hexof(sha256(bytes(b)))[:12])


def test_missing_layer_blob(bulwark, tmp_path):
    img = OciImage(base_layers())
    missing = sha256(img.layers[1]["blob"])
    img.omit_blobs.add(missing)
    d = img.write_dir(tmp_path / "oci")
    expect_error(bulwark, files(f"oci:{d}"), hexof(missing)[:12])


def test_missing_layer_in_docker_archive(bulwark, tmp_path):
    fl = docker_archive_files(base_layers())
    layer = json.loads(fl["manifest.json"])[0]["Layers"][1]
    del fl[layer]
    p = write_tar(tmp_path / "a.tar", fl)
    expect_error(bulwark, files(f"docker-archive:{p}"), layer)


def test_missing_config_blob(bulwark, tmp_path):
    img = OciImage(base_layers())
    cfg = sha256(img.config_blob())
    img.omit_blobs.add(cfg)
    d = img.write_dir(tmp_path / "oci")
    expect_error(bulwark, files(f"oci:{d}"), hexof(cfg)[:12])


# ------------------------------------------------------------------ metadata


def test_manifest_json_not_json(bulwark, tmp_path):
    fl = docker_archive_files(base_layers())
    fl["manifest.json"] = b'[{"Config": "abc.json", "Layers": ['
    p = write_tar(tmp_path / "a.tar", fl)
    expect_error(bulwark, files(f"docker-archive:{p}"), "manifest.json")


def test_index_json_not_json(bulwark, tmp_path):
    img = OciImage(base_layers())
    img.index_bytes = b"{ this is not json"
    d = img.write_dir(tmp_path / "oci")
    expect_error(bulwark, files(f"oci:{d}"), "index.json")


def test_oci_manifest_not_json(bulwark, tmp_path):
    img = OciImage(base_layers())
    img.manifest_bytes = b"\x00\x01not json"
    d = img.write_dir(tmp_path / "oci")
    expect_error(bulwark, files(f"oci:{d}"), hexof(sha256(img.manifest_bytes))[:12])


@pytest.mark.parametrize("drop", ["rootfs", "diff_ids"])
def test_config_lacking_diff_ids(bulwark, tmp_path, drop):
    img = OciImage(base_layers())
    if drop == "rootfs":
        del img.config["rootfs"]
    else:
        del img.config["rootfs"]["diff_ids"]
    d = img.write_dir(tmp_path / "oci")
    cfg = sha256(img.config_blob())
    text = expect_error(bulwark, files(f"oci:{d}"), hexof(cfg)[:12], "rootfs", "diff_ids", any_of=True)
    assert hexof(cfg)[:12] in text or drop in text


def test_config_not_json_in_docker_archive(bulwark, tmp_path):
    layers = base_layers()
    fl = docker_archive_files(layers)
    cname = json.loads(fl["manifest.json"])[0]["Config"]
    fl[cname] = b"{\"architecture\": "
    p = write_tar(tmp_path / "a.tar", fl)
    expect_error(bulwark, files(f"docker-archive:{p}"), cname.split(".")[0][:12])


# ------------------------------------------------------------------ integrity


def test_layer_digest_mismatch_names_both_digests(bulwark, tmp_path):
    img = OciImage(base_layers())
    expected = sha256(img.layers[1]["blob"])
    other = gzip_bytes(layer_tar([E("app/", "dir"), E("app/evil", data="swapped\n")]))
    actual = sha256(other)
    img.layers[1].update(blob=other, digest=expected, size=len(other))
    d = img.write_dir(tmp_path / "oci")
    expect_error(bulwark, files(f"oci:{d}"), hexof(expected), hexof(actual))


def test_config_digest_mismatch_names_both_digests(bulwark, tmp_path):
    img = OciImage(base_layers())
    good = img.config_blob()
    expected = sha256(good)
    tampered = good.replace(b'"os":"linux"', b'"os":"linux","x":1')
    assert tampered != good
    img.extra_blobs[expected] = tampered  # stored under the expected name
    m = img.manifest()
    m["config"]["size"] = len(tampered)
    img.manifest_bytes = canonical(m)
    d = img.write_dir(tmp_path / "oci")
    (d / "blobs/sha256" / hexof(expected)).write_bytes(tampered)
    expect_error(bulwark, files(f"oci:{d}"), hexof(expected), hexof(sha256(tampered)))


def test_diff_id_mismatch(bulwark, tmp_path):
    img = OciImage(base_layers())
    actual = sha256(img.layers[1]["tar"])
    wrong = sha256(b"not the layer")
    img.config["rootfs"]["diff_ids"][1] = wrong
    d = img.write_dir(tmp_path / "oci")
    expect_error(bulwark, files(f"oci:{d}"), hexof(wrong), hexof(actual))


def test_diff_id_mismatch_in_docker_archive(bulwark, tmp_path):
    layers = base_layers()
    wrong = sha256(b"something else")
    cfg = config_json([sha256(layers[0]), wrong])
    fl = docker_archive_files(layers, config=cfg)
    p = write_tar(tmp_path / "a.tar", fl)
    expect_error(bulwark, files(f"docker-archive:{p}"), hexof(wrong), hexof(sha256(layers[1])))


# ------------------------------------------------------------------ hostile entries


def one_bad_layer_image(tmp_path, entries, media_type=MT_LAYER_GZIP):
    layers = base_layers()[:1] + [layer_tar(entries)]
    img = OciImage(layers, media_type=media_type)
    return img.write_dir(tmp_path / "oci")


def test_dotdot_escaping_root(bulwark, tmp_path):
    d = one_bad_layer_image(tmp_path, [E("app/", "dir"), E("app/../../../escape-dotdot", data="evil\n")])
    expect_error(bulwark, files(f"oci:{d}"), "escape-dotdot")


def test_absolute_path_entry(bulwark, tmp_path):
    d = one_bad_layer_image(tmp_path, [E("/etc/escape-absolute", data="evil\n")])
    expect_error(bulwark, files(f"oci:{d}"), "escape-absolute")


def test_hardlink_to_missing_target(bulwark, tmp_path):
    d = one_bad_layer_image(tmp_path, [E("app/", "dir"), E("app/hl-orphan", "hardlink", link="app/no-such-target")])
    expect_error(bulwark, files(f"oci:{d}"), "hl-orphan", "no-such-target", any_of=True)


def test_header_claiming_10_gib(bulwark, tmp_path):
    """A tar header that says 10 GiB, followed by a few bytes: truncated, not a 10 GiB
    allocation or wait. Stored uncompressed so the blob is small."""
    ti = tarfile.TarInfo("app/huge-claim.bin")
    ti.size, ti.mode, ti.mtime = 10 * 1024 ** 3, 0o644, 1700000000
    hdr = ti.tobuf(format=tarfile.GNU_FORMAT)
    raw = layer_tar([E("app/", "dir")])[:512] + hdr + b"x" * 4096
    layers = base_layers()[:1] + [raw]
    img = OciImage(layers, media_type=MT_LAYER_TAR)
    d = img.write_dir(tmp_path / "oci")
    # the claim must fail at once, not be allocated or waited for: the run's own
    # time limit is the hang guard (how long it takes is bench/'s business)
    expect_error(bulwark, files(f"oci:{d}"), "huge-claim.bin", hexof(sha256(raw))[:12], any_of=True)


def test_symlink_loop_through_cat(bulwark, tmp_path):
    d = one_bad_layer_image(tmp_path, [E("app/", "dir"), E("app/loop-a", "symlink", link="loop-b"),
                                       E("app/loop-b", "symlink", link="/app/loop-a"),
                                       E("app/ok", data="fine\n"), E("app/to-ok", "symlink", link="ok")])
    rc, out, err = bulwark.run(["image", "cat", f"oci:{d}", "/app/to-ok"], timeout=60)
    assert rc == 0 and out == "fine\n", (rc, out, err)
    expect_error(bulwark, ["image", "cat", f"oci:{d}", "/app/loop-a"], "/app/loop-a")
    # Listing an image that merely contains a loop is fine.
    rc, out, err = bulwark.run(files(f"oci:{d}"), timeout=60)
    assert rc == 0, err


def test_cat_of_a_missing_path(bulwark, tmp_path):
    d = one_bad_layer_image(tmp_path, [E("app/", "dir")])
    expect_error(bulwark, ["image", "cat", f"oci:{d}", "/app/not-there"], "/app/not-there")


# ------------------------------------------------------------------ a million files


def million_files_tar(n_dirs=1000, per_dir=1000):
    """An uncompressed layer of n_dirs * per_dir empty files, written header by header."""
    out = bytearray()

    def header(name, typeflag, mode):
        ti = tarfile.TarInfo(name)
        ti.type, ti.mode, ti.mtime = typeflag, mode, 1700000000
        return ti.tobuf(format=tarfile.USTAR_FORMAT)

    template = bytearray(header("m/d0000/f0000", tarfile.REGTYPE, 0o644))
    out += header("m/", tarfile.DIRTYPE, 0o755)
    for d in range(n_dirs):
        out += header(f"m/d{d:04d}/", tarfile.DIRTYPE, 0o755)
        for f in range(per_dir):
            h = bytearray(template)
            name = f"m/d{d:04d}/f{f:04d}".encode()
            h[0:len(name)] = name
            h[148:156] = b"        "
            h[148:156] = b"%06o\0 " % sum(h)
            out += h
    out += b"\0" * 1024
    return bytes(out)


@pytest.mark.slow
def test_a_million_empty_files(bulwark, tmp_path):
    n_dirs, per_dir = 1000, 1000
    raw = million_files_tar(n_dirs, per_dir)
    layers = base_layers()[:1] + [raw]
    img = OciImage(layers, media_type=MT_LAYER_GZIP)
    d = img.write_dir(tmp_path / "oci")
    del raw, layers, img
    t0 = time.monotonic()
    rc, out, err = bulwark.run(files(f"oci:{d}"), timeout=900)
    elapsed = time.monotonic() - t0
    assert rc == 0, f"exit {rc}: {err[-2000:]}"
    listed = json.loads(out)["files"]
    under_m = [f for f in listed if f["path"].startswith("/m/")]
    assert len(under_m) == n_dirs * per_dir + n_dirs
    assert sum(1 for f in under_m if f["type"] == "file" and f["size"] == 0) == n_dirs * per_dir
    print(f"a million files: {elapsed:.1f} s")
