/* Software bills of materials made by any tool (Syft, Trivy, cdxgen,
 * bulwark) read back as an inventory: the packages to match, by their
 * package URLs, and the operating system they belong to.
 *
 * CycloneDX JSON (specVersion 1.2 to 1.6): "components", nested ones
 * too, each with a "purl" and "properties" (name/value); the OS is a
 * component of type "operating-system" (name: the os-release ID or Trivy's
 * family name, version). SPDX JSON (spdxVersion SPDX-2.2, SPDX-2.3):
 * "packages", each with "externalRefs" of referenceType "purl"; the OS is
 * a package whose primaryPackagePurpose is OPERATING-SYSTEM. Without such
 * a component, the OS is the "distro" qualifier of an OS package's purl
 * ("debian-12", "alpine-3.19.1", or Trivy's bare "3.19.1").
 *
 * OS packages are matched on their source package, which each tool writes
 * its own way: the purl's "upstream" qualifier (Syft: "openssl",
 * "glibc@2.36-9", an rpm's "openssl-3.0.7-24.el9.src.rpm"), properties
 * (aquasecurity:trivy:SrcName/SrcVersion/SrcRelease/SrcEpoch,
 * syft:metadata:source/sourceVersion, bulwark:source_name/source_version),
 * or SPDX's sourceInfo ("built package from: NAME VERSION", "built from
 * source package NAME VERSION").
 *
 * Everything here is untrusted: the file is read whole up to
 * INV_SBOM_MAX_FILE, components are counted (INV_SBOM_MAX_COMPONENTS) and
 * their nesting bounded (INV_SBOM_MAX_DEPTH); a malformed document is
 * BW_EINPUT naming the file. Components no purl type of ours describes are
 * counted and named in a warning: not checked, never silently.
 */
#include <jansson.h>

#include "inventory-int.h"

#define INV_SBOM_MAX_FILE (256u << 20)
#define INV_SBOM_MAX_COMPONENTS 2000000
#define INV_SBOM_MAX_DEPTH 32
#define INV_SBOM_MAX_PURL 8192
#define INV_SBOM_MAX_QUALIFIERS 16
#define INV_SBOM_NAMED_UNCHECKED 5

/* purl types and their OSV ecosystem; os: the namespace names the OS */
static const struct {
	const char *type, *ecosystem;
	bool os;
} purl_types[] = {
    {"deb", "Debian", true},   {"apk", "Alpine", true},		 {"rpm", "rpm", true},
    {"npm", "npm", false},     {"pypi", "PyPI", false},		 {"golang", "Go", false},
    {"maven", "Maven", false}, {"gem", "RubyGems", false},	 {"cargo", "crates.io", false},
    {"nuget", "NuGet", false}, {"composer", "Packagist", false},
};

/* OS names other tools write (Trivy's families, purl namespaces) and the
 * os-release ID they stand for. */
static const char *const os_aliases[][2] = {
    {"redhat", "rhel"},
    {"red hat", "rhel"},
    {"alma", "almalinux"},
    {"amazon", "amzn"},
    {"amazon linux", "amzn"},
    {"oracle", "ol"},
    {"oraclelinux", "ol"},
    {"cbl-mariner", "mariner"},
    {"opensuse.leap", "opensuse-leap"},
    {"opensuse", "opensuse-leap"},
    {"opensuse.tumbleweed", "opensuse-tumbleweed"},
    {"suse", "sles"},
    {"suse linux enterprise server", "sles"},
    {"rocky linux", "rocky"},
    {"photon os", "photon"},
    {"azure linux", "azurelinux"},
};

struct purl {
	const char *type, *ns, *name, *version;
	const char *qk[INV_SBOM_MAX_QUALIFIERS], *qv[INV_SBOM_MAX_QUALIFIERS];
	size_t nq;
};

struct sbom {
	const char *path; /* names the file in messages */
	struct bw_report *r;
	struct bw_arena a; /* scratch: decoded purls, lowered names */
	size_t components;
	/* the OS: from an OS component (strong) or a purl's distro qualifier */
	const char *os_id, *os_version;
	bool os_strong;
	/* not checked: how many, and the first few named */
	size_t unchecked;
	const char *unchecked_named[INV_SBOM_NAMED_UNCHECKED];
	size_t n_unchecked_named;
};

static int hexval(char c)
{
	return bw_isdigit(c) ? c - '0' : bw_isxdigit(c) ? bw_tolower(c) - 'a' + 10 : -1;
}

/* Percent-decode s[0..n) into the arena; NULL when it decodes to a NUL. */
static const char *pct_decode(struct bw_arena *a, const char *s, size_t n)
{
	char *out = bw_arena_alloc(a, n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (s[i] == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0 && (l = hexval(s[i + 2])) >= 0) {
			out[o] = (char)(h * 16 + l);
			i += 2;
		} else {
			out[o] = s[i];
		}
		if (!out[o])
			return NULL;
		o++;
	}
	out[o] = 0;
	return out;
}

/* Split "pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS#SUBPATH" (purl-spec),
 * every part decoded; false for anything else. */
static bool purl_parse(struct bw_arena *a, const char *s, struct purl *p)
{
	memset(p, 0, sizeof(*p));
	size_t len = strnlen(s, INV_SBOM_MAX_PURL + 1);
	if (len > INV_SBOM_MAX_PURL || bw_strncasecmp(s, "pkg:", 4) != 0)
		return false;
	s += 4;
	len -= 4;
	while (len && *s == '/')
		s++, len--;
	const char *hash = memchr(s, '#', len);
	if (hash)
		len = (size_t)(hash - s);
	const char *q = memchr(s, '?', len);
	size_t main_len = q ? (size_t)(q - s) : len;
	if (q) {
		const char *e = s + len;
		for (const char *k = q + 1; k < e && p->nq < INV_SBOM_MAX_QUALIFIERS;) {
			const char *amp = memchr(k, '&', (size_t)(e - k));
			const char *ke = amp ? amp : e;
			const char *eq = memchr(k, '=', (size_t)(ke - k));
			if (eq && eq > k) {
				char *key = bw_arena_strndup(a, k, (size_t)(eq - k));
				for (char *c = key; *c; c++)
					*c = (char)bw_tolower(*c);
				const char *v = pct_decode(a, eq + 1, (size_t)(ke - eq - 1));
				if (v && *v) {
					p->qk[p->nq] = key;
					p->qv[p->nq++] = v;
				}
			}
			k = amp ? amp + 1 : e;
		}
	}
	while (main_len && s[main_len - 1] == '/')
		main_len--;
	const char *slash = memchr(s, '/', main_len);
	if (!slash || slash == s)
		return false;
	char *type = bw_arena_strndup(a, s, (size_t)(slash - s));
	for (char *c = type; *c; c++)
		*c = (char)bw_tolower(*c);
	p->type = type;
	const char *rest = slash + 1, *end = s + main_len;
	/* the version follows the '@' of the last segment */
	const char *last = rest;
	for (const char *c = rest; c < end; c++)
		if (*c == '/')
			last = c + 1;
	const char *at = memchr(last, '@', (size_t)(end - last));
	const char *name_end = at ? at : end;
	if (at) {
		p->version = pct_decode(a, at + 1, (size_t)(end - at - 1));
		if (!p->version)
			return false;
	}
	p->name = pct_decode(a, last, (size_t)(name_end - last));
	if (!p->name || !*p->name)
		return false;
	if (last > rest) {
		/* namespace segments, each decoded, empty ones dropped */
		struct bw_buf b;
		bw_buf_init(&b, INV_SBOM_MAX_PURL);
		for (const char *g = rest; g < last - 1;) {
			const char *ge = memchr(g, '/', (size_t)(last - 1 - g));
			if (!ge)
				ge = last - 1;
			if (ge > g) {
				const char *seg = pct_decode(a, g, (size_t)(ge - g));
				if (!seg) {
					bw_buf_release(&b);
					return false;
				}
				if (b.len)
					bw_buf_addstr(&b, "/");
				bw_buf_addstr(&b, seg);
			}
			g = ge + 1;
		}
		if (b.len)
			p->ns = bw_arena_strndup(a, b.data, b.len);
		bw_buf_release(&b);
	}
	return true;
}

static const char *qualifier(const struct purl *p, const char *key)
{
	for (size_t i = 0; i < p->nq; i++)
		if (strcmp(p->qk[i], key) == 0)
			return p->qv[i];
	return NULL;
}

/* An OS name as an os-release ID: lowercase, aliases resolved. */
static const char *os_id_of(struct sbom *s, const char *name)
{
	if (!name || !*name)
		return NULL;
	char *low = bw_arena_strdup(&s->a, name);
	for (char *c = low; *c; c++)
		*c = (char)bw_tolower(*c);
	for (size_t i = 0; i < BW_ARRAY_SIZE(os_aliases); i++)
		if (strcmp(os_aliases[i][0], low) == 0)
			return os_aliases[i][1];
	const char *id = inv_os_id_of_purl_ns(low);
	return id ? id : low;
}

static void set_os(struct sbom *s, const char *id, const char *version, bool strong)
{
	if (!id || (s->os_id && (s->os_strong || !strong)))
		return;
	s->os_id = id;
	s->os_version = version && *version ? bw_arena_strdup(&s->a, version) : NULL;
	s->os_strong = strong;
}

/* "debian-12", "opensuse-leap-15.5" (the ID ends at the last '-' before a
 * digit), or Trivy's bare "3.19.1" (the namespace is the ID). */
static void os_from_distro(struct sbom *s, const struct purl *p)
{
	const char *d = qualifier(p, "distro");
	if (!d)
		return;
	if (bw_isdigit(d[0])) {
		set_os(s, os_id_of(s, p->ns), d, false);
		return;
	}
	const char *cut = NULL;
	for (const char *c = d; *c; c++)
		if (*c == '-' && bw_isdigit(c[1]))
			cut = c;
	if (!cut) {
		set_os(s, os_id_of(s, d), NULL, false);
		return;
	}
	set_os(s, os_id_of(s, bw_arena_strndup(&s->a, d, (size_t)(cut - d))), cut + 1, false);
}

static void note_unchecked(struct sbom *s, const char *what)
{
	s->unchecked++;
	if (s->n_unchecked_named < INV_SBOM_NAMED_UNCHECKED)
		s->unchecked_named[s->n_unchecked_named++] = bw_arena_strdup(&s->a, what ? what : "-");
}

/* What a component says besides its purl. */
struct extra {
	const char *src_name, *src_version, *src_release, *src_epoch;
	const char *path, *layer;
};

/* "NAME-VERSION-RELEASE.src.rpm" into name and version-release. */
static void split_srpm(struct sbom *s, const char *v, struct extra *x)
{
	size_t n = strlen(v);
	if (bw_str_ends_with(v, ".src.rpm"))
		n -= 8;
	const char *d2 = NULL, *d1 = NULL;
	for (const char *c = v; c < v + n; c++)
		if (*c == '-') {
			d1 = d2;
			d2 = c;
		}
	if (!d1) {
		x->src_name = bw_arena_strndup(&s->a, v, n);
		return;
	}
	x->src_name = bw_arena_strndup(&s->a, v, (size_t)(d1 - v));
	x->src_version = bw_arena_strndup(&s->a, d1 + 1, (size_t)(v + n - d1 - 1));
}

/* PEP 503: names equal when case and runs of "-", "_", "." do not count. */
static bool pep503_same(const char *a, const char *b)
{
	for (;;) {
		bool sa = *a == '-' || *a == '_' || *a == '.', sb = *b == '-' || *b == '_' || *b == '.';
		if (sa != sb)
			return false;
		if (sa) {
			while (*a == '-' || *a == '_' || *a == '.')
				a++;
			while (*b == '-' || *b == '_' || *b == '.')
				b++;
			continue;
		}
		if (bw_tolower(*a) != bw_tolower(*b))
			return false;
		if (!*a)
			return true;
		a++, b++;
	}
}

/* Add one package of purl p to the report (or count it as not checked). */
static void add_package(struct sbom *s, const char *purl_str, const char *label, struct extra *x)
{
	struct purl p;
	if (!purl_str || !purl_parse(&s->a, purl_str, &p)) {
		note_unchecked(s, purl_str ? purl_str : label);
		return;
	}
	size_t t = 0;
	while (t < BW_ARRAY_SIZE(purl_types) && strcmp(purl_types[t].type, p.type) != 0)
		t++;
	if (t == BW_ARRAY_SIZE(purl_types) || !p.version || !*p.version) {
		note_unchecked(s, purl_str);
		return;
	}
	const char *eco = purl_types[t].ecosystem;
	const char *name = p.name, *version = p.version;
	struct bw_arena *a = &s->a;
	if (purl_types[t].os) {
		os_from_distro(s, &p);
		const char *id = os_id_of(s, p.ns);
		eco = inv_os_ecosystem(id, eco);
		const char *epoch = qualifier(&p, "epoch");
		if (epoch && strcmp(epoch, "0") != 0 && !strchr(version, ':')) {
			char *v = bw_arena_alloc(a, strlen(epoch) + strlen(version) + 2);
			memcpy(v, epoch, strlen(epoch));
			v[strlen(epoch)] = ':';
			memcpy(v + strlen(epoch) + 1, version, strlen(version) + 1);
			version = v;
		}
		const char *up = qualifier(&p, "upstream");
		if (up && !x->src_name) {
			if (strcmp(p.type, "rpm") == 0) {
				split_srpm(s, up, x);
			} else {
				const char *at = strchr(up, '@');
				x->src_name = at ? bw_arena_strndup(a, up, (size_t)(at - up)) : up;
				if (at && !x->src_version)
					x->src_version = at + 1;
			}
		}
	} else if (p.ns && (strcmp(p.type, "npm") == 0 || strcmp(p.type, "golang") == 0 ||
			    strcmp(p.type, "composer") == 0 || strcmp(p.type, "maven") == 0)) {
		char sep = strcmp(p.type, "maven") == 0 ? ':' : '/';
		size_t nl = strlen(p.ns), ml = strlen(p.name);
		char *full = bw_arena_alloc(a, nl + ml + 2);
		memcpy(full, p.ns, nl);
		full[nl] = sep;
		memcpy(full + nl + 1, p.name, ml + 1);
		name = full;
	}
	if (strcmp(p.type, "pypi") == 0 && label && pep503_same(label, p.name))
		name = label; /* the distribution's own spelling, as the inventory writes it */
	if (strcmp(p.type, "golang") == 0) {
		/* Go versions as the Go inventory writes them: "v1.2.3" (Syft's
		 * stdlib "go1.21.0" too) */
		const char *v = version;
		if (v[0] == 'g' && v[1] == 'o' && bw_isdigit(v[2]))
			v += 2;
		if (bw_isdigit(v[0])) {
			char *nv = bw_arena_alloc(a, strlen(v) + 2);
			nv[0] = 'v';
			memcpy(nv + 1, v, strlen(v) + 1);
			version = nv;
		}
	}
	struct bw_report *r = s->r;
	size_t i = bw_report_add_package(r);
	struct bw_package *bp = &r->packages[i];
	bp->name = bw_report_str(r, name);
	bp->version = bw_report_str(r, version);
	bp->ecosystem = bw_report_str(r, eco);
	bp->purl = bw_report_str(r, purl_str);
	bp->path = bw_report_str(r, x->path);
	bp->layer = bw_report_str(r, x->layer);
	if (purl_types[t].os && x->src_name && *x->src_name) {
		bp->source_name = bw_report_str(r, x->src_name);
		const char *sv = x->src_version && *x->src_version ? x->src_version : NULL;
		if (sv && x->src_release && *x->src_release)
			sv = bw_report_strf(r, "%s-%s", sv, x->src_release);
		if (sv && x->src_epoch && *x->src_epoch && strcmp(x->src_epoch, "0") != 0 && !strchr(sv, ':'))
			sv = bw_report_strf(r, "%s:%s", x->src_epoch, sv);
		bp->source_version = bw_report_str(r, sv ? sv : version);
	}
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v && *v ? v : NULL;
}

/* ---- CycloneDX ---- */

static void cdx_extra(const json_t *c, struct extra *x)
{
	const json_t *props = json_object_get(c, "properties");
	size_t i;
	const json_t *pr;
	if (!json_is_array(props))
		return;
	json_array_foreach(props, i, pr)
	{
		const char *k = jstr(pr, "name"), *v = jstr(pr, "value");
		if (!k || !v)
			continue;
		if (strcmp(k, "aquasecurity:trivy:SrcName") == 0 || strcmp(k, "bulwark:source_name") == 0 ||
		    strcmp(k, "syft:metadata:source") == 0)
			x->src_name = v;
		else if (strcmp(k, "aquasecurity:trivy:SrcVersion") == 0 ||
			 strcmp(k, "bulwark:source_version") == 0 ||
			 strcmp(k, "syft:metadata:sourceVersion") == 0)
			x->src_version = v;
		else if (strcmp(k, "aquasecurity:trivy:SrcRelease") == 0)
			x->src_release = v;
		else if (strcmp(k, "aquasecurity:trivy:SrcEpoch") == 0)
			x->src_epoch = v;
		else if ((strcmp(k, "bulwark:path") == 0 || strcmp(k, "aquasecurity:trivy:FilePath") == 0 ||
			  strcmp(k, "syft:location:0:path") == 0) &&
			 !x->path)
			x->path = v;
		else if (strcmp(k, "bulwark:layer") == 0 || strcmp(k, "aquasecurity:trivy:LayerDiffID") == 0)
			x->layer = v;
	}
}

/* Component types that are not packages: the OS is read, the others (the
 * scanned subject, files) are left out without a word. */
static bool cdx_not_package(const char *type)
{
	static const char *const skip[] = {"container", "file", "device", "platform", "data", NULL};
	return type && bw_str_in(type, skip);
}

static int cdx_components(struct sbom *s, const json_t *arr, int depth, struct bw_error *err)
{
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return bw_error_set(err, BW_EINPUT, "%s: \"components\" is not an array", s->path);
	if (depth > INV_SBOM_MAX_DEPTH)
		return bw_error_set(err, BW_ELIMIT, "%s: components nested more than %d deep", s->path,
				    INV_SBOM_MAX_DEPTH);
	size_t i;
	const json_t *c;
	json_array_foreach(arr, i, c)
	{
		if (!json_is_object(c))
			return bw_error_set(err, BW_EINPUT, "%s: component %zu is not an object", s->path, i);
		if (++s->components > INV_SBOM_MAX_COMPONENTS)
			return bw_error_set(err, BW_ELIMIT, "%s: more than %d components", s->path,
					    INV_SBOM_MAX_COMPONENTS);
		const char *type = jstr(c, "type");
		if (type && strcmp(type, "operating-system") == 0) {
			set_os(s, os_id_of(s, jstr(c, "name")), jstr(c, "version"), true);
		} else if (!cdx_not_package(type) && (jstr(c, "purl") || jstr(c, "version"))) {
			/* (a component without purl or version is a grouping, not a package) */
			struct extra x = {0};
			cdx_extra(c, &x);
			add_package(s, jstr(c, "purl"), jstr(c, "name"), &x);
		}
		int rc = cdx_components(s, json_object_get(c, "components"), depth + 1, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int read_cyclonedx(struct sbom *s, const json_t *doc, struct bw_error *err)
{
	const char *spec = jstr(doc, "specVersion");
	if (!spec)
		return bw_error_set(err, BW_EINPUT, "%s: a CycloneDX document without \"specVersion\"",
				    s->path);
	if (strncmp(spec, "1.", 2) != 0)
		return bw_error_set(err, BW_EUNSUPPORTED, "%s: CycloneDX %s (1.2 to 1.6 are read)", s->path,
				    spec);
	const json_t *meta = json_object_get(doc, "metadata");
	const json_t *mc = json_is_object(meta) ? json_object_get(meta, "component") : NULL;
	if (json_is_object(mc)) {
		const char *type = jstr(mc, "type");
		if (type && strcmp(type, "operating-system") == 0)
			set_os(s, os_id_of(s, jstr(mc, "name")), jstr(mc, "version"), true);
		/* the subject's own parts (an application's bundled components) */
		int rc = cdx_components(s, json_object_get(mc, "components"), 1, err);
		if (rc < 0)
			return rc;
	}
	return cdx_components(s, json_object_get(doc, "components"), 0, err);
}

/* ---- SPDX ---- */

/* "built package from: NAME VERSION" (Trivy), "built from source package
 * NAME VERSION" (bulwark). */
static void spdx_source_info(struct sbom *s, const char *si, struct extra *x)
{
	static const char *const lead[] = {"built package from: ", "built from source package "};
	for (size_t i = 0; si && i < BW_ARRAY_SIZE(lead); i++) {
		if (!bw_str_starts_with(si, lead[i]))
			continue;
		const char *n = si + strlen(lead[i]);
		size_t nl = strcspn(n, " ");
		if (!nl)
			return;
		x->src_name = bw_arena_strndup(&s->a, n, nl);
		const char *v = n + nl;
		while (*v == ' ')
			v++;
		size_t vl = strcspn(v, " ");
		if (vl)
			x->src_version = bw_arena_strndup(&s->a, v, vl);
		return;
	}
}

static int read_spdx(struct sbom *s, const json_t *doc, struct bw_error *err)
{
	const char *ver = jstr(doc, "spdxVersion");
	if (strncmp(ver, "SPDX-2.", 7) != 0)
		return bw_error_set(err, BW_EUNSUPPORTED, "%s: %s (SPDX 2.2 and 2.3 JSON are read)", s->path,
				    ver);
	const json_t *pkgs = json_object_get(doc, "packages");
	if (!pkgs)
		return 0;
	if (!json_is_array(pkgs))
		return bw_error_set(err, BW_EINPUT, "%s: \"packages\" is not an array", s->path);
	/* the packages the document describes (documentDescribes, or DESCRIBES
	 * relationships of the document) are its subject, not its contents */
	json_t *subjects = json_object();
	const json_t *described = json_object_get(doc, "documentDescribes"), *d;
	size_t k;
	if (json_is_array(described))
		json_array_foreach(described, k, d) if (json_is_string(d))
		    json_object_set_new(subjects, json_string_value(d), json_true());
	const json_t *rels = json_object_get(doc, "relationships");
	if (json_is_array(rels))
		json_array_foreach(rels, k, d)
		{
			const char *from = jstr(d, "spdxElementId"), *type = jstr(d, "relationshipType"),
				   *to = jstr(d, "relatedSpdxElement");
			if (from && type && to && strcmp(from, "SPDXRef-DOCUMENT") == 0 &&
			    strcmp(type, "DESCRIBES") == 0)
				json_object_set_new(subjects, to, json_true());
		}
	int rc = 0;
	size_t i;
	const json_t *p;
	json_array_foreach(pkgs, i, p)
	{
		if (!json_is_object(p)) {
			rc = bw_error_set(err, BW_EINPUT, "%s: package %zu is not an object", s->path, i);
			break;
		}
		if (++s->components > INV_SBOM_MAX_COMPONENTS) {
			rc = bw_error_set(err, BW_ELIMIT, "%s: more than %d packages", s->path,
					  INV_SBOM_MAX_COMPONENTS);
			break;
		}
		const char *purpose = jstr(p, "primaryPackagePurpose");
		if (purpose &&
		    (strcmp(purpose, "OPERATING-SYSTEM") == 0 || strcmp(purpose, "OPERATING_SYSTEM") == 0)) {
			set_os(s, os_id_of(s, jstr(p, "name")), jstr(p, "versionInfo"), true);
			continue;
		}
		const char *purl = NULL;
		const json_t *refs = json_object_get(p, "externalRefs"), *ref;
		if (json_is_array(refs))
			json_array_foreach(refs, k, ref)
			{
				const char *t = jstr(ref, "referenceType");
				if (t && strcmp(t, "purl") == 0 && !purl)
					purl = jstr(ref, "referenceLocator");
			}
		const char *id = jstr(p, "SPDXID");
		bool subject = id && json_object_get(subjects, id);
		/* the subject (an image, a directory), files, sources and groupings
		 * without a version are not packages to match */
		if (subject ||
		    (purpose && (strcmp(purpose, "CONTAINER") == 0 || strcmp(purpose, "FILE") == 0 ||
				 strcmp(purpose, "SOURCE") == 0)) ||
		    (!purl && !jstr(p, "versionInfo")))
			continue;
		struct extra x = {0};
		spdx_source_info(s, jstr(p, "sourceInfo"), &x);
		add_package(s, purl, jstr(p, "name"), &x);
	}
	json_decref(subjects);
	return rc;
}

int bw_inventory_parse_sbom(const char *name, const void *data, size_t len, struct bw_report *r,
			    struct bw_error *err)
{
	json_error_t je;
	bool too_big = false;
	json_t *doc = bw_json_loadb(data, len, 0, BW_JSON_TREE_MAX, &je, &too_big);
	if (too_big)
		return bw_error_set(err, BW_ELIMIT, "%s: the document takes more than %zu MiB once parsed",
				    name, BW_JSON_TREE_MAX >> 20);
	if (!doc)
		return bw_error_set(err, BW_EINPUT, "%s: not JSON (line %d: %s)", name, je.line, je.text);
	struct sbom s = {.path = name, .r = r};
	bw_arena_init(&s.a);
	int rc;
	const char *fmt = jstr(doc, "bomFormat");
	if (!json_is_object(doc))
		rc = bw_error_set(err, BW_EINPUT, "%s: not a CycloneDX or SPDX JSON document", name);
	else if (fmt && strcmp(fmt, "CycloneDX") == 0)
		rc = read_cyclonedx(&s, doc, err);
	else if (jstr(doc, "spdxVersion"))
		rc = read_spdx(&s, doc, err);
	else
		rc = bw_error_set(
		    err, BW_EINPUT,
		    "%s: not a CycloneDX (\"bomFormat\") or SPDX (\"spdxVersion\") JSON document", name);
	json_decref(doc);
	if (rc == 0 && s.os_id) {
		r->os.id = bw_report_str(r, s.os_id);
		r->os.version = bw_report_str(r, s.os_version);
	}
	if (rc == 0 && s.unchecked) {
		struct bw_buf b;
		bw_buf_init(&b, 1 << 16);
		for (size_t i = 0; i < s.n_unchecked_named; i++)
			bw_buf_printf(&b, "%s%s", i ? ", " : "", s.unchecked_named[i]);
		if (s.unchecked > s.n_unchecked_named)
			bw_buf_printf(&b, ", and %zu more", s.unchecked - s.n_unchecked_named);
		bw_report_warn(r,
			       "%s: %zu component%s not checked: no package URL of a type bulwark matches "
			       "(deb, apk, rpm, npm, pypi, golang, maven, gem, cargo, nuget, composer) with "
			       "a version: %s",
			       name, s.unchecked, s.unchecked == 1 ? "" : "s", b.data ? b.data : "");
		bw_buf_release(&b);
	}
	bw_arena_release(&s.a);
	return rc;
}

int bw_inventory_read_sbom(const char *path, struct bw_report *r, struct bw_error *err)
{
	struct bw_buf b;
	bw_buf_init(&b, INV_SBOM_MAX_FILE);
	int rc = bw_buf_read_file(&b, path, err);
	if (rc == 0)
		rc = bw_inventory_parse_sbom(path, b.data ? b.data : "", b.len, r, err);
	bw_buf_release(&b);
	return rc;
}
