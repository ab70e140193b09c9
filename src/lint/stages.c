/* Build stages and variable scopes, with BuildKit's scoping rules:
 * - ARGs before the first FROM are global: usable in FROM lines only, and
 *   inside a stage after `ARG NAME` (without a value) re-declares them;
 * - the automatic platform ARGs (BUILDPLATFORM, TARGETARCH, …) are global,
 *   and inside a stage after a bare `ARG NAME`;
 * - ARG and ENV inside a stage are visible to the instructions after them;
 * - a stage built FROM an earlier stage inherits that stage's ENV (not its
 *   ARGs).
 * One pass over the file expands what the rules look at (ENV/ARG/LABEL
 * values, FROM, COPY/ADD words and --from, WORKDIR, USER, EXPOSE, VOLUME),
 * with hashed scopes so hostile files stay linear. */
#include "lint-int.h"

struct var {
	const char *name, *value; /* value NULL: declared without a value */
	bool env;
};

struct scope {
	struct var *v;
	size_t n, cap;
	size_t *hash; /* open addressing: index+1 into v, 0 empty */
	size_t hcap;
	struct bw_arena *a;
};

static const char *const builtin_args[] = {
    "BUILDPLATFORM",	 "linux/amd64",
    "BUILDOS",		 "linux",
    "BUILDARCH",	 "amd64",
    "BUILDVARIANT",	 "",
    "TARGETPLATFORM",	 "linux/amd64",
    "TARGETOS",		 "linux",
    "TARGETARCH",	 "amd64",
    "TARGETVARIANT",	 "",
    "TARGETSTAGE",	 "",
    "BUILDKIT_SYNTAX",	 "",
    "HTTP_PROXY",	 NULL,
    "HTTPS_PROXY",	 NULL,
    "FTP_PROXY",	 NULL,
    "NO_PROXY",		 NULL,
    "ALL_PROXY",	 NULL,
    "http_proxy",	 NULL,
    "https_proxy",	 NULL,
    "ftp_proxy",	 NULL,
    "no_proxy",		 NULL,
    "all_proxy",	 NULL,
    "SOURCE_DATE_EPOCH", NULL,
};

static int builtin_index(const char *n, size_t len)
{
	for (size_t i = 0; i < BW_ARRAY_SIZE(builtin_args); i += 2)
		if (strlen(builtin_args[i]) == len && memcmp(builtin_args[i], n, len) == 0)
			return (int)i;
	return -1;
}

static size_t hash_name(const char *s, size_t len)
{
	size_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static struct var *scope_find(struct scope *s, const char *name, size_t len)
{
	if (!s->hcap)
		return NULL;
	for (size_t h = hash_name(name, len) & (s->hcap - 1);; h = (h + 1) & (s->hcap - 1)) {
		size_t k = s->hash[h];
		if (!k)
			return NULL;
		struct var *v = &s->v[k - 1];
		if (strlen(v->name) == len && memcmp(v->name, name, len) == 0)
			return v;
	}
}

static void scope_rehash(struct scope *s)
{
	size_t nc = s->hcap ? s->hcap * 2 : 16;
	s->hash = bw_arena_alloc(s->a, nc * sizeof(*s->hash));
	s->hcap = nc;
	for (size_t i = 0; i < s->n; i++) {
		size_t h = hash_name(s->v[i].name, strlen(s->v[i].name)) & (nc - 1);
		while (s->hash[h])
			h = (h + 1) & (nc - 1);
		s->hash[h] = i + 1;
	}
}

static void scope_set(struct scope *s, const char *name, const char *value, bool env)
{
	struct var *v = scope_find(s, name, strlen(name));
	if (v) {
		v->value = value;
		v->env = v->env || env;
		return;
	}
	BW_ARENA_GROW(s->a, s->v, s->n + 1, s->n, s->cap);
	s->v[s->n++] = (struct var){name, value, env};
	if (2 * s->n >= s->hcap) {
		scope_rehash(s);
		return;
	}
	size_t h = hash_name(name, strlen(name)) & (s->hcap - 1);
	while (s->hash[h])
		h = (h + 1) & (s->hcap - 1);
	s->hash[h] = s->n;
}

static const char *scope_lookup(void *ud, const char *name, size_t len)
{
	struct var *v = scope_find(ud, name, len);
	return v ? v->value : NULL;
}

/* FROM lines see global ARGs and the automatic platform ARGs. */
static const char *global_lookup(void *ud, const char *name, size_t len)
{
	struct var *v = scope_find(ud, name, len);
	if (v)
		return v->value;
	int b = builtin_index(name, len);
	return b >= 0 ? builtin_args[b + 1] : NULL;
}

static bool global_declared(struct scope *g, const char *name)
{
	return scope_find(g, name, strlen(name)) || builtin_index(name, strlen(name)) >= 0;
}

static void note_budget(struct df_file *f, const struct df_instr *in, const struct df_expand_result *r)
{
	if (r->over_budget && !f->expand_over_line)
		f->expand_over_line = in->line;
}

static void expand_words(struct df_file *f, struct df_instr *in, df_lookup_fn fn, struct scope *sc)
{
	if (!in->argc)
		return;
	in->xargv = bw_arena_alloc(&f->arena, in->argc * sizeof(*in->xargv));
	in->xdynamic = bw_arena_alloc(&f->arena, in->argc * sizeof(*in->xdynamic));
	for (size_t k = 0; k < in->argc; k++) {
		struct df_expand_result r;
		df_expand(&f->arena, in->argv[k], strlen(in->argv[k]), f->escape, fn, sc, &f->expand_budget,
			  &r);
		note_budget(f, in, &r);
		in->xargv[k] = r.value;
		in->xdynamic[k] = r.dynamic;
	}
}

static void apply(struct df_file *f, struct df_instr *in, struct scope *sc, struct scope *global,
		  bool is_global)
{
	df_lookup_fn fn = is_global ? global_lookup : scope_lookup;
	switch (in->kind) {
	case DF_COPY:
	case DF_ADD:
	case DF_WORKDIR:
	case DF_USER:
	case DF_EXPOSE:
	case DF_VOLUME:
	case DF_STOPSIGNAL:
		expand_words(f, in, fn, sc);
		if (in->kind == DF_COPY) {
			const char *from = df_flag_get(in, "from");
			if (from) {
				struct df_expand_result r;
				df_expand(&f->arena, from, strlen(from), f->escape, fn, sc, &f->expand_budget,
					  &r);
				note_budget(f, in, &r);
				in->xfrom = r.value;
			}
		}
		return;
	case DF_ARG:
	case DF_ENV:
	case DF_LABEL:
		break;
	default:
		return;
	}
	for (size_t k = 0; k < in->n_kvs; k++) {
		struct df_kv *kv = &in->kvs[k];
		if (!kv->value)
			continue;
		struct df_expand_result r;
		/* ENV a=1 b=$a: every value sees the scope before the instruction */
		df_expand(&f->arena, kv->value, strlen(kv->value), f->escape, fn, sc, &f->expand_budget, &r);
		note_budget(f, in, &r);
		kv->expanded = r.value;
		if (in->kind == DF_ENV)
			for (size_t u = 0; u < r.n_refs && !kv->self_ref; u++)
				for (size_t j = 0; j < k; j++)
					if (strcmp(in->kvs[j].key, r.refs[u]) == 0 &&
					    !fn(sc, r.refs[u], strlen(r.refs[u]))) {
						kv->self_ref = r.refs[u];
						break;
					}
	}
	if (in->kind == DF_LABEL)
		return;
	for (size_t k = 0; k < in->n_kvs; k++) {
		struct df_kv *kv = &in->kvs[k];
		if (in->kind == DF_ENV) {
			scope_set(sc, kv->key, kv->expanded ? kv->expanded : "", true);
			continue;
		}
		const char *v = kv->value ? kv->expanded : NULL;
		if (!kv->value && !is_global) {
			v = scope_lookup(global, kv->key, strlen(kv->key));
			if (!v) {
				int b = builtin_index(kv->key, strlen(kv->key));
				if (b >= 0)
					v = builtin_args[b + 1];
			}
		}
		scope_set(sc, kv->key, v, false);
	}
}

struct name_index {
	size_t *slot; /* stage index + 1 */
	size_t cap;
};

static int stage_by_name(const struct df_stage *st, const struct name_index *ix, const char *name)
{
	if (!ix->cap || !name)
		return -1;
	size_t len = strlen(name);
	char low[256];
	if (len >= sizeof(low))
		return -1;
	for (size_t i = 0; i < len; i++)
		low[i] = (char)bw_tolower(name[i]);
	for (size_t h = hash_name(low, len) & (ix->cap - 1);; h = (h + 1) & (ix->cap - 1)) {
		size_t k = ix->slot[h];
		if (!k)
			return -1;
		if (bw_strcasecmp(st[k - 1].name, name) == 0)
			return (int)(k - 1);
	}
}

void df_build_stages(struct df_file *f);

void df_build_stages(struct df_file *f)
{
	struct scope global = {.a = &f->arena};
	f->expand_budget = DF_MAX_EXPANSION;
	struct df_stage *st = NULL;
	struct scope *env = NULL; /* final scope of each stage */
	size_t n = 0, cap = 0, ecap = 0;
	struct scope cur = {.a = &f->arena};
	struct name_index ix = {0};
	ix.cap = 64;
	ix.slot = bw_arena_alloc(&f->arena, ix.cap * sizeof(*ix.slot));
	size_t n_named = 0;
	for (size_t i = 0; i < f->n_instrs; i++) {
		struct df_instr *in = &f->instrs[i];
		if (in->kind == DF_FROM && in->argc >= 1 && n < DF_MAX_STAGES) {
			if (n) {
				st[n - 1].end = i;
				env[n - 1] = cur;
			}
			BW_ARENA_GROW(&f->arena, st, n + 1, n, cap);
			BW_ARENA_GROW(&f->arena, env, n + 1, n, ecap);
			struct df_stage *s = &st[n];
			memset(s, 0, sizeof(*s));
			s->from = i;
			s->end = f->n_instrs;
			s->parent = -1;
			s->base_raw = in->argv[0];
			if (in->argc == 3)
				s->name = in->argv[2];
			struct df_expand_result r;
			df_expand(&f->arena, in->argv[0], strlen(in->argv[0]), f->escape, global_lookup,
				  &global, &f->expand_budget, &r);
			note_budget(f, in, &r);
			s->base = r.value;
			size_t ucap = 0;
			for (size_t k = 0; k < r.n_unset; k++) {
				if (global_declared(&global, r.unset[k]))
					continue;
				BW_ARENA_GROW(&f->arena, s->undefined, s->n_undefined + 1, s->n_undefined,
					      ucap);
				s->undefined[s->n_undefined++] = r.unset[k];
			}
			s->parent = stage_by_name(st, &ix, s->base);
			cur = (struct scope){.a = &f->arena};
			if (s->parent >= 0) {
				/* a chain of stages each FROM the last copies every
				 * ENV again: bounded in all */
				struct scope *pe = &env[s->parent];
				for (size_t k = 0; k < pe->n; k++) {
					if (!pe->v[k].env)
						continue;
					if (f->env_copies >= DF_MAX_ENV_COPIES) {
						if (!f->env_over_line)
							f->env_over_line = in->line;
						break;
					}
					f->env_copies++;
					scope_set(&cur, pe->v[k].name, pe->v[k].value, true);
				}
			}
			in->stage = (int)n;
			n++;
			/* index the name (first definition wins, as BuildKit resolves) */
			if (s->name && strlen(s->name) < 256 && stage_by_name(st, &ix, s->name) < 0) {
				if (2 * (n_named + 1) >= ix.cap) {
					size_t nc = ix.cap * 2;
					size_t *ns = bw_arena_alloc(&f->arena, nc * sizeof(*ns));
					for (size_t h = 0; h < ix.cap; h++) {
						size_t k = ix.slot[h];
						if (!k)
							continue;
						char low[256];
						size_t len = strlen(st[k - 1].name);
						for (size_t q = 0; q < len; q++)
							low[q] = (char)bw_tolower(st[k - 1].name[q]);
						size_t j = hash_name(low, len) & (nc - 1);
						while (ns[j])
							j = (j + 1) & (nc - 1);
						ns[j] = k;
					}
					ix.slot = ns;
					ix.cap = nc;
				}
				char low[256];
				size_t len = strlen(s->name);
				for (size_t q = 0; q < len; q++)
					low[q] = (char)bw_tolower(s->name[q]);
				size_t j = hash_name(low, len) & (ix.cap - 1);
				while (ix.slot[j])
					j = (j + 1) & (ix.cap - 1);
				ix.slot[j] = n;
				n_named++;
			}
			expand_words(f, in, global_lookup, &global);
			continue;
		}
		in->stage = (int)n - 1;
		if (in->sub)
			in->sub->stage = in->stage;
		if (n == 0)
			apply(f, in, &global, &global, true);
		else
			apply(f, in, &cur, &global, false);
	}
	f->stages = st;
	f->n_stages = n;
	if (global.n) {
		f->global_args = bw_arena_alloc(&f->arena, 2 * global.n * sizeof(char *));
		for (size_t k = 0; k < global.n; k++) {
			f->global_args[2 * k] = global.v[k].name;
			f->global_args[2 * k + 1] = global.v[k].value;
		}
		f->n_global_args = global.n;
	}
}
