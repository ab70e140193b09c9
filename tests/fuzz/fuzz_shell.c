/* libFuzzer harness: the POSIX sh parser used for RUN, and the helpers
 * rules call on its commands. */
#include "shell/shell.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bw_arena a;
	bw_arena_init(&a);
	struct sh_script s;
	sh_parse(&a, (const char *)data, size, &s);
	for (size_t i = 0; i < s.n_cmds; i++) {
		const struct sh_cmd *c = &s.cmds[i];
		size_t st = sh_cmd_start(c);
		(void)sh_cmd_name(c);
		(void)sh_has_opt(c, st, 'y', (const char *const[]){"--yes", NULL});
		(void)sh_subcommand(c, st, (const char *const[]){"-o", NULL});
		for (size_t k = 0; k < c->argc; k++)
			if (c->argv[k].off > c->argv[k].end)
				abort();
	}
	bw_arena_release(&a);
	return 0;
}
