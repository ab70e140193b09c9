/* OSV records (https://ossf.github.io/osv-schema/) into advisories.
 *
 * The fields read: id, modified, published, withdrawn, aliases, related,
 * upstream (kept as related ids), summary (else the first line of details),
 * severity[] ({type: CVSS_V2|CVSS_V3|CVSS_V4|Ubuntu, score: vector or word};
 * the vectors that score are kept, Ubuntu's word is its priority),
 * database_specific.severity (GHSA's and Bitnami's word), a Red Hat style
 * "Important: …" summary (Red Hat, AlmaLinux, Rocky), references[] (the
 * URLs, ADVISORY ones first), and affected[]:
 * package {ecosystem, name}, ranges[] {type ECOSYSTEM|SEMVER|GIT, events[]
 * of one-key objects introduced/fixed/last_affected/limit}, versions[].
 * GIT ranges name commits, not versions, and are not stored. Everything
 * else (credits, details) plays no part in matching.
 *
 * A record without an id, with a wrong type where the schema has an
 * object, array or string, or with an absurd size is skipped with its
 * reason; an affected entry whose versions its ecosystem's comparator
 * rejects is dropped (counted), the rest of the record kept.
 */
#include "vulndb-int.h"

#define MAX_ID 128
#define MAX_NAME 512
#define MAX_ECOSYSTEM 96
#define MAX_SUMMARY 400

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k)); /* NULL unless a string */
}

static bool printable(const char *s, size_t max)
{
	size_t n = strlen(s);
	return n > 0 && n <= max && vdb_version_ok(s, n <= VDB_MAX_VERSION ? n : VDB_MAX_VERSION);
}

/* PyPI names compare after PEP 503 normalisation. */
static char *normalize_name(struct bw_arena *ar, const char *eco, const char *name)
{
	if (strcmp(eco, "PyPI") != 0)
		return bw_arena_strdup(ar, name);
	size_t n = strlen(name);
	char *out = bw_arena_alloc(ar, n + 1);
	bw_version_pep503_name(name, n, out);
	return out;
}

static void set_severity(struct vdb_advisory *a, json_t *rec)
{
	/* CVSS vectors: every one that scores is kept (the finding's severity
	 * comes from the newest version, scored when the finding is made), and
	 * the score of the newest version; a malformed vector of one version
	 * leaves the others to speak */
	int best_rank = 0;
	struct vdb_vectors kept = {0};
	json_t *sev = json_object_get(rec, "severity");
	size_t i;
	json_t *s;
	int ubuntu = -1;
	if (json_is_array(sev)) {
		json_array_foreach(sev, i, s)
		{
			const char *type = jstr(s, "type"), *score = jstr(s, "score");
			if (!type || !score)
				continue;
			if (strcmp(type, "Ubuntu") == 0) {
				int w = vdb_severity_word(score, strlen(score));
				if (w >= 0 && ubuntu < 0)
					ubuntu = w;
				continue;
			}
			if (strncmp(type, "CVSS_V", 6) != 0)
				continue;
			struct bw_cvss_score cs;
			if (strlen(score) != json_string_length(json_object_get(s, "score")) ||
			    bw_cvss_score(score, &cs, NULL) < 0)
				continue;
			int rank = cs.major * 10 + cs.minor;
			vdb_vectors_keep(&kept, score, rank);
			if (rank <= best_rank)
				continue;
			best_rank = rank;
			a->score = cs.score;
		}
	}
	a->cvss = vdb_vectors_join(&kept, &a->arena);
	/* the advisory's own word: a database's (GHSA's) rating, else a Red Hat
	 * style summary ("Important: firefox security update"), else Ubuntu's
	 * priority */
	const char *word = jstr(json_object_get(rec, "database_specific"), "severity");
	int w = word ? vdb_severity_word(word, strlen(word)) : -1;
	if (w >= 0) {
		a->severity = w;
		a->severity_source = strncmp(a->id, "GHSA-", 5) == 0 ? "ghsa" : "database";
		return;
	}
	if (a->summary) {
		const char *c = strchr(a->summary, ':');
		w = c ? vdb_severity_word(a->summary, (size_t)(c - a->summary)) : -1;
		if (w >= 0) {
			a->severity = w;
			a->severity_source = "redhat";
			return;
		}
	}
	if (ubuntu >= 0) {
		a->severity = ubuntu;
		a->severity_source = "ubuntu_priority";
	}
}

/* Reference URLs: the ADVISORY ones first, then the others in order. */
static void set_refs(struct vdb_advisory *a, json_t *rec)
{
	json_t *refs = json_object_get(rec, "references"), *r;
	if (!json_is_array(refs))
		return;
	struct bw_buf b;
	bw_buf_init(&b, VDB_MAX_REFS * (VDB_MAX_URL + 1));
	size_t n = 0, i;
	for (int pass = 0; pass < 2; pass++)
		json_array_foreach(refs, i, r)
		{
			const char *type = jstr(r, "type");
			if ((pass == 0) == (type && strcmp(type, "ADVISORY") == 0))
				vdb_refs_add(&b, &n, jstr(r, "url"));
		}
	if (b.len)
		a->refs = bw_arena_strndup(&a->arena, b.data, b.len);
	bw_buf_release(&b);
}

static int parse_range(struct vdb_advisory *a, json_t *range, int scheme, const char *eco, const char *name,
		       struct bw_buf *enc, struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	const char *type = jstr(range, "type");
	if (!type)
		return bw_error_set(err, BW_EINPUT, "a range of %s/%s has no type", eco, name);
	char t;
	if (strcmp(type, "ECOSYSTEM") == 0)
		t = 'E';
	else if (strcmp(type, "SEMVER") == 0)
		t = 'S';
	else
		return 0; /* GIT or unknown: nothing a package version can be compared with */
	json_t *events = json_object_get(range, "events");
	if (!json_is_array(events))
		return bw_error_set(err, BW_EINPUT, "a range of %s/%s has no events array", eco, name);
	bw_buf_printf(enc, "R%c\n", t);
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev)
	{
		if (!json_is_object(ev) || json_object_size(ev) != 1)
			return bw_error_set(err, BW_EINPUT, "an event of %s/%s is not a one-key object", eco,
					    name);
		const char *k = json_object_iter_key(json_object_iter(ev));
		json_t *v = json_object_iter_value(json_object_iter(ev));
		char code = strcmp(k, "introduced") == 0      ? 'i'
			    : strcmp(k, "fixed") == 0	      ? 'f'
			    : strcmp(k, "last_affected") == 0 ? 'l'
			    : strcmp(k, "limit") == 0	      ? 'm'
							      : 0;
		if (!code)
			return bw_error_set(err, BW_EINPUT, "unknown event '%.40s' in %s/%s", k, eco, name);
		if (!json_is_string(v))
			return bw_error_set(err, BW_EINPUT, "event '%s' of %s/%s is not a string", k, eco,
					    name);
		const char *ver = json_string_value(v);
		size_t vl = json_string_length(v);
		if (!vdb_version_ok(ver, vl) || strlen(ver) != vl)
			return bw_error_set(err, BW_EINPUT, "event '%s' of %s/%s has an unusable version", k,
					    eco, name);
		bool wildcard =
		    (code == 'i' && strcmp(ver, "0") == 0) || (code == 'm' && strcmp(ver, "*") == 0);
		if (t == 'E' && scheme >= 0 && !wildcard) {
			struct bw_error verr = BW_ERROR_INIT;
			if (bw_version_validate((enum bw_version_scheme)scheme, (struct bw_slice){ver, vl},
						&verr) < 0)
				return bw_error_set(err, BW_EINPUT, "%s/%s: %s", eco, name, verr.msg);
		}
		bw_buf_printf(enc, "%c%s\n", code, ver);
	}
	(void)a;
	(void)st;
	return 0;
}

static void parse_affected(struct vdb_advisory *a, json_t *aff, struct bw_vulndb_import_stats *st)
{
	struct bw_error err = BW_ERROR_INIT;
	json_t *pkg = json_object_get(aff, "package");
	const char *eco = jstr(pkg, "ecosystem"), *name = jstr(pkg, "name");
	if (!json_is_object(aff) || !eco || !name || !printable(eco, MAX_ECOSYSTEM) ||
	    !printable(name, MAX_NAME)) {
		/* no package: a GIT-only entry (PSF's CPython records) or malformed */
		st->affected_skipped++;
		return;
	}
	int scheme = bw_version_scheme_from_osv(bw_slice_of(eco));
	struct bw_buf enc;
	bw_buf_init(&enc, 8u << 20);
	json_t *ranges = json_object_get(aff, "ranges"), *versions = json_object_get(aff, "versions");
	size_t i;
	json_t *r;
	int rc = 0;
	if (ranges && !json_is_array(ranges))
		rc = bw_error_set(&err, BW_EINPUT, "ranges of %s/%s is not an array", eco, name);
	json_array_foreach(ranges, i, r)
	{
		if (rc < 0)
			break;
		rc = parse_range(a, r, scheme, eco, name, &enc, st, &err);
	}
	if (rc == 0 && versions && !json_is_array(versions))
		rc = bw_error_set(&err, BW_EINPUT, "versions of %s/%s is not an array", eco, name);
	json_array_foreach(versions, i, r)
	{
		if (rc < 0)
			break;
		const char *v = json_string_value(r);
		if (v && vdb_version_ok(v, json_string_length(r)) && strlen(v) == json_string_length(r))
			bw_buf_printf(&enc, "v%s\n", v);
	}
	if (rc == 0 && enc.len == 0)
		rc = bw_error_set(&err, BW_EINPUT, "%s/%s has no version ranges or versions", eco, name);
	if (rc < 0 || enc.len == 0) {
		st->affected_skipped++;
		vdb_sample(st, "%s: affected entry dropped: %s", a->id, err.msg);
		bw_buf_release(&enc);
		return;
	}
	struct vdb_affected *f = vdb_advisory_add_affected(a);
	f->ecosystem = bw_arena_strdup(&a->arena, eco);
	f->name = normalize_name(&a->arena, eco, name);
	f->ranges = bw_arena_strndup(&a->arena, enc.data, enc.len);
	bw_buf_release(&enc);
}

static void add_ids(struct vdb_advisory *a, json_t *arr, bool related)
{
	size_t i;
	json_t *v;
	if (!json_is_array(arr))
		return;
	json_array_foreach(arr, i, v)
	{
		const char *s = json_string_value(v);
		if (s && printable(s, MAX_ID))
			vdb_advisory_alias(a, s, related);
	}
}

int vdb_osv_parse(json_t *rec, struct vdb_advisory *a, struct bw_vulndb_import_stats *st,
		  struct bw_error *err)
{
	if (!json_is_object(rec))
		return bw_error_set(err, BW_EINPUT, "not a JSON object");
	const char *id = jstr(rec, "id");
	if (!id || !printable(id, MAX_ID))
		return bw_error_set(err, BW_EINPUT, "no usable \"id\"");
	static const char *const str_fields[] = {"modified", "published", "withdrawn", "summary", "details"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(str_fields); i++) {
		json_t *v = json_object_get(rec, str_fields[i]);
		if (v && !json_is_string(v))
			return bw_error_set(err, BW_EINPUT, "%s: \"%s\" is not a string", id, str_fields[i]);
	}
	static const char *const arr_fields[] = {"aliases", "related", "upstream", "affected", "severity"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(arr_fields); i++) {
		json_t *v = json_object_get(rec, arr_fields[i]);
		if (v && !json_is_array(v) && !json_is_null(v))
			return bw_error_set(err, BW_EINPUT, "%s: \"%s\" is not an array", id, arr_fields[i]);
	}
	a->origin = "osv";
	a->id = bw_arena_strdup(&a->arena, id);
	const char *m = jstr(rec, "modified"), *p = jstr(rec, "published"), *w = jstr(rec, "withdrawn");
	a->modified = m ? bw_arena_strndup(&a->arena, m, strnlen(m, 64)) : NULL;
	a->published = p ? bw_arena_strndup(&a->arena, p, strnlen(p, 64)) : NULL;
	a->withdrawn = w ? bw_arena_strndup(&a->arena, w, strnlen(w, 64)) : NULL;
	const char *sum = jstr(rec, "summary");
	if (!sum || !*sum)
		sum = jstr(rec, "details");
	if (sum && *sum) {
		size_t n = strcspn(sum, "\n");
		a->summary = bw_arena_strndup(&a->arena, sum, n > MAX_SUMMARY ? MAX_SUMMARY : n);
	}
	add_ids(a, json_object_get(rec, "aliases"), false);
	add_ids(a, json_object_get(rec, "related"), true);
	add_ids(a, json_object_get(rec, "upstream"), true);
	set_severity(a, rec);
	set_refs(a, rec);

	json_t *affected = json_object_get(rec, "affected");
	size_t i;
	json_t *aff;
	json_array_foreach(affected, i, aff) parse_affected(a, aff, st);
	const char *eco = a->n_affected ? a->affected[0].ecosystem : NULL;
	if (!eco) {
		json_t *pkg = json_object_get(json_array_get(affected, 0), "package");
		eco = jstr(pkg, "ecosystem");
	}
	size_t el = eco ? strcspn(eco, ":") : 0;
	a->source = "osv:other";
	if (el && el < MAX_ECOSYSTEM) {
		char *s = bw_arena_alloc(&a->arena, el + 5);
		memcpy(s, "osv:", 4);
		memcpy(s + 4, eco, el);
		a->source = s;
	}
	return 0;
}
