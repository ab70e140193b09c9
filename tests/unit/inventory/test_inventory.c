/* Unit tests of the inventory parsers, one file at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "inventory/inventory.h"

static struct bw_report *parse(const char *path, const char *data, const char *os)
{
	struct bw_report *r = bw_report_new("filesystem", "unit");
	bw_inventory_parse_file(path, data, strlen(data), os, r);
	return r;
}

static const struct bw_package *find(const struct bw_report *r, const char *name)
{
	for (size_t i = 0; i < r->n_packages; i++)
		if (strcmp(r->packages[i].name, name) == 0)
			return &r->packages[i];
	return NULL;
}

static void test_dpkg(void **state)
{
	struct bw_report *r = parse("/var/lib/dpkg/status",
				    "Package: login\nStatus: install ok installed\nArchitecture: amd64\n"
				    "Source: shadow (1:4.13+dfsg1-1)\nVersion: 1:4.13+dfsg1-1+b1\n"
				    "Depends: libc6 (>= 2.34),\n libpam0g | libpam-x\n\n"
				    "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n"
				    "Package: nover\nStatus: install ok installed\n",
				    "debian");
	assert_int_equal(r->n_packages, 1);
	const struct bw_package *p = find(r, "login");
	assert_non_null(p);
	assert_string_equal(p->version, "1:4.13+dfsg1-1+b1");
	assert_string_equal(p->source_name, "shadow");
	assert_string_equal(p->source_version, "1:4.13+dfsg1-1");
	assert_string_equal(p->ecosystem, "Debian");
	assert_string_equal(p->purl, "pkg:deb/debian/login@4.13%2Bdfsg1-1%2Bb1?arch=amd64&distro=debian-&epoch=1");
	assert_int_equal(r->n_warnings, 1);
	bw_report_free(r);
}

static void test_apk(void **state)
{
	struct bw_report *r = parse("/lib/apk/db/installed",
				    "P:libssl3\nV:3.3.2-r0\nA:x86_64\no:openssl\nL:Apache-2.0\n\nV:1\n\n", "alpine");
	assert_int_equal(r->n_packages, 1);
	assert_string_equal(r->packages[0].source_name, "openssl");
	assert_string_equal(r->packages[0].ecosystem, "Alpine");
	assert_string_equal(r->packages[0].licenses[0], "Apache-2.0");
	assert_int_equal(r->n_warnings, 1);
	bw_report_free(r);
}

static void test_python_pep503(void **state)
{
	struct bw_report *r = parse("/usr/lib/python3.11/site-packages/Zope.Interface-6.0.dist-info/METADATA",
				    "Name: Zope.Interface__X\nVersion: 6.0\n\nName: no\n", NULL);
	assert_int_equal(r->n_packages, 1);
	assert_string_equal(r->packages[0].name, "zope-interface-x");
	assert_string_equal(r->packages[0].purl, "pkg:pypi/zope-interface-x@6.0");
	bw_report_free(r);
}

static void test_npm(void **state)
{
	struct bw_report *r = parse("/a/node_modules/@types/node/package.json",
				    "{\"name\":\"@types/node\",\"version\":\"20.1.0+x\",\"license\":\"MIT\"}", NULL);
	assert_int_equal(r->n_packages, 1);
	assert_string_equal(r->packages[0].purl, "pkg:npm/%40types/node@20.1.0%2Bx");
	bw_report_free(r);
	/* a package.json below a package's root is not a package */
	r = parse("/a/node_modules/x/lib/package.json", "{\"name\":\"x\",\"version\":\"1\"}", NULL);
	assert_int_equal(r->n_packages, 0);
	bw_report_free(r);
	r = parse("/a/node_modules/x/package.json", "{\"name\":", NULL);
	assert_int_equal(r->n_packages, 0);
	assert_int_equal(r->n_warnings, 1);
	bw_report_free(r);
}

static void test_yarn_pnpm(void **state)
{
	struct bw_report *r = parse("/app/yarn.lock",
				    "\"@babel/core@^7.0.0\", \"@babel/core@^7.1\":\n  version \"7.22.5\"\n"
				    "\"x@workspace:.\":\n  version: 0.0.0-use.local\n", NULL);
	assert_int_equal(r->n_packages, 1);
	assert_string_equal(r->packages[0].name, "@babel/core");
	assert_string_equal(r->packages[0].version, "7.22.5");
	bw_report_free(r);
	r = parse("/app/pnpm-lock.yaml", "packages:\n  /a/1.0.0:\n    x: 1\n  /@s/b@2.0.0(c@1.0.0):\n    x: 1\n", NULL);
	assert_int_equal(r->n_packages, 2);
	assert_non_null(find(r, "@s/b"));
	assert_string_equal(find(r, "a")->version, "1.0.0");
	bw_report_free(r);
}

static void test_os_release_and_nothing(void **state)
{
	struct bw_report *r = parse("/etc/os-release", "ID=alpine\nVERSION_ID=3.20.3\n", NULL);
	assert_int_equal(r->n_packages, 0);
	bw_report_free(r);
	r = parse("/etc/passwd", "root:x:0:0::/root:/bin/sh\n", NULL);
	assert_int_equal(r->n_packages, 0);
	assert_int_equal(r->n_warnings, 0);
	bw_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg),
		cmocka_unit_test(test_apk),
		cmocka_unit_test(test_python_pep503),
		cmocka_unit_test(test_npm),
		cmocka_unit_test(test_yarn_pnpm),
		cmocka_unit_test(test_os_release_and_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
