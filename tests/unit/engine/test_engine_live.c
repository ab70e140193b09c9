/* The engine client against the real Docker Engine named by
 * BW_TEST_DOCKER_HOST (skipped when unset). Uses the image BW_TEST_IMAGE
 * (default "tiny:1"; the integration fixture imports it) and creates only
 * never-started containers with no network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "engine/engine.h"

static struct bw_engine *open_live(void)
{
	const char *host = getenv("BW_TEST_DOCKER_HOST");
	if (!host || !*host)
		return NULL;
	struct bw_engine_opts o = {.host = host};
	struct bw_engine *e = NULL;
	struct bw_error err = BW_ERROR_INIT;
	if (bw_engine_open(&o, &e, &err) != 0)
		fail_msg("open %s: %s", host, err.msg);
	return e;
}

static const char *test_image(void)
{
	const char *i = getenv("BW_TEST_IMAGE");
	return i && *i ? i : "tiny:1";
}

#define NEED_ENGINE(e)                                                                                       \
	struct bw_engine *e = open_live();                                                                   \
	if (!e) {                                                                                            \
		print_message("BW_TEST_DOCKER_HOST is not set: skipped\n");                                  \
		skip();                                                                                      \
	}

static void test_version_and_info(void **state)
{
	NEED_ENGINE(e);
	int ma = 0, mi = 0;
	assert_int_equal(sscanf(bw_engine_api_version(e), "%d.%d", &ma, &mi), 2);
	assert_true(ma == 1 && mi >= 24 && mi <= 45);
	json_t *j = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_engine_get_json(e, "/info", 0, &j, &err), 0);
	assert_non_null(json_string_value(json_object_get(j, "ServerVersion")));
	assert_non_null(json_string_value(json_object_get(j, "Driver")));
	json_decref(j);

	assert_int_equal(bw_engine_get_json(e, "/containers/json?all=1", 0, &j, &err), 0);
	assert_true(json_is_array(j));
	json_decref(j);

	struct bw_buf b;
	bw_buf_init(&b, 1024);
	assert_int_equal(bw_engine_get_raw(e, "/_ping", &b, &err), 0);
	assert_string_equal(b.data, "OK");
	bw_buf_release(&b);
	bw_engine_free(e);
}

static void test_missing_things_are_not_found(void **state)
{
	NEED_ENGINE(e);
	json_t *j = NULL;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_engine_get_json(e, "/containers/bulwark-no-such-container/json", 0, &j, &err),
			 BW_ENOTFOUND);
	assert_non_null(strstr(err.msg, "bulwark-no-such-container"));
	assert_null(j);
	assert_int_equal(bw_engine_get_json(e, "/images/bulwark-no-such-image:0/json", 0, &j, &err),
			 BW_ENOTFOUND);
	/* a limit smaller than the answer */
	assert_int_equal(bw_engine_get_json(e, "/info", 16, &j, &err), BW_EINPUT);
	assert_non_null(strstr(err.msg, "limit of 16 bytes"));
	/* a bad request is a remote error carrying the engine's message */
	assert_int_equal(bw_engine_get_json(e, "/containers/json?filters=notjson", 0, &j, &err), BW_EREMOTE);
	assert_non_null(strstr(err.msg, "invalid character")); /* 20.10 answers 500, later 400 */
	assert_non_null(strstr(err.msg, "/containers/json?filters=notjson"));
	bw_engine_free(e);
}

static void test_create_inspect_delete(void **state)
{
	NEED_ENGINE(e);
	struct bw_error err = BW_ERROR_INIT;
	json_t *img = NULL;
	char *esc = bw_engine_escape(test_image());
	char *path = bw_asprintf("/images/%s/json", esc);
	int rc = bw_engine_get_json(e, path, 0, &img, &err);
	free(path);
	if (rc == BW_ENOTFOUND) {
		free(esc);
		bw_engine_free(e);
		print_message("image %s is not present: skipped\n", test_image());
		skip();
	}
	assert_int_equal(rc, 0);
	json_decref(img);

	json_t *req =
	    json_pack("{s:s, s:[s], s:{s:s, s:b, s:[s]}, s:{s:s}}", "Image", test_image(), "Cmd",
		      "/bulwark-never-started", "HostConfig", "NetworkMode", "none", "ReadonlyRootfs", 1,
		      "CapDrop", "ALL", "Labels", "org.bulwark.test", "engine-live");
	json_t *created = NULL;
	assert_int_equal(bw_engine_post_json(e, "/containers/create?name=bulwark-engine-live-test", req, 0,
					     &created, &err),
			 0);
	json_decref(req);
	const char *id = json_string_value(json_object_get(created, "Id"));
	assert_non_null(id);
	char *ipath = bw_asprintf("/containers/%s/json", id);
	json_t *ins = NULL;
	assert_int_equal(bw_engine_get_json(e, ipath, 0, &ins, &err), 0);
	json_t *hc = json_object_get(ins, "HostConfig");
	assert_string_equal(json_string_value(json_object_get(hc, "NetworkMode")), "none");
	assert_true(json_is_true(json_object_get(hc, "ReadonlyRootfs")));
	json_decref(ins);

	/* a second create with the same name: 409 Conflict, message kept */
	req = json_pack("{s:s, s:{s:s}}", "Image", test_image(), "HostConfig", "NetworkMode", "none");
	json_t *again = NULL;
	assert_int_equal(
	    bw_engine_post_json(e, "/containers/create?name=bulwark-engine-live-test", req, 0, &again, &err),
	    BW_EREMOTE);
	assert_non_null(strstr(err.msg, "HTTP 409"));
	assert_non_null(strstr(err.msg, "already in use"));
	json_decref(req);

	char *dpath = bw_asprintf("/containers/%s?force=1", id);
	assert_int_equal(bw_engine_delete(e, dpath, &err), 0);
	assert_int_equal(bw_engine_get_json(e, ipath, 0, &ins, &err), BW_ENOTFOUND);
	assert_int_equal(bw_engine_delete(e, dpath, &err), BW_ENOTFOUND);
	free(dpath);
	free(ipath);
	json_decref(created);

	free(esc);
	bw_engine_free(e);
}

struct tar_reader {
	size_t bytes;
	char head[512];
	size_t stop_at;
};

static int read_tar(void *ud, const void *data, size_t len, struct bw_error *err)
{
	struct tar_reader *t = ud;
	if (t->bytes < sizeof(t->head)) {
		size_t k = sizeof(t->head) - t->bytes;
		memcpy(t->head + t->bytes, data, k < len ? k : len);
	}
	t->bytes += len;
	if (t->stop_at && t->bytes >= t->stop_at)
		return bw_error_set(err, BW_ELIMIT, "stop at %zu", t->stop_at);
	return 0;
}

static void test_stream_image_tar(void **state)
{
	NEED_ENGINE(e);
	struct bw_error err = BW_ERROR_INIT;
	char *esc = bw_engine_escape(test_image());
	char *gpath = bw_asprintf("/images/%s/get", esc);
	free(esc);
	struct tar_reader t = {0};
	int rc = bw_engine_get_stream(e, gpath, read_tar, &t, &err);
	if (rc == BW_ENOTFOUND) {
		free(gpath);
		bw_engine_free(e);
		skip();
	}
	assert_int_equal(rc, 0);
	assert_true(t.bytes > 1024);
	assert_int_equal(t.bytes % 512, 0);
	assert_memory_equal(t.head + 257, "ustar", 5);

	/* stopping half-way leaves the handle usable */
	struct tar_reader t2 = {.stop_at = 1};
	assert_int_equal(bw_engine_get_stream(e, gpath, read_tar, &t2, &err), BW_ELIMIT);
	free(gpath);
	json_t *j = NULL;
	assert_int_equal(bw_engine_get_json(e, "/version", 0, &j, &err), 0);
	json_decref(j);
	bw_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_version_and_info),
	    cmocka_unit_test(test_missing_things_are_not_found),
	    cmocka_unit_test(test_create_inspect_delete),
	    cmocka_unit_test(test_stream_image_tar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
