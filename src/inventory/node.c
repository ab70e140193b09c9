/* Node.js: installed packages and lock files.
 *
 * node_modules/NAME/package.json and node_modules/@SCOPE/NAME/package.json
 * are the packages npm, yarn and pnpm installed (what `npm ls --all`
 * shows); other package.json files deeper inside a package (a "type":
 * "module" marker in lib/, test fixtures) are not packages and are
 * skipped. "license" is a string (an SPDX expression) or, in old packages,
 * {"type": …}; "licenses" an array of those.
 *
 * Lock files of applications (outside node_modules):
 * - package-lock.json / npm-shrinkwrap.json v2/v3: "packages" maps
 *   "node_modules/a/node_modules/b" to {version, dev, license, integrity,
 *   dependencies}; "" is the application itself; "link": true entries are
 *   workspace links. v1: "dependencies" maps names to {version, dev,
 *   requires, dependencies (nested)}.
 * - yarn.lock v1 ("a@^1, a@^1.1:" then an indented `version "1.2.3"`) and
 *   berry ("a@npm:^1": then `version: 1.2.3`).
 * - pnpm-lock.yaml: the keys of "packages:" ("/a@1.0.0", "/a/1.0.0" in v5,
 *   "a@1.0.0" in v9, "(peer…)" or "_peer" suffixes).
 * Lock-file packages also present in node_modules are reported once.
 *
 * Hashes: the "integrity" of lock-file entries (v1, v2, v3), yarn v1's
 * `integrity` line (or, in older yarn.lock files, the "#<sha1>" ending its
 * `resolved` URL) and pnpm's `resolution: {integrity: …}` are Subresource
 * Integrity values of the package's tarball (sha512, or sha1 for old
 * ones); an installed package.json keeps npm 6's "_integrity" / "_shasum".
 * Yarn berry's `checksum` hashes yarn's own cache zip, not the tarball, and
 * is not read. A package in node_modules without one takes the integrity
 * of the same name and version in the lock file of the directory holding
 * that node_modules (inventory.c).
 */
#include <jansson.h>

#include "inventory-int.h"

/* "author": "Name <email> (url)", or {"name": …, "email": …}: "Name <email>". */
static void set_author(struct inv_layer *l, struct inv_pkg *p, json_t *v)
{
	if (json_is_string(v) && json_string_length(v) && json_string_length(v) < 512) {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		const char *url = memchr(s, '(', n);
		if (url && url > s)
			n = (size_t)(url - s);
		struct bw_slice t = inv_trim((struct bw_slice){s, n});
		if (t.len)
			p->author = inv_strndup(l, t.ptr, t.len);
	} else if (json_is_object(v)) {
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *email = json_string_value(json_object_get(v, "email"));
		if (name && *name && strlen(name) < 256) {
			char *a = email && *email && strlen(email) < 256 ? bw_asprintf("%s <%s>", name, email)
									 : bw_strdup(name);
			p->author = inv_strdup(l, a);
			free(a);
		}
	}
}

static void add_license_value(struct inv_layer *l, struct inv_pkg *p, json_t *v)
{
	if (json_is_string(v)) {
		inv_pkg_add_license(l, p, json_string_value(v), json_string_length(v));
	} else if (json_is_object(v)) {
		json_t *t = json_object_get(v, "type");
		if (json_is_string(t))
			inv_pkg_add_license(l, p, json_string_value(t), json_string_length(t));
	} else if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) if (i < 16) add_license_value(l, p, e);
	}
}

/* "@scope/name" -> ns "@scope", name "name" */
static void set_npm_name(struct inv_layer *l, struct inv_pkg *p, const char *name, size_t n)
{
	p->name = inv_strndup(l, name, n);
	p->ecosystem = "npm";
	p->purl_type = "npm";
	const char *slash = p->name[0] == '@' ? strchr(p->name, '/') : NULL;
	if (slash) {
		p->purl_ns = bw_arena_strndup(&l->arena, p->name, (size_t)(slash - p->name));
		p->purl_name = slash + 1;
	}
}

/* "integrity": an SRI string; anything else, or a bad hash, is a warning
 * ("" is none). */
static void add_integrity(struct inv_layer *l, struct inv_record *rec, struct inv_pkg *p, json_t *v)
{
	if (!v || (json_is_string(v) && !json_string_length(v)))
		return;
	if (!json_is_string(v) || !inv_pkg_add_sri(l, p, json_string_value(v), json_string_length(v)))
		inv_hash_note(l, rec, p, "integrity");
}

static void add_dep_keys(struct inv_layer *l, struct inv_pkg *p, json_t *deps)
{
	const char *k;
	json_t *v;
	json_object_foreach(deps, k, v)
	{
		(void)v;
		inv_pkg_add_depend(l, p, k, strlen(k));
	}
}

/* Is path ".../node_modules/NAME/package.json" or ".../node_modules/@S/NAME/package.json"? */
static bool package_root(const char *path)
{
	const char *nm = NULL;
	for (const char *s = strstr(path, "/node_modules/"); s; s = strstr(s + 1, "/node_modules/"))
		nm = s;
	if (!nm)
		return false;
	const char *rest = nm + 14;
	const char *slash = strchr(rest, '/');
	if (!slash || slash == rest)
		return false;
	if (rest[0] == '@') {
		slash = strchr(slash + 1, '/');
		if (!slash)
			return false;
	}
	if (rest[0] == '.')
		return false; /* .bin, .cache, .pnpm (its inner node_modules qualify) */
	return strcmp(slash, "/package.json") == 0;
}

void inv_parse_npm_pkg(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	if (!package_root(rec->path))
		return;
	json_t *j = inv_json_load(l, rec, data, len);
	if (!j)
		return;
	json_t *name = json_object_get(j, "name"), *version = json_object_get(j, "version");
	if (json_is_string(name) && json_is_string(version) && json_string_length(name) &&
	    json_string_length(version)) {
		size_t p_i = inv_record_add_pkg(l, rec);
		struct inv_pkg *p = &rec->pkgs[p_i];
		set_npm_name(l, p, json_string_value(name), json_string_length(name));
		p->version = inv_strndup(l, json_string_value(version), json_string_length(version));
		add_license_value(l, p, json_object_get(j, "license"));
		add_license_value(l, p, json_object_get(j, "licenses"));
		set_author(l, p, json_object_get(j, "author"));
		add_dep_keys(l, p, json_object_get(j, "dependencies"));
		add_dep_keys(l, p, json_object_get(j, "optionalDependencies"));
		/* npm <= 6 kept what it installed from: "_integrity", "_shasum" (SHA-1 hex) */
		add_integrity(l, rec, p, json_object_get(j, "_integrity"));
		json_t *sh = json_object_get(j, "_shasum");
		if (json_is_string(sh) && json_string_length(sh) &&
		    !inv_pkg_add_hash(l, p, BW_HASH_SHA1, json_string_value(sh), json_string_length(sh)))
			inv_hash_note(l, rec, p, "_shasum");
	} else if (!json_is_object(j)) {
		inv_record_note(l, rec, "%s: not a JSON object", rec->path);
	}
	json_decref(j);
}

static void lock_v1(struct inv_layer *l, struct inv_record *rec, json_t *deps, int depth)
{
	const char *k;
	json_t *v;
	if (depth > 64)
		return;
	json_object_foreach(deps, k, v)
	{
		json_t *ver = json_object_get(v, "version");
		if (!json_is_string(ver))
			continue;
		const char *vs = json_string_value(ver);
		/* "file:", "git+…", "github:" are not registry versions */
		if (strchr(vs, ':'))
			continue;
		size_t p_i = inv_record_add_pkg(l, rec);
		struct inv_pkg *p = &rec->pkgs[p_i];
		set_npm_name(l, p, k, strlen(k));
		p->version = inv_strndup(l, vs, strlen(vs));
		p->dev = json_is_true(json_object_get(v, "dev"));
		add_integrity(l, rec, p, json_object_get(v, "integrity"));
		add_dep_keys(l, p, json_object_get(v, "requires"));
		lock_v1(l, rec, json_object_get(v, "dependencies"), depth + 1);
	}
}

void inv_parse_npm_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	json_t *j = inv_json_load(l, rec, data, len);
	if (!j)
		return;
	json_t *pkgs = json_object_get(j, "packages");
	if (json_is_object(pkgs)) {
		const char *k;
		json_t *v;
		json_object_foreach(pkgs, k, v)
		{
			const char *nm = NULL;
			for (const char *s = strstr(k, "node_modules/"); s;
			     s = strstr(s + 1, "node_modules/"))
				nm = s;
			if (!nm || json_is_true(json_object_get(v, "link")))
				continue;
			json_t *ver = json_object_get(v, "version");
			if (!json_is_string(ver) || strchr(json_string_value(ver), ':'))
				continue;
			json_t *name =
			    json_object_get(v, "name"); /* aliases: "node_modules/x" is package y */
			const char *n = json_is_string(name) ? json_string_value(name) : nm + 13;
			size_t p_i = inv_record_add_pkg(l, rec);
			struct inv_pkg *p = &rec->pkgs[p_i];
			set_npm_name(l, p, n, strlen(n));
			p->version = inv_strndup(l, json_string_value(ver), json_string_length(ver));
			p->dev = json_is_true(json_object_get(v, "dev"));
			add_license_value(l, p, json_object_get(v, "license"));
			add_integrity(l, rec, p, json_object_get(v, "integrity"));
			add_dep_keys(l, p, json_object_get(v, "dependencies"));
			add_dep_keys(l, p, json_object_get(v, "optionalDependencies"));
		}
	} else {
		lock_v1(l, rec, json_object_get(j, "dependencies"), 0);
	}
	json_decref(j);
}

/* "@scope/a@^1.0.0" or "a@npm:^1" -> name length (up to the '@' before the range) */
static size_t descriptor_name(const char *s, size_t n)
{
	if (n < 2)
		return n;
	size_t start = s[0] == '@' ? 1 : 0;
	const char *at = memchr(s + start, '@', n - start);
	return at ? (size_t)(at - s) : n;
}

static bool yarn_key(struct bw_slice t, const char *key)
{
	size_t k = strlen(key);
	return t.len > k + 1 && memcmp(t.ptr, key, k) == 0 && (t.ptr[k] == ' ' || t.ptr[k] == ':');
}

/* A yarn.lock value: `key value`, `key "value"` (v1) or `key: value` (berry). */
static struct bw_slice yarn_value(struct bw_slice t, size_t keylen)
{
	struct bw_slice v = inv_trim((struct bw_slice){t.ptr + keylen, t.len - keylen});
	if (v.len && v.ptr[0] == ':')
		v = inv_trim((struct bw_slice){v.ptr + 1, v.len - 1});
	if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"')
		v = (struct bw_slice){v.ptr + 1, v.len - 2};
	return v;
}

struct yarn_block {
	struct bw_slice name, version, integrity, resolved;
	bool workspace;
};

static void yarn_flush(struct inv_layer *l, struct inv_record *rec, struct yarn_block *b)
{
	if (b->name.len && !b->workspace && b->version.len) {
		size_t pk_i = inv_record_add_pkg(l, rec);
		struct inv_pkg *pk = &rec->pkgs[pk_i];
		set_npm_name(l, pk, b->name.ptr, b->name.len);
		pk->version = inv_strndup(l, b->version.ptr, b->version.len);
		if (b->integrity.len) {
			if (!inv_pkg_add_sri(l, pk, b->integrity.ptr, b->integrity.len))
				inv_hash_note(l, rec, pk, "integrity");
		} else if (b->resolved.len) {
			/* ".../x-1.0.0.tgz#<sha1 of the tarball>"; a git URL's "#<commit>" is not one */
			const char *hash = memchr(b->resolved.ptr, '#', b->resolved.len);
			size_t before = hash ? (size_t)(hash - b->resolved.ptr) : 0;
			if (hash && before > 4 && memcmp(hash - 4, ".tgz", 4) == 0 &&
			    !inv_pkg_add_hash(l, pk, BW_HASH_SHA1, hash + 1, b->resolved.len - before - 1))
				inv_hash_note(l, rec, pk, "the SHA-1 after the resolved URL");
		}
	}
	memset(b, 0, sizeof(*b));
}

void inv_parse_yarn_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *line;
	size_t n;
	struct yarn_block b = {0};
	while (inv_next_line(&p, end, &line, &n)) {
		if (!n || line[0] == '#')
			continue;
		if (line[0] != ' ') {
			yarn_flush(l, rec, &b);
			/* a block header: first descriptor names the package */
			struct bw_slice h = inv_trim((struct bw_slice){line, n});
			if (h.len && h.ptr[h.len - 1] == ':')
				h.len--;
			if (h.len && h.ptr[0] == '"') {
				h.ptr++;
				h.len--;
			}
			size_t comma = 0;
			while (comma < h.len && h.ptr[comma] != ',' && h.ptr[comma] != '"')
				comma++;
			h.len = comma;
			b.name = (struct bw_slice){h.ptr, descriptor_name(h.ptr, h.len)};
			b.workspace = memmem(h.ptr, h.len, "@workspace:", 11) ||
				      memmem(h.ptr, h.len, "@link:", 6) ||
				      memmem(h.ptr, h.len, "@file:", 6) || bw_slice_eq(b.name, "__metadata");
			continue;
		}
		if (!b.name.len || b.workspace || n < 3 || line[2] == ' ')
			continue; /* nested deeper than the block's own fields */
		struct bw_slice t = inv_trim((struct bw_slice){line, n});
		/* the first of each field counts */
		if (yarn_key(t, "version") && !b.version.len)
			b.version = yarn_value(t, 7);
		else if (yarn_key(t, "integrity") && !b.integrity.len)
			b.integrity = yarn_value(t, 9);
		else if (yarn_key(t, "resolved") && !b.resolved.len)
			b.resolved = yarn_value(t, 8);
	}
	yarn_flush(l, rec, &b);
}

void inv_parse_pnpm_lock(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *line;
	size_t n;
	bool in_packages = false, in_resolution = false;
	size_t cur = SIZE_MAX; /* the package of the entry being read */
	while (inv_next_line(&p, end, &line, &n)) {
		if (!n)
			continue;
		if (line[0] != ' ') {
			in_packages = n >= 9 && memcmp(line, "packages:", 9) == 0;
			cur = SIZE_MAX;
			continue;
		}
		if (!in_packages)
			continue;
		if (n >= 3 && line[2] == ' ') {
			/* a field of the entry: "resolution: {integrity: …}", or
			 * "resolution:" then "integrity: …" one level deeper */
			struct bw_slice t = inv_trim((struct bw_slice){line, n});
			size_t indent = (size_t)(t.ptr - line);
			if (cur == SIZE_MAX || !t.len)
				continue;
			struct bw_slice v = {0};
			if (indent == 4 && bw_slice_has_prefix(t, "resolution:")) {
				struct bw_slice r = inv_trim((struct bw_slice){t.ptr + 11, t.len - 11});
				in_resolution = !r.len;
				const char *k =
				    r.len && r.ptr[0] == '{' ? memmem(r.ptr, r.len, "integrity:", 10) : NULL;
				if (k) {
					v.ptr = k + 10;
					v.len = (size_t)(r.ptr + r.len - v.ptr);
					for (size_t i = 0; i < v.len; i++)
						if (v.ptr[i] == ',' || v.ptr[i] == '}')
							v.len = i;
				}
			} else if (indent == 6 && in_resolution && bw_slice_has_prefix(t, "integrity:")) {
				v = (struct bw_slice){t.ptr + 10, t.len - 10};
			} else if (indent <= 4) {
				in_resolution = false;
			}
			v = inv_trim(v);
			if (v.len >= 2 && (v.ptr[0] == '\'' || v.ptr[0] == '"') &&
			    v.ptr[v.len - 1] == v.ptr[0])
				v = (struct bw_slice){v.ptr + 1, v.len - 2};
			if (v.len && !inv_pkg_add_sri(l, &rec->pkgs[cur], v.ptr, v.len))
				inv_hash_note(l, rec, &rec->pkgs[cur], "integrity");
			continue;
		}
		cur = SIZE_MAX;
		in_resolution = false;
		if (n < 4 || line[n - 1] != ':')
			continue;
		struct bw_slice k = inv_trim((struct bw_slice){line, n - 1});
		if (k.len >= 2 && (k.ptr[0] == '\'' || k.ptr[0] == '"')) {
			k.ptr++;
			k.len -= 2;
		}
		if (k.len && k.ptr[0] == '/') {
			k.ptr++;
			k.len--;
		}
		const char *par = memchr(k.ptr, '(', k.len); /* v6+: peer suffix */
		if (par)
			k.len = (size_t)(par - k.ptr);
		size_t start = k.ptr[0] == '@' ? 1 : 0;
		const char *at = k.len > start ? memchr(k.ptr + start, '@', k.len - start) : NULL;
		struct bw_slice name, ver;
		if (at) {
			name = (struct bw_slice){k.ptr, (size_t)(at - k.ptr)};
			ver = (struct bw_slice){at + 1, k.len - (size_t)(at + 1 - k.ptr)};
		} else {
			/* v5: "a/1.0.0" or "@s/a/1.0.0_peer@1" */
			const char *sl = NULL;
			for (const char *q = k.ptr; q < k.ptr + k.len; q++)
				if (*q == '/')
					sl = q;
			if (!sl)
				continue;
			name = (struct bw_slice){k.ptr, (size_t)(sl - k.ptr)};
			ver = (struct bw_slice){sl + 1, k.len - (size_t)(sl + 1 - k.ptr)};
			const char *us = memchr(ver.ptr, '_', ver.len);
			if (us)
				ver.len = (size_t)(us - ver.ptr);
		}
		if (!name.len || !ver.len || memchr(ver.ptr, ':', ver.len))
			continue;
		size_t pk_i = inv_record_add_pkg(l, rec);
		struct inv_pkg *pk = &rec->pkgs[pk_i];
		set_npm_name(l, pk, name.ptr, name.len);
		pk->version = inv_strndup(l, ver.ptr, ver.len);
		cur = rec->n_pkgs - 1;
	}
}
