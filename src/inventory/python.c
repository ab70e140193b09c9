/* Python distributions: NAME.dist-info/METADATA (wheels, pip; PEP 566 core
 * metadata), NAME.egg-info/PKG-INFO and the single-file NAME.egg-info that
 * distutils wrote into site-packages or dist-packages.
 *
 * All three are RFC 822 style headers ("Name: value", continuation lines
 * start with blanks) ending at the first blank line, after which the long
 * description follows. Name and Version are required. Licences come from
 * License-Expression (PEP 639), else License (when it is a short string,
 * not a pasted licence text), else the "License :: OSI Approved :: X"
 * classifiers. Names are normalised as PEP 503 says (lowercase, runs of
 * "-", "_", "." become one "-"), which is also what the purl and OSV use.
 */
#include "inventory-int.h"
#include "version/version.h"

static const char *classifier_license(struct bw_slice v, size_t *n)
{
	/* "License :: OSI Approved :: MIT License" -> "MIT License" */
	const char *p = v.ptr, *end = v.ptr + v.len, *last = NULL;
	if (v.len < 10 || memcmp(v.ptr, "License ::", 10) != 0)
		return NULL;
	for (const char *q = p; q + 3 <= end; q++)
		if (q[0] == ':' && q[1] == ':' && q[2] == ' ')
			last = q + 3;
	if (!last || last >= end)
		return NULL;
	*n = (size_t)(end - last);
	if (*n == 10 && memcmp(last, "OSI Approved", 10) == 0)
		return NULL;
	return last;
}

void inv_parse_python(struct inv_layer *l, struct inv_record *rec, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *line;
	size_t n, lineno = 0;
	struct bw_slice name = {0}, version = {0}, license = {0}, expr = {0};
	struct bw_slice classifiers[16];
	size_t n_class = 0;
	while (inv_next_line(&p, end, &line, &n)) {
		lineno++;
		if (n == 0)
			break; /* the body starts */
		if (line[0] == ' ' || line[0] == '\t')
			continue;
		const char *colon = memchr(line, ':', n);
		if (!colon)
			continue;
		struct bw_slice k = {line, (size_t)(colon - line)};
		struct bw_slice v = inv_trim((struct bw_slice){colon + 1, n - (size_t)(colon + 1 - line)});
		if (inv_slice_ieq(k, "Name"))
			name = v;
		else if (inv_slice_ieq(k, "Version"))
			version = v;
		else if (inv_slice_ieq(k, "License"))
			license = v;
		else if (inv_slice_ieq(k, "License-Expression"))
			expr = v;
		else if (inv_slice_ieq(k, "Classifier") && n_class < BW_ARRAY_SIZE(classifiers))
			classifiers[n_class++] = v;
	}
	if (!name.len || !version.len) {
		inv_record_note(l, rec, "%s: no %s field; not a Python package's metadata", rec->path,
				name.len ? "Version" : "Name");
		return;
	}
	size_t pk_i = inv_record_add_pkg(l, rec);
	struct inv_pkg *pk = &rec->pkgs[pk_i];
	char *norm = bw_arena_alloc(&l->arena, name.len + 1);
	bw_version_pep503_name(name.ptr, name.len, norm);
	pk->name = inv_strndup(l, norm, strlen(norm));
	pk->version = inv_strndup(l, version.ptr, version.len);
	pk->ecosystem = "PyPI";
	pk->purl_type = "pypi";
	if (expr.len)
		inv_pkg_add_license(l, pk, expr.ptr, expr.len);
	else if (license.len && license.len < 100 && !inv_slice_ieq(license, "UNKNOWN"))
		inv_pkg_add_license(l, pk, license.ptr, license.len);
	else
		for (size_t i = 0; i < n_class; i++) {
			size_t ln;
			const char *lc = classifier_license(classifiers[i], &ln);
			if (lc)
				inv_pkg_add_license(l, pk, lc, ln);
		}
}
