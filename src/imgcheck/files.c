/* Rules on the files of an image: modes of the final view (setuid,
 * world-writable), names in every layer (.env, shell histories, .git —
 * deleted ones too: their bytes ship), package-manager caches, the
 * analyzer's content records, and build tools seen as files. */
#include "imgcheck-int.h"

/* ---- names in every layer ---- */

static bool is_dotenv(const char *b)
{
	if (strcmp(b, ".env") && strncmp(b, ".env.", 5))
		return false;
	static const char *const ok[] = {".example",  ".sample", ".template", ".dist",
					 ".defaults", ".schema", NULL};
	for (size_t i = 0; ok[i]; i++) {
		size_t n = strlen(b), k = strlen(ok[i]);
		if (n >= k && !strcmp(b + n - k, ok[i]))
			return false;
	}
	return true;
}

static bool is_history(const char *b)
{
	static const char *const h[] = {
	    ".bash_history",	  ".ash_history",    ".sh_history",	  ".zsh_history",
	    ".history",		  ".python_history", ".mysql_history",	  ".psql_history",
	    ".node_repl_history", ".sqlite_history", ".rediscli_history", ".lesshst",
	    ".viminfo",		  ".irb_history",    ".Rhistory",	  NULL};
	return bw_str_in(b, h);
}

struct cand {
	enum img_rule_id rule;
	const char *path;
	int layer;
};

static int cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	int c = strcmp(a->path, b->path);
	if (c)
		return c;
	return (a->layer > b->layer) - (a->layer < b->layer);
}

static void check_names(struct img_ctx *c)
{
	struct cand *cs = NULL;
	size_t n = 0, cap = 0;
	for (size_t L = 0; L < (c->info->n_layers ? c->info->n_layers : 1); L++) {
		size_t nf;
		const struct bw_file *fs = bw_image_layer_files(c->img, (int)L, &nf);
		for (size_t i = 0; fs && i < nf; i++) {
			const struct bw_file *f = &fs[i];
			if (f->type == BW_FILE_WHITEOUT || f->type == BW_FILE_OPAQUE)
				continue;
			const char *b = bw_path_base(f->path);
			enum img_rule_id rule = IMG__COUNT;
			const char *path = f->path;
			const char *g = strstr(f->path, "/.git/");
			if (g || (!strcmp(b, ".git") && f->type == BW_FILE_DIR)) {
				rule = IMG_GIT_DIR;
				path = g ? bw_arena_strndup(&c->scratch, f->path, (size_t)(g - f->path) + 5)
					 : f->path;
			} else if (f->type == BW_FILE_REG && f->size > 0 && is_dotenv(b)) {
				rule = IMG_DOTENV;
			} else if (f->type == BW_FILE_REG && f->size > 0 && is_history(b)) {
				rule = IMG_SHELL_HISTORY;
			}
			if (rule == IMG__COUNT)
				continue;
			if (n && cs[n - 1].rule == rule && cs[n - 1].layer == (int)L &&
			    !strcmp(cs[n - 1].path, path))
				continue;
			BW_ALLOC_GROW(cs, n + 1, cap);
			cs[n++] = (struct cand){rule, path, (int)L};
		}
	}
	if (n)
		qsort(cs, n, sizeof(*cs), cand_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && cs[i + 1].rule == cs[i].rule && !strcmp(cs[i + 1].path, cs[i].path))
			continue; /* keep the top-most layer that has it */
		const struct bw_file *fin = bw_image_lookup(c->img, cs[i].path);
		int in_final = fin && (cs[i].rule == IMG_GIT_DIR || fin->layer == cs[i].layer);
		const char *what = cs[i].rule == IMG_GIT_DIR  ? "git repository"
				   : cs[i].rule == IMG_DOTENV ? "environment file"
							      : "history file";
		if (in_final)
			img_report(c, cs[i].rule, cs[i].path, cs[i].layer, 1, "%s %s", what, cs[i].path);
		else
			img_report(c, cs[i].rule, cs[i].path, cs[i].layer, 0,
				   "%s %s, deleted by a later layer: its bytes still ship in layer %d", what,
				   cs[i].path, cs[i].layer);
	}
	free(cs);
}

/* ---- package-manager caches (final view) ---- */

struct cache_kind {
	const char *label, *dir; /* dir: a prefix, or with a leading '*' a substring */
};
static const struct cache_kind caches[] = {
    {"apt package lists", "/var/lib/apt/lists/"},
    {"apt archive cache", "/var/cache/apt/"},
    {"apk cache", "/var/cache/apk/"},
    {"yum cache", "/var/cache/yum/"},
    {"dnf cache", "/var/cache/dnf/"},
    {"libdnf cache", "/var/cache/libdnf5/"},
    {"zypper cache", "/var/cache/zypp/"},
    {"pip cache", "*/.cache/pip/"},
    {"npm cache", "*/.npm/_cacache/"},
    {"yarn cache", "*/.cache/yarn/"},
    {"yarn cache", "*/.yarn/cache/"},
    {"composer cache", "*/.composer/cache/"},
    {"composer cache", "*/.cache/composer/"},
    {"gem cache", "*/.gem/specs/"},
};

static const char *cache_dir(struct img_ctx *c, const struct cache_kind *k, const char *path)
{
	if (k->dir[0] != '*')
		return bw_str_starts_with(path, k->dir) ? k->dir : NULL;
	const char *s = strstr(path, k->dir + 1);
	if (!s)
		return NULL;
	return bw_arena_strndup(&c->scratch, path, (size_t)(s - path) + strlen(k->dir + 1));
}

static void check_caches(struct img_ctx *c, const struct bw_file *const *fin, size_t nf)
{
	struct acc {
		const char *dir;
		size_t kind;
		uint64_t files, bytes;
		uint64_t *layer_bytes;
	} accs[32];
	size_t na = 0;
	size_t nl = c->info->n_layers ? c->info->n_layers : 1;
	for (size_t i = 0; i < nf; i++) {
		const struct bw_file *f = fin[i];
		if (f->type != BW_FILE_REG)
			continue;
		const char *b = bw_path_base(f->path);
		if (!strcmp(b, "lock") || strstr(f->path, "/partial/") || !strcmp(b, ".gitkeep"))
			continue;
		for (size_t k = 0; k < BW_ARRAY_SIZE(caches); k++) {
			const char *dir = cache_dir(c, &caches[k], f->path);
			if (!dir)
				continue;
			size_t a = 0;
			while (a < na && strcmp(accs[a].dir, dir))
				a++;
			if (a == na) {
				if (na == BW_ARRAY_SIZE(accs))
					break;
				accs[na++] = (struct acc){dir, k, 0, 0,
							  bw_arena_alloc(&c->scratch, nl * sizeof(uint64_t))};
			}
			accs[a].files++;
			accs[a].bytes += f->size;
			if (f->layer >= 0 && (size_t)f->layer < nl)
				accs[a].layer_bytes[f->layer] += f->size + 1;
			break;
		}
	}
	for (size_t a = 0; a < na; a++) {
		size_t best = 0;
		for (size_t l = 1; l < nl; l++)
			if (accs[a].layer_bytes[l] > accs[a].layer_bytes[best])
				best = l;
		char sz[32];
		bw_format_size(accs[a].bytes, sz, sizeof(sz));
		size_t dl = strlen(accs[a].dir);
		img_report(c, IMG_PKG_CACHE, bw_arena_strndup(&c->scratch, accs[a].dir, dl > 1 ? dl - 1 : dl),
			   (int)best, 1, "%s %.*s: %llu files, %s", caches[accs[a].kind].label,
			   (int)(dl > 1 ? dl - 1 : dl), accs[a].dir, (unsigned long long)accs[a].files, sz);
	}
}

/* ---- build tools seen as files ---- */

const char *img_build_file(const char *path, enum bw_file_type type)
{
	static const struct {
		const char *sub, *label;
	} dirs[] = {
	    {"/.m2/repository/", "Maven repository cache"},
	    {"/.gradle/caches/", "Gradle cache"},
	    {"/.cargo/registry/", "Cargo registry cache"},
	    {"/go/pkg/mod/", "Go module cache"},
	    {"/.cache/go-build/", "Go build cache"},
	    {"/.cache/bazel/", "Bazel cache"},
	    {"/.ccache/", "ccache"},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(dirs); i++)
		if (strstr(path, dirs[i].sub))
			return dirs[i].label;
	if (type != BW_FILE_REG && type != BW_FILE_SYMLINK && type != BW_FILE_HARDLINK)
		return NULL;
	if (!strcmp(path, "/usr/local/go/bin/go") ||
	    (bw_str_starts_with(path, "/usr/lib/go") && strstr(path, "/bin/go") &&
	     !strcmp(bw_path_base(path), "go")))
		return "go toolchain";
	if (!bw_str_starts_with(path, "/usr/bin/") && !bw_str_starts_with(path, "/usr/local/bin/") &&
	    !bw_str_starts_with(path, "/bin/") && !bw_str_starts_with(path, "/usr/local/cargo/bin/"))
		return NULL;
	const char *b = bw_path_base(path);
	if (strchr(b + 1, '/'))
		return NULL;
	static const char *const tools[] = {
	    "gcc",    "g++",	  "cc",	      "c++",	 "clang",      "clang++",  "make",  "gmake",
	    "cmake",  "ninja",	  "git",      "go",	 "rustc",      "cargo",	   "javac", "mvn",
	    "gradle", "autoconf", "automake", "libtool", "pkg-config", "gfortran", NULL};
	for (size_t i = 0; tools[i]; i++) {
		size_t k = strlen(tools[i]);
		if (strncmp(b, tools[i], k))
			continue;
		/* "gcc", "gcc-12", not "gcc-ar" or "gccmakedep" */
		if (b[k] == 0 || (b[k] == '-' && bw_isdigit(b[k + 1])))
			return tools[i];
	}
	return NULL;
}

static void check_build_files(struct img_ctx *c, const struct bw_file *const *fin, size_t nf)
{
	for (size_t i = 0; i < nf; i++) {
		const char *label = img_build_file(fin[i]->path, fin[i]->type);
		if (!label)
			continue;
		size_t t = 0;
		while (t < c->n_tools && strcmp(c->tool_label[t], label))
			t++;
		if (t < c->n_tools || c->n_tools == BW_ARRAY_SIZE(c->tool_label))
			continue;
		const char *path = fin[i]->path;
		const char *s = NULL;
		static const char *const subs[] = {"/.m2/repository", "/.gradle/caches",  "/.cargo/registry",
						   "/go/pkg/mod",     "/.cache/go-build", "/.cache/bazel",
						   "/.ccache"};
		for (size_t k = 0; k < BW_ARRAY_SIZE(subs) && !s; k++)
			if ((s = strstr(path, subs[k])))
				path =
				    bw_arena_strndup(&c->scratch, path, (size_t)(s - path) + strlen(subs[k]));
		c->tool_label[c->n_tools] = label;
		c->tool_path[c->n_tools] = path;
		c->tool_layer[c->n_tools] = fin[i]->layer;
		c->n_tools++;
	}
}

/* ---- modes of the final view ---- */

void img_check_files(struct img_ctx *c)
{
	size_t nf;
	const struct bw_file *const *fin = bw_image_final(c->img, &nf);
	for (size_t i = 0; i < nf; i++) {
		const struct bw_file *f = fin[i];
		if (f->implied ||
		    (f->type != BW_FILE_REG && f->type != BW_FILE_HARDLINK && f->type != BW_FILE_DIR))
			continue;
		char m[12];
		if (f->type != BW_FILE_DIR && (f->mode & 06000)) {
			bw_file_mode_string(f, m);
			img_report(c, IMG_SETUID, f->path, f->layer, 1, "%s %u:%u %s (%s)", m, f->uid, f->gid,
				   f->path,
				   (f->mode & 06000) == 06000 ? "setuid and setgid"
				   : (f->mode & 04000)	      ? "setuid"
							      : "setgid");
		}
		if ((f->mode & 0002) && !(f->type == BW_FILE_DIR && (f->mode & 01000))) {
			bw_file_mode_string(f, m);
			img_report(c, IMG_WORLD_WRITABLE, f->path, f->layer, 1, "%s %u:%u %s%s", m, f->uid,
				   f->gid, f->path,
				   f->type == BW_FILE_DIR ? " (directory without the sticky bit)" : "");
		}
	}
	check_names(c);
	check_caches(c, fin, nf);
	check_build_files(c, fin, nf);
}

/* ---- content records ---- */

struct rec_ref {
	const struct img_record *rec;
	int layer;
};

static int rec_cmp(const void *x, const void *y)
{
	const struct rec_ref *a = x, *b = y;
	if (a->rec->kind != b->rec->kind)
		return a->rec->kind < b->rec->kind ? -1 : 1;
	int c = strcmp(a->rec->path, b->rec->path);
	if (c)
		return c;
	return (a->layer > b->layer) - (a->layer < b->layer);
}

void img_check_records(struct img_ctx *c)
{
	struct rec_ref *rs = NULL;
	size_t n = 0, cap = 0;
	size_t nl;
	void *const *states = bw_image_layer_states(c->img, &c->li->an, &nl);
	for (size_t li = 0; li < nl; li++) {
		const struct img_layer *l = states[li];
		for (const struct img_record *r = l ? l->recs : NULL; r; r = r->next) {
			BW_ALLOC_GROW(rs, n + 1, cap);
			rs[n++] = (struct rec_ref){r, (int)li};
		}
	}
	if (n)
		qsort(rs, n, sizeof(*rs), rec_cmp);
	for (size_t i = 0; i < n; i++) {
		const struct img_record *r = rs[i].rec;
		if (i + 1 < n && rs[i + 1].rec->kind == r->kind && !strcmp(rs[i + 1].rec->path, r->path))
			continue;
		const struct bw_file *fin = bw_image_lookup(c->img, r->path);
		int in_final = fin && fin->layer == rs[i].layer;
		enum img_rule_id rule;
		switch (r->kind) {
		case IMG_F_KEY:
			rule = IMG_PRIVATE_KEY;
			break;
		case IMG_F_CRED:
			rule = IMG_CREDENTIAL_FILE;
			break;
		case IMG_F_SHADOW:
			rule = IMG_EMPTY_PASSWORD;
			break;
		case IMG_F_PASSWD:
		case IMG_F_GROUP:
			rule = IMG_DUPLICATE_ID;
			break;
		case IMG_F_PKGCONF:
			rule = IMG_UNVERIFIED_PKGS;
			break;
		default:
			continue;
		}
		if (rule == IMG_PRIVATE_KEY || rule == IMG_CREDENTIAL_FILE) {
			/* the bytes ship even when a later layer deletes or replaces the file */
			if (in_final)
				img_report(c, rule, r->path, rs[i].layer, 1, "%s: %s", r->path, r->evidence);
			else
				img_report(c, rule, r->path, rs[i].layer, 0,
					   "%s: %s (deleted or replaced by a later layer; the bytes still "
					   "ship in layer %d)",
					   r->path, r->evidence, rs[i].layer);
		} else if (in_final) {
			img_report(c, rule, r->path, rs[i].layer, 1, "%s", r->evidence);
		}
	}
	free(rs);
}
