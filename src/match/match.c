/* Package → advisory matching, alias merging, enrichment and ranking. */
#include <math.h>

#include "match.h"

/* ---- ecosystems ---- */

static const struct {
	const char *eco;
	enum { V_MAJOR, V_ALPINE, V_UBUNTU, V_NONE, V_FULL } form;
	bool by_source;	   /* advisories name the source package */
	const char *names; /* what --distro accepts: os-release ids and other names, space-separated */
} distros[] = {
    {"Debian", V_MAJOR, true, "debian"},
    {"Ubuntu", V_UBUNTU, true, "ubuntu"},
    {"Alpine", V_ALPINE, true, "alpine"},
    {"AlmaLinux", V_MAJOR, false, "almalinux alma"},
    {"Rocky Linux", V_MAJOR, false, "rocky rockylinux"},
    {"Red Hat", V_MAJOR, false, "rhel redhat"},
    {"CentOS", V_MAJOR, false, "centos"},
    {"Oracle Linux", V_MAJOR, false, "ol oracle oraclelinux"},
    {"Amazon Linux", V_MAJOR, false, "amzn amazon amazonlinux"},
    {"Fedora", V_MAJOR, false, "fedora"},
    {"openSUSE", V_FULL, false, "opensuse opensuse-leap"},
    {"SUSE", V_FULL, false, "sles suse"},
    {"Mariner", V_FULL, false, "mariner cbl-mariner"},
    {"Azure Linux", V_FULL, false, "azurelinux"},
    {"Photon OS", V_FULL, false, "photon"},
    {"Mageia", V_FULL, false, "mageia"},
    {"Wolfi", V_NONE, false, "wolfi"},
    {"Chainguard", V_NONE, false, "chainguard"},
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

int bw_match_parse_distro(const char *s, struct bw_match_distro *out, struct bw_error *err)
{
	memset(out, 0, sizeof(*out));
	const char *colon = strchr(s, ':');
	size_t nl = colon ? (size_t)(colon - s) : strlen(s);
	const char *ver = colon ? colon + 1 : "";
	int d = -1;
	for (size_t i = 0; i < BW_ARRAY_SIZE(distros) && d < 0 && nl && nl < 32; i++)
		for (const char *p = distros[i].names; *p;) {
			size_t l = strcspn(p, " ");
			if (l == nl && bw_strncasecmp(p, s, nl) == 0)
				d = (int)i;
			p += l + (p[l] == ' ');
		}
	if (d < 0)
		return bw_error_set(
		    err, BW_EUSAGE,
		    "--distro takes NAME:VERSION with NAME one of debian, ubuntu, alpine, "
		    "almalinux, rocky, rhel, centos, ol, amzn, fedora, opensuse, sles, mariner, "
		    "azurelinux, photon, mageia, wolfi, chainguard; not '%.64s'",
		    s);
	if (distros[d].form == V_ALPINE && (*ver == 'v' || *ver == 'V'))
		ver++;
	size_t vl = strlen(ver);
	bool ok = vl < sizeof(out->version) && (vl > 0 || distros[d].form == V_NONE);
	for (size_t i = 0; ok && i < vl; i++)
		ok = bw_isalnum(ver[i]) || ver[i] == '.' || ver[i] == '_' || ver[i] == '-';
	if (ok && vl && distros[d].form != V_NONE && !bw_isdigit(ver[0]))
		ok = false;
	if (!ok)
		return bw_error_set(err, BW_EUSAGE,
				    "--distro %.*s needs a release version (as in %.*s:%s), not '%.64s'",
				    (int)nl, s, (int)nl, s,
				    distros[d].form == V_ALPINE	  ? "3.20"
				    : distros[d].form == V_UBUNTU ? "22.04"
				    : distros[d].form == V_FULL	  ? "15.5"
								  : "12",
				    ver);
	snprintf(out->ecosystem, sizeof(out->ecosystem), "%s", distros[d].eco);
	snprintf(out->version, sizeof(out->version), "%s", ver);
	snprintf(out->name, sizeof(out->name), "%.*s", (int)nl, s);
	for (char *p = out->name; *p; p++)
		*p = (char)bw_tolower(*p);
	return 0;
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

struct rating_list;

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
	/* a finding's scratch, reused from one to the next */
	struct rating_list *ratings;
	struct bw_buf refs;
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
	BW_ALLOC_GROW(c->hits, c->n_hits + 1, c->cap_hits);
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
	BW_ARENA_GROW(&acc->c->ar, *arr, *n + 1, *n, *cap);
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
	BW_ALLOC_GROW(s->v, s->n + 1, s->cap);
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

#define MAX_RATINGS 16
#define MAX_FINDING_REFS 32

/* The CVSS vectors a finding's severity may come from: its advisories'
 * and the CVE records' (tier 1), NVD's own (tier 4). */
struct rating_list {
	struct bw_cvss_rating r[MAX_RATINGS];
	int rank[MAX_RATINGS], tier[MAX_RATINGS];
	char vector[MAX_RATINGS][BW_CVSS_MAX_VECTOR + 1], version[MAX_RATINGS][8],
	    nomenclature[MAX_RATINGS][9], source[MAX_RATINGS][40];
	size_t n;
};

static void add_ratings(struct rating_list *l, const char *lines, const char *source, int tier)
{
	for (const char *p = lines; p && *p && l->n < MAX_RATINGS;) {
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
			dup = strcmp(l->vector[i], l->vector[k]) == 0 && l->tier[i] == tier;
		struct bw_cvss_score s;
		if (dup || bw_cvss_score(l->vector[k], &s, NULL) < 0)
			continue;
		l->version[k][0] = (char)('0' + s.major % 10);
		l->version[k][1] = '.';
		l->version[k][2] = (char)('0' + s.minor % 10);
		l->version[k][3] = '\0';
		memcpy(l->nomenclature[k], s.nomenclature, sizeof(l->nomenclature[k]));
		size_t sl = strnlen(source, sizeof(l->source[k]) - 1);
		memcpy(l->source[k], source, sl);
		l->source[k][sl] = '\0';
		l->r[k] = (struct bw_cvss_rating){
		    .version = l->version[k],
		    .vector = l->vector[k],
		    .score = s.score,
		    .severity = bw_cvss_severity(s.score, s.major),
		    .nomenclature = s.nomenclature[0] ? l->nomenclature[k] : NULL,
		    .source = l->source[k],
		};
		l->rank[k] = s.major * 10 + s.minor;
		l->tier[k] = tier;
		l->n++;
	}
}

/* The best rating of a tier: the newest CVSS version, then the highest
 * score (the worst case the newest assessment allows); -1 when none. */
static int best_rating(const struct rating_list *l, int tier)
{
	int best = -1;
	for (size_t i = 0; i < l->n; i++) {
		if (l->tier[i] != tier)
			continue;
		if (best < 0 || l->rank[i] > l->rank[best] ||
		    (l->rank[i] == l->rank[best] && l->r[i].score > l->r[best].score))
			best = (int)i;
	}
	return best;
}

static const char *cvss_source_name(int rank)
{
	switch (rank) {
	case 40:
		return "cvss_v4";
	case 31:
		return "cvss_v3.1";
	case 30:
		return "cvss_v3.0";
	default:
		return "cvss_v2";
	}
}

/* The finding's CVSS ratings: every vector, once, newest version first;
 * within a version, those of the advisory the severity came from first,
 * NVD's own last. */
static void finding_cvss(struct bw_report *r, const struct rating_list *l, const char *lead,
			 struct bw_finding *f)
{
	size_t order[MAX_RATINGS];
	for (size_t i = 0; i < l->n; i++) {
		size_t j = i;
		int ki = l->rank[i] * 16 - l->tier[i] * 2 + (lead && strcmp(l->source[i], lead) == 0);
		while (j > 0) {
			size_t o = order[j - 1];
			int ko = l->rank[o] * 16 - l->tier[o] * 2 + (lead && strcmp(l->source[o], lead) == 0);
			if (ko >= ki)
				break;
			order[j] = o;
			j--;
		}
		order[j] = i;
	}
	for (size_t i = 0; i < l->n; i++)
		bw_finding_add_cvss(r, f, &l->r[order[i]]);
}

/* Every source's rating of the finding, for severity_by_source. */
struct sev_by {
	struct bw_severity_rating v[24];
	size_t n;
};

static void sev_by_add(struct sev_by *b, const char *source, enum bw_severity sev)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->v[i].source, source) == 0) {
			if (sev > b->v[i].severity)
				b->v[i].severity = sev;
			return;
		}
	if (b->n < BW_ARRAY_SIZE(b->v))
		b->v[b->n++] = (struct bw_severity_rating){.source = source, .severity = sev};
}

/* The names of a severity's sources and the tier of each: findings point
 * at these strings. */
static const struct {
	const char *name;
	int tier;
} source_names[] = {
    {"cvss_v4", 1},
    {"cvss_v3.1", 1},
    {"cvss_v3.0", 1},
    {"cvss_v2", 1},
    {"cvss_v3", 1}, /* a database older than schema 3 */
    {"ghsa", 2},
    {"database", 2},
    {"debian_urgency", 3},
    {"ubuntu_priority", 3},
    {"redhat", 3},
    {"nvd", 4},
    {"kev", 5},
};

/* The static name equal to s, or NULL; its tier in *tier. */
static const char *source_name(const char *s, int *tier)
{
	for (size_t i = 0; s && i < BW_ARRAY_SIZE(source_names); i++)
		if (strcmp(s, source_names[i].name) == 0) {
			if (tier)
				*tier = source_names[i].tier;
			return source_names[i].name;
		}
	return NULL;
}

/* What the CVE records and NVD say of the finding's CVEs. */
struct cve_acc {
	struct rating_list *l;
	struct bw_buf *refs; /* NULL: references not wanted */
	size_t *n_refs;
};

static void add_refs(struct bw_buf *b, size_t *n, const char *lines)
{
	for (const char *p = lines; p && *p && *n < MAX_FINDING_REFS;) {
		size_t len = strcspn(p, "\n");
		bool dup = false;
		for (const char *q = b->data; !dup && q && q < b->data + b->len;) {
			size_t ql = strcspn(q, "\n");
			dup = ql == len && memcmp(q, p, len) == 0;
			q += ql + 1;
		}
		if (len && !dup && bw_buf_printf(b, "%.*s\n", (int)len, p) == 0)
			(*n)++;
		p += len + (p[len] == '\n');
	}
}

static void on_refs(void *ud, const char *urls)
{
	struct cve_acc *acc = ud;
	add_refs(acc->refs, acc->n_refs, urls);
}

static void on_cve(void *ud, const struct bw_vulndb_cve *c)
{
	struct cve_acc *acc = ud;
	add_ratings(acc->l, c->cvss, c->cve, 1);
	add_ratings(acc->l, c->nvd_cvss, "NVD", 4);
	if (acc->refs)
		add_refs(acc->refs, acc->n_refs, c->refs);
}

/* The advisory page a person opens first: the distribution's tracker for a
 * distribution's finding, GitHub's for a GHSA, NVD's for a CVE, OSV's
 * otherwise. */
static const char *primary_url(struct bw_report *r, const char *id, const char *ecosystem, const char *origin)
{
	char esc[3 * 128 + 1];
	size_t o = 0;
	for (const char *p = id; *p && o + 4 < sizeof(esc); p++) {
		unsigned char ch = (unsigned char)*p;
		if (bw_isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == ':' || ch == '~')
			esc[o++] = (char)ch;
		else
			o += (size_t)snprintf(esc + o, sizeof(esc) - o, "%%%02X", ch);
	}
	esc[o] = '\0';
	size_t bl = strcspn(ecosystem ? ecosystem : "", ":");
	bool cve = strncmp(id, "CVE-", 4) == 0;
	const char *base = NULL;
	if (bl == 6 && strncmp(ecosystem, "Debian", 6) == 0)
		base = "https://security-tracker.debian.org/tracker/";
	else if (bl == 6 && strncmp(ecosystem, "Ubuntu", 6) == 0)
		base = strncmp(id, "USN-", 4) == 0 ? "https://ubuntu.com/security/notices/"
						   : "https://ubuntu.com/security/";
	else if (bl == 6 && strncmp(ecosystem, "Alpine", 6) == 0 && cve)
		base = "https://security.alpinelinux.org/vuln/";
	else if (strncmp(id, "GHSA-", 5) == 0)
		base = "https://github.com/advisories/";
	else if (cve)
		base = "https://nvd.nist.gov/vuln/detail/";
	else if (origin && strcmp(origin, "osv") == 0)
		base = "https://osv.dev/vulnerability/";
	if (!base)
		return NULL;
	char url[64 + sizeof(esc)];
	snprintf(url, sizeof(url), "%s%s", base, esc);
	return bw_report_str(r, url);
}

static int emit_group(struct pkg_ctx *c, int g, const struct bw_match_opts *opts, struct bw_error *err)
{
	struct hit *hits = c->hits;
	struct idset all = {0};
	const struct hit *first = NULL;
	const char *fixed = NULL;
	for (size_t i = 0; i < c->n_hits; i++) {
		if (find_group(hits, (int)i) != g)
			continue;
		struct hit *h = &hits[i];
		/* the distro's own advisory names the finding when it is there */
		if (!first || (strcmp(first->origin, "osv") == 0 && strcmp(h->origin, "osv") != 0))
			first = h;
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
	struct rating_list *l = c->ratings;
	l->n = 0;
	struct bw_buf refs = c->refs;
	bw_buf_reset(&refs);
	size_t n_refs = 0;
	/* the advisories' vectors and references, the naming one's first */
	bool want_refs = opts && opts->references, has_cves = bw_vulndb_has_cve_data(c->db);
	struct cve_acc acc = {l, want_refs ? &refs : NULL, &n_refs};
	add_ratings(l, first->cvss, first->id, 1);
	int rc = want_refs ? bw_vulndb_advisory_refs(c->db, first->advisory, on_refs, &acc, err) : 0;
	for (size_t i = 0; i < c->n_hits && rc == 0; i++)
		if (&hits[i] != first && find_group(hits, (int)i) == g) {
			add_ratings(l, hits[i].cvss, hits[i].id, 1);
			if (want_refs)
				rc = bw_vulndb_advisory_refs(c->db, hits[i].advisory, on_refs, &acc, err);
		}
	for (size_t i = 0; i < all.n && rc == 0; i++) {
		if (!is_cve(all.v[i]))
			continue;
		bool k;
		double e;
		rc = bw_vulndb_enrichment(c->db, all.v[i], &k, &e, err);
		kev = kev || k;
		if (e > epss)
			epss = e;
		/* the CVE's own data speaks for the advisories that alias it, not
		 * for those that merely relate to it */
		bool alias = false;
		for (size_t j = 0; rc == 0 && has_cves && j < c->n_hits && !alias; j++)
			alias = find_group(hits, (int)j) == g && hit_names(&hits[j], all.v[i]);
		if (rc == 0 && alias)
			rc = bw_vulndb_cve(c->db, all.v[i], on_cve, &acc, err);
	}
	if (rc < 0) {
		free(all.v);
		c->refs = refs;
		return rc;
	}
	if (all.n)
		qsort(all.v, all.n, sizeof(char *), str_cmp);

	/* the severity, from the first source that has one: the CVSS vectors
	 * of the advisories and CVE records (newest version), a database's
	 * word (GHSA), the distribution's word, NVD's own vectors */
	struct sev_by by = {0};
	enum bw_severity sev = BW_SEV_UNKNOWN;
	const char *sev_source = NULL, *lead = NULL;
	for (size_t i = 0; i < l->n; i++)
		sev_by_add(&by, l->tier[i] == 4 ? "nvd" : cvss_source_name(l->rank[i]), l->r[i].severity);
	/* the advisories' own words (static names: unknown ones are ignored) */
	for (size_t i = 0; i < c->n_hits; i++) {
		const char *name = source_name(hits[i].severity_source, NULL);
		if (find_group(hits, (int)i) == g && name && hits[i].severity != BW_SEV_UNKNOWN)
			sev_by_add(&by, name, hits[i].severity);
	}
	int b1 = best_rating(l, 1);
	if (b1 >= 0) {
		sev = l->r[b1].severity;
		sev_source = cvss_source_name(l->rank[b1]);
		lead = l->source[b1];
	}
	/* then the words, by tier; tier 1 here: a database older than schema 3
	 * that rated the advisory by its best vector and kept no vectors */
	for (int tier = 1; tier <= 3 && !sev_source; tier++)
		for (size_t i = 0; i < by.n; i++) {
			int t = 0;
			source_name(by.v[i].source, &t);
			if (t == tier && (!sev_source || by.v[i].severity > sev)) {
				sev = by.v[i].severity;
				sev_source = by.v[i].source;
			}
		}
	int b4 = sev_source ? -1 : best_rating(l, 4);
	if (b4 >= 0) {
		sev = l->r[b4].severity;
		sev_source = "nvd";
	}
	/* a known exploited vulnerability is at least HIGH, whatever its rating */
	if (kev && sev < BW_SEV_HIGH) {
		sev = BW_SEV_HIGH;
		sev_source = "kev";
		sev_by_add(&by, "kev", BW_SEV_HIGH);
	}

	struct bw_report *r = c->r;
	const struct bw_package *p = c->pkg;
	struct bw_finding *f = bw_report_add_finding(r, BW_KIND_VULNERABILITY);
	f->id = bw_report_str(r, primary);
	f->severity = sev;
	f->severity_source = sev_source; /* a static name */
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
	    sev_source ? "; severity from " : "", sev_source ? sev_source : "",
	    first->note ? (strcmp(first->note, "end-of-life") == 0 ? "; release end-of-life" : "; no fix yet")
			: "");
	f->remediation = fixed ? bw_report_strf(r, "upgrade %s to %s or later", via ? via : p->name, fixed)
			       : bw_report_str(r, "no fixed version yet");
	for (size_t i = 0; i < all.n; i++)
		if (strcmp(all.v[i], primary) != 0)
			bw_finding_add_equivalent(r, f, all.v[i]);
	finding_cvss(r, l, lead, f);
	/* the sources' ratings in the order of precedence */
	struct bw_severity_rating ordered[BW_ARRAY_SIZE(by.v)];
	size_t no = 0;
	for (int tier = 1; tier <= 5; tier++)
		for (size_t i = 0; i < by.n; i++) {
			int t = 5;
			source_name(by.v[i].source, &t);
			if (t == tier)
				ordered[no++] = by.v[i];
		}
	bw_finding_set_severity_ratings(r, f, ordered, no);
	f->url = primary_url(r, primary, first->ecosystem, first->origin);
	const char *urls[MAX_FINDING_REFS];
	size_t nu = 0;
	for (char *q = refs.data; q && q < refs.data + refs.len && nu < MAX_FINDING_REFS;) {
		char *e = strchr(q, '\n');
		if (e)
			*e = '\0';
		if (*q && (!f->url || strcmp(q, f->url) != 0))
			urls[nu++] = q;
		q += strlen(q) + 1;
	}
	bw_finding_set_references(r, f, urls, nu);
	free(all.v);
	c->refs = refs;
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

/* The ecosystems a package is looked up in (*eco: its ecosystem, or the
 * one --distro names for an OS package), and whether advisories name its
 * source package. */
static size_t lookup_ecosystems(const struct bw_package *p, const struct bw_report *r,
				const struct bw_match_opts *opts, char ecos[][64], size_t max,
				const char **eco, bool *distro, bool *by_source)
{
	*eco = p->ecosystem;
	*distro = is_distro(p->ecosystem, by_source);
	const char *os_id = r->os.id, *os_version = r->os.version;
	if (*distro && opts && opts->distro && !strchr(p->ecosystem, ':')) {
		*eco = opts->distro->ecosystem;
		is_distro(*eco, by_source);
		os_id = opts->distro->name;
		os_version = opts->distro->version;
	}
	return bw_match_ecosystems(*eco, os_id, os_version, ecos, max);
}

/* A Go binary's main module is the program itself, at its own build's
 * version ("(devel)", a commit's pseudo-version, an -ldflags version):
 * never looked up, as Grype does not. */
static bool unmatched(const struct bw_package *p)
{
	return !p->name || !p->version || !p->ecosystem ||
	       (p->application && strcmp(p->ecosystem, "Go") == 0);
}

static int match_package(struct pkg_ctx *c, const struct bw_match_opts *opts, struct bw_error *err)
{
	const struct bw_package *p = c->pkg;
	const struct bw_report *r = c->r;
	if (unmatched(p))
		return 0;
	bool by_source = false, distro = false;
	const char *eco;
	char ecos[4][64];
	size_t ne = lookup_ecosystems(p, r, opts, ecos, 4, &eco, &distro, &by_source);
	const char *name = p->name;
	const char *version = p->version;
	if (distro && by_source && p->source_name && *p->source_name) {
		name = p->source_name;
		/* Debian/Ubuntu advisories give the source version (binNMUs add +bN to binaries) */
		if (strncmp(eco, "Alpine", 6) != 0 && p->source_version && *p->source_version)
			version = p->source_version;
	}
	char *norm = strcmp(p->ecosystem, "PyPI") == 0 ? pypi_normalize(name) : NULL;
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
	struct pkg_ctx c = {.db = db, .r = r, .st = st, .ratings = bw_calloc(1, sizeof(struct rating_list))};
	bw_buf_init(&c.refs, MAX_FINDING_REFS * 1024);
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
	free(c.ratings);
	bw_buf_release(&c.refs);
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

/* ---- coverage ---- */

struct cov_key {
	char name[64];
	char ecos[4][64];
	size_t n_ecos, packages;
};

struct cov_acc {
	struct bw_coverage_source src[32];
	size_t n;
};

static void on_coverage(void *ud, const char *source, int64_t advisories)
{
	struct cov_acc *acc = ud;
	for (size_t i = 0; i < acc->n; i++)
		if (strcmp(acc->src[i].name, source) == 0) {
			acc->src[i].advisories += advisories;
			return;
		}
	if (acc->n < BW_ARRAY_SIZE(acc->src))
		acc->src[acc->n++] = (struct bw_coverage_source){
		    .name = bw_strdup(source), .advisories = advisories, .age_days = -1};
}

int bw_match_coverage(struct bw_vulndb *db, struct bw_report *r, const struct bw_match_opts *opts,
		      struct bw_error *err)
{
	struct cov_key *keys = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < r->n_packages; i++) {
		const struct bw_package *p = &r->packages[i];
		if (unmatched(p))
			continue;
		struct cov_key k = {0};
		const char *eco;
		bool distro, by_source;
		k.n_ecos = lookup_ecosystems(p, r, opts, k.ecos, 4, &eco, &distro, &by_source);
		/* "Ubuntu:22.04:LTS" and "Ubuntu:22.04" are one release; a
		 * distribution of unknown release is its name alone */
		snprintf(k.name, sizeof(k.name), "%s", k.n_ecos ? k.ecos[0] : eco);
		size_t nl = strlen(k.name);
		if (nl > 4 && strcmp(k.name + nl - 4, ":LTS") == 0)
			k.name[nl - 4] = '\0';
		size_t j = 0;
		while (j < n && strcmp(keys[j].name, k.name) != 0)
			j++;
		if (j == n) {
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				keys = bw_realloc(keys, cap * sizeof(*keys));
			}
			keys[n++] = k;
		}
		keys[j].packages++;
	}
	struct bw_vulndb_source *srcs = NULL;
	size_t n_srcs = 0;
	int rc = db ? bw_vulndb_sources(db, &srcs, &n_srcs, err) : 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct cov_acc acc = {.n = 0};
		for (size_t k = 0; k < keys[i].n_ecos && rc == 0 && db; k++)
			rc = bw_vulndb_coverage(db, keys[i].ecos[k], on_coverage, &acc, err);
		struct bw_coverage_entry *e = bw_coverage_add_entry(r, keys[i].name);
		e->packages = keys[i].packages;
		for (size_t k = 0; k < acc.n; k++) {
			for (size_t m = 0; m < n_srcs; m++)
				if (strcmp(srcs[m].name, acc.src[k].name) == 0)
					acc.src[k].data_date = srcs[m].data_date;
			e->advisories += acc.src[k].advisories;
			if (acc.src[k].data_date &&
			    (!e->data_date || strcmp(acc.src[k].data_date, e->data_date) > 0))
				e->data_date = acc.src[k].data_date;
			bw_coverage_add_source(r, e, &acc.src[k]);
			free((char *)acc.src[k].name);
		}
		e->data_date = bw_report_str(r, e->data_date);
		if (!db)
			e->reason = bw_report_str(r, "no vulnerability database");
		else if (!keys[i].n_ecos)
			e->reason = bw_report_strf(r, "the %s release is not known (--distro names it)",
						   keys[i].name);
		else if (!e->advisories)
			e->reason =
			    bw_report_strf(r, "the database holds no advisories for %s", keys[i].name);
	}
	/* the sources that enrich every finding */
	for (size_t m = 0; m < n_srcs && rc == 0; m++) {
		const char *nm = srcs[m].name;
		if (strcmp(nm, "kev") && strcmp(nm, "epss") && strcmp(nm, "nvd") && strcmp(nm, "cvelist"))
			continue;
		struct bw_coverage_source s = {
		    .name = nm, .advisories = -1, .data_date = srcs[m].data_date, .age_days = -1};
		bw_coverage_add_source(r, NULL, &s);
	}
	bw_vulndb_sources_free(srcs, n_srcs);
	free(keys);
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
