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
 * A finding's severity comes from the first source that has one, in this
 * order: the CVSS vectors of its advisories and of the CVE records of the
 * CVEs they alias (the newest CVSS version, v4.0 > v3.1 > v3.0 > v2, and
 * its highest score), a database's own word (GHSA's
 * database_specific.severity), the distribution's own rating (Debian
 * urgency, Ubuntu priority, Red Hat / AlmaLinux "Important:"), NVD's own
 * assessment; a KEV-listed one is HIGH at least. Each source's rating is
 * listed, and the finding names its advisory page and references.
 *
 * Ownership: findings are added to the caller's report (its arena); the
 * database handle stays the caller's.
 */
#ifndef BW_MATCH_H
#define BW_MATCH_H

#include "core/core.h"
#include "report/report.h"
#include "vulndb/vulndb.h"

/* A distribution release given on the command line (--distro NAME:VERSION)
 * instead of the one detected: OS packages are matched as its packages. */
struct bw_match_distro {
	char ecosystem[32]; /* OSV's name: "Debian", "Alpine", "Red Hat", … */
	char version[33];   /* "12", "3.20"; "" for a rolling distribution (wolfi) */
	char name[32];	    /* as given, lowercase: "debian", "rhel" */
};

/* Parse "debian:12", "alpine:3.20" (also "alpine:v3.20"), "ubuntu:22.04",
 * "rhel:9", "wolfi"; BW_EUSAGE naming what is wrong otherwise. */
int bw_match_parse_distro(const char *s, struct bw_match_distro *out, struct bw_error *err);

struct bw_match_opts {
	bool ignore_unfixed;		      /* leave out findings with no fixed version */
	const struct bw_match_distro *distro; /* NULL: the OS detected (r->os) */
	/* read the advisories' and CVEs' reference URLs into the findings (the
	 * JSON, SARIF and CycloneDX writers show them; the table shows the url
	 * alone, which needs no reading) */
	bool references;
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

/* Fill r->coverage.entries: the packages bw_match_report looks up, grouped
 * by the ecosystem or release they are looked up in ("Debian:12", "PyPI"),
 * with the advisories db holds for each (per source, with its data date).
 * db NULL: no database, nothing covered. Ages, staleness and the verdict
 * are the caller's. */
int bw_match_coverage(struct bw_vulndb *db, struct bw_report *r, const struct bw_match_opts *opts,
		      struct bw_error *err);

/* Number the vulnerability findings of r by patch priority (rank 1 first):
 * KEV-listed, then higher EPSS, then higher severity, then id. */
void bw_match_rank(struct bw_report *r);

#endif
