/* A secret scan of an image or a directory: the analyzer that streams every
 * regular file of every layer through a per-layer scanner, then the report
 * (file findings with their layer and whether the file is still in the
 * final image; the image configuration's Env, Labels and history). */
#include <jansson.h>

#include "secret-int.h"

#define MAX_BINARY_NAMED 5

struct hit {
	const char *rule_id, *title; /* the rule set's (static or config arena) */
	enum bw_severity severity;
	const char *path, *masked; /* layer arena */
	int line, column;
};

struct skip {
	const char *path, *why;
};

/* One layer's results; the walker's state for that layer. */
struct layer_res {
	struct bw_secret_job *job;
	struct bw_secret_scanner *sc;
	struct bw_arena arena;
	struct hit *hits;
	size_t n_hits, cap_hits;
	struct skip *skips;
	size_t n_skips, cap_skips;
	uint64_t binary;
	const char *binary_named[MAX_BINARY_NAMED];
	/* the file being streamed */
	bool in_file, skip_file;
	const char *cur_path;	   /* borrowed from the walker during the file */
	const char *cur_path_copy; /* arena copy, made at the first hit */
};

struct bw_secret_job {
	struct bw_secret_rules *rules;
	struct bw_analyzer an;
};

static void *layer_begin(void *ud, const struct bw_image_layer *layer)
{
	struct bw_secret_job *j = ud;
	struct layer_res *l = bw_calloc(1, sizeof(*l));
	l->job = j;
	bw_arena_init(&l->arena);
	l->sc = bw_secret_scanner_new(j->rules);
	return l;
}

static void layer_end(void *state)
{
	struct layer_res *l = state;
	bw_secret_scanner_free(l->sc); /* scratch and window are not needed any more */
	l->sc = NULL;
}

/* Every file but the allow-listed paths; larger than max-file-size: not
 * read at all (the walker's max_stream), told to skipped(). */
static enum bw_want wants(void *ud, const struct bw_file *f)
{
	const struct bw_secret_job *j = ud;
	return bw_secret_path_allowed(j->rules, f->path) ? BW_WANT_NONE : BW_WANT_STREAM;
}

static void add_skip(struct layer_res *l, const char *path, const char *why)
{
	if (l->n_skips == l->cap_skips) {
		l->cap_skips = l->cap_skips ? l->cap_skips * 2 : 8;
		l->skips = bw_realloc(l->skips, l->cap_skips * sizeof(struct skip));
	}
	l->skips[l->n_skips++] =
	    (struct skip){bw_arena_strdup(&l->arena, path), bw_arena_strdup(&l->arena, why)};
}

static void skipped(void *state, const struct bw_file *f, const char *why)
{
	struct layer_res *l = state;
	uint64_t max = bw_secret_rules_max_file_size(l->job->rules);
	char buf[96];
	if (f->size > max) {
		snprintf(buf, sizeof(buf), "larger than max-file-size (%llu > %llu bytes)",
			 (unsigned long long)f->size, (unsigned long long)max);
		why = buf;
	}
	add_skip(l, f->path, why);
}

static int collect(void *ud, const struct bw_secret_match *m)
{
	struct layer_res *l = ud;
	if (!l->cur_path_copy)
		l->cur_path_copy = bw_arena_strdup(&l->arena, l->cur_path);
	if (l->n_hits == l->cap_hits) {
		l->cap_hits = l->cap_hits ? l->cap_hits * 2 : 16;
		l->hits = bw_realloc(l->hits, l->cap_hits * sizeof(struct hit));
	}
	l->hits[l->n_hits++] = (struct hit){
	    m->rule_id, m->title, m->severity, l->cur_path_copy, bw_arena_strdup(&l->arena, m->masked),
	    m->line,	m->column};
	return 0;
}

static int chunk(void *state, const struct bw_file *f, const void *data, size_t len, bool last,
		 struct bw_error *err)
{
	struct layer_res *l = state;
	const struct bw_secret_rules *rs = l->job->rules;
	int rc = 0;
	if (!l->in_file) {
		l->in_file = true;
		l->skip_file = false;
		l->cur_path = f->path;
		l->cur_path_copy = NULL;
		if (bw_secret_path_allowed(rs, f->path)) {
			l->skip_file = true;
		} else if (f->size > bw_secret_rules_max_file_size(rs)) {
			char why[96];
			snprintf(why, sizeof(why), "larger than max-file-size (%llu > %llu bytes)",
				 (unsigned long long)f->size,
				 (unsigned long long)bw_secret_rules_max_file_size(rs));
			add_skip(l, f->path, why);
			l->skip_file = true;
		} else {
			rc = bw_secret_scan_begin(l->sc, f->path, err);
		}
	}
	if (rc == 0 && !l->skip_file && len)
		rc = bw_secret_scan_chunk(l->sc, data, len, collect, l, err);
	if (last || rc < 0) {
		if (!l->skip_file) {
			int rc2 = bw_secret_scan_end(l->sc, rc < 0 ? NULL : collect, l, err);
			if (rc == 0)
				rc = rc2;
			if (bw_secret_scan_was_binary(l->sc)) {
				if (l->binary < MAX_BINARY_NAMED)
					l->binary_named[l->binary] = bw_arena_strdup(&l->arena, f->path);
				l->binary++;
			}
		}
		l->in_file = false;
	}
	if (rc < 0)
		bw_error_prefix(err, "secret scan of %s: ", f->path);
	return rc < 0 ? rc : 0;
}

/* ---- the layer cache ------------------------------------------------------ */

/* A layer's results as the layer cache keeps them (core.h's codec):
 *   format · n hits · n × { rule id · title · severity · path · masked ·
 *   line · column } · n skips · n × { path · why } · binary count ·
 *   n named · named paths
 * Change it, or what the built-in rules find, and bump SECRET_CACHE_VERSION.
 * A scan with --secret-config is never cached (its rules are not in the key). */
#define SECRET_CACHE_VERSION 1
#define SECRET_CACHE_FORMAT 1

static int layer_save(void *state, struct bw_buf *out)
{
	const struct layer_res *l = state;
	int rc = bw_enc_u64(out, SECRET_CACHE_FORMAT);
	rc |= bw_enc_u64(out, l->n_hits);
	for (size_t i = 0; i < l->n_hits && rc == 0; i++) {
		const struct hit *h = &l->hits[i];
		rc |= bw_enc_str(out, h->rule_id);
		rc |= bw_enc_str(out, h->title);
		rc |= bw_enc_u64(out, (uint64_t)h->severity);
		rc |= bw_enc_str(out, h->path);
		rc |= bw_enc_str(out, h->masked);
		rc |= bw_enc_u64(out, (uint64_t)(h->line < 0 ? 0 : h->line));
		rc |= bw_enc_u64(out, (uint64_t)(h->column < 0 ? 0 : h->column));
	}
	rc |= bw_enc_u64(out, l->n_skips);
	for (size_t i = 0; i < l->n_skips && rc == 0; i++) {
		rc |= bw_enc_str(out, l->skips[i].path);
		rc |= bw_enc_str(out, l->skips[i].why);
	}
	rc |= bw_enc_u64(out, l->binary);
	size_t named = l->binary < MAX_BINARY_NAMED ? (size_t)l->binary : MAX_BINARY_NAMED;
	rc |= bw_enc_u64(out, named);
	for (size_t i = 0; i < named && rc == 0; i++)
		rc |= bw_enc_str(out, l->binary_named[i]);
	return rc ? BW_ELIMIT : 0;
}

static void layer_res_free(void *state)
{
	struct layer_res *l = state;
	bw_secret_scanner_free(l->sc);
	free(l->hits);
	free(l->skips);
	bw_arena_release(&l->arena);
	free(l);
}

static void *layer_load(void *ud, const struct bw_image_layer *layer, const void *data, size_t len)
{
	struct bw_secret_job *j = ud;
	struct layer_res *l = bw_calloc(1, sizeof(*l));
	l->job = j;
	bw_arena_init(&l->arena);
	struct bw_dec d;
	bw_dec_init(&d, data, len);
	if (bw_dec_u64(&d) != SECRET_CACHE_FORMAT)
		d.bad = true;
	size_t n = bw_dec_count(&d);
	if (!d.bad && n) {
		l->hits = bw_calloc(n, sizeof(*l->hits));
		l->cap_hits = n;
	}
	for (size_t i = 0; i < n && !d.bad; i++) {
		struct hit *h = &l->hits[l->n_hits++];
		h->rule_id = bw_dec_str(&d, &l->arena);
		h->title = bw_dec_str(&d, &l->arena);
		h->severity = (enum bw_severity)bw_dec_max(&d, BW_SEV_CRITICAL);
		h->path = bw_dec_str(&d, &l->arena);
		h->masked = bw_dec_str(&d, &l->arena);
		h->line = (int)bw_dec_max(&d, INT32_MAX);
		h->column = (int)bw_dec_max(&d, INT32_MAX);
		if (!h->rule_id || !h->title || !h->path || !h->masked)
			d.bad = true;
	}
	n = bw_dec_count(&d);
	if (!d.bad && n) {
		l->skips = bw_calloc(n, sizeof(*l->skips));
		l->cap_skips = n;
	}
	for (size_t i = 0; i < n && !d.bad; i++) {
		struct skip *k = &l->skips[l->n_skips++];
		k->path = bw_dec_str(&d, &l->arena);
		k->why = bw_dec_str(&d, &l->arena);
		if (!k->path || !k->why)
			d.bad = true;
	}
	l->binary = bw_dec_u64(&d);
	n = (size_t)bw_dec_max(&d, MAX_BINARY_NAMED);
	if (n != (l->binary < MAX_BINARY_NAMED ? l->binary : MAX_BINARY_NAMED))
		d.bad = true;
	for (size_t i = 0; i < n && !d.bad; i++)
		if (!(l->binary_named[i] = bw_dec_str(&d, &l->arena)))
			d.bad = true;
	if (!bw_dec_done(&d)) {
		layer_res_free(l);
		return NULL;
	}
	return l;
}

int bw_secret_job_new(const char *config_path, const struct bw_layer_cache *store, struct bw_secret_job **out,
		      struct bw_error *err)
{
	struct bw_secret_job *j = bw_calloc(1, sizeof(*j));
	int rc = bw_secret_rules_new(config_path, store, &j->rules, err);
	if (rc < 0) {
		free(j);
		return rc;
	}
	j->an = (struct bw_analyzer){
	    .name = "secret",
	    .version = 1,
	    .wants = wants,
	    .max_stream = bw_secret_rules_max_file_size(j->rules),
	    .layer_begin = layer_begin,
	    .chunk = chunk,
	    .skipped = skipped,
	    .layer_end = layer_end,
	    .layer_free = layer_res_free,
	    .ud = j,
	};
	if (!config_path) {
		j->an.version = SECRET_CACHE_VERSION;
		j->an.save = layer_save;
		j->an.load = layer_load;
	}
	*out = j;
	return 0;
}

const struct bw_analyzer *bw_secret_job_analyzer(struct bw_secret_job *j)
{
	return &j->an;
}

void bw_secret_job_free(struct bw_secret_job *j)
{
	if (!j)
		return;
	bw_secret_rules_free(j->rules);
	free(j);
}

/* ---- the image configuration ------------------------------------------- */

struct cfg_ctx {
	struct bw_report *r;
	const char *path;  /* "config:Env", "config:Labels", "config:history" */
	const char *layer; /* diff_id of the history entry's layer, or NULL */
	int line;	   /* the entry's number, 1-based */
	const char *s;	   /* the string being scanned, and its length */
	size_t len;
	/* History repeats build ARGs on every RUN after them, and an ARG given
	 * to ENV is in Env too: each secret is one finding, with one location
	 * per part of the configuration it is in. A secret is told by its rule
	 * and a hash of its bytes (as long as its masked form). */
	struct {
		const char *rule;
		uint64_t hash;
		size_t finding; /* index in the report */
		const char *paths[3];
	} seen[256];
	size_t n_seen;
};

static uint64_t secret_hash(const struct cfg_ctx *c, const struct bw_secret_match *m)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	size_t n = strlen(m->masked);
	for (size_t i = 0; i < n && m->offset + i < c->len; i++) {
		h ^= (unsigned char)c->s[m->offset + i];
		h *= 1099511628211ull;
	}
	return h;
}

static int cfg_hit(void *ud, const struct bw_secret_match *m)
{
	struct cfg_ctx *c = ud;
	uint64_t hash = secret_hash(c, m);
	for (size_t i = 0; i < c->n_seen; i++) {
		if (c->seen[i].rule != m->rule_id || c->seen[i].hash != hash)
			continue;
		size_t k = 0;
		while (k < BW_ARRAY_SIZE(c->seen[i].paths) && c->seen[i].paths[k] &&
		       strcmp(c->seen[i].paths[k], c->path))
			k++;
		if (k == BW_ARRAY_SIZE(c->seen[i].paths) || c->seen[i].paths[k])
			return 0; /* already there */
		c->seen[i].paths[k] = c->path;
		struct bw_location l = {.path = c->path,
					.layer = c->layer,
					.line = c->line,
					.column = m->column,
					.in_final_image = 1};
		bw_finding_add_location(c->r, &c->r->findings[c->seen[i].finding], &l);
		return 0;
	}
	if (c->n_seen < BW_ARRAY_SIZE(c->seen)) {
		c->seen[c->n_seen].rule = m->rule_id;
		c->seen[c->n_seen].hash = hash;
		c->seen[c->n_seen].finding = c->r->n_findings;
		c->seen[c->n_seen].paths[0] = c->path;
		c->n_seen++;
	}
	struct bw_finding *f = bw_report_add_finding(c->r, BW_KIND_SECRET);
	f->id = bw_report_str(c->r, m->rule_id);
	f->title = bw_report_str(c->r, m->title);
	f->severity = m->severity;
	f->status = BW_STATUS_FAIL;
	f->location.path = bw_report_str(c->r, c->path);
	f->location.layer = bw_report_str(c->r, c->layer);
	f->location.line = c->line;
	f->location.column = m->column;
	f->location.in_final_image = 1;
	f->evidence = bw_report_str(c->r, m->masked);
	f->remediation = bw_report_str(c->r, !strcmp(c->path, "config:history")
						 ? "Pass secrets with build secrets (RUN "
						   "--mount=type=secret), not ARG/ENV: build arguments are "
						   "recorded in the image history. Rotate the secret."
						 : "Do not bake secrets into the image configuration; inject "
						   "them at run time. Rotate the secret.");
	return 0;
}

/* One string of the configuration, through the one scanner of the
 * configuration: a million Env strings must not cost a million scanners.
 * An empty string holds no secret. */
static int scan_cfg_string(struct bw_secret_scanner *sc, struct cfg_ctx *c, const char *s,
			   struct bw_error *err)
{
	if (!s[0])
		return 0;
	c->s = s;
	c->len = strlen(s);
	return bw_secret_scan_buffer_with(sc, NULL, s, c->len, cfg_hit, c, err);
}

static int scan_config(struct bw_secret_job *j, const struct bw_image_info *info, struct bw_report *r,
		       struct bw_error *err)
{
	int rc = 0;
	json_t *cfg = info->config ? json_object_get(info->config, "config") : NULL;
	struct cfg_ctx *c = bw_calloc(1, sizeof(*c));
	struct bw_secret_scanner *sc = bw_secret_scanner_new(j->rules);
	c->r = r;
	json_t *env = cfg ? json_object_get(cfg, "Env") : NULL;
	if (json_is_array(env)) {
		c->path = "config:Env";
		size_t i;
		json_t *v;
		json_array_foreach(env, i, v)
		{
			if (!json_is_string(v) || rc < 0)
				continue;
			c->line = (int)i + 1;
			rc = scan_cfg_string(sc, c, json_string_value(v), err);
		}
	}
	json_t *labels = cfg ? json_object_get(cfg, "Labels") : NULL;
	if (json_is_object(labels)) {
		c->path = "config:Labels";
		const char *k;
		json_t *v;
		int i = 0;
		json_object_foreach(labels, k, v)
		{
			i++;
			if (!json_is_string(v) || rc < 0)
				continue;
			char *kv = bw_asprintf("%s=%s", k, json_string_value(v));
			c->line = i;
			rc = scan_cfg_string(sc, c, kv, err);
			explicit_bzero(kv, strlen(kv));
			free(kv);
		}
	}
	c->path = "config:history";
	size_t layer = 0;
	for (size_t i = 0; i < info->n_history && rc == 0; i++) {
		const struct bw_image_history *h = &info->history[i];
		c->layer = NULL;
		if (!h->empty_layer) {
			if (layer < info->n_layers)
				c->layer = info->layers[layer]->diff_id;
			layer++;
		}
		c->line = (int)i + 1;
		if (h->created_by)
			rc = scan_cfg_string(sc, c, h->created_by, err);
	}
	bw_secret_scanner_free(sc);
	free(c);
	return rc;
}

/* ---- the report ----------------------------------------------------------- */

int bw_secret_job_report(struct bw_secret_job *j, struct bw_image *img, struct bw_report *r,
			 struct bw_error *err)
{
	uint64_t binary = 0;
	const char *named[MAX_BINARY_NAMED];
	size_t n_named = 0;
	const struct bw_image_info *info = bw_image_info(img);
	size_t nl;
	void *const *states = bw_image_layer_states(img, &j->an, &nl);
	for (size_t li = 0; li < nl; li++) {
		const struct layer_res *l = states[li];
		if (!l)
			continue;
		int idx = (int)li;
		const char *diff_id = info->layers[li]->diff_id;
		for (size_t i = 0; i < l->n_hits; i++) {
			const struct hit *h = &l->hits[i];
			const struct bw_file *ff = bw_image_lookup(img, h->path);
			bool final = ff && ff->layer == idx &&
				     (ff->type == BW_FILE_REG || ff->type == BW_FILE_HARDLINK);
			struct bw_finding *f = bw_report_add_finding(r, BW_KIND_SECRET);
			f->id = bw_report_str(r, h->rule_id);
			f->title = bw_report_str(r, h->title);
			f->severity = h->severity;
			f->status = BW_STATUS_FAIL;
			f->location.layer = bw_report_str(r, diff_id);
			f->location.path = bw_report_str(r, h->path);
			f->location.line = h->line;
			f->location.column = h->column;
			f->location.in_final_image = final ? 1 : 0;
			f->evidence = bw_report_str(r, h->masked);
			f->remediation =
			    final
				? bw_report_str(r, "Remove the secret from the image, inject it at run time, "
						   "and rotate it.")
				: bw_report_strf(
				      r,
				      "Deleted or replaced by a later layer, but still shipped in layer %d: "
				      "remove it in the step that adds it (or use a build secret), and "
				      "rotate it.",
				      idx);
		}
		for (size_t i = 0; i < l->n_skips; i++)
			bw_report_warn(r, "secret: layer %d%s%s: %s not scanned: %s", idx, diff_id ? " " : "",
				       diff_id ? diff_id : "", l->skips[i].path, l->skips[i].why);
		for (uint64_t i = 0; i < l->binary && n_named < MAX_BINARY_NAMED && i < MAX_BINARY_NAMED; i++)
			named[n_named++] = l->binary_named[i];
		binary += l->binary;
	}
	if (binary) {
		struct bw_buf b;
		bw_buf_init(&b, 8192);
		for (size_t i = 0; i < n_named; i++)
			bw_buf_printf(&b, "%s%s", i ? ", " : "", named[i]);
		bw_report_warn(
		    r,
		    "secret: %llu binary file%s not scanned (NUL bytes in the first 8 KiB), e.g. %s%s; "
		    "set scan-binary: true in --secret-config to scan them",
		    (unsigned long long)binary, binary == 1 ? "" : "s", b.data ? b.data : "",
		    binary > n_named ? ", ..." : "");
		bw_buf_release(&b);
	}
	return scan_config(j, info, r, err);
}
