/* The ignore file (.bulwarkignore, and Trivy's .trivyignore line syntax).
 *
 * Line-oriented UTF-8 text, one entry a line:
 *
 *     # comment: the reason of the entry right below, unless it has its own
 *     ID [exp:YYYY-MM-DD] [SCOPE ...] [# reason]
 *
 * Blank lines separate comments from entries. Tokens are separated by
 * spaces or tabs; "#" starts a comment only at the start of a token. CR
 * before LF is dropped, a UTF-8 byte-order mark at the start is skipped.
 * Malformed input (a bad date, two expiries, a control character, a line
 * over BW_SUPPRESS_MAX_LINE, an id with characters no finding id has)
 * fails the whole file, naming file and line.
 */
#include <errno.h>
#include <fcntl.h>

#include "suppress-int.h"

static bool id_char(unsigned char c)
{
	return bw_isalnum(c) || strchr("-_.:/@+", c) != NULL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Trim spaces and tabs at both ends of [*p, *p + *n). */
static void trim(const char **p, size_t *n)
{
	while (*n && is_blank(**p))
		(*p)++, (*n)--;
	while (*n && is_blank((*p)[*n - 1]))
		(*n)--;
}

static int parse_line(struct bw_suppress *s, const char *name, long lineno, const char *p, size_t n,
		      const char *pending, struct bw_error *err)
{
	/* the reason: from the first token that starts with '#' */
	const char *reason = NULL;
	size_t rlen = 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '#' && (i == 0 || is_blank(p[i - 1]))) {
			reason = p + i + 1;
			rlen = n - i - 1;
			n = i;
			break;
		}
	trim(&p, &n);
	if (reason)
		trim(&reason, &rlen);

	struct bw_suppress_entry *e = bw_suppress_entry_add(s);
	e->file = name;
	e->line = lineno;
	const char **scopes = NULL;
	size_t n_scopes = 0;
	size_t i = 0;
	bool first = true;
	while (i < n) {
		size_t j = i;
		while (j < n && !is_blank(p[j]))
			j++;
		const char *t = p + i;
		size_t tl = j - i;
		if (first) {
			for (size_t k = 0; k < tl; k++)
				if (!id_char((unsigned char)t[k])) {
					free(scopes);
					return bw_error_set(err, BW_EINPUT,
							    "%s:%ld: '%.*s' is not a finding id (letters, "
							    "digits and -_.:/@+)",
							    name, lineno, (int)(tl > 64 ? 64 : tl), t);
				}
			if (tl >= 4 && strncmp(t, "exp:", 4) == 0) {
				free(scopes);
				return bw_error_set(
				    err, BW_EINPUT,
				    "%s:%ld: an entry starts with the id it ignores, not exp:", name, lineno);
			}
			e->id = bw_arena_strndup(&s->arena, t, tl);
			first = false;
		} else if (tl >= 4 && strncmp(t, "exp:", 4) == 0) {
			long d = bw_suppress_parse_date(t + 4, tl - 4);
			if (d < 0 || e->expires >= 0) {
				free(scopes);
				return bw_error_set(err, BW_EINPUT,
						    "%s:%ld: %s '%.*s' (expected one exp:YYYY-MM-DD)", name,
						    lineno, d < 0 ? "bad expiry date" : "second expiry",
						    (int)(tl > 64 ? 64 : tl), t);
			}
			e->expires = d;
		} else {
			scopes = bw_realloc(scopes, (n_scopes + 1) * sizeof(*scopes));
			scopes[n_scopes++] = bw_arena_strndup(&s->arena, t, tl);
		}
		i = j;
		while (i < n && is_blank(p[i]))
			i++;
	}
	if (n_scopes) {
		e->scopes = bw_arena_alloc(&s->arena, n_scopes * sizeof(*e->scopes));
		memcpy(e->scopes, scopes, n_scopes * sizeof(*scopes));
		e->n_scopes = n_scopes;
	}
	free(scopes);
	if (!reason || !rlen) {
		reason = pending;
		rlen = pending ? strlen(pending) : 0;
	}
	char *why = bw_asprintf("%s:%ld: %.*s", name, lineno, (int)(rlen ? rlen : 17),
				rlen ? reason : "no reason given");
	e->reason = bw_arena_strdup(&s->arena, why);
	free(why);
	return 0;
}

int bw_suppress_add_ignore(struct bw_suppress *s, const char *name, const char *data, size_t len,
			   struct bw_error *err)
{
	size_t keep = s->n_entries;
	name = bw_arena_strdup(&s->arena, name);
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		data += 3, len -= 3;
	if (!bw_utf8_valid(data, len))
		return bw_error_set(err, BW_EINPUT, "%s: not UTF-8 text", name);
	char *pending = NULL; /* the last comment line, the reason of the next entry */
	long lineno = 0;
	int rc = 0;
	for (size_t pos = 0; pos < len;) {
		lineno++;
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
		const char *p = data + pos;
		pos += n + (nl ? 1 : 0);
		if (n && p[n - 1] == '\r')
			n--;
		if (n > BW_SUPPRESS_MAX_LINE) {
			rc = bw_error_set(err, BW_EINPUT, "%s:%ld: line longer than %u bytes", name, lineno,
					  BW_SUPPRESS_MAX_LINE);
			break;
		}
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] < 0x20 && p[i] != '\t') {
				rc = bw_error_set(err, BW_EINPUT, "%s:%ld: control character 0x%02x", name,
						  lineno, (unsigned char)p[i]);
				break;
			}
		if (rc)
			break;
		trim(&p, &n);
		if (!n) {
			free(pending);
			pending = NULL;
			continue;
		}
		if (*p == '#') {
			p++, n--;
			trim(&p, &n);
			free(pending);
			pending = n ? bw_strndup(p, n) : NULL;
			continue;
		}
		rc = parse_line(s, name, lineno, p, n, pending, err);
		free(pending);
		pending = NULL;
		if (rc)
			break;
	}
	free(pending);
	if (rc)
		bw_suppress_truncate(s, keep);
	return rc;
}

int bw_suppress_load_ignore(struct bw_suppress *s, const char *path, bool missing_ok, struct bw_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (missing_ok && errno == ENOENT)
			return 0;
		return bw_error_sys(err, BW_EIO, "cannot read the ignore file %s", path);
	}
	struct bw_buf b;
	bw_buf_init(&b, BW_SUPPRESS_MAX_FILE);
	int rc = bw_buf_read_fd(&b, fd, path, err);
	close(fd);
	size_t pl = strlen(path);
	bool yaml = (pl >= 5 && strcmp(path + pl - 5, ".yaml") == 0) ||
		    (pl >= 4 && strcmp(path + pl - 4, ".yml") == 0);
	if (!rc && yaml)
		rc = bw_suppress_add_ignore_yaml(s, path, b.data ? b.data : "", b.len, err);
	else if (!rc)
		rc = bw_suppress_add_ignore(s, path, b.data ? b.data : "", b.len, err);
	bw_buf_release(&b);
	return rc;
}
