/* CIS section 1: the host — a partition of its own for the engine's data,
 * the docker group, and auditd rules watching the engine's files. Read
 * under the host root, so a copied /etc can be audited offline. */
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include "audit-int.h"

#include "audit-checks.h"

extern char **environ;

static const char *data_root(struct audit_ctx *ctx)
{
	const char *d = json_string_value(audit_daemon_get(ctx, "data-root", NULL));
	if (!d)
		d = jstr(ctx->info, "DockerRootDir");
	return d && *d ? d : "/var/lib/docker";
}

/* Is `dir` a mount point in a mountinfo (field 5) or fstab (field 2) file? */
static bool listed_mount(const char *file, int field, const char *dir, char *line_out, size_t outlen)
{
	bw_autofclose FILE *f = fopen(file, "re");
	if (!f)
		return false;
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		char *rest = line, *tok = bw_next_token(&rest, " \t\n");
		for (int i = 1; tok && i < field; i++)
			tok = bw_next_token(&rest, " \t\n");
		if (tok && strcmp(tok, dir) == 0) {
			snprintf(line_out, outlen, "%s", file);
			return true;
		}
	}
	return false;
}

int check_1_1_1_partition(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	const char *dir = data_root(ctx);
	bw_autofree char *mountinfo = audit_path(ctx, "/proc/self/mountinfo");
	bw_autofree char *fstab = audit_path(ctx, "/etc/fstab");
	char where[512];
	if (listed_mount(mountinfo, 5, dir, where, sizeof(where)) ||
	    listed_mount(fstab, 2, dir, where, sizeof(where)))
		return verdict(v, BW_STATUS_PASS, "%s is a mount point of its own (%s)", dir, where);
	if (access(mountinfo, R_OK) != 0 && access(fstab, R_OK) != 0)
		return verdict(v, BW_STATUS_INFO, "neither %s nor %s can be read", mountinfo, fstab);
	return verdict(v, BW_STATUS_WARN,
		       "%s is not a separate partition (no mount point in mountinfo or fstab)", dir);
}

int check_1_1_2_docker_group(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	char members[2048];
	long gid;
	if (!audit_group_lookup(ctx, "docker", &gid, members, sizeof(members)))
		return verdict(v, BW_STATUS_PASS, "no docker group in %s/etc/group", ctx->root);
	if (!members[0])
		return verdict(v, BW_STATUS_PASS, "the docker group (gid %ld) has no members", gid);
	return verdict(v, BW_STATUS_INFO, "docker group (gid %ld) members, each root-equivalent: %s", gid,
		       members);
}

/* Run `auditctl -l` (live audits of this host only), bounded. */
static void run_auditctl(struct bw_buf *out)
{
	const char *bin = access("/sbin/auditctl", X_OK) == 0	    ? "/sbin/auditctl"
			  : access("/usr/sbin/auditctl", X_OK) == 0 ? "/usr/sbin/auditctl"
								    : NULL;
	if (!bin)
		return;
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0)
		return;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	char *argv[] = {(char *)bin, (char *)"-l", NULL};
	pid_t pid;
	int rc = posix_spawn(&pid, bin, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc == 0) {
		bw_buf_read_fd(out, fds[0], "auditctl -l", NULL);
		waitpid(pid, NULL, 0);
	}
	close(fds[0]);
}

static void add_rules_file(struct bw_buf *b, const char *path, struct bw_buf *names)
{
	struct bw_buf f;
	bw_buf_init(&f, 4 * 1024 * 1024);
	if (bw_buf_read_file(&f, path, NULL) == 0 && f.len) {
		bw_buf_add(b, f.data, f.len);
		bw_buf_addstr(b, "\n");
		bw_buf_printf(names, "%s%s", names->len ? ", " : "", path);
	}
	bw_buf_release(&f);
}

static void load_rules(struct audit_ctx *ctx)
{
	if (ctx->audit_rules_loaded)
		return;
	ctx->audit_rules_loaded = true;
	bw_buf_init(&ctx->audit_rules, 16 * 1024 * 1024);
	struct bw_buf names;
	bw_buf_init(&names, 8192);
	bw_autofree char *main_rules = audit_path(ctx, "/etc/audit/audit.rules");
	add_rules_file(&ctx->audit_rules, main_rules, &names);
	bw_autofree char *dir = audit_path(ctx, "/etc/audit/rules.d");
	struct dirent **list = NULL;
	int n = scandir(dir, &list, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		size_t l = strlen(list[i]->d_name);
		if (l > 6 && !strcmp(list[i]->d_name + l - 6, ".rules")) {
			bw_autofree char *p = bw_asprintf("%s/%s", dir, list[i]->d_name);
			add_rules_file(&ctx->audit_rules, p, &names);
		}
		free(list[i]);
	}
	free(list);
	if (ctx->live && !ctx->root[0]) {
		size_t before = ctx->audit_rules.len;
		run_auditctl(&ctx->audit_rules);
		if (ctx->audit_rules.len > before)
			bw_buf_printf(&names, "%sauditctl -l", names.len ? ", " : "");
	}
	ctx->audit_rules_sources = bw_buf_detach(&names, NULL);
}

/* A rule watching path: "-w PATH ..." or "-F path=PATH" / "-F dir=PATH". */
static bool find_rule(const struct bw_buf *rules, const char *path, char *rule, size_t rulelen)
{
	const char *p = rules->data;
	size_t plen = strlen(path);
	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		const char *s = p;
		while (s < p + len && (*s == ' ' || *s == '\t'))
			s++;
		if (*s != '#') {
			for (const char *q = s; q + plen <= p + len; q++) {
				if (memcmp(q, path, plen) != 0)
					continue;
				char after = q + plen < p + len ? q[plen] : ' ';
				if (after != ' ' && after != '\t' && after != '/')
					continue;
				bool w = q >= s + 3 && !memcmp(q - 3, "-w ", 3);
				bool f = (q >= s + 5 && !memcmp(q - 5, "path=", 5)) ||
					 (q >= s + 4 && !memcmp(q - 4, "dir=", 4));
				if (w || f) {
					snprintf(rule, rulelen, "%.*s", (int)len, p);
					return true;
				}
			}
		}
		p = eol ? eol + 1 : NULL;
	}
	return false;
}

int check_1_1_audit_rule(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	load_rules(ctx);
	/* the first candidate that exists on the host decides */
	char cand[512];
	const char *p = chk->paths;
	const char *present = NULL;
	bw_autofree char *present_buf = NULL;
	while (p && *p) {
		size_t n = strcspn(p, "|");
		snprintf(cand, sizeof(cand), "%.*s", (int)n, p);
		struct stat st;
		char rule[512];
		if (find_rule(&ctx->audit_rules, cand, rule, sizeof(rule)))
			return verdict(v, BW_STATUS_PASS, "audit rule: %s", rule);
		if (!present && audit_lstat(ctx, cand, &st) == 0)
			present = present_buf = bw_strdup(cand);
		p += n + (p[n] == '|');
	}
	if (!present)
		return verdict(v, BW_STATUS_INFO, "%.*s is not present on this host",
			       (int)strcspn(chk->paths, "|"), chk->paths);
	return verdict(v, BW_STATUS_WARN, "no audit rule watches %s (rules read: %s)", present,
		       ctx->audit_rules_sources && *ctx->audit_rules_sources ? ctx->audit_rules_sources
									     : "none found");
}
