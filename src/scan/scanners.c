/* The scanner table: one row per scanner, in the order they run. */
#include "scan-int.h"

const struct bw_scanner *const bw_scanners[] = {
    &bw_scan_row_packages,
    &bw_scan_row_vuln, /* after the packages: it reads them from the report */
    &bw_scan_row_secret,
    &bw_scan_row_config, /* after the packages: its package rules read them */
    NULL,		 /* keep last: the table ends here */
};
