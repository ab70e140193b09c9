/* Comparisons per second per scheme, on one core. Pairs come from the file
 * given as argv[2] for argv[1]'s scheme (A<TAB>B lines; invalid pairs are
 * dropped). Time is this thread's CPU time, so other load on the machine
 * does not skew the rate. Prints "scheme pairs comparisons-per-cpu-second". */
#include <stdio.h>
#include <time.h>

#include "version/version.h"

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_vercmp SCHEME PAIRS.tsv [SECONDS]\n");
		return 2;
	}
	int scheme = bw_version_scheme_parse(argv[1]);
	if (scheme < 0)
		return 2;
	double secs = argc > 3 ? strtod(argv[3], NULL) : 1.0;
	FILE *f = fopen(argv[2], "r");
	if (!f)
		return 3;
	size_t n = 0, cap = 1024;
	struct bw_slice *a = malloc(cap * sizeof *a), *b = malloc(cap * sizeof *b);
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	while ((len = getline(&line, &lcap, f)) > 0) {
		if (line[0] == '#')
			continue;
		if (line[len - 1] == '\n')
			line[--len] = 0;
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		char *t2 = strchr(tab + 1, '\t');
		if (t2)
			*t2 = 0;
		*tab = 0;
		struct bw_error err = BW_ERROR_INIT;
		int c;
		if (bw_version_compare(scheme, bw_slice_of(line), bw_slice_of(tab + 1), &c, &err) < 0)
			continue; /* only valid pairs */
		if (n == cap) {
			cap *= 2;
			a = realloc(a, cap * sizeof *a);
			b = realloc(b, cap * sizeof *b);
		}
		a[n] = bw_slice_of(strdup(line));
		b[n] = bw_slice_of(strdup(tab + 1));
		n++;
	}
	fclose(f);
	free(line);
	if (!n)
		return 3;
	long long done = 0;
	volatile int sink = 0;
	double t0 = cpu_now(), t;
	struct bw_error err = BW_ERROR_INIT; /* reused, as a caller in a loop would */
	do {
		for (size_t i = 0; i < n; i++) {
			int c = 0;
			bw_version_compare(scheme, a[i], b[i], &c, &err);
			sink += c;
		}
		done += (long long)n;
	} while ((t = cpu_now() - t0) < secs);
	printf("%s\t%zu\t%.0f\n", argv[1], n, (double)done / t);
	return 0;
}
