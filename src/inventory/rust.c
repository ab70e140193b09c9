/* Rust: Cargo.lock, and the dependency data cargo-auditable embeds in
 * executables.
 *
 * Cargo.lock (TOML): every [[package]] table has name, version, source
 * ("registry+https://github.com/rust-lang/crates.io-index" for crates from
 * crates.io; none for the workspace's own crates, which are not
 * dependencies and are skipped) and dependencies (["a", "b 1.0.2",
 * "c 0.3.1 (registry+…)"]: the version is there when the lock holds
 * several of that name) and checksum (the SHA-256 of the .crate file, hex;
 * lock files of format 1 list them instead in [metadata] as
 * "checksum NAME VERSION (SOURCE)" = "HEX"). The subset of TOML read here
 * is the one Cargo writes: one key a line, double-quoted strings, arrays
 * spanning lines.
 *
 * cargo-auditable (https://github.com/rust-secure-code/cargo-auditable,
 * PARSING.md and cargo-auditable.schema.json): the ELF section ".dep-v0"
 * holds zlib-compressed (RFC 1950) JSON, at most 8 MiB once inflated:
 *   {"format": 1,                     (optional; 0, 1 or 8)
 *    "packages": [{"name": "rand", "version": "0.8.5",
 *                  "source": "crates.io" | "git" | "local" | "registry" | other,
 *                  "kind": "runtime" | "build",   (optional; runtime when absent)
 *                  "root": true,                  (optional; one package: the program)
 *                  "dependencies": [3, 7]}]}      (optional; indexes into packages)
 * Every package becomes a crates.io package (purl pkg:cargo/NAME@VERSION);
 * a source other than "crates.io" is kept as the package's origin; the
 * root is the application. Build-time packages (build scripts,
 * proc-macros) are not linked into the program and are left out, with the
 * edges to them. The format allows zero or several roots and cycles: the
 * first root is the application, edges are only recorded, never walked.
 */
#include <isa-l/igzip_lib.h>
#include <jansson.h>

#include "inventory-int.h"

static struct bw_slice toml_string(struct bw_slice v)
{
	if (v.len >= 2 && v.ptr[0] == '"') {
		const char *e = memchr(v.ptr + 1, '"', v.len - 1);
		if (e)
			return (struct bw_slice){v.ptr + 1, (size_t)(e - v.ptr - 1)};
	}
	return (struct bw_slice){0};
}

static void add_checksum(struct inv_layer *l, struct inv_record *rec, struct inv_pkg *p, struct bw_slice sum)
{
	if (sum.len && !inv_pkg_add_hash(l, p, BW_HASH_SHA256, sum.ptr, sum.len))
		inv_hash_note(l, rec, p, "checksum");
}

static void flush(struct inv_layer *l, struct inv_record *rec, struct bw_slice name, struct bw_slice version,
		  struct bw_slice source, struct bw_slice deps, struct bw_slice sum, size_t line)
{
	if (!name.len && !version.len)
		return;
	if (!name.len || !version.len) {
		inv_record_note(l, rec, "%s: the [[package]] before line %zu has no name or version",
				rec->path, line);
		return;
	}
	if (!source.len)
		return; /* a workspace member */
	size_t p_i = inv_record_add_pkg(l, rec);
	struct inv_pkg *p = &rec->pkgs[p_i];
	p->name = inv_strndup(l, name.ptr, name.len);
	p->version = inv_strndup(l, version.ptr, version.len);
	p->ecosystem = "crates.io";
	p->purl_type = "cargo";
	add_checksum(l, rec, p, sum);
	/* dependencies: "name" or "name version" or "name version (source)" */
	size_t i = 0;
	while (i < deps.len) {
		const char *q = memchr(deps.ptr + i, '"', deps.len - i);
		if (!q)
			break;
		const char *e = memchr(q + 1, '"', (size_t)(deps.ptr + deps.len - q - 1));
		if (!e)
			break;
		/* "name version": up to a second blank, which starts the source */
		const char *sp = memchr(q + 1, ' ', (size_t)(e - q - 1));
		const char *sp2 = sp ? memchr(sp + 1, ' ', (size_t)(e - sp - 1)) : NULL;
		inv_pkg_add_depend(l, p, q + 1, (size_t)((sp2 ? sp2 : e) - q - 1));
		i = (size_t)(e + 1 - deps.ptr);
	}
}

/* Format 1's [metadata] checksums name packages "NAME VERSION (SOURCE)":
 * look them up by "NAME VERSION" among the packages read so far. */
struct cargo_meta {
	struct inv_map by_id; /* "name version" -> index + 1 */
	struct bw_arena keys;
	bool built;
};

static void meta_checksum(struct inv_layer *l, struct inv_record *rec, struct cargo_meta *m,
			  struct bw_slice id, struct bw_slice sum)
{
	if (!m->built) {
		bw_arena_init(&m->keys);
		for (size_t i = 0; i < rec->n_pkgs; i++) {
			char *k = bw_asprintf("%s %s", rec->pkgs[i].name, rec->pkgs[i].version);
			inv_map_put(&m->by_id, bw_arena_strdup(&m->keys, k), (void *)(uintptr_t)(i + 1));
			free(k);
		}
		m->built = true;
	}
	const char *sp = memchr(id.ptr, ' ', id.len);
	const char *sp2 = sp ? memchr(sp + 1, ' ', (size_t)(id.ptr + id.len - sp - 1)) : NULL;
	size_t n = sp2 ? (size_t)(sp2 - id.ptr) : id.len;
	if (!sp || !sum.len || n > 1024)
		return;
	char key[1025];
	memcpy(key, id.ptr, n);
	key[n] = '\0';
	uintptr_t i = (uintptr_t)inv_map_get(&m->by_id, key);
	if (i)
		add_checksum(l, rec, &rec->pkgs[i - 1], sum);
}

void inv_parse_cargo_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *line;
	size_t n, lineno = 0;
	bool in_pkg = false, in_deps = false, in_meta = false;
	struct cargo_meta meta = {0};
	struct bw_slice name = {0}, version = {0}, source = {0}, deps = {0}, sum = {0};
	while (inv_next_line(&p, end, &line, &n)) {
		lineno++;
		struct bw_slice t = inv_trim((struct bw_slice){line, n});
		if (in_deps) {
			deps.len = (size_t)(t.ptr + t.len - deps.ptr);
			if (memchr(t.ptr, ']', t.len))
				in_deps = false;
			continue;
		}
		if (t.len && t.ptr[0] == '[') {
			if (in_pkg)
				flush(l, rec, name, version, source, deps, sum, lineno);
			name = version = source = deps = sum = (struct bw_slice){0};
			in_pkg = bw_slice_eq(t, "[[package]]");
			in_meta = bw_slice_eq(t, "[metadata]");
			continue;
		}
		if (!in_pkg && !in_meta)
			continue;
		const char *eq = memchr(t.ptr, '=', t.len);
		if (!eq)
			continue;
		struct bw_slice k = inv_trim((struct bw_slice){t.ptr, (size_t)(eq - t.ptr)});
		struct bw_slice v = inv_trim((struct bw_slice){eq + 1, t.len - (size_t)(eq + 1 - t.ptr)});
		if (in_meta) {
			/* format 1: "checksum NAME VERSION (SOURCE)" = "HEX", after the packages */
			struct bw_slice key = toml_string(k);
			if (bw_slice_has_prefix(key, "checksum "))
				meta_checksum(l, rec, &meta, (struct bw_slice){key.ptr + 9, key.len - 9},
					      toml_string(v));
			continue;
		}
		if (bw_slice_eq(k, "name"))
			name = toml_string(v);
		else if (bw_slice_eq(k, "version"))
			version = toml_string(v);
		else if (bw_slice_eq(k, "source"))
			source = toml_string(v);
		else if (bw_slice_eq(k, "checksum"))
			sum = toml_string(v);
		else if (bw_slice_eq(k, "dependencies")) {
			deps = v;
			in_deps = !memchr(v.ptr, ']', v.len);
		}
	}
	if (in_pkg)
		flush(l, rec, name, version, source, deps, sum, lineno);
	if (meta.built) {
		inv_map_release(&meta.by_id);
		bw_arena_release(&meta.keys);
	}
}

/* ---- cargo-auditable ---- */

/* Inflate a zlib stream into a buffer of at most INV_RUST_AUDIT_MAX bytes;
 * NULL with *why on a bad stream or a larger output. */
static char *inflate_zlib(const void *z, size_t zlen, size_t *out_len, const char **why)
{
	struct inflate_state *st = bw_malloc(sizeof(*st));
	isal_inflate_init(st);
	st->crc_flag = ISAL_ZLIB; /* header and adler32 checked */
	st->next_in = (uint8_t *)(uintptr_t)z;
	st->avail_in = zlen > UINT32_MAX ? UINT32_MAX : (uint32_t)zlen;
	size_t cap = 64u << 10, len = 0;
	char *out = bw_malloc(cap);
	*why = NULL;
	for (;;) {
		if (len == cap) {
			if (cap >= INV_RUST_AUDIT_MAX) {
				*why = "audit data inflates to more than 8 MiB";
				break;
			}
			cap = cap * 2 > INV_RUST_AUDIT_MAX ? INV_RUST_AUDIT_MAX : cap * 2;
			out = bw_realloc(out, cap);
		}
		st->next_out = (uint8_t *)out + len;
		st->avail_out = (uint32_t)(cap - len);
		int ret = isal_inflate(st);
		len = cap - st->avail_out;
		if (ret != ISAL_DECOMP_OK) {
			*why = "audit data is not a valid zlib stream";
			break;
		}
		if (st->block_state == ISAL_BLOCK_FINISH)
			break;
		if (st->avail_out && !st->avail_in) {
			*why = "audit data is a truncated zlib stream";
			break;
		}
	}
	free(st);
	if (*why) {
		free(out);
		return NULL;
	}
	*out_len = len;
	return out;
}

static const char *source_string(json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	/* the schema also allows {"Other": "…"} */
	json_t *o = json_is_object(v) && json_object_size(v) == 1 ? json_object_get(v, "Other") : NULL;
	return json_is_string(o) ? json_string_value(o) : NULL;
}

void inv_rust_audit(struct inv_layer *l, struct inv_record *rec, const void *z, size_t zlen)
{
	const char *why;
	size_t n;
	char *text = inflate_zlib(z, zlen, &n, &why);
	if (!text) {
		inv_record_note(l, rec, "%s: cargo-auditable .dep-v0: %s", rec->path, why);
		return;
	}
	json_error_t jerr;
	bool too_big = false;
	json_t *root = bw_json_loadb(text, n, JSON_REJECT_DUPLICATES, BW_JSON_TREE_MAX, &jerr, &too_big);
	free(text);
	if (too_big) {
		inv_record_note(l, rec, "%s: cargo-auditable .dep-v0: takes more than %zu MiB once parsed",
				rec->path, BW_JSON_TREE_MAX >> 20);
		return;
	}
	json_t *pkgs = json_is_object(root) ? json_object_get(root, "packages") : NULL;
	if (!json_is_array(pkgs)) {
		if (root)
			inv_record_note(l, rec, "%s: cargo-auditable .dep-v0: no \"packages\" array",
					rec->path);
		else
			inv_record_note(l, rec, "%s: cargo-auditable .dep-v0: invalid JSON at byte %d: %s",
					rec->path, jerr.position, jerr.text);
		json_decref(root);
		return;
	}
	size_t np = json_array_size(pkgs), bad = 0, roots = 0;
	/* index in the JSON -> index in rec->pkgs, or SIZE_MAX when left out */
	size_t *map = bw_calloc(np ? np : 1, sizeof(*map));
	for (size_t i = 0; i < np; i++) {
		json_t *o = json_array_get(pkgs, i);
		json_t *name = json_object_get(o, "name"), *version = json_object_get(o, "version");
		json_t *kind = json_object_get(o, "kind"), *isroot = json_object_get(o, "root");
		const char *source = source_string(json_object_get(o, "source"));
		map[i] = SIZE_MAX;
		if (!json_is_object(o) || !json_is_string(name) || !json_string_length(name) ||
		    !json_is_string(version) || !json_string_length(version) || !source ||
		    (kind && !json_is_string(kind)) || (isroot && !json_is_boolean(isroot))) {
			bad++;
			continue;
		}
		if (kind && strcmp(json_string_value(kind), "runtime") != 0)
			continue; /* "build": not in the program */
		size_t p_i = inv_record_add_pkg(l, rec);
		struct inv_pkg *p = &rec->pkgs[p_i];
		p->name = inv_strndup(l, json_string_value(name), json_string_length(name));
		p->version = inv_strndup(l, json_string_value(version), json_string_length(version));
		p->ecosystem = "crates.io";
		p->purl_type = "cargo";
		if (strcmp(source, "crates.io") != 0)
			p->origin = inv_strdup(l, source);
		if (json_is_true(isroot) && roots++ == 0)
			p->application = true;
		map[i] = rec->n_pkgs - 1;
	}
	/* edges, once every package is in place (rec->pkgs may have moved) */
	for (size_t i = 0; i < np; i++) {
		if (map[i] == SIZE_MAX)
			continue;
		json_t *deps = json_object_get(json_array_get(pkgs, i), "dependencies");
		if (!deps)
			continue;
		if (!json_is_array(deps)) {
			bad++;
			continue;
		}
		struct inv_pkg *p = &rec->pkgs[map[i]];
		for (size_t k = 0; k < json_array_size(deps); k++) {
			json_t *d = json_array_get(deps, k);
			json_int_t j = json_is_integer(d) ? json_integer_value(d) : -1;
			if (j < 0 || (uint64_t)j >= np || (size_t)j == i) {
				bad++;
				continue;
			}
			if (map[j] == SIZE_MAX)
				continue; /* a build-time or malformed package */
			const struct inv_pkg *t = &rec->pkgs[map[j]];
			/* "name version": a program often links two versions of one crate */
			char *s = bw_asprintf("%s %s", t->name, t->version);
			inv_pkg_add_depend(l, p, s, strlen(s));
			free(s);
		}
	}
	if (bad)
		inv_record_note(l, rec,
				"%s: cargo-auditable .dep-v0: %zu malformed package entries or dependency "
				"indexes skipped",
				rec->path, bad);
	else if (roots > 1)
		inv_record_note(
		    l, rec,
		    "%s: cargo-auditable .dep-v0: %zu root packages; the first is taken as the application",
		    rec->path, roots);
	free(map);
	json_decref(root);
}
