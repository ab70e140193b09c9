/* Differential-test oracle: dpkg's own version parser and comparison
 * (libdpkg from Debian's libdpkg-dev). Reads A<TAB>B lines, writes -1, 0, 1
 * or "invalid" (when parseversion() reports an error or a warning for
 * either side), like `bulwark vercmp deb --batch`. */
#define LIBDPKG_VOLATILE_API 1
#include <dpkg/dpkg.h>
#include <dpkg/version.h>
#include <dpkg/dpkg-db.h>
#include <dpkg/error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse(struct dpkg_version *v, const char *s)
{
	struct dpkg_error err = DPKG_ERROR_INIT;
	int rc = parseversion(v, s, &err);
	dpkg_error_destroy(&err);
	return rc;
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = 0;
		char *tab = strchr(line, '\t');
		struct dpkg_version a, b;
		if (!tab) {
			puts("invalid");
			continue;
		}
		*tab = 0;
		if ((size_t)n != strlen(line) + 1 + strlen(tab + 1) || parse(&a, line) < 0 ||
		    parse(&b, tab + 1) < 0) {
			puts("invalid");
			continue;
		}
		int r = dpkg_version_compare(&a, &b);
		puts(r < 0 ? "-1" : r > 0 ? "1" : "0");
	}
	free(line);
	return 0;
}
