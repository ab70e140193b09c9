/* The secret row: the secret job's analyzer on the walk (every regular
 * file, streamed), then the findings of every layer and of the image
 * configuration. */
#include "scan-int.h"
#include "secret/secret.h"

static int secret_begin(struct bw_scan *s, void **state, struct bw_error *err)
{
	struct bw_secret_job *j;
	int rc = bw_secret_job_new(s->opts->secret_config, s->cache, &j, err);
	if (rc < 0)
		return rc;
	*state = j;
	const struct bw_analyzer *an = bw_secret_job_analyzer(j);
	return bw_scan_add_analyzers(s, &an, 1, err);
}

static int secret_finish(struct bw_scan *s, void *state, struct bw_image *img, struct bw_report *r,
			 struct bw_error *err)
{
	return bw_secret_job_report(state, img, r, err);
}

static void secret_free(void *state)
{
	bw_secret_job_free(state);
}

const struct bw_scanner bw_scan_row_secret = {
    .name = "secret",
    .flag = BW_SCAN_SECRET,
    .begin = secret_begin,
    .finish = secret_finish,
    .free = secret_free,
};
