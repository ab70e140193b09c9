/* version — version comparison and range evaluation for every ecosystem.
 *
 * One comparator per scheme, each a strict parser plus a total order that
 * follows the implementation its ecosystem really uses (dpkg, rpm, apk-tools,
 * node-semver, pypa/packaging, Maven's ComparableVersion, RubyGems, Go's
 * x/mod/semver, Cargo's semver crate, NuGet, Composer). On top of them, OSV
 * range evaluation for the vulnerability matcher.
 *
 * Ownership: nothing here allocates memory that outlives a call and nothing
 * keeps a pointer to its arguments. Versions and ranges are borrowed byte
 * slices (need not be NUL-terminated, may hold any bytes). All functions are
 * reentrant and thread-safe.
 *
 * Bad input: a version the scheme rejects makes the call fail with BW_EINPUT
 * and a reason naming the version; it is never compared as equal. Numbers of
 * any length are compared as digit strings, so 1,000-digit numbers neither
 * overflow nor lose precision (except where the ecosystem's own
 * implementation is documented to behave otherwise, see docs/vercmp.md).
 * Every function runs in time linear in its input (ranges: linear in
 * range length times version length at worst).
 */
#ifndef BW_VERSION_H
#define BW_VERSION_H

#include "core/core.h"

enum bw_version_scheme {
	BW_VERSION_DEB,	     /* "deb": dpkg (epoch:upstream-revision) */
	BW_VERSION_RPM,	     /* "rpm": rpmvercmp over [epoch:]version[-release] */
	BW_VERSION_APK,	     /* "apk": Alpine apk-tools */
	BW_VERSION_SEMVER,   /* "semver": SemVer 2.0.0 precedence, strict */
	BW_VERSION_NPM,	     /* "npm": node-semver 7 (its limits and ranges) */
	BW_VERSION_PYPI,     /* "pypi": PEP 440 (pypa/packaging) */
	BW_VERSION_MAVEN,    /* "maven": Maven ComparableVersion */
	BW_VERSION_GEM,	     /* "gem": RubyGems Gem::Version */
	BW_VERSION_GO,	     /* "go": Go modules (golang.org/x/mod/semver) */
	BW_VERSION_CARGO,    /* "cargo": crates.io (Rust semver crate) */
	BW_VERSION_NUGET,    /* "nuget": NuGet.Versioning */
	BW_VERSION_COMPOSER, /* "composer": Composer (Packagist) */
	BW_VERSION__COUNT
};

/* The scheme named `name` ("deb", "rpm", ...; "debian", "dpkg", "pep440",
 * "python", "rubygems", "golang", "crates.io", "packagist" are accepted
 * aliases), or -1 when unknown. */
int bw_version_scheme_parse(const char *name);
/* The canonical name of a scheme ("deb", ...), or "?" when out of range. */
const char *bw_version_scheme_name(enum bw_version_scheme scheme);

/* Check that v is a valid version of the scheme: 0, or BW_EINPUT with the
 * reason in err. BW_EUSAGE for an unknown scheme. */
int bw_version_validate(enum bw_version_scheme scheme, struct bw_slice v, struct bw_error *err);

/* Compare a and b: *cmp is set to -1, 0 or 1 (the sign of a - b). Fails with
 * BW_EINPUT (reason naming the invalid version) when either is invalid; *cmp
 * is then left unchanged. */
int bw_version_compare(enum bw_version_scheme scheme, struct bw_slice a, struct bw_slice b, int *cmp,
		       struct bw_error *err);

/* Evaluate an ecosystem range expression:
 *   deb, rpm, apk   one or more "OP VERSION" terms (OP one of < <= = >= > !=,
 *                   plus << >> for deb, ~ <~ >~ for apk), separated by
 *                   whitespace or ',' and all required; "||" separates
 *                   alternatives
 *   semver          as npm, with SemVer 2.0 versions
 *   npm             node-semver ranges (^ ~ x-ranges, hyphen ranges, ||)
 *   pypi            PEP 440 specifier sets (",", ~= == != <= >= < > ===),
 *                   pre-releases as pip: only when a specifier names one
 *   maven           version ranges ("[1.0,2.0)", "(,1.0],[1.2,)") or a
 *                   soft requirement (a bare version, meaning exactly it)
 *   gem             requirements ("~> 1.2", ">= 1, < 3", ...)
 *   go, cargo       Cargo-style requirements (^ ~ = > >= < <= * x, ",")
 *   nuget           NuGet ranges ("[1.0,2.0)", "1.0" meaning >= 1.0)
 *   composer        Composer constraints (^ ~ x *, hyphen, space/","
 *                   AND, "||" / "|" OR)
 * *in is set to whether version satisfies range. BW_EINPUT when the version
 * or the range is invalid. */
int bw_version_in_range(enum bw_version_scheme scheme, struct bw_slice version, struct bw_slice range,
			bool *in, struct bw_error *err);

/* ---- package names ------------------------------------------------------ */

/* The PEP 503 normal form of a Python project name: ASCII letters
 * lowercased, each run of '-', '_' and '.' one '-' (at either end too), every
 * other byte as it is (Python's re.sub(r"[-_.]+", "-", name).lower() on an
 * ASCII name). PyPI advisories are stored under it (vulndb) and packages
 * looked up by it (inventory, match): the writer and the readers must agree
 * byte for byte, so this is the only implementation. Writes the form and a
 * NUL into out (len + 1 bytes suffice) and returns its length. */
size_t bw_version_pep503_name(const char *name, size_t len, char *out);

/* ---- OSV ranges --------------------------------------------------------- */

/* The scheme of an OSV ecosystem name ("Debian", "Debian:12", "Alpine:v3.20",
 * "PyPI", "npm", "Go", "crates.io", "Maven", "RubyGems", "NuGet",
 * "Packagist", "AlmaLinux:9", "Rocky Linux:9", "Red Hat", "Ubuntu:22.04",
 * "Bitnami", "openSUSE", "SUSE", "Mageia", "Wolfi", "Chainguard", ...; the
 * ":suffix" is ignored), or -1 when bulwark has no comparator for it. */
int bw_version_scheme_from_osv(struct bw_slice ecosystem);

enum bw_osv_event_kind {
	BW_OSV_INTRODUCED,
	BW_OSV_FIXED,
	BW_OSV_LAST_AFFECTED,
	BW_OSV_LIMIT,
};

enum bw_osv_range_type {
	BW_OSV_RANGE_ECOSYSTEM, /* versions compared with the package's scheme */
	BW_OSV_RANGE_SEMVER,	/* versions compared as SemVer 2.0 ("v" prefix tolerated) */
	BW_OSV_RANGE_GIT,	/* commit hashes: never matches a version, ignored */
};

/* One event of an OSV range, as parsed from the JSON by the caller.
 * "introduced": "0" means "from the beginning"; "limit": "*" means none. */
struct bw_osv_event {
	enum bw_osv_event_kind kind;
	struct bw_slice version;
};

struct bw_osv_range {
	enum bw_osv_range_type type;
	const struct bw_osv_event *events;
	size_t n_events;
};

/* One OSV "affected" entry: its ranges and its explicit versions list. All
 * pointers are borrowed for the duration of the call. */
struct bw_osv_affected {
	enum bw_version_scheme scheme; /* the comparator of ECOSYSTEM ranges */
	const struct bw_osv_range *ranges;
	size_t n_ranges;
	const struct bw_slice *versions;
	size_t n_versions;
};

/* Decide whether `version` is affected: it is listed in `versions` (byte
 * equality, or equality under the scheme), or it falls in any range
 * (OSV schema evaluation: events sorted by version, "introduced" opens,
 * "fixed" closes at the fixed version, "last_affected" closes after it,
 * "limit" events bound the range from above). GIT ranges are skipped.
 * BW_EINPUT when `version` is invalid for the scheme, or an event version
 * is invalid (the error names the event); *affected is then unchanged. */
int bw_osv_affected_match(const struct bw_osv_affected *a, struct bw_slice version, bool *affected,
			  struct bw_error *err);

#endif
