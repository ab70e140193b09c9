/* libFuzzer: the enrichment documents of `db import`, EPSS CSV and the CISA
 * KEV catalog, imported into a real database (one file for the run: each
 * document replaces the table it feeds, so it does not grow). The first
 * byte chooses: even, an EPSS file (the bytes after it, given the CSV
 * header unless they start with a '#model_version' line); odd, a KEV
 * catalog whose "vulnerabilities" value is the bytes after it. An import
 * that succeeds stored something; one that fails fails as bad input. */
#include "vulndb/vulndb.h"

#include <sys/mman.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bw_vulndb *db;
static char dir[] = "/tmp/bw-fuzz-enrich-XXXXXX", *path;

static void clean_up(void)
{
	bw_vulndb_close(db);
	unlink(path);
	free(path);
	rmdir(dir);
}

static void open_db(void)
{
	if (!mkdtemp(dir))
		abort();
	path = bw_asprintf("%s/db.sqlite", dir);
	struct bw_error err = BW_ERROR_INIT;
	if (bw_vulndb_open(path, BW_VULNDB_WRITE, &db, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		abort();
	}
	atexit(clean_up);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (!db)
		open_db();
	struct bw_buf b;
	bw_buf_init(&b, (size_t)1 << 24);
	const char *body = (const char *)data + 1;
	size_t n = size - 1;
	if (data[0] % 2 == 0) {
		if (!(n >= 14 && memcmp(body, "#model_version", 14) == 0))
			bw_buf_addstr(&b, "cve,epss,percentile\n");
		bw_buf_add(&b, body, n);
	} else {
		bw_buf_addstr(&b, "{\"catalogVersion\":\"2025.08.25\",\"vulnerabilities\":");
		bw_buf_add(&b, body, n);
		bw_buf_addstr(&b, "}");
	}
	int fd = memfd_create("fuzz-enrich", 0);
	if (fd >= 0 && write(fd, b.data, b.len) == (ssize_t)b.len) {
		char input[64];
		snprintf(input, sizeof(input), "/proc/self/fd/%d", fd);
		const char *paths[] = {input};
		struct bw_vulndb_import_stats st;
		struct bw_error err = BW_ERROR_INIT;
		int rc = bw_vulndb_import(db, paths, 1, &st, &err);
		if (rc != 0 && rc != BW_EINPUT && rc != BW_ELIMIT) {
			fprintf(stderr, "import: %s\n", err.msg);
			abort();
		}
		if (rc == 0 && st.kev + st.epss + st.inserted + st.updated + st.unchanged + st.cves == 0)
			abort();
	}
	if (fd >= 0)
		close(fd);
	bw_buf_release(&b);
	return 0;
}
