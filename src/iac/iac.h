/* iac — configuration as code: a bounded YAML reader with positions,
 * docker-compose projects and Kubernetes manifests, their checks
 * (BW-COMPOSE-NNN, BW-K8S-NNN with the Trivy KSV, Kubesec and kube-score ids
 * in `equivalent`), organisation baselines and fixes.
 *
 * Ownership: a struct bw_yaml_file owns every node, string and array reached
 * from it (one arena), and the caller's text is copied, so the caller may
 * free its buffer after bw_yaml_parse(); bw_yaml_file_free() releases it all.
 * A struct bw_iac_config and a struct bw_iac_project are owned by the caller
 * (new/free); a project owns the YAML files it loaded. Findings go to the
 * caller's report, copied into its arena. The rule table is static.
 */
#ifndef BW_IAC_H
#define BW_IAC_H

#include "core/core.h"
#include "report/report.h"

/* ---- the YAML reader (yaml.c) ------------------------------------------ */

/* Bounds of one parse; a zero field takes the default in brackets. */
struct bw_yaml_limits {
	size_t max_bytes; /* the text [64 MiB] */
	size_t max_docs;  /* documents in the stream [20,000] */
	size_t max_depth; /* nesting of collections [128] */
	/* nodes of the whole file counted with every alias expanded, each
	 * merge key's entries included: the budget that stops an alias bomb
	 * ("billion laughs") [4,000,000] */
	uint64_t max_nodes;
};

enum bw_yaml_kind {
	BW_YAML_SCALAR = 0,
	BW_YAML_SEQ,
	BW_YAML_MAP,
};

enum bw_yaml_style {
	BW_YAML_PLAIN = 0, /* scalars: plain; collections: block */
	BW_YAML_SINGLE,	   /* 'quoted' */
	BW_YAML_DOUBLE,	   /* "quoted" */
	BW_YAML_LITERAL,   /* | */
	BW_YAML_FOLDED,	   /* > */
	BW_YAML_FLOW,	   /* collections: [a, b] / {a: b} */
};

struct bw_yaml_file;
struct bw_yaml_node;

struct bw_yaml_pair {
	struct bw_yaml_node *key, *value;
	bool merged; /* came in through a merge key "<<" */
};

/* A node where it stands in its file. Aliases point at the anchored node
 * itself (so its position is the anchor's). */
struct bw_yaml_node {
	enum bw_yaml_kind kind;
	enum bw_yaml_style style;
	int line, column;  /* 1-based, column in characters */
	size_t start, end; /* byte offsets of the node's text in the file */
	const char *tag;   /* an explicit tag ("!!str", "tag:yaml.org,2002:int") or NULL */
	const struct bw_yaml_file *file;
	uint64_t weight; /* nodes under it, aliases expanded (itself included) */
	/* scalar: a NUL-terminated copy (len bytes; may hold a NUL) */
	const char *str;
	size_t len;
	/* map: its entries in order; seq: its items */
	struct bw_yaml_pair *pairs;
	struct bw_yaml_node **items;
	size_t n;
	bool interpolated; /* compose: str already went through ${VAR} substitution */
};

struct bw_yaml_doc {
	struct bw_yaml_node *root; /* an empty document: a null scalar */
	int line;		   /* where it starts */
};

struct bw_yaml_file {
	const char *path; /* as the caller named it */
	const char *text; /* the bytes parsed (a copy), NUL-terminated */
	size_t len;
	struct bw_yaml_doc *docs;
	size_t n_docs;
};

/* Parse text[0..len) as a YAML stream. Every problem is BW_EINPUT (or
 * BW_ELIMIT for a passed bound) with a message "PATH:LINE:COLUMN: …": not
 * UTF-8 (the first bad byte), a tab where indentation is expected, a
 * duplicated mapping key (both lines), an alias to an unknown or still open
 * anchor (recursion), an alias expansion over max_nodes, too many documents,
 * nesting deeper than max_depth, and libyaml's own syntax errors. Merge keys
 * ("<<: *base", "<<: [*a, *b]") are resolved: explicit keys win, then the
 * merged maps in order. */
int bw_yaml_parse(const char *path, const char *text, size_t len, const struct bw_yaml_limits *lim,
		  struct bw_yaml_file **out, struct bw_error *err);
void bw_yaml_file_free(struct bw_yaml_file *f);

/* Look-ups; all accept NULL and a node of the wrong kind (answering NULL). */
const struct bw_yaml_pair *bw_yaml_pair_of(const struct bw_yaml_node *map, const char *key);
const struct bw_yaml_node *bw_yaml_get(const struct bw_yaml_node *map, const char *key);
/* bw_yaml_get along a dotted path of keys ("spec.template.spec"). */
const struct bw_yaml_node *bw_yaml_path(const struct bw_yaml_node *map, const char *dotted);
/* A scalar's text, or NULL for a collection or NULL node. */
const char *bw_yaml_str(const struct bw_yaml_node *n);
/* True when n is a scalar whose text equals s. */
bool bw_yaml_is(const struct bw_yaml_node *n, const char *s);
/* A null node: NULL, or a plain "", "~", "null", "Null", "NULL". */
bool bw_yaml_is_null(const struct bw_yaml_node *n);
/* A plain (untagged or !!bool) boolean: 1 true, 0 false, -1 not a boolean.
 * The YAML 1.1 forms yes/no/on/off count too (Kubernetes reads them so). */
int bw_yaml_bool(const struct bw_yaml_node *n);
/* A plain integer (decimal, 0x, 0o), false when n is not one. */
bool bw_yaml_int(const struct bw_yaml_node *n, long long *out);

/* ---- checking compose files and Kubernetes manifests (check.c) --------- */

struct bw_iac_config;

struct bw_iac_config *bw_iac_config_new(void);
void bw_iac_config_free(struct bw_iac_config *cfg);
/* Do not run rule id (own or peer id); BW_EUSAGE for an unknown id. */
int bw_iac_config_disable(struct bw_iac_config *cfg, const char *id, struct bw_error *err);
/* Images must come from registries matching pattern ("docker.io",
 * "*.corp.example"); with none given, any registry is allowed. */
void bw_iac_config_trust_registry(struct bw_iac_config *cfg, const char *pattern);
/* Compose interpolation reads these NAME=VALUE strings instead of the
 * process environment (NULL: start an empty environment). */
void bw_iac_config_setenv(struct bw_iac_config *cfg, const char *name_value);

/* Load an organisation baseline (see docs/config.md): allowed registries,
 * forbidden capabilities and mounts, resource ceilings, required settings,
 * disabled rules, and exceptions with owner, reason and expiry. Findings
 * BW-BASE-NNN follow; a finding an unexpired exception covers is kept with
 * status suppressed and the exception in suppressed_by. A malformed
 * baseline is BW_EUSAGE naming path:line:column. */
int bw_iac_config_load_baseline(struct bw_iac_config *cfg, const char *path, struct bw_error *err);

enum {
	BW_IAC_KUBERNETES = 1u << 0,
	BW_IAC_COMPOSE = 1u << 1,
};

/* Counts of a check over paths. */
struct bw_iac_walk {
	size_t seen;	/* YAML files looked at */
	size_t checked; /* compose or Kubernetes files checked */
	size_t skipped; /* neither, or a template found in a directory */
	size_t failed;	/* files of a directory that could not be read or parsed */
	unsigned kinds; /* BW_IAC_* found */
};

/* Check one file held in text[0..len), named path: a compose file (its .env,
 * include and extends files are read relative to path) or Kubernetes
 * manifests (multi-document, List kinds). Findings (misconfiguration,
 * BW-K8S-NNN / BW-COMPOSE-NNN, file, line and column of the offending key)
 * are appended to r; *kinds gets BW_IAC_* bits of what was found (nothing:
 * neither kind). A file that cannot be parsed: BW_EINPUT / BW_ELIMIT with
 * "path:line:column: why", and r gains no finding from it. */
int bw_iac_check_text(struct bw_report *r, const char *path, const char *text, size_t len,
		      const struct bw_iac_config *cfg, unsigned *kinds, struct bw_error *err);
/* Check a file, or every *.yaml / *.yml under a directory (hidden entries
 * and node_modules left out). In a directory, a file that fails is a
 * warning of r and counted in st->failed (a templated file, "{{", is
 * skipped); a named file that fails is the error. */
int bw_iac_check_path(struct bw_report *r, const char *path, const struct bw_iac_config *cfg,
		      struct bw_iac_walk *st, struct bw_error *err);
/* After the last check: report the baseline's expired exceptions
 * (BW-BASE-006; cfg may be NULL), drop duplicate findings (one key reached
 * twice through include or extends) and sort. */
void bw_iac_finish(struct bw_report *r, const struct bw_iac_config *cfg);

/* ---- fixes (fix.c) ------------------------------------------------------ */

/* The hardened text of one file (text[0..len), named path as for
 * bw_iac_check_text): every fixable finding's setting written by editing
 * the original text at the key's position, so comments, key order and
 * quoting stay; findings a baseline exception covers are left alone.
 * *out is a heap string of *out_len bytes (free it; equal to the input when
 * nothing was fixable), *fixed the number of edits. Fixing the result again
 * changes nothing. Errors as for bw_iac_check_text. */
int bw_iac_fix_text(const char *path, const char *text, size_t len, const struct bw_iac_config *cfg,
		    char **out, size_t *out_len, size_t *fixed, struct bw_error *err);
/* Fix a file, or every compose or Kubernetes file under a directory (those
 * that do not parse are left for the check to report): with diff NULL the
 * files are rewritten in place (a temporary file renamed over each, its
 * mode kept), else their unified diffs are appended to diff and nothing is
 * written. *files and *edits grow by the files changed and edits made. */
int bw_iac_fix_path(const char *path, const struct bw_iac_config *cfg, struct bw_buf *diff, size_t *files,
		    size_t *edits, struct bw_error *err);
/* Append a unified diff (3 lines of context, "--- a/NAME" / "+++ b/NAME")
 * of a against b to out; nothing when they are equal. BW_ELIMIT when the
 * files differ too much for a short edit script. */
int bw_iac_unified_diff(const char *name, const char *a, size_t alen, const char *b, size_t blen,
			struct bw_buf *out, struct bw_error *err);

/* ---- the network model (model.c): what net/ builds its graph from ------- */

struct bw_iac_label {
	const char *key, *value;
};

enum bw_iac_selop {
	BW_IAC_SEL_IN = 0,
	BW_IAC_SEL_NOTIN,
	BW_IAC_SEL_EXISTS,
	BW_IAC_SEL_DOESNOTEXIST,
	BW_IAC_SEL_INVALID, /* an operator Kubernetes does not know: matches nothing */
};

struct bw_iac_expr {
	const char *key;
	enum bw_iac_selop op;
	const char **values;
	size_t n_values;
};

/* A Kubernetes label selector: matchLabels and matchExpressions, all of
 * which must hold; an empty selector ({}) selects everything. */
struct bw_iac_selector {
	struct bw_iac_label *match;
	size_t n_match;
	struct bw_iac_expr *exprs;
	size_t n_exprs;
};

/* A port of a NetworkPolicy rule: port 0 and no name = every port. */
struct bw_iac_portspec {
	int port, end_port;
	const char *name; /* a named container port */
	const char *proto;
};

/* One entry of a rule's from/to: podSelector and/or namespaceSelector, or
 * an ipBlock. */
struct bw_iac_peer {
	bool has_pod, has_ns;
	struct bw_iac_selector pod, ns;
	const char *cidr; /* ipBlock, or NULL */
	const char **except;
	size_t n_except;
};

struct bw_iac_polrule {
	struct bw_iac_peer *peers; /* none: every peer */
	size_t n_peers;
	struct bw_iac_portspec *ports; /* none: every port */
	size_t n_ports;
};

struct bw_iac_netpol {
	const char *ns, *name, *file;
	int line;
	struct bw_iac_selector pod;
	bool ingress, egress; /* policyTypes */
	struct bw_iac_polrule *in, *out;
	size_t n_in, n_out;
};

/* A port the host publishes: compose ports, Kubernetes hostPort. */
struct bw_iac_published {
	const char *host_ip; /* "" for every interface */
	int published, target;
	const char *proto;
	const char *file;
	int line, column;
};

/* A compose service or a Kubernetes workload (its pod template). */
struct bw_iac_workload {
	const char *name, *kind, *ns; /* kind "service" for compose; ns: namespace or compose project */
	const char *image;	      /* the first container's */
	const char *file;
	int line, column;
	struct bw_iac_label *labels; /* pod labels */
	size_t n_labels;
	const char **networks; /* compose networks ("default" when none named) */
	size_t n_networks;
	const char *network_mode; /* compose: host, none, bridge, service:x, container:x, or NULL */
	const char **links;
	size_t n_links;
	struct bw_iac_published *published;
	size_t n_published;
	struct bw_iac_portspec *ports; /* what it listens on: containerPort, expose, targets */
	size_t n_ports;
	bool host_network;
};

struct bw_iac_network {
	const char *name, *ns, *file; /* ns: the compose project */
	int line;
	bool internal, external, icc_off;
	const char *driver;
};

struct bw_iac_k8s_service {
	const char *ns, *name, *type, *file;
	int line;
	struct bw_iac_label *selector;
	size_t n_selector;
	bool has_selector;
	struct bw_iac_portspec *ports; /* port: the Service's port; name: the target port's name */
	int *targets;		       /* the target port of each (0: by name) */
	size_t n_ports;
};

struct bw_iac_ingress {
	const char *ns, *name, *file;
	int line;
	const char **services; /* backends */
	size_t n_services;
	bool tls;
};

struct bw_iac_namespace {
	const char *name;
	struct bw_iac_label *labels;
	size_t n_labels;
};

/* Everything of the files loaded, in one arena (owned by the model). */
struct bw_iac_model {
	struct bw_arena arena;
	struct bw_iac_workload *workloads;
	size_t n_workloads, cap_workloads;
	struct bw_iac_network *networks;
	size_t n_networks, cap_networks;
	struct bw_iac_netpol *netpols;
	size_t n_netpols, cap_netpols;
	struct bw_iac_k8s_service *services;
	size_t n_services, cap_services;
	struct bw_iac_ingress *ingresses;
	size_t n_ingresses, cap_ingresses;
	struct bw_iac_namespace *namespaces;
	size_t n_namespaces, cap_namespaces;
	bool compose, kubernetes; /* what was found */
};

void bw_iac_model_init(struct bw_iac_model *m);
void bw_iac_model_release(struct bw_iac_model *m);
/* Add the compose projects and Kubernetes objects of a file or directory
 * (as bw_iac_check_path finds them) to m. Files of a directory that fail
 * are warnings of r (when not NULL) and counted in st->failed. */
int bw_iac_model_load(struct bw_iac_model *m, const char *path, const struct bw_iac_config *cfg,
		      struct bw_iac_walk *st, struct bw_report *r, struct bw_error *err);
/* The same for text held in memory (compose includes and .env resolved
 * against path's directory). */
int bw_iac_model_load_text(struct bw_iac_model *m, const char *path, const char *text, size_t len,
			   const struct bw_iac_config *cfg, struct bw_iac_walk *st, struct bw_report *r,
			   struct bw_error *err);
/* Does the selector select these labels? */
bool bw_iac_selector_matches(const struct bw_iac_selector *s, const struct bw_iac_label *labels, size_t n);

/* The rule table, for listings and documentation (bad/good are example
 * manifests or compose files). */
size_t bw_iac_rule_count(void);
void bw_iac_rule_info(size_t i, struct bw_rule_info *out);
/* Index of the rule with own or peer id (case-insensitive), or -1. */
int bw_iac_rule_find(const char *id);
/* Does `config --fix` fix rule i's findings? */
bool bw_iac_rule_fixable(size_t i);
/* "kubernetes", "compose" or "baseline": what the rule checks. */
const char *bw_iac_rule_target(size_t i);
/* `config --list-rules`: a JSON array (new reference) or a line a rule. */
json_t *bw_iac_rules_json(void);
void bw_iac_rules_write_table(FILE *out);

#endif
