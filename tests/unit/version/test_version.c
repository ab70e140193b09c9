/* Unit tests of src/version: the *.cases tables beside this file, the
 * upstream test vectors in shared/data/versions (found through
 * $BW_SHARED_DATA or ../shared/data next to the repository; skipped when
 * absent), hostile inputs, and OSV range evaluation (synthetic events and
 * the OSV sample records in shared/data/osv).
 *
 * Case file lines (fields separated by TAB; \t \n \\ \xHH escapes):
 *   cmp    SCHEME A B EXPECTED      EXPECTED: -1 0 1 invalid
 *   in     SCHEME V RANGE EXPECTED  EXPECTED: true false invalid
 *   valid  SCHEME V                 invalid SCHEME V
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <sys/stat.h>

#include "version/version-int.h"

static const char *cases_dir, *source_root;
static char shared_dir[4096];

/* ---- helpers ------------------------------------------------------------ */

static size_t unescape(char *s)
{
	size_t o = 0;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] != '\\' || !s[i + 1]) {
			s[o++] = s[i];
			continue;
		}
		char c = s[++i];
		if (c == 't')
			s[o++] = '\t';
		else if (c == 'n')
			s[o++] = '\n';
		else if (c == 'x' && s[i + 1] && s[i + 2]) {
			char hex[3] = {s[i + 1], s[i + 2], 0};
			s[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else
			s[o++] = c;
	}
	s[o] = 0;
	return o;
}

static int split_tabs(char *line, char **f, int max)
{
	int n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == '\t') {
			*p = 0;
			f[n++] = p + 1;
		}
	return n;
}

static const char *cmp_word(int rc, int c)
{
	if (rc < 0)
		return "invalid";
	return c < 0 ? "-1" : c > 0 ? "1" : "0";
}

static const char *in_word(int rc, bool in)
{
	return rc < 0 ? "invalid" : in ? "true" : "false";
}

/* Run one case line; returns 0 or 1 (a failure, printed). */
static int run_line(const char *file, int lineno, char *line)
{
	char *f[8];
	int n = split_tabs(line, f, 8);
	size_t len[8];
	for (int i = 0; i < n; i++)
		len[i] = unescape(f[i]);
	if (n < 3)
		return 0;
	int scheme = bw_version_scheme_parse(f[1]);
	if (scheme < 0) {
		print_error("%s:%d: unknown scheme %s\n", file, lineno, f[1]);
		return 1;
	}
	struct bw_error err = BW_ERROR_INIT;
	if (!strcmp(f[0], "cmp") && n >= 5) {
		int c = 0, rc = bw_version_compare(scheme, (struct bw_slice){f[2], len[2]},
						   (struct bw_slice){f[3], len[3]}, &c, &err);
		const char *got = cmp_word(rc, c);
		if (strcmp(got, f[4])) {
			print_error("%s:%d: %s cmp '%s' '%s': got %s, want %s (%s)\n", file, lineno, f[1],
				    f[2], f[3], got, f[4], err.msg);
			return 1;
		}
		/* antisymmetry */
		if (rc == 0) {
			int c2 = 0;
			bw_version_compare(scheme, (struct bw_slice){f[3], len[3]},
					   (struct bw_slice){f[2], len[2]}, &c2, &err);
			if (c2 != -c) {
				print_error("%s:%d: not antisymmetric\n", file, lineno);
				return 1;
			}
		}
		return 0;
	}
	if (!strcmp(f[0], "in") && n >= 5) {
		bool in = false;
		int rc = bw_version_in_range(scheme, (struct bw_slice){f[2], len[2]},
					     (struct bw_slice){f[3], len[3]}, &in, &err);
		const char *got = in_word(rc, in);
		if (strcmp(got, f[4])) {
			print_error("%s:%d: %s '%s' in '%s': got %s, want %s (%s)\n", file, lineno, f[1],
				    f[2], f[3], got, f[4], err.msg);
			return 1;
		}
		return 0;
	}
	if (!strcmp(f[0], "valid") || !strcmp(f[0], "invalid")) {
		int rc = bw_version_validate(scheme, (struct bw_slice){f[2], len[2]}, &err);
		bool want = !strcmp(f[0], "valid");
		if ((rc == 0) != want) {
			print_error("%s:%d: %s '%s': want %s (%s)\n", file, lineno, f[1], f[2], f[0],
				    err.msg);
			return 1;
		}
		if (!want && (err.code != BW_EINPUT || !err.msg[0])) {
			print_error("%s:%d: invalid without a reason\n", file, lineno);
			return 1;
		}
		return 0;
	}
	print_error("%s:%d: bad case line\n", file, lineno);
	return 1;
}

static int run_file(const char *path, int *count)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, fails = 0;
	while ((n = getline(&line, &cap, fp)) > 0) {
		lineno++;
		if (line[n - 1] == '\n')
			line[--n] = 0;
		if (!n || line[0] == '#')
			continue;
		fails += run_line(path, lineno, line);
		(*count)++;
	}
	free(line);
	fclose(fp);
	return fails;
}

/* ---- the case tables ---------------------------------------------------- */

static void test_case_file(void **state)
{
	const char *name = *state;
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", cases_dir, name);
	int count = 0, fails = run_file(path, &count);
	assert_true(fails >= 0);
	print_message("%s: %d cases\n", name, count);
	assert_true(count > 0);
	assert_int_equal(fails, 0);
}

/* ---- upstream vectors --------------------------------------------------- */

static bool find_shared(void)
{
	const char *env = getenv("BW_SHARED_DATA");
	struct stat st;
	if (env && *env) {
		snprintf(shared_dir, sizeof shared_dir, "%s", env);
		return stat(shared_dir, &st) == 0;
	}
	snprintf(shared_dir, sizeof shared_dir, "%s/../shared/data", source_root);
	return stat(shared_dir, &st) == 0;
}

/* a TSV of `a b expected` (or with a 4th options column) */
static int run_vectors(const char *file, const char *scheme, int mode, int *count, int *skipped)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/versions/%s", shared_dir, file);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int fails = 0, lineno = 0;
	int s = bw_version_scheme_parse(scheme);
	while ((n = getline(&line, &cap, fp)) > 0) {
		lineno++;
		if (line[n - 1] == '\n')
			line[--n] = 0;
		if (!n || line[0] == '#')
			continue;
		char *f[6];
		int nf = split_tabs(line, f, 6);
		size_t len[6];
		for (int i = 0; i < nf; i++)
			len[i] = unescape(f[i]);
		if (nf >= 4 && !strncmp(file, "npm", 3) && strcmp(f[3], "{}")) {
			(*skipped)++; /* node-semver options (loose, includePrerelease) */
			continue;
		}
		struct bw_error err = BW_ERROR_INIT;
		struct bw_slice a = {f[0], len[0]}, b = {f[1], len[1]};
		(*count)++;
		if (mode == 0) { /* compare */
			int c = 0, rc = bw_version_compare(s, a, b, &c, &err);
			const char *got = cmp_word(rc, c);
			if (strcmp(got, f[2])) {
				print_error("%s:%d: '%s' vs '%s': got %s want %s %s\n", file, lineno, f[0],
					    f[1], got, f[2], err.msg);
				fails++;
			}
		} else if (mode == 1) { /* rpmvercmp on bare strings */
			int c = bw_rpm_vercmp(a, b);
			if (strcmp(cmp_word(0, c), f[2])) {
				print_error("%s:%d: rpmvercmp '%s' '%s' got %d want %s\n", file, lineno, f[0],
					    f[1], c, f[2]);
				fails++;
			}
		} else if (mode == 2) { /* range: version range expected */
			bool in = false;
			int rc = bw_version_in_range(s, a, b, &in, &err);
			/* node's satisfies() answers false for an invalid version;
			 * bulwark reports it invalid */
			bool invalid_version =
			    rc < 0 && bw_version_validate(s, a, &err) < 0 && !strcmp(f[2], "false");
			if (strcmp(in_word(rc, in), f[2]) && !invalid_version) {
				print_error("%s:%d: '%s' in '%s': got %s want %s %s\n", file, lineno, f[0],
					    f[1], in_word(rc, in), f[2], err.msg);
				fails++;
			}
		} else if (mode == 3) { /* pypi single specifier, prereleases=True */
			bool in = false;
			int rc = bw_pep440_in_specifiers(a, b, 1, &in, &err);
			if (strcmp(in_word(rc, in), f[2])) {
				print_error("%s:%d: '%s' in '%s': got %s want %s %s\n", file, lineno, f[0],
					    f[1], in_word(rc, in), f[2], err.msg);
				fails++;
			}
		} else if (mode == 4) { /* validity: v expected */
			int rc = bw_version_validate(s, a, &err);
			if (strcmp(rc == 0 ? "true" : "false", f[1])) {
				print_error("%s:%d: validity of '%s' want %s\n", file, lineno, f[0], f[1]);
				fails++;
			}
		} else if (mode == 5) { /* apk ops: a op b expected */
			char range[512];
			snprintf(range, sizeof range, "%s%s", f[1], f[2]);
			bool in = false;
			int rc = bw_version_in_range(s, a, bw_slice_of(range), &in, &err);
			if (rc < 0 && bw_version_validate(s, a, &err) < 0) {
				(*skipped)++; /* apk itself rejects the version (e.g. _post) */
				continue;
			}
			if (nf < 4 || strcmp(in_word(rc, in), f[3])) {
				print_error("%s:%d: apk '%s' %s '%s': got %s\n", file, lineno, f[0], f[1],
					    f[2], in_word(rc, in));
				fails++;
			}
		}
	}
	free(line);
	fclose(fp);
	return fails;
}

/* apk-tools' own test file compares two lines whose versions its validator
 * rejects ("23_foo", "1.0bc"); bulwark never orders invalid versions. */
static bool apk_known_invalid(const char *a, const char *b)
{
	return !strcmp(a, "23_foo") || !strcmp(b, "1.0bc");
}

static void test_upstream_vectors(void **state)
{
	(void)state;
	if (!find_shared()) {
		print_message("shared data not found (BW_SHARED_DATA or ../shared/data): skipped\n");
		skip();
	}
	static const struct {
		const char *file, *scheme;
		int mode;
	} sets[] = {
	    {"dpkg.tsv", "deb", 0},
	    {"dpkg-oracle.tsv", "deb", 0},
	    {"rpm.tsv", "rpm", 1},
	    {"rpm-oddities.tsv", "rpm", 1},
	    {"rpm-oracle.tsv", "rpm", 0},
	    {"pypi.tsv", "pypi", 0},
	    {"pypi-specifiers.tsv", "pypi", 3},
	    {"maven.tsv", "maven", 0},
	    {"npm-semver.tsv", "npm", 0},
	    {"npm-semver-ranges.tsv", "npm", 2},
	    {"apk-validity.tsv", "apk", 4},
	    {"apk-ops.tsv", "apk", 5},
	};
	int total_fails = 0;
	for (size_t i = 0; i < BW_ARRAY_SIZE(sets); i++) {
		int count = 0, skipped = 0;
		int f = run_vectors(sets[i].file, sets[i].scheme, sets[i].mode, &count, &skipped);
		if (f < 0) {
			print_message("%s: missing, skipped\n", sets[i].file);
			continue;
		}
		print_message(
		    "%s: %d vectors, %d failures, %d skipped (npm options, or versions apk rejects)\n",
		    sets[i].file, count, f, skipped);
		total_fails += f;
	}
	/* apk.tsv: all rows but the two comparing versions apk rejects */
	char path[4200];
	snprintf(path, sizeof path, "%s/versions/apk.tsv", shared_dir);
	FILE *fp = fopen(path, "r");
	if (fp) {
		char line[1024];
		int count = 0, fails = 0, invalid = 0;
		while (fgets(line, sizeof line, fp)) {
			line[strcspn(line, "\n")] = 0;
			if (line[0] == '#' || !line[0])
				continue;
			char *f[4];
			if (split_tabs(line, f, 4) < 3)
				continue;
			int c = 0;
			struct bw_error err = BW_ERROR_INIT;
			int rc = bw_version_compare(BW_VERSION_APK, bw_slice_of(f[0]), bw_slice_of(f[1]), &c,
						    &err);
			count++;
			if (rc < 0 && apk_known_invalid(f[0], f[1])) {
				invalid++;
				continue;
			}
			if (strcmp(cmp_word(rc, c), f[2])) {
				print_error("apk.tsv: '%s' vs '%s': got %s want %s\n", f[0], f[1],
					    cmp_word(rc, c), f[2]);
				fails++;
			}
		}
		fclose(fp);
		print_message("apk.tsv: %d vectors, %d failures, %d invalid by apk's own grammar\n", count,
			      fails, invalid);
		assert_int_equal(invalid, 2);
		total_fails += fails;
	}
	assert_int_equal(total_fails, 0);
}

/* ---- hostile input ------------------------------------------------------ */

static void test_hostile_input(void **state)
{
	(void)state;
	size_t big = 1 << 20;
	char *mb = malloc(big + 8);
	char *digits1000a = malloc(1100), *digits1000b = malloc(1100);
	memset(digits1000a, '9', 1000);
	memcpy(digits1000b, digits1000a, 1000);
	digits1000b[999] = '8';
	for (int s = 0; s < BW_VERSION__COUNT; s++) {
		struct bw_error err = BW_ERROR_INIT;
		int c = 7;
		double t0 = bw_now();
		/* empty strings are never equal to anything by accident */
		int rc = bw_version_compare(s, BW_SLICE_C(""), BW_SLICE_C(""), &c, &err);
		if (s != BW_VERSION_GEM) /* RubyGems reads "" as "0" */
			assert_true(rc < 0 && c == 7);
		/* 1 MB of digits, of dots, of letters, of '~' */
		const char fill[] = {'1', '.', 'a', '~', '-', '\xff'};
		for (size_t k = 0; k < sizeof fill; k++) {
			memset(mb, fill[k], big);
			struct bw_slice m = {mb, big};
			bw_version_compare(s, m, m, &c, &err);
			bw_version_validate(s, m, &err);
			bool in;
			bw_version_in_range(s, BW_SLICE_C("1.0.0"), m, &in, &err);
		}
		/* 1,000-digit numbers compare exactly where the scheme takes them */
		char a[1200], b[1200];
		const char *pre = s == BW_VERSION_GO ? "v1." : "1.";
		snprintf(a, sizeof a, "%s%.*s.0", pre, 1000, digits1000a);
		snprintf(b, sizeof b, "%s%.*s.0", pre, 1000, digits1000b);
		if (s != BW_VERSION_NPM && s != BW_VERSION_MAVEN && s != BW_VERSION_NUGET &&
		    s != BW_VERSION_COMPOSER) {
			rc = bw_version_compare(s, bw_slice_of(a), bw_slice_of(b), &c, &err);
			if (rc != 0)
				print_error("%s: %s\n", bw_version_scheme_name(s), err.msg);
			assert_int_equal(rc, 0);
			assert_int_equal(c, 1);
		} else {
			/* npm (2^53-1), Maven (256 characters), NuGet (2^31-1) and
			 * Composer (5-digit majors, 200 characters) bound their numbers */
			rc = bw_version_compare(s, bw_slice_of(a), bw_slice_of(b), &c, &err);
			assert_true(rc < 0);
		}
		/* how long is for bench/, never for a test: print it only */
		print_message("%s: hostile inputs in %.2f s\n", bw_version_scheme_name(s), bw_now() - t0);
	}
	free(mb);
	free(digits1000a);
	free(digits1000b);
}

static void test_scheme_names(void **state)
{
	(void)state;
	for (int s = 0; s < BW_VERSION__COUNT; s++)
		assert_int_equal(bw_version_scheme_parse(bw_version_scheme_name(s)), s);
	assert_int_equal(bw_version_scheme_parse("nope"), -1);
	assert_int_equal(bw_version_scheme_parse("debian"), BW_VERSION_DEB);
	struct {
		const char *eco;
		int scheme;
	} m[] = {{"Debian", BW_VERSION_DEB},
		 {"Debian:12", BW_VERSION_DEB},
		 {"Ubuntu:22.04:LTS", BW_VERSION_DEB},
		 {"Alpine:v3.20", BW_VERSION_APK},
		 {"PyPI", BW_VERSION_PYPI},
		 {"npm", BW_VERSION_NPM},
		 {"Go", BW_VERSION_GO},
		 {"crates.io", BW_VERSION_CARGO},
		 {"Maven", BW_VERSION_MAVEN},
		 {"RubyGems", BW_VERSION_GEM},
		 {"NuGet", BW_VERSION_NUGET},
		 {"Packagist", BW_VERSION_COMPOSER},
		 {"AlmaLinux:9", BW_VERSION_RPM},
		 {"Rocky Linux:8", BW_VERSION_RPM},
		 {"Red Hat", BW_VERSION_RPM},
		 {"Bitnami", BW_VERSION_SEMVER},
		 {"Hackage", -1},
		 {"", -1}};
	for (size_t i = 0; i < BW_ARRAY_SIZE(m); i++)
		assert_int_equal(bw_version_scheme_from_osv(bw_slice_of(m[i].eco)), m[i].scheme);
	struct bw_error err = BW_ERROR_INIT;
	int c;
	assert_int_equal(bw_version_compare(99, BW_SLICE_C("1"), BW_SLICE_C("1"), &c, &err), BW_EUSAGE);
}

/* ---- OSV ---------------------------------------------------------------- */

#define EV(k, v)                                                                                             \
	{                                                                                                    \
		BW_OSV_##k, BW_SLICE_C(v)                                                                    \
	}

static bool osv_hit(enum bw_version_scheme s, enum bw_osv_range_type t, const struct bw_osv_event *ev,
		    size_t n, const char *v, int *rc)
{
	struct bw_osv_range r = {t, ev, n};
	struct bw_osv_affected a = {s, &r, 1, NULL, 0};
	struct bw_error err = BW_ERROR_INIT;
	bool hit = false;
	*rc = bw_osv_affected_match(&a, bw_slice_of(v), &hit, &err);
	return hit;
}

static void test_osv_events(void **state)
{
	(void)state;
	int rc;
	struct bw_osv_event e1[] = {EV(INTRODUCED, "0"), EV(FIXED, "1.2.3-1")};
	assert_true(osv_hit(BW_VERSION_DEB, BW_OSV_RANGE_ECOSYSTEM, e1, 2, "1.2.2-5", &rc) && !rc);
	assert_false(osv_hit(BW_VERSION_DEB, BW_OSV_RANGE_ECOSYSTEM, e1, 2, "1.2.3-1", &rc));
	assert_true(osv_hit(BW_VERSION_DEB, BW_OSV_RANGE_ECOSYSTEM, e1, 2, "1.2.3~rc1-1", &rc));
	/* unsorted events, two windows */
	struct bw_osv_event e2[] = {EV(FIXED, "2.5.0"), EV(INTRODUCED, "2.0.0"), EV(FIXED, "1.4.0"),
				    EV(INTRODUCED, "1.0.0")};
	const char *in2[] = {"1.0.0", "1.3.9", "2.0.0", "2.4.99"},
		   *out2[] = {"0.9.0", "1.4.0", "1.9.9", "2.5.0", "3.0.0"};
	for (size_t i = 0; i < 4; i++)
		assert_true(osv_hit(BW_VERSION_SEMVER, BW_OSV_RANGE_SEMVER, e2, 4, in2[i], &rc));
	for (size_t i = 0; i < 5; i++)
		assert_false(osv_hit(BW_VERSION_SEMVER, BW_OSV_RANGE_SEMVER, e2, 4, out2[i], &rc));
	/* last_affected includes its version */
	struct bw_osv_event e3[] = {EV(INTRODUCED, "1.0"), EV(LAST_AFFECTED, "1.5")};
	assert_true(osv_hit(BW_VERSION_PYPI, BW_OSV_RANGE_ECOSYSTEM, e3, 2, "1.5", &rc));
	assert_true(osv_hit(BW_VERSION_PYPI, BW_OSV_RANGE_ECOSYSTEM, e3, 2, "1.5.0", &rc));
	assert_false(osv_hit(BW_VERSION_PYPI, BW_OSV_RANGE_ECOSYSTEM, e3, 2, "1.5.post1", &rc));
	assert_false(osv_hit(BW_VERSION_PYPI, BW_OSV_RANGE_ECOSYSTEM, e3, 2, "0.9", &rc));
	/* limit bounds the range */
	struct bw_osv_event e4[] = {EV(INTRODUCED, "0"), EV(LIMIT, "2.0.0")};
	assert_true(osv_hit(BW_VERSION_SEMVER, BW_OSV_RANGE_SEMVER, e4, 2, "1.9.0", &rc));
	assert_false(osv_hit(BW_VERSION_SEMVER, BW_OSV_RANGE_SEMVER, e4, 2, "2.0.0", &rc));
	/* Go: OSV writes versions without 'v' */
	struct bw_osv_event e5[] = {EV(INTRODUCED, "0"), EV(FIXED, "1.20.5")};
	assert_true(osv_hit(BW_VERSION_GO, BW_OSV_RANGE_SEMVER, e5, 2, "v1.20.4", &rc) && !rc);
	assert_false(osv_hit(BW_VERSION_GO, BW_OSV_RANGE_SEMVER, e5, 2, "v1.20.5", &rc));
	/* rpm EVRs */
	struct bw_osv_event e6[] = {EV(INTRODUCED, "0"), EV(FIXED, "1:2.4.57-11.el9_4.1")};
	assert_true(osv_hit(BW_VERSION_RPM, BW_OSV_RANGE_ECOSYSTEM, e6, 2, "1:2.4.57-11.el9_4", &rc));
	assert_true(
	    osv_hit(BW_VERSION_RPM, BW_OSV_RANGE_ECOSYSTEM, e6, 2, "2.4.99-1.el9", &rc)); /* epoch 0 < 1 */
	assert_false(osv_hit(BW_VERSION_RPM, BW_OSV_RANGE_ECOSYSTEM, e6, 2, "1:2.4.58-1.el9", &rc));
	/* invalid event and invalid version are errors, never "not affected" */
	struct bw_osv_event e7[] = {EV(INTRODUCED, "0"), EV(FIXED, "not a version")};
	osv_hit(BW_VERSION_DEB, BW_OSV_RANGE_ECOSYSTEM, e7, 2, "1.0", &rc);
	assert_int_equal(rc, BW_EINPUT);
	{
		/* the event named, then the cause, apart */
		struct bw_osv_range r7 = {BW_OSV_RANGE_ECOSYSTEM, e7, 2};
		struct bw_osv_affected a7 = {BW_VERSION_DEB, &r7, 1, NULL, 0};
		struct bw_error e = BW_ERROR_INIT;
		bool h = false;
		assert_int_equal(bw_osv_affected_match(&a7, BW_SLICE_C("1.0"), &h, &e), BW_EINPUT);
		assert_non_null(strstr(e.msg, "range 0, event 1 (fixed): "));
	}
	osv_hit(BW_VERSION_DEB, BW_OSV_RANGE_ECOSYSTEM, e1, 2, "", &rc);
	assert_int_equal(rc, BW_EINPUT);
	/* versions list, GIT ranges ignored */
	struct bw_osv_event eg[] = {EV(INTRODUCED, "0"), EV(FIXED, "abcdef")};
	struct bw_osv_range rg = {BW_OSV_RANGE_GIT, eg, 2};
	struct bw_slice vers[] = {BW_SLICE_C("1.0"), BW_SLICE_C("1.1")};
	struct bw_osv_affected a = {BW_VERSION_PYPI, &rg, 1, vers, 2};
	struct bw_error err = BW_ERROR_INIT;
	bool hit = false;
	assert_int_equal(bw_osv_affected_match(&a, BW_SLICE_C("1.1.0"), &hit, &err), 0);
	assert_true(hit);
	assert_int_equal(bw_osv_affected_match(&a, BW_SLICE_C("1.2"), &hit, &err), 0);
	assert_false(hit);
}

/* Real OSV records: every version an entry lists must be affected by its
 * ranges alone, and every "fixed" version must not be. */
static int osv_record_check(const char *path, int *checked)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);
	if (!root)
		return 1;
	int fails = 0;
	json_t *aff = json_object_get(root, "affected");
	size_t i;
	json_t *entry;
	json_array_foreach(aff, i, entry)
	{
		json_t *pkg = json_object_get(entry, "package");
		const char *eco = json_string_value(json_object_get(pkg, "ecosystem"));
		int scheme = eco ? bw_version_scheme_from_osv(bw_slice_of(eco)) : -1;
		if (scheme < 0)
			continue;
		json_t *ranges = json_object_get(entry, "ranges");
		size_t nr = json_array_size(ranges);
		struct bw_osv_range *r = calloc(nr + 1, sizeof *r);
		struct bw_osv_event *evs = calloc(256 * (nr + 1), sizeof *evs);
		size_t ne_total = 0;
		for (size_t k = 0; k < nr; k++) {
			json_t *rg = json_array_get(ranges, k);
			const char *type = json_string_value(json_object_get(rg, "type"));
			r[k].type = !strcmp(type, "SEMVER") ? BW_OSV_RANGE_SEMVER
				    : !strcmp(type, "GIT")  ? BW_OSV_RANGE_GIT
							    : BW_OSV_RANGE_ECOSYSTEM;
			r[k].events = evs + ne_total;
			json_t *events = json_object_get(rg, "events");
			size_t j;
			json_t *ev;
			json_array_foreach(events, j, ev)
			{
				const char *key;
				json_t *val;
				json_object_foreach(ev, key, val)
				{
					if (ne_total >= 256 * (nr + 1))
						break;
					struct bw_osv_event *e = &evs[ne_total++];
					e->kind = !strcmp(key, "introduced")	  ? BW_OSV_INTRODUCED
						  : !strcmp(key, "fixed")	  ? BW_OSV_FIXED
						  : !strcmp(key, "last_affected") ? BW_OSV_LAST_AFFECTED
										  : BW_OSV_LIMIT;
					e->version = bw_slice_of(json_string_value(val));
					r[k].n_events++;
				}
			}
		}
		struct bw_osv_affected a = {scheme, r, nr, NULL, 0};
		json_t *versions = json_object_get(entry, "versions");
		json_t *v;
		size_t vi;
		json_array_foreach(versions, vi, v)
		{
			struct bw_error err = BW_ERROR_INIT;
			bool hit = false;
			if (bw_osv_affected_match(&a, bw_slice_of(json_string_value(v)), &hit, &err) < 0) {
				if (scheme != BW_VERSION_PYPI) /* PyPI lists legacy non-PEP 440 versions */
					print_error("%s: %s: %s\n", path, json_string_value(v), err.msg),
					    fails++;
				continue;
			}
			(*checked)++;
			if (!hit) {
				print_error("%s: listed version %s not in its ranges\n", path,
					    json_string_value(v));
				fails++;
			}
		}
		for (size_t k = 0; k < nr; k++)
			for (size_t j = 0; j < r[k].n_events; j++) {
				if (r[k].type == BW_OSV_RANGE_GIT || r[k].events[j].kind != BW_OSV_FIXED)
					continue;
				struct bw_error err = BW_ERROR_INIT;
				bool hit = true;
				struct bw_osv_affected one = {scheme, &r[k], 1, NULL, 0};
				if (bw_osv_affected_match(&one, r[k].events[j].version, &hit, &err) < 0) {
					print_error("%s: %s\n", path, err.msg);
					fails++;
					continue;
				}
				(*checked)++;
				if (hit) {
					print_error("%s: fixed version %.*s still affected\n", path,
						    (int)r[k].events[j].version.len,
						    r[k].events[j].version.ptr);
					fails++;
				}
			}
		free(r);
		free(evs);
	}
	json_decref(root);
	return fails;
}

static void test_osv_samples(void **state)
{
	(void)state;
	if (!find_shared())
		skip();
	const char *sources[] = {"go", "rustsec", "pypa", "almalinux", "bitnami"};
	int fails = 0, checked = 0, files = 0;
	for (size_t s = 0; s < BW_ARRAY_SIZE(sources); s++) {
		char dir[4300];
		snprintf(dir, sizeof dir, "%s/osv/%s/sample", shared_dir, sources[s]);
		DIR *d = opendir(dir);
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d))) {
			if (!strstr(de->d_name, ".json"))
				continue;
			char path[4600];
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			fails += osv_record_check(path, &checked);
			files++;
		}
		closedir(d);
	}
	print_message("OSV samples: %d records, %d checks\n", files, checked);
	if (!files)
		skip();
	assert_int_equal(fails, 0);
}

/* PEP 503 names: the one normaliser vulndb writes with and inventory and
 * match read with. The rows marked "was" are names the three copies it
 * replaced disagreed on: inventory's dropped leading and trailing
 * separators (and folded bytes above 0x7f by the locale), vulndb's and
 * match's kept them as '-', as PEP 503 says. */
static void test_pep503_names(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"Django", "django"},
	    {"zope.interface", "zope-interface"},
	    {"Foo__Bar..baz", "foo-bar-baz"},
	    {"a-_.-b", "a-b"},
	    {"ruamel.yaml.clib", "ruamel-yaml-clib"},
	    {"already-normal", "already-normal"},
	    {"_private", "-private"},	/* was "private" in the inventory */
	    {"trailing.", "trailing-"}, /* was "trailing" in the inventory */
	    {"--both__", "-both-"},	/* was "both" in the inventory */
	    {"...", "-"},		/* was "" in the inventory */
	    {"\xc9T\xc9", "\xc9t\xc9"}, /* Latin-1 bytes as they are (was locale-folded) */
	    {"\xc3\x9c"
	     "ber_Pkg",
	     "\xc3\x9c"
	     "ber-pkg"}, /* UTF-8 as it is, ASCII lowercased */
	    {"", ""},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cases); i++) {
		char out[64];
		memset(out, 'x', sizeof(out));
		size_t n = bw_version_pep503_name(cases[i].in, strlen(cases[i].in), out);
		if (strcmp(out, cases[i].want) != 0 || n != strlen(cases[i].want))
			fail_msg("pep503(%s) = %s (%zu), want %s", cases[i].in, out, n, cases[i].want);
		/* normal forms are fixed points */
		char again[64];
		bw_version_pep503_name(out, n, again);
		assert_string_equal(again, out);
	}
	/* a slice: bytes past len are not read */
	char out[8];
	assert_int_equal(bw_version_pep503_name("Ab_Cdef", 4, out), 4);
	assert_string_equal(out, "ab-c");
}

int main(int argc, char **argv)
{
	cases_dir = argc > 1 ? argv[1] : ".";
	source_root = argc > 2 ? argv[2] : ".";
	static char names[64][256];
	struct CMUnitTest tests[80];
	size_t n = 0;
	DIR *d = opendir(cases_dir);
	struct dirent *de;
	while (d && (de = readdir(d)) && n < 64) {
		size_t l = strlen(de->d_name);
		if (l < 7 || strcmp(de->d_name + l - 6, ".cases"))
			continue;
		snprintf(names[n], sizeof names[n], "%s", de->d_name);
		tests[n] = (struct CMUnitTest){names[n], test_case_file, NULL, NULL, names[n]};
		n++;
	}
	if (d)
		closedir(d);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_upstream_vectors);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_hostile_input);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_scheme_names);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_osv_events);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_osv_samples);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_pep503_names);
	return _cmocka_run_group_tests("version", tests, n, NULL, NULL);
}
