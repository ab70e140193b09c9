"""Make image files from Python: layer tars, docker-archives (legacy and the OCI layout
engines >= 25 write), OCI layout directories and oci-archives, zstd layers — for the
generated and hostile inputs of the integration tests, and helpers to read a tar as a
file view the way the engine shows it.

    from imagegen import E, layer_tar, OciImage, write_docker_archive, tar_view

Everything here is deterministic (fixed mtimes), so digests are stable between runs.
"""

import gzip
import hashlib
import io
import json
import pathlib
import posixpath
import subprocess
import tarfile

MTIME = 1700000000

MT_OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_OCI_INDEX = "application/vnd.oci.image.index.v1+json"
MT_OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar"
MT_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
MT_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd"


def sha256(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def hexof(digest):
    return digest.split(":", 1)[1]


# ------------------------------------------------------------------------- layers


def E(path, type="file", data=b"", mode=None, uid=0, gid=0, link="", size=None):
    """One tar entry. type: file dir symlink hardlink fifo char block."""
    if isinstance(data, str):
        data = data.encode()
    if mode is None:
        mode = {"dir": 0o755, "symlink": 0o777}.get(type, 0o644)
    return dict(path=path, type=type, data=data, mode=mode, uid=uid, gid=gid, link=link, size=size)


_TARTYPE = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE,
            "hardlink": tarfile.LNKTYPE, "fifo": tarfile.FIFOTYPE, "char": tarfile.CHRTYPE,
            "block": tarfile.BLKTYPE}


def layer_tar(entries, format=tarfile.PAX_FORMAT):
    """Uncompressed tar bytes of the entries, in the order given."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=format) as t:
        for e in entries:
            ti = tarfile.TarInfo(e["path"])
            ti.type = _TARTYPE[e["type"]]
            ti.mode, ti.uid, ti.gid, ti.mtime = e["mode"], e["uid"], e["gid"], MTIME
            ti.linkname = e["link"]
            if e["type"] == "file":
                ti.size = len(e["data"])
                t.addfile(ti, io.BytesIO(e["data"]))
            else:
                t.addfile(ti)
    return buf.getvalue()


def gzip_bytes(b, level=6):
    return gzip.compress(b, compresslevel=level, mtime=0)


def zstd_bytes(b, level=3):
    return subprocess.run(["zstd", "-q", f"-{level}", "-c"], input=b, stdout=subprocess.PIPE, check=True).stdout


def unzstd_bytes(b):
    return subprocess.run(["zstd", "-q", "-d", "-c"], input=b, stdout=subprocess.PIPE, check=True).stdout


def compress(b, media_type):
    if media_type == MT_LAYER_GZIP:
        return gzip_bytes(b)
    if media_type == MT_LAYER_ZSTD:
        return zstd_bytes(b)
    return b


def config_json(diff_ids, history=None, config=None, created="2023-11-14T22:13:20Z"):
    if history is None:
        history = [{"created": created, "created_by": f"generated layer {i}"} for i in range(len(diff_ids))]
    return {
        "architecture": "amd64",
        "os": "linux",
        "created": created,
        "config": config if config is not None else {"Env": ["PATH=/usr/bin:/bin"], "Cmd": ["/bin/sh"]},
        "rootfs": {"type": "layers", "diff_ids": list(diff_ids)},
        "history": history,
    }


def canonical(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=True).encode()


# ------------------------------------------------------------ OCI image in memory


class OciImage:
    """An image as blobs: config, manifest, index. Mutate the fields, then write.

    layers: list of dicts {tar: uncompressed bytes, blob: stored bytes, media_type}
    """

    def __init__(self, layer_tars, media_type=MT_LAYER_GZIP, config=None, history=None, ref="1"):
        self.layers = []
        for t in layer_tars:
            mt = media_type
            self.layers.append(dict(tar=t, blob=compress(t, mt), media_type=mt))
        self.ref = ref
        self.config = config_json([sha256(l["tar"]) for l in self.layers], history=history, config=config)
        self.config_bytes = None  # set to override the serialised config
        self.manifest_bytes = None
        self.index_bytes = None
        self.extra_blobs = {}  # digest -> bytes written as well
        self.omit_blobs = set()  # digests not written

    def config_blob(self):
        return self.config_bytes if self.config_bytes is not None else canonical(self.config)

    def manifest(self):
        cb = self.config_blob()
        return {
            "schemaVersion": 2,
            "mediaType": MT_OCI_MANIFEST,
            "config": {"mediaType": MT_OCI_CONFIG, "digest": sha256(cb), "size": len(cb)},
            "layers": [{"mediaType": l["media_type"], "digest": l.get("digest") or sha256(l["blob"]),
                        "size": l.get("size", len(l["blob"]))} for l in self.layers],
        }

    def manifest_blob(self):
        return self.manifest_bytes if self.manifest_bytes is not None else canonical(self.manifest())

    def index(self, annotations=None):
        mb = self.manifest_blob()
        ann = {"org.opencontainers.image.ref.name": self.ref}
        ann.update(annotations or {})
        return {"schemaVersion": 2, "mediaType": MT_OCI_INDEX,
                "manifests": [{"mediaType": MT_OCI_MANIFEST, "digest": sha256(mb), "size": len(mb),
                               "annotations": ann}]}

    def blobs(self):
        out = {}
        for l in self.layers:
            out[sha256(l["blob"]) if "digest" not in l else l["digest"]] = l["blob"]
        cb = self.config_blob()
        out[sha256(cb)] = cb
        mb = self.manifest_blob()
        out[sha256(mb)] = mb
        out.update(self.extra_blobs)
        for d in self.omit_blobs:
            out.pop(d, None)
        return out

    def files(self, docker_manifest=False, repo_tag="gen/oci:1"):
        """{name: bytes} of the layout (plus manifest.json for the engine >= 25 shape)."""
        files = {"oci-layout": b'{"imageLayoutVersion":"1.0.0"}'}
        ann = {"io.containerd.image.name": "docker.io/" + repo_tag} if docker_manifest else None
        files["index.json"] = self.index_bytes if self.index_bytes is not None else canonical(self.index(ann))
        for d, b in self.blobs().items():
            files["blobs/sha256/" + hexof(d)] = b
        if docker_manifest:
            m = self.manifest()
            files["manifest.json"] = canonical([{
                "Config": "blobs/sha256/" + hexof(m["config"]["digest"]),
                "RepoTags": [repo_tag],
                "Layers": ["blobs/sha256/" + hexof(l["digest"]) for l in m["layers"]],
            }])
        return files

    def write_dir(self, d):
        d = pathlib.Path(d)
        for name, b in self.files().items():
            p = d / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(b)
        return d

    def write_archive(self, path, docker_manifest=False, repo_tag="gen/oci:1"):
        write_tar(path, self.files(docker_manifest=docker_manifest, repo_tag=repo_tag))
        return pathlib.Path(path)


def write_tar(path, files, truncate_at=None):
    """A plain tar of {name: bytes} (directories implied), optionally cut short."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        dirs = set()
        for name in files:
            parts = name.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                dirs.add("/".join(parts[:i]))
        for d in sorted(dirs):
            ti = tarfile.TarInfo(d)
            ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, MTIME
            t.addfile(ti)
        for name, b in files.items():
            ti = tarfile.TarInfo(name)
            ti.size, ti.mode, ti.mtime = len(b), 0o644, MTIME
            t.addfile(ti, io.BytesIO(b))
    data = buf.getvalue()
    if truncate_at is not None:
        data = data[:truncate_at]
    pathlib.Path(path).write_bytes(data)
    return pathlib.Path(path)


# ------------------------------------------------------- legacy docker-archive


def docker_archive_files(layer_tars, config=None, repo_tag="gen/legacy:1", history=None):
    """{name: bytes} of a legacy `docker save` archive (manifest.json, <id>/layer.tar)."""
    diff_ids = [sha256(t) for t in layer_tars]
    cfg = config if config is not None else config_json(diff_ids, history=history)
    cb = canonical(cfg)
    files = {}
    layer_names = []
    parent = ""
    for t in layer_tars:
        lid = hashlib.sha256((parent + sha256(t)).encode()).hexdigest()
        files[f"{lid}/VERSION"] = b"1.0"
        files[f"{lid}/json"] = canonical({"id": lid, **({"parent": parent} if parent else {})})
        files[f"{lid}/layer.tar"] = t
        layer_names.append(f"{lid}/layer.tar")
        parent = lid
    cname = hexof(sha256(cb)) + ".json"
    files[cname] = cb
    files["manifest.json"] = canonical([{"Config": cname, "RepoTags": [repo_tag], "Layers": layer_names}])
    files["repositories"] = canonical({repo_tag.split(":")[0]: {repo_tag.split(":")[1]: parent}})
    return files


def write_docker_archive(path, layer_tars, **kw):
    return write_tar(path, docker_archive_files(layer_tars, **kw))


# ------------------------------------------------------ views of a tar, as files


TYPES = {tarfile.REGTYPE: "file", tarfile.AREGTYPE: "file", tarfile.CONTTYPE: "file",
         tarfile.DIRTYPE: "dir", tarfile.SYMTYPE: "symlink", tarfile.LNKTYPE: "hardlink",
         tarfile.CHRTYPE: "char", tarfile.BLKTYPE: "block", tarfile.FIFOTYPE: "fifo"}


def abspath(name):
    p = posixpath.normpath("/" + name)
    return "/" + p.lstrip("/") if p != "/" else "/"


def tar_entries(path_or_fileobj):
    """[(path, record)] of a tar in stored order; record as in `bulwark image files`."""
    out = []
    kw = {"fileobj": path_or_fileobj} if hasattr(path_or_fileobj, "read") else {"name": str(path_or_fileobj)}
    with tarfile.open(mode="r:*", **kw) as tf:
        for ti in tf:
            t = TYPES.get(ti.type)
            if t is None:
                continue
            rec = {"type": t, "mode": ti.mode & 0o7777, "uid": ti.uid, "gid": ti.gid,
                   "size": ti.size if t == "file" else 0}
            if t == "symlink":
                rec["link"] = ti.linkname
            elif t == "hardlink":
                rec["link"] = abspath(ti.linkname)
            out.append((abspath(ti.name), rec))
    return out


def tar_view(path):
    """{path: record} of a tar such as `docker export` writes (root "/" left out)."""
    v = {}
    for p, rec in tar_entries(path):
        if p != "/":
            v[p] = rec
    return v


def merge_layers(layer_entry_lists):
    """The final view of layers (lists from tar_entries), applying whiteouts and opaque
    markers the way the engine does; each record gets "layer" (0-based)."""
    v = {}
    for i, ents in enumerate(layer_entry_lists):
        in_layer = {p for p, _ in ents}
        for p, _ in ents:
            d, b = posixpath.split(p)
            if b == ".wh..wh..opq":
                pre = d.rstrip("/") + "/"
                for k in [k for k in v if k.startswith(pre) and k not in in_layer]:
                    del v[k]
        for p, rec in ents:
            d, b = posixpath.split(p)
            if b == ".wh..wh..opq" or p == "/":
                continue
            if b.startswith(".wh."):
                t = posixpath.join(d, b[4:])
                for k in [k for k in v if k == t or k.startswith(t + "/")]:
                    del v[k]
                continue
            old = v.get(p)
            if old and old["type"] == "dir" and rec["type"] != "dir":
                for k in [k for k in v if k.startswith(p + "/")]:
                    del v[k]
            v[p] = dict(rec, layer=i)
    return v


def resolve_hardlinks(view):
    """Hard links compared as regular files with their target's metadata: which path of
    a link group is stored as the 'link' depends on walk order."""
    out = {}
    for p, rec in view.items():
        r = rec
        seen = 0
        while r.get("type") == "hardlink" and seen < 64:
            t = view.get(r.get("link"))
            if t is None:
                break
            r = t
            seen += 1
        r = {k: v for k, v in r.items() if k in ("type", "mode", "uid", "gid", "size", "link")}
        if r["type"] == "hardlink":  # dangling: keep as is so the difference shows
            out[p] = r
            continue
        if r["type"] != "symlink":
            r.pop("link", None)
        out[p] = r
    return out
