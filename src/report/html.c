/* --format html: one self-contained page for a person.
 *
 * Nothing is fetched when the page is viewed: the style and the script are
 * inline, the charts are inline SVG, and a Content-Security-Policy allows
 * no network at all (default-src 'none') and only the page's own script
 * (a nonce made for this document). The summary has bar charts of the
 * listed findings by severity, by kind and by layer; the findings table
 * (and the packages and layers tables) sort on a click on a column head,
 * and a filter box and severity/kind selects narrow the findings. Every
 * string from the image, an engine or an advisory is HTML-escaped, its
 * control bytes shown as "\xNN" (bw_report_put_markup): the page shows
 * them as text and never runs them. The script builds nothing from the
 * data; it only reorders and hides rows. */
#include "report-int.h"

static const char *const sev_colors[] = {"#9e9e9e", "#2196f3", "#4caf50", "#ffb300", "#f4511e", "#b71c1c"};

static void put(FILE *out, const char *s)
{
	bw_report_put_markup(out, s);
}

static void cell(FILE *out, const char *s)
{
	fputs("<td>", out);
	put(out, s ? s : "");
	fputs("</td>", out);
}

struct bar {
	const char *label; /* escaped when written */
	size_t count;
	const char *color;
};

static void chart(FILE *out, const char *title, const char *id, const struct bar *bars, size_t n)
{
	size_t max = 1;
	for (size_t i = 0; i < n; i++)
		max = bars[i].count > max ? bars[i].count : max;
	int h = 24 * (int)(n ? n : 1) + 8;
	fprintf(out, "<figure class=\"chart\" id=\"%s\"><figcaption>", id);
	put(out, title);
	fprintf(out,
		"</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"420\" height=\"%d\" "
		"role=\"img\">",
		h);
	if (!n)
		fputs("<text x=\"4\" y=\"20\">nothing to show</text>", out);
	for (size_t i = 0; i < n; i++) {
		int y = 4 + 24 * (int)i;
		int w = (int)(220.0 * (double)bars[i].count / (double)max);
		fprintf(out, "<text x=\"0\" y=\"%d\" class=\"lbl\">", y + 15);
		put(out, bars[i].label);
		fprintf(out,
			"</text><rect x=\"150\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"%s\"></rect>"
			"<text x=\"%d\" y=\"%d\">%zu</text>",
			y, w > 0 ? w : 1, bars[i].color, 156 + w, y + 15, bars[i].count);
	}
	fputs("</svg></figure>\n", out);
}

static const char style[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:0 2em 2em;color:#222}"
    "h1{margin:.6em 0 .1em}h2{margin-top:1.6em}.target{color:#555;word-break:break-all}"
    ".charts{display:flex;flex-wrap:wrap;gap:2em}.chart{margin:0}.chart figcaption{font-weight:600}"
    ".chart text{font-size:12px}table{border-collapse:collapse;width:100%}"
    "th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}"
    "td{word-break:break-word;max-width:40em}th{cursor:pointer;background:#f4f4f4;user-select:none}"
    "th.asc::after{content:' \\25B2'}th.desc::after{content:' \\25BC'}"
    ".sev{font-weight:700;color:#fff;border-radius:3px;padding:1px 5px}"
    ".filters{margin:.5em 0;display:flex;gap:1em}.muted{color:#777}"
    "tr.suppressed{opacity:.6}";

/* Sorting: a column's cells compare by data-v (numbers) when present, else
 * by their text. Filtering: text, lowest severity, kind. */
static const char script[] =
    "(function(){"
    "function sortable(t){var hs=t.tHead.rows[0].cells;for(var i=0;i<hs.length;i++)(function(i){"
    "hs[i].addEventListener('click',function(){var asc=!hs[i].classList.contains('asc');"
    "for(var k=0;k<hs.length;k++)hs[k].classList.remove('asc','desc');"
    "hs[i].classList.add(asc?'asc':'desc');var b=t.tBodies[0];var rows=Array.prototype.slice.call(b.rows);"
    "rows.sort(function(x,y){var a=x.cells[i],c=y.cells[i];var av=a.getAttribute('data-v'),"
    "cv=c.getAttribute('data-v');var r=(av!==null&&cv!==null)?(parseFloat(av)-parseFloat(cv)):"
    "a.textContent.localeCompare(c.textContent,undefined,{numeric:true});return asc?r:-r;});"
    "rows.forEach(function(r){b.appendChild(r);});});})(i);}"
    "var ts=document.querySelectorAll('table.sortable');for(var i=0;i<ts.length;i++)sortable(ts[i]);"
    "var q=document.getElementById('filter'),s=document.getElementById('minsev'),"
    "k=document.getElementById('kind'),n=document.getElementById('shown');"
    "function apply(){if(!q)return;var t=q.value.toLowerCase(),m=parseInt(s.value,10),kv=k.value,c=0;"
    "var rows=document.querySelectorAll('#findings tbody tr');for(var i=0;i<rows.length;i++){"
    "var r=rows[i];var ok=parseInt(r.getAttribute('data-sev'),10)>=m&&(!kv||r.getAttribute("
    "'data-kind')===kv)&&(!t||r.textContent.toLowerCase().indexOf(t)>=0);r.hidden=!ok;if(ok)c++;}"
    "n.textContent=c;}"
    "if(q){q.addEventListener('input',apply);s.addEventListener('change',apply);"
    "k.addEventListener('change',apply);apply();}"
    "})();";

static void layer_label(const struct bw_report *r, size_t i, char *buf, size_t len)
{
	const char *d = r->layers[i].diff_id ? r->layers[i].diff_id : r->layers[i].digest;
	const char *hex = d && strchr(d, ':') ? strchr(d, ':') + 1 : d;
	snprintf(buf, len, "%zu %.12s", i, hex ? hex : "");
}

static size_t layer_index(const struct bw_report *r, const char *id)
{
	const struct bw_report_layer *l = bw_report_layer_of(r, id);
	return l ? (size_t)(l - r->layers) : SIZE_MAX;
}

int bw_report_write_html(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
			 struct bw_error *err)
{
	char nonce[37];
	bw_report_uuid4(nonce);
	size_t by_sev[6] = {0}, by_kind[BW_KIND__COUNT] = {0}, listed = 0;
	size_t *by_layer = bw_calloc(r->n_layers + 1, sizeof(*by_layer));
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct bw_finding *f = &r->findings[i];
		if (!bw_report_finding_listed(f, opts) || f->status == BW_STATUS_SUPPRESSED)
			continue;
		listed++;
		if ((unsigned)f->severity < 6)
			by_sev[f->severity]++;
		if ((unsigned)f->kind < BW_KIND__COUNT)
			by_kind[f->kind]++;
		size_t li = layer_index(r, f->location.layer);
		by_layer[li == SIZE_MAX ? r->n_layers : li]++;
	}

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n", out);
	fprintf(out,
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
		"'unsafe-inline'; script-src 'nonce-%s'; img-src data:; base-uri 'none'; form-action "
		"'none'\">\n",
		nonce);
	fputs("<meta name=\"viewport\" content=\"width=device-width\"><title>bulwark: ", out);
	put(out, r->target.name ? r->target.name : "report");
	fprintf(out,
		"</title>\n<style>%s</style></head>\n<body>\n<h1>bulwark report</h1>\n<p class=\"target\">",
		style);
	put(out, r->target.name ? r->target.name : "-");
	fputs(" (", out);
	put(out, r->target.type ? r->target.type : "-");
	fputs(")", out);
	if (r->target.digest) {
		fputs(" ", out);
		put(out, r->target.digest);
	}
	if (r->os.id) {
		fputs(" &middot; ", out);
		put(out, r->os.id);
		fputs(" ", out);
		put(out, r->os.version);
	}
	fprintf(out, "</p>\n<p id=\"total\">%zu finding%s at or above ", listed, listed == 1 ? "" : "s");
	put(out, bw_severity_name(opts->min_severity));
	if (opts->tool_version) {
		fputs(" &middot; <span class=\"muted\">bulwark ", out);
		put(out, opts->tool_version);
		fputs("</span>", out);
	}
	fputs("</p>\n<section id=\"summary\"><h2>Summary</h2><div class=\"charts\">\n", out);

	struct bar bars[64];
	size_t nb = 0;
	for (int s = 5; s >= 0; s--)
		bars[nb++] = (struct bar){bw_severity_name((enum bw_severity)s), by_sev[s], sev_colors[s]};
	chart(out, "By severity", "chart-severity", bars, nb);
	nb = 0;
	for (int k = 0; k < BW_KIND__COUNT; k++)
		if (by_kind[k])
			bars[nb++] = (struct bar){bw_kind_name((enum bw_kind)k), by_kind[k], "#5c6bc0"};
	chart(out, "By kind", "chart-kind", bars, nb);
	/* layers: the ones with findings, bottom first (at most 60), then the rest */
	char(*labels)[48] = bw_calloc(BW_ARRAY_SIZE(bars), sizeof(*labels));
	nb = 0;
	for (size_t i = 0; i <= r->n_layers && nb < BW_ARRAY_SIZE(bars); i++) {
		if (!by_layer[i])
			continue;
		if (i == r->n_layers)
			snprintf(labels[nb], sizeof(labels[nb]), "%s", r->n_layers ? "no layer" : "target");
		else
			layer_label(r, i, labels[nb], sizeof(labels[nb]));
		bars[nb] = (struct bar){labels[nb], by_layer[i], "#00897b"};
		nb++;
	}
	chart(out, "By layer", "chart-layer", bars, nb);
	free(labels);
	fputs("</div></section>\n", out);

	fputs("<section id=\"findings\"><h2>Findings (<span id=\"shown\"></span> shown)</h2>\n"
	      "<div class=\"filters\"><input id=\"filter\" type=\"search\" placeholder=\"Filter\" "
	      "aria-label=\"Filter findings\"><select id=\"minsev\" aria-label=\"Lowest severity\">",
	      out);
	for (int s = 0; s <= 5; s++) {
		fprintf(out, "<option value=\"%d\">", s);
		put(out, bw_severity_name((enum bw_severity)s));
		fputs(s ? " and above" : " (all)", out);
		fputs("</option>", out);
	}
	fputs("</select><select id=\"kind\" aria-label=\"Kind\"><option value=\"\">every kind</option>", out);
	for (int k = 0; k < BW_KIND__COUNT; k++) {
		fputs("<option>", out);
		put(out, bw_kind_name((enum bw_kind)k));
		fputs("</option>", out);
	}
	fputs(
	    "</select></div>\n<table class=\"sortable\"><thead><tr><th>Severity</th><th>Kind</th><th>ID</th>"
	    "<th>Title</th><th>Package</th><th>Installed</th><th>Fixed</th><th>Location</th><th>Layer</th>"
	    "</tr></thead><tbody>\n",
	    out);
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct bw_finding *f = &r->findings[i];
		if (!bw_report_finding_listed(f, opts))
			continue;
		unsigned sv = (unsigned)f->severity < 6 ? (unsigned)f->severity : 0;
		fprintf(out, "<tr class=\"finding%s\" data-sev=\"%u\" data-kind=\"%s\">",
			f->status == BW_STATUS_SUPPRESSED ? " suppressed" : "", sv, bw_kind_name(f->kind));
		fprintf(out, "<td data-v=\"%u\"><span class=\"sev\" style=\"background:%s\">%s</span></td>",
			sv, sev_colors[sv], bw_severity_name((enum bw_severity)sv));
		cell(out, bw_kind_name(f->kind));
		char url[512];
		const char *uri = bw_report_help_uri(f, url, sizeof(url));
		fputs("<td>", out);
		if (uri) {
			fputs("<a rel=\"noreferrer\" href=\"", out);
			put(out, uri);
			fputs("\">", out);
		}
		put(out, f->id ? f->id : "unknown");
		fputs(uri ? "</a></td>" : "</td>", out);
		fputs("<td>", out);
		put(out, f->title ? f->title : "");
		if (f->evidence) {
			fputs("<br><span class=\"muted\">", out);
			put(out, f->evidence);
			fputs("</span>", out);
		}
		if (f->status == BW_STATUS_SUPPRESSED) {
			fputs("<br><span class=\"muted\">suppressed: ", out);
			put(out, f->suppressed_by);
			fputs("</span>", out);
		}
		fputs("</td>", out);
		cell(out, f->package.name);
		cell(out, f->installed_version ? f->installed_version : f->package.version);
		cell(out, f->fixed_version);
		bw_buf_reset(&b);
		if (f->location.path)
			bw_buf_addstr(&b, f->location.path);
		if (f->location.line > 0)
			bw_buf_printf(&b, ":%d", f->location.line);
		if (f->location.container)
			bw_buf_printf(&b, "%s%s", b.len ? " " : "", f->location.container);
		cell(out, b.len ? b.data : "");
		size_t li = layer_index(r, f->location.layer);
		if (li != SIZE_MAX) {
			char lab[48];
			layer_label(r, li, lab, sizeof(lab));
			fprintf(out, "<td data-v=\"%zu\">", li);
			put(out, lab);
			fputs("</td>", out);
		} else {
			fputs("<td data-v=\"-1\"></td>", out);
		}
		fputs("</tr>\n", out);
	}
	bw_buf_release(&b);
	fputs("</tbody></table></section>\n", out);

	if (r->n_layers) {
		fputs("<section id=\"layers\"><h2>Layers</h2><table class=\"sortable\"><thead><tr><th>#</th>"
		      "<th>Digest</th><th>Created "
		      "by</th><th>Source</th><th>Findings</th></tr></thead><tbody>\n",
		      out);
		for (size_t i = 0; i < r->n_layers; i++) {
			const struct bw_report_layer *l = &r->layers[i];
			fprintf(out, "<tr><td data-v=\"%zu\">%zu</td>", i, i);
			cell(out, l->diff_id ? l->diff_id : l->digest);
			cell(out, l->created_by);
			fputs("<td>", out);
			if (l->source_path) {
				put(out, l->source_path);
				fprintf(out, ":%d", l->source_line);
			}
			fprintf(out, "</td><td data-v=\"%zu\">%zu</td></tr>\n", by_layer[i], by_layer[i]);
		}
		fputs("</tbody></table></section>\n", out);
	}
	free(by_layer);

	if (r->list_packages && r->n_packages) {
		fputs("<section id=\"packages\"><h2>Packages</h2><table "
		      "class=\"sortable\"><thead><tr><th>Name</th>"
		      "<th>Version</th><th>Ecosystem</th><th>Path</th></tr></thead><tbody>\n",
		      out);
		for (size_t i = 0; i < r->n_packages; i++) {
			const struct bw_package *p = &r->packages[i];
			fputs("<tr>", out);
			cell(out, p->name);
			cell(out, p->version);
			cell(out, p->ecosystem);
			cell(out, p->path);
			fputs("</tr>\n", out);
		}
		fputs("</tbody></table></section>\n", out);
	}
	if (r->n_warnings) {
		fputs("<section id=\"warnings\"><h2>Warnings</h2><ul>\n", out);
		for (size_t i = 0; i < r->n_warnings; i++) {
			fputs("<li>", out);
			put(out, r->warnings[i]);
			fputs("</li>\n", out);
		}
		fputs("</ul></section>\n", out);
	}
	fprintf(out, "<script nonce=\"%s\">%s</script>\n</body></html>\n", nonce, script);
	if (ferror(out))
		return bw_error_sys(err, BW_EIO, "writing the HTML report failed");
	return 0;
}
