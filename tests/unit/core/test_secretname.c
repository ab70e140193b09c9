/* The one table of secret-looking names and values (core/secretname.c),
 * data-driven: every line of secretname.cases is NAME VALUE VERDICT (see
 * the head of that file). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "secretname_cases.h"

static const char *cases_path;

static void check(void *ud, const struct secretname_case *c)
{
	int *failures = ud;
	bool secret = bw_secretname_is_secret(c->name, strlen(c->name), c->value);
	const char *key = bw_secretname_key_kind(c->value);
	const char *got = !secret ? "not" : key ? "key" : "secret";
	/* a secret pair is a secret name with a secret value */
	bool pair =
	    bw_secretname_is_secret_name(c->name, strlen(c->name)) && bw_secretname_is_secret_value(c->value);
	if (strcmp(got, c->verdict) || (!strcmp(c->verdict, "secret") && !pair) || (!secret && key)) {
		print_error("secretname.cases:%d: %s=%s: got %s, want %s\n", c->line, c->name, c->value, got,
			    c->verdict);
		(*failures)++;
	}
}

static void test_cases(void **state)
{
	(void)state;
	int failures = 0, bad;
	int n = secretname_cases_each(cases_path, check, &failures, &bad);
	if (n < 0)
		fail_msg("%s:%d: cannot read, or not NAME VALUE VERDICT", cases_path, bad);
	assert_true(n >= 100);
	assert_int_equal(failures, 0);
}

/* Names are judged by their bytes alone: callers pass NAME of "NAME=value"
 * without cutting it out, so nothing after len may count. */
static void test_name_is_bounded(void **state)
{
	(void)state;
	static const char env[] = "APP_MODE=tokenized";
	assert_false(bw_secretname_is_secret_name(env, 8));
	assert_false(bw_secretname_is_secret(env, 8, env + 9));
	static const char pw[] = "DB_PWD=x";
	assert_true(bw_secretname_is_secret_name(pw, 6));
	assert_false(bw_secretname_is_secret_name(pw, 0));
	assert_false(bw_secretname_is_secret_name(NULL, 0));
	assert_false(bw_secretname_is_secret_value(NULL));
	assert_null(bw_secretname_key_kind(NULL));
	assert_string_equal(bw_secretname_key_kind("gh"
						   "p_FAKEfakeFAKEfakeFAKEfakeFAKEfake"),
			    "a GitHub token");
}

int main(int argc, char **argv)
{
	cases_path = argc > 1 ? argv[1] : "secretname.cases";
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_name_is_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
