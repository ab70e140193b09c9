/* bulwark entry point: global options, then dispatch through the table. */
#include <locale.h>

#include "cli.h"
#include "helpdoc.h"

static void print_main_help(FILE *out)
{
	fprintf(out, "usage: bulwark <command> [options] TARGET\n\n"
		     "bulwark secures containers: images, build files, hosts, runtime, network\n"
		     "and supply chain, in one tool.\n\ncommands:\n");
	/* the summaries' column: two blanks at least past the longest name
	 * (verify-attestation), as help readers (helpdoc.c) expect */
	int w = 10;
	for (size_t i = 0; i < bw_n_commands; i++)
		if ((int)strlen(bw_commands[i].name) + 1 > w)
			w = (int)strlen(bw_commands[i].name) + 1;
	for (size_t i = 0; i < bw_n_commands; i++)
		fprintf(out, "  %-*s %s\n", w, bw_commands[i].name, bw_commands[i].summary);
	fprintf(out, "  %-*s %s\n", w, "help", "show help for a command");
	fprintf(out, "\nbulwark help COMMAND, or bulwark COMMAND --help, for a command's options.\n"
		     "--version prints the version.\n\n"
		     "exit codes: 0 clean, 1 findings at or above --severity (with --exit-code),\n"
		     "            2 usage error, 3 input or environment error\n");
}

int main(int argc, char **argv)
{
	/* For libarchive: it hands out entry names it read as UTF-8 (pax "path"
	 * and "linkpath" records, zip and jar entries flagged UTF-8) converted
	 * to the locale's charset. Under the default "C" locale it cannot
	 * convert a non-ASCII name: a zip entry's name comes back NULL and a pax
	 * one with an ARCHIVE_WARN. Nothing of bulwark's own reads the locale:
	 * bytes are classified and case-folded by core's bw_is*, bw_to* and
	 * bw_strcasecmp (banned.h bans <ctype.h>'s and glibc's strcasecmp,
	 * which under tr_TR.UTF-8 does not fold 'I' to 'i'). */
	setlocale(LC_CTYPE, "");
	if (argc < 2) {
		print_main_help(stderr);
		return BW_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
		printf("bulwark %s\n", BW_VERSION_STRING);
		return BW_EXIT_OK;
	}
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		print_main_help(stdout);
		return BW_EXIT_OK;
	}
	if (strcmp(name, "help") == 0) {
		/* help --options COMMAND: its long options, one a line ("name=" takes a
		 * value), for completions and the tests */
		if (argc == 4 && strcmp(argv[2], "--options") == 0 && bw_cli_find(argv[3])) {
			for (const struct option *o = bw_cli_command_options(bw_cli_find(argv[3])); o->name;
			     o++)
				printf("%s%s\n", o->name, o->has_arg == required_argument ? "=" : "");
			return BW_EXIT_OK;
		}
		if (argc < 3) {
			print_main_help(stdout);
			return BW_EXIT_OK;
		}
		if (strncmp(argv[2], "--", 2) == 0) /* --man, --man-dir, --completion: the build's */
			return bw_cli_helpgen(argc - 2, argv + 2, print_main_help);
		const struct bw_command *c = bw_cli_find(argv[2]);
		if (!c) {
			fprintf(stderr, "bulwark: unknown command '%s'\n", argv[2]);
			print_main_help(stderr);
			return BW_EXIT_USAGE;
		}
		bw_cli_print_help(c, stdout);
		return BW_EXIT_OK;
	}
	const struct bw_command *cmd = bw_cli_find(name);
	if (!cmd) {
		fprintf(stderr,
			"bulwark: unknown command '%s'\n"
			"usage: bulwark <command> [options] TARGET\n"
			"Try 'bulwark --help' for the commands.\n",
			name);
		return BW_EXIT_USAGE;
	}
	struct bw_cli cli = {
	    .cmd = cmd,
	    .format = BW_FORMAT_TABLE,
	    .severity = BW_SEV_UNKNOWN,
	    .progress = isatty(STDERR_FILENO),
	};
	int rc = cmd->run(&cli, argc - 1, argv + 1);
	bw_cli_preset_release(&cli.preset);
	return rc;
}
