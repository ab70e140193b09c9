/* Reader of secretname.cases (the format is explained at its head), for
 * the runners that walk it: core's own, and lint's and imgcheck's, which
 * check that their rules give the table's verdict on every line. */
#ifndef BW_TEST_SECRETNAME_CASES_H
#define BW_TEST_SECRETNAME_CASES_H

#include "core/core.h"

struct secretname_case {
	int line;
	const char *name, *value; /* %% removed */
	const char *verdict;	  /* "secret", "key" or "not" */
};

/* Remove every "%%" of s, in place. */
static inline void secretname_unsplit(char *s)
{
	char *w = s;
	for (const char *r = s; *r;) {
		if (r[0] == '%' && r[1] == '%') {
			r += 2;
			continue;
		}
		*w++ = *r++;
	}
	*w = 0;
}

/* The next blank-separated field of *p ("…" quoted: without the quotes),
 * NUL-terminated in place; NULL at the end of the line, at a comment, or
 * at an unterminated quote. */
static inline char *secretname_field(char **p)
{
	char *s = *p;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '#')
		return NULL;
	char *e;
	if (*s == '"') {
		e = strchr(++s, '"');
		if (!e)
			return NULL;
	} else {
		e = s + strcspn(s, " \t");
	}
	*p = *e ? e + 1 : e;
	*e = 0;
	return s;
}

/* Call fn on every case of the file at path. Returns the number of cases,
 * or -1 (with *bad_line set) when the file cannot be read or a line is not
 * NAME VALUE VERDICT with a known verdict. */
static inline int secretname_cases_each(const char *path,
					void (*fn)(void *ud, const struct secretname_case *c), void *ud,
					int *bad_line)
{
	FILE *f = fopen(path, "r");
	*bad_line = 0;
	if (!f)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, n = 0;
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		line[strcspn(line, "\n")] = 0;
		char *p = line;
		char *name = secretname_field(&p);
		if (!name)
			continue;
		char *value = secretname_field(&p), *verdict = secretname_field(&p);
		if (!value || !verdict || secretname_field(&p) ||
		    (strcmp(verdict, "secret") && strcmp(verdict, "key") && strcmp(verdict, "not"))) {
			*bad_line = lineno;
			n = -1;
			break;
		}
		secretname_unsplit(name);
		secretname_unsplit(value);
		fn(ud, &(struct secretname_case){lineno, name, value, verdict});
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

#endif
