/* Authentication: the registry's WWW-Authenticate challenge decides the
 * scheme once (Basic, or Bearer with a token realm); Bearer tokens are
 * fetched per scope ("repository:REPO:pull"), cached in memory until they
 * expire, and fetched again when the registry refuses one.
 *
 * Credentials go to the registry's own host (Basic) and to the token realm
 * its challenge names only when that realm is HTTPS, on loopback, or on the
 * registry's own host and scheme: a plain-HTTP realm elsewhere gets an
 * anonymous token request. Tokens and credentials are zeroed when dropped
 * and never written into a message. */
#include "registry-int.h"

/* under r->lock */
static struct reg_token_entry *find_token(struct bw_registry *r, const char *scope)
{
	for (size_t i = 0; i < r->n_tokens; i++)
		if (strcmp(r->tokens[i].scope, scope) == 0)
			return &r->tokens[i];
	return NULL;
}

static void store_token(struct bw_registry *r, const char *scope, char *token, long expires_in)
{
	pthread_mutex_lock(&r->lock);
	struct reg_token_entry *t = find_token(r, scope);
	if (!t) {
		if (r->n_tokens == r->cap_tokens) {
			r->cap_tokens = r->cap_tokens ? 2 * r->cap_tokens : 4;
			r->tokens = bw_realloc(r->tokens, r->cap_tokens * sizeof(*r->tokens));
		}
		t = &r->tokens[r->n_tokens++];
		memset(t, 0, sizeof(*t));
		t->scope = bw_strdup(scope);
	} else if (t->token) {
		explicit_bzero(t->token, strlen(t->token));
		free(t->token);
	}
	t->token = token;
	/* a little early, so a token is not refused in the middle of a layer */
	t->expires = bw_now() + (double)expires_in - 10;
	pthread_mutex_unlock(&r->lock);
}

static char *escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = bw_malloc(3 * n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '.' || c == '_' || c == '~') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

static char *basic_header(const struct reg_creds *c)
{
	size_t ul = strlen(c->username), pl = strlen(c->password);
	size_t n = ul + 1 + pl;
	char *plain = bw_malloc(n + 1);
	memcpy(plain, c->username, ul);
	plain[ul] = ':';
	memcpy(plain + ul + 1, c->password, pl);
	char *b64 = bw_malloc(4 * ((n + 2) / 3) + 1);
	bw_base64_encode((unsigned char *)plain, n, b64);
	explicit_bzero(plain, n);
	free(plain);
	char *h = bw_asprintf("Authorization: Basic %s", b64);
	explicit_bzero(b64, strlen(b64));
	free(b64);
	return h;
}

int reg_auth_bearer(struct bw_registry *r, const char *scope, const char *repo, bool refresh, char **token,
		    struct bw_error *err)
{
	*token = NULL;
	pthread_mutex_lock(&r->lock);
	struct reg_token_entry *t = find_token(r, scope);
	if (t && t->token && !refresh && t->expires > bw_now()) {
		*token = bw_strdup(t->token);
		pthread_mutex_unlock(&r->lock);
		return 0;
	}
	struct reg_challenge c = r->challenge;
	pthread_mutex_unlock(&r->lock);

	char sch[8], auth[300], rsch[8], rauth[300];
	if (!reg_url_authority(c.realm, sch, sizeof(sch), auth, sizeof(auth)))
		return bw_error_set(err, BW_EREMOTE,
				    "registry %s: the token realm of its challenge is not an http(s) URL",
				    r->host);
	reg_url_authority(r->base_url, rsch, sizeof(rsch), rauth, sizeof(rauth));
	char host_only[300];
	snprintf(host_only, sizeof(host_only), "%s", auth);
	char *colon = host_only[0] == '[' ? strstr(host_only, "]:") : strrchr(host_only, ':');
	if (colon)
		colon[host_only[0] == '[' ? 1 : 0] = '\0';
	bool send_creds = r->creds.username && (strcmp(sch, "https") == 0 || reg_is_loopback(host_only) ||
						(strcmp(auth, rauth) == 0 && strcmp(sch, rsch) == 0));

	bw_autofree char *esc_service = escape(c.service);
	bw_autofree char *esc_scope = escape(scope);
	struct bw_buf q;
	bw_buf_init(&q, 8192);
	bw_buf_addstr(&q, c.realm);
	char sep = strchr(c.realm, '?') ? '&' : '?';
	if (c.service[0]) {
		bw_buf_printf(&q, "%cservice=%s", sep, esc_service);
		sep = '&';
	}
	if (scope[0])
		bw_buf_printf(&q, "%cscope=%s", sep, esc_scope);
	char *hdr = send_creds ? basic_header(&r->creds) : NULL;
	const char *headers[] = {hdr, NULL};

	struct reg_xfer x = {
	    .r = r,
	    .method = "GET",
	    .path = bw_buf_detach(&q, NULL),
	    .what = bw_asprintf("the token for %s from %s", repo ? repo : scope, auth),
	    .repo = repo ? bw_strdup(repo) : NULL,
	    .extra_headers = hdr ? headers : NULL,
	    .retry = true,
	    .expect_size = -1,
	};
	struct bw_buf body;
	bw_buf_init(&body, REG_TOKEN_MAX);
	int rc = reg_xfer_start(&x, err);
	if (rc == 0)
		rc = reg_xfer_read_all(&x, &body, err);
	if (rc == BW_ELIMIT && x.body_overflow)
		rc = bw_error_set(err, BW_ELIMIT,
				  "registry %s: token endpoint %s for %s: the answer passes %u bytes",
				  r->host, auth, repo ? repo : scope, REG_TOKEN_MAX);
	else if (rc == BW_EREMOTE && x.status == 401)
		rc = bw_error_set(err, BW_EREMOTE,
				  "authentication required for %s/%s: the token endpoint %s refused %s: run "
				  "docker login %s or pass --username",
				  r->host, repo ? repo : "_catalog", auth,
				  send_creds ? "the credentials" : "an anonymous request", r->host);
	reg_xfer_release(&x);
	if (hdr) {
		explicit_bzero(hdr, strlen(hdr));
		free(hdr);
	}
	if (rc == 0) {
		struct reg_token tk;
		char why[200];
		rc = reg_parse_token(body.data ? body.data : "", body.len, &tk, why, sizeof(why));
		if (rc < 0) {
			rc = bw_error_set(err, rc, "registry %s: token endpoint %s for %s: %s", r->host, auth,
					  repo ? repo : scope, why);
		} else {
			*token = bw_strdup(tk.token);
			store_token(r, scope, tk.token, tk.expires_in);
		}
	}
	if (body.data)
		explicit_bzero(body.data, body.len);
	bw_buf_release(&body);
	return rc;
}

char *reg_auth_header(struct bw_registry *r, const char *scope)
{
	pthread_mutex_lock(&r->lock);
	int scheme = r->scheme;
	pthread_mutex_unlock(&r->lock);
	if (scheme == REG_AUTH_BASIC && r->creds.username)
		return basic_header(&r->creds);
	if (scheme != REG_AUTH_BEARER || !scope)
		return NULL;
	char *tok = NULL;
	struct bw_error ignore = BW_ERROR_INIT;
	/* a known realm: fetch the token for a new scope now, without a 401 first */
	if (reg_auth_bearer(r, scope, NULL, false, &tok, &ignore) < 0 || !tok)
		return NULL;
	char *h = bw_asprintf("Authorization: Bearer %s", tok);
	explicit_bzero(tok, strlen(tok));
	free(tok);
	return h;
}

int reg_auth_challenge(struct bw_registry *r, const char *www, const char *scope, const char *repo,
		       bool refresh, struct bw_error *err)
{
	const char *what = repo ? repo : "_catalog";
	if (!www[0])
		return bw_error_set(err, BW_EREMOTE,
				    "authentication required for %s/%s, and the registry names no way to "
				    "authenticate (HTTP 401 without WWW-Authenticate)",
				    r->host, what);
	struct reg_challenge c;
	if (!reg_parse_challenge(www, strlen(www), &c))
		return bw_error_set(err, BW_EREMOTE,
				    "registry %s: %s: its WWW-Authenticate challenge cannot be parsed",
				    r->host, what);
	if (strcmp(c.scheme, "basic") == 0) {
		if (!r->creds.username)
			return bw_error_set(err, BW_EREMOTE,
					    "authentication required for %s/%s: run docker login %s or pass "
					    "--username",
					    r->host, what, r->host);
		pthread_mutex_lock(&r->lock);
		bool was = r->scheme == REG_AUTH_BASIC;
		r->scheme = REG_AUTH_BASIC;
		pthread_mutex_unlock(&r->lock);
		if (was && refresh)
			return bw_error_set(err, BW_EREMOTE,
					    "registry %s refused the credentials of %s for %s", r->host,
					    r->creds.source, what);
		return 0;
	}
	if (strcmp(c.scheme, "bearer") != 0)
		return bw_error_set(err, BW_EUNSUPPORTED,
				    "registry %s: %s: authentication scheme '%s' is not supported (Basic and "
				    "Bearer are)",
				    r->host, what, c.scheme);
	if (!c.realm[0])
		return bw_error_set(err, BW_EREMOTE, "registry %s: %s: a Bearer challenge without a realm",
				    r->host, what);
	pthread_mutex_lock(&r->lock);
	r->scheme = REG_AUTH_BEARER;
	r->challenge = c;
	pthread_mutex_unlock(&r->lock);
	/* the scope the registry asks for, when it names one, is the one to request;
	 * the token is cached under the request's own scope */
	char *tok = NULL;
	int rc;
	if (c.scope[0] && scope && strcmp(c.scope, scope) != 0) {
		rc = reg_auth_bearer(r, c.scope, repo, refresh, &tok, err);
		if (rc == 0) {
			char *copy = bw_strdup(tok);
			store_token(r, scope, copy, 60);
		}
	} else {
		rc = reg_auth_bearer(r, scope ? scope : c.scope, repo, refresh, &tok, err);
	}
	if (tok) {
		explicit_bzero(tok, strlen(tok));
		free(tok);
	}
	return rc;
}
