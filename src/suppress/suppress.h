/* suppress — ignore files and VEX documents applied to a finished report.
 *
 * One struct bw_suppress collects the entries of any number of ignore files
 * (.bulwarkignore, and Trivy's .trivyignore line syntax) and VEX documents
 * (OpenVEX JSON, CycloneDX VEX JSON), then bw_suppress_apply() marks the
 * matching findings of a report: status "suppressed" and suppressed_by
 * "<file>:<line>: <reason>" (VEX: "<file>: <where>: <status> (<justification>)
 * …"). Findings are never removed; writers decide what to show.
 *
 * The handle owns copies of everything it parsed; the caller frees it with
 * bw_suppress_free(). Strings written into a report are copied into the
 * report's arena.
 *
 * Ignore file lines (see docs/suppression.md):
 *   ID [exp:YYYY-MM-DD] [SCOPE...] [# reason]
 * ID matches a finding's id or any of its equivalent ids (case-insensitive).
 * SCOPE narrows it: "pkg:TYPE/NAME[@VERSION]" a package purl, "path:GLOB"
 * a location path; a word with a '/' or a glob character is a path glob
 * (leading "/" and "./" ignored, matching a directory matches below it),
 * any other word a package name or a file's base name. Several scopes: any one may match. An entry with
 * exp: stops suppressing from that date on (UTC, as Trivy does) and the
 * report gets a warning naming the file and line. A comment line directly
 * above an entry is its reason when the entry has none of its own (so
 * .trivyignore files keep their explanations). Trivy's id forms are one
 * id: "AVD-DS-0002", "DS-0002" and "DS002" match each other.
 *
 * A file whose name ends in .yaml or .yml is Trivy's YAML ignore file
 * (.trivyignore.yaml): sections vulnerabilities, misconfigurations,
 * secrets and licenses, each a list of {id, paths, purls, expired_at,
 * statement}; an entry applies to findings of its section's kind only.
 */
#ifndef BW_SUPPRESS_H
#define BW_SUPPRESS_H

#include "core/core.h"
#include "report/report.h"

/* Bounds on untrusted input. */
#define BW_SUPPRESS_MAX_FILE (16u << 20) /* an ignore file or VEX document */
#define BW_SUPPRESS_MAX_LINE 4096	 /* one ignore-file line */
/* A YAML ignore file (libyaml's document takes ~80 times its text; real
 * ones are a few KiB), and the ids and scopes one may give in all (YAML
 * aliases can repeat a list of scopes in every entry). */
#define BW_SUPPRESS_MAX_YAML (1u << 20)
#define BW_SUPPRESS_MAX_YAML_ITEMS 1000000

struct bw_suppress;

struct bw_suppress *bw_suppress_new(void);
void bw_suppress_free(struct bw_suppress *s);

/* The date expiries are compared against, as days since 1970-01-01 (UTC).
 * Defaults to today; tests set it. */
void bw_suppress_set_today(struct bw_suppress *s, long days);
/* Days since 1970-01-01 of "YYYY-MM-DD" (a valid calendar date), or -1. */
long bw_suppress_parse_date(const char *s, size_t len);

/* Parse an ignore file held in memory; name is used in messages and in
 * suppressed_by. BW_EINPUT naming name:line on a malformed line (nothing
 * of the file is kept then). */
int bw_suppress_add_ignore(struct bw_suppress *s, const char *name, const char *data, size_t len,
			   struct bw_error *err);
/* Parse Trivy's YAML ignore file held in memory (as above). */
int bw_suppress_add_ignore_yaml(struct bw_suppress *s, const char *name, const char *data, size_t len,
				struct bw_error *err);
/* Read and parse an ignore file (the YAML form when its name ends in
 * .yaml or .yml). With missing_ok, a file that does not
 * exist is not an error (returns 0, nothing added). */
int bw_suppress_load_ignore(struct bw_suppress *s, const char *path, bool missing_ok, struct bw_error *err);

/* Parse a VEX document (OpenVEX or CycloneDX JSON, told apart by content).
 * BW_EINPUT naming the file and the field on a malformed document. */
int bw_suppress_add_vex(struct bw_suppress *s, const char *name, const char *data, size_t len,
			struct bw_error *err);
int bw_suppress_load_vex(struct bw_suppress *s, const char *path, struct bw_error *err);

/* Mark the matching findings of r as suppressed and add a warning to r for
 * every expired ignore entry. Findings already suppressed or passing are
 * left alone. Returns the number of findings suppressed. */
size_t bw_suppress_apply(const struct bw_suppress *s, struct bw_report *r);

/* purl match: type, namespace and name equal (type case-insensitive); the
 * version only when want has one; qualifiers only those want names (each
 * must be present with the same value in have); subpaths ignored. */
bool bw_suppress_purl_match(const char *want, const char *have);

#endif
