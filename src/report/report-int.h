/* Private declarations shared by the report writers. */
#ifndef BW_REPORT_INT_H
#define BW_REPORT_INT_H

#include <jansson.h>

#include "report.h"

typedef int bw_report_writer_fn(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
				struct bw_error *err);

bw_report_writer_fn bw_report_write_json, bw_report_write_table, bw_report_write_sarif,
    bw_report_write_cyclonedx, bw_report_write_spdx, bw_report_write_junit, bw_report_write_gitlab,
    bw_report_write_codequality, bw_report_write_compact, bw_report_write_html;

/* True when the finding goes to a list of problems: shown at the writer's
 * severity, failing (fail or warn), and not suppressed unless
 * show_suppressed. */
bool bw_report_finding_listed(const struct bw_finding *f, const struct bw_write_opts *opts);
/* "title in package version (fixed in X)" appended to b. */
void bw_report_finding_message(const struct bw_finding *f, struct bw_buf *b);
/* A page that tells about the finding's id (advisory, peer rule), or NULL. */
const char *bw_report_help_uri(const struct bw_finding *f, char *buf, size_t len);
/* A fingerprint of the finding that survives rebuilds and rescans (kind,
 * id, package, path, line; not the layer or version) as 64 hex digits. */
void bw_report_fingerprint(const struct bw_finding *f, char out[65]);
/* XML/HTML text: & < > " ' as entities, bytes that are not text (C0 but
 * TAB and LF, DEL, C1) as the visible "\xNN". */
void bw_report_put_markup(FILE *out, const char *s);

/* A random RFC 4122 version-4 UUID, and the current UTC time (or
 * SOURCE_DATE_EPOCH) as "YYYY-MM-DDThh:mm:ssZ": for SBOM documents. */
void bw_report_uuid4(char out[37]);
void bw_report_timestamp(char out[32]);
/* A file digest's name in CycloneDX ("SHA-1") and SPDX ("SHA1"); NULL for
 * the package managers' own identifiers (Go h1, apk Q1). */
const char *bw_report_hash_cyclonedx(enum bw_hash_alg a);
const char *bw_report_hash_spdx(enum bw_hash_alg a);
/* The native form of a package manager's identifier ("h1:…", "Q1…") into
 * out (at least 96 bytes); false for file digests. */
bool bw_report_hash_native(const struct bw_hash *h, char *out, size_t outlen);
bool bw_report_finding_shown(const struct bw_finding *f, const struct bw_write_opts *opts);
/* The finding's CVSS ratings as the "cvss" array of the v1 schema (new
 * reference). */
json_t *bw_report_cvss_json(const struct bw_finding *f);
/* The report's "coverage" section (new reference). */
json_t *bw_report_coverage_json(const struct bw_coverage *c);

/* What bw_report_escaped() escapes (escape.c): bytes that are not part of
 * valid UTF-8 (written "\xNN"), and what a terminal must not get (written
 * as bw_report_put_text() shows it). */
enum { BW_REPORT_ESC_UTF8 = 1, BW_REPORT_ESC_TERMINAL = 2 };
/* r itself when none of its strings holds what must be escaped; else a
 * copy (in *copy, for bw_report_free) with those bytes escaped, which
 * borrows r's other strings and so must not outlive r. */
const struct bw_report *bw_report_escaped(const struct bw_report *r, unsigned what, struct bw_report **copy);
/* True when bw_report_put_text() would show s as it is. */
bool bw_report_text_plain(const char *s);

/* Whether s reads as an SPDX licence expression: ids (LicenseRef-...
 * included) joined by AND, OR, WITH, in parentheses. */
bool bw_report_spdx_expression_like(const char *s);
/* The SPDX licence id s names (any case), in the list's spelling, or NULL
 * when it is none of the common ones bulwark knows. */
const char *bw_report_spdx_id(const char *s);
/* "Name <email>" (a Maintainer field, an npm author) into its name and
 * email, each trimmed; email is empty when there is none. */
void bw_report_split_contact(const char *s, struct bw_slice *name, struct bw_slice *email);

/* Stream one member of a JSON object or array (key NULL) to out at an
 * indentation depth, consuming v; *first tracks the comma. */
void bw_report_json_put(FILE *out, const char *key, json_t *v, int depth, bool *first);

#endif
