/* shell — a POSIX sh parser: enough of the shell grammar for rules to look
 * at commands and their arguments rather than at substrings (RUN
 * instructions of a Dockerfile, RUN steps of an image's history).
 *
 * Ownership: sh_parse() allocates everything it returns (the script, its
 * commands, words and redirections) from the caller's arena and keeps no
 * pointer to its input; releasing the arena frees it all. The other
 * functions only read their arguments. Reentrant and thread-safe.
 */
#ifndef BW_SHELL_H
#define BW_SHELL_H

#include "core/core.h"

enum sh_sep { SH_SEP_NONE = 0, SH_SEP_SEQ, SH_SEP_AND, SH_SEP_OR, SH_SEP_PIPE, SH_SEP_BG };

#define SH_W_QUOTED 1u /* some part was quoted */
#define SH_W_EXPAND 2u /* contains $… or `…` */
#define SH_W_GLOB 4u   /* contains unquoted * ? [ */

struct sh_word {
	const char *text; /* quotes removed, expansions kept verbatim */
	size_t off, end;  /* in the script */
	unsigned flags;
};

struct sh_redir {
	const char *op; /* ">", ">>", "<", "<<", "2>", "&>", … */
	struct sh_word target;
};

struct sh_cmd {
	struct sh_word *argv;
	size_t argc;
	struct sh_word *assigns; /* NAME=value before the command */
	size_t n_assigns;
	struct sh_redir *redirs;
	size_t n_redirs;
	enum sh_sep sep; /* what joined it to the previous command */
	bool pipe_out;	 /* its output feeds a `|` */
	int depth;	 /* ( ) subshell and $( ) nesting */
	bool in_subst;	 /* inside $( ) or ` ` */
	size_t off, end;
	size_t start;	  /* cached sh_cmd_start() */
	const char *name; /* cached sh_cmd_name() */
};

struct sh_script {
	struct sh_cmd *cmds;
	size_t n_cmds, cap_cmds;
	bool has_pipe;
	const char *error; /* first syntax problem (unterminated quote, …), or NULL */
	size_t error_off;
};

/* Parse POSIX sh. Everything is allocated from a. Never fails: on a syntax
 * error the commands read so far are kept and `error` is set. Commands of
 * $( ), ` ` and `sh -c '…'` are parsed too, with depth > 0. */
void sh_parse(struct bw_arena *a, const char *s, size_t len, struct sh_script *out);

/* Fill the cached start/name of a command built by hand. */
void sh_cmd_cache(struct sh_cmd *c);
/* argv[0] without its directory, or "" */
const char *sh_cmd_name(const struct sh_cmd *c);
/* Index of the real command after wrappers (sudo, env, nice, time, exec,
 * command, nohup, xargs, timeout, stdbuf, su -c is not followed). */
size_t sh_cmd_start(const struct sh_cmd *c);

/* Helpers for command rules */
bool sh_has_opt(const struct sh_cmd *c, size_t from, char shortopt, const char *const *longopts);
/* The first non-option word after `from` (skipping options in with_arg), or 0. */
size_t sh_subcommand(const struct sh_cmd *c, size_t from, const char *const *with_arg);

#endif
