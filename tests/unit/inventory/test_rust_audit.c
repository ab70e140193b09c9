/* Unit tests of the cargo-auditable reader (rust.c, elf.c): ELF files made
 * here, in both classes and byte orders, carrying a ".dep-v0" section of
 * zlib data (stored blocks, so no compressor is needed), handed over as
 * the walker would hand an executable. And Cargo.lock's versioned edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "inventory/inventory.h"

/* ---- a zlib stream of stored blocks (RFC 1950/1951) ---- */

static void put(struct bw_buf *b, const void *p, size_t n)
{
	assert_int_equal(bw_buf_add(b, p, n), 0);
}

static void zlib_stored(struct bw_buf *out, const void *data, size_t len, bool bad_checksum)
{
	const unsigned char *d = data;
	put(out, "\x78\x01", 2);
	size_t off = 0;
	do {
		size_t n = len - off > 65535 ? 65535 : len - off;
		unsigned char h[5] = {off + n == len ? 1 : 0, (unsigned char)n, (unsigned char)(n >> 8),
				      (unsigned char)~n, (unsigned char)(~n >> 8)};
		put(out, h, 5);
		put(out, d + off, n);
		off += n;
	} while (off < len);
	uint32_t a = 1, b = 0;
	for (size_t i = 0; i < len; i++) {
		a = (a + d[i]) % 65521;
		b = (b + a) % 65521;
	}
	uint32_t adler = (b << 16 | a) ^ (bad_checksum ? 1u : 0u);
	unsigned char t[4] = {(unsigned char)(adler >> 24), (unsigned char)(adler >> 16),
			      (unsigned char)(adler >> 8), (unsigned char)adler};
	put(out, t, 4);
}

/* ---- an ELF file: header, .dep-v0 bytes, .shstrtab, section headers ---- */

struct elf_opts {
	bool is64, be;
	uint64_t shoff_add;   /* added to e_shoff (past the end) */
	uint64_t sec_off_add; /* added to .dep-v0's sh_offset */
	uint64_t sec_size_add;
	size_t truncate; /* bytes cut from the end */
};

static void wr(unsigned char *p, uint64_t v, size_t w, bool be)
{
	for (size_t i = 0; i < w; i++)
		p[be ? w - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

static void make_elf(struct bw_buf *out, const struct elf_opts *o, const void *sec, size_t seclen)
{
	static const char strtab[] = "\0.shstrtab\0.dep-v0\0.text";
	size_t ehsize = o->is64 ? 64 : 52, shent = o->is64 ? 64 : 40;
	size_t sec_off = ehsize, str_off = sec_off + seclen, shoff = str_off + sizeof(strtab);
	size_t total = shoff + 4 * shent;
	unsigned char *f = bw_calloc(1, total);
	memcpy(f, "\177ELF", 4);
	f[4] = o->is64 ? 2 : 1;
	f[5] = o->be ? 2 : 1;
	f[6] = 1;
	wr(f + 16, 2, 2, o->be);  /* ET_EXEC */
	wr(f + 18, 62, 2, o->be); /* EM_X86_64 */
	if (o->is64) {
		wr(f + 0x28, shoff + o->shoff_add, 8, o->be);
		wr(f + 0x34, 64, 2, o->be);
		wr(f + 0x3a, shent, 2, o->be);
		wr(f + 0x3c, 4, 2, o->be);
		wr(f + 0x3e, 1, 2, o->be);
	} else {
		wr(f + 0x20, shoff + o->shoff_add, 4, o->be);
		wr(f + 0x28, 52, 2, o->be);
		wr(f + 0x2e, shent, 2, o->be);
		wr(f + 0x30, 4, 2, o->be);
		wr(f + 0x32, 1, 2, o->be);
	}
	memcpy(f + sec_off, sec, seclen);
	memcpy(f + str_off, strtab, sizeof(strtab));
	/* entries: 0 null, 1 .shstrtab, 2 .dep-v0, 3 .text (NOBITS, after) */
	struct {
		uint32_t name, type;
		uint64_t off, size;
	} s[4] = {{0, 0, 0, 0},
		  {1, 3, str_off, sizeof(strtab)},
		  {11, 1, sec_off + o->sec_off_add, seclen + o->sec_size_add},
		  {19, 8, 0, 1u << 30}};
	for (int i = 0; i < 4; i++) {
		unsigned char *h = f + shoff + (size_t)i * shent;
		wr(h, s[i].name, 4, o->be);
		wr(h + 4, s[i].type, 4, o->be);
		if (o->is64) {
			wr(h + 24, s[i].off, 8, o->be);
			wr(h + 32, s[i].size, 8, o->be);
		} else {
			wr(h + 16, s[i].off, 4, o->be);
			wr(h + 20, s[i].size, 4, o->be);
		}
	}
	put(out, f, total - o->truncate);
	free(f);
}

static struct bw_report *scan_elf(const struct elf_opts *o, const char *json, size_t jlen, bool bad_checksum)
{
	/* blanks after the JSON keep the file past 1 KiB: smaller executables are not looked at */
	struct bw_buf j, z, elf;
	bw_buf_init(&j, 64u << 20);
	bw_buf_init(&z, 64u << 20);
	bw_buf_init(&elf, 128u << 20);
	put(&j, json, jlen);
	while (j.len < 1100)
		put(&j, " ", 1);
	zlib_stored(&z, j.data, j.len, bad_checksum);
	make_elf(&elf, o, z.data, z.len);
	struct bw_report *r = bw_report_new("filesystem", "unit");
	bw_inventory_parse_file("/usr/local/bin/app", elf.data, elf.len, NULL, r);
	bw_buf_release(&j);
	bw_buf_release(&z);
	bw_buf_release(&elf);
	return r;
}

static const struct bw_package *find(const struct bw_report *r, const char *name, const char *version)
{
	for (size_t i = 0; i < r->n_packages; i++)
		if (strcmp(r->packages[i].name, name) == 0 && strcmp(r->packages[i].version, version) == 0)
			return &r->packages[i];
	return NULL;
}

static bool warned(const struct bw_report *r, const char *needle)
{
	for (size_t i = 0; i < r->n_warnings; i++)
		if (strstr(r->warnings[i], "/usr/local/bin/app") && strstr(r->warnings[i], needle))
			return true;
	return false;
}

static const char audit_json[] =
    "{\"packages\":["
    "{\"name\":\"app\",\"version\":\"0.1.0\",\"source\":\"local\",\"root\":true,\"dependencies\":[1,2,4]},"
    "{\"name\":\"rand\",\"version\":\"0.8.5\",\"source\":\"crates.io\",\"dependencies\":[3]},"
    "{\"name\":\"rand\",\"version\":\"0.7.3\",\"source\":\"crates.io\"},"
    "{\"name\":\"libc\",\"version\":\"0.2.150\",\"source\":\"crates.io\",\"kind\":\"runtime\"},"
    "{\"name\":\"g\",\"version\":\"1.0.0\",\"source\":\"git\",\"dependencies\":[5]},"
    "{\"name\":\"cc\",\"version\":\"1.0.83\",\"source\":\"crates.io\",\"kind\":\"build\"}]}";

static void check_audit(const struct elf_opts *o)
{
	struct bw_report *r = scan_elf(o, audit_json, strlen(audit_json), false);
	assert_int_equal(r->n_warnings, 0);
	assert_int_equal(r->n_packages, 5); /* cc is build-time only */
	const struct bw_package *app = find(r, "app", "0.1.0");
	assert_non_null(app);
	assert_true(app->application);
	assert_string_equal(app->origin, "local");
	assert_string_equal(app->ecosystem, "crates.io");
	assert_string_equal(app->purl, "pkg:cargo/app@0.1.0");
	assert_string_equal(app->path, "/usr/local/bin/app");
	const struct bw_package *r8 = find(r, "rand", "0.8.5"), *g = find(r, "g", "1.0.0");
	assert_non_null(r8);
	assert_false(r8->application);
	assert_null(r8->origin);
	assert_string_equal(r8->purl, "pkg:cargo/rand@0.8.5");
	assert_string_equal(g->origin, "git");
	assert_non_null(find(r, "rand", "0.7.3"));
	assert_non_null(find(r, "libc", "0.2.150"));
	assert_null(find(r, "cc", "1.0.83"));
	bw_report_free(r);
}

static void test_audit_all_layouts(void **state)
{
	for (int i = 0; i < 4; i++) {
		struct elf_opts o = {.is64 = i & 1, .be = i & 2};
		check_audit(&o);
	}
}

/* Edges are resolved at the merge (bw_inventory_finish); parse_file lists
 * packages only, so check the recorded names through a Cargo.lock too. */
static void test_cargo_lock_versioned_depends(void **state)
{
	const char *lock = "version = 3\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n"
			   "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
			   "dependencies = [\n \"rand 0.8.5\",\n \"rand 0.7.3 (registry+https://x)\",\n]\n\n"
			   "[[package]]\nname = \"ws\"\nversion = \"0.1.0\"\n";
	struct bw_report *r = bw_report_new("filesystem", "unit");
	bw_inventory_parse_file("/src/Cargo.lock", lock, strlen(lock), NULL, r);
	assert_int_equal(r->n_packages, 1);
	assert_string_equal(r->packages[0].purl, "pkg:cargo/a@1.0.0");
	assert_null(r->packages[0].origin);
	bw_report_free(r);
}

static void test_hostile_headers(void **state)
{
	struct elf_opts past = {.is64 = true, .shoff_add = 1u << 20};
	struct bw_report *r = scan_elf(&past, audit_json, strlen(audit_json), false);
	assert_int_equal(r->n_packages, 0);
	assert_true(warned(r, "past the end"));
	bw_report_free(r);

	struct elf_opts sec = {.is64 = true, .sec_off_add = 1u << 20};
	r = scan_elf(&sec, audit_json, strlen(audit_json), false);
	assert_int_equal(r->n_packages, 0);
	assert_true(warned(r, "section past the end"));
	bw_report_free(r);

	struct elf_opts big = {.is64 = false, .be = true, .sec_size_add = UINT32_MAX - 4096};
	r = scan_elf(&big, audit_json, strlen(audit_json), false);
	assert_int_equal(r->n_packages, 0);
	assert_true(warned(r, "section past the end"));
	bw_report_free(r);

	struct elf_opts cut = {.is64 = true, .truncate = 100};
	r = scan_elf(&cut, audit_json, strlen(audit_json), false);
	assert_int_equal(r->n_packages, 0);
	assert_true(warned(r, "past the end"));
	bw_report_free(r);
}

static void test_hostile_data(void **state)
{
	struct elf_opts o = {.is64 = true};
	/* a bomb: 9 MiB of blanks, valid JSON after them */
	size_t n = 9u << 20;
	char *bomb = bw_malloc(n);
	memset(bomb, ' ', n);
	memcpy(bomb + n - 16, "{\"packages\":[]}", 15);
	struct bw_report *r = scan_elf(&o, bomb, n, false);
	free(bomb);
	assert_int_equal(r->n_packages, 0);
	assert_true(warned(r, "more than 8 MiB"));
	bw_report_free(r);

	r = scan_elf(&o, audit_json, strlen(audit_json), true);
	assert_int_equal(r->n_packages, 0);
	assert_true(warned(r, "not a valid zlib stream"));
	bw_report_free(r);

	static const char *const bad_json[] = {"{\"packages\":[", "[1,2]", "{\"packages\":{}}", "\xff\xfe"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(bad_json); i++) {
		r = scan_elf(&o, bad_json[i], strlen(bad_json[i]), false);
		assert_int_equal(r->n_packages, 0);
		assert_true(warned(r, ".dep-v0"));
		bw_report_free(r);
	}

	/* wrong types: the good entries are kept, the rest counted in one warning */
	const char *types =
	    "{\"packages\":[{\"name\":\"ok\",\"version\":\"1.0.0\",\"source\":\"crates.io\","
	    "\"dependencies\":[99,-1,\"x\",0,1.5,2]},{\"name\":7,\"version\":\"1\",\"source\":\"crates.io\"},"
	    "{\"name\":\"r\",\"version\":\"1\",\"source\":{\"Other\":\"corp\"},\"root\":\"yes\"},"
	    "{\"name\":\"s\",\"version\":\"2\",\"source\":[]},\"str\",null,"
	    "{\"name\":\"o\",\"version\":\"3\",\"source\":{\"Other\":\"corp\"},\"dependencies\":{}}]}";
	r = scan_elf(&o, types, strlen(types), false);
	assert_int_equal(r->n_packages, 2);
	assert_non_null(find(r, "ok", "1.0.0"));
	assert_string_equal(find(r, "o", "3")->origin, "corp");
	assert_true(warned(r, "malformed"));
	bw_report_free(r);

	/* two roots: the first is the application */
	const char *roots =
	    "{\"packages\":[{\"name\":\"a\",\"version\":\"1\",\"source\":\"local\",\"root\":true},"
	    "{\"name\":\"b\",\"version\":\"1\",\"source\":\"local\",\"root\":true}]}";
	r = scan_elf(&o, roots, strlen(roots), false);
	assert_int_equal(r->n_packages, 2);
	assert_true(find(r, "a", "1")->application);
	assert_false(find(r, "b", "1")->application);
	assert_true(warned(r, "root packages"));
	bw_report_free(r);
}

static void test_not_audit(void **state)
{
	/* an ELF without .dep-v0, a non-ELF executable, an ELF without a section table */
	static const char strtab_only[] = "\0.shstrtab\0.dep-v1\0";
	struct bw_buf f;
	bw_buf_init(&f, 1u << 20);
	struct elf_opts o = {.is64 = true};
	make_elf(&f, &o, strtab_only, sizeof(strtab_only));
	/* rename ".dep-v0" in the section name table to ".dep-v9" */
	char *p = memmem(f.data + 64 + sizeof(strtab_only), f.len - 64 - sizeof(strtab_only), ".dep-v0", 7);
	assert_non_null(p);
	p[6] = '9';
	static const char pad[1024];
	put(&f, pad, sizeof(pad));
	struct bw_report *r = bw_report_new("filesystem", "unit");
	bw_inventory_parse_file("/usr/bin/x", f.data, f.len, NULL, r);
	assert_int_equal(r->n_packages, 0);
	assert_int_equal(r->n_warnings, 0);
	bw_report_free(r);
	bw_buf_release(&f);

	char script[2048];
	memset(script, '#', sizeof(script));
	r = bw_report_new("filesystem", "unit");
	bw_inventory_parse_file("/usr/bin/s", script, sizeof(script), NULL, r);
	assert_int_equal(r->n_packages + r->n_warnings, 0);
	bw_report_free(r);

	unsigned char noshdr[2048] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
	r = bw_report_new("filesystem", "unit");
	bw_inventory_parse_file("/usr/bin/n", noshdr, sizeof(noshdr), NULL, r);
	assert_int_equal(r->n_packages + r->n_warnings, 0);
	bw_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_all_layouts), cmocka_unit_test(test_cargo_lock_versioned_depends),
	    cmocka_unit_test(test_hostile_headers),   cmocka_unit_test(test_hostile_data),
	    cmocka_unit_test(test_not_audit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
