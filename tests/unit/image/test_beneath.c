/* Unit tests of opening a file below a directory without leaving it
 * (src/image/beneath.c): openat2 where the kernel has it, and the
 * component-by-component walk used where it does not. Both must refuse
 * "..", absolute names, symlinks that lead out, and a final symlink; the
 * walk refuses every symlink. The trees are made here under a mkdtemp. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/image-int.h"

static char root[64];
static int rootfd = -1;

static void write_file(const char *rel, const char *text)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/bw-beneath-XXXXXX");
	assert_non_null(mkdtemp(root));
	char p[256];
	snprintf(p, sizeof(p), "%s/in", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/in/blobs", root);
	mkdir(p, 0755);
	write_file("in/blobs/ok", "inside\n");
	write_file("outside", "outside\n");
	snprintf(p, sizeof(p), "%s/in/up", root);
	assert_int_equal(symlink("..", p), 0);
	snprintf(p, sizeof(p), "%s/in/abs", root);
	char t[256];
	snprintf(t, sizeof(t), "%s/outside", root);
	assert_int_equal(symlink(t, p), 0);
	snprintf(p, sizeof(p), "%s/in/inner", root);
	assert_int_equal(symlink("blobs", p), 0);
	snprintf(p, sizeof(p), "%s/in", root);
	rootfd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(rootfd >= 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	close(rootfd);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void expect_read(int fd, const char *text)
{
	assert_true(fd >= 0);
	char buf[64] = {0};
	assert_int_equal(read(fd, buf, sizeof(buf) - 1), (ssize_t)strlen(text));
	assert_string_equal(buf, text);
	close(fd);
}

typedef int (*open_fn)(int, const char *, int);

static void expect_refused(open_fn fn, const char *name)
{
	errno = 0;
	int fd = fn(rootfd, name, O_RDONLY);
	if (fd >= 0)
		close(fd);
	assert_int_equal(fd, -1);
	assert_int_not_equal(errno, 0);
}

static void test_inside_opens(void **state)
{
	(void)state;
	expect_read(bw_openat_beneath(rootfd, "blobs/ok", O_RDONLY), "inside\n");
	expect_read(bw_openat_walk(rootfd, "blobs/ok", O_RDONLY), "inside\n");
	expect_read(bw_openat_walk(rootfd, "./blobs//ok", O_RDONLY), "inside\n");
}

static void test_ways_out_refused(void **state)
{
	(void)state;
	static const char *const out[] = {"../outside",	 "blobs/../../outside",
					  "up/outside",	 "abs",
					  "/etc/passwd", "inner/ok" /* a final or inner symlink */};
	for (size_t i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		/* openat2 follows a symlink that stays inside: only the walk refuses inner/ok */
		if (strcmp(out[i], "inner/ok") != 0)
			expect_refused(bw_openat_beneath, out[i]);
		expect_refused(bw_openat_walk, out[i]);
	}
	errno = 0;
	assert_int_equal(bw_openat_walk(rootfd, "../outside", O_RDONLY), -1);
	assert_int_equal(errno, EXDEV);
	errno = 0;
	assert_int_equal(bw_openat_beneath(rootfd, "abs", O_RDONLY), -1);
	assert_int_equal(errno, ELOOP); /* a final symlink is never followed */
}

static void test_missing_is_enoent(void **state)
{
	(void)state;
	errno = 0;
	assert_int_equal(bw_openat_beneath(rootfd, "blobs/nope", O_RDONLY), -1);
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_int_equal(bw_openat_walk(rootfd, "nope/ok", O_RDONLY), -1);
	assert_int_equal(errno, ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_inside_opens),
	    cmocka_unit_test(test_ways_out_refused),
	    cmocka_unit_test(test_missing_is_enoent),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
