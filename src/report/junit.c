/* --format junit: JUnit XML as Jenkins, GitLab and Azure read it.
 *
 *     <testsuites name="bulwark" tests= failures= errors="0" skipped= time="0">
 *       <testsuite name="bulwark: vulnerability" tests= failures= errors="0" skipped= time="0">
 *         <testcase classname="TARGET" name="CVE-… openssl 3.0.1 usr/lib/…" file= line= time="0">
 *           <failure type="HIGH" message="title …">details</failure>
 *
 * One testsuite per finding kind the report has, one testcase per finding
 * listed at --severity or per check (an audit check that passed is a
 * testcase without failure; a manual or informational one, and a
 * suppressed finding with --show-suppressed, is <skipped>). A report with
 * nothing to list has one suite with one passing testcase, so CI shows the
 * scan ran. Text is XML-escaped; bytes XML cannot carry are shown as
 * "\xNN". */
#include "report-int.h"

static void attr(FILE *out, const char *name, const char *v)
{
	fprintf(out, " %s=\"", name);
	bw_report_put_markup(out, v ? v : "");
	fputc('"', out);
}

static bool in_suite(const struct bw_finding *f, const struct bw_write_opts *opts)
{
	if (f->status == BW_STATUS_PASS || f->status == BW_STATUS_INFO || f->status == BW_STATUS_MANUAL)
		return f->kind == BW_KIND_AUDIT;
	return bw_report_finding_listed(f, opts);
}

static void testcase(FILE *out, const struct bw_report *r, const struct bw_finding *f, struct bw_buf *m)
{
	fputs("    <testcase", out);
	attr(out, "classname", r->target.name ? r->target.name : "bulwark");
	bw_buf_reset(m);
	bw_buf_addstr(m, f->id ? f->id : "unknown");
	if (f->package.name)
		bw_buf_printf(m, " %s %s", f->package.name,
			      f->installed_version ? f->installed_version
						   : (f->package.version ? f->package.version : ""));
	if (f->location.path)
		bw_buf_printf(m, " %s", f->location.path);
	if (f->location.line > 0)
		bw_buf_printf(m, ":%d", f->location.line);
	if (f->location.container)
		bw_buf_printf(m, " %s", f->location.container);
	attr(out, "name", m->data);
	if (f->location.path)
		attr(out, "file", f->location.path);
	if (f->location.line > 0)
		fprintf(out, " line=\"%d\"", f->location.line);
	fputs(" time=\"0\">\n", out);

	bw_buf_reset(m);
	bw_report_finding_message(f, m);
	if (f->status == BW_STATUS_FAIL || f->status == BW_STATUS_WARN) {
		fputs("      <failure", out);
		attr(out, "type", bw_severity_name(f->severity));
		attr(out, "message", m->data);
		fputs(">", out);
		fprintf(out, "%s %s (%s)\n", bw_severity_name(f->severity), bw_kind_name(f->kind),
			bw_status_name(f->status));
		bw_report_put_markup(out, m->data);
		fputc('\n', out);
		if (f->location.layer) {
			fputs("layer: ", out);
			bw_report_put_markup(out, f->location.layer);
			fputc('\n', out);
		}
		if (f->evidence) {
			fputs("evidence: ", out);
			bw_report_put_markup(out, f->evidence);
			fputc('\n', out);
		}
		if (f->remediation) {
			fputs("fix: ", out);
			bw_report_put_markup(out, f->remediation);
			fputc('\n', out);
		}
		fputs("</failure>\n", out);
	} else if (f->status != BW_STATUS_PASS) {
		fputs("      <skipped", out);
		attr(out, "message",
		     f->status == BW_STATUS_SUPPRESSED && f->suppressed_by ? f->suppressed_by
									   : bw_status_name(f->status));
		fputs("/>\n", out);
	}
	fputs("    </testcase>\n", out);
}

int bw_report_write_junit(const struct bw_report *r, FILE *out, const struct bw_write_opts *opts,
			  struct bw_error *err)
{
	size_t tests[BW_KIND__COUNT] = {0}, failures[BW_KIND__COUNT] = {0}, skipped[BW_KIND__COUNT] = {0};
	size_t all = 0, all_failures = 0, all_skipped = 0;
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct bw_finding *f = &r->findings[i];
		if ((unsigned)f->kind >= BW_KIND__COUNT || !in_suite(f, opts))
			continue;
		tests[f->kind]++;
		all++;
		if (f->status == BW_STATUS_FAIL || f->status == BW_STATUS_WARN)
			failures[f->kind]++, all_failures++;
		else if (f->status != BW_STATUS_PASS)
			skipped[f->kind]++, all_skipped++;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out,
		"<testsuites name=\"bulwark\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" "
		"time=\"0\">\n",
		all ? all : 1, all_failures, all_skipped);
	struct bw_buf m;
	bw_buf_init(&m, 1 << 20);
	if (!all) {
		fputs("  <testsuite", out);
		attr(out, "name", "bulwark");
		fputs(" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0\">\n    <testcase",
		      out);
		attr(out, "classname", r->target.name ? r->target.name : "bulwark");
		bw_buf_printf(&m, "no findings at or above %s", bw_severity_name(opts->min_severity));
		attr(out, "name", m.data);
		fputs(" time=\"0\"/>\n  </testsuite>\n", out);
	}
	for (int k = 0; k < BW_KIND__COUNT; k++) {
		if (!tests[k])
			continue;
		bw_buf_reset(&m);
		bw_buf_printf(&m, "bulwark: %s", bw_kind_name((enum bw_kind)k));
		fputs("  <testsuite", out);
		attr(out, "name", m.data);
		fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"0\">\n",
			tests[k], failures[k], skipped[k]);
		if (r->n_warnings) {
			fputs("    <properties>\n", out);
			for (size_t i = 0; i < r->n_warnings; i++) {
				fputs("      <property name=\"warning\"", out);
				attr(out, "value", r->warnings[i]);
				fputs("/>\n", out);
			}
			fputs("    </properties>\n", out);
		}
		for (size_t i = 0; i < r->n_findings; i++) {
			const struct bw_finding *f = &r->findings[i];
			if ((int)f->kind == k && in_suite(f, opts))
				testcase(out, r, f, &m);
		}
		fputs("  </testsuite>\n", out);
	}
	fputs("</testsuites>\n", out);
	bw_buf_release(&m);
	if (ferror(out))
		return bw_error_sys(err, BW_EIO, "writing the JUnit report failed");
	return 0;
}
