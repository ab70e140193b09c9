/* Go executables: the build information the linker embeds.
 *
 * The ".go.buildinfo" data starts with a 32-byte header: the 14-byte magic
 * "\xff Go buildinf:", the pointer size (4 or 8), a flags byte (bit 0: big
 * endian, bit 1: strings inline), padding. Go 1.18 and later put the
 * strings inline right after the header: the toolchain version and the
 * module information, each as an unsigned LEB128 length and the bytes.
 * Older linkers store two pointers to Go string headers instead; those
 * need the virtual-address map of the whole file, which a stream has
 * already passed, so for them we take the module information from between
 * its 16-byte sentinels (which every version writes around it) and leave
 * the toolchain version out.
 *
 * The module information is text, one entry a line, tab-separated:
 *   path  cmd/app              (the main package)
 *   mod   example.com/app  v1.2.3  h1:…   (the main module; "(devel)" when unversioned)
 *   dep   golang.org/x/text  v0.3.7  h1:…
 *   =>    golang.org/x/text  v0.3.8  h1:…  (replaces the dep above it)
 *   build -compiler=gc        (Go 1.18+ settings)
 *
 * The binary is read as a stream: for Go no copy of it is kept, only the
 * first bytes (to see "\x7fELF") and, once the magic shows, the bytes after
 * it.
 *
 * Rust's cargo-auditable data (rust.c) is an ELF section, ".dep-v0", and
 * only the section header table says where a section is; that table sits
 * at e_shoff, at the end of the file, after the section's bytes have gone
 * by. So an ELF file whose header (the first 64 bytes) shows a section
 * table inside the file, and whose size is at most INV_ELF_BUFFER_MAX, is
 * kept in memory while it streams; at its end the section headers are
 * read from that copy (elf.c, every offset checked) and .dep-v0, when
 * present, is handed to inv_rust_audit(). The copy is dropped as soon as
 * the Go build info is found (a Go binary carries no cargo-auditable
 * data). A larger ELF file that is not a Go binary gets a warning naming
 * it: its Rust dependencies, if any, are not read. The cost is memory:
 * one such file per walking thread at a time.
 */
#include "inventory-int.h"

#define GO_MAGIC "\xff Go buildinf:"
#define GO_MAGIC_LEN 14
#define CAPTURE_MAX (1u << 20)

static const unsigned char mod_start[16] = {0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02,
					    0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6};
static const unsigned char mod_end[16] = {0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72,
					  0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2};

enum bin_state { BIN_HEAD, BIN_SEARCH, BIN_CAPTURE_GO, BIN_CAPTURE_MOD, BIN_DONE };

struct inv_binary {
	struct inv_layer *l;
	const char *path;
	uint64_t size, off;
	enum bin_state state;
	unsigned char head[4];
	size_t n_head;
	unsigned char carry[16]; /* the last bytes of the previous chunk */
	size_t n_carry;
	struct bw_buf cap;       /* bytes from a candidate magic or sentinel on */
	bool go_found;           /* a valid inline build info was read */
	bool pending;     /* cap holds a sentinel-delimited module info (older Go) */
	struct bw_buf modinfo;
	struct inv_record *rec; /* this file's record, made on first use */
	/* the whole file while elf_state is ELF_KEEP (see above) */
	enum { ELF_UNDECIDED, ELF_KEEP, ELF_DROP, ELF_TOO_BIG } elf_state;
	unsigned char *elf;
	size_t elf_len, elf_cap;
	const char *elf_why; /* why the section table will not be read (a warning) */
};

static struct inv_record *bin_record(struct inv_binary *b)
{
	if (!b->rec)
		b->rec = inv_record_new(b->l, INV_BINARY, b->path);
	return b->rec;
}

/* unsigned LEB128; returns bytes used or 0 */
static size_t uvarint(const unsigned char *p, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	for (size_t i = 0; i < n && i < 10; i++) {
		x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*v = x;
			return i + 1;
		}
	}
	return 0;
}

struct inv_binary *inv_binary_begin(struct inv_layer *l, const char *path, uint64_t size)
{
	struct inv_binary *b = bw_calloc(1, sizeof(*b));
	b->l = l;
	b->path = bw_arena_strdup(&l->arena, path);
	b->size = size;
	bw_buf_init(&b->cap, CAPTURE_MAX + 4096);
	bw_buf_init(&b->modinfo, CAPTURE_MAX);
	return b;
}

/* A module's "h1:BASE64" sum (go.sum's form: SHA-256 of its file list with
 * each file's SHA-256, not a digest of one file): BW_HASH_GO_H1. Other hash
 * versions, which Go does not define yet, are skipped. */
static void go_sum(struct inv_layer *l, struct inv_record *rec, struct inv_pkg *p, const char *s, size_t n)
{
	if (n > 3 && memcmp(s, "h1:", 3) == 0 && !inv_pkg_add_base64(l, p, BW_HASH_GO_H1, s + 3, n - 3))
		inv_hash_note(l, rec, p, "the h1: module sum");
}

void inv_go_buildinfo(struct inv_layer *l, struct inv_record *rec, const char *goversion, size_t gvlen,
		      const char *modinfo, size_t milen)
{
	/* strip the sentinels when present */
	if (milen >= 33 && memcmp(modinfo, mod_start, 16) == 0 && modinfo[milen - 17] == '\n') {
		modinfo += 16;
		milen -= 32;
	}
	if (gvlen > 2 && memcmp(goversion, "go", 2) == 0) {
		/* "go1.19.8", "go1.22.0 X:boringcrypto", "devel go1.23-abc" */
		size_t e = 2;
		while (e < gvlen && goversion[e] != ' ')
			e++;
		struct inv_pkg *p = inv_record_add_pkg(l, rec);
		p->name = "stdlib";
		char *v = bw_arena_alloc(&l->arena, e + 1);
		v[0] = 'v';
		memcpy(v + 1, goversion + 2, e - 2);
		p->version = v;
		p->ecosystem = "Go";
		p->purl_type = "golang";
	}
	const char *p = modinfo, *end = modinfo + milen, *line;
	size_t n;
	struct inv_pkg *last = NULL, *main_mod = NULL;
	while (inv_next_line(&p, end, &line, &n)) {
		const char *f[4] = {0};
		size_t fl[4] = {0}, nf = 0;
		const char *s = line, *e = line + n;
		while (s <= e && nf < 4) {
			const char *t = memchr(s, '\t', (size_t)(e - s));
			const char *fe = t ? t : e;
			f[nf] = s;
			fl[nf++] = (size_t)(fe - s);
			if (!t)
				break;
			s = t + 1;
		}
		if (nf < 3)
			continue;
		bool is_mod = fl[0] == 3 && memcmp(f[0], "mod", 3) == 0;
		bool is_dep = fl[0] == 3 && memcmp(f[0], "dep", 3) == 0;
		bool is_repl = fl[0] == 2 && memcmp(f[0], "=>", 2) == 0;
		if (is_repl && last) {
			/* a replacement by a local directory has no version: keep the original */
			if (fl[2]) {
				last->name = inv_strndup(l, f[1], fl[1]);
				last->version = inv_strndup(l, f[2], fl[2]);
				last->n_hashes = 0;
				go_sum(l, rec, last, f[3], fl[3]);
			}
			continue;
		}
		if (!is_mod && !is_dep)
			continue;
		if (!fl[1] || !fl[2]) {
			last = NULL;
			continue;
		}
		struct inv_pkg *pk = inv_record_add_pkg(l, rec);
		pk->name = inv_strndup(l, f[1], fl[1]);
		pk->version = inv_strndup(l, f[2], fl[2]);
		pk->ecosystem = "Go";
		pk->purl_type = "golang";
		go_sum(l, rec, pk, f[3], fl[3]);
		last = pk;
		if (is_mod)
			main_mod = pk;
	}
	/* "(devel)": the main module of a local build has no version to match */
	if (main_mod && strcmp(main_mod->version, "(devel)") == 0) {
		size_t i = (size_t)(main_mod - rec->pkgs);
		memmove(&rec->pkgs[i], &rec->pkgs[i + 1], (rec->n_pkgs - i - 1) * sizeof(*rec->pkgs));
		rec->n_pkgs--;
		main_mod = NULL;
	}
	for (size_t i = 0; i < rec->n_pkgs; i++) {
		struct inv_pkg *pk = &rec->pkgs[i];
		if (strcmp(pk->name, "stdlib") == 0)
			continue;
		/* purl: namespace is the path up to the last "/" */
		const char *sl = strrchr(pk->name, '/');
		if (sl) {
			pk->purl_ns = bw_arena_strndup(&l->arena, pk->name, (size_t)(sl - pk->name));
			pk->purl_name = sl + 1;
		}
	}
	if (main_mod)
		for (size_t i = 0; i < rec->n_pkgs; i++)
			if (&rec->pkgs[i] != main_mod)
				inv_pkg_add_depend(l, main_mod, rec->pkgs[i].name, strlen(rec->pkgs[i].name));
}

enum verdict { NEED, ACCEPT, REJECT, ABORT };

/* Judge the bytes captured from a "\xff Go buildinf:" candidate. */
static enum verdict judge_go(struct inv_binary *b, bool final, size_t *need)
{
	const unsigned char *d = (const unsigned char *)b->cap.data;
	size_t n = b->cap.len;
	*need = 32;
	if (n < 32)
		return final ? ABORT : NEED;
	unsigned ptrsize = d[14], flags = d[15];
	if ((ptrsize != 4 && ptrsize != 8) || (flags & ~3u) || !(flags & 2))
		return REJECT; /* a string constant, or the pointer format (see the sentinels) */
	uint64_t l1, l2;
	size_t u1 = uvarint(d + 32, n - 32, &l1);
	*need = 32 + 10;
	if (!u1)
		return n >= 42 ? REJECT : final ? ABORT : NEED;
	if (l1 < 2 || l1 > 4096)
		return REJECT;
	size_t o = 32 + u1;
	*need = o + l1 + 10;
	if (n < o + l1)
		return final ? ABORT : NEED;
	if (memcmp(d + o, "go", 2) != 0)
		return REJECT;
	const char *ver = (const char *)d + o;
	o += l1;
	size_t u2 = uvarint(d + o, n - o, &l2);
	if (!u2)
		return n >= o + 10 ? REJECT : final ? ABORT : NEED;
	if (l2 > CAPTURE_MAX)
		return ABORT;
	o += u2;
	*need = o + l2;
	if (n < o + l2)
		return final ? ABORT : NEED;
	inv_go_buildinfo(b->l, bin_record(b), ver, l1, (const char *)d + o, l2);
	b->go_found = true;
	return ACCEPT;
}

/* Judge the bytes captured from a module-info start sentinel. */
static enum verdict judge_mod(struct inv_binary *b, bool final, size_t *need)
{
	*need = CAPTURE_MAX;
	if (b->cap.len <= 16)
		return final ? ABORT : NEED;
	const char *e = memmem(b->cap.data + 16, b->cap.len - 16, mod_end, 16);
	if (!e)
		return b->cap.len >= CAPTURE_MAX ? REJECT : final ? ABORT : NEED;
	size_t n = (size_t)(e - b->cap.data) + 16;
	if (!b->pending) {
		bw_buf_reset(&b->modinfo);
		if (bw_buf_add(&b->modinfo, b->cap.data, n) == 0)
			b->pending = true;
	}
	return REJECT; /* keep searching for the build info header, which has the Go version */
}

static void process(struct inv_binary *b, const unsigned char *data, size_t len, int depth);

static void rejected(struct inv_binary *b, int depth)
{
	/* rescan what the candidate captured, after its first byte */
	size_t n = b->cap.len > 1 ? b->cap.len - 1 : 0;
	unsigned char *tmp = n ? bw_malloc(n) : NULL;
	if (n)
		memcpy(tmp, b->cap.data + 1, n);
	bw_buf_reset(&b->cap);
	b->state = BIN_SEARCH;
	b->n_carry = 0;
	if (n && depth < 64)
		process(b, tmp, n, depth + 1);
	free(tmp);
}

static void process(struct inv_binary *b, const unsigned char *data, size_t len, int depth)
{
	while (len && b->state != BIN_DONE) {
		if (b->state == BIN_SEARCH) {
			/* a match may start in the carried tail of the previous chunk */
			unsigned char joint[32];
			size_t take = len < 15 ? len : 15;
			memcpy(joint, b->carry, b->n_carry);
			memcpy(joint + b->n_carry, data, take);
			size_t jn = b->n_carry + take;
			const unsigned char *g = memmem(joint, jn, GO_MAGIC, GO_MAGIC_LEN);
			const unsigned char *m = memmem(joint, jn, mod_start, 16);
			const unsigned char *hit = g && (!m || g < m) ? g : m;
			if (hit && (size_t)(hit - joint) < b->n_carry) {
				bw_buf_reset(&b->cap);
				bw_buf_add(&b->cap, hit, b->n_carry - (size_t)(hit - joint));
				b->state = hit == g ? BIN_CAPTURE_GO : BIN_CAPTURE_MOD;
				b->n_carry = 0;
				continue;
			}
			g = memmem(data, len, GO_MAGIC, GO_MAGIC_LEN);
			m = memmem(data, len, mod_start, 16);
			hit = g && (!m || g < m) ? g : m;
			if (hit) {
				bw_buf_reset(&b->cap);
				b->state = hit == g ? BIN_CAPTURE_GO : BIN_CAPTURE_MOD;
				b->n_carry = 0;
				len -= (size_t)(hit - data);
				data = hit;
				continue;
			}
			/* carry the last 15 bytes of (carry + data) */
			unsigned char tail[32];
			memcpy(tail, b->carry, b->n_carry);
			size_t tn = b->n_carry;
			size_t t2 = len < 15 ? len : 15;
			memcpy(tail + tn, data + len - t2, t2);
			tn += t2;
			size_t keep = tn < 15 ? tn : 15;
			memcpy(b->carry, tail + tn - keep, keep);
			b->n_carry = keep;
			return;
		}
		/* capturing */
		size_t need;
		enum verdict v = b->state == BIN_CAPTURE_GO ? judge_go(b, false, &need) : judge_mod(b, false, &need);
		if (v == NEED) {
			size_t room = need > b->cap.len ? need - b->cap.len : 1;
			size_t take = len < room ? len : room;
			if (bw_buf_add(&b->cap, data, take) < 0) {
				b->state = BIN_DONE;
				return;
			}
			data += take;
			len -= take;
			continue;
		}
		if (v == ACCEPT || v == ABORT) {
			b->state = BIN_DONE;
			return;
		}
		rejected(b, depth);
	}
	if (b->state == BIN_CAPTURE_GO || b->state == BIN_CAPTURE_MOD) {
		/* judge what is there now, so a complete capture ends at once */
		size_t need;
		enum verdict v = b->state == BIN_CAPTURE_GO ? judge_go(b, false, &need) : judge_mod(b, false, &need);
		if (v == ACCEPT || v == ABORT)
			b->state = BIN_DONE;
		else if (v == REJECT)
			rejected(b, depth);
	}
}

static void elf_drop(struct inv_binary *b, int state)
{
	free(b->elf);
	b->elf = NULL;
	b->elf_len = b->elf_cap = 0;
	b->elf_state = state;
}

/* Keep the file's bytes while they may be needed for its section table. */
static void elf_keep(struct inv_binary *b, const unsigned char *d, size_t len)
{
	if (b->elf_state == ELF_UNDECIDED && !b->elf) {
		if (b->size > INV_ELF_BUFFER_MAX) {
			b->elf_state = ELF_TOO_BIG;
			return;
		}
		b->elf_cap = b->size < 64 ? 64 : (size_t)b->size;
		b->elf = bw_malloc(b->elf_cap);
	}
	if (b->elf_state != ELF_UNDECIDED && b->elf_state != ELF_KEEP)
		return;
	if (len > b->elf_cap - b->elf_len) { /* more bytes than the header said */
		b->elf_why = "longer than its archive entry said";
		elf_drop(b, ELF_DROP);
		return;
	}
	memcpy(b->elf + b->elf_len, d, len);
	b->elf_len += len;
	if (b->elf_state == ELF_UNDECIDED && b->elf_len >= 64) {
		const char *why = NULL;
		int r = inv_elf_probe(b->elf, b->elf_len, b->size, &why);
		if (r > 0) {
			b->elf_state = ELF_KEEP;
		} else {
			b->elf_why = why;
			elf_drop(b, ELF_DROP);
		}
	}
}

void inv_binary_chunk(struct inv_binary *b, const void *data, size_t len)
{
	const unsigned char *d = data;
	if (b->elf_state == ELF_UNDECIDED || b->elf_state == ELF_KEEP)
		elf_keep(b, d, len);
	if (b->state == BIN_HEAD) {
		size_t take = 4 - b->n_head < len ? 4 - b->n_head : len;
		memcpy(b->head + b->n_head, d, take);
		b->n_head += take;
		if (b->n_head == 4)
			b->state = memcmp(b->head, "\177ELF", 4) == 0 ? BIN_SEARCH : BIN_DONE;
		if (b->state == BIN_HEAD)
			return;
	}
	if (b->state != BIN_DONE)
		process(b, d, len, 0);
	b->off += len;
	if (b->go_found && b->elf)
		elf_drop(b, ELF_DROP); /* a Go binary: no cargo-auditable data */
}

/* At the end of an ELF file: its .dep-v0 section, if any. */
static void elf_end(struct inv_binary *b)
{
	bool is_elf = b->n_head == 4 && memcmp(b->head, "\177ELF", 4) == 0;
	if (!is_elf || b->go_found)
		return;
	if (b->elf_state == ELF_TOO_BIG) {
		inv_record_note(b->l, bin_record(b),
				"%s: ELF file of %llu bytes is larger than %u MiB: not searched for cargo-auditable data",
				b->path, (unsigned long long)b->size, INV_ELF_BUFFER_MAX >> 20);
		return;
	}
	if (b->elf_state == ELF_UNDECIDED && b->elf_len < 64 && b->elf) {
		const char *why = NULL;
		if (inv_elf_probe(b->elf, b->elf_len, b->size, &why) <= 0)
			b->elf_why = why;
		else
			b->elf_state = ELF_KEEP;
	}
	if (b->elf_state == ELF_KEEP && b->elf_len != b->size)
		b->elf_why = "cut short";
	if (b->elf_why) {
		inv_record_note(b->l, bin_record(b), "%s: %s", b->path, b->elf_why);
		return;
	}
	if (b->elf_state != ELF_KEEP)
		return;
	struct bw_slice sec;
	const char *why = NULL;
	int r = inv_elf_section(b->elf, b->elf_len, ".dep-v0", &sec, &why);
	if (r < 0)
		inv_record_note(b->l, bin_record(b), "%s: %s", b->path, why);
	else if (r > 0)
		inv_rust_audit(b->l, bin_record(b), sec.ptr, sec.len);
}

void inv_binary_end(struct inv_binary *b)
{
	if (b->state == BIN_CAPTURE_GO) {
		size_t need;
		judge_go(b, true, &need);
	}
	if (!b->go_found && b->pending) {
		inv_go_buildinfo(b->l, bin_record(b), "", 0, b->modinfo.data, b->modinfo.len);
		b->go_found = true;
	}
	elf_end(b);
	free(b->elf);
	bw_buf_release(&b->cap);
	bw_buf_release(&b->modinfo);
	free(b);
}
