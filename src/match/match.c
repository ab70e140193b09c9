/* Package → advisory matching, alias merging, enrichment and ranking. */
#include <math.h>

#include "match.h"

/* ---- ecosystems ---- */

static const struct {
	const char *eco;
	enum { V_MAJOR, V_ALPINE, V_UBUNTU, V_NONE, V_FULL } form;
	bool by_source; /* advisories name the source package */
} distros[] = {
    {"Debian", V_MAJOR, true},	   {"Ubuntu", V_UBUNTU, true},	     {"Alpine", V_ALPINE, true},
    {"AlmaLinux", V_MAJOR, false}, {"Rocky Linux", V_MAJOR, false},  {"Red Hat", V_MAJOR, false},
    {"CentOS", V_MAJOR, false},	   {"Oracle Linux", V_MAJOR, false}, {"Amazon Linux", V_MAJOR, false},
    {"Fedora", V_MAJOR, false},	   {"openSUSE", V_FULL, false},	     {"SUSE", V_FULL, false},
    {"Mariner", V_FULL, false},	   {"Azure Linux", V_FULL, false},   {"Photon OS", V_FULL, false},
    {"Mageia", V_FULL, false},	   {"Wolfi", V_NONE, false},	     {"Chainguard", V_NONE, false},
};

static int distro_index(const char *eco, size_t len)
{
	for (size_t i = 0; i < BW_ARRAY_SIZE(distros); i++)
		if (strlen(distros[i].eco) == len && strncmp(distros[i].eco, eco, len) == 0)
			return (int)i;
	return -1;
}

size_t bw_match_ecosystems(const char *eco, const char *os_id, const char *os_version, char out[][64],
			   size_t max)
{
	(void)os_id;
	if (!eco || !*eco || max == 0)
		return 0;
	size_t n = 0;
	int d = distro_index(eco, strlen(eco));
	if (d < 0 || strchr(eco, ':')) {
		snprintf(out[n++], 64, "%s", eco);
		return n;
	}
	const char *v = os_version && *os_version ? os_version : NULL;
	size_t major = v ? strcspn(v, ".") : 0;
	switch (distros[d].form) {
	case V_NONE:
		snprintf(out[n++], 64, "%s", eco);
		break;
	case V_MAJOR:
		if (v)
			snprintf(out[n++], 64, "%s:%.*s", eco, (int)(major > 16 ? 16 : major), v);
		break;
	case V_ALPINE:
		if (v) {
			/* "3.19.1" → "v3.19" */
			const char *dot = strchr(v, '.');
			size_t l = dot ? (size_t)(dot - v) + 1 + strcspn(dot + 1, ".") : strlen(v);
			snprintf(out[n++], 64, "Alpine:v%.*s", (int)(l > 16 ? 16 : l), v);
		}
		break;
	case V_UBUNTU:
		if (v) {
			snprintf(out[n++], 64, "Ubuntu:%.16s:LTS", v);
			if (n < max)
				snprintf(out[n++], 64, "Ubuntu:%.16s", v);
		}
		break;
	case V_FULL:
		if (v)
			snprintf(out[n++], 64, "%s:%.32s", eco, v);
		if (n < max)
			snprintf(out[n++], 64, "%s", eco);
		break;
	}
	return n;
}

/* ---- hits ---- */

struct hit {
	int64_t advisory;
	const char *id, *summary, *severity_source, *fixed, *note, *ecosystem, *origin;
	const char *cvss; /* the advisory's vectors, one a line, or NULL */
	enum bw_severity severity;
	double score;
	int scheme;
	const char **ids; /* aliases (merge) */
	size_t n_ids;
	const char **related;
	size_t n_related;
	int group;
};

struct pkg_ctx {
	struct bw_vulndb *db;
	struct bw_report *r;
	struct bw_match_stats *st;
	struct bw_arena ar; /* this package's strings */
	struct hit *hits;
	size_t n_hits, cap_hits;
	struct bw_slice version;
	bool version_warned;
	const struct bw_package *pkg;
};

static bool is_wild(const struct bw_osv_event *e)
{
	return (e->kind == BW_OSV_INTRODUCED && bw_slice_eq(e->version, "0")) ||
	       (e->kind == BW_OSV_LIMIT && bw_slice_eq(e->version, "*"));
}

static int cmp_scheme(int scheme, enum bw_osv_range_type t, struct bw_slice a, struct bw_slice b, int *c)
{
	if (t == BW_OSV_RANGE_SEMVER) {
		if (a.len && a.ptr[0] == 'v')
			a.ptr++, a.len--;
		if (b.len && b.ptr[0] == 'v')
			b.ptr++, b.len--;
		scheme = BW_VERSION_SEMVER;
	}
	if (scheme < 0)
		return -1;
	return bw_version_compare((enum bw_version_scheme)scheme, a, b, c, NULL);
}

/* The fixed version closing the range that holds `version`: the lowest
 * "fixed" event above it, or NULL (last_affected / open range). */
static const struct bw_slice *range_fixed(int scheme, const struct bw_osv_range *rg, struct bw_slice version)
{
	const struct bw_slice *best = NULL;
	for (size_t i = 0; i < rg->n_events; i++) {
		const struct bw_osv_event *e = &rg->events[i];
		if (e->kind != BW_OSV_FIXED || is_wild(e))
			continue;
		int c;
		if (cmp_scheme(scheme, rg->type, e->version, version, &c) < 0) {
			if (!best)
				best = &e->version;
			continue;
		}
		if (c <= 0)
			continue;
		int c2;
		if (!best || (cmp_scheme(scheme, rg->type, e->version, *best, &c2) == 0 && c2 < 0))
			best = &e->version;
	}
	return best;
}

static int on_affected(void *ud, const struct bw_vulndb_affected *a, struct bw_error *err)
{
	struct pkg_ctx *c = ud;
	c->st->candidates++;
	int scheme = a->scheme;
	bool affected = false;
	const struct bw_slice *fixed = NULL;
	bool any_error = false;
	for (size_t i = 0; i < a->n_ranges; i++) {
		struct bw_osv_affected one = {
		    .scheme = scheme >= 0 ? (enum bw_version_scheme)scheme : BW_VERSION_SEMVER,
		    .ranges = &a->ranges[i],
		    .n_ranges = 1,
		};
		if (scheme < 0 && a->ranges[i].type == BW_OSV_RANGE_ECOSYSTEM)
			continue; /* no comparator for this ecosystem */
		bool in = false;
		struct bw_error verr = BW_ERROR_INIT;
		if (bw_osv_affected_match(&one, c->version, &in, &verr) < 0) {
			any_error = true;
			continue;
		}
		if (in) {
			affected = true;
			const struct bw_slice *f = range_fixed(scheme, &a->ranges[i], c->version);
			if (f && !fixed)
				fixed = f;
		}
	}
	if (!affected && a->n_versions) {
		struct bw_osv_affected lst = {
		    .scheme = scheme >= 0 ? (enum bw_version_scheme)scheme : BW_VERSION_SEMVER,
		    .versions = a->versions,
		    .n_versions = a->n_versions,
		};
		bool in = false;
		struct bw_error verr = BW_ERROR_INIT;
		if (bw_osv_affected_match(&lst, c->version, &in, &verr) < 0)
			any_error = true;
		affected = in;
	}
	if (any_error && !affected) {
		c->st->version_errors++;
		if (!c->version_warned) {
			c->version_warned = true;
			bw_report_warn(
			    c->r, "package %s %s: version not comparable with advisory %s of %s (skipped)",
			    c->pkg->name, c->pkg->version ? c->pkg->version : "?", a->id, a->ecosystem);
		}
	}
	if (!affected)
		return 0;
	if (c->n_hits == c->cap_hits) {
		c->cap_hits = c->cap_hits ? c->cap_hits * 2 : 8;
		c->hits = bw_realloc(c->hits, c->cap_hits * sizeof(*c->hits));
	}
	struct hit *h = &c->hits[c->n_hits++];
	memset(h, 0, sizeof(*h));
	h->advisory = a->advisory;
	h->id = bw_arena_strdup(&c->ar, a->id);
	h->summary = a->summary ? bw_arena_strdup(&c->ar, a->summary) : NULL;
	h->severity = a->severity;
	h->severity_source = a->severity_source ? bw_arena_strdup(&c->ar, a->severity_source) : NULL;
	h->score = a->score;
	h->cvss = a->cvss ? bw_arena_strdup(&c->ar, a->cvss) : NULL;
	h->scheme = scheme;
	h->fixed = fixed ? bw_arena_strndup(&c->ar, fixed->ptr, fixed->len) : NULL;
	h->note = a->note ? bw_arena_strdup(&c->ar, a->note) : NULL;
	h->ecosystem = bw_arena_strdup(&c->ar, a->ecosystem);
	h->origin = bw_arena_strdup(&c->ar, a->origin ? a->origin : "");
	h->group = (int)(c->n_hits - 1);
	(void)err;
	return 0;
}

struct alias_acc {
	struct pkg_ctx *c;
	struct hit *h;
	size_t cap_ids, cap_rel;
};

static void on_alias(void *ud, const char *alias, bool related)
{
	struct alias_acc *acc = ud;
	struct hit *h = acc->h;
	const char ***arr = related ? &h->related : &h->ids;
	size_t *n = related ? &h->n_related : &h->n_ids, *cap = related ? &acc->cap_rel : &acc->cap_ids;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		const char **na = bw_arena_alloc(&acc->c->ar, *cap * sizeof(char *));
		if (*n)
			memcpy(na, *arr, *n * sizeof(char *));
		*arr = na;
	}
	(*arr)[(*n)++] = bw_arena_strdup(&acc->c->ar, alias);
}

static bool hit_names(const struct hit *h, const char *s)
{
	if (strcmp(h->id, s) == 0)
		return true;
	for (size_t i = 0; i < h->n_ids; i++)
		if (strcmp(h->ids[i], s) == 0)
			return true;
	return false;
}

static bool hits_alias(const struct hit *a, const struct hit *b)
{
	if (hit_names(b, a->id))
		return true;
	for (size_t i = 0; i < a->n_ids; i++)
		if (hit_names(b, a->ids[i]))
			return true;
	return false;
}

static int find_group(struct hit *h, int i)
{
	while (h[i].group != i)
		i = h[i].group = h[h[i].group].group;
	return i;
}

/* ---- building findings ---- */

struct idset {
	const char **v;
	size_t n, cap;
};

static void idset_add(struct idset *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], id) == 0)
			return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = bw_realloc(s->v, s->cap * sizeof(char *));
	}
	s->v[s->n++] = id;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_cve(const char *s)
{
	return strncmp(s, "CVE-", 4) == 0;
}

#define MAX_RATINGS 8

struct rating_list {
	struct bw_cvss_rating r[MAX_RATINGS];
	int rank[MAX_RATINGS];
	char vector[MAX_RATINGS][BW_CVSS_MAX_VECTOR + 1], version[MAX_RATINGS][8],
	    nomenclature[MAX_RATINGS][9];
	size_t n;
};

static void add_ratings(struct rating_list *l, const struct hit *h)
{
	for (const char *p = h->cvss; p && *p && l->n < MAX_RATINGS;) {
		size_t len = strcspn(p, "\n");
		const char *line = p;
		p += len + (p[len] == '\n');
		if (len == 0 || len > BW_CVSS_MAX_VECTOR)
			continue;
		size_t k = l->n;
		memcpy(l->vector[k], line, len);
		l->vector[k][len] = '\0';
		bool dup = false;
		for (size_t i = 0; i < k && !dup; i++)
			dup = strcmp(l->vector[i], l->vector[k]) == 0;
		struct bw_cvss_score s;
		if (dup || bw_cvss_score(l->vector[k], &s, NULL) < 0)
			continue;
		snprintf(l->version[k], sizeof(l->version[k]), "%d.%d", s.major, s.minor);
		snprintf(l->nomenclature[k], sizeof(l->nomenclature[k]), "%s", s.nomenclature);
		l->r[k] = (struct bw_cvss_rating){
		    .version = l->version[k],
		    .vector = l->vector[k],
		    .score = s.score,
		    .severity = bw_cvss_severity(s.score, s.major),
		    .nomenclature = s.nomenclature[0] ? l->nomenclature[k] : NULL,
		    .source = h->id,
		};
		l->rank[k] = s.major * 10 + s.minor;
		l->n++;
	}
}

/* The finding's CVSS ratings: every vector its advisories state, once
 * (for the first advisory that states it), newest version first; within a
 * version, those of the advisory the severity came from first. */
static void finding_cvss(struct pkg_ctx *c, int g, const struct hit *best, struct bw_finding *f)
{
	struct rating_list *l = bw_calloc(1, sizeof(*l));
	add_ratings(l, best);
	for (size_t i = 0; i < c->n_hits; i++)
		if (&c->hits[i] != best && find_group(c->hits, (int)i) == g)
			add_ratings(l, &c->hits[i]);
	size_t order[MAX_RATINGS];
	for (size_t i = 0; i < l->n; i++) {
		size_t j = i;
		while (j > 0 && l->rank[order[j - 1]] < l->rank[i]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (size_t i = 0; i < l->n; i++)
		bw_finding_add_cvss(c->r, f, &l->r[order[i]]);
	free(l);
}

static int emit_group(struct pkg_ctx *c, int g, const struct bw_match_opts *opts, struct bw_error *err)
{
	struct hit *hits = c->hits;
	struct idset all = {0};
	const struct hit *first = NULL, *best_sev = NULL;
	const char *fixed = NULL;
	for (size_t i = 0; i < c->n_hits; i++) {
		if (find_group(hits, (int)i) != g)
			continue;
		struct hit *h = &hits[i];
		/* the distro's own advisory names the finding when it is there */
		if (!first || (strcmp(first->origin, "osv") == 0 && strcmp(h->origin, "osv") != 0))
			first = h;
		if (!best_sev || h->severity > best_sev->severity ||
		    (h->severity == best_sev->severity && h->score > best_sev->score))
			best_sev = h;
		idset_add(&all, h->id);
		for (size_t k = 0; k < h->n_ids; k++)
			idset_add(&all, h->ids[k]);
		for (size_t k = 0; k < h->n_related; k++)
			idset_add(&all, h->related[k]);
		if (!h->fixed)
			continue;
		int cmp = 0;
		if (!fixed || (bw_version_compare(
				   (enum bw_version_scheme)(h->scheme >= 0 ? h->scheme : BW_VERSION_SEMVER),
				   bw_slice_of(h->fixed), bw_slice_of(fixed), &cmp, NULL) == 0 &&
			       cmp > 0)) {
			fixed = h->fixed;
		}
	}
	if (!first) {
		free(all.v);
		return 0;
	}
	if (!fixed && opts && opts->ignore_unfixed) {
		c->st->unfixed_left_out++;
		free(all.v);
		return 0;
	}
	/* the finding's id: the CVE when the group names exactly one */
	const char *primary = first->id;
	const char *only_cve = NULL;
	size_t n_cve = 0;
	for (size_t i = 0; i < all.n; i++)
		if (is_cve(all.v[i])) {
			n_cve++;
			only_cve = all.v[i];
		}
	if (n_cve == 1) {
		/* only when the CVE is an alias (not merely a related id) of the group */
		bool alias = false;
		for (size_t i = 0; i < c->n_hits && !alias; i++)
			if (find_group(hits, (int)i) == g && hit_names(&hits[i], only_cve))
				alias = true;
		if (alias)
			primary = only_cve;
	}
	bool kev = false;
	double epss = -1;
	for (size_t i = 0; i < all.n; i++) {
		if (!is_cve(all.v[i]))
			continue;
		bool k;
		double e;
		if (bw_vulndb_enrichment(c->db, all.v[i], &k, &e, err) < 0) {
			free(all.v);
			return err->code;
		}
		kev = kev || k;
		if (e > epss)
			epss = e;
	}
	if (all.n)
		qsort(all.v, all.n, sizeof(char *), str_cmp);

	struct bw_report *r = c->r;
	const struct bw_package *p = c->pkg;
	struct bw_finding *f = bw_report_add_finding(r, BW_KIND_VULNERABILITY);
	f->id = bw_report_str(r, primary);
	f->severity = best_sev->severity;
	f->status = BW_STATUS_FAIL;
	f->title = bw_report_str(r, first->summary ? first->summary : primary);
	f->package.name = p->name;
	f->package.version = p->version;
	f->package.ecosystem = p->ecosystem;
	f->package.purl = p->purl;
	f->installed_version = p->version;
	f->fixed_version = fixed ? bw_report_str(r, fixed) : NULL;
	f->has_priority = true;
	f->kev = kev;
	f->epss = epss;
	f->location.layer = p->layer;
	f->location.path = p->path;
	const char *via = p->source_name && strcmp(p->source_name, p->name) != 0 ? p->source_name : NULL;
	f->evidence = bw_report_strf(
	    r, "%s %s%s%s%s in %s%s%s%s", p->name, p->version ? p->version : "?",
	    via ? " (source package " : "", via ? via : "", via ? ")" : "", first->ecosystem,
	    best_sev->severity_source ? "; severity from " : "",
	    best_sev->severity_source ? best_sev->severity_source : "",
	    first->note ? (strcmp(first->note, "end-of-life") == 0 ? "; release end-of-life" : "; no fix yet")
			: "");
	f->remediation = fixed ? bw_report_strf(r, "upgrade %s to %s or later", via ? via : p->name, fixed)
			       : bw_report_str(r, "no fixed version yet");
	for (size_t i = 0; i < all.n; i++)
		if (strcmp(all.v[i], primary) != 0)
			bw_finding_add_equivalent(r, f, all.v[i]);
	finding_cvss(c, g, best_sev, f);
	free(all.v);
	c->st->findings++;
	return 0;
}

static bool is_distro(const char *eco, bool *by_source)
{
	size_t l = strcspn(eco, ":");
	int d = distro_index(eco, l);
	*by_source = d >= 0 && distros[d].by_source;
	return d >= 0;
}

static char *pypi_normalize(const char *name)
{
	size_t n = strlen(name);
	char *out = bw_malloc(n + 1);
	bw_version_pep503_name(name, n, out);
	return out;
}

static int match_package(struct pkg_ctx *c, const struct bw_match_opts *opts, struct bw_error *err)
{
	const struct bw_package *p = c->pkg;
	const struct bw_report *r = c->r;
	if (!p->name || !p->version || !p->ecosystem)
		return 0;
	bool by_source = false;
	bool distro = is_distro(p->ecosystem, &by_source);
	const char *name = p->name;
	const char *version = p->version;
	if (distro && by_source && p->source_name && *p->source_name) {
		name = p->source_name;
		/* Debian/Ubuntu advisories give the source version (binNMUs add +bN to binaries) */
		if (strncmp(p->ecosystem, "Alpine", 6) != 0 && p->source_version && *p->source_version)
			version = p->source_version;
	}
	char *norm = strcmp(p->ecosystem, "PyPI") == 0 ? pypi_normalize(name) : NULL;
	char ecos[4][64];
	size_t ne = bw_match_ecosystems(p->ecosystem, r->os.id, r->os.version, ecos, 4);
	c->version = bw_slice_of(version);
	int rc = 0;
	for (size_t i = 0; i < ne && rc == 0; i++) {
		c->st->lookups++;
		rc = bw_vulndb_lookup(c->db, ecos[i], norm ? norm : name, on_affected, c, err);
	}
	free(norm);
	if (rc < 0)
		return rc;
	if (!c->n_hits)
		return 0;
	for (size_t i = 0; i < c->n_hits; i++) {
		struct alias_acc acc = {.c = c, .h = &c->hits[i]};
		if (bw_vulndb_aliases(c->db, c->hits[i].advisory, on_alias, &acc, err) < 0)
			return err->code;
	}
	/* merge advisories that name each other (or share an alias) */
	for (size_t i = 0; i < c->n_hits; i++)
		for (size_t j = i + 1; j < c->n_hits; j++)
			if (hits_alias(&c->hits[i], &c->hits[j])) {
				int a = find_group(c->hits, (int)i), b = find_group(c->hits, (int)j);
				if (a != b)
					c->hits[b > a ? b : a].group = b > a ? a : b;
			}
	for (size_t i = 0; i < c->n_hits && rc == 0; i++)
		if (find_group(c->hits, (int)i) == (int)i)
			rc = emit_group(c, (int)i, opts, err);
	return rc;
}

int bw_match_report(struct bw_vulndb *db, struct bw_report *r, const struct bw_match_opts *opts,
		    struct bw_match_stats *st, struct bw_error *err)
{
	struct bw_match_stats local;
	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	double t0 = bw_now();
	struct pkg_ctx c = {.db = db, .r = r, .st = st};
	int rc = 0;
	/* packages may be added to r while findings are: iterate by index over
	 * the count at the start (findings never add packages) */
	size_t n = r->n_packages;
	if (bw_vulndb_read_begin(db, err) < 0)
		return err->code;
	size_t undecodable = bw_vulndb_undecodable(db);
	for (size_t i = 0; i < n && rc == 0; i++) {
		bw_arena_init(&c.ar);
		c.n_hits = 0;
		c.version_warned = false;
		c.pkg = &r->packages[i];
		st->packages++;
		rc = match_package(&c, opts, err);
		bw_arena_release(&c.ar);
	}
	free(c.hits);
	bw_vulndb_read_end(db);
	st->undecodable = bw_vulndb_undecodable(db) - undecodable;
	if (st->undecodable)
		bw_report_warn(
		    r,
		    "vulnerability database %s: %zu advisory %s could not be decoded and %s skipped "
		    "(the file is damaged; import or update it again): vulnerabilities may be missing",
		    bw_vulndb_path(db), st->undecodable, st->undecodable == 1 ? "row" : "rows",
		    st->undecodable == 1 ? "was" : "were");
	if (rc == 0)
		bw_match_rank(r);
	st->seconds = bw_now() - t0;
	return rc;
}

/* ---- ranking ---- */

static int rank_cmp(const void *pa, const void *pb, void *ud)
{
	const struct bw_report *r = ud;
	const struct bw_finding *a = &r->findings[*(const size_t *)pa];
	const struct bw_finding *b = &r->findings[*(const size_t *)pb];
	if (a->kev != b->kev)
		return a->kev ? -1 : 1;
	if (a->epss != b->epss)
		return a->epss > b->epss ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	int c = strcmp(a->id ? a->id : "", b->id ? b->id : "");
	if (c)
		return c;
	return strcmp(a->package.name ? a->package.name : "", b->package.name ? b->package.name : "");
}

void bw_match_rank(struct bw_report *r)
{
	size_t n = 0;
	size_t *idx = bw_malloc((r->n_findings ? r->n_findings : 1) * sizeof(size_t));
	for (size_t i = 0; i < r->n_findings; i++)
		if (r->findings[i].kind == BW_KIND_VULNERABILITY && r->findings[i].has_priority)
			idx[n++] = i;
	if (n)
		qsort_r(idx, n, sizeof(size_t), rank_cmp, r);
	for (size_t i = 0; i < n; i++)
		r->findings[idx[i]].rank = (int)(i + 1);
	free(idx);
}
