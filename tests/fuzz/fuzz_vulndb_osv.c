/* libFuzzer harness: the OSV record parser of `db import` (and the other
 * formats import recognises from a file's content: record arrays, Alpine
 * secdb, KEV, DSA/DLA lists, NVD documents split as they stream, NVD CVE
 * objects, CVE JSON 5 records), with the CVSS vectors it scores. */
#include "vulndb/vulndb.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bw_vulndb_import_stats st;
	memset(&st, 0, sizeof(st));
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_vulndb_check_osv(data, size, &st, &err);
	if (rc != 0 && rc != BW_EINPUT)
		abort();
	if (st.n_samples > BW_VULNDB_SAMPLES || st.inserted != 0)
		abort();
	/* the vector scorer on the raw bytes too */
	char vec[256];
	size_t n = size < sizeof(vec) - 1 ? size : sizeof(vec) - 1;
	memcpy(vec, data, n);
	vec[n] = '\0';
	double score;
	int major;
	if (bw_cvss_base_score(vec, &score, &major, NULL) == 0 && !(score >= 0 && score <= 10))
		abort();
	return 0;
}
