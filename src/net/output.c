/* The graph written out: JSON (bulwark.netgraph/v1), Graphviz DOT, and a
 * self-contained SVG / HTML picture laid out here in layers — the outside
 * world on top, then each workload at its distance in hops from it, the
 * unreachable ones at the bottom — so no layout engine is needed. Every
 * string from a file or an engine is escaped for the format it goes into. */
#include <jansson.h>

#include "net-int.h"

static const char *kind_name(enum bw_net_node_kind k)
{
	return k == BW_NET_INTERNET ? "internet" : k == BW_NET_HOST ? "host" : "workload";
}

json_t *bw_net_graph_json(const struct bw_net_graph *g, const struct bw_report *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "schema", json_string("bulwark.netgraph/v1"));
	json_object_set_new(o, "source", json_string(g->source ? g->source : ""));
	json_t *nodes = json_array();
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct bw_net_node *n = &g->nodes[i];
		json_t *j = json_object();
		json_object_set_new(j, "id", json_string(n->id));
		json_object_set_new(j, "name", json_string(n->name));
		json_object_set_new(j, "kind", json_string(kind_name(n->kind)));
		if (n->group)
			json_object_set_new(j, "group", json_string(n->group));
		if (n->image)
			json_object_set_new(j, "image", json_string(n->image));
		if (n->file) {
			json_t *loc = json_object();
			json_object_set_new(loc, "path", json_string(n->file));
			json_object_set_new(loc, "line", json_integer(n->line));
			json_object_set_new(loc, "column", json_integer(n->column));
			json_object_set_new(j, "location", loc);
		}
		json_object_set_new(j, "datastore", json_boolean(n->datastore));
		json_object_set_new(j, "internet_facing", json_boolean(n->internet_facing));
		json_object_set_new(j, "host_network", json_boolean(n->host_network));
		json_t *segs = json_array();
		for (size_t k = 0; k < n->n_segments; k++)
			json_array_append_new(segs, json_string(n->segments[k]));
		json_object_set_new(j, "networks", segs);
		json_array_append_new(nodes, j);
	}
	json_object_set_new(o, "nodes", nodes);
	json_t *edges = json_array();
	for (size_t e = 0; e < g->n_edges; e++) {
		const struct bw_net_edge *ed = &g->edges[e];
		json_t *j = json_object();
		json_object_set_new(j, "from", json_string(g->nodes[ed->from].id));
		json_object_set_new(j, "to", json_string(g->nodes[ed->to].id));
		json_object_set_new(j, "ports", json_string(ed->ports));
		if (ed->via)
			json_object_set_new(j, "via", json_string(ed->via));
		json_array_append_new(edges, j);
	}
	json_object_set_new(o, "edges", edges);
	json_t *paths = json_array();
	for (size_t p = 0; p < g->n_paths; p++) {
		const struct bw_net_path *pa = &g->paths[p];
		json_t *hops = json_array();
		for (size_t h = 0; h < pa->n_hops; h++) {
			json_t *j = json_object();
			json_object_set_new(j, "node", json_string(g->nodes[pa->hops[h]].id));
			if (h)
				json_object_set_new(j, "ports", json_string(pa->ports[h - 1]));
			json_array_append_new(hops, j);
		}
		json_array_append_new(paths, json_pack("{s:o}", "hops", hops));
	}
	json_object_set_new(o, "paths", paths);
	if (r) {
		json_t *fs = json_array();
		for (size_t i = 0; i < r->n_findings; i++) {
			const struct bw_finding *f = &r->findings[i];
			json_t *j = json_object();
			json_object_set_new(j, "id", json_string(f->id));
			json_object_set_new(j, "severity", json_string(bw_severity_name(f->severity)));
			json_object_set_new(j, "title", json_string(f->title));
			if (f->evidence)
				json_object_set_new(j, "evidence", json_string(f->evidence));
			if (f->location.path) {
				json_object_set_new(j, "path", json_string(f->location.path));
				json_object_set_new(j, "line", json_integer(f->location.line));
			}
			json_array_append_new(fs, j);
		}
		json_object_set_new(o, "findings", fs);
	}
	return o;
}

/* ---- DOT ----------------------------------------------------------------- */

static void dot_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void bw_net_graph_dot(const struct bw_net_graph *g, FILE *out)
{
	fprintf(out, "digraph bulwark {\n  rankdir=TB;\n  node [shape=box, style=rounded, "
		     "fontname=\"sans-serif\"];\n");
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct bw_net_node *n = &g->nodes[i];
		fprintf(out, "  n%zu [label=", i);
		dot_str(out, n->name);
		if (n->kind == BW_NET_INTERNET)
			fprintf(out, ", shape=ellipse, color=red");
		else if (n->kind == BW_NET_HOST)
			fprintf(out, ", shape=ellipse");
		else if (n->datastore)
			fprintf(out, ", shape=cylinder, color=darkorange");
		else if (n->internet_facing)
			fprintf(out, ", color=red");
		fprintf(out, ", tooltip=");
		dot_str(out, n->id);
		fprintf(out, "];\n");
	}
	for (size_t e = 0; e < g->n_edges; e++) {
		fprintf(out, "  n%zu -> n%zu [label=", g->edges[e].from, g->edges[e].to);
		dot_str(out, g->edges[e].ports);
		fprintf(out, "];\n");
	}
	fprintf(out, "}\n");
}

/* ---- SVG and HTML -------------------------------------------------------- */

static void xml_str(FILE *out, const char *s, size_t max)
{
	size_t n = 0;
	for (; s && *s && n < max; s++, n++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(out, "\\x%02x", c);
			else
				fputc(c, out);
		}
	}
	if (s && *s)
		fputs("…", out);
}

#define BOX_W 180
#define BOX_H 44
#define GAP_X 24
#define GAP_Y 90
#define MARGIN 30

struct layout {
	int *x, *y; /* top-left of each node's box */
	int width, height;
};

struct sort_ctx {
	const struct bw_net_graph *g;
	const size_t *layer;
};

static int cmp_nodes(const void *a, const void *b, void *ud)
{
	const struct sort_ctx *c = ud;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	if (c->layer[x] != c->layer[y])
		return c->layer[x] < c->layer[y] ? -1 : 1;
	const struct bw_net_node *p = &c->g->nodes[x], *q = &c->g->nodes[y];
	int k = strcmp(p->group ? p->group : "", q->group ? q->group : "");
	return k ? k : strcmp(p->name, q->name);
}

static void lay_out(const struct bw_net_graph *g, struct layout *l)
{
	size_t n = g->n_nodes;
	size_t *layer = bw_malloc((n ? n : 1) * sizeof(*layer));
	size_t *queue = bw_malloc((n ? n : 1) * sizeof(*queue));
	size_t qh = 0, qt = 0, maxl = 0;
	for (size_t i = 0; i < n; i++) {
		layer[i] = SIZE_MAX;
		if (g->nodes[i].kind != BW_NET_WORKLOAD) {
			layer[i] = 0;
			queue[qt++] = i;
		}
	}
	while (qh < qt) {
		size_t u = queue[qh++];
		for (size_t e = 0; e < g->n_edges; e++)
			if (g->edges[e].from == u && layer[g->edges[e].to] == SIZE_MAX) {
				layer[g->edges[e].to] = layer[u] + 1;
				if (layer[u] + 1 > maxl)
					maxl = layer[u] + 1;
				queue[qt++] = g->edges[e].to;
			}
	}
	for (size_t i = 0; i < n; i++)
		if (layer[i] == SIZE_MAX)
			layer[i] = maxl + 1;
	size_t *order = bw_malloc((n ? n : 1) * sizeof(*order));
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	struct sort_ctx sc = {g, layer};
	qsort_r(order, n, sizeof(*order), cmp_nodes, &sc);
	l->x = bw_calloc(n ? n : 1, sizeof(int));
	l->y = bw_calloc(n ? n : 1, sizeof(int));
	/* wrap a wide layer into rows of at most 8 boxes */
	int row = 0, col = 0, maxcol = 0;
	size_t cur = SIZE_MAX;
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		if (layer[i] != cur) {
			if (cur != SIZE_MAX)
				row++;
			cur = layer[i];
			col = 0;
		} else if (col == 8) {
			row++;
			col = 0;
		}
		l->x[i] = MARGIN + col * (BOX_W + GAP_X);
		l->y[i] = MARGIN + row * (BOX_H + GAP_Y);
		if (++col > maxcol)
			maxcol = col;
	}
	l->width = 2 * MARGIN + (maxcol ? maxcol : 1) * (BOX_W + GAP_X) - GAP_X;
	l->height = 2 * MARGIN + (row + 1) * (BOX_H + GAP_Y) - GAP_Y;
	free(order);
	free(layer);
	free(queue);
}

static void svg_body(const struct bw_net_graph *g, FILE *out)
{
	struct layout l;
	lay_out(g, &l);
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"bulwark-net\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
		l.width, l.height, l.width, l.height);
	fprintf(out,
		"<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
		"markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" "
		"fill=\"#555\"/></marker></defs>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n");
	fprintf(out, "<g class=\"edges\">\n");
	for (size_t e = 0; e < g->n_edges; e++) {
		const struct bw_net_edge *ed = &g->edges[e];
		int x1 = l.x[ed->from] + BOX_W / 2, y1 = l.y[ed->from] + BOX_H;
		int x2 = l.x[ed->to] + BOX_W / 2, y2 = l.y[ed->to];
		if (y2 <= y1) { /* same row or upwards: side to side */
			y1 = l.y[ed->from] + BOX_H / 2;
			y2 = l.y[ed->to] + BOX_H / 2;
			x1 = l.x[ed->from] + (x2 > x1 ? BOX_W : 0);
			x2 = l.x[ed->to] + (x2 > x1 ? 0 : BOX_W);
		}
		bool hot = g->nodes[ed->from].kind == BW_NET_INTERNET || g->nodes[ed->to].datastore;
		fprintf(
		    out,
		    "<g class=\"edge\" data-from=\"%zu\" data-to=\"%zu\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
		    "y2=\"%d\" stroke=\"%s\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>",
		    ed->from, ed->to, x1, y1, x2, y2, hot ? "#c0392b" : "#777");
		fprintf(out, "<title>");
		xml_str(out, g->nodes[ed->from].name, 200);
		fputs(" → ", out);
		xml_str(out, g->nodes[ed->to].name, 200);
		fputs(": ", out);
		xml_str(out, ed->ports, 200);
		fprintf(out, "</title>");
		if (g->n_edges <= 300) {
			fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#444\">",
				(x1 + x2) / 2 + 3, (y1 + y2) / 2);
			xml_str(out, ed->ports, 24);
			fprintf(out, "</text>");
		}
		fprintf(out, "</g>\n");
	}
	fprintf(out, "</g>\n<g class=\"nodes\">\n");
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct bw_net_node *n = &g->nodes[i];
		const char *fill = n->kind == BW_NET_INTERNET ? "#fdecea"
				   : n->kind == BW_NET_HOST   ? "#eef"
				   : n->datastore	      ? "#fff3e0"
							      : "#f4f6f8";
		const char *stroke = n->kind == BW_NET_INTERNET || n->internet_facing ? "#c0392b"
				     : n->datastore				      ? "#e67e22"
										      : "#34495e";
		fprintf(out,
			"<g class=\"node\" data-id=\"%zu\" data-kind=\"%s\"%s><rect x=\"%d\" y=\"%d\" "
			"width=\"%d\" "
			"height=\"%d\" rx=\"8\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"/>",
			i, kind_name(n->kind), n->datastore ? " data-datastore=\"true\"" : "", l.x[i], l.y[i],
			BOX_W, BOX_H, fill, stroke);
		fprintf(out, "<title>");
		xml_str(out, n->id, 300);
		if (n->image) {
			fputs(" (", out);
			xml_str(out, n->image, 200);
			fputs(")", out);
		}
		fprintf(out, "</title><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">",
			l.x[i] + BOX_W / 2, l.y[i] + 18);
		xml_str(out, n->name, 24);
		fprintf(
		    out,
		    "</text><text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\" fill=\"#555\">",
		    l.x[i] + BOX_W / 2, l.y[i] + 34);
		xml_str(out, n->kind == BW_NET_WORKLOAD ? (n->image ? n->image : "") : "", 28);
		fprintf(out, "</text></g>\n");
	}
	fprintf(out, "</g>\n</svg>\n");
	free(l.x);
	free(l.y);
}

void bw_net_graph_svg(const struct bw_net_graph *g, FILE *out)
{
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	svg_body(g, out);
}

void bw_net_graph_html(const struct bw_net_graph *g, const struct bw_report *r, FILE *out)
{
	fprintf(out,
		"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<title>bulwark net graph</title>\n<style>\n"
		"body{font-family:sans-serif;margin:1.5em;color:#222}"
		"table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
		".CRITICAL,.HIGH{color:#c0392b;font-weight:bold}.MEDIUM{color:#d35400}"
		"#picture{overflow:auto;border:1px solid #ddd}\n</style></head><body>\n");
	fprintf(out, "<h1>Who can reach whom</h1>\n<p>%zu nodes, %zu edges, source: ", g->n_nodes,
		g->n_edges);
	xml_str(out, g->source, 64);
	fprintf(
	    out,
	    ". Red: the outside world and what it reaches; orange: datastores.</p>\n<div id=\"picture\">\n");
	svg_body(g, out);
	fprintf(out, "</div>\n<h2>Lateral paths to datastores</h2>\n<ol id=\"paths\">\n");
	for (size_t p = 0; p < g->n_paths; p++) {
		fprintf(out, "<li>");
		for (size_t h = 0; h < g->paths[p].n_hops; h++) {
			if (h) {
				fputs(" → <small>", out);
				xml_str(out, g->paths[p].ports[h - 1], 60);
				fputs("</small> → ", out);
			}
			xml_str(out, g->nodes[g->paths[p].hops[h]].name, 80);
		}
		fprintf(out, "</li>\n");
	}
	fprintf(out,
		"</ol>\n<h2>Findings</h2>\n<table id=\"findings\"><tr><th>severity</th><th>id</th><th>title"
		"</th><th>evidence</th><th>where</th></tr>\n");
	for (size_t i = 0; r && i < r->n_findings; i++) {
		const struct bw_finding *f = &r->findings[i];
		fprintf(out, "<tr><td class=\"%s\">%s</td><td>", bw_severity_name(f->severity),
			bw_severity_name(f->severity));
		xml_str(out, f->id, 40);
		fputs("</td><td>", out);
		xml_str(out, f->title, 200);
		fputs("</td><td>", out);
		xml_str(out, f->evidence, 600);
		fputs("</td><td>", out);
		if (f->location.path) {
			xml_str(out, f->location.path, 200);
			fprintf(out, ":%d", f->location.line);
		}
		fputs("</td></tr>\n", out);
	}
	/* a check a browser runs on the picture it drew: every box inside the
	 * picture, no two boxes overlapping, every edge ending on a box */
	fprintf(out,
		"</table>\n<p id=\"layout-check\">not checked</p>\n<script>\n"
		"(function(){var svg=document.getElementById('bulwark-net');var vb=svg.viewBox.baseVal;"
		"var boxes=[].map.call(svg.querySelectorAll('g.node rect'),function(r){return r.getBBox();});"
		"var bad=[];boxes.forEach(function(b,i){if(b.x<0||b.y<0||b.x+b.width>vb.width||"
		"b.y+b.height>vb.height)bad.push('outside '+i);for(var j=0;j<i;j++){var c=boxes[j];"
		"if(b.x<c.x+c.width&&c.x<b.x+b.width&&b.y<c.y+c.height&&c.y<b.y+b.height)"
		"bad.push('overlap '+i+' '+j);}});"
		"var edges=svg.querySelectorAll('g.edge').length;"
		"document.getElementById('layout-check').textContent=(bad.length?'bad: "
		"'+bad.slice(0,5).join(', '):"
		"'ok')+' nodes='+boxes.length+' edges='+edges;})();\n</script>\n</body></html>\n");
}
