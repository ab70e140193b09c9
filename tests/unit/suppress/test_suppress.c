/* Unit tests of src/suppress: ignore-file syntax (ours and .trivyignore),
 * scopes, expiry and its warning, malformed input naming file and line,
 * OpenVEX and CycloneDX VEX statements (status, justification, products,
 * subcomponents, later statements winning), and purl comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "suppress/suppress.h"

#define TODAY bw_suppress_parse_date("2024-06-15", 10)

static struct bw_report *sample(void)
{
	struct bw_report *r = bw_report_new("filesystem", "t");
	struct bw_finding *f = bw_report_add_finding(r, BW_KIND_VULNERABILITY);
	f->id = bw_report_str(r, "DSA-5001-1");
	bw_finding_add_equivalent(r, f, "CVE-2024-0001");
	f->package.name = bw_report_str(r, "openssl");
	f->package.purl = bw_report_str(r, "pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12");
	f = bw_report_add_finding(r, BW_KIND_VULNERABILITY);
	f->id = bw_report_str(r, "CVE-2024-0001");
	f->package.name = bw_report_str(r, "libssl3");
	f->package.purl = bw_report_str(r, "pkg:deb/debian/libssl3@3.0.11-1?arch=amd64");
	f = bw_report_add_finding(r, BW_KIND_MISCONFIG);
	f->id = bw_report_str(r, "BW-DF-042");
	bw_finding_add_equivalent(r, f, "DL3008");
	f->location.path = bw_report_str(r, "app/Dockerfile");
	f = bw_report_add_finding(r, BW_KIND_SECRET);
	f->id = bw_report_str(r, "BW-SEC-AWS-001");
	f->location.path = bw_report_str(r, "/srv/test/fixtures/key.txt");
	f = bw_report_add_finding(r, BW_KIND_AUDIT);
	f->id = bw_report_str(r, "CIS-5.4");
	f->status = BW_STATUS_PASS;
	return r;
}

static size_t run_ignore(const char *text, struct bw_report *r, struct bw_error *err, int *rc)
{
	struct bw_suppress *s = bw_suppress_new();
	bw_suppress_set_today(s, TODAY);
	*rc = bw_suppress_add_ignore(s, ".bulwarkignore", text, strlen(text), err);
	size_t n = *rc ? 0 : bw_suppress_apply(s, r);
	bw_suppress_free(s);
	return n;
}

static void test_dates(void **state)
{
	(void)state;
	assert_int_equal(bw_suppress_parse_date("1970-01-01", 10), 0);
	assert_int_equal(bw_suppress_parse_date("2000-03-01", 10), 11017);
	assert_int_equal(bw_suppress_parse_date("2024-02-29", 10), 19782);
	const char *bad[] = {"2023-02-29", "2024-13-01", "2024-00-10", "2024-1-01",
			     "20240101",   "2024-04-31", "1969-12-31", "2024-06-1x"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(bad); i++)
		assert_int_equal(bw_suppress_parse_date(bad[i], strlen(bad[i])), -1);
}

static void test_ignore_ids_aliases_peers(void **state)
{
	(void)state;
	struct bw_error err = BW_ERROR_INIT;
	int rc;
	struct bw_report *r = sample();
	/* an alias, a peer id (lower case), a rule id; the pass stays a pass */
	size_t n = run_ignore("# accepted: not reachable\ncve-2024-0001\n\ndl3008 # pinned by the base\n"
			      "BW-SEC-AWS-001 exp:2024-06-16\nCIS-5.4\n",
			      r, &err, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(n, 4);
	assert_int_equal(r->findings[0].status, BW_STATUS_SUPPRESSED);
	assert_string_equal(r->findings[0].suppressed_by, ".bulwarkignore:2: accepted: not reachable");
	assert_string_equal(r->findings[2].suppressed_by, ".bulwarkignore:4: pinned by the base");
	assert_string_equal(r->findings[3].suppressed_by, ".bulwarkignore:5: no reason given");
	assert_int_equal(r->findings[4].status, BW_STATUS_PASS);
	assert_int_equal(r->n_warnings, 0);
	bw_report_free(r);
}

static void test_ignore_expiry(void **state)
{
	(void)state;
	struct bw_error err = BW_ERROR_INIT;
	int rc;
	struct bw_report *r = sample();
	/* Trivy's rule: an entry expires at the start of its date */
	size_t n = run_ignore(
	    "CVE-2024-0001 exp:2024-06-15\nDL3008\texp:2024-06-14\nBW-SEC-AWS-001 exp:2030-01-01\n", r, &err,
	    &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(n, 1);
	assert_int_equal(r->findings[0].status, BW_STATUS_FAIL);
	assert_int_equal(r->findings[2].status, BW_STATUS_FAIL);
	assert_int_equal(r->findings[3].status, BW_STATUS_SUPPRESSED);
	assert_int_equal(r->n_warnings, 2);
	assert_string_equal(r->warnings[0], ".bulwarkignore:1: the ignore entry for CVE-2024-0001 expired on "
					    "2024-06-15 and no longer suppresses");
	assert_non_null(strstr(r->warnings[1], ".bulwarkignore:2:"));
	bw_report_free(r);
}

static void test_ignore_scopes(void **state)
{
	(void)state;
	struct bw_error err = BW_ERROR_INIT;
	int rc;
	struct bw_report *r = sample();
	size_t n = run_ignore("CVE-2024-0001 libssl3\nBW-SEC-AWS-001 srv/test/**\nDL3008 path:other/*\n", r,
			      &err, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(n, 2);
	assert_int_equal(r->findings[0].status, BW_STATUS_FAIL); /* openssl, not libssl3 */
	assert_int_equal(r->findings[1].status, BW_STATUS_SUPPRESSED);
	assert_int_equal(r->findings[2].status, BW_STATUS_FAIL);
	assert_int_equal(r->findings[3].status, BW_STATUS_SUPPRESSED);
	bw_report_free(r);

	r = sample();
	n = run_ignore("CVE-2024-0001 pkg:deb/debian/openssl exp:2099-01-01 # all versions\r\n"
		       "DL3008 app/Dockerfile\n",
		       r, &err, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(n, 2);
	assert_int_equal(r->findings[0].status, BW_STATUS_SUPPRESSED);
	assert_string_equal(r->findings[0].suppressed_by, ".bulwarkignore:1: all versions");
	assert_int_equal(r->findings[1].status, BW_STATUS_FAIL);
	assert_int_equal(r->findings[2].status, BW_STATUS_SUPPRESSED);
	bw_report_free(r);
}

static void test_ignore_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *text, *msg;
	} cases[] = {
	    {"CVE-1\nCVE-2 exp:2024-02-30\n", ".bulwarkignore:2: bad expiry date 'exp:2024-02-30'"},
	    {"CVE-1 exp:2024-01-01 exp:2025-01-01\n", ".bulwarkignore:1: second expiry"},
	    {"exp:2024-01-01 CVE-1\n", ".bulwarkignore:1: an entry starts with the id"},
	    {"\n\n\"CVE-1\"\n", ".bulwarkignore:3: '\"CVE-1\"' is not a finding id"},
	    {"CVE-1\x01\n", ".bulwarkignore:1: control character 0x01"},
	    {"CVE-\xff\n", ".bulwarkignore: not UTF-8 text"},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cases); i++) {
		struct bw_error err = BW_ERROR_INIT;
		int rc;
		struct bw_report *r = sample();
		run_ignore(cases[i].text, r, &err, &rc);
		assert_int_equal(rc, BW_EINPUT);
		if (strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, err.msg, cases[i].msg);
		bw_report_free(r);
	}
	/* a long line */
	char *big = bw_malloc(BW_SUPPRESS_MAX_LINE + 10);
	memset(big, 'A', BW_SUPPRESS_MAX_LINE + 8);
	big[BW_SUPPRESS_MAX_LINE + 8] = '\n';
	big[BW_SUPPRESS_MAX_LINE + 9] = 0;
	struct bw_error err = BW_ERROR_INIT;
	int rc;
	struct bw_report *r = sample();
	run_ignore(big, r, &err, &rc);
	assert_int_equal(rc, BW_EINPUT);
	assert_non_null(strstr(err.msg, ":1: line longer than"));
	free(big);
	bw_report_free(r);
}

static size_t run_vex(const char *doc, struct bw_report *r, struct bw_error *err, int *rc)
{
	struct bw_suppress *s = bw_suppress_new();
	*rc = bw_suppress_add_vex(s, "v.json", doc, strlen(doc), err);
	size_t n = *rc ? 0 : bw_suppress_apply(s, r);
	bw_suppress_free(s);
	return n;
}

static void test_openvex(void **state)
{
	(void)state;
	struct bw_error err = BW_ERROR_INIT;
	int rc;
	/* v0.2.0: an image product with a package subcomponent, version-less purl */
	const char *doc =
	    "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{"
	    "\"vulnerability\":{\"name\":\"CVE-2024-0001\"},"
	    "\"products\":[{\"@id\":\"pkg:oci/app@sha256%3Aabc\",\"subcomponents\":["
	    "{\"@id\":\"pkg:deb/debian/openssl\"}]}],"
	    "\"status\":\"not_affected\",\"justification\":\"vulnerable_code_not_in_execute_path\","
	    "\"impact_statement\":\"TLS is not used\"}]}";
	struct bw_report *r = sample();
	assert_int_equal(run_vex(doc, r, &err, &rc), 1);
	assert_int_equal(rc, 0);
	assert_int_equal(r->findings[0].status, BW_STATUS_SUPPRESSED);
	assert_string_equal(
	    r->findings[0].suppressed_by,
	    "v.json: statements[0]: not_affected (vulnerable_code_not_in_execute_path): TLS is not used");
	assert_int_equal(r->findings[1].status, BW_STATUS_FAIL);
	bw_report_free(r);

	/* v0.0.1 strings; an image product alone covers every package; a later
	 * affected statement re-opens one package */
	doc = "{\"@context\":\"https://openvex.dev/ns\",\"statements\":["
	      "{\"vulnerability\":\"CVE-2024-0001\",\"products\":[\"pkg:oci/app\"],\"status\":\"fixed\"},"
	      "{\"vulnerability\":\"CVE-2024-0001\",\"products\":[\"pkg:deb/debian/libssl3@3.0.11-1\"],"
	      "\"status\":\"affected\"}]}";
	r = sample();
	assert_int_equal(run_vex(doc, r, &err, &rc), 1);
	assert_int_equal(r->findings[0].status, BW_STATUS_SUPPRESSED);
	assert_int_equal(r->findings[1].status, BW_STATUS_FAIL);
	assert_int_equal(r->findings[2].status, BW_STATUS_FAIL); /* VEX is for vulnerabilities only */
	bw_report_free(r);

	/* an alias in the statement matches the finding's id; a qualifier must agree */
	doc =
	    "{\"statements\":[{\"vulnerability\":{\"name\":\"GHSA-xxxx\",\"aliases\":[\"CVE-2024-0001\"]},"
	    "\"products\":[{\"@id\":\"x\",\"identifiers\":{\"purl\":\"pkg:deb/debian/libssl3?arch=arm64\"}}],"
	    "\"status\":\"not_affected\",\"justification\":\"component_not_present\"}]}";
	r = sample();
	assert_int_equal(run_vex(doc, r, &err, &rc), 0);
	bw_report_free(r);
}

static void test_openvex_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *doc, *msg;
	} cases[] = {
	    {"{\"statements\":[{\"vulnerability\":\"CVE-1\",\"status\":\"not_affected\"}]}",
	     "v.json: statements[0]: status not_affected needs a justification or an impact_statement"},
	    {"{\"statements\":[{\"vulnerability\":\"CVE-1\",\"status\":\"gone\"}]}",
	     "v.json: statements[0].status: 'gone' is not an OpenVEX status"},
	    {"{\"statements\":[{\"status\":\"fixed\"}]}", "v.json: statements[0].vulnerability: missing"},
	    {"{\"statements\":[{\"vulnerability\":\"C\",\"status\":\"fixed\",\"products\":[1]}]}",
	     "v.json: statements[0].products[0]: a component is a string or an object"},
	    {"{\"statements\":[{\"vulnerability\":\"C\",\"status\":\"not_affected\",\"justification\":"
	     "\"meh\"}]}",
	     "v.json: statements[0].justification: 'meh' is not an OpenVEX justification"},
	    {"{\"statements\":{}}", "v.json: statements: missing or not an array"},
	    {"{\"a\":1}", "v.json: neither OpenVEX"},
	    {"[1]", "v.json: not a JSON object"},
	    {"{\n\"statements\": [,]}", "v.json: line 2 column"},
	    {"{\"bomFormat\":\"CycloneDX\",\"vulnerabilities\":[{\"id\":\"CVE-1\",\"analysis\":{\"state\":"
	     "\"meh\"}}]}",
	     "v.json: vulnerabilities[0].analysis.state: 'meh' is not a CycloneDX impact analysis state"},
	    {"{\"bomFormat\":\"CycloneDX\",\"vulnerabilities\":[{\"id\":\"CVE-1\",\"analysis\":"
	     "{\"state\":\"not_affected\"},\"affects\":[{\"ref\":\"nowhere\"}]}]}",
	     "v.json: vulnerabilities[0].affects[0].ref: 'nowhere' names no component"},
	    {"{\"bomFormat\":\"CycloneDX\",\"vulnerabilities\":[{\"analysis\":{}}]}",
	     "v.json: vulnerabilities[0].id: missing"},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cases); i++) {
		struct bw_error err = BW_ERROR_INIT;
		int rc;
		struct bw_report *r = sample();
		run_vex(cases[i].doc, r, &err, &rc);
		assert_int_equal(rc, BW_EINPUT);
		if (strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, err.msg, cases[i].msg);
		bw_report_free(r);
	}
}

static void test_cyclonedx_vex(void **state)
{
	(void)state;
	struct bw_error err = BW_ERROR_INIT;
	int rc;
	const char *doc =
	    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\","
	    "\"metadata\":{\"component\":{\"bom-ref\":\"img\",\"name\":\"app\"}},"
	    "\"components\":[{\"bom-ref\":\"ssl\",\"purl\":\"pkg:deb/debian/libssl3@3.0.11-1\"}],"
	    "\"vulnerabilities\":["
	    "{\"id\":\"GHSA-1\",\"references\":[{\"id\":\"CVE-2024-0001\"}],"
	    " \"analysis\":{\"state\":\"not_affected\",\"justification\":\"code_not_reachable\",\"detail\":"
	    "\"no TLS\"},"
	    " \"affects\":[{\"ref\":\"urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#ssl\"}]},"
	    "{\"id\":\"BW-SEC-AWS-001\",\"analysis\":{\"state\":\"false_positive\"},\"affects\":[{\"ref\":"
	    "\"img\"}]},"
	    "{\"id\":\"CVE-2024-0001\",\"ratings\":[]}]}";
	struct bw_report *r = sample();
	assert_int_equal(run_vex(doc, r, &err, &rc), 1);
	assert_int_equal(rc, 0);
	assert_int_equal(r->findings[0].status, BW_STATUS_FAIL);
	assert_int_equal(r->findings[1].status, BW_STATUS_SUPPRESSED);
	assert_string_equal(r->findings[1].suppressed_by,
			    "v.json: vulnerabilities[0]: not_affected (code_not_reachable): no TLS");
	assert_int_equal(r->findings[3].status, BW_STATUS_FAIL); /* a secret: VEX does not apply */
	bw_report_free(r);
}

static void test_purl(void **state)
{
	(void)state;
	static const struct {
		const char *want, *have;
		bool match;
	} cases[] = {
	    {"pkg:deb/debian/openssl", "pkg:deb/debian/openssl@3.0.11-1?arch=amd64", true},
	    {"pkg:deb/debian/openssl@3.0.11-1", "pkg:deb/debian/openssl@3.0.11-1?arch=amd64", true},
	    {"pkg:deb/debian/openssl@3.0.11-2", "pkg:deb/debian/openssl@3.0.11-1?arch=amd64", false},
	    {"pkg:deb/debian/openssl?arch=amd64", "pkg:deb/debian/openssl@3.0.11-1?distro=d&arch=amd64",
	     true},
	    {"pkg:deb/debian/openssl?arch=arm64", "pkg:deb/debian/openssl@3.0.11-1?arch=amd64", false},
	    {"pkg:DEB/debian/openssl", "pkg:deb/debian/openssl", true},
	    {"pkg:deb/debian/openssl", "pkg:deb/debian/openssl-dev", false},
	    {"pkg:npm/%40angular/core@1.0.0", "pkg:npm/@angular/core@1.0.0", true},
	    {"pkg:deb/debian/bash@1%3A5.2", "pkg:deb/debian/bash@1:5.2#sub/path", true},
	    {"pkg:pypi/django", "pkg:npm/django", false},
	    {"pkg:pypi", "pkg:pypi", false},
	    {"cve", "pkg:npm/x", false},
	    {"pkg:npm/x%4", "pkg:npm/x%4", true},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cases); i++)
		if (bw_suppress_purl_match(cases[i].want, cases[i].have) != cases[i].match)
			fail_msg("case %zu: %s vs %s", i, cases[i].want, cases[i].have);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_ignore_ids_aliases_peers),
	    cmocka_unit_test(test_ignore_expiry),
	    cmocka_unit_test(test_ignore_scopes),
	    cmocka_unit_test(test_ignore_malformed),
	    cmocka_unit_test(test_openvex),
	    cmocka_unit_test(test_openvex_malformed),
	    cmocka_unit_test(test_cyclonedx_vex),
	    cmocka_unit_test(test_purl),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
