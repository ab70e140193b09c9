/* --ignorefile, --vex: load them (src/suppress) and apply them to a report. */
#include "cli.h"
#include "suppress/suppress.h"

#define DEFAULT_IGNOREFILE ".bulwarkignore"

int bw_cli_suppress(struct bw_cli *cli, struct bw_report *r)
{
	struct bw_error err = BW_ERROR_INIT;
	struct bw_suppress *s = bw_suppress_new();
	int rc = cli->ignorefile ? bw_suppress_load_ignore(s, cli->ignorefile, false, &err)
				 : bw_suppress_load_ignore(s, DEFAULT_IGNOREFILE, true, &err);
	for (size_t i = 0; !rc && i < cli->n_vex; i++)
		rc = bw_suppress_load_vex(s, cli->vex[i], &err);
	if (!rc)
		bw_suppress_apply(s, r);
	bw_suppress_free(s);
	return rc ? bw_cli_fail(cli, &err) : 0;
}
