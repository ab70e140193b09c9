/* The secret scanner's row of the scan pipeline (src/scan/scanners.c):
 * a thin adapter from struct bw_scanner to the job API of secret.h. It is
 * the one file of src/secret that knows the scan module. */
#include "scan/scan.h"
#include "secret.h"

static int secret_begin(struct bw_scan *s, void **state, struct bw_error *err)
{
	struct bw_secret_job *j;
	int rc = bw_secret_job_new(bw_scan_options(s)->secret_config, &j, err);
	if (rc < 0)
		return rc;
	bw_scan_add_analyzer(s, bw_secret_job_analyzer(j));
	*state = j;
	return 0;
}

static int secret_finish(struct bw_scan *s, void *state, struct bw_image *img, struct bw_report *r,
			 struct bw_error *err)
{
	(void)s;
	return bw_secret_job_report(state, img, r, err);
}

static void secret_free(void *state)
{
	bw_secret_job_free(state);
}

const struct bw_scanner bw_scanner_secret = {
    .name = "secret",
    .flag = BW_SCAN_SECRET,
    .begin = secret_begin,
    .finish = secret_finish,
    .free = secret_free,
};
