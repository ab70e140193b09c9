/* The network model: the workloads, networks, NetworkPolicies, Services and
 * Ingresses of compose projects and Kubernetes manifests, copied out of the
 * YAML trees into one arena, for net/ to draw who can reach whom. */
#include <libgen.h>
#include <sys/stat.h>

#include "iac-int.h"

#define GROW_ARENA(a, arr, n, cap)                                                                           \
	do {                                                                                                 \
		if ((n) == (cap)) {                                                                          \
			size_t nc_ = (cap) ? (cap)*2 : 8;                                                    \
			void *na_ = bw_arena_alloc((a), nc_ * sizeof(*(arr)));                               \
			if (n)                                                                               \
				memcpy(na_, (arr), (n) * sizeof(*(arr)));                                    \
			(arr) = na_;                                                                         \
			(cap) = nc_;                                                                         \
		}                                                                                            \
	} while (0)

void bw_iac_model_init(struct bw_iac_model *m)
{
	memset(m, 0, sizeof(*m));
	bw_arena_init(&m->arena);
}

void bw_iac_model_release(struct bw_iac_model *m)
{
	bw_arena_release(&m->arena);
	memset(m, 0, sizeof(*m));
}

static const char *mdup(struct bw_iac_model *m, const char *s)
{
	return s ? bw_arena_strdup(&m->arena, s) : NULL;
}

/* ---- selectors ----------------------------------------------------------- */

static bool has_label(const struct bw_iac_label *l, size_t n, const char *key, const char **value)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(l[i].key, key)) {
			if (value)
				*value = l[i].value;
			return true;
		}
	return false;
}

bool bw_iac_selector_matches(const struct bw_iac_selector *s, const struct bw_iac_label *labels, size_t n)
{
	for (size_t i = 0; i < s->n_match; i++) {
		const char *v;
		if (!has_label(labels, n, s->match[i].key, &v) || strcmp(v, s->match[i].value))
			return false;
	}
	for (size_t i = 0; i < s->n_exprs; i++) {
		const struct bw_iac_expr *e = &s->exprs[i];
		if (!e->key || e->op == BW_IAC_SEL_INVALID)
			return false; /* an expression without a key or with an unknown operator */
		const char *v;
		bool has = has_label(labels, n, e->key, &v), in = false;
		for (size_t k = 0; has && k < e->n_values; k++)
			in |= !strcmp(v, e->values[k]);
		switch (e->op) {
		case BW_IAC_SEL_IN:
			if (!in)
				return false;
			break;
		case BW_IAC_SEL_NOTIN:
			if (in)
				return false;
			break;
		case BW_IAC_SEL_EXISTS:
			if (!has)
				return false;
			break;
		case BW_IAC_SEL_DOESNOTEXIST:
			if (has)
				return false;
			break;
		default:
			return false;
		}
	}
	return true;
}

static size_t labels_of(struct bw_iac_model *m, const struct bw_yaml_node *map, struct bw_iac_label **out)
{
	*out = NULL;
	if (!map || map->kind != BW_YAML_MAP || !map->n)
		return 0;
	struct bw_iac_label *l = bw_arena_alloc(&m->arena, map->n * sizeof(*l));
	size_t n = 0;
	for (size_t i = 0; i < map->n; i++) {
		const char *k = bw_yaml_str(map->pairs[i].key), *v = bw_yaml_str(map->pairs[i].value);
		if (k && v)
			l[n++] = (struct bw_iac_label){mdup(m, k), mdup(m, v)};
	}
	*out = l;
	return n;
}

static void selector_of(struct bw_iac_model *m, const struct bw_yaml_node *n, struct bw_iac_selector *s)
{
	memset(s, 0, sizeof(*s));
	s->n_match = labels_of(m, bw_yaml_get(n, "matchLabels"), &s->match);
	const struct bw_yaml_node *ex = bw_yaml_get(n, "matchExpressions");
	if (!ex || ex->kind != BW_YAML_SEQ || !ex->n)
		return;
	s->exprs = bw_arena_alloc(&m->arena, ex->n * sizeof(*s->exprs));
	for (size_t i = 0; i < ex->n; i++) {
		struct bw_iac_expr *e = &s->exprs[s->n_exprs++];
		e->key = mdup(m, bw_yaml_str(bw_yaml_get(ex->items[i], "key")));
		const char *op = bw_yaml_str(bw_yaml_get(ex->items[i], "operator"));
		e->op = !op			      ? BW_IAC_SEL_INVALID
			: !strcmp(op, "In")	      ? BW_IAC_SEL_IN
			: !strcmp(op, "NotIn")	      ? BW_IAC_SEL_NOTIN
			: !strcmp(op, "Exists")	      ? BW_IAC_SEL_EXISTS
			: !strcmp(op, "DoesNotExist") ? BW_IAC_SEL_DOESNOTEXIST
						      : BW_IAC_SEL_INVALID;
		if (!e->key)
			e->op = BW_IAC_SEL_INVALID;
		const struct bw_yaml_node *vals = bw_yaml_get(ex->items[i], "values");
		if (vals && vals->kind == BW_YAML_SEQ && vals->n) {
			e->values = bw_arena_alloc(&m->arena, vals->n * sizeof(*e->values));
			for (size_t k = 0; k < vals->n; k++)
				if (bw_yaml_str(vals->items[k]))
					e->values[e->n_values++] = mdup(m, vals->items[k]->str);
		}
	}
}

static void port_of(struct bw_iac_model *m, const struct bw_yaml_node *n, struct bw_iac_portspec *p)
{
	memset(p, 0, sizeof(*p));
	const struct bw_yaml_node *port = bw_yaml_get(n, "port");
	long long v;
	if (bw_yaml_int(port, &v) && v > 0 && v <= 65535)
		p->port = p->end_port = (int)v;
	else if (bw_yaml_str(port) && port->len)
		p->name = mdup(m, port->str);
	if (p->port && bw_yaml_int(bw_yaml_get(n, "endPort"), &v) && v >= p->port && v <= 65535)
		p->end_port = (int)v;
	const char *proto = bw_yaml_str(bw_yaml_get(n, "protocol"));
	p->proto = mdup(m, proto ? proto : "TCP");
}

static size_t rules_of(struct bw_iac_model *m, const struct bw_yaml_node *seq, const char *peers_key,
		       struct bw_iac_polrule **out)
{
	*out = NULL;
	if (!seq || seq->kind != BW_YAML_SEQ || !seq->n)
		return 0;
	struct bw_iac_polrule *r = bw_arena_alloc(&m->arena, seq->n * sizeof(*r));
	*out = r;
	for (size_t i = 0; i < seq->n; i++) {
		const struct bw_yaml_node *it = seq->items[i];
		const struct bw_yaml_node *peers = bw_yaml_get(it, peers_key),
					  *ports = bw_yaml_get(it, "ports");
		if (peers && peers->kind == BW_YAML_SEQ && peers->n) {
			r[i].peers = bw_arena_alloc(&m->arena, peers->n * sizeof(*r[i].peers));
			for (size_t k = 0; k < peers->n; k++) {
				struct bw_iac_peer *p = &r[i].peers[r[i].n_peers++];
				const struct bw_yaml_node *ps = bw_yaml_get(peers->items[k], "podSelector");
				const struct bw_yaml_node *ns =
				    bw_yaml_get(peers->items[k], "namespaceSelector");
				const struct bw_yaml_node *ip = bw_yaml_get(peers->items[k], "ipBlock");
				if (ps) {
					p->has_pod = true;
					selector_of(m, ps, &p->pod);
				}
				if (ns) {
					p->has_ns = true;
					selector_of(m, ns, &p->ns);
				}
				if (ip) {
					p->cidr = mdup(m, bw_yaml_str(bw_yaml_get(ip, "cidr")));
					if (!p->cidr)
						p->cidr = "";
					const struct bw_yaml_node *ex = bw_yaml_get(ip, "except");
					if (ex && ex->kind == BW_YAML_SEQ && ex->n) {
						p->except =
						    bw_arena_alloc(&m->arena, ex->n * sizeof(*p->except));
						for (size_t e = 0; e < ex->n; e++)
							if (bw_yaml_str(ex->items[e]))
								p->except[p->n_except++] =
								    mdup(m, ex->items[e]->str);
					}
				}
				if (!ps && !ns && !ip) /* an empty peer selects nothing valid: keep as none */
					p->cidr = NULL;
			}
		} else if (peers) {
			/* "from: []": no peer at all (distinct from a missing from: every peer) */
			r[i].peers = bw_arena_alloc(&m->arena, sizeof(*r[i].peers));
			r[i].n_peers = 0;
			r[i].ports = NULL;
			r[i].n_ports = (size_t)-1; /* marks "matches nothing" */
			continue;
		}
		if (ports && ports->kind == BW_YAML_SEQ && ports->n) {
			r[i].ports = bw_arena_alloc(&m->arena, ports->n * sizeof(*r[i].ports));
			for (size_t k = 0; k < ports->n; k++)
				port_of(m, ports->items[k], &r[i].ports[r[i].n_ports++]);
		}
	}
	return seq->n;
}

/* ---- Kubernetes ---------------------------------------------------------- */

static void add_workload_ports(struct bw_iac_model *m, struct bw_iac_workload *w, const struct k8s_object *o)
{
	size_t cap = 0, pcap = 0;
	for (size_t c = 0; c < o->n_ctr; c++) {
		const struct bw_yaml_node *ports = bw_yaml_get(o->ctr[c].node, "ports");
		for (size_t i = 0; ports && ports->kind == BW_YAML_SEQ && i < ports->n; i++) {
			const struct bw_yaml_node *pn = ports->items[i];
			long long v, hp;
			if (!bw_yaml_int(bw_yaml_get(pn, "containerPort"), &v) || v <= 0 || v > 65535)
				continue;
			const char *proto = bw_yaml_str(bw_yaml_get(pn, "protocol"));
			GROW_ARENA(&m->arena, w->ports, w->n_ports, cap);
			w->ports[w->n_ports++] = (struct bw_iac_portspec){
			    (int)v, (int)v, mdup(m, bw_yaml_str(bw_yaml_get(pn, "name"))),
			    mdup(m, proto ? proto : "TCP")};
			const struct bw_yaml_pair *hpp = bw_yaml_pair_of(pn, "hostPort");
			if (hpp && bw_yaml_int(hpp->value, &hp) && hp > 0 && hp <= 65535) {
				const char *hip = bw_yaml_str(bw_yaml_get(pn, "hostIP"));
				GROW_ARENA(&m->arena, w->published, w->n_published, pcap);
				w->published[w->n_published++] =
				    (struct bw_iac_published){mdup(m, hip ? hip : ""),
							      (int)hp,
							      (int)v,
							      mdup(m, proto ? proto : "TCP"),
							      hpp->key->file->path,
							      hpp->key->line,
							      hpp->key->column};
			}
		}
	}
}

static void on_object(void *ud, struct k8s_object *o)
{
	struct bw_iac_model *m = ud;
	m->kubernetes = true;
	const char *ns = o->ns ? o->ns : "default";
	const char *file = mdup(m, o->node->file->path);
	if (o->pod) {
		GROW_ARENA(&m->arena, m->workloads, m->n_workloads, m->cap_workloads);
		struct bw_iac_workload *w = &m->workloads[m->n_workloads++];
		memset(w, 0, sizeof(*w));
		w->name = mdup(m, o->name);
		w->kind = mdup(m, o->kind);
		w->ns = mdup(m, ns);
		w->file = file;
		w->line = o->node->line;
		w->column = o->node->column;
		w->n_labels = labels_of(m, bw_yaml_get(o->pod_meta, "labels"), &w->labels);
		for (size_t c = 0; c < o->n_ctr && !w->image; c++)
			if (!strcmp(o->ctr[c].list, "containers"))
				w->image = mdup(m, bw_yaml_str(bw_yaml_get(o->ctr[c].node, "image")));
		w->host_network = bw_yaml_bool(bw_yaml_get(o->pod, "hostNetwork")) == 1;
		add_workload_ports(m, w, o);
		return;
	}
	const char *kind = o->kind;
	if (!strcmp(kind, "NetworkPolicy")) {
		GROW_ARENA(&m->arena, m->netpols, m->n_netpols, m->cap_netpols);
		struct bw_iac_netpol *p = &m->netpols[m->n_netpols++];
		memset(p, 0, sizeof(*p));
		p->ns = mdup(m, ns);
		p->name = mdup(m, o->name);
		p->file = file;
		p->line = o->node->line;
		const struct bw_yaml_node *spec = bw_yaml_get(o->node, "spec");
		selector_of(m, bw_yaml_get(spec, "podSelector"), &p->pod);
		const struct bw_yaml_node *types = bw_yaml_get(spec, "policyTypes");
		if (types && types->kind == BW_YAML_SEQ) {
			for (size_t i = 0; i < types->n; i++) {
				p->ingress |= bw_yaml_is(types->items[i], "Ingress");
				p->egress |= bw_yaml_is(types->items[i], "Egress");
			}
		} else {
			/* Kubernetes' default: Ingress, and Egress when egress rules exist */
			p->ingress = true;
			p->egress = bw_yaml_get(spec, "egress") != NULL;
		}
		p->n_in = rules_of(m, bw_yaml_get(spec, "ingress"), "from", &p->in);
		p->n_out = rules_of(m, bw_yaml_get(spec, "egress"), "to", &p->out);
	} else if (!strcmp(kind, "Service")) {
		GROW_ARENA(&m->arena, m->services, m->n_services, m->cap_services);
		struct bw_iac_k8s_service *s = &m->services[m->n_services++];
		memset(s, 0, sizeof(*s));
		const struct bw_yaml_node *spec = bw_yaml_get(o->node, "spec");
		s->ns = mdup(m, ns);
		s->name = mdup(m, o->name);
		s->file = file;
		s->line = o->node->line;
		const char *type = bw_yaml_str(bw_yaml_get(spec, "type"));
		s->type = mdup(m, type ? type : "ClusterIP");
		const struct bw_yaml_node *sel = bw_yaml_get(spec, "selector");
		s->has_selector = sel && sel->kind == BW_YAML_MAP && sel->n;
		s->n_selector = labels_of(m, sel, &s->selector);
		const struct bw_yaml_node *ports = bw_yaml_get(spec, "ports");
		if (ports && ports->kind == BW_YAML_SEQ && ports->n) {
			s->ports = bw_arena_alloc(&m->arena, ports->n * sizeof(*s->ports));
			s->targets = bw_arena_alloc(&m->arena, ports->n * sizeof(*s->targets));
			for (size_t i = 0; i < ports->n; i++) {
				long long v, t;
				if (!bw_yaml_int(bw_yaml_get(ports->items[i], "port"), &v))
					continue;
				const struct bw_yaml_node *tp = bw_yaml_get(ports->items[i], "targetPort");
				const char *proto = bw_yaml_str(bw_yaml_get(ports->items[i], "protocol"));
				size_t k = s->n_ports++;
				s->ports[k] = (struct bw_iac_portspec){(int)v, (int)v, NULL,
								       mdup(m, proto ? proto : "TCP")};
				s->targets[k] = (int)v;
				if (tp && bw_yaml_int(tp, &t))
					s->targets[k] = (int)t;
				else if (bw_yaml_str(tp) && tp->len) {
					s->targets[k] = 0;
					s->ports[k].name = mdup(m, tp->str);
				}
			}
		}
	} else if (!strcmp(kind, "Ingress")) {
		GROW_ARENA(&m->arena, m->ingresses, m->n_ingresses, m->cap_ingresses);
		struct bw_iac_ingress *g = &m->ingresses[m->n_ingresses++];
		memset(g, 0, sizeof(*g));
		const struct bw_yaml_node *spec = bw_yaml_get(o->node, "spec");
		g->ns = mdup(m, ns);
		g->name = mdup(m, o->name);
		g->file = file;
		g->line = o->node->line;
		const struct bw_yaml_node *tls = bw_yaml_get(spec, "tls");
		g->tls = tls && tls->kind == BW_YAML_SEQ && tls->n;
		size_t cap = 0;
		const char *def = bw_yaml_str(bw_yaml_path(spec, "defaultBackend.service.name"));
		if (def) {
			GROW_ARENA(&m->arena, g->services, g->n_services, cap);
			g->services[g->n_services++] = mdup(m, def);
		}
		const struct bw_yaml_node *rules = bw_yaml_get(spec, "rules");
		for (size_t i = 0; rules && rules->kind == BW_YAML_SEQ && i < rules->n; i++) {
			const struct bw_yaml_node *paths = bw_yaml_path(rules->items[i], "http.paths");
			for (size_t k = 0; paths && paths->kind == BW_YAML_SEQ && k < paths->n; k++) {
				const char *svc =
				    bw_yaml_str(bw_yaml_path(paths->items[k], "backend.service.name"));
				if (!svc)
					svc =
					    bw_yaml_str(bw_yaml_path(paths->items[k], "backend.serviceName"));
				if (svc) {
					GROW_ARENA(&m->arena, g->services, g->n_services, cap);
					g->services[g->n_services++] = mdup(m, svc);
				}
			}
		}
	} else if (!strcmp(kind, "Namespace")) {
		GROW_ARENA(&m->arena, m->namespaces, m->n_namespaces, m->cap_namespaces);
		struct bw_iac_namespace *n = &m->namespaces[m->n_namespaces++];
		n->name = mdup(m, o->name);
		n->n_labels = labels_of(m, bw_yaml_get(o->meta, "labels"), &n->labels);
	}
}

/* ---- compose ------------------------------------------------------------- */

/* The project's name as the engine's containers carry it
 * (com.docker.compose.project): the file's top-level name (the Compose
 * Specification's, lowercased as compose does), else its directory's. */
static const char *project_name(struct bw_iac_model *m, const char *path, const struct bw_yaml_node *root)
{
	const char *named = bw_yaml_str(bw_yaml_get(root, "name"));
	if (named && *named) {
		char *l = bw_strdup(named);
		for (char *q = l; *q; q++)
			*q = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
		const char *out = mdup(m, l);
		free(l);
		return out;
	}
	char *c = bw_strdup(path);
	char real[PATH_MAX];
	const char *d = dirname(c);
	const char *r = realpath(d, real) ? real : d;
	const char *base = strrchr(r, '/');
	const char *out = mdup(m, base && base[1] ? base + 1 : r);
	free(c);
	return out;
}

static void add_compose(struct bw_iac_model *m, const struct compose_project *p, const char *path)
{
	m->compose = true;
	const struct bw_yaml_node *root = compose_project_root(p);
	const char *proj = project_name(m, path, root);
	const struct bw_yaml_node *nets = bw_yaml_get(root, "networks");
	bool has_default = false;
	for (size_t i = 0; nets && nets->kind == BW_YAML_MAP && i < nets->n; i++) {
		const struct bw_yaml_pair *np = &nets->pairs[i];
		if (!bw_yaml_str(np->key))
			continue;
		GROW_ARENA(&m->arena, m->networks, m->n_networks, m->cap_networks);
		struct bw_iac_network *n = &m->networks[m->n_networks++];
		memset(n, 0, sizeof(*n));
		n->name = mdup(m, np->key->str);
		n->ns = proj;
		n->file = mdup(m, np->key->file->path);
		n->line = np->key->line;
		n->internal = bw_yaml_bool(bw_yaml_get(np->value, "internal")) == 1;
		n->external = bw_yaml_get(np->value, "external") &&
			      bw_yaml_bool(bw_yaml_get(np->value, "external")) != 0;
		const char *drv = bw_yaml_str(bw_yaml_get(np->value, "driver"));
		n->driver = mdup(m, drv ? drv : "bridge");
		const struct bw_yaml_node *opts = bw_yaml_get(np->value, "driver_opts");
		const struct bw_yaml_node *iccn = bw_yaml_get(opts, "com.docker.network.bridge.enable_icc");
		n->icc_off = iccn && (bw_yaml_bool(iccn) == 0 || bw_yaml_is(iccn, "false"));
		has_default |= !strcmp(n->name, "default");
	}
	const struct compose_service *svcs;
	size_t ns = compose_project_services(p, &svcs);
	bool uses_default = false;
	for (size_t s = 0; s < ns; s++) {
		const struct bw_yaml_node *sv = svcs[s].node;
		if (sv->kind != BW_YAML_MAP)
			continue;
		GROW_ARENA(&m->arena, m->workloads, m->n_workloads, m->cap_workloads);
		struct bw_iac_workload *w = &m->workloads[m->n_workloads++];
		memset(w, 0, sizeof(*w));
		w->name = mdup(m, svcs[s].name);
		w->kind = "service";
		w->ns = proj;
		w->file = mdup(m, svcs[s].key->file->path);
		w->line = svcs[s].key->line;
		w->column = svcs[s].key->column;
		w->image = mdup(m, bw_yaml_str(bw_yaml_get(sv, "image")));
		w->n_labels = labels_of(m, bw_yaml_get(sv, "labels"), &w->labels);
		w->network_mode = mdup(m, bw_yaml_str(bw_yaml_get(sv, "network_mode")));
		w->host_network = w->network_mode && !strcmp(w->network_mode, "host");
		const struct bw_yaml_node *sn = bw_yaml_get(sv, "networks");
		if (!w->network_mode) {
			size_t cnt = sn && (sn->kind == BW_YAML_SEQ || sn->kind == BW_YAML_MAP) ? sn->n : 0;
			w->networks = bw_arena_alloc(&m->arena, (cnt ? cnt : 1) * sizeof(*w->networks));
			for (size_t i = 0; i < cnt; i++) {
				const char *name = sn->kind == BW_YAML_SEQ ? bw_yaml_str(sn->items[i])
									   : bw_yaml_str(sn->pairs[i].key);
				if (name)
					w->networks[w->n_networks++] = mdup(m, name);
			}
			if (!w->n_networks) {
				w->networks[w->n_networks++] = "default";
				uses_default = true;
			}
		}
		const struct bw_yaml_node *links = bw_yaml_get(sv, "links");
		if (links && links->kind == BW_YAML_SEQ && links->n) {
			w->links = bw_arena_alloc(&m->arena, links->n * sizeof(*w->links));
			for (size_t i = 0; i < links->n; i++)
				if (bw_yaml_str(links->items[i])) {
					size_t n = strcspn(links->items[i]->str, ":");
					w->links[w->n_links++] =
					    bw_arena_strndup(&m->arena, links->items[i]->str, n);
				}
		}
		size_t pcap = 0, lcap = 0;
		const struct bw_yaml_node *ports = bw_yaml_get(sv, "ports");
		for (size_t i = 0; ports && ports->kind == BW_YAML_SEQ && i < ports->n; i++) {
			struct iac_port pt;
			if (iac_compose_port(ports->items[i], &pt))
				continue;
			for (int t = pt.target; t <= pt.target_end && t - pt.target < 1024; t++) {
				GROW_ARENA(&m->arena, w->published, w->n_published, pcap);
				int pub = pt.published ? pt.published + (t - pt.target) : 0;
				w->published[w->n_published++] =
				    (struct bw_iac_published){mdup(m, pt.host_ip),
							      pub,
							      t,
							      mdup(m, pt.proto),
							      mdup(m, ports->items[i]->file->path),
							      ports->items[i]->line,
							      ports->items[i]->column};
				GROW_ARENA(&m->arena, w->ports, w->n_ports, lcap);
				w->ports[w->n_ports++] =
				    (struct bw_iac_portspec){t, t, NULL, mdup(m, pt.proto)};
			}
		}
		const struct bw_yaml_node *expose = bw_yaml_get(sv, "expose");
		for (size_t i = 0; expose && expose->kind == BW_YAML_SEQ && i < expose->n; i++) {
			long long v;
			const char *es = bw_yaml_str(expose->items[i]);
			if (!bw_yaml_int(expose->items[i], &v)) {
				char *end;
				v = es ? strtol(es, &end, 10) : 0;
			}
			if (v > 0 && v <= 65535) {
				GROW_ARENA(&m->arena, w->ports, w->n_ports, lcap);
				w->ports[w->n_ports++] =
				    (struct bw_iac_portspec){(int)v, (int)v, NULL, "tcp"};
			}
		}
	}
	if (uses_default && !has_default) {
		GROW_ARENA(&m->arena, m->networks, m->n_networks, m->cap_networks);
		struct bw_iac_network *n = &m->networks[m->n_networks++];
		memset(n, 0, sizeof(*n));
		n->name = "default";
		n->ns = proj;
		n->file = mdup(m, path);
		n->line = 1;
		n->driver = "bridge";
	}
}

/* ---- files --------------------------------------------------------------- */

struct model_walk {
	struct bw_iac_model *m;
	const struct bw_iac_config *cfg;
	struct bw_iac_walk *st;
	struct bw_report *r;
};

static int load_text(struct model_walk *w, const char *path, const char *text, size_t len,
		     struct bw_error *err)
{
	struct bw_yaml_file *f = NULL;
	int rc = bw_yaml_parse(path, text, len, NULL, &f, err);
	if (rc)
		return rc;
	if (f->n_docs == 1 && compose_is_project(f->docs[0].root)) {
		struct compose_project *p = NULL;
		rc = compose_project_load(f, w->cfg, w->r, &p, err);
		if (!rc) {
			add_compose(w->m, p, path);
			w->st->kinds |= BW_IAC_COMPOSE;
			w->st->checked++;
		}
		compose_project_free(p);
		return rc;
	}
	bool any = false;
	for (size_t d = 0; d < f->n_docs; d++)
		if (k8s_is_object(f->docs[d].root)) {
			any = true;
			k8s_each_object(f->docs[d].root, on_object, w->m);
		}
	if (any) {
		w->st->kinds |= BW_IAC_KUBERNETES;
		w->st->checked++;
	} else {
		w->st->skipped++;
	}
	bw_yaml_file_free(f);
	return 0;
}

static int load_one(struct model_walk *w, const char *path, bool walked, struct bw_error *err)
{
	struct bw_buf b;
	bw_buf_init(&b, 64u << 20);
	int rc = bw_buf_read_file(&b, path, err);
	if (!rc)
		rc = load_text(w, path, b.data ? b.data : "", b.len, err);
	if (rc && walked) {
		if (w->r)
			bw_report_warn(w->r, "%s", err->msg);
		if (!(b.data && strstr(b.data, "{{")))
			w->st->failed++;
		bw_error_clear(err);
		rc = 0;
	}
	bw_buf_release(&b);
	return rc;
}

static int walked(void *ud, const char *path, struct bw_error *err)
{
	return load_one(ud, path, true, err);
}

int bw_iac_model_load(struct bw_iac_model *m, const char *path, const struct bw_iac_config *cfg,
		      struct bw_iac_walk *st, struct bw_report *r, struct bw_error *err)
{
	struct model_walk w = {m, cfg, st, r};
	struct stat sb;
	if (stat(path, &sb))
		return bw_error_sys(err, BW_EIO, "%s", path);
	if (S_ISDIR(sb.st_mode))
		return iac_walk(path, 0, walked, &w, &st->seen, err);
	st->seen++;
	return load_one(&w, path, false, err);
}

int bw_iac_model_load_text(struct bw_iac_model *m, const char *path, const char *text, size_t len,
			   const struct bw_iac_config *cfg, struct bw_iac_walk *st, struct bw_report *r,
			   struct bw_error *err)
{
	struct model_walk w = {m, cfg, st, r};
	return load_text(&w, path, text, len, err);
}
