/* One scan: open, let the rows register their analyzers, walk once, let
 * the rows report. */
#include "scan-int.h"
#include "cache/cache.h"
#include "inventory/inventory.h"

static const struct {
	const char *name;
	unsigned flag;
} scanner_names[] = {
    {"packages", BW_SCAN_PACKAGES},
    {"package", BW_SCAN_PACKAGES},
    {"vuln", BW_SCAN_VULN | BW_SCAN_PACKAGES},
    {"vulnerability", BW_SCAN_VULN | BW_SCAN_PACKAGES},
    {"secret", BW_SCAN_SECRET},
    {"config", BW_SCAN_CONFIG},
    {"misconfig", BW_SCAN_CONFIG},
    {"all", BW_SCAN_ALL},
};

/* What a scanner needs run before it, beyond itself. */
static const struct {
	unsigned flag, needs;
} scanner_needs[] = {
    {BW_SCAN_VULN, BW_SCAN_PACKAGES},
    {BW_SCAN_CONFIG, BW_SCAN_PACKAGES},
};

int bw_scan_parse_scanners(const char *s, unsigned *flags, const char **bad, size_t *bad_len)
{
	*flags = 0;
	while (*s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		bool found = false;
		for (size_t i = 0; i < BW_ARRAY_SIZE(scanner_names); i++)
			if (strlen(scanner_names[i].name) == n && strncmp(scanner_names[i].name, s, n) == 0) {
				*flags |= scanner_names[i].flag;
				found = true;
			}
		if (!found && n) {
			*bad = s;
			*bad_len = n;
			return -1;
		}
		s += n + (e ? 1 : 0);
	}
	return 0;
}

int bw_scan_add_analyzers(struct bw_scan *s, const struct bw_analyzer *const *an, size_t n,
			  struct bw_error *err)
{
	if (n > BW_ARRAY_SIZE(s->analyzers) - s->n_analyzers)
		return bw_error_set(err, BW_ELIMIT, "more than %d analyzers on one walk",
				    BW_IMAGE_MAX_ANALYZERS);
	for (size_t i = 0; i < n; i++)
		s->analyzers[s->n_analyzers++] = an[i];
	return 0;
}

/* The layer cache as the walker sees it. */
static int cache_get(void *ud, const char *key, struct bw_buf *out, bool *hit)
{
	return bw_cache_get(ud, key, out, hit);
}

static int cache_put(void *ud, const char *key, const void *data, size_t len)
{
	return bw_cache_put(ud, key, data, len);
}

/* A scanner that ran only because another needed it leaves no trace. */
static void drop_unasked(const struct bw_scan *s, struct bw_report *r)
{
	if (!(s->want & BW_SCAN_PACKAGES)) {
		r->n_packages = 0;
		memset(&r->os, 0, sizeof(r->os));
	}
}

/* "sbom:FILE": the packages an SBOM lists, matched as an image's are; no
 * walk, so no files for the secret and configuration scanners. */
static int scan_sbom(struct bw_scan *s, const char *path, struct bw_report **out, struct bw_error *err)
{
	const struct bw_scan_opts *opts = s->opts;
	*out = NULL;
	if (opts->scanners && opts->scanners != BW_SCAN_ALL &&
	    (opts->scanners & (BW_SCAN_SECRET | BW_SCAN_CONFIG)))
		return bw_error_set(err, BW_EUSAGE,
				    "%s: an SBOM lists packages, not files: only the packages and vuln "
				    "scanners read it",
				    opts->target);
	if (!*path)
		return bw_error_set(err, BW_EUSAGE, "target '%s' names nothing after the prefix",
				    opts->target);
	struct bw_report *r = bw_report_new(opts->report_type ? opts->report_type : "sbom",
					    opts->report_name ? opts->report_name : path);
	r->list_packages = opts->list_packages;
	int rc = bw_inventory_read_sbom(path, r, err);
	if (rc == 0 && (s->run & BW_SCAN_VULN))
		rc = bw_scan_row_vuln.finish(s, NULL, NULL, r, err);
	if (rc < 0) {
		bw_report_free(r);
		return rc;
	}
	drop_unasked(s, r);
	*out = r;
	return 0;
}

int bw_scan_run(const struct bw_scan_opts *opts, struct bw_report **out, struct bw_error *err)
{
	struct bw_scan s = {.opts = opts, .want = opts->scanners ? opts->scanners : BW_SCAN_ALL};
	s.run = s.want;
	for (size_t i = 0; i < BW_ARRAY_SIZE(scanner_needs); i++)
		if (s.run & scanner_needs[i].flag)
			s.run |= scanner_needs[i].needs;
	if (opts->target && strncmp(opts->target, BW_SCAN_SBOM_PREFIX, strlen(BW_SCAN_SBOM_PREFIX)) == 0) {
		s.run &= BW_SCAN_PACKAGES | BW_SCAN_VULN;
		return scan_sbom(&s, opts->target + strlen(BW_SCAN_SBOM_PREFIX), out, err);
	}
	size_t n = 0;
	while (bw_scanners[n])
		n++;
	void **states = bw_calloc(n ? n : 1, sizeof(void *));
	bool *active = bw_calloc(n ? n : 1, sizeof(bool));
	struct bw_image *img = NULL;
	struct bw_report *r = NULL;
	int rc = 0;
	bool strict_failed = false;

	struct bw_image_opts io = {.platform = opts->platform,
				   .jobs = opts->jobs,
				   .docker_host = opts->docker_host,
				   .deadline = opts->deadline,
				   .registry = opts->registry,
				   .image_src = opts->image_src,
				   .skip_dirs = opts->skip_dirs,
				   .skip_files = opts->skip_files};
	/* the layer cache: a cache that cannot be opened only costs time */
	struct bw_cache *cache = NULL;
	struct bw_layer_cache lc = {.get = cache_get, .put = cache_put};
	if (!opts->no_cache && bw_cache_open(opts->cache_dir, &cache, NULL) == 0 && cache) {
		lc.ud = cache;
		io.cache = &lc;
		s.cache = &lc;
	}
	rc = bw_image_open(opts->target, &io, &img, err);
	if (rc == 0 && opts->opened)
		rc = opts->opened(opts->opened_ud, err);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!(bw_scanners[i]->flag & s.run))
			continue;
		active[i] = true; /* a failed begin may have made a state to free */
		rc = bw_scanners[i]->begin(&s, &states[i], err);
	}
	if (rc < 0)
		goto out;
	rc = bw_image_walk(img, s.analyzers, s.n_analyzers, opts->progress, opts->progress_ud, err);
	if (rc < 0)
		goto out;

	const struct bw_image_info *info = bw_image_info(img);
	r = bw_report_new(opts->report_type ? opts->report_type : "image",
			  opts->report_name ? opts->report_name : opts->target);
	r->target.digest = bw_report_str(r, info->digest ? info->digest : info->config_digest);
	r->list_packages = opts->list_packages;
	for (size_t i = 0; i < info->n_layers; i++) {
		size_t k = bw_report_add_layer(r);
		r->layers[k].digest = bw_report_str(r, info->layers[i]->digest);
		r->layers[k].diff_id = bw_report_str(r, info->layers[i]->diff_id);
		r->layers[k].created_by = bw_report_str(r, info->layers[i]->created_by);
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		if (active[i] && bw_scanners[i]->finish)
			rc = bw_scanners[i]->finish(&s, states[i], img, r, err);
	if (rc == 0)
		drop_unasked(&s, r);
	if (rc == 0 && info->n_unreadable) {
		for (size_t i = 0; i < info->n_unreadable_named; i++)
			bw_report_warn(r, "not read, not scanned: %s", info->unreadable[i]);
		if (info->n_unreadable > info->n_unreadable_named)
			bw_report_warn(r, "not read, not scanned: %zu more paths",
				       info->n_unreadable - info->n_unreadable_named);
	}
	strict_failed = rc == 0 && opts->strict && info->n_unreadable;
	if (strict_failed)
		rc = bw_error_set(err, BW_EIO, "%zu path%s could not be read (named in the warnings)",
				  info->n_unreadable, info->n_unreadable == 1 ? "" : "s");
out:
	/* the image holds the analyzers' layer states: free it before them */
	bw_image_free(img);
	for (size_t i = 0; i < n; i++)
		if (active[i] && states[i] && bw_scanners[i]->free)
			bw_scanners[i]->free(states[i]);
	free(states);
	free(active);
	bw_cache_free(cache);
	if (rc < 0 && !strict_failed) {
		bw_report_free(r);
		*out = NULL;
		return rc;
	}
	*out = r;
	return rc;
}
