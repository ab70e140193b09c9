/* Kubernetes reachability: NetworkPolicies evaluated as the API defines
 * them. A pod is isolated for ingress (egress) when some policy of its
 * namespace selects it with that policy type; an isolated pod accepts
 * (opens) only what one of those policies' rules allows; a rule without
 * peers allows every peer, one without ports every port; peers are a
 * podSelector (this namespace), a namespaceSelector (the namespaces whose
 * labels match, kubernetes.io/metadata.name included), both (pods matching
 * in namespaces matching), or an ipBlock (the outside world here). "from:
 * []" allows nobody.
 *
 * The outside world reaches a pod published by a LoadBalancer or NodePort
 * Service, an Ingress backend, a hostPort or host networking — when its
 * ingress policy lets an ipBlock (or everyone) in.
 *
 * Every selector is evaluated once into a bitset over the pods, so the
 * graph of 1,000 workloads and 5,000 policies costs a few million bit tests
 * rather than a policy walk per pair.
 */
#include "net-int.h"

static struct net_bits bits_new(size_t n)
{
	struct net_bits b = {bw_calloc((n + 63) / 64 ? (n + 63) / 64 : 1, sizeof(uint64_t)), n};
	return b;
}
static inline void bit_set(struct net_bits *b, size_t i)
{
	b->w[i / 64] |= 1ull << (i % 64);
}
static inline bool bit_get(const struct net_bits *b, size_t i)
{
	return (b->w[i / 64] >> (i % 64)) & 1;
}

struct pod {
	size_t w;    /* model workload index */
	size_t node; /* graph node */
	size_t ns;   /* namespace index */
};

struct ns_info {
	const char *name;
	const struct bw_iac_label *labels; /* from a Namespace object, or NULL */
	size_t n_labels;
};

/* A rule compiled: who it lets in (out) and on which ports. */
struct crule {
	struct net_bits peers;
	bool external; /* an ipBlock or no peers: the outside world too */
	bool nothing;  /* from: [] */
	const struct bw_iac_polrule *rule;
};

struct cpol {
	const struct bw_iac_netpol *p;
	struct net_bits selected;
	struct crule *in, *out;
};

static bool ns_matches(const struct bw_iac_selector *s, const struct ns_info *ns)
{
	struct bw_iac_label l[65];
	size_t n = 0;
	for (size_t i = 0; i < ns->n_labels && n < 64; i++)
		l[n++] = ns->labels[i];
	l[n++] = (struct bw_iac_label){"kubernetes.io/metadata.name", ns->name};
	return bw_iac_selector_matches(s, l, n);
}

static void compile_rule(struct crule *c, const struct bw_iac_polrule *r, const struct bw_iac_netpol *p,
			 const struct bw_iac_model *m, const struct pod *pods, size_t np,
			 const struct ns_info *nss, size_t pol_ns)
{
	c->rule = r;
	c->peers = bits_new(np);
	if (r->n_ports == (size_t)-1) {
		c->nothing = true;
		return;
	}
	if (!r->n_peers) {
		for (size_t i = 0; i < np; i++)
			bit_set(&c->peers, i);
		c->external = true;
		return;
	}
	for (size_t k = 0; k < r->n_peers; k++) {
		const struct bw_iac_peer *pe = &r->peers[k];
		if (pe->cidr) {
			c->external = true;
			continue;
		}
		if (!pe->has_pod && !pe->has_ns)
			continue;
		for (size_t i = 0; i < np; i++) {
			const struct bw_iac_workload *w = &m->workloads[pods[i].w];
			bool ns_ok =
			    pe->has_ns ? ns_matches(&pe->ns, &nss[pods[i].ns]) : pods[i].ns == pol_ns;
			if (ns_ok &&
			    (!pe->has_pod || bw_iac_selector_matches(&pe->pod, w->labels, w->n_labels)))
				bit_set(&c->peers, i);
		}
	}
	(void)p;
}

/* The ports of a rule as text, named ports resolved against the pod. */
static void rule_ports(const struct bw_iac_polrule *r, const struct bw_iac_workload *dst, char *buf,
		       size_t len)
{
	if (!r->n_ports || r->n_ports == (size_t)-1) {
		snprintf(buf, len, "any");
		return;
	}
	size_t o = 0;
	buf[0] = 0;
	for (size_t i = 0; i < r->n_ports && o + 32 < len; i++) {
		const struct bw_iac_portspec *ps = &r->ports[i];
		int port = ps->port, end = ps->end_port;
		if (ps->name) {
			port = end = 0;
			for (size_t k = 0; dst && k < dst->n_ports; k++)
				if (dst->ports[k].name && !strcmp(dst->ports[k].name, ps->name))
					port = end = dst->ports[k].port;
		}
		char proto[8];
		snprintf(proto, sizeof(proto), "%s", ps->proto ? ps->proto : "TCP");
		for (char *c = proto; *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		if (port && end > port)
			o += (size_t)snprintf(buf + o, len - o, "%s%d-%d/%s", o ? "," : "", port, end, proto);
		else if (port)
			o += (size_t)snprintf(buf + o, len - o, "%s%d/%s", o ? "," : "", port, proto);
		else if (ps->name)
			o += (size_t)snprintf(buf + o, len - o, "%s%s/%s", o ? "," : "", ps->name, proto);
		else
			o += (size_t)snprintf(buf + o, len - o, "%sall/%s", o ? "," : "", proto);
	}
}

static size_t ns_index(struct ns_info **nss, size_t *n, size_t *cap, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*nss)[i].name, name))
			return i;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*nss = bw_realloc(*nss, *cap * sizeof(**nss));
	}
	(*nss)[*n] = (struct ns_info){name, NULL, 0};
	return (*n)++;
}

/* Is pod i exposed to the outside world, and through what? */
static const char *exposure(const struct bw_iac_model *m, const struct bw_iac_workload *w, char *ports,
			    size_t len)
{
	snprintf(ports, len, "any");
	if (w->host_network)
		return "hostNetwork";
	if (w->n_published) {
		snprintf(ports, len, "%d/%s", w->published[0].target, "tcp");
		return "hostPort";
	}
	for (size_t s = 0; s < m->n_services; s++) {
		const struct bw_iac_k8s_service *sv = &m->services[s];
		if (strcmp(sv->ns, w->ns) || !sv->has_selector)
			continue;
		struct bw_iac_selector sel = {(struct bw_iac_label *)sv->selector, sv->n_selector, NULL, 0};
		if (!bw_iac_selector_matches(&sel, w->labels, w->n_labels))
			continue;
		bool external = !strcmp(sv->type, "LoadBalancer") || !strcmp(sv->type, "NodePort");
		for (size_t g = 0; !external && g < m->n_ingresses; g++)
			for (size_t k = 0; k < m->ingresses[g].n_services && !external; k++)
				external = !strcmp(m->ingresses[g].ns, sv->ns) &&
					   !strcmp(m->ingresses[g].services[k], sv->name);
		if (!external)
			continue;
		if (sv->n_ports) {
			int t = sv->targets[0];
			for (size_t k = 0; !t && sv->ports[0].name && k < w->n_ports; k++)
				if (w->ports[k].name && !strcmp(w->ports[k].name, sv->ports[0].name))
					t = w->ports[k].port;
			if (t)
				snprintf(ports, len, "%d/tcp", t);
		}
		return !strcmp(sv->type, "ClusterIP") ? "Ingress" : sv->type;
	}
	return NULL;
}

void net_k8s_edges(struct net_builder *b, const struct bw_iac_model *m, const size_t *node_of)
{
	size_t np = 0;
	for (size_t i = 0; i < m->n_workloads; i++)
		np += strcmp(m->workloads[i].kind, "service") != 0;
	if (!np)
		return;
	struct pod *pods = bw_calloc(np, sizeof(*pods));
	struct ns_info *nss = NULL;
	size_t nns = 0, cap_ns = 0;
	np = 0;
	for (size_t i = 0; i < m->n_workloads; i++) {
		if (!strcmp(m->workloads[i].kind, "service"))
			continue;
		pods[np++] = (struct pod){i, node_of[i], ns_index(&nss, &nns, &cap_ns, m->workloads[i].ns)};
	}
	for (size_t i = 0; i < m->n_namespaces; i++) {
		size_t k = ns_index(&nss, &nns, &cap_ns, m->namespaces[i].name);
		nss[k].labels = m->namespaces[i].labels;
		nss[k].n_labels = m->namespaces[i].n_labels;
	}
	for (size_t p = 0; p < m->n_netpols; p++)
		ns_index(&nss, &nns, &cap_ns, m->netpols[p].ns);
	/* pods of each namespace, so a policy looks only at its own */
	size_t *ns_first = bw_calloc(nns + 1, sizeof(*ns_first));
	size_t *by_ns = bw_calloc(np, sizeof(*by_ns));
	for (size_t i = 0; i < np; i++)
		ns_first[pods[i].ns + 1]++;
	for (size_t k = 0; k < nns; k++)
		ns_first[k + 1] += ns_first[k];
	size_t *fill = bw_calloc(nns, sizeof(*fill));
	for (size_t i = 0; i < np; i++)
		by_ns[ns_first[pods[i].ns] + fill[pods[i].ns]++] = i;
	free(fill);

	struct cpol *pol = bw_calloc(m->n_netpols ? m->n_netpols : 1, sizeof(*pol));
	/* per pod: the policies selecting it (ingress / egress) */
	size_t **in_of = bw_calloc(np, sizeof(*in_of)), **out_of = bw_calloc(np, sizeof(*out_of));
	size_t *n_in_of = bw_calloc(np, sizeof(size_t)), *n_out_of = bw_calloc(np, sizeof(size_t));
	size_t *c_in_of = bw_calloc(np, sizeof(size_t)), *c_out_of = bw_calloc(np, sizeof(size_t));
	for (size_t p = 0; p < m->n_netpols; p++) {
		const struct bw_iac_netpol *np_ = &m->netpols[p];
		pol[p].p = np_;
		pol[p].selected = bits_new(np);
		size_t pns = ns_index(&nss, &nns, &cap_ns, np_->ns); /* registered above: no growth */
		bool any = false;
		for (size_t k = ns_first[pns]; k < ns_first[pns + 1]; k++) {
			size_t i = by_ns[k];
			const struct bw_iac_workload *w = &m->workloads[pods[i].w];
			if (!bw_iac_selector_matches(&np_->pod, w->labels, w->n_labels))
				continue;
			bit_set(&pol[p].selected, i);
			any = true;
			if (np_->ingress) {
				NET_GROW_HEAP(in_of[i], n_in_of[i], c_in_of[i]);
				in_of[i][n_in_of[i]++] = p;
			}
			if (np_->egress) {
				NET_GROW_HEAP(out_of[i], n_out_of[i], c_out_of[i]);
				out_of[i][n_out_of[i]++] = p;
			}
		}
		if (!any)
			continue;
		if (np_->ingress && np_->n_in) {
			pol[p].in = bw_calloc(np_->n_in, sizeof(*pol[p].in));
			for (size_t r = 0; r < np_->n_in; r++)
				compile_rule(&pol[p].in[r], &np_->in[r], np_, m, pods, np, nss, pns);
		}
		if (np_->egress && np_->n_out) {
			pol[p].out = bw_calloc(np_->n_out, sizeof(*pol[p].out));
			for (size_t r = 0; r < np_->n_out; r++)
				compile_rule(&pol[p].out[r], &np_->out[r], np_, m, pods, np, nss, pns);
		}
	}

	/* ingress: for each destination, who may come in */
	struct net_bits allowed = bits_new(np);
	struct rule_text {
		const struct crule *rule;
		char ports[256], via[300];
	} *rt = NULL;
	size_t cap_rt = 0;
	char buf[512];
	for (size_t j = 0; j < np; j++) {
		const struct bw_iac_workload *dst = &m->workloads[pods[j].w];
		memset(allowed.w, 0, ((np + 63) / 64) * sizeof(uint64_t));
		bool iso = n_in_of[j] > 0, ext_in = !iso;
		if (!iso) {
			for (size_t i = 0; i < np; i++)
				bit_set(&allowed, i);
		} else {
			for (size_t k = 0; k < n_in_of[j]; k++) {
				const struct cpol *cp = &pol[in_of[j][k]];
				for (size_t r = 0; cp->in && r < cp->p->n_in; r++) {
					if (cp->in[r].nothing)
						continue;
					ext_in |= cp->in[r].external;
					for (size_t w = 0; w < (np + 63) / 64; w++)
						allowed.w[w] |= cp->in[r].peers.w[w];
				}
			}
		}
		/* the port text and policy name of each rule that lets someone in, once per
		 * destination rather than once per pair */
		size_t nr = 0;
		for (size_t k = 0; iso && k < n_in_of[j]; k++) {
			const struct cpol *cp = &pol[in_of[j][k]];
			for (size_t r = 0; cp->in && r < cp->p->n_in; r++) {
				if (cp->in[r].nothing)
					continue;
				NET_GROW_HEAP(rt, nr, cap_rt);
				rt[nr].rule = &cp->in[r];
				rule_ports(cp->in[r].rule, dst, rt[nr].ports, sizeof(rt[nr].ports));
				snprintf(rt[nr].via, sizeof(rt[nr].via), "NetworkPolicy %s", cp->p->name);
				nr++;
			}
		}
		for (size_t i = 0; i < np; i++) {
			if (i == j || !bit_get(&allowed, i))
				continue;
			/* egress of the source */
			bool out_ok = n_out_of[i] == 0;
			for (size_t k = 0; !out_ok && k < n_out_of[i]; k++) {
				const struct cpol *cp = &pol[out_of[i][k]];
				for (size_t r = 0; cp->out && r < cp->p->n_out && !out_ok; r++)
					out_ok = !cp->out[r].nothing && bit_get(&cp->out[r].peers, j);
			}
			if (!out_ok)
				continue;
			if (!iso) {
				net_add_edge(b, pods[i].node, pods[j].node, "any", "no NetworkPolicy");
				continue;
			}
			const char *ports = NULL, *via = "NetworkPolicy";
			size_t o = 0;
			for (size_t k = 0; k < nr; k++) {
				if (!bit_get(&rt[k].rule->peers, i))
					continue;
				via = rt[k].via;
				if (!strcmp(rt[k].ports, "any")) {
					ports = "any";
					break;
				}
				if (!ports) {
					ports = rt[k].ports; /* one rule: its text as it is */
					continue;
				}
				if (ports != buf) {
					o = (size_t)snprintf(buf, sizeof(buf), "%s", ports);
					ports = buf;
				}
				if (o + strlen(rt[k].ports) + 2 < sizeof(buf))
					o += (size_t)snprintf(buf + o, sizeof(buf) - o, ",%s", rt[k].ports);
			}
			net_add_edge(b, pods[i].node, pods[j].node, ports ? ports : "any", via);
		}
		/* the outside world */
		char eports[64];
		const char *how = exposure(m, dst, eports, sizeof(eports));
		if (how && ext_in) {
			net_add_edge(b, net_internet(b), pods[j].node, eports, how);
			if (dst->host_network)
				b->g->nodes[pods[j].node].host_network = true;
		}
	}
	free(allowed.w);
	free(rt);
	for (size_t p = 0; p < m->n_netpols; p++) {
		free(pol[p].selected.w);
		for (size_t r = 0; pol[p].in && r < pol[p].p->n_in; r++)
			free(pol[p].in[r].peers.w);
		for (size_t r = 0; pol[p].out && r < pol[p].p->n_out; r++)
			free(pol[p].out[r].peers.w);
		free(pol[p].in);
		free(pol[p].out);
	}
	for (size_t i = 0; i < np; i++) {
		free(in_of[i]);
		free(out_of[i]);
	}
	free(in_of);
	free(out_of);
	free(n_in_of);
	free(n_out_of);
	free(c_in_of);
	free(c_out_of);
	free(pol);
	free(ns_first);
	free(by_ns);
	free(nss);
	free(pods);
}
