/* apk: /lib/apk/db/installed (apk-tools' "installed database").
 *
 * One block of "X:value" lines per package, blocks separated by a blank
 * line. The letters we read: P name, V version, A architecture, o origin
 * (the source package, aports' directory), L license (SPDX-ish, several
 * separated by spaces or " AND "), C the package checksum ("Q1" + base64
 * of the SHA-1 of the .apk's control segment, the gzip stream holding
 * .PKGINFO — the package's identity in APKINDEX, not a digest of the whole
 * .apk file; kept as BW_HASH_APK_Q1), D dependencies, F a directory and R a file in the directory
 * of the last F (the package's file list), a/M/Z per-file metadata.
 */
#include "inventory-int.h"

static void emit(struct inv_layer *l, struct inv_record *rec, struct inv_pkg *p, size_t line)
{
	if (!p->name || !p->version) {
		inv_record_note(l, rec, "%s: the package block ending at line %zu has no %s; skipped",
				rec->path, line, p->name ? "V (version)" : "P (name)");
		rec->n_pkgs--; /* the last one is p */
		return;
	}
	if (!p->source_name)
		p->source_name = p->name;
	p->source_version = p->version;
}

static void add_licenses(struct inv_layer *l, struct inv_pkg *p, const char *s, size_t n)
{
	/* keep the expression as apk wrote it when it is one ("MIT AND BSD-2-Clause") */
	inv_pkg_add_license(l, p, s, n);
}

static void add_deps(struct inv_layer *l, struct inv_pkg *p, const char *s, size_t n)
{
	/* "so:libc.musl-x86_64.so.1 busybox>=1.36 !foo" — keep plain names */
	size_t i = 0;
	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		size_t b = i;
		while (i < n && s[i] != ' ')
			i++;
		if (i == b || s[b] == '!')
			continue;
		size_t e = b;
		while (e < i && s[e] != '<' && s[e] != '>' && s[e] != '=' && s[e] != '~')
			e++;
		inv_pkg_add_depend(l, p, s + b, e - b);
	}
}

void inv_parse_apk(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *line;
	size_t n, lineno = 0;
	struct inv_pkg *cur = NULL;
	const char *dir = NULL;
	size_t dirlen = 0;
	char path[4096];
	while (inv_next_line(&p, end, &line, &n)) {
		lineno++;
		if (n == 0) {
			if (cur)
				emit(l, rec, cur, lineno);
			cur = NULL;
			dir = NULL;
			continue;
		}
		if (n < 2 || line[1] != ':') {
			inv_record_note(l, rec, "%s: line %zu: not an 'X:value' line", rec->path, lineno);
			continue;
		}
		if (!cur) {
			size_t cur_i = inv_record_add_pkg(l, rec);
			cur = &rec->pkgs[cur_i];
			cur->is_os = true;
			cur->purl_type = "apk";
		}
		const char *v = line + 2;
		size_t vl = n - 2;
		switch (line[0]) {
		case 'P':
			cur->name = inv_strndup(l, v, vl);
			break;
		case 'V':
			cur->version = inv_strndup(l, v, vl);
			break;
		case 'A':
			cur->arch = inv_strndup(l, v, vl);
			break;
		case 'o':
			cur->source_name = inv_strndup(l, v, vl);
			break;
		case 'm':
			cur->supplier = inv_strndup(l, v, vl);
			break;
		case 'L':
			add_licenses(l, cur, v, vl);
			break;
		case 'D':
			add_deps(l, cur, v, vl);
			break;
		case 'C':
			/* "Q1<base64 sha1>"; very old databases wrote an MD5 in hex: not read */
			if (vl > 2 && v[0] == 'Q' && v[1] == '1' &&
			    !inv_pkg_add_base64(l, cur, BW_HASH_APK_Q1, v + 2, vl - 2))
				inv_record_note(l, rec,
						"%s: line %zu: the C: checksum is not a valid hash; ignored",
						rec->path, lineno);
			break;
		case 'F':
			dir = v;
			dirlen = vl;
			if (vl + 2 < sizeof(path)) {
				path[0] = '/';
				memcpy(path + 1, v, vl);
				inv_record_own(l, rec, path, vl + 1);
			}
			break;
		case 'R':
			if (dir && dirlen + vl + 3 < sizeof(path)) {
				path[0] = '/';
				memcpy(path + 1, dir, dirlen);
				path[1 + dirlen] = '/';
				memcpy(path + 2 + dirlen, v, vl);
				inv_record_own(l, rec, path, dirlen + vl + 2);
			} else if (!dir && vl + 2 < sizeof(path)) {
				path[0] = '/';
				memcpy(path + 1, v, vl);
				inv_record_own(l, rec, path, vl + 1);
			}
			break;
		default:
			break;
		}
	}
	if (cur)
		emit(l, rec, cur, lineno);
}
