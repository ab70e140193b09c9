/* core — errors, bounded buffers, slices, arenas, digests and small helpers.
 *
 * core imports nothing else of bulwark. Every module reports failure the same
 * way: a function that can fail returns 0 or a negative BW_E* code, and fills
 * the caller's struct bw_error with a message naming the input (file, layer,
 * path, line). Only src/cli/ prints messages and chooses exit codes.
 */
#ifndef BW_CORE_H
#define BW_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* jansson's document type, which public headers of other modules name (a
 * configuration blob, the documents they describe themselves with).
 * Declared here instead of their including <jansson.h>: read after a
 * project header, it would come after banned.h. Files that call jansson
 * include <jansson.h> first. */
typedef struct json_t json_t;

/* ---- errors ------------------------------------------------------------ */

enum bw_errcode {
	BW_OK = 0,
	BW_EUSAGE = -1,	      /* the caller asked for something malformed (exit 2) */
	BW_EINPUT = -2,	      /* hostile or malformed input: image, file, JSON (exit 3) */
	BW_EIO = -3,	      /* an OS call failed; errno kept in sys_errno (exit 3) */
	BW_ENOMEM = -4,	      /* allocation failed (exit 3) */
	BW_EINTEGRITY = -5,   /* a digest or size did not match (exit 3) */
	BW_ENOTFOUND = -6,    /* a named thing does not exist (exit 3) */
	BW_EUNSUPPORTED = -7, /* a valid input we do not handle (exit 3) */
	BW_ELIMIT = -8,	      /* a bound was exceeded: size, count, depth (exit 3) */
	BW_EREMOTE = -9,      /* a daemon or server failed or is unreachable (exit 3) */
};

#define BW_ERROR_MAX 1024

/* An error report. Embedded by the caller (usually on the stack), filled by
 * the callee. Holds no heap memory, so it needs no release. */
struct bw_error {
	int code;      /* one of enum bw_errcode, 0 when no error */
	int sys_errno; /* errno at the failure, or 0 */
	char msg[BW_ERROR_MAX];
};

#define BW_ERROR_INIT                                                                                        \
	{                                                                                                    \
		0, 0,                                                                                        \
		{                                                                                            \
			0                                                                                    \
		}                                                                                            \
	}

/* Set err (may be NULL) and return code, so callers can write
 * `return bw_error_set(err, BW_EINPUT, "layer %s: ...", d);` */
int bw_error_set(struct bw_error *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* As bw_error_set, appending ": strerror(errno)" and keeping errno. */
int bw_error_sys(struct bw_error *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prefix the existing message with context ("layer sha256:ab..: "). Returns
 * err->code so it can end a `return`. */
int bw_error_prefix(struct bw_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bw_error_clear(struct bw_error *err);
const char *bw_errcode_name(int code);

/* A broken invariant inside bulwark (never bad input): abort with location. */
#define BW_BUG(msg) bw_bug(__FILE__, __LINE__, (msg))
_Noreturn void bw_bug(const char *file, int line, const char *msg);

/* ---- allocation -------------------------------------------------------- */

/* Allocators that abort on exhaustion: bulwark's bounded parsing makes
 * allocation failure a machine problem, not an input problem. */
void *bw_malloc(size_t n);
void *bw_calloc(size_t nmemb, size_t size);
void *bw_realloc(void *p, size_t n);
char *bw_strdup(const char *s);
char *bw_strndup(const char *s, size_t n);
char *bw_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline void bw_freep(void *p)
{
	free(*(void **)p);
}
static inline void bw_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
static inline void bw_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}
#define bw_autofree __attribute__((cleanup(bw_freep)))
#define bw_autoclose __attribute__((cleanup(bw_closep)))
#define bw_autofclose __attribute__((cleanup(bw_fclosep)))

/* Return *pp and set it to NULL: hands ownership out of an auto variable. */
static inline void *bw_steal_pointer(void *pp)
{
	void **p = (void **)pp;
	void *v = *p;
	*p = NULL;
	return v;
}

#define BW_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Size arithmetic that cannot wrap (git's st_mult/st_add): a result past
 * SIZE_MAX is a broken invariant, not a small allocation. */
size_t bw_st_mult(size_t a, size_t b);
size_t bw_st_add(size_t a, size_t b);

/* The one growable-array helper (git's ALLOC_GROW): make arr, holding
 * alloc elements, room for at least nr (so `BW_ALLOC_GROW(a, n + 1, cap);
 * a[n++] = x;`), doubling from 8, every size overflow-checked. arr may
 * move: keep indexes, not pointers, across a grow. */
#define BW_ALLOC_GROW(arr, nr, alloc)                                                                        \
	do {                                                                                                 \
		if ((nr) > (alloc)) {                                                                        \
			(alloc) = bw_alloc_nr((nr), (alloc));                                                \
			(arr) = bw_realloc((arr), bw_st_mult((alloc), sizeof(*(arr))));                      \
		}                                                                                            \
	} while (0)
/* The same for an array in an arena: the old block stays in the arena, so
 * the first block holds exactly nr (most arena arrays — a record's packages,
 * a package's licences — hold one element) and later ones double. */
#define BW_ARENA_GROW(arena, arr, nr, used, alloc)                                                           \
	do {                                                                                                 \
		if ((nr) > (alloc)) {                                                                        \
			size_t nc_ = (alloc) ? bw_alloc_nr((nr), (alloc)) : (nr);                            \
			void *na_ = bw_arena_alloc((arena), bw_st_mult(nc_, sizeof(*(arr))));                \
			if ((used))                                                                          \
				memcpy(na_, (arr), (used) * sizeof(*(arr)));                                 \
			(arr) = na_;                                                                         \
			(alloc) = nc_;                                                                       \
		}                                                                                            \
	} while (0)
/* The next size of an array of alloc elements that must hold nr. */
size_t bw_alloc_nr(size_t nr, size_t alloc);

/* ---- character classes ------------------------------------------------- */

/* ASCII character classes, the same under every locale (git's sane ctype):
 * bytes from images, advisories, lock files, Dockerfiles, configurations
 * and the network are classified with these, never with <ctype.h>, whose
 * answers follow setlocale() and whose argument must be an unsigned char
 * value or EOF (banned.h makes them compile errors). These take any int: a
 * plain (possibly negative) char, an unsigned char or EOF; every byte
 * outside ASCII is in no class and is left as it is by the case mappings. */
static inline bool bw_isdigit(int c)
{
	return (unsigned)(c - '0') < 10u;
}
static inline bool bw_isupper(int c)
{
	return (unsigned)(c - 'A') < 26u;
}
static inline bool bw_islower(int c)
{
	return (unsigned)(c - 'a') < 26u;
}
static inline bool bw_isalpha(int c)
{
	return (unsigned)((c | 0x20) - 'a') < 26u; /* only 'A'..'Z' and 'a'..'z' land there */
}
static inline bool bw_isalnum(int c)
{
	return bw_isdigit(c) || bw_isalpha(c);
}
static inline bool bw_isxdigit(int c)
{
	return bw_isdigit(c) || (unsigned)(c - 'a') < 6u || (unsigned)(c - 'A') < 6u;
}
/* The value of a hex digit of either case, or -1. */
static inline int bw_hexval(int c)
{
	return bw_isdigit(c) ? c - '0' : (unsigned)((c | 0x20) - 'a') < 6u ? (c | 0x20) - 'a' + 10 : -1;
}
/* space, \t, \n, \v, \f, \r */
static inline bool bw_isspace(int c)
{
	return c == ' ' || (unsigned)(c - '\t') < 5u;
}
static inline int bw_tolower(int c)
{
	return bw_isupper(c) ? c + ('a' - 'A') : c;
}
static inline int bw_toupper(int c)
{
	return bw_islower(c) ? c - ('a' - 'A') : c;
}

/* ASCII case-insensitive comparisons (glibc's strcasecmp folds by LC_CTYPE:
 * under tr_TR.UTF-8 "ENTRYPOINT" and "entrypoint" differ). Same results as
 * the C library's in the C locale. */
int bw_strcasecmp(const char *a, const char *b);
int bw_strncasecmp(const char *a, const char *b, size_t n);
/* The first occurrence of needle in haystack, ASCII case ignored, or NULL. */
char *bw_strcasestr(const char *haystack, const char *needle);
/* s is one of the strings of list (NULL-terminated); false for a NULL s. */
bool bw_str_in(const char *s, const char *const *list);
bool bw_str_starts_with(const char *s, const char *prefix);
bool bw_str_ends_with(const char *s, const char *suffix);

/* ---- slices ------------------------------------------------------------ */

/* A borrowed byte range; never NUL-terminated by contract. */
struct bw_slice {
	const char *ptr;
	size_t len;
};

#define BW_SLICE_C(s) ((struct bw_slice){(s), sizeof(s) - 1})
static inline struct bw_slice bw_slice_of(const char *s)
{
	return (struct bw_slice){s, s ? strlen(s) : 0};
}
bool bw_slice_eq(struct bw_slice a, const char *s);
bool bw_slice_has_prefix(struct bw_slice a, const char *prefix);

/* ---- bounded growable buffer ------------------------------------------ */

/* A byte buffer that refuses to grow past `max` (curl's dynbuf). The data
 * is always NUL-terminated for convenience, but may contain NULs. Owned by
 * whoever embeds it; release with bw_buf_release(). */
struct bw_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

void bw_buf_init(struct bw_buf *b, size_t max);
void bw_buf_release(struct bw_buf *b);
void bw_buf_reset(struct bw_buf *b);
/* Return BW_ELIMIT (without changing b) when len would pass max. */
int bw_buf_add(struct bw_buf *b, const void *data, size_t len);
int bw_buf_addstr(struct bw_buf *b, const char *s);
int bw_buf_printf(struct bw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Give the heap block to the caller (free() it); b is left empty. */
char *bw_buf_detach(struct bw_buf *b, size_t *len);

/* Read a whole file descriptor into b, failing with BW_ELIMIT past b->max.
 * `name` names the input in the error. */
int bw_buf_read_fd(struct bw_buf *b, int fd, const char *name, struct bw_error *err);
int bw_buf_read_file(struct bw_buf *b, const char *path, struct bw_error *err);

/* ---- arena ------------------------------------------------------------- */

/* Many small allocations freed in one go (apk's balloc). Not thread-safe:
 * one arena per thread or per layer. */
struct bw_arena_block;
struct bw_arena {
	struct bw_arena_block *head;
	size_t total;
};

void bw_arena_init(struct bw_arena *a);
void bw_arena_release(struct bw_arena *a);
void *bw_arena_alloc(struct bw_arena *a, size_t n); /* 16-byte aligned, zeroed */
char *bw_arena_strndup(struct bw_arena *a, const char *s, size_t n);
char *bw_arena_strdup(struct bw_arena *a, const char *s);

/* ---- digests ----------------------------------------------------------- */

#define BW_DIGEST_STR_MAX 72 /* "sha256:" + 64 hex + NUL, rounded */

/* Streaming SHA-256 (OpenSSL underneath). Handle owned by the caller. */
struct bw_sha256;
struct bw_sha256 *bw_sha256_new(void);
void bw_sha256_free(struct bw_sha256 *h);
void bw_sha256_reset(struct bw_sha256 *h);
void bw_sha256_update(struct bw_sha256 *h, const void *data, size_t len);
/* Finish and write "sha256:<hex>" into out (BW_DIGEST_STR_MAX bytes). */
void bw_sha256_final_str(struct bw_sha256 *h, char *out);
void bw_sha256_str(const void *data, size_t len, char *out);

/* The SHA-1 of data as 40 lowercase hex digits and a NUL (OpenSSL
 * underneath): Java archives are known by it (Maven Central's search). */
#define BW_SHA1_HEX_MAX 41
void bw_sha1_hex(const void *data, size_t len, char out[BW_SHA1_HEX_MAX]);
/* n bytes as 2n lowercase hex digits and a NUL into out. */
void bw_hex_encode(const unsigned char *d, size_t n, char *out);
/* Decode standard base64 (RFC 4648 alphabet, "=" padding required) of
 * s[0..n) into out (max bytes): the number of bytes, or -1 when s is not
 * exactly the canonical encoding of some bytes (no blanks, no line breaks,
 * no non-zero bits after the last byte) or they would not fit. */
int bw_base64_decode(const char *s, size_t n, unsigned char *out, size_t max);
/* n bytes as padded base64 and a NUL into out (4 * ((n + 2) / 3) + 1 bytes). */
void bw_base64_encode(const unsigned char *d, size_t n, char *out);

/* Validate an OCI digest string "algorithm:hex". Only sha256 (64 lowercase
 * hex digits) and sha512 (128) are accepted. */
bool bw_digest_valid(const char *d);
/* The hex part of a valid digest, or NULL. */
const char *bw_digest_hex(const char *d);

/* ---- compact records (the layer cache) --------------------------------- */

/* Length-prefixed binary records: unsigned LEB128 varints, strings as a
 * varint (0 = NULL, n+1 = n bytes follow, no NUL stored). Encoders return
 * 0, or BW_ELIMIT when the buffer's max is reached; OR their results and
 * treat any non-zero as failure. */
int bw_enc_u64(struct bw_buf *b, uint64_t v);
int bw_enc_str(struct bw_buf *b, const char *s);
int bw_enc_strn(struct bw_buf *b, const char *s, size_t n);

/* A bounded reader over untrusted record bytes: any read past the end, an
 * over-long varint, a string holding a NUL or a count larger than the
 * bytes left sets bad, after which every read returns 0 / NULL. */
struct bw_dec {
	const unsigned char *p, *end;
	bool bad;
};
static inline void bw_dec_init(struct bw_dec *d, const void *data, size_t len)
{
	d->p = data;
	d->end = d->p + len;
	d->bad = false;
}
uint64_t bw_dec_u64(struct bw_dec *d);
/* A varint that must be <= max. */
uint64_t bw_dec_max(struct bw_dec *d, uint64_t max);
/* An element count: each element takes at least one byte, so a count
 * larger than the bytes left is bad. */
size_t bw_dec_count(struct bw_dec *d);
/* A string copied into a (NULL for an encoded NULL). */
const char *bw_dec_str(struct bw_dec *d, struct bw_arena *a);
/* True when every byte was read and nothing was bad. */
static inline bool bw_dec_done(const struct bw_dec *d)
{
	return !d->bad && d->p == d->end;
}

/* ---- paths ------------------------------------------------------------- */

/* Clean a path from an image: collapse "//", "./" and "a/..", and drop a
 * leading "/" or "./". Result is relative ("" for the root). Sets *escapes
 * when a ".." would climb above the root, *absolute when it started with "/".
 * out must hold strlen(in)+1 bytes. */
void bw_path_clean(const char *in, char *out, bool *escapes, bool *absolute);
/* What follows the last '/' of path (all of it when there is none). */
const char *bw_path_base(const char *path);

/* ---- secret-looking names and values (secretname.c) ------------------- */

/* The one table that says which environment variables and build arguments
 * hold a secret; every rule that judges one by its name and value asks it
 * (lint's ARG/ENV rules, imgcheck's Env and history checks), so a name
 * gets the same verdict in a Dockerfile and in the image built from it.
 * The functions only read their arguments (ASCII, no locale). */

/* Is name[0..len) (need not be NUL-terminated) the name of a secret? True
 * for a well-known name (AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN, DATABASE_URL,
 * … also behind VITE_ / REACT_APP_), and for a name with a '_'-separated
 * part such as PASSWORD, PWD, PASS, TOKEN, SECRET, KEY, AUTH, CREDENTIAL,
 * PRIVATE, or with password, secret, apikey or token run into other words
 * (DBPASSWORD); false for names of public data (GPG_KEY, KEY_ID, KEYRING,
 * SSH_AUTH_SOCK, any name with a PUBLIC part) and of where a secret is
 * (…_FILE, …_PATH, …_DIR). */
bool bw_secretname_is_secret_name(const char *name, size_t len);
/* Is value, given to such a name, a secret rather than empty, a path (/…,
 * ./…), a variable reference ($…) or a placeholder (changeme, xxx, none,
 * null, true, false, -, <…>)? */
bool bw_secretname_is_secret_value(const char *value);
/* A value that is a key whatever its name — an AWS access key id, a
 * GitHub, GitLab, Slack or npm token, a Stripe live key, a PEM private key,
 * a URL with a password: what it is ("a GitHub token"), or NULL. */
const char *bw_secretname_key_kind(const char *value);
/* The verdict on NAME=value as it stands in an image: a secret name with a
 * secret value, or a value that is a key whatever its name. */
bool bw_secretname_is_secret(const char *name, size_t len, const char *value);

/* ---- bounded JSON ------------------------------------------------------ */

/* jansson builds a tree that can take 70 times the bytes of its text (a
 * document of "{}" elements; real advisories, VEX documents and engine
 * answers take 3 to 7 times), so a size cap on the text alone does not bound
 * memory. bw_json_loadb parses as json_loadb(data, len, flags, je) does while
 * counting the heap its tree holds in the calling thread: past max_tree
 * bytes it stops and returns NULL with *too_big set (je says "out of
 * memory"). The tree is the caller's (json_decref). Thread-safe: each thread
 * counts its own parse. */
struct json_error_t;
json_t *bw_json_loadb(const char *data, size_t len, size_t flags, size_t max_tree, struct json_error_t *je,
		      bool *too_big);
/* The heap the tree of the calling thread's last bw_json_loadb holds (0
 * when it failed). */
size_t bw_json_last_tree(void);
/* The tree budget for one untrusted document or record read whole (an
 * advisory, a VEX document, an engine answer): 160 MiB. Documents of many
 * small objects or strings take 12 to 25 times their text (an 11 MB
 * CycloneDX VEX of 80,000 components 143 MB), one of empty objects 70
 * times. */
#define BW_JSON_TREE_MAX ((size_t)160 << 20)

/* The next element of a JSON array held in p[0..n) as a slice, without
 * parsing it: *pos starts at 0 (before the '['), the element is found by
 * tracking strings and nesting only. Returns 1 with *elem set, 0 after the
 * closing ']' (only whitespace may follow), or -1 when the text is not a
 * well-bracketed array (each element is still parsed by the caller, which
 * finds what else is wrong in it). */
int bw_json_array_next(const char *p, size_t n, size_t *pos, struct bw_slice *elem);

/* ---- misc -------------------------------------------------------------- */

/* Human-readable size ("12.3 MB"), written into out. */
void bw_format_size(uint64_t n, char *out, size_t outlen);
/* Number of online CPUs, at least 1. */
int bw_ncpu(void);
/* Monotonic clock in seconds. */
double bw_now(void);
/* True when s is valid UTF-8 of length len. */
bool bw_utf8_valid(const char *s, size_t len);
/* The next token of *s, split at any byte of delims: runs of delimiters
 * count as one, so no token is empty (the tokens strtok_r gives, with the
 * position in the caller's hands, as strsep keeps it). The token is
 * NUL-terminated in place and *s moves past it; NULL when none is left. */
char *bw_next_token(char **s, const char *delims);

/* Last, after every system header: */
#include "banned.h"

#endif
