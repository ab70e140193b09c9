/* Alpine's secdb (https://secdb.alpinelinux.org/, one JSON document per
 * branch and repository):
 *
 *   { "distroversion": "v3.9", "reponame": "main", "archs": […], …,
 *     "packages": [ { "pkg": { "name": "openssl",
 *                              "secfixes": { "1.1.1b-r1": ["CVE-2019-1543"], … } } } ] }
 *
 * "name" is the origin (source) package of aports. A secfixes key is the
 * apk version that fixed the listed ids; the key "0" means the package was
 * never affected. Ids are mostly CVEs, sometimes followed by a second id
 * ("CVE-2016-6258 XSA-182", kept as an alias) or a remark in parentheses;
 * a few are misspelt ("CVE 2018-16859", "CVE_2019-2426") and are repaired.
 *
 * Each id becomes one advisory of the source "alpine-secdb:<branch>-<repo>"
 * with one affected entry per package in ecosystem "Alpine:<branch>"
 * (introduced 0, fixed at the key).
 */
#include "vulndb-int.h"

struct fix {
	char id[64];
	char alias[64];
	const char *pkg, *ver;
};

static int fix_cmp(const void *a, const void *b)
{
	const struct fix *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	c = strcmp(x->pkg, y->pkg);
	return c ? c : strcmp(x->ver, y->ver);
}

static bool id_ok(const char *s)
{
	/* LETTERS-digit… */
	size_t i = 0;
	while (bw_isupper(s[i]))
		i++;
	if (i == 0 || s[i] != '-' || !bw_isdigit(s[i + 1]))
		return false;
	for (; s[i]; i++)
		if (!(bw_isalnum(s[i]) || s[i] == '-' || s[i] == '.' || s[i] == '_' || s[i] == ':'))
			return false;
	return true;
}

/* Split "CVE-2016-6258 XSA-182 (note)" into id and alias; repair "CVE 2018-…". */
static bool split_id(const char *in, struct fix *f)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", in);
	if (strncmp(buf, "CVE", 3) == 0 && (buf[3] == ' ' || buf[3] == '_') && bw_isdigit(buf[4]))
		buf[3] = '-';
	char *rest = buf;
	char *t1 = bw_next_token(&rest, " \t");
	char *t2 = t1 ? bw_next_token(&rest, " \t") : NULL;
	if (!t1 || strlen(t1) >= sizeof(f->id) || !id_ok(t1))
		return false;
	snprintf(f->id, sizeof(f->id), "%s", t1);
	f->alias[0] = '\0';
	if (t2 && strlen(t2) < sizeof(f->alias) && id_ok(t2))
		snprintf(f->alias, sizeof(f->alias), "%s", t2);
	return true;
}

int vdb_secdb_parse(json_t *doc, const char *name, vdb_advisory_fn fn, void *ud,
		    struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	const char *branch = json_string_value(json_object_get(doc, "distroversion"));
	const char *repo = json_string_value(json_object_get(doc, "reponame"));
	json_t *packages = json_object_get(doc, "packages");
	if (!branch || !repo || strlen(branch) > 16 || strlen(repo) > 32 ||
	    !vdb_version_ok(branch, strlen(branch)) || !vdb_version_ok(repo, strlen(repo)))
		return bw_error_set(err, BW_EINPUT, "%s: secdb without distroversion and reponame", name);
	if (!json_is_array(packages) && !json_is_null(packages))
		return bw_error_set(err, BW_EINPUT, "%s: secdb \"packages\" is not an array", name);
	char source[80], eco[32];
	snprintf(source, sizeof(source), "alpine-secdb:%s-%s", branch, repo);
	snprintf(eco, sizeof(eco), "Alpine:%s%s", branch[0] == 'v' ? "" : "v", branch);

	struct fix *fixes = NULL;
	size_t n = 0, cap = 0;
	size_t i;
	json_t *p;
	json_array_foreach(packages, i, p)
	{
		json_t *pkg = json_object_get(p, "pkg");
		const char *pname = json_string_value(json_object_get(pkg, "name"));
		json_t *secfixes = json_object_get(pkg, "secfixes");
		if (!pname || !vdb_version_ok(pname, strlen(pname)) || strlen(pname) > 256) {
			st->skipped++;
			vdb_sample(st, "%s: package entry %zu has no name", name, i);
			continue;
		}
		const char *ver;
		json_t *ids;
		json_object_foreach(secfixes, ver, ids)
		{
			if (strcmp(ver, "0") == 0)
				continue; /* never affected */
			struct bw_error verr = BW_ERROR_INIT;
			if (!vdb_version_ok(ver, strlen(ver)) ||
			    bw_version_validate(BW_VERSION_APK, bw_slice_of(ver), &verr) < 0) {
				st->affected_skipped++;
				vdb_sample(st, "%s: %s: invalid fixed version: %s", name, pname, verr.msg);
				continue;
			}
			size_t k;
			json_t *idv;
			json_array_foreach(ids, k, idv)
			{
				const char *s = json_string_value(idv);
				struct fix f = {.pkg = pname, .ver = ver};
				if (!s || !split_id(s, &f)) {
					st->skipped++;
					vdb_sample(st, "%s: %s %s: unusable id '%.60s'", name, pname, ver,
						   s ? s : "(not a string)");
					continue;
				}
				BW_ALLOC_GROW(fixes, n + 1, cap);
				fixes[n++] = f;
			}
		}
	}
	if (n)
		qsort(fixes, n, sizeof(*fixes), fix_cmp);
	int rc = 0;
	for (size_t s = 0; s < n && rc == 0;) {
		size_t e = s;
		while (e < n && strcmp(fixes[e].id, fixes[s].id) == 0)
			e++;
		struct vdb_advisory a;
		vdb_advisory_init(&a);
		a.origin = a.source = bw_arena_strdup(&a.arena, source);
		a.id = bw_arena_strdup(&a.arena, fixes[s].id);
		for (size_t k = s; k < e; k++) {
			if (k > s && strcmp(fixes[k].pkg, fixes[k - 1].pkg) == 0 &&
			    strcmp(fixes[k].ver, fixes[k - 1].ver) == 0)
				continue;
			if (fixes[k].alias[0])
				vdb_advisory_alias(&a, fixes[k].alias, false);
			struct vdb_affected *f = vdb_advisory_add_affected(&a);
			f->ecosystem = bw_arena_strdup(&a.arena, eco);
			f->name = bw_arena_strdup(&a.arena, fixes[k].pkg);
			size_t vl = strlen(fixes[k].ver) + 16;
			char *enc = bw_arena_alloc(&a.arena, vl);
			snprintf(enc, vl, "RE\ni0\nf%s\n", fixes[k].ver);
			f->ranges = enc;
		}
		st->records++;
		rc = fn ? fn(ud, &a, err) : 0;
		vdb_advisory_release(&a);
		s = e;
	}
	free(fixes);
	return rc;
}
