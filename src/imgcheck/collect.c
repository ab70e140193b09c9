/* The image rules' analyzer: the few files whose bytes decide a rule
 * (private keys, credential files, accounts, package-manager trust
 * settings), read in every layer, kept as per-layer records. Evidence is a
 * short description, never the secret itself. */
#include <fnmatch.h>

#include "imgcheck-int.h"

enum img_file_kind img_classify(const char *path)
{
	const char *b = bw_path_base(path);
	static const char *const keys[] = {"id_rsa",	  "id_dsa",	   "id_ecdsa", "id_ed25519",
					   "id_ecdsa_sk", "id_ed25519_sk", "identity", NULL};
	static const char *const creds[] = {".npmrc", ".pypirc",	  ".git-credentials", ".netrc",
					    "_netrc", ".htpasswd",	  ".pgpass",	      ".dockercfg",
					    ".s3cfg", "credentials.json", ".vault-token",     NULL};
	if (!strcmp(path, "/etc/shadow"))
		return IMG_F_SHADOW;
	if (!strcmp(path, "/etc/passwd"))
		return IMG_F_PASSWD;
	if (!strcmp(path, "/etc/group"))
		return IMG_F_GROUP;
	if (!strcmp(path, "/etc/apt/sources.list") || !strcmp(path, "/etc/apt/apt.conf") ||
	    !fnmatch("/etc/apt/sources.list.d/*", path, FNM_PATHNAME) ||
	    !fnmatch("/etc/apt/apt.conf.d/*", path, FNM_PATHNAME) || !strcmp(path, "/etc/yum.conf") ||
	    !strcmp(path, "/etc/dnf/dnf.conf") || !fnmatch("/etc/yum.repos.d/*.repo", path, FNM_PATHNAME) ||
	    !fnmatch("/etc/zypp/repos.d/*.repo", path, FNM_PATHNAME))
		return IMG_F_PKGCONF;
	if (bw_str_in(b, keys) || bw_str_ends_with(b, ".pem") || bw_str_ends_with(b, ".key") ||
	    bw_str_ends_with(b, ".ppk"))
		return IMG_F_KEY;
	if (bw_str_in(b, creds) || bw_str_ends_with(path, "/.docker/config.json") ||
	    bw_str_ends_with(path, "/.aws/credentials") ||
	    bw_str_ends_with(path, "/.config/gcloud/credentials.db") ||
	    bw_str_ends_with(path, "/.kube/config"))
		return IMG_F_CRED;
	return IMG_F_NONE;
}

/* ---- content checks ---- */

/* Walk the lines of data[0..len), one line at a time without its newline. */
struct lines {
	const char *p, *end;
	int no;
};

static bool next_line(struct lines *it, const char **line, size_t *n)
{
	if (it->p >= it->end)
		return false;
	const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	const char *e = nl ? nl : it->end;
	*line = it->p;
	*n = (size_t)(e - it->p);
	while (*n && (*line)[*n - 1] == '\r')
		(*n)--;
	it->p = nl ? nl + 1 : it->end;
	it->no++;
	return true;
}

static struct bw_slice trim(const char *s, size_t n)
{
	while (n && bw_isspace(*s))
		s++, n--;
	while (n && bw_isspace(s[n - 1]))
		n--;
	return (struct bw_slice){s, n};
}

static bool ci_has(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (!bw_strncasecmp(s + i, needle, k))
			return true;
	return false;
}

/* "key = value" (sep '=' or ':'): is the key (or its ending) `key` with a
 * real value, not a ${VAR} reference? */
static bool kv_set(const char *line, size_t n, const char *key, bool suffix, const char *seps)
{
	const char *eq = NULL;
	for (size_t i = 0; i < n && !eq; i++)
		if (strchr(seps, line[i]))
			eq = line + i;
	if (!eq)
		return false;
	struct bw_slice k = trim(line, (size_t)(eq - line)), v = trim(eq + 1, n - (size_t)(eq - line) - 1);
	size_t kl = strlen(key);
	if (k.len < kl || (!suffix && k.len != kl) || bw_strncasecmp(k.ptr + k.len - kl, key, kl))
		return false;
	if (k.len && (k.ptr[0] == '#' || k.ptr[0] == ';'))
		return false;
	if (v.len >= 2 && (v.ptr[0] == '"' || v.ptr[0] == '\'') && v.ptr[v.len - 1] == v.ptr[0])
		v.ptr++, v.len -= 2;
	return v.len > 0 && v.ptr[0] != '$';
}

const char *img_check_key(struct bw_arena *a, const char *data, size_t len)
{
	if (len > 20 && !memcmp(data, "PuTTY-User-Key-File-", 20))
		return "PuTTY private key";
	size_t off = 0;
	const char *p;
	while (off < len && (p = memmem(data + off, len - off, "-----BEGIN ", 11))) {
		size_t rest = len - (size_t)(p - data);
		const char *nl = memchr(p, '\n', rest);
		size_t ll = nl ? (size_t)(nl - p) : rest;
		if (ll < 100 && memmem(p, ll, "PRIVATE KEY-----", 16)) {
			while (ll && (p[ll - 1] == '\r' || p[ll - 1] == ' '))
				ll--;
			bool enc =
			    memmem(p, ll, "ENCRYPTED", 9) || memmem(data, len, "Proc-Type: 4,ENCRYPTED", 22);
			char *line = bw_arena_alloc(a, ll + 16);
			memcpy(line, p, ll);
			if (enc)
				memcpy(line + ll, " (encrypted)", 13);
			return line;
		}
		off = (size_t)(p - data) + 11;
	}
	return NULL;
}

static const char *fmt(struct bw_arena *a, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(struct bw_arena *a, const char *f, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, f);
	vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	return bw_arena_strdup(a, buf);
}

const char *img_check_cred(struct bw_arena *a, const char *path, const char *data, size_t len)
{
	const char *b = bw_path_base(path);
	struct lines it = {data, data + len, 0};
	const char *l;
	size_t n;
	if (!strcmp(b, ".vault-token") || bw_str_ends_with(path, "/.config/gcloud/credentials.db"))
		return trim(data, len).len ? (b[0] == '.' ? "Vault token" : "gcloud credential database")
					   : NULL;
	while (next_line(&it, &l, &n)) {
		struct bw_slice t = trim(l, n);
		if (!t.len || t.ptr[0] == '#' || t.ptr[0] == ';')
			continue;
		if (!strcmp(b, ".npmrc")) {
			static const char *const keys[] = {"_authToken", "_auth", "_password", NULL};
			for (size_t k = 0; keys[k]; k++)
				if (kv_set(t.ptr, t.len, keys[k], true, "="))
					return fmt(a, "npm registry credential (%s) on line %d", keys[k],
						   it.no);
		} else if (!strcmp(b, ".pypirc")) {
			if (kv_set(t.ptr, t.len, "password", false, "=:"))
				return fmt(a, "package index password on line %d", it.no);
		} else if (!strcmp(b, ".git-credentials")) {
			const char *s = memmem(t.ptr, t.len, "://", 3);
			if (s && memchr(s + 3, '@', t.len - (size_t)(s + 3 - t.ptr)) &&
			    memchr(s + 3, ':', t.len - (size_t)(s + 3 - t.ptr)))
				return fmt(a, "git credentials (user:password@host) on line %d", it.no);
		} else if (!strcmp(b, ".netrc") || !strcmp(b, "_netrc")) {
			if (ci_has(t.ptr, t.len, "password ") || ci_has(t.ptr, t.len, "password\t"))
				return fmt(a, "netrc password on line %d", it.no);
		} else if (!strcmp(b, ".htpasswd")) {
			const char *c = memchr(t.ptr, ':', t.len);
			if (c && c > t.ptr && c + 1 < t.ptr + t.len)
				return fmt(a, "password hash for user %.*s", (int)(c - t.ptr), t.ptr);
		} else if (!strcmp(b, ".pgpass")) {
			int colons = 0;
			for (size_t i = 0; i < t.len; i++)
				colons += t.ptr[i] == ':';
			if (colons >= 4 && t.ptr[t.len - 1] != ':')
				return fmt(a, "PostgreSQL password on line %d", it.no);
		} else if (!strcmp(b, ".dockercfg") || bw_str_ends_with(path, "/.docker/config.json")) {
			static const char *const keys[] = {"\"auth\"", "\"identitytoken\"", "\"password\"",
							   NULL};
			for (size_t k = 0; keys[k]; k++) {
				const char *q = memmem(t.ptr, t.len, keys[k], strlen(keys[k]));
				if (!q)
					continue;
				q += strlen(keys[k]);
				const char *e = t.ptr + t.len;
				while (q < e && (bw_isspace(*q) || *q == ':'))
					q++;
				if (q + 1 < e && *q == '"' && q[1] != '"')
					return fmt(a, "registry credential (%s) on line %d", keys[k], it.no);
			}
		} else if (bw_str_ends_with(path, "/.aws/credentials")) {
			if (kv_set(t.ptr, t.len, "aws_secret_access_key", false, "=") ||
			    kv_set(t.ptr, t.len, "aws_session_token", false, "="))
				return fmt(a, "AWS secret access key on line %d", it.no);
		} else if (!strcmp(b, ".s3cfg")) {
			if (kv_set(t.ptr, t.len, "secret_key", false, "="))
				return fmt(a, "S3 secret key on line %d", it.no);
		} else if (!strcmp(b, "credentials.json")) {
			if (memmem(t.ptr, t.len, "\"private_key\"", 13) ||
			    memmem(t.ptr, t.len, "\"client_secret\"", 15) ||
			    memmem(t.ptr, t.len, "\"refresh_token\"", 15))
				return fmt(a, "service-account or OAuth credentials on line %d", it.no);
		} else if (bw_str_ends_with(path, "/.kube/config")) {
			if (kv_set(t.ptr, t.len, "token", false, ":") ||
			    kv_set(t.ptr, t.len, "client-key-data", false, ":") ||
			    kv_set(t.ptr, t.len, "password", false, ":"))
				return fmt(a, "Kubernetes credential on line %d", it.no);
		}
	}
	return NULL;
}

/* The n-th ':' field of a line (0-based). */
static struct bw_slice field(const char *l, size_t n, int k)
{
	const char *p = l, *e = l + n;
	for (int i = 0; i < k; i++) {
		const char *c = memchr(p, ':', (size_t)(e - p));
		if (!c)
			return (struct bw_slice){NULL, 0};
		p = c + 1;
	}
	const char *c = memchr(p, ':', (size_t)(e - p));
	return (struct bw_slice){p, c ? (size_t)(c - p) : (size_t)(e - p)};
}

const char *img_check_shadow(struct bw_arena *a, const char *data, size_t len)
{
	struct lines it = {data, data + len, 0};
	const char *l;
	size_t n;
	char buf[400];
	size_t bl = 0;
	int count = 0;
	buf[0] = 0;
	while (next_line(&it, &l, &n)) {
		struct bw_slice name = field(l, n, 0), pw = field(l, n, 1);
		if (!pw.ptr || !name.len || l[0] == '#' || pw.len)
			continue;
		if (count++ < 8 && bl < sizeof(buf) - 80)
			bl += (size_t)snprintf(buf + bl, sizeof(buf) - bl, "%s%.*s", bl ? ", " : "",
					       (int)(name.len < 64 ? name.len : 64), name.ptr);
	}
	if (!count)
		return NULL;
	return fmt(a, "empty password field in /etc/shadow for %s%s", buf, count > 8 ? ", …" : "");
}

struct id_ent {
	unsigned long id;
	struct bw_slice name;
};

static int id_cmp(const void *x, const void *y)
{
	const struct id_ent *a = x, *b = y;
	return a->id < b->id ? -1 : a->id > b->id;
}

const char *img_check_ids(struct bw_arena *a, const char *data, size_t len, bool group)
{
	struct lines it = {data, data + len, 0};
	const char *l;
	size_t n, cnt = 0, cap = 0;
	struct id_ent *ents = NULL;
	while (next_line(&it, &l, &n) && cnt < 100000) {
		struct bw_slice name = field(l, n, 0), id = field(l, n, 2);
		if (!id.ptr || !id.len || !name.len || l[0] == '#' || l[0] == '+' || l[0] == '-')
			continue;
		char num[24];
		if (id.len >= sizeof(num))
			continue;
		memcpy(num, id.ptr, id.len);
		num[id.len] = 0;
		char *end;
		unsigned long v = strtoul(num, &end, 10);
		if (*end || !bw_isdigit(num[0]))
			continue;
		BW_ALLOC_GROW(ents, cnt + 1, cap);
		ents[cnt++] = (struct id_ent){v, name};
	}
	if (cnt)
		qsort(ents, cnt, sizeof(*ents), id_cmp);
	char buf[400];
	size_t bl = 0;
	int dups = 0;
	for (size_t i = 0; i + 1 < cnt; i++) {
		if (ents[i].id != ents[i + 1].id || (i && ents[i - 1].id == ents[i].id))
			continue;
		dups++;
		if (bl < sizeof(buf) - 120) {
			bl += (size_t)snprintf(buf + bl, sizeof(buf) - bl, "%s%s %lu:", bl ? "; " : "",
					       group ? "GID" : "UID", ents[i].id);
			for (size_t j = i; j < cnt && ents[j].id == ents[i].id && bl < sizeof(buf) - 70; j++)
				bl += (size_t)snprintf(buf + bl, sizeof(buf) - bl, " %.*s",
						       (int)(ents[j].name.len < 32 ? ents[j].name.len : 32),
						       ents[j].name.ptr);
		}
	}
	free(ents);
	if (!dups)
		return NULL;
	return fmt(a, "%s shared in /etc/%s: %s", group ? "GID" : "UID", group ? "group" : "passwd", buf);
}

const char *img_check_pkgconf(struct bw_arena *a, const char *path, const char *data, size_t len)
{
	struct lines it = {data, data + len, 0};
	const char *l;
	size_t n;
	bool yum = bw_str_ends_with(path, ".repo") || bw_str_ends_with(path, "yum.conf") ||
		   bw_str_ends_with(path, "dnf.conf");
	bool deb822 = bw_str_ends_with(path, ".sources");
	bool aptconf = !yum && !deb822 && (strstr(path, "apt.conf") != NULL);
	while (next_line(&it, &l, &n)) {
		struct bw_slice t = trim(l, n);
		if (!t.len || t.ptr[0] == '#' || (t.len > 1 && t.ptr[0] == '/' && t.ptr[1] == '/'))
			continue;
		if (yum) {
			if (kv_set(t.ptr, t.len, "gpgcheck", false, "=")) {
				struct bw_slice v = trim(
				    memchr(t.ptr, '=', t.len) + 1,
				    t.len - (size_t)((const char *)memchr(t.ptr, '=', t.len) + 1 - t.ptr));
				if ((v.len == 1 && v.ptr[0] == '0') ||
				    (v.len == 5 && !bw_strncasecmp(v.ptr, "false", 5)) ||
				    (v.len == 2 && !bw_strncasecmp(v.ptr, "no", 2)))
					return fmt(a, "%s line %d: gpgcheck=%.*s", path, it.no, (int)v.len,
						   v.ptr);
			}
		} else if (deb822) {
			if (ci_has(t.ptr, t.len, "trusted:") && ci_has(t.ptr, t.len, "yes"))
				return fmt(a, "%s line %d: Trusted: yes", path, it.no);
		} else if (aptconf) {
			if ((ci_has(t.ptr, t.len, "AllowUnauthenticated") ||
			     ci_has(t.ptr, t.len, "AllowInsecureRepositories")) &&
			    (ci_has(t.ptr, t.len, "true") || ci_has(t.ptr, t.len, "\"1\"") ||
			     ci_has(t.ptr, t.len, "yes")))
				return fmt(a, "%s line %d: %.*s", path, it.no,
					   (int)(t.len < 120 ? t.len : 120), t.ptr);
		} else {
			const char *o = memchr(t.ptr, '[', t.len);
			const char *c = o ? memchr(o, ']', t.len - (size_t)(o - t.ptr)) : NULL;
			if (o && c &&
			    (ci_has(o, (size_t)(c - o), "trusted=yes") ||
			     ci_has(o, (size_t)(c - o), "allow-insecure=yes")))
				return fmt(a, "%s line %d: %.*s", path, it.no, (int)(c - o + 1), o);
		}
	}
	return NULL;
}

/* ---- the analyzer ---- */

static enum bw_want wants(void *ud, const struct bw_file *f)
{
	if (f->size > IMG_MAX_CONTENT || img_classify(f->path) == IMG_F_NONE)
		return BW_WANT_NONE;
	return BW_WANT_WHOLE;
}

static void *layer_begin(void *ud, const struct bw_image_layer *layer)
{
	struct img_layer *l = bw_calloc(1, sizeof(*l));
	bw_arena_init(&l->arena);
	return l;
}

static void layer_free(void *state)
{
	struct img_layer *l = state;
	bw_arena_release(&l->arena);
	free(l);
}

static int on_file(void *state, const struct bw_file *f, const void *data, size_t len, struct bw_error *err)
{
	struct img_layer *l = state;
	enum img_file_kind k = img_classify(f->path);
	const char *ev = NULL;
	switch (k) {
	case IMG_F_KEY:
		ev = img_check_key(&l->arena, data, len);
		break;
	case IMG_F_CRED:
		ev = img_check_cred(&l->arena, f->path, data, len);
		break;
	case IMG_F_SHADOW:
		ev = img_check_shadow(&l->arena, data, len);
		break;
	case IMG_F_PASSWD:
		ev = img_check_ids(&l->arena, data, len, false);
		break;
	case IMG_F_GROUP:
		ev = img_check_ids(&l->arena, data, len, true);
		break;
	case IMG_F_PKGCONF:
		ev = img_check_pkgconf(&l->arena, f->path, data, len);
		break;
	case IMG_F_NONE:
		break;
	}
	if (!ev)
		return 0;
	struct img_record *rec = bw_arena_alloc(&l->arena, sizeof(*rec));
	rec->kind = k;
	rec->path = bw_arena_strdup(&l->arena, f->path);
	rec->evidence = ev;
	rec->next = l->recs;
	l->recs = rec;
	return 0;
}

/* ---- the layer cache ---- */

/* A layer's records as the layer cache keeps them (core.h's codec):
 *   format · n · n × { kind · path · evidence }   (in list order)
 * Change it, or what the checks find, and bump IMG_CACHE_VERSION. */
#define IMG_CACHE_VERSION 1
#define IMG_CACHE_FORMAT 1

static int layer_save(void *state, struct bw_buf *out)
{
	const struct img_layer *l = state;
	size_t n = 0;
	for (const struct img_record *r = l->recs; r; r = r->next)
		n++;
	int rc = bw_enc_u64(out, IMG_CACHE_FORMAT);
	rc |= bw_enc_u64(out, n);
	for (const struct img_record *r = l->recs; r && rc == 0; r = r->next) {
		rc |= bw_enc_u64(out, (uint64_t)r->kind);
		rc |= bw_enc_str(out, r->path);
		rc |= bw_enc_str(out, r->evidence);
	}
	return rc ? BW_ELIMIT : 0;
}

static void *layer_load(void *ud, const struct bw_image_layer *layer, const void *data, size_t len)
{
	struct img_layer *l = bw_calloc(1, sizeof(*l));
	bw_arena_init(&l->arena);
	struct bw_dec d;
	bw_dec_init(&d, data, len);
	if (bw_dec_u64(&d) != IMG_CACHE_FORMAT)
		d.bad = true;
	size_t n = bw_dec_count(&d);
	struct img_record **tail = &l->recs;
	for (size_t i = 0; i < n && !d.bad; i++) {
		struct img_record *r = bw_arena_alloc(&l->arena, sizeof(*r));
		r->kind = (enum img_file_kind)bw_dec_max(&d, IMG_F_PKGCONF);
		r->path = bw_dec_str(&d, &l->arena);
		r->evidence = bw_dec_str(&d, &l->arena);
		if (r->kind == IMG_F_NONE || !r->path || !r->evidence)
			d.bad = true;
		*tail = r;
		tail = &r->next;
	}
	if (!bw_dec_done(&d)) {
		layer_free(l);
		return NULL;
	}
	return l;
}

int bw_imgcheck_new(struct bw_imgcheck **out, struct bw_error *err)
{
	struct bw_imgcheck *li = bw_calloc(1, sizeof(*li));
	li->an = (struct bw_analyzer){
	    .name = "image-config",
	    .version = IMG_CACHE_VERSION,
	    .wants = wants,
	    .max_whole = IMG_MAX_CONTENT,
	    .layer_begin = layer_begin,
	    .file = on_file,
	    .layer_free = layer_free,
	    .save = layer_save,
	    .load = layer_load,
	    .ud = li,
	};
	li->anp[0] = &li->an;
	*out = li;
	return 0;
}

const struct bw_analyzer *const *bw_imgcheck_analyzers(struct bw_imgcheck *li, size_t *n)
{
	*n = 1;
	return li->anp;
}

void bw_imgcheck_free(struct bw_imgcheck *li)
{
	free(li);
}
