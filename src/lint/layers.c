/* Which Dockerfile instruction made each layer of an image built from it:
 * the image's history names the instruction (created_by), and the layers
 * of the final stage (and of the stages it is built FROM) come last, in
 * instruction order, on top of the base image's.
 *
 * created_by forms: the classic builder writes "/bin/sh -c TEXT" for a
 * RUN and "/bin/sh -c #(nop) COPY file:<hash> in /dest " (ADD, WORKDIR,
 * ... likewise) for the others; BuildKit writes "RUN /bin/sh -c TEXT #
 * buildkit" (with "|N A=b ..." build arguments before the shell), "COPY
 * src /dest # buildkit", "WORKDIR /app". Layers are matched from the top
 * down, each to the nearest earlier instruction of the same kind whose
 * text (RUN: the command, whitespace runs as one space) or destination
 * (COPY, ADD) agrees; a layer that matches none is the base image's. */
#include "lint-int.h"

/* Whitespace runs as one space, trimmed, into a heap string. */
static char *squeeze(const char *s, size_t n)
{
	char *o = bw_malloc(n + 1);
	size_t k = 0;
	bool sp = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			sp = k > 0;
			continue;
		}
		if (sp)
			o[k++] = ' ';
		sp = false;
		o[k++] = (char)c;
	}
	o[k] = 0;
	return o;
}

static bool starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

struct hist {
	enum df_kind kind;
	char *text; /* RUN: the command; COPY/ADD: the destination (may be NULL) */
};

static void classify(const char *cb, struct hist *h)
{
	char *s = squeeze(cb, strlen(cb));
	char *p = s;
	size_t n = strlen(p);
	if (n >= 10 && strcmp(p + n - 10, " # buildkit") == 0)
		p[n -= 10] = 0;
	else if (n >= 9 && strcmp(p + n - 9, "# buildkit") == 0)
		p[n -= 9] = 0;
	h->kind = DF_RUN;
	h->text = NULL;
	bool buildkit_run = starts(p, "RUN ");
	if (buildkit_run)
		p += 4;
	if (*p == '|') { /* "|2 A=1 B=2 /bin/sh -c ..." */
		char *q = strchr(p, ' ');
		long nargs = strtol(p + 1, NULL, 10);
		for (long i = 0; q && i < nargs; i++)
			q = strchr(q + 1, ' ');
		p = q ? q + 1 : p;
	}
	if (starts(p, "/bin/sh -c "))
		p += 11;
	if (starts(p, "#(nop) ")) {
		p += 7;
		while (*p == ' ')
			p++;
	} else if (buildkit_run || !(starts(p, "COPY ") || starts(p, "ADD ") || starts(p, "WORKDIR ") ||
				     starts(p, "ENV ") || starts(p, "USER ") || starts(p, "LABEL "))) {
		h->text = bw_strdup(p);
		free(s);
		return;
	}
	static const struct {
		const char *kw;
		enum df_kind kind;
	} kws[] = {{"COPY ", DF_COPY}, {"ADD ", DF_ADD}, {"WORKDIR ", DF_WORKDIR}};
	h->kind = DF_UNKNOWN;
	for (size_t i = 0; i < BW_ARRAY_SIZE(kws); i++)
		if (starts(p, kws[i].kw)) {
			h->kind = kws[i].kind;
			p += strlen(kws[i].kw);
		}
	/* the destination: after " in " (classic), else the last word */
	const char *in = strstr(p, " in ");
	const char *dest = in ? in + 4 : strrchr(p, ' ') ? strrchr(p, ' ') + 1 : p;
	h->text = *dest ? bw_strdup(dest) : NULL;
	if (h->text) {
		size_t l = strlen(h->text);
		while (l > 1 && h->text[l - 1] == '/')
			h->text[--l] = 0;
	}
	free(s);
}

static bool matches(const struct df_instr *in, const struct hist *h)
{
	if (in->kind != h->kind || in->kind == DF_UNKNOWN)
		return false;
	if (in->kind == DF_RUN) {
		if (in->json)
			return true; /* the exec form's history is not the Dockerfile's text */
		char *t = squeeze(in->args ? in->args : "", in->args ? strlen(in->args) : 0);
		bool ok = h->text && strcmp(t, h->text) == 0;
		free(t);
		return ok;
	}
	if (!h->text || !in->argc)
		return true;
	char *d = squeeze(in->argv[in->argc - 1], strlen(in->argv[in->argc - 1]));
	size_t l = strlen(d);
	while (l > 1 && d[l - 1] == '/')
		d[--l] = 0;
	bool ok = strcmp(d, h->text) == 0 || in->kind == DF_WORKDIR;
	free(d);
	return ok;
}

int bw_lint_locate_layers(const char *path, const char *data, size_t len, const char *const *created_by,
			  size_t n, int *line, int *end_line, struct bw_error *err)
{
	struct df_file *df = NULL;
	int rc = df_parse(path, data, len, &df, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		line[i] = end_line[i] = 0;
	/* the final stage and the stages it is built FROM, base first */
	size_t *chain = bw_calloc(df->n_stages + 1, sizeof(*chain)), nc = 0;
	for (int s = (int)df->n_stages - 1; s >= 0 && nc <= df->n_stages; s = df->stages[s].parent)
		chain[nc++] = (size_t)s;
	const struct df_instr **seq = bw_calloc(df->n_instrs + 1, sizeof(*seq));
	size_t ns = 0;
	for (size_t c = nc; c-- > 0;) {
		const struct df_stage *st = &df->stages[chain[c]];
		for (size_t k = st->from + 1; k < st->end && k < df->n_instrs; k++)
			seq[ns++] = &df->instrs[k];
	}
	size_t j = ns; /* instructions seq[0..j) are still free */
	int matched = 0;
	for (size_t i = n; i-- > 0 && j > 0;) {
		if (!created_by[i])
			continue;
		struct hist h;
		classify(created_by[i], &h);
		for (size_t k = j; k-- > 0;)
			if (matches(seq[k], &h)) {
				line[i] = seq[k]->line;
				end_line[i] = seq[k]->end_line > 0 ? seq[k]->end_line : seq[k]->line;
				j = k;
				matched++;
				break;
			}
		free(h.text);
	}
	free(seq);
	free(chain);
	df_file_free(df);
	return matched;
}
