/* report — the one finding model every command produces, and its writers.
 *
 * A struct bw_report owns everything reachable from it: every string and
 * array is allocated from the report's arena, so the producer fills a
 * finding with bw_report_str() copies and never frees anything itself;
 * bw_report_free() releases it all at once. Writers only read a report.
 *
 * The JSON shape is the public contract "bulwark.report/v1" (see
 * docs/report-schema.md): fields may be added, none renamed.
 */
#ifndef BW_REPORT_H
#define BW_REPORT_H

#include "core/core.h"

#define BW_REPORT_SCHEMA "bulwark.report/v1"

enum bw_severity {
	BW_SEV_UNKNOWN = 0,
	BW_SEV_INFO,
	BW_SEV_LOW,
	BW_SEV_MEDIUM,
	BW_SEV_HIGH,
	BW_SEV_CRITICAL,
};

enum bw_kind {
	BW_KIND_VULNERABILITY = 0,
	BW_KIND_SECRET,
	BW_KIND_MISCONFIG,
	BW_KIND_AUDIT,
	BW_KIND_RUNTIME,
	BW_KIND_SUPPLY_CHAIN, /* a signature, attestation or trust data that failed */
	BW_KIND__COUNT,
};

enum bw_status {
	BW_STATUS_FAIL = 0,
	BW_STATUS_WARN,
	BW_STATUS_PASS,
	BW_STATUS_INFO,
	BW_STATUS_MANUAL,
	BW_STATUS_SUPPRESSED,
};

const char *bw_severity_name(enum bw_severity s); /* "HIGH" */
/* Parse "high"/"HIGH"; returns -1 when unknown. */
int bw_severity_parse(const char *s);
const char *bw_kind_name(enum bw_kind k);     /* "misconfiguration" */
const char *bw_status_name(enum bw_status s); /* "fail" */

struct bw_package_ref {
	const char *name, *version, *ecosystem, *purl;
};

struct bw_location {
	const char *layer; /* "sha256:…" of the layer holding the bytes */
	const char *path;
	int line, column; /* 1-based; 0 = unknown */
	int end_line, end_column;
	const char *container;
	int in_final_image; /* -1 unknown, 0 no (deleted by a later layer), 1 yes */
};

/* A CVSS rating of a vulnerability: one vector and its score. */
struct bw_cvss_rating {
	const char *version; /* "4.0", "3.1", "3.0", "2.0" */
	const char *vector;
	double score;
	enum bw_severity severity; /* the score's band in its version */
	const char *nomenclature;  /* v4.0: "CVSS-B", "CVSS-BT", "CVSS-BE", "CVSS-BTE"; else NULL */
	const char *source;	   /* the advisory that states it */
};

/* One source's rating of a vulnerability: "cvss_v3.1", "ghsa", "nvd", … */
struct bw_severity_rating {
	const char *source;
	enum bw_severity severity;
};

struct bw_finding {
	enum bw_kind kind;
	const char *id;
	const char **equivalent; /* peer ids and aliases */
	size_t n_equivalent;
	enum bw_severity severity;
	/* vulnerabilities: where the severity comes from ("cvss_v4", "cvss_v3.1",
	 * "cvss_v3.0", "cvss_v2", "ghsa", "database", "debian_urgency",
	 * "ubuntu_priority", "redhat", "nvd"; "kev" when a KEV listing raised it
	 * to HIGH), or NULL; every source's rating in order of precedence */
	const char *severity_source;
	const struct bw_severity_rating *severity_by_source;
	size_t n_severity_by_source;
	enum bw_status status;
	const char *title;
	struct bw_package_ref package; /* vulnerabilities */
	const char *installed_version, *fixed_version;
	bool has_priority;
	bool kev;
	double epss; /* < 0: unknown */
	int rank;
	const struct bw_cvss_rating *cvss; /* vulnerabilities: newest CVSS version first */
	size_t n_cvss;
	const char *url;	 /* vulnerabilities: the advisory's page, or NULL */
	const char **references; /* further advisory URLs */
	size_t n_references;
	struct bw_location location;
	const char *evidence, *remediation, *suppressed_by;
	/* the same finding seen elsewhere too (a build argument both in the
	 * history and in Env): bw_finding_add_location() */
	const struct bw_location *other_locations;
	size_t n_other_locations;
};

/* A rule of a rule table (lint's BW-DF-NNN, imgcheck's BW-IMG-NNN) as its
 * module describes it for listings and documentation. The module that owns
 * the table fills it; every string is static there. */
struct bw_rule_info {
	const char *id;
	enum bw_severity severity;
	const char *title;
	const char *const *equivalent; /* peer ids, NULL-terminated */
	const char *rationale;
	const char *bad, *good; /* inputs that break / follow the rule */
	const char *remediation;
	bool default_off;
};

/* A digest a package manager recorded for a package (or bulwark computed,
 * for a Java archive). The first four are digests of the package's file —
 * the .jar, the npm tarball, the .crate, the .nupkg, the .deb — and go to
 * the SBOMs' hashes and checksums. The other two are the package managers'
 * own identifiers, digests of something else, so SBOMs carry them as
 * properties or comments, never as a hash of the package file. */
enum bw_hash_alg {
	BW_HASH_SHA1 = 0,
	BW_HASH_SHA256,
	BW_HASH_SHA384,
	BW_HASH_SHA512,
	BW_HASH_GO_H1,	/* Go's module sum "h1:": SHA-256 over the module's file list (dirhash) */
	BW_HASH_APK_Q1, /* apk's "C:Q1…": SHA-1 of the .apk's control segment, not the whole file */
	BW_HASH__COUNT,
};

struct bw_hash {
	enum bw_hash_alg alg;
	const char *hex; /* the digest: 2 × bw_hash_alg_size(alg) lowercase hex digits */
};

/* "sha1", "sha256", "sha384", "sha512", "go-h1", "apk-q1": the report's names. */
const char *bw_hash_alg_name(enum bw_hash_alg a);
/* The digest's length in bytes (20, 32, 48, 64, 32, 20). */
size_t bw_hash_alg_size(enum bw_hash_alg a);
/* True for the digests of the package's file (SHA-1 … SHA-512). */
bool bw_hash_alg_of_file(enum bw_hash_alg a);
/* True when hex[0..n) is exactly 2 × bw_hash_alg_size(a) lowercase hex digits. */
bool bw_hash_hex_valid(enum bw_hash_alg a, const char *hex, size_t n);

struct bw_package {
	const char *name, *version, *ecosystem, *purl;
	const char *source_name, *source_version;
	const char **licenses;
	size_t n_licenses;
	const char *layer, *path;
	const char *
	    *depends; /* purls of direct dependencies, where the format records them (SBOM relations) */
	size_t n_depends;
	const char *origin; /* not from the ecosystem's registry: "local", "git", … (NULL: the registry) */
	bool application;   /* the program itself, not a library (a Rust binary's root crate) */
	const struct bw_hash *hashes; /* at most one per algorithm, in the report's arena */
	size_t n_hashes;
	/* who distributes the package ("Name <email>": a Debian or apk maintainer;
	 * an organisation when supplier_org: an rpm's vendor) and who wrote it
	 * (an npm package's author), or NULL */
	const char *supplier, *author;
	bool supplier_org;
};

/* Which part of a target the vulnerability data covered: per ecosystem or
 * distribution release of its packages ("Debian:12", "PyPI"), how many
 * packages, and the advisories the database holds for it. */
struct bw_coverage_source {
	const char *name;      /* "osv:Debian", "debian-tracker:DSA", "kev", "nvd", … */
	int64_t advisories;    /* -1 for the enrichment sources */
	const char *data_date; /* newest data, or NULL */
	long age_days;	       /* -1 unknown */
	bool stale;	       /* older than max_age */
};

struct bw_coverage_entry {
	const char *ecosystem; /* looked up as; a distribution of unknown release: its name alone */
	size_t packages;
	int64_t advisories; /* over its sources; 0: not covered */
	const char *reason; /* why its packages were not checked, or NULL */
	const char *data_date;
	long age_days;
	bool stale;
	struct bw_coverage_source *sources;
	size_t n_sources;
};

struct bw_coverage {
	bool present;	      /* the vulnerability scanner ran: "coverage" is written */
	bool partial;	      /* some packages could not be checked */
	size_t unchecked;     /* packages not checked */
	const char *database; /* the database's path */
	const char *error;    /* why no database was read (every package unchecked), or NULL */
	const char *distro;   /* the release matched against ("debian:12"), or NULL */
	bool distro_option;   /* given with --distro, not detected */
	long max_age;	      /* days; 0: ages are not judged */
	struct bw_coverage_entry *entries;
	size_t n_entries;
	struct bw_coverage_source *enrichment; /* kev, epss, nvd, cvelist */
	size_t n_enrichment;
};

struct bw_report {
	struct bw_arena arena;
	struct {
		const char *type; /* image|filesystem|dockerfile|engine|compose|kubernetes|host */
		const char *name;
		const char *digest;
	} target;
	struct {
		const char *id, *version, *codename;
	} os;
	struct bw_report_layer *layers; /* images: in the arena (below) */
	size_t n_layers, cap_layers;
	bool list_packages; /* write "packages" even when empty */
	struct bw_package *packages;
	size_t n_packages, cap_packages;
	struct bw_finding *findings;
	size_t n_findings, cap_findings;
	const char **warnings; /* non-fatal problems met on the way, each naming its input */
	size_t n_warnings, cap_warnings;
	struct bw_coverage coverage; /* arrays in the arena */
};

struct bw_report *bw_report_new(const char *target_type, const char *target_name);
void bw_report_free(struct bw_report *r);
/* Copy s into the report's arena (NULL stays NULL). */
const char *bw_report_str(struct bw_report *r, const char *s);
const char *bw_report_strf(struct bw_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append a zeroed finding owned by the report. The pointer stays valid
 * only until the next add: fill it at once (and keep its index,
 * r->n_findings - 1, not the pointer). location.in_final_image starts at
 * -1, epss at -1. */
struct bw_finding *bw_report_add_finding(struct bw_report *r, enum bw_kind kind);
/* Append a zeroed package owned by the report; its index in r->packages
 * (the array may move on the next add: keep the index). */
size_t bw_report_add_package(struct bw_report *r);
void bw_finding_add_equivalent(struct bw_report *r, struct bw_finding *f, const char *id);
/* Append a copy of l (its strings copied into the report) to f's other locations. */
void bw_finding_add_location(struct bw_report *r, struct bw_finding *f, const struct bw_location *l);
/* Append a copy of c (its strings copied into the report). */
void bw_finding_add_cvss(struct bw_report *r, struct bw_finding *f, const struct bw_cvss_rating *c);
/* Set the severity ratings to a copy of s[0..n); the source names are
 * kept as given: they must outlive the report (string literals). */
void bw_finding_set_severity_ratings(struct bw_report *r, struct bw_finding *f,
				     const struct bw_severity_rating *s, size_t n);
void bw_finding_add_reference(struct bw_report *r, struct bw_finding *f, const char *url);
/* Set the references to copies of urls[0..n) at once. */
void bw_finding_set_references(struct bw_report *r, struct bw_finding *f, const char *const *urls, size_t n);
/* Append a zeroed coverage entry (ecosystem copied) and return it; valid
 * until the next add. */
struct bw_coverage_entry *bw_coverage_add_entry(struct bw_report *r, const char *ecosystem);
/* Append a copy of s to an entry's sources, or (e NULL) to the enrichment. */
void bw_coverage_add_source(struct bw_report *r, struct bw_coverage_entry *e,
			    const struct bw_coverage_source *s);
void bw_report_warn(struct bw_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sort findings by severity (highest first), then kind, id, path, line. */
void bw_report_sort(struct bw_report *r);
/* Number of findings at or above min whose status is fail or warn (what
 * --exit-code counts). A KEV-listed vulnerability counts as HIGH at least
 * (the matcher rates it so). */
size_t bw_report_count_at_least(const struct bw_report *r, enum bw_severity min);

enum bw_format {
	BW_FORMAT_TABLE = 0,
	BW_FORMAT_JSON,
	BW_FORMAT_SARIF,
	BW_FORMAT_CYCLONEDX,
	BW_FORMAT_SPDX,
	BW_FORMAT_JUNIT,
	BW_FORMAT_GITLAB,	      /* GitLab container-scanning report */
	BW_FORMAT_GITLAB_CODEQUALITY, /* GitLab code-quality report */
	BW_FORMAT_COMPACT,	      /* one line a finding */
	BW_FORMAT_HTML,
};
/* Parse a --format value; -1 when unknown. */
int bw_format_parse(const char *s);
const char *bw_format_name(enum bw_format f);

struct bw_write_opts {
	enum bw_severity min_severity; /* findings below are left out */
	bool color;		       /* ANSI colour in tables */
	const char *tool_version;
	bool show_suppressed; /* table: list suppressed findings too */
	size_t columns;	      /* table: titles cut to fit this width (0: whole) */
};

/* One finding as an object of the v1 schema (a new reference): for
 * producers that stream findings one at a time (the runtime monitor's
 * JSON lines). */
json_t *bw_report_finding_json(const struct bw_finding *f);

/* A layer of the scanned image, bottom first: the history entry that made
 * it and, when a Dockerfile was given (--dockerfile), the instruction's
 * lines there. Strings in the report's arena; created_by is text from the
 * image. */
struct bw_report_layer {
	const char *digest;  /* blob digest, "sha256:…" */
	const char *diff_id; /* uncompressed digest */
	const char *created_by;
	const char *source_path; /* the Dockerfile, or NULL */
	int source_line, source_end_line;
};

/* Append a zeroed layer (the array may move: keep the index). */
size_t bw_report_add_layer(struct bw_report *r);
/* The layer whose digest or diff_id is id, or NULL. */
const struct bw_report_layer *bw_report_layer_of(const struct bw_report *r, const char *id);

/* Write r to out in fmt. BW_EUNSUPPORTED for a format with no writer yet. */
int bw_report_write(const struct bw_report *r, enum bw_format fmt, FILE *out,
		    const struct bw_write_opts *opts, struct bw_error *err);

/* Text output is hostile too: write s (NULL: "") for a person to read,
 * every byte that would drive a terminal rather than show a character as
 * "\xNN" — C0 controls but TAB, DEL, the C1 controls U+0080-U+009F and
 * bytes that are not UTF-8 — the rest as it is (so the result cannot be
 * parsed back: it is for display), then spaces up to width bytes (printf's
 * "%-*s": 0 for none). At most max bytes of s are read (SIZE_MAX: all; a
 * character max would cut is left out: printf's "%.*s"). Every table
 * writer shows strings from an image, an engine or an advisory through it. */
void bw_report_put_text(FILE *out, const char *s, size_t max, size_t width);

#endif
