/* The scanner table: one row per scanner, in the order they run. */
#include "scan-int.h"

const struct bw_scanner *const bw_scanners[] = {
	NULL, /* keep last: the table ends here */
};
