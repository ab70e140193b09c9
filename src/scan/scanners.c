/* The scanner table: one row per scanner, in the order they run. */
#include "scan-int.h"
#include "inventory/inventory.h"
#include "secret/secret.h"
#include "lint/lint.h"
#include "match/match.h"

const struct bw_scanner *const bw_scanners[] = {
    &bw_inventory_scanner, &bw_vuln_scanner, /* after the packages: it reads them from the report */
    &bw_scanner_secret,	   &bw_lint_image_scanner, NULL, /* keep last: the table ends here */
};
