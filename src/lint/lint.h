/* lint — Dockerfile linting: a BuildKit-faithful parser, a POSIX sh parser
 * for RUN, and rules with Hadolint / Trivy / Dockle / CIS equivalents.
 *
 * Ownership: a struct bw_lint_config is owned by the caller (new/free);
 * bw_lint_dockerfile() only reads it and the input bytes, and adds findings
 * (copied into the report's arena) to the caller's report. The rule table
 * is static; bw_lint_rules_json() returns a document the caller releases.
 */
#ifndef BW_LINT_H
#define BW_LINT_H

#include "core/core.h"
#include "report/report.h"

/* Largest Dockerfile accepted (bytes). */
#define BW_LINT_MAX_FILE (16u * 1024 * 1024)

struct bw_lint_config;

struct bw_lint_config *bw_lint_config_new(void);
void bw_lint_config_free(struct bw_lint_config *cfg);

/* Read a YAML configuration (see docs/rules/dockerfile.md, "Configuration"):
 *   disable: [ID, ...]          rules not run (own or peer ids)
 *   enable: [ID, ...]           rules that are off by default, turned on
 *   severity: {ID: HIGH, ...}   severity overrides
 *   trusted-registries: [docker.io, "*.corp.example"]
 *   required-labels: [name, ...] or {name: type}
 *   label-schema: {name: text|url|semver|hash|spdx|rfc3339|email}
 *   strict-labels: true
 * Keys hadolint spells differently (ignored, override.error, ...,
 * trustedRegistries, label-schema, strict-labels) are accepted too.
 * Later calls add to what earlier ones set. `name` names the input in errors. */
int bw_lint_config_load(struct bw_lint_config *cfg, const char *path, struct bw_error *err);
int bw_lint_config_load_string(struct bw_lint_config *cfg, const char *text, size_t len, const char *name,
			       struct bw_error *err);
/* The failure threshold (Hadolint's failure-threshold): lint fails on
 * findings at or above it. Hadolint's levels map to bulwark's severities
 * as their rules' severities do: error HIGH, warning MEDIUM, info LOW,
 * style INFO; ignore/none never fail. bulwark's own names are accepted
 * too (CRITICAL ... UNKNOWN). */
enum { BW_LINT_THRESHOLD_UNSET = -2, BW_LINT_THRESHOLD_NEVER = -1 };
/* A severity, BW_LINT_THRESHOLD_NEVER, or BW_LINT_THRESHOLD_UNSET when s
 * is no threshold name. */
int bw_lint_threshold_parse(const char *s);
/* What the configuration files set: failure-threshold (or UNSET) and
 * no-fail (-1 unset, 0, 1). */
int bw_lint_config_failure_threshold(const struct bw_lint_config *cfg, int *no_fail);
/* Whether lint runs ShellCheck (after bw_lint_config_shellcheck). */
bool bw_lint_config_shellcheck_on(const struct bw_lint_config *cfg);
/* Hadolint's configuration file when no --config names one, found as
 * Hadolint finds it, the first that exists of: ./.hadolint.yaml,
 * ./.hadolint.yml, $XDG_CONFIG_HOME/hadolint.yaml|yml (XDG_CONFIG_HOME
 * defaults to ~/.config), ~/.config/hadolint.yaml|yml,
 * ~/.hadolint/hadolint.yaml|yml, ~/.hadolint/config.yaml|yml,
 * ~/.hadolint.yaml|yml. A heap string, or NULL when none exists. */
char *bw_lint_config_find(void);

/* ShellCheck findings (SCnnnn) for RUN scripts, from the `shellcheck`
 * program on PATH when there is one (off unless set; the YAML key
 * `shellcheck: true|false` sets it too). With force false, only when the
 * configuration left it unset. Disabling an SC id (disable/ignored, or
 * bw_lint_config_disable) drops that ShellCheck code. */
void bw_lint_config_shellcheck(struct bw_lint_config *cfg, bool on, bool force);

/* Programmatic equivalents of the keys above. Return BW_EUSAGE for an
 * unknown rule id or severity. */
int bw_lint_config_disable(struct bw_lint_config *cfg, const char *id, struct bw_error *err);
int bw_lint_config_trust_registry(struct bw_lint_config *cfg, const char *registry);
int bw_lint_config_require_label(struct bw_lint_config *cfg, const char *name, const char *type,
				 struct bw_error *err);

/* Lint one Dockerfile held in data[0..len). `path` names it in findings and
 * errors. Findings (kind misconfiguration, id BW-DF-NNN, peer ids in
 * `equivalent`, location with line/column range) are appended to r;
 * inline-ignored ones carry status suppressed.
 * Returns 0, or BW_EINPUT / BW_ELIMIT when the file cannot be parsed at all
 * (not UTF-8 text, larger than BW_LINT_MAX_FILE, a bad parser directive,
 * an unterminated heredoc, no instruction): err then names path:line:column
 * and r is left unchanged. Problems confined to one instruction (unknown
 * instruction, malformed flags or JSON) are findings, not errors. */
int bw_lint_dockerfile(struct bw_report *r, const char *path, const char *data, size_t len,
		       const struct bw_lint_config *cfg, struct bw_error *err);

/* For an image built from the Dockerfile data[0..len) (path names it in
 * errors): the lines of the instruction that made each of its n layers,
 * bottom first, from the layers' history entries (created_by[i], NULL
 * when unknown), into line[i] and end_line[i] (0 for a layer no
 * instruction of the final stage's chain made: the base image's). Returns
 * how many layers were placed, or BW_EINPUT / BW_ELIMIT when the file
 * cannot be parsed. */
int bw_lint_locate_layers(const char *path, const char *data, size_t len, const char *const *created_by,
			  size_t n, int *line, int *end_line, struct bw_error *err);

/* The rule table, for listings and documentation (bad/good are example
 * Dockerfiles). */
size_t bw_lint_rule_count(void);
/* i < bw_lint_rule_count(); the strings are static. */
void bw_lint_rule_info(size_t i, struct bw_rule_info *out);
/* Index of the rule with own or peer id `id` (case-insensitive), or -1. */
int bw_lint_rule_find(const char *id);
/* The rule table as `lint --list-rules` writes it: JSON [{id, severity,
 * title, equivalent, rationale, bad, good, remediation, default_enabled}]
 * (a new reference the caller releases with json_decref), or a line a rule
 * (write errors left on out for its owner). */
json_t *bw_lint_rules_json(void);
void bw_lint_rules_write_table(FILE *out);

#endif
