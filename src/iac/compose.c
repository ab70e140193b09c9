/* Compose projects: a compose file (v2, v3 or the Compose Specification)
 * with its values interpolated, `include`d files loaded, and each service's
 * `extends` chain merged into it, the way `docker compose config` would see
 * it — but every node keeps the file and position it came from, so a
 * finding about an inherited setting names the file that sets it.
 *
 * Merging follows the Compose Specification: mappings merge key by key (the
 * extending service wins), sequences of ports, volumes, capabilities and
 * the like are concatenated, other values are replaced.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>

#include "iac-int.h"

#define MAX_FILES 64
#define MAX_EXTENDS 16
#define MAX_INCLUDE_DEPTH 8

struct compose_project {
	struct bw_arena arena;
	struct bw_yaml_file **files; /* owned; files[0] is the main file */
	char **realpaths;
	size_t n_files, cap_files;
	struct compose_service *svcs;
	size_t n_svcs, cap_svcs;
	struct compose_env env;
	const struct bw_iac_config *cfg;
	struct bw_report *r; /* warnings */
};

bool compose_is_project(const struct bw_yaml_node *root)
{
	const struct bw_yaml_node *s = bw_yaml_get(root, "services");
	return s && s->kind == BW_YAML_MAP && !bw_yaml_get(root, "apiVersion");
}

static char *dir_of(const char *path)
{
	char *c = bw_strdup(path);
	char *d = bw_strdup(dirname(c));
	free(c);
	return d;
}

static char *join(const char *dir, const char *rel)
{
	if (rel[0] == '/')
		return bw_strdup(rel);
	return bw_asprintf("%s/%s", dir, rel);
}

/* Interpolate every scalar value under n (keys stay as written). */
static int interpolate_tree(struct compose_project *p, struct bw_yaml_node *n, bool is_key,
			    struct bw_error *err)
{
	if (n->kind == BW_YAML_SCALAR) {
		if (is_key || n->interpolated || !memchr(n->str, '$', n->len))
			return 0;
		char *out = NULL, *warn = NULL;
		struct bw_error ie = BW_ERROR_INIT;
		if (compose_interpolate(&p->env, n->str, n->len, &out, &warn, &ie))
			return bw_error_set(err, ie.code, "%s:%d:%d: %s", n->file->path, n->line, n->column,
					    ie.msg);
		if (warn) {
			if (p->r)
				bw_report_warn(p->r, "%s:%d:%d: %s", n->file->path, n->line, n->column, warn);
			free(warn);
		}
		n->len = strlen(out);
		n->str = bw_arena_strdup(&p->arena, out);
		n->interpolated = true;
		free(out);
		return 0;
	}
	/* an explicit stack: the reader bounded depth, but be frugal anyway */
	for (size_t i = 0; i < n->n; i++) {
		int rc = n->kind == BW_YAML_MAP ? interpolate_tree(p, n->pairs[i].value, false, err)
						: interpolate_tree(p, n->items[i], false, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- merging (extends) ---------------------------------------------------- */

static bool concat_key(const char *k)
{
	static const char *const keys[] = {
	    "ports",	"expose",  "external_links", "dns",	 "dns_search",	 "tmpfs",
	    "volumes",	"devices", "cap_add",	     "cap_drop", "security_opt", "volumes_from",
	    "env_file", "links",   "secrets",	     "configs",	 "group_add"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(keys); i++)
		if (!strcmp(k, keys[i]))
			return true;
	return false;
}

static struct bw_yaml_node *merge(struct compose_project *p, const struct bw_yaml_node *base,
				  const struct bw_yaml_node *over, const char *key, int depth)
{
	if (!base)
		return (struct bw_yaml_node *)over;
	if (!over)
		return (struct bw_yaml_node *)base;
	if (base->kind == BW_YAML_SEQ && over->kind == BW_YAML_SEQ && key && concat_key(key)) {
		struct bw_yaml_node *n = bw_arena_alloc(&p->arena, sizeof(*n));
		*n = *over;
		n->n = base->n + over->n;
		n->items = bw_arena_alloc(&p->arena, (n->n ? n->n : 1) * sizeof(*n->items));
		memcpy(n->items, over->items, over->n * sizeof(*n->items));
		memcpy(n->items + over->n, base->items, base->n * sizeof(*n->items));
		return n;
	}
	if (base->kind != BW_YAML_MAP || over->kind != BW_YAML_MAP || depth > 8)
		return (struct bw_yaml_node *)over;
	struct bw_yaml_node *n = bw_arena_alloc(&p->arena, sizeof(*n));
	*n = *over;
	n->pairs = bw_arena_alloc(&p->arena, (base->n + over->n + 1) * sizeof(*n->pairs));
	n->n = 0;
	for (size_t i = 0; i < over->n; i++) {
		struct bw_yaml_pair pr = over->pairs[i];
		if (depth == 0 && bw_yaml_is(pr.key, "extends"))
			continue;
		const struct bw_yaml_node *bv = bw_yaml_get(base, bw_yaml_str(pr.key) ? pr.key->str : "");
		if (bv && pr.key->kind == BW_YAML_SCALAR)
			pr.value = merge(p, bv, pr.value, pr.key->str, depth + 1);
		n->pairs[n->n++] = pr;
	}
	for (size_t i = 0; i < base->n; i++) {
		const struct bw_yaml_pair *pr = &base->pairs[i];
		if (pr->key->kind == BW_YAML_SCALAR && bw_yaml_pair_of(over, pr->key->str))
			continue;
		if (depth == 0 && bw_yaml_is(pr->key, "extends"))
			continue;
		n->pairs[n->n++] = *pr;
	}
	return n;
}

/* ---- files ---------------------------------------------------------------- */

static int add_file(struct compose_project *p, struct bw_yaml_file *f, const char *real)
{
	if (p->n_files >= MAX_FILES) {
		bw_yaml_file_free(f);
		return BW_ELIMIT;
	}
	if (p->n_files == p->cap_files) {
		p->cap_files = p->cap_files ? p->cap_files * 2 : 4;
		p->files = bw_realloc(p->files, p->cap_files * sizeof(*p->files));
		p->realpaths = bw_realloc(p->realpaths, p->cap_files * sizeof(*p->realpaths));
	}
	p->files[p->n_files] = f;
	p->realpaths[p->n_files++] = bw_strdup(real ? real : f->path);
	return 0;
}

/* Load (once) and interpolate another compose file of the project. */
static int load_file(struct compose_project *p, const char *path, const struct bw_yaml_node *from,
		     struct bw_yaml_file **out, struct bw_error *err)
{
	char real[PATH_MAX];
	if (!realpath(path, real))
		return bw_error_sys(err, BW_EINPUT, "%s:%d:%d: cannot open %s", from->file->path, from->line,
				    from->column, path);
	for (size_t i = 0; i < p->n_files; i++)
		if (!strcmp(p->realpaths[i], real)) {
			*out = p->files[i];
			return 0;
		}
	struct bw_buf b;
	bw_buf_init(&b, 64u << 20);
	int rc = bw_buf_read_file(&b, path, err);
	struct bw_yaml_file *f = NULL;
	if (!rc)
		rc = bw_yaml_parse(path, b.data ? b.data : "", b.len, NULL, &f, err);
	bw_buf_release(&b);
	if (rc)
		return bw_error_prefix(err, "%s:%d:%d: ", from->file->path, from->line, from->column);
	if (!f->n_docs || f->docs[0].root->kind != BW_YAML_MAP) {
		bw_yaml_file_free(f);
		return bw_error_set(err, BW_EINPUT, "%s: not a compose file (named at %s:%d)", path,
				    from->file->path, from->line);
	}
	if (add_file(p, f, real))
		return bw_error_set(err, BW_ELIMIT, "%s:%d: more than %d files in one compose project",
				    from->file->path, from->line, MAX_FILES);
	rc = interpolate_tree(p, f->docs[0].root, false, err);
	if (rc)
		return rc;
	*out = f;
	return 0;
}

struct chain {
	const char *file, *service;
	const struct chain *up;
};

static int resolve_service(struct compose_project *p, struct bw_yaml_file *f, const struct bw_yaml_node *key,
			   const struct bw_yaml_node *svc, const struct chain *up, int depth,
			   struct bw_yaml_node **out, struct bw_error *err)
{
	const struct bw_yaml_node *ext = bw_yaml_get(svc, "extends");
	if (!ext || svc->kind != BW_YAML_MAP) {
		*out = (struct bw_yaml_node *)svc;
		return 0;
	}
	if (depth >= MAX_EXTENDS)
		return bw_error_set(err, BW_ELIMIT, "%s:%d:%d: extends chain longer than %d services",
				    f->path, ext->line, ext->column, MAX_EXTENDS);
	const char *base_name = bw_yaml_str(ext);
	const char *base_file = NULL;
	if (ext->kind == BW_YAML_MAP) {
		base_name = bw_yaml_str(bw_yaml_get(ext, "service"));
		base_file = bw_yaml_str(bw_yaml_get(ext, "file"));
	}
	if (!base_name)
		return bw_error_set(err, BW_EINPUT, "%s:%d:%d: extends names no service", f->path, ext->line,
				    ext->column);
	struct bw_yaml_file *bf = f;
	if (base_file) {
		bw_autofree char *dir = dir_of(f->path);
		bw_autofree char *path = join(dir, base_file);
		int rc = load_file(p, path, ext, &bf, err);
		if (rc)
			return rc;
	}
	for (const struct chain *c = up; c; c = c->up)
		if (!strcmp(c->file, bf->path) && !strcmp(c->service, base_name))
			return bw_error_set(err, BW_EINPUT,
					    "%s:%d:%d: extends loop: service %s extends itself", f->path,
					    ext->line, ext->column, base_name);
	const struct bw_yaml_node *services = bw_yaml_get(bf->docs[0].root, "services");
	const struct bw_yaml_pair *bp = bw_yaml_pair_of(services, base_name);
	if (!bp)
		return bw_error_set(err, BW_EINPUT, "%s:%d:%d: extends: no service %s in %s", f->path,
				    ext->line, ext->column, base_name, bf->path);
	struct chain me = {bf->path, base_name, up};
	struct bw_yaml_node *base = NULL;
	int rc = resolve_service(p, bf, bp->key, bp->value, &me, depth + 1, &base, err);
	if (rc)
		return rc;
	(void)key;
	*out = merge(p, base, svc, NULL, 0);
	return 0;
}

static int add_services(struct compose_project *p, struct bw_yaml_file *f, struct bw_error *err)
{
	const struct bw_yaml_node *services = bw_yaml_get(f->docs[0].root, "services");
	if (!services || services->kind != BW_YAML_MAP)
		return 0;
	for (size_t i = 0; i < services->n; i++) {
		const struct bw_yaml_pair *sp = &services->pairs[i];
		if (sp->key->kind != BW_YAML_SCALAR)
			continue;
		struct chain me = {f->path, sp->key->str, NULL};
		struct bw_yaml_node *node = NULL;
		int rc = resolve_service(p, f, sp->key, sp->value, &me, 0, &node, err);
		if (rc)
			return rc;
		IAC_GROW(p->svcs, p->n_svcs, p->cap_svcs);
		p->svcs[p->n_svcs++] = (struct compose_service){sp->key->str, sp->key, node, f->path};
	}
	return 0;
}

static int load_includes(struct compose_project *p, struct bw_yaml_file *f, int depth, struct bw_error *err)
{
	const struct bw_yaml_node *inc = bw_yaml_get(f->docs[0].root, "include");
	if (!inc || inc->kind != BW_YAML_SEQ)
		return 0;
	if (depth >= MAX_INCLUDE_DEPTH)
		return bw_error_set(err, BW_ELIMIT, "%s:%d:%d: include nested deeper than %d files", f->path,
				    inc->line, inc->column, MAX_INCLUDE_DEPTH);
	bw_autofree char *dir = dir_of(f->path);
	for (size_t i = 0; i < inc->n; i++) {
		const struct bw_yaml_node *it = inc->items[i];
		const struct bw_yaml_node *pathn = it->kind == BW_YAML_MAP ? bw_yaml_get(it, "path") : it;
		size_t np = pathn && pathn->kind == BW_YAML_SEQ ? pathn->n : 1;
		for (size_t k = 0; k < np; k++) {
			const struct bw_yaml_node *one =
			    pathn && pathn->kind == BW_YAML_SEQ ? pathn->items[k] : pathn;
			const char *rel = bw_yaml_str(one);
			if (!rel || !*rel)
				return bw_error_set(err, BW_EINPUT, "%s:%d:%d: include names no file",
						    f->path, it->line, it->column);
			bw_autofree char *path = join(dir, rel);
			char real[PATH_MAX];
			if (realpath(path, real))
				for (size_t j = 0; j < p->n_files; j++)
					if (!strcmp(p->realpaths[j], real))
						return bw_error_set(err, BW_EINPUT,
								    "%s:%d:%d: include loop: %s is already "
								    "part of the project",
								    f->path, one->line, one->column, rel);
			struct bw_yaml_file *sub = NULL;
			int rc = load_file(p, path, one, &sub, err);
			if (!rc)
				rc = load_includes(p, sub, depth + 1, err);
			if (!rc)
				rc = add_services(p, sub, err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

void compose_project_free(struct compose_project *p);

/* Take f (parsed, not yet interpolated) as the main file of a project. */
int compose_project_load(struct bw_yaml_file *f, const struct bw_iac_config *cfg, struct bw_report *r,
			 struct compose_project **out, struct bw_error *err)
{
	struct compose_project *p = bw_calloc(1, sizeof(*p));
	bw_arena_init(&p->arena);
	p->cfg = cfg;
	p->r = r;
	p->env.cfg = cfg;
	char real[PATH_MAX];
	add_file(p, f, realpath(f->path, real) ? real : f->path);
	bw_autofree char *dir = dir_of(f->path);
	bw_autofree char *envpath = join(dir, ".env");
	int rc = compose_env_load(&p->env, envpath, err);
	if (!rc)
		rc = interpolate_tree(p, f->docs[0].root, false, err);
	if (!rc)
		rc = load_includes(p, f, 0, err);
	if (!rc)
		rc = add_services(p, f, err);
	if (rc) {
		compose_project_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void compose_project_free(struct compose_project *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_files; i++) {
		bw_yaml_file_free(p->files[i]);
		free(p->realpaths[i]);
	}
	free(p->files);
	free(p->realpaths);
	free(p->svcs);
	compose_env_release(&p->env);
	bw_arena_release(&p->arena);
	free(p);
}

size_t compose_project_services(const struct compose_project *p, const struct compose_service **out)
{
	*out = p->svcs;
	return p->n_svcs;
}

const struct bw_yaml_node *compose_project_root(const struct compose_project *p)
{
	return p->files[0]->docs[0].root;
}
