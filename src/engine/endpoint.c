/* Where the Engine lives: DOCKER_HOST and the TLS environment, read the way
 * the docker CLI reads them.
 *
 *   unix:///path            a unix socket (the default /var/run/docker.sock)
 *   tcp://host[:port][/p]   plain HTTP on 2375, or HTTPS on 2376 when TLS is on
 *   http://…, https://…     accepted as written
 *   ssh://, npipe://, fd:// not spoken by bulwark
 *
 * TLS is on when DOCKER_TLS_VERIFY or DOCKER_TLS is non-empty (any value, as
 * the CLI does) or the scheme is https. Certificates come from
 * DOCKER_CERT_PATH, else ~/.docker: ca.pem, cert.pem, key.pem. With
 * DOCKER_TLS_VERIFY ca.pem must exist; a client pair is used when both of
 * its files exist. */
#include <errno.h>
#include <sys/stat.h>

#include "engine-int.h"

#define DEFAULT_SOCKET "/var/run/docker.sock"

void bw_engine_endpoint_release(struct bw_engine_endpoint *ep)
{
	free(ep->host);
	free(ep->socket_path);
	free(ep->base_url);
	free(ep->ca);
	free(ep->cert);
	free(ep->key);
	memset(ep, 0, sizeof(*ep));
}

static bool env_set(const char *name)
{
	const char *v = getenv(name);
	return v && *v;
}

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static int tls_files(struct bw_engine_endpoint *ep, struct bw_error *err)
{
	bw_autofree char *dir = NULL;
	const char *cp = getenv("DOCKER_CERT_PATH");
	if (cp && *cp) {
		dir = bw_strdup(cp);
	} else {
		const char *home = getenv("HOME");
		dir = bw_asprintf("%s/.docker", home && *home ? home : "/root");
	}
	bw_autofree char *ca = bw_asprintf("%s/ca.pem", dir);
	bw_autofree char *cert = bw_asprintf("%s/cert.pem", dir);
	bw_autofree char *key = bw_asprintf("%s/key.pem", dir);

	if (file_exists(ca))
		ep->ca = bw_steal_pointer(&ca);
	else if (ep->tls_verify && env_set("DOCKER_TLS_VERIFY"))
		return bw_error_sys(err, BW_ENOTFOUND,
				    "DOCKER_TLS_VERIFY is set but the CA certificate %s cannot be read", ca);
	bool has_cert = file_exists(cert), has_key = file_exists(key);
	if (has_cert != has_key)
		return bw_error_set(err, BW_ENOTFOUND, "TLS client certificate in %s: %s without %s", dir,
				    has_cert ? "cert.pem" : "key.pem", has_cert ? "key.pem" : "cert.pem");
	if (has_cert) {
		ep->cert = bw_steal_pointer(&cert);
		ep->key = bw_steal_pointer(&key);
	}
	return 0;
}

/* host[:port] of a tcp:// address, with the default port added. */
static int tcp_authority(const char *s, size_t n, int default_port, const char *given, char **out,
			 struct bw_error *err)
{
	if (n == 0)
		return bw_error_set(err, BW_EUSAGE, "Docker host '%s' names no host", given);
	for (size_t i = 0; i < n; i++)
		if (s[i] == '@' || s[i] == ' ' || s[i] == '?' || s[i] == '#' || (unsigned char)s[i] < 0x21)
			return bw_error_set(err, BW_EUSAGE, "Docker host '%s' is malformed", given);
	const char *close = s[0] == '[' ? memchr(s, ']', n) : NULL;
	if (s[0] == '[' && !close)
		return bw_error_set(err, BW_EUSAGE, "Docker host '%s': unclosed '['", given);
	const char *after = close ? close + 1 : s;
	const char *colon = memchr(after, ':', n - (size_t)(after - s));
	if (close && after != s + n && *after != ':')
		return bw_error_set(err, BW_EUSAGE, "Docker host '%s' is malformed", given);
	if (!colon) {
		*out = bw_asprintf("%.*s:%d", (int)n, s, default_port);
		return 0;
	}
	size_t plen = n - (size_t)(colon + 1 - s);
	if (plen == 0) {
		*out = bw_asprintf("%.*s%d", (int)n, s, default_port);
		return 0;
	}
	long port = 0;
	for (size_t i = 0; i < plen; i++) {
		char c = colon[1 + i];
		if (c < '0' || c > '9' || port > 65535)
			return bw_error_set(err, BW_EUSAGE, "Docker host '%s': bad port", given);
		port = port * 10 + (c - '0');
	}
	if (port < 1 || port > 65535)
		return bw_error_set(err, BW_EUSAGE, "Docker host '%s': bad port", given);
	if (colon == s)
		return bw_error_set(err, BW_EUSAGE, "Docker host '%s' names no host", given);
	*out = bw_strndup(s, n);
	return 0;
}

static int parse_network(const char *given, const char *scheme, const char *rest,
			 struct bw_engine_endpoint *ep, struct bw_error *err)
{
	bool https = strcmp(scheme, "https") == 0;
	bool http = strcmp(scheme, "http") == 0;
	ep->tls_verify = env_set("DOCKER_TLS_VERIFY");
	ep->tls = https || (!http && (ep->tls_verify || env_set("DOCKER_TLS")));
	if (https && !env_set("DOCKER_TLS"))
		ep->tls_verify = true;

	size_t alen = strcspn(rest, "/");
	bw_autofree char *auth = NULL;
	int rc = tcp_authority(rest, alen, ep->tls ? 2376 : 2375, given, &auth, err);
	if (rc)
		return rc;
	/* a base path ("tcp://h:2375/base") is kept, without its trailing '/' */
	const char *path = rest + alen;
	size_t plen = strlen(path);
	while (plen && path[plen - 1] == '/')
		plen--;
	ep->host = bw_asprintf("%s://%s%.*s", scheme, auth, (int)plen, path);
	ep->base_url = bw_asprintf("%s://%s%.*s", ep->tls ? "https" : "http", auth, (int)plen, path);
	if (ep->tls)
		return tls_files(ep, err);
	return 0;
}

int bw_engine_endpoint_parse(const char *host, struct bw_engine_endpoint *ep, struct bw_error *err)
{
	memset(ep, 0, sizeof(*ep));
	if (!host)
		host = getenv("DOCKER_HOST");
	if (!host || !*host)
		host = "unix://" DEFAULT_SOCKET;

	int rc;
	const char *sep = strstr(host, "://");
	if (!sep) {
		rc = bw_error_set(err, BW_EUSAGE,
				  "Docker host '%s' has no scheme (expected unix:///path or tcp://host:port)",
				  host);
		goto fail;
	}
	size_t slen = (size_t)(sep - host);
	char scheme[16];
	if (slen == 0 || slen >= sizeof(scheme)) {
		rc = bw_error_set(err, BW_EUSAGE, "Docker host '%s': unknown scheme", host);
		goto fail;
	}
	for (size_t i = 0; i < slen; i++)
		scheme[i] = (char)bw_tolower(host[i]);
	scheme[slen] = '\0';
	const char *rest = sep + 3;

	if (strcmp(scheme, "unix") == 0) {
		const char *path = *rest ? rest : DEFAULT_SOCKET;
		if (path[0] != '/') {
			rc = bw_error_set(err, BW_EUSAGE,
					  "Docker host '%s': the socket path must be absolute", host);
			goto fail;
		}
		ep->socket_path = bw_strdup(path);
		ep->host = bw_asprintf("unix://%s", path);
		ep->base_url = bw_strdup("http://localhost");
		return 0;
	}
	if (strcmp(scheme, "tcp") == 0 || strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0) {
		rc = parse_network(host, scheme, rest, ep, err);
		if (rc)
			goto fail;
		return 0;
	}
	if (strcmp(scheme, "ssh") == 0 || strcmp(scheme, "npipe") == 0 || strcmp(scheme, "fd") == 0) {
		rc = bw_error_set(err, BW_EUNSUPPORTED,
				  "Docker host '%s': %s:// is not supported; use unix:// or tcp://", host,
				  scheme);
		goto fail;
	}
	rc = bw_error_set(err, BW_EUSAGE, "Docker host '%s': unknown scheme '%s'", host, scheme);
fail:
	bw_engine_endpoint_release(ep);
	return rc;
}
