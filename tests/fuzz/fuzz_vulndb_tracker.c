/* libFuzzer harness: the Debian security tracker DSA/DLA list parser. */
#include "vulndb/vulndb.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bw_vulndb_import_stats st;
	memset(&st, 0, sizeof(st));
	struct bw_error err = BW_ERROR_INIT;
	int n = bw_vulndb_check_tracker(data, size, &st, &err);
	if (n < 0 || (size_t)n != st.records)
		abort();
	return 0;
}
