"""Generators of hostile inputs too large to build in memory with imagegen: layers written
as a stream (header templates, compressed on the fly), and an OCI layout around them.
Used by the integration tests (test_hostile_time.py) and by bench/hostile/run.sh, so the
time a case takes is recorded with the same input the test guards.

    from hostilegen import deep_paths_layout
    d = deep_paths_layout(tmp_path / "deep", n_files=40000, depth=2040)
"""

import gzip
import hashlib
import io
import json
import pathlib
import tarfile

from imagegen import MT_LAYER_GZIP, MT_LAYER_ZSTD, MT_OCI_CONFIG, MT_OCI_INDEX, MT_OCI_MANIFEST, MTIME, canonical, config_json


class _Sink:
    """Writes compressed bytes to a file while hashing both sides."""

    def __init__(self, path, level=1):
        self.path = pathlib.Path(path)
        self.raw = open(self.path, "wb")
        self.blob_hash = hashlib.sha256()
        self.tar_hash = hashlib.sha256()
        self.gz = gzip.GzipFile(fileobj=self, mode="wb", compresslevel=level, mtime=0)

    # the file object gzip writes to
    def write(self, b):
        self.blob_hash.update(b)
        self.raw.write(b)
        return len(b)

    def flush(self):
        pass

    def add(self, b):
        self.tar_hash.update(b)
        self.gz.write(b)

    def close(self):
        self.gz.close()
        self.raw.close()
        return ("sha256:" + self.blob_hash.hexdigest(), "sha256:" + self.tar_hash.hexdigest(),
                self.path.stat().st_size)


def _pax_entry(path, typeflag=tarfile.REGTYPE, mode=0o644):
    """A PAX extended header carrying path, then a ustar header (empty file or dir)."""
    ti = tarfile.TarInfo(path)
    ti.type, ti.mode, ti.mtime = typeflag, mode, MTIME
    return ti.tobuf(format=tarfile.PAX_FORMAT)


def deep_paths_tar(sink, n_files, depth):
    """n_files empty files in one directory `depth` levels deep ("d/d/…/d/f0000001"), the
    directories not listed (the engine makes them, as bulwark's implied parents)."""
    prefix = "d/" * depth
    template = _pax_entry(prefix + "f%07d" % 0)
    marker = ("f%07d" % 0).encode()
    at = template.index(marker)
    for i in range(n_files):
        # same length, so the PAX record's length and every header checksum stay valid
        sink.add(template[:at] + b"f%07d" % i + template[at + len(marker):])
    sink.add(b"\0" * 1024)


def write_layout(d, layers, config=None, media_type=MT_LAYER_GZIP):
    """An OCI layout around blobs already written to d/blobs/sha256/<hex>:
    layers = [(digest, diff_id, size)]."""
    d = pathlib.Path(d)
    cfg = canonical(config if config is not None else config_json([l[1] for l in layers]))
    blobs = d / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)

    def put(b):
        dg = "sha256:" + hashlib.sha256(b).hexdigest()
        (blobs / dg[7:]).write_bytes(b)
        return dg

    manifest = canonical({"schemaVersion": 2, "mediaType": MT_OCI_MANIFEST,
                          "config": {"mediaType": MT_OCI_CONFIG, "digest": put(cfg), "size": len(cfg)},
                          "layers": [{"mediaType": media_type, "digest": dg, "size": size}
                                     for dg, _, size in layers]})
    index = {"schemaVersion": 2, "mediaType": MT_OCI_INDEX,
             "manifests": [{"mediaType": MT_OCI_MANIFEST, "digest": put(manifest), "size": len(manifest),
                            "annotations": {"org.opencontainers.image.ref.name": "1"}}]}
    (d / "index.json").write_bytes(canonical(index))
    (d / "oci-layout").write_bytes(b'{"imageLayoutVersion":"1.0.0"}')
    return d


def streamed_layer(d, fill):
    """Write one gzip layer blob into d/blobs/sha256 with fill(sink); (digest, diff_id, size)."""
    blobs = pathlib.Path(d) / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)
    tmp = blobs / "layer.tmp"
    sink = _Sink(tmp)
    fill(sink)
    dg, diff_id, size = sink.close()
    tmp.rename(blobs / dg[7:])
    return dg, diff_id, size


def deep_paths_layout(d, n_files=40000, depth=2040):
    layer = streamed_layer(d, lambda s: deep_paths_tar(s, n_files, depth))
    return write_layout(d, [layer])


def cyclonedx_vex_many_refs(n):
    """A CycloneDX VEX of n components and n vulnerabilities, each affecting one component
    by bom-ref (the last components first): JSON text."""
    comps = [{"bom-ref": "c%d" % i, "purl": "pkg:npm/p%d@1.0.0" % i} for i in range(n)]
    vulns = [{"id": "CVE-2024-%07d" % i, "analysis": {"state": "not_affected"},
              "affects": [{"ref": "c%d" % (n - 1 - i)}]} for i in range(n)]
    return json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": comps,
                       "vulnerabilities": vulns}, separators=(",", ":"))


def osv_many_aliases(n, repeat=1):
    """One OSV record (npm left-pad) whose aliases list n distinct ids, the whole list
    `repeat` times: JSON text."""
    aliases = ["CVE-2024-%07d" % i for i in range(n)] * repeat
    return json.dumps({"schema_version": "1.6.0", "id": "GHSA-many-many-alia",
                       "modified": "2024-01-01T00:00:00Z", "summary": "many aliases", "aliases": aliases,
                       "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
                                     "ranges": [{"type": "SEMVER",
                                                 "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]})


def run_peak(binary, args, input=None, env=None, timeout=300):
    """Run binary under GNU time: (exit code, stdout bytes, stderr text, peak RSS in MiB).
    The peak is the child's own (/usr/bin/time -f %M), not a sum over earlier runs."""
    import os
    import subprocess

    full_env = dict(os.environ)
    full_env.update(env or {})
    p = subprocess.run(["/usr/bin/time", "-f", "BW-PEAK-KB %M", str(binary)] + [str(a) for a in args],
                       input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env,
                       timeout=timeout)
    err = p.stderr.decode("utf-8", "replace")
    lines = err.rstrip("\n").split("\n")
    peak = None
    if lines and lines[-1].startswith("BW-PEAK-KB "):
        peak = int(lines[-1].split()[1]) / 1024
        err = "\n".join(lines[:-1])
    assert peak is not None, f"no peak from /usr/bin/time: {err[-1000:]}"
    return p.returncode, p.stdout, err, peak


def json_members_archive(path, n_members=100, size=4 << 20):
    """A gzip-compressed archive of n_members JSON-looking members ("{" then spaces), each
    as large as image metadata may be: ~4 KB each once compressed, size each in memory."""
    body = b"{" + b" " * (size - 2) + b"}"
    with open(path, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as gz:
            with tarfile.open(fileobj=gz, mode="w|", format=tarfile.USTAR_FORMAT) as t:
                for i in range(n_members):
                    ti = tarfile.TarInfo("blobs/sha256/%064x" % i)
                    ti.size, ti.mtime = len(body), MTIME
                    t.addfile(ti, io.BytesIO(body))
    return path


def repeated_header_layout(d, n_entries=5_000_000):
    """An OCI layout whose one zstd layer repeats the same empty-file header n_entries times
    (2.5 GB of tar in ~0.25 MB): every header is an entry of the listing."""
    import subprocess

    ti = tarfile.TarInfo("a")
    ti.mtime = MTIME
    chunk = ti.tobuf(format=tarfile.USTAR_FORMAT) * 4096
    blobs = pathlib.Path(d) / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)
    tmp = blobs / "layer.tmp"
    tar_hash = hashlib.sha256()
    with open(tmp, "wb") as f:
        p = subprocess.Popen(["zstd", "-q", "-3", "-c"], stdin=subprocess.PIPE, stdout=f)
        for _ in range(n_entries // 4096):
            p.stdin.write(chunk)
            tar_hash.update(chunk)
        p.stdin.write(b"\0" * 1024)
        tar_hash.update(b"\0" * 1024)
        p.stdin.close()
        assert p.wait() == 0
    blob = tmp.read_bytes()
    dg = "sha256:" + hashlib.sha256(blob).hexdigest()
    tmp.rename(blobs / dg[7:])
    return write_layout(d, [(dg, "sha256:" + tar_hash.hexdigest(), len(blob))], media_type=MT_LAYER_ZSTD)


def empty_objects(n):
    """n empty JSON objects separated by commas ("{},{},…"): the text whose parsed tree
    is largest for its size (~70 times in jansson), as bytes."""
    return b",".join([b"{}"] * n)


def osv_tree_bomb_zip(path, size=16 << 20, array=False):
    """An OSV zip of one entry: a record whose affected list holds size/3 empty objects
    (16 MB by default, ~16 KB once deflated), alone or (array) as the element of an
    array of records."""
    import zipfile
    rec = b'{"id":"BOMB-0001","modified":"2024-01-01T00:00:00Z","affected":[' + empty_objects(size // 3) + b"]}"
    if array:
        rec = b"[" + rec + b"]"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("BOMB-0001.json", rec)
    return path


def openvex_tree_bomb(size=15 << 20):
    """An OpenVEX document of size/3 empty statements (15 MB), as bytes."""
    return (b'{"@context":"https://openvex.dev/ns/v0.2.0","statements":[' + empty_objects(size // 3) + b"]}")


def trivy_ignore_yaml(kind):
    """A Trivy YAML ignore file, as text: "many-paths" one entry of 200,000 paths (0.4 MB,
    valid), "aliases" 10,000 entries that each repeat those paths through an alias,
    "large" a 5 MB list in a section that does not exist."""
    paths = "[" + ",".join(["a"] * 200000) + "]"
    if kind == "many-paths":
        return "vulnerabilities:\n  - id: CVE-2024-0001\n    paths: " + paths + "\n"
    if kind == "aliases":
        return ("vulnerabilities:\n  - id: CVE-2024-0001\n    paths: &p " + paths + "\n" +
                "  - {id: CVE-2024-0002, paths: *p}\n" * 10000)
    return "x: [" + ",".join(["a"] * 2500000) + "]\n"


def broken_members_then_image(path, n_members=2, n_entries=400_000):
    """A zstd-compressed docker-archive whose stream starts with n_members tar members that
    no manifest names, each n_entries headers of a 100-byte name (~100 MiB of listing each,
    261 bytes an entry) cut by a damaged header, then a one-layer image: the walk of each
    broken member fails, so it was not a layer. Written as a stream (~410 MB of tar, ~5 MB
    of zstd)."""
    import subprocess

    from imagegen import E, docker_archive_files, layer_tar

    ti = tarfile.TarInfo("a" * 100)
    ti.mtime = MTIME
    chunk = ti.tobuf(format=tarfile.USTAR_FORMAT) * 1000
    body = [chunk] * (n_entries // 1000) + [b"\xff" * 512]
    size = sum(len(b) for b in body)
    with open(path, "wb") as f:
        p = subprocess.Popen(["zstd", "-q", "-1", "-c"], stdin=subprocess.PIPE, stdout=f)
        for i in range(n_members):
            m = tarfile.TarInfo("junk/broken-%d.tar" % i)
            m.size, m.mtime = size, MTIME
            p.stdin.write(m.tobuf(format=tarfile.USTAR_FORMAT))
            for b in body:
                p.stdin.write(b)
        files = docker_archive_files([layer_tar([E("etc/hello", data=b"hi\n")])])
        for name, b in files.items():
            m = tarfile.TarInfo(name)
            m.size, m.mtime = len(b), MTIME
            p.stdin.write(m.tobuf(format=tarfile.USTAR_FORMAT) + b + b"\0" * (-len(b) % 512))
        p.stdin.write(b"\0" * 1024)
        p.stdin.close()
        assert p.wait() == 0
    return path
