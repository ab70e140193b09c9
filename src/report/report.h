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

#include <jansson.h>

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

struct bw_finding {
	enum bw_kind kind;
	const char *id;
	const char **equivalent; /* peer ids and aliases */
	size_t n_equivalent;
	enum bw_severity severity;
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
	struct bw_location location;
	const char *evidence, *remediation, *suppressed_by;
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
	bool list_packages; /* write "packages" even when empty */
	struct bw_package *packages;
	size_t n_packages, cap_packages;
	struct bw_finding *findings;
	size_t n_findings, cap_findings;
	const char **warnings; /* non-fatal problems met on the way, each naming its input */
	size_t n_warnings, cap_warnings;
};

struct bw_report *bw_report_new(const char *target_type, const char *target_name);
void bw_report_free(struct bw_report *r);
/* Copy s into the report's arena (NULL stays NULL). */
const char *bw_report_str(struct bw_report *r, const char *s);
const char *bw_report_strf(struct bw_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append a zeroed finding/package owned by the report. The pointer stays
 * valid only until the next add: fill it at once. location.in_final_image
 * starts at -1, epss at -1. */
struct bw_finding *bw_report_add_finding(struct bw_report *r, enum bw_kind kind);
struct bw_package *bw_report_add_package(struct bw_report *r);
void bw_finding_add_equivalent(struct bw_report *r, struct bw_finding *f, const char *id);
/* Append a copy of c (its strings copied into the report). */
void bw_finding_add_cvss(struct bw_report *r, struct bw_finding *f, const struct bw_cvss_rating *c);
void bw_report_warn(struct bw_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sort findings by severity (highest first), then kind, id, path, line. */
void bw_report_sort(struct bw_report *r);
/* Number of findings at or above min whose status is fail or warn (what
 * --exit-code counts). */
size_t bw_report_count_at_least(const struct bw_report *r, enum bw_severity min);

enum bw_format {
	BW_FORMAT_TABLE = 0,
	BW_FORMAT_JSON,
	BW_FORMAT_SARIF,
	BW_FORMAT_CYCLONEDX,
	BW_FORMAT_SPDX,
};
/* Parse a --format value; -1 when unknown. */
int bw_format_parse(const char *s);
const char *bw_format_name(enum bw_format f);

struct bw_write_opts {
	enum bw_severity min_severity; /* findings below are left out */
	bool color;		       /* ANSI colour in tables */
	const char *tool_version;
	bool show_suppressed; /* table: list suppressed findings too */
};

/* One finding as an object of the v1 schema (a new reference): for
 * producers that stream findings one at a time (the runtime monitor's
 * JSON lines). */
json_t *bw_report_finding_json(const struct bw_finding *f);

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
