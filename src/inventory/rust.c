/* Rust: Cargo.lock (TOML). Every [[package]] table has name, version,
 * source ("registry+https://github.com/rust-lang/crates.io-index" for
 * crates from crates.io; none for the workspace's own crates, which are
 * not dependencies and are skipped) and dependencies (["a", "b 1.0.2"]).
 * The subset of TOML read here is the one Cargo writes: one key a line,
 * double-quoted strings, arrays spanning lines.
 */
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

static void flush(struct inv_layer *l, struct inv_record *rec, struct bw_slice name, struct bw_slice version,
		  struct bw_slice source, struct bw_slice deps, size_t line)
{
	if (!name.len && !version.len)
		return;
	if (!name.len || !version.len) {
		inv_record_note(l, rec, "%s: the [[package]] before line %zu has no name or version", rec->path, line);
		return;
	}
	if (!source.len)
		return; /* a workspace member */
	struct inv_pkg *p = inv_record_add_pkg(l, rec);
	p->name = inv_strndup(l, name.ptr, name.len);
	p->version = inv_strndup(l, version.ptr, version.len);
	p->ecosystem = "crates.io";
	p->purl_type = "cargo";
	/* dependencies: "name" or "name version" or "name version (source)" */
	size_t i = 0;
	while (i < deps.len) {
		const char *q = memchr(deps.ptr + i, '"', deps.len - i);
		if (!q)
			break;
		const char *e = memchr(q + 1, '"', (size_t)(deps.ptr + deps.len - q - 1));
		if (!e)
			break;
		const char *sp = memchr(q + 1, ' ', (size_t)(e - q - 1));
		inv_pkg_add_depend(l, p, q + 1, (size_t)((sp ? sp : e) - q - 1));
		i = (size_t)(e + 1 - deps.ptr);
	}
}

void inv_parse_cargo_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *line;
	size_t n, lineno = 0;
	bool in_pkg = false, in_deps = false;
	struct bw_slice name = {0}, version = {0}, source = {0}, deps = {0};
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
				flush(l, rec, name, version, source, deps, lineno);
			name = version = source = deps = (struct bw_slice){0};
			in_pkg = bw_slice_eq(t, "[[package]]");
			continue;
		}
		if (!in_pkg)
			continue;
		const char *eq = memchr(t.ptr, '=', t.len);
		if (!eq)
			continue;
		struct bw_slice k = inv_trim((struct bw_slice){t.ptr, (size_t)(eq - t.ptr)});
		struct bw_slice v = inv_trim((struct bw_slice){eq + 1, t.len - (size_t)(eq + 1 - t.ptr)});
		if (bw_slice_eq(k, "name"))
			name = toml_string(v);
		else if (bw_slice_eq(k, "version"))
			version = toml_string(v);
		else if (bw_slice_eq(k, "source"))
			source = toml_string(v);
		else if (bw_slice_eq(k, "dependencies")) {
			deps = v;
			in_deps = !memchr(v.ptr, ']', v.len);
		}
	}
	if (in_pkg)
		flush(l, rec, name, version, source, deps, lineno);
}
