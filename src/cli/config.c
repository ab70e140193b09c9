/* The configuration file (bulwark.yaml) and the BULWARK_<OPTION> environment
 * variables, turned into options placed before the command line's.
 *
 * The file is a YAML mapping. A key is either an option's long name, which
 * applies to every command that has that option ("global"), or a command's
 * name whose value is a mapping of that command's options:
 *
 *     severity: HIGH            # every command with --severity
 *     exit-code: 1
 *     image:
 *       scanners: [vuln, secret]
 *       ignore-unfixed: true
 *     lint:
 *       failure-threshold: warning
 *       disable: [DL3008, DL3015]
 *
 * A value is a scalar, or a list of scalars: joined with commas for the
 * options that take a comma list (scanners, severity, image-src), one option
 * each for the others (vex, disable, insecure-registry, ...). A flag takes
 * true or false. A key that is no option of any command (globally) or of
 * that command (in its section) is an error naming the file and line.
 *
 * Precedence, highest first: the command line, the environment, the
 * command's section, the file's global keys, the defaults. An option given
 * at a higher level replaces every value of the lower ones (a list too).
 *
 * The file: --config FILE (lint, whose -c/--config is Hadolint's file:
 * --bulwark-config FILE), else $BULWARK_CONFIG, else ./bulwark.yaml when it
 * exists. BULWARK_<OPTION> is the option's long name upper-cased with '-'
 * as '_' (BULWARK_EXIT_CODE); a repeatable option splits its value at
 * commas; variables that name no option of the command are not read (the
 * test suite's BULWARK and BULWARK_RELEASE among them).
 */
#include <errno.h>
#include <yaml.h>

#include "cli.h"

#define CONFIG_FILE "bulwark.yaml"
#define CONFIG_MAX (1024 * 1024)

enum level { LEVEL_GLOBAL = 1, LEVEL_SECTION, LEVEL_ENV };

struct entry {
	const struct option *opt;
	enum level level;
	char **values; /* NULL for a flag */
	size_t n_values;
	bool on; /* a flag's value */
	char *origin;
};

struct loader {
	struct bw_cli *cli;
	const struct option *longopts; /* the running command's */
	const char *path;
	yaml_document_t *doc;
	struct entry *entries;
	size_t n_entries;
};

/* Options that take a comma list: a YAML list is joined. */
static bool comma_option(const char *name)
{
	return !strcmp(name, "scanners") || !strcmp(name, "severity") || !strcmp(name, "image-src");
}

/* Options that may be given several times: an environment value is split
 * at commas. */
static bool repeatable_option(const char *name)
{
	static const char *const names[] = {
	    "vex", "disable", "ignore", "trusted-registry", "require-label", "insecure-registry", "inspect"};
	for (size_t i = 0; i < BW_ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* Options that are not configuration: never read from a file or variable. */
static bool reserved_option(const char *name)
{
	return !strcmp(name, "help") || !strcmp(name, "config") || !strcmp(name, "bulwark-config");
}

static const struct option *find_option(const struct option *opts, const char *name)
{
	for (; opts && opts->name; opts++)
		if (!strcmp(opts->name, name))
			return opts;
	return NULL;
}

/* The short options the commands define, by the long option they stand for. */
static const char *short_to_long(int c, const struct option *longopts)
{
	static const struct {
		char c;
		const char *name;
	} map[] = {{'f', "format"}, {'o', "output"}, {'q', "quiet"},  {'h', "help"},
		   {'c', "config"}, {'j', "jobs"},   {'H', "engine"}, {'t', "failure-threshold"}};
	for (size_t i = 0; i < BW_ARRAY_SIZE(map); i++)
		if (map[i].c == c && find_option(longopts, map[i].name))
			return map[i].name;
	return NULL;
}

static bool short_takes_value(const char *shortopts, char c)
{
	const char *p = strchr(shortopts, c);
	return p && c != ':' && p[1] == ':';
}

/* The long names the command line gives (shorts mapped to their long
 * names), and the bulwark configuration file it names. Values are skipped
 * the way getopt skips them. */
struct cmdline {
	const char **names;
	size_t n;
	const char *config;
};

static void scan_cmdline(int argc, char **argv, const struct option *longopts, const char *shortopts,
			 bool lint_config, struct cmdline *cl)
{
	/* at most one name an element, or one a character of a short cluster */
	size_t cap = 1;
	for (int i = 1; i < argc; i++)
		cap += strlen(argv[i]) + 1;
	cl->names = bw_calloc(cap, sizeof(*cl->names));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--"))
			break;
		if (a[0] != '-' || !a[1])
			continue;
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t nl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			char *name = bw_strndup(a + 2, nl);
			const struct option *o = find_option(longopts, name);
			bool is_config =
			    (!strcmp(name, "config") && !lint_config) || !strcmp(name, "bulwark-config");
			free(name);
			const char *val = eq ? eq + 1 : NULL;
			if ((o && o->has_arg == required_argument) || is_config) {
				if (!eq && i + 1 < argc)
					val = argv[++i];
			}
			if (is_config)
				cl->config = val;
			else if (o)
				cl->names[cl->n++] = o->name;
			continue;
		}
		for (const char *p = a + 1; *p; p++) {
			const char *ln = short_to_long(*p, longopts);
			if (ln)
				cl->names[cl->n++] = ln;
			if (short_takes_value(shortopts, *p)) {
				if (!p[1] && i + 1 < argc)
					i++;
				break;
			}
		}
	}
}

static bool given(const struct cmdline *cl, const char *name)
{
	for (size_t i = 0; i < cl->n; i++)
		if (!strcmp(cl->names[i], name))
			return true;
	return false;
}

static struct entry *add_entry(struct loader *l, const struct option *o, enum level lv, char *origin)
{
	l->entries = bw_realloc(l->entries, (l->n_entries + 1) * sizeof(*l->entries));
	struct entry *e = &l->entries[l->n_entries++];
	memset(e, 0, sizeof(*e));
	e->opt = o;
	e->level = lv;
	e->origin = origin;
	return e;
}

static void add_value(struct entry *e, const char *v, size_t n)
{
	e->values = bw_realloc(e->values, (e->n_values + 1) * sizeof(*e->values));
	e->values[e->n_values++] = bw_strndup(v, n);
}

static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1", "y"};
	static const char *const no[] = {"false", "no", "off", "0", "n", ""};
	for (size_t i = 0; i < BW_ARRAY_SIZE(yes); i++)
		if (!bw_strcasecmp(s, yes[i]))
			return *out = true, 0;
	for (size_t i = 0; i < BW_ARRAY_SIZE(no); i++)
		if (!bw_strcasecmp(s, no[i]))
			return *out = false, 0;
	return -1;
}

static int file_error(struct loader *l, yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int file_error(struct loader *l, yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "bulwark %s: %s:%zu: ", l->cli->cmd->name, l->path, n ? n->start_mark.line + 1 : 1);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return BW_EXIT_USAGE;
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* One key of the file: an option o (of the running command when apply). */
static int file_value(struct loader *l, const struct option *o, yaml_node_t *k, yaml_node_t *v, enum level lv,
		      bool apply)
{
	const char *name = o->name;
	if (reserved_option(name))
		return file_error(l, k, "'%s' cannot be set in the configuration file", name);
	struct entry tmp = {0}, *e = &tmp;
	if (o->has_arg == no_argument) {
		bool on;
		if (!scalar(v) || parse_bool(scalar(v), &on) < 0)
			return file_error(l, v, "%s takes true or false", name);
		e->on = on;
	} else if (scalar(v)) {
		add_value(e, scalar(v), v->data.scalar.length);
	} else if (v->type == YAML_SEQUENCE_NODE) {
		struct bw_buf joined;
		bw_buf_init(&joined, CONFIG_MAX);
		for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
		     it++) {
			yaml_node_t *c = yaml_document_get_node(l->doc, *it);
			if (!scalar(c)) {
				bw_buf_release(&joined);
				for (size_t i = 0; i < e->n_values; i++)
					free(e->values[i]);
				free(e->values);
				return file_error(l, c ? c : v, "%s: a list of strings expected", name);
			}
			if (comma_option(name)) {
				if (joined.len)
					bw_buf_addstr(&joined, ",");
				bw_buf_add(&joined, c->data.scalar.value, c->data.scalar.length);
			} else {
				add_value(e, scalar(c), c->data.scalar.length);
			}
		}
		if (comma_option(name))
			add_value(e, joined.data ? joined.data : "", joined.len);
		bw_buf_release(&joined);
	} else {
		return file_error(l, v, "%s takes a value or a list of values", name);
	}
	if (!apply) {
		for (size_t i = 0; i < e->n_values; i++)
			free(e->values[i]);
		free(e->values);
		return 0;
	}
	struct entry *real = add_entry(l, o, lv, bw_asprintf("%s:%zu", l->path, k->start_mark.line + 1));
	real->values = e->values;
	real->n_values = e->n_values;
	real->on = e->on;
	return 0;
}

/* Some command's option of that name, for a global key. */
static const struct option *any_command_option(const char *name)
{
	for (size_t i = 0; i < bw_n_commands; i++) {
		const struct option *o = find_option(bw_cli_command_options(&bw_commands[i]), name);
		if (o)
			return o;
	}
	return NULL;
}

static int load_section(struct loader *l, const struct bw_command *cmd, yaml_node_t *map)
{
	bool running = cmd == l->cli->cmd;
	const struct option *opts = running ? l->longopts : bw_cli_command_options(cmd);
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(l->doc, p->key),
			    *v = yaml_document_get_node(l->doc, p->value);
		const char *key = scalar(k);
		if (!key || !v)
			return file_error(l, k, "keys must be strings");
		const struct option *o = find_option(opts, key);
		if (!o)
			return file_error(l, k, "unknown key '%s': not an option of 'bulwark %s'", key,
					  cmd->name);
		int rc = file_value(l, o, k, v, LEVEL_SECTION, running);
		if (rc)
			return rc;
	}
	return 0;
}

static int load_file(struct loader *l, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser)) {
		fprintf(stderr, "bulwark %s: %s: cannot start the YAML parser\n", l->cli->cmd->name, l->path);
		return BW_EXIT_ERROR;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		fprintf(stderr, "bulwark %s: %s:%zu:%zu: %s\n", l->cli->cmd->name, l->path,
			parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			parser.problem ? parser.problem : "invalid YAML");
		yaml_parser_delete(&parser);
		return BW_EXIT_USAGE;
	}
	l->doc = &doc;
	int rc = 0;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root && root->type != YAML_MAPPING_NODE)
		rc = file_error(l, root, "the configuration must be a mapping of options and commands");
	for (yaml_node_pair_t *p = root && !rc ? root->data.mapping.pairs.start : NULL;
	     p && p < root->data.mapping.pairs.top && !rc; p++) {
		yaml_node_t *k = yaml_document_get_node(&doc, p->key),
			    *v = yaml_document_get_node(&doc, p->value);
		const char *key = scalar(k);
		if (!key || !v) {
			rc = file_error(l, k ? k : root, "keys must be strings");
			break;
		}
		/* a command's section is a mapping ("db" is also an option: a scalar) */
		const struct bw_command *cmd = bw_cli_find(key);
		if (cmd && v->type == YAML_MAPPING_NODE) {
			rc = load_section(l, cmd, v);
			continue;
		}
		const struct option *mine = find_option(l->longopts, key);
		const struct option *o = mine ? mine : any_command_option(key);
		if (!o) {
			rc = file_error(l, k, "unknown key '%s': not an option of any command%s", key,
					cmd ? " (a command's section is a mapping)" : "");
			break;
		}
		rc = file_value(l, o, k, v, LEVEL_GLOBAL, mine != NULL);
	}
	l->doc = NULL;
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

static int load_env(struct loader *l)
{
	for (const struct option *o = l->longopts; o->name; o++) {
		if (reserved_option(o->name))
			continue;
		char var[128];
		int n = snprintf(var, sizeof(var), "BULWARK_%s", o->name);
		if (n < 0 || (size_t)n >= sizeof(var))
			continue;
		for (char *p = var + 8; *p; p++)
			*p = *p == '-' ? '_' : (char)bw_toupper((unsigned char)*p);
		const char *val = getenv(var);
		if (!val)
			continue;
		struct entry *e = add_entry(l, o, LEVEL_ENV, bw_strdup(var));
		if (o->has_arg == no_argument) {
			if (parse_bool(val, &e->on) < 0) {
				fprintf(stderr,
					"bulwark %s: %s='%s': a flag takes true or false (1/0, yes/no)\n",
					l->cli->cmd->name, var, val);
				return BW_EXIT_USAGE;
			}
		} else if (repeatable_option(o->name)) {
			for (const char *s = val;;) {
				const char *c = strchr(s, ',');
				size_t len = c ? (size_t)(c - s) : strlen(s);
				if (len)
					add_value(e, s, len);
				if (!c)
					break;
				s = c + 1;
			}
		} else {
			add_value(e, val, strlen(val));
		}
	}
	return 0;
}

int bw_cli_preset_load(struct bw_cli *cli, int argc, char **argv, const struct option *longopts,
		       const char *shortopts, struct bw_cli_preset *out)
{
	memset(out, 0, sizeof(*out));
	/* lint keeps Hadolint's -c/--config: the bulwark file is --bulwark-config there */
	bool own_config = find_option(longopts, "config") != NULL;
	struct cmdline cl = {0};
	scan_cmdline(argc, argv, longopts, shortopts, own_config, &cl);
	struct loader l = {.cli = cli, .longopts = longopts};
	int rc = 0;

	const char *path = cl.config;
	if (!path && getenv("BULWARK_CONFIG") && *getenv("BULWARK_CONFIG"))
		path = getenv("BULWARK_CONFIG");
	if (!path && access(CONFIG_FILE, F_OK) == 0)
		path = CONFIG_FILE;
	if (path) {
		struct bw_buf b;
		struct bw_error err = BW_ERROR_INIT;
		bw_buf_init(&b, CONFIG_MAX);
		if (bw_buf_read_file(&b, path, &err) < 0) {
			out->unreadable = bw_strdup(err.msg);
		} else {
			l.path = path;
			rc = load_file(&l, b.data ? b.data : "", b.len);
		}
		bw_buf_release(&b);
	}
	if (!rc && !out->unreadable)
		rc = load_env(&l);

	/* the highest level of each option wins, the command line above all */
	for (size_t i = 0; !rc && i < l.n_entries; i++) {
		struct entry *e = &l.entries[i];
		if (given(&cl, e->opt->name))
			continue;
		bool beaten = false;
		for (size_t j = 0; j < l.n_entries && !beaten; j++)
			beaten = l.entries[j].opt == e->opt &&
				 (l.entries[j].level > e->level || (l.entries[j].level == e->level && j > i));
		if (beaten)
			continue;
		size_t add = e->opt->has_arg == no_argument ? (e->on ? 1 : 0) : e->n_values;
		out->argv = bw_realloc(out->argv, (out->n + add + 1) * sizeof(*out->argv));
		out->origin = bw_realloc(out->origin, (out->n + add + 1) * sizeof(*out->origin));
		for (size_t k = 0; k < add; k++) {
			out->argv[out->n] = e->opt->has_arg == no_argument
						? bw_asprintf("--%s", e->opt->name)
						: bw_asprintf("--%s=%s", e->opt->name, e->values[k]);
			out->origin[out->n] = bw_strdup(e->origin);
			out->n++;
		}
	}
	for (size_t i = 0; i < l.n_entries; i++) {
		for (size_t k = 0; k < l.entries[i].n_values; k++)
			free(l.entries[i].values[k]);
		free(l.entries[i].values);
		free(l.entries[i].origin);
	}
	free(l.entries);
	free(cl.names);
	if (rc)
		bw_cli_preset_release(out);
	return rc;
}

void bw_cli_preset_release(struct bw_cli_preset *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->argv[i]);
		free(p->origin[i]);
	}
	free(p->argv);
	free(p->origin);
	free(p->unreadable);
	memset(p, 0, sizeof(*p));
}
