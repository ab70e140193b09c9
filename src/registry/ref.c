/* Image references, read the way the Docker Engine reads them
 * (distribution's reference grammar):
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ domain "/" ] component ( "/" component )*
 *   domain     := host [ ":" port ]      (a DNS name, IPv4, or [IPv6])
 *   component  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *
 * The first component is a domain when it holds '.' or ':', is
 * "localhost", or has an upper-case letter; otherwise the name lives on
 * Docker Hub: "docker.io", with "library/" before a one-component path, and
 * registry-1.docker.io is the host contacted. The whole name is at most 255
 * bytes; a tag defaults to "latest" when no digest is given. */
#include "registry-int.h"

#define NAME_MAX_LEN 255

static bool alnum_lower(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool component_valid(const char *s, size_t n)
{
	if (n == 0 || !alnum_lower(s[0]) || !alnum_lower(s[n - 1]))
		return false;
	for (size_t i = 0; i < n;) {
		if (alnum_lower(s[i])) {
			i++;
			continue;
		}
		/* a separator: ".", "_", "__" or a run of "-", then alnum */
		size_t j = i;
		if (s[i] == '.')
			j = i + 1;
		else if (s[i] == '_')
			j = (i + 1 < n && s[i + 1] == '_') ? i + 2 : i + 1;
		else if (s[i] == '-')
			while (j < n && s[j] == '-')
				j++;
		else
			return false;
		if (j >= n || !alnum_lower(s[j]))
			return false;
		i = j;
	}
	return true;
}

bool bw_registry_repo_valid(const char *s, size_t n)
{
	if (n == 0 || n > NAME_MAX_LEN)
		return false;
	size_t st = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '/') {
			if (!component_valid(s + st, i - st))
				return false;
			st = i + 1;
		}
	}
	return true;
}

bool bw_registry_tag_valid(const char *s, size_t n)
{
	if (n == 0 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool w =
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
		if (!w && (i == 0 || (c != '.' && c != '-')))
			return false;
	}
	return true;
}

static bool label_valid(const char *s, size_t n)
{
	if (n == 0 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  (c == '-' && i > 0 && i + 1 < n);
		if (!ok)
			return false;
	}
	return true;
}

bool bw_registry_host_valid(const char *s, size_t n)
{
	if (n == 0 || n > 255)
		return false;
	size_t hl = n;
	const char *port = NULL;
	if (s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (!close || close == s + 1)
			return false;
		for (const char *p = s + 1; p < close; p++)
			if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
			      (*p >= 'A' && *p <= 'F') || *p == ':' || *p == '.'))
				return false;
		hl = (size_t)(close - s) + 1;
		if (hl < n) {
			if (s[hl] != ':')
				return false;
			port = s + hl + 1;
		}
	} else {
		const char *colon = memchr(s, ':', n);
		if (colon) {
			hl = (size_t)(colon - s);
			port = colon + 1;
		}
		size_t st = 0;
		for (size_t i = 0; i <= hl; i++)
			if (i == hl || s[i] == '.') {
				if (!label_valid(s + st, i - st))
					return false;
				st = i + 1;
			}
	}
	if (port) {
		size_t pl = (size_t)(s + n - port);
		if (pl == 0 || pl > 5)
			return false;
		long v = 0;
		for (size_t i = 0; i < pl; i++) {
			if (port[i] < '0' || port[i] > '9')
				return false;
			v = v * 10 + (port[i] - '0');
		}
		if (v < 1 || v > 65535)
			return false;
	}
	return true;
}

void bw_registry_ref_release(struct bw_registry_ref *ref)
{
	free(ref->domain);
	free(ref->host);
	free(ref->repo);
	free(ref->tag);
	free(ref->digest);
	free(ref->name);
	memset(ref, 0, sizeof(*ref));
}

int bw_registry_ref_parse(const char *s, bool need_domain, struct bw_registry_ref *ref, struct bw_error *err)
{
	memset(ref, 0, sizeof(*ref));
	size_t n = strlen(s);
	if (n == 0)
		return bw_error_set(err, BW_EUSAGE, "empty image reference");
	if (n > 1024)
		return bw_error_set(err, BW_EUSAGE, "image reference longer than 1024 bytes");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return bw_error_set(err, BW_EUSAGE,
					    "image reference '%.200s': holds a space or a control or "
					    "non-ASCII byte",
					    s);
	if (strstr(s, "://"))
		return bw_error_set(err, BW_EUSAGE,
				    "image reference '%s': give HOST[:PORT]/REPO[:TAG], without a scheme", s);

	/* digest */
	size_t name_end = n;
	const char *at = memchr(s, '@', n);
	if (at) {
		if (!bw_digest_valid(at + 1))
			return bw_error_set(err, BW_EUSAGE,
					    "image reference '%s': '%s' is not a digest (sha256:<64 hex>)", s,
					    at + 1);
		name_end = (size_t)(at - s);
	}
	/* tag: a ':' after the last '/' */
	const char *last_slash = NULL;
	for (size_t i = 0; i < name_end; i++)
		if (s[i] == '/')
			last_slash = s + i;
	const char *colon =
	    memchr(last_slash ? last_slash : s, ':', name_end - (size_t)((last_slash ? last_slash : s) - s));
	size_t path_end = name_end;
	const char *tag = NULL;
	size_t tag_len = 0;
	if (colon) {
		tag = colon + 1;
		tag_len = (size_t)(s + name_end - tag);
		path_end = (size_t)(colon - s);
		if (!bw_registry_tag_valid(tag, tag_len))
			return bw_error_set(err, BW_EUSAGE, "image reference '%s': '%.*s' is not a valid tag",
					    s, (int)tag_len, tag);
	}
	if (path_end == 0)
		return bw_error_set(err, BW_EUSAGE, "image reference '%s' names no repository", s);

	/* domain */
	const char *slash = memchr(s, '/', path_end);
	const char *path = s;
	size_t path_len = path_end;
	bool has_domain = false;
	if (slash) {
		size_t dl = (size_t)(slash - s);
		bool upper = false;
		for (size_t i = 0; i < dl; i++)
			upper |= s[i] >= 'A' && s[i] <= 'Z';
		if (memchr(s, '.', dl) || memchr(s, ':', dl) ||
		    (dl == 9 && strncmp(s, "localhost", 9) == 0) || upper || s[0] == '[') {
			if (!bw_registry_host_valid(s, dl))
				return bw_error_set(
				    err, BW_EUSAGE,
				    "image reference '%s': '%.*s' is not a valid registry host", s, (int)dl,
				    s);
			has_domain = true;
			ref->domain = bw_strndup(s, dl);
			path = slash + 1;
			path_len = path_end - dl - 1;
		}
	}
	if (!has_domain && need_domain)
		return bw_error_set(err, BW_EUSAGE,
				    "image reference '%s' names no registry (expected HOST[:PORT]/REPO)", s);
	if (!ref->domain || strcmp(ref->domain, "index.docker.io") == 0) {
		free(ref->domain);
		ref->domain = bw_strdup(BW_REGISTRY_DOCKER_HUB);
	}
	bool hub = strcmp(ref->domain, BW_REGISTRY_DOCKER_HUB) == 0;
	if (!bw_registry_repo_valid(path, path_len)) {
		int rc = bw_error_set(err, BW_EUSAGE,
				      "image reference '%s': '%.*s' is not a valid repository name "
				      "(lower-case letters, digits and . _ - separators)",
				      s, (int)path_len, path);
		bw_registry_ref_release(ref);
		return rc;
	}
	if (hub && !memchr(path, '/', path_len))
		ref->repo = bw_asprintf("library/%.*s", (int)path_len, path);
	else
		ref->repo = bw_strndup(path, path_len);
	if (strlen(ref->domain) + 1 + strlen(ref->repo) > NAME_MAX_LEN) {
		int rc =
		    bw_error_set(err, BW_EUSAGE, "image reference '%s': the name is longer than %d bytes", s,
				 NAME_MAX_LEN);
		bw_registry_ref_release(ref);
		return rc;
	}
	ref->host = bw_strdup(hub ? BW_REGISTRY_DOCKER_HUB_HOST : ref->domain);
	if (at)
		ref->digest = bw_strdup(at + 1);
	if (tag)
		ref->tag = bw_strndup(tag, tag_len);
	else if (!at)
		ref->tag = bw_strdup("latest");
	if (ref->digest)
		ref->name = bw_asprintf("%s/%s@%s", ref->domain, ref->repo, ref->digest);
	else
		ref->name = bw_asprintf("%s/%s:%s", ref->domain, ref->repo, ref->tag);
	return 0;
}
