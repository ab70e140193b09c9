/* The lint driver: parse, run every enabled rule, turn results into
 * findings with exact positions, apply inline ignores. */
#include "lint-int.h"

/* Where the shell of a RUN came from, to map script offsets to the file. */
struct run_src {
	const char *script;
	size_t len;
	enum { SRC_ARGS, SRC_HEREDOC, SRC_JSON } kind;
	size_t base;		     /* SRC_ARGS: logical offset of the script */
	const struct df_heredoc *hd; /* SRC_HEREDOC */
};

struct lint_ctx_priv {
	struct lint_ctx pub;
	struct run_src *src;
	struct run_src *src_sub;
	bool *parsed;
	bool *parsed_sub;
};

size_t bw_lint_rule_count(void)
{
	return lint_n_rules;
}

void bw_lint_rule_info(size_t i, struct bw_rule_info *out)
{
	const struct lint_rule *r = &lint_rules[i];
	out->id = r->id;
	out->severity = r->severity;
	out->title = r->title;
	out->equivalent = r->equivalent;
	out->rationale = r->rationale;
	out->bad = r->bad;
	out->good = r->good;
	out->remediation = r->remediation;
	out->default_off = r->default_off;
}

/* Peer ids: "DS029", "DS-0029", "AVD-DS-0029" name the same Trivy check. */
static bool id_eq(const char *a, const char *b)
{
	if (bw_strcasecmp(a, b) == 0)
		return true;
	const char *pa = a, *pb = b;
	if (bw_strncasecmp(pa, "AVD-", 4) == 0)
		pa += 4;
	if (bw_strncasecmp(pb, "AVD-", 4) == 0)
		pb += 4;
	if (bw_strncasecmp(pa, "DS", 2) || bw_strncasecmp(pb, "DS", 2))
		return false;
	pa += 2;
	pb += 2;
	if (*pa == '-')
		pa++;
	if (*pb == '-')
		pb++;
	char *ea, *eb;
	long na = strtol(pa, &ea, 10), nb = strtol(pb, &eb, 10);
	return ea != pa && eb != pb && !*ea && !*eb && na == nb;
}

bool lint_rule_has_id(const struct lint_rule *r, const char *id)
{
	if (id_eq(r->id, id))
		return true;
	for (size_t k = 0; k < BW_ARRAY_SIZE(r->equivalent) && r->equivalent[k]; k++)
		if (id_eq(r->equivalent[k], id))
			return true;
	return false;
}

int bw_lint_rule_find(const char *id)
{
	for (size_t i = 0; i < lint_n_rules; i++)
		if (id_eq(lint_rules[i].id, id))
			return (int)i;
	for (size_t i = 0; i < lint_n_rules; i++)
		if (lint_rule_has_id(&lint_rules[i], id))
			return (int)i;
	return -1;
}

/* ---- reporting ---- */

static const struct df_ignore *ignored_by(struct lint_ctx *c, const struct lint_rule *rule,
					  const struct df_instr *in)
{
	const struct df_file *f = c->df;
	for (size_t i = 0; i < f->n_ignores; i++) {
		const struct df_ignore *ig = &f->ignores[i];
		if (!ig->global && (!in || in->ignore != (int)i))
			continue;
		for (size_t k = 0; k < ig->n_ids; k++)
			if (lint_rule_has_id(rule, ig->ids[k]))
				return ig;
	}
	return NULL;
}

static void report_at(struct lint_ctx *c, const struct lint_rule *rule, const struct df_instr *in, int line,
		      int col, int eline, int ecol, const char *evidence)
{
	struct bw_report *r = c->report;
	size_t idx = (size_t)(rule - lint_rules);
	struct bw_finding *f = bw_report_add_finding(r, BW_KIND_MISCONFIG);
	f->id = rule->id;
	f->severity =
	    c->cfg && c->cfg->severity[idx] >= 0 ? (enum bw_severity)c->cfg->severity[idx] : rule->severity;
	f->status = BW_STATUS_FAIL;
	f->title = rule->title;
	f->location.path = bw_report_str(r, c->df->path);
	f->location.line = line;
	f->location.column = col;
	f->location.end_line = eline;
	f->location.end_column = ecol;
	f->evidence = evidence ? bw_report_str(r, evidence) : NULL;
	f->remediation = rule->remediation;
	const struct df_ignore *ig = ignored_by(c, rule, in);
	if (ig) {
		f->status = BW_STATUS_SUPPRESSED;
		f->suppressed_by = bw_report_strf(r, "line %d: %s", ig->line, ig->text);
	}
	/* equivalents last: the finding pointer is re-read after each add */
	struct bw_finding *fp = &r->findings[r->n_findings - 1];
	for (size_t k = 0; k < BW_ARRAY_SIZE(rule->equivalent) && rule->equivalent[k]; k++)
		bw_finding_add_equivalent(r, fp, rule->equivalent[k]);
}

static char *vfmt(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static char *vfmt(const char *fmt, va_list ap)
{
	if (!fmt)
		return NULL;
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		BW_BUG("vasprintf failed");
	/* keep evidence short and printable */
	size_t n = strlen(s);
	if (n > 300) {
		size_t cut = 300;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
		/* "…" and its NUL are 4 bytes: a string of 301 or 302 has no room for them at 300 */
		s = bw_realloc(s, cut + 4);
		memcpy(s + cut, "…", 4);
	}
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	return s;
}

void lint_report(struct lint_ctx *c, const struct lint_rule *rule, const struct df_instr *in, size_t off,
		 size_t end, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *ev = vfmt(fmt, ap);
	va_end(ap);
	if (!in) {
		report_at(c, rule, NULL, 0, 0, 0, 0, ev);
	} else if (end > off) {
		int l, col, el, ec;
		df_instr_pos(in, off, &l, &col);
		df_instr_pos(in, end - 1, &el, &ec);
		report_at(c, rule, in, l, col, el, ec, ev);
	} else {
		report_at(c, rule, in, in->line, in->col, in->end_line, in->end_col, ev);
	}
	free(ev);
}

static void heredoc_pos(const struct df_heredoc *hd, size_t off, int *line, int *col)
{
	int l = hd->first_line;
	size_t bol = 0;
	if (off > hd->len)
		off = hd->len;
	for (size_t i = 0; i < off; i++)
		if (hd->content[i] == '\n') {
			l++;
			bol = i + 1;
		}
	int cc = 1;
	for (size_t i = bol; i < off; i++)
		if (((unsigned char)hd->content[i] & 0xC0) != 0x80)
			cc++;
	*line = l;
	*col = cc;
}

void lint_report_sh(struct lint_ctx *c, const struct lint_rule *rule, const struct df_instr *in,
		    const struct sh_cmd *cmd, const char *fmt, ...)
{
	struct lint_ctx_priv *p = (struct lint_ctx_priv *)c;
	va_list ap;
	va_start(ap, fmt);
	char *ev = vfmt(fmt, ap);
	va_end(ap);
	size_t i = (size_t)in->index;
	const struct run_src *s = NULL;
	if (i < c->df->n_instrs)
		s = in->is_trigger ? &p->src_sub[i] : &p->src[i];
	if (!s || !cmd || s->kind == SRC_JSON || cmd->end <= cmd->off) {
		report_at(c, rule, in, in->line, in->col, in->end_line, in->end_col, ev);
	} else if (s->kind == SRC_ARGS) {
		int l, col, el, ec;
		df_instr_pos(in, s->base + cmd->off, &l, &col);
		df_instr_pos(in, s->base + cmd->end - 1, &el, &ec);
		report_at(c, rule, in, l, col, el, ec, ev);
	} else {
		int l, col, el, ec;
		heredoc_pos(s->hd, cmd->off, &l, &col);
		heredoc_pos(s->hd, cmd->end - 1, &el, &ec);
		report_at(c, rule, in, l, col, el, ec + 0, ev);
	}
	free(ev);
}

void lint_report_ext(struct lint_ctx *c, const char *id, enum bw_severity sev, const char *title,
		     const struct df_instr *in, int line, int col, int eline, int ecol, const char *evidence,
		     const char *remediation, const char *url)
{
	struct bw_report *r = c->report;
	struct bw_finding *f = bw_report_add_finding(r, BW_KIND_MISCONFIG);
	f->id = bw_report_str(r, id);
	f->severity = sev;
	f->status = BW_STATUS_FAIL;
	f->title = bw_report_str(r, title);
	f->location.path = bw_report_str(r, c->df->path);
	f->location.line = line;
	f->location.column = col;
	f->location.end_line = eline;
	f->location.end_column = ecol;
	f->evidence = evidence ? bw_report_str(r, evidence) : NULL;
	f->remediation = remediation ? bw_report_str(r, remediation) : NULL;
	f->url = url ? bw_report_str(r, url) : NULL;
	const struct df_file *df = c->df;
	for (size_t i = 0; i < df->n_ignores; i++) {
		const struct df_ignore *ig = &df->ignores[i];
		if (!ig->global && (!in || in->ignore != (int)i))
			continue;
		for (size_t k = 0; k < ig->n_ids; k++)
			if (!bw_strcasecmp(ig->ids[k], id)) {
				f->status = BW_STATUS_SUPPRESSED;
				f->suppressed_by = bw_report_strf(r, "line %d: %s", ig->line, ig->text);
				return;
			}
	}
}

/* ---- RUN scripts ---- */

static bool is_shell_name(const char *n)
{
	n = bw_path_base(n);
	return !strcmp(n, "sh") || !strcmp(n, "bash") || !strcmp(n, "ash") || !strcmp(n, "dash") ||
	       !strcmp(n, "zsh") || !strcmp(n, "ksh");
}

/* Shell source of a RUN: heredoc body when the heredoc is the script,
 * else the shell-form text, else `sh -c` of an exec form. */
static void run_source(const struct df_instr *in, struct run_src *s)
{
	memset(s, 0, sizeof(*s));
	if (in->json) {
		s->kind = SRC_JSON;
		if (in->argc >= 3 && is_shell_name(in->argv[0]) && in->argv[1][0] == '-' &&
		    strchr(in->argv[1], 'c')) {
			s->script = in->argv[2];
			s->len = strlen(in->argv[2]);
		}
		return;
	}
	s->kind = SRC_ARGS;
	s->script = in->args;
	s->len = strlen(in->args);
	s->base = in->args_off;
	if (in->n_heredocs == 1) {
		/* `<<EOF` alone, or `sh <<EOF` / `bash -e <<EOF`: the body is the script */
		const char *a = in->args;
		const char *lt = strstr(a, "<<");
		bool only = lt == a;
		if (lt && lt > a) {
			char first[64];
			size_t n = strcspn(a, " \t");
			if (n < sizeof(first)) {
				memcpy(first, a, n);
				first[n] = 0;
				only = is_shell_name(first);
				/* only options between the shell and the marker */
				for (const char *q = a + n; only && q < lt; q++)
					if (*q != ' ' && *q != '\t' && *q != '-' && !bw_isalpha(*q))
						only = false;
			}
		}
		const struct df_heredoc *hd = &in->heredocs[0];
		if (only && hd->content) {
			/* a shebang naming another interpreter: not shell */
			if (hd->len > 2 && hd->content[0] == '#' && hd->content[1] == '!') {
				const char *nl = memchr(hd->content, '\n', hd->len);
				size_t n = nl ? (size_t)(nl - hd->content) : hd->len;
				char line[128];
				if (n >= sizeof(line))
					n = sizeof(line) - 1;
				memcpy(line, hd->content, n);
				line[n] = 0;
				if (!strstr(line, "sh")) {
					s->kind = SRC_JSON;
					s->script = NULL;
					s->len = 0;
					return;
				}
			}
			s->kind = SRC_HEREDOC;
			s->script = hd->content;
			s->len = hd->len;
			s->hd = hd;
		}
	}
}

static struct sh_script *script_of(struct lint_ctx *c, const struct df_instr *in, bool *parsed,
				   struct run_src *src, struct sh_script **slot)
{
	if (in->kind != DF_RUN)
		return NULL;
	if (!*parsed) {
		*parsed = true;
		run_source(in, src);
		if (src->script) {
			struct sh_script *s = bw_arena_alloc(&c->scratch, sizeof(*s));
			sh_parse(&c->scratch, src->script, src->len, s);
			*slot = s;
		} else if (in->json && in->argc) {
			/* exec form: one command, no shell */
			struct sh_script *s = bw_arena_alloc(&c->scratch, sizeof(*s));
			s->cmds = bw_arena_alloc(&c->scratch, sizeof(*s->cmds));
			s->n_cmds = s->cap_cmds = 1;
			struct sh_cmd *cmd = &s->cmds[0];
			cmd->argv = bw_arena_alloc(&c->scratch, in->argc * sizeof(*cmd->argv));
			for (size_t k = 0; k < in->argc; k++)
				cmd->argv[k].text = in->argv[k];
			cmd->argc = in->argc;
			sh_cmd_cache(cmd);
			*slot = s;
		}
	}
	return *slot;
}

struct sh_script *lint_script(struct lint_ctx *c, const struct df_instr *in)
{
	struct lint_ctx_priv *p = (struct lint_ctx_priv *)c;
	size_t i = (size_t)in->index;
	if (i >= c->df->n_instrs)
		return NULL;
	if (in->is_trigger)
		return script_of(c, in, &p->parsed_sub[i], &p->src_sub[i], &c->sh_sub[i]);
	return script_of(c, in, &p->parsed[i], &p->src[i], &c->sh[i]);
}

const char *lint_run_text(struct lint_ctx *c, const struct df_instr *in, size_t *len, bool *heredoc)
{
	struct lint_ctx_priv *p = (struct lint_ctx_priv *)c;
	if (!lint_script(c, in))
		return NULL;
	size_t i = (size_t)in->index;
	const struct run_src *s = in->is_trigger ? &p->src_sub[i] : &p->src[i];
	if (s->kind == SRC_JSON || !s->script)
		return NULL;
	*len = s->len;
	*heredoc = s->kind == SRC_HEREDOC;
	return s->script;
}

void lint_run_pos(struct lint_ctx *c, const struct df_instr *in, size_t off, int *line, int *col)
{
	struct lint_ctx_priv *p = (struct lint_ctx_priv *)c;
	size_t i = (size_t)in->index;
	const struct run_src *s = in->is_trigger ? &p->src_sub[i] : &p->src[i];
	if (s->kind == SRC_HEREDOC)
		heredoc_pos(s->hd, off, line, col);
	else if (s->kind == SRC_ARGS)
		df_instr_pos(in, s->base + off, line, col);
	else {
		*line = in->line;
		*col = in->col;
	}
}

const struct df_instr *lint_shell_for(struct lint_ctx *c, size_t i)
{
	const struct df_instr *in = &c->df->instrs[i];
	if (in->stage < 0)
		return NULL;
	const struct df_stage *st = &c->df->stages[in->stage];
	for (size_t k = i; k-- > st->from + 1;)
		if (c->df->instrs[k].kind == DF_SHELL && c->df->instrs[k].json)
			return &c->df->instrs[k];
	return NULL;
}

/* ---- the entry point ---- */

static bool rule_enabled(const struct bw_lint_config *cfg, size_t i)
{
	if (!cfg)
		return !lint_rules[i].default_off;
	if (cfg->state[i] == 1)
		return false;
	if (cfg->state[i] == 2)
		return true;
	return !lint_rules[i].default_off;
}

int bw_lint_dockerfile(struct bw_report *r, const char *path, const char *data, size_t len,
		       const struct bw_lint_config *cfg, struct bw_error *err)
{
	struct df_file *df = NULL;
	int rc = df_parse(path, data, len, &df, err);
	if (rc)
		return rc;
	if (df->expand_over_line)
		bw_report_warn(r,
			       "%s:%d: variable expansion would add more than %u MiB to the file: values "
			       "from there on are left as written (not expanded)",
			       path, df->expand_over_line, DF_MAX_EXPANSION >> 20);
	if (df->env_over_line)
		bw_report_warn(r,
			       "%s:%d: stages inherit more than %u ENV variables in all: later stages "
			       "inherit none from there on",
			       path, df->env_over_line, DF_MAX_ENV_COPIES);
	struct lint_ctx_priv p = {0};
	struct lint_ctx *c = &p.pub;
	c->df = df;
	c->report = r;
	c->cfg = cfg;
	bw_arena_init(&c->scratch);
	size_t n = df->n_instrs;
	c->sh = bw_arena_alloc(&c->scratch, n * sizeof(*c->sh));
	p.src = bw_arena_alloc(&c->scratch, n * sizeof(*p.src));
	p.parsed = bw_arena_alloc(&c->scratch, n * sizeof(*p.parsed));
	c->sh_sub = bw_arena_alloc(&c->scratch, n * sizeof(*c->sh_sub));
	p.src_sub = bw_arena_alloc(&c->scratch, n * sizeof(*p.src_sub));
	p.parsed_sub = bw_arena_alloc(&c->scratch, n * sizeof(*p.parsed_sub));
	for (size_t i = 0; i < lint_n_rules; i++)
		if (rule_enabled(cfg, i) && lint_rules[i].check)
			lint_rules[i].check(c, &lint_rules[i]);
	if (cfg && cfg->shellcheck == 1)
		lint_shellcheck(c);
	bw_arena_release(&c->scratch);
	df_file_free(df);
	return 0;
}

/* ---- helpers for rule families ---- */

void lint_each_run(struct lint_ctx *c, const struct lint_rule *r, lint_run_fn fn, void *ud)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind == DF_ONBUILD)
			in = in->sub;
		if (!in || in->kind != DF_RUN)
			continue;
		struct sh_script *s = lint_script(c, in);
		if (s)
			fn(c, r, in, s, ud);
	}
}

struct each_cmd {
	lint_cmd_fn fn;
	void *ud;
};

static void each_cmd_run(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			 struct sh_script *s, void *ud)
{
	struct each_cmd *e = ud;
	for (size_t k = 0; k < s->n_cmds; k++) {
		const struct sh_cmd *cmd = &s->cmds[k];
		size_t st = sh_cmd_start(cmd);
		if (st < cmd->argc)
			e->fn(c, r, in, s, cmd, st, e->ud);
	}
}

void lint_each_cmd(struct lint_ctx *c, const struct lint_rule *r, lint_cmd_fn fn, void *ud)
{
	struct each_cmd e = {fn, ud};
	lint_each_run(c, r, each_cmd_run, &e);
}

bool sh_cmd_is(const struct sh_cmd *cmd, const char *name)
{
	return strcmp(sh_cmd_name(cmd), name) == 0;
}

const struct sh_cmd *sh_find_cmd(const struct sh_script *s, const char *name, const char *sub)
{
	for (size_t k = 0; k < s->n_cmds; k++) {
		const struct sh_cmd *cmd = &s->cmds[k];
		if (!sh_cmd_is(cmd, name))
			continue;
		if (!sub)
			return cmd;
		size_t st = sh_cmd_start(cmd);
		for (size_t a = st + 1; a < cmd->argc; a++)
			if (cmd->argv[a].text[0] != '-') {
				if (strcmp(cmd->argv[a].text, sub) == 0)
					return cmd;
				break;
			}
	}
	return NULL;
}
