#!/usr/bin/env python3
"""Writes the Go build-info seeds of fuzz_inventory (first byte 14: handed over as
/usr/bin/app, an executable; executables under 1 KiB are not looked at, so every seed
is larger):

  gobin             Go 1.18+ build info: the 32-byte header, flags 2, the version and the
                    module information inline (uvarint lengths)
  gobin-old         the pre-1.18 layout, 64-bit little endian, with a section table (so
                    kept in memory and read from the copy at the end): flags 0, pointers
                    at 16 and 24 to the string headers of runtime.buildVersion and
                    runtime.modinfo in the writable segment, their bytes in the read-only
                    one, three PT_LOAD program headers to map them
  gobin-old-stream  the same, 32-bit big endian, without a section table (streamed: the
                    string headers captured on the way, the version matched among the
                    remembered "go1.N" strings)

Layout of the pre-1.18 seeds (file offsets; vaddr = 0x400000 + offset): ELF header and
program headers at 0; segment R+X [0, 0x200); R [0x200, 0x400) holding the version
(NUL-terminated) at 0x240 and the sentinel-framed module information at 0x280; R+W
[0x400, 0x600) holding the header at 0x400 and the string headers at 0x440 and 0x460;
section headers at 0x600. Run: python3 tests/fuzz/make_go_seeds.py."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "fuzz_inventory")
PATH_BYTE = b"\x0e"  # paths[14] of fuzz_inventory.c: /usr/bin/app

START = bytes([0x30, 0x77, 0xAF, 0x0C, 0x92, 0x74, 0x08, 0x02, 0x41, 0xE1, 0xC1, 0x07, 0xE6, 0xD6, 0x18, 0xE6])
END = bytes([0xF9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72, 0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xD8, 0xF2])
MODINFO = START + b"path\tx\nmod\tx\t(devel)\t\ndep\tgolang.org/x/text\tv0.7.0\th1:a=\n" + END
BASE = 0x400000


def uvarint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def elf_header(is64, be, shoff, shnum):
    bo = ">" if be else "<"
    ident = b"\x7fELF" + bytes([2 if is64 else 1, 2 if be else 1, 1]) + bytes(9)
    if is64:
        return ident + struct.pack(bo + "HHIQQQIHHHHHH", 2, 62, 1, 0, 64, shoff, 0, 64, 56, 3, 64, shnum,
                                   1 if shnum else 0)
    return ident + struct.pack(bo + "HHIIIIIHHHHHH", 2, 8, 1, 0, 52, shoff, 0, 52, 32, 3, 40, shnum,
                               1 if shnum else 0)


def phdr(is64, be, flags, off, size):
    bo = ">" if be else "<"
    if is64:
        return struct.pack(bo + "IIQQQQQQ", 1, flags, off, BASE + off, BASE + off, size, size, 0x1000)
    return struct.pack(bo + "IIIIIIII", 1, off, BASE + off, BASE + off, size, size, flags, 0x1000)


def pre118(is64, be, shdrs):
    bo = ">" if be else "<"
    ptr = bo + ("Q" if is64 else "I")
    pair = bo + ("QQ" if is64 else "II")
    ps = 8 if is64 else 4
    f = bytearray(0x700 if shdrs else 0x600)
    hdr = elf_header(is64, be, 0x640 if shdrs else 0, 3 if shdrs else 0)
    f[0:len(hdr)] = hdr
    ph = phdr(is64, be, 5, 0, 0x200) + phdr(is64, be, 4, 0x200, 0x200) + phdr(is64, be, 6, 0x400, 0x200)
    f[len(hdr):len(hdr) + len(ph)] = ph
    version = b"go1.16.15"
    f[0x240:0x240 + len(version) + 1] = version + b"\0"
    f[0x280:0x280 + len(MODINFO)] = MODINFO
    f[0x400:0x410] = b"\xff Go buildinf:" + bytes([ps, 1 if be else 0])
    struct.pack_into(ptr, f, 0x410, BASE + 0x440)
    struct.pack_into(ptr, f, 0x410 + ps, BASE + 0x460)
    struct.pack_into(pair, f, 0x440, BASE + 0x240, len(version))
    struct.pack_into(pair, f, 0x460, BASE + 0x280, len(MODINFO))
    if shdrs:
        names = b"\0.shstrtab\0.go.buildinfo\0"
        f[0x600:0x600 + len(names)] = names
        ent = 64 if is64 else 40
        for i, (name, typ, addr, off, size) in enumerate([(1, 3, 0, 0x600, len(names)),
                                                          (11, 1, BASE + 0x400, 0x400, 32)], start=1):
            o = 0x640 + i * ent
            if is64:
                struct.pack_into(bo + "IIQQQQ", f, o, name, typ, 0, addr, off, size)
            else:
                struct.pack_into(bo + "IIIIII", f, o, name, typ, 0, addr, off, size)
    return bytes(f)


def inline():
    f = bytearray(elf_header(True, False, 0, 0).ljust(0x40, b"\0"))
    f += b"\xff Go buildinf:" + bytes([8, 2]) + bytes(16)
    f += uvarint(8) + b"go1.19.8" + uvarint(len(MODINFO)) + MODINFO
    return bytes(f.ljust(1536, b"\0"))


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {"gobin": inline(), "gobin-old": pre118(True, False, True), "gobin-old-stream": pre118(False, True, False)}
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as fh:
            fh.write(PATH_BYTE + data)


if __name__ == "__main__":
    main()
