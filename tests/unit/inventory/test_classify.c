/* The ecosystem table (src/inventory/ecosystems.c): its rows are well formed
 * and send each kind to the walker analyzer it went to before the table
 * (whole up to 16 MiB, whole up to 128 MiB, streamed); and every path of
 * classify.cases (hand-made edge cases, then every regular file of real
 * images) classifies as the switch it replaced did. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "inventory/inventory-int.h"

static const char *cases_path = "classify.cases";

static void test_rows(void **state)
{
	for (int k = INV_NONE + 1; k < INV__COUNT; k++) {
		const struct inv_ecosystem *e = inv_ecosystem((enum inv_kind)k);
		assert_non_null(e);
		assert_int_equal(e->kind, k);
		assert_non_null(e->name);
		assert_non_null(e->keys);
		assert_int_not_equal(e->keys[0].on, INV_KEYS_END);
		for (int j = INV_NONE + 1; j < k; j++)
			assert_string_not_equal(inv_ecosystem((enum inv_kind)j)->name, e->name);
		/* the analyzer a kind goes to, as want_meta/archive/binary decided */
		size_t want = k == INV_BINARY		       ? 0
			      : k == INV_JAR || k == INV_RPMDB ? INV_MAX_ARCHIVE
							       : INV_MAX_META;
		assert_int_equal(e->max_whole, want);
		assert_true((e->parse == NULL) == (e->max_whole == 0));
	}
	assert_null(inv_ecosystem(INV_NONE));
	assert_null(inv_ecosystem(INV__COUNT));
}

static enum inv_kind kind_named(const char *name, size_t n)
{
	for (int k = INV_NONE + 1; k < INV__COUNT; k++) {
		const char *s = inv_ecosystem((enum inv_kind)k)->name;
		if (strlen(s) == n && memcmp(s, name, n) == 0)
			return (enum inv_kind)k;
	}
	return INV__COUNT;
}

static const char *name_of(enum inv_kind k)
{
	return k == INV_NONE ? "none" : inv_ecosystem(k)->name;
}

static void test_cases(void **state)
{
	struct bw_buf cases;
	bw_buf_init(&cases, 4u << 20);
	struct bw_error err = BW_ERROR_INIT;
	if (bw_buf_read_file(&cases, cases_path, &err) < 0)
		fail_msg("%s", err.msg);
	bw_buf_add(&cases, "", 1);
	size_t n_cases = 0, n_bad = 0, lineno = 0, seen[INV__COUNT] = {0};
	char *end = cases.data + cases.len - 1;
	for (char *line = cases.data, *nl; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		*nl = '\0';
		lineno++;
		if (line[0] == '#' || line[0] == '\0')
			continue;
		/* KIND MODE SIZE PATH */
		char *sp = strchr(line, ' ');
		enum inv_kind want = sp && (size_t)(sp - line) == 4 && memcmp(line, "none", 4) == 0
					 ? INV_NONE
					 : kind_named(line, sp ? (size_t)(sp - line) : 0);
		char *p = sp ? sp + 1 : NULL;
		unsigned long mode = p ? strtoul(p, &p, 8) : 0;
		unsigned long long size = p && *p == ' ' ? strtoull(p + 1, &p, 10) : 0;
		if (want == INV__COUNT || !p || *p != ' ')
			fail_msg("%s: line %zu: not KIND MODE SIZE PATH", cases_path, lineno);
		const char *path = p + 1;
		enum inv_kind got = inv_classify(path, (uint32_t)mode, size);
		if (got != want) {
			if (n_bad++ < 20)
				print_error("%s: line %zu: '%s' (mode %lo, %llu bytes): got %s, want %s\n",
					    cases_path, lineno, path, mode, size, name_of(got),
					    name_of(want));
		}
		seen[want]++;
		n_cases++;
	}
	bw_buf_release(&cases);
	if (n_bad)
		fail_msg("%zu of %zu paths classified differently", n_bad, n_cases);
	assert_true(n_cases >= 5000);
	for (int k = 0; k < INV__COUNT; k++)
		if (!seen[k])
			fail_msg("%s: no case of %s", cases_path, name_of((enum inv_kind)k));
}

int main(int argc, char **argv)
{
	cases_path = argc > 1 ? argv[1] : "classify.cases";
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows),
	    cmocka_unit_test(test_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
