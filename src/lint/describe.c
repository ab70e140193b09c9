/* What `bulwark lint --list-rules` writes: the Dockerfile rule table. */
#include <jansson.h>

#include "lint.h"

json_t *bw_lint_rules_json(void)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < bw_lint_rule_count(); i++) {
		struct bw_rule_info ri;
		bw_lint_rule_info(i, &ri);
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(ri.id));
		json_object_set_new(o, "severity", json_string(bw_severity_name(ri.severity)));
		json_object_set_new(o, "title", json_string(ri.title));
		json_t *eq = json_array();
		for (size_t k = 0; ri.equivalent[k]; k++)
			json_array_append_new(eq, json_string(ri.equivalent[k]));
		json_object_set_new(o, "equivalent", eq);
		json_object_set_new(o, "rationale", json_string(ri.rationale));
		json_object_set_new(o, "bad", json_string(ri.bad));
		json_object_set_new(o, "good", json_string(ri.good));
		json_object_set_new(o, "remediation", json_string(ri.remediation));
		json_object_set_new(o, "default_enabled", json_boolean(!ri.default_off));
		json_array_append_new(arr, o);
	}
	return arr;
}

void bw_lint_rules_write_table(FILE *out)
{
	for (size_t i = 0; i < bw_lint_rule_count(); i++) {
		struct bw_rule_info ri;
		bw_lint_rule_info(i, &ri);
		fprintf(out, "%-10s %-8s %s", ri.id, bw_severity_name(ri.severity), ri.title);
		for (size_t k = 0; ri.equivalent[k]; k++)
			fprintf(out, "%s%s", k ? ", " : "  [", ri.equivalent[k]);
		fprintf(out, "%s%s\n", ri.equivalent[0] ? "]" : "",
			ri.default_off ? " (off by default)" : "");
	}
}
