/* Rules, data-driven: every rule's bad example must trigger it and its good
 * example must not (rule table), and every case in cases/NAME.cases must give
 * the expected findings. Case file format:
 *
 *   %% case <name>
 *   %% config <a line of YAML>     (any number; the case's configuration)
 *   %% expect <ID> [<line>]        (must fire, at that line when given)
 *   %% reject <ID>                 (must not fire)
 *   %% diverges <ID> <reason>      (a known difference from Hadolint's verdict,
 *                                   docs/rules/dockerfile.md lists it; not checked)
 *   %% error <text>                (the file must fail to parse with text)
 *   <Dockerfile lines>
 *
 * An ID is bulwark's (BW-DF-NNN), a peer id its findings list (DL3059),
 * a ShellCheck code (SC2086) or SC for any ShellCheck finding:
 * cases/hadolint.cases holds Hadolint's own rule specs that way. A case
 * with `%% config shellcheck: true` is skipped when shellcheck is not
 * installed.
 *
 * And every line of core's table of secret-looking names and values
 * (tests/unit/core/secretname.cases) gives its verdict on an ENV.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <unistd.h>

#include "lint/lint.h"

#include "../core/secretname_cases.h"

static const char *cases_dir;
static const char *secretname_path;

static const char table_config[] = "enable: [BW-DF-040]\n"
				   "trusted-registries: [docker.io, registry.access.redhat.com]\n"
				   "strict-labels: true\n"
				   "label-schema:\n"
				   "  org.opencontainers.image.source: url\n"
				   "  org.opencontainers.image.created: rfc3339\n"
				   "  org.opencontainers.image.licenses: spdx\n"
				   "  org.opencontainers.image.revision: hash\n"
				   "  org.opencontainers.image.version: semver\n"
				   "  maintainer: email\n"
				   "required-labels: [org.opencontainers.image.source]\n";

static struct bw_report *lint(const char *text, const char *yaml, struct bw_error *err, int *rc)
{
	struct bw_lint_config *cfg = bw_lint_config_new();
	if (yaml && bw_lint_config_load_string(cfg, yaml, strlen(yaml), "config", err))
		fail_msg("config: %s", err->msg);
	struct bw_report *r = bw_report_new("dockerfile", "Dockerfile");
	*rc = bw_lint_dockerfile(r, "Dockerfile", text, strlen(text), cfg, err);
	bw_lint_config_free(cfg);
	return r;
}

/* Findings of rule `id`: bulwark's own id, or a peer id (DL3059, SC2086)
 * that a finding lists among its equivalents. */
static bool finding_is(const struct bw_finding *f, const char *id)
{
	if (!strcmp(f->id, id))
		return true;
	if (!strcmp(id, "SC")) /* any ShellCheck finding */
		return f->id[0] == 'S' && f->id[1] == 'C' && bw_isdigit(f->id[2]);
	if (strncmp(id, "BW-", 3) == 0)
		return false;
	for (size_t k = 0; k < f->n_equivalent; k++)
		if (!strcmp(f->equivalent[k], id))
			return true;
	return false;
}

static int fired(const struct bw_report *r, const char *id, int line)
{
	int n = 0;
	for (size_t i = 0; i < r->n_findings; i++)
		if (finding_is(&r->findings[i], id) && r->findings[i].status != BW_STATUS_SUPPRESSED &&
		    (!line || r->findings[i].location.line == line))
			n++;
	return n;
}

static void test_table_examples(void **st)
{
	(void)st;
	size_t n = bw_lint_rule_count();
	assert_true(n >= 90);
	int failures = 0;
	for (size_t i = 0; i < n; i++) {
		struct bw_rule_info ri;
		bw_lint_rule_info(i, &ri);
		char want[32];
		snprintf(want, sizeof(want), "BW-DF-%03u", (unsigned)(i + 1));
		assert_string_equal(ri.id, want);
		assert_true(ri.rationale && ri.bad && ri.good && ri.remediation && ri.title);
		struct bw_error err = BW_ERROR_INIT;
		int rc;
		struct bw_report *r = lint(ri.bad, table_config, &err, &rc);
		if (rc || !fired(r, ri.id, 0)) {
			print_error("%s: bad example does not trigger it (%s)\n", ri.id,
				    rc ? err.msg : "no finding");
			failures++;
		}
		bw_report_free(r);
		r = lint(ri.good, table_config, &err, &rc);
		if (rc || fired(r, ri.id, 0)) {
			print_error("%s: good example triggers it (%s)\n", ri.id, rc ? err.msg : "finding");
			failures++;
		}
		bw_report_free(r);
	}
	assert_int_equal(failures, 0);
}

struct kase {
	char name[256];
	struct bw_buf text, yaml, checks;
	int line;
};

/* Is there a shellcheck program on PATH? */
static bool have_shellcheck(void)
{
	const char *path = getenv("PATH");
	char *dup = bw_strdup(path ? path : ""), *rest = dup;
	bool found = false;
	for (char *d; !found && (d = bw_next_token(&rest, ":"));) {
		char p[4096];
		snprintf(p, sizeof(p), "%s/shellcheck", d);
		found = access(p, X_OK) == 0;
	}
	free(dup);
	return found;
}

static int run_case(const char *file, struct kase *k, unsigned char *covered_expect,
		    unsigned char *covered_reject)
{
	if (k->yaml.data && strstr(k->yaml.data, "shellcheck: true") && !have_shellcheck()) {
		print_message("%s:%d: %s: skipped, shellcheck is not installed\n", file, k->line, k->name);
		return 0;
	}
	struct bw_error err = BW_ERROR_INIT;
	int rc;
	struct bw_report *r =
	    lint(k->text.data ? k->text.data : "", k->yaml.len ? k->yaml.data : NULL, &err, &rc);
	int failures = 0;
	char *rest = k->checks.data ? k->checks.data : (char[]){0};
	for (char *l; (l = bw_next_token(&rest, "\n"));) {
		char verb[16], id[64];
		int line = 0;
		if (sscanf(l, "%15s %63s %d", verb, id, &line) < 2 && strncmp(l, "error", 5) != 0)
			continue;
		if (!strcmp(verb, "error")) {
			const char *want = l + 6;
			if (!rc || !strstr(err.msg, want)) {
				print_error("%s:%d: %s: expected a parse error with '%s', got '%s'\n", file,
					    k->line, k->name, want, rc ? err.msg : "success");
				failures++;
			}
			continue;
		}
		if (rc) {
			print_error("%s:%d: %s: parse failed: %s\n", file, k->line, k->name, err.msg);
			failures++;
			break;
		}
		if (!strncmp(id, "SC", 2)) { /* ShellCheck's: no row of the table */
			bool want = !strcmp(verb, "expect");
			if ((fired(r, id, line) > 0) != want && (want || !strcmp(verb, "reject"))) {
				print_error("%s:%d: %s: %s %s\n", file, k->line, k->name, id,
					    want ? "did not fire" : "fired");
				failures++;
			}
			continue;
		}
		int idx = bw_lint_rule_find(id);
		if (idx < 0) {
			print_error("%s:%d: unknown rule %s\n", file, k->line, id);
			failures++;
			continue;
		}
		if (!strcmp(verb, "expect")) {
			covered_expect[idx] = 1;
			if (!fired(r, id, line)) {
				print_error("%s:%d: %s: %s did not fire%s\n", file, k->line, k->name, id,
					    line ? " at that line" : "");
				failures++;
			}
		} else if (!strcmp(verb, "reject")) {
			covered_reject[idx] = 1;
			if (fired(r, id, 0)) {
				print_error("%s:%d: %s: %s fired\n", file, k->line, k->name, id);
				failures++;
			}
		}
	}
	bw_report_free(r);
	return failures;
}

static void kase_reset(struct kase *k)
{
	bw_buf_reset(&k->text);
	bw_buf_reset(&k->yaml);
	bw_buf_reset(&k->checks);
	k->name[0] = 0;
}

static int run_file(const char *path, unsigned char *ce, unsigned char *cr, int *ncases)
{
	FILE *fp = fopen(path, "re");
	assert_non_null(fp);
	struct kase k;
	bw_buf_init(&k.text, 1 << 20);
	bw_buf_init(&k.yaml, 1 << 16);
	bw_buf_init(&k.checks, 1 << 16);
	k.name[0] = 0;
	char line[4096];
	int lineno = 0, failures = 0;
	bool in_case = false;
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		if (!strncmp(line, "%% case ", 8)) {
			if (in_case) {
				failures += run_case(path, &k, ce, cr);
				(*ncases)++;
			}
			kase_reset(&k);
			snprintf(k.name, sizeof(k.name), "%.200s", line + 8);
			k.name[strcspn(k.name, "\n")] = 0;
			k.line = lineno;
			in_case = true;
		} else if (!strncmp(line, "%% config ", 10)) {
			bw_buf_addstr(&k.yaml, line + 10);
		} else if (!strncmp(line, "%% ", 3)) {
			bw_buf_addstr(&k.checks, line + 3);
		} else if (in_case) {
			bw_buf_addstr(&k.text, line);
		}
	}
	if (in_case) {
		failures += run_case(path, &k, ce, cr);
		(*ncases)++;
	}
	fclose(fp);
	bw_buf_release(&k.text);
	bw_buf_release(&k.yaml);
	bw_buf_release(&k.checks);
	return failures;
}

static void test_case_files(void **st)
{
	(void)st;
	size_t n = bw_lint_rule_count();
	unsigned char *ce = calloc(n, 1), *cr = calloc(n, 1);
	DIR *d = opendir(cases_dir);
	assert_non_null(d);
	struct dirent *e;
	int failures = 0, ncases = 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 6, ".cases"))
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", cases_dir, e->d_name);
		failures += run_file(path, ce, cr, &ncases);
	}
	closedir(d);
	print_message("%d cases\n", ncases);
	free(ce);
	free(cr);
	assert_true(ncases > 0);
	assert_int_equal(failures, 0);
}

static void test_config(void **st)
{
	(void)st;
	struct bw_lint_config *cfg = bw_lint_config_new();
	struct bw_error err = BW_ERROR_INIT;
	const char *y = "ignored: [DL3008]\noverride:\n  error: [DL3015]\nseverity: {BW-DF-003: "
			"HIGH}\ntrustedRegistries: [docker.io]\n";
	assert_int_equal(bw_lint_config_load_string(cfg, y, strlen(y), "h.yaml", &err), 0);
	const char *df = "FROM debian:12\nRUN apt-get install -y curl\n";
	struct bw_report *r = bw_report_new("dockerfile", "x");
	assert_int_equal(bw_lint_dockerfile(r, "Dockerfile", df, strlen(df), cfg, &err), 0);
	for (size_t i = 0; i < r->n_findings; i++) {
		assert_string_not_equal(r->findings[i].id, "BW-DF-042"); /* DL3008 disabled */
		if (!strcmp(r->findings[i].id, "BW-DF-052") || !strcmp(r->findings[i].id, "BW-DF-003"))
			assert_int_equal(r->findings[i].severity, BW_SEV_HIGH);
	}
	bw_report_free(r);
	const char *bad = "disable: [NOPE-1]\n";
	assert_int_not_equal(bw_lint_config_load_string(cfg, bad, strlen(bad), "b.yaml", &err), 0);
	assert_non_null(strstr(err.msg, "b.yaml:1:"));
	const char *broken = "disable: [\n";
	assert_int_not_equal(bw_lint_config_load_string(cfg, broken, strlen(broken), "c.yaml", &err), 0);
	bw_lint_config_free(cfg);
	/* DS-0029, AVD-DS-0029 and DS029 are one id */
	assert_int_equal(bw_lint_rule_find("AVD-DS-0029"), bw_lint_rule_find("DS029"));
	assert_int_equal(bw_lint_rule_find("ds-0029"), bw_lint_rule_find("DS029"));
}

/* Evidence past 300 bytes is cut with "…" (found by fuzzing: at 301 and 302
 * bytes the ellipsis was written past the string's end). */
static void test_long_evidence(void **st)
{
	(void)st;
	for (size_t n = 290; n <= 310; n++) {
		struct bw_buf b;
		bw_buf_init(&b, 1 << 16);
		bw_buf_printf(&b, "FROM debian:12\nADD ");
		for (size_t i = 0; i < n; i++)
			bw_buf_add(&b, "a", 1);
		bw_buf_printf(&b, " /x\n");
		struct bw_report *r = bw_report_new("dockerfile", "unit");
		struct bw_error err = BW_ERROR_INIT;
		assert_int_equal(bw_lint_dockerfile(r, "Dockerfile", b.data, b.len, NULL, &err), 0);
		bool seen = false;
		for (size_t i = 0; i < r->n_findings; i++) {
			const char *ev = r->findings[i].evidence;
			if (!ev || strncmp(ev, "ADD ", 4) != 0)
				continue;
			seen = true;
			size_t len = strlen(ev);
			if (n + 7 > 300) {
				assert_true(len <= 303);
				assert_string_equal(ev + len - 3, "…");
			} else {
				assert_int_equal(len, n + 7);
			}
		}
		assert_true(seen);
		bw_report_free(r);
		bw_buf_release(&b);
	}
}

static void check_secretname(void *ud, const struct secretname_case *sc)
{
	int *failures = ud;
	if (strchr(sc->value, '$'))
		return; /* ENV with a variable: the name decides (secret.cases) */
	char *df = bw_asprintf("FROM a:1\nENV %s=\"%s\"\n", sc->name, sc->value);
	struct bw_error err = BW_ERROR_INIT;
	int rc;
	struct bw_report *r = lint(df, NULL, &err, &rc);
	bool name = fired(r, "BW-DF-097", 2) > 0, key = fired(r, "BW-DF-098", 2) > 0;
	bool ok = !strcmp(sc->verdict, "key")	   ? key
		  : !strcmp(sc->verdict, "secret") ? name && !key
						   : !name && !key;
	if (rc || !ok) {
		print_error("secretname.cases:%d: ENV %s=\"%s\": BW-DF-097 %s, BW-DF-098 %s, want %s (%s)\n",
			    sc->line, sc->name, sc->value, name ? "fired" : "silent",
			    key ? "fired" : "silent", sc->verdict, rc ? err.msg : "parsed");
		(*failures)++;
	}
	bw_report_free(r);
	free(df);
}

/* Every line of core's table of secret-looking names and values gives its
 * verdict on ENV NAME="VALUE": BW-DF-097 for a secret name with a secret
 * value, BW-DF-098 for a value that is a key whatever its name. imgcheck
 * walks the same file for the image's Env (tests/unit/imgcheck). */
static void test_secret_table_verdicts(void **st)
{
	(void)st;
	int failures = 0, bad;
	int n = secretname_cases_each(secretname_path, check_secretname, &failures, &bad);
	if (n < 0)
		fail_msg("%s:%d: cannot read, or not NAME VALUE VERDICT", secretname_path, bad);
	assert_true(n >= 100);
	assert_int_equal(failures, 0);
}

int main(int argc, char **argv)
{
	cases_dir = argc > 1 ? argv[1] : "cases";
	secretname_path = argc > 2 ? argv[2] : "secretname.cases";
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_examples),
	    cmocka_unit_test(test_case_files),
	    cmocka_unit_test(test_config),
	    cmocka_unit_test(test_long_evidence),
	    cmocka_unit_test(test_secret_table_verdicts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
