/* Go executables: the build information the linker embeds.
 *
 * The ".go.buildinfo" data starts with a 32-byte header: the 14-byte magic
 * "\xff Go buildinf:", the pointer size (4 or 8), a flags byte (bit 0: big
 * endian, bit 1: strings inline), padding. Go 1.18 and later put the
 * strings inline right after the header: the toolchain version and the
 * module information, each as an unsigned LEB128 length and the bytes.
 *
 * Older linkers (Go 1.13 to 1.17) write flags 0 or 1 and, at header bytes
 * 16 and 16 + pointer size, the virtual addresses of two Go string
 * headers {data pointer, length}, pointer-sized, in that byte order:
 * runtime.buildVersion and runtime.modinfo. Those variables lie in the
 * data segment after .go.buildinfo (which starts that writable segment,
 * 16-byte aligned); their bytes ("go1.16.15", NUL-terminated, and the
 * module information between its 16-byte sentinels) lie in .rodata,
 * before it. An address becomes a file offset through the ELF program
 * headers: the PT_LOAD segment whose file bytes hold all of the string
 * (elf.c), as Go's debug/buildinfo does. The program header table is read
 * from the first bytes of the stream; it must end within 64 KiB
 * (PH_AREA_MAX). Only the first such header in a writable, non-executable
 * segment at a 16-byte aligned address counts: one elsewhere is a string
 * constant or the build info of an embedded binary.
 *
 * The binary is read as a stream: for Go no copy of it is kept, only the
 * first bytes (to see "\x7fELF", and the program headers) and, once the
 * magic shows, the bytes after it. For the older format:
 * - an ELF file kept in memory for its section table (below) is read from
 *   that copy at its end: both string headers and both strings;
 * - in any other (larger than INV_ELF_BUFFER_MAX, or without a section
 *   table) the two string headers are captured when the stream reaches
 *   their file offsets, which the pointers give once the header is read;
 *   the version's bytes have gone by then, so every "go1.<digit>" string
 *   is remembered as it streams by (its file offset and up to 64
 *   printable bytes, the latest 256 of them), and the version is the one
 *   remembered at exactly the resolved offset, if the length fits. The
 *   module information is the first sentinel-delimited block seen, used
 *   only when its file offset and length are those the pointer gives.
 * The version is the string as `go version -m` prints it, at most 64
 * printable bytes. An address outside every segment's file bytes, a
 * length past the segment or over 64 bytes, a program header table that
 * is missing, malformed or too far in, a string header the stream had
 * passed: no version, and a warning naming the file (its standard library
 * is not matched). The module information then still comes from between
 * its sentinels, as before. A file that has sentinels and no header (Go
 * 1.12) gives its modules only. Mach-O and PE files are not read at all:
 * the analyzer looks only at ELF, which is what Linux images hold.
 *
 * The module information is text, one entry a line, tab-separated:
 *   path  cmd/app              (the main package)
 *   mod   example.com/app  v1.2.3  h1:…   (the main module; "(devel)" when unversioned)
 *   dep   golang.org/x/text  v0.3.7  h1:…
 *   =>    golang.org/x/text  v0.3.8  h1:…  (replaces the dep above it)
 *   build -compiler=gc        (Go 1.18+ settings: -ldflags=..., vcs.revision=..., vcs.time=...)
 *
 * Rust's cargo-auditable data (rust.c) is an ELF section, ".dep-v0", and
 * only the section header table says where a section is; that table sits
 * at e_shoff, at the end of the file, after the section's bytes have gone
 * by. So an ELF file whose header (the first 64 bytes) shows a section
 * table inside the file, and whose size is at most INV_ELF_BUFFER_MAX, is
 * kept in memory while it streams; at its end the section headers are
 * read from that copy (elf.c, every offset checked) and .dep-v0, when
 * present, is handed to inv_rust_audit(). The copy is dropped as soon as
 * inline Go build info is found (a Go binary carries no cargo-auditable
 * data); with the older format it is kept to the end, where the strings
 * are read from it. A larger ELF file that is not a Go binary gets a
 * warning naming it: its Rust dependencies, if any, are not read. The
 * cost is memory: one such file per walking thread at a time.
 */
#include "inventory-int.h"

#define GO_MAGIC "\xff Go buildinf:"
#define GO_MAGIC_LEN 14
#define CAPTURE_MAX (1u << 20)
#define PH_AREA_MAX (64u << 10) /* the program header table ends within the first 64 KiB */
#define LOADS_MAX 64		/* PT_LOAD segments read (Go writes three or four) */
#define VERSION_MAX 64		/* the longest pre-1.18 toolchain version read */
#define CANDS_MAX 256		/* "go1.N" strings remembered while streaming */
#define PF_X 1u
#define PF_W 2u

static const unsigned char mod_start[16] = {0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02,
					    0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6};
static const unsigned char mod_end[16] = {0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72,
					  0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2};

enum bin_state { BIN_HEAD, BIN_SEARCH, BIN_CAPTURE_GO, BIN_CAPTURE_MOD, BIN_DONE };

/* Bytes at a file offset, captured when the stream reaches them. */
struct go_slot {
	uint64_t off;
	size_t len, got;
	bool armed;
	unsigned char d[16];
};

/* A "go1.N…" string seen in the stream: its file offset and printable bytes. */
struct go_cand {
	uint64_t off;
	size_t len;
	bool open; /* its run of printable bytes reached the end of the stream so far */
	char s[VERSION_MAX];
};

/* The pre-1.18 header, and what was kept to follow its pointers. */
struct go_old {
	bool seen;
	bool be;
	unsigned ptrsize;
	const char *why;       /* why the version cannot be read (known early) */
	struct go_slot hdr[2]; /* the string headers of runtime.buildVersion, runtime.modinfo */
	struct go_cand *cand;  /* a ring of CANDS_MAX, while streaming */
	size_t cand_start, n_cand, n_open;
	unsigned char carry[4]; /* the last bytes of the previous chunk */
	size_t n_carry;
};

struct inv_binary {
	struct inv_layer *l;
	const char *path;
	uint64_t size, off;
	enum bin_state state;
	unsigned char head[4];
	size_t n_head;
	unsigned char carry[16]; /* the last bytes of the previous chunk */
	size_t n_carry;
	struct bw_buf cap; /* bytes from a candidate magic or sentinel on */
	uint64_t cap_off;  /* their file offset */
	bool go_found;	   /* a valid inline build info was read */
	bool pending;	   /* modinfo holds a sentinel-delimited module info (older Go) */
	struct bw_buf modinfo;
	uint64_t modinfo_off;
	struct inv_record *rec; /* this file's record, made on first use */
	/* the whole file while elf_state is ELF_KEEP (see above) */
	enum { ELF_UNDECIDED, ELF_KEEP, ELF_DROP, ELF_TOO_BIG } elf_state;
	unsigned char *elf;
	size_t elf_len, elf_cap;
	const char *elf_why; /* why the section table will not be read (a warning) */
	/* the loadable segments, from the program header table at the start */
	enum { PH_WAIT, PH_OK, PH_BAD } ph_state;
	struct bw_buf ph; /* the first bytes, until the table is read */
	uint64_t ph_need;
	const char *ph_why;
	struct inv_elf_load loads[LOADS_MAX];
	size_t n_loads;
	struct go_old old;
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
	bw_buf_init(&b->ph, PH_AREA_MAX);
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

/* The version "-X PKG.version=V" (or .Version, .gitVersion) sets in a
 * "build -ldflags=..." setting, as release scripts of local builds do. */
static bool ldflags_version(const char *s, size_t n, const char **v, size_t *vn)
{
	const char *end = s + n;
	for (const char *x = s; x + 2 < end; x++) {
		if (x[0] != '-' || x[1] != 'X' || (x[2] != ' ' && x[2] != '='))
			continue;
		const char *sym = x + 3;
		while (sym < end && *sym == ' ')
			sym++;
		const char *eq = sym;
		while (eq < end && *eq != '=' && *eq != ' ' && *eq != '"')
			eq++;
		if (eq >= end || *eq != '=')
			continue;
		const char *dot = eq;
		while (dot > sym && dot[-1] != '.')
			dot--;
		size_t ln = (size_t)(eq - dot);
		if (!((ln == 7 && !bw_strncasecmp(dot, "version", 7)) ||
		      (ln == 10 && !bw_strncasecmp(dot, "gitversion", 10))))
			continue;
		const char *val = eq + 1;
		if (val < end && (*val == '\'' || *val == '"'))
			val++;
		const char *ve = val;
		while (ve < end && *ve != ' ' && *ve != '"' && *ve != '\'')
			ve++;
		if (ve > val) {
			*v = val;
			*vn = (size_t)(ve - val);
			return true;
		}
	}
	return false;
}

/* "v0.0.0-20230102150405-abcdef123456", Go's pseudo-version of a commit,
 * from vcs.time ("2023-01-02T15:04:05Z") and vcs.revision. */
static char *pseudo_version(struct inv_layer *l, const char *t, size_t tn, const char *rev, size_t rn)
{
	char digits[15];
	size_t d = 0;
	for (size_t i = 0; i < tn && d < 14; i++)
		if (bw_isdigit(t[i]))
			digits[d++] = t[i];
	if (d != 14 || rn < 12)
		return NULL;
	digits[14] = '\0';
	char buf[64];
	snprintf(buf, sizeof(buf), "v0.0.0-%s-%.12s", digits, rev);
	return inv_strdup(l, buf);
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
		size_t p_i = inv_record_add_pkg(l, rec);
		struct inv_pkg *p = &rec->pkgs[p_i];
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
	struct inv_pkg *last = NULL;
	/* an index, not a pointer: adding a package may move rec->pkgs */
	size_t main_mod = SIZE_MAX;
	const char *ldv = NULL, *vtime = NULL, *vrev = NULL;
	size_t ldv_n = 0, vtime_n = 0, vrev_n = 0;
	while (inv_next_line(&p, end, &line, &n)) {
		if (n > 6 && memcmp(line, "build\t", 6) == 0) {
			const char *s = line + 6;
			size_t sn = n - 6;
			if (sn > 9 && memcmp(s, "-ldflags=", 9) == 0 && !ldv)
				ldflags_version(s + 9, sn - 9, &ldv, &ldv_n);
			else if (sn > 9 && memcmp(s, "vcs.time=", 9) == 0) {
				vtime = s + 9;
				vtime_n = sn - 9;
			} else if (sn > 13 && memcmp(s, "vcs.revision=", 13) == 0) {
				vrev = s + 13;
				vrev_n = sn - 13;
			}
			continue;
		}
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
		size_t pk_i = inv_record_add_pkg(l, rec);
		struct inv_pkg *pk = &rec->pkgs[pk_i];
		pk->name = inv_strndup(l, f[1], fl[1]);
		pk->version = inv_strndup(l, f[2], fl[2]);
		pk->ecosystem = "Go";
		pk->purl_type = "golang";
		go_sum(l, rec, pk, f[3], fl[3]);
		last = pk;
		if (is_mod)
			main_mod = rec->n_pkgs - 1;
	}
	/* The main module is the application (never matched: its version is
	 * its own build's). "(devel)", a local build, takes the version its
	 * -ldflags set, else the pseudo-version of its VCS commit, as Syft does. */
	if (main_mod != SIZE_MAX) {
		struct inv_pkg *m = &rec->pkgs[main_mod];
		m->application = true;
		if (strcmp(m->version, "(devel)") == 0) {
			char *pv;
			if (ldv)
				m->version = inv_strndup(l, ldv, ldv_n);
			else if (vtime && vrev && (pv = pseudo_version(l, vtime, vtime_n, vrev, vrev_n)))
				m->version = pv;
		}
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
	if (main_mod != SIZE_MAX)
		for (size_t i = 0; i < rec->n_pkgs; i++)
			if (i != main_mod)
				inv_pkg_add_depend(l, &rec->pkgs[main_mod], rec->pkgs[i].name,
						   strlen(rec->pkgs[i].name));
}

/* ---- the program header table, from the first bytes of the stream ---- */

static void ph_feed(struct inv_binary *b, const unsigned char *d, size_t len)
{
	while (b->ph_state == PH_WAIT) {
		uint64_t want = b->ph_need ? b->ph_need : 64;
		if (b->ph.len < want) {
			size_t take = want - b->ph.len < len ? (size_t)(want - b->ph.len) : len;
			if (bw_buf_add(&b->ph, d, take) < 0)
				BW_BUG("program header bytes past PH_AREA_MAX");
			d += take;
			len -= take;
		}
		if (b->ph.len < want)
			return; /* more to come */
		uint64_t need = 0;
		int r = inv_elf_loads((const unsigned char *)b->ph.data, b->ph.len, b->size, b->loads,
				      LOADS_MAX, &b->n_loads, &need, &b->ph_why);
		if (r == 0 && need > PH_AREA_MAX) {
			b->ph_why = "ELF program header table not within the first 64 KiB";
			r = -1;
		}
		if (r == 0) {
			b->ph_need = need;
			continue;
		}
		b->ph_state = r > 0 ? PH_OK : PH_BAD;
		bw_buf_release(&b->ph);
	}
}

/* ---- the pre-1.18 format: pointers to two string headers ---- */

static uint64_t rd_ptr(const struct go_old *o, const unsigned char *p)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < o->ptrsize; i++)
		v = (v << 8) | p[o->be ? i : o->ptrsize - 1 - i];
	return v;
}

/* Where string header i lies in the file; arm its slot. */
static void old_locate(struct inv_binary *b, int i, uint64_t addr)
{
	struct go_slot *s = &b->old.hdr[i];
	uint64_t n = 2 * b->old.ptrsize, off;
	const char *why = NULL;
	if (inv_elf_vaddr_offset(b->loads, b->n_loads, addr, n, &off) < 0)
		why = "runtime.buildVersion's address is outside every loadable segment";
	else if (off > b->size || n > b->size - off)
		why = "runtime.buildVersion's string header is past the end of the file";
	if (why) {
		if (i == 0) /* runtime.modinfo's falls back on the sentinels */
			b->old.why = why;
		return;
	}
	*s = (struct go_slot){.off = off, .len = (size_t)n, .armed = true};
}

/* A header without inline strings at file offset b->cap_off (d: its 32 bytes). */
static void old_header(struct inv_binary *b, const unsigned char *d, unsigned ptrsize, bool be)
{
	if (b->old.seen)
		return;
	if (b->ph_state == PH_OK) {
		const struct inv_elf_load *seg = inv_elf_offset_load(b->loads, b->n_loads, b->cap_off);
		if (!seg || (seg->flags & (PF_X | PF_W)) != PF_W ||
		    (seg->vaddr + (b->cap_off - seg->offset)) % 16)
			return; /* not the linker's: a constant, or an embedded binary's */
	}
	struct go_old *o = &b->old;
	o->seen = true;
	o->ptrsize = ptrsize;
	o->be = be;
	if (b->ph_state != PH_OK) {
		o->why = b->ph_why ? b->ph_why : "ELF program header table not read before the build info";
		return;
	}
	old_locate(b, 0, rd_ptr(o, d + 16));
	old_locate(b, 1, rd_ptr(o, d + 16 + ptrsize));
}

static void slot_feed(struct go_slot *s, const unsigned char *d, size_t len, uint64_t pos)
{
	if (!s->armed || s->got == s->len)
		return;
	uint64_t at = s->off + s->got;
	if (at < pos || at - pos >= len)
		return; /* gone by already, or still ahead */
	size_t from = (size_t)(at - pos), take = len - from < s->len - s->got ? len - from : s->len - s->got;
	memcpy(s->d + s->got, d + from, take);
	s->got += take;
}

static bool printable(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

static bool go1_at(const unsigned char *p)
{
	return memcmp(p, "go1.", 4) == 0 && bw_isdigit(p[4]);
}

/* Append the printable run at p[0..n) to c: it stays open when the run
 * reaches n with room left, for the stream goes on. */
static void cand_extend(struct go_cand *c, const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n && c->len < VERSION_MAX && printable(p[i]))
		c->s[c->len++] = (char)p[i++];
	c->open = i == n && c->len < VERSION_MAX;
}

static void cand_add(struct go_old *o, uint64_t off, const unsigned char *p, size_t n)
{
	if (!o->cand)
		o->cand = bw_calloc(CANDS_MAX, sizeof(*o->cand));
	struct go_cand *c;
	if (o->n_cand < CANDS_MAX) {
		c = &o->cand[(o->cand_start + o->n_cand++) % CANDS_MAX];
	} else { /* forget the oldest; an open one is among the last 64 */
		c = &o->cand[o->cand_start];
		o->cand_start = (o->cand_start + 1) % CANDS_MAX;
	}
	*c = (struct go_cand){.off = off};
	cand_extend(c, p, n);
	if (c->open)
		o->n_open++;
}

/* Remember the "go1.N" strings of a chunk at file offset pos. Open ones are
 * always the newest: a later start lies in an open run, and has fewer bytes. */
static void cand_feed(struct go_old *o, const unsigned char *d, size_t len, uint64_t pos)
{
	size_t open = 0;
	for (size_t k = 0; k < o->n_open; k++) {
		struct go_cand *c = &o->cand[(o->cand_start + o->n_cand - o->n_open + k) % CANDS_MAX];
		if (c->open) {
			cand_extend(c, d, len);
			open += c->open;
		}
	}
	o->n_open = open;
	/* one that starts in the carried tail of the previous chunk */
	unsigned char joint[4 + 4 + VERSION_MAX];
	size_t take = len < sizeof(joint) - 4 ? len : sizeof(joint) - 4;
	memcpy(joint, o->carry, o->n_carry);
	memcpy(joint + o->n_carry, d, take);
	size_t jn = o->n_carry + take;
	for (size_t i = 0; i < o->n_carry; i++)
		if (jn - i >= 5 && go1_at(joint + i))
			cand_add(o, pos - o->n_carry + i, joint + i, jn - i);
	/* the ones in the chunk; one too near its end to judge is in the next carry */
	const unsigned char *p = d, *end = d + len;
	while ((p = memmem(p, (size_t)(end - p), "go1.", 4)) != NULL && end - p >= 5) {
		if (go1_at(p))
			cand_add(o, pos + (uint64_t)(p - d), p, (size_t)(end - p));
		p++;
	}
	size_t keep = jn < 4 ? jn : 4;
	memmove(o->carry, joint + jn - keep, keep);
	if (take < len) /* the carry is the chunk's own tail */
		memcpy(o->carry, end - keep, keep);
	o->n_carry = keep;
}

/* n bytes at file offset off, from whatever kept them: the in-memory copy,
 * or the slot s; NULL when neither did. */
static const unsigned char *bytes_at(const struct inv_binary *b, uint64_t off, uint64_t n,
				     const struct go_slot *s)
{
	if (b->elf_state == ELF_KEEP && off <= b->elf_len && n <= b->elf_len - off)
		return b->elf + off;
	if (s && s->armed && s->off == off && s->len == n && s->got == n)
		return s->d;
	return NULL;
}

/* Where string i (0: runtime.buildVersion, 1: runtime.modinfo) of at most
 * max bytes lies in the file: NULL with *off and *len, or why not. */
static const char *old_extent(const struct inv_binary *b, int i, uint64_t max, uint64_t *off, uint64_t *len)
{
	static const char *const msg[2][4] = {
	    {"runtime.buildVersion's string header was not read",
	     "runtime.buildVersion is longer than 64 bytes",
	     "runtime.buildVersion's bytes are outside every loadable segment",
	     "runtime.buildVersion's bytes are past the end of the file"},
	    {"runtime.modinfo's string header was not read", "runtime.modinfo is longer than 1 MiB",
	     "runtime.modinfo's bytes are outside every loadable segment",
	     "runtime.modinfo's bytes are past the end of the file"},
	};
	const struct go_slot *s = &b->old.hdr[i];
	const unsigned char *h = s->armed ? bytes_at(b, s->off, s->len, s) : NULL;
	if (!h)
		return msg[i][0];
	uint64_t addr = rd_ptr(&b->old, h);
	*len = rd_ptr(&b->old, h + b->old.ptrsize);
	*off = 0;
	if (*len == 0)
		return NULL;
	if (*len > max)
		return msg[i][1];
	if (inv_elf_vaddr_offset(b->loads, b->n_loads, addr, *len, off) < 0)
		return msg[i][2];
	if (*off > b->size || *len > b->size - *off)
		return msg[i][3];
	return NULL;
}

/* The version's bytes: from the copy, else the "go1.N" string remembered there. */
static const char *old_version(const struct inv_binary *b, size_t *n, const char **why)
{
	uint64_t off, len;
	if ((*why = old_extent(b, 0, VERSION_MAX, &off, &len)) != NULL)
		return NULL;
	if (len == 0) {
		*why = "runtime.buildVersion is empty";
		return NULL;
	}
	const char *v = (const char *)bytes_at(b, off, len, NULL);
	for (size_t k = 0; !v && k < b->old.n_cand; k++) {
		const struct go_cand *c = &b->old.cand[(b->old.cand_start + k) % CANDS_MAX];
		if (c->off == off && len <= c->len)
			v = c->s;
	}
	if (!v) {
		*why = "runtime.buildVersion's bytes were not read";
		return NULL;
	}
	for (size_t k = 0; k < len; k++)
		if (!printable((unsigned char)v[k])) {
			*why = "runtime.buildVersion is not text";
			return NULL;
		}
	*n = (size_t)len;
	return v;
}

/* The module information: from the copy, else the sentinels' block when it
 * is the one the pointer gives; that block also when the pointer is unusable. */
static const char *old_modinfo(const struct inv_binary *b, size_t *n)
{
	uint64_t off, len;
	*n = 0;
	if (old_extent(b, 1, CAPTURE_MAX, &off, &len) != NULL) {
		*n = b->pending ? b->modinfo.len : 0;
		return b->pending ? b->modinfo.data : NULL;
	}
	const char *m = len ? (const char *)bytes_at(b, off, len, NULL) : NULL;
	if (!m && len && b->pending && b->modinfo_off == off && b->modinfo.len == len)
		m = b->modinfo.data;
	*n = m ? (size_t)len : 0;
	return m;
}

/* At the end of a file with the pre-1.18 header: its two strings. */
static void old_end(struct inv_binary *b)
{
	size_t vlen = 0, mlen = 0;
	const char *why = b->old.why;
	const char *ver = why ? NULL : old_version(b, &vlen, &why);
	const char *mod = old_modinfo(b, &mlen);
	inv_go_buildinfo(b->l, bin_record(b), ver ? ver : "", vlen, mod ? mod : "", mlen);
	if (why)
		inv_record_note(b->l, bin_record(b),
				"%s: Go build info of the pre-1.18 format: toolchain version not read (%s): "
				"the standard library is not matched",
				b->path, why);
	b->go_found = true;
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
	if ((ptrsize != 4 && ptrsize != 8) || (flags & ~3u))
		return REJECT; /* a string constant */
	if (!(flags & 2)) {
		old_header(b, d, ptrsize, flags & 1);
		return REJECT; /* the pointer format: read at the end (see above) */
	}
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
		b->modinfo_off = b->cap_off;
	}
	return REJECT; /* keep searching for the build info header, which has the Go version */
}

/* data[0..len) is at file offset pos */
static void process(struct inv_binary *b, const unsigned char *data, size_t len, uint64_t pos, int depth);

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
		process(b, tmp, n, b->cap_off + 1, depth + 1);
	free(tmp);
}

static void process(struct inv_binary *b, const unsigned char *data, size_t len, uint64_t pos, int depth)
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
				b->cap_off = pos - b->n_carry + (size_t)(hit - joint);
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
				pos += (size_t)(hit - data);
				b->cap_off = pos;
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
		enum verdict v =
		    b->state == BIN_CAPTURE_GO ? judge_go(b, false, &need) : judge_mod(b, false, &need);
		if (v == NEED) {
			size_t room = need > b->cap.len ? need - b->cap.len : 1;
			size_t take = len < room ? len : room;
			if (bw_buf_add(&b->cap, data, take) < 0) {
				b->state = BIN_DONE;
				return;
			}
			data += take;
			pos += take;
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
		enum verdict v =
		    b->state == BIN_CAPTURE_GO ? judge_go(b, false, &need) : judge_mod(b, false, &need);
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

/* The older format's version can only come from the remembered strings. */
static bool streaming(const struct inv_binary *b)
{
	return b->ph_state == PH_OK && (b->elf_state == ELF_TOO_BIG || b->elf_state == ELF_DROP) &&
	       !(b->old.seen && b->old.why);
}

void inv_binary_chunk(struct inv_binary *b, const void *data, size_t len)
{
	const unsigned char *d = data;
	uint64_t pos = b->off;
	b->off += len;
	if (b->elf_state == ELF_UNDECIDED || b->elf_state == ELF_KEEP)
		elf_keep(b, d, len);
	if (b->ph_state == PH_WAIT && !b->go_found)
		ph_feed(b, d, len); /* before the header that may point through it */
	if (b->state == BIN_HEAD) {
		size_t take = 4 - b->n_head < len ? 4 - b->n_head : len;
		memcpy(b->head + b->n_head, d, take);
		b->n_head += take;
		if (b->n_head == 4)
			b->state = memcmp(b->head, "\177ELF", 4) == 0 ? BIN_SEARCH : BIN_DONE;
		if (b->state == BIN_HEAD)
			return;
	}
	if (b->go_found || (b->state == BIN_DONE && !b->old.seen))
		goto out;
	if (b->state != BIN_DONE)
		process(b, d, len, pos, 0);
	if (!b->go_found) {
		slot_feed(&b->old.hdr[0], d, len, pos);
		slot_feed(&b->old.hdr[1], d, len, pos);
		if (streaming(b))
			cand_feed(&b->old, d, len, pos);
	}
out:
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
		inv_record_note(
		    b->l, bin_record(b),
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
	if (!b->go_found && b->old.seen) {
		old_end(b);
	} else if (!b->go_found && b->pending) { /* sentinels without a header: Go 1.12 */
		inv_go_buildinfo(b->l, bin_record(b), "", 0, b->modinfo.data, b->modinfo.len);
		b->go_found = true;
	}
	elf_end(b);
	free(b->elf);
	free(b->old.cand);
	bw_buf_release(&b->cap);
	bw_buf_release(&b->modinfo);
	bw_buf_release(&b->ph);
	free(b);
}
