/* Secrets in ARG and ENV: names (BuildKit's SecretsUsedInArgOrEnv tokens
 * and Trivy DS031's well-known variables) and values that look like keys. */
#include "rules-int.h"

#include <ctype.h>

static const char *const known[] = {"AWS_ACCESS_KEY_ID",
				    "AWS_SECRET_ACCESS_KEY",
				    "AWS_SESSION_TOKEN",
				    "AZURE_CLIENT_ID",
				    "AZURE_CLIENT_SECRET",
				    "GITHUB_TOKEN",
				    "GH_TOKEN",
				    "GH_ENTERPRISE_TOKEN",
				    "GITHUB_ENTERPRISE_TOKEN",
				    "OPENAI_API_KEY",
				    "HF_TOKEN",
				    "DIGITALOCEAN_ACCESS_TOKEN",
				    "DOCKERHUB_PASSWORD",
				    "FIREBASE_TOKEN",
				    "CI_DEPLOY_PASSWORD",
				    "GOOGLE_API_KEY",
				    "LANGSMITH_API_KEY",
				    "LANGCHAIN_API_KEY",
				    "HEROKU_API_KEY",
				    "NPM_TOKEN",
				    "PYPI_TOKEN",
				    "SLACK_TOKEN",
				    "STRIPE_SECRET_KEY",
				    "DATABASE_URL",
				    NULL};

static const char *const tokens[] = {"apikey",	 "auth",  "credential", "credentials", "key",
				     "password", "pword", "passwd",	"secret",      "token",
				     "usr",	 "psw",	  NULL};

/* (?i)(?:_|^)(?:token)(?:_|$) and not a "public" part */
static bool secret_name(const char *name)
{
	const char *n = name;
	if (!strncasecmp(n, "VITE_", 5))
		n += 5;
	else if (!strncasecmp(n, "REACT_APP_", 10))
		n += 10;
	for (size_t k = 0; known[k]; k++)
		if (!strcasecmp(n, known[k]))
			return true;
	bool hit = false, pub = false;
	const char *p = name;
	while (*p) {
		const char *e = strchr(p, '_');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		for (size_t k = 0; tokens[k]; k++)
			if (strlen(tokens[k]) == len && !strncasecmp(p, tokens[k], len))
				hit = true;
		if (len == 6 && !strncasecmp(p, "public", 6))
			pub = true;
		if (!e)
			break;
		p = e + 1;
	}
	return hit && !pub;
}

/* Values that are keys whatever their name */
static const char *secret_value(const char *v)
{
	if ((!strncmp(v, "AKIA", 4) || !strncmp(v, "ASIA", 4)) && strlen(v) >= 20) {
		bool ok = true;
		for (int i = 4; i < 20; i++)
			ok = ok && (isupper((unsigned char)v[i]) || isdigit((unsigned char)v[i]));
		if (ok)
			return "an AWS access key id";
	}
	if ((!strncmp(v, "ghp_", 4) || !strncmp(v, "gho_", 4) || !strncmp(v, "ghs_", 4) ||
	     !strncmp(v, "github_pat_", 11)) &&
	    strlen(v) >= 36)
		return "a GitHub token";
	if (!strncmp(v, "glpat-", 6) && strlen(v) >= 26)
		return "a GitLab token";
	if ((!strncmp(v, "xoxb-", 5) || !strncmp(v, "xoxp-", 5)) && strlen(v) > 20)
		return "a Slack token";
	if (!strncmp(v, "sk_live_", 8) && strlen(v) > 20)
		return "a Stripe key";
	if (!strncmp(v, "npm_", 4) && strlen(v) == 40)
		return "an npm token";
	if (strstr(v, "-----BEGIN") && strstr(v, "PRIVATE KEY"))
		return "a private key";
	/* scheme://user:password@host */
	const char *s = strstr(v, "://");
	if (s) {
		const char *at = strchr(s + 3, '@'), *colon = strchr(s + 3, ':');
		if (at && colon && colon < at && colon + 1 < at && colon[1] != '$')
			return "a URL with a password";
	}
	return NULL;
}

RULE(chk_secret_arg_env)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_ARG && in->kind != DF_ENV)
			continue;
		for (size_t k = 0; k < in->n_kvs; k++) {
			const struct df_kv *kv = &in->kvs[k];
			if (secret_name(kv->key)) {
				lint_report(c, r, in, kv->off, kv->off + strlen(kv->key),
					    "%s %s: build args and env stay in the image history",
					    in->keyword, kv->key);
				break;
			}
		}
	}
}

RULE(chk_secret_value)
{
	for (size_t i = 0; i < c->df->n_instrs; i++) {
		const struct df_instr *in = &c->df->instrs[i];
		if (in->kind != DF_ARG && in->kind != DF_ENV && in->kind != DF_LABEL)
			continue;
		for (size_t k = 0; k < in->n_kvs; k++) {
			const struct df_kv *kv = &in->kvs[k];
			const char *v = kv->expanded ? kv->expanded : kv->value;
			const char *what = v ? secret_value(v) : NULL;
			if (what) {
				lint_report(c, r, in, kv->off,
					    kv->off + strlen(kv->key) + 1 + strlen(kv->value),
					    "%s %s holds %s", in->keyword, kv->key, what);
				break;
			}
		}
	}
}
