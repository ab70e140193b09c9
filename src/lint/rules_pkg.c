/* Package-manager rules: version pins, non-interactive switches, caches,
 * upgrades. They look at parsed commands: `apt-get install -y curl` is
 * argv {apt-get, install, -y, curl}, wherever it sits in the RUN. */
#include "rules-int.h"

/* options that take a value, per tool (so their values are not packages);
 * packed by hand: clang-format 14 puts one a line */
/* clang-format off */
static const char *const apt_arg[] = {"-o", "-c", "-t", "--target-release", "--default-release", "-a",
	"--host-architecture", "--option", "--config-file", NULL};
static const char *const apk_arg[] = {"-t", "--virtual", "-X", "--repository", "--repositories-file", "-p",
	"--root", "--arch", "--keys-dir", "--cache-dir", "--cache-max-age", NULL};
static const char *const rpm_arg[] = {"-c", "--config", "--installroot", "--releasever", "--enablerepo",
	"--disablerepo", "--repo", "--repoid", "-d", "--debuglevel", "-e", "--errorlevel", "--setopt", "-x",
	"--exclude", "--nodocs-x", "--rpmverbosity", "--forcearch", "--downloaddir", "--destdir", "--color",
	NULL};
static const char *const zypper_arg[] = {"-r", "--repo", "-t", "--type", "--from", "-R", "--root", "-c",
	"--config", "--download", NULL};
static const char *const pip_arg[] = {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i",
	"--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root",
	"--src", "--trusted-host", "--platform", "--python-version", "--implementation", "--abi",
	"--upgrade-strategy", "--progress-bar", "--cache-dir", "--log", "--timeout", "--retries", "--proxy",
	"--cert", "--client-cert", "--exists-action", "--global-option", "--install-option",
	"--config-settings", "-C", "--only-binary", "--no-binary", "--python", "--report", "--root-user-action",
	"--pip-args", "--suffix", "--index-url", NULL};
static const char *const npm_arg[] = {"--prefix", "--registry", "--cache", "-w", "--workspace", "--tag",
	"--userconfig", "--loglevel", "--omit", "--include", NULL};
static const char *const gem_arg[] = {"-v", "--version", "-i", "--install-dir", "-n", "--bindir", "-s",
	"--source", "-P", "--trust-policy", "--platform", "-g", "--file", NULL};
static const char *const go_arg[] = {"-C", "-p", "-ldflags", "-gcflags", "-tags", "-mod", "-modfile", "-o",
	"-pkgdir", "-toolexec", "-asmflags", "-overlay", "-exec", NULL};
/* clang-format on */
static const char *const none_arg[] = {NULL};

static bool takes_arg(const char *opt, const char *const *with_arg)
{
	return !strchr(opt, '=') && bw_str_in(opt, with_arg);
}

/* The command's subcommand (first non-option word after the name), its
 * index in *at. NULL when none. */
static const char *subcmd(const struct sh_cmd *cmd, size_t st, const char *const *with_arg, size_t *at)
{
	for (size_t i = st + 1; i < cmd->argc; i++) {
		const char *t = cmd->argv[i].text;
		if (t[0] == '-') {
			if (takes_arg(t, with_arg))
				i++;
			continue;
		}
		if (at)
			*at = i;
		return t;
	}
	return NULL;
}

/* Is cmd `<names…> <subs…>`? Returns the index of the subcommand or 0. */
static size_t is_pm(const struct sh_cmd *cmd, size_t st, const char *const *names, const char *const *subs,
		    const char *const *with_arg)
{
	const char *n = bw_path_base(cmd->argv[st].text);
	if (!bw_str_in(n, names))
		return 0;
	size_t at = 0;
	const char *s = subcmd(cmd, st, with_arg, &at);
	return s && bw_str_in(s, subs) ? at : 0;
}

typedef bool (*pinned_fn)(const char *pkg);

/* Collect the non-option words after `from` that are not pinned. With
 * `flags` (the options known to take no value), any other option without
 * "=" takes the next word, and "--" ends the packages. */
static void report_unpinned_opts(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
				 const struct sh_cmd *cmd, size_t from, const char *const *with_arg,
				 const char *const *flags, pinned_fn pinned)
{
	struct bw_buf b;
	bw_buf_init(&b, 4096);
	size_t n = 0;
	for (size_t i = from; i < cmd->argc; i++) {
		const struct sh_word *w = &cmd->argv[i];
		if (flags && !strcmp(w->text, "--"))
			break; /* the rest is for the package's build */
		if (w->text[0] == '-') {
			if (takes_arg(w->text, with_arg) ||
			    (flags && !strchr(w->text, '=') && !bw_str_in(w->text, flags)))
				i++;
			continue;
		}
		if ((w->flags & SH_W_EXPAND) || !w->text[0] || pinned(w->text))
			continue;
		if (n++ < 8)
			bw_buf_printf(&b, "%s%s", n > 1 ? ", " : "", w->text);
	}
	if (n)
		lint_report_sh(c, r, in, cmd, "%s without a version: %s%s", sh_cmd_name(cmd), b.data,
			       n > 8 ? ", …" : "");
	bw_buf_release(&b);
}

/* Collect the non-option words after `from` that are not pinned. */
static void report_unpinned(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			    const struct sh_cmd *cmd, size_t from, const char *const *with_arg,
			    pinned_fn pinned)
{
	report_unpinned_opts(c, r, in, cmd, from, with_arg, NULL, pinned);
}

static bool is_path_or_url(const char *p)
{
	return p[0] == '.' || p[0] == '/' || p[0] == '~' || strstr(p, "://") != NULL;
}

/* ---- pins ---- */

/* A package manager whose install subcommand takes packages that need a version. */
struct pin {
	const char *const *names, *const *subs, *const *with_arg;
	pinned_fn pinned;
};

static void pin(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	const struct pin *p = ud;
	size_t at = is_pm(cmd, st, p->names, p->subs, p->with_arg);
	if (at)
		report_unpinned(c, r, in, cmd, at + 1, p->with_arg, p->pinned);
}

static const char *const apt_names[] = {"apt-get", "apt", NULL};
static const char *const install[] = {"install", NULL};

static bool apt_pinned(const char *p)
{
	return strchr(p, '=') || bw_str_ends_with(p, ".deb") || is_path_or_url(p);
}

void chk_apt_pin(struct lint_ctx *c, const struct lint_rule *r)
{
	static const struct pin apt = {apt_names, install, apt_arg, apt_pinned};
	lint_each_cmd(c, r, pin, (void *)&apt);
}

static bool apk_pinned(const char *p)
{
	return strpbrk(p, "=<>~") || bw_str_ends_with(p, ".apk") || is_path_or_url(p);
}

static const char *const apk_names[] = {"apk", NULL};
static const char *const apk_add[] = {"add", NULL};

void chk_apk_pin(struct lint_ctx *c, const struct lint_rule *r)
{
	static const struct pin apk = {apk_names, apk_add, apk_arg, apk_pinned};
	lint_each_cmd(c, r, pin, (void *)&apk);
}

static bool rpm_pinned(const char *p)
{
	/* name-version[-release]: a dash followed by a digit, or a file */
	for (const char *d = strchr(p, '-'); d; d = strchr(d + 1, '-'))
		if (bw_isdigit(d[1]))
			return true;
	return bw_str_ends_with(p, ".rpm") || is_path_or_url(p) || strchr(p, '@') || strchr(p, '=');
}

static bool env_in_stage(struct lint_ctx *c, const struct df_instr *in, const char *key);

/* Is name set for in: by an ENV or ARG of its stage (or the stages it is
 * built from), or by any ARG above it (the build may pass it)? */
static bool var_defined(struct lint_ctx *c, const struct df_instr *in, const char *name)
{
	if (env_in_stage(c, in, name))
		return true;
	for (size_t i = 0; i < c->df->n_instrs && (int)i < in->index; i++) {
		const struct df_instr *x = &c->df->instrs[i];
		for (size_t k = 0; x->kind == DF_ARG && k < x->n_kvs; k++)
			if (!strcmp(x->kvs[k].key, name))
				return true;
	}
	return false;
}

/* name-$VERSION: a version from a variable pins the package when something
 * sets that variable; a whole package name from a variable is not judged. */
static void rpm_var_versions(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			     const struct sh_cmd *cmd, size_t from)
{
	for (size_t i = from; i < cmd->argc; i++) {
		const struct sh_word *w = &cmd->argv[i];
		const char *d = strstr(w->text, "-$");
		if (w->text[0] == '-' || !(w->flags & SH_W_EXPAND) || !d)
			continue;
		const char *n = d + 2 + (d[2] == '{');
		size_t len = 0;
		while (bw_isalnum(n[len]) || n[len] == '_')
			len++;
		char name[128];
		if (!len || len >= sizeof(name))
			continue;
		memcpy(name, n, len);
		name[len] = 0;
		if (!var_defined(c, in, name)) {
			lint_report_sh(c, r, in, cmd,
				       "%s takes its version from $%s, which nothing above sets", w->text,
				       name);
			return;
		}
	}
}

static const char *const yum_names[] = {"yum", NULL};
static const char *const dnf_names[] = {"dnf", "microdnf", "dnf5", NULL};
static const char *const rpm_install[] = {"install", "groupinstall", "localinstall", "reinstall", NULL};

static void yum_pin(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		    const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	const char *const *names = ud;
	size_t at = is_pm(cmd, st, names, rpm_install, rpm_arg);
	if (at) {
		report_unpinned(c, r, in, cmd, at + 1, rpm_arg, rpm_pinned);
		rpm_var_versions(c, r, in, cmd, at + 1);
	}
	/* dnf module install name:stream */
	static const char *const module[] = {"module", NULL};
	at = is_pm(cmd, st, names, module, rpm_arg);
	if (at && at + 1 < cmd->argc && strcmp(cmd->argv[at + 1].text, "install") == 0)
		for (size_t i = at + 2; i < cmd->argc; i++)
			if (cmd->argv[i].text[0] != '-' && !strchr(cmd->argv[i].text, ':') &&
			    !(cmd->argv[i].flags & SH_W_EXPAND)) {
				lint_report_sh(c, r, in, cmd, "module without a stream: %s",
					       cmd->argv[i].text);
				break;
			}
}

void chk_yum_pin(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, yum_pin, (void *)yum_names);
}

/* dnf's (and dnf5's, microdnf's) package installs: `in` is dnf5's alias;
 * group installs name groups, which have no version. */
static const char *const dnf_install[] = {"install", "in", "localinstall", "reinstall", "rei", NULL};

static void dnf_pin(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		    const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	size_t at = is_pm(cmd, st, dnf_names, dnf_install, rpm_arg);
	if (at) {
		report_unpinned(c, r, in, cmd, at + 1, rpm_arg, rpm_pinned);
		rpm_var_versions(c, r, in, cmd, at + 1);
		return;
	}
	yum_pin(c, r, in, s, cmd, st, (void *)dnf_names); /* dnf module install name:stream */
}

void chk_dnf_pin(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, dnf_pin, NULL);
}

static bool zypper_pinned(const char *p)
{
	return strpbrk(p, "=<>") || bw_str_ends_with(p, ".rpm") || is_path_or_url(p);
}

static const char *const zypper_names[] = {"zypper", NULL};
static const char *const zypper_install[] = {"install", "in", NULL};

void chk_zypper_pin(struct lint_ctx *c, const struct lint_rule *r)
{
	static const struct pin zypper = {zypper_names, zypper_install, zypper_arg, zypper_pinned};
	lint_each_cmd(c, r, pin, (void *)&zypper);
}

/* pip, pip3, pip3.11, python -m pip, python3 -m pip */
static size_t pip_install(const struct sh_cmd *cmd, size_t st)
{
	const char *n = sh_cmd_name(cmd);
	size_t i = st + 1;
	if (strncmp(n, "python", 6) == 0) {
		if (i + 1 < cmd->argc && strcmp(cmd->argv[i].text, "-m") == 0 &&
		    strncmp(cmd->argv[i + 1].text, "pip", 3) == 0)
			i += 2;
		else
			return 0;
	} else if (strcmp(n, "pipx") != 0 &&
		   (strncmp(n, "pip", 3) != 0 || (n[3] && n[3] != '3' && n[3] != '2'))) {
		return 0;
	}
	for (; i < cmd->argc; i++) {
		const char *t = cmd->argv[i].text;
		if (t[0] == '-') {
			if (takes_arg(t, pip_arg))
				i++;
			continue;
		}
		return strcmp(t, "install") == 0 ? i : 0;
	}
	return 0;
}

static bool pip_pinned(const char *p)
{
	/* git+https://host/repo.git@ref#egg=name: the @ref after the path pins it */
	if (strncmp(p, "git+", 4) == 0) {
		const char *slash = strrchr(p, '/');
		return slash && strchr(slash, '@');
	}
	if (strchr(p, '/') && !strstr(p, "://"))
		return true; /* a local directory or file */
	return strstr(p, "==") || strpbrk(p, "<>~@!") || bw_str_ends_with(p, ".whl") ||
	       bw_str_ends_with(p, ".tar.gz") || bw_str_ends_with(p, ".zip") || is_path_or_url(p) ||
	       strncmp(p, "git+", 4) == 0;
}

static void pip_pin(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		    const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	size_t at = pip_install(cmd, st);
	if (!at)
		return;
	/* a constraints file pins everything */
	static const char *const cons[] = {"--constraint", NULL};
	if (sh_has_opt(cmd, at, 0, cons) || sh_has_opt(cmd, at, 0, (const char *const[]){"-c", NULL}))
		return;
	report_unpinned(c, r, in, cmd, at + 1, pip_arg, pip_pinned);
}

void chk_pip_pin(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, pip_pin, NULL);
}

static bool npm_pinned(const char *p)
{
	/* a git URL names a version with #commit-ish */
	if (strncmp(p, "git:", 4) == 0 || strncmp(p, "git+", 4) == 0 || strncmp(p, "github:", 7) == 0)
		return strchr(p, '#') != NULL;
	const char *at = strchr(p + 1, '@'); /* skip a scope's leading @ */
	if (at)
		return strcmp(at, "@latest") != 0 && at[1];
	return is_path_or_url(p) || bw_str_ends_with(p, ".tgz") || bw_str_ends_with(p, ".tar.gz") ||
	       bw_str_ends_with(p, ".tar") || strncmp(p, "file:", 5) == 0;
}

static const char *const npm_names[] = {"npm", NULL};
static const char *const npm_install[] = {"install", "i", "add", "isntall", NULL};

void chk_npm_pin(struct lint_ctx *c, const struct lint_rule *r)
{
	static const struct pin npm = {npm_names, npm_install, npm_arg, npm_pinned};
	lint_each_cmd(c, r, pin, (void *)&npm);
}

static bool gem_pinned(const char *p)
{
	return strchr(p, ':') || bw_str_ends_with(p, ".gem") || is_path_or_url(p);
}

static const char *const gem_names[] = {"gem", NULL};

/* gem install's options that take no value (any other option is read as
 * taking one, so `--some-build-flag true` names no gem) */
/* clang-format off */
static const char *const gem_flags[] = {"-N", "--no-document", "--document", "--no-ri", "--no-rdoc",
	"--user-install", "--no-user-install", "--conservative", "--minimal-deps", "-f", "--force",
	"--no-force", "--pre", "--prerelease", "--development", "--development-all", "--ignore-dependencies",
	"-l", "--local", "-r", "--remote", "-b", "--both", "--clear-sources", "-E", "--env-shebang",
	"--no-env-shebang", "--lock", "--no-lock", "--suggestions", "--no-suggestions", "--default",
	"--explain", "--post-install-message", "--no-post-install-message", "-w", "--wrappers",
	"--no-wrappers", "--format-executable", "--no-format-executable", "-q", "--quiet", "-V", "--verbose",
	"--no-verbose", "--backtrace", "--debug", "--norc", "--silent", "-u", "--update-sources",
	"--no-update-sources", "--vendor", "--[no-]http-proxy", "--no-http-proxy", NULL};
/* clang-format on */

static void gem_pin(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		    const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	static const char *const subs[] = {"install", "i", NULL};
	size_t at = is_pm(cmd, st, gem_names, subs, gem_arg);
	if (!at)
		return;
	static const char *const ver[] = {"--version", "-v", NULL};
	if (sh_has_opt(cmd, at, 0, ver))
		return;
	report_unpinned_opts(c, r, in, cmd, at + 1, gem_arg, gem_flags, gem_pinned);
}

void chk_gem_pin(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, gem_pin, NULL);
}

static bool go_pinned(const char *p)
{
	const char *at = strrchr(p, '@');
	if (at)
		return strcmp(at, "@latest") != 0 && strcmp(at, "@none") != 0 && at[1];
	return p[0] == '.' || p[0] == '/' || !strchr(p, '.'); /* local package or a std command */
}

/* go get names modules: only a local path goes without a version */
static bool go_get_pinned(const char *p)
{
	return go_pinned(p) && (strchr(p, '@') || p[0] == '.' || p[0] == '/');
}

static const char *const go_names[] = {"go", NULL};

static void go_pin(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		   const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	static const char *const get[] = {"get", NULL}, *const run[] = {"run", NULL};
	size_t at = is_pm(cmd, st, go_names, install, go_arg);
	if (at) {
		report_unpinned(c, r, in, cmd, at + 1, go_arg, go_pinned);
	} else if ((at = is_pm(cmd, st, go_names, get, go_arg)) != 0) {
		report_unpinned(c, r, in, cmd, at + 1, go_arg, go_get_pinned);
	} else if ((at = is_pm(cmd, st, go_names, run, go_arg)) != 0) {
		/* go run PACKAGE[@version] args…: the words after it are the program's */
		size_t p = at + 1;
		while (p < cmd->argc && cmd->argv[p].text[0] == '-')
			p += takes_arg(cmd->argv[p].text, go_arg) ? 2 : 1;
		const struct sh_word *w = p < cmd->argc ? &cmd->argv[p] : NULL;
		if (w && !(w->flags & SH_W_EXPAND) && !bw_str_ends_with(w->text, ".go") &&
		    !go_pinned(w->text))
			lint_report_sh(c, r, in, cmd, "go run without a version: %s", w->text);
	}
}

void chk_go_pin(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, go_pin, NULL);
}

/* ---- non-interactive switches ---- */

static void apt_yes(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		    const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	static const char *const subs[] = {"install", "upgrade", "dist-upgrade", "full-upgrade",
					   "remove",  "purge",	 "autoremove",	 NULL};
	static const char *const names[] = {"apt-get", NULL};
	if (!is_pm(cmd, st, names, subs, apt_arg))
		return;
	static const char *const yes[] = {"--yes", "--assume-yes", "--quiet=2", "-q=2", NULL};
	if (sh_has_opt(cmd, st + 1, 'y', yes))
		return;
	/* -qq, -q -q, --quiet --quiet: quiet level 2 implies yes */
	int q = 0;
	for (size_t i = st + 1; i < cmd->argc; i++) {
		const char *t = cmd->argv[i].text;
		if (!strcmp(t, "--quiet"))
			q++;
		else if (t[0] == '-' && t[1] != '-')
			for (const char *p = t + 1; *p; p++)
				q += *p == 'q';
	}
	if (q >= 2)
		return;
	lint_report_sh(c, r, in, cmd, "%s without -y", cmd->argv[st].text);
}

void chk_apt_yes(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, apt_yes, NULL);
}

static void apt_recommends(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			   const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	static const char *const names[] = {"apt-get", NULL};
	if (!is_pm(cmd, st, names, install, apt_arg))
		return;
	static const char *const nir[] = {"--no-install-recommends", NULL};
	if (sh_has_opt(cmd, st + 1, 0, nir))
		return;
	for (size_t i = st + 1; i + 1 < cmd->argc; i++)
		if ((strcmp(cmd->argv[i].text, "-o") == 0 || strcmp(cmd->argv[i].text, "--option") == 0) &&
		    bw_strncasecmp(cmd->argv[i + 1].text, "APT::Install-Recommends=", 24) == 0 &&
		    strchr("0fF", cmd->argv[i + 1].text[24]))
			return;
	lint_report_sh(c, r, in, cmd, "apt-get install without --no-install-recommends");
}

void chk_apt_recommends(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, apt_recommends, NULL);
}

static void rpm_yes(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		    const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	const char *const *names = ud;
	static const char *const subs[] = {
	    "install", "groupinstall", "localinstall", "reinstall",   "update", "upgrade",
	    "remove",  "erase",	       "module",       "distro-sync", NULL};
	if (!is_pm(cmd, st, names, subs, rpm_arg))
		return;
	static const char *const yes[] = {"--assumeyes", "--yes", NULL};
	if (!sh_has_opt(cmd, st + 1, 'y', yes))
		lint_report_sh(c, r, in, cmd, "%s without -y", cmd->argv[st].text);
}

void chk_yum_yes(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, rpm_yes, (void *)yum_names);
}

void chk_dnf_yes(struct lint_ctx *c, const struct lint_rule *r)
{
	static const char *const names[] = {"dnf", "dnf5", NULL};
	lint_each_cmd(c, r, rpm_yes, (void *)names);
}

static void zypper_yes(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		       const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	static const char *const subs[] = {
	    "install", "in",	"remove",	  "rm", "update", "up", "dist-upgrade",
	    "dup",     "patch", "source-install", "si", NULL};
	size_t at = is_pm(cmd, st, zypper_names, subs, zypper_arg);
	if (!at)
		return;
	static const char *const yes[] = {"--non-interactive", "--no-confirm", NULL};
	if (!sh_has_opt(cmd, st + 1, 'n', yes) && !sh_has_opt(cmd, at, 'y', yes))
		lint_report_sh(c, r, in, cmd, "zypper %s without --non-interactive", cmd->argv[at].text);
}

void chk_zypper_yes(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, zypper_yes, NULL);
}

/* ---- caches ---- */

bool lint_run_mounts(const struct df_instr *in, const char *path)
{
	for (size_t i = 0; i < in->n_flags; i++) {
		if (bw_strcasecmp(in->flags[i].name, "mount") || !in->flags[i].value)
			continue;
		const char *v = in->flags[i].value;
		if (!strstr(v, "type=cache") && !strstr(v, "type=tmpfs"))
			continue;
		const char *t = strstr(v, "target=");
		if (!t)
			t = strstr(v, "dst=");
		if (!t)
			t = strstr(v, "destination=");
		if (!t)
			continue;
		t = strchr(t, '=') + 1;
		size_t tl = strcspn(t, ",");
		while (tl > 1 && t[tl - 1] == '/')
			tl--;
		/* the mount covers path when it is path or one of its parents */
		if (strncmp(path, t, tl) == 0 && (path[tl] == 0 || path[tl] == '/'))
			return true;
	}
	return false;
}

bool lint_script_removes(const struct sh_script *s, const char *path)
{
	size_t pl = strlen(path);
	for (size_t k = 0; k < s->n_cmds; k++) {
		const struct sh_cmd *cmd = &s->cmds[k];
		if (!sh_cmd_is(cmd, "rm"))
			continue;
		for (size_t i = sh_cmd_start(cmd) + 1; i < cmd->argc; i++) {
			const char *t = cmd->argv[i].text;
			if (t[0] == '-')
				continue;
			size_t tl = strlen(t);
			while (tl > 1 && (t[tl - 1] == '/' || t[tl - 1] == '*'))
				tl--;
			if (tl <= pl && strncmp(t, path, tl) == 0 &&
			    (tl == pl || path[tl] == '/' || t[tl - 1] == '/'))
				return true;
		}
	}
	return false;
}

static bool script_has(const struct sh_script *s, const char *name, const char *sub, const char *sub2)
{
	return sh_find_cmd(s, name, sub) || (sub2 && sh_find_cmd(s, name, sub2));
}

static void apt_lists(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		      struct sh_script *s, void *ud)
{
	const struct sh_cmd *cmd = sh_find_cmd(s, "apt-get", "install");
	if (!cmd)
		cmd = sh_find_cmd(s, "apt-get", "update");
	if (!cmd)
		cmd = sh_find_cmd(s, "apt", "install");
	if (!cmd)
		cmd = sh_find_cmd(s, "aptitude", "install");
	if (!cmd)
		cmd = sh_find_cmd(s, "aptitude", "update");
	/* an ONBUILD trigger runs in whatever image builds FROM this one */
	if (!cmd || (!in->is_trigger && !lint_stage_in_final_image(c, in->stage)))
		return;
	if (lint_script_removes(s, "/var/lib/apt/lists") || lint_run_mounts(in, "/var/lib/apt/lists"))
		return;
	lint_report_sh(c, r, in, cmd, "apt lists are kept in the layer (no rm -rf /var/lib/apt/lists/*)");
}

void chk_apt_lists(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_run(c, r, apt_lists, NULL);
}

static void apk_no_cache(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			 const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	if (!is_pm(cmd, st, apk_names, apk_add, apk_arg))
		return;
	static const char *const nc[] = {"--no-cache", NULL};
	if (sh_has_opt(cmd, st + 1, 0, nc) || lint_run_mounts(in, "/var/cache/apk") ||
	    lint_run_mounts(in, "/etc/apk/cache"))
		return;
	lint_report_sh(c, r, in, cmd, "apk add without --no-cache");
}

void chk_apk_no_cache(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, apk_no_cache, NULL);
}

struct clean {
	const char *const *names;
	const char *const *subs;
	const char *clean, *clean_sub, *clean_sub2;
	const char *cache, *cache2;
};

static void missing_clean(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			  struct sh_script *s, void *ud)
{
	const struct clean *cl = ud;
	const struct sh_cmd *hit = NULL;
	size_t k = 0;
	for (; k < s->n_cmds && !hit; k++) {
		const struct sh_cmd *cmd = &s->cmds[k];
		size_t st = sh_cmd_start(cmd);
		if (st < cmd->argc && is_pm(cmd, st, cl->names, cl->subs, rpm_arg))
			hit = cmd;
	}
	if (!hit)
		return;
	/* a clean before the install leaves the install's cache */
	struct sh_script after = *s;
	after.cmds += k;
	after.n_cmds -= k;
	for (size_t n = 0; cl->names[n]; n++)
		if (script_has(&after, cl->names[n], cl->clean_sub, cl->clean_sub2))
			return;
	if (cl->clean && script_has(&after, cl->clean, cl->clean_sub, cl->clean_sub2))
		return;
	if (lint_script_removes(&after, cl->cache) || lint_run_mounts(in, cl->cache) ||
	    (cl->cache2 && (lint_script_removes(&after, cl->cache2) || lint_run_mounts(in, cl->cache2))))
		return;
	lint_report_sh(c, r, in, hit, "%s %s without '%s %s' in the same RUN", sh_cmd_name(hit), "install",
		       sh_cmd_name(hit), cl->clean_sub2 ? cl->clean_sub : "clean all");
}

void chk_yum_clean(struct lint_ctx *c, const struct lint_rule *r)
{
	struct clean cl = {yum_names, rpm_install, NULL, "clean", NULL, "/var/cache/yum", NULL};
	lint_each_run(c, r, missing_clean, &cl);
}

/* A cache or tmpfs mount whose target ends in .cache/libdnf5 (dnf5's cache
 * of a user other than root). */
static bool mounts_user_dnf_cache(const struct df_instr *in)
{
	for (size_t i = 0; i < in->n_flags; i++) {
		const char *v = in->flags[i].value;
		if (bw_strcasecmp(in->flags[i].name, "mount") || !v ||
		    (!strstr(v, "type=cache") && !strstr(v, "type=tmpfs")))
			continue;
		const char *t = strstr(v, ".cache/libdnf5");
		if (t && (t[14] == 0 || t[14] == ',' || t[14] == '/'))
			return true;
	}
	return false;
}

/* Is cmd (at st) a dnf command that fills the package cache: install,
 * upgrade, reinstall and their dnf5 aliases, or `group|module install`? */
static bool dnf_fills_cache(const struct sh_cmd *cmd, size_t st, const char *const *names)
{
	static const char *const subs[] = {"install",	      "in",	      "upgrade",      "up",
					   "upgrade-minimal", "up-min",	      "reinstall",    "rei",
					   "update",	      "groupinstall", "localinstall", NULL};
	static const char *const group[] = {"group", "groups", "module", NULL};
	if (is_pm(cmd, st, names, subs, rpm_arg))
		return true;
	size_t at = is_pm(cmd, st, names, group, rpm_arg);
	if (!at)
		return false;
	const char *sub = subcmd(cmd, at, rpm_arg, NULL);
	return sub && bw_str_in(sub, subs);
}

static const char *const dnf_caches[] = {"/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/yum", NULL};

/* dnf/microdnf: a `clean` of the same tool, or an rm of its cache, after the
 * first command that fills the cache, or a cache/tmpfs mount over it. */
static void dnf_missing_clean(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			      struct sh_script *s, void *ud)
{
	const char *const *names = ud;
	size_t k = 0;
	for (; k < s->n_cmds; k++) {
		const struct sh_cmd *cmd = &s->cmds[k];
		size_t st = sh_cmd_start(cmd);
		if (st < cmd->argc && dnf_fills_cache(cmd, st, names))
			break;
	}
	if (k == s->n_cmds)
		return;
	const struct sh_cmd *hit = &s->cmds[k];
	if (mounts_user_dnf_cache(in))
		return;
	for (size_t n = 0; dnf_caches[n]; n++)
		if (lint_run_mounts(in, dnf_caches[n]))
			return;
	struct sh_script after = *s; /* the commands after the install */
	after.cmds += k + 1;
	after.n_cmds -= k + 1;
	for (size_t n = 0; names[n]; n++)
		if (sh_find_cmd(&after, names[n], "clean"))
			return;
	for (size_t n = 0; dnf_caches[n]; n++)
		if (lint_script_removes(&after, dnf_caches[n]))
			return;
	const char *sub = hit->argv[sh_cmd_start(hit) + 1].text;
	size_t at = 0;
	if (subcmd(hit, sh_cmd_start(hit), rpm_arg, &at))
		sub = hit->argv[at].text;
	lint_report_sh(c, r, in, hit, "%s %s without a later '%s clean all' in the same RUN",
		       sh_cmd_name(hit), sub, sh_cmd_name(hit));
}

void chk_dnf_clean(struct lint_ctx *c, const struct lint_rule *r)
{
	static const char *const names[] = {"dnf", "dnf5", NULL};
	lint_each_run(c, r, dnf_missing_clean, (void *)names);
}

void chk_microdnf_clean(struct lint_ctx *c, const struct lint_rule *r)
{
	static const char *const names[] = {"microdnf", NULL};
	lint_each_run(c, r, dnf_missing_clean, (void *)names);
}

void chk_zypper_clean(struct lint_ctx *c, const struct lint_rule *r)
{
	struct clean cl = {zypper_names, zypper_install, NULL, "clean", "cc", "/var/cache/zypp", NULL};
	lint_each_run(c, r, missing_clean, &cl);
}

/* The last ENV or ARG of in's stage (and the stages it is built from)
 * before in that sets key, or NULL. */
static const struct df_kv *env_kv_in_stage(struct lint_ctx *c, const struct df_instr *in, const char *key)
{
	if (in->stage < 0)
		return NULL;
	for (int st = in->stage; st >= 0; st = c->df->stages[st].parent) {
		const struct df_stage *s = &c->df->stages[st];
		size_t end = st == in->stage ? (size_t)in->index : s->end;
		const struct df_kv *last = NULL;
		for (size_t i = s->from; i < end; i++) {
			const struct df_instr *x = &c->df->instrs[i];
			if (x->kind == DF_ENV || x->kind == DF_ARG)
				for (size_t k = 0; k < x->n_kvs; k++)
					if (strcmp(x->kvs[k].key, key) == 0)
						last = &x->kvs[k];
		}
		if (last)
			return last;
	}
	return NULL;
}

static bool env_in_stage(struct lint_ctx *c, const struct df_instr *in, const char *key)
{
	return env_kv_in_stage(c, in, key) != NULL;
}

/* pip's boolean variables: anything but 0, off, no, false (an ARG without
 * a value: whatever the build passes, taken as set) */
static bool truthy(const char *v)
{
	static const char *const no[] = {"0", "off", "no", "false", NULL};
	if (!v)
		return true;
	for (size_t k = 0; no[k]; k++)
		if (!bw_strcasecmp(v, no[k]))
			return false;
	return true;
}

/* A NAME=value word setting PIP_NO_CACHE_DIR to a true value. */
static bool sets_no_cache(const char *w)
{
	return strncmp(w, "PIP_NO_CACHE_DIR=", 17) == 0 && truthy(w + 17);
}

static void pip_cache(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		      const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	size_t at = pip_install(cmd, st);
	if (!at)
		return;
	static const char *const ncd[] = {"--no-cache-dir", NULL};
	if (!strcmp(sh_cmd_name(cmd), "pipx"))
		return; /* pipx keeps no pip cache in the layer by itself */
	if (sh_has_opt(cmd, st + 1, 0, ncd) || lint_run_mounts(in, "/root/.cache/pip") ||
	    lint_run_mounts(in, "/root/.cache"))
		return;
	const struct df_kv *env = env_kv_in_stage(c, in, "PIP_NO_CACHE_DIR");
	bool off = env && truthy(env->value ? (env->expanded ? env->expanded : env->value) : NULL);
	/* export PIP_NO_CACHE_DIR=… earlier in the RUN, or PIP_NO_CACHE_DIR=… pip … */
	for (const struct sh_cmd *e = s->cmds; e < cmd; e++)
		if (sh_cmd_is(e, "export"))
			for (size_t k = 1; k < e->argc; k++)
				if (!strncmp(e->argv[k].text, "PIP_NO_CACHE_DIR=", 17))
					off = sets_no_cache(e->argv[k].text);
	for (size_t k = 0; k < cmd->n_assigns; k++)
		if (!strncmp(cmd->assigns[k].text, "PIP_NO_CACHE_DIR=", 17))
			off = sets_no_cache(cmd->assigns[k].text);
	if (off)
		return;
	lint_report_sh(c, r, in, cmd, "pip install without --no-cache-dir");
}

void chk_pip_cache(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, pip_cache, NULL);
}

static void yarn_cache(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		       struct sh_script *s, void *ud)
{
	const struct sh_cmd *hit = sh_find_cmd(s, "yarn", "install");
	const struct sh_cmd *add = sh_find_cmd(s, "yarn", "add");
	if (!hit || (add && add < hit))
		hit = add;
	if (!hit || (!in->is_trigger && !lint_stage_in_final_image(c, in->stage)))
		return;
	/* the clean must come after the install */
	for (size_t k = (size_t)(hit - s->cmds) + 1; k < s->n_cmds; k++) {
		const struct sh_cmd *cmd = &s->cmds[k];
		size_t st = sh_cmd_start(cmd);
		if (sh_cmd_is(cmd, "yarn") && st + 2 < cmd->argc &&
		    strcmp(cmd->argv[st + 1].text, "cache") == 0 &&
		    strcmp(cmd->argv[st + 2].text, "clean") == 0)
			return;
	}
	if (lint_run_mounts(in, "/usr/local/share/.cache/yarn") || lint_run_mounts(in, "/root/.cache/yarn") ||
	    lint_run_mounts(in, "/root/.yarn") || lint_script_removes(s, "/usr/local/share/.cache/yarn"))
		return;
	lint_report_sh(c, r, in, hit, "yarn install without 'yarn cache clean' in the same RUN");
}

void chk_yarn_cache(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_run(c, r, yarn_cache, NULL);
}

/* ---- upgrades ---- */

struct upgrade {
	const char *const *names;
	const char *const *subs;
	const char *const *with_arg;
};

static void upgrade(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		    const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	const struct upgrade *u = ud;
	size_t at = is_pm(cmd, st, u->names, u->subs, u->with_arg);
	if (!at)
		return;
	/* `yum update pkg` updates a package, which is an install */
	if (u->with_arg == rpm_arg) {
		for (size_t i = at + 1; i < cmd->argc; i++)
			if (cmd->argv[i].text[0] != '-')
				return;
	}
	lint_report_sh(c, r, in, cmd, "%s %s", sh_cmd_name(cmd), cmd->argv[at].text);
}

void chk_apt_upgrade(struct lint_ctx *c, const struct lint_rule *r)
{
	static const char *const subs[] = {"upgrade", "dist-upgrade", "full-upgrade", NULL};
	struct upgrade u = {apt_names, subs, apt_arg};
	lint_each_cmd(c, r, upgrade, &u);
}

void chk_apk_upgrade(struct lint_ctx *c, const struct lint_rule *r)
{
	static const char *const subs[] = {"upgrade", NULL};
	struct upgrade u = {apk_names, subs, apk_arg};
	lint_each_cmd(c, r, upgrade, &u);
}

void chk_yum_update(struct lint_ctx *c, const struct lint_rule *r)
{
	static const char *const subs[] = {"update", "upgrade", "distro-sync", NULL};
	struct upgrade u = {yum_names, subs, rpm_arg};
	lint_each_cmd(c, r, upgrade, &u);
}

void chk_dnf_update(struct lint_ctx *c, const struct lint_rule *r)
{
	static const char *const subs[] = {"update", "upgrade", "distro-sync", NULL};
	struct upgrade u = {dnf_names, subs, rpm_arg};
	lint_each_cmd(c, r, upgrade, &u);
}

void chk_zypper_dist_upgrade(struct lint_ctx *c, const struct lint_rule *r)
{
	static const char *const subs[] = {"dist-upgrade", "dup", NULL};
	struct upgrade u = {zypper_names, subs, zypper_arg};
	lint_each_cmd(c, r, upgrade, &u);
}

static void apt_cli(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		    const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	if (sh_cmd_is(cmd, "apt"))
		lint_report_sh(c, r, in, cmd, "apt %s", st + 1 < cmd->argc ? cmd->argv[st + 1].text : "");
}

void chk_apt_cli(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, apt_cli, NULL);
}

/* `apt-get update` (or apk/yum/dnf/zypper refresh) with no install after it
 * in the same RUN: the cached index goes stale in the layer cache. */
static void update_alone(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			 struct sh_script *s, void *ud)
{
	static const struct {
		const char *name, *update;
	} pm[] = {{"apt-get", "update"}, {"apt", "update"},	{"apk", "update"}, {"yum", "makecache"},
		  {"dnf", "makecache"},	 {"zypper", "refresh"}, {"zypper", "ref"}};
	static const char *const inst[] = {"install",	   "add",	   "in",
					   "upgrade",	   "dist-upgrade", "groupinstall",
					   "localinstall", "update",	   NULL};
	for (size_t p = 0; p < BW_ARRAY_SIZE(pm); p++) {
		const struct sh_cmd *u = sh_find_cmd(s, pm[p].name, pm[p].update);
		if (!u)
			continue;
		bool installs = false;
		for (size_t k = 0; k < s->n_cmds && !installs; k++) {
			const struct sh_cmd *cmd = &s->cmds[k];
			size_t st = sh_cmd_start(cmd);
			if (st >= cmd->argc || cmd == u)
				continue;
			const char *sub = subcmd(cmd, st, none_arg, NULL);
			const char *n = sh_cmd_name(cmd);
			if (sub && bw_str_in(sub, inst) &&
			    !(strcmp(sub, "update") == 0 && strcmp(n, "apt-get") == 0) &&
			    (!strcmp(n, "apt-get") || !strcmp(n, "apt") || !strcmp(n, "apk") ||
			     !strcmp(n, "yum") || !strcmp(n, "dnf") || !strcmp(n, "zypper") ||
			     !strcmp(n, "microdnf") || !strcmp(n, "aptitude")))
				installs = true;
		}
		if (!installs) {
			lint_report_sh(c, r, in, u, "%s %s without an install in the same RUN", pm[p].name,
				       pm[p].update);
			return;
		}
	}
}

void chk_update_alone(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_run(c, r, update_alone, NULL);
}
