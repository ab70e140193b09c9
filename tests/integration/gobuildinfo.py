"""Go build info in the layout linkers before Go 1.18 wrote, made from a binary that
Debian's golang-go (1.19) linked — and hostile variants of it.

    from gobuildinfo import Elf, to_pre118, set_pointer, set_string_len, set_phdrs, strip_shdrs

The layout, as the Go sources show it (read, not copied):

* Go 1.13 to 1.17, cmd/link/internal/ld (Link.buildinfo): a ".go.buildinfo" section of 32
  bytes, 16-byte aligned, the first of the writable data segment: the 14-byte magic
  "\\xff Go buildinf:", the pointer size (4 or 8), a flags byte 0 (little endian) or 1 (big
  endian), then two R_ADDR relocations, pointer-sized, at bytes 16 and 16 + pointer size:
  the addresses of runtime.buildVersion and runtime.modinfo. Those are Go string variables
  ({data pointer, length}, pointer-sized, in the target's byte order) in .data/.noptrdata,
  after .go.buildinfo. The linker sets runtime.buildVersion itself (addstrdata: the bytes
  go in "runtime.buildVersion.str" in .rodata, NUL-terminated; the length excludes the NUL);
  runtime.modinfo holds the module information framed by two 16-byte sentinels (cmd/go's
  modload.infoStart / infoEnd), also with its bytes in .rodata.
* Go 1.18 and later set bit 1 of the flags byte and write both strings inline after the 32
  bytes (each a uvarint length and the bytes); the pointer fields are zero. They still
  make runtime.buildVersion and runtime.modinfo exactly as before (runtime.Version() and
  runtime/debug read them), which is what makes the rewrite below faithful.
* debug/buildinfo (Go 1.19, /usr/lib/go-1.19/src/debug/buildinfo) reads the old layout:
  flags bit 1 clear, so readString(addr) for both pointers: ReadData(addr, 2*ptrSize) is the
  string header, then ReadData(data pointer, length) the bytes; ReadData uses the first
  program header whose [Vaddr, Vaddr+Filesz) holds the address, and a string must end
  inside it. `go version -m` prints the version string as it is. So Debian's `go version
  -m` is the oracle for a rewritten binary too.

to_pre118(data) clears flag bit 1, writes the addresses of the two symbols (from .symtab)
into the pointer fields and zeroes the inline strings after the 32 bytes (the section keeps
its length: the rest reads as padding). With version="go1.16.7" it also writes that string
(at most as long as the original, NUL-padded) over runtime.buildVersion.str and sets the
length in runtime.buildVersion's header, as a Go 1.16.7 linker would have set them. What
still differs from a real pre-1.18 binary: the section is longer than 32 bytes, and the
module information carries 1.19's "build" lines (older linkers had none; readers skip them).

Both ELF classes and byte orders are handled (the test cross-compiles for 386, s390x and
mips). Everything here is for tests: no bounds are checked beyond what Python does.
"""

import struct

PT_LOAD = 1
SHT_SYMTAB = 2


class Elf:
    """The parts of an ELF file the rewrite needs: program headers, sections, symbols."""

    def __init__(self, data):
        if data[:4] != b"\x7fELF":
            raise ValueError("not ELF")
        self.data = bytes(data)
        self.is64 = data[4] == 2
        self.be = data[5] == 2
        self.bo = ">" if self.be else "<"
        self.ptrsize = 8 if self.is64 else 4
        if self.is64:
            (self.phoff, self.shoff) = struct.unpack_from(self.bo + "QQ", data, 0x20)
            (self.phentsize, self.phnum, self.shentsize, self.shnum, self.shstrndx) = struct.unpack_from(
                self.bo + "HHHHH", data, 0x36)
        else:
            (self.phoff, self.shoff) = struct.unpack_from(self.bo + "II", data, 0x1C)
            (self.phentsize, self.phnum, self.shentsize, self.shnum, self.shstrndx) = struct.unpack_from(
                self.bo + "HHHHH", data, 0x2A)
        self.loads = []  # (offset, vaddr, filesz, flags)
        for i in range(self.phnum):
            o = self.phoff + i * self.phentsize
            if self.is64:
                t, fl, off, va, _pa, fsz = struct.unpack_from(self.bo + "IIQQQQ", data, o)
            else:
                t, off, va, _pa, fsz, _msz, fl = struct.unpack_from(self.bo + "IIIIIII", data, o)
            if t == PT_LOAD:
                self.loads.append((off, va, fsz, fl))
        self.sections = {}  # name -> (type, addr, offset, size, link)
        raw = []
        for i in range(self.shnum):
            o = self.shoff + i * self.shentsize
            if self.is64:
                name, typ, _fl, addr, off, size, link = struct.unpack_from(self.bo + "IIQQQQI", data, o)
            else:
                name, typ, _fl, addr, off, size, link = struct.unpack_from(self.bo + "IIIIIII", data, o)
            raw.append((name, typ, addr, off, size, link))
        if raw:
            stroff, strsize = raw[self.shstrndx][3], raw[self.shstrndx][4]
            for name, typ, addr, off, size, link in raw:
                end = data.index(b"\0", stroff + name)
                self.sections[data[stroff + name:end].decode()] = (typ, addr, off, size, link, raw)

    def symbol(self, want):
        """The value (address) of symbol `want` in .symtab."""
        typ, _addr, off, size, link, raw = self.sections[".symtab"]
        stroff = raw[link][3]
        ent = 24 if self.is64 else 16
        for o in range(off, off + size, ent):
            if self.is64:
                name, _info, _other, _shndx, value, _size = struct.unpack_from(self.bo + "IBBHQQ", self.data, o)
            else:
                name, value, _size, _info, _other, _shndx = struct.unpack_from(self.bo + "IIIBBH", self.data, o)
            end = self.data.index(b"\0", stroff + name)
            if self.data[stroff + name:end] == want.encode():
                return value
        raise KeyError(want)

    def offset_of(self, vaddr):
        for off, va, fsz, _fl in self.loads:
            if va <= vaddr < va + fsz:
                return off + (vaddr - va)
        raise KeyError(hex(vaddr))

    def ptr(self, buf, at):
        return struct.unpack_from(self.bo + ("Q" if self.is64 else "I"), buf, at)[0]

    def put_ptr(self, buf, at, value):
        struct.pack_into(self.bo + ("Q" if self.is64 else "I"), buf, at, value)

    def buildinfo_offset(self):
        return self.sections[".go.buildinfo"][2]


def to_pre118(data, version=None):
    """The binary with its build info in the pre-1.18 layout (see the module docstring)."""
    e = Elf(data)
    out = bytearray(data)
    hdr = e.buildinfo_offset()
    size = e.sections[".go.buildinfo"][3]
    assert out[hdr:hdr + 14] == b"\xff Go buildinf:" and out[hdr + 15] & 2, "not 1.18+ build info"
    out[hdr + 14] = e.ptrsize
    out[hdr + 15] = 1 if e.be else 0
    out[hdr + 16:hdr + 32] = bytes(16)
    e.put_ptr(out, hdr + 16, e.symbol("runtime.buildVersion"))
    e.put_ptr(out, hdr + 16 + e.ptrsize, e.symbol("runtime.modinfo"))
    out[hdr + 32:hdr + size] = bytes(size - 32)
    if version is not None:
        vhdr = e.offset_of(e.symbol("runtime.buildVersion"))
        vdata = e.offset_of(e.ptr(out, vhdr))
        vlen = e.ptr(out, vhdr + e.ptrsize)
        assert len(version) <= vlen, (version, vlen)
        out[vdata:vdata + vlen] = version.encode().ljust(vlen, b"\0")
        e.put_ptr(out, vhdr + e.ptrsize, len(version))
    return bytes(out)


def set_pointer(data, which, value):
    """Pointer `which` (0: runtime.buildVersion, 1: runtime.modinfo) of the header set to value."""
    e = Elf(data)
    out = bytearray(data)
    e.put_ptr(out, e.buildinfo_offset() + 16 + which * e.ptrsize, value)
    return bytes(out)


def set_string_len(data, symbol, value):
    """The length field of the Go string variable `symbol` set to value."""
    e = Elf(data)
    out = bytearray(data)
    e.put_ptr(out, e.offset_of(e.symbol(symbol)) + e.ptrsize, value)
    return bytes(out)


def set_string_data(data, symbol, value):
    """The data pointer of the Go string variable `symbol` set to value."""
    e = Elf(data)
    out = bytearray(data)
    e.put_ptr(out, e.offset_of(e.symbol(symbol)), value)
    return bytes(out)


def set_phdrs(data, phoff=None, phnum=None):
    """e_phoff and/or e_phnum replaced."""
    e = Elf(data)
    out = bytearray(data)
    if e.is64:
        if phoff is not None:
            struct.pack_into(e.bo + "Q", out, 0x20, phoff)
        if phnum is not None:
            struct.pack_into(e.bo + "H", out, 0x38, phnum)
    else:
        if phoff is not None:
            struct.pack_into(e.bo + "I", out, 0x1C, phoff)
        if phnum is not None:
            struct.pack_into(e.bo + "H", out, 0x2C, phnum)
    return bytes(out)


def strip_shdrs(data):
    """No section header table (e_shoff, e_shnum, e_shstrndx 0), as sstrip leaves a file;
    the program headers still say everything a loader, and debug/buildinfo, needs."""
    e = Elf(data)
    out = bytearray(data)
    if e.is64:
        struct.pack_into(e.bo + "Q", out, 0x28, 0)
        struct.pack_into(e.bo + "HH", out, 0x3C, 0, 0)
    else:
        struct.pack_into(e.bo + "I", out, 0x20, 0)
        struct.pack_into(e.bo + "HH", out, 0x30, 0, 0)
    return bytes(out)
