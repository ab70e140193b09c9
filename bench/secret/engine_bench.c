/* Engine throughput: every file under DIR read into memory, then scanned by
 * one thread with the built-in rules (and the --secret-config file argv[2]) (Vectorscan prefilter + PCRE2
 * confirmation), three times; prints MB/s of the best run and the matches.
 * Built and run by bench/secret/run.sh. */
#include "secret/secret.h"

#include <ftw.h>

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
	double tc = bw_now() - t0, best = 1e9;
	uint64_t matches = 0;
	for (int run = 0; run < 3; run++) {
		struct bw_secret_scanner *s = bw_secret_scanner_new(r);
		matches = 0;
		double t = bw_now();
		for (size_t i = 0; i < n_files; i++) {
			bw_secret_scan_begin(s, "/bench", &err);
			/* 128 KiB chunks, as the layer walker delivers them */
			for (size_t o = 0; o < files[i].len; o += 128u << 10) {
				size_t n = files[i].len - o < (128u << 10) ? files[i].len - o : (128u << 10);
				bw_secret_scan_chunk(s, files[i].data + o, n, count, &matches, &err);
			}
			bw_secret_scan_end(s, count, &matches, &err);
		}
		t = bw_now() - t;
		if (t < best)
			best = t;
		bw_secret_scanner_free(s);
	}
	printf("rules %zu, compile %.3f s, files %zu, bytes %llu, best %.3f s, %.0f MB/s per core, matches "
	       "%llu\n",
	       bw_secret_rules_count(r), tc, n_files, (unsigned long long)total, best, total / best / 1e6,
	       (unsigned long long)matches);
	bw_secret_rules_free(r);
	return 0;
}
