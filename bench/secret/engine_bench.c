/* Engine throughput: every file under DIR read into memory, then scanned by
 * one thread with the built-in rules (and the --secret-config file argv[2]),
 * in 128 KiB chunks as the layer walker delivers them, five times each:
 *   prefilter  the Vectorscan pass alone (bw_secret_prefilter_buffer), the
 *              figure the 1 GB/s-per-core target is about;
 *   engine     the whole scanner: window, prefilter, PCRE2 confirmation,
 *              lines and columns, allow-lists.
 * MB/s are of the best run, on the thread's CPU time (so a busy machine
 * does not lower them much) and on wall time. Built and run by
 * bench/secret/run.sh. */
#include <ftw.h>
#include <time.h>

#include "secret/secret.h"

static struct bw_buf *files;
static size_t n_files, cap_files;
static uint64_t total;

static int add(const char *p, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	if (n_files == cap_files) {
		cap_files = cap_files ? cap_files * 2 : 1024;
		files = bw_realloc(files, cap_files * sizeof(*files));
	}
	struct bw_error err = BW_ERROR_INIT;
	bw_buf_init(&files[n_files], 1ull << 30);
	if (bw_buf_read_file(&files[n_files], p, &err) == 0) {
		total += files[n_files].len;
		n_files++;
	} else {
		bw_buf_release(&files[n_files]);
	}
	return 0;
}

static int count(void *ud, const struct bw_secret_match *m)
{
	(void)m;
	(*(uint64_t *)ud)++;
	return 0;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define CHUNK (128u << 10)
#define RUNS 5

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	nftw(argv[1], add, 64, FTW_PHYS);
	struct bw_secret_rules *r;
	struct bw_error err = BW_ERROR_INIT;
	double t0 = bw_now();
	if (bw_secret_rules_new(argc > 2 ? argv[2] : NULL, &r, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	double tc = bw_now() - t0;
	printf("rules %zu, compile %.3f s, files %zu, bytes %llu\n", bw_secret_rules_count(r), tc, n_files,
	       (unsigned long long)total);
	struct bw_secret_scanner *s = bw_secret_scanner_new(r);

	double best_cpu = 1e9, best_wall = 1e9;
	uint64_t cands = 0;
	for (int run = 0; run < RUNS; run++) {
		double c = cpu_now(), w = bw_now();
		cands = 0;
		for (size_t i = 0; i < n_files; i++) {
			uint64_t n = 0;
			if (bw_secret_prefilter_buffer(s, files[i].data, files[i].len, CHUNK, &n, &err) < 0) {
				fprintf(stderr, "%s\n", err.msg);
				return 1;
			}
			cands += n;
		}
		c = cpu_now() - c;
		w = bw_now() - w;
		best_cpu = c < best_cpu ? c : best_cpu;
		best_wall = w < best_wall ? w : best_wall;
	}
	printf("prefilter: best %.3f s CPU (%.0f MB/s per core), %.3f s wall (%.0f MB/s), candidates %llu\n",
	       best_cpu, total / best_cpu / 1e6, best_wall, total / best_wall / 1e6,
	       (unsigned long long)cands);

	best_cpu = best_wall = 1e9;
	uint64_t matches = 0;
	for (int run = 0; run < RUNS; run++) {
		matches = 0;
		double c = cpu_now(), w = bw_now();
		for (size_t i = 0; i < n_files; i++) {
			bw_secret_scan_begin(s, "/bench", &err);
			for (size_t o = 0; o < files[i].len; o += CHUNK) {
				size_t n = files[i].len - o < CHUNK ? files[i].len - o : CHUNK;
				bw_secret_scan_chunk(s, files[i].data + o, n, count, &matches, &err);
			}
			bw_secret_scan_end(s, count, &matches, &err);
		}
		c = cpu_now() - c;
		w = bw_now() - w;
		best_cpu = c < best_cpu ? c : best_cpu;
		best_wall = w < best_wall ? w : best_wall;
	}
	printf("engine:    best %.3f s CPU (%.0f MB/s per core), %.3f s wall (%.0f MB/s), matches %llu\n",
	       best_cpu, total / best_cpu / 1e6, best_wall, total / best_wall / 1e6,
	       (unsigned long long)matches);
	bw_secret_scanner_free(s);
	bw_secret_rules_free(r);
	return 0;
}
