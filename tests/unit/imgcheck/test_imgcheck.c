/* imgcheck, the image-configuration rules' logic: history parsing, secrets
 * in Env and build arguments (core's table, secretname.cases, walked
 * here too), content checks, package and file classification — case
 * tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>

#include "imgcheck/imgcheck-int.h"

#include "../core/secretname_cases.h"

static struct bw_arena arena;

static void test_hist_parse(void **st)
{
	(void)st;
	static const struct {
		const char *created_by, *instr, *args, *build_args;
	} cases[] = {
	    {"/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", "CMD", "[\"/bin/sh\"]", NULL},
	    {"/bin/sh -c #(nop) ADD file:abc in / ", "ADD", "file:abc in / ", NULL},
	    {"/bin/sh -c apt-get update", "RUN", "apt-get update", NULL},
	    {"|2 A=1 TOKEN=x /bin/sh -c make all", "RUN", "make all", "A=1 TOKEN=x"},
	    {"RUN /bin/sh -c apt-get update # buildkit", "RUN", "apt-get update", NULL},
	    {"RUN |1 TOKEN=abc /bin/sh -c make # buildkit", "RUN", "make", "TOKEN=abc"},
	    {"COPY app /app # buildkit", "COPY", "app /app", NULL},
	    {"ADD https://example.com/x.tgz /opt/ # buildkit", "ADD", "https://example.com/x.tgz /opt/",
	     NULL},
	    {"ENV A=b", "ENV", "A=b", NULL},
	    {"apt-get install -y x", "RUN", "apt-get install -y x", NULL}, /* exec form */
	    {"/bin/sh -c #(nop)  ARG API_TOKEN=t", "ARG", "API_TOKEN=t", NULL},
	    {"", "RUN", "", NULL},
	    {"|9999999999999", "RUN", "", NULL},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cases); i++) {
		struct img_hist h;
		img_hist_parse(cases[i].created_by, &h);
		assert_string_equal(h.instr, cases[i].instr);
		assert_int_equal(h.args_len, strlen(cases[i].args));
		assert_memory_equal(h.args, cases[i].args, h.args_len);
		if (cases[i].build_args) {
			assert_non_null(h.build_args);
			assert_int_equal(h.build_args_len, strlen(cases[i].build_args));
			assert_memory_equal(h.build_args, cases[i].build_args, h.build_args_len);
		} else {
			assert_null(h.build_args);
		}
	}
	img_hist_parse(NULL, &(struct img_hist){0});
}

/* The configuration and history rules over a made-up image: its Env
 * entries and one RUN with build arguments. Returns the report. */
static struct bw_report *check_env(const char *const *env, size_t n_env, const char *created_by)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n_env; i++)
		json_array_append_new(list, json_string(env[i]));
	json_t *config = json_pack("{s:{s:o}}", "config", "Env", list);
	struct bw_image_history hist = {.created_by = created_by};
	struct bw_image_info info = {.target_type = "docker-archive",
				     .name = "app.tar",
				     .config = config,
				     .history = &hist,
				     .n_history = created_by ? 1 : 0};
	struct bw_report *r = bw_report_new("image", "app.tar");
	struct img_ctx c = {.info = &info, .r = r};
	bw_arena_init(&c.scratch);
	img_check_config(&c);
	img_check_history(&c);
	bw_arena_release(&c.scratch);
	json_decref(config);
	return r;
}

static const struct bw_finding *finding(const struct bw_report *r, const char *id, size_t nth)
{
	for (size_t i = 0; i < r->n_findings; i++)
		if (!strcmp(r->findings[i].id, id) && nth-- == 0)
			return &r->findings[i];
	return NULL;
}

/* ENV DB_PWD=… and ARG DB_PWD=…: a finding each, from core's one table
 * (the Dockerfile rules say the same, tests/unit/lint/cases/secret.cases);
 * the values are never shown whole. */
static void test_secret_env_findings(void **st)
{
	(void)st;
	static const char *const env[] = {"DB_PWD=hunter2-in-env", "DB_PASSWORD_FILE=/run/secrets/db",
					  "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D",
					  "APP_MODE=tokenized", "PATH=/usr/bin"};
	struct bw_report *r = check_env(env, BW_ARRAY_SIZE(env),
					"|3 DB_PWD=hunter2-in-arg GPG_KEY=ABC JENKINS_PSW=x /bin/sh -c make");
	const struct bw_finding *f = finding(r, "BW-IMG-012", 0);
	assert_non_null(f);
	assert_string_equal(f->evidence, "Env DB_PWD=hu… (14 characters)");
	assert_null(finding(r, "BW-IMG-012", 1));
	f = finding(r, "BW-IMG-013", 0);
	assert_non_null(f);
	assert_string_equal(f->evidence, "history step 0 (RUN): build argument DB_PWD=hu… (14 characters)");
	f = finding(r, "BW-IMG-013", 1);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "JENKINS_PSW"));
	assert_null(finding(r, "BW-IMG-013", 2));
	bw_report_free(r);
}

static const char *cases_path;

static void check_case(void *ud, const struct secretname_case *sc)
{
	int *failures = ud;
	bool want = strcmp(sc->verdict, "not") != 0;
	char *kv = bw_asprintf("%s=%s", sc->name, sc->value);
	const char *env[] = {kv};
	/* the history keeps a build argument as one word: only blank-free values */
	char *run = strpbrk(sc->value, " \t") ? NULL : bw_asprintf("|1 %s /bin/sh -c true", kv);
	struct bw_report *r = check_env(env, 1, run);
	bool in_env = finding(r, "BW-IMG-012", 0) != NULL, in_hist = finding(r, "BW-IMG-013", 0) != NULL;
	if (in_env != want || (run && in_hist != want)) {
		print_error("secretname.cases:%d: %s: Env %s, history %s, want %s\n", sc->line, kv,
			    in_env ? "secret" : "not",
			    !run      ? "-"
			    : in_hist ? "secret"
				      : "not",
			    sc->verdict);
		(*failures)++;
	}
	bw_report_free(r);
	free(run);
	free(kv);
}

/* Every line of core's table gives its verdict in the image's Env and in
 * its history's build arguments. */
static void test_secret_table_verdicts(void **st)
{
	(void)st;
	int failures = 0, bad;
	int n = secretname_cases_each(cases_path, check_case, &failures, &bad);
	if (n < 0)
		fail_msg("%s:%d: cannot read, or not NAME VALUE VERDICT", cases_path, bad);
	assert_true(n >= 100);
	assert_int_equal(failures, 0);
}

static void test_ref_latest(void **st)
{
	(void)st;
	assert_true(img_ref_is_latest("app"));
	assert_true(img_ref_is_latest("app:latest"));
	assert_true(img_ref_is_latest("localhost:5000/app"));
	assert_true(img_ref_is_latest("localhost:5000/team/app:latest"));
	assert_false(img_ref_is_latest("localhost:5000/app:1.0"));
	assert_false(img_ref_is_latest("app:1"));
	assert_false(img_ref_is_latest("app@sha256:0123"));
	assert_false(img_ref_is_latest("sha256:0123456789ab"));
	assert_false(img_ref_is_latest("0123456789ab"));
	assert_false(img_ref_is_latest(""));
}

static void test_run_facts(void **st)
{
	(void)st;
	static const struct {
		const char *script;
		bool update_alone, sudo, upgrade;
	} cases[] = {
	    {"apt-get update", true, false, false},
	    {"apt-get update && apt-get install -y curl", false, false, false},
	    {"apk update", true, false, false},
	    {"apk update && apk add curl", false, false, false},
	    {"yum makecache", true, false, false},
	    {"zypper refresh", true, false, false},
	    {"apt-get update && apt-get -y dist-upgrade", false, false, true},
	    {"sudo apt-get install -y x", false, true, false},
	    {"echo apt-get update", false, false, false},
	    {"apt-get -q update; apt-get -y upgrade", false, false, true},
	    {"yum update -y", false, false, true},
	    {"apk upgrade --no-cache", false, false, true},
	    {"make && make install", false, false, false},
	    {"sh -c 'sudo id'", false, true, false},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cases); i++) {
		struct img_run_facts f;
		img_run_facts(&arena, cases[i].script, strlen(cases[i].script), &f);
		if ((f.update_alone != NULL) != cases[i].update_alone || (f.sudo != NULL) != cases[i].sudo ||
		    (f.upgrade != NULL) != cases[i].upgrade)
			fail_msg("%s: update_alone=%d sudo=%d upgrade=%d", cases[i].script,
				 f.update_alone != NULL, f.sudo != NULL, f.upgrade != NULL);
	}
}

static void test_classify(void **st)
{
	(void)st;
	assert_int_equal(img_classify("/etc/shadow"), IMG_F_SHADOW);
	assert_int_equal(img_classify("/etc/passwd"), IMG_F_PASSWD);
	assert_int_equal(img_classify("/etc/group"), IMG_F_GROUP);
	assert_int_equal(img_classify("/root/.ssh/id_ed25519"), IMG_F_KEY);
	assert_int_equal(img_classify("/etc/ssl/private/x.key"), IMG_F_KEY);
	assert_int_equal(img_classify("/root/.ssh/id_ed25519.pub"), IMG_F_NONE);
	assert_int_equal(img_classify("/home/a/.npmrc"), IMG_F_CRED);
	assert_int_equal(img_classify("/root/.docker/config.json"), IMG_F_CRED);
	assert_int_equal(img_classify("/app/config.json"), IMG_F_NONE);
	assert_int_equal(img_classify("/etc/apt/sources.list.d/x.list"), IMG_F_PKGCONF);
	assert_int_equal(img_classify("/etc/apt/sources.list.d/sub/x.list"), IMG_F_NONE);
	assert_int_equal(img_classify("/etc/yum.repos.d/epel.repo"), IMG_F_PKGCONF);
	assert_int_equal(img_classify("/etc/shadow-"), IMG_F_NONE);
}

#define S(x) x, sizeof(x) - 1

static void test_content(void **st)
{
	(void)st;
	struct bw_arena *a = &arena;
	assert_non_null(
	    img_check_key(a, S("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n")));
	assert_non_null(
	    strstr(img_check_key(a, S("-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n")), "encrypted"));
	assert_non_null(img_check_key(a, S("PuTTY-User-Key-File-3: ssh-ed25519\n")));
	assert_null(img_check_key(a, S("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")));
	assert_null(img_check_key(a, S("-----BEGIN ")));
	assert_null(img_check_key(a, S("")));

	assert_non_null(img_check_cred(a, "/root/.npmrc", S("registry=https://r\n//r/:_authToken=abc\n")));
	assert_null(img_check_cred(a, "/root/.npmrc", S("//r/:_authToken=${NPM_TOKEN}\n")));
	assert_null(img_check_cred(a, "/root/.npmrc", S("registry=https://registry.npmjs.org/\n")));
	assert_null(img_check_cred(a, "/root/.npmrc", S("; _authToken=abc\n")));
	assert_non_null(
	    img_check_cred(a, "/root/.pypirc", S("[pypi]\nusername = __token__\npassword = pypi-AgEI\n")));
	assert_non_null(img_check_cred(a, "/root/.git-credentials", S("https://u:p@github.com\n")));
	assert_null(img_check_cred(a, "/root/.git-credentials", S("https://github.com\n")));
	assert_non_null(
	    img_check_cred(a, "/root/.docker/config.json", S("{\"auths\":{\"r\":{\"auth\":\"dTpw\"}}}")));
	assert_null(img_check_cred(a, "/root/.docker/config.json",
				   S("{\"auths\":{\"r\":{\"auth\":\"\"}},\"credsStore\":\"pass\"}")));
	assert_non_null(
	    img_check_cred(a, "/root/.aws/credentials", S("[default]\naws_secret_access_key = abc\n")));
	assert_non_null(img_check_cred(a, "/root/.netrc", S("machine h login u password p\n")));
	assert_non_null(img_check_cred(a, "/root/.pgpass", S("localhost:5432:db:user:secret\n")));
	assert_non_null(img_check_cred(a, "/etc/nginx/.htpasswd", S("admin:$apr1$x$y\n")));
	const char *ev = img_check_cred(a, "/root/.npmrc", S("//r/:_authToken=npm_SECRETVALUE\n"));
	assert_null(strstr(ev, "SECRETVALUE"));

	assert_non_null(strstr(img_check_shadow(a, S("root:*:1::::::\napp::19000:0:99999:7:::\n")), "app"));
	assert_null(img_check_shadow(a, S("root:*:1::::::\napp:!:19000:0:99999:7:::\n")));
	assert_null(img_check_shadow(a, S("garbage\n::\n")));
	assert_non_null(
	    strstr(img_check_ids(a, S("root:x:0:0::/:/bin/sh\ntoor:x:0:0::/:/bin/sh\n"), false), "toor"));
	assert_null(img_check_ids(a, S("root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n"), false));
	assert_non_null(img_check_ids(a, S("a:x:5:\nb:x:5:\n"), true));
	assert_null(img_check_ids(a, S("a:x:notanumber:\nb:x::\n+nis\n"), true));

	assert_non_null(
	    img_check_pkgconf(a, "/etc/apt/sources.list", S("deb [trusted=yes] http://x/ s main\n")));
	assert_null(
	    img_check_pkgconf(a, "/etc/apt/sources.list",
			      S("deb [signed-by=/k.gpg] https://x/ s main\n# deb [trusted=yes] x\n")));
	assert_non_null(
	    img_check_pkgconf(a, "/etc/apt/sources.list.d/x.sources", S("Types: deb\nTrusted: yes\n")));
	assert_non_null(
	    img_check_pkgconf(a, "/etc/apt/apt.conf.d/99x", S("APT::Get::AllowUnauthenticated \"true\";\n")));
	assert_non_null(
	    img_check_pkgconf(a, "/etc/yum.repos.d/x.repo", S("[x]\nbaseurl=http://x\ngpgcheck=0\n")));
	assert_null(img_check_pkgconf(a, "/etc/yum.repos.d/x.repo", S("[x]\ngpgcheck=1\n")));
}

static void test_packages(void **st)
{
	(void)st;
	static const struct {
		const char *name;
		enum img_pkg_class cls;
	} cases[] = {
	    {"gcc", IMG_PKG_BUILD},
	    {"gcc-12", IMG_PKG_BUILD},
	    {"gcc-12-base", IMG_PKG_OTHER},
	    {"libgcc-s1", IMG_PKG_OTHER},
	    {"make", IMG_PKG_BUILD},
	    {"makedev", IMG_PKG_OTHER},
	    {"libc6-dev", IMG_PKG_BUILD},
	    {"openssl-devel", IMG_PKG_BUILD},
	    {"git", IMG_PKG_BUILD},
	    {"git-man", IMG_PKG_OTHER},
	    {"build-base", IMG_PKG_BUILD},
	    {"openjdk-17-jdk-headless", IMG_PKG_BUILD},
	    {"openjdk-17-jre-headless", IMG_PKG_OTHER},
	    {"clang-16", IMG_PKG_BUILD},
	    {"vim", IMG_PKG_UNNEEDED},
	    {"netcat-openbsd", IMG_PKG_UNNEEDED},
	    {"openssh-server", IMG_PKG_UNNEEDED},
	    {"sudo", IMG_PKG_UNNEEDED},
	    {"openssh-client", IMG_PKG_OTHER},
	    {"curl", IMG_PKG_OTHER},
	    {"bash", IMG_PKG_OTHER},
	    {"-dev", IMG_PKG_OTHER},
	};
	for (size_t i = 0; i < BW_ARRAY_SIZE(cases); i++)
		if (img_pkg_classify(cases[i].name) != cases[i].cls)
			fail_msg("%s: got %d, want %d", cases[i].name, img_pkg_classify(cases[i].name),
				 cases[i].cls);

	assert_string_equal(img_build_file("/usr/bin/gcc", BW_FILE_SYMLINK), "gcc");
	assert_string_equal(img_build_file("/usr/bin/cc", BW_FILE_SYMLINK), "cc");
	assert_string_equal(img_build_file("/usr/bin/gcc-12", BW_FILE_REG), "gcc");
	assert_null(img_build_file("/usr/bin/gcc-ar", BW_FILE_REG));
	assert_string_equal(img_build_file("/usr/local/go/bin/go", BW_FILE_REG), "go toolchain");
	assert_string_equal(img_build_file("/root/.m2/repository/x/y.jar", BW_FILE_REG),
			    "Maven repository cache");
	assert_string_equal(img_build_file("/usr/bin/make", BW_FILE_REG), "make");
	assert_null(img_build_file("/usr/share/doc/make", BW_FILE_DIR));
	assert_null(img_build_file("/opt/app/make", BW_FILE_REG));
	assert_null(img_build_file("/usr/bin/makeinfo", BW_FILE_REG));
}

static void test_rule_table(void **st)
{
	(void)st;
	assert_int_equal(bw_imgcheck_rule_count(), IMG__COUNT);
	for (size_t i = 0; i < bw_imgcheck_rule_count(); i++) {
		struct bw_rule_info ri;
		bw_imgcheck_rule_info(i, &ri);
		char want[32];
		snprintf(want, sizeof(want), "BW-IMG-%03zu", i + 1);
		assert_string_equal(ri.id, want);
		assert_non_null(ri.title);
		assert_non_null(ri.rationale);
		assert_non_null(ri.bad);
		assert_non_null(ri.good);
		assert_non_null(ri.remediation);
		assert_true(ri.severity >= BW_SEV_LOW);
	}
}

int main(int argc, char **argv)
{
	cases_path = argc > 1 ? argv[1] : "secretname.cases";
	bw_arena_init(&arena);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hist_parse),
	    cmocka_unit_test(test_secret_env_findings),
	    cmocka_unit_test(test_secret_table_verdicts),
	    cmocka_unit_test(test_ref_latest),
	    cmocka_unit_test(test_run_facts),
	    cmocka_unit_test(test_classify),
	    cmocka_unit_test(test_content),
	    cmocka_unit_test(test_packages),
	    cmocka_unit_test(test_rule_table),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	bw_arena_release(&arena);
	return rc;
}
