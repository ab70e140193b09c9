/* libFuzzer harness: the condition grammar of Falco's rule language, alone
 * (cond.c), then as the condition of a rule (macros, lists, field typing,
 * folding by event type). */
#include "monitor/monitor-int.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bw_arena a;
	bw_arena_init(&a);
	struct bw_mon_cnode *n = NULL;
	uint32_t pos;
	struct bw_error err = BW_ERROR_INIT;
	int rc = bw_mon_cond_parse(&a, (const char *)data, size, &n, &pos, &err);
	if (rc == 0 && !n)
		abort();
	if (rc != 0 && pos > size)
		abort();
	bw_arena_release(&a);
	/* as a rule, with a list and a macro to refer to; the condition as a YAML
	 * literal block (only its lines' indentation matters to YAML) */
	struct bw_buf b;
	bw_buf_init(&b, 1u << 20);
	bw_buf_addstr(
	    &b, "- list: l\n  items: [a, b, '\"c d\"', /etc/shadow, 80]\n"
		"- macro: m\n  condition: proc.name = a\n"
		"- rule: r\n  desc: d\n  output: o %proc.name\n  priority: INFO\n  condition: |-\n    ");
	for (size_t i = 0; i < size; i++) {
		char c = (char)data[i];
		if (c == '\n')
			bw_buf_addstr(&b, "\n    ");
		else if (c && c != '\r')
			bw_buf_add(&b, &c, 1);
	}
	bw_buf_addstr(&b, "\n");
	const char *name = "fuzz.yaml";
	const char *text = b.data;
	size_t len = b.len;
	struct bw_mon_ruleset *rs = NULL;
	struct bw_error e2 = BW_ERROR_INIT;
	if (bw_mon_rules_load_buffers(&name, &text, &len, 1, true, false, &rs, &e2) == 0)
		bw_mon_ruleset_free(rs);
	bw_buf_release(&b);
	return 0;
}
