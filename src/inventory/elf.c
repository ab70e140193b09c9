/* ELF section headers, read from a whole file in memory, for analyzers
 * that need one named section (cargo-auditable's ".dep-v0"); and the
 * loadable segments of the program header table, read from the first
 * bytes of a stream (Go's pre-1.18 build info, gobinary.c).
 *
 * The file header (52 bytes for ELFCLASS32, 64 for ELFCLASS64) starts
 * with e_ident: "\x7fELF", the class (1: 32-bit, 2: 64-bit) and the data
 * encoding (1: little endian, 2: big endian); every later field is in
 * that byte order. The section header table is e_shnum entries of
 * e_shentsize bytes at file offset e_shoff, usually at the very end of the
 * file. Two escapes allow more than 0xff00 sections: e_shnum 0 with a
 * table present means the count is entry 0's sh_size, and e_shstrndx
 * 0xffff (SHN_XINDEX) means the index is entry 0's sh_link. Entry
 * e_shstrndx is the string table of section names; sh_name is an offset
 * into it. A section of type SHT_NOBITS (8) has no bytes in the file.
 *
 * The program header table (Go's pre-1.18 build info points at virtual
 * addresses) is e_phnum entries of e_phentsize bytes at e_phoff, in
 * practice right after the file header. An entry of type PT_LOAD (1) maps
 * the file's bytes [p_offset, p_offset + p_filesz) at p_vaddr (p_memsz
 * past p_filesz is zero-filled memory, not in the file); p_flags has PF_X
 * (1), PF_W (2), PF_R (4). ELF64 entries are p_type, p_flags, p_offset,
 * p_vaddr, p_paddr, p_filesz, p_memsz, p_align (4, 4, then 8 bytes each);
 * ELF32 ones p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz,
 * p_flags, p_align (4 bytes each). e_phnum 0xffff (PN_XNUM, the count in
 * section 0) is not supported: no file has that many segments.
 *
 * Everything here comes from an untrusted image: every offset and size
 * is checked against the file's length before it is used, in 64-bit
 * arithmetic that cannot wrap.
 */
#include "inventory-int.h"

#define SHT_NOBITS 8
#define SHN_XINDEX 0xffffu
#define PT_LOAD 1
#define PN_XNUM 0xffffu

struct elf {
	const unsigned char *d;
	size_t n;
	bool is64, be;
};

static uint64_t rd(const struct elf *e, size_t off, size_t width)
{
	uint64_t v = 0;
	for (size_t i = 0; i < width; i++) {
		size_t k = e->be ? i : width - 1 - i;
		v = (v << 8) | e->d[off + k];
	}
	return v;
}

/* The header fields we use; -1 with *why when the header is not ELF. */
struct elf_hdr {
	uint64_t shoff, shentsize, shnum, shstrndx;
	uint64_t phoff, phentsize, phnum;
};

static int read_header(struct elf *e, const unsigned char *d, size_t n, struct elf_hdr *h, const char **why)
{
	e->d = d;
	e->n = n;
	if (n < 16 || memcmp(d, "\177ELF", 4) != 0) {
		*why = "not an ELF file";
		return -1;
	}
	if ((d[4] != 1 && d[4] != 2) || (d[5] != 1 && d[5] != 2)) {
		*why = "unknown ELF class or byte order";
		return -1;
	}
	e->is64 = d[4] == 2;
	e->be = d[5] == 2;
	if (n < (e->is64 ? 64u : 52u)) {
		*why = "ELF header cut short";
		return -1;
	}
	if (e->is64) {
		h->phoff = rd(e, 0x20, 8);
		h->shoff = rd(e, 0x28, 8);
		h->phentsize = rd(e, 0x36, 2);
		h->phnum = rd(e, 0x38, 2);
		h->shentsize = rd(e, 0x3a, 2);
		h->shnum = rd(e, 0x3c, 2);
		h->shstrndx = rd(e, 0x3e, 2);
	} else {
		h->phoff = rd(e, 0x1c, 4);
		h->shoff = rd(e, 0x20, 4);
		h->phentsize = rd(e, 0x2a, 2);
		h->phnum = rd(e, 0x2c, 2);
		h->shentsize = rd(e, 0x2e, 2);
		h->shnum = rd(e, 0x30, 2);
		h->shstrndx = rd(e, 0x32, 2);
	}
	return 0;
}

int inv_elf_probe(const unsigned char *d, size_t n, uint64_t size, const char **why)
{
	struct elf e;
	struct elf_hdr h;
	if (read_header(&e, d, n, &h, why) < 0)
		return -1;
	if (h.shoff == 0)
		return 0; /* no section table (stripped of it, or a core file) */
	if (h.shoff >= size) {
		*why = "ELF section header table past the end of the file (truncated?)";
		return -1;
	}
	return 1;
}

/* Section i's header: offset, size, name offset, type, link. */
struct elf_shdr {
	uint64_t name, type, offset, size, link;
};

static void read_shdr(const struct elf *e, const struct elf_hdr *h, uint64_t i, struct elf_shdr *s)
{
	size_t o = (size_t)(h->shoff + i * h->shentsize);
	s->name = rd(e, o, 4);
	s->type = rd(e, o + 4, 4);
	if (e->is64) {
		s->offset = rd(e, o + 24, 8);
		s->size = rd(e, o + 32, 8);
		s->link = rd(e, o + 40, 4);
	} else {
		s->offset = rd(e, o + 16, 4);
		s->size = rd(e, o + 20, 4);
		s->link = rd(e, o + 24, 4);
	}
}

int inv_elf_section(const unsigned char *d, size_t n, const char *name, struct bw_slice *out,
		    const char **why)
{
	struct elf e;
	struct elf_hdr h;
	*out = (struct bw_slice){0};
	if (read_header(&e, d, n, &h, why) < 0)
		return -1;
	if (h.shoff == 0)
		return 0;
	uint64_t minent = e.is64 ? 64 : 40;
	if (h.shentsize < minent) {
		*why = "ELF section header entries too small";
		return -1;
	}
	if (h.shoff > n || n - h.shoff < h.shentsize) {
		*why = "ELF section header table past the end of the file";
		return -1;
	}
	struct elf_shdr s0;
	read_shdr(&e, &h, 0, &s0);
	if (h.shnum == 0)
		h.shnum = s0.size; /* extended numbering */
	if (h.shstrndx == SHN_XINDEX)
		h.shstrndx = s0.link;
	if (h.shnum > (n - h.shoff) / h.shentsize) {
		*why = "ELF section header table past the end of the file";
		return -1;
	}
	if (h.shstrndx == 0)
		return 0; /* SHN_UNDEF: sections have no names */
	if (h.shstrndx >= h.shnum) {
		*why = "ELF section name table index out of range";
		return -1;
	}
	struct elf_shdr st;
	read_shdr(&e, &h, h.shstrndx, &st);
	if (st.type == SHT_NOBITS || st.offset > n || st.size > n - st.offset) {
		*why = "ELF section name table past the end of the file";
		return -1;
	}
	const char *strtab = (const char *)d + st.offset;
	size_t want = strlen(name);
	for (uint64_t i = 1; i < h.shnum; i++) {
		struct elf_shdr s;
		read_shdr(&e, &h, i, &s);
		if (s.name >= st.size || st.size - s.name < want + 1)
			continue;
		if (memcmp(strtab + s.name, name, want + 1) != 0)
			continue;
		if (s.type == SHT_NOBITS) {
			*why = "ELF section has no bytes in the file";
			return -1;
		}
		if (s.offset > n || s.size > n - s.offset) {
			*why = "ELF section past the end of the file";
			return -1;
		}
		*out = (struct bw_slice){(const char *)d + s.offset, (size_t)s.size};
		return 1;
	}
	return 0;
}

int inv_elf_loads(const unsigned char *d, size_t n, uint64_t size, struct inv_elf_load *out, size_t max,
		  size_t *n_out, uint64_t *need, const char **why)
{
	struct elf e;
	struct elf_hdr h;
	*n_out = 0;
	if (read_header(&e, d, n, &h, why) < 0)
		return -1;
	if (h.phoff == 0 || h.phnum == 0) {
		*why = "ELF file without a program header table";
		return -1;
	}
	if (h.phentsize < (e.is64 ? 56u : 32u)) {
		*why = "ELF program header entries too small";
		return -1;
	}
	if (h.phnum == PN_XNUM) {
		*why = "ELF program header table too large";
		return -1;
	}
	/* phnum < 2^16 and phentsize < 2^16: the product cannot wrap */
	if (h.phoff > size || h.phnum * h.phentsize > size - h.phoff) {
		*why = "ELF program header table past the end of the file";
		return -1;
	}
	*need = h.phoff + h.phnum * h.phentsize;
	if (*need > n)
		return 0;
	for (uint64_t i = 0; i < h.phnum; i++) {
		size_t o = (size_t)(h.phoff + i * h.phentsize);
		if (rd(&e, o, 4) != PT_LOAD)
			continue;
		if (*n_out == max) {
			*why = "too many loadable ELF segments";
			return -1;
		}
		struct inv_elf_load *l = &out[(*n_out)++];
		if (e.is64) {
			l->flags = (uint32_t)rd(&e, o + 4, 4);
			l->offset = rd(&e, o + 8, 8);
			l->vaddr = rd(&e, o + 16, 8);
			l->filesz = rd(&e, o + 32, 8);
		} else {
			l->offset = rd(&e, o + 4, 4);
			l->vaddr = rd(&e, o + 8, 4);
			l->filesz = rd(&e, o + 16, 4);
			l->flags = (uint32_t)rd(&e, o + 24, 4);
		}
	}
	return 1;
}

int inv_elf_vaddr_offset(const struct inv_elf_load *l, size_t nl, uint64_t vaddr, uint64_t len, uint64_t *off)
{
	for (size_t i = 0; i < nl; i++) {
		if (vaddr < l[i].vaddr || vaddr - l[i].vaddr >= l[i].filesz)
			continue;
		uint64_t rel = vaddr - l[i].vaddr;
		if (len > l[i].filesz - rel || l[i].offset > UINT64_MAX - l[i].filesz)
			return -1; /* runs past the segment's file bytes */
		*off = l[i].offset + rel;
		return 0;
	}
	return -1;
}

const struct inv_elf_load *inv_elf_offset_load(const struct inv_elf_load *l, size_t nl, uint64_t off)
{
	for (size_t i = 0; i < nl; i++)
		if (off >= l[i].offset && off - l[i].offset < l[i].filesz)
			return &l[i];
	return NULL;
}
