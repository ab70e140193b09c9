/* scan — the one composer of an image or filesystem scan: one walk of a
 * target with every requested scanner, and the report assembled from what
 * they found. Used by `bulwark image`, `bulwark fs`, `bulwark sbom`, the
 * CIS audit's image checks and, later, the server; nothing else assembles
 * a walk with analyzers by hand.
 *
 * The scanners (packages, vulnerabilities, secrets, image configuration)
 * are rows of a table private to this module (scan-int.h): each adapts one
 * analyzer module to the walk. A scanner that needs another's results
 * makes the scan run that one too (the configuration rules read the
 * packages), without putting its results in the report.
 *
 * Ownership: bw_scan_run() hands back a new report the caller frees with
 * bw_report_free(); everything else lives and dies inside the call.
 */
#ifndef BW_SCAN_H
#define BW_SCAN_H

#include "core/core.h"
#include "image/image.h"
#include "report/report.h"

enum bw_scanner_flag {
	BW_SCAN_PACKAGES = 1u << 0, /* inventory: packages of every ecosystem */
	BW_SCAN_VULN = 1u << 1,	    /* vulnerabilities (needs packages) */
	BW_SCAN_SECRET = 1u << 2,   /* secrets in files and configuration */
	BW_SCAN_CONFIG = 1u << 3,   /* image-configuration rules (needs packages) */
	BW_SCAN_ALL = 0xffu,
};

/* Parse "vuln,secret,config" (also "packages"); -1 with *bad set to the
 * unknown word (points into s) when one is not known. */
int bw_scan_parse_scanners(const char *s, unsigned *flags, const char **bad, size_t *bad_len);

/* The target of a software bill of materials: "sbom:FILE", a CycloneDX or
 * SPDX JSON document whose packages are matched as an image's
 * (bw_inventory_read_sbom); only the packages and vuln scanners run. */
#define BW_SCAN_SBOM_PREFIX "sbom:"

struct bw_scan_opts {
	const char *target;	 /* as for bw_image_open(), "dir:PATH" or "sbom:FILE" */
	const char *report_type; /* "image", "filesystem" or "sbom" */
	const char *report_name; /* the target's name in the report; NULL: target */
	const char *platform;
	const char *docker_host; /* NULL: DOCKER_HOST or the default socket */
	int jobs;
	unsigned scanners;	   /* enum bw_scanner_flag bits; 0 = all */
	bool list_packages;	   /* put the package list in the report */
	const char *secret_config; /* --secret-config FILE */
	const char *cache_dir;	   /* NULL: the user's cache directory */
	const char *db_path;	   /* vulnerability database; NULL: the default (vulndb.h) */
	bool ignore_unfixed;	   /* vulnerabilities: leave out those with no fixed version */
	const char *distro;	   /* vulnerabilities: "debian:12", matched as that release; NULL: detected */
	long db_max_age;	   /* vulnerabilities: warn about data older (days); 0: never */
	bool references;	   /* vulnerabilities: read advisory references (the report writes them) */
	bool no_cache;
	double deadline; /* docker: targets: as bw_image_opts.deadline; 0: none */
	/* dir: paths it could not read are report warnings (the first few
	 * named, then a count); strict makes them an error too: bw_scan_run
	 * then returns BW_EIO saying so, with the report in *out all the same. */
	bool strict;
	const struct bw_registry_opts *registry;	  /* registry targets (borrowed); NULL: defaults */
	const char *image_src;				  /* bw_image_opts.image_src */
	const char *const *skip_dirs, *const *skip_files; /* bw_image_opts' (dir: targets) */
	bw_image_progress_fn progress;
	void *progress_ud;
	/* Called once the target is open (its metadata read; an engine's or a
	 * registry's connection made and credentials used), before any layer is
	 * read: the CLI enters its sandbox there for targets it cannot confine
	 * earlier. A negative BW_E* code (err filled) stops the scan. NULL: none. */
	int (*opened)(void *ud, struct bw_error *err);
	void *opened_ud;
};

/* The vulnerability row fills r->coverage: per ecosystem or distribution
 * release of the packages, the advisories the database holds; partial
 * when some packages could not be checked (no database, no advisories for
 * their release, an unknown release), each named in a warning, as is data
 * older than db_max_age. Whether partial coverage fails is the caller's.
 *
 * On success *out is the report (the caller frees it); on failure *out is
 * NULL, except for the strict failure above. */
int bw_scan_run(const struct bw_scan_opts *opts, struct bw_report **out, struct bw_error *err);

/* BW_EUSAGE naming what is wrong unless s is a --distro value
 * ("debian:12", "alpine:3.20", …): for callers that validate their options
 * before doing anything. */
int bw_scan_check_distro(const char *s, struct bw_error *err);

#endif
