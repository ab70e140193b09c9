/* The report model: construction, names of enums, sorting. */
#include "report-int.h"

static const char *const sev_names[] = {"UNKNOWN", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
static const char *const kind_names[] = {"vulnerability", "secret",  "misconfiguration",
					 "audit",	  "runtime", "supply-chain"};
static const char *const status_names[] = {"fail", "warn", "pass", "info", "manual", "suppressed"};
static const char *const format_names[] = {"table",   "json",  "sarif",	 "cyclonedx",
					   "spdx",    "junit", "gitlab", "gitlab-codequality",
					   "compact", "html"};

/* Algorithm names: the report's, CycloneDX 1.6's hash-alg and SPDX 2.3's
 * ChecksumAlgorithm (NULL: not a digest of the package's file). */
static const struct {
	const char *name, *cyclonedx, *spdx;
	size_t size;
} hash_algs[BW_HASH__COUNT] = {
    [BW_HASH_SHA1] = {"sha1", "SHA-1", "SHA1", 20},
    [BW_HASH_SHA256] = {"sha256", "SHA-256", "SHA256", 32},
    [BW_HASH_SHA384] = {"sha384", "SHA-384", "SHA384", 48},
    [BW_HASH_SHA512] = {"sha512", "SHA-512", "SHA512", 64},
    [BW_HASH_GO_H1] = {"go-h1", NULL, NULL, 32},
    [BW_HASH_APK_Q1] = {"apk-q1", NULL, NULL, 20},
};

const char *bw_hash_alg_name(enum bw_hash_alg a)
{
	return (unsigned)a < BW_HASH__COUNT ? hash_algs[a].name : "?";
}

size_t bw_hash_alg_size(enum bw_hash_alg a)
{
	return (unsigned)a < BW_HASH__COUNT ? hash_algs[a].size : 0;
}

bool bw_hash_alg_of_file(enum bw_hash_alg a)
{
	return (unsigned)a < BW_HASH__COUNT && hash_algs[a].cyclonedx;
}

const char *bw_report_hash_cyclonedx(enum bw_hash_alg a)
{
	return (unsigned)a < BW_HASH__COUNT ? hash_algs[a].cyclonedx : NULL;
}

const char *bw_report_hash_spdx(enum bw_hash_alg a)
{
	return (unsigned)a < BW_HASH__COUNT ? hash_algs[a].spdx : NULL;
}

bool bw_hash_hex_valid(enum bw_hash_alg a, const char *hex, size_t n)
{
	size_t size = bw_hash_alg_size(a);
	if (!hex || !size || n != 2 * size)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(bw_isdigit(hex[i]) || (hex[i] >= 'a' && hex[i] <= 'f')))
			return false;
	return true;
}

bool bw_report_hash_native(const struct bw_hash *h, char *out, size_t outlen)
{
	const char *prefix = h->alg == BW_HASH_GO_H1 ? "h1:" : h->alg == BW_HASH_APK_Q1 ? "Q1" : NULL;
	size_t size = bw_hash_alg_size(h->alg);
	if (!prefix || !h->hex || !bw_hash_hex_valid(h->alg, h->hex, strlen(h->hex)) ||
	    outlen < strlen(prefix) + 4 * ((size + 2) / 3) + 1)
		return false;
	unsigned char d[64];
	for (size_t i = 0; i < size; i++)
		d[i] = (unsigned char)(bw_hexval(h->hex[2 * i]) << 4 | bw_hexval(h->hex[2 * i + 1]));
	size_t pl = strlen(prefix);
	memcpy(out, prefix, pl);
	bw_base64_encode(d, size, out + pl);
	return true;
}

const char *bw_severity_name(enum bw_severity s)
{
	return (unsigned)s < BW_ARRAY_SIZE(sev_names) ? sev_names[s] : "UNKNOWN";
}

int bw_severity_parse(const char *s)
{
	for (size_t i = 0; i < BW_ARRAY_SIZE(sev_names); i++)
		if (bw_strcasecmp(s, sev_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *bw_kind_name(enum bw_kind k)
{
	return (unsigned)k < BW_ARRAY_SIZE(kind_names) ? kind_names[k] : "unknown";
}

const char *bw_status_name(enum bw_status s)
{
	return (unsigned)s < BW_ARRAY_SIZE(status_names) ? status_names[s] : "fail";
}

int bw_format_parse(const char *s)
{
	for (size_t i = 0; i < BW_ARRAY_SIZE(format_names); i++)
		if (strcmp(s, format_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *bw_format_name(enum bw_format f)
{
	return (unsigned)f < BW_ARRAY_SIZE(format_names) ? format_names[f] : "?";
}

struct bw_report *bw_report_new(const char *target_type, const char *target_name)
{
	struct bw_report *r = bw_calloc(1, sizeof(*r));
	bw_arena_init(&r->arena);
	r->target.type = bw_report_str(r, target_type);
	r->target.name = bw_report_str(r, target_name);
	return r;
}

void bw_report_free(struct bw_report *r)
{
	if (!r)
		return;
	free(r->packages);
	free(r->findings);
	free(r->warnings);
	bw_arena_release(&r->arena);
	free(r);
}

const char *bw_report_str(struct bw_report *r, const char *s)
{
	return s ? bw_arena_strdup(&r->arena, s) : NULL;
}

const char *bw_report_strf(struct bw_report *r, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		BW_BUG("vasprintf failed");
	va_end(ap);
	const char *out = bw_report_str(r, s);
	free(s);
	return out;
}

struct bw_finding *bw_report_add_finding(struct bw_report *r, enum bw_kind kind)
{
	BW_ALLOC_GROW(r->findings, r->n_findings + 1, r->cap_findings);
	struct bw_finding *f = &r->findings[r->n_findings++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->epss = -1;
	f->location.in_final_image = -1;
	return f;
}

size_t bw_report_add_package(struct bw_report *r)
{
	BW_ALLOC_GROW(r->packages, r->n_packages + 1, r->cap_packages);
	memset(&r->packages[r->n_packages], 0, sizeof(r->packages[0]));
	return r->n_packages++;
}

void bw_finding_add_location(struct bw_report *r, struct bw_finding *f, const struct bw_location *l)
{
	struct bw_location *arr = bw_arena_alloc(&r->arena, (f->n_other_locations + 1) * sizeof(*arr));
	if (f->n_other_locations)
		memcpy(arr, f->other_locations, f->n_other_locations * sizeof(*arr));
	struct bw_location *c = &arr[f->n_other_locations++];
	*c = *l;
	c->layer = bw_report_str(r, l->layer);
	c->path = bw_report_str(r, l->path);
	c->container = bw_report_str(r, l->container);
	f->other_locations = arr;
}

void bw_finding_add_equivalent(struct bw_report *r, struct bw_finding *f, const char *id)
{
	const char **arr = bw_arena_alloc(&r->arena, (f->n_equivalent + 1) * sizeof(*arr));
	if (f->n_equivalent)
		memcpy(arr, f->equivalent, f->n_equivalent * sizeof(*arr));
	arr[f->n_equivalent++] = bw_report_str(r, id);
	f->equivalent = arr;
}

void bw_finding_add_cvss(struct bw_report *r, struct bw_finding *f, const struct bw_cvss_rating *c)
{
	struct bw_cvss_rating *arr = bw_arena_alloc(&r->arena, (f->n_cvss + 1) * sizeof(*arr));
	if (f->n_cvss)
		memcpy(arr, f->cvss, f->n_cvss * sizeof(*arr));
	struct bw_cvss_rating *n = &arr[f->n_cvss++];
	*n = *c;
	n->version = bw_report_str(r, c->version);
	n->vector = bw_report_str(r, c->vector);
	n->nomenclature = bw_report_str(r, c->nomenclature);
	n->source = bw_report_str(r, c->source);
	f->cvss = arr;
}

void bw_finding_set_severity_ratings(struct bw_report *r, struct bw_finding *f,
				     const struct bw_severity_rating *s, size_t n)
{
	struct bw_severity_rating *arr = n ? bw_arena_alloc(&r->arena, n * sizeof(*arr)) : NULL;
	if (n)
		memcpy(arr, s, n * sizeof(*arr));
	f->severity_by_source = arr;
	f->n_severity_by_source = n;
}

void bw_finding_add_reference(struct bw_report *r, struct bw_finding *f, const char *url)
{
	const char **arr = bw_arena_alloc(&r->arena, (f->n_references + 1) * sizeof(*arr));
	if (f->n_references)
		memcpy(arr, f->references, f->n_references * sizeof(*arr));
	arr[f->n_references++] = bw_report_str(r, url);
	f->references = arr;
}

void bw_finding_set_references(struct bw_report *r, struct bw_finding *f, const char *const *urls, size_t n)
{
	const char **arr = n ? bw_arena_alloc(&r->arena, n * sizeof(*arr)) : NULL;
	for (size_t i = 0; i < n; i++)
		arr[i] = bw_report_str(r, urls[i]);
	f->references = arr;
	f->n_references = n;
}

struct bw_coverage_entry *bw_coverage_add_entry(struct bw_report *r, const char *ecosystem)
{
	struct bw_coverage *c = &r->coverage;
	struct bw_coverage_entry *arr = bw_arena_alloc(&r->arena, (c->n_entries + 1) * sizeof(*arr));
	if (c->n_entries)
		memcpy(arr, c->entries, c->n_entries * sizeof(*arr));
	c->entries = arr;
	struct bw_coverage_entry *e = &arr[c->n_entries++];
	e->ecosystem = bw_report_str(r, ecosystem);
	e->age_days = -1;
	return e;
}

void bw_coverage_add_source(struct bw_report *r, struct bw_coverage_entry *e,
			    const struct bw_coverage_source *s)
{
	struct bw_coverage_source **arr = e ? &e->sources : &r->coverage.enrichment;
	size_t *n = e ? &e->n_sources : &r->coverage.n_enrichment;
	struct bw_coverage_source *na = bw_arena_alloc(&r->arena, (*n + 1) * sizeof(*na));
	if (*n)
		memcpy(na, *arr, *n * sizeof(*na));
	na[*n] = *s;
	na[*n].name = bw_report_str(r, s->name);
	na[*n].data_date = bw_report_str(r, s->data_date);
	*arr = na;
	(*n)++;
}

void bw_report_warn(struct bw_report *r, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		BW_BUG("vasprintf failed");
	va_end(ap);
	BW_ALLOC_GROW(r->warnings, r->n_warnings + 1, r->cap_warnings);
	r->warnings[r->n_warnings++] = bw_report_str(r, s);
	free(s);
}

static int strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct bw_finding *a = pa, *b = pb;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	int c = strcmp0(a->id, b->id);
	if (c)
		return c;
	if ((c = strcmp0(a->location.path, b->location.path)))
		return c;
	return a->location.line - b->location.line;
}

void bw_report_sort(struct bw_report *r)
{
	if (r->n_findings > 1)
		qsort(r->findings, r->n_findings, sizeof(*r->findings), cmp_finding);
}

size_t bw_report_count_at_least(const struct bw_report *r, enum bw_severity min)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct bw_finding *f = &r->findings[i];
		/* only what asks for action: pass, info, manual and suppressed never count */
		if (f->status != BW_STATUS_FAIL && f->status != BW_STATUS_WARN)
			continue;
		if (f->severity >= min)
			n++;
	}
	return n;
}
