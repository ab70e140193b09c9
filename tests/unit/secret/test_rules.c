/* Secret rules, data-driven: walks the cases files (format in cases/README),
 * checks each case whole and streamed one byte at a time, and checks that
 * every built-in rule has a case both ways. Then the engine's edges: masks,
 * entropy, long lines, NUL bytes, invalid UTF-8, the config file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>

#include "secret/secret.h"

static const char *cases_dir;
static struct bw_secret_rules *rules;

/* ---- case expansion -------------------------------------------------------- */

static uint64_t rng;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *charset(char c)
{
	switch (c) {
	case 'a':
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	case 'h':
		return "0123456789abcdef";
	case 'H':
		return "0123456789ABCDEF";
	case 'u':
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	case 'l':
		return "abcdefghijklmnopqrstuvwxyz0123456789";
	case 'L':
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	case 'b':
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	case 'w':
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
	case 'd':
		return "0123456789";
	case 'U':
		return "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	case 'x':
		return "abcdefghijklmnopqrstuvwxyz";
	}
	return NULL;
}

struct expanded {
	struct bw_buf text;
	long mark_start, mark_end; /* byte offsets of the secret, -1 without markers */
};

static void expand(const char *in, int lineno, struct expanded *e)
{
	bw_buf_init(&e->text, 1u << 20);
	e->mark_start = e->mark_end = -1;
	rng = 0x9E3779B97F4A7C15ull ^ (uint64_t)lineno * 0x100000001B3ull;
	for (const char *p = in; *p;) {
		if (p[0] == '\\' && p[1]) {
			char c = p[1] == 'n' ? '\n' : p[1] == 't' ? '\t' : p[1];
			bw_buf_add(&e->text, &c, 1);
			p += 2;
		} else if (p[0] == '%' && p[1] == '%') {
			p += 2;
		} else if (!strncmp(p, "\xe2\x9f\xa6", 3)) { /* ⟦ */
			e->mark_start = (long)e->text.len;
			p += 3;
		} else if (!strncmp(p, "\xe2\x9f\xa7", 3)) { /* ⟧ */
			e->mark_end = (long)e->text.len;
			p += 3;
		} else if (p[0] == '{' && p[1] == '{' && charset(p[2])) {
			const char *cs = charset(p[2]);
			char *end;
			long n = strtol(p + 3, &end, 10);
			assert_true(end[0] == '}' && end[1] == '}');
			for (long i = 0; i < n; i++) {
				char c = cs[next_rand() % strlen(cs)];
				bw_buf_add(&e->text, &c, 1);
			}
			p = end + 2;
		} else {
			bw_buf_add(&e->text, p, 1);
			p++;
		}
	}
}

/* ---- running a case -------------------------------------------------------- */

struct got {
	struct {
		char id[64];
		int line, column;
		char masked[40];
	} m[16];
	int n;
};

static int on_match(void *ud, const struct bw_secret_match *m)
{
	struct got *g = ud;
	if (g->n < 16) {
		snprintf(g->m[g->n].id, sizeof(g->m[0].id), "%s", m->rule_id);
		g->m[g->n].line = m->line;
		g->m[g->n].column = m->column;
		snprintf(g->m[g->n].masked, sizeof(g->m[0].masked), "%s", m->masked);
	}
	g->n++;
	return 0;
}

static void scan_streamed(const char *path, const char *data, size_t len, size_t step, struct got *g)
{
	struct bw_error err = BW_ERROR_INIT;
	struct bw_secret_scanner *s = bw_secret_scanner_new(rules);
	assert_int_equal(bw_secret_scan_begin(s, path, &err), 0);
	for (size_t i = 0; i < len; i += step)
		assert_int_equal(
		    bw_secret_scan_chunk(s, data + i, len - i < step ? len - i : step, on_match, g, &err), 0);
	assert_int_equal(bw_secret_scan_end(s, on_match, g, &err), 0);
	bw_secret_scanner_free(s);
}

struct seen {
	char id[64];
	int pos, neg;
};
static struct seen seen[512];
static size_t n_seen;

static struct seen *seen_of(const char *id)
{
	for (size_t i = 0; i < n_seen; i++)
		if (!strcmp(seen[i].id, id))
			return &seen[i];
	assert_true(n_seen < BW_ARRAY_SIZE(seen));
	snprintf(seen[n_seen].id, sizeof(seen[0].id), "%s", id);
	return &seen[n_seen++];
}

static int failures;

static void fail_case(const char *file, int lineno, const char *why, const struct got *g)
{
	fprintf(stderr, "%s:%d: %s; got %d finding(s):", file, lineno, why, g->n);
	for (int i = 0; i < g->n && i < 16; i++)
		fprintf(stderr, " %s@%d:%d(%s)", g->m[i].id, g->m[i].line, g->m[i].column, g->m[i].masked);
	fputc('\n', stderr);
	failures++;
}

static void check_case(const char *file, int lineno, char kind, const char *id, const char *path,
		       const char *text)
{
	struct expanded e;
	expand(text, lineno, &e);
	struct seen *sn = seen_of(id);
	if (kind == '+')
		sn->pos++;
	else
		sn->neg++;
	struct got whole = {0}, bytewise = {0}, odd = {0};
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_secret_scan_buffer(rules, path, e.text.data, e.text.len, on_match, &whole, &err),
			 0);
	scan_streamed(path, e.text.data, e.text.len, 1, &bytewise);
	scan_streamed(path, e.text.data, e.text.len, 7, &odd);
	if (kind == '-') {
		if (whole.n)
			fail_case(file, lineno, "near miss matched", &whole);
	} else if (whole.n != 1 || strcmp(whole.m[0].id, id)) {
		char why[128];
		snprintf(why, sizeof(why), "expected exactly one %s", id);
		fail_case(file, lineno, why, &whole);
	} else if (e.mark_start >= 0) {
		int line = 1, col = 1;
		for (long i = 0; i < e.mark_start; i++) {
			col++;
			if (e.text.data[i] == '\n') {
				line++;
				col = 1;
			}
		}
		char masked[40];
		bw_secret_mask(e.text.data + e.mark_start, (size_t)(e.mark_end - e.mark_start), masked,
			       sizeof(masked));
		if (whole.m[0].line != line || whole.m[0].column != col ||
		    strcmp(whole.m[0].masked, masked)) {
			char why[160];
			snprintf(why, sizeof(why), "expected the secret at %d:%d masked %s", line, col,
				 masked);
			fail_case(file, lineno, why, &whole);
		}
	}
	/* streaming in any chunk size gives the same findings */
	for (int k = 0; k < 2; k++) {
		const struct got *o = k ? &odd : &bytewise;
		bool same = o->n == whole.n;
		for (int i = 0; same && i < whole.n && i < 16; i++)
			same = !strcmp(o->m[i].id, whole.m[i].id) && o->m[i].line == whole.m[i].line &&
			       o->m[i].column == whole.m[i].column &&
			       !strcmp(o->m[i].masked, whole.m[i].masked);
		if (!same)
			fail_case(file, lineno,
				  k ? "7-byte chunks differ from the whole buffer"
				    : "1-byte chunks differ from the whole buffer",
				  o);
	}
	bw_buf_release(&e.text);
}

static void run_file(const char *path, const char *name)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if ((line[0] != '+' && line[0] != '-') || line[1] != ' ')
			continue;
		char *id = line + 2;
		char *sp = strchr(id, ' ');
		assert_non_null(sp);
		*sp = '\0';
		char *text = sp + 1;
		const char *fpath = "/fixture.txt";
		if (text[0] == '@') {
			fpath = text + 1;
			sp = strchr(text, ' ');
			assert_non_null(sp);
			*sp = '\0';
			text = sp + 1;
		}
		check_case(name, lineno, line[0], id, fpath, text);
	}
	free(line);
	fclose(f);
}

static void test_cases(void **state)
{
	(void)state;
	DIR *d = opendir(cases_dir);
	assert_non_null(d);
	struct dirent *de;
	int files = 0;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n < 7 || strcmp(de->d_name + n - 6, ".cases"))
			continue;
		char *p = bw_asprintf("%s/%s", cases_dir, de->d_name);
		run_file(p, de->d_name);
		free(p);
		files++;
	}
	closedir(d);
	assert_true(files > 0);
	/* every built-in rule proven both ways */
	size_t nr = bw_secret_rules_count(rules);
	for (size_t i = 0; i < nr; i++) {
		struct bw_secret_rule_info ri;
		bw_secret_rules_get(rules, i, &ri);
		struct seen *s = seen_of(ri.id);
		if (!s->pos || !s->neg) {
			fprintf(stderr, "rule %s: %d positive and %d negative cases (need both)\n", ri.id,
				s->pos, s->neg);
			failures++;
		}
	}
	assert_true(nr >= 80);
	assert_int_equal(failures, 0);
}

/* ---- engine edges ------------------------------------------------------------ */

static void test_mask(void **state)
{
	(void)state;
	char out[40];
	bw_secret_mask("ghp_abcdefghijklmnop", 20, out, sizeof(out));
	assert_string_equal(out, "ghp_****************");
	bw_secret_mask("hunter2", 7, out, sizeof(out));
	assert_string_equal(out, "hu*****");
	bw_secret_mask("ab", 2, out, sizeof(out));
	assert_string_equal(out, "**");
	char big[100];
	memset(big, 'A', sizeof(big));
	bw_secret_mask(big, sizeof(big), out, sizeof(out));
	assert_int_equal(strlen(out), 32);
	bw_secret_mask(big, sizeof(big), out, 5);
	assert_string_equal(out, "AAAA");
}

static int count_cb(void *ud, const struct bw_secret_match *m)
{
	(void)m;
	(*(int *)ud)++;
	return 0;
}

static void test_long_line(void **state)
{
	(void)state;
	/* 10 MB on one line, "token" every 100 bytes, one real key near the end */
	size_t n = 10u << 20;
	char *buf = bw_malloc(n);
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)('a' + i % 26);
	for (size_t i = 0; i + 100 < n; i += 100)
		memcpy(buf + i, "token=x;", 8);
	const char *key = "gh"
			  "p_FAKEabcdefghijklmnopqrstuvwxyz012345";
	memcpy(buf + n - 1000, key, strlen(key));
	buf[n - 1000 - 1] = ' ';
	buf[n - 1000 + strlen(key)] = ' ';
	int cnt = 0;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_secret_scan_buffer(rules, "/long.js", buf, n, count_cb, &cnt, &err), 0);
	assert_int_equal(cnt, 1);
	free(buf);
}

static void test_nul_and_utf8(void **state)
{
	(void)state;
	/* NUL bytes and invalid UTF-8 around a key: a buffer is scanned whatever it holds */
	char buf[200];
	memset(buf, 0, sizeof(buf));
	memcpy(buf + 10, "\xff\xfe\xc3(", 4);
	const char *key = "AK"
			  "IAFAKEABCDEFGHIJKL";
	memcpy(buf + 50, key, strlen(key));
	int cnt = 0;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_secret_scan_buffer(rules, NULL, buf, sizeof(buf), count_cb, &cnt, &err), 0);
	assert_int_equal(cnt, 1);

	/* a streamed file with a NUL in its first 8 KiB is binary: skipped and said so */
	struct bw_secret_scanner *s = bw_secret_scanner_new(rules);
	cnt = 0;
	assert_int_equal(bw_secret_scan_begin(s, "/bin/fake", &err), 0);
	assert_int_equal(bw_secret_scan_chunk(s, buf, sizeof(buf), count_cb, &cnt, &err), 0);
	assert_int_equal(bw_secret_scan_end(s, count_cb, &cnt, &err), 0);
	assert_true(bw_secret_scan_was_binary(s));
	assert_int_equal(cnt, 0);
	bw_secret_scanner_free(s);
}

static void test_entropy(void **state)
{
	(void)state;
	assert_true(bw_secret_entropy("aaaaaaaa", 8) < 0.01);
	double h = bw_secret_entropy("abcdefgh", 8);
	assert_true(h > 2.99 && h < 3.01);
}

static int config_err(const char *yaml, struct bw_error *err)
{
	struct bw_secret_rules *r = NULL;
	int rc = bw_secret_rules_new_from_buffer("test.yaml", yaml, strlen(yaml), &r, err);
	bw_secret_rules_free(r);
	return rc;
}

static void test_config_errors(void **state)
{
	(void)state;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(config_err("rules:\n  - id: ACME-001\n    regex: 'acme_[a-z'\n", &err), BW_EUSAGE);
	assert_non_null(strstr(err.msg, "ACME-001"));
	assert_non_null(strstr(err.msg, "invalid regex"));
	assert_int_equal(config_err("rules:\n  - id: X\n    regex: a\n    colour: red\n", &err), BW_EUSAGE);
	assert_non_null(strstr(err.msg, "test.yaml:4"));
	assert_int_equal(config_err("rules:\n  - regex: a\n", &err), BW_EUSAGE);
	assert_int_equal(config_err("rules: [\n", &err), BW_EUSAGE);
	assert_non_null(strstr(err.msg, "invalid YAML"));
	assert_int_equal(config_err("disable-rules: [BW-SEC-NOPE-001]\n", &err), BW_EUSAGE);
	assert_int_equal(config_err("rules:\n  - id: BW-SEC-X\n    regex: a\n", &err), BW_EUSAGE);
	assert_int_equal(config_err("max-file-size: lots\n", &err), BW_EUSAGE);
	assert_int_equal(config_err("rules:\n  - id: A\n    regex: a\n  - id: A\n    regex: b\n", &err),
			 BW_EUSAGE);
	assert_non_null(strstr(err.msg, "twice"));
	assert_int_equal(config_err("rules:\n  - id: A\n    regex: a\n    severity: SEVERE\n", &err),
			 BW_EUSAGE);
	assert_int_equal(config_err("", &err), 0);
}

static void test_config_custom(void **state)
{
	(void)state;
	const char *yaml = "rules:\n"
			   "  - id: ACME-001\n"
			   "    title: ACME deploy token\n"
			   "    severity: critical\n"
			   "    regex: 'acme_(?<secret>[a-z0-9]{32})'\n"
			   "    keywords: [acme_]\n"
			   "    allow-regexes: ['^0+$']\n"
			   "  - id: ACME-002\n"
			   "    regex: 'ACME-[0-9]{6}-[A-Z]{4}'\n"
			   "    paths: ['*/acme.conf']\n"
			   "disable-rules: [BW-SEC-JWT-001]\n"
			   "allow:\n"
			   "  regexes: ['^FAKEALLOWED']\n"
			   "  paths: ['*/vendor/*']\n"
			   "max-file-size: 1MiB\n"
			   "scan-binary: true\n";
	struct bw_secret_rules *r = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_secret_rules_new_from_buffer("t.yaml", yaml, strlen(yaml), &r, &err), 0);
	assert_int_equal(bw_secret_rules_max_file_size(r), 1u << 20);
	assert_true(bw_secret_rules_scan_binary(r));
	assert_true(bw_secret_path_allowed(r, "/app/vendor/x.js"));
	struct got g = {0};
	const char *t1 =
	    "x = acme_0123456789abcdefghijklmnopqrstuv\ny = acme_00000000000000000000000000000000\n"
	    "jwt = eyJhbGciOiJub25lIn0.eyJzdWIiOiJmYWtlMTIzIn0.ZmFrZWZha2VmYWtl\n";
	assert_int_equal(bw_secret_scan_buffer(r, "/a.txt", t1, strlen(t1), on_match, &g, &err), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.m[0].id, "ACME-001");
	assert_string_equal(g.m[0].masked, "0123****************************");
	const char *t2 = "key ACME-123456-ABCD\n";
	memset(&g, 0, sizeof(g));
	assert_int_equal(bw_secret_scan_buffer(r, "/a.txt", t2, strlen(t2), on_match, &g, &err), 0);
	assert_int_equal(g.n, 0);
	assert_int_equal(bw_secret_scan_buffer(r, "/etc/acme.conf", t2, strlen(t2), on_match, &g, &err), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.m[0].id, "ACME-002");
	bw_secret_rules_free(r);
}

static int setup(void **state)
{
	(void)state;
	struct bw_error err = BW_ERROR_INIT;
	if (bw_secret_rules_new(NULL, NULL, &rules, &err) < 0) {
		fprintf(stderr, "rules: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	bw_secret_rules_free(rules);
	return 0;
}

int main(int argc, char **argv)
{
	cases_dir = argc > 1 ? argv[1] : "cases";
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),	  cmocka_unit_test(test_mask),
	    cmocka_unit_test(test_long_line),	  cmocka_unit_test(test_nul_and_utf8),
	    cmocka_unit_test(test_entropy),	  cmocka_unit_test(test_config_errors),
	    cmocka_unit_test(test_config_custom),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
