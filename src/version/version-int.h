/* Private declarations shared by the comparators of src/version. */
#ifndef BW_VERSION_INT_H
#define BW_VERSION_INT_H

#include "version.h"

/* One scheme: a strict validator, a total order and (optionally) a range
 * evaluator. compare() validates both sides itself. */
struct bw_version_ops {
	const char *name;
	int (*validate)(struct bw_slice v, struct bw_error *err);
	int (*compare)(struct bw_slice a, struct bw_slice b, int *cmp, struct bw_error *err);
	int (*in_range)(struct bw_slice v, struct bw_slice range, bool *in, struct bw_error *err);
};

extern const struct bw_version_ops bw_version_deb_ops, bw_version_rpm_ops, bw_version_apk_ops,
    bw_version_semver_ops, bw_version_npm_ops, bw_version_pypi_ops, bw_version_maven_ops, bw_version_gem_ops,
    bw_version_go_ops, bw_version_cargo_ops, bw_version_nuget_ops, bw_version_composer_ops;

const struct bw_version_ops *bw_version_ops_of(enum bw_version_scheme scheme);

/* Fill err with "<scheme> version '<v>': <why>" (v escaped and shortened)
 * and return BW_EINPUT. */
int bw_version_invalid(struct bw_error *err, const char *scheme, struct bw_slice v, const char *why);
/* The same for a range expression. */
int bw_version_bad_range(struct bw_error *err, const char *scheme, struct bw_slice r, const char *why);

static inline int bw_vc_sign(int x)
{
	return (x > 0) - (x < 0);
}

/* Compare two runs of ASCII digits as unbounded non-negative integers:
 * leading zeros stripped, then length, then bytes. */
int bw_vc_digits_cmp(const char *a, size_t al, const char *b, size_t bl);
/* Compare byte strings (memcmp, then length). */
int bw_vc_bytes_cmp(const char *a, size_t al, const char *b, size_t bl);
/* Case-insensitive ASCII equality of a slice and a lowercase literal. */
bool bw_vc_ieq(struct bw_slice s, const char *lower);
/* Every byte an ASCII digit (true for an empty slice). */
bool bw_vc_all_digits(struct bw_slice s);
/* The length in UTF-16 code units (JavaScript's and Java's String.length). */
size_t bw_vc_utf16_len(struct bw_slice s);
/* Drop ASCII whitespace at both ends. */
struct bw_slice bw_vc_trim(struct bw_slice s);
/* Drop ECMAScript white space (String.prototype.trim) at both ends. */
struct bw_slice bw_vc_js_trim(struct bw_slice s);

/* rpmvercmp() over two bare version strings (no epoch/release split). */
int bw_rpm_vercmp(struct bw_slice a, struct bw_slice b);
/* apk comparison with the fuzzy prefix rule ("~" operator). Both valid. */
int bw_apk_compare_fuzzy(struct bw_slice a, struct bw_slice b, bool fuzzy);

/* Generic "OP VERSION" list evaluator (deb, rpm, apk): alternatives split at
 * "||", terms at whitespace or ','. */
int bw_version_simple_range(enum bw_version_scheme scheme, struct bw_slice v, struct bw_slice range, bool *in,
			    struct bw_error *err);

/* ---- semver family (semver.c, npm.c) ---------------------------------- */

/* A parsed SemVer version; slices point into the input (or an arena). */
struct bw_semver {
	struct bw_slice major, minor, patch; /* digit strings */
	struct bw_slice pre;		     /* prerelease without '-', len 0 when none */
	struct bw_slice build;		     /* build without '+' */
	bool npm;			     /* node-semver identifier rules */
};

/* Strict SemVer 2.0 parse (npm=false) or node-semver's (npm=true: trims
 * whitespace, optional 'v', 256-character and 2^53-1 limits). Returns NULL
 * on success or a static reason. */
const char *bw_semver_parse(struct bw_slice in, bool npm, struct bw_semver *out);
int bw_semver_cmp(const struct bw_semver *a, const struct bw_semver *b);
/* Evaluate a node-semver range (npm ranges; strict versions when !npm). */
int bw_npm_range_eval(struct bw_slice v, struct bw_slice range, bool npm, bool include_prerelease, bool *in,
		      struct bw_error *err);

/* Cargo/Go-style requirement evaluation over strict SemVer (cargo.c). */
int bw_cargo_req_eval(const struct bw_semver *v, struct bw_slice req, const char *scheme, bool *in,
		      struct bw_error *err);

/* PEP 440 specifier evaluation with an explicit pre-release policy:
 * prereleases -1 = pip's default, 0 = never, 1 = always. */
int bw_pep440_in_specifiers(struct bw_slice v, struct bw_slice spec, int prereleases, bool *in,
			    struct bw_error *err);

#endif
