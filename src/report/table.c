/* The human table writer: one block per kind, vulnerabilities first and
 * grouped by package; the package inventory after them with
 * --list-packages. Every string of the report came from an image, an
 * advisory or a file: shown through bw_report_put_text. */
#include <limits.h>

#include "report-int.h"

/* s (NULL: "-"), escaped, padded to width bytes. */
static void put(FILE *out, const char *s, size_t width)
{
	bw_report_put_text(out, s ? s : "-", SIZE_MAX, width);
}

static const char *sev_color(enum bw_severity s)
{
	switch (s) {
	case BW_SEV_CRITICAL:
		return "\033[1;31m";
	case BW_SEV_HIGH:
		return "\033[31m";
	case BW_SEV_MEDIUM:
		return "\033[33m";
	case BW_SEV_LOW:
		return "\033[36m";
	default:
		return "";
	}
}

/* The one form a layer takes in the table: the first 12 hex digits of its
 * id ("sha256:" left out), as docker shows image ids. */
static void put_layer(FILE *out, const char *id, size_t width)
{
	const char *h = id ? strchr(id, ':') : NULL;
	bw_report_put_text(out, h ? h + 1 : (id ? id : "-"), 12, width);
}

/* The display width of s: one column a UTF-8 character (the strings were
 * made printable by bw_report_escape). */
static size_t text_width(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static size_t at_least(size_t w, const char *s)
{
	size_t l = text_width(s);
	return l > w ? l : w;
}

/* " title" after a line's first used columns: whole when it fits the
 * terminal (opts->columns, 0: always), else cut at a character with "...";
 * on a terminal too narrow for 20 columns of it, on a line of its own
 * after indent spaces. reserve: the columns that follow the title. */
static void put_title(FILE *out, const char *s, size_t used, size_t reserve, size_t indent,
		      const struct bw_write_opts *opts)
{
	if (!s)
		return;
	size_t w = text_width(s);
	used++; /* the space before it */
	if (!opts->columns || used + w + reserve <= opts->columns) {
		fputc(' ', out);
		bw_report_put_text(out, s, SIZE_MAX, 0);
		return;
	}
	if (used + reserve + 20 > opts->columns && indent < used) {
		fprintf(out, "\n%*s", (int)indent, "");
		used = indent;
	} else {
		fputc(' ', out);
	}
	size_t room = opts->columns > used + reserve + 20 ? opts->columns - used - reserve : 20;
	if (w <= room) {
		bw_report_put_text(out, s, SIZE_MAX, 0);
		return;
	}
	size_t keep = room - 3, cols = 0;
	const char *p = s;
	while (*p && cols < keep) {
		p++;
		while (((unsigned char)*p & 0xc0) == 0x80)
			p++;
		cols++;
	}
	bw_report_put_text(out, s, (size_t)(p - s), 0);
	fputs("...", out);
}

/* Packages grouped by ecosystem (the producer sorts them by ecosystem). */
static void write_packages(const struct bw_report *r, FILE *out)
{
	fprintf(out, "\npackages: %zu\n", r->n_packages);
	for (size_t i = 0; i < r->n_packages;) {
		const char *eco = r->packages[i].ecosystem ? r->packages[i].ecosystem : "-";
		size_t j = i, wn = 4, wv = 7;
		while (j < r->n_packages &&
		       strcmp(r->packages[j].ecosystem ? r->packages[j].ecosystem : "-", eco) == 0) {
			const struct bw_package *p = &r->packages[j];
			size_t ln = p->name ? strlen(p->name) : 1, lv = p->version ? strlen(p->version) : 1;
			wn = ln > wn ? (ln > 48 ? 48 : ln) : wn;
			wv = lv > wv ? (lv > 40 ? 40 : lv) : wv;
			j++;
		}
		fputc('\n', out);
		put(out, eco, 0);
		fprintf(out, " (%zu)\n  %-*s  %-*s  %-12s  %s\n", j - i, (int)wn, "NAME", (int)wv, "VERSION",
			"LAYER", "PATH");
		for (; i < j; i++) {
			const struct bw_package *p = &r->packages[i];
			fputs("  ", out);
			put(out, p->name, wn);
			fputs("  ", out);
			put(out, p->version, wv);
			fputs("  ", out);
			put_layer(out, p->layer, 12);
			fputs("  ", out);
			put(out, p->path, 0);
			fputc('\n', out);
		}
	}
}

static int strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Vulnerabilities by package, then in patch order: ranked first (rank 1 is
 * the most urgent), then severity, then id. */
static int cmp_vuln(const void *pa, const void *pb)
{
	const struct bw_finding *a = *(const struct bw_finding *const *)pa;
	const struct bw_finding *b = *(const struct bw_finding *const *)pb;
	int c;
	if ((c = strcmp0(a->package.name, b->package.name)) ||
	    (c = strcmp0(a->installed_version, b->installed_version)) ||
	    (c = strcmp0(a->package.ecosystem, b->package.ecosystem)) ||
	    (c = strcmp0(a->package.purl, b->package.purl)))
		return c;
	int ra = a->rank > 0 ? a->rank : INT_MAX, rb = b->rank > 0 ? b->rank : INT_MAX;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	return strcmp0(a->id, b->id);
}

static bool same_package(const struct bw_finding *a, const struct bw_finding *b)
{
	return !strcmp0(a->package.name, b->package.name) &&
	       !strcmp0(a->installed_version, b->installed_version) &&
	       !strcmp0(a->package.ecosystem, b->package.ecosystem) &&
	       !strcmp0(a->package.purl, b->package.purl);
}

/* The vulnerability block: a header line per package (name, installed
 * version, ecosystem, count), then one line per vulnerability: severity
 * ("HIGH (KEV)" when a KEV listing raised it), id, fixed version or "no fix
 * yet", priority (rank, KEV, EPSS), the CVSS score of the newest version
 * stated ("9.3 v4.0"; JSON lists them all), where the severity comes from,
 * title; under it the aliases, the advisory's URL, the path. */
static void write_vulnerabilities(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
				  size_t *shown, size_t *hidden, size_t *counts)
{
	const struct bw_finding **v = bw_malloc((r->n_findings + 1) * sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct bw_finding *f = &r->findings[i];
		if (f->kind != BW_KIND_VULNERABILITY || !bw_report_finding_shown(f, opts))
			continue;
		if (f->status == BW_STATUS_SUPPRESSED && !opts->show_suppressed) {
			(*hidden)++;
			continue;
		}
		v[n++] = f;
	}
	qsort(v, n, sizeof(*v), cmp_vuln);
	size_t wid = 14, wfix = 10, wsrc = 6;
	for (size_t i = 0; i < n; i++) {
		size_t li = v[i]->id ? strlen(v[i]->id) : 1,
		       lf = v[i]->fixed_version ? strlen(v[i]->fixed_version) : 10,
		       ls = v[i]->severity_source ? strlen(v[i]->severity_source) : 1;
		wid = li > wid ? (li > 40 ? 40 : li) : wid;
		wfix = lf > wfix ? (lf > 40 ? 40 : lf) : wfix;
		wsrc = ls > wsrc ? (ls > 16 ? 16 : ls) : wsrc;
	}
	if (n)
		fprintf(out, "\n%s\n    %-10s %-*s %-*s %-22s %-9s %-*s %s\n",
			bw_kind_name(BW_KIND_VULNERABILITY), "SEVERITY", (int)wid, "ID", (int)wfix,
			"FIXED IN", "PRIORITY", "CVSS", (int)wsrc, "SOURCE", "TITLE");
	for (size_t i = 0; i < n;) {
		size_t j = i, open = 0;
		while (j < n && same_package(v[i], v[j])) {
			open += v[j]->status != BW_STATUS_SUPPRESSED;
			j++;
		}
		const struct bw_finding *h = v[i];
		const char *b = opts->color ? "\033[1m" : "", *e = opts->color ? "\033[0m" : "";
		fprintf(out, "\n  %s", b);
		put(out, h->package.name, 0);
		fputc(' ', out);
		put(out, h->installed_version ? h->installed_version : h->package.version, 0);
		fprintf(out, "%s (", e);
		put(out, h->package.ecosystem, 0);
		fprintf(out, "): %zu vulnerabilit%s", open, open == 1 ? "y" : "ies");
		if (open != j - i)
			fprintf(out, " (+%zu suppressed)", j - i - open);
		fputc('\n', out);
		/* the file that declared the package, once when its findings share it */
		bool one_path = h->location.path != NULL;
		for (size_t k = i + 1; k < j && one_path; k++)
			one_path = !strcmp0(v[k]->location.path, h->location.path);
		if (one_path) {
			fputs("    at: ", out);
			put(out, h->location.path, 0);
			fputc('\n', out);
		}
		for (; i < j; i++) {
			const struct bw_finding *f = v[i];
			const char *c = opts->color ? sev_color(f->severity) : "";
			char sev[24];
			snprintf(sev, sizeof(sev), "%s%s", bw_severity_name(f->severity),
				 f->severity_source && strcmp(f->severity_source, "kev") == 0 ? " (KEV)"
											      : "");
			fprintf(out, "    %s%-10s%s ", c, sev, opts->color && *c ? "\033[0m" : "");
			put(out, f->id, wid);
			fputc(' ', out);
			put(out, f->fixed_version ? f->fixed_version : "no fix yet", wfix);
			char prio[64] = "-";
			if (f->has_priority)
				snprintf(prio, sizeof(prio), "#%d%s", f->rank, f->kev ? " KEV" : "");
			if (f->has_priority && f->epss >= 0)
				snprintf(prio + strlen(prio), sizeof(prio) - strlen(prio), " EPSS %.3f",
					 f->epss);
			bool hot = opts->color && f->kev;
			fprintf(out, " %s%-22s%s", hot ? "\033[1;31m" : "", prio, hot ? "\033[0m" : "");
			char cvss[32] = "-";
			if (f->n_cvss && f->cvss[0].version)
				snprintf(cvss, sizeof(cvss), "%.1f v%s", f->cvss[0].score,
					 f->cvss[0].version);
			fputc(' ', out);
			put(out, cvss, 9);
			fputc(' ', out);
			const char *st = f->status != BW_STATUS_FAIL ? bw_status_name(f->status) : NULL;
			bw_report_put_text(out, f->severity_source ? f->severity_source : "-", 16,
					   f->title || st ? wsrc : 0);
			if (f->title) {
				size_t used =
				    4 + at_least(10, sev) + 1 + at_least(wid, f->id ? f->id : "-") + 1 +
				    at_least(wfix, f->fixed_version ? f->fixed_version : "no fix yet") + 1 +
				    at_least(22, prio) + 1 + at_least(9, cvss) + 1 + wsrc;
				put_title(out, f->title, used, st ? strlen(st) + 3 : 0, 13, opts);
			}
			if (st)
				fprintf(out, " [%s]", st);
			fputc('\n', out);
			if (f->n_equivalent) {
				fprintf(out, "             aliases:");
				for (size_t k = 0; k < f->n_equivalent; k++) {
					fputc(' ', out);
					put(out, f->equivalent[k], 0);
				}
				fputc('\n', out);
			}
			if (f->url) {
				fprintf(out, "             url: ");
				bw_report_put_text(out, f->url, SIZE_MAX, 0);
				fputc('\n', out);
			}
			if (f->location.path && !one_path) {
				fprintf(out, "             at: ");
				put(out, f->location.path, 0);
				fputc('\n', out);
			}
			if (f->suppressed_by) {
				fprintf(out, "             suppressed by: ");
				put(out, f->suppressed_by, 0);
				fputc('\n', out);
			}
			if (f->status == BW_STATUS_SUPPRESSED)
				continue;
			(*shown)++;
			counts[f->severity]++;
		}
	}
	free(v);
}

static void put_age(FILE *out, const char *date, long age, bool stale, bool more)
{
	bw_report_put_text(out, date ? date : "-", 10, 11);
	char a[32] = "-";
	if (age >= 0)
		snprintf(a, sizeof(a), "%ldd%s", age, stale ? " (old)" : "");
	fprintf(out, " %-*s", more ? 10 : 0, a);
}

/* What the vulnerability data covered: a line per ecosystem or release of
 * the packages. */
static void write_coverage(const struct bw_coverage *c, FILE *out)
{
	if (!c->present || (!c->n_entries && !c->error))
		return;
	fprintf(out, "\nvulnerability data (%s):\n", c->partial ? "PARTIAL coverage" : "coverage");
	size_t w = 9;
	for (size_t i = 0; i < c->n_entries; i++) {
		size_t l = strlen(c->entries[i].ecosystem);
		w = l > w ? (l > 40 ? 40 : l) : w;
	}
	fprintf(out, "  %-*s %8s %10s  %-11s AGE\n", (int)w, "ECOSYSTEM", "PACKAGES", "ADVISORIES",
		"DATA DATE");
	for (size_t i = 0; i < c->n_entries; i++) {
		const struct bw_coverage_entry *e = &c->entries[i];
		fputs("  ", out);
		bw_report_put_text(out, e->ecosystem, 40, w);
		fprintf(out, " %8zu %10lld  ", e->packages, (long long)e->advisories);
		put_age(out, e->data_date, e->age_days, e->stale, e->reason != NULL);
		if (e->reason) {
			fputs(" NOT CHECKED: ", out);
			bw_report_put_text(out, e->reason, SIZE_MAX, 0);
		}
		fputc('\n', out);
	}
	if (c->partial)
		fprintf(out, "  %zu package%s not checked for vulnerabilities\n", c->unchecked,
			c->unchecked == 1 ? "" : "s");
}

int bw_report_write_table(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
			  struct bw_error *err)
{
	put(out, r->target.name, 0);
	fputs(" (", out);
	put(out, r->target.type, 0);
	fputc(')', out);
	if (r->os.id) {
		fputs("  os: ", out);
		put(out, r->os.id, 0);
		fputc(' ', out);
		bw_report_put_text(out, r->os.version, SIZE_MAX, 0);
	}
	fputc('\n', out);

	size_t shown = 0, hidden = 0;
	size_t counts[BW_SEV_CRITICAL + 1] = {0};
	for (int k = 0; k < BW_KIND__COUNT; k++) {
		if (k == BW_KIND_VULNERABILITY) {
			write_vulnerabilities(r, out, opts, &shown, &hidden, counts);
			continue;
		}
		bool header = false;
		for (size_t i = 0; i < r->n_findings; i++) {
			const struct bw_finding *f = &r->findings[i];
			if ((int)f->kind != k || !bw_report_finding_shown(f, opts))
				continue;
			if (f->status == BW_STATUS_SUPPRESSED && !opts->show_suppressed) {
				hidden++;
				continue;
			}
			if (!header) {
				fprintf(out, "\n%s\n", bw_kind_name(k));
				header = true;
			}
			const char *c = opts->color ? sev_color(f->severity) : "";
			fprintf(out, "  %s%-8s%s ", c, bw_severity_name(f->severity),
				opts->color && *c ? "\033[0m" : "");
			put(out, f->id, 14);
			const char *st = f->status != BW_STATUS_FAIL ? bw_status_name(f->status) : NULL;
			put_title(out, f->title,
				  2 + at_least(8, bw_severity_name(f->severity)) + 1 +
				      at_least(14, f->id ? f->id : "-"),
				  st ? strlen(st) + 3 : 0, 6, opts);
			if (st)
				fprintf(out, " [%s]", st);
			fputc('\n', out);
			if (f->package.name) {
				fprintf(out, "      package: ");
				put(out, f->package.name, 0);
				fputc(' ', out);
				bw_report_put_text(out, f->installed_version, SIZE_MAX, 0);
				if (f->fixed_version) {
					fputs(" -> fixed in ", out);
					put(out, f->fixed_version, 0);
				}
				fputc('\n', out);
			}
			if (f->location.path) {
				fprintf(out, "      at: ");
				put(out, f->location.path, 0);
				if (f->location.line)
					fprintf(out, ":%d", f->location.line);
				if (f->location.column)
					fprintf(out, ":%d", f->location.column);
				if (f->location.in_final_image == 0) {
					fputs(" (deleted, still in layer ", out);
					put_layer(out, f->location.layer, 0);
					fputc(')', out);
				}
				fputc('\n', out);
			}
			for (size_t o = 0; o < f->n_other_locations; o++) {
				const struct bw_location *ol = &f->other_locations[o];
				if (!ol->path)
					continue;
				fprintf(out, "      also at: ");
				put(out, ol->path, 0);
				if (ol->line)
					fprintf(out, ":%d", ol->line);
				if (ol->column)
					fprintf(out, ":%d", ol->column);
				fputc('\n', out);
			}
			if (f->n_equivalent) {
				fprintf(out, "      equivalent:");
				for (size_t e = 0; e < f->n_equivalent; e++) {
					fputc(' ', out);
					put(out, f->equivalent[e], 0);
				}
				fputc('\n', out);
			}
			if (f->has_priority) {
				fprintf(out, "      priority: #%d%s", f->rank,
					f->kev ? ", KEV-listed (known exploited)" : "");
				if (f->epss >= 0)
					fprintf(out, ", EPSS %.3f", f->epss);
				fputc('\n', out);
			}
			if (f->evidence) {
				fprintf(out, "      evidence: ");
				put(out, f->evidence, 0);
				fputc('\n', out);
			}
			if (f->remediation) {
				fprintf(out, "      fix: ");
				put(out, f->remediation, 0);
				fputc('\n', out);
			}
			if (f->suppressed_by) {
				fprintf(out, "      suppressed by: ");
				put(out, f->suppressed_by, 0);
				fputc('\n', out);
			}
			if (f->status == BW_STATUS_SUPPRESSED)
				continue;
			shown++;
			counts[f->severity]++;
		}
	}
	/* the inventory after the findings, and only when asked for */
	if (r->list_packages)
		write_packages(r, out);
	/* what the vulnerability data covered, before the totals: the totals
	 * line stays the table's last but for the warnings */
	write_coverage(&r->coverage, out);
	fprintf(out, "\n%zu finding%s", shown, shown == 1 ? "" : "s");
	if (shown) {
		fputs(" (", out);
		bool first = true;
		for (int s = BW_SEV_CRITICAL; s >= 0; s--) {
			if (!counts[s])
				continue;
			fprintf(out, "%s%s: %zu", first ? "" : ", ", bw_severity_name(s), counts[s]);
			first = false;
		}
		fputc(')', out);
	}
	if (hidden)
		fprintf(out, ", %zu suppressed (--show-suppressed lists them)", hidden);
	fputc('\n', out);
	for (size_t i = 0; i < r->n_warnings; i++) {
		fprintf(out, "warning: ");
		put(out, r->warnings[i], 0);
		fputc('\n', out);
	}
	if (ferror(out))
		return bw_error_sys(err, BW_EIO, "writing the report failed");
	return 0;
}
