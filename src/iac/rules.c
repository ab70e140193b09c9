/* The rule tables of rules_k8s_table.c, rules_compose_table.c and
 * rules_baseline_table.c, seen as one list by listings, documentation and
 * look-ups. */
#include "rules-int.h"

const struct iac_rule *iac_rule_at(size_t i)
{
	if (i < iac_n_k8s_rules)
		return &iac_k8s_rules[i];
	i -= iac_n_k8s_rules;
	return i < iac_n_compose_rules ? &iac_compose_rules[i] : &iac_baseline_rules[i - iac_n_compose_rules];
}

size_t bw_iac_rule_count(void)
{
	return iac_n_k8s_rules + iac_n_compose_rules + iac_n_baseline_rules;
}

void bw_iac_rule_info(size_t i, struct bw_rule_info *out)
{
	const struct iac_rule *r = iac_rule_at(i);
	*out = (struct bw_rule_info){
	    .id = r->id,
	    .severity = r->severity,
	    .title = r->title,
	    .equivalent = r->equivalent,
	    .rationale = r->rationale,
	    .bad = r->bad,
	    .good = r->good,
	    .remediation = r->remediation,
	    .default_off = r->default_off,
	};
}

bool bw_iac_rule_fixable(size_t i)
{
	return iac_rule_at(i)->fix_scope != IAC_FIX_NONE;
}

const char *bw_iac_rule_target(size_t i)
{
	static const char *const names[] = {"kubernetes", "compose", "baseline"};
	return names[iac_rule_at(i)->target];
}

int bw_iac_rule_find(const char *id)
{
	for (size_t i = 0; i < bw_iac_rule_count(); i++) {
		const struct iac_rule *r = iac_rule_at(i);
		if (!bw_strcasecmp(r->id, id))
			return (int)i;
		for (size_t k = 0; r->equivalent[k]; k++)
			if (!bw_strcasecmp(r->equivalent[k], id))
				return (int)i;
	}
	return -1;
}
