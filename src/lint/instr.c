/* Arguments of one instruction, the way BuildKit's line parsers split them:
 *
 * - the keyword is the first blank-separated word (case-insensitive);
 * - builder flags are leading words that start with "--" (quotes and the
 *   escape character are honoured inside them); a lone "--" ends them;
 * - RUN, CMD, ENTRYPOINT, SHELL: exec form when the rest is a JSON array of
 *   strings, otherwise shell form (BuildKit silently falls back to shell
 *   form for an invalid array; we keep a note of it);
 * - COPY, ADD, VOLUME: JSON array or blank-separated words;
 * - ENV, LABEL: name=value words (quotes keep blanks), or the legacy
 *   "ENV name value" when the first word has no "=";
 * - ARG: name[=default] words; HEALTHCHECK: NONE or CMD <command>;
 *   ONBUILD: a whole instruction.
 * Shape errors BuildKit would report are kept in `malformed`.
 */
#include "lint-int.h"

static const struct {
	const char *name;
	enum df_kind kind;
	const char *flags; /* allowed builder flags, space separated */
} keywords[] = {
    {"ADD", DF_ADD, " chown chmod link checksum keep-git-dir exclude unpack "},
    {"ARG", DF_ARG, ""},
    {"CMD", DF_CMD, ""},
    {"COPY", DF_COPY, " from chown chmod link parents exclude "},
    {"ENTRYPOINT", DF_ENTRYPOINT, ""},
    {"ENV", DF_ENV, ""},
    {"EXPOSE", DF_EXPOSE, ""},
    {"FROM", DF_FROM, " platform "},
    {"HEALTHCHECK", DF_HEALTHCHECK, " interval timeout start-period start-interval retries "},
    {"LABEL", DF_LABEL, ""},
    {"MAINTAINER", DF_MAINTAINER, ""},
    {"ONBUILD", DF_ONBUILD, ""},
    {"RUN", DF_RUN, " mount network security device "},
    {"SHELL", DF_SHELL, ""},
    {"STOPSIGNAL", DF_STOPSIGNAL, ""},
    {"USER", DF_USER, ""},
    {"VOLUME", DF_VOLUME, ""},
    {"WORKDIR", DF_WORKDIR, ""},
};

const char *df_kind_name(enum df_kind k)
{
	for (size_t i = 0; i < BW_ARRAY_SIZE(keywords); i++)
		if (keywords[i].kind == k)
			return keywords[i].name;
	return "UNKNOWN";
}

static bool blank(char c)
{
	return bw_isspace(c);
}

/* ---- JSON array of strings ---- */

static int hexval(char c)
{
	if (bw_isdigit(c))
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

static void put_utf8(struct bw_buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	bw_buf_add(b, u, n);
}

static bool read_u4(const char **p, const char *e, unsigned *out)
{
	if (e - *p < 4)
		return false;
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval((*p)[i]);
		if (h < 0)
			return false;
		v = v * 16 + (unsigned)h;
	}
	*p += 4;
	*out = v;
	return true;
}

/* Parse s[0..n) as a JSON array of strings into the arena. */
static bool parse_json_array(struct bw_arena *a, const char *s, size_t n, const char ***argv, size_t *argc)
{
	const char *p = s, *e = s + n;
	while (p < e && blank(*p))
		p++;
	if (p >= e || *p != '[')
		return false;
	p++;
	const char **v = NULL;
	size_t cnt = 0, cap = 0;
	struct bw_buf b;
	bw_buf_init(&b, n + 1);
	bool ok = false, first = true;
	for (;;) {
		while (p < e && blank(*p))
			p++;
		if (p >= e)
			goto out;
		if (*p == ']') {
			if (!first && cnt == 0)
				goto out;
			p++;
			break;
		}
		if (!first) {
			if (*p != ',')
				goto out;
			p++;
			while (p < e && blank(*p))
				p++;
		}
		first = false;
		if (p >= e || *p != '"')
			goto out;
		p++;
		bw_buf_reset(&b);
		for (;;) {
			if (p >= e)
				goto out;
			unsigned char ch = (unsigned char)*p;
			if (ch == '"') {
				p++;
				break;
			}
			if (ch < 0x20)
				goto out;
			if (ch != '\\') {
				bw_buf_add(&b, p, 1);
				p++;
				continue;
			}
			p++;
			if (p >= e)
				goto out;
			char esc = *p++;
			static const char named[] = "\"\\/bfnrt", value[] = "\"\\/\b\f\n\r\t";
			const char *k = esc ? strchr(named, esc) : NULL;
			if (k) {
				bw_buf_add(&b, &value[k - named], 1);
				continue;
			}
			if (esc != 'u')
				goto out;
			unsigned cp;
			if (!read_u4(&p, e, &cp))
				goto out;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				unsigned lo;
				if (e - p >= 6 && p[0] == '\\' && p[1] == 'u') {
					p += 2;
					if (!read_u4(&p, e, &lo) || lo < 0xDC00 || lo > 0xDFFF)
						goto out;
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				} else {
					cp = 0xFFFD;
				}
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				cp = 0xFFFD;
			}
			if (cp == 0)
				goto out; /* keep C strings honest */
			put_utf8(&b, cp);
		}
		BW_ARENA_GROW(a, v, cnt + 1, cnt, cap);
		v[cnt++] = bw_arena_strndup(a, b.data ? b.data : "", b.len);
	}
	while (p < e && blank(*p))
		p++;
	if (p != e)
		goto out;
	ok = true;
	*argv = v;
	*argc = cnt;
out:
	bw_buf_release(&b);
	return ok;
}

/* ---- words ---- */

static void add_word(struct bw_arena *a, struct df_instr *in, size_t *cap, const char *w, size_t n,
		     size_t off)
{
	size_t cap_off = *cap; /* argv_off grows with argv */
	BW_ARENA_GROW(a, in->argv, in->argc + 1, in->argc, *cap);
	BW_ARENA_GROW(a, in->argv_off, in->argc + 1, in->argc, cap_off);
	in->argv[in->argc] = bw_arena_strndup(a, w, n);
	in->argv_off[in->argc] = off;
	in->argc++;
}

/* parseStringsWhitespaceDelimited */
static void split_blank(struct bw_arena *a, struct df_instr *in)
{
	size_t cap = 0;
	const char *s = in->text + in->args_off, *e = in->text + in->text_len;
	while (s < e) {
		while (s < e && blank(*s))
			s++;
		const char *w = s;
		while (s < e && !blank(*s))
			s++;
		if (s > w)
			add_word(a, in, &cap, w, (size_t)(s - w), (size_t)(w - in->text));
	}
}

/* parseWords: blank-separated, quotes group, the escape keeps the next char. */
static void split_words(struct bw_arena *a, struct df_instr *in, char esc)
{
	size_t cap = 0;
	const char *s = in->text + in->args_off, *e = in->text + in->text_len;
	while (s < e) {
		while (s < e && blank(*s))
			s++;
		const char *w = s;
		char q = 0;
		while (s < e) {
			if (q) {
				if (*s == q)
					q = 0;
				else if (*s == esc && q == '"' && s + 1 < e)
					s++;
			} else if (*s == '"' || *s == '\'') {
				q = *s;
			} else if (*s == esc && s + 1 < e) {
				s++;
			} else if (blank(*s)) {
				break;
			}
			s++;
		}
		if (s > w)
			add_word(a, in, &cap, w, (size_t)(s - w), (size_t)(w - in->text));
	}
}

static void parse_kv(struct df_file *f, struct df_instr *in, bool allow_bare)
{
	split_words(&f->arena, in, f->escape);
	if (in->argc == 0)
		return;
	if (!allow_bare && !strchr(in->argv[0], '=')) {
		/* legacy: ENV name value */
		const char *s = in->args;
		size_t n = strlen(s), i = 0;
		while (i < n && !blank(s[i]))
			i++;
		size_t j = i;
		while (j < n && blank(s[j]))
			j++;
		in->legacy_kv = true;
		in->kvs = bw_arena_alloc(&f->arena, sizeof(*in->kvs));
		in->kvs[0].key = bw_arena_strndup(&f->arena, s, i);
		in->kvs[0].off = in->args_off;
		if (j >= n) {
			in->malformed = bw_arena_strdup(&f->arena, "ENV must have two arguments");
			in->kvs[0].value = "";
		} else {
			in->kvs[0].value = bw_arena_strdup(&f->arena, s + j);
		}
		in->n_kvs = 1;
		return;
	}
	in->kvs = bw_arena_alloc(&f->arena, in->argc * sizeof(*in->kvs));
	for (size_t i = 0; i < in->argc; i++) {
		const char *w = in->argv[i], *eq = strchr(w, '=');
		struct df_kv *kv = &in->kvs[in->n_kvs++];
		kv->off = in->argv_off[i];
		if (!eq) {
			kv->key = w;
			kv->value = NULL;
			if (!allow_bare && !in->malformed)
				in->malformed = bw_arena_strdup(
				    &f->arena, "can't find = in a word: the form is name=value");
			continue;
		}
		kv->key = bw_arena_strndup(&f->arena, w, (size_t)(eq - w));
		kv->value = eq + 1;
	}
}

static void maybe_json(struct df_file *f, struct df_instr *in, bool to_list)
{
	const char *s = in->args;
	if (s[0] == '[') {
		if (parse_json_array(&f->arena, s, strlen(s), &in->argv, &in->argc)) {
			in->json = true;
			return;
		}
		in->json_invalid = true;
	}
	if (to_list)
		split_blank(&f->arena, in);
}

static void set_malformed(struct df_file *f, struct df_instr *in, const char *msg)
{
	if (!in->malformed)
		in->malformed = bw_arena_strdup(&f->arena, msg);
}

void df_parse_instruction(struct df_file *f, struct df_instr *in, size_t kw_off);

void df_parse_instruction(struct df_file *f, struct df_instr *in, size_t kw_off)
{
	const char *t = in->text, *e = in->text + in->text_len;
	const char *s = t + kw_off;
	while (s < e && blank(*s))
		s++;
	const char *kw = s;
	while (s < e && !blank(*s))
		s++;
	in->keyword = bw_arena_strndup(&f->arena, kw, (size_t)(s - kw));
	in->kind = DF_UNKNOWN;
	const char *allowed = "";
	for (size_t i = 0; i < BW_ARRAY_SIZE(keywords); i++)
		if (bw_strcasecmp(in->keyword, keywords[i].name) == 0) {
			in->kind = keywords[i].kind;
			allowed = keywords[i].flags;
			break;
		}

	/* builder flags (extractBuilderFlags) */
	struct df_flag *flags = NULL;
	size_t nf = 0, capf = 0;
	const char *p = s;
	struct bw_buf w;
	bw_buf_init(&w, in->text_len + 1);
	for (;;) {
		while (p < e && blank(*p))
			p++;
		if (p + 1 >= e || p[0] != '-' || p[1] != '-')
			break;
		bw_buf_reset(&w);
		char q = 0;
		while (p < e) {
			char ch = *p;
			if (q) {
				if (ch == q) {
					q = 0;
					p++;
					continue;
				}
			} else if (blank(ch)) {
				break;
			} else if (ch == '\'' || ch == '"') {
				q = ch;
				p++;
				continue;
			}
			if (ch == f->escape) {
				if (p + 1 == e) {
					p++;
					continue;
				}
				p++;
				ch = *p;
			}
			bw_buf_add(&w, &ch, 1);
			p++;
		}
		if (w.len == 2 && memcmp(w.data, "--", 2) == 0)
			break;
		BW_ARENA_GROW(&f->arena, flags, nf + 1, nf, capf);
		const char *word = w.data + 2;
		const char *eq = memchr(word, '=', w.len - 2);
		struct df_flag *fl = &flags[nf++];
		if (eq) {
			fl->name = bw_arena_strndup(&f->arena, word, (size_t)(eq - word));
			fl->value = bw_arena_strndup(&f->arena, eq + 1, w.len - 2 - (size_t)(eq - word) - 1);
		} else {
			fl->name = bw_arena_strndup(&f->arena, word, w.len - 2);
			fl->value = NULL;
		}
		if (in->kind != DF_UNKNOWN && !in->malformed) {
			char key[96];
			snprintf(key, sizeof(key), " %s ", fl->name);
			if (!strstr(allowed, key)) {
				char msg[160];
				snprintf(msg, sizeof(msg), "unknown flag: --%.100s", fl->name);
				set_malformed(f, in, msg);
			}
		}
	}
	bw_buf_release(&w);
	in->flags = flags;
	in->n_flags = nf;
	while (p < e && blank(*p))
		p++;
	const char *ae = e;
	while (ae > p && blank(ae[-1]))
		ae--;
	in->args_off = (size_t)(p - t);
	in->args = bw_arena_strndup(&f->arena, p, (size_t)(ae - p));
	size_t alen = (size_t)(ae - p);

	char msg[160];
	switch (in->kind) {
	case DF_UNKNOWN:
		snprintf(msg, sizeof(msg), "unknown instruction: %.100s", in->keyword);
		set_malformed(f, in, msg);
		break;
	case DF_FROM:
		split_blank(&f->arena, in);
		if (!(in->argc == 1 || (in->argc == 3 && bw_strcasecmp(in->argv[1], "as") == 0)))
			set_malformed(f, in, "FROM requires either one or three arguments (image [AS name])");
		break;
	case DF_RUN:
	case DF_CMD:
	case DF_ENTRYPOINT:
		maybe_json(f, in, false);
		if (in->kind == DF_RUN && alen == 0)
			set_malformed(f, in, "RUN requires at least one argument");
		break;
	case DF_SHELL:
		maybe_json(f, in, false);
		if (!in->json || in->argc == 0)
			set_malformed(f, in, "SHELL requires the arguments to be in JSON form");
		break;
	case DF_COPY:
	case DF_ADD:
		maybe_json(f, in, true);
		/* with heredocs a single word (the destination) is enough */
		if (in->argc < 2 && !memmem(in->args, alen, "<<", 2)) {
			snprintf(msg, sizeof(msg), "%s requires at least two arguments",
				 df_kind_name(in->kind));
			set_malformed(f, in, msg);
		}
		break;
	case DF_VOLUME:
		maybe_json(f, in, true);
		if (in->argc == 0)
			set_malformed(f, in, "VOLUME requires at least one argument");
		break;
	case DF_EXPOSE:
		split_blank(&f->arena, in);
		if (in->argc == 0)
			set_malformed(f, in, "EXPOSE requires at least one argument");
		break;
	case DF_ENV:
	case DF_LABEL:
		parse_kv(f, in, false);
		if (in->n_kvs == 0) {
			snprintf(msg, sizeof(msg), "%s requires at least one argument",
				 df_kind_name(in->kind));
			set_malformed(f, in, msg);
		}
		break;
	case DF_ARG:
		parse_kv(f, in, true);
		if (in->n_kvs == 0)
			set_malformed(f, in, "ARG requires at least one argument");
		break;
	case DF_HEALTHCHECK: {
		split_blank(&f->arena, in);
		if (in->argc == 0) {
			set_malformed(f, in, "HEALTHCHECK requires an argument (NONE or CMD …)");
			break;
		}
		if (bw_strcasecmp(in->argv[0], "NONE") == 0) {
			if (in->argc > 1)
				set_malformed(f, in, "HEALTHCHECK NONE takes no other arguments");
			break;
		}
		if (bw_strcasecmp(in->argv[0], "CMD") != 0) {
			snprintf(msg, sizeof(msg), "unknown type '%.60s' in HEALTHCHECK (try CMD)",
				 in->argv[0]);
			set_malformed(f, in, msg);
			break;
		}
		if (in->argc < 2) {
			set_malformed(f, in, "HEALTHCHECK CMD requires a command");
			break;
		}
		/* the command after CMD: JSON or shell */
		size_t coff = in->argv_off[1];
		const char *cs = in->text + coff;
		in->argv = NULL;
		in->argc = 0;
		in->argv_off = NULL;
		in->args_off = coff;
		in->args = bw_arena_strndup(&f->arena, cs, (size_t)(ae - cs));
		maybe_json(f, in, false);
		break;
	}
	case DF_ONBUILD: {
		if (alen == 0) {
			set_malformed(f, in, "ONBUILD requires at least one argument");
			break;
		}
		struct df_instr *sub = bw_arena_alloc(&f->arena, sizeof(*sub));
		*sub = *in;
		sub->flags = NULL;
		sub->n_flags = 0;
		sub->malformed = NULL;
		sub->sub = NULL;
		sub->argv = NULL;
		sub->argc = 0;
		sub->kvs = NULL;
		sub->n_kvs = 0;
		sub->json = sub->json_invalid = false;
		df_parse_instruction(f, sub, in->args_off);
		in->sub = sub;
		if (sub->malformed)
			set_malformed(f, in, sub->malformed);
		break;
	}
	case DF_MAINTAINER:
	case DF_STOPSIGNAL:
	case DF_USER:
	case DF_WORKDIR:
		split_blank(&f->arena, in);
		if (alen == 0) {
			snprintf(msg, sizeof(msg), "%s requires exactly one argument",
				 df_kind_name(in->kind));
			set_malformed(f, in, msg);
		} else if (in->kind != DF_MAINTAINER && in->kind != DF_WORKDIR && in->argc > 1) {
			snprintf(msg, sizeof(msg), "%s requires exactly one argument",
				 df_kind_name(in->kind));
			set_malformed(f, in, msg);
		}
		break;
	}
}
