/* Unit tests of src/core: path cleaning, bounded buffers, digests, UTF-8,
 * character classes, tokens. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ctype.h>
#include <jansson.h>
#include <locale.h>

#include "core/core.h"

static void check_clean(const char *in, const char *want, bool want_esc, bool want_abs)
{
	char out[256];
	bool esc, abs;
	bw_path_clean(in, out, &esc, &abs);
	if (strcmp(out, want) != 0 || esc != want_esc || abs != want_abs)
		fail_msg("clean(%s) = %s esc=%d abs=%d, want %s esc=%d abs=%d", in, out, esc, abs, want,
			 want_esc, want_abs);
}

static void test_path_clean(void **state)
{
	(void)state;
	check_clean("etc/passwd", "etc/passwd", false, false);
	check_clean("./etc/passwd", "etc/passwd", false, false);
	check_clean("/etc//passwd", "etc/passwd", false, true);
	check_clean("etc/./x/../passwd", "etc/passwd", false, false);
	check_clean("../etc", "etc", true, false);
	check_clean("a/../../b", "b", true, false);
	check_clean("./", "", false, false);
	check_clean("", "", false, false);
	check_clean("dir/", "dir", false, false);
	check_clean("a/b/..", "a", false, false);
	check_clean("..", "", true, false);
	assert_string_equal(bw_path_base("/usr/bin/sh"), "sh");
	assert_string_equal(bw_path_base("sh"), "sh");
	assert_string_equal(bw_path_base("dir/"), "");
	assert_string_equal(bw_path_base(""), "");
}

static void test_buf_limit(void **state)
{
	(void)state;
	struct bw_buf b;
	bw_buf_init(&b, 10);
	assert_int_equal(bw_buf_add(&b, "0123456789", 10), 0);
	assert_int_equal(bw_buf_add(&b, "x", 1), BW_ELIMIT);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "0123456789");
	bw_buf_reset(&b);
	assert_int_equal(bw_buf_printf(&b, "%d-%s", 42, "ab"), 0);
	assert_string_equal(b.data, "42-ab");
	assert_int_equal(bw_buf_add(&b, "x", SIZE_MAX), BW_ELIMIT);
	bw_buf_release(&b);
}

static void test_digests(void **state)
{
	(void)state;
	char d[BW_DIGEST_STR_MAX];
	bw_sha256_str("abc", 3, d);
	assert_string_equal(d, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	struct bw_sha256 *h = bw_sha256_new();
	bw_sha256_update(h, "a", 1);
	bw_sha256_update(h, "bc", 2);
	char d2[BW_DIGEST_STR_MAX];
	bw_sha256_final_str(h, d2);
	bw_sha256_free(h);
	assert_string_equal(d, d2);
	assert_true(bw_digest_valid(d));
	assert_false(
	    bw_digest_valid("sha256:BA7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
	assert_false(bw_digest_valid("sha256:../../etc/passwd"));
	assert_false(bw_digest_valid("md5:abc"));
	assert_false(bw_digest_valid("sha256:abc"));
	assert_false(bw_digest_valid(NULL));
}

static void test_sha1_hex_base64(void **state)
{
	(void)state;
	char h[BW_SHA1_HEX_MAX];
	bw_sha1_hex("abc", 3, h); /* FIPS 180 test vector */
	assert_string_equal(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
	bw_sha1_hex("", 0, h);
	assert_string_equal(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	/* RFC 4648 section 10 vectors, both ways */
	static const char *const v[][2] = {{"f", "Zg=="},	  {"fo", "Zm8="},
					   {"foo", "Zm9v"},	  {"foob", "Zm9vYg=="},
					   {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
	for (size_t i = 0; i < BW_ARRAY_SIZE(v); i++) {
		unsigned char out[16];
		char enc[16];
		int n = bw_base64_decode(v[i][1], strlen(v[i][1]), out, sizeof(out));
		assert_int_equal(n, (int)strlen(v[i][0]));
		assert_memory_equal(out, v[i][0], (size_t)n);
		bw_base64_encode((const unsigned char *)v[i][0], strlen(v[i][0]), enc);
		assert_string_equal(enc, v[i][1]);
	}
	/* not canonical, not padded, not the alphabet, blanks, too small an output */
	static const char *const bad[] = {"Zh==",   "Zm9=",  "Zg",    "Zg=",  "Zg===", "Z===",	   "====",
					  "Zm9v\n", " Zm9v", "Zm 9v", "Zm-v", "Zm_v",  "Zm9vYg=a", ""};
	for (size_t i = 0; i < BW_ARRAY_SIZE(bad); i++) {
		unsigned char out[16];
		assert_int_equal(bw_base64_decode(bad[i], strlen(bad[i]), out, sizeof(out)), -1);
	}
	unsigned char small[2];
	assert_int_equal(bw_base64_decode("Zm9v", 4, small, sizeof(small)), -1);
	unsigned char z[3];
	assert_int_equal(bw_base64_decode("AAAA", 4, z, sizeof(z)), 3);
	assert_int_equal(z[0] | z[1] | z[2], 0);
}

static void test_utf8(void **state)
{
	(void)state;
	assert_true(bw_utf8_valid("h\xc3\xa9llo", 6));
	assert_false(bw_utf8_valid("\xc3", 1));
	assert_false(bw_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
	assert_false(bw_utf8_valid("\xc0\xaf", 2));	/* overlong */
	assert_true(bw_utf8_valid("\xf0\x9f\x98\x80", 4));
}

static void test_errors(void **state)
{
	(void)state;
	struct bw_error err = BW_ERROR_INIT;
	assert_int_equal(bw_error_set(&err, BW_EINPUT, "layer %d: bad", 3), BW_EINPUT);
	assert_int_equal(bw_error_prefix(&err, "%s: ", "img.tar"), BW_EINPUT);
	assert_string_equal(err.msg, "img.tar: layer 3: bad");
	char big[3000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	bw_error_prefix(&err, "%s", big);
	assert_int_equal(strlen(err.msg), BW_ERROR_MAX - 1);
}

static void test_arena(void **state)
{
	(void)state;
	struct bw_arena a;
	bw_arena_init(&a);
	char *s = bw_arena_strdup(&a, "hello");
	void *big = bw_arena_alloc(&a, 1 << 20);
	char *t = bw_arena_strdup(&a, "world");
	assert_string_equal(s, "hello");
	assert_string_equal(t, "world");
	assert_non_null(big);
	assert_int_equal(((uintptr_t)big) % 16, 0);
	bw_arena_release(&a);
}

/* The oracle is the C library in the "C" locale. banned.h turns isalpha(c)
 * into a compile error; (isalpha)(c) is no macro call and reaches the
 * library function, which only this test may do. */
static void test_ctype(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_CTYPE, "C"));
	for (int c = -1; c < 256; c++) {
		if (bw_isdigit(c) != ((isdigit)(c) != 0) || bw_isalpha(c) != ((isalpha)(c) != 0) ||
		    bw_isalnum(c) != ((isalnum)(c) != 0) || bw_isspace(c) != ((isspace)(c) != 0) ||
		    bw_isupper(c) != ((isupper)(c) != 0) || bw_islower(c) != ((islower)(c) != 0) ||
		    bw_isxdigit(c) != ((isxdigit)(c) != 0) || bw_tolower(c) != (tolower)(c) ||
		    bw_toupper(c) != (toupper)(c))
			fail_msg("class or case of %d differs from the C locale's", c);
	}
	/* a plain char holding a byte above 0x7f, and values past a byte */
	for (int c = -128; c < 0; c++) {
		char ch = (char)c;
		assert_false(bw_isdigit(ch) || bw_isalpha(ch) || bw_isalnum(ch) || bw_isspace(ch) ||
			     bw_isupper(ch) || bw_islower(ch) || bw_isxdigit(ch));
		assert_int_equal(bw_tolower(ch), ch);
		assert_int_equal(bw_toupper(ch), ch);
	}
	assert_false(bw_isalpha('a' + 256) || bw_isdigit('0' + 256) || bw_isspace(' ' + 256));
	assert_int_equal(bw_tolower('A' + 256), 'A' + 256);
	assert_true(bw_isxdigit('f') && bw_isxdigit('F') && !bw_isxdigit('g') && !bw_isxdigit('G'));
	for (int c = -128; c < 256; c++) {
		int want = bw_isdigit(c) ? c - '0' : bw_isxdigit(c) ? bw_tolower(c) - 'a' + 10 : -1;
		if (bw_hexval(c) != want)
			fail_msg("bw_hexval(%d) is %d, not %d", c, bw_hexval(c), want);
	}
	assert_true(bw_hexval('F') == 15 && bw_hexval('a') == 10 && bw_hexval('`') == -1 &&
		    bw_hexval('@') == -1);
	assert_true(bw_isspace('\v') && bw_isspace('\r') && !bw_isspace('\0') && !bw_isspace(0x85));
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void test_strcasecmp(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_CTYPE, "C"));
	static const char *const words[] = {
	    "",		 "a",	      "A", "b", "ENTRYPOINT", "entrypoint", "EntryPoint", "Entry", "entry_",
	    "\xc9t\xe9", "\xe9t\xe9", "[", "_", "`",	      "{",	    "@",	  "Z",	   "z"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(words); i++)
		for (size_t j = 0; j < BW_ARRAY_SIZE(words); j++) {
			const char *a = words[i], *b = words[j];
			if (sign(bw_strcasecmp(a, b)) != sign((strcasecmp)(a, b)))
				fail_msg("bw_strcasecmp(%s, %s) differs from the C locale's", a, b);
			for (size_t n = 0; n < 12; n++)
				if (sign(bw_strncasecmp(a, b, n)) != sign((strncasecmp)(a, b, n)))
					fail_msg("bw_strncasecmp(%s, %s, %zu) differs from the C locale's", a,
						 b, n);
			if (bw_strcasestr(a, b) != (strcasestr)(a, b))
				fail_msg("bw_strcasestr(%s, %s) differs from the C locale's", a, b);
		}
	const char *h = "ENV DB_PassWord=x";
	assert_ptr_equal(bw_strcasestr(h, "password"), h + 7);
	assert_ptr_equal(bw_strcasestr(h, ""), h);
	assert_null(bw_strcasestr(h, "token"));
	assert_null(bw_strcasestr("", "a"));
}

static void test_str_lists(void **state)
{
	(void)state;
	static const char *const list[] = {"-o", "--option", "", NULL};
	assert_true(bw_str_in("--option", list));
	assert_true(bw_str_in("", list));
	assert_false(bw_str_in("--opt", list));
	assert_false(bw_str_in("-o ", list));
	assert_false(bw_str_in(NULL, list));
	assert_false(bw_str_in("-o", (const char *const[]){NULL}));
	assert_true(bw_str_starts_with("/usr/bin/go", "/usr/"));
	assert_true(bw_str_starts_with("x", ""));
	assert_false(bw_str_starts_with("/usr", "/usr/"));
	assert_true(bw_str_ends_with("libfoo-dev", "-dev"));
	assert_true(bw_str_ends_with("-dev", "-dev"));
	assert_true(bw_str_ends_with("x", ""));
	assert_false(bw_str_ends_with("dev", "-dev"));
	assert_false(bw_str_ends_with("a.pem.bak", ".pem"));
}

static void test_next_token(void **state)
{
	(void)state;
	char buf[] = ",, a,b ,,c,";
	char *rest = buf;
	assert_string_equal(bw_next_token(&rest, ", "), "a");
	assert_string_equal(bw_next_token(&rest, ", "), "b");
	assert_string_equal(bw_next_token(&rest, ", "), "c");
	assert_null(bw_next_token(&rest, ", "));
	assert_null(bw_next_token(&rest, ", "));
	char empty[] = "", seps[] = ",,,", one[] = "word";
	rest = empty;
	assert_null(bw_next_token(&rest, ","));
	rest = seps;
	assert_null(bw_next_token(&rest, ","));
	rest = one;
	assert_string_equal(bw_next_token(&rest, ","), "word");
	assert_null(bw_next_token(&rest, ","));
}

/* The elements bw_json_array_next finds in text, joined by '|', or "ERR". */
static void check_split(const char *text, const char *want)
{
	char got[256] = "";
	size_t pos = 0, n = strlen(text), k = 0;
	struct bw_slice el;
	int r;
	while ((r = bw_json_array_next(text, n, &pos, &el)) == 1)
		k += (size_t)snprintf(got + k, sizeof(got) - k, "%s%.*s", k ? "|" : "", (int)el.len, el.ptr);
	if (r < 0)
		snprintf(got, sizeof(got), "ERR");
	if (strcmp(got, want) != 0)
		fail_msg("split(%s) = %s, want %s", text, got, want);
}

static void test_json_array_split(void **state)
{
	(void)state;
	check_split("[]", "");
	check_split(" \n[ ] \n", "");
	check_split("[1,2 , 3]", "1|2|3");
	check_split("[{\"a\":[1,{\"b\":\"]}\"}]}, \"x\\\"]\" ,[[]]]",
		    "{\"a\":[1,{\"b\":\"]}\"}]}|\"x\\\"]\"|[[]]");
	check_split("\xef\xbb\xbf[true,null]", "true|null");
	check_split("[1,2", "ERR");
	check_split("[{\"a\":1", "ERR");
	check_split("[1,,2]", "ERR");
	check_split("[,1]", "ERR");
	check_split("[1] x", "ERR");
	check_split("{\"a\":1}", "ERR");
	check_split("[1 2]", "ERR");
	check_split("[}]", "ERR");
}

static void test_json_tree_budget(void **state)
{
	(void)state;
	/* 100,000 empty objects: a few MiB of tree from 300 KB of text */
	size_t n = 100000;
	char *text = malloc(3 * n + 2);
	text[0] = '[';
	for (size_t i = 0; i < n; i++)
		memcpy(text + 1 + 3 * i, i + 1 < n ? "{}," : "{}]", 3);
	json_error_t je;
	bool big = true;
	json_t *j = bw_json_loadb(text, 3 * n + 1, 0, (size_t)64 << 20, &je, &big);
	assert_non_null(j);
	assert_false(big);
	assert_int_equal(json_array_size(j), n);
	json_decref(j);
	j = bw_json_loadb(text, 3 * n + 1, 0, (size_t)1 << 20, &je, &big);
	assert_null(j);
	assert_true(big);
	/* the budget is per parse: the next one starts from nothing */
	j = bw_json_loadb("{\"a\":[1,2]}", 11, 0, 4096, &je, &big);
	assert_non_null(j);
	assert_false(big);
	json_decref(j);
	/* a tree made without a budget is freed through the same allocator */
	j = json_loads("[1,2,3]", 0, NULL);
	assert_non_null(j);
	json_decref(j);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_path_clean),
	    cmocka_unit_test(test_buf_limit),
	    cmocka_unit_test(test_digests),
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_sha1_hex_base64),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_arena),
	    cmocka_unit_test(test_ctype),
	    cmocka_unit_test(test_strcasecmp),
	    cmocka_unit_test(test_str_lists),
	    cmocka_unit_test(test_next_token),
	    cmocka_unit_test(test_json_array_split),
	    cmocka_unit_test(test_json_tree_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
