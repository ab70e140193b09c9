/* --ignorefile, --vex: load them (src/suppress) and apply them to a report. */
#include "cli.h"
#include "suppress/suppress.h"

/* Read from the working directory when --ignorefile is not given, each
 * when it exists: bulwark's own, and Trivy's two forms. */
static const char *const default_ignorefiles[] = {".bulwarkignore", ".trivyignore", ".trivyignore.yaml"};

int bw_cli_suppress(struct bw_cli *cli, struct bw_report *r)
{
	struct bw_error err = BW_ERROR_INIT;
	struct bw_suppress *s = bw_suppress_new();
	int rc = 0;
	if (cli->ignorefile)
		rc = bw_suppress_load_ignore(s, cli->ignorefile, false, &err);
	for (size_t i = 0; !cli->ignorefile && !rc && i < BW_ARRAY_SIZE(default_ignorefiles); i++)
		rc = bw_suppress_load_ignore(s, default_ignorefiles[i], true, &err);
	for (size_t i = 0; !rc && i < cli->n_vex; i++)
		rc = bw_suppress_load_vex(s, cli->vex[i], &err);
	for (size_t i = 0; !rc && i < cli->n_vex_docs; i++)
		rc = bw_suppress_add_vex(s, cli->vex_doc_names[i], cli->vex_docs[i], strlen(cli->vex_docs[i]),
					 &err);
	if (!rc)
		bw_suppress_apply(s, r);
	bw_suppress_free(s);
	return rc ? bw_cli_fail(cli, &err) : 0;
}
