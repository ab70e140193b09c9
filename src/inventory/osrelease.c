/* The operating system of an image.
 *
 * os-release(5) (/etc/os-release, else /usr/lib/os-release) is a list of
 * shell-style assignments, KEY=VALUE, the value optionally in single or
 * double quotes with backslash escapes in double quotes; '#' starts a
 * comment line. ID, VERSION_ID and VERSION_CODENAME are what we keep.
 * Older and smaller images have only a one-line release file:
 * /etc/alpine-release ("3.9.6"), /etc/debian_version ("12.5" or
 * "bookworm/sid"), /etc/redhat-release and its siblings ("CentOS Linux
 * release 7.9.2009 (Core)"). The analyzer stores the pairs; the choice is
 * made on the final view (inv_os_detect) so a deleted file never counts.
 */
#include "inventory-int.h"

void inv_parse_osrelease(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *line;
	size_t n;
	const char *base = strrchr(rec->path, '/') + 1;
	bool osrel = strcmp(base, "os-release") == 0;
	if (len > 64 * 1024) {
		inv_record_note(l, rec, "%s: larger than 64 KiB, not an os-release file", rec->path);
		return;
	}
	while (inv_next_line(&p, end, &line, &n)) {
		struct bw_slice s = inv_trim((struct bw_slice){line, n});
		if (!s.len || s.ptr[0] == '#')
			continue;
		if (!osrel) {
			inv_record_kv(l, rec, "LINE", 4, s.ptr, s.len);
			return;
		}
		const char *eq = memchr(s.ptr, '=', s.len);
		if (!eq)
			continue;
		struct bw_slice k = inv_trim((struct bw_slice){s.ptr, (size_t)(eq - s.ptr)});
		struct bw_slice v = inv_trim((struct bw_slice){eq + 1, s.len - (size_t)(eq + 1 - s.ptr)});
		char buf[256];
		size_t o = 0;
		if (v.len && (v.ptr[0] == '"' || v.ptr[0] == '\'')) {
			char q = v.ptr[0];
			for (size_t i = 1; i < v.len && v.ptr[i] != q && o < sizeof(buf) - 1; i++) {
				if (q == '"' && v.ptr[i] == '\\' && i + 1 < v.len)
					i++;
				buf[o++] = v.ptr[i];
			}
		} else {
			for (size_t i = 0; i < v.len && o < sizeof(buf) - 1; i++)
				buf[o++] = v.ptr[i];
		}
		inv_record_kv(l, rec, k.ptr, k.len, buf, o);
	}
}

static const char *kv_get(const struct inv_record *rec, const char *k)
{
	for (size_t i = 0; i + 1 < rec->n_kv; i += 2)
		if (strcmp(rec->kv[i], k) == 0)
			return rec->kv[i + 1];
	return NULL;
}

static const struct {
	const char *id, *ecosystem, *purl_ns, *family; /* family: the purl type of its packages */
} os_table[] = {
    {"debian", "Debian", "debian", "deb"},
    {"ubuntu", "Ubuntu", "ubuntu", "deb"},
    {"alpine", "Alpine", "alpine", "apk"},
    {"almalinux", "AlmaLinux", "almalinux", "rpm"},
    {"rocky", "Rocky Linux", "rocky", "rpm"},
    {"rhel", "Red Hat", "redhat", "rpm"},
    {"centos", "CentOS", "centos", "rpm"},
    {"fedora", "Fedora", "fedora", "rpm"},
    {"ol", "Oracle Linux", "oracle", "rpm"},
    {"amzn", "Amazon Linux", "amazon", "rpm"},
    {"opensuse-leap", "openSUSE", "opensuse", "rpm"},
    {"opensuse-tumbleweed", "openSUSE", "opensuse", "rpm"},
    {"sles", "SUSE", "suse", "rpm"},
    {"mariner", "Mariner", "mariner", "rpm"},
    {"azurelinux", "Azure Linux", "azurelinux", "rpm"},
    {"photon", "Photon OS", "photon", "rpm"},
    {"wolfi", "Wolfi", "wolfi", "apk"},
    {"chainguard", "Chainguard", "chainguard", "apk"},
    {"mageia", "Mageia", "mageia", "rpm"},
};

const char *inv_os_ecosystem(const char *id, const char *fallback)
{
	for (size_t i = 0; id && i < BW_ARRAY_SIZE(os_table); i++)
		if (strcmp(os_table[i].id, id) == 0)
			return os_table[i].ecosystem;
	return fallback;
}

const char *inv_os_family(const char *id)
{
	for (size_t i = 0; id && i < BW_ARRAY_SIZE(os_table); i++)
		if (strcmp(os_table[i].id, id) == 0)
			return os_table[i].family;
	return NULL;
}

const char *inv_os_purl_ns(const char *id, const char *fallback)
{
	for (size_t i = 0; id && i < BW_ARRAY_SIZE(os_table); i++)
		if (strcmp(os_table[i].id, id) == 0)
			return os_table[i].purl_ns;
	return id ? id : fallback;
}

const char *inv_os_id_of_purl_ns(const char *ns)
{
	for (size_t i = 0; ns && i < BW_ARRAY_SIZE(os_table); i++)
		if (strcmp(os_table[i].purl_ns, ns) == 0 || strcmp(os_table[i].id, ns) == 0)
			return os_table[i].id;
	return NULL;
}

static const char *debian_codename(const char *major)
{
	static const char *const names[][2] = {{"7", "wheezy"},	 {"8", "jessie"},    {"9", "stretch"},
					       {"10", "buster"}, {"11", "bullseye"}, {"12", "bookworm"},
					       {"13", "trixie"}, {"14", "forky"}};
	for (size_t i = 0; i < BW_ARRAY_SIZE(names); i++)
		if (strcmp(names[i][0], major) == 0)
			return names[i][1];
	return NULL;
}

/* "CentOS Linux release 7.9.2009 (Core)" -> id, version */
static void parse_redhat_line(const char *line, const char *base, struct inv_os *os)
{
	struct {
		const char *word, *id;
	} words[] = {{"CentOS", "centos"},	 {"Red Hat", "rhel"},  {"Rocky", "rocky"},
		     {"AlmaLinux", "almalinux"}, {"Fedora", "fedora"}, {"Oracle", "ol"},
		     {"Amazon", "amzn"}};
	for (size_t i = 0; i < BW_ARRAY_SIZE(words); i++)
		if (strstr(line, words[i].word)) {
			os->id = words[i].id;
			break;
		}
	if (!os->id)
		os->id = strcmp(base, "centos-release") == 0 ? "centos" : "rhel";
	const char *r = strstr(line, "release ");
	if (r) {
		r += 8;
		size_t n = 0;
		while (r[n] && (bw_isdigit(r[n]) || r[n] == '.'))
			n++;
		os->version_buf[0] = '\0';
		snprintf(os->version_buf, sizeof(os->version_buf), "%.*s", (int)n, r);
		os->version = os->version_buf;
	}
}

void inv_os_from_record(const struct inv_record *rec, struct inv_os *os)
{
	const char *base = strrchr(rec->path, '/') + 1;
	memset(os, 0, sizeof(*os));
	if (strcmp(base, "os-release") == 0) {
		os->id = kv_get(rec, "ID");
		os->version = kv_get(rec, "VERSION_ID");
		os->codename = kv_get(rec, "VERSION_CODENAME");
		os->pretty = kv_get(rec, "PRETTY_NAME");
		if (os->id && strcmp(os->id, "debian") == 0 && !os->codename && os->version)
			os->codename = debian_codename(os->version);
		return;
	}
	const char *line = kv_get(rec, "LINE");
	if (!line)
		return;
	if (strcmp(base, "alpine-release") == 0) {
		os->id = "alpine";
		os->version = line;
	} else if (strcmp(base, "debian_version") == 0) {
		os->id = "debian";
		if (bw_isdigit(line[0])) {
			size_t n = strcspn(line, ".");
			snprintf(os->version_buf, sizeof(os->version_buf), "%.*s", (int)n, line);
			os->version = os->version_buf;
			os->codename = debian_codename(os->version);
		} else {
			os->codename = line; /* "bookworm/sid": testing or unstable */
		}
	} else {
		parse_redhat_line(line, base, os);
	}
}
