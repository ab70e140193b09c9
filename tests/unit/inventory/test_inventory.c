/* Unit tests of the inventory parsers, one file at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>

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
	assert_string_equal(p->purl,
			    "pkg:deb/debian/login@4.13%2Bdfsg1-1%2Bb1?arch=amd64&distro=debian-&epoch=1");
	assert_int_equal(r->n_warnings, 1);
	bw_report_free(r);
}

static void test_apk(void **state)
{
	struct bw_report *r =
	    parse("/lib/apk/db/installed",
		  "P:libssl3\nV:3.3.2-r0\nA:x86_64\no:openssl\nm:Ariadne <ariadne@example.org>\n"
		  "L:Apache-2.0\n\nV:1\n\n",
		  "alpine");
	assert_int_equal(r->n_packages, 1);
	assert_string_equal(r->packages[0].source_name, "openssl");
	assert_string_equal(r->packages[0].supplier, "Ariadne <ariadne@example.org>"); /* m: */
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
	struct bw_report *r =
	    parse("/a/node_modules/@types/node/package.json",
		  "{\"name\":\"@types/node\",\"version\":\"20.1.0+x\",\"license\":\"MIT\"}", NULL);
	assert_int_equal(r->n_packages, 1);
	assert_string_equal(r->packages[0].purl, "pkg:npm/%40types/node@20.1.0%2Bx");
	bw_report_free(r);
	/* the author: "Name <email> (url)" or an object */
	r = parse("/a/node_modules/x/package.json",
		  "{\"name\":\"x\",\"version\":\"1\",\"author\":\"Ann Example <ann@example.org> "
		  "(https://example.org)\"}",
		  NULL);
	assert_string_equal(r->packages[0].author, "Ann Example <ann@example.org>");
	bw_report_free(r);
	r = parse(
	    "/a/node_modules/x/package.json",
	    "{\"name\":\"x\",\"version\":\"1\",\"author\":{\"name\":\"Bo\",\"email\":\"bo@example.org\"}}",
	    NULL);
	assert_string_equal(r->packages[0].author, "Bo <bo@example.org>");
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
				    "\"x@workspace:.\":\n  version: 0.0.0-use.local\n",
				    NULL);
	assert_int_equal(r->n_packages, 1);
	assert_string_equal(r->packages[0].name, "@babel/core");
	assert_string_equal(r->packages[0].version, "7.22.5");
	bw_report_free(r);
	r = parse("/app/pnpm-lock.yaml",
		  "packages:\n  /a/1.0.0:\n    x: 1\n  /@s/b@2.0.0(c@1.0.0):\n    x: 1\n", NULL);
	assert_int_equal(r->n_packages, 2);
	assert_non_null(find(r, "@s/b"));
	assert_string_equal(find(r, "a")->version, "1.0.0");
	bw_report_free(r);
}

/* ---- hashes.cases: one package's hash in every form the analyzers read ---- */

static const char *cases_path = "hashes.cases";

static void put_uvarint(struct bw_buf *b, size_t v)
{
	do {
		unsigned char c = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			c |= 0x80;
		bw_buf_add(b, &c, 1);
	} while (v);
}

/* A minimal ELF executable holding Go 1.18+ build info (the inline form) with modinfo. */
static void go_binary(struct bw_buf *b, const char *modinfo)
{
	unsigned char head[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
	bw_buf_add(b, head, sizeof(head));
	unsigned char bi[32] = "\xff Go buildinf:";
	bi[14] = 8; /* pointer size */
	bi[15] = 2; /* inline strings */
	bw_buf_add(b, bi, sizeof(bi));
	put_uvarint(b, 8);
	bw_buf_addstr(b, "go1.22.0");
	put_uvarint(b, strlen(modinfo));
	bw_buf_addstr(b, modinfo);
	while (b->len < 2048)
		bw_buf_add(b, "", 1);
}

/* The file of `form` around `in`, as cases/hashes.cases describes. */
static const char *wrap(const char *form, const char *in, struct bw_buf *b)
{
	if (strcmp(form, "npm-lock") == 0) {
		bw_buf_printf(b,
			      "{\"lockfileVersion\": 3, \"packages\": {\"\": {\"name\": \"app\"}, "
			      "\"node_modules/x\": {\"version\": \"1.0.0\", \"integrity\": %s}}}",
			      in);
		return "/app/package-lock.json";
	}
	if (strcmp(form, "npm-lock-v1") == 0) {
		bw_buf_printf(b,
			      "{\"lockfileVersion\": 1, \"dependencies\": {\"x\": {\"version\": \"1.0.0\", "
			      "\"integrity\": %s}}}",
			      in);
		return "/app/package-lock.json";
	}
	if (strcmp(form, "npm-pkg") == 0 || strcmp(form, "npm-shasum") == 0) {
		bw_buf_printf(b, "{\"name\": \"x\", \"version\": \"1.0.0\", \"%s\": %s}",
			      form[4] == 'p' ? "_integrity" : "_shasum", in);
		return "/app/node_modules/x/package.json";
	}
	if (strcmp(form, "yarn") == 0 || strcmp(form, "yarn-resolved") == 0) {
		if (form[4] == '-')
			bw_buf_printf(
			    b, "# yarn lockfile v1\n\nx@^1.0.0:\n  version \"1.0.0\"\n  resolved \"%s\"\n",
			    in);
		else
			bw_buf_printf(b,
				      "# yarn lockfile v1\n\nx@^1.0.0:\n  version \"1.0.0\"\n  integrity %s\n"
				      "  dependencies:\n    y \"^2\"\n",
				      in);
		return "/app/yarn.lock";
	}
	if (strcmp(form, "pnpm") == 0) {
		bw_buf_printf(
		    b,
		    "lockfileVersion: '6.0'\n\npackages:\n\n  /x@1.0.0:\n    resolution: {integrity: %s}\n"
		    "    dev: false\n",
		    in);
		return "/app/pnpm-lock.yaml";
	}
	if (strcmp(form, "pnpm-nested") == 0) {
		bw_buf_printf(b,
			      "lockfileVersion: '9.0'\n\npackages:\n\n  x@1.0.0:\n    resolution:\n      "
			      "integrity: %s\n"
			      "    engines: {node: '>=8'}\n",
			      in);
		return "/app/pnpm-lock.yaml";
	}
	if (strcmp(form, "cargo") == 0) {
		bw_buf_printf(
		    b,
		    "version = 3\n\n[[package]]\nname = \"x\"\nversion = \"1.0.0\"\n"
		    "source = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"%s\"\n",
		    in);
		return "/src/Cargo.lock";
	}
	if (strcmp(form, "cargo-v1") == 0) {
		bw_buf_printf(
		    b,
		    "[[package]]\nname = \"x\"\nversion = \"1.0.0\"\n"
		    "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[metadata]\n"
		    "\"checksum x 1.0.0 (registry+https://github.com/rust-lang/crates.io-index)\" = \"%s\"\n",
		    in);
		return "/src/Cargo.lock";
	}
	if (strcmp(form, "composer") == 0) {
		bw_buf_printf(b,
			      "{\"packages\": [{\"name\": \"v/x\", \"version\": \"1.0.0\", "
			      "\"dist\": {\"type\": \"zip\", \"url\": \"https://x\", \"shasum\": %s}}]}",
			      in);
		return "/var/www/vendor/composer/installed.json";
	}
	if (strcmp(form, "nuget") == 0) {
		bw_buf_printf(b,
			      "{\"targets\": {}, \"libraries\": {\"x/1.0.0\": {\"type\": \"package\", "
			      "\"sha512\": %s}}}",
			      in);
		return "/app/app.deps.json";
	}
	if (strcmp(form, "apk") == 0) {
		bw_buf_printf(b, "C:%s\nP:x\nV:1.0.0-r0\nA:x86_64\n\n", in);
		return "/lib/apk/db/installed";
	}
	if (strcmp(form, "go") == 0 || strcmp(form, "go-replace") == 0) {
		char *mi =
		    form[2] == '-'
			? bw_asprintf("path\tex.com/app\nmod\tex.com/app\t(devel)\t\n"
				      "dep\tx\tv1.0.0\th1:BoLF8gdvCZw0z90VqeBjhJ7UN6SWd+b8xbQZjHZXW+U=\n"
				      "=>\tx\tv1.1.0\t%s\n",
				      in)
			: bw_asprintf("path\tex.com/app\nmod\tex.com/app\t(devel)\t\ndep\tx\tv1.0.0\t%s\n",
				      in);
		go_binary(b, mi);
		free(mi);
		return "/usr/local/bin/app";
	}
	fail_msg("unknown form %s", form);
	return NULL;
}

static void test_hash_cases(void **state)
{
	struct bw_buf cases;
	bw_buf_init(&cases, 1 << 20);
	struct bw_error err = BW_ERROR_INIT;
	if (bw_buf_read_file(&cases, cases_path, &err) < 0)
		fail_msg("%s", err.msg);
	size_t n_cases = 0, lineno = 0;
	char *rest = cases.data;
	for (char *line; (line = bw_next_token(&rest, "\n"));) {
		lineno++;
		if (line[0] == '#' || !line[0])
			continue;
		char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2)
			fail_msg("%s: line %zu: not FORM TAB INPUT TAB EXPECTED", cases_path, lineno);
		*t1 = *t2 = '\0';
		const char *form = line, *in = t1 + 1, *want = t2 + 1;
		struct bw_buf file;
		bw_buf_init(&file, 1 << 20);
		const char *path = wrap(form, in, &file);
		struct bw_report *r = bw_report_new("filesystem", "unit");
		bw_inventory_parse_file(path, file.data, file.len, "alpine", r);
		const struct bw_package *p = NULL;
		for (size_t i = 0; i < r->n_packages; i++)
			if (strcmp(r->packages[i].name, "x") == 0 || strcmp(r->packages[i].name, "v/x") == 0)
				p = &r->packages[i];
		if (!p)
			fail_msg("%s: line %zu (%s): no package x", cases_path, lineno, form);
		struct bw_buf got;
		bw_buf_init(&got, 4096);
		for (size_t i = 0; i < p->n_hashes; i++)
			bw_buf_printf(&got, "%s%s:%s", got.len ? " " : "", bw_hash_alg_name(p->hashes[i].alg),
				      p->hashes[i].hex);
		if (r->n_warnings)
			bw_buf_printf(&got, "%swarn", got.len ? " " : "");
		const char *g = got.len ? got.data : "-";
		if (strcmp(g, want) != 0 || r->n_warnings > 1)
			fail_msg("%s: line %zu (%s %s): got %s (%zu warnings: %s), want %s", cases_path,
				 lineno, form, in, g, r->n_warnings, r->n_warnings ? r->warnings[0] : "",
				 want);
		/* the warning names the file */
		if (r->n_warnings)
			assert_non_null(strstr(r->warnings[0], path));
		bw_buf_release(&got);
		bw_report_free(r);
		bw_buf_release(&file);
		n_cases++;
	}
	assert_true(n_cases >= 50);
	bw_buf_release(&cases);
}

/* A Go binary with many modules: the main module's entry must survive the
 * package array growing under it (a "(devel)" main module is kept too, as
 * the application, its version from -ldflags or the VCS settings when the
 * build info has them). Its relations to the others are resolved in the
 * image finalisation, tested in test_sbom.py. */
static void go_many_modules_with(const char *main_version, const char *settings, struct bw_report **out)
{
	struct bw_buf mi, b;
	bw_buf_init(&mi, 1 << 20);
	bw_buf_init(&b, 1 << 20);
	bw_buf_printf(&mi, "path\tex.com/app\nmod\tex.com/app\t%s\t\n", main_version);
	for (int i = 0; i < 200; i++)
		bw_buf_printf(&mi, "dep\tex.com/dep%d\tv1.0.%d\t\n", i, i);
	bw_buf_addstr(&mi, settings);
	go_binary(&b, mi.data);
	struct bw_report *r = bw_report_new("filesystem", "unit");
	bw_inventory_parse_file("/usr/local/bin/app", b.data, b.len, NULL, r);
	bw_buf_release(&mi);
	bw_buf_release(&b);
	*out = r;
}

static void go_many_modules(const char *main_version, struct bw_report **out)
{
	go_many_modules_with(main_version, "", out);
}

static const struct bw_package *go_app(const struct bw_report *r)
{
	const struct bw_package *app = NULL;
	for (size_t i = 0; i < r->n_packages; i++)
		if (strcmp(r->packages[i].name, "ex.com/app") == 0)
			app = &r->packages[i];
	assert_non_null(app);
	assert_true(app->application);
	return app;
}

static void test_go_main_module_among_many(void **state)
{
	struct bw_report *r;
	go_many_modules("(devel)", &r);
	assert_int_equal(r->n_warnings, 0);
	size_t deps = 0;
	for (size_t i = 0; i < r->n_packages; i++)
		deps += strncmp(r->packages[i].name, "ex.com/dep", 10) == 0;
	assert_int_equal(deps, 200);
	assert_string_equal(go_app(r)->version, "(devel)");
	assert_int_equal(r->n_packages, 202);
	bw_report_free(r);

	/* a local build's version: -ldflags -X ...version=, else its commit */
	go_many_modules_with("(devel)",
			     "build\t-compiler=gc\nbuild\t-ldflags=\"-s -w -X "
			     "ex.com/app/internal/build.Version=v3.1.4-rc1 -X main.commit=abc\"\n"
			     "build\tvcs=git\nbuild\tvcs.revision=0123456789abcdef0123456789abcdef01234567\n"
			     "build\tvcs.time=2024-05-06T07:08:09Z\n",
			     &r);
	assert_string_equal(go_app(r)->version, "v3.1.4-rc1");
	bw_report_free(r);
	go_many_modules_with("(devel)",
			     "build\t-ldflags=-X main.commit=abc\nbuild\tvcs=git\n"
			     "build\tvcs.revision=0123456789abcdef0123456789abcdef01234567\n"
			     "build\tvcs.time=2024-05-06T07:08:09Z\nbuild\tvcs.modified=true\n",
			     &r);
	assert_string_equal(go_app(r)->version, "v0.0.0-20240506070809-0123456789ab");
	bw_report_free(r);

	go_many_modules("v2.0.0", &r);
	const struct bw_package *app = NULL;
	for (size_t i = 0; i < r->n_packages; i++)
		if (strcmp(r->packages[i].name, "ex.com/app") == 0)
			app = &r->packages[i];
	assert_non_null(app);
	assert_string_equal(app->version, "v2.0.0");
	assert_int_equal(r->n_packages, 202); /* the main module, 200 deps, stdlib */
	bw_report_free(r);
	(void)state;
}

/* /var/lib/dpkg/available declares no packages (its SHA256s join the status
 * file's packages at the merge); a bad SHA256 is a warning. */
static void test_dpkg_available(void **state)
{
	struct bw_report *r = parse("/var/lib/dpkg/available",
				    "Package: a\nVersion: 1\nArchitecture: amd64\nSHA256: "
				    "8be9df5795114bfe90e2be3d208ef47a5edd3fc7b3e20d387a597486d444e5e2\n\n"
				    "Package: b\nVersion: 1\nArchitecture: amd64\nSHA256: 8be9df\n\n",
				    "debian");
	assert_int_equal(r->n_packages, 0);
	assert_int_equal(r->n_warnings, 1);
	assert_non_null(strstr(r->warnings[0], "/var/lib/dpkg/available"));
	assert_non_null(strstr(r->warnings[0], "'b'"));
	bw_report_free(r);
}

/* A zip of name/content pairs (NULL-terminated), in memory. */
static void make_zip(struct bw_buf *out, const char *const *entries, const struct bw_buf *const *bins)
{
	struct archive *a = archive_write_new();
	archive_write_set_format_zip(a);
	size_t cap = 1 << 20, used = 0;
	char *mem = bw_malloc(cap);
	assert_int_equal(archive_write_open_memory(a, mem, cap, &used), ARCHIVE_OK);
	for (size_t i = 0; entries[i]; i += 2) {
		const void *d = entries[i + 1];
		size_t n = strlen(entries[i + 1]);
		if (bins && bins[i / 2]) {
			d = bins[i / 2]->data;
			n = bins[i / 2]->len;
		}
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, entries[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)n);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, d, n), (la_ssize_t)n);
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	bw_buf_init(out, 1 << 20);
	bw_buf_add(out, mem, used);
	free(mem);
}

#define POM(g, a, v) "groupId=" g "\nartifactId=" a "\nversion=" v "\n"

static const struct bw_package *find_version(const struct bw_report *r, const char *name, const char *version)
{
	for (size_t i = 0; i < r->n_packages; i++)
		if (strcmp(r->packages[i].name, name) == 0 && strcmp(r->packages[i].version, version) == 0)
			return &r->packages[i];
	return NULL;
}

static void assert_sha1(const struct bw_package *p, const struct bw_buf *bytes)
{
	assert_non_null(p);
	char hex[BW_SHA1_HEX_MAX];
	bw_sha1_hex(bytes->data, bytes->len, hex);
	assert_int_equal(p->n_hashes, 1);
	assert_int_equal(p->hashes[0].alg, BW_HASH_SHA1);
	assert_string_equal(p->hashes[0].hex, hex);
}

/* A jar's SHA-1 is of its own bytes, a nested jar's of its; of the artifacts
 * a shaded jar bundles, only the one its file name names gets it. */
static void test_jar_sha1(void **state)
{
	static const char *const inner_e[] = {"META-INF/maven/org.x/inner/pom.properties",
					      POM("org.x", "inner", "2.0"), NULL};
	struct bw_buf inner;
	make_zip(&inner, inner_e, NULL);
	static const char *const shaded_e[] = {"META-INF/maven/org.x/shaded/pom.properties",
					       POM("org.x", "shaded", "1.0"),
					       "META-INF/maven/org.y/bundled/pom.properties",
					       POM("org.y", "bundled", "3.0"),
					       "lib/inner-2.0.jar",
					       "",
					       NULL};
	const struct bw_buf *bins[] = {NULL, NULL, &inner};
	struct bw_buf shaded;
	make_zip(&shaded, shaded_e, bins);
	struct bw_report *r = bw_report_new("filesystem", "unit");
	bw_inventory_parse_file("/srv/shaded-1.0.jar", shaded.data, shaded.len, NULL, r);
	assert_int_equal(r->n_packages, 3);
	assert_int_equal(r->n_warnings, 0);
	assert_sha1(find_version(r, "org.x:shaded", "1.0"), &shaded);
	assert_sha1(find_version(r, "org.x:inner", "2.0"), &inner);
	assert_int_equal(find_version(r, "org.y:bundled", "3.0")->n_hashes, 0);
	bw_report_free(r);
	/* the same bytes under a name that names neither artifact: no package is the file */
	r = bw_report_new("filesystem", "unit");
	bw_inventory_parse_file("/srv/app.jar", shaded.data, shaded.len, NULL, r);
	assert_int_equal(find_version(r, "org.x:shaded", "1.0")->n_hashes, 0);
	assert_sha1(find_version(r, "org.x:inner", "2.0"), &inner);
	bw_report_free(r);
	/* one artifact: whatever the file is called */
	r = bw_report_new("filesystem", "unit");
	bw_inventory_parse_file("/srv/renamed.jar", inner.data, inner.len, NULL, r);
	assert_sha1(find_version(r, "org.x:inner", "2.0"), &inner);
	bw_report_free(r);
	bw_buf_release(&inner);
	bw_buf_release(&shaded);
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

/* ---- a project's lock files and manifests ---- */

static const char *purl_of(const struct bw_report *r, const char *name)
{
	const struct bw_package *p = find(r, name);
	return p ? p->purl : "(none)";
}

static bool warned(const struct bw_report *r, const char *needle)
{
	for (size_t i = 0; i < r->n_warnings; i++)
		if (strstr(r->warnings[i], needle))
			return true;
	return false;
}

static void test_requirements(void **state)
{
	struct bw_report *r =
	    parse("/src/requirements-dev.txt",
		  "# pinned\nDjango==3.2.1  # web\nrequests[socks] == 2.25.0 ; python_version > \"3\"\n"
		  "Flask>=2.0\nnumpy==1.*\n-r base.txt\n--hash=sha256:00\n"
		  "PyYAML===5.3.1 \\\n    --hash=sha256:ab\nzope.interface==\n"
		  "Jinja2==2.11.2,<3\n",
		  NULL);
	assert_int_equal(r->n_packages, 4);
	assert_string_equal(purl_of(r, "django"), "pkg:pypi/django@3.2.1");
	assert_string_equal(purl_of(r, "requests"), "pkg:pypi/requests@2.25.0");
	assert_string_equal(purl_of(r, "pyyaml"), "pkg:pypi/pyyaml@5.3.1");
	assert_string_equal(purl_of(r, "jinja2"), "pkg:pypi/jinja2@2.11.2");
	assert_string_equal(find(r, "django")->ecosystem, "PyPI");
	assert_true(warned(r, "/src/requirements-dev.txt: line 10:"));
	bw_report_free(r);
}

static void test_python_locks(void **state)
{
	struct bw_report *r =
	    parse("/src/poetry.lock",
		  "[[package]]\nname = \"Jinja2\"\nversion = \"2.10\"\ncategory = \"main\"\n\n"
		  "[package.dependencies]\nname = \"not-a-package\"\n\n"
		  "[[package]]\nname = \"nover\"\n\n[metadata]\nlock-version = \"2.0\"\n",
		  NULL);
	assert_int_equal(r->n_packages, 1);
	assert_string_equal(purl_of(r, "jinja2"), "pkg:pypi/jinja2@2.10");
	assert_true(warned(r, "/src/poetry.lock: line 9: a [[package]] without a name or version"));
	bw_report_free(r);
	r = parse(
	    "/src/uv.lock",
	    "version = 1\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n"
	    "dependencies = [\n    { name = \"urllib3\" },\n]\n\n"
	    "[[package]]\nname = \"urllib3\"\nversion = \"1.26.4\"\n"
	    "source = { registry = \"https://pypi.org/simple\" }\n"
	    "wheels = [\n    { url = \"https://x/u.whl\", hash = \"sha256:00\" },\n]\n",
	    NULL);
	assert_int_equal(r->n_packages, 1);
	assert_string_equal(purl_of(r, "urllib3"), "pkg:pypi/urllib3@1.26.4");
	bw_report_free(r);
	r = parse("/src/Pipfile.lock",
		  "{\"_meta\": {}, \"default\": {\"Requests\": {\"version\": \"==2.19.1\"}, \"any\": "
		  "{\"version\": \"*\"}},"
		  " \"develop\": {\"pytest\": {\"version\": \"==6.0.0\"}}}",
		  NULL);
	assert_int_equal(r->n_packages, 2);
	assert_string_equal(purl_of(r, "requests"), "pkg:pypi/requests@2.19.1");
	assert_string_equal(purl_of(r, "pytest"), "pkg:pypi/pytest@6.0.0");
	bw_report_free(r);
	r = parse("/src/Pipfile.lock", "{\"default\":\n  {\"x\": }", NULL);
	assert_int_equal(r->n_packages, 0);
	assert_true(warned(r, "/src/Pipfile.lock") && warned(r, "line 2"));
	bw_report_free(r);
}

static void test_gomod(void **state)
{
	struct bw_report *r =
	    parse("/src/go.mod",
		  "module example.com/app\n\ngo 1.21\n\n"
		  "require github.com/gin-gonic/gin v1.6.0\n"
		  "require (\n\tgolang.org/x/net v0.0.0-20210226172049-e18ecbb05110 // indirect\n"
		  "\t\"github.com/a/old\" v1.0.0\n\tgithub.com/a/local v1.0.0\n\tbroken\n)\n"
		  "replace github.com/a/old => github.com/b/new v1.2.0\n"
		  "replace (\n\tgithub.com/a/local v1.0.0 => ../local\n)\n"
		  "exclude github.com/x/y v1.0.0\n",
		  NULL);
	assert_int_equal(r->n_packages, 3);
	assert_string_equal(purl_of(r, "github.com/gin-gonic/gin"),
			    "pkg:golang/github.com/gin-gonic/gin@v1.6.0");
	assert_string_equal(purl_of(r, "golang.org/x/net"),
			    "pkg:golang/golang.org/x/net@v0.0.0-20210226172049-e18ecbb05110");
	assert_string_equal(purl_of(r, "github.com/b/new"), "pkg:golang/github.com/b/new@v1.2.0");
	assert_string_equal(find(r, "github.com/b/new")->ecosystem, "Go");
	assert_null(find(r, "github.com/a/local"));
	assert_true(warned(r, "/src/go.mod: line 10:"));
	bw_report_free(r);
}

static void test_gemfile_lock(void **state)
{
	struct bw_report *r = parse("/src/Gemfile.lock",
				    "GIT\n  remote: https://g/x.git\n  specs:\n    fromgit (1.0)\n\n"
				    "GEM\n  remote: https://rubygems.org/\n  specs:\n    actionpack (6.0.0)\n"
				    "      rack (~> 2.0)\n    nokogiri (1.10.4-x86_64-linux)\n    broken\n\n"
				    "PLATFORMS\n  ruby\n\nDEPENDENCIES\n  actionpack\n",
				    NULL);
	assert_int_equal(r->n_packages, 2);
	assert_string_equal(purl_of(r, "actionpack"), "pkg:gem/actionpack@6.0.0");
	assert_string_equal(purl_of(r, "nokogiri"), "pkg:gem/nokogiri@1.10.4");
	assert_string_equal(find(r, "nokogiri")->ecosystem, "RubyGems");
	assert_true(warned(r, "/src/Gemfile.lock: line 12:"));
	bw_report_free(r);
}

static void test_composer_nuget_gradle_shrinkwrap(void **state)
{
	struct bw_report *r =
	    parse("/src/composer.lock",
		  "{\"packages\": [{\"name\": \"symfony/http-kernel\", \"version\": \"v4.4.0\"}],"
		  " \"packages-dev\": [{\"name\": \"phpunit/phpunit\", \"version\": \"9.5.0\"}]}",
		  NULL);
	assert_int_equal(r->n_packages, 2);
	assert_string_equal(purl_of(r, "symfony/http-kernel"), "pkg:composer/symfony/http-kernel@v4.4.0");
	assert_string_equal(find(r, "phpunit/phpunit")->ecosystem, "Packagist");
	bw_report_free(r);
	r = parse("/src/App/packages.lock.json",
		  "{\"version\": 1, \"dependencies\": {\"net6.0\": {"
		  "\"Newtonsoft.Json\": {\"type\": \"Direct\", \"requested\": \"[12.0.1, )\", \"resolved\": "
		  "\"12.0.1\","
		  " \"contentHash\": \"not base64!\"},"
		  "\"Lib\": {\"type\": \"Project\"}},"
		  " \"net8.0\": {\"Newtonsoft.Json\": {\"type\": \"Direct\", \"resolved\": \"12.0.1\"}}}}",
		  NULL);
	assert_int_equal(r->n_packages, 1);
	assert_string_equal(purl_of(r, "Newtonsoft.Json"), "pkg:nuget/Newtonsoft.Json@12.0.1");
	assert_true(warned(r, "contentHash"));
	bw_report_free(r);
	r = parse("/src/gradle.lockfile",
		  "# This is a Gradle generated "
		  "file\ncom.fasterxml.jackson.core:jackson-databind:2.9.1=compileClasspath\n"
		  "bad:line\nempty=annotationProcessor\n",
		  NULL);
	assert_int_equal(r->n_packages, 1);
	assert_string_equal(purl_of(r, "com.fasterxml.jackson.core:jackson-databind"),
			    "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.1");
	assert_string_equal(r->packages[0].ecosystem, "Maven");
	assert_true(warned(r, "/src/gradle.lockfile: line 3:"));
	bw_report_free(r);
	/* npm-shrinkwrap.json: package-lock.json's format */
	r = parse("/src/npm-shrinkwrap.json",
		  "{\"lockfileVersion\": 3, \"packages\": {\"\": {\"name\": \"app\"},"
		  " \"node_modules/lodash\": {\"version\": \"4.17.20\"}}}",
		  NULL);
	assert_int_equal(r->n_packages, 1);
	assert_string_equal(purl_of(r, "lodash"), "pkg:npm/lodash@4.17.20");
	bw_report_free(r);
}

int main(int argc, char **argv)
{
	cases_path = argc > 1 ? argv[1] : "hashes.cases";
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dpkg),
	    cmocka_unit_test(test_apk),
	    cmocka_unit_test(test_python_pep503),
	    cmocka_unit_test(test_npm),
	    cmocka_unit_test(test_yarn_pnpm),
	    cmocka_unit_test(test_os_release_and_nothing),
	    cmocka_unit_test(test_hash_cases),
	    cmocka_unit_test(test_dpkg_available),
	    cmocka_unit_test(test_go_main_module_among_many),
	    cmocka_unit_test(test_jar_sha1),
	    cmocka_unit_test(test_requirements),
	    cmocka_unit_test(test_python_locks),
	    cmocka_unit_test(test_gomod),
	    cmocka_unit_test(test_gemfile_lock),
	    cmocka_unit_test(test_composer_nuget_gradle_shrinkwrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
