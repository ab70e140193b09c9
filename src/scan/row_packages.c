/* The packages row: the inventory's analyzers on the walk, then the OS and
 * the packages of the final view into the report. */
#include "scan-int.h"
#include "inventory/inventory.h"

static int packages_begin(struct bw_scan *s, void **state, struct bw_error *err)
{
	struct bw_inventory *inv;
	int rc = bw_inventory_new(&inv, err);
	if (rc < 0)
		return rc;
	*state = inv;
	size_t n;
	const struct bw_analyzer *const *an = bw_inventory_analyzers(inv, &n);
	return bw_scan_add_analyzers(s, an, n, err);
}

static int packages_finish(struct bw_scan *s, void *state, struct bw_image *img, struct bw_report *r,
			   struct bw_error *err)
{
	return bw_inventory_finish(state, img, r, err);
}

static void packages_free(void *state)
{
	bw_inventory_free(state);
}

const struct bw_scanner bw_scan_row_packages = {
    .name = "packages",
    .flag = BW_SCAN_PACKAGES,
    .begin = packages_begin,
    .finish = packages_finish,
    .free = packages_free,
};
