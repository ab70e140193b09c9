/* Java projects: the dependency lock file Gradle writes
 * (https://docs.gradle.org/current/userguide/dependency_locking.html),
 * gradle.lockfile: one "GROUP:ARTIFACT:VERSION=CONFIGURATION,…" a line,
 * comments after '#', and "empty=…" listing the configurations that lock
 * nothing. Packages are those of jars (java.c): ecosystem Maven, name
 * "GROUP:ARTIFACT", purl pkg:maven/GROUP/ARTIFACT@VERSION.
 */
#include "inventory-int.h"

static void add_maven(struct inv_layer *l, struct inv_record *rec, struct bw_slice g, struct bw_slice a,
		      struct bw_slice v)
{
	size_t p_i = inv_record_add_pkg(l, rec);
	struct inv_pkg *p = &rec->pkgs[p_i];
	char *gs = inv_strndup(l, g.ptr, g.len), *as = inv_strndup(l, a.ptr, a.len);
	size_t n = strlen(gs) + strlen(as) + 2;
	char *nm = bw_arena_alloc(&l->arena, n);
	snprintf(nm, n, "%s:%s", gs, as);
	p->name = nm;
	p->version = inv_strndup(l, v.ptr, v.len);
	p->ecosystem = "Maven";
	p->purl_type = "maven";
	p->purl_ns = gs;
	p->purl_name = as;
}

void inv_parse_gradle_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *line;
	size_t n, lineno = 0;
	while (inv_next_line(&p, end, &line, &n)) {
		lineno++;
		struct bw_slice t = inv_trim((struct bw_slice){line, n});
		if (!t.len || t.ptr[0] == '#' || bw_slice_has_prefix(t, "empty="))
			continue;
		const char *eq = memchr(t.ptr, '=', t.len);
		struct bw_slice coord = {t.ptr, eq ? (size_t)(eq - t.ptr) : t.len};
		const char *c1 = memchr(coord.ptr, ':', coord.len);
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(coord.ptr + coord.len - c1 - 1)) : NULL;
		const char *c3 = c2 ? memchr(c2 + 1, ':', (size_t)(coord.ptr + coord.len - c2 - 1)) : NULL;
		if (!c2 || c3 || c1 == coord.ptr || c2 == c1 + 1 || c2 + 1 == coord.ptr + coord.len) {
			inv_record_note(
			    l, rec, "%s: line %zu: not \"GROUP:ARTIFACT:VERSION=CONFIGURATIONS\"; ignored",
			    rec->path, lineno);
			continue;
		}
		add_maven(l, rec, (struct bw_slice){coord.ptr, (size_t)(c1 - coord.ptr)},
			  (struct bw_slice){c1 + 1, (size_t)(c2 - c1 - 1)},
			  (struct bw_slice){c2 + 1, (size_t)(coord.ptr + coord.len - c2 - 1)});
	}
}
