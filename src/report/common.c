/* What the CI writers (compact, JUnit, GitLab, HTML, SARIF) share: the
 * image's layers, which findings they list, a finding's one-line message, its help page, its
 * fingerprint, and markup escaping. */
#include "report-int.h"

size_t bw_report_add_layer(struct bw_report *r)
{
	BW_ARENA_GROW(&r->arena, r->layers, r->n_layers + 1, r->n_layers, r->cap_layers);
	memset(&r->layers[r->n_layers], 0, sizeof(r->layers[0]));
	return r->n_layers++;
}

const struct bw_report_layer *bw_report_layer_of(const struct bw_report *r, const char *id)
{
	for (size_t i = 0; id && i < r->n_layers; i++)
		if ((r->layers[i].digest && !strcmp(r->layers[i].digest, id)) ||
		    (r->layers[i].diff_id && !strcmp(r->layers[i].diff_id, id)))
			return &r->layers[i];
	return NULL;
}

bool bw_report_finding_listed(const struct bw_finding *f, const struct bw_write_opts *opts)
{
	if (f->status == BW_STATUS_SUPPRESSED)
		return opts->show_suppressed && bw_report_finding_shown(f, opts);
	if (f->status != BW_STATUS_FAIL && f->status != BW_STATUS_WARN)
		return false;
	return bw_report_finding_shown(f, opts);
}

void bw_report_finding_message(const struct bw_finding *f, struct bw_buf *b)
{
	bw_buf_addstr(b, f->title ? f->title : (f->id ? f->id : "finding"));
	if (f->package.name)
		bw_buf_printf(b, " in %s %s", f->package.name,
			      f->installed_version ? f->installed_version
						   : (f->package.version ? f->package.version : ""));
	if (f->fixed_version)
		bw_buf_printf(b, " (fixed in %s)", f->fixed_version);
}

static bool has_prefix(const char *s, const char *p)
{
	return s && bw_strncasecmp(s, p, strlen(p)) == 0;
}

/* The finding's own page (the advisory record's URL) when it has one; else
 * a page known from the id's form alone: advisories, Hadolint and Trivy
 * rules. Only letters, digits and "-._" of an id go into a URL. */
const char *bw_report_help_uri(const struct bw_finding *f, char *buf, size_t len)
{
	const char *cands[1 + 16];
	size_t n = 0;
	if (f->url && *f->url)
		return f->url;
	cands[n++] = f->id;
	for (size_t i = 0; i < f->n_equivalent && n < BW_ARRAY_SIZE(cands); i++)
		cands[n++] = f->equivalent[i];
	for (size_t i = 0; i < n; i++) {
		const char *id = cands[i];
		if (!id || !*id || strlen(id) > 64)
			continue;
		bool safe = true;
		for (const char *p = id; *p && safe; p++)
			safe = bw_isalnum((unsigned char)*p) || *p == '-' || *p == '.' || *p == '_';
		if (!safe)
			continue;
		if (f->kind == BW_KIND_VULNERABILITY) {
			if (has_prefix(id, "CVE-"))
				snprintf(buf, len, "https://nvd.nist.gov/vuln/detail/%s", id);
			else if (has_prefix(id, "GHSA-"))
				snprintf(buf, len, "https://github.com/advisories/%s", id);
			else if (has_prefix(id, "DSA-") || has_prefix(id, "DLA-"))
				snprintf(buf, len, "https://security-tracker.debian.org/tracker/%s", id);
			else
				snprintf(buf, len, "https://osv.dev/vulnerability/%s", id);
			return buf;
		}
		if (has_prefix(id, "DL") && bw_isdigit((unsigned char)id[2])) {
			snprintf(buf, len, "https://github.com/hadolint/hadolint/wiki/%s", id);
			return buf;
		}
		if (has_prefix(id, "DS") && bw_isdigit((unsigned char)id[2])) {
			char low[16];
			size_t k = 0;
			for (const char *p = id; *p && k + 1 < sizeof(low); p++)
				low[k++] = (char)bw_tolower((unsigned char)*p);
			low[k] = 0;
			snprintf(buf, len, "https://avd.aquasec.com/misconfig/%s", low);
			return buf;
		}
	}
	return NULL;
}

void bw_report_fingerprint(const struct bw_finding *f, char out[65])
{
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	bw_buf_printf(&b, "%s\n%s\n%s\n%s\n%s\n%d", bw_kind_name(f->kind), f->id ? f->id : "",
		      f->package.name ? f->package.name : "",
		      f->package.ecosystem ? f->package.ecosystem : "",
		      f->location.path ? f->location.path : "",
		      f->kind == BW_KIND_VULNERABILITY ? 0 : f->location.line);
	if (f->location.container)
		bw_buf_printf(&b, "\n%s", f->location.container);
	char d[BW_DIGEST_STR_MAX];
	bw_sha256_str(b.data, b.len, d);
	bw_buf_release(&b);
	snprintf(out, 65, "%s", d + 7);
}

void bw_report_put_markup(FILE *out, const char *s)
{
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		switch (c) {
		case '&':
			fputs("&amp;", out);
			continue;
		case '<':
			fputs("&lt;", out);
			continue;
		case '>':
			fputs("&gt;", out);
			continue;
		case '"':
			fputs("&quot;", out);
			continue;
		case '\'':
			fputs("&#39;", out);
			continue;
		default:
			break;
		}
		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
			fprintf(out, "\\x%02X", c);
			continue;
		}
		/* C1 controls (U+0080-U+009F: C2 80-9F) and the non-characters
		 * U+FFFE, U+FFFF that XML refuses */
		if (c == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			fprintf(out, "\\xC2\\x%02X", p[1]);
			p++;
			continue;
		}
		if (c == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
			fprintf(out, "\\xEF\\xBF\\x%02X", p[2]);
			p += 2;
			continue;
		}
		fputc(c, out);
	}
}

/* SPDX licence ids (from the SPDX licence list, as CycloneDX's schema
 * enumerates them) that packages commonly declare: a declared licence that
 * is one of them is written as an id, any other as a name. */
static const char *const spdx_ids[] = {
    "0BSD",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.1",
    "Apache-2.0",
    "Artistic-1.0",
    "Artistic-1.0-Perl",
    "Artistic-2.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-2-Clause-Patent",
    "BSD-3-Clause",
    "BSD-4-Clause",
    "BSL-1.0",
    "Beerware",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.2",
    "FTL",
    "GFDL-1.2-only",
    "GFDL-1.2-or-later",
    "GFDL-1.3-only",
    "GFDL-1.3-or-later",
    "GPL-1.0-only",
    "GPL-1.0-or-later",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "GPL-2.0",
    "GPL-2.0+",
    "GPL-3.0",
    "GPL-3.0+",
    "HPND",
    "ICU",
    "ISC",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "LGPL-2.0",
    "LGPL-2.0+",
    "LGPL-2.1",
    "LGPL-2.1+",
    "LGPL-3.0",
    "LGPL-3.0+",
    "Libpng",
    "MIT",
    "MIT-0",
    "MPL-1.1",
    "MPL-2.0",
    "MPL-2.0-no-copyleft-exception",
    "MirOS",
    "NCSA",
    "OFL-1.1",
    "OpenSSL",
    "PHP-3.01",
    "PSF-2.0",
    "PostgreSQL",
    "Python-2.0",
    "Ruby",
    "Sleepycat",
    "Unicode-DFS-2016",
    "Unlicense",
    "Vim",
    "W3C",
    "WTFPL",
    "X11",
    "Zlib",
    "bzip2-1.0.6",
    "curl",
    "libpng-2.0",
    "zlib-acknowledgement",
};

const char *bw_report_spdx_id(const char *s)
{
	for (size_t i = 0; s && i < BW_ARRAY_SIZE(spdx_ids); i++)
		if (bw_strcasecmp(s, spdx_ids[i]) == 0)
			return spdx_ids[i];
	return NULL;
}

void bw_report_split_contact(const char *s, struct bw_slice *name, struct bw_slice *email)
{
	while (*s == ' ' || *s == '\t')
		s++;
	const char *lt = strchr(s, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	size_t nl = lt && gt ? (size_t)(lt - s) : strlen(s);
	while (nl && (s[nl - 1] == ' ' || s[nl - 1] == '\t'))
		nl--;
	*name = (struct bw_slice){s, nl};
	*email = lt && gt ? (struct bw_slice){lt + 1, (size_t)(gt - lt - 1)} : (struct bw_slice){"", 0};
}

bool bw_report_spdx_expression_like(const char *s)
{
	/* tokens: ids [A-Za-z0-9.+-]+ (LicenseRef-… included), AND/OR/WITH, parens */
	if (!s || !*s)
		return false;
	bool want_id = true;
	const char *p = s;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (*p == '(' || *p == ')') {
			p++;
			continue;
		}
		const char *b = p;
		while (*p && (bw_isalnum(*p) || *p == '.' || *p == '-' || *p == '+' || *p == ':'))
			p++;
		if (p == b)
			return false;
		size_t n = (size_t)(p - b);
		bool op = (n == 3 && memcmp(b, "AND", 3) == 0) || (n == 2 && memcmp(b, "OR", 2) == 0) ||
			  (n == 4 && memcmp(b, "WITH", 4) == 0);
		if (op == want_id)
			return false;
		/* lowercase "and"/"or" mean a prose licence string, not an expression */
		if ((n == 3 && strncmp(b, "and", 3) == 0) || (n == 2 && strncmp(b, "or", 2) == 0))
			return false;
		want_id = op;
	}
	return !want_id;
}
