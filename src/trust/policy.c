/* A trust policy: which images are allowed, by who signed them and what
 * they attest. YAML:
 *
 *   default: deny                  # images no rule names: deny (default) or allow
 *   policies:
 *     - name: releases
 *       images: ["registry.example/app*", "registry.example/team-*"]
 *       keys: [release.pub]          # a signature verifying with any one of them
 *       annotations: {env: prod}     # carried by that signed payload
 *       attestations: [cyclonedx]    # verified attestations of these types
 *       max_age: 30d                 # ... made at most this long ago (s, m, h, d, w)
 *
 * The first rule whose image glob (fnmatch, '*' crossing '/') matches the
 * image's repository ("REGISTRY/REPO", Docker Hub's as index.docker.io)
 * decides. Key paths are relative to the policy file. Unknown members are
 * refused, so a misspelt requirement cannot be silently ignored.
 *
 * max_age judges an attestation by the time its signed predicate states
 * (the first of CycloneDX's metadata.timestamp, SPDX's creationInfo.created,
 * cosign's vuln metadata.scanFinishedOn, SLSA's metadata.buildFinishedOn or
 * runDetails.metadata.finishedOn, OpenVEX's last_updated or timestamp,
 * cosign's custom timestamp): one without such a time is too old (fail
 * closed), as is one from the future by more than a minute. */
#include <fnmatch.h>
#include <libgen.h>
#include <time.h>

#include <jansson.h>

#include "trust-int.h"

#include "iac/iac.h"

#define MAX_RULES 256
#define MAX_ITEMS 64

struct rule {
	char *name;
	char *images[MAX_ITEMS];
	size_t n_images;
	struct bw_trust_key *keys[MAX_ITEMS];
	char *key_names[MAX_ITEMS];
	size_t n_keys;
	char *annotations[MAX_ITEMS]; /* "KEY=VALUE" */
	size_t n_annotations;
	char *attestations[MAX_ITEMS];
	size_t n_attestations;
	int64_t max_age; /* seconds; 0: any age */
};

struct bw_trust_policy {
	bool default_allow;
	struct rule *rules;
	size_t n_rules;
};

void bw_trust_policy_free(struct bw_trust_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_rules; i++) {
		struct rule *r = &p->rules[i];
		free(r->name);
		for (size_t k = 0; k < r->n_images; k++)
			free(r->images[k]);
		for (size_t k = 0; k < r->n_keys; k++) {
			bw_trust_key_free(r->keys[k]);
			free(r->key_names[k]);
		}
		for (size_t k = 0; k < r->n_annotations; k++)
			free(r->annotations[k]);
		for (size_t k = 0; k < r->n_attestations; k++)
			free(r->attestations[k]);
	}
	free(p->rules);
	free(p);
}

static int bad(struct bw_error *err, const char *path, const struct bw_yaml_node *n, const char *what)
{
	return bw_error_set(err, BW_EINPUT, "%s:%d:%d: %s", path, n ? n->line : 0, n ? n->column : 0, what);
}

/* A list of strings (or one string) into out[]. */
static int strings(const char *path, const struct bw_yaml_node *n, char **out, size_t *count,
		   const char *what, struct bw_error *err)
{
	if (!n)
		return 0;
	if (n->kind == BW_YAML_SCALAR) {
		out[(*count)++] = bw_strdup(n->str);
		return 0;
	}
	if (n->kind != BW_YAML_SEQ || n->n > MAX_ITEMS)
		return bad(err, path, n, what);
	for (size_t i = 0; i < n->n; i++) {
		const char *s = bw_yaml_str(n->items[i]);
		if (!s || !*s)
			return bad(err, path, n->items[i], what);
		out[(*count)++] = bw_strdup(s);
	}
	return 0;
}

/* "30d" → seconds; -1 when it is not a duration. */
static int64_t duration(const char *s)
{
	if (!s || !*s || strlen(s) > 12)
		return -1;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || v <= 0 || !*end || end[1])
		return -1;
	static const char units[] = "smhdw";
	static const int64_t mult[] = {1, 60, 3600, 86400, 604800};
	const char *u = strchr(units, *end);
	if (!u || v > INT64_MAX / mult[u - units])
		return -1;
	return v * mult[u - units];
}

/* The time a verified statement's predicate states it was made; false
 * when it states none. */
static bool predicate_time(const char *statement, int64_t *t)
{
	static const char *const paths[][3] = {
	    {"metadata", "timestamp", NULL},
	    {"creationInfo", "created", NULL},
	    {"metadata", "scanFinishedOn", NULL},
	    {"metadata", "buildFinishedOn", NULL},
	    {"runDetails", "metadata", "finishedOn"},
	    {"last_updated", NULL, NULL},
	    {"timestamp", NULL, NULL},
	};
	json_t *st = json_loads(statement, JSON_REJECT_DUPLICATES, NULL);
	json_t *pred = json_object_get(st, "predicate");
	bool found = false;
	for (size_t i = 0; i < BW_ARRAY_SIZE(paths) && !found; i++) {
		json_t *j = pred;
		for (size_t k = 0; k < 3 && paths[i][k] && j; k++)
			j = json_object_get(j, paths[i][k]);
		found = json_is_string(j) && trust_rfc3339(json_string_value(j), t) == 0;
	}
	json_decref(st);
	return found;
}

static int load_rule(const char *path, const char *dir, const struct bw_yaml_node *n, struct rule *r,
		     struct bw_error *err)
{
	static const char *const known[] = {"name",	   "images",	   "keys",
					    "annotations", "attestations", "max_age"};
	if (n->kind != BW_YAML_MAP)
		return bad(err, path, n,
			   "a policy is a mapping (name, images, keys, annotations, attestations, max_age)");
	for (size_t i = 0; i < n->n; i++) {
		const char *k = bw_yaml_str(n->pairs[i].key);
		size_t j = 0;
		while (j < BW_ARRAY_SIZE(known) && (!k || strcmp(k, known[j]) != 0))
			j++;
		if (j == BW_ARRAY_SIZE(known))
			return bad(err, path, n->pairs[i].key,
				   "unknown policy member (name, images, keys, annotations, attestations, "
				   "max_age)");
	}
	const char *name = bw_yaml_str(bw_yaml_get(n, "name"));
	r->name = bw_strdup(name ? name : "(unnamed)");
	char *keys[MAX_ITEMS];
	size_t nk = 0;
	int rc =
	    strings(path, bw_yaml_get(n, "images"), r->images, &r->n_images, "images: a list of globs", err);
	if (rc == 0 && !r->n_images)
		rc = bad(err, path, n, "a policy needs images: the globs it applies to");
	if (rc == 0)
		rc =
		    strings(path, bw_yaml_get(n, "keys"), keys, &nk, "keys: a list of public-key files", err);
	if (rc == 0 && !nk)
		rc = bad(err, path, n, "a policy needs keys: the public keys its images must be signed with");
	for (size_t i = 0; i < nk; i++) {
		bw_autofree char *kp =
		    keys[i][0] == '/' ? bw_strdup(keys[i]) : bw_asprintf("%s/%s", dir, keys[i]);
		if (rc == 0) {
			rc = bw_trust_key_load_file(kp, NULL, 0, &r->keys[r->n_keys], err);
			if (rc == 0)
				r->key_names[r->n_keys++] = bw_strdup(keys[i]);
		}
		free(keys[i]);
	}
	if (rc == 0)
		rc = strings(path, bw_yaml_get(n, "attestations"), r->attestations, &r->n_attestations,
			     "attestations: a list of predicate types", err);
	for (size_t i = 0; rc == 0 && i < r->n_attestations; i++)
		if (!bw_trust_predicate_type(r->attestations[i]))
			rc = bad(err, path, bw_yaml_get(n, "attestations"), "an unknown predicate type");
	const struct bw_yaml_node *age = bw_yaml_get(n, "max_age");
	if (rc == 0 && age && (r->max_age = duration(bw_yaml_str(age))) <= 0)
		rc = bad(err, path, age, "max_age: a duration such as 90s, 30m, 12h, 30d or 2w");
	if (rc == 0 && age && !r->n_attestations)
		rc = bad(err, path, age, "max_age judges attestations: name them (attestations: [...])");
	const struct bw_yaml_node *ann = bw_yaml_get(n, "annotations");
	if (rc == 0 && ann && (ann->kind != BW_YAML_MAP || ann->n > MAX_ITEMS))
		rc = bad(err, path, ann, "annotations: a mapping of KEY: VALUE");
	for (size_t i = 0; rc == 0 && ann && i < ann->n; i++) {
		const char *k = bw_yaml_str(ann->pairs[i].key), *v = bw_yaml_str(ann->pairs[i].value);
		if (!k || !v)
			rc = bad(err, path, ann->pairs[i].key, "annotations: a mapping of KEY: VALUE");
		else
			r->annotations[r->n_annotations++] = bw_asprintf("%s=%s", k, v);
	}
	return rc;
}

int bw_trust_policy_load(const char *path, struct bw_trust_policy **out, struct bw_error *err)
{
	*out = NULL;
	struct bw_buf b;
	bw_buf_init(&b, 1u << 20);
	int rc = bw_buf_read_file(&b, path, err);
	struct bw_yaml_file *y = NULL;
	if (rc == 0)
		rc = bw_yaml_parse(path, b.data ? b.data : "", b.len, NULL, &y, err);
	bw_buf_release(&b);
	if (rc < 0)
		return rc;
	struct bw_trust_policy *p = bw_calloc(1, sizeof(*p));
	const struct bw_yaml_node *root = y->n_docs == 1 ? y->docs[0].root : NULL;
	const struct bw_yaml_node *def = bw_yaml_get(root, "default");
	const struct bw_yaml_node *rules = bw_yaml_get(root, "policies");
	bw_autofree char *pcopy = bw_strdup(path);
	const char *dir = dirname(pcopy);
	if (!root || root->kind != BW_YAML_MAP)
		rc = bad(err, path, root, "a trust policy is one mapping (default, policies)");
	for (size_t i = 0; rc == 0 && i < root->n; i++)
		if (!bw_yaml_is(root->pairs[i].key, "default") && !bw_yaml_is(root->pairs[i].key, "policies"))
			rc = bad(err, path, root->pairs[i].key, "unknown member (default, policies)");
	if (rc == 0 && def && !bw_yaml_is(def, "allow") && !bw_yaml_is(def, "deny"))
		rc = bad(err, path, def, "default: allow or deny");
	if (rc == 0 && (!rules || rules->kind != BW_YAML_SEQ || rules->n > MAX_RULES))
		rc = bad(err, path, rules ? rules : root, "policies: a list of at most 256 rules");
	if (rc == 0) {
		p->default_allow = def && bw_yaml_is(def, "allow");
		p->rules = bw_calloc(rules->n ? rules->n : 1, sizeof(*p->rules));
		for (size_t i = 0; rc == 0 && i < rules->n; i++) {
			rc = load_rule(path, dir, rules->items[i], &p->rules[i], err);
			p->n_rules = i + 1;
		}
	}
	bw_yaml_file_free(y);
	if (rc < 0) {
		bw_trust_policy_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void bw_trust_decision_release(struct bw_trust_decision *d)
{
	free(d->rule);
	for (size_t i = 0; i < d->n_reasons; i++)
		free(d->reasons[i]);
	free(d->reasons);
	memset(d, 0, sizeof(*d));
}

static void reason(struct bw_trust_decision *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reason(struct bw_trust_decision *d, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	d->reasons = bw_realloc(d->reasons, (d->n_reasons + 1) * sizeof(char *));
	d->reasons[d->n_reasons++] = bw_strdup(buf);
}

int bw_trust_policy_evaluate(const struct bw_trust_policy *p, const struct bw_trust_image *img,
			     struct bw_trust_decision *d, struct bw_error *err)
{
	memset(d, 0, sizeof(*d));
	const char *repo = img->repository ? img->repository : img->name;
	const struct rule *r = NULL;
	for (size_t i = 0; i < p->n_rules && !r; i++)
		for (size_t k = 0; k < p->rules[i].n_images && !r; k++)
			if (fnmatch(p->rules[i].images[k], repo, 0) == 0)
				r = &p->rules[i];
	if (!r) {
		d->allow = p->default_allow;
		reason(d, "no policy names %s: the default is to %s", repo,
		       p->default_allow ? "allow" : "deny");
		return 0;
	}
	d->rule = bw_strdup(r->name);
	/* a signature with one of the keys, carrying the annotations */
	bool signed_ok = false;
	for (size_t k = 0; k < r->n_keys && !signed_ok; k++) {
		struct bw_trust_verify_opts vo = {.key = r->keys[k],
						  .annotations = (const char *const *)r->annotations,
						  .n_annotations = r->n_annotations};
		struct bw_trust_result res;
		int rc = bw_trust_verify_image(img, &vo, &res, err);
		if (rc < 0)
			return rc;
		if (res.n_ok) {
			signed_ok = true;
			reason(d, "signed with %s", r->key_names[k]);
		} else {
			for (size_t i = 0; i < res.n && i < 4; i++)
				reason(d, "%s: %s: %s", r->key_names[k], res.checks[i].source,
				       res.checks[i].reason ? res.checks[i].reason : "failed");
			if (!res.n)
				reason(d, "%s: no signature found", r->key_names[k]);
		}
		bw_trust_result_release(&res);
	}
	if (!signed_ok)
		reason(d, "no signature verifies with the keys of policy %s", r->name);
	bool attested = true;
	int64_t now = (int64_t)time(NULL);
	for (size_t a = 0; a < r->n_attestations; a++) {
		bool ok = false;
		size_t stale = 0;
		for (size_t k = 0; k < r->n_keys && !ok; k++) {
			struct bw_trust_verify_opts vo = {.key = r->keys[k], .type = r->attestations[a]};
			struct bw_trust_result res;
			int rc = bw_trust_verify_attestations(img, &vo, &res, err);
			if (rc < 0)
				return rc;
			for (size_t i = 0; i < res.n && !ok; i++) {
				int64_t t = 0;
				if (!res.checks[i].ok)
					continue;
				if (!r->max_age)
					ok = true;
				else if (!predicate_time(res.checks[i].payload, &t))
					stale++;
				else if (t < now - r->max_age || t > now + 60)
					stale++;
				else
					ok = true;
			}
			bw_trust_result_release(&res);
		}
		if (ok)
			reason(d, "a %s attestation verifies", r->attestations[a]);
		else if (stale)
			reason(
			    d,
			    "%zu %s attestation%s verif%s, but none states a time within max_age (%lld s) of "
			    "now",
			    stale, r->attestations[a], stale == 1 ? "" : "s", stale == 1 ? "ies" : "y",
			    (long long)r->max_age);
		else
			reason(d, "no %s attestation verifies with the policy's keys", r->attestations[a]);
		attested &= ok;
	}
	d->allow = signed_ok && attested;
	return 0;
}
