/* CIS section 3: owner and mode of the daemon's files, read under the host
 * root. A missing file is "info: not present" — nothing to protect. */
#include <dirent.h>

#include "audit-int.h"

#include "audit-checks.h"

/* lstat under the root; a symlink is followed one step, inside the root. */
static int stat_in_root(struct audit_ctx *ctx, const char *path, struct stat *st, char *shown,
			size_t shownlen)
{
	snprintf(shown, shownlen, "%s", path);
	if (audit_lstat(ctx, path, st) != 0)
		return -1;
	if (!S_ISLNK(st->st_mode))
		return 0;
	bw_autofree char *full = audit_path(ctx, path);
	char target[1024];
	ssize_t n = readlink(full, target, sizeof(target) - 1);
	if (n <= 0)
		return -1;
	target[n] = '\0';
	bw_autofree char *resolved = NULL;
	if (target[0] == '/') {
		resolved = bw_strdup(target);
	} else {
		const char *slash = strrchr(path, '/');
		resolved = bw_asprintf("%.*s/%s", slash ? (int)(slash - path) : 0, path, target);
	}
	snprintf(shown, shownlen, "%s -> %s", path, resolved);
	return audit_lstat(ctx, resolved, st);
}

static bool owner_ok(struct audit_ctx *ctx, const struct stat *st, const char *want)
{
	const char *colon = strchr(want, ':');
	if (st->st_uid != 0) /* every owner the benchmark asks for is root */
		return false;
	const char *group = colon ? colon + 1 : "root";
	if (!strcmp(group, "root"))
		return st->st_gid == 0;
	long gid;
	if (audit_group_lookup(ctx, group, &gid, NULL, 0))
		return (long)st->st_gid == gid;
	return false;
}

/* One file: owner or mode against the row's expectation. */
static int judge(struct audit_ctx *ctx, const struct audit_check *chk, const struct stat *st,
		 const char *shown, char *bad, size_t badlen)
{
	char owner[160];
	audit_owner_string(ctx, st, owner, sizeof(owner));
	unsigned mode = (unsigned)st->st_mode & 07777;
	if (chk->owner) {
		if (!owner_ok(ctx, st, chk->owner)) {
			snprintf(bad, badlen, "%s is owned by %s, not %s", shown, owner, chk->owner);
			return 1;
		}
		snprintf(bad, badlen, "%s is owned by %s", shown, owner);
		return 0;
	}
	if (mode & ~chk->mode) {
		snprintf(bad, badlen, "%s has mode %04o, more permissive than %04o", shown, mode, chk->mode);
		return 1;
	}
	snprintf(bad, badlen, "%s has mode %04o", shown, mode);
	return 0;
}

int check_3_file(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	char cand[512], shown[1100], msg[1400];
	const char *p = chk->paths;
	bool any_key = false;
	while (p && *p) {
		size_t n = strcspn(p, "|");
		snprintf(cand, sizeof(cand), "%.*s", (int)n, p);
		p += n + (p[n] == '|');
		const char *path = cand;
		if (cand[0] == '@') { /* a path named by a daemon option */
			any_key = true;
			path = json_string_value(audit_daemon_get(ctx, cand + 1, NULL));
			if (!path)
				continue;
		}
		struct stat st;
		if (stat_in_root(ctx, path, &st, shown, sizeof(shown)) != 0)
			continue;
		int bad = judge(ctx, chk, &st, shown, msg, sizeof(msg));
		return verdict(v, bad ? BW_STATUS_WARN : BW_STATUS_PASS, "%s", msg);
	}
	if (any_key)
		return verdict(v, BW_STATUS_INFO, "%s is not configured or its file is not present",
			       chk->paths + 1);
	return verdict(v, BW_STATUS_INFO, "%.*s is not present on this host", (int)strcspn(chk->paths, "|"),
		       chk->paths);
}

/* 3.7 / 3.8: every file under /etc/docker/certs.d/<registry>/. */
int check_3_registry_certs(struct audit_ctx *ctx, const struct audit_check *chk, struct audit_verdict *v)
{
	bw_autofree char *base = audit_path(ctx, "/etc/docker/certs.d");
	DIR *d = opendir(base);
	if (!d)
		return verdict(v, BW_STATUS_INFO, "/etc/docker/certs.d is not present on this host");
	char bad[1500] = "", one[1400];
	size_t nfiles = 0, nbad = 0;
	struct dirent *reg;
	while ((reg = readdir(d))) {
		if (reg->d_name[0] == '.')
			continue;
		bw_autofree char *rdir = bw_asprintf("%s/%s", base, reg->d_name);
		DIR *rd = opendir(rdir);
		if (!rd)
			continue;
		struct dirent *f;
		while ((f = readdir(rd))) {
			if (f->d_name[0] == '.')
				continue;
			bw_autofree char *rel =
			    bw_asprintf("/etc/docker/certs.d/%s/%s", reg->d_name, f->d_name);
			struct stat st;
			if (audit_lstat(ctx, rel, &st) != 0 || !S_ISREG(st.st_mode))
				continue;
			nfiles++;
			if (judge(ctx, chk, &st, rel, one, sizeof(one))) {
				size_t len = strlen(bad);
				if (len + 4 < sizeof(bad))
					snprintf(bad + len, sizeof(bad) - len, "%s%s", nbad ? "; " : "", one);
				nbad++;
			}
		}
		closedir(rd);
	}
	closedir(d);
	if (nbad)
		return verdict(v, BW_STATUS_WARN, "%zu of %zu registry certificate files: %s", nbad, nfiles,
			       bad);
	if (!nfiles)
		return verdict(v, BW_STATUS_INFO, "no registry certificate under /etc/docker/certs.d");
	return verdict(v, BW_STATUS_PASS, "%zu registry certificate file(s), all %s", nfiles,
		       chk->owner ? "owned by root:root" : "mode 0444 or stricter");
}
