/* --format compact: one line a finding, the way gcc and Hadolint print
 * them, for editors, grep and CI logs:
 *
 *     Dockerfile:3:5: medium BW-DF-052 apt-get install without --no-install-recommends
 *     alpine.tar:usr/lib/libssl.so.3: high CVE-2024-0001 title in openssl 3.1 (fixed in 3.2)
 *     alpine.tar:sha256:ab12…: high BW-IMG-001 title
 *
 * A finding with a line: FILE:LINE:COL (COL 1 when unknown); of an image:
 * IMAGE:PATH (and :LINE:COL when known), else IMAGE:LAYER; of a host or an
 * engine: TARGET[:CONTAINER]. Every
 * string is shown through bw_report_put_text: no control byte reaches the
 * terminal, and a line never breaks. The severity is lower case (gcc's
 * "error:"/"warning:" place). Suppressed findings only with
 * --show-suppressed, marked "(suppressed)". */
#include "report-int.h"

static void lower(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(bw_tolower((unsigned char)*s), out);
}

int bw_report_write_compact(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
			    struct bw_error *err)
{
	struct bw_buf m;
	bw_buf_init(&m, 1 << 20);
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct bw_finding *f = &r->findings[i];
		if (!bw_report_finding_listed(f, opts))
			continue;
		const struct bw_location *l = &f->location;
		bool image = r->target.type && strcmp(r->target.type, "image") == 0;
		if (image) {
			/* IMAGE:path[:line:col], else IMAGE:layer */
			bw_report_put_text(out, r->target.name ? r->target.name : "-", SIZE_MAX, 0);
			const char *where = l->path ? l->path : l->layer;
			if (where) {
				fputc(':', out);
				bw_report_put_text(out, where, SIZE_MAX, 0);
			}
			if (l->path && l->line > 0)
				fprintf(out, ":%d:%d", l->line, l->column > 0 ? l->column : 1);
		} else if (l->path && l->line > 0) {
			bw_report_put_text(out, l->path, SIZE_MAX, 0);
			fprintf(out, ":%d:%d", l->line, l->column > 0 ? l->column : 1);
		} else if (l->path) {
			bw_report_put_text(out, l->path, SIZE_MAX, 0);
		} else {
			bw_report_put_text(out, r->target.name ? r->target.name : "-", SIZE_MAX, 0);
			if (l->container) {
				fputc(':', out);
				bw_report_put_text(out, l->container, SIZE_MAX, 0);
			}
		}
		fputs(": ", out);
		lower(out, bw_severity_name(f->severity));
		fputc(' ', out);
		bw_report_put_text(out, f->id ? f->id : "unknown", SIZE_MAX, 0);
		fputc(' ', out);
		bw_buf_reset(&m);
		bw_report_finding_message(f, &m);
		bw_report_put_text(out, m.data, SIZE_MAX, 0);
		if (f->status == BW_STATUS_SUPPRESSED)
			fputs(" (suppressed)", out);
		fputc('\n', out);
	}
	bw_buf_release(&m);
	if (ferror(out))
		return bw_error_sys(err, BW_EIO, "writing the report failed");
	return 0;
}
