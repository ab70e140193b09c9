/* cli — the command table, shared options and exit codes. Only this folder
 * prints to the user and chooses exit codes. */
#ifndef BW_CLI_H
#define BW_CLI_H

#include "core/core.h"
#include "report/report.h"

#include <getopt.h>

/* Exit codes: the public convention of ARCHITECTURE.md. */
enum {
	BW_EXIT_OK = 0,
	BW_EXIT_FINDINGS = 1,
	BW_EXIT_USAGE = 2,
	BW_EXIT_ERROR = 3,
};

struct bw_command;

/* Options every command shares, after parsing. */
struct bw_cli {
	const struct bw_command *cmd;
	enum bw_format format;
	bool format_set;
	const char *output;	   /* --output FILE, NULL for stdout */
	enum bw_severity severity; /* --severity: the lowest shown */
	int exit_code;		   /* --exit-code N: exit N when findings >= severity; 0 = off */
	bool quiet;
	bool progress;	      /* stderr is a terminal and not --quiet */
	const char *platform; /* --platform os/arch[/variant] */
	const char *db_path;  /* --db PATH: the vulnerability database (image, fs, db) */
	bool ignore_unfixed;  /* --ignore-unfixed (image, fs) */
	/* suppression (src/suppress), for the commands that list BW_CLI_SUPPRESS_OPTIONS */
	const char *ignorefile; /* --ignorefile FILE; NULL: ./.bulwarkignore when present */
	const char *vex[16];	/* --vex FILE, repeatable */
	size_t n_vex;
	bool show_suppressed; /* --show-suppressed: suppressed findings in the table too */
};

struct bw_command {
	const char *name;
	int (*run)(struct bw_cli *cli, int argc, char **argv);
	const char *summary;
	const char *usage; /* full help text after the "usage:" line */
};

extern const struct bw_command bw_commands[];
extern const size_t bw_n_commands;
const struct bw_command *bw_cli_find(const char *name);

/* getopt_long values for the shared options (above any short option). */
enum {
	BW_OPT_FORMAT = 0x1000,
	BW_OPT_OUTPUT,
	BW_OPT_SEVERITY,
	BW_OPT_EXIT_CODE,
	BW_OPT_QUIET,
	BW_OPT_PLATFORM,
	BW_OPT_HELP,
	BW_OPT__COMMAND_BASE = 0x1100, /* commands number their own options from here */
};

#define BW_CLI_COMMON_OPTIONS                                                                                \
	{"format", required_argument, NULL, BW_OPT_FORMAT},                                                  \
	    {"output", required_argument, NULL, BW_OPT_OUTPUT},                                              \
	    {"severity", required_argument, NULL, BW_OPT_SEVERITY},                                          \
	    {"exit-code", required_argument, NULL, BW_OPT_EXIT_CODE},                                        \
	    {"quiet", no_argument, NULL, BW_OPT_QUIET},                                                      \
	    {"platform", required_argument, NULL, BW_OPT_PLATFORM},                                          \
	{                                                                                                    \
		"help", no_argument, NULL, BW_OPT_HELP                                                       \
	}

#define BW_CLI_COMMON_HELP                                                                                   \
	"  -f, --format FMT     table, json, sarif, cyclonedx or spdx (where it applies)\n"                  \
	"  -o, --output FILE    write the report to FILE instead of standard output\n"                       \
	"      --severity SEV   lowest severity shown: UNKNOWN INFO LOW MEDIUM HIGH CRITICAL\n"              \
	"      --exit-code N    exit N when findings at or above --severity remain\n"                        \
	"  -q, --quiet          no progress or warnings on standard error\n"                                 \
	"      --platform P     os/arch[/variant] to pick from a multi-platform image\n"                     \
	"  -h, --help           this help\n"

/* Short options every command accepts; a command appends its own. */
#define BW_CLI_COMMON_SHORT "f:o:qh"

/* Handle a shared option returned by getopt_long. Returns 1 when handled,
 * 0 when c is not a shared option, or -BW_EXIT_USAGE after printing why. */
int bw_cli_common_option(struct bw_cli *cli, int c, const char *arg);

/* Parse argv with the command's option table. The callback receives each
 * command-specific option. Returns 0, or an exit code (help printed: 0 via
 * *done; usage error: 2). Leaves optind at the first operand. */
typedef int (*bw_cli_option_fn)(struct bw_cli *cli, int c, const char *arg, void *ud);
int bw_cli_parse(struct bw_cli *cli, int argc, char **argv, const char *shortopts,
		 const struct option *longopts, bw_cli_option_fn fn, void *ud, bool *done);

/* Print "bulwark <cmd>: <msg>" and the usage line; returns BW_EXIT_USAGE. */
int bw_cli_usage_error(const struct bw_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void bw_cli_print_help(const struct bw_command *cmd, FILE *out);

/* Print an error from a module and return its exit code (2 or 3). */
int bw_cli_fail(const struct bw_cli *cli, const struct bw_error *err);

/* Open --output (or stdout). It truncates an existing file: call it only
 * once every option is validated (format for the command, names, numbers,
 * combinations, operands), so that a usage error leaves the file as it was. */
FILE *bw_cli_open_output(const struct bw_cli *cli, struct bw_error *err);
int bw_cli_close_output(const struct bw_cli *cli, FILE *f, struct bw_error *err);

/* Write the report in the chosen format, print warnings to stderr, and
 * return the exit code of the --exit-code convention. */
int bw_cli_emit_report(struct bw_cli *cli, struct bw_report *r);

/* --batch: call fn for each line of standard input (without its newline;
 * the last line may lack one), fn appending its answer to out, which is
 * written to standard output as it fills. Returns the exit code. */
typedef void (*bw_cli_batch_fn)(void *ud, const char *line, size_t len, struct bw_buf *out);
int bw_cli_batch(struct bw_cli *cli, bw_cli_batch_fn fn, void *ud);

/* Progress line on stderr, only when cli->progress. */
void bw_cli_progress(const struct bw_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bw_cli_progress_done(const struct bw_cli *cli);

#define BW_VERSION_STRING BW_VERSION

/* ---- scans (scan_options.c): options shared by image and fs ---- */
enum {
	BW_OPT_SCANNERS = 0x1080,
	BW_OPT_LIST_PACKAGES,
	BW_OPT_SECRET_CONFIG,
	BW_OPT_DB,
	BW_OPT_IGNORE_UNFIXED,
	BW_OPT_NO_CACHE,
	BW_OPT_IGNOREFILE,
	BW_OPT_VEX,
	BW_OPT_SHOW_SUPPRESSED,
};

/* Suppression options: parsed by bw_cli_common_option, applied to a report
 * by bw_cli_suppress (suppress_options.c). */
#define BW_CLI_SUPPRESS_OPTIONS                                                                              \
	{"ignorefile", required_argument, NULL, BW_OPT_IGNOREFILE},                                          \
	    {"vex", required_argument, NULL, BW_OPT_VEX},                                                    \
	{                                                                                                    \
		"show-suppressed", no_argument, NULL, BW_OPT_SHOW_SUPPRESSED                                 \
	}

#define BW_CLI_SUPPRESS_HELP                                                                                 \
	"      --ignorefile FILE  ids to suppress (default: ./.bulwarkignore when present;\n"                \
	"                       .trivyignore lines work too)\n"                                              \
	"      --vex FILE       OpenVEX or CycloneDX VEX document (repeatable)\n"                            \
	"      --show-suppressed  list suppressed findings in the table too\n"

/* Load the ignore file and VEX documents named by the options and mark the
 * matching findings of r. Returns 0, or an exit code after printing why. */
int bw_cli_suppress(struct bw_cli *cli, struct bw_report *r);

#define BW_CLI_SCAN_OPTIONS                                                                                  \
	{"scanners", required_argument, NULL, BW_OPT_SCANNERS},                                              \
	    {"list-packages", no_argument, NULL, BW_OPT_LIST_PACKAGES},                                      \
	    {"secret-config", required_argument, NULL, BW_OPT_SECRET_CONFIG},                                \
	    {"db", required_argument, NULL, BW_OPT_DB},                                                      \
	    {"ignore-unfixed", no_argument, NULL, BW_OPT_IGNORE_UNFIXED},                                    \
	    {"no-cache", no_argument, NULL, BW_OPT_NO_CACHE}, BW_CLI_SUPPRESS_OPTIONS

#define BW_CLI_SCAN_HELP                                                                                     \
	"      --scanners LIST  comma list of packages, vuln, secret, config (default: all)\n"               \
	"      --list-packages  include the package inventory in the report\n"                               \
	"      --secret-config FILE  custom secret rules and allow-lists (YAML)\n"                           \
	"      --db PATH        vulnerability database (default: ~/.cache/bulwark/db.sqlite)\n"              \
	"      --ignore-unfixed leave out vulnerabilities that have no fixed version yet\n"                  \
	"      --no-cache       read and verify every layer; neither use nor fill the layer "                \
	"cache\n" BW_CLI_SUPPRESS_HELP

struct bw_cli_scan_args {
	unsigned scanners; /* enum bw_scanner_flag bits; 0 = all */
	bool list_packages;
	const char *secret_config;
	int jobs;
	bool no_cache; /* --no-cache: no layer cache (src/cache) */
};

/* 1 when c is a scan option (handled), 0 when not, -BW_EXIT_USAGE after
 * printing why. */
int bw_cli_scan_option(struct bw_cli *cli, int c, const char *arg, struct bw_cli_scan_args *a);
/* Run a scan and emit its report; returns the exit code. */
int bw_cli_scan(struct bw_cli *cli, const char *target, const char *name, const char *type,
		const struct bw_cli_scan_args *a);
/* The progress callback for image walks (NULL when progress is off). */
#include "image/image.h"
bw_image_progress_fn bw_cli_image_progress(const struct bw_cli *cli);

/* Commands */
int bw_cmd_image(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_fs(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_vercmp(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_lint(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_audit(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_sbom(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_db(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_cache(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_cvss(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_monitor(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_profile(struct bw_cli *cli, int argc, char **argv);

#endif
