/* VEX documents: OpenVEX (v0.0.1 and v0.2.0) and CycloneDX VEX, JSON.
 *
 * OpenVEX: { "@context": "https://openvex.dev/ns/…", "statements": [ {
 *   "vulnerability": "CVE-…" | { "name": "CVE-…", "aliases": ["GHSA-…"] },
 *   "products": [ "pkg:…" | { "@id": "…", "identifiers": { "purl": "…" },
 *                              "subcomponents": [ "pkg:…" | { "@id", "identifiers" } ] } ],
 *   "subcomponents": [ … ]                                  (v0.0.1)
 *   "status": "not_affected|affected|fixed|under_investigation",
 *   "justification": "…", "impact_statement": "…" } ] }
 * A statement scopes to its subcomponents' purls; without subcomponents to
 * its products that are package purls; a product that is an image (pkg:oci,
 * pkg:docker) or not a purl at all stands for the scanned target: every
 * package. Later statements about the same vulnerability and package win.
 *
 * CycloneDX: { "bomFormat": "CycloneDX", "components": [ { "bom-ref", "purl" } ],
 *   "vulnerabilities": [ { "id": "CVE-…", "references": [ { "id": "GHSA-…" } ],
 *     "analysis": { "state": "not_affected|false_positive|resolved|
 *                   resolved_with_pedigree|exploitable|in_triage",
 *                   "justification": "…", "detail": "…" },
 *     "affects": [ { "ref": "bom-ref | urn:cdx:…#bom-ref | pkg:…" } ] } ] }
 * A ref resolves through the components (nested too, indexed once) to a purl; a ref to
 * metadata.component (the image) or no affects at all means every package.
 * "versions" inside affects are not evaluated.
 */
#include <jansson.h>

#include "suppress-int.h"

struct vex_ctx {
	struct bw_suppress *s;
	const char *name;
	struct bw_error *err;
	const char **scopes; /* heap array, strings in the arena */
	size_t n_scopes;
	bool all;
	json_t *bom_refs; /* CycloneDX: bom-ref -> purl ("" without one), made once */
};

static int bad(struct vex_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct vex_ctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return bw_error_set(c->err, BW_EINPUT, "%s: %s", c->name, msg);
}

static const char *str_or_null(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k)); /* NULL unless a string */
}

static bool in_list(const char *v, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(v, list[i]) == 0)
			return true;
	return false;
}

static void add_scope(struct vex_ctx *c, const char *purl)
{
	c->scopes = bw_realloc(c->scopes, (c->n_scopes + 1) * sizeof(*c->scopes));
	c->scopes[c->n_scopes++] = bw_arena_strdup(&c->s->arena, purl);
}

static bool is_image_purl(const char *p)
{
	return bw_strncasecmp(p, "pkg:oci/", 8) == 0 || bw_strncasecmp(p, "pkg:docker/", 11) == 0;
}

/* The purl of an OpenVEX component: a string, or @id / identifiers.purl. */
static int component_purl(struct vex_ctx *c, json_t *v, const char *where, const char **out)
{
	*out = NULL;
	if (json_is_string(v)) {
		*out = json_string_value(v);
	} else if (json_is_object(v)) {
		json_t *ids = json_object_get(v, "identifiers");
		const char *p = json_is_object(ids) ? str_or_null(ids, "purl") : NULL;
		const char *id = str_or_null(v, "@id");
		if (!p && !id && !json_is_object(ids))
			return bad(c, "%s: a component needs an @id or identifiers", where);
		*out = p ? p : id;
	} else {
		return bad(c, "%s: a component is a string or an object", where);
	}
	if (*out && bw_strncasecmp(*out, "pkg:", 4) != 0)
		*out = NULL; /* not a purl: no package to match */
	return 0;
}

static int subcomponents(struct vex_ctx *c, json_t *arr, const char *where, bool *any)
{
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return bad(c, "%s.subcomponents: not an array", where);
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		char w[128];
		snprintf(w, sizeof(w), "%s.subcomponents[%zu]", where, i);
		const char *p;
		if (component_purl(c, v, w, &p))
			return c->err->code;
		*any = true;
		if (p)
			add_scope(c, p);
	}
	return 0;
}

/* The tail both VEX flavours share: the statement's package scopes and
 * the reason "<file>: <where>: <status> (<justification>): <detail>". */
static void finish_entry(struct vex_ctx *c, struct bw_suppress_entry *e, const char *where,
			 const char *status, const char *just, const char *detail)
{
	if (c->n_scopes) {
		e->scopes = bw_arena_alloc(&c->s->arena, c->n_scopes * sizeof(*e->scopes));
		memcpy(e->scopes, c->scopes, c->n_scopes * sizeof(*c->scopes));
		e->n_scopes = c->n_scopes;
	}
	char *why = bw_asprintf("%s: %s: %s%s%s%s%s%s", c->name, where, status, just ? " (" : "",
				just ? just : "", just ? ")" : "", detail ? ": " : "", detail ? detail : "");
	e->reason = bw_arena_strdup(&c->s->arena, why);
	free(why);
}

static int openvex_statement(struct vex_ctx *c, json_t *st, size_t idx)
{
	static const char *const statuses[] = {"not_affected", "affected", "fixed", "under_investigation",
					       NULL};
	static const char *const justifications[] = {"component_not_present",
						     "vulnerable_code_not_present",
						     "vulnerable_code_not_in_execute_path",
						     "vulnerable_code_cannot_be_controlled_by_adversary",
						     "inline_mitigations_already_exist",
						     NULL};
	char where[64];
	snprintf(where, sizeof(where), "statements[%zu]", idx);
	if (!json_is_object(st))
		return bad(c, "%s: not an object", where);

	json_t *vuln = json_object_get(st, "vulnerability");
	const char *vname = NULL;
	json_t *aliases = NULL;
	if (json_is_string(vuln)) {
		vname = json_string_value(vuln);
	} else if (json_is_object(vuln)) {
		vname = str_or_null(vuln, "name");
		aliases = json_object_get(vuln, "aliases");
		if (aliases && !json_is_array(aliases))
			return bad(c, "%s.vulnerability.aliases: not an array", where);
	}
	if (!vname || !*vname)
		return bad(c, "%s.vulnerability: missing (a name such as CVE-2024-1234)", where);

	const char *status = str_or_null(st, "status");
	if (!status)
		return bad(c, "%s.status: missing", where);
	if (!in_list(status, statuses))
		return bad(c,
			   "%s.status: '%.64s' is not an OpenVEX status (not_affected, affected, fixed, "
			   "under_investigation)",
			   where, status);
	const char *just = str_or_null(st, "justification");
	if (json_object_get(st, "justification") && !just)
		return bad(c, "%s.justification: not a string", where);
	if (just && !in_list(just, justifications))
		return bad(c, "%s.justification: '%.64s' is not an OpenVEX justification", where, just);
	const char *impact = str_or_null(st, "impact_statement");
	if (strcmp(status, "not_affected") == 0 && !just && !impact)
		return bad(c, "%s: status not_affected needs a justification or an impact_statement", where);

	c->n_scopes = 0;
	c->all = false;
	json_t *products = json_object_get(st, "products");
	if (products && !json_is_array(products))
		return bad(c, "%s.products: not an array", where);
	if (!products || !json_array_size(products))
		c->all = true;
	size_t i;
	json_t *prod;
	json_array_foreach(products, i, prod)
	{
		char w[96];
		snprintf(w, sizeof(w), "%s.products[%zu]", where, i);
		const char *p;
		if (component_purl(c, prod, w, &p))
			return c->err->code;
		bool sub = false;
		if (json_is_object(prod) && subcomponents(c, json_object_get(prod, "subcomponents"), w, &sub))
			return c->err->code;
		if (sub)
			continue;
		if (p && !is_image_purl(p))
			add_scope(c, p);
		else
			c->all = true;
	}
	bool top_sub = false;
	if (subcomponents(c, json_object_get(st, "subcomponents"), where, &top_sub))
		return c->err->code;
	if (top_sub)
		c->all = false; /* v0.0.1: the products are images, the subcomponents the packages */

	struct bw_suppress_entry *e = bw_suppress_entry_add(c->s);
	e->vex = true;
	e->suppresses = strcmp(status, "not_affected") == 0 || strcmp(status, "fixed") == 0;
	e->all_packages = c->all;
	e->id = bw_arena_strdup(&c->s->arena, vname);
	e->file = c->name;
	size_t na = json_array_size(aliases);
	if (na) {
		e->aliases = bw_arena_alloc(&c->s->arena, na * sizeof(*e->aliases));
		json_t *a;
		json_array_foreach(aliases, i, a) if (json_is_string(a)) e->aliases[e->n_aliases++] =
		    bw_arena_strdup(&c->s->arena, json_string_value(a));
	}
	finish_entry(c, e, where, status, just, impact);
	return 0;
}

static int parse_openvex(struct vex_ctx *c, json_t *doc)
{
	json_t *sts = json_object_get(doc, "statements");
	if (!json_is_array(sts))
		return bad(c, "statements: missing or not an array");
	size_t i;
	json_t *st;
	json_array_foreach(sts, i, st) if (openvex_statement(c, st, i)) return c->err->code;
	return 0;
}

/* Index the bom-refs of components (nested ones too, at most 32 deep) to
 * their purls, in document order, the first of a duplicated bom-ref
 * winning: every affects ref is then one look-up, not a walk of every
 * component (refs × components on a large document). */
static void cdx_index(json_t *index, json_t *components, int depth)
{
	if (!json_is_array(components) || depth > 32)
		return;
	size_t i;
	json_t *comp;
	json_array_foreach(components, i, comp)
	{
		const char *r = str_or_null(comp, "bom-ref");
		if (r && !json_object_get(index, r)) {
			const char *p = str_or_null(comp, "purl");
			json_object_set_new(index, r, json_string(p ? p : ""));
		}
		cdx_index(index, json_object_get(comp, "components"), depth + 1);
	}
}

static int cdx_vulnerability(struct vex_ctx *c, json_t *doc, json_t *v, size_t idx)
{
	static const char *const states[] = {"resolved",  "resolved_with_pedigree", "exploitable",
					     "in_triage", "false_positive",	    "not_affected",
					     NULL};
	static const char *const justifications[] = {"code_not_present",
						     "code_not_reachable",
						     "requires_configuration",
						     "requires_dependency",
						     "requires_environment",
						     "protected_by_compiler",
						     "protected_at_runtime",
						     "protected_at_perimeter",
						     "protected_by_mitigating_control",
						     NULL};
	char where[64];
	snprintf(where, sizeof(where), "vulnerabilities[%zu]", idx);
	if (!json_is_object(v))
		return bad(c, "%s: not an object", where);
	const char *id = str_or_null(v, "id");
	if (!id || !*id)
		return bad(c, "%s.id: missing", where);
	json_t *an = json_object_get(v, "analysis");
	if (!an)
		return 0; /* a plain finding list, no VEX statement */
	if (!json_is_object(an))
		return bad(c, "%s.analysis: not an object", where);
	const char *state = str_or_null(an, "state");
	if (!state)
		return bad(c, "%s.analysis.state: missing", where);
	if (!in_list(state, states))
		return bad(c, "%s.analysis.state: '%.64s' is not a CycloneDX impact analysis state", where,
			   state);
	const char *just = str_or_null(an, "justification");
	if (json_object_get(an, "justification") && !just)
		return bad(c, "%s.analysis.justification: not a string", where);
	if (just && !in_list(just, justifications))
		return bad(c, "%s.analysis.justification: '%.64s' is not a CycloneDX justification", where,
			   just);
	const char *detail = str_or_null(an, "detail");

	c->n_scopes = 0;
	c->all = false;
	json_t *affects = json_object_get(v, "affects");
	if (affects && !json_is_array(affects))
		return bad(c, "%s.affects: not an array", where);
	if (!json_array_size(affects))
		c->all = true;
	json_t *meta = json_object_get(doc, "metadata");
	const char *image_ref =
	    json_is_object(meta) ? str_or_null(json_object_get(meta, "component"), "bom-ref") : NULL;
	size_t i;
	json_t *a;
	json_array_foreach(affects, i, a)
	{
		const char *ref = json_is_object(a) ? str_or_null(a, "ref") : NULL;
		if (!ref)
			return bad(c, "%s.affects[%zu].ref: missing", where, i);
		const char *frag =
		    strncmp(ref, "urn:cdx:", 8) == 0 && strchr(ref, '#') ? strchr(ref, '#') + 1 : ref;
		if (image_ref && strcmp(frag, image_ref) == 0) {
			c->all = true;
			continue;
		}
		const char *p = json_string_value(json_object_get(c->bom_refs, frag));
		if (!p && bw_strncasecmp(frag, "pkg:", 4) == 0)
			p = frag;
		if (!p)
			return bad(c, "%s.affects[%zu].ref: '%.128s' names no component of the document",
				   where, i, ref);
		if (!*p)
			continue; /* a component without a purl: nothing of ours to match */
		if (is_image_purl(p))
			c->all = true;
		else
			add_scope(c, p);
	}

	struct bw_suppress_entry *e = bw_suppress_entry_add(c->s);
	e->vex = true;
	e->suppresses = in_list(state, (const char *const[]){"not_affected", "false_positive", "resolved",
							     "resolved_with_pedigree", NULL});
	e->all_packages = c->all;
	e->id = bw_arena_strdup(&c->s->arena, id);
	e->file = c->name;
	json_t *refs = json_object_get(v, "references");
	if (json_is_array(refs) && json_array_size(refs)) {
		e->aliases = bw_arena_alloc(&c->s->arena, json_array_size(refs) * sizeof(*e->aliases));
		json_t *r;
		json_array_foreach(refs, i, r)
		{
			const char *rid = json_is_object(r) ? str_or_null(r, "id") : NULL;
			if (rid)
				e->aliases[e->n_aliases++] = bw_arena_strdup(&c->s->arena, rid);
		}
	}
	finish_entry(c, e, where, state, just, detail);
	return 0;
}

static int parse_cyclonedx(struct vex_ctx *c, json_t *doc)
{
	json_t *vs = json_object_get(doc, "vulnerabilities");
	if (!json_is_array(vs))
		return bad(c, "vulnerabilities: missing or not an array");
	c->bom_refs = json_object();
	cdx_index(c->bom_refs, json_object_get(doc, "components"), 0);
	size_t i;
	json_t *v;
	int rc = 0;
	json_array_foreach(vs, i, v) if ((rc = cdx_vulnerability(c, doc, v, i)) != 0) break;
	json_decref(c->bom_refs);
	c->bom_refs = NULL;
	return rc ? c->err->code : 0;
}

int bw_suppress_add_vex(struct bw_suppress *s, const char *name, const char *data, size_t len,
			struct bw_error *err)
{
	struct vex_ctx c = {.s = s, .name = bw_arena_strdup(&s->arena, name), .err = err};
	json_error_t je;
	bool too_big = false;
	json_t *doc = bw_json_loadb(data, len, JSON_REJECT_DUPLICATES, BW_JSON_TREE_MAX, &je, &too_big);
	if (too_big)
		return bw_error_set(err, BW_ELIMIT, "%s: the document takes more than %zu MiB once parsed",
				    c.name, BW_JSON_TREE_MAX >> 20);
	if (!doc)
		return bw_error_set(err, BW_EINPUT, "%s: line %d column %d: %s", c.name, je.line, je.column,
				    je.text);
	size_t keep = s->n_entries;
	int rc;
	const char *fmt = json_is_object(doc) ? str_or_null(doc, "bomFormat") : NULL;
	if (!json_is_object(doc))
		rc = bad(&c, "not a JSON object");
	else if (fmt && strcmp(fmt, "CycloneDX") == 0)
		rc = parse_cyclonedx(&c, doc);
	else if (json_object_get(doc, "statements"))
		rc = parse_openvex(&c, doc);
	else if (json_object_get(doc, "vulnerabilities"))
		rc = parse_cyclonedx(&c, doc);
	else
		rc = bad(&c, "neither OpenVEX (statements) nor CycloneDX VEX (bomFormat, vulnerabilities)");
	json_decref(doc);
	free(c.scopes);
	if (rc)
		bw_suppress_truncate(s, keep);
	return rc;
}

int bw_suppress_load_vex(struct bw_suppress *s, const char *path, struct bw_error *err)
{
	return bw_suppress_load(s, path, "the VEX document", false, bw_suppress_add_vex, err);
}
