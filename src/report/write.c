/* Dispatch of report writers: one explicit table. */
#include "report-int.h"

static const struct {
	enum bw_format format;
	bw_report_writer_fn *write;
} writers[] = {
    {BW_FORMAT_TABLE, bw_report_write_table},	  {BW_FORMAT_JSON, bw_report_write_json},
    {BW_FORMAT_SARIF, bw_report_write_sarif},	  {BW_FORMAT_CYCLONEDX, bw_report_write_cyclonedx},
    {BW_FORMAT_SPDX, bw_report_write_spdx},	  {BW_FORMAT_JUNIT, bw_report_write_junit},
    {BW_FORMAT_GITLAB, bw_report_write_gitlab},	  {BW_FORMAT_GITLAB_CODEQUALITY, bw_report_write_codequality},
    {BW_FORMAT_COMPACT, bw_report_write_compact}, {BW_FORMAT_HTML, bw_report_write_html},
};

int bw_report_write(const struct bw_report *r, enum bw_format fmt, FILE *out,
		    const struct bw_write_opts *opts, struct bw_error *err)
{
	for (size_t i = 0; i < BW_ARRAY_SIZE(writers); i++) {
		if (writers[i].format != fmt)
			continue;
		/* a terminal gets no control bytes, jansson no invalid UTF-8 */
		unsigned what = fmt == BW_FORMAT_TABLE || fmt == BW_FORMAT_COMPACT ? BW_REPORT_ESC_TERMINAL
										   : BW_REPORT_ESC_UTF8;
		struct bw_report *copy;
		int rc = writers[i].write(bw_report_escaped(r, what, &copy), out, opts, err);
		bw_report_free(copy);
		return rc;
	}
	return bw_error_set(err, BW_EUNSUPPORTED, "output format '%s' is not available for this report",
			    bw_format_name(fmt));
}

bool bw_report_finding_shown(const struct bw_finding *f, const struct bw_write_opts *opts)
{
	/* a known exploited vulnerability is never left out by --severity */
	return f->severity >= opts->min_severity || f->status == BW_STATUS_PASS ||
	       (f->kind == BW_KIND_VULNERABILITY && f->kev);
}
