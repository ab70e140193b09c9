/* The flow log against a designed graph (compose projects, Kubernetes
 * NetworkPolicies, Services and Ingresses: bw_net_graph_from_model): a
 * running container is the graph's workload its engine labels name
 * (compose's project and service; a pod's namespace and name, whose
 * workload is the one the pod's name starts with), else the workload of
 * its own name; a flow is allowed when the graph has an edge from its
 * source's workload (the outside world for an address no container has)
 * to its destination's on its port. */
#include <jansson.h>
#include <netinet/in.h>

#include "net-int.h"

static const char *label(json_t *labels, const char *k)
{
	return json_string_value(json_object_get(labels, k));
}

size_t net_design_node(const struct bw_net_graph *g, const char *name, json_t *labels)
{
	const char *proj = label(labels, "com.docker.compose.project");
	const char *svc = label(labels, "com.docker.compose.service");
	const char *pns = label(labels, "io.kubernetes.pod.namespace");
	const char *pod = label(labels, "io.kubernetes.pod.name");
	size_t best = SIZE_MAX, best_len = 0;
	for (size_t i = 0; i < g->n_nodes; i++) {
		const struct bw_net_node *n = &g->nodes[i];
		if (n->kind != BW_NET_WORKLOAD)
			continue;
		if (proj && svc && !strncmp(n->id, "compose:", 8)) {
			size_t pl = strlen(proj);
			if (!strncmp(n->id + 8, proj, pl) && n->id[8 + pl] == '/' &&
			    !strcmp(n->id + 9 + pl, svc))
				return i;
		}
		if (pns && pod && !strncmp(n->id, "k8s:", 4)) {
			/* k8s:NS/KIND/NAME: the pod of NAME is NAME or NAME-… */
			size_t nl = strlen(pns);
			const char *kind = n->id + 4 + nl + 1;
			const char *wname = strchr(kind, '/');
			if (strncmp(n->id + 4, pns, nl) || n->id[4 + nl] != '/' || !wname)
				continue;
			wname++;
			size_t wl = strlen(wname);
			if (!strncmp(pod, wname, wl) && (pod[wl] == '\0' || pod[wl] == '-') &&
			    wl > best_len) {
				best = i;
				best_len = wl;
			}
		}
	}
	if (best != SIZE_MAX || !name)
		return best;
	for (size_t i = 0; i < g->n_nodes; i++)
		if (g->nodes[i].kind == BW_NET_WORKLOAD && !strcmp(g->nodes[i].name, name))
			return i;
	return SIZE_MAX;
}

/* Does an edge's ports text ("any", "5432/tcp,8000-8080/tcp", "http/tcp")
 * let proto/port through? A named port the graph could not resolve lets
 * every port of its protocol through (no violation from what is unknown). */
static bool ports_match(const char *ports, int proto, int port)
{
	const char *p = ports ? ports : "any";
	const char *want = proto == IPPROTO_UDP ? "udp" : proto == IPPROTO_SCTP ? "sctp" : "tcp";
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char one[64];
		snprintf(one, sizeof(one), "%.*s", (int)(len < sizeof(one) ? len : sizeof(one) - 1), p);
		if (!strcmp(one, "any"))
			return true;
		char *slash = strchr(one, '/');
		if (slash && !strcmp(slash + 1, want)) {
			*slash = '\0';
			int lo = 0, hi = 0;
			char *e;
			long v = strtol(one, &e, 10);
			if (e == one) {
				return true; /* a name */
			} else if (*e == '-') {
				lo = (int)v;
				hi = (int)strtol(e + 1, NULL, 10);
			} else {
				lo = hi = (int)v;
			}
			if (port >= lo && port <= hi)
				return true;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

int net_design_judge(const struct bw_net_graph *g, size_t src, size_t dst, int proto, int port,
		     const char **via)
{
	*via = NULL;
	if (dst == SIZE_MAX)
		return -1;
	if (src == SIZE_MAX) {
		for (size_t i = 0; i < g->n_nodes && src == SIZE_MAX; i++)
			if (g->nodes[i].kind == BW_NET_INTERNET)
				src = i;
		if (src == SIZE_MAX)
			return 0; /* the design lets nothing in from outside */
	}
	for (size_t i = 0; i < g->n_edges; i++) {
		const struct bw_net_edge *e = &g->edges[i];
		if (e->from == src && e->to == dst && ports_match(e->ports, proto, port)) {
			*via = e->via;
			return 1;
		}
	}
	return 0;
}
