"""The image reader against the engine's own view.

Every test image (tests/images/*, built by the real engine, plus images generated here
and loaded with `docker load`) is read by `bulwark image files` from every source kind —
the legacy `docker save` archive, skopeo's OCI layout (gzip and uncompressed), its
oci-archive, the OCI-layout-inside-docker-archive shape of engines >= 25, a zstd-layer
variant, the engine itself (docker:NAME) and an unpacked root filesystem (dir:PATH) —
and the result must equal `docker export` of a container created from the image, file
for file. `bulwark image inspect` must agree with `docker inspect` and `docker history`.
"""

import gzip
import json
import os
import pathlib
import re
import shutil
import subprocess
import tarfile

import pytest

from imagegen import (E, MT_LAYER_ZSTD, canonical, docker_archive_files, hexof, layer_tar,
                      merge_layers, resolve_hardlinks, sha256, tar_entries, tar_view, unzstd_bytes, write_tar,
                      zstd_bytes)

IMAGES_DIR = pathlib.Path(__file__).resolve().parents[1] / "images"

TINY_IMAGES = ["whiteouts", "links", "modes-owners", "multistage", "config"]
GENERATED = ["gen-opaque", "gen-implicit-parents"]
ALL_IMAGES = TINY_IMAGES + ["bookworm-app"] + GENERATED
ARCHIVE_VARIANTS = ["docker-archive", "oci", "oci-archive", "oci-uncompressed", "docker-archive-oci", "zstd"]

# What `docker create` adds (the init layer) and `docker export` therefore shows: these
# paths are replaced by the engine, so they are compared on neither side.
ENGINE_REPLACED = {"/.dockerenv", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/etc/mtab",
                   "/dev/console", "/dev/pts", "/dev/shm"}
# Directories the init layer creates when the image lacks them: ignored when only the
# export has them.
ENGINE_PARENTS = {"/dev", "/etc", "/proc", "/sys"}


def skopeo(*args):
    p = subprocess.run(["skopeo", *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=1200)
    assert p.returncode == 0, f"skopeo {' '.join(map(str, args))}: {p.stderr}"


# ------------------------------------------------------------------ generated images


def gen_opaque_layers():
    """(Hard-link headers carry their target's mode, as real tars do: the engine applies a
    link header's mode to the shared inode.) Opaque directories and whiteouts written the way overlay2 engines write them (the
    vfs engine of the tests writes per-file whiteouts instead), names with and without
    a ./ prefix, a marker after the new entries of its directory, metadata-only changes."""
    l0 = layer_tar([
        E("./", "dir"), E("./bin/", "dir"), E("./bin/busybox", data=b"not really busybox\n", mode=0o755),
        E("./opq/", "dir"), E("./opq/x", data="x\n"), E("./opq/sub/", "dir"), E("./opq/sub/z", data="z\n"),
        E("./opq2/", "dir", mode=0o750), E("./opq2/old", data="old\n"),
        E("./wh/", "dir"), E("./wh/f1", data="f1\n"), E("./wh/d1/", "dir"), E("./wh/d1/f2", data="f2\n"),
        E("./wh/keep", data="keep\n"),
        E("./meta/", "dir"), E("./meta/file", data="meta\n", mode=0o644, uid=5, gid=5),
        E("./hl/", "dir"), E("./hl/target", data="hard\n", mode=0o4755), E("./hl/link", "hardlink", link="./hl/target", mode=0o4755),
        E("./replace-dir/", "dir"), E("./replace-dir/child", data="c\n"),
        E("./replace-file", data="f\n"),
    ])
    l1 = layer_tar([
        E("opq/", "dir", mode=0o700), E("opq/.wh..wh..opq", mode=0), E("opq/new", data="new\n"),
        E("opq2/new-first", data="first\n"), E("opq2/.wh..wh..opq", mode=0),
        E("wh/.wh.f1", mode=0), E("wh/.wh.d1", mode=0),
        E("meta/file", data="meta\n", mode=0o600, uid=6, gid=7),
        E("replace-dir", data="now a file\n"),
        E("replace-file/", "dir"), E("replace-file/inside", data="i\n"),
        E("fifo", "fifo", mode=0o600), E("link-rel", "symlink", link="wh/keep"),
        E("link-abs", "symlink", link="/wh/keep"),
    ])
    l2 = layer_tar([
        E("opq/.wh.new", mode=0), E("opq/newer", data="newer\n"),
        E("hl/.wh.link", mode=0), E("hl/link2", "hardlink", link="hl/target", mode=0o4755),  # target in a lower layer
    ], format=tarfile.GNU_FORMAT)
    return [l0, l1, l2]


def gen_implicit_parent_layers():
    """Entries whose parent directories have no entry of their own in the layer."""
    l0 = layer_tar([E("bin/busybox", data=b"x\n", mode=0o755), E("a/b/c/file", data="deep\n")])
    l1 = layer_tar([E("a/b/other", data="o\n"), E("x/y/z", "symlink", link="../../a")])
    return [l0, l1]


GENERATORS = {"gen-opaque": gen_opaque_layers, "gen-implicit-parents": gen_implicit_parent_layers}


# ---------------------------------------------------------------------- the images


class ImageUnderTest:
    """One test image and its variants, made on first use."""

    def __init__(self, name, tag, archive, docker, workdir):
        self.name, self.tag, self.archive, self.docker, self.work = name, tag, archive, docker, workdir
        self._variants = {}
        self._export = None
        self._dir = None

    def expected(self):
        """The engine's final view: docker export of a created (never started) container."""
        if self._export is None:
            t = self.docker.export(self.tag, self.work / "export.tar")
            self._export = tar_view(t)
        return self._export

    def rootfs_dir(self):
        """The export unpacked as root (owners, modes, devices and FIFOs kept)."""
        if self._dir is None:
            self.expected()
            d = self.work / "rootfs"
            d.mkdir()
            subprocess.run(["tar", "-C", d, "--numeric-owner", "--same-owner", "-xpf", self.work / "export.tar"],
                           check=True)
            self._dir = d
        return self._dir

    def oci_dir(self, uncompressed=False):
        key = "oci-uncompressed" if uncompressed else "oci"
        if key not in self._variants:
            d = self.work / key
            args = ["copy", "--quiet"]
            if uncompressed:
                args.append("--dest-oci-accept-uncompressed-layers")
            skopeo(*args, f"docker-archive:{self.archive}", f"oci:{d}:1")
            self._variants[key] = d
        return self._variants[key]

    def variant(self, kind):
        """The target string for bulwark."""
        if kind == "docker-archive":
            return f"docker-archive:{self.archive}"
        if kind == "oci":
            return f"oci:{self.oci_dir()}:1"
        if kind == "oci-uncompressed":
            return f"oci:{self.oci_dir(uncompressed=True)}:1"
        if kind == "oci-archive":
            p = self.work / "oci-archive.tar"
            if not p.exists():
                skopeo("copy", "--quiet", f"docker-archive:{self.archive}", f"oci-archive:{p}:1")
            return f"oci-archive:{p}:1"
        if kind == "docker-archive-oci":
            p = self.work / "docker-archive-oci.tar"
            if not p.exists():
                make_docker_archive_oci(self.oci_dir(uncompressed=True), p, self.tag)
            return f"docker-archive:{p}"
        if kind == "zstd":
            d = self.work / "oci-zstd"
            if not d.exists():
                make_zstd_variant(self.oci_dir(), d)
            return f"oci:{d}:1"
        if kind == "docker":
            return f"docker:{self.tag}"
        if kind == "dir":
            return f"dir:{self.rootfs_dir()}"
        raise ValueError(kind)


def read_oci_dir(d):
    d = pathlib.Path(d)
    index = json.loads((d / "index.json").read_text())
    mdesc = index["manifests"][0]
    manifest = json.loads((d / "blobs/sha256" / hexof(mdesc["digest"])).read_bytes())
    return index, mdesc, manifest


def make_docker_archive_oci(oci_dir, out, repo_tag):
    """The archive engines >= 25 write: an OCI layout plus manifest.json pointing into
    blobs/sha256/ (uncompressed layers, as those engines store them)."""
    oci_dir = pathlib.Path(oci_dir)
    index, mdesc, manifest = read_oci_dir(oci_dir)
    files = {"oci-layout": (oci_dir / "oci-layout").read_bytes()}
    for b in sorted((oci_dir / "blobs/sha256").iterdir()):
        files["blobs/sha256/" + b.name] = b.read_bytes()
    mdesc = dict(mdesc, annotations={"io.containerd.image.name": "docker.io/" + repo_tag,
                                     "org.opencontainers.image.ref.name": repo_tag.split(":")[-1]})
    files["index.json"] = canonical(dict(index, manifests=[mdesc]))
    files["manifest.json"] = canonical([{
        "Config": "blobs/sha256/" + hexof(manifest["config"]["digest"]),
        "RepoTags": [repo_tag],
        "Layers": ["blobs/sha256/" + hexof(l["digest"]) for l in manifest["layers"]],
    }])
    write_tar(out, files)


def make_zstd_variant(oci_dir, out):
    """Copy an OCI layout, recompress its last layer with zstd (media type, digest and
    size rewritten in the manifest, the manifest's in index.json). The other layers stay
    gzip: a mixed image."""
    shutil.copytree(oci_dir, out)
    out = pathlib.Path(out)
    index, mdesc, manifest = read_oci_dir(out)
    i = len(manifest["layers"]) - 1
    l = manifest["layers"][i]
    blob = (out / "blobs/sha256" / hexof(l["digest"])).read_bytes()
    raw = gzip_decompress(blob) if l["mediaType"].endswith("gzip") else blob
    z = zstd_bytes(raw)
    assert unzstd_bytes(z) == raw
    (out / "blobs/sha256" / hexof(sha256(z))).write_bytes(z)
    manifest["layers"][i] = dict(l, mediaType=MT_LAYER_ZSTD, digest=sha256(z), size=len(z))
    mb = json.dumps(manifest).encode()
    (out / "blobs/sha256" / hexof(sha256(mb))).write_bytes(mb)
    index["manifests"][0] = dict(mdesc, digest=sha256(mb), size=len(mb))
    (out / "index.json").write_text(json.dumps(index))


def gzip_decompress(b):
    return gzip.decompress(b)


@pytest.fixture(scope="session")
def test_images(docker, tiny_image, build_image, save, tmp_path_factory, request):
    made = {}
    # A tag of this run's own: test runs that share an engine must not replace each
    # other's images between a build and a `docker:` read or `docker inspect`.
    run_tag = f"run{os.getpid()}"

    def cleanup():
        for img in made.values():
            docker.cli("rmi", img.tag, check=False)

    request.addfinalizer(cleanup)

    def get(name):
        if name in made:
            return made[name]
        tag = f"bwtest/{name}:{run_tag}"
        work = tmp_path_factory.mktemp(name)
        if name in GENERATORS:
            layers = GENERATORS[name]()
            archive = work / "generated.tar"
            hist = [{"created": "2023-11-14T22:13:20Z", "created_by": f"generated layer {i}"}
                    for i in range(len(layers))]
            write_tar(archive, docker_archive_files(layers, repo_tag=tag, history=hist))
            docker.cli("load", "-i", archive)
        else:
            if name == "bookworm-app":
                base = request.getfixturevalue("debian_rootfs").image
            else:
                base = tiny_image
            build_image(tag, IMAGES_DIR / name, buildargs={"BASE": base})
            archive = save(tag)
        made[name] = ImageUnderTest(name, tag, archive, docker, work)
        return made[name]

    return get


# ------------------------------------------------------------------ comparing views


def bulwark_view(bulwark, target, extra=(), env=None):
    out = bulwark.json(["image", "files", target, "--format", "json", *extra], env=env)
    assert out.get("schema") == "bulwark.files/v1", out.get("schema")
    files = out["files"]
    paths = [f["path"] for f in files]
    assert all(p.startswith("/") and p != "/" and not p.endswith("/") for p in paths), \
        [p for p in paths if not p.startswith("/") or p == "/" or p.endswith("/")][:5]
    assert paths == sorted(paths, key=lambda p: p.encode("utf-8", "surrogateescape")), "not sorted by byte order"
    assert len(set(paths)) == len(paths), "duplicate paths"
    view = {}
    for f in files:
        rec = {k: f.get(k) for k in ("type", "mode", "uid", "gid", "size")}
        if f["type"] in ("symlink", "hardlink"):
            rec["link"] = f.get("link")
        if f["type"] not in ("file", "hardlink"):
            assert f.get("size", 0) == 0, f"{f['path']}: size {f.get('size')} for a {f['type']}"
        if f.get("implied"):
            # a parent directory no layer lists: bulwark makes it as engines >= 23 and
            # containerd do (root, 0755); Debian's moby 20.10 used 0600
            assert f["type"] == "dir" and (f["uid"], f["gid"], f["mode"]) == (0, 0, 0o755), f
            rec["mode"] = IMPLIED_MODE
        view[f["path"]] = rec
    return out, view


IMPLIED_MODE = "implied (0755; 0600 on moby 20.10)"


def _engine_implied(rec):
    return rec.get("type") == "dir" and rec.get("uid") == 0 and rec.get("mode") in (0o600, 0o755)


def comparable(view, other):
    v = resolve_hardlinks(view)
    for p in list(v):
        if p in ENGINE_REPLACED or (p in ENGINE_PARENTS and p not in other):
            del v[p]
    return v


def assert_same_view(got, expected, what):
    g = comparable(got, expected)
    e = comparable(expected, got)
    for p, rec in g.items():
        if rec.get("mode") == IMPLIED_MODE and p in e and _engine_implied(e[p]):
            e[p] = dict(e[p], mode=IMPLIED_MODE)
    missing = sorted(set(e) - set(g))
    extra = sorted(set(g) - set(e))
    differ = sorted(p for p in set(g) & set(e) if g[p] != e[p])
    msg = []
    if missing:
        msg.append(f"{len(missing)} missing from bulwark: {missing[:15]}")
    if extra:
        msg.append(f"{len(extra)} not in the engine's view: {extra[:15]}")
    for p in differ[:15]:
        msg.append(f"{p!r}: bulwark {g[p]} engine {e[p]}")
    if differ:
        msg.append(f"{len(differ)} entries differ")
    assert not msg, f"{what}:\n  " + "\n  ".join(msg)


# ------------------------------------------------------------------------ the tests


@pytest.mark.parametrize("variant", ARCHIVE_VARIANTS + ["docker"])
@pytest.mark.parametrize("name", ALL_IMAGES)
def test_final_view_matches_engine_export(bulwark, docker, test_images, name, variant):
    img = test_images(name)
    target = img.variant(variant)
    out, view = bulwark_view(bulwark, target, env={"DOCKER_HOST": docker.host})
    assert out["target"]["type"] == "image"
    assert_same_view(view, img.expected(), f"{name} via {variant}")


@pytest.mark.parametrize("name", ["whiteouts", "links", "modes-owners", "bookworm-app", "gen-opaque"])
def test_rootfs_directory_matches_engine_export(bulwark, test_images, name):
    img = test_images(name)
    _, view = bulwark_view(bulwark, img.variant("dir"))
    # The directory is the unpacked export itself: nothing to leave out but the root.
    expected = img.expected()
    got = resolve_hardlinks(view)
    exp = resolve_hardlinks(expected)
    missing = sorted(set(exp) - set(got))
    extra = sorted(set(got) - set(exp))
    differ = sorted(p for p in set(got) & set(exp) if got[p] != exp[p])
    assert not (missing or extra or differ), \
        f"dir:{name}: missing {missing[:10]} extra {extra[:10]} differ " + \
        "; ".join(f"{p}: {got[p]} vs {exp[p]}" for p in differ[:10])


@pytest.mark.parametrize("name", ALL_IMAGES)
def test_layer_attribution(bulwark, test_images, name):
    """layer / layer_digest name the topmost layer that wrote the entry."""
    img = test_images(name)
    out = bulwark.json(["image", "files", img.variant("docker-archive"), "--format", "json"])
    with tarfile.open(img.archive) as tf:
        manifest = json.load(tf.extractfile("manifest.json"))[0]
        config = json.load(tf.extractfile(manifest["Config"]))
        layers = [tar_entries(tf.extractfile(l)) for l in manifest["Layers"]]
    diff_ids = config["rootfs"]["diff_ids"]
    ref = merge_layers(layers)
    wrong = []
    implied = [f for f in out["files"] if f.get("implied")]
    for f in implied:
        # an implied directory is a parent of a real entry of its layer or a higher one
        kids = [p for p, r in ref.items() if p.startswith(f["path"] + "/") and r["layer"] >= f["layer"]]
        if not kids or f["path"] in ref:
            wrong.append((f["path"], "implied without a reason"))
    for f in out["files"]:
        if f.get("implied"):
            continue
        r = ref.get(f["path"])
        if r is None:
            wrong.append((f["path"], "not in the reference merge"))
            continue
        if f["layer"] != r["layer"] or f["layer_digest"] != diff_ids[r["layer"]]:
            wrong.append((f["path"], f["layer"], f["layer_digest"], r["layer"]))
    assert not wrong, wrong[:15]
    assert len(out["files"]) - len(implied) == len(ref), (len(out["files"]), len(implied), len(ref))


@pytest.mark.parametrize("name", ["whiteouts", "links", "gen-opaque"])
def test_single_layer_listing(bulwark, test_images, name):
    """--layer N lists that layer's own entries, whiteouts and opaque markers included."""
    img = test_images(name)
    with tarfile.open(img.archive) as tf:
        manifest = json.load(tf.extractfile("manifest.json"))[0]
        layers = [tar_entries(tf.extractfile(l)) for l in manifest["Layers"]]
    for n, ents in enumerate(layers):
        out = bulwark.json(["image", "files", img.variant("docker-archive"), "--layer", str(n), "--format", "json"])
        got = {f["path"]: f for f in out["files"]}
        for p, rec in ents:
            if p == "/":
                continue
            base = p.rsplit("/", 1)[1]
            if base == ".wh..wh..opq":
                d = p.rsplit("/", 1)[0] or "/"
                assert any(f["type"] == "opaque" and f["path"] in (p, d) for f in out["files"]), \
                    f"layer {n}: opaque marker of {d} not listed"
            elif base.startswith(".wh."):
                hidden = p[: -len(base)] + base[4:]
                assert any(f["type"] == "whiteout" and f["path"] in (p, hidden) for f in out["files"]), \
                    f"layer {n}: whiteout {p} not listed"
            else:
                assert p in got, f"layer {n}: {p} not listed"
                assert got[p]["type"] == rec["type"], (p, got[p], rec)
                assert got[p]["layer"] == n


# --------------------------------------------------------------------------- inspect


def _config_of(archive):
    with tarfile.open(archive) as tf:
        manifest = json.load(tf.extractfile("manifest.json"))[0]
        return json.load(tf.extractfile(manifest["Config"])), manifest


@pytest.mark.parametrize("variant", ["docker-archive", "oci", "oci-archive", "zstd", "docker"])
@pytest.mark.parametrize("name", TINY_IMAGES + ["bookworm-app", "gen-opaque"])
def test_inspect_matches_docker_inspect(bulwark, docker, test_images, name, variant):
    img = test_images(name)
    rc, out, err = bulwark.run(["image", "inspect", img.variant(variant), "--format", "json"],
                               env={"DOCKER_HOST": docker.host})
    assert rc == 0, f"exit {rc}: {err}"
    got = json.loads(out)
    assert got["schema"] == "bulwark.inspect/v1"
    di = docker.inspect(img.tag)
    cfg_blob, _ = _config_of(img.archive)
    dc = dict(di["Config"])
    if variant in ("oci", "oci-archive", "zstd"):
        # skopeo writes an OCI configuration, which has no Healthcheck: expect what it kept.
        _, _, oman = read_oci_dir(img.oci_dir())
        ocfg = json.loads((img.oci_dir() / "blobs/sha256" / hexof(oman["config"]["digest"])).read_bytes())
        dc["Healthcheck"] = (ocfg.get("config") or {}).get("Healthcheck")

    if variant in ("docker-archive", "docker"):
        assert got["config_digest"] == di["Id"]
    # (skopeo rewrites the configuration as an OCI one: the OCI variants' config digest
    # is checked against their own manifest below.)
    assert got["platform"]["os"] == di["Os"]
    assert got["platform"]["architecture"] == di["Architecture"]
    assert got["platform"].get("variant") == (di.get("Variant") or None)
    assert got["created"] == cfg_blob["created"]
    c = got["config"]
    assert c["user"] == (dc.get("User") or "")
    assert c["env"] == (dc.get("Env") or [])
    assert c["entrypoint"] == dc.get("Entrypoint")
    assert c["cmd"] == dc.get("Cmd")
    assert c["workdir"] == (dc.get("WorkingDir") or "")
    assert sorted(c["exposed_ports"]) == sorted(dc.get("ExposedPorts") or {})
    assert sorted(c["volumes"]) == sorted(dc.get("Volumes") or {})
    assert c["labels"] == (dc.get("Labels") or {})
    hc = dc.get("Healthcheck")
    if hc is None:
        assert c["healthcheck"] is None
    else:
        assert c["healthcheck"]["test"] == hc["Test"]
        assert c["healthcheck"]["interval_ns"] == hc.get("Interval", 0)
        assert c["healthcheck"]["timeout_ns"] == hc.get("Timeout", 0)
        assert c["healthcheck"]["start_period_ns"] == hc.get("StartPeriod", 0)
        assert c["healthcheck"]["retries"] == hc.get("Retries", 0)
    assert c["stop_signal"] == (dc.get("StopSignal") or None)

    diff_ids = di["RootFS"]["Layers"]
    assert [l["diff_id"] for l in got["layers"]] == diff_ids
    assert [l["index"] for l in got["layers"]] == list(range(len(diff_ids)))
    assert got["totals"]["layers"] == len(diff_ids)

    # Layer sizes: the uncompressed tar, whose digest is the diff_id.
    with tarfile.open(img.archive) as tf:
        manifest = json.load(tf.extractfile("manifest.json"))[0]
        sizes = [tf.getmember(l).size for l in manifest["Layers"]]
    assert [l["size"] for l in got["layers"]] == sizes

    if variant in ("oci", "zstd"):
        d = pathlib.Path(img.variant(variant).split(":", 1)[1].rsplit(":", 1)[0])
        index, mdesc, manifest = read_oci_dir(d)
        assert got["digest"] == mdesc["digest"]
        assert got["config_digest"] == manifest["config"]["digest"]
        assert [l["digest"] for l in got["layers"]] == [l["digest"] for l in manifest["layers"]]
        assert [l["media_type"] for l in got["layers"]] == [l["mediaType"] for l in manifest["layers"]]
        assert [l["compressed_size"] for l in got["layers"]] == [l["size"] for l in manifest["layers"]]
    elif got.get("digest") is not None:
        assert re.fullmatch(r"sha256:[0-9a-f]{64}", got["digest"])

    # History: the config's, in order; created_by of each non-empty layer on its layer.
    # (An absent created_by may be reported as null or "".)
    hist = cfg_blob.get("history") or []
    assert [h.get("created_by") or "" for h in got["history"]] == [h.get("created_by") or "" for h in hist]
    assert [bool(h.get("empty_layer")) for h in got["history"]] == [bool(h.get("empty_layer")) for h in hist]
    non_empty = [h.get("created_by") or "" for h in hist if not h.get("empty_layer")]
    assert [l.get("created_by") or "" for l in got["layers"]] == non_empty
    if not name.startswith("gen-"):
        dh = [h["CreatedBy"] for h in reversed(docker.history(img.tag))]
        assert [h.get("created_by") or "" for h in got["history"]] == dh

    # Totals are of the final view; they agree with `image files` and with the engine.
    files = bulwark.json(["image", "files", img.variant("docker-archive"), "--format", "json"])["files"]
    assert got["totals"]["files"] == len(files)
    # (`image files` itself is checked against the engine's view by the tests above.)
    assert got["totals"]["size"] == sum(f["size"] for f in files if f["type"] == "file")


def test_config_image_fields(bulwark, test_images):
    """The config image sets every field: check them against the Dockerfile itself."""
    img = test_images("config")
    got = bulwark.json(["image", "inspect", img.variant("docker-archive"), "--format", "json"])["config"]
    assert got["user"] == "1000:1000"
    assert got["workdir"] == "/srv/app"
    assert got["entrypoint"] == ["/bin/sh", "-c"] and got["cmd"] == ["echo hello"]
    assert sorted(got["exposed_ports"]) == ["443/tcp", "53/udp", "80/tcp"]
    assert sorted(got["volumes"]) == ["/cache", "/data"]
    assert got["labels"]["com.example.spaces"] == "a value with spaces"
    assert got["labels"]["com.example.empty"] == ""
    assert 'QUOTED=a "quoted" value' in got["env"]
    assert got["healthcheck"] == {"test": ["CMD", "/bin/true"], "interval_ns": 15_000_000_000,
                                  "timeout_ns": 2_000_000_000, "start_period_ns": 5_000_000_000, "retries": 4}
    assert got["stop_signal"] == "SIGQUIT"


# ------------------------------------------------------------------------------ cat


@pytest.mark.parametrize("path", ["/opt/links/target", "/opt/links/rel", "/opt/links/abs", "/opt/links/chain",
                                  "/opt/links/dotted", "/opt/links/dirlink/file", "/opt/links/escaping",
                                  "/opt/links/hard-1", "/opt/links/hard-later"])
def test_cat_follows_symlinks_inside_the_image(bulwark, docker, test_images, path):
    """`image cat` resolves symlinks within the image root, as the kernel does inside a
    container (checked with `docker run --network none IMAGE cat PATH`)."""
    img = test_images("links")
    want = docker.cli("run", "--rm", "--network", "none", img.tag, "cat", path).stdout.encode()
    rc, out, err = bulwark.run_bytes(["image", "cat", img.variant("docker-archive"), path])
    assert rc == 0, f"exit {rc}: {err}"
    assert out == want
