/* Hostile text in a report (STYLE.md: text output is hostile too).
 *
 * Names, versions, paths, titles and warnings come from images, engines
 * and advisories. A terminal must not receive their control bytes (ESC
 * and CSI move the cursor, rewrite lines, set the window title), and
 * jansson refuses a string that is not UTF-8, so a JSON writer would
 * silently drop that member. Before a writer runs, a report holding such
 * text is copied with it escaped: for the table as bw_report_put_text()
 * shows text to a person (C0 but TAB, DEL, C1 and bytes that are not part
 * of valid UTF-8 as "\xNN"), for the JSON formats only the bytes that are
 * not part of valid UTF-8 (jansson escapes control characters itself,
 * losslessly). Valid UTF-8 text stays as it is, and a clean report — the
 * usual case — is written without a copy. */
#include "report-int.h"

struct esc_ctx {
	unsigned what;	       /* BW_REPORT_ESC_* */
	struct bw_report *out; /* NULL: only look */
	bool dirty;	       /* some string needs escaping */
};

/* The length of the valid UTF-8 sequence at p (n bytes left), 0 if none. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	if (p[0] < 0x80)
		return 1;
	size_t len = (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3 : (p[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (!len || len > n)
		return 0;
	return bw_utf8_valid((const char *)p, len) ? len : 0;
}

static bool clean(const char *s, unsigned what)
{
	if (what == BW_REPORT_ESC_TERMINAL)
		return bw_report_text_plain(s);
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0; /* the length, once a byte needs a closer look */
	for (size_t i = 0; p[i];) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (!n)
			n = i + strlen(s + i);
		size_t len = utf8_len(p + i, n - i);
		if (!len)
			return false;
		i += len;
	}
	return true;
}

static const char *esc(struct esc_ctx *c, const char *s)
{
	if (!s || clean(s, c->what))
		return s;
	c->dirty = true;
	if (!c->out)
		return s;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		BW_BUG("open_memstream failed");
	if (c->what == BW_REPORT_ESC_TERMINAL) {
		bw_report_put_text(f, s, SIZE_MAX, 0);
	} else {
		size_t n = strlen(s);
		for (size_t i = 0; i < n;) {
			const unsigned char *p = (const unsigned char *)s + i;
			size_t k = utf8_len(p, n - i);
			if (k)
				fwrite(p, 1, k, f);
			else
				fprintf(f, "\\x%02x", p[0]);
			i += k ? k : 1;
		}
	}
	fclose(f);
	const char *out = bw_report_str(c->out, buf);
	free(buf);
	return out;
}

/* A list of strings, copied only when the copy needs a changed one. */
static const char **esc_list(struct esc_ctx *c, const char **list, size_t n)
{
	bool any = false;
	for (size_t i = 0; i < n; i++)
		any |= !clean(list[i], c->what);
	if (!any)
		return list;
	c->dirty = true;
	if (!c->out)
		return list;
	const char **copy = bw_arena_alloc(&c->out->arena, n * sizeof(*copy));
	for (size_t i = 0; i < n; i++)
		copy[i] = esc(c, list[i]);
	return copy;
}

static void esc_package(struct esc_ctx *c, const struct bw_package *p, struct bw_package *o)
{
	*o = *p;
	o->name = esc(c, p->name);
	o->version = esc(c, p->version);
	o->ecosystem = esc(c, p->ecosystem);
	o->purl = esc(c, p->purl);
	o->source_name = esc(c, p->source_name);
	o->source_version = esc(c, p->source_version);
	o->licenses = esc_list(c, p->licenses, p->n_licenses);
	o->layer = esc(c, p->layer);
	o->path = esc(c, p->path);
	o->depends = esc_list(c, p->depends, p->n_depends);
	o->origin = esc(c, p->origin);
	bool any = false;
	for (size_t i = 0; i < p->n_hashes; i++)
		any |= p->hashes[i].hex && !clean(p->hashes[i].hex, c->what);
	if (any && c->out) {
		struct bw_hash *h = bw_arena_alloc(&c->out->arena, p->n_hashes * sizeof(*h));
		for (size_t i = 0; i < p->n_hashes; i++)
			h[i] = (struct bw_hash){p->hashes[i].alg, esc(c, p->hashes[i].hex)};
		o->hashes = h;
	}
	c->dirty |= any;
}

static void esc_finding(struct esc_ctx *c, const struct bw_finding *f, struct bw_finding *o)
{
	*o = *f;
	o->id = esc(c, f->id);
	o->equivalent = esc_list(c, f->equivalent, f->n_equivalent);
	o->title = esc(c, f->title);
	o->package.name = esc(c, f->package.name);
	o->package.version = esc(c, f->package.version);
	o->package.ecosystem = esc(c, f->package.ecosystem);
	o->package.purl = esc(c, f->package.purl);
	o->installed_version = esc(c, f->installed_version);
	o->fixed_version = esc(c, f->fixed_version);
	bool any = false;
	for (size_t i = 0; i < f->n_cvss; i++) {
		const struct bw_cvss_rating *r = &f->cvss[i];
		const char *s[] = {r->version, r->vector, r->nomenclature, r->source};
		for (size_t k = 0; k < BW_ARRAY_SIZE(s); k++)
			any |= s[k] && !clean(s[k], c->what);
	}
	if (any && c->out) {
		struct bw_cvss_rating *r = bw_arena_alloc(&c->out->arena, f->n_cvss * sizeof(*r));
		for (size_t i = 0; i < f->n_cvss; i++) {
			r[i] = f->cvss[i];
			r[i].version = esc(c, f->cvss[i].version);
			r[i].vector = esc(c, f->cvss[i].vector);
			r[i].nomenclature = esc(c, f->cvss[i].nomenclature);
			r[i].source = esc(c, f->cvss[i].source);
		}
		o->cvss = r;
	}
	c->dirty |= any;
	o->location.layer = esc(c, f->location.layer);
	o->location.path = esc(c, f->location.path);
	o->location.container = esc(c, f->location.container);
	o->evidence = esc(c, f->evidence);
	o->remediation = esc(c, f->remediation);
	o->suppressed_by = esc(c, f->suppressed_by);
}

/* One pass over every string: into o (c->out set) or only looking. */
static void esc_report(struct esc_ctx *c, const struct bw_report *r, struct bw_report *o)
{
	o->target.type = esc(c, r->target.type);
	o->target.name = esc(c, r->target.name);
	o->target.digest = esc(c, r->target.digest);
	o->os.id = esc(c, r->os.id);
	o->os.version = esc(c, r->os.version);
	o->os.codename = esc(c, r->os.codename);
	o->list_packages = r->list_packages;
	struct bw_package scratch_p;
	struct bw_finding scratch_f;
	for (size_t i = 0; i < r->n_packages; i++)
		esc_package(c, &r->packages[i], c->out ? &o->packages[i] : &scratch_p);
	for (size_t i = 0; i < r->n_findings; i++)
		esc_finding(c, &r->findings[i], c->out ? &o->findings[i] : &scratch_f);
	o->warnings = esc_list(c, r->warnings, r->n_warnings);
	bool any = false;
	for (size_t i = 0; i < r->n_layers; i++) {
		const struct bw_report_layer *l = &r->layers[i];
		any |= (l->created_by && !clean(l->created_by, c->what)) ||
		       (l->source_path && !clean(l->source_path, c->what));
	}
	c->dirty |= any;
	if (c->out && r->n_layers) {
		o->layers = bw_arena_alloc(&c->out->arena, r->n_layers * sizeof(*o->layers));
		o->n_layers = o->cap_layers = r->n_layers;
		for (size_t i = 0; i < r->n_layers; i++) {
			o->layers[i] = r->layers[i];
			o->layers[i].created_by = esc(c, r->layers[i].created_by);
			o->layers[i].source_path = esc(c, r->layers[i].source_path);
		}
	}
}

const struct bw_report *bw_report_escaped(const struct bw_report *r, unsigned what, struct bw_report **copy)
{
	*copy = NULL;
	struct esc_ctx look = {.what = what};
	struct bw_report scratch;
	esc_report(&look, r, &scratch);
	if (!look.dirty)
		return r;
	/* the copy borrows r's clean strings: it lives only while r does */
	struct bw_report *o = bw_report_new(NULL, NULL);
	o->packages = bw_calloc(r->n_packages ? r->n_packages : 1, sizeof(*o->packages));
	o->n_packages = o->cap_packages = r->n_packages;
	o->findings = bw_calloc(r->n_findings ? r->n_findings : 1, sizeof(*o->findings));
	o->n_findings = o->cap_findings = r->n_findings;
	struct esc_ctx c = {.what = what, .out = o};
	esc_report(&c, r, o);
	/* bw_report_free frees the warnings array: the copy's own */
	const char **w = bw_calloc(r->n_warnings ? r->n_warnings : 1, sizeof(*w));
	if (r->n_warnings)
		memcpy(w, o->warnings, r->n_warnings * sizeof(*w));
	o->warnings = w;
	o->n_warnings = o->cap_warnings = r->n_warnings;
	*copy = o;
	return o;
}
