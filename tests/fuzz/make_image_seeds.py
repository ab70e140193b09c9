#!/usr/bin/env python3
"""Writes the seed corpora of fuzz_image_archive and fuzz_layer: a tiny
docker-archive (legacy layout) and an OCI-in-docker-archive, and layer
blobs (plain, gzip, zstd) with whiteouts, an opaque directory, symlinks and
a hard link. Run: python3 tests/fuzz/make_image_seeds.py (writes under
tests/fuzz/corpus/)."""
import gzip, hashlib, io, json, os, subprocess, tarfile

HERE = os.path.dirname(os.path.abspath(__file__))


def layer_tar(entries):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, kind, arg in entries:
            ti = tarfile.TarInfo(name)
            ti.mtime = 0
            if kind == "dir":
                ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                t.addfile(ti)
            elif kind == "file":
                ti.size, ti.mode = len(arg), 0o644
                t.addfile(ti, io.BytesIO(arg))
            elif kind == "sym":
                ti.type, ti.linkname = tarfile.SYMTYPE, arg
                t.addfile(ti)
            elif kind == "hard":
                ti.type, ti.linkname = tarfile.LNKTYPE, arg
                t.addfile(ti)
    return b.getvalue()


L0 = layer_tar([("etc", "dir", None), ("etc/os-release", "file", b"ID=debian\nVERSION_ID=\"12\"\n"),
                ("a", "dir", None), ("a/b", "sym", "../etc"), ("a/h", "hard", "etc/os-release"),
                ("gone", "dir", None), ("gone/x", "file", b"x")])
L1 = layer_tar([(".wh.gone", "file", b""), ("etc/.wh..wh..opq", "file", b""),
                ("etc/new", "file", b"new\n"), ("loop1", "sym", "loop2"), ("loop2", "sym", "loop1")])


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def docker_archive(layers, oci_paths):
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Env": ["PATH=/bin"]},
                      "rootfs": {"type": "layers", "diff_ids": [sha(l) for l in layers]},
                      "history": [{"created_by": "seed %d" % i} for i in range(len(layers))]}).encode()
    members = []
    if oci_paths:
        cname = "blobs/sha256/" + sha(cfg)[7:]
        lnames = ["blobs/sha256/" + sha(l)[7:] for l in layers]
    else:
        cname = sha(cfg)[7:] + ".json"
        lnames = ["%d/layer.tar" % i for i in range(len(layers))]
    members.append((cname, cfg))
    members += list(zip(lnames, layers))
    members.append(("manifest.json", json.dumps([{"Config": cname, "RepoTags": ["seed:1"], "Layers": lnames}]).encode()))
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as t:
        for n, d in members:
            ti = tarfile.TarInfo(n)
            ti.size = len(d)
            t.addfile(ti, io.BytesIO(d))
    return b.getvalue()


def write(dir_, name, data):
    os.makedirs(os.path.join(HERE, "corpus", dir_), exist_ok=True)
    with open(os.path.join(HERE, "corpus", dir_, name), "wb") as f:
        f.write(data)


write("fuzz_image_archive", "legacy.tar", docker_archive([L0, L1], False))
write("fuzz_image_archive", "oci-paths.tar", docker_archive([L0], True))
write("fuzz_layer", "plain.tar", L1)
write("fuzz_layer", "layer0.tar.gz", gzip.compress(L0, mtime=0))
try:
    z = subprocess.run(["zstd", "-q", "-c"], input=L1, stdout=subprocess.PIPE, check=True).stdout
    write("fuzz_layer", "layer1.tar.zst", z)
except (OSError, subprocess.CalledProcessError):
    pass
