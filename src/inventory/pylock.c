/* Python projects: the files that pin a project's dependencies, read where
 * a project is scanned (bulwark fs DIR) before anything is installed.
 *
 * - requirements*.txt (pip's requirements file format): one requirement a
 *   line, "name[extras]==version ; marker  # comment", options ("-r",
 *   "--hash=…") and continuation lines ending in '\'. Only pinned lines
 *   ("==" or "===" and a version without '*') name a version; the others
 *   are ranges, not packages.
 * - poetry.lock and uv.lock (TOML): a [[package]] table per locked package
 *   with name and version (the subset of TOML both write: one key a line,
 *   double-quoted strings). poetry's category = "dev" (before 1.2) marks a
 *   development dependency; uv's source = { editable | virtual | directory
 *   | path = … } is the project itself or a local tree, not a package of
 *   the index, and is skipped.
 * - Pipfile.lock (JSON): "default" and "develop" map a name to
 *   {"version": "==1.2.3", "hashes": [...]}.
 * Names are normalised as PEP 503 says, as the installed metadata's are
 * (python.c), so that purls and OSV look-ups agree.
 */
#include <jansson.h>

#include "inventory-int.h"
#include "version/version.h"

static struct inv_pkg *add_pypi(struct inv_layer *l, struct inv_record *rec, struct bw_slice name,
				struct bw_slice version)
{
	size_t p_i = inv_record_add_pkg(l, rec);
	struct inv_pkg *p = &rec->pkgs[p_i];
	char *norm = bw_arena_alloc(&l->arena, name.len + 1);
	bw_version_pep503_name(name.ptr, name.len, norm);
	p->name = inv_strndup(l, norm, strlen(norm));
	p->version = inv_strndup(l, version.ptr, version.len);
	p->ecosystem = "PyPI";
	p->purl_type = "pypi";
	return p;
}

static bool name_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '-';
}

void inv_parse_requirements(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *line;
	size_t n, lineno = 0;
	bool continued = false;
	while (inv_next_line(&p, end, &line, &n)) {
		lineno++;
		bool was_continued = continued;
		struct bw_slice t = inv_trim((struct bw_slice){line, n});
		continued = t.len && t.ptr[t.len - 1] == '\\';
		if (was_continued || !t.len || t.ptr[0] == '#' || t.ptr[0] == '-')
			continue;
		size_t i = 0;
		while (i < t.len && name_byte(t.ptr[i]))
			i++;
		struct bw_slice name = {t.ptr, i};
		if (!name.len)
			continue;
		if (i < t.len && t.ptr[i] == '[') { /* extras */
			const char *cl = memchr(t.ptr + i, ']', t.len - i);
			if (!cl)
				continue;
			i = (size_t)(cl + 1 - t.ptr);
		}
		while (i < t.len && (t.ptr[i] == ' ' || t.ptr[i] == '\t'))
			i++;
		if (t.len - i < 2 || memcmp(t.ptr + i, "==", 2) != 0)
			continue; /* not pinned: a range, a URL, a bare name */
		i += 2;
		if (i < t.len && t.ptr[i] == '=')
			i++; /* "===": arbitrary equality */
		while (i < t.len && (t.ptr[i] == ' ' || t.ptr[i] == '\t'))
			i++;
		size_t v = i;
		while (i < t.len && !strchr(" \t;#,\\", t.ptr[i]))
			i++;
		struct bw_slice version = {t.ptr + v, i - v};
		if (!version.len) {
			inv_record_note(l, rec, "%s: line %zu: \"%.*s==\" names no version; ignored",
					rec->path, lineno, (int)(name.len > 200 ? 200 : name.len), name.ptr);
			continue;
		}
		if (memchr(version.ptr, '*', version.len))
			continue; /* "==1.2.*" is a range */
		add_pypi(l, rec, name, version);
	}
}

static struct bw_slice toml_string(struct bw_slice v)
{
	if (v.len >= 2 && v.ptr[0] == '"') {
		const char *e = memchr(v.ptr + 1, '"', v.len - 1);
		if (e)
			return (struct bw_slice){v.ptr + 1, (size_t)(e - v.ptr - 1)};
	}
	return (struct bw_slice){0};
}

struct py_toml_pkg {
	struct bw_slice name, version;
	bool dev, local;
	size_t line; /* of its [[package]] */
};

static void py_flush(struct inv_layer *l, struct inv_record *rec, const struct py_toml_pkg *pk)
{
	if (!pk->line || pk->local)
		return;
	if (!pk->name.len || !pk->version.len) {
		inv_record_note(l, rec, "%s: line %zu: a [[package]] without a name or version; ignored",
				rec->path, pk->line);
		return;
	}
	add_pypi(l, rec, pk->name, pk->version)->dev = pk->dev;
}

/* poetry.lock and uv.lock */
void inv_parse_py_toml_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *line;
	size_t n, lineno = 0;
	struct py_toml_pkg pk = {0};
	bool in_keys = false; /* in the [[package]] table itself, not a sub-table */
	while (inv_next_line(&p, end, &line, &n)) {
		lineno++;
		struct bw_slice t = inv_trim((struct bw_slice){line, n});
		if (t.len && t.ptr[0] == '[') {
			if (bw_slice_eq(t, "[[package]]")) {
				py_flush(l, rec, &pk);
				pk = (struct py_toml_pkg){.line = lineno};
				in_keys = true;
			} else if (!bw_slice_has_prefix(t, "[package.") &&
				   !bw_slice_has_prefix(t, "[[package.")) {
				py_flush(l, rec, &pk);
				pk = (struct py_toml_pkg){0};
				in_keys = false;
			} else {
				in_keys = false; /* [package.dependencies]: still the same package */
			}
			continue;
		}
		if (!in_keys)
			continue;
		const char *eq = memchr(t.ptr, '=', t.len);
		if (!eq)
			continue;
		struct bw_slice k = inv_trim((struct bw_slice){t.ptr, (size_t)(eq - t.ptr)});
		struct bw_slice v = inv_trim((struct bw_slice){eq + 1, t.len - (size_t)(eq + 1 - t.ptr)});
		if (bw_slice_eq(k, "name"))
			pk.name = toml_string(v);
		else if (bw_slice_eq(k, "version"))
			pk.version = toml_string(v);
		else if (bw_slice_eq(k, "category"))
			pk.dev = bw_slice_eq(toml_string(v), "dev");
		else if (bw_slice_eq(k, "source") && v.len && v.ptr[0] == '{') {
			struct bw_slice in = inv_trim((struct bw_slice){v.ptr + 1, v.len - 1});
			pk.local = bw_slice_has_prefix(in, "editable") ||
				   bw_slice_has_prefix(in, "virtual") ||
				   bw_slice_has_prefix(in, "directory") || bw_slice_has_prefix(in, "path");
		}
	}
	py_flush(l, rec, &pk);
}

static void pipfile_section(struct inv_layer *l, struct inv_record *rec, json_t *sec, bool dev)
{
	const char *k;
	json_t *v;
	json_object_foreach(sec, k, v)
	{
		json_t *ver = json_object_get(v, "version");
		if (!json_is_string(ver) || !*k)
			continue;
		struct bw_slice s = {json_string_value(ver), json_string_length(ver)};
		if (!bw_slice_has_prefix(s, "=="))
			continue; /* "*" or a range: nothing pinned */
		s = inv_trim((struct bw_slice){s.ptr + 2, s.len - 2});
		if (s.len && s.ptr[0] == '=')
			s = inv_trim((struct bw_slice){s.ptr + 1, s.len - 1});
		if (!s.len)
			continue;
		add_pypi(l, rec, bw_slice_of(k), s)->dev = dev;
	}
}

void inv_parse_pipfile_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	json_t *j = inv_json_load(l, rec, data, len);
	if (!j)
		return;
	pipfile_section(l, rec, json_object_get(j, "default"), false);
	pipfile_section(l, rec, json_object_get(j, "develop"), true);
	json_decref(j);
}
