/* The registry hardening audit (`bulwark audit registry URL [--config FILE]`):
 * BW-REG-NNN findings of kind audit about a distribution registry, from
 * what it answers to anonymous requests (the registry module's probe and
 * raw requests) and, when given, from its config.yml (read with iac's
 * bounded YAML reader). A check that could not be decided is a warning in
 * the report, never a finding. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sys/stat.h>
#include <time.h>

#include "audit/audit.h"
#include "iac/iac.h"
#include "registry/registry.h"

enum {
	REG_PLAIN_HTTP = 0,
	REG_OLD_TLS,
	REG_WEAK_CIPHER,
	REG_CERT_EXPIRED,
	REG_CERT_EXPIRING,
	REG_CERT_HOST,
	REG_CERT_PRIVATE,
	REG_CERT_WEAK_KEY,
	REG_ANON_PULL,
	REG_ANON_PUSH,
	REG_ANON_CATALOG,
	REG_DELETE,
	REG_REALM_PLAIN,
	REG_BASIC_PLAIN,
	REG_NO_API_HEADER,
	REG_SERVER_VERSION,
	REG_CFG_NO_TLS,
	REG_CFG_NO_AUTH,
	REG_CFG_DELETE,
	REG_CFG_NO_SECRET,
	REG_CFG_PROXY,
	REG_CFG_LOG_DEBUG,
	REG_CFG_NO_HEALTH,
	REG_CFG_FOREIGN,
	REG_CFG_NO_ENCRYPT,
	REG_CFG_OLD_TLS,
	REG_N_RULES,
};

struct reg_rule {
	const char *id;
	enum bw_severity severity;
	const char *title, *rationale, *remediation;
	const char *equivalent; /* a peer id, or NULL */
};

/* The rule table (docs/registry.md lists it; `audit registry --list` prints it). */
static const struct reg_rule rules[REG_N_RULES] = {
    [REG_PLAIN_HTTP] =
	{"BW-REG-001", BW_SEV_HIGH, "Registry served over plain HTTP",
	 "Over plain HTTP anyone on the path reads credentials and tokens and swaps images and "
	 "manifests in transit.",
	 "Serve the registry over TLS (http.tls in config.yml, or a TLS-terminating proxy in front) "
	 "and remove it from every client's insecure-registries.",
	 "BW-TLS-008"},
    [REG_OLD_TLS] =
	{"BW-REG-002", BW_SEV_HIGH, "TLS older than 1.2 accepted",
	 "TLS 1.0 and 1.1 have known weaknesses (BEAST, SHA-1 and MD5 in the handshake) and every "
	 "current baseline forbids them.",
	 "Set http.tls.minimumtls: tls1.2 (or tls1.3) in config.yml, or on the proxy in front.", NULL},
    [REG_WEAK_CIPHER] =
	{"BW-REG-003", BW_SEV_MEDIUM, "Weak TLS cipher suites accepted",
	 "Cipher suites without forward secrecy (RSA key exchange), with CBC and SHA-1, 3DES or "
	 "RC4 let recorded traffic be decrypted later or fall to known attacks.",
	 "Offer only ECDHE suites with AES-GCM or ChaCha20-Poly1305 (TLS 1.3 does so by itself).", NULL},
    [REG_CERT_EXPIRED] = {"BW-REG-004", BW_SEV_HIGH, "Registry certificate expired",
			  "An expired certificate breaks every verifying client, and teaches users to turn "
			  "verification off.",
			  "Renew the certificate and automate its renewal.", NULL},
    [REG_CERT_EXPIRING] = {"BW-REG-005", BW_SEV_MEDIUM, "Registry certificate expires within 30 days",
			   "A certificate that is about to expire will break pulls and pushes when it does.",
			   "Renew the certificate now and automate its renewal.", NULL},
    [REG_CERT_HOST] =
	{"BW-REG-006", BW_SEV_HIGH, "Registry certificate not issued for its name",
	 "A certificate whose names do not include the registry's host fails verification; clients "
	 "that connect anyway accept any certificate.",
	 "Issue a certificate whose subjectAltName holds the name (or IP address) clients use.", NULL},
    [REG_CERT_PRIVATE] =
	{"BW-REG-007", BW_SEV_MEDIUM, "Registry certificate self-signed or from a private CA",
	 "A certificate the system trust store does not vouch for must be handed to every client "
	 "(certs.d/HOST/ca.crt); the clients that were not given it turn verification off.",
	 "Use a certificate from a public CA, or distribute the private CA to every client "
	 "(/etc/docker/certs.d/HOST/ca.crt) and never a self-signed leaf.",
	 "BW-TLS-009"},
    [REG_CERT_WEAK_KEY] =
	{"BW-REG-008", BW_SEV_HIGH, "Weak key in the registry certificate",
	 "RSA keys under 2048 bits and EC keys under 256 bits can be broken or are below every "
	 "current baseline.",
	 "Issue a certificate with an RSA key of 2048 bits or more, or a P-256 (or stronger) EC "
	 "key.",
	 "BW-TLS-004"},
    [REG_ANON_PULL] =
	{"BW-REG-010", BW_SEV_HIGH, "Anonymous pull allowed",
	 "Anyone who reaches the registry reads every image: code, configuration and the secrets "
	 "left in layers.",
	 "Require authentication (auth: htpasswd or token in config.yml); grant anonymous pull only "
	 "to repositories meant to be public.",
	 NULL},
    [REG_ANON_PUSH] =
	{"BW-REG-011", BW_SEV_CRITICAL, "Anonymous push allowed",
	 "Anyone who reaches the registry replaces images that hosts then run: code execution on "
	 "every consumer.",
	 "Require authentication for every push (auth in config.yml); the token service must never "
	 "grant push to anonymous clients.",
	 NULL},
    [REG_ANON_CATALOG] = {"BW-REG-012", BW_SEV_MEDIUM, "Repository catalog readable anonymously",
			  "/v2/_catalog hands an attacker the name of every repository, the map for the next "
			  "step.",
			  "Require authentication for the catalog (the token service should grant "
			  "registry:catalog:* only to administrators).",
			  NULL},
    [REG_DELETE] =
	{"BW-REG-013", BW_SEV_MEDIUM, "Manifest deletion enabled",
	 "With deletion enabled a client with push rights (or anyone, without authentication) can "
	 "remove images that deployments depend on.",
	 "Set storage.delete.enabled: false except while garbage collection is being done, and grant "
	 "delete only to administrators.",
	 NULL},
    [REG_REALM_PLAIN] =
	{"BW-REG-014", BW_SEV_HIGH, "Token realm served over plain HTTP",
	 "Clients send their credentials to the token realm; over plain HTTP anyone on the path "
	 "reads them and the tokens.",
	 "Serve the token service over HTTPS and name an https:// realm in auth.token.realm.", NULL},
    [REG_BASIC_PLAIN] =
	{"BW-REG-015", BW_SEV_HIGH, "Basic authentication over plain HTTP",
	 "Basic authentication sends the password with every request; over plain HTTP anyone on "
	 "the path reads it.",
	 "Serve the registry over TLS (docker-registry refuses htpasswd without it for this "
	 "reason), or put a TLS-terminating proxy in front.",
	 NULL},
    [REG_NO_API_HEADER] =
	{"BW-REG-020", BW_SEV_LOW, "No Docker-Distribution-Api-Version header",
	 "Clients tell a registry API from anything else by this header on /v2/; without it they "
	 "may fall back to other protocols, and a proxy in front may be hiding the registry's "
	 "answers.",
	 "Let the registry's own headers through the proxy in front of it (registry/2.0 on "
	 "/v2/).",
	 NULL},
    [REG_SERVER_VERSION] =
	{"BW-REG-021", BW_SEV_LOW, "Server version disclosed",
	 "A Server (or X-Powered-By) header with a version tells an attacker which known flaws "
	 "to try.",
	 "Drop the version from the Server header (server_tokens off in nginx, ServerTokens Prod "
	 "in Apache) or remove the header.",
	 NULL},
    [REG_CFG_NO_TLS] =
	{"BW-REG-030", BW_SEV_HIGH, "config.yml: no http.tls",
	 "Without http.tls the registry serves plain HTTP unless a TLS-terminating proxy is in "
	 "front of every listener.",
	 "Set http.tls.certificate and http.tls.key (or http.tls.letsencrypt), or make sure only a "
	 "TLS proxy on the same host can reach http.addr.",
	 NULL},
    [REG_CFG_NO_AUTH] = {"BW-REG-031", BW_SEV_HIGH, "config.yml: no auth",
			 "Without an auth section every client may pull and push every repository.",
			 "Configure auth: htpasswd (with TLS) or token (with a token service), or an "
			 "authenticating proxy in front.",
			 NULL},
    [REG_CFG_DELETE] = {"BW-REG-032", BW_SEV_MEDIUM, "config.yml: storage.delete.enabled is true",
			"Deletion lets clients with the right (or anyone, without auth) remove images that "
			"deployments depend on.",
			"Set storage.delete.enabled: false except while garbage collection is being done.",
			NULL},
    [REG_CFG_NO_SECRET] =
	{"BW-REG-033", BW_SEV_MEDIUM, "config.yml: no http.secret",
	 "Without http.secret each registry instance makes a random one at start: uploads break "
	 "behind a load balancer and the upload state is signed by nothing you control.",
	 "Set http.secret to a long random value, the same on every instance, kept out of "
	 "version control (REGISTRY_HTTP_SECRET).",
	 NULL},
    [REG_CFG_PROXY] =
	{"BW-REG-034", BW_SEV_MEDIUM, "config.yml: pull-through cache (proxy) mode",
	 "In proxy mode the registry fetches whatever a client names from the remote registry, with "
	 "the credentials in proxy.username/password, and cannot be pushed to: it is a cache, not a "
	 "registry of record.",
	 "Make sure the remote is the one intended, its credentials are read-only, and that clients "
	 "know the cache mirrors upstream images unverified.",
	 NULL},
    [REG_CFG_LOG_DEBUG] = {"BW-REG-035", BW_SEV_LOW, "config.yml: log.level debug",
			   "Debug logs record request details (headers, some with tokens) and grow quickly.",
			   "Set log.level: info (or warn) in production.", NULL},
    [REG_CFG_NO_HEALTH] =
	{"BW-REG-036", BW_SEV_LOW, "config.yml: no storage health check",
	 "Without health.storagedriver.enabled a registry whose storage fails keeps answering "
	 "/ as healthy and serving errors.",
	 "Set health.storagedriver.enabled: true (with an interval and threshold).", NULL},
    [REG_CFG_FOREIGN] =
	{"BW-REG-037", BW_SEV_MEDIUM, "config.yml: foreign layer URLs accepted",
	 "Manifests may then point clients at layer URLs on any host the allow list matches: the "
	 "registry vouches for bytes it never holds.",
	 "Leave validation.manifests.urls.allow empty (the default), or restrict it to your own "
	 "hosts and add a deny list; never set validation.disabled.",
	 NULL},
    [REG_CFG_NO_ENCRYPT] =
	{"BW-REG-038", BW_SEV_MEDIUM, "config.yml: storage not encrypted at rest",
	 "The storage driver offers encryption at rest (s3: encrypt, keyid) and it is off: "
	 "whoever reads the bucket reads every layer.",
	 "Set storage.s3.encrypt: true (and keyid for a KMS key of your own).", NULL},
    [REG_CFG_OLD_TLS] = {"BW-REG-039", BW_SEV_HIGH, "config.yml: http.tls.minimumtls below tls1.2",
			 "TLS 1.0 and 1.1 have known weaknesses and every current baseline forbids them.",
			 "Set http.tls.minimumtls: tls1.2 (or tls1.3).", NULL},
};

size_t bw_audit_registry_n_rules(void)
{
	return REG_N_RULES;
}

void bw_audit_registry_rule_info(size_t i, struct bw_rule_info *out)
{
	static const char *const none[] = {NULL};
	static const char *eq[REG_N_RULES][2];
	const struct reg_rule *t = &rules[i];
	eq[i][0] = t->equivalent;
	*out = (struct bw_rule_info){.id = t->id,
				     .severity = t->severity,
				     .title = t->title,
				     .equivalent = t->equivalent ? eq[i] : none,
				     .rationale = t->rationale,
				     .bad = "",
				     .good = "",
				     .remediation = t->remediation};
}

struct reg_audit {
	const struct bw_audit_registry_opts *o;
	struct bw_report *r;
	const char *host;
	char hostname[256]; /* without port or brackets */
	const char *cfg_path;
};

static struct bw_finding *emit(struct reg_audit *a, int rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static struct bw_finding *emit(struct reg_audit *a, int rule, const char *fmt, ...)
{
	const struct reg_rule *t = &rules[rule];
	char ev[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ev, sizeof(ev), fmt, ap);
	va_end(ap);
	struct bw_finding *f = bw_report_add_finding(a->r, BW_KIND_AUDIT);
	f->id = t->id;
	f->severity = t->severity;
	f->status = BW_STATUS_FAIL;
	f->title = t->title;
	f->remediation = t->remediation;
	f->evidence = bw_report_str(a->r, ev);
	if (t->equivalent)
		bw_finding_add_equivalent(a->r, f, t->equivalent);
	return f;
}

/* ---- the live checks ------------------------------------------------------ */

static int open_client(struct reg_audit *a, bool plain, bool verify, double deadline,
		       struct bw_registry **out, struct bw_error *err)
{
	const char *insecure[1] = {a->host};
	struct bw_registry_opts ro = {.insecure = plain ? insecure : NULL,
				      .n_insecure = plain ? 1 : 0,
				      .deadline = deadline,
				      .max_retries = -1,
				      .no_env_auth = true,
				      .no_verify = !verify,
				      .ca_file = a->o->ca_file};
	return bw_registry_open(a->host, &ro, out, err);
}

/* "Dec  9 21:00:00 2026 GMT" (OpenSSL's print) as a time; -1 when not. */
static time_t parse_not_after(const char *s)
{
	struct tm tm = {0};
	const char *end = strptime(s, "%b %d %H:%M:%S %Y GMT", &tm);
	if (!end)
		return -1;
	return timegm(&tm);
}

/* TLS suites without forward secrecy or with 3DES, RC4 or CBC with SHA-1. */
#define WEAK_CIPHERS "kRSA:3DES:RC4:SHA1"

static void tls_offers(struct reg_audit *a, struct bw_registry *c)
{
	static const char *const old[] = {"1.0", "1.1"};
	struct bw_registry_probe t;
	struct bw_error e = BW_ERROR_INIT;
	bool ok;
	for (size_t i = 0; i < BW_ARRAY_SIZE(old); i++) {
		if (bw_registry_tls_try(c, old[i], NULL, &ok, &t, &e) != 0) {
			bw_report_warn(a->r, "registry %s: TLS %s was not tried: %s", a->host, old[i], e.msg);
			bw_error_clear(&e);
		} else if (ok) {
			emit(a, REG_OLD_TLS, "registry %s accepts a TLS %s handshake (%s, %s)", a->host,
			     old[i], t.tls_version, t.cipher);
			break;
		}
	}
	if (bw_registry_tls_try(c, "1.2", WEAK_CIPHERS, &ok, &t, &e) != 0) {
		bw_report_warn(a->r, "registry %s: weak cipher suites were not tried: %s", a->host, e.msg);
		bw_error_clear(&e);
	} else if (ok) {
		emit(a, REG_WEAK_CIPHER,
		     "registry %s accepts %s over %s when only weak suites (%s) are offered", a->host,
		     t.cipher, t.tls_version, WEAK_CIPHERS);
	}
}

static void tls_checks(struct reg_audit *a, const struct bw_registry_probe *p)
{
	if (!p->tls)
		return;
	time_t na = parse_not_after(p->cert_not_after), now = time(NULL);
	if (na < 0)
		bw_report_warn(a->r, "registry %s: the certificate's expiry '%s' could not be read", a->host,
			       p->cert_not_after);
	else if (na <= now)
		emit(a, REG_CERT_EXPIRED, "registry %s: certificate %s expired on %s", a->host,
		     p->cert_subject, p->cert_not_after);
	else if (na - now < 30 * 86400)
		emit(a, REG_CERT_EXPIRING, "registry %s: certificate %s expires on %s (in %lld days)",
		     a->host, p->cert_subject, p->cert_not_after, (long long)((na - now) / 86400));
	if (p->cert_self_signed)
		emit(a, REG_CERT_PRIVATE, "registry %s: certificate %s is self-signed", a->host,
		     p->cert_subject);
	else if (!p->cert_verified)
		emit(a, REG_CERT_PRIVATE,
		     "registry %s: certificate %s issued by %s is not trusted by the system trust store",
		     a->host, p->cert_subject, p->cert_issuer);
	if (p->cert_key_bits > 0 && p->cert_key_bits < 2048 && p->cert_key_bits != 256 &&
	    p->cert_key_bits != 384 && p->cert_key_bits != 521)
		emit(a, REG_CERT_WEAK_KEY, "registry %s: certificate %s has a %d-bit key", a->host,
		     p->cert_subject, p->cert_key_bits);
}

/* Does the header value name a version (a digit after a letter or '/')? */
static bool has_version(const char *s)
{
	for (const char *q = s; *q; q++)
		if (*q >= '0' && *q <= '9' && q > s && (q[-1] == '/' || q[-1] == ' ' || q[-1] == 'v'))
			return true;
	return false;
}

static void header_checks(struct reg_audit *a, const struct bw_registry_probe *p,
			  const struct bw_registry_response *v2)
{
	if (!p->api_version[0])
		emit(a, REG_NO_API_HEADER,
		     "registry %s: GET /v2/ answered %ld without Docker-Distribution-Api-Version", a->host,
		     p->status);
	char xpb[128] = "";
	if (p->server[0] && has_version(p->server))
		emit(a, REG_SERVER_VERSION, "registry %s: Server: %s", a->host, p->server);
	else if (v2 && bw_registry_response_header(v2, "X-Powered-By", xpb, sizeof(xpb)) && has_version(xpb))
		emit(a, REG_SERVER_VERSION, "registry %s: X-Powered-By: %s", a->host, xpb);
}

static void auth_checks(struct reg_audit *a, const struct bw_registry_probe *p)
{
	if (!bw_strcasecmp(p->auth_scheme, "bearer") && !bw_strncasecmp(p->realm, "http://", 7))
		emit(a, REG_REALM_PLAIN, "registry %s: the Bearer challenge names the realm %s", a->host,
		     p->realm);
	if (!bw_strcasecmp(p->auth_scheme, "basic") && !p->tls)
		emit(a, REG_BASIC_PLAIN, "registry %s: asks for Basic authentication over plain HTTP (%s)",
		     a->host, p->challenge);
}

/* One anonymous request: as it is first, and when refused with a Bearer
 * challenge once more with an anonymous token for scope (a token service
 * may grant anonymous clients some rights). A token service that refuses
 * the anonymous client leaves the first answer (401). */
static int request(struct bw_registry *c, const char *method, const char *path, const char *scope,
		   struct bw_registry_response *resp, struct bw_error *err)
{
	struct bw_registry_request req = {.method = method, .path = path, .body_max = 64 * 1024};
	int rc = bw_registry_request(c, &req, resp, err);
	char www[512];
	if (rc || resp->status != 401 || !scope ||
	    !bw_registry_response_header(resp, "WWW-Authenticate", www, sizeof(www)) ||
	    bw_strncasecmp(www, "bearer ", 7) != 0)
		return rc;
	struct bw_registry_response again = {0};
	struct bw_error e = BW_ERROR_INIT;
	req.scope = scope;
	if (bw_registry_request(c, &req, &again, &e) != 0) {
		bw_error_clear(&e);
		bw_registry_response_release(&again);
		return 0;
	}
	bw_registry_response_release(resp);
	*resp = again;
	return 0;
}

static bool denied(long status)
{
	return status == 401 || status == 403;
}

/* The first repository name of a catalog answer, or NULL. */
static char *first_repo(const struct bw_registry_response *resp)
{
	json_t *j = bw_json_loadb(resp->body.data, resp->body.len, 0, BW_JSON_TREE_MAX, NULL, NULL);
	json_t *rs = json_object_get(j, "repositories");
	const char *s = json_string_value(json_array_get(rs, 0));
	char *out = s && bw_registry_repo_valid(s, strlen(s)) ? bw_strdup(s) : NULL;
	json_decref(j);
	return out;
}

/* The path of an upload session's Location (absolute on this registry, or a path). */
static char *location_path(struct bw_registry *c, const char *loc)
{
	const char *base = bw_registry_base_url(c);
	size_t bl = strlen(base);
	if (!strncmp(loc, base, bl) && loc[bl] == '/')
		return bw_strdup(loc + bl);
	if (loc[0] == '/')
		return bw_strdup(loc);
	return NULL;
}

static void access_checks(struct reg_audit *a, struct bw_registry *c, const struct bw_registry_probe *p)
{
	struct bw_error e = BW_ERROR_INIT;
	struct bw_registry_response resp = {0};
	char *repo = a->o->repo ? bw_strdup(a->o->repo) : NULL;

	/* the catalog */
	if (request(c, "GET", "/v2/_catalog?n=10", "registry:catalog:*", &resp, &e) == 0) {
		if (resp.status == 200) {
			emit(a, REG_ANON_CATALOG,
			     "registry %s: GET /v2/_catalog answered 200 without credentials", a->host);
			if (!repo)
				repo = first_repo(&resp);
		}
	} else {
		bw_report_warn(a->r, "registry %s: the catalog was not checked: %s", a->host, e.msg);
		bw_error_clear(&e);
	}
	bw_registry_response_release(&resp);
	if (!repo)
		repo = bw_strdup("bulwark-audit/probe");

	/* pull: the tag list of a repository (a 404 for one that does not exist is access too) */
	bw_autofree char *tags = bw_asprintf("/v2/%s/tags/list", repo);
	bw_autofree char *pull = bw_asprintf("repository:%s:pull", repo);
	if (p->status == 200 && !p->auth_scheme[0]) {
		emit(a, REG_ANON_PULL,
		     "registry %s: GET /v2/ answered 200 without credentials (no authentication)", a->host);
	} else if (request(c, "GET", tags, pull, &resp, &e) == 0) {
		if (!denied(resp.status))
			emit(a, REG_ANON_PULL, "registry %s: GET %s answered %ld without credentials",
			     a->host, tags, resp.status);
	} else {
		bw_report_warn(a->r, "registry %s: anonymous pull was not checked: %s", a->host, e.msg);
		bw_error_clear(&e);
	}
	bw_registry_response_release(&resp);

	/* push: start a blob upload, then cancel it (nothing is written) */
	bw_autofree char *uploads = bw_asprintf("/v2/%s/blobs/uploads/", repo);
	bw_autofree char *push = bw_asprintf("repository:%s:pull,push", repo);
	if (request(c, "POST", uploads, push, &resp, &e) == 0) {
		if (resp.status == 202) {
			char loc[2048] = "";
			emit(a, REG_ANON_PUSH,
			     "registry %s: POST %s answered 202 without credentials (an upload session, "
			     "cancelled "
			     "at once)",
			     a->host, uploads);
			bw_autofree char *lp =
			    bw_registry_response_header(&resp, "Location", loc, sizeof(loc))
				? location_path(c, loc)
				: NULL;
			struct bw_registry_response del = {0};
			if (!lp || request(c, "DELETE", lp, push, &del, &e) != 0 ||
			    (del.status != 204 && del.status != 202 && del.status != 200)) {
				bw_report_warn(
				    a->r,
				    "registry %s: the upload session opened to check anonymous push "
				    "could not be cancelled (%s); it expires on its own",
				    a->host, e.code ? e.msg : loc);
				bw_error_clear(&e);
			}
			bw_registry_response_release(&del);
		}
	} else {
		bw_report_warn(a->r, "registry %s: anonymous push was not checked: %s", a->host, e.msg);
		bw_error_clear(&e);
	}
	bw_registry_response_release(&resp);

	/* delete: DELETE of a manifest digest that does not exist: 405 disabled, 404/202 enabled */
	bw_autofree char *mpath = bw_asprintf("/v2/%s/manifests/sha256:%064d", repo, 0);
	bw_autofree char *dscope = bw_asprintf("repository:%s:delete", repo);
	if (request(c, "DELETE", mpath, dscope, &resp, &e) == 0) {
		if (resp.status == 404 || resp.status == 202)
			emit(a, REG_DELETE,
			     "registry %s: DELETE of a manifest that does not exist answered %ld (405 when "
			     "deletion is "
			     "disabled)",
			     a->host, resp.status);
		else if (denied(resp.status) && !a->cfg_path)
			bw_report_warn(
			    a->r,
			    "registry %s: whether deletion is enabled could not be told without credentials "
			    "(DELETE answered %ld); --config FILE reads it from config.yml",
			    a->host, resp.status);
	} else {
		bw_report_warn(a->r, "registry %s: deletion was not checked: %s", a->host, e.msg);
		bw_error_clear(&e);
	}
	bw_registry_response_release(&resp);
	free(repo);
}

static int live_checks(struct reg_audit *a, bool want_plain, struct bw_error *err)
{
	double deadline = bw_now() + (a->o->timeout_s > 0 ? a->o->timeout_s : 60);
	struct bw_registry *tls = NULL, *plain = NULL;
	struct bw_registry_probe pt, pp;
	struct bw_error et = BW_ERROR_INIT, ep = BW_ERROR_INIT;
	bool have_tls = false, have_plain = false;
	if (!want_plain && open_client(a, false, false, deadline, &tls, &et) == 0 &&
	    bw_registry_probe(tls, &pt, &et) == 0)
		have_tls = pt.tls;
	if (open_client(a, true, false, deadline, &plain, &ep) == 0 &&
	    bw_registry_probe(plain, &pp, &ep) == 0)
		have_plain =
		    pp.status > 0 && pp.status != 400; /* 400: "an HTTP request to an HTTPS server" */
	int rc = 0;
	if (!have_tls && !have_plain) {
		rc = bw_error_set(err, BW_EREMOTE,
				  "registry %s answers neither over TLS (%s) nor plain HTTP (%s)", a->host,
				  et.code ? et.msg : "no TLS", ep.code ? ep.msg : "not a registry answer");
		goto out;
	}
	if (have_plain)
		emit(a, REG_PLAIN_HTTP, "registry %s answers GET /v2/ over plain HTTP (status %ld)%s",
		     a->host, pp.status, have_tls ? ", besides TLS" : "");
	const struct bw_registry_probe *p = have_tls ? &pt : &pp;
	struct bw_registry *c = have_tls ? tls : plain;
	tls_checks(a, p);
	if (have_tls)
		tls_offers(a, tls);
	auth_checks(a, p);
	if (have_tls && have_plain)
		auth_checks(a, &pp);
	struct bw_registry_response v2 = {0};
	struct bw_error e = BW_ERROR_INIT;
	bool got = request(c, "GET", "/v2/", NULL, &v2, &e) == 0;
	bw_error_clear(&e);
	header_checks(a, p, got ? &v2 : NULL);
	bw_registry_response_release(&v2);
	access_checks(a, c, p);
out:
	bw_error_clear(&et);
	bw_error_clear(&ep);
	bw_registry_free(tls);
	bw_registry_free(plain);
	return rc;
}

/* ---- config.yml ----------------------------------------------------------- */

#define CFG_MAX (1u << 20)

static const char *where(const struct bw_yaml_node *n, char *buf, size_t len)
{
	if (n)
		snprintf(buf, len, "%s:%d", n->file->path, n->line);
	else
		snprintf(buf, len, "%s", "(absent)");
	return buf;
}

static void cfg_emit_at(struct reg_audit *a, int rule, const struct bw_yaml_node *n, const char *what)
{
	struct bw_finding *f = emit(a, rule, "%s: %s", a->cfg_path, what);
	f->location.path = bw_report_str(a->r, a->cfg_path);
	f->location.line = n ? n->line : 0;
	f->location.column = n ? n->column : 0;
}

static void config_checks(struct reg_audit *a, const struct bw_yaml_node *root)
{
	char buf[64], msg[512];
	const struct bw_yaml_node *http = bw_yaml_get(root, "http");
	const struct bw_yaml_node *tls = bw_yaml_get(http, "tls");
	bool tls_on = tls && tls->kind == BW_YAML_MAP &&
		      ((bw_yaml_str(bw_yaml_get(tls, "certificate")) &&
			*bw_yaml_str(bw_yaml_get(tls, "certificate"))) ||
		       bw_yaml_get(tls, "letsencrypt"));
	if (!tls_on)
		cfg_emit_at(a, REG_CFG_NO_TLS, http, "http.tls has no certificate (nor letsencrypt)");
	const struct bw_yaml_node *mt = bw_yaml_get(tls, "minimumtls");
	if (tls_on && mt && (bw_yaml_is(mt, "tls1.0") || bw_yaml_is(mt, "tls1.1"))) {
		snprintf(msg, sizeof(msg), "http.tls.minimumtls is %s (%s)", bw_yaml_str(mt),
			 where(mt, buf, sizeof(buf)));
		cfg_emit_at(a, REG_CFG_OLD_TLS, mt, msg);
	}
	const struct bw_yaml_node *auth = bw_yaml_get(root, "auth");
	if (!auth || auth->kind != BW_YAML_MAP || auth->n == 0 ||
	    (auth->n == 1 && bw_yaml_str(auth->pairs[0].key) &&
	     !strcmp(bw_yaml_str(auth->pairs[0].key), "none")))
		cfg_emit_at(a, REG_CFG_NO_AUTH, auth ? auth : root,
			    "no auth section (htpasswd, token or silly)");
	else if (bw_yaml_get(auth, "silly")) {
		snprintf(msg, sizeof(msg), "auth.silly accepts any Authorization header (%s)",
			 where(bw_yaml_get(auth, "silly"), buf, sizeof(buf)));
		cfg_emit_at(a, REG_CFG_NO_AUTH, bw_yaml_get(auth, "silly"), msg);
	}
	const struct bw_yaml_node *del = bw_yaml_path(root, "storage.delete.enabled");
	if (bw_yaml_bool(del) == 1) {
		snprintf(msg, sizeof(msg), "storage.delete.enabled is true (%s)",
			 where(del, buf, sizeof(buf)));
		cfg_emit_at(a, REG_CFG_DELETE, del, msg);
	}
	const struct bw_yaml_node *sec = bw_yaml_get(http, "secret");
	if (!bw_yaml_str(sec) || bw_yaml_is_null(sec))
		cfg_emit_at(a, REG_CFG_NO_SECRET, http,
			    "http.secret is not set (unless REGISTRY_HTTP_SECRET is)");
	const struct bw_yaml_node *rem = bw_yaml_path(root, "proxy.remoteurl");
	if (bw_yaml_str(rem) && *bw_yaml_str(rem)) {
		snprintf(msg, sizeof(msg), "proxy.remoteurl is %s (%s)%s", bw_yaml_str(rem),
			 where(rem, buf, sizeof(buf)),
			 bw_yaml_get(bw_yaml_get(root, "proxy"), "password") ? ", with a password in the file"
									     : "");
		cfg_emit_at(a, REG_CFG_PROXY, rem, msg);
	}
	const struct bw_yaml_node *lvl = bw_yaml_path(root, "log.level");
	if (!lvl)
		lvl = bw_yaml_get(root, "loglevel");
	if (bw_yaml_is(lvl, "debug")) {
		snprintf(msg, sizeof(msg), "log.level is debug (%s)", where(lvl, buf, sizeof(buf)));
		cfg_emit_at(a, REG_CFG_LOG_DEBUG, lvl, msg);
	}
	const struct bw_yaml_node *hc = bw_yaml_path(root, "health.storagedriver.enabled");
	if (bw_yaml_bool(hc) != 1)
		cfg_emit_at(a, REG_CFG_NO_HEALTH, hc ? hc : bw_yaml_get(root, "health"),
			    "health.storagedriver.enabled is not true");
	const struct bw_yaml_node *val = bw_yaml_get(root, "validation");
	const struct bw_yaml_node *vdis = bw_yaml_get(val, "disabled");
	const struct bw_yaml_node *allow = bw_yaml_path(val, "manifests.urls.allow");
	if (bw_yaml_bool(vdis) == 1) {
		snprintf(msg, sizeof(msg), "validation.disabled is true (%s)", where(vdis, buf, sizeof(buf)));
		cfg_emit_at(a, REG_CFG_FOREIGN, vdis, msg);
	} else if (allow && allow->kind == BW_YAML_SEQ && allow->n > 0) {
		const char *first = bw_yaml_str(allow->items[0]);
		snprintf(msg, sizeof(msg),
			 "validation.manifests.urls.allow lets manifests name foreign layers at %s%s (%s)",
			 first ? first : "…", allow->n > 1 ? " and more" : "",
			 where(allow, buf, sizeof(buf)));
		cfg_emit_at(a, REG_CFG_FOREIGN, allow, msg);
	}
	const struct bw_yaml_node *s3 = bw_yaml_path(root, "storage.s3");
	if (!s3)
		s3 = bw_yaml_path(root, "storage.s3-aws");
	if (s3 && bw_yaml_bool(bw_yaml_get(s3, "encrypt")) != 1)
		cfg_emit_at(a, REG_CFG_NO_ENCRYPT,
			    bw_yaml_get(s3, "encrypt") ? bw_yaml_get(s3, "encrypt") : s3,
			    "storage.s3.encrypt is not true");
}

static int read_config(struct reg_audit *a, struct bw_error *err)
{
	struct bw_buf b;
	bw_buf_init(&b, CFG_MAX);
	int rc = 0;
	bw_autoclose int fd = open(a->cfg_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	if (fd < 0)
		rc = bw_error_sys(err, errno == ENOENT ? BW_ENOTFOUND : BW_EIO, "%s: cannot open",
				  a->cfg_path);
	else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		rc = bw_error_set(err, BW_EINPUT, "%s: not a regular file", a->cfg_path);
	else
		rc = bw_buf_read_fd(&b, fd, a->cfg_path, err);
	if (rc == BW_ELIMIT) {
		bw_error_clear(err);
		rc = bw_error_set(err, BW_ELIMIT, "%s: a registry config.yml over %u bytes", a->cfg_path,
				  CFG_MAX);
	}
	if (rc < 0) {
		bw_buf_release(&b);
		return rc;
	}
	struct bw_yaml_limits lim = {
	    .max_bytes = CFG_MAX, .max_docs = 1, .max_depth = 32, .max_nodes = 100000};
	struct bw_yaml_file *f = NULL;
	rc = bw_yaml_parse(a->cfg_path, b.data ? b.data : "", b.len, &lim, &f, err);
	bw_buf_release(&b);
	if (rc < 0)
		return rc;
	const struct bw_yaml_node *root = f->n_docs ? f->docs[0].root : NULL;
	if (!root || root->kind != BW_YAML_MAP) {
		rc = bw_error_set(err, BW_EINPUT,
				  "%s:%d: a registry config.yml is a mapping (version, storage, http, …)",
				  a->cfg_path, root ? root->line : 1);
	} else if (!bw_yaml_get(root, "storage") && !bw_yaml_get(root, "http") &&
		   !bw_yaml_get(root, "version")) {
		rc = bw_error_set(err, BW_EINPUT,
				  "%s:%d: not a registry config.yml (no version, storage or http)",
				  a->cfg_path, root->line);
	} else {
		config_checks(a, root);
	}
	bw_yaml_file_free(f);
	return rc;
}

/* ---- the audit ------------------------------------------------------------ */

int bw_audit_registry(const struct bw_audit_registry_opts *o, struct bw_report *r, struct bw_error *err)
{
	const char *url = o->url;
	bool want_plain = false;
	if (!bw_strncasecmp(url, "https://", 8)) {
		url += 8;
	} else if (!bw_strncasecmp(url, "http://", 7)) {
		url += 7;
		want_plain = true;
	}
	size_t n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	if (!bw_registry_host_valid(url, n))
		return bw_error_set(err, BW_EUSAGE,
				    "%s: a registry URL (https://HOST[:PORT] or HOST[:PORT]) is expected",
				    o->url);
	bw_autofree char *host = bw_strndup(url, n);
	struct reg_audit a = {.o = o, .r = r, .host = host, .cfg_path = o->config};
	const char *hs = host[0] == '[' ? host + 1 : host;
	size_t hl = host[0] == '[' ? strcspn(hs, "]") : strcspn(hs, ":");
	snprintf(a.hostname, sizeof(a.hostname), "%.*s", (int)hl, hs);
	/* the file first: a bad one is an error before anything is sent */
	if (o->config) {
		int rc = read_config(&a, err);
		if (rc < 0)
			return rc;
	}
	if (o->offline)
		return 0;
	return live_checks(&a, want_plain, err);
}
