/* One scan: open, register scanners, walk once, let scanners report. */
#include "scan-int.h"
#include "cache/cache.h"

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

const struct bw_scan_opts *bw_scan_options(const struct bw_scan *s)
{
	return s->opts;
}

void bw_scan_add_analyzer(struct bw_scan *s, const struct bw_analyzer *an)
{
	if (s->n_analyzers >= BW_SCAN_MAX_ANALYZERS)
		BW_BUG("too many analyzers");
	s->analyzers[s->n_analyzers++] = an;
}

int bw_scan_run(const struct bw_scan_opts *opts, struct bw_report **out, struct bw_error *err)
{
	struct bw_scan s = {.opts = opts};
	unsigned want = opts->scanners ? opts->scanners : BW_SCAN_ALL;
	size_t n = 0;
	while (bw_scanners[n])
		n++;
	void **states = bw_calloc(n ? n : 1, sizeof(void *));
	bool *active = bw_calloc(n ? n : 1, sizeof(bool));
	struct bw_image *img = NULL;
	struct bw_report *r = NULL;
	int rc = 0;

	struct bw_image_opts io = {.platform = opts->platform, .jobs = opts->jobs};
	/* the layer cache: a cache that cannot be opened only costs time */
	struct bw_cache *cache = NULL;
	if (!opts->no_cache && bw_cache_open(opts->cache_dir, &cache, NULL) == 0 && cache)
		io.cache = bw_cache_layers(cache);
	rc = bw_image_open(opts->target, &io, &img, err);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!(bw_scanners[i]->flag & want))
			continue;
		rc = bw_scanners[i]->begin(&s, &states[i], err);
		active[i] = rc == 0;
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
	for (size_t i = 0; i < n && rc == 0; i++)
		if (active[i] && bw_scanners[i]->finish)
			rc = bw_scanners[i]->finish(&s, states[i], img, r, err);
out:
	for (size_t i = 0; i < n; i++)
		if (active[i] && bw_scanners[i]->free)
			bw_scanners[i]->free(states[i]);
	free(states);
	free(active);
	bw_image_free(img);
	bw_cache_free(cache);
	if (rc < 0) {
		bw_report_free(r);
		return rc;
	}
	*out = r;
	return 0;
}
