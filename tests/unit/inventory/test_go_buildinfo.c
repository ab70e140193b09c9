/* Unit tests of the pre-1.18 Go build info (gobinary.c, elf.c): ELF files
 * made here, in both classes and byte orders, laid out as Go 1.13-1.17
 * linkers lay them out, handed over as the walker would hand an
 * executable (bw_inventory_parse_file streams it in 4093-byte chunks).
 *
 * The file (offsets; each segment's vaddr is BASE + its offset):
 *   0          ELF header, then three PT_LOAD program headers
 *   0          segment R+X, 0x1000 bytes ("text")
 *   RO_OFF     segment R, RO_SIZE bytes (".rodata"): the version string,
 *              NUL-terminated, at VER_OFF; the module information between
 *              its sentinels at MOD_OFF
 *   DATA_OFF   segment R+W, DATA_SIZE bytes: the 32-byte build info header
 *              (flags 0 or 1, pointers at 16 and 16 + pointer size to the
 *              string headers), runtime.buildVersion's {data, len} at
 *              DATA_OFF + 0x40, runtime.modinfo's at DATA_OFF + 0x60
 *   SH_OFF     .shstrtab and the section header table (kept in memory), or
 *              none (the file is streamed: e_shoff 0)
 * then, optionally, zeros past INV_ELF_BUFFER_MAX (streamed too). Tests
 * patch fields of the made file for the hostile cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "inventory/inventory.h"

#define BASE 0x400000u
#define RO_OFF 0x1000u
#define RO_SIZE 0x2000u
#define VER_OFF (RO_OFF + 0x100)
#define MOD_OFF (RO_OFF + 0x200)
#define DATA_OFF 0x3000u
#define DATA_SIZE 0x1000u
#define VHDR_OFF (DATA_OFF + 0x40)
#define MHDR_OFF (DATA_OFF + 0x60)
#define SH_OFF 0x4000u
#define FILE_LEN (SH_OFF + 0x100)

#define VERSION "go1.16.15"
#define ELF_BUFFER_MAX (64u << 20) /* inventory-int.h's INV_ELF_BUFFER_MAX */

enum mode { KEPT, NO_SHDRS, BIG };

struct elf {
	bool is64, be;
	unsigned char *d;
	size_t len;
};

static const unsigned char sent_start[16] = {0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02,
					     0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6};
static const unsigned char sent_end[16] = {0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72,
					   0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2};
static const char modinfo[] =
    "path\texample.com/app\n"
    "mod\texample.com/app\tv0.1.0\th1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
    "dep\tgolang.org/x/text\tv0.3.7\th1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=\n";

static void wr(unsigned char *p, uint64_t v, size_t w, bool be)
{
	for (size_t i = 0; i < w; i++)
		p[be ? w - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

static size_t ptrsize(const struct elf *e)
{
	return e->is64 ? 8 : 4;
}

static void put_ptr(struct elf *e, size_t off, uint64_t v)
{
	wr(e->d + off, v, ptrsize(e), e->be);
}

/* A sentinel-framed module information at off; returns its length. */
static size_t put_modinfo(struct elf *e, size_t off, const char *text)
{
	size_t n = strlen(text);
	memcpy(e->d + off, sent_start, 16);
	memcpy(e->d + off + 16, text, n);
	memcpy(e->d + off + 16 + n, sent_end, 16);
	return n + 32;
}

/* A Go string variable {data, len} at file offset at, for bytes at file offset data. */
static void put_string(struct elf *e, size_t at, size_t data, size_t len)
{
	put_ptr(e, at, BASE + data);
	put_ptr(e, at + ptrsize(e), len);
}

/* The pre-1.18 build info header at file offset at, pointing at string headers vhdr, mhdr. */
static void put_header(struct elf *e, size_t at, size_t vhdr, size_t mhdr)
{
	memcpy(e->d + at, "\xff Go buildinf:", 14);
	e->d[at + 14] = (unsigned char)ptrsize(e);
	e->d[at + 15] = e->be ? 1 : 0;
	put_ptr(e, at + 16, BASE + vhdr);
	put_ptr(e, at + 16 + ptrsize(e), BASE + mhdr);
}

static void phdr(struct elf *e, int i, uint32_t flags, uint64_t off, uint64_t size)
{
	bool be = e->be;
	if (e->is64) {
		unsigned char *p = e->d + 64 + (size_t)i * 56;
		wr(p, 1, 4, be);
		wr(p + 4, flags, 4, be);
		wr(p + 8, off, 8, be);
		wr(p + 16, BASE + off, 8, be);
		wr(p + 24, BASE + off, 8, be);
		wr(p + 32, size, 8, be);
		wr(p + 40, size, 8, be);
		wr(p + 48, 0x1000, 8, be);
	} else {
		unsigned char *p = e->d + 52 + (size_t)i * 32;
		wr(p, 1, 4, be);
		wr(p + 4, off, 4, be);
		wr(p + 8, BASE + off, 4, be);
		wr(p + 12, BASE + off, 4, be);
		wr(p + 16, size, 4, be);
		wr(p + 20, size, 4, be);
		wr(p + 24, flags, 4, be);
		wr(p + 28, 0x1000, 4, be);
	}
}

static void shdr(struct elf *e, int i, uint32_t name, uint32_t type, uint64_t off, uint64_t size)
{
	size_t ent = e->is64 ? 64 : 40;
	unsigned char *p = e->d + SH_OFF + 0x40 + (size_t)i * ent;
	wr(p, name, 4, e->be);
	wr(p + 4, type, 4, e->be);
	if (e->is64) {
		wr(p + 16, type == 1 ? BASE + off : 0, 8, e->be);
		wr(p + 24, off, 8, e->be);
		wr(p + 32, size, 8, e->be);
	} else {
		wr(p + 12, type == 1 ? BASE + off : 0, 4, e->be);
		wr(p + 16, off, 4, e->be);
		wr(p + 20, size, 4, e->be);
	}
}

static size_t pad_of(enum mode m)
{
	return m == BIG ? ELF_BUFFER_MAX : 0;
}

/* The file, with `pad` zeros after it. */
static struct elf make_padded(bool is64, bool be, enum mode mode, size_t pad)
{
	struct elf e = {.is64 = is64, .be = be, .len = FILE_LEN + pad};
	e.d = bw_calloc(1, e.len);
	unsigned char *f = e.d;
	memcpy(f, "\177ELF", 4);
	f[4] = is64 ? 2 : 1;
	f[5] = be ? 2 : 1;
	f[6] = 1;
	wr(f + 16, 2, 2, be); /* ET_EXEC */
	wr(f + 18, is64 ? (be ? 22 : 62) : (be ? 8 : 3), 2, be);
	wr(f + 20, 1, 4, be);
	bool sh = mode == KEPT;
	if (is64) {
		wr(f + 32, 64, 8, be);
		wr(f + 40, sh ? SH_OFF + 0x40 : 0, 8, be);
		wr(f + 52, 64, 2, be);
		wr(f + 54, 56, 2, be);
		wr(f + 56, 3, 2, be);
		wr(f + 58, 64, 2, be);
		wr(f + 60, sh ? 3 : 0, 2, be);
		wr(f + 62, sh ? 1 : 0, 2, be);
	} else {
		wr(f + 28, 52, 4, be);
		wr(f + 32, sh ? SH_OFF + 0x40 : 0, 4, be);
		wr(f + 40, 52, 2, be);
		wr(f + 42, 32, 2, be);
		wr(f + 44, 3, 2, be);
		wr(f + 46, 40, 2, be);
		wr(f + 48, sh ? 3 : 0, 2, be);
		wr(f + 50, sh ? 1 : 0, 2, be);
	}
	phdr(&e, 0, 5, 0, 0x1000);
	phdr(&e, 1, 4, RO_OFF, RO_SIZE);
	phdr(&e, 2, 6, DATA_OFF, DATA_SIZE);
	memcpy(f + VER_OFF, VERSION, sizeof(VERSION)); /* with its NUL, as addstrdata writes it */
	size_t ml = put_modinfo(&e, MOD_OFF, modinfo);
	put_header(&e, DATA_OFF, VHDR_OFF, MHDR_OFF);
	put_string(&e, VHDR_OFF, VER_OFF, strlen(VERSION));
	put_string(&e, MHDR_OFF, MOD_OFF, ml);
	if (sh) {
		static const char names[] = "\0.shstrtab\0.go.buildinfo";
		memcpy(f + SH_OFF, names, sizeof(names));
		shdr(&e, 1, 1, 3, SH_OFF, sizeof(names));
		shdr(&e, 2, 11, 1, DATA_OFF, 32);
	}
	return e;
}

/* BIG: past INV_ELF_BUFFER_MAX, so streamed. */
static struct elf make(bool is64, bool be, enum mode mode)
{
	return make_padded(is64, be, mode, pad_of(mode));
}

/* Scan e as /usr/local/bin/app; frees e. */
static struct bw_report *scan(struct elf *e)
{
	struct bw_report *r = bw_report_new("filesystem", "unit");
	bw_inventory_parse_file("/usr/local/bin/app", e->d, e->len, NULL, r);
	free(e->d);
	e->d = NULL;
	return r;
}

static const char *version_of(const struct bw_report *r, const char *name)
{
	for (size_t i = 0; i < r->n_packages; i++)
		if (strcmp(r->packages[i].name, name) == 0)
			return r->packages[i].version;
	return NULL;
}

static bool warned(const struct bw_report *r, const char *needle)
{
	for (size_t i = 0; i < r->n_warnings; i++)
		if (strstr(r->warnings[i], "/usr/local/bin/app: ") && strstr(r->warnings[i], needle))
			return true;
	return false;
}

static void assert_modules(const struct bw_report *r)
{
	assert_string_equal(version_of(r, "example.com/app"), "v0.1.0");
	assert_string_equal(version_of(r, "golang.org/x/text"), "v0.3.7");
}

static void test_all_layouts(void **state)
{
	for (int m = KEPT; m <= BIG; m++)
		for (int i = 0; i < 4; i++) {
			struct elf e = make(i & 1, i & 2, m);
			struct bw_report *r = scan(&e);
			assert_int_equal(r->n_warnings, 0);
			assert_int_equal(r->n_packages, 3);
			assert_string_equal(version_of(r, "stdlib"), "v1.16.15");
			assert_modules(r);
			for (size_t k = 0; k < r->n_packages; k++) {
				assert_string_equal(r->packages[k].ecosystem, "Go");
				assert_string_equal(r->packages[k].path, "/usr/local/bin/app");
			}
			for (size_t k = 0; k < r->n_packages; k++)
				if (strcmp(r->packages[k].name, "stdlib") == 0)
					assert_string_equal(r->packages[k].purl,
							    "pkg:golang/stdlib@v1.16.15");
			bw_report_free(r);
		}
}

/* The version's bytes cut by every chunk boundary (4093 bytes), while
 * streaming; and a run of other "go1.N" strings around it. */
static void test_version_across_chunks(void **state)
{
	for (size_t k = 0; k <= 12; k++) {
		struct elf e = make(k & 1, false, NO_SHDRS);
		size_t at = 2 * 4093 - k;
		memset(e.d + VER_OFF, 0, sizeof(VERSION));
		memcpy(e.d + at - 8, "go1.2go1", 8); /* candidates that are not it */
		memcpy(e.d + at, VERSION, sizeof(VERSION));
		put_string(&e, VHDR_OFF, at, strlen(VERSION));
		struct bw_report *r = scan(&e);
		assert_int_equal(r->n_warnings, 0);
		assert_string_equal(version_of(r, "stdlib"), "v1.16.15");
		bw_report_free(r);
	}
	/* "go1.16" is a prefix of a longer printable run: the length decides */
	struct elf e = make(true, true, NO_SHDRS);
	memcpy(e.d + VER_OFF, "go1.16 X:regabiwrappers", 24);
	put_string(&e, VHDR_OFF, VER_OFF, 6);
	struct bw_report *r = scan(&e);
	assert_string_equal(version_of(r, "stdlib"), "v1.16");
	bw_report_free(r);
}

/* A version string after the header (the remembered strings are matched at the end). */
static void test_version_after_header(void **state)
{
	for (int m = KEPT; m <= BIG; m++) {
		struct elf e = make(false, true, m);
		memcpy(e.d + DATA_OFF + 0x200, "go1.13.4", 9);
		put_string(&e, VHDR_OFF, DATA_OFF + 0x200, 8);
		struct bw_report *r = scan(&e);
		assert_int_equal(r->n_warnings, 0);
		assert_string_equal(version_of(r, "stdlib"), "v1.13.4");
		bw_report_free(r);
	}
}

/* String headers before the build info header: read from the copy; a
 * stream had passed them (a warning), the modules still come from the
 * sentinels. */
static void test_string_headers_before_header(void **state)
{
	for (int m = KEPT; m <= BIG; m++) {
		struct elf e = make(true, false, m);
		size_t ml = put_modinfo(&e, MOD_OFF, modinfo);
		put_header(&e, DATA_OFF, RO_OFF + 0x800, RO_OFF + 0x820);
		put_string(&e, RO_OFF + 0x800, VER_OFF, strlen(VERSION));
		put_string(&e, RO_OFF + 0x820, MOD_OFF, ml);
		struct bw_report *r = scan(&e);
		assert_modules(r);
		if (m == KEPT) {
			assert_int_equal(r->n_warnings, 0);
			assert_string_equal(version_of(r, "stdlib"), "v1.16.15");
		} else {
			assert_null(version_of(r, "stdlib"));
			assert_true(warned(r, "runtime.buildVersion's string header was not read"));
		}
		bw_report_free(r);
	}
}

/* Only the linker's header counts: in a writable, non-executable segment, 16-byte aligned. */
static void test_header_placement(void **state)
{
	for (int m = KEPT; m <= BIG; m++) {
		/* a decoy in .rodata first (an embedded binary's), pointing elsewhere */
		struct elf e = make(true, false, m);
		put_header(&e, RO_OFF + 0x800, DATA_OFF + 0x400, DATA_OFF + 0x400);
		struct bw_report *r = scan(&e);
		assert_int_equal(r->n_warnings, 0);
		assert_string_equal(version_of(r, "stdlib"), "v1.16.15");
		bw_report_free(r);

		/* only in .rodata, or misaligned: not Go build info; the sentinels' modules remain */
		for (int k = 0; k < 2; k++) {
			e = make(false, false, m);
			memset(e.d + DATA_OFF, 0, 32);
			put_header(&e, k ? DATA_OFF + 8 : RO_OFF + 0x800, VHDR_OFF, MHDR_OFF);
			r = scan(&e);
			assert_int_equal(r->n_warnings, 0);
			assert_null(version_of(r, "stdlib"));
			assert_modules(r);
			bw_report_free(r);
		}
	}
}

/* runtime.modinfo's pointer picks the block; an empty one (a GOPATH build) means no modules. */
static void test_modinfo_pointer(void **state)
{
	for (int m = KEPT; m <= BIG; m++) {
		struct elf e = make(true, true, m);
		put_modinfo(
		    &e, RO_OFF + 0x100 + 0x40,
		    "mod\texample.com/other\tv9.9.9\th1:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCA=\n");
		struct bw_report *r = scan(&e);
		assert_string_equal(version_of(r, "stdlib"), "v1.16.15");
		assert_null(version_of(r, "example.com/other"));
		if (m == KEPT) /* the copy has the pointed-at block */
			assert_modules(r);
		else /* a stream kept the first block, which is not the one */
			assert_null(version_of(r, "example.com/app"));
		bw_report_free(r);

		e = make(false, false, m);
		put_string(&e, MHDR_OFF, 0, 0);
		r = scan(&e);
		assert_int_equal(r->n_warnings, 0);
		assert_int_equal(r->n_packages, 1);
		assert_string_equal(version_of(r, "stdlib"), "v1.16.15");
		bw_report_free(r);
	}
}

struct hostile {
	const char *name;
	void (*patch)(struct elf *e);
	const char *why;
};

static void ptr_outside(struct elf *e)
{
	put_ptr(e, DATA_OFF + 16, 0xdead0000u);
}
static void ptr_segment_end(struct elf *e)
{
	put_ptr(e, DATA_OFF + 16, BASE + DATA_OFF + DATA_SIZE - 4);
}
static void len_huge(struct elf *e)
{
	put_ptr(e, VHDR_OFF + ptrsize(e), e->is64 ? UINT64_MAX - 3 : UINT32_MAX);
}
static void len_65(struct elf *e)
{
	put_ptr(e, VHDR_OFF + ptrsize(e), 65);
}
static void len_0(struct elf *e)
{
	put_ptr(e, VHDR_OFF + ptrsize(e), 0);
}
static void data_outside(struct elf *e)
{
	put_ptr(e, VHDR_OFF, 0x10);
}
static void data_segment_end(struct elf *e)
{
	put_ptr(e, VHDR_OFF, BASE + RO_OFF + RO_SIZE - 4);
}
static void not_text(struct elf *e)
{
	e->d[VER_OFF + 6] = 0x01;
}
static void phoff_past_end(struct elf *e)
{
	wr(e->d + (e->is64 ? 32 : 28), e->len - 8, e->is64 ? 8 : 4, e->be);
}
static void phoff_far(struct elf *e)
{
	wr(e->d + (e->is64 ? 32 : 28), 80u << 10, e->is64 ? 8 : 4, e->be);
}
static void phnum_0(struct elf *e)
{
	wr(e->d + (e->is64 ? 56 : 44), 0, 2, e->be);
}
static void phentsize_small(struct elf *e)
{
	wr(e->d + (e->is64 ? 54 : 42), 16, 2, e->be);
}
static void phnum_max(struct elf *e)
{
	wr(e->d + (e->is64 ? 56 : 44), 0xffff, 2, e->be);
}
static void truncated(struct elf *e)
{
	e->len = VHDR_OFF + 2;
}

static void test_hostile(void **state)
{
	static const struct hostile cases[] = {
	    {"pointer outside", ptr_outside,
	     "runtime.buildVersion's address is outside every loadable segment"},
	    {"pointer at segment end", ptr_segment_end, "address is outside every loadable segment"},
	    {"length huge", len_huge, "runtime.buildVersion is longer than 64 bytes"},
	    {"length 65", len_65, "runtime.buildVersion is longer than 64 bytes"},
	    {"length 0", len_0, "runtime.buildVersion is empty"},
	    {"data outside", data_outside, "runtime.buildVersion's bytes are outside every loadable segment"},
	    {"data at segment end", data_segment_end, "bytes are outside every loadable segment"},
	    {"phoff past the end", phoff_past_end, "ELF program header table past the end of the file"},
	    {"phoff far", phoff_far, "ELF program header table not within the first 64 KiB"},
	    {"phnum 0", phnum_0, "ELF file without a program header table"},
	    {"phentsize small", phentsize_small, "ELF program header entries too small"},
	    {"phnum PN_XNUM", phnum_max, "ELF program header table too large"},
	    {"cut short", truncated, "runtime.buildVersion's string header is past the end of the file"},
	};
	for (size_t c = 0; c < BW_ARRAY_SIZE(cases); c++)
		for (int m = KEPT; m <= BIG; m++)
			for (int i = 0; i < 4; i += 3) { /* 32-bit LE, 64-bit BE */
				size_t pad = pad_of(m);
				if (cases[c].patch == phoff_far && !pad)
					pad = 128u << 10; /* the table's offset inside the file */
				struct elf e = make_padded(i & 1, i & 2, m, pad);
				cases[c].patch(&e);
				struct bw_report *r = scan(&e);
				print_message("%s, mode %d, layout %d\n", cases[c].name, m, i);
				assert_null(version_of(r, "stdlib"));
				assert_true(warned(r, cases[c].why));
				assert_modules(r); /* from the sentinels, or the pointer */
				bw_report_free(r);
			}
	/* not text: the copy reads it and says so; a stream never remembered it */
	for (int m = KEPT; m <= BIG; m++) {
		struct elf e = make(true, false, m);
		not_text(&e);
		struct bw_report *r = scan(&e);
		assert_null(version_of(r, "stdlib"));
		assert_true(warned(r, m == KEPT ? "runtime.buildVersion is not text"
						: "runtime.buildVersion's bytes were not read"));
		bw_report_free(r);
	}
}

/* Many "go1.N" strings: the ring keeps the latest 256; the version among the first is forgotten. */
static void test_many_candidates(void **state)
{
	struct elf e = make(true, false, NO_SHDRS);
	for (size_t k = 0; k < 300; k++)
		memcpy(e.d + RO_OFF + 0x1000 + k * 8, "go1.9x\0", 8);
	struct bw_report *r = scan(&e);
	assert_null(version_of(r, "stdlib"));
	assert_true(warned(r, "runtime.buildVersion's bytes were not read"));
	bw_report_free(r);

	e = make(true, false, NO_SHDRS); /* 200 of them: it is still there */
	for (size_t k = 0; k < 200; k++)
		memcpy(e.d + RO_OFF + 0x1000 + k * 8, "go1.9x\0", 8);
	r = scan(&e);
	assert_string_equal(version_of(r, "stdlib"), "v1.16.15");
	bw_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_all_layouts),
	    cmocka_unit_test(test_version_across_chunks),
	    cmocka_unit_test(test_version_after_header),
	    cmocka_unit_test(test_string_headers_before_header),
	    cmocka_unit_test(test_header_placement),
	    cmocka_unit_test(test_modinfo_pointer),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_many_candidates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
