/* Java projects: Maven's pom.xml (https://maven.apache.org/pom.html), the
 * dependencies it declares with their versions, resolved without the
 * network: "${NAME}" from the same pom's <properties>, ${project.version}
 * (also ${pom.version}, ${version}) from its own <version> or, when it has
 * none, its <parent>'s, ${project.groupId} and ${project.artifactId}, and a
 * dependency without a version from the same pom's <dependencyManagement>.
 * A version still unresolved (a property of a parent pom, an import BOM),
 * a range ("[1.0,2.0)") or none at all leaves the dependency out with a
 * note naming it. Dependencies of scope "test" are left out, as the
 * project's artifact does not ship them. Packages are those of jars
 * (java.c): ecosystem Maven, name "GROUP:ARTIFACT", purl
 * pkg:maven/GROUP/ARTIFACT@VERSION.
 *
 * The XML is read by a small bounded reader: elements (namespace prefixes
 * dropped), text, the five predefined entities and character references,
 * comments, CDATA, processing instructions; a DOCTYPE is skipped and its
 * entities are never expanded. Nesting is bounded (INV_POM_MAX_DEPTH); a
 * malformed document is a note, with what was read before it kept.
 */
#include "inventory-int.h"

#define INV_POM_MAX_DEPTH 64
#define INV_POM_MAX_TEXT 4096
#define INV_POM_MAX_PROPS 10000
#define INV_POM_MAX_DEPS 100000
#define INV_POM_MAX_EXPAND 8 /* property references within property values */
#define INV_POM_NAMED_SKIPS 4

struct pom_dep {
	const char *group, *artifact, *version, *scope;
};

struct pom {
	struct inv_layer *l;
	struct inv_record *rec;
	/* the element path, "/"-joined local names: "project/dependencies/dependency/version" */
	char path[INV_POM_MAX_DEPTH * 64];
	size_t path_len;
	size_t depth;
	size_t seg[INV_POM_MAX_DEPTH]; /* path_len before each element */
	char text[INV_POM_MAX_TEXT];
	size_t text_len;
	bool text_long;
	const char *version, *group, *artifact, *parent_version, *parent_group;
	const char **prop_k, **prop_v;
	size_t n_props;
	struct pom_dep *deps, *managed, cur;
	size_t n_deps, n_managed;
	bool too_many;
	struct bw_buf skipped; /* "G:A (why)", the first INV_POM_NAMED_SKIPS */
	size_t n_skipped;
};

static bool at(const struct pom *p, const char *path)
{
	return strcmp(p->path, path) == 0;
}

static const char *text(struct pom *p)
{
	/* a value cut at INV_POM_MAX_TEXT would be another value: none */
	return inv_strndup(p->l, p->text, p->text_long ? 0 : p->text_len);
}

/* groupId, artifactId, version, scope of the current dependency (not
 * those of its <exclusions>) */
static void dep_leaf(struct pom *p, const char *leaf)
{
	if (strcmp(leaf, "groupId") == 0)
		p->cur.group = text(p);
	else if (strcmp(leaf, "artifactId") == 0)
		p->cur.artifact = text(p);
	else if (strcmp(leaf, "version") == 0)
		p->cur.version = text(p);
	else if (strcmp(leaf, "scope") == 0)
		p->cur.scope = text(p);
}

static void end_element(struct pom *p)
{
	static const char dep[] = "project/dependencies/dependency";
	static const char mdep[] = "project/dependencyManagement/dependencies/dependency";
	const char *path = p->path;
	size_t dl = strlen(dep), ml = strlen(mdep);
	if (at(p, "project/version"))
		p->version = text(p);
	else if (at(p, "project/groupId"))
		p->group = text(p);
	else if (at(p, "project/artifactId"))
		p->artifact = text(p);
	else if (at(p, "project/parent/version"))
		p->parent_version = text(p);
	else if (at(p, "project/parent/groupId"))
		p->parent_group = text(p);
	else if (strncmp(path, "project/properties/", 19) == 0 && !strchr(path + 19, '/')) {
		if (p->n_props < INV_POM_MAX_PROPS) {
			p->prop_k = bw_realloc(p->prop_k, (p->n_props + 1) * sizeof(*p->prop_k));
			p->prop_v = bw_realloc(p->prop_v, (p->n_props + 1) * sizeof(*p->prop_v));
			p->prop_k[p->n_props] = inv_strdup(p->l, path + 19);
			p->prop_v[p->n_props++] = text(p);
		}
	} else if (strncmp(path, dep, dl) == 0 && path[dl] == '/') {
		dep_leaf(p, path + dl + 1);
	} else if (strncmp(path, mdep, ml) == 0 && path[ml] == '/') {
		dep_leaf(p, path + ml + 1);
	} else if (at(p, dep) || at(p, mdep)) {
		bool managed = at(p, mdep);
		struct pom_dep **arr = managed ? &p->managed : &p->deps;
		size_t *n = managed ? &p->n_managed : &p->n_deps;
		if (*n >= INV_POM_MAX_DEPS) {
			p->too_many = true;
		} else {
			*arr = bw_realloc(*arr, (*n + 1) * sizeof(**arr));
			(*arr)[(*n)++] = p->cur;
		}
		memset(&p->cur, 0, sizeof(p->cur));
	}
}

/* Append the decoded text of s[0..n) (entities resolved) to the current text. */
static void add_text(struct pom *p, const char *s, size_t n, bool raw)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!raw && c == '&') {
			const char *semi = memchr(s + i, ';', n - i < 12 ? n - i : 12);
			if (semi) {
				struct bw_slice e = {s + i + 1, (size_t)(semi - s - i - 1)};
				unsigned long cp = 0;
				bool ok = true;
				if (bw_slice_eq(e, "lt"))
					cp = '<';
				else if (bw_slice_eq(e, "gt"))
					cp = '>';
				else if (bw_slice_eq(e, "amp"))
					cp = '&';
				else if (bw_slice_eq(e, "quot"))
					cp = '"';
				else if (bw_slice_eq(e, "apos"))
					cp = '\'';
				else if (e.len > 1 && e.ptr[0] == '#') {
					bool hex = e.ptr[1] == 'x';
					for (size_t k = hex ? 2 : 1; k < e.len && ok; k++) {
						int d = bw_isdigit(e.ptr[k]) ? e.ptr[k] - '0'
							: hex && bw_isxdigit(e.ptr[k])
							    ? bw_tolower(e.ptr[k]) - 'a' + 10
							    : -1;
						ok = d >= 0 && cp < 0x110000;
						cp = cp * (hex ? 16 : 10) + (unsigned long)(d < 0 ? 0 : d);
					}
					/* versions and names are ASCII: anything else is kept as '?' */
					ok = ok && cp > 0;
					if (ok && cp > 0x7e)
						cp = '?';
				} else {
					ok = false;
				}
				if (ok) {
					c = (char)cp;
					i = (size_t)(semi - s);
				}
			}
		}
		if (p->text_len + 1 >= sizeof(p->text)) {
			p->text_long = true;
			return;
		}
		p->text[p->text_len++] = c;
	}
}

/* Read the document; false (with a note) where it stops being XML. */
static bool read_xml(struct pom *p, const char *d, size_t len)
{
	const char *s = d, *end = d + len;
	while (s < end) {
		if (*s != '<') {
			const char *lt = memchr(s, '<', (size_t)(end - s));
			const char *e = lt ? lt : end;
			add_text(p, s, (size_t)(e - s), false);
			s = e;
			continue;
		}
		size_t left = (size_t)(end - s);
		if (left >= 4 && memcmp(s, "<!--", 4) == 0) {
			const char *e = memmem(s + 4, left - 4, "-->", 3);
			if (!e)
				return false;
			s = e + 3;
		} else if (left >= 9 && memcmp(s, "<![CDATA[", 9) == 0) {
			const char *e = memmem(s + 9, left - 9, "]]>", 3);
			if (!e)
				return false;
			add_text(p, s + 9, (size_t)(e - s - 9), true);
			s = e + 3;
		} else if (left >= 2 && s[1] == '?') {
			const char *e = memmem(s + 2, left - 2, "?>", 2);
			if (!e)
				return false;
			s = e + 2;
		} else if (left >= 2 && s[1] == '!') {
			/* <!DOCTYPE …[ internal subset ]>: skipped, nothing expanded */
			int brackets = 0;
			const char *e = s + 2;
			while (e < end && (*e != '>' || brackets > 0)) {
				brackets += *e == '[' ? 1 : *e == ']' ? -1 : 0;
				e++;
			}
			if (e >= end)
				return false;
			s = e + 1;
		} else {
			bool closing = left >= 2 && s[1] == '/';
			const char *n = s + (closing ? 2 : 1), *ne = n;
			while (ne < end && !bw_isspace(*ne) && *ne != '>' && *ne != '/')
				ne++;
			/* the tag's end, quoted attribute values may hold '>' */
			const char *e = ne;
			char q = 0;
			while (e < end && (q || *e != '>')) {
				if (q && *e == q)
					q = 0;
				else if (!q && (*e == '"' || *e == '\''))
					q = *e;
				e++;
			}
			if (e >= end || ne == n)
				return false;
			bool empty = !closing && e[-1] == '/';
			const char *colon = memchr(n, ':', (size_t)(ne - n));
			if (colon)
				n = colon + 1;
			size_t nl = (size_t)(ne - n);
			if (closing) {
				if (!p->depth)
					return false;
				p->path[p->path_len] = 0;
				end_element(p);
				p->path_len = p->seg[--p->depth];
				p->path[p->path_len] = 0;
			} else {
				if (p->depth >= INV_POM_MAX_DEPTH || p->path_len + nl + 2 >= sizeof(p->path))
					return false;
				p->seg[p->depth++] = p->path_len;
				if (p->path_len)
					p->path[p->path_len++] = '/';
				memcpy(p->path + p->path_len, n, nl);
				p->path_len += nl;
				p->path[p->path_len] = 0;
				if (empty) {
					p->text_len = 0;
					end_element(p);
					p->path_len = p->seg[--p->depth];
					p->path[p->path_len] = 0;
				}
			}
			p->text_len = 0;
			p->text_long = false;
			s = e + 1;
		}
	}
	return p->depth == 0;
}

static const char *property(const struct pom *p, const char *name, size_t n)
{
	static const char *const self_version[] = {"project.version", "pom.version", "version", NULL};
	char key[256];
	if (n >= sizeof(key))
		return NULL;
	memcpy(key, name, n);
	key[n] = 0;
	/* the pom's own properties win over the built-in names, as in Maven */
	for (size_t i = p->n_props; i-- > 0;)
		if (strcmp(p->prop_k[i], key) == 0)
			return p->prop_v[i];
	if (bw_str_in(key, self_version))
		return p->version ? p->version : p->parent_version;
	if (strcmp(key, "project.groupId") == 0 || strcmp(key, "pom.groupId") == 0)
		return p->group ? p->group : p->parent_group;
	if (strcmp(key, "project.artifactId") == 0 || strcmp(key, "pom.artifactId") == 0)
		return p->artifact;
	if (strcmp(key, "project.parent.version") == 0 || strcmp(key, "parent.version") == 0)
		return p->parent_version;
	return NULL;
}

/* "${a}.${b}" with every reference resolved, or NULL (*missing names the
 * first that is not). */
static const char *resolve(struct pom *p, const char *v, int depth, char *missing, size_t mlen)
{
	if (!v || !strstr(v, "${"))
		return v;
	if (depth >= INV_POM_MAX_EXPAND) {
		snprintf(missing, mlen, "properties nested more than %d deep", INV_POM_MAX_EXPAND);
		return NULL;
	}
	struct bw_buf b;
	bw_buf_init(&b, INV_POM_MAX_TEXT);
	const char *s = v;
	while (*s) {
		const char *open = strstr(s, "${");
		if (!open) {
			bw_buf_addstr(&b, s);
			break;
		}
		bw_buf_add(&b, s, (size_t)(open - s));
		const char *close = strchr(open + 2, '}');
		const char *val = close ? property(p, open + 2, (size_t)(close - open - 2)) : NULL;
		const char *r = val ? resolve(p, val, depth + 1, missing, mlen) : NULL;
		if (!r) {
			if (!val)
				snprintf(missing, mlen, "%.*s is not defined in this pom",
					 close ? (int)(close - open + 1) : (int)strnlen(open, 128), open);
			bw_buf_release(&b);
			return NULL;
		}
		if (bw_buf_addstr(&b, r) < 0) {
			snprintf(missing, mlen, "longer than %d bytes", INV_POM_MAX_TEXT);
			bw_buf_release(&b);
			return NULL;
		}
		s = close + 1;
	}
	const char *out = inv_strndup(p->l, b.data ? b.data : "", b.len);
	bw_buf_release(&b);
	return out;
}

/* A dependency left out: counted, the first few named with the reason,
 * all in the file's one warning. */
static void skip(struct pom *p, const char *g, const char *a, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void skip(struct pom *p, const char *g, const char *a, const char *fmt, ...)
{
	if (p->n_skipped++ >= INV_POM_NAMED_SKIPS)
		return;
	if (!p->skipped.max)
		bw_buf_init(&p->skipped, 2048);
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	bw_buf_printf(&p->skipped, "%s%s:%s (%s)", p->n_skipped > 1 ? ", " : "", g ? g : "?", a ? a : "?",
		      why);
}

static void add_dep(struct pom *p, const struct pom_dep *d)
{
	char missing[256] = "";
	const char *g = resolve(p, d->group, 0, missing, sizeof(missing));
	const char *a = resolve(p, d->artifact, 0, missing, sizeof(missing));
	if (!g || !a || !*g || !*a) {
		skip(p, g, a, "no groupId or artifactId");
		return;
	}
	const char *scope = resolve(p, d->scope, 0, missing, sizeof(missing));
	if (scope && strcmp(scope, "test") == 0)
		return;
	const char *v = d->version;
	for (size_t i = 0; !v && i < p->n_managed; i++) {
		const char *mg = resolve(p, p->managed[i].group, 0, missing, sizeof(missing));
		const char *ma = resolve(p, p->managed[i].artifact, 0, missing, sizeof(missing));
		if (mg && ma && strcmp(mg, g) == 0 && strcmp(ma, a) == 0)
			v = p->managed[i].version;
	}
	missing[0] = 0;
	const char *rv = resolve(p, v, 0, missing, sizeof(missing));
	if (!v) {
		skip(p, g, a, "no version: a parent pom or a BOM manages it");
		return;
	}
	if (!rv || !*rv) {
		skip(p, g, a, "%s", rv ? "an empty version" : missing);
		return;
	}
	if (rv[0] == '[' || rv[0] == '(') {
		skip(p, g, a, "version range %s", rv);
		return;
	}
	size_t i = inv_record_add_pkg(p->l, p->rec);
	struct inv_pkg *pk = &p->rec->pkgs[i];
	size_t n = strlen(g) + strlen(a) + 2;
	char *nm = bw_arena_alloc(&p->l->arena, n);
	snprintf(nm, n, "%s:%s", g, a);
	pk->name = nm;
	pk->version = rv;
	pk->ecosystem = "Maven";
	pk->purl_type = "maven";
	pk->purl_ns = g;
	pk->purl_name = a;
}

void inv_parse_pom(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	struct pom *p = bw_calloc(1, sizeof(*p));
	p->l = l;
	p->rec = rec;
	bool xml_ok = read_xml(p, data, len);
	for (size_t i = 0; i < p->n_deps; i++)
		add_dep(p, &p->deps[i]);
	/* one warning for the file (the inventory keeps a file's first note) */
	if (!xml_ok || p->too_many || p->n_skipped) {
		struct bw_buf b;
		bw_buf_init(&b, 4096);
		if (!xml_ok)
			bw_buf_printf(
			    &b,
			    "not well-formed XML (or nested deeper than %d); what was read before is kept",
			    INV_POM_MAX_DEPTH);
		if (p->too_many)
			bw_buf_printf(&b, "%smore than %d dependencies, the rest ignored", b.len ? "; " : "",
				      INV_POM_MAX_DEPS);
		if (p->n_skipped) {
			bw_buf_printf(
			    &b, "%s%zu dependenc%s skipped, no version this pom resolves (no network): %s",
			    b.len ? "; " : "", p->n_skipped, p->n_skipped == 1 ? "y" : "ies",
			    p->skipped.data ? p->skipped.data : "");
			if (p->n_skipped > INV_POM_NAMED_SKIPS)
				bw_buf_printf(&b, ", and %zu more", p->n_skipped - INV_POM_NAMED_SKIPS);
		}
		inv_record_note(l, rec, "%s: %s", rec->path, b.data);
		bw_buf_release(&b);
	}
	bw_buf_release(&p->skipped);
	free(p->prop_k);
	free(p->prop_v);
	free(p->deps);
	free(p->managed);
	free(p);
}
