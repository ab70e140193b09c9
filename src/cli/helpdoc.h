/* helpdoc — the help text every command prints, read back as structure, so
 * that the man pages (manpage.c) and the shell completions (completion.c)
 * are generated from the very text `bulwark help COMMAND` shows and cannot
 * drift from it. Private to src/cli.
 *
 * The help texts follow one layout, which this reader relies on:
 *   - the first line is "usage: bulwark CMD ..." (the synopsis); a first
 *     operand such as "[inspect|files|cat]" or "import|update|info" names the
 *     subcommands;
 *   - an unindented "word:" or "two words:" line starts a section ("targets:",
 *     "options:"), optionally followed by text on the same line;
 *   - an indented "-x, --long ARG  description" or "--long ARG  description"
 *     line is an option (ARG in capitals, when it takes one);
 *   - another indented line with a gap of two or more spaces is a term and its
 *     description ("  bulwark image inspect TARGET     digest, ...");
 *   - a line indented deeper than the term or option above continues its
 *     description; other lines are running text, blank lines end paragraphs.
 *
 * Ownership: bw_helpdoc_parse() fills a struct bw_helpdoc that owns all its
 * strings; bw_helpdoc_release() frees them. */
#ifndef BW_CLI_HELPDOC_H
#define BW_CLI_HELPDOC_H

#include "cli.h"

enum bw_helpdoc_kind {
	BW_HELPDOC_PARA,    /* running text: lines joined with '\n' */
	BW_HELPDOC_SECTION, /* "targets:": name is "targets" */
	BW_HELPDOC_TERM,    /* name is the term, text its description */
	BW_HELPDOC_OPTION,  /* name is the long option without "--" */
};

struct bw_helpdoc_item {
	enum bw_helpdoc_kind kind;
	char shortopt; /* option: its one-letter form, or 0 */
	char *name;
	char *arg;  /* option: "FILE", "FMT", ...; NULL for a flag */
	char *text; /* description or paragraph, lines separated by '\n' */
	int indent; /* column the term or option starts at */
};

struct bw_helpdoc {
	char *synopsis; /* the usage line after "usage: " */
	char *subcommands[16];
	size_t n_subcommands;
	bool subcommand_optional; /* "[inspect|files|cat]": the operand may be a target instead */
	struct bw_helpdoc_item *items;
	size_t n_items, alloc_items;
};

void bw_helpdoc_parse(const char *text, struct bw_helpdoc *d);
void bw_helpdoc_release(struct bw_helpdoc *d);

/* The main help (main.c prints it); `print` writes it to a stream. */
typedef void (*bw_helpdoc_main_fn)(FILE *out);

/* The value an option takes, for completions. */
enum bw_helpdoc_value {
	BW_VALUE_NONE,	/* a flag */
	BW_VALUE_FREE,	/* a number, a name: nothing to offer */
	BW_VALUE_FILE,	/* a file name */
	BW_VALUE_DIR,	/* a directory name */
	BW_VALUE_WORDS, /* one of the words of bw_helpdoc_option_words() */
	BW_VALUE_LIST,	/* a comma list of those words */
};
enum bw_helpdoc_value bw_helpdoc_option_value(const struct bw_helpdoc_item *opt);
/* The words an option's value may be: the words of its description that
 * bulwark's own parser of that option accepts (--format, --severity,
 * --scanners). Fills at most max entries (pointers into buf) and returns the
 * number. */
size_t bw_helpdoc_option_words(const struct bw_helpdoc_item *opt, char *buf, size_t buflen,
			       const char **words, size_t max);
/* The words of section `name`'s text (e.g. vercmp's "schemes:") that `accept`
 * takes; same contract. */
size_t bw_helpdoc_section_words(const struct bw_helpdoc *d, const char *name, bool (*accept)(const char *w),
				char *buf, size_t buflen, const char **words, size_t max);

/* Writers (manpage.c, completion.c). Return 0, or BW_EXIT_USAGE / BW_EXIT_ERROR
 * after printing why. */
int bw_cli_write_man(FILE *out, const struct bw_command *cmd, bw_helpdoc_main_fn main_help);
int bw_cli_write_completion(FILE *out, const char *shell);

/* `bulwark help --man [COMMAND]`, `bulwark help --man-dir DIR [COMMAND...]`,
 * `bulwark help --completion bash|zsh|fish`: argv[0] is the option. Hidden:
 * the build runs them (meson) to make the man pages and completions. */
int bw_cli_helpgen(int argc, char **argv, bw_helpdoc_main_fn main_help);

#endif
