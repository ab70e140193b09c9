/* Debian packages' licences: /usr/share/doc/PACKAGE/copyright.
 *
 * A machine-readable copyright file (DEP-5, copyright-format 1.0) starts
 * with a header paragraph whose "Format:" field is the specification's URL
 * (https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/, or
 * the older http://dep.debian.net/deps/dep5 forms). Paragraphs are separated
 * by blank lines and hold deb-control(5) fields; a "Files:" paragraph's
 * "License:" field has the licence's short name on its first line (the
 * lines after it are its text). A short name is a Debian keyword ("GPL-2+",
 * "BSD-3-clause", "Expat"), or several joined by "or", "and" and ","; "with
 * X exception" qualifies the one before it. Each distinct first line of a
 * Files paragraph is one licence of the package, written as an SPDX
 * expression when every keyword in it maps to an SPDX identifier, else as
 * the file wrote it. Stand-alone "License:" paragraphs (the texts) add
 * nothing.
 *
 * Other copyright files are prose. The only conservative reading of them is
 * the reference Debian policy asks for to a licence shipped in
 * /usr/share/common-licenses/NAME: each such versioned NAME ("GPL-2",
 * "LGPL-2.1", "Apache-2.0") of the table below is a licence of the package,
 * kept as Debian names it (whether "or later" applies is in the prose);
 * unversioned names (GPL, LGPL, BSD) and everything else are not guessed.
 *
 * The record keeps ("License", licence) pairs; the package is the directory
 * name, matched to the dpkg packages of the final view (inventory.c).
 */
#include "inventory-int.h"

/* Debian's short names (copyright-format 1.0, "License specification") and
 * /usr/share/common-licenses' names, with their SPDX identifiers. */
static const struct {
	const char *debian, *spdx;
} names[] = {
    {"Apache-2.0", "Apache-2.0"},
    {"Apache-2", "Apache-2.0"},
    {"Artistic", "Artistic-1.0-Perl"},
    {"Artistic-1.0", "Artistic-1.0"},
    {"Artistic-2.0", "Artistic-2.0"},
    {"BSD", NULL}, /* /usr/share/common-licenses/BSD: not one licence */
    {"BSD-2-clause", "BSD-2-Clause"},
    {"BSD-3-clause", "BSD-3-Clause"},
    {"BSD-4-clause", "BSD-4-Clause"},
    {"BSL-1.0", "BSL-1.0"},
    {"CC0-1.0", "CC0-1.0"},
    {"CC0", "CC0-1.0"},
    {"Expat", "MIT"},
    {"MIT", "MIT"},
    {"ISC", "ISC"},
    {"Zlib", "Zlib"},
    {"curl", "curl"},
    {"OpenSSL", "OpenSSL"},
    {"MPL-1.1", "MPL-1.1"},
    {"MPL-2.0", "MPL-2.0"},
    {"PSF-2", "PSF-2.0"},
    {"Python-2.0", "Python-2.0"},
    {"Unicode-DFS-2016", "Unicode-DFS-2016"},
    {"X11", "X11"},
    {"FTL", "FTL"},
    {"Sleepycat", "Sleepycat"},
    {"libpng", "Libpng"},
    {"Libpng", "Libpng"},
    {"bzip2-1.0.6", "bzip2-1.0.6"},
    {"GPL", "GPL-1.0-or-later"},
    {"GPL-1", "GPL-1.0-only"},
    {"GPL-1+", "GPL-1.0-or-later"},
    {"GPL-2", "GPL-2.0-only"},
    {"GPL-2+", "GPL-2.0-or-later"},
    {"GPL-3", "GPL-3.0-only"},
    {"GPL-3+", "GPL-3.0-or-later"},
    {"LGPL", "LGPL-2.0-or-later"},
    {"LGPL-2", "LGPL-2.0-only"},
    {"LGPL-2+", "LGPL-2.0-or-later"},
    {"LGPL-2.0", "LGPL-2.0-only"},
    {"LGPL-2.0+", "LGPL-2.0-or-later"},
    {"LGPL-2.1", "LGPL-2.1-only"},
    {"LGPL-2.1+", "LGPL-2.1-or-later"},
    {"LGPL-3", "LGPL-3.0-only"},
    {"LGPL-3+", "LGPL-3.0-or-later"},
    {"LGPL-3.0", "LGPL-3.0-only"},
    {"LGPL-3.0+", "LGPL-3.0-or-later"},
    {"AGPL-3", "AGPL-3.0-only"},
    {"AGPL-3+", "AGPL-3.0-or-later"},
    {"GFDL-1.2", "GFDL-1.2-only"},
    {"GFDL-1.2+", "GFDL-1.2-or-later"},
    {"GFDL-1.3", "GFDL-1.3-only"},
    {"GFDL-1.3+", "GFDL-1.3-or-later"},
    {"public-domain", NULL},
};

static const char *spdx_of(const char *s, size_t n)
{
	for (size_t i = 0; i < BW_ARRAY_SIZE(names); i++)
		if (strlen(names[i].debian) == n && bw_strncasecmp(names[i].debian, s, n) == 0)
			return names[i].spdx;
	return NULL;
}

static bool word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && bw_strncasecmp(s, w, n) == 0;
}

/* "GPL-2+ or Artistic" -> "GPL-2.0-or-later OR Artistic-1.0-Perl"; false
 * when a keyword has no SPDX identifier (or the line is no expression). A
 * "with X exception" clause is kept only as "WITH X" for the exceptions
 * SPDX names the same way. */
static bool to_spdx(const char *s, size_t n, struct bw_buf *out)
{
	static const char *const exceptions[] = {"OpenSSL-exception",	"Classpath-exception-2.0",
						 "GCC-exception-3.1",	"Autoconf-exception-3.0",
						 "Bison-exception-2.2", "Font-exception-2.0"};
	size_t i = 0, words = 0;
	unsigned ops = 0; /* 1: OR, 2: AND */
	bool want_id = true;
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n)
			break;
		size_t b = i;
		while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != ',')
			i++;
		size_t wl = i - b;
		/* a comma regroups ("A or B, and C"); and Debian's "or" binds
		 * tighter than "and", SPDX's OR looser than AND: a line mixing
		 * them is kept as written */
		if (i < n && s[i] == ',')
			return false;
		if (want_id) {
			const char *id = wl ? spdx_of(s + b, wl) : NULL;
			if (!id)
				return false;
			bw_buf_printf(out, "%s%s", words++ ? " " : "", id);
			want_id = false;
		} else if (word_is(s + b, wl, "or") || word_is(s + b, wl, "and")) {
			unsigned op = word_is(s + b, wl, "or") ? 1 : 2;
			if (ops && ops != op)
				return false;
			ops = op;
			bw_buf_addstr(out, op == 1 ? " OR" : " AND");
			want_id = true;
		} else if (word_is(s + b, wl, "with")) {
			/* "with NAME exception" */
			while (i < n && s[i] == ' ')
				i++;
			size_t eb = i;
			while (i < n && s[i] != ' ')
				i++;
			size_t el = i - eb;
			while (i < n && s[i] == ' ')
				i++;
			size_t xb = i;
			while (i < n && s[i] != ' ' && s[i] != ',')
				i++;
			if (!word_is(s + xb, i - xb, "exception"))
				return false;
			const char *x = NULL;
			for (size_t k = 0; k < BW_ARRAY_SIZE(exceptions); k++)
				if (el && bw_strncasecmp(exceptions[k], s + eb, el) == 0 &&
				    exceptions[k][el] == '-')
					x = exceptions[k];
			if (!x)
				return false;
			bw_buf_printf(out, " WITH %s", x);
		} else {
			return false;
		}
	}
	return words > 0 && !want_id;
}

static void add_license(struct inv_layer *l, struct inv_record *rec, const char *s, size_t n, bool translate)
{
	struct bw_slice t = inv_trim((struct bw_slice){s, n});
	if (!t.len || t.len > 512)
		return;
	struct bw_buf b;
	bw_buf_init(&b, 4096);
	const char *v = t.ptr;
	size_t vl = t.len;
	if (translate && to_spdx(t.ptr, t.len, &b) && b.data) {
		v = b.data;
		vl = b.len;
	}
	for (size_t i = 0; i + 1 < rec->n_kv; i += 2)
		if (strlen(rec->kv[i + 1]) == vl && memcmp(rec->kv[i + 1], v, vl) == 0) {
			bw_buf_release(&b);
			return;
		}
	inv_record_kv(l, rec, "License", 7, v, vl);
	bw_buf_release(&b);
}

static bool starts_with_ci(struct bw_slice s, const char *p)
{
	size_t n = strlen(p);
	return s.len >= n && bw_strncasecmp(s.ptr, p, n) == 0;
}

void inv_parse_deb_copyright(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *line;
	size_t n;
	/* the header's first field: "Format: URL" */
	const char *first = NULL;
	size_t first_n = 0;
	while (inv_next_line(&p, end, &line, &n)) {
		if (inv_trim((struct bw_slice){line, n}).len) {
			first = line;
			first_n = n;
			break;
		}
	}
	struct bw_slice f = {first, first_n};
	bool dep5 = first && starts_with_ci(f, "Format:") &&
		    (memmem(first, first_n, "copyright-format", 16) || memmem(first, first_n, "dep5", 4));
	if (!dep5) {
		/* prose: the licences it names under /usr/share/common-licenses/ */
		static const char dir[] = "/usr/share/common-licenses/";
		const size_t dl = sizeof(dir) - 1;
		for (const char *q = data; q < end;) {
			const char *hit = memmem(q, (size_t)(end - q), dir, dl);
			if (!hit)
				break;
			const char *nb = hit + dl, *ne = nb;
			while (ne < end && (bw_isalnum(*ne) || *ne == '-' || *ne == '.' || *ne == '+'))
				ne++;
			while (ne > nb && ne[-1] == '.') /* the end of a sentence */
				ne--;
			/* a versioned licence text ("GPL-2", "Apache-2.0"), kept as
			 * named: the prose around it says which versions apply */
			bool versioned = false;
			for (const char *c = nb; c < ne; c++)
				versioned = versioned || bw_isdigit(*c);
			if (versioned && spdx_of(nb, (size_t)(ne - nb)))
				add_license(l, rec, nb, (size_t)(ne - nb), false);
			q = ne > hit ? ne : hit + dl;
		}
		return;
	}
	/* paragraphs: a Files field and the first line of its License field */
	p = first;
	bool files = false;
	struct bw_slice lic = {NULL, 0};
	for (;;) {
		bool more = inv_next_line(&p, end, &line, &n);
		struct bw_slice t = more ? inv_trim((struct bw_slice){line, n}) : (struct bw_slice){NULL, 0};
		if (!more || !t.len) {
			if (files && lic.len)
				add_license(l, rec, lic.ptr, lic.len, true);
			files = false;
			lic.len = 0;
			if (!more)
				break;
			continue;
		}
		if (line[0] == ' ' || line[0] == '\t' || line[0] == '#')
			continue; /* a continuation line, or a comment */
		if (starts_with_ci(t, "Files:"))
			files = true;
		else if (starts_with_ci(t, "License:"))
			lic = (struct bw_slice){t.ptr + 8, t.len - 8};
	}
}
