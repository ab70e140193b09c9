/* Fixes: the hardened file, written by editing the original text at the
 * positions the reader recorded — never by re-serialising the tree — so
 * comments, key order, quoting and blank lines stay as they were.
 *
 * A rule with a fix names where its setting lives (the container, the pod
 * spec, the compose service), the dotted path and the value. The edit is:
 *   - the path exists with a scalar or flow value: replace that value;
 *   - it does not: add the missing keys under the deepest existing mapping,
 *     as block lines indented like its keys (or inside a flow mapping's
 *     braces).
 * A round runs the checks, collects one edit per finding, applies those that
 * do not touch each other and parses the result again; a finding whose edit
 * clashed (two keys added under the same new securityContext) is fixed in
 * the next round, where the parent exists. Fixing a fixed file changes
 * nothing.
 */
#include <sys/stat.h>

#include "rules-int.h"

#define MAX_ROUNDS 24

struct iac_edit {
	size_t start, end; /* bytes of the original text replaced */
	char *text;	   /* heap */
};

struct iac_fixes {
	const char *path; /* the file being fixed */
	const char *text;
	struct iac_edit *edits;
	size_t n, cap;
	size_t unfixable;
};

void iac_fixes_bind(struct iac_fixes *fx, const char *text)
{
	fx->text = text;
}

static void add_edit(struct iac_fixes *fx, size_t start, size_t end, char *text)
{
	IAC_GROW(fx->edits, fx->n, fx->cap);
	fx->edits[fx->n++] = (struct iac_edit){start, end, text};
}

/* The byte just past the last scalar or closing bracket written under n
 * (entries merged in through "<<" and aliased values live elsewhere: the
 * line of their key is what counts). */
static size_t subtree_end(const struct bw_yaml_node *n)
{
	for (int guard = 0; guard < 256; guard++) {
		if (n->kind == BW_YAML_SCALAR || n->style == BW_YAML_FLOW || !n->n)
			return n->end;
		if (n->kind == BW_YAML_SEQ) {
			const struct bw_yaml_node *it = n->items[n->n - 1];
			if (it->start < n->start)
				return n->end;
			n = it;
			continue;
		}
		size_t i = n->n;
		while (i > 0 && n->pairs[i - 1].merged)
			i--;
		if (!i)
			return n->start;
		const struct bw_yaml_pair *p = &n->pairs[i - 1];
		if (p->value->start < p->key->start || p->value->file != p->key->file)
			return p->key->end;
		n = p->value;
	}
	return n->end;
}

/* After the line that holds byte off (just past its newline). */
static size_t line_after(const char *text, size_t len, size_t off)
{
	if (off > 0 && text[off - 1] == '\n')
		return off;
	while (off < len && text[off] != '\n')
		off++;
	return off < len ? off + 1 : off;
}

/* path[from..] as nested block lines at indent, ending in value. */
static void block_lines(struct bw_buf *b, char **parts, size_t n, int indent, const char *value)
{
	for (size_t i = 0; i < n; i++) {
		bw_buf_printf(b, "%*s%s:", indent + (int)i * 2, "", parts[i]);
		bw_buf_addstr(b, i + 1 == n ? " " : "\n");
	}
	bw_buf_printf(b, "%s\n", value);
}

static void flow_text(struct bw_buf *b, char **parts, size_t n, const char *value)
{
	for (size_t i = 0; i < n; i++)
		bw_buf_printf(b, "%s%s: ", i ? "{" : "", parts[i]);
	bw_buf_addstr(b, value);
	for (size_t i = 1; i < n; i++)
		bw_buf_addstr(b, "}");
}

/* Set dotted path under map to value (YAML text). */
static void set_path(struct iac_fixes *fx, const struct bw_yaml_node *map, const char *dotted,
		     const char *value)
{
	if (!map || map->kind != BW_YAML_MAP || map->file->text != fx->text) {
		fx->unfixable++;
		return;
	}
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", dotted);
	char *parts[16];
	size_t np = 0;
	for (char *s = buf; s && np < 16;) {
		parts[np++] = s;
		s = strchr(s, '.');
		if (s)
			*s++ = 0;
	}
	const struct bw_yaml_node *m = map;
	size_t i = 0;
	for (; i < np; i++) {
		const struct bw_yaml_pair *p = bw_yaml_pair_of(m, parts[i]);
		if (!p)
			break;
		if (i + 1 == np) {
			const struct bw_yaml_node *v = p->value;
			if (p->merged || v->file->text != fx->text ||
			    (v->kind != BW_YAML_SCALAR && v->style != BW_YAML_FLOW)) {
				fx->unfixable++;
				return;
			}
			if (v->kind == BW_YAML_SCALAR && v->len == strlen(value) &&
			    !memcmp(v->str, value, v->len))
				return;
			size_t end = v->end;
			if (v->kind == BW_YAML_SCALAR && !v->len && v->style == BW_YAML_PLAIN)
				end = v->start; /* "key:" with nothing after it */
			add_edit(fx, v->start, end, bw_strdup(value));
			if (end == v->start && v->start > 0 && fx->text[v->start - 1] == ':') {
				char *t = bw_asprintf(" %s", value);
				free(fx->edits[fx->n - 1].text);
				fx->edits[fx->n - 1].text = t;
			}
			return;
		}
		if (p->value->kind != BW_YAML_MAP || p->merged || p->value->file->text != fx->text) {
			fx->unfixable++;
			return;
		}
		m = p->value;
	}
	struct bw_buf b;
	bw_buf_init(&b, 1 << 16);
	if (m->style == BW_YAML_FLOW) {
		/* inside the braces: before the closing one */
		size_t close = m->end;
		while (close > m->start && fx->text[close - 1] != '}')
			close--;
		if (close <= m->start) {
			bw_buf_release(&b);
			fx->unfixable++;
			return;
		}
		bw_buf_addstr(&b, m->n ? ", " : "");
		flow_text(&b, parts + i, np - i, value);
		add_edit(fx, close - 1, close - 1, bw_buf_detach(&b, NULL));
		return;
	}
	size_t at = line_after(fx->text, strlen(fx->text), subtree_end(m));
	if (at > 0 && fx->text[at - 1] != '\n')
		bw_buf_addstr(&b, "\n");
	int indent = m->n ? m->pairs[0].key->column - 1 : m->column - 1;
	block_lines(&b, parts + i, np - i, indent, value);
	add_edit(fx, at, at, bw_buf_detach(&b, NULL));
}

/* The container map of c's object that holds byte off. */
static const struct bw_yaml_node *container_at(const struct iac_ctx *c, size_t off)
{
	for (size_t i = 0; i < c->obj->n_ctr; i++) {
		const struct bw_yaml_node *n = c->obj->ctr[i].node;
		if (n->file->text == c->fix->text && off >= n->start && off < subtree_end(n) + 1)
			return n;
	}
	return NULL;
}

static void fix_port(struct iac_fixes *fx, const struct bw_yaml_node *item)
{
	if (item->file->text != fx->text) {
		fx->unfixable++;
		return;
	}
	if (item->kind == BW_YAML_MAP) {
		set_path(fx, item, "host_ip", "127.0.0.1");
		return;
	}
	struct iac_port pt;
	if (item->kind != BW_YAML_SCALAR || iac_compose_port(item, &pt) || pt.host_ip[0]) {
		fx->unfixable++;
		return;
	}
	char *t = bw_asprintf("\"127.0.0.1:%s%s\"", strchr(item->str, ':') ? "" : ":", item->str);
	add_edit(fx, item->start, item->end, t);
}

static void fix_no_new_privileges(struct iac_fixes *fx, const struct iac_ctx *c)
{
	const struct bw_yaml_pair *p = bw_yaml_pair_of(c->svc->node, "security_opt");
	if (!p) {
		set_path(fx, c->svc->node, "security_opt", "[\"no-new-privileges:true\"]");
		return;
	}
	const struct bw_yaml_node *v = p->value;
	if (v->kind != BW_YAML_SEQ || v->file->text != fx->text || p->merged) {
		fx->unfixable++;
		return;
	}
	if (v->style == BW_YAML_FLOW) {
		size_t close = v->end;
		while (close > v->start && fx->text[close - 1] != ']')
			close--;
		if (close > v->start)
			add_edit(
			    fx, close - 1, close - 1,
			    bw_strdup(v->n ? ", \"no-new-privileges:true\"" : "\"no-new-privileges:true\""));
		return;
	}
	const struct bw_yaml_node *last = v->items[v->n - 1];
	size_t at = line_after(fx->text, strlen(fx->text), subtree_end(last));
	int indent = v->items[0]->column - 3;
	add_edit(fx, at, at,
		 bw_asprintf("%s%*s- \"no-new-privileges:true\"\n", fx->text[at - 1] == '\n' ? "" : "\n",
			     indent < 0 ? 0 : indent, ""));
}

void iac_fix_collect(struct iac_ctx *c, const struct iac_rule *r, const struct bw_yaml_node *at,
		     const char *evidence)
{
	struct iac_fixes *fx = c->fix;
	if (!at || at->file->text != fx->text)
		return;
	const char *path = r->fix_path, *value = r->fix_value;
	const struct bw_yaml_node *vnode = NULL;
	if (!strcmp(r->id, "BW-BASE-005")) {
		if (!iac_baseline_required_at(c->cfg->baseline, evidence, &path, &vnode))
			return;
		value = vnode->str;
	}
	if (!strcmp(r->id, "BW-COMPOSE-019")) {
		fix_port(fx, at);
		return;
	}
	if (!strcmp(r->id, "BW-COMPOSE-017")) {
		fix_no_new_privileges(fx, c);
		return;
	}
	if (!path)
		return;
	const struct bw_yaml_node *map = NULL;
	if (c->svc) {
		map = c->svc->node;
	} else if (c->obj) {
		/* the container holding the key, else the pod spec */
		map = r->fix_scope == IAC_FIX_POD ? NULL : container_at(c, at->start);
		if (!map)
			map = c->obj->pod;
	}
	set_path(fx, map, path, value);
}

static int cmp_edit(const void *a, const void *b)
{
	const struct iac_edit *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

int bw_iac_fix_text(const char *path, const char *text, size_t len, const struct bw_iac_config *cfg,
		    char **out, size_t *out_len, size_t *fixed, struct bw_error *err)
{
	char *cur = bw_strndup(text, len);
	size_t cur_len = len, applied_total = 0;
	*out = NULL;
	for (int round = 0; round < MAX_ROUNDS; round++) {
		struct iac_fixes fx = {.path = path};
		struct bw_report *r = bw_report_new("config", path);
		int rc = iac_check_text_fix(r, path, cur, cur_len, cfg, &fx, err);
		bw_report_free(r);
		if (rc) {
			for (size_t i = 0; i < fx.n; i++)
				free(fx.edits[i].text);
			free(fx.edits);
			free(cur);
			return rc;
		}
		if (!fx.n) {
			free(fx.edits);
			break;
		}
		qsort(fx.edits, fx.n, sizeof(*fx.edits), cmp_edit);
		struct bw_buf b;
		bw_buf_init(&b, (64u << 20) + 4096);
		size_t pos = 0, applied = 0;
		for (size_t i = 0; i < fx.n; i++) {
			struct iac_edit *e = &fx.edits[i];
			/* one edit per place a round: the others wait for the next */
			if (e->start < pos ||
			    (applied && e->start == pos && i && fx.edits[i - 1].start == e->start)) {
				free(e->text);
				continue;
			}
			bw_buf_add(&b, cur + pos, e->start - pos);
			bw_buf_addstr(&b, e->text);
			pos = e->end;
			applied++;
			free(e->text);
		}
		bw_buf_add(&b, cur + pos, cur_len - pos);
		free(fx.edits);
		free(cur);
		cur_len = b.len;
		cur = bw_buf_detach(&b, NULL);
		applied_total += applied;
		if (!applied)
			break;
	}
	*out = cur;
	*out_len = cur_len;
	if (fixed)
		*fixed = applied_total;
	return 0;
}

/* ---- unified diff -------------------------------------------------------- */

struct line {
	const char *p;
	size_t n; /* with its newline */
};

static size_t split_lines(const char *s, size_t len, struct line **out)
{
	size_t n = 0, cap = 0;
	struct line *v = NULL;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) + 1 : len;
		IAC_GROW(v, n, cap);
		v[n++] = (struct line){s + i, e - i};
		i = e;
	}
	*out = v;
	return n;
}

static bool line_eq(const struct line *a, const struct line *b)
{
	return a->n == b->n && !memcmp(a->p, b->p, a->n);
}

/* Myers' O(ND) diff: ops[k] is '=', '-' or '+' for the edit script. */
static int myers(const struct line *a, size_t n, const struct line *b, size_t m, char **ops_out, size_t *nops)
{
	size_t max = n + m;
	if (max > 4000000)
		return BW_ELIMIT;
	size_t w = 2 * max + 1;
	long *v = bw_calloc(w, sizeof(long));
	long **trace = NULL;
	size_t nt = 0, ct = 0;
	long d_end = -1;
	for (long d = 0; d <= (long)max && d_end < 0; d++) {
		IAC_GROW(trace, nt, ct);
		trace[nt] = bw_malloc(w * sizeof(long));
		memcpy(trace[nt++], v, w * sizeof(long));
		if (nt > 2000) /* a different file, not an edited one: give up on a small script */
			break;
		for (long k = -d; k <= d; k += 2) {
			long x;
			if (k == -d || (k != d && v[max + k - 1] < v[max + k + 1]))
				x = v[max + k + 1];
			else
				x = v[max + k - 1] + 1;
			long y = x - k;
			while (x < (long)n && y < (long)m && line_eq(&a[x], &b[y]))
				x++, y++;
			v[max + k] = x;
			if (x >= (long)n && y >= (long)m) {
				d_end = d;
				break;
			}
		}
	}
	int rc = 0;
	if (d_end < 0) {
		rc = BW_ELIMIT;
	} else {
		char *ops = bw_malloc(n + m + 1);
		size_t no = 0;
		long x = (long)n, y = (long)m;
		for (long d = d_end; d > 0; d--) {
			long *pv = trace[d];
			long k = x - y;
			long pk = (k == -d || (k != d && pv[max + k - 1] < pv[max + k + 1])) ? k + 1 : k - 1;
			long px = pv[max + pk], py = px - pk;
			while (x > px && y > py)
				ops[no++] = '=', x--, y--;
			if (x == px)
				ops[no++] = '+', y--;
			else
				ops[no++] = '-', x--;
		}
		while (x > 0 && y > 0)
			ops[no++] = '=', x--, y--;
		for (size_t i = 0; i < no / 2; i++) {
			char t = ops[i];
			ops[i] = ops[no - 1 - i];
			ops[no - 1 - i] = t;
		}
		*ops_out = ops;
		*nops = no;
	}
	for (size_t i = 0; i < nt; i++)
		free(trace[i]);
	free(trace);
	free(v);
	return rc;
}

static void put_line(struct bw_buf *out, char tag, const struct line *l)
{
	bw_buf_add(out, &tag, 1);
	bw_buf_add(out, l->p, l->n);
	if (!l->n || l->p[l->n - 1] != '\n')
		bw_buf_addstr(out, "\n\\ No newline at end of file\n");
}

int bw_iac_unified_diff(const char *name, const char *a, size_t alen, const char *b, size_t blen,
			struct bw_buf *out, struct bw_error *err)
{
	struct line *la, *lb;
	size_t n = split_lines(a, alen, &la), m = split_lines(b, blen, &lb);
	char *ops = NULL;
	size_t no = 0;
	int rc = myers(la, n, lb, m, &ops, &no);
	if (rc) {
		free(la);
		free(lb);
		return bw_error_set(err, rc, "%s: too many changes for a diff", name);
	}
	bool any = false;
	for (size_t i = 0; i < no && !any; i++)
		any = ops[i] != '=';
	if (any)
		bw_buf_printf(out, "--- a/%s\n+++ b/%s\n", name, name);
	enum { CTX = 3 };
	size_t i = 0, ai = 0, bi = 0;
	while (i < no) {
		if (ops[i] == '=') {
			i++, ai++, bi++;
			continue;
		}
		/* a hunk: back up CTX lines, run until CTX*2 equal lines in a row */
		size_t back = 0;
		while (back < CTX && back < i && ops[i - back - 1] == '=')
			back++;
		size_t hs = i - back, has = ai - back, hbs = bi - back;
		size_t j = i, eq = 0, last = i;
		while (j < no) {
			if (ops[j] == '=') {
				if (++eq > 2 * CTX)
					break;
			} else {
				eq = 0;
				last = j;
			}
			j++;
		}
		size_t he = last + 1;
		size_t tail = 0;
		while (tail < CTX && he + tail < no && ops[he + tail] == '=')
			tail++;
		he += tail;
		size_t na = 0, nb = 0;
		for (size_t k = hs; k < he; k++) {
			na += ops[k] != '+';
			nb += ops[k] != '-';
		}
		bw_buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", na ? has + 1 : has, na, nb ? hbs + 1 : hbs,
			      nb);
		size_t x = has, y = hbs;
		for (size_t k = hs; k < he; k++) {
			if (ops[k] == '=') {
				put_line(out, ' ', &la[x]);
				x++, y++;
			} else if (ops[k] == '-') {
				put_line(out, '-', &la[x++]);
			} else {
				put_line(out, '+', &lb[y++]);
			}
		}
		ai = x, bi = y, i = he;
	}
	free(ops);
	free(la);
	free(lb);
	return 0;
}

/* ---- files --------------------------------------------------------------- */

struct fix_walk {
	const struct bw_iac_config *cfg;
	struct bw_buf *diff; /* NULL: write the files */
	size_t files, edits;
	bool walked;
};

/* Replace path's bytes with data (a temporary file renamed over it, mode kept). */
static int write_over(const char *path, const char *data, size_t len, struct bw_error *err)
{
	struct stat sb;
	if (stat(path, &sb))
		return bw_error_sys(err, BW_EIO, "%s", path);
	bw_autofree char *tmp = bw_asprintf("%s.bulwark-fix.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return bw_error_sys(err, BW_EIO, "%s: cannot write beside it", path);
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w <= 0) {
			close(fd);
			unlink(tmp);
			return bw_error_sys(err, BW_EIO, "%s: write", tmp);
		}
		off += (size_t)w;
	}
	if (fchmod(fd, sb.st_mode & 07777) || fsync(fd) || close(fd) || rename(tmp, path)) {
		unlink(tmp);
		return bw_error_sys(err, BW_EIO, "%s: cannot replace it", path);
	}
	return 0;
}

static int fix_file(void *ud, const char *path, struct bw_error *err)
{
	struct fix_walk *w = ud;
	struct bw_buf b;
	bw_buf_init(&b, 64u << 20);
	int rc = bw_buf_read_file(&b, path, err);
	char *out = NULL;
	size_t out_len = 0, n = 0;
	if (!rc)
		rc = bw_iac_fix_text(path, b.data ? b.data : "", b.len, w->cfg, &out, &out_len, &n, err);
	if (rc && w->walked) {
		/* a file of a directory that does not parse is reported by the check */
		bw_error_clear(err);
		rc = 0;
	} else if (!rc && n && (out_len != b.len || memcmp(out, b.data, b.len))) {
		w->files++;
		w->edits += n;
		rc = w->diff ? bw_iac_unified_diff(path, b.data, b.len, out, out_len, w->diff, err)
			     : write_over(path, out, out_len, err);
	}
	free(out);
	bw_buf_release(&b);
	return rc;
}

int bw_iac_fix_path(const char *path, const struct bw_iac_config *cfg, struct bw_buf *diff, size_t *files,
		    size_t *edits, struct bw_error *err)
{
	struct fix_walk w = {.cfg = cfg, .diff = diff};
	struct stat sb;
	if (stat(path, &sb))
		return bw_error_sys(err, BW_EIO, "%s", path);
	size_t seen = 0;
	int rc;
	if (S_ISDIR(sb.st_mode)) {
		w.walked = true;
		rc = iac_walk(path, 0, fix_file, &w, &seen, err);
	} else {
		rc = fix_file(&w, path, err);
	}
	*files += w.files;
	*edits += w.edits;
	return rc;
}
