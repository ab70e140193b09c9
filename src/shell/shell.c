/* A POSIX sh parser for RUN (of a Dockerfile, or of an image's history):
 * enough of the shell grammar for rules to look at commands and their
 * arguments rather than at substrings.
 *
 * Words: blanks separate; '…' is literal; "…" allows \ escapes of $ ` " \
 * and newline; \x outside quotes is a literal x (\newline joins lines);
 * $( ), ${ }, $(( )) and ` ` nest and stay part of the word verbatim.
 * Operators: && || ; ;; & | |& ( ) newline, and redirections
 * [n]< > >> << <<- <& >& <> >| &> &>>. Reserved words (if then else elif fi
 * do done while until for case esac { } !) only shape the list: the
 * commands inside them are returned like any other. Here-document bodies
 * are skipped. Command substitutions and `sh -c '…'` scripts are parsed
 * recursively (bounded depth) and their commands appended, marked by depth.
 */
#include "shell.h"

#define SH_MAX_NEST 8

enum tok { T_EOF, T_WORD, T_OP, T_NL };

struct span {
	size_t off, len;
};

struct shp {
	struct bw_arena *a;
	const char *s;
	size_t len, pos, base;
	int nest;
	struct sh_script *out;
	/* current token */
	enum tok t;
	char op[8];
	struct sh_word w;
	struct bw_buf wb;
	/* current command */
	struct sh_cmd cur;
	size_t cap_argv, cap_assigns, cap_redirs;
	enum sh_sep sep;
	int depth;
	int case_depth;
	bool case_pattern;
	/* pending here-documents */
	struct {
		const char *delim;
		bool strip;
	} hd[8];
	int n_hd;
	struct span *subst;
	size_t n_subst, cap_subst;
	int *subst_depth;
	size_t cap_subst_depth;
};

static bool meta(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' ||
	       c == '>' || c == '(' || c == ')';
}

static void set_error(struct shp *p, const char *msg, size_t off)
{
	if (!p->out->error) {
		p->out->error = msg;
		p->out->error_off = p->base + off;
	}
}

static void add_subst(struct shp *p, size_t off, size_t len)
{
	if (p->nest + 1 >= SH_MAX_NEST)
		return;
	BW_ALLOC_GROW(p->subst, p->n_subst + 1, p->cap_subst);
	BW_ALLOC_GROW(p->subst_depth, p->n_subst + 1, p->cap_subst_depth);
	p->subst_depth[p->n_subst] = p->depth;
	p->subst[p->n_subst++] = (struct span){off, len};
}

/* Skip a balanced construct starting after its opener; returns the index
 * of the closer or len. Handles quotes and nesting. */
static size_t skip_balanced(struct shp *p, size_t i, char open, char close)
{
	int lvl = 1;
	while (i < p->len) {
		char c = p->s[i];
		if (c == '\\') {
			i += 2;
			continue;
		}
		if (c == '\'') {
			const char *q = memchr(p->s + i + 1, '\'', p->len - i - 1);
			i = q ? (size_t)(q - p->s) + 1 : p->len;
			continue;
		}
		if (c == '"' || c == '`') {
			i++;
			while (i < p->len && p->s[i] != c) {
				if (p->s[i] == '\\')
					i++;
				i++;
			}
			i++;
			continue;
		}
		if (c == open)
			lvl++;
		else if (c == close && --lvl == 0)
			return i;
		i++;
	}
	return p->len;
}

/* $… inside a word: append verbatim, note substitutions. */
static size_t dollar(struct shp *p, size_t i)
{
	/* p->s[i] == '$' */
	size_t start = i;
	if (i + 1 >= p->len)
		return i + 1;
	char n = p->s[i + 1];
	if (n == '(') {
		if (i + 2 < p->len && p->s[i + 2] == '(') { /* $(( arithmetic )) */
			size_t e = skip_balanced(p, i + 3, '(', ')');
			if (e < p->len && e + 1 < p->len && p->s[e + 1] == ')')
				e++;
			else if (e >= p->len)
				set_error(p, "unterminated $((", start);
			size_t end = e < p->len ? e + 1 : p->len;
			bw_buf_add(&p->wb, p->s + start, end - start);
			return end;
		}
		size_t e = skip_balanced(p, i + 2, '(', ')');
		if (e >= p->len)
			set_error(p, "unterminated $(", start);
		else
			add_subst(p, i + 2, e - (i + 2));
		size_t end = e < p->len ? e + 1 : p->len;
		bw_buf_add(&p->wb, p->s + start, end - start);
		return end;
	}
	if (n == '{') {
		size_t e = skip_balanced(p, i + 2, '{', '}');
		if (e >= p->len)
			set_error(p, "unterminated ${", start);
		size_t end = e < p->len ? e + 1 : p->len;
		bw_buf_add(&p->wb, p->s + start, end - start);
		return end;
	}
	bw_buf_add(&p->wb, "$", 1);
	return i + 1;
}

static size_t backtick(struct shp *p, size_t i)
{
	size_t j = i + 1;
	while (j < p->len && p->s[j] != '`') {
		if (p->s[j] == '\\')
			j++;
		j++;
	}
	if (j >= p->len) {
		set_error(p, "unterminated `", i);
		j = p->len;
	} else {
		add_subst(p, i + 1, j - i - 1);
	}
	size_t end = j < p->len ? j + 1 : p->len;
	bw_buf_add(&p->wb, p->s + i, end - i);
	return end;
}

static void read_word(struct shp *p)
{
	bw_buf_reset(&p->wb);
	size_t i = p->pos;
	unsigned flags = 0;
	p->w.off = p->base + i;
	while (i < p->len && !meta(p->s[i])) {
		char c = p->s[i];
		if (c == '\\') {
			if (i + 1 < p->len && p->s[i + 1] == '\n') {
				i += 2;
				continue;
			}
			if (i + 1 < p->len)
				bw_buf_add(&p->wb, p->s + i + 1, 1);
			flags |= SH_W_QUOTED;
			i += 2;
			continue;
		}
		if (c == '\'') {
			const char *q = memchr(p->s + i + 1, '\'', p->len - i - 1);
			size_t e = q ? (size_t)(q - p->s) : p->len;
			if (!q)
				set_error(p, "unterminated single quote", i);
			bw_buf_add(&p->wb, p->s + i + 1, e - i - 1);
			flags |= SH_W_QUOTED;
			i = q ? e + 1 : p->len;
			continue;
		}
		if (c == '$' && i + 1 < p->len && p->s[i + 1] == '\'') { /* $'…' */
			size_t j = i + 2;
			while (j < p->len && p->s[j] != '\'') {
				if (p->s[j] == '\\')
					j++;
				j++;
			}
			if (j >= p->len)
				set_error(p, "unterminated $'", i);
			size_t e = j < p->len ? j : p->len;
			bw_buf_add(&p->wb, p->s + i + 2, e > i + 2 ? e - i - 2 : 0);
			flags |= SH_W_QUOTED;
			i = e < p->len ? e + 1 : p->len;
			continue;
		}
		if (c == '"') {
			flags |= SH_W_QUOTED;
			i++;
			while (i < p->len && p->s[i] != '"') {
				char d = p->s[i];
				if (d == '\\' && i + 1 < p->len) {
					char nx = p->s[i + 1];
					if (nx == '\n') {
						i += 2;
						continue;
					}
					if (nx == '$' || nx == '`' || nx == '"' || nx == '\\') {
						bw_buf_add(&p->wb, &nx, 1);
						i += 2;
						continue;
					}
				}
				if (d == '$') {
					flags |= SH_W_EXPAND;
					i = dollar(p, i);
					continue;
				}
				if (d == '`') {
					flags |= SH_W_EXPAND;
					i = backtick(p, i);
					continue;
				}
				bw_buf_add(&p->wb, &d, 1);
				i++;
			}
			if (i >= p->len)
				set_error(p, "unterminated double quote", p->w.off - p->base);
			else
				i++;
			continue;
		}
		if (c == '$') {
			if (i + 1 < p->len &&
			    (p->s[i + 1] == '(' || p->s[i + 1] == '{' || p->s[i + 1] == '_' ||
			     bw_isalnum(p->s[i + 1]) || strchr("@*#?$!-", p->s[i + 1])))
				flags |= SH_W_EXPAND;
			i = dollar(p, i);
			continue;
		}
		if (c == '`') {
			flags |= SH_W_EXPAND;
			i = backtick(p, i);
			continue;
		}
		if (c == '*' || c == '?' || c == '[')
			flags |= SH_W_GLOB;
		bw_buf_add(&p->wb, &c, 1);
		i++;
	}
	p->pos = i;
	p->w.end = p->base + i;
	p->w.flags = flags;
	p->w.text = bw_arena_strndup(p->a, p->wb.data ? p->wb.data : "", p->wb.len);
}

static void skip_heredocs(struct shp *p)
{
	for (int h = 0; h < p->n_hd; h++) {
		const char *d = p->hd[h].delim;
		size_t dl = strlen(d);
		while (p->pos < p->len) {
			const char *l = p->s + p->pos;
			const char *nl = memchr(l, '\n', p->len - p->pos);
			size_t n = nl ? (size_t)(nl - l) : p->len - p->pos;
			p->pos += n + (nl ? 1 : 0);
			const char *t = l;
			size_t tn = n;
			if (p->hd[h].strip)
				while (tn && *t == '\t') {
					t++;
					tn--;
				}
			if (tn && t[tn - 1] == '\r')
				tn--;
			if (tn == dl && memcmp(t, d, dl) == 0)
				break;
		}
	}
	p->n_hd = 0;
}

static void next(struct shp *p)
{
	for (;;) {
		while (p->pos < p->len &&
		       (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\r'))
			p->pos++;
		if (p->pos + 1 < p->len && p->s[p->pos] == '\\' && p->s[p->pos + 1] == '\n') {
			p->pos += 2;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == '#') {
			const char *nl = memchr(p->s + p->pos, '\n', p->len - p->pos);
			p->pos = nl ? (size_t)(nl - p->s) : p->len;
			continue;
		}
		break;
	}
	if (p->pos >= p->len) {
		p->t = T_EOF;
		return;
	}
	char c = p->s[p->pos];
	p->w.off = p->base + p->pos;
	if (c == '\n') {
		p->pos++;
		p->t = T_NL;
		if (p->n_hd)
			skip_heredocs(p);
		return;
	}
	/* io number: digits directly before < or > */
	size_t d = p->pos;
	while (d < p->len && bw_isdigit(p->s[d]))
		d++;
	size_t io =
	    (d > p->pos && d < p->len && (p->s[d] == '<' || p->s[d] == '>') && d - p->pos < 3) ? d : p->pos;
	static const char *const ops[] = {"&>>", "<<-", "&&", "||", ";;", "&>", ">>", "<<", "<>", "<&",
					  ">&",	 ">|",	"|&", ";",  "&",  "|",	"(",  ")",  "<",  ">"};
	for (size_t k = 0; k < BW_ARRAY_SIZE(ops); k++) {
		size_t ol = strlen(ops[k]);
		if (p->len - io >= ol && memcmp(p->s + io, ops[k], ol) == 0) {
			if (io != p->pos && (ops[k][0] != '<' && ops[k][0] != '>'))
				continue;
			size_t dl = io - p->pos;
			memcpy(p->op, p->s + p->pos, dl);
			memcpy(p->op + dl, ops[k], ol + 1);
			p->pos = io + ol;
			p->t = T_OP;
			return;
		}
	}
	read_word(p);
	p->t = T_WORD;
}

static void push_word(struct shp *p, struct sh_word **arr, size_t *n, size_t *cap)
{
	BW_ARENA_GROW(p->a, *arr, *n + 1, *n, *cap);
	(*arr)[(*n)++] = p->w;
}

static const char *const shells[] = {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox", NULL};

static void parse_into(struct bw_arena *a, const char *s, size_t len, size_t base, int nest, int depth,
		       bool in_subst, struct sh_script *out);
static size_t compute_start(const struct sh_cmd *c);

static void finish(struct shp *p)
{
	struct sh_cmd *c = &p->cur;
	if (c->argc || c->n_assigns || c->n_redirs) {
		c->sep = p->sep;
		c->depth = p->depth + p->nest;
		c->in_subst = p->nest > 0;
		c->end = c->argc ? c->argv[c->argc - 1].end
				 : (c->n_assigns ? c->assigns[c->n_assigns - 1].end : c->off);
		sh_cmd_cache(c);
		BW_ARENA_GROW(p->a, p->out->cmds, p->out->n_cmds + 1, p->out->n_cmds, p->out->cap_cmds);
		p->out->cmds[p->out->n_cmds++] = *c;
		/* sh -c 'script' */
		size_t st = sh_cmd_start(c);
		if (st < c->argc && p->nest + 1 < SH_MAX_NEST) {
			if (bw_str_in(bw_path_base(c->argv[st].text), shells))
				for (size_t k = st + 1; k + 1 < c->argc; k++) {
					const char *o = c->argv[k].text;
					if (o[0] != '-')
						break;
					if (o[1] != '-' && strchr(o, 'c')) {
						const struct sh_word *sw = &c->argv[k + 1];
						parse_into(p->a, sw->text, strlen(sw->text), sw->off + 1,
							   p->nest + 1, p->depth, false, p->out);
						break;
					}
				}
		}
	}
	memset(c, 0, sizeof(*c));
	p->cap_argv = p->cap_assigns = p->cap_redirs = 0;
	p->sep = SH_SEP_NONE;
}

/* NAME=… with an unquoted name: look at the raw bytes of the word */
static bool is_assignment(const struct shp *p, const struct sh_word *w)
{
	size_t i = w->off - p->base, e = w->end - p->base;
	if (i >= e || !(p->s[i] == '_' || bw_isalpha(p->s[i])))
		return false;
	while (i < e && (p->s[i] == '_' || bw_isalnum(p->s[i])))
		i++;
	return i < e && p->s[i] == '=';
}

static bool reserved(const struct sh_word *w, const char *name)
{
	return !(w->flags & SH_W_QUOTED) && strcmp(w->text, name) == 0;
}

static void run(struct shp *p)
{
	next(p);
	while (p->t != T_EOF) {
		if (p->t == T_WORD) {
			bool start = p->cur.argc == 0 && p->cur.n_assigns == 0 && p->cur.n_redirs == 0;
			if (start && p->case_pattern) {
				next(p);
				continue;
			}
			if (start) {
				static const char *const skip[] = {"if",    "then",  "else", "elif", "do",
								   "while", "until", "!",    "{",    "fi",
								   "done",  "}",     "time"};
				bool sk = false;
				for (size_t k = 0; k < BW_ARRAY_SIZE(skip); k++)
					if (reserved(&p->w, skip[k]))
						sk = true;
				if (sk) {
					next(p);
					continue;
				}
				if (reserved(&p->w, "esac")) {
					if (p->case_depth)
						p->case_depth--;
					p->case_pattern = false;
					next(p);
					continue;
				}
				if (reserved(&p->w, "for") || reserved(&p->w, "select")) {
					do
						next(p);
					while (p->t == T_WORD && !reserved(&p->w, "do"));
					if (p->t == T_WORD)
						next(p);
					continue;
				}
				if (reserved(&p->w, "case")) {
					next(p); /* the word */
					if (p->t == T_WORD)
						next(p); /* in */
					p->case_depth++;
					p->case_pattern = true;
					continue;
				}
				if (is_assignment(p, &p->w)) {
					if (!p->cur.off && !p->cur.n_assigns)
						p->cur.off = p->w.off;
					push_word(p, &p->cur.assigns, &p->cur.n_assigns, &p->cap_assigns);
					next(p);
					continue;
				}
				if (!p->cur.n_assigns)
					p->cur.off = p->w.off;
			}
			push_word(p, &p->cur.argv, &p->cur.argc, &p->cap_argv);
			next(p);
			continue;
		}
		if (p->t == T_NL) {
			finish(p);
			p->sep = SH_SEP_SEQ;
			next(p);
			continue;
		}
		/* operators */
		const char *op = p->op;
		if (p->case_pattern) {
			if (strcmp(op, ")") == 0)
				p->case_pattern = false;
			next(p);
			continue;
		}
		if (strpbrk(op, "<>") && strcmp(op, "|&") != 0) {
			char opbuf[8];
			size_t ol = strlen(op);
			memcpy(opbuf, op, ol + 1);
			size_t opoff = p->w.off;
			next(p);
			if (p->t != T_WORD) {
				set_error(p, "redirection without a target", opoff - p->base);
				continue;
			}
			if (!p->cur.argc && !p->cur.n_assigns && !p->cur.n_redirs)
				p->cur.off = opoff;
			BW_ARENA_GROW(p->a, p->cur.redirs, p->cur.n_redirs + 1, p->cur.n_redirs,
				      p->cap_redirs);
			struct sh_redir *r = &p->cur.redirs[p->cur.n_redirs++];
			r->op = bw_arena_strdup(p->a, opbuf);
			r->target = p->w;
			if (strncmp(opbuf, "<<", 2) == 0 && p->n_hd < 8) {
				p->hd[p->n_hd].delim = p->w.text;
				p->hd[p->n_hd].strip = opbuf[2] == '-';
				p->n_hd++;
			}
			next(p);
			continue;
		}
		if (strcmp(op, "|") == 0 || strcmp(op, "|&") == 0) {
			p->cur.pipe_out = true;
			p->out->has_pipe = true;
			finish(p);
			p->sep = SH_SEP_PIPE;
		} else if (strcmp(op, "&&") == 0) {
			finish(p);
			p->sep = SH_SEP_AND;
		} else if (strcmp(op, "||") == 0) {
			finish(p);
			p->sep = SH_SEP_OR;
		} else if (strcmp(op, ";") == 0) {
			finish(p);
			p->sep = SH_SEP_SEQ;
		} else if (strcmp(op, ";;") == 0) {
			finish(p);
			p->sep = SH_SEP_SEQ;
			if (p->case_depth)
				p->case_pattern = true;
		} else if (strcmp(op, "&") == 0) {
			finish(p);
			p->sep = SH_SEP_BG;
		} else if (strcmp(op, "(") == 0) {
			if (p->cur.argc == 1 && !p->cur.n_assigns) {
				/* name() { …; }: a function definition */
				memset(&p->cur, 0, sizeof(p->cur));
				p->cap_argv = p->cap_assigns = p->cap_redirs = 0;
				next(p);
				if (p->t == T_OP && strcmp(p->op, ")") == 0)
					next(p);
				continue;
			}
			enum sh_sep keep = p->sep;
			finish(p);
			p->sep = keep;
			p->depth++;
		} else if (strcmp(op, ")") == 0) {
			enum sh_sep keep = p->sep;
			finish(p);
			p->sep = keep;
			if (p->depth > 0)
				p->depth--;
		}
		next(p);
	}
	finish(p);
}

static void parse_into(struct bw_arena *a, const char *s, size_t len, size_t base, int nest, int depth,
		       bool in_subst, struct sh_script *out)
{
	struct shp p = {.a = a, .s = s, .len = len, .base = base, .nest = nest, .out = out, .depth = depth};
	(void)in_subst;
	bw_buf_init(&p.wb, len + 1);
	size_t first = out->n_cmds;
	run(&p);
	(void)first;
	bw_buf_release(&p.wb);
	for (size_t k = 0; k < p.n_subst; k++) {
		struct shp sub = {0};
		(void)sub;
		parse_into(a, s + p.subst[k].off, p.subst[k].len, base + p.subst[k].off, nest + 1,
			   p.subst_depth[k], true, out);
	}
	free(p.subst);
	free(p.subst_depth);
}

void sh_parse(struct bw_arena *a, const char *s, size_t len, struct sh_script *out)
{
	memset(out, 0, sizeof(*out));
	parse_into(a, s, len, 0, 0, 0, false, out);
}

void sh_cmd_cache(struct sh_cmd *c)
{
	c->name = NULL;
	size_t st = compute_start(c);
	c->start = st;
	if (st >= c->argc) {
		c->name = "";
		return;
	}
	c->name = bw_path_base(c->argv[st].text);
}

const char *sh_cmd_name(const struct sh_cmd *c)
{
	if (c->name)
		return c->name;
	size_t st = sh_cmd_start(c);
	if (st >= c->argc)
		return "";
	return bw_path_base(c->argv[st].text);
}

size_t sh_cmd_start(const struct sh_cmd *c)
{
	return c->name ? c->start : compute_start(c);
}

static size_t compute_start(const struct sh_cmd *c)
{
	size_t i = 0;
	while (i < c->argc) {
		const char *n = bw_path_base(c->argv[i].text);
		if (strcmp(n, "sudo") == 0 || strcmp(n, "doas") == 0) {
			/* the rule about sudo looks at argv[0] itself; skip its options */
			i++;
			while (i < c->argc && c->argv[i].text[0] == '-') {
				const char *o = c->argv[i].text;
				i++;
				if ((strcmp(o, "-u") == 0 || strcmp(o, "-g") == 0 || strcmp(o, "-C") == 0 ||
				     strcmp(o, "-h") == 0 || strcmp(o, "-p") == 0) &&
				    i < c->argc)
					i++;
			}
			continue;
		}
		if (strcmp(n, "env") == 0) {
			i++;
			while (i < c->argc && (c->argv[i].text[0] == '-' || strchr(c->argv[i].text, '=')))
				i++;
			continue;
		}
		if (strcmp(n, "nice") == 0 || strcmp(n, "ionice") == 0 || strcmp(n, "stdbuf") == 0) {
			i++;
			while (i < c->argc && c->argv[i].text[0] == '-') {
				const char *o = c->argv[i].text;
				i++;
				if ((strcmp(o, "-n") == 0 || strcmp(o, "-c") == 0) && i < c->argc)
					i++;
			}
			continue;
		}
		if (strcmp(n, "timeout") == 0) {
			i++;
			while (i < c->argc && c->argv[i].text[0] == '-')
				i++;
			if (i < c->argc)
				i++; /* the duration */
			continue;
		}
		if (strcmp(n, "time") == 0 || strcmp(n, "exec") == 0 || strcmp(n, "command") == 0 ||
		    strcmp(n, "nohup") == 0 || strcmp(n, "builtin") == 0) {
			i++;
			while (i < c->argc && c->argv[i].text[0] == '-')
				i++;
			continue;
		}
		if (strcmp(n, "xargs") == 0) {
			i++;
			while (i < c->argc && c->argv[i].text[0] == '-') {
				const char *o = c->argv[i].text;
				i++;
				if ((strcmp(o, "-I") == 0 || strcmp(o, "-n") == 0 || strcmp(o, "-P") == 0 ||
				     strcmp(o, "-d") == 0 || strcmp(o, "-a") == 0 || strcmp(o, "-L") == 0 ||
				     strcmp(o, "-s") == 0 || strcmp(o, "-E") == 0) &&
				    i < c->argc)
					i++;
			}
			continue;
		}
		break;
	}
	return i;
}

bool sh_has_opt(const struct sh_cmd *c, size_t from, char shortopt, const char *const *longopts)
{
	for (size_t i = from; i < c->argc; i++) {
		const char *t = c->argv[i].text;
		if (t[0] != '-' || !t[1])
			continue;
		if (strcmp(t, "--") == 0)
			break;
		if (t[1] == '-') {
			for (size_t k = 0; longopts && longopts[k]; k++) {
				size_t ll = strlen(longopts[k]);
				if (strncmp(t, longopts[k], ll) == 0 && (t[ll] == 0 || t[ll] == '='))
					return true;
			}
			continue;
		}
		if (shortopt && strchr(t + 1, shortopt))
			return true;
		for (size_t k = 0; longopts && longopts[k]; k++)
			if (longopts[k][0] == '-' && longopts[k][1] != '-' && strcmp(t, longopts[k]) == 0)
				return true;
	}
	return false;
}

size_t sh_subcommand(const struct sh_cmd *c, size_t from, const char *const *with_arg)
{
	for (size_t i = from; i < c->argc; i++) {
		const char *t = c->argv[i].text;
		if (t[0] != '-')
			return i;
		for (size_t k = 0; with_arg && with_arg[k]; k++)
			if (strcmp(t, with_arg[k]) == 0) {
				i++;
				break;
			}
	}
	return 0;
}
