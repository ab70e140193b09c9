/* The final view of an image and path resolution in it: the cases of
 * merge.cases (small multi-layer images written as text, built as real
 * tar layers in a docker-archive and read by the real source, walker and
 * merge), and in C the implied directories' attributes, the 40-hop limit
 * of symlink resolution and lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "image/image.h"
#include "tarimage.h"

static const char *cases_path;
static char tmpdir[] = "/tmp/bw-merge-test-XXXXXX";

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/* Split s at sep into at most max trimmed, non-empty fields. */
static size_t split(char *s, char sep, char **out, size_t max)
{
	size_t n = 0;
	while (s && n < max) {
		char *next = strchr(s, sep);
		if (next)
			*next++ = '\0';
		char *t = trim(s);
		if (*t)
			out[n++] = t;
		s = next;
	}
	return n;
}

/* The final view as the cases write it: "PATH TYPE LAYER [size=N] [-> LINK]
 * [=> LINK] [implied]" joined with " ; ". */
static char *render_final(const struct bw_image *img)
{
	size_t n;
	const struct bw_file *const *fs = bw_image_final(img, &n);
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	for (size_t i = 0; i < n; i++) {
		const struct bw_file *f = fs[i];
		bw_buf_printf(&b, "%s%s %s %d", i ? " ; " : "", f->path, bw_file_type_name(f->type),
			      f->layer);
		if (f->size)
			bw_buf_printf(&b, " size=%llu", (unsigned long long)f->size);
		if (f->type == BW_FILE_SYMLINK)
			bw_buf_printf(&b, " -> %s", f->link);
		if (f->type == BW_FILE_HARDLINK)
			bw_buf_printf(&b, " => %s", f->link);
		if (f->implied)
			bw_buf_addstr(&b, " implied");
	}
	bw_buf_addstr(&b, "");
	return bw_buf_detach(&b, NULL);
}

static char *join_expected(char *list)
{
	char *items[512];
	size_t n = split(list, ';', items, BW_ARRAY_SIZE(items));
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	bw_buf_addstr(&b, "");
	for (size_t i = 0; i < n; i++)
		bw_buf_printf(&b, "%s%s", i ? " ; " : "", items[i]);
	return bw_buf_detach(&b, NULL);
}

/* Every entry of the final view is found by its path, nothing else is. */
static bool lookups_agree(const struct bw_image *img)
{
	size_t n;
	const struct bw_file *const *fs = bw_image_final(img, &n);
	uint64_t files, bytes, sum = 0;
	for (size_t i = 0; i < n; i++) {
		if (bw_image_lookup(img, fs[i]->path) != fs[i])
			return false;
		if (i && strcmp(fs[i - 1]->path, fs[i]->path) >= 0)
			return false; /* sorted by byte order, no duplicates */
		if (fs[i]->type == BW_FILE_REG)
			sum += fs[i]->size;
	}
	bw_image_totals(img, &files, &bytes);
	return files == n && bytes == sum && !bw_image_lookup(img, "/no such path") &&
	       !bw_image_lookup(img, "");
}

struct one_case {
	const char *name;
	int line;
	struct tar_layer layers[16];
	size_t n_layers;
	bool bad_spec;
	char *bug;
	struct bw_image *img;
	int rc;
	struct bw_error err;
	int mismatches;
	char archive[128]; /* kept until the case ends: bw_image_read_file reads it again */
};

static void report(struct one_case *c, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void report(struct one_case *c, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s:%d: [%s] ", cases_path, line, c->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	c->mismatches++;
}

/* Build and walk the image once, at the first line that needs it. */
static void ensure_walked(struct one_case *c, int case_no)
{
	if (c->img || c->rc)
		return;
	snprintf(c->archive, sizeof(c->archive), "%s/case-%d.tar", tmpdir, case_no);
	for (size_t i = 0; i < c->n_layers; i++)
		tar_layer_end(&c->layers[i]);
	tar_image_write(c->archive, c->layers, c->n_layers);
	bw_error_clear(&c->err);
	c->rc = tar_image_open_walk(c->archive, &c->img, &c->err);
	if (c->rc == 0 && !lookups_agree(c->img))
		report(c, c->line, "bw_image_lookup or bw_image_totals disagrees with the final view");
}

static void check_final(struct one_case *c, int line, char *want_list)
{
	char *want = join_expected(want_list);
	if (c->rc) {
		report(c, line, "walk failed: %s; want the final view %s", c->err.msg, want);
	} else {
		char *got = render_final(c->img);
		if (strcmp(got, want) != 0)
			report(c, line, "final view\n  got:  %s\n  want: %s", got, want);
		free(got);
	}
	free(want);
}

static void check_error(struct one_case *c, int line, const char *want)
{
	if (c->rc == 0)
		report(c, line, "the walk succeeded; want an error containing '%s'", want);
	else if (!strstr(c->err.msg, want))
		report(c, line, "error '%s' lacks '%s'", c->err.msg, want);
}

/* "PATH = RESULT": a final-view path, "none", or "error: TEXT" (BW_EINPUT
 * naming PATH). */
static void check_resolve(struct one_case *c, int line, char *arg)
{
	char *eq = strstr(arg, " = ");
	if (!eq) {
		report(c, line, "want 'resolve: PATH = RESULT'");
		return;
	}
	*eq = '\0';
	const char *path = trim(arg), *want = trim(eq + 3);
	if (c->rc) {
		report(c, line, "walk failed: %s", c->err.msg);
		return;
	}
	const struct bw_file *f = NULL;
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_image_resolve(c->img, path, &f, &err);
	if (strncmp(want, "error:", 6) == 0) {
		const char *text = trim((char *)want + 6);
		if (rc != BW_EINPUT || !strstr(err.msg, text) || !strstr(err.msg, path))
			report(c, line, "resolve %s: rc %d '%s'; want BW_EINPUT naming the path and '%s'",
			       path, rc, rc ? err.msg : (f ? f->path : "none"), text);
		return;
	}
	const char *got = rc ? err.msg : f ? f->path : "none";
	if (rc || strcmp(got, want) != 0)
		report(c, line, "resolve %s: got %s, want %s", path, got, want);
}

static int collect(void *ud, const void *data, size_t len, struct bw_error *err)
{
	(void)err;
	return bw_buf_add(ud, data, len);
}

/* "PATH = CONTENT" of bw_image_read_file, or "error: TEXT". */
static void check_cat(struct one_case *c, int line, char *arg)
{
	char *eq = strstr(arg, " = ");
	if (!eq) {
		report(c, line, "want 'cat: PATH = CONTENT'");
		return;
	}
	if (c->rc) {
		report(c, line, "walk failed: %s", c->err.msg);
		return;
	}
	*eq = '\0';
	const char *path = trim(arg), *want = trim(eq + 3);
	struct bw_buf b;
	bw_buf_init(&b, 1 << 20);
	bw_buf_addstr(&b, "");
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_image_read_file(c->img, path, collect, &b, &err);
	if (strncmp(want, "error:", 6) == 0) {
		if (rc == 0 || !strstr(err.msg, trim((char *)want + 6)))
			report(c, line, "cat %s: rc %d '%s'; want %s", path, rc, rc ? err.msg : b.data, want);
	} else if (rc != 0 || strcmp(b.data, want) != 0) {
		report(c, line, "cat %s: %s; want '%s'", path, rc ? err.msg : b.data, want);
	}
	bw_buf_release(&b);
}

/* Close a case: a case with a "bug:" line records what the code gets wrong
 * and must keep failing; once it passes, the line goes. */
static void finish_case(struct one_case *c, int *failures, int *known)
{
	if (!c->name)
		return;
	if (c->bad_spec) {
		fprintf(stderr, "%s:%d: [%s] malformed layer entry\n", cases_path, c->line, c->name);
		(*failures)++;
	} else if (c->bug && c->mismatches == 0) {
		fprintf(stderr, "%s:%d: [%s] passes now: remove its 'bug:' line\n", cases_path, c->line,
			c->name);
		(*failures)++;
	} else if (c->bug) {
		fprintf(stderr, "%s:%d: [%s] known bug, kept failing on purpose: %s\n", cases_path, c->line,
			c->name, c->bug);
		(*known)++;
	} else if (c->mismatches) {
		(*failures)++;
	}
	for (size_t i = 0; i < c->n_layers; i++)
		tar_layer_release(&c->layers[i]);
	bw_image_free(c->img);
	if (c->archive[0])
		unlink(c->archive);
	free((char *)c->name);
	free(c->bug);
	memset(c, 0, sizeof(*c));
}

static void test_cases(void **state)
{
	(void)state;
	FILE *f = fopen(cases_path, "r");
	assert_non_null(f);
	char line[8192];
	int lineno = 0, failures = 0, known = 0, ran = 0;
	struct one_case c;
	memset(&c, 0, sizeof(c));
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *colon = strchr(s, ':');
		if (!colon)
			fail_msg("%s:%d: want 'KEY: VALUE'", cases_path, lineno);
		*colon = '\0';
		char *key = s, *val = trim(colon + 1);
		if (strcmp(key, "case") == 0) {
			finish_case(&c, &failures, &known);
			c.name = bw_strdup(val);
			c.line = lineno;
			ran++;
			continue;
		}
		if (!c.name)
			fail_msg("%s:%d: '%s' before the first 'case:'", cases_path, lineno, key);
		if (strcmp(key, "layer") == 0) {
			if (c.img || c.rc || c.n_layers == BW_ARRAY_SIZE(c.layers))
				fail_msg("%s:%d: layers come first, at most 16", cases_path, lineno);
			struct tar_layer *l = &c.layers[c.n_layers++];
			tar_layer_begin(l, TAR_NONE);
			char *items[512];
			size_t n = split(val, ';', items, BW_ARRAY_SIZE(items));
			for (size_t i = 0; i < n; i++)
				c.bad_spec |= !tar_layer_add_spec(l, items[i]);
		} else if (strcmp(key, "bug") == 0) {
			c.bug = bw_strdup(val);
		} else {
			ensure_walked(&c, ran);
			if (strcmp(key, "final") == 0)
				check_final(&c, lineno, val);
			else if (strcmp(key, "error") == 0)
				check_error(&c, lineno, val);
			else if (strcmp(key, "resolve") == 0)
				check_resolve(&c, lineno, val);
			else if (strcmp(key, "cat") == 0)
				check_cat(&c, lineno, val);
			else
				fail_msg("%s:%d: unknown key '%s'", cases_path, lineno, key);
		}
	}
	finish_case(&c, &failures, &known);
	fclose(f);
	fprintf(stderr, "%d cases, %d known bugs (cases with a 'bug:' line)\n", ran, known);
	assert_true(ran >= 30);
	assert_int_equal(failures, 0);
}

static struct bw_image *walk_one(struct tar_layer *layers, size_t n, const char *name)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s.tar", tmpdir, name);
	for (size_t i = 0; i < n; i++)
		tar_layer_end(&layers[i]);
	tar_image_write(path, layers, n);
	struct bw_image *img = NULL;
	struct bw_error err = BW_ERROR_INIT;
	int rc = tar_image_open_walk(path, &img, &err);
	unlink(path);
	for (size_t i = 0; i < n; i++)
		tar_layer_release(&layers[i]);
	if (rc)
		fail_msg("%s: %s", name, err.msg);
	return img;
}

/* Implied directories are made as engines make them: root-owned, 0755. */
static void test_implied_attributes(void **state)
{
	(void)state;
	struct tar_layer l;
	tar_layer_begin(&l, TAR_NONE);
	tar_layer_add(&l, "opt/app/bin/tool", BW_FILE_REG, NULL, "#!", 04750, 1000, 1000);
	struct bw_image *img = walk_one(&l, 1, "implied");
	static const char *const dirs[] = {"/opt", "/opt/app", "/opt/app/bin"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(dirs); i++) {
		const struct bw_file *d = bw_image_lookup(img, dirs[i]);
		assert_non_null(d);
		assert_int_equal(d->type, BW_FILE_DIR);
		assert_true(d->implied);
		assert_int_equal(d->mode, 0755);
		assert_int_equal(d->uid, 0);
		assert_int_equal(d->gid, 0);
		assert_int_equal(d->layer, 0);
	}
	const struct bw_file *t = bw_image_lookup(img, "/opt/app/bin/tool");
	assert_non_null(t);
	assert_false(t->implied);
	assert_int_equal(t->mode, 04750);
	assert_int_equal(t->uid, 1000);
	assert_int_equal(t->gid, 1000);
	char ms[11];
	bw_file_mode_string(t, ms);
	assert_string_equal(ms, "-rwsr-x---");
	bw_image_free(img);
}

/* A chain of n symlinks /l1 -> l2 -> … -> /ln -> target. */
static struct bw_image *chain(int n)
{
	struct tar_layer l;
	tar_layer_begin(&l, TAR_NONE);
	tar_layer_add(&l, "target", BW_FILE_REG, NULL, "end", 0644, 0, 0);
	for (int i = 1; i <= n; i++) {
		char name[32], to[32];
		snprintf(name, sizeof(name), "l%d", i);
		if (i == n)
			snprintf(to, sizeof(to), "target");
		else
			snprintf(to, sizeof(to), i % 2 ? "/l%d" : "l%d", i + 1);
		tar_layer_add(&l, name, BW_FILE_SYMLINK, to, NULL, 0777, 0, 0);
	}
	char name[32];
	snprintf(name, sizeof(name), "chain-%d", n);
	return walk_one(&l, 1, name);
}

/* Linux follows at most 40 symlinks in one resolution (MAXSYMLINKS). */
static void test_hop_limit(void **state)
{
	(void)state;
	struct bw_image *img = chain(40);
	const struct bw_file *f = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_image_resolve(img, "/l1", &f, &err), 0);
	assert_non_null(f);
	assert_string_equal(f->path, "/target");
	bw_image_free(img);

	img = chain(41);
	assert_int_equal(bw_image_resolve(img, "/l1", &f, &err), BW_EINPUT);
	assert_null(f);
	assert_non_null(strstr(err.msg, "/l1"));
	assert_non_null(strstr(err.msg, "too many levels of symbolic links"));
	/* from the second link on, 40 hops remain: it resolves */
	assert_int_equal(bw_image_resolve(img, "/l2", &f, &err), 0);
	assert_non_null(f);
	assert_string_equal(f->path, "/target");
	bw_image_free(img);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

int main(int argc, char **argv)
{
	cases_path = argc > 1 ? argv[1] : "merge.cases";
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_implied_attributes),
	    cmocka_unit_test(test_hop_limit),
	};
	return cmocka_run_group_tests_name("image-merge", tests, setup, teardown);
}
