/* The help texts read back as structure (helpdoc.h says the layout), and the
 * hidden `bulwark help --man|--man-dir|--completion` that writes what the
 * build installs. */
#include <errno.h>
#include <sys/stat.h>

#include "helpdoc.h"
#include "scan/scan.h"

static struct bw_helpdoc_item *add_item(struct bw_helpdoc *d, enum bw_helpdoc_kind kind, int indent)
{
	BW_ALLOC_GROW(d->items, d->n_items + 1, d->alloc_items);
	struct bw_helpdoc_item *it = &d->items[d->n_items++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->indent = indent;
	return it;
}

static void append_line(struct bw_helpdoc_item *it, const char *s, size_t n)
{
	char *t = it->text ? bw_asprintf("%s\n%.*s", it->text, (int)n, s) : bw_strndup(s, n);
	free(it->text);
	it->text = t;
}

static struct bw_slice trim(const char *s, size_t n)
{
	while (n && s[0] == ' ')
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	return (struct bw_slice){s, n};
}

/* "word:" or "two words:" at the start of an unindented line; returns the
 * length of the name, 0 when the line is not a section heading. */
static size_t section_name(const char *s, size_t n)
{
	size_t i = 0;
	if (!n || !bw_islower((unsigned char)s[0]))
		return 0;
	while (i < n && i <= 24 && (bw_islower((unsigned char)s[i]) || s[i] == ' '))
		i++;
	if (i >= n || s[i] != ':' || (i + 1 < n && s[i + 1] != ' '))
		return 0;
	return i;
}

static bool arg_char(char c)
{
	return bw_isupper((unsigned char)c) || bw_isdigit((unsigned char)c) || c == '_' || c == '[' ||
	       c == ']' || c == ':' || c == '.' || c == '-';
}

/* An option line: "-x, --long ARG  desc" or "--long ARG  desc". */
static bool parse_option(struct bw_helpdoc *d, const char *s, size_t n, int indent)
{
	char shortopt = 0;
	if (n > 6 && s[0] == '-' && bw_isalnum((unsigned char)s[1]) && s[2] == ',' && s[3] == ' ' &&
	    s[4] == '-' && s[5] == '-') {
		shortopt = s[1];
		s += 4, n -= 4;
	}
	if (n < 3 || s[0] != '-' || s[1] != '-' || !bw_isalnum((unsigned char)s[2]))
		return false;
	size_t i = 2;
	while (i < n && (bw_isalnum((unsigned char)s[i]) || s[i] == '-'))
		i++;
	if (i < n && s[i] != ' ')
		return false; /* "--format=json" in running text */
	struct bw_helpdoc_item *it = add_item(d, BW_HELPDOC_OPTION, indent);
	it->shortopt = shortopt;
	it->name = bw_strndup(s + 2, i - 2);
	if (i + 1 < n && s[i] == ' ' && bw_isupper((unsigned char)s[i + 1])) {
		size_t j = i + 1;
		while (j < n && arg_char(s[j]))
			j++;
		if (j == n || s[j] == ' ') {
			it->arg = bw_strndup(s + i + 1, j - i - 1);
			i = j;
		}
	}
	struct bw_slice rest = trim(s + i, n - i);
	if (rest.len)
		append_line(it, rest.ptr, rest.len);
	return true;
}

/* "term   description": the first gap of two or more spaces; 0 when none. */
static size_t term_gap(const char *s, size_t n)
{
	for (size_t i = 1; i + 2 < n; i++)
		if (s[i] == ' ' && s[i + 1] == ' ' && s[i - 1] != ' ') {
			size_t j = i;
			while (j < n && s[j] == ' ')
				j++;
			return j < n ? i : 0;
		}
	return 0;
}

static void parse_subcommands(struct bw_helpdoc *d)
{
	/* "bulwark CMD [inspect|files|cat] ..." or "bulwark CMD import|update|info ..." */
	const char *p = d->synopsis;
	for (int skip = 0; skip < 2 && p; skip++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p)
		return;
	size_t n = strcspn(p, " ");
	bool optional = n > 2 && p[0] == '[' && p[n - 1] == ']';
	if (optional)
		p++, n -= 2;
	if (!memchr(p, '|', n))
		return;
	for (size_t i = 0; i < n; i++)
		if (!bw_islower((unsigned char)p[i]) && p[i] != '|')
			return;
	d->subcommand_optional = optional;
	while (n && d->n_subcommands < BW_ARRAY_SIZE(d->subcommands)) {
		size_t w = 0;
		while (w < n && p[w] != '|')
			w++;
		d->subcommands[d->n_subcommands++] = bw_strndup(p, w);
		p += w, n -= w;
		if (n)
			p++, n--;
	}
}

void bw_helpdoc_parse(const char *text, struct bw_helpdoc *d)
{
	memset(d, 0, sizeof(*d));
	struct bw_helpdoc_item *cur = NULL;
	bool first = true;
	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *next = nl ? nl + 1 : line + len;
		struct bw_slice body = trim(line, len);
		int indent = (int)(body.ptr - line);
		if (first && bw_slice_has_prefix(body, "usage: ")) {
			d->synopsis = bw_strndup(body.ptr + 7, body.len - 7);
			parse_subcommands(d);
			first = false;
			line = next;
			continue;
		}
		first = false;
		size_t sn;
		if (!body.len) {
			cur = NULL;
		} else if (indent == 0 && (sn = section_name(body.ptr, body.len))) {
			struct bw_helpdoc_item *it = add_item(d, BW_HELPDOC_SECTION, 0);
			it->name = bw_strndup(body.ptr, sn);
			struct bw_slice rest = trim(body.ptr + sn + 1, body.len - sn - 1);
			cur = NULL;
			if (rest.len) {
				cur = add_item(d, BW_HELPDOC_PARA, 0);
				append_line(cur, rest.ptr, rest.len);
			}
		} else if (indent == 0) {
			if (!cur || cur->kind != BW_HELPDOC_PARA)
				cur = add_item(d, BW_HELPDOC_PARA, 0);
			append_line(cur, body.ptr, body.len);
		} else if (body.ptr[0] == '-' && parse_option(d, body.ptr, body.len, indent)) {
			cur = &d->items[d->n_items - 1];
		} else if (cur && (cur->kind == BW_HELPDOC_TERM || cur->kind == BW_HELPDOC_OPTION) &&
			   indent > cur->indent + 2) {
			append_line(cur, body.ptr, body.len);
		} else if ((sn = term_gap(body.ptr, body.len))) {
			cur = add_item(d, BW_HELPDOC_TERM, indent);
			cur->name = bw_strndup(body.ptr, sn);
			struct bw_slice rest = trim(body.ptr + sn, body.len - sn);
			append_line(cur, rest.ptr, rest.len);
		} else {
			if (!cur || cur->kind != BW_HELPDOC_PARA)
				cur = add_item(d, BW_HELPDOC_PARA, indent);
			append_line(cur, body.ptr, body.len);
		}
		line = next;
	}
	if (!d->synopsis)
		d->synopsis = bw_strdup("");
}

void bw_helpdoc_release(struct bw_helpdoc *d)
{
	for (size_t i = 0; i < d->n_items; i++) {
		free(d->items[i].name);
		free(d->items[i].arg);
		free(d->items[i].text);
	}
	free(d->items);
	for (size_t i = 0; i < d->n_subcommands; i++)
		free(d->subcommands[i]);
	free(d->synopsis);
	memset(d, 0, sizeof(*d));
}

/* ---- option values --------------------------------------------------------- */

static bool accept_format(const char *w)
{
	return bw_format_parse(w) >= 0;
}

static bool accept_severity(const char *w)
{
	int s = bw_severity_parse(w);
	return s >= 0 && strcmp(bw_severity_name((enum bw_severity)s), w) == 0;
}

static bool accept_scanner(const char *w)
{
	unsigned flags;
	const char *bad;
	size_t bl;
	return bw_scan_parse_scanners(w, &flags, &bad, &bl) == 0 && flags;
}

static bool (*option_acceptor(const struct bw_helpdoc_item *opt))(const char *)
{
	if (!strcmp(opt->name, "format"))
		return accept_format;
	if (!strcmp(opt->name, "severity"))
		return accept_severity;
	if (!strcmp(opt->name, "scanners"))
		return accept_scanner;
	return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

enum bw_helpdoc_value bw_helpdoc_option_value(const struct bw_helpdoc_item *opt)
{
	if (!opt->arg)
		return BW_VALUE_NONE;
	if (option_acceptor(opt))
		return strcmp(opt->arg, "LIST") == 0 ? BW_VALUE_LIST : BW_VALUE_WORDS;
	if (ends_with(opt->arg, "DIR"))
		return BW_VALUE_DIR;
	if (ends_with(opt->arg, "FILE") || ends_with(opt->arg, "PATH"))
		return BW_VALUE_FILE;
	return BW_VALUE_FREE;
}

/* The distinct words of text (runs of letters and digits, joined by single
 * hyphens: gitlab-codequality) that accept takes. */
static size_t accepted_words(const char *text, bool (*accept)(const char *), char *buf, size_t buflen,
			     const char **words, size_t max)
{
	size_t n = 0, used = 0;
	for (const char *p = text ? text : ""; *p && n < max;) {
		if (!bw_isalnum((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *s = p;
		while (bw_isalnum((unsigned char)*p) || (*p == '-' && bw_isalnum((unsigned char)p[1])))
			p++;
		size_t len = (size_t)(p - s);
		if (used + len + 1 > buflen)
			break;
		char *w = buf + used;
		memcpy(w, s, len);
		w[len] = '\0';
		if (!accept(w))
			continue;
		bool dup = false;
		for (size_t i = 0; i < n && !dup; i++)
			dup = strcmp(words[i], w) == 0;
		if (dup)
			continue;
		words[n++] = w;
		used += len + 1;
	}
	return n;
}

size_t bw_helpdoc_option_words(const struct bw_helpdoc_item *opt, char *buf, size_t buflen,
			       const char **words, size_t max)
{
	bool (*accept)(const char *) = option_acceptor(opt);
	return accept ? accepted_words(opt->text, accept, buf, buflen, words, max) : 0;
}

size_t bw_helpdoc_section_words(const struct bw_helpdoc *d, const char *name, bool (*accept)(const char *w),
				char *buf, size_t buflen, const char **words, size_t max)
{
	for (size_t i = 0; i + 1 < d->n_items; i++)
		if (d->items[i].kind == BW_HELPDOC_SECTION && strcmp(d->items[i].name, name) == 0 &&
		    d->items[i + 1].kind == BW_HELPDOC_PARA)
			return accepted_words(d->items[i + 1].text, accept, buf, buflen, words, max);
	return 0;
}

/* ---- bulwark help --man|--man-dir|--completion ------------------------------- */

static int helpgen_usage(void)
{
	fprintf(stderr, "usage: bulwark help --man [COMMAND]\n"
			"       bulwark help --man-dir DIR [COMMAND...]\n"
			"       bulwark help --completion bash|zsh|fish\n");
	return BW_EXIT_USAGE;
}

static int write_man_file(const char *dir, const struct bw_command *cmd, bw_helpdoc_main_fn main_help)
{
	char *path = cmd ? bw_asprintf("%s/bulwark-%s.1", dir, cmd->name) : bw_asprintf("%s/bulwark.1", dir);
	FILE *f = fopen(path, "we");
	if (!f) {
		fprintf(stderr, "bulwark help: cannot write %s: %s\n", path, strerror(errno));
		free(path);
		return BW_EXIT_ERROR;
	}
	int rc = bw_cli_write_man(f, cmd, main_help);
	if (fclose(f) != 0 && !rc) {
		fprintf(stderr, "bulwark help: writing %s failed: %s\n", path, strerror(errno));
		rc = BW_EXIT_ERROR;
	}
	free(path);
	return rc;
}

/* --man-dir DIR NAME...: every command's page and bulwark.1. The names the
 * build expects must be exactly the commands of the table (meson reads them
 * from commands.c): a command added or removed fails the build until both
 * agree, instead of a page silently missing from the install. */
static int man_dir(int argc, char **argv, bw_helpdoc_main_fn main_help)
{
	if (argc < 2)
		return helpgen_usage();
	const char *dir = argv[1];
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "bulwark help: cannot create %s: %s\n", dir, strerror(errno));
		return BW_EXIT_ERROR;
	}
	if (argc > 2) {
		bool ok = (size_t)(argc - 2) == bw_n_commands;
		for (int i = 2; i < argc; i++)
			if (!bw_cli_find(argv[i])) {
				fprintf(stderr, "bulwark help: '%s' is not a command\n", argv[i]);
				ok = false;
			}
		if (!ok) {
			fprintf(stderr, "bulwark help: the build's list of commands differs from the command "
					"table (src/cli/commands.c)\n");
			return BW_EXIT_USAGE;
		}
	}
	int rc = write_man_file(dir, NULL, main_help);
	for (size_t i = 0; !rc && i < bw_n_commands; i++)
		rc = write_man_file(dir, &bw_commands[i], main_help);
	return rc;
}

int bw_cli_helpgen(int argc, char **argv, bw_helpdoc_main_fn main_help)
{
	const char *opt = argv[0];
	if (strcmp(opt, "--man") == 0) {
		if (argc > 2)
			return helpgen_usage();
		const struct bw_command *cmd = NULL;
		if (argc == 2 && !(cmd = bw_cli_find(argv[1]))) {
			fprintf(stderr, "bulwark: unknown command '%s'\n", argv[1]);
			return BW_EXIT_USAGE;
		}
		int rc = bw_cli_write_man(stdout, cmd, main_help);
		return rc ? rc : (fflush(stdout) == 0 ? BW_EXIT_OK : BW_EXIT_ERROR);
	}
	if (strcmp(opt, "--man-dir") == 0)
		return man_dir(argc, argv, main_help);
	if (strcmp(opt, "--completion") == 0) {
		if (argc != 2)
			return helpgen_usage();
		int rc = bw_cli_write_completion(stdout, argv[1]);
		return rc ? rc : (fflush(stdout) == 0 ? BW_EXIT_OK : BW_EXIT_ERROR);
	}
	return helpgen_usage();
}
