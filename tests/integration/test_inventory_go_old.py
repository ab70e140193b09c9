"""Go binaries from before Go 1.18, whose build info points at runtime.buildVersion and
runtime.modinfo instead of holding the strings: Debian's golang-go (1.19) links the app of
test_inventory_lang for amd64, 386, s390x and mips (both ELF classes, both byte orders),
and gobuildinfo.to_pre118 rewrites each into the older layout (the layout is described
there). Debian's `go version -m` reads both layouts, so it is the oracle: the stdlib
version is the one it prints for the rewritten file, the modules those it prints for the
original. The files go into an image built by the Docker engine, some padded past
bulwark's 64 MiB in-memory limit or stripped of their section table so that the streaming
path reads them, next to hostile variants that must give no stdlib, a warning, no crash."""

import os
import subprocess

import pytest

import gobuildinfo as gbi
from test_inventory import scan
from test_inventory_lang import build_go_app, go_version_m

ELF_BUFFER_MAX = 64 << 20  # src/inventory/inventory-int.h INV_ELF_BUFFER_MAX
PAD = bytes(ELF_BUFFER_MAX + (1 << 20))

# name -> (architecture, version written, how): versions of at most 8 bytes ("go1.19.8")
GOOD = {
    "keep-amd64": ("amd64", None, "kept"),  # Debian's own version left in place
    "amd64": ("amd64", "go1.17.8", "kept"),
    "386": ("386", "go1.16.7", "kept"),
    "s390x": ("s390x", "go1.15.6", "kept"),
    "mips": ("mips", "go1.13.4", "kept"),
    "big-amd64": ("amd64", "go1.14.2", "big"),  # past 64 MiB: streamed
    "big-s390x": ("s390x", "go1.16.2", "big"),
    "noshdr-386": ("386", "go1.17.1", "noshdr"),  # no section table: streamed
    "noshdr-mips": ("mips", "go1.15.9", "noshdr"),
}


def hostile(o):
    """name -> (bytes, the reason bulwark's warning gives), from a rewritten amd64 binary o."""
    return {
        "ptr-outside": (gbi.set_pointer(o, 0, 0xDEAD0000), "address is outside every loadable segment"),
        "len-huge": (gbi.set_string_len(o, "runtime.buildVersion", 1 << 40), "longer than 64 bytes"),
        "data-outside": (gbi.set_string_data(o, "runtime.buildVersion", 0x10),
                         "bytes are outside every loadable segment"),
        "phdrs-truncated": (gbi.set_phdrs(o, phoff=len(o) - 20), "program header table past the end of the file"),
        "phdrs-none": (gbi.set_phdrs(o, phnum=0), "without a program header table"),
        "big-len-huge": (gbi.set_string_len(o, "runtime.buildVersion", 1 << 40) + PAD, "longer than 64 bytes"),
        "big-phdrs-truncated": (gbi.set_phdrs(o + PAD, phoff=len(o) + len(PAD) - 20),
                                "program header table past the end of the file"),
    }


@pytest.fixture(scope="session")
def go_apps(tmp_path_factory):
    return {arch: build_go_app(tmp_path_factory.mktemp("goapp-" + arch), goarch=None if arch == "amd64" else arch)
            for arch in ("amd64", "386", "s390x", "mips")}


def printed_version(path):
    out = subprocess.run(["go", "version", "-m", str(path)], stdout=subprocess.PIPE, text=True, check=True).stdout
    return out.splitlines()[0].split(": ", 1)[1]


def test_pre118_go_binaries_report_stdlib(bulwark, tiny_image, docker, save, go_apps, tmp_path):
    ctx = tmp_path / "ctx"
    (ctx / "old").mkdir(parents=True)
    want = {}
    for name, (arch, version, how) in GOOD.items():
        data = gbi.to_pre118(go_apps[arch].read_bytes(), version=version)
        if how == "big":
            data += PAD
        elif how == "noshdr":
            data = gbi.strip_shdrs(data)
        f = ctx / "old" / name
        f.write_bytes(data)
        os.chmod(f, 0o755)
        if how == "big":
            assert len(data) > ELF_BUFFER_MAX
        if how == "noshdr":
            assert gbi.Elf(data).shoff == 0
        printed = printed_version(f)  # the oracle reads the older layout too
        assert printed == (version or printed_version(go_apps[arch]))
        modules = {p for p in go_version_m(go_apps[arch]) if p[0] != "stdlib"}
        want[f"/opt/old/{name}"] = modules | {("stdlib", "v" + printed[2:])}
    bad = hostile(gbi.to_pre118(go_apps["amd64"].read_bytes(), version="go1.17.8"))
    for name, (data, _why) in bad.items():
        (ctx / "old" / name).write_bytes(data)
        os.chmod(ctx / "old" / name, 0o755)
    (ctx / "Dockerfile").write_text(f"FROM {tiny_image}\nCOPY old/ /opt/old/\n")
    archive = save(docker.build_image("bwtest/inventory-go-old:1", ctx))

    r = scan(bulwark, archive)
    got = {}
    for p in r["packages"]:
        got.setdefault(p["path"], set()).add((p["name"], p["version"]))
        assert p["ecosystem"] == "Go"
    for path, pkgs in want.items():
        assert got.get(path) == pkgs, path
    stdlib = next(p for p in r["packages"] if p["path"] == "/opt/old/amd64" and p["name"] == "stdlib")
    assert stdlib["purl"] == "pkg:golang/stdlib@v1.17.8"
    warnings = r.get("warnings", [])
    assert not [w for w in warnings if any(f"/opt/old/{n}:" in w for n in GOOD)], warnings
    modules = {p for p in go_version_m(go_apps["amd64"]) if p[0] != "stdlib"}
    for name, (_data, why) in bad.items():
        path = f"/opt/old/{name}"
        assert got.get(path) == modules, path  # no stdlib; the modules from the sentinels
        assert [w for w in warnings if w.startswith(f"{path}:") and why in w], (name, warnings)

    # the layer cache gives the same answer
    again = scan(bulwark, archive)
    assert sorted(map(str, again["packages"])) == sorted(map(str, r["packages"]))
    assert sorted(again.get("warnings", [])) == sorted(warnings)
