/* Path classification: how long the inventory takes to decide what a file is
 * (inv_classify, called by the walker for every regular file of every
 * layer), over a listing of real images (classify_paths.py) held in memory.
 *   classify_bench PATHS [REPS]     time REPS passes (default 300), best of 5
 *   classify_bench --print PATHS    "KIND MODE SIZE PATH" for every line
 * The time is the thread's CPU time, so a busy machine skews it little.
 * Built against one build's libbulwark.a by bench/inventory/classify.sh. */
#include <time.h>

#include "inventory/inventory-int.h"

struct entry {
	char *path;
	uint32_t mode;
	uint64_t size;
};

static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct entry *load(const char *file, size_t *n)
{
	FILE *f = fopen(file, "r");
	if (!f) {
		perror(file);
		exit(3);
	}
	struct entry *e = NULL;
	size_t cap = 0;
	*n = 0;
	char line[8192];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *end;
		unsigned long mode = strtoul(line, &end, 8);
		if (*end != ' ')
			continue;
		unsigned long long size = strtoull(end + 1, &end, 10);
		if (*end != ' ')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			e = bw_realloc(e, cap * sizeof(*e));
		}
		e[(*n)++] = (struct entry){bw_strdup(end + 1), (uint32_t)mode, size};
	}
	fclose(f);
	return e;
}

int main(int argc, char **argv)
{
	bool print = argc > 1 && strcmp(argv[1], "--print") == 0;
	if (argc < 2 + print) {
		fprintf(stderr, "usage: classify_bench [--print] PATHS [REPS]\n");
		return 2;
	}
	size_t n;
	struct entry *e = load(argv[1 + print], &n);
	if (print) {
		for (size_t i = 0; i < n; i++)
			printf("%d %o %llu %s\n", (int)inv_classify(e[i].path, e[i].mode, e[i].size),
			       e[i].mode, (unsigned long long)e[i].size, e[i].path);
		return 0;
	}
	long reps = argc > 2 ? strtol(argv[2], NULL, 10) : 300;
	unsigned long sum = 0;
	double best = 1e30;
	for (int run = 0; run < 5; run++) {
		double t0 = cpu_now();
		for (long r = 0; r < reps; r++)
			for (size_t i = 0; i < n; i++)
				sum += (unsigned)inv_classify(e[i].path, e[i].mode, e[i].size);
		double t = cpu_now() - t0;
		if (t < best)
			best = t;
	}
	double calls = (double)n * (double)reps;
	printf("%zu paths x %ld: best %.3f s, %.1f ns/path, %.1f M paths/s (checksum %lu)\n", n, reps, best,
	       best / calls * 1e9, calls / best / 1e6, sum);
	for (size_t i = 0; i < n; i++)
		free(e[i].path);
	free(e);
	return 0;
}
