/* Segmentation findings (BW-NET-NNN) and the lateral paths from the outside
 * world to datastores (breadth-first, shortest first, bounded). */
#include "net-int.h"

#define MAX_PATHS 200
#define MAX_HOPS 8

struct net_rule {
	const char *id;
	enum bw_severity severity;
	const char *title, *rationale, *remediation;
};

static const struct net_rule rules[] = {
    {"BW-NET-001", BW_SEV_MEDIUM, "Flat network: every workload reaches every other",
     "A segment where every workload can open connections to every other lets one compromised workload reach "
     "them all; segmentation confines it to what it needs.",
     "Split the network (compose networks, internal: true) or add NetworkPolicies that allow only the needed "
     "edges."},
    {"BW-NET-002", BW_SEV_HIGH, "Datastore one hop from an internet-facing workload",
     "A database, cache or queue reachable directly from a workload the internet reaches is one exploit away "
     "from the data.",
     "Put the datastore on an internal network only its clients join, or allow only those clients in a "
     "NetworkPolicy."},
    {"BW-NET-003", BW_SEV_CRITICAL, "Datastore published to the outside world",
     "A database, cache or queue whose port is published on the host's interfaces (or a LoadBalancer) is "
     "exposed to every network the host is on.",
     "Do not publish the datastore's port; its clients reach it over an internal network."},
    {"BW-NET-004", BW_SEV_MEDIUM, "Workload bridges segments",
     "A workload attached to several networks joins segments that were meant to be apart: a compromise of it "
     "crosses between them.",
     "Attach each workload to the networks it must reach only, and keep bridges few and hardened."},
    {"BW-NET-005", BW_SEV_MEDIUM, "Port published on every interface",
     "A port published without a host address listens on 0.0.0.0 and ::, every network the host is on, and "
     "Docker's rules bypass the host firewall.",
     "Publish on one address (127.0.0.1:8080:80) or behind a reverse proxy."},
    {"BW-NET-006", BW_SEV_MEDIUM, "Inter-container communication on the default bridge",
     "On the default bridge with icc enabled every container reaches every other, whatever they are.",
     "Run the daemon with --icc=false, and put containers on user-defined networks."},
    {"BW-NET-007", BW_SEV_MEDIUM, "Namespace without a default-deny NetworkPolicy",
     "Without a policy that selects every pod and allows nothing, every new pod of the namespace accepts "
     "connections from anywhere in the cluster.",
     "Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress] (and Egress), then allow what is "
     "needed."},
    {"BW-NET-008", BW_SEV_HIGH, "Workload on the host's network",
     "Host networking bypasses every network and policy: the workload listens on the host's interfaces and "
     "reaches its loopback services.",
     "Use a network of its own and publish the ports needed."},
    {"BW-NET-009", BW_SEV_MEDIUM, "Lateral path from the outside world to a datastore",
     "A chain of reachable workloads leads from the internet to a datastore; each hop is a place where an "
     "attacker can move sideways.",
     "Break the chain where a hop is not needed: network membership or NetworkPolicy."},
};

size_t bw_net_rule_count(void)
{
	return BW_ARRAY_SIZE(rules);
}

void bw_net_rule_info(size_t i, struct bw_rule_info *out)
{
	static const char *const none[] = {NULL};
	*out = (struct bw_rule_info){.id = rules[i].id,
				     .severity = rules[i].severity,
				     .title = rules[i].title,
				     .equivalent = none,
				     .rationale = rules[i].rationale,
				     .bad = "",
				     .good = "",
				     .remediation = rules[i].remediation};
}

static struct bw_finding *emit(struct bw_report *r, int rule, const struct bw_net_node *at, const char *fmt,
			       ...) __attribute__((format(printf, 4, 5)));
static struct bw_finding *emit(struct bw_report *r, int rule, const struct bw_net_node *at, const char *fmt,
			       ...)
{
	char ev[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ev, sizeof(ev), fmt, ap);
	va_end(ap);
	const struct net_rule *nr = &rules[rule - 1];
	struct bw_finding *f = bw_report_add_finding(r, BW_KIND_MISCONFIG);
	f->id = nr->id;
	f->severity = nr->severity;
	f->status = BW_STATUS_FAIL;
	f->title = nr->title;
	f->remediation = nr->remediation;
	f->evidence = bw_report_str(r, ev);
	if (at && at->file) {
		f->location.path = bw_report_str(r, at->file);
		f->location.line = at->line;
		f->location.column = at->column;
	}
	if (at && !at->file && at->kind == BW_NET_WORKLOAD)
		f->location.container = bw_report_str(r, at->name);
	return f;
}

/* ---- paths --------------------------------------------------------------- */

static void compute_paths(struct bw_net_graph *g)
{
	size_t n = g->n_nodes;
	size_t src = SIZE_MAX;
	for (size_t i = 0; i < n; i++)
		if (g->nodes[i].kind == BW_NET_INTERNET)
			src = i;
	if (src == SIZE_MAX || g->n_paths)
		return;
	/* adjacency */
	size_t *deg = bw_calloc(n + 1, sizeof(*deg));
	for (size_t e = 0; e < g->n_edges; e++)
		deg[g->edges[e].from + 1]++;
	for (size_t i = 0; i < n; i++)
		deg[i + 1] += deg[i];
	size_t *adj = bw_calloc(g->n_edges ? g->n_edges : 1, sizeof(*adj));
	size_t *fill = bw_calloc(n, sizeof(*fill));
	for (size_t e = 0; e < g->n_edges; e++)
		adj[deg[g->edges[e].from] + fill[g->edges[e].from]++] = e;
	free(fill);
	/* breadth-first from the outside world: one shortest path to each datastore */
	size_t *prev = bw_malloc(n * sizeof(*prev)), *dist = bw_malloc(n * sizeof(*dist)),
	       *queue = bw_malloc(n * sizeof(*queue));
	for (size_t i = 0; i < n; i++)
		prev[i] = dist[i] = SIZE_MAX;
	size_t qh = 0, qt = 0;
	dist[src] = 0;
	queue[qt++] = src;
	while (qh < qt) {
		size_t u = queue[qh++];
		if (dist[u] >= MAX_HOPS || (u != src && g->nodes[u].datastore))
			continue; /* a path ends at its datastore */
		for (size_t k = deg[u]; k < deg[u + 1]; k++) {
			size_t e = adj[k], v = g->edges[e].to;
			if (dist[v] != SIZE_MAX)
				continue;
			dist[v] = dist[u] + 1;
			prev[v] = e;
			queue[qt++] = v;
		}
	}
	for (size_t v = 0; v < n && g->n_paths < MAX_PATHS; v++) {
		if (!g->nodes[v].datastore || dist[v] == SIZE_MAX || v == src)
			continue;
		NET_GROW(&g->arena, g->paths, g->n_paths, g->cap_paths);
		struct bw_net_path *p = &g->paths[g->n_paths++];
		p->n_hops = dist[v] + 1;
		p->hops = bw_arena_alloc(&g->arena, p->n_hops * sizeof(*p->hops));
		p->ports = bw_arena_alloc(&g->arena, p->n_hops * sizeof(*p->ports));
		size_t at = v;
		for (size_t h = p->n_hops; h-- > 1;) {
			const struct bw_net_edge *e = &g->edges[prev[at]];
			p->hops[h] = at;
			p->ports[h - 1] = e->ports;
			at = e->from;
		}
		p->hops[0] = src;
	}
	free(prev);
	free(dist);
	free(queue);
	free(deg);
	free(adj);
}

static void path_text(const struct bw_net_graph *g, const struct bw_net_path *p, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = 0;
	for (size_t h = 0; h < p->n_hops && o + 8 < len; h++) {
		if (h)
			o += (size_t)snprintf(buf + o, len - o, " -[%s]-> ", p->ports[h - 1]);
		if (o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s", g->nodes[p->hops[h]].name);
	}
}

/* ---- findings ------------------------------------------------------------ */

static bool has_default_deny(const struct bw_iac_model *m, const char *ns)
{
	for (size_t p = 0; p < m->n_netpols; p++) {
		const struct bw_iac_netpol *np = &m->netpols[p];
		if (!strcmp(np->ns, ns) && np->ingress && !np->pod.n_match && !np->pod.n_exprs && !np->n_in)
			return true;
	}
	return false;
}

void bw_net_findings(struct bw_net_graph *g, const struct bw_iac_model *m, struct bw_report *r)
{
	compute_paths(g);
	size_t n = g->n_nodes;
	/* reachability per pair, for "flat": count edges per group */
	for (size_t i = 0; i < n; i++) {
		const struct bw_net_node *a = &g->nodes[i];
		if (a->kind != BW_NET_WORKLOAD)
			continue;
		if (a->host_network)
			emit(r, 8, a, "%s uses the host's network", a->name);
		if (a->n_segments > 1) {
			char segs[512] = "";
			size_t o = 0;
			for (size_t k = 0; k < a->n_segments && o + 64 < sizeof(segs); k++)
				o += (size_t)snprintf(segs + o, sizeof(segs) - o, "%s%s", k ? ", " : "",
						      a->segments[k]);
			emit(r, 4, a, "%s is on %zu networks: %s", a->name, a->n_segments, segs);
		}
	}
	for (size_t e = 0; e < g->n_edges; e++) {
		const struct bw_net_edge *ed = &g->edges[e];
		const struct bw_net_node *from = &g->nodes[ed->from], *to = &g->nodes[ed->to];
		if (from->kind == BW_NET_INTERNET && to->datastore)
			emit(r, 3, to, "datastore %s is reachable from the outside world on %s (%s)",
			     to->name, ed->ports, ed->via ? ed->via : "");
		if (from->kind == BW_NET_INTERNET && ed->via && !strcmp(ed->via, "published"))
			emit(r, 5, to, "%s publishes %s on every interface of the host", to->name, ed->ports);
		if (from->kind == BW_NET_WORKLOAD && from->internet_facing && to->datastore &&
		    !from->datastore)
			emit(r, 2, to, "internet-facing %s reaches datastore %s on %s (%s)", from->name,
			     to->name, ed->ports, ed->via ? ed->via : "");
	}
	for (size_t p = 0; p < g->n_paths; p++) {
		if (g->paths[p].n_hops < 4)
			continue; /* one hop (BW-NET-002) or published (BW-NET-003) */
		char text[2048];
		path_text(g, &g->paths[p], text, sizeof(text));
		emit(r, 9, &g->nodes[g->paths[p].hops[g->paths[p].n_hops - 1]], "%s", text);
	}
	/* flat segments: groups of >= 3 workloads where every pair has an edge */
	struct grp {
		const char *name;
		size_t members, edges;
		const struct bw_net_node *first;
	} *gs = NULL;
	size_t ng = 0, cg = 0;
	size_t *gi = bw_calloc(n ? n : 1, sizeof(*gi));
	for (size_t i = 0; i < n; i++) {
		const struct bw_net_node *a = &g->nodes[i];
		gi[i] = SIZE_MAX;
		if (a->kind != BW_NET_WORKLOAD || !a->group)
			continue;
		size_t k = 0;
		for (; k < ng && strcmp(gs[k].name, a->group); k++)
			;
		if (k == ng) {
			NET_GROW_HEAP(gs, ng, cg);
			gs[ng++] = (struct grp){a->group, 0, 0, a};
		}
		gs[k].members++;
		gi[i] = k;
	}
	for (size_t e = 0; e < g->n_edges; e++) {
		size_t a = g->edges[e].from, b = g->edges[e].to;
		if (gi[a] != SIZE_MAX && gi[a] == gi[b])
			gs[gi[a]].edges++;
	}
	for (size_t k = 0; k < ng; k++)
		if (gs[k].members >= 3 && gs[k].edges == gs[k].members * (gs[k].members - 1))
			emit(r, 1, gs[k].first, "all %zu workloads of %s reach each other", gs[k].members,
			     gs[k].name);
	free(gs);
	free(gi);
	if (g->icc_default_bridge)
		emit(r, 6, NULL,
		     "%zu container(s) on the default bridge, which allows inter-container communication",
		     g->icc_default_bridge_members);
	/* namespaces without a default deny */
	if (m) {
		const char **seen = NULL;
		size_t ns = 0, cs = 0;
		for (size_t i = 0; i < m->n_workloads; i++) {
			const struct bw_iac_workload *w = &m->workloads[i];
			if (!strcmp(w->kind, "service"))
				continue;
			bool dup = false;
			for (size_t k = 0; k < ns && !dup; k++)
				dup = !strcmp(seen[k], w->ns);
			if (dup)
				continue;
			NET_GROW_HEAP(seen, ns, cs);
			seen[ns++] = w->ns;
			if (!has_default_deny(m, w->ns)) {
				struct bw_net_node at = {.kind = BW_NET_WORKLOAD,
							 .name = w->name,
							 .file = w->file,
							 .line = w->line,
							 .column = w->column};
				emit(r, 7, &at,
				     "namespace %s has no NetworkPolicy that denies ingress by default",
				     w->ns);
			}
		}
		free(seen);
	}
}
