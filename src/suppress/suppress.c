/* The suppression handle and its application to a report. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <time.h>

#include "suppress-int.h"

struct bw_suppress *bw_suppress_new(void)
{
	struct bw_suppress *s = bw_calloc(1, sizeof(*s));
	bw_arena_init(&s->arena);
	s->today = (long)(time(NULL) / 86400);
	return s;
}

void bw_suppress_free(struct bw_suppress *s)
{
	if (!s)
		return;
	free(s->entries);
	bw_arena_release(&s->arena);
	free(s);
}

void bw_suppress_set_today(struct bw_suppress *s, long days)
{
	s->today = days;
}

struct bw_suppress_entry *bw_suppress_entry_add(struct bw_suppress *s)
{
	BW_ALLOC_GROW(s->entries, s->n_entries + 1, s->cap_entries);
	struct bw_suppress_entry *e = &s->entries[s->n_entries++];
	memset(e, 0, sizeof(*e));
	e->expires = -1;
	e->kind = -1;
	return e;
}

int bw_suppress_load(struct bw_suppress *s, const char *path, const char *what, bool missing_ok,
		     int (*add)(struct bw_suppress *, const char *, const char *, size_t, struct bw_error *),
		     struct bw_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (missing_ok && errno == ENOENT)
			return 0;
		return bw_error_sys(err, BW_EIO, "cannot read %s %s", what, path);
	}
	struct bw_buf b;
	bw_buf_init(&b, BW_SUPPRESS_MAX_FILE);
	int rc = bw_buf_read_fd(&b, fd, path, err);
	close(fd);
	if (!rc)
		rc = add(s, path, b.data ? b.data : "", b.len, err);
	bw_buf_release(&b);
	return rc;
}

void bw_suppress_truncate(struct bw_suppress *s, size_t n)
{
	if (n < s->n_entries)
		s->n_entries = n;
}

/* Howard Hinnant's days_from_civil. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

long bw_suppress_parse_date(const char *s, size_t len)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	long v[3] = {0, 0, 0};
	const int start[3] = {0, 5, 8}, n[3] = {4, 2, 2};
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < n[k]; i++) {
			char c = s[start[k] + i];
			if (c < '0' || c > '9')
				return -1;
			v[k] = v[k] * 10 + (c - '0');
		}
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (v[0] < 1970 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > mdays[v[1] - 1])
		return -1;
	bool leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
	if (v[1] == 2 && v[2] == 29 && !leap)
		return -1;
	return days_from_civil(v[0], (unsigned)v[1], (unsigned)v[2]);
}

/* Trivy names one check three ways: "DS002", "DS-0002" and the AVD form
 * "AVD-DS-0002" (KSV, KCV, ... likewise). Canonical: prefix letters upper
 * case, then the number without leading zeros ("DS#2"); false when id is
 * not of the form [AVD-]LETTERS[-]DIGITS. */
static bool trivy_canonical(const char *id, char *out, size_t len)
{
	if (bw_strncasecmp(id, "AVD-", 4) == 0)
		id += 4;
	size_t nl = 0;
	while (bw_isalpha((unsigned char)id[nl]))
		nl++;
	const char *d = id + nl;
	if (*d == '-')
		d++;
	if (!nl || nl > 8 || !bw_isdigit((unsigned char)*d))
		return false;
	for (const char *p = d; *p; p++)
		if (!bw_isdigit((unsigned char)*p))
			return false;
	while (*d == '0' && d[1])
		d++;
	if (strlen(d) > 12)
		return false;
	size_t k = 0;
	for (size_t i = 0; i < nl; i++)
		out[k++] = (char)bw_toupper((unsigned char)id[i]);
	out[k++] = '#';
	snprintf(out + k, len - k, "%s", d);
	return true;
}

static bool one_id_matches(const char *have, const char *want, const char *want_canon)
{
	if (!have)
		return false;
	if (bw_strcasecmp(have, want) == 0)
		return true;
	char c[32];
	return want_canon && trivy_canonical(have, c, sizeof(c)) && strcmp(c, want_canon) == 0;
}

static bool id_matches(const struct bw_finding *f, const char *id)
{
	char canon[32];
	const char *wc = trivy_canonical(id, canon, sizeof(canon)) ? canon : NULL;
	if (one_id_matches(f->id, id, wc))
		return true;
	for (size_t i = 0; i < f->n_equivalent; i++)
		if (one_id_matches(f->equivalent[i], id, wc))
			return true;
	return false;
}

static const char *skip_root(const char *p)
{
	while (*p == '/' || (p[0] == '.' && p[1] == '/'))
		p += *p == '/' ? 1 : 2;
	return p;
}

static bool path_matches(const char *glob, const char *path)
{
	if (!path)
		return false;
	return fnmatch(skip_root(glob), skip_root(path), FNM_LEADING_DIR) == 0;
}

static bool scope_matches(const char *scope, const struct bw_finding *f)
{
	if (strncmp(scope, "pkg:", 4) == 0)
		return f->package.purl && bw_suppress_purl_match(scope, f->package.purl);
	if (strncmp(scope, "path:", 5) == 0)
		return path_matches(scope + 5, f->location.path);
	if (strpbrk(scope, "/*?["))
		return path_matches(scope, f->location.path);
	if (f->package.name && strcmp(scope, f->package.name) == 0)
		return true;
	/* a plain word: also a file name, anywhere */
	return f->location.path && strcmp(scope, bw_path_base(f->location.path)) == 0;
}

static bool ignore_matches(const struct bw_suppress_entry *e, const struct bw_finding *f)
{
	if (e->kind >= 0 && (int)f->kind != e->kind)
		return false;
	if (!id_matches(f, e->id))
		return false;
	if (!e->n_scopes)
		return true;
	for (size_t i = 0; i < e->n_scopes; i++)
		if (scope_matches(e->scopes[i], f))
			return true;
	return false;
}

static bool vex_matches(const struct bw_suppress_entry *e, const struct bw_finding *f)
{
	if (f->kind != BW_KIND_VULNERABILITY)
		return false;
	bool id = id_matches(f, e->id);
	for (size_t i = 0; !id && i < e->n_aliases; i++)
		id = id_matches(f, e->aliases[i]);
	if (!id)
		return false;
	if (e->all_packages)
		return true;
	for (size_t i = 0; i < e->n_scopes; i++)
		if (f->package.purl && bw_suppress_purl_match(e->scopes[i], f->package.purl))
			return true;
	return false;
}

static void date_str(long days, char out[16])
{
	time_t t = (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

size_t bw_suppress_apply(const struct bw_suppress *s, struct bw_report *r)
{
	for (size_t k = 0; k < s->n_entries; k++) {
		const struct bw_suppress_entry *e = &s->entries[k];
		if (!e->vex && e->expires >= 0 && s->today >= e->expires) {
			char d[16];
			date_str(e->expires, d);
			bw_report_warn(
			    r, "%s:%ld: the ignore entry for %s expired on %s and no longer suppresses",
			    e->file, e->line, e->id, d);
		}
	}
	size_t n = 0;
	for (size_t i = 0; i < r->n_findings; i++) {
		struct bw_finding *f = &r->findings[i];
		if (f->status == BW_STATUS_SUPPRESSED || f->status == BW_STATUS_PASS)
			continue;
		const struct bw_suppress_entry *hit = NULL, *vex = NULL;
		for (size_t k = 0; k < s->n_entries; k++) {
			const struct bw_suppress_entry *e = &s->entries[k];
			if (e->vex) {
				/* the last statement about a vulnerability and package wins */
				if (vex_matches(e, f))
					vex = e;
			} else if (!hit && (e->expires < 0 || s->today < e->expires) &&
				   ignore_matches(e, f)) {
				hit = e;
			}
		}
		if (!hit && vex && vex->suppresses)
			hit = vex;
		if (hit) {
			f->status = BW_STATUS_SUPPRESSED;
			f->suppressed_by = bw_report_str(r, hit->reason);
			n++;
		}
	}
	return n;
}
