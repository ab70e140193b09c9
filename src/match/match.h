/* match — packages against the vulnerability database.
 *
 * For each package of a report: the advisories of its ecosystem and name
 * (OS packages in the distro ecosystem of the detected OS, "Debian:12",
 * "Alpine:v3.19", "AlmaLinux:9", …; Debian, Ubuntu and Alpine advisories
 * are matched on the source package and, for Debian and Ubuntu, the source
 * version), ranges evaluated with the ecosystem's comparator
 * (version/version.h), withdrawn advisories ignored. Advisories that are
 * aliases of each other become one finding per package, listing the other
 * ids as equivalents; the fixed version is the one that closes every merged
 * advisory's range, or none ("no fix yet"). Findings are enriched with KEV
 * and EPSS and ranked: KEV-listed first, then EPSS, then severity.
 *
 * Ownership: findings are added to the caller's report (its arena); the
 * database handle stays the caller's.
 */
#ifndef BW_MATCH_H
#define BW_MATCH_H

#include "core/core.h"
#include "report/report.h"
#include "vulndb/vulndb.h"

struct bw_match_opts {
	bool ignore_unfixed; /* leave out findings with no fixed version */
};

struct bw_match_stats {
	size_t packages;   /* packages looked at */
	size_t lookups;	   /* (ecosystem, name) queries */
	size_t candidates; /* affected entries evaluated */
	size_t findings;   /* findings added */
	size_t unfixed_left_out;
	size_t version_errors; /* installed or advisory versions the comparator rejected */
	size_t undecodable;    /* advisory rows of the database skipped as undecodable */
	double seconds;
};

/* Match r->packages (with r->os) against db and add BW_KIND_VULNERABILITY
 * findings to r, ranked (bw_match_rank). Advisory rows the database could
 * not decode become one warning of r naming the database file and their
 * number. */
int bw_match_report(struct bw_vulndb *db, struct bw_report *r, const struct bw_match_opts *opts,
		    struct bw_match_stats *st, struct bw_error *err);

/* The ecosystems whose advisories apply to a package of ecosystem `eco` on
 * the OS (os_id, os_version as in os-release): up to max names written to
 * out; returns how many. "Debian" on 12.5 → "Debian:12"; "Alpine" on
 * 3.19.1 → "Alpine:v3.19"; "Ubuntu" on 22.04 → "Ubuntu:22.04:LTS",
 * "Ubuntu:22.04"; a language ecosystem → itself. */
size_t bw_match_ecosystems(const char *eco, const char *os_id, const char *os_version, char out[][64],
			   size_t max);

/* Number the vulnerability findings of r by patch priority (rank 1 first):
 * KEV-listed, then higher EPSS, then higher severity, then id. */
void bw_match_rank(struct bw_report *r);

#endif
