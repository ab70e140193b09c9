/* Unit tests of the CVSS scorers (src/vulndb/cvss.c, cvss4.c): the cases of
 * cvss.cases beside this file (worked examples and malformed vectors), then
 * what a file cannot hold well: huge and unterminated-looking input, every
 * byte value after a valid vector, the severity bands, and v4.0 properties
 * over every base vector (all 104,976 of them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "vulndb/vulndb.h"

static const char *cases_path;

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

/* Split at TABs; a field starting with "# " ends the line (a comment). */
static int split_tabs(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;
	while (n < max) {
		if (p[0] == '#' && p[1] == ' ')
			break;
		f[n++] = p;
		char *tab = strchr(p, '\t');
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	return n;
}

static bool same_score(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static void test_cases(void **state)
{
	(void)state;
	FILE *f = fopen(cases_path, "r");
	if (!f)
		fail_msg("cannot open %s", cases_path);
	char line[4096];
	int lineno = 0, n_score = 0, n_error = 0, failures = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *fld[8];
		int nf = split_tabs(line, fld, 8);
		for (int i = 1; i < nf; i++)
			unescape(fld[i]);
		struct bw_cvss_score s;
		struct bw_error err = BW_ERROR_INIT;
		if (strcmp(fld[0], "score") == 0 && (nf == 4 || nf == 6)) {
			n_score++;
			if (bw_cvss_score(fld[1], &s, &err) < 0) {
				print_error("%s:%d: %s: %s\n", cases_path, lineno, fld[1], err.msg);
				failures++;
				continue;
			}
			double want = strtod(fld[2], NULL);
			const char *sev = bw_severity_name(bw_cvss_severity(s.score, s.major));
			if (!same_score(s.score, want) || strcmp(sev, fld[3]) != 0) {
				print_error("%s:%d: %s: got %.1f %s, want %s %s\n", cases_path, lineno,
					    fld[1], s.score, sev, fld[2], fld[3]);
				failures++;
			}
			if (nf == 6 &&
			    (strcmp(s.nomenclature, fld[4]) != 0 || strcmp(s.macro_vector, fld[5]) != 0)) {
				print_error("%s:%d: %s: got %s %s, want %s %s\n", cases_path, lineno, fld[1],
					    s.nomenclature, s.macro_vector, fld[4], fld[5]);
				failures++;
			}
			/* the compatibility wrapper agrees */
			double b = -1;
			int major = 0;
			if (bw_cvss_base_score(fld[1], &b, &major, NULL) != 0 || !same_score(b, s.score) ||
			    major != s.major) {
				print_error("%s:%d: bw_cvss_base_score disagrees\n", cases_path, lineno);
				failures++;
			}
		} else if (strcmp(fld[0], "error") == 0 && nf == 3) {
			n_error++;
			int rc = bw_cvss_score(fld[1], &s, &err);
			/* the message quotes the vector: its first bytes, control bytes as '?' */
			char head[24];
			size_t k = 0;
			for (; fld[1][k] && k < 20; k++)
				head[k] = fld[1][k] >= 0x20 && fld[1][k] < 0x7f ? fld[1][k] : '?';
			head[k] = '\0';
			if (rc != BW_EINPUT || !strstr(err.msg, fld[2]) || !strstr(err.msg, head)) {
				print_error(
				    "%s:%d: '%s': rc %d, message '%s', want BW_EINPUT naming it with '%s'\n",
				    cases_path, lineno, fld[1], rc, err.msg, fld[2]);
				failures++;
			}
			for (const char *p = err.msg; *p; p++)
				if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) {
					print_error("%s:%d: control byte in the message\n", cases_path,
						    lineno);
					failures++;
					break;
				}
			if (bw_cvss_score(fld[1], &s, NULL) != BW_EINPUT) { /* err may be NULL */
				print_error("%s:%d: not refused without an error struct\n", cases_path,
					    lineno);
				failures++;
			}
		} else {
			fail_msg("%s:%d: not a case line", cases_path, lineno);
		}
	}
	fclose(f);
	print_message("cvss.cases: %d scores, %d errors\n", n_score, n_error);
	assert_true(n_score >= 40 && n_error >= 30);
	assert_int_equal(failures, 0);
}

static void test_hostile_input(void **state)
{
	(void)state;
	struct bw_cvss_score s;
	struct bw_error err = BW_ERROR_INIT;
	/* a huge vector: refused by its length, quoted by its start */
	size_t big = 1u << 20;
	char *huge = bw_malloc(big + 1);
	static const char base[] = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
	memcpy(huge, base, sizeof(base) - 1);
	for (size_t i = sizeof(base) - 1; i < big; i += 4)
		memcpy(huge + i, "/E:A", big - i < 4 ? big - i : 4);
	huge[big] = '\0';
	assert_int_equal(bw_cvss_score(huge, &s, &err), BW_EINPUT);
	assert_non_null(strstr(err.msg, "too long"));
	assert_non_null(strstr(err.msg, "CVSS:4.0/AV:N/AC:L"));
	assert_true(strlen(err.msg) < 200);
	/* just over and just at the limit */
	huge[BW_CVSS_MAX_VECTOR + 1] = '\0';
	assert_int_equal(bw_cvss_score(huge, &s, &err), BW_EINPUT);
	assert_non_null(strstr(err.msg, "too long"));
	huge[BW_CVSS_MAX_VECTOR] = '\0';
	assert_int_equal(bw_cvss_score(huge, &s, &err), BW_EINPUT);
	assert_null(strstr(err.msg, "too long")); /* refused for what it says: E repeated */
	free(huge);
	assert_int_equal(bw_cvss_score(NULL, &s, &err), BW_EINPUT);
	assert_int_equal(bw_cvss_score("", &s, &err), BW_EINPUT);

	/* every byte after a valid vector, and in place of a value */
	char v[128];
	for (int c = 1; c < 256; c++) {
		snprintf(v, sizeof(v), "%s%c", base, c);
		int rc = bw_cvss_score(v, &s, &err);
		assert_int_equal(rc, BW_EINPUT);
		for (const char *p = err.msg; *p; p++)
			assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
		snprintf(v, sizeof(v), "CVSS:4.0/AV:%c/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", c);
		rc = bw_cvss_score(v, &s, &err);
		assert_int_equal(rc, strchr("NALP", c) ? 0 : BW_EINPUT);
	}
}

static void test_severity_bands(void **state)
{
	(void)state;
	static const struct {
		double score;
		int major;
		enum bw_severity sev;
	} bands[] = {
	    {0.0, 4, BW_SEV_INFO},     {0.1, 4, BW_SEV_LOW},	  {3.9, 4, BW_SEV_LOW},
	    {4.0, 4, BW_SEV_MEDIUM},   {6.9, 4, BW_SEV_MEDIUM},	  {7.0, 4, BW_SEV_HIGH},
	    {8.9, 4, BW_SEV_HIGH},     {9.0, 4, BW_SEV_CRITICAL}, {10.0, 4, BW_SEV_CRITICAL},
	    {9.8, 3, BW_SEV_CRITICAL}, {7.0, 3, BW_SEV_HIGH},	  {0.1, 3, BW_SEV_LOW},
	    {0.0, 3, BW_SEV_INFO},     {9.8, 2, BW_SEV_HIGH},	  {3.9, 2, BW_SEV_LOW},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(bands); i++)
		if (bw_cvss_severity(bands[i].score, bands[i].major) != bands[i].sev)
			fail_msg("severity of %.1f (v%d)", bands[i].score, bands[i].major);
}

/* Every v4.0 base vector: a score in 0..10 with one decimal, CVSS-B, a
 * macro vector; X for optional metrics changes nothing; 0.0 only without
 * any impact. */
static void test_every_base_vector(void **state)
{
	(void)state;
	static const char *const keys[11] = {"AV", "AC", "AT", "PR", "UI", "VC",
					     "VI", "VA", "SC", "SI", "SA"};
	static const char *const vals[11] = {"NALP", "LH",  "NP",  "NLH", "NPA", "HLN",
					     "HLN",  "HLN", "HLN", "HLN", "HLN"};
	int idx[11] = {0};
	size_t count = 0, zero = 0;
	double top = 0;
	for (;;) {
		char v[160];
		size_t k = (size_t)snprintf(v, sizeof(v), "CVSS:4.0");
		for (int i = 0; i < 11; i++)
			k += (size_t)snprintf(v + k, sizeof(v) - k, "/%s:%c", keys[i], vals[i][idx[i]]);
		struct bw_cvss_score s, x;
		struct bw_error err = BW_ERROR_INIT;
		if (bw_cvss_score(v, &s, &err) < 0)
			fail_msg("%s: %s", v, err.msg);
		double tenths = s.score * 10;
		if (!(s.score >= 0 && s.score <= 10) || fabs(tenths - round(tenths)) > 1e-9 ||
		    strcmp(s.nomenclature, "CVSS-B") != 0 || strlen(s.macro_vector) != 6)
			fail_msg("%s: %.17g %s %s", v, s.score, s.nomenclature, s.macro_vector);
		snprintf(v + k, sizeof(v) - k, "/E:X/CR:X/IR:X/AR:X/MAV:X/MSI:X/S:X/U:X");
		if (bw_cvss_score(v, &x, &err) < 0 || x.score != s.score ||
		    strcmp(x.macro_vector, s.macro_vector))
			fail_msg("%s: X changed the score", v);
		count++;
		zero += s.score == 0;
		top = s.score > top ? s.score : top;
		int i = 10;
		while (i >= 0 && !vals[i][++idx[i]])
			idx[i--] = 0;
		if (i < 0)
			break;
	}
	assert_int_equal(count, 104976);
	assert_true(top == 10.0);
	/* only the vectors without any impact score 0 */
	assert_int_equal(zero, 4 * 2 * 2 * 3 * 3);
}

int main(int argc, char **argv)
{
	cases_path = argc > 1 ? argv[1] : "tests/unit/vulndb/cvss.cases";
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_hostile_input),
	    cmocka_unit_test(test_severity_bands),
	    cmocka_unit_test(test_every_base_vector),
	};
	return cmocka_run_group_tests_name("cvss", tests, NULL, NULL);
}
