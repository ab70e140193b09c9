/* What `bulwark audit` writes besides the report: the check list and the
 * CIS-style table. Container names, evidence and warnings come from the
 * engine and the host: the table shows them through bw_report_put_text. */
#include "audit-int.h"

json_t *bw_audit_checks_json(void)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < bw_audit_n_checks(); i++) {
		const struct bw_audit_check_info *c = bw_audit_check_at(i);
		json_array_append_new(arr,
				      json_pack("{s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:s}", "id", c->id,
						"title", c->title, "section", bw_audit_scope_name(c->scope),
						"cis_automated", c->cis_automated, "decided", c->decided,
						"severity", bw_severity_name(c->severity), "how", c->how,
						"remediation", c->remediation));
	}
	return arr;
}

void bw_audit_checks_write_table(FILE *out)
{
	for (size_t i = 0; i < bw_audit_n_checks(); i++) {
		const struct bw_audit_check_info *c = bw_audit_check_at(i);
		fprintf(out, "CIS-%-7s %-9s %-8s %s\n", c->id, c->decided ? "automated" : "manual",
			bw_severity_name(c->severity), c->title);
	}
}

static const char *status_label(enum bw_status s)
{
	switch (s) {
	case BW_STATUS_PASS:
		return "PASS";
	case BW_STATUS_WARN:
		return "WARN";
	case BW_STATUS_INFO:
		return "INFO";
	case BW_STATUS_MANUAL:
		return "NOTE";
	case BW_STATUS_SUPPRESSED:
		return "SUPP";
	default:
		return "????";
	}
}

static int section_of(const struct bw_finding *f)
{
	const char *id = f->id && !strncmp(f->id, "CIS-", 4) ? f->id + 4 : "0";
	return id[0] - '0';
}

void bw_audit_write_table(const struct bw_report *r, enum bw_severity min, bool color, FILE *out)
{
	static const char *const names[] = {"",
					    "Host configuration",
					    "Docker daemon configuration",
					    "Docker daemon configuration files",
					    "Container images and build files",
					    "Container runtime",
					    "Docker security operations"};
	size_t count[BW_STATUS_SUPPRESSED + 1] = {0};
	fprintf(out, "CIS Docker Benchmark v1.6 audit of ");
	bw_report_put_text(out, r->target.name ? r->target.name : "-", SIZE_MAX, 0);
	fputc('\n', out);
	int section = -1;
	const char *last_id = NULL, *fixed = NULL;
	for (size_t i = 0; i < r->n_findings; i++) {
		const struct bw_finding *f = &r->findings[i];
		if (f->severity < min)
			continue;
		count[f->status]++;
		int s = section_of(f);
		if (s != section) {
			section = s;
			fprintf(out, "\n[%d] %s\n", s, s > 0 && s < 7 ? names[s] : "");
			last_id = NULL;
		}
		const char *c = "", *reset = "";
		if (color) {
			c = f->status == BW_STATUS_WARN	  ? "\033[31m"
			    : f->status == BW_STATUS_PASS ? "\033[32m"
							  : "\033[33m";
			reset = "\033[0m";
		}
		if (f->location.container) {
			if (!last_id || strcmp(last_id, f->id) != 0)
				fprintf(out, "  %-8s %s\n", f->id + 4, f->title);
			fprintf(out, "      %s%s%s  ", c, status_label(f->status), reset);
			bw_report_put_text(out, f->location.container, SIZE_MAX, 24);
			fputc(' ', out);
			bw_report_put_text(out, f->evidence, SIZE_MAX, 0);
			fputc('\n', out);
		} else {
			fprintf(out, "  %s%s%s  %-8s %s\n", c, status_label(f->status), reset, f->id + 4,
				f->title);
			if (f->evidence) {
				fprintf(out, "        ");
				bw_report_put_text(out, f->evidence, SIZE_MAX, 0);
				fputc('\n', out);
			}
		}
		/* a container check's fix is said once, at its first warning */
		if (f->status == BW_STATUS_WARN && f->remediation && (!fixed || strcmp(fixed, f->id) != 0)) {
			fprintf(out, "        fix: %s\n", f->remediation);
			fixed = f->id;
		}
		last_id = f->id;
	}
	size_t decided = count[BW_STATUS_PASS] + count[BW_STATUS_WARN];
	fprintf(out, "\nScore: %zu pass, %zu warn, %zu info, %zu note", count[BW_STATUS_PASS],
		count[BW_STATUS_WARN], count[BW_STATUS_INFO], count[BW_STATUS_MANUAL]);
	if (decided)
		fprintf(out, " — %.0f%% of decided results pass",
			100.0 * (double)count[BW_STATUS_PASS] / (double)decided);
	fputc('\n', out);
	for (size_t i = 0; i < r->n_warnings; i++) {
		fprintf(out, "warning: ");
		bw_report_put_text(out, r->warnings[i], SIZE_MAX, 0);
		fputc('\n', out);
	}
}
