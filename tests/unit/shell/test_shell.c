/* The POSIX sh parser (src/shell) used for RUN. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "shell/shell.h"

static struct bw_arena arena;

static struct sh_script *parse(const char *s)
{
	struct sh_script *out = bw_arena_alloc(&arena, sizeof(*out));
	sh_parse(&arena, s, strlen(s), out);
	return out;
}

static void test_lists(void **st)
{
	(void)st;
	struct sh_script *s =
	    parse("apt-get update && apt-get install -y 'a b' \"c\\\"d\" e\\ f || true; x & y");
	assert_int_equal(s->n_cmds, 5);
	assert_int_equal(s->cmds[1].argc, 6);
	assert_string_equal(s->cmds[1].argv[3].text, "a b");
	assert_string_equal(s->cmds[1].argv[4].text, "c\"d");
	assert_string_equal(s->cmds[1].argv[5].text, "e f");
	assert_int_equal(s->cmds[1].sep, SH_SEP_AND);
	assert_int_equal(s->cmds[2].sep, SH_SEP_OR);
	assert_int_equal(s->cmds[3].sep, SH_SEP_SEQ);
	assert_int_equal(s->cmds[4].sep, SH_SEP_BG);
	assert_false(s->has_pipe);
	assert_null(s->error);
}

static void test_pipes_redirs(void **st)
{
	(void)st;
	struct sh_script *s = parse("curl -fsSL https://x | tar -xz 2>/dev/null > out; cat <<EOF >f\nbody | "
				    "not a pipe\nEOF\necho done");
	assert_true(s->has_pipe);
	assert_true(s->cmds[0].pipe_out);
	assert_int_equal(s->cmds[1].sep, SH_SEP_PIPE);
	assert_int_equal(s->cmds[1].n_redirs, 2);
	assert_string_equal(s->cmds[1].redirs[0].op, "2>");
	assert_string_equal(s->cmds[1].redirs[0].target.text, "/dev/null");
	assert_int_equal(s->n_cmds, 4);
	assert_string_equal(s->cmds[3].argv[0].text, "echo");
}

static void test_nesting(void **st)
{
	(void)st;
	struct sh_script *s =
	    parse("(cd /x && make) ; V=$(curl -s https://x | sh) `id -u` ; sh -c 'sudo ls'");
	/* cd is in a subshell */
	assert_string_equal(s->cmds[0].argv[0].text, "cd");
	assert_int_equal(s->cmds[0].depth, 1);
	bool saw_sudo = false, saw_curl = false;
	for (size_t i = 0; i < s->n_cmds; i++) {
		if (!strcmp(sh_cmd_name(&s->cmds[i]), "ls") && !strcmp(s->cmds[i].argv[0].text, "sudo"))
			saw_sudo = true;
		if (!strcmp(sh_cmd_name(&s->cmds[i]), "curl")) {
			saw_curl = true;
			assert_true(s->cmds[i].in_subst);
			assert_true(s->cmds[i].pipe_out);
		}
	}
	assert_true(saw_sudo);
	assert_true(saw_curl);
	/* V=$(…) with no command is an assignment only */
	assert_int_equal(s->cmds[2].n_assigns, 1);
}

static void test_compound(void **st)
{
	(void)st;
	struct sh_script *s =
	    parse("if [ -f x ]; then rm x; else touch x; fi; for p in a b; do pip install $p; done; "
		  "case $x in a|b) echo ab;; *) echo other;; esac; f() { echo in; }");
	const char *want[] = {"[", "rm", "touch", "pip", "echo", "echo", "echo"};
	size_t k = 0;
	for (size_t i = 0; i < s->n_cmds && k < BW_ARRAY_SIZE(want); i++)
		if (s->cmds[i].argc) {
			assert_string_equal(s->cmds[i].argv[0].text, want[k]);
			k++;
		}
	assert_int_equal(k, BW_ARRAY_SIZE(want));
	assert_true(s->cmds[3].argv[2].flags & SH_W_EXPAND);
}

static void test_wrappers(void **st)
{
	(void)st;
	struct sh_script *s = parse("sudo -u root env DEBIAN_FRONTEND=noninteractive apt-get install -y x; "
				    "DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get -qq install y");
	assert_string_equal(sh_cmd_name(&s->cmds[0]), "apt-get");
	assert_int_equal(sh_cmd_start(&s->cmds[0]), 5);
	assert_string_equal(sh_cmd_name(&s->cmds[1]), "apt-get");
	assert_int_equal(s->cmds[1].n_assigns, 1);
	assert_true(sh_has_opt(&s->cmds[0], 6, 'y', NULL));
}

static void test_errors(void **st)
{
	(void)st;
	struct sh_script *s = parse("echo 'unterminated");
	assert_non_null(s->error);
	s = parse("echo \"a $(b");
	assert_non_null(s->error);
	s = parse("))) ((( | | && ;; <");
	assert_non_null(s);
	s = parse("");
	assert_int_equal(s->n_cmds, 0);
}

int main(void)
{
	bw_arena_init(&arena);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lists),    cmocka_unit_test(test_pipes_redirs),
	    cmocka_unit_test(test_nesting),  cmocka_unit_test(test_compound),
	    cmocka_unit_test(test_wrappers), cmocka_unit_test(test_errors),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	bw_arena_release(&arena);
	return rc;
}
