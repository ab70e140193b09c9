/* The inventory as a row of the scan pipeline's scanner table. */
#include "inventory.h"
#include "scan/scan.h"

static int inv_begin(struct bw_scan *s, void **state, struct bw_error *err)
{
	struct bw_inventory *inv;
	int rc = bw_inventory_new(&inv, err);
	if (rc < 0)
		return rc;
	size_t n;
	const struct bw_analyzer *const *an = bw_inventory_analyzers(inv, &n);
	for (size_t i = 0; i < n; i++)
		bw_scan_add_analyzer(s, an[i]);
	*state = inv;
	return 0;
}

static int inv_finish(struct bw_scan *s, void *state, struct bw_image *img, struct bw_report *r,
		      struct bw_error *err)
{
	return bw_inventory_finish(state, img, r, err);
}

static void inv_free(void *state)
{
	bw_inventory_free(state);
}

const struct bw_scanner bw_inventory_scanner = {
    .name = "packages",
    .flag = BW_SCAN_PACKAGES,
    .begin = inv_begin,
    .finish = inv_finish,
    .free = inv_free,
};
