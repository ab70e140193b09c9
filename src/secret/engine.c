/* The rule set compiled once per run, and the streaming scanner.
 *
 * Two Vectorscan streaming databases: one for the rules that apply to every
 * file, one for the rules scoped to some paths (.pgpass, .git-credentials),
 * opened only for files whose path matches. A pattern's id is its rule's
 * index, so a rule with several keywords has several patterns of one id.
 * A rule with keywords contributes each as a literal (caseless when the
 * rule's regex starts with "(?i)"); a rule without keywords contributes its
 * regex in HS_FLAG_PREFILTER mode (a superset of its matches).
 *
 * Candidates are (rule, end offset of the Vectorscan match). The scanner
 * keeps a window of recent text; a candidate is confirmed once the window
 * holds `after` bytes past it (or the file ended): the rule's PCRE2 regex
 * runs on the candidate's region — from the start of its line (at most
 * BACK bytes before) to the end of its line (at most `after` bytes past the
 * hit), or for multi-line rules (`window`) to `window` bytes past the hit.
 * Per rule, `covered` remembers how far regions were fully searched so the
 * thousands of hits of one long line are confirmed once, and `last_end`
 * drops a match seen by two regions. Generic rules are confirmed last and
 * give way to a specific rule that already reported overlapping bytes.
 */
#include <fnmatch.h>
#include <math.h>

#include "secret-int.h"

#define BACK 1024u	     /* bytes before a hit a line may start */
#define LINE_AFTER 1024u     /* bytes after a hit a one-line match may reach */
#define LOOKBEHIND 64u	     /* context given to PCRE2 before a region */
#define SNIFF 8192u	     /* bytes looked at to tell binary files */
#define TRIM_AT (512u << 10) /* window size that triggers trimming */
#define MAX_EMITTED 256
#define DEFAULT_MAX_FILE (64ull << 20)

struct rule {
	struct bw_secret_rule_def d;
	pcre2_code *re, *allow;
	uint32_t group; /* capture group of the secret; 0 = whole match */
	unsigned after; /* window, or LINE_AFTER */
	char **paths;	/* NULL: every file */
	size_t n_paths;
	bool custom;
};

struct bw_secret_rules {
	struct rule *rules;
	size_t n;
	hs_database_t *db_all, *db_path;
	pcre2_code *global_allow;
	pcre2_code **user_allow;
	size_t n_user_allow;
	struct bw_secret_config cfg; /* owns custom rules' strings, allow paths */
	uint64_t max_file_size;
	bool scan_binary;
	unsigned max_after; /* the largest `after` of any rule */
};

struct cand {
	uint32_t rule;
	uint64_t end;
};

struct span {
	uint64_t s, e;
};

struct bw_secret_scanner {
	const struct bw_secret_rules *r;
	hs_scratch_t *scratch;
	hs_stream_t *st_all, *st_path;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	/* the window: bytes [win_start, win_start + win_len) of the file */
	char *win;
	size_t win_len, win_cap;
	uint64_t win_start;
	uint64_t line_base; /* line number at win_start */
	uint64_t col_base;  /* bytes between the last newline and win_start */
	uint64_t total;	    /* bytes of the file seen so far */
	struct cand *cands;
	size_t n_cands, cap_cands;
	uint64_t *covered, *last_end;
	bool *active; /* per rule: applies to this file */
	bool use_path;
	struct span emitted[MAX_EMITTED];
	size_t n_emitted;
	bool binary, sniffed, in_file;
	const char *path;
};

/* ---- helpers ------------------------------------------------------------- */

double bw_secret_entropy(const char *s, size_t n)
{
	if (!n)
		return 0;
	size_t count[256] = {0};
	for (size_t i = 0; i < n; i++)
		count[(unsigned char)s[i]]++;
	double h = 0;
	for (size_t i = 0; i < 256; i++) {
		if (!count[i])
			continue;
		double p = (double)count[i] / (double)n;
		h -= p * log2(p);
	}
	return h;
}

void bw_secret_mask(const char *s, size_t n, char *out, size_t outlen)
{
	if (!outlen)
		return;
	size_t show = n >= 12 ? 4 : n / 3;
	size_t total = n > 32 ? 32 : n;
	size_t o = 0;
	for (size_t i = 0; i < total && o + 1 < outlen; i++) {
		unsigned char c = (unsigned char)s[i];
		out[o++] = i < show ? (c >= 0x20 && c < 0x7f ? (char)c : '?') : '*';
	}
	out[o] = '\0';
}

static int b64val(unsigned char c)
{
	if (bw_isupper(c))
		return c - 'A';
	if (bw_islower(c))
		return c - 'a' + 26;
	if (bw_isdigit(c))
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* True when s base64-decodes to printable "user:password". */
static bool b64_userpass(const char *s, size_t n)
{
	unsigned char out[768];
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n && s[i] != '='; i++) {
		int v = b64val((unsigned char)s[i]);
		if (v < 0)
			return false;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == sizeof(out))
				return false;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	size_t colon = 0;
	bool seen = false;
	for (size_t i = 0; i < o; i++) {
		if (out[i] < 0x20 || out[i] >= 0x7f)
			return false;
		if (out[i] == ':' && !seen) {
			seen = true;
			colon = i;
		}
	}
	bool ok = seen && colon > 0 && colon + 1 < o;
	explicit_bzero(out, sizeof(out));
	return ok;
}

static char **split_bar(const char *s, size_t *n)
{
	*n = 0;
	if (!s || !*s)
		return NULL;
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == '|';
	char **v = bw_calloc(cap, sizeof(char *));
	const char *p = s;
	for (;;) {
		const char *e = strchr(p, '|');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len)
			v[(*n)++] = bw_strndup(p, len);
		if (!e)
			break;
		p = e + 1;
	}
	return v;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int compile_pcre(const char *what, const char *id, const char *re, pcre2_code **out,
			const char *cfgname, struct bw_error *err)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &ec, &off, NULL);
	if (!c) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof(msg));
		return bw_error_set(err, BW_EUSAGE, "%s%srule '%s': invalid %s at offset %zu: %s",
				    cfgname ? cfgname : "", cfgname ? ": " : "", id, what, (size_t)off, msg);
	}
	uint32_t caps = 0;
	pcre2_pattern_info(c, PCRE2_INFO_CAPTURECOUNT, &caps);
	if (caps > 30) {
		pcre2_code_free(c);
		return bw_error_set(err, BW_EUSAGE, "%s%srule '%s': %s has more than 30 groups",
				    cfgname ? cfgname : "", cfgname ? ": " : "", id, what);
	}
	pcre2_jit_compile(c, PCRE2_JIT_COMPLETE); /* best effort: the interpreter works too */
	*out = c;
	return 0;
}

static bool regex_caseless(const char *re)
{
	return strncmp(re, "(?i)", 4) == 0;
}

/* ---- compilation --------------------------------------------------------- */

struct pats {
	char **expr;
	unsigned *flags, *ids;
	size_t n, cap_expr, cap_flags, cap_ids;
};

static void pats_add(struct pats *p, char *expr, unsigned flags, unsigned id)
{
	BW_ALLOC_GROW(p->expr, p->n + 1, p->cap_expr);
	BW_ALLOC_GROW(p->flags, p->n + 1, p->cap_flags);
	BW_ALLOC_GROW(p->ids, p->n + 1, p->cap_ids);
	p->expr[p->n] = expr;
	p->flags[p->n] = flags;
	p->ids[p->n] = id;
	p->n++;
}

static void pats_release(struct pats *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->expr[i]);
	free(p->expr);
	free(p->flags);
	free(p->ids);
}

static char *literal_expr(const char *s, size_t n)
{
	char *e = bw_malloc(n * 4 + 1);
	for (size_t i = 0; i < n; i++)
		snprintf(e + i * 4, 5, "\\x%02x", (unsigned char)s[i]);
	e[n * 4] = '\0';
	return e;
}

/* The Vectorscan expression of a rule without keywords: its regex, less a
 * leading multi-line "^". Vectorscan 5.4.9 (Debian 12) misses some matches
 * of "(?m)^…" when a block of data holds a long earlier line of the right
 * shape, yet finds them when the same bytes come in smaller pieces (found
 * by fuzzing, whole vs streamed; tests/unit/secret/cases/files.cases keeps
 * the shapes). The anchor adds nothing to a prefilter: without it the
 * expression matches a superset ending at the same offsets, and the PCRE2
 * confirmation still demands the line start. */
static char *prefilter_expr(const char *re)
{
	if (strncmp(re, "(?m)^", 5) == 0)
		return bw_asprintf("(?m)%s", re + 5);
	return bw_strdup(re);
}

static void add_rule_patterns(struct pats *p, const struct rule *r, unsigned id)
{
	if (r->d.keywords && *r->d.keywords) {
		unsigned fl = regex_caseless(r->d.regex) ? HS_FLAG_CASELESS : 0;
		const char *k = r->d.keywords;
		for (;;) {
			const char *e = strchr(k, '|');
			size_t len = e ? (size_t)(e - k) : strlen(k);
			if (len)
				pats_add(p, literal_expr(k, len), fl, id);
			if (!e)
				break;
			k = e + 1;
		}
	} else {
		pats_add(p, prefilter_expr(r->d.regex), HS_FLAG_PREFILTER, id);
	}
}

/* The key of a compiled database in a store: what decides its bytes (every
 * expression with its flags and id, the mode) and what decides whether
 * those bytes run here (Vectorscan's version, this CPU's tuning and
 * features, which hs_deserialize_database() checks again). */
static void db_key(const struct pats *p, char *key, size_t len)
{
	hs_platform_info_t plat = {0};
	hs_populate_platform(&plat);
	struct bw_sha256 *h = bw_sha256_new();
	char head[160];
	int n = snprintf(head, sizeof(head), "bulwark secret db 1\n%s\n%u %llu %u\n", hs_version(), plat.tune,
			 (unsigned long long)plat.cpu_features, (unsigned)HS_MODE_STREAM);
	bw_sha256_update(h, head, (size_t)n);
	for (size_t i = 0; i < p->n; i++) {
		char num[32];
		n = snprintf(num, sizeof(num), "\n%u %u ", p->flags[i], p->ids[i]);
		bw_sha256_update(h, num, (size_t)n);
		bw_sha256_update(h, p->expr[i], strlen(p->expr[i]) + 1);
	}
	char dg[BW_DIGEST_STR_MAX];
	bw_sha256_final_str(h, dg);
	bw_sha256_free(h);
	snprintf(key, len, "%s/secret-db:1", dg); /* "cache info" counts it as secret-db:1 */
}

/* A database from the store, or NULL: a miss, or bytes Vectorscan refuses
 * (another version or CPU, a damaged record) — then it is compiled. */
static hs_database_t *db_load(const struct bw_layer_cache *store, const char *key)
{
	struct bw_buf b;
	bw_buf_init(&b, BW_IMAGE_CACHE_MAX_RECORD);
	bool hit = false;
	hs_database_t *db = NULL;
	if (store->get(store->ud, key, &b, &hit) == 0 && hit && b.len &&
	    hs_deserialize_database(b.data, b.len, &db) != HS_SUCCESS)
		db = NULL;
	bw_buf_release(&b);
	return db;
}

static void db_save(const struct bw_layer_cache *store, const char *key, const hs_database_t *db)
{
	char *bytes = NULL;
	size_t len = 0;
	if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS)
		return;
	if (len <= BW_IMAGE_CACHE_MAX_RECORD)
		store->put(store->ud, key, bytes, len); /* a store that fails costs the next run time only */
	free(bytes);
}

static int build_db(struct bw_secret_rules *rs, struct pats *p, hs_database_t **db, const char *cfgname,
		    const struct bw_layer_cache *store, struct bw_error *err)
{
	if (!p->n)
		return 0;
	char key[BW_DIGEST_STR_MAX + 16];
	if (store) {
		db_key(p, key, sizeof(key));
		if ((*db = db_load(store, key)))
			return 0;
	}
	hs_compile_error_t *ce = NULL;
	if (hs_compile_multi((const char *const *)p->expr, p->flags, p->ids, (unsigned)p->n, HS_MODE_STREAM,
			     NULL, db, &ce) != HS_SUCCESS) {
		int rc;
		if (ce && ce->expression >= 0 && (size_t)ce->expression < p->n) {
			const struct rule *r = &rs->rules[p->ids[ce->expression]];
			rc = bw_error_set(
			    err, r->custom ? BW_EUSAGE : BW_EUNSUPPORTED,
			    "%s%srule '%s': Vectorscan cannot compile %s: %s (give the rule keywords)",
			    cfgname && r->custom ? cfgname : "", cfgname && r->custom ? ": " : "", r->d.id,
			    r->d.keywords ? "its keywords" : "its regex", ce->message);
		} else {
			rc = bw_error_set(err, BW_EUNSUPPORTED, "Vectorscan: %s",
					  ce ? ce->message : "compile failed");
		}
		hs_free_compile_error(ce);
		return rc;
	}
	if (store)
		db_save(store, key, *db);
	return 0;
}

static const struct bw_secret_rule_def *const builtin_families[] = {
    bw_secret_rules_cloud, bw_secret_rules_vcs,	 bw_secret_rules_saas,	bw_secret_rules_ai,
    bw_secret_rules_apis,  bw_secret_rules_keys, bw_secret_rules_files, bw_secret_rules_generic,
};

static bool disabled(const struct bw_secret_config *c, const char *id)
{
	for (size_t i = 0; i < c->n_disabled; i++)
		if (strcmp(c->disabled[i], id) == 0)
			return true;
	return false;
}

static int add_rule(struct bw_secret_rules *rs, const struct bw_secret_rule_def *d, bool custom,
		    const char *cfgname, struct bw_error *err)
{
	struct rule *r = &rs->rules[rs->n];
	memset(r, 0, sizeof(*r));
	r->d = *d;
	r->custom = custom;
	int rc = compile_pcre("regex", d->id, d->regex, &r->re, custom ? cfgname : NULL, err);
	if (rc < 0)
		return rc;
	rs->n++; /* from here on, free() releases it */
	if (d->allow && *d->allow) {
		rc = compile_pcre("allow regex", d->id, d->allow, &r->allow, custom ? cfgname : NULL, err);
		if (rc < 0)
			return rc;
	}
	int g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "secret");
	uint32_t caps = 0;
	pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &caps);
	r->group = g > 0 ? (uint32_t)g : caps ? 1 : 0;
	r->after = d->window ? d->window : LINE_AFTER;
	if (r->after > rs->max_after)
		rs->max_after = r->after;
	r->paths = split_bar(d->paths, &r->n_paths);
	return 0;
}

static int rules_build(struct bw_secret_rules *rs, const char *cfgname, const struct bw_layer_cache *store,
		       struct bw_error *err)
{
	struct bw_secret_config *c = &rs->cfg;
	size_t total = c->n_rules;
	for (size_t f = 0; f < BW_ARRAY_SIZE(builtin_families); f++)
		for (const struct bw_secret_rule_def *d = builtin_families[f]; d->id; d++)
			total++;
	rs->rules = bw_calloc(total ? total : 1, sizeof(struct rule));
	int rc;
	for (size_t i = 0; i < c->n_rules; i++)
		if ((rc = add_rule(rs, &c->rules[i], true, cfgname, err)) < 0)
			return rc;
	for (size_t f = 0; f < BW_ARRAY_SIZE(builtin_families); f++)
		for (const struct bw_secret_rule_def *d = builtin_families[f]; d->id; d++)
			if (!disabled(c, d->id) && (rc = add_rule(rs, d, false, cfgname, err)) < 0)
				return rc;
	for (size_t i = 0; i < c->n_disabled; i++) {
		bool known = false;
		for (size_t k = 0; k < rs->n && !known; k++)
			known = strcmp(rs->rules[k].d.id, c->disabled[i]) == 0;
		for (size_t f = 0; f < BW_ARRAY_SIZE(builtin_families) && !known; f++)
			for (const struct bw_secret_rule_def *d = builtin_families[f]; d->id && !known; d++)
				known = strcmp(d->id, c->disabled[i]) == 0;
		if (!known)
			return bw_error_set(err, BW_EUSAGE, "%s: disable-rules: no rule '%s'", cfgname,
					    c->disabled[i]);
	}
	rc = compile_pcre("allow regex", "(global)", bw_secret_global_allow, &rs->global_allow, NULL, err);
	if (rc < 0)
		return rc;
	rs->user_allow = bw_calloc(c->n_allow_regexes ? c->n_allow_regexes : 1, sizeof(pcre2_code *));
	for (size_t i = 0; i < c->n_allow_regexes; i++) {
		rc = compile_pcre("allow regex", "allow", c->allow_regexes[i], &rs->user_allow[i], cfgname,
				  err);
		if (rc < 0)
			return rc;
		rs->n_user_allow++;
	}
	rs->max_file_size = c->max_file_size ? c->max_file_size : DEFAULT_MAX_FILE;
	rs->scan_binary = c->scan_binary > 0;

	struct pats all = {0}, path = {0};
	for (size_t i = 0; i < rs->n; i++)
		add_rule_patterns(rs->rules[i].paths ? &path : &all, &rs->rules[i], (unsigned)i);
	rc = build_db(rs, &all, &rs->db_all, cfgname, store, err);
	if (rc == 0)
		rc = build_db(rs, &path, &rs->db_path, cfgname, store, err);
	pats_release(&all);
	pats_release(&path);
	return rc;
}

static int rules_new(const char *name, const char *yaml, size_t len, const struct bw_layer_cache *store,
		     struct bw_secret_rules **out, struct bw_error *err)
{
	struct bw_secret_rules *rs = bw_calloc(1, sizeof(*rs));
	bw_arena_init(&rs->cfg.arena);
	rs->cfg.scan_binary = -1;
	int rc = 0;
	if (yaml)
		rc = bw_secret_config_parse(name, yaml, len, &rs->cfg, err);
	if (rc == 0)
		rc = rules_build(rs, name, store, err);
	if (rc < 0) {
		bw_secret_rules_free(rs);
		return rc;
	}
	*out = rs;
	return 0;
}

int bw_secret_rules_new_from_buffer(const char *name, const char *yaml, size_t len,
				    struct bw_secret_rules **out, struct bw_error *err)
{
	return rules_new(name ? name : "secret config", yaml, len, NULL, out, err);
}

int bw_secret_rules_new(const char *config_path, const struct bw_layer_cache *store,
			struct bw_secret_rules **out, struct bw_error *err)
{
	if (!config_path)
		return rules_new(NULL, NULL, 0, store, out, err);
	struct bw_buf b;
	bw_buf_init(&b, 4u << 20);
	int rc = bw_buf_read_file(&b, config_path, err);
	if (rc < 0) {
		bw_buf_release(&b);
		bw_error_prefix(err, "--secret-config: ");
		return err->code = BW_EUSAGE;
	}
	rc = rules_new(config_path, b.data ? b.data : "", b.len, store, out, err);
	bw_buf_release(&b);
	return rc;
}

void bw_secret_rules_free(struct bw_secret_rules *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++) {
		pcre2_code_free(rs->rules[i].re);
		pcre2_code_free(rs->rules[i].allow);
		free_strv(rs->rules[i].paths, rs->rules[i].n_paths);
	}
	free(rs->rules);
	for (size_t i = 0; i < rs->n_user_allow; i++)
		pcre2_code_free(rs->user_allow[i]);
	free(rs->user_allow);
	pcre2_code_free(rs->global_allow);
	hs_free_database(rs->db_all);
	hs_free_database(rs->db_path);
	bw_secret_config_release(&rs->cfg);
	free(rs);
}

size_t bw_secret_rules_count(const struct bw_secret_rules *r)
{
	return r->n;
}

void bw_secret_rules_get(const struct bw_secret_rules *r, size_t i, struct bw_secret_rule_info *out)
{
	const struct rule *x = &r->rules[i];
	*out = (struct bw_secret_rule_info){x->d.id,	   x->d.title, x->d.severity,
					    x->d.keywords, x->d.regex, x->custom};
}

uint64_t bw_secret_rules_max_file_size(const struct bw_secret_rules *r)
{
	return r->max_file_size;
}

bool bw_secret_rules_scan_binary(const struct bw_secret_rules *r)
{
	return r->scan_binary;
}

bool bw_secret_path_allowed(const struct bw_secret_rules *r, const char *path)
{
	if (!path)
		return false;
	for (size_t i = 0; i < r->cfg.n_allow_paths; i++)
		if (fnmatch(r->cfg.allow_paths[i], path, 0) == 0)
			return true;
	return false;
}

/* ---- scanner ------------------------------------------------------------- */

struct bw_secret_scanner *bw_secret_scanner_new(const struct bw_secret_rules *r)
{
	struct bw_secret_scanner *s = bw_calloc(1, sizeof(*s));
	s->r = r;
	if (r->db_all && hs_alloc_scratch(r->db_all, &s->scratch) != HS_SUCCESS)
		BW_BUG("hs_alloc_scratch failed");
	if (r->db_path && hs_alloc_scratch(r->db_path, &s->scratch) != HS_SUCCESS)
		BW_BUG("hs_alloc_scratch failed");
	if (r->db_all && hs_open_stream(r->db_all, 0, &s->st_all) != HS_SUCCESS)
		BW_BUG("hs_open_stream failed");
	if (r->db_path && hs_open_stream(r->db_path, 0, &s->st_path) != HS_SUCCESS)
		BW_BUG("hs_open_stream failed");
	s->md = pcre2_match_data_create(32, NULL);
	s->mctx = pcre2_match_context_create(NULL);
	s->jit = pcre2_jit_stack_create(32u << 10, 1u << 20, NULL);
	pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
	pcre2_set_match_limit(s->mctx, 2000000);
	pcre2_set_depth_limit(s->mctx, 10000);
	size_t n = r->n ? r->n : 1;
	s->covered = bw_calloc(n, sizeof(uint64_t));
	s->last_end = bw_calloc(n, sizeof(uint64_t));
	s->active = bw_calloc(n, sizeof(bool));
	return s;
}

void bw_secret_scanner_free(struct bw_secret_scanner *s)
{
	if (!s)
		return;
	if (s->st_all)
		hs_close_stream(s->st_all, NULL, NULL, NULL);
	if (s->st_path)
		hs_close_stream(s->st_path, NULL, NULL, NULL);
	hs_free_scratch(s->scratch);
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	pcre2_jit_stack_free(s->jit);
	if (s->win)
		explicit_bzero(s->win, s->win_cap);
	free(s->win);
	free(s->cands);
	free(s->covered);
	free(s->last_end);
	free(s->active);
	free(s);
}

int bw_secret_scan_begin(struct bw_secret_scanner *s, const char *path, struct bw_error *err)
{
	const struct bw_secret_rules *r = s->r;
	s->win_len = 0;
	s->win_start = 0;
	s->line_base = 1;
	s->col_base = 0;
	s->total = 0;
	s->n_cands = 0;
	s->n_emitted = 0;
	s->binary = s->sniffed = false;
	s->in_file = true;
	s->path = path;
	s->use_path = false;
	memset(s->covered, 0, r->n * sizeof(uint64_t));
	memset(s->last_end, 0, r->n * sizeof(uint64_t));
	for (size_t i = 0; i < r->n; i++) {
		const struct rule *x = &r->rules[i];
		bool on = !x->paths;
		for (size_t k = 0; k < x->n_paths && !on && path; k++)
			on = fnmatch(x->paths[k], path, 0) == 0;
		s->active[i] = on;
		if (on && x->paths)
			s->use_path = true;
	}
	(void)err;
	return 0;
}

static int on_hs_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
	(void)from;
	(void)flags;
	struct bw_secret_scanner *s = ctx;
	if (!s->active[id])
		return 0;
	/* one candidate per rule and line position is enough */
	if (s->n_cands && s->cands[s->n_cands - 1].rule == id && s->cands[s->n_cands - 1].end == to)
		return 0;
	BW_ALLOC_GROW(s->cands, s->n_cands + 1, s->cap_cands);
	s->cands[s->n_cands++] = (struct cand){id, to};
	return 0;
}

static void position(const struct bw_secret_scanner *s, uint64_t off, int *line, int *col)
{
	const char *base = s->win;
	size_t rel = (size_t)(off - s->win_start);
	uint64_t nl = 0;
	const char *last = NULL;
	const char *p = base, *end = base + rel;
	while (p < end) {
		const char *q = memchr(p, '\n', (size_t)(end - p));
		if (!q)
			break;
		nl++;
		last = q;
		p = q + 1;
	}
	uint64_t l = s->line_base + nl;
	uint64_t c = last ? (uint64_t)(end - last) : s->col_base + rel + 1;
	*line = l > INT32_MAX ? INT32_MAX : (int)l;
	*col = c > INT32_MAX ? INT32_MAX : (int)c;
}

static bool overlaps_emitted(const struct bw_secret_scanner *s, uint64_t a, uint64_t b)
{
	for (size_t i = 0; i < s->n_emitted && i < MAX_EMITTED; i++)
		if (a < s->emitted[i].e && s->emitted[i].s < b)
			return true;
	return false;
}

static bool pcre_hit(pcre2_code *re, const char *p, size_t n, pcre2_match_data *md, pcre2_match_context *mc)
{
	return pcre2_match(re, (PCRE2_SPTR)p, n, 0, 0, md, mc) >= 0;
}

static bool allowed(struct bw_secret_scanner *s, const struct rule *x, const char *p, size_t n)
{
	const struct bw_secret_rules *r = s->r;
	/* a separate match data: s->md still holds the rule's match */
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	bool a = false;
	if (x->d.entropy > 0 && bw_secret_entropy(p, n) < x->d.entropy)
		a = true;
	if (!a && (x->d.flags & BW_SR_B64_USERPASS) && !b64_userpass(p, n))
		a = true;
	if (!a && !(x->d.flags & BW_SR_NO_GLOBAL_ALLOW) && pcre_hit(r->global_allow, p, n, md, s->mctx))
		a = true;
	if (!a && x->allow && pcre_hit(x->allow, p, n, md, s->mctx))
		a = true;
	for (size_t i = 0; !a && i < r->n_user_allow; i++)
		a = pcre_hit(r->user_allow[i], p, n, md, s->mctx);
	pcre2_match_data_free(md);
	return a;
}

/* Leading whitespace and "\n" escapes are not part of a shown secret. */
static void trim_secret(const char **p, size_t *n)
{
	while (*n) {
		if (bw_isspace(**p)) {
			(*p)++;
			(*n)--;
		} else if (*n >= 2 && (*p)[0] == '\\' && ((*p)[1] == 'n' || (*p)[1] == 'r')) {
			*p += 2;
			*n -= 2;
		} else {
			break;
		}
	}
}

static int confirm(struct bw_secret_scanner *s, const struct cand *c, bool final, bw_secret_match_fn cb,
		   void *ud)
{
	const struct bw_secret_rules *r = s->r;
	const struct rule *x = &r->rules[c->rule];
	uint64_t wend = s->win_start + s->win_len;
	if (c->end <= s->covered[c->rule] || c->end > wend)
		return 0;
	/* region start: the start of the hit's line, at most BACK bytes before */
	uint64_t lo = c->end > BACK ? c->end - BACK : 0;
	if (lo < s->win_start)
		lo = s->win_start;
	uint64_t rs = lo;
	size_t span = (size_t)(c->end - lo);
	if (span) {
		const char *b = s->win + (lo - s->win_start);
		const char *q = memrchr(b, '\n', span);
		if (q)
			rs = lo + (uint64_t)(q - b) + 1;
	}
	if (rs > c->end)
		rs = c->end;
	/* region end */
	uint64_t hi = c->end + x->after;
	if (hi > wend)
		hi = wend;
	bool whole_line = false;
	if (x->d.window == 0) {
		const char *b = s->win + (c->end - s->win_start);
		const char *q = memchr(b, '\n', (size_t)(hi - c->end));
		if (q) {
			hi = c->end + (uint64_t)(q - b);
			whole_line = true;
		} else if (final && hi == wend) {
			whole_line = true;
		}
	} else if (final && hi == wend) {
		whole_line = true;
	}
	size_t lb = (size_t)(rs - s->win_start);
	if (lb > LOOKBEHIND)
		lb = LOOKBEHIND;
	const char *subj = s->win + (rs - s->win_start) - lb;
	size_t slen = (size_t)(hi - rs) + lb;
	PCRE2_SIZE start = lb;
	uint64_t found_end = c->end;
	/* The subject is a slice of the file: '^' and '$' may only match where
	 * the file really has a line start or end, whatever the chunking. */
	uint64_t subj_off = rs - lb;
	uint32_t opts = 0;
	if (subj_off == s->win_start ? s->col_base != 0 : s->win[subj_off - s->win_start - 1] != '\n')
		opts |= PCRE2_NOTBOL;
	if (!(final && hi == wend) && !(hi < wend && s->win[hi - s->win_start] == '\n'))
		opts |= PCRE2_NOTEOL;
	while (start <= slen) {
		int n = pcre2_match(x->re, (PCRE2_SPTR)subj, slen, start, opts, s->md, s->mctx);
		if (n < 0)
			break; /* no match, or a limit hit: nothing confirmed */
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
		PCRE2_SIZE ms = ov[0], me = ov[1];
		PCRE2_SIZE gs = ov[2 * x->group], ge = ov[2 * x->group + 1];
		start = me > ms ? me : ms + 1;
		if (gs == PCRE2_UNSET || ge <= gs)
			continue;
		const char *sp = subj + gs;
		size_t sn = ge - gs;
		trim_secret(&sp, &sn);
		if (!sn)
			continue;
		uint64_t abs_s = rs - lb + (uint64_t)(sp - subj), abs_e = abs_s + sn;
		if (abs_e > found_end)
			found_end = abs_e;
		if (abs_s < s->last_end[c->rule])
			continue;
		s->last_end[c->rule] = abs_e;
		if (overlaps_emitted(s, abs_s, abs_e) || allowed(s, x, sp, sn))
			continue;
		char masked[40];
		bw_secret_mask(sp, sn, masked, sizeof(masked));
		struct bw_secret_match m = {x->d.id, x->d.title, x->d.severity, 0, 0, abs_s, masked};
		position(s, abs_s, &m.line, &m.column);
		s->emitted[s->n_emitted++ % MAX_EMITTED] = (struct span){abs_s, abs_e};
		int rc = cb ? cb(ud, &m) : 0;
		if (rc)
			return rc;
	}
	s->covered[c->rule] = whole_line ? hi : found_end;
	return 0;
}

static int cand_cmp(const void *a, const void *b, void *ctx)
{
	const struct bw_secret_rules *r = ctx;
	const struct cand *x = a, *y = b;
	unsigned gx = r->rules[x->rule].d.flags & BW_SR_GENERIC,
		 gy = r->rules[y->rule].d.flags & BW_SR_GENERIC;
	if (gx != gy)
		return gx ? 1 : -1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

static int process(struct bw_secret_scanner *s, bool final, bw_secret_match_fn cb, void *ud)
{
	if (!s->n_cands)
		return 0;
	qsort_r(s->cands, s->n_cands, sizeof(struct cand), cand_cmp, (void *)s->r);
	uint64_t wend = s->win_start + s->win_len;
	size_t keep = 0;
	int rc = 0;
	for (size_t i = 0; i < s->n_cands; i++) {
		struct cand c = s->cands[i];
		const struct rule *x = &s->r->rules[c.rule];
		/* a generic rule waits until every specific rule that could
		 * claim the same bytes has been confirmed */
		uint64_t ready = c.end + x->after + (x->d.flags & BW_SR_GENERIC ? s->r->max_after : 0);
		if (rc == 0 && (final || ready <= wend))
			rc = confirm(s, &c, final, cb, ud);
		else if (rc == 0)
			s->cands[keep++] = c;
	}
	s->n_cands = keep;
	return rc;
}

/* Drop window bytes no candidate can need. */
static void trim(struct bw_secret_scanner *s)
{
	if (s->win_len < TRIM_AT)
		return;
	uint64_t wend = s->win_start + s->win_len;
	uint64_t need = wend - (BACK + LOOKBEHIND);
	for (size_t i = 0; i < s->n_cands; i++) {
		uint64_t c = s->cands[i].end > BACK + LOOKBEHIND ? s->cands[i].end - BACK - LOOKBEHIND : 0;
		if (c < need)
			need = c;
	}
	if (need <= s->win_start)
		return;
	size_t drop = (size_t)(need - s->win_start);
	const char *p = s->win, *end = s->win + drop, *last = NULL;
	while (p < end) {
		const char *q = memchr(p, '\n', (size_t)(end - p));
		if (!q)
			break;
		s->line_base++;
		last = q;
		p = q + 1;
	}
	s->col_base = last ? (uint64_t)(end - last - 1) : s->col_base + drop;
	memmove(s->win, s->win + drop, s->win_len - drop);
	explicit_bzero(s->win + s->win_len - drop, drop);
	s->win_len -= drop;
	s->win_start = need;
}

int bw_secret_scan_chunk(struct bw_secret_scanner *s, const void *data, size_t len, bw_secret_match_fn cb,
			 void *ud, struct bw_error *err)
{
	if (!s->in_file || !len)
		return 0;
	if (!s->sniffed) {
		s->sniffed = true;
		if (!s->r->scan_binary && memchr(data, '\0', len < SNIFF ? len : SNIFF)) {
			s->binary = true;
			s->in_file = false;
			return 0;
		}
	}
	if (s->win_len + len > s->win_cap) {
		size_t cap = s->win_cap ? s->win_cap : 64u << 10;
		while (cap < s->win_len + len)
			cap *= 2;
		char *n = bw_malloc(cap);
		if (s->win_len)
			memcpy(n, s->win, s->win_len);
		if (s->win) {
			explicit_bzero(s->win, s->win_cap);
			free(s->win);
		}
		s->win = n;
		s->win_cap = cap;
	}
	memcpy(s->win + s->win_len, data, len);
	s->win_len += len;
	s->total += len;
	if (s->st_all &&
	    hs_scan_stream(s->st_all, data, (unsigned)len, 0, s->scratch, on_hs_match, s) != HS_SUCCESS)
		return bw_error_set(err, BW_EUNSUPPORTED, "Vectorscan stream scan failed");
	if (s->use_path && s->st_path &&
	    hs_scan_stream(s->st_path, data, (unsigned)len, 0, s->scratch, on_hs_match, s) != HS_SUCCESS)
		return bw_error_set(err, BW_EUNSUPPORTED, "Vectorscan stream scan failed");
	int rc = process(s, false, cb, ud);
	if (rc)
		return rc;
	trim(s);
	return 0;
}

int bw_secret_scan_end(struct bw_secret_scanner *s, bw_secret_match_fn cb, void *ud, struct bw_error *err)
{
	int rc = 0;
	/* reset reports matches that end at the end of the data ($ anchors) */
	if (s->st_all &&
	    hs_reset_stream(s->st_all, 0, s->scratch, s->in_file ? on_hs_match : NULL, s) != HS_SUCCESS)
		rc = bw_error_set(err, BW_EUNSUPPORTED, "Vectorscan stream reset failed");
	if (s->st_path && hs_reset_stream(s->st_path, 0, s->scratch,
					  s->in_file && s->use_path ? on_hs_match : NULL, s) != HS_SUCCESS)
		rc = bw_error_set(err, BW_EUNSUPPORTED, "Vectorscan stream reset failed");
	if (rc == 0 && s->in_file)
		rc = process(s, true, cb, ud);
	if (s->win)
		explicit_bzero(s->win, s->win_len);
	s->win_len = 0;
	s->n_cands = 0;
	s->in_file = false;
	return rc;
}

bool bw_secret_scan_was_binary(const struct bw_secret_scanner *s)
{
	return s->binary;
}

int bw_secret_scan_buffer(const struct bw_secret_rules *r, const char *path, const void *data, size_t len,
			  bw_secret_match_fn cb, void *ud, struct bw_error *err)
{
	struct bw_secret_scanner *s = bw_secret_scanner_new(r);
	int rc = bw_secret_scan_buffer_with(s, path, data, len, cb, ud, err);
	bw_secret_scanner_free(s);
	return rc;
}

int bw_secret_scan_buffer_with(struct bw_secret_scanner *s, const char *path, const void *data, size_t len,
			       bw_secret_match_fn cb, void *ud, struct bw_error *err)
{
	int rc = bw_secret_scan_begin(s, path, err);
	/* a buffer given directly is scanned whatever its content */
	s->sniffed = true;
	const char *p = data;
	while (rc == 0 && len) {
		size_t n = len > (1u << 30) ? (1u << 30) : len;
		rc = bw_secret_scan_chunk(s, p, n, cb, ud, err);
		p += n;
		len -= n;
	}
	if (rc == 0)
		rc = bw_secret_scan_end(s, cb, ud, err);
	else
		bw_secret_scan_end(s, NULL, NULL, err);
	return rc;
}

static int count_hit(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	(*(uint64_t *)ctx)++;
	return 0;
}

int bw_secret_prefilter_buffer(struct bw_secret_scanner *s, const void *data, size_t len, size_t chunk,
			       uint64_t *candidates, struct bw_error *err)
{
	*candidates = 0;
	if (!s->st_all)
		return 0;
	if (s->in_file)
		return bw_error_set(err, BW_EUSAGE, "the scanner is inside a file");
	if (!chunk || chunk > (1u << 30))
		chunk = 1u << 30;
	const char *p = data;
	while (len) {
		size_t n = len < chunk ? len : chunk;
		if (hs_scan_stream(s->st_all, p, (unsigned)n, 0, s->scratch, count_hit, candidates) !=
		    HS_SUCCESS)
			return bw_error_set(err, BW_EUNSUPPORTED, "Vectorscan stream scan failed");
		p += n;
		len -= n;
	}
	if (hs_reset_stream(s->st_all, 0, s->scratch, count_hit, candidates) != HS_SUCCESS)
		return bw_error_set(err, BW_EUNSUPPORTED, "Vectorscan stream reset failed");
	return 0;
}
