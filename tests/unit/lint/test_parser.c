/* Dockerfile parser: every BuildKit feature the linter relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>

#include "lint/lint-int.h"

static struct df_file *parse(const char *s)
{
	struct df_file *f = NULL;
	struct bw_error err = BW_ERROR_INIT;
	int rc = df_parse("Dockerfile", s, strlen(s), &f, &err);
	if (rc)
		fail_msg("parse failed: %s", err.msg);
	return f;
}

static void parse_fails(const char *s, size_t len, const char *want)
{
	struct df_file *f = NULL;
	struct bw_error err = BW_ERROR_INIT;
	int rc = df_parse("Dockerfile", s, len, &f, &err);
	assert_true(rc < 0);
	assert_null(f);
	if (!strstr(err.msg, want))
		fail_msg("error '%s' does not contain '%s'", err.msg, want);
}

static void test_directives(void **st)
{
	(void)st;
	struct df_file *f =
	    parse("# syntax=docker/dockerfile:1\n# escape=`\n# check=skip=all\nFROM a\nRUN echo a `\n  b\n");
	assert_string_equal(f->syntax, "docker/dockerfile:1");
	assert_string_equal(f->check, "skip=all");
	assert_int_equal(f->escape, '`');
	assert_int_equal(f->n_instrs, 2);
	assert_string_equal(f->instrs[1].args, "echo a   b");
	assert_int_equal(f->instrs[1].line, 5);
	assert_int_equal(f->instrs[1].end_line, 6);
	df_file_free(f);
	/* a directive after an instruction or a blank line is a comment */
	f = parse("\n# escape=`\nFROM a\nRUN a \\\n b\n");
	assert_int_equal(f->escape, '\\');
	assert_string_equal(f->instrs[1].args, "a  b");
	df_file_free(f);
	parse_fails("# escape=`\n# escape=\\\nFROM a\n", 26, "only one escape");
	parse_fails("# escape=x\nFROM a\n", 18, "invalid escape");
}

static void test_continuations(void **st)
{
	(void)st;
	/* comments and empty lines inside a continuation are dropped; \\ at the end is not one */
	struct df_file *f = parse(
	    "FROM a\nRUN apt-get update && \\\n# comment\n\n    apt-get install x\nRUN echo \\\\\nCMD x\n");
	assert_int_equal(f->n_instrs, 4);
	assert_string_equal(f->instrs[1].args, "apt-get update &&     apt-get install x");
	assert_int_equal(f->n_empty_continuations, 1);
	assert_string_equal(f->instrs[2].args, "echo \\\\");
	int line, col;
	/* "apt-get install" sits on line 5, column 5 */
	const char *t = f->instrs[1].text;
	size_t off = (size_t)(strstr(t, "apt-get install") - t);
	df_instr_pos(&f->instrs[1], off, &line, &col);
	assert_int_equal(line, 5);
	assert_int_equal(col, 5);
	df_file_free(f);
}

static void test_heredocs(void **st)
{
	(void)st;
	struct df_file *f =
	    parse("FROM a\nRUN <<EOF\necho hi\nEOF\nCOPY <<-\"A\" <<B /dst/\n\tx $y\n\tA\nb\nB\nRUN true\n");
	assert_int_equal(f->n_instrs, 4);
	const struct df_instr *r = &f->instrs[1];
	assert_int_equal(r->n_heredocs, 1);
	assert_string_equal(r->heredocs[0].name, "EOF");
	assert_string_equal(r->heredocs[0].content, "echo hi\n");
	assert_int_equal(r->end_line, 4);
	const struct df_instr *c = &f->instrs[2];
	assert_int_equal(c->n_heredocs, 2);
	assert_true(c->heredocs[0].chomp);
	assert_true(c->heredocs[0].quoted);
	assert_string_equal(c->heredocs[0].content, "\tx $y\n");
	assert_false(c->heredocs[1].quoted);
	assert_string_equal(c->heredocs[1].content, "b\n");
	assert_int_equal(f->instrs[3].line, 10);
	df_file_free(f);
	parse_fails("FROM a\nRUN <<EOF\necho\n", 21, "2:1: unterminated heredoc");
}

static void test_forms(void **st)
{
	(void)st;
	struct df_file *f = parse("FROM a\nCMD [\"a\", \"b\\u00e9\"]\nENTRYPOINT ['x']\nRUN "
				  "[\"sh\",\"-c\",\"x\"] \nSHELL [\"/bin/bash\", \"-c\"]\n");
	assert_true(f->instrs[1].json);
	assert_int_equal(f->instrs[1].argc, 2);
	assert_string_equal(f->instrs[1].argv[1], "b\xc3\xa9");
	assert_false(f->instrs[2].json);
	assert_true(f->instrs[2].json_invalid);
	assert_true(f->instrs[3].json);
	assert_null(f->instrs[4].malformed);
	df_file_free(f);
	f = parse(
	    "FROM a\nSHELL /bin/bash\nFROM\nCOPY a\nFOO bar\nRUN --mount=type=cache,target=/x --bogus x\n");
	assert_non_null(f->instrs[1].malformed);
	assert_non_null(f->instrs[2].malformed);
	assert_non_null(f->instrs[3].malformed);
	assert_int_equal(f->instrs[4].kind, DF_UNKNOWN);
	assert_non_null(strstr(f->instrs[5].malformed, "--bogus"));
	assert_string_equal(df_flag_get(&f->instrs[5], "mount"), "type=cache,target=/x");
	df_file_free(f);
}

static void test_flags(void **st)
{
	(void)st;
	struct df_file *f = parse("FROM --platform=$BUILDPLATFORM a AS b\nCOPY --from=b --chown=1:1 "
				  "--chmod=755 --link --parents --exclude=*.md x /y/\n"
				  "ADD --checksum=sha256:00 --keep-git-dir=true https://x/y.git /z\nRUN "
				  "--network=none --security=insecure true\n");
	assert_string_equal(df_flag_get(&f->instrs[0], "platform"), "$BUILDPLATFORM");
	const struct df_instr *c = &f->instrs[1];
	assert_null(c->malformed);
	assert_string_equal(df_flag_get(c, "from"), "b");
	assert_string_equal(df_flag_get(c, "link"), "");
	assert_string_equal(c->xfrom, "b");
	assert_null(f->instrs[2].malformed);
	assert_null(f->instrs[3].malformed);
	assert_int_equal(c->argc, 2);
	df_file_free(f);
}

static void test_env_label(void **st)
{
	(void)st;
	struct df_file *f = parse("FROM a\nENV A=1 B=\"two words\" C=${A:-x}\nENV D value with spaces\nLABEL "
				  "\"k\"=v x=y\nARG P Q=2\n");
	const struct df_instr *e = &f->instrs[1];
	assert_int_equal(e->n_kvs, 3);
	assert_string_equal(e->kvs[1].expanded, "two words");
	assert_string_equal(e->kvs[2].expanded, "x"); /* A is not set before this ENV */
	assert_string_equal(e->kvs[2].self_ref, "A");
	assert_true(f->instrs[2].legacy_kv);
	assert_string_equal(f->instrs[2].kvs[0].value, "value with spaces");
	assert_int_equal(f->instrs[4].n_kvs, 2);
	assert_null(f->instrs[4].kvs[0].value);
	df_file_free(f);
}

static void test_expansion_and_stages(void **st)
{
	(void)st;
	struct df_file *f =
	    parse("ARG V=12\nARG R\nFROM debian:${V} AS base\nENV HOME=/home/app\nARG V\nWORKDIR $HOME/$V\n"
		  "FROM base AS two\nWORKDIR ${HOME:+set}\nFROM ${UNDEF:-x}${NOPE}\nCOPY --from=base /a "
		  "/b\nFROM ${R}img\n");
	assert_int_equal(f->n_stages, 4);
	assert_string_equal(f->stages[0].base, "debian:12");
	assert_string_equal(f->instrs[5].xargv[0], "/home/app/12"); /* ARG V re-declared: global default */
	assert_int_equal(f->stages[1].parent, 0);
	assert_string_equal(f->instrs[7].xargv[0], "set"); /* ENV inherited from the parent stage */
	assert_int_equal(f->stages[2].n_undefined, 1);	   /* NOPE; UNDEF has a default */
	assert_int_equal(f->stages[3].n_undefined, 0);	   /* R is declared, without a value */
	df_file_free(f);

	struct bw_arena a;
	bw_arena_init(&a);
	struct df_expand_result r;
	df_expand(&a, "'$A'\"$A\"\\$A${A%.c}${A#a}${B-d}${B:+e}${A/b/X}", 45, '\\', NULL, NULL, NULL, &r);
	assert_string_equal(r.value, "$A$Ad");
	bw_arena_release(&a);
}

static void test_onbuild(void **st)
{
	(void)st;
	struct df_file *f = parse("FROM a\nONBUILD RUN apt-get install x\nONBUILD COPY <<EOF /x\nhi\nEOF\n");
	assert_non_null(f->instrs[1].sub);
	assert_int_equal(f->instrs[1].sub->kind, DF_RUN);
	assert_true(f->instrs[1].sub->is_trigger);
	assert_string_equal(f->instrs[1].sub->args, "apt-get install x");
	assert_int_equal(f->instrs[2].n_heredocs, 1);
	df_file_free(f);
}

static void test_hostile(void **st)
{
	(void)st;
	parse_fails("FROM a\nRUN \x00x\n", 12, "2:5: not a text Dockerfile (NUL byte");
	parse_fails("FROM a\nRUN \xff\n", 12, "2:5: not a text Dockerfile (invalid UTF-8");
	parse_fails("# just a comment\n\n", 18, "no instructions");
	/* a 10 MB single line parses */
	size_t n = 10u * 1024 * 1024;
	char *big = bw_malloc(n + 1);
	memcpy(big, "FROM a\nRUN echo ", 16);
	memset(big + 16, 'a', n - 16);
	big[n] = 0;
	struct df_file *f = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(df_parse("big", big, n, &f, &err), 0);
	assert_int_equal(f->n_instrs, 2);
	df_file_free(f);
	free(big);
	/* BOM and CRLF */
	f = parse("\xEF\xBB\xBF"
		  "FROM a\r\nRUN b \\\r\n c\r\n");
	assert_string_equal(f->instrs[1].args, "b  c");
	df_file_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_directives),
	    cmocka_unit_test(test_continuations),
	    cmocka_unit_test(test_heredocs),
	    cmocka_unit_test(test_forms),
	    cmocka_unit_test(test_flags),
	    cmocka_unit_test(test_env_label),
	    cmocka_unit_test(test_expansion_and_stages),
	    cmocka_unit_test(test_onbuild),
	    cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
