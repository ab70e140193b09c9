/* Rules on the image configuration (User, Healthcheck, Env, Volumes, the
 * tag) and on its history (what each build step ran). */
#include "imgcheck-int.h"

/* ---- pieces the unit tests call ---- */

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* "/bin/sh -c " or "/bin/bash -c ", … at s: length of the prefix, or 0. */
static size_t shell_prefix(const char *s)
{
	static const char *const sh[] = {"/bin/sh -c ", "/bin/bash -c ", "/bin/ash -c ", "/usr/bin/sh -c ",
					 "/bin/sh -o pipefail -c ", "/bin/bash -o pipefail -c ",
					 /* Windows images */
					 "cmd /S /C ", NULL};
	for (size_t i = 0; sh[i]; i++)
		if (!strncmp(s, sh[i], strlen(sh[i])))
			return strlen(sh[i]);
	return 0;
}

void img_hist_parse(const char *created_by, struct img_hist *out)
{
	memset(out, 0, sizeof(*out));
	const char *s = skip_ws(created_by ? created_by : "");
	size_t n = strlen(s);
	/* BuildKit appends " # buildkit" */
	static const char bk[] = " # buildkit";
	if (n >= sizeof(bk) - 1 && !strcmp(s + n - (sizeof(bk) - 1), bk))
		n -= sizeof(bk) - 1;
	const char *e = s + n;
	/* BuildKit: the instruction keyword first */
	size_t kw = 0;
	while (s + kw < e && bw_isupper(s[kw]))
		kw++;
	bool keyword = kw >= 3 && kw < sizeof(out->instr) && s + kw < e && s[kw] == ' ' && !shell_prefix(s);
	if (keyword) {
		memcpy(out->instr, s, kw);
		out->instr[kw] = 0;
		s = skip_ws(s + kw);
		if (strcmp(out->instr, "RUN") != 0) {
			out->args = s;
			out->args_len = (size_t)(e - s);
			return;
		}
	}
	/* "|N K=V … " build arguments of a RUN */
	if (*s == '|' && bw_isdigit(s[1])) {
		char *end;
		long nb = strtol(s + 1, &end, 10);
		const char *p = skip_ws(end);
		const char *start = p;
		for (long i = 0; i < nb && p < e; i++) {
			while (p < e && *p != ' ')
				p++;
			p = skip_ws(p);
		}
		if (nb > 0 && nb < 1000) {
			out->build_args = start;
			out->build_args_len = (size_t)(p - start);
			while (out->build_args_len && start[out->build_args_len - 1] == ' ')
				out->build_args_len--;
			out->n_build_args = (int)nb;
		}
		s = p;
	}
	size_t sp = shell_prefix(s);
	if (sp) {
		s += sp;
		if (!strncmp(s, "#(nop)", 6)) {
			s = skip_ws(s + 6);
			size_t k = 0;
			while (s + k < e && bw_isalpha(s[k]))
				k++;
			if (k && k < sizeof(out->instr)) {
				for (size_t i = 0; i < k; i++)
					out->instr[i] = (char)bw_toupper(s[i]);
				out->instr[k] = 0;
				s = skip_ws(s + k);
				out->args = s;
				out->args_len = s < e ? (size_t)(e - s) : 0;
				return;
			}
		}
	}
	memcpy(out->instr, "RUN", 4);
	out->args = s;
	out->args_len = s < e ? (size_t)(e - s) : 0;
}

bool img_ref_is_latest(const char *ref)
{
	if (!ref || !*ref || strchr(ref, '@') || !strncmp(ref, "sha256:", 7))
		return false;
	size_t n = strlen(ref), hex = 0;
	while (hex < n && bw_isxdigit(ref[hex]))
		hex++;
	if (hex == n && n >= 12) /* an image id */
		return false;
	const char *slash = strrchr(ref, '/');
	const char *colon = strrchr(slash ? slash : ref, ':');
	return !colon || !strcmp(colon + 1, "latest");
}

static const char *cmd_text(struct bw_arena *a, const char *script, const struct sh_cmd *c)
{
	size_t n = c->end > c->off ? c->end - c->off : 0;
	if (n > 160)
		n = 160;
	return bw_arena_strndup(a, script + c->off, n);
}

/* The first non-option word after the command name. */
static const char *sub_of(const struct sh_cmd *c)
{
	for (size_t a = sh_cmd_start(c) + 1; a < c->argc; a++)
		if (c->argv[a].text[0] != '-')
			return c->argv[a].text;
	return NULL;
}

void img_run_facts(struct bw_arena *a, const char *script, size_t len, struct img_run_facts *out)
{
	memset(out, 0, sizeof(*out));
	struct sh_script s;
	sh_parse(a, script, len, &s);
	static const char *const pms[] = {"apt-get", "apt",	 "aptitude", "apk", "yum",
					  "dnf",     "microdnf", "zypper",   NULL};
	const struct sh_cmd *update = NULL;
	bool installs = false;
	for (size_t k = 0; k < s.n_cmds; k++) {
		const struct sh_cmd *c = &s.cmds[k];
		const char *name = sh_cmd_name(c);
		if (!strcmp(name, "sudo") || (c->argc && !strcmp(c->argv[0].text, "sudo")))
			if (!out->sudo)
				out->sudo = cmd_text(a, script, c);
		if (!bw_str_in(name, pms))
			continue;
		const char *sub = sub_of(c);
		if (!sub)
			continue;
		bool apt = !strcmp(name, "apt-get") || !strcmp(name, "apt") || !strcmp(name, "aptitude");
		bool rpm = !strcmp(name, "yum") || !strcmp(name, "dnf") || !strcmp(name, "microdnf");
		if ((apt || !strcmp(name, "apk")) && !strcmp(sub, "update"))
			update = update ? update : c;
		else if (rpm && !strcmp(sub, "makecache"))
			update = update ? update : c;
		else if (!strcmp(name, "zypper") && (!strcmp(sub, "refresh") || !strcmp(sub, "ref")))
			update = update ? update : c;
		else if (!strcmp(sub, "install") || !strcmp(sub, "add") || !strcmp(sub, "in") ||
			 !strcmp(sub, "groupinstall") || !strcmp(sub, "localinstall"))
			installs = true;
		if ((apt && (!strcmp(sub, "upgrade") || !strcmp(sub, "dist-upgrade") ||
			     !strcmp(sub, "full-upgrade"))) ||
		    (!strcmp(name, "apk") && !strcmp(sub, "upgrade")) ||
		    (rpm &&
		     (!strcmp(sub, "update") || !strcmp(sub, "upgrade") || !strcmp(sub, "distro-sync"))) ||
		    (!strcmp(name, "zypper") && (!strcmp(sub, "dist-upgrade") || !strcmp(sub, "dup") ||
						 !strcmp(sub, "update") || !strcmp(sub, "up")))) {
			installs = true; /* an upgrade after an update uses the fresh index */
			if (!out->upgrade)
				out->upgrade = cmd_text(a, script, c);
		}
	}
	if (update && !installs)
		out->update_alone = cmd_text(a, script, update);
}

/* ---- the configuration ---- */

static json_t *cfg(const struct img_ctx *c, const char *key)
{
	return json_object_get(json_object_get(c->info->config, "config"), key);
}

static bool user_is_root(const char *u)
{
	if (!u || !*u)
		return true;
	size_t n = strcspn(u, ":");
	return (n == 4 && !strncmp(u, "root", 4)) || (n == 1 && u[0] == '0');
}

void img_check_config(struct img_ctx *c)
{
	const struct bw_image_info *info = c->info;
	/* the tag: engine images by the reference given, archives by their tags */
	if (!strcmp(info->target_type, "docker")) {
		const char *ref = info->name;
		if (!strncmp(ref, "docker:", 7))
			ref += 7;
		if (img_ref_is_latest(ref))
			img_report(c, IMG_LATEST_TAG, NULL, -1, -1, "image reference %s%s", ref,
				   strchr(strrchr(ref, '/') ? strrchr(ref, '/') : ref, ':')
				       ? ""
				       : " (no tag: latest)");
	} else if (info->n_repo_tags) {
		bool all = true;
		for (size_t i = 0; i < info->n_repo_tags; i++)
			all = all && img_ref_is_latest(info->repo_tags[i]);
		if (all)
			img_report(c, IMG_LATEST_TAG, NULL, -1, -1, "repository tag %s", info->repo_tags[0]);
	}
	if (!info->config)
		return;
	json_t *u = cfg(c, "User");
	const char *user = json_is_string(u) ? json_string_value(u) : "";
	if (!*user)
		img_report(c, IMG_ROOT_USER, NULL, -1, -1, "User is not set: processes run as root");
	else if (user_is_root(user))
		img_report(c, IMG_ROOT_USER, NULL, -1, -1, "User is %s", user);

	json_t *hc = cfg(c, "Healthcheck");
	json_t *test = json_object_get(hc, "Test");
	const char *t0 = json_string_value(json_array_get(test, 0));
	if (!json_is_object(hc) || !json_array_size(test))
		img_report(c, IMG_NO_HEALTHCHECK, NULL, -1, -1, "no Healthcheck in the image configuration");
	else if (t0 && !strcmp(t0, "NONE"))
		img_report(c, IMG_NO_HEALTHCHECK, NULL, -1, -1, "HEALTHCHECK NONE");

	/* secrets by core's one table of names and values, which lint's ARG
	 * and ENV rules share: a Dockerfile and its image get one verdict */
	size_t i;
	json_t *v;
	json_array_foreach(cfg(c, "Env"), i, v)
	{
		const char *kv = json_string_value(v);
		const char *eq = kv ? strchr(kv, '=') : NULL;
		if (!eq || !bw_secretname_is_secret(kv, (size_t)(eq - kv), eq + 1))
			continue;
		size_t vl = strlen(eq + 1);
		img_report(c, IMG_ENV_CREDENTIAL, NULL, -1, -1, "Env %.*s=%.*s… (%zu characters)",
			   (int)(eq - kv), kv, vl > 8 ? 2 : 0, eq + 1, vl);
	}

	static const char *const dirs[] = {"/", "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib64", "/boot",
					   "/dev", "/proc", "/sys", "/root", "/var/run", "/run",
					   /* the engine's socket and state */
					   "/var/run/docker.sock", "/run/docker.sock", "/var/lib/docker",
					   NULL};
	const char *k;
	json_object_foreach(cfg(c, "Volumes"), k, v)
	{
		char p[512];
		snprintf(p, sizeof(p), "%s", k);
		size_t n = strlen(p);
		while (n > 1 && p[n - 1] == '/')
			p[--n] = 0;
		if (bw_str_in(p, dirs))
			img_report(c, IMG_SENSITIVE_VOLUME, p, -1, -1, "VOLUME %s", p);
	}
}

/* ---- the history ---- */

void img_check_history(struct img_ctx *c)
{
	const struct bw_image_info *info = c->info;
	int layer = 0;
	bool first_layer = true;
	const char *args[64];
	size_t n_args = 0;
	for (size_t i = 0; i < info->n_history; i++) {
		const struct bw_image_history *h = &info->history[i];
		int li = h->empty_layer ? -1 : layer;
		if (!h->empty_layer)
			layer++;
		if (!h->created_by || !*h->created_by) {
			if (li >= 0)
				first_layer = false;
			continue;
		}
		struct img_hist hp;
		img_hist_parse(h->created_by, &hp);
		/* build arguments: "|N A=1 B=2" of a RUN (values have no spaces in
		 * the legacy builder's record), and ARG defaults; each name once */
		const char *ba = hp.build_args;
		size_t bl = hp.build_args_len;
		if (!strcmp(hp.instr, "ARG"))
			ba = hp.args, bl = hp.args_len;
		for (const char *p = ba, *e = ba ? ba + bl : NULL; p && p < e;) {
			const char *sp = memchr(p, ' ', (size_t)(e - p));
			const char *we = sp ? sp : e;
			const char *eq = memchr(p, '=', (size_t)(we - p));
			if (eq) {
				char *val = bw_arena_strndup(&c->scratch, eq + 1, (size_t)(we - eq - 1));
				char *name = bw_arena_strndup(&c->scratch, p, (size_t)(eq - p));
				bool seen = false;
				for (size_t k = 0; k < n_args && !seen; k++)
					seen = !strcmp(args[k], name);
				if (!seen && bw_secretname_is_secret(name, strlen(name), val)) {
					if (n_args < BW_ARRAY_SIZE(args))
						args[n_args++] = name;
					img_report(
					    c, IMG_BUILD_ARG_SECRET, NULL, li, -1,
					    "history step %zu (%s): build argument %s=%.*s… (%zu characters)",
					    i, hp.instr, name, strlen(val) > 8 ? 2 : 0, val, strlen(val));
				}
			}
			p = sp ? sp + 1 : e;
		}
		if (!strcmp(hp.instr, "ADD")) {
			/* the base's root filesystem: "ADD file:… in / " as the first layer */
			bool rootfs = first_layer && hp.args_len >= 4 && !strncmp(hp.args, "file:", 5) &&
				      (strstr(hp.args, " in / ") ||
				       (hp.args_len >= 5 && !memcmp(hp.args + hp.args_len - 5, " in /", 5)));
			if (!rootfs)
				img_report(c, IMG_ADD_IN_HISTORY, NULL, li, -1, "history step %zu: ADD %.*s",
					   i, (int)(hp.args_len > 160 ? 160 : hp.args_len), hp.args);
		} else if (!strcmp(hp.instr, "RUN")) {
			struct img_run_facts f;
			img_run_facts(&c->scratch, hp.args, hp.args_len, &f);
			if (f.update_alone)
				img_report(c, IMG_UPDATE_ALONE, NULL, li, -1,
					   "history step %zu: %s without an install in the same step", i,
					   f.update_alone);
			if (f.sudo)
				img_report(c, IMG_SUDO_IN_HISTORY, NULL, li, -1, "history step %zu: %s", i,
					   f.sudo);
			if (f.upgrade)
				img_report(c, IMG_UPGRADE_IN_HISTORY, NULL, li, -1, "history step %zu: %s", i,
					   f.upgrade);
		}
		if (li >= 0)
			first_layer = false;
	}
}
