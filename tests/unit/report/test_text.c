/* bw_report_put_text, the escaper of every table writer: the cases of
 * text.cases (C0, DEL, C1, invalid UTF-8, max and width). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "report/report.h"

static const char *cases_path;

/* The case file's notation: \xNN is that byte, \\ a backslash. */
static size_t unescape(const char *s, char *out)
{
	size_t n = 0;
	while (*s) {
		if (s[0] == '\\' && s[1] == '\\') {
			out[n++] = '\\';
			s += 2;
		} else if (s[0] == '\\' && s[1] == 'x') {
			unsigned v;
			assert_int_equal(sscanf(s + 2, "%2x", &v), 1);
			out[n++] = (char)v;
			s += 4;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
	return n;
}

static void test_cases(void **state)
{
	(void)state;
	FILE *f = fopen(cases_path, "r");
	assert_non_null(f);
	char line[1024];
	int n = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *in = line, *max = strchr(in, '\t'), *width = max ? strchr(max + 1, '\t') : NULL,
		     *want = width ? strchr(width + 1, '\t') : NULL;
		assert_non_null(want);
		*max++ = *width++ = *want++ = '\0';
		char input[1024], expected[1024];
		unescape(in, input);
		size_t want_len = unescape(want, expected);
		char *got = NULL;
		size_t got_len = 0;
		FILE *m = open_memstream(&got, &got_len);
		bw_report_put_text(m, input, strcmp(max, "-") ? (size_t)strtoul(max, NULL, 10) : SIZE_MAX,
				   (size_t)strtoul(width, NULL, 10));
		fclose(m);
		if (got_len != want_len || memcmp(got, expected, want_len) != 0)
			fail_msg("case '%s' max %s width %s: got '%s', want '%s'", in, max, width, got,
				 expected);
		free(got);
		n++;
	}
	fclose(f);
	assert_true(n >= 25);
}

static void test_null_is_empty(void **state)
{
	(void)state;
	char *got = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&got, &len);
	bw_report_put_text(m, NULL, SIZE_MAX, 3);
	fclose(m);
	assert_string_equal(got, "   ");
	free(got);
}

int main(int argc, char **argv)
{
	cases_path = argc > 1 ? argv[1] : "text.cases";
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_null_is_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
