/* DOCKER_HOST / TLS environment parsing, version negotiation and escaping:
 * pure functions, no engine needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/engine-int.h"

#include <sys/stat.h>

static void clear_env(void)
{
	unsetenv("DOCKER_HOST");
	unsetenv("DOCKER_TLS_VERIFY");
	unsetenv("DOCKER_TLS");
	unsetenv("DOCKER_CERT_PATH");
}

static int setup(void **state)
{
	clear_env();
	return 0;
}

static void parse_ok(const char *in, const char *host, const char *sock, const char *base)
{
	struct bw_engine_endpoint ep;
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_engine_endpoint_parse(in, &ep, &err);
	if (rc)
		print_error("%s: %s\n", in ? in : "(null)", err.msg);
	assert_int_equal(rc, 0);
	assert_string_equal(ep.host, host);
	if (sock)
		assert_string_equal(ep.socket_path, sock);
	else
		assert_null(ep.socket_path);
	assert_string_equal(ep.base_url, base);
	bw_engine_endpoint_release(&ep);
}

static void parse_fails(const char *in, int code, const char *needle)
{
	struct bw_engine_endpoint ep;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_engine_endpoint_parse(in, &ep, &err), code);
	if (!strstr(err.msg, needle))
		fail_msg("%s: message '%s' lacks '%s'", in, err.msg, needle);
	assert_null(ep.host);
}

static void test_hosts(void **state)
{
	parse_ok(NULL, "unix:///var/run/docker.sock", "/var/run/docker.sock", "http://localhost");
	parse_ok("", "unix:///var/run/docker.sock", "/var/run/docker.sock", "http://localhost");
	parse_ok("unix://", "unix:///var/run/docker.sock", "/var/run/docker.sock", "http://localhost");
	parse_ok("unix:///run/user/1000/docker.sock", "unix:///run/user/1000/docker.sock",
		 "/run/user/1000/docker.sock", "http://localhost");
	parse_ok("tcp://10.0.0.1:2375", "tcp://10.0.0.1:2375", NULL, "http://10.0.0.1:2375");
	parse_ok("tcp://docker", "tcp://docker:2375", NULL, "http://docker:2375");
	parse_ok("tcp://docker:", "tcp://docker:2375", NULL, "http://docker:2375");
	parse_ok("TCP://[::1]:1234", "tcp://[::1]:1234", NULL, "http://[::1]:1234");
	parse_ok("tcp://[::1]", "tcp://[::1]:2375", NULL, "http://[::1]:2375");
	parse_ok("tcp://h:1/base/", "tcp://h:1/base", NULL, "http://h:1/base");
	parse_ok("http://h:80", "http://h:80", NULL, "http://h:80");

	setenv("DOCKER_HOST", "tcp://from-env:4243", 1);
	parse_ok(NULL, "tcp://from-env:4243", NULL, "http://from-env:4243");
	parse_ok("unix:///x.sock", "unix:///x.sock", "/x.sock", "http://localhost"); /* opts win */
	clear_env();
}

static void test_bad_hosts(void **state)
{
	parse_fails("/var/run/docker.sock", BW_EUSAGE, "no scheme");
	parse_fails("unix://relative.sock", BW_EUSAGE, "absolute");
	parse_fails("tcp://", BW_EUSAGE, "names no host");
	parse_fails("tcp://:2375", BW_EUSAGE, "names no host");
	parse_fails("tcp://h:99999", BW_EUSAGE, "bad port");
	parse_fails("tcp://h:0", BW_EUSAGE, "bad port");
	parse_fails("tcp://h:12ab", BW_EUSAGE, "bad port");
	parse_fails("tcp://user@h:1", BW_EUSAGE, "malformed");
	parse_fails("tcp://[::1", BW_EUSAGE, "unclosed");
	parse_fails("ssh://me@host", BW_EUNSUPPORTED, "ssh:// is not supported");
	parse_fails("npipe:////./pipe/docker_engine", BW_EUNSUPPORTED, "not supported");
	parse_fails("gopher://h", BW_EUSAGE, "unknown scheme 'gopher'");
}

static void write_file(const char *dir, const char *name)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("x\n", f);
	fclose(f);
}

static void test_tls_environment(void **state)
{
	char dir[] = "/tmp/bw-certs-XXXXXX";
	assert_non_null(mkdtemp(dir));
	setenv("DOCKER_CERT_PATH", dir, 1);
	setenv("DOCKER_TLS_VERIFY", "1", 1);

	/* verify without a CA: refused, naming the file */
	parse_fails("tcp://h", BW_ENOTFOUND, "ca.pem");

	write_file(dir, "ca.pem");
	struct bw_engine_endpoint ep;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_engine_endpoint_parse("tcp://h", &ep, &err), 0);
	assert_string_equal(ep.base_url, "https://h:2376");
	assert_string_equal(ep.host, "tcp://h:2376");
	assert_true(ep.tls && ep.tls_verify);
	assert_non_null(strstr(ep.ca, "/ca.pem"));
	assert_null(ep.cert);
	bw_engine_endpoint_release(&ep);

	/* half a client pair is an error, the whole pair is used */
	write_file(dir, "cert.pem");
	parse_fails("tcp://h:1", BW_ENOTFOUND, "cert.pem without key.pem");
	write_file(dir, "key.pem");
	assert_int_equal(bw_engine_endpoint_parse("tcp://h:1", &ep, &err), 0);
	assert_non_null(strstr(ep.cert, "/cert.pem"));
	assert_non_null(strstr(ep.key, "/key.pem"));
	bw_engine_endpoint_release(&ep);

	/* DOCKER_TLS alone: TLS without verifying the server */
	unsetenv("DOCKER_TLS_VERIFY");
	setenv("DOCKER_TLS", "1", 1);
	assert_int_equal(bw_engine_endpoint_parse("tcp://h", &ep, &err), 0);
	assert_true(ep.tls && !ep.tls_verify);
	assert_string_equal(ep.base_url, "https://h:2376");
	bw_engine_endpoint_release(&ep);

	/* unix sockets ignore TLS */
	parse_ok("unix:///s", "unix:///s", "/s", "http://localhost");
	clear_env();

	/* no TLS variables: plain HTTP, certificates ignored */
	setenv("DOCKER_CERT_PATH", dir, 1);
	assert_int_equal(bw_engine_endpoint_parse("tcp://h", &ep, &err), 0);
	assert_false(ep.tls);
	assert_null(ep.ca);
	bw_engine_endpoint_release(&ep);
	clear_env();

	char p[600];
	const char *names[] = {"ca.pem", "cert.pem", "key.pem"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void choose(const char *server, const char *min, int code, const char *want)
{
	char out[16] = "";
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_engine_version_choose(server, min, out, sizeof(out), &err);
	if (rc != code)
		fail_msg("%s/%s: rc %d (%s), want %d", server ? server : "-", min ? min : "-", rc, err.msg,
			 code);
	if (want)
		assert_string_equal(out, want);
}

static void test_version_negotiation(void **state)
{
	choose("1.41", "1.12", 0, "1.41");
	choose("1.45", NULL, 0, "1.45");
	choose("1.47", "1.24", 0, "1.45");
	choose("2.0", NULL, 0, "1.45");
	choose("1.24", NULL, 0, "1.24");
	choose("1.23", NULL, BW_EUNSUPPORTED, NULL);
	choose("0.99", NULL, BW_EUNSUPPORTED, NULL);
	choose("1.50", "1.46", BW_EUNSUPPORTED, NULL);
	choose("1.41", "garbage", 0, "1.41"); /* an unreadable minimum is not fatal */
	choose(NULL, NULL, BW_EINPUT, NULL);
	choose("", NULL, BW_EINPUT, NULL);
	choose("1.", NULL, BW_EINPUT, NULL);
	choose("1.41a", NULL, BW_EINPUT, NULL);
	choose("1.41.0", NULL, BW_EINPUT, NULL);
	choose("99999.1", NULL, BW_EINPUT, NULL);
	choose("-1.41", NULL, BW_EINPUT, NULL);
}

static void test_escape(void **state)
{
	const char *cases[][2] = {
	    {"tiny:1", "tiny%3A1"},
	    {"registry.local:5000/a/b@sha256:ab", "registry.local%3A5000%2Fa%2Fb%40sha256%3Aab"},
	    {"a b&c=d?e#f", "a%20b%26c%3Dd%3Fe%23f"},
	    {"safe-._~AZaz09", "safe-._~AZaz09"},
	    {"\xc3\xa9", "%C3%A9"},
	    {"", ""},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cases); i++) {
		char *s = bw_engine_escape(cases[i][0]);
		assert_string_equal(s, cases[i][1]);
		free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hosts),	    cmocka_unit_test(test_bad_hosts),
	    cmocka_unit_test(test_tls_environment), cmocka_unit_test(test_version_negotiation),
	    cmocka_unit_test(test_escape),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
