/* The audit's decisions without an engine: the data-driven container cases
 * (containers.cases), dockerd command-line parsing, the check table's
 * integrity and check selection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>

#include "audit/audit-int.h"

static char tmpdir[] = "/tmp/bw-audit-test-XXXXXX";

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/inspect.json", tmpdir);
	unlink(p);
	rmdir(tmpdir);
	return 0;
}

/* Run an offline audit of one inspect document restricted to one check. */
static struct bw_report *audit_one(const char *check, const char *json_text)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/inspect.json", tmpdir);
	json_error_t je;
	json_t *j = json_loads(json_text, 0, &je);
	if (!j)
		fail_msg("case JSON: %s: %s", je.text, json_text);
	if (!json_object_get(j, "Id"))
		json_object_set_new(j, "Id", json_string("0123456789abcdef0123456789abcdef"));
	if (!json_object_get(j, "Name"))
		json_object_set_new(j, "Name", json_string("/case"));
	assert_int_equal(json_dump_file(j, path, 0), 0);
	json_decref(j);

	const char *files[] = {path};
	const char *checks[] = {check};
	struct bw_audit_opts o = {.offline = true,
				  .inspect_files = files,
				  .n_inspect_files = 1,
				  .host_root = tmpdir,
				  .checks = checks,
				  .n_checks = 1};
	struct bw_report *r = bw_report_new("host", NULL);
	struct bw_error err = BW_ERROR_INIT;
	if (bw_audit_run(&o, r, &err) != 0)
		fail_msg("audit: %s", err.msg);
	return r;
}

static void test_container_cases(void **state)
{
	bw_autofree char *path = bw_asprintf("%s/containers.cases", BW_AUDIT_CASES_DIR);
	FILE *f = fopen(path, "re");
	assert_non_null(f);
	char line[8192];
	int n = 0, lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char check[16], status[16];
		int off = 0;
		if (sscanf(line, "%15s %15s %n", check, status, &off) != 2 || !off)
			fail_msg("containers.cases:%d: malformed", lineno);
		struct bw_report *r = audit_one(check, line + off);
		if (r->n_findings != 1)
			fail_msg("containers.cases:%d: %zu findings", lineno, r->n_findings);
		const struct bw_finding *fd = &r->findings[0];
		if (strcmp(bw_status_name(fd->status), status) != 0)
			fail_msg("containers.cases:%d: CIS-%s is %s (%s), want %s", lineno, check,
				 bw_status_name(fd->status), fd->evidence ? fd->evidence : "", status);
		assert_string_equal(fd->location.container, "case");
		assert_non_null(fd->evidence);
		if (fd->status == BW_STATUS_WARN)
			assert_non_null(fd->remediation);
		bw_report_free(r);
		n++;
	}
	fclose(f);
	assert_true(n >= 80);
}

static const char *cfg_str(struct audit_daemon *d, const char *key)
{
	return json_string_value(json_object_get(d->config, key));
}

static void test_dockerd_cmdline(void **state)
{
	struct audit_daemon d = {.config = json_object(), .source = json_object()};
	json_object_set_new(d.config, "insecure-registries", json_pack("[s]", "from-file:5000"));
	char *argv[] = {"dockerd",
			"--icc=false",
			"-H",
			"unix:///run/docker.sock",
			"-Htcp://0.0.0.0:2376",
			"--log-level",
			"warn",
			"--tlsverify",
			"--storage-driver=overlay2",
			"-s",
			"vfs",
			"--insecure-registry",
			"a:5000",
			"--insecure-registry=b:5000",
			"--default-ulimit",
			"nofile=1024:2048",
			"--live-restore=false",
			"--unknown-flag",
			"--userns-remap=default",
			"positional",
			"-D"};
	audit_daemon_apply_cmdline(&d, argv, BW_ARRAY_SIZE(argv));
	assert_true(json_is_false(json_object_get(d.config, "icc")));
	json_t *hosts = json_object_get(d.config, "hosts");
	assert_int_equal(json_array_size(hosts), 2);
	assert_string_equal(json_string_value(json_array_get(hosts, 1)), "tcp://0.0.0.0:2376");
	assert_string_equal(cfg_str(&d, "log-level"), "warn");
	assert_true(json_is_true(json_object_get(d.config, "tlsverify")));
	assert_string_equal(cfg_str(&d, "storage-driver"), "vfs"); /* the later flag wins */
	json_t *regs = json_object_get(d.config, "insecure-registries");
	assert_int_equal(json_array_size(regs), 2); /* the command line replaces the file's list */
	assert_string_equal(json_string_value(json_array_get(regs, 0)), "a:5000");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(d.config, "default-ulimits"), "nofile")),
	    "1024:2048");
	assert_true(json_is_false(json_object_get(d.config, "live-restore")));
	assert_string_equal(cfg_str(&d, "userns-remap"), "default");
	assert_true(json_is_true(json_object_get(d.config, "debug")));
	assert_string_equal(json_string_value(json_object_get(d.source, "icc")), "command line");
	assert_true(d.have_cmdline);
	audit_daemon_release(&d);
}

static void test_check_table(void **state)
{
	size_t n = bw_audit_n_checks();
	assert_int_equal(n, 108);
	for (size_t i = 0; i < n; i++) {
		const struct audit_check *c = &audit_checks[i];
		assert_non_null(c->info.id);
		assert_true(c->info.title && *c->info.title);
		assert_true(c->info.how && *c->info.how);
		assert_true(c->info.remediation && *c->info.remediation);
		assert_false(c->global && c->container);
		if (c->info.decided)
			assert_true(c->global || c->container);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(audit_checks[k].info.id, c->info.id))
				fail_msg("duplicate check %s", c->info.id);
		if (c->info.scope == BW_AUDIT_IMAGES) /* decided by lint's image rules, or manual */
			assert_true(c->info.decided == (c->global != NULL));
	}
}

static void test_selection(void **state)
{
	const char *checks[] = {"cis-3", "5.4"};
	const char *excludes[] = {"3.1"};
	struct bw_audit_opts o = {.offline = true,
				  .host_root = tmpdir,
				  .checks = checks,
				  .n_checks = 2,
				  .excludes = excludes,
				  .n_excludes = 1};
	struct bw_report *r = bw_report_new("host", NULL);
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_audit_run(&o, r, &err), 0);
	assert_int_equal(r->n_findings, 23); /* 3.2 .. 3.24; 5.4 has no container offline */
	for (size_t i = 0; i < r->n_findings; i++) {
		assert_true(!strncmp(r->findings[i].id, "CIS-3.", 6));
		assert_string_not_equal(r->findings[i].id, "CIS-3.1");
	}
	bw_report_free(r);

	const char *bad[] = {"5.99"};
	o.checks = bad;
	o.n_checks = 1;
	r = bw_report_new("host", NULL);
	assert_int_equal(bw_audit_run(&o, r, &err), BW_EUSAGE);
	assert_non_null(strstr(err.msg, "5.99"));
	bw_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_container_cases),
	    cmocka_unit_test(test_dockerd_cmdline),
	    cmocka_unit_test(test_check_table),
	    cmocka_unit_test(test_selection),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
