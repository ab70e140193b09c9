/* The image-configuration rules as a row of the scan pipeline's scanner
 * table. The package rules need the package list: when the packages
 * scanner runs too, its result in the report is used; otherwise this
 * scanner runs its own inventory into a scratch report, so that
 * `--scanners config` does not put packages in the report. */
#include "lint.h"
#include "imgcheck/imgcheck.h"
#include "inventory/inventory.h"
#include "scan/scan.h"

struct img_scan {
	struct bw_imgcheck *li;
	struct bw_inventory *inv; /* NULL when the packages scanner runs */
};

static int img_begin(struct bw_scan *s, void **state, struct bw_error *err)
{
	struct img_scan *st = bw_calloc(1, sizeof(*st));
	int rc = bw_imgcheck_new(&st->li, err);
	unsigned want = bw_scan_options(s)->scanners ? bw_scan_options(s)->scanners : BW_SCAN_ALL;
	if (rc == 0 && !(want & BW_SCAN_PACKAGES))
		rc = bw_inventory_new(&st->inv, err);
	if (rc < 0) {
		bw_imgcheck_free(st->li);
		free(st);
		return rc;
	}
	size_t n;
	const struct bw_analyzer *const *an = bw_imgcheck_analyzers(st->li, &n);
	for (size_t i = 0; i < n; i++)
		bw_scan_add_analyzer(s, an[i]);
	if (st->inv) {
		an = bw_inventory_analyzers(st->inv, &n);
		for (size_t i = 0; i < n; i++)
			bw_scan_add_analyzer(s, an[i]);
	}
	*state = st;
	return 0;
}

static int img_finish(struct bw_scan *s, void *state, struct bw_image *img, struct bw_report *r,
		      struct bw_error *err)
{
	struct img_scan *st = state;
	if (!st->inv)
		return bw_imgcheck_finish(st->li, img, r->packages, r->n_packages, true, r, err);
	struct bw_report *pr = bw_report_new("image", "packages");
	int rc = bw_inventory_finish(st->inv, img, pr, err);
	if (rc == 0)
		rc = bw_imgcheck_finish(st->li, img, pr->packages, pr->n_packages, true, r, err);
	bw_report_free(pr);
	return rc;
}

static void img_free(void *state)
{
	struct img_scan *st = state;
	bw_imgcheck_free(st->li);
	bw_inventory_free(st->inv);
	free(st);
}

const struct bw_scanner bw_lint_image_scanner = {
    .name = "config",
    .flag = BW_SCAN_CONFIG,
    .begin = img_begin,
    .finish = img_finish,
    .free = img_free,
};
