/* TLS posture: the Docker Engine's TCP socket (its daemon.json, the
 * dockerd command lines running, and a probe of a TCP endpoint), and the
 * findings of any TLS endpoint someone else probed (the registry audit's
 * hook). Certificates inside images are certs.c.
 *
 * The probe speaks first in the clear (GET /_ping): an HTTP answer means no
 * TLS at all. Otherwise it makes a TLS handshake without a client
 * certificate and asks again: an answer means the server does not verify
 * its clients (anyone who reaches the port drives the engine). A handshake
 * refused for want of a certificate is the good outcome. */
#include <jansson.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

#include "net-int.h"

struct tls_rule {
	const char *id;
	enum bw_severity severity;
	const char *title, *rationale, *remediation;
};

static const struct tls_rule rules[] = {
    {"BW-TLS-001", BW_SEV_CRITICAL, "Engine TCP socket without TLS",
     "The Docker Engine API on a TCP port without TLS lets anyone who reaches the port start privileged "
     "containers: root on the host, and the traffic is readable.",
     "Listen on the unix socket only, or use --tlsverify with --tlscacert, --tlscert and --tlskey (or an SSH "
     "connection)."},
    {"BW-TLS-002", BW_SEV_HIGH, "Engine TLS without client verification",
     "With --tls but not --tlsverify the engine encrypts but accepts any client: encryption without "
     "authentication.",
     "Use --tlsverify and --tlscacert so that only clients with a certificate of your CA connect."},
    {"BW-TLS-003", BW_SEV_MEDIUM, "Expired certificate in the image",
     "An expired certificate breaks the connections that rely on it, or teaches its users to skip "
     "verification.",
     "Renew the certificate, or mount it at run time instead of baking it into the image."},
    {"BW-TLS-004", BW_SEV_HIGH, "Weak key in a certificate",
     "RSA or DSA keys under 2048 bits and EC keys under 256 bits can be broken or are below every current "
     "baseline.",
     "Issue a new certificate with an RSA key of 2048 bits or more, or a P-256 (or stronger) EC key."},
    {"BW-TLS-005", BW_SEV_MEDIUM, "Certificate signed with SHA-1 or MD5",
     "SHA-1 and MD5 signatures can be forged (chosen-prefix collisions); clients reject them.",
     "Have the certificate reissued with a SHA-256 (or stronger) signature."},
    {"BW-TLS-006", BW_SEV_MEDIUM, "Private CA added to the trust store",
     "A CA the image adds to the system trust store is trusted for every TLS connection the container makes; "
     "whoever holds its key can impersonate any server to it.",
     "Trust the private CA only where it is needed (a client's own CA file), or mount it at run time."},
    {"BW-TLS-007", BW_SEV_HIGH, "Private key beside the certificates",
     "A private key shipped in the image is readable by everyone who pulls it, in every layer that holds it.",
     "Mount keys at run time (secrets, volumes) and keep them out of image layers."},
    {"BW-TLS-008", BW_SEV_HIGH, "Registry without TLS",
     "A registry spoken to over plain HTTP lets anyone on the path read credentials and swap images.",
     "Serve the registry over TLS and drop it from insecure-registries."},
};

size_t bw_net_tls_rule_count(void)
{
	return BW_ARRAY_SIZE(rules);
}

void bw_net_tls_rule_info(size_t i, struct bw_rule_info *out)
{
	static const char *const none[] = {NULL};
	*out = (struct bw_rule_info){.id = rules[i].id,
				     .severity = rules[i].severity,
				     .title = rules[i].title,
				     .equivalent = none,
				     .rationale = rules[i].rationale,
				     .bad = "",
				     .good = "",
				     .remediation = rules[i].remediation};
}

struct bw_finding *net_tls_emit(struct bw_report *r, int rule, const char *evidence)
{
	const struct tls_rule *t = &rules[rule - 1];
	struct bw_finding *f = bw_report_add_finding(r, BW_KIND_MISCONFIG);
	f->id = t->id;
	f->severity = t->severity;
	f->status = BW_STATUS_FAIL;
	f->title = t->title;
	f->remediation = t->remediation;
	f->evidence = bw_report_str(r, evidence);
	if (!strcmp(t->id, "BW-TLS-001"))
		bw_finding_add_equivalent(r, f, "CIS-2.6");
	if (!strcmp(t->id, "BW-TLS-002"))
		bw_finding_add_equivalent(r, f, "CIS-2.6");
	return f;
}

/* ---- the registry audit's hook: findings of an endpoint it probed -------- */

void bw_net_tls_endpoint_findings(struct bw_report *r, const struct bw_net_tls_endpoint *ep)
{
	char ev[512];
	bool engine = ep->kind && !strcmp(ep->kind, "engine");
	if (!ep->tls) {
		snprintf(ev, sizeof(ev), "%s %s (%s) answers without TLS", ep->kind ? ep->kind : "endpoint",
			 ep->name, ep->address);
		net_tls_emit(r, engine ? 1 : 8, ev);
	} else if (engine && !ep->client_verify) {
		snprintf(ev, sizeof(ev), "engine %s (%s) accepts TLS clients without a certificate", ep->name,
			 ep->address);
		net_tls_emit(r, 2, ev);
	}
}

/* ---- the probe ----------------------------------------------------------- */

static int dial(const char *host, const char *port, int timeout_ms, struct bw_error *err)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
	int g = getaddrinfo(host, port, &hints, &res);
	if (g)
		return bw_error_set(err, BW_EREMOTE, "%s:%s: %s", host, port, gai_strerror(g));
	int fd = -1;
	for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, a->ai_addr, a->ai_addrlen) && errno != EINPROGRESS) {
			close(fd);
			fd = -1;
			continue;
		}
		struct pollfd p = {fd, POLLOUT, 0};
		int so = 0;
		socklen_t sl = sizeof(so);
		if (poll(&p, 1, timeout_ms) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &sl) || so) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		return bw_error_set(err, BW_EREMOTE, "cannot connect to %s:%s", host, port);
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

static bool http_answer(const char *buf, ssize_t n)
{
	return n >= 8 && !memcmp(buf, "HTTP/1.", 7);
}

int bw_net_tls_probe(const char *hostport, const char *kind, struct bw_net_tls_endpoint *out,
		     struct bw_error *err)
{
	char host[256], port[16];
	const char *colon = strrchr(hostport, ':');
	if (!colon || colon == hostport || strlen(colon + 1) >= sizeof(port) ||
	    (size_t)(colon - hostport) >= sizeof(host))
		return bw_error_set(err, BW_EUSAGE, "%s: HOST:PORT is expected", hostport);
	snprintf(host, sizeof(host), "%.*s", (int)(colon - hostport), hostport);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = 0;
	}
	snprintf(port, sizeof(port), "%s", colon + 1);
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	out->name = hostport;
	out->address = hostport;
	static const char ping[] = "GET /_ping HTTP/1.0\r\nHost: bulwark\r\n\r\n";
	/* 1: in the clear */
	int fd = dial(host, port, 5000, err);
	if (fd < 0)
		return fd;
	char buf[256];
	ssize_t n = -1;
	if (write(fd, ping, sizeof(ping) - 1) == (ssize_t)sizeof(ping) - 1)
		n = read(fd, buf, sizeof(buf));
	close(fd);
	if (http_answer(buf, n)) {
		out->tls = false;
		return 0;
	}
	/* 2: TLS without a client certificate */
	out->tls = true;
	out->client_verify = true;
	fd = dial(host, port, 5000, err);
	if (fd < 0)
		return fd;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl = ctx ? SSL_new(ctx) : NULL;
	if (!ssl) {
		SSL_CTX_free(ctx);
		close(fd);
		return bw_error_set(err, BW_ENOMEM, "cannot start TLS");
	}
	SSL_set_verify(ssl, SSL_VERIFY_NONE, NULL);
	SSL_set_fd(ssl, fd);
	SSL_set_tlsext_host_name(ssl, host);
	if (SSL_connect(ssl) == 1) {
		out->handshake = true;
		if (SSL_write(ssl, ping, (int)sizeof(ping) - 1) > 0) {
			int k = SSL_read(ssl, buf, sizeof(buf));
			/* TLS 1.3: a missing client certificate is refused after the handshake */
			out->client_verify = !http_answer(buf, k);
		}
	} else {
		out->handshake = false;
	}
	ERR_clear_error();
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
	return 0;
}

/* ---- the engine's configuration ------------------------------------------ */

/* One way the engine is told to listen: hosts, tls, tlsverify. */
static void judge_engine(struct bw_report *r, const char *where, const char *const *hosts, size_t n, bool tls,
			 bool verify)
{
	for (size_t i = 0; i < n; i++) {
		if (strncmp(hosts[i], "tcp://", 6))
			continue;
		char ev[600];
		if (!tls && !verify) {
			snprintf(ev, sizeof(ev), "%s: the engine listens on %s without TLS", where, hosts[i]);
			net_tls_emit(r, 1, ev);
		} else if (!verify) {
			snprintf(ev, sizeof(ev),
				 "%s: the engine listens on %s with TLS but does not verify clients (no "
				 "tlsverify)",
				 where, hosts[i]);
			net_tls_emit(r, 2, ev);
		}
	}
}

static int daemon_json(struct bw_report *r, const char *path, bool named, struct bw_error *err)
{
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);
	if (!j) {
		if (!named && access(path, F_OK))
			return 0;
		return bw_error_set(err, BW_EINPUT, "%s:%d: %s", path, je.line, je.text);
	}
	const char *hosts[64];
	size_t n = 0;
	json_t *h = json_object_get(j, "hosts");
	for (size_t i = 0; i < json_array_size(h) && n < 64; i++)
		if (json_string_value(json_array_get(h, i)))
			hosts[n++] = json_string_value(json_array_get(h, i));
	judge_engine(r, path, hosts, n, json_is_true(json_object_get(j, "tls")),
		     json_is_true(json_object_get(j, "tlsverify")));
	json_decref(j);
	return 0;
}

/* dockerd processes: their -H/--host, --tls, --tlsverify (a flag given as
 * --tlsverify=false counts as off). */
static void dockerd_cmdlines(struct bw_report *r, const char *proc)
{
	DIR *d = opendir(proc);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s/cmdline", proc, de->d_name);
		struct bw_buf b;
		bw_buf_init(&b, 1 << 20);
		struct bw_error e2 = BW_ERROR_INIT;
		if (bw_buf_read_file(&b, path, &e2) || !b.len) {
			bw_buf_release(&b);
			continue;
		}
		const char *argv0 = b.data, *base = strrchr(argv0, '/');
		base = base ? base + 1 : argv0;
		if (strcmp(base, "dockerd")) {
			bw_buf_release(&b);
			continue;
		}
		const char *hosts[64];
		size_t n = 0;
		bool tls = false, verify = false;
		for (const char *a = b.data; a < b.data + b.len; a += strlen(a) + 1) {
			const char *next = a + strlen(a) + 1;
			if ((!strcmp(a, "-H") || !strcmp(a, "--host")) && next < b.data + b.len && n < 64)
				hosts[n++] = next;
			else if (!strncmp(a, "-H=", 3) && n < 64)
				hosts[n++] = a + 3;
			else if (!strncmp(a, "--host=", 7) && n < 64)
				hosts[n++] = a + 7;
			else if (!strcmp(a, "--tls") || !strcmp(a, "--tls=true"))
				tls = true;
			else if (!strcmp(a, "--tlsverify") || !strcmp(a, "--tlsverify=true"))
				verify = true;
		}
		char where[128];
		snprintf(where, sizeof(where), "dockerd (pid %.20s)", de->d_name);
		judge_engine(r, where, hosts, n, tls, verify);
		bw_buf_release(&b);
	}
	closedir(d);
}

int bw_net_tls_engine(struct bw_report *r, const struct bw_net_tls_opts *o, struct bw_error *err)
{
	const char *cfg = o && o->daemon_config ? o->daemon_config : "/etc/docker/daemon.json";
	int rc = daemon_json(r, cfg, o && o->daemon_config, err);
	if (rc)
		return rc;
	if (!o || !o->no_processes)
		dockerd_cmdlines(r, o && o->proc ? o->proc : "/proc");
	const char *host = o && o->probe ? o->probe : NULL;
	char hp[300];
	if (!host) {
		const char *dh = getenv("DOCKER_HOST");
		if (dh && !strncmp(dh, "tcp://", 6)) {
			snprintf(hp, sizeof(hp), "%s", dh + 6);
			hp[strcspn(hp, "/")] = 0;
			host = hp;
		}
	}
	if (host) {
		struct bw_net_tls_endpoint ep;
		rc = bw_net_tls_probe(host, "engine", &ep, err);
		if (rc)
			return rc;
		bw_net_tls_endpoint_findings(r, &ep);
	}
	return 0;
}
