/* The one table of secret-looking variable names and values: which
 * environment variables and build arguments hold a secret (lint's ARG/ENV
 * rules, imgcheck's Env and history checks judge them all here).
 *
 * A name is split at '_' into parts and compared ASCII case-insensitively,
 * without the locale: names and values come from Dockerfiles and images. */
#include "core.h"

/* Names that hold a secret whatever their parts say (BuildKit's
 * SecretsUsedInArgOrEnv and Trivy DS031's well-known variables). Also
 * behind the VITE_ and REACT_APP_ prefixes front-end builds add. */
static const char *const known_names[] = {
    /* cloud providers */
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    /* source hosting */
    "GITHUB_TOKEN", "GH_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN",
    /* services */
    "OPENAI_API_KEY", "HF_TOKEN", "DIGITALOCEAN_ACCESS_TOKEN", "DOCKERHUB_PASSWORD", "FIREBASE_TOKEN",
    "CI_DEPLOY_PASSWORD", "GOOGLE_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY", "HEROKU_API_KEY",
    "NPM_TOKEN", "PYPI_TOKEN", "SLACK_TOKEN", "STRIPE_SECRET_KEY", "DATABASE_URL", NULL};
static const char *const known_prefixes[] = {"VITE_", "REACT_APP_", NULL};

/* Names (whole, or the end after a '_') that contain a token but hold
 * public data in official images: signing-key fingerprints, key servers. */
static const char *const public_names[] = {"GPG_KEY",	"GPG_KEYS",   "PGP_KEY",    "PGP_KEYS",
					   "KEYRING",	"KEY_ID",     "PUBLIC_KEY", "SSH_AUTH_SOCK",
					   "AUTH_TYPE", "KEY_SERVER", "KEYSERVER",  NULL};

/* NAME_FILE, NAME_PATH, NAME_DIR hold where the secret is, not the secret. */
static const char *const where_suffixes[] = {"_FILE", "_PATH", "_DIR", NULL};

/* A '_'-separated part that makes a name secret-looking (BuildKit's deny
 * tokens, Jenkins' _USR/_PSW credential pairs, and the usual short forms). */
static const char *const secret_parts[] = {
    "apikey", "auth", "credential", "credentials", "key",    "password", "pword",   "passwd", "pass",
    "pwd",    "psw",  "passphrase", "usr",	   "secret", "token",	 "private", NULL};
/* A part that makes any name public ("PUBLIC_KEY", "STRIPE_PUBLIC_KEY"). */
static const char public_part[] = "public";

/* Names written without underscores (DBPASSWORD, MYAPIKEY): these inside
 * a name shorter than SUBSTRING_MAX make it secret-looking. */
static const char *const secret_substrings[] = {"password", "passwd", "secret", "apikey", "token", NULL};
#define SUBSTRING_MAX 64

/* Values written in place of a secret (whole value, case-insensitive); any
 * value starting with '<' ("<your token>") is one too. */
static const char *const placeholders[] = {"changeme", "change_me", "xxx", "none", "null",
					   "false",    "true",	    "-",   NULL};

static bool ci_eq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (bw_tolower(a[i]) != bw_tolower(b[i]))
			return false;
	return true;
}

/* name[0..len) equals the NUL-terminated word, ignoring case */
static bool ci_is(const char *name, size_t len, const char *word)
{
	return strlen(word) == len && ci_eq(name, word, len);
}

static bool ci_contains(const char *s, size_t len, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= len; i++)
		if (ci_eq(s + i, needle, k))
			return true;
	return false;
}

static bool is_known(const char *name, size_t len)
{
	for (size_t p = 0; known_prefixes[p]; p++) {
		size_t k = strlen(known_prefixes[p]);
		if (len > k && ci_eq(name, known_prefixes[p], k)) {
			name += k;
			len -= k;
			break;
		}
	}
	for (size_t i = 0; known_names[i]; i++)
		if (ci_is(name, len, known_names[i]))
			return true;
	return false;
}

bool bw_secretname_is_secret_name(const char *name, size_t len)
{
	if (!name || !len)
		return false;
	if (is_known(name, len))
		return true;
	for (size_t i = 0; public_names[i]; i++) {
		size_t k = strlen(public_names[i]);
		if (len >= k && ci_eq(name + len - k, public_names[i], k) &&
		    (len == k || name[len - k - 1] == '_'))
			return false;
	}
	for (size_t i = 0; where_suffixes[i]; i++) {
		size_t k = strlen(where_suffixes[i]);
		if (len > k && ci_eq(name + len - k, where_suffixes[i], k))
			return false;
	}
	bool hit = false;
	for (const char *p = name, *e = name + len; p < e;) {
		const char *u = memchr(p, '_', (size_t)(e - p));
		size_t n = u ? (size_t)(u - p) : (size_t)(e - p);
		if (ci_is(p, n, public_part))
			return false;
		for (size_t k = 0; secret_parts[k]; k++)
			hit = hit || ci_is(p, n, secret_parts[k]);
		p = u ? u + 1 : e;
	}
	if (hit)
		return true;
	for (size_t k = 0; secret_substrings[k]; k++)
		if (ci_contains(name, len, secret_substrings[k]))
			return len < SUBSTRING_MAX;
	return false;
}

bool bw_secretname_is_secret_value(const char *value)
{
	if (!value || !*value)
		return false;
	/* a path, a relative path, a variable reference */
	if (value[0] == '/' || value[0] == '$' || !strncmp(value, "./", 2) || value[0] == '<')
		return false;
	size_t n = strlen(value);
	for (size_t i = 0; placeholders[i]; i++)
		if (ci_is(value, n, placeholders[i]))
			return false;
	return true;
}

static bool upper_or_digit(char c)
{
	return bw_isupper(c) || bw_isdigit(c);
}

const char *bw_secretname_key_kind(const char *v)
{
	if (!v)
		return NULL;
	size_t n = strlen(v);
	if ((bw_str_starts_with(v, "AKIA") || bw_str_starts_with(v, "ASIA")) && n >= 20) {
		bool ok = true;
		for (int i = 4; i < 20; i++)
			ok = ok && upper_or_digit(v[i]);
		if (ok)
			return "an AWS access key id";
	}
	if ((bw_str_starts_with(v, "ghp_") || bw_str_starts_with(v, "gho_") ||
	     bw_str_starts_with(v, "ghs_") || bw_str_starts_with(v, "github_pat_")) &&
	    n >= 36)
		return "a GitHub token";
	if (bw_str_starts_with(v, "glpat-") && n >= 26)
		return "a GitLab token";
	if ((bw_str_starts_with(v, "xoxb-") || bw_str_starts_with(v, "xoxp-")) && n > 20)
		return "a Slack token";
	if (bw_str_starts_with(v, "sk_live_") && n > 20)
		return "a Stripe key";
	if (bw_str_starts_with(v, "npm_") && n == 40)
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

bool bw_secretname_is_secret(const char *name, size_t len, const char *value)
{
	return (bw_secretname_is_secret_name(name, len) && bw_secretname_is_secret_value(value)) ||
	       bw_secretname_key_kind(value) != NULL;
}
