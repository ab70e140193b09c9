/* Base images, stages and users. */
#include "rules-int.h"

struct imgref {
	char registry[256];
	const char *tag;    /* NULL when none */
	const char *digest; /* NULL when none */
};

/* Split an image reference: registry is docker.io unless the first path
 * component has a '.', a ':' or is localhost. */
static void parse_ref(const char *ref, struct imgref *out)
{
	memset(out, 0, sizeof(*out));
	const char *at = strchr(ref, '@');
	out->digest = at ? at + 1 : NULL;
	size_t end = at ? (size_t)(at - ref) : strlen(ref);
	const char *slash = memchr(ref, '/', end);
	const char *last = ref;
	for (const char *p = ref; p < ref + end; p++)
		if (*p == '/')
			last = p + 1;
	const char *colon = memchr(last, ':', (size_t)(ref + end - last));
	out->tag = colon ? colon + 1 : NULL;
	if (slash) {
		size_t n = (size_t)(slash - ref);
		bool host =
		    memchr(ref, '.', n) || memchr(ref, ':', n) || (n == 9 && !strncmp(ref, "localhost", 9));
		if (host && n < sizeof(out->registry)) {
			memcpy(out->registry, ref, n);
			out->registry[n] = 0;
			return;
		}
	}
	snprintf(out->registry, sizeof(out->registry), "docker.io");
}

/* A stage whose base is an image from a registry (not scratch, not a stage,
 * fully resolved). */
static bool external_base(const struct df_stage *s)
{
	return s->parent < 0 && bw_strcasecmp(s->base, "scratch") != 0 && s->base[0] && !strchr(s->base, '$');
}

/* The next stage (from *i on) whose base is an image from a registry, with
 * its reference parsed; false when there are no more. */
static bool next_external(const struct lint_ctx *c, size_t *i, const struct df_stage **s, struct imgref *ref)
{
	for (; *i < c->df->n_stages; (*i)++) {
		*s = &c->df->stages[*i];
		if (external_base(*s)) {
			parse_ref((*s)->base, ref);
			(*i)++;
			return true;
		}
	}
	return false;
}

static void report_from(struct lint_ctx *c, const struct lint_rule *r, const struct df_stage *s,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void report_from(struct lint_ctx *c, const struct lint_rule *r, const struct df_stage *s,
			const char *fmt, ...)
{
	const struct df_instr *in = &c->df->instrs[s->from];
	size_t off = in->argv_off ? in->argv_off[0] : 0;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lint_report(c, r, in, off, off + strlen(in->argv[0]), "%s", msg);
}

void chk_from_untagged(struct lint_ctx *c, const struct lint_rule *r)
{
	const struct df_stage *s;
	struct imgref ref;
	for (size_t i = 0; next_external(c, &i, &s, &ref);)
		if (!ref.tag && !ref.digest)
			report_from(c, r, s, "FROM %s has no tag (means :latest)", s->base);
}

void chk_from_latest(struct lint_ctx *c, const struct lint_rule *r)
{
	const struct df_stage *s;
	struct imgref ref;
	for (size_t i = 0; next_external(c, &i, &s, &ref);)
		if (ref.tag && !strcmp(ref.tag, "latest") && !ref.digest)
			report_from(c, r, s, "FROM %s", s->base);
}

void chk_from_digest(struct lint_ctx *c, const struct lint_rule *r)
{
	const struct df_stage *s;
	struct imgref ref;
	for (size_t i = 0; next_external(c, &i, &s, &ref);)
		if (!ref.digest)
			report_from(c, r, s, "FROM %s is not pinned by digest (@sha256:…)", s->base);
}

static bool registry_trusted(const struct bw_lint_config *cfg, const char *reg)
{
	for (size_t k = 0; k < cfg->n_registries; k++) {
		const char *t = cfg->registries[k];
		if (!bw_strcasecmp(t, reg))
			return true;
		/* docker.io is also spelled index.docker.io / registry-1.docker.io */
		if (!bw_strcasecmp(reg, "docker.io") &&
		    (!bw_strcasecmp(t, "index.docker.io") || !bw_strcasecmp(t, "hub.docker.com")))
			return true;
		if (t[0] == '*' && t[1] == '.') {
			size_t tl = strlen(t + 1), rl = strlen(reg);
			if (rl > tl && !bw_strcasecmp(reg + rl - tl, t + 1))
				return true;
		}
	}
	return false;
}

void chk_from_registry(struct lint_ctx *c, const struct lint_rule *r)
{
	if (!c->cfg || !c->cfg->n_registries)
		return;
	const struct df_stage *s;
	struct imgref ref;
	for (size_t i = 0; next_external(c, &i, &s, &ref);)
		if (!registry_trusted(c->cfg, ref.registry))
			report_from(c, r, s, "registry %s is not in trusted-registries", ref.registry);
}

void chk_from_platform(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_stages; i++) {
		const struct df_instr *in = &c->df->instrs[c->df->stages[i].from];
		const char *p = df_flag_get(in, "platform");
		if (p && !strstr(p, "BUILDPLATFORM") && !strstr(p, "TARGETPLATFORM"))
			lint_report(c, r, in, 0, 0, "FROM --platform=%s", p);
	}
}

void chk_from_undefined_var(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_stages; i++) {
		const struct df_stage *s = &c->df->stages[i];
		for (size_t k = 0; k < s->n_undefined; k++)
			report_from(c, r, s, "FROM uses $%s, which no ARG before the first FROM declares",
				    s->undefined[k]);
	}
}

void chk_stage_dup(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_stages; i++) {
		const struct df_stage *s = &c->df->stages[i];
		if (!s->name)
			continue;
		/* first definition of this name */
		const struct df_instr *in = &c->df->instrs[s->from];
		(void)in;
		for (size_t j = 0; j < i && j < 4096; j++)
			if (c->df->stages[j].name && !bw_strcasecmp(c->df->stages[j].name, s->name)) {
				const struct df_instr *x = &c->df->instrs[s->from];
				lint_report(c, r, x, x->argv_off[2], x->argv_off[2] + strlen(s->name),
					    "stage name '%s' is already used on line %d", s->name,
					    c->df->instrs[c->df->stages[j].from].line);
				break;
			}
	}
}

void chk_stage_reserved(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_stages; i++) {
		const struct df_stage *s = &c->df->stages[i];
		if (s->name && (!bw_strcasecmp(s->name, "scratch") || !bw_strcasecmp(s->name, "context"))) {
			const struct df_instr *x = &c->df->instrs[s->from];
			lint_report(c, r, x, x->argv_off[2], x->argv_off[2] + strlen(s->name),
				    "stage name '%s' is reserved", s->name);
		}
	}
}

/* index of the stage a --from value names (name or number), or -1 */
static int from_stage(struct lint_ctx *c, const char *v, int upto)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (*v && !*end)
		return n >= 0 && n < upto ? (int)n : -2;
	for (int i = 0; i < upto; i++)
		if (c->df->stages[i].name && !bw_strcasecmp(c->df->stages[i].name, v))
			return i;
	return -1;
}

static void copy_from(struct lint_ctx *c, const struct lint_rule *r, bool self)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_COPY || !in->xfrom || in->stage < 0)
			continue;
		const char *v = in->xfrom;
		if (!v[0] || strchr(v, '$'))
			continue;
		int st = from_stage(c, v, in->stage);
		bool is_self =
		    (c->df->stages[in->stage].name && !bw_strcasecmp(c->df->stages[in->stage].name, v)) ||
		    (st == -2 && strtol(v, NULL, 10) == in->stage);
		if (self) {
			if (is_self)
				lint_report(c, r, in, 0, 0, "COPY --from=%s copies from the stage it is in",
					    v);
			continue;
		}
		if (is_self || st >= 0)
			continue;
		/* an image reference (registry, tag or digest) is fine */
		if (strchr(v, ':') || strchr(v, '/') || strchr(v, '@'))
			continue;
		int later = from_stage(c, v, (int)c->df->n_stages);
		if (later >= 0)
			lint_report(c, r, in, 0, 0, "COPY --from=%s names a stage defined later", v);
		else
			lint_report(c, r, in, 0, 0,
				    "COPY --from=%s is not a previous stage (pulled as an image)", v);
	}
}

void chk_copy_from_unknown(struct lint_ctx *c, const struct lint_rule *r)
{
	copy_from(c, r, false);
}

void chk_copy_from_self(struct lint_ctx *c, const struct lint_rule *r)
{
	copy_from(c, r, true);
}

void chk_first_instruction(struct lint_ctx *c, const struct lint_rule *r)
{
	const struct df_instr *in = &c->df->instrs[0];
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		in = &c->df->instrs[i];
		if (in->kind == DF_FROM)
			return;
		if (in->kind != DF_ARG) {
			lint_report(c, r, in, 0, 0, "%s before the first FROM", in->keyword);
			return;
		}
	}
}

static bool root_user(const char *u)
{
	char name[64];
	size_t n = strcspn(u, ":");
	if (n >= sizeof(name))
		return false;
	memcpy(name, u, n);
	name[n] = 0;
	return !strcmp(name, "root") || !strcmp(name, "0");
}

/* The last USER of the final stage (following its parents): root, or none. */
void chk_user_root(struct lint_ctx *c, const struct lint_rule *r)
{
	if (!c->df->n_stages)
		return;
	int st = (int)c->df->n_stages - 1;
	const struct df_instr *last = NULL;
	for (int s = st; s >= 0 && !last; s = c->df->stages[s].parent) {
		const struct df_stage *stg = &c->df->stages[s];
		for (size_t i = stg->end; i-- > stg->from + 1;)
			if (c->df->instrs[i].kind == DF_USER && c->df->instrs[i].argc) {
				last = &c->df->instrs[i];
				break;
			}
	}
	if (!last) {
		const struct df_stage *fs = &c->df->stages[st];
		if (fs->parent < 0 && bw_strcasecmp(fs->base, "scratch") != 0)
			lint_report(c, r, &c->df->instrs[fs->from], 0, 0,
				    "the final stage sets no USER: the container runs as the base image's "
				    "user, usually root");
		return;
	}
	const char *u = last->xargv ? last->xargv[0] : last->argv[0];
	if (root_user(u))
		lint_report(c, r, last, 0, 0, "the last USER is %s", u);
}

/* FROM --platform=$TARGETPLATFORM says what BuildKit does anyway. */
void chk_from_targetplatform(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_stages; i++) {
		const struct df_instr *in = &c->df->instrs[c->df->stages[i].from];
		const char *p = df_flag_get(in, "platform");
		if (p && (!strcmp(p, "$TARGETPLATFORM") || !strcmp(p, "${TARGETPLATFORM}")))
			lint_report(c, r, in, 0, 0, "FROM --platform=%s is the default", p);
	}
}

/* Does text use $name or ${name} for a name some ARG of the file declares? */
static bool uses_declared_arg(struct lint_ctx *c, const char *text)
{
	for (const char *d = strchr(text, '$'); d; d = strchr(d + 1, '$')) {
		const char *n = d + 1 + (d[1] == '{');
		size_t len = 0;
		while (bw_isalnum(n[len]) || n[len] == '_')
			len++;
		if (!len)
			continue;
		for (size_t i = 0; i < c->df->n_instrs; i++) {
			const struct df_instr *in = &c->df->instrs[i];
			if (in->kind != DF_ARG)
				continue;
			for (size_t k = 0; k < in->n_kvs; k++)
				if (strlen(in->kvs[k].key) == len && !strncmp(in->kvs[k].key, n, len))
					return true;
		}
	}
	return false;
}

/* USER name[:group]: the runtime (runAsNonRoot, the host's tools) sees only
 * numbers; a name is resolved inside the image, if at all. A number from a
 * variable (an ARG, or an ENV that expands to one) is fine. */
void chk_user_nonnumeric(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_USER || !in->argc)
			continue;
		const char *raw = in->argv[0];
		const char *x = in->xargv ? in->xargv[0] : raw;
		size_t n = strcspn(x, ":");
		bool digits = n > 0;
		for (size_t k = 0; k < n; k++)
			digits = digits && bw_isdigit(x[k]);
		if (digits || uses_declared_arg(c, raw))
			continue;
		lint_report(c, r, in, in->args_off, in->args_off + strlen(in->args),
			    "USER %.*s is a name, not a numeric user id", (int)n, x);
	}
}
