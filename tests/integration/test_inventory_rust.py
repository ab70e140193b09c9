"""Rust binaries with cargo-auditable data: a real ELF made by gcc, its ".dep-v0"
section (zlib-compressed JSON written here, compressed with Python's zlib) attached
with binutils' objcopy, in an image built by the engine FROM the busybox base; the
package set, purls, origins, the application and the dependency edges from
`--list-packages -f json` and `bulwark sbom`. Hostile variants of the same binary
(truncated, section past the end, a zlib bomb, invalid JSON, wrong types) are each
a warning naming the file, and the scan goes on."""

import json
import shutil
import struct
import subprocess
import zlib

import pytest

from test_inventory import scan
from test_sbom import assert_valid, cdx, sbom, spdx  # noqa: F401 (fixtures)

HELLO_C = '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n'

AUDIT = {"format": 1, "packages": [
    {"name": "bwapp", "version": "0.3.0", "source": "local", "kind": "runtime", "root": True,
     "dependencies": [1, 2, 4]},
    {"name": "rand", "version": "0.8.5", "source": "crates.io", "dependencies": [3, 6]},
    {"name": "rand", "version": "0.7.3", "source": "crates.io", "dependencies": [3]},
    {"name": "libc", "version": "0.2.150", "source": "crates.io"},
    {"name": "patched", "version": "1.2.0", "source": "git"},
    {"name": "cc", "version": "1.0.83", "source": "crates.io", "kind": "build"},
    {"name": "rand_core", "version": "0.6.4", "source": "crates.io", "dependencies": [5]},
]}

# (name, version) -> (purl, origin, application, depends)
WANT = {
    ("bwapp", "0.3.0"): ("pkg:cargo/bwapp@0.3.0", "local", True,
                         {"pkg:cargo/rand@0.8.5", "pkg:cargo/rand@0.7.3", "pkg:cargo/patched@1.2.0"}),
    ("rand", "0.8.5"): ("pkg:cargo/rand@0.8.5", None, False, {"pkg:cargo/libc@0.2.150", "pkg:cargo/rand_core@0.6.4"}),
    ("rand", "0.7.3"): ("pkg:cargo/rand@0.7.3", None, False, {"pkg:cargo/libc@0.2.150"}),
    ("libc", "0.2.150"): ("pkg:cargo/libc@0.2.150", None, False, set()),
    ("patched", "1.2.0"): ("pkg:cargo/patched@1.2.0", "git", False, set()),
    # cc is a build dependency: not linked into the program; rand_core's edge to it is dropped
    ("rand_core", "0.6.4"): ("pkg:cargo/rand_core@0.6.4", None, False, set()),
}

CARGO_LOCK = """version = 3

[[package]]
name = "bwapp"
version = "0.3.0"
dependencies = [
 "rand 0.8.5",
]

[[package]]
name = "rand"
version = "0.8.5"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "libc",
]

[[package]]
name = "libc"
version = "0.2.150"
source = "registry+https://github.com/rust-lang/crates.io-index"
"""


def need_tools():
    for t in ("gcc", "objcopy"):
        if not shutil.which(t):
            pytest.skip(f"{t} needed")


def auditable_binary(tmp_path, name, payload):
    """gcc's hello with payload (bytes) as its .dep-v0 section."""
    src = tmp_path / "hello.c"
    src.write_text(HELLO_C)
    plain = tmp_path / "hello"
    if not plain.exists():
        subprocess.run(["gcc", "-O1", "-o", str(plain), str(src)], check=True)
    z = tmp_path / f"{name}.dep"
    z.write_bytes(payload)
    out = tmp_path / name
    subprocess.run(["objcopy", "--add-section", f".dep-v0={z}", "--set-section-flags", ".dep-v0=noload,readonly",
                    str(plain), str(out)], check=True)
    out.chmod(0o755)
    return out


def elf64_sections(data):
    """{name: (header offset, sh_offset, sh_size)} of a little-endian ELF64."""
    assert data[:6] == b"\x7fELF\x02\x01"
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    def hdr(i):
        o = shoff + i * shentsize
        name, = struct.unpack_from("<I", data, o)
        off, size = struct.unpack_from("<QQ", data, o + 24)
        return o, name, off, size
    _, _, stroff, _ = hdr(shstrndx)
    out = {}
    for i in range(shnum):
        o, name, off, size = hdr(i)
        end = data.index(b"\0", stroff + name)
        out[data[stroff + name:end].decode()] = (o, off, size)
    return out


def test_auditable_binary_packages_edges_and_sbom(bulwark, tiny_image, docker, save, cdx, spdx, tmp_path):
    need_tools()
    app = auditable_binary(tmp_path, "bwapp", zlib.compress(json.dumps(AUDIT).encode(), 9))
    # objcopy's own reading of the section is the reference for what is embedded
    dumped = tmp_path / "dumped"
    subprocess.run(["objcopy", "--dump-section", f".dep-v0={dumped}", str(app), str(tmp_path / "scratch")], check=True)
    assert json.loads(zlib.decompress(dumped.read_bytes())) == AUDIT

    ctx = tmp_path / "ctx"
    ctx.mkdir()
    shutil.copy(app, ctx / "bwapp")
    (ctx / "Cargo.lock").write_text(CARGO_LOCK)
    (ctx / "Dockerfile").write_text(f"FROM {tiny_image}\nCOPY bwapp /usr/local/bin/bwapp\n"
                                    "COPY Cargo.lock /src/bwapp/Cargo.lock\n")
    tar = save(docker.build_image("bwtest/inventory-rust:1", ctx))
    r = scan(bulwark, tar)
    layers = {p["layer"] for p in r["packages"] if p["path"] == "/usr/local/bin/bwapp"}
    assert len(layers) == 1 and None not in layers
    got = {}
    for p in r["packages"]:
        if p["path"] != "/usr/local/bin/bwapp":
            continue
        assert p["ecosystem"] == "crates.io"
        got[(p["name"], p["version"])] = (p["purl"], p.get("origin"), p.get("application", False),
                                          set(p.get("depends", [])))
    assert got == WANT
    # each file has the layer that copied it
    lock_layers = {p["layer"] for p in r["packages"] if p["path"] == "/src/bwapp/Cargo.lock"}
    assert lock_layers and lock_layers != layers
    # the Cargo.lock of the same image is kept too, under its own path
    lock = {(p["name"], p["version"]): set(p.get("depends", [])) for p in r["packages"]
            if p["path"] == "/src/bwapp/Cargo.lock"}
    assert lock == {("rand", "0.8.5"): {"pkg:cargo/libc@0.2.150"}, ("libc", "0.2.150"): set()}
    assert not [w for w in r.get("warnings", []) if "bwapp" in w]

    doc = sbom(bulwark, tar, "cyclonedx")
    assert_valid(cdx, doc)
    comps = {c["bom-ref"]: c for c in doc["components"]
             if any(pr["name"] == "bulwark:path" and pr["value"] == "/usr/local/bin/bwapp"
                    for pr in c.get("properties", []))}
    assert {(c["name"], c["version"]) for c in comps.values()} == set(WANT)
    by_ref = {d["ref"]: set(d.get("dependsOn", [])) for d in doc["dependencies"]}
    for ref, c in comps.items():
        purl, origin, application, depends = WANT[(c["name"], c["version"])]
        assert c["purl"] == purl
        assert c["type"] == ("application" if application else "library")
        # bom-refs are purls (the Cargo.lock's rand and libc get "#2" refs)
        assert {d.split("#")[0] for d in by_ref[ref]} == depends
        props = {pr["name"]: pr["value"] for pr in c.get("properties", [])}
        assert props.get("bulwark:origin") == origin
    root = doc["metadata"]["component"]["bom-ref"]
    assert "pkg:cargo/bwapp@0.3.0" in by_ref[root]

    s = sbom(bulwark, tar, "spdx")
    assert_valid(spdx, s)
    apps = [p for p in s["packages"] if p.get("primaryPackagePurpose") == "APPLICATION"]
    assert [(p["name"], p["versionInfo"]) for p in apps] == [("bwapp", "0.3.0")]


def test_hostile_auditable_binaries_warn_and_scan_goes_on(bulwark, tiny_image, docker, save, tmp_path):
    need_tools()
    good = zlib.compress(json.dumps(AUDIT).encode())
    ok = auditable_binary(tmp_path, "ok", good)
    data = ok.read_bytes()
    secs = elf64_sections(data)
    hdr_off, sec_off, sec_size = secs[".dep-v0"]
    bad = {}
    # truncated: the section table (at the end) is gone
    bad["truncated"] = data[:len(data) // 2]
    # .dep-v0's sh_offset past the end of the file
    b = bytearray(data)
    struct.pack_into("<Q", b, hdr_off + 24, len(data) + 4096)
    bad["offset-past-eof"] = bytes(b)
    # sh_size running past the end
    b = bytearray(data)
    struct.pack_into("<Q", b, hdr_off + 32, (1 << 63) + 5)
    bad["size-past-eof"] = bytes(b)
    # e_shoff past the end
    b = bytearray(data)
    struct.pack_into("<Q", b, 0x28, len(data) * 4)
    bad["shoff-past-eof"] = bytes(b)
    # e_shnum larger than the file holds
    b = bytearray(data)
    struct.pack_into("<H", b, 0x3c, 0xfeff)
    bad["shnum-huge"] = bytes(b)
    # a zlib bomb: 200 MiB of blanks after the JSON's start (~200 KB compressed)
    bad["bomb"] = auditable_binary(tmp_path, "bomb", zlib.compress(b"{\"packages\":[" + b" " * (200 << 20), 9)).read_bytes()
    bad["not-zlib"] = auditable_binary(tmp_path, "notzlib", b"\x00" * 64).read_bytes()
    bad["invalid-json"] = auditable_binary(tmp_path, "badjson", zlib.compress(b"{\"packages\":[{\"name\":")).read_bytes()
    bad["wrong-types"] = auditable_binary(tmp_path, "types", zlib.compress(json.dumps({"packages": [
        {"name": 1, "version": "1", "source": "crates.io"},
        {"name": "only", "version": "1.0.0", "source": "crates.io", "dependencies": [7, "x", -1]},
        {"name": "x", "version": [], "source": "crates.io"}, "str", None]}).encode())).read_bytes()
    bad["packages-not-array"] = auditable_binary(
        tmp_path, "notarray", zlib.compress(b"{\"packages\":{\"a\":1}}")).read_bytes()

    ctx = tmp_path / "ctx"
    ctx.mkdir()
    shutil.copy(ok, ctx / "ok")
    for name, content in bad.items():
        (ctx / name).write_bytes(content)
        (ctx / name).chmod(0o755)
    (ctx / "Dockerfile").write_text(f"FROM {tiny_image}\nCOPY . /opt/rust/\n")
    r = scan(bulwark, save(docker.build_image("bwtest/inventory-rust-hostile:1", ctx)))  # exit 0 asserted
    warnings = r.get("warnings", [])
    for name in bad:
        assert [w for w in warnings if f"/opt/rust/{name}:" in w], (name, warnings)
    assert not [w for w in warnings if "/opt/rust/ok:" in w]
    got = {(p["name"], p["version"]) for p in r["packages"] if p["path"] == "/opt/rust/ok"}
    assert got == set(WANT)
    # the good entry of the wrong-types data is still listed
    assert {(p["name"], p["version"]) for p in r["packages"] if p["path"] == "/opt/rust/wrong-types"} == {
        ("only", "1.0.0")}
    bomb_warning = next(w for w in warnings if "/opt/rust/bomb:" in w)
    assert "8 MiB" in bomb_warning
