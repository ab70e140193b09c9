/* Per-CVE data: NVD's CVE API 2.0 (its paged answers and the yearly feed
 * files, which have the same shape) and CVE JSON 5 records (the CVE List,
 * cvelistV5), stored in the cves table for every advisory that aliases the
 * CVE.
 *
 * NVD (https://nvd.nist.gov/developers/vulnerabilities):
 *
 *   { "resultsPerPage": 2000, "startIndex": 0, "totalResults": 250000,
 *     "format": "NVD_CVE", "version": "2.0", "timestamp": "2024-…",
 *     "vulnerabilities": [ { "cve": {
 *         "id": "CVE-2021-44228", "sourceIdentifier": "security@apache.org",
 *         "published": "…", "lastModified": "2024-…", "vulnStatus": "Analyzed",
 *         "descriptions": [ … ],
 *         "metrics": { "cvssMetricV40": [ … ], "cvssMetricV31": [
 *             { "source": "nvd@nist.gov", "type": "Primary",
 *               "cvssData": { "version": "3.1", "vectorString": "CVSS:3.1/…",
 *                             "baseScore": 10.0, "baseSeverity": "CRITICAL" } },
 *             { "source": "security@apache.org", "type": "Secondary", … } ],
 *           "cvssMetricV30": [ … ], "cvssMetricV2": [ … ] },
 *         "references": [ { "url": "https://…", "source": "…", "tags": [ … ] } ] } } ] }
 *
 * A "Primary" metric is NVD's own assessment (nvd_cvss); a "Secondary" one
 * is the CNA's or another organisation's (cvss, with the CVE record's).
 * A "Rejected" CVE is removed. A yearly feed runs to hundreds of megabytes:
 * the document is never parsed whole but split as it streams by, one
 * element of "vulnerabilities" at a time (at most VDB_MAX_ELEMENT bytes).
 *
 * CVE JSON 5 (https://cveproject.github.io/cve-schema/schema/docs/):
 *
 *   { "dataType": "CVE_RECORD", "dataVersion": "5.1",
 *     "cveMetadata": { "cveId": "CVE-…", "state": "PUBLISHED",
 *                      "datePublished": "…", "dateUpdated": "…" },
 *     "containers": { "cna": { "metrics": [ { "format": "CVSS",
 *                                             "cvssV3_1": { "vectorString": "CVSS:3.1/…", … } },
 *                                           { "cvssV4_0": { … } } ],
 *                              "references": [ { "url": "https://…" } ] },
 *                     "adp": [ { "providerMetadata": { "shortName": "CISA-ADP" },
 *                                "metrics": [ … ], "references": [ … ] } ] } }
 *
 * The CNA's and the ADPs' vectors (cvssV4_0, cvssV3_1, cvssV3_0, cvssV2_0)
 * go to cvss. A "REJECTED" record is removed.
 *
 * Only vectors that score are kept (at most BW_VULNDB_MAX_CVSS of each
 * kind, newest version first), and only http(s) reference URLs.
 */
#include "vulndb-int.h"

#define VDB_MAX_ELEMENT (16u << 20)
#define MAX_DATE 40

bool vdb_cve_ok(const char *s, size_t n)
{
	if (n < 9 || n > 32 || strncmp(s, "CVE-", 4) != 0)
		return false;
	for (size_t i = 4; i < n; i++)
		if (!(bw_isdigit(s[i]) || s[i] == '-'))
			return false;
	return true;
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k)); /* NULL unless a string */
}

static bool date_ok(const char *d)
{
	size_t n = d ? strlen(d) : 0;
	if (n < 10 || n >= MAX_DATE)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)d[i] < 0x20 || (unsigned char)d[i] > 0x7e)
			return false;
	return d[4] == '-' && d[7] == '-';
}

/* The vector of one metric, kept when it scores. */
static void keep(struct vdb_vectors *k, const char *vector)
{
	struct bw_cvss_score cs;
	if (!vector || strlen(vector) > BW_CVSS_MAX_VECTOR || bw_cvss_score(vector, &cs, NULL) < 0)
		return;
	vdb_vectors_keep(k, vector, cs.major * 10 + cs.minor);
}

static int store(struct bw_vulndb *db, const char *id, const char *origin, const char *modified,
		 bool rejected, const struct vdb_vectors *cna, const struct vdb_vectors *nvd,
		 const struct bw_buf *refs, struct bw_vulndb_import_stats *st, struct bw_error *err)
{
	st->cves++;
	if (!db)
		return 0;
	vdb_touch(db, origin, modified);
	sqlite3_stmt *s;
	if (rejected) {
		if (vdb_prepare(db, &db->st_del_cve, "DELETE FROM cves WHERE cve = ?1 AND origin = ?2", err) <
		    0)
			return err->code;
		s = db->st_del_cve;
		sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, origin, -1, SQLITE_STATIC);
	} else {
		/* the newer lastModified / dateUpdated wins, as OSV's modified does */
		if (vdb_prepare(
			db, &db->st_ins_cve,
			"INSERT INTO cves(cve, origin, modified, cvss, nvd_cvss, refs)"
			" VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(cve, origin) DO UPDATE SET"
			" modified = excluded.modified, cvss = excluded.cvss, nvd_cvss = excluded.nvd_cvss,"
			" refs = excluded.refs WHERE cves.modified IS NULL OR excluded.modified IS NULL"
			" OR excluded.modified > cves.modified",
			err) < 0)
			return err->code;
		s = db->st_ins_cve;
		struct bw_arena ar;
		bw_arena_init(&ar);
		const char *c = vdb_vectors_join(cna, &ar), *n = vdb_vectors_join(nvd, &ar);
		sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, origin, -1, SQLITE_STATIC);
		if (modified)
			sqlite3_bind_text(s, 3, modified, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(s, 3);
		if (c)
			sqlite3_bind_text(s, 4, c, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(s, 4);
		if (n)
			sqlite3_bind_text(s, 5, n, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(s, 5);
		if (refs->len)
			sqlite3_bind_text(s, 6, refs->data, (int)refs->len, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(s, 6);
		bw_arena_release(&ar);
	}
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE)
		return vdb_sqlite_error(db, rc, "writing CVE data", err);
	if (sqlite3_changes(db->db) == 0)
		st->cves_unchanged++;
	return 0;
}

static void add_refs(struct bw_buf *b, size_t *n, json_t *refs)
{
	size_t i;
	json_t *r;
	if (!json_is_array(refs))
		return;
	json_array_foreach(refs, i, r) vdb_refs_add(b, n, jstr(r, "url"));
}

int vdb_nvd_cve(struct bw_vulndb *db, json_t *cve, const char *name, struct bw_vulndb_import_stats *st,
		struct bw_error *err)
{
	json_t *idv = json_object_get(cve, "id");
	const char *id = json_string_value(idv);
	if (!json_is_object(cve) || !id || !vdb_cve_ok(id, json_string_length(idv)))
		return bw_error_set(err, BW_EINPUT, "%s: an NVD entry without a CVE id", name);
	const char *modified = jstr(cve, "lastModified");
	if (modified && !date_ok(modified))
		modified = NULL;
	const char *status = jstr(cve, "vulnStatus");
	bool rejected = status && strcmp(status, "Rejected") == 0;
	static const char *const kinds[] = {"cvssMetricV40", "cvssMetricV31", "cvssMetricV30",
					    "cvssMetricV2"};
	struct vdb_vectors cna = {0}, nvd = {0};
	json_t *metrics = json_object_get(cve, "metrics");
	for (size_t k = 0; k < BW_ARRAY_SIZE(kinds); k++) {
		json_t *arr = json_object_get(metrics, kinds[k]), *m;
		size_t i;
		if (!json_is_array(arr))
			continue;
		json_array_foreach(arr, i, m)
		{
			const char *type = jstr(m, "type");
			const char *vector = jstr(json_object_get(m, "cvssData"), "vectorString");
			keep(type && strcmp(type, "Primary") == 0 ? &nvd : &cna, vector);
		}
	}
	struct bw_buf refs;
	bw_buf_init(&refs, VDB_MAX_REFS * (VDB_MAX_URL + 1));
	size_t n_refs = 0;
	add_refs(&refs, &n_refs, json_object_get(cve, "references"));
	int rc = store(db, id, "nvd", modified, rejected, &cna, &nvd, &refs, st, err);
	bw_buf_release(&refs);
	return rc;
}

static void cve5_container(json_t *c, struct vdb_vectors *k, struct bw_buf *refs, size_t *n_refs)
{
	static const char *const kinds[] = {"cvssV4_0", "cvssV3_1", "cvssV3_0", "cvssV2_0"};
	json_t *metrics = json_object_get(c, "metrics"), *m;
	size_t i;
	if (json_is_array(metrics))
		json_array_foreach(metrics, i, m) for (size_t j = 0; j < BW_ARRAY_SIZE(kinds); j++)
		    keep(k, jstr(json_object_get(m, kinds[j]), "vectorString"));
	add_refs(refs, n_refs, json_object_get(c, "references"));
}

int vdb_cve5_record(struct bw_vulndb *db, json_t *rec, const char *name, struct bw_vulndb_import_stats *st,
		    struct bw_error *err)
{
	json_t *meta = json_object_get(rec, "cveMetadata");
	json_t *idv = json_object_get(meta, "cveId");
	const char *id = json_string_value(idv);
	if (!id || !vdb_cve_ok(id, json_string_length(idv)))
		return bw_error_set(err, BW_EINPUT, "%s: a CVE record without a usable cveMetadata.cveId",
				    name);
	const char *state = jstr(meta, "state");
	const char *modified = jstr(meta, "dateUpdated");
	if (!modified)
		modified = jstr(meta, "datePublished");
	if (modified && !date_ok(modified))
		modified = NULL;
	struct vdb_vectors cna = {0}, none = {0};
	struct bw_buf refs;
	bw_buf_init(&refs, VDB_MAX_REFS * (VDB_MAX_URL + 1));
	size_t n_refs = 0;
	json_t *containers = json_object_get(rec, "containers");
	cve5_container(json_object_get(containers, "cna"), &cna, &refs, &n_refs);
	json_t *adp = json_object_get(containers, "adp"), *a;
	size_t i;
	if (json_is_array(adp))
		json_array_foreach(adp, i, a) cve5_container(a, &cna, &refs, &n_refs);
	int rc = store(db, id, "cvelist", modified, state && strcmp(state, "REJECTED") == 0, &cna, &none,
		       &refs, st, err);
	bw_buf_release(&refs);
	return rc;
}

/* ---- the NVD document, split as it streams by ---- */

bool vdb_nvd_sniff(const char *p, size_t n)
{
	/* NVD puts these keys first: the answer's paging, then its format */
	size_t k = n < 1024 ? n : 1024;
	size_t i = 0;
	while (i < k && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
		i++;
	if (i == k || p[i] != '{')
		return false;
	return memmem(p, k, "\"NVD_CVE\"", 9) || memmem(p, k, "\"resultsPerPage\"", 16);
}

struct vdb_nvd_stream {
	struct bw_vulndb *db;
	char *name;
	struct bw_vulndb_import_stats *st;
	int depth;
	bool in_str, esc, started, done, bad;
	/* the top object: its keys and the two string values kept */
	bool expect_key, in_key, after_colon, cap_value, cap_scalar;
	char key[24], cur_key[24], val[MAX_DATE];
	size_t key_len, val_len;
	char timestamp[MAX_DATE];
	long long total;
	/* "vulnerabilities": [ … ] and the element being gathered */
	bool in_array, in_elem, elem_too_big;
	struct bw_buf elem;
	size_t elements;
};

struct vdb_nvd_stream *vdb_nvd_stream_new(struct bw_vulndb *db, const char *name,
					  struct bw_vulndb_import_stats *st)
{
	struct vdb_nvd_stream *s = bw_calloc(1, sizeof(*s));
	s->db = db;
	s->name = bw_strdup(name);
	s->st = st;
	s->total = -1;
	bw_buf_init(&s->elem, VDB_MAX_ELEMENT);
	return s;
}

void vdb_nvd_stream_free(struct vdb_nvd_stream *s)
{
	if (!s)
		return;
	bw_buf_release(&s->elem);
	free(s->name);
	free(s);
}

static int element(struct vdb_nvd_stream *s, struct bw_error *err)
{
	struct bw_vulndb_import_stats *st = s->st;
	s->elements++;
	if (s->elem_too_big) {
		st->skipped++;
		vdb_sample(st, "%s: element %zu larger than %u MB, skipped", s->name, s->elements,
			   VDB_MAX_ELEMENT >> 20);
		return 0;
	}
	json_error_t jerr;
	bool too_big = false;
	json_t *e = bw_json_loadb(s->elem.data, s->elem.len, 0, BW_JSON_TREE_MAX, &jerr, &too_big);
	json_t *cve = json_object_get(e, "cve");
	struct bw_error perr = BW_ERROR_INIT;
	int rc = 0;
	if (too_big) {
		st->skipped++;
		vdb_sample(st, "%s: element %zu takes more than %zu MiB once parsed, skipped", s->name,
			   s->elements, BW_JSON_TREE_MAX >> 20);
	} else if (!cve) {
		st->skipped++;
		vdb_sample(st, "%s: element %zu is not {\"cve\": {...}}", s->name, s->elements);
	} else if ((rc = vdb_nvd_cve(s->db, cve, s->name, st, &perr)) < 0) {
		if (perr.code == BW_EINPUT) {
			st->skipped++;
			vdb_sample(st, "%s", perr.msg);
			rc = 0;
		} else {
			*err = perr;
		}
	}
	json_decref(e);
	return rc;
}

static void top_value_done(struct vdb_nvd_stream *s)
{
	s->val[s->val_len] = '\0';
	if (s->cap_scalar) {
		s->cap_scalar = false;
		char *end;
		long long v = strtoll(s->val, &end, 10);
		if (strcmp(s->cur_key, "totalResults") == 0 && end != s->val && !*end && v >= 0)
			s->total = v;
		return;
	}
	if (strcmp(s->cur_key, "timestamp") == 0 && date_ok(s->val))
		snprintf(s->timestamp, sizeof(s->timestamp), "%s", s->val);
	else if (strcmp(s->cur_key, "format") == 0 && strcmp(s->val, "NVD_CVE") != 0)
		s->bad = true;
}

int vdb_nvd_stream_feed(struct vdb_nvd_stream *s, const char *data, size_t len, struct bw_error *err)
{
	size_t from = 0; /* where the element's bytes start in this chunk */
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (s->done) {
			if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
				s->bad = true;
			continue;
		}
		if (s->in_str) {
			if (s->esc) {
				s->esc = false;
			} else if (c == '\\') {
				s->esc = true;
			} else if (c == '"') {
				s->in_str = false;
				if (s->in_key) {
					s->in_key = false;
					s->key[s->key_len < sizeof(s->key) ? s->key_len : 0] = '\0';
				} else if (s->cap_value) {
					s->cap_value = false;
					top_value_done(s);
				}
			} else if (s->in_key) {
				if (s->key_len + 1 < sizeof(s->key))
					s->key[s->key_len++] = c;
				else
					s->key_len = sizeof(s->key); /* too long: no key we want */
			} else if (s->cap_value && s->val_len + 1 < sizeof(s->val)) {
				s->val[s->val_len++] = c;
			}
			continue;
		}
		if (s->cap_scalar &&
		    (c == ',' || c == '}' || c == ' ' || c == '\n' || c == '\r' || c == '\t'))
			top_value_done(s);
		switch (c) {
		case '"':
			s->in_str = true;
			if (s->depth == 1 && s->expect_key) {
				s->in_key = true;
				s->expect_key = false;
				s->key_len = 0;
			} else if (s->depth == 1 && s->after_colon) {
				s->after_colon = false;
				s->cap_value = true;
				s->val_len = 0;
			}
			break;
		case '{':
		case '[':
			if (s->depth == 0) {
				if (c != '{' || s->started)
					return bw_error_set(err, BW_EINPUT,
							    "%s: not an NVD document (an object)", s->name);
				s->started = true;
				s->expect_key = true;
			} else if (s->depth == 1 && s->after_colon) {
				s->after_colon = false;
				s->in_array = c == '[' && strcmp(s->cur_key, "vulnerabilities") == 0;
			} else if (s->depth == 2 && s->in_array && c == '{') {
				s->in_elem = true;
				s->elem_too_big = false;
				bw_buf_reset(&s->elem);
				from = i;
			}
			if (++s->depth > 512)
				return bw_error_set(err, BW_ELIMIT, "%s: nested deeper than 512", s->name);
			break;
		case '}':
		case ']':
			if (s->depth == 0)
				return bw_error_set(err, BW_EINPUT, "%s: unbalanced '%c'", s->name, c);
			s->depth--;
			if (s->depth == 2 && s->in_elem) {
				s->in_elem = false;
				if (!s->elem_too_big && bw_buf_add(&s->elem, data + from, i + 1 - from) < 0)
					s->elem_too_big = true;
				int rc = element(s, err);
				if (rc < 0)
					return rc;
			} else if (s->depth == 1 && s->in_array) {
				s->in_array = false;
			} else if (s->depth == 0) {
				s->done = true;
			}
			break;
		case ':':
			if (s->depth == 1) {
				s->after_colon = true;
				memcpy(s->cur_key, s->key, sizeof(s->key));
			}
			break;
		case ',':
			if (s->depth == 1)
				s->expect_key = true;
			break;
		case ' ':
		case '\n':
		case '\r':
		case '\t':
			break;
		default:
			if (s->depth == 0)
				return bw_error_set(err, BW_EINPUT, "%s: not an NVD document (an object)",
						    s->name);
			if (s->depth == 1 && s->after_colon) {
				/* a number or literal value */
				s->after_colon = false;
				s->cap_scalar = true;
				s->val_len = 0;
			}
			if (s->cap_scalar && s->val_len + 1 < sizeof(s->val))
				s->val[s->val_len++] = c;
			break;
		}
	}
	if (s->in_elem && !s->elem_too_big && bw_buf_add(&s->elem, data + from, len - from) < 0)
		s->elem_too_big = true;
	return 0;
}

int vdb_nvd_stream_end(struct vdb_nvd_stream *s, char timestamp[40], struct bw_error *err)
{
	if (timestamp)
		snprintf(timestamp, MAX_DATE, "%s", s->timestamp);
	if (s->db && s->timestamp[0])
		vdb_touch(s->db, "nvd", s->timestamp);
	if (!s->done)
		return bw_error_set(err, BW_EINPUT, "%s: NVD document cut short after %zu entries", s->name,
				    s->elements);
	if (s->bad)
		return bw_error_set(err, BW_EINPUT, "%s: not an NVD CVE document (format is not NVD_CVE)",
				    s->name);
	return 0;
}

long long vdb_nvd_stream_total(const struct vdb_nvd_stream *s)
{
	return s->total;
}

size_t vdb_nvd_stream_entries(const struct vdb_nvd_stream *s)
{
	return s->elements;
}
