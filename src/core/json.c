/* Bounded JSON: jansson's parser with a budget on the heap its tree takes,
 * and a splitter that hands out a JSON array's elements one at a time so
 * that a large array is never one tree. */
#include <jansson.h>
#include <malloc.h>
#include <pthread.h>

#include "core.h"

/* The parse being counted in this thread, if any. jansson allocates with
 * malloc and frees with free only (no realloc), so the live bytes of the
 * tree are the sum of malloc_usable_size of what it holds; the lexer's
 * temporaries freed during the parse are subtracted as they go. */
static _Thread_local struct {
	bool on, over;
	size_t used, max, last;
} budget;

static void *tree_malloc(size_t n)
{
	if (!budget.on)
		return malloc(n);
	if (budget.over || n > budget.max - budget.used) {
		budget.over = true;
		return NULL;
	}
	void *p = malloc(n);
	if (!p)
		return NULL;
	size_t got = malloc_usable_size(p);
	if (got > budget.max - budget.used) {
		free(p);
		budget.over = true;
		return NULL;
	}
	budget.used += got;
	return p;
}

static void tree_free(void *p)
{
	if (p && budget.on) {
		size_t got = malloc_usable_size(p);
		budget.used -= got < budget.used ? got : budget.used;
	}
	free(p);
}

static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void install(void)
{
	json_set_alloc_funcs(tree_malloc, tree_free);
}

json_t *bw_json_loadb(const char *data, size_t len, size_t flags, size_t max_tree, struct json_error_t *je,
		      bool *too_big)
{
	pthread_once(&install_once, install);
	budget.on = true;
	budget.over = false;
	budget.used = 0;
	budget.max = max_tree;
	json_t *j = json_loadb(data ? data : "", len, flags, je);
	bool over = budget.over;
	budget.on = false;
	if (over && j) {
		/* a parse that recovered from a refused allocation is not trusted */
		json_decref(j);
		j = NULL;
	}
	if (too_big)
		*too_big = over;
	budget.last = j ? budget.used : 0;
	return j;
}

size_t bw_json_last_tree(void)
{
	return budget.last;
}

static size_t skip_ws(const char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
		i++;
	return i;
}

/* The end (one past) of the value starting at p[i], or 0 when it does not
 * end inside p[0..n). */
static size_t value_end(const char *p, size_t n, size_t i)
{
	size_t depth = 0;
	bool in_str = false, esc = false;
	if (p[i] != '{' && p[i] != '[' && p[i] != '"') {
		/* a number or a literal: up to the next delimiter */
		while (i < n && p[i] != ',' && p[i] != ']' && p[i] != '}' && p[i] != ' ' && p[i] != '\n' &&
		       p[i] != '\r' && p[i] != '\t')
			i++;
		return i;
	}
	for (; i < n; i++) {
		char c = p[i];
		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"') {
				in_str = false;
				if (depth == 0)
					return i + 1;
			}
			continue;
		}
		if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return 0;
			if (--depth == 0)
				return i + 1;
		}
	}
	return 0;
}

int bw_json_array_next(const char *p, size_t n, size_t *pos, struct bw_slice *elem)
{
	size_t i = *pos;
	if (i == 0) {
		if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
			i = 3;
		i = skip_ws(p, n, i);
		if (i >= n || p[i] != '[')
			return -1;
		i = skip_ws(p, n, i + 1);
		if (i < n && p[i] == ']')
			goto closed;
	} else {
		i = skip_ws(p, n, i);
		if (i < n && p[i] == ']')
			goto closed;
		if (i >= n || p[i] != ',')
			return -1;
		i = skip_ws(p, n, i + 1);
	}
	if (i >= n || p[i] == ',' || p[i] == ']')
		return -1;
	size_t end = value_end(p, n, i);
	if (end == 0 || end == i)
		return -1;
	elem->ptr = p + i;
	elem->len = end - i;
	*pos = end;
	return 1;
closed:
	*pos = n;
	return skip_ws(p, n, i + 1) == n ? 0 : -1;
}
