/* The YAML reader: libyaml's event parser, and a node tree built here with
 * the position of every node, so that a finding names the file, line and
 * column of the key it is about and a fix can edit the original text.
 *
 * Why events and not yaml_parser_load(): libyaml's document loader expands
 * nothing, but it neither bounds alias expansion nor detects duplicate keys,
 * and it keeps no byte offsets. Here every node carries its weight (the
 * nodes under it with aliases expanded), so an alias bomb ("billion laughs":
 * nine anchors each listing the previous one ten times) stops at the budget
 * before anything walks it; nesting is bounded by an explicit stack (no
 * recursion on the input's shape); duplicate keys are found by sorting a
 * map's keys once it is complete (so a map of 100,000 keys costs n log n).
 *
 * Positions: libyaml's marks count characters (code points) from the start
 * of the stream, not bytes; a cursor that walks the UTF-8 text turns them
 * into byte offsets. The text is checked to be UTF-8 first, so the walk
 * cannot go astray.
 */
#include <yaml.h>

#include "iac-int.h"

#define DEF_MAX_BYTES (64u << 20)
#define DEF_MAX_DOCS 20000u
#define DEF_MAX_DEPTH 128u
#define DEF_MAX_NODES 4000000u

struct yaml_impl {
	struct bw_yaml_file pub;
	struct bw_arena arena;
};

/* A collection being built. */
struct frame {
	struct bw_yaml_node *node;
	struct bw_yaml_pair *pairs; /* heap, copied into the arena at the end */
	struct bw_yaml_node **items;
	size_t n, cap;
	struct bw_yaml_node *key; /* a map's key waiting for its value */
	char *anchor;		  /* registered when the collection is complete */
};

struct anchor {
	char *name; /* heap */
	struct bw_yaml_node *node;
};

struct builder {
	struct yaml_impl *f;
	const struct bw_yaml_limits *lim;
	struct bw_error *err;
	const char *text;
	size_t len;
	size_t bom; /* bytes of a UTF-8 byte-order mark libyaml skipped */
	/* character index -> byte offset cursor */
	size_t cur_char, cur_byte;
	struct frame *stack;
	size_t depth, cap_stack;
	struct anchor *anchors; /* open addressing, power-of-two size */
	size_t n_anchors, cap_anchors;
	struct bw_yaml_doc *docs;
	size_t n_docs, cap_docs;
	uint64_t total; /* weight of the documents so far */
};

/* ---- positions ----------------------------------------------------------- */

static size_t byte_at(struct builder *b, size_t ch)
{
	/* libyaml does not count the byte-order mark */
	while (b->cur_char < ch && b->cur_byte < b->len) {
		b->cur_byte++;
		while (b->cur_byte < b->len && ((unsigned char)b->text[b->cur_byte] & 0xC0) == 0x80)
			b->cur_byte++;
		b->cur_char++;
	}
	while (b->cur_char > ch && b->cur_byte > b->bom) {
		b->cur_byte--;
		while (b->cur_byte > b->bom && ((unsigned char)b->text[b->cur_byte] & 0xC0) == 0x80)
			b->cur_byte--;
		b->cur_char--;
	}
	return b->cur_byte;
}

/* Line and column (1-based, characters) of byte offset off. */
static void line_col(const char *text, size_t off, int *line, int *col)
{
	int l = 1, c = 1;
	for (size_t i = 0; i < off; i++) {
		unsigned char ch = (unsigned char)text[i];
		if (ch == '\n' || (ch == '\r' && text[i + 1] != '\n')) {
			l++;
			c = 1;
		} else if ((ch & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

static int fail_at(struct builder *b, int code, const yaml_mark_t *m, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_at(struct builder *b, int code, const yaml_mark_t *m, const char *fmt, ...)
{
	char msg[BW_ERROR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bw_error_set(b->err, code, "%s:%zu:%zu: %s", b->f->pub.path, m->line + 1, m->column + 1, msg);
}

/* ---- anchors ------------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void anchors_clear(struct builder *b)
{
	for (size_t i = 0; i < b->cap_anchors; i++)
		free(b->anchors[i].name);
	free(b->anchors);
	b->anchors = NULL;
	b->n_anchors = b->cap_anchors = 0;
}

static void anchor_put(struct builder *b, char *name, struct bw_yaml_node *node);

static void anchors_grow(struct builder *b)
{
	struct anchor *old = b->anchors;
	size_t oldcap = b->cap_anchors;
	b->cap_anchors = oldcap ? oldcap * 2 : 64;
	b->anchors = bw_calloc(b->cap_anchors, sizeof(*b->anchors));
	b->n_anchors = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].name)
			anchor_put(b, old[i].name, old[i].node);
	free(old);
}

/* Takes ownership of name. A later anchor of the same name replaces the
 * earlier one (YAML: an alias refers to the most recent). */
static void anchor_put(struct builder *b, char *name, struct bw_yaml_node *node)
{
	if ((b->n_anchors + 1) * 2 > b->cap_anchors)
		anchors_grow(b);
	size_t mask = b->cap_anchors - 1;
	for (size_t i = hash_str(name) & mask;; i = (i + 1) & mask) {
		if (!b->anchors[i].name) {
			b->anchors[i].name = name;
			b->anchors[i].node = node;
			b->n_anchors++;
			return;
		}
		if (!strcmp(b->anchors[i].name, name)) {
			free(name);
			b->anchors[i].node = node;
			return;
		}
	}
}

static struct bw_yaml_node *anchor_get(struct builder *b, const char *name)
{
	if (!b->cap_anchors)
		return NULL;
	size_t mask = b->cap_anchors - 1;
	for (size_t i = hash_str(name) & mask; b->anchors[i].name; i = (i + 1) & mask)
		if (!strcmp(b->anchors[i].name, name))
			return b->anchors[i].node;
	return NULL;
}

/* ---- nodes --------------------------------------------------------------- */

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static struct bw_yaml_node *new_node(struct builder *b, enum bw_yaml_kind kind, const yaml_event_t *ev,
				     const yaml_char_t *tag)
{
	struct bw_yaml_node *n = bw_arena_alloc(&b->f->arena, sizeof(*n));
	n->kind = kind;
	n->file = &b->f->pub;
	n->line = (int)ev->start_mark.line + 1;
	n->column = (int)ev->start_mark.column + 1;
	n->start = byte_at(b, ev->start_mark.index);
	n->end = n->start;
	n->weight = 1;
	if (tag)
		n->tag = bw_arena_strdup(&b->f->arena, (const char *)tag);
	return n;
}

static int check_budget(struct builder *b, uint64_t w, const yaml_mark_t *m)
{
	uint64_t max = b->lim->max_nodes ? b->lim->max_nodes : DEF_MAX_NODES;
	if (w > max || sat_add(b->total, w) > max)
		return fail_at(b, BW_ELIMIT, m,
			       "alias expansion passes the budget of %llu nodes (an alias bomb?)",
			       (unsigned long long)max);
	return 0;
}

/* Hand a complete node to its parent (or make it the document's root). */
static int attach(struct builder *b, struct bw_yaml_node *n, const yaml_mark_t *m)
{
	if (!b->depth) {
		struct bw_yaml_doc *d = &b->docs[b->n_docs - 1];
		d->root = n;
		if (check_budget(b, n->weight, m))
			return b->err->code;
		return 0;
	}
	struct frame *fr = &b->stack[b->depth - 1];
	fr->node->weight = sat_add(fr->node->weight, n->weight);
	if (check_budget(b, fr->node->weight, m))
		return b->err->code;
	if (fr->node->kind == BW_YAML_SEQ) {
		if (fr->n == fr->cap) {
			fr->cap = fr->cap ? fr->cap * 2 : 8;
			fr->items = bw_realloc(fr->items, fr->cap * sizeof(*fr->items));
		}
		fr->items[fr->n++] = n;
		return 0;
	}
	if (!fr->key) {
		fr->key = n;
		return 0;
	}
	if (fr->n == fr->cap) {
		fr->cap = fr->cap ? fr->cap * 2 : 8;
		fr->pairs = bw_realloc(fr->pairs, fr->cap * sizeof(*fr->pairs));
	}
	fr->pairs[fr->n++] = (struct bw_yaml_pair){fr->key, n, false};
	fr->key = NULL;
	return 0;
}

static int cmp_pair_key(const void *a, const void *b)
{
	const struct bw_yaml_pair *x = *(const struct bw_yaml_pair *const *)a;
	const struct bw_yaml_pair *y = *(const struct bw_yaml_pair *const *)b;
	size_t n = x->key->len < y->key->len ? x->key->len : y->key->len;
	int c = memcmp(x->key->str, y->key->str, n);
	if (c)
		return c;
	if (x->key->len != y->key->len)
		return x->key->len < y->key->len ? -1 : 1;
	return x->key->start < y->key->start ? -1 : x->key->start > y->key->start;
}

static bool is_merge_key(const struct bw_yaml_node *k)
{
	return k->kind == BW_YAML_SCALAR && k->style == BW_YAML_PLAIN && k->len == 2 &&
	       !memcmp(k->str, "<<", 2) &&
	       (!k->tag || !strcmp(k->tag, "tag:yaml.org,2002:merge") || !strcmp(k->tag, "!!merge"));
}

static bool has_key(const struct bw_yaml_pair *p, size_t n, const struct bw_yaml_node *k)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].key->kind == BW_YAML_SCALAR && p[i].key->len == k->len &&
		    !memcmp(p[i].key->str, k->str, k->len))
			return true;
	return false;
}

/* Duplicate scalar keys among the explicit entries of fr: an error naming
 * both lines. */
static int check_duplicates(struct builder *b, struct frame *fr, const yaml_mark_t *m)
{
	size_t n = 0;
	for (size_t i = 0; i < fr->n; i++)
		if (fr->pairs[i].key->kind == BW_YAML_SCALAR && !is_merge_key(fr->pairs[i].key))
			n++;
	if (n < 2)
		return 0;
	bw_autofree struct bw_yaml_pair **v = bw_malloc(n * sizeof(*v));
	n = 0;
	for (size_t i = 0; i < fr->n; i++)
		if (fr->pairs[i].key->kind == BW_YAML_SCALAR && !is_merge_key(fr->pairs[i].key))
			v[n++] = &fr->pairs[i];
	qsort(v, n, sizeof(*v), cmp_pair_key);
	for (size_t i = 1; i < n; i++) {
		const struct bw_yaml_node *a = v[i - 1]->key, *k = v[i]->key;
		if (a->len == k->len && !memcmp(a->str, k->str, k->len))
			return bw_error_set(b->err, BW_EINPUT,
					    "%s:%d:%d: duplicate key \"%.*s\" (first at line %d)",
					    b->f->pub.path, k->line, k->column,
					    (int)(k->len > 200 ? 200 : k->len), k->str, a->line);
	}
	(void)m;
	return 0;
}

/* Resolve "<<" entries: explicit keys first (in their order), then each
 * merged map's keys not seen yet, earlier sources winning. */
static int resolve_merges(struct builder *b, struct frame *fr, const yaml_mark_t *m)
{
	bool any = false;
	for (size_t i = 0; i < fr->n && !any; i++)
		any = is_merge_key(fr->pairs[i].key);
	if (!any)
		return 0;
	struct bw_yaml_pair *out = NULL;
	size_t n = 0, cap = 0;
	uint64_t w = 1;
#define PUSH(p)                                                                                              \
	do {                                                                                                 \
		if (n == cap) {                                                                              \
			cap = cap ? cap * 2 : 8;                                                             \
			out = bw_realloc(out, cap * sizeof(*out));                                           \
		}                                                                                            \
		out[n++] = (p);                                                                              \
		w = sat_add(w, sat_add((p).key->weight, (p).value->weight));                                 \
	} while (0)
	for (size_t i = 0; i < fr->n; i++)
		if (!is_merge_key(fr->pairs[i].key))
			PUSH(fr->pairs[i]);
	size_t explicit_n = n;
	for (size_t i = 0; i < fr->n; i++) {
		if (!is_merge_key(fr->pairs[i].key))
			continue;
		const struct bw_yaml_node *v = fr->pairs[i].value;
		const struct bw_yaml_node *const *srcs = (const struct bw_yaml_node *const *)&v;
		size_t nsrc = 1;
		if (v->kind == BW_YAML_SEQ) {
			srcs = (const struct bw_yaml_node *const *)v->items;
			nsrc = v->n;
		}
		for (size_t s = 0; s < nsrc; s++) {
			if (srcs[s]->kind != BW_YAML_MAP) {
				free(out);
				return bw_error_set(
				    b->err, BW_EINPUT,
				    "%s:%d:%d: a merge key \"<<\" takes a mapping or a list of "
				    "mappings",
				    b->f->pub.path, fr->pairs[i].key->line, fr->pairs[i].key->column);
			}
			for (size_t k = 0; k < srcs[s]->n; k++) {
				struct bw_yaml_pair p = srcs[s]->pairs[k];
				if (p.key->kind == BW_YAML_SCALAR && has_key(out, n, p.key))
					continue;
				p.merged = true;
				PUSH(p);
			}
		}
	}
#undef PUSH
	(void)explicit_n;
	free(fr->pairs);
	fr->pairs = out;
	fr->n = n;
	fr->cap = cap;
	fr->node->weight = w;
	return check_budget(b, w, m);
}

static int push_frame(struct builder *b, struct bw_yaml_node *n, const yaml_event_t *ev, const char *anchor)
{
	size_t max = b->lim->max_depth ? b->lim->max_depth : DEF_MAX_DEPTH;
	if (b->depth >= max)
		return fail_at(b, BW_ELIMIT, &ev->start_mark, "nesting deeper than %zu levels", max);
	if (b->depth == b->cap_stack) {
		b->cap_stack = b->cap_stack ? b->cap_stack * 2 : 16;
		b->stack = bw_realloc(b->stack, b->cap_stack * sizeof(*b->stack));
	}
	b->stack[b->depth++] = (struct frame){.node = n, .anchor = anchor ? bw_strdup(anchor) : NULL};
	return 0;
}

static void frame_release(struct frame *fr)
{
	free(fr->pairs);
	free(fr->items);
	free(fr->anchor);
}

static int pop_frame(struct builder *b, const yaml_event_t *ev)
{
	struct frame *fr = &b->stack[b->depth - 1];
	struct bw_yaml_node *n = fr->node;
	n->end = byte_at(b, ev->end_mark.index);
	int rc = 0;
	if (n->kind == BW_YAML_MAP) {
		rc = check_duplicates(b, fr, &ev->start_mark);
		if (!rc)
			rc = resolve_merges(b, fr, &ev->start_mark);
		if (!rc && fr->n) {
			n->pairs = bw_arena_alloc(&b->f->arena, fr->n * sizeof(*n->pairs));
			memcpy(n->pairs, fr->pairs, fr->n * sizeof(*n->pairs));
		}
	} else if (fr->n) {
		n->items = bw_arena_alloc(&b->f->arena, fr->n * sizeof(*n->items));
		memcpy(n->items, fr->items, fr->n * sizeof(*n->items));
	}
	n->n = fr->n;
	char *anchor = bw_steal_pointer(&fr->anchor);
	frame_release(fr);
	b->depth--;
	if (rc) {
		free(anchor);
		return rc;
	}
	if (anchor)
		anchor_put(b, anchor, n);
	return attach(b, n, &ev->end_mark);
}

static enum bw_yaml_style scalar_style(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		return BW_YAML_SINGLE;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		return BW_YAML_DOUBLE;
	case YAML_LITERAL_SCALAR_STYLE:
		return BW_YAML_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE:
		return BW_YAML_FOLDED;
	default:
		return BW_YAML_PLAIN;
	}
}

static int on_event(struct builder *b, const yaml_event_t *ev)
{
	struct bw_yaml_node *n;
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT: {
		size_t max = b->lim->max_docs ? b->lim->max_docs : DEF_MAX_DOCS;
		if (b->n_docs >= max)
			return fail_at(b, BW_ELIMIT, &ev->start_mark, "more than %zu YAML documents", max);
		if (b->n_docs == b->cap_docs) {
			b->cap_docs = b->cap_docs ? b->cap_docs * 2 : 4;
			b->docs = bw_realloc(b->docs, b->cap_docs * sizeof(*b->docs));
		}
		b->docs[b->n_docs++] = (struct bw_yaml_doc){NULL, (int)ev->start_mark.line + 1};
		anchors_clear(b);
		return 0;
	}
	case YAML_DOCUMENT_END_EVENT:
		b->total =
		    sat_add(b->total, b->docs[b->n_docs - 1].root ? b->docs[b->n_docs - 1].root->weight : 0);
		return 0;
	case YAML_SCALAR_EVENT:
		n = new_node(b, BW_YAML_SCALAR, ev, ev->data.scalar.tag);
		n->style = scalar_style(ev->data.scalar.style);
		n->str = bw_arena_strndup(&b->f->arena, (const char *)ev->data.scalar.value,
					  ev->data.scalar.length);
		n->len = ev->data.scalar.length;
		n->end = byte_at(b, ev->end_mark.index);
		if (ev->data.scalar.anchor)
			anchor_put(b, bw_strdup((const char *)ev->data.scalar.anchor), n);
		return attach(b, n, &ev->start_mark);
	case YAML_ALIAS_EVENT: {
		const char *name = (const char *)ev->data.alias.anchor;
		n = anchor_get(b, name);
		if (!n) {
			for (size_t i = 0; i < b->depth; i++)
				if (b->stack[i].anchor && !strcmp(b->stack[i].anchor, name))
					return fail_at(
					    b, BW_EINPUT, &ev->start_mark,
					    "alias *%.100s refers to a collection that contains it "
					    "(recursion)",
					    name);
			return fail_at(b, BW_EINPUT, &ev->start_mark, "alias *%.100s names no anchor", name);
		}
		return attach(b, n, &ev->start_mark);
	}
	case YAML_SEQUENCE_START_EVENT:
		n = new_node(b, BW_YAML_SEQ, ev, ev->data.sequence_start.tag);
		n->style =
		    ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE ? BW_YAML_FLOW : BW_YAML_PLAIN;
		return push_frame(b, n, ev, (const char *)ev->data.sequence_start.anchor);
	case YAML_MAPPING_START_EVENT:
		n = new_node(b, BW_YAML_MAP, ev, ev->data.mapping_start.tag);
		n->style =
		    ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE ? BW_YAML_FLOW : BW_YAML_PLAIN;
		return push_frame(b, n, ev, (const char *)ev->data.mapping_start.anchor);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return pop_frame(b, ev);
	default:
		return 0;
	}
}

/* The first byte of text that is not UTF-8, or len. */
static size_t first_bad_utf8(const char *text, size_t len)
{
	size_t lo = 0;
	/* bw_utf8_valid on the whole is fast; narrow down only on failure */
	if (bw_utf8_valid(text, len))
		return len;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)text[i];
		size_t n = c < 0x80		? 1
			   : (c & 0xE0) == 0xC0 ? 2
			   : (c & 0xF0) == 0xE0 ? 3
			   : (c & 0xF8) == 0xF0 ? 4
						: 0;
		if (!n || i + n > len || !bw_utf8_valid(text + i, n))
			return i;
		i += n;
		lo = i;
	}
	return lo;
}

int bw_yaml_parse(const char *path, const char *text, size_t len, const struct bw_yaml_limits *lim,
		  struct bw_yaml_file **out, struct bw_error *err)
{
	static const struct bw_yaml_limits none;
	if (!lim)
		lim = &none;
	*out = NULL;
	size_t max = lim->max_bytes ? lim->max_bytes : DEF_MAX_BYTES;
	if (len > max)
		return bw_error_set(err, BW_ELIMIT, "%s: %zu bytes, more than the %zu a YAML file may have",
				    path, len, max);
	size_t bad = first_bad_utf8(text, len);
	if (bad < len) {
		int l, c;
		line_col(text, bad, &l, &c);
		return bw_error_set(err, BW_EINPUT, "%s:%d:%d: not UTF-8 text (byte 0x%02x)", path, l, c,
				    (unsigned char)text[bad]);
	}
	struct yaml_impl *f = bw_calloc(1, sizeof(*f));
	bw_arena_init(&f->arena);
	f->pub.path = bw_arena_strdup(&f->arena, path);
	char *copy = bw_arena_alloc(&f->arena, len + 1);
	memcpy(copy, text, len);
	f->pub.text = copy;
	f->pub.len = len;

	struct builder b = {.f = f, .lim = lim, .err = err, .text = copy, .len = len};
	if (len >= 3 && !memcmp(copy, "\xEF\xBB\xBF", 3))
		b.bom = b.cur_byte = 3;

	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		bw_yaml_file_free(&f->pub);
		return bw_error_set(err, BW_ENOMEM, "%s: cannot start the YAML parser", path);
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)copy, len);
	int rc = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			size_t off = byte_at(&b, parser.problem_mark.index);
			bool tab = off < len && copy[off] == '\t';
			rc = bw_error_set(err, BW_EINPUT, "%s:%zu:%zu: %s%s%s%s", path,
					  parser.problem_mark.line + 1, parser.problem_mark.column + 1,
					  parser.problem ? parser.problem : "bad YAML",
					  parser.context ? " " : "", parser.context ? parser.context : "",
					  tab ? " (a tab: YAML indents with spaces only)" : "");
			break;
		}
		rc = on_event(&b, &ev);
		bool end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (rc || end)
			break;
	}
	yaml_parser_delete(&parser);
	for (size_t i = 0; i < b.depth; i++)
		frame_release(&b.stack[i]);
	free(b.stack);
	anchors_clear(&b);
	if (!rc && b.n_docs) {
		f->pub.docs = bw_arena_alloc(&f->arena, b.n_docs * sizeof(*f->pub.docs));
		memcpy(f->pub.docs, b.docs, b.n_docs * sizeof(*b.docs));
		f->pub.n_docs = b.n_docs;
		/* an empty document ("---" alone) has a null scalar root */
		for (size_t i = 0; i < b.n_docs; i++)
			if (!f->pub.docs[i].root) {
				struct bw_yaml_node *nn = bw_arena_alloc(&f->arena, sizeof(*nn));
				nn->kind = BW_YAML_SCALAR;
				nn->str = "";
				nn->file = &f->pub;
				nn->line = f->pub.docs[i].line;
				nn->column = 1;
				nn->weight = 1;
				f->pub.docs[i].root = nn;
			}
	}
	free(b.docs);
	if (rc) {
		bw_yaml_file_free(&f->pub);
		return rc;
	}
	*out = &f->pub;
	return 0;
}

void bw_yaml_file_free(struct bw_yaml_file *pub)
{
	if (!pub)
		return;
	struct yaml_impl *f = (struct yaml_impl *)pub;
	bw_arena_release(&f->arena);
	free(f);
}

/* ---- look-ups ------------------------------------------------------------ */

const struct bw_yaml_pair *bw_yaml_pair_of(const struct bw_yaml_node *map, const char *key)
{
	if (!map || map->kind != BW_YAML_MAP)
		return NULL;
	size_t kl = strlen(key);
	for (size_t i = 0; i < map->n; i++) {
		const struct bw_yaml_node *k = map->pairs[i].key;
		if (k->kind == BW_YAML_SCALAR && k->len == kl && !memcmp(k->str, key, kl))
			return &map->pairs[i];
	}
	return NULL;
}

const struct bw_yaml_node *bw_yaml_get(const struct bw_yaml_node *map, const char *key)
{
	const struct bw_yaml_pair *p = bw_yaml_pair_of(map, key);
	return p ? p->value : NULL;
}

const struct bw_yaml_node *bw_yaml_path(const struct bw_yaml_node *map, const char *dotted)
{
	char key[128];
	const char *s = dotted;
	while (map && *s) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, s, n);
		key[n] = 0;
		map = bw_yaml_get(map, key);
		s += n + (dot ? 1 : 0);
	}
	return map;
}

const char *bw_yaml_str(const struct bw_yaml_node *n)
{
	return n && n->kind == BW_YAML_SCALAR ? n->str : NULL;
}

bool bw_yaml_is(const struct bw_yaml_node *n, const char *s)
{
	return n && n->kind == BW_YAML_SCALAR && n->len == strlen(s) && !memcmp(n->str, s, n->len);
}

bool bw_yaml_is_null(const struct bw_yaml_node *n)
{
	if (!n)
		return true;
	if (n->kind != BW_YAML_SCALAR || n->style != BW_YAML_PLAIN)
		return false;
	return !n->len || bw_yaml_is(n, "~") || bw_yaml_is(n, "null") || bw_yaml_is(n, "Null") ||
	       bw_yaml_is(n, "NULL");
}

static bool tagged_other(const struct bw_yaml_node *n, const char *want)
{
	if (!n->tag)
		return n->style != BW_YAML_PLAIN;
	return strcmp(n->tag, want) != 0;
}

int bw_yaml_bool(const struct bw_yaml_node *n)
{
	static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES",
					  "on",	  "On",	  "ON",	  "y",	 "Y"};
	static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO",
					 "off",	  "Off",   "OFF",   "n",  "N"};
	if (!n || n->kind != BW_YAML_SCALAR || tagged_other(n, "tag:yaml.org,2002:bool"))
		return -1;
	for (size_t i = 0; i < BW_ARRAY_SIZE(yes); i++) {
		if (bw_yaml_is(n, yes[i]))
			return 1;
		if (bw_yaml_is(n, no[i]))
			return 0;
	}
	return -1;
}

bool bw_yaml_int(const struct bw_yaml_node *n, long long *out)
{
	if (!n || n->kind != BW_YAML_SCALAR || tagged_other(n, "tag:yaml.org,2002:int") || !n->len ||
	    n->len > 24)
		return false;
	const char *s = n->str;
	bool neg = false;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		base = 8, s += 2;
	if (!*s)
		return false;
	unsigned long long v = 0;
	for (; *s; s++) {
		int d = *s >= '0' && *s <= '9'	 ? *s - '0'
			: *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
			: *s >= 'A' && *s <= 'F' ? *s - 'A' + 10
						 : 99;
		if (*s == '_')
			continue;
		if (d >= base || v > (unsigned long long)LLONG_MAX / 16)
			return false;
		v = v * (unsigned)base + (unsigned)d;
	}
	if (v > (unsigned long long)LLONG_MAX)
		return false;
	*out = neg ? -(long long)v : (long long)v;
	return true;
}
