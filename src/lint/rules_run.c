/* Rules on the commands of RUN (other than package managers). */
#include "rules-int.h"

static void sudo(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		 const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	for (size_t i = 0; i <= st && i < cmd->argc; i++) {
		const char *n = bw_path_base(cmd->argv[i].text);
		if (!strcmp(n, "sudo") || !strcmp(n, "doas")) {
			lint_report_sh(c, r, in, cmd, "%s %s", n, st < cmd->argc ? cmd->argv[st].text : "");
			return;
		}
	}
}

void chk_sudo(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, sudo, NULL);
}

static void cd(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
	       const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	/* a cd inside ( … ) or $( … ) does not leak: that is the right way */
	if (sh_cmd_is(cmd, "cd") && cmd->depth == 0)
		lint_report_sh(c, r, in, cmd, "cd %s", st + 1 < cmd->argc ? cmd->argv[st + 1].text : "");
}

void chk_cd(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, cd, NULL);
}

static bool is_shell(const char *n)
{
	return !strcmp(n, "sh") || !strcmp(n, "bash") || !strcmp(n, "ash") || !strcmp(n, "dash") ||
	       !strcmp(n, "zsh") || !strcmp(n, "ksh") || !strcmp(n, "python") || !strcmp(n, "python3") ||
	       !strcmp(n, "perl") || !strcmp(n, "ruby") || !strcmp(n, "node") || !strcmp(n, "php");
}

/* curl … | sh, wget -O- … | bash, sh -c "$(curl …)", bash <(curl …) */
static void pipe_to_shell(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			  struct sh_script *s, void *ud)
{
	for (size_t k = 0; k + 1 < s->n_cmds; k++) {
		const struct sh_cmd *a = &s->cmds[k];
		if (!a->pipe_out || !(sh_cmd_is(a, "curl") || sh_cmd_is(a, "wget") || sh_cmd_is(a, "fetch")))
			continue;
		/* the next commands of the pipeline */
		for (size_t j = k + 1; j < s->n_cmds && s->cmds[j].sep == SH_SEP_PIPE; j++) {
			const struct sh_cmd *b = &s->cmds[j];
			if (is_shell(sh_cmd_name(b))) {
				lint_report_sh(c, r, in, b, "%s … | %s", sh_cmd_name(a), sh_cmd_name(b));
				return;
			}
			if (!s->cmds[j].pipe_out)
				break;
		}
	}
	/* sh -c "$(curl …)" */
	for (size_t k = 0; k < s->n_cmds; k++) {
		const struct sh_cmd *a = &s->cmds[k];
		size_t st = sh_cmd_start(a);
		if (st >= a->argc || !is_shell(sh_cmd_name(a)))
			continue;
		for (size_t i = st + 1; i < a->argc; i++) {
			const char *t = a->argv[i].text;
			if ((strstr(t, "$(curl") || strstr(t, "$(wget") || strstr(t, "`curl") ||
			     strstr(t, "`wget"))) {
				lint_report_sh(c, r, in, a, "%s runs a downloaded script", sh_cmd_name(a));
				return;
			}
		}
	}
}

void chk_pipe_to_shell(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_run(c, r, pipe_to_shell, NULL);
}

/* DL4006: a pipe in RUN without `set -o pipefail` in the SHELL or script */
static bool sets_pipefail(const struct sh_cmd *cmd)
{
	if (!sh_cmd_is(cmd, "set"))
		return false;
	for (size_t i = sh_cmd_start(cmd) + 1; i + 1 < cmd->argc; i++)
		if (cmd->argv[i].text[0] == '-' && strchr(cmd->argv[i].text, 'o') &&
		    strcmp(cmd->argv[i + 1].text, "pipefail") == 0)
			return true;
	return false;
}

static void pipefail(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		     struct sh_script *s, void *ud)
{
	if (in->json || !s->has_pipe)
		return;
	const struct df_instr *sh = in->is_trigger ? NULL : lint_shell_for(c, (size_t)in->index);
	if (sh) {
		const char *n = bw_path_base(sh->argv[0]);
		/* shells without pipefail (pwsh, cmd) are out of scope */
		if (strcmp(n, "bash") && strcmp(n, "zsh") && strcmp(n, "ash") && strcmp(n, "ksh") &&
		    strcmp(n, "sh") && strcmp(n, "dash") && strcmp(n, "mksh"))
			return;
		for (size_t i = 1; i + 1 < sh->argc; i++)
			if (sh->argv[i][0] == '-' && strchr(sh->argv[i], 'o') &&
			    !strcmp(sh->argv[i + 1], "pipefail"))
				return;
	}
	for (size_t k = 0; k < s->n_cmds; k++) {
		if (sets_pipefail(&s->cmds[k]))
			return;
		if (s->cmds[k].pipe_out) {
			lint_report_sh(c, r, in, &s->cmds[k], "pipe from %s without pipefail",
				       sh_cmd_name(&s->cmds[k]));
			return;
		}
	}
}

void chk_pipefail(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_run(c, r, pipefail, NULL);
}

static void useradd(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		    const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	if (!sh_cmd_is(cmd, "useradd"))
		return;
	static const char *const l[] = {"--no-log-init", NULL};
	if (sh_has_opt(cmd, st + 1, 'l', l))
		return;
	for (size_t i = st + 1; i < cmd->argc; i++) {
		const char *t = cmd->argv[i].text, *uid = NULL;
		if ((!strcmp(t, "-u") || !strcmp(t, "--uid")) && i + 1 < cmd->argc)
			uid = cmd->argv[i + 1].text;
		else if (!strncmp(t, "--uid=", 6))
			uid = t + 6;
		else if (!strncmp(t, "-u", 2) && bw_isdigit(t[2]))
			uid = t + 2;
		if (uid && strspn(uid, "0123456789") == strlen(uid) && strlen(uid) > 5) {
			lint_report_sh(c, r, in, cmd, "useradd -u %s without -l", uid);
			return;
		}
	}
}

void chk_useradd_uid(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, useradd, NULL);
}

static void recursive_chown(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			    const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	if (!sh_cmd_is(cmd, "chown") && !sh_cmd_is(cmd, "chmod") && !sh_cmd_is(cmd, "chgrp"))
		return;
	static const char *const rec[] = {"--recursive", NULL};
	if (sh_has_opt(cmd, st + 1, 'R', rec))
		lint_report_sh(c, r, in, cmd, "%s -R copies every file of the tree into a new layer",
			       sh_cmd_name(cmd));
}

void chk_recursive_chown(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, recursive_chown, NULL);
}

static bool http_url(const char *t)
{
	if (bw_strncasecmp(t, "http://", 7) && bw_strncasecmp(t, "ftp://", 6))
		return false;
	const char *h = strstr(t, "://") + 3;
	return strncmp(h, "localhost", 9) && strncmp(h, "127.", 4) && strncmp(h, "[::1]", 5);
}

static void plain_http(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		       const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	const char *n = sh_cmd_name(cmd);
	bool dl = !strcmp(n, "curl") || !strcmp(n, "wget") || !strcmp(n, "fetch") || !strncmp(n, "pip", 3) ||
		  !strcmp(n, "npm") || !strcmp(n, "yarn") || !strcmp(n, "gem") || !strcmp(n, "git") ||
		  !strcmp(n, "apk") || !strcmp(n, "rpm") || !strcmp(n, "yum") || !strcmp(n, "dnf") ||
		  !strcmp(n, "go") || !strcmp(n, "composer") || !strcmp(n, "add-apt-repository");
	if (!dl)
		return;
	for (size_t i = st + 1; i < cmd->argc; i++) {
		const char *t = cmd->argv[i].text, *eq = strchr(t, '=');
		if (http_url(t) || (t[0] == '-' && eq && http_url(eq + 1))) {
			lint_report_sh(c, r, in, cmd, "%s fetches %s", n, eq && t[0] == '-' ? eq + 1 : t);
			return;
		}
	}
}

void chk_plain_http(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, plain_http, NULL);
}

static void irrelevant(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		       const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	static const char *const bad[] = {"ssh",  "vim",    "shutdown", "service",  "ps",
					  "free", "top",    "kill",	"mount",    "ifconfig",
					  "nano", "reboot", "halt",	"poweroff", NULL};
	const char *n = sh_cmd_name(cmd);
	if (bw_str_in(n, bad))
		lint_report_sh(c, r, in, cmd, "%s has no use in an image build", n);
}

void chk_irrelevant_cmd(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, irrelevant, NULL);
}

static void wget_progress(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			  const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	if (!sh_cmd_is(cmd, "wget"))
		return;
	static const char *const quiet[] = {"--progress",    "--quiet",		"--no-verbose",
					    "--output-file", "--append-output", NULL};
	if (sh_has_opt(cmd, st + 1, 'q', quiet))
		return;
	for (size_t i = st + 1; i < cmd->argc; i++) {
		const char *t = cmd->argv[i].text;
		if (!strcmp(t, "-nv") || !strcmp(t, "-o") || !strcmp(t, "-a"))
			return;
	}
	lint_report_sh(c, r, in, cmd, "wget without --progress, -q or -nv");
}

void chk_wget_progress(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, wget_progress, NULL);
}

void chk_wget_and_curl(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t st = 0; st < c->df->n_stages; st++) {
		const struct df_stage *stg = &c->df->stages[st];
		const struct df_instr *wget = NULL, *curl = NULL;
		const struct sh_cmd *wc = NULL, *cc = NULL;
		for (size_t i = stg->from; i < stg->end && i < c->df->n_instrs; i++) {
			const struct df_instr *in = &c->df->instrs[i];
			struct sh_script *s = lint_script(c, in);
			if (!s)
				continue;
			const struct sh_cmd *w = sh_find_cmd(s, "wget", NULL),
					    *cu = sh_find_cmd(s, "curl", NULL);
			if (w && !wget) {
				wget = in;
				wc = w;
			}
			if (cu && !curl) {
				curl = in;
				cc = cu;
			}
			if (wget && curl) {
				bool later_wget = wget->index > curl->index;
				lint_report_sh(c, r, later_wget ? wget : curl, later_wget ? wc : cc,
					       "both wget and curl are used in this stage");
				break;
			}
		}
	}
}

static void shell_symlink(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			  const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	if (!sh_cmd_is(cmd, "ln"))
		return;
	const char *last = cmd->argv[cmd->argc - 1].text;
	if (!strcmp(last, "/bin/sh") || !strcmp(last, "/usr/bin/sh"))
		lint_report_sh(c, r, in, cmd, "ln … %s changes the shell of every later RUN", last);
}

void chk_shell_symlink(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, shell_symlink, NULL);
}

/* chmod u+s / g+s / 4755 / 2755 */
static bool mode_setid(const char *m)
{
	if (m[0] >= '0' && m[0] <= '7' && strspn(m, "01234567") == strlen(m)) {
		size_t n = strlen(m);
		return n >= 4 && ((m[n - 4] - '0') & 6);
	}
	for (const char *p = m; *p; p++)
		if (*p == '+' || *p == '=') {
			for (const char *q = p + 1; *q && *q != ',' && *q != '-' && *q != '+'; q++)
				if (*q == 's')
					return true;
		}
	return false;
}

static void setid_cmd(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		      const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	if (!sh_cmd_is(cmd, "chmod"))
		return;
	for (size_t i = st + 1; i < cmd->argc; i++) {
		const char *t = cmd->argv[i].text;
		if (t[0] == '-' && !(t[1] >= '0' && t[1] <= '7') && !strchr(t, 's'))
			continue;
		if (mode_setid(t[0] == '-' ? t : t)) {
			lint_report_sh(c, r, in, cmd, "chmod %s sets the setuid/setgid bit", t);
			return;
		}
		if (t[0] != '-')
			return; /* only the mode word matters */
	}
}

void chk_setuid(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, setid_cmd, NULL);
}

/* signatures or TLS verification turned off */
static void unverified(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		       const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	const char *n = sh_cmd_name(cmd);
	static const struct {
		const char *cmd, *opt;
	} bad[] = {
	    {"apt-get", "--allow-unauthenticated"},
	    {"apt-get", "--force-yes"},
	    {"apt", "--allow-unauthenticated"},
	    {"apt-get", "--allow-insecure-repositories"},
	    {"apk", "--allow-untrusted"},
	    {"yum", "--nogpgcheck"},
	    {"dnf", "--nogpgcheck"},
	    {"microdnf", "--nogpgcheck"},
	    {"rpm", "--nosignature"},
	    {"rpm", "--nodigest"},
	    {"zypper", "--no-gpg-checks"},
	    {"curl", "--insecure"},
	    {"curl", "-k"},
	    {"wget", "--no-check-certificate"},
	    {"pip", "--trusted-host"},
	    {"pip3", "--trusted-host"},
	    {"git", "http.sslVerify=false"},
	    {"npm", "strict-ssl"},
	    {"gem", "--no-verify"},
	};
	for (size_t i = st + 1; i < cmd->argc; i++) {
		const char *t = cmd->argv[i].text;
		for (size_t k = 0; k < BW_ARRAY_SIZE(bad); k++) {
			if (strcmp(n, bad[k].cmd))
				continue;
			size_t ol = strlen(bad[k].opt);
			bool hit = !strncmp(t, bad[k].opt, ol) && (t[ol] == 0 || t[ol] == '=');
			if (!strcmp(bad[k].cmd, "npm") && hit)
				hit = i + 1 < cmd->argc && !strcmp(cmd->argv[i + 1].text, "false");
			if (!strcmp(bad[k].cmd, "npm") && !hit && !strcmp(t, "strict-ssl=false"))
				hit = true;
			if (!strcmp(bad[k].cmd, "git"))
				hit = bw_strcasecmp(t, "http.sslVerify=false") == 0 ||
				      (bw_strcasecmp(t, "http.sslVerify") == 0 && i + 1 < cmd->argc &&
				       !strcmp(cmd->argv[i + 1].text, "false"));
			if (hit) {
				lint_report_sh(c, r, in, cmd, "%s %s", n, t);
				return;
			}
		}
	}
	for (size_t k = 0; k < cmd->n_assigns; k++)
		if (!strncmp(cmd->assigns[k].text, "GIT_SSL_NO_VERIFY=", 18) ||
		    !strncmp(cmd->assigns[k].text, "NODE_TLS_REJECT_UNAUTHORIZED=0", 30) ||
		    !strncmp(cmd->assigns[k].text, "PYTHONHTTPSVERIFY=0", 19)) {
			lint_report_sh(c, r, in, cmd, "%s", cmd->assigns[k].text);
			return;
		}
}

void chk_unverified(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, unverified, NULL);
}

static void empty_password(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			   const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	const char *n = sh_cmd_name(cmd);
	if (!strcmp(n, "passwd")) {
		static const char *const del[] = {"--delete", NULL};
		if (sh_has_opt(cmd, st + 1, 'd', del))
			lint_report_sh(c, r, in, cmd, "passwd -d leaves an account without a password");
		return;
	}
	if (!strcmp(n, "useradd") || !strcmp(n, "usermod") || !strcmp(n, "adduser")) {
		for (size_t i = st + 1; i + 1 < cmd->argc; i++)
			if ((!strcmp(cmd->argv[i].text, "-p") || !strcmp(cmd->argv[i].text, "--password")) &&
			    cmd->argv[i + 1].text[0] == 0) {
				lint_report_sh(c, r, in, cmd, "%s with an empty password", n);
				return;
			}
		return;
	}
	if (!strcmp(n, "chpasswd")) {
		/* echo 'user:' | chpasswd */
		const struct sh_cmd *prev = cmd > s->cmds ? cmd - 1 : NULL;
		if (prev && cmd->sep == SH_SEP_PIPE && sh_cmd_is(prev, "echo"))
			for (size_t i = sh_cmd_start(prev) + 1; i < prev->argc; i++) {
				const char *t = prev->argv[i].text;
				size_t l = strlen(t);
				if (l && t[l - 1] == ':' && t[0] != '-') {
					lint_report_sh(c, r, in, cmd,
						       "chpasswd sets an empty password for %.*s",
						       (int)(l - 1), t);
					return;
				}
			}
	}
}

void chk_empty_password(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, empty_password, NULL);
}

static void nonunique_uid(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			  const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	const char *n = sh_cmd_name(cmd);
	if (strcmp(n, "useradd") && strcmp(n, "usermod") && strcmp(n, "groupadd") && strcmp(n, "groupmod"))
		return;
	static const char *const nu[] = {"--non-unique", NULL};
	if (sh_has_opt(cmd, st + 1, 'o', nu))
		lint_report_sh(c, r, in, cmd, "%s -o allows a duplicate %s", n, n[0] == 'g' ? "GID" : "UID");
	/* uid 0 for another account */
	if (!strcmp(n, "useradd") || !strcmp(n, "usermod"))
		for (size_t i = st + 1; i + 1 < cmd->argc; i++)
			if ((!strcmp(cmd->argv[i].text, "-u") || !strcmp(cmd->argv[i].text, "--uid")) &&
			    !strcmp(cmd->argv[i + 1].text, "0")) {
				lint_report_sh(c, r, in, cmd, "%s -u 0 gives another account root's UID", n);
				return;
			}
}

void chk_nonunique_uid(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, nonunique_uid, NULL);
}

/* Trivy DS031's credential set-ups in RUN without a secret mount */
static void run_credentials(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			    const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud)
{
	for (size_t i = 0; i < in->n_flags; i++)
		if (!bw_strcasecmp(in->flags[i].name, "mount") && in->flags[i].value &&
		    strstr(in->flags[i].value, "type=secret"))
			return;
	const char *n = sh_cmd_name(cmd);
	const char *a1 = st + 1 < cmd->argc ? cmd->argv[st + 1].text : "";
	const char *a2 = st + 2 < cmd->argc ? cmd->argv[st + 2].text : "";
	const char *a3 = st + 3 < cmd->argc ? cmd->argv[st + 3].text : "";
	bool hit = false;
	if (!strcmp(n, "aws") && !strcmp(a1, "configure") && !strcmp(a2, "set") &&
	    (!strcmp(a3, "aws_access_key_id") || !strcmp(a3, "aws_secret_access_key")))
		hit = true;
	if (!strcmp(n, "gcloud") && !strcmp(a1, "auth") && !strcmp(a2, "activate-service-account"))
		hit = true;
	if (!strcmp(n, "az") && !strcmp(a1, "login")) {
		static const char *const pw[] = {"--password", "--federated-token", NULL};
		hit = sh_has_opt(cmd, st + 2, 'p', pw);
	}
	if (!strcmp(n, "doctl") && !strcmp(a1, "auth") && !strcmp(a2, "init")) {
		static const char *const tok[] = {"--access-token", NULL};
		hit = sh_has_opt(cmd, st + 3, 't', tok);
	}
	if ((!strcmp(n, "docker") || !strcmp(n, "podman") || !strcmp(n, "helm")) && !strcmp(a1, "login")) {
		static const char *const pw[] = {"--password", NULL};
		hit = sh_has_opt(cmd, st + 2, 'p', pw);
	}
	if (hit)
		lint_report_sh(c, r, in, cmd, "%s %s stores a credential in the layer", n, a1);
}

void chk_run_credentials(struct lint_ctx *c, const struct lint_rule *r)
{
	lint_each_cmd(c, r, run_credentials, NULL);
}
