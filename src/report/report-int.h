/* Private declarations shared by the report writers. */
#ifndef BW_REPORT_INT_H
#define BW_REPORT_INT_H

#include "report.h"

#include <jansson.h>

typedef int (*bw_report_writer_fn)(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
				   struct bw_error *err);

int bw_report_write_json(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
			 struct bw_error *err);
int bw_report_write_table(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
			  struct bw_error *err);
int bw_report_write_sarif(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
			  struct bw_error *err);
int bw_report_write_cyclonedx(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
			      struct bw_error *err);
int bw_report_write_spdx(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
			 struct bw_error *err);
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

/* Stream one member of a JSON object or array (key NULL) to out at an
 * indentation depth, consuming v; *first tracks the comma. */
void bw_report_json_put(FILE *out, const char *key, json_t *v, int depth, bool *first);

#endif
