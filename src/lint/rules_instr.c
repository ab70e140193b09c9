/* Rules on instructions other than RUN, and on what the parser noticed. */
#include "rules-int.h"

bool lint_stage_in_final_image(struct lint_ctx *c, int stage)
{
	if (stage < 0 || !c->df->n_stages)
		return false;
	for (int s = (int)c->df->n_stages - 1; s >= 0; s = c->df->stages[s].parent)
		if (s == stage)
			return true;
	return false;
}

static bool is_url(const char *s)
{
	return !bw_strncasecmp(s, "http://", 7) || !bw_strncasecmp(s, "https://", 8) ||
	       !bw_strncasecmp(s, "git@", 4) || !bw_strncasecmp(s, "git://", 6) ||
	       !bw_strncasecmp(s, "ftp://", 6);
}

static bool ends_with_ci(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !bw_strcasecmp(s + a - b, suf);
}

static bool is_archive(const char *s)
{
	static const char *const ext[] = {".tar",    ".tar.gz",	  ".tgz", ".tar.bz2", ".tbz2",
					  ".tbz",    ".tar.xz",	  ".txz", ".tar.zst", ".tzst",
					  ".tar.lz", ".tar.lzma", ".tlz", NULL};
	for (size_t k = 0; ext[k]; k++)
		if (ends_with_ci(s, ext[k]))
			return true;
	return false;
}

/* Sources of COPY/ADD: every word but the last (heredoc sources excluded). */
static size_t n_sources(const struct df_instr *in)
{
	return in->argc > 1 ? in->argc - 1 : 0;
}

static const char *word(const struct df_instr *in, size_t k)
{
	return in->xargv ? in->xargv[k] : in->argv[k];
}

void chk_add_for_copy(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_ADD || in->n_heredocs)
			continue;
		bool needs_add = false;
		for (size_t k = 0; k < n_sources(in); k++)
			if (is_url(word(in, k)) || is_archive(word(in, k)))
				needs_add = true;
		if (!needs_add)
			lint_report(c, r, in, 0, 0, "ADD %s", in->args);
	}
}

void chk_add_url_checksum(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_ADD || df_flag_has(in, "checksum"))
			continue;
		for (size_t k = 0; k < n_sources(in); k++) {
			const char *w = word(in, k);
			/* a git URL pinned to a commit is verified by git */
			if (is_url(w) && !(strstr(w, ".git#") && strlen(strchr(w, '#') + 1) == 40)) {
				lint_report(c, r, in, 0, 0, "ADD %s without --checksum", w);
				break;
			}
		}
	}
}

void chk_add_url_http(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_ADD)
			continue;
		for (size_t k = 0; k < n_sources(in); k++)
			if (!bw_strncasecmp(word(in, k), "http://", 7) ||
			    !bw_strncasecmp(word(in, k), "ftp://", 6)) {
				lint_report(c, r, in, 0, 0, "ADD %s", word(in, k));
				break;
			}
	}
}

static bool abs_path(const char *p)
{
	/* /unix, C:\windows, C:/windows, or a variable (unknown: trust it) */
	return p[0] == '/' || p[0] == '$' ||
	       (bw_isalpha(p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/'));
}

void chk_workdir_relative(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_WORKDIR || !in->argc)
			continue;
		const char *raw = in->argv[0];
		if (raw[0] == '"' || raw[0] == '\'')
			raw++;
		if (!abs_path(raw) && !(in->xargv && in->xargv[0][0] == '/'))
			lint_report(c, r, in, 0, 0, "WORKDIR %s is relative", in->argv[0]);
	}
}

void chk_workdir_sysdir(struct lint_ctx *c, const struct lint_rule *r)
{
	static const char *const sys[] = {"/proc", "/boot", "/dev", "/initrd", "/lost+found", "/sys", NULL};
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_WORKDIR || !in->xargv)
			continue;
		const char *p = in->xargv[0];
		for (size_t k = 0; sys[k]; k++) {
			size_t l = strlen(sys[k]);
			if (!strncmp(p, sys[k], l) && (p[l] == 0 || p[l] == '/')) {
				lint_report(c, r, in, 0, 0, "WORKDIR %s is a system directory", p);
				break;
			}
		}
	}
}

static void multiple(struct lint_ctx *c, const struct lint_rule *r, enum df_kind kind)
{
	for (size_t s = 0; s < c->df->n_stages; s++) {
		const struct df_stage *st = &c->df->stages[s];
		const struct df_instr *first = NULL;
		for (size_t i = st->from; i < st->end && i < c->df->n_instrs; i++) {
			const struct df_instr *in = &c->df->instrs[i];
			if (in->kind != kind)
				continue;
			if (first)
				lint_report(c, r, in, 0, 0,
					    "%s already given on line %d; only the last one counts",
					    df_kind_name(kind), first->line);
			else
				first = in;
		}
	}
}

void chk_multi_cmd(struct lint_ctx *c, const struct lint_rule *r)
{
	multiple(c, r, DF_CMD);
}

void chk_multi_entrypoint(struct lint_ctx *c, const struct lint_rule *r)
{
	multiple(c, r, DF_ENTRYPOINT);
}

void chk_multi_healthcheck(struct lint_ctx *c, const struct lint_rule *r)
{
	multiple(c, r, DF_HEALTHCHECK);
}

void chk_shell_form_cmd(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind == DF_ONBUILD && in->sub)
			in = in->sub;
		if ((in->kind == DF_CMD || in->kind == DF_ENTRYPOINT) && !in->json && in->args[0])
			lint_report(c, r, in, 0, 0,
				    "%s %s (shell form: signals go to /bin/sh, not the program)",
				    df_kind_name(in->kind), in->args);
	}
}

/* EXPOSE 80, 80/tcp, 8000-8010/udp, $PORT */
static void each_port(struct lint_ctx *c, const struct lint_rule *r, bool ssh)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_EXPOSE)
			continue;
		for (size_t k = 0; k < in->argc; k++) {
			const char *w = in->xargv ? in->xargv[k] : in->argv[k];
			if (strchr(in->argv[k], '$') && (!in->xargv || in->xdynamic[k]))
				continue;
			size_t off = in->argv_off[k], end = off + strlen(in->argv[k]);
			char buf[64];
			snprintf(buf, sizeof(buf), "%s", w);
			char *proto = strchr(buf, '/');
			if (proto) {
				*proto++ = 0;
				if (!ssh && bw_strcasecmp(proto, "tcp") && bw_strcasecmp(proto, "udp") &&
				    bw_strcasecmp(proto, "sctp")) {
					lint_report(c, r, in, off, end, "EXPOSE %s: unknown protocol", w);
					continue;
				}
			}
			char *dash = strchr(buf, '-');
			if (dash)
				*dash++ = 0;
			const char *parts[2] = {buf, dash};
			for (int p = 0; p < 2 && parts[p]; p++) {
				char *e;
				long v = strtol(parts[p], &e, 10);
				bool bad = !parts[p][0] || *e || v < 0 || v > 65535;
				if (ssh && !bad &&
				    (v == 22 ||
				     (dash && p == 0 && v <= 22 && strtol(dash, NULL, 10) >= 22))) {
					lint_report(c, r, in, off, end, "EXPOSE %s exposes SSH", w);
					break;
				}
				if (!ssh && bad) {
					lint_report(c, r, in, off, end,
						    "EXPOSE %s is not a port from 0 to 65535", w);
					break;
				}
			}
		}
	}
}

void chk_expose_range(struct lint_ctx *c, const struct lint_rule *r)
{
	each_port(c, r, false);
}

void chk_expose_ssh(struct lint_ctx *c, const struct lint_rule *r)
{
	each_port(c, r, true);
}

static void each_kind(struct lint_ctx *c, const struct lint_rule *r, enum df_kind k, const char *prefix)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind == DF_ONBUILD && in->sub && in->sub->kind == k)
			in = in->sub;
		if (in->kind == k)
			lint_report(c, r, in, 0, 0, "%s %s", prefix, in->args);
	}
}

void chk_maintainer(struct lint_ctx *c, const struct lint_rule *r)
{
	each_kind(c, r, DF_MAINTAINER, "MAINTAINER");
}

static bool world_writable(const char *m)
{
	if (strspn(m, "01234567") == strlen(m) && *m) {
		size_t n = strlen(m);
		return (m[n - 1] - '0') & 2;
	}
	/* symbolic: o+w, a+w, +w, a=rwx */
	for (const char *p = m; *p; p++) {
		if (*p != '+' && *p != '=')
			continue;
		const char *who = p;
		while (who > m && who[-1] != ',')
			who--;
		bool others =
		    who == p || memchr(who, 'o', (size_t)(p - who)) || memchr(who, 'a', (size_t)(p - who));
		for (const char *q = p + 1; *q && *q != ','; q++)
			if (*q == 'w' && others)
				return true;
	}
	return false;
}

void chk_chmod_world_writable(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		const char *m = (in->kind == DF_COPY || in->kind == DF_ADD) ? df_flag_get(in, "chmod") : NULL;
		if (m && world_writable(m))
			lint_report(c, r, in, 0, 0, "--chmod=%s makes the files world-writable", m);
	}
}

void chk_no_healthcheck(struct lint_ctx *c, const struct lint_rule *r)
{
	if (!c->df->n_stages)
		return;
	for (int s = (int)c->df->n_stages - 1; s >= 0; s = c->df->stages[s].parent) {
		const struct df_stage *st = &c->df->stages[s];
		for (size_t i = st->from; i < st->end && i < c->df->n_instrs; i++)
			if (c->df->instrs[i].kind == DF_HEALTHCHECK)
				return;
	}
	const struct df_stage *fs = &c->df->stages[c->df->n_stages - 1];
	if (!bw_strcasecmp(fs->base, "scratch"))
		return;
	lint_report(c, r, &c->df->instrs[fs->from], 0, 0, "the final stage has no HEALTHCHECK");
}

/* A word of an instruction without the quotes around it. */
static const char *unquoted(struct lint_ctx *c, const char *w)
{
	size_t n = strlen(w);
	if (n >= 2 && (w[0] == '"' || w[0] == '\'') && w[n - 1] == w[0])
		return bw_arena_strndup(&c->scratch, w + 1, n - 2);
	return w;
}

void chk_copy_multi_dest(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_COPY || in->argc < 3 || in->n_heredocs)
			continue;
		const char *d = unquoted(c, in->argv[in->argc - 1]);
		size_t n = strlen(d);
		if (n && d[n - 1] != '/' && !(n && d[n - 1] == '\\') && !strchr(d, '$'))
			lint_report(c, r, in, 0, 0, "COPY of %zu sources to %s, which does not end with /",
				    in->argc - 1, d);
	}
}

void chk_copy_relative_dest(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t s = 0; s < c->df->n_stages; s++) {
		bool workdir = false;
		for (int p = c->df->stages[s].parent; p >= 0 && !workdir; p = c->df->stages[p].parent)
			for (size_t i = c->df->stages[p].from; i < c->df->stages[p].end; i++)
				if (c->df->instrs[i].kind == DF_WORKDIR)
					workdir = true;
		const struct df_stage *st = &c->df->stages[s];
		for (size_t i = st->from; i < st->end && i < c->df->n_instrs; i++) {
			const struct df_instr *in = &c->df->instrs[i];
			if (in->kind == DF_WORKDIR)
				workdir = true;
			if (in->kind != DF_COPY || workdir || in->argc < 1)
				continue;
			const char *d = unquoted(c, in->argv[in->argc - 1]);
			if (in->argc < 2 && !in->n_heredocs)
				continue;
			if (!abs_path(d))
				lint_report(c, r, in, 0, 0, "COPY to relative %s with no WORKDIR set", d);
		}
	}
}

/* The file name a COPY word ends in: after the last / or \ (Windows
 * paths), quotes dropped; from the expanded word when it uses a variable. */
static const char *copy_base(struct lint_ctx *c, const struct df_instr *in, size_t k)
{
	const char *w = strchr(in->argv[k], '$') ? word(in, k) : in->argv[k];
	const char *b = w;
	for (const char *p = w; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	size_t n = strlen(b);
	while (n && (b[n - 1] == '"' || b[n - 1] == '\''))
		n--;
	while (n && (*b == '"' || *b == '\'')) {
		b++;
		n--;
	}
	return bw_arena_strndup(&c->scratch, b, n);
}

/* Does cmd unpack a file whose name ends in base: tar -x / --extract /
 * --get (or the old `tar xf`), or a decompressor (gunzip, zcat, unxz, …)? */
static bool extracts(const struct sh_cmd *cmd, const char *base)
{
	static const char *const unpackers[] = {"gunzip",  "zcat",	 "gzcat",  "bunzip2", "bzcat",
						"unxz",	   "xzcat",	 "unlzma", "lzcat",   "unzstd",
						"zstdcat", "uncompress", NULL};
	size_t a1 = sh_cmd_start(cmd) + 1;
	bool extract = false;
	if (sh_cmd_is(cmd, "tar")) {
		static const char *const x[] = {"--extract", "--get", NULL};
		extract = sh_has_opt(cmd, a1, 'x', x) ||
			  (a1 < cmd->argc && cmd->argv[a1].text[0] != '-' && strchr(cmd->argv[a1].text, 'x'));
	} else {
		extract = bw_str_in(sh_cmd_name(cmd), unpackers);
	}
	if (!extract)
		return false;
	for (size_t w = a1; w < cmd->argc; w++) {
		const char *t = cmd->argv[w].text, *b = t;
		for (const char *p = t; *p; p++)
			if (*p == '/' || *p == '\\')
				b = p + 1;
		if (!strcmp(b, base))
			return true;
	}
	return false;
}

/* COPY of a local tar archive (named by a source, or by a destination that
 * is an archive name) that a later RUN of the same stage unpacks. */
void chk_copy_archive(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_COPY || in->argc < 2 || df_flag_has(in, "from") || in->stage < 0)
			continue;
		const char *dest = copy_base(c, in, in->argc - 1);
		bool to_archive = is_archive(dest);
		for (size_t k = 0; k + 1 < in->argc; k++) {
			const char *src = copy_base(c, in, k);
			if (!is_archive(src) && !to_archive)
				continue;
			const char *base = to_archive ? dest : src;
			const struct df_stage *st = &c->df->stages[in->stage];
			for (size_t j = i + 1; j < st->end && j < c->df->n_instrs; j++) {
				struct sh_script *sc = lint_script(c, &c->df->instrs[j]);
				for (size_t q = 0; sc && q < sc->n_cmds; q++) {
					if (extracts(&sc->cmds[q], base)) {
						lint_report(c, r, in, 0, 0,
							    "%s is copied, then extracted on line %d: ADD "
							    "extracts it in one layer",
							    word(in, k), c->df->instrs[j].line);
						goto next;
					}
				}
			}
		}
	next:;
	}
}

void chk_volume_sensitive(struct lint_ctx *c, const struct lint_rule *r)
{
	static const char *const dirs[] = {"/", "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib64", "/boot",
					   "/dev", "/proc", "/sys", "/root", "/var/run", "/run",
					   /* the engine's socket and state */
					   "/var/run/docker.sock", "/var/lib/docker", NULL};
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_VOLUME)
			continue;
		for (size_t k = 0; k < in->argc; k++) {
			char p[512];
			snprintf(p, sizeof(p), "%s", word(in, k));
			size_t n = strlen(p);
			while (n > 1 && p[n - 1] == '/')
				p[--n] = 0;
			if (bw_str_in(p, dirs))
				lint_report(c, r, in, 0, 0, "VOLUME %s is a sensitive directory", p);
		}
	}
}

static bool sensitive_name(const char *src)
{
	const char *b = strrchr(src, '/');
	b = b && b[1] ? b + 1 : src;
	static const char *const exact[] = {
	    ".env", ".git", ".npmrc", ".pypirc", ".netrc", ".aws", ".ssh", ".docker",
	    /* private keys */
	    "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
	    /* credentials, history and secrets files */
	    ".htpasswd", "credentials.json", ".git-credentials", ".bash_history", ".vault-token",
	    "secrets.yaml", "secrets.yml", ".kube", NULL};
	if (bw_str_in(b, exact))
		return true;
	static const char *const ext[] = {".pem", ".key", ".p12", ".pfx", ".jks", ".keystore", ".ovpn", NULL};
	for (size_t k = 0; ext[k]; k++)
		if (ends_with_ci(b, ext[k]))
			return true;
	return !strncmp(b, ".env.", 5);
}

void chk_copy_sensitive(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if ((in->kind != DF_COPY && in->kind != DF_ADD) || df_flag_has(in, "from"))
			continue;
		for (size_t k = 0; k < n_sources(in); k++)
			if (sensitive_name(word(in, k))) {
				lint_report(c, r, in, in->argv_off ? in->argv_off[k] : 0,
					    in->argv_off ? in->argv_off[k] + strlen(in->argv[k]) : 0,
					    "%s %s copies a secret-bearing file into the image", in->keyword,
					    word(in, k));
				break;
			}
	}
}

void chk_onbuild_chain(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind == DF_ONBUILD && in->sub &&
		    (in->sub->kind == DF_ONBUILD || in->sub->kind == DF_FROM ||
		     in->sub->kind == DF_MAINTAINER))
			lint_report(c, r, in, 0, 0, "ONBUILD %s", in->sub->keyword);
	}
}

void chk_env_self_ref(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_ENV)
			continue;
		for (size_t k = 0; k < in->n_kvs; k++)
			if (in->kvs[k].self_ref) {
				lint_report(
				    c, r, in, in->kvs[k].off, in->kvs[k].off + strlen(in->kvs[k].key),
				    "%s uses $%s, set earlier in the same ENV (it sees the old value)",
				    in->kvs[k].key, in->kvs[k].self_ref);
				break;
			}
	}
}

static bool same_flags(const struct df_instr *a, const struct df_instr *b)
{
	if (a->n_flags != b->n_flags)
		return false;
	for (size_t k = 0; k < a->n_flags; k++)
		if (strcmp(a->flags[k].name, b->flags[k].name) ||
		    strcmp(a->flags[k].value ? a->flags[k].value : "",
			   b->flags[k].value ? b->flags[k].value : ""))
			return false;
	return true;
}

/* Commands of a RUN (those of $( ) and subshells included); an exec form
 * is one. */
static size_t run_commands(struct lint_ctx *c, const struct df_instr *in)
{
	const struct sh_script *s = lint_script(c, in);
	if (!s)
		return 1;
	size_t n = 0;
	for (size_t k = 0; k < s->n_cmds; k++)
		n += s->cmds[k].argc > 0;
	return n;
}

/* Two RUNs in a row with the same flags, each a single command: joining
 * them is easy. A RUN that already chains commands (`a && b`, `a; b`)
 * was kept apart on purpose (a cache boundary), as Hadolint judges it. */
void chk_consecutive_run(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 1; i < c->df->n_instrs; i++) {
		const struct df_instr *a = &c->df->instrs[i - 1], *b = &c->df->instrs[i];
		if (a->kind == DF_RUN && b->kind == DF_RUN && same_flags(a, b) && !a->n_heredocs &&
		    !b->n_heredocs && run_commands(c, a) <= 1 && run_commands(c, b) <= 1)
			lint_report(c, r, b, 0, 0, "RUN right after the RUN on line %d", a->line);
	}
}

void chk_unknown_instruction(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind == DF_UNKNOWN)
			lint_report(c, r, in, 0, strlen(in->keyword), "unknown instruction: %s", in->keyword);
		else if (in->kind == DF_ONBUILD && in->sub && in->sub->kind == DF_UNKNOWN)
			lint_report(c, r, in, 0, 0, "unknown instruction: %s", in->sub->keyword);
	}
}

void chk_malformed(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		const struct df_instr *x = in->kind == DF_ONBUILD && in->sub ? in->sub : in;
		if (x->malformed && x->kind != DF_UNKNOWN)
			lint_report(c, r, in, 0, 0, "%s", x->malformed);
	}
}

void chk_json_invalid(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		const struct df_instr *x = in->kind == DF_ONBUILD && in->sub ? in->sub : in;
		if (x->json_invalid)
			lint_report(c, r, in, x->args_off, x->args_off + strlen(x->args),
				    "%s %s is not a valid JSON array: BuildKit runs it as a shell command",
				    x->keyword, x->args);
	}
}

void chk_empty_continuation(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t k = 0; k < c->df->n_empty_continuations; k++) {
		int line = c->df->empty_continuations[k];
		for (size_t i = 0; i < c->df->n_instrs; i++)
			if (c->df->instrs[i].line == line) {
				lint_report(c, r, &c->df->instrs[i], 0, 0,
					    "empty line inside a continued instruction");
				break;
			}
	}
}

void chk_legacy_kv(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->legacy_kv)
			lint_report(c, r, in, 0, 0, "%s %s: use %s=…", in->keyword, in->args, in->kvs[0].key);
	}
}

void chk_inline_ignore(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t k = 0; k < c->df->n_ignores; k++) {
		const struct df_ignore *ig = &c->df->ignores[k];
		struct bw_finding *f = bw_report_add_finding(c->report, BW_KIND_MISCONFIG);
		f->id = r->id;
		size_t idx = (size_t)(r - lint_rules);
		f->severity = c->cfg && c->cfg->severity[idx] >= 0 ? (enum bw_severity)c->cfg->severity[idx]
								   : r->severity;
		f->status = BW_STATUS_FAIL;
		f->title = r->title;
		f->location.path = bw_report_str(c->report, c->df->path);
		f->location.line = ig->line;
		f->location.column = 1;
		f->evidence = bw_report_str(c->report, ig->text);
		f->remediation = r->remediation;
		for (size_t e = 0; e < BW_ARRAY_SIZE(r->equivalent) && r->equivalent[e]; e++)
			bw_finding_add_equivalent(c->report, &c->report->findings[c->report->n_findings - 1],
						  r->equivalent[e]);
	}
}

void chk_keyword_case(struct lint_ctx *c, const struct lint_rule *r)
{
	/* BuildKit ConsistentInstructionCasing: all upper or all lower, as the majority */
	size_t upper = 0, lower = 0;
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const char *k = c->df->instrs[i].keyword;
		bool up = true, low = true;
		for (const char *p = k; *p; p++) {
			if (bw_islower(*p))
				up = false;
			if (bw_isupper(*p))
				low = false;
		}
		upper += up;
		lower += low;
	}
	bool want_upper = upper >= lower;
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind == DF_UNKNOWN)
			continue;
		bool ok = true;
		for (const char *p = in->keyword; *p; p++)
			if ((want_upper && bw_islower(*p)) || (!want_upper && bw_isupper(*p)))
				ok = false;
		if (!ok)
			lint_report(c, r, in, 0, strlen(in->keyword),
				    "%s: the file writes instructions in %s case", in->keyword,
				    want_upper ? "upper" : "lower");
	}
}

/* COPY --from=stage / /: the whole filesystem of the other stage (its
 * base image's packages, caches and files included) lands on this one. */
void chk_copy_root_fs(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_COPY || in->argc < 2 || !df_flag_has(in, "from") || in->json_invalid)
			continue;
		if (strcmp(word(in, in->argc - 1), "/") != 0)
			continue;
		for (size_t k = 0; k + 1 < in->argc; k++)
			if (!strcmp(word(in, k), "/")) {
				lint_report(c, r, in, 0, 0, "COPY --from=%s / / copies a whole filesystem",
					    df_flag_get(in, "from"));
				break;
			}
	}
}
