/* Private to src/scan. */
#ifndef BW_SCAN_INT_H
#define BW_SCAN_INT_H

#include "scan.h"

/* NULL-terminated, in scanners.c */
extern const struct bw_scanner *const bw_scanners[];

#define BW_SCAN_MAX_ANALYZERS 32

struct bw_scan {
	const struct bw_scan_opts *opts;
	const struct bw_analyzer *analyzers[BW_SCAN_MAX_ANALYZERS];
	size_t n_analyzers;
};

#endif
