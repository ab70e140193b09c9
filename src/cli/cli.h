/* cli — the command table, shared options and exit codes. Only this folder
 * prints to the user and chooses exit codes. */
#ifndef BW_CLI_H
#define BW_CLI_H

#include <getopt.h>

#include "core/core.h"
#include "report/report.h"

/* Exit codes: the public convention of ARCHITECTURE.md. */
enum {
	BW_EXIT_OK = 0,
	BW_EXIT_FINDINGS = 1,
	BW_EXIT_USAGE = 2,
	BW_EXIT_ERROR = 3,
};

struct bw_command;

/* Options from the configuration file and the environment (config.c), as
 * "--name=value" arguments to parse before the command line's, each with
 * its origin. */
struct bw_cli_preset {
	char **argv;
	char **origin;
	size_t n;
	char *unreadable; /* why a named file could not be read: reported (exit
			     3) after the command line, whose usage errors come first */
};

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
	/* --allow-partial-coverage (image, fs): --exit-code does not fail a scan
	 * whose vulnerability data left packages unchecked */
	bool allow_partial_coverage;
	/* suppression (src/suppress), for the commands that list BW_CLI_SUPPRESS_OPTIONS */
	const char *ignorefile; /* --ignorefile FILE; NULL: ./.bulwarkignore when present */
	const char *vex[16];	/* --vex FILE, repeatable */
	size_t n_vex;
	bool show_suppressed; /* --show-suppressed: suppressed findings in the table too */
	/* VEX documents held in memory (image --vex-from-attestations: the
	 * verified OpenVEX predicates), applied with --vex's: names and JSON */
	char **vex_docs, **vex_doc_names;
	size_t n_vex_docs;
	/* while an option from the configuration file or the environment is
	 * handled: where it came from ("bulwark.yaml:3", "BULWARK_SEVERITY"),
	 * else NULL */
	const char *preset_origin;
	struct bw_cli_preset preset; /* kept until the command ends: options point into it */
	const char *dockerfile;	     /* --dockerfile FILE: locate image findings in it (SARIF) */
	bool no_sandbox;	     /* --no-sandbox: parse untrusted input unconfined */
	bool debug;		     /* --debug: say on stderr what the sandbox applied */
	/* --output opened before entering the sandbox (sandbox_options.c), not
	 * truncated until the report is written; output_errno: why it could
	 * not be opened then */
	bool output_fd_set;
	int output_fd;
	int output_errno;
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
	BW_OPT_NO_SANDBOX,
	BW_OPT_DEBUG,
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

/* A command's --format line: the formats it writes, and only those. */
#define BW_CLI_FORMAT_HELP(formats) "  -f, --format FMT     " formats "\n"
#define BW_CLI_FORMATS_ALL                                                                                   \
	"table, json, sarif, cyclonedx, spdx, junit, gitlab,\n"                                              \
	"                       gitlab-codequality, compact or html"
#define BW_CLI_PLATFORM_HELP "      --platform P     os/arch[/variant] to pick from a multi-platform image\n"

/* The shared options' help, after the command's --format line (and
 * --platform where an image is read). */
#define BW_CLI_COMMON_HELP                                                                                   \
	"  -o, --output FILE    write the report to FILE instead of standard output\n"                       \
	"      --severity SEV   lowest severity shown: UNKNOWN INFO LOW MEDIUM HIGH CRITICAL\n"              \
	"      --exit-code N    exit N when findings at or above --severity remain\n"                        \
	"  -q, --quiet          no progress or warnings on standard error\n"                                 \
	"      --config FILE    bulwark configuration (default: ./bulwark.yaml; lint:\n"                     \
	"                       --bulwark-config); BULWARK_<OPTION> variables too\n"                         \
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

/* A command's long options (its getopt_long table, as bw_cli_parse gets
 * it), learnt by running the command with nothing to do: the table stays
 * where the command defines it. Never NULL. */
const struct option *bw_cli_command_options(const struct bw_command *cmd);

/* Returns 0, or an exit code after printing why (a malformed or unknown
 * key names the file and line: 2; an unreadable file: 3). */
int bw_cli_preset_load(struct bw_cli *cli, int argc, char **argv, const struct option *longopts,
		       const char *shortopts, struct bw_cli_preset *out);
void bw_cli_preset_release(struct bw_cli_preset *p);

/* Print "bulwark <cmd>: <msg>" and the usage line; returns BW_EXIT_USAGE. */
int bw_cli_usage_error(const struct bw_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void bw_cli_print_help(const struct bw_command *cmd, FILE *out);

/* Print an error from a module and return its exit code (2 or 3). The
 * message goes through bw_report_put_text: it names inputs, with their
 * bytes. */
int bw_cli_fail(const struct bw_cli *cli, const struct bw_error *err);
/* Print "bulwark <cmd>: warning: <msg>", msg escaped as bw_cli_fail's. */
void bw_cli_warn(const struct bw_cli *cli, const char *msg);

/* Open --output (or stdout). It truncates an existing file: call it only
 * once every option is validated (format for the command, names, numbers,
 * combinations, operands), so that a usage error leaves the file as it was. */
FILE *bw_cli_open_output(const struct bw_cli *cli, struct bw_error *err);
int bw_cli_close_output(const struct bw_cli *cli, FILE *f, struct bw_error *err);

/* Write the report in the chosen format, print warnings to stderr, and
 * return the exit code of the --exit-code convention: N when a finding at
 * or above --severity remains, or when the report's vulnerability coverage
 * is partial (unless --allow-partial-coverage). */
int bw_cli_emit_report(struct bw_cli *cli, struct bw_report *r);

/* Write j indented (JSON_INDENT(2) | flags) and a newline to out; consumes j. */
void bw_cli_print_json(FILE *out, json_t *j, size_t flags);

/* --batch: call fn for each line of standard input (without its newline;
 * the last line may lack one), fn appending its answer to out, which is
 * written to standard output as it fills. Returns the exit code. */
typedef void (*bw_cli_batch_fn)(void *ud, const char *line, size_t len, struct bw_buf *out);
int bw_cli_batch(struct bw_cli *cli, bw_cli_batch_fn fn, void *ud);

/* Progress line on stderr, only when cli->progress. */
void bw_cli_progress(const struct bw_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bw_cli_progress_done(const struct bw_cli *cli);

#define BW_VERSION_STRING BW_VERSION

/* ---- the sandbox (sandbox_options.c): the commands that parse untrusted
 * input list these options and confine themselves before parsing ---- */
#define BW_CLI_SANDBOX_OPTIONS                                                                               \
	{"no-sandbox", no_argument, NULL, BW_OPT_NO_SANDBOX},                                                \
	{                                                                                                    \
		"debug", no_argument, NULL, BW_OPT_DEBUG                                                     \
	}
#define BW_CLI_SANDBOX_HELP                                                                                  \
	"      --no-sandbox     parse untrusted input without the sandbox (Landlock, seccomp,\n"             \
	"                       limits: docs/security.md); for debugging only\n"                             \
	"      --debug          say on standard error what the sandbox applied\n"

struct bw_sandbox;
/* A policy for this command, or NULL under --no-sandbox: the system files
 * libraries read late, the files the shared options name (--ignorefile or
 * the default ignore files, --vex, --dockerfile) to read; --output is
 * opened now (bw_cli_open_output writes through it). Add the command's own
 * inputs and its cache with bw_sandbox_allow(), then call
 * bw_cli_sandbox_enter(). */
struct bw_sandbox *bw_cli_sandbox_begin(struct bw_cli *cli);
/* Enter sb (NULL: nothing to do) and free it; with --debug print what was
 * applied. Returns 0 or an exit code after printing why. */
int bw_cli_sandbox_enter(struct bw_cli *cli, struct bw_sandbox *sb);
/* The same, printing only --debug's summary: 0 or a negative BW_E* code
 * with err filled. */
int bw_cli_sandbox_apply(struct bw_cli *cli, struct bw_sandbox *sb, struct bw_error *err);
/* The layer cache and the vulnerability database's directories, writable
 * (the cache made when missing, unless no_cache). */
void bw_cli_sandbox_allow_cache(struct bw_cli *cli, struct bw_sandbox *sb, bool no_cache);

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
	BW_OPT_ALLOW_PARTIAL,
	BW_OPT_DB_MAX_AGE,
	BW_OPT_DISTRO,
	BW_OPT_STRICT,
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
	"      --ignorefile FILE  ids to suppress (default: ./.bulwarkignore, ./.trivyignore and\n"          \
	"                       ./.trivyignore.yaml when present; Trivy's forms work too)\n"                 \
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
	    {"no-cache", no_argument, NULL, BW_OPT_NO_CACHE},                                                \
	    {"allow-partial-coverage", no_argument, NULL, BW_OPT_ALLOW_PARTIAL},                             \
	    {"db-max-age", required_argument, NULL, BW_OPT_DB_MAX_AGE},                                      \
	    {"distro", required_argument, NULL, BW_OPT_DISTRO},                                              \
	    {"strict", no_argument, NULL, BW_OPT_STRICT}, BW_CLI_SUPPRESS_OPTIONS, BW_CLI_SANDBOX_OPTIONS

/* The vulnerability scanner's coverage options (image, fs). */
#define BW_CLI_VULN_HELP                                                                                     \
	"      --distro NAME:VERSION  match OS packages as this release (debian:12,\n"                       \
	"                       alpine:3.20, ubuntu:22.04, rhel:9, ...) instead of the detected one\n"       \
	"      --db-max-age DAYS  warn when vulnerability data is older (default 7; 0: never)\n"             \
	"      --allow-partial-coverage  with --exit-code, do not fail when packages of an\n"                \
	"                       ecosystem or release the database has no advisories for (or no\n"            \
	"                       database at all) were left unchecked\n"

#define BW_CLI_SCAN_HELP                                                                                     \
	"      --scanners LIST  comma list of packages, vuln, secret, config (default: all)\n"               \
	"      --list-packages  include the package inventory in the report\n"                               \
	"      --secret-config FILE  custom secret rules and allow-lists (YAML)\n"                           \
	"      --db PATH        vulnerability database (default: ~/.cache/bulwark/db.sqlite)\n"              \
	"      --ignore-unfixed leave out vulnerabilities that have no fixed version yet\n"                  \
	"      --no-cache       read and verify every layer; neither use nor fill the layer "                \
	"cache\n"                                                                                            \
	"      --strict         a file or directory that cannot be read is an error (exit 3), not\n"         \
	"                       only a warning\n" BW_CLI_VULN_HELP BW_CLI_SUPPRESS_HELP BW_CLI_SANDBOX_HELP

struct bw_cli_scan_args {
	unsigned scanners;  /* enum bw_scanner_flag bits; 0 = all */
	const char *distro; /* --distro, validated */
	long db_max_age;    /* --db-max-age when db_max_age_set, else 7 */
	bool db_max_age_set;
	bool list_packages;
	const char *secret_config;
	int jobs;
	bool no_cache; /* --no-cache: no layer cache (src/cache) */
	bool strict;   /* --strict: unreadable paths are an error */
	/* fs --skip-dirs, --skip-files: NULL-terminated, or NULL */
	const char **skip_dirs, **skip_files;
};

/* 1 when c is a scan option (handled), 0 when not, -BW_EXIT_USAGE after
 * printing why. */
int bw_cli_scan_option(struct bw_cli *cli, int c, const char *arg, struct bw_cli_scan_args *a);
/* Run a scan and emit its report; returns the exit code. */
int bw_cli_scan(struct bw_cli *cli, const char *target, const char *name, const char *type,
		const struct bw_cli_scan_args *a);
/* The sandbox of a command that reads an image target (bw_cli_sandbox_begin
 * and the target, the secret rules, the cache): *local when the target is
 * local files, to enter before it is opened; else (the engine, a registry)
 * the policy allows the network and is entered once the image is open. */
struct bw_sandbox *bw_cli_sandbox_target(struct bw_cli *cli, const char *target, const char *secret_config,
					 bool no_cache, bool *local);
/* The progress callback for image walks (NULL when progress is off). */
#include "image/image.h"
#include "trust/trust.h"
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
int bw_cmd_config(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_net(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_registry(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_key(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_sign(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_verify(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_attest(struct bw_cli *cli, int argc, char **argv);
int bw_cmd_verify_attestation(struct bw_cli *cli, int argc, char **argv);

/* ---- supply chain (trust_options.c): key, sign, verify, attest ---- */
struct bw_trust_key;
/* The password of an encrypted key: BULWARK_PASSWORD, else COSIGN_PASSWORD,
 * else asked on the terminal (twice with confirm). *out is the caller's
 * (bw_cli_password_free). Returns 0 or an exit code after printing why. */
int bw_cli_password(const struct bw_cli *cli, bool confirm, char **out);
void bw_cli_password_free(char *pw);
/* Load the key in path (asking for a password when it is encrypted); with
 * need_private a public key is a usage error. 0 or an exit code. */
int bw_cli_load_key(const struct bw_cli *cli, const char *path, bool need_private, struct bw_trust_key **out);
/* -a KEY=VALUE (sign, verify): added to annotations; 1 handled, 0 not -a,
 * or -BW_EXIT_USAGE after printing why. */
int bw_cli_trust_annotation_option(struct bw_cli *cli, int c, const char *arg, const char **annotations,
				   size_t *n_annotations, size_t max);
/* The start of sign, verify and verify-attestation: the registry options
 * checked, the key loaded, the target opened. 0 with *key and *img to
 * release, or an exit code (then nothing is held). */
/* On standard error, "bulwark <cmd>: <source>: <reason>" for each check of
 * res that failed, the registry's words escaped as every warning's are. */
void bw_cli_trust_print_failures(const struct bw_cli *cli, const struct bw_trust_result *res);
int bw_cli_trust_open(struct bw_cli *cli, const char *key_path, bool need_private, const char *target,
		      struct bw_trust_key **key, struct bw_trust_image *img);
/* --registry-referrers-mode legacy|oci-1-1 into *mode; 0 or the usage exit. */
int bw_cli_referrers_mode(struct bw_cli *cli, const char *arg, enum bw_trust_mode *mode);
/* Write len bytes of data to path (created or truncated). */
int bw_cli_write_file(const char *path, const void *data, size_t len, struct bw_error *err);

/* ---- registries (registry_options.c): options of the commands that read
 * images (image, sbom) and of `registry` ---- */
enum {
	BW_OPT_USERNAME = 0x10c0,
	BW_OPT_PASSWORD_STDIN,
	BW_OPT_REGISTRY_CA,
	BW_OPT_INSECURE_REGISTRY,
	BW_OPT_TIMEOUT,
	BW_OPT_IMAGE_SRC,
};

/* the options of reaching a registry (registry ls has only these) */
#define BW_CLI_REGISTRY_ACCESS_OPTIONS                                                                       \
	{"username", required_argument, NULL, BW_OPT_USERNAME},                                              \
	    {"password-stdin", no_argument, NULL, BW_OPT_PASSWORD_STDIN},                                    \
	    {"registry-ca", required_argument, NULL, BW_OPT_REGISTRY_CA},                                    \
	    {"insecure-registry", required_argument, NULL, BW_OPT_INSECURE_REGISTRY},                        \
	{                                                                                                    \
		"timeout", required_argument, NULL, BW_OPT_TIMEOUT                                           \
	}

#define BW_CLI_REGISTRY_OPTIONS                                                                              \
	BW_CLI_REGISTRY_ACCESS_OPTIONS,                                                                      \
	{                                                                                                    \
		"image-src", required_argument, NULL, BW_OPT_IMAGE_SRC                                       \
	}

#define BW_CLI_REGISTRY_HELP                                                                                 \
	"      --image-src LIST where a bare image name is looked for, in order: engine,\n"                  \
	"                       registry (default: engine,registry)\n"                                       \
	"      --username USER  registry user (with --password-stdin); else docker login's\n"                \
	"                       config, REGISTRY_AUTH_FILE, credential helpers\n"                            \
	"      --password-stdin read the registry password from standard input\n"                            \
	"      --registry-ca FILE  trust this CA for registries (besides the system's)\n"                    \
	"      --insecure-registry HOST[:PORT]  speak plain HTTP to HOST (repeatable)\n"                     \
	"      --timeout DUR    give up on a registry or engine read after DUR (30s, 5m,\n"                  \
	"                       1h; default: none)\n"

/* 1 when c is a registry option (handled), 0 when not, -BW_EXIT_USAGE
 * after printing why. */
int bw_cli_registry_option(struct bw_cli *cli, int c, const char *arg);
/* After parsing: check the combination, read --password-stdin, start the
 * --timeout clock. Returns 0 or an exit code after printing why. */
int bw_cli_registry_ready(struct bw_cli *cli);
/* Before bw_cli_registry_ready: a target that reads standard input ("-")
 * cannot go with --password-stdin. 0 or the usage exit after printing why. */
int bw_cli_stdin_target(struct bw_cli *cli, const char *target);
/* The options for src/registry (and --image-src), valid until exit. */
const struct bw_registry_opts *bw_cli_registry_opts(const struct bw_cli *cli);
const char *bw_cli_image_src(const struct bw_cli *cli);

#endif
