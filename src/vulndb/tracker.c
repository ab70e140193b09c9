/* The Debian security tracker's advisory lists (data/DSA/list, data/DLA/list).
 *
 * One advisory is a header line and indented lines under it:
 *
 *   [29 Mar 2023] DSA-5380-1 xorg-server - security update
 *   	{CVE-2023-1393}
 *   	[bullseye] - xorg-server 2:1.20.11-1+deb11u6
 *   	[buster] - xorg-server <not-affected> (Vulnerable code not present)
 *   	NOTE: fixed in testing at time of DSA
 *
 * The header holds the date, the advisory id, the source package and an
 * optional " - description" (old entries have none). "{…}" lists the CVEs
 * the advisory fixes (space separated). "[release] - source version" gives
 * the fixed version per release, or one of <not-affected>, <unfixed>,
 * <end-of-life>, optionally followed by "(notes)"; old entries may carry a
 * severity word in the notes ("(medium)"). Indentation is a tab or spaces.
 *
 * Each advisory becomes one record: id DSA-…/DLA-…, the CVEs as aliases,
 * one affected entry per release in ecosystem "Debian:<version>" on the
 * source package (introduced 0, fixed at the given version). <not-affected>
 * adds nothing; <unfixed> and <end-of-life> affect every version with no
 * fix (the note says which).
 */
#include "vulndb-int.h"

#define MAX_LINE 65536

static const char *const releases[][2] = {
    {"woody", "3.0"},	{"sarge", "3.1"}, {"etch", "4"},    {"lenny", "5"},   {"squeeze", "6"},
    {"wheezy", "7"},	{"jessie", "8"},  {"stretch", "9"}, {"buster", "10"}, {"bullseye", "11"},
    {"bookworm", "12"}, {"trixie", "13"}, {"forky", "14"},
};

static const char *release_version(struct bw_slice name)
{
	for (size_t i = 0; i < BW_ARRAY_SIZE(releases); i++)
		if (bw_slice_eq(name, releases[i][0]))
			return releases[i][1];
	return NULL;
}

static struct bw_slice trim(struct bw_slice s)
{
	while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t'))
		s.ptr++, s.len--;
	while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t' || s.ptr[s.len - 1] == '\r'))
		s.len--;
	return s;
}

/* Split off the next space-separated token of *s. */
static struct bw_slice token(struct bw_slice *s)
{
	*s = trim(*s);
	size_t n = 0;
	while (n < s->len && s->ptr[n] != ' ' && s->ptr[n] != '\t')
		n++;
	struct bw_slice t = {s->ptr, n};
	s->ptr += n;
	s->len -= n;
	return t;
}

static bool parse_date(struct bw_slice d, char out[11])
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	/* "29 Mar 2023" */
	if (d.len != 11 || d.ptr[2] != ' ' || d.ptr[6] != ' ')
		return false;
	int m = -1;
	for (int i = 0; i < 12; i++)
		if (memcmp(d.ptr + 3, months[i], 3) == 0)
			m = i + 1;
	for (int i = 0; i < 11; i++)
		if ((i < 2 || i > 6) && (d.ptr[i] < '0' || d.ptr[i] > '9'))
			return false;
	if (m < 0)
		return false;
	memcpy(out, d.ptr + 7, 4);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	memcpy(out + 8, d.ptr, 2);
	out[10] = '\0';
	return true;
}

struct tracker_state {
	struct vdb_advisory a;
	bool open;
	vdb_advisory_fn fn;
	void *ud;
	const char *name;
	size_t count;
	struct bw_vulndb_import_stats *st;
};

static int flush(struct tracker_state *t, struct bw_error *err)
{
	if (!t->open)
		return 0;
	t->open = false;
	t->count++;
	t->st->records++;
	int rc = t->fn ? t->fn(t->ud, &t->a, err) : 0;
	vdb_advisory_release(&t->a);
	return rc;
}

static void skip(struct tracker_state *t, size_t lineno, const char *why)
{
	t->st->skipped++;
	vdb_sample(t->st, "%s:%zu: %s", t->name, lineno, why);
}

static void header(struct tracker_state *t, struct bw_slice line, size_t lineno)
{
	/* "[DD Mon YYYY] ID package[ - description]" */
	const char *close = memchr(line.ptr, ']', line.len);
	char date[11];
	if (!close || !parse_date((struct bw_slice){line.ptr + 1, (size_t)(close - line.ptr - 1)}, date)) {
		skip(t, lineno, "advisory header without a date");
		return;
	}
	struct bw_slice rest = {close + 1, line.len - (size_t)(close + 1 - line.ptr)};
	struct bw_slice id = token(&rest), pkg = token(&rest);
	if (id.len < 5 || id.len > 64 || pkg.len == 0 || pkg.len > 256 || !vdb_version_ok(id.ptr, id.len) ||
	    !vdb_version_ok(pkg.ptr, pkg.len) || !memchr(id.ptr, '-', id.len)) {
		skip(t, lineno, "advisory header without an id and a package");
		return;
	}
	rest = trim(rest);
	if (rest.len >= 2 && rest.ptr[0] == '-' && rest.ptr[1] == ' ')
		rest = trim((struct bw_slice){rest.ptr + 2, rest.len - 2});
	vdb_advisory_init(&t->a);
	t->open = true;
	struct bw_arena *ar = &t->a.arena;
	t->a.id = bw_arena_strndup(ar, id.ptr, id.len);
	size_t pl = (size_t)((const char *)memchr(id.ptr, '-', id.len) - id.ptr);
	char *src = bw_arena_alloc(ar, 16 + pl);
	snprintf(src, 16 + pl, "debian-tracker:%.*s", (int)pl, id.ptr);
	t->a.source = t->a.origin = src;
	t->a.modified = t->a.published = bw_arena_strdup(ar, date);
	char *sum = bw_arena_alloc(ar, pkg.len + rest.len + 4);
	if (rest.len && vdb_version_ok(rest.ptr, rest.len > 256 ? 256 : rest.len))
		snprintf(sum, pkg.len + rest.len + 4, "%.*s: %.*s", (int)pkg.len, pkg.ptr, (int)rest.len,
			 rest.ptr);
	else
		snprintf(sum, pkg.len + 1, "%.*s", (int)pkg.len, pkg.ptr);
	t->a.summary = sum;
}

static void cves(struct tracker_state *t, struct bw_slice s)
{
	const char *close = memchr(s.ptr, '}', s.len);
	struct bw_slice in = {s.ptr + 1, close ? (size_t)(close - s.ptr - 1) : s.len - 1};
	for (;;) {
		struct bw_slice c = token(&in);
		if (!c.len)
			break;
		if (c.len <= 64 && vdb_version_ok(c.ptr, c.len)) {
			char buf[65];
			snprintf(buf, sizeof(buf), "%.*s", (int)c.len, c.ptr);
			vdb_advisory_alias(&t->a, buf, false);
		}
	}
}

static void fixed_line(struct tracker_state *t, struct bw_slice s, size_t lineno)
{
	/* "[release] - package version-or-<marker> (notes)" */
	const char *close = memchr(s.ptr, ']', s.len);
	if (!close) {
		t->st->affected_skipped++;
		vdb_sample(t->st, "%s:%zu: release line without ']'", t->name, lineno);
		return;
	}
	struct bw_slice rel = {s.ptr + 1, (size_t)(close - s.ptr - 1)};
	struct bw_slice rest = {close + 1, s.len - (size_t)(close + 1 - s.ptr)};
	struct bw_slice dash = token(&rest), pkg = token(&rest), ver = token(&rest);
	struct bw_slice notes = trim(rest);
	const char *relver = release_version(rel);
	if (!bw_slice_eq(dash, "-") || !pkg.len || pkg.len > 256 || !ver.len ||
	    !vdb_version_ok(pkg.ptr, pkg.len) || !vdb_version_ok(ver.ptr, ver.len)) {
		t->st->affected_skipped++;
		vdb_sample(t->st, "%s:%zu: malformed release line", t->name, lineno);
		return;
	}
	if (!relver) {
		t->st->affected_skipped++;
		vdb_sample(t->st, "%s:%zu: unknown release '%.*s'", t->name, lineno,
			   (int)(rel.len > 32 ? 32 : rel.len), rel.ptr);
		return;
	}
	if (bw_slice_eq(ver, "<not-affected>"))
		return;
	struct bw_arena *ar = &t->a.arena;
	const char *note = NULL;
	char *enc;
	if (ver.ptr[0] == '<') {
		if (!bw_slice_eq(ver, "<unfixed>") && !bw_slice_eq(ver, "<end-of-life>")) {
			t->st->affected_skipped++;
			vdb_sample(t->st, "%s:%zu: unknown marker %.*s", t->name, lineno,
				   (int)(ver.len > 32 ? 32 : ver.len), ver.ptr);
			return;
		}
		note = bw_arena_strndup(ar, ver.ptr + 1, ver.len - 2);
		enc = bw_arena_strdup(ar, "RE\ni0\n");
	} else {
		struct bw_error verr = BW_ERROR_INIT;
		if (bw_version_validate(BW_VERSION_DEB, ver, &verr) < 0) {
			t->st->affected_skipped++;
			vdb_sample(t->st, "%s:%zu: %s", t->name, lineno, verr.msg);
			return;
		}
		enc = bw_arena_alloc(ar, ver.len + 16);
		snprintf(enc, ver.len + 16, "RE\ni0\nf%.*s\n", (int)ver.len, ver.ptr);
	}
	/* "(medium)" and the like in old entries: the advisory's severity */
	if (notes.len > 2 && notes.ptr[0] == '(') {
		const char *cl = memchr(notes.ptr, ')', notes.len);
		int w = cl ? vdb_severity_word(notes.ptr + 1, (size_t)(cl - notes.ptr - 1)) : -1;
		if (w > t->a.severity) {
			t->a.severity = w;
			t->a.severity_source = "debian_urgency";
		}
	}
	struct vdb_affected *f = vdb_advisory_add_affected(&t->a);
	char *eco = bw_arena_alloc(ar, 16);
	snprintf(eco, 16, "Debian:%s", relver);
	f->ecosystem = eco;
	f->name = bw_arena_strndup(ar, pkg.ptr, pkg.len);
	f->ranges = enc;
	f->note = note;
}

int vdb_tracker_parse(const char *data, size_t len, const char *name, vdb_advisory_fn fn, void *ud,
		      struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	struct tracker_state t = {.fn = fn, .ud = ud, .name = name, .st = st};
	size_t lineno = 0;
	int rc = 0;
	for (size_t pos = 0; pos < len && rc == 0;) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (data + pos)) : len - pos;
		struct bw_slice line = {data + pos, ll};
		pos += ll + (nl ? 1 : 0);
		lineno++;
		if (ll > MAX_LINE) {
			if (t.open)
				skip(&t, lineno, "line too long");
			if (t.open) {
				vdb_advisory_release(&t.a);
				t.open = false;
			}
			continue;
		}
		if (ll && line.ptr[0] == '[') {
			rc = flush(&t, err);
			if (rc == 0)
				header(&t, line, lineno);
			continue;
		}
		struct bw_slice s = trim(line);
		if (!s.len || !t.open)
			continue;
		if (s.ptr[0] == '{')
			cves(&t, s);
		else if (s.ptr[0] == '[')
			fixed_line(&t, s, lineno);
		/* NOTE: lines and anything else carry no matching data */
	}
	if (rc == 0)
		rc = flush(&t, err);
	if (t.open)
		vdb_advisory_release(&t.a);
	return rc < 0 ? rc : (int)(t.count > INT32_MAX ? INT32_MAX : t.count);
}
