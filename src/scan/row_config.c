/* The image-configuration row: the rules' content analyzer on the walk,
 * then the rules on the configuration, history, files and packages. The
 * package rules read the packages the packages row put in the report: the
 * scan runs that row whenever this one runs (bw_scan_run drops the
 * packages from the report again when they were not asked for). */
#include "scan-int.h"
#include "imgcheck/imgcheck.h"

static int config_begin(struct bw_scan *s, void **state, struct bw_error *err)
{
	struct bw_imgcheck *ic;
	int rc = bw_imgcheck_new(&ic, err);
	if (rc < 0)
		return rc;
	*state = ic;
	size_t n;
	const struct bw_analyzer *const *an = bw_imgcheck_analyzers(ic, &n);
	return bw_scan_add_analyzers(s, an, n, err);
}

static int config_finish(struct bw_scan *s, void *state, struct bw_image *img, struct bw_report *r,
			 struct bw_error *err)
{
	return bw_imgcheck_finish(state, img, r->packages, r->n_packages, true, r, err);
}

static void config_free(void *state)
{
	bw_imgcheck_free(state);
}

const struct bw_scanner bw_scan_row_config = {
    .name = "config",
    .flag = BW_SCAN_CONFIG,
    .begin = config_begin,
    .finish = config_finish,
    .free = config_free,
};
