/* Go projects: go.mod (https://go.dev/ref/mod#go-mod-file), read where a
 * project is scanned before it is built.
 *
 * "require PATH VERSION" lines, alone or in a "require ( … )" block, name
 * the module versions the build uses (Go 1.17 and later list the indirect
 * ones too, marked "// indirect"). "replace OLD [VERSION] => NEW [VERSION]"
 * swaps a module for another module version, or for a local directory
 * (a path beginning with "./", "../" or "/"), which is no package of the
 * module proxy and is dropped. Paths may be quoted. The main module
 * ("module PATH") is the project itself and is not a dependency; go.sum
 * adds nothing go.mod does not list (it holds hashes of every version the
 * module graph ever looked at), so it is not read.
 * Packages are those of Go binaries (gobinary.c): ecosystem Go, purl
 * pkg:golang/PATH-HEAD/LAST@VERSION.
 */
#include "inventory-int.h"

#define GOMOD_MAX_REPLACE 4096

struct go_replace {
	struct bw_slice old, old_version, new, new_version;
};

/* Up to 4 blank-separated words of t, quotes removed, up to a "//" comment. */
static size_t go_words(struct bw_slice t, struct bw_slice *w, size_t max)
{
	size_t n = 0, i = 0;
	while (i < t.len && n < max) {
		while (i < t.len && (t.ptr[i] == ' ' || t.ptr[i] == '\t'))
			i++;
		if (i >= t.len || (t.len - i >= 2 && t.ptr[i] == '/' && t.ptr[i + 1] == '/'))
			break;
		size_t s = i;
		if (t.ptr[i] == '"' || t.ptr[i] == '`') {
			const char *q = memchr(t.ptr + i + 1, t.ptr[i], t.len - i - 1);
			if (!q)
				return 0;
			w[n++] = (struct bw_slice){t.ptr + s + 1, (size_t)(q - t.ptr) - s - 1};
			i = (size_t)(q - t.ptr) + 1;
			continue;
		}
		while (i < t.len && t.ptr[i] != ' ' && t.ptr[i] != '\t')
			i++;
		w[n++] = (struct bw_slice){t.ptr + s, i - s};
	}
	return n;
}

static bool local_path(struct bw_slice s)
{
	return bw_slice_has_prefix(s, "./") || bw_slice_has_prefix(s, "../") || bw_slice_has_prefix(s, "/") ||
	       bw_slice_eq(s, ".") || bw_slice_eq(s, "..");
}

static bool slice_is(struct bw_slice a, const char *s)
{
	return a.len == strlen(s) && memcmp(a.ptr, s, a.len) == 0;
}

void inv_parse_gomod(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *line;
	size_t n, lineno = 0, n_rep = 0;
	enum { NONE, REQUIRE, REPLACE, OTHER } block = NONE;
	struct go_replace *rep = NULL;
	while (inv_next_line(&p, end, &line, &n)) {
		lineno++;
		struct bw_slice w[6];
		size_t nw = go_words(inv_trim((struct bw_slice){line, n}), w, BW_ARRAY_SIZE(w));
		if (!nw)
			continue;
		int what = block;
		size_t at = 0;
		if (block == NONE) {
			if (bw_slice_eq(w[0], "require"))
				what = REQUIRE;
			else if (bw_slice_eq(w[0], "replace"))
				what = REPLACE;
			else
				what = OTHER;
			if (nw >= 2 && bw_slice_eq(w[1], "(")) {
				block = what;
				continue;
			}
			at = 1;
		} else if (bw_slice_eq(w[0], ")")) {
			block = NONE;
			continue;
		}
		struct bw_slice *a = w + at;
		size_t na = nw - at;
		if (what == REQUIRE) {
			if (na < 2 || !a[0].len || !a[1].len || a[1].ptr[0] != 'v') {
				inv_record_note(
				    l, rec,
				    "%s: line %zu: a requirement that is not \"PATH vVERSION\"; ignored",
				    rec->path, lineno);
				continue;
			}
			size_t p_i = inv_record_add_pkg(l, rec);
			struct inv_pkg *pk = &rec->pkgs[p_i];
			pk->name = inv_strndup(l, a[0].ptr, a[0].len);
			pk->version = inv_strndup(l, a[1].ptr, a[1].len);
		} else if (what == REPLACE) {
			/* OLD [V] => NEW [V] */
			size_t arrow = 1;
			while (arrow < na && !bw_slice_eq(a[arrow], "=>"))
				arrow++;
			if (arrow > 2 || arrow + 1 >= na) {
				inv_record_note(l, rec,
						"%s: line %zu: a replacement that is not \"OLD [VERSION] => "
						"NEW [VERSION]\"; ignored",
						rec->path, lineno);
				continue;
			}
			if (n_rep == GOMOD_MAX_REPLACE)
				continue;
			if (!rep)
				rep = bw_calloc(GOMOD_MAX_REPLACE, sizeof(*rep));
			rep[n_rep++] =
			    (struct go_replace){a[0], arrow == 2 ? a[1] : (struct bw_slice){0}, a[arrow + 1],
						arrow + 2 < na ? a[arrow + 2] : (struct bw_slice){0}};
		}
	}
	/* replacements, then purls */
	size_t keep = 0;
	for (size_t i = 0; i < rec->n_pkgs; i++) {
		struct inv_pkg *pk = &rec->pkgs[i];
		bool drop = false;
		for (size_t r = n_rep; r-- > 0;) {
			if (!slice_is(rep[r].old, pk->name) ||
			    (rep[r].old_version.len && !slice_is(rep[r].old_version, pk->version)))
				continue;
			if (local_path(rep[r].new) || !rep[r].new_version.len)
				drop = true;
			else {
				pk->name = inv_strndup(l, rep[r].new.ptr, rep[r].new.len);
				pk->version = inv_strndup(l, rep[r].new_version.ptr, rep[r].new_version.len);
			}
			break;
		}
		if (drop)
			continue;
		pk->ecosystem = "Go";
		pk->purl_type = "golang";
		const char *sl = strrchr(pk->name, '/');
		if (sl) {
			pk->purl_ns = bw_arena_strndup(&l->arena, pk->name, (size_t)(sl - pk->name));
			pk->purl_name = sl + 1;
		}
		rec->pkgs[keep++] = *pk;
	}
	rec->n_pkgs = keep;
	free(rep);
}
