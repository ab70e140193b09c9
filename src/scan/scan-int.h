/* Private to src/scan: the plug-in interface of a scan and its table.
 *
 * A scanner is a row of the table in scanners.c, one file per row
 * (row_*.c), adapting one analyzer module (inventory, secret, lint, match)
 * to the walk: begin() makes its state and registers its analyzers on the
 * walk, finish() turns what they found into report entries once the final
 * view is known, free() releases the state after the image is freed. The
 * analyzer modules know only the walker (image/) and the report; the rows
 * are the only code that knows both them and the scan.
 */
#ifndef BW_SCAN_INT_H
#define BW_SCAN_INT_H

#include "scan.h"

struct bw_scan {
	const struct bw_scan_opts *opts;
	unsigned want; /* the scanners asked for (enum bw_scanner_flag) */
	unsigned run;  /* those that run: want, and what they need */
	const struct bw_analyzer *analyzers[BW_IMAGE_MAX_ANALYZERS];
	size_t n_analyzers;
	const struct bw_layer_cache *cache; /* the layer cache, NULL without one (borrowed) */
};

struct bw_scanner {
	const char *name;
	unsigned flag;
	/* Set up state and register analyzers (bw_scan_add_analyzers()). */
	int (*begin)(struct bw_scan *s, void **state, struct bw_error *err);
	/* After the walk: add packages/findings to r. */
	int (*finish)(struct bw_scan *s, void *state, struct bw_image *img, struct bw_report *r,
		      struct bw_error *err);
	void (*free)(void *state);
};

/* The rows, in the order they run: the vulnerability and configuration
 * rows read the packages the packages row put in the report. */
extern const struct bw_scanner bw_scan_row_packages, bw_scan_row_vuln, bw_scan_row_secret, bw_scan_row_config;
/* NULL-terminated, in scanners.c */
extern const struct bw_scanner *const bw_scanners[];

/* Register analyzers on the walk; their structs must stay valid until the
 * image is freed (keep them in the row's state). BW_ELIMIT past
 * BW_IMAGE_MAX_ANALYZERS. */
int bw_scan_add_analyzers(struct bw_scan *s, const struct bw_analyzer *const *an, size_t n,
			  struct bw_error *err);

#endif
