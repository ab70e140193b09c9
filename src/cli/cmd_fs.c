/* bulwark fs DIR — scan a root filesystem directory. */
#include "cli.h"
#include "scan/scan.h"

const char bw_usage_fs[] =
    "usage: bulwark fs [options] DIR\n"
    "\n"
    "Scan a root filesystem directory (an unpacked image, a chroot, or /) with every\n"
    "scanner built in. Symlinks are never followed; scanning / skips /proc, /sys, /dev.\n"
    "A project's lock files and manifests (requirements*.txt, poetry.lock, uv.lock,\n"
    "Pipfile.lock, go.mod, Gemfile.lock, composer.lock, packages.lock.json,\n"
    "gradle.lockfile, pom.xml, package-lock.json, npm-shrinkwrap.json, yarn.lock,\n"
    "pnpm-lock.yaml, Cargo.lock) are read as well as installed packages' metadata.\n"
    "\n"
    "options:\n"
    "      --skip-dirs GLOB  do not enter directories matching GLOB (relative to DIR;\n"
    "                       \"**/\" matches at any depth; repeatable, or a comma list)\n"
    "      --skip-files GLOB  do not look at files matching GLOB (as --skip-dirs)\n" BW_CLI_SCAN_HELP
	BW_CLI_FORMAT_HELP(BW_CLI_FORMATS_ALL) BW_CLI_COMMON_HELP;

enum { OPT_SKIP_DIRS = BW_OPT__COMMAND_BASE, OPT_SKIP_FILES };

/* Append the comma-separated globs of arg to the NULL-terminated *list. */
static int add_globs(struct bw_cli *cli, const char ***list, const char *arg, const char *opt)
{
	size_t n = 0;
	while (*list && (*list)[n])
		n++;
	for (const char *s = arg;;) {
		const char *c = strchr(s, ',');
		size_t len = c ? (size_t)(c - s) : strlen(s);
		if (!len || n >= 1024)
			return -bw_cli_usage_error(cli->cmd, "%s: %s", opt,
						   len ? "more than 1024 patterns" : "an empty pattern");
		*list = bw_realloc(*list, (n + 2) * sizeof(**list));
		(*list)[n++] = bw_strndup(s, len);
		(*list)[n] = NULL;
		if (!c)
			return 1;
		s = c + 1;
	}
}

static void free_globs(const char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		free((char *)list[i]);
	free(list);
}

static int fs_option(struct bw_cli *cli, int c, const char *arg, void *ud)
{
	struct bw_cli_scan_args *a = ud;
	if (c == OPT_SKIP_DIRS || c == OPT_SKIP_FILES) {
		int h = c == OPT_SKIP_DIRS ? add_globs(cli, &a->skip_dirs, arg, "--skip-dirs")
					   : add_globs(cli, &a->skip_files, arg, "--skip-files");
		return h < 0 ? -h : 0;
	}
	int h = bw_cli_scan_option(cli, c, arg, ud);
	if (h < 0)
		return -h;
	return h ? 0 : bw_cli_usage_error(cli->cmd, "unexpected option");
}

int bw_cmd_fs(struct bw_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    BW_CLI_COMMON_OPTIONS,
	    BW_CLI_SCAN_OPTIONS,
	    {"skip-dirs", required_argument, NULL, OPT_SKIP_DIRS},
	    {"skip-files", required_argument, NULL, OPT_SKIP_FILES},
	    {NULL, 0, NULL, 0},
	};
	struct bw_cli_scan_args a = {0};
	bool done;
	int rc = bw_cli_parse(cli, argc, argv, BW_CLI_COMMON_SHORT, longopts, fs_option, &a, &done);
	if (!rc && !done && argc - optind != 1)
		rc = bw_cli_usage_error(cli->cmd, argc - optind < 1 ? "missing DIR" : "too many arguments");
	if (!rc && !done) {
		char *target = bw_asprintf("dir:%s", argv[optind]);
		rc = bw_cli_scan(cli, target, argv[optind], "filesystem", &a);
		free(target);
	}
	free_globs(a.skip_dirs);
	free_globs(a.skip_files);
	return rc;
}
