/* secret — rules for credentials left in files and image configurations,
 * and the multi-pattern scanner that finds them.
 *
 * A rule set (struct bw_secret_rules) is the built-in table plus, optionally,
 * a user's YAML file of custom rules and allow-lists (docs/secrets.md). It is
 * compiled once per run: every rule's literal keywords (or, for a rule
 * without keywords, the rule's regex in prefilter mode) go into one
 * Vectorscan streaming database; a keyword hit makes a candidate, which the
 * rule's PCRE2 regex confirms on the bounded window of text around it, then
 * the rule's entropy threshold and allow-lists decide. A compiled rule set is
 * read-only and may be shared by any number of threads.
 *
 * A struct bw_secret_scanner holds one thread's mutable state (Vectorscan
 * scratch and stream, PCRE2 match data, the text window): one per thread or
 * per layer, never shared. It scans one file at a time as a stream of
 * chunks, so memory stays bounded whatever the file size.
 *
 * Ownership: rules and scanners are freed by their _free functions. A
 * struct bw_secret_match and its strings are valid only during the callback
 * that receives it. The scanner zeroes its text window when a file ends.
 */
#ifndef BW_SECRET_H
#define BW_SECRET_H

#include "core/core.h"
#include "image/image.h"
#include "report/report.h"

struct bw_secret_rules;
struct bw_secret_scanner;

/* Compile the built-in rules and, when config_path is not NULL, the custom
 * rules and allow-lists of that YAML file. An unreadable file or a broken
 * rule (invalid regex, missing id, unknown key) is BW_EUSAGE with a message
 * naming the file, the line and the rule. store, when not NULL (borrowed,
 * used only during the call), keeps the compiled Vectorscan databases
 * between runs under a key hashed from every expression, Vectorscan's
 * version and this CPU's features, so a run with the same rules
 * deserializes instead of compiling (most of a cached scan's time); a
 * record Vectorscan refuses is compiled anew. */
int bw_secret_rules_new(const char *config_path, const struct bw_layer_cache *store,
			struct bw_secret_rules **out, struct bw_error *err);
/* As above with the YAML given as a buffer (name used in messages). */
int bw_secret_rules_new_from_buffer(const char *name, const char *yaml, size_t len,
				    struct bw_secret_rules **out, struct bw_error *err);
void bw_secret_rules_free(struct bw_secret_rules *r);

/* The rules of a set, in priority order (custom rules first). */
struct bw_secret_rule_info {
	const char *id; /* "BW-SEC-AWS-001" */
	const char *title;
	enum bw_severity severity;
	const char *keywords; /* '|'-separated literals, NULL when the regex prefilters itself */
	const char *regex;
	bool custom;
};
size_t bw_secret_rules_count(const struct bw_secret_rules *r);
void bw_secret_rules_get(const struct bw_secret_rules *r, size_t i, struct bw_secret_rule_info *out);

/* Settings of the set (from the config file; defaults otherwise). */
uint64_t bw_secret_rules_max_file_size(const struct bw_secret_rules *r); /* default 64 MiB */
bool bw_secret_rules_scan_binary(const struct bw_secret_rules *r);	 /* default false */
/* True when a path is allow-listed as a whole (no finding can come from it). */
bool bw_secret_path_allowed(const struct bw_secret_rules *r, const char *path);

/* One confirmed secret. */
struct bw_secret_match {
	const char *rule_id, *title;
	enum bw_severity severity;
	int line, column;   /* 1-based, of the secret's first byte; column counts bytes */
	uint64_t offset;    /* byte offset of the secret in the file */
	const char *masked; /* the secret's first 4 characters, the rest as '*' */
};

/* Called for each match; return non-zero to stop the scan of this file
 * (the scan then returns that value). */
typedef int (*bw_secret_match_fn)(void *ud, const struct bw_secret_match *m);

struct bw_secret_scanner *bw_secret_scanner_new(const struct bw_secret_rules *r);
void bw_secret_scanner_free(struct bw_secret_scanner *s);

/* Scan one file as a stream: begin, chunk* (any sizes), end. path selects
 * path-scoped rules and path allow-lists (NULL: none apply). end() reports
 * the matches still pending; chunk() may report some before. Returns 0, a
 * callback's non-zero value, or a negative BW_E* (engine failure). */
int bw_secret_scan_begin(struct bw_secret_scanner *s, const char *path, struct bw_error *err);
int bw_secret_scan_chunk(struct bw_secret_scanner *s, const void *data, size_t len, bw_secret_match_fn cb,
			 void *ud, struct bw_error *err);
int bw_secret_scan_end(struct bw_secret_scanner *s, bw_secret_match_fn cb, void *ud, struct bw_error *err);

/* After end(): true when the file was not scanned because its first 8 KiB
 * hold a NUL byte (binary content) and the rule set does not scan binaries. */
bool bw_secret_scan_was_binary(const struct bw_secret_scanner *s);

/* The three above in one call, for a buffer already in memory (a
 * Dockerfile, an environment variable). Allocates a scanner for the call. */
int bw_secret_scan_buffer(const struct bw_secret_rules *r, const char *path, const void *data, size_t len,
			  bw_secret_match_fn cb, void *ud, struct bw_error *err);

/* The prefilter pass alone, for measurement (bench/secret/engine_bench.c):
 * the Vectorscan stream of the rules that apply to every file runs over
 * data in pieces of `chunk` bytes, as bw_secret_scan_chunk() would, with no
 * window copy and no confirmation. *candidates is set to the number of hits
 * it reported. The scanner must be between files (not inside begin/end). */
int bw_secret_prefilter_buffer(struct bw_secret_scanner *s, const void *data, size_t len, size_t chunk,
			       uint64_t *candidates, struct bw_error *err);

/* Shannon entropy of s in bits per byte (0 to 8). */
double bw_secret_entropy(const char *s, size_t n);

/* Write the masked form of a secret into out (NUL-terminated, truncated to
 * outlen): the first 4 characters, then one '*' per remaining character up
 * to 32 in all; a secret shorter than 12 shows only a third of itself. */
void bw_secret_mask(const char *s, size_t n, char *out, size_t outlen);

/* ---- image and filesystem scans ----------------------------------------
 *
 * A job scans every regular file of every layer (as a stream), then, after
 * the walk, the image configuration (Env, Labels, history created_by) and
 * turns everything into report findings with layer, path, line, column and
 * whether the file is still in the final image. */
struct bw_secret_job;
/* store: as bw_secret_rules_new()'s. */
int bw_secret_job_new(const char *config_path, const struct bw_layer_cache *store, struct bw_secret_job **out,
		      struct bw_error *err);
/* The analyzer to register on the walk; valid until bw_secret_job_free(). */
const struct bw_analyzer *bw_secret_job_analyzer(struct bw_secret_job *j);
/* After bw_image_walk(): add the findings and warnings to r. */
int bw_secret_job_report(struct bw_secret_job *j, struct bw_image *img, struct bw_report *r,
			 struct bw_error *err);
void bw_secret_job_free(struct bw_secret_job *j);

/* The row of the scan pipeline's scanner table (defined in scanner.c). */
struct bw_scanner;
extern const struct bw_scanner bw_scanner_secret;

#endif
