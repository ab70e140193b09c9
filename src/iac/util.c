/* Small judgements shared by the Kubernetes and compose rules: image
 * references, capability names, host paths. */
#include <fnmatch.h>

#include "iac-int.h"

void iac_image_registry(const char *image, char *out, size_t outlen)
{
	const char *slash = strchr(image, '/');
	size_t n = slash ? (size_t)(slash - image) : 0;
	/* the first part is a registry when it has a '.' or ':' or is localhost */
	if (slash &&
	    (memchr(image, '.', n) || memchr(image, ':', n) || (n == 9 && !memcmp(image, "localhost", 9)))) {
		snprintf(out, outlen, "%.*s", (int)n, image);
		return;
	}
	snprintf(out, outlen, "docker.io");
}

void iac_image_tag(const char *image, char *tag, size_t taglen, bool *digest)
{
	const char *at = strchr(image, '@');
	*digest = at != NULL;
	size_t end = at ? (size_t)(at - image) : strlen(image);
	const char *last = image;
	for (size_t i = 0; i < end; i++)
		if (image[i] == '/')
			last = image + i + 1;
	const char *colon = memchr(last, ':', (size_t)(image + end - last));
	if (colon)
		snprintf(tag, taglen, "%.*s", (int)(image + end - colon - 1), colon + 1);
	else if (taglen)
		tag[0] = 0;
}

bool iac_registry_trusted(const struct bw_iac_config *cfg, const char *image)
{
	if (!cfg->n_trusted)
		return true;
	char reg[256];
	iac_image_registry(image, reg, sizeof(reg));
	for (size_t i = 0; i < cfg->n_trusted; i++) {
		const char *p = cfg->trusted[i];
		if (!bw_strcasecmp(p, reg) || !fnmatch(p, reg, FNM_CASEFOLD))
			return true;
		/* "docker.io" also names the Docker Hub's other spellings */
		if (!strcmp(reg, "docker.io") &&
		    (!strcmp(p, "index.docker.io") || !strcmp(p, "registry-1.docker.io")))
			return true;
	}
	return false;
}

void iac_cap_norm(const char *cap, char *out, size_t outlen)
{
	if (!bw_strncasecmp(cap, "CAP_", 4))
		cap += 4;
	size_t i = 0;
	for (; cap[i] && i + 1 < outlen; i++)
		out[i] = (cap[i] >= 'a' && cap[i] <= 'z') ? (char)(cap[i] - 32) : cap[i];
	if (outlen)
		out[i] = 0;
}

static void clean(const char *path, char *out, size_t outlen)
{
	/* drop trailing slashes and "//"; keep "/" */
	size_t o = 0;
	for (size_t i = 0; path[i] && o + 1 < outlen; i++) {
		if (path[i] == '/' && o && out[o - 1] == '/')
			continue;
		out[o++] = path[i];
	}
	while (o > 1 && out[o - 1] == '/')
		o--;
	out[o] = 0;
}

bool iac_engine_socket_path(const char *path)
{
	static const char *const socks[] = {
	    "/var/run/docker.sock",
	    "/run/docker.sock",
	    "/var/run/containerd/containerd.sock",
	    "/run/containerd/containerd.sock",
	    "/var/run/crio/crio.sock",
	    "/run/crio/crio.sock",
	    "/run/podman/podman.sock",
	    "/var/run/podman/podman.sock",
	    "/var/run/cri-dockerd.sock",
	};
	char c[512];
	clean(path, c, sizeof(c));
	for (size_t i = 0; i < BW_ARRAY_SIZE(socks); i++)
		if (!strcmp(c, socks[i]))
			return true;
	return false;
}

bool iac_sensitive_host_path(const char *path)
{
	/* the host's root and the directories whose contents give it away
	 * (CIS Docker 5.6's list, and Trivy KSV-0121's) */
	static const char *const dirs[] = {"/",
					   "/boot",
					   "/dev",
					   "/etc",
					   "/lib",
					   "/proc",
					   "/sys",
					   "/usr",
					   "/var/lib/docker",
					   "/var/run",
					   "/run",
					   "/root",
					   "/bin",
					   "/sbin",
					   "/lib64",
					   "/var/lib/kubelet",
					   "/var/lib/containerd",
					   "/etc/kubernetes"};
	char c[512];
	clean(path, c, sizeof(c));
	for (size_t i = 0; i < BW_ARRAY_SIZE(dirs); i++)
		if (!strcmp(c, dirs[i]))
			return true;
	return false;
}

static bool parse_range(const char *s, size_t n, int *lo, int *hi)
{
	char buf[32];
	if (!n || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = 0;
	char *dash = strchr(buf, '-');
	char *end;
	long a = strtol(buf, &end, 10);
	if (end == buf || a < 0 || a > 65535 || (dash ? end != dash : *end))
		return false;
	long b = a;
	if (dash) {
		b = strtol(dash + 1, &end, 10);
		if (end == dash + 1 || *end || b < a || b > 65535)
			return false;
	}
	*lo = (int)a;
	*hi = (int)b;
	return true;
}

int iac_compose_port(const struct bw_yaml_node *n, struct iac_port *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->proto, sizeof(out->proto), "tcp");
	long long v;
	if (n->kind == BW_YAML_MAP) {
		const struct bw_yaml_node *t = bw_yaml_get(n, "target"), *p = bw_yaml_get(n, "published");
		if (bw_yaml_int(t, &v) && v >= 0 && v <= 65535)
			out->target = out->target_end = (int)v;
		else if (!bw_yaml_str(t) || !parse_range(t->str, t->len, &out->target, &out->target_end))
			return -1;
		if (p && bw_yaml_int(p, &v) && v >= 0 && v <= 65535)
			out->published = out->published_end = (int)v;
		else if (bw_yaml_str(p) && !parse_range(p->str, p->len, &out->published, &out->published_end))
			return -1;
		const char *ip = bw_yaml_str(bw_yaml_get(n, "host_ip"));
		if (ip)
			snprintf(out->host_ip, sizeof(out->host_ip), "%s", ip);
		const char *pr = bw_yaml_str(bw_yaml_get(n, "protocol"));
		if (pr)
			snprintf(out->proto, sizeof(out->proto), "%s", pr);
		return 0;
	}
	if (n->kind != BW_YAML_SCALAR || !n->len || n->len > 200)
		return -1;
	/* [HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]; HOST_IP may be [v6] */
	char s[256];
	snprintf(s, sizeof(s), "%s", n->str);
	char *slash = strrchr(s, '/');
	if (slash) {
		snprintf(out->proto, sizeof(out->proto), "%s", slash + 1);
		*slash = 0;
	}
	char *rest = s;
	if (s[0] == '[') {
		char *close = strchr(s, ']');
		if (!close || close[1] != ':')
			return -1;
		snprintf(out->host_ip, sizeof(out->host_ip), "%.*s", (int)(close - s - 1), s + 1);
		rest = close + 2;
	}
	char *parts[3];
	int np = 0;
	parts[np++] = rest;
	for (char *q = rest; *q && np < 3; q++)
		if (*q == ':') {
			*q = 0;
			parts[np++] = q + 1;
		}
	if (strchr(parts[np - 1], ':'))
		return -1;
	if (np == 3) {
		if (out->host_ip[0])
			return -1;
		snprintf(out->host_ip, sizeof(out->host_ip), "%.63s", parts[0]);
	}
	if (np >= 2) {
		const char *pub = parts[np - 2];
		if (*pub && !parse_range(pub, strlen(pub), &out->published, &out->published_end))
			return -1;
	}
	return parse_range(parts[np - 1], strlen(parts[np - 1]), &out->target, &out->target_end) ? 0 : -1;
}

/* Ports of protocols that have a TLS form, spoken in the clear. */
const char *iac_plaintext_port(int port)
{
	static const struct {
		int port;
		const char *what;
	} ports[] = {
	    {80, "HTTP"},    {8080, "HTTP"},  {8000, "HTTP"},	    {8888, "HTTP"},
	    {21, "FTP"},     {23, "Telnet"},  {25, "SMTP"},	    {110, "POP3"},
	    {143, "IMAP"},   {389, "LDAP"},   {1883, "MQTT"},	    {5672, "AMQP"},
	    {6379, "Redis"}, {9092, "Kafka"}, {11211, "memcached"}, {2375, "the Docker Engine API"},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(ports); i++)
		if (ports[i].port == port)
			return ports[i].what;
	return NULL;
}

/* A connection string or setting that asks for no TLS: a postgres(ql)://
 * URL without sslmode=require / verify-ca / verify-full, PGSSLMODE
 * disable / allow / prefer, a redis:// (not rediss://) URL with a
 * password, MySQL's ssl-mode=DISABLED. What it is, or NULL. */
const char *iac_plaintext_dsn(const char *name, const char *value)
{
	if (!value)
		return NULL;
	if (name && !strcmp(name, "PGSSLMODE") &&
	    (!strcmp(value, "disable") || !strcmp(value, "allow") || !strcmp(value, "prefer")))
		return "PGSSLMODE lets PostgreSQL connect without TLS";
	if (!strncmp(value, "postgres://", 11) || !strncmp(value, "postgresql://", 13)) {
		const char *q = strstr(value, "sslmode=");
		if (!q || !(!strncmp(q + 8, "require", 7) || !strncmp(q + 8, "verify-ca", 9) ||
			    !strncmp(q + 8, "verify-full", 11)))
			return "a PostgreSQL URL without sslmode=require or verify-full";
	}
	if (!strncmp(value, "mysql://", 8) &&
	    (strstr(value, "ssl-mode=DISABLED") || strstr(value, "sslmode=disable")))
		return "a MySQL URL with TLS disabled";
	if (!strncmp(value, "redis://", 8) && strchr(value + 8, '@'))
		return "a Redis URL with credentials over plain redis:// (rediss:// is TLS)";
	if (!strncmp(value, "amqp://", 7) && strchr(value + 7, '@'))
		return "an AMQP URL with credentials over plain amqp:// (amqps:// is TLS)";
	return NULL;
}
