/* The Dockerfile reader, faithful to BuildKit's frontend/dockerfile/parser:
 *
 * - Parser directives (`# syntax=`, `# escape=`, `# check=`) are comment
 *   lines `# key=value` at the very top; the first line that is not one
 *   (a blank line, another comment, an instruction, an unknown key) ends
 *   them. A directive given twice, or an escape other than \ or `, is an
 *   error of the whole file.
 * - An instruction is a first line (leading white space dropped) plus
 *   continuation lines: a line continues when it ends with the escape
 *   character (not itself escaped), optionally followed by blanks. The
 *   escape and the blanks after it are dropped and the next line is
 *   appended as is, without a separator and with its leading white space.
 *   Comment lines and empty lines inside a continuation are skipped (the
 *   latter with BuildKit's "empty continuation line" warning).
 * - RUN, COPY and ADD (also as ONBUILD triggers) may carry heredocs: every
 *   word of the logical line of the form [n]<<[-]WORD opens one; their
 *   bodies follow the instruction, in order, each up to a line equal to
 *   WORD (leading tabs ignored for <<-). A body without its terminator is
 *   an error of the whole file ("unterminated heredoc").
 * - A leading UTF-8 byte-order mark is ignored; CR before LF is dropped.
 *
 * Position bookkeeping: every instruction keeps segments mapping offsets of
 * its logical text back to physical lines, so findings point at the exact
 * line and column of the word they are about.
 */
#include <time.h>

#include "lint-int.h"

struct reader {
	struct df_file *f;
	const char *data;
	size_t len, pos;
	int line; /* number of the last line read */
	bool directives_done;
	bool seen_syntax, seen_escape, seen_check;
	struct bw_buf buf; /* logical line being assembled */
	struct df_segment *segs;
	size_t n_segs, cap_segs;
	struct df_instr *instrs;
	size_t n_instrs, cap_instrs;
	struct df_ignore *ignores;
	size_t n_ignores, cap_ignores;
	int pending_ignore; /* pragma waiting for the next instruction */
	int *empties;
	size_t n_empties, cap_empties;
};

struct pline {
	const char *s; /* content without the line ending */
	size_t n;
	const char *bol;
};

static bool next_line(struct reader *r, struct pline *l)
{
	if (r->pos >= r->len)
		return false;
	const char *start = r->data + r->pos;
	size_t rest = r->len - r->pos;
	const char *nl = memchr(start, '\n', rest);
	size_t n = nl ? (size_t)(nl - start) : rest;
	r->pos += n + (nl ? 1 : 0);
	if (n && start[n - 1] == '\r')
		n--;
	r->line++;
	l->s = start;
	l->n = n;
	l->bol = start;
	if (r->line == 1 && n >= 3 && memcmp(start, "\xEF\xBB\xBF", 3) == 0) {
		l->s += 3;
		l->n -= 3;
	}
	return true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static void ltrim(struct pline *l)
{
	while (l->n && (is_space(l->s[0]) || l->s[0] == '\n')) {
		l->s++;
		l->n--;
	}
}

static bool is_comment(const struct pline *l)
{
	size_t i = 0;
	while (i < l->n && is_space(l->s[i]))
		i++;
	return i < l->n && l->s[i] == '#';
}

static bool is_blank(const struct pline *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!is_space(l->s[i]))
			return false;
	return true;
}

/* BuildKit's `([^E])E[ \t]*$|^E[ \t]*$`: strip a continuation, return true
 * when the line continues. */
static bool trim_continuation(struct pline *l, char esc)
{
	size_t m = l->n;
	while (m && (l->s[m - 1] == ' ' || l->s[m - 1] == '\t'))
		m--;
	if (m == 0 || l->s[m - 1] != esc)
		return false;
	if (m >= 2 && l->s[m - 2] == esc)
		return false;
	l->n = m - 1;
	return true;
}

/* Directive lines: `#` blanks key blanks `=` blanks value. Returns 1 when the
 * line was a directive, 0 when it was not (and directives are over), or a
 * negative error. */
static int directive(struct reader *r, const struct pline *l, struct bw_error *err)
{
	if (r->directives_done)
		return 0;
	size_t i = 0;
	while (i < l->n && is_space(l->s[i]))
		i++;
	if (i >= l->n || l->s[i] != '#')
		goto over;
	i++;
	while (i < l->n && is_space(l->s[i]))
		i++;
	size_t k0 = i;
	if (i >= l->n || !bw_isalpha(l->s[i]))
		goto over;
	while (i < l->n && bw_isalnum(l->s[i]))
		i++;
	size_t k1 = i;
	while (i < l->n && is_space(l->s[i]))
		i++;
	if (i >= l->n || l->s[i] != '=')
		goto over;
	i++;
	while (i < l->n && is_space(l->s[i]))
		i++;
	size_t v0 = i, v1 = l->n;
	while (v1 > v0 && is_space(l->s[v1 - 1]))
		v1--;
	if (v1 == v0)
		goto over;
	char key[16];
	size_t kl = k1 - k0;
	if (kl >= sizeof(key))
		goto over;
	for (size_t j = 0; j < kl; j++)
		key[j] = (char)bw_tolower(l->s[k0 + j]);
	key[kl] = 0;
	bool *seen;
	const char **slot;
	if (strcmp(key, "syntax") == 0) {
		seen = &r->seen_syntax;
		slot = &r->f->syntax;
	} else if (strcmp(key, "escape") == 0) {
		seen = &r->seen_escape;
		slot = NULL;
	} else if (strcmp(key, "check") == 0) {
		seen = &r->seen_check;
		slot = &r->f->check;
	} else {
		goto over;
	}
	if (*seen)
		return bw_error_set(err, BW_EINPUT, "%s:%d:1: only one %s parser directive can be used",
				    r->f->path, r->line, key);
	*seen = true;
	const char *v = bw_arena_strndup(&r->f->arena, l->s + v0, v1 - v0);
	if (slot) {
		*slot = v;
	} else {
		if (strcmp(v, "\\") != 0 && strcmp(v, "`") != 0)
			return bw_error_set(err, BW_EINPUT,
					    "%s:%d:%zu: invalid escape token '%s' does not match ` or \\",
					    r->f->path, r->line, v0 + 1, v);
		r->f->escape = v[0];
	}
	return 1;
over:
	r->directives_done = true;
	return 0;
}

/* The ignore entry of the next instruction, made on its first pragma. */
static struct df_ignore *pending_ignore(struct reader *r, const struct pline *l, bool global)
{
	struct df_ignore *ig;
	if (!global && r->pending_ignore >= 0)
		return &r->ignores[r->pending_ignore];
	BW_ALLOC_GROW(r->ignores, r->n_ignores + 1, r->cap_ignores);
	ig = &r->ignores[r->n_ignores];
	memset(ig, 0, sizeof(*ig));
	ig->line = r->line;
	ig->global = global;
	ig->text = bw_arena_strndup(&r->f->arena, l->s, l->n);
	if (!global)
		r->pending_ignore = (int)r->n_ignores;
	r->n_ignores++;
	return ig;
}

static void ignore_add_id(struct reader *r, struct df_ignore *ig, const char *w, size_t n)
{
	const char **na = bw_arena_alloc(&r->f->arena, (ig->n_ids + 1) * sizeof(*na));
	if (ig->n_ids)
		memcpy(na, ig->ids, ig->n_ids * sizeof(*na));
	na[ig->n_ids++] = bw_arena_strndup(&r->f->arena, w, n);
	ig->ids = na;
}

/* Trivy's `#trivy:ignore:ID` (optionally `:exp:YYYY-MM-DD`, after which it
 * no longer ignores), on a line of its own before the instruction; several
 * such lines add up. Returns true when the comment was one. */
static bool trivy_pragma(struct reader *r, const struct pline *l, const char *s, const char *e)
{
	if ((size_t)(e - s) < 14 || bw_strncasecmp(s, "trivy:ignore:", 13) != 0)
		return false;
	s += 13;
	const char *w = s;
	while (s < e && !is_space(*s) && *s != ':')
		s++;
	if (s == w)
		return true;
	size_t n = (size_t)(s - w);
	if ((size_t)(e - s) >= 15 && bw_strncasecmp(s, ":exp:", 5) == 0) {
		int y = 0, m = 0, d = 0;
		if (sscanf(s + 5, "%4d-%2d-%2d", &y, &m, &d) == 3) {
			time_t now = time(NULL);
			struct tm tm;
			gmtime_r(&now, &tm);
			long today = (tm.tm_year + 1900L) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
			if (today >= (long)y * 10000 + m * 100 + d)
				return true; /* expired: ignores nothing */
		}
	}
	ignore_add_id(r, pending_ignore(r, l, false), w, n);
	return true;
}

/* `# bulwark ignore=A,B`, `# hadolint ignore=A`, `# hadolint global ignore=A`,
 * `#trivy:ignore:A` */
static void pragma(struct reader *r, const struct pline *l)
{
	const char *s = l->s, *e = l->s + l->n;
	while (s < e && is_space(*s))
		s++;
	if (s < e && *s == '#')
		s++;
	while (s < e && is_space(*s))
		s++;
	if (trivy_pragma(r, l, s, e))
		return;
	size_t tl;
	if ((size_t)(e - s) > 8 && bw_strncasecmp(s, "bulwark", 7) == 0 && is_space(s[7]))
		tl = 7;
	else if ((size_t)(e - s) > 9 && bw_strncasecmp(s, "hadolint", 8) == 0 && is_space(s[8]))
		tl = 8;
	else
		return;
	s += tl;
	while (s < e && is_space(*s))
		s++;
	bool global = false;
	if ((size_t)(e - s) > 7 && bw_strncasecmp(s, "global", 6) == 0 && is_space(s[6])) {
		global = true;
		s += 6;
		while (s < e && is_space(*s))
			s++;
	}
	if ((size_t)(e - s) < 7 || bw_strncasecmp(s, "ignore=", 7) != 0)
		return;
	s += 7;
	struct df_ignore *ig = pending_ignore(r, l, global);
	size_t cap = ig->n_ids;
	while (s < e) {
		while (s < e && (is_space(*s) || *s == ','))
			s++;
		const char *w = s;
		while (s < e && !is_space(*s) && *s != ',')
			s++;
		if (s == w)
			break;
		BW_ARENA_GROW(&r->f->arena, ig->ids, ig->n_ids + 1, ig->n_ids, cap);
		ig->ids[ig->n_ids++] = bw_arena_strndup(&r->f->arena, w, (size_t)(s - w));
		/* hadolint stops at the first blank after the list */
		if (s < e && is_space(*s))
			break;
	}
}

static int append(struct reader *r, const struct pline *l, struct bw_error *err)
{
	BW_ALLOC_GROW(r->segs, r->n_segs + 1, r->cap_segs);
	r->segs[r->n_segs++] = (struct df_segment){r->buf.len, r->line, l->s, l->bol};
	if (bw_buf_add(&r->buf, l->s, l->n) < 0)
		return bw_error_set(err, BW_ELIMIT, "%s:%d:1: instruction longer than %zu bytes", r->f->path,
				    r->line, r->buf.max);
	return 0;
}

static int utf8_cols(const char *s, size_t n)
{
	int c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* Words of a logical line the way BuildKit's heredoc detection sees them:
 * blanks separate, quotes and backslash escapes are kept raw. */
static void find_heredocs(struct reader *r, struct df_instr *in, struct bw_error *err, int *rc)
{
	const char *s = in->text, *e = in->text + in->text_len;
	size_t cap = 0;
	*rc = 0;
	while (s < e) {
		while (s < e && is_space(*s))
			s++;
		const char *w = s;
		char q = 0;
		while (s < e) {
			char ch = *s;
			if (q) {
				if (ch == q)
					q = 0;
				else if (ch == '\\' && q == '"' && s + 1 < e)
					s++;
			} else if (ch == '\'' || ch == '"') {
				q = ch;
			} else if (ch == '\\' && s + 1 < e) {
				s++;
			} else if (is_space(ch)) {
				break;
			}
			s++;
		}
		if (s == w)
			break;
		/* ^(\d*)<<(-?)([^<]*)$ */
		const char *p = w;
		int fd = 0;
		while (p < s && bw_isdigit(*p)) {
			if (fd < 100000)
				fd = fd * 10 + (*p - '0');
			p++;
		}
		if (s - p < 3 || p[0] != '<' || p[1] != '<')
			continue;
		p += 2;
		bool chomp = false;
		if (p < s && *p == '-') {
			chomp = true;
			p++;
		}
		if (p >= s || memchr(p, '<', (size_t)(s - p)))
			continue;
		/* unquote the delimiter word */
		struct bw_buf nb;
		bw_buf_init(&nb, 4096);
		bool quoted = false;
		char qq = 0;
		for (const char *t = p; t < s; t++) {
			if (qq) {
				if (*t == qq) {
					qq = 0;
					continue;
				}
			} else if (*t == '\'' || *t == '"') {
				qq = *t;
				quoted = true;
				continue;
			} else if (*t == '\\' && t + 1 < s) {
				t++;
				quoted = true;
			}
			if (bw_buf_add(&nb, t, 1) < 0)
				break;
		}
		if (nb.len == 0 || qq) {
			bw_buf_release(&nb);
			continue;
		}
		BW_ARENA_GROW(&r->f->arena, in->heredocs, in->n_heredocs + 1, in->n_heredocs, cap);
		struct df_heredoc *h = &in->heredocs[in->n_heredocs++];
		h->name = bw_arena_strndup(&r->f->arena, nb.data, nb.len);
		h->chomp = chomp;
		h->quoted = quoted;
		h->fd = fd;
		bw_buf_release(&nb);
	}
	/* bodies, in order */
	for (size_t i = 0; i < in->n_heredocs; i++) {
		struct df_heredoc *h = &in->heredocs[i];
		size_t hl = strlen(h->name);
		size_t start = r->pos;
		h->first_line = r->line + 1;
		struct pline l;
		bool done = false;
		while (next_line(r, &l)) {
			const char *t = l.s;
			size_t n = l.n;
			if (h->chomp)
				while (n && *t == '\t') {
					t++;
					n--;
				}
			if (n == hl && memcmp(t, h->name, hl) == 0) {
				size_t end = (size_t)(l.bol - r->data);
				h->content = bw_arena_strndup(&r->f->arena, r->data + start, end - start);
				h->len = end - start;
				in->end_line = r->line;
				in->end_col = l.n ? utf8_cols(l.bol, (size_t)(l.s - l.bol) + l.n) : 1;
				done = true;
				break;
			}
		}
		if (!done) {
			*rc = bw_error_set(
			    err, BW_EINPUT,
			    "%s:%d:%d: unterminated heredoc <<%s (no line '%s' before the end of the file)",
			    r->f->path, in->line, in->col, h->name, h->name);
			return;
		}
	}
}

static bool can_heredoc(enum df_kind k)
{
	return k == DF_RUN || k == DF_COPY || k == DF_ADD;
}

/* Defined in instr.c */
void df_parse_instruction(struct df_file *f, struct df_instr *in, size_t kw_off);

static int read_instruction(struct reader *r, struct pline *first, struct bw_error *err)
{
	bw_buf_reset(&r->buf);
	r->n_segs = 0;
	struct pline l = *first;
	ltrim(&l);
	int start_line = r->line;
	int start_col = utf8_cols(l.bol, (size_t)(l.s - l.bol)) + 1;
	bool cont = trim_continuation(&l, r->f->escape);
	int rc = append(r, &l, err);
	if (rc)
		return rc;
	int last_line = r->line;
	struct pline last = l;
	size_t last_full = first->n + (size_t)(first->s - first->bol);
	bool empty_cont = false;
	while (cont) {
		struct pline n;
		if (!next_line(r, &n))
			break;
		if (is_comment(&n))
			continue;
		if (is_blank(&n)) {
			empty_cont = true;
			continue;
		}
		last_full = n.n + (size_t)(n.s - n.bol);
		cont = trim_continuation(&n, r->f->escape);
		if ((rc = append(r, &n, err)))
			return rc;
		last_line = r->line;
		last = n;
	}
	(void)last;
	if (empty_cont) {
		BW_ALLOC_GROW(r->empties, r->n_empties + 1, r->cap_empties);
		r->empties[r->n_empties++] = start_line;
	}

	if (r->n_instrs >= DF_MAX_INSTRUCTIONS)
		return bw_error_set(err, BW_ELIMIT, "%s:%d:%d: more than %d instructions", r->f->path,
				    start_line, start_col, DF_MAX_INSTRUCTIONS);
	BW_ALLOC_GROW(r->instrs, r->n_instrs + 1, r->cap_instrs);
	struct df_instr *in = &r->instrs[r->n_instrs];
	memset(in, 0, sizeof(*in));
	in->line = start_line;
	in->col = start_col;
	in->end_line = last_line;
	{
		/* column of the last byte of the last physical line */
		const char *bol = r->segs[r->n_segs - 1].bol;
		int c = utf8_cols(bol, last_full);
		in->end_col = c ? c : 1;
	}
	in->text = bw_arena_strndup(&r->f->arena, r->buf.data, r->buf.len);
	in->text_len = r->buf.len;
	in->segs = bw_arena_alloc(&r->f->arena, r->n_segs * sizeof(*in->segs));
	memcpy(in->segs, r->segs, r->n_segs * sizeof(*in->segs));
	in->n_segs = r->n_segs;
	in->ignore = r->pending_ignore;
	r->pending_ignore = -1;
	in->stage = -1;
	df_parse_instruction(r->f, in, 0);
	bool hd = can_heredoc(in->kind) || (in->kind == DF_ONBUILD && in->sub && can_heredoc(in->sub->kind));
	if (hd && memmem(in->text, in->text_len, "<<", 2)) {
		find_heredocs(r, in, err, &rc);
		if (rc)
			return rc;
		if (in->kind == DF_ONBUILD && in->sub) {
			in->sub->heredocs = in->heredocs;
			in->sub->n_heredocs = in->n_heredocs;
		}
	}
	r->n_instrs++;
	return 0;
}

/* Offset of the first NUL byte or invalid UTF-8 sequence, or len. */
static size_t utf8_first_invalid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned c = p[i];
		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		unsigned min;
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			min = 0x10000;
		} else {
			return i;
		}
		unsigned cp = c & (0x3Fu >> n);
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (p[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return len;
}

/* Defined in stages.c */
void df_build_stages(struct df_file *f);

int df_parse(const char *path, const char *data, size_t len, struct df_file **out, struct bw_error *err)
{
	*out = NULL;
	if (len > BW_LINT_MAX_FILE)
		return bw_error_set(err, BW_ELIMIT, "%s: %zu bytes is larger than the limit of %u bytes",
				    path, len, BW_LINT_MAX_FILE);
	/* binary input: a NUL byte or bytes that are not UTF-8 */
	size_t bad = utf8_first_invalid(data, len);
	if (bad < len) {
		int line = 1;
		size_t bol = 0;
		for (size_t i = 0; i < bad; i++)
			if (data[i] == '\n') {
				line++;
				bol = i + 1;
			}
		return bw_error_set(err, BW_EINPUT, "%s:%d:%zu: not a text Dockerfile (%s at byte %zu)", path,
				    line, bad - bol + 1, data[bad] ? "invalid UTF-8" : "NUL byte", bad);
	}

	struct df_file *f = bw_calloc(1, sizeof(*f));
	bw_arena_init(&f->arena);
	f->path = bw_arena_strdup(&f->arena, path);
	f->escape = '\\';
	struct reader r = {.f = f, .data = data, .len = len, .pending_ignore = -1};
	bw_buf_init(&r.buf, BW_LINT_MAX_FILE);
	int rc = 0;
	struct pline l;
	while (next_line(&r, &l)) {
		int d = directive(&r, &l, err);
		if (d < 0) {
			rc = d;
			break;
		}
		if (d > 0)
			continue;
		if (is_comment(&l)) {
			pragma(&r, &l);
			continue;
		}
		if (is_blank(&l))
			continue;
		/* a line that is nothing but the escape: BuildKit joins the next one */
		if ((rc = read_instruction(&r, &l, err)))
			break;
	}
	if (!rc && r.n_instrs == 0)
		rc = bw_error_set(err, BW_EINPUT, "%s:%d:1: file with no instructions", path,
				  r.line ? r.line : 1);
	if (rc) {
		bw_buf_release(&r.buf);
		free(r.segs);
		free(r.instrs);
		free(r.ignores);
		free(r.empties);
		df_file_free(f);
		return rc;
	}
	f->instrs = bw_arena_alloc(&f->arena, r.n_instrs * sizeof(*f->instrs));
	memcpy(f->instrs, r.instrs, r.n_instrs * sizeof(*f->instrs));
	f->n_instrs = r.n_instrs;
	for (size_t i = 0; i < f->n_instrs; i++) {
		f->instrs[i].index = (int)i;
		if (f->instrs[i].sub) {
			f->instrs[i].sub->index = (int)i;
			f->instrs[i].sub->is_trigger = true;
		}
	}
	if (r.n_ignores) {
		f->ignores = bw_arena_alloc(&f->arena, r.n_ignores * sizeof(*f->ignores));
		memcpy(f->ignores, r.ignores, r.n_ignores * sizeof(*f->ignores));
		f->n_ignores = r.n_ignores;
	}
	if (r.n_empties) {
		f->empty_continuations = bw_arena_alloc(&f->arena, r.n_empties * sizeof(int));
		memcpy(f->empty_continuations, r.empties, r.n_empties * sizeof(int));
		f->n_empty_continuations = r.n_empties;
	}
	bw_buf_release(&r.buf);
	free(r.segs);
	free(r.instrs);
	free(r.ignores);
	free(r.empties);
	df_build_stages(f);
	*out = f;
	return 0;
}

void df_file_free(struct df_file *f)
{
	if (!f)
		return;
	bw_arena_release(&f->arena);
	free(f);
}

void df_instr_pos(const struct df_instr *in, size_t off, int *line, int *col)
{
	if (!in->n_segs) {
		*line = in->line;
		*col = in->col;
		return;
	}
	size_t lo = 0, hi = in->n_segs;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (in->segs[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	const struct df_segment *s = &in->segs[lo];
	if (off < s->off)
		off = s->off;
	*line = s->line;
	size_t bytes = (size_t)(s->src - s->bol) + (off - s->off);
	*col = utf8_cols(s->bol, bytes) + 1;
}

const char *df_flag_get(const struct df_instr *in, const char *name)
{
	for (size_t i = 0; i < in->n_flags; i++)
		if (bw_strcasecmp(in->flags[i].name, name) == 0)
			return in->flags[i].value ? in->flags[i].value : "";
	return NULL;
}

bool df_flag_has(const struct df_instr *in, const char *name)
{
	return df_flag_get(in, name) != NULL;
}
