/* The engine client against a misbehaving engine (fake_engine.c): every
 * failure is a clean error naming the host and the request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "engine/engine.h"
#include "fake_engine.h"

#include <sys/socket.h>
#include <sys/un.h>

static struct fake_engine fake;

static int setup(void **state)
{
	memset(&fake, 0, sizeof(fake));
	return fake_engine_start(&fake);
}

static int teardown(void **state)
{
	fake_engine_stop(&fake);
	return 0;
}

static struct bw_engine *open_fake(long timeout_ms)
{
	struct bw_engine_opts o = {.host = fake.host, .timeout_ms = timeout_ms};
	struct bw_engine *e = NULL;
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_engine_open(&o, &e, &err);
	if (rc)
		print_error("open: %s\n", err.msg);
	assert_int_equal(rc, 0);
	return e;
}

static void test_negotiates_version(void **state)
{
	fake.api_version = "1.41";
	struct bw_engine *e = open_fake(0);
	assert_string_equal(bw_engine_api_version(e), "1.41");
	assert_string_equal(bw_engine_host(e), fake.host);
	bw_engine_free(e);

	fake.api_version = "1.47"; /* newer than we speak: we speak 1.45 */
	e = open_fake(0);
	assert_string_equal(bw_engine_api_version(e), "1.45");
	fake.mode = FAKE_REPLY;
	fake.status = 200;
	fake.body = "{\"ok\":true}";
	json_t *j = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_engine_get_json(e, "/info", 0, &j, &err), 0);
	assert_string_equal(fake.last_path, "/v1.45/info");
	assert_true(json_is_true(json_object_get(j, "ok")));
	json_decref(j);
	bw_engine_free(e);
	fake.api_version = NULL;
}

static void test_refuses_old_engine(void **state)
{
	fake.api_version = "1.23";
	struct bw_engine_opts o = {.host = fake.host};
	struct bw_engine *e = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_engine_open(&o, &e, &err), BW_EUNSUPPORTED);
	assert_null(e);
	assert_non_null(strstr(err.msg, "1.23"));
	assert_non_null(strstr(err.msg, fake.host));

	fake.api_version = "one.two";
	assert_int_equal(bw_engine_open(&o, &e, &err), BW_EINPUT);
	fake.api_version = NULL;
}

static void test_404_is_not_found_with_message(void **state)
{
	struct bw_engine *e = open_fake(0);
	fake.mode = FAKE_REPLY;
	fake.status = 404;
	fake.body = "{\"message\":\"No such container: nope\"}";
	json_t *j = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_engine_get_json(e, "/containers/nope/json", 0, &j, &err), BW_ENOTFOUND);
	assert_null(j);
	assert_string_equal(err.msg, "No such container: nope");
	bw_engine_free(e);
}

static void test_500_is_remote_with_status_and_message(void **state)
{
	struct bw_engine *e = open_fake(0);
	fake.mode = FAKE_REPLY;
	fake.status = 500;
	fake.body = "{\"message\":\"driver failed\"}";
	json_t *j = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_engine_get_json(e, "/info", 0, &j, &err), BW_EREMOTE);
	assert_non_null(strstr(err.msg, "HTTP 500"));
	assert_non_null(strstr(err.msg, "driver failed"));
	assert_non_null(strstr(err.msg, "/v1.41/info"));
	assert_non_null(strstr(err.msg, fake.host));

	/* an error body that is not JSON: its first bytes, printable */
	fake.status = 502;
	fake.body = "<html>bad\x01gateway</html>";
	fake.content_type = "text/html";
	assert_int_equal(bw_engine_get_json(e, "/info", 0, &j, &err), BW_EREMOTE);
	assert_non_null(strstr(err.msg, "HTTP 502: <html>bad gateway</html>"));
	fake.content_type = NULL;

	/* streams read the error body rather than handing it to the callback */
	fake.status = 409;
	fake.body = "{\"message\":\"conflict\"}";
	assert_int_equal(bw_engine_get_stream(e, "/events", NULL, NULL, &err), BW_EREMOTE);
	assert_non_null(strstr(err.msg, "conflict"));
	bw_engine_free(e);
}

static void test_non_json_body_is_input_error(void **state)
{
	struct bw_engine *e = open_fake(0);
	fake.mode = FAKE_REPLY;
	fake.status = 200;
	fake.body = "this is not json";
	json_t *j = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_engine_get_json(e, "/info", 0, &j, &err), BW_EINPUT);
	assert_null(j);
	assert_non_null(strstr(err.msg, "not JSON"));
	assert_non_null(strstr(err.msg, "/v1.41/info"));

	fake.body = "";
	assert_int_equal(bw_engine_get_json(e, "/info", 0, &j, &err), BW_EINPUT);
	assert_non_null(strstr(err.msg, "empty"));
	bw_engine_free(e);
}

static void test_endless_body_is_bounded(void **state)
{
	struct bw_engine *e = open_fake(0);
	fake.mode = FAKE_ENDLESS;
	json_t *j = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_engine_get_json(e, "/containers/json", 1 << 20, &j, &err), BW_EINPUT);
	assert_null(j);
	assert_non_null(strstr(err.msg, "limit of 1048576 bytes"));
	assert_non_null(strstr(err.msg, fake.host));

	/* and a raw GET is bounded by its buffer */
	struct bw_buf b;
	bw_buf_init(&b, 4096);
	assert_int_equal(bw_engine_get_raw(e, "/_ping", &b, &err), BW_EINPUT);
	assert_true(b.len <= 4096);
	bw_buf_release(&b);
	bw_engine_free(e);
}

struct counter {
	size_t bytes;
	size_t stop_after;
};

static int count_chunks(void *ud, const void *data, size_t len, struct bw_error *err)
{
	struct counter *c = ud;
	c->bytes += len;
	if (c->stop_after && c->bytes >= c->stop_after)
		return bw_error_set(err, BW_ELIMIT, "seen enough");
	return 0;
}

static void test_stream_stops_when_reader_says(void **state)
{
	struct bw_engine *e = open_fake(0);
	fake.mode = FAKE_ENDLESS;
	struct counter c = {.stop_after = 300000};
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_engine_get_stream(e, "/events", count_chunks, &c, &err), BW_ELIMIT);
	assert_string_equal(err.msg, "seen enough");
	assert_true(c.bytes >= 300000);
	bw_engine_free(e);
}

static void test_closed_mid_body_is_remote(void **state)
{
	struct bw_engine *e = open_fake(0);
	json_t *j = NULL;
	struct bw_error err = BW_ERROR_INIT;

	fake.mode = FAKE_CLOSE_MID;
	assert_int_equal(bw_engine_get_json(e, "/containers/json", 0, &j, &err), BW_EREMOTE);
	assert_non_null(strstr(err.msg, "closed in the middle"));
	assert_non_null(strstr(err.msg, fake.host));
	assert_non_null(strstr(err.msg, "/v1.41/containers/json"));

	fake.mode = FAKE_CLOSE_MID_CHUNK;
	assert_int_equal(bw_engine_get_json(e, "/containers/json", 0, &j, &err), BW_EREMOTE);
	assert_non_null(strstr(err.msg, "closed in the middle"));

	struct counter c = {0};
	assert_int_equal(bw_engine_get_stream(e, "/images/x/get", count_chunks, &c, &err), BW_EREMOTE);
	assert_non_null(strstr(err.msg, "/v1.41/images/x/get"));
	assert_true(c.bytes > 0);

	fake.mode = FAKE_HANGUP;
	assert_int_equal(bw_engine_get_json(e, "/info", 0, &j, &err), BW_EREMOTE);
	assert_non_null(strstr(err.msg, "without answering"));
	assert_null(j);
	bw_engine_free(e);
}

static void test_silent_engine_times_out(void **state)
{
	struct bw_engine *e = open_fake(300);
	fake.mode = FAKE_SILENT;
	json_t *j = NULL;
	struct bw_error err = BW_ERROR_INIT;
	/* the message says the time limit fired (how long it took is not a test's business) */
	assert_int_equal(bw_engine_get_json(e, "/info", 0, &j, &err), BW_EREMOTE);
	assert_non_null(strstr(err.msg, "in time"));
	bw_engine_free(e);
}

static void test_post_and_delete(void **state)
{
	struct bw_engine *e = open_fake(0);
	fake.mode = FAKE_REPLY;
	fake.status = 201;
	fake.body = "{\"Id\":\"abc\",\"Warnings\":[]}";
	json_t *req = json_pack("{s:s, s:{s:s}}", "Image", "tiny:1", "HostConfig", "NetworkMode", "none");
	json_t *out = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_engine_post_json(e, "/containers/create?name=a%20b", req, 0, &out, &err), 0);
	assert_string_equal(fake.last_method, "POST");
	assert_string_equal(fake.last_path, "/v1.41/containers/create?name=a%20b");
	json_t *sent = json_loads(fake.last_body, 0, NULL);
	assert_non_null(sent);
	assert_true(json_equal(sent, req));
	assert_string_equal(json_string_value(json_object_get(out, "Id")), "abc");
	json_decref(sent);
	json_decref(out);
	json_decref(req);

	fake.status = 204;
	fake.body = "";
	assert_int_equal(bw_engine_post_json(e, "/containers/abc/start", NULL, 0, &out, &err), 0);
	assert_null(out);
	assert_int_equal(bw_engine_delete(e, "/containers/abc?force=1", &err), 0);
	assert_string_equal(fake.last_method, "DELETE");
	fake.status = 404;
	fake.body = "{\"message\":\"No such container: abc\"}";
	assert_int_equal(bw_engine_delete(e, "/containers/abc", &err), BW_ENOTFOUND);
	bw_engine_free(e);
}

static void test_unreachable_socket_names_host(void **state)
{
	struct bw_engine_opts o = {.host = "unix:///nonexistent/bulwark/docker.sock"};
	struct bw_engine *e = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_engine_open(&o, &e, &err), BW_EREMOTE);
	assert_string_equal(err.msg,
			    "cannot reach the Docker Engine at unix:///nonexistent/bulwark/docker.sock: "
			    "no such file or directory");

	/* a socket file nobody listens on */
	char path[96];
	snprintf(path, sizeof(path), "%s/dead.sock", fake.dir);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	char host[300];
	snprintf(host, sizeof(host), "unix://%s", path);
	o.host = host;
	assert_int_equal(bw_engine_open(&o, &e, &err), BW_EREMOTE);
	assert_non_null(strstr(err.msg, "connection refused"));
	unlink(path);

	/* a TCP port nobody listens on (port 1 on loopback) */
	o.host = "tcp://127.0.0.1:1";
	assert_int_equal(bw_engine_open(&o, &e, &err), BW_EREMOTE);
	assert_non_null(strstr(err.msg, "cannot reach the Docker Engine at tcp://127.0.0.1:1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_negotiates_version),
	    cmocka_unit_test(test_refuses_old_engine),
	    cmocka_unit_test(test_404_is_not_found_with_message),
	    cmocka_unit_test(test_500_is_remote_with_status_and_message),
	    cmocka_unit_test(test_non_json_body_is_input_error),
	    cmocka_unit_test(test_endless_body_is_bounded),
	    cmocka_unit_test(test_stream_stops_when_reader_says),
	    cmocka_unit_test(test_closed_mid_body_is_remote),
	    cmocka_unit_test(test_silent_engine_times_out),
	    cmocka_unit_test(test_post_and_delete),
	    cmocka_unit_test(test_unreachable_socket_names_host),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
