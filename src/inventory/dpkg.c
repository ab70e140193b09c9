/* dpkg: /var/lib/dpkg/status, /var/lib/dpkg/status.d/, info/NAME.list and
 * /var/lib/dpkg/available.
 *
 * The status file (deb-control(5) syntax) is a list of stanzas separated by
 * blank lines. Each stanza is a list of fields "Name: value"; a line that
 * starts with a space or a tab continues the previous field. A package is
 * installed when its Status field ("want flag status") ends in
 * "installed"; "deinstall ok config-files" and half-installed states are
 * not. "Source: NAME" or "Source: NAME (VERSION)" names the source package
 * when it differs from the binary's name or version.
 *
 * Distroless images have no status file but one stanza per package in
 * /var/lib/dpkg/status.d/NAME (often without a Status field: present means
 * installed) and NAME.md5sums next to it ("md5  relative/path").
 * info/NAME.list (or NAME:ARCH.list) lists every path a package owns, one
 * per line; language packages whose files dpkg owns are the OS's, not
 * extra packages.
 *
 * /var/lib/dpkg/available holds the stanzas of the archive's Packages index
 * that dpkg was told about (debootstrap writes one for every package it
 * installs; apt does not keep it up to date), with "SHA256:" the digest of
 * the .deb file. It declares no packages: its record maps
 * "NAME VERSION ARCH" to that digest, and a package of the status file
 * takes it only when all three are the same (inventory.c).
 */
#include "inventory-int.h"

struct stanza {
	struct bw_slice package, version, status, source, arch, depends, predepends, sha256, maintainer;
	size_t first_line;
	bool any;
};

static void add_depends(struct inv_layer *l, struct inv_pkg *p, struct bw_slice d)
{
	/* "a (>= 1), b | c, d:any" */
	size_t i = 0;
	while (i < d.len) {
		while (i < d.len && (d.ptr[i] == ' ' || d.ptr[i] == '\t' || d.ptr[i] == '\n' ||
				     d.ptr[i] == ',' || d.ptr[i] == '|'))
			i++;
		size_t s = i;
		while (i < d.len && d.ptr[i] != ' ' && d.ptr[i] != '\t' && d.ptr[i] != '\n' &&
		       d.ptr[i] != ',' && d.ptr[i] != '|' && d.ptr[i] != '(' && d.ptr[i] != ':' &&
		       d.ptr[i] != '[')
			i++;
		if (i > s)
			inv_pkg_add_depend(l, p, d.ptr + s, i - s);
		/* skip the rest of this alternative: version, arch qualifier, restrictions */
		while (i < d.len && d.ptr[i] != ',' && d.ptr[i] != '|')
			i++;
	}
}

static void emit(struct inv_layer *l, struct inv_record *rec, struct stanza *st, bool statusd)
{
	if (!st->any)
		return;
	if (!st->package.len) {
		inv_record_note(l, rec, "%s: line %zu: a stanza without a Package field was skipped",
				rec->path, st->first_line);
		return;
	}
	if (st->status.len) {
		/* "install ok installed": the last word is the package's state */
		struct bw_slice s = st->status;
		size_t k = s.len;
		while (k > 0 && s.ptr[k - 1] != ' ')
			k--;
		struct bw_slice last = {s.ptr + k, s.len - k};
		if (!bw_slice_eq(last, "installed"))
			return;
	} else if (!statusd) {
		inv_record_note(l, rec, "%s: line %zu: package '%.*s' has no Status field; skipped",
				rec->path, st->first_line,
				(int)(st->package.len > 100 ? 100 : st->package.len), st->package.ptr);
		return;
	}
	if (!st->version.len) {
		inv_record_note(l, rec, "%s: line %zu: package '%.*s' has no Version field; skipped",
				rec->path, st->first_line,
				(int)(st->package.len > 100 ? 100 : st->package.len), st->package.ptr);
		return;
	}
	size_t p_i = inv_record_add_pkg(l, rec);
	struct inv_pkg *p = &rec->pkgs[p_i];
	p->is_os = true;
	p->purl_type = "deb";
	p->name = inv_strndup(l, st->package.ptr, st->package.len);
	p->version = inv_strndup(l, st->version.ptr, st->version.len);
	if (st->arch.len)
		p->arch = inv_strndup(l, st->arch.ptr, st->arch.len);
	if (st->source.len) {
		/* "glibc (2.36-9)" */
		const char *par = memchr(st->source.ptr, '(', st->source.len);
		if (par) {
			p->source_name = inv_strndup(l, st->source.ptr, (size_t)(par - st->source.ptr));
			const char *close = memchr(par, ')', st->source.len - (size_t)(par - st->source.ptr));
			size_t vl = close ? (size_t)(close - par - 1)
					  : st->source.len - (size_t)(par + 1 - st->source.ptr);
			p->source_version = inv_strndup(l, par + 1, vl);
		} else {
			p->source_name = inv_strndup(l, st->source.ptr, st->source.len);
			p->source_version = p->version;
		}
	} else {
		p->source_name = p->name;
		p->source_version = p->version;
	}
	add_depends(l, p, st->depends);
	add_depends(l, p, st->predepends);
	if (st->maintainer.len)
		p->supplier = inv_strndup(l, st->maintainer.ptr, st->maintainer.len);
}

/* An available stanza: "NAME VERSION ARCH" -> the .deb's SHA-256. */
static void emit_available(struct inv_layer *l, struct inv_record *rec, struct stanza *st)
{
	if (!st->any || !st->package.len || !st->version.len || !st->arch.len || !st->sha256.len)
		return;
	if (!bw_hash_hex_valid(BW_HASH_SHA256, st->sha256.ptr, st->sha256.len)) {
		inv_record_note(l, rec,
				"%s: line %zu: the SHA256 of package '%.*s' is not a valid hash; ignored",
				rec->path, st->first_line,
				(int)(st->package.len > 100 ? 100 : st->package.len), st->package.ptr);
		return;
	}
	char key[512];
	int n = snprintf(key, sizeof(key), "%.*s %.*s %.*s", (int)st->package.len, st->package.ptr,
			 (int)st->version.len, st->version.ptr, (int)st->arch.len, st->arch.ptr);
	if (n > 0 && (size_t)n < sizeof(key) && !memchr(key, '\0', (size_t)n))
		inv_record_kv(l, rec, key, (size_t)n, st->sha256.ptr, st->sha256.len);
}

static void parse_stanzas(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len,
			  bool statusd, bool available);

void inv_parse_dpkg_status(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len,
			   bool statusd)
{
	parse_stanzas(l, rec, data, len, statusd, false);
}

void inv_parse_dpkg_available(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	parse_stanzas(l, rec, data, len, false, true);
}

static void parse_stanzas(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len,
			  bool statusd, bool available)
{
	const char *p = data, *end = data + len, *line;
	size_t n, lineno = 0;
	struct stanza st = {0};
	struct bw_slice *cur = NULL;
	while (inv_next_line(&p, end, &line, &n)) {
		lineno++;
		if (n == 0 || (n == 1 && line[0] == ' ')) {
			if (available)
				emit_available(l, rec, &st);
			else
				emit(l, rec, &st, statusd);
			memset(&st, 0, sizeof(st));
			cur = NULL;
			continue;
		}
		if (!st.any) {
			st.any = true;
			st.first_line = lineno;
		}
		if (line[0] == ' ' || line[0] == '\t') {
			/* continuation: extend the field's slice over this line */
			if (cur && cur->len)
				cur->len = (size_t)(line + n - cur->ptr);
			continue;
		}
		const char *colon = memchr(line, ':', n);
		if (!colon) {
			inv_record_note(l, rec, "%s: line %zu: not a 'Field: value' line", rec->path, lineno);
			cur = NULL;
			continue;
		}
		struct bw_slice k = {line, (size_t)(colon - line)};
		struct bw_slice v = inv_trim((struct bw_slice){colon + 1, n - (size_t)(colon + 1 - line)});
		cur = NULL;
		if (inv_slice_ieq(k, "Package"))
			cur = &st.package;
		else if (inv_slice_ieq(k, "Version"))
			cur = &st.version;
		else if (inv_slice_ieq(k, "Status"))
			cur = &st.status;
		else if (inv_slice_ieq(k, "Source"))
			cur = &st.source;
		else if (inv_slice_ieq(k, "Architecture"))
			cur = &st.arch;
		else if (inv_slice_ieq(k, "Depends"))
			cur = &st.depends;
		else if (inv_slice_ieq(k, "Maintainer"))
			cur = &st.maintainer;
		else if (inv_slice_ieq(k, "Pre-Depends"))
			cur = &st.predepends;
		else if (available && inv_slice_ieq(k, "SHA256"))
			cur = &st.sha256;
		if (cur)
			*cur = v;
		if (cur != &st.depends && cur != &st.predepends)
			cur = NULL; /* only dependency lists are folded over lines */
	}
	if (available)
		emit_available(l, rec, &st);
	else
		emit(l, rec, &st, statusd);
}

void inv_parse_dpkg_list(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len,
			 bool md5sums)
{
	const char *p = data, *end = data + len, *line;
	size_t n;
	while (inv_next_line(&p, end, &line, &n)) {
		if (md5sums) {
			/* "d41d8cd98f00b204e9800998ecf8427e  usr/bin/x" */
			const char *sp = memchr(line, ' ', n);
			if (!sp)
				continue;
			while (sp < line + n && *sp == ' ')
				sp++;
			size_t rest = (size_t)(line + n - sp);
			if (!rest)
				continue;
			char buf[4096];
			if (rest + 2 > sizeof(buf))
				continue;
			buf[0] = '/';
			memcpy(buf + 1, sp, rest);
			inv_record_own(l, rec, buf, rest + 1);
		} else if (n > 1 && line[0] == '/') {
			inv_record_own(l, rec, line, n);
		}
	}
}
