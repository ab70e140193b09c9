/* LABEL rules: key syntax (DL3048) and hadolint's label schema
 * (DL3049–DL3058), configured with required-labels / label-schema. */
#include "rules-int.h"

typedef void (*label_fn)(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			 const struct df_kv *kv, const struct lint_label_req *req);

static const struct lint_label_req *schema(struct lint_ctx *c, const char *key)
{
	for (size_t k = 0; c->cfg && k < c->cfg->n_labels; k++)
		if (!strcmp(c->cfg->labels[k].name, key))
			return &c->cfg->labels[k];
	return NULL;
}

static void each_label(struct lint_ctx *c, const struct lint_rule *r, label_fn fn, bool schema_only)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_LABEL)
			continue;
		for (size_t k = 0; k < in->n_kvs; k++) {
			const struct lint_label_req *req = schema(c, in->kvs[k].key);
			if (schema_only && !req)
				continue;
			fn(c, r, in, &in->kvs[k], req);
		}
	}
}

static void at_kv(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		  const struct df_kv *kv, const char *why)
{
	lint_report(c, r, in, kv->off, kv->off + strlen(kv->key) + (kv->value ? strlen(kv->value) + 1 : 0),
		    "label %s%s", kv->key, why);
}

/* Docker's recommendation as Hadolint reads it: lower-case alphanumerics
 * and . - _ /, starting with a letter and ending with a letter or digit,
 * no '..' or '--', and no reserved com.docker.* / io.docker.* /
 * org.dockerproject.* namespaces. */
static void key_syntax(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		       const struct df_kv *kv, const struct lint_label_req *req)
{
	const char *k = kv->key;
	size_t n = strlen(k);
	bool ok = n > 0 && bw_islower(k[0]) && (bw_islower(k[n - 1]) || bw_isdigit(k[n - 1]));
	for (size_t i = 0; ok && i < n; i++) {
		unsigned char ch = (unsigned char)k[i];
		if (!(bw_islower(ch) || bw_isdigit(ch) || ch == '.' || ch == '-' || ch == '_' || ch == '/'))
			ok = false;
		if (i && (ch == '.' || ch == '-') && k[i - 1] == ch)
			ok = false;
	}
	if (!strncmp(k, "com.docker.", 11) || !strncmp(k, "io.docker.", 10) ||
	    !strncmp(k, "org.dockerproject.", 18))
		ok = false;
	if (!ok && k[0] != '"' && !strchr(k, '$'))
		at_kv(c, r, in, kv, " is not a valid label key");
}

void chk_label_key(struct lint_ctx *c, const struct lint_rule *r)
{
	each_label(c, r, key_syntax, false);
}

void chk_label_missing(struct lint_ctx *c, const struct lint_rule *r)
{
	if (!c->cfg || !c->df->n_stages)
		return;
	int fs = (int)c->df->n_stages - 1;
	for (size_t q = 0; q < c->cfg->n_labels; q++) {
		const struct lint_label_req *req = &c->cfg->labels[q];
		if (!req->required)
			continue;
		bool found = false;
		for (int s = fs; s >= 0 && !found; s = c->df->stages[s].parent) {
			const struct df_stage *st = &c->df->stages[s];
			for (size_t i = st->from; i < st->end && !found; i++) {
				const struct df_instr *in = &c->df->instrs[i];
				for (size_t k = 0; in->kind == DF_LABEL && k < in->n_kvs; k++)
					if (!strcmp(in->kvs[k].key, req->name))
						found = true;
			}
		}
		if (!found)
			lint_report(c, r, &c->df->instrs[c->df->stages[fs].from], 0, 0, "label %s is missing",
				    req->name);
	}
}

static void superfluous(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			const struct df_kv *kv, const struct lint_label_req *req)
{
	if (!req)
		at_kv(c, r, in, kv, " is not in the label schema");
}

void chk_label_superfluous(struct lint_ctx *c, const struct lint_rule *r)
{
	if (c->cfg && c->cfg->strict_labels)
		each_label(c, r, superfluous, false);
}

static const char *value(const struct df_kv *kv)
{
	return kv->expanded ? kv->expanded : (kv->value ? kv->value : "");
}

static bool dynamic(const struct df_kv *kv)
{
	return kv->value && strchr(kv->value, '$');
}

static void empty(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		  const struct df_kv *kv, const struct lint_label_req *req)
{
	if (!value(kv)[0] && !dynamic(kv))
		at_kv(c, r, in, kv, " is empty");
}

void chk_label_empty(struct lint_ctx *c, const struct lint_rule *r)
{
	each_label(c, r, empty, true);
}

typedef bool (*valid_fn)(const char *v);

struct typed {
	const char *type;
	valid_fn ok;
	const char *what;
};

static void typed(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
		  const struct df_kv *kv, const struct lint_label_req *req, const struct typed *t)
{
	if (!req->type || bw_strcasecmp(req->type, t->type) || dynamic(kv) || !value(kv)[0])
		return;
	if (!t->ok(value(kv))) {
		char why[96];
		snprintf(why, sizeof(why), " is not %s: '%.40s'", t->what, value(kv));
		at_kv(c, r, in, kv, why);
	}
}

static bool valid_url(const char *v)
{
	const char *s = strstr(v, "://");
	if (!s || s == v)
		return false;
	for (const char *p = v; p < s; p++)
		if (!bw_isalnum(*p) && *p != '+' && *p != '-' && *p != '.')
			return false;
	return s[3] && !strchr(v, ' ');
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!bw_isdigit(s[i]))
			return false;
	return true;
}

static bool valid_rfc3339(const char *v)
{
	/* YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM) */
	if (strlen(v) < 20 || !digits(v, 4) || v[4] != '-' || !digits(v + 5, 2) || v[7] != '-' ||
	    !digits(v + 8, 2) || (v[10] != 'T' && v[10] != 't' && v[10] != ' ') || !digits(v + 11, 2) ||
	    v[13] != ':' || !digits(v + 14, 2) || v[16] != ':' || !digits(v + 17, 2))
		return false;
	const char *p = v + 19;
	if (*p == '.') {
		p++;
		if (!bw_isdigit(*p))
			return false;
		while (bw_isdigit(*p))
			p++;
	}
	if ((*p == 'Z' || *p == 'z') && !p[1])
		return true;
	return (*p == '+' || *p == '-') && digits(p + 1, 2) && p[3] == ':' && digits(p + 4, 2) && !p[6];
}

static bool valid_spdx(const char *v)
{
	/* an SPDX expression: ids made of [A-Za-z0-9.+-], AND/OR/WITH, parens */
	if (!*v)
		return false;
	for (const char *p = v; *p; p++)
		if (!bw_isalnum(*p) && !strchr(".-+() :", *p))
			return false;
	return bw_isalnum(v[0]) || v[0] == '(' || !strncmp(v, "LicenseRef-", 11);
}

static bool valid_hash(const char *v)
{
	size_t n = strlen(v);
	if (n != 7 && n != 40 && n != 64 && !(n > 7 && n < 40))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!bw_isxdigit(v[i]))
			return false;
	return true;
}

static bool valid_semver(const char *v)
{
	if (*v == 'v')
		v++;
	for (int part = 0; part < 3; part++) {
		if (!bw_isdigit(*v))
			return false;
		if (*v == '0' && bw_isdigit(v[1]))
			return false;
		while (bw_isdigit(*v))
			v++;
		if (part < 2) {
			if (*v != '.')
				return false;
			v++;
		}
	}
	if (*v == '-' || *v == '+') {
		v++;
		if (!*v)
			return false;
		for (; *v; v++)
			if (!bw_isalnum(*v) && *v != '.' && *v != '-' && *v != '+')
				return false;
	}
	return *v == 0;
}

static bool valid_email(const char *v)
{
	const char *at = strchr(v, '@');
	if (!at || at == v || strchr(at + 1, '@') || strchr(v, ' '))
		return false;
	const char *dot = strchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1];
}

/* The label-schema type rules: every LABEL whose key the schema gives the
 * rule's type is checked by its validator. */
static void each_typed(struct lint_ctx *c, const struct lint_rule *r, const struct typed *t)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_LABEL)
			continue;
		for (size_t k = 0; k < in->n_kvs; k++) {
			const struct lint_label_req *req = schema(c, in->kvs[k].key);
			if (req)
				typed(c, r, in, &in->kvs[k], req, t);
		}
	}
}

void chk_label_url(struct lint_ctx *c, const struct lint_rule *r)
{
	each_typed(c, r, &(const struct typed){"url", valid_url, "a URL"});
}

void chk_label_rfc3339(struct lint_ctx *c, const struct lint_rule *r)
{
	each_typed(c, r, &(const struct typed){"rfc3339", valid_rfc3339, "an RFC 3339 time"});
}

void chk_label_spdx(struct lint_ctx *c, const struct lint_rule *r)
{
	each_typed(c, r, &(const struct typed){"spdx", valid_spdx, "an SPDX license expression"});
}

void chk_label_hash(struct lint_ctx *c, const struct lint_rule *r)
{
	each_typed(c, r, &(const struct typed){"hash", valid_hash, "a git hash"});
}

void chk_label_semver(struct lint_ctx *c, const struct lint_rule *r)
{
	each_typed(c, r, &(const struct typed){"semver", valid_semver, "a semantic version"});
}

void chk_label_email(struct lint_ctx *c, const struct lint_rule *r)
{
	each_typed(c, r, &(const struct typed){"email", valid_email, "an email address"});
}
