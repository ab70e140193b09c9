/* Attribution of records to containers (container.c): a cgroup none of the
 * ways could name (its processes and its directory gone before the record
 * was read, as when several containers start at once on a loaded machine)
 * is the host's only until a later record names it: the exec record that
 * carries the cgroup's name turns it into its container. Alerts of those
 * containers were lost when the first guess was kept for good. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "monitor/monitor-int.h"

static const char id1[] = "4207cec9279aa8e1c6662b1b9a35d37dd885fadee140a111d4f80da3e57783ba";

static struct bw_mon_attrib *attrib(void)
{
	static struct bw_monitor_opts o;
	/* no engine: names stay ids, nothing waits on it */
	o.docker_host = "unix:///nonexistent/bulwark-test.sock";
	struct bw_mon_attrib *a = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_mon_attrib_new(&o, &a, &err), 0);
	return a;
}

/* A cgroup id no cgroup has (kernfs ids count up from 1; this one is far
 * beyond any a test machine reaches) */
#define GONE_CGROUP 0x7ffffffff0001ull

static void test_unnamed_cgroup_is_named_by_a_later_exec(void **state)
{
	struct bw_mon_attrib *a = attrib();
	double now = bw_now();
	/* the container's first record: not an exec, its process gone */
	struct bw_mon_container *c = bw_mon_attrib_container(a, GONE_CGROUP, NULL, 0, 0, now);
	assert_true(c->host);
	assert_true(c->unsure);
	/* the exec record of its next process names the cgroup directory */
	struct bw_mon_container *c2 = bw_mon_attrib_container(a, GONE_CGROUP, id1, strlen(id1), 0, now);
	assert_ptr_equal(c, c2);
	assert_false(c->host);
	assert_false(c->unsure);
	assert_string_equal(c->id, id1);
	assert_string_equal(c->runtime, "docker");
	/* and later records of the cgroup (no name) keep it */
	c2 = bw_mon_attrib_container(a, GONE_CGROUP, NULL, 0, 0, now + 1);
	assert_false(c2->host);
	assert_string_equal(c2->id, id1);
	bw_mon_attrib_free(a);
}

static void test_unnamed_cgroup_asked_again_later(void **state)
{
	struct bw_mon_attrib *a = attrib();
	double now = bw_now();
	struct bw_mon_container *c = bw_mon_attrib_container(a, GONE_CGROUP + 1, NULL, 0, 0, now);
	assert_true(c->host && c->unsure);
	/* asked again (and still not found): still the host's, still unsure */
	c = bw_mon_attrib_container(a, GONE_CGROUP + 1, NULL, 0, 0, now + 1);
	assert_true(c->host && c->unsure);
	/* a systemd-style name that is not a container's: the host's for good
	 * only once its path is known; a name alone changes nothing */
	c = bw_mon_attrib_container(a, GONE_CGROUP + 1, "cron.service", 12, 0, now + 2);
	assert_true(c->host);
	bw_mon_attrib_free(a);
}

static void test_host_root_cgroup_is_sure(void **state)
{
	struct bw_mon_attrib *a = attrib();
	struct bw_mon_container *c =
	    bw_mon_attrib_container(a, bw_mon_host_cgroup_id(), NULL, 0, 0, bw_now());
	assert_true(c->host);
	assert_false(c->unsure);
	bw_mon_attrib_free(a);
}

static void test_docker_scope_name(void **state)
{
	struct bw_mon_attrib *a = attrib();
	char name[128];
	snprintf(name, sizeof(name), "docker-%s.scope", id1);
	struct bw_mon_container *c =
	    bw_mon_attrib_container(a, GONE_CGROUP + 2, name, strlen(name), 0, bw_now());
	assert_false(c->host);
	assert_string_equal(c->id, id1);
	bw_mon_attrib_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unnamed_cgroup_is_named_by_a_later_exec),
	    cmocka_unit_test(test_unnamed_cgroup_asked_again_later),
	    cmocka_unit_test(test_host_root_cgroup_is_sure),
	    cmocka_unit_test(test_docker_scope_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
