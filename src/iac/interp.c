/* Compose interpolation: ${VAR} and its forms in every value of a compose
 * file, with variables from the environment (first) and the project's .env
 * file, as the Compose Specification says:
 *
 *   $VAR ${VAR}           the value, "" when unset (with a warning)
 *   ${VAR:-default}       default when unset or empty;  ${VAR-default}: when unset
 *   ${VAR:?message}       an error when unset or empty; ${VAR?message}: when unset
 *   ${VAR:+alternative}   alternative when set and not empty; ${VAR+alt}: when set
 *   $$                    a literal $
 *
 * Defaults and alternatives are interpolated in turn (nested ${…}), to a
 * bounded depth; a value is bounded in size, so that .env lines doubling
 * each other ("B=${A}${A}", "C=${B}${B}", …) stop at the bound instead of
 * filling memory.
 */
#include <errno.h>

#include "iac-int.h"

#define MAX_NEST 16
#define MAX_VALUE (1u << 20)

extern char **environ;

static const char *lookup_env(const struct compose_env *e, const char *name, size_t n)
{
	if (e->cfg && e->cfg->env_set) {
		for (size_t i = 0; i < e->cfg->n_env; i++)
			if (!strncmp(e->cfg->env[i], name, n) && e->cfg->env[i][n] == '=')
				return e->cfg->env[i] + n + 1;
		return NULL;
	}
	for (char **p = environ; p && *p; p++)
		if (!strncmp(*p, name, n) && (*p)[n] == '=')
			return *p + n + 1;
	return NULL;
}

static const char *lookup(const struct compose_env *e, const char *name, size_t n)
{
	const char *v = lookup_env(e, name, n);
	if (v)
		return v;
	for (size_t i = e->n; i-- > 0;)
		if (strlen(e->names[i]) == n && !memcmp(e->names[i], name, n))
			return e->values[i];
	return NULL;
}

const char *compose_env_get(const struct compose_env *e, const char *name)
{
	return lookup(e, name, strlen(name));
}

static bool name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

static int interp(const struct compose_env *e, const char *s, size_t len, struct bw_buf *out, int depth,
		  char **warn, struct bw_error *err);

/* s[0..len) is the text between "${" and its "}". */
static int braced(const struct compose_env *e, const char *s, size_t len, struct bw_buf *out, int depth,
		  char **warn, struct bw_error *err)
{
	size_t n = 0;
	while (n < len && name_char(s[n]))
		n++;
	if (!n || !name_start(s[0]))
		return bw_error_set(err, BW_EINPUT, "invalid interpolation \"${%.*s}\"",
				    (int)(len > 80 ? 80 : len), s);
	const char *v = lookup(e, s, n);
	if (n == len) {
		if (!v) {
			if (warn && !*warn)
				*warn = bw_asprintf("variable %.*s is not set: an empty string is used",
						    (int)n, s);
			return 0;
		}
		return bw_buf_addstr(out, v)
			   ? bw_error_set(err, BW_ELIMIT, "an interpolated value passes %u bytes", MAX_VALUE)
			   : 0;
	}
	bool colon = s[n] == ':';
	size_t op = n + colon;
	if (op >= len || (s[op] != '-' && s[op] != '?' && s[op] != '+'))
		return bw_error_set(err, BW_EINPUT, "invalid interpolation \"${%.*s}\"",
				    (int)(len > 80 ? 80 : len), s);
	const char *arg = s + op + 1;
	size_t alen = len - op - 1;
	bool set = v && (!colon || *v);
	switch (s[op]) {
	case '-':
		if (set)
			return bw_buf_addstr(out, v)
				   ? bw_error_set(err, BW_ELIMIT, "an interpolated value passes %u bytes",
						  MAX_VALUE)
				   : 0;
		return interp(e, arg, alen, out, depth + 1, warn, err);
	case '+':
		if (set)
			return interp(e, arg, alen, out, depth + 1, warn, err);
		return 0;
	default: /* '?' */
		if (set)
			return bw_buf_addstr(out, v)
				   ? bw_error_set(err, BW_ELIMIT, "an interpolated value passes %u bytes",
						  MAX_VALUE)
				   : 0;
		return bw_error_set(err, BW_EINPUT, "required variable %.*s is missing a value%s%.*s", (int)n,
				    s, alen ? ": " : "", (int)(alen > 200 ? 200 : alen), arg);
	}
}

static int interp(const struct compose_env *e, const char *s, size_t len, struct bw_buf *out, int depth,
		  char **warn, struct bw_error *err)
{
	if (depth > MAX_NEST)
		return bw_error_set(err, BW_ELIMIT, "interpolation nested deeper than %d levels", MAX_NEST);
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && s[j] != '$')
			j++;
		if (j > i && bw_buf_add(out, s + i, j - i))
			return bw_error_set(err, BW_ELIMIT, "an interpolated value passes %u bytes",
					    MAX_VALUE);
		if (j >= len)
			break;
		/* s[j] == '$' */
		if (j + 1 < len && s[j + 1] == '$') {
			if (bw_buf_add(out, "$", 1))
				return bw_error_set(err, BW_ELIMIT, "an interpolated value passes %u bytes",
						    MAX_VALUE);
			i = j + 2;
			continue;
		}
		if (j + 1 < len && s[j + 1] == '{') {
			size_t k = j + 2;
			int level = 1;
			while (k < len) {
				if (s[k] == '$' && k + 1 < len && s[k + 1] == '{') {
					level++;
					k += 2;
					continue;
				}
				if (s[k] == '}' && --level == 0)
					break;
				k++;
			}
			if (k >= len)
				return bw_error_set(err, BW_EINPUT, "unterminated interpolation \"%.*s\"",
						    (int)(len - j > 80 ? 80 : len - j), s + j);
			int rc = braced(e, s + j + 2, k - j - 2, out, depth, warn, err);
			if (rc)
				return rc;
			i = k + 1;
			continue;
		}
		if (j + 1 < len && name_start(s[j + 1])) {
			size_t k = j + 1;
			while (k < len && name_char(s[k]))
				k++;
			int rc = braced(e, s + j + 1, k - j - 1, out, depth, warn, err);
			if (rc)
				return rc;
			i = k;
			continue;
		}
		/* a lone '$' stays */
		if (bw_buf_add(out, "$", 1))
			return bw_error_set(err, BW_ELIMIT, "an interpolated value passes %u bytes",
					    MAX_VALUE);
		i = j + 1;
	}
	return 0;
}

int compose_interpolate(const struct compose_env *e, const char *s, size_t len, char **out, char **warn,
			struct bw_error *err)
{
	struct bw_buf b;
	bw_buf_init(&b, MAX_VALUE);
	if (warn)
		*warn = NULL;
	int rc = interp(e, s, len, &b, 0, warn, err);
	if (rc) {
		bw_buf_release(&b);
		if (warn) {
			free(*warn);
			*warn = NULL;
		}
		return rc;
	}
	if (bw_buf_add(&b, "", 0)) {
		bw_buf_release(&b);
		if (warn) {
			free(*warn);
			*warn = NULL;
		}
		return bw_error_set(err, BW_ELIMIT, "an interpolated value passes %u bytes", MAX_VALUE);
	}
	*out = b.data ? bw_buf_detach(&b, NULL) : bw_strdup("");
	return 0;
}

/* ---- .env ---------------------------------------------------------------- */

static void env_set(struct compose_env *e, const char *name, size_t n, char *value)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->names = bw_realloc(e->names, e->cap * sizeof(*e->names));
		e->values = bw_realloc(e->values, e->cap * sizeof(*e->values));
	}
	e->names[e->n] = bw_strndup(name, n);
	e->values[e->n++] = value;
}

void compose_env_release(struct compose_env *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->names[i]);
		free(e->values[i]);
	}
	free(e->names);
	free(e->values);
	e->names = e->values = NULL;
	e->n = e->cap = 0;
}

int compose_env_load(struct compose_env *e, const char *path, struct bw_error *err)
{
	struct bw_buf b;
	bw_buf_init(&b, 4u << 20);
	struct bw_error e2 = BW_ERROR_INIT;
	if (bw_buf_read_file(&b, path, &e2)) {
		bw_buf_release(&b);
		if (e2.sys_errno == ENOENT || e2.sys_errno == ENOTDIR)
			return 0;
		*err = e2;
		return err->code;
	}
	int rc = 0, line = 0;
	const char *p = b.data ? b.data : "", *end = p + b.len;
	while (p < end && !rc) {
		line++;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *s = p, *le = eol;
		p = eol + (eol < end);
		while (s < le && (*s == ' ' || *s == '\t'))
			s++;
		while (le > s && (le[-1] == '\r' || le[-1] == ' ' || le[-1] == '\t'))
			le--;
		if (s == le || *s == '#')
			continue;
		if ((size_t)(le - s) > 7 && !memcmp(s, "export ", 7))
			s += 7;
		const char *name = s;
		while (s < le && name_char(*s))
			s++;
		size_t nlen = (size_t)(s - name);
		while (s < le && (*s == ' ' || *s == '\t'))
			s++;
		if (!nlen || !name_start(*name) || s >= le || *s != '=') {
			rc = bw_error_set(err, BW_EINPUT, "%s:%d: not a NAME=VALUE line", path, line);
			break;
		}
		s++;
		while (s < le && (*s == ' ' || *s == '\t'))
			s++;
		char *value = NULL;
		struct bw_error ie = BW_ERROR_INIT;
		if (s < le && *s == '\'') {
			const char *q = memchr(s + 1, '\'', (size_t)(le - s - 1));
			if (!q) {
				rc = bw_error_set(err, BW_EINPUT, "%s:%d: unterminated quote", path, line);
				break;
			}
			value = bw_strndup(s + 1, (size_t)(q - s - 1));
		} else if (s < le && *s == '"') {
			struct bw_buf v;
			bw_buf_init(&v, MAX_VALUE);
			const char *q = s + 1;
			for (; q < le && *q != '"'; q++) {
				char c = *q;
				if (c == '\\' && q + 1 < le) {
					c = *++q;
					c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
				}
				bw_buf_add(&v, &c, 1);
			}
			if (q >= le) {
				bw_buf_release(&v);
				rc = bw_error_set(err, BW_EINPUT, "%s:%d: unterminated quote", path, line);
				break;
			}
			rc = compose_interpolate(e, v.data ? v.data : "", v.len, &value, NULL, &ie);
			bw_buf_release(&v);
		} else {
			const char *ve = s;
			while (ve < le && !(*ve == '#' && ve > s && (ve[-1] == ' ' || ve[-1] == '\t')))
				ve++;
			while (ve > s && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			rc = compose_interpolate(e, s, (size_t)(ve - s), &value, NULL, &ie);
		}
		if (rc) {
			rc = bw_error_set(err, ie.code, "%s:%d: %s", path, line, ie.msg);
			break;
		}
		env_set(e, name, nlen, value);
	}
	bw_buf_release(&b);
	return rc;
}
