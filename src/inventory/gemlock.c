/* Ruby projects: Gemfile.lock, which Bundler writes next to the Gemfile.
 *
 * Sections start at column 0 ("GEM", "GIT", "PATH", "PLATFORMS",
 * "DEPENDENCIES", "BUNDLED WITH", …). In the GEM section, "  specs:" is
 * followed by one gem a line at four blanks, "NAME (VERSION)" or
 * "NAME (VERSION-PLATFORM)", and its dependencies at six blanks, which are
 * ranges. Gems of GIT and PATH sections come from a repository or the
 * project's own tree, not from a gem server, and are not packages that
 * advisories name by version. RubyGems versions hold no '-': what follows
 * one is the platform.
 */
#include "inventory-int.h"

void inv_parse_gemfile_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *line;
	size_t n, lineno = 0;
	bool in_gem = false, in_specs = false;
	while (inv_next_line(&p, end, &line, &n)) {
		lineno++;
		if (!n)
			continue;
		if (line[0] != ' ') {
			struct bw_slice t = inv_trim((struct bw_slice){line, n});
			in_gem = bw_slice_eq(t, "GEM");
			in_specs = false;
			continue;
		}
		if (!in_gem)
			continue;
		size_t ind = 0;
		while (ind < n && line[ind] == ' ')
			ind++;
		struct bw_slice t = inv_trim((struct bw_slice){line + ind, n - ind});
		if (ind == 2) {
			in_specs = bw_slice_eq(t, "specs:");
			continue;
		}
		if (!in_specs || ind != 4)
			continue;
		const char *op = memchr(t.ptr, '(', t.len);
		if (!op || op == t.ptr || t.ptr[t.len - 1] != ')') {
			inv_record_note(l, rec, "%s: line %zu: a gem that is not \"NAME (VERSION)\"; ignored",
					rec->path, lineno);
			continue;
		}
		struct bw_slice name = inv_trim((struct bw_slice){t.ptr, (size_t)(op - t.ptr)});
		struct bw_slice version = {op + 1, (size_t)(t.ptr + t.len - 1 - op - 1)};
		const char *dash = memchr(version.ptr, '-', version.len);
		if (dash)
			version.len = (size_t)(dash - version.ptr);
		if (!name.len || !version.len) {
			inv_record_note(l, rec, "%s: line %zu: a gem without a name or version; ignored",
					rec->path, lineno);
			continue;
		}
		size_t p_i = inv_record_add_pkg(l, rec);
		struct inv_pkg *pk = &rec->pkgs[p_i];
		pk->name = inv_strndup(l, name.ptr, name.len);
		pk->version = inv_strndup(l, version.ptr, version.len);
		pk->ecosystem = "RubyGems";
		pk->purl_type = "gem";
	}
}
