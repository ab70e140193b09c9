/* Private declarations of src/lint: the Dockerfile AST, variable expansion,
 * and the rule framework (the shell AST of RUN is src/shell's). */
#ifndef BW_LINT_INT_H
#define BW_LINT_INT_H

#include "lint.h"
#include "shell/shell.h"

/* ---- Dockerfile AST ----------------------------------------------------- */

enum df_kind {
	DF_UNKNOWN = 0,
	DF_ADD,
	DF_ARG,
	DF_CMD,
	DF_COPY,
	DF_ENTRYPOINT,
	DF_ENV,
	DF_EXPOSE,
	DF_FROM,
	DF_HEALTHCHECK,
	DF_LABEL,
	DF_MAINTAINER,
	DF_ONBUILD,
	DF_RUN,
	DF_SHELL,
	DF_STOPSIGNAL,
	DF_USER,
	DF_VOLUME,
	DF_WORKDIR,
};

const char *df_kind_name(enum df_kind k); /* "RUN" */

/* Maps an offset of an instruction's logical text (continuations joined the
 * BuildKit way) back to the physical line and byte column it came from. */
struct df_segment {
	size_t off;	 /* first logical offset of this piece */
	int line;	 /* 1-based physical line */
	const char *src; /* the byte of the physical line that off maps to */
	const char *bol; /* start of that physical line */
};

struct df_flag {
	const char *name;  /* without "--" */
	const char *value; /* NULL for a bare --flag */
};

struct df_kv {
	const char *key;
	const char *value;    /* raw (quotes kept); NULL when absent (ARG NAME) */
	const char *expanded; /* value after quote removal and expansion */
	size_t off;	      /* logical offset of the key */
	const char *self_ref; /* ENV: a variable set earlier in the same ENV it uses, or NULL */
};

struct df_heredoc {
	const char *name;
	bool chomp;	     /* <<- */
	bool quoted;	     /* delimiter quoted: content not expanded */
	int fd;		     /* 0 when none was given */
	const char *content; /* lines between the marker and the terminator */
	size_t len;
	int first_line; /* line of the first content line */
};

struct df_instr {
	enum df_kind kind;
	const char *keyword;		  /* as written */
	int line, col, end_line, end_col; /* 1-based; end_col inclusive */
	const char *text;		  /* logical line */
	size_t text_len;
	struct df_segment *segs;
	size_t n_segs;
	struct df_flag *flags;
	size_t n_flags;
	const char *args; /* after keyword and flags, trimmed; points into text */
	size_t args_off;
	bool json;	   /* exec (JSON array) form */
	bool json_invalid; /* started like a JSON array but is not one */
	const char **argv; /* JSON elements, or whitespace-separated words */
	size_t *argv_off;  /* logical offset of each (shell form) */
	size_t argc;
	const char **xargv; /* argv after expansion in the stage's scope (FROM, COPY, ADD,
			       WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL; else NULL) */
	bool *xdynamic;	    /* per xargv word: used a variable without a value */
	const char *xfrom;  /* COPY --from after expansion */
	struct df_kv *kvs;  /* ENV, LABEL, ARG */
	size_t n_kvs;
	bool legacy_kv; /* ENV key value */
	struct df_heredoc *heredocs;
	size_t n_heredocs;
	struct df_instr *sub;  /* ONBUILD's trigger */
	const char *malformed; /* why BuildKit would refuse it, or NULL */
	int stage;	       /* index into df_file.stages, -1 before the first FROM */
	int index;	       /* position in df_file.instrs (a trigger: its ONBUILD's) */
	bool is_trigger;       /* the instruction inside an ONBUILD */
	int ignore;	       /* index into df_file.ignores of the pragma above, or -1 */
};

struct df_stage {
	const char *name; /* AS name, or NULL */
	const char *base; /* image after expansion with global ARGs */
	const char *base_raw;
	int parent;		/* index of the stage it is built FROM, or -1 */
	size_t from;		/* index of its FROM in df_file.instrs */
	size_t end;		/* one past its last instruction */
	const char **undefined; /* variables FROM used that no ARG declared */
	size_t n_undefined;
};

/* One `# bulwark ignore=…` / `# hadolint ignore=…` comment. */
struct df_ignore {
	int line;
	bool global;
	const char **ids;
	size_t n_ids;
	const char *text;
};

struct df_file {
	struct bw_arena arena;
	const char *path;
	char escape;
	const char *syntax, *check; /* parser directives, or NULL */
	struct df_instr *instrs;
	size_t n_instrs;
	struct df_stage *stages;
	size_t n_stages;
	struct df_ignore *ignores;
	size_t n_ignores;
	int *empty_continuations; /* line numbers */
	size_t n_empty_continuations;
	const char **global_args; /* name=value pairs as name, value, … */
	size_t n_global_args;
	/* Hostile files (ARG V2=$V1$V1, …) double a value per line: what all
	 * expansions of the file may add (DF_MAX_EXPANSION) and the ENV
	 * variables later stages may inherit in all (DF_MAX_ENV_COPIES); past
	 * them, values stay unexpanded and inheritance stops, from the line
	 * named (0: never). */
	size_t expand_budget;
	int expand_over_line;
	size_t env_copies;
	int env_over_line;
};

/* Bounds on hostile input (beyond them the file is refused). */
#define DF_MAX_INSTRUCTIONS 65536
#define DF_MAX_STAGES 4096
#define DF_MAX_EXPANSION (16u << 20)
#define DF_MAX_ENV_COPIES 500000

/* Parse data[0..len). On a fatal problem return BW_EINPUT/BW_ELIMIT with
 * err naming path:line:column and *out NULL. df_file_free() releases. */
int df_parse(const char *path, const char *data, size_t len, struct df_file **out, struct bw_error *err);
void df_file_free(struct df_file *f);

/* Physical position of a logical offset of an instruction. */
void df_instr_pos(const struct df_instr *in, size_t off, int *line, int *col);
const char *df_flag_get(const struct df_instr *in, const char *name); /* value, "" when bare, NULL absent */
bool df_flag_has(const struct df_instr *in, const char *name);

/* ---- variable expansion (expand.c) ------------------------------------- */

/* Look a variable up: return its value (may be "") or NULL when unset. */
typedef const char *(*df_lookup_fn)(void *ud, const char *name, size_t len);

struct df_expand_result {
	const char *value;  /* arena string */
	const char **unset; /* names referenced without a default but unset, arena */
	size_t n_unset;
	const char **refs; /* every name referenced, arena */
	size_t n_refs;
	bool dynamic;	  /* some reference could not be resolved */
	bool over_budget; /* value is the text unexpanded: it would pass *budget */
};

/* Expand $VAR, ${VAR}, ${VAR:-w}, ${VAR-w}, ${VAR:+w}, ${VAR+w}, ${VAR:?w},
 * ${VAR#p} ${VAR%p} ${VAR/a/b} and remove quotes, the way BuildKit's shell
 * lexer does for Dockerfile instructions. Never fails: malformed input
 * expands literally. */
/* budget (NULL: none) is what expansions may still add to the text, in
 * bytes: a value that would pass it is left as written (over_budget), and
 * what a value adds is taken from it. */
void df_expand(struct bw_arena *a, const char *s, size_t len, char escape, df_lookup_fn fn, void *ud,
	       size_t *budget, struct df_expand_result *out);

/* ---- rules framework ---------------------------------------------------- */

struct lint_ctx;
struct lint_rule;

typedef void lint_check_fn(struct lint_ctx *c, const struct lint_rule *rule);

struct lint_rule {
	const char *id;
	enum bw_severity severity;
	const char *title;
	const char *equivalent[8];
	lint_check_fn *check;
	const char *rationale;
	const char *bad, *good;
	const char *remediation;
	bool default_off;
};

extern const struct lint_rule lint_rules[];
/* True when id is the rule's own id or one of its peer ids ("DS029",
 * "DS-0029" and "AVD-DS-0029" are the same Trivy id). */
bool lint_rule_has_id(const struct lint_rule *r, const char *id);
extern const size_t lint_n_rules;

struct lint_label_req {
	char *name;
	char *type; /* text url semver hash spdx rfc3339 email; NULL = text */
	bool required;
};

struct bw_lint_config {
	unsigned char *state; /* per rule: 0 default, 1 disabled, 2 enabled */
	int *severity;	      /* per rule: -1 default */
	char **registries;
	size_t n_registries;
	struct lint_label_req *labels;
	size_t n_labels;
	bool strict_labels;
	int failure_threshold; /* BW_LINT_THRESHOLD_UNSET, _NEVER, or a severity */
	int no_fail;	       /* -1 unset, 0, 1 */
	int shellcheck;	       /* run ShellCheck on RUN scripts: -1 unset (off), 0, 1 */
	char **sc_disabled;    /* ShellCheck codes not reported ("SC2086") */
	size_t n_sc_disabled;
};

struct lint_ctx {
	struct df_file *df;
	struct bw_report *report;
	const struct bw_lint_config *cfg;
	struct sh_script **sh;	   /* per instruction: parsed RUN script (NULL when not a shell RUN) */
	struct sh_script **sh_sub; /* per instruction: ONBUILD RUN trigger */
	struct bw_arena scratch;
};

/* Report a finding of `rule` at instruction `in` (NULL: the file), with a
 * range of the instruction's logical text [off, end) when end > off, else
 * the whole instruction. evidence may be NULL. */
void lint_report(struct lint_ctx *c, const struct lint_rule *rule, const struct df_instr *in, size_t off,
		 size_t end, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The same for a shell word of a RUN: maps script offsets to the file. */
void lint_report_sh(struct lint_ctx *c, const struct lint_rule *rule, const struct df_instr *in,
		    const struct sh_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The parsed shell of a RUN (or an ONBUILD RUN trigger), or NULL. */
struct sh_script *lint_script(struct lint_ctx *c, const struct df_instr *in);
/* The shell source of a RUN as its shell reads it (the logical text, or
 * the heredoc that is the script), or NULL for an exec form or a script
 * that is not shell. */
const char *lint_run_text(struct lint_ctx *c, const struct df_instr *in, size_t *len, bool *heredoc);
/* Physical position of an offset of lint_run_text(). */
void lint_run_pos(struct lint_ctx *c, const struct df_instr *in, size_t off, int *line, int *col);
/* A finding that is no row of the table (ShellCheck's SCnnnn): id, title
 * and the rest copied (url: its help page, or NULL); an inline or global
 * ignore of that id suppresses it. */
void lint_report_ext(struct lint_ctx *c, const char *id, enum bw_severity sev, const char *title,
		     const struct df_instr *in, int line, int col, int eline, int ecol, const char *evidence,
		     const char *remediation, const char *url);
/* shellcheck.c: ShellCheck's findings for every shell RUN (and ONBUILD RUN),
 * when a shellcheck program is found; else a warning says it was skipped. */
void lint_shellcheck(struct lint_ctx *c);
/* Is id ShellCheck's (SC and four digits)? */
bool lint_is_sc_id(const char *id);

/* The SHELL in force for instruction i (argv[0] of the JSON), or NULL for /bin/sh -c. */
const struct df_instr *lint_shell_for(struct lint_ctx *c, size_t i);

/* Call fn for every RUN (and ONBUILD RUN trigger) with its parsed shell. */
typedef void (*lint_run_fn)(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			    struct sh_script *s, void *ud);
void lint_each_run(struct lint_ctx *c, const struct lint_rule *r, lint_run_fn fn, void *ud);
/* Call fn for every command of every RUN; st is the index of the command
 * name in argv after wrappers such as sudo or env. */
typedef void (*lint_cmd_fn)(struct lint_ctx *c, const struct lint_rule *r, const struct df_instr *in,
			    const struct sh_script *s, const struct sh_cmd *cmd, size_t st, void *ud);
void lint_each_cmd(struct lint_ctx *c, const struct lint_rule *r, lint_cmd_fn fn, void *ud);
bool sh_cmd_is(const struct sh_cmd *cmd, const char *name);
/* First command named `name` (after wrappers) whose first non-option
 * argument is `sub` (any when sub is NULL). */
const struct sh_cmd *sh_find_cmd(const struct sh_script *s, const char *name, const char *sub);

#endif
