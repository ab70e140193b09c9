/* Secrets in ARG and ENV: names (BuildKit's SecretsUsedInArgOrEnv tokens
 * and Trivy DS031's well-known variables) and values that look like keys,
 * both judged by core's one table (secretname.c), which imgcheck shares. */
#include "rules-int.h"

/* An ARG's value is whatever the build passes (the default says nothing),
 * and an ENV value that uses a variable holds a build argument's value: in
 * both the name decides. A literal ENV value must be a secret by the same
 * table imgcheck judges the image's Env with (not empty, a path or a
 * placeholder). */
static bool value_may_be_secret(const struct df_instr *in, const struct df_kv *kv)
{
	if (in->kind == DF_ARG || !kv->value || strchr(kv->value, '$'))
		return true;
	return bw_secretname_is_secret_value(kv->expanded ? kv->expanded : kv->value);
}

void chk_secret_arg_env(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_ARG && in->kind != DF_ENV)
			continue;
		for (size_t k = 0; k < in->n_kvs; k++) {
			const struct df_kv *kv = &in->kvs[k];
			if (bw_secretname_is_secret_name(kv->key, strlen(kv->key)) &&
			    value_may_be_secret(in, kv)) {
				lint_report(c, r, in, kv->off, kv->off + strlen(kv->key),
					    "%s %s: build args and env stay in the image history",
					    in->keyword, kv->key);
				break;
			}
		}
	}
}

void chk_secret_value(struct lint_ctx *c, const struct lint_rule *r)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_ARG && in->kind != DF_ENV && in->kind != DF_LABEL)
			continue;
		for (size_t k = 0; k < in->n_kvs; k++) {
			const struct df_kv *kv = &in->kvs[k];
			const char *v = kv->expanded ? kv->expanded : kv->value;
			const char *what = v ? bw_secretname_key_kind(v) : NULL;
			if (what) {
				lint_report(c, r, in, kv->off,
					    kv->off + strlen(kv->key) + 1 + strlen(kv->value),
					    "%s %s holds %s", in->keyword, kv->key, what);
				break;
			}
		}
	}
}
