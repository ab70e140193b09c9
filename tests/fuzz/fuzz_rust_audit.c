/* libFuzzer harness for the cargo-auditable reader (elf.c, rust.c). The
 * first byte picks how the rest is handed over as an executable:
 *   even: the bytes are the whole ELF file (section headers, offsets);
 *   odd:  the bytes are the JSON of a .dep-v0 section, wrapped here in a
 *         valid zlib stream (stored blocks) inside a valid ELF64 file, so
 *         the fuzzer reaches the JSON reader past the adler32 check.
 * Seeds: tests/fuzz/corpus/fuzz_rust_audit/. */
#include "inventory/inventory.h"

static void le(unsigned char *p, uint64_t v, size_t w)
{
	for (size_t i = 0; i < w; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void wrap(struct bw_buf *out, const uint8_t *json, size_t len)
{
	static const char strtab[] = "\0.shstrtab\0.dep-v0";
	size_t nblk = len / 65535 + 1;
	size_t zlen = 2 + nblk * 5 + len + 4;
	size_t sec = 64, str = sec + zlen, shoff = str + sizeof(strtab), total = shoff + 3 * 64;
	/* at least 1 KiB: smaller executables are not looked at */
	size_t padded = total < 1024 ? 1024 : total;
	unsigned char *f = bw_calloc(1, padded);
	memcpy(f, "\177ELF\x02\x01\x01", 7);
	le(f + 0x28, shoff, 8);
	le(f + 0x3a, 64, 2);
	le(f + 0x3c, 3, 2);
	le(f + 0x3e, 1, 2);
	unsigned char *z = f + sec;
	z[0] = 0x78;
	z[1] = 0x01;
	size_t o = 2, off = 0;
	for (size_t b = 0; b < nblk; b++) {
		size_t n = len - off > 65535 ? 65535 : len - off;
		z[o++] = b + 1 == nblk ? 1 : 0;
		le(z + o, n, 2);
		le(z + o + 2, (uint16_t)~n, 2);
		o += 4;
		if (n)
			memcpy(z + o, json + off, n);
		o += n;
		off += n;
	}
	uint32_t a = 1, s = 0;
	for (size_t i = 0; i < len; i++) {
		a = (a + json[i]) % 65521;
		s = (s + a) % 65521;
	}
	uint32_t adler = s << 16 | a;
	for (int i = 0; i < 4; i++)
		z[o++] = (unsigned char)(adler >> (24 - 8 * i));
	memcpy(f + str, strtab, sizeof(strtab));
	unsigned char *h = f + shoff + 64; /* 1: .shstrtab */
	le(h, 1, 4);
	le(h + 4, 3, 4);
	le(h + 24, str, 8);
	le(h + 32, sizeof(strtab), 8);
	h += 64; /* 2: .dep-v0 */
	le(h, 11, 4);
	le(h + 4, 1, 4);
	le(h + 24, sec, 8);
	le(h + 32, zlen, 8);
	bw_buf_add(out, f, padded);
	free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > (4u << 20))
		return 0;
	struct bw_report *r = bw_report_new("filesystem", "fuzz");
	if (data[0] & 1) {
		struct bw_buf b;
		bw_buf_init(&b, 16u << 20);
		wrap(&b, data + 1, size - 1);
		bw_inventory_parse_file("/usr/bin/app", b.data, b.len, NULL, r);
		bw_buf_release(&b);
	} else {
		bw_inventory_parse_file("/usr/bin/app", data + 1, size - 1, NULL, r);
	}
	bw_report_free(r);
	return 0;
}
