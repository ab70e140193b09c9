/* Small helpers of the audit: verdicts, JSON look-ups, host-root paths and
 * user/group names read from the audited host's own /etc. */
#include "audit-int.h"

int verdict(struct audit_verdict *v, enum bw_status s, const char *fmt, ...)
{
	va_list ap;
	v->status = s;
	va_start(ap, fmt);
	vsnprintf(v->evidence, sizeof(v->evidence), fmt, ap);
	va_end(ap);
	return 0;
}

char *audit_path(const struct audit_ctx *ctx, const char *path)
{
	return bw_asprintf("%s%s%s", ctx->root, path[0] == '/' ? "" : "/", path);
}

json_t *jget(json_t *j, const char *dotted)
{
	const char *p = dotted;
	while (j && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (!json_is_object(j))
			return NULL;
		j = json_object_getn(j, p, n);
		p += n + (dot ? 1 : 0);
	}
	return json_is_null(j) ? NULL : j;
}

const char *jstr(json_t *j, const char *dotted)
{
	return json_string_value(jget(j, dotted));
}

long long jint(json_t *j, const char *dotted, long long dflt)
{
	json_t *v = jget(j, dotted);
	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_real(v))
		return (long long)json_real_value(v);
	return dflt;
}

bool jtrue(json_t *j, const char *dotted)
{
	return json_is_true(jget(j, dotted));
}

int audit_lstat(const struct audit_ctx *ctx, const char *path, struct stat *st)
{
	bw_autofree char *p = audit_path(ctx, path);
	return lstat(p, st);
}

/* Find the line of an /etc/passwd or /etc/group file whose field `key_field`
 * equals key; copy it into line. */
static bool find_entry(const struct audit_ctx *ctx, const char *file, int key_field, const char *key,
		       char *line, size_t linelen)
{
	bw_autofree char *p = audit_path(ctx, file);
	bw_autofclose FILE *f = fopen(p, "re");
	if (!f)
		return false;
	size_t klen = strlen(key);
	while (fgets(line, (int)linelen, f)) {
		const char *s = line;
		for (int i = 0; i < key_field && s; i++) {
			s = strchr(s, ':');
			if (s)
				s++;
		}
		if (s && strncmp(s, key, klen) == 0 && (s[klen] == ':' || s[klen] == '\n' || !s[klen])) {
			line[strcspn(line, "\n")] = '\0';
			return true;
		}
	}
	return false;
}

bool audit_group_lookup(const struct audit_ctx *ctx, const char *name, long *gid, char *members,
			size_t members_len)
{
	char line[4096];
	if (!find_entry(ctx, "/etc/group", 0, name, line, sizeof(line)))
		return false;
	/* name:x:gid:members */
	const char *f2 = strchr(line, ':');
	const char *f3 = f2 ? strchr(f2 + 1, ':') : NULL;
	const char *f4 = f3 ? strchr(f3 + 1, ':') : NULL;
	if (!f3)
		return false;
	if (gid)
		*gid = strtol(f3 + 1, NULL, 10);
	if (members)
		snprintf(members, members_len, "%s", f4 ? f4 + 1 : "");
	return true;
}

static void name_of(const struct audit_ctx *ctx, const char *file, unsigned long id, char *out, size_t outlen)
{
	char key[32], line[4096];
	snprintf(key, sizeof(key), "%lu", id);
	if (find_entry(ctx, file, 2, key, line, sizeof(line))) {
		size_t n = strcspn(line, ":");
		snprintf(out, outlen, "%.*s", (int)n, line);
	} else {
		snprintf(out, outlen, "%lu", id);
	}
}

void audit_owner_string(const struct audit_ctx *ctx, const struct stat *st, char *out, size_t outlen)
{
	char u[64], g[64];
	name_of(ctx, "/etc/passwd", st->st_uid, u, sizeof(u));
	name_of(ctx, "/etc/group", st->st_gid, g, sizeof(g));
	snprintf(out, outlen, "%s:%s", u, g);
}
