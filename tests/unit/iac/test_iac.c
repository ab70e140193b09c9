/* iac, data-driven: every rule's bad example must trigger it and its good
 * example must not (both tables); every case of config.cases gives the
 * findings or the error it names; every line of interp.cases interpolates
 * as it says; and the YAML reader's positions, merge keys and bounds.
 *
 * config.cases:
 *   %% case <name>
 *   %% file <name>              (the file's name; default case.yaml)
 *   %% env NAME=VALUE           (the interpolation environment; none by default)
 *   %% trust REGISTRY           (a trusted registry; none by default)
 *   %% baseline <a line of YAML> (the case's baseline file, line by line)
 *   %% expect <ID> [LINE[:COL]] (must fire, there when given)
 *   %% reject <ID>              (must not fire)
 *   %% count <ID> <N>           (fires exactly N times)
 *   %% error <text>             (the file must fail with text in the message)
 *   <YAML lines>
 *
 * interp.cases: INPUT <TAB> EXPECTED, or INPUT <TAB> !ERROR-TEXT; the
 * environment is A=alpha, EMPTY= (set, empty), N=1; B is unset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "iac/iac-int.h"

static const char *dir;

static struct bw_report *check(const char *path, const char *text, size_t len, struct bw_iac_config *cfg,
			       struct bw_error *err, int *rc)
{
	struct bw_report *r = bw_report_new("config", path);
	*rc = bw_iac_check_text(r, path, text, len, cfg, NULL, err);
	bw_iac_finish(r, cfg);
	return r;
}

/* Load baseline text through a temporary file. */
static void load_baseline(struct bw_iac_config *cfg, const char *text)
{
	char path[] = "/tmp/bw-baseline-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_iac_config_load_baseline(cfg, path, &err);
	unlink(path);
	if (rc)
		fail_msg("baseline: %s", err.msg);
}

static const char table_baseline[] = "forbidden-capabilities: [NET_RAW, CAP_SYS_ADMIN]\n"
				     "forbidden-mounts: [/var/log, /etc/]\n"
				     "resource-ceilings: {cpu: \"2\", memory: 2Gi}\n"
				     "required:\n"
				     "  kubernetes:\n"
				     "    container: {securityContext.runAsNonRoot: true}\n";

static int fired(const struct bw_report *r, const char *id, int line, int col)
{
	int n = 0;
	for (size_t i = 0; i < r->n_findings; i++)
		if (!strcmp(r->findings[i].id, id) && (!line || r->findings[i].location.line == line) &&
		    (!col || r->findings[i].location.column == col))
			n++;
	return n;
}

static void test_table_examples(void **st)
{
	(void)st;
	size_t n = bw_iac_rule_count();
	assert_true(n >= 70);
	int failures = 0;
	struct bw_iac_config *cfg = bw_iac_config_new();
	bw_iac_config_trust_registry(cfg, "docker.io");
	bw_iac_config_setenv(cfg, NULL);
	load_baseline(cfg, table_baseline);
	unsigned nk = 0, nc = 0, nb = 0;
	for (size_t i = 0; i < n; i++) {
		struct bw_rule_info ri;
		bw_iac_rule_info(i, &ri);
		const char *target = bw_iac_rule_target(i);
		bool k8s = strcmp(target, "compose") != 0;
		char want[32];
		if (!strcmp(target, "baseline"))
			snprintf(want, sizeof(want), "BW-BASE-%03u", ++nb);
		else
			snprintf(want, sizeof(want), k8s ? "BW-K8S-%03u" : "BW-COMPOSE-%03u",
				 k8s ? ++nk : ++nc);
		assert_string_equal(ri.id, want);
		assert_true(ri.rationale && ri.bad && ri.good && ri.remediation && ri.title);
		assert_int_equal(bw_iac_rule_find(ri.id), (int)i);
		if (!*ri.bad)
			continue; /* BW-BASE-006: about the baseline itself (config.cases) */
		const char *path = k8s ? "example.yaml" : "/nonexistent/compose.yaml";
		struct bw_error err = BW_ERROR_INIT;
		int rc;
		struct bw_report *r = check(path, ri.bad, strlen(ri.bad), cfg, &err, &rc);
		if (rc || !fired(r, ri.id, 0, 0)) {
			print_error("%s: bad example does not trigger it (%s)\n", ri.id,
				    rc ? err.msg : "no finding");
			failures++;
		}
		for (size_t f = 0; !rc && f < r->n_findings; f++)
			if (!strcmp(r->findings[f].id, ri.id) && r->findings[f].location.line < 1) {
				print_error("%s: a finding without a line\n", ri.id);
				failures++;
			}
		bw_report_free(r);
		if (bw_iac_rule_fixable(i)) {
			/* the fixed bad example passes the rule, and fixing it again changes nothing */
			char *fixed = NULL, *again = NULL;
			size_t flen = 0, alen = 0, nedit = 0;
			if (bw_iac_fix_text(path, ri.bad, strlen(ri.bad), cfg, &fixed, &flen, &nedit, &err) ||
			    !nedit) {
				print_error("%s: the bad example is not fixed (%s)\n", ri.id,
					    nedit ? err.msg : "no edit");
				failures++;
			} else {
				r = check(path, fixed, flen, cfg, &err, &rc);
				if (rc || fired(r, ri.id, 0, 0)) {
					print_error("%s: the fixed example still triggers it (%s):\n%s\n",
						    ri.id, rc ? err.msg : "finding", fixed);
					failures++;
				}
				bw_report_free(r);
				if (bw_iac_fix_text(path, fixed, flen, cfg, &again, &alen, &nedit, &err) ||
				    nedit || alen != flen || memcmp(again, fixed, flen)) {
					print_error("%s: fixing the fixed example changes it\n", ri.id);
					failures++;
				}
			}
			free(fixed);
			free(again);
		}
		r = check(path, ri.good, strlen(ri.good), cfg, &err, &rc);
		if (rc || fired(r, ri.id, 0, 0)) {
			print_error("%s: good example triggers it (%s)\n", ri.id, rc ? err.msg : "finding");
			failures++;
		}
		bw_report_free(r);
	}
	bw_iac_config_free(cfg);
	assert_int_equal(failures, 0);
}

/* ---- config.cases -------------------------------------------------------- */

struct kase {
	char name[256], file[256];
	struct bw_buf text, checks, env, trust, baseline;
	int line;
};

static int run_case(const char *file, struct kase *k)
{
	struct bw_iac_config *cfg = bw_iac_config_new();
	bw_iac_config_setenv(cfg, NULL);
	for (char *save_ = k->env.data ? k->env.data : (char[]){0}, *l; (l = bw_next_token(&save_, "\n"));)
		bw_iac_config_setenv(cfg, l);
	for (char *save_ = k->trust.data ? k->trust.data : (char[]){0}, *l;
	     (l = bw_next_token(&save_, "\n"));)
		bw_iac_config_trust_registry(cfg, l);
	if (k->baseline.len)
		load_baseline(cfg, k->baseline.data);
	struct bw_error err = BW_ERROR_INIT;
	int rc;
	const char *path = k->file[0] ? k->file : "case.yaml";
	struct bw_report *r = check(path, k->text.data ? k->text.data : "", k->text.len, cfg, &err, &rc);
	int failures = 0;
	for (char *save_ = k->checks.data ? k->checks.data : (char[]){0}, *l;
	     (l = bw_next_token(&save_, "\n"));) {
		char verb[16], id[64], where[32] = "";
		int line = 0, col = 0;
		if (!strncmp(l, "error ", 6)) {
			if (!rc || !strstr(err.msg, l + 6)) {
				print_error("%s:%d: %s: expected an error with '%s', got '%s'\n", file,
					    k->line, k->name, l + 6, rc ? err.msg : "success");
				failures++;
			}
			continue;
		}
		if (sscanf(l, "%15s %63s %31s", verb, id, where) < 2)
			continue;
		if (rc) {
			print_error("%s:%d: %s: failed: %s\n", file, k->line, k->name, err.msg);
			failures++;
			break;
		}
		if (bw_iac_rule_find(id) < 0) {
			print_error("%s:%d: unknown rule %s\n", file, k->line, id);
			failures++;
			continue;
		}
		if (!strcmp(verb, "count")) {
			int want = (int)strtol(where, NULL, 10), got = fired(r, id, 0, 0);
			if (want != got) {
				print_error("%s:%d: %s: %s fired %d times, not %d\n", file, k->line, k->name,
					    id, got, want);
				failures++;
			}
			continue;
		}
		sscanf(where, "%d:%d", &line, &col);
		if (!strcmp(verb, "expect") && !fired(r, id, line, col)) {
			print_error("%s:%d: %s: %s did not fire%s%s\n", file, k->line, k->name, id,
				    *where ? " at " : "", where);
			for (size_t f = 0; f < r->n_findings; f++)
				if (!strcmp(r->findings[f].id, id))
					print_error("   (it fired at %d:%d)\n", r->findings[f].location.line,
						    r->findings[f].location.column);
			failures++;
		} else if (!strcmp(verb, "reject") && fired(r, id, 0, 0)) {
			print_error("%s:%d: %s: %s fired\n", file, k->line, k->name, id);
			failures++;
		}
	}
	if (!rc && !k->checks.len) {
		print_error("%s:%d: %s: a case that checks nothing\n", file, k->line, k->name);
		failures++;
	}
	bw_report_free(r);
	bw_iac_config_free(cfg);
	return failures;
}

static void test_cases(void **st)
{
	(void)st;
	char path[4096];
	snprintf(path, sizeof(path), "%s/config.cases", dir);
	FILE *fp = fopen(path, "re");
	assert_non_null(fp);
	struct kase k = {0};
	bw_buf_init(&k.text, 1 << 22);
	bw_buf_init(&k.checks, 1 << 16);
	bw_buf_init(&k.env, 1 << 16);
	bw_buf_init(&k.trust, 1 << 16);
	bw_buf_init(&k.baseline, 1 << 16);
	char line[8192];
	int lineno = 0, failures = 0, n = 0;
	bool in_case = false;
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		if (!strncmp(line, "%% case ", 8)) {
			if (in_case) {
				failures += run_case(path, &k);
				n++;
			}
			bw_buf_reset(&k.text);
			bw_buf_reset(&k.checks);
			bw_buf_reset(&k.env);
			bw_buf_reset(&k.trust);
			bw_buf_reset(&k.baseline);
			k.file[0] = 0;
			snprintf(k.name, sizeof(k.name), "%.200s", line + 8);
			k.name[strcspn(k.name, "\n")] = 0;
			k.line = lineno;
			in_case = true;
		} else if (!strncmp(line, "%% file ", 8)) {
			snprintf(k.file, sizeof(k.file), "%.200s", line + 8);
			k.file[strcspn(k.file, "\n")] = 0;
		} else if (!strncmp(line, "%% baseline ", 12)) {
			bw_buf_addstr(&k.baseline, line + 12);
		} else if (!strncmp(line, "%% trust ", 9)) {
			bw_buf_addstr(&k.trust, line + 9);
		} else if (!strncmp(line, "%% env ", 7)) {
			bw_buf_addstr(&k.env, line + 7);
		} else if (!strncmp(line, "%% ", 3)) {
			bw_buf_addstr(&k.checks, line + 3);
		} else if (in_case) {
			/* "\t" and "\xNN" written as text, to keep the file tab-free and UTF-8 */
			for (char *t; (t = strstr(line, "\\t"));) {
				*t = '\t';
				memmove(t + 1, t + 2, strlen(t + 2) + 1);
			}
			for (char *t; (t = strstr(line, "\\x")) && t[2] && t[3];) {
				unsigned v = 0;
				sscanf(t + 2, "%2x", &v);
				*t = (char)v;
				memmove(t + 1, t + 4, strlen(t + 4) + 1);
			}
			bw_buf_addstr(&k.text, line);
		}
	}
	if (in_case) {
		failures += run_case(path, &k);
		n++;
	}
	fclose(fp);
	bw_buf_release(&k.text);
	bw_buf_release(&k.checks);
	bw_buf_release(&k.env);
	bw_buf_release(&k.trust);
	bw_buf_release(&k.baseline);
	print_message("%d cases\n", n);
	assert_true(n >= 30);
	assert_int_equal(failures, 0);
}

/* ---- interp.cases -------------------------------------------------------- */

static void test_interp(void **st)
{
	(void)st;
	char path[4096];
	snprintf(path, sizeof(path), "%s/interp.cases", dir);
	FILE *fp = fopen(path, "re");
	assert_non_null(fp);
	struct bw_iac_config *cfg = bw_iac_config_new();
	bw_iac_config_setenv(cfg, "A=alpha");
	bw_iac_config_setenv(cfg, "EMPTY=");
	bw_iac_config_setenv(cfg, "N=1");
	struct compose_env e = {.cfg = cfg};
	char line[4096];
	int n = 0, failures = 0;
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		assert_non_null(tab);
		*tab = 0;
		const char *want = tab + 1;
		char *out = NULL, *warn = NULL;
		struct bw_error err = BW_ERROR_INIT;
		int rc = compose_interpolate(&e, line, strlen(line), &out, &warn, &err);
		if (want[0] == '!') {
			if (!rc || !strstr(err.msg, want + 1)) {
				print_error("interp %s: want error '%s', got '%s'\n", line, want + 1,
					    rc ? err.msg : out);
				failures++;
			}
		} else if (rc || strcmp(out, want)) {
			print_error("interp %s: want '%s', got '%s'\n", line, want, rc ? err.msg : out);
			failures++;
		}
		free(out);
		free(warn);
		n++;
	}
	fclose(fp);
	bw_iac_config_free(cfg);
	assert_true(n >= 20);
	assert_int_equal(failures, 0);
}

/* ---- the YAML reader ----------------------------------------------------- */

static void test_yaml_positions(void **st)
{
	(void)st;
	/* a BOM, CRLF and multi-byte characters before the keys */
	static const char text[] =
	    "\xEF\xBB\xBF# h\xC3\xA9\r\na: \"\xC3\xA9\xC3\xA9\"\r\nb:\r\n  - x\r\n  - {c: d}\r\n";
	struct bw_yaml_file *f = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_yaml_parse("p.yaml", text, sizeof(text) - 1, NULL, &f, &err), 0);
	assert_int_equal(f->n_docs, 1);
	const struct bw_yaml_node *root = f->docs[0].root;
	const struct bw_yaml_pair *a = bw_yaml_pair_of(root, "a");
	assert_non_null(a);
	assert_int_equal(a->key->line, 2);
	assert_int_equal(a->key->column, 1);
	assert_memory_equal(text + a->key->start, "a:", 2);
	assert_memory_equal(text + a->value->start, "\"\xC3\xA9\xC3\xA9\"", 6);
	assert_int_equal(a->value->end - a->value->start, 6);
	const struct bw_yaml_node *b = bw_yaml_get(root, "b");
	assert_int_equal(b->kind, BW_YAML_SEQ);
	assert_int_equal(b->n, 2);
	assert_int_equal(b->items[0]->line, 4);
	assert_int_equal(b->items[0]->column, 5);
	assert_memory_equal(text + b->items[0]->start, "x", 1);
	const struct bw_yaml_pair *c = bw_yaml_pair_of(b->items[1], "c");
	assert_int_equal(c->key->line, 5);
	assert_int_equal(c->key->column, 6);
	assert_memory_equal(text + c->value->start, "d}", 2);
	bw_yaml_file_free(f);
}

static void test_yaml_merge(void **st)
{
	(void)st;
	static const char text[] = "base: &b {x: 1, y: 2}\n"
				   "more: &m {z: 3, x: 9}\n"
				   "t:\n  <<: [*b, *m]\n  y: 5\n";
	struct bw_yaml_file *f = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_yaml_parse("m.yaml", text, sizeof(text) - 1, NULL, &f, &err), 0);
	const struct bw_yaml_node *t = bw_yaml_get(f->docs[0].root, "t");
	assert_int_equal(t->n, 3);
	assert_string_equal(bw_yaml_str(bw_yaml_get(t, "y")), "5");
	assert_string_equal(bw_yaml_str(bw_yaml_get(t, "x")), "1"); /* the first merged map wins */
	assert_string_equal(bw_yaml_str(bw_yaml_get(t, "z")), "3");
	assert_int_equal(bw_yaml_pair_of(t, "x")->key->line, 1);
	assert_true(bw_yaml_pair_of(t, "x")->merged);
	assert_false(bw_yaml_pair_of(t, "y")->merged);
	bw_yaml_file_free(f);
}

static void test_yaml_bounds(void **st)
{
	(void)st;
	struct bw_error err = BW_ERROR_INIT;
	struct bw_yaml_file *f = NULL;
	/* 100,000 documents: past the default 20,000, an error at the document */
	struct bw_buf b;
	bw_buf_init(&b, 1 << 24);
	for (int i = 0; i < 100000; i++)
		bw_buf_addstr(&b, "---\na: 1\n");
	double t0 = bw_now();
	assert_int_equal(bw_yaml_parse("many.yaml", b.data, b.len, NULL, &f, &err), BW_ELIMIT);
	assert_non_null(strstr(err.msg, "many.yaml:40001:1: more than 20000 YAML documents"));
	(void)t0;
	/* with a larger bound they all load */
	struct bw_yaml_limits lim = {.max_docs = 100000};
	assert_int_equal(bw_yaml_parse("many.yaml", b.data, b.len, &lim, &f, &err), 0);
	assert_int_equal(f->n_docs, 100000);
	bw_yaml_file_free(f);
	/* nesting: 10,000 "[" */
	bw_buf_reset(&b);
	for (int i = 0; i < 10000; i++)
		bw_buf_addstr(&b, "[");
	assert_int_equal(bw_yaml_parse("deep.yaml", b.data, b.len, NULL, &f, &err), BW_ELIMIT);
	assert_non_null(strstr(err.msg, "deep.yaml:1:129: nesting deeper than 128 levels"));
	/* a map of 50,000 keys, the last one a duplicate of the first */
	bw_buf_reset(&b);
	for (int i = 0; i < 50000; i++)
		bw_buf_printf(&b, "k%d: v\n", i);
	bw_buf_addstr(&b, "k0: again\n");
	assert_int_equal(bw_yaml_parse("dup.yaml", b.data, b.len, NULL, &f, &err), BW_EINPUT);
	assert_non_null(strstr(err.msg, "dup.yaml:50001:1: duplicate key \"k0\" (first at line 1)"));
	bw_buf_release(&b);
}

int main(int argc, char **argv)
{
	dir = argc > 1 ? argv[1] : "tests/unit/iac";
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_examples), cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_interp),	   cmocka_unit_test(test_yaml_positions),
	    cmocka_unit_test(test_yaml_merge),	   cmocka_unit_test(test_yaml_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
