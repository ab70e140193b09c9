/* The ecosystem table: for each kind of file the inventory reads, where such
 * files are, how the walker hands them over and which parser reads them; and
 * the classifier that the walker runs on every regular file of every layer,
 * from an index of the table's keys built once. */
#include <pthread.h>

#include "inventory-int.h"

/* ---- conditions on keys ---- */

static bool ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* The directory name just above the basename: "/a/b.dist-info/METADATA" ->
 * "b.dist-info"; empty when there is none. */
static struct bw_slice parent_name(const struct inv_path *p)
{
	if (p->base == p->path)
		return (struct bw_slice){p->path, 0};
	const char *e = p->base - 1; /* the '/' before the basename */
	const char *s = e;
	while (s > p->path && s[-1] != '/')
		s--;
	return (struct bw_slice){s, (size_t)(e - s)};
}

static bool parent_ends(const struct inv_path *p, const char *suf)
{
	struct bw_slice d = parent_name(p);
	return ends_with(d.ptr, d.len, suf);
}

static bool in_dist_info(const struct inv_path *p)
{
	return parent_ends(p, ".dist-info");
}

static bool in_egg_info(const struct inv_path *p)
{
	return parent_ends(p, ".egg-info");
}

static bool in_site_packages(const struct inv_path *p)
{
	return parent_ends(p, "-packages"); /* site-packages, dist-packages */
}

static bool in_specifications(const struct inv_path *p)
{
	return bw_slice_eq(parent_name(p), "specifications");
}

static bool in_node_modules(const struct inv_path *p)
{
	return strstr(p->path, "/node_modules/") != NULL;
}

/* Lock files of an application, not those packages ship inside node_modules. */
static bool outside_node_modules(const struct inv_path *p)
{
	return !in_node_modules(p);
}

/* A project's own lock file or manifest, not one that came with an installed
 * package (a gem's Gemfile.lock, a vendored module's go.mod, the
 * requirements.txt of a Python package, …): those pin what their authors
 * tested, not what this project uses. */
static bool project_file(const struct inv_path *p)
{
	static const char *const trees[] = {"/node_modules/", "-packages/", "/vendor/", "/pkg/mod/",
					    "/gems/",	      "/.m2/",	    "/.gradle/"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(trees); i++)
		if (strstr(p->path, trees[i]))
			return false;
	return true;
}

static bool is_requirements(const struct inv_path *p)
{
	return p->base_len >= 16 && memcmp(p->base, "requirements", 12) == 0 && project_file(p);
}

static bool in_vendor_composer(const struct inv_path *p)
{
	return ends_with(p->path, p->len, "/vendor/composer/installed.json");
}

static bool is_md5sums(const struct inv_path *p)
{
	return ends_with(p->base, p->base_len, ".md5sums");
}

static bool not_md5sums(const struct inv_path *p)
{
	return !is_md5sums(p);
}

static bool is_list(const struct inv_path *p)
{
	return ends_with(p->base, p->base_len, ".list");
}

/* /usr/share/doc/PACKAGE/copyright, one directory down. */
static bool is_deb_copyright(const struct inv_path *p)
{
	static const char doc[] = "/usr/share/doc/";
	if (p->len <= sizeof(doc) - 1 || memcmp(p->path, doc, sizeof(doc) - 1) != 0)
		return false;
	const char *dir = p->path + sizeof(doc) - 1;
	return p->base > dir + 1 && memchr(dir, '/', (size_t)(p->base - dir)) == p->base - 1 &&
	       p->base_len == 9 && memcmp(p->base, "copyright", 9) == 0;
}

/* Executables large enough to hold Go or cargo-auditable build information. */
static bool is_program(const struct inv_path *p)
{
	return (p->mode & 0111) && p->size >= 1024;
}

/* ---- parsers with a row's own arguments ---- */

static void parse_dpkg_status(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	inv_parse_dpkg_status(l, rec, data, len, false);
}

static void parse_dpkg_statusd(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	inv_parse_dpkg_status(l, rec, data, len, true);
}

static void parse_dpkg_list(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	inv_parse_dpkg_list(l, rec, data, len, ends_with(rec->path, strlen(rec->path), ".md5sums"));
}

/* ---- the table ---- */

static const struct inv_ecosystem rows[INV__COUNT] = {
    [INV_OSRELEASE] = {INV_OSRELEASE, .name = "os-release",
		       .keys = (const struct inv_key[]){{INV_PATH, "/etc/os-release", NULL},
							{INV_PATH, "/usr/lib/os-release", NULL},
							{INV_PATH, "/etc/alpine-release", NULL},
							{INV_PATH, "/etc/debian_version", NULL},
							{INV_PATH, "/etc/system-release", NULL},
							{INV_PATH, "/etc/redhat-release", NULL},
							{INV_PATH, "/etc/centos-release", NULL},
							{INV_PATH, "/etc/rocky-release", NULL},
							{INV_PATH, "/etc/almalinux-release", NULL},
							{INV_PATH, "/etc/fedora-release", NULL},
							{INV_PATH, "/etc/oracle-release", NULL},
							{0}},
		       .max_whole = INV_MAX_META, .parse = inv_parse_osrelease},
    [INV_DPKG_STATUS] = {INV_DPKG_STATUS, .name = "dpkg-status",
			 .keys = (const struct inv_key[]){{INV_PATH, "/var/lib/dpkg/status", NULL},
							  {INV_OWNS, "/var/lib/dpkg/", NULL},
							  {0}},
			 .max_whole = INV_MAX_META, .parse = parse_dpkg_status},
    [INV_DPKG_STATUSD] = {INV_DPKG_STATUSD, .name = "dpkg-status.d",
			  .keys =
			      (const struct inv_key[]){
				  {INV_IN, "/var/lib/dpkg/status.d/", not_md5sums}, /* distroless */
				  {0},
			      },
			  .max_whole = INV_MAX_META, .parse = parse_dpkg_statusd},
    [INV_DPKG_LIST] = {INV_DPKG_LIST, .name = "dpkg-list",
		       .keys = (const struct inv_key[]){{INV_UNDER, "/var/lib/dpkg/info/", is_list},
							{INV_IN, "/var/lib/dpkg/status.d/", is_md5sums},
							{0}},
		       .max_whole = INV_MAX_META, .parse = parse_dpkg_list},
    [INV_APK] = {INV_APK, .name = "apk",
		 .keys = (const struct inv_key[]){{INV_PATH, "/lib/apk/db/installed", NULL},
						  {INV_PATH, "/usr/lib/apk/db/installed", NULL},
						  {0}},
		 .max_whole = INV_MAX_META, .parse = inv_parse_apk},
    [INV_RPMDB] = {INV_RPMDB, .name = "rpmdb",
		   .keys = (const struct inv_key[]){{INV_PATH, "/var/lib/rpm/Packages", NULL},
						    {INV_PATH, "/var/lib/rpm/Packages.db", NULL},
						    {INV_PATH, "/var/lib/rpm/rpmdb.sqlite", NULL},
						    {INV_PATH, "/usr/lib/sysimage/rpm/Packages", NULL},
						    {INV_PATH, "/usr/lib/sysimage/rpm/Packages.db", NULL},
						    {INV_PATH, "/usr/lib/sysimage/rpm/rpmdb.sqlite", NULL},
						    {0}},
		   .max_whole = INV_MAX_ARCHIVE, .parse = inv_parse_rpmdb},
    [INV_PYTHON] = {INV_PYTHON, .name = "python",
		    .keys =
			(const struct inv_key[]){
			    {INV_NAME, "METADATA", in_dist_info},
			    {INV_NAME, "PKG-INFO", in_egg_info},
			    {INV_SUFFIX, ".egg-info", in_site_packages}, /* a file, not the directory */
			    {0},
			},
		    .max_whole = INV_MAX_META, .parse = inv_parse_python},
    [INV_NPM_PKG] = {INV_NPM_PKG, .name = "npm-package",
		     .keys = (const struct inv_key[]){{INV_NAME, "package.json", in_node_modules}, {0}},
		     .max_whole = INV_MAX_META, .parse = inv_parse_npm_pkg},
    [INV_NPM_LOCK] = {INV_NPM_LOCK, .name = "npm-lock",
		      .keys =
			  (const struct inv_key[]){{INV_NAME, "package-lock.json", outside_node_modules},
						   {INV_NAME, "npm-shrinkwrap.json", outside_node_modules},
						   {0}},
		      .max_whole = INV_MAX_META, .parse = inv_parse_npm_lock},
    [INV_YARN_LOCK] = {INV_YARN_LOCK, .name = "yarn-lock",
		       .keys = (const struct inv_key[]){{INV_NAME, "yarn.lock", outside_node_modules}, {0}},
		       .max_whole = INV_MAX_META, .parse = inv_parse_yarn_lock},
    [INV_PNPM_LOCK] = {INV_PNPM_LOCK, .name = "pnpm-lock",
		       .keys =
			   (const struct inv_key[]){{INV_NAME, "pnpm-lock.yaml", outside_node_modules}, {0}},
		       .max_whole = INV_MAX_META, .parse = inv_parse_pnpm_lock},
    [INV_JAR] = {INV_JAR, .name = "jar",
		 .keys = (const struct inv_key[]){{INV_SUFFIX, ".jar", NULL},
						  {INV_SUFFIX, ".war", NULL},
						  {INV_SUFFIX, ".ear", NULL},
						  {INV_SUFFIX, ".par", NULL},
						  {0}},
		 .max_whole = INV_MAX_ARCHIVE, .parse = inv_parse_jar},
    [INV_GEMSPEC] = {INV_GEMSPEC, .name = "gemspec",
		     .keys = (const struct inv_key[]){{INV_SUFFIX, ".gemspec", in_specifications}, {0}},
		     .max_whole = INV_MAX_META, .parse = inv_parse_gemspec},
    [INV_CARGO_LOCK] = {INV_CARGO_LOCK, .name = "cargo-lock",
			.keys = (const struct inv_key[]){{INV_NAME, "Cargo.lock", NULL}, {0}},
			.max_whole = INV_MAX_META, .parse = inv_parse_cargo_lock},
    [INV_COMPOSER] = {INV_COMPOSER, .name = "composer",
		      .keys = (const struct inv_key[]){{INV_NAME, "installed.json", in_vendor_composer}, {0}},
		      .max_whole = INV_MAX_META, .parse = inv_parse_composer},
    [INV_DOTNET] = {INV_DOTNET, .name = "dotnet",
		    .keys = (const struct inv_key[]){{INV_SUFFIX, ".deps.json", NULL}, {0}},
		    .max_whole = INV_MAX_META, .parse = inv_parse_dotnet},
    [INV_BINARY] = {INV_BINARY, .name = "binary",
		    .keys = (const struct inv_key[]){{INV_ANY, NULL, is_program}, {0}},
		    .max_whole = 0 /* streamed: Go and Rust binaries */},
    [INV_DPKG_AVAILABLE] = {INV_DPKG_AVAILABLE, .name = "dpkg-available",
			    .keys =
				(const struct inv_key[]){{INV_PATH, "/var/lib/dpkg/available", NULL}, {0}},
			    .max_whole = INV_MAX_META, .parse = inv_parse_dpkg_available},
    /* a project's lock files and manifests (fs DIR) */
    [INV_REQUIREMENTS] = {INV_REQUIREMENTS, .name = "requirements",
			  .keys = (const struct inv_key[]){{INV_SUFFIX, ".txt", is_requirements}, {0}},
			  .max_whole = INV_MAX_META, .parse = inv_parse_requirements},
    [INV_PY_TOML_LOCK] = {INV_PY_TOML_LOCK, .name = "python-lock",
			  .keys = (const struct inv_key[]){{INV_NAME, "poetry.lock", project_file},
							   {INV_NAME, "uv.lock", project_file},
							   {0}},
			  .max_whole = INV_MAX_META, .parse = inv_parse_py_toml_lock},
    [INV_PIPFILE_LOCK] = {INV_PIPFILE_LOCK, .name = "pipfile-lock",
			  .keys = (const struct inv_key[]){{INV_NAME, "Pipfile.lock", project_file}, {0}},
			  .max_whole = INV_MAX_META, .parse = inv_parse_pipfile_lock},
    [INV_GOMOD] = {INV_GOMOD, .name = "go-mod",
		   .keys = (const struct inv_key[]){{INV_NAME, "go.mod", project_file}, {0}},
		   .max_whole = INV_MAX_META, .parse = inv_parse_gomod},
    [INV_GEMFILE_LOCK] = {INV_GEMFILE_LOCK, .name = "gemfile-lock",
			  .keys = (const struct inv_key[]){{INV_NAME, "Gemfile.lock", project_file},
							   {INV_NAME, "gems.locked", project_file},
							   {0}},
			  .max_whole = INV_MAX_META, .parse = inv_parse_gemfile_lock},
    [INV_COMPOSER_LOCK] = {INV_COMPOSER_LOCK, .name = "composer-lock",
			   .keys = (const struct inv_key[]){{INV_NAME, "composer.lock", project_file}, {0}},
			   .max_whole = INV_MAX_META, .parse = inv_parse_composer_lock},
    [INV_NUGET_LOCK] = {INV_NUGET_LOCK, .name = "nuget-lock",
			.keys = (const struct inv_key[]){{INV_NAME, "packages.lock.json", project_file}, {0}},
			.max_whole = INV_MAX_META, .parse = inv_parse_nuget_lock},
    [INV_GRADLE_LOCK] = {INV_GRADLE_LOCK, .name = "gradle-lock",
			 .keys = (const struct inv_key[]){{INV_NAME, "gradle.lockfile", project_file}, {0}},
			 .max_whole = INV_MAX_META, .parse = inv_parse_gradle_lock},
    [INV_POM] = {INV_POM, .name = "maven-pom",
		 .keys = (const struct inv_key[]){{INV_NAME, "pom.xml", project_file}, {0}},
		 .max_whole = INV_MAX_META, .parse = inv_parse_pom},
    [INV_DEB_COPYRIGHT] = {INV_DEB_COPYRIGHT, .name = "deb-copyright",
			   .keys = (const struct inv_key[]){{INV_NAME, "copyright", is_deb_copyright}, {0}},
			   .max_whole = INV_MAX_META, .parse = inv_parse_deb_copyright},
};

const struct inv_ecosystem *inv_ecosystem(enum inv_kind kind)
{
	return kind > INV_NONE && kind < INV__COUNT ? &rows[kind] : NULL;
}

/* ---- the index, built once ---- */

#define IX_MAX 128	/* keys of one phase */
#define NAME_BUCKETS 64 /* a power of two */

struct ix_key {
	const struct inv_ecosystem *row; /* NULL: an INV_OWNS directory */
	const struct inv_key *key;
	const char *s; /* the name, directory or suffix compared */
	size_t len;
	size_t path_len; /* INV_PATH: the whole path (key->s) */
};

struct ix_phase {
	struct ix_key k[IX_MAX];
	size_t n;
};

static struct {
	struct ix_phase names; /* INV_PATH, INV_NAME: by name_start[bucket] */
	unsigned char name_start[NAME_BUCKETS + 1];
	struct ix_phase dirs;	  /* INV_IN, INV_UNDER, then INV_OWNS, in table order */
	bool dir_byte[256];	  /* the second bytes of the directories ("/v…") */
	struct ix_phase suffixes; /* by suffix_start[last byte] */
	unsigned char suffix_start[257];
	struct ix_phase any;
} ix;
static pthread_once_t ix_once = PTHREAD_ONCE_INIT;

static unsigned name_bucket(const char *s, size_t n)
{
	/* O(1): the length and the two end bytes tell the table's names apart */
	return ((unsigned)n * 7u + (unsigned char)s[0] * 3u + (unsigned char)s[n - 1]) & (NAME_BUCKETS - 1);
}

static void ix_add(struct ix_phase *ph, struct ix_key k)
{
	if (ph->n == IX_MAX)
		BW_BUG("too many keys in the ecosystem table");
	ph->k[ph->n++] = k;
}

/* Sort a phase's keys into buckets (stable: table order within a bucket). */
static void ix_bucket(struct ix_phase *ph, unsigned char *start, size_t nb,
		      unsigned (*bucket)(const struct ix_key *))
{
	size_t count[257] = {0};
	for (size_t i = 0; i < ph->n; i++)
		count[bucket(&ph->k[i])]++;
	size_t at = 0;
	for (size_t b = 0; b < nb; b++) {
		start[b] = (unsigned char)at;
		at += count[b];
	}
	start[nb] = (unsigned char)at;
	struct ix_key sorted[IX_MAX];
	size_t fill[257];
	for (size_t b = 0; b < nb; b++)
		fill[b] = start[b];
	for (size_t i = 0; i < ph->n; i++)
		sorted[fill[bucket(&ph->k[i])]++] = ph->k[i];
	memcpy(ph->k, sorted, ph->n * sizeof(*sorted));
}

static unsigned name_key_bucket(const struct ix_key *k)
{
	return name_bucket(k->s, k->len);
}

static unsigned suffix_key_bucket(const struct ix_key *k)
{
	return (unsigned char)k->s[k->len - 1];
}

static void ix_build(void)
{
	struct ix_phase owns = {.n = 0};
	for (size_t r = 0; r < INV__COUNT; r++) {
		const struct inv_ecosystem *row = &rows[r];
		for (const struct inv_key *k = row->keys; k && k->on != INV_KEYS_END; k++) {
			size_t n = k->s ? strlen(k->s) : 0;
			struct ix_key e = {row, k, k->s, n, n};
			switch (k->on) {
			case INV_PATH: {
				const char *slash = strrchr(k->s, '/');
				if (!slash || !slash[1])
					BW_BUG("an INV_PATH key names no file");
				e.s = slash + 1;
				e.len = strlen(e.s);
				ix_add(&ix.names, e);
				break;
			}
			case INV_NAME:
				if (!n || strchr(k->s, '/'))
					BW_BUG("an INV_NAME key is not a basename");
				ix_add(&ix.names, e);
				break;
			case INV_IN:
			case INV_UNDER:
			case INV_OWNS:
				if (n < 3 || k->s[0] != '/' || k->s[n - 1] != '/')
					BW_BUG("a directory key is not an absolute directory ending in '/'");
				ix.dir_byte[(unsigned char)k->s[1]] = true;
				if (k->on == INV_OWNS) {
					e.row = NULL;
					ix_add(&owns, e);
				} else {
					ix_add(&ix.dirs, e);
				}
				break;
			case INV_SUFFIX:
				if (!n || strchr(k->s, '/'))
					BW_BUG("an INV_SUFFIX key is not the end of a basename");
				ix_add(&ix.suffixes, e);
				break;
			case INV_ANY:
				if (!k->when)
					BW_BUG("an INV_ANY key without a condition");
				ix_add(&ix.any, e);
				break;
			default:
				BW_BUG("an ecosystem key of no known kind");
			}
		}
	}
	for (size_t i = 0; i < owns.n; i++)
		ix_add(&ix.dirs, owns.k[i]);
	ix_bucket(&ix.names, ix.name_start, NAME_BUCKETS, name_key_bucket);
	ix_bucket(&ix.suffixes, ix.suffix_start, 256, suffix_key_bucket);
}

/* ---- classifying a file ---- */

static bool holds(const struct ix_key *e, const struct inv_path *p)
{
	return !e->key->when || e->key->when(p);
}

const struct inv_ecosystem *inv_match(const char *path, uint32_t mode, uint64_t size)
{
	pthread_once(&ix_once, ix_build);
	struct inv_path p = {.path = path, .len = strlen(path), .mode = mode, .size = size};
	const char *slash = memrchr(path, '/', p.len);
	p.base = slash ? slash + 1 : path;
	p.base_len = p.len - (size_t)(p.base - path);

	if (p.base_len) {
		unsigned b = name_bucket(p.base, p.base_len);
		for (size_t i = ix.name_start[b]; i < ix.name_start[b + 1]; i++) {
			const struct ix_key *e = &ix.names.k[i];
			if (e->len != p.base_len || memcmp(e->s, p.base, p.base_len) != 0)
				continue;
			if (e->key->on == INV_PATH &&
			    (e->path_len != p.len || memcmp(e->key->s, path, p.len) != 0))
				continue;
			if (holds(e, &p))
				return e->row;
		}
	}
	if (p.len > 1 && ix.dir_byte[(unsigned char)path[1]]) {
		for (size_t i = 0; i < ix.dirs.n; i++) {
			const struct ix_key *e = &ix.dirs.k[i];
			if (p.len < e->len || memcmp(e->s, path, e->len) != 0)
				continue;
			if (!e->row)
				return NULL; /* INV_OWNS */
			if (e->key->on == INV_IN && (p.base != path + e->len || !p.base_len))
				continue;
			if (holds(e, &p))
				return e->row;
		}
	}
	if (p.base_len) {
		unsigned char c = (unsigned char)p.base[p.base_len - 1];
		for (size_t i = ix.suffix_start[c]; i < ix.suffix_start[c + 1]; i++) {
			const struct ix_key *e = &ix.suffixes.k[i];
			if (p.base_len >= e->len && memcmp(p.base + p.base_len - e->len, e->s, e->len) == 0 &&
			    holds(e, &p))
				return e->row;
		}
	}
	for (size_t i = 0; i < ix.any.n; i++)
		if (holds(&ix.any.k[i], &p))
			return ix.any.k[i].row;
	return NULL;
}

enum inv_kind inv_classify(const char *path, uint32_t mode, uint64_t size)
{
	const struct inv_ecosystem *e = inv_match(path, mode, size);
	return e ? e->kind : INV_NONE;
}
